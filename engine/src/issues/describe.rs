//! What each group shows, and the heat score issues are ranked by.
//!
//! Heat (documented in the README) adds up, on log scales so no single signal dominates:
//!
//! ```text
//! 2·ln(1 + distinct submitters) + ln(1 + volume) + 0.5·ln(1 + likes / 10) + 0.5·ln(places)
//!   + 0.5·min(growth, 3) when growing + 1 when a spike is flagged
//! ```
//!
//! where likes count in tens (a few likes on every post are not heat; thousands on one are),
//! places counts distinct regions (a record without one in the district its text names) and
//! sites, volume counts each submitter once plus a quarter for each repeat record, and growth
//! compares the last 30 days with the 30 before.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use minyi_corpus::Record;
use minyi_corpus::pii::Masker;
use minyi_indexer::inferred_region;
use minyi_indexer::names::Entity;
use serde::Serialize;

use super::features::{Features, Vocabulary, cosine};
use super::{IssueList, IssueOptions};
use crate::search::{FacetCount, MonthCount, mask_counts};
use crate::viewer::mask_text;

/// Records this similar are counted as near-duplicates of each other.
const NEAR_DUPLICATE: f32 = 0.85;
/// Keywords listed.
const KEYWORDS: usize = 8;
/// A keyword must occur in this share of the group's records.
const KEYWORD_MIN_SHARE: f32 = 0.25;
/// What a record from someone already counted adds to an issue's volume.
const REPEAT_WEIGHT: f64 = 0.25;
/// Likes count in units of this many.
const LIKES_UNIT: f64 = 10.0;
/// Growth compares the last `GROWTH_DAYS` with the `GROWTH_DAYS` before.
const GROWTH_DAYS: i64 = 30;
/// A week is a spike when it has at least this many records …
const SPIKE_MIN_COUNT: u64 = 5;
/// … and exceeds its history's mean by this many standard deviations (at least 1 record each).
const SPIKE_SIGMAS: f64 = 3.0;
/// Weeks of history a spike is measured against.
const SPIKE_HISTORY_WEEKS: usize = 12;

pub(super) struct Grouping {
    pub groups: Vec<Vec<usize>>,
    pub features: Vec<Features>,
    pub vocabulary: Vocabulary,
    /// The names each record gives.
    pub entities: Vec<Vec<Entity>>,
    /// The places each record's title opens with that were not learned: labels may name them.
    pub one_off: Vec<Vec<Entity>>,
}

/// One recurring issue.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Issue {
    /// Stable across re-runs and additions: derived from the group's earliest record.
    pub id: String,
    /// The matter in a 问题清单 line: the main place or organisation and the problem,
    /// e.g. `魅力之城 · 临街门面油烟扰民`.
    pub label: String,
    /// The specific name (estate, school, company, road …) at least half of the records give.
    pub entity: Option<Entity>,
    /// The problem part of the label.
    pub problem: String,
    /// Words that many members share and that are rare in the index.
    pub keywords: Vec<String>,
    /// The names the records give, with how many records give each.
    pub entities: Vec<FacetCount>,
    /// Records in the group.
    pub size: usize,
    /// Distinct submitters (records without a submitter count as distinct).
    pub submitters: usize,
    /// People who wrote about it more than once (重复信访).
    pub repeat_submitters: Vec<SubmitterCount>,
    /// Records that are near-duplicates of another record of the group.
    pub duplicates: usize,
    /// Regions, a record without one counted in the district its text names.
    pub regions: Vec<FacetCount>,
    pub sites: Vec<FacetCount>,
    pub categories: Vec<FacetCount>,
    pub kinds: Vec<FacetCount>,
    /// Local time without an offset, as the records give it.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, pattern = r"^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$", example = "2024-05-01T09:30:00"))]
    pub first_at: Option<NaiveDateTime>,
    /// Local time without an offset, as the records give it.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, pattern = r"^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$", example = "2024-05-01T09:30:00"))]
    pub last_at: Option<NaiveDateTime>,
    pub weekly: Vec<WeekCount>,
    pub monthly: Vec<MonthCount>,
    /// Records in the last 30 days up to `as_of`, and in the 30 days before.
    pub recent: usize,
    pub previous: usize,
    /// `(recent − previous) / max(previous, 1)`.
    pub growth: f64,
    /// The latest week whose volume jumped against the group's own history.
    pub spike: Option<Spike>,
    pub likes: u64,
    pub heat: f64,
    /// The record closest to the group's centre.
    pub representative: Record,
    pub record_ids: Vec<String>,
    /// Replies given so far, newest first.
    pub replies: Vec<Reply>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubmitterCount {
    pub submitter: String,
    pub count: usize,
}

