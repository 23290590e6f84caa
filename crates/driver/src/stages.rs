//! The stage list and the artifacts a run publishes: the seam where scoring and rendering slot in.
//!
//! A run goes resolve → ingest → normalize → score → render → publish and its packet is
//! `records.json`, `scores.json`, the rendered files (`report.pdf`, `packet.xlsx`, `index.html`,
//! `departments/<name>/…`) and `manifest.json`.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::DriverError;

/// The ledger file's name in a packet.
pub const RECORDS_JSON: &str = "records.json";
/// The scorecard file's name in a packet.
pub const SCORES_JSON: &str = "scores.json";
/// One record per line (`[output] json_lines = true`).
pub const RECORDS_JSONL: &str = "records.jsonl";
/// One score card per line (`[output] json_lines = true`).
pub const SCORES_JSONL: &str = "scores.jsonl";

/// The JSON files of a packet, in the order the manifest lists them (before the rendered files).
pub const JSON_FILES: [&str; 4] = [RECORDS_JSON, SCORES_JSON, RECORDS_JSONL, SCORES_JSONL];

/// A line of `records.jsonl`: the record with where it comes from (the file, and its position in
/// `records.json`: document and record index), so a line stands on its own.
#[derive(Serialize)]
pub struct RecordLine<'a> {
    /// The input file's display name (its document's `file`).
    pub file: &'a str,
    /// Index of the document in `records.json → documents`.
    pub document: usize,
    /// Index of the record in its document's `records`.
    pub index: usize,
    /// The record, its fields flattened into the line.
    #[serde(flatten)]
    pub record: &'a jixiao_core::Record,
}

/// The lines of `records.jsonl`, in `records.json` order.
pub fn record_lines(ledger: &jixiao_core::Ledger) -> impl Iterator<Item = RecordLine<'_>> {
    document_lines(0, &ledger.documents)
}

/// [`record_lines`] of a run's documents from index `first` on (a batch of a run's corpus).
pub fn document_lines(
    first: usize,
    documents: &[jixiao_core::DocumentRecords],
) -> impl Iterator<Item = RecordLine<'_>> {
    documents.iter().enumerate().flat_map(move |(d, doc)| {
        doc.records
            .iter()
            .enumerate()
            .map(move |(i, record)| RecordLine {
                file: &doc.file,
                document: first + d,
                index: i,
                record,
            })
    })
}

/// One step of a run, in execution order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    /// `[[inputs]]` patterns → files.
    Resolve,
    /// Files → rows of cells with provenance (format, layout and encoding detected).
    Ingest,
    /// Rows → records, through the label dictionary.
    Normalize,
    /// Records → score cards and findings under the rubric and plugins.
    Score,
    /// xlsx, PDF, HTML (and per-department packets), in parallel.
    Render,
    /// Staging, fsync, rename into place, manifest.
    Publish,
}

impl Stage {
    /// The stage's lowercase name, as in the log and `manifest.json → timings_ms`.
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
    /// The stage timed.
    pub stage: Stage,
    /// Wall-clock time the stage took.
    pub duration: Duration,
}

/// One file of a packet: a relative `/`-separated path and its complete bytes. Stages return bytes
/// and never touch the output directory themselves (only the driver does, atomically).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Artifact {
    /// Relative, `/`-separated path inside the packet (`report.pdf`, `departments/<name>/…`).
    pub path: String,
    /// The file's complete contents.
    pub bytes: Vec<u8>,
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
    use jixiao_core::Ledger;

    #[test]
    fn records_json_is_the_ledger_shape() -> Result<(), Box<dyn std::error::Error>> {
        let bytes = pretty_json(&Ledger::default(), RECORDS_JSON)?;
        assert_eq!(std::str::from_utf8(&bytes)?, "{\n  \"documents\": []\n}\n");
        Ok(())
    }

    #[test]
    fn stage_list_starts_with_resolve_and_ends_with_publish() {
        assert_eq!(STAGES.first(), Some(&Stage::Resolve));
        assert_eq!(STAGES.last(), Some(&Stage::Publish));
    }
}
