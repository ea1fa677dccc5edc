//! The query language people type into the search box, and its translation to tantivy.
//!
//! ```text
//! 广场舞 噪音            both words (AND is implicit)
//! "夜间施工"             an exact phrase; Chinese quotes “…” work too
//! 噪音 -装修            excluding a word
//! region:青山区          a field: any facet (kind, channel, site, region, category, law, article,
//!                        status), submitter, id, or a text field (title, content, reply)
//! 路灯 OR 照明           either; `|` works too; parentheses group
//! ```
//!
//! Unspaced Chinese is segmented with the index's dictionary: `广场舞噪音` requires both words
//! anywhere in the record and ranks records where they stand together higher.

use minyi_corpus::Kind;
use minyi_corpus::normalize::normalize;
use minyi_indexer::analyzer::JiebaTokenizer;
use minyi_indexer::schema::{FACET_FIELDS, Fields};
use tantivy::Term;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, EmptyQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};

use crate::viewer::SubmitterNames;

/// The longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 1000;
/// Title matches count this much more than content matches.
const TITLE_BOOST: f32 = 2.0;
/// How much words standing together (as a phrase) add to a multi-word match.
const PROXIMITY_BOOST: f32 = 1.5;

/// Why a query could not be understood; the message is meant for the person who typed it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    #[error("the query is longer than {MAX_QUERY_CHARS} characters")]
    TooLong,
    #[error("a quotation mark at character {0} is never closed")]
    UnclosedQuote(usize),
    #[error("a parenthesis at character {0} is never closed")]
    UnclosedParen(usize),
    #[error("a closing parenthesis at character {0} has no opening one")]
    UnexpectedParen(usize),
    #[error("`OR` at character {0} needs something to search on both sides")]
    DanglingOr(usize),
    #[error("`-` at character {0} must be followed by a word to exclude")]
    DanglingNot(usize),
    #[error("`{0}:` needs a value after the colon")]
    EmptyFieldValue(String),
}

#[derive(Debug, Clone, PartialEq)]
enum Lexeme {
    Text {
        field: Option<String>,
        text: String,
        phrase: bool,
        at: usize,
    },
    Not(usize),
    Or(usize),
    Open(usize),
    Close(usize),
}

/// A parsed query.
#[derive(Debug, Clone, PartialEq)]
enum Expr {
    Text {
        field: Option<String>,
        text: String,
        phrase: bool,
    },
    /// Clauses that must all hold; the flag marks excluded ones.
    And(Vec<(bool, Expr)>),
    Or(Vec<Expr>),
}

/// Parses `input` and builds the tantivy query for it. An empty query matches every record.
pub fn parse(
    input: &str,
    fields: &Fields,
    tokenizer: &JiebaTokenizer,
) -> Result<Box<dyn Query>, QueryError> {
    parse_for(input, fields, tokenizer, &SubmitterNames::AsWritten)
}

/// [`parse`], with `submitter:` values matching what `submitters` says they stand for.
pub(crate) fn parse_for(
    input: &str,
    fields: &Fields,
    tokenizer: &JiebaTokenizer,
    submitters: &SubmitterNames,
) -> Result<Box<dyn Query>, QueryError> {
    if input.chars().count() > MAX_QUERY_CHARS {
        return Err(QueryError::TooLong);
    }
    let lexemes = lex(&normalize(input))?;
    if lexemes.is_empty() {
        return Ok(Box::new(AllQuery));
    }
    let mut parser = Parser { lexemes, next: 0 };
    let expr = parser.or()?;
    if let Some(Lexeme::Close(at)) = parser.lexemes.get(parser.next) {
        return Err(QueryError::UnexpectedParen(*at));
    }
    let compiler = Compiler {
        fields,
        tokenizer,
        submitters,
    };
    Ok(compiler.expr(&expr).unwrap_or_else(|| Box::new(AllQuery)))
}

fn is_quote(c: char) -> Option<char> {
    match c {
        '"' => Some('"'),
        '“' => Some('”'),
        '「' => Some('」'),
        _ => None,
    }
}

