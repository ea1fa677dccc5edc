//! `minyi bench load`: concurrent clients for a bounded time against a real `minyi serve` on
//! loopback, in the mix an office makes: lexical and hybrid searches, record reads, similar
//! cases, the hot-issue list, one-record ingests, and malformed requests.
//!
//! The server is this same binary started as a child process, so that its memory is measured
//! apart from the clients'. Requests in the warm-up are not counted; the server's resident memory
//! at its end is the baseline for growth. An answer is an error when it is not what that request
//! should get: a 200 for the good ones, a 4xx for the malformed ones, a 200 or a 503 with
//! `Retry-After` for the hot-issue list (shed, counted apart). A request whose connection failed
//! or was cut is a dropped connection.

use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use minyi_corpus::Record;
use minyi_indexer::MinyiIndex;
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use reqwest::{Method, StatusCode, Url};

use super::{QUERIES, build_index, generate, load_average, percentile_ms, sample_records};
use crate::model::ModelArgs;

/// Options of `minyi bench load`.
#[derive(Debug, clap::Args)]
pub struct LoadBench {
    /// The index to serve; one-record ingests add records `LOAD-…` to it. Without it, an index
    /// of `--records` generated records is built in `--scratch`.
    #[arg(long)]
    index: Option<PathBuf>,
    /// Size of the generated corpus, without `--index`.
    #[arg(long, default_value_t = 5000)]
    records: usize,
    /// Concurrent clients, each sending its next request when the last is answered.
    #[arg(long, default_value_t = 16)]
    clients: usize,
    /// Length of the run, warm-up included.
    #[arg(long, default_value_t = 180)]
    seconds: u64,
    /// Seconds at the start that are not counted.
    #[arg(long, default_value_t = 20)]
    warmup: u64,
    #[command(flatten)]
    model: ModelArgs,
    /// Scratch folder for the generated index (deleted at the end).
    #[arg(long, default_value = "target/bench-load")]
    scratch: PathBuf,
}

/// The kinds of request in the mix, with their share of it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Lexical,
    Hybrid,
    Record,
    Similar,
    HotIssues,
    Ingest,
    Malformed,
}

const MIX: [(Kind, u32); 7] = [
    (Kind::Lexical, 30),
    (Kind::Hybrid, 20),
    (Kind::Record, 15),
    (Kind::Similar, 10),
    (Kind::HotIssues, 5),
    (Kind::Ingest, 10),
    (Kind::Malformed, 10),
];

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Lexical => "lexical search",
            Kind::Hybrid => "hybrid search",
            Kind::Record => "record read",
            Kind::Similar => "similar cases",
            Kind::HotIssues => "hot issues (heavy)",
            Kind::Ingest => "one-record POST",
            Kind::Malformed => "malformed request",
        }
    }
}

/// What one kind of request got.
#[derive(Default)]
struct Tally {
    times: Vec<Duration>,
    errors: u64,
    dropped: u64,
    shed: u64,
    /// Answers marked `stale` (a hot-issue list of an earlier commit).
    stale: u64,
}

/// Whether an answer is a list marked `"stale": true`.
fn is_stale(text: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(text)
        .is_ok_and(|answer| answer["stale"] == serde_json::Value::Bool(true))
}

/// Requests that must be refused with a 4xx: (method, path, content type, body).
const MALFORMED: &[(&str, &str, &str, &str)] = &[
    ("GET", "/api/search?q=%E8%B7%AF%E7%81%AF&limit=abc", "", ""),
    ("GET", "/api/search?q=x&from=2024-13-45", "", ""),
    ("GET", "/api/search?q=x&mode=nonsense", "", ""),
    (
        "POST",
        "/api/records",
        "application/json",
        r#"[{"id": "x", "content": "#,
    ),
    ("POST", "/api/records", "application/pdf", "%PDF-1.4"),
    ("POST", "/api/similar", "application/json", "{}"),
];

