//! `[scoring]`: which rubric scores the records, how it is tuned, and which plugins add checks.
//!
//! Everything is optional: an absent `[scoring]` means the default rubric of docs/scoring.md with no
//! plugins. Rubric settings can be written inline here or in a separate file (`rubric = "rubric.toml"`,
//! a [`RubricSettings`] document) that a bureau versions on its own; inline keys override the file's
//! key by key (check overrides merge per check id, caps are appended). The score stage resolves and
//! checks these values (unknown check ids, bands out of order, plugin params) — here they are only typed.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::plugins::PluginConfig;
use crate::rules::RuleConfig;

/// `[scoring]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoringConfig {
    /// A separate rubric file (relative to the pipeline file), parsed as [`RubricSettings`].
    pub rubric: Option<String>,
    /// Rubric name recorded in every output (default `默认审核规则`).
    pub name: Option<String>,
    /// Rubric version recorded in every output (default the crate's built-in rubric version).
    pub version: Option<String>,
    /// Per-check overrides keyed by check id (`A1` … `D4`).
    #[serde(default)]
    pub checks: BTreeMap<String, CheckOverride>,
    /// Replaces the built-in vague-word list of check B2.
    pub vague_words: Option<Vec<String>>,
    /// Added to the vague-word list (built-in or replaced).
    #[serde(default)]
    pub extra_vague_words: Vec<String>,
    /// Satisfaction thresholds of check D3.
    pub satisfaction: Option<SatisfactionBand>,
    /// Relative tolerance of check C2 (cost targets vs funds); default 0.01 (1 %).
    pub cost_tolerance: Option<f64>,
    /// Grade bands; default 90 / 80 / 60.
    pub bands: Option<BandsConfig>,
    /// Grade caps: a weak check limits the grade whatever the total.
    #[serde(default)]
    pub caps: Vec<CapConfig>,
    /// Thresholds of the corpus-level findings.
    pub findings: Option<FindingsConfig>,
    /// Dynamically loaded scoring plugins, in order.
    #[serde(default)]
    pub plugins: Vec<PluginConfig>,
    /// Local rules that need no program (`[[scoring.rules]]`), in order.
    #[serde(default)]
    pub rules: Vec<RuleConfig>,
}

impl ScoringConfig {
    /// The rubric keys written inline, in the shape of a rubric file (for overlaying).
    pub fn inline_rubric(&self) -> RubricSettings {
        RubricSettings {
            name: self.name.clone(),
            version: self.version.clone(),
            checks: self.checks.clone(),
            vague_words: self.vague_words.clone(),
            extra_vague_words: self.extra_vague_words.clone(),
            satisfaction: self.satisfaction.clone(),
            cost_tolerance: self.cost_tolerance,
            bands: self.bands.clone(),
            caps: self.caps.clone(),
            findings: self.findings.clone(),
        }
    }
}

/// A rubric file (`rubric = "rubric.toml"`): the same keys as `[scoring]` without `rubric` and
/// `plugins`, at the top level of the file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RubricSettings {
    /// Rubric name recorded in every output (`[scoring] name` overrides it).
    pub name: Option<String>,
    /// Rubric version recorded in every output (`[scoring] version` overrides it).
    pub version: Option<String>,
    /// Per-check overrides keyed by check id (`A1` … `D4`).
    #[serde(default)]
    pub checks: BTreeMap<String, CheckOverride>,
    /// Replaces the built-in vague-word list of check B2.
    pub vague_words: Option<Vec<String>>,
    /// Added to the vague-word list (built-in or replaced).
    #[serde(default)]
    pub extra_vague_words: Vec<String>,
    /// Satisfaction thresholds of check D3.
    pub satisfaction: Option<SatisfactionBand>,
    /// Relative tolerance of check C2 (cost targets vs funds); default 0.01 (1 %).
    pub cost_tolerance: Option<f64>,
    /// Grade bands; default 90 / 80 / 60.
    pub bands: Option<BandsConfig>,
    /// Grade caps: a weak check limits the grade whatever the total (inline caps are appended).
    #[serde(default)]
    pub caps: Vec<CapConfig>,
    /// Thresholds of the corpus-level findings.
    pub findings: Option<FindingsConfig>,
}

