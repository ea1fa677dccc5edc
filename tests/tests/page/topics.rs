//! 议题 on the page: staff make a topic from a hot issue with 设为议题, find it in the 议题 view,
//! accept a new matching case that arrived after it was made, and move it through its statuses to
//! 已办结 with the department's answer, seeing the history and the before/after chart; picked
//! search results become a topic too. An analyst is offered none of it.

use std::path::Path;

use minyi_e2e::TestServer;
use serde_json::{Value, json};

use crate::browser::{Browser, Result, ensure, js_str};

const DEPARTMENT: &str = "市城市管理局";
const DIALOG_OPEN: &str =
    "document.getElementById('topic-dialog') && document.getElementById('topic-dialog').open";

/// Makes a topic from the first hot issue, follows it to 已办结, and picks search results.
pub(crate) async fn staff_follow_a_topic(
    b: &Browser,
    server: &TestServer,
    shots: &Path,
) -> Result<()> {
    // ---- 设为议题 on an issue ----
    b.click(".mainnav a[data-nav='issues']").await?;
    b.ready("the hot-issue view").await?;
    b.click("#issues .issue-row a.issue-label").await?;
    b.ready("the issue").await?;
    let issue_title = b.text("#issue h1").await?;
    let members = b
        .number(
            "members",
            "document.querySelectorAll('#members tbody tr').length",
        )
        .await?;
    b.click("#make-topic").await?;
    b.wait_for("the 设为议题 dialog", DIALOG_OPEN).await?;
    let prefilled = b
        .js(
            "return document.getElementById('topic-title').value",
            json!([]),
        )
        .await?;
    ensure(prefilled == issue_title.as_str(), || {
        format!("the title offered is {prefilled}, the issue is {issue_title}")
    })?;
    b.type_into("#topic-department", DEPARTMENT).await?;
    b.screenshot(shots, "topic-dialog").await?;
    let id = create(b).await?;
    let size = topic_size(b).await?;
    let rows = b
        .number(
            "the topic's rows",
            "document.querySelectorAll('#topic-members tbody tr').length",
        )
        .await?;
    ensure(size == members && rows == members, || {
        format!("the issue had {members} records, the topic says {size} and lists {rows}")
    })?;
    status_is(b, "proposed").await?;

    // ---- the 议题 list, filtered ----
    b.click(".mainnav a[data-nav='topics']").await?;
    b.ready("the topic list").await?;
    let listed = b
        .js(
            &format!(
                "return [...document.querySelectorAll('#topics .topic-row')].filter(r => r.dataset.id === {}).map(r => r.innerText)",
                js_str(&id)
            ),
            json!([]),
        )
        .await?;
    let row = listed[0].as_str().unwrap_or_default();
    ensure(
        row.contains(&issue_title) && row.contains("待研究") && row.contains(DEPARTMENT),
        || format!("the list shows the topic as {listed}"),
    )?;
    b.js(
        "const s = document.getElementById('topics-status'); s.value = 'done'; s.dispatchEvent(new Event('change'))",
        json!([]),
    )
    .await?;
    b.wait_for("the status filter", "location.hash.includes('status=done')")
        .await?;
    b.ready("the filtered list").await?;
    let done = b
        .number(
            "topics done",
            "document.querySelectorAll('#topics .topic-row').length",
        )
        .await?;
    ensure(done == 0, || format!("{done} topics are done already"))?;

    // ---- a new matching case arrives, and is accepted ----
    let arrived = new_case(server, &id).await?;
    b.goto(&server.url(&format!("/#/topics/{id}"))).await?;
    b.ready("the topic again").await?;
    let candidate = format!("#candidates tr.candidate[data-id={}]", js_str(&arrived));
    let marked_new = b
        .wait_for(
            "the new case among the candidates",
            &format!("(document.querySelector('{candidate}') || {{}}).innerText"),
        )
        .await?;
    ensure(marked_new.as_str().unwrap_or("").contains('新'), || {
        format!("the arrived case is not marked new: {marked_new}")
    })?;
    b.js(
        "document.getElementById('candidates').scrollIntoView()",
        json!([]),
    )
    .await?;
    b.screenshot(shots, "topic-candidates").await?;
    b.click(&format!("{candidate} button.accept")).await?;
    b.wait_for(
        "the accepted case among the records",
        &format!(
            "!!document.querySelector('#topic-members tr[data-id={}]')",
            js_str(&arrived)
        ),
    )
    .await?;
    b.ready("the topic after accepting").await?;
    let size = topic_size(b).await?;
    ensure(size == members + 1, || {
        format!("after accepting, {size} records")
    })?;

    // ---- statuses: 已交办, then 已办结 with the answer and outcome ----
    set_status(b, "assigned", &[]).await?;
    let summary = b.text("#topic-trend-summary").await?;
    ensure(
        summary.contains("交办") && summary.contains("每周"),
        || format!("the effect reads {summary}"),
    )?;
    let bars = b
        .number(
            "bars",
            "document.querySelectorAll('#topic-chart rect.bar').length",
        )
        .await?;
    ensure(bars > 8, || format!("the chart has {bars} weeks"))?;
    set_status(
        b,
        "done",
        &[
            ("#topic-answer", "已对相关路段加强巡查并限期整改。"),
            ("#topic-outcome", "同类诉求明显下降。"),
        ],
    )
    .await?;
    let history = b.text("#topic-history").await?;
    for expected in [
        "设立议题",
        "采纳新增类案",
        "状态改为“已交办”",
        "状态改为“已办结”",
        "部门答复：已对相关路段加强巡查并限期整改；成效说明：同类诉求明显下降",
        "desk",
    ] {
        ensure(history.contains(expected), || {
            format!("the history lacks {expected}: {history}")
        })?;
    }
    b.js(
        "document.getElementById('topic-history').scrollIntoView()",
        json!([]),
    )
    .await?;
    b.screenshot(shots, "topic-history").await?;
    b.screenshot_top(shots, "topic").await?;
    let report = b
        .js(
            "return fetch(document.getElementById('topic-report').href).then(r => r.text())",
            json!([]),
        )
        .await?;
    ensure(
        report
            .as_str()
            .unwrap_or("")
            .contains("已对相关路段加强巡查"),
        || format!("the report link gives {report}"),
    )?;
    b.goto(&server.url("/#/topics")).await?;
    b.ready("the topic list").await?;
    b.screenshot_top(shots, "topics").await?;

    search_results_become_topics(b, server).await
}

