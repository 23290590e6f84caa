//! The C ABI, version 1. Keep in lock-step with `include/jixiao_plugin.h`.
//!
//! Versioning rules: the version is in the symbol name AND in the table header, and the host reads
//! the header before anything else. Appending a function pointer at the end of the table is a
//! compatible change (`table_size` grows; a host reads only what it knows and what the plugin
//! declares); changing or removing anything is a new ABI version with a new symbol name.
//!
//! Memory: a plugin never returns memory to the host. It writes its output through the host's
//! [`SinkFn`] (which copies the bytes into a host buffer, may be called several times and appends),
//! so no allocator ever frees memory it did not allocate. The request buffer belongs to the host and
//! is only valid during the call.

use std::ffi::c_void;

/// The ABI version this SDK speaks.
pub const ABI_VERSION: u32 = 1;
/// The exported entry symbol, NUL-terminated for `dlsym`.
pub const ENTRY_SYMBOL: &[u8] = b"jixiao_plugin_v1\0";
/// Entry symbols of other versions are `jixiao_plugin_v<N>`; the host probes them to explain a
/// version mismatch.
pub const ENTRY_SYMBOL_PREFIX: &str = "jixiao_plugin_v";

/// The call succeeded; the sink received the JSON answer.
pub const STATUS_OK: i32 = 0;
/// The plugin reports a fault; the sink received a UTF-8 message.
pub const STATUS_ERROR: i32 = 1;
/// The plugin panicked (caught before the boundary); the sink received the panic message.
pub const STATUS_PANIC: i32 = 2;

/// Host-owned output sink: appends `len` bytes at `data` to the host buffer behind `ctx`.
pub type SinkFn = extern "C" fn(ctx: *mut c_void, data: *const u8, len: usize);
/// Writes the manifest JSON to the sink.
pub type ManifestFn = extern "C" fn(sink: SinkFn, sink_ctx: *mut c_void) -> i32;
/// Scores one request (JSON bytes) and writes the answer (JSON array) or a message to the sink.
pub type ScoreFn = unsafe extern "C" fn(
    request: *const u8,
    request_len: usize,
    sink: SinkFn,
    sink_ctx: *mut c_void,
) -> i32;
/// The signature of the entry symbol.
pub type EntryFn = unsafe extern "C" fn() -> *const PluginTable;

/// The first two fields every version of the table starts with; read before anything else.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct TableHeader {
    /// The ABI version the plugin was built for; the host refuses anything but [`ABI_VERSION`].
    pub abi_version: u32,
    /// `size_of` the table as the plugin was built, in bytes.
    pub table_size: u32,
}

/// The table the entry symbol returns (ABI v1). It must live as long as the library (a `static`).
#[repr(C)]
pub struct PluginTable {
    /// Always [`ABI_VERSION`] (1) for this layout.
    pub abi_version: u32,
    /// `size_of::<PluginTable>()` as the plugin was built; later versions may append fields.
    pub table_size: u32,
    /// Writes the plugin's [`Manifest`](crate::Manifest) JSON to the sink; called once at load.
    pub manifest: ManifestFn,
    /// Scores one record: reads a [`ScoreRequest`](crate::ScoreRequest) JSON, writes the results.
    pub score: ScoreFn,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_is_a_prefix_of_the_table() {
        // The host reads a TableHeader through the table pointer before trusting the rest.
        assert_eq!(std::mem::offset_of!(PluginTable, abi_version), 0);
        assert_eq!(std::mem::offset_of!(PluginTable, table_size), 4);
        assert_eq!(std::mem::size_of::<TableHeader>(), 8);
        assert_eq!(std::mem::offset_of!(PluginTable, manifest), 8);
    }

    #[test]
    fn entry_symbol_carries_the_version() {
        let name = format!("{ENTRY_SYMBOL_PREFIX}{ABI_VERSION}\0");
        assert_eq!(name.as_bytes(), ENTRY_SYMBOL);
    }
}
