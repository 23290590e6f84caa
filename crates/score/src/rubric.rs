//! The rubric in force: built-in defaults, overlaid by the rubric file (`[scoring] rubric = ...`),
//! overlaid by the inline `[scoring]` keys. Every problem is collected before failing, so a bureau
//! sees all of them at once.

use std::path::{Path, PathBuf};

use jixiao_config::{FindingsConfig, RubricSettings, ScoringConfig};
use jixiao_core::{CheckInfo, Grade, GradeBands};

use crate::checks::{BUILTIN, CheckDef};

/// Name and version recorded when a configuration does not set its own.
pub(crate) const DEFAULT_RUBRIC_NAME: &str = "默认审核规则";
pub(crate) const DEFAULT_RUBRIC_VERSION: &str = "2024.1";

/// B2's built-in vague words (domain rubric).
pub(crate) const DEFAULT_VAGUE_WORDS: &[&str] = &[
    "浓厚",
    "大幅",
    "合理化",
    "提高",
    "提升",
    "明显",
    "显著",
    "有效",
    "及时",
    "加强",
    "增强",
    "改善",
    "促进",
    "稳步",
    "进一步",
    "持续",
    "逐步",
    "良好",
    "满意",
    "正常",
    "确保",
    "保障",
    "按时",
    "按期",
    "按计划",
    "较好",
    "全面",
    "不断",
    "积极",
    "切实",
    "稳定",
    "完善",
    "规范",
    "顺利",
    "圆满",
    "到位",
    "落实",
];

/// A problem with the scoring configuration or the rubric file.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RubricError {
    /// The rubric file (`[scoring] rubric = ...`) cannot be read.
    #[error("cannot read rubric file {path}: {message}")]
    Read {
        /// The rubric file, joined to pipeline.toml's folder.
        path: PathBuf,
        /// The I/O error.
        message: String,
    },
    /// The rubric file is not valid TOML or has unknown or mistyped keys.
    #[error("{path}:{line}:{column}: {message}")]
    Parse {
        /// The rubric file, joined to pipeline.toml's folder.
        path: PathBuf,
        /// 1-based line of the error.
        line: u32,
        /// 1-based column of the error, in characters.
        column: u32,
        /// The TOML parser's message.
        message: String,
    },
    /// A value that parses but is not allowed (unknown check id, negative points, bands out of
    /// order, a bad cap, tolerance or satisfaction band); the message names the key.
    #[error("[scoring] {0}")]
    Invalid(String),
}

/// A built-in check as configured: its definition and the points it is worth now.
#[derive(Debug, Clone)]
pub struct ActiveCheck {
    pub def: &'static CheckDef,
    pub max_points: f64,
}

/// A grade cap: below `below` points on `check`, the grade is at most `max_grade`.
#[derive(Debug, Clone, PartialEq)]
pub struct Cap {
    pub check: String,
    pub below: f64,
    pub max_grade: Grade,
}

/// The resolved rubric.
#[derive(Debug, Clone)]
pub struct Rubric {
    /// The rubric's name, recorded in every output (default `默认审核规则`).
    pub name: String,
    /// The rubric's version, recorded in every output (default `2024.1`).
    pub version: String,
    /// Enabled built-in checks in rubric order.
    pub checks: Vec<ActiveCheck>,
    /// B2's vague words: the built-in list or `vague_words`, plus `extra_vague_words`.
    pub vague_words: Vec<String>,
    /// D3: a satisfaction target in [this, 100] earns full points (default 80).
    pub satisfaction_full: f64,
    /// D3: a satisfaction target in [this, `satisfaction_full`) earns partial points (default 60).
    pub satisfaction_partial: f64,
    /// C2 and `cost-over-funds`: the allowed relative gap between cost totals and funds, as a
    /// fraction (default 0.01 = 1 %).
    pub cost_tolerance: f64,
    /// Grade thresholds on `100 × total / max_points` (default 90 / 80 / 60).
    pub bands: GradeBands,
    /// Grade caps (`[[scoring.caps]]`), applied after the bands.
    pub caps: Vec<Cap>,
    /// Thresholds of the corpus-level findings (`[scoring.findings]`).
    pub findings: FindingsConfig,
}

