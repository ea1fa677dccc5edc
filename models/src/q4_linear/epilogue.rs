//! What follows a linear layer in BERT, applied to its outputs while they are still in cache:
//! exact GELU, and residual add with LayerNorm. The code is plain Rust written to vectorise,
//! compiled once per kernel's instruction set: without FMA enabled `mul_add` is a slow library
//! call, and without AVX the loops run 4 lanes wide.

use super::{Epilogue, Kernel, LANES};

impl Epilogue {
    /// Applies the epilogue to whole rows of outputs `y`; `residual` holds the same rows of the
    /// layer's input for [`Epilogue::AddNorm`].
    ///
    /// # Safety
    /// The CPU must have `kernel`'s instruction set ([`Kernel::supported`]).
    pub(super) unsafe fn apply(&self, kernel: Kernel, y: &mut [f32], residual: &[f32]) {
        // SAFETY: the caller vouches for the instruction set.
        #[cfg(target_arch = "x86_64")]
        match kernel {
            Kernel::Avx512Vnni | Kernel::Amx => unsafe { self.apply_avx512(y, residual) },
            Kernel::Avx2 => unsafe { self.apply_avx2(y, residual) },
        }
        #[cfg(not(target_arch = "x86_64"))]
        unreachable!("no kernel is supported off x86_64: {kernel:?}")
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f,fma")]
    unsafe fn apply_avx512(&self, y: &mut [f32], residual: &[f32]) {
        self.apply_portable(y, residual)
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,fma")]
    unsafe fn apply_avx2(&self, y: &mut [f32], residual: &[f32]) {
        self.apply_portable(y, residual)
    }

    #[inline(always)]
    fn apply_portable(&self, y: &mut [f32], residual: &[f32]) {
        match self {
            Self::Identity => {}
            Self::Gelu => gelu_erf(y),
            Self::AddNorm { weight, bias, eps } => add_norm(y, residual, weight, bias, *eps),
        }
    }
}

/// Exact GELU, `x · (1 + erf(x/√2)) / 2`, in place, with a rational erf approximation that needs
/// no `exp` and so vectorises (max error ≈ 1e-7 against libm's `erff`; tested).
#[inline(always)]
fn gelu_erf(xs: &mut [f32]) {
    for x in xs {
        *x = 0.5 * *x * (1.0 + erf(*x * std::f32::consts::FRAC_1_SQRT_2));
    }
}

/// `row = LayerNorm(row + residual)` for each row of `y`, as BERT's `LayerNorm(x + sublayer(x))`.
#[inline(always)]
fn add_norm(y: &mut [f32], residual: &[f32], weight: &[f32], bias: &[f32], eps: f32) {
    let n = weight.len();
    for (row, residual) in y.chunks_exact_mut(n).zip(residual.chunks_exact(n)) {
        row.iter_mut().zip(residual).for_each(|(v, r)| *v += r);
        let mean = lane_sum(row, |v| v) / n as f32;
        let variance = lane_sum(row, |v| (v - mean) * (v - mean)) / n as f32;
        let inverse = 1.0 / (variance + eps).sqrt();
        for ((v, w), b) in row.iter_mut().zip(weight).zip(bias) {
            *v = (*v - mean) * inverse * w + b;
        }
    }
}

/// `Σ f(v)` over 16 partial sums, so that the loop vectorises (a single running f32 sum must
/// keep its order and cannot).
#[inline(always)]
fn lane_sum(values: &[f32], f: impl Fn(f32) -> f32) -> f32 {
    let mut lanes = [0f32; LANES];
    let chunks = values.chunks_exact(LANES);
    let rest: f32 = chunks.remainder().iter().map(|&v| f(v)).sum();
    for chunk in chunks {
        lanes.iter_mut().zip(chunk).for_each(|(l, &v)| *l += f(v));
    }
    lanes.iter().sum::<f32>() + rest
}

/// erf on f32: `x · P(x²) / Q(x²)` on [−4, 4] (beyond which erf is ±1 in f32), the
/// coefficients Eigen uses for its vectorised float erf.
#[inline(always)]
fn erf(x: f32) -> f32 {
    let x = x.clamp(-4.0, 4.0);
    let x2 = x * x;
    let p = [
        -2.726_142_3e-10,
        2.770_681_4e-8,
        -2.101_024e-6,
        -5.692_506_4e-5,
        -7.349_906_3e-4,
        -2.954_6e-3,
        -1.609_603_3e-2,
    ]
    .iter()
    .fold(0.0f32, |acc, c| acc.mul_add(x2, *c));
    let q = [
        -1.456_607_2e-5,
        -2.133_740_6e-4,
        -1.682_827e-3,
        -7.373_329e-3,
        -1.426_474e-2,
    ]
    .iter()
    .fold(0.0f32, |acc, c| acc.mul_add(x2, *c));
    x * p / q
}