/// `minyi serve` as a child process, killed when dropped.
struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start(index: &Path, model: &ModelArgs) -> anyhow::Result<Server> {
        let addr = TcpListener::bind("127.0.0.1:0")?.local_addr()?;
        let mut command = Command::new(std::env::current_exe()?);
        command
            .args(["serve", "--addr", &addr.to_string(), "--index"])
            .arg(index)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        if model.no_model {
            command.arg("--no-model");
        }
        if let Some(path) = &model.model {
            command.arg("--model").arg(path);
        }
        let mut child = command.spawn().context("starting minyi serve")?;
        let stderr = BufReader::new(child.stderr.take().context("the server's stderr")?);
        let mut server = Server { child, addr };
        let mut lines = stderr.lines();
        loop {
            match lines.next().transpose()? {
                Some(line) if line.starts_with("minyi serving") => break,
                Some(_) => {}
                None => bail!(
                    "the server exited before serving: {:?}",
                    server.child.wait()
                ),
            }
        }
        // Keep reading, so that the server never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        Ok(server)
    }

    /// The server's resident memory in MB, from /proc.
    fn rss_mb(&self) -> f64 {
        std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .ok()
            .and_then(|s| {
                let line = s.lines().find(|l| l.starts_with("VmRSS:"))?.to_string();
                line.split_whitespace().nth(1)?.parse::<f64>().ok()
            })
            .map_or(f64::NAN, |kb| kb / 1024.0)
    }
}

/// Record ids to read and find similar cases of: the first `n` records of the index.
fn some_ids(index: &Path, n: usize) -> anyhow::Result<Vec<String>> {
    let opened = MinyiIndex::open(index)?;
    let searcher = opened.reader()?.searcher();
    let mut ids = Vec::with_capacity(n);
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        for doc in segment.doc_ids_alive().take(n - ids.len()) {
            let address = tantivy::DocAddress::new(ord as u32, doc);
            ids.push(opened.record(&searcher, address)?.id);
        }
    }
    anyhow::ensure!(!ids.is_empty(), "the index {} is empty", index.display());
    Ok(ids)
}

pub fn run(args: LoadBench) -> anyhow::Result<()> {
    let index = match &args.index {
        Some(index) => index.clone(),
        None => {
            let dir = args.scratch.join("index");
            let _ = std::fs::remove_dir_all(&args.scratch);
            eprintln!("building an index of {} generated records", args.records);
            build_index(
                &dir,
                generate(args.records),
                args.model.load()?.as_ref(),
                |_, _| {},
            )?;
            dir
        }
    };
    let token = minyi_store::Store::open(&index)?
        .add_token(
            &format!("bench-load-{}", std::process::id()),
            minyi_store::Role::Staff,
            &[],
        )?
        .secret;
    let ids = some_ids(&index, 2000)?;
    let server = Server::start(&index, &args.model)?;
    let runtime = tokio::runtime::Runtime::new()?;
    let report = runtime.block_on(drive(&args, &server, token, ids));
    if args.index.is_none() {
        drop(server);
        let _ = std::fs::remove_dir_all(&args.scratch);
    }
    report
}

/// Runs the clients against `server` and prints the report.
async fn drive(
    args: &LoadBench,
    server: &Server,
    token: String,
    ids: Vec<String>,
) -> anyhow::Result<()> {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()?;
    let base = Url::parse(&format!("http://{}/", server.addr))?;
    let health: serde_json::Value = client
        .get(base.join("healthz")?)
        .send()
        .await?
        .json()
        .await?;
    let semantic = health["semantic"].as_bool() == Some(true);
    let rss_start = server.rss_mb();
    let started = Instant::now();
    let warm = started + Duration::from_secs(args.warmup);
    let end = started + Duration::from_secs(args.seconds.max(args.warmup + 1));
    let bodies = sample_records();
    let mut tasks = Vec::new();
    for c in 0..args.clients {
        let client = Client {
            http: client.clone(),
            base: base.clone(),
            token: token.clone(),
            semantic,
        };
        let (ids, bodies) = (ids.clone(), bodies.clone());
        tasks.push(tokio::spawn(async move {
            client.run(c, &ids, &bodies, warm, end).await
        }));
    }
    tokio::time::sleep_until(warm.into()).await;
    let rss_warm = server.rss_mb();
    let mut tallies: Vec<(Kind, Tally)> = MIX.iter().map(|(k, _)| (*k, Tally::default())).collect();
    let mut samples = Vec::new();
    for task in tasks {
        let (client_tallies, client_samples) = task.await?;
        for ((_, total), (_, part)) in tallies.iter_mut().zip(client_tallies) {
            total.times.extend(part.times);
            total.errors += part.errors;
            total.dropped += part.dropped;
            total.shed += part.shed;
            total.stale += part.stale;
        }
        samples.extend(client_samples);
    }
    let rss_end = server.rss_mb();
    let measured = end.duration_since(warm).as_secs_f64();
    report(args, semantic, measured, &mut tallies, &samples);
    println!(
        "\nserver memory (RSS): {rss_start:.0} MB at start, {rss_warm:.0} MB after the warm-up, \
         {rss_end:.0} MB at the end: {:+.1}% after the warm-up",
        (rss_end / rss_warm - 1.0) * 100.0
    );
    println!("load average at the end: {}", load_average());
    Ok(())
}

