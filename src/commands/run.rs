//! `jixiao run [PIPELINE]`: the unattended path. Loads the pipeline, hands it to the driver, prints
//! a one-line summary, and maps the outcome to the documented exit code.

use std::time::Instant;

use jixiao_driver::{RunOverrides, RunReport, exit_status};

use super::Outcome;
use crate::cli::{LogFormat, RunArgs};

pub fn execute(args: &RunArgs, format: LogFormat) -> Outcome {
    let started = Instant::now();
    let pipeline = crate::pipeline_file::load(&args.pipeline)?;
    let overrides = RunOverrides {
        inputs: args.inputs.clone(),
        out: args.out.clone(),
        jobs: args.jobs,
        skip_unchanged: args.skip_unchanged,
    };
    let result = jixiao_driver::run(&pipeline, &overrides);
    let status = exit_status(&result);
    let report = result?;
    summary(&report, started, format);
    Ok(status)
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
    let text = format!(
        "{} inputs, {} records, {} warnings, {} errors in {secs:.2}s {outcome} (exit {})",
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
