//! BERT self-attention over a packed batch: the sequences' tokens back to back, without padding.
//!
//! The query/key/value projection gives `[tokens, 3·hidden]` for all sequences of a batch one
//! after another. For each sequence and head this computes `softmax(q·kᵀ / √d)·v` over that
//! sequence's own tokens and writes it into the head's columns of `[tokens, hidden]`, reading
//! q, k and v where the projection left them. candle's batched matmuls over padded
//! `[batch, heads, len, len]` scores copied q, k and v into per-head layout, allocated a scores
//! tensor of batch·heads·len² floats (42 MB per layer for 19 texts of 215 tokens, far outside
//! the caches), spent work on padding, and called gemm once per sequence and head. Here a task
//! is one sequence's block of query rows for every head, so the scores of a block stay in cache
//! and both cores share any batch, even a single long text.
//!
//! The arithmetic is f32 (see [`kernel`]), compiled for AVX-512 or AVX2 with FMA as the CPU
//! has, else plain; on CPUs with AVX-512 BF16 both matmuls take bf16 inputs with f32 sums
//! ([`bf16`]). The tests check every path the CPU runs against a scalar f64 oracle.

#[cfg(target_arch = "x86_64")]
mod amx;
#[cfg(target_arch = "x86_64")]
mod bf16;
mod kernel;
mod softmax;
#[cfg(test)]
mod tests;

use std::mem::MaybeUninit;

use candle_core::{CpuStorage, CustomOp1, Layout, Shape};
use rayon::prelude::*;

/// Query rows per task: their scores against a 512-token sequence (128 KB) stay in L2.
const TASK_QUERIES: usize = 64;

/// The instruction set the attention arithmetic is compiled for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Simd {
    /// AMX tiles for both matmuls on the operands of [`Simd::Avx512Bf16`] (heads of 32 columns;
    /// others take that path).
    AmxBf16,
    /// AVX-512 BF16: q, k, v and the probabilities rounded to bf16, sums in f32 (heads of 32 or
    /// 64 columns; other head sizes take the AVX-512 path).
    Avx512Bf16,
    /// Plain Rust, libm's `exp`: every CPU.
    Scalar,
    /// AVX2 with FMA.
    Avx2,
    /// AVX-512 F with FMA.
    Avx512,
}

impl Simd {
    /// Every path this CPU runs, fastest first.
    pub fn available() -> Vec<Self> {
        #[cfg(target_arch = "x86_64")]
        let simd = [
            (Self::AmxBf16, amx::supported()),
            (Self::Avx512Bf16, bf16::supported()),
            (
                Self::Avx512,
                is_x86_feature_detected!("avx512f") && is_x86_feature_detected!("fma"),
            ),
            (
                Self::Avx2,
                is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma"),
            ),
        ];
        #[cfg(not(target_arch = "x86_64"))]
        let simd: [(Self, bool); 0] = [];
        simd.into_iter()
            .filter_map(|(s, ok)| ok.then_some(s))
            .chain([Self::Scalar])
            .collect()
    }
}

/// Attention of a packed batch, as a candle op from `[tokens, 3·hidden]` (queries, keys,
/// values) to `[tokens, hidden]`.
pub(crate) struct PackedAttention {
    /// Tokens of each sequence, in order; they sum to the op's input rows.
    lengths: Vec<usize>,
    heads: usize,
    simd: Simd,
}

impl PackedAttention {
    pub fn new(lengths: Vec<usize>, heads: usize) -> Self {
        Self {
            lengths,
            heads,
            simd: Simd::available()[0],
        }
    }

    /// The same op on another instruction-set path, for tests that compare them.
    #[cfg(test)]
    pub fn with_simd(self, simd: Simd) -> Self {
        Self { simd, ..self }
    }

