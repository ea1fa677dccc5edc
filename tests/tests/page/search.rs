//! The search view: the start page, a query with highlights, a facet filter, paging and Back,
//! and a malformed query's message.

use std::path::Path;

use minyi_e2e::TestServer;
use serde_json::{Value, json};

use crate::browser::{Browser, ENTER, Result, ensure, js_str};

/// The start page, a query, a facet filter, and paging with Back.
pub(crate) async fn search_filter_and_page(
    b: &Browser,
    server: &TestServer,
    shots: &Path,
) -> Result<()> {
    // ---- search: the page opens on the newest records, with the box focused ----
    b.goto(&server.url("/")).await?;
    b.ready("the start page").await?;
    let all = b
        .number("total", "document.getElementById('total').dataset.total")
        .await?;
    ensure(all as u64 == server.engine.len(), || {
        format!("the start page shows {all} records")
    })?;
    let focused = b.js("return document.activeElement.id", json!([])).await?;
    ensure(focused == "q", || {
        format!("the search box has no focus: {focused}")
    })?;

    // Enter searches; matches are highlighted
    b.type_into("#q", &format!("广场舞{ENTER}")).await?;
    b.wait_for("the query in the URL", "location.hash.includes('q=')")
        .await?;
    b.ready("results for 广场舞").await?;
    let total = b
        .number("total", "document.getElementById('total').dataset.total")
        .await?;
    ensure(total >= 25 && total < all, || {
        format!("广场舞 found {total}")
    })?;
    let marks = b
        .js(
            "return [...document.querySelectorAll('.hit em')].map(e => e.textContent)",
            json!([]),
        )
        .await?;
    let marks: Vec<&str> = marks
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    ensure(marks.contains(&"广场舞"), || {
        format!("no highlighted 广场舞 in the results: {marks:?}")
    })?;

    // a facet value filters, and the count is the facet's
    let facet = ".facet-group[data-facet='region'] .facet-value[data-value='江南区']";
    let expected = b
        .number(
            "the 江南区 count",
            &format!("document.querySelector(\"{facet}\").querySelector('.count').textContent"),
        )
        .await?;
    b.click(facet).await?;
    b.wait_for("the filter in the URL", "location.hash.includes('region=')")
        .await?;
    b.ready("filtered results").await?;
    let filtered = b
        .number("total", "document.getElementById('total').dataset.total")
        .await?;
    ensure(filtered == expected, || {
        format!("江南区 promised {expected} and the page shows {filtered}")
    })?;
    ensure(filtered > 20, || {
        format!("paging needs more than a page; got {filtered}")
    })?;
    let metas = b
        .js(
            "return [...document.querySelectorAll('.hit .meta')].map(e => e.textContent)",
            json!([]),
        )
        .await?;
    for meta in metas.as_array().into_iter().flatten() {
        ensure(meta.as_str().unwrap_or("").contains("江南区"), || {
            format!("a hit outside 江南区: {meta}")
        })?;
    }
    let pressed = b
        .js(
            &format!("return document.querySelector(\"{facet}\").getAttribute('aria-pressed')"),
            json!([]),
        )
        .await?;
    ensure(pressed == "true", || {
        format!("the facet is not pressed: {pressed}")
    })?;
    let chip = b.text(".chips .chip").await?;
    ensure(chip.contains("区县：江南区"), || {
        format!("filter chip: {chip}")
    })?;
    b.wait_for(
        "the histogram",
        "document.querySelector('.histogram-panel svg .bar')",
    )
    .await?;
    b.screenshot_top(shots, "search").await?;

    // paging, and Back returns to the first page
    let first_id = b
        .js(
            "return document.querySelector('.hit').dataset.id",
            json!([]),
        )
        .await?;
    b.click(".pager a[aria-label='下一页']").await?;
    b.wait_for("page 2 in the URL", "location.hash.includes('page=2')")
        .await?;
    b.ready("page 2").await?;
    let current = b.text(".pager .current").await?;
    ensure(current == "2", || format!("current page: {current}"))?;
    let range = b.text("#range").await?;
    ensure(range.starts_with("第 21–"), || format!("range: {range}"))?;
    let second_id = b
        .js(
            "return document.querySelector('.hit').dataset.id",
            json!([]),
        )
        .await?;
    ensure(first_id != second_id, || "page 2 shows page 1".to_string())?;
    b.back().await?;
    b.wait_for("page 1 again", "!location.hash.includes('page=2')")
        .await?;
    b.ready("page 1 after Back").await?;
    let current = b.text(".pager .current").await?;
    ensure(current == "1", || {
        format!("after Back, current page: {current}")
    })?;

    Ok(())
}

