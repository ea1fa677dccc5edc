//! The record readers: any bytes, as JSON, CSV or a workbook, give records, rejects or a
//! `ReadError`, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use minyi_corpus::read::Format;
use minyi_corpus::{FieldMapping, RecordReader};

fuzz_target!(|data: &[u8]| {
    let Some((first, rest)) = data.split_first() else {
        return;
    };
    let format = match first % 3 {
        0 => Format::Json,
        1 => Format::Csv,
        _ => Format::Spreadsheet,
    };
    if let Ok(reader) =
        RecordReader::from_bytes("fuzz", format, rest.to_vec(), &FieldMapping::default())
    {
        for row in reader {
            let _ = row;
        }
    }
});
