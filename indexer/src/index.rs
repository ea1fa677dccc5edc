use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock, RwLock};

use jieba_rs::Jieba;
use minyi_corpus::Record;
use tantivy::directory::MmapDirectory;
use tantivy::schema::Value;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, IndexReader, ReloadPolicy, Searcher, TantivyDocument, TantivyError};

use crate::analyzer::{
    DictionaryError, JiebaTokenizer, Mode, TOKENIZER_NAME, jieba_with, load_jieba,
    read_user_dictionary,
};
use crate::manifest::{EmbeddingInfo, MANIFEST_FILE, Manifest, VECTORS_DIR};
use crate::names::{self, NameList, NameMatcher, UserDictionary};
use crate::schema::{Fields, build_schema};
use crate::vectors::{RecordVectors, VectorStore};
use crate::writer::{WriterVectors, add_document, document, passage_text};
use crate::{EmbeddingModel, IndexError, Writer, ingest};

pub(crate) const TANTIVY_DIR: &str = "tantivy";
pub(crate) const USER_DICT_FILE: &str = "user_dict.txt";
/// Indexing memory budget shared by the writer threads.
pub(crate) const WRITER_HEAP_BYTES: usize = 256 * 1024 * 1024;

/// An opened minyi index folder.
pub struct MinyiIndex {
    dir: PathBuf,
    index: tantivy::Index,
    fields: Fields,
    lexicon: Arc<RwLock<Lexicon>>,
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
        let index = open_tantivy(&dir.join(TANTIVY_DIR))?;
        // The last commit says which vectors its records point at; the manifest lags behind it
        // when a reindex stopped between its commit and the manifest update.
        if let Some(committed) =
            EmbeddingInfo::from_payload(dir, index.load_metas()?.payload.as_deref())?
        {
            manifest.embedding = Some(committed);
        }
        let fields = Fields::from_schema(&index.schema())?;
        let lexicon = Lexicon::load(dir)?;
        lexicon.register(&index);
        let vectors = OnceLock::new();
        if let Some(embedding) = manifest.embedding.as_ref().filter(|_| load_vectors) {
            let folder = dir.join(&embedding.folder);
            let store = VectorStore::open(&folder, embedding.dim)?;
            check_vectors_cover_records(&index, &folder, &store)?;
            let _ = vectors.set(Arc::new(store));
        }
        Ok(MinyiIndex {
            dir: dir.to_path_buf(),
            index,
            fields,
            lexicon: Arc::new(RwLock::new(lexicon)),
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
        let records = all_addresses(&searcher)?
            .into_iter()
            .map(|a| index.record(&searcher, a))
            .collect::<Result<Vec<_>, _>>()?;
        let mut writer = Writer::new(
            writer,
            index.fields.clone(),
            Some(WriterVectors::new(model, store, info.clone())),
            index.names(),
            None,
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
        JiebaTokenizer::new(self.jieba(), Mode::Query)
    }

    /// The tokenizer documents were segmented with (words and the words inside them).
    pub fn index_tokenizer(&self) -> JiebaTokenizer {
        JiebaTokenizer::new(self.jieba(), Mode::Index)
    }

    /// The segmenter's dictionary, learned names included.
    pub fn jieba(&self) -> Arc<Jieba> {
        self.lexicon.read().expect("lexicon lock").jieba.clone()
    }

    /// Finds the index's known names (learned and pinned) in a text.
    pub fn names(&self) -> Arc<NameMatcher> {
        self.lexicon.read().expect("lexicon lock").names.clone()
    }

    /// The index's known names, sorted by name.
    pub fn name_list(&self) -> NameList {
        self.lexicon.read().expect("lexicon lock").list.clone()
    }

    fn lexicon(&self) -> Lexicon {
        self.lexicon.read().expect("lexicon lock").clone()
    }

    /// Learns the proper names the records repeat ([`names::discover`], over up to
    /// [`names::MAX_RECORDS`] records spread over the index), keeps them in `names.tsv` with the
    /// dictionary's pins and vetoes, and segments again, in one commit, every record that
    /// contains a name added or dropped, so that a search for a name finds it whenever its
    /// record was indexed. Takes the writer lock.
    pub fn learn_names(&self) -> Result<LearnReport, IndexError> {
        let mut writer = self.tantivy_writer()?;
        let reader = self.reader()?;
        let searcher = reader.searcher();
        let addresses = all_addresses(&searcher)?;
        let step = addresses.len().div_ceil(names::MAX_RECORDS).max(1);
        let texts = addresses
            .iter()
            .step_by(step)
            .map(|a| self.record(&searcher, *a).map(|r| passage_text(&r)))
            .collect::<Result<Vec<String>, _>>()?;
        let old = self.lexicon();
        let (list, plain) = discover_list(&old, &self.dir, &texts)?;
        let changed = list.changed_since(&old.list);
        let mut report = LearnReport {
            names: list.names().len(),
            changed: changed.len(),
            resegmented: 0,
            learned_from: texts.len(),
        };
        if changed.is_empty() {
            return Ok(report);
        }
        let lexicon = Lexicon::on(plain, old.dictionary.clone(), list, &self.dir)?;
        lexicon.register(&self.index);
        let changed = NameMatcher::new(
            changed
                .into_iter()
                .map(|name| names::Entity::new(name, names::EntityKind::Name)),
        );
        let vectors = RecordVectors::new(&searcher)?;
        for address in addresses {
            let record = self.record(&searcher, address)?;
            if changed.find(&passage_text(&record)).is_empty() {
                continue;
            }
            writer.delete_term(tantivy::Term::from_field_text(self.fields.id, &record.id));
            let mut doc = document(&self.fields, &lexicon.names, &record);
            if let Some(v) = vectors.of(address) {
                doc.add_u64(self.fields.vector_id, v);
            }
            add_document(&mut writer, doc)?;
            report.resegmented += 1;
        }
        let payload = self.index.load_metas()?.payload;
        let mut commit = writer.prepare_commit()?;
        if let Some(payload) = payload {
            commit.set_payload(&payload);
        }
        commit.commit()?;
        // After the commit: a crash in between leaves records cut with names the file lacks,
        // and the next run, comparing with the file, finds those names changed and segments
        // the records again.
        lexicon.list.save(&self.dir)?;
        *self.lexicon.write().expect("lexicon lock") = lexicon;
        Ok(report)
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
                // The manifest may name a model only when every live record has its vectors.
                let records = self.records_without_vectors()?;
                if records > 0 {
                    return Err(IndexError::VectorsMissing {
                        path: self.dir.display().to_string(),
                        records,
                        model: m.name.clone(),
                    });
                }
                let (store, info) = self.enable_vectors(m)?;
                Some(WriterVectors::new(m, store, info))
            }
        };
        // An empty index learns its names from the first records before writing any, so that
        // a first import is segmented once, with them (see [`Writer`]).
        let learner = (self.reader()?.searcher().num_docs() == 0).then(|| NameLearner {
            lexicon: self.lexicon.clone(),
            dir: self.dir.clone(),
            index: self.index.clone(),
        });
        Ok(Writer::new(
            self.tantivy_writer()?,
            self.fields.clone(),
            vectors,
            self.names(),
            learner,
        ))
    }

