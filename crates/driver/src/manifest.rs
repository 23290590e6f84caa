//! `manifest.json`: what a packet was made from and what it contains, with hashes, so a reader can
//! verify a packet and a later run can tell whether anything changed.
//!
//! No wall-clock date, host name, absolute temp path or thread count goes in here. The one part that
//! differs between two runs over the same inputs is `timings_ms` (how long each stage took, for the
//! operator); every artifact the manifest lists is byte-identical across reruns, and so is the manifest
//! once `timings_ms` is set aside.

use std::path::Path;

use jixiao_core::sha256_hex;
use jixiao_core::{Diagnostic, DocumentRecords};
use serde::{Deserialize, Serialize};

use crate::exit::Counts;
use crate::stages::Artifact;

/// Bumped when a field changes meaning or disappears (adding a field does not bump it).
pub(crate) const MANIFEST_VERSION: u32 = 1;

/// The contents of `manifest.json`, written last into every published packet (docs/operations.md).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// This file's format version (now 1); bumped when a field changes meaning or disappears.
    pub manifest_version: u32,
    /// Version of jixiao that made the packet.
    pub jixiao_version: String,
    /// The pipeline file and its sha256.
    pub pipeline: PipelineEntry,
    /// Every input file, in `records.json` order, with what came of it.
    pub inputs: Vec<InputEntry>,
    /// Run-level problems: patterns that matched nothing, a packet format that could not be rendered,
    /// a character no font has. Per-input ones are in records.json, per-record scoring ones in
    /// scores.json.
    pub diagnostics: Vec<Diagnostic>,
    /// The rubric the scores were made with.
    pub rubric: RubricEntry,
    /// Every scoring plugin loaded, with the file's checksum.
    pub plugins: Vec<PluginEntry>,
    /// How the packet files were rendered.
    pub render: RenderEntry,
    /// Every other file of the packet, in publishing order.
    pub artifacts: Vec<ArtifactEntry>,
    /// The run's process exit code: 0, or 1 when some input or packet format had errors (no other
    /// code publishes).
    pub exit_code: u8,
    /// Wall-clock milliseconds per stage, resolve … render (publishing is still under way when the
    /// manifest is written). The only field that varies between identical runs.
    pub timings_ms: Vec<TimingEntry>,
}

/// `manifest.json → timings_ms[]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimingEntry {
    pub stage: crate::stages::Stage,
    pub ms: u64,
}

impl TimingEntry {
    pub fn of(timings: &[crate::stages::StageTiming]) -> Vec<TimingEntry> {
        timings
            .iter()
            .map(|t| TimingEntry {
                stage: t.stage,
                ms: u64::try_from(t.duration.as_millis()).unwrap_or(u64::MAX),
            })
            .collect()
    }
}

/// `manifest.json → rubric`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RubricEntry {
    pub name: String,
    pub version: String,
    /// Checksum of the separate rubric file (`[scoring] rubric`), when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_sha256: Option<String>,
}

/// `manifest.json → render`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenderEntry {
    pub formats: Vec<String>,
    /// Checksum over the bureau's own templates (`[render] templates`), when any replaced a bundled
    /// one: name and sha256 of each, in name order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub templates_sha256: Option<String>,
}

impl RenderEntry {
    pub fn of(ctx: &jixiao_render::RenderContext) -> RenderEntry {
        let own: Vec<String> = ctx
            .wording
            .sources
            .iter()
            .filter(|(_, source)| *source != "bundled")
            .map(|(name, source)| {
                let sha = digest_file(Path::new(source)).map(|d| d.sha256);
                format!("{name}={}", sha.unwrap_or_default())
            })
            .collect();
        RenderEntry {
            formats: ctx.config.formats.clone(),
            templates_sha256: (!own.is_empty()).then(|| sha256_hex(own.join("\n").as_bytes())),
        }
    }
}

/// `manifest.json → plugins[]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PluginEntry {
    pub path: String,
    /// A library's hash; for a command, the hash of the files its arguments name (the script).
    pub sha256: Option<String>,
    /// A command plugin's program and arguments; absent for a library.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<Vec<String>>,
    pub name: String,
    /// The version the plugin's own manifest declares.
    pub version: String,
    /// The C ABI version a library was loaded through, or the pipe protocol version a command
    /// speaks (the host accepts only its own; both are 1).
    pub abi_version: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PipelineEntry {
    /// The pipeline file as named on the command line.
    pub file: String,
    /// `None` when the pipeline was not read from a file.
    pub sha256: Option<String>,
}

