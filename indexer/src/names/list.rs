//! The names an index knows: learned ones in `names.tsv`, and the office's pins and vetoes in
//! its dictionary file.
//!
//! `names.tsv` (written by minyi) has one name per line: `name<TAB>kind<TAB>records`. The user
//! dictionary (`--dict`, kept as `user_dict.txt`) is jieba's format, one word per line with an
//! optional frequency and tag; two additions make it the office's say over names:
//! - a line whose tag is an entity kind (`魅力之城 100 estate`) *pins* a name: it is a name of
//!   that kind whatever discovery finds;
//! - a line `!罔闻` *vetoes* one: discovery may find it, it is never used.

use std::collections::BTreeSet;
use std::path::Path;

use super::discover::DiscoveredName;
use super::kind::EntityKind;
use super::matcher::Entity;
use crate::IndexError;

/// The file of learned names inside an index folder.
pub const NAMES_FILE: &str = "names.tsv";
/// The jieba frequency learned names get: high enough that the segmenter keeps them whole.
const NAME_FREQUENCY: u32 = 3000;

/// One known name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownName {
    pub name: String,
    pub kind: EntityKind,
    /// Records it was found in when last learned (0 for a pinned name never counted).
    pub records: u32,
    /// Put there by the office's dictionary rather than learned.
    pub pinned: bool,
}

/// The office's dictionary: jieba lines, pinned names, vetoed names.
#[derive(Debug, Default, Clone)]
pub struct UserDictionary {
    /// The lines jieba loads (vetoes left out).
    pub jieba_lines: String,
    pub pins: Vec<(String, EntityKind)>,
    pub vetoes: BTreeSet<String>,
}

impl UserDictionary {
    pub fn parse(text: &str) -> UserDictionary {
        let mut dict = UserDictionary::default();
        for line in text.lines() {
            let line = line.trim();
            if let Some(veto) = line.strip_prefix('!') {
                dict.vetoes.insert(veto.trim().to_string());
                continue;
            }
            let mut parts = line.split_whitespace();
            let Some(word) = parts.next() else { continue };
            if let Some(kind) = parts.find_map(EntityKind::parse) {
                dict.pins.push((word.to_string(), kind));
            }
            dict.jieba_lines.push_str(line);
            dict.jieba_lines.push('\n');
        }
        dict
    }
}

/// The names of an index, sorted by name.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct NameList {
    names: Vec<KnownName>,
}

