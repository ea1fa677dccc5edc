//! Grouping records into issues: average-linkage agglomeration over words and meaning, with the
//! names a record gives deciding which merges may happen at all.
//!
//! Two groups are as similar as their members are on average (average linkage), so one generic
//! record cannot chain two matters together as it does under single linkage. A pair's
//! similarity blends the lexical cosine (TF-IDF words, learned names whole) with the meaning of
//! the embeddings, rescaled from e5's narrow band (unrelated texts already score about 0.86) to
//! 0–1, so that complaints worded differently about one matter meet. Both averages are exact and
//! cheap: with unit vectors, the mean pairwise cosine of two groups is the dot product of their
//! sums divided by both sizes.
//!
//! Merges are taken best first from the record graph's edges (each record's nearest neighbours
//! by words and by meaning), and stop below a threshold. Four rules keep matters apart whatever
//! the wording shares:
//! - groups whose main specific names differ (two estates, two schools, two roads) never merge;
//!   a name and a longer name that holds it (`魅力之城`, `万科魅力之城`), two names of one
//!   locality (`柳湾新村`, `柳湾小学`), or two names records often give together (an estate and
//!   the building site beside it) count as the same;
//! - below that, every pair of members that name different places, or where only one of the
//!   two names a place, lowers the similarity a little: a group of many estates' complaints,
//!   none named by half its members, does not grow into a topic-level mix, and a record that
//!   says no place joins a named matter only when clearly the same;
//! - opinions on different articles of a draft never merge;
//! - groups that are each one person's records, the same person's, merge only when they are
//!   much closer than usual: templated posts about many projects stay apart by project.
//!
//! And one rule joins what wording keeps apart: groups of one place, close in meaning, whose
//! titles share the problem's words (the title's words that are not names or places) gain a
//! bonus, so one matter written three ways at one school is one issue.
//!
//! The result depends only on the data: ties are broken by record position.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashSet};

use rustc_hash::{FxHashMap, FxHashSet};

use super::features::Features;

/// How strict grouping is.
#[derive(Debug, Clone, Copy)]
pub struct Thresholds {
    /// Groups merge while their average similarity is at least this.
    pub merge_min: f32,
    /// The share of meaning in a similarity, when records have embeddings.
    pub meaning_weight: f32,
    /// Cosine of embeddings that counts as 0 (unrelated) and as 1 (the same matter).
    pub meaning_floor: f32,
    pub meaning_full: f32,
    /// The similarity one person's groups need to merge with each other.
    pub same_submitter_min: f32,
    /// Taken from the similarity for each pair of members that name different places (share
    /// of pairs × this): a group of many estates' complaints is not one matter, even when no
    /// estate is named by half of its members.
    pub other_place_penalty: f32,
    /// … and for each pair where only one member names a place: a record that does not say
    /// where joins a named matter only when clearly the same (an unknown estate's garbage
    /// station is not 佳园星城's).
    pub one_named_penalty: f32,
    /// Added to the similarity of two groups that name one place, are at least
    /// `same_matter_meaning` close in meaning (rescaled) and whose titles share the problem's
    /// words: one matter written in different words (`强制学生实习`, `组织学生外出打工`,
    /// `寒假组织学生去工厂工作` at one school). Two matters at one estate are close in meaning
    /// too (the name is in both texts), but their titles name different problems.
    pub same_place_bonus: f32,
    /// … when both give the very same main name (not only two names of one place).
    pub same_name_bonus: f32,
    pub same_matter_meaning: f32,
    /// The average cosine of the groups' title problem words that counts as a shared problem.
    pub same_problem_min: f32,
}

/// Which of a record's names say what the matter is: places, estates, schools, companies …
/// (`Place`) or the road they are on (`Road`), a weaker sign that is compared only when
/// neither group names a place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NameTier {
    Place,
    Road,
}

