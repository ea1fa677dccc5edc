//! The record schema.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::fields::FieldMapping;

/// What kind of submission a record is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Kind {
    /// An opinion or suggestion, typically on a draft law (意见建议).
    #[serde(rename = "意见建议")]
    Opinion,
    /// A petition (信访件).
    #[serde(rename = "信访")]
    Petition,
    /// A people's deputy's suggestion (代表建议).
    #[serde(rename = "代表建议")]
    DeputySuggestion,
    /// A 12345 hotline ticket.
    #[serde(rename = "12345热线")]
    Hotline,
    /// Anything else, e.g. an observation-point report.
    #[serde(rename = "其他")]
    Other,
}

impl Kind {
    /// Every kind, in display order.
    pub const ALL: [Kind; 5] = [
        Kind::Opinion,
        Kind::Petition,
        Kind::DeputySuggestion,
        Kind::Hotline,
        Kind::Other,
    ];

    /// The canonical label stored in the index and shown to staff.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Opinion => "意见建议",
            Kind::Petition => "信访",
            Kind::DeputySuggestion => "代表建议",
            Kind::Hotline => "12345热线",
            Kind::Other => "其他",
        }
    }

    /// Parses the labels offices and other systems use for a kind.
    pub fn parse(text: &str) -> Option<Kind> {
        let t = text.trim().to_lowercase();
        let kind = match t.as_str() {
            "意见建议" | "意见" | "建议" | "立法意见" | "opinion" | "suggestion" => {
                Kind::Opinion
            }
            "信访" | "信访件" | "来信" | "来访" | "petition" => Kind::Petition,
            "代表建议" | "代表议案" | "deputy" | "deputy_suggestion" => {
                Kind::DeputySuggestion
            }
            "12345" | "12345热线" | "热线" | "热线工单" | "hotline" => Kind::Hotline,
            "其他" | "观察点报告" | "other" => Kind::Other,
            _ => return None,
        };
        Some(kind)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// One submission. Text fields hold the original text, exactly as received.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Record {
    pub id: String,
    pub content: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<Kind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Local (China) time, without a zone, as offices record it: `YYYY-MM-DDTHH:MM:SS`, not
    /// an RFC 3339 date-time (which would need an offset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, pattern = r"^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$", example = "2024-05-01T09:30:00"))]
    pub submitted_at: Option<NaiveDateTime>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub law: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub article: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// An opaque id of the person who submitted it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submitter: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub likes: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply: Option<String>,
    /// Input fields that are not part of the schema, kept as they came.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub extra: BTreeMap<String, Value>,
}

/// The longest id accepted, in bytes: ids are keys, not text.
pub const MAX_ID_BYTES: usize = 256;
/// The longest text field accepted, in bytes (about 340,000 Chinese characters): longer is a
/// broken export (a whole file in one cell), not a submission.
pub const MAX_TEXT_BYTES: usize = 1 << 20;
/// The years a submission date may fall in; outside them it is a typo or a broken conversion.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2100;

