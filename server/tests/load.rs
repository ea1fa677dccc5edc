//! A short `minyi bench load`: concurrent clients against a real server answer every request
//! as they should, with no connection dropped (timings are the benchmark's business).

mod common;
use common::minyi;

#[test]
fn a_short_load_run_has_no_errors_and_no_dropped_connections() {
    let dir = tempfile::tempdir().unwrap();
    let out = minyi()
        .args([
            "bench",
            "load",
            "--no-model",
            "--records",
            "600",
            "--clients",
            "8",
            "--seconds",
            "12",
            "--warmup",
            "2",
            "--scratch",
        ])
        .arg(dir.path().join("scratch"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("errors 0, dropped connections 0,"),
        "{stdout}"
    );
    // Every kind of request was sent and answered.
    for kind in [
        "lexical search",
        "record read",
        "similar cases",
        "hot issues",
        "one-record POST",
        "malformed request",
    ] {
        let row = stdout
            .lines()
            .find(|l| l.starts_with(&format!("| {kind}")))
            .unwrap_or_else(|| panic!("no row for {kind}: {stdout}"));
        let answered: u64 = row.split('|').nth(2).unwrap().trim().parse().unwrap();
        assert!(answered > 0, "{row}");
    }
    assert!(stdout.contains("server memory (RSS)"), "{stdout}");
}
