//! Masking whole records, and the submitter pseudonym.

use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;

use super::mask;
use crate::Record;

/// Masks records for readers without the right to personal data.
///
/// Submitters become `访客-` and eight hex digits of an HMAC-SHA256 under the index's secret:
/// the same submitter always gets the same pseudonym, so repeat submitters still count as one,
/// and without the secret a pseudonym cannot be checked against a guessed id. 32 bits make a
/// collision unlikely below tens of thousands of submitters.
#[derive(Clone)]
pub struct Masker {
    key: Hmac<Sha256>,
}

impl Masker {
    /// A masker keyed with the index's secret (any length; 32 random bytes are plenty).
    pub fn new(secret: &[u8]) -> Masker {
        Masker {
            key: Hmac::new_from_slice(secret).expect("HMAC takes keys of any length"),
        }
    }

    /// The stable pseudonym of a submitter id, e.g. `访客-7F3A2C9B`.
    pub fn pseudonym(&self, submitter: &str) -> String {
        let mut mac = self.key.clone();
        mac.update(submitter.as_bytes());
        let tag = mac.finalize().into_bytes();
        format!(
            "访客-{:02X}{:02X}{:02X}{:02X}",
            tag[0], tag[1], tag[2], tag[3]
        )
    }

    /// A copy of `record` with personal data masked in the title, content, reply and every
    /// string (or number) inside `extra`, and the submitter replaced by its pseudonym.
    pub fn record(&self, record: &Record) -> Record {
        let text = |t: &Option<String>| t.as_deref().map(|t| mask(t).text);
        let mut extra = record.extra.clone();
        extra.values_mut().for_each(mask_value);
        Record {
            content: mask(&record.content).text,
            title: text(&record.title),
            reply: text(&record.reply),
            submitter: record.submitter.as_deref().map(|s| self.pseudonym(s)),
            extra,
            ..record.clone()
        }
    }
}

/// Masks strings anywhere inside a JSON value. Spreadsheets deliver phone and card numbers as
/// numbers, so a number that is personal data becomes its masked text.
fn mask_value(value: &mut Value) {
    match value {
        Value::String(s) => {
            let masked = mask(s);
            if !masked.spans.is_empty() {
                *s = masked.text;
            }
        }
        Value::Number(n) => {
            let masked = mask(&n.to_string());
            if !masked.spans.is_empty() {
                *value = Value::String(masked.text);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(mask_value),
        Value::Object(map) => map.values_mut().for_each(mask_value),
        Value::Bool(_) | Value::Null => {}
    }
}