/// Why a set of input fields is not a valid record.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    #[error("missing required field `{0}`")]
    Missing(&'static str),
    #[error("field `{field}`: {reason}")]
    Invalid { field: &'static str, reason: String },
}

impl Record {
    /// Builds a record from named input fields (JSON keys, CSV headers, spreadsheet columns).
    ///
    /// Names go through `mapping`; names it does not know are kept in [`Record::extra`]. Empty
    /// strings count as absent. `id` and `content` are required.
    pub fn from_fields(
        fields: impl IntoIterator<Item = (String, Value)>,
        mapping: &FieldMapping,
    ) -> Result<Record, RecordError> {
        let mut known: BTreeMap<&'static str, Value> = BTreeMap::new();
        let mut extra = BTreeMap::new();
        for (name, value) in fields {
            if value.is_null() || value.as_str().is_some_and(|s| s.trim().is_empty()) {
                continue;
            }
            match mapping.field_for(&name) {
                // The first column mapped to a field wins; later ones stay visible as extras.
                Some(field) if !known.contains_key(field) => {
                    known.insert(field, value);
                }
                _ => {
                    extra.insert(name, value);
                }
            }
        }
        let likes = known.remove("likes").map(parse_count).transpose()?;
        let mut text = |field: &'static str| -> Result<Option<String>, RecordError> {
            known
                .remove(field)
                .map(|v| scalar_text(field, v).and_then(|t| checked_text(field, t)))
                .transpose()
        };
        let id = text("id")?
            .ok_or(RecordError::Missing("id"))?
            .trim()
            .to_string();
        if id.len() > MAX_ID_BYTES {
            return Err(RecordError::Invalid {
                field: "id",
                reason: format!(
                    "{} bytes long; an id may have at most {MAX_ID_BYTES}",
                    id.len()
                ),
            });
        }
        let content = text("content")?.ok_or(RecordError::Missing("content"))?;
        let kind = text("kind")?
            .map(|k| {
                Kind::parse(&k).ok_or_else(|| RecordError::Invalid {
                    field: "kind",
                    reason: format!(
                        "unknown kind `{k}` (expected one of {})",
                        Kind::ALL.map(Kind::label).join(", ")
                    ),
                })
            })
            .transpose()?;
        let submitted_at = text("submitted_at")?
            .map(|d| {
                let invalid = |reason| RecordError::Invalid {
                    field: "submitted_at",
                    reason,
                };
                let at = parse_datetime(&d).ok_or_else(|| {
                    invalid(format!(
                        "cannot read `{d}` as a date (e.g. 2024-05-01 or 2024-05-01 08:30:00)"
                    ))
                })?;
                if !YEARS.contains(&at.year()) {
                    return Err(invalid(format!(
                        "`{d}` is out of range (years {} to {})",
                        YEARS.start(),
                        YEARS.end()
                    )));
                }
                Ok(at)
            })
            .transpose()?;
        Ok(Record {
            id,
            content,
            title: text("title")?,
            kind,
            channel: text("channel")?,
            site: text("site")?,
            region: text("region")?,
            submitted_at,
            law: text("law")?,
            article: text("article")?,
            category: text("category")?,
            status: text("status")?,
            submitter: text("submitter")?,
            likes,
            reply: text("reply")?,
            extra,
        })
    }
}

