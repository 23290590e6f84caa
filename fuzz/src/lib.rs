//! What every fuzz target does: read the bytes as a file of the given name under limits small
//! enough for the fuzzer's memory budget. A panic or an abort is a crash; a diagnostic is fine.

/// Reads `data` as the file `name` (its extension picks the reader where the bytes do not).
pub fn read_as(name: &str, data: &[u8]) {
    let limits = jixiao_core::ReadLimits {
        max_cells: 200_000,
        max_unpacked_bytes: 64 << 20,
        ..jixiao_core::ReadLimits::default()
    };
    let _ = jixiao_ingest::read_bytes(name, data, None, None, &limits);
}
