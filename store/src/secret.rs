//! Random secrets for tokens and sessions, stored only as their SHA-256.
//!
//! A secret is 256 bits from the operating system's CSPRNG, so a plain (unsalted, fast) hash is
//! enough: nobody can search that space. Lookups go by the hash through an index; timing can at
//! most reveal a prefix of a stored hash, which does not help to find a secret. The final
//! comparison is constant-time anyway.

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// A new random secret as text: `prefix` and 64 hex digits.
pub(crate) fn generate(prefix: &str) -> String {
    format!("{prefix}{}", hex(&random_bytes()))
}

/// 256 bits from the operating system's CSPRNG.
pub(crate) fn random_bytes() -> [u8; 32] {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system's random number generator failed");
    bytes
}

/// The stored form of a presented secret.
pub(crate) fn digest(secret: &str) -> Vec<u8> {
    Sha256::digest(secret.as_bytes()).to_vec()
}

pub(crate) fn same(a: &[u8], b: &[u8]) -> bool {
    a.ct_eq(b).into()
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
