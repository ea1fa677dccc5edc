//! Personal data in free text: finding it, masking it, and pseudonyms for submitters.
//!
//! Petitions and hotline tickets carry mainland ID numbers, mobile and landline numbers, bank
//! card numbers and e-mail addresses, typed by hand: glued to Chinese characters
//! (`身份证号430102199003071234，电话13812345678`), in full-width digits, with spaces or dashes.
//! Readers without the right to personal data see them masked with a shape hint
//! (`4301**********1234`, `138****5678`, `6222 **** **** 1234`, `z***@x.com`), and the submitter
//! replaced by a stable keyed pseudonym so that repeat submitters still count as one.
//!
//! Detection is check-based, so ordinary numbers stay: ID numbers need a valid province code,
//! birth date and (for 18 digits) the GB 11643 check digit; bank cards the Luhn digit; phones the
//! mobile prefixes or an area code. Dates, amounts, `12345`, house numbers and order ids pass.
//!
//! [`mask`] and [`find`] take plain text; [`mask_html`] and [`find_in_html`] take the engine's
//! HTML-escaped snippets and highlights, where tags such as `<em>` are kept as they are and a
//! number split by them (`<em>138</em>12345678`) is still found. [`Masker`] masks whole records.

mod email;
mod glyphs;
mod numbers;
mod record;

use std::ops::Range;

pub use record::Masker;

use glyphs::Glyph;

/// What kind of personal data a span is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PiiKind {
    /// A mainland resident ID number (18 digits with check digit, or the old 15-digit form).
    IdNumber,
    /// A mainland mobile number, with or without `+86`.
    Mobile,
    /// A landline number with its area code, optionally with an extension.
    Landline,
    /// A bank card number (16–19 digits passing the Luhn check).
    BankCard,
    /// An e-mail address.
    Email,
}

/// One piece of personal data found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PiiSpan {
    pub kind: PiiKind,
    /// Byte range in the text that was searched (for HTML: in the markup, tags inside included).
    pub range: Range<usize>,
}

/// A text with its personal data masked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Masked {
    /// The text with the hidden characters replaced by `*`; everything else is unchanged.
    pub text: String,
    /// What was found, as byte ranges in the original text, in order.
    pub spans: Vec<PiiSpan>,
}

/// Personal data in plain text.
pub fn find(text: &str) -> Vec<PiiSpan> {
    let glyphs = glyphs::plain(text);
    spans(&glyphs, &detect(&glyphs))
}

/// Personal data in HTML text (escaped text with tags); tags are skipped, not searched.
pub fn find_in_html(html: &str) -> Vec<PiiSpan> {
    let glyphs = glyphs::html(html);
    spans(&glyphs, &detect(&glyphs))
}

/// Plain text with its personal data masked.
pub fn mask(text: &str) -> Masked {
    apply(text, &glyphs::plain(text))
}

/// HTML text with its personal data masked; tags stay exactly where they were.
pub fn mask_html(html: &str) -> Masked {
    apply(html, &glyphs::html(html))
}

/// One finding, in glyph indices.
struct Finding {
    kind: PiiKind,
    /// First and one-past-last glyph of the whole span.
    glyphs: Range<usize>,
    /// The glyphs to replace by `*`.
    hidden: Vec<usize>,
}

/// E-mail addresses first: their local part may be a phone or QQ number that is not a phone.
fn detect(glyphs: &[Glyph]) -> Vec<Finding> {
    let mut found = email::find(glyphs);
    let mut taken = vec![false; glyphs.len()];
    for f in &found {
        taken[f.glyphs.clone()].fill(true);
    }
    found.extend(numbers::find(glyphs, &taken));
    found.sort_by_key(|f| f.glyphs.start);
    found
}

fn spans(glyphs: &[Glyph], found: &[Finding]) -> Vec<PiiSpan> {
    found
        .iter()
        .map(|f| PiiSpan {
            kind: f.kind,
            range: glyphs[f.glyphs.start].at.start..glyphs[f.glyphs.end - 1].at.end,
        })
        .collect()
}

fn apply(text: &str, glyphs: &[Glyph]) -> Masked {
    let found = detect(glyphs);
    let mut hidden: Vec<usize> = found
        .iter()
        .flat_map(|f| f.hidden.iter().copied())
        .collect();
    hidden.sort_unstable();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for g in hidden {
        let range = &glyphs[g].at;
        out.push_str(&text[at..range.start]);
        out.push('*');
        at = range.end;
    }
    out.push_str(&text[at..]);
    Masked {
        text: out,
        spans: spans(glyphs, &found),
    }
}

#[cfg(test)]
mod tests;
