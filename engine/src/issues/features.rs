//! Lexical features of records: TF-IDF weighted words, and a sparse nearest-neighbour search.
//!
//! What makes two submissions the *same concrete issue* is mostly the rare words they share: the
//! estate, road, school or site (`幸福里`, `翠屏路`, `星河小学`) together with the problem. TF-IDF with
//! document frequencies from the whole index weights exactly those; place-like words get an extra
//! boost because a shared place is stronger evidence than a shared topic.

use std::collections::HashMap;

use rayon::prelude::*;

use minyi_corpus::Record;
use minyi_corpus::normalize::normalize;
use minyi_indexer::analyzer::JiebaTokenizer;

/// Words kept per record (the highest weighted).
const MAX_TERMS: usize = 32;
/// Records cut into words at once, on every core.
const CUT_CHUNK: usize = 4096;
/// Title words count this much more than content words: a subject line summarises.
const TITLE_WEIGHT: f32 = 1.5;
/// Place-like words (estates, roads, villages, schools …) count this much more.
const PLACE_WEIGHT: f32 = 1.8;
const PLACE_SUFFIXES: &[&str] = &[
    "小区",
    "花园",
    "公园",
    "新村",
    "家园",
    "华府",
    "广场",
    "市场",
    "菜场",
    "小学",
    "中学",
    "学校",
    "幼儿园",
    "医院",
    "社区",
    "街道",
    "大道",
    "路",
    "街",
    "巷",
    "村",
    "镇",
    "乡",
    "苑",
    "府",
    "城",
    "湾",
    "桥",
    "站",
    "线",
];
/// Words too general to tell issues apart, whatever their frequency in a given index.
const STOP_WORDS: &[&str] = &[
    "我们",
    "你们",
    "他们",
    "这个",
    "那个",
    "一个",
    "没有",
    "什么",
    "因为",
    "所以",
    "但是",
    "而且",
    "如果",
    "已经",
    "现在",
    "问题",
    "希望",
    "请问",
    "反映",
    "相关",
    "部门",
    "情况",
    "进行",
    "解决",
    "领导",
    "政府",
    "市民",
    "居民",
    "我市",
    "本市",
    "能够",
    "可以",
    "需要",
    "建议",
    "要求",
    "存在",
    "非常",
    "严重",
    "影响",
    "处理",
    "尽快",
    "是否",
    "还是",
    "就是",
    "这样",
    "怎么",
    "为什么",
    "目前",
    "一直",
    "多次",
    "之前",
    "以后",
    "时候",
    "谢谢",
    "您好",
    "你好",
    "有关",
    "关于",
    "以及",
    "或者",
    "不能",
    "不是",
    "还有",
    "这些",
    "应当",
    // Words every opinion on a draft uses; the law and article are metadata, not the concern.
    "条例",
    "草案",
    "条例草案",
    "征求意见稿",
    "意见",
    "看法",
    "某市",
    "条款",
    "规定",
    "本条",
    "该条",
    "修改",
    "增加",
    "删除",
];

/// A record's words and their weights, L2-normalised, sorted by word id.
pub type Features = Vec<(u32, f32)>;

/// Word ids and their document frequencies, shared by the records of one clustering run.
#[derive(Default)]
pub struct Vocabulary {
    ids: HashMap<String, u32>,
    words: Vec<String>,
    idf: Vec<f32>,
}

impl Vocabulary {
    pub fn word(&self, id: u32) -> &str {
        &self.words[id as usize]
    }

    pub fn idf(&self, id: u32) -> f32 {
        self.idf[id as usize]
    }