/// Records per ISO week (`2025-W27`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WeekCount {
    pub week: String,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Spike {
    pub week: String,
    pub count: u64,
    /// Mean weekly count over the weeks before.
    pub baseline: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategorySpike {
    pub category: String,
    #[serde(flatten)]
    pub spike: Spike,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reply {
    pub id: String,
    /// Local time without an offset, as the record gives it.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, pattern = r"^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$", example = "2024-05-01T09:30:00"))]
    pub submitted_at: Option<NaiveDateTime>,
    pub reply: String,
}

impl Issue {
    /// Masks personal data in everything the issue shows; counts stay as they were computed
    /// on the real submitters, and repeat submitters are named by their pseudonyms.
    pub(crate) fn mask(&mut self, masker: &Masker) {
        mask_text(&mut self.label);
        mask_text(&mut self.problem);
        self.keywords.iter_mut().for_each(mask_text);
        if let Some(entity) = &mut self.entity {
            mask_text(&mut entity.name);
        }
        for counts in [
            &mut self.entities,
            &mut self.regions,
            &mut self.sites,
            &mut self.categories,
        ] {
            mask_counts(counts);
        }
        for repeat in &mut self.repeat_submitters {
            repeat.submitter = masker.pseudonym(&repeat.submitter);
        }
        self.representative = masker.record(&self.representative);
        for reply in &mut self.replies {
            mask_text(&mut reply.reply);
        }
    }
}

pub(super) fn rank(
    records: Vec<Record>,
    grouping: Grouping,
    to: Option<NaiveDate>,
    opts: &IssueOptions,
) -> IssueList {
    let latest = records
        .iter()
        .filter_map(|r| r.submitted_at)
        .max()
        .map(|d| d.date());
    // Past the latest record weeks and growth count only zeros: a `to` further than the two
    // 30-day windows growth compares is cut there, so that `to=8185-01-10` cannot ask for
    // 300,000 empty weeks per issue.
    let as_of = match (to, latest) {
        (Some(to), Some(latest)) => Some(
            to.min(
                latest
                    .checked_add_signed(Duration::days(60))
                    .unwrap_or(latest),
            ),
        ),
        (to, latest) => to.or(latest),
    };
    let mut issues: Vec<Issue> = grouping
        .groups
        .iter()
        .filter(|g| g.len() >= opts.min_size)
        .map(|g| describe(g, &records, &grouping, as_of))
        .collect();
    issues.sort_by(|a, b| {
        b.heat
            .total_cmp(&a.heat)
            .then(b.size.cmp(&a.size))
            .then(a.id.cmp(&b.id))
    });
    let grouped_records = issues.iter().map(|i| i.size).sum();
    let total_issues = issues.len();
    issues.truncate(opts.limit);
    let category_spikes = category_spikes(&records, as_of);
    IssueList {
        total_records: records.len(),
        grouped_records,
        total_issues,
        as_of,
        issues,
        category_spikes,
        stale: false,
    }
}

fn describe(
    members: &[usize],
    records: &[Record],
    grouping: &Grouping,
    as_of: Option<NaiveDate>,
) -> Issue {
    let group: Vec<&Record> = members.iter().map(|i| &records[*i]).collect();
    let anchor = group
        .iter()
        .min_by(|a, b| (a.submitted_at, &a.id).cmp(&(b.submitted_at, &b.id)))
        .expect("groups are not empty");
    let keywords = keywords(members, grouping);
    let central = by_centrality(members, &grouping.features);
    let representative = central[0];
    let label = super::label::label(
        &central,
        records,
        &grouping.entities,
        &grouping.one_off,
        &keywords,
    );
    let dates: Vec<NaiveDateTime> = group.iter().filter_map(|r| r.submitted_at).collect();
    let weekly = weekly_counts(&dates, as_of);
    let (recent, previous) = match as_of {
        Some(day) => {
            let end = day + Duration::days(1);
            let within = |from: NaiveDate, to: NaiveDate| {
                dates
                    .iter()
                    .filter(|d| d.date() >= from && d.date() < to)
                    .count()
            };
            (
                within(end - Duration::days(GROWTH_DAYS), end),
                within(
                    end - Duration::days(2 * GROWTH_DAYS),
                    end - Duration::days(GROWTH_DAYS),
                ),
            )
        }
        None => (0, 0),
    };
    let growth = (recent as f64 - previous as f64) / previous.max(1) as f64;
    let spike = latest_spike(&weekly);
    let mut submitters: HashMap<&str, usize> = HashMap::new();
    let mut anonymous = 0;
    for r in &group {
        match &r.submitter {
            Some(s) => *submitters.entry(s).or_default() += 1,
            None => anonymous += 1,
        }
    }
    let mut repeat_submitters: Vec<SubmitterCount> = submitters
        .iter()
        .filter(|(_, n)| **n > 1)
        .map(|(s, n)| SubmitterCount {
            submitter: s.to_string(),
            count: *n,
        })
        .collect();
    repeat_submitters.sort_by(|a, b| b.count.cmp(&a.count).then(a.submitter.cmp(&b.submitter)));
    // A record without a region counts in the district its text names, as the region facet does.
    let regions: Vec<String> = members
        .iter()
        .filter_map(|m| {
            records[*m]
                .region
                .clone()
                .or_else(|| inferred_region(&grouping.entities[*m]))
        })
        .collect();
    let regions = counts(regions.iter().map(String::as_str));
    let sites = counts(group.iter().filter_map(|r| r.site.as_deref()));
    let likes: u64 = group.iter().filter_map(|r| r.likes).sum();
    let distinct_submitters = submitters.len() + anonymous;
    let places = (regions.len() + sites.len()).max(1);
    // One person writing again counts, but less than another person writing.
    let volume =
        distinct_submitters as f64 + REPEAT_WEIGHT * (group.len() - distinct_submitters) as f64;
    let heat = 2.0 * (1.0 + distinct_submitters as f64).ln()
        + (1.0 + volume).ln()
        + 0.5 * (1.0 + likes as f64 / LIKES_UNIT).ln()
        + 0.5 * (places as f64).ln()
        + 0.5 * growth.clamp(0.0, 3.0)
        + if spike.is_some() { 1.0 } else { 0.0 };
    let mut by_date: Vec<&Record> = group.clone();
    by_date.sort_by(|a, b| (a.submitted_at, &a.id).cmp(&(b.submitted_at, &b.id)));
    let mut replies: Vec<Reply> = by_date
        .iter()
        .rev()
        .filter_map(|r| {
            r.reply.as_ref().map(|reply| Reply {
                id: r.id.clone(),
                submitted_at: r.submitted_at,
                reply: reply.clone(),
            })
        })
        .collect();
    replies.truncate(20);
    Issue {
        id: format!("I{:012x}", fnv1a(anchor.id.as_bytes()) >> 16),
        label: label.text,
        entity: label.entity,
        problem: label.problem,
        keywords,
        entities: counts(
            members
                .iter()
                .flat_map(|m| grouping.entities[*m].iter().map(|e| e.name.as_str())),
        ),
        size: group.len(),
        submitters: distinct_submitters,
        repeat_submitters,
        duplicates: near_duplicates(members, &grouping.features),
        regions,
        sites,
        categories: counts(group.iter().filter_map(|r| r.category.as_deref())),
        kinds: counts(group.iter().filter_map(|r| r.kind.map(|k| k.label()))),
        first_at: dates.iter().min().copied(),
        last_at: dates.iter().max().copied(),
        monthly: monthly_counts(&dates),
        weekly,
        recent,
        previous,
        growth,
        spike,
        likes,
        heat,
        representative: records[representative].clone(),
        record_ids: by_date.iter().map(|r| r.id.clone()).collect(),
        replies,
    }
}

/// Class-based TF-IDF: words that many members share and that are rare in the index.
fn keywords(members: &[usize], grouping: &Grouping) -> Vec<String> {
    let mut share: HashMap<u32, usize> = HashMap::new();
    for m in members {
        for (word, _) in &grouping.features[*m] {
            *share.entry(*word).or_default() += 1;
        }
    }
    let size = members.len() as f32;
    let mut scored: Vec<(f32, u32)> = share
        .into_iter()
        .filter(|(_, n)| members.len() == 1 || *n as f32 / size >= KEYWORD_MIN_SHARE)
        .map(|(w, n)| (n as f32 / size * grouping.vocabulary.idf(w), w))
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut words: Vec<String> = Vec::new();
    for (_, w) in scored {
        let word = grouping.vocabulary.word(w);
        // `幸福里小区` makes `幸福里` redundant, and the other way round.
        if words
            .iter()
            .any(|k| k.contains(word) || word.contains(k.as_str()))
        {
            continue;
        }
        words.push(word.to_string());
        if words.len() == KEYWORDS {
            break;
        }
    }
    words
}

/// The members, most similar to the group's centroid first (earlier positions first on ties).
fn by_centrality(members: &[usize], features: &[Features]) -> Vec<usize> {
    let mut centroid: HashMap<u32, f32> = HashMap::new();
    for m in members {
        for (w, v) in &features[*m] {
            *centroid.entry(*w).or_default() += v;
        }
    }
    let mut scored: Vec<(f32, usize)> = members
        .iter()
        .map(|m| (features[*m].iter().map(|(w, v)| v * centroid[w]).sum(), *m))
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.into_iter().map(|(_, m)| m).collect()
}

/// How many members are near-duplicates of another member (size minus distinct texts).
fn near_duplicates(members: &[usize], features: &[Features]) -> usize {
    let mut distinct: Vec<usize> = Vec::new();
    for m in members {
        if !distinct
            .iter()
            .any(|d| cosine(&features[*d], &features[*m]) >= NEAR_DUPLICATE)
        {
            distinct.push(*m);
        }
    }
    members.len() - distinct.len()
}

fn counts<'a>(values: impl Iterator<Item = &'a str>) -> Vec<FacetCount> {
    let mut map: BTreeMap<&str, u64> = BTreeMap::new();
    for v in values {
        *map.entry(v).or_default() += 1;
    }
    let mut out: Vec<FacetCount> = map
        .into_iter()
        .map(|(v, c)| FacetCount {
            value: v.to_string(),
            count: c,
        })
        .collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then(a.value.cmp(&b.value)));
    out
}

