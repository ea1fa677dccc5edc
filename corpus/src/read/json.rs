//! JSON Lines, and JSON arrays of objects.

use std::io::{BufRead, BufReader, Read};

use serde_json::Value;

use super::{Placed, ReadError, Reject, reject, to_record};
use crate::fields::FieldMapping;

/// Rows of a JSON input: a JSON array when the first non-blank character is `[`, otherwise JSON
/// Lines (blank lines skipped).
pub(super) fn rows<R: Read + Send + 'static>(
    name: String,
    input: R,
    mapping: FieldMapping,
) -> Result<impl Iterator<Item = Result<Placed, Reject>> + Send, ReadError> {
    let mut input = BufReader::new(input);
    let first = loop {
        let buf = input.fill_buf().map_err(|source| ReadError::Io {
            path: name.clone(),
            source,
        })?;
        match buf.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(i) => break Some(buf[i]),
            None if buf.is_empty() => break None,
            None => {
                let n = buf.len();
                input.consume(n);
            }
        }
    };
    let rows: Box<dyn Iterator<Item = Result<Placed, Reject>> + Send> = if first == Some(b'[') {
        let elements: Vec<Value> =
            serde_json::from_reader(input).map_err(|e| ReadError::Malformed {
                path: name.clone(),
                reason: format!("not a valid JSON array: {e}"),
            })?;
        Box::new(
            elements
                .into_iter()
                .zip(1..)
                .map(move |(value, n)| object_record(&name, n, value, &mapping)),
        )
    } else {
        Box::new(JsonLines {
            name,
            input,
            mapping,
            line: 0,
            buf: Vec::new(),
        })
    };
    Ok(rows)
}

/// The longest JSON Lines line read, in bytes: a longer one is rejected without being held in
/// memory, so that one broken line (a file without line breaks) cannot exhaust it.
pub(crate) const MAX_LINE_BYTES: usize = 8 << 20;

/// Reads past the rest of the current line without keeping it.
fn skip_line(input: &mut impl BufRead) -> std::io::Result<()> {
    loop {
        let buf = input.fill_buf()?;
        if buf.is_empty() {
            return Ok(());
        }
        match buf.iter().position(|b| *b == b'\n') {
            Some(i) => {
                input.consume(i + 1);
                return Ok(());
            }
            None => {
                let n = buf.len();
                input.consume(n);
            }
        }
    }
}

struct JsonLines<R> {
    name: String,
    input: BufReader<R>,
    mapping: FieldMapping,
    line: u64,
    buf: Vec<u8>,
}

impl<R: Read> Iterator for JsonLines<R> {
    type Item = Result<Placed, Reject>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            self.buf.clear();
            self.line += 1;
            let limit = MAX_LINE_BYTES as u64 + 1;
            match (&mut self.input)
                .take(limit)
                .read_until(b'\n', &mut self.buf)
            {
                Ok(0) => return None,
                Ok(n) if n > MAX_LINE_BYTES && self.buf.last() != Some(&b'\n') => {
                    let skipped = skip_line(&mut self.input);
                    return Some(Err(reject(
                        &self.name,
                        self.line,
                        format!(
                            "line longer than {MAX_LINE_BYTES} bytes{}",
                            skipped.map_or_else(|e| format!(" (then: {e})"), |_| String::new())
                        ),
                    )));
                }
                Ok(_) => {}
                Err(e) => {
                    return Some(Err(reject(
                        &self.name,
                        self.line,
                        format!("read error: {e}"),
                    )));
                }
            }
            let text = match std::str::from_utf8(&self.buf) {
                Ok(t) => t.trim_start_matches('\u{feff}').trim(),
                Err(_) => {
                    return Some(Err(reject(
                        &self.name,
                        self.line,
                        "line is not valid UTF-8 (JSON Lines must be UTF-8)",
                    )));
                }
            };
            if text.is_empty() {
                continue;
            }
            return Some(match serde_json::from_str::<Value>(text) {
                Ok(value) => object_record(&self.name, self.line, value, &self.mapping),
                Err(e) => Err(reject(
                    &self.name,
                    self.line,
                    format!("malformed JSON: {e}"),
                )),
            });
        }
    }
}

fn object_record(
    name: &str,
    line: u64,
    value: Value,
    mapping: &FieldMapping,
) -> Result<Placed, Reject> {
    match value {
        Value::Object(map) => to_record(name, line, map.into_iter().collect(), mapping),
        other => Err(reject(
            name,
            line,
            format!(
                "expected a JSON object, found `{}`",
                truncate(&other.to_string(), 40)
            ),
        )),
    }
}

fn truncate(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use crate::FieldMapping;
    use crate::read::{Format, RecordReader};

    fn read(bytes: &str) -> Vec<Result<String, String>> {
        RecordReader::from_bytes(
            "up.jsonl",
            Format::Json,
            bytes.as_bytes().to_vec(),
            &FieldMapping::default(),
        )
        .unwrap()
        .map(|r| r.map(|r| r.id).map_err(|e| e.to_string()))
        .collect()
    }

    #[test]
    fn good_lines_around_bad_ones_are_read() {
        let rows = read(
            "{\"id\":\"a\",\"content\":\"路灯不亮\"}\n\n{\"id\":\"b\",\"content\":\n[1]\n{\"id\":\"c\",\"content\":\"噪音\"}\n{\"id\":\"d\"}\n",
        );
        assert_eq!(rows.len(), 5);
        assert_eq!(rows[0], Ok("a".into()));
        assert!(
            rows[1]
                .as_ref()
                .unwrap_err()
                .starts_with("up.jsonl:3: malformed JSON"),
            "{rows:?}"
        );
        assert!(
            rows[2]
                .as_ref()
                .unwrap_err()
                .starts_with("up.jsonl:4: expected a JSON object")
        );
        assert_eq!(rows[3], Ok("c".into()));
        assert_eq!(
            rows[4],
            Err("up.jsonl:6: record `d`: missing required field `content`".into())
        );
    }

    #[test]
    fn reads_a_json_array() {
        let rows = read(" [{\"id\": 1, \"content\": \"x\"}, {\"id\": 2}]");
        assert_eq!(rows[0], Ok("1".into()));
        assert_eq!(
            rows[1],
            Err("up.jsonl:2: record `2`: missing required field `content`".into())
        );
    }

    #[test]
    fn invalid_utf8_line_is_rejected_alone() {
        let mut bytes = b"{\"id\":\"a\",\"content\":\"\xb9\xab\"}\n".to_vec();
        bytes.extend_from_slice("{\"id\":\"b\",\"content\":\"好\"}\n".as_bytes());
        let rows: Vec<_> =
            RecordReader::from_bytes("gbk.jsonl", Format::Json, bytes, &FieldMapping::default())
                .unwrap()
                .collect();
        assert!(rows[0].as_ref().unwrap_err().reason.contains("UTF-8"));
        assert_eq!(rows[1].as_ref().unwrap().id, "b");
    }
}
