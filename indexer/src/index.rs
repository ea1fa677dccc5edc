use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock, RwLock};

use jieba_rs::Jieba;
use minyi_corpus::Record;
use tantivy::directory::MmapDirectory;
use tantivy::schema::Value;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, IndexReader, ReloadPolicy, Searcher, TantivyDocument, TantivyError};

use crate::analyzer::{JiebaTokenizer, Mode, TOKENIZER_NAME, load_jieba};
use crate::manifest::{EmbeddingInfo, MANIFEST_FILE, Manifest, VECTORS_DIR};
use crate::schema::{Fields, build_schema};
use crate::vectors::VectorStore;
use crate::writer::WriterVectors;
use crate::{EmbeddingModel, IndexError, Writer, ingest};

const TANTIVY_DIR: &str = "tantivy";
const USER_DICT_FILE: &str = "user_dict.txt";
/// Indexing memory budget shared by the writer threads.
const WRITER_HEAP_BYTES: usize = 256 * 1024 * 1024;

/// An opened minyi index folder.
pub struct MinyiIndex {
    dir: PathBuf,
    index: tantivy::Index,
    fields: Fields,
    jieba: Arc<Jieba>,
    manifest: RwLock<Manifest>,
    vectors: OnceLock<Arc<VectorStore>>,
}

