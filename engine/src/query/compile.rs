//! A parsed query ([`Expr`]) translated to tantivy: words segmented with the index's
//! dictionary, searched in title and content, field values matched exactly.

use minyi_corpus::Kind;
use minyi_indexer::analyzer::JiebaTokenizer;
use minyi_indexer::schema::Fields;
use tantivy::Term;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, EmptyQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};

use super::syntax::Expr;
use crate::viewer::SubmitterNames;

/// Title matches count this much more than content matches.
const TITLE_BOOST: f32 = 2.0;
/// How much words standing together (as a phrase) add to a multi-word match.
const PROXIMITY_BOOST: f32 = 1.5;

pub(super) struct Compiler<'a> {
    pub(super) fields: &'a Fields,
    pub(super) tokenizer: &'a JiebaTokenizer,
    pub(super) submitters: &'a SubmitterNames,
}

impl Compiler<'_> {
    /// The query for `expr`, or `None` when it holds nothing searchable (only punctuation).
    pub(super) fn expr(&self, expr: &Expr) -> Option<Box<dyn Query>> {
        match expr {
            Expr::Text {
                field,
                text,
                phrase,
            } => self.text(field.as_deref(), text, *phrase),
            Expr::Or(alternatives) => {
                let subs: Vec<_> = alternatives.iter().filter_map(|e| self.expr(e)).collect();
                (!subs.is_empty()).then(|| Box::new(BooleanQuery::union(subs)) as Box<dyn Query>)
            }
            Expr::And(clauses) => {
                let mut subs: Vec<(Occur, Box<dyn Query>)> = clauses
                    .iter()
                    .filter_map(|(excluded, e)| {
                        let occur = if *excluded {
                            Occur::MustNot
                        } else {
                            Occur::Must
                        };
                        self.expr(e).map(|q| (occur, q))
                    })
                    .collect();
                if subs.is_empty() {
                    return None;
                }
                if subs.iter().all(|(o, _)| *o == Occur::MustNot) {
                    subs.push((Occur::Must, Box::new(AllQuery)));
                }
                Some(Box::new(BooleanQuery::new(subs)))
            }
        }
    }

    fn text(&self, field: Option<&str>, text: &str, phrase: bool) -> Option<Box<dyn Query>> {
        if let Some(name) = field {
            if let Some(facet) = self.fields.facet(name) {
                let value = match name {
                    "kind" => Kind::parse(text).map_or(text.to_string(), |k| k.label().to_string()),
                    _ => text.trim().to_string(),
                };
                return Some(exact(facet, &value));
            }
            match name {
                "submitter" => {
                    let mut any: Vec<Box<dyn Query>> = self
                        .submitters
                        .stored(text.trim())
                        .iter()
                        .map(|name| exact(self.fields.submitter, name))
                        .collect();
                    return Some(match any.len() {
                        0 => Box::new(EmptyQuery),
                        1 => any.pop().expect("one submitter"),
                        _ => Box::new(BooleanQuery::union(any)),
                    });
                }
                "id" => return Some(exact(self.fields.id, text.trim())),
                _ => {}
            }
        }
        let targets: Vec<(Field, f32)> = match field.and_then(|f| self.fields.text(f)) {
            Some(f) => vec![(f, 1.0)],
            None => vec![(self.fields.title, TITLE_BOOST), (self.fields.content, 1.0)],
        };
        let words: Vec<String> = self
            .tokenizer
            .tokens(text)
            .into_iter()
            .map(|t| t.text)
            .collect();
        match words.len() {
            0 => None,
            1 => Some(any_field(&targets, |f| term(f, &words[0]))),
            _ if phrase => Some(any_field(&targets, |f| phrase_query(f, &words))),
            _ => {
                let mut subs: Vec<(Occur, Box<dyn Query>)> = words
                    .iter()
                    .map(|w| (Occur::Must, any_field(&targets, |f| term(f, w))))
                    .collect();
                let together = any_field(&targets, |f| phrase_query(f, &words));
                subs.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(together, PROXIMITY_BOOST)),
                ));
                Some(Box::new(BooleanQuery::new(subs)))
            }
        }
    }
}

fn exact(field: Field, value: &str) -> Box<dyn Query> {
    if value.is_empty() {
        return Box::new(EmptyQuery);
    }
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

fn term(field: Field, word: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, word),
        IndexRecordOption::WithFreqs,
    ))
}

fn phrase_query(field: Field, words: &[String]) -> Box<dyn Query> {
    Box::new(PhraseQuery::new(
        words
            .iter()
            .map(|w| Term::from_field_text(field, w))
            .collect(),
    ))
}

/// `make(field)` over each target field, boosted, any of which may match.
fn any_field(targets: &[(Field, f32)], make: impl Fn(Field) -> Box<dyn Query>) -> Box<dyn Query> {
    let mut subs: Vec<Box<dyn Query>> = targets
        .iter()
        .map(|(f, boost)| {
            let q = make(*f);
            if *boost == 1.0 {
                q
            } else {
                Box::new(BoostQuery::new(q, *boost)) as Box<dyn Query>
            }
        })
        .collect();
    if subs.len() == 1 {
        subs.pop().expect("one target")
    } else {
        Box::new(BooleanQuery::union(subs))
    }
}
