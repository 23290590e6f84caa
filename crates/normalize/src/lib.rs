//! [`SourceDocument`]s → [`Ledger`]: canonical records driven by a label dictionary (stub: being written).

use jixiao_config::NormalizeConfig;
use jixiao_core::{DocumentRecords, Ledger, SourceDocument};

/// Run-time input of the normalise stage: the label dictionary (built-in + `[normalize]` extensions)
/// and the pipeline's budget year for records that name none.
#[derive(Debug, Clone)]
pub struct NormalizeContext {
    pub year: Option<i32>,
}

impl NormalizeContext {
    pub fn new(_config: &NormalizeConfig, year: Option<i32>) -> Self {
        NormalizeContext { year }
    }
}

/// Turns every document into records, in parallel, keeping the input order.
pub fn normalize(docs: Vec<SourceDocument>, _ctx: &NormalizeContext) -> Ledger {
    Ledger {
        documents: docs
            .into_iter()
            .map(|d| DocumentRecords {
                file: d.file,
                layout: d.layout,
                encoding: d.encoding,
                facts: Default::default(),
                records: Vec::new(),
                diagnostics: d.diagnostics,
            })
            .collect(),
    }
}
