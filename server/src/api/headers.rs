//! The headers every answer carries, whatever its route or status.
//!
//! The page loads only its own scripts and styles (it has no inline script), so the policy
//! allows nothing from elsewhere; no site may frame it; browsers must not guess content types;
//! and no address, which may hold a query with a name in it, leaks through `Referer`.

use axum::http::{HeaderValue, header};
use axum::response::Response;

pub(super) const CONTENT_SECURITY_POLICY: &str =
    "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

pub(super) async fn secure(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}