    /// `out` (`[tokens, hidden]`) from `qkv` (`[tokens, 3·hidden]`).
    fn run(
        &self,
        qkv: &[f32],
        hidden: usize,
        out: &mut [MaybeUninit<f32>],
    ) -> candle_core::Result<()> {
        // One task per block of query rows of a sequence: (the sequence, its first token, its
        // length, first query row in it), with the output rows it writes.
        let mut tasks = Vec::new();
        let (mut rest, mut start) = (out, 0);
        for (sequence, &n) in self.lengths.iter().enumerate() {
            for first in (0..n).step_by(TASK_QUERIES) {
                let rows = TASK_QUERIES.min(n - first);
                let (block, tail) = rest.split_at_mut(rows * hidden);
                rest = tail;
                tasks.push(((sequence, start, n, first), block));
            }
            start += n;
        }
        let stride = 3 * hidden;
        let head_dim = hidden / self.heads;
        let scale = 1.0 / (head_dim as f32).sqrt();
        #[cfg(target_arch = "x86_64")]
        if matches!(self.simd, Simd::AmxBf16 | Simd::Avx512Bf16) && bf16::fits(head_dim) {
            let amx = self.simd == Simd::AmxBf16 && head_dim == amx::HEAD_DIM;
            // Each sequence's heads packed once, every (sequence, head) a task of its own.
            let sequences: Vec<(usize, usize)> = self
                .lengths
                .iter()
                .scan(0, |start, &n| {
                    *start += n;
                    Some((*start - n, n))
                })
                .collect();
            let packs: Vec<bf16::HeadPack> = (0..sequences.len() * self.heads)
                .into_par_iter()
                .map(|i| {
                    let (start, n) = sequences[i / self.heads];
                    let qkv = &qkv[start * stride..(start + n) * stride];
                    // SAFETY: `bf16::supported` (this path is in `Simd::available`), `fits`.
                    unsafe { bf16::pack(qkv, hidden, n, i % self.heads, head_dim) }
                })
                .collect();
            tasks
                .into_par_iter()
                .for_each(|((s, start, n, first), out)| {
                    let packs = &packs[s * self.heads..][..self.heads];
                    let qkv = &qkv[start * stride..(start + n) * stride];
                    // SAFETY: as above (`amx::supported` for the AMX path implies
                    // `bf16::supported`); `packs` are this sequence's heads, packed from `qkv`.
                    unsafe {
                        if amx {
                            amx::attend(qkv, hidden, n, first, scale, packs, out)
                        } else {
                            bf16::attend(qkv, hidden, n, first, scale, packs, head_dim, out)
                        }
                    }
                });
            return Ok(());
        }
        tasks
            .into_par_iter()
            .try_for_each(|((_, start, n, first), out)| {
                let task = kernel::Task {
                    qkv: &qkv[start * stride..(start + n) * stride],
                    hidden,
                    n,
                    heads: self.heads,
                    first,
                    scale,
                };
                kernel::attend(self.simd, &task, out)
            })
    }
}

impl CustomOp1 for PackedAttention {
    fn name(&self) -> &'static str {
        "packed-attention"
    }

    fn cpu_fwd(
        &self,
        storage: &CpuStorage,
        layout: &Layout,
    ) -> candle_core::Result<(CpuStorage, Shape)> {
        let CpuStorage::F32(data) = storage else {
            candle_core::bail!("packed-attention: f32 input expected");
        };
        let Some((start, end)) = layout.contiguous_offsets() else {
            candle_core::bail!("packed-attention: input is not contiguous");
        };
        let &[tokens, columns] = layout.dims() else {
            candle_core::bail!("packed-attention: [tokens, 3·hidden] expected");
        };
        let hidden = columns / 3;
        if columns % 3 != 0 || hidden % self.heads != 0 {
            candle_core::bail!(
                "packed-attention: {columns} columns are not 3 × {} heads",
                self.heads
            );
        }
        if self.lengths.iter().sum::<usize>() != tokens {
            candle_core::bail!(
                "packed-attention: the sequences' lengths do not add up to {tokens} tokens"
            );
        }
        // Not zeroed first: the tasks write every value.
        let mut out = Vec::with_capacity(tokens * hidden);
        self.run(
            &data[start..end],
            hidden,
            &mut out.spare_capacity_mut()[..tokens * hidden],
        )?;
        // SAFETY: `run` succeeded, so its tasks wrote all `tokens · hidden` values.
        unsafe { out.set_len(tokens * hidden) };
        Ok((CpuStorage::F32(out), Shape::from((tokens, hidden))))
    }
}
