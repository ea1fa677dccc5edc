//! Topics in the state database: made with their members, changed with a history, survive a
//! reopen (another process), and refuse what is not a topic.

use minyi_store::Store;
use minyi_store::topics::{Membership, NewTopic, TopicChange, TopicFilter, TopicKind, TopicStatus};

fn new_topic(title: &str, records: &[&str]) -> NewTopic {
    NewTopic {
        title: title.into(),
        kind: Some(TopicKind::Supervision),
        department: Some("市住建局".into()),
        record_ids: records.iter().map(|r| r.to_string()).collect(),
        issue_id: Some("I0123456789ab".into()),
        ..NewTopic::default()
    }
}

#[test]
fn a_topic_keeps_its_members_decisions_and_history_across_processes() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let topic = store
        .create_topic(&new_topic("锦程华府电梯故障频发", &["R1", "R2"]), "wang")
        .unwrap();
    assert_eq!(topic.status, TopicStatus::Proposed);
    assert_eq!(topic.assigned_at, None);
    assert_eq!(topic.created_by, "wang");

    let assign = TopicChange {
        status: Some(TopicStatus::Assigned),
        records: vec![
            ("R9".into(), Membership::Accepted),
            ("R7".into(), Membership::Dismissed),
        ],
        removed: vec!["R2".into()],
        ..TopicChange::default()
    };
    let assigned = store.change_topic(topic.id, &assign, "li").unwrap();
    let stamped = assigned.assigned_at.expect("assigned_at is stamped");
    let done = TopicChange {
        status: Some(TopicStatus::Done),
        answer: Some("已督促物业更换主板".into()),
        ..TopicChange::default()
    };
    let finished = store.change_topic(topic.id, &done, "li").unwrap();
    assert_eq!(
        finished.assigned_at,
        Some(stamped),
        "the first assignment stays the reference"
    );
    assert_eq!(
        finished.department.as_deref(),
        Some("市住建局"),
        "unchanged fields stay"
    );
    drop(store);

    // Another process opens the same file.
    let store = Store::open(dir.path()).unwrap();
    let topic = store.topic(topic.id).unwrap().unwrap();
    assert_eq!(topic.status, TopicStatus::Done);
    assert_eq!(topic.answer.as_deref(), Some("已督促物业更换主板"));
    assert_eq!(
        store.topic_records(topic.id).unwrap(),
        [
            ("R1".to_string(), Membership::Member),
            ("R9".to_string(), Membership::Accepted),
            ("R7".to_string(), Membership::Dismissed),
        ]
    );
    let history = store.topic_history(topic.id).unwrap();
    let by: Vec<&str> = history.iter().map(|e| e.by.as_str()).collect();
    assert_eq!(by, ["wang", "li", "li"]);
    assert_eq!(history[1].change["changed"]["status"], "assigned");
    assert_eq!(history[2].change["changed"]["answer"], "已督促物业更换主板");
}

#[test]
fn topics_are_listed_by_status_kind_and_department() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let a = store
        .create_topic(&new_topic("A", &["R1"]), "wang")
        .unwrap();
    let mut law = new_topic("B", &["R2"]);
    law.kind = Some(TopicKind::Legislation);
    law.department = None;
    let b = store.create_topic(&law, "wang").unwrap();
    store
        .change_topic(
            a.id,
            &TopicChange {
                status: Some(TopicStatus::InProgress),
                ..TopicChange::default()
            },
            "li",
        )
        .unwrap();
    let ids = |filter: TopicFilter| -> Vec<i64> {
        store
            .topics(&filter)
            .unwrap()
            .iter()
            .map(|t| t.id)
            .collect()
    };
    assert_eq!(ids(TopicFilter::default()), [b.id, a.id], "newest first");
    let in_progress = TopicFilter {
        status: Some(TopicStatus::InProgress),
        ..TopicFilter::default()
    };
    assert_eq!(ids(in_progress), [a.id]);
    let laws = TopicFilter {
        kind: Some(TopicKind::Legislation),
        ..TopicFilter::default()
    };
    assert_eq!(ids(laws), [b.id]);
    let housing = TopicFilter {
        department: Some("市住建局".into()),
        ..TopicFilter::default()
    };
    assert_eq!(ids(housing), [a.id]);
}

#[test]
fn refuses_a_topic_without_a_title_or_that_does_not_exist() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    assert!(store.create_topic(&new_topic("  ", &[]), "wang").is_err());
    let missing = store
        .change_topic(404, &TopicChange::default(), "wang")
        .unwrap_err();
    assert!(missing.to_string().contains("no topic 404"), "{missing}");
    assert!(store.topic(404).unwrap().is_none());
}
