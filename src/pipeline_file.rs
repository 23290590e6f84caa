//! Loading `pipeline.toml` for the commands, with the two failure kinds schedulers must tell apart:
//! the file cannot be read (74, I/O) or it is not a valid pipeline (78, configuration); and, for
//! `run` in a folder without one, the built-in defaults.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use jixiao_config::{LoadError, Pipeline};
use jixiao_driver::{ExitStatus, RunOverrides};

use crate::commands::Failure;

/// Reads and compiles a pipeline file. Every configuration problem is printed to stderr as
/// `file:line:col: error: message` (with the source line and a caret on a terminal) before the
/// failure is returned.
pub(crate) fn load(path: &Path) -> Result<Pipeline, Failure> {
    jixiao_config::load(path).map_err(|e| match e {
        LoadError::Io { ref source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
            let hint = if path == Path::new(DEFAULT) {
                "; create one here with `jixiao init`, or name the files to read: \
                 `jixiao run FILE…` or `jixiao run --input 'folder/*.txt'`"
            } else {
                "; check the path, or create a pipeline with `jixiao init FOLDER`"
            };
            Failure::new(
                ExitStatus::Io,
                anyhow::anyhow!("there is no pipeline file {}{hint}", path.display()),
            )
        }
        LoadError::Io { .. } => Failure::new(ExitStatus::Io, e),
        LoadError::Invalid(errors) => {
            // Plain lines when stderr is a file or a pipe: schedulers and editors parse them.
            if std::io::stderr().is_terminal() {
                eprint!("{}", errors.report());
            } else {
                eprintln!("{errors}");
            }
            let n = errors.errors.len();
            Failure::new(
                ExitStatus::Config,
                anyhow::anyhow!(
                    "{} is not a valid pipeline ({n} error{})",
                    path.display(),
                    if n == 1 { "" } else { "s" }
                ),
            )
        }
    })
}

/// The pipeline file a command reads when none is named.
pub(crate) const DEFAULT: &str = "pipeline.toml";

/// `jixiao run`'s positional paths: at most one pipeline file (`*.toml`), the rest files or
/// globs to read.
pub(crate) fn split_run_paths(
    paths: &[PathBuf],
) -> Result<(Option<PathBuf>, Vec<String>), Failure> {
    let (tomls, files): (Vec<&PathBuf>, Vec<&PathBuf>) = paths.iter().partition(|p| {
        p.extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("toml"))
    });
    if tomls.len() > 1 {
        return Err(Failure::new(
            ExitStatus::Usage,
            anyhow::anyhow!(
                "{} pipeline files named ({}): name one",
                tomls.len(),
                tomls
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    let files = files
        .into_iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    Ok((tomls.first().map(|p| p.to_path_buf()), files))
}

/// The pipeline of a run: the file named, else `JIXIAO_PIPELINE`, else `./pipeline.toml` when it
/// exists, else — when files to read are named — the built-in defaults with the budget year the
/// documents state (said on stderr). With no pipeline and no files, the error says what to do.
pub(crate) fn for_run(
    named: Option<PathBuf>,
    overrides: &RunOverrides,
) -> Result<Pipeline, Failure> {
    let chosen = named
        .or_else(|| std::env::var_os("JIXIAO_PIPELINE").map(PathBuf::from))
        .or_else(|| Path::new(DEFAULT).exists().then(|| PathBuf::from(DEFAULT)));
    match chosen {
        Some(path) => load(&path),
        None if overrides.inputs.is_empty() => load(Path::new(DEFAULT)),
        None => built_in(overrides),
    }
}

/// The built-in defaults for the current folder, with the year the documents state.
fn built_in(overrides: &RunOverrides) -> Result<Pipeline, Failure> {
    let here = std::env::current_dir()
        .map_err(|e| Failure::new(ExitStatus::Io, anyhow::anyhow!("no current folder: {e}")))?;
    let env = |name: &str| std::env::var(name).ok();
    let config = |e: jixiao_config::ConfigErrors| Failure::new(ExitStatus::Config, e);
    // Any valid year: a document's own year does not depend on the pipeline's.
    let provisional = jixiao_config::built_in(&here, 2000, &env).map_err(config)?;
    let year = jixiao_driver::documents_year(&provisional, overrides)?.ok_or_else(|| {
        Failure::new(
            ExitStatus::Config,
            anyhow::anyhow!(
                "no pipeline.toml here, and no document states its budget year (预算年度) in \
                 its title: create a pipeline with `jixiao init`, set `year` under [pipeline], \
                 and run `jixiao run pipeline.toml FILE…`"
            ),
        )
    })?;
    let pipeline = jixiao_config::built_in(&here, year, &env).map_err(config)?;
    tracing::info!(
        "no pipeline.toml here: using the built-in defaults (those `jixiao init` writes), budget \
         year {year} as the documents state it, output to {}",
        jixiao_driver::output_dir(&pipeline, overrides).display()
    );
    Ok(pipeline)
}

/// The commented starter pipeline `jixiao init` writes: the bundled /pipeline.toml.
pub(crate) fn starter() -> &'static str {
    jixiao_config::starter_pipeline()
}