/// Two search results picked with their boxes become a topic of exactly those two; all results
/// of a filtered search become a topic of all of them, keeping the search as its selection.
async fn search_results_become_topics(b: &Browser, server: &TestServer) -> Result<()> {
    b.goto(&server.url("/#/search?q=%E8%B7%AF%E7%81%AF"))
        .await?;
    b.ready("results for 路灯").await?;
    let picked = b
        .js(
            "const boxes = [...document.querySelectorAll('.hit .hit-pick')].slice(0, 2); \
             return boxes.map(b => b.dataset.id)",
            json!([]),
        )
        .await?;
    for id in picked.as_array().into_iter().flatten() {
        let id = id.as_str().unwrap_or_default();
        b.click(&format!(".hit-pick[data-id={}]", js_str(id)))
            .await?;
    }
    let label = b.text("#topic-from-picked").await?;
    ensure(label.contains("所选 2 条"), || {
        format!("the button says {label}")
    })?;
    b.click("#topic-from-picked").await?;
    b.wait_for("the 设为议题 dialog", DIALOG_OPEN).await?;
    b.type_into("#topic-title", "路灯维修").await?;
    create(b).await?;
    let members = b
        .js(
            "return [...document.querySelectorAll('#topic-members tbody tr')].map(r => r.dataset.id)",
            json!([]),
        )
        .await?;
    ensure(members == picked, || {
        format!("picked {picked}, the topic holds {members}")
    })?;

    // all results of a filtered search, kept as its selection
    b.goto(&server.url("/#/search?q=%E8%B7%AF%E7%81%AF&region=%E9%9D%92%E5%B1%B1%E5%8C%BA"))
        .await?;
    b.ready("results for 路灯 in 青山区").await?;
    let total = b
        .number("total", "document.getElementById('total').dataset.total")
        .await?;
    b.click("#topic-from-search").await?;
    b.wait_for("the 设为议题 dialog", DIALOG_OPEN).await?;
    let id = create(b).await?;
    let size = topic_size(b).await?;
    ensure(size == total && total > 0, || {
        format!("the search found {total}, the topic holds {size}")
    })?;
    let (_, view) = server.get(&format!("/api/topics/{id}")).await;
    let selection = &view["topic"]["selection"];
    ensure(
        selection["q"] == "路灯" && selection["region"] == "青山区",
        || format!("the topic kept the selection {selection}"),
    )
}

