//! The AMX kernel, for Intel Xeons from Sapphire Rapids: the integer products of a block on the
//! tile unit, the block scales in AVX-512.
//!
//! `tdpbsud` multiplies a 16 × 32 tile of i8 activations (16 token rows, one block of inputs)
//! by the block's weights, which `new` already packs as AMX wants its second operand (rows of 16
//! outputs × 4 consecutive u8 inputs, 64 bytes), into 16 × 16 i32 sums: 8,192 products in one
//! instruction, where `vpdpbusd` does 64. Q4_0 and Q8_0 scale every block of 32 inputs
//! separately, so the sums cannot accumulate in the tile over the whole row: each block's tile
//! is stored and scaled into f32 sums with AVX-512, exactly as the VNNI kernel scales its
//! accumulators, and so the outputs are the VNNI kernel's, bit for bit (tested). A step is 32
//! token rows × 32 outputs: two activation tiles, two weight tiles, four sum tiles.
//!
//! Rust has no stable AMX intrinsics, so the tile instructions are `asm!`; and Linux gives a
//! process the tile state only once it asks (`arch_prctl(ARCH_REQ_XCOMP_PERM)`), which
//! [`supported`] does once.

use std::arch::asm;
use std::arch::x86_64::*;
use std::sync::OnceLock;

use super::{BLOCK, LANES, PADDED_ROWS, Q4Linear, STEP};

/// Rows of a sum or activation tile; a step is two of them ([`PADDED_ROWS`]).
const TILE_ROWS: usize = 16;
const _: () = assert!(PADDED_ROWS == 2 * TILE_ROWS);

/// Whether the CPU has AMX tiles with 8-bit products and the OS lets this process use them
/// (asked once; the permission is the whole process's, threads started later included).
pub(super) fn supported() -> bool {
    static PERMITTED: OnceLock<bool> = OnceLock::new();
    *PERMITTED.get_or_init(|| {
        // CPUID leaf 7: EDX bit 24 AMX-TILE, bit 25 AMX-INT8.
        let edx = __cpuid_count(7, 0).edx;
        edx & (3 << 24) == 3 << 24 && request_tile_state()
    })
}

/// Asks Linux for the tile data state (XFEATURE_XTILEDATA), without which the first tile
/// instruction kills the process with SIGILL.
#[cfg(target_os = "linux")]
fn request_tile_state() -> bool {
    const ARCH_REQ_XCOMP_PERM: libc::c_long = 0x1023;
    const XFEATURE_XTILEDATA: libc::c_long = 18;
    // SAFETY: arch_prctl with this code only changes the process's permitted xsave features.
    unsafe {
        libc::syscall(
            libc::SYS_arch_prctl,
            ARCH_REQ_XCOMP_PERM,
            XFEATURE_XTILEDATA,
        ) == 0
    }
}

/// Other systems' ways of granting the state are not implemented: no AMX there.
#[cfg(not(target_os = "linux"))]
fn request_tile_state() -> bool {
    false
}

/// `ldtilecfg`'s 64-byte operand (palette 1): tiles 0–3 hold 16 × 16 i32 sums, 4–5 the
/// activations of 16 rows × one block, 6–7 the weights of one block × 16 outputs.
#[repr(C, align(64))]
struct TileConfig {
    palette: u8,
    start_row: u8,
    reserved: [u8; 14],
    bytes_per_row: [u16; 16],
    rows: [u8; 16],
}

impl TileConfig {
    fn new() -> Self {
        let mut config = Self {
            palette: 1,
            start_row: 0,
            reserved: [0; 14],
            bytes_per_row: [0; 16],
            rows: [0; 16],
        };
        let row_bytes = (LANES * size_of::<i32>()) as u16;
        for tile in 0..4 {
            (config.rows[tile], config.bytes_per_row[tile]) = (TILE_ROWS as u8, row_bytes);
        }
        for tile in 4..6 {
            (config.rows[tile], config.bytes_per_row[tile]) = (TILE_ROWS as u8, BLOCK as u16);
        }
        for tile in 6..8 {
            (config.rows[tile], config.bytes_per_row[tile]) = ((BLOCK / STEP) as u8, row_bytes);
        }
        config
    }
}

