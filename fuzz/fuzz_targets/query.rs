//! The search box's parser: any input is a query or a `QueryError`, never a panic.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
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
    let _ = minyi::query::parse(input, index.fields(), &index.query_tokenizer());
});
