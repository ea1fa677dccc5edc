//! The HTTP API over the sample corpus, through a real server on a loopback port.

use minyi_e2e::{TestServer, hit_ids};
use serde_json::{Value, json};

async fn search(server: &TestServer, query: &str) -> Value {
    let (status, body) = server.get(&format!("/api/search?{query}")).await;
    assert_eq!(status, 200, "{query}: {body}");
    body
}

fn texts(body: &Value) -> Vec<String> {
    body["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            format!(
                "{} {}",
                h["record"]["title"].as_str().unwrap_or(""),
                h["record"]["content"].as_str().unwrap()
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn search_highlights_counts_and_ranks() {
    let server = TestServer::sample().await;
    let body = search(&server, "q=广场舞&limit=50").await;
    let total = body["total"].as_u64().unwrap();
    assert!(
        total >= 25,
        "the square-dance issue alone has 33 records; got {total}"
    );
    for (hit, text) in body["hits"].as_array().unwrap().iter().zip(texts(&body)) {
        assert!(text.contains("广场舞"), "{text}");
        let html = format!(
            "{} {}",
            hit["title_html"].as_str().unwrap_or(""),
            hit["snippet_html"].as_str().unwrap()
        );
        assert!(html.contains("<em>广场舞</em>"), "{html}");
    }
    let scores: Vec<f64> = body["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["score"].as_f64().unwrap())
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    let regions = body["facets"]["region"].as_array().unwrap();
    assert_eq!(regions[0]["value"], "江南区", "{regions:?}");
    let facet_total: u64 = regions.iter().map(|r| r["count"].as_u64().unwrap()).sum();
    assert!(facet_total <= total);
    let months: Vec<&str> = body["histogram"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["month"].as_str().unwrap())
        .collect();
    assert!(months.windows(2).all(|w| w[0] < w[1]), "{months:?}");
    let month_total: u64 = body["histogram"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["count"].as_u64().unwrap())
        .sum();
    assert_eq!(month_total, total, "every sample record has a date");
}

#[tokio::test(flavor = "multi_thread")]
async fn unspaced_chinese_needs_every_word_not_adjacency() {
    let server = TestServer::sample().await;
    let body = search(&server, "q=广场舞音响&limit=100").await;
    assert!(body["total"].as_u64().unwrap() > 0);
    for text in texts(&body) {
        assert!(text.contains("广场舞") && text.contains("音响"), "{text}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn phrases_exclusions_fields_and_or() {
    let server = TestServer::sample().await;

    let phrase = search(&server, "q=%22夜间施工%22&limit=100").await;
    assert!(phrase["total"].as_u64().unwrap() > 0);
    for text in texts(&phrase) {
        assert!(text.contains("夜间施工"), "{text}");
    }

    let all = search(&server, "q=广场舞&limit=100").await;
    let excluded = search(&server, "q=广场舞 -滨江&limit=100").await;
    assert!(excluded["total"].as_u64() < all["total"].as_u64());
    for text in texts(&excluded) {
        assert!(!text.contains("滨江"), "{text}");
    }

    let fielded = search(&server, "q=region:青山区 路灯&limit=100").await;
    assert!(fielded["total"].as_u64().unwrap() > 0);
    for hit in fielded["hits"].as_array().unwrap() {
        assert_eq!(hit["record"]["region"], "青山区");
    }

    let lamps = search(&server, "q=路灯").await["total"].as_u64().unwrap();
    let chargers = search(&server, "q=充电桩").await["total"].as_u64().unwrap();
    let either = search(&server, "q=路灯 OR 充电桩").await["total"]
        .as_u64()
        .unwrap();
    assert!(
        either > lamps.max(chargers) && either <= lamps + chargers,
        "{lamps} {chargers} {either}"
    );

    let kind = search(&server, "q=kind:hotline&limit=5").await;
    assert_eq!(kind["total"], 288);
}

#[tokio::test(flavor = "multi_thread")]
async fn filters_dates_sorting_and_paging() {
    let server = TestServer::sample().await;
    let body = search(&server, "kind=12345热线&region=城北区&region=青山区&from=2025-01-01&to=2025-06-30&sort=oldest&limit=200").await;
    let total = body["total"].as_u64().unwrap();
    assert!(total > 0);
    let mut dates = Vec::new();
    for hit in body["hits"].as_array().unwrap() {
        let r = &hit["record"];
        assert_eq!(r["kind"], "12345热线");
        assert!(r["region"] == "城北区" || r["region"] == "青山区", "{r}");
        let at = r["submitted_at"].as_str().unwrap();
        assert!(("2025-01-01".."2025-07-01").contains(&at), "{at}");
        dates.push(at.to_string());
    }
    assert!(dates.windows(2).all(|w| w[0] <= w[1]));
    assert_eq!(dates.len() as u64, total);

    let newest = search(&server, "sort=newest&limit=3").await;
    let first = newest["hits"][0]["record"]["submitted_at"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(first.starts_with("2025-12"), "{first}");

    let page1 = hit_ids(&search(&server, "q=电梯&limit=5").await);
    let page2 = hit_ids(&search(&server, "q=电梯&limit=5&offset=5").await);
    let both = hit_ids(&search(&server, "q=电梯&limit=10").await);
    assert_eq!([page1, page2].concat(), both);

    let law = search(&server, "law=某市文明行为促进条例（草案）&article=第九条").await;
    assert_eq!(law["total"], 8);
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_requests_are_400_with_a_readable_message() {
    let server = TestServer::sample().await;
    for (query, code, needle) in [
        ("q=%22夜间施工&strict=true", "bad_query", "never closed"),
        ("q=(噪音&strict=true", "bad_query", "parenthesis"),
        ("q=噪音 OR&strict=true", "bad_query", "OR"),
        ("strict=yes", "invalid_request", "strict"),
        ("limit=1000", "invalid_request", "limit"),
        ("limit=0", "invalid_request", "limit"),
        ("limit=abc", "invalid_request", "limit"),
        ("offset=10000&limit=20", "invalid_request", "offset"),
        ("from=2025-13-01", "invalid_request", "from"),
        ("sort=random", "invalid_request", "sort"),
        ("colour=red", "invalid_request", "unknown filter"),
    ] {
        let (status, body) = server.get(&format!("/api/search?{query}")).await;
        assert_eq!(status, 400, "{query}: {body}");
        assert_eq!(body["error"]["code"], code, "{query}: {body}");
        assert!(
            body["error"]["message"].as_str().unwrap().contains(needle),
            "{query}: {body}"
        );
    }
    let long = "噪".repeat(1001);
    let (status, body) = server.get(&format!("/api/search?q={long}")).await;
    assert_eq!(status, 400);
    assert!(body["error"]["message"].as_str().unwrap().contains("1000"));
    // A path parameter axum cannot read is answered in the same JSON shape.
    let (status, body) = server.get("/api/topics/not-a-number").await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"]["code"], "invalid_request", "{body}");
}

#[tokio::test(flavor = "multi_thread")]
async fn pages_past_the_window_are_cut_and_empty_ranges_select_nothing() {
    let server = TestServer::sample().await;
    let body = search(&server, "offset=9990&limit=20").await;
    assert_eq!(body["limit"], 10, "{body}");
    assert_eq!(body["hits"].as_array().unwrap().len(), 0, "691 records");
    // Days beyond what tantivy's timestamps hold (1677–2262) are clamped, not a server error.
    let body = search(&server, "from=0114-05-02&to=9999-12-31").await;
    assert_eq!(body["total"], 691, "{body}");
    // A far `to` is cut 60 days after the latest record for issues (weeks past it are empty).
    let (status, body) = server.get("/api/issues?to=8185-01-10&limit=1").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["as_of"], "2026-02-21", "{}", body["as_of"]);
    let body = search(&server, "from=2025-05-01&to=2025-01-01").await;
    assert_eq!(body["total"], 0, "{body}");
    let notices = body["notices"].as_array().unwrap();
    assert!(notices[0].as_str().unwrap().contains("after"), "{body}");
}

#[tokio::test(flavor = "multi_thread")]
async fn pasted_titles_are_searched_as_text_with_a_notice() {
    let server = TestServer::sample().await;
    let titles = [
        ("P-1", "A7县X024（青山铺至白沙段）路面破损"),
        ("P-2", "举报A2区“食在我家”餐馆油烟扰民"),
        ("P-3", "反映A7县星湖湾（二期）停车难"),
    ];
    let lines: Vec<String> = titles
        .iter()
        .map(|(id, title)| {
            json!({"id": id, "title": title, "content": format!("{title}，请尽快处理。")})
                .to_string()
        })
        .collect();
    let (status, body) = server
        .post_records("application/x-ndjson", lines.join("\n"))
        .await;
    assert_eq!(status, 200, "{body}");
    for ((id, _), pasted) in
        titles
            .iter()
            .zip(["A7县X024（青山铺至", "举报A2区“食在我", "反映A7县星湖湾（"])
    {
        let q = urlencode(pasted);
        let body = search(&server, &format!("q={q}&mode=lexical")).await;
        // A fragment ending inside a word (`食在我` of `食在我家`) is segmented apart from the
        // title's words, so it is not found yet; the others are.
        if *id != "P-2" {
            let first = hit_ids(&body).first().cloned();
            assert_eq!(first.as_deref(), Some(*id), "{pasted}: {body}");
        }
        let notices = body["notices"].as_array().unwrap();
        assert_eq!(notices.len(), 1, "{pasted}: {body}");
        assert!(
            notices[0].as_str().unwrap().contains("plain text"),
            "{body}"
        );
        let (status, body) = server.get(&format!("/api/search?q={q}&strict=true")).await;
        assert_eq!(status, 400, "{pasted} strictly: {body}");
        assert_eq!(body["error"]["code"], "bad_query");
    }
    // Balanced full-width parentheses in a title are text, with no notice; used as an
    // operator (holding OR) they group: read as text, `OR` and `不存在）` would be required.
    let body = search(
        &server,
        &format!("q={}", urlencode("反映A7县星湖湾（二期）")),
    )
    .await;
    assert_eq!(hit_ids(&body), ["P-3"], "{body}");
    assert_eq!(body["notices"], json!([]));
    let q = urlencode("（X024 OR 不存在） A7县");
    let either = search(&server, &format!("q={q}")).await;
    assert_eq!(hit_ids(&either), ["P-1"], "{either}");
    assert_eq!(either["notices"], json!([]));
}

fn urlencode(text: &str) -> String {
    text.bytes().map(|b| format!("%{b:02X}")).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn records_can_be_read_added_replaced_and_deleted() {
    let server = TestServer::sample().await;
    let client = server.http.clone();

    let (status, record) = server.get("/api/records/RX-2024-0001").await;
    assert_eq!(status, 200);
    assert_eq!(record["id"], "RX-2024-0001");
    assert_eq!(
        record["handling_department"],
        Value::Null,
        "extras live under `extra`"
    );
    assert!(
        record["extra"]["handling_department"].is_string(),
        "{record}"
    );
    let (status, body) = server.get("/api/records/no-such-id").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (404, Some("not_found"))
    );

    let batch = json!([
        {"id": "NEW-1", "content": "我们向基层立法联系点反映：石榴巷垃圾站异味严重", "region": "江南区", "kind": "意见建议"},
        {"id": "NEW-2", "title": "没有内容"},
        {"id": "NEW-3", "content": "石榴巷垃圾站夏天苍蝇多", "submitted_at": "昨天"}
    ]);
    let (status, report) = server
        .post_records("application/json", batch.to_string())
        .await;
    assert_eq!(status, 200);
    assert_eq!(report["accepted"], 1);
    assert_eq!(report["rejected"][0]["line"], 2);
    assert_eq!(report["rejected"][0]["id"], "NEW-2");
    assert!(
        report["rejected"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("content")
    );
    assert!(
        report["rejected"][1]["reason"]
            .as_str()
            .unwrap()
            .contains("submitted_at")
    );

    assert_eq!(hit_ids(&search(&server, "q=石榴巷").await), ["NEW-1"]);
    assert_eq!(
        hit_ids(&search(&server, "q=联系点 石榴巷").await),
        ["NEW-1"],
        "part of 基层立法联系点"
    );
    assert_eq!(
        hit_ids(&search(&server, "q=立法联系点 石榴巷").await),
        ["NEW-1"]
    );

    let jsonl = "{\"id\":\"NEW-1\",\"content\":\"石榴巷垃圾站已经搬走了\"}\n{\"id\":\"NEW-1\",\"content\":\"石榴巷垃圾站搬迁后很干净\"}\n";
    let report: Value = client
        .post(server.url("/api/records"))
        .body(jsonl)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(report["accepted"], 1);
    assert_eq!(report["duplicate_ids"], json!([["NEW-1", 2]]));
    let (_, record) = server.get("/api/records/NEW-1").await;
    assert_eq!(
        record["content"], "石榴巷垃圾站搬迁后很干净",
        "the last one wins"
    );
    assert_eq!(
        search(&server, "q=石榴巷 异味").await["total"],
        0,
        "the old version is gone"
    );

    let response = client
        .post(server.url("/api/records"))
        .body("[{\"id\": 1}]")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let response = client
        .post(server.url("/api/records"))
        .body("[not json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    assert!(
        body["error"]["message"].as_str().unwrap().contains("JSON"),
        "{body}"
    );

    let response = client
        .delete(server.url("/api/records/NEW-1"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    assert_eq!(server.get("/api/records/NEW-1").await.0, 404);
    assert_eq!(search(&server, "q=石榴巷").await["total"], 0);
    let response = client
        .delete(server.url("/api/records/NEW-1"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
}

/// An office's export: Chinese headers, GBK (as Excel on a Chinese Windows saves CSV), one row
/// without content among good ones.
#[tokio::test(flavor = "multi_thread")]
async fn csv_and_excel_uploads_are_read_like_the_command_line() {
    let server = TestServer::sample().await;
    let csv = "留言编号,留言主题,留言详情,所属区县,留言时间\n\
               CSV-1,枫林苑电梯,枫林苑3栋电梯上周困人两次，至今没有维保单位到场,青山区,2025/07/01 08:30\n\
               CSV-2,没有内容,,青山区,2025/07/02\n\
               CSV-3,河堤路灯,河堤路南段路灯连续一周不亮，夜跑市民摔伤,城北区,2025-07-03\n";
    let (gbk, _, _) = encoding_rs::GBK.encode(csv);
    let (status, body) = server.post_records("text/csv", gbk.into_owned()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["accepted"], 2, "{body}");
    assert_eq!(body["rejected"][0]["line"], 3, "{body}");
    assert_eq!(body["rejected"][0]["id"], "CSV-2", "{body}");
    let (_, record) = server.get("/api/records/CSV-1").await;
    assert_eq!(record["region"], "青山区");
    assert_eq!(record["title"], "枫林苑电梯");
    assert!(hit_ids(&search(&server, "q=枫林苑 电梯 困人").await).contains(&"CSV-1".to_string()));

    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (col, header) in ["编号", "标题", "内容", "联系点"].iter().enumerate() {
        sheet.write(0, col as u16, *header).unwrap();
    }
    let row = [
        "XL-1",
        "菜市场占道",
        "桂园菜市场早市占道经营，救护车进不来",
        "桂园社区联系点",
    ];
    for (col, value) in row.iter().enumerate() {
        sheet.write(1, col as u16, *value).unwrap();
    }
    let xlsx = workbook.save_to_buffer().unwrap();
    let excel = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    let (status, body) = server.post_records(excel, xlsx).await;
    assert_eq!((status, &body["accepted"]), (200, &json!(1)), "{body}");
    let (_, record) = server.get("/api/records/XL-1").await;
    assert_eq!(record["site"], "桂园社区联系点", "{record}");

    let (status, body) = server.post_records(excel, b"not a workbook".to_vec()).await;
    assert_eq!(status, 400, "{body}");
    let (status, body) = server
        .post_records("application/pdf", b"%PDF-1.7".to_vec())
        .await;
    assert_eq!(status, 415, "{body}");
    assert_eq!(body["error"]["code"], "unsupported_media_type");
}

#[tokio::test(flavor = "multi_thread")]
async fn oversized_bodies_are_refused() {
    let server = TestServer::sample().await;
    let body = vec![b' '; minyi::api::MAX_BODY_BYTES + 1];
    let response = server
        .http
        .clone()
        .post(server.url("/api/records"))
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
}

#[tokio::test(flavor = "multi_thread")]
async fn health_and_openapi() {
    let server = TestServer::sample().await;
    let (status, health) = server.get("/healthz").await;
    assert_eq!((status, health["records"].as_u64()), (200, Some(691)));
    let (status, doc) = server.get("/api/openapi.json").await;
    assert_eq!(status, 200);
    for path in [
        "/api/search",
        "/api/records",
        "/api/records/{id}",
        "/healthz",
    ] {
        assert!(
            doc["paths"][path].is_object(),
            "{path} missing from the OpenAPI document"
        );
    }
    assert!(doc["components"]["schemas"]["Record"]["properties"]["submitted_at"].is_object());
}
