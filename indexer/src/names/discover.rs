//! New-word discovery: proper names found by how the records repeat them, with no list and no
//! downloaded model.
//!
//! Every character n-gram (up to [`MAX_CHARS`]) that enough records repeat is a candidate. A
//! candidate is a name when
//! - it *holds together*: its weakest split (`魅力之|城`, `魅|力之城` …) still occurs far more often
//!   than chance would join the two halves (pointwise mutual information);
//! - it is *whole*: no single character precedes, or follows, most of its occurrences (`力之城` is
//!   nearly always `魅力之城`, so it is a fragment);
//! - it *reads as a name*: a suffix that marks a kind (小区, 路, 村, 中学, 公司 …, see
//!   [`super::kind`]) after a head that is not a pronoun, number or function word (`这个小区`,
//!   `附近小区` are not names), or, without a suffix, a far stronger cohesion and a cut that jieba
//!   does not know as ordinary words.
//!
//! Counting is level by level (apriori): an n-gram is counted only when both of its (n−1)-grams
//! passed, so the work stays close to linear in the text.

use aho_corasick::{AhoCorasick, MatchKind};
use jieba_rs::Jieba;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use super::kind::{
    EntityKind, coded_area_at_start, contains_coded_area, is_coded_area, is_district, is_person,
    is_suffix, kind_by_suffix, suffixes_of,
};
use super::matcher::Entity;

/// Longest name considered, in characters.
pub const MAX_CHARS: usize = 10;
/// Names with a kind suffix must occur in this many records …
const MIN_RECORDS_CLASSED: u32 = 2;
/// … and names without one in this many.
const MIN_RECORDS_UNCLASSED: u32 = 5;
/// Weakest-split normalised PMI (PMI divided by `−ln P(name)`, so that it does not grow with the
/// corpus: 1 when the halves only ever occur together) a name with a kind suffix needs …
const MIN_NPMI_CLASSED: f64 = 0.35;
/// … and one without (`五矿万境`: `五` and `境` are common characters on their own).
const MIN_NPMI_UNCLASSED: f64 = 0.6;
/// A name without a kind suffix does not end in a localiser: `范围内`, `过程中` are phrases.
const LOCALISERS: &str = "内中外里上下前后间边旁处";
/// A candidate is a fragment when one neighbouring character accounts for more than this share
/// of its occurrences.
const MAX_NEIGHBOUR_SHARE: f64 = 0.6;
/// Neighbour entropy (nats) on each side a name with a kind suffix needs …
const MIN_ENTROPY_CLASSED: f64 = 0.5;
/// The share of a classed name's occurrences whose suffix makes a word with the character after
/// it (`城` + `铁`) beyond which the suffix is taken to belong to that word, not to a name.
const MAX_GLUED_SHARE: f64 = 0.8;
/// … and one without (`群情激` is always followed by 愤 or 昂).
const MIN_ENTROPY_UNCLASSED: f64 = 1.2;
/// An ordinary word before a suffix still heads a name when this share of its occurrences are
/// in the name.
const NAME_SHARE_OF_HEAD: f64 = 0.5;
/// A place name given by at least this many records that name a district …
const MIN_RECORDS_WITH_DISTRICT: u32 = 4;
/// … is one place only when more than this share of them are in one district, or they name fewer
/// than [`MIN_DISTRICTS`] (a place is named with its county by some and with the development zone
/// in it by others: `A7县星沙中茂城`, `经开区…中茂城`).
const MAX_SPREAD_SHARE: f64 = 0.5;
const MIN_DISTRICTS: usize = 3;
/// Records read for discovery at most (spread evenly over the input): names that recur show up
/// in a sample, and counting stays bounded on million-record imports.
pub const MAX_RECORDS: usize = 30_000;
/// Characters read per record at most.
const MAX_RECORD_CHARS: usize = 2_000;

/// Characters that glue words together without being part of a name: a name's neighbour that is
/// one of these says nothing about the name being a fragment.
const FUNCTION_CHARS: &str =
    "的了在是和与及或到从对向把被给为于往等也都就还又而且但并很太更最这那我你他她它们有个";
/// A head (what comes before the suffix) may not start with these: pronouns, determiners and
/// relative places (`该小区`, `本村`, `附近小区`, `周边学校`, `各医院`).
const NOT_NAME_STARTS: &str = "这那该本此每各某其哪啥多几全整同附周旁对楼我你他她它们有个条座栋片区县市省且在是与及或到从向把被给为于往等也都就还又两几第";
/// Words that open a request, not a name (`建议市交通运输局`).
const NOT_NAME_OPENINGS: &[&str] = &[
    "建议",
    "希望",
    "要求",
    "请求",
    "关于",
    "反映",
    "投诉",
    "举报",
    "咨询",
    "恳请",
    "呼吁",
    "小区",
    "商品房",
    "地处",
    "位于",
];
/// A head ending in one of these is a kind of thing (`普惠性`, `压缩式`), not a name.
const GENERIC_HEAD_ENDS: &str = "性制式型类化级";
/// jieba tags of proper nouns (places, people, organisations, other names): a dictionary word
/// with one of these may be part of a name; any other dictionary word is an ordinary word.
const PROPER_TAGS: &[&str] = &["ns", "nr", "nt", "nz", "nrt", "nrfg"];
/// jieba tags of words that cannot sit inside a name (`之` in `魅力之城` can).
const NOT_INSIDE_NAME_TAGS: &[&str] = &["c", "uj", "ul", "p"];
/// jieba tags of words a name without a kind suffix does not contain: verbs, adjectives,
/// adverbs, idioms (`质价不符`, `服务态度差`, `隔音屏` are phrases).
const NOT_IN_BARE_NAME_TAGS: &[&str] = &["v", "vn", "vd", "a", "ad", "an", "d", "l", "i"];
/// jieba tags of words that cannot open a name or sit inside one: verbs, adverbs, prepositions,
/// conjunctions, particles, pronouns, numerals, classifiers.
const NOT_IN_NAME_TAGS: &[&str] = &[
    "v", "vd", "vn", "d", "p", "c", "u", "uj", "ul", "ug", "uz", "uv", "r", "m", "mq", "q", "f",
    "t", "l",
];

