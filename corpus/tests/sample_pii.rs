//! The sample corpus's fake personal data (`add_fake_personal_data` in
//! `corpus/sample/generate.py`, which has its own implementation of the check digits) is all
//! found, and nothing else in its 691 records is taken for personal data.

use std::collections::BTreeMap;

use minyi_corpus::pii::{self, Masker, PiiKind};
use minyi_corpus::{FieldMapping, Record, RecordReader};

fn sample() -> Vec<Record> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/sample/records.jsonl");
    RecordReader::open(std::path::Path::new(path), &FieldMapping::default())
        .unwrap()
        .map(|row| row.unwrap())
        .collect()
}

#[test]
fn finds_exactly_the_fake_personal_data_of_the_sample() {
    let records = sample();
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    let mut with_data = 0;
    for r in &records {
        let texts = [
            Some(r.content.as_str()),
            r.title.as_deref(),
            r.reply.as_deref(),
        ];
        let spans: Vec<_> = texts.into_iter().flatten().flat_map(pii::find).collect();
        with_data += usize::from(!spans.is_empty());
        for span in spans {
            let kind = match span.kind {
                PiiKind::IdNumber => "id",
                PiiKind::Mobile => "mobile",
                PiiKind::Landline => "landline",
                PiiKind::BankCard => "card",
                PiiKind::Email => "email",
            };
            *kinds.entry(kind).or_default() += 1;
        }
        // Already masked numbers are not personal data any more.
        if let Some(masked) = r.extra.get("phone_masked") {
            assert!(pii::find(masked.as_str().unwrap()).is_empty(), "{masked}");
        }
    }
    assert_eq!(with_data, 36, "30 contents and 6 replies");
    assert_eq!(
        kinds,
        BTreeMap::from([
            ("card", 7),
            ("email", 4),
            ("id", 14),
            ("landline", 4),
            ("mobile", 25)
        ])
    );
}

#[test]
fn masked_sample_records_hold_no_personal_data() {
    let masker = Masker::new(b"sample secret");
    for r in sample() {
        let m = masker.record(&r);
        for text in [Some(m.content.as_str()), m.reply.as_deref()]
            .into_iter()
            .flatten()
        {
            assert_eq!(pii::find(text), vec![], "{}: {text}", r.id);
        }
        assert_eq!(
            m.submitter.as_deref().map(|s| s.starts_with("访客-")),
            Some(true)
        );
    }
}
