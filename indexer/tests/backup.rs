//! Backups taken while a writer commits: every copy is a whole commit, vectors included.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use minyi_indexer::vectors::RecordVectors;
use minyi_indexer::{EmbeddingModel, MinyiIndex, backup};

mod common;
use common::{HashEmbedder, record};

fn model() -> EmbeddingModel {
    EmbeddingModel {
        name: "hash".into(),
        embedder: Arc::new(HashEmbedder),
    }
}

/// Opens `dir` and checks that every live record points at a vector the store holds.
fn records_with_vectors(dir: &Path) -> u64 {
    let index = MinyiIndex::open(dir).expect("the copy opens");
    let store = index.vectors().expect("the copy has its vectors");
    let searcher = index.reader().unwrap().searcher();
    let vectors = RecordVectors::new(&searcher).unwrap();
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        for doc in segment.doc_ids_alive() {
            let id = vectors
                .of(tantivy::DocAddress::new(ord as u32, doc))
                .unwrap();
            assert!(
                (id as usize) < store.len(),
                "vector {id} missing from the copy"
            );
        }
    }
    searcher.num_docs()
}

#[test]
fn backups_during_commits_are_whole_commits_with_their_vectors() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("idx");
    let index = MinyiIndex::open_or_create(&path, None).unwrap();
    let model = model();
    let mut writer = index.writer(Some(&model)).unwrap();
    // Enough vectors for the store to dump its graph.
    for i in 0..3000 {
        writer
            .upsert(&record(&format!("A{i}"), &format!("第{i}号电梯故障")))
            .unwrap();
    }
    writer.commit().unwrap();
    assert!(path.join("vectors/graph.json").exists());

    let committed = Arc::new(AtomicU64::new(3000));
    let stop = Arc::new(AtomicBool::new(false));
    let writing = {
        let (committed, stop) = (committed.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut k = 0;
            while !stop.load(Ordering::SeqCst) {
                for _ in 0..50 {
                    writer
                        .upsert(&record(&format!("B{k}"), &format!("新来件{k}")))
                        .unwrap();
                    // Replacing records leaves their old vectors unreferenced in the log.
                    writer
                        .upsert(&record(&format!("A{}", k % 3000), "改过的来件"))
                        .unwrap();
                    k += 1;
                }
                writer.commit().unwrap();
                committed.store(3000 + k, Ordering::SeqCst);
            }
        })
    };
    for attempt in 0..5 {
        let before = committed.load(Ordering::SeqCst);
        // At least one commit lands during each copy's lifetime.
        while committed.load(Ordering::SeqCst) == before {
            std::thread::yield_now();
        }
        let low = committed.load(Ordering::SeqCst);
        let out = dir.path().join(format!("copy{attempt}"));
        let report = backup(&path, &out).unwrap();
        let high = committed.load(Ordering::SeqCst);
        let records = records_with_vectors(&out);
        assert_eq!(records, report.records);
        assert!(
            (low..=high + 50).contains(&records),
            "copy {attempt}: {records} records, the writer had committed {low} to {high}"
        );
    }
    stop.store(true, Ordering::SeqCst);
    writing.join().unwrap();
}
