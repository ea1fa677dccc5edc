//! `minyi bench semantic`: how well and how fast the embedding model matches by meaning.
//!
//! Quality is measured on real data, not on tests' toy examples: leave-one-out kNN category
//! accuracy on the labelled TipDM messages (neighbours found lexically, semantically and by the
//! fused list that 类案推荐 uses), and same-intent pair accuracy and ROC AUC on LCQMC and AFQMC
//! ([`super::pairs`]). Speed is the embedder's sentences/s ([`super::embed`]), import throughput
//! with embeddings, and query latency per mode. The datasets are read where they are
//! (`--datasets`) and never copied.

use std::collections::HashMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Context;
use minyi_corpus::Record;
use minyi_corpus::normalize::normalize;
use minyi_engine::query::Reading;
use minyi_engine::search::reciprocal_rank_fusion;
use minyi_engine::{Engine, Mode, SearchRequest, Viewer};
use minyi_indexer::EmbeddingModel;
use minyi_indexer::vectors::RecordVectors;
use tantivy::DocAddress;
use tantivy::collector::{DocSetCollector, TopDocs};
use tantivy::query::AllQuery;

use super::embed::{SPEED_BATCH, SPEED_BATCHES, speed_table};
use super::pairs::pairs_section;
use super::{BenchModel, build_index, load_average, peak_memory, percentile_ms, read_tipdm};

const LABELLED: &str = "tipdm2020c_msgs_labeled_split30.jsonl";
/// Neighbours that vote on a record's category.
const NEIGHBOURS: usize = 10;
/// How deep each list is taken before fusing, as 类案推荐 (`similar`) does for 10 cases
/// (`(limit + 1).max(FUSION_DEPTH / 4)`), so the hybrid column measures what 类案推荐 returns.
const SIMILAR_DEPTH: usize = 50;

/// Options of `minyi bench semantic`.
#[derive(Debug, clap::Args)]
pub struct SemanticBench {
    /// Where the real datasets are (read only; skipped when absent).
    #[arg(long, default_value = "../shared/datasets")]
    datasets: PathBuf,
    #[command(flatten)]
    model: BenchModel,
    /// Pairs read from each sentence-pair file (embedding is the slow part).
    #[arg(long, default_value_t = 2000)]
    pairs: usize,
    /// Queries per mode in the latency run.
    #[arg(long, default_value_t = 300)]
    queries: usize,
    /// Scratch folder for the index (deleted at the end).
    #[arg(long, default_value = "target/bench")]
    scratch: PathBuf,
    /// Keep the labelled messages' index in this folder and reuse it when it is there (the
    /// import is then not measured again).
    #[arg(long)]
    keep_index: Option<PathBuf>,
    /// Skip the embedding speed table.
    #[arg(long)]
    no_speed: bool,
}

pub fn run(args: SemanticBench) -> anyhow::Result<()> {
    println!("# minyi bench semantic\n");
    println!(
        "machine: {} cores, load average {} at the start; datasets: {}\n",
        std::thread::available_parallelism()?,
        load_average(),
        args.datasets.display()
    );
    if !args.datasets.is_dir() {
        println!("datasets: absent — skipped");
        return Ok(());
    }
    let started = Instant::now();
    let model = args.model.load()?;
    println!(
        "model: {}, loaded in {:.1} s\n",
        args.model.describe(&model),
        started.elapsed().as_secs_f64()
    );
    let messages = read_tipdm(&args.datasets)?;

    println!("## Embedding speed (batches of {SPEED_BATCH}, `passage: ` prefix)\n");
    if args.no_speed {
        println!("--no-speed — skipped\n");
    } else if messages.is_empty() {
        println!("tipdm messages: absent — skipped\n");
    } else {
        speed_table(&*model.embedder, &messages, SPEED_BATCHES, None)?;
    }
    println!(
        "peak memory (VmHWM) after loading the model and embedding: {}\n",
        peak_memory()
    );

    std::fs::create_dir_all(&args.scratch)?;
    let scratch = tempfile::tempdir_in(&args.scratch)?;
    let labelled = args.datasets.join(LABELLED);
    if labelled.exists() {
        let engine = match &args.keep_index {
            Some(dir) if dir.join("minyi.json").exists() => {
                println!("## Import with embeddings\n\nreused {}\n", dir.display());
                Engine::open_read_only(dir, Some(model.clone()))?
            }
            Some(dir) => labelled_index(&labelled, &model, dir)?,
            None => labelled_index(&labelled, &model, &scratch.path().join("split30"))?,
        };
        knn_table(&engine)?;
        if args.queries == 0 {
            println!("## Query latency per mode\n\n--queries 0 — skipped\n");
        } else {
            latency_table(&engine, &messages, args.queries)?;
        }
    } else {
        println!("## kNN category accuracy\n\n{LABELLED}: absent — skipped\n");
    }

    if args.pairs == 0 {
        println!("## Sentence pairs\n\n--pairs 0 — skipped\n");
    } else {
        pairs_section(&*model.embedder, &args.datasets, args.pairs)?;
    }
    println!(
        "\npeak memory (VmHWM) over the whole run: {}; load average {} at the end",
        peak_memory(),
        load_average()
    );
    Ok(())
}

