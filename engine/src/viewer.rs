//! Who an answer is for: the districts whose records they may see, and whether personal data
//! must be masked for them.
//!
//! The engine knows nothing of users or roles (that is the `store` crate's and the server's
//! business); a caller turns whoever is asking into a [`Viewer`] and passes it with every query.
//! The scope is applied inside the queries (a clause on the record's own region), so totals,
//! facet counts, histograms, issues and vector candidates never count a record the viewer may
//! not see, and a record out of scope is indistinguishable from a missing one. Masking applies
//! to every text of every answer; and since a masked viewer must not be able to find a record
//! by personal data either, a query naming personal data matches nothing for them, and their
//! `submitter` values match pseudonyms, never real submitters.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use minyi_corpus::Record;
use minyi_corpus::normalize::normalize;
use minyi_corpus::pii::{self, Masker};
use tantivy::query::{BooleanQuery, ConstScoreQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};

use crate::EngineError;

/// Who an answer is for. The default is [`Viewer::everyone`].
#[derive(Clone, Default)]
pub struct Viewer {
    /// `None`: every region. `Some(list)`: only records whose own `region` is in the list;
    /// records without a region are invisible (nobody can say which district they belong to).
    regions: Option<Vec<String>>,
    /// Masks personal data in answers, when set.
    masker: Option<Arc<Masker>>,
}

impl Viewer {
    /// Every record, unmasked: the command line, benchmarks, internal calls.
    pub fn everyone() -> Viewer {
        Viewer::default()
    }

    /// A viewer of the records of `regions` (all of them when empty), with personal data
    /// masked by `masker` when given.
    pub fn new(regions: Vec<String>, masker: Option<Masker>) -> Viewer {
        Viewer {
            regions: (!regions.is_empty()).then_some(regions),
            masker: masker.map(Arc::new),
        }
    }

    /// Whether personal data is masked in this viewer's answers.
    pub fn masked(&self) -> bool {
        self.masker.is_some()
    }

    /// The regions in scope; `None` for all of them.
    pub fn regions(&self) -> Option<&[String]> {
        self.regions.as_deref()
    }

    /// The masker of this viewer's answers, when they are masked.
    pub fn masker(&self) -> Option<&Masker> {
        self.masker.as_deref()
    }

    /// The records in scope, as a query on `stated_region` that adds nothing to scores (so it
    /// ranks no region above another); `None` when every record is in scope.
    pub(crate) fn scope(&self, stated_region: Field) -> Option<Box<dyn Query>> {
        let regions = self.regions.as_ref()?;
        let any = regions
            .iter()
            .map(|r| {
                Box::new(TermQuery::new(
                    Term::from_field_text(stated_region, &normalize(r)),
                    IndexRecordOption::Basic,
                )) as Box<dyn Query>
            })
            .collect();
        Some(Box::new(ConstScoreQuery::new(
            Box::new(BooleanQuery::union(any)),
            0.0,
        )))
    }

    /// `Ok` when this viewer may write `record`, which would replace `existing` (the record of
    /// the same id now in the index): with a district scope, only a record of one of those
    /// districts, and never over another district's record. A record without a region is
    /// refused too: the scoped writer could not see it, and nobody could say whose it is.
    pub fn may_write(&self, record: &Record, existing: Option<&Record>) -> Result<(), String> {
        let Some(regions) = &self.regions else {
            return Ok(());
        };
        let in_scope = |region: Option<&String>| {
            region.is_some_and(|r| regions.iter().any(|s| normalize(s) == normalize(r)))
        };
        let scope = regions.join("、");
        match &record.region {
            None => Err(format!(
                "no `region`: your imports must name one of your districts ({scope})"
            )),
            Some(region) if !in_scope(Some(region)) => Err(format!(
                "region `{region}` is outside your districts ({scope})"
            )),
            _ if existing.is_some_and(|e| !in_scope(e.region.as_ref())) => Err(format!(
                "record `{}` already exists outside your districts and may not be replaced",
                record.id
            )),
            _ => Ok(()),
        }
    }

    /// Whether the query text `q` names personal data this viewer may not search by: then it
    /// matches no record for them.
    pub(crate) fn hides(&self, q: &str) -> bool {
        self.masked() && !pii::find(q).is_empty()
    }

    /// How this viewer's `submitter` values are matched in `searcher`. `needed` is whether the
    /// request has any (the lookup of pseudonyms reads every submitter of the index).
    pub(crate) fn submitter_names(
        &self,
        searcher: &Searcher,
        submitter: Field,
        needed: bool,
    ) -> Result<SubmitterNames, EngineError> {
        let Some(masker) = self.masker.as_deref().filter(|_| needed) else {
            return Ok(SubmitterNames::AsWritten);
        };
        let mut by_pseudonym: HashMap<String, Vec<String>> = HashMap::new();
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(submitter)?;
            let mut terms = inverted
                .terms()
                .stream()
                .map_err(tantivy::TantivyError::from)?;
            while terms.advance() {
                let name = String::from_utf8_lossy(terms.key()).into_owned();
                let names = by_pseudonym.entry(masker.pseudonym(&name)).or_default();
                if !names.contains(&name) {
                    names.push(name);
                }
            }
        }
        Ok(SubmitterNames::Pseudonyms(by_pseudonym))
    }
}

impl fmt::Debug for Viewer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Viewer")
            .field("regions", &self.regions)
            .field("masked", &self.masked())
            .finish()
    }
}

/// What a `submitter` value in a query or filter matches.
pub(crate) enum SubmitterNames {
    /// The submitter as written.
    AsWritten,
    /// For a masked viewer: the real submitters whose pseudonym the value is, so that a real
    /// name matches nothing.
    Pseudonyms(HashMap<String, Vec<String>>),
}

impl SubmitterNames {
    /// The stored submitters `value` stands for.
    pub(crate) fn stored(&self, value: &str) -> Vec<String> {
        match self {
            SubmitterNames::AsWritten => vec![value.to_string()],
            SubmitterNames::Pseudonyms(by_pseudonym) => {
                by_pseudonym.get(value).cloned().unwrap_or_default()
            }
        }
    }
}

/// Masks personal data in a plain text.
pub(crate) fn mask_text(text: &mut String) {
    let masked = pii::mask(text);
    if !masked.spans.is_empty() {
        *text = masked.text;
    }
}

/// Masks personal data in an HTML-escaped text with `<em>` highlights.
pub(crate) fn mask_html(html: &mut String) {
    let masked = pii::mask_html(html);
    if !masked.spans.is_empty() {
        *html = masked.text;
    }
}