/// The number of records the topic view says it has.
async fn topic_size(b: &Browser) -> Result<i64> {
    b.number(
        "the topic's size",
        "document.querySelector('#topic-size .v').textContent",
    )
    .await
}

/// Creates the topic of the open dialog, waits for its view, and returns its id.
async fn create(b: &Browser) -> Result<String> {
    b.click("#topic-create").await?;
    b.wait_for("the topic's URL", "location.hash.startsWith('#/topics/')")
        .await?;
    b.ready("the new topic").await?;
    let id = b
        .js(
            "return document.getElementById('topic').dataset.id",
            json!([]),
        )
        .await?;
    Ok(id.as_str().unwrap_or_default().to_string())
}

/// A copy of the topic's first record, arriving now: the same matter, after the topic was made.
async fn new_case(server: &TestServer, topic: &str) -> Result<String> {
    let (_, view) = server.get(&format!("/api/topics/{topic}")).await;
    let first = view["record_ids"][0].as_str().unwrap_or_default();
    let (_, record) = server.get(&format!("/api/records/{first}")).await;
    let now = chrono::Local::now().naive_local() + chrono::Duration::minutes(1);
    let id = "PAGE-TOPIC-NEW";
    let arrived = json!({"id": id, "title": record["title"], "content": record["content"],
        "region": record["region"], "kind": record["kind"],
        "submitted_at": now.format("%Y-%m-%d %H:%M:%S").to_string()});
    let (status, report) = server
        .post_records("application/json", json!([arrived]).to_string())
        .await;
    ensure(status == 200 && report["accepted"] == 1, || {
        format!("importing the new case: {status} {report}")
    })?;
    Ok(id.to_string())
}

async fn status_is(b: &Browser, status: &str) -> Result<()> {
    b.wait_for(
        &format!("the status {status}"),
        &format!(
            "(document.querySelector('#topic-status .badge') || {{dataset: {{}}}}).dataset.status === {}",
            js_str(status)
        ),
    )
    .await
    .map(drop)
}

/// Chooses `status` in the form, fills `fields`, saves, and waits for the topic to show it.
async fn set_status(b: &Browser, status: &str, fields: &[(&str, &str)]) -> Result<()> {
    b.js(
        "document.getElementById('topic-status-select').value = arguments[0]",
        json!([status]),
    )
    .await?;
    for (css, text) in fields {
        b.type_into(css, text).await?;
    }
    b.click("#topic-save").await?;
    status_is(b, status).await?;
    b.ready("the topic after the change").await
}

/// An analyst sees no 议题 in the bar, no 设为议题 on an issue, no pick boxes, and a refusal.
pub(crate) async fn analyst_sees_no_topics(b: &Browser, server: &TestServer) -> Result<()> {
    let nav_hidden = b
        .js(
            "return document.querySelector(\".mainnav a[data-nav='topics']\").hidden",
            json!([]),
        )
        .await?;
    ensure(nav_hidden == true, || "the analyst is offered 议题".into())?;
    b.goto(&server.url("/#/issues")).await?;
    b.ready("the hot-issue view").await?;
    b.click("#issues .issue-row a.issue-label").await?;
    b.ready("the issue").await?;
    let offered: Value = b
        .js(
            "return !!document.getElementById('make-topic') || !!document.querySelector('#issue .actions button')",
            json!([]),
        )
        .await?;
    ensure(offered == false, || {
        "the analyst is offered 设为议题 on an issue".into()
    })?;
    b.goto(&server.url("/#/search?q=%E8%B7%AF%E7%81%AF"))
        .await?;
    b.ready("results for 路灯").await?;
    let boxes = b
        .number(
            "pick boxes",
            "document.querySelectorAll('.hit-pick, #topic-from-search').length",
        )
        .await?;
    ensure(boxes == 0, || {
        format!("the analyst sees {boxes} topic controls")
    })?;
    b.goto(&server.url("/#/topics")).await?;
    b.ready("the topic view").await?;
    let main = b.text("#main").await?;
    ensure(main.contains("无议题权限"), || {
        format!("the topic view shows {main}")
    })
}