impl Default for Rubric {
    fn default() -> Self {
        Rubric {
            name: DEFAULT_RUBRIC_NAME.to_string(),
            version: DEFAULT_RUBRIC_VERSION.to_string(),
            checks: BUILTIN
                .iter()
                .map(|def| ActiveCheck {
                    def,
                    max_points: def.max_points,
                })
                .collect(),
            vague_words: DEFAULT_VAGUE_WORDS.iter().map(|w| w.to_string()).collect(),
            satisfaction_full: 80.0,
            satisfaction_partial: 60.0,
            cost_tolerance: 0.01,
            bands: GradeBands {
                excellent: 90.0,
                good: 80.0,
                fair: 60.0,
            },
            caps: Vec::new(),
            findings: FindingsConfig::default(),
        }
    }
}

impl Rubric {
    /// Defaults ← rubric file ← inline `[scoring]` keys.
    pub fn resolve(config: &ScoringConfig, base_dir: &Path) -> Result<Rubric, Vec<RubricError>> {
        let mut rubric = Rubric::default();
        let mut errors = Vec::new();
        if let Some(file) = &config.rubric {
            match load_file(&base_dir.join(file)) {
                Ok(settings) => rubric.overlay(&settings, &mut errors),
                Err(e) => errors.push(e),
            }
        }
        rubric.overlay(&config.inline_rubric(), &mut errors);
        rubric.validate(&mut errors);
        if errors.is_empty() {
            Ok(rubric)
        } else {
            Err(errors)
        }
    }

    fn overlay(&mut self, s: &RubricSettings, errors: &mut Vec<RubricError>) {
        if let Some(n) = &s.name {
            self.name = n.clone();
        }
        if let Some(v) = &s.version {
            self.version = v.clone();
        }
        for (id, o) in &s.checks {
            let Some(def) = BUILTIN.iter().find(|d| d.id == id) else {
                let known: Vec<&str> = BUILTIN.iter().map(|d| d.id).collect();
                errors.push(RubricError::Invalid(format!(
                    "checks.{id}: no such check; known checks are {}",
                    known.join(", ")
                )));
                continue;
            };
            let pos = self.checks.iter().position(|c| c.def.id == id);
            match (o.enabled, pos) {
                (Some(false), Some(i)) => {
                    self.checks.remove(i);
                }
                (Some(false), None) => {}
                (_, Some(i)) => {
                    if let (Some(p), Some(c)) = (o.points, self.checks.get_mut(i)) {
                        c.max_points = p;
                    }
                }
                (_, None) => {
                    // Re-enabled by a later layer: put it back in rubric order.
                    let max_points = o.points.unwrap_or(def.max_points);
                    self.checks.push(ActiveCheck { def, max_points });
                    self.checks
                        .sort_by_key(|c| BUILTIN.iter().position(|d| d.id == c.def.id));
                }
            }
            if let Some(p) = o.points
                && !(p.is_finite() && p >= 0.0)
            {
                errors.push(RubricError::Invalid(format!(
                    "checks.{id}.points = {p}: points must be a number ≥ 0"
                )));
            }
        }
        if let Some(words) = &s.vague_words {
            self.vague_words = words.clone();
        }
        self.vague_words.extend(s.extra_vague_words.iter().cloned());
        if let Some(sat) = &s.satisfaction {
            self.satisfaction_full = sat.full;
            self.satisfaction_partial = sat.partial;
        }
        if let Some(t) = s.cost_tolerance {
            self.cost_tolerance = t;
        }
        if let Some(b) = &s.bands {
            self.bands = GradeBands {
                excellent: b.excellent,
                good: b.good,
                fair: b.fair,
            };
        }
        for cap in &s.caps {
            let grade = Grade::ALL.into_iter().find(|g| g.as_str() == cap.max_grade);
            match grade {
                Some(max_grade) => self.caps.push(Cap {
                    check: cap.check.clone(),
                    below: cap.below,
                    max_grade,
                }),
                None => errors.push(RubricError::Invalid(format!(
                    "caps: max_grade = \"{}\" is not a grade; use 优, 良, 中 or 差",
                    cap.max_grade
                ))),
            }
        }
        if let Some(f) = &s.findings {
            self.findings = f.clone();
        }
    }

