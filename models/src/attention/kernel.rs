//! One task of [`super::PackedAttention`]: a block of query rows of one sequence, every head.
//!
//! Scores are computed 4 query rows × 16 keys at a time against the head's keys transposed to
//! `[head_dim][keys]`, so each load of keys serves 4 FMAs; the context 4 query rows at a time,
//! so each value row loaded serves 4. The code is plain Rust over fixed-size arrays, which LLVM
//! vectorises for the instruction set its wrapper enables (`mul_add` is one FMA there).

use std::mem::MaybeUninit;

use super::Simd;
use super::softmax::softmax;

/// Keys per vector of scores; the transposed keys are padded with zeros to a multiple.
const KEYS: usize = 16;
/// Query rows computed together.
const QUERIES: usize = 4;

/// Query rows `first..first + rows` of one sequence of a packed batch, every head.
pub(super) struct Task<'a> {
    /// `[n, 3·hidden]`: the sequence's queries, keys and values.
    pub qkv: &'a [f32],
    pub hidden: usize,
    pub n: usize,
    pub heads: usize,
    pub first: usize,
    /// Multiplies scores before the softmax (1/√head_dim).
    pub scale: f32,
}

/// Writes `out` (`[rows, hidden]`): the attention output of the task's query rows, every value.
pub(super) fn attend(
    simd: Simd,
    task: &Task,
    out: &mut [MaybeUninit<f32>],
) -> candle_core::Result<()> {
    let head_dim = task.hidden / task.heads;
    macro_rules! head_dims {
        ($($d:literal)*) => {
            match head_dim {
                $($d => Ok(dispatch::<$d>(simd, task, out)),)*
                _ => candle_core::bail!("packed-attention: head size {head_dim} is not 16, 32 or 64"),
            }
        };
    }
    head_dims!(16 32 64)
}

fn dispatch<const D: usize>(simd: Simd, task: &Task, out: &mut [MaybeUninit<f32>]) {
    // SAFETY (both): `Simd::available` lists only what the CPU has.
    #[cfg(target_arch = "x86_64")]
    match simd {
        // Head sizes the bf16 path does not take are computed in f32.
        Simd::Avx512 | Simd::Avx512Bf16 | Simd::AmxBf16 => {
            return unsafe { attend_avx512::<D>(task, out) };
        }
        Simd::Avx2 => return unsafe { attend_avx2::<D>(task, out) },
        Simd::Scalar => {}
    }
    attend_portable::<D>(Simd::Scalar, task, out)
}

/// `attend_portable` compiled for an instruction set, so that its loops vectorise to it.
macro_rules! compiled_for {
    ($name:ident, $features:literal, $simd:expr) => {
        #[cfg(target_arch = "x86_64")]
        #[target_feature(enable = $features)]
        unsafe fn $name<const D: usize>(task: &Task, out: &mut [MaybeUninit<f32>]) {
            attend_portable::<D>($simd, task, out)
        }
    };
}
compiled_for!(attend_avx512, "avx512f,fma", Simd::Avx512);
compiled_for!(attend_avx2, "avx2,fma", Simd::Avx2);

#[inline(always)]
fn attend_portable<const D: usize>(simd: Simd, task: &Task, out: &mut [MaybeUninit<f32>]) {
    let &Task {
        qkv,
        hidden,
        n,
        heads,
        first,
        scale,
    } = task;
    let stride = 3 * hidden;
    let rows = out.len() / hidden;
    let keys = n.div_ceil(KEYS) * KEYS;
    let mut transposed = vec![0f32; D * keys];
    let mut scores = vec![0f32; QUERIES * keys];
    let vector = |token: usize, column: usize| -> &[f32; D] {
        qkv[token * stride + column..][..D]
            .try_into()
            .expect("D values")
    };
    for head in 0..heads {
        let (q_column, k_column, v_column) = (head * D, hidden + head * D, 2 * hidden + head * D);
        for j in 0..n {
            for (d, &k) in vector(j, k_column).iter().enumerate() {
                transposed[d * keys + j] = k;
            }
        }
        for block in (0..rows).step_by(QUERIES) {
            let real = QUERIES.min(rows - block);
            // A last block of fewer rows repeats its last row; those results are not written.
            let q: [&[f32; D]; QUERIES] =
                std::array::from_fn(|r| vector(first + block + r.min(real - 1), q_column));
            for j in (0..keys).step_by(KEYS) {
                let mut acc = [[0f32; KEYS]; QUERIES];
                for d in 0..D {
                    let k: &[f32; KEYS] = transposed[d * keys + j..][..KEYS]
                        .try_into()
                        .expect("16 keys");
                    for (acc, q) in acc.iter_mut().zip(&q) {
                        for (a, &k) in acc.iter_mut().zip(k) {
                            *a = q[d].mul_add(k, *a);
                        }
                    }
                }
                for (r, acc) in acc.iter().enumerate() {
                    scores[r * keys + j..][..KEYS].copy_from_slice(acc);
                }
            }
            for row in scores.chunks_exact_mut(keys).take(real) {
                softmax(simd, &mut row[..n], scale);
            }
            let mut acc = [[0f32; D]; QUERIES];
            for j in 0..n {
                let v = vector(j, v_column);
                for (r, acc) in acc.iter_mut().enumerate() {
                    let p = scores[r * keys + j];
                    for (a, &v) in acc.iter_mut().zip(v) {
                        *a = p.mul_add(v, *a);
                    }
                }
            }
            for (r, acc) in acc.iter().take(real).enumerate() {
                out[(block + r) * hidden + head * D..][..D].write_copy_of_slice(acc);
            }
        }
    }
}
