use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{Diagnostic, Layout, ParsedValue};

/// What kind of target table a record came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    /// 项目支出绩效目标表 / 申报表.
    Project,
    /// 部门整体支出绩效目标表 (a table, or a narrative section of a budget disclosure).
    DepartmentOverall,
}

/// Canonical 一级指标.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Level1 {
    /// 产出指标: what the project delivers (quantity, quality, timeliness, cost).
    #[serde(rename = "产出指标")]
    Output,
    /// 效益指标: the economic, social, ecological and lasting effects.
    #[serde(rename = "效益指标")]
    Benefit,
    /// 满意度指标: satisfaction of the people served.
    #[serde(rename = "满意度指标")]
    Satisfaction,
    /// Newer templates raise 成本指标 to 一级 (with 经济成本/社会成本/生态环境成本 below it).
    #[serde(rename = "成本指标")]
    Cost,
}

impl Level1 {
    /// Every 一级, in declaration order.
    pub const ALL: [Level1; 4] = [
        Level1::Output,
        Level1::Benefit,
        Level1::Satisfaction,
        Level1::Cost,
    ];

    /// The canonical Chinese name (`产出指标` ...), as serialized.
    pub fn as_str(self) -> &'static str {
        match self {
            Level1::Output => "产出指标",
            Level1::Benefit => "效益指标",
            Level1::Satisfaction => "满意度指标",
            Level1::Cost => "成本指标",
        }
    }

    /// The 一级 whose canonical name is exactly `name` (no synonyms: those are the normaliser's).
    pub fn parse(name: &str) -> Option<Level1> {
        Level1::ALL.into_iter().find(|l| l.as_str() == name)
    }
}

/// Canonical 二级指标: the nine categories of the national template plus the three cost kinds of the
/// newer one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Level2 {
    /// 数量指标 (under 产出指标).
    #[serde(rename = "数量指标")]
    Quantity,
    /// 质量指标 (under 产出指标).
    #[serde(rename = "质量指标")]
    Quality,
    /// 时效指标 (under 产出指标).
    #[serde(rename = "时效指标")]
    Timeliness,
    /// 成本指标 as a 二级 under 产出指标 (the classic template).
    #[serde(rename = "成本指标")]
    Cost,
    /// 经济效益指标 (under 效益指标).
    #[serde(rename = "经济效益指标")]
    Economic,
    /// 社会效益指标 (under 效益指标).
    #[serde(rename = "社会效益指标")]
    Social,
    /// 生态效益指标 (under 效益指标).
    #[serde(rename = "生态效益指标")]
    Ecological,
    /// 可持续影响指标 (under 效益指标).
    #[serde(rename = "可持续影响指标")]
    Sustainable,
    /// 服务对象满意度指标 (under 满意度指标).
    #[serde(rename = "服务对象满意度指标")]
    Satisfaction,
    /// 经济成本指标 (under the newer template's 一级 成本指标).
    #[serde(rename = "经济成本指标")]
    EconomicCost,
    /// 社会成本指标 (under the newer template's 一级 成本指标).
    #[serde(rename = "社会成本指标")]
    SocialCost,
    /// 生态环境成本指标 (under the newer template's 一级 成本指标).
    #[serde(rename = "生态环境成本指标")]
    EcologicalCost,
}

impl Level2 {
    /// Every 二级, in declaration order (the national template's nine, then the three cost kinds).
    pub const ALL: [Level2; 12] = [
        Level2::Quantity,
        Level2::Quality,
        Level2::Timeliness,
        Level2::Cost,
        Level2::Economic,
        Level2::Social,
        Level2::Ecological,
        Level2::Sustainable,
        Level2::Satisfaction,
        Level2::EconomicCost,
        Level2::SocialCost,
        Level2::EcologicalCost,
    ];

