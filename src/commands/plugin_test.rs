//! `jixiao plugins test --case CASES PLUGIN...`: a plugin author's loop, like ESLint's rule tester.
//! Each case gives a table file (read by jixiao's own readers) or a record (as `jixiao inspect`
//! prints it) and the checks it expects; the plugin runs through the real host — a library in its
//! worker child, a command over the pipe — and every difference is printed with the evidence.
//!
//! ```json
//! {"year": 2024, "params": {"min_satisfaction": 95},
//!  "cases": [{"name": "满意度 90% 扣 1 分", "file": "tables/培训.txt",
//!             "expect": {"PY1": 2, "PY2": {"points": 1, "reason": "低于 95%"}, "PY3": "not_scored"}}]}
//! ```

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow};
use jixiao_config::{Isolation, OnError, PluginConfig, ScoringConfig};
use jixiao_core::{CheckResult, CheckStatus, DocumentRecords, Ledger, Record};
use jixiao_driver::ExitStatus;
use serde::Deserialize;

use super::{Failure, Outcome};
use crate::cli::PluginTestArgs;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    /// The budget year; default the year the cases' records state.
    year: Option<i32>,
    /// The plugin's params, as in `[scoring.plugins.params]`.
    #[serde(default)]
    params: serde_json::Map<String, serde_json::Value>,
    #[serde(default = "default_timeout")]
    timeout_seconds: f64,
    cases: Vec<Case>,
}

