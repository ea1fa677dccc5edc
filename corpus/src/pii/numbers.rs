//! Numbers that identify a person: ID, mobile, landline and bank card numbers.
//!
//! Digits are read in chains: runs of digits joined by at most two separators (space, `-`, `)`),
//! since people type `138 1234 5678`, `0731-8888 1234` or `(0731)88881234`. A chain may hold
//! several numbers (`0731-88881234 13812345678`), so it is cut greedily into the longest groups
//! of whole runs that pass a check; a run is never split, so a long order id never yields a
//! phone number from its middle.

use std::ops::Range;

use chrono::{Datelike, NaiveDate};

use super::glyphs::Glyph;
use super::{Finding, PiiKind};

/// At most this many runs form one number (`6222 0212 3456 7890 128` has five).
const MAX_RUNS: usize = 6;

const SEPARATORS: [char; 3] = [' ', '-', ')'];

/// The first two digits of mainland ID numbers: provinces, and 71/81/82/83 for residence permits
/// of people from Taiwan, Hong Kong and Macao.
const PROVINCES: [u8; 35] = [
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
    53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83,
];

/// GB 11643: the weights of the first 17 digits, and the check character for each sum mod 11.
const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK: &[u8; 11] = b"10X98765432";

/// Finds numbers among the glyphs not `taken` by an e-mail address.
pub(super) fn find(glyphs: &[Glyph], taken: &[bool]) -> Vec<Finding> {
    let digit = |i: usize| !taken[i] && glyphs[i].c.is_ascii_digit();
    let mut out = Vec::new();
    let mut i = 0;
    while i < glyphs.len() {
        if !digit(i) {
            i += 1;
            continue;
        }
        let runs = chain_at(glyphs, &digit, i);
        i = runs.last().map_or(i + 1, |r| r.end);
        cut(glyphs, &runs, &mut out);
    }
    out
}

/// The runs of the chain starting at glyph `start`, as glyph ranges; an ID number's final `X`
/// belongs to its run and ends the chain.
fn chain_at(glyphs: &[Glyph], digit: &impl Fn(usize) -> bool, start: usize) -> Vec<Range<usize>> {
    let mut runs = Vec::new();
    let mut at = start;
    loop {
        let mut end = at;
        while end < glyphs.len() && digit(end) {
            end += 1;
        }
        let x = glyphs.get(end).is_some_and(|g| matches!(g.c, 'X' | 'x'))
            && !glyphs
                .get(end + 1)
                .is_some_and(|g| g.c.is_ascii_alphanumeric());
        if x {
            runs.push(at..end + 1);
            return runs;
        }
        runs.push(at..end);
        let seps = (end..glyphs.len().min(end + 2))
            .take_while(|&j| SEPARATORS.contains(&glyphs[j].c))
            .count();
        let next = end + seps;
        if seps == 0 || next >= glyphs.len() || !digit(next) {
            return runs;
        }
        at = next;
    }
}

/// Cuts a chain into the longest groups of runs that are numbers of a known kind.
fn cut(glyphs: &[Glyph], runs: &[Range<usize>], out: &mut Vec<Finding>) {
    let mut i = 0;
    while i < runs.len() {
        let found = (i..runs.len().min(i + MAX_RUNS)).rev().find_map(|j| {
            let group = &runs[i..=j];
            let span = group[0].start..group[group.len() - 1].end;
            standalone(glyphs, &span)
                .then(|| classify(glyphs, group, span))
                .flatten()
                .map(|f| (j, f))
        });
        match found {
            Some((j, finding)) => {
                out.push(finding);
                i = j + 1;
            }
            None => i += 1,
        }
    }
}

/// Whether the glyphs around a number leave it a number of its own: not part of a code such as
/// `U123456` or `DD2024…`, not the integer or fraction part of a decimal.
fn standalone(glyphs: &[Glyph], span: &Range<usize>) -> bool {
    let at = |i: Option<usize>| i.and_then(|i| glyphs.get(i)).map(|g| g.c);
    let before = [at(span.start.checked_sub(1)), at(span.start.checked_sub(2))];
    let after = [at(Some(span.end)), at(Some(span.end + 1))];
    let glued = |[next, beyond]: [Option<char>; 2]| {
        next.is_some_and(|c| c.is_ascii_alphanumeric())
            || (next == Some('.') && beyond.is_some_and(|c| c.is_ascii_digit()))
    };
    !glued(before) && !glued(after)
}

