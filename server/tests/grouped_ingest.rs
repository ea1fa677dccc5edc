//! Concurrent `POST /api/records` through a real server share commits, and every record a
//! request was answered 200 for survives the server being killed right after.

use std::os::unix::process::ExitStatusExt;

use minyi_engine::{Engine, SearchRequest};

mod common;
use common::{index_with_token, request, serve};

#[test]
fn concurrent_one_record_posts_are_all_durable_after_a_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let token = index_with_token(dir.path(), &index, 300, None);
    let (mut server, addr) = serve(&index, &["--no-model"]);

    let (clients, each) = (24u64, 6u64);
    let posting: Vec<_> = (0..clients)
        .map(|c| {
            let token = token.clone();
            std::thread::spawn(move || {
                for k in 0..each {
                    let id = format!("C{c}-{k}");
                    let body = serde_json::json!([
                        {"id": id, "title": "并发提交", "content": format!("井盖松动{id}号，请尽快维修")},
                    ])
                    .to_string();
                    let (status, _, answer) = request(addr, &token, "POST", "/api/records", &body);
                    assert_eq!(status, 200, "{answer}");
                    assert!(answer.contains(r#""accepted":1"#), "{answer}");
                }
            })
        })
        .collect();
    // Rejects are still per request while others commit.
    let bad = r#"[{"id": "BAD-1"}, {"id": "GOOD-1", "content": "井盖松动，请维修"}]"#;
    let (status, _, answer) = request(addr, &token, "POST", "/api/records", bad);
    assert_eq!(status, 200, "{answer}");
    assert!(
        answer.contains(r#""accepted":1"#) && answer.contains("BAD-1"),
        "{answer}"
    );
    let (status, _, answer) = request(addr, &token, "POST", "/api/records", r#"[{"id": "BAD-2"}]"#);
    assert_eq!(status, 422, "{answer}");
    for client in posting {
        client.join().unwrap();
    }

    // No graceful shutdown: what was answered must already be on disk.
    server.0.kill().unwrap();
    assert_eq!(server.0.wait().unwrap().signal(), Some(9));
    drop(server);

    let engine = Engine::open(&index, None).expect("the index opens after the kill");
    assert_eq!(engine.len(), 300 + clients * each + 1);
    for c in 0..clients {
        for k in 0..each {
            assert!(
                engine.get(&format!("C{c}-{k}")).unwrap().is_some(),
                "C{c}-{k}"
            );
        }
    }
    assert!(engine.get("BAD-1").unwrap().is_none());
    let found = engine
        .search(&SearchRequest {
            q: "井盖松动".into(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        found.total as u64,
        clients * each + 1,
        "every one is searchable"
    );
}
