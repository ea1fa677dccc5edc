//! Which record holds each vector, so that a vector search can return records.
//!
//! Records point at their vector through the index's `vector_id` field; the vectors of replaced
//! and deleted records stay in the store, unreferenced. A semantic search therefore asks the store
//! only for vectors a live (and, with filters, matching) record holds, and maps them back.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use minyi_indexer::vectors::RecordVectors;
use tantivy::{DocAddress, Searcher};

use crate::EngineError;
use crate::group_commit::lock;

/// Which record holds each vector, for one searcher generation. Built once per reader reload
/// and shared by the requests on that generation, so an unfiltered semantic search or a
/// similar-case lookup does not visit every record.
pub(crate) struct LiveVectors {
    generation: u64,
    /// Indexed by vector id; `None` for the vectors of replaced or deleted records (and for
    /// vectors appended after this generation was committed).
    docs: Vec<Option<DocAddress>>,
    live: usize,
}

impl LiveVectors {
    fn build(searcher: &Searcher) -> Result<LiveVectors, EngineError> {
        let vectors = RecordVectors::new(searcher)?;
        let mut docs = Vec::new();
        let mut live = 0;
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            for doc in segment.doc_ids_alive() {
                let address = DocAddress::new(ord as u32, doc);
                if let Some(v) = vectors.of(address) {
                    let v = v as usize;
                    if v >= docs.len() {
                        docs.resize(v + 1, None);
                    }
                    docs[v] = Some(address);
                    live += 1;
                }
            }
        }
        Ok(LiveVectors {
            generation: searcher.generation().generation_id(),
            docs,
            live,
        })
    }

    pub(crate) fn get(&self, vector: u64) -> Option<DocAddress> {
        self.docs.get(vector as usize).copied().flatten()
    }

    /// How many live records hold a vector.
    pub(crate) fn len(&self) -> usize {
        self.live
    }
}

/// The [`LiveVectors`] of the newest searcher generation a request has needed.
#[derive(Default)]
pub(crate) struct LiveVectorsCache(Mutex<Option<Arc<LiveVectors>>>);

impl LiveVectorsCache {
    /// The live vectors of `searcher`'s generation, built on the first request that needs them.
    pub(crate) fn get(&self, searcher: &Searcher) -> Result<Arc<LiveVectors>, EngineError> {
        let generation = searcher.generation().generation_id();
        // Held while building, so concurrent requests after a reload build it once.
        let mut cached = lock(&self.0);
        if let Some(live) = cached.as_ref().filter(|l| l.generation == generation) {
            return Ok(live.clone());
        }
        let live = Arc::new(LiveVectors::build(searcher)?);
        // A request still on an older searcher must not evict the current generation's map.
        if cached.as_ref().is_none_or(|l| l.generation < generation) {
            *cached = Some(live.clone());
        }
        Ok(live)
    }
}

/// The vectors a semantic search may return, with the records holding them.
pub(crate) enum Allowed {
    /// Every live vector: no filter applies.
    All(Arc<LiveVectors>),
    /// Those of the records matching a filter, by vector id.
    Matching(HashMap<u64, DocAddress>),
}

impl Allowed {
    /// The vectors of the records at `addresses` (those matching a filter).
    pub(crate) fn matching(
        searcher: &Searcher,
        addresses: impl ExactSizeIterator<Item = DocAddress>,
    ) -> Result<Allowed, EngineError> {
        let vectors = RecordVectors::new(searcher)?;
        let mut docs = HashMap::with_capacity(addresses.len());
        for address in addresses {
            if let Some(v) = vectors.of(address) {
                docs.insert(v, address);
            }
        }
        Ok(Allowed::Matching(docs))
    }

    pub(crate) fn get(&self, vector: u64) -> Option<DocAddress> {
        match self {
            Allowed::All(live) => live.get(vector),
            Allowed::Matching(docs) => docs.get(&vector).copied(),
        }
    }

    pub(crate) fn len(&self) -> usize {
        match self {
            Allowed::All(live) => live.len(),
            Allowed::Matching(docs) => docs.len(),
        }
    }
}
