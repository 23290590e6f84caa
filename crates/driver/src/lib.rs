//! The driver: runs the stages of a [`Pipeline`] and is the only code that writes to the output
//! directory.
//!
//! Map:
//! - [`run`] (this file, the steps in `run.rs`): prepare (contexts, inputs, lock, recovery) →
//!   execute (ingest → normalize → score a batch of files at a time in `corpus`, `records.json`
//!   and `scores.json` streamed; then render, each file written to the staging folder as it is
//!   made) → publish (manifest, atomic rename), under a rayon pool of `--jobs` threads; returns
//!   a [`RunReport`] or a [`DriverError`]. [`normalize_context`], [`score_context`] and
//!   [`render_context`] are what `validate`, `inspect` and `plugins` build too;
//!   [`documents_year`] is the year of a run without a pipeline file.
//! - `corpus`: the pass over the inputs a batch at a time (read, normalise, score, records.json);
//!   `spill`: the temporary files the cards, findings and records wait in; `scores`: scores.json
//!   from them; `departments`: a split packet's whole-run context and its departments read back
//!   for the render stage.
//! - [`inputs`]: `[[inputs]]` globs → the sorted, deduplicated file list.
//! - `lock`: the run lock on the output directory (exit 75 when held).
//! - `publish`: staging folder, fsync, rename into place; recovery of interrupted runs.
//! - [`stages`]: the stage list and the artifacts of a packet — the seam for score and render.
//! - `manifest`: `manifest.json` with hashes of the pipeline, inputs and artifacts.
//! - [`exit`]: the exit-code contract as pure functions of a run's outcome.
//!
//! Problems inside inputs never make [`run`] fail: they are diagnostics, counted in [`RunReport`] and
//! classified by [`exit::classify`]. [`DriverError`] is for what stops a run (lock, I/O, config).

#![forbid(unsafe_code)]

mod corpus;
mod departments;
mod error;
pub mod exit;
pub mod inputs;
mod lock;
mod manifest;
mod pretty;
mod publish;
mod run;
mod scores;
mod spill;
pub mod stages;
mod unchanged;

use std::path::PathBuf;

use jixiao_config::Pipeline;
use jixiao_core::{Diagnostic, Ledger, Severity};
use jixiao_normalize::NormalizeContext;

pub use error::{DriverError, LockHolder};
pub use exit::{Counts, ExitStatus};
pub use inputs::{InputSpec, ResolvedInputs};
pub use manifest::{ArtifactEntry, InputEntry, Manifest};
pub use stages::{Artifact, STAGES, Stage, StageTiming};

/// Every diagnostic code the driver emits (docs/diagnostics.md lists all stages').
pub const CODES: &[jixiao_core::DiagnosticCode] = &[
    jixiao_core::DiagnosticCode::new(
        "run.input-unmatched",
        Severity::Error,
        "an `[[inputs]]` or `--input` pattern matched no file",
    ),
    jixiao_core::DiagnosticCode::new(
        "run.input-unreadable",
        Severity::Error,
        "a folder could not be listed while expanding a pattern",
    ),
];

/// The catalogue of every diagnostic code of a run, stage by stage: ingest, normalize, score,
/// render, then the driver's own (docs/diagnostics.md is checked against it).
pub fn diagnostic_codes() -> Vec<(&'static str, &'static [jixiao_core::DiagnosticCode])> {
    vec![
        ("ingest", jixiao_ingest::CODES),
        ("normalize", jixiao_normalize::CODES),
        ("score", jixiao_score::CODES),
        ("render", jixiao_render::CODES),
        ("run", CODES),
    ]
}

/// Command-line overrides of the pipeline file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunOverrides {
    /// Replaces every `[[inputs]]` entry when not empty; relative to the current directory.
    pub inputs: Vec<String>,
    /// Replaces `[output] directory`; relative to the current directory.
    pub out: Option<PathBuf>,
    /// Worker threads (0 = all cores, 1 = serial); replaces `[run] jobs`. Never changes the output.
    pub jobs: Option<usize>,
    /// Exit 0 without reading or rewriting anything when the packet's manifest shows the same inputs,
    /// pipeline, rubric, plugins and jixiao version (`run --skip-unchanged`).
    pub skip_unchanged: bool,
    /// Input bytes read, normalised and scored at once (default 8 MiB, `crate::corpus`): what a
    /// run holds of its corpus at a time when it renders no packet format. Never changes the
    /// output; tests make it small to run many batches.
    pub batch_bytes: Option<u64>,
}

