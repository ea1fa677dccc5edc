//! Topics (议题) end to end over the sample corpus: made from an issue, a selection or picked
//! records; new matching records offered as candidates and accepted or dismissed; statuses with
//! their history; the before/after figures on records of known dates; the report and the list;
//! kept across a restart; refused to analysts; members out of a district's scope hidden.

use std::net::SocketAddr;
use std::sync::Arc;

use chrono::{Duration, Local, NaiveDateTime};
use minyi::api::Access;
use minyi_e2e::TestServer;
use minyi_engine::Engine;
use minyi_store::Role;
use serde_json::{Value, json};

async fn send(request: reqwest::RequestBuilder) -> (u16, Value) {
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

async fn post(server: &TestServer, client: &reqwest::Client, body: Value) -> (u16, Value) {
    send(client.post(server.url("/api/topics")).json(&body)).await
}

async fn patch(server: &TestServer, id: &Value, body: Value) -> Value {
    let url = server.url(&format!("/api/topics/{id}"));
    let (status, view) = send(server.http.patch(url).json(&body)).await;
    assert_eq!(status, 200, "{view}");
    view
}

async fn topic(server: &TestServer, id: &Value) -> Value {
    let (status, view) = server.get(&format!("/api/topics/{id}")).await;
    assert_eq!(status, 200, "{view}");
    view
}

fn strings(value: &Value) -> Vec<String> {
    let mut list: Vec<String> = value
        .as_array()
        .unwrap_or_else(|| panic!("a list: {value}"))
        .iter()
        .map(|v| v.as_str().expect("a string").to_string())
        .collect();
    list.sort();
    list
}

fn candidate_ids(view: &Value) -> Vec<String> {
    let ids = view["candidates"]
        .as_array()
        .expect("candidates")
        .iter()
        .map(|c| c["id"].clone())
        .collect();
    strings(&Value::Array(ids))
}

#[tokio::test(flavor = "multi_thread")]
async fn topics_are_made_from_an_issue_a_selection_or_picked_records() {
    let server = TestServer::sample().await;
    let (_, list) = server.get("/api/issues?limit=5").await;
    let issue = &list["issues"][0];
    let body = json!({"title": "热点问题", "issue_id": issue["id"], "selection": {},
                      "department": "市住建局", "due": "2026-12-31", "note": "先调研"});
    let (status, made) = post(&server, &server.http, body).await;
    assert_eq!(status, 201, "{made}");
    assert_eq!(strings(&made["record_ids"]), strings(&issue["record_ids"]));
    assert_eq!(made["topic"]["issue_id"], issue["id"]);
    assert_eq!(made["topic"]["status"], "proposed");
    assert_eq!(made["topic"]["kind"], "supervision");
    assert_eq!(made["topic"]["due"], "2026-12-31");
    assert_eq!(made["history"][0]["by"], "tests");
    assert!(made["trend"].is_null(), "not assigned yet");

    let picked = json!({"title": "立法建议：路面", "kind": "legislation",
                        "record_ids": ["RX-2024-0001", "RX-2024-0023"]});
    let (status, made) = post(&server, &server.http, picked).await;
    assert_eq!(status, 201, "{made}");
    assert_eq!(
        strings(&made["record_ids"]),
        ["RX-2024-0001", "RX-2024-0023"]
    );
    let (status, chosen) = server.get("/api/topics?kind=legislation").await;
    assert_eq!(status, 200, "{chosen}");
    assert_eq!(chosen.as_array().unwrap().len(), 1);
    assert_eq!(chosen[0]["title"], "立法建议：路面");
    let (_, by_department) = server.get("/api/topics?department=市住建局").await;
    assert_eq!(by_department[0]["title"], "热点问题");
    let (status, _) = server.get("/api/topics?status=finished").await;
    assert_eq!(status, 400);

    let selected = json!({"title": "石桥路", "selection": {"q": "石桥路", "region": ["青山区"]}});
    let (status, made) = post(&server, &server.http, selected).await;
    assert_eq!(status, 201, "{made}");
    assert!(strings(&made["record_ids"]).contains(&"RX-2024-0001".to_string()));
    assert_eq!(made["topic"]["selection"]["q"], "石桥路");

    let (status, _) = post(
        &server,
        &server.http,
        json!({"title": "x", "issue_id": "nope"}),
    )
    .await;
    assert_eq!(status, 404);
    let (status, _) = post(&server, &server.http, json!({"title": "x"})).await;
    assert_eq!(status, 400);
    let (status, _) = post(
        &server,
        &server.http,
        json!({"title": "x", "record_ids": ["NO"]}),
    )
    .await;
    assert_eq!(status, 404);
}

const STATION: [&str; 4] = [
    "桂花巷垃圾中转站臭味熏天，夏天苍蝇蚊子多，附近居民不敢开窗。",
    "桂花巷的垃圾中转站清运不及时，臭味很大，污水横流。",
    "桂花巷垃圾中转站离居民楼太近，臭气熏人，希望加装除臭设备。",
    "桂花巷垃圾中转站异味严重，垃圾堆满溢出，清运不及时。",
];

fn station_record(id: &str, n: usize, at: NaiveDateTime) -> Value {
    json!({"id": id, "content": STATION[n % 4], "region": "青山区",
           "submitted_at": at.format("%Y-%m-%d %H:%M:%S").to_string()})
}

/// The local time, once the next few minutes no longer cross midnight: the test's new complaint
/// arrives a minute from now and must fall on the day the topic is assigned (a run at 23:59 in
/// CI once counted it on the next day, after the trend's end).
async fn clear_of_midnight() -> NaiveDateTime {
    let now = Local::now().naive_local();
    let midnight = now.date().and_hms_opt(0, 0, 0).unwrap() + Duration::days(1);
    let left = midnight - now;
    if left < Duration::minutes(3) {
        tokio::time::sleep((left + Duration::seconds(1)).to_std().unwrap()).await;
        return Local::now().naive_local();
    }
    now
}

#[tokio::test(flavor = "multi_thread")]
async fn new_cases_are_offered_statuses_are_kept_and_the_volume_is_measured() {
    let server = TestServer::sample().await;
    let now = clear_of_midnight().await;
    let today = now.date();
    // Two a week in the eight weeks before today.
    let before: Vec<Value> = (0..16)
        .map(|i| {
            let at = now - Duration::days(7 * (i as i64 / 2) + 3 + i as i64 % 2);
            station_record(&format!("G{i:02}"), i, at)
        })
        .collect();
    let (status, report) = server
        .post_records("application/json", Value::Array(before).to_string())
        .await;
    assert_eq!((status, &report["accepted"]), (200, &json!(16)), "{report}");
    let members: Vec<String> = (0..10).map(|i| format!("G{i:02}")).collect();
    let body =
        json!({"title": "桂花巷垃圾中转站臭味", "kind": "assignment", "record_ids": members});
    let (status, made) = post(&server, &server.http, body).await;
    assert_eq!(status, 201, "{made}");
    let id = made["topic"]["id"].clone();
    let earlier: Vec<String> = (10..16).map(|i| format!("G{i:02}")).collect();
    assert_eq!(candidate_ids(&made), earlier, "the matter's other records");
    assert!(
        made["candidates"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["new"] == false)
    );

    // A new complaint arrives after the topic was made, and an unrelated one.
    let arrived = [
        station_record("G-NEW", 1, now + Duration::minutes(1)),
        json!({"id": "OTHER-NEW", "content": "翠屏路路灯不亮，晚上走路看不见。", "region": "青山区"}),
    ];
    let (status, _) = server
        .post_records("application/json", json!(arrived).to_string())
        .await;
    assert_eq!(status, 200);
    let view = topic(&server, &id).await;
    let offered = &view["candidates"].as_array().unwrap();
    let new = offered
        .iter()
        .find(|c| c["id"] == "G-NEW")
        .expect("G-NEW offered");
    assert_eq!(new["new"], true);
    assert!(new["score"].as_f64().unwrap() > 0.3, "{new}");
    assert!(!candidate_ids(&view).contains(&"OTHER-NEW".to_string()));

    let view = patch(
        &server,
        &id,
        json!({"accept": ["G-NEW"], "dismiss": ["G15"]}),
    )
    .await;
    assert!(strings(&view["record_ids"]).contains(&"G-NEW".to_string()));
    assert_eq!(strings(&view["accepted"]), ["G-NEW"]);
    assert_eq!(strings(&view["dismissed"]), ["G15"]);
    assert_eq!(candidate_ids(&view), earlier[..5].to_vec());

    // Assigned today: 15 of the matter before (G15 dismissed), the accepted new one after.
    let view = patch(
        &server,
        &id,
        json!({"status": "assigned", "department": "青山区城管局"}),
    )
    .await;
    let trend = &view["trend"];
    assert_eq!(trend["assigned"], today.to_string());
    assert_eq!(
        (&trend["before_total"], &trend["after_total"]),
        (&json!(15), &json!(1))
    );
    assert_eq!(
        trend["summary"],
        format!(
            "{today} 交办；交办前 8 周平均每周 1.9 件，交办后 1 天共 1 件（折合每周 7 件），上升 273%"
        )
    );
    let staff = server.client_as("desk", Role::Staff, &[]);
    let url = server.url(&format!("/api/topics/{id}"));
    let change = json!({"status": "in_progress", "answer": "已安排每日清运两次"});
    let (status, _) = send(staff.patch(&url).json(&change)).await;
    assert_eq!(status, 200);
    let change = json!({"status": "done", "outcome": "加装除臭设备，投诉减少"});
    let (status, view) = send(staff.patch(&url).json(&change)).await;
    assert_eq!(status, 200, "{view}");
    assert_eq!(view["topic"]["status"], "done");
    assert_eq!(view["topic"]["answer"], "已安排每日清运两次");
    let history = view["history"].as_array().unwrap();
    let by: Vec<&str> = history.iter().map(|e| e["by"].as_str().unwrap()).collect();
    assert_eq!(by, ["tests", "tests", "tests", "desk", "desk"]);
    assert_eq!(history[2]["change"]["changed"]["status"], "assigned");
    assert_eq!(history[4]["change"]["changed"]["status"], "done");
    assert!(history.iter().all(|e| {
        e["at"]
            .as_str()
            .unwrap()
            .starts_with(&today.to_string()[..4])
    }));

    let (status, report) = send(
        server
            .http
            .get(server.url(&format!("/api/topics/{id}/report.md"))),
    )
    .await;
    assert_eq!(status, 200);
    let report = report.as_str().unwrap();
    for expected in [
        "# 桂花巷垃圾中转站臭味",
        "交办事项",
        "已办结",
        "青山区城管局",
        "已安排每日清运两次",
        "交办前 8 周",
        "桂花巷",
    ] {
        assert!(report.contains(expected), "{expected} in {report}");
    }
    let (status, csv) = send(
        server
            .http
            .get(server.url("/api/topics/export.csv?status=done")),
    )
    .await;
    assert_eq!(status, 200);
    let csv = csv.as_str().unwrap();
    assert!(
        csv.contains("桂花巷垃圾中转站臭味") && csv.contains("已办结"),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), 2, "{csv}");
}