impl MinyiIndex {
    /// Opens the index at `dir`, creating it when the folder is absent or empty.
    ///
    /// `user_dict`, when given, is copied into the index so that later imports and queries
    /// segment with the same words.
    pub fn open_or_create(dir: &Path, user_dict: Option<&Path>) -> Result<MinyiIndex, IndexError> {
        let empty = match std::fs::read_dir(dir) {
            Ok(mut entries) => entries.next().is_none(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => true,
            Err(e) => return Err(IndexError::io(dir, e)),
        };
        if empty {
            std::fs::create_dir_all(dir.join(TANTIVY_DIR)).map_err(|e| IndexError::io(dir, e))?;
            let mmap = MmapDirectory::open(dir.join(TANTIVY_DIR)).map_err(TantivyError::from)?;
            tantivy::Index::create(mmap, build_schema(), Default::default())?;
            // The manifest goes last: a folder without one is not (yet) an index.
            Manifest::new().write(dir)?;
        }
        if let Some(dict) = user_dict {
            load_jieba(Some(dict))?;
            let target = dir.join(USER_DICT_FILE);
            std::fs::copy(dict, &target).map_err(|e| IndexError::io(&target, e))?;
        }
        MinyiIndex::open(dir)
    }

    /// Opens an existing index, refusing folders that are not a minyi index of this format.
    pub fn open(dir: &Path) -> Result<MinyiIndex, IndexError> {
        MinyiIndex::open_with(dir, true)
    }

    /// `load_vectors: false` leaves the vector store closed (for replacing it).
    fn open_with(dir: &Path, load_vectors: bool) -> Result<MinyiIndex, IndexError> {
        if !dir.join(MANIFEST_FILE).exists() {
            return Err(IndexError::NotAnIndex {
                path: dir.display().to_string(),
            });
        }
        let mut manifest = Manifest::read(dir)?;
        let mmap = MmapDirectory::open(dir.join(TANTIVY_DIR)).map_err(TantivyError::from)?;
        let index = tantivy::Index::open(mmap)?;
        // The last commit says which vectors its records point at; the manifest lags behind it
        // when a reindex stopped between its commit and the manifest update.
        if let Some(committed) =
            EmbeddingInfo::from_payload(dir, index.load_metas()?.payload.as_deref())?
        {
            manifest.embedding = Some(committed);
        }
        let fields = Fields::from_schema(&index.schema())?;
        let user_dict = dir.join(USER_DICT_FILE);
        let jieba = load_jieba(user_dict.exists().then_some(user_dict.as_path()))?;
        index.tokenizers().register(
            TOKENIZER_NAME,
            TextAnalyzer::from(JiebaTokenizer::new(jieba.clone(), Mode::Index)),
        );
        let vectors = OnceLock::new();
        if let Some(embedding) = manifest.embedding.as_ref().filter(|_| load_vectors) {
            let store = VectorStore::open(&dir.join(&embedding.folder), embedding.dim)?;
            let _ = vectors.set(Arc::new(store));
        }
        Ok(MinyiIndex {
            dir: dir.to_path_buf(),
            index,
            fields,
            jieba,
            manifest: RwLock::new(manifest),
            vectors,
        })
    }

    /// Recomputes the embedding of every record of the index at `dir` with `model`, into a new
    /// vector folder beside the current one, and returns how many records there are.
    ///
    /// The records switch to the new vectors in one tantivy commit, whose payload names the new
    /// folder; until then the index uses the old vectors, so an interrupted reindex leaves it as
    /// it was, semantic search included. The manifest is updated and the old folder removed
    /// after that commit; folders of reindexes that never reached it are removed by the next.
    pub fn reindex_vectors(dir: &Path, model: &EmbeddingModel) -> Result<u64, IndexError> {
        let index = MinyiIndex::open_with(dir, false)?;
        let writer = index.tantivy_writer()?;
        let old = index.manifest().embedding;
        index.remove_vector_folders(old.as_ref().map(|e| e.folder.as_str()))?;
        let folder = format!(
            "{VECTORS_DIR}-{}",
            chrono::Local::now().format("%Y%m%d-%H%M%S%.3f")
        );
        let info = EmbeddingInfo::new(model, folder);
        let store = Arc::new(VectorStore::open(&dir.join(&info.folder), info.dim)?);
        let searcher = index.reader()?.searcher();
        let mut addresses: Vec<_> = searcher
            .search(
                &tantivy::query::AllQuery,
                &tantivy::collector::DocSetCollector,
            )?
            .into_iter()
            .collect();
        addresses.sort();
        let records = addresses
            .into_iter()
            .map(|a| index.record(&searcher, a))
            .collect::<Result<Vec<_>, _>>()?;
        let mut writer = Writer::new(
            writer,
            index.fields.clone(),
            Some(WriterVectors::new(model, store, info.clone())),
        );
        let report = ingest(&mut writer, records.into_iter().map(Ok), |_, _| {})?;
        writer.commit()?;
        let mut manifest = index.manifest();
        manifest.embedding = Some(info.clone());
        manifest.write(dir)?;
        index.remove_vector_folders(Some(&info.folder))?;
        Ok(report.accepted)
    }

    /// Removes every vector folder but `keep`. Only for a holder of the writer lock: a reindex
    /// in progress writes one.
    fn remove_vector_folders(&self, keep: Option<&str>) -> Result<(), IndexError> {
        for entry in std::fs::read_dir(&self.dir).map_err(|e| IndexError::io(&self.dir, e))? {
            let entry = entry.map_err(|e| IndexError::io(&self.dir, e))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let is_vectors = name == VECTORS_DIR || name.starts_with(&format!("{VECTORS_DIR}-"));
            if is_vectors && Some(name.as_str()) != keep && entry.path().is_dir() {
                std::fs::remove_dir_all(entry.path())
                    .map_err(|e| IndexError::io(&entry.path(), e))?;
            }
        }
        Ok(())
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn manifest(&self) -> Manifest {
        self.manifest.read().expect("manifest lock").clone()
    }

    /// The record embeddings, when the index has them.
    pub fn vectors(&self) -> Option<Arc<VectorStore>> {
        self.vectors.get().cloned()
    }

    pub fn fields(&self) -> &Fields {
        &self.fields
    }

    /// The tantivy index, for searching.
    pub fn tantivy(&self) -> &tantivy::Index {
        &self.index
    }

    /// The tokenizer to segment queries with (exact mode, same dictionary as the documents).
    pub fn query_tokenizer(&self) -> JiebaTokenizer {
        JiebaTokenizer::new(self.jieba.clone(), Mode::Query)
    }

    /// The tokenizer documents were segmented with (words and the words inside them).
    pub fn index_tokenizer(&self) -> JiebaTokenizer {
        JiebaTokenizer::new(self.jieba.clone(), Mode::Index)
    }

    /// A reader that changes only when told to [`IndexReader::reload`], after a commit.
    pub fn reader(&self) -> Result<IndexReader, IndexError> {
        Ok(self
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?)
    }

    /// Takes the index's single writer lock. With a `model`, records are embedded as they are
    /// written; an index that holds embeddings refuses a writer without its model, so that no
    /// record goes without a vector.
    pub fn writer(&self, model: Option<&EmbeddingModel>) -> Result<Writer, IndexError> {
        let vectors = match (model, self.manifest().embedding) {
            (None, None) => None,
            (None, Some(indexed)) => {
                return Err(IndexError::ModelMismatch {
                    path: self.dir.display().to_string(),
                    indexed: indexed.model,
                    given: "no model".into(),
                });
            }
            (Some(m), Some(indexed))
                if indexed.model != m.name || indexed.dim != m.embedder.dim() =>
            {
                return Err(IndexError::ModelMismatch {
                    path: self.dir.display().to_string(),
                    indexed: indexed.model,
                    given: format!("`{}`", m.name),
                });
            }
            (Some(m), Some(info)) => Some(WriterVectors::new(
                m,
                self.vectors().expect("opened with the manifest"),
                info,
            )),
            (Some(m), None) => {
                let (store, info) = self.enable_vectors(m)?;
                Some(WriterVectors::new(m, store, info))
            }
        };
        Ok(Writer::new(
            self.tantivy_writer()?,
            self.fields.clone(),
            vectors,
        ))
    }

    /// Takes tantivy's writer lock.
    fn tantivy_writer(&self) -> Result<tantivy::IndexWriter, IndexError> {
        match self.index.writer(WRITER_HEAP_BYTES) {
            Ok(w) => Ok(w),
            Err(TantivyError::LockFailure(..)) => Err(IndexError::Locked {
                path: self.dir.display().to_string(),
            }),
            Err(e) => Err(e.into()),
        }
    }

    /// Starts holding embeddings of `model`: a vector store, and the model in the manifest.
    fn enable_vectors(
        &self,
        model: &EmbeddingModel,
    ) -> Result<(Arc<VectorStore>, EmbeddingInfo), IndexError> {
        let info = EmbeddingInfo::new(model, VECTORS_DIR.into());
        let store = Arc::new(VectorStore::open(&self.dir.join(&info.folder), info.dim)?);
        let mut manifest = self.manifest.write().expect("manifest lock");
        manifest.embedding = Some(info.clone());
        manifest.write(&self.dir)?;
        let _ = self.vectors.set(store.clone());
        Ok((store, info))
    }

    /// Where an import writes the rows it rejected.
    pub fn rejects_dir(&self) -> PathBuf {
        self.dir.join("rejects")
    }

    /// The record stored at `address`, as it was received.
    pub fn record(&self, searcher: &Searcher, address: DocAddress) -> Result<Record, IndexError> {
        let doc: TantivyDocument = searcher.doc(address)?;
        let source = doc
            .get_first(self.fields.source)
            .and_then(|v| v.as_str())
            .ok_or_else(|| TantivyError::InternalError("document without source".into()))?;
        serde_json::from_str(source).map_err(|e| {
            TantivyError::InternalError(format!("stored record is unreadable: {e}")).into()
        })
    }
}
