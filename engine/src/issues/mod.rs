//! 类案: grouping records into recurring concrete issues, describing and ranking them.
//!
//! [`find_issues`] takes any selection (the whole index, a search, a filter), groups its records
//! by matter ([`features`] for words with learned names whole, the embeddings for meaning, the
//! names each record gives to keep places apart: [`cluster`]), and describes each group
//! ([`describe`]): a label naming the place and the problem ([`label`]), keywords, a
//! representative record, volume, submitters, spread, trend, growth, spikes and a heat score to
//! rank by. [`export`] turns the ranked list into the 问题清单 handed to departments.

pub(crate) mod cache;
mod cluster;
mod describe;
pub mod export;
pub(crate) mod features;
mod label;
mod threads;

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use minyi_corpus::Record;
use minyi_corpus::pii::Masker;
use minyi_indexer::names::kind::is_coded_area;
use minyi_indexer::names::{Entity, EntityKind, NameMatcher, one_off_names};
use minyi_indexer::passage_text;
use rayon::prelude::*;
use serde::Serialize;

use cluster::{NameTier, Thresholds};

pub use describe::{CategorySpike, Issue, Reply, Spike, SubmitterCount, WeekCount};

use crate::engine::Snapshot;
use crate::search::{SearchRequest, matching_records};
use crate::{Engine, EngineError};

/// The most records one grouping run takes (about a minute of work on two cores at the limit).
pub const MAX_RECORDS: usize = 200_000;
/// Neighbours considered per record, by words and again by meaning.
const NEIGHBOURS: usize = 12;
/// How strict grouping is with embeddings (see [`cluster`]), measured on the development gold
/// (BENCHMARKS.md, "类案").
const WITH_MEANING: Thresholds = Thresholds {
    merge_min: 0.47,
    meaning_weight: 0.6,
    meaning_floor: 0.86,
    meaning_full: 0.96,
    same_submitter_min: 0.70,
    other_place_penalty: 0.5,
    one_named_penalty: 0.06,
    same_place_bonus: 0.15,
    same_name_bonus: 0.2,
    same_matter_meaning: 0.35,
    same_problem_min: 0.1,
};
/// … and on words alone.
const WORDS_ONLY: Thresholds = Thresholds {
    merge_min: 0.30,
    meaning_weight: 0.0,
    same_submitter_min: 0.60,
    ..WITH_MEANING
};
/// Two names are one place to grouping when this share of the records giving the rarer one
/// also give the other.
const RELATED_SHARE: f32 = 0.3;
/// The shortest name held in a longer one that counts as the longer one's place (three
/// characters: `魅力城`, not `之城`).
const MIN_HELD_NAME: usize = 3;

/// How to group and what to return.
#[derive(Debug, Clone)]
pub struct IssueOptions {
    /// Groups smaller than this are not issues (default 3).
    pub min_size: usize,
    /// How many issues to return, hottest first.
    pub limit: usize,
}

impl Default for IssueOptions {
    fn default() -> Self {
        IssueOptions {
            min_size: 3,
            limit: 50,
        }
    }
}

/// The ranked issues of a selection.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IssueList {
    /// Records in the selection.
    pub total_records: usize,
    /// Records that belong to some issue (a group of at least `min_size`).
    pub grouped_records: usize,
    /// Issues found, before `limit`.
    pub total_issues: usize,
    /// The day growth and spikes are measured up to: `to`, or the newest record's day.
    pub as_of: Option<NaiveDate>,
    pub issues: Vec<Issue>,
    /// Categories whose weekly volume jumped against their own history.
    pub category_spikes: Vec<CategorySpike>,
    /// Whether this list was grouped before the latest commit: while the selection is being
    /// grouped again for another request, the list before is answered at once. Ask again for
    /// the current one.
    pub stale: bool,
}

impl IssueList {
    /// Masks personal data in every issue (and so in the 问题清单 files made from the list).
    pub(crate) fn mask(&mut self, masker: &Masker) {
        self.issues.iter_mut().for_each(|i| i.mask(masker));
    }
}