    /// The id of `word`, added with its weight when new: its smoothed idf (a word absent from
    /// the index, only in a title, counts as rare), boosted for places and learned names.
    fn add(
        &mut self,
        word: String,
        is_name: bool,
        doc_freq: &mut impl FnMut(&str) -> (u64, u64),
    ) -> u32 {
        if let Some(id) = self.ids.get(&word) {
            return *id;
        }
        let id = self.words.len() as u32;
        let (df, n) = doc_freq(&word);
        let idf = ((n as f32 + 1.0) / (df as f32 + 1.0)).ln() + 1.0;
        let boost = if is_place(&word) || is_name {
            PLACE_WEIGHT
        } else {
            1.0
        };
        self.idf.push(idf * boost);
        self.ids.insert(word.clone(), id);
        self.words.push(word);
        id
    }
}

/// Words of a record that carry meaning (two characters or more, not stop words).
pub(crate) fn words(record: &Record, tokenizer: &JiebaTokenizer) -> (Vec<String>, Vec<String>) {
    let keep = |t: &String| {
        t.chars().count() >= 2
            && !STOP_WORDS.contains(&t.as_str())
            && !t.chars().all(|c| c.is_ascii_digit())
    };
    let cut = |text: &str| -> Vec<String> {
        tokenizer
            .tokens(&normalize(text))
            .into_iter()
            .map(|t| t.text)
            .filter(keep)
            .collect()
    };
    // Opinions on a draft name the draft; its name is metadata, not the concern.
    let law = cut(record.law.as_deref().unwrap_or(""));
    let not_law = |words: Vec<String>| -> Vec<String> {
        words.into_iter().filter(|w| !law.contains(w)).collect()
    };
    (
        not_law(cut(record.title.as_deref().unwrap_or(""))),
        not_law(cut(&record.content)),
    )
}

/// A name before a place suffix (`幸福里小区`, `翠屏路`; not `小区` or `幼儿园` alone), or a
/// numbered thing (`12路`, `5号线`, `G2栋`).
fn is_place(word: &str) -> bool {
    let chars = word.chars().count();
    PLACE_SUFFIXES
        .iter()
        .any(|s| word.ends_with(s) && chars >= s.chars().count() + 2)
        || word.chars().any(|c| c.is_ascii_digit()) && !word.is_ascii()
}

/// TF-IDF features for each record. `doc_freq(word)` gives the word's document frequency and the
/// number of documents in the index, so weights do not depend on which subset is clustered;
/// words that are places, or names the index learned, weigh more. `name_of(word)` says whether a
/// word is a learned name and which name it counts as: a longer name that holds a shorter one
/// (`万科魅力之城`, `魅力之城`) is the same word to grouping, as it is the same place. Also each
/// record's title words, as ids in title order, for [`problem_words`].
pub fn features(
    records: &[Record],
    tokenizer: &JiebaTokenizer,
    name_of: impl Fn(&str) -> Option<String>,
    mut doc_freq: impl FnMut(&str) -> (u64, u64),
) -> (Vec<Features>, Vocabulary, Vec<Vec<u32>>) {
    let mut vocab = Vocabulary::default();
    let mut out = Vec::with_capacity(records.len());
    let mut titles = Vec::with_capacity(records.len());
    // Cutting is most of the cost and needs nothing shared: on every core, in record order, a
    // chunk at a time (the words of every record at once would double the memory of a run).
    let cut = records.chunks(CUT_CHUNK).flat_map(|chunk| {
        chunk
            .par_iter()
            .map(|record| words(record, tokenizer))
            .collect::<Vec<_>>()
    });
    for (title, content) in cut {
        let mut tf: HashMap<u32, f32> = HashMap::new();
        let mut title_ids: Vec<u32> = Vec::new();
        for (words, weight, in_title) in [(title, TITLE_WEIGHT, true), (content, 1.0, false)] {
            for w in words {
                let id = match vocab.ids.get(&w) {
                    Some(id) => *id,
                    // A learned name is the word of the name it counts as; the word as cut
                    // then maps to that id too.
                    None => match name_of(&w) {
                        Some(name) => {
                            let id = vocab.add(name, true, &mut doc_freq);
                            vocab.ids.insert(w, id);
                            id
                        }
                        None => vocab.add(w, false, &mut doc_freq),
                    },
                };
                *tf.entry(id).or_default() += weight;
                if in_title && !title_ids.contains(&id) {
                    title_ids.push(id);
                }
            }
        }
        titles.push(title_ids);
        let mut weights: Vec<(u32, f32)> = tf
            .into_iter()
            .map(|(id, tf)| (id, (1.0 + tf.ln()) * vocab.idf(id)))
            .collect();
        weights.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        weights.truncate(MAX_TERMS);
        out.push(normalised(weights));
    }
    (out, vocab, titles)
}

