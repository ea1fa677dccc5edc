//! The import view: a JSON Lines file with one bad line, and a GBK CSV file as offices export
//! them.

use std::path::Path;

use minyi_e2e::TestServer;
use serde_json::{Value, json};

use crate::browser::{Browser, Result, ensure};

/// Imports a JSON Lines file with one bad line, then a GBK CSV file.
pub(crate) async fn import_files(b: &Browser, server: &TestServer, shots: &Path) -> Result<()> {
    // ---- import: one bad line is reported with its line and reason ----
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let file = dir.path().join("导入测试.jsonl");
    std::fs::write(
        &file,
        concat!(
            r#"{"id": "PAGE-0001", "content": "网页导入测试：翠屏路路灯不亮", "region": "青山区"}"#,
            "\n",
            r#"{"id": "PAGE-0002", "title": "没有内容的一行"}"#,
            "\n",
            r#"{"id": "PAGE-0003", "content": "网页导入测试：第二条好记录", "kind": "信访"}"#,
            "\n",
        ),
    )
    .map_err(|e| e.to_string())?;
    b.click(".mainnav a[data-nav='import']").await?;
    b.ready("the import view").await?;
    b.upload("#import-file", &file).await?;
    b.wait_for(
        "the chosen file",
        "document.getElementById('import-file-name').textContent.includes('导入测试.jsonl')",
    )
    .await?;
    b.click("#import-start").await?;
    b.wait_for(
        "the import result",
        "document.getElementById('import-accepted')",
    )
    .await?;
    let accepted = b.text("#import-accepted .v").await?;
    ensure(accepted == "2 条", || format!("accepted: {accepted}"))?;
    let rejects = b
        .js(
            "return [...document.querySelectorAll('#import-rejects tbody tr')].map(r => r.innerText)",
            json!([]),
        )
        .await?;
    let rejects: Vec<&str> = rejects
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    ensure(
        rejects.len() == 1
            && rejects[0].starts_with('2')
            && rejects[0].contains("PAGE-0002")
            && rejects[0].contains("content"),
        || format!("rejected rows: {rejects:?}"),
    )?;
    ensure(
        server.engine.get("PAGE-0003").ok().flatten().is_some(),
        || "the good rows were not imported".to_string(),
    )?;
    b.screenshot_top(shots, "import").await?;

    // a CSV file as offices export them: Chinese headers, GBK
    let csv = dir.path().join("导入测试.csv");
    let (gbk, _, _) = encoding_rs::GBK.encode("留言编号,留言详情\nPAGE-0004,网页导入测试：CSV\n");
    std::fs::write(&csv, gbk).map_err(|e| e.to_string())?;
    b.upload("#import-file", &csv).await?;
    b.wait_for(
        "the chosen CSV file",
        "document.getElementById('import-file-name').textContent.includes('导入测试.csv')",
    )
    .await?;
    b.click("#import-start").await?;
    let outcome = b
        .wait_for(
            "the CSV outcome",
            "(document.querySelector('#import-accepted .v') || {}).textContent",
        )
        .await?;
    ensure(outcome == "1 条", || format!("CSV import: {outcome}"))?;
    let imported: Value = server
        .http
        .get(server.url("/api/records/PAGE-0004"))
        .send()
        .await
        .map_err(|e| e.to_string())?
        .json()
        .await
        .map_err(|e| e.to_string())?;
    ensure(imported["content"] == "网页导入测试：CSV", || {
        format!("the CSV record as stored: {imported}")
    })?;

    Ok(())
}