/// Groups the records selected by `req` (its query, filters, dates and viewer's scope; not its
/// page) into issues, masked when its viewer is.
pub fn find_issues(
    engine: &Engine,
    req: &SearchRequest,
    opts: &IssueOptions,
) -> Result<IssueList, EngineError> {
    let snapshot = engine.snapshot();
    // One list per selection: the request's page and order do not change it.
    let selection = SearchRequest {
        limit: 0,
        offset: 0,
        sort: Default::default(),
        ..req.clone()
    };
    let key = format!("{selection:?} {opts:?}");
    let mut list = engine.issue_cache().get(key, snapshot.generation(), || {
        let members = matching_records(&snapshot, req, MAX_RECORDS)?;
        rank_issues(&snapshot, members, req.to, opts)
    })?;
    if let Some(masker) = req.viewer.masker() {
        list.mask(masker);
    }
    Ok(list)
}

/// One issue of the selection, with its member records.
pub fn find_issue(
    engine: &Engine,
    req: &SearchRequest,
    id: &str,
) -> Result<Option<(Issue, Vec<Record>)>, EngineError> {
    let snapshot = engine.snapshot();
    let members = matching_records(&snapshot, req, MAX_RECORDS)?;
    let records: Vec<Record> = members.iter().map(|(r, _)| r.clone()).collect();
    let opts = IssueOptions {
        min_size: 1,
        limit: usize::MAX,
    };
    let list = rank_issues(&snapshot, members, req.to, &opts)?;
    Ok(list
        .issues
        .into_iter()
        .find(|i| i.id == id)
        .map(|mut issue| {
            let mut members: Vec<Record> = issue
                .record_ids
                .iter()
                .filter_map(|rid| records.iter().find(|r| &r.id == rid).cloned())
                .collect();
            if let Some(masker) = req.viewer.masker() {
                issue.mask(masker);
                members = members.iter().map(|r| masker.record(r)).collect();
            }
            (issue, members)
        }))
}

/// `members` (records with the ids of their embeddings) grouped into issues and ranked, with
/// growth and spikes measured up to `as_of`.
pub(crate) fn rank_issues(
    snapshot: &Snapshot,
    members: Vec<(Record, Option<u64>)>,
    as_of: Option<NaiveDate>,
    opts: &IssueOptions,
) -> Result<IssueList, EngineError> {
    threads::on_grouping_threads(|| {
        let (records, vector_ids): (Vec<Record>, Vec<Option<u64>>) = members.into_iter().unzip();
        let grouping = group(snapshot, &records, &vector_ids)?;
        Ok(describe::rank(records, grouping, as_of, opts))
    })?
}

/// Groups of positions in `records`, each with the features used to describe it.
///
/// With embeddings, a record's neighbours also include its nearest records by meaning, and
/// meaning is most of every similarity (see [`cluster`]).
fn group(
    snapshot: &Snapshot,
    records: &[Record],
    vector_ids: &[Option<u64>],
) -> Result<describe::Grouping, EngineError> {
    let signals = Signals::of(snapshot, records, vector_ids)?;
    let mut neighbours = features::nearest_neighbours(&signals.features, NEIGHBOURS);
    if let (Some(store), Some(vectors)) = (snapshot.index().vectors(), &signals.meanings) {
        let position: HashMap<u64, usize> = vector_ids
            .iter()
            .enumerate()
            .map(|(i, v)| (v.expect("every record has a vector"), i))
            .collect();
        // Asked of every vector for every record: a flag per id, not a hash lookup.
        let mut selected = vec![false; position.keys().max().map_or(0, |m| *m as usize + 1)];
        position.keys().for_each(|id| selected[*id as usize] = true);
        let allowed = |id: u64| selected.get(id as usize).copied().unwrap_or(false);
        neighbours.par_iter_mut().enumerate().for_each(|(i, list)| {
            for (vid, cosine) in store.search(&vectors[i], NEIGHBOURS + 1, &allowed, position.len())
            {
                let j = position[&vid] as u32;
                if j as usize != i && !list.iter().any(|(k, _)| *k == j) {
                    list.push((j, cosine));
                }
            }
        });
    }
    let groups = cluster::cluster(&signals.points(), &neighbours, &signals.thresholds());
    Ok(describe::Grouping {
        groups,
        features: signals.features,
        vocabulary: signals.vocabulary,
        entities: signals.entities,
        one_off: signals.one_off,
    })
}

