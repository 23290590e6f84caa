//! `jixiao validate [PIPELINE]`: everything `run` checks before working (configuration, label
//! dictionary, rubric, plugins, templates and fonts, input patterns), without writing anything.
//! Configuration errors print as `file:line:col: error: …` and exit 78.

use jixiao_driver::{ExitStatus, RunOverrides, input_specs, inputs};
use jixiao_normalize::NormalizeContext;

use super::{Failure, Outcome};
use crate::cli::ValidateArgs;

pub fn execute(args: &ValidateArgs) -> Outcome {
    let pipeline = crate::pipeline_file::load(&args.pipeline)?;
    NormalizeContext::new(&pipeline.normalize, Some(pipeline.pipeline.year)).map_err(|e| {
        Failure::new(
            ExitStatus::Config,
            anyhow::anyhow!("{}: [normalize.labels]: {e}", args.pipeline.display()),
        )
    })?;
    // The rubric and every plugin are loaded as `run` would: pins, ABI versions and params checked.
    let scoring = jixiao_score::ScoreContext::new(
        &pipeline.scoring,
        &pipeline.base_dir,
        pipeline.pipeline.year,
    )
    .map_err(|errors| {
        let lines: Vec<String> = errors
            .iter()
            .map(|e| format!("{}: [scoring]: {e}", args.pipeline.display()))
            .collect();
        Failure::new(ExitStatus::Config, anyhow::anyhow!(lines.join("\n")))
    })?;
    for d in &scoring.diagnostics {
        tracing::warn!("{}: {}", args.pipeline.display(), d.message);
    }
    // Templates are compiled and fonts resolved as `run` would; the fonts in use are listed.
    let render = jixiao_driver::render_context(&pipeline).map_err(|e| {
        Failure::new(
            ExitStatus::Config,
            anyhow::anyhow!("{}: [render]: {e}", args.pipeline.display()),
        )
    })?;
    for (name, source) in render
        .wording
        .sources
        .iter()
        .filter(|(_, s)| *s != "bundled")
    {
        tracing::info!("{}: template {name} from {source}", args.pipeline.display());
    }
    if let Some(fonts) = &render.fonts {
        for (role, name) in fonts.describe() {
            tracing::info!("{}: PDF {role} font: {name}", args.pipeline.display());
        }
    }
    let specs = input_specs(&pipeline, &RunOverrides::default());
    let resolved = inputs::resolve(&specs, &pipeline.base_dir)?;
    for d in &resolved.diagnostics {
        // Not a config error: the files may arrive before the scheduled run.
        tracing::warn!("{}: {}", args.pipeline.display(), d.message);
    }
    tracing::info!(
        "{}: valid; {} input pattern{} matching {} file{}, output {}",
        args.pipeline.display(),
        specs.len(),
        if specs.len() == 1 { "" } else { "s" },
        resolved.files.len(),
        if resolved.files.len() == 1 { "" } else { "s" },
        jixiao_driver::output_dir(&pipeline, &RunOverrides::default()).display()
    );
    Ok(ExitStatus::Ok)
}
