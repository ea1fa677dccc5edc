//! Faults while the index is being written by the server or by `minyi reindex --vectors`,
//! caused for real with SIGKILL: afterwards the index opens, every committed record is there
//! and searchable, the vectors and the full-text index agree, and the writer lock is free.

use std::io::Write;
use std::net::TcpStream;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::time::{Duration, Instant};

use minyi_engine::{Engine, Mode, SearchRequest};

mod common;
use common::{
    assert_every_record_has_its_vector, index_with_token, minyi, model_file, request, serve,
};

/// Ids of the hits of a semantic search for `text`.
fn semantic_hits(engine: &Engine, text: &str) -> Vec<String> {
    let request = SearchRequest {
        q: text.into(),
        mode: Some(Mode::Semantic),
        limit: 50,
        ..Default::default()
    };
    engine
        .search(&request)
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.id)
        .collect()
}

#[test]
fn sigkill_of_the_server_mid_ingest_loses_nothing_committed() {
    let Some(model) = model_file() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let staff = index_with_token(dir.path(), &index, 150, Some(&model));
    let admin = minyi_store::Store::open(&index)
        .unwrap()
        .add_token("ops", minyi_store::Role::Admin, &[])
        .unwrap()
        .secret;
    let model_arg = model.to_str().unwrap();
    let (mut server, addr) = serve(&index, &["--model", model_arg]);

    let kept = r#"[{"id": "KEEP-1", "content": "排水井盖丢失，夜里有行人踩空摔伤"}]"#;
    assert_eq!(request(addr, &staff, "POST", "/api/records", kept).0, 200);
    assert_eq!(
        request(addr, &admin, "DELETE", "/api/records/R5", "").0,
        204
    );

    // A large body: embedding its records takes the server far longer than the wait below.
    let big: Vec<_> = (0..3000)
        .map(|i| serde_json::json!({"id": format!("BIG{i}"), "content": format!("暴雨后地下车库进水，车辆被淹第{i}辆")}))
        .collect();
    let big = serde_json::to_string(&big).unwrap();
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "POST /api/records HTTP/1.1\r\nHost: minyi\r\nContent-Type: application/json\r\n\
         Authorization: Bearer {staff}\r\nContent-Length: {}\r\n\r\n{big}",
        big.len()
    )
    .unwrap();
    std::thread::sleep(Duration::from_secs(3));
    assert!(server.0.try_wait().unwrap().is_none(), "still ingesting");
    server.0.kill().unwrap();
    assert_eq!(server.0.wait().unwrap().signal(), Some(9));
    drop(server);

    assert_eq!(assert_every_record_has_its_vector(&index), 150);
    let engine = Engine::open(&index, minyi::model::load(&model, None).ok())
        .expect("the index opens and its writer lock is free");
    assert!(engine.semantic_available());
    assert!(engine.get("KEEP-1").unwrap().is_some());
    assert!(engine.get("R5").unwrap().is_none());
    assert!(engine.get("BIG0").unwrap().is_none());
    let hits = semantic_hits(&engine, "排水井盖丢失，夜里有行人踩空摔伤");
    assert_eq!(hits.first().map(String::as_str), Some("KEEP-1"), "{hits:?}");
    let r5 = "我们小区的物业和停车问题长期得不到解决，希望有关部门尽快处理。";
    let hits = semantic_hits(&engine, r5);
    assert!(!hits.is_empty());
    assert!(
        !hits.iter().any(|id| id == "R5" || id.starts_with("BIG")),
        "no vector serves a deleted or uncommitted record: {hits:?}"
    );
    drop(engine);

    // The next server takes the writer lock and writes.
    let (_server, addr) = serve(&index, &["--model", model_arg]);
    let after = r#"[{"id": "AFTER-1", "content": "路灯恢复后又坏了"}]"#;
    assert_eq!(request(addr, &staff, "POST", "/api/records", after).0, 200);
}

fn vector_folders(index: &Path) -> Vec<String> {
    std::fs::read_dir(index)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("vectors"))
        .collect()
}

#[test]
fn sigkill_mid_reindex_keeps_the_old_vectors_and_the_rerun_completes() {
    let Some(model) = model_file() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let n = 1000;
    index_with_token(dir.path(), &index, n, Some(&model));
    let before = vector_folders(&index);
    let reindex = || {
        let mut command = minyi();
        command
            .args(["reindex", "--vectors", "--model"])
            .arg(&model)
            .arg("--index")
            .arg(&index);
        command
    };

    let mut child = reindex().spawn().unwrap();
    // Once the new vector folder is there, re-embedding has begun.
    let started = Instant::now();
    while vector_folders(&index).len() <= before.len() {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the reindex began"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_secs(1));
    assert!(child.try_wait().unwrap().is_none(), "still reindexing");
    child.kill().unwrap();
    assert_eq!(child.wait().unwrap().signal(), Some(9));

    assert_eq!(assert_every_record_has_its_vector(&index), n as u64);
    let engine = Engine::open(&index, minyi::model::load(&model, None).ok())
        .expect("the index opens and its writer lock is free");
    assert!(engine.semantic_available());
    let hits = semantic_hits(&engine, "小区路灯不亮");
    assert!(!hits.is_empty());
    drop(engine);

    let out = reindex().output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(assert_every_record_has_its_vector(&index), n as u64);
    assert_eq!(
        vector_folders(&index).len(),
        1,
        "the killed run's folder is gone"
    );
}
