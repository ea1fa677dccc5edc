//! The staff web page in a real browser: Debian's headless Chromium, driven through chromedriver
//! (W3C WebDriver), against a real `minyi` server over the sample corpus on a loopback port.
//!
//! Needs `/usr/bin/chromium` and `/usr/bin/chromedriver` (or `MINYI_CHROMIUM` and
//! `MINYI_CHROMEDRIVER`): `apt-get install -y chromium chromium-driver`. Screenshots of the main
//! views are written to `tests/page-screenshots/`.
//!
//! The WebDriver client is the few commands below over `reqwest`, which the tests already build:
//! WebDriver is JSON over HTTP, and a client crate would add a second HTTP stack and ~30 crates.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use minyi_e2e::{TestServer, workspace_root};
use serde_json::{Value, json};

const INSTALL_HINT: &str = "install Debian's Chromium and its WebDriver: \
     `apt-get update && apt-get install -y chromium chromium-driver` \
     (or point MINYI_CHROMIUM and MINYI_CHROMEDRIVER at them)";
/// The key WebDriver sends as Enter.
const ENTER: &str = "\u{E007}";
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";
const WAIT: Duration = Duration::from_secs(15);

type Result<T> = std::result::Result<T, String>;

fn tool(env: &str, default: &str) -> PathBuf {
    let path = std::env::var_os(env).map_or_else(|| PathBuf::from(default), PathBuf::from);
    assert!(
        path.is_file(),
        "{} not found at {} — {INSTALL_HINT}",
        Path::new(default).file_name().unwrap().to_string_lossy(),
        path.display()
    );
    path
}

/// chromedriver, and one headless Chromium session through it.
struct Browser {
    http: reqwest::Client,
    port: u16,
    session: String,
    driver: Child,
    _profile: tempfile::TempDir,
    closed: bool,
}

