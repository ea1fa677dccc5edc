//! The static model against the real default model: distilled over the pieces of a few texts
//! only, so the tests take seconds; the full distillation is `minyi models distill`.

use std::collections::HashSet;
use std::sync::OnceLock;

use crate::model_tests::{cosine, model, model_path};
use crate::{Embedder, ModelError, StaticEmbedder, StaticModel};

const TEXTS: &[&str] = &[
    "广场舞太吵了",
    "晚上跳舞的音响扰民",
    "社保缴费基数",
    "小区电梯经常故障，老人被困",
    "工地夜间施工噪音",
    "公交线路调整后换乘不便",
    "学校门口上下学时段交通拥堵",
    "自来水发黄有异味",
    "养老保险缴费年限怎么算",
    "物业费上涨不合理",
];

/// The model distilled over the pieces of [`TEXTS`], saved in a temporary folder.
fn distilled() -> &'static (StaticModel, tempfile::TempDir, String) {
    static MODEL: OnceLock<(StaticModel, tempfile::TempDir, String)> = OnceLock::new();
    MODEL.get_or_init(|| {
        let wanted: HashSet<u32> = TEXTS
            .iter()
            .flat_map(|t| model().tokenizer.tokenize(t).expect("tokenize").content)
            .collect();
        let mut calls = 0;
        let m = StaticModel::distill(
            &model_path(),
            |_| wanted.iter().copied().collect(),
            |done, total| {
                calls += 1;
                assert!(done <= total);
            },
        )
        .expect("distil");
        assert_eq!(m.pieces(), wanted.len());
        assert!(calls > 0, "progress was reported");
        let dir = tempfile::tempdir().expect("temp dir");
        let fingerprint = m.save(&dir.path().join("static.bin")).expect("save");
        (m, dir, fingerprint)
    })
}

#[test]
fn static_model_ranks_a_paraphrase_above_an_unrelated_text() {
    let (_, dir, fingerprint) = distilled();
    let e = StaticEmbedder::load(&dir.path().join("static.bin"), &model_path()).expect("load");
    assert_eq!(e.fingerprint(), fingerprint);
    assert_eq!(e.dim(), 384);
    let v = e.embed_passages(&TEXTS[..3]).expect("embed");
    let (paraphrase, unrelated) = (cosine(&v[0], &v[1]), cosine(&v[0], &v[2]));
    eprintln!("static: paraphrase {paraphrase:.3}, unrelated {unrelated:.3}");
    assert!(
        paraphrase > unrelated,
        "paraphrase {paraphrase} <= unrelated {unrelated}"
    );
    assert_eq!(e.embed_query(TEXTS[0]).expect("query"), v[0]);
    // No kept piece: the zero vector, similar to nothing.
    assert!(
        e.embed_query("Привет")
            .expect("query")
            .iter()
            .all(|&x| x == 0.0)
    );
}

#[test]
fn static_file_round_trips_exactly() {
    let (m, dir, fingerprint) = distilled();
    let (loaded, again) = StaticModel::load(&dir.path().join("static.bin")).expect("load");
    assert_eq!(&loaded, m);
    assert_eq!(&again, fingerprint);
}

#[test]
fn damaged_static_files_are_named_and_explained() {
    let (_, dir, _) = distilled();
    let path = dir.path().join("static.bin");
    let bytes = std::fs::read(&path).expect("read");
    let check = |name: &str, content: &[u8], expect: &str| {
        let damaged = dir.path().join(name);
        std::fs::write(&damaged, content).expect("write");
        let err = StaticModel::load(&damaged).expect_err("must fail");
        assert!(
            matches!(&err, ModelError::BadStaticFile { path, .. } if path == &damaged),
            "{err}"
        );
        let message = err.to_string();
        assert!(
            message.contains(name) && message.contains(expect),
            "{message}"
        );
    };
    check("cut.bin", &bytes[..bytes.len() - 1000], "truncated");
    let mut flipped = bytes.clone();
    flipped[bytes.len() / 2] ^= 1;
    check("flipped.bin", &flipped, "do not match the sha256");
    check(
        "other.bin",
        b"E5S1 a different file altogether, long enough",
        "not a minyi static model",
    );
    // The transformer's own file is not a static model either way round.
    assert!(!crate::is_static_model(&model_path()));
    assert!(crate::is_static_model(&path));
    let err = StaticEmbedder::load(&path, &path)
        .err()
        .expect("wrong source");
    assert!(matches!(err, ModelError::ChecksumMismatch { .. }), "{err}");
}

/// What `fuzz/fuzz_targets/static_model.rs` does, as a quick deterministic run: files with the
/// right magic, version and checksum but random sizes and contents load or fail, never panic.
#[test]
fn random_well_checksummed_files_load_or_fail_cleanly() {
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};
    use sha2::{Digest, Sha256};

    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("random.bin");
    let mut rng = StdRng::seed_from_u64(3);
    for _ in 0..300 {
        let mut bytes = crate::STATIC_MAGIC.to_vec();
        bytes.extend_from_slice(&1u32.to_le_bytes());
        // Dimensions and piece counts, small or absurd.
        for _ in 0..2 {
            let v: u32 = if rng.random_bool(0.5) {
                rng.random_range(0..6)
            } else {
                rng.random()
            };
            bytes.extend_from_slice(&v.to_le_bytes());
        }
        let body = rng.random_range(0..200);
        bytes.extend((0..32 + body).map(|_| rng.random::<u8>()));
        let digest = Sha256::digest(&bytes);
        bytes.extend_from_slice(&digest);
        std::fs::write(&path, &bytes).expect("write");
        if let Err(e) = StaticModel::load(&path) {
            assert!(matches!(e, ModelError::BadStaticFile { .. }), "{e}");
        }
    }
}
