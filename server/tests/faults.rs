//! Faults during `minyi index`, caused for real: the process killed with SIGKILL between
//! checkpoints, the disk filling up under it, files of the index damaged before it opens.

use std::io::Write;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;

use minyi_engine::{Engine, SearchRequest};
use minyi_indexer::MinyiIndex;

mod common;
use common::{assert_every_record_has_its_vector, minyi, model_file, spawn, write_records};

fn import(index: &Path, input: &Path, extra: &[&str]) -> Command {
    let mut command = minyi();
    command
        .args(["index", "--index"])
        .arg(index)
        .arg(input)
        .args(extra);
    command
}

/// The count in a line `checkpoint: N records committed (…)`.
fn checkpoint(line: &str) -> Option<u64> {
    line.strip_prefix("checkpoint: ")?
        .split(' ')
        .next()?
        .parse()
        .ok()
}

/// Waits for the `n`th checkpoint line and returns what it says is committed.
fn wait_for_checkpoint(lines: &mpsc::Receiver<String>, n: usize) -> u64 {
    let mut seen = 0;
    for line in lines.iter() {
        if let Some(committed) = checkpoint(&line) {
            seen += 1;
            if seen == n {
                return committed;
            }
        }
    }
    panic!("the import ended before checkpoint {n}");
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn has_id(index: &MinyiIndex, id: &str) -> bool {
    let query = tantivy::query::TermQuery::new(
        tantivy::Term::from_field_text(index.fields().id, id),
        tantivy::schema::IndexRecordOption::Basic,
    );
    let searcher = index.reader().unwrap().searcher();
    searcher.search(&query, &tantivy::collector::Count).unwrap() == 1
}

/// Records found by a search for `q`, through the engine as the server answers it.
fn search_total(index: &Path, q: &str) -> usize {
    let engine = Engine::open_read_only(index, None).unwrap();
    let req = SearchRequest {
        q: q.into(),
        ..Default::default()
    };
    engine.search(&req).unwrap().total
}

#[test]
fn sigkill_mid_import_keeps_every_checkpoint_and_the_rerun_completes() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("big.jsonl");
    let n = 200_000;
    write_records(&input, n);
    let index = dir.path().join("index");

    let (mut child, lines) = spawn(import(&index, &input, &["--no-model"]));
    let reported = wait_for_checkpoint(&lines, 2);
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.signal(), Some(9), "killed mid-import, not finished");

    let opened = MinyiIndex::open(&index).expect("the killed import's index opens");
    let committed = opened.reader().unwrap().searcher().num_docs();
    assert!(
        committed >= reported && committed < n as u64,
        "{committed} records after the kill; the last checkpoint seen said {reported}"
    );
    // Records are committed in file order: exactly the first `committed` are there.
    assert!(has_id(&opened, &format!("R{}", committed - 1)));
    assert!(!has_id(&opened, &format!("R{committed}")));
    drop(opened);
    assert_eq!(
        search_total(&index, "路灯") as u64,
        committed.div_ceil(15),
        "every committed record is searchable"
    );

    let out = import(&index, &input, &["--no-model"]).output().unwrap();
    assert!(
        out.status.success(),
        "the writer lock does not block the rerun: {}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("all committed"), "{}", stderr(&out));
    let opened = MinyiIndex::open(&index).unwrap();
    assert_eq!(opened.reader().unwrap().searcher().num_docs(), n as u64);
    drop(opened);
    assert_eq!(search_total(&index, "路灯"), n.div_ceil(15));
}

#[test]
fn sigkill_mid_import_with_a_model_leaves_no_record_without_its_vector() {
    let Some(model) = model_file() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("records.jsonl");
    let n = 1000;
    write_records(&input, n);
    let index = dir.path().join("index");
    let model = model.to_str().unwrap();
    let args = ["--model", model, "--checkpoint", "64"];

    let (mut child, lines) = spawn(import(&index, &input, &args));
    let reported = wait_for_checkpoint(&lines, 2);
    child.kill().unwrap();
    assert_eq!(child.wait().unwrap().signal(), Some(9));
    let committed = assert_every_record_has_its_vector(&index);
    assert!(committed >= reported && committed < n as u64, "{committed}");

    let out = import(&index, &input, &args).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(assert_every_record_has_its_vector(&index), n as u64);
}

/// A 30 MB tmpfs at `dir`, unmounted on drop; `None` when mounting is not permitted.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(dir: &Path) -> Option<Tmpfs> {
        std::fs::create_dir_all(dir).unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=30m", "tmpfs"])
            .arg(dir)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Tmpfs(dir.to_path_buf()))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// Writes `n` records of 600 pseudo-random CJK characters each (about 1.8 kB, which compresses
/// little), so that a few thousand fill a small disk.
fn write_bulky_records(path: &Path, n: usize) {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut x: u64 = 1;
    for i in 0..n {
        let content: String = (0..600)
            .map(|_| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                char::from_u32(0x4e00 + ((x >> 33) % 3000) as u32).unwrap()
            })
            .collect();
        let title = if i % 10 == 0 {
            "路灯不亮"
        } else {
            "问题反映"
        };
        let line = serde_json::json!({"id": format!("F{i}"), "title": title, "content": content});
        writeln!(out, "{line}").unwrap();
    }
    out.flush().unwrap();
}

#[test]
fn a_full_disk_fails_the_import_clearly_and_keeps_what_was_committed() {
    let dir = tempfile::tempdir().unwrap();
    let Some(disk) = Tmpfs::mount(&dir.path().join("disk")) else {
        eprintln!("skipped: mounting a tmpfs is not permitted here (needs root)");
        return;
    };
    let input = dir.path().join("bulky.jsonl");
    write_bulky_records(&input, 60_000);
    let index = disk.0.join("index");

    let (mut child, lines) = spawn(import(
        &index,
        &input,
        &["--no-model", "--checkpoint", "2000"],
    ));
    let lines: Vec<String> = lines.iter().collect();
    let status = child.wait().unwrap();
    let output = lines.join("\n");
    assert_eq!(status.code(), Some(1), "{output}");
    // tantivy's merge threads may log the same full disk after the error line, as they stop.
    let last = lines
        .iter()
        .rev()
        .find(|l| !l.contains("tantivy::"))
        .unwrap();
    assert!(
        last.contains("disk holding")
            && last.contains("is full")
            && last.contains(&index.display().to_string()),
        "says the disk is full and where: {last}"
    );
    let committed = lines.iter().rev().find_map(|l| checkpoint(l)).unwrap_or(0);
    assert!(
        committed > 0,
        "some checkpoints passed before the disk filled: {output}"
    );
    assert!(
        last.contains(&format!("{committed} records of this import")),
        "{last}"
    );

    let engine = Engine::open_read_only(&index, None).expect("the index opens on the full disk");
    assert_eq!(engine.len(), committed, "nothing committed is lost");
    let req = SearchRequest {
        q: "路灯不亮".into(),
        ..Default::default()
    };
    assert_eq!(
        engine.search(&req).unwrap().total as u64,
        committed.div_ceil(10)
    );
}
