//! `jixiao run [PIPELINE] [FILES…]`: the unattended path. Loads the pipeline (or the built-in
//! defaults), hands it to the driver, prints a one-line summary, and maps the outcome to the
//! documented exit code.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};
use jixiao_driver::{RunOverrides, RunReport, STAGES, Stage, exit_status};

use super::Outcome;
use crate::cli::{LogArgs, LogFormat, RunArgs};

pub(super) fn execute(args: &RunArgs, log: &LogArgs) -> Outcome {
    let format = log.log_format;
    let started = Instant::now();
    let (pipeline_file, files) = crate::pipeline_file::split_run_paths(&args.paths)?;
    let overrides = RunOverrides {
        inputs: files
            .into_iter()
            .chain(args.inputs.iter().cloned())
            .collect(),
        out: args.out.clone(),
        jobs: args.jobs,
        skip_unchanged: args.skip_unchanged,
        batch_bytes: None,
    };
    let pipeline = crate::pipeline_file::for_run(pipeline_file, &overrides)?;
    let bar = progress_bar(log.quiet, format);
    let result = jixiao_driver::run_observed(&pipeline, &overrides, &|stage: Stage| {
        if let Some(bar) = &bar {
            let index = STAGES.iter().position(|s| *s == stage).unwrap_or(0);
            bar.set_position(index as u64);
            bar.set_message(stage.as_str());
        }
    });
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let status = exit_status(&result);
    let report = result?;
    summary(&report, started, format);
    Ok(status)
}

/// A stage bar on stderr, only for a person watching: never under a scheduler (stderr not a
/// terminal), with `--quiet`, or with JSON logs.
fn progress_bar(quiet: bool, format: LogFormat) -> Option<ProgressBar> {
    if quiet || format == LogFormat::Json || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::new(STAGES.len() as u64);
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} [{bar:20}] {pos}/{len} {msg} ({elapsed})")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.enable_steady_tick(Duration::from_millis(120));
    Some(bar)
}

/// The final line: an info event, so `--quiet` hides it. JSON logs get the numbers as fields for
/// collectors; human logs get them once, in the sentence.
fn summary(report: &RunReport, started: Instant, format: LogFormat) {
    let c = report.counts;
    let secs = started.elapsed().as_secs_f64();
    let outcome = if report.published.is_empty() {
        "nothing published".to_string()
    } else {
        format!("→ {}", report.out_dir.display())
    };
    let [excellent, good, fair, poor] = report.grades;
    let text = format!(
        "{} inputs, {} records (优 {excellent} 良 {good} 中 {fair} 差 {poor}), {} warnings, {} errors in {secs:.2}s {outcome} (exit {})",
        report.inputs.len(),
        c.records,
        c.warnings,
        c.errors,
        report.exit.code()
    );
    match format {
        LogFormat::Human => tracing::info!("{text}"),
        LogFormat::Json => tracing::info!(
            inputs = report.inputs.len(),
            records = c.records,
            grades = ?report.grades,
            warnings = c.warnings,
            errors = c.errors,
            seconds = secs,
            out = %report.out_dir.display(),
            published = !report.published.is_empty(),
            exit = report.exit.code(),
            "{text}"
        ),
    }
}
