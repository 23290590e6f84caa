//! `pipeline.toml` → a typed, checked [`Pipeline`] (stub: being written; the types are the contract).

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Deserialize;

mod render;
mod scoring;

pub use render::RenderConfig;
pub use scoring::{
    BandsConfig, CapConfig, CheckOverride, FindingsConfig, OnError, PluginConfig, RubricSettings,
    SatisfactionBand, ScoringConfig,
};

/// A compiled pipeline: every path resolved against the pipeline file's folder.
#[derive(Debug, Clone)]
pub struct Pipeline {
    /// The pipeline file (for messages and the manifest).
    pub file: PathBuf,
    /// Folder relative paths are resolved against.
    pub base_dir: PathBuf,
    pub pipeline: PipelineConfig,
    pub inputs: Vec<InputConfig>,
    pub normalize: NormalizeConfig,
    pub output: OutputConfig,
    pub run: RunConfig,
    pub scoring: ScoringConfig,
    pub render: RenderConfig,
}

/// `[pipeline]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PipelineConfig {
    pub name: String,
    /// Budget year under review.
    pub year: i32,
    /// `YYYY-MM-DD`; falls back to `SOURCE_DATE_EPOCH`, then to `<year>-01-01`. Never the clock.
    pub as_of: Option<String>,
}

/// One `[[inputs]]` entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputConfig {
    /// Paths or glob patterns, relative to the pipeline file.
    pub paths: Vec<String>,
    pub encoding: Option<String>,
    /// One of `jixiao_core::Layout`'s names (`tabbed`, `cell-per-line`, ...).
    pub layout: Option<String>,
}

/// `[normalize]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NormalizeConfig {
    /// Extra label synonyms, merged into the built-in dictionary.
    #[serde(default)]
    pub labels: LabelsConfig,
}

/// A label dictionary: canonical name → synonyms as written. The built-in dictionary of the normaliser
/// uses this same shape, so `[normalize.labels]` extends it entry by entry.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelsConfig {
    /// Header fields: `name`, `code`, `unit`, `supervisor`, `goal`, `funds_use`, `spending_plan`,
    /// `attribute:<canonical>` ...
    #[serde(default)]
    pub fields: BTreeMap<String, Vec<String>>,
    /// Keys are the canonical 一级 names (`产出指标` ...).
    #[serde(default)]
    pub level1: BTreeMap<String, Vec<String>>,
    /// Keys are the canonical 二级 names (`数量指标` ...).
    #[serde(default)]
    pub level2: BTreeMap<String, Vec<String>>,
    /// Funds rows: `total`, `fiscal`, `other`.
    #[serde(default)]
    pub funds: BTreeMap<String, Vec<String>>,
}

/// `[output]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutputConfig {
    pub directory: String,
}

/// `[run]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunConfig {
    /// Worker threads; 0 or absent = all cores, 1 = serial.
    pub jobs: Option<usize>,
}