/// Four 16 × 16 i32 tiles as stored by `tilestored`.
#[repr(C, align(64))]
struct Sums([[i32; LANES]; 4 * TILE_ROWS]);

impl Q4Linear {
    /// Computes the `y.len() / outputs` rows of a task, 32 rows at a time: for each block, its
    /// two activation tiles are loaded once and multiplied by every pair of output groups.
    ///
    /// # Safety
    /// The CPU must run AMX ([`supported`]) and AVX-512 F; `values`, `scales` and `offsets`
    /// hold the task's rows padded with zeros to a multiple of [`PADDED_ROWS`].
    #[target_feature(enable = "avx512f")]
    pub(super) unsafe fn task_amx(
        &self,
        values: &[i8],
        scales: &[f32],
        offsets: &[i32],
        y: &mut [f32],
    ) {
        let blocks = self.inputs / BLOCK;
        let rows = y.len() / self.outputs;
        let padded = rows.next_multiple_of(PADDED_ROWS);
        assert!(values.len() >= padded * self.inputs);
        assert!(scales.len() >= padded * blocks && offsets.len() >= padded * blocks);
        let groups = self.outputs / LANES;
        // An odd last group is computed twice and added once.
        let pairs: Vec<[usize; 2]> = (0..groups)
            .step_by(2)
            .map(|g| [g, (g + 1).min(groups - 1)])
            .collect();
        let config = TileConfig::new();
        // The tiles of one (block, pair) are stored in one buffer while the previous one's are
        // read from the other: a load right after the tile store of its data waits for the
        // store to reach the cache.
        let mut tiles = [
            Sums([[0; LANES]; 4 * TILE_ROWS]),
            Sums([[0; LANES]; 4 * TILE_ROWS]),
        ];
        // The f32 sums of the step's 32 rows, padding included.
        let mut sums = vec![0f32; PADDED_ROWS * self.outputs];
        // SAFETY: AMX is permitted (the caller's promise); the configuration is well formed.
        unsafe { asm!("ldtilecfg [{}]", in(reg) &config, options(nostack, readonly)) };
        for first in (0..rows).step_by(PADDED_ROWS) {
            sums.fill(0.0);
            let step = Step {
                first,
                scales,
                offsets,
            };
            // The (block, pair, buffer) computed last and not yet scaled.
            let mut pending = None;
            for b in 0..blocks {
                let activations = values[first * self.inputs + b * BLOCK..].as_ptr();
                // SAFETY: 32 rows × 32 bytes from inside `values` (padded, asserted above).
                unsafe {
                    asm!(
                        "tileloadd tmm4, [{a} + {stride}*1]",
                        "tileloadd tmm5, [{a_next} + {stride}*1]",
                        a = in(reg) activations,
                        a_next = in(reg) activations.add(TILE_ROWS * self.inputs),
                        stride = in(reg) self.inputs,
                        options(nostack, readonly),
                    );
                }
                for &pair in &pairs {
                    let free = pending.map_or(0, |(_, _, used)| 1 - used);
                    let buffer = &mut tiles[free];
                    let weights =
                        pair.map(|g| self.packed[(g * blocks + b) * BLOCK * LANES..].as_ptr());
                    // SAFETY: the weight tiles read one packed block each, the stores write the
                    // 4 KB of `buffer`.
                    unsafe {
                        asm!(
                            "tilezero tmm0",
                            "tilezero tmm1",
                            "tilezero tmm2",
                            "tilezero tmm3",
                            "tileloadd tmm6, [{w0} + {w_stride}*1]",
                            "tileloadd tmm7, [{w1} + {w_stride}*1]",
                            "tdpbsud tmm0, tmm4, tmm6",
                            "tdpbsud tmm1, tmm4, tmm7",
                            "tdpbsud tmm2, tmm5, tmm6",
                            "tdpbsud tmm3, tmm5, tmm7",
                            "tilestored [{c} + {c_stride}*1], tmm0",
                            "tilestored [{c} + {c_stride}*1 + 1024], tmm1",
                            "tilestored [{c} + {c_stride}*1 + 2048], tmm2",
                            "tilestored [{c} + {c_stride}*1 + 3072], tmm3",
                            w0 = in(reg) weights[0],
                            w1 = in(reg) weights[1],
                            w_stride = in(reg) STEP * LANES,
                            c = in(reg) buffer.0.as_mut_ptr(),
                            c_stride = in(reg) LANES * size_of::<i32>(),
                            options(nostack),
                        );
                    }
                    if let Some((b, pair, used)) = pending.replace((b, pair, free)) {
                        self.scale_block(&tiles[used], b, pair, &step, &mut sums);
                    }
                }
            }
            if let Some((b, pair, used)) = pending {
                self.scale_block(&tiles[used], b, pair, &step, &mut sums);
            }
            for (r, sums) in sums.chunks_exact(self.outputs).enumerate() {
                if first + r < rows {
                    let out = &mut y[(first + r) * self.outputs..][..self.outputs];
                    for ((o, s), b) in out.iter_mut().zip(sums).zip(&self.bias) {
                        *o = s + b;
                    }
                }
            }
        }
        // SAFETY: gives the tile state back, so that context switches stop saving 8 KB of it.
        unsafe { asm!("tilerelease", options(nostack, nomem)) };
    }

