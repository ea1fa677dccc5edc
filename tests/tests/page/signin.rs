//! Signing in and out on the page, and what each role sees: staff read personal data and may
//! import; an analyst sees it masked, without the import view, with the role in the bar.

use std::path::Path;

use minyi_e2e::TestServer;
use serde_json::json;

use crate::browser::{Browser, ENTER, Result, ensure, js_str};

/// The record with an ID number the analyst must see masked.
const PERSONAL: &str = "RX-2024-0007";

/// Opens the page signed out, fails once with a wrong password, then signs in as `name`.
pub(crate) async fn sign_in(
    b: &Browser,
    server: &TestServer,
    name: &str,
    password: &str,
) -> Result<()> {
    b.goto(&server.url("/")).await?;
    b.wait_for(
        "the sign-in form",
        "!!document.getElementById('signin-form')",
    )
    .await?;
    let hidden = b
        .js(
            "return document.querySelector('.mainnav').hidden",
            json!([]),
        )
        .await?;
    ensure(hidden == true, || {
        "the navigation shows before sign-in".into()
    })?;
    b.type_into("#signin-user", name).await?;
    b.type_into("#signin-password", &format!("wrong{ENTER}"))
        .await?;
    b.wait_for(
        "the wrong-password message",
        "document.getElementById('signin-error').textContent.includes('密码错误')",
    )
    .await?;
    b.type_into("#signin-password", &format!("{password}{ENTER}"))
        .await?;
    b.wait_for(
        "the user in the bar",
        &format!(
            "document.querySelector('#user-bar .user-name') && document.querySelector('#user-bar .user-name').textContent === {}",
            js_str(name)
        ),
    )
    .await?;
    b.ready("the start page after sign-in").await
}

/// Signs out with the bar's button: the form comes back and the API refuses the old session.
pub(crate) async fn sign_out(b: &Browser) -> Result<()> {
    b.click("#sign-out").await?;
    b.wait_for(
        "the sign-in form",
        "!!document.getElementById('signin-form')",
    )
    .await?;
    let status = b
        .js("return fetch('/api/me').then(r => r.status)", json!([]))
        .await?;
    ensure(status == 401, || {
        format!("after sign-out /api/me is {status}")
    })
}

/// Staff see the ID number as received and the import view.
pub(crate) async fn staff_see_personal_data(b: &Browser, server: &TestServer) -> Result<()> {
    let role = b.text("#user-bar .user-role").await?;
    ensure(role.contains("工作人员"), || {
        format!("the bar says {role}")
    })?;
    b.goto(&server.url(&format!("/#/record/{PERSONAL}")))
        .await?;
    b.ready("the record").await?;
    let content = b.text("#record-content").await?;
    ensure(content.contains("440304197010198037"), || {
        format!("staff see {content}")
    })
}

/// The analyst sees the record masked, no import in the bar, and a refusal on its address.
pub(crate) async fn analyst_sees_masked_data(
    b: &Browser,
    server: &TestServer,
    shots: &Path,
) -> Result<()> {
    let role = b.text("#user-bar .user-role").await?;
    ensure(role.contains("分析人员"), || {
        format!("the bar says {role}")
    })?;
    let import_hidden = b
        .js(
            "return document.querySelector(\".mainnav a[data-nav='import']\").hidden",
            json!([]),
        )
        .await?;
    ensure(import_hidden == true, || {
        "the analyst is offered 导入".into()
    })?;
    b.goto(&server.url(&format!("/#/record/{PERSONAL}")))
        .await?;
    b.ready("the masked record").await?;
    let content = b.text("#record-content").await?;
    ensure(
        content.contains("4403**********8037") && !content.contains("440304197010198037"),
        || format!("the analyst sees {content}"),
    )?;
    b.screenshot_top(shots, "record-masked").await?;
    b.goto(&server.url("/#/import")).await?;
    b.ready("the import view").await?;
    let main = b.text("#main").await?;
    ensure(main.contains("无导入权限"), || {
        format!("the import view shows {main}")
    })
}
