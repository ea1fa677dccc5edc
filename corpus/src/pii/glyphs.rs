//! The characters detection looks at: width-folded, with tags skipped, each knowing where it is.

use std::ops::Range;

/// One character of the searched text.
pub(super) struct Glyph {
    /// Folded to half-width for digits, letters and the punctuation numbers and addresses use.
    pub c: char,
    /// Its bytes in the original text.
    pub at: Range<usize>,
}

/// Every character of plain text.
pub(super) fn plain(text: &str) -> Vec<Glyph> {
    text.char_indices()
        .map(|(i, c)| Glyph {
            c: fold(c),
            at: i..i + c.len_utf8(),
        })
        .collect()
}

/// The characters of HTML text outside tags. The text is escaped, so every `<` opens a tag; an
/// unclosed one is kept as text.
pub(super) fn html(html: &str) -> Vec<Glyph> {
    let mut out = Vec::with_capacity(html.len());
    let mut chars = html.char_indices();
    // Once a `<` has no `>` after it, no later one has: stop looking (and stay linear).
    let mut closable = true;
    while let Some((i, c)) = chars.next() {
        let close = (c == '<' && closable)
            .then(|| html[i..].find('>'))
            .flatten();
        closable &= c != '<' || close.is_some();
        if let Some(close) = close {
            let end = i + close;
            for (j, _) in chars.by_ref() {
                if j == end {
                    break;
                }
            }
            continue;
        }
        out.push(Glyph {
            c: fold(c),
            at: i..i + c.len_utf8(),
        });
    }
    out
}

/// Full-width digits, letters, `＠＋－（）．` and the ideographic space as their ASCII forms.
fn fold(c: char) -> char {
    match c {
        '＠' | '＋' | '－' | '（' | '）' | '．' => {
            char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
        }
        _ => crate::normalize::fold_width(c),
    }
}
