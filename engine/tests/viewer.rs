//! Scope and masking for every kind of answer, on a real index built from invented records.
//! The personal data is made up, with valid check digits (ID numbers, the Luhn digit of the card)
//! so that detection is exercised as on real petitions.

use std::collections::BTreeSet;

use minyi_corpus::Record;
use minyi_corpus::pii::Masker;
use minyi_engine::issues::{IssueList, IssueOptions, export, find_issue, find_issues};
use minyi_engine::laws::laws;
use minyi_engine::{Engine, SearchRequest, SearchResponse, Viewer};
use minyi_indexer::MinyiIndex;
use serde_json::json;

const PHONE: &str = "13812345678";
const ID_NUMBER: &str = "430102199003071234";
const CARD: &str = "6222021234567890128";
const LAW_PHONE: &str = "15912345678";
const SECRET: &[u8] = b"test secret of this index";

fn records() -> Vec<Record> {
    let noise = "幸福里小区楼下广场舞噪音扰民，每天晚上十点以后还在跳，音响开得很大，孩子没法写作业，老人无法休息";
    let rows = vec![
        json!({"id": "QS-1", "region": "青山区", "submitter": "张建国", "submitted_at": "2024-05-06T09:00:00",
               "category": "环境保护", "title": format!("广场舞噪音扰民 电话{PHONE}"),
               "content": format!("{noise}。联系电话{PHONE}，身份证{ID_NUMBER}。"),
               "reply": format!("已联系社区处理，回电{PHONE}。"),
               "extra": {"联系电话": 13812345678u64, "退款账户": format!("卡号{CARD}")}}),
        json!({"id": "QS-2", "region": "青山区", "submitter": "张建国", "submitted_at": "2024-05-08T09:00:00",
               "category": "环境保护", "content": format!("{noise}。上次反映后还是没有解决。")}),
        json!({"id": "QS-3", "region": "青山区", "submitter": "李梅", "submitted_at": "2024-05-10T09:00:00",
               "category": "环境保护", "content": format!("{noise}，希望尽快整治。")}),
        json!({"id": "CB-1", "region": "城北区", "submitter": "王强", "submitted_at": "2024-06-03T09:00:00",
               "category": "城乡建设", "content": format!("{noise}。我是城北区的住户，电话13912345678。")}),
        json!({"id": "CB-2", "region": "城北区", "submitter": "王强", "submitted_at": "2024-06-05T09:00:00",
               "category": "城乡建设", "content": format!("{noise}。城北区这边也一样。")}),
        json!({"id": "CB-3", "region": "城北区", "submitter": "赵敏", "submitted_at": "2024-06-07T09:00:00",
               "category": "城乡建设", "content": format!("{noise}。城北区的住户都受不了了。")}),
        json!({"id": "NR-1", "submitter": "孙丽", "submitted_at": "2024-07-01T09:00:00",
               "content": format!("青山区{noise}。")}),
        json!({"id": "QS-L1", "region": "青山区", "submitter": "周涛", "submitted_at": "2024-05-20T09:00:00",
               "law": "城市养犬管理条例", "article": "第九条",
               "content": format!("建议第九条增加遛狗必须牵绳的规定，联系电话{LAW_PHONE}。")}),
        json!({"id": "CB-L1", "region": "城北区", "submitter": "吴刚", "submitted_at": "2024-06-20T09:00:00",
               "law": "城市养犬管理条例", "article": "第九条",
               "content": "建议第九条增加遛狗必须牵绳的规定，烈性犬应当禁养。"}),
    ];
    rows.into_iter()
        .map(|r| serde_json::from_value(r).expect("a valid record"))
        .collect()
}

struct Fixture {
    engine: Engine,
    _dir: tempfile::TempDir,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("index");
    MinyiIndex::open_or_create(&path, None).expect("create index");
    let engine = Engine::open(&path, None).expect("open engine");
    let report = engine
        .ingest(records().into_iter().map(Ok))
        .expect("ingest");
    assert_eq!(report.accepted, 9);
    Fixture { engine, _dir: dir }
}

