//! Finding known names in a text: one Aho-Corasick pass, longest name first.

use aho_corasick::{AhoCorasick, MatchKind};
use serde::Serialize;

use super::kind::{EntityKind, is_coded_area};

/// A name found in a record, and its kind.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Entity {
    pub name: String,
    pub kind: EntityKind,
}

impl Entity {
    pub fn new(name: impl Into<String>, kind: EntityKind) -> Entity {
        Entity {
            name: name.into(),
            kind,
        }
    }
}

/// Finds the names of a list in texts. Where names overlap the longest wins (`伊景园滨河苑`
/// over `伊景园`). Coded districts (`A5区`) are found whether or not they were learned.
#[derive(Debug, Default)]
pub struct NameMatcher {
    automaton: Option<AhoCorasick>,
    names: Vec<Entity>,
}

impl NameMatcher {
    pub fn new(names: impl IntoIterator<Item = Entity>) -> NameMatcher {
        let names: Vec<Entity> = names.into_iter().collect();
        let automaton = (!names.is_empty()).then(|| {
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(names.iter().map(|n| &n.name))
                .expect("names are short literal strings")
        });
        NameMatcher { automaton, names }
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The distinct names in `text`, in order of first occurrence.
    pub fn find(&self, text: &str) -> Vec<Entity> {
        // Borrowed until deduplicated: a record names the same place many times.
        let mut found: Vec<(usize, &str, EntityKind)> = Vec::new();
        if let Some(automaton) = &self.automaton {
            found.extend(automaton.find_iter(text).map(|m| {
                let name = &self.names[m.pattern().as_usize()];
                (m.start(), name.name.as_str(), name.kind)
            }));
        }
        found.extend(coded_areas(text).map(|(at, name)| (at, name, EntityKind::Area)));
        found.sort_by_key(|(at, _, _)| *at);
        let mut out: Vec<Entity> = Vec::with_capacity(found.len());
        for (_, name, kind) in found {
            if !out.iter().any(|e| e.name == name && e.kind == kind) {
                out.push(Entity::new(name, kind));
            }
        }
        out
    }
}

/// `A5区`, `K8县` …: an upper-case letter, up to two more letters or digits, then 区, 县 or 市,
/// not inside a longer run of letters and digits.
fn coded_areas(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.char_indices().filter_map(move |(end, c)| {
        if !matches!(c, '区' | '县' | '市') {
            return None;
        }
        let head = &text[..end];
        let run = head
            .char_indices()
            .rev()
            .take_while(|(_, ch)| ch.is_ascii_alphanumeric())
            .last()
            .map(|(i, _)| i)?;
        let name = &text[run..end + c.len_utf8()];
        is_coded_area(name).then_some((run, name))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_names_win_and_coded_areas_are_found() {
        let matcher = NameMatcher::new([
            Entity::new("伊景园", EntityKind::Estate),
            Entity::new("伊景园滨河苑", EntityKind::Estate),
            Entity::new("看云路", EntityKind::Road),
        ]);
        assert_eq!(
            matcher.find("A5区伊景园滨河苑临看云路，伊景园滨河苑再次"),
            vec![
                Entity::new("A5区", EntityKind::Area),
                Entity::new("伊景园滨河苑", EntityKind::Estate),
                Entity::new("看云路", EntityKind::Road),
            ]
        );
        assert!(matcher.find("ABCD5区").is_empty());
        assert!(NameMatcher::default().find("没有名字").is_empty());
    }
}
