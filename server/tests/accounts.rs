//! `minyi users`, `minyi tokens`, `minyi audit` and `minyi serve`'s refusal, run as a person
//! would, against a real `minyi serve` process on a loopback port.

use std::io::Write;
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn minyi(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_minyi"))
        .args(args)
        .env("RUST_LOG", "warn")
        .env("USER", "operator")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run minyi");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().expect("wait for minyi")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A small index of two records, without a model.
fn small_index(dir: &Path) -> String {
    let records = dir.join("records.jsonl");
    std::fs::write(
        &records,
        "{\"id\":\"A1\",\"content\":\"青山区翠屏路路灯不亮\",\"region\":\"青山区\"}\n\
         {\"id\":\"A2\",\"content\":\"城北区金桂苑电梯故障\",\"region\":\"城北区\"}\n",
    )
    .unwrap();
    let index = dir.join("index");
    let out = minyi(
        &[
            "index",
            "--index",
            index.to_str().unwrap(),
            "--no-model",
            records.to_str().unwrap(),
        ],
        "",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    index.to_str().unwrap().to_string()
}

struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(index: &str) -> Server {
    serve_with(index, &[])
}

fn serve_with(index: &str, extra: &[&str]) -> Server {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(env!("CARGO_BIN_EXE_minyi"))
        .args(["serve", "--index", index, "--no-model", "--addr"])
        .arg(format!("127.0.0.1:{port}"))
        .args(extra)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start minyi serve");
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "minyi serve did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    Server { child, port }
}

/// The status of `GET path` with `Authorization: Bearer token`.
fn status(server: &Server, path: &str, token: &str) -> u16 {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        reqwest::Client::new()
            .get(format!("http://127.0.0.1:{}{path}", server.port))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    })
}

#[test]
fn serve_refuses_an_index_nobody_can_sign_in_to() {
    let dir = tempfile::tempdir().unwrap();
    let index = small_index(dir.path());
    let out = minyi(&["serve", "--index", &index, "--no-model"], "");
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(err.contains("nobody can sign in"), "{err}");
    assert!(err.contains("minyi users add"), "{err}");
}

#[test]
fn users_and_tokens_are_managed_from_the_command_line_while_serving() {
    let dir = tempfile::tempdir().unwrap();
    let index = small_index(dir.path());
    let out = minyi(
        &[
            "users",
            "add",
            "--index",
            &index,
            "zhang",
            "--role",
            "analyst",
            "--region",
            "青山区",
            "--password-stdin",
        ],
        "a long enough password\n",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let short = minyi(
        &[
            "users",
            "add",
            "--index",
            &index,
            "zhao",
            "--role",
            "staff",
            "--password-stdin",
        ],
        "short\n",
    );
    assert!(!short.status.success());
    assert!(text(&short.stderr).contains("too short"));
    let listed = text(&minyi(&["users", "list", "--index", &index], "").stdout);
    assert!(listed.contains("zhang\tanalyst\t青山区"), "{listed}");
    assert!(!listed.contains("zhao"));

    let made = minyi(
        &[
            "tokens", "add", "--index", &index, "feeder", "--role", "staff",
        ],
        "",
    );
    assert!(made.status.success(), "{}", text(&made.stderr));
    let secret = text(&made.stdout)
        .lines()
        .last()
        .unwrap()
        .trim()
        .to_string();
    assert!(secret.len() > 30, "{secret}");
    let tokens = text(&minyi(&["tokens", "list", "--index", &index], "").stdout);
    assert!(tokens.contains("feeder\tstaff"));
    assert!(!tokens.contains(&secret), "a listed token shows its secret");

    let server = serve(&index);
    assert_eq!(status(&server, "/api/records/A2", &secret), 200);
    // Revoked by the command while the server runs: refused on the next request.
    let revoked = minyi(&["tokens", "revoke", "--index", &index, "feeder"], "");
    assert!(revoked.status.success(), "{}", text(&revoked.stderr));
    assert_eq!(status(&server, "/api/records/A2", &secret), 401);
    drop(server);

    // The changes are in the audit log, by the operating-system user, and the chain verifies.
    let audit = minyi(&["audit", "--index", &index, "--format", "json"], "");
    let entries: Vec<serde_json::Value> = text(&audit.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let actions: Vec<(&str, &str)> = entries
        .iter()
        .filter(|e| e["who"]["kind"] == "cli")
        .map(|e| {
            (
                e["action"].as_str().unwrap(),
                e["who"]["name"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        actions,
        [
            ("user.add", "operator"),
            ("token.add", "operator"),
            ("token.revoke", "operator")
        ]
    );
    let verified = minyi(&["audit", "--index", &index, "--verify"], "");
    assert!(verified.status.success(), "{}", text(&verified.stderr));
    assert!(text(&verified.stdout).starts_with("intact"));

    // A removed line breaks the chain, and --verify says where.
    let day = std::fs::read_dir(Path::new(&index).join("audit"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .unwrap();
    let lines: Vec<String> = std::fs::read_to_string(&day)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    let without_second: Vec<&str> = lines
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != 1)
        .map(|(_, l)| l.as_str())
        .collect();
    std::fs::write(&day, without_second.join("\n") + "\n").unwrap();
    let broken = minyi(&["audit", "--index", &index, "--verify"], "");
    assert!(!broken.status.success());
    let err = text(&broken.stderr);
    assert!(err.contains("line 2"), "{err}");
}

#[test]
fn serves_https_with_the_given_certificate_and_secure_cookies() {
    let dir = tempfile::tempdir().unwrap();
    let index = small_index(dir.path());
    let added = minyi(
        &[
            "users",
            "add",
            "--index",
            &index,
            "ops",
            "--role",
            "admin",
            "--password-stdin",
        ],
        "a long enough password\n",
    );
    assert!(added.status.success(), "{}", text(&added.stderr));
    let made = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    let cert = dir.path().join("cert.pem");
    let key = dir.path().join("key.pem");
    std::fs::write(&cert, made.cert.pem()).unwrap();
    std::fs::write(&key, made.key_pair.serialize_pem()).unwrap();
    let server = serve_with(
        &index,
        &[
            "--tls-cert",
            cert.to_str().unwrap(),
            "--tls-key",
            key.to_str().unwrap(),
        ],
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let trusted = reqwest::Client::builder()
            .add_root_certificate(
                reqwest::Certificate::from_pem(made.cert.pem().as_bytes()).unwrap(),
            )
            .build()
            .unwrap();
        let base = format!("https://localhost:{}", server.port);
        let health = trusted.get(format!("{base}/healthz")).send().await.unwrap();
        assert_eq!(health.status(), 200);
        let login = trusted
            .post(format!("{base}/api/login"))
            .json(&serde_json::json!({ "username": "ops", "password": "a long enough password" }))
            .send()
            .await
            .unwrap();
        assert_eq!(login.status(), 200);
        let cookie = login.headers()["set-cookie"].to_str().unwrap().to_string();
        assert!(cookie.contains("; Secure"), "{cookie}");
        // Plain HTTP on the TLS port gets no answer, and a client that does not trust the
        // certificate is refused.
        let plain = reqwest::get(format!("http://127.0.0.1:{}/healthz", server.port)).await;
        assert!(plain.is_err() || plain.unwrap().status() != 200);
        assert!(reqwest::get(format!("{base}/healthz")).await.is_err());
    });
}
