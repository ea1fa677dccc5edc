//! E-mail addresses: a local part, `@`, and a domain of at least two labels ending in letters.

use super::glyphs::Glyph;
use super::{Finding, PiiKind};

/// The longest local part and domain (RFC 5321); also keeps the scan linear on text full of `@`.
const MAX_LOCAL: usize = 64;
const MAX_DOMAIN: usize = 255;

pub(super) fn find(glyphs: &[Glyph]) -> Vec<Finding> {
    let mut out = Vec::new();
    // Where the last address ended: the next one's local part cannot reach back into it.
    let mut free = 0;
    for at in 0..glyphs.len() {
        if glyphs[at].c != '@' || at < free {
            continue;
        }
        let mut start = at;
        while start > free && at - start < MAX_LOCAL && is_local(glyphs[start - 1].c) {
            start -= 1;
        }
        while start < at && glyphs[start].c == '.' {
            start += 1;
        }
        let mut end = at + 1;
        while end < glyphs.len() && end - at <= MAX_DOMAIN && is_domain(glyphs[end].c) {
            end += 1;
        }
        while end > at + 1 && matches!(glyphs[end - 1].c, '.' | '-') {
            end -= 1;
        }
        if start == at || !valid_domain(&glyphs[at + 1..end]) {
            continue;
        }
        // The first character is the shape hint, unless it is all there is.
        let hidden = if at - start > 1 {
            start + 1..at
        } else {
            start..at
        };
        out.push(Finding {
            kind: PiiKind::Email,
            glyphs: start..end,
            hidden: hidden.collect(),
        });
        free = end;
    }
    out
}

fn is_local(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-')
}

fn is_domain(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '-')
}

fn valid_domain(glyphs: &[Glyph]) -> bool {
    let domain: String = glyphs.iter().map(|g| g.c).collect();
    let labels: Vec<&str> = domain.split('.').collect();
    let tld = labels[labels.len() - 1];
    labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && !l.starts_with('-') && !l.ends_with('-'))
        && tld.len() >= 2
        && tld.chars().all(|c| c.is_ascii_alphabetic())
}
