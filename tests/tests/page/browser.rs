//! The WebDriver client: chromedriver and one headless Chromium session, driven with the few
//! W3C WebDriver commands the walk-through needs, over `reqwest`.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const INSTALL_HINT: &str = "install Debian's Chromium and its WebDriver: \
     `apt-get update && apt-get install -y chromium chromium-driver` \
     (or point MINYI_CHROMIUM and MINYI_CHROMEDRIVER at them)";
/// The key WebDriver sends as Enter.
pub(crate) const ENTER: &str = "\u{E007}";
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";
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
    http: reqwest::Client,
    port: u16,
    session: String,
    driver: Child,
    _profile: tempfile::TempDir,
    closed: bool,
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

    pub(crate) async fn command(
        &self,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value> {
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

    pub(crate) async fn session(
        &self,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value> {
        self.command(method, &format!("/session/{}{path}", self.session), body)
            .await
    }

    pub(crate) async fn goto(&self, url: &str) -> Result<()> {
        self.session("POST", "/url", Some(json!({ "url": url })))
            .await
            .map(drop)
    }

    pub(crate) async fn back(&self) -> Result<()> {
        self.session("POST", "/back", None).await.map(drop)
    }

    /// Runs `script` (a function body; `arguments` holds `args`) and returns what it returns.
    pub(crate) async fn js(&self, script: &str, args: Value) -> Result<Value> {
        self.session(
            "POST",
            "/execute/sync",
            Some(json!({"script": script, "args": args})),
        )
        .await
    }

    pub(crate) async fn find(&self, css: &str) -> Result<String> {
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

    pub(crate) async fn click(&self, css: &str) -> Result<()> {
        let el = self.find(css).await?;
        self.session("POST", &format!("/element/{el}/click"), None)
            .await
            .map(drop)
    }

    /// Types into the element as a person would (real key events).
    pub(crate) async fn type_into(&self, css: &str, text: &str) -> Result<()> {
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

    pub(crate) async fn text(&self, css: &str) -> Result<String> {
        let el = self.find(css).await?;
        let v = self
            .session("GET", &format!("/element/{el}/text"), None)
            .await?;
        Ok(v.as_str().unwrap_or_default().to_string())
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
        let v = self.session("GET", "/screenshot", None).await?;
        let png = base64_decode(v.as_str().unwrap_or_default())?;
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png).map_err(|e| e.to_string())?;
        Ok(path)
    }

    /// Uncaught script errors the page logged to its console.
    pub(crate) async fn script_errors(&self) -> Vec<String> {
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

    pub(crate) async fn quit(&mut self) {
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

pub(crate) fn ensure(condition: bool, message: impl FnOnce() -> String) -> Result<()> {
    if condition { Ok(()) } else { Err(message()) }
}

/// `s` quoted as a JS string literal.
pub(crate) fn js_str(s: &str) -> String {
    Value::from(s).to_string()
}