impl Browser {
    async fn launch() -> Browser {
        let chromium = tool("MINYI_CHROMIUM", "/usr/bin/chromium");
        let chromedriver = tool("MINYI_CHROMEDRIVER", "/usr/bin/chromedriver");
        let profile = tempfile::tempdir().expect("profile dir");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let driver = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            // Chromium on Linux takes its locale (date fields, …) from the environment, not --lang
            .env("LANGUAGE", "zh_CN")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot start {}: {e} — {INSTALL_HINT}",
                    chromedriver.display()
                )
            });
        let http = reqwest::Client::builder()
            .no_proxy()
            .timeout(Duration::from_secs(60))
            .build()
            .expect("HTTP client");
        let mut browser = Browser {
            http,
            port,
            session: String::new(),
            driver,
            _profile: profile,
            closed: false,
        };
        let started = Instant::now();
        loop {
            let ready = browser
                .http
                .get(format!("http://127.0.0.1:{port}/status"))
                .send()
                .await;
            if let Ok(r) = ready
                && let Ok(v) = r.json::<Value>().await
                && v["value"]["ready"] == true
            {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "chromedriver did not become ready on port {port}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--disable-extensions",
            "--disable-default-apps",
            "--no-default-browser-check",
            "--force-device-scale-factor=1",
            "--window-size=1366,768",
            "--lang=zh-CN",
            &format!("--user-data-dir={}", browser._profile.path().display()),
        ];
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": chromium, "args": args},
            "goog:loggingPrefs": {"browser": "ALL"},
            "timeouts": {"script": 20000, "pageLoad": 20000},
        }}});
        let session = browser
            .command("POST", "/session", Some(caps))
            .await
            .unwrap_or_else(|e| panic!("cannot start a Chromium session: {e} — {INSTALL_HINT}"));
        browser.session = session["sessionId"]
            .as_str()
            .expect("a session id")
            .to_string();
        browser
    }

    async fn command(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value> {
        let url = format!("http://127.0.0.1:{}{path}", self.port);
        let request = match method {
            "GET" => self.http.get(&url),
            "DELETE" => self.http.delete(&url),
            _ => self
                .http
                .post(&url)
                .json(&body.unwrap_or_else(|| json!({}))),
        };
        let response = request
            .send()
            .await
            .map_err(|e| format!("{method} {path}: {e}"))?;
        let value: Value = response
            .json()
            .await
            .map_err(|e| format!("{method} {path}: {e}"))?;
        let value = value["value"].clone();
        if let Some(error) = value.get("error").and_then(Value::as_str) {
            return Err(format!(
                "{method} {path}: {error}: {}",
                value["message"].as_str().unwrap_or("")
            ));
        }
        Ok(value)
    }

    async fn session(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value> {
        self.command(method, &format!("/session/{}{path}", self.session), body)
            .await
    }

    async fn goto(&self, url: &str) -> Result<()> {
        self.session("POST", "/url", Some(json!({ "url": url })))
            .await
            .map(drop)
    }

    async fn back(&self) -> Result<()> {
        self.session("POST", "/back", None).await.map(drop)
    }

    /// Runs `script` (a function body; `arguments` holds `args`) and returns what it returns.
    async fn js(&self, script: &str, args: Value) -> Result<Value> {
        self.session(
            "POST",
            "/execute/sync",
            Some(json!({"script": script, "args": args})),
        )
        .await
    }

    async fn find(&self, css: &str) -> Result<String> {
        let found = self
            .session(
                "POST",
                "/element",
                Some(json!({"using": "css selector", "value": css})),
            )
            .await
            .map_err(|e| format!("no element `{css}`: {e}"))?;
        Ok(found[ELEMENT].as_str().unwrap_or_default().to_string())
    }

    async fn click(&self, css: &str) -> Result<()> {
        let el = self.find(css).await?;
        self.session("POST", &format!("/element/{el}/click"), None)
            .await
            .map(drop)
    }

    /// Types into the element as a person would (real key events).
    async fn type_into(&self, css: &str, text: &str) -> Result<()> {
        let el = self.find(css).await?;
        self.session("POST", &format!("/element/{el}/clear"), None)
            .await?;
        self.session(
            "POST",
            &format!("/element/{el}/value"),
            Some(json!({ "text": text })),
        )
        .await
        .map(drop)
    }

    async fn text(&self, css: &str) -> Result<String> {
        let el = self.find(css).await?;
        let v = self
            .session("GET", &format!("/element/{el}/text"), None)
            .await?;
        Ok(v.as_str().unwrap_or_default().to_string())
    }

    /// Polls `condition` (a JS expression) until it is truthy; returns its value.
    async fn wait_for(&self, what: &str, condition: &str) -> Result<Value> {
        let started = Instant::now();
        let script = format!("return ({condition});");
        loop {
            let v = self.js(&script, json!([])).await?;
            if !(v.is_null() || v == false || v == 0 || v == "") {
                return Ok(v);
            }
            if started.elapsed() > WAIT {
                let state = self
                    .js(
                        "return location.hash + ' | ' + document.getElementById('main').innerText.slice(0, 400);",
                        json!([]),
                    )
                    .await
                    .unwrap_or_default();
                return Err(format!(
                    "timed out waiting for {what} (`{condition}`); page: {state}"
                ));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until the view of the current URL has finished loading its data.
    async fn ready(&self, what: &str) -> Result<()> {
        self.wait_for(
            what,
            "document.getElementById('main') && document.getElementById('main').dataset.ready === (location.hash || '#')",
        )
        .await
        .map(drop)
    }

    async fn number(&self, what: &str, expr: &str) -> Result<i64> {
        let v = self.js(&format!("return ({expr});"), json!([])).await?;
        v.as_i64()
            .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
            .ok_or_else(|| format!("{what}: `{expr}` gave {v}"))
    }

    /// A screenshot of the top of the page, as one would first see it.
    async fn screenshot_top(&self, dir: &Path, name: &str) -> Result<PathBuf> {
        self.js("window.scrollTo(0, 0)", json!([])).await?;
        self.screenshot(dir, name).await
    }

    async fn screenshot(&self, dir: &Path, name: &str) -> Result<PathBuf> {
        let v = self.session("GET", "/screenshot", None).await?;
        let png = base64_decode(v.as_str().unwrap_or_default())?;
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png).map_err(|e| e.to_string())?;
        Ok(path)
    }

    /// Uncaught script errors the page logged to its console.
    async fn script_errors(&self) -> Vec<String> {
        let logs = self
            .session("POST", "/se/log", Some(json!({"type": "browser"})))
            .await
            .unwrap_or_default();
        logs.as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e["message"].as_str())
            .filter(|m| m.contains("Uncaught") || m.contains("SyntaxError"))
            .map(str::to_string)
            .collect()
    }

    async fn quit(&mut self) {
        if !self.closed {
            self.closed = true;
            let _ = self.session("DELETE", "", None).await;
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.closed && !self.session.is_empty() {
            // A panic skipped quit(): end the session (and so Chromium) without async.
            if let Ok(mut s) = TcpStream::connect(("127.0.0.1", self.port)) {
                let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
                let _ = write!(
                    s,
                    "DELETE /session/{} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                    self.session
                );
                let _ = s.read_to_end(&mut Vec::new());
            }
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn base64_decode(text: &str) -> Result<Vec<u8>> {
    let value = |c: u8| -> Result<u32> {
        Ok(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return Err(format!("not base64: {:?}", c as char)),
        } as u32)
    };
    let bytes: Vec<u8> = text
        .bytes()
        .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
        .collect();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= value(c)? << (18 - 6 * i);
        }
        let take = chunk.len().saturating_sub(1);
        out.extend_from_slice(&n.to_be_bytes()[1..1 + take]);
    }
    Ok(out)
}

fn ensure(condition: bool, message: impl FnOnce() -> String) -> Result<()> {
    if condition { Ok(()) } else { Err(message()) }
}

/// `s` quoted as a JS string literal.
fn js_str(s: &str) -> String {
    Value::from(s).to_string()
}

fn screenshot_dir() -> PathBuf {
    workspace_root().join("tests/page-screenshots")
}

#[tokio::test(flavor = "multi_thread")]
async fn staff_page_in_headless_chromium() {
    let started = Instant::now();
    let server = TestServer::sample().await;
    let mut browser = Browser::launch().await;
    let result = walk_through(&browser, &server).await;
    let errors = browser.script_errors().await;
    if let Err(e) = &result {
        let shot = browser.screenshot(&screenshot_dir(), "failure").await;
        browser.quit().await;
        panic!("{e}\n(screenshot: {shot:?}; script errors: {errors:?})");
    }
    browser.quit().await;
    assert!(errors.is_empty(), "the page had script errors: {errors:?}");
    eprintln!("page walk-through took {:?}", started.elapsed());
}

async fn walk_through(b: &Browser, server: &TestServer) -> Result<()> {
    let shots = screenshot_dir();

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
    b.screenshot_top(&shots, "search").await?;

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
    b.screenshot_top(&shots, "record").await?;

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
    b.screenshot_top(&shots, "issues").await?;
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
        b.screenshot_top(&shots, "issue").await?;
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
    b.screenshot_top(&shots, "laws").await?;

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
    let input = b.find("#import-file").await?;
    b.session(
        "POST",
        &format!("/element/{input}/value"),
        Some(json!({"text": file.to_string_lossy()})),
    )
    .await?;
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
    b.screenshot_top(&shots, "import").await?;

    // a CSV file as offices export them: Chinese headers, GBK
    let csv = dir.path().join("导入测试.csv");
    let (gbk, _, _) = encoding_rs::GBK.encode("留言编号,留言详情\nPAGE-0004,网页导入测试：CSV\n");
    std::fs::write(&csv, gbk).map_err(|e| e.to_string())?;
    let input = b.find("#import-file").await?;
    b.session(
        "POST",
        &format!("/element/{input}/value"),
        Some(json!({"text": csv.to_string_lossy()})),
    )
    .await?;
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
    let imported: Value = reqwest::get(server.url("/api/records/PAGE-0004"))
        .await
        .map_err(|e| e.to_string())?
        .json()
        .await
        .map_err(|e| e.to_string())?;
    ensure(imported["content"] == "网页导入测试：CSV", || {
        format!("the CSV record as stored: {imported}")
    })?;

    // ---- a malformed query shows the server's own message ----
    let bad = "\"夜间施工";
    let api: Value =
        reqwest::get(server.url(&format!("/api/search?q={}", bad.replace('"', "%22"))))
            .await
            .map_err(|e| e.to_string())?
            .json()
            .await
            .map_err(|e| e.to_string())?;
    let message = api["error"]["message"].as_str().unwrap_or_default();
    ensure(!message.is_empty(), || {
        format!("the API accepted {bad}: {api}")
    })?;
    b.click(".mainnav a[data-nav='search']").await?;
    b.ready("the search view").await?;
    b.type_into("#q", &format!("{bad}{ENTER}")).await?;
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
    b.screenshot_top(&shots, "search-error").await?;
    Ok(())
}
