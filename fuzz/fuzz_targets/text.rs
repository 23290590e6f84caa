//! Fuzz target: the text reader must never panic, loop or allocate without bound on any input.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = jixiao_core::ReadLimits {
        max_cells: 200_000,
        max_unpacked_bytes: 64 << 20,
        ..jixiao_core::ReadLimits::default()
    };
    let _ = jixiao_ingest::read_bytes("f.txt", data, None, None, &limits);
});
