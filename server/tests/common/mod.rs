//! Helpers shared by the tests that run `minyi` as a process.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;

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