/// What a run did. Published artifacts are listed in `published` (empty when the status does not
/// publish, see [`ExitStatus::publishes`]).
#[derive(Debug, Clone, PartialEq)]
pub struct RunReport {
    /// Run-level diagnostics (unmatched patterns, unreadable folders).
    pub diagnostics: Vec<Diagnostic>,
    /// One entry per input file, as in `manifest.json → inputs`.
    pub inputs: Vec<InputEntry>,
    /// Records, and diagnostics by severity over the whole run (inputs, run-level, score, render).
    pub counts: Counts,
    /// The run's exit status, classified from `counts` ([`exit::classify`]).
    pub exit: ExitStatus,
    /// The folder the packet goes to (see [`output_dir`]).
    pub out_dir: PathBuf,
    /// Every file published with its size and sha256, `manifest.json` last.
    pub published: Vec<ArtifactEntry>,
    /// How long each stage took, in execution order.
    pub timings: Vec<StageTiming>,
    /// Scored records per grade, in 优 良 中 差 order.
    pub grades: [usize; 4],
    /// What recovery did about interrupted earlier runs.
    pub notes: Vec<String>,
}

/// The exit status of any run outcome: the one function the CLI maps to a process exit code.
pub fn exit_status(result: &Result<RunReport, DriverError>) -> ExitStatus {
    match result {
        Ok(report) => report.exit,
        Err(e) => e.exit_status(),
    }
}

/// The folder a run's packet goes to: `--out` (or `JIXIAO_OUTPUT`) exactly as given, else
/// `<[output] directory>/<year>/` relative to the pipeline's folder, so each budget year keeps its
/// own packet.
pub fn output_dir(pipeline: &Pipeline, overrides: &RunOverrides) -> PathBuf {
    match &overrides.out {
        Some(dir) => dir.clone(),
        None => pipeline
            .base_dir
            .join(&pipeline.output.directory)
            .join(pipeline.pipeline.year.to_string()),
    }
}

/// The render stage's run-time input: templates read and fonts resolved, so a broken template or a
/// missing font stops the run before any input is read (exit 78).
pub fn render_context(pipeline: &Pipeline) -> Result<jixiao_render::RenderContext, DriverError> {
    let meta = jixiao_render::PacketMeta {
        title: pipeline.pipeline.name.clone(),
        year: pipeline.pipeline.year,
        as_of: pipeline.as_of(),
        issuer: pipeline
            .render
            .issuer
            .clone()
            .unwrap_or_else(|| DEFAULT_ISSUER.to_string()),
        rubric_name: String::new(),
        rubric_version: String::new(),
        department: None,
        resubmit_by: pipeline.resubmit_by(),
        jurisdiction: pipeline.pipeline.jurisdiction.clone(),
    };
    jixiao_render::RenderContext::new(&pipeline.render, &pipeline.base_dir, meta)
        .map_err(|e| DriverError::Config(format!("[render]: {e}")))
}

/// Who signs the packet when `[render] issuer` is not set: reads correctly in every sentence of the
/// bundled wording.
pub const DEFAULT_ISSUER: &str = "本级财政部门";

/// The input patterns of a run: `--input` overrides, else the pipeline's `[[inputs]]`.
pub fn input_specs(pipeline: &Pipeline, overrides: &RunOverrides) -> Vec<InputSpec> {
    if !overrides.inputs.is_empty() {
        return overrides
            .inputs
            .iter()
            .map(|p| InputSpec {
                pattern: p.clone(),
                root: PathBuf::new(),
                encoding: None,
                layout: None,
            })
            .collect();
    }
    pipeline
        .inputs
        .iter()
        .flat_map(|entry| {
            entry.paths.iter().map(|p| InputSpec {
                pattern: p.clone(),
                root: pipeline.base_dir.clone(),
                encoding: entry.encoding.clone(),
                layout: entry.layout,
            })
        })
        .collect()
}