/// A name learned from the records.
#[derive(Debug, Clone, PartialEq)]
pub struct DiscoveredName {
    pub name: String,
    pub kind: EntityKind,
    /// Records (of those read) that contain it.
    pub records: u32,
}

#[derive(Default, Clone, Copy)]
struct Count {
    total: u32,
    records: u32,
    last_record: u32,
}

impl Count {
    fn add(&mut self, record: u32) {
        self.total += 1;
        if self.records == 0 || self.last_record != record {
            self.records += 1;
            self.last_record = record;
        }
    }
}

/// The proper names `texts` repeat, most frequent first (ties by name).
pub fn discover(texts: &[&str], jieba: &Jieba) -> Vec<DiscoveredName> {
    let step = texts.len().div_ceil(MAX_RECORDS).max(1);
    // Runs of letters and digits, as char-boundary offsets into their text.
    let runs: Vec<(u32, &str, Vec<usize>)> = texts
        .iter()
        .enumerate()
        .step_by(step)
        .flat_map(|(record, text)| {
            let text = match text.char_indices().nth(MAX_RECORD_CHARS) {
                Some((end, _)) => &text[..end],
                None => text,
            };
            // Circled and other symbol digits (①, ⑴) number list items; they are not text.
            text.split(|c: char| !c.is_alphanumeric() || ('\u{2460}'..='\u{24ff}').contains(&c))
                .flat_map(split_at_coded_areas)
                .filter(|run| run.chars().count() >= 2)
                .map(move |run| {
                    let bounds = run.char_indices().map(|(i, _)| i).chain([run.len()]);
                    (record as u32, run, bounds.collect())
                })
        })
        .collect();
    let total_chars: f64 = runs.iter().map(|(_, _, b)| (b.len() - 1) as f64).sum();
    if total_chars == 0.0 {
        return Vec::new();
    }

    let levels = count_levels(&runs);

    let count = |gram: &str| -> Option<Count> {
        levels
            .get(gram.chars().count())
            .and_then(|l| l.get(gram))
            .copied()
    };
    // Levels are judged apart, on every core, and their names kept in level order.
    let mut found: Vec<DiscoveredName> = (3..=MAX_CHARS)
        .into_par_iter()
        .flat_map_iter(|n| {
            let sides = sides(&levels[n], &levels[n + 1], jieba);
            levels[n]
                .iter()
                .filter_map(|(gram, c)| {
                    let kind = judge(gram, *c, total_chars, &count, sides[gram], jieba)?;
                    Some(DiscoveredName {
                        name: gram.to_string(),
                        kind,
                        records: c.records,
                    })
                })
                .collect::<Vec<_>>()
        })
        .collect();
    drop_fragments(&mut found);
    drop_composites(&mut found);
    drop_name_plus_suffix(&mut found);
    drop_spread_places(&mut found, texts.iter().step_by(step));
    found.sort_by(|a, b| b.records.cmp(&a.records).then(a.name.cmp(&b.name)));
    found
}

/// A run cut before and after each coded area in it (`A市五矿万境K9县存在` → `A市`, `五矿万境`,
/// `K9县`, `存在`): an area is a name of its own, so the letters of the next one, or the `市` of
/// the one before, say nothing about whether a name goes on. Without the cut, `五矿万境` is
/// nearly always followed by `K` and preceded by `市`, and looks like a fragment.
fn split_at_coded_areas(run: &str) -> impl Iterator<Item = &str> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut at = 0;
    while at < run.len() {
        match coded_area_at_start(&run[at..]).map(|len| at + len) {
            Some(end) => {
                pieces.extend([&run[start..at], &run[at..end]]);
                (start, at) = (end, end);
            }
            None => at += run[at..].chars().next().map_or(1, char::len_utf8),
        }
    }
    pieces.push(&run[start..]);
    pieces.into_iter().filter(|p| !p.is_empty())
}

/// The n-gram counts of `runs` level by level: `levels[n]` holds the n-grams (up to
/// `MAX_CHARS + 1` characters) that passed, level 1 every character.
///
/// Each position remembers the slot of the n-gram that starts there, so that the next level
/// asks two flags whether both of its (n−1)-grams passed instead of hashing them again: one
/// hash per window instead of three. Each level's map is then filled with its n-grams in the
/// order they first occur and pruned, as counting straight into it would leave it (the same
/// entries and the same iteration order, which the neighbour sums below follow).
fn count_levels<'a>(runs: &[(u32, &'a str, Vec<usize>)]) -> Vec<FxHashMap<&'a str, Count>> {
    const NONE: u32 = u32::MAX;
    let mut levels: Vec<FxHashMap<&str, Count>> = vec![FxHashMap::default(); MAX_CHARS + 2];
    for (record, run, bounds) in runs {
        for w in bounds.windows(2) {
            levels[1].entry(&run[w[0]..w[1]]).or_default().add(*record);
        }
    }
    // Where each run's positions start in the flat per-position arrays.
    let mut first = Vec::with_capacity(runs.len());
    let mut positions = 0;
    for (_, _, bounds) in runs {
        first.push(positions);
        positions += bounds.len() - 1;
    }
    // Whether the (n−1)-gram at each position passed; every character does.
    let mut passed = vec![true; positions];
    let mut slot_at = vec![NONE; positions];
    for n in 2..=MAX_CHARS + 1 {
        let mut slots: FxHashMap<&str, u32> = FxHashMap::default();
        let mut grams: Vec<(&str, Count)> = Vec::new();
        slot_at.fill(NONE);
        for ((record, run, bounds), first) in runs.iter().zip(&first) {
            for (i, w) in bounds.windows(n + 1).enumerate() {
                if !(passed[first + i] && passed[first + i + 1]) {
                    continue;
                }
                let gram = &run[w[0]..w[n]];
                let next = grams.len() as u32;
                let slot = *slots.entry(gram).or_insert(next);
                if slot == next {
                    grams.push((gram, Count::default()));
                }
                grams[slot as usize].1.add(*record);
                slot_at[first + i] = slot;
            }
        }
        let kept = |c: &Count| c.records >= MIN_RECORDS_CLASSED;
        for (p, slot) in passed.iter_mut().zip(&slot_at) {
            *p = *slot != NONE && kept(&grams[*slot as usize].1);
        }
        let level = &mut levels[n];
        // One insert at a time: `extend` would size the table up front, and order it otherwise.
        for (gram, count) in grams {
            level.insert(gram, count);
        }
        level.retain(|_, c| kept(c));
    }
    levels
}

