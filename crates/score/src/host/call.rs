//! Configured plugins and the per-record call: request JSON in, validated check results out —
//! whether the plugin runs in this process or in a child ([`Backend`]).
//!
//! A fault (non-zero status, a caught panic, invalid JSON, an unknown check id, points outside
//! [0, max]) never stops the run: the plugin's checks are "not scored" for that record and a
//! diagnostic names the plugin and the record — a warning with `on_error = "skip"`, an error with
//! `on_error = "fail"` (an error makes the driver's exit code non-zero); a plugin process that
//! crashed, exited or hung is an error either way. Starting a plugin lives in [`super::start`].

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use jixiao_config::{Isolation, OnError, PluginConfig};
use jixiao_core::{
    CheckInfo, CheckResult, CheckStatus, Diagnostic, Evidence, Record, RecordRef, Severity,
};
use jixiao_plugin_api::{Manifest, PluginCheckResult, PluginTable};
use serde::Serialize;

use super::child::{CallFault, ChildPlugin};
use super::start::PluginRuntime;
use super::{PluginError, call_table, validate_params};
use crate::text::round2;

/// Where a plugin's `score` runs.
pub(super) enum Backend {
    /// Loaded into this process; `serial` is held around calls to a plugin that is not thread-safe.
    InProcess {
        table: &'static PluginTable,
        serial: Option<Mutex<()>>,
    },
    /// In child processes (an isolated library's worker, or a command).
    Child(ChildPlugin),
}

/// A configured plugin, loaded (or disabled with a reason when its configuration is wrong).
pub struct LoadedPlugin {
    /// The library file (`path` joined to pipeline.toml's folder), or a command's program.
    pub path: PathBuf,
    /// What the plugin declared when loaded: name, version, checks, params schema, thread safety.
    pub manifest: Manifest,
    /// Where it runs: `in-process`, or in child processes (`process`, and every command).
    pub isolation: Isolation,
    /// The program and its arguments of a `command` plugin; `None` for a library.
    pub command: Option<Vec<String>>,
    backend: Backend,
    weight: f64,
    params: serde_json::Map<String, serde_json::Value>,
    on_error: OnError,
    /// Set when params are invalid under `on_error = "skip"`: every record gets "not scored".
    disabled: Option<String>,
}

/// `jixiao_plugin_api::ScoreRequest` as written (borrowing the params instead of cloning them).
#[derive(Serialize)]
struct Request<'a> {
    record: jixiao_plugin_api::Record,
    params: &'a serde_json::Map<String, serde_json::Value>,
    year: i32,
}

/// The reason a reviewer reads on the not-scored check: official Chinese text. The plugin's own
/// message is quoted when it is written in Chinese (a plugin explaining itself to the department);
/// jixiao's technical account (signals, JSON errors) stays in the diagnostic and the log.
fn fault_reason(stopped: bool, message: &str) -> String {
    let chinese = message
        .chars()
        .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    if stopped {
        "插件运行失败（进程崩溃、退出或超时），本项未评分；详情见运行日志".to_string()
    } else if chinese {
        format!("插件未能评分：{message}")
    } else {
        "插件未能给出有效结果，本项未评分；详情见运行日志".to_string()
    }
}

/// A plugin's failure on one record, before it becomes a diagnostic: [`super::faults`] reports a
/// plugin's faults one by one, or summarised when there are many.
pub(crate) struct PluginFault {
    pub severity: Severity,
    /// The plugin's process crashed, exited, hung or broke the protocol (and was restarted).
    pub stopped: bool,
    pub message: String,
    /// `“name” (file:first-last)`.
    pub record: String,
    pub line: u32,
}

/// What loading one configured plugin gives.
pub(crate) enum Loaded {
    Ready(Box<LoadedPlugin>),
    /// Not loadable under `on_error = "skip"`: reported, then left out.
    Skipped(Diagnostic),
    Fatal(PluginError),
}

/// Loads one `[[scoring.plugins]]` entry. `taken` holds check ids already in the rubric.
pub(crate) fn load(
    cfg: &PluginConfig,
    base_dir: &Path,
    taken: &[String],
    runtime: &PluginRuntime,
) -> Loaded {
    let fail = |e: PluginError| match cfg.on_error {
        OnError::Fail => Loaded::Fatal(e),
        OnError::Skip => Loaded::Skipped(Diagnostic::warning(
            "score.plugin-load",
            format!("{e}; plugin skipped"),
            None,
        )),
    };
    let (path, backend, manifest) = match super::start::start(cfg, base_dir, runtime) {
        Ok(started) => started,
        Err(e) => return fail(e),
    };
    let params = match serde_json::to_value(&cfg.params) {
        Ok(serde_json::Value::Object(m)) => m,
        _ => serde_json::Map::new(),
    };
    let mut problems = validate_params(&manifest, &params);
    if !(cfg.weight.is_finite() && cfg.weight > 0.0) {
        problems.push(format!("weight = {} must be a number > 0", cfg.weight));
    }
    for c in &manifest.checks {
        if taken.iter().any(|t| t == &c.id) {
            problems.push(format!(
                "check id {} clashes with a check already in the rubric",
                c.id
            ));
        }
    }
    let mut disabled = None;
    if !problems.is_empty() {
        let e = PluginError::Config {
            plugin: manifest.name.clone(),
            path: path.clone(),
            message: problems.join("; "),
        };
        if cfg.on_error == OnError::Fail {
            return Loaded::Fatal(e);
        }
        disabled = Some(e.to_string());
    }
    Loaded::Ready(Box::new(LoadedPlugin {
        path,
        manifest,
        isolation: match backend {
            Backend::InProcess { .. } => Isolation::InProcess,
            Backend::Child(_) => Isolation::Process,
        },
        command: cfg.command.clone(),
        backend,
        weight: cfg.weight,
        params,
        on_error: cfg.on_error,
        disabled,
    }))
}

