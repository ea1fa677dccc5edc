//! Helpers shared by the tests that run `minyi` as a process.

#![allow(dead_code)] // each test binary uses some of the helpers

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;

use minyi_indexer::MinyiIndex;
use minyi_indexer::vectors::RecordVectors;

/// Words of the generated records: record `i` is about `WORDS[i % 15]` and `WORDS[7i % 15]`.
const WORDS: [&str; 15] = [
    "路灯", "电梯", "噪音", "停车", "物业", "垃圾", "供水", "学校", "医院", "道路", "施工", "扰民",
    "小区", "维修", "投诉",
];

/// Writes `n` records `R0…` as JSON Lines; only records with `i % 15 == 0` mention 路灯.
pub fn write_records(path: &Path, n: usize) {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    for i in 0..n {
        let (a, b) = (WORDS[i % 15], WORDS[(i * 7) % 15]);
        let line = serde_json::json!({
            "id": format!("R{i}"),
            "title": format!("关于{a}问题的反映"),
            "content": format!("我们小区的{a}和{b}问题长期得不到解决，希望有关部门尽快处理。"),
            "submitted_at": "2024-05-01 08:00:00",
        });
        writeln!(out, "{line}").unwrap();
    }
    out.flush().unwrap();
}

/// The `minyi` command, quiet apart from warnings.
pub fn minyi() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_minyi"));
    command.env("RUST_LOG", "warn").env_remove("RUST_BACKTRACE");
    command
}

/// Runs `command` with stderr piped and returns the child and its stderr lines as they come.
pub fn spawn(mut command: Command) -> (Child, mpsc::Receiver<String>) {
    let mut child = command.stderr(Stdio::piped()).spawn().expect("run minyi");
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let (send, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in stderr.lines().map_while(Result::ok) {
            if send.send(line).is_err() {
                break;
            }
        }
    });
    (child, lines)
}

/// A child process killed when dropped, so that a failing test leaves no server behind.
pub struct Killed(pub Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn free_port() -> SocketAddr {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
}

/// Builds an index of `n` records from [`write_records`] at `index`, embedded with `model` when
/// given, with an admin user, and returns a staff token that may import.
pub fn index_with_token(dir: &Path, index: &Path, n: usize, model: Option<&Path>) -> String {
    let input = dir.join("records.jsonl");
    write_records(&input, n);
    let mut command = minyi();
    command.args(["index", "--index"]).arg(index).arg(&input);
    match model {
        Some(model) => command.arg("--model").arg(model),
        None => command.arg("--no-model"),
    };
    let out = command.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let store = minyi_store::Store::open(index).unwrap();
    store
        .add_user(
            "admin",
            minyi_store::Role::Admin,
            &[],
            "correct horse battery",
        )
        .unwrap();
    store
        .add_token("feeder", minyi_store::Role::Staff, &[])
        .unwrap()
        .secret
}

/// The default model, when `models/fetch-model.sh` has fetched it; without it, says that the
/// test calling this is skipped.
pub fn model_file() -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../models/cache/e5-small-q4.bin");
    if !path.exists() {
        eprintln!("skipped: no model at models/cache/e5-small-q4.bin (models/fetch-model.sh)");
    }
    path.exists().then_some(path)
}

/// Asserts that every live record has its own vector and the store holds it; returns how many
/// records there are.
pub fn assert_every_record_has_its_vector(index: &Path) -> u64 {
    let opened = MinyiIndex::open(index).unwrap();
    let store = opened.vectors().expect("the index holds vectors");
    let searcher = opened.reader().unwrap().searcher();
    let vectors = RecordVectors::new(&searcher).unwrap();
    let mut ids = HashSet::new();
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        for doc in segment.doc_ids_alive() {
            let id = vectors
                .of(tantivy::DocAddress::new(ord as u32, doc))
                .expect("a record without its vector");
            assert!(
                (id as usize) < store.len(),
                "vector {id} is not in the store"
            );
            assert!(ids.insert(id), "vector {id} serves two records");
        }
    }
    searcher.num_docs()
}

/// Starts `minyi serve` over `index` with `extra` arguments (`--no-model`, `--model M` …) on a
/// free port and waits until it serves.
pub fn serve(index: &Path, extra: &[&str]) -> (Killed, SocketAddr) {
    let addr = free_port();
    let mut serve = minyi();
    serve
        .args(["serve", "--addr", &addr.to_string(), "--index"])
        .arg(index)
        .args(extra)
        .stdout(Stdio::null());
    let (server, lines) = spawn(serve);
    let server = Killed(server);
    assert!(
        lines.iter().any(|l| l.starts_with("minyi serving")),
        "the server started"
    );
    // Keep its stderr open: a server whose log pipe is closed fails its requests.
    std::thread::spawn(move || lines.iter().for_each(drop));
    (server, addr)
}

/// Sends one HTTP/1.1 request with `token` and returns the status, the headers and the body.
pub fn request(
    addr: SocketAddr,
    token: &str,
    method: &str,
    path: &str,
    body: &str,
) -> (u16, String, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: minyi\r\nContent-Type: application/json\r\n\
         Authorization: Bearer {token}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head.to_string(), body.to_string())
}
