//! `jixiao validate [PIPELINE]`: everything `run` checks before working (configuration, label
//! dictionary, rubric, plugins, templates and fonts, input patterns), without writing anything.
//! Configuration errors print as `file:line:col: error: …` and exit 78.

use jixiao_driver::{ExitStatus, RunOverrides, input_specs, inputs};

use super::{Failure, Outcome};
use crate::cli::ValidateArgs;

pub(super) fn execute(args: &ValidateArgs) -> Outcome {
    let pipeline = crate::pipeline_file::load(&args.pipeline)?;
    // Every stage context is built as `run` builds it (the driver's own builders): the label
    // dictionary, the rubric and every plugin (pins, ABI versions, params).
    let config_error = |e: jixiao_driver::DriverError| {
        Failure::new(
            ExitStatus::Config,
            anyhow::anyhow!("{}: {e}", args.pipeline.display()),
        )
    };
    jixiao_driver::normalize_context(&pipeline).map_err(config_error)?;
    let scoring = jixiao_driver::score_context(&pipeline).map_err(config_error)?;
    for d in &scoring.diagnostics {
        tracing::warn!("{}: {}", args.pipeline.display(), d.message);
    }
    // Templates are compiled and fonts resolved as `run` would; the fonts in use are listed.
    let render = jixiao_driver::render_context(&pipeline).map_err(config_error)?;
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
