//! The audit log on real files: appends, filters, and verify catching each kind of tampering.

use std::fs;
use std::path::{Path, PathBuf};

use chrono::Local;
use minyi_store::audit::{
    Actor, ActorKind, AuditEvent, AuditFilter, AuditLog, Break, Problem, Verification,
};
use minyi_store::{Principal, PrincipalKind, Role};
use serde_json::json;

fn event(name: &str, action: &str, n: usize) -> AuditEvent {
    AuditEvent {
        who: Actor::principal(
            &Principal {
                name: name.into(),
                kind: PrincipalKind::User,
                role: Role::Analyst,
                regions: vec!["青山区".into()],
            },
            Some("10.0.0.7".into()),
        ),
        action: action.into(),
        details: json!({"query": format!("噪音 {n}"), "ids": [format!("RX-2024-{n:04}")], "total": n}),
        result: "ok".into(),
    }
}

/// A log of `n` entries by alternating users, and the path of its (single) day file.
fn log_with(n: usize) -> (tempfile::TempDir, AuditLog, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let log = AuditLog::open(dir.path()).unwrap();
    for i in 1..=n {
        let who = if i % 2 == 0 { "li" } else { "wang" };
        log.append(event(who, "search", i)).unwrap();
    }
    let file = dir
        .path()
        .join("audit")
        .join(format!("{}.jsonl", Local::now().date_naive()));
    (dir, log, file)
}

fn read_lines(file: &Path) -> Vec<String> {
    fs::read_to_string(file)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

fn write_lines(file: &Path, lines: &[String]) {
    fs::write(file, lines.join("\n") + "\n").unwrap();
}

/// The break verify reports where entry `expected` should be and `found` is.
fn sequence_break(file: PathBuf, line: u64, expected: u64, found: u64) -> (PathBuf, u64, Problem) {
    (file, line, Problem::Sequence { expected, found })
}

fn broken_at(log: &AuditLog) -> (PathBuf, u64, Problem) {
    match log.verify().unwrap() {
        Verification::Broken(Break {
            file,
            line,
            problem,
        }) => (file, line, problem),
        intact => panic!("tampering not detected: {intact:?}"),
    }
}

#[test]
fn entries_are_chained_and_read_back_with_filters() {
    let (_dir, log, file) = log_with(5);
    assert_eq!(
        log.verify().unwrap(),
        Verification::Intact {
            entries: 5,
            files: 1
        }
    );
    let all = log.read(&AuditFilter::default()).unwrap();
    assert_eq!(
        all.iter().map(|e| e.seq).collect::<Vec<_>>(),
        [1, 2, 3, 4, 5]
    );
    assert_eq!(all[0].prev, "0".repeat(64));
    for pair in all.windows(2) {
        assert_eq!(pair[1].prev, pair[0].hash);
    }
    assert_eq!(all[1].who.name, "li");
    assert_eq!(all[1].who.kind, ActorKind::User);
    assert_eq!(all[1].who.role, Some(Role::Analyst));
    assert_eq!(all[1].who.address.as_deref(), Some("10.0.0.7"));
    assert_eq!(all[1].details["ids"], json!(["RX-2024-0002"]));
    assert_eq!(all[1].at.offset(), Local::now().fixed_offset().offset());

    let line = &read_lines(&file)[0];
    let v: serde_json::Value = serde_json::from_str(line).unwrap();
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    for key in [
        "seq", "at", "who", "action", "details", "result", "prev", "hash",
    ] {
        assert!(keys.contains(&key), "{key} in {line}");
    }
    assert!(
        chrono::DateTime::parse_from_rfc3339(v["at"].as_str().unwrap()).is_ok(),
        "{line}"
    );

    let li = log
        .read(&AuditFilter {
            who: Some("li".into()),
            since: None,
        })
        .unwrap();
    assert_eq!(li.iter().map(|e| e.seq).collect::<Vec<_>>(), [2, 4]);
    let today = Local::now().date_naive();
    let since_today = AuditFilter {
        who: None,
        since: Some(today),
    };
    assert_eq!(log.read(&since_today).unwrap().len(), 5);
    let tomorrow = AuditFilter {
        who: None,
        since: today.succ_opt(),
    };
    assert!(log.read(&tomorrow).unwrap().is_empty());
}

#[test]
fn verify_finds_an_edited_line() {
    let (_dir, log, file) = log_with(5);
    let mut lines = read_lines(&file);
    lines[2] = lines[2].replace("噪音 3", "噪音 30");
    write_lines(&file, &lines);
    assert_eq!(broken_at(&log), (file, 3, Problem::Edited));
}

#[test]
fn verify_finds_an_edited_line_whose_hash_was_recomputed() {
    use sha2::{Digest, Sha256};
    let (_dir, log, file) = log_with(5);
    let mut lines = read_lines(&file);
    let edited = lines[1].replace("\"result\":\"ok\"", "\"result\":\"denied\"");
    let cut = edited.rfind(",\"hash\":").unwrap();
    let body = format!("{}}}", &edited[..cut]);
    let hash: String = Sha256::digest(body.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    lines[1] = format!("{},\"hash\":\"{hash}\"}}", &edited[..cut]);
    write_lines(&file, &lines);
    // Line 2 is self-consistent now; line 3 no longer follows it.
    assert_eq!(broken_at(&log), (file, 3, Problem::Chain));
}

#[test]
fn verify_finds_a_removed_line() {
    let (_dir, log, file) = log_with(5);
    let mut lines = read_lines(&file);
    lines.remove(1);
    write_lines(&file, &lines);
    assert_eq!(broken_at(&log), sequence_break(file, 2, 2, 3));
}

#[test]
fn verify_finds_swapped_lines() {
    let (_dir, log, file) = log_with(5);
    let mut lines = read_lines(&file);
    lines.swap(2, 3);
    write_lines(&file, &lines);
    assert_eq!(broken_at(&log), sequence_break(file, 3, 3, 4));
}

#[test]
fn verify_finds_lines_cut_off_the_end() {
    let (_dir, log, file) = log_with(5);
    let mut lines = read_lines(&file);
    lines.truncate(3);
    write_lines(&file, &lines);
    assert_eq!(
        broken_at(&log),
        (file, 4, Problem::Truncated { head: 5, last: 3 })
    );
}

#[test]
fn verify_finds_a_line_that_is_not_an_entry() {
    let (_dir, log, file) = log_with(3);
    let mut lines = read_lines(&file);
    lines.insert(1, "{\"seq\":2}".into());
    write_lines(&file, &lines);
    assert_eq!(broken_at(&log), (file, 2, Problem::Unreadable));
}

#[test]
fn the_chain_runs_across_day_files() {
    let (dir, log, file) = log_with(5);
    // Move the first two entries into an earlier day's file.
    let lines = read_lines(&file);
    let yesterday = dir.path().join("audit").join("2020-01-01.jsonl");
    write_lines(&yesterday, &lines[..2]);
    write_lines(&file, &lines[2..]);
    assert_eq!(
        log.verify().unwrap(),
        Verification::Intact {
            entries: 5,
            files: 2
        }
    );
    // The next entry continues the chain in today's file.
    let sixth = log.append(event("wang", "export", 6)).unwrap();
    assert_eq!(sixth.seq, 6);
    assert_eq!(read_lines(&file).len(), 4);
    let since = AuditFilter {
        who: None,
        since: Local::now().date_naive().pred_opt(),
    };
    assert_eq!(
        log.read(&since).unwrap().len(),
        4,
        "the 2020 file is skipped"
    );

    // Removing the first line of today's file breaks the chain at the file boundary.
    let mut today = read_lines(&file);
    today.remove(0);
    write_lines(&file, &today);
    assert_eq!(broken_at(&log), sequence_break(file, 1, 3, 4));
}

#[test]
fn appends_from_many_writers_at_once_form_one_chain() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let path = path.clone();
            std::thread::spawn(move || {
                // Each writer opens its own log, as separate processes would.
                let log = AuditLog::open(&path).unwrap();
                for i in 0..10 {
                    log.append(event(&format!("writer{w}"), "record.read", i))
                        .unwrap();
                }
            })
        })
        .collect();
    for w in writers {
        w.join().unwrap();
    }
    let log = AuditLog::open(&path).unwrap();
    assert_eq!(
        log.verify().unwrap(),
        Verification::Intact {
            entries: 40,
            files: 1
        }
    );
    let seqs: Vec<u64> = log
        .read(&AuditFilter::default())
        .unwrap()
        .iter()
        .map(|e| e.seq)
        .collect();
    assert_eq!(seqs, (1..=40).collect::<Vec<_>>());
}