/// One input file and what came of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputEntry {
    /// The file's display name: relative to the pipeline's folder, `/`-separated.
    pub file: String,
    /// `None` when the file could not be read (its error is in records.json).
    pub size: Option<u64>,
    /// Hex sha256 of the file's bytes; `None` when the file could not be read.
    pub sha256: Option<String>,
    /// How the text was laid out, detected or forced (`tabbed`, `csv`, `spreadsheet` …).
    pub layout: String,
    /// Decoding used (`UTF-8`, `gb18030` …; `binary` for spreadsheets, `unknown` if unreadable).
    pub encoding: String,
    /// Records the file yielded.
    pub records: usize,
    /// Diagnostics on the file and on its records, by severity.
    pub diagnostics: DiagnosticCounts,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiagnosticCounts {
    pub info: usize,
    pub warning: usize,
    pub error: usize,
}

/// `manifest.json → artifacts[]`: one published file of the packet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArtifactEntry {
    /// Relative, `/`-separated path in the output directory (`report.pdf`, `departments/<name>/…`).
    pub path: String,
    /// Size in bytes.
    pub size: u64,
    /// Hex sha256 of the file's bytes (what `sha256sum` prints).
    pub sha256: String,
}

/// Size and hash of a file's bytes as read now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileDigest {
    pub size: u64,
    pub sha256: String,
}

/// Hashes a file; `None` when it cannot be read (the reader reports why).
/// What a command plugin runs, hashed: every argument that names a file (relative to `base_dir`),
/// by name and content. `None` when no argument is a file (a program found on PATH alone).
pub(crate) fn digest_command(command: &[String], base_dir: &Path) -> Option<String> {
    let mut all = Vec::new();
    for arg in command {
        let path = base_dir.join(arg);
        if let Some(d) = path.is_file().then(|| digest_file(&path)).flatten() {
            all.extend_from_slice(arg.as_bytes());
            all.push(0);
            all.extend_from_slice(d.sha256.as_bytes());
            all.push(b'\n');
        }
    }
    (!all.is_empty()).then(|| sha256_hex(&all))
}

pub(crate) fn digest_file(path: &Path) -> Option<FileDigest> {
    let bytes = std::fs::read(path).ok()?;
    Some(FileDigest {
        size: bytes.len() as u64,
        sha256: sha256_hex(&bytes),
    })
}

impl InputEntry {
    /// The entry for one input's records, with the file's size and hash when it could be read.
    pub fn new(doc: &DocumentRecords, digest: Option<&FileDigest>) -> InputEntry {
        let c = Counts::of_document(doc);
        InputEntry {
            file: doc.file.clone(),
            size: digest.map(|d| d.size),
            sha256: digest.map(|d| d.sha256.clone()),
            layout: doc.layout.as_str().to_string(),
            encoding: doc.encoding.clone(),
            records: c.records,
            diagnostics: DiagnosticCounts {
                info: c.info,
                warning: c.warnings,
                error: c.errors,
            },
        }
    }
}

impl ArtifactEntry {
    /// The entry for an artifact: its path, size and sha256.
    pub fn of(a: &Artifact) -> ArtifactEntry {
        ArtifactEntry {
            path: a.path.clone(),
            size: a.bytes.len() as u64,
            sha256: sha256_hex(&a.bytes),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_entry_counts_record_diagnostics_too() {
        let mut rec = jixiao_core::Record::new(jixiao_core::RecordKind::Project, 1);
        rec.diagnostics.push(Diagnostic::error("x", "bad", Some(3)));
        let doc = DocumentRecords {
            file: "a.txt".into(),
            layout: jixiao_core::Layout::Tabbed,
            encoding: "UTF-8".into(),
            facts: Default::default(),
            records: vec![rec],
            diagnostics: vec![Diagnostic::warning("y", "hmm", None)],
        };
        let e = InputEntry::new(&doc, None);
        assert_eq!(e.records, 1);
        assert_eq!(
            e.diagnostics,
            DiagnosticCounts {
                info: 0,
                warning: 1,
                error: 1
            }
        );
        assert_eq!(e.sha256, None);
    }
}