/// The kind of `gram` when it is a name.
fn judge(
    gram: &str,
    c: Count,
    total_chars: f64,
    count: &impl Fn(&str) -> Option<Count>,
    (before, after): (Side, Side),
    jieba: &Jieba,
) -> Option<EntityKind> {
    if gram.is_ascii() {
        return None;
    }
    if is_coded_area(gram) {
        return Some(EntityKind::Area);
    }
    let classed = kind_by_suffix(gram);
    let (min_records, min_npmi, min_entropy) = match classed {
        Some(_) => (MIN_RECORDS_CLASSED, MIN_NPMI_CLASSED, MIN_ENTROPY_CLASSED),
        None => (
            MIN_RECORDS_UNCLASSED,
            MIN_NPMI_UNCLASSED,
            MIN_ENTROPY_UNCLASSED,
        ),
    };
    // A name with a kind suffix is often followed by one generic word (`锦程华府工地`,
    // `…项目`): after it, only the spread of neighbours counts.
    let free = |s: Side| s.top_share <= MAX_NEIGHBOUR_SHARE && s.entropy >= min_entropy;
    // … unless its suffix is mostly the first half of the next word (`长株潭城|铁`).
    let after_free = match classed {
        Some(_) => after.entropy >= min_entropy && after.glued < MAX_GLUED_SHARE,
        None => free(after),
    };
    // The neighbour checks first: they are looked up, cohesion is computed, and most n-grams
    // (fragments of longer words) fail them.
    if c.records < min_records || !free(before) || !after_free {
        return None;
    }
    if weakest_split_npmi(gram, c, total_chars, count) < min_npmi {
        return None;
    }
    let pieces = phrase_free_pieces(gram, jieba, false)?;
    match classed {
        Some((kind, _)) => {
            // An ordinary word before a suffix makes a common noun (`配套幼儿园`, `物业公司`)
            // unless the word is mostly used in this name (`锦程华府`). Companies are named by
            // brands (`瑞丰源`, `金科`), not ordinary words (`股份有限公司`), and so are lines
            // and programmes, unless numbered (`长株潭城铁`, `地铁六号线`; `高压电线`, `人防工程`
            // are kinds of them).
            let numbered = |head: &str| head.chars().any(|c| "一二三四五六七八九十".contains(c));
            let bound_to_name = |head: &str| {
                !matches!(kind, EntityKind::Organisation | EntityKind::Authority)
                    && (kind != EntityKind::Programme || numbered(head))
                    && count(head)
                        .is_some_and(|h| c.total as f64 >= NAME_SHARE_OF_HEAD * h.total as f64)
            };
            suffixes_of(gram)
                .any(|suffix| good_head(gram, &pieces, suffix, jieba, &bound_to_name, false))
                .then_some(kind)
        }
        None => {
            // A name leaves pieces that are not words of their own (`五矿|万|境`).
            let odd = pieces
                .iter()
                .filter(|(w, _)| w.chars().count() == 1)
                .count();
            let phrase_word = pieces
                .iter()
                .any(|(_, t)| NOT_IN_BARE_NAME_TAGS.contains(t));
            (pieces.len() >= 2
                && odd >= 1
                && !phrase_word
                && !gram
                    .chars()
                    .next_back()
                    .is_some_and(|c| LOCALISERS.contains(c))
                && !name_then_word(gram, jieba)
                && !gram.chars().any(|c| c.is_ascii_alphabetic())
                && !is_generic(gram, jieba))
            .then_some(EntityKind::Name)
        }
    }
}

/// Whether `gram` is no name by its letters: it is empty, opens with a pronoun, a determiner or
/// a request, holds a coded area or a person's title, or is a dictionary word.
fn ruled_out_by_letters(gram: &str, jieba: &Jieba) -> bool {
    gram.chars()
        .next()
        .is_none_or(|first| NOT_NAME_STARTS.contains(first))
        || NOT_NAME_OPENINGS.iter().any(|o| gram.starts_with(o))
        || contains_coded_area(gram)
        || is_person(gram)
        || is_common_word(gram, jieba)
}

/// The jieba pieces of `gram` (word, tag) when it could be a name by its letters alone: it does
/// not open with a pronoun, a determiner or a request, end in a function word, hold a coded area
/// or a person's title, is not a dictionary word, and no verb, particle or conjunction opens it
/// or sits inside it (`建搅拌站`, `开发商和物业`, `的必经之路` are phrases).
/// With `named_by_area` (right after a coded area) a time word may open it when another word
/// follows before the suffix: jieba tags name heads such as `星月` of `A6区星月绿洲小区` as
/// times (`A市今年小区` is still a phrase).
fn phrase_free_pieces<'a>(
    gram: &'a str,
    jieba: &'a Jieba,
    named_by_area: bool,
) -> Option<Vec<(&'a str, &'a str)>> {
    if ruled_out_by_letters(gram, jieba) || FUNCTION_CHARS.contains(gram.chars().last()?) {
        return None;
    }
    let pieces = tagged_pieces(gram, jieba);
    let phrase = |(i, (word, tag)): (usize, &(&str, &str))| {
        if i == 0 {
            NOT_IN_NAME_TAGS.contains(tag) && !(named_by_area && *tag == "t" && pieces.len() > 2)
        } else {
            NOT_INSIDE_NAME_TAGS.contains(tag) && (word.chars().count() == 1 || *tag == "c")
        }
    };
    (!pieces.iter().enumerate().any(phrase)).then_some(pieces)
}

