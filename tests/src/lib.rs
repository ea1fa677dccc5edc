//! Helpers for the end-to-end tests: an index of the sample corpus served over real HTTP.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use minyi::Engine;
use minyi::import::{Input, import};
use minyi_corpus::FieldMapping;
use minyi_indexer::MinyiIndex;

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
    _dir: tempfile::TempDir,
}

impl TestServer {
    /// Indexes `files` into a fresh index and serves it on 127.0.0.1 at a free port.
    pub async fn start(files: &[PathBuf]) -> TestServer {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("index");
        {
            let index = MinyiIndex::open_or_create(&path, None).expect("create index");
            let inputs = files.iter().cloned().map(Input::File).collect();
            let summary = import(&index, inputs, &FieldMapping::default(), false).expect("import");
            assert!(summary.unreadable.is_empty(), "{:?}", summary.unreadable);
        }
        let engine = Arc::new(Engine::open(&path).expect("open engine"));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let addr = listener.local_addr().expect("local addr");
        let router = minyi::api::router(engine.clone());
        tokio::spawn(async move { axum::serve(listener, router).await.expect("serve") });
        TestServer {
            addr,
            engine,
            _dir: dir,
        }
    }

    /// The sample corpus, served.
    pub async fn sample() -> TestServer {
        TestServer::start(&[sample_corpus()]).await
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}
