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
//!
//! Full-width parentheses （） are text, as in pasted titles (`星湖湾（二期）`), unless they
//! clearly group: they hold `OR` or `|`, or follow a `-`.
//!
//! Queries are read leniently by default, as Elasticsearch's `simple_query_string` does: staff
//! paste fragments of titles, so an unclosed quotation mark or parenthesis, a stray closing one,
//! a dangling `-` or `OR`, or a field name without a value are read as plain text, and each such
//! reading is reported as a notice. A strict reading refuses them with a [`QueryError`] instead.
//!
//! [`syntax`] reads the characters into an expression, [`compile`] makes it a tantivy query.

mod compile;
mod syntax;

use minyi_corpus::normalize::normalize;
use minyi_indexer::analyzer::JiebaTokenizer;
use minyi_indexer::schema::Fields;
use tantivy::query::{AllQuery, Query};

use crate::viewer::SubmitterNames;

/// The longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 1000;

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
    #[error("`{0}:` at character {1} needs a value after the colon")]
    EmptyFieldValue(String, usize),
}

impl QueryError {
    /// The character (from 1) a lenient reading takes as plain text instead; `None` for an
    /// error no reading repairs.
    fn at(&self) -> Option<usize> {
        match self {
            QueryError::TooLong => None,
            QueryError::UnclosedQuote(at)
            | QueryError::UnclosedParen(at)
            | QueryError::UnexpectedParen(at)
            | QueryError::DanglingOr(at)
            | QueryError::DanglingNot(at)
            | QueryError::EmptyFieldValue(_, at) => Some(*at),
        }
    }
}

/// How strictly the query text is read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Reading {
    /// Malformed syntax is read as plain text, with a notice saying so.
    #[default]
    Lenient,
    /// Malformed syntax is a [`QueryError`].
    Strict,
}

/// A parsed query and how it was read.
pub struct ParsedQuery {
    pub query: Box<dyn Query>,
    /// What a lenient reading took as plain text, one sentence each for the person who typed it.
    pub notices: Vec<String>,
}

/// Parses `input` and builds the tantivy query for it. An empty query matches every record.
pub fn parse(
    input: &str,
    fields: &Fields,
    tokenizer: &JiebaTokenizer,
    reading: Reading,
) -> Result<ParsedQuery, QueryError> {
    parse_for(
        input,
        fields,
        tokenizer,
        &SubmitterNames::AsWritten,
        reading,
    )
}

/// [`parse`], with `submitter:` values matching what `submitters` says they stand for.
pub(crate) fn parse_for(
    input: &str,
    fields: &Fields,
    tokenizer: &JiebaTokenizer,
    submitters: &SubmitterNames,
    reading: Reading,
) -> Result<ParsedQuery, QueryError> {
    if input.chars().count() > MAX_QUERY_CHARS {
        return Err(QueryError::TooLong);
    }
    let (expr, notices) = read(&normalize(input), reading)?;
    let compiler = compile::Compiler {
        fields,
        tokenizer,
        submitters,
    };
    let query = expr
        .and_then(|e| compiler.expr(&e))
        .unwrap_or_else(|| Box::new(AllQuery));
    Ok(ParsedQuery { query, notices })
}

/// The expression `input` spells, and the notices of a lenient reading: each syntax error takes
/// the character it names as plain text and reads again, so every character is retried at most
/// once.
fn read(input: &str, reading: Reading) -> Result<(Option<syntax::Expr>, Vec<String>), QueryError> {
    let chars: Vec<char> = input.chars().collect();
    let mut literal = syntax::full_width_text(&chars);
    let mut notices = Vec::new();
    loop {
        let error = match syntax::expr(&chars, &literal) {
            Ok(expr) => return Ok((expr, notices)),
            Err(error) => error,
        };
        let position = error.at().map(|at| at - 1);
        match position {
            Some(i) if reading == Reading::Lenient && !literal[i] => {
                literal[i] = true;
                notices.push(format!("{error}: read as plain text"));
            }
            _ => return Err(error),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lenient(input: &str) -> (Option<syntax::Expr>, Vec<String>) {
        read(&normalize(input), Reading::Lenient).expect("a lenient reading never fails")
    }

    fn text(input: &str) -> Option<syntax::Expr> {
        Some(syntax::Expr::Text {
            field: None,
            text: input.into(),
            phrase: false,
        })
    }

    #[test]
    fn pasted_titles_are_read_whole_with_a_notice() {
        for title in ["A7县X024（青山铺至", "举报A2区“食在我", "反映A7县星湖湾（"]
        {
            let (expr, notices) = lenient(title);
            assert_eq!(expr, text(title), "{title}");
            assert_eq!(notices.len(), 1, "{title}: {notices:?}");
            assert!(notices[0].ends_with("read as plain text"), "{notices:?}");
            assert!(read(title, Reading::Strict).is_err(), "{title} strictly");
        }
        assert_eq!(
            lenient("A7县X024（青山铺至").1,
            ["a parenthesis at character 8 is never closed: read as plain text"]
        );
    }

    #[test]
    fn dangling_operators_become_text_and_the_rest_keeps_its_meaning() {
        let (expr, notices) = lenient("噪音 OR");
        assert_eq!(
            expr,
            Some(syntax::Expr::And(vec![
                (false, text("噪音").unwrap()),
                (false, text("OR").unwrap())
            ]))
        );
        assert_eq!(notices.len(), 1);
        let (expr, notices) = lenient("(噪音 -装修");
        assert_eq!(
            expr,
            Some(syntax::Expr::And(vec![
                (false, text("(噪音").unwrap()),
                (true, text("装修").unwrap())
            ]))
        );
        assert_eq!(
            notices,
            ["a parenthesis at character 1 is never closed: read as plain text"]
        );
        let (_, notices) = lenient("\"夜间施工\" 噪音) - region: OR");
        assert_eq!(notices.len(), 4, "{notices:?}");
        let (expr, notices) = lenient("路灯 OR 照明");
        assert!(matches!(expr, Some(syntax::Expr::Or(_))));
        assert!(notices.is_empty());
    }

    #[test]
    fn only_length_is_refused_leniently() {
        let long = "噪".repeat(MAX_QUERY_CHARS + 1);
        let index_dir = tempfile::tempdir().unwrap();
        let index = minyi_indexer::MinyiIndex::open_or_create(index_dir.path(), None).unwrap();
        let tokenizer = index.query_tokenizer();
        assert!(matches!(
            parse(&long, index.fields(), &tokenizer, Reading::Lenient),
            Err(QueryError::TooLong)
        ));
        let parsed = parse(
            "反映A7县星湖湾（",
            index.fields(),
            &tokenizer,
            Reading::Lenient,
        )
        .unwrap();
        assert_eq!(parsed.notices.len(), 1);
        assert!(
            parse(
                "反映A7县星湖湾（",
                index.fields(),
                &tokenizer,
                Reading::Strict
            )
            .is_err()
        );
    }
}