/// `name` with its numbers written one way: full-width digits as ASCII, and a Chinese digit
/// before `号` as a digit (`地铁六号线`, `地铁６号线` and `地铁6号线` are one line).
fn numbered_alike(name: &str) -> String {
    const CHINESE: &str = "〇一二三四五六七八九";
    let chars: Vec<char> = name.chars().collect();
    chars
        .iter()
        .enumerate()
        .map(|(k, &c)| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            _ if chars.get(k + 1) == Some(&'号') => CHINESE
                .chars()
                .position(|d| d == c)
                .map_or(c, |d| char::from(b'0' + d as u8)),
            _ => c,
        })
        .collect()
}

/// The name grouping counts `word` as, when it is a learned name: the shortest learned specific
/// name it ends with (`万科魅力之城` → `魅力之城`, `涉外经济学院` → `经济学院`), or itself. Only
/// endings: a name's kind suffix is at its end, and what comes first is often the developer or
/// the city (`碧桂园城市花园` is not every 碧桂园 estate).
fn canonical_name(known: &NameMatcher, word: &str) -> Option<String> {
    let learned = |w: &str| known.find(w).into_iter().next().filter(|e| e.name == w);
    learned(word)?;
    let shortest =
        held_endings(word).find(|end| learned(end).is_some_and(|e| e.kind.is_specific()));
    Some(shortest.unwrap_or(word).to_string())
}

/// The endings of `name` that may be a shorter name of the same place, shortest first: at least
/// [`MIN_HELD_NAME`] characters, and not the whole name.
fn held_endings(name: &str) -> impl Iterator<Item = &str> {
    let chars = name.chars().count();
    name.char_indices()
        .rev()
        .map(move |(at, _)| &name[at..])
        .filter(move |end| (MIN_HELD_NAME..chars).contains(&end.chars().count()))
}

/// What grouping knows of each record of one run: its words, its meaning, the names it gives
/// and its submitter. [`cluster::Points`] borrows it.
pub(crate) struct Signals {
    features: Vec<features::Features>,
    vocabulary: features::Vocabulary,
    entities: Vec<Vec<Entity>>,
    /// The places each record's title opens with that no record taught ([`one_off_names`],
    /// [`label::leading_names`]).
    one_off: Vec<Vec<Entity>>,
    names: Vec<Vec<(u32, NameTier)>>,
    name_texts: Vec<String>,
    related_names: HashSet<(u32, u32)>,
    problems: Vec<features::Features>,
    submitters: Vec<Option<u32>>,
    provisions: Vec<Option<u32>>,
    /// Unit embeddings, when every record has one. Grouping reads the stored embeddings only:
    /// it needs no model, unlike semantic search.
    meanings: Option<Vec<Vec<f32>>>,
}

