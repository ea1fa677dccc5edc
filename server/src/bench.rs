//! `minyi bench`: import throughput and query latency, against a plain tantivy baseline.
//!
//! Three corpora: the real messages in `../shared/datasets` (when present), and a generated corpus
//! of any size whose sentences are recombined from the bundled sample corpus with invented place
//! names, so its vocabulary grows with its size as a real archive's does. The baseline indexes the
//! same records with tantivy's default tokenizer, which treats a run of Chinese characters as one
//! token: fast, and blind to words, so the cost of Chinese segmentation is visible.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use minyi_corpus::read::Format;
use minyi_corpus::{FieldMapping, Record, RecordReader};
use minyi_indexer::{MinyiIndex, ingest};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::QueryParser;
use tantivy::schema::{STORED, STRING, Schema, TEXT};

use crate::engine::{Engine, SearchRequest};

const SAMPLE_CORPUS: &[u8] = include_bytes!("../../corpus/sample/records.jsonl");
const TIPDM_FILES: &[&str] = &[
    "tipdm2020c_msgs_with_votes.jsonl",
    "tipdm2020c_msgs_with_replies.jsonl",
    "tipdm2020c_msgs_testset_unlabeled.jsonl",
];
/// Queries as staff type them: words, unspaced phrases, quoted phrases, fields, exclusions, OR.
const QUERIES: &[&str] = &[
    "噪音",
    "广场舞",
    "夜间施工 渣土车",
    "广场舞噪音",
    "\"夜间施工\"",
    "路灯 OR 照明",
    "电梯 -物业费",
    "region:青山区 路灯",
    "社保 缴费基数",
    "停车 消防通道",
    "小区 物业 维修资金",
    "公交 线路",
    "学校 拥堵",
    "油烟",
    "自来水 发黄",
    "养老",
];

/// What `minyi bench` measures.
#[derive(Debug, clap::Subcommand)]
pub enum BenchCommand {
    /// Import throughput and query latency, against plain tantivy.
    Search(SearchBench),
    /// 类案 grouping: agreement with the sample corpus's known issues, the top issues of the real
    /// messages, and grouping time on a generated corpus.
    Issues(IssuesBench),
    /// Embedding quality on real data (kNN category accuracy, sentence-pair AUC), embedding
    /// speed and memory, and query latency per mode.
    Semantic(crate::bench_semantic::SemanticBench),
    /// Embedding speed only: sentences/s for short and long texts, and peak memory.
    Embed(crate::bench_semantic::EmbedBench),
    /// Latency of similar cases and semantic search on a large generated index, with stand-in
    /// vectors (no model needed).
    Vectors(crate::bench_vectors::VectorsBench),
}

pub fn run(command: BenchCommand) -> anyhow::Result<()> {
    match command {
        BenchCommand::Search(args) => search_bench(args),
        BenchCommand::Issues(args) => crate::issues::bench::run(args),
        BenchCommand::Semantic(args) => crate::bench_semantic::run(args),
        BenchCommand::Embed(args) => crate::bench_semantic::run_embed(args),
        BenchCommand::Vectors(args) => crate::bench_vectors::run(args),
    }
}

pub use crate::issues::bench::IssuesBench;

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

