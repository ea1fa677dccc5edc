//! A panic while an ingest group is written (here, in the embedding) fails that group's ingest
//! with an error instead of leaving it waiting for ever, commits none of its records, and leaves
//! the engine taking the next ingest.

use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;

use minyi_corpus::Record;
use minyi_engine::Engine;
use minyi_indexer::{EmbeddingModel, MinyiIndex};
use minyi_models::{Embedder, ModelError};

/// Panics on any text holding [`FAULT`]: a bug in the embedding, on purpose.
struct FaultyEmbedder;

const FAULT: &str = "触发故障";

impl Embedder for FaultyEmbedder {
    fn dim(&self) -> usize {
        2
    }

    fn embed_passages(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, ModelError> {
        texts.iter().map(|t| self.embed_query(t)).collect()
    }

    fn embed_query(&self, text: &str) -> Result<Vec<f32>, ModelError> {
        assert!(!text.contains(FAULT), "embedding bug");
        Ok(vec![0.6, 0.8])
    }
}

fn record(id: &str, content: &str) -> Record {
    serde_json::from_value(serde_json::json!({"id": id, "content": content})).expect("a record")
}

/// Ingests `record` on another thread; `None` when it has not answered within a minute.
fn ingest(engine: &Arc<Engine>, record: Record) -> Option<Result<(), String>> {
    let (sent, answer) = mpsc::channel();
    let engine = engine.clone();
    std::thread::spawn(move || {
        let outcome = engine.ingest(std::iter::once(Ok(record)));
        let _ = sent.send(outcome.map(|_| ()).map_err(|e| e.to_string()));
    });
    answer.recv_timeout(Duration::from_secs(60)).ok()
}

#[test]
fn a_panic_while_writing_fails_its_group_and_the_next_ingest_commits() {
    let dir = tempfile::tempdir().expect("temp dir");
    MinyiIndex::open_or_create(dir.path(), None).expect("create index");
    let model = EmbeddingModel {
        name: "faulty".into(),
        embedder: Arc::new(FaultyEmbedder),
    };
    let engine = Arc::new(Engine::open(dir.path(), Some(model)).expect("open engine"));

    let first = ingest(&engine, record("A1", "梧桐苑小区电梯故障停运"));
    assert_eq!(first, Some(Ok(())));

    let faulty = ingest(&engine, record("B1", &format!("滨江路路灯不亮{FAULT}")))
        .expect("the faulty ingest answers instead of waiting for ever");
    let error = faulty.expect_err("the faulty ingest fails");
    assert!(error.contains("panic"), "{error}");

    let next = ingest(&engine, record("C1", "翠湖路夜间施工噪音扰民"));
    assert_eq!(next, Some(Ok(())));
    assert!(engine.get("A1").expect("read").is_some());
    assert!(engine.get("C1").expect("read").is_some());
    assert!(
        engine.get("B1").expect("read").is_none(),
        "nothing of the failed group is committed"
    );
    assert_eq!(engine.len(), 2);
}
