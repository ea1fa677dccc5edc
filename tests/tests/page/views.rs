//! The views reached from a hit or the main navigation: a record with its similar cases, the hot
//! issues with one issue's members, and the draft-law opinions per article.

use std::path::Path;

use serde_json::{Value, json};

use crate::browser::{Browser, Result, ensure};

/// A record, the hot issues (or their unavailable state), and the law view.
pub(crate) async fn record_issues_and_laws(b: &Browser, shots: &Path) -> Result<()> {
    // ---- a record, with its similar cases or their unavailable state ----
    let title = b.text(".hit .hit-link").await?;
    b.click(".hit .hit-link").await?;
    b.wait_for("the record URL", "location.hash.startsWith('#/record/')")
        .await?;
    b.ready("the record").await?;
    let heading = b.text("#record h1").await?;
    ensure(heading == title, || {
        format!("opened {heading:?}, clicked {title:?}")
    })?;
    let content = b.text("#record-content").await?;
    ensure(!content.is_empty(), || "the record has no text".to_string())?;
    let fields = b.text("#record .kv").await?;
    ensure(
        fields.contains("区县") && fields.contains("江南区"),
        || format!("record fields: {fields}"),
    )?;
    let similar = b
        .wait_for(
            "the similar-cases section",
            "document.querySelector('#similar .similar-hit') ? 'hits' : \
             (document.querySelector('#similar .state-unavailable') || {}).textContent",
        )
        .await?;
    ensure(
        similar == "hits" || similar.as_str().unwrap_or("").contains("类案推荐暂不可用"),
        || format!("similar cases: {similar}"),
    )?;
    b.screenshot_top(shots, "record").await?;

    // ---- hot issues, or their not-yet-enabled state ----
    b.click(".mainnav a[data-nav='issues']").await?;
    b.ready("the hot-issue view").await?;
    let issues = b
        .js(
            "return document.querySelector('#issues .issue-row') ? 'rows' : \
             (document.querySelector('#issues-unavailable') || {}).textContent",
            json!([]),
        )
        .await?;
    ensure(
        issues == "rows"
            || issues
                .as_str()
                .unwrap_or("")
                .contains("热点问题功能尚未启用"),
        || format!("hot issues: {issues}"),
    )?;
    b.screenshot_top(shots, "issues").await?;
    if issues == "rows" {
        // one issue: its member records, as many as the list said
        let size = b
            .number(
                "the first issue's size",
                "document.querySelector('#issues .issue-row').cells[2].textContent",
            )
            .await?;
        b.click("#issues .issue-row a.issue-label").await?;
        b.wait_for("the issue URL", "location.hash.startsWith('#/issues/')")
            .await?;
        b.ready("the issue").await?;
        let members = b
            .number(
                "members",
                "document.querySelectorAll('#members tbody tr').length",
            )
            .await?;
        ensure(members == size, || {
            format!("the issue lists {members} of its {size} records")
        })?;
        b.screenshot_top(shots, "issue").await?;
    }

    // ---- draft-law opinions per article ----
    b.click(".mainnav a[data-nav='laws']").await?;
    b.ready("the law view").await?;
    let articles = b
        .js(
            "return [...document.querySelectorAll('#articles tbody tr')].map(r => r.dataset.article)",
            json!([]),
        )
        .await?;
    let articles: Vec<&str> = articles
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    ensure(
        articles.first() == Some(&"第九条") && articles.last() == Some(&"第三十五条"),
        || format!("the articles of 文明行为促进条例, in order: {articles:?}"),
    )?;
    let row = "#articles tr[data-article='第十五条']";
    let count = b
        .number(
            "the 第十五条 count",
            &format!("document.querySelector(\"{row}\").cells[1].textContent"),
        )
        .await?;
    b.click(&format!("{row} a.article-link")).await?;
    b.wait_for(
        "the article in the URL",
        "location.hash.includes('article=')",
    )
    .await?;
    b.ready("the opinions on 第十五条").await?;
    let opinions = b
        .number(
            "opinions",
            "document.querySelectorAll('#opinions .opinion').length",
        )
        .await?;
    ensure(opinions == count && count > 0, || {
        format!("第十五条: {count} counted, {opinions} listed")
    })?;
    b.screenshot_top(shots, "laws").await?;

    Ok(())
}
