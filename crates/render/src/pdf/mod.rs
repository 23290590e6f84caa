//! The PDF packet (stub: being written).

use std::path::Path;

use jixiao_config::FontsConfig;
use jixiao_core::Diagnostic;

use crate::RenderError;
use crate::packet::PacketContext;

/// The fonts of the PDF, parsed once per run.
pub struct FontSet {}

impl FontSet {
    pub fn resolve(
        _config: &FontsConfig,
        _base_dir: &Path,
        _diagnostics: &mut Vec<Diagnostic>,
    ) -> Result<FontSet, RenderError> {
        Ok(FontSet {})
    }
}

pub struct PdfOptions<'a> {
    pub fonts: &'a FontSet,
}

pub fn write(
    _packet: &PacketContext,
    _options: &PdfOptions<'_>,
    _diagnostics: &mut Vec<Diagnostic>,
) -> Result<Vec<u8>, RenderError> {
    Err(RenderError::Format {
        format: "pdf".into(),
        message: "not implemented yet".into(),
    })
}
