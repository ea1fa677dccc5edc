//! A damaged or foreign file in an index folder is refused at open, with the file named.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use minyi_indexer::{EmbeddingModel, MinyiIndex};

mod common;
use common::{HashEmbedder, record};

/// An index of a few records with vectors and learned names, closed again.
fn build() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("idx");
    let index = MinyiIndex::open_or_create(&path, None).unwrap();
    let model = EmbeddingModel {
        name: "length".into(),
        embedder: Arc::new(HashEmbedder),
    };
    let mut writer = index.writer(Some(&model)).unwrap();
    for i in 0..40 {
        let record = record(
            &format!("D{i}"),
            &format!("魅力之城小区第{i}栋电梯坏了，魅力之城物业不管"),
        );
        writer.upsert(&record).unwrap();
    }
    writer.commit().unwrap();
    drop(writer);
    index.learn_names().unwrap();
    (dir, path)
}

/// Opens the index after `damage` and returns the error's message.
fn open_after(damage: impl FnOnce(&Path)) -> String {
    let (_dir, path) = build();
    MinyiIndex::open(&path).expect("the intact index opens");
    damage(&path);
    match MinyiIndex::open(&path) {
        Ok(_) => panic!("a damaged index opened"),
        Err(e) => e.to_string(),
    }
}

fn truncate(path: &Path, len: u64) {
    std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .unwrap()
        .set_len(len)
        .unwrap();
}

fn assert_names(err: &str, file: &str) {
    assert!(err.contains(file), "the message names {file}: {err}");
}

#[test]
fn a_truncated_manifest_is_named() {
    let err = open_after(|dir| truncate(&dir.join("minyi.json"), 20));
    assert_names(&err, "minyi.json");
}

#[test]
fn a_foreign_vectors_file_is_named() {
    let err =
        open_after(|dir| std::fs::write(dir.join("vectors/vectors.log"), b"GIF89a...").unwrap());
    assert_names(&err, "vectors/vectors.log");
    assert!(err.contains("not a minyi vector log"), "{err}");
}

#[test]
fn a_vectors_file_cut_short_of_the_records_is_named() {
    // The header and 10 vectors of 4 numbers: 30 records point past the end.
    let err = open_after(|dir| truncate(&dir.join("vectors/vectors.log"), 16 + 10 * 16));
    assert_names(&err, "vectors/vectors.log");
    assert!(err.contains("holds 10 vectors"), "{err}");
}

#[test]
fn a_corrupted_names_file_is_named_with_its_line() {
    let err = open_after(|dir| {
        std::fs::write(
            dir.join("names.tsv"),
            "魅力之城\testate\t40\n物业\t\u{0}\u{1}\n",
        )
        .unwrap()
    });
    assert_names(&err, "names.tsv");
    assert!(err.contains("line 2"), "{err}");
    let err =
        open_after(|dir| std::fs::write(dir.join("names.tsv"), [0xff, 0xfe, 0x00, 0x9c]).unwrap());
    assert_names(&err, "names.tsv");
}

#[test]
fn a_damaged_full_text_index_is_named() {
    let err = open_after(|dir| {
        std::fs::write(dir.join("tantivy/meta.json"), "{\"segments\": [").unwrap()
    });
    assert_names(&err, "meta.json");
    let err = open_after(|dir| {
        let store = std::fs::read_dir(dir.join("tantivy"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|x| x == "store"))
            .unwrap();
        truncate(&store, 3);
    });
    assert_names(&err, ".store");
}

#[test]
fn a_damaged_graph_state_is_named() {
    let err = open_after(|dir| std::fs::write(dir.join("vectors/graph.json"), "not json").unwrap());
    assert_names(&err, "graph.json");
}
