//! `minyi backup`: a consistent copy of an index folder while it is served and written to.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, bail};
use minyi_indexer::MinyiIndex;

/// Copies the index at `index` into the new folder `out` ([`minyi_indexer::backup`] for its
/// committed records and vectors, [`minyi_store::backup`] for its state), opens the copy to
/// check it, and only then names it `out`: a folder called `out` is always a whole backup. A
/// failed backup removes what it wrote.
pub fn run(index: &Path, out: &Path) -> anyhow::Result<()> {
    if out.exists() {
        bail!("{} exists already: name a new folder", out.display());
    }
    let started = Instant::now();
    let partial = partial_path(out)?;
    if partial.exists() {
        // Left by a backup that was killed: never a whole one.
        std::fs::remove_dir_all(&partial)
            .with_context(|| format!("removing {}", partial.display()))?;
    }
    let result = copy_and_check(index, &partial);
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&partial);
    }
    let summary = result?;
    std::fs::rename(&partial, out)
        .with_context(|| format!("renaming {} to {}", partial.display(), out.display()))?;
    eprintln!(
        "backed up {} in {:.1} s: {summary}; restore by stopping the server and putting {} in the index folder's place",
        index.display(),
        started.elapsed().as_secs_f64(),
        out.display()
    );
    Ok(())
}

/// Where the copy is written before it is checked: beside `out`, so the rename stays on one disk.
fn partial_path(out: &Path) -> anyhow::Result<PathBuf> {
    let name = out
        .file_name()
        .with_context(|| format!("{} is not a folder name", out.display()))?;
    Ok(out.with_file_name(format!(".{}.partial", name.to_string_lossy())))
}

/// Copies `index` into `copy` and opens the copy; returns what the copy holds, in words.
fn copy_and_check(index: &Path, copy: &Path) -> anyhow::Result<String> {
    let copied = minyi_indexer::backup(index, copy)?;
    let state = minyi_store::backup(index, copy)?;
    let opened = MinyiIndex::open(copy)
        .with_context(|| format!("the copy {} does not open", copy.display()))?;
    let records = opened.reader()?.searcher().num_docs();
    if records != copied.records {
        bail!(
            "the copy {} holds {records} records, the copied commit {}",
            copy.display(),
            copied.records
        );
    }
    let mut summary = format!(
        "{records} records, {} vectors, {:.1} MB, opened and checked",
        copied.vectors,
        copied.bytes as f64 / 1e6
    );
    if state.state {
        summary.push_str("; state.sqlite (online backup, integrity checked)");
    }
    match state.audit {
        Some(minyi_store::audit::Verification::Intact { entries, .. }) => {
            summary.push_str(&format!("; audit log of {entries} entries, chain intact"))
        }
        Some(minyi_store::audit::Verification::Broken(at)) => {
            summary.push_str(&format!("; audit log copied, its chain BROKEN: {at:?}"))
        }
        None => {}
    }
    Ok(summary)
}
