//! Highlighted snippets: the passage of a text with the most query words, matches in `<em>`.
//!
//! tantivy's own snippet generator assumes tokens never overlap, but the index tokenizer emits a
//! word and the words inside it at the same place (`基层立法联系点` and `联系点`), so minyi picks
//! passages itself: every indexed token that is a query term is a match, overlapping matches
//! merge, and the window with the most distinct terms (then the most matches) wins.

use std::collections::HashSet;

use minyi_corpus::Record;
use minyi_corpus::normalize::normalize;
use minyi_indexer::MinyiIndex;
use minyi_indexer::analyzer::JiebaTokenizer;
use tantivy::query::Query;
use tantivy::schema::Field;

/// Finds and marks query terms in the text of one field.
pub struct Highlighter {
    terms: HashSet<String>,
    tokenizer: JiebaTokenizer,
}

impl Highlighter {
    /// The terms `query` looks for in `field`; `tokenizer` must be the index-mode tokenizer.
    pub fn new(query: &dyn Query, field: Field, tokenizer: JiebaTokenizer) -> Highlighter {
        let mut terms = HashSet::new();
        query.query_terms(&mut |term, _| {
            if term.field() == field
                && let Some(text) = term.value().as_str()
            {
                terms.insert(text.to_string());
            }
        });
        Highlighter { terms, tokenizer }
    }

    /// The best passage of at most `max_chars` characters, HTML-escaped, with matches in `<em>`;
    /// `None` when no query term occurs in `text`.
    pub fn snippet(&self, text: &str, max_chars: usize) -> Option<String> {
        if self.terms.is_empty() {
            return None;
        }
        let matches = self.matches(text);
        if matches.is_empty() {
            return None;
        }
        let chars: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain([text.len()])
            .collect();
        let char_at = |byte: usize| chars.partition_point(|&b| b < byte);
        let total_chars = chars.len() - 1;
        // Some context before the first match of the window.
        let lead = (max_chars / 8).min(10);
        let mut best: Option<((usize, usize), usize)> = None;
        for m in &matches {
            let start = char_at(m.start).saturating_sub(lead);
            let start = start.min(total_chars.saturating_sub(max_chars));
            let end = (start + max_chars).min(total_chars);
            let inside: Vec<&Match> = matches
                .iter()
                .filter(|x| char_at(x.start) >= start && char_at(x.end) <= end)
                .collect();
            let distinct: HashSet<&str> = inside.iter().map(|x| x.term.as_str()).collect();
            let score = (distinct.len(), inside.len());
            if best.is_none_or(|(s, _)| score > s) {
                best = Some((score, start));
            }
        }
        let (_, start) = best.expect("at least one match");
        let end = (start + max_chars).min(total_chars);
        let (from, to) = (chars[start], chars[end]);
        let mut html = String::new();
        if start > 0 {
            html.push('…');
        }
        let mut at = from;
        for m in matches.iter().filter(|m| m.start >= from && m.end <= to) {
            html.push_str(&html_escape::encode_text(&text[at..m.start]));
            html.push_str("<em>");
            html.push_str(&html_escape::encode_text(&text[m.start..m.end]));
            html.push_str("</em>");
            at = m.end;
        }
        html.push_str(&html_escape::encode_text(&text[at..to]));
        if end < total_chars {
            html.push('…');
        }
        Some(html)
    }

    /// Byte ranges of query terms in `text`, overlapping ones merged, in order.
    fn matches(&self, text: &str) -> Vec<Match> {
        let mut found: Vec<Match> = self
            .tokenizer
            .tokens(text)
            .into_iter()
            .filter(|t| self.terms.contains(&t.text))
            .map(|t| Match {
                start: t.offset_from,
                end: t.offset_to,
                term: t.text,
            })
            .collect();
        found.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
        let mut merged: Vec<Match> = Vec::with_capacity(found.len());
        for m in found {
            match merged.last_mut() {
                Some(last) if m.start < last.end => last.end = last.end.max(m.end),
                _ => merged.push(m),
            }
        }
        merged
    }
}

struct Match {
    start: usize,
    end: usize,
    term: String,
}

/// Snippet length in characters.
const SNIPPET_CHARS: usize = 80;

/// Highlights a query's words in records' titles and content.
pub(crate) struct Highlighters {
    title: Highlighter,
    content: Highlighter,
}

impl Highlighters {
    pub(crate) fn new(query: &dyn Query, index: &MinyiIndex) -> Highlighters {
        let fields = index.fields();
        Highlighters {
            title: Highlighter::new(query, fields.title, index.index_tokenizer()),
            content: Highlighter::new(query, fields.content, index.index_tokenizer()),
        }
    }

    /// The record's title and a passage of its content, HTML-escaped, with matches in `<em>`.
    pub(crate) fn mark(&self, record: &Record) -> (Option<String>, String) {
        let content = normalize(&record.content);
        let snippet_html = self
            .content
            .snippet(&content, SNIPPET_CHARS)
            .unwrap_or_else(|| {
                // No word matched the content (a title-only or filter-only match): show its start.
                let end = content
                    .char_indices()
                    .nth(SNIPPET_CHARS)
                    .map_or(content.len(), |(i, _)| i);
                let ellipsis = if end < content.len() { "…" } else { "" };
                format!("{}{ellipsis}", html_escape::encode_text(&content[..end]))
            });
        let title_html = record.title.as_deref().map(|t| {
            let t = normalize(t);
            self.title
                .snippet(&t, usize::MAX / 2)
                .unwrap_or_else(|| html_escape::encode_text(&t).into_owned())
        });
        (title_html, snippet_html)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use minyi_indexer::analyzer::{Mode, load_jieba};
    use tantivy::Term;
    use tantivy::query::{BooleanQuery, TermQuery};
    use tantivy::schema::{IndexRecordOption, Schema, TEXT};

    fn highlighter(words: &[&str]) -> Highlighter {
        let mut schema = Schema::builder();
        let field = schema.add_text_field("content", TEXT);
        let query = BooleanQuery::union(
            words
                .iter()
                .map(|w| {
                    Box::new(TermQuery::new(
                        Term::from_field_text(field, w),
                        IndexRecordOption::Basic,
                    )) as Box<dyn Query>
                })
                .collect(),
        );
        Highlighter::new(
            &query,
            field,
            JiebaTokenizer::new(load_jieba(None).unwrap(), Mode::Index),
        )
    }

    #[test]
    fn marks_whole_words_and_merges_nested_matches() {
        let h = highlighter(&["联系点", "基层立法联系点", "反映"]);
        assert_eq!(
            h.snippet("我向基层立法联系点反映<问题>", 50).unwrap(),
            "我向<em>基层立法联系点</em><em>反映</em>&lt;问题&gt;"
        );
        let h = highlighter(&["联系点"]);
        assert_eq!(
            h.snippet("我向基层立法联系点反映", 50).unwrap(),
            "我向基层立法<em>联系点</em>反映"
        );
    }

    #[test]
    fn picks_the_window_with_the_most_distinct_terms() {
        let h = highlighter(&["噪音", "渣土车"]);
        let text = format!("噪音{}渣土车晚上噪音很大", "。".repeat(60));
        let snippet = h.snippet(&text, 20).unwrap();
        assert!(
            snippet.starts_with('…')
                && snippet.contains("<em>渣土车</em>")
                && snippet.contains("<em>噪音</em>"),
            "{snippet}"
        );
        assert!(!snippet.ends_with('…'), "{snippet}");
        assert_eq!(h.snippet("路灯不亮", 20), None);
    }
}