    /// The canonical Chinese name (`数量指标` ...), as serialized.
    pub fn as_str(self) -> &'static str {
        match self {
            Level2::Quantity => "数量指标",
            Level2::Quality => "质量指标",
            Level2::Timeliness => "时效指标",
            Level2::Cost => "成本指标",
            Level2::Economic => "经济效益指标",
            Level2::Social => "社会效益指标",
            Level2::Ecological => "生态效益指标",
            Level2::Sustainable => "可持续影响指标",
            Level2::Satisfaction => "服务对象满意度指标",
            Level2::EconomicCost => "经济成本指标",
            Level2::SocialCost => "社会成本指标",
            Level2::EcologicalCost => "生态环境成本指标",
        }
    }

    /// The 二级 whose canonical name is exactly `name` (no synonyms: those are the normaliser's).
    pub fn parse(name: &str) -> Option<Level2> {
        Level2::ALL.into_iter().find(|l| l.as_str() == name)
    }

    /// The 一级 a 二级 belongs to in the classic template (成本指标 under 产出指标).
    pub fn parent(self) -> Level1 {
        match self {
            Level2::Quantity | Level2::Quality | Level2::Timeliness | Level2::Cost => {
                Level1::Output
            }
            Level2::Economic | Level2::Social | Level2::Ecological | Level2::Sustainable => {
                Level1::Benefit
            }
            Level2::Satisfaction => Level1::Satisfaction,
            Level2::EconomicCost | Level2::SocialCost | Level2::EcologicalCost => Level1::Cost,
        }
    }
}

/// One 三级 indicator with its target value.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    /// Canonical 一级, `None` when it could not be determined (a diagnostic says why).
    pub level1: Option<Level1>,
    /// Canonical 二级, `None` when it could not be determined.
    pub level2: Option<Level2>,
    /// The 一级 / 二级 text as written (after whitespace repair), or inherited from the row above.
    pub level1_raw: Option<String>,
    /// The 二级 text as written (after whitespace repair), or inherited from the row above.
    pub level2_raw: Option<String>,
    /// 三级指标, with `指标1:` prefixes removed. Empty string when the cell was blank.
    pub name: String,
    /// 指标值 as written (cleaned of markup). Empty string when the cell was blank.
    pub value: String,
    /// 绩效指标描述, when the table has that column.
    pub description: Option<String>,
    /// 指标值确定依据, when the table has that column.
    pub basis: Option<String>,
    /// 1-based source line of the indicator's row.
    pub line: u32,
    /// The structured reading of `value` (comparator, numbers, unit, money, time).
    pub parsed: ParsedValue,
}

/// One funds component (合计, 财政拨款, 其中：本级安排, 人员类项目支出 ...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FundsItem {
    /// The label as written, cleaned (`其中：2024年本级安排`).
    pub label: String,
    /// Amount in 万元; `None` when the cell is blank (never 0 for blank).
    pub amount: Option<f64>,
    /// 1-based source line of the funds row.
    pub line: u32,
}

/// Funds in 万元. Amounts written in 元 are converted.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Funds {
    /// 年度资金总额 / 合计 (万元); `None` when not stated. A blank total beside filled parts is
    /// taken as their sum, with a diagnostic.
    pub total: Option<f64>,
    /// 财政拨款 / 财政资金 (万元); `None` when not stated.
    pub fiscal: Option<f64>,
    /// 其他资金 / 非财政拨款 (万元); `None` when not stated.
    pub other: Option<f64>,
    /// Every funds row in document order, including total, fiscal and other.
    pub items: Vec<FundsItem>,
}

/// One point of a 资金支出计划: by `label` (`3月底`), `percent` of the funds are spent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanPoint {
    /// The plan's column label as written (`3月底`, `第二季度`).
    pub label: String,
    /// Percent of the funds spent by then (`30%` → 30); `None` when no percentage was found for it.
    pub percent: Option<f64>,
}

/// A canonical performance-target record: one table (or one narrative department section).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// Project table or department-overall table / section.
    pub kind: RecordKind,
    /// First and last source line of the table.
    pub lines: [u32; 2],
    /// Budget year: from the table, else the document, else the pipeline.
    pub year: Option<i32>,
    /// 项目名称 (for department-overall records: the unit's name or the section title).
    pub name: Option<String>,
    /// 项目编码.
    pub code: Option<String>,
    /// 预算单位 / 部门（单位）/ 实施单位 / 预算部门; else the document's page header.
    pub unit: Option<String>,
    /// 主管部门.
    pub supervisor: Option<String>,
    /// Other labelled header fields (项目属性, 项目期, 项目负责人 ...), keyed by canonical label.
    pub attributes: BTreeMap<String, String>,
    /// Funds stated in the header, in 万元.
    pub funds: Funds,
    /// 资金支出计划 points, in table order; empty when the table has none.
    pub spending_plan: Vec<PlanPoint>,
    /// 资金用途.
    pub funds_use: Option<String>,
    /// 年度目标 / 总体目标 / 绩效目标 text; `None` when the layout has none.
    pub goal: Option<String>,
    /// Sub-targets of a narrative goal (numbered items), in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub goal_items: Vec<String>,
    /// Performance indicators (绩效指标), in table order.
    pub indicators: Vec<Indicator>,
    /// Source line of each header field (`name`, `unit`, `funds.total`, `goal` ...), so every number in a
    /// packet can be traced back.
    pub field_lines: BTreeMap<String, u32>,
    /// Repairs and problems found while building this record.
    pub diagnostics: Vec<Diagnostic>,
    /// How far the record can be trusted: what its table stated, what the reader inferred.
    #[serde(default)]
    pub confidence: Confidence,
}

