//! `minyi bench embed`: the embedder's speed on short and long texts, per second and per
//! CPU-second, and peak memory.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use minyi_corpus::Record;
use minyi_corpus::normalize::normalize;
use minyi_models::Embedder;

use super::{BenchModel, cpu_seconds, load_average, peak_memory, read_tipdm};

/// Speed-test text lengths in characters: ≈48 and ≈210 tokens with the `passage: ` prefix (about
/// 700 Chinese characters make 512 tokens), the lengths PyTorch was measured at on this machine.
const SHORT_CHARS: usize = 60;
const LONG_CHARS: usize = 280;
pub(crate) const SPEED_BATCH: usize = 32;
/// Timed batches per length (after one untimed warm-up batch).
pub(crate) const SPEED_BATCHES: usize = 3;

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
pub fn run(args: EmbedBench) -> anyhow::Result<()> {
    println!(
        "# minyi bench embed\n\nmachine: {} cores, load average {} at the start\n",
        std::thread::available_parallelism()?,
        load_average()
    );
    let model = args.model.load()?;
    println!("model: {}\n", args.model.describe(&model));
    let messages = read_tipdm(&args.datasets)?;
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
        peak_memory(),
        load_average()
    );
    Ok(())
}

pub(crate) fn speed_table(
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