/// What is known of each record.
pub struct Points<'a> {
    pub features: &'a [Features],
    /// Unit embeddings, one per record, when every record has one.
    pub meanings: Option<&'a [Vec<f32>]>,
    /// The specific names each record gives, as indexes into `name_texts` (names written with
    /// their numbers one way, [`super::numbered_alike`]).
    pub names: &'a [Vec<(u32, NameTier)>],
    pub name_texts: &'a [String],
    /// Pairs of names (lower id first) that records often give together: one place seen two
    /// ways (`幸福里小区` and the `锦程华府` site beside it).
    pub related_names: &'a HashSet<(u32, u32)>,
    /// The problem words of each record's title ([`super::features::problem_words`]).
    pub problems: &'a [Features],
    /// An id of each record's submitter, when known.
    pub submitters: &'a [Option<u32>],
    /// An id of the draft article each opinion comments on (law and article), when given.
    pub provisions: &'a [Option<u32>],
}

struct Group {
    members: Vec<usize>,
    /// Summed word weights. A hasher without a random seed: the similarity sums these in the
    /// map's order, and float sums in another order differ in the last bits, enough to turn a
    /// merge at the threshold one way in one run and the other way in the next.
    lexical: FxHashMap<u32, f32>,
    /// Summed problem words of the members' titles.
    problem: FxHashMap<u32, f32>,
    meaning: Vec<f32>,
    names: FxHashMap<(u32, NameTier), u32>,
    /// Members that name a place.
    named: u32,
    /// The one submitter of every member, when there is one.
    submitter: Option<u32>,
    /// The draft article the members that name one comment on.
    provision: Option<u32>,
    neighbours: FxHashSet<usize>,
    stamp: u32,
}

#[derive(PartialEq)]
struct Candidate {
    link: f32,
    a: usize,
    b: usize,
    stamps: (u32, u32),
}

impl Eq for Candidate {}

impl Ord for Candidate {
    fn cmp(&self, other: &Self) -> Ordering {
        self.link
            .total_cmp(&other.link)
            .then_with(|| (other.a, other.b).cmp(&(self.a, self.b)))
    }
}

impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Groups of record positions; every record is in exactly one group (singletons included),
/// groups ordered by their first member.
pub fn cluster(
    points: &Points,
    neighbours: &[Vec<(u32, f32)>],
    thresholds: &Thresholds,
) -> Vec<Vec<usize>> {
    let n = points.features.len();
    let mut groups: Vec<Option<Group>> = (0..n).map(|i| Some(Group::of(points, &[i]))).collect();
    for (i, list) in neighbours.iter().enumerate() {
        for (j, _) in list {
            let j = *j as usize;
            if j != i {
                groups[i].as_mut().expect("alive").neighbours.insert(j);
                groups[j].as_mut().expect("alive").neighbours.insert(i);
            }
        }
    }
    let mut heap = BinaryHeap::new();
    for i in 0..n {
        let g = groups[i].as_ref().expect("alive");
        for &j in g.neighbours.iter().filter(|j| **j > i) {
            let link = link(g, groups[j].as_ref().expect("alive"), points, thresholds);
            if let Some(link) = link.filter(|l| *l >= thresholds.merge_min) {
                heap.push(Candidate {
                    link,
                    a: i,
                    b: j,
                    stamps: (0, 0),
                });
            }
        }
    }
    while let Some(c) = heap.pop() {
        let (Some(a), Some(b)) = (&groups[c.a], &groups[c.b]) else {
            continue;
        };
        if (a.stamp, b.stamp) != c.stamps || !may_merge(a, b, c.link, thresholds) {
            continue;
        }
        let gone = groups[c.b].take().expect("alive");
        let keep = groups[c.a].as_mut().expect("alive");
        absorb(keep, gone, c.a, c.b);
        let keep = groups[c.a].as_ref().expect("alive");
        let mut fresh = Vec::new();
        for &other in &keep.neighbours {
            if let Some(g) = &groups[other] {
                let link = link(keep, g, points, thresholds);
                if let Some(link) = link.filter(|l| *l >= thresholds.merge_min) {
                    let (a, b) = (c.a.min(other), c.a.max(other));
                    let stamps = if a == c.a {
                        (keep.stamp, g.stamp)
                    } else {
                        (g.stamp, keep.stamp)
                    };
                    fresh.push(Candidate { link, a, b, stamps });
                }
            }
        }
        heap.extend(fresh);
        // The other groups that listed the gone group now list the merged one.
        let neighbours: Vec<usize> = keep.neighbours.iter().copied().collect();
        for other in neighbours {
            if let Some(g) = groups[other].as_mut() {
                g.neighbours.remove(&c.b);
                g.neighbours.insert(c.a);
            }
        }
    }
    let mut out: Vec<Vec<usize>> = groups
        .into_iter()
        .flatten()
        .map(|mut g| {
            g.members.sort_unstable();
            g.members
        })
        .collect();
    out.sort_by_key(|g| g[0]);
    out
}