fn search_bench(args: SearchBench) -> anyhow::Result<()> {
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
    let http = http_latency(engine, args.clients, args.requests)?;
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

pub(crate) fn read_tipdm(datasets: &Path) -> anyhow::Result<Vec<Record>> {
    let mut records = Vec::new();
    for file in TIPDM_FILES {
        let path = datasets.join(file);
        if !path.exists() {
            continue;
        }
        let reader = RecordReader::open(&path, &FieldMapping::default())?;
        // Ids repeat across the competition's attachments: prefix them with the file.
        records.extend(reader.filter_map(Result::ok).map(|mut r| {
            r.id = format!("{file}:{}", r.id);
            r
        }));
    }
    Ok(records)
}

/// Imports `records` into minyi and into the baseline, printing one table.
fn import_table(records: &[Record], dir: &Path) -> anyhow::Result<()> {
    println!("| index | records/s | seconds | size on disk |\n| --- | ---: | ---: | ---: |");
    let started = Instant::now();
    {
        let index = MinyiIndex::open_or_create(&dir.join("minyi"), None)?;
        let mut writer = index.writer(None)?;
        ingest(&mut writer, records.iter().cloned().map(Ok), |_, _| {})?;
        writer.commit()?;
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "| minyi (jieba, search mode, positions) | {:.0} | {secs:.1} | {} |",
        records.len() as f64 / secs,
        disk_size(&dir.join("minyi"))
    );
    let started = Instant::now();
    baseline_import(records, &dir.join("baseline"))?;
    let secs = started.elapsed().as_secs_f64();
    println!(
        "| plain tantivy (default tokenizer) | {:.0} | {secs:.1} | {} |\n",
        records.len() as f64 / secs,
        disk_size(&dir.join("baseline"))
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

/// Sentences of the sample corpus recombined, with invented places, dates and numbers.
pub(crate) fn generate(n: usize) -> Vec<Record> {
    let sample: Vec<Record> = RecordReader::from_bytes(
        "sample",
        Format::Json,
        SAMPLE_CORPUS.to_vec(),
        &FieldMapping::default(),
    )
    .expect("the bundled sample reads")
    .filter_map(Result::ok)
    .collect();
    let sentences: Vec<&str> = sample
        .iter()
        .flat_map(|r| r.content.split_inclusive(['。', '！', '？']))
        .filter(|s| s.chars().count() > 4)
        .collect();
    let titles: Vec<&str> = sample.iter().filter_map(|r| r.title.as_deref()).collect();
    const SYLLABLES: &[&str] = &[
        "和", "平", "幸", "福", "锦", "绣", "金", "桂", "翠", "湖", "星", "河", "柳", "塘", "滨",
        "江", "东", "南", "西", "北", "阳", "光", "春", "华", "明", "德", "长", "安", "新", "兴",
        "盛", "景", "园", "泰", "康", "宁", "青", "山", "石", "桥",
    ];
    const PLACES: &[&str] = &[
        "小区", "路", "街道", "村", "社区", "花园", "公园", "市场", "小学", "中学",
    ];
    const REGIONS: &[&str] = &["青山区", "江南区", "城北区", "高新区", "临河县", "东湖区"];
    let mut rng = StdRng::seed_from_u64(20241129);
    (0..n)
        .map(|i| {
            let place = format!(
                "{}{}{}",
                SYLLABLES.choose(&mut rng).expect("syllables"),
                SYLLABLES.choose(&mut rng).expect("syllables"),
                PLACES.choose(&mut rng).expect("places")
            );
            let mut content = place.clone();
            for _ in 0..rng.random_range(2..6) {
                content.push_str(sentences.choose(&mut rng).expect("sentences"));
            }
            let template = sample.choose(&mut rng).expect("sample records");
            let mut r = template.clone();
            r.id = format!("G{i:08}");
            r.title = titles.choose(&mut rng).map(|t| format!("{place}{t}"));
            r.content = content;
            r.region = REGIONS.choose(&mut rng).map(|s| s.to_string());
            r.submitter = Some(format!("U{:07}", rng.random_range(0..n.max(1) / 3 + 1)));
            r.submitted_at = chrono::NaiveDate::from_ymd_opt(2024, 1, 1)
                .and_then(|d| d.checked_add_days(chrono::Days::new(rng.random_range(0..730))))
                .and_then(|d| d.and_hms_opt(rng.random_range(7..22), rng.random_range(0..60), 0));
            r.reply = None;
            r
        })
        .collect()
}

/// Milliseconds at quantile `p` of sorted `times`.
pub(crate) fn percentile_ms(times: &[Duration], p: f64) -> f64 {
    let i = ((times.len() as f64 * p).ceil() as usize).clamp(1, times.len()) - 1;
    times[i].as_secs_f64() * 1000.0
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

fn http_latency(engine: Arc<Engine>, clients: usize, requests: usize) -> anyhow::Result<Latencies> {
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        tokio::spawn(async move { axum::serve(listener, crate::api::router(engine)).await });
        let client = reqwest::Client::new();
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

fn disk_size(dir: &Path) -> String {
    fn walk(p: &Path) -> u64 {
        std::fs::read_dir(p)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| match e.metadata() {
                Ok(m) if m.is_dir() => walk(&e.path()),
                Ok(m) => m.len(),
                Err(_) => 0,
            })
            .sum()
    }
    format!("{:.0} MB", walk(dir) as f64 / 1e6)
}

fn proc_status(key: &str, file: &str) -> String {
    std::fs::read_to_string(file)
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(key))
                .map(|l| l[key.len()..].trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into())
}

pub(crate) fn peak_memory() -> String {
    proc_status("VmHWM:", "/proc/self/status")
}

fn memory_total() -> String {
    format!("{} memory", proc_status("MemTotal:", "/proc/meminfo"))
}