impl LoadedPlugin {
    /// The plugin's checks as the rubric records them (maxima scaled by `weight`).
    pub fn check_infos(&self) -> Vec<CheckInfo> {
        self.manifest
            .checks
            .iter()
            .map(|c| CheckInfo {
                id: c.id.clone(),
                title: c.title.clone(),
                max_points: round2(c.max_points * self.weight),
                rule: c.rule.clone(),
                source: self.manifest.name.clone(),
            })
            .collect()
    }

    /// The load-time diagnostic of a disabled plugin, if any.
    pub fn disabled_diagnostic(&self) -> Option<Diagnostic> {
        self.disabled.as_ref().map(|m| {
            Diagnostic::warning(
                "score.plugin-config",
                format!("{m}; its checks are not scored"),
                None,
            )
        })
    }

    /// Scores one record: one result per manifest check, in manifest order.
    pub(crate) fn score(
        &self,
        rec: &Record,
        r: &RecordRef,
        year: i32,
    ) -> (Vec<CheckResult>, Option<PluginFault>) {
        if let Some(reason) = &self.disabled {
            return (self.not_scored(reason), None);
        }
        match self.call(rec, year) {
            Ok(results) => (self.merge(results), None),
            Err(fault) => {
                // A process that crashed, exited or hung is an error whatever `on_error` says:
                // the run's exit code must show it. A plugin's own refusal follows `on_error`.
                let stopped = matches!(fault, CallFault::Stopped(_));
                let severity = match (stopped, self.on_error) {
                    (false, OnError::Skip) => Severity::Warning,
                    _ => Severity::Error,
                };
                let message = fault.message();
                let reason = fault_reason(stopped, &message);
                let who = rec.name.as_deref().unwrap_or("（未命名）");
                let fault = PluginFault {
                    severity,
                    stopped,
                    message,
                    record: format!("“{who}” ({}:{}-{})", r.file, r.lines[0], r.lines[1]),
                    line: r.lines[0],
                };
                (self.not_scored(&reason), Some(fault))
            }
        }
    }

    fn call(&self, rec: &Record, year: i32) -> Result<Vec<PluginCheckResult>, CallFault> {
        let answered = CallFault::Answered;
        let req = serde_json::to_vec(&Request {
            record: super::convert::plugin_record(rec),
            params: &self.params,
            year,
        })
        .map_err(|e| answered(format!("cannot serialise the request: {e}")))?;
        let results: Vec<PluginCheckResult> = match &self.backend {
            Backend::InProcess { table, serial } => {
                let answer = {
                    // A poisoned lock only means another call panicked on the host side; the
                    // plugin's own state is not ours to judge, so go on.
                    let _guard = serial
                        .as_ref()
                        .map(|m| m.lock().unwrap_or_else(|p| p.into_inner()));
                    call_table(table, &req).map_err(answered)?
                };
                serde_json::from_slice(&answer)
                    .map_err(|e| answered(format!("returned invalid JSON ({e})")))?
            }
            Backend::Child(child) => child.call(&req)?,
        };
        let mut seen: Vec<&str> = Vec::new();
        for res in &results {
            let Some(check) = self.manifest.checks.iter().find(|c| c.id == res.id) else {
                return Err(answered(format!("returned unknown check id {}", res.id)));
            };
            if seen.contains(&res.id.as_str()) {
                return Err(answered(format!("returned check {} twice", res.id)));
            }
            seen.push(&res.id);
            if !(res.points.is_finite()
                && res.points >= 0.0
                && res.points <= check.max_points + 1e-9)
            {
                return Err(answered(format!(
                    "check {} scored {} points, outside 0–{}",
                    res.id, res.points, check.max_points
                )));
            }
            // Every deduction must be defensible to the department: no points lost without a
            // reason the packet can print.
            if res.points < check.max_points - 1e-9 && res.evidence.is_empty() {
                return Err(answered(format!(
                    "check {} deducted {} points without evidence (a deduction must say why)",
                    res.id,
                    round2(check.max_points - res.points)
                )));
            }
        }
        Ok(results)
    }

    fn merge(&self, results: Vec<PluginCheckResult>) -> Vec<CheckResult> {
        let w = self.weight;
        self.manifest
            .checks
            .iter()
            .map(|c| match results.iter().find(|r| r.id == c.id) {
                Some(r) => CheckResult {
                    id: c.id.clone(),
                    status: CheckStatus::Scored,
                    points: round2(r.points * w),
                    max_points: round2(c.max_points * w),
                    evidence: r
                        .evidence
                        .iter()
                        .map(|e| Evidence {
                            subject: e.subject.clone(),
                            text: e.text.clone(),
                            line: e.line,
                            reason: e.reason.clone(),
                            deduction: round2(e.deduction * w),
                        })
                        .collect(),
                },
                None => self.one_not_scored(
                    c.id.clone(),
                    c.max_points,
                    "插件未对本项目给出结果（不适用）",
                ),
            })
            .collect()
    }

    fn not_scored(&self, reason: &str) -> Vec<CheckResult> {
        self.manifest
            .checks
            .iter()
            .map(|c| self.one_not_scored(c.id.clone(), c.max_points, reason))
            .collect()
    }

    fn one_not_scored(&self, id: String, max: f64, reason: &str) -> CheckResult {
        CheckResult {
            id,
            status: CheckStatus::NotScored,
            points: 0.0,
            max_points: round2(max * self.weight),
            evidence: vec![Evidence {
                subject: self.manifest.name.clone(),
                text: String::new(),
                line: None,
                reason: reason.to_string(),
                deduction: 0.0,
            }],
        }
    }
}
