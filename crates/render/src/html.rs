//! The HTML packet (stub: being written).

use crate::RenderError;
use crate::packet::PacketContext;
use crate::wording::Wording;

/// The bundled HTML templates, by the name a bureau's folder overrides them with.
pub(crate) const TEMPLATES: [(&str, &str); 0] = [];

/// Page settings.
pub struct HtmlOptions<'a> {
    pub wording: &'a Wording,
}

pub fn write(_packet: &PacketContext, _options: &HtmlOptions<'_>) -> Result<Vec<u8>, RenderError> {
    Err(RenderError::Format {
        format: "html".into(),
        message: "not implemented yet".into(),
    })
}