fn qingshan() -> Viewer {
    Viewer::new(vec!["青山区".into()], None)
}

fn masked() -> Viewer {
    Viewer::new(Vec::new(), Some(Masker::new(SECRET)))
}

fn search(engine: &Engine, q: &str, viewer: Viewer) -> SearchResponse {
    engine
        .search(&SearchRequest {
            q: q.into(),
            limit: 50,
            viewer,
            ..SearchRequest::default()
        })
        .expect("search")
}

fn ids(response: &SearchResponse) -> BTreeSet<String> {
    response.hits.iter().map(|h| h.id.clone()).collect()
}

fn set(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

const QINGSHAN_IDS: &[&str] = &["QS-1", "QS-2", "QS-3", "QS-L1"];

#[test]
fn scope_applies_to_hits_totals_facets_and_histogram() {
    let f = fixture();
    let everyone = search(&f.engine, "", Viewer::everyone());
    assert_eq!(everyone.total, 9);
    let scoped = search(&f.engine, "", qingshan());
    assert_eq!(ids(&scoped), set(QINGSHAN_IDS));
    assert_eq!(scoped.total, 4);
    let regions: Vec<(&str, u64)> = scoped.facets["region"]
        .iter()
        .map(|c| (c.value.as_str(), c.count))
        .collect();
    assert_eq!(regions, [("青山区", 4)]);
    let months: Vec<(&str, u64)> = scoped
        .histogram
        .iter()
        .map(|m| (m.month.as_str(), m.count))
        .collect();
    assert_eq!(months, [("2024-05", 4)]);

    let noise = search(&f.engine, "广场舞", qingshan());
    assert_eq!(ids(&noise), set(&["QS-1", "QS-2", "QS-3"]));
    assert_eq!(noise.total, 3);
    // The record without a region names 青山区 in its text, and is still out of scope.
    assert!(ids(&search(&f.engine, "广场舞", Viewer::everyone())).contains("NR-1"));
    // A filter cannot widen the scope.
    let filtered = f
        .engine
        .search(&SearchRequest {
            filters: vec![("region".into(), "城北区".into())],
            viewer: qingshan(),
            ..SearchRequest::default()
        })
        .unwrap();
    assert_eq!(filtered.total, 0);
}

#[test]
fn a_record_out_of_scope_is_missing_and_a_masked_record_is_masked() {
    let f = fixture();
    assert!(f.engine.record("CB-1", &qingshan()).unwrap().is_none());
    assert!(f.engine.record("NR-1", &qingshan()).unwrap().is_none());
    assert!(f.engine.record("NO-SUCH", &qingshan()).unwrap().is_none());
    let own = f.engine.record("QS-1", &qingshan()).unwrap().unwrap();
    assert!(own.content.contains(PHONE), "unmasked for staff");

    let record = f.engine.record("QS-1", &masked()).unwrap().unwrap();
    let text = serde_json::to_string(&record).unwrap();
    for secret in [PHONE, ID_NUMBER, CARD, "张建国"] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
    assert!(record.content.contains("138****5678"), "{}", record.content);
    assert_eq!(
        record.submitter.as_deref(),
        Some(Masker::new(SECRET).pseudonym("张建国").as_str())
    );
}

#[test]
fn similar_cases_come_from_the_scope_only() {
    let f = fixture();
    let everyone = f
        .engine
        .similar_to_record("QS-1", 10, &Viewer::everyone())
        .unwrap()
        .unwrap();
    assert!(everyone.hits.iter().any(|h| h.id.starts_with("CB-")));
    let scoped = f
        .engine
        .similar_to_record("QS-1", 10, &qingshan())
        .unwrap()
        .unwrap();
    let found: BTreeSet<String> = scoped.hits.iter().map(|h| h.id.clone()).collect();
    assert!(!found.is_empty());
    assert!(found.is_subset(&set(QINGSHAN_IDS)), "{found:?}");
    assert!(
        f.engine
            .similar_to_record("CB-1", 10, &qingshan())
            .unwrap()
            .is_none()
    );

    let text = format!("广场舞噪音扰民，晚上跳到十点，我的电话{PHONE}");
    let scoped = f
        .engine
        .similar_to_text(None, &text, 10, &qingshan())
        .unwrap();
    let found: BTreeSet<String> = scoped.hits.iter().map(|h| h.id.clone()).collect();
    assert!(!found.is_empty());
    assert!(found.is_subset(&set(QINGSHAN_IDS)), "{found:?}");
}

#[test]
fn similar_cases_and_suggestions_are_masked() {
    let f = fixture();
    let text = format!("广场舞噪音扰民，我的电话{PHONE}");
    let cases = f
        .engine
        .similar_to_text(None, &text, 10, &masked())
        .unwrap();
    assert!(
        cases.hits.iter().any(|h| h.id == "QS-1"),
        "personal data in the viewer's own text is fine"
    );
    let json = serde_json::to_string(&cases).unwrap();
    assert!(!json.contains(PHONE) && !json.contains("张建国"), "{json}");
    let suggestion = f.engine.suggest(&cases);
    assert!(!serde_json::to_string(&suggestion).unwrap().contains(PHONE));

    let cases = f
        .engine
        .similar_to_record("QS-2", 10, &masked())
        .unwrap()
        .unwrap();
    let json = serde_json::to_string(&cases).unwrap();
    assert!(json.contains("QS-1"));
    assert!(!json.contains(PHONE) && !json.contains(ID_NUMBER), "{json}");
}

fn issues(engine: &Engine, q: &str, viewer: Viewer) -> IssueList {
    let req = SearchRequest {
        q: q.into(),
        viewer,
        ..SearchRequest::default()
    };
    let opts = IssueOptions {
        min_size: 1,
        limit: 100,
    };
    find_issues(engine, &req, &opts).unwrap()
}

#[test]
fn issues_and_laws_count_only_the_scope() {
    let f = fixture();
    let list = issues(&f.engine, "", qingshan());
    assert_eq!(list.total_records, 4);
    let grouped: BTreeSet<String> = list
        .issues
        .iter()
        .flat_map(|i| i.record_ids.clone())
        .collect();
    assert_eq!(grouped, set(QINGSHAN_IDS));
    let first = &list.issues[0];
    let req = SearchRequest {
        viewer: Viewer::new(vec!["城北区".into()], None),
        ..SearchRequest::default()
    };
    assert!(find_issue(&f.engine, &req, &first.id).unwrap().is_none());

    let scoped = laws(
        &f.engine,
        &SearchRequest {
            viewer: qingshan(),
            ..SearchRequest::default()
        },
    )
    .unwrap();
    assert_eq!(scoped.len(), 1);
    assert_eq!(scoped[0].total, 1);
    let everyone = laws(&f.engine, &SearchRequest::default()).unwrap();
    assert_eq!(everyone[0].total, 2);
}

#[test]
fn issues_exports_and_laws_are_masked_and_repeat_submitters_still_count() {
    let f = fixture();
    let plain = issues(&f.engine, "", Viewer::everyone());
    let list = issues(&f.engine, "", masked());
    let masker = Masker::new(SECRET);
    let repeats = |list: &IssueList| -> Vec<(String, usize)> {
        list.issues
            .iter()
            .flat_map(|i| i.repeat_submitters.iter())
            .map(|r| (r.submitter.clone(), r.count))
            .collect()
    };
    let expected: Vec<(String, usize)> = repeats(&plain)
        .into_iter()
        .map(|(s, n)| (masker.pseudonym(&s), n))
        .collect();
    assert!(
        expected.iter().any(|(_, n)| *n == 2),
        "the fixture has repeat submitters"
    );
    assert_eq!(repeats(&list), expected);
    let json = serde_json::to_string(&list).unwrap();
    let csv = export::csv(&list);
    let markdown = export::markdown(&list, "问题清单");
    for text in [&json, &csv, &markdown] {
        for secret in [PHONE, ID_NUMBER, CARD, "张建国", "王强"] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
    }
    assert!(serde_json::to_string(&plain).unwrap().contains(PHONE));

    let law_view = laws(
        &f.engine,
        &SearchRequest {
            viewer: masked(),
            ..SearchRequest::default()
        },
    )
    .unwrap();
    let json = serde_json::to_string(&law_view).unwrap();
    assert!(json.contains("QS-L1"));
    assert!(!json.contains(LAW_PHONE), "{json}");
}

#[test]
fn search_hits_are_masked() {
    let f = fixture();
    let response = search(&f.engine, "噪音", masked());
    let hit = response.hits.iter().find(|h| h.id == "QS-1").expect("QS-1");
    let json = serde_json::to_string(&response).unwrap();
    for secret in [PHONE, ID_NUMBER, CARD, "张建国", "13912345678"] {
        assert!(!json.contains(secret), "{secret} in {json}");
    }
    assert!(
        hit.title_html.as_deref().unwrap().contains("138****5678"),
        "{:?}",
        hit.title_html
    );
    assert_eq!(hit.record.extra["联系电话"], json!("138****5678"));
    assert!(hit.record.reply.as_deref().unwrap().contains("138****5678"));
    let unmasked = search(&f.engine, "噪音", Viewer::everyone());
    assert!(serde_json::to_string(&unmasked).unwrap().contains(PHONE));
}

#[test]
fn a_masked_viewer_cannot_find_records_by_personal_data() {
    let f = fixture();
    for q in [PHONE, ID_NUMBER, "１３８１２３４５６７８"] {
        let found = search(&f.engine, q, Viewer::everyone());
        assert!(ids(&found).contains("QS-1"), "{q} finds QS-1 unmasked");
        let hidden = search(&f.engine, q, masked());
        assert_eq!(hidden.total, 0, "{q}");
        assert!(hidden.hits.is_empty());
        assert!(hidden.histogram.is_empty());
        assert!(hidden.facets.values().all(|counts| counts.is_empty()));
    }
    assert_eq!(issues(&f.engine, PHONE, masked()).total_records, 0);
    assert_eq!(
        issues(&f.engine, PHONE, Viewer::everyone()).total_records,
        1
    );
    let law_view = |viewer| {
        laws(
            &f.engine,
            &SearchRequest {
                q: LAW_PHONE.into(),
                viewer,
                ..SearchRequest::default()
            },
        )
        .unwrap()
    };
    assert!(law_view(masked()).is_empty());
    assert_eq!(law_view(Viewer::everyone()).len(), 1);
}

#[test]
fn a_masked_viewer_matches_submitters_by_pseudonym_only() {
    let f = fixture();
    let pseudonym = Masker::new(SECRET).pseudonym("张建国");
    let by_name = set(&["QS-1", "QS-2"]);
    assert_eq!(
        ids(&search(&f.engine, "submitter:张建国", Viewer::everyone())),
        by_name
    );
    assert_eq!(search(&f.engine, "submitter:张建国", masked()).total, 0);
    assert_eq!(
        ids(&search(
            &f.engine,
            &format!("submitter:{pseudonym}"),
            masked()
        )),
        by_name
    );
    let filtered = |value: &str, viewer| {
        f.engine
            .search(&SearchRequest {
                filters: vec![("submitter".into(), value.into())],
                viewer,
                ..SearchRequest::default()
            })
            .unwrap()
    };
    assert_eq!(ids(&filtered("张建国", Viewer::everyone())), by_name);
    assert_eq!(filtered("张建国", masked()).total, 0);
    assert_eq!(ids(&filtered(&pseudonym, masked())), by_name);
}