/// Whether what comes before the last `suffix_chars` characters of `gram` heads a name: the
/// suffix is a word of its own (`规划布局` ends in 布局, not in 局) unless jieba knows the whole
/// name (`碧桂园`), the head has two characters or more, does not end like a kind of thing
/// (`普惠性`), and is not ordinary words only, unless `bound_to_name` says the corpus uses it
/// mostly in this name. With `suffix_in_last_piece`, a short last word may hold the suffix
/// (`星|湖湾`, `大明|佳园`): jieba glues a suffix to the character before it in names it does not
/// know.
fn good_head(
    gram: &str,
    pieces: &[(&str, &str)],
    suffix_chars: usize,
    jieba: &Jieba,
    bound_to_name: &dyn Fn(&str) -> bool,
    suffix_in_last_piece: bool,
) -> bool {
    let Some((head_end, _)) = gram.char_indices().nth(gram.chars().count() - suffix_chars) else {
        return false;
    };
    let head = &gram[..head_end];
    // Any of the suffixes it ends with will do (`丽发|新城` may cut as `丽|发新|城`).
    let mut at = 0;
    let on_a_cut = pieces.len() == 1
        || pieces.iter().any(|(w, _)| {
            at += w.len();
            at == head_end
        })
        || suffix_in_last_piece
            && pieces
                .last()
                .is_some_and(|(w, _)| gram.len() - w.len() < head_end && w.chars().count() <= 3);
    on_a_cut
        && head.chars().count() >= 2
        && !head
            .chars()
            .next_back()
            .is_some_and(|c| GENERIC_HEAD_ENDS.contains(c))
        && (bound_to_name(head) || !is_generic(head, jieba))
}

/// Kinds a name seen once may be taken for ([`one_off_names`]): places a matter is at.
const ONE_OFF_KINDS: &[EntityKind] = &[
    EntityKind::Estate,
    EntityKind::Village,
    EntityKind::School,
    EntityKind::Hospital,
    EntityKind::Organisation,
    EntityKind::Place,
];
/// Characters of a text read for one-off names.
const ONE_OFF_CHARS: usize = 400;
/// jieba tags a one-off name's pieces may have: nouns, names, abbreviations, unknown strings,
/// times (`海伦春天`, `英祥春天小区`).
const ONE_OFF_TAGS: &[&str] = &[
    "n", "nr", "ns", "nt", "nz", "nrt", "nrfg", "ng", "j", "x", "eng", "t",
];
/// jieba tags a single-character piece of a one-off name may not have: prepositions,
/// conjunctions and adverbs make a phrase. (Verbs may: jieba tags `凉` of `凉塘路` as one.)
const NOT_ONE_OFF_CHAR_TAGS: &[&str] = &["p", "c", "d"];
/// … nor these verbs of going, which make a phrase of a trip (`学生去工厂`).
const NOT_ONE_OFF_CHARS: &str = "去来";

/// Names with a kind suffix that `text` gives, by their letters alone (the checks [`discover`]
/// makes besides counting): the estates, schools and companies a record names even when no other
/// record does, so that two complaints about two different one-off estates are known to be about
/// different places. The longest name before each suffix is taken (`电建星湖湾` rather than
/// `星湖湾`); names are compared by containment, so a shorter mention elsewhere still matches.
/// Right after a coded area an ordinary head makes a name too (`A市经济学院` is that city's
/// school, where `经济学院` alone is a kind of school), up to its first suffix. Short of
/// statistics, these are used to keep matters apart, not shown as entities.
pub fn one_off_names(text: &str, jieba: &Jieba) -> Vec<Entity> {
    let text = match text.char_indices().nth(ONE_OFF_CHARS) {
        Some((end, _)) => &text[..end],
        None => text,
    };
    let mut found: Vec<Entity> = Vec::new();
    let runs = text.split(|c: char| !c.is_alphanumeric()).flat_map(|run| {
        let pieces: Vec<&str> = split_at_coded_areas(run).collect();
        let after_area: Vec<bool> = (0..pieces.len())
            .map(|i| i > 0 && is_coded_area(pieces[i - 1]))
            .collect();
        pieces.into_iter().zip(after_area)
    });
    for (text, after_area) in runs {
        let run = Run::new(text, after_area, jieba);
        for end in 3..run.bounds.len() {
            let longest = (3..=MAX_CHARS.min(end))
                .rev()
                .find_map(|n| run.name(end, n, jieba));
            if let Some(name) = longest
                && !found.contains(&name)
            {
                found.push(name);
            }
        }
    }
    // `佳园星城小区` holds `佳园星城`: one place, named once.
    let all = found.clone();
    found.retain(|n| {
        !all.iter()
            .any(|m| m.name != n.name && m.name.contains(&n.name))
    });
    found
}

/// A run of text read for names: where its characters and jieba's words start, and whether a
/// coded area comes right before it.
struct Run<'a> {
    text: &'a str,
    bounds: Vec<usize>,
    word_starts: Vec<usize>,
    after_area: bool,
}

