//! A hybrid search's total counts each matching record once: never more than the index holds.

use std::sync::Arc;

use minyi::bench::build_index;
use minyi::bench::vectors::BigramHash;
use minyi_corpus::{FieldMapping, Record};
use minyi_engine::{Engine, Mode, SearchRequest};
use minyi_indexer::EmbeddingModel;

fn record(i: usize) -> Record {
    // Every record mentions 问题; the even ones 路灯 too.
    let topic = if i.is_multiple_of(2) {
        "路灯不亮"
    } else {
        "电梯故障"
    };
    let fields = serde_json::json!({
        "id": format!("H{i}"),
        "content": format!("{topic}。第{i}号来件，问题编号{}", i * 7919 % 1000),
    });
    Record::from_fields(
        fields.as_object().unwrap().clone(),
        &FieldMapping::default(),
    )
    .unwrap()
}

#[test]
fn hybrid_totals_count_each_record_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("index");
    let model = EmbeddingModel {
        name: "bigram-hash".into(),
        embedder: Arc::new(BigramHash),
    };
    // More records than the fusion depth (200), so semantic hits fall beyond the lexical list.
    let n = 500;
    build_index(&path, (0..n).map(record), Some(&model), |_, _| {}).unwrap();
    let engine = Engine::open(&path, Some(model)).unwrap();
    let total = |q: &str, mode| {
        let req = SearchRequest {
            q: q.into(),
            mode: Some(mode),
            limit: 10,
            ..Default::default()
        };
        engine.search(&req).unwrap().total
    };
    assert_eq!(total("问题", Mode::Lexical), n);
    assert_eq!(
        total("问题", Mode::Hybrid),
        n,
        "every record matches the words"
    );
    let lexical = total("路灯", Mode::Lexical);
    assert_eq!(lexical, n / 2);
    let hybrid = total("路灯", Mode::Hybrid);
    assert!(
        (lexical..=n).contains(&hybrid),
        "hybrid total {hybrid}: the {lexical} word matches and the semantic hits, at most {n}"
    );
}
