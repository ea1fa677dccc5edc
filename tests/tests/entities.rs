//! Names learned from the records: whole words in search and highlights, however late they were
//! learned; a facet, a filter and a region for records that have none; the place in issue labels.

use std::io::Write;

use minyi_e2e::{TestServer, hit_ids, known_issues, sample_corpus};
use minyi_indexer::analyzer::{JiebaTokenizer, Mode, load_jieba};
use serde_json::{Value, json};

async fn get_json(server: &TestServer, path: &str) -> Value {
    let (status, body) = server.get(path).await;
    assert_eq!(status, 200, "{path}: {body}");
    body
}

/// How jieba cuts `text` before any name is learned.
fn plain_cut(text: &str) -> Vec<String> {
    JiebaTokenizer::new(load_jieba(None).unwrap(), Mode::Query)
        .tokens(text)
        .into_iter()
        .map(|t| t.text)
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_invented_estate_is_learned_searched_and_highlighted_whole() {
    assert!(plain_cut("锦程华府").len() > 1, "jieba alone cuts the name");
    let server = TestServer::sample().await;
    let sample = std::fs::read_to_string(sample_corpus()).unwrap();
    // Search reads titles and contents (replies only on request).
    let containing = sample
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|r| format!("{}{}", r["title"], r["content"]).contains("锦程华府"))
        .count();
    let body = get_json(&server, "/api/search?q=锦程华府&limit=100").await;
    assert_eq!(body["total"].as_u64().unwrap() as usize, containing);
    for hit in body["hits"].as_array().unwrap() {
        let html = format!("{}{}", hit["title_html"], hit["snippet_html"]);
        if html.contains("<em>") {
            assert!(
                html.contains("<em>锦程华府</em>"),
                "highlighted whole: {html}"
            );
        }
        let names: Vec<&str> = hit["entities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["name"].as_str().unwrap())
            .collect();
        assert!(names.contains(&"锦程华府"), "{names:?}");
    }
    let facets = &body["facets"]["entity"];
    assert!(
        facets
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["value"] == "锦程华府"),
        "{facets}"
    );
    let filtered = get_json(&server, "/api/search?entity=锦程华府&limit=100").await;
    assert_eq!(filtered["total"], body["total"]);
    // A record's own page names it too.
    let id = body["hits"][0]["id"].as_str().unwrap();
    let record = get_json(&server, &format!("/api/records/{id}")).await;
    assert_eq!(record["id"], id);
    let names: Vec<&str> = record["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"锦程华府"), "{names:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn issue_labels_name_the_place_and_the_problem() {
    let server = TestServer::sample().await;
    let list = get_json(&server, "/api/issues?limit=50").await;
    let ids = &known_issues()["qingshan-xingfuli-construction-noise"];
    let issue = list["issues"]
        .as_array()
        .unwrap()
        .iter()
        .max_by_key(|i| {
            i["record_ids"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|r| ids.contains(&r.as_str().unwrap().to_string()))
                .count()
        })
        .unwrap();
    let label = issue["label"].as_str().unwrap();
    let entity = issue["entity"]["name"].as_str().unwrap_or_default();
    assert!(
        entity.contains("幸福里") || entity.contains("锦程华府"),
        "{entity} / {label}"
    );
    assert!(
        label.starts_with(entity) && label.contains(" · "),
        "{label}"
    );
    assert!(!issue["problem"].as_str().unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_name_learned_later_finds_the_records_indexed_before_it() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, rows: &[Value]| {
        let path = dir.path().join(name);
        let mut f = std::fs::File::create(&path).unwrap();
        for r in rows {
            writeln!(f, "{r}").unwrap();
        }
        path
    };
    let record = |id: &str, text: &str| json!({"id": id, "content": text});
    // One record alone does not make a name.
    let first = write(
        "first.jsonl",
        &[record(
            "E1",
            "临河县瑞丰源建材公司的搅拌站晚上一直响，吵得睡不着。",
        )],
    );
    let later = write(
        "later.jsonl",
        &[
            record(
                "E2",
                "瑞丰源建材公司搅拌站粉尘很大，临河县这边衣服都不敢晒。",
            ),
            record("E3", "投诉瑞丰源建材公司，搅拌站的罐车把路压坏了。"),
            record("E4", "临河县石门村旁边瑞丰源建材公司半夜生产，噪音扰民。"),
            record("E5", "请环保部门查一查瑞丰源建材公司的搅拌站有没有环评。"),
        ],
    );
    assert!(plain_cut("瑞丰源建材公司").len() > 1);
    // Two imports into one index: the name is learned by the second.
    let server = TestServer::start_in_steps(&[vec![first], vec![later]]).await;
    let body = get_json(&server, "/api/search?q=瑞丰源建材公司&limit=10").await;
    let mut ids = hit_ids(&body);
    ids.sort();
    assert_eq!(ids, ["E1", "E2", "E3", "E4", "E5"]);
    let e1 = body["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["id"] == "E1")
        .unwrap();
    assert!(
        e1["snippet_html"]
            .as_str()
            .unwrap()
            .contains("<em>瑞丰源建材公司</em>"),
        "{e1}"
    );
    assert_eq!(e1["inferred_region"], "临河县");
    let by_region = get_json(&server, "/api/search?region=临河县&limit=10").await;
    assert!(
        hit_ids(&by_region).contains(&"E1".to_string()),
        "{by_region}"
    );
    // An issue's spread counts each record without a region in the district its text names.
    let issues = get_json(&server, "/api/issues?entity=瑞丰源建材公司&min_size=2").await;
    let mut naming_district = 0;
    for issue in issues["issues"].as_array().unwrap() {
        let members = issue["record_ids"].as_array().unwrap();
        let expected = members
            .iter()
            .filter(|id| ["E1", "E2", "E4"].contains(&id.as_str().unwrap()))
            .count();
        let counted: u64 = issue["regions"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["value"] == "临河县")
            .map(|r| r["count"].as_u64().unwrap())
            .sum();
        assert_eq!(counted, expected as u64, "{issue}");
        naming_district += expected;
    }
    assert!(naming_district >= 2, "{issues}");
}
