//! The staff web page: static files compiled into the binary, so nothing is fetched from outside.
//!
//! For work on the page, `MINYI_ASSETS_DIR=server/assets minyi serve …` serves these same files
//! from that folder instead, so an edit shows on reload without a rebuild. Only the names listed
//! here are ever served.

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

const HTML: &str = "text/html; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";
const JS: &str = "text/javascript; charset=utf-8";
const SVG: &str = "image/svg+xml";

/// `(name, content type, bytes)` of every file under `server/assets/`.
const ASSETS: &[(&str, &str, &[u8])] = &[
    ("index.html", HTML, include_bytes!("../assets/index.html")),
    ("style.css", CSS, include_bytes!("../assets/style.css")),
    ("app.js", JS, include_bytes!("../assets/app.js")),
    ("api.js", JS, include_bytes!("../assets/api.js")),
    ("ui.js", JS, include_bytes!("../assets/ui.js")),
    ("search.js", JS, include_bytes!("../assets/search.js")),
    ("record.js", JS, include_bytes!("../assets/record.js")),
    ("issues.js", JS, include_bytes!("../assets/issues.js")),
    ("laws.js", JS, include_bytes!("../assets/laws.js")),
    ("import.js", JS, include_bytes!("../assets/import.js")),
    ("session.js", JS, include_bytes!("../assets/session.js")),
    ("topics.js", JS, include_bytes!("../assets/topics.js")),
    (
        "topic-form.js",
        JS,
        include_bytes!("../assets/topic-form.js"),
    ),
    (
        "topic-chart.js",
        JS,
        include_bytes!("../assets/topic-chart.js"),
    ),
    ("topics.css", CSS, include_bytes!("../assets/topics.css")),
    ("favicon.svg", SVG, include_bytes!("../assets/favicon.svg")),
];

fn asset(name: &str) -> Response {
    let Some((name, content_type, bytes)) = ASSETS.iter().find(|(n, _, _)| *n == name) else {
        return (StatusCode::NOT_FOUND, "no such asset").into_response();
    };
    let headers = [
        (header::CONTENT_TYPE, *content_type),
        // The page changes with the binary; a stale module mixed with a new one breaks it.
        (header::CACHE_CONTROL, "no-cache"),
    ];
    if let Some(dir) = std::env::var_os("MINYI_ASSETS_DIR")
        && let Ok(live) = std::fs::read(std::path::Path::new(&dir).join(name))
    {
        return (headers, live).into_response();
    }
    (headers, *bytes).into_response()
}

/// `GET /`: the page.
pub async fn page() -> Response {
    asset("index.html")
}

/// `GET /assets/{name}`: scripts, styles and images of the page.
pub async fn file(Path(name): Path<String>) -> Response {
    asset(&name)
}
