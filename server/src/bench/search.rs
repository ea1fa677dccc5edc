//! `minyi bench search`: import throughput and query latency, against a plain tantivy baseline.
//!
//! Two corpora: the real messages (when present) and the generated corpus of any size, whose
//! vocabulary grows with its size as a real archive's does. The baseline indexes the same records
//! with tantivy's default tokenizer, which treats a run of Chinese characters as one token: fast,
//! and blind to words, so the cost of Chinese segmentation is visible.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use minyi_corpus::Record;
use minyi_engine::{Engine, SearchRequest};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::QueryParser;
use tantivy::schema::{STORED, STRING, Schema, TEXT};

use super::{
    QUERIES, build_index, cpu_seconds, disk_size, generate, load_average, memory_total,
    peak_memory, percentile_ms, read_tipdm,
};

/// Options of `minyi bench search`.
#[derive(Debug, clap::Args)]
pub struct SearchBench {
    /// Size of the generated corpus.
    #[arg(long, default_value_t = 1_000_000)]
    records: usize,
    /// Concurrent HTTP clients for the latency run.
    #[arg(long, default_value_t = 4)]
    clients: usize,
    /// HTTP requests in the latency run.
    #[arg(long, default_value_t = 4000)]
    requests: usize,
    /// Where the real datasets are (read only; skipped when absent).
    #[arg(long, default_value = "../shared/datasets")]
    datasets: PathBuf,
    /// Scratch folder for the indexes (deleted at the end).
    #[arg(long, default_value = "target/bench")]
    scratch: PathBuf,
}

pub fn run(args: SearchBench) -> anyhow::Result<()> {
    std::fs::create_dir_all(&args.scratch)?;
    let scratch = tempfile::tempdir_in(&args.scratch)?;
    println!("# minyi bench\n");
    println!(
        "machine: {} cores, {}\n",
        std::thread::available_parallelism()?,
        memory_total()
    );

    let tipdm = read_tipdm(&args.datasets)?;
    if tipdm.is_empty() {
        println!(
            "tipdm datasets: absent at {} — skipped\n",
            args.datasets.display()
        );
    } else {
        println!(
            "## tipdm messages ({} records from {})\n",
            tipdm.len(),
            args.datasets.display()
        );
        import_table(&tipdm, &scratch.path().join("tipdm"))?;
    }

    println!("## generated corpus ({} records)\n", args.records);
    let started = Instant::now();
    let generated = generate(args.records);
    let chars: usize = generated.iter().map(|r| r.content.chars().count()).sum();
    println!(
        "generated in {:.1} s, mean {} characters a record\n",
        started.elapsed().as_secs_f64(),
        chars / generated.len().max(1)
    );
    let dir = scratch.path().join("generated");
    import_table(&generated, &dir)?;
    drop(generated);

    let engine = Arc::new(Engine::open(&dir.join("minyi"), None)?);
    println!("## query latency over the generated corpus\n");
    println!(
        "| run | requests | p50 ms | p99 ms | max ms | req/s |\n| --- | ---: | ---: | ---: | ---: | ---: |"
    );
    let serial = in_process_latency(&engine, args.requests.min(2000))?;
    println!("{}", serial.row("minyi engine, in process, 1 thread"));
    let baseline = baseline_latency(&dir.join("baseline"), args.requests.min(2000))?;
    println!(
        "{}",
        baseline.row("plain tantivy (default tokenizer), in process, 1 thread")
    );
    let http = http_latency(engine, &dir.join("minyi"), args.clients, args.requests)?;
    println!(
        "{}",
        http.row(&format!(
            "minyi HTTP /api/search, {} concurrent clients",
            args.clients
        ))
    );
    println!("\npeak memory (VmHWM): {}", peak_memory());
    Ok(())
}

/// Imports `records` into minyi and into the baseline, printing one table. Records per
/// CPU-second (all threads) stays comparable on a machine shared with other work, where
/// wall-clock speed follows the load; the load average is printed with each row.
fn import_table(records: &[Record], dir: &Path) -> anyhow::Result<()> {
    println!(
        "| index | records/s | seconds | records per CPU-second | CPU seconds | size on disk | load average |\n\
         | --- | ---: | ---: | ---: | ---: | ---: | --- |"
    );
    let row = |name: &str, import: &dyn Fn() -> anyhow::Result<()>, at: &Path| {
        let (started, cpu_started) = (Instant::now(), cpu_seconds());
        import()?;
        let (secs, cpu) = (started.elapsed().as_secs_f64(), cpu_seconds() - cpu_started);
        println!(
            "| {name} | {:.0} | {secs:.1} | {:.0} | {cpu:.1} | {} | {} |",
            records.len() as f64 / secs,
            records.len() as f64 / cpu,
            disk_size(at),
            load_average()
        );
        anyhow::Ok((records.len() as f64 / secs, records.len() as f64 / cpu))
    };
    let minyi = dir.join("minyi");
    let (minyi_wall, minyi_cpu) = row(
        "minyi (jieba, search mode, positions)",
        &|| build_index(&minyi, records.iter().cloned(), None, |_, _| {}),
        &minyi,
    )?;
    let baseline = dir.join("baseline");
    let (plain_wall, plain_cpu) = row(
        "plain tantivy (default tokenizer)",
        &|| baseline_import(records, &baseline),
        &baseline,
    )?;
    println!(
        "\nminyi / plain tantivy: {:.3} in records/s, {:.3} in records per CPU-second\n",
        minyi_wall / plain_wall,
        minyi_cpu / plain_cpu
    );
    Ok(())
}