/// Runs a pipeline. Config problems the driver finds fail before the output directory is touched; a
/// held lock fails before any work; a packet is published only when the run read at least one record.
pub fn run(pipeline: &Pipeline, overrides: &RunOverrides) -> Result<RunReport, DriverError> {
    run_observed(pipeline, overrides, &|_| {})
}

/// [`run`], calling `started(stage)` as each stage begins (the CLI's progress bar on a terminal).
pub fn run_observed(
    pipeline: &Pipeline,
    overrides: &RunOverrides,
    started: &dyn Fn(Stage),
) -> Result<RunReport, DriverError> {
    run::run(pipeline, overrides, started)
}

/// The budget year most records state, in their table or their document's title or cover
/// (ties: the later year), or `None` when none states one: what a run without a pipeline file
/// takes as its year ([`jixiao_config::built_in`]). Reads and normalises the inputs once to find
/// it, with the settings of `pipeline` but no year to inherit.
pub fn documents_year(
    pipeline: &Pipeline,
    overrides: &RunOverrides,
) -> Result<Option<i32>, DriverError> {
    let mut context = normalize_context(pipeline)?;
    context.year = None;
    let resolved = inputs::resolve(&input_specs(pipeline, overrides), &pipeline.base_dir)?;
    let (ledger, _) = run::read_and_normalize(&resolved.files, &pipeline.limits, &context);
    Ok(ledger_year(&ledger))
}

/// The budget year most records of `ledger` state (ties: the later year); `None` when none does.
pub fn ledger_year(ledger: &Ledger) -> Option<i32> {
    jixiao_core::majority_year(ledger.documents.iter().flat_map(|d| &d.records)).map(|(y, _)| y)
}

/// Loads the rubric and the plugins; every problem (a pin mismatch, a wrong ABI, bad params of an
/// `on_error = "fail"` plugin, an unreadable rubric file) is listed, naming the plugin.
pub fn score_context(pipeline: &Pipeline) -> Result<jixiao_score::ScoreContext, DriverError> {
    jixiao_score::ScoreContext::new(
        &pipeline.scoring,
        &pipeline.base_dir,
        pipeline.pipeline.year,
        &jixiao_score::PluginRuntime::this_executable(),
    )
    .map(|mut ctx| {
        ctx.jurisdiction = pipeline.pipeline.jurisdiction.clone();
        ctx
    })
    .map_err(|errors| {
        let lines: Vec<String> = errors.iter().map(|e| format!("[scoring]: {e}")).collect();
        DriverError::Config(lines.join("; "))
    })
}

/// The normalize stage's run-time input: the label dictionary with `[normalize.labels]` merged.
pub fn normalize_context(pipeline: &Pipeline) -> Result<NormalizeContext, DriverError> {
    NormalizeContext::new(&pipeline.normalize, Some(pipeline.pipeline.year))
        .map_err(|e| DriverError::Config(format!("[normalize.labels]: {e}")))
}

/// Warnings and errors go to the log as they are found with `file:line`; info diagnostics (repairs)
/// only at debug level, or a 300-table document would drown the errors.
fn log_document(doc: &jixiao_core::DocumentRecords) {
    let all = doc
        .diagnostics
        .iter()
        .chain(doc.records.iter().flat_map(|r| r.diagnostics.iter()));
    for d in all {
        log_one(&doc.file, d);
    }
}

fn log_one(file: &str, d: &Diagnostic) {
    let at = match (file, d.line) {
        ("", _) => String::new(),
        (f, Some(l)) => format!("{f}:{l}: "),
        (f, None) => format!("{f}: "),
    };
    match d.severity {
        Severity::Error => tracing::error!(code = %d.code, "{at}{}", d.message),
        Severity::Warning => tracing::warn!(code = %d.code, "{at}{}", d.message),
        Severity::Info => tracing::debug!(code = %d.code, "{at}{}", d.message),
    }
}

#[cfg(test)]
mod tests;
