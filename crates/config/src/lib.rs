//! `pipeline.toml` → a typed, checked [`Pipeline`], with every problem reported at once as
//! `pipeline.toml:12:5: error: <message that names the fix>`.
//!
//! Map of the crate:
//! - `lib.rs`: the public types (the contract other crates code against) and the entry points
//!   [`load`], [`compile`], [`compile_with_env`], [`starter_pipeline`], [`built_in`] (no file).
//! - `raw.rs`: layer one — serde structs with `deny_unknown_fields` and `toml::Spanned` values, read
//!   section by section (and `[[inputs]]` entry by entry) from the parsed document, so a mistake in
//!   `[output]` does not hide one in `[[inputs]]`.
//! - `compile.rs`: layer two — the semantic checks, as-of date resolution, environment overrides.
//! - `labels.rs`: checks of `[normalize.labels]` keys ([`FIELD_KEYS`], [`FUNDS_KEYS`], [`TITLE_KEYS`]).
//! - `checker.rs`: `Checker`, the crate-visible problem collector. **Section modules report through
//!   it**: add `pub(crate) fn check(&self, ctx: &mut Checker<'_>)` to `scoring.rs` / `render.rs`, call
//!   `ctx.error_at(&["scoring", "bands", "good"], "… names the fix")` (the span is looked up by key
//!   path, so the public structs stay plain) or `ctx.error(span, …)`, and wire the hook in
//!   `compile.rs` where the comment says so.
//! - `error.rs`: [`ConfigError`] / [`ConfigErrors`] (1-based line, column in characters).
//! - `date.rs`: `YYYY-MM-DD` checks and `SOURCE_DATE_EPOCH` → date, by hand.
//! - `scoring.rs`, `render.rs`: the `[scoring]` and `[render]` sections (owned by their stages).
//!
//! The reference for users is docs/config.md; the bundled, commented /pipeline.toml is
//! [`starter_pipeline`] and is compiled by a test.

#![forbid(unsafe_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

mod checker;
mod compile;
mod date;
mod error;
mod labels;
mod plugins;
mod raw;
mod render;
mod rules;
mod scoring;
#[cfg(test)]
mod tests;

pub use error::{ConfigError, ConfigErrors};
pub use labels::{FIELD_KEYS, FUNDS_KEYS, TITLE_KEYS};
pub use plugins::{Isolation, OnError, PluginConfig, PluginSource};
pub use render::{FORMATS, FontsConfig, PacketFormat, RenderConfig};
pub use rules::RuleConfig;
pub use scoring::{
    BandsConfig, CapConfig, CheckOverride, FindingsConfig, RubricSettings, SatisfactionBand,
    ScoringConfig,
};

/// Why a pipeline file could not be loaded. The two kinds map to different exit codes (74 / 78).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file cannot be read at all.
    #[error("cannot read pipeline file {}", path.display())]
    Io {
        /// The pipeline file as given.
        path: PathBuf,
        /// The I/O error reading it.
        #[source]
        source: std::io::Error,
    },
    /// The file was read and is not a valid pipeline.
    #[error("{0}")]
    Invalid(#[from] ConfigErrors),
}

