//! Access control against a real server: credentials on every route, rights per role, sessions,
//! throttling, revocation while serving, district scope in every kind of answer and in imports
//! ([`scoped_import`]), personal data masked in every kind of answer and unsearchable, the audit
//! log and its chain (401s included: [`refusals`]), and the security headers.

mod refusals;
mod scoped_import;

use std::collections::BTreeSet;

use minyi_e2e::{TestServer, bearer_client, get_json, hit_ids, post_json};
use minyi_store::Role;
use minyi_store::audit::{AuditEntry, AuditFilter, AuditLog, Verification};
use serde_json::{Value, json};

/// A record of 临河县 in the sample corpus, with an ID number, a phone number and a submitter.
const PERSONAL: &str = "RX-2024-0007";
const PERSONAL_ID_NUMBER: &str = "440304197010198037";
const PERSONAL_SUBMITTER: &str = "U060008";

/// Every `/api/*` route but the sign-in, with a request that would succeed for an admin.
fn api_routes() -> Vec<(&'static str, &'static str)> {
    vec![
        ("GET", "/api/search?q=噪音"),
        ("GET", "/api/records/RX-2024-0001"),
        ("DELETE", "/api/records/RX-2024-0001"),
        ("POST", "/api/records"),
        ("GET", "/api/records/RX-2024-0001/similar"),
        ("GET", "/api/records/RX-2024-0001/suggest"),
        ("POST", "/api/similar"),
        ("POST", "/api/suggest"),
        ("GET", "/api/issues"),
        ("GET", "/api/issues/I000000000000"),
        ("GET", "/api/issues/export.csv"),
        ("GET", "/api/issues/export.md"),
        ("GET", "/api/laws"),
        ("GET", "/api/me"),
        ("POST", "/api/logout"),
        ("GET", "/api/users"),
        ("POST", "/api/users"),
        ("DELETE", "/api/users/nobody"),
        ("GET", "/api/tokens"),
        ("POST", "/api/tokens"),
        ("DELETE", "/api/tokens/nobody"),
        ("GET", "/api/openapi.json"),
    ]
}

/// The audit log's entries by `who`.
fn entries_by(log: &AuditLog, who: &str) -> Vec<AuditEntry> {
    let filter = AuditFilter {
        who: Some(who.into()),
        since: None,
    };
    log.read(&filter).unwrap()
}

/// `POST /api/login` as `username` with `password`.
async fn login(
    client: &reqwest::Client,
    server: &TestServer,
    username: &str,
    password: &str,
) -> reqwest::Response {
    client
        .post(server.url("/api/login"))
        .json(&json!({ "username": username, "password": password }))
        .send()
        .await
        .unwrap()
}

async fn get(client: &reqwest::Client, server: &TestServer, path: &str) -> (u16, Value) {
    get_json(client, &server.url(path)).await
}

