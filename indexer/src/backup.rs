//! A consistent copy of an index folder while it is written to.
//!
//! Nothing is locked: the copy reads what is committed, as a reader does. tantivy never changes
//! a committed file; a commit writes new segment files and then `meta.json` (atomically), and a
//! later commit may delete files the previous one used. So the copy takes one `meta.json`, opens
//! every file it lists, checks that `meta.json` did not change meanwhile (otherwise a listed file
//! may be gone because it was merged away: it starts over), and copies from the open files, which
//! a deletion no longer affects. The vectors are synced before each commit and only appended, so
//! `vectors.log` as long as it is after reading `meta.json` holds every vector that commit's
//! records point at; the rest is unreferenced and harmless. The HNSW graph is copied when its
//! dump is still there, and rebuilt from the log at the first open otherwise.

use std::fs::File;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use tantivy::IndexMeta;
use tantivy::directory::MmapDirectory;

use crate::manifest::{EmbeddingInfo, MANIFEST_FILE, Manifest};
use crate::names::NAMES_FILE;
use crate::vectors::{GRAPH_FILE, GraphState, HEADER_BYTES, LOG_FILE, valid_log_len};
use crate::{IndexError, index::TANTIVY_DIR, index::USER_DICT_FILE};

/// How often a copy starts over because commits came between reading `meta.json` and opening
/// its files, before giving up: each attempt takes milliseconds, commits come at most some a second.
const ATTEMPTS: usize = 100;
const META_FILE: &str = "meta.json";
/// tantivy's list of the files it may delete: the copy's segment files, so that a restored
/// index removes them once merged away.
const MANAGED_FILE: &str = ".managed.json";

/// What [`backup`] copied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BackupReport {
    /// Records in the copied commit.
    pub records: u64,
    /// Vectors copied (live or not).
    pub vectors: u64,
    /// Bytes copied.
    pub bytes: u64,
}

/// Copies the last commit of the index at `dir`, with its vectors, learned names, dictionary and
/// manifest, into the new folder `out` (which must not exist). The copy is an index folder of its
/// own: open it, or put it in the original's place to restore.
pub fn backup(dir: &Path, out: &Path) -> Result<BackupReport, IndexError> {
    if !dir.join(MANIFEST_FILE).exists() {
        return Err(IndexError::NotAnIndex {
            path: dir.display().to_string(),
        });
    }
    let (meta, metas, files) = committed_files(&dir.join(TANTIVY_DIR))?;
    let mut report = BackupReport {
        records: metas.segments.iter().map(|s| u64::from(s.num_docs())).sum(),
        vectors: 0,
        bytes: 0,
    };
    let out_tantivy = out.join(TANTIVY_DIR);
    std::fs::create_dir_all(&out_tantivy).map_err(|e| IndexError::io(&out_tantivy, e))?;
    let mut names = Vec::new();
    for (name, mut file) in files {
        report.bytes += copy(&mut file, &out_tantivy.join(&name), None)?;
        names.push(name);
    }
    let managed = serde_json::to_vec(&names).expect("file names serialise");
    write(&out_tantivy.join(MANAGED_FILE), &managed)?;
    let embedding = match EmbeddingInfo::from_payload(dir, metas.payload.as_deref())? {
        Some(info) => Some(info),
        None => Manifest::read(dir)?.embedding,
    };
    if let Some(info) = embedding {
        report.vectors = copy_vectors(&dir.join(&info.folder), &out.join(&info.folder), info.dim)?;
    }
    for name in [MANIFEST_FILE, NAMES_FILE, USER_DICT_FILE] {
        match File::open(dir.join(name)) {
            Ok(mut file) => report.bytes += copy(&mut file, &out.join(name), None)?,
            Err(e) if e.kind() == ErrorKind::NotFound && name != MANIFEST_FILE => {}
            Err(e) => return Err(IndexError::io(&dir.join(name), e)),
        }
    }
    // Last: until `meta.json` is there, the copy is no index.
    write(&out_tantivy.join(META_FILE), &meta)?;
    Ok(report)
}

/// One committed `meta.json` of the tantivy folder `dir`, as bytes and read, and every file it
/// uses, opened.
type Committed = (Vec<u8>, IndexMeta, Vec<(PathBuf, File)>);

