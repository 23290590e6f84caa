//! The score stage: a [`Ledger`] of canonical records → a [`Scorecard`].
//!
//! - Takes: the ledger (from `normalize`) and a [`ScoreContext`], built once per run from
//!   `[scoring]` by [`ScoreContext::new`] (rubric resolved, plugins opened and checked).
//! - Returns: one [`RecordScore`] per record in ledger order (every check's points with evidence,
//!   the total, the grade), the corpus-level [`Finding`](jixiao_core::Finding)s, the rubric actually used, and the stage's
//!   diagnostics (plugin faults).
//!
//! A province's run scores a batch of documents at a time with a [`CorpusScorer`] (what needs the
//! whole corpus is tallied on the side); [`score`] scores a whole ledger at once.
//!
//! Map: `rubric` resolves the configuration; `checks` holds A1–D4 (one module per family);
//! `rules` the no-code `[[scoring.rules]]`;
//! `grade` bands, caps and consequences; `findings` the problems that are counted, not scored;
//! `host` the plugin host.
//!
//! Totals: a record's `total` is the sum of its scored checks (built-in and plugin, plugin points ×
//! `weight`), `max_points` the sum of their maxima, and the grade is read from
//! `100 × total / max_points` — so with the default rubric and no plugins it is the familiar
//! 100-point score; a disabled check or a "not scored" plugin check leaves the maximum instead of
//! counting as zero. See docs/scoring.md.

mod checks;
mod departments;
mod findings;
mod grade;
mod host;
mod rubric;
mod rules;
mod stream;
mod text;

use std::path::Path;

use jixiao_config::ScoringConfig;
use jixiao_core::{
    CheckResult, CheckStatus, Diagnostic, DiagnosticCode, Ledger, Record, RecordRef, RecordScore,
    RubricInfo, Scorecard, Severity,
};

pub use departments::DepartmentNames;
pub use findings::wordings::{
    WordingBlocks, WordingStore, layout as wording_layout, read_at as read_wording,
};
pub use grade::consequence;
pub use stream::{CorpusFindings, CorpusScorer, CorpusScores, ScoredBatch};

/// Every diagnostic code this stage emits (docs/scoring.md explains them; docs/diagnostics.md
/// lists all stages').
pub const CODES: &[DiagnosticCode] = &[
    DiagnosticCode::new(
        "score.rubric",
        Severity::Error,
        "the rubric file cannot be read or is not valid; nothing is scored",
    ),
    DiagnosticCode::new(
        "score.plugin-load",
        Severity::Warning,
        "a plugin cannot be loaded (pin, ABI, library): its checks are skipped; an error with `on_error = \"fail\"`",
    ),
    DiagnosticCode::new(
        "score.plugin-config",
        Severity::Warning,
        "a plugin refused its `params`: its checks are skipped",
    ),
    DiagnosticCode::new(
        "score.plugin-fault",
        Severity::Warning,
        "a plugin reported that it cannot score a record, or answered wrongly (bad JSON, unknown check, points out of range, a deduction without evidence): its checks are not scored for that record; an error with `on_error = \"fail\"`; a plugin failing on more than 3 records gets one summary",
    ),
    DiagnosticCode::new(
        "score.plugin-stopped",
        Severity::Error,
        "a plugin's process crashed, exited, broke the protocol or did not answer within `timeout_seconds` on a record: it was stopped and restarted, its checks are not scored for that record",
    ),
];
pub use host::call::LoadedPlugin;
pub use host::start::{PluginRuntime, WORKER_ARG};
pub use host::worker::serve_library;
pub use host::{PluginError, file_sha256, inspect_plugin};
pub use jixiao_core::summary::{Summary, by_department, percent, summarize};
pub use jixiao_plugin_api::ABI_VERSION as PLUGIN_ABI_VERSION;
pub use jixiao_plugin_api::Manifest as PluginManifest;
pub use rubric::{Rubric, RubricError};

