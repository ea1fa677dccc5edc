//! The OpenAPI document describes every route the router serves, and only those: the routes
//! are read from the router's source (`server/src/api/mod.rs`), the document from a real
//! `minyi serve`, and every documented operation is called on that server to show it is routed.

mod serving;

use std::collections::BTreeSet;
use std::path::Path;

/// The page's own routes, which are not part of the API.
const PAGE: [&str; 2] = ["/", "/assets/{name}"];
const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// `(method, path)` of every `.route(PATH, METHOD(handler)…)` in the router's source.
fn router_routes() -> BTreeSet<(String, String)> {
    let source = include_str!("../src/api/mod.rs");
    let mut routes = BTreeSet::new();
    for (start, _) in source.match_indices(".route(") {
        let call = &source[start + ".route(".len()..];
        // The call's text, up to its closing parenthesis.
        let mut depth = 1;
        let end = call
            .char_indices()
            .find(|(_, c)| {
                match c {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ => {}
                }
                depth == 0
            })
            .map(|(i, _)| i)
            .expect("a closed .route( call");
        let call = &call[..end];
        let path = call.split('"').nth(1).expect("a quoted path").to_string();
        let handlers = &call[call.find(',').expect("path, handlers")..];
        for method in METHODS {
            let called = handlers.match_indices(&format!("{method}(")).any(|(i, _)| {
                i == 0
                    || !handlers.as_bytes()[i - 1].is_ascii_alphanumeric()
                        && handlers.as_bytes()[i - 1] != b'_'
                        && handlers.as_bytes()[i - 1] != b':'
            });
            if called {
                routes.insert((method.to_string(), path.clone()));
            }
        }
    }
    routes
}

fn small_index(dir: &Path) -> std::path::PathBuf {
    let records = dir.join("records.jsonl");
    std::fs::write(
        &records,
        "{\"id\":\"A1\",\"content\":\"青山区翠屏路路灯不亮\",\"region\":\"青山区\"}\n",
    )
    .unwrap();
    let index = dir.join("index");
    let args = [
        "index",
        "--no-model",
        "--index",
        index.to_str().unwrap(),
        records.to_str().unwrap(),
    ];
    serving::minyi_ok(dir, &args, &[]);
    index
}

#[test]
fn the_document_and_the_router_list_the_same_routes() {
    let router = router_routes();
    assert!(router.len() >= 25, "the source parse found only {router:?}");
    let dir = tempfile::tempdir().unwrap();
    let index = small_index(dir.path());
    let token = serving::admin_token(&index);
    let server = serving::serve(&index, &["--no-model"]);
    let (status, document) = server.get("/api/openapi.json", &token);
    assert_eq!(status, 200, "{}", server.said());

    let mut documented = BTreeSet::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        for method in METHODS {
            if item.get(method).is_some() {
                documented.insert((method.to_string(), path.clone()));
            }
        }
    }
    let served: BTreeSet<_> = router
        .into_iter()
        .filter(|(_, path)| !PAGE.contains(&path.as_str()))
        .collect();
    let undocumented: Vec<_> = served.difference(&documented).collect();
    let unserved: Vec<_> = documented.difference(&served).collect();
    assert!(
        undocumented.is_empty(),
        "routes missing from the document: {undocumented:?}"
    );
    assert!(
        unserved.is_empty(),
        "documented but not routed: {unserved:?}"
    );

    // Every documented operation reaches its handler: without credentials, a secured one answers
    // 401 in the error format, the public ones anything but the router's 404 or 405.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let client = reqwest::Client::new();
        for (method, path) in &documented {
            let url = format!(
                "http://127.0.0.1:{}{}",
                server.port,
                path.replace("{id}", "1").replace("{name}", "x")
            );
            let method = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let response = client.request(method.clone(), &url).send().await.unwrap();
            let status = response.status().as_u16();
            let operation = &document["paths"][path][method.as_str().to_lowercase()];
            let public = operation["security"] == serde_json::json!([{}]);
            if public {
                assert!(![404, 405].contains(&status), "{method} {path}: {status}");
            } else {
                let body: serde_json::Value = response.json().await.unwrap();
                assert_eq!(status, 401, "{method} {path}: {body}");
                assert_eq!(body["error"]["code"], "unauthenticated", "{method} {path}");
            }
            let documented_statuses = operation["responses"].as_object().unwrap();
            assert!(
                documented_statuses.contains_key(&status.to_string()),
                "{method} {path} answered {status}, not in {:?}",
                documented_statuses.keys().collect::<Vec<_>>()
            );
        }
    });
}
