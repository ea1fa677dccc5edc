//! Sentence pairs (LCQMC, AFQMC): how well the cosine of two embeddings tells same-intent pairs
//! apart, as ROC AUC and the best accuracy of a threshold, with each e5 prefix.

use std::io::BufRead;
use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use minyi_corpus::normalize::normalize;
use minyi_indexer::vectors::dot;
use minyi_models::Embedder;

const PAIR_FILES: &[&str] = &["pairs_lcqmc_test.jsonl", "pairs_afqmc_dev.jsonl"];

/// The sentence-pair table: every pair file's first `pairs` pairs, with each prefix.
pub(crate) fn pairs_section(
    embedder: &dyn Embedder,
    datasets: &Path,
    pairs: usize,
) -> anyhow::Result<()> {
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
}
