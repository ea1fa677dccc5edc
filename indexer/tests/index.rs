//! The index on disk: segmentation as searched, upserts, deletes, atomic commits, the manifest.

use minyi_corpus::{FieldMapping, Record};
use minyi_indexer::{IndexError, MinyiIndex};
use serde_json::json;
use tantivy::Term;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{PhraseQuery, Query, TermQuery};
use tantivy::schema::IndexRecordOption;

fn record(id: &str, content: &str) -> Record {
    let fields = json!({"id": id, "content": content, "submitted_at": "2024-05-01 08:00:00"});
    Record::from_fields(
        fields.as_object().unwrap().clone(),
        &FieldMapping::default(),
    )
    .unwrap()
}

fn build(records: &[Record]) -> (tempfile::TempDir, MinyiIndex) {
    let dir = tempfile::tempdir().unwrap();
    let index = MinyiIndex::open_or_create(&dir.path().join("idx"), None).unwrap();
    let mut writer = index.writer(None).unwrap();
    for r in records {
        writer.upsert(r).unwrap();
    }
    writer.commit().unwrap();
    (dir, index)
}

fn ids(index: &MinyiIndex, query: &dyn Query) -> Vec<String> {
    let searcher = index.reader().unwrap().searcher();
    let mut ids: Vec<String> = searcher
        .search(query, &TopDocs::with_limit(100).order_by_score())
        .unwrap()
        .into_iter()
        .map(|(_, a)| index.record(&searcher, a).unwrap().id)
        .collect();
    ids.sort();
    ids
}

fn term(index: &MinyiIndex, word: &str) -> TermQuery {
    TermQuery::new(
        Term::from_field_text(index.fields().content, word),
        IndexRecordOption::WithFreqsAndPositions,
    )
}

/// The phrase of `text`'s query tokens at their positions, as the query parser builds it.
fn phrase(index: &MinyiIndex, text: &str) -> PhraseQuery {
    let terms = index
        .query_tokenizer()
        .tokens(text)
        .into_iter()
        .map(|t| {
            (
                t.position,
                Term::from_field_text(index.fields().content, &t.text),
            )
        })
        .collect();
    PhraseQuery::new_with_offset(terms)
}

#[test]
fn parts_of_words_find_the_whole_word() {
    let (_d, index) = build(&[
        record("a", "我向基层立法联系点反映了情况"),
        record("b", "联络站收到意见"),
    ]);
    assert_eq!(ids(&index, &term(&index, "立法联系点")), ["a"]);
    assert_eq!(ids(&index, &term(&index, "联系点")), ["a"]);
    assert_eq!(ids(&index, &term(&index, "基层立法联系点")), ["a"]);
}

#[test]
fn phrases_match_adjacent_words_only() {
    let (_d, index) = build(&[
        record("a", "南京市长江大桥晚上施工噪音很大"),
        record("b", "长江边的大桥夜间施工"),
        record("c", "施工单位晚上噪音扰民"),
    ]);
    assert_eq!(ids(&index, &phrase(&index, "南京市长江大桥")), ["a"]);
    assert_eq!(ids(&index, &phrase(&index, "施工噪音")), ["a"]);
    assert_eq!(ids(&index, &phrase(&index, "晚上噪音")), ["c"]);
}

#[test]
fn full_width_text_is_found_by_half_width_queries() {
    let (_d, index) = build(&[record("a", "我拨打了１２３４５热线，ＡＢＣ小区")]);
    assert_eq!(ids(&index, &term(&index, "12345")), ["a"]);
    assert_eq!(ids(&index, &term(&index, "abc")), ["a"]);
}

#[test]
fn upsert_replaces_and_delete_removes() {
    let (_d, index) = build(&[record("a", "路灯不亮"), record("b", "路灯坏了")]);
    let mut writer = index.writer(None).unwrap();
    writer.upsert(&record("a", "广场舞太吵")).unwrap();
    writer.upsert(&record("a", "广场舞音响扰民")).unwrap();
    writer.delete("b").unwrap();
    writer.commit().unwrap();
    assert!(ids(&index, &term(&index, "路灯")).is_empty());
    assert_eq!(ids(&index, &term(&index, "扰民")), ["a"]);
    assert!(
        ids(&index, &term(&index, "太吵")).is_empty(),
        "the last version wins"
    );
    let searcher = index.reader().unwrap().searcher();
    assert_eq!(
        searcher.search(&tantivy::query::AllQuery, &Count).unwrap(),
        1
    );
}

#[test]
fn uncommitted_changes_are_lost_whole_and_the_last_commit_survives() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("idx");
    {
        let index = MinyiIndex::open_or_create(&path, None).unwrap();
        let mut writer = index.writer(None).unwrap();
        writer.upsert(&record("a", "电梯故障")).unwrap();
        writer.commit().unwrap();
        writer.upsert(&record("b", "电梯困人")).unwrap();
        writer.delete("a").unwrap();
        // Dropped without a commit, as a crash mid-import would.
    }
    let index = MinyiIndex::open(&path).unwrap();
    assert_eq!(ids(&index, &term(&index, "电梯")), ["a"]);
}

