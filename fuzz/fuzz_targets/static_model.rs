//! The static model file parser: any bytes give a model or a `BadStaticFile` error, never a panic.
//! The file ends with its own sha256, which would stop almost every input at the checksum: the
//! target appends the right one, so the fuzzer reaches the header and layout checks behind it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use minyi_models::StaticModel;
use sha2::{Digest, Sha256};

fuzz_target!(|data: &[u8]| {
    let mut bytes = data.to_vec();
    bytes.extend_from_slice(&Sha256::digest(data));
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("static.bin");
    std::fs::write(&path, &bytes).expect("write");
    let _ = StaticModel::load(&path);
});