/// Reads and compiles a pipeline file with the process environment (`SOURCE_DATE_EPOCH`,
/// `JIXIAO_OUTPUT`). A file that is not UTF-8 is a configuration error, not an I/O error.
pub fn load(path: &Path) -> Result<Pipeline, LoadError> {
    let bytes = std::fs::read(path).map_err(|source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let text = String::from_utf8(bytes).map_err(|_| ConfigErrors {
        errors: vec![ConfigError::unplaced(
            path,
            "the file is not UTF-8 text: save it as UTF-8 (Chinese editors often default to GBK)"
                .into(),
        )],
    })?;
    Ok(compile(&text, path)?)
}

/// Compiles pipeline text; `file` is used for messages and as the base of relative paths. Reads
/// `SOURCE_DATE_EPOCH` and `JIXIAO_OUTPUT` from the process environment.
pub fn compile(text: &str, file: &Path) -> Result<Pipeline, ConfigErrors> {
    compile_with_env(text, file, &|name| std::env::var(name).ok())
}

/// [`compile`] with the environment given as a function (tests, or a caller that has its own).
pub fn compile_with_env(
    text: &str,
    file: &Path,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Pipeline, ConfigErrors> {
    // Windows editors save UTF-8 with a byte-order mark. The TOML parser skips it but counts it in
    // its spans, which would put every column of line 1 one too far right.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    compile::compile(text, file, env)
}

/// The commented starter pipeline `jixiao init` writes: the repository's own /pipeline.toml, so the
/// two cannot drift (a test compiles it).
pub fn starter_pipeline() -> &'static str {
    include_str!("../../../pipeline.toml")
}

/// What [`Pipeline::file`] says for a pipeline of the built-in defaults ([`built_in`]).
pub const BUILT_IN: &str = "(built-in defaults)";

/// The built-in defaults, for a run in a folder without a pipeline file: every setting
/// [`starter_pipeline`] (what `jixiao init` writes) has, but for
/// - `name`: `<year>年度预算项目绩效目标审核`;
/// - `year`: the caller's (read from the documents);
/// - `as_of`: the date of `SOURCE_DATE_EPOCH`, else January 1st of `year` (never the clock);
/// - no `[[inputs]]`: the caller names the files.
///
/// Relative paths (the output folder `out`) are relative to `base_dir`. `env` is the process
/// environment, as for [`compile_with_env`].
pub fn built_in(
    base_dir: &Path,
    year: i32,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Pipeline, ConfigErrors> {
    let file = PathBuf::from(BUILT_IN);
    let problem = |message: String| ConfigErrors {
        errors: vec![ConfigError::unplaced(&file, message)],
    };
    if !(2000..=2100).contains(&year) {
        return Err(problem(format!(
            "the budget year {year} is outside 2000–2100"
        )));
    }
    let as_of = match env("SOURCE_DATE_EPOCH").filter(|v| !v.trim().is_empty()) {
        Some(v) => date::date_from_epoch(&v).map_err(problem)?,
        None => format!("{year:04}-01-01"),
    };
    let mut pipeline = compile_with_env(starter_pipeline(), &base_dir.join("pipeline.toml"), env)?;
    pipeline.file = file;
    pipeline.base_dir = base_dir.to_path_buf();
    pipeline.pipeline = PipelineConfig {
        name: format!("{year}年度预算项目绩效目标审核"),
        year,
        as_of: Some(as_of),
        jurisdiction: None,
    };
    pipeline.inputs.clear();
    Ok(pipeline)
}

/// A compiled pipeline: every path resolved against the pipeline file's folder.
#[derive(Debug, Clone)]
pub struct Pipeline {
    /// The pipeline file (for messages and the manifest).
    pub file: PathBuf,
    /// Folder relative paths are resolved against.
    pub base_dir: PathBuf,
    /// `[pipeline]`: name, budget year and as-of date.
    pub pipeline: PipelineConfig,
    /// `[[inputs]]`: groups of input files, in file order (none for [`built_in`]).
    pub inputs: Vec<InputConfig>,
    /// `[limits]`: what a reader may take from one file.
    pub limits: jixiao_core::ReadLimits,
    /// `[normalize]`: extra label synonyms and the default money unit.
    pub normalize: NormalizeConfig,
    /// `[output]`: where the packet is written.
    pub output: OutputConfig,
    /// `[run]`: worker threads.
    pub run: RunConfig,
    /// `[scoring]`: rubric tuning and plugins.
    pub scoring: ScoringConfig,
    /// `[render]`: packet formats, templates and fonts.
    pub render: RenderConfig,
}

impl Pipeline {
    /// The run's as-of date `YYYY-MM-DD`. [`compile`] always resolves it into `pipeline.as_of`
    /// (the file, else `SOURCE_DATE_EPOCH`, else January 1st of the budget year); for a pipeline
    /// built by hand without one, January 1st of the budget year.
    pub fn as_of(&self) -> String {
        match &self.pipeline.as_of {
            Some(date) => date.clone(),
            None => format!("{:04}-01-01", self.pipeline.year),
        }
    }

    /// The date departments are to resubmit by: `[render] resubmit_by`, else 15 days after the
    /// as-of date.
    pub fn resubmit_by(&self) -> String {
        if let Some(date) = &self.render.resubmit_by {
            return date.clone();
        }
        let as_of = self.as_of();
        let num = |r: std::ops::Range<usize>| as_of.get(r).and_then(|t| t.parse::<i64>().ok());
        match (num(0..4), num(5..7), num(8..10)) {
            (Some(y), Some(m), Some(d)) => {
                let (y, m, d) =
                    jixiao_core::civil_from_days(jixiao_core::days_from_civil(y, m, d) + 15);
                format!("{y:04}-{m:02}-{d:02}")
            }
            _ => as_of,
        }
    }

    /// What the run is pinned to: budget year and as-of date.
    pub fn run_context(&self) -> jixiao_core::RunContext {
        jixiao_core::RunContext {
            year: self.pipeline.year,
            as_of: self.as_of(),
        }
    }
}

/// `[pipeline]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PipelineConfig {
    /// Name of the review, printed on every packet (non-empty).
    pub name: String,
    /// Budget year under review.
    pub year: i32,
    /// `YYYY-MM-DD`. As written it is optional; after [`compile`] it is always `Some`: the file's
    /// value, else the date of `SOURCE_DATE_EPOCH` (UTC), else `<year>-01-01`. Never the clock.
    pub as_of: Option<String>,
    /// The place the review covers (`攀枝花市西区`), as units' names start with it; documents whose
    /// units belong to another place are flagged (`document-other-jurisdiction`). `None`: not checked.
    /// Read from the raw TOML and checked by [`compile`].
    #[serde(skip)]
    pub jurisdiction: Option<jixiao_core::Locality>,
}

/// One `[[inputs]]` entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputConfig {
    /// Paths or glob patterns, relative to the pipeline file.
    pub paths: Vec<String>,
    /// Encoding label (WHATWG names: `utf-8`, `gb18030`, `gbk` ...); `None`: detected per file.
    pub encoding: Option<String>,
    /// A forced layout (`layout = "cell-per-line"`), checked once when the pipeline is compiled.
    pub layout: Option<jixiao_core::Layout>,
}