/// Text of a scalar input value; ids often arrive as JSON or spreadsheet numbers.
pub(crate) fn scalar_text(field: &'static str, value: Value) -> Result<String, RecordError> {
    match value {
        Value::String(s) => Ok(s),
        Value::Number(n) => Ok(match n.as_f64() {
            // Spreadsheets hand integers over as floats: 188006.0 is the id 188006.
            Some(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
            _ => n.to_string(),
        }),
        Value::Bool(b) => Ok(b.to_string()),
        other => Err(RecordError::Invalid {
            field,
            reason: format!("expected text, found {}", json_type(&other)),
        }),
    }
}

/// `text` when it is not too long and holds no control character (tabs and line breaks are
/// whitespace, not control characters here): a NUL or an escape code in a record is a broken
/// export, and would travel into every answer and file that shows it.
fn checked_text(field: &'static str, text: String) -> Result<String, RecordError> {
    if text.len() > MAX_TEXT_BYTES {
        return Err(RecordError::Invalid {
            field,
            reason: format!(
                "{} bytes long; a field may have at most {MAX_TEXT_BYTES}",
                text.len()
            ),
        });
    }
    match text
        .chars()
        .enumerate()
        .find(|(_, c)| c.is_control() && !c.is_whitespace())
    {
        Some((at, c)) => Err(RecordError::Invalid {
            field,
            reason: format!(
                "holds the control character U+{:04X} at character {}",
                c as u32,
                at + 1
            ),
        }),
        None => Ok(text),
    }
}

fn parse_count(value: Value) -> Result<u64, RecordError> {
    let invalid = |v: &Value| RecordError::Invalid {
        field: "likes",
        reason: format!("expected a non-negative whole number, found {v}"),
    };
    match &value {
        Value::Number(n) => n
            .as_u64()
            .or_else(|| {
                n.as_f64()
                    .filter(|f| f.fract() == 0.0 && *f >= 0.0)
                    .map(|f| f as u64)
            })
            .ok_or_else(|| invalid(&value)),
        Value::String(s) => s.trim().parse().map_err(|_| invalid(&value)),
        _ => Err(invalid(&value)),
    }
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Parses the date and time forms found in office exports, as local time.
///
/// Accepts `2024-05-01`, `2024/5/1`, `2024年5月1日`, `20240501`, each optionally followed by a
/// time (`08:30` or `08:30:00`, after a space or `T`), and RFC 3339 with an offset (converted to
/// China time, UTC+8).
pub fn parse_datetime(text: &str) -> Option<NaiveDateTime> {
    let t = text.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
        let china = chrono::FixedOffset::east_opt(8 * 3600)?;
        return Some(dt.with_timezone(&china).naive_local());
    }
    const DATETIME_FORMATS: &[&str] = &[
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y/%m/%d %H:%M:%S",
        "%Y/%m/%d %H:%M",
        "%Y年%m月%d日 %H:%M:%S",
        "%Y年%m月%d日 %H:%M",
        "%Y年%m月%d日%H:%M",
    ];
    const DATE_FORMATS: &[&str] = &["%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日", "%Y%m%d", "%Y.%m.%d"];
    DATETIME_FORMATS
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(t, f).ok())
        .or_else(|| {
            DATE_FORMATS
                .iter()
                .find_map(|f| NaiveDate::parse_from_str(t, f).ok())
                .and_then(|d| d.and_hms_opt(0, 0, 0))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fields(v: Value) -> Vec<(String, Value)> {
        v.as_object().unwrap().clone().into_iter().collect()
    }

    #[test]
    fn builds_a_record_from_tipdm_style_fields() {
        let r = Record::from_fields(
            fields(
                json!({"id": 188006, "user_id": "A000102948", "title": "噪音扰民",
                "content": "\n\t\t晚上施工", "submitted_at": "2019-02-28T11:25:05",
                "likes": 3, "dislikes": 0}),
            ),
            &FieldMapping::default(),
        )
        .unwrap();
        assert_eq!(r.id, "188006");
        assert_eq!(r.submitter.as_deref(), Some("A000102948"));
        assert_eq!(r.content, "\n\t\t晚上施工", "original text is kept");
        assert_eq!(r.likes, Some(3));
        assert_eq!(r.extra.get("dislikes"), Some(&json!(0)));
        assert_eq!(r.submitted_at.unwrap().to_string(), "2019-02-28 11:25:05");
    }

    #[test]
    fn names_the_missing_or_invalid_field() {
        let m = FieldMapping::default();
        let err = Record::from_fields(fields(json!({"id": "1", "content": "  "})), &m).unwrap_err();
        assert_eq!(err, RecordError::Missing("content"));
        let err = Record::from_fields(fields(json!({"content": "x"})), &m).unwrap_err();
        assert_eq!(err, RecordError::Missing("id"));
        let err = Record::from_fields(
            fields(json!({"id": "1", "content": "x", "submitted_at": "去年冬天"})),
            &m,
        )
        .unwrap_err();
        assert!(err.to_string().contains("submitted_at"), "{err}");
        let err = Record::from_fields(
            fields(json!({"id": "1", "content": "x", "kind": "传真"})),
            &m,
        )
        .unwrap_err();
        assert!(err.to_string().contains("unknown kind `传真`"), "{err}");
        let err = Record::from_fields(fields(json!({"id": "1", "content": "x", "likes": -2})), &m)
            .unwrap_err();
        assert!(err.to_string().contains("likes"), "{err}");
    }

    #[test]
    fn parses_office_date_forms() {
        for (text, expected) in [
            ("2024-05-01", "2024-05-01 00:00:00"),
            ("2024/5/1 8:30", "2024-05-01 08:30:00"),
            ("2024年5月1日", "2024-05-01 00:00:00"),
            ("20240501", "2024-05-01 00:00:00"),
            ("2024-05-01T08:30:00Z", "2024-05-01 16:30:00"),
            ("2019-02-28 11:25:05", "2019-02-28 11:25:05"),
        ] {
            assert_eq!(
                parse_datetime(text).map(|d| d.to_string()).as_deref(),
                Some(expected),
                "{text}"
            );
        }
        assert_eq!(parse_datetime("2024-13-01"), None);
    }

    #[test]
    fn kind_round_trips_through_json() {
        let r = Record::from_fields(
            fields(json!({"id": "a", "content": "x", "kind": "hotline"})),
            &FieldMapping::default(),
        )
        .unwrap();
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["kind"], json!("12345热线"));
        let back: Record = serde_json::from_value(json).unwrap();
        assert_eq!(back, r);
    }
}