async fn call(client: &reqwest::Client, server: &TestServer, method: &str, path: &str) -> u16 {
    let url = server.url(path);
    let request = match method {
        "GET" => client.get(url),
        "DELETE" => client.delete(url),
        _ => client
            .post(url)
            .header("content-type", "application/json")
            .body(r#"{"text": "小区门口夜间施工噪音"}"#),
    };
    request.send().await.expect("request").status().as_u16()
}

#[tokio::test(flavor = "multi_thread")]
async fn every_api_route_needs_credentials() {
    let server = TestServer::sample().await;
    let anonymous = reqwest::Client::new();
    let forged = bearer_client("my_0000000000000000000000000000000000000000000");
    for (method, path) in api_routes() {
        assert_eq!(
            call(&anonymous, &server, method, path).await,
            401,
            "{method} {path}"
        );
        assert_eq!(
            call(&forged, &server, method, path).await,
            401,
            "{method} {path} forged"
        );
    }
    let (status, body) = get_json(&anonymous, &server.url("/api/search?q=噪音")).await;
    assert_eq!(status, 401);
    assert_eq!(body["error"]["code"], "unauthenticated");
    // The page itself and the health check are open: the page has the sign-in form.
    for path in ["/", "/assets/app.js", "/assets/session.js", "/healthz"] {
        let status = anonymous
            .get(server.url(path))
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status, 200, "{path}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn each_role_is_refused_what_it_may_not_do() {
    let server = TestServer::sample().await;
    let analyst = server.client_as("analysis", Role::Analyst, &[]);
    let staff = server.client_as("desk", Role::Staff, &[]);
    let refused = |role: &str| -> Vec<(&'static str, &'static str)> {
        let mut routes = vec![
            ("DELETE", "/api/records/RX-2024-0001"),
            ("GET", "/api/users"),
            ("POST", "/api/users"),
            ("DELETE", "/api/users/nobody"),
            ("GET", "/api/tokens"),
            ("POST", "/api/tokens"),
            ("DELETE", "/api/tokens/nobody"),
        ];
        if role == "analyst" {
            routes.push(("POST", "/api/records"));
        }
        routes
    };
    for (client, role) in [(&analyst, "analyst"), (&staff, "staff")] {
        let refused = refused(role);
        for (method, path) in api_routes() {
            let status = call(client, &server, method, path).await;
            if refused.contains(&(method, path)) {
                assert_eq!(status, 403, "{role}: {method} {path}");
            } else {
                assert!(
                    status != 401 && status != 403,
                    "{role}: {method} {path} answered {status}"
                );
            }
        }
    }
    // The refusal names the right, and it is in the audit log.
    let response = analyst
        .delete(server.url("/api/records/RX-2024-0002"))
        .send()
        .await
        .unwrap();
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "forbidden");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("delete")
    );
    let log = AuditLog::open(&server.index).unwrap();
    let denied = entries_by(&log, "analysis");
    assert!(
        denied
            .iter()
            .any(|e| e.action == "denied" && e.result == "forbidden")
    );
    // And the record is still there.
    assert_eq!(server.get("/api/records/RX-2024-0002").await.0, 200);
}

