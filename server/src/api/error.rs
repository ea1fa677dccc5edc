//! Error answers, and running engine work off the async executor.

use axum::Json;
use axum::http::{HeaderName, HeaderValue, StatusCode};
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
    /// `invalid_credentials`, `too_many_attempts`, `conflict`, `overloaded`, `internal`.
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

/// Runs blocking engine work off the async executor.
pub(super) async fn blocking<T: Send + 'static, E: Into<ApiError> + Send + 'static>(
    work: impl FnOnce() -> Result<T, E> + Send + 'static,
) -> Result<T, ApiError> {
    match tokio::task::spawn_blocking(work).await {
        Ok(result) => result.map_err(Into::into),
        Err(e) => Err(ApiError::internal(format!("the request failed: {e}"))),
    }
}
