//! Heavy requests beyond the limit are answered 503 with `Retry-After` at once, while searches
//! and record reads running beside them are never shed.

use std::sync::{Arc, Barrier};

mod common;
use common::{index_with_token, request, serve};

#[test]
fn heavy_requests_beyond_the_limit_are_shed_and_searches_never() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let token = index_with_token(dir.path(), &index, 3000, None);
    let (_server, addr) = serve(&index, &["--no-model", "--heavy-requests", "1"]);

    let heavy = [
        "/api/issues?min_size=2",
        "/api/issues/export.csv",
        "/api/issues/export.md",
        "/api/laws",
    ];
    let light = [
        "/api/search?q=路灯",
        "/api/records/R7",
        "/api/search?q=电梯&sort=newest",
    ];
    let mut shed = 0;
    let mut served = 0;
    // All at once, until the single slot was busy when one arrived (at once on most rounds).
    for _round in 0..5 {
        let barrier = Arc::new(Barrier::new(16));
        let answers: Vec<_> = (0..16)
            .map(|i| {
                let (token, barrier) = (token.clone(), barrier.clone());
                let path = if i % 4 == 3 {
                    light[i / 4 % light.len()]
                } else {
                    heavy[i % heavy.len()]
                };
                std::thread::spawn(move || {
                    barrier.wait();
                    (path, request(addr, &token, "GET", path, ""))
                })
            })
            .collect();
        for answer in answers {
            let (path, (status, head, body)) = answer.join().unwrap();
            if light.contains(&path) {
                assert_eq!(status, 200, "{path} is never shed: {body}");
                continue;
            }
            match status {
                200 => served += 1,
                503 => {
                    shed += 1;
                    assert!(
                        head.to_ascii_lowercase().contains("\r\nretry-after: 1"),
                        "{head}"
                    );
                    assert!(body.contains(r#""code":"overloaded""#), "{body}");
                }
                other => panic!("{path}: {other} {head:?} {body}"),
            }
        }
        if shed > 0 {
            break;
        }
    }
    assert!(
        shed > 0,
        "with one slot, a burst of heavy requests sheds some"
    );
    assert!(served > 0, "and serves the one holding the slot");

    // Once the burst is over, the slot is free again.
    let (status, _, body) = request(addr, &token, "GET", "/api/issues?min_size=2", "");
    assert_eq!(status, 200, "{body}");
}
