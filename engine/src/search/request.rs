//! What a search asks for: the query text, filters, dates, order, page and matching mode.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::query::Reading;
use crate::{EngineError, Viewer};

/// The most hits one request may ask for.
pub const MAX_LIMIT: usize = 200;
/// How deep paging may go (offset + limit).
pub const MAX_WINDOW: usize = 10_000;

/// How hits are ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// Best match first; for an empty query, newest first.
    #[default]
    Relevance,
    Newest,
    Oldest,
}

/// A search: the query text, exact filters, a date range, order and page.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub q: String,
    /// `(field, value)`; several values of one field match any of them.
    pub filters: Vec<(String, String)>,
    /// First day included.
    pub from: Option<NaiveDate>,
    /// Last day included.
    pub to: Option<NaiveDate>,
    pub sort: Sort,
    pub limit: usize,
    pub offset: usize,
    /// How the query text is matched; `None` picks hybrid when the index has embeddings and
    /// a model is loaded, lexical otherwise.
    pub mode: Option<Mode>,
    /// Who the answer is for: their scope restricts the records, their masking the answer.
    pub viewer: Viewer,
    /// Whether malformed query syntax is read as text (with notices) or refused.
    pub reading: Reading,
}

/// How the query text is matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Words, with the query syntax (全文).
    Lexical,
    /// Meaning: the nearest records by embedding (语义).
    Semantic,
    /// Both lists fused by reciprocal rank (混合).
    Hybrid,
}

impl Default for SearchRequest {
    fn default() -> Self {
        SearchRequest {
            q: String::new(),
            filters: Vec::new(),
            from: None,
            to: None,
            sort: Sort::Relevance,
            limit: 20,
            offset: 0,
            mode: None,
            viewer: Viewer::everyone(),
            reading: Reading::Lenient,
        }
    }
}

impl SearchRequest {
    /// Whether field filters, a date range or the viewer restrict the records: their scope, or
    /// a query naming personal data they may not search by (which leaves none).
    pub(crate) fn has_filters(&self) -> bool {
        !self.filters.is_empty()
            || self.from.is_some()
            || self.to.is_some()
            || self.viewer.regions().is_some()
            || self.viewer.hides(&self.q)
    }

    /// Whether the query text or the filters name a submitter.
    pub(crate) fn names_submitter(&self) -> bool {
        self.q.contains("submitter") || self.filters.iter().any(|(f, _)| f == "submitter")
    }

    /// The request with its page cut to the first [`MAX_WINDOW`] hits (a page that would reach
    /// past them is shortened, as the answer's `limit` shows); refuses an empty page, one larger
    /// than [`MAX_LIMIT`] or one starting past the window.
    pub(crate) fn within_window(&self) -> Result<SearchRequest, EngineError> {
        if self.limit == 0 || self.limit > MAX_LIMIT {
            return Err(EngineError::InvalidRequest(format!(
                "limit must be between 1 and {MAX_LIMIT}"
            )));
        }
        if self.offset >= MAX_WINDOW {
            return Err(EngineError::InvalidRequest(format!(
                "offset must be below {MAX_WINDOW}; narrow the search instead"
            )));
        }
        Ok(SearchRequest {
            limit: self.limit.min(MAX_WINDOW - self.offset),
            ..self.clone()
        })
    }
}
