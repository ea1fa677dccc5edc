//! Helpers shared by the index tests.

use minyi_corpus::{FieldMapping, Record};
use minyi_models::{Embedder, ModelError};

/// Unit vectors of 4 numbers hashed from the text: a vector store without a model.
pub struct HashEmbedder;

impl Embedder for HashEmbedder {
    fn dim(&self) -> usize {
        4
    }

    fn embed_passages(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, ModelError> {
        texts.iter().map(|t| self.embed_query(t)).collect()
    }

    fn embed_query(&self, text: &str) -> Result<Vec<f32>, ModelError> {
        // FNV-1a, then four of its bytes as coordinates.
        let hash = text.bytes().fold(0xcbf29ce484222325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x100000001b3)
        });
        let v: Vec<f32> = (0..4)
            .map(|i| f32::from((hash >> (i * 16)) as u16) - 32768.0)
            .collect();
        let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-6);
        Ok(v.into_iter().map(|x| x / norm).collect())
    }
}

/// A record with id `id` and text `content`.
pub fn record(id: &str, content: &str) -> Record {
    let fields = serde_json::json!({"id": id, "content": content});
    Record::from_fields(
        fields.as_object().unwrap().clone(),
        &FieldMapping::default(),
    )
    .unwrap()
}