impl Group {
    /// The group of the records at `members`, with no neighbours yet.
    fn of(points: &Points, members: &[usize]) -> Group {
        let mut lexical: FxHashMap<u32, f32> = FxHashMap::default();
        let mut problem: FxHashMap<u32, f32> = FxHashMap::default();
        let mut meaning = Vec::new();
        let mut names: FxHashMap<(u32, NameTier), u32> = FxHashMap::default();
        for &i in members {
            for (word, w) in &points.features[i] {
                *lexical.entry(*word).or_default() += w;
            }
            for (word, w) in &points.problems[i] {
                *problem.entry(*word).or_default() += w;
            }
            if let Some(meanings) = points.meanings {
                meaning.resize(meanings[i].len(), 0.0);
                meaning
                    .iter_mut()
                    .zip(&meanings[i])
                    .for_each(|(m, v)| *m += v);
            }
            for name in &points.names[i] {
                *names.entry(*name).or_default() += 1;
            }
        }
        let named = members
            .iter()
            .filter(|i| points.names[**i].iter().any(|(_, t)| *t == NameTier::Place))
            .count() as u32;
        let first = members.first().and_then(|i| points.submitters[*i]);
        let one_submitter = members.iter().all(|i| points.submitters[*i] == first);
        // Merges never join two articles, so the members that give one all give the same.
        let article = members.iter().find_map(|i| points.provisions[*i]);
        Group {
            members: members.to_vec(),
            lexical,
            problem,
            meaning,
            names,
            named,
            submitter: first.filter(|_| one_submitter),
            provision: article,
            neighbours: FxHashSet::default(),
            stamp: 0,
        }
    }
}

/// How well each record at `candidates` would join the group of `members`: the average
/// similarity grouping would merge them by, or `None` where grouping would never merge them
/// (another place, or one person's templated posts not close enough). A topic's new cases are
/// the records that 类案 grouping would have put with its members.
pub fn affinities(
    points: &Points,
    members: &[usize],
    candidates: &[usize],
    thresholds: &Thresholds,
) -> Vec<Option<f32>> {
    let group = Group::of(points, members);
    candidates
        .iter()
        .map(|&c| {
            let single = Group::of(points, &[c]);
            let link = link(&group, &single, points, thresholds)?;
            may_merge(&group, &single, link, thresholds).then_some(link)
        })
        .collect()
}

fn absorb(keep: &mut Group, gone: Group, keep_at: usize, gone_at: usize) {
    keep.members.extend(gone.members);
    for (word, w) in gone.lexical {
        *keep.lexical.entry(word).or_default() += w;
    }
    for (word, w) in gone.problem {
        *keep.problem.entry(word).or_default() += w;
    }
    for (k, v) in keep.meaning.iter_mut().zip(&gone.meaning) {
        *k += v;
    }
    for (name, count) in gone.names {
        *keep.names.entry(name).or_default() += count;
    }
    keep.named += gone.named;
    keep.provision = keep.provision.or(gone.provision);
    if keep.submitter != gone.submitter {
        keep.submitter = None;
    }
    keep.neighbours.extend(gone.neighbours);
    keep.neighbours.remove(&keep_at);
    keep.neighbours.remove(&gone_at);
    keep.stamp += 1;
}