impl NameList {
    /// Reads `DIR/names.tsv`; an index without one knows no learned names.
    pub fn load(dir: &Path) -> Result<NameList, IndexError> {
        let path = dir.join(NAMES_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(NameList::default()),
            Err(e) => return Err(IndexError::io(&path, e)),
        };
        let mut names = Vec::new();
        for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.is_empty()) {
            let bad = |reason: &str| IndexError::Names {
                path: path.display().to_string(),
                line: n + 1,
                reason: reason.to_string(),
            };
            let mut cols = line.split('\t');
            let (Some(name), Some(kind), Some(records), None) =
                (cols.next(), cols.next(), cols.next(), cols.next())
            else {
                return Err(bad(
                    "expected name, kind and record count separated by tabs",
                ));
            };
            let kind = EntityKind::parse(kind).ok_or_else(|| bad("unknown kind"))?;
            let records = records
                .parse()
                .map_err(|_| bad("record count is not a number"))?;
            names.push(KnownName {
                name: name.to_string(),
                kind,
                records,
                pinned: false,
            });
        }
        names.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(NameList { names })
    }

    /// Writes `DIR/names.tsv` atomically (a temporary file renamed over the old one).
    pub fn save(&self, dir: &Path) -> Result<(), IndexError> {
        let path = dir.join(NAMES_FILE);
        let tmp = dir.join(format!("{NAMES_FILE}.tmp"));
        let mut text = String::new();
        for n in self.names.iter().filter(|n| !n.pinned) {
            text.push_str(&format!("{}\t{}\t{}\n", n.name, n.kind.as_str(), n.records));
        }
        let write = || -> std::io::Result<()> {
            use std::io::Write;
            let mut file = std::fs::File::create(&tmp)?;
            file.write_all(text.as_bytes())?;
            file.sync_all()?;
            std::fs::rename(&tmp, &path)
        };
        write().map_err(|e| IndexError::io(&path, e))
    }

    /// The learned names replaced by `discovered`, with the dictionary's pins added and its
    /// vetoes removed.
    pub fn from_discovered(discovered: Vec<DiscoveredName>, dict: &UserDictionary) -> NameList {
        let learned = discovered.into_iter().map(|d| KnownName {
            name: d.name,
            kind: d.kind,
            records: d.records,
            pinned: false,
        });
        NameList {
            names: learned.collect(),
        }
        .with_dictionary(dict)
    }

    /// These names with `dict`'s pins (which win over a learned kind) and without its vetoes.
    pub fn with_dictionary(mut self, dict: &UserDictionary) -> NameList {
        self.names.retain(|n| !dict.vetoes.contains(&n.name));
        for (name, kind) in &dict.pins {
            let records = match self.names.iter().position(|n| &n.name == name) {
                Some(i) => self.names.remove(i).records,
                None => 0,
            };
            self.names.push(KnownName {
                name: name.clone(),
                kind: *kind,
                records,
                pinned: true,
            });
        }
        self.names.sort_by(|a, b| a.name.cmp(&b.name));
        self.names.dedup_by(|a, b| a.name == b.name);
        self
    }

    pub fn names(&self) -> &[KnownName] {
        &self.names
    }

    pub fn entities(&self) -> impl Iterator<Item = Entity> + '_ {
        self.names
            .iter()
            .map(|n| Entity::new(n.name.clone(), n.kind))
    }

    /// The names as jieba dictionary lines.
    pub fn jieba_lines(&self) -> String {
        self.names
            .iter()
            .map(|n| format!("{} {NAME_FREQUENCY} nz\n", n.name))
            .collect()
    }

    /// Names in one list and not the other (added, removed or of another kind).
    pub fn changed_since(&self, old: &NameList) -> Vec<String> {
        let set = |l: &NameList| -> BTreeSet<(String, EntityKind)> {
            l.names.iter().map(|n| (n.name.clone(), n.kind)).collect()
        };
        let (new, old) = (set(self), set(old));
        new.symmetric_difference(&old)
            .map(|(name, _)| name.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins_win_vetoes_remove_and_the_file_round_trips() {
        let dict = UserDictionary::parse("魅力之城 100 estate\n!罔闻\n基层立法 50 n\n");
        assert_eq!(dict.jieba_lines, "魅力之城 100 estate\n基层立法 50 n\n");
        let found = |name: &str, kind| DiscoveredName {
            name: name.into(),
            kind,
            records: 4,
        };
        let list = NameList::from_discovered(
            vec![
                found("罔闻", EntityKind::Name),
                found("魅力之城", EntityKind::Name),
                found("看云路", EntityKind::Road),
            ],
            &dict,
        );
        let names: Vec<(&str, EntityKind, bool)> = list
            .names()
            .iter()
            .map(|n| (n.name.as_str(), n.kind, n.pinned))
            .collect();
        assert_eq!(
            names,
            vec![
                ("看云路", EntityKind::Road, false),
                ("魅力之城", EntityKind::Estate, true)
            ]
        );
        let dir = tempfile::tempdir().unwrap();
        list.save(dir.path()).unwrap();
        let loaded = NameList::load(dir.path()).unwrap().with_dictionary(&dict);
        assert_eq!(loaded.names().len(), 2);
        assert_eq!(loaded.changed_since(&list), Vec::<String>::new());
        assert_eq!(loaded.changed_since(&NameList::default()).len(), 2);
    }

    #[test]
    fn a_damaged_names_file_names_its_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(NAMES_FILE),
            "看云路\troad\t3\n魅力之城\tcastle\t2\n",
        )
        .unwrap();
        let err = NameList::load(dir.path()).unwrap_err().to_string();
        assert!(err.contains("names.tsv") && err.contains("line 2"), "{err}");
    }
}
