//! The dictionary files: any text, as the office's dictionary (jieba lines, pins `NAME 100
//! KIND`, vetoes `!NAME`) or as an index's learned `names.tsv`, is read into names or refused
//! with an error naming the line, never a panic; the names read are found in text.
#![no_main]

use std::sync::OnceLock;

use jieba_rs::Jieba;
use libfuzzer_sys::fuzz_target;
use minyi_indexer::names::{NAMES_FILE, NameList, NameMatcher, UserDictionary};

fn scratch() -> &'static tempfile::TempDir {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().expect("a scratch folder"))
}

fuzz_target!(|text: &str| {
    let dict = UserDictionary::parse(text);
    // jieba's own reading of the lines the dictionary passes on.
    let _ = Jieba::empty().load_dict(&mut dict.jieba_lines.as_bytes());
    std::fs::write(scratch().path().join(NAMES_FILE), text).expect("write names.tsv");
    let learned = NameList::load(scratch().path()).unwrap_or_default();
    let names = learned.with_dictionary(&dict);
    let matcher = NameMatcher::new(names.entities());
    for found in matcher.find(text) {
        assert!(text.contains(&found.name), "{found:?} is not in {text:?}");
    }
});
