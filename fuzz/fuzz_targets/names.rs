//! Reading names off text: any text gives discovered and one-off names that occur in it, with a
//! kind suffix for the one-off ones, and never panics on odd characters or coded areas.
#![no_main]

use std::sync::{Arc, OnceLock};

use jieba_rs::Jieba;
use libfuzzer_sys::fuzz_target;
use minyi_indexer::analyzer::load_jieba;
use minyi_indexer::names::kind::kind_by_suffix;
use minyi_indexer::names::{discover, one_off_names};

fn jieba() -> &'static Arc<Jieba> {
    static JIEBA: OnceLock<Arc<Jieba>> = OnceLock::new();
    JIEBA.get_or_init(|| load_jieba(None).expect("jieba"))
}

fuzz_target!(|text: &str| {
    let jieba = jieba();
    for name in one_off_names(text, jieba) {
        assert!(text.contains(&name.name), "{name:?} is not in {text:?}");
        assert!(kind_by_suffix(&name.name).is_some(), "{name:?} has no kind suffix");
    }
    // The same text twice: names repeated in two records.
    for name in discover(&[text, text], jieba) {
        assert!(text.contains(&name.name), "{name:?} is not in {text:?}");
    }
});
