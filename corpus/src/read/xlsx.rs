//! Excel workbooks: the first sheet, with its first non-empty row as the header.

use std::io::{Read, Seek};

use calamine::{Data, Reader, open_workbook_auto_from_rs};
use serde_json::Value;

use super::{Placed, ReadError, Reject, to_record};
use crate::fields::FieldMapping;

pub(super) fn rows<R: Read + Seek + Send + 'static>(
    name: String,
    mut input: R,
    mapping: FieldMapping,
) -> Result<impl Iterator<Item = Result<Placed, Reject>> + Send, ReadError> {
    // calamine needs a cloneable reader; workbooks are read whole anyway.
    let mut bytes = Vec::new();
    input
        .read_to_end(&mut bytes)
        .map_err(|source| ReadError::Io {
            path: name.clone(),
            source,
        })?;
    let malformed = |reason: String| ReadError::Malformed {
        path: name.clone(),
        reason,
    };
    let mut workbook = open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e| malformed(format!("not a readable workbook: {e}")))?;
    let range = workbook
        .worksheet_range_at(0)
        .ok_or_else(|| malformed("the workbook has no sheet".into()))?
        .map_err(|e| malformed(format!("cannot read the first sheet: {e}")))?;
    // Spreadsheet row numbers as a person sees them: 1-based, counting from the sheet's top.
    let first_row = range.start().map_or(1, |(row, _)| u64::from(row) + 1);
    let mut rows = range.rows().zip(first_row..);
    let (header_row, header_line) = rows
        .by_ref()
        .find(|(row, _)| row.iter().any(|c| !matches!(c, Data::Empty)))
        .ok_or_else(|| malformed("the first sheet is empty".into()))?;
    let headers: Vec<String> = header_row
        .iter()
        .map(|c| cell_text(c).trim().to_string())
        .collect();
    if !headers
        .iter()
        .any(|h| mapping.field_for(h) == Some("content"))
    {
        return Err(malformed(format!(
            "no column of the header row (row {header_line}) maps to `content` (headers: {}); name one with --map HEADER=content",
            headers.join(", ")
        )));
    }
    let records: Vec<_> = rows
        .filter(|(row, _)| row.iter().any(|c| !matches!(c, Data::Empty)))
        .map(|(row, line)| {
            let fields = headers
                .iter()
                .zip(row)
                .filter(|(h, _)| !h.is_empty())
                .map(|(h, cell)| (h.clone(), cell_value(cell)))
                .collect();
            to_record(&name, line, fields, &mapping)
        })
        .collect();
    Ok(records.into_iter())
}

fn cell_value(cell: &Data) -> Value {
    match cell {
        Data::Empty => Value::Null,
        Data::Int(i) => Value::from(*i),
        Data::Float(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
        Data::Bool(b) => Value::Bool(*b),
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(d) => Value::String(d.format("%Y-%m-%d %H:%M:%S").to_string()),
            None => Value::String(dt.to_string()),
        },
        other => Value::String(cell_text(other)),
    }
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use crate::FieldMapping;
    use crate::read::{Format, RecordReader};
    use rust_xlsxwriter::{ExcelDateTime, Format as CellFormat, Workbook};

    #[test]
    fn reads_a_sheet_with_dates_numbers_and_a_bad_row() {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        for (col, h) in [
            "留言编号",
            "留言用户",
            "留言主题",
            "留言时间",
            "留言详情",
            "点赞数",
        ]
        .iter()
        .enumerate()
        {
            sheet.write_string(0, col as u16, *h).unwrap();
        }
        let date = CellFormat::new().set_num_format("yyyy-mm-dd hh:mm:ss");
        sheet.write_number(1, 0, 188006.0).unwrap();
        sheet.write_string(1, 1, "A000102948").unwrap();
        sheet.write_string(1, 2, "路灯不亮").unwrap();
        let dt = ExcelDateTime::parse_from_str("2019-02-28 11:25:05").unwrap();
        sheet.write_datetime_with_format(1, 3, &dt, &date).unwrap();
        sheet.write_string(1, 4, "幸福路路灯坏了一个月").unwrap();
        sheet.write_number(1, 5, 12.0).unwrap();
        sheet.write_number(2, 0, 188007.0).unwrap();
        sheet.write_string(2, 3, "2019-03-01").unwrap();
        let bytes = book.save_to_buffer().unwrap();

        let rows: Vec<_> = RecordReader::from_bytes(
            "附件3.xlsx",
            Format::Spreadsheet,
            bytes,
            &FieldMapping::default(),
        )
        .unwrap()
        .collect();
        let r = rows[0].as_ref().unwrap();
        assert_eq!(r.id, "188006");
        assert_eq!(r.submitter.as_deref(), Some("A000102948"));
        assert_eq!(r.submitted_at.unwrap().to_string(), "2019-02-28 11:25:05");
        assert_eq!(r.likes, Some(12));
        let bad = rows[1].as_ref().unwrap_err();
        assert_eq!(
            bad.to_string(),
            "附件3.xlsx:3: record `188007`: missing required field `content`"
        );
    }

    #[test]
    fn garbage_is_not_a_workbook() {
        let err = RecordReader::from_bytes(
            "x.xlsx",
            Format::Spreadsheet,
            b"hello".to_vec(),
            &FieldMapping::default(),
        )
        .err()
        .unwrap();
        assert!(
            err.to_string()
                .starts_with("x.xlsx: not a readable workbook"),
            "{err}"
        );
    }
}