    /// How many records lack vectors because the index was built without a model: all of them
    /// when it holds no embeddings, none when it does (writers keep that so).
    pub fn records_without_vectors(&self) -> Result<u64, IndexError> {
        if self.manifest().embedding.is_some() {
            return Ok(0);
        }
        Ok(self.reader()?.searcher().num_docs())
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

/// What [`MinyiIndex::learn_names`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LearnReport {
    /// Names known now (learned and pinned).
    pub names: usize,
    /// Names added, dropped or of another kind than before.
    pub changed: usize,
    /// Records segmented again because they contain a changed name.
    pub resegmented: u64,
    /// Records the names were learned from.
    pub learned_from: usize,
}

/// The names `texts` repeat, as a list with `lexicon`'s pins and vetoes, and the segmenter
/// without any names that they were judged by.
fn discover_list(
    lexicon: &Lexicon,
    dir: &Path,
    texts: &[String],
) -> Result<(NameList, Jieba), IndexError> {
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    // Discovery judges words by jieba's own dictionary, not by the names it learned before; a
    // lexicon without names is that dictionary already (building one takes a few hundred ms).
    let plain = if lexicon.list.names().is_empty() {
        (*lexicon.jieba).clone()
    } else {
        Arc::unwrap_or_clone(jieba_with(
            &lexicon.dictionary.jieba_lines,
            &dir.join(USER_DICT_FILE),
        )?)
    };
    let found = names::discover(&refs, &plain);
    Ok((NameList::from_discovered(found, &lexicon.dictionary), plain))
}

/// Learns an empty index's names from the first records written to it, before they are written.
pub(crate) struct NameLearner {
    lexicon: Arc<RwLock<Lexicon>>,
    dir: PathBuf,
    index: tantivy::Index,
}

impl NameLearner {
    /// Learns the names of `records`, keeps them in `names.tsv` and makes the index segment
    /// with them; returns what it learned and the matcher for the records' `entity` facet.
    pub(crate) fn learn(
        &self,
        records: &[Record],
    ) -> Result<(LearnReport, Arc<NameMatcher>), IndexError> {
        let texts: Vec<String> = records.iter().map(passage_text).collect();
        let old = self.lexicon.read().expect("lexicon lock").clone();
        let (list, plain) = discover_list(&old, &self.dir, &texts)?;
        let changed = list.changed_since(&old.list).len();
        let lexicon = Lexicon::on(plain, old.dictionary.clone(), list, &self.dir)?;
        // Before any record is written: no segment holds records cut without these names.
        lexicon.register(&self.index);
        lexicon.list.save(&self.dir)?;
        let report = LearnReport {
            names: lexicon.list.names().len(),
            changed,
            resegmented: 0,
            learned_from: records.len(),
        };
        let names = lexicon.names.clone();
        *self.lexicon.write().expect("lexicon lock") = lexicon;
        Ok((report, names))
    }
}

/// Opens the full-text index in `dir`; a damaged or foreign file there is reported as damage of
/// the folder with tantivy's reason, which names the file.
fn open_tantivy(dir: &Path) -> Result<tantivy::Index, IndexError> {
    let damaged = |e: TantivyError| IndexError::Damaged {
        path: dir.display().to_string(),
        reason: e.to_string(),
    };
    let mmap = MmapDirectory::open(dir).map_err(|e| damaged(e.into()))?;
    let index = tantivy::Index::open(mmap).map_err(damaged)?;
    // Segment files are opened lazily: open them all now, so damage shows at open, not at the
    // first search that reaches it.
    index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()
        .map(|_: IndexReader| index)
        .map_err(damaged)
}

/// Refuses a vector store that lacks vectors the committed records point at (a `vectors.log`
/// truncated or replaced by another): those records would be searched by another's meaning.
/// Vectors are synced before each commit, so in an intact index every id is below the count.
fn check_vectors_cover_records(
    index: &tantivy::Index,
    folder: &Path,
    store: &VectorStore,
) -> Result<(), IndexError> {
    let searcher = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()
        .map(|r: IndexReader| r.searcher())?;
    let highest = RecordVectors::new(&searcher)?.highest();
    match highest {
        Some(id) if id >= store.len() as u64 => Err(IndexError::Damaged {
            path: folder.join(crate::vectors::LOG_FILE).display().to_string(),
            reason: format!(
                "it holds {} vectors but the records point at vector {id}: the file was truncated or replaced; run `minyi reindex --vectors`",
                store.len()
            ),
        }),
        _ => Ok(()),
    }
}

/// Every live document of `searcher`, in index order.
pub(crate) fn all_addresses(searcher: &Searcher) -> Result<Vec<DocAddress>, IndexError> {
    let mut addresses: Vec<DocAddress> = searcher
        .search(
            &tantivy::query::AllQuery,
            &tantivy::collector::DocSetCollector,
        )?
        .into_iter()
        .collect();
    addresses.sort();
    Ok(addresses)
}

/// What an index segments with: jieba with the user dictionary and the known names, and a
/// matcher for those names. Replaced whole when names are learned.
#[derive(Clone)]
pub(crate) struct Lexicon {
    jieba: Arc<Jieba>,
    pub(crate) names: Arc<NameMatcher>,
    list: NameList,
    dictionary: UserDictionary,
}

impl Lexicon {
    pub(crate) fn load(dir: &Path) -> Result<Lexicon, IndexError> {
        let user_dict = dir.join(USER_DICT_FILE);
        let dictionary = if user_dict.exists() {
            read_user_dictionary(&user_dict)?
        } else {
            UserDictionary::default()
        };
        let list = NameList::load(dir)?.with_dictionary(&dictionary);
        Lexicon::new(dictionary, list, dir)
    }