/// A pasted title with a lone parenthesis is searched as text, and the page says how the query
/// was read; a query the server refuses (too long) shows the server's own message.
pub(crate) async fn malformed_query(b: &Browser, server: &TestServer, shots: &Path) -> Result<()> {
    // ---- a pasted fragment is read as text, with the server's notice shown ----
    let pasted = "反映江南区锦绣花园（";
    let api = api_search(server, pasted).await?;
    let notice = api["notices"][0].as_str().unwrap_or_default().to_string();
    ensure(!notice.is_empty(), || {
        format!("no notice for {pasted}: {api}")
    })?;
    b.click(".mainnav a[data-nav='search']").await?;
    b.ready("the search view").await?;
    b.type_into("#q", &format!("{pasted}{ENTER}")).await?;
    b.wait_for(
        "the notice",
        &format!(
            "(document.querySelector('#notices li') || {{}}).textContent === {}",
            js_str(&notice)
        ),
    )
    .await?;
    let shown = b
        .number(
            "the total",
            "Number(document.querySelector('#total').dataset.total)",
        )
        .await?;
    ensure(shown == api["total"].as_i64().unwrap_or(-1), || {
        format!("the page shows {shown} hits, the API {}", api["total"])
    })?;

    // ---- a query the server refuses shows its own message ----
    let long = "噪".repeat(1001);
    let api = api_search(server, &long).await?;
    let message = api["error"]["message"].as_str().unwrap_or_default();
    ensure(!message.is_empty(), || {
        format!("the API accepted a query of 1001 characters: {api}")
    })?;
    b.js("document.querySelector('#q').value = ''", json!([]))
        .await?;
    b.type_into("#q", &format!("{long}{ENTER}")).await?;
    b.wait_for(
        "the error message",
        &format!(
            "(document.querySelector('.state-error .error-message') || {{}}).textContent === {}",
            js_str(message)
        ),
    )
    .await?;
    let code = b.text(".state-error .state-code").await?;
    ensure(code == "bad_query", || format!("error code shown: {code}"))?;
    b.screenshot_top(shots, "search-error").await?;
    Ok(())
}

/// Without a chosen mode the switch shows the one the server used (hybrid, with a model), and a
/// chosen one is sent and shown.
pub(crate) async fn mode_switch(b: &Browser) -> Result<()> {
    let pressed = |mode: &str| {
        format!(
            "(() => {{ const p = document.querySelector('.mode-switch [aria-pressed=true]'); \
             return !!p && p.dataset.mode === {}; }})()",
            js_str(mode)
        )
    };
    b.click(".mainnav a[data-nav='search']").await?;
    b.ready("the search view").await?;
    b.type_into("#q", &format!("晚上跳舞的音响扰民{ENTER}"))
        .await?;
    b.wait_for("hybrid pressed", &pressed("hybrid")).await?;
    let badge = b.text(".results-head .badge-blue").await?;
    ensure(badge.contains("混合"), || {
        format!("the answer's mode: {badge}")
    })?;
    b.click(".mode-switch [data-mode='lexical']").await?;
    b.wait_for("lexical pressed", &pressed("lexical")).await?;
    b.wait_for(
        "the lexical answer",
        "document.querySelector('.results-head .badge-blue').textContent.includes('全文')",
    )
    .await?;
    Ok(())
}

/// `/api/search?q=…` as the API answers it.
async fn api_search(server: &TestServer, q: &str) -> Result<Value> {
    server
        .http
        .get(server.url("/api/search"))
        .query(&[("q", q)])
        .send()
        .await
        .map_err(|e| e.to_string())?
        .json()
        .await
        .map_err(|e| e.to_string())
}
