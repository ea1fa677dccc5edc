//! The AMX path of [`super::PackedAttention`] for heads of 32 columns (multilingual-e5-small's):
//! both matmuls of attention on the tile unit, `tdpbf16ps` on the same bf16 operands as the
//! AVX-512 BF16 path ([`super::bf16`]), the softmax between them in AVX-512.
//!
//! Every tile is 16 rows × 64 bytes: 16 query rows × 32 bf16 columns of a head (all of them), 16
//! pairs of columns × 16 keys (the packed keys), 16 query rows × 32 keys of probabilities, 16
//! pairs of keys × 16 columns (the packed values), 16 × 16 f32 sums. One `tdpbf16ps` is 16 × 16
//! × 32 multiply-adds, where `vdpbf16ps` does 16 × 2. A step works on 32 query rows: two tiles
//! of queries (or probabilities) against two of keys (or values), four sum tiles.
//!
//! The tiles are configured and the tile state asked for by [`crate::amx`].

use std::arch::asm;
use std::mem::MaybeUninit;

use super::bf16::{HeadPack, probabilities_of, round_pairs};
use crate::amx::{AMX_BF16, TILE_ROWS as TILE};

/// Query rows of a step: two tiles.
const STEP: usize = 2 * TILE;
/// Head columns of the path: one tile row of bf16.
pub(super) const HEAD_DIM: usize = 32;

/// Whether the CPU has AMX tiles with bf16 products (and AVX-512 BF16 for the packing) and the
/// OS lets this process use them.
pub(super) fn supported() -> bool {
    super::bf16::supported() && crate::amx::tiles_permitted(AMX_BF16)
}