#[test]
fn one_writer_at_a_time() {
    let (_d, index) = build(&[]);
    let _first = index.writer(None).unwrap();
    assert!(matches!(index.writer(None), Err(IndexError::Locked { .. })));
}

#[test]
fn refuses_folders_that_are_not_indexes_or_of_another_format() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "x").unwrap();
    let err = MinyiIndex::open_or_create(dir.path(), None).err().unwrap();
    assert!(matches!(err, IndexError::NotAnIndex { .. }), "{err}");

    let path = dir.path().join("idx");
    drop(MinyiIndex::open_or_create(&path, None).unwrap());
    let manifest = path.join("minyi.json");
    let text = std::fs::read_to_string(&manifest).unwrap().replace(
        &format!("\"format_version\": {}", minyi_indexer::FORMAT_VERSION),
        "\"format_version\": 99",
    );
    std::fs::write(&manifest, text).unwrap();
    let err = MinyiIndex::open(&path).err().unwrap();
    assert!(err.to_string().contains("format version 99"), "{err}");
}

#[test]
fn stored_record_keeps_original_text_and_extras() {
    let fields =
        json!({"id": "x", "content": "\n\t\t原文　保留", "handling_department": "区城管局"});
    let r = Record::from_fields(
        fields.as_object().unwrap().clone(),
        &FieldMapping::default(),
    )
    .unwrap();
    let (_d, index) = build(std::slice::from_ref(&r));
    let searcher = index.reader().unwrap().searcher();
    let hits = searcher
        .search(
            &term(&index, "原文"),
            &TopDocs::with_limit(1).order_by_score(),
        )
        .unwrap();
    assert_eq!(index.record(&searcher, hits[0].1).unwrap(), r);
}

#[test]
fn a_first_import_learns_its_names_before_writing_them() {
    let sample =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../corpus/sample/records.jsonl");
    let records: Vec<Record> = minyi_corpus::RecordReader::open(&sample, &FieldMapping::default())
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let index = MinyiIndex::open_or_create(&dir.path().join("idx"), None).unwrap();
    let mut writer = index.writer(None).unwrap();
    for r in &records {
        writer.upsert(r).unwrap();
    }
    assert!(
        writer.learned_names().is_none(),
        "learned before the commit"
    );
    writer.commit().unwrap();
    let learned = writer
        .learned_names()
        .expect("an empty index learns at its first commit");
    drop(writer);
    assert!(learned.names > 20, "{learned:?}");
    assert_eq!(learned.resegmented, 0);
    // Written with the names already: the estate is one word in the index, and learning again
    // over the same records changes nothing and segments nothing again.
    let whole = ids(&index, &term(&index, "锦程华府"));
    assert!(whole.len() >= 3, "{whole:?}");
    let again = index.learn_names().unwrap();
    assert_eq!((again.changed, again.resegmented), (0, 0), "{again:?}");
    // A second writer of the now non-empty index writes at once and learns nothing itself.
    let mut writer = index.writer(None).unwrap();
    writer
        .upsert(&record("late", "锦程华府门口又堆满了垃圾"))
        .unwrap();
    writer.commit().unwrap();
    assert!(writer.learned_names().is_none());
}

#[test]
fn an_index_of_an_older_layout_is_upgraded_from_its_stored_records() {
    let records = [
        record("a", "翠屏路路灯不亮，晚上走路很危险"),
        record("b", "金桂苑电梯又坏了"),
    ];
    let (dir, index) = build(&records);
    drop(index);
    let path = dir.path().join("idx");
    // Pretend the index was written by the previous layout.
    let manifest_path = path.join("minyi.json");
    let mut manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&manifest_path).unwrap()).unwrap();
    let current = minyi_indexer::FORMAT_VERSION;
    manifest["format_version"] = json!(current - 1);
    std::fs::write(&manifest_path, manifest.to_string()).unwrap();
    let refused = MinyiIndex::open(&path)
        .err()
        .expect("an older layout is refused");
    assert!(refused.to_string().contains("minyi upgrade"), "{refused}");

    let report = MinyiIndex::upgrade(&path).unwrap();
    assert_eq!((report.from, report.records), (current - 1, 2));
    let index = MinyiIndex::open(&path).unwrap();
    assert_eq!(index.manifest().format_version, current);
    assert_eq!(ids(&index, &term(&index, "电梯")), ["b"]);
    let searcher = index.reader().unwrap().searcher();
    assert_eq!(searcher.num_docs(), 2);
    assert!(!path.join("tantivy.old").exists() && !path.join("tantivy.upgrading").exists());
    // Current already: nothing to do.
    drop(index);
    assert_eq!(MinyiIndex::upgrade(&path).unwrap().records, 0);
}
