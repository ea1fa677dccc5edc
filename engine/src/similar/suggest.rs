//! Routing suggestions (交办建议): the category and handling department most similar past
//! cases carry, weighted by their similarity, with the cases as evidence.

use std::collections::HashMap;

use minyi_corpus::Record;
use serde::Serialize;

use super::SimilarCases;
use crate::Engine;

/// Extra fields offices use for the department that handled a case.
const DEPARTMENT_KEYS: &[&str] = &[
    "handling_department",
    "承办单位",
    "办理单位",
    "承办部门",
    "责任单位",
    "交办单位",
];

/// A routing suggestion (交办建议) with its evidence.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Suggestion {
    pub category: Option<Guess>,
    /// From the cases' `handling_department` (or 承办单位 …) field.
    pub department: Option<Guess>,
    /// How many similar cases were consulted.
    pub based_on: usize,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Guess {
    pub value: String,
    /// Share of the similar cases' weight that carries this value, 0–1.
    pub confidence: f32,
    /// Ids of the similar cases that carry it.
    pub evidence: Vec<String>,
}

impl Engine {
    /// Suggests a category and a handling department from the labels of similar past cases.
    pub fn suggest(&self, cases: &SimilarCases) -> Suggestion {
        let category = vote(cases, |r| r.category.clone());
        let department = vote(cases, |r| {
            DEPARTMENT_KEYS
                .iter()
                .find_map(|k| r.extra.get(*k).and_then(|v| v.as_str()).map(str::to_string))
        });
        Suggestion {
            category,
            department,
            based_on: cases.hits.len(),
        }
    }
}

/// The label most of the similar cases carry, weighted by their scores.
fn vote(cases: &SimilarCases, label: impl Fn(&Record) -> Option<String>) -> Option<Guess> {
    let mut weights: HashMap<String, (f32, Vec<String>)> = HashMap::new();
    let mut total = 0.0;
    for case in &cases.hits {
        if let Some(l) = label(&case.record) {
            let entry = weights.entry(l).or_default();
            entry.0 += case.score;
            entry.1.push(case.id.clone());
            total += case.score;
        }
    }
    let (value, (weight, evidence)) = weights
        .into_iter()
        .max_by(|a, b| a.1.0.total_cmp(&b.1.0).then(b.0.cmp(&a.0)))?;
    Some(Guess {
        value,
        confidence: weight / total,
        evidence,
    })
}
