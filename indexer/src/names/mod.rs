//! Proper names learned from the records: estates, roads, villages, schools, hospitals,
//! companies, programmes, districts.
//!
//! jieba does not know the names a corpus is about: it cuts `魅力之城` into `魅力/之/城`, and the
//! name, which is what makes two complaints the same matter, then weighs nothing. After each
//! import the index runs [`discover`] over its records, keeps the result in `names.tsv`
//! ([`NameList`]) together with the office's pins and vetoes, and adds the names to its
//! segmenter, so that they are indexed, searched and highlighted as whole words. Records already
//! indexed when a name is learned are segmented again (see [`crate::MinyiIndex::learn_names`]).
//! [`NameMatcher`] finds the names of a text, for the `entity` facet and for grouping.

mod discover;
pub mod kind;
mod list;
mod matcher;

pub use discover::{DiscoveredName, MAX_RECORDS, discover, one_off_names};
pub use kind::EntityKind;
pub use list::{KnownName, NAMES_FILE, NameList, UserDictionary};
pub use matcher::{Entity, NameMatcher};
