//! Error answers, and running engine work off the async executor.

use axum::Json;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use minyi_engine::EngineError;
use serde::Serialize;
use utoipa::ToSchema;

/// An error answer: `{"error": {"code": "…", "message": "…"}}`.
#[derive(Debug)]
pub struct ApiError {
    pub(super) status: StatusCode,
    pub(super) code: &'static str,
    pub(super) message: String,
    /// A header the answer carries, such as `Retry-After` or `WWW-Authenticate`.
    header: Option<(HeaderName, HeaderValue)>,
}

#[derive(Serialize, ToSchema)]
pub(super) struct ErrorBody {
    error: ErrorDetail,
}

#[derive(Serialize, ToSchema)]
pub(super) struct ErrorDetail {
    /// Stable, machine-readable: `bad_query`, `invalid_request`, `not_found`,
    /// `unsupported_media_type`, `semantic_unavailable`, `unauthenticated`, `forbidden`,
    /// `invalid_credentials`, `too_many_attempts`, `conflict`, `overloaded`, `read_only`,
    /// `payload_too_large`, `method_not_allowed`, `internal`.
    code: String,
    /// For people.
    message: String,
}

impl ApiError {
    pub(super) fn new(
        status: StatusCode,
        code: &'static str,
        message: impl Into<String>,
    ) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            header: None,
        }
    }

    pub(super) fn bad_request(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, code, message)
    }

    pub(super) fn internal(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", message)
    }

    /// The same error, answered with `name: value` too.
    pub(super) fn with_header(mut self, name: HeaderName, value: impl ToString) -> ApiError {
        self.header = HeaderValue::from_str(&value.to_string())
            .ok()
            .map(|v| (name, v));
        self
    }

    /// `what` is e.g. "record `RX-1`" or "issue `I12` in this selection".
    pub(super) fn not_found(what: String) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", format!("no {what}"))
    }
}

/// Runs a blocking lookup by `id`; `None` becomes a 404 naming `what` was looked for.
pub(super) async fn find<T: Send + 'static>(
    id: String,
    what: impl FnOnce(&str) -> String,
    lookup: impl FnOnce(&str) -> Result<Option<T>, EngineError> + Send + 'static,
) -> Result<T, ApiError> {
    let found = {
        let id = id.clone();
        blocking(move || lookup(&id)).await?
    };
    found.ok_or_else(|| ApiError::not_found(what(&id)))
}

pub(super) fn record_named(id: &str) -> String {
    format!("record with id `{id}`")
}

impl From<EngineError> for ApiError {
    fn from(e: EngineError) -> ApiError {
        match e {
            EngineError::Query(e) => ApiError::bad_request("bad_query", e.to_string()),
            EngineError::InvalidRequest(m) => ApiError::bad_request("invalid_request", m),
            EngineError::NoSemantic(m) => ApiError::bad_request("semantic_unavailable", m),
            EngineError::ReadOnly => ApiError::new(
                StatusCode::CONFLICT,
                "read_only",
                EngineError::ReadOnly.to_string(),
            ),
            other => {
                tracing::error!("{other}");
                ApiError::internal(other.to_string())
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code.to_string(),
                message: self.message,
            },
        };
        let mut response = (self.status, Json(body)).into_response();
        if let Some((name, value)) = self.header {
            response.headers_mut().insert(name, value);
        }
        response
    }
}

/// A JSON request body read after the caller's rights were checked (axum's `Json` extractor would
/// answer a malformed body before the handler could refuse the caller).
pub(super) fn json_body<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|e| {
        ApiError::bad_request("invalid_request", format!("the body is not valid: {e}"))
    })
}

/// Gives the plain-text answers axum's extractors make for a request they cannot read (a path
/// parameter that is not a number, a body over the limit, no route for the method) the same
/// JSON shape as every other error, so that clients and the OpenAPI document see one error
/// format.
pub(super) async fn json_rejections(response: Response) -> Response {
    let status = response.status();
    let plain = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/plain"));
    if !status.is_client_error() || !plain {
        return response;
    }
    let (parts, body) = response.into_parts();
    let text = axum::body::to_bytes(body, REJECTION_TEXT_BYTES)
        .await
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
    let code = match status {
        StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        _ => "invalid_request",
    };
    let mut answer = ApiError::new(status, code, text).into_response();
    for (name, value) in &parts.headers {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            answer.headers_mut().insert(name, value.clone());
        }
    }
    answer
}

/// The most of a rejection's text kept in its JSON answer.
const REJECTION_TEXT_BYTES: usize = 64 * 1024;

/// Runs blocking engine work off the async executor.
pub(super) async fn blocking<T: Send + 'static, E: Into<ApiError> + Send + 'static>(
    work: impl FnOnce() -> Result<T, E> + Send + 'static,
) -> Result<T, ApiError> {
    match tokio::task::spawn_blocking(work).await {
        Ok(result) => result.map_err(Into::into),
        Err(e) => Err(ApiError::internal(format!("the request failed: {e}"))),
    }
}