impl<'a> Run<'a> {
    fn new(text: &'a str, after_area: bool, jieba: &Jieba) -> Run<'a> {
        // A name starts where a word does: `圾中转站` is cut out of `垃圾中转站`.
        let mut at = 0;
        let word_starts: Vec<usize> = jieba
            .cut(text, false)
            .into_iter()
            .map(|w| {
                let start = at;
                at += w.word.len();
                start
            })
            .collect();
        let bounds: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain([text.len()])
            .collect();
        Run {
            text,
            bounds,
            word_starts,
            after_area,
        }
    }

    /// The one-off name that the `n` characters before character `end` are, if any.
    fn name(&self, end: usize, n: usize, jieba: &Jieba) -> Option<Entity> {
        let start = self.bounds[end - n];
        if !self.word_starts.contains(&start) {
            return None;
        }
        let gram = &self.text[start..self.bounds[end]];
        let (kind, suffix) = kind_by_suffix(gram)?;
        if !ONE_OFF_KINDS.contains(&kind) || n - suffix < 2 {
            return None;
        }
        // The city's own `经济学院`, not `经济学院体育学院`.
        let named_by_area = self.after_area
            && start == 0
            && !(3..n).any(|m| kind_by_suffix(&gram[..self.bounds[m]]).is_some());
        if named_by_area && n - suffix <= MAX_AREA_NAMED_HEAD && plain_letters(gram, suffix, jieba)
        {
            return Some(Entity::new(gram, kind));
        }
        let pieces = phrase_free_pieces(gram, jieba, named_by_area)?;
        // Without counts to go by, every piece must read as a noun or a name, or be a number
        // inside one (`阳光100小区`).
        let nominal = pieces.iter().enumerate().all(|(i, (w, t))| {
            ONE_OFF_TAGS.contains(t)
                || (w.chars().count() == 1
                    && !FUNCTION_CHARS.contains(w)
                    && !NOT_ONE_OFF_CHARS.contains(w)
                    && !NOT_ONE_OFF_CHAR_TAGS.contains(t))
                || i > 0 && w.chars().all(|c| c.is_ascii_digit())
        });
        (nominal && good_head(gram, &pieces, suffix, jieba, &|_| named_by_area, true))
            .then(|| Entity::new(gram, kind))
    }
}

/// The longest head (characters before the suffix) [`plain_letters`] vouches for.
const MAX_AREA_NAMED_HEAD: usize = 4;

/// jieba's words of `gram` with their tags.
fn tagged_pieces<'a>(gram: &'a str, jieba: &'a Jieba) -> Vec<(&'a str, &'a str)> {
    jieba
        .tag(gram, false)
        .into_iter()
        .map(|t| (t.word, t.tag))
        .collect()
}

/// Whether a short head right after a coded area, before the name's first suffix (`suffix`
/// characters), reads as a name by its letters, whatever jieba tags its pieces (`天/q 悦/nz` of
/// `A2区天悦幼儿园`, `振/v 业/n` of `A3区振业城` are guesses at an unknown name): not ordinary
/// words only, no word that opens a phrase first, no function word, pronoun, determiner or verb
/// of going in it, no request opening it, and the suffix a word of its own.
fn plain_letters(gram: &str, suffix: usize, jieba: &Jieba) -> bool {
    let Some((suffix_at, _)) = gram.char_indices().nth(gram.chars().count() - suffix) else {
        return false;
    };
    let pieces = tagged_pieces(gram, jieba);
    // A word that opens a phrase (`加快`, `合理`, `开通`) does not open a name; a single
    // character may (`天` of `天悦`, `振` of `振业城`), unless a numeral or a direction
    // (`一公立幼儿园`, `中停一站`).
    let opens_phrase = pieces.first().is_some_and(|(w, t)| {
        (w.chars().count() >= 2 && NOT_IN_NAME_TAGS.contains(t) && *t != "t" && *t != "q")
            || ["m", "f"].contains(t) && !w.chars().all(|c| c.is_ascii_digit())
    });
    !opens_phrase
        && !is_generic(&gram[..suffix_at], jieba)
        && !ruled_out_by_letters(gram, jieba)
        && !gram
            .chars()
            .any(|c| FUNCTION_CHARS.contains(c) || NOT_ONE_OFF_CHARS.contains(c))
        && good_head(gram, &pieces, suffix, jieba, &|_| true, true)
}

/// Whether `gram` is a name with a kind suffix followed by an ordinary word (`锦程华府工地`):
/// the name is the name, the word is not part of it.
fn name_then_word(gram: &str, jieba: &Jieba) -> bool {
    gram.char_indices()
        .skip(3)
        .any(|(i, _)| kind_by_suffix(&gram[..i]).is_some() && jieba.has_word(&gram[i..]))
}

/// Whether jieba knows `word` whole (`幼儿园`, `公安局`, also `广铁集团`): it is segmented whole
/// already, and its tags are too unreliable to tell the names among such words.
fn is_common_word(word: &str, jieba: &Jieba) -> bool {
    jieba.has_word(word)
}

/// Whether `text` is ordinary words only (`配套`, `房地产开发`, `普惠性`): a generic head before a
/// suffix makes a common noun (`配套幼儿园`), not a name.
fn is_generic(text: &str, jieba: &Jieba) -> bool {
    jieba.tag(text, false).iter().all(|t| {
        t.word.chars().count() >= 2 && jieba.has_word(t.word) && !PROPER_TAGS.contains(&t.tag)
    })
}

/// `ln(P(gram) / (P(left) · P(right))) / −ln P(gram)` at the split where it is lowest.
fn weakest_split_npmi(
    gram: &str,
    c: Count,
    total_chars: f64,
    count: &impl Fn(&str) -> Option<Count>,
) -> f64 {
    gram.char_indices()
        .skip(1)
        .map(|(i, _)| {
            let left = count(&gram[..i]).map_or(1, |c| c.total) as f64;
            let right = count(&gram[i..]).map_or(1, |c| c.total) as f64;
            (c.total as f64 * total_chars / (left * right)).ln()
        })
        .fold(f64::INFINITY, f64::min)
        / (total_chars / c.total as f64).ln().max(f64::EPSILON)
}

/// How freely an n-gram combines on one side: the share of its occurrences taken by the most
/// frequent neighbouring character, and the entropy (nats) of its neighbours.
#[derive(Default, Clone, Copy)]
struct Side {
    top_share: f64,
    entropy: f64,
    /// After a gram: the share of its occurrences whose last character makes a word with the
    /// next one (`长株潭城` in `长株潭城铁`, `长株潭城际`: 城铁, 城际).
    glued: f64,
}

