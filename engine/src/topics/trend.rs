//! The effect of a topic: the matter's weekly volume in the weeks before and after it was
//! assigned, and the change in one plain sentence.
//!
//! Weeks are counted from the day of assignment (week 0 starts that day), not calendar weeks, so
//! that "before" ends exactly when the topic was handed over. While fewer than [`WEEKS`] weeks
//! have passed, the "after" average is over the days that have (a rate per seven days, so a
//! partial week neither flatters nor hurts the result), and the sentence says so.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use serde::Serialize;

/// Weeks compared on each side of the assignment.
pub const WEEKS: i64 = 8;

/// Weekly volume around an assignment.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Trend {
    /// The day the topic was assigned.
    pub assigned: NaiveDate,
    pub weeks_before: u32,
    /// Weeks of the "after" side that have begun by `as_of` (at most [`WEEKS`]).
    pub weeks_after: u32,
    pub before_total: u64,
    pub after_total: u64,
    pub before_per_week: f64,
    pub after_per_week: f64,
    /// From the first week before to the last begun week after.
    pub weekly: Vec<TrendWeek>,
    /// The change in a sentence: "2025-03-10 交办；交办前 8 周平均每周 14 件，交办后 8 周平均每周 3 件，下降 79%".
    pub summary: String,
}

/// One week's volume.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrendWeek {
    /// Its first day.
    pub start: NaiveDate,
    pub count: u64,
    /// Whether it is after the assignment.
    pub after: bool,
}

impl Trend {
    /// The trend of records submitted at `dates`, assigned on `assigned`, counted up to `as_of`.
    pub(crate) fn of(dates: &[NaiveDateTime], assigned: NaiveDate, as_of: NaiveDate) -> Trend {
        let days_after = ((as_of - assigned).num_days() + 1).clamp(1, WEEKS * 7);
        let weeks_after = (days_after + 6) / 7;
        let mut weekly: Vec<TrendWeek> = (-WEEKS..weeks_after)
            .map(|w| TrendWeek {
                start: assigned + Duration::days(7 * w),
                count: 0,
                after: w >= 0,
            })
            .collect();
        let end = assigned + Duration::days(days_after);
        for date in dates.iter().map(NaiveDateTime::date) {
            let week = (date - assigned).num_days().div_euclid(7);
            if (-WEEKS..weeks_after).contains(&week) && date < end {
                weekly[(week + WEEKS) as usize].count += 1;
            }
        }
        let total = |after: bool| -> u64 {
            weekly
                .iter()
                .filter(|w| w.after == after)
                .map(|w| w.count)
                .sum()
        };
        let (before_total, after_total) = (total(false), total(true));
        let before_per_week = before_total as f64 / WEEKS as f64;
        let after_per_week = after_total as f64 * 7.0 / days_after as f64;
        let after = if days_after == weeks_after * 7 {
            format!(
                "交办后 {weeks_after} 周平均每周 {} 件",
                per_week(after_per_week)
            )
        } else {
            format!(
                "交办后 {days_after} 天共 {after_total} 件（折合每周 {} 件）",
                per_week(after_per_week)
            )
        };
        let summary = summary(assigned, &after, before_per_week, after_per_week);
        Trend {
            assigned,
            weeks_before: WEEKS as u32,
            weeks_after: weeks_after as u32,
            before_total,
            after_total,
            before_per_week,
            after_per_week,
            weekly,
            summary,
        }
    }
}

/// `after_part` says the volume after; `before` and `after` are the weekly rates.
fn summary(assigned: NaiveDate, after_part: &str, before: f64, after: f64) -> String {
    let change = if before == 0.0 {
        String::new()
    } else {
        let percent = ((after - before) / before * 100.0).round();
        match percent {
            p if p < 0.0 => format!("，下降 {}%", -p),
            p if p > 0.0 => format!("，上升 {p}%"),
            _ => "，持平".to_string(),
        }
    };
    format!(
        "{assigned} 交办；交办前 {WEEKS} 周平均每周 {} 件，{after_part}{change}",
        per_week(before),
    )
}

/// A weekly average as people say it: whole when it is, one decimal otherwise.
fn per_week(x: f64) -> String {
    let tenths = (x * 10.0).round() / 10.0;
    if tenths.fract() == 0.0 {
        format!("{tenths:.0}")
    } else {
        format!("{tenths:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(day: &str) -> NaiveDateTime {
        format!("{day}T09:00:00").parse().unwrap()
    }

    #[test]
    fn counts_the_weeks_either_side_of_the_assignment() {
        let assigned: NaiveDate = "2025-03-10".parse().unwrap();
        let mut dates = Vec::new();
        // 14 a week in the 8 weeks before, 3 a week in the 8 after, and some outside both.
        for week in 0..8 {
            let monday = assigned - Duration::days(7 * (week + 1));
            dates.extend((0..14).map(|i| at(&(monday + Duration::days(i % 7)).to_string())));
            let after = assigned + Duration::days(7 * week);
            dates.extend((0..3).map(|i| at(&(after + Duration::days(i)).to_string())));
        }
        dates.push(at("2024-01-01"));
        dates.push(at("2025-06-30"));
        let trend = Trend::of(&dates, assigned, "2025-12-31".parse().unwrap());
        assert_eq!((trend.before_total, trend.after_total), (112, 24));
        assert_eq!(trend.weekly.len(), 16);
        assert!(
            trend
                .weekly
                .iter()
                .all(|w| w.count == if w.after { 3 } else { 14 })
        );
        assert_eq!(
            trend.summary,
            "2025-03-10 交办；交办前 8 周平均每周 14 件，交办后 8 周平均每周 3 件，下降 79%"
        );
    }

    #[test]
    fn a_recent_assignment_averages_over_the_days_that_passed() {
        let assigned: NaiveDate = "2025-03-10".parse().unwrap();
        let dates = [at("2025-03-01"), at("2025-03-11"), at("2025-03-12")];
        // Ten days: two weeks begun, 2 records in 10 days.
        let trend = Trend::of(&dates, assigned, "2025-03-19".parse().unwrap());
        assert_eq!(trend.weeks_after, 2);
        assert_eq!(trend.weekly.len(), 10);
        assert_eq!(trend.after_per_week, 1.4);
        assert_eq!(
            trend.summary,
            "2025-03-10 交办；交办前 8 周平均每周 0.1 件，交办后 10 天共 2 件（折合每周 1.4 件），上升 1020%"
        );
    }
}