fn report(
    args: &LoadBench,
    semantic: bool,
    seconds: f64,
    tallies: &mut [(Kind, Tally)],
    samples: &[String],
) {
    println!(
        "\n{} clients, {:.0} s measured after {} s of warm-up; hybrid searches {}\n",
        args.clients,
        seconds,
        args.warmup,
        if semantic {
            "hybrid"
        } else {
            "lexical (no semantic search on this server)"
        }
    );
    println!("| request | answered | per s | p50 ms | p99 ms | errors | dropped | 503 |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    let (mut all, mut errors, mut dropped, mut heavy, mut shed, mut stale) = (0, 0, 0, 0, 0, 0);
    for (kind, tally) in tallies.iter_mut() {
        tally.times.sort();
        let n = tally.times.len();
        let pct = |p| {
            if n == 0 {
                f64::NAN
            } else {
                percentile_ms(&tally.times, p)
            }
        };
        println!(
            "| {} | {n} | {:.1} | {:.0} | {:.0} | {} | {} | {} |",
            kind.name(),
            n as f64 / seconds,
            pct(0.5),
            pct(0.99),
            tally.errors,
            tally.dropped,
            tally.shed
        );
        all += n as u64 + tally.shed;
        errors += tally.errors;
        dropped += tally.dropped;
        if *kind == Kind::HotIssues {
            heavy = n as u64 + tally.shed;
            shed = tally.shed;
            stale = tally.stale;
        }
    }
    println!(
        "\n{:.1} requests/s; errors {errors}, dropped connections {dropped}, shed {shed} of {heavy} heavy ({:.1}%); {stale} hot-issue lists answered stale (of an earlier commit, while the list is grouped again or rests)",
        all as f64 / seconds,
        if heavy == 0 {
            0.0
        } else {
            shed as f64 * 100.0 / heavy as f64
        }
    );
    for sample in samples.iter().take(8) {
        println!("  {sample}");
    }
}

/// One client: the shared HTTP connection pool, the server and the staff token.
struct Client {
    http: reqwest::Client,
    base: Url,
    token: String,
    semantic: bool,
}

impl Client {
    /// `/api/` followed by `segments`, each percent-encoded, with the `query` pairs.
    fn url(&self, segments: &[&str], query: &[(&str, &str)]) -> Url {
        let mut url = self.base.clone();
        url.path_segments_mut()
            .expect("an http URL")
            .push("api")
            .extend(segments);
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        url
    }

    /// Sends requests until `end`; counts those answered after `warm`. Returns the tallies in
    /// [`MIX`] order and a few errors as examples.
    async fn run(
        &self,
        c: usize,
        ids: &[String],
        bodies: &[Record],
        warm: Instant,
        end: Instant,
    ) -> (Vec<(Kind, Tally)>, Vec<String>) {
        let mut rng = StdRng::seed_from_u64(c as u64);
        let mut tallies: Vec<(Kind, Tally)> =
            MIX.iter().map(|(k, _)| (*k, Tally::default())).collect();
        let mut samples = Vec::new();
        let mut n = 0;
        while Instant::now() < end {
            let kind = MIX
                .choose_weighted(&mut rng, |(_, w)| *w)
                .expect("weights")
                .0;
            let id = ids.choose(&mut rng).expect("ids");
            let query = QUERIES.choose(&mut rng).expect("queries");
            let mode = if kind == Kind::Hybrid && self.semantic {
                "hybrid"
            } else {
                "lexical"
            };
            let search = [("q", *query), ("mode", mode)];
            let (method, url, content_type, body) = match kind {
                Kind::Lexical | Kind::Hybrid => {
                    ("GET", self.url(&["search"], &search), "", String::new())
                }
                Kind::Record => ("GET", self.url(&["records", id], &[]), "", String::new()),
                Kind::Similar => (
                    "GET",
                    self.url(&["records", id, "similar"], &[]),
                    "",
                    String::new(),
                ),
                Kind::HotIssues => ("GET", self.url(&["issues"], &[]), "", String::new()),
                Kind::Ingest => {
                    n += 1;
                    let mut record = bodies.choose(&mut rng).expect("sample").clone();
                    record.id = format!("LOAD-{}-{c}-{n}", std::process::id());
                    record.content.push_str(&format!("（压测第{n}条）"));
                    let body = serde_json::to_string(&[record]).expect("a record serialises");
                    (
                        "POST",
                        self.url(&["records"], &[]),
                        "application/json",
                        body,
                    )
                }
                Kind::Malformed => {
                    let (m, p, t, b) = MALFORMED.choose(&mut rng).expect("malformed");
                    let url = self.base.join(p).expect("a malformed request's URL");
                    (*m, url, *t, b.to_string())
                }
            };
            let path = match url.query() {
                Some(query) => format!("{}?{query}", url.path()),
                None => url.path().to_string(),
            };
            let t = Instant::now();
            let outcome = self.send(method, url, content_type, body).await;
            let elapsed = t.elapsed();
            if t < warm {
                continue;
            }
            let tally = &mut tallies
                .iter_mut()
                .find(|(k, _)| *k == kind)
                .expect("kind")
                .1;
            match outcome {
                Err(e) => {
                    tally.dropped += 1;
                    samples.push(format!("{} {path}: {e}", kind.name()));
                }
                Ok((status, retry_after, text)) => match judge(kind, status, retry_after) {
                    Verdict::Answered => {
                        tally.times.push(elapsed);
                        tally.stale += u64::from(is_stale(&text));
                    }
                    Verdict::Shed => tally.shed += 1,
                    Verdict::Wrong => {
                        tally.errors += 1;
                        let text: String = text.chars().take(200).collect();
                        samples.push(format!("{} {path}: {status} {text}", kind.name()));
                    }
                },
            }
        }
        samples.truncate(4);
        (tallies, samples)
    }

    /// Sends one request and reads the whole answer: its status, whether it said
    /// `Retry-After`, and its text.
    async fn send(
        &self,
        method: &str,
        url: Url,
        content_type: &str,
        body: String,
    ) -> Result<(StatusCode, bool, String), reqwest::Error> {
        let method = Method::from_bytes(method.as_bytes()).expect("a method");
        let mut request = self.http.request(method, url).bearer_auth(&self.token);
        if !content_type.is_empty() {
            request = request
                .header(reqwest::header::CONTENT_TYPE, content_type)
                .body(body);
        }
        let response = request.send().await?;
        let status = response.status();
        let retry_after = response
            .headers()
            .contains_key(reqwest::header::RETRY_AFTER);
        Ok((status, retry_after, response.text().await?))
    }
}

enum Verdict {
    Answered,
    Shed,
    Wrong,
}

fn judge(kind: Kind, status: StatusCode, retry_after: bool) -> Verdict {
    match kind {
        Kind::Malformed if status.is_client_error() => Verdict::Answered,
        Kind::HotIssues if status == StatusCode::SERVICE_UNAVAILABLE && retry_after => {
            Verdict::Shed
        }
        Kind::Malformed => Verdict::Wrong,
        _ if status == StatusCode::OK => Verdict::Answered,
        _ => Verdict::Wrong,
    }
}