/// The average similarity of the members of `a` to those of `b`, lowered by the share of member
/// pairs that name different places or where only one names a place ([`PlaceMix`]); `None`
/// when the groups' main places differ and they must stay apart. Naming the same place adds
/// nothing by itself (measured: a bonus for it joins different matters of one estate); with
/// meaning close and the problem's words shared in the titles, it does ([`same_matter_bonus`]).
fn link(a: &Group, b: &Group, points: &Points, t: &Thresholds) -> Option<f32> {
    // Opinions on two articles of a draft (or two drafts) are two concerns, however alike the
    // templates they are written in.
    let articles_differ =
        a.provision.is_some() && b.provision.is_some() && a.provision != b.provision;
    let same = places(a, b, points);
    if articles_differ || same == Some(false) {
        return None;
    }
    let mix = PlaceMix::of(a, b, points);
    let adjustment = -t.other_place_penalty * mix.other - t.one_named_penalty * mix.one_sided;
    let pairs = (a.members.len() * b.members.len()) as f32;
    let lexical = dot(&a.lexical, &b.lexical) / pairs;
    if points.meanings.is_none() {
        return Some(lexical + adjustment);
    }
    let cosine: f32 = a
        .meaning
        .iter()
        .zip(&b.meaning)
        .map(|(x, y)| x * y)
        .sum::<f32>()
        / pairs;
    let meaning = (cosine - t.meaning_floor) / (t.meaning_full - t.meaning_floor);
    let bonus = if same == Some(true) && meaning >= t.same_matter_meaning {
        same_matter_bonus(a, b, pairs, t)
    } else {
        0.0
    };
    Some((1.0 - t.meaning_weight) * lexical + t.meaning_weight * meaning + adjustment + bonus)
}

/// What two groups of one place, close in meaning, gain when their titles share the problem's
/// words (the average cosine of their problem words is at least `t.same_problem_min`): more when
/// they give the very same main name than when their names are only of one place.
fn same_matter_bonus(a: &Group, b: &Group, pairs: f32, t: &Thresholds) -> f32 {
    if dot(&a.problem, &b.problem) / pairs < t.same_problem_min {
        return 0.0;
    }
    let (x, y) = (
        main_names(a, NameTier::Place),
        main_names(b, NameTier::Place),
    );
    if x.iter().any(|i| y.contains(i)) {
        t.same_name_bonus
    } else {
        t.same_place_bonus
    }
}

/// The dot product of two summed word vectors: the sum of their members' pairwise cosines.
fn dot(a: &FxHashMap<u32, f32>, b: &FxHashMap<u32, f32>) -> f32 {
    let (small, large) = if a.len() < b.len() { (a, b) } else { (b, a) };
    small
        .iter()
        .filter_map(|(w, x)| large.get(w).map(|y| x * y))
        .sum()
}

fn may_merge(a: &Group, b: &Group, link: f32, t: &Thresholds) -> bool {
    !(a.submitter.is_some() && a.submitter == b.submitter && link < t.same_submitter_min)
}

/// Whether two groups name the same place, different places, or cannot tell (one names none,
/// or their names only share a locality). Places decide when both groups name one; roads only
/// when neither does.
fn places(a: &Group, b: &Group, points: &Points) -> Option<bool> {
    for tier in [NameTier::Place, NameTier::Road] {
        let (x, y) = (main_names(a, tier), main_names(b, tier));
        if x.is_empty() || y.is_empty() {
            continue;
        }
        let best = x
            .iter()
            .flat_map(|i| y.iter().map(|j| place_match(points, *i, *j)))
            .max()
            .expect("both lists hold names");
        return match best {
            PlaceMatch::Same => Some(true),
            PlaceMatch::Near => None,
            PlaceMatch::Other => Some(false),
        };
    }
    None
}

/// How two names compare as places, from least to most alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum PlaceMatch {
    Other,
    /// They share only the locality they are named after (`柳湾新村`, `柳湾小学`; but also
    /// `恒大江湾`, `恒大文化旅游城`, two estates of one developer): maybe one place, maybe two.
    Near,
    Same,
}