fn week_label(d: NaiveDate) -> String {
    let w = d.iso_week();
    format!("{}-W{:02}", w.year(), w.week())
}

/// Counts per ISO week from the first date to `as_of` (or the last date), empty weeks included.
fn weekly_counts(dates: &[NaiveDateTime], as_of: Option<NaiveDate>) -> Vec<WeekCount> {
    let Some(first) = dates.iter().min().map(|d| d.date()) else {
        return Vec::new();
    };
    let last = as_of
        .unwrap_or_else(|| dates.iter().max().expect("not empty").date())
        .max(first);
    let monday = |d: NaiveDate| d - Duration::days(i64::from(d.weekday().num_days_from_monday()));
    let mut by_week: BTreeMap<NaiveDate, u64> = BTreeMap::new();
    let mut week = monday(first);
    while week <= last {
        by_week.insert(week, 0);
        week += Duration::days(7);
    }
    for d in dates {
        if let Some(count) = by_week.get_mut(&monday(d.date())) {
            *count += 1;
        }
    }
    by_week
        .into_iter()
        .map(|(w, count)| WeekCount {
            week: week_label(w),
            count,
        })
        .collect()
}

fn monthly_counts(dates: &[NaiveDateTime]) -> Vec<MonthCount> {
    let mut map: BTreeMap<String, u64> = BTreeMap::new();
    for d in dates {
        *map.entry(format!("{:04}-{:02}", d.year(), d.month()))
            .or_default() += 1;
    }
    map.into_iter()
        .map(|(month, count)| MonthCount { month, count })
        .collect()
}

