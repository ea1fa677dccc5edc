//! Attention's softmax of one row of scores, in place, with the scale applied inside: a
//! polynomial `exp` in AVX-512 or AVX2 (libm's scalar `exp` measured 15% of embedding time).

use super::Simd;

/// `row = softmax(row · scale)` (scale > 0) on the `simd` path (one the CPU has).
pub(super) fn softmax(simd: Simd, row: &mut [f32], scale: f32) {
    if row.is_empty() {
        return;
    }
    // SAFETY (both): `Simd::available` lists only what the CPU has.
    #[cfg(target_arch = "x86_64")]
    match simd {
        Simd::Avx512 | Simd::Avx512Bf16 | Simd::AmxBf16 => {
            return unsafe { softmax_avx512(row, scale) };
        }
        Simd::Avx2 => return unsafe { softmax_avx2(row, scale) },
        Simd::Scalar => {}
    }
    let max = row.iter().fold(f32::NEG_INFINITY, |m, &v| m.max(v));
    let mut sum = 0.0;
    for v in row.iter_mut() {
        *v = ((*v - max) * scale).exp();
        sum += *v;
    }
    row.iter_mut().for_each(|v| *v /= sum);
}

/// In-place softmax of `row · scale` (scale > 0), 8 lanes at a time: the loops are plain Rust
/// over fixed-size chunks, which LLVM turns into AVX2 with the features enabled, and `exp` is
/// the AVX-512 path's polynomial written per lane.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn softmax_avx2(row: &mut [f32], scale: f32) {
    const LANES: usize = 8;
    let (chunks, tail) = row.as_chunks_mut::<LANES>();
    let mut max = [f32::NEG_INFINITY; LANES];
    for chunk in chunks.iter() {
        max.iter_mut().zip(chunk).for_each(|(m, &v)| *m = m.max(v));
    }
    let max = tail
        .iter()
        .chain(&max)
        .fold(f32::NEG_INFINITY, |m, &v| m.max(v));
    let mut sum = [0f32; LANES];
    for chunk in chunks.iter_mut() {
        for (s, v) in sum.iter_mut().zip(chunk) {
            *v = exp_polynomial((*v - max) * scale);
            *s += *v;
        }
    }
    for v in tail.iter_mut() {
        *v = exp_polynomial((*v - max) * scale);
    }
    let inverse = 1.0 / (tail.iter().sum::<f32>() + sum.iter().sum::<f32>());
    row.iter_mut().for_each(|v| *v *= inverse);
}

/// `e^x` for x ≤ 0 as `exp_avx512` computes it, one lane: `2^n · e^r` with the exponent `n`
/// put into the float's bits directly.
#[inline(always)]
fn exp_polynomial(x: f32) -> f32 {
    let x = x.max(-87.0);
    let n = (x * std::f32::consts::LOG2_E).round_ties_even();
    let r = n.mul_add(-0.693_145_75, x);
    let r = n.mul_add(-1.428_606_8e-6, r);
    let mut p: f32 = 1.0 / 720.0;
    for c in [1.0 / 120.0, 1.0 / 24.0, 1.0 / 6.0, 0.5, 1.0, 1.0] {
        p = p.mul_add(r, c);
    }
    // n ≥ −126 (x ≥ −87): a normal power of two.
    p * f32::from_bits(((n as i32 + 127) as u32) << 23)
}

/// In-place softmax of `row · scale` (scale > 0).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
unsafe fn softmax_avx512(row: &mut [f32], scale: f32) {
    use std::arch::x86_64::*;
    let ptr = row.as_mut_ptr();
    // Lane masks for the 16-wide chunks; the last chunk may be partial.
    let chunks = row.len().div_ceil(16);
    let mask = |c: usize| -> __mmask16 {
        let left = row.len() - c * 16;
        if left >= 16 {
            0xffff
        } else {
            (1u16 << left) - 1
        }
    };
    let mut max = _mm512_set1_ps(f32::NEG_INFINITY);
    for c in 0..chunks {
        // SAFETY: masked loads touch only lanes inside `row`.
        let v = unsafe { _mm512_mask_loadu_ps(max, mask(c), ptr.add(c * 16)) };
        max = _mm512_max_ps(max, v);
    }
    let max = _mm512_set1_ps(_mm512_reduce_max_ps(max));
    let scale = _mm512_set1_ps(scale);
    let mut sum = _mm512_setzero_ps();
    for c in 0..chunks {
        unsafe {
            let v = _mm512_maskz_loadu_ps(mask(c), ptr.add(c * 16));
            let e = exp_avx512(_mm512_mul_ps(_mm512_sub_ps(v, max), scale));
            sum = _mm512_mask_add_ps(sum, mask(c), sum, e);
            _mm512_mask_storeu_ps(ptr.add(c * 16), mask(c), e);
        }
    }
    let inverse = _mm512_set1_ps(1.0 / _mm512_reduce_add_ps(sum));
    for c in 0..chunks {
        unsafe {
            let v = _mm512_maskz_loadu_ps(mask(c), ptr.add(c * 16));
            _mm512_mask_storeu_ps(ptr.add(c * 16), mask(c), _mm512_mul_ps(v, inverse));
        }
    }
}

/// `e^x` for x ≤ 0: `2^n · e^r` with `r = x − n·ln 2` in [−ln2/2, ln2/2] and a degree-6 Taylor
/// polynomial (relative error < 2e-7); below −87 the result underflows to ≈0 as in f32.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
fn exp_avx512(x: std::arch::x86_64::__m512) -> std::arch::x86_64::__m512 {
    use std::arch::x86_64::*;
    let x = _mm512_max_ps(x, _mm512_set1_ps(-87.0));
    let n = _mm512_roundscale_ps::<{ _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC }>(
        _mm512_mul_ps(x, _mm512_set1_ps(std::f32::consts::LOG2_E)),
    );
    // ln 2 split in two so that n·ln2 is exact enough.
    let r = _mm512_fnmadd_ps(n, _mm512_set1_ps(0.693_145_75), x);
    let r = _mm512_fnmadd_ps(n, _mm512_set1_ps(1.428_606_8e-6), r);
    let mut p = _mm512_set1_ps(1.0 / 720.0);
    for c in [1.0 / 120.0, 1.0 / 24.0, 1.0 / 6.0, 0.5, 1.0, 1.0] {
        p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(c));
    }
    _mm512_scalef_ps(p, n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_softmaxed_on_every_path() {
        let scale = 0.125;
        for len in [1, 7, 16, 37, 200] {
            let values: Vec<f32> = (0..len)
                .map(|i| ((i * 7919) % 1000) as f32 / 25.0 - 20.0)
                .collect();
            let max = values.iter().fold(f32::NEG_INFINITY, |m, &v| m.max(v));
            let exps: Vec<f64> = values
                .iter()
                .map(|&v| f64::from((v - max) * scale).exp())
                .collect();
            let sum: f64 = exps.iter().sum();
            // Every path the CPU has, the scalar one among them.
            for simd in Simd::available() {
                let mut row = values.clone();
                softmax(simd, &mut row, scale);
                for (j, (&got, want)) in row.iter().zip(&exps).enumerate() {
                    let want = want / sum;
                    assert!(
                        (f64::from(got) - want).abs() < 1e-6,
                        "{simd:?} length {len} key {j}: {got} vs {want}"
                    );
                }
            }
        }
    }
}