fn lex(input: &str) -> Result<Vec<Lexeme>, QueryError> {
    let chars: Vec<char> = input.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '(' || c == '（' {
            out.push(Lexeme::Open(i + 1));
            i += 1;
        } else if c == ')' || c == '）' {
            out.push(Lexeme::Close(i + 1));
            i += 1;
        } else if c == '|' {
            out.push(Lexeme::Or(i + 1));
            i += 1;
        } else if c == '-' && i + 1 < chars.len() && !chars[i + 1].is_whitespace() {
            out.push(Lexeme::Not(i + 1));
            i += 1;
        } else if c == '-' {
            return Err(QueryError::DanglingNot(i + 1));
        } else {
            let at = i + 1;
            let (field, start) =
                field_prefix(&chars[i..]).map_or((None, i), |(f, len)| (Some(f), i + len));
            if let Some(close) = chars.get(start).copied().and_then(is_quote) {
                let end = chars[start + 1..]
                    .iter()
                    .position(|c| *c == close || (close == '”' && *c == '"'))
                    .ok_or(QueryError::UnclosedQuote(start + 1))?
                    + start
                    + 1;
                let text: String = chars[start + 1..end].iter().collect();
                out.push(Lexeme::Text {
                    field,
                    text,
                    phrase: true,
                    at,
                });
                i = end + 1;
            } else {
                let end = chars[start..]
                    .iter()
                    .position(|c| {
                        c.is_whitespace()
                            || matches!(c, '(' | ')' | '（' | '）' | '|')
                            || is_quote(*c).is_some()
                    })
                    .map_or(chars.len(), |p| p + start);
                let text: String = chars[start..end].iter().collect();
                match (&field, text.as_str()) {
                    (Some(f), "") => return Err(QueryError::EmptyFieldValue(f.clone())),
                    (None, "OR") => out.push(Lexeme::Or(at)),
                    (None, "AND") => {}
                    _ => out.push(Lexeme::Text {
                        field,
                        text,
                        phrase: false,
                        at,
                    }),
                }
                i = end;
            }
        }
    }
    Ok(out)
}

/// A known field name followed by `:` (or `：`) at the start of `chars`: the name and the
/// number of characters taken.
fn field_prefix(chars: &[char]) -> Option<(String, usize)> {
    let colon = chars.iter().position(|c| *c == ':' || *c == '：')?;
    let name: String = chars[..colon].iter().collect();
    let known = FACET_FIELDS.contains(&name.as_str())
        || matches!(
            name.as_str(),
            "title" | "content" | "reply" | "submitter" | "id"
        );
    known.then_some((name, colon + 1))
}

struct Parser {
    lexemes: Vec<Lexeme>,
    next: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Lexeme> {
        self.lexemes.get(self.next)
    }

    fn or(&mut self) -> Result<Expr, QueryError> {
        let mut alternatives = Vec::new();
        loop {
            let at = match self.peek() {
                Some(Lexeme::Or(at)) => Some(*at),
                _ => None,
            };
            if let Some(at) = at {
                return Err(QueryError::DanglingOr(at));
            }
            alternatives.push(self.and()?);
            match self.peek() {
                Some(Lexeme::Or(at)) => {
                    let at = *at;
                    self.next += 1;
                    if matches!(self.peek(), None | Some(Lexeme::Close(_) | Lexeme::Or(_))) {
                        return Err(QueryError::DanglingOr(at));
                    }
                }
                _ => break,
            }
        }
        Ok(if alternatives.len() == 1 {
            alternatives.pop().expect("one alternative")
        } else {
            Expr::Or(alternatives)
        })
    }

    fn and(&mut self) -> Result<Expr, QueryError> {
        let mut clauses = Vec::new();
        while let Some(lexeme) = self.peek().cloned() {
            match lexeme {
                Lexeme::Or(_) | Lexeme::Close(_) => break,
                Lexeme::Not(at) => {
                    self.next += 1;
                    match self.peek() {
                        Some(Lexeme::Text { .. } | Lexeme::Open(_)) => {
                            clauses.push((true, self.primary()?))
                        }
                        _ => return Err(QueryError::DanglingNot(at)),
                    }
                }
                _ => clauses.push((false, self.primary()?)),
            }
        }
        Ok(if clauses.len() == 1 && !clauses[0].0 {
            clauses.pop().expect("one clause").1
        } else {
            Expr::And(clauses)
        })
    }