/// The latest week at least `SPIKE_SIGMAS` standard deviations above the weeks before it.
fn latest_spike(weekly: &[WeekCount]) -> Option<Spike> {
    weekly.iter().enumerate().rev().find_map(|(i, w)| {
        if w.count < SPIKE_MIN_COUNT || i == 0 {
            return None;
        }
        let history = &weekly[i.saturating_sub(SPIKE_HISTORY_WEEKS)..i];
        let n = history.len() as f64;
        let mean = history.iter().map(|h| h.count as f64).sum::<f64>() / n;
        let var = history
            .iter()
            .map(|h| (h.count as f64 - mean).powi(2))
            .sum::<f64>()
            / n;
        (w.count as f64 >= mean + SPIKE_SIGMAS * var.sqrt().max(1.0)).then(|| Spike {
            week: w.week.clone(),
            count: w.count,
            baseline: mean,
        })
    })
}

fn category_spikes(records: &[Record], as_of: Option<NaiveDate>) -> Vec<CategorySpike> {
    let mut by_category: BTreeMap<&str, Vec<NaiveDateTime>> = BTreeMap::new();
    for r in records {
        if let (Some(c), Some(d)) = (&r.category, r.submitted_at) {
            by_category.entry(c).or_default().push(d);
        }
    }
    let first = records.iter().filter_map(|r| r.submitted_at).min();
    by_category
        .into_iter()
        .filter_map(|(category, mut dates)| {
            // Every category's weeks start at the selection's first record, so history is comparable.
            dates.extend(first);
            let mut weekly = weekly_counts(&dates, as_of);
            if let Some(w) = weekly.first_mut() {
                w.count -= 1;
            }
            latest_spike(&weekly).map(|spike| CategorySpike {
                category: category.to_string(),
                spike,
            })
        })
        .collect()
}