#[test]
fn a_cli_actor_and_a_failed_sign_in_are_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let log = AuditLog::open(dir.path()).unwrap();
    let entry = log
        .append(AuditEvent {
            who: Actor {
                name: "zhao".into(),
                kind: ActorKind::Anonymous,
                role: None,
                address: Some("192.0.2.10".into()),
            },
            action: "login".into(),
            details: json!({"username": "zhao"}),
            result: "failed".into(),
        })
        .unwrap();
    assert_eq!(entry.seq, 1);
    let back = log.read(&AuditFilter::default()).unwrap();
    assert_eq!(back, [entry]);
    let line = fs::read_to_string(
        dir.path()
            .join("audit")
            .join(format!("{}.jsonl", Local::now().date_naive())),
    )
    .unwrap();
    assert!(!line.contains("\"role\""), "absent role is omitted: {line}");
}

#[test]
fn an_append_cuts_off_a_line_left_half_written_by_a_crash() {
    let (_dir, log, file) = log_with(3);
    let mut text = fs::read_to_string(&file).unwrap();
    text.push_str("{\"seq\":4,\"at\":\"2026-");
    fs::write(&file, &text).unwrap();
    let fourth = log.append(event("wang", "search", 4)).unwrap();
    assert_eq!(fourth.seq, 4);
    assert_eq!(read_lines(&file).len(), 4);
    assert_eq!(
        log.verify().unwrap(),
        Verification::Intact {
            entries: 4,
            files: 1
        }
    );
    // A complete but edited last line is not a torn write: the append refuses to chain to it.
    let mut lines = read_lines(&file);
    lines[3] = lines[3].replace("噪音 4", "噪音 5");
    write_lines(&file, &lines);
    assert!(matches!(
        log.append(event("wang", "search", 5)),
        Err(minyi_store::audit::AuditError::Unreadable { line: 4, .. })
    ));
}

#[test]
fn long_entries_chain_like_short_ones() {
    let dir = tempfile::tempdir().unwrap();
    let log = AuditLog::open(dir.path()).unwrap();
    let ids: Vec<String> = (0..3000).map(|i| format!("RX-2025-{i:04}")).collect();
    let mut export = event("li", "export", 1);
    export.details = json!({"format": "csv", "ids": ids});
    let first = log.append(export).unwrap();
    let second = log.append(event("li", "search", 2)).unwrap();
    assert_eq!((second.seq, second.prev), (2, first.hash));
    assert_eq!(
        log.verify().unwrap(),
        Verification::Intact {
            entries: 2,
            files: 1
        }
    );
    assert_eq!(
        log.read(&AuditFilter::default()).unwrap()[0].details["ids"][2999],
        "RX-2025-2999"
    );
}
