//! Record embeddings on disk and in an HNSW graph.
//!
//! `vectors.log` in the index's vector folder (`vectors/`, or `vectors-<time>/` after a reindex, as
//! the last commit names it) is the durable store: a header, then one fixed-size entry per vector, its
//! position being its id. Entries are only appended; a torn last entry (a crash mid-append) is
//! cut off on open. Records point at their vector through the tantivy field `vector_id`, so a
//! vector is *live* exactly when a live record refers to it: replaced and deleted records' vectors
//! stay in the file, unreferenced, until `minyi reindex --vectors` rebuilds the store.
//!
//! The HNSW graph (hnsw_rs, cosine as a clamped dot product of unit vectors) is dumped now and
//! then; `graph.json` beside the log names the current dump and how many vectors it holds. Opening loads
//! that dump and inserts the vectors appended since, so start-up does not rebuild the graph.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, RwLock};

use anndists::dist::Distance;
use hnsw_rs::api::AnnT;
use hnsw_rs::hnsw::Hnsw;
use hnsw_rs::hnswio::HnswIo;
use serde::{Deserialize, Serialize};

use crate::IndexError;

const MAGIC: &[u8; 8] = b"MINYIVEC";
/// The log's name inside a vector folder.
pub(crate) const LOG_FILE: &str = "vectors.log";
/// The file naming the current dump of the HNSW graph.
pub(crate) const GRAPH_FILE: &str = "graph.json";
pub(crate) const HEADER_BYTES: u64 = 16;
/// HNSW parameters: links per node and construction beam (measured in stack-facts: recall@10 0.98
/// at ef 128 on 100k × 384).
const MAX_CONNECTIONS: usize = 16;
const EF_CONSTRUCTION: usize = 100;
const MAX_LAYERS: usize = 16;
/// Below this many allowed vectors, a filtered search compares them all instead of walking the
/// graph (which may return fewer than asked when the filter is selective).
const EXACT_SEARCH_BELOW: usize = 20_000;

/// Cosine distance of unit vectors, `1 − a·b`, clamped at 0 (rounding makes self-distances
/// slightly negative, which hnsw_rs's own dot distance asserts against).
#[derive(Debug, Default, Clone, Copy)]
pub struct UnitCosine;

impl Distance<f32> for UnitCosine {
    fn eval(&self, a: &[f32], b: &[f32]) -> f32 {
        (1.0 - dot(a, b)).max(0.0)
    }
}

pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    // Sixteen running sums: a single one fixes the order of the additions, which keeps the
    // compiler from using vector instructions (exact search and grouping do millions of these).
    const LANES: usize = 16;
    let mut sums = [0.0f32; LANES];
    let (a_chunks, b_chunks) = (a.chunks_exact(LANES), b.chunks_exact(LANES));
    let tail: f32 = a_chunks
        .remainder()
        .iter()
        .zip(b_chunks.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (x, y) in a_chunks.zip(b_chunks) {
        for i in 0..LANES {
            sums[i] += x[i] * y[i];
        }
    }
    sums.iter().sum::<f32>() + tail
}

#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct GraphState {
    basename: String,
    vectors: usize,
}

impl GraphState {
    /// The files of the dump, as hnsw_rs names them.
    pub(crate) fn dump_files(&self) -> [String; 2] {
        ["graph", "data"].map(|ext| format!("{}.hnsw.{ext}", self.basename))
    }
}

/// The length of the whole entries of a log of `len` bytes holding vectors of `dim` numbers.
pub(crate) fn valid_log_len(len: u64, dim: usize) -> u64 {
    let entry = dim as u64 * 4;
    HEADER_BYTES + len.saturating_sub(HEADER_BYTES) / entry * entry
}

/// The embeddings of an index.
pub struct VectorStore {
    dir: PathBuf,
    dim: usize,
    log: Mutex<File>,
    /// Every vector, flat, by id: for exact search and re-dumps.
    vectors: RwLock<Vec<f32>>,
    graph: Hnsw<'static, f32, UnitCosine>,
    /// Vectors the current dump holds.
    dumped: Mutex<usize>,
}