/// `weights` scaled to unit length and sorted by word id.
fn normalised(weights: Vec<(u32, f32)>) -> Features {
    let norm = weights
        .iter()
        .map(|(_, w)| w * w)
        .sum::<f32>()
        .sqrt()
        .max(f32::EPSILON);
    let mut f: Features = weights.into_iter().map(|(id, w)| (id, w / norm)).collect();
    f.sort_by_key(|(id, _)| *id);
    f
}

/// The words of each record's title that say what its problem is: its `titles` words (from
/// [`features`]) that are not names, places or areas (`is_place_word(record, word)`), weighted by
/// idf and L2-normalised. Two complaints about one place in different words share few content
/// words but often the problem's words in their titles.
pub fn problem_words(
    titles: &[Vec<u32>],
    vocab: &Vocabulary,
    is_place_word: impl Fn(usize, &str) -> bool + Sync,
) -> Vec<Features> {
    titles
        .par_iter()
        .enumerate()
        .map(|(record, ids)| {
            let weights: Vec<(u32, f32)> = ids
                .iter()
                .filter(|id| {
                    let word = vocab.word(**id);
                    !is_place(word) && !is_place_word(record, word)
                })
                .map(|id| (*id, vocab.idf(*id)))
                .collect();
            normalised(weights)
        })
        .collect()
}

/// Cosine similarity of two feature vectors.
pub fn cosine(a: &Features, b: &Features) -> f32 {
    let (mut i, mut j, mut dot) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                dot += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    dot
}

/// The `k` most similar other records of each record, most similar first, through an inverted
/// index over the features: only records that share a word are ever compared.
pub fn nearest_neighbours(features: &[Features], k: usize) -> Vec<Vec<(u32, f32)>> {
    let mut postings: HashMap<u32, Vec<(u32, f32)>> = HashMap::new();
    for (doc, f) in features.iter().enumerate() {
        for (word, w) in f {
            postings.entry(*word).or_default().push((doc as u32, *w));
        }
    }
    // Words in a large share of the records add a little to many scores and cost the most.
    let max_postings = (features.len() / 50).max(500);
    // Each record's search is its own: on every core, each with its own score table.
    let scratch = || {
        (
            vec![0.0f32; features.len()],
            Vec::<u32>::new(),
            Vec::<(u32, f32)>::new(),
        )
    };
    features
        .par_iter()
        .enumerate()
        .map_init(scratch, |(scores, touched, candidates), (doc, f)| {
            for (word, w) in f {
                let list = &postings[word];
                if list.len() > max_postings {
                    continue;
                }
                for (other, w2) in list {
                    if *other as usize != doc {
                        if scores[*other as usize] == 0.0 {
                            touched.push(*other);
                        }
                        scores[*other as usize] += w * w2;
                    }
                }
            }
            candidates.clear();
            candidates.extend(
                touched
                    .drain(..)
                    .map(|o| (o, std::mem::take(&mut scores[o as usize]))),
            );
            // Only the best k are sorted, and only they are kept: a record can share words with
            // most of a large selection, and keeping every candidate per record exhausts memory.
            let by_score = |a: &(u32, f32), b: &(u32, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
            if candidates.len() > k {
                candidates.select_nth_unstable_by(k, by_score);
            }
            let mut best = candidates[..k.min(candidates.len())].to_vec();
            best.sort_by(by_score);
            best
        })
        .collect()
}