/// Query rows `first..first + rows` of one sequence (`[n, 3·hidden]` in `qkv`) against its
/// packed heads of [`HEAD_DIM`] columns, every head: writes `out` (`[rows, hidden]`), every
/// value.
///
/// # Safety
/// The CPU must run the path ([`supported`]); `packs` are the sequence's heads, packed from
/// `qkv`, of [`HEAD_DIM`] columns.
#[target_feature(enable = "avx512f,avx512bw,avx512bf16,fma")]
pub(super) unsafe fn attend(
    qkv: &[f32],
    hidden: usize,
    n: usize,
    first: usize,
    scale: f32,
    packs: &[HeadPack],
    out: &mut [MaybeUninit<f32>],
) {
    const D: usize = HEAD_DIM;
    let stride = 3 * hidden;
    let rows = out.len() / hidden;
    let Some(keys) = packs.first().map(|p| p.keys) else {
        return;
    };
    // Rows padded to whole steps: queries and probabilities of the padding stay zero.
    let padded = rows.div_ceil(STEP) * STEP;
    let mut q = vec![0u32; padded * D / 2];
    let mut scores = vec![0f32; padded * keys];
    let mut probabilities = vec![0u32; padded * keys / 2];
    let mut context = vec![0f32; padded * D];
    // SAFETY: AMX is permitted (the caller's promise).
    unsafe { crate::amx::configure() };
    for (head, pack) in packs.iter().enumerate() {
        assert!(pack.keys == keys && keys.is_multiple_of(STEP));
        assert!(pack.key_pairs.len() == D / 2 * keys && pack.value_pairs.len() == keys / 2 * D);
        for (r, q) in q.chunks_exact_mut(D / 2).take(rows).enumerate() {
            round_pairs(&qkv[(first + r) * stride + head * D..][..D], q);
        }
        // Scores: 32 query rows × 32 keys a step.
        for step in (0..padded).step_by(STEP) {
            for j in (0..keys).step_by(STEP) {
                let a = q[step * D / 2..].as_ptr();
                let b = pack.key_pairs[j..].as_ptr();
                let c = scores[step * keys + j..].as_mut_ptr();
                // SAFETY: the tiles read 32 rows of 64 bytes of `q` from `step`, 16 rows of keys
                // `j..j + 32` (row stride `keys` pairs), and write 32 rows × 32 scores from
                // (`step`, `j`) (row stride `keys`): all inside the buffers (asserted above).
                unsafe {
                    asm!(
                        "tileloadd tmm4, [{a} + {a_stride}*1]",
                        "tileloadd tmm5, [{a16} + {a_stride}*1]",
                        "tileloadd tmm6, [{b} + {b_stride}*1]",
                        "tileloadd tmm7, [{b16} + {b_stride}*1]",
                        "tilezero tmm0",
                        "tilezero tmm1",
                        "tilezero tmm2",
                        "tilezero tmm3",
                        "tdpbf16ps tmm0, tmm4, tmm6",
                        "tdpbf16ps tmm1, tmm4, tmm7",
                        "tdpbf16ps tmm2, tmm5, tmm6",
                        "tdpbf16ps tmm3, tmm5, tmm7",
                        "tilestored [{c} + {c_stride}*1], tmm0",
                        "tilestored [{c16} + {c_stride}*1], tmm1",
                        "tilestored [{c_down} + {c_stride}*1], tmm2",
                        "tilestored [{c_down16} + {c_stride}*1], tmm3",
                        a = in(reg) a,
                        a16 = in(reg) a.add(TILE * D / 2),
                        a_stride = in(reg) D / 2 * 4,
                        b = in(reg) b,
                        b16 = in(reg) b.add(TILE),
                        b_stride = in(reg) keys * 4,
                        c = in(reg) c,
                        c16 = in(reg) c.add(TILE),
                        c_down = in(reg) c.add(TILE * keys),
                        c_down16 = in(reg) c.add(TILE * keys + TILE),
                        c_stride = in(reg) keys * 4,
                        options(nostack),
                    );
                }
            }
        }
        probabilities_of(&mut scores, &mut probabilities, keys, n, rows, scale);
        // Context: 32 query rows × the head's 32 columns, summed over keys 32 at a time.
        for step in (0..padded).step_by(STEP) {
            // SAFETY: tiles only.
            unsafe {
                asm!(
                    "tilezero tmm0",
                    "tilezero tmm1",
                    "tilezero tmm2",
                    "tilezero tmm3",
                    options(nostack, nomem)
                );
            }
            for j in (0..keys).step_by(STEP) {
                let a = probabilities[step * keys / 2 + j / 2..].as_ptr();
                let b = pack.value_pairs[j / 2 * D..].as_ptr();
                // SAFETY: the tiles read 32 rows × 32 probabilities from (`step`, `j`) (row
                // stride `keys / 2` pairs) and the 16 pairs of keys from `j`, 32 columns (row
                // stride `D` pairs): inside the buffers (asserted above).
                unsafe {
                    asm!(
                        "tileloadd tmm4, [{a} + {a_stride}*1]",
                        "tileloadd tmm5, [{a_down} + {a_stride}*1]",
                        "tileloadd tmm6, [{b} + {b_stride}*1]",
                        "tileloadd tmm7, [{b16} + {b_stride}*1]",
                        "tdpbf16ps tmm0, tmm4, tmm6",
                        "tdpbf16ps tmm1, tmm4, tmm7",
                        "tdpbf16ps tmm2, tmm5, tmm6",
                        "tdpbf16ps tmm3, tmm5, tmm7",
                        a = in(reg) a,
                        a_down = in(reg) a.add(TILE * keys / 2),
                        a_stride = in(reg) keys / 2 * 4,
                        b = in(reg) b,
                        b16 = in(reg) b.add(TILE),
                        b_stride = in(reg) D * 4,
                        options(nostack, readonly),
                    );
                }
            }
            let c = context[step * D..].as_mut_ptr();
            // SAFETY: writes 32 rows × 32 floats of `context` from row `step`.
            unsafe {
                asm!(
                    "tilestored [{c} + {c_stride}*1], tmm0",
                    "tilestored [{c16} + {c_stride}*1], tmm1",
                    "tilestored [{c_down} + {c_stride}*1], tmm2",
                    "tilestored [{c_down16} + {c_stride}*1], tmm3",
                    c = in(reg) c,
                    c16 = in(reg) c.add(TILE),
                    c_down = in(reg) c.add(TILE * D),
                    c_down16 = in(reg) c.add(TILE * D + TILE),
                    c_stride = in(reg) D * 4,
                    options(nostack),
                );
            }
        }
        for (r, context) in context.chunks_exact(D).take(rows).enumerate() {
            out[r * hidden + head * D..][..D].write_copy_of_slice(context);
        }
    }
    // SAFETY: as above.
    unsafe { crate::amx::release() };
}
