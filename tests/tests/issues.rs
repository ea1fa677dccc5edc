//! 类案 over the sample corpus, through the HTTP API: the known recurring issues come out as
//! separate groups, with their statistics, spikes, stable ids, exports and the law view.

use std::collections::HashSet;

use minyi_e2e::{TestServer, known_issues};
use serde_json::{Value, json};

async fn get_json(server: &TestServer, path: &str) -> Value {
    let (status, body) = server.get(path).await;
    assert_eq!(status, 200, "{path}: {body}");
    body
}

/// The found issue holding most of `ids`: (rank, issue).
fn best_match<'a>(issues: &'a [Value], ids: &[String]) -> (usize, &'a Value, usize) {
    issues
        .iter()
        .enumerate()
        .map(|(rank, issue)| {
            let members: HashSet<&str> = issue["record_ids"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect();
            (
                rank,
                issue,
                ids.iter()
                    .filter(|id| members.contains(id.as_str()))
                    .count(),
            )
        })
        .max_by_key(|(rank, _, overlap)| (*overlap, std::cmp::Reverse(*rank)))
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn known_recurring_issues_come_out_as_separate_top_groups() {
    // The default configuration: records embedded with the default model.
    let server = TestServer::sample_semantic().await;
    let list = get_json(&server, "/api/issues?limit=50").await;
    let issues = list["issues"].as_array().unwrap();
    let mut matched = HashSet::new();
    for (name, ids) in known_issues() {
        let (rank, issue, overlap) = best_match(issues, &ids);
        let size = issue["size"].as_u64().unwrap() as usize;
        assert!(
            overlap * 3 >= ids.len() * 2,
            "{name}: only {overlap} of {} records in one group",
            ids.len()
        );
        assert!(
            overlap * 10 >= size * 9,
            "{name}: the group has {size} records, {overlap} of them this issue's"
        );
        assert!(rank < 15, "{name} ranks {}", rank + 1);
        assert!(
            matched.insert(issue["id"].as_str().unwrap().to_string()),
            "{name} shares a group with another issue"
        );
        assert_eq!(issue["record_ids"].as_array().unwrap().len(), size);
    }
    assert_eq!(list["total_records"], 691);
    let again = get_json(&server, "/api/issues?limit=50").await;
    assert_eq!(again["issues"], list["issues"], "grouping is deterministic");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_issue_shows_its_statistics_and_the_surge_is_flagged() {
    let server = TestServer::sample_semantic().await;
    let list = get_json(&server, "/api/issues?limit=50").await;
    let known = known_issues();
    let ids = &known["flexible-employment-social-insurance-base"];
    let (_, issue, _) = best_match(list["issues"].as_array().unwrap(), ids);
    let label = issue["label"].as_str().unwrap();
    assert!(
        label.contains("社保") || label.contains("缴费基数") || label.contains("灵活就业"),
        "{label}"
    );
    let spike = &issue["spike"];
    assert!(
        spike["week"].as_str().unwrap().starts_with("2025-W"),
        "{issue}"
    );
    assert!(spike["count"].as_u64().unwrap() >= 5);
    let july: u64 = issue["monthly"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["month"] == "2025-07")
        .map(|m| m["count"].as_u64().unwrap())
        .sum();
    assert!(july >= 20, "{}", issue["monthly"]);
    let weekly_total: u64 = issue["weekly"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["count"].as_u64().unwrap())
        .sum();
    assert_eq!(
        weekly_total as usize,
        issue["size"].as_u64().unwrap() as usize
    );
    let spikes = list["category_spikes"].as_array().unwrap();
    assert!(
        spikes.iter().any(|s| s["category"] == "劳动和社会保障"),
        "{spikes:?}"
    );

    let water = &known["linhe-liutang-village-water"];
    let (_, issue, _) = best_match(list["issues"].as_array().unwrap(), water);
    assert_eq!(issue["regions"][0]["value"], "临河县");
    assert!(
        issue["repeat_submitters"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["count"].as_u64().unwrap() >= 2),
        "the same villager wrote three times: {}",
        issue["repeat_submitters"]
    );
    assert!(!issue["replies"].as_array().unwrap().is_empty());
    assert!(issue["first_at"].as_str().unwrap() <= issue["last_at"].as_str().unwrap());
    let rep = issue["representative"]["id"].as_str().unwrap();
    assert!(
        issue["record_ids"]
            .as_array()
            .unwrap()
            .iter()
            .any(|id| id == rep)
    );

    let detail = get_json(
        &server,
        &format!("/api/issues/{}", issue["id"].as_str().unwrap()),
    )
    .await;
    let members: Vec<&str> = detail["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    let listed: Vec<&str> = issue["record_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(members, listed);
    assert_eq!(
        server
            .http
            .get(server.url("/api/issues/I000000000000"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn issue_ids_stay_when_records_are_added() {
    let server = TestServer::sample().await;
    let before = get_json(&server, "/api/issues?limit=50").await;
    let ids = &known_issues()["jiangnan-binjiang-park-square-dance"];
    let (_, issue, _) = best_match(before["issues"].as_array().unwrap(), ids);
    let (id, size) = (
        issue["id"].as_str().unwrap().to_string(),
        issue["size"].as_u64().unwrap(),
    );

    let new = json!([{"id": "NEW-DANCE", "title": "滨江公园广场舞音响太吵", "content": "滨江公园晚上广场舞音响声音太大，孩子没法写作业，请城管管一管。",
                      "region": "江南区", "submitted_at": "2025-12-20 20:30:00", "kind": "12345热线"}]);
    let (status, _) = server
        .post_records("application/json", new.to_string())
        .await;
    assert_eq!(status, 200);

    let after = get_json(&server, "/api/issues?limit=50").await;
    let grown = after["issues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id.as_str())
        .expect("the issue keeps its id");
    assert_eq!(grown["size"].as_u64().unwrap(), size + 1);
    assert!(
        grown["record_ids"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r == "NEW-DANCE")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn filters_narrow_the_selection() {
    let server = TestServer::sample().await;
    let list = get_json(&server, "/api/issues?region=江南区&min_size=5").await;
    assert!(list["total_records"].as_u64().unwrap() < 691);
    for issue in list["issues"].as_array().unwrap() {
        assert!(issue["size"].as_u64().unwrap() >= 5);
        let regions: Vec<&str> = issue["regions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["value"].as_str().unwrap())
            .collect();
        assert_eq!(regions, ["江南区"]);
    }
    let dated = get_json(&server, "/api/issues?from=2025-07-01&to=2025-07-31").await;
    assert_eq!(dated["as_of"], "2025-07-31");
    let response = server
        .http
        .get(server.url("/api/issues?min_size=0"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
}

#[tokio::test(flavor = "multi_thread")]
async fn issue_lists_export_as_csv_and_markdown() {
    let server = TestServer::sample().await;
    let list = get_json(&server, "/api/issues?limit=5").await;
    let response = server
        .http
        .get(server.url("/api/issues/export.csv?limit=5"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("issues.csv")
    );
    let csv = response.text().await.unwrap();
    let mut rows = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = rows.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(&header[..4], ["排名", "编号", "问题", "件数"]);
    let rows: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 5);
    for (row, issue) in rows.iter().zip(list["issues"].as_array().unwrap()) {
        assert_eq!(&row[1], issue["id"].as_str().unwrap());
        assert_eq!(
            row[3].parse::<u64>().unwrap(),
            issue["size"].as_u64().unwrap()
        );
        assert_eq!(
            row[18].split(' ').count(),
            issue["record_ids"].as_array().unwrap().len()
        );
    }

    let md = server
        .http
        .get(server.url("/api/issues/export.md?limit=5"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(md.starts_with("# 问题清单"));
    for issue in list["issues"].as_array().unwrap() {
        assert!(md.contains(issue["label"].as_str().unwrap()), "{md}");
        assert!(md.contains(issue["representative"]["id"].as_str().unwrap()));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_law_view_groups_opinions_by_article() {
    let server = TestServer::sample().await;
    let laws = get_json(&server, "/api/laws").await;
    let laws = laws.as_array().unwrap();
    assert_eq!(laws.len(), 3);
    let civil = laws
        .iter()
        .find(|l| l["law"] == "某市文明行为促进条例（草案）")
        .unwrap();
    let articles: Vec<&str> = civil["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["article"].as_str().unwrap())
        .collect();
    assert_eq!(&articles[..3], ["第九条", "第十二条", "第十五条"]);
    let mut sum = 0;
    for article in civil["articles"].as_array().unwrap() {
        let grouped: u64 = article["issues"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["size"].as_u64().unwrap())
            .sum();
        let singles = article["single_ids"].as_array().unwrap().len() as u64;
        assert_eq!(grouped + singles, article["total"].as_u64().unwrap());
        sum += article["total"].as_u64().unwrap();
        let search = get_json(
            &server,
            &format!(
                "/api/search?law={}&article={}&limit=1",
                civil["law"].as_str().unwrap(),
                article["article"].as_str().unwrap()
            ),
        )
        .await;
        assert_eq!(search["total"], article["total"]);
    }
    assert_eq!(sum, civil["total"].as_u64().unwrap());
}
