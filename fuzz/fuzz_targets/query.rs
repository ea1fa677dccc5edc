//! The search box's parser: any input is a query or a `QueryError`, never a panic, and read
//! leniently any input within the length limit is a query.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use minyi_engine::query::{MAX_QUERY_CHARS, Reading, parse};
use minyi_indexer::MinyiIndex;

fn index() -> &'static MinyiIndex {
    static INDEX: OnceLock<(tempfile::TempDir, MinyiIndex)> = OnceLock::new();
    &INDEX
        .get_or_init(|| {
            let dir = tempfile::tempdir().expect("temp dir");
            let index = MinyiIndex::open_or_create(&dir.path().join("i"), None).expect("index");
            (dir, index)
        })
        .1
}

fuzz_target!(|input: &str| {
    let index = index();
    let tokenizer = index.query_tokenizer();
    let _ = parse(input, index.fields(), &tokenizer, Reading::Strict);
    // Read leniently, only the length limit refuses a query.
    let lenient = parse(input, index.fields(), &tokenizer, Reading::Lenient);
    if input.chars().count() <= MAX_QUERY_CHARS {
        assert!(lenient.is_ok(), "lenient reading refused {input:?}");
    }
});
