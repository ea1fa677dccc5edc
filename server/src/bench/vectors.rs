//! `minyi bench vectors`: per-request latency of similar cases and semantic search on a large
//! generated index.
//!
//! The vectors come from a stand-in embedder (hashed character bigrams, unit length), so an index
//! of 100,000 records builds in minutes where the model would take hours on two cores. Everything
//! a request does is timed except the model's forward pass for a query text: the vector store,
//! the HNSW graph, the tantivy lookups and the fetching of records are the real ones.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use minyi_engine::{Engine, EngineError, Mode, SearchRequest, Viewer};
use minyi_indexer::EmbeddingModel;
use minyi_models::{Embedder, ModelError};

use super::{build_index, generate, percentile_ms};

/// Vector length, as multilingual-e5-small's.
const DIM: usize = 384;

/// Options of `minyi bench vectors`.
#[derive(Debug, clap::Args)]
pub struct VectorsBench {
    /// Size of the generated corpus.
    #[arg(long, default_value_t = 100_000)]
    records: usize,
    /// Requests per kind in the latency run.
    #[arg(long, default_value_t = 300)]
    queries: usize,
    /// Scratch folder for the index (deleted at the end).
    #[arg(long, default_value = "target/bench")]
    scratch: PathBuf,
}

/// Character bigrams hashed into [`DIM`] buckets: texts sharing words get similar vectors, at
/// microseconds a text. Also the stand-in model of tests that need vectors but not meaning.
pub struct BigramHash;

impl BigramHash {
    fn embed(text: &str) -> Vec<f32> {
        let mut v = vec![0f32; DIM];
        let chars: Vec<char> = text.chars().collect();
        for pair in chars.windows(2) {
            // FNV-1a over the two code points.
            let mut h: u64 = 0xcbf29ce484222325;
            for c in pair {
                h = (h ^ u64::from(*c as u32)).wrapping_mul(0x100000001b3);
            }
            v[(h % DIM as u64) as usize] += if h >> 63 == 0 { 1.0 } else { -1.0 };
        }
        let norm = minyi_indexer::vectors::dot(&v, &v).sqrt();
        if norm == 0.0 {
            v[0] = 1.0;
        } else {
            v.iter_mut().for_each(|x| *x /= norm);
        }
        v
    }
}

impl Embedder for BigramHash {
    fn dim(&self) -> usize {
        DIM
    }

    fn embed_passages(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, ModelError> {
        Ok(texts.iter().map(|t| BigramHash::embed(t)).collect())
    }

    fn embed_query(&self, text: &str) -> Result<Vec<f32>, ModelError> {
        Ok(BigramHash::embed(text))
    }
}

pub fn run(args: VectorsBench) -> anyhow::Result<()> {
    println!("# minyi bench vectors\n");
    println!(
        "machine: {} cores; {} generated records, stand-in vectors of {DIM} numbers (hashed \
         character bigrams: no model forward pass is timed)\n",
        std::thread::available_parallelism()?,
        args.records
    );
    std::fs::create_dir_all(&args.scratch)?;
    let scratch = tempfile::tempdir_in(&args.scratch)?;
    let dir = scratch.path().join("index");
    let model = EmbeddingModel {
        name: "bench-bigram-hash".into(),
        embedder: Arc::new(BigramHash),
    };
    let records = generate(args.records);
    let started = Instant::now();
    build_index(&dir, records.iter().cloned(), Some(&model), |rows, _| {
        if rows % 10_000 == 0 {
            eprintln!("importing: {rows}/{}", args.records);
        }
    })?;
    let import_secs = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let engine = Engine::open(&dir, Some(model))?;
    println!(
        "imported in {import_secs:.0} s (tantivy and the HNSW graph); opened in {:.1} s\n",
        started.elapsed().as_secs_f64()
    );

    let step = (records.len() / args.queries.max(1)).max(1);
    let sample: Vec<&minyi_corpus::Record> =
        records.iter().step_by(step).take(args.queries).collect();
    let search = |q: &str, mode: Mode, filters: Vec<(String, String)>| SearchRequest {
        q: q.to_string(),
        mode: Some(mode),
        filters,
        ..SearchRequest::default()
    };
    let title = |r: &minyi_corpus::Record| r.title.clone().unwrap_or_else(|| r.content.clone());
    let region = |r: &minyi_corpus::Record| {
        vec![("region".to_string(), r.region.clone().unwrap_or_default())]
    };

    println!(
        "| request | requests | p50 ms | p99 ms | max ms |\n| --- | ---: | ---: | ---: | ---: |"
    );
    row("similar cases of a stored record (10)", &sample, |r| {
        engine
            .similar_to_record(&r.id, 10, &Viewer::everyone())
            .map(drop)
    })?;
    row("semantic search, no filter (top 20)", &sample, |r| {
        engine
            .search(&search(&title(r), Mode::Semantic, vec![]))
            .map(drop)
    })?;
    row("semantic search, one region (top 20)", &sample, |r| {
        engine
            .search(&search(&title(r), Mode::Semantic, region(r)))
            .map(drop)
    })?;
    row("hybrid search, no filter (top 20)", &sample, |r| {
        engine
            .search(&search(&title(r), Mode::Hybrid, vec![]))
            .map(drop)
    })?;
    // The first request after a write sees a new searcher generation.
    let mut after_write = Vec::with_capacity(sample.len().min(20));
    for r in sample.iter().take(20) {
        engine.ingest(std::iter::once(Ok((*r).clone())))?;
        let t = Instant::now();
        engine.similar_to_record(&r.id, 10, &Viewer::everyone())?;
        after_write.push(t.elapsed());
    }
    print_row(
        "similar cases, first request after a one-record import",
        after_write,
    );
    println!();
    Ok(())
}

/// Times `request` once per sampled record, after three untimed warm-up requests.
fn row<T>(
    name: &str,
    sample: &[T],
    request: impl Fn(&T) -> Result<(), EngineError>,
) -> anyhow::Result<()> {
    for item in sample.iter().take(3) {
        request(item)?;
    }
    let mut times = Vec::with_capacity(sample.len());
    for item in sample {
        let t = Instant::now();
        request(item)?;
        times.push(t.elapsed());
    }
    print_row(name, times);
    Ok(())
}

fn print_row(name: &str, mut times: Vec<Duration>) {
    times.sort();
    let pct = |p: f64| percentile_ms(&times, p);
    println!(
        "| {name} | {} | {:.1} | {:.1} | {:.1} |",
        times.len(),
        pct(0.50),
        pct(0.99),
        pct(1.0)
    );
}