    fn primary(&mut self) -> Result<Expr, QueryError> {
        let lexeme = self.lexemes[self.next].clone();
        self.next += 1;
        match lexeme {
            Lexeme::Text {
                field,
                text,
                phrase,
                ..
            } => Ok(Expr::Text {
                field,
                text,
                phrase,
            }),
            Lexeme::Open(at) => {
                if matches!(self.peek(), Some(Lexeme::Close(_))) {
                    self.next += 1;
                    return Ok(Expr::And(Vec::new()));
                }
                let inner = self.or()?;
                match self.peek() {
                    Some(Lexeme::Close(_)) => {
                        self.next += 1;
                        Ok(inner)
                    }
                    _ => Err(QueryError::UnclosedParen(at)),
                }
            }
            other => unreachable!("primary() is only called on text or `(`, not {other:?}"),
        }
    }
}

struct Compiler<'a> {
    fields: &'a Fields,
    tokenizer: &'a JiebaTokenizer,
    submitters: &'a SubmitterNames,
}

impl Compiler<'_> {
    /// The query for `expr`, or `None` when it holds nothing searchable (only punctuation).
    fn expr(&self, expr: &Expr) -> Option<Box<dyn Query>> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(input: &str) -> Result<Vec<Lexeme>, QueryError> {
        lex(&normalize(input))
    }

    fn expr(input: &str) -> Result<Expr, QueryError> {
        let mut p = Parser {
            lexemes: lex(input)?,
            next: 0,
        };
        let e = p.or()?;
        if let Some(Lexeme::Close(at)) = p.lexemes.get(p.next) {
            return Err(QueryError::UnexpectedParen(*at));
        }
        Ok(e)
    }

    fn word(text: &str) -> Expr {
        Expr::Text {
            field: None,
            text: text.into(),
            phrase: false,
        }
    }

    #[test]
    fn parses_words_phrases_fields_negation_and_or() {
        assert_eq!(
            expr("广场舞 -装修 region:青山区").unwrap(),
            Expr::And(vec![
                (false, word("广场舞")),
                (true, word("装修")),
                (
                    false,
                    Expr::Text {
                        field: Some("region".into()),
                        text: "青山区".into(),
                        phrase: false
                    }
                ),
            ])
        );
        assert_eq!(
            expr("路灯 OR 照明 | 灯").unwrap(),
            Expr::Or(vec![word("路灯"), word("照明"), word("灯")])
        );
        assert_eq!(
            expr("“夜间 施工” title:\"渣土车\"").unwrap(),
            Expr::And(vec![
                (
                    false,
                    Expr::Text {
                        field: None,
                        text: "夜间 施工".into(),
                        phrase: true
                    }
                ),
                (
                    false,
                    Expr::Text {
                        field: Some("title".into()),
                        text: "渣土车".into(),
                        phrase: true
                    }
                ),
            ])
        );
        assert_eq!(
            expr("(噪音 OR 扰民) 工地").unwrap(),
            Expr::And(vec![
                (false, Expr::Or(vec![word("噪音"), word("扰民")])),
                (false, word("工地"))
            ])
        );
    }

    #[test]
    fn unknown_prefixes_and_inner_hyphens_are_plain_text() {
        assert_eq!(expr("时间:晚上").unwrap(), word("时间:晚上"));
        assert_eq!(expr("G2-320").unwrap(), word("G2-320"));
    }

    #[test]
    fn malformed_queries_say_where() {
        assert_eq!(
            texts("\"夜间施工").unwrap_err(),
            QueryError::UnclosedQuote(1)
        );
        assert_eq!(
            expr("(噪音 扰民").unwrap_err(),
            QueryError::UnclosedParen(1)
        );
        assert_eq!(expr("噪音)").unwrap_err(), QueryError::UnexpectedParen(3));
        assert_eq!(expr("OR 噪音").unwrap_err(), QueryError::DanglingOr(1));
        assert_eq!(expr("噪音 OR").unwrap_err(), QueryError::DanglingOr(4));
        assert_eq!(expr("噪音 -").unwrap_err(), QueryError::DanglingNot(4));
        assert_eq!(
            expr("region: 青山区").unwrap_err(),
            QueryError::EmptyFieldValue("region".into())
        );
    }
}