/// Both sides of every n-gram of a level, from the passed (n+1)-grams: the only extensions that
/// can be frequent. Occurrences no passed extension explains count as neighbours seen once, as
/// do starts and ends of runs. Function characters (and `小` after a name, which opens the
/// generic `小区`) are left out of the top share: they say nothing about being part of a
/// longer name.
fn sides<'a>(
    level: &FxHashMap<&'a str, Count>,
    longer: &FxHashMap<&'a str, Count>,
    jieba: &Jieba,
) -> FxHashMap<&'a str, (Side, Side)> {
    let mut before: FxHashMap<&str, Vec<(char, u32)>> = FxHashMap::default();
    let mut after: FxHashMap<&str, Vec<(char, u32)>> = FxHashMap::default();
    for (ext, e) in longer {
        let first = ext.chars().next().expect("n-grams are not empty");
        let last = ext.chars().next_back().expect("n-grams are not empty");
        before
            .entry(&ext[first.len_utf8()..])
            .or_default()
            .push((first, e.total));
        after
            .entry(&ext[..ext.len() - last.len_utf8()])
            .or_default()
            .push((last, e.total));
    }
    let side = |total: u32,
                neighbours: Option<&Vec<(char, u32)>>,
                free: &str,
                last: Option<char>| {
        let total = total as f64;
        let neighbours = neighbours.map(Vec::as_slice).unwrap_or_default();
        let explained: f64 = neighbours.iter().map(|(_, n)| *n as f64).sum();
        let residual = (total - explained).max(0.0);
        let entropy = neighbours
            .iter()
            .map(|(_, n)| {
                let p = *n as f64 / total;
                -p * p.ln()
            })
            .sum::<f64>()
            + residual / total * total.ln();
        let top = neighbours
            .iter()
            // Letters and digits number buildings and units (`五矿万境K9栋`, `3号`).
            .filter(|(ch, _)| {
                !FUNCTION_CHARS.contains(*ch) && !free.contains(*ch) && !ch.is_ascii_alphanumeric()
            })
            .map(|(_, n)| *n)
            .max()
            .unwrap_or(0);
        let glued: u32 = last.map_or(0, |last| {
            neighbours
                .iter()
                .filter(|(ch, _)| jieba.has_word(&String::from_iter([last, *ch])))
                .map(|(_, n)| *n)
                .sum()
        });
        Side {
            top_share: top as f64 / total,
            entropy,
            glued: glued as f64 / total,
        }
    };
    level
        .iter()
        .map(|(gram, c)| {
            (
                *gram,
                (
                    side(c.total, before.get(gram), "", None),
                    // Only a classed name's suffix can open the next word (and only there
                    // is `glued` read): the dictionary is not asked for every n-gram.
                    side(
                        c.total,
                        after.get(gram),
                        "小",
                        kind_by_suffix(gram).and(gram.chars().next_back()),
                    ),
                ),
            )
        })
        .collect()
}

/// Drops the place names whose records lie in many districts, none holding more than half of
/// them (a record's district is the one written right before the name, or else the first it
/// names, as [`crate::inferred_region`] reads it): `三甲医院`, `公办幼儿园`, `公交首末站` name a
/// kind of place, `蓝湾小区` several estates of one name, not one place that complaints could
/// share. Roads, lines and companies may span districts and are kept.
fn drop_spread_places<'a>(
    found: &mut Vec<DiscoveredName>,
    texts: impl Iterator<Item = &'a &'a str>,
) {
    let is_district = |n: &DiscoveredName| is_district(n.kind, &n.name);
    let is_place = |n: &DiscoveredName| {
        matches!(
            n.kind,
            EntityKind::Estate
                | EntityKind::Village
                | EntityKind::School
                | EntityKind::Hospital
                | EntityKind::Place
        )
    };
    let watched: Vec<&DiscoveredName> = found
        .iter()
        .filter(|n| is_district(n) || is_place(n))
        .collect();
    let Ok(matcher) = AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .build(watched.iter().map(|n| &n.name))
    else {
        // Only past the automaton's size limits: then every place is kept, as before this check.
        return;
    };
    // Per place: records per district.
    let mut spread: FxHashMap<usize, FxHashMap<usize, u32>> = FxHashMap::default();
    for text in texts {
        let mut first_district = None;
        // Each place with the district written right before it (`A7县星沙中茂城`), if any.
        let mut places: Vec<(usize, Option<usize>)> = Vec::new();
        let mut last: Option<(usize, usize)> = None;
        for m in matcher.find_iter(*text) {
            let i = m.pattern().as_usize();
            if is_district(watched[i]) {
                first_district.get_or_insert(i);
            } else if !places.iter().any(|(p, _)| *p == i) {
                let before = last
                    .filter(|(d, end)| *end == m.start() && is_district(watched[*d]))
                    .map(|(d, _)| d);
                places.push((i, before));
            }
            last = Some((i, m.end()));
        }
        for (place, before) in places {
            if let Some(district) = before.or(first_district) {
                *spread
                    .entry(place)
                    .or_default()
                    .entry(district)
                    .or_default() += 1;
            }
        }
    }
    let spread_out: FxHashSet<String> = spread
        .iter()
        .filter(|(_, districts)| {
            let total: u32 = districts.values().sum();
            let top = districts.values().max().copied().unwrap_or(0);
            total >= MIN_RECORDS_WITH_DISTRICT
                && districts.len() >= MIN_DISTRICTS
                && top as f64 <= MAX_SPREAD_SHARE * total as f64
        })
        .map(|(place, _)| watched[*place].name.clone())
        .collect();
    found.retain(|n| !spread_out.contains(&n.name));
}

