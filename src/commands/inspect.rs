//! `jixiao inspect FILE...`: read files and print their records; writes nothing.

use std::io::Write;

use anyhow::Context;
use jixiao_config::NormalizeConfig;
use jixiao_driver::{Counts, ExitStatus, exit, inputs, stages};
use jixiao_ingest::InputFile;
use jixiao_normalize::NormalizeContext;

use super::{Failure, Outcome};
use crate::cli::{Format, InspectArgs};

pub(super) fn execute(args: &InspectArgs) -> Outcome {
    let files: Vec<InputFile> = args
        .files
        .iter()
        .map(|path| InputFile {
            // Named as typed (with `/`), so the output does not depend on the working directory.
            display: inputs::display_name(path, std::path::Path::new("")),
            path: path.clone(),
            encoding: args.encoding.clone(),
            layout: args.layout,
        })
        .collect();
    let pipeline = pipeline_for(args)?;
    let ctx = match &pipeline {
        Some(p) => jixiao_driver::normalize_context(p)?,
        // The built-in label dictionary; a broken built-in is a bug in the binary, reported as config.
        None => NormalizeContext::new(&NormalizeConfig::default(), None)
            .map_err(|e| Failure::new(ExitStatus::Config, e))?,
    };
    let docs = jixiao_ingest::ingest(&files, &jixiao_core::ReadLimits::default());
    if args.format == Format::Cells {
        return print(crate::view::cells(&docs).into_bytes()).map(|_| ExitStatus::Ok);
    }
    let ledger = jixiao_normalize::normalize(docs, &ctx);
    let text = if args.score {
        let score_ctx = match &pipeline {
            // What `jixiao run` would score with: the rubric, rules and plugins of [scoring].
            Some(p) => {
                let ctx = jixiao_driver::score_context(p)?;
                tracing::info!(
                    "scoring with the [scoring] of {} (year {}, {} rules, {} plugins)",
                    p.file.display(),
                    ctx.year,
                    ctx.rules.len(),
                    ctx.plugins.len()
                );
                ctx
            }
            // No pipeline: the built-in rubric, and the budget year most of the records carry.
            None => jixiao_score::ScoreContext::new(
                &Default::default(),
                std::path::Path::new("."),
                jixiao_driver::ledger_year(&ledger).unwrap_or(0),
                &Default::default(),
            )
            .map_err(|e| {
                let lines: Vec<String> = e.iter().map(|x| x.to_string()).collect();
                Failure::new(ExitStatus::Config, anyhow::anyhow!(lines.join("; ")))
            })?,
        };
        let scorecard = jixiao_score::score(&ledger, &score_ctx);
        match args.format {
            Format::Json => stages::pretty_json(&scorecard, "scores")?,
            Format::Table | Format::Cells => crate::view::scorecard(&scorecard).into_bytes(),
        }
    } else {
        match args.format {
            Format::Json => stages::pretty_json(&ledger, "records")?,
            Format::Table | Format::Cells => crate::view::ledger(&ledger).into_bytes(),
        }
    };
    print(text)?;
    let counts = Counts::of_ledger(&ledger);
    tracing::info!(
        "{} file{}, {} records, {} warnings, {} errors",
        files.len(),
        if files.len() == 1 { "" } else { "s" },
        counts.records,
        counts.warnings,
        counts.errors
    );
    Ok(exit::classify(&counts))
}

fn print(text: Vec<u8>) -> Result<(), Failure> {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(&text)
        .and_then(|_| stdout.flush())
        .context("cannot write to stdout")
        .map_err(|e| Failure::new(ExitStatus::Io, e))
}

/// The year most records carry (the earliest among equals), for scoring without a pipeline.
/// The pipeline `--pipeline` names, or ./pipeline.toml when scoring and it exists.
fn pipeline_for(args: &InspectArgs) -> Result<Option<jixiao_config::Pipeline>, Failure> {
    let default = std::path::Path::new(crate::pipeline_file::DEFAULT);
    match &args.pipeline {
        Some(path) => crate::pipeline_file::load(path).map(Some),
        None if args.score && default.is_file() => crate::pipeline_file::load(default).map(Some),
        None => Ok(None),
    }
}
