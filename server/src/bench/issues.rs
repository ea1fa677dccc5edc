//! `minyi bench issues`: how well and how fast records are grouped (类案).

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::time::Instant;

use minyi_corpus::Record;
use minyi_engine::issues::{IssueList, IssueOptions, find_issues};
use minyi_engine::{Engine, SearchRequest};
use minyi_indexer::EmbeddingModel;

use super::{build_index, cpu_seconds, generate, load_average, peak_memory, sample_records};
use crate::model::ModelArgs;

/// Options of `minyi bench issues`.
#[derive(Debug, clap::Args)]
pub struct IssuesBench {
    /// Size of the generated corpus for the timing run (0 skips it).
    #[arg(long, default_value_t = 100_000)]
    records: usize,
    /// Where the real datasets are (read only; skipped when absent).
    #[arg(long, default_value = "../shared/datasets")]
    datasets: PathBuf,
    /// Where the development gold's groups are written, for `../shared/tools/score_clusters.py`.
    #[arg(long, default_value = "target/bench/dev-groups.json")]
    groups: PathBuf,
    /// Scratch folder for the indexes (deleted at the end).
    #[arg(long, default_value = "target/bench")]
    scratch: PathBuf,
    /// With a model, grouping also uses embeddings (the default model is used when installed).
    #[command(flatten)]
    model: ModelArgs,
}

const SAMPLE_ISSUES: &str = include_str!("../../../corpus/sample/issues.json");

fn engine_over(
    records: Vec<Record>,
    dir: &std::path::Path,
    model: Option<&EmbeddingModel>,
) -> anyhow::Result<Engine> {
    build_index(dir, records, model, |_, _| {})?;
    Ok(Engine::open(dir, model.cloned())?)
}

pub fn run(args: IssuesBench) -> anyhow::Result<()> {
    std::fs::create_dir_all(&args.scratch)?;
    let scratch = tempfile::tempdir_in(&args.scratch)?;
    println!("# minyi bench issues\n");

    let sample = sample_records();
    let model = args.model.load()?;
    println!(
        "grouping signals: {}\n",
        match &model {
            Some(m) => format!("words and meaning ({})", m.name),
            None => "words only (no model installed)".into(),
        }
    );
    let started = Instant::now();
    let engine = engine_over(sample, &scratch.path().join("sample"), model.as_ref())?;
    eprintln!("sample indexed in {:.1} s", started.elapsed().as_secs_f64());
    let list = find_issues(
        &engine,
        &SearchRequest::default(),
        &IssueOptions {
            min_size: 2,
            limit: usize::MAX,
        },
    )?;
    let truth: BTreeMap<String, serde_json::Value> = serde_json::from_str(SAMPLE_ISSUES)?;
    println!("## sample corpus: known issues against found groups\n");
    println!(
        "| known issue | records | best group rank | in best group | recall | precision |\n| --- | ---: | ---: | ---: | ---: | ---: |"
    );
    let (mut recall_sum, mut precision_sum) = (0.0, 0.0);
    for (name, issue) in &truth {
        let ids: Vec<&str> = issue["ids"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str())
            .collect();
        let (rank, overlap, size) = list
            .issues
            .iter()
            .enumerate()
            .map(|(rank, g)| {
                (
                    rank,
                    g.record_ids
                        .iter()
                        .filter(|id| ids.contains(&id.as_str()))
                        .count(),
                    g.size,
                )
            })
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
            .unwrap_or((0, 0, 0));
        let recall = overlap as f64 / ids.len() as f64;
        let precision = overlap as f64 / size.max(1) as f64;
        recall_sum += recall;
        precision_sum += precision;
        println!(
            "| {name} | {} | {} | {overlap} | {recall:.2} | {precision:.2} |",
            ids.len(),
            rank + 1
        );
    }
    println!(
        "\nmean recall {:.3}, mean precision {:.3} over {} known issues; {} groups of 2+ found\n",
        recall_sum / truth.len() as f64,
        precision_sum / truth.len() as f64,
        truth.len(),
        list.total_issues
    );
    print_top(&list, 15);

    score_development_gold(&args, scratch.path(), model.as_ref())?;

    let path = args.datasets.join("tipdm2020c_msgs_with_votes.jsonl");
    if path.exists() {
        let records: Vec<Record> =
            minyi_corpus::RecordReader::open(&path, &minyi_corpus::FieldMapping::default())?
                .filter_map(Result::ok)
                .collect();
        let n = records.len();
        let started = Instant::now();
        let engine = engine_over(records, &scratch.path().join("tipdm"), model.as_ref())?;
        eprintln!("tipdm indexed in {:.1} s", started.elapsed().as_secs_f64());
        let started = Instant::now();
        let list = find_issues(
            &engine,
            &SearchRequest::default(),
            &IssueOptions {
                min_size: 3,
                limit: 30,
            },
        )?;
        println!(
            "## tipdm2020c_msgs_with_votes.jsonl (附件3, {n} messages): top 30 issues (grouped in {:.2} s)\n",
            started.elapsed().as_secs_f64()
        );
        print_top(&list, 30);
    } else {
        println!(
            "tipdm datasets: absent at {} — skipped\n",
            args.datasets.display()
        );
    }

    if args.records > 0 {
        let engine = engine_over(
            generate(args.records),
            &scratch.path().join("generated"),
            None,
        )?;
        let (started, cpu_started) = (Instant::now(), cpu_seconds());
        let list = find_issues(&engine, &SearchRequest::default(), &IssueOptions::default())?;
        // CPU seconds stay comparable on a shared machine, where wall time follows the load.
        println!(
            "## generated corpus: {} records grouped in {:.1} s ({:.1} CPU seconds, load average {}; {} issues of 3+); peak memory {}\n",
            list.total_records,
            started.elapsed().as_secs_f64(),
            cpu_seconds() - cpu_started,
            load_average(),
            list.total_issues,
            peak_memory()
        );
    }
    Ok(())
}

