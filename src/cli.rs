//! The command line, declared with clap's derive API. Parsing only: each subcommand's behaviour lives
//! in `commands/<name>.rs`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use jixiao_core::Layout;

const AFTER_HELP: &str = "\
Examples:
  jixiao run                                  run ./pipeline.toml, write records.json to its output folder
  jixiao run pipeline.toml --out /srv/jixiao  same, into another folder
  jixiao run --input 'incoming/*.txt' --quiet read other files; print only errors (for cron)
  jixiao run tables/*.docx                    read these files; without a ./pipeline.toml, with the
                                              built-in defaults (the budget year from the documents)
  jixiao inspect samples/001-*.txt --format table
  jixiao validate pipeline.toml
  jixiao init my-bureau

Exit codes: 0 ok; 1 finished, but some input or table had errors; 2 usage; 65 no usable input;
74 I/O error; 75 another run holds the output lock (retry later); 78 invalid configuration.
See docs/exit-codes.md.";

/// jixiao reads budget performance-target tables (绩效目标表), turns them into records and reports.
#[derive(Debug, Parser)]
#[command(name = "jixiao", version, about, after_help = AFTER_HELP)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub log: LogArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Logging flags, accepted before or after the subcommand.
#[derive(Debug, Args)]
pub(crate) struct LogArgs {
    /// Only print errors (no progress, no summary).
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// Log format on stderr: `human`, or `json` (one object per line, for log collectors).
    #[arg(long, value_enum, default_value_t = LogFormat::Human, global = true, env = "JIXIAO_LOG_FORMAT")]
    pub log_format: LogFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum LogFormat {
    Human,
    Json,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Read files and print their records (nothing is written).
    #[command(after_help = "Examples:\n  jixiao inspect samples/000-*.txt\n  \
        jixiao inspect --format table --layout cell-per-line form.txt\n  \
        jixiao inspect --encoding gb18030 old.txt > old.json")]
    Inspect(InspectArgs),
    /// Run a pipeline: read its inputs, write records.json and manifest.json atomically.
    #[command(
        after_help = "Examples:\n  jixiao run\n  jixiao run /etc/jixiao/pipeline.toml --jobs 2 \
        --log-format json\n  jixiao run --input 'samples/*.txt' --out /tmp/out"
    )]
    Run(RunArgs),
    /// Check a pipeline file and list what it would read, without writing anything.
    #[command(after_help = "Examples:\n  jixiao validate\n  jixiao validate bureau/pipeline.toml")]
    Validate(ValidateArgs),
    /// Write a commented starter pipeline.toml (never overwrites).
    #[command(after_help = "Examples:\n  jixiao init\n  jixiao init my-bureau")]
    Init(InitArgs),
    /// Show or verify scoring plugins without running a pipeline.
    #[command(subcommand)]
    Plugins(PluginsCommand),
    /// Internal: runs one plugin library for the host, speaking the plugin protocol on
    /// stdin/stdout (process isolation; see docs/plugins.md).
    #[command(name = jixiao_score::WORKER_ARG, hide = true)]
    PluginWorker(PluginWorkerArgs),
}

#[derive(Debug, Args)]
pub(crate) struct PluginWorkerArgs {
    /// The plugin library.
    pub library: PathBuf,
    /// The library's pinned SHA-256, checked again on the bytes this worker opens.
    #[arg(long)]
    pub sha256: Option<String>,
    /// Accept a library other users may write (`allow_writable = true`).
    #[arg(long)]
    pub allow_writable: bool,
}

#[derive(Debug, Subcommand)]
pub(crate) enum PluginsCommand {
    /// Load the plugins a pipeline configures (pins, ABI, params) and print their manifests.
    #[command(
        after_help = "Examples:\n  jixiao plugins list\n  jixiao plugins list bureau/pipeline.toml"
    )]
    List(ValidateArgs),
    /// Load one plugin library through the real host and print its manifest and sha256.
    #[command(
        after_help = "Examples:\n  jixiao plugins check target/release/libjixiao_plugin_local_rules.so"
    )]
    Check(PluginCheckArgs),
    /// Run a plugin on test cases and compare its checks and points with the expected ones.
    #[command(
        after_help = "Examples:\n  jixiao plugins test --case rules/cases.json python3 rules/my_rules.py\n  \
        jixiao plugins test --case cases.json target/release/libmy_rules.so\n\n\
        Exit codes: 0 every case passed; 1 some case failed; 78 the case file or the plugin cannot be loaded."
    )]
    Test(PluginTestArgs),
}

#[derive(Debug, Args)]
pub(crate) struct PluginTestArgs {
    /// The test cases: records or table files in, expected checks and points out (docs/plugins.md).
    #[arg(long)]
    pub case: PathBuf,
    /// The plugin: a library file (`.so`, `.dylib`, `.dll`), or a command and its arguments
    /// (`python3 rules/my_rules.py`).
    #[arg(required = true, num_args = 1.., trailing_var_arg = true, allow_hyphen_values = true)]
    pub plugin: Vec<String>,
}

#[derive(Debug, Args)]
pub(crate) struct PluginCheckArgs {
    /// The plugin library (`.so`, `.dylib`, `.dll`).
    pub path: PathBuf,
}

#[derive(Debug, Args)]
pub(crate) struct InspectArgs {
    /// Files to read.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    pub format: Format,
    /// Force a layout instead of detecting it.
    #[arg(long, value_parser = parse_layout)]
    pub layout: Option<Layout>,
    /// Force an encoding (`utf-8`, `gb18030`, `utf-16le`, `big5` ...) instead of detecting it.
    #[arg(long)]
    pub encoding: Option<String>,
    /// Print each record's score card instead of the records: total, grade, every check, every
    /// deduction with its evidence. JSON: the scorecard (`scores.json` shape). Scored with the
    /// pipeline's `[scoring]` — rubric, rules, plugins — and year when there is a pipeline file
    /// (`--pipeline`, else ./pipeline.toml), else with the built-in rubric.
    #[arg(long)]
    pub score: bool,
    /// The pipeline whose label synonyms, `[scoring]` and budget year apply (default: ./pipeline.toml
    /// when it exists, for --score).
    #[arg(long, env = "JIXIAO_PIPELINE")]
    pub pipeline: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// `{"documents": [...]}`, the documented JSON contract (docs/json-contract.md).
    Json,
    /// A readable text view, one block per record.
    Table,
    /// The rows of cells the reader produced, before table understanding (`line: cell | cell`):
    /// to check how a file's layout was read.
    Cells,
}

#[derive(Debug, Args)]
pub(crate) struct RunArgs {
    /// The pipeline file (`*.toml`) and/or the files to read. Without a pipeline file named here
    /// or in JIXIAO_PIPELINE, ./pipeline.toml is used; in a folder without one, the built-in
    /// defaults (those `jixiao init` writes, the budget year read from the documents).
    #[arg(value_name = "PIPELINE_OR_FILES")]
    pub paths: Vec<PathBuf>,
    /// Read these paths or globs instead of the pipeline's `[[inputs]]` (repeatable; relative to the
    /// current directory).
    #[arg(long = "input", value_name = "PATH_OR_GLOB")]
    pub inputs: Vec<String>,
    /// Write into this folder instead of the pipeline's `[output] directory`.
    #[arg(long, value_name = "DIR", env = "JIXIAO_OUTPUT")]
    pub out: Option<PathBuf>,
    /// Worker threads (1 = serial, 0 = all cores). Never changes the output.
    #[arg(long, short, value_name = "N", env = "JIXIAO_JOBS")]
    pub jobs: Option<usize>,
    /// Do nothing (exit 0) when no input, pipeline, rubric or plugin changed since the packet in the
    /// output folder was made (read from its manifest.json). For frequent scheduled runs.
    #[arg(long, alias = "since-manifest")]
    pub skip_unchanged: bool,
}

#[derive(Debug, Args)]
pub(crate) struct ValidateArgs {
    /// The pipeline file.
    #[arg(default_value = "pipeline.toml", env = "JIXIAO_PIPELINE")]
    pub pipeline: PathBuf,
}

#[derive(Debug, Args)]
pub(crate) struct InitArgs {
    /// Folder to write pipeline.toml into (created when missing).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
}

fn parse_layout(name: &str) -> Result<Layout, String> {
    Layout::parse(name).ok_or_else(|| {
        format!(
            "unknown layout {name:?}; expected one of: {}",
            Layout::ALL.map(Layout::as_str).join(", ")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn layout_names_parse() {
        assert_eq!(parse_layout("cell-per-line"), Ok(Layout::CellPerLine));
        assert!(parse_layout("diagonal").is_err());
    }
}