#[tokio::test(flavor = "multi_thread")]
async fn sign_in_gives_a_strict_session_cookie_and_sign_out_ends_it() {
    let server = TestServer::sample().await;
    server
        .store()
        .add_user(
            "wang",
            Role::Staff,
            &["青山区".into()],
            "correct horse battery",
        )
        .unwrap();
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let response = login(&client, &server, "wang", "correct horse battery").await;
    assert_eq!(response.status(), 200);
    let cookie = response
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    for attribute in ["minyi_session=", "HttpOnly", "SameSite=Strict", "Max-Age="] {
        assert!(
            cookie.contains(attribute),
            "{attribute} missing from {cookie}"
        );
    }
    assert!(!cookie.contains("Secure"), "no TLS here: {cookie}");
    let (status, me) = get_json(&client, &server.url("/api/me")).await;
    assert_eq!(status, 200);
    assert_eq!(me["name"], "wang");
    assert_eq!(me["role"], "staff");
    assert_eq!(me["regions"], json!(["青山区"]));
    assert_eq!(me["masked"], false);
    assert!(!me["rights"].as_array().unwrap().contains(&json!("delete")));

    let logout = client.post(server.url("/api/logout")).send().await.unwrap();
    assert_eq!(logout.status(), 204);
    assert_eq!(get_json(&client, &server.url("/api/me")).await.0, 401);

    // A wrong password is a 401 of its own code, and it is recorded.
    let wrong = login(&client, &server, "wang", "wrong horse").await;
    assert_eq!(wrong.status(), 401);
    let body: Value = wrong.json().await.unwrap();
    assert_eq!(body["error"]["code"], "invalid_credentials");
    let entries = entries_by(&AuditLog::open(&server.index).unwrap(), "wang");
    let logins: Vec<(&str, &str)> = entries
        .iter()
        .filter(|e| e.action == "login" || e.action == "logout")
        .map(|e| (e.action.as_str(), e.result.as_str()))
        .collect();
    assert_eq!(
        logins,
        [("login", "ok"), ("logout", "ok"), ("login", "failed")]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn repeated_failed_sign_ins_are_throttled() {
    let server = TestServer::sample().await;
    server
        .store()
        .add_user("li", Role::Analyst, &[], "the right password")
        .unwrap();
    let client = reqwest::Client::new();
    let mut statuses = Vec::new();
    for _ in 0..7 {
        let status = login(&client, &server, "li", "guess").await.status();
        statuses.push(status.as_u16());
    }
    assert!(statuses[..5].iter().all(|&s| s == 401), "{statuses:?}");
    assert_eq!(statuses[6], 429, "{statuses:?}");
    // Locked: even the right password waits, and the answer says how long.
    let locked = login(&client, &server, "li", "the right password").await;
    assert_eq!(locked.status(), 429);
    let wait: u64 = locked.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(wait >= 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_revoked_token_is_refused_on_its_next_request() {
    let server = TestServer::sample().await;
    let client = server.client_as("feeder", Role::Staff, &[]);
    assert_eq!(get_json(&client, &server.url("/api/me")).await.0, 200);
    // The same store the `minyi tokens revoke` command opens, while the server runs.
    server.store().revoke_token("feeder").unwrap();
    assert_eq!(get_json(&client, &server.url("/api/me")).await.0, 401);
}

/// The ids of the sample's records in `region`, as an unscoped admin finds them.
async fn ids_in(server: &TestServer, region: &str) -> BTreeSet<String> {
    let (_, body) = server
        .get(&format!("/api/search?region={region}&limit=200"))
        .await;
    hit_ids(&body).into_iter().collect()
}

/// `value` without what differs between a scoped and a filtered run of one query: the time it
/// took, and scores (the scope is a clause of its own).
fn unscored(mut value: Value) -> Value {
    if let Some(o) = value.as_object_mut() {
        o.remove("took_ms");
    }
    for hit in value["hits"].as_array_mut().into_iter().flatten() {
        hit.as_object_mut().unwrap().remove("score");
    }
    value
}

#[tokio::test(flavor = "multi_thread")]
async fn a_district_scope_applies_to_every_kind_of_answer() {
    // With embeddings: vector candidates of semantic search and similar cases are scoped too.
    let server = TestServer::sample_semantic().await;
    let scoped = server.client_as("qingshan", Role::Staff, &["青山区"]);
    let own = ids_in(&server, "青山区").await;
    assert!(own.len() > 100);

    // Search: hits, totals, facets and the histogram are those of 青山区 alone, the same as an
    // unscoped search filtered to it.
    let (_, mine) = get(
        &scoped,
        &server,
        "/api/search?q=噪音&mode=lexical&limit=200",
    )
    .await;
    let (_, filtered) = server
        .get("/api/search?q=噪音&mode=lexical&limit=200&region=青山区")
        .await;
    assert_eq!(unscored(mine.clone()), unscored(filtered));
    let (_, everything) = server
        .get("/api/search?q=噪音&mode=lexical&limit=200")
        .await;
    assert!(everything["total"].as_u64() > mine["total"].as_u64());
    let regions: Vec<&str> = mine["facets"]["region"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["value"].as_str().unwrap())
        .collect();
    assert_eq!(regions, ["青山区"]);
    let months: u64 = mine["histogram"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["count"].as_u64().unwrap())
        .sum();
    assert_eq!(months, mine["total"].as_u64().unwrap());
    for mode in ["lexical", "semantic", "hybrid"] {
        let path = format!("/api/search?q=噪音&mode={mode}&limit=50");
        let (status, body) = get(&scoped, &server, &path).await;
        assert_eq!(status, 200, "{mode}");
        let ids = hit_ids(&body);
        assert!(!ids.is_empty(), "{mode}");
        assert!(ids.iter().all(|id| own.contains(id)), "{mode}: {ids:?}");
        let (_, filtered) = server.get(&format!("{path}&region=青山区")).await;
        assert_eq!(body["total"], filtered["total"], "{mode}");
    }

    // A record outside the scope does not exist for them, with every route that names it.
    let outside = "RX-2024-0007";
    assert!(!own.contains(outside));
    for path in [
        format!("/api/records/{outside}"),
        format!("/api/records/{outside}/similar"),
        format!("/api/records/{outside}/suggest"),
    ] {
        let (status, body) = get(&scoped, &server, &path).await;
        assert_eq!(status, 404, "{path}");
        assert_eq!(body["error"]["code"], "not_found");
    }
    let inside = own.iter().next().unwrap();
    assert_eq!(
        get(&scoped, &server, &format!("/api/records/{inside}"))
            .await
            .0,
        200
    );

    // Similar cases and suggestion evidence come from inside the scope only.
    let (_, similar) = get(
        &scoped,
        &server,
        &format!("/api/records/{inside}/similar?limit=50"),
    )
    .await;
    assert!(!hit_ids(&similar).is_empty());
    assert!(hit_ids(&similar).iter().all(|id| own.contains(id)));
    let new_case = json!({ "text": "小区门口的餐馆油烟很大，晚上还有噪音，影响休息", "limit": 50 });
    for path in ["/api/similar", "/api/suggest"] {
        let (_, body) = post_json(&scoped, &server.url(path), &new_case).await;
        let hits = if path == "/api/similar" {
            &body["hits"]
        } else {
            &body["cases"]
        };
        let ids: Vec<&str> = hits
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap())
            .collect();
        assert!(!ids.is_empty(), "{path}");
        assert!(ids.iter().all(|id| own.contains(*id)), "{path}: {ids:?}");
    }

    // Issues, their counts and the exports are those of the scope's records.
    let (_, issues) = get(&scoped, &server, "/api/issues?min_size=2&limit=500").await;
    let (_, filtered) = server
        .get("/api/issues?min_size=2&limit=500&region=青山区")
        .await;
    assert_eq!(issues, filtered);
    assert_eq!(
        issues["total_records"].as_u64().unwrap() as usize,
        own.len()
    );
    for issue in issues["issues"].as_array().unwrap() {
        for id in issue["record_ids"].as_array().unwrap() {
            assert!(own.contains(id.as_str().unwrap()));
        }
    }
    for export in ["/api/issues/export.csv", "/api/issues/export.md"] {
        let text = |client: &reqwest::Client, path: String| {
            let request = client.get(server.url(&path)).send();
            async move { request.await.unwrap().text().await.unwrap() }
        };
        assert_eq!(
            text(&scoped, export.to_string()).await,
            text(&server.http, format!("{export}?region=青山区")).await,
            "{export}"
        );
    }

    // The law view counts the scope's opinions only.
    let (_, laws) = get(&scoped, &server, "/api/laws").await;
    let (_, filtered) = server.get("/api/laws?region=青山区").await;
    assert_eq!(laws, filtered);
}

#[tokio::test(flavor = "multi_thread")]
async fn analysts_see_personal_data_masked_in_every_answer() {
    let server = TestServer::sample().await;
    let analyst = server.client_as("analysis", Role::Analyst, &[]);
    let staff = server.client_as("desk", Role::Staff, &[]);
    let shows_personal_data = |value: &Value| {
        let text = value.to_string();
        text.contains(PERSONAL_ID_NUMBER)
            || text.contains("5080 3478")
            || text.contains(PERSONAL_SUBMITTER)
    };

    // Staff read it as it was received.
    let (_, record) = get(&staff, &server, &format!("/api/records/{PERSONAL}")).await;
    assert!(shows_personal_data(&record));

    // The analyst reads it masked, with a shape hint and a pseudonym for the submitter.
    let (status, record) = get(&analyst, &server, &format!("/api/records/{PERSONAL}")).await;
    assert_eq!(status, 200);
    assert!(!shows_personal_data(&record), "{record}");
    let content = record["content"].as_str().unwrap();
    assert!(content.contains("4403**********8037"), "{content}");
    assert!(content.contains("公交站"));
    let pseudonym = record["submitter"].as_str().unwrap().to_string();
    assert_ne!(pseudonym, PERSONAL_SUBMITTER);
    // Stable: the same pseudonym every time.
    let (_, again) = get(&analyst, &server, &format!("/api/records/{PERSONAL}")).await;
    assert_eq!(again["submitter"], pseudonym.as_str());

    // Search hits, snippets, highlights and the submitter facet.
    let (_, hits) = get(&analyst, &server, "/api/search?q=汽车站 站台&limit=50").await;
    assert!(hit_ids(&hits).contains(&PERSONAL.to_string()));
    assert!(!shows_personal_data(&hits));
    let (_, all) = get(&analyst, &server, "/api/search?limit=200").await;
    assert!(!shows_personal_data(&all));
    // Similar cases, suggestions, issues, the law view and the exports.
    for path in [
        format!("/api/records/{PERSONAL}/similar?limit=50"),
        format!("/api/records/{PERSONAL}/suggest"),
        "/api/issues?min_size=2&limit=500".to_string(),
        "/api/laws".to_string(),
    ] {
        let (status, body) = get(&analyst, &server, &path).await;
        assert_eq!(status, 200, "{path}");
        assert!(!shows_personal_data(&body), "{path}");
    }
    for path in [
        "/api/issues/export.csv?min_size=1&limit=1000",
        "/api/issues/export.md?min_size=1&limit=1000",
    ] {
        let masked = analyst
            .get(server.url(path))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(!masked.contains(PERSONAL_ID_NUMBER), "{path}");
        assert!(!masked.contains(PERSONAL_SUBMITTER), "{path}");
    }
    let new_case = json!({ "text": "县汽车站公交站没有候车亭，下雨只能站在雨里等车", "limit": 50 });
    let (_, similar) = post_json(&analyst, &server.url("/api/similar"), &new_case).await;
    assert!(hit_ids(&similar).contains(&PERSONAL.to_string()));
    assert!(!shows_personal_data(&similar));
}

#[tokio::test(flavor = "multi_thread")]
async fn masked_users_cannot_find_records_by_personal_data() {
    let server = TestServer::sample().await;
    let analyst = server.client_as("analysis", Role::Analyst, &[]);
    let staff = server.client_as("desk", Role::Staff, &[]);
    for q in [PERSONAL_ID_NUMBER, "440304197010198037 公交站"] {
        let (_, found) = get(&staff, &server, &format!("/api/search?q={}", q)).await;
        assert!(
            hit_ids(&found).contains(&PERSONAL.to_string()),
            "staff: {q}"
        );
        let (status, masked) = get(&analyst, &server, &format!("/api/search?q={}", q)).await;
        assert_eq!(status, 200);
        assert_eq!(masked["total"], 0, "analyst: {q}");
    }
    // Nor by the submitter's real id.
    let (_, by_submitter) = get(
        &analyst,
        &server,
        &format!("/api/search?q=submitter:{PERSONAL_SUBMITTER}"),
    )
    .await;
    assert_eq!(by_submitter["total"], 0);
    let (_, filtered) = get_json(
        &analyst,
        &server.url(&format!("/api/search?submitter={PERSONAL_SUBMITTER}")),
    )
    .await;
    assert_eq!(filtered["total"], 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_audit_log_says_who_read_what_and_detects_an_edited_line() {
    let server = TestServer::sample().await;
    let analyst = server.client_as("analysis", Role::Analyst, &[]);
    let (_, hits) = get_json(&analyst, &server.url("/api/search?q=噪音&limit=5")).await;
    get_json(&analyst, &server.url(&format!("/api/records/{PERSONAL}"))).await;
    let log = AuditLog::open(&server.index).unwrap();
    let entries = entries_by(&log, "analysis");
    let search = entries.iter().find(|e| e.action == "search").unwrap();
    assert_eq!(search.who.role, Some(Role::Analyst));
    assert_eq!(search.who.address.as_deref(), Some("127.0.0.1"));
    assert_eq!(search.details["request"]["q"], "噪音");
    assert_eq!(search.details["ids"], json!(hit_ids(&hits)));
    let read = entries.iter().find(|e| e.action == "record.read").unwrap();
    assert_eq!(read.details["id"], PERSONAL);
    assert!(matches!(log.verify().unwrap(), Verification::Intact { .. }));

    // Change one word of one line: the chain breaks there.
    let day = std::fs::read_dir(server.index.join("audit"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .unwrap();
    let text = std::fs::read_to_string(&day).unwrap();
    std::fs::write(&day, text.replacen("噪音", "噪声", 1)).unwrap();
    match log.verify().unwrap() {
        Verification::Broken(at) => assert_eq!(at.file, day),
        intact => panic!("an edited line went unnoticed: {intact:?}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn answers_carry_the_security_headers_and_the_document_declares_the_schemes() {
    let server = TestServer::sample().await;
    for path in ["/", "/api/search?q=噪音", "/api/nothing-here"] {
        let response = server.http.get(server.url(path)).send().await.unwrap();
        let headers = response.headers();
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("default-src 'self'"), "{path}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["referrer-policy"], "no-referrer", "{path}");
    }
    let (_, doc) = server.get("/api/openapi.json").await;
    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(schemes["token"]["scheme"], "bearer");
    assert_eq!(schemes["session"]["in"], "cookie");
    assert_eq!(doc["paths"]["/api/login"]["post"]["security"], json!([{}]));
}