fn default_timeout() -> f64 {
    5.0
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    /// A table file, relative to the case file; its first record (or `index`) is scored.
    file: Option<PathBuf>,
    #[serde(default)]
    index: usize,
    /// A record as `jixiao inspect` prints it.
    record: Option<Box<Record>>,
    /// Check id → what it should give.
    expect: BTreeMap<String, Expect>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Expect {
    /// Scored with these points.
    Points(f64),
    /// `"not_scored"` (or `"scored"`).
    Status(String),
    /// Any of: points, status, a word the evidence's reasons contain.
    Detailed {
        points: Option<f64>,
        status: Option<String>,
        reason: Option<String>,
    },
}

pub(super) fn execute(args: &PluginTestArgs) -> Outcome {
    let config_error = |e: anyhow::Error| Failure::new(ExitStatus::Config, e);
    let text = std::fs::read_to_string(&args.case)
        .with_context(|| format!("cannot read the case file {}", args.case.display()))
        .map_err(|e| Failure::new(ExitStatus::Io, e))?;
    let cases: CaseFile = serde_json::from_str(&text)
        .with_context(|| format!("{}: not a valid case file", args.case.display()))
        .map_err(config_error)?;
    let case_dir = args.case.parent().unwrap_or(Path::new("")).to_path_buf();
    let ledgers = cases
        .cases
        .iter()
        .map(|c| case_ledger(c, &case_dir))
        .collect::<anyhow::Result<Vec<Ledger>>>()
        .map_err(config_error)?;
    let year = cases
        .year
        .or_else(|| ledgers.iter().find_map(jixiao_driver::ledger_year))
        .ok_or_else(|| config_error(anyhow!("no budget year: set \"year\" in the case file")))?;
    let scoring = ScoringConfig {
        plugins: vec![plugin_config(&args.plugin, &cases)?],
        ..ScoringConfig::default()
    };
    let runtime = jixiao_score::PluginRuntime::this_executable();
    let ctx = jixiao_score::ScoreContext::new(&scoring, Path::new(""), year, &runtime).map_err(
        |errors| {
            let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
            config_error(anyhow!(lines.join("; ")))
        },
    )?;
    let mut out = String::new();
    let mut failed = 0;
    for (n, (case, ledger)) in cases.cases.iter().zip(&ledgers).enumerate() {
        let card = jixiao_score::score(ledger, &ctx);
        let checks = card
            .records
            .first()
            .map(|r| r.checks.as_slice())
            .unwrap_or_default();
        let problems: Vec<String> = case
            .expect
            .iter()
            .filter_map(|(id, expect)| compare(id, expect, checks))
            .collect();
        if problems.is_empty() {
            let _ = writeln!(out, "ok   {} {}", n + 1, case.name);
        } else {
            failed += 1;
            let _ = writeln!(out, "FAIL {} {}", n + 1, case.name);
            for p in problems
                .iter()
                .chain(card.diagnostics.iter().map(|d| &d.message))
            {
                let _ = writeln!(out, "     {p}");
            }
        }
    }
    let passed = cases.cases.len() - failed;
    let _ = writeln!(out, "{passed} passed, {failed} failed");
    super::print_stdout(&out)?;
    Ok(if failed == 0 {
        ExitStatus::Ok
    } else {
        ExitStatus::InputErrors
    })
}

/// The plugin from the command line: one library file, or a command and its arguments.
fn plugin_config(plugin: &[String], cases: &CaseFile) -> Result<PluginConfig, Failure> {
    let is_library = |p: &str| {
        [".so", ".dylib", ".dll"]
            .iter()
            .any(|ext| p.ends_with(ext) || p.contains(&format!("{ext}.")))
    };
    let (path, command) = match plugin {
        [one] if is_library(one) => (Some(one.clone()), None),
        _ => (None, Some(plugin.to_vec())),
    };
    let params = toml::Table::try_from(&cases.params).map_err(|e| {
        Failure::new(
            ExitStatus::Config,
            anyhow!("\"params\" cannot be passed to a plugin: {e}"),
        )
    })?;
    Ok(PluginConfig {
        path,
        command,
        sha256: None,
        weight: 1.0,
        params,
        on_error: OnError::Fail,
        isolation: Isolation::Process,
        timeout_seconds: cases.timeout_seconds,
        allow_writable: false,
    })
}

/// One case's record as a one-record ledger.
fn case_ledger(case: &Case, dir: &Path) -> anyhow::Result<Ledger> {
    match (&case.file, &case.record) {
        (Some(file), None) => {
            let path = dir.join(file);
            let input = jixiao_ingest::InputFile {
                display: file.display().to_string(),
                path: path.clone(),
                encoding: None,
                layout: None,
            };
            let ctx = jixiao_normalize::NormalizeContext::new(&Default::default(), None)?;
            let docs = jixiao_ingest::ingest(&[input], &jixiao_core::ReadLimits::default());
            let mut ledger = jixiao_normalize::normalize(docs, &ctx);
            let doc = ledger
                .documents
                .first_mut()
                .ok_or_else(|| anyhow!("case “{}”: {} was not read", case.name, path.display()))?;
            if case.index >= doc.records.len() {
                return Err(anyhow!(
                    "case “{}”: {} has {} records, no record {}",
                    case.name,
                    path.display(),
                    doc.records.len(),
                    case.index
                ));
            }
            let record = doc.records.swap_remove(case.index);
            doc.records = vec![record];
            Ok(ledger)
        }
        (None, Some(record)) => Ok(Ledger {
            documents: vec![DocumentRecords {
                file: case.name.clone(),
                layout: jixiao_core::Layout::Tabbed,
                encoding: "UTF-8".into(),
                facts: Default::default(),
                records: vec![(**record).clone()],
                diagnostics: Vec::new(),
            }],
        }),
        _ => Err(anyhow!(
            "case “{}”: give either \"file\" (a table file) or \"record\" (as jixiao inspect prints it)",
            case.name
        )),
    }
}

/// What differs between the expectation and the check's result; `None` when they agree.
fn compare(id: &str, expect: &Expect, checks: &[CheckResult]) -> Option<String> {
    let Some(c) = checks.iter().find(|c| c.id == id) else {
        return Some(format!("{id}: no such check on this record"));
    };
    let status = match c.status {
        CheckStatus::Scored => "scored",
        CheckStatus::NotScored => "not_scored",
        _ => "other",
    };
    let reasons: Vec<&str> = c.evidence.iter().map(|e| e.reason.as_str()).collect();
    let got = format!(
        "got {status}, {} points (evidence: {})",
        c.points,
        if reasons.is_empty() {
            "none".to_string()
        } else {
            reasons.join(" | ")
        }
    );
    let (points, want_status, reason) = match expect {
        Expect::Points(p) => (Some(*p), Some("scored"), None),
        Expect::Status(s) => (None, Some(s.as_str()), None),
        Expect::Detailed {
            points,
            status,
            reason,
        } => (*points, status.as_deref(), reason.as_deref()),
    };
    let points = points.filter(|p| (p - c.points).abs() > 0.005);
    let want_status = want_status.filter(|s| *s != status);
    let reason = reason.filter(|r| !reasons.iter().any(|x| x.contains(r)));
    let mut wrong = Vec::new();
    if let Some(p) = points {
        wrong.push(format!("{p} points"));
    }
    if let Some(s) = want_status {
        wrong.push(s.to_string());
    }
    if let Some(r) = reason {
        wrong.push(format!("a reason containing “{r}”"));
    }
    (!wrong.is_empty()).then(|| format!("{id}: expected {}, {got}", wrong.join(", ")))
}
