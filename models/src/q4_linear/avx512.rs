//! The AVX-512 VNNI kernel: a tile of token rows against 16 outputs at a time, one `vpdpbusd`
//! per 4 inputs, and the Q8_0 quantisation of activations.

use std::mem::MaybeUninit;

use super::{BLOCK, LANES, Q4Linear, STEP};

impl Q4Linear {
    /// Computes `R` rows of output, 16 outputs at a time.
    ///
    /// # Safety
    /// The CPU must have AVX-512 F, BW and VNNI; `values` holds `R` rows of inputs, `scales`
    /// and `offsets` `R` rows of blocks, `y` `R` rows of outputs.
    #[target_feature(enable = "avx512f,avx512bw,avx512vnni")]
    pub(super) unsafe fn tile_avx512<const R: usize>(
        &self,
        values: &[i8],
        scales: &[f32],
        offsets: &[i32],
        y: &mut [MaybeUninit<f32>],
    ) {
        use std::arch::x86_64::*;
        let blocks = self.inputs / BLOCK;
        let values = values.as_ptr();
        for group in 0..self.outputs / LANES {
            let mut sums = [_mm512_setzero_ps(); R];
            for b in 0..blocks {
                let tile = group * blocks + b;
                let weights = unsafe { self.packed.as_ptr().add(tile * BLOCK * LANES) };
                let mut acc: [__m512i; R] =
                    std::array::from_fn(|r| _mm512_set1_epi32(offsets[r * blocks + b]));
                for step in 0..BLOCK / STEP {
                    // SAFETY: `tile` indexes a whole block inside `packed`; rows inside `values`.
                    let w = unsafe { _mm512_loadu_si512(weights.add(step * STEP * LANES).cast()) };
                    for (r, acc) in acc.iter_mut().enumerate() {
                        let a = unsafe { self.activations(values, r, b, step) };
                        *acc = _mm512_dpbusd_epi32(*acc, w, _mm512_set1_epi32(a));
                    }
                }
                let weight_scales =
                    unsafe { _mm512_loadu_ps(self.scales.as_ptr().add(tile * LANES)) };
                for r in 0..R {
                    let scale =
                        _mm512_mul_ps(weight_scales, _mm512_set1_ps(scales[r * blocks + b]));
                    sums[r] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(acc[r]), scale, sums[r]);
                }
            }
            let bias = unsafe { _mm512_loadu_ps(self.bias.as_ptr().add(group * LANES)) };
            for (r, sum) in sums.iter().enumerate() {
                let out = &mut y[r * self.outputs + group * LANES..][..LANES];
                unsafe { _mm512_storeu_ps(out.as_mut_ptr().cast(), _mm512_add_ps(*sum, bias)) };
            }
        }
    }
}

/// One Q8_0 block of [`super::Kernel::quantise_blocks`] on AVX-512: returns `d` and `Σ q`.
///
/// # Safety
/// The CPU must have AVX-512 F and BW.
#[target_feature(enable = "avx512f,avx512bw")]
pub(super) unsafe fn quantise_block(x: &[f32], q: &mut [i8]) -> (f32, i32) {
    use std::arch::x86_64::*;
    assert!(x.len() == BLOCK && q.len() == BLOCK);
    // SAFETY: 32 values in and out, checked above.
    let (low, high) = unsafe {
        (
            _mm512_loadu_ps(x.as_ptr()),
            _mm512_loadu_ps(x.as_ptr().add(16)),
        )
    };
    let max = _mm512_reduce_max_ps(_mm512_max_ps(_mm512_abs_ps(low), _mm512_abs_ps(high)));
    let d = max / 127.0;
    let inverse = _mm512_set1_ps(if d > 0.0 { 1.0 / d } else { 0.0 });
    // Converts with the default rounding mode, round to nearest even; |x / d| ≤ 127.
    let low = _mm512_cvtps_epi32(_mm512_mul_ps(low, inverse));
    let high = _mm512_cvtps_epi32(_mm512_mul_ps(high, inverse));
    unsafe {
        _mm_storeu_si128(q.as_mut_ptr().cast(), _mm512_cvtsepi32_epi8(low));
        _mm_storeu_si128(q.as_mut_ptr().add(16).cast(), _mm512_cvtsepi32_epi8(high));
    }
    (d, _mm512_reduce_add_epi32(_mm512_add_epi32(low, high)))
}