impl Signals {
    /// The signals of `records`, whose embeddings' ids are `vector_ids`.
    pub(crate) fn of(
        snapshot: &Snapshot,
        records: &[Record],
        vector_ids: &[Option<u64>],
    ) -> Result<Signals, EngineError> {
        let index = snapshot.index();
        let tokenizer = index.query_tokenizer();
        let known = index.names();
        let mut error = None;
        let (features, vocabulary, titles) = features::features(
            records,
            &tokenizer,
            |word| canonical_name(&known, word),
            |word| {
                snapshot.document_frequency(word).unwrap_or_else(|e| {
                    error.get_or_insert(e);
                    (0, 0)
                })
            },
        );
        if let Some(e) = error {
            return Err(e);
        }
        // Finding names reads each record alone: on every core, in record order.
        let found: Vec<(Vec<Entity>, Vec<Entity>, Vec<Entity>)> = records
            .par_iter()
            .map(|r| {
                let entities = known.find(&passage_text(r));
                let specific: Vec<&Entity> =
                    entities.iter().filter(|e| e.kind.is_specific()).collect();
                // Places named once (no other record gives them, so none was learned) keep
                // matters apart too; where a learned name covers one, the learned name serves.
                let title = r.title.as_deref().unwrap_or_default();
                let unlearned: Vec<Entity> = one_off_names(title, tokenizer.jieba())
                    .into_iter()
                    .filter(|o| {
                        !specific
                            .iter()
                            .any(|e| e.name.contains(&o.name) || o.name.contains(&e.name))
                    })
                    .collect();
                let mut places: Vec<Entity> = specific.into_iter().cloned().collect();
                places.extend(unlearned.iter().cloned());
                let for_labels = label::leading_names(title, &unlearned, tokenizer.jieba());
                (entities, places, for_labels)
            })
            .collect();
        let mut name_ids: HashMap<String, u32> = HashMap::new();
        let mut entities = Vec::with_capacity(records.len());
        let mut one_off = Vec::with_capacity(records.len());
        let mut names: Vec<Vec<(u32, NameTier)>> = Vec::with_capacity(records.len());
        for (found, places, unlearned) in found {
            entities.push(found);
            one_off.push(unlearned);
            names.push(
                places
                    .into_iter()
                    .map(|e| {
                        let next = name_ids.len() as u32;
                        let id = *name_ids.entry(numbered_alike(&e.name)).or_insert(next);
                        let tier = match e.kind {
                            EntityKind::Road => NameTier::Road,
                            _ => NameTier::Place,
                        };
                        (id, tier)
                    })
                    .collect(),
            );
        }
        let mut name_texts = vec![String::new(); name_ids.len()];
        for (name, id) in name_ids {
            name_texts[id as usize] = name;
        }
        let names = as_shortest_endings(names, &name_texts);
        let related_names = related_names(&names);
        let problems = features::problem_words(&titles, &vocabulary, |i, word| {
            is_coded_area(word)
                || known.find(word).iter().any(|e| e.name == word)
                || names[i]
                    .iter()
                    .any(|(id, _)| name_texts[*id as usize].contains(word))
        });
        let mut submitter_ids: HashMap<&str, u32> = HashMap::new();
        let submitters: Vec<Option<u32>> = records
            .iter()
            .map(|r| {
                r.submitter.as_deref().map(|s| {
                    let next = submitter_ids.len() as u32;
                    *submitter_ids.entry(s).or_insert(next)
                })
            })
            .collect();
        let mut provision_ids: HashMap<(&str, &str), u32> = HashMap::new();
        let provisions: Vec<Option<u32>> = records
            .iter()
            .map(|r| {
                let key = (r.law.as_deref()?, r.article.as_deref()?);
                let next = provision_ids.len() as u32;
                Some(*provision_ids.entry(key).or_insert(next))
            })
            .collect();
        let meanings = match index.vectors() {
            Some(store) if vector_ids.iter().all(Option::is_some) => Some(
                vector_ids
                    .iter()
                    .map(|v| store.get(v.expect("checked")).unwrap_or_default())
                    .collect(),
            ),
            _ => None,
        };
        Ok(Signals {
            features,
            vocabulary,
            entities,
            one_off,
            names,
            name_texts,
            related_names,
            problems,
            submitters,
            provisions,
            meanings,
        })
    }

    fn points(&self) -> cluster::Points<'_> {
        cluster::Points {
            features: &self.features,
            meanings: self.meanings.as_deref(),
            names: &self.names,
            name_texts: &self.name_texts,
            related_names: &self.related_names,
            problems: &self.problems,
            submitters: &self.submitters,
            provisions: &self.provisions,
        }
    }

    /// How strict grouping is with these signals: with embeddings or on words alone.
    fn thresholds(&self) -> Thresholds {
        if self.meanings.is_some() {
            WITH_MEANING
        } else {
            WORDS_ONLY
        }
    }

    /// For each record at `candidates`, how well it joins the group of `members` when grouping
    /// would put it there (the average similarity is at least the merge threshold).
    pub(crate) fn joining(&self, members: &[usize], candidates: &[usize]) -> Vec<Option<f32>> {
        let thresholds = self.thresholds();
        cluster::affinities(&self.points(), members, candidates, &thresholds)
            .into_iter()
            .map(|link| link.filter(|l| *l >= thresholds.merge_min))
            .collect()
    }
}

