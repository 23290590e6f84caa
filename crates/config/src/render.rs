//! `[render]` (owned by the packet work; stub).

use serde::Deserialize;

/// `[render]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RenderConfig {}