/// `[normalize]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NormalizeConfig {
    /// Extra label synonyms, merged into the built-in dictionary.
    #[serde(default)]
    pub labels: LabelsConfig,
    /// The unit of funds amounts a table writes without one (`万元` unless the inputs say otherwise).
    #[serde(default)]
    pub money_unit: MoneyUnit,
}

/// `[normalize] money_unit`: what a bare funds amount means.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub enum MoneyUnit {
    /// Bare amounts are in 万元 (the default).
    #[default]
    #[serde(rename = "万元")]
    Wan,
    /// Bare amounts are in 元 and are converted to 万元.
    #[serde(rename = "元")]
    Yuan,
}

/// A label dictionary: canonical name → synonyms as written. The built-in dictionary of the normaliser
/// uses this same shape, so `[normalize.labels]` extends it entry by entry.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelsConfig {
    /// Header fields and structural labels: one of [`FIELD_KEYS`] or `attribute:<canonical>`.
    #[serde(default)]
    pub fields: BTreeMap<String, Vec<String>>,
    /// Keys are the canonical 一级 names (`产出指标` ...).
    #[serde(default)]
    pub level1: BTreeMap<String, Vec<String>>,
    /// Keys are the canonical 二级 names (`数量指标` ...).
    #[serde(default)]
    pub level2: BTreeMap<String, Vec<String>>,
    /// Funds rows: one of [`FUNDS_KEYS`] (`total`, `fiscal`, `other`, `items`).
    #[serde(default)]
    pub funds: BTreeMap<String, Vec<String>>,
    /// Words of titles and form lines: one of [`TITLE_KEYS`] (`target`, `not_target`, `department`,
    /// `name_suffixes`, `footer`, `approval`).
    #[serde(default)]
    pub titles: BTreeMap<String, Vec<String>>,
}

/// `[output]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutputConfig {
    /// Relative to the pipeline file; `JIXIAO_OUTPUT` overrides it (relative to the working
    /// directory, like `--out`), and [`compile`] then stores the absolute path here.
    pub directory: String,
    /// Also write `records.jsonl` and `scores.jsonl`: one JSON object per line per record, for
    /// tools that stream (jq, pandas `read_json(lines=True)`, a database loader).
    #[serde(default)]
    pub json_lines: bool,
}

/// `[run]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunConfig {
    /// Worker threads; 0 or absent = all cores, 1 = serial; at most 256.
    pub jobs: Option<usize>,
}
