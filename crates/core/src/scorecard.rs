use serde::{Deserialize, Serialize};

use crate::{Diagnostic, RecordKind, Severity};

/// Grade of a target set (绩效目标审核等级).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Grade {
    #[serde(rename = "优")]
    Excellent,
    #[serde(rename = "良")]
    Good,
    #[serde(rename = "中")]
    Fair,
    #[serde(rename = "差")]
    Poor,
}

impl Grade {
    pub const ALL: [Grade; 4] = [Grade::Excellent, Grade::Good, Grade::Fair, Grade::Poor];

    pub fn as_str(self) -> &'static str {
        match self {
            Grade::Excellent => "优",
            Grade::Good => "良",
            Grade::Fair => "中",
            Grade::Poor => "差",
        }
    }
}

/// Where a scored record sits in the [`crate::Ledger`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct RecordRef {
    /// Index into `Ledger::documents`.
    pub document: usize,
    /// Index into that document's `records`.
    pub record: usize,
    pub file: String,
    pub lines: [u32; 2],
}

/// A check as the rubric in force defines it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckInfo {
    /// `A1` … `D4` for built-in checks; plugin checks carry the plugin's ids.
    pub id: String,
    /// Chinese title a reviewer reads (`基础信息完整`).
    pub title: String,
    pub max_points: f64,
    /// The rule in words, as printed in the packet's annex.
    pub rule: String,
    /// `builtin` or the plugin's name.
    pub source: String,
}

/// Grade bands: a total ≥ `excellent` is 优, ≥ `good` 良, ≥ `fair` 中, else 差.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GradeBands {
    pub excellent: f64,
    pub good: f64,
    pub fair: f64,
}

/// The rubric a scorecard was made with; recorded in every output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RubricInfo {
    pub name: String,
    pub version: String,
    pub bands: GradeBands,
    pub checks: Vec<CheckInfo>,
}

/// One piece of evidence behind a check's points: which indicator, what the cell says, where, why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// The 三级 indicator name, or the header field (`项目名称`, `年度资金总额`).
    pub subject: String,
    /// The cell text quoted as written.
    pub text: String,
    pub line: Option<u32>,
    /// Why this counts, in Chinese, naming the fix where there is one.
    pub reason: String,
    /// Points deducted because of this evidence (0 for supporting evidence).
    pub deduction: f64,
}

/// Whether a check produced points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckStatus {
    Scored,
    /// The check could not run (a plugin fault): the points are missing, not zero.
    NotScored,
    /// The check cannot be held against the record: the form it was written on has no place for what
    /// the check asks (a template without a 年度目标 field). Neither points nor maximum count; the
    /// evidence says why.
    NotApplicable,
}

/// The outcome of one check on one record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckResult {
    pub id: String,
    pub status: CheckStatus,
    pub points: f64,
    pub max_points: f64,
    pub evidence: Vec<Evidence>,
}

/// One record's score card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordScore {
    pub record: RecordRef,
    pub kind: RecordKind,
    pub name: String,
    /// The department the record is reported under (主管部门, else the unit).
    pub department: String,
    pub funds_total: Option<f64>,
    pub total: f64,
    pub max_points: f64,
    pub grade: Grade,
    pub checks: Vec<CheckResult>,
}

/// A corpus-level finding: not points, but something a reviewer must see and count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable kind (`cost-over-funds`, `copied-indicator`, `funds-parts-mismatch` ...).
    pub code: String,
    pub severity: Severity,
    pub message: String,
    /// The records involved (first is the main one).
    pub records: Vec<RecordRef>,
    pub line: Option<u32>,
    /// The quoted text the finding is about.
    pub text: Option<String>,
}

/// The score stage's output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scorecard {
    pub rubric: RubricInfo,
    /// One score card per record, in ledger order.
    pub records: Vec<RecordScore>,
    pub findings: Vec<Finding>,
    /// Plugin faults and other problems of the scoring stage.
    pub diagnostics: Vec<Diagnostic>,
}