/// Names `i` and `j` are one place when they are the same name, two names records often give
/// together, or one holds the other (`魅力之城`, `万科魅力之城`) or both open with the same name of
/// three characters or more (`恒大城英蓝幼儿园`, `恒大城公立幼儿园`); near when they share only
/// their first two characters.
fn place_match(points: &Points, i: u32, j: u32) -> PlaceMatch {
    let (a, b) = (
        points.name_texts[i as usize].as_str(),
        points.name_texts[j as usize].as_str(),
    );
    let shared = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    if i == j
        || points.related_names.contains(&(i.min(j), i.max(j)))
        || a.contains(b)
        || b.contains(a)
        || shared >= 3
    {
        PlaceMatch::Same
    } else if shared == 2 {
        PlaceMatch::Near
    } else {
        PlaceMatch::Other
    }
}

/// How the places the members of two groups name compare, as shares of the member pairs: both
/// name places but different ones, or only one names a place.
struct PlaceMix {
    other: f32,
    one_sided: f32,
}

impl PlaceMix {
    fn of(a: &Group, b: &Group, points: &Points) -> PlaceMix {
        let mut same_pairs = 0.0f32;
        for ((i, ti), ca) in &a.names {
            for ((j, tj), cb) in &b.names {
                if *ti == NameTier::Place
                    && *tj == NameTier::Place
                    && place_match(points, *i, *j) == PlaceMatch::Same
                {
                    same_pairs += (*ca * *cb) as f32;
                }
            }
        }
        let (na, nb) = (a.named as f32, b.named as f32);
        let (sa, sb) = (a.members.len() as f32, b.members.len() as f32);
        let pairs = sa * sb;
        let same_pairs = same_pairs.min(na * nb);
        PlaceMix {
            other: (na * nb - same_pairs) / pairs,
            one_sided: (na * (sb - nb) + (sa - na) * nb) / pairs,
        }
    }
}

