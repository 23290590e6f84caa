//! The driver: runs the stages of a [`Pipeline`] and is the only code that writes to the output
//! directory.
//!
//! Map:
//! - [`run`] (this file): lock → recover → resolve → ingest → normalize → score → render → publish,
//!   under a rayon pool of `--jobs` threads; returns a [`RunReport`] or a [`DriverError`].
//! - [`inputs`]: `[[inputs]]` globs → the sorted, deduplicated file list.
//! - [`lock`]: the run lock on the output directory (exit 75 when held).
//! - [`publish`]: staging folder, fsync, rename into place; recovery of interrupted runs.
//! - [`stages`]: the stage list and the artifacts of a packet — the seam for score and render.
//! - [`manifest`]: `manifest.json` with hashes of the pipeline, inputs and artifacts.
//! - [`exit`]: the exit-code contract as pure functions of a run's outcome.
//!
//! Problems inside inputs never make [`run`] fail: they are diagnostics, counted in [`RunReport`] and
//! classified by [`exit::classify`]. [`DriverError`] is for what stops a run (lock, I/O, config).

mod error;
pub mod exit;
pub mod inputs;
pub mod lock;
pub mod manifest;
pub mod publish;
pub mod stages;
pub mod unchanged;

use std::path::{Path, PathBuf};
use std::time::Instant;

use jixiao_config::Pipeline;
use jixiao_core::{Diagnostic, Ledger, Severity};
use jixiao_normalize::NormalizeContext;
use rayon::prelude::*;

pub use error::{DriverError, LockHolder};
pub use exit::{Counts, ExitStatus};
pub use inputs::{InputSpec, ResolvedInputs};
pub use manifest::{ArtifactEntry, InputEntry, Manifest};
pub use stages::{Artifact, Products, STAGES, Stage, StageTiming};

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
}

