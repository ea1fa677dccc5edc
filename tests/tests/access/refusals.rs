//! Requests refused for lack of credentials are in the audit log (address, route, result), and a
//! flood of them from one address adds one line, not one per request.

use minyi_e2e::{TestServer, bearer_client};
use minyi_store::audit::{AuditFilter, AuditLog, Verification};

#[tokio::test(flavor = "multi_thread")]
async fn refusals_are_audited_and_a_flood_is_coalesced() {
    let server = TestServer::sample().await;
    let log = AuditLog::open(&server.index).unwrap();
    let refusals = || {
        log.read(&AuditFilter::default())
            .unwrap()
            .into_iter()
            .filter(|e| e.action == "unauthenticated")
            .collect::<Vec<_>>()
    };
    assert!(refusals().is_empty());
    let forged = bearer_client("my_0000000000000000000000000000000000000000000");
    let status = forged
        .get(server.url("/api/search?q=噪音"))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, 401);
    let first = refusals();
    assert_eq!(first.len(), 1, "{first:?}");
    assert_eq!(first[0].who.address.as_deref(), Some("127.0.0.1"));
    assert_eq!(first[0].details["route"], "/api/search");
    assert_eq!(first[0].result, "401");

    // A flood from the same address: every request refused, no line more.
    let anonymous = reqwest::Client::new();
    for i in 0..200 {
        let status = anonymous
            .get(server.url(&format!("/api/records/GUESS-{i}")))
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status, 401);
    }
    assert_eq!(refusals().len(), 1, "the flood grew the audit log");
    assert!(matches!(log.verify().unwrap(), Verification::Intact { .. }));
}