/// The names of `tier` that at least half of the group's members give.
fn main_names(g: &Group, tier: NameTier) -> Vec<u32> {
    let half = g.members.len().div_ceil(2) as u32;
    let mut names: Vec<u32> = g
        .names
        .iter()
        .filter(|((_, t), n)| *t == tier && **n >= half)
        .map(|((id, _), _)| *id)
        .collect();
    names.sort_unstable();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(words: &[(u32, f32)]) -> Features {
        let norm = words.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
        words.iter().map(|(id, w)| (*id, w / norm)).collect()
    }

    const LEXICAL: Thresholds = Thresholds {
        merge_min: 0.4,
        meaning_weight: 0.0,
        meaning_floor: 0.86,
        meaning_full: 0.96,
        same_submitter_min: 0.9,
        other_place_penalty: 0.0,
        one_named_penalty: 0.0,
        same_place_bonus: 0.0,
        same_name_bonus: 0.0,
        same_matter_meaning: 0.0,
        same_problem_min: 0.0,
    };

    fn groups(
        features: &[Features],
        names: &[Vec<(u32, NameTier)>],
        submitters: &[Option<u32>],
    ) -> Vec<Vec<usize>> {
        let name_texts: Vec<String> = ["幸福里", "和平新村", "魅力之城", "万科魅力之城"]
            .map(String::from)
            .to_vec();
        let points = Points {
            features,
            meanings: None,
            names,
            name_texts: &name_texts,
            related_names: &HashSet::new(),
            problems: &vec![vec![]; features.len()],
            submitters,
            provisions: &vec![None; features.len()],
        };
        let neighbours = super::super::features::nearest_neighbours(features, 8);
        cluster(&points, &neighbours, &LEXICAL)
    }

    #[test]
    fn a_bridge_record_does_not_glue_two_groups() {
        // Words: 0 幸福里, 1 和平新村, 2 施工, 3 噪音.
        let features = vec![
            f(&[(0, 3.0), (2, 1.0), (3, 1.0)]),
            f(&[(0, 3.0), (2, 1.0), (3, 1.0)]),
            f(&[(1, 3.0), (2, 1.0), (3, 1.0)]),
            f(&[(1, 3.0), (2, 1.0), (3, 1.0)]),
            f(&[(0, 1.0), (1, 1.0), (2, 2.0), (3, 2.0)]),
        ];
        let g = groups(&features, &vec![vec![]; 5], &[None; 5]);
        let group_of = |i: usize| g.iter().position(|g| g.contains(&i)).unwrap();
        assert_eq!(group_of(0), group_of(1), "{g:?}");
        assert_eq!(group_of(2), group_of(3), "{g:?}");
        assert_ne!(group_of(0), group_of(2), "{g:?}");
    }

    #[test]
    fn names_sharing_only_a_locality_may_be_two_places() {
        let name_texts: Vec<String> = [
            "恒大城英蓝幼儿园",
            "恒大城公立幼儿园",
            "恒大江湾",
            "恒大文化旅游城",
            "幸福里",
            "和平新村",
        ]
        .map(String::from)
        .to_vec();
        let points = Points {
            features: &[],
            meanings: None,
            names: &[],
            name_texts: &name_texts,
            related_names: &HashSet::new(),
            problems: &[],
            submitters: &[],
            provisions: &[],
        };
        // An estate's name opening a school's: the estate's school.
        assert_eq!(place_match(&points, 0, 1), PlaceMatch::Same);
        // Two estates of one developer, or one locality's estate and school: cannot tell.
        assert_eq!(place_match(&points, 2, 3), PlaceMatch::Near);
        assert_eq!(place_match(&points, 4, 5), PlaceMatch::Other);
        assert_eq!(place_match(&points, 2, 2), PlaceMatch::Same);
    }

    #[test]
    fn different_places_never_merge_and_a_longer_name_is_the_same_place() {
        // The same words; records 0–1 name 幸福里, 2 和平新村, 3 魅力之城, 4 万科魅力之城.
        let same = f(&[(2, 1.0), (3, 1.0)]);
        let features = vec![same.clone(); 5];
        let place = |id| vec![(id, NameTier::Place)];
        let names = vec![place(0), place(0), place(1), place(2), place(3)];
        let g = groups(&features, &names, &[None; 5]);
        assert_eq!(g, vec![vec![0, 1], vec![2], vec![3, 4]]);
    }

    #[test]
    fn pairs_naming_other_places_or_none_lower_the_similarity() {
        // Records 0–2 name 幸福里, 和平新村 and nothing; 3 and 4 name nothing.
        let name_texts: Vec<String> = ["幸福里", "和平新村"].map(String::from).to_vec();
        let place = |id| vec![(id, NameTier::Place)];
        let names = vec![place(0), place(1), vec![], vec![], vec![]];
        let features = vec![f(&[(2, 1.0), (3, 1.0)]); 5];
        let points = Points {
            features: &features,
            meanings: None,
            names: &names,
            name_texts: &name_texts,
            related_names: &HashSet::new(),
            problems: &vec![vec![]; features.len()],
            submitters: &[None; 5],
            provisions: &[None; 5],
        };
        let mix = |a: &[usize], b: &[usize]| {
            PlaceMix::of(&Group::of(&points, a), &Group::of(&points, b), &points)
        };
        // A mix of 幸福里 and two unnamed records against 和平新村: one pair in three names
        // another place, two name a place on one side only.
        let m = mix(&[0, 2, 3], &[1]);
        assert!((m.other - 1.0 / 3.0).abs() < 1e-6 && (m.one_sided - 2.0 / 3.0).abs() < 1e-6);
        assert_eq!(
            (mix(&[3], &[4]).other, mix(&[3], &[4]).one_sided),
            (0.0, 0.0)
        );
        let strict = Thresholds {
            other_place_penalty: 0.3,
            one_named_penalty: 0.06,
            ..LEXICAL
        };
        let link = |a: &[usize], b: &[usize], t: &Thresholds| {
            link(&Group::of(&points, a), &Group::of(&points, b), &points, t).unwrap()
        };
        assert!((link(&[0, 2, 3], &[1], &LEXICAL) - 1.0).abs() < 1e-6);
        assert!((link(&[0, 2, 3], &[1], &strict) - (1.0 - 0.1 - 0.04)).abs() < 1e-6);
        assert!((link(&[3], &[4], &strict) - 1.0).abs() < 1e-6);
    }

    #[test]
    fn opinions_on_different_articles_never_merge() {
        // The same template: records 0–1 on one article, 2 on another, 3 gives none.
        let features = vec![f(&[(2, 1.0), (3, 1.0)]); 4];
        let name_texts: Vec<String> = Vec::new();
        let points = Points {
            features: &features,
            meanings: None,
            names: &vec![vec![]; 4],
            name_texts: &name_texts,
            related_names: &HashSet::new(),
            problems: &vec![vec![]; features.len()],
            submitters: &[None; 4],
            provisions: &[Some(0), Some(0), Some(1), None],
        };
        let neighbours = super::super::features::nearest_neighbours(&features, 8);
        let g = cluster(&points, &neighbours, &LEXICAL);
        let group_of = |i: usize| g.iter().position(|g| g.contains(&i)).unwrap();
        assert_eq!(group_of(0), group_of(1), "{g:?}");
        assert_ne!(group_of(0), group_of(2), "{g:?}");
    }

    #[test]
    fn one_persons_records_need_to_be_much_closer() {
        let features = vec![
            f(&[(2, 1.0), (3, 1.0), (5, 1.0)]),
            f(&[(2, 1.0), (3, 1.0), (6, 1.0)]),
        ];
        let one_person = groups(&features, &vec![vec![]; 2], &[Some(7), Some(7)]);
        assert_eq!(one_person.len(), 2, "{one_person:?}");
        let two_people = groups(&features, &vec![vec![]; 2], &[Some(7), Some(8)]);
        assert_eq!(two_people, vec![vec![0, 1]]);
    }

    #[test]
    fn one_place_and_one_problem_in_other_words_join_and_another_problem_does_not() {
        // Four complaints about one school: two alike, one about the same problem in other
        // words (its title shares the problem word 9), one about another problem (8). All four
        // are equally close in meaning to the first two.
        let features = vec![
            f(&[(1, 1.0), (2, 1.0)]),
            f(&[(1, 1.0), (2, 1.0)]),
            f(&[(3, 1.0), (4, 1.0)]),
            f(&[(5, 1.0), (6, 1.0)]),
        ];
        let side = (1.0f32 - 0.92 * 0.92).sqrt();
        let meanings = vec![
            vec![1.0, 0.0, 0.0],
            vec![1.0, 0.0, 0.0],
            vec![0.92, side, 0.0],
            vec![0.92, 0.0, side],
        ];
        let problems = vec![
            f(&[(9, 1.0)]),
            f(&[(9, 1.0)]),
            f(&[(9, 1.0), (7, 1.0)]),
            f(&[(8, 1.0)]),
        ];
        let names = vec![vec![(0, NameTier::Place)]; 4];
        let name_texts = vec!["经济学院".to_string()];
        let points = Points {
            features: &features,
            meanings: Some(&meanings),
            names: &names,
            name_texts: &name_texts,
            related_names: &HashSet::new(),
            problems: &problems,
            submitters: &[None; 4],
            provisions: &[None; 4],
        };
        let thresholds = Thresholds {
            merge_min: 0.47,
            meaning_weight: 0.6,
            same_place_bonus: 0.15,
            same_name_bonus: 0.2,
            same_matter_meaning: 0.35,
            same_problem_min: 0.1,
            ..LEXICAL
        };
        let neighbours = vec![vec![(1, 1.0), (2, 0.9), (3, 0.9)]; 4];
        let g = cluster(&points, &neighbours, &thresholds);
        let group_of = |i: usize| g.iter().position(|g| g.contains(&i)).unwrap();
        assert_eq!(group_of(0), group_of(2), "{g:?}");
        assert_ne!(group_of(0), group_of(3), "{g:?}");
        // Without the bonus, words and meaning alone keep the other wording apart too.
        let apart = Thresholds {
            same_name_bonus: 0.0,
            same_place_bonus: 0.0,
            ..thresholds
        };
        let g = cluster(&points, &neighbours, &apart);
        let group_of = |i: usize| g.iter().position(|g| g.contains(&i)).unwrap();
        assert_ne!(group_of(0), group_of(2), "{g:?}");
    }
}
