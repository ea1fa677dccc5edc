//! AMX tiles (Intel Xeons from Sapphire Rapids), shared by the attention and linear kernels:
//! whether the CPU has them and Linux lets this process use them, and the one tile shape both
//! use (16 rows × 64 bytes).
//!
//! Rust has no stable AMX intrinsics, so the tile instructions are `asm!`; Linux gives a process
//! the tile state only once it asks (`arch_prctl(ARCH_REQ_XCOMP_PERM)`), which
//! [`tiles_permitted`] does once.

use std::arch::asm;
use std::arch::x86_64::__cpuid_count;
use std::sync::OnceLock;

/// Rows of every tile.
pub(crate) const TILE_ROWS: usize = 16;
/// Bytes per row of every tile.
pub(crate) const TILE_BYTES: usize = 64;

/// CPUID leaf 7 EDX: AMX-BF16.
pub(crate) const AMX_BF16: u32 = 1 << 22;
/// CPUID leaf 7 EDX: AMX-INT8.
pub(crate) const AMX_INT8: u32 = 1 << 25;
/// CPUID leaf 7 EDX: AMX-TILE.
const AMX_TILE: u32 = 1 << 24;

/// Whether the CPU has AMX tiles with `products` (`AMX_BF16`, `AMX_INT8`) and the OS lets this
/// process use them (asked once; the permission is the whole process's, later threads too).
pub(crate) fn tiles_permitted(products: u32) -> bool {
    static PERMITTED: OnceLock<bool> = OnceLock::new();
    let edx = __cpuid_count(7, 0).edx;
    edx & (AMX_TILE | products) == AMX_TILE | products && *PERMITTED.get_or_init(request_tile_state)
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

/// `ldtilecfg`'s 64-byte operand (palette 1): all eight tiles 16 rows × 64 bytes.
#[repr(C, align(64))]
struct TileConfig {
    palette: u8,
    start_row: u8,
    reserved: [u8; 14],
    bytes_per_row: [u16; 16],
    rows: [u8; 16],
}

/// Configures this thread's eight tiles as 16 rows × 64 bytes; [`release`] when done.
///
/// # Safety
/// [`tiles_permitted`] must have returned true.
pub(crate) unsafe fn configure() {
    let mut config = TileConfig {
        palette: 1,
        start_row: 0,
        reserved: [0; 14],
        bytes_per_row: [0; 16],
        rows: [0; 16],
    };
    for tile in 0..8 {
        (config.rows[tile], config.bytes_per_row[tile]) = (TILE_ROWS as u8, TILE_BYTES as u16);
    }
    // SAFETY: AMX is permitted (the caller's promise); the configuration is well formed.
    unsafe { asm!("ldtilecfg [{}]", in(reg) &config, options(nostack, readonly)) };
}

/// Gives this thread's tile state back, so that context switches stop saving 8 KB of it.
///
/// # Safety
/// [`tiles_permitted`] must have returned true.
pub(crate) unsafe fn release() {
    // SAFETY: AMX is permitted (the caller's promise).
    unsafe { asm!("tilerelease", options(nostack, nomem)) };
}
