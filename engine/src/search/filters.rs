//! A request's field filters, date range and viewer scope as tantivy clauses around its query.

use std::collections::BTreeMap;
use std::ops::Bound;

use chrono::NaiveDate;
use minyi_corpus::normalize::normalize;
use minyi_indexer::MinyiIndex;
use minyi_indexer::schema::FACET_FIELDS;
use tantivy::query::{BooleanQuery, EmptyQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DateTime, Term};

use super::request::SearchRequest;
use crate::EngineError;
use crate::viewer::SubmitterNames;

/// The furthest a date bound may be from 1970, in seconds, that tantivy can hold.
const MAX_DATE_SECS: i64 = i64::MAX / 1_000_000_000;

/// `query` restricted by the request's field filters, date range and viewer scope; nothing at
/// all when the query text names personal data the viewer may not search by. `submitters`
/// says what a `submitter` filter value matches.
pub(crate) fn filtered(
    index: &MinyiIndex,
    query: Box<dyn Query>,
    req: &SearchRequest,
    submitters: &SubmitterNames,
) -> Result<Box<dyn Query>, EngineError> {
    if req.viewer.hides(&req.q) {
        return Ok(Box::new(EmptyQuery));
    }
    let fields = index.fields();
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, query)];
    let mut by_field: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (name, value) in &req.filters {
        by_field.entry(name).or_default().push(value);
    }
    for (name, values) in by_field {
        let field = match name {
            "submitter" => fields.submitter,
            _ => fields.facet(name).ok_or_else(|| {
                EngineError::InvalidRequest(format!(
                    "unknown filter `{name}` (filters: {}, submitter)",
                    FACET_FIELDS.join(", ")
                ))
            })?,
        };
        let any: Vec<Box<dyn Query>> = values
            .iter()
            .flat_map(|v| match name {
                "kind" => vec![
                    minyi_corpus::Kind::parse(v).map_or(normalize(v), |k| k.label().to_string()),
                ],
                "submitter" => submitters.stored(&normalize(v)),
                _ => vec![normalize(v)],
            })
            .map(|value| {
                Box::new(TermQuery::new(
                    Term::from_field_text(field, &value),
                    IndexRecordOption::Basic,
                )) as Box<dyn Query>
            })
            .collect();
        let any: Box<dyn Query> = if any.is_empty() {
            Box::new(EmptyQuery)
        } else {
            Box::new(BooleanQuery::union(any))
        };
        clauses.push((Occur::Must, any));
    }
    if let Some(scope) = req.viewer.scope(fields.stated_region) {
        clauses.push((Occur::Must, scope));
    }
    if req.from.is_some() || req.to.is_some() {
        if let (Some(from), Some(to)) = (req.from, req.to)
            && from > to
        {
            // An empty range selects nothing; the search answer's notices say why.
            return Ok(Box::new(EmptyQuery));
        }
        let bound = |d: NaiveDate| {
            // tantivy counts nanoseconds in an i64 (years 1677–2262): a day outside is clamped.
            let secs = d
                .and_hms_opt(0, 0, 0)
                .expect("midnight exists")
                .and_utc()
                .timestamp()
                .clamp(-MAX_DATE_SECS, MAX_DATE_SECS);
            Term::from_field_date(fields.submitted_at, DateTime::from_timestamp_secs(secs))
        };
        let lower = req
            .from
            .map_or(Bound::Unbounded, |d| Bound::Included(bound(d)));
        let upper = req.to.map_or(Bound::Unbounded, |d| {
            Bound::Excluded(bound(d.succ_opt().unwrap_or(NaiveDate::MAX)))
        });
        clauses.push((Occur::Must, Box::new(RangeQuery::new(lower, upper))));
    }
    Ok(if clauses.len() == 1 {
        clauses.pop().expect("one clause").1
    } else {
        Box::new(BooleanQuery::new(clauses))
    })
}
