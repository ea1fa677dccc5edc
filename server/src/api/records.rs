//! `/api/records`: one record, uploads in any supported format, deletes.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use minyi_corpus::read::Format;
use minyi_corpus::{FieldMapping, Record, RecordReader, Reject};
use minyi_engine::Engine;
use minyi_indexer::IngestReport;
use minyi_indexer::names::Entity;
use minyi_store::Right;
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use super::auth::Caller;
use super::error::{ApiError, ErrorBody, blocking, find, record_named};

/// One record, as it was received (personal data masked for roles without the right to it).
/// A record outside the caller's districts is a 404, like one that does not exist.
#[utoipa::path(
    get,
    path = "/api/records/{id}",
    params(("id" = String, Path, description = "Record id")),
    responses((status = 200, body = RecordBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody))
)]
pub(super) async fn get_record(
    State(engine): State<Arc<Engine>>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<RecordBody>, ApiError> {
    caller.require(Right::Read)?;
    let viewer = caller.viewer();
    let body = find(id.clone(), record_named, move |id| {
        Ok(engine.record(id, &viewer)?.map(|record| RecordBody {
            entities: engine.entities(&record),
            record,
        }))
    })
    .await?;
    caller.audit("record.read", json!({ "id": id }))?;
    Ok(Json(body))
}

/// A record with the names it gives.
#[derive(Serialize, ToSchema)]
pub(super) struct RecordBody {
    #[serde(flatten)]
    record: Record,
    /// The estates, roads, schools, companies and districts the record names, as the index
    /// learned them.
    entities: Vec<Entity>,
}

/// What an ingest did.
#[derive(Serialize, ToSchema)]
pub(super) struct IngestResult {
    /// Records written (each distinct id once).
    accepted: u64,
    /// Rows that were not written, each with its position and reason.
    rejected: Vec<RejectBody>,
    /// Ids sent more than once, with their count; the last one was kept.
    duplicate_ids: Vec<(String, u32)>,
}

#[derive(Serialize, ToSchema)]
pub(super) struct RejectBody {
    /// 1-based line (JSON Lines) or element (JSON array).
    line: u64,
    id: Option<String>,
    reason: String,
}

impl From<IngestReport> for IngestResult {
    fn from(r: IngestReport) -> IngestResult {
        IngestResult {
            accepted: r.accepted,
            rejected: r
                .rejected
                .into_iter()
                .map(
                    |Reject {
                         line, id, reason, ..
                     }| RejectBody { line, id, reason },
                )
                .collect(),
            duplicate_ids: r.duplicate_ids,
        }
    }
}

/// Ingests records; upserts by id. The body's `Content-Type` says how to read it: a JSON array or
/// JSON Lines (`application/json`, `application/x-ndjson`, or no type), CSV with a header row, UTF-8
/// or GBK (`text/csv`), or an Excel workbook's first sheet (`application/vnd.openxmlformats-
/// officedocument.spreadsheetml.sheet`, `application/vnd.ms-excel`). CSV and Excel headers may be
/// the record fields' names or the usual Chinese ones (留言编号, 留言详情, 所属区县 …), as with
/// `minyi index`.
///
/// Good records are written even when others are rejected; the answer lists both, with the line
/// (CSV, JSON Lines) or sheet row (Excel) of each reject. It is 422 when no record could be written.
/// A caller scoped to districts may write only records of those districts: a row of another
/// district, without a region, or replacing another district's record is rejected at its line.
#[utoipa::path(
    post,
    path = "/api/records",
    request_body(content = Vec<Record>, description = "A JSON array of records, JSON Lines, CSV (`text/csv`) or an Excel workbook", content_type = "application/json"),
    responses(
        (status = 200, body = IngestResult),
        (status = 400, body = ErrorBody, description = "The body cannot be read in its format"),
        (status = 413, description = "The body is larger than 64 MiB"),
        (status = 415, body = ErrorBody, description = "A content type other than JSON, CSV or Excel"),
        (status = 422, body = IngestResult, description = "No record could be written"),
        (status = 403, body = ErrorBody, description = "The role may not import"),
    )
)]
pub(super) async fn post_records(
    State(engine): State<Arc<Engine>>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    caller.require(Right::Import)?;
    let format = upload_format(&headers)?;
    let reader =
        RecordReader::from_bytes("request", format, body.to_vec(), &FieldMapping::default())
            .map_err(|e| ApiError::bad_request("invalid_request", e.to_string()))?;
    // a user scoped to districts writes only records of those districts
    let reader = match engine.write_check(&caller.viewer()) {
        Some(check) => reader.refusing(check),
        None => reader,
    };
    let report = blocking(move || engine.ingest(reader)).await?;
    caller.audit(
        "import",
        json!({ "accepted": report.accepted, "rejected": report.rejected.len() }),
    )?;
    let status = if report.accepted == 0 {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, Json(IngestResult::from(report))).into_response())
}

/// The reader for a request body's `Content-Type` (parameters such as `charset` are ignored: the
/// CSV reader tells UTF-8 from GBK itself).
pub(super) fn upload_format(headers: &HeaderMap) -> Result<Format, ApiError> {
    let Some(value) = headers.get(header::CONTENT_TYPE) else {
        return Ok(Format::Json);
    };
    let media_type = value
        .to_str()
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match media_type.as_str() {
        "" | "application/json" | "application/x-ndjson" | "application/jsonl" | "text/plain" => {
            Ok(Format::Json)
        }
        "text/csv" => Ok(Format::Csv),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        | "application/vnd.ms-excel" => Ok(Format::Spreadsheet),
        other => Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            format!(
                "cannot read {other:?}: send application/json (array or JSON Lines), text/csv, or an \
                 Excel workbook (application/vnd.openxmlformats-officedocument.spreadsheetml.sheet)"
            ),
        )),
    }
}

/// Deletes a record.
#[utoipa::path(
    delete,
    path = "/api/records/{id}",
    params(("id" = String, Path, description = "Record id")),
    responses((status = 204, description = "Deleted"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
pub(super) async fn delete_record(
    State(engine): State<Arc<Engine>>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    caller.require(Right::Delete)?;
    let viewer = caller.viewer();
    let deleted = {
        let id = id.clone();
        // A record outside the caller's districts is not theirs to delete, nor to know of.
        blocking(move || match engine.record(&id, &viewer)? {
            Some(_) => engine.delete(&id),
            None => Ok(false),
        })
        .await?
    };
    if !deleted {
        return Err(ApiError::not_found(record_named(&id)));
    }
    caller.audit("delete", json!({ "id": id }))?;
    Ok(StatusCode::NO_CONTENT)
}
