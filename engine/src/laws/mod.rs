//! The legislation view: opinions on each draft law, by article, grouped into issues.

use std::collections::BTreeMap;

use minyi_corpus::Record;
use minyi_corpus::pii::Masker;
use serde::Serialize;

use crate::issues::{Issue, IssueOptions, MAX_RECORDS, rank_issues};
use crate::search::{SearchRequest, matching_records};
use crate::{Engine, EngineError};

/// A record and the id of its embedding.
type Member = (Record, Option<u64>);

/// Opinions on one draft law.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LawOpinions {
    pub law: String,
    /// Records that name this law.
    pub total: usize,
    /// Articles in their order in the law (第九条 before 第十条); records without an article last,
    /// under an empty article name.
    pub articles: Vec<ArticleOpinions>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ArticleOpinions {
    pub article: String,
    pub total: usize,
    /// Issues among this article's opinions (groups of two or more), largest concern first.
    pub issues: Vec<Issue>,
    /// Ids of opinions on this article that share no concern with another.
    pub single_ids: Vec<String>,
}

impl LawOpinions {
    /// Masks personal data in every issue of every article.
    fn mask(&mut self, masker: &Masker) {
        for article in &mut self.articles {
            article.issues.iter_mut().for_each(|i| i.mask(masker));
        }
    }
}

/// Opinions on every law in the selection (scoped to its viewer), by article, each article's
/// grouped into issues; masked when the viewer is.
pub fn laws(engine: &Engine, req: &SearchRequest) -> Result<Vec<LawOpinions>, EngineError> {
    let snapshot = engine.snapshot();
    let records = matching_records(&snapshot, req, MAX_RECORDS)?;
    let mut by_law: BTreeMap<String, BTreeMap<(u32, String), Vec<Member>>> = BTreeMap::new();
    for (r, vector_id) in records {
        if let Some(law) = r.law.clone() {
            let article = r.article.clone().unwrap_or_default();
            let key = (article_number(&article).unwrap_or(u32::MAX), article);
            by_law
                .entry(law)
                .or_default()
                .entry(key)
                .or_default()
                .push((r, vector_id));
        }
    }
    let opts = IssueOptions {
        min_size: 1,
        limit: usize::MAX,
    };
    by_law
        .into_iter()
        .map(|(law, articles)| {
            let articles = articles
                .into_iter()
                .map(|((_, article), members)| {
                    let list = rank_issues(&snapshot, members, req.to, &opts)?;
                    let (issues, singles): (Vec<Issue>, Vec<Issue>) =
                        list.issues.into_iter().partition(|i| i.size > 1);
                    Ok(ArticleOpinions {
                        article,
                        total: list.total_records,
                        issues,
                        single_ids: singles.into_iter().flat_map(|i| i.record_ids).collect(),
                    })
                })
                .collect::<Result<Vec<_>, EngineError>>()?;
            let mut opinions = LawOpinions {
                law,
                total: articles.iter().map(|a| a.total).sum(),
                articles,
            };
            if let Some(masker) = req.viewer.masker() {
                opinions.mask(masker);
            }
            Ok(opinions)
        })
        .collect()
}

/// The number of an article named like `第二十一条` (or `第21条`).
fn article_number(article: &str) -> Option<u32> {
    let inner = article.trim().strip_prefix('第')?.split('条').next()?;
    if let Ok(n) = inner.parse() {
        return Some(n);
    }
    let digit = |c: char| {
        "零一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .map(|d| d as u32)
    };
    let (mut total, mut current) = (0, 0);
    for c in inner.chars() {
        match c {
            '十' => {
                total += current.max(1) * 10;
                current = 0;
            }
            '百' => {
                total += current.max(1) * 100;
                current = 0;
            }
            '两' => current = 2,
            _ => current = digit(c)?,
        }
    }
    Some(total + current)
}

#[cfg(test)]
mod tests {
    use super::article_number;

    #[test]
    fn reads_chinese_article_numbers() {
        for (text, n) in [
            ("第九条", 9),
            ("第十条", 10),
            ("第十二条", 12),
            ("第二十一条", 21),
            ("第一百零五条", 105),
            ("第35条", 35),
        ] {
            assert_eq!(article_number(text), Some(n), "{text}");
        }
        assert_eq!(article_number("附则"), None);
    }
}
