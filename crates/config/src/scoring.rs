//! `[scoring]` (owned by the scoring work; stub).

use serde::Deserialize;

/// `[scoring]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoringConfig {}
