//! Text normalisation applied before indexing and to queries.
//!
//! Chinese office exports mix full-width and half-width forms (`１２３４５` / `12345`) and carry
//! whitespace noise from web pages (`\n\t\t\t\t\t`). Both sides of a search must see the same
//! form, so the indexer and the query parser call the same function.

/// Returns `text` with full-width ASCII letters, digits and spaces folded to half-width, zero-width
/// characters removed, and each run of whitespace collapsed to one character: a newline when the
/// run held one (paragraphs survive), a space otherwise. Leading and trailing whitespace is dropped.
///
/// Full-width punctuation (`，。？`) is kept: it is the normal form in Chinese text, not noise.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space: Option<char> = None;
    for c in text.chars() {
        let c = fold_width(c);
        if is_zero_width(c) {
            continue;
        }
        if c.is_whitespace() {
            if !out.is_empty() {
                pending_space = match (pending_space, c) {
                    (Some('\n'), _) | (_, '\n' | '\r') => Some('\n'),
                    _ => Some(' '),
                };
            }
            continue;
        }
        if let Some(space) = pending_space.take() {
            out.push(space);
        }
        out.push(c);
    }
    out
}

/// Maps a full-width letter, digit or the ideographic space to its half-width form.
pub(crate) fn fold_width(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => {
            char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
        }
        _ => c,
    }
}

fn is_zero_width(c: char) -> bool {
    matches!(c, '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}')
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn folds_full_width_alphanumerics_but_keeps_chinese_punctuation() {
        assert_eq!(
            normalize("拨打１２３４５热线，ＡＢＣ小区"),
            "拨打12345热线，ABC小区"
        );
    }

    #[test]
    fn collapses_web_export_whitespace() {
        assert_eq!(
            normalize("\n\t\t\t\t\t\n\t\t\t\t\t座落在A市\u{3000}\u{3000}联丰路  \t米兰"),
            "座落在A市 联丰路 米兰"
        );
        assert_eq!(
            normalize("第一段。\r\n\r\n  第二段。"),
            "第一段。\n第二段。"
        );
    }

    #[test]
    fn removes_zero_width_characters() {
        assert_eq!(normalize("\u{FEFF}噪\u{200B}音"), "噪音");
    }
}