    fn validate(&self, errors: &mut Vec<RubricError>) {
        let b = &self.bands;
        if !(b.excellent > b.good && b.good > b.fair && b.fair >= 0.0 && b.excellent <= 100.0) {
            errors.push(RubricError::Invalid(format!(
                "bands: need 100 ≥ excellent > good > fair ≥ 0, got {} / {} / {}",
                b.excellent, b.good, b.fair
            )));
        }
        if !(self.cost_tolerance >= 0.0 && self.cost_tolerance < 0.5) {
            errors.push(RubricError::Invalid(format!(
                "cost_tolerance = {}: use a fraction such as 0.01 (1 %)",
                self.cost_tolerance
            )));
        }
        if !(self.satisfaction_partial < self.satisfaction_full && self.satisfaction_full <= 100.0)
        {
            errors.push(RubricError::Invalid(format!(
                "satisfaction: need partial < full ≤ 100, got {} / {}",
                self.satisfaction_partial, self.satisfaction_full
            )));
        }
        for cap in &self.caps {
            if !BUILTIN.iter().any(|d| d.id == cap.check) {
                errors.push(RubricError::Invalid(format!(
                    "caps: check = \"{}\" is not a built-in check id",
                    cap.check
                )));
            }
        }
    }

    /// The rubric's built-in checks as recorded in the scorecard.
    pub fn check_infos(&self) -> Vec<CheckInfo> {
        self.checks
            .iter()
            .map(|c| CheckInfo {
                id: c.def.id.to_string(),
                title: c.def.title.to_string(),
                max_points: c.max_points,
                rule: c.def.rule.to_string(),
                source: "builtin".to_string(),
            })
            .collect()
    }
}

fn load_file(path: &Path) -> Result<RubricSettings, RubricError> {
    let text = std::fs::read_to_string(path).map_err(|e| RubricError::Read {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    toml::from_str(&text).map_err(|e| {
        let (line, column) = e.span().map(|s| line_col(&text, s.start)).unwrap_or((1, 1));
        RubricError::Parse {
            path: path.to_path_buf(),
            line,
            column,
            message: e.message().to_string(),
        }
    })
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (u32, u32) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line as u32, col as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(s: &str) -> ScoringConfig {
        toml::from_str(s).unwrap()
    }

    #[test]
    fn default_rubric_is_100_points() {
        let r = Rubric::resolve(&ScoringConfig::default(), Path::new(".")).unwrap();
        let total: f64 = r.checks.iter().map(|c| c.max_points).sum();
        assert_eq!(total, 100.0);
        assert_eq!(r.checks.len(), 16);
    }

    #[test]
    fn overrides_apply_and_unknown_ids_fail() {
        let r = Rubric::resolve(
            &cfg("[checks.B2]\nenabled = false\n[checks.A1]\npoints = 8\n"),
            Path::new("."),
        )
        .unwrap();
        assert!(!r.checks.iter().any(|c| c.def.id == "B2"));
        assert_eq!(r.checks[0].max_points, 8.0);
        let errs = Rubric::resolve(
            &cfg("[checks.Z9]\npoints = 1\n[bands]\ngood = 95\n"),
            Path::new("."),
        )
        .unwrap_err();
        assert_eq!(errs.len(), 2, "{errs:?}");
        assert!(errs[0].to_string().contains("Z9"));
    }

    #[test]
    fn rubric_file_is_overlaid_and_errors_carry_positions() {
        let dir = std::env::temp_dir().join(format!("jixiao-rubric-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("r.toml"),
            "name = \"某区规则\"\nversion = \"3\"\nextra_vague_words = [\"有序\"]\n",
        )
        .unwrap();
        let r = Rubric::resolve(&cfg("rubric = \"r.toml\"\nversion = \"3.1\""), &dir).unwrap();
        assert_eq!((r.name.as_str(), r.version.as_str()), ("某区规则", "3.1"));
        assert!(r.vague_words.iter().any(|w| w == "有序"));
        std::fs::write(dir.join("bad.toml"), "name = \"x\"\nbogus = 1\n").unwrap();
        let errs = Rubric::resolve(&cfg("rubric = \"bad.toml\""), &dir).unwrap_err();
        match &errs[0] {
            RubricError::Parse { line, .. } => assert_eq!(*line, 2),
            other => panic!("{other:?}"),
        }
    }
}
