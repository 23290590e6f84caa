//! `jixiao run [PIPELINE]`: the unattended path. Loads the pipeline, hands it to the driver, prints
//! a one-line summary, and maps the outcome to the documented exit code.

use std::time::Instant;

use jixiao_driver::{RunOverrides, exit_status};

use super::Outcome;
use crate::cli::RunArgs;

pub fn execute(args: &RunArgs) -> Outcome {
    let started = Instant::now();
    let pipeline = crate::pipeline_file::load(&args.pipeline)?;
    let overrides = RunOverrides {
        inputs: args.inputs.clone(),
        out: args.out.clone(),
        jobs: args.jobs,
    };
    let result = jixiao_driver::run(&pipeline, &overrides);
    let status = exit_status(&result);
    let report = result?;
    // The summary is an info event (so `--quiet` hides it and `--log-format json` structures it).
    let c = report.counts;
    let output = if report.published.is_empty() {
        "nothing published".to_string()
    } else {
        format!("→ {}", report.out_dir.display())
    };
    tracing::info!(
        inputs = report.inputs.len(),
        records = c.records,
        warnings = c.warnings,
        errors = c.errors,
        seconds = started.elapsed().as_secs_f64(),
        out = %report.out_dir.display(),
        exit = status.code(),
        "{} inputs, {} records, {} warnings, {} errors in {:.2}s {output} (exit {})",
        report.inputs.len(),
        c.records,
        c.warnings,
        c.errors,
        started.elapsed().as_secs_f64(),
        status.code()
    );
    Ok(status)
}
