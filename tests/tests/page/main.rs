//! The staff web page in a real browser: Debian's headless Chromium, driven through chromedriver
//! (W3C WebDriver), against a real `minyi` server over the sample corpus on a loopback port.
//!
//! Needs `/usr/bin/chromium` and `/usr/bin/chromedriver` (or `MINYI_CHROMIUM` and
//! `MINYI_CHROMEDRIVER`): `apt-get install -y chromium chromium-driver`. Screenshots of the main
//! views are written to `tests/page-screenshots/`.
//!
//! The WebDriver client is the `fantoccini` crate (see `browser.rs`).

mod browser;
mod import;
mod search;
mod signin;
mod topics;
mod views;

use std::path::PathBuf;
use std::time::Instant;

use minyi_e2e::{TestServer, workspace_root};
use minyi_store::Role;

use browser::{Browser, Result};

fn screenshot_dir() -> PathBuf {
    workspace_root().join("tests/page-screenshots")
}

#[tokio::test(flavor = "multi_thread")]
async fn staff_page_in_headless_chromium() {
    let started = Instant::now();
    let server = TestServer::sample().await;
    in_browser(&server, walk_through).await;
    eprintln!("page walk-through took {:?}", started.elapsed());
}

/// With a model, the server answers hybrid by default, and the mode switch shows that.
#[tokio::test(flavor = "multi_thread")]
async fn the_mode_switch_shows_the_mode_the_answer_used() {
    let server = TestServer::sample_semantic().await;
    in_browser(&server, async |b: &Browser, server: &TestServer| {
        server
            .store()
            .add_user("desk", Role::Staff, &[], "staff password")
            .expect("add staff");
        signin::sign_in(b, server, "desk", "staff password").await?;
        search::mode_switch(b).await
    })
    .await;
}

/// Runs `steps` in a fresh headless Chromium against `server`; fails with a screenshot on an
/// error, and on any script error of the page.
async fn in_browser(
    server: &TestServer,
    steps: impl AsyncFnOnce(&Browser, &TestServer) -> Result<()>,
) {
    let mut browser = Browser::launch().await;
    let result = steps(&browser, server).await;
    let errors = browser.script_errors().await;
    if let Err(e) = &result {
        let shot = browser.screenshot(&screenshot_dir(), "failure").await;
        browser.quit().await;
        panic!("{e}\n(screenshot: {shot:?}; script errors: {errors:?})");
    }
    browser.quit().await;
    assert!(errors.is_empty(), "the page had script errors: {errors:?}");
}

async fn walk_through(b: &Browser, server: &TestServer) -> Result<()> {
    let shots = screenshot_dir();
    let store = server.store();
    store
        .add_user("desk", Role::Staff, &[], "staff password")
        .expect("add staff");
    store
        .add_user("analysis", Role::Analyst, &[], "analyst password")
        .expect("add analyst");
    signin::sign_in(b, server, "desk", "staff password").await?;
    search::search_filter_and_page(b, server, &shots).await?;
    views::record_issues_and_laws(b, &shots).await?;
    import::import_files(b, server, &shots).await?;
    search::malformed_query(b, server, &shots).await?;
    signin::staff_see_personal_data(b, server).await?;
    topics::staff_follow_a_topic(b, server, &shots).await?;
    signin::sign_out(b).await?;
    signin::sign_in(b, server, "analysis", "analyst password").await?;
    signin::analyst_sees_masked_data(b, server, &shots).await?;
    topics::analyst_sees_no_topics(b, server).await
}