fn classify(glyphs: &[Glyph], group: &[Range<usize>], mut span: Range<usize>) -> Option<Finding> {
    let positions: Vec<usize> = group.iter().flat_map(|r| r.clone()).collect();
    let d: Vec<u8> = positions
        .iter()
        .map(|&g| glyphs[g].c.to_ascii_uppercase() as u8)
        .collect();
    let last_run = (group.len() > 1).then(|| group[group.len() - 1].len());
    let (kind, hidden) = if let Some(h) = id_number(&d) {
        (PiiKind::IdNumber, h)
    } else if !d.iter().all(u8::is_ascii_digit) {
        return None;
    } else if let Some((h, prefixed)) = mobile(&d) {
        if prefixed && span.start > 0 && glyphs[span.start - 1].c == '+' {
            span.start -= 1;
        }
        (PiiKind::Mobile, h)
    } else if let Some(h) = landline(&d, last_run) {
        (PiiKind::Landline, h)
    } else if let Some(h) = bank_card(&d) {
        (PiiKind::BankCard, h)
    } else {
        return None;
    };
    Some(Finding {
        kind,
        glyphs: span,
        hidden: positions[hidden].to_vec(),
    })
}

/// An 18-digit ID with a valid check character, or a 15-digit one; hides all but the first and
/// last four characters.
fn id_number(d: &[u8]) -> Option<Range<usize>> {
    let (birth, century) = match d.len() {
        18 => {
            let sum: u32 = d[..17]
                .iter()
                .zip(ID_WEIGHTS)
                .map(|(c, w)| u32::from(c.wrapping_sub(b'0')) * w)
                .sum();
            let digits = d[..17].iter().all(u8::is_ascii_digit);
            (digits && ID_CHECK[sum as usize % 11] == d[17]).then_some((&d[6..14], ""))?
        }
        15 if d.iter().all(u8::is_ascii_digit) => (&d[6..12], "19"),
        _ => return None,
    };
    let province = (d[0] - b'0') * 10 + (d[1] - b'0');
    let birth = format!("{century}{}", std::str::from_utf8(birth).ok()?);
    let date = NaiveDate::parse_from_str(&birth, "%Y%m%d").ok()?;
    (PROVINCES.contains(&province) && (1900..2100).contains(&date.year())).then_some(4..d.len() - 4)
}

/// `1[3-9]` and nine more digits, optionally after `86` or `0086`; hides the middle four digits.
/// Also says whether it had the country code.
fn mobile(d: &[u8]) -> Option<(Range<usize>, bool)> {
    let prefix = match d.len() {
        11 => 0,
        13 if d.starts_with(b"86") => 2,
        15 if d.starts_with(b"0086") => 4,
        _ => return None,
    };
    (d[prefix] == b'1' && (b'3'..=b'9').contains(&d[prefix + 1]))
        .then_some((prefix + 3..prefix + 7, prefix > 0))
}

/// An area code (`010`, `02x` or `0xxx`) and a 7- or 8-digit number, optionally followed by an
/// extension in a run of its own; hides the number but its last four digits.
fn landline(d: &[u8], last_run: Option<usize>) -> Option<Range<usize>> {
    if d.len() < 10 || d[0] != b'0' {
        return None;
    }
    let area = match d[1] {
        b'1' if d[2] == b'0' => 3,
        b'2' => 3,
        b'3'..=b'9' => 4,
        _ => return None,
    };
    let number = |len: usize| (7..=8).contains(&len) && (b'2'..=b'9').contains(&d[area]);
    let plain = d.len() - area;
    if number(plain) {
        return Some(area..d.len() - 4);
    }
    let extension = last_run.filter(|n| (1..=5).contains(n))?;
    let end = d.len().checked_sub(extension)?;
    number(end.checked_sub(area)?).then(|| area..end - 4)
}

/// 16 to 19 digits from a card network's range (3–6) with a valid Luhn digit; hides all but the
/// first and last four.
fn bank_card(d: &[u8]) -> Option<Range<usize>> {
    if !(16..=19).contains(&d.len()) || !(b'3'..=b'6').contains(&d[0]) {
        return None;
    }
    let sum: u32 = d
        .iter()
        .rev()
        .enumerate()
        .map(|(i, c)| {
            let v = u32::from(c - b'0');
            if i % 2 == 1 {
                let twice = v * 2;
                if twice > 9 { twice - 9 } else { twice }
            } else {
                v
            }
        })
        .sum();
    sum.is_multiple_of(10).then_some(4..d.len() - 4)
}
