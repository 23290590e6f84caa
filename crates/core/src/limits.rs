//! [`ReadLimits`]: how much a reader may take from one file before it stops with a diagnostic
//! (`[limits]` in pipeline.toml). They bound time and memory on hostile or broken files: a zip bomb,
//! a sheet that declares a million rows, a 30 MB line, markup nested ten thousand deep.

use serde::{Deserialize, Serialize};

/// Limits every reader enforces on one input file. The defaults are far above any real budget
/// document (the largest sample is 0.4 MB, 2 000 tables) and far below what hurts the machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ReadLimits {
    /// Largest file read at all, in bytes (default 256 MiB).
    pub max_file_bytes: u64,
    /// Most bytes taken out of an archive (.docx / .xlsx parts) after decompression (default 512 MiB).
    pub max_unpacked_bytes: u64,
    /// Most cells one document may yield (default 5 000 000).
    pub max_cells: u64,
    /// Longest cell, in characters; longer text is cut there with a warning (default 100 000).
    pub max_cell_chars: u32,
    /// Deepest nesting of markup (HTML elements, XML elements, PDF objects) (default 256).
    pub max_nesting: u32,
    /// Most pages read from one PDF (default 5 000).
    pub max_pages: u32,
    /// Most rows or columns one merged cell may cover (default 1 000).
    pub max_span: u32,
}

impl Default for ReadLimits {
    fn default() -> Self {
        ReadLimits {
            max_file_bytes: 256 << 20,
            max_unpacked_bytes: 512 << 20,
            max_cells: 5_000_000,
            max_cell_chars: 100_000,
            max_nesting: 256,
            max_pages: 5_000,
            max_span: 1_000,
        }
    }
}

impl ReadLimits {
    /// The TOML keys, in the order docs/config.md lists them.
    pub const KEYS: [&'static str; 7] = [
        "max_file_bytes",
        "max_unpacked_bytes",
        "max_cells",
        "max_cell_chars",
        "max_nesting",
        "max_pages",
        "max_span",
    ];
}
