//! The staff web page: static files compiled into the binary, so nothing is fetched from outside.

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// `(name, content type, bytes)` of every file under `server/assets/`.
const ASSETS: &[(&str, &str, &[u8])] = &[(
    "index.html",
    "text/html; charset=utf-8",
    include_bytes!("../assets/index.html"),
)];

fn asset(name: &str) -> Response {
    match ASSETS.iter().find(|(n, _, _)| *n == name) {
        Some((_, content_type, bytes)) => {
            ([(header::CONTENT_TYPE, *content_type)], *bytes).into_response()
        }
        None => (StatusCode::NOT_FOUND, "no such asset").into_response(),
    }
}

/// `GET /`: the page.
pub async fn page() -> Response {
    asset("index.html")
}

/// `GET /assets/{name}`: scripts, styles and images of the page.
pub async fn file(Path(name): Path<String>) -> Response {
    asset(&name)
}
