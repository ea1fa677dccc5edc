//! A topic's candidates and trend on a real index of records with known dates: the matter's new
//! cases are found by grouping's signals, the topic's own and dismissed records are not offered,
//! the viewer's scope holds, and the weekly volume falls after the assignment as the data says.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use minyi_corpus::Record;
use minyi_engine::topics::{Matter, track};
use minyi_engine::{Engine, Viewer};
use minyi_indexer::MinyiIndex;

const ELEVATOR: [&str; 4] = [
    "锦程华府小区电梯又坏了，老人上下楼非常困难，物业一直不修。",
    "锦程华府3号楼电梯经常故障停运，困人好几次，物业不管。",
    "锦程华府小区的电梯频繁故障，维修后没几天又坏，请督促物业更换电梯主板。",
    "锦程华府电梯故障困人，物业维修不及时，居民出行困难。",
];
const OTHER: [&str; 4] = [
    "石桥路路面坑坑洼洼，下雨天积水，电动车经常摔倒。",
    "翠屏路夜间施工噪音扰民，凌晨还在打桩。",
    "星河小学门口早晚高峰拥堵，接送孩子的车辆乱停。",
    "幸福里菜场周边占道经营，垃圾遍地。",
];

fn record(id: &str, content: &str, region: &str, at: NaiveDateTime) -> Record {
    serde_json::from_value(serde_json::json!({
        "id": id,
        "content": content,
        "region": region,
        "submitted_at": at,
    }))
    .expect("a record")
}

fn day(text: &str) -> NaiveDate {
    text.parse().expect("a date")
}

fn noon(date: NaiveDate) -> NaiveDateTime {
    date.and_hms_opt(12, 0, 0).expect("noon")
}

/// An index of the elevator matter (`E…`, 3 a week for 8 weeks before 2025-03-10 and 1 a week
/// for 4 weeks after), other matters (`O…`) throughout, and one elevator complaint in another
/// district (`X1`).
fn index() -> (tempfile::TempDir, Engine) {
    let dir = tempfile::tempdir().expect("temp dir");
    MinyiIndex::open_or_create(dir.path(), None).expect("create index");
    let engine = Engine::open(dir.path(), None).expect("open engine");
    let assigned = day("2025-03-10");
    let mut records = Vec::new();
    for week in 0..8 {
        for i in 0..3 {
            let at = noon(assigned - Duration::days(7 * (8 - week) - i));
            let text = ELEVATOR[(week as usize + i as usize) % 4];
            records.push(record(&format!("E{week}{i}"), text, "青山区", at));
        }
    }
    for week in 0..4 {
        let at = noon(assigned + Duration::days(7 * week + 2));
        records.push(record(
            &format!("A{week}"),
            ELEVATOR[week as usize],
            "青山区",
            at,
        ));
    }
    for (i, text) in OTHER.iter().cycle().take(24).enumerate() {
        let at = noon(assigned - Duration::days(60) + Duration::days(5 * i as i64));
        records.push(record(&format!("O{i}"), text, "青山区", at));
    }
    records.push(record("X1", ELEVATOR[2], "白云区", noon(day("2025-03-20"))));
    let report = engine.ingest(records.into_iter().map(Ok)).expect("ingest");
    assert!(report.rejected.is_empty());
    (dir, engine)
}

/// The topic made on 2025-03-01 from the first two weeks' elevator records.
fn matter() -> Matter {
    Matter {
        records: (0..2)
            .flat_map(|w| (0..3).map(move |i| format!("E{w}{i}")))
            .collect(),
        dismissed: vec!["E70".into()],
        created: noon(day("2025-03-01")),
        assigned: Some(day("2025-03-10")),
        as_of: day("2025-06-30"),
    }
}

#[test]
fn the_matters_other_records_are_candidates_and_nothing_else_is() {
    let (_dir, engine) = index();
    let tracking = track(&engine, &matter(), 100, &Viewer::everyone()).unwrap();
    let ids: Vec<&str> = tracking.candidates.iter().map(|c| c.id.as_str()).collect();
    assert!(ids.iter().all(|id| !id.starts_with('O')), "{ids:?}");
    for expected in ["E20", "E61", "A0", "A3", "X1"] {
        assert!(ids.contains(&expected), "{expected} in {ids:?}");
    }
    assert!(!ids.contains(&"E00"), "members are not candidates");
    assert!(
        !ids.contains(&"E70"),
        "dismissed cases are not offered again"
    );
    let new: Vec<&str> = tracking
        .candidates
        .iter()
        .filter(|c| c.new)
        .map(|c| c.id.as_str())
        .collect();
    assert!(new.contains(&"A0") && !new.contains(&"E20"), "{new:?}");
    assert!(
        tracking
            .candidates
            .windows(2)
            .all(|w| w[0].score >= w[1].score)
    );

    let limited = track(&engine, &matter(), 3, &Viewer::everyone()).unwrap();
    assert_eq!(limited.candidates.len(), 3);
    assert_eq!(limited.total_candidates, tracking.total_candidates);
}

#[test]
fn the_trend_counts_members_and_matching_records_either_side_of_the_assignment() {
    let (_dir, engine) = index();
    let trend = track(&engine, &matter(), 10, &Viewer::everyone())
        .unwrap()
        .trend
        .expect("assigned");
    // 24 elevator records before (one dismissed), 4 after plus X1 in another district.
    assert_eq!((trend.before_total, trend.after_total), (23, 5));
    assert_eq!(
        trend.summary,
        "2025-03-10 交办；交办前 8 周平均每周 2.9 件，交办后 8 周平均每周 0.6 件，下降 78%"
    );
    let unassigned = Matter {
        assigned: None,
        ..matter()
    };
    let tracking = track(&engine, &unassigned, 10, &Viewer::everyone()).unwrap();
    assert!(tracking.trend.is_none());
}

#[test]
fn a_district_viewer_sees_and_counts_only_their_district() {
    let (_dir, engine) = index();
    let viewer = Viewer::new(vec!["白云区".into()], None);
    let tracking = track(&engine, &matter(), 100, &viewer).unwrap();
    let ids: Vec<&str> = tracking.candidates.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["X1"]);
    let trend = tracking.trend.expect("assigned");
    assert_eq!((trend.before_total, trend.after_total), (0, 1));
}