    /// Adds block `b`'s integer sums (`tiles`, for the step's 32 rows and the groups of
    /// `pair`), offset and scaled, to the f32 `sums` (`[32 rows][outputs]`), as the VNNI
    /// kernel does.
    #[target_feature(enable = "avx512f")]
    fn scale_block(&self, tiles: &Sums, b: usize, pair: [usize; 2], step: &Step, sums: &mut [f32]) {
        let blocks = self.inputs / BLOCK;
        for t in 0..4 {
            let (half, g) = (t / 2, pair[t % 2]);
            if t % 2 == 1 && pair[1] == pair[0] {
                continue;
            }
            let weight_scales: &[f32; LANES] = self.scales[(g * blocks + b) * LANES..][..LANES]
                .try_into()
                .expect("16 scales");
            // SAFETY: 16 floats.
            let weight_scales = unsafe { _mm512_loadu_ps(weight_scales.as_ptr()) };
            for i in 0..TILE_ROWS {
                let row = half * TILE_ROWS + i;
                let r = step.first + row;
                let sum: &mut [f32; LANES] = (&mut sums[row * self.outputs + g * LANES..][..LANES])
                    .try_into()
                    .expect("16 sums");
                // SAFETY: a 64-byte aligned row of 16 i32 inside `tiles`; 16 floats of `sum`.
                unsafe {
                    let dot = _mm512_load_si512(tiles.0[t * TILE_ROWS + i].as_ptr().cast());
                    let dot =
                        _mm512_add_epi32(dot, _mm512_set1_epi32(step.offsets[r * blocks + b]));
                    let scale =
                        _mm512_mul_ps(weight_scales, _mm512_set1_ps(step.scales[r * blocks + b]));
                    let total = _mm512_fmadd_ps(
                        _mm512_cvtepi32_ps(dot),
                        scale,
                        _mm512_loadu_ps(sum.as_ptr()),
                    );
                    _mm512_storeu_ps(sum.as_mut_ptr(), total);
                }
            }
        }
    }
}

/// The activations' scales and offsets of a task, and the first row of its current step.
struct Step<'a> {
    first: usize,
    scales: &'a [f32],
    offsets: &'a [i32],
}
