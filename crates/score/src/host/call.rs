//! Configured plugins and the per-record call: request JSON in, validated check results out.
//!
//! A fault (non-zero status, a caught panic, invalid JSON, an unknown check id, points outside
//! [0, max]) never stops the run: the plugin's checks are "not scored" for that record and a
//! diagnostic names the plugin and the record — a warning with `on_error = "skip"`, an error with
//! `on_error = "fail"` (an error makes the driver's exit code non-zero).

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use jixiao_config::{OnError, PluginConfig};
use jixiao_core::{
    CheckInfo, CheckResult, CheckStatus, Diagnostic, Evidence, Record, RecordRef, Severity,
};
use jixiao_plugin_api::{Manifest, PluginCheckResult, PluginTable, STATUS_OK, STATUS_PANIC};
use serde::Serialize;

use super::{PluginError, SinkBuf, open, sink, validate_params};
use crate::text::round2;

/// A configured plugin, loaded (or disabled with a reason when its configuration is wrong).
pub struct LoadedPlugin {
    /// The library file, `path` from the configuration joined to pipeline.toml's folder.
    pub path: PathBuf,
    /// What the plugin declared when loaded: name, version, checks, params schema, thread safety.
    pub manifest: Manifest,
    table: &'static PluginTable,
    weight: f64,
    params: serde_json::Map<String, serde_json::Value>,
    on_error: OnError,
    /// Held around calls to plugins that are not thread-safe, so rayon calls them one at a time.
    serial: Option<Mutex<()>>,
    /// Set when params are invalid under `on_error = "skip"`: every record gets "not scored".
    disabled: Option<String>,
}

#[derive(Serialize)]
struct Request<'a> {
    record: &'a Record,
    params: &'a serde_json::Map<String, serde_json::Value>,
    year: i32,
}

/// What loading one configured plugin gives.
pub(crate) enum Loaded {
    Ready(Box<LoadedPlugin>),
    /// Not loadable under `on_error = "skip"`: reported, then left out.
    Skipped(Diagnostic),
    Fatal(PluginError),
}

/// Loads one `[[scoring.plugins]]` entry. `taken` holds check ids already in the rubric.
pub(crate) fn load(cfg: &PluginConfig, base_dir: &Path, taken: &[String]) -> Loaded {
    let path = base_dir.join(&cfg.path);
    let fail = |e: PluginError| match cfg.on_error {
        OnError::Fail => Loaded::Fatal(e),
        OnError::Skip => Loaded::Skipped(Diagnostic::warning(
            "score.plugin-load",
            format!("{e}; plugin skipped"),
            None,
        )),
    };
    let opened = match open(&path, cfg.sha256.as_deref()) {
        Ok(o) => o,
        Err(e) => return fail(e),
    };
    let params = match serde_json::to_value(&cfg.params) {
        Ok(serde_json::Value::Object(m)) => m,
        _ => serde_json::Map::new(),
    };
    let mut problems = validate_params(&opened.manifest, &params);
    if !(cfg.weight.is_finite() && cfg.weight > 0.0) {
        problems.push(format!("weight = {} must be a number > 0", cfg.weight));
    }
    for c in &opened.manifest.checks {
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
            plugin: opened.manifest.name.clone(),
            path: path.clone(),
            message: problems.join("; "),
        };
        if cfg.on_error == OnError::Fail {
            return Loaded::Fatal(e);
        }
        disabled = Some(e.to_string());
    }
    let serial = (!opened.manifest.thread_safe).then(|| Mutex::new(()));
    Loaded::Ready(Box::new(LoadedPlugin {
        path,
        manifest: opened.manifest,
        table: opened.table,
        weight: cfg.weight,
        params,
        on_error: cfg.on_error,
        serial,
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
    pub fn score(
        &self,
        rec: &Record,
        r: &RecordRef,
        year: i32,
    ) -> (Vec<CheckResult>, Option<Diagnostic>) {
        if let Some(reason) = &self.disabled {
            return (self.not_scored(reason), None);
        }
        match self.call(rec, year) {
            Ok(results) => (self.merge(results), None),
            Err(msg) => {
                let severity = match self.on_error {
                    OnError::Skip => Severity::Warning,
                    OnError::Fail => Severity::Error,
                };
                let who = rec.name.as_deref().unwrap_or("（未命名）");
                let d = Diagnostic::new(
                    severity,
                    "score.plugin-fault",
                    format!(
                        "plugin {} ({}) failed on record “{who}” ({}:{}-{}): {msg}; its checks are not scored for this record",
                        self.manifest.name,
                        self.path.display(),
                        r.file,
                        r.lines[0],
                        r.lines[1]
                    ),
                    Some(r.lines[0]),
                );
                (self.not_scored(&format!("插件故障：{msg}")), Some(d))
            }
        }
    }

    fn call(&self, rec: &Record, year: i32) -> Result<Vec<PluginCheckResult>, String> {
        let req = serde_json::to_vec(&Request {
            record: rec,
            params: &self.params,
            year,
        })
        .map_err(|e| format!("cannot serialise the request: {e}"))?;
        let mut buf = SinkBuf {
            data: Vec::new(),
            overflow: false,
        };
        let status = {
            // A poisoned lock only means another call panicked on the host side; the plugin's own
            // state is not ours to judge, so go on.
            let _guard = self
                .serial
                .as_ref()
                .map(|m| m.lock().unwrap_or_else(|p| p.into_inner()));
            // SAFETY: the table passed the ABI checks; `req` and `buf` outlive the call.
            unsafe {
                (self.table.score)(
                    req.as_ptr(),
                    req.len(),
                    sink,
                    (&mut buf as *mut SinkBuf).cast(),
                )
            }
        };
        let text = || String::from_utf8_lossy(&buf.data).into_owned();
        if buf.overflow {
            return Err("output larger than 64 MiB".into());
        }
        match status {
            STATUS_OK => {}
            STATUS_PANIC => return Err(format!("panicked: {}", text())),
            s => return Err(format!("returned status {s}: {}", text())),
        }
        let results: Vec<PluginCheckResult> = serde_json::from_slice(&buf.data)
            .map_err(|e| format!("returned invalid JSON ({e})"))?;
        let mut seen: Vec<&str> = Vec::new();
        for res in &results {
            let Some(check) = self.manifest.checks.iter().find(|c| c.id == res.id) else {
                return Err(format!("returned unknown check id {}", res.id));
            };
            if seen.contains(&res.id.as_str()) {
                return Err(format!("returned check {} twice", res.id));
            }
            seen.push(&res.id);
            if !(res.points.is_finite()
                && res.points >= 0.0
                && res.points <= check.max_points + 1e-9)
            {
                return Err(format!(
                    "check {} scored {} points, outside 0–{}",
                    res.id, res.points, check.max_points
                ));
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
