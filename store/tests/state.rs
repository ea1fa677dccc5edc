//! The state store on real SQLite files, including two connections at once as the `minyi`
//! command and a running server have.

use chrono::{TimeDelta, Utc};
use minyi_store::{PrincipalKind, Role, STATE_FILE, Store, StoreError};

fn regions(names: &[&str]) -> Vec<String> {
    names.iter().map(|r| r.to_string()).collect()
}

#[test]
fn users_sign_in_with_their_password_only() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    assert!(!store.has_credentials().unwrap());
    store
        .add_user(
            "wang",
            Role::Staff,
            &regions(&["青山区", "江南区"]),
            "春天的风很暖和啊",
        )
        .unwrap();
    store
        .add_user("li", Role::Analyst, &[], "correct horse battery")
        .unwrap();
    assert!(store.has_credentials().unwrap());
    assert!(dir.path().join(STATE_FILE).is_file());

    let wang = store
        .verify_password("wang", "春天的风很暖和啊")
        .unwrap()
        .expect("right password");
    assert_eq!(wang.name, "wang");
    assert_eq!(wang.kind, PrincipalKind::User);
    assert_eq!(wang.role, Role::Staff);
    assert_eq!(wang.regions, regions(&["青山区", "江南区"]));
    assert_eq!(
        store.verify_password("wang", "春天的风很暖和啊 ").unwrap(),
        None
    );
    assert_eq!(
        store.verify_password("li", "春天的风很暖和啊").unwrap(),
        None
    );
    assert_eq!(store.verify_password("zhao", "whatever123").unwrap(), None);

    let listed: Vec<(String, Role)> = store
        .users()
        .unwrap()
        .into_iter()
        .map(|u| (u.name, u.role))
        .collect();
    assert_eq!(
        listed,
        [
            ("li".to_string(), Role::Analyst),
            ("wang".to_string(), Role::Staff)
        ]
    );

    // The hash is Argon2id in PHC form, never the password.
    let stored: String = rusqlite::Connection::open(dir.path().join(STATE_FILE))
        .unwrap()
        .query_row(
            "SELECT password_hash FROM users WHERE name = 'wang'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(stored.starts_with("$argon2id$"), "{stored}");
    assert!(!stored.contains("春天"));
}

#[test]
fn rejects_duplicates_bad_names_and_short_passwords() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    store
        .add_user("wang", Role::Admin, &[], "long enough")
        .unwrap();
    assert!(matches!(
        store.add_user("wang", Role::Staff, &[], "long enough"),
        Err(StoreError::UserExists(name)) if name == "wang"
    ));
    assert!(matches!(
        store.add_user("wang li", Role::Staff, &[], "long enough"),
        Err(StoreError::InvalidName(_))
    ));
    assert!(matches!(
        store.add_user("", Role::Staff, &[], "long enough"),
        Err(StoreError::InvalidName(_))
    ));
    assert!(matches!(
        store.add_user("zhao", Role::Staff, &[], "short"),
        Err(StoreError::WeakPassword { min: 8 })
    ));
    assert!(matches!(
        store.add_user("zhao", Role::Staff, &regions(&[" 青山区"]), "long enough"),
        Err(StoreError::InvalidRegion(_))
    ));
    assert!(matches!(
        store.remove_user("zhao"),
        Err(StoreError::NoSuchUser(_))
    ));
    assert!(matches!(
        store.set_password("zhao", "long enough"),
        Err(StoreError::NoSuchUser(_))
    ));
    store
        .add_token("wang", Role::Staff, &[])
        .expect("tokens have their own names");
    assert!(matches!(
        store.add_token("wang", Role::Staff, &[]),
        Err(StoreError::TokenExists(_))
    ));
}

#[test]
fn a_new_password_replaces_the_old_and_ends_sessions() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    store
        .add_user("wang", Role::Staff, &[], "old password")
        .unwrap();
    let now = Utc::now();
    let session = store
        .create_session("wang", now, TimeDelta::hours(8))
        .unwrap();
    store.set_password("wang", "new password").unwrap();
    assert_eq!(store.verify_password("wang", "old password").unwrap(), None);
    assert!(
        store
            .verify_password("wang", "new password")
            .unwrap()
            .is_some()
    );
    assert_eq!(store.session_principal(&session.id, now).unwrap(), None);
}

#[test]
fn tokens_are_shown_once_stored_hashed_and_revocable() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let new = store
        .add_token("hotline-sync", Role::Analyst, &regions(&["城北区"]))
        .unwrap();
    assert!(new.secret.starts_with("minyi_"));
    assert_eq!(new.secret.len(), "minyi_".len() + 64);
    let other = store.add_token("reports", Role::Admin, &[]).unwrap();
    assert_ne!(new.secret, other.secret);

    let principal = store.token_principal(&new.secret).unwrap().unwrap();
    assert_eq!(principal.name, "hotline-sync");
    assert_eq!(principal.kind, PrincipalKind::Token);
    assert_eq!(principal.role, Role::Analyst);
    assert_eq!(principal.regions, regions(&["城北区"]));
    let mut wrong = new.secret.clone();
    wrong.pop();
    wrong.push(if new.secret.ends_with('0') { '1' } else { '0' });
    assert_eq!(store.token_principal(&wrong).unwrap(), None);
    assert_eq!(store.token_principal("").unwrap(), None);

    let names: Vec<String> = store
        .tokens()
        .unwrap()
        .into_iter()
        .map(|t| t.name)
        .collect();
    assert_eq!(names, ["hotline-sync", "reports"]);

    // Nothing in the file contains the secret itself.
    drop(store);
    let raw = std::fs::read(dir.path().join(STATE_FILE)).unwrap();
    let hex_part = &new.secret["minyi_".len()..];
    assert!(
        !raw.windows(hex_part.len())
            .any(|w| w == hex_part.as_bytes())
    );
    let store = Store::open(dir.path()).unwrap();

    store.revoke_token("hotline-sync").unwrap();
    assert_eq!(store.token_principal(&new.secret).unwrap(), None);
    assert!(store.token_principal(&other.secret).unwrap().is_some());
    assert!(matches!(
        store.revoke_token("hotline-sync"),
        Err(StoreError::NoSuchToken(_))
    ));
}