/// What a record's table stated in labelled cells and what the reader had to infer or repair.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Confidence {
    /// Overall trust level, from what was recognised and what was guessed.
    pub level: ConfidenceLevel,
    /// Parts read from labelled cells: `name`, `unit`, `funds`, `goal`, `indicators`.
    pub recognised: Vec<String>,
    /// The diagnostic codes of every inference or repair made on the record (sorted, once each).
    pub guessed: Vec<String>,
}

/// `high`: everything read from labelled cells; `medium`: repaired or inferred in ways the record says;
/// `low`: a reviewer should check the record against its source before relying on it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ConfidenceLevel {
    /// Everything read from labelled cells.
    #[default]
    High,
    /// Repaired or inferred in ways the record's diagnostics say.
    Medium,
    /// A reviewer should check the record against its source before relying on it.
    Low,
}

impl ConfidenceLevel {
    /// `high`, `medium`, `low`: as in the JSON files.
    pub fn as_str(self) -> &'static str {
        match self {
            ConfidenceLevel::High => "high",
            ConfidenceLevel::Medium => "medium",
            ConfidenceLevel::Low => "low",
        }
    }
}

impl Record {
    /// An empty record of `kind` whose table starts (and so far ends) at `start_line`.
    pub fn new(kind: RecordKind, start_line: u32) -> Self {
        Record {
            kind,
            lines: [start_line, start_line],
            year: None,
            name: None,
            code: None,
            unit: None,
            supervisor: None,
            attributes: BTreeMap::new(),
            funds: Funds::default(),
            spending_plan: Vec::new(),
            funds_use: None,
            goal: None,
            goal_items: Vec::new(),
            indicators: Vec::new(),
            field_lines: BTreeMap::new(),
            diagnostics: Vec::new(),
            confidence: Confidence::default(),
        }
    }
}

/// A value with the line it was read from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sourced<T> {
    /// The value read.
    pub value: T,
    /// 1-based source line it was read from.
    pub line: u32,
}

/// Document-level facts a reviewer reconciles records against.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DocumentFacts {
    /// The number of projects the document says it contains (`309个项目`), when it says so.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stated_project_count: Option<Sourced<u32>>,
    /// The 项目支出 total of the document's budget tables (万元), when it has them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub project_expenditure_total: Option<Sourced<f64>>,
    /// Budget year found in the document's title or cover.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
}

/// The normaliser's output for one input file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentRecords {
    /// The input path as named in the run (`/` separators).
    pub file: String,
    /// How the file's text was laid out (detected or forced).
    pub layout: Layout,
    /// The decoding used (`UTF-8`, `gb18030`, `binary` for spreadsheets, `unknown` if unreadable).
    pub encoding: String,
    /// What the document says about itself (project count, 项目支出 total, year).
    pub facts: DocumentFacts,
    /// One record per performance-target table (or narrative department section), in file order.
    pub records: Vec<Record>,
    /// Document-level diagnostics (ingest problems, skipped non-target content, counts).
    pub diagnostics: Vec<Diagnostic>,
}

/// The budget year most of `records` state, with how many state it (ties: the later year); `None`
/// when none states one. What a run without a pipeline takes as its year, and how a document of
/// another year is recognised.
pub fn majority_year<'r>(records: impl IntoIterator<Item = &'r Record>) -> Option<(i32, usize)> {
    let mut counts = std::collections::BTreeMap::<i32, usize>::new();
    for year in records.into_iter().filter_map(|r| r.year) {
        *counts.entry(year).or_default() += 1;
    }
    // `max_by_key` keeps the last of equal counts: the later year.
    counts.into_iter().max_by_key(|(_, n)| *n)
}

/// Every document of a run, in input order: the normalise stage's output.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Ledger {
    /// One entry per input file, in input order.
    pub documents: Vec<DocumentRecords>,
}