fn baseline_import(records: &[Record], dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut schema = Schema::builder();
    let id = schema.add_text_field("id", STRING | STORED);
    let title = schema.add_text_field("title", TEXT | STORED);
    let content = schema.add_text_field("content", TEXT | STORED);
    let index = tantivy::Index::create_in_dir(dir, schema.build())?;
    let mut writer: tantivy::IndexWriter = index.writer(256 * 1024 * 1024)?;
    for r in records {
        let mut doc = tantivy::TantivyDocument::new();
        doc.add_text(id, &r.id);
        doc.add_text(title, r.title.as_deref().unwrap_or(""));
        doc.add_text(content, &r.content);
        writer.add_document(doc)?;
    }
    writer.commit()?;
    Ok(())
}

struct Latencies(Vec<Duration>, Duration);

impl Latencies {
    fn row(mut self, name: &str) -> String {
        self.0.sort();
        let pct = |p: f64| percentile_ms(&self.0, p);
        format!(
            "| {name} | {} | {:.2} | {:.2} | {:.2} | {:.0} |",
            self.0.len(),
            pct(0.50),
            pct(0.99),
            pct(1.0),
            self.0.len() as f64 / self.1.as_secs_f64()
        )
    }
}

fn in_process_latency(engine: &Engine, n: usize) -> anyhow::Result<Latencies> {
    let started = Instant::now();
    let mut times = Vec::with_capacity(n);
    for i in 0..n {
        let req = SearchRequest {
            q: QUERIES[i % QUERIES.len()].to_string(),
            ..SearchRequest::default()
        };
        let t = Instant::now();
        engine.search(&req)?;
        times.push(t.elapsed());
    }
    Ok(Latencies(times, started.elapsed()))
}

fn baseline_latency(dir: &Path, n: usize) -> anyhow::Result<Latencies> {
    let index = tantivy::Index::open_in_dir(dir)?;
    let schema = index.schema();
    let fields = vec![schema.get_field("title")?, schema.get_field("content")?];
    let parser = QueryParser::for_index(&index, fields);
    let searcher = index.reader()?.searcher();
    let started = Instant::now();
    let mut times = Vec::with_capacity(n);
    for i in 0..n {
        // Field syntax differs; the baseline searches the words only.
        let q = QUERIES[i % QUERIES.len()].replace("region:青山区 ", "");
        let t = Instant::now();
        let query = parser.parse_query(&q)?;
        searcher.search(&query, &(TopDocs::with_limit(20).order_by_score(), Count))?;
        times.push(t.elapsed());
    }
    Ok(Latencies(times, started.elapsed()))
}

/// Searches over HTTP as a staff token: each request is authenticated and written to the audit
/// log (fsync'd), as in production.
fn http_latency(
    engine: Arc<Engine>,
    index: &Path,
    clients: usize,
    requests: usize,
) -> anyhow::Result<Latencies> {
    let token = minyi_store::Store::open(index)?
        .add_token("bench", minyi_store::Role::Staff, &[])?
        .secret;
    let access = Arc::new(crate::api::Access::open(index, false)?);
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let app = crate::api::router(engine, access)
            .into_make_service_with_connect_info::<std::net::SocketAddr>();
        tokio::spawn(async move { axum::serve(listener, app).await });
        let mut auth = reqwest::header::HeaderMap::new();
        auth.insert(
            reqwest::header::AUTHORIZATION,
            format!("Bearer {token}").parse()?,
        );
        let client = reqwest::Client::builder().default_headers(auth).build()?;
        let started = Instant::now();
        let mut tasks = Vec::new();
        for c in 0..clients {
            let client = client.clone();
            tasks.push(tokio::spawn(async move {
                let mut times = Vec::new();
                for i in (c..requests).step_by(clients) {
                    let url = format!("http://{addr}/api/search");
                    let t = Instant::now();
                    let response = client
                        .get(&url)
                        .query(&[("q", QUERIES[i % QUERIES.len()])])
                        .send()
                        .await
                        .context("request")?;
                    anyhow::ensure!(
                        response.status().is_success(),
                        "status {}",
                        response.status()
                    );
                    response.bytes().await?;
                    times.push(t.elapsed());
                }
                anyhow::Ok(times)
            }));
        }
        let mut times = Vec::new();
        for task in tasks {
            times.extend(task.await??);
        }
        Ok(Latencies(times, started.elapsed()))
    })
}
