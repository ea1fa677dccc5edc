//! 10,000 malformed rows of every kind mixed into a file of good ones: `minyi index` rejects
//! each with its file, line and reason, imports every good row, and stays within bounded memory
//! although some lines are tens of megabytes long.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use minyi_engine::{Engine, SearchRequest};

mod common;
use common::minyi;

/// Malformed line number `k`, and the words its reason must hold.
fn malformed(k: usize) -> (Vec<u8>, &'static str) {
    let id = format!("BAD{k}");
    let json = |v: serde_json::Value| v.to_string().into_bytes();
    match k % 10 {
        0 => (
            format!(r#"{{"id": "{id}", "content": "未闭合"#).into_bytes(),
            "malformed JSON",
        ),
        // GBK bytes in a UTF-8 file.
        1 => {
            let (gbk, _, _) = encoding_rs::GBK.encode("小区路灯坏了");
            let mut line = format!(r#"{{"id": "{id}", "content": ""#).into_bytes();
            line.extend_from_slice(&gbk);
            line.extend_from_slice(br#""}"#);
            (line, "not valid UTF-8")
        }
        2 => (
            json(serde_json::json!({"id": id, "content": format!("响铃\u{7}{k}")})),
            "control character U+0007",
        ),
        3 => (
            json(serde_json::json!({"id": id, "content": "空字节\u{0}在中间"})),
            "control character U+0000",
        ),
        4 => (
            json(
                serde_json::json!({"id": id, "content": "年份不对", "submitted_at": "1024-05-01"}),
            ),
            "out of range",
        ),
        5 => (
            json(
                serde_json::json!({"id": id, "content": "月份不对", "submitted_at": "2024-13-45"}),
            ),
            "cannot read",
        ),
        6 => (
            json(
                serde_json::json!({"id": format!("{id}{}", "X".repeat(10_000)), "content": "编号太长"}),
            ),
            "an id may have at most",
        ),
        7 => (
            json(serde_json::json!({"id": id})),
            "missing required field `content`",
        ),
        8 => (
            json(serde_json::json!(["数组", k])),
            "expected a JSON object",
        ),
        // A line of 9 MB that no buffer may hold whole; a field of 1.2 MB; an id that is an object.
        _ if k % 2000 == 9 => (
            json(serde_json::json!({"id": id, "content": "长".repeat(3_000_000)})),
            "line longer than",
        ),
        _ if k % 200 == 9 => (
            json(serde_json::json!({"id": id, "content": "长".repeat(400_000)})),
            "a field may have at most",
        ),
        _ => (
            json(serde_json::json!({"id": {"编号": k}, "content": "编号是对象"})),
            "expected text",
        ),
    }
}

/// Writes `good` good rows, with a malformed one after every two of them when `bad` is set;
/// returns the line and expected reason of each malformed one.
fn write_rows(path: &Path, good: usize, bad: bool) -> BTreeMap<u64, &'static str> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut expected = BTreeMap::new();
    let mut line = 0;
    for k in 0..good {
        if bad && k % 2 == 0 && k > 0 {
            line += 1;
            let (text, reason) = malformed(k / 2 - 1);
            out.write_all(&text).unwrap();
            out.write_all(b"\n").unwrap();
            expected.insert(line, reason);
        }
        line += 1;
        let record = serde_json::json!({
            "id": format!("OK{k}"),
            "title": "路面塌陷",
            "content": format!("第{k}号反映：路面塌陷，\t请尽快修补。\n谢谢。"),
            "submitted_at": "2024-05-01 08:00:00",
        });
        writeln!(out, "{record}").unwrap();
    }
    if bad {
        line += 1;
        let (text, reason) = malformed(good / 2 - 1);
        out.write_all(&text).unwrap();
        expected.insert(line, reason);
    }
    out.flush().unwrap();
    expected
}

fn index(index: &Path, input: &Path) -> String {
    let output = minyi()
        .args(["index", "--no-model", "--index"])
        .arg(index)
        .arg(input)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "{stderr}");
    stderr
}

#[test]
fn ten_thousand_malformed_rows_are_each_rejected_and_every_good_row_imported() {
    let dir = tempfile::tempdir().unwrap();
    let (bad, good) = (10_000, 20_000);
    // The same good rows alone first: the memory an import of them takes.
    let clean = dir.path().join("clean.jsonl");
    write_rows(&clean, good, false);
    index(&dir.path().join("clean-index"), &clean);
    let baseline_mb = children_peak_rss_kb() / 1024;

    let input = dir.path().join("mixed.jsonl");
    let expected = write_rows(&input, good, true);
    assert_eq!(expected.len(), bad);
    let index_dir = dir.path().join("index");
    let stderr = index(&index_dir, &input);
    assert!(
        stderr.contains(&format!("imported {good} records from {} rows", bad + good)),
        "{stderr}"
    );
    assert!(stderr.contains(&format!("{bad} rejected")), "{stderr}");

    // Every reject names the file, its line and the reason.
    let rejects_file = stderr
        .lines()
        .find_map(|l| l.strip_prefix("rejected rows and reasons: "))
        .unwrap();
    let rejects = std::fs::read_to_string(rejects_file).unwrap();
    assert!(
        rejects.len() < 10_000_000,
        "rejects do not repeat huge rows"
    );
    let mut seen = 0;
    for reject in rejects.lines() {
        let reject: serde_json::Value = serde_json::from_str(reject).unwrap();
        assert_eq!(reject["file"].as_str(), Some(input.to_str().unwrap()));
        let line = reject["line"].as_u64().unwrap();
        let reason = reject["reason"].as_str().unwrap();
        let wanted = expected
            .get(&line)
            .unwrap_or_else(|| panic!("line {line} was good"));
        assert!(
            reason.contains(wanted),
            "line {line}: {reason} (wanted {wanted})"
        );
        seen += 1;
    }
    assert_eq!(seen, bad);

    // Memory stayed bounded: the malformed rows, lines of 9 MB among them, cost at most some
    // lines' worth more than the good rows alone.
    let peak_mb = children_peak_rss_kb() / 1024;
    let file_mb = std::fs::metadata(&input).unwrap().len() / 1_000_000;
    assert!(
        peak_mb <= baseline_mb + 64,
        "peak {peak_mb} MB, against {baseline_mb} MB for the good rows alone, for a file of {file_mb} MB"
    );

    let engine = Engine::open_read_only(&index_dir, None).unwrap();
    assert_eq!(engine.len(), good as u64);
    let found = engine
        .search(&SearchRequest {
            q: "路面塌陷".into(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(found.total, good);
}

/// The largest resident memory of any child process this test has waited for.
fn children_peak_rss_kb() -> u64 {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage fills the struct it is given.
    let usage = unsafe {
        assert_eq!(
            libc::getrusage(libc::RUSAGE_CHILDREN, usage.as_mut_ptr()),
            0
        );
        usage.assume_init()
    };
    usage.ru_maxrss as u64
}