    fn new(dictionary: UserDictionary, list: NameList, dir: &Path) -> Result<Lexicon, IndexError> {
        let words = format!("{}{}", dictionary.jieba_lines, list.jieba_lines());
        let jieba = jieba_with(&words, &dir.join(USER_DICT_FILE))?;
        Ok(Lexicon::of(jieba, dictionary, list))
    }

    /// The lexicon of `list` on `plain`, a segmenter with `dictionary` and no names: the same
    /// as [`Lexicon::new`] builds (the same words loaded in the same order), without loading
    /// jieba's dictionary again.
    fn on(
        mut plain: Jieba,
        dictionary: UserDictionary,
        list: NameList,
        dir: &Path,
    ) -> Result<Lexicon, IndexError> {
        plain
            .load_dict(&mut list.jieba_lines().as_bytes())
            .map_err(|e| DictionaryError {
                path: dir.join(USER_DICT_FILE).display().to_string(),
                reason: e.to_string(),
            })?;
        Ok(Lexicon::of(Arc::new(plain), dictionary, list))
    }

    fn of(jieba: Arc<Jieba>, dictionary: UserDictionary, list: NameList) -> Lexicon {
        Lexicon {
            jieba,
            names: Arc::new(NameMatcher::new(list.entities())),
            list,
            dictionary,
        }
    }

    /// Makes `index` segment documents with this lexicon from its next segment on.
    pub(crate) fn register(&self, index: &tantivy::Index) {
        index.tokenizers().register(
            TOKENIZER_NAME,
            TextAnalyzer::from(JiebaTokenizer::new(self.jieba.clone(), Mode::Index)),
        );
    }
}