fn committed_files(dir: &Path) -> Result<Committed, IndexError> {
    let index =
        tantivy::Index::open(MmapDirectory::open(dir).map_err(tantivy::TantivyError::from)?)?;
    let meta_path = dir.join(META_FILE);
    let read_meta = || std::fs::read(&meta_path).map_err(|e| IndexError::io(&meta_path, e));
    for _ in 0..ATTEMPTS {
        let meta = read_meta()?;
        let metas = index.load_metas()?;
        if read_meta()? != meta {
            continue;
        }
        let mut files = Vec::new();
        // Candidates that never existed (a segment without positions) are not found either.
        for name in metas.list_segment_files() {
            match File::open(dir.join(&name)) {
                Ok(file) => files.push((name, file)),
                Err(e) if e.kind() == ErrorKind::NotFound => {}
                Err(e) => return Err(IndexError::io(&dir.join(&name), e)),
            }
        }
        // Unchanged: no commit came, so nothing it lists was deleted, and what was not found
        // never existed.
        if read_meta()? == meta {
            return Ok((meta, metas, files));
        }
    }
    Err(IndexError::Io {
        path: dir.display().to_string(),
        source: std::io::Error::other(format!(
            "commits came faster than a copy could take one, {ATTEMPTS} times"
        )),
    })
}

/// Copies the vector folder `from` to `to`: the graph dump when it is still there, then the log
/// cut to whole vectors of `dim` numbers. Returns the vectors copied.
fn copy_vectors(from: &Path, to: &Path, dim: usize) -> Result<u64, IndexError> {
    std::fs::create_dir_all(to).map_err(|e| IndexError::io(to, e))?;
    // The graph before the log: a dump holds only vectors that were synced before it.
    if let Some(graph) = graph_files(from)? {
        for (name, mut file) in graph {
            copy(&mut file, &to.join(name), None)?;
        }
    }
    let log_path = from.join(LOG_FILE);
    let mut log = File::open(&log_path).map_err(|e| IndexError::io(&log_path, e))?;
    let len = log
        .metadata()
        .map_err(|e| IndexError::io(&log_path, e))?
        .len();
    let whole = valid_log_len(len, dim);
    copy(&mut log, &to.join(LOG_FILE), Some(whole))?;
    Ok(whole.saturating_sub(HEADER_BYTES) / (dim as u64 * 4))
}

/// `graph.json` and the dump files it names, opened; `None` when there is no dump or a newer one
/// replaced it meanwhile (the copy then rebuilds the graph when opened).
fn graph_files(dir: &Path) -> Result<Option<Vec<(String, File)>>, IndexError> {
    let state_path = dir.join(GRAPH_FILE);
    let text = match std::fs::read_to_string(&state_path) {
        Ok(text) => text,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(IndexError::io(&state_path, e)),
    };
    let state: GraphState = serde_json::from_str(&text).map_err(|e| IndexError::Damaged {
        path: state_path.display().to_string(),
        reason: e.to_string(),
    })?;
    let mut files = Vec::new();
    for name in [GRAPH_FILE.to_string()]
        .into_iter()
        .chain(state.dump_files())
    {
        match File::open(dir.join(&name)) {
            Ok(file) => files.push((name, file)),
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(IndexError::io(&dir.join(&name), e)),
        }
    }
    Ok(Some(files))
}

/// Copies `from` (its first `limit` bytes, when given) into the new file `to`, synced.
fn copy(from: &mut File, to: &Path, limit: Option<u64>) -> Result<u64, IndexError> {
    use std::io::Read;
    let io = |e| IndexError::io(to, e);
    let mut out = File::create_new(to).map_err(io)?;
    let copied = match limit {
        Some(n) => std::io::copy(&mut from.take(n), &mut out),
        None => std::io::copy(from, &mut out),
    }
    .map_err(io)?;
    out.sync_all().map_err(io)?;
    Ok(copied)
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), IndexError> {
    let io = |e| IndexError::io(path, e);
    let mut out = File::create_new(path).map_err(io)?;
    std::io::Write::write_all(&mut out, bytes).map_err(io)?;
    out.sync_all().map_err(io)
}