/// Why scoring cannot start.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SetupError {
    /// The rubric file or the inline `[scoring]` keys are invalid.
    #[error(transparent)]
    Rubric(#[from] RubricError),
    /// A plugin with `on_error = "fail"` could not be loaded or configured.
    #[error(transparent)]
    Plugin(#[from] PluginError),
}

impl SetupError {
    /// As a diagnostic for the run's report.
    pub fn to_diagnostic(&self) -> Diagnostic {
        let code = match self {
            SetupError::Rubric(_) => "score.rubric",
            SetupError::Plugin(_) => "score.plugin-load",
        };
        Diagnostic::error(code, self.to_string(), None)
    }
}

/// Everything scoring needs besides the records; build once per run.
pub struct ScoreContext {
    /// The resolved rubric: enabled built-in checks and their points, bands, caps, thresholds.
    pub rubric: Rubric,
    /// The plugins that loaded, in `[[scoring.plugins]]` order; skipped ones are left out, ones
    /// disabled by a configuration problem stay (their checks are "not scored").
    pub plugins: Vec<LoadedPlugin>,
    /// `[[scoring.rules]]`: local rules that need no program, scored after the built-in checks.
    pub rules: Vec<jixiao_config::RuleConfig>,
    /// The budget year under review; records without a year of their own inherit it.
    pub year: i32,
    /// `[pipeline] jurisdiction`: documents of another place are flagged. `None` after [`new`]
    /// (set it from the pipeline).
    ///
    /// [`new`]: ScoreContext::new
    pub jurisdiction: Option<jixiao_core::Locality>,
    /// Problems found while loading (skipped plugins), carried into the scorecard.
    pub diagnostics: Vec<Diagnostic>,
}

impl ScoreContext {
    /// Resolves the rubric (`base_dir` is the pipeline file's folder) and loads the plugins —
    /// isolated ones through `runtime`'s worker. Every problem is collected before failing.
    pub fn new(
        config: &ScoringConfig,
        base_dir: &Path,
        year: i32,
        runtime: &PluginRuntime,
    ) -> Result<ScoreContext, Vec<SetupError>> {
        let mut errors: Vec<SetupError> = Vec::new();
        let rubric = match Rubric::resolve(config, base_dir) {
            Ok(r) => Some(r),
            Err(es) => {
                errors.extend(es.into_iter().map(SetupError::from));
                None
            }
        };
        let mut taken: Vec<String> = checks::BUILTIN.iter().map(|c| c.id.to_string()).collect();
        taken.extend(config.rules.iter().map(|r| r.id.trim().to_string()));
        let mut plugins = Vec::new();
        let mut diagnostics = Vec::new();
        for cfg in &config.plugins {
            match host::call::load(cfg, base_dir, &taken, runtime) {
                host::call::Loaded::Ready(p) => {
                    taken.extend(p.manifest.checks.iter().map(|c| c.id.clone()));
                    diagnostics.extend(p.disabled_diagnostic());
                    plugins.push(*p);
                }
                host::call::Loaded::Skipped(d) => diagnostics.push(d),
                host::call::Loaded::Fatal(e) => errors.push(e.into()),
            }
        }
        match rubric {
            Some(rubric) if errors.is_empty() => Ok(ScoreContext {
                rubric,
                plugins,
                rules: config.rules.clone(),
                year,
                jurisdiction: None,
                diagnostics,
            }),
            _ => Err(errors),
        }
    }

    /// The rubric as recorded in the scorecard: built-in checks, local rules, then each plugin's.
    pub fn rubric_info(&self) -> RubricInfo {
        let mut checks = self.rubric.check_infos();
        checks.extend(self.rules.iter().map(rules::check_info));
        for p in &self.plugins {
            checks.extend(p.check_infos());
        }
        RubricInfo {
            name: self.rubric.name.clone(),
            version: self.rubric.version.clone(),
            bands: self.rubric.bands.clone(),
            checks,
        }
    }
}

pub(crate) fn record_ref(document: usize, record: usize, file: &str, rec: &Record) -> RecordRef {
    RecordRef {
        document,
        record,
        file: file.to_string(),
        lines: rec.lines,
    }
}

/// Scores every record of the ledger (in parallel, order preserved) and lists the findings: a
/// [`CorpusScorer`] given the whole ledger as one batch.
pub fn score(ledger: &Ledger, ctx: &ScoreContext) -> Scorecard {
    let mut scorer = CorpusScorer::new(ctx);
    let batch = scorer.add(&ledger.documents);
    let corpus = scorer.finish();
    let mut records = batch.records;
    for r in &mut records {
        corpus.departments.apply(r);
    }
    let mut findings = batch.findings;
    findings.extend(corpus.findings.to_vec());
    Scorecard {
        rubric: corpus.rubric,
        records,
        findings,
        diagnostics: corpus.diagnostics,
    }
}

/// One record's score card (built-in checks, local rules, then plugins) and its plugin faults (by plugin
/// index); `form` is what its document shows about the form it was written on
/// (`checks::FormFacts::of`).
fn score_record(
    r: RecordRef,
    rec: &Record,
    ctx: &ScoreContext,
    form: checks::FormFacts,
) -> (RecordScore, Vec<(usize, host::call::PluginFault)>) {
    let cx = checks::CheckCx {
        rubric: &ctx.rubric,
        year: rec.year.unwrap_or(ctx.year),
        form,
    };
    let mut results: Vec<CheckResult> = ctx
        .rubric
        .checks
        .iter()
        .filter(|c| checks::applies(c, rec.kind))
        .map(|c| checks::run(c, rec, &cx))
        .collect();
    results.extend(
        ctx.rules
            .iter()
            .filter_map(|rule| rules::evaluate(rule, rec)),
    );
    let mut faults = Vec::new();
    for (i, p) in ctx.plugins.iter().enumerate() {
        let (res, fault) = p.score(rec, &r, cx.year);
        results.extend(res);
        faults.extend(fault.map(|f| (i, f)));
    }
    let scored = results.iter().filter(|c| c.status == CheckStatus::Scored);
    let total = text::round2(scored.clone().map(|c| c.points).sum());
    let max_points = text::round2(scored.map(|c| c.max_points).sum());
    let pct = if max_points > 0.0 {
        100.0 * total / max_points
    } else {
        0.0
    };
    let grade = grade::apply_caps(
        grade::grade_for(pct, &ctx.rubric.bands),
        &ctx.rubric.caps,
        &mut results,
    );
    let department = [&rec.supervisor, &rec.unit]
        .into_iter()
        .flatten()
        .find(|s| !s.trim().is_empty())
        .cloned()
        .unwrap_or_else(|| "（未注明单位）".to_string());
    let score = RecordScore {
        record: r,
        kind: rec.kind,
        name: rec.name.clone().unwrap_or_else(|| "（未命名）".to_string()),
        department,
        funds_total: rec.funds.total,
        total,
        max_points,
        grade,
        checks: results,
    };
    (score, faults)
}

#[cfg(test)]
mod tests;