/// Drops `丽发新城小区`, `伊景园滨河苑项目` when `丽发新城`, `伊景园滨河苑` are found too: the same
/// name with a generic word after it. A bare name before a suffix names a locality, and the
/// suffix one place in it (`咸嘉湖小学`, `咸嘉湖路` beside `咸嘉湖`): those stay.
fn drop_name_plus_suffix(found: &mut Vec<DiscoveredName>) {
    let names: rustc_hash::FxHashSet<String> = found.iter().map(|n| n.name.clone()).collect();
    found.retain(|n| {
        let Some((_, suffix_chars)) = kind_by_suffix(&n.name) else {
            return true;
        };
        let chars = n.name.chars().count();
        let head: String = n.name.chars().take(chars - suffix_chars).collect();
        !(names.contains(&head) && kind_by_suffix(&head).is_some())
    });
}

/// Drops names made of two found names (`泉塘街道漓楚路`, `武广新城伊景园滨河苑`), of a found area
/// and more (`城北区金桂苑小区`), or of a road or line and more than a suffix (`东六路下穿长永高速`,
/// `古曲南路广益中学`): each part is found, or findable, on its own, and a road inside a name makes
/// it a phrase or two places. (A company may hold a road: `长沙路桥集团`.)
fn drop_composites(found: &mut Vec<DiscoveredName>) {
    let names: rustc_hash::FxHashMap<String, EntityKind> =
        found.iter().map(|n| (n.name.clone(), n.kind)).collect();
    let road_then_more = |head: &str, rest: &str| {
        // `暮云街|道…` is not a road: its `街` opens the longer suffix `街道`.
        let next = rest.chars().next().map_or(0, char::len_utf8);
        let longer = |suffix: usize| {
            kind_by_suffix(&format!("{head}{}", &rest[..next])).is_some_and(|(_, s)| s > suffix)
        };
        kind_by_suffix(head).is_some_and(|(kind, suffix)| {
            matches!(kind, EntityKind::Road | EntityKind::Programme)
                && head.chars().count() - suffix >= 2
                && !longer(suffix)
        }) && rest.chars().count() >= 2
            && !is_suffix(rest)
    };
    found.retain(|n| {
        let company = matches!(n.kind, EntityKind::Organisation | EntityKind::Authority);
        !n.name.char_indices().skip(2).any(|(i, _)| {
            let (head, rest) = (&n.name[..i], &n.name[i..]);
            let composite = match names.get(head) {
                Some(EntityKind::Area) => rest.chars().count() >= 2,
                Some(_) => names.contains_key(rest),
                None => false,
            };
            composite || !company && road_then_more(head, rest)
        })
    });
}

