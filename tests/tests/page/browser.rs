//! The browser: chromedriver and one headless Chromium session, driven through the `fantoccini`
//! WebDriver client, with the few helpers the walk-through needs (wait for a JS condition, read a
//! number, take a screenshot, collect the page's script errors).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};

const INSTALL_HINT: &str = "install Debian's Chromium and its WebDriver: \
     `apt-get update && apt-get install -y chromium chromium-driver` \
     (or point MINYI_CHROMIUM and MINYI_CHROMEDRIVER at them)";
/// The key WebDriver sends as Enter.
pub(crate) const ENTER: &str = "\u{E007}";
const WAIT: Duration = Duration::from_secs(15);

pub(crate) type Result<T> = std::result::Result<T, String>;

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
pub(crate) struct Browser {
    client: Client,
    port: u16,
    session: String,
    driver: Child,
    _profile: tempfile::TempDir,
    closed: bool,
}

/// Chromium's console messages (`goog:loggingPrefs`), a chromedriver command outside W3C
/// WebDriver that the client does not name.
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> std::result::Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/se/log",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(json!({"type": "browser"}).to_string()),
        )
    }
}

impl Browser {
    pub(crate) async fn launch() -> Browser {
        let chromium = tool("MINYI_CHROMIUM", "/usr/bin/chromium");
        let chromedriver = tool("MINYI_CHROMEDRIVER", "/usr/bin/chromedriver");
        let profile = tempfile::tempdir().expect("profile dir");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let mut driver = Command::new(&chromedriver)
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
            &format!("--user-data-dir={}", profile.path().display()),
        ];
        let caps = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": chromium, "args": args},
            "goog:loggingPrefs": {"browser": "ALL"},
            "timeouts": {"script": 20000, "pageLoad": 20000},
        });
        let Value::Object(caps) = caps else {
            unreachable!("an object literal")
        };
        let mut builder = ClientBuilder::new(HttpConnector::new());
        builder.capabilities(caps);
        let webdriver = format!("http://127.0.0.1:{port}");
        // chromedriver takes a moment to listen; until then the session cannot start
        let started = Instant::now();
        let client = loop {
            match builder.connect(&webdriver).await {
                Ok(client) => break client,
                Err(e) if started.elapsed() > Duration::from_secs(20) => {
                    let _ = driver.kill();
                    panic!("cannot start a Chromium session: {e} — {INSTALL_HINT}")
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        };
        let session = client
            .session_id()
            .await
            .ok()
            .flatten()
            .expect("a session id");
        Browser {
            client,
            port,
            session,
            driver,
            _profile: profile,
            closed: false,
        }
    }

    pub(crate) async fn goto(&self, url: &str) -> Result<()> {
        self.client
            .goto(url)
            .await
            .map_err(|e| format!("go to {url}: {e}"))
    }

    pub(crate) async fn back(&self) -> Result<()> {
        self.client.back().await.map_err(|e| format!("back: {e}"))
    }

    /// Runs `script` (a function body; `arguments` holds `args`) and returns what it returns.
    pub(crate) async fn js(&self, script: &str, args: Value) -> Result<Value> {
        let args = match args {
            Value::Array(args) => args,
            other => vec![other],
        };
        self.client
            .execute(script, args)
            .await
            .map_err(|e| format!("script `{script}`: {e}"))
    }

    pub(crate) async fn find(&self, css: &str) -> Result<Element> {
        self.client
            .find(Locator::Css(css))
            .await
            .map_err(|e| format!("no element `{css}`: {e}"))
    }

    pub(crate) async fn click(&self, css: &str) -> Result<()> {
        let el = self.find(css).await?;
        el.click().await.map_err(|e| format!("click `{css}`: {e}"))
    }

    /// Types into the element as a person would (real key events).
    pub(crate) async fn type_into(&self, css: &str, text: &str) -> Result<()> {
        let el = self.find(css).await?;
        el.clear()
            .await
            .map_err(|e| format!("clear `{css}`: {e}"))?;
        el.send_keys(text)
            .await
            .map_err(|e| format!("type into `{css}`: {e}"))
    }

    /// Chooses `file` in the file input `css`.
    pub(crate) async fn upload(&self, css: &str, file: &Path) -> Result<()> {
        let el = self.find(css).await?;
        el.send_keys(&file.to_string_lossy())
            .await
            .map_err(|e| format!("choose {} in `{css}`: {e}", file.display()))
    }

    pub(crate) async fn text(&self, css: &str) -> Result<String> {
        let el = self.find(css).await?;
        el.text()
            .await
            .map_err(|e| format!("the text of `{css}`: {e}"))
    }

    /// Polls `condition` (a JS expression) until it is truthy; returns its value.
    pub(crate) async fn wait_for(&self, what: &str, condition: &str) -> Result<Value> {
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
    pub(crate) async fn ready(&self, what: &str) -> Result<()> {
        self.wait_for(
            what,
            "document.getElementById('main') && document.getElementById('main').dataset.ready === (location.hash || '#')",
        )
        .await
        .map(drop)
    }

    pub(crate) async fn number(&self, what: &str, expr: &str) -> Result<i64> {
        let v = self.js(&format!("return ({expr});"), json!([])).await?;
        v.as_i64()
            .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
            .ok_or_else(|| format!("{what}: `{expr}` gave {v}"))
    }

    /// A screenshot of the top of the page, as one would first see it.
    pub(crate) async fn screenshot_top(&self, dir: &Path, name: &str) -> Result<PathBuf> {
        self.js("window.scrollTo(0, 0)", json!([])).await?;
        self.screenshot(dir, name).await
    }

    pub(crate) async fn screenshot(&self, dir: &Path, name: &str) -> Result<PathBuf> {
        let png = self
            .client
            .screenshot()
            .await
            .map_err(|e| format!("screenshot: {e}"))?;
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png).map_err(|e| e.to_string())?;
        Ok(path)
    }

    /// Uncaught script errors the page logged to its console.
    pub(crate) async fn script_errors(&self) -> Vec<String> {
        let logs = self.client.issue_cmd(BrowserLog).await.unwrap_or_default();
        logs.as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e["message"].as_str())
            .filter(|m| m.contains("Uncaught") || m.contains("SyntaxError"))
            .map(str::to_string)
            .collect()
    }

    pub(crate) async fn quit(&mut self) {
        if !self.closed {
            self.closed = true;
            let _ = self.client.clone().close().await;
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.closed {
            // A panic skipped quit(), and the client's own clean-up needs the runtime the panic
            // is tearing down: end the session (and so Chromium) with one plain request.
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

pub(crate) fn ensure(condition: bool, message: impl FnOnce() -> String) -> Result<()> {
    if condition { Ok(()) } else { Err(message()) }
}

/// `s` quoted as a JS string literal.
pub(crate) fn js_str(s: &str) -> String {
    Value::from(s).to_string()
}
