//! The API against its own OpenAPI document, fuzzed by schemathesis (PyPI; `test.sh` installs
//! it): a real `minyi serve` with the default model over the sample corpus on a loopback port,
//! called with an admin token. Fails on a server error, an answer that breaks the document, an
//! undocumented status or content type, or a request the document allows being refused.
//!
//! DELETE routes are left out: they would delete the sample records, users and tokens other
//! operations are tested with (their statuses are checked in `openapi.rs`, their effect in
//! the API tests). The examples per operation are bounded so that the run takes minutes.
//!
//! `MINYI_SCHEMATHESIS` names the `st` command when it is not on `PATH`;
//! `MINYI_SCHEMATHESIS_EXAMPLES` sets the examples per operation (default 10).

mod serving;

use std::path::{Path, PathBuf};
use std::process::Command;

/// The checks run: everything about conformance and acceptance. Not `negative_data_rejection`:
/// the search box reads malformed syntax leniently by design, and an empty filter means none.
const CHECKS: &str = "not_a_server_error,status_code_conformance,content_type_conformance,\
                      response_schema_conformance,positive_data_acceptance";

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The `st` command, which must be installed: a missing fuzzer fails the test, not skips it.
fn schemathesis() -> String {
    let st = std::env::var("MINYI_SCHEMATHESIS").unwrap_or_else(|_| "st".into());
    let found = Command::new(&st).arg("--version").output();
    assert!(
        found.as_ref().is_ok_and(|o| o.status.success()),
        "schemathesis (`{st}`) is not installed: `python3 -m pip install schemathesis==4.32.5` \
         (test.sh does), or set MINYI_SCHEMATHESIS"
    );
    st
}

#[test]
fn the_api_conforms_to_its_document_under_schemathesis() {
    let st = schemathesis();
    let model = serving::model_file();
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    // The first window only: the sample embeds in seconds, and search by meaning is the same.
    let sample = workspace().join("corpus/sample/records.jsonl");
    let args = [
        "index",
        "--passage-tokens",
        "128",
        "--model",
        model.to_str().unwrap(),
        "--index",
        index.to_str().unwrap(),
        sample.to_str().unwrap(),
    ];
    serving::minyi_ok(dir.path(), &args, &[]);
    let token = serving::admin_token(&index);
    let server = serving::serve(&index, &["--model", model.to_str().unwrap()]);
    assert!(
        server.said().contains("semantic and hybrid"),
        "{}",
        server.said()
    );
    let (status, _) = server.get("/api/openapi.json", &token);
    assert_eq!(status, 200);

    let examples = std::env::var("MINYI_SCHEMATHESIS_EXAMPLES").unwrap_or_else(|_| "10".into());
    let config = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemathesis/schemathesis.toml");
    let out = Command::new(st)
        .current_dir(dir.path())
        .arg("--config-file")
        .arg(&config)
        .args([
            "run",
            &format!("http://127.0.0.1:{}/api/openapi.json", server.port),
        ])
        .args(["--header", &format!("Authorization: Bearer {token}")])
        .args(["--checks", CHECKS])
        .args(["--exclude-method", "DELETE"])
        .args(["--max-examples", &examples])
        .args(["--phases", "examples,coverage,fuzzing"])
        .args([
            "--seed",
            "20261207",
            "--workers",
            "2",
            "--request-timeout",
            "120",
        ])
        .args([
            "--generation-database",
            "none",
            "--suppress-health-check",
            "all",
        ])
        .args(["--no-color", "--output-truncate", "true"])
        .output()
        .expect("run schemathesis");
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "schemathesis found problems:\n{report}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(report.contains("Tested:"), "{report}");
}