/// FNV-1a: a small, stable hash for issue ids (std's hasher may change between releases).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn week(count: u64) -> WeekCount {
        WeekCount {
            week: format!("w{count}"),
            count,
        }
    }

    #[test]
    fn a_jump_over_a_quiet_history_is_a_spike_and_steady_volume_is_not() {
        let mut weeks: Vec<WeekCount> = [0, 1, 0, 1, 0, 0, 1, 0].into_iter().map(week).collect();
        assert_eq!(latest_spike(&weeks), None);
        weeks.push(week(7));
        assert_eq!(latest_spike(&weeks).map(|s| s.count), Some(7));
        let steady: Vec<WeekCount> = [6, 7, 6, 8, 7, 6, 7, 8, 7].into_iter().map(week).collect();
        assert_eq!(latest_spike(&steady), None);
    }

    #[test]
    fn weeks_include_empty_ones_up_to_as_of() {
        let d = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap();
        let weekly = weekly_counts(
            &[d("2025-06-30 09:00:00"), d("2025-07-16 09:00:00")],
            NaiveDate::from_ymd_opt(2025, 7, 21),
        );
        let counts: Vec<(String, u64)> = weekly.into_iter().map(|w| (w.week, w.count)).collect();
        assert_eq!(
            counts,
            [
                ("2025-W27".into(), 1),
                ("2025-W28".into(), 0),
                ("2025-W29".into(), 1),
                ("2025-W30".into(), 0)
            ]
        );
    }
}