/// Drops a name found almost only inside a longer found name (`景园滨河苑` inside
/// `伊景园滨河苑`); names also used on their own (`伊景园`) stay.
fn drop_fragments(found: &mut Vec<DiscoveredName>) {
    found.sort_by(|a, b| b.name.len().cmp(&a.name.len()).then(a.name.cmp(&b.name)));
    let mut kept: Vec<DiscoveredName> = Vec::with_capacity(found.len());
    for name in found.drain(..) {
        let inside = kept
            .iter()
            .any(|k| k.name.contains(&name.name) && k.records as f64 >= 0.8 * name.records as f64);
        if !inside {
            kept.push(name);
        }
    }
    *found = kept;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_off_names_are_read_off_their_suffix_and_phrases_are_not() {
        let jieba = crate::analyzer::load_jieba(None).unwrap();
        let names = |text: &str| -> Vec<String> {
            one_off_names(text, &jieba)
                .into_iter()
                .map(|e| e.name)
                .collect()
        };
        assert_eq!(
            names("A5区佳园星城小区居民反对附近修建垃圾中转站"),
            ["佳园星城小区"]
        );
        assert_eq!(names("投诉A4区龙福小区6栋麻将馆严重扰民"), ["龙福小区"]);
        assert_eq!(names("反映A市明德中学暑假放假问题"), ["明德中学"]);
        assert_eq!(
            names("A4区英祥春天小区一楼被搞成商业门面"),
            ["英祥春天小区"]
        );
        assert_eq!(
            names("反映A市阳光100小区没有公办幼儿园的问题"),
            ["阳光100小区"]
        );
        assert!(names("A市3个小区停水").is_empty());
        // jieba tags some heads as times: right after a coded area, with more before the
        // suffix, one opens a name all the same; a time word alone before a suffix does not.
        assert_eq!(
            names("A6区星月绿洲小区门面餐饮商铺油烟“四处飘散”"),
            ["星月绿洲小区"]
        );
        assert!(names("A市今年小区停水").is_empty());
        // Right after a coded area jieba's tags of an unknown name are guesses (`天/q 悦/nz`):
        // a short head is read by its letters, unless a word that opens a phrase opens it.
        assert_eq!(names("A2区天悦幼儿园的老师为什么全部换了"), ["天悦幼儿园"]);
        assert_eq!(names("反对在F市兴富鹏城居民区建设垃圾站"), ["兴富鹏城"]);
        assert!(names("请问A市加快国家中心城市建设有何具体行动？").is_empty());
        assert!(names("A7县一公立幼儿园代课老师咨询社保问题").is_empty());
        assert!(names("请加快提高A市民营幼儿园老师的待遇").is_empty());
        // A driving school is a school: two schools' refunds are two matters.
        assert_eq!(names("A市楚通驾校套路学员"), ["楚通驾校"]);
        // An ordinary head names the place right after a coded area, up to its first suffix.
        assert_eq!(names("A市经济学院强制学生外出实习"), ["经济学院"]);
        assert_eq!(names("A市经济学院体育学院变相强制实习"), ["经济学院"]);
        assert!(names("学生反映经济学院强制实习").is_empty());
        assert!(names("A市涉外经济学院寒假组织学生去工厂工作").contains(&"涉外经济学院".into()));
        assert!(!names("寒假组织学生去工厂工作").contains(&"学生去工厂".into()));
        // Pronouns, verbs and ordinary words before a suffix make no name.
        assert!(names("我们小区的老旧小区改造何时开始").is_empty());
        assert!(names("物业公司乱收费").is_empty());
    }
    use crate::analyzer::load_jieba;

    fn found(texts: &[&str]) -> Vec<(String, EntityKind)> {
        let jieba = load_jieba(None).unwrap();
        discover(texts, &jieba)
            .into_iter()
            .map(|n| (n.name, n.kind))
            .collect()
    }

    #[test]
    fn a_suffix_that_opens_the_next_word_makes_no_name() {
        // `城` of `长株潭城` is always the first half of 城铁 or 城际.
        let names = found(&[
            "长株潭城铁时刻表随意更改，上班族很不方便。",
            "希望长株潭城际铁路早高峰加开班次。",
            "投诉长株潭城铁随意调整谷山站的停靠。",
            "长株潭城际列车票价能否下调？",
            "建议长株潭城铁在麓谷站停靠。",
            "长株潭城际铁路运营的几点建议。",
        ]);
        assert!(!names.iter().any(|(n, _)| n == "长株潭城"), "{names:?}");
        // The line is the name: a railway is named like a metro line.
        assert!(
            names.contains(&("长株潭城铁".into(), EntityKind::Programme)),
            "{names:?}"
        );
    }

    #[test]
    fn a_road_and_more_is_a_phrase_not_a_name() {
        let names = found(&[
            "请问东六路下穿长永高速什么时候开工？",
            "咨询：东六路下穿长永高速通道的开建时间。",
            "为何东六路下穿长永高速一拖再拖？",
            "在长永高速收费站排长队。",
            "上了长永高速就堵车。",
            "希望东六路下穿长永高速年底通车。",
            "沿长永高速的噪音太大。",
            "经长永高速去机场要一个小时。",
        ]);
        assert!(
            names.contains(&("长永高速".into(), EntityKind::Road)),
            "{names:?}"
        );
        assert!(!names.iter().any(|(n, _)| n.contains("下穿")), "{names:?}");
    }

    #[test]
    fn a_kind_of_place_named_across_districts_is_not_one_place() {
        let texts = |districts: [&str; 5]| {
            [
                "{}的公办幼儿园太少，孩子上不了学。",
                "{}新建小区没有配套的公办幼儿园。",
                "反映{}公办幼儿园学位紧张的问题。",
                "希望{}多建公办幼儿园，减轻家长负担。",
                "{}公办幼儿园收费是否合理？",
            ]
            .iter()
            .zip(districts)
            .map(|(t, d)| t.replace("{}", d))
            // Areas are learned from records too: each is named again elsewhere.
            .chain(districts.map(|d| format!("{d}的道路需要维修。")))
            .collect::<Vec<String>>()
        };
        let learned = |texts: Vec<String>| {
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            found(&refs).iter().any(|(n, _)| n == "公办幼儿园")
        };
        // One district's kindergartens may be one matter; five districts' are a kind of school.
        assert!(learned(texts(["A1区"; 5])));
        assert!(!learned(texts(["A1区", "A2区", "A3区", "A4区", "A5区"])));
        // A place named with its county by some and with the zone inside it by others stays.
        assert!(learned(texts(["A1区", "A1区", "经开区", "经开区", "A1区"])));
    }

    #[test]
    fn a_line_named_by_ordinary_words_is_a_kind_of_line() {
        let names = found(&[
            "小区后面架设高压电线，辐射太大。",
            "请问月亮岛路的高压电线什么时候入地？",
            "反对在学校旁边架设高压电线！",
            "村里的高压电线离房子太近了。",
            "建议把高压电线改为地埋。",
            "地铁六号线什么时候开通？",
            "希望地铁六号线增设出入口。",
            "反映地铁六号线施工扰民。",
        ]);
        assert!(!names.iter().any(|(n, _)| n == "高压电线"), "{names:?}");
        assert!(
            names.contains(&("地铁六号线".into(), EntityKind::Programme)),
            "{names:?}"
        );
    }

    #[test]
    fn a_company_that_five_records_name_is_learned_whole() {
        let names = found(&[
            "临河县瑞丰源建材公司的搅拌站晚上一直响，吵得睡不着。",
            "瑞丰源建材公司搅拌站粉尘很大，临河县这边衣服都不敢晒。",
            "投诉瑞丰源建材公司，搅拌站的罐车把路压坏了。",
            "临河县石门村旁边瑞丰源建材公司半夜生产，噪音扰民。",
            "请环保部门查一查瑞丰源建材公司的搅拌站有没有环评。",
        ]);
        assert!(
            names.contains(&("瑞丰源建材公司".into(), EntityKind::Organisation)),
            "{names:?}"
        );
        assert!(
            names.contains(&("临河县".into(), EntityKind::Area)),
            "{names:?}"
        );
        assert!(!names.iter().any(|(n, _)| n == "搅拌站"), "{names:?}");
    }

    #[test]
    fn a_bare_name_between_coded_areas_is_learned() {
        // Pseudonymised data writes a district code before the estate and a building code after.
        let names = found(&[
            "B市鹏瑞云境K3县的墙壁开裂了",
            "B市鹏瑞云境K3县交房后漏水",
            "B2区鹏瑞云境K3县负一楼面积缩水",
            "B市鹏瑞云境K3县存在严重的消防隐患",
            "反映B2区鹏瑞云境路段拥堵",
            "B市鹏瑞云境K3县房屋出现质量问题",
            "鹏瑞云境水岸三期违规建设垃圾站",
        ]);
        assert!(
            names.contains(&("鹏瑞云境".into(), EntityKind::Name)),
            "{names:?}"
        );
        assert!(
            names.contains(&("K3县".into(), EntityKind::Area)),
            "{names:?}"
        );
    }

    #[test]
    fn coded_areas_cut_runs() {
        let pieces: Vec<&str> = split_at_coded_areas("A市五矿万境K9县存在").collect();
        assert_eq!(pieces, ["A市", "五矿万境", "K9县", "存在"]);
        let pieces: Vec<&str> = split_at_coded_areas("ABC小区").collect();
        assert_eq!(pieces, ["ABC小区"]);
    }
}