impl VectorStore {
    /// Opens (or creates) the store in `dir` for vectors of `dim` numbers.
    pub fn open(dir: &Path, dim: usize) -> Result<VectorStore, IndexError> {
        std::fs::create_dir_all(dir).map_err(|e| IndexError::io(dir, e))?;
        let path = dir.join(LOG_FILE);
        let io = |e| IndexError::io(&path, e);
        let mut log = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(&path)
            .map_err(io)?;
        let mut bytes = Vec::new();
        log.read_to_end(&mut bytes).map_err(io)?;
        if bytes.is_empty() {
            let mut header = MAGIC.to_vec();
            header.extend_from_slice(&(dim as u32).to_le_bytes());
            header.extend_from_slice(&[0; 4]);
            log.write_all(&header).map_err(io)?;
            log.sync_all().map_err(io)?;
            bytes = header;
        }
        let corrupt = |reason: String| IndexError::Damaged {
            path: path.display().to_string(),
            reason,
        };
        if bytes.len() < HEADER_BYTES as usize || &bytes[..8] != MAGIC {
            return Err(corrupt("not a minyi vector log".into()));
        }
        let stored_dim = u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes")) as usize;
        if stored_dim != dim {
            return Err(corrupt(format!(
                "holds {stored_dim}-dimensional vectors but the model makes {dim}: run `minyi reindex --vectors`"
            )));
        }
        let valid_len = valid_log_len(bytes.len() as u64, dim);
        let whole = (valid_len - HEADER_BYTES) as usize / (dim * 4);
        if valid_len < bytes.len() as u64 {
            // A torn append from a crash: no committed record can refer to it.
            log.set_len(valid_len).map_err(io)?;
        }
        log.seek(SeekFrom::End(0)).map_err(io)?;
        let vectors: Vec<f32> = bytes[HEADER_BYTES as usize..valid_len as usize]
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes(c.try_into().expect("4 bytes")))
            .collect();

