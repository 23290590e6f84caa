//! The Excel packet (stub: being written).

use crate::RenderError;
use crate::packet::PacketContext;

/// Workbook settings.
#[derive(Debug, Clone, Default)]
pub struct XlsxOptions {}

pub fn write(_packet: &PacketContext, _options: &XlsxOptions) -> Result<Vec<u8>, RenderError> {
    Err(RenderError::Format {
        format: "xlsx".into(),
        message: "not implemented yet".into(),
    })
}
