use serde::{Deserialize, Serialize};

/// What a run is pinned to, so that the same inputs and config give byte-identical outputs.
///
/// The as-of date comes from the pipeline (`[pipeline] as_of`) or `SOURCE_DATE_EPOCH`, never the clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunContext {
    /// The budget year under review (预算年度); records without a year of their own inherit it.
    pub year: i32,
    /// ISO date `YYYY-MM-DD` printed on packets and stored in document metadata.
    pub as_of: String,
}