#[test]
fn sessions_expire_and_end() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    store
        .add_user("wang", Role::Analyst, &regions(&["东湖区"]), "long enough")
        .unwrap();
    let t0 = Utc::now();
    let a = store
        .create_session("wang", t0, TimeDelta::hours(8))
        .unwrap();
    let b = store
        .create_session("wang", t0, TimeDelta::minutes(30))
        .unwrap();
    assert_ne!(a.id, b.id);
    assert_eq!(a.expires_at, t0 + TimeDelta::hours(8));
    let p = store.session_principal(&a.id, t0).unwrap().unwrap();
    assert_eq!((p.name.as_str(), p.role), ("wang", Role::Analyst));
    assert_eq!(p.regions, regions(&["东湖区"]));

    let later = t0 + TimeDelta::hours(1);
    assert!(store.session_principal(&a.id, later).unwrap().is_some());
    assert_eq!(
        store.session_principal(&b.id, later).unwrap(),
        None,
        "expired"
    );
    assert_eq!(store.expire_sessions(later).unwrap(), 1);
    assert!(store.delete_session(&a.id).unwrap());
    assert!(!store.delete_session(&a.id).unwrap());
    assert_eq!(store.session_principal(&a.id, t0).unwrap(), None);

    assert!(matches!(
        store.create_session("nobody", t0, TimeDelta::hours(1)),
        Err(StoreError::NoSuchUser(_))
    ));
    let c = store
        .create_session("wang", t0, TimeDelta::hours(1))
        .unwrap();
    store.remove_user("wang").unwrap();
    assert_eq!(store.session_principal(&c.id, t0).unwrap(), None);
}

#[test]
fn a_revocation_by_one_connection_is_seen_by_the_other_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let server = Store::open(dir.path()).unwrap();
    let cli = Store::open(dir.path()).unwrap();
    let token = cli.add_token("ticket-system", Role::Staff, &[]).unwrap();
    cli.add_user("wang", Role::Staff, &[], "long enough")
        .unwrap();
    let session = server
        .create_session("wang", Utc::now(), TimeDelta::hours(1))
        .unwrap();
    for _ in 0..3 {
        assert!(server.token_principal(&token.secret).unwrap().is_some());
    }
    cli.revoke_token("ticket-system").unwrap();
    assert_eq!(server.token_principal(&token.secret).unwrap(), None);

    cli.remove_user("wang").unwrap();
    assert_eq!(
        server.session_principal(&session.id, Utc::now()).unwrap(),
        None
    );
}

#[test]
fn a_writer_in_another_thread_waits_for_the_lock_instead_of_failing() {
    let dir = tempfile::tempdir().unwrap();
    let holder = Store::open(dir.path()).unwrap();
    let path = dir.path().to_path_buf();
    // Hold the write lock for a while through a raw connection, then let go.
    let raw = rusqlite::Connection::open(path.join(STATE_FILE)).unwrap();
    raw.execute_batch(
        "BEGIN IMMEDIATE; INSERT INTO tokens VALUES ('held', 'staff', '[]', x'00', 0);",
    )
    .unwrap();
    let writer = std::thread::spawn(move || {
        let store = Store::open(&path).unwrap();
        store
            .add_token("waiting", Role::Analyst, &[])
            .map(|t| t.token.name)
    });
    std::thread::sleep(std::time::Duration::from_millis(300));
    raw.execute_batch("COMMIT").unwrap();
    assert_eq!(writer.join().unwrap().unwrap(), "waiting");
    let names: Vec<String> = holder
        .tokens()
        .unwrap()
        .into_iter()
        .map(|t| t.name)
        .collect();
    assert_eq!(names, ["held", "waiting"]);
}

#[test]
fn the_schema_is_versioned_and_a_newer_one_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let version = Store::open(dir.path()).unwrap().schema_version().unwrap();
    assert_eq!(version, 2, "accounts, then topics");
    // Opening again leaves it as it is.
    assert_eq!(
        Store::open(dir.path()).unwrap().schema_version().unwrap(),
        2
    );
    let raw = rusqlite::Connection::open(dir.path().join(STATE_FILE)).unwrap();
    raw.pragma_update(None, "user_version", 99).unwrap();
    let err = Store::open(dir.path()).err().expect("refused");
    assert!(
        matches!(err, StoreError::SchemaTooNew { found: 99, .. }),
        "{err}"
    );
    let mode: String = raw
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn the_pseudonym_key_is_made_once_and_shared() {
    let dir = tempfile::tempdir().unwrap();
    let a = Store::open(dir.path()).unwrap();
    let b = Store::open(dir.path()).unwrap();
    let key = a.pseudonym_key().unwrap();
    assert_eq!(key.len(), 32);
    assert_ne!(key, vec![0; 32]);
    assert_eq!(b.pseudonym_key().unwrap(), key);
    drop((a, b));
    assert_eq!(
        Store::open(dir.path()).unwrap().pseudonym_key().unwrap(),
        key
    );
    let other = tempfile::tempdir().unwrap();
    assert_ne!(
        Store::open(other.path()).unwrap().pseudonym_key().unwrap(),
        key
    );
}