        let (graph, dumped) = load_graph(dir, whole)?;
        let store = VectorStore {
            dir: dir.to_path_buf(),
            dim,
            log: Mutex::new(log),
            vectors: RwLock::new(vectors),
            graph,
            dumped: Mutex::new(dumped),
        };
        store.insert_into_graph(dumped, whole);
        Ok(store)
    }

    pub fn dim(&self) -> usize {
        self.dim
    }

    /// How many vectors the store holds, live or not.
    pub fn len(&self) -> usize {
        self.vectors.read().expect("vectors lock").len() / self.dim
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Appends vectors (each of `dim` numbers) and returns their ids; durable after [`Self::sync`].
    pub fn append(&self, batch: &[Vec<f32>]) -> Result<Vec<u64>, IndexError> {
        let mut log = self.log.lock().expect("log lock");
        let first = self.len();
        let mut bytes = Vec::with_capacity(batch.len() * self.dim * 4);
        for v in batch {
            assert_eq!(v.len(), self.dim, "vector length");
            for x in v {
                bytes.extend_from_slice(&x.to_le_bytes());
            }
        }
        let path = self.dir.join(LOG_FILE);
        log.write_all(&bytes)
            .map_err(|e| IndexError::io(&path, e))?;
        {
            let mut vectors = self.vectors.write().expect("vectors lock");
            for v in batch {
                vectors.extend_from_slice(v);
            }
        }
        self.insert_into_graph(first, first + batch.len());
        Ok((first as u64..(first + batch.len()) as u64).collect())
    }

    fn insert_into_graph(&self, from: usize, to: usize) {
        if from >= to {
            return;
        }
        let vectors = self.vectors.read().expect("vectors lock");
        let items: Vec<(&[f32], usize)> = (from..to)
            .map(|id| (&vectors[id * self.dim..(id + 1) * self.dim], id))
            .collect();
        self.graph.parallel_insert_slice(&items);
    }

    /// Makes appended vectors durable, and dumps the graph when many were added since the last
    /// dump (so the next start-up inserts few).
    pub fn sync(&self) -> Result<(), IndexError> {
        let path = self.dir.join(LOG_FILE);
        self.log
            .lock()
            .expect("log lock")
            .sync_all()
            .map_err(|e| IndexError::io(&path, e))?;
        let n = self.len();
        let mut dumped = self.dumped.lock().expect("dump lock");
        if n - *dumped >= (*dumped / 10).max(2000) {
            self.dump(n)?;
            *dumped = n;
        }
        Ok(())
    }

    fn dump(&self, vectors: usize) -> Result<(), IndexError> {
        let basename = format!("graph-{vectors}");
        // hnsw_rs reports through anyhow; an io::Error inside (a full disk) stays one.
        let err = |e: anyhow::Error| {
            let source = e
                .downcast::<std::io::Error>()
                .unwrap_or_else(|e| std::io::Error::other(format!("writing the HNSW graph: {e}")));
            IndexError::io(&self.dir.join(&basename), source)
        };
        let written = self.graph.file_dump(&self.dir, &basename).map_err(err)?;
        let state = GraphState {
            basename: written,
            vectors,
        };
        let tmp = self.dir.join(format!("{GRAPH_FILE}.tmp"));
        let path = self.dir.join(GRAPH_FILE);
        std::fs::write(
            &tmp,
            serde_json::to_string(&state).expect("state serialises"),
        )
        .map_err(|e| IndexError::io(&tmp, e))?;
        std::fs::rename(&tmp, &path).map_err(|e| IndexError::io(&path, e))?;
        // Older dumps are no longer named by graph.json.
        for entry in std::fs::read_dir(&self.dir)
            .map_err(|e| IndexError::io(&self.dir, e))?
            .flatten()
        {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with("graph-") && !name.starts_with(&format!("{}.", state.basename)) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
        Ok(())
    }

    /// The vector with id `id`.
    pub fn get(&self, id: u64) -> Option<Vec<f32>> {
        let vectors = self.vectors.read().expect("vectors lock");
        let start = id as usize * self.dim;
        vectors.get(start..start + self.dim).map(<[f32]>::to_vec)
    }

    /// The `k` vectors most similar to `query` among those `allowed` accepts, most similar first,
    /// as `(id, cosine)`. `allowed_count` is how many ids `allowed` accepts: small sets are
    /// searched exactly, so a selective filter never loses hits the graph would miss.
    pub fn search(
        &self,
        query: &[f32],
        k: usize,
        allowed: &(dyn Fn(u64) -> bool + Sync),
        allowed_count: usize,
    ) -> Vec<(u64, f32)> {
        if k == 0 || allowed_count == 0 {
            return Vec::new();
        }
        let vectors = self.vectors.read().expect("vectors lock");
        let n = vectors.len() / self.dim;
        let exact = |vectors: &[f32]| {
            let mut all: Vec<(u64, f32)> = (0..n)
                .filter(|id| allowed(*id as u64))
                .map(|id| {
                    (
                        id as u64,
                        dot(query, &vectors[id * self.dim..(id + 1) * self.dim]),
                    )
                })
                .collect();
            let best_first =
                |a: &(u64, f32), b: &(u64, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
            // Only the best k are ordered: grouping asks this of every record of a selection.
            if all.len() > k {
                all.select_nth_unstable_by(k, best_first);
                all.truncate(k);
            }
            all.sort_by(best_first);
            all
        };
        if allowed_count <= EXACT_SEARCH_BELOW {
            return exact(&vectors);
        }
        let filter = |id: &usize| allowed(*id as u64);
        let ef = (2 * k).max(128);
        let found: Vec<(u64, f32)> = self
            .graph
            .search_filter(query, k, ef, Some(&filter))
            .into_iter()
            .map(|n| (n.d_id as u64, 1.0 - n.distance))
            .collect();
        if found.len() < k.min(allowed_count) {
            exact(&vectors)
        } else {
            found
        }
    }
}

fn load_graph(
    dir: &Path,
    available: usize,
) -> Result<(Hnsw<'static, f32, UnitCosine>, usize), IndexError> {
    let fresh = || {
        Hnsw::new(
            MAX_CONNECTIONS,
            available.max(10_000),
            MAX_LAYERS,
            EF_CONSTRUCTION,
            UnitCosine,
        )
    };
    let state_path = dir.join(GRAPH_FILE);
    let Ok(text) = std::fs::read_to_string(&state_path) else {
        return Ok((fresh(), 0));
    };
    let state: GraphState = serde_json::from_str(&text).map_err(|e| IndexError::Damaged {
        path: state_path.display().to_string(),
        reason: e.to_string(),
    })?;
    if state.vectors > available {
        // The dump is newer than the log (cannot happen unless files were copied piecemeal).
        return Ok((fresh(), 0));
    }
    // hnsw_rs's loaded graph borrows its loader for its whole life; the store lives as long as
    // the process, so the loader is leaked once per opened index.
    let loader: &'static mut HnswIo = Box::leak(Box::new(HnswIo::new(dir, &state.basename)));
    match loader.load_hnsw::<f32, UnitCosine>() {
        Ok(graph) => Ok((graph, state.vectors)),
        Err(e) => Err(IndexError::Damaged {
            path: dir.join(&state.basename).display().to_string(),
            reason: format!(
                "the HNSW graph is unreadable ({e}); remove {} to rebuild it from vectors.log at the next start, or run `minyi reindex --vectors`",
                state_path.display()
            ),
        }),
    }
}

/// Which vector each record of one searcher points at: the `vector_id` fast field of every
/// segment, opened once.
pub struct RecordVectors {
    columns: Vec<tantivy::columnar::Column<u64>>,
}

impl RecordVectors {
    pub fn new(searcher: &tantivy::Searcher) -> Result<RecordVectors, IndexError> {
        let columns = searcher
            .segment_readers()
            .iter()
            .map(|segment| segment.fast_fields().u64("vector_id"))
            .collect::<Result<_, _>>()?;
        Ok(RecordVectors { columns })
    }

    /// The highest vector id any record of the searcher (deleted ones included) points at.
    pub fn highest(&self) -> Option<u64> {
        self.columns
            .iter()
            .filter(|c| c.values.num_vals() > 0)
            .map(|c| c.max_value())
            .max()
    }

    /// The vector of the record at `address`; `None` when it has none.
    pub fn of(&self, address: tantivy::DocAddress) -> Option<u64> {
        self.columns[address.segment_ord as usize].first(address.doc_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_sums_every_product_whatever_the_length() {
        for dim in [0, 1, 15, 16, 17, 384, 385] {
            let a: Vec<f32> = (0..dim).map(|i| (i % 7) as f32 - 3.0).collect();
            let b: Vec<f32> = (0..dim).map(|i| (i % 5) as f32 * 0.5).collect();
            let plain: f32 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
            assert!((dot(&a, &b) - plain).abs() < 1e-3, "dim {dim}");
        }
    }

    fn unit(seed: u64, dim: usize) -> Vec<f32> {
        // A deterministic pseudo-random unit vector.
        let mut x = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let v: Vec<f32> = (0..dim)
            .map(|_| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                ((x >> 33) as f32 / (1u64 << 31) as f32) - 0.5
            })
            .collect();
        let n = dot(&v, &v).sqrt();
        v.into_iter().map(|x| x / n).collect()
    }

    #[test]
    fn finds_itself_first_and_survives_reopening_and_a_torn_append() {
        let dir = tempfile::tempdir().unwrap();
        let dim = 16;
        let batch: Vec<Vec<f32>> = (0..3000).map(|i| unit(i, dim)).collect();
        {
            let store = VectorStore::open(dir.path(), dim).unwrap();
            assert_eq!(store.append(&batch).unwrap().len(), 3000);
            store.sync().unwrap();
            store.append(&[unit(9999, dim)]).unwrap();
            store.sync().unwrap();
        }
        assert!(
            dir.path().join("graph.json").exists(),
            "3000 new vectors trigger a dump"
        );
        // A crash in the middle of the next append.
        let mut log = OpenOptions::new()
            .append(true)
            .open(dir.path().join("vectors.log"))
            .unwrap();
        log.write_all(&[1, 2, 3]).unwrap();
        drop(log);

        let store = VectorStore::open(dir.path(), dim).unwrap();
        assert_eq!(store.len(), 3001);
        let all = |_: u64| true;
        for id in [0u64, 1234, 2999, 3000] {
            let q = store.get(id).unwrap();
            let found = store.search(&q, 5, &all, usize::MAX);
            assert_eq!(found[0].0, id, "graph search finds vector {id} itself");
            assert!((found[0].1 - 1.0).abs() < 1e-4);
        }
        assert!(
            VectorStore::open(dir.path(), dim + 1).is_err(),
            "another model's vectors are refused"
        );
    }

    #[test]
    fn filtered_search_returns_every_allowed_hit_up_to_k() {
        let dir = tempfile::tempdir().unwrap();
        let dim = 8;
        let store = VectorStore::open(dir.path(), dim).unwrap();
        store
            .append(&(0..500).map(|i| unit(i, dim)).collect::<Vec<_>>())
            .unwrap();
        let allowed = |id: u64| id % 100 == 7;
        let found = store.search(&unit(1, dim), 10, &allowed, 5);
        let mut ids: Vec<u64> = found.iter().map(|(id, _)| *id).collect();
        ids.sort();
        assert_eq!(ids, [7, 107, 207, 307, 407]);
        assert!(found.windows(2).all(|w| w[0].1 >= w[1].1));
    }
}