/// Imports the labelled messages with embeddings into `dir`, prints the import throughput, and
/// opens the index with the model.
fn labelled_index(path: &Path, model: &EmbeddingModel, dir: &Path) -> anyhow::Result<Engine> {
    let file = std::fs::File::open(path).with_context(|| path.display().to_string())?;
    let mut records = Vec::new();
    for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line: serde_json::Value = serde_json::from_str(&line?)?;
        records.push(serde_json::from_value::<Record>(serde_json::json!({
            "id": format!("S{}", i + 1),
            "content": line["text"],
            "category": line["category"],
        }))?);
    }
    let n = records.len();
    let chars: usize = records.iter().map(|r| r.content.chars().count()).sum();
    let started = Instant::now();
    build_index(dir, records, Some(model), |rows, _| {
        if rows % 500 == 0 {
            eprintln!("importing: {rows}/{n}");
        }
    })?;
    let secs = started.elapsed().as_secs_f64();
    println!("## Import with embeddings ({LABELLED})\n");
    println!(
        "| records | mean characters | seconds | records/s |\n| ---: | ---: | ---: | ---: |\n\
         | {n} | {} | {secs:.0} | {:.1} |\n",
        chars / n.max(1),
        n as f64 / secs
    );
    Ok(Engine::open_read_only(dir, Some(model.clone()))?)
}

/// One indexed labelled message.
struct Labelled {
    record: Record,
    address: DocAddress,
    vector: u64,
}

fn knn_table(engine: &Engine) -> anyhow::Result<()> {
    let searcher = engine.searcher();
    let store = engine
        .index()
        .vectors()
        .context("the index holds no vectors")?;
    let mut addresses: Vec<DocAddress> = searcher
        .search(&AllQuery, &DocSetCollector)?
        .into_iter()
        .collect();
    addresses.sort();
    let vectors = RecordVectors::new(&searcher)?;
    let mut docs = Vec::with_capacity(addresses.len());
    for address in addresses {
        let vector = vectors.of(address).context("a record without a vector")?;
        docs.push(Labelled {
            record: engine.index().record(&searcher, address)?,
            address,
            vector,
        });
    }
    let by_address: HashMap<DocAddress, usize> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.address, i))
        .collect();
    let by_vector: HashMap<u64, usize> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.vector, i))
        .collect();

    let by_id: HashMap<&str, usize> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.record.id.as_str(), i))
        .collect();
    let everyone = Viewer::everyone();
    let columns = [
        "lexical (more-like-this)",
        "semantic (cosine)",
        "both lists fused by rank",
        "**similar cases** (`/api/records/{id}/similar`)",
    ];
    let mut correct = [0usize; 4];
    let mut time = [Duration::ZERO; 4];
    for (i, doc) in docs.iter().enumerate() {
        if i % 500 == 0 {
            eprintln!("kNN: {i}/{}", docs.len());
        }
        // Lists include the record itself, as 类案推荐's do; it is dropped after ranking.
        let t = Instant::now();
        let lexical: Vec<(usize, f32)> = searcher
            .search(
                &*engine.more_like_this(&doc.record)?,
                &TopDocs::with_limit(SIMILAR_DEPTH).order_by_score(),
            )?
            .into_iter()
            .filter_map(|(score, a)| by_address.get(&a).map(|&j| (j, score)))
            .collect();
        let lexical_time = t.elapsed();
        let t = Instant::now();
        let own = store
            .get(doc.vector)
            .context("a vector id past the store")?;
        let semantic: Vec<(usize, f32)> = store
            .search(
                &own,
                SIMILAR_DEPTH,
                &|id| by_vector.contains_key(&id),
                by_vector.len(),
            )
            .into_iter()
            .filter_map(|(id, cosine)| by_vector.get(&id).map(|&j| (j, cosine)))
            .collect();
        let semantic_time = t.elapsed();
        let t = Instant::now();
        let ids = |list: &[(usize, f32)]| list.iter().map(|(j, _)| *j).collect::<Vec<usize>>();
        let hybrid = reciprocal_rank_fusion(&[&ids(&lexical)[..], &ids(&semantic)[..]]);
        time[0] += lexical_time;
        time[1] += semantic_time;
        time[2] += lexical_time + semantic_time + t.elapsed();
        let t = Instant::now();
        let cases: Vec<(usize, f32)> = engine
            .similar_to_record(&doc.record.id, NEIGHBOURS, &everyone)?
            .context("a record of the index not found")?
            .hits
            .into_iter()
            .filter_map(|c| by_id.get(c.id.as_str()).map(|&j| (j, c.score)))
            .collect();
        time[3] += t.elapsed();
        for (m, list) in [lexical, semantic, hybrid, cases].into_iter().enumerate() {
            let neighbours: Vec<(usize, f32)> = list
                .into_iter()
                .filter(|(j, _)| *j != i)
                .take(NEIGHBOURS)
                .collect();
            let guess = vote(&neighbours, |j| docs[j].record.category.as_deref());
            if guess.is_some() && guess == doc.record.category.as_deref() {
                correct[m] += 1;
            }
        }
    }
    let n = docs.len();
    println!(
        "## Leave-one-out kNN@{NEIGHBOURS} category accuracy ({LABELLED}, {n} messages, 7 categories)\n"
    );
    println!(
        "Each message's {NEIGHBOURS} most similar other messages vote on its category (ties go \
         to the higher total similarity). Lexical: the more-like-this query of 类案推荐 (its 24 \
         rarest words, BM25); semantic: cosine of the stored `passage: ` embeddings; fused: both \
         lists ({SIMILAR_DEPTH} deep) by reciprocal rank; similar cases: what \
         `/api/records/{{id}}/similar` returns, through the engine, timed whole.\n"
    );
    println!("| neighbours | accuracy | ms per record |\n| --- | ---: | ---: |");
    for (m, column) in columns.iter().enumerate() {
        println!(
            "| {column} | {:.3} | {:.2} |",
            correct[m] as f64 / n.max(1) as f64,
            time[m].as_secs_f64() * 1000.0 / n.max(1) as f64
        );
    }
    println!("| reference: jieba TF-IDF cosine kNN (outside minyi) | ≈0.87 | |\n");
    Ok(())
}