/// `[scoring.checks.B2]`: switch a check off or change its points.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckOverride {
    /// `false` drops the check: its points leave the maximum too (grades are on the share of points).
    pub enabled: Option<bool>,
    /// New maximum; the check's branches scale proportionally.
    pub points: Option<f64>,
}

/// `[scoring.satisfaction]`: check D3's bands on the satisfaction threshold (percent).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SatisfactionBand {
    /// Threshold at or above this (up to 100) earns full points. Default 80.
    #[serde(default = "default_sat_full")]
    pub full: f64,
    /// Threshold at or above this (below `full`) earns partial points. Default 60.
    #[serde(default = "default_sat_partial")]
    pub partial: f64,
}

fn default_sat_full() -> f64 {
    80.0
}
fn default_sat_partial() -> f64 {
    60.0
}

/// `[scoring.bands]`: a share of points ≥ `excellent` is 优, ≥ `good` 良, ≥ `fair` 中, else 差.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BandsConfig {
    /// Lowest percentage of points available that earns 优. Default 90.
    #[serde(default = "default_excellent")]
    pub excellent: f64,
    /// Lowest percentage of points available that earns 良. Default 80.
    #[serde(default = "default_good")]
    pub good: f64,
    /// Lowest percentage of points available that earns 中 (below it is 差). Default 60.
    #[serde(default = "default_fair")]
    pub fair: f64,
}

fn default_excellent() -> f64 {
    90.0
}
fn default_good() -> f64 {
    80.0
}
fn default_fair() -> f64 {
    60.0
}

/// `[[scoring.caps]]`: when check `check` scores below `below` points, the grade is at most
/// `max_grade` (`良`, `中` or `差`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CapConfig {
    /// Id of the check whose points trigger the cap (`A3`).
    pub check: String,
    /// Points on that check below which the cap applies.
    pub below: f64,
    /// The best grade a capped record can get: `良`, `中` or `差`.
    pub max_grade: String,
}

/// `[scoring.findings]`: thresholds of the corpus-level findings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FindingsConfig {
    /// Identical indicator text (name + value) in at least this many projects is reported. Default 5.
    #[serde(default = "default_copied_min")]
    pub copied_min_projects: usize,
    /// Whether satisfaction rows count for copied text (they are alike by nature). Default false.
    #[serde(default)]
    pub copied_include_satisfaction: bool,
    /// Identical text under at least this many benefit categories of one project is reported. Default 2.
    #[serde(default = "default_benefit_min")]
    pub benefit_copy_min_categories: usize,
}

fn default_copied_min() -> usize {
    5
}
fn default_benefit_min() -> usize {
    2
}

impl Default for FindingsConfig {
    fn default() -> Self {
        FindingsConfig {
            copied_min_projects: default_copied_min(),
            copied_include_satisfaction: false,
            benefit_copy_min_categories: default_benefit_min(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_scoring_is_default_rubric() {
        let c: ScoringConfig = toml::from_str("").unwrap();
        assert!(c.rubric.is_none() && c.plugins.is_empty() && c.checks.is_empty());
    }

    #[test]
    fn full_section_parses() {
        let c: ScoringConfig = toml::from_str(
            r#"
            rubric = "rubric.toml"
            extra_vague_words = ["有序"]
            cost_tolerance = 0.02
            [checks.B2]
            enabled = false
            [bands]
            excellent = 92
            [[caps]]
            check = "A3"
            below = 6
            max_grade = "中"
            [[plugins]]
            path = "libx.so"
            sha256 = "ab"
            weight = 0.5
            on_error = "fail"
            params = { banned = ["原则上"] }
            "#,
        )
        .unwrap();
        assert_eq!(c.checks["B2"].enabled, Some(false));
        assert_eq!(
            c.bands.as_ref().map(|b| (b.excellent, b.good)),
            Some((92.0, 80.0))
        );
        assert_eq!(c.plugins[0].on_error, crate::OnError::Fail);
        assert!(c.plugins[0].params.contains_key("banned"));
    }

    #[test]
    fn unknown_key_is_rejected() {
        let e = toml::from_str::<ScoringConfig>("vague = []").unwrap_err();
        assert!(e.to_string().contains("unknown field"), "{e}");
    }
}