#[tokio::test(flavor = "multi_thread")]
async fn topics_survive_a_restart() {
    let server = TestServer::sample().await;
    let body = json!({"title": "路面", "record_ids": ["RX-2024-0001"]});
    let (_, made) = post(&server, &server.http, body).await;
    let id = made["topic"]["id"].clone();
    patch(&server, &id, json!({"status": "assigned", "note": "重点"})).await;

    // Another server over the same index folder, as after a restart.
    let engine = Arc::new(Engine::open_read_only(&server.index, None).expect("open engine"));
    let access = Arc::new(Access::open(&server.index, false).expect("open access"));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router =
        minyi::api::router(engine, access).into_make_service_with_connect_info::<SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, router).await.expect("serve") });
    let url = format!("http://{addr}/api/topics/{id}");
    let (status, again) = send(server.http.get(url)).await;
    assert_eq!(status, 200, "{again}");
    assert_eq!(again["topic"]["status"], "assigned");
    assert_eq!(again["topic"]["note"], "重点");
    assert_eq!(again["record_ids"], json!(["RX-2024-0001"]));
    assert_eq!(again["history"].as_array().unwrap().len(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn analysts_may_not_and_a_district_sees_only_its_members() {
    let server = TestServer::sample().await;
    // RX-2024-0001 is in 青山区, YJ-2024-0006 in 江南区.
    let body = json!({"title": "两区", "record_ids": ["RX-2024-0001", "YJ-2024-0006"]});
    let (status, made) = post(&server, &server.http, body).await;
    assert_eq!(status, 201, "{made}");
    let id = made["topic"]["id"].clone();

    let analyst = server.client_as("analysis", Role::Analyst, &[]);
    for url in [
        "/api/topics".to_string(),
        format!("/api/topics/{id}"),
        "/api/topics/export.csv".into(),
    ] {
        let (status, body) = send(analyst.get(server.url(&url))).await;
        assert_eq!(status, 403, "{url}: {body}");
    }
    let (status, _) = post(
        &server,
        &analyst,
        json!({"title": "x", "record_ids": ["RX-2024-0001"]}),
    )
    .await;
    assert_eq!(status, 403);

    let qingshan = server.client_as("qingshan", Role::Staff, &["青山区"]);
    let (status, view) = send(qingshan.get(server.url(&format!("/api/topics/{id}")))).await;
    assert_eq!(status, 200, "{view}");
    assert_eq!(view["record_ids"], json!(["RX-2024-0001"]));
    let regions: Vec<&Value> = view["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| &c["record"]["region"])
        .collect();
    assert!(regions.iter().all(|r| *r == "青山区"), "{regions:?}");
    let out_of_scope = json!({"title": "x", "record_ids": ["YJ-2024-0006"]});
    let (status, _) = post(&server, &qingshan, out_of_scope).await;
    assert_eq!(status, 404, "a record out of scope is as good as missing");
    let url = server.url(&format!("/api/topics/{id}"));
    let (status, _) = send(
        qingshan
            .patch(url)
            .json(&json!({"remove": ["YJ-2024-0006"]})),
    )
    .await;
    assert_eq!(status, 404);
}
