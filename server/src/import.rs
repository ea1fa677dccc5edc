//! Importing files into an index: every file, every good row, one commit, rejects on disk.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};
use minyi_corpus::{FieldMapping, ReadError, RecordReader, Reject, read_path};
use minyi_indexer::{EmbeddingModel, IndexError, LearnReport, MinyiIndex, ingest};

/// What an import did, for the summary line and the exit code.
#[derive(Debug, Default)]
pub struct ImportSummary {
    pub rows: u64,
    pub accepted: u64,
    pub rejected: u64,
    /// Ids that occurred more than once; the last occurrence was kept.
    pub duplicate_ids: Vec<(String, u32)>,
    /// Inputs that could not be read at all.
    pub unreadable: Vec<String>,
    /// Where the rejected rows were written, when there were any.
    pub rejects_file: Option<PathBuf>,
    /// The proper names learned after the import (see `minyi entities`).
    pub names: Option<LearnReport>,
    pub elapsed: Duration,
}

/// A source of rows: a file on disk, or bytes already in memory (the bundled sample).
pub enum Input {
    File(PathBuf),
    Reader(String, RecordReader),
}

/// Expands files and folders into inputs, leaving out the files of the index being written
/// (an index folder inside an input folder holds JSON files of its own).
pub fn file_inputs(paths: &[PathBuf], index_dir: &Path) -> Result<Vec<Input>, ReadError> {
    let index_dir = index_dir
        .canonicalize()
        .unwrap_or_else(|_| index_dir.to_path_buf());
    Ok(read_path(paths)?
        .into_iter()
        .filter(|f| !f.canonicalize().is_ok_and(|f| f.starts_with(&index_dir)))
        .map(Input::File)
        .collect())
}

/// Upserts every good row of `inputs` into `index` and commits once at the end, so an
/// interrupted import leaves the index as it was; then learns the proper names the records
/// repeat (a second commit, which segments again the records holding new names; an empty
/// index learns them from the first records before writing, see `minyi_indexer::Writer`). Rejected rows
/// go to a JSON Lines file under the index's `rejects/` folder. `show_progress` draws a
/// progress line on a terminal.
pub fn import(
    index: &MinyiIndex,
    inputs: Vec<Input>,
    mapping: &FieldMapping,
    model: Option<&EmbeddingModel>,
    show_progress: bool,
) -> Result<ImportSummary, IndexError> {
    let started = Instant::now();
    let mut writer = index.writer(model)?;
    let mut summary = ImportSummary::default();
    let mut rejects: Vec<Reject> = Vec::new();
    let bar = progress_bar(show_progress);
    for input in inputs {
        let (name, reader) = match input {
            Input::Reader(name, reader) => (name, reader),
            Input::File(path) => match RecordReader::open(&path, mapping) {
                Ok(reader) => (path.display().to_string(), reader),
                Err(e) => {
                    bar.suspend(|| eprintln!("skipped: {e}"));
                    summary.unreadable.push(e.to_string());
                    continue;
                }
            },
        };
        bar.set_prefix(name);
        let (rows_before, rejects_before) = (summary.rows, rejects.len() as u64);
        let report = ingest(&mut writer, reader, |rows, rejected| {
            if rows % 1000 == 0 {
                let rows = rows_before + rows;
                let rate = rows as f64 / started.elapsed().as_secs_f64().max(1e-3);
                bar.set_message(format!(
                    "{rows} rows, {rate:.0}/s, {} rejected",
                    rejects_before + rejected as u64
                ));
            }
        })?;
        summary.rows += report.accepted
            + report.rejected.len() as u64
            + report
                .duplicate_ids
                .iter()
                .map(|(_, n)| u64::from(n - 1))
                .sum::<u64>();
        summary.accepted += report.accepted;
        summary.duplicate_ids.extend(report.duplicate_ids);
        rejects.extend(report.rejected);
    }
    bar.set_message("committing…");
    writer.commit()?;
    // A first import learned its names before writing; a later one learns them again over the
    // whole index and segments again the records holding new ones.
    let learned = writer.learned_names();
    drop(writer);
    bar.set_message("learning names…");
    summary.names = Some(match learned {
        Some(report) => report,
        None => index.learn_names()?,
    });
    bar.finish_and_clear();
    summary.rejected = rejects.len() as u64;
    if !rejects.is_empty() {
        summary.rejects_file = Some(write_rejects(&index.rejects_dir(), &rejects)?);
    }
    summary.elapsed = started.elapsed();
    Ok(summary)
}

fn progress_bar(show: bool) -> ProgressBar {
    if !show {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {elapsed_precise} {prefix}: {msg}")
            .expect("valid progress template"),
    );
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

fn write_rejects(dir: &Path, rejects: &[Reject]) -> Result<PathBuf, IndexError> {
    std::fs::create_dir_all(dir).map_err(|e| IndexError::Io {
        path: dir.display().to_string(),
        source: e,
    })?;
    let path = dir.join(format!(
        "{}.jsonl",
        chrono::Local::now().format("%Y%m%d-%H%M%S%.3f")
    ));
    let io = |e| IndexError::Io {
        path: path.display().to_string(),
        source: e,
    };
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).map_err(io)?);
    for reject in rejects {
        serde_json::to_writer(&mut file, reject).map_err(|e| io(e.into()))?;
        file.write_all(b"\n").map_err(io)?;
    }
    file.flush().map_err(io)?;
    Ok(path)
}
