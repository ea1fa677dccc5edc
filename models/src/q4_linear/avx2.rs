//! The AVX2 kernel, for x86-64 CPUs without AVX-512 VNNI (AMD Zen 2–4, Intel before Ice Lake).
//!
//! `vpmaddubsw` multiplies 32 u8 weights by 32 i8 activations and adds neighbouring pairs into
//! 16 i16 lanes. A pair is at most 2 · 15 · 128 = 3840 in magnitude, so the 8 steps of a block
//! (32 inputs) add up in i16 without saturating (8 · 3840 = 30720 < 32767), and each block's
//! sums are widened to i32 (`vpmaddwd` by 1) once: three instructions per 32 products, against
//! the f32 gemm's four FMAs. The weights are packed as for AVX-512 (16 outputs × 4 inputs per
//! 64 bytes); this kernel takes a group's 16 outputs as two halves of 8.

use std::arch::x86_64::*;
use std::mem::MaybeUninit;

use super::{BLOCK, LANES, Q4Linear, STEP};

/// Outputs per AVX2 vector of i32 / f32.
const HALF: usize = LANES / 2;

impl Q4Linear {
    /// Computes `R` rows of output, 8 outputs at a time.
    ///
    /// # Safety
    /// The CPU must have AVX2 and FMA; `values` holds `R` rows of inputs, `scales` and `offsets`
    /// `R` rows of blocks, `y` `R` rows of outputs.
    #[target_feature(enable = "avx2,fma")]
    pub(super) unsafe fn tile_avx2<const R: usize>(
        &self,
        values: &[i8],
        scales: &[f32],
        offsets: &[i32],
        y: &mut [MaybeUninit<f32>],
    ) {
        let blocks = self.inputs / BLOCK;
        let values = values.as_ptr();
        let ones = _mm256_set1_epi16(1);
        for half in 0..self.outputs / HALF {
            let (group, part) = (half / 2, half % 2);
            let mut sums = [_mm256_setzero_ps(); R];
            for b in 0..blocks {
                let tile = group * blocks + b;
                // SAFETY: `tile` indexes a whole block of `packed` (`new` sized it), `part` one
                // of its two 32-byte halves per step.
                let weights = unsafe { self.packed.as_ptr().add(tile * BLOCK * LANES + part * 32) };
                let mut pairs = [_mm256_setzero_si256(); R];
                for step in 0..BLOCK / STEP {
                    // SAFETY: inside the block (see above); the activation reads are inside
                    // row `r`'s block `b` of `values`, whose length `tile` asserts.
                    let w = unsafe { _mm256_loadu_si256(weights.add(step * STEP * LANES).cast()) };
                    for (r, pairs) in pairs.iter_mut().enumerate() {
                        let a = unsafe { self.activations(values, r, b, step) };
                        let products = _mm256_maddubs_epi16(w, _mm256_set1_epi32(a));
                        *pairs = _mm256_add_epi16(*pairs, products);
                    }
                }
                // SAFETY: `scales` holds 16 per tile (`new`).
                let weight_scales = unsafe {
                    _mm256_loadu_ps(self.scales.as_ptr().add(tile * LANES + part * HALF))
                };
                for (r, (pairs, sum)) in pairs.iter().zip(&mut sums).enumerate() {
                    let dot = _mm256_add_epi32(
                        _mm256_madd_epi16(*pairs, ones),
                        _mm256_set1_epi32(offsets[r * blocks + b]),
                    );
                    let scale =
                        _mm256_mul_ps(weight_scales, _mm256_set1_ps(scales[r * blocks + b]));
                    *sum = _mm256_fmadd_ps(_mm256_cvtepi32_ps(dot), scale, *sum);
                }
            }
            let out = half * HALF;
            // SAFETY: `bias` has `outputs` values; each row of `y` too.
            let bias = unsafe { _mm256_loadu_ps(self.bias.as_ptr().add(out)) };
            for (r, sum) in sums.iter().enumerate() {
                let y = &mut y[r * self.outputs + out..][..HALF];
                unsafe { _mm256_storeu_ps(y.as_mut_ptr().cast(), _mm256_add_ps(*sum, bias)) };
            }
        }
    }
}

/// One Q8_0 block as the AVX-512 kernel's `quantise_block` (and the scalar oracle) computes it:
/// `d = max|x| / 127`, `q = round(x / d)` to nearest even; returns `d` and `Σ q`.
///
/// # Safety
/// The CPU must have AVX2.
#[target_feature(enable = "avx2")]
pub(super) unsafe fn quantise_block(x: &[f32], q: &mut [i8]) -> (f32, i32) {
    assert!(x.len() == BLOCK && q.len() == BLOCK);
    // SAFETY: 32 values, checked above.
    let v: [__m256; 4] = std::array::from_fn(|i| unsafe { _mm256_loadu_ps(x.as_ptr().add(8 * i)) });
    let sign = _mm256_set1_ps(-0.0);
    let abs = v.map(|v| _mm256_andnot_ps(sign, v));
    let max = _mm256_max_ps(_mm256_max_ps(abs[0], abs[1]), _mm256_max_ps(abs[2], abs[3]));
    let max = _mm_max_ps(_mm256_castps256_ps128(max), _mm256_extractf128_ps::<1>(max));
    let max = _mm_max_ps(max, _mm_movehl_ps(max, max));
    let max = _mm_cvtss_f32(_mm_max_ss(max, _mm_shuffle_ps::<1>(max, max)));
    let d = max / 127.0;
    let inverse = _mm256_set1_ps(if d > 0.0 { 1.0 / d } else { 0.0 });
    // Converts with the default rounding mode, round to nearest even; |x / d| ≤ 127.
    let ints = v.map(|v| _mm256_cvtps_epi32(_mm256_mul_ps(v, inverse)));
    // The packs interleave 128-bit lanes: dwords come out as inputs 0–3, 8–11, 16–19, 24–27,
    // 4–7, …; the permutation puts them back in order.
    let bytes = _mm256_packs_epi16(
        _mm256_packs_epi32(ints[0], ints[1]),
        _mm256_packs_epi32(ints[2], ints[3]),
    );
    let bytes = _mm256_permutevar8x32_epi32(bytes, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
    // SAFETY: 32 bytes, checked above.
    unsafe { _mm256_storeu_si256(q.as_mut_ptr().cast(), bytes) };
    let sum = _mm256_add_epi32(
        _mm256_add_epi32(ints[0], ints[1]),
        _mm256_add_epi32(ints[2], ints[3]),
    );
    let sum = _mm_add_epi32(
        _mm256_castsi256_si128(sum),
        _mm256_extracti128_si256::<1>(sum),
    );
    let sum = _mm_hadd_epi32(sum, sum);
    (d, _mm_cvtsi128_si32(_mm_hadd_epi32(sum, sum)))
}