/// What a run did. Published artifacts are listed in `published` (empty when the status does not
/// publish, see [`ExitStatus::publishes`]).
#[derive(Debug, Clone, PartialEq)]
pub struct RunReport {
    pub ledger: Ledger,
    /// Run-level diagnostics (unmatched patterns, unreadable folders).
    pub diagnostics: Vec<Diagnostic>,
    pub inputs: Vec<InputEntry>,
    pub counts: Counts,
    pub exit: ExitStatus,
    pub out_dir: PathBuf,
    pub published: Vec<ArtifactEntry>,
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
    };
    jixiao_render::RenderContext::new(&pipeline.render, &pipeline.base_dir, meta)
        .map_err(|e| DriverError::Config(format!("render: {e}")))
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
    started(Stage::Resolve);
    let mut timings = Vec::new();
    let mut clock = Instant::now();
    let mut lap = |stage: Stage, timings: &mut Vec<StageTiming>| {
        let t = StageTiming {
            stage,
            duration: clock.elapsed(),
        };
        tracing::debug!(
            stage = stage.as_str(),
            ms = t.duration.as_millis() as u64,
            "stage done"
        );
        timings.push(t);
        if let Some(next) = stages::STAGES.iter().skip_while(|s| **s != stage).nth(1) {
            started(*next);
        }
        clock = Instant::now();
    };
    let ctx = NormalizeContext::new(&pipeline.normalize, Some(pipeline.pipeline.year))
        .map_err(|e| DriverError::Config(e.to_string()))?;
    // The rubric and plugins are checked (pins, ABI, params) before any input is read.
    let score_ctx = score_context(pipeline)?;
    let render_ctx = render_context(pipeline)?;
    let resolved = inputs::resolve(&input_specs(pipeline, overrides), &pipeline.base_dir)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(overrides.jobs.or(pipeline.run.jobs).unwrap_or(0))
        .build()
        .map_err(|e| {
            DriverError::io("cannot start worker threads", "", std::io::Error::other(e))
        })?;

    let out_dir = output_dir(pipeline, overrides);
    std::fs::create_dir_all(&out_dir)
        .map_err(|e| DriverError::io("cannot create output directory", &out_dir, e))?;
    let _lock = lock::RunLock::acquire(&out_dir)?;
    let notes = publish::recover(&out_dir)?;
    for n in &notes {
        tracing::warn!("{n}");
    }
    lap(Stage::Resolve, &mut timings);

    let digests: Vec<_> = pool.install(|| {
        resolved
            .files
            .par_iter()
            .map(|f| manifest::digest_file(&f.path))
            .collect()
    });
    let rubric_sha256 = pipeline
        .scoring
        .rubric
        .as_ref()
        .and_then(|r| manifest::digest_file(&pipeline.base_dir.join(r)))
        .map(|d| d.sha256);
    if overrides.skip_unchanged {
        let current = unchanged::Fingerprint {
            jixiao_version: env!("CARGO_PKG_VERSION").to_string(),
            pipeline_sha256: manifest::digest_file(&pipeline.file).map(|d| d.sha256),
            rubric_sha256: rubric_sha256.clone(),
            inputs: resolved
                .files
                .iter()
                .zip(&digests)
                .map(|(f, d)| (f.display.clone(), d.as_ref().map(|d| d.sha256.clone())))
                .collect(),
            plugins: score_ctx
                .plugins
                .iter()
                .map(|p| manifest::digest_file(&p.path).map(|d| d.sha256))
                .collect(),
            render: manifest::RenderEntry::of(&render_ctx),
        };
        if unchanged::is_current(&out_dir, &current) {
            tracing::info!(
                "nothing changed since the packet in {}: not rewritten",
                out_dir.display()
            );
            return Ok(RunReport {
                ledger: Ledger::default(),
                diagnostics: resolved.diagnostics,
                inputs: Vec::new(),
                counts: Counts::default(),
                exit: ExitStatus::Ok,
                out_dir,
                published: Vec::new(),
                timings,
                grades: [0; 4],
                notes,
            });
        }
    }
    let docs = pool.install(|| jixiao_ingest::ingest(&resolved.files, &pipeline.limits));
    lap(Stage::Ingest, &mut timings);
    let ledger = pool.install(|| jixiao_normalize::normalize(docs, &ctx));
    lap(Stage::Normalize, &mut timings);
    let scorecard = pool.install(|| jixiao_score::score(&ledger, &score_ctx));
    lap(Stage::Score, &mut timings);
    // Nothing read means nothing published: rendering an empty packet would be wasted work.
    let rendered = if Counts::of_ledger(&ledger).records > 0 {
        pool.install(|| jixiao_render::render(&ledger, &scorecard, &render_ctx))
    } else {
        jixiao_render::Rendered::default()
    };
    lap(Stage::Render, &mut timings);

    log_diagnostics(&ledger, &resolved.diagnostics);
    for d in scorecard.diagnostics.iter().chain(&rendered.diagnostics) {
        log_one("", d);
    }
    let inputs: Vec<InputEntry> = ledger
        .documents
        .iter()
        .zip(&digests)
        .map(|(doc, d)| InputEntry::new(doc, d.as_ref()))
        .collect();
    let mut counts = Counts::of_ledger(&ledger);
    let stage_diagnostics = scorecard.diagnostics.iter().chain(&rendered.diagnostics);
    for d in resolved.diagnostics.iter().chain(stage_diagnostics) {
        counts.add(d.severity);
    }
    let exit = exit::classify(&counts);
    let rubric = manifest::RubricEntry {
        name: scorecard.rubric.name.clone(),
        version: scorecard.rubric.version.clone(),
        file_sha256: rubric_sha256,
    };
    let plugins: Vec<manifest::PluginEntry> = score_ctx
        .plugins
        .iter()
        .map(|p| manifest::PluginEntry {
            path: inputs::display_name(&p.path, &pipeline.base_dir),
            sha256: manifest::digest_file(&p.path).map(|d| d.sha256),
            name: p.manifest.name.clone(),
            version: p.manifest.version.clone(),
            abi_version: jixiao_score::PLUGIN_ABI_VERSION,
        })
        .collect();
    // Run-level problems for the manifest: the input patterns' and the render stage's (a format that
    // failed is named there; scoring's per-record ones are in scores.json).
    let run_diagnostics: Vec<jixiao_core::Diagnostic> = resolved
        .diagnostics
        .iter()
        .chain(&rendered.diagnostics)
        .cloned()
        .collect();
    let grades =
        jixiao_core::Grade::ALL.map(|g| scorecard.records.iter().filter(|r| r.grade == g).count());
    let products = Products {
        ledger,
        scorecard: Some(scorecard),
        rendered: rendered
            .files
            .into_iter()
            .map(|f| Artifact {
                path: f.path,
                bytes: f.bytes,
            })
            .collect(),
    };
    let mut published = Vec::new();
    if exit.publishes() {
        // Written into the staging folder as they are serialised: the JSON files are streamed,
        // never held whole in memory next to the ledger.
        let mut staging = publish::Staging::create(&out_dir)?;
        let (size, sha256) = staging.write_json(stages::RECORDS_JSON, &products.ledger)?;
        published.push(ArtifactEntry {
            path: stages::RECORDS_JSON.into(),
            size,
            sha256,
        });
        if let Some(card) = &products.scorecard {
            let (size, sha256) = staging.write_json(stages::SCORES_JSON, card)?;
            published.push(ArtifactEntry {
                path: stages::SCORES_JSON.into(),
                size,
                sha256,
            });
        }
        for a in &products.rendered {
            staging.write(&a.path, &a.bytes)?;
            published.push(ArtifactEntry::of(a));
        }
        let manifest = Manifest {
            manifest_version: manifest::MANIFEST_VERSION,
            jixiao_version: env!("CARGO_PKG_VERSION").to_string(),
            pipeline: manifest::PipelineEntry {
                file: inputs::display_name(&pipeline.file, Path::new("")),
                sha256: manifest::digest_file(&pipeline.file).map(|d| d.sha256),
            },
            inputs: inputs.clone(),
            diagnostics: run_diagnostics,
            rubric,
            plugins,
            render: manifest::RenderEntry::of(&render_ctx),
            artifacts: published.clone(),
            exit_code: exit.code(),
            timings_ms: manifest::TimingEntry::of(&timings),
        };
        let manifest = Artifact {
            path: publish::MANIFEST.into(),
            bytes: stages::pretty_json(&manifest, publish::MANIFEST)?,
        };
        staging.write(&manifest.path, &manifest.bytes)?;
        published.push(ArtifactEntry::of(&manifest));
        staging.commit()?;
    } else {
        tracing::error!(
            "no input yielded a record: nothing published, {} left as it was",
            out_dir.display()
        );
    }
    lap(Stage::Publish, &mut timings);

    Ok(RunReport {
        ledger: products.ledger,
        diagnostics: resolved.diagnostics,
        inputs,
        counts,
        exit,
        out_dir,
        published,
        timings,
        grades,
        notes,
    })
}

/// Loads the rubric and the plugins; every problem (a pin mismatch, a wrong ABI, bad params of an
/// `on_error = "fail"` plugin, an unreadable rubric file) is listed, naming the plugin.
fn score_context(pipeline: &Pipeline) -> Result<jixiao_score::ScoreContext, DriverError> {
    jixiao_score::ScoreContext::new(
        &pipeline.scoring,
        &pipeline.base_dir,
        pipeline.pipeline.year,
    )
    .map_err(|errors| {
        let lines: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        DriverError::Config(format!("scoring: {}", lines.join("; ")))
    })
}

/// Warnings and errors go to the log as they are found with `file:line`; info diagnostics (repairs)
/// only at debug level, or a 300-table document would drown the errors.
fn log_diagnostics(ledger: &Ledger, run: &[Diagnostic]) {
    for d in run {
        log_one("", d);
    }
    for doc in &ledger.documents {
        let all = doc
            .diagnostics
            .iter()
            .chain(doc.records.iter().flat_map(|r| r.diagnostics.iter()));
        for d in all {
            log_one(&doc.file, d);
        }
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
#[path = "run_tests.rs"]
mod tests;
