//! Loading `pipeline.toml` for the commands, with the two failure kinds schedulers must tell apart:
//! the file cannot be read (74, I/O) or it is not a valid pipeline (78, configuration).
//!
//! TEMPORARY BRIDGE: until `jixiao_config::load` / `starter_pipeline` land, [`parse`] reads the file
//! with serde into the config crate's own section types (so `deny_unknown_fields` and the types are
//! already the real ones) and [`starter`] returns a minimal starter. When the config crate has them,
//! both bodies become one-line calls and nothing else in the binary changes.

use std::path::Path;

use jixiao_config::{
    InputConfig, NormalizeConfig, OutputConfig, Pipeline, PipelineConfig, RenderConfig, RunConfig,
    ScoringConfig,
};
use jixiao_driver::ExitStatus;
use serde::Deserialize;

use crate::commands::Failure;

/// Reads and compiles a pipeline file. Every configuration problem is printed as
/// `file:line:col: error: message` before the failure is returned.
pub fn load(path: &Path) -> Result<Pipeline, Failure> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Failure::new(
            ExitStatus::Io,
            anyhow::anyhow!("cannot read pipeline file {}: {e}", path.display()),
        )
    })?;
    parse(path, &text).map_err(|errors| {
        for e in &errors {
            eprintln!("{e}");
        }
        Failure::new(
            ExitStatus::Config,
            anyhow::anyhow!(
                "{} is not a valid pipeline ({} error{})",
                path.display(),
                errors.len(),
                if errors.len() == 1 { "" } else { "s" }
            ),
        )
    })
}

/// The commented starter pipeline `jixiao init` writes.
pub fn starter() -> String {
    STARTER.to_string()
}

const STARTER: &str = r#"# jixiao pipeline: what to read and where to write.
[pipeline]
name = "绩效目标审核"
year = 2024                # the budget year under review
# as_of = "2024-03-31"     # date printed on packets; default SOURCE_DATE_EPOCH, else <year>-01-01

[[inputs]]
paths = ["samples/*.txt", "samples/extra/*.txt"]   # relative to this file
# encoding = "gb18030"     # force an encoding
# layout = "tabbed"        # force a layout

[output]
directory = "out"          # relative to this file
"#;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PipelineFile {
    pipeline: PipelineConfig,
    #[serde(default)]
    inputs: Vec<InputConfig>,
    #[serde(default)]
    normalize: NormalizeConfig,
    output: OutputConfig,
    #[serde(default)]
    run: RunConfig,
    #[serde(default)]
    scoring: ScoringConfig,
    #[serde(default)]
    render: RenderConfig,
}

/// `file:line:col: error: message` lines, or the pipeline.
fn parse(path: &Path, text: &str) -> Result<Pipeline, Vec<String>> {
    let file: PipelineFile = toml::from_str(text).map_err(|e| {
        let (line, col) = e.span().map(|s| line_col(text, s.start)).unwrap_or((1, 1));
        vec![format!(
            "{}:{line}:{col}: error: {}",
            path.display(),
            e.message()
        )]
    })?;
    Ok(Pipeline {
        file: path.to_path_buf(),
        base_dir: path.parent().map(Path::to_path_buf).unwrap_or_default(),
        pipeline: file.pipeline,
        inputs: file.inputs,
        normalize: file.normalize,
        output: file.output,
        run: file.run,
        scoring: file.scoring,
        render: file.render,
    })
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starter_parses() {
        let p = parse(Path::new("dir/pipeline.toml"), STARTER);
        assert!(p.is_ok(), "{:?}", p.err());
        assert_eq!(p.map(|p| p.base_dir).ok(), Some("dir".into()));
    }

    #[test]
    fn errors_carry_line_and_column() {
        let text =
            "[pipeline]\nname = \"x\"\nyear = 2024\nbogus = 1\n[output]\ndirectory = \"o\"\n";
        let errs = parse(Path::new("p.toml"), text).err().unwrap_or_default();
        assert_eq!(errs.len(), 1);
        assert!(errs[0].starts_with("p.toml:4:1: error:"), "{}", errs[0]);
    }
}