/// The development gold: hand-labelled concrete issues of 附件4. Prints each gold issue's best
/// group (precision, recall, F1, rank), the macro F1 and how many have a group with F1 ≥ 0.5 in
/// the top 10, as `../shared/tools/score_clusters.py` does, and writes the groups to
/// `--groups` for that scorer.
fn score_development_gold(
    args: &IssuesBench,
    scratch: &std::path::Path,
    model: Option<&EmbeddingModel>,
) -> anyhow::Result<()> {
    let data = args.datasets.join("tipdm2020c_msgs_with_replies.jsonl");
    let gold = args
        .datasets
        .join("tipdm2020c_replies_concrete_issues.jsonl");
    if !data.exists() || !gold.exists() {
        println!(
            "development gold: absent at {} — skipped\n",
            args.datasets.display()
        );
        return Ok(());
    }
    let records: Vec<Record> =
        minyi_corpus::RecordReader::open(&data, &minyi_corpus::FieldMapping::default())?
            .filter_map(Result::ok)
            .collect();
    let started = Instant::now();
    let engine = engine_over(records, &scratch.join("dev"), model)?;
    eprintln!("附件4 indexed in {:.1} s", started.elapsed().as_secs_f64());
    let list = find_issues(
        &engine,
        &SearchRequest::default(),
        &IssueOptions {
            min_size: 2,
            limit: usize::MAX,
        },
    )?;
    let groups: Vec<&Vec<String>> = list.issues.iter().map(|i| &i.record_ids).collect();
    std::fs::write(&args.groups, serde_json::to_string(&groups)?)?;
    println!(
        "## development gold (附件4, {} concrete issues): groups of 2+ written to {}\n",
        std::fs::read_to_string(&gold)?.lines().count(),
        args.groups.display()
    );
    println!(
        "| gold issue | size | precision | recall | F1 | rank |\n| --- | ---: | ---: | ---: | ---: | ---: |"
    );
    let (mut f1_sum, mut top10, mut n) = (0.0, 0, 0);
    for line in std::fs::read_to_string(&gold)?
        .lines()
        .filter(|l| !l.trim().is_empty())
    {
        let issue: serde_json::Value = serde_json::from_str(line)?;
        let ids: Vec<String> = issue["ids"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|v| {
                v.as_str()
                    .map(String::from)
                    .unwrap_or_else(|| v.to_string())
            })
            .collect();
        let best = groups
            .iter()
            .enumerate()
            .map(|(rank, g)| {
                let overlap = g.iter().filter(|id| ids.contains(id)).count() as f64;
                let (p, r) = (overlap / g.len() as f64, overlap / ids.len() as f64);
                let f1 = if overlap > 0.0 {
                    2.0 * p * r / (p + r)
                } else {
                    0.0
                };
                (f1, p, r, rank)
            })
            .max_by(|a, b| a.0.total_cmp(&b.0).then(b.3.cmp(&a.3)))
            .unwrap_or((0.0, 0.0, 0.0, 0));
        n += 1;
        f1_sum += best.0;
        if best.0 >= 0.5 && best.3 < 10 {
            top10 += 1;
        }
        println!(
            "| {} | {} | {:.2} | {:.2} | {:.2} | {} |",
            issue["group"].as_str().unwrap_or_default(),
            ids.len(),
            best.1,
            best.2,
            best.0,
            best.3 + 1
        );
    }
    println!(
        "\nmacro F1 {:.3}; {top10} of {n} gold issues have a group with F1 ≥ 0.5 in the top 10\n",
        f1_sum / n.max(1) as f64
    );
    Ok(())
}

fn print_top(list: &IssueList, n: usize) {
    println!(
        "| rank | label | records | submitters | regions | first – last | heat |\n| ---: | --- | ---: | ---: | --- | --- | ---: |"
    );
    for (rank, i) in list.issues.iter().take(n).enumerate() {
        let regions: HashMap<&str, u64> = i
            .regions
            .iter()
            .map(|r| (r.value.as_str(), r.count))
            .collect();
        let mut regions: Vec<_> = regions.into_iter().collect();
        regions.sort_by_key(|r| std::cmp::Reverse(r.1));
        let regions: Vec<String> = regions
            .iter()
            .take(3)
            .map(|(r, c)| format!("{r} {c}"))
            .collect();
        println!(
            "| {} | {} | {} | {} | {} | {} – {} | {:.1} |",
            rank + 1,
            i.label,
            i.size,
            i.submitters,
            regions.join(", "),
            i.first_at.map(|d| d.date().to_string()).unwrap_or_default(),
            i.last_at.map(|d| d.date().to_string()).unwrap_or_default(),
            i.heat
        );
    }
    println!();
}
