//! The stage list and the artifacts a run publishes: the seam where scoring and rendering slot in.
//!
//! A run goes resolve → ingest → normalize → score → render → publish and its packet is
//! `records.json`, `scores.json`, the rendered files (`packet.xlsx`, `packet.pdf`, `index.html`,
//! `departments/…`) and `manifest.json`. Publishing, hashing and the manifest work on any list of
//! artifacts.

use std::time::Duration;

use jixiao_core::{Ledger, Scorecard};
use serde::Serialize;

use crate::DriverError;

/// The ledger file's name in a packet.
pub const RECORDS_JSON: &str = "records.json";
/// The scorecard file's name in a packet.
pub const SCORES_JSON: &str = "scores.json";

/// One step of a run, in execution order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    /// `[[inputs]]` patterns → files.
    Resolve,
    Ingest,
    Normalize,
    Score,
    /// xlsx, PDF, HTML (and per-department packets), in parallel.
    Render,
    /// Staging, fsync, rename into place, manifest.
    Publish,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Resolve => "resolve",
            Stage::Ingest => "ingest",
            Stage::Normalize => "normalize",
            Stage::Score => "score",
            Stage::Render => "render",
            Stage::Publish => "publish",
        }
    }
}

/// The stages a run executes today, in order.
pub const STAGES: [Stage; 6] = [
    Stage::Resolve,
    Stage::Ingest,
    Stage::Normalize,
    Stage::Score,
    Stage::Render,
    Stage::Publish,
];

/// How long a stage took. Goes to the log, the report and `manifest.json → timings_ms`, never into
/// another artifact (those must be byte-identical across reruns).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StageTiming {
    pub stage: Stage,
    pub duration: Duration,
}

/// One file of a packet: a relative `/`-separated path and its complete bytes. Stages return bytes
/// and never touch the output directory themselves (only the driver does, atomically).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Artifact {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// What the stages of a run produced, in memory.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Products {
    pub ledger: Ledger,
    pub scorecard: Option<Scorecard>,
    /// The render stage's files, in its order.
    pub rendered: Vec<Artifact>,
}

/// The packet's artifacts except the manifest, in a fixed order.
pub fn artifacts(products: &Products) -> Result<Vec<Artifact>, DriverError> {
    let mut arts = vec![Artifact {
        path: RECORDS_JSON.into(),
        bytes: pretty_json(&products.ledger, RECORDS_JSON)?,
    }];
    if let Some(scorecard) = &products.scorecard {
        arts.push(Artifact {
            path: SCORES_JSON.into(),
            bytes: pretty_json(scorecard, SCORES_JSON)?,
        });
    }
    arts.extend(products.rendered.iter().cloned());
    Ok(arts)
}

/// Pretty JSON with a final newline: what every JSON artifact and `inspect --format json` print.
pub fn pretty_json<T: Serialize>(value: &T, what: &str) -> Result<Vec<u8>, DriverError> {
    let mut bytes = serde_json::to_vec_pretty(value)
        .map_err(|e| DriverError::io("cannot serialize", what, e.into()))?;
    bytes.push(b'\n');
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_json_is_the_ledger_shape() -> Result<(), Box<dyn std::error::Error>> {
        let arts = artifacts(&Products::default())?;
        assert_eq!(arts.len(), 1);
        assert_eq!(arts[0].path, RECORDS_JSON);
        assert_eq!(
            std::str::from_utf8(&arts[0].bytes)?,
            "{\n  \"documents\": []\n}\n"
        );
        Ok(())
    }

    #[test]
    fn stage_list_starts_with_resolve_and_ends_with_publish() {
        assert_eq!(STAGES.first(), Some(&Stage::Resolve));
        assert_eq!(STAGES.last(), Some(&Stage::Publish));
    }
}
