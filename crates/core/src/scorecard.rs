use serde::{Deserialize, Serialize};

use crate::{Diagnostic, RecordKind, Severity};

/// Grade of a target set (绩效目标审核等级).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Grade {
    /// 优: the best grade (直接进入预算安排).
    #[serde(rename = "优")]
    Excellent,
    /// 良 (协商完善后进入预算安排).
    #[serde(rename = "良")]
    Good,
    /// 中 (修改后重新申报).
    #[serde(rename = "中")]
    Fair,
    /// 差: the worst grade (不得进入预算安排).
    #[serde(rename = "差")]
    Poor,
}

impl Grade {
    /// Every grade, best first.
    pub const ALL: [Grade; 4] = [Grade::Excellent, Grade::Good, Grade::Fair, Grade::Poor];

    /// `优`, `良`, `中`, `差`: as serialized and printed.
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
    /// The document's file, as in [`crate::DocumentRecords::file`].
    pub file: String,
    /// First and last source line of the record, as in [`crate::Record::lines`].
    pub lines: [u32; 2],
}

/// A check as the rubric in force defines it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckInfo {
    /// `A1` … `D4` for built-in checks; plugin checks carry the plugin's ids.
    pub id: String,
    /// Chinese title a reviewer reads (`基础信息完整`).
    pub title: String,
    /// Points the check is worth in the rubric in force (after overrides; plugins' × `weight`).
    pub max_points: f64,
    /// The rule in words, as printed in the packet's annex.
    pub rule: String,
    /// `builtin` or the plugin's name.
    pub source: String,
}

/// Grade bands: a total ≥ `excellent` is 优, ≥ `good` 良, ≥ `fair` 中, else 差.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GradeBands {
    /// Lowest percentage of points available that earns 优 (default 90).
    pub excellent: f64,
    /// Lowest percentage of points available that earns 良 (default 80).
    pub good: f64,
    /// Lowest percentage of points available that earns 中 (default 60); below it is 差.
    pub fair: f64,
}

/// The rubric a scorecard was made with; recorded in every output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RubricInfo {
    /// Rubric name (`[scoring] name` or the rubric file's; default `默认审核规则`).
    pub name: String,
    /// Rubric version (`[scoring] version` or the rubric file's; default the built-in rubric's).
    pub version: String,
    /// The grade bands in force.
    pub bands: GradeBands,
    /// Every check in force: built-in ones first, then each plugin's.
    pub checks: Vec<CheckInfo>,
}

/// One piece of evidence behind a check's points: which indicator, what the cell says, where, why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// The 三级 indicator name, or the header field (`项目名称`, `年度资金总额`).
    pub subject: String,
    /// The cell text quoted as written.
    pub text: String,
    /// 1-based source line of the quoted cell (the record's first line for a missing field);
    /// `None` when no cell is involved (a grade cap, a check that did not run or does not apply).
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
    /// The check ran: its points and maximum count toward the total.
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
    /// The check's id, as in [`CheckInfo::id`].
    pub id: String,
    /// Whether the points count.
    pub status: CheckStatus,
    /// Points earned (0 unless `status` is `Scored`).
    pub points: f64,
    /// The check's maximum in the rubric in force (counts toward the total only when scored).
    pub max_points: f64,
    /// Why the points were given or deducted; for a check that did not count, why not.
    pub evidence: Vec<Evidence>,
}

/// One record's score card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordScore {
    /// Where the record sits in the ledger.
    pub record: RecordRef,
    /// Project or department-overall record.
    pub kind: RecordKind,
    /// The record's 项目名称, or `（未命名）` when it has none.
    pub name: String,
    /// The department the record is reported under (主管部门, else the unit).
    pub department: String,
    /// 年度资金总额 in 万元 (`Record::funds.total`); `None` when the table does not state it.
    pub funds_total: Option<f64>,
    /// Points earned over the scored checks (rounded to 2 decimals).
    pub total: f64,
    /// Sum of the scored checks' maxima (100 with the default rubric and no plugins).
    pub max_points: f64,
    /// Grade read from `100 × total / max_points` against the bands, then limited by the caps.
    pub grade: Grade,
    /// Every check that applies to the record: built-in ones, then plugins'.
    pub checks: Vec<CheckResult>,
}

/// A corpus-level finding: not points, but something a reviewer must see and count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable kind (`cost-over-funds`, `copied-indicator`, `funds-parts-mismatch` ...).
    pub code: String,
    /// How much it matters.
    pub severity: Severity,
    /// What was found, in Chinese, naming the fix.
    pub message: String,
    /// The records involved (first is the main one).
    pub records: Vec<RecordRef>,
    /// 1-based source line in the main record's file the finding points at, when there is one.
    pub line: Option<u32>,
    /// The quoted text the finding is about.
    pub text: Option<String>,
}

/// The score stage's output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scorecard {
    /// The rubric the records were scored with.
    pub rubric: RubricInfo,
    /// One score card per record, in ledger order.
    pub records: Vec<RecordScore>,
    /// Corpus-level findings: counted, never scored.
    pub findings: Vec<Finding>,
    /// Plugin faults and other problems of the scoring stage.
    pub diagnostics: Vec<Diagnostic>,
}

impl Scorecard {
    /// Keeps only the evidence `keep` accepts, check by check. Once scores.json is on disk, a
    /// province's run keeps what its packet prints (the deductions) and lets the supporting
    /// evidence go: about half of it, tens of MB at 100× the samples.
    pub fn retain_evidence(&mut self, keep: impl Fn(&CheckResult, &Evidence) -> bool) {
        for check in self.records.iter_mut().flat_map(|r| r.checks.iter_mut()) {
            let evidence = std::mem::take(&mut check.evidence);
            check.evidence = evidence.into_iter().filter(|e| keep(check, e)).collect();
        }
    }
}
