//! CSV with a header row, in UTF-8 or GBK/GB18030.
//!
//! Chinese Excel exports are often GBK. The encoding is sniffed from the first 64 KiB: valid UTF-8
//! means UTF-8, anything else is read as GB18030 (a superset of GBK). A field that does not decode
//! rejects its row alone.

use std::io::{Chain, Cursor, Read};

use encoding_rs::GB18030;
use serde_json::Value;

use super::{Placed, ReadError, Reject, reject, to_record};
use crate::fields::FieldMapping;

const SNIFF_BYTES: usize = 64 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Utf8,
    Gb18030,
}

impl Encoding {
    fn sniff(prefix: &[u8]) -> Encoding {
        match std::str::from_utf8(prefix) {
            Ok(_) => Encoding::Utf8,
            // A multi-byte character cut by the end of the prefix is still UTF-8.
            Err(e) if e.error_len().is_none() => Encoding::Utf8,
            Err(_) => Encoding::Gb18030,
        }
    }

    fn decode(self, bytes: &[u8]) -> Option<String> {
        match self {
            Encoding::Utf8 => std::str::from_utf8(bytes).ok().map(str::to_string),
            Encoding::Gb18030 => GB18030
                .decode_without_bom_handling_and_without_replacement(bytes)
                .map(|s| s.into_owned()),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Gb18030 => "GBK/GB18030",
        }
    }
}

pub(super) fn rows<R: Read + Send + 'static>(
    name: String,
    mut input: R,
    mapping: FieldMapping,
) -> Result<impl Iterator<Item = Result<Placed, Reject>> + Send, ReadError> {
    let io = |source| ReadError::Io {
        path: name.clone(),
        source,
    };
    let mut prefix = Vec::with_capacity(SNIFF_BYTES);
    input
        .by_ref()
        .take(SNIFF_BYTES as u64)
        .read_to_end(&mut prefix)
        .map_err(io)?;
    if prefix.starts_with(b"\xEF\xBB\xBF") {
        prefix.drain(..3);
    }
    let encoding = Encoding::sniff(&prefix);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(Cursor::new(prefix).chain(input));
    let header_bytes = reader.byte_headers().map_err(|e| ReadError::Malformed {
        path: name.clone(),
        reason: format!("cannot read the CSV header: {e}"),
    })?;
    let headers = header_bytes
        .iter()
        .map(|h| encoding.decode(h).map(|h| h.trim().to_string()))
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| ReadError::Malformed {
            path: name.clone(),
            reason: format!("the header row is not valid {}", encoding.name()),
        })?;
    if !headers
        .iter()
        .any(|h| mapping.field_for(h) == Some("content"))
    {
        return Err(ReadError::Malformed {
            path: name,
            reason: format!(
                "no column maps to `content` (headers: {}); name one with --map HEADER=content",
                headers.join(", ")
            ),
        });
    }
    Ok(CsvRows {
        name,
        reader,
        headers,
        encoding,
        mapping,
        record: csv::ByteRecord::new(),
    })
}

struct CsvRows<R> {
    name: String,
    reader: csv::Reader<Chain<Cursor<Vec<u8>>, R>>,
    headers: Vec<String>,
    encoding: Encoding,
    mapping: FieldMapping,
    record: csv::ByteRecord,
}

impl<R: Read> Iterator for CsvRows<R> {
    type Item = Result<Placed, Reject>;

    fn next(&mut self) -> Option<Self::Item> {
        let line = self.reader.position().line();
        match self.reader.read_byte_record(&mut self.record) {
            Ok(false) => None,
            Err(e) => {
                let line = e.position().map_or(line, |p| p.line());
                Some(Err(reject(&self.name, line, format!("malformed CSV: {e}"))))
            }
            Ok(true) => {
                let line = self.record.position().map_or(line, |p| p.line());
                Some(self.decode_row(line))
            }
        }
    }
}

impl<R> CsvRows<R> {
    fn decode_row(&self, line: u64) -> Result<Placed, Reject> {
        if self.record.len() > self.headers.len() {
            return Err(reject(
                &self.name,
                line,
                format!(
                    "{} fields, but the header has {}",
                    self.record.len(),
                    self.headers.len()
                ),
            ));
        }
        let mut fields = Vec::with_capacity(self.record.len());
        for (header, bytes) in self.headers.iter().zip(self.record.iter()) {
            let text = self.encoding.decode(bytes).ok_or_else(|| {
                reject(
                    &self.name,
                    line,
                    format!("column `{header}` is not valid {}", self.encoding.name()),
                )
            })?;
            fields.push((header.clone(), Value::String(text)));
        }
        to_record(&self.name, line, fields, &self.mapping)
    }
}

#[cfg(test)]
mod tests {
    use crate::FieldMapping;
    use crate::read::{Format, RecordReader};

    fn read(bytes: Vec<u8>) -> Vec<Result<crate::Record, crate::Reject>> {
        RecordReader::from_bytes("in.csv", Format::Csv, bytes, &FieldMapping::default())
            .unwrap()
            .collect()
    }

    #[test]
    fn reads_gbk_with_chinese_headers() {
        let text = "留言编号,留言主题,留言详情,留言时间,点赞数,所属区县,反对数\n\
                    1,公交线路取消,12路公交取消后出行不便,2024/3/5 9:00,7,城北区,1\n";
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        let rows = read(gbk.into_owned());
        let r = rows[0].as_ref().unwrap();
        assert_eq!(r.id, "1");
        assert_eq!(r.title.as_deref(), Some("公交线路取消"));
        assert_eq!(r.content, "12路公交取消后出行不便");
        assert_eq!(r.region.as_deref(), Some("城北区"));
        assert_eq!(r.likes, Some(7));
        assert_eq!(r.extra["反对数"], serde_json::json!("1"));
    }

    #[test]
    fn reports_bad_rows_by_line_and_keeps_good_ones() {
        let text = "\u{feff}id,content,submitted_at\n\
                    a,\"多行\n内容\",2024-01-02\n\
                    b,日期坏了,明天\n\
                    ,没有编号,2024-01-02\n\
                    c,好的,2024-01-03\n";
        let rows = read(text.as_bytes().to_vec());
        assert_eq!(rows.len(), 4);
        assert_eq!(rows[0].as_ref().unwrap().content, "多行\n内容");
        let bad = rows[1].as_ref().unwrap_err();
        assert_eq!((bad.line, bad.id.as_deref()), (4, Some("b")));
        assert!(bad.reason.contains("submitted_at"), "{bad}");
        assert_eq!(
            rows[2].as_ref().unwrap_err().to_string(),
            "in.csv:5: missing required field `id`"
        );
        assert_eq!(rows[3].as_ref().unwrap().id, "c");
    }

    #[test]
    fn a_file_without_a_content_column_is_an_error() {
        let err = RecordReader::from_bytes(
            "x.csv",
            Format::Csv,
            b"a,b\n1,2\n".to_vec(),
            &FieldMapping::default(),
        )
        .err()
        .unwrap();
        assert!(
            err.to_string().contains("no column maps to `content`"),
            "{err}"
        );
    }
}