/// Each record's names, a place's name that ends with another name of the selection given as
/// that one (`涉外经济学院` as `经济学院`, `万科魅力之城` as `魅力之城`): one place, so that its
/// records count together when a group's main places are found.
fn as_shortest_endings(
    names: Vec<Vec<(u32, NameTier)>>,
    name_texts: &[String],
) -> Vec<Vec<(u32, NameTier)>> {
    let ids: HashMap<&str, u32> = name_texts
        .iter()
        .enumerate()
        .map(|(id, text)| (text.as_str(), id as u32))
        .collect();
    let shortest: Vec<u32> = name_texts
        .iter()
        .enumerate()
        .map(|(id, text)| {
            held_endings(text)
                .find_map(|end| ids.get(end).copied())
                .unwrap_or(id as u32)
        })
        .collect();
    names
        .into_iter()
        .map(|list| {
            let mut out: Vec<(u32, NameTier)> = Vec::with_capacity(list.len());
            for (id, tier) in list {
                let name = match tier {
                    NameTier::Place => (shortest[id as usize], tier),
                    // `星沙四区凉塘路` is `四区凉塘路`, but not `星沙凉塘路`: a road's ending
                    // would make one of three ways of naming it the main one.
                    NameTier::Road => (id, tier),
                };
                if !out.contains(&name) {
                    out.push(name);
                }
            }
            out
        })
        .collect()
}

/// Pairs of names that at least [`RELATED_SHARE`] of the records giving the rarer one give
/// together with the other (and at least two records).
fn related_names(names: &[Vec<(u32, NameTier)>]) -> HashSet<(u32, u32)> {
    let mut single: HashMap<u32, u32> = HashMap::new();
    let mut pairs: HashMap<(u32, u32), u32> = HashMap::new();
    for list in names {
        let mut ids: Vec<u32> = list.iter().map(|(id, _)| *id).collect();
        ids.sort_unstable();
        ids.dedup();
        for (k, a) in ids.iter().enumerate() {
            *single.entry(*a).or_default() += 1;
            for b in &ids[k + 1..] {
                *pairs.entry((*a, *b)).or_default() += 1;
            }
        }
    }
    pairs
        .into_iter()
        .filter(|((a, b), n)| {
            *n >= 2 && *n as f32 >= RELATED_SHARE * single[a].min(single[b]) as f32
        })
        .map(|(pair, _)| pair)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_is_one_name_however_its_number_is_written() {
        assert_eq!(numbered_alike("地铁六号线"), "地铁6号线");
        assert_eq!(numbered_alike("地铁６号线"), "地铁6号线");
        assert_eq!(numbered_alike("地铁6号线"), "地铁6号线");
        // Only a digit before 号 is a number; other Chinese digits are letters of the name.
        assert_eq!(numbered_alike("五一大桥"), "五一大桥");
        assert_eq!(numbered_alike("三一大道"), "三一大道");
    }

    #[test]
    fn a_longer_name_counts_as_the_shortest_learned_name_it_holds() {
        let known = NameMatcher::new([
            Entity::new("魅力之城", EntityKind::Estate),
            Entity::new("万科魅力之城", EntityKind::Estate),
            Entity::new("碧桂园", EntityKind::Organisation),
            Entity::new("碧桂园城市花园", EntityKind::Estate),
            Entity::new("劳动东路", EntityKind::Road),
        ]);
        let name = |w| canonical_name(&known, w);
        assert_eq!(name("万科魅力之城").as_deref(), Some("魅力之城"));
        assert_eq!(name("魅力之城").as_deref(), Some("魅力之城"));
        // The developer that opens a name is not the place.
        assert_eq!(name("碧桂园城市花园").as_deref(), Some("碧桂园城市花园"));
        // Not a learned name, though it holds one.
        assert_eq!(name("万科物业"), None);
        assert_eq!(name("油烟"), None);
    }

    #[test]
    fn a_place_named_with_more_in_front_is_the_shorter_name() {
        let texts: Vec<String> = ["涉外经济学院", "经济学院", "四区凉塘路", "星沙四区凉塘路"]
            .map(String::from)
            .to_vec();
        let names = vec![
            vec![(0, NameTier::Place), (1, NameTier::Place)],
            vec![(1, NameTier::Place)],
            vec![(3, NameTier::Road)],
        ];
        assert_eq!(
            as_shortest_endings(names, &texts),
            [
                vec![(1, NameTier::Place)],
                vec![(1, NameTier::Place)],
                vec![(3, NameTier::Road)],
            ]
        );
    }
}
