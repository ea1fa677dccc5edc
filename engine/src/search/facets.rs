//! Facet counts and the monthly histogram over all matching records.

use std::collections::BTreeMap;

use minyi_indexer::schema::FACET_FIELDS;
use serde::Serialize;
use tantivy::aggregation::agg_req::Aggregations;
use tantivy::aggregation::agg_result::AggregationResults;
use tantivy::aggregation::{AggContextParams, AggregationCollector};

use crate::EngineError;
use crate::viewer::mask_text;

/// How many matching records have a value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}

/// Matching records per month (`2024-05`), oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MonthCount {
    pub month: String,
    pub count: u64,
}

/// Counts per facet field, largest first.
pub(crate) type Facets = BTreeMap<String, Vec<FacetCount>>;

/// Collects the counts of every facet field and of every month.
pub(crate) fn collector() -> AggregationCollector {
    let mut request = serde_json::Map::new();
    for name in FACET_FIELDS {
        request.insert(
            name.to_string(),
            serde_json::json!({"terms": {"field": name, "size": 200}}),
        );
    }
    request.insert(
        "month".into(),
        serde_json::json!({"terms": {"field": "month", "size": 1200, "order": {"_key": "asc"}}}),
    );
    let aggregations: Aggregations = serde_json::from_value(serde_json::Value::Object(request))
        .expect("the facet request is valid");
    AggregationCollector::from_aggs(aggregations, AggContextParams::default())
}

/// What [`collector`] collected, as facet counts and the histogram.
pub(crate) fn counts(
    results: AggregationResults,
) -> Result<(Facets, Vec<MonthCount>), EngineError> {
    let json = serde_json::to_value(results)
        .map_err(|e| tantivy::TantivyError::InternalError(format!("facet results: {e}")))?;
    let buckets = |name: &str| -> Vec<FacetCount> {
        json[name]["buckets"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|b| {
                Some(FacetCount {
                    value: b["key"].as_str()?.to_string(),
                    count: b["doc_count"].as_u64()?,
                })
            })
            .collect()
    };
    let facets = FACET_FIELDS
        .iter()
        .map(|n| (n.to_string(), buckets(n)))
        .collect();
    let histogram = buckets("month")
        .into_iter()
        .map(|b| MonthCount {
            month: b.value,
            count: b.count,
        })
        .collect();
    Ok((facets, histogram))
}

/// Masks personal data in facet values (names learned from the text may carry some).
pub(crate) fn mask(facets: &mut Facets) {
    for counts in facets.values_mut() {
        mask_counts(counts);
    }
}

/// Masks personal data in counted values.
pub(crate) fn mask_counts(counts: &mut [FacetCount]) {
    counts.iter_mut().for_each(|c| mask_text(&mut c.value));
}
