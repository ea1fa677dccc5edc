//! `minyi backup` while `minyi serve` ingests records and accounts change: each copy is whole.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use minyi_engine::Engine;
use minyi_store::audit::{Actor, ActorKind, AuditEvent, AuditLog, Verification};
use minyi_store::{Role, Store};

mod common;
use common::{index_with_token, minyi, request, serve};

/// Posts one record to the server at `addr` and returns the HTTP status.
fn post_record(addr: SocketAddr, token: &str, id: &str) -> u16 {
    let body = serde_json::json!([{"id": id, "content": format!("备份期间新来的路灯投诉{id}")}])
        .to_string();
    request(addr, token, "POST", "/api/records", &body).0
}

fn audit(log: &AuditLog, k: u64) {
    log.append(AuditEvent {
        who: Actor {
            name: format!("u{k}"),
            kind: ActorKind::User,
            role: Some(Role::Admin),
            address: None,
        },
        action: "user.add".into(),
        details: serde_json::json!({"k": k}),
        result: "ok".into(),
    })
    .unwrap();
}

#[test]
fn backups_while_the_server_ingests_and_accounts_change_are_whole() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let token = index_with_token(dir.path(), &index, 2000, None);
    audit(&AuditLog::open(&index).unwrap(), 0);

    let (_server, addr) = serve(&index, &["--no-model"]);

    // Writers: records through the API, accounts and audit entries through the store.
    let stop = Arc::new(AtomicBool::new(false));
    let ingested = Arc::new(AtomicU64::new(0));
    let users = Arc::new(AtomicU64::new(1));
    let ingesting = {
        let (stop, ingested, token) = (stop.clone(), ingested.clone(), token.clone());
        std::thread::spawn(move || {
            while !stop.load(Ordering::SeqCst) {
                let k = ingested.load(Ordering::SeqCst);
                assert_eq!(post_record(addr, &token, &format!("LIVE{k}")), 200);
                ingested.store(k + 1, Ordering::SeqCst);
            }
        })
    };
    let accounts = {
        let (stop, users, index) = (stop.clone(), users.clone(), index.clone());
        std::thread::spawn(move || {
            let store = Store::open(&index).unwrap();
            let log = AuditLog::open(&index).unwrap();
            while !stop.load(Ordering::SeqCst) {
                let k = users.load(Ordering::SeqCst);
                store
                    .add_user(&format!("u{k}"), Role::Staff, &[], "correct horse battery")
                    .unwrap();
                audit(&log, k);
                users.store(k + 1, Ordering::SeqCst);
            }
        })
    };

    for attempt in 0..3 {
        let (records_before, users_before) = (
            2000 + ingested.load(Ordering::SeqCst),
            users.load(Ordering::SeqCst),
        );
        let copy = dir.path().join(format!("backup{attempt}"));
        let out = minyi()
            .args(["backup", "--index"])
            .arg(&index)
            .arg(&copy)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{stderr}");
        assert!(stderr.contains("opened and checked"), "{stderr}");
        // One more of each may have been written, not yet counted, before the copy.
        let (records_after, users_after) = (
            2001 + ingested.load(Ordering::SeqCst),
            1 + users.load(Ordering::SeqCst),
        );
        check_copy(
            &copy,
            records_before..=records_after,
            users_before..=users_after,
        );
    }
    stop.store(true, Ordering::SeqCst);
    ingesting.join().unwrap();
    accounts.join().unwrap();
    assert!(ingested.load(Ordering::SeqCst) > 0 && users.load(Ordering::SeqCst) > 1);
}

/// The copy opens as an index and as a state store, with counts in the ranges the writers were
/// in during the backup, and its audit chain is intact.
fn check_copy(
    copy: &Path,
    records: std::ops::RangeInclusive<u64>,
    users: std::ops::RangeInclusive<u64>,
) {
    let engine = Engine::open_read_only(copy, None).expect("the copy opens");
    assert!(
        records.contains(&engine.len()),
        "{} records, not in {records:?}",
        engine.len()
    );
    let store = Store::open(copy).expect("the copy's state opens");
    let n = store.users().unwrap().len() as u64;
    assert!(users.contains(&n), "{n} users, not in {users:?}");
    match AuditLog::open(copy).unwrap().verify().unwrap() {
        // One entry per account change, and the server's own (each import is audited).
        Verification::Intact { entries, .. } => {
            assert!(entries >= *users.start(), "{entries} entries")
        }
        broken => panic!("the copied audit chain: {broken:?}"),
    }
    // Nothing left beside the copy by the backup.
    let partial = copy.with_file_name(format!(
        ".{}.partial",
        copy.file_name().unwrap().to_string_lossy()
    ));
    assert!(!partial.exists());
}