/// The category most neighbours carry; ties go to the larger total score.
fn vote<'a>(
    neighbours: &[(usize, f32)],
    label: impl Fn(usize) -> Option<&'a str>,
) -> Option<&'a str> {
    let mut tally: HashMap<&str, (usize, f32)> = HashMap::new();
    for &(j, score) in neighbours {
        if let Some(l) = label(j) {
            let entry = tally.entry(l).or_default();
            entry.0 += 1;
            entry.1 += score;
        }
    }
    tally
        .into_iter()
        .max_by(|a, b| {
            a.1.0
                .cmp(&b.1.0)
                .then(a.1.1.total_cmp(&b.1.1))
                .then(b.0.cmp(a.0))
        })
        .map(|(l, _)| l)
}

/// `Engine::search` latency per mode, over titles of tipdm messages as staff would paste them.
fn latency_table(engine: &Engine, messages: &[Record], queries: usize) -> anyhow::Result<()> {
    println!("## Query latency per mode (in process, 1 client, {LABELLED} index)\n");
    let fields = engine.index().fields();
    let tokenizer = engine.index().query_tokenizer();
    // Punctuation would be query syntax (quotes, `-`, `:`, parentheses); staff's titles are words.
    let titles: Vec<String> = messages
        .iter()
        .filter_map(|r| r.title.as_deref())
        .map(|t| {
            normalize(t)
                .chars()
                .map(|c| if c.is_alphanumeric() { c } else { ' ' })
                .collect::<String>()
                .trim()
                .to_string()
        })
        .filter(|t| {
            !t.is_empty()
                && minyi_engine::query::parse(t, fields, &tokenizer, Reading::Strict).is_ok()
        })
        .collect();
    if titles.is_empty() {
        println!("tipdm message titles: absent — skipped\n");
        return Ok(());
    }
    let step = (titles.len() / queries.max(1)).max(1);
    let titles: Vec<&String> = titles.iter().step_by(step).take(queries).collect();
    println!(
        "{} queries (titles of the tipdm messages, punctuation removed), top 20 with facets and \
         snippets; semantic and hybrid include embedding the query.\n",
        titles.len()
    );
    println!(
        "| mode | queries with hits | p50 ms | p99 ms | max ms | queries/s |\n\
         | --- | ---: | ---: | ---: | ---: | ---: |"
    );
    for mode in [Mode::Lexical, Mode::Semantic, Mode::Hybrid] {
        let request = |q: &str| SearchRequest {
            q: q.to_string(),
            mode: Some(mode),
            ..SearchRequest::default()
        };
        for q in titles.iter().take(3) {
            engine.search(&request(q))?;
        }
        let mut times = Vec::with_capacity(titles.len());
        // A whole title needs all its words lexically, so most find nothing (a fast path).
        let mut answered = 0;
        for q in &titles {
            let t = Instant::now();
            let response = engine.search(&request(q))?;
            times.push(t.elapsed());
            answered += usize::from(response.total > 0);
        }
        let total: Duration = times.iter().sum();
        times.sort();
        println!(
            "| {} | {answered} | {:.1} | {:.1} | {:.1} | {:.0} |",
            serde_json::to_value(mode)?.as_str().unwrap_or_default(),
            percentile_ms(&times, 0.50),
            percentile_ms(&times, 0.99),
            percentile_ms(&times, 1.0),
            times.len() as f64 / total.as_secs_f64()
        );
    }
    println!();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vote_takes_the_majority_then_the_larger_total() {
        let labels = ["a", "b", "b", "a"];
        let label = |j: usize| Some(labels[j]);
        assert_eq!(vote(&[(0, 0.9), (1, 0.5), (2, 0.5)], label), Some("b"));
        assert_eq!(
            vote(&[(0, 0.9), (1, 0.5), (2, 0.5), (3, 0.2)], label),
            Some("a")
        );
    }
}
