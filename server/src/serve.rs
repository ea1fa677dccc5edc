//! `minyi serve` and `minyi demo`'s server: the HTTP API over an index, over HTTP or HTTPS,
//! for the principals its state database knows, stopped gracefully by Ctrl-C.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, bail};
use minyi_engine::Engine;
use minyi_indexer::EmbeddingModel;

use crate::api::{self, Access, HeavyLimit};

/// HTTPS instead of HTTP.
#[derive(clap::Args, Default)]
pub struct TlsArgs {
    /// The server's certificate chain (PEM); with `--tls-key`, serve HTTPS.
    #[arg(long, requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// The certificate's private key (PEM).
    #[arg(long, requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
}

/// The user `minyi demo` makes.
pub const DEMO_ADMIN: &str = "admin";

/// Gives the demo's `admin` a new random password (adding the user on the first run), so each
/// run prints one that works and none is written in the source.
pub fn demo_admin(index: &Path) -> anyhow::Result<String> {
    use rand::Rng;
    let password: String = rand::rng()
        .sample_iter(rand::distr::Alphanumeric)
        .take(16)
        .map(char::from)
        .collect();
    let store = minyi_store::Store::open(index)?;
    if store.users()?.iter().any(|u| u.name == DEMO_ADMIN) {
        store.set_password(DEMO_ADMIN, &password)?;
    } else {
        store.add_user(DEMO_ADMIN, minyi_store::Role::Admin, &[], &password)?;
    }
    Ok(password)
}

pub fn serve(
    index: &Path,
    addr: SocketAddr,
    model: Option<EmbeddingModel>,
    tls: &TlsArgs,
    heavy: HeavyLimit,
) -> anyhow::Result<()> {
    let access = Access::open(index, tls.tls_cert.is_some())
        .with_context(|| format!("opening the accounts of {}", index.display()))?;
    if !minyi_store::Store::open(index)?.has_credentials()? {
        bail!(
            "nobody can sign in to {0}: add a user first, e.g. `minyi users add --index {0} NAME --role admin`, \
             or a token with `minyi tokens add --index {0} NAME --role staff`",
            index.display()
        );
    }
    let engine = Arc::new(
        Engine::open(index, model).with_context(|| format!("opening index {}", index.display()))?,
    );
    let records = engine.len();
    let search = match engine.semantic_unavailable() {
        None => "full-text, semantic and hybrid search".to_string(),
        Some(why) => format!("full-text search only: {why}"),
    };
    let app = api::router_shedding(engine, Arc::new(access), heavy)
        .into_make_service_with_connect_info::<SocketAddr>();
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async move {
        let scheme = if tls.tls_cert.is_some() {
            "https"
        } else {
            "http"
        };
        let announce = || {
            eprintln!(
                "minyi serving {records} records on {scheme}://{addr}/ ({search}; Ctrl-C to stop)"
            )
        };
        let handle = axum_server::Handle::new();
        let stopper = handle.clone();
        tokio::spawn(async move {
            let _ = tokio::signal::ctrl_c().await;
            stopper.graceful_shutdown(Some(std::time::Duration::from_secs(10)));
        });
        let listener = std::net::TcpListener::bind(addr)
            .with_context(|| format!("cannot listen on {addr}"))?;
        listener.set_nonblocking(true)?;
        match (&tls.tls_cert, &tls.tls_key) {
            (Some(cert), Some(key)) => {
                let _ = rustls::crypto::ring::default_provider().install_default();
                let config = axum_server::tls_rustls::RustlsConfig::from_pem_file(cert, key)
                    .await
                    .with_context(|| {
                        format!(
                            "reading the TLS certificate {} and key {}",
                            cert.display(),
                            key.display()
                        )
                    })?;
                announce();
                axum_server::from_tcp_rustls(listener, config)?
                    .handle(handle)
                    .serve(app)
                    .await?;
            }
            _ => {
                announce();
                axum_server::from_tcp(listener)?
                    .handle(handle)
                    .serve(app)
                    .await?;
            }
        }
        Ok(())
    })
}
