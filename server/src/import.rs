//! Importing files into an index: every file, every good row, committed in checkpoints, rejects
//! on disk.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};
use minyi_corpus::{FieldMapping, ReadError, RecordReader, Reject, read_path};
use minyi_indexer::{
    Checkpoints, EmbeddingModel, IndexError, LearnReport, MinyiIndex, ingest_in_checkpoints, names,
};

/// What an import did, for the summary line and the exit code.
#[derive(Debug, Default)]
pub struct ImportSummary {
    pub rows: u64,
    pub accepted: u64,
    pub rejected: u64,
    /// Checkpoint commits made before the final one (see [`Checkpoints`]).
    pub checkpoints: u32,
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

/// Upserts every good row of `inputs` into `index`, committing at the [`Checkpoints::import`]
/// checkpoints and at the end, so an interrupted import keeps every checkpoint it reached (and
/// running it again completes it: records are replaced by id); then learns the proper names the
/// records repeat (a further commit, which segments again the records holding new names; an
/// empty index learns them from the records of its first checkpoint before writing them, see
/// `minyi_indexer::Writer`, and learns again only when the import held more).
/// Rejected rows go to a JSON Lines file under the index's `rejects/` folder. Each checkpoint
/// is told on stderr; `show_progress` also draws a progress line on a terminal. A full disk is
/// reported as [`IndexError::DiskFull`], with what was committed before.
pub fn import(
    index: &MinyiIndex,
    inputs: Vec<Input>,
    mapping: &FieldMapping,
    model: Option<&EmbeddingModel>,
    show_progress: bool,
) -> Result<ImportSummary, IndexError> {
    import_in_checkpoints(
        index,
        inputs,
        mapping,
        model,
        show_progress,
        Checkpoints::import(),
    )
}

/// [`import`], committing at `checkpoints` instead of the default ones.
pub fn import_in_checkpoints(
    index: &MinyiIndex,
    inputs: Vec<Input>,
    mapping: &FieldMapping,
    model: Option<&EmbeddingModel>,
    show_progress: bool,
    mut checkpoints: Checkpoints,
) -> Result<ImportSummary, IndexError> {
    let bar = progress_bar(show_progress);
    let result = write_all(index, inputs, mapping, model, &bar, &mut checkpoints);
    bar.finish_and_clear();
    result.map_err(|e| e.on_full_disk(index.dir(), checkpoints.committed()))
}

fn write_all(
    index: &MinyiIndex,
    inputs: Vec<Input>,
    mapping: &FieldMapping,
    model: Option<&EmbeddingModel>,
    bar: &ProgressBar,
    checkpoints: &mut Checkpoints,
) -> Result<ImportSummary, IndexError> {
    let started = Instant::now();
    let mut writer = index.writer(model)?;
    let mut summary = ImportSummary::default();
    let mut rejects: Vec<Reject> = Vec::new();
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
        bar.set_prefix(name.clone());
        let (rows_before, rejects_before) = (summary.rows, rejects.len() as u64);
        let report = ingest_in_checkpoints(&mut writer, reader, checkpoints, |p| {
            if p.checkpoint {
                bar.suspend(|| {
                    eprintln!(
                        "checkpoint: {} records committed ({name}, row {})",
                        p.committed, p.rows
                    )
                });
            }
            if p.rows % 1000 == 0 {
                let rows = rows_before + p.rows;
                let rate = rows as f64 / started.elapsed().as_secs_f64().max(1e-3);
                bar.set_message(format!(
                    "{rows} rows, {rate:.0}/s, {} rejected, {} committed",
                    rejects_before + p.rejected as u64,
                    p.committed
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
    checkpoints.commit(&mut writer)?;
    summary.checkpoints = checkpoints.count();
    // A first import learned its names before writing, from the records of its first
    // checkpoint; when those were all its records (or as many as discovery reads), learning
    // again would find the same names.
    let enough = (summary.accepted as usize).min(names::MAX_RECORDS);
    let learned = writer.learned_names().filter(|l| l.learned_from >= enough);
    drop(writer);
    bar.set_message("learning names…");
    summary.names = Some(match learned {
        Some(report) => report,
        None => index.learn_names()?,
    });
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
