//! A staff member scoped to districts imports only records of those districts: a row of another
//! district, a row without a region, and a row that would replace another district's record are
//! rejected with their line and reason, and the good rows around them are written.

use minyi_e2e::TestServer;
use minyi_store::Role;
use serde_json::{Value, json};

async fn import(client: &reqwest::Client, server: &TestServer, kind: &str, body: String) -> Value {
    let response = client
        .post(server.url("/api/records"))
        .header("content-type", kind)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

fn rejects(report: &Value) -> Vec<(u64, String, String)> {
    report["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let id = r["id"].as_str().unwrap_or_default().to_string();
            let reason = r["reason"].as_str().unwrap().to_string();
            (r["line"].as_u64().unwrap(), id, reason)
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_scoped_importer_writes_only_records_of_their_districts() {
    let server = TestServer::sample().await;
    let (_, other) = server.get("/api/search?region=江南区&limit=1").await;
    let theirs = other["hits"][0]["id"].as_str().unwrap().to_string();
    let before = server.engine.get(&theirs).unwrap().unwrap();
    let desk = server.client_as("qingshan-desk", Role::Staff, &["青山区"]);
    let rows = [
        json!({"id": "SCOPE-1", "content": "青山区翠屏路路灯不亮", "region": "青山区"}),
        json!({"id": "SCOPE-2", "content": "江南区的来件", "region": "江南区"}),
        json!({"id": "SCOPE-3", "content": "没有区县的来件"}),
        json!({"id": theirs, "content": "改写别区的来件", "region": "青山区"}),
        json!({"id": "SCOPE-5", "content": "青山区第二条好记录", "region": "青山区"}),
    ];
    let body = rows.iter().map(|r| format!("{r}\n")).collect();
    let report = import(&desk, &server, "application/x-ndjson", body).await;
    assert_eq!(report["accepted"], 2, "{report}");
    let rejected = rejects(&report);
    assert_eq!(
        rejected
            .iter()
            .map(|(line, id, _)| (*line, id.as_str()))
            .collect::<Vec<_>>(),
        [(2, "SCOPE-2"), (3, "SCOPE-3"), (4, theirs.as_str())],
        "{report}"
    );
    assert!(rejected[0].2.contains("江南区") && rejected[0].2.contains("outside your districts"));
    assert!(rejected[1].2.contains("no `region`"), "{}", rejected[1].2);
    assert!(
        rejected[2].2.contains("may not be replaced"),
        "{}",
        rejected[2].2
    );
    for id in ["SCOPE-1", "SCOPE-5"] {
        assert!(server.engine.get(id).unwrap().is_some(), "{id}");
    }
    for id in ["SCOPE-2", "SCOPE-3"] {
        assert!(server.engine.get(id).unwrap().is_none(), "{id}");
    }
    assert_eq!(server.engine.get(&theirs).unwrap().unwrap(), before);

    // CSV: the reject names the file's own line (the header is line 1).
    let csv = "id,content,region\nSCOPE-6,青山区的CSV来件,青山区\nSCOPE-7,江南区的CSV来件,江南区\n";
    let report = import(&desk, &server, "text/csv", csv.to_string()).await;
    assert_eq!(report["accepted"], 1, "{report}");
    assert_eq!(rejects(&report)[0].0, 3, "{report}");

    // Unscoped staff still import records without a region.
    let all = server.client_as("city-desk", Role::Staff, &[]);
    let row = json!({"id": "SCOPE-8", "content": "没有区县的来件"}).to_string();
    let report = import(&all, &server, "application/json", row).await;
    assert_eq!(report["accepted"], 1, "{report}");
}
