use serde::{Deserialize, Serialize};

/// The comparison a target value states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Comparator {
    /// At least: `≥`, `不低于`, `不少于`, `至少`, `以上` after the number.
    #[serde(rename = ">=")]
    Ge,
    /// At most: `≤`, `不超过`, `不高于`, `以内` after the number.
    #[serde(rename = "<=")]
    Le,
    /// Exactly: `=`, `等于`.
    #[serde(rename = "=")]
    Eq,
    /// More than: `>`, `大于`, `高于`, `超过`.
    #[serde(rename = ">")]
    Gt,
    /// Less than: `<`, `小于`, `低于`, `不足`.
    #[serde(rename = "<")]
    Lt,
    /// `a-b`, `a～b`, `a至b` between two numbers.
    #[serde(rename = "range")]
    Range,
}

/// What kind of time a value names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeKind {
    /// A calendar point: `2024年12月`, `2024.1.1`, `每年11月15日`.
    Date,
    /// A span of the calendar: `2024年1-12月`, `2024.1.1-2024.12.31`, `2024年`.
    Period,
    /// A length of time: `12个月`, `5天`, `≤2个工作日`, `24小时`.
    Duration,
    /// A deadline: `2024年12月底前`, `12月底前`.
    Deadline,
}

/// The temporal reading of a value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeSpec {
    /// Whether the value is a date, a period, a duration or a deadline.
    pub kind: TimeKind,
    /// Every four-digit year the value names, in order of appearance (deduplicated).
    pub years: Vec<i32>,
}

/// The structured reading of a 指标值.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ParsedValue {
    /// How the number is to be read; `None` when the value states no comparison.
    pub comparator: Option<Comparator>,
    /// Every number in the value, in order (thousands separators removed, `5万` → 5 with unit 万).
    pub numbers: Vec<f64>,
    /// The unit of the main number as canonically written: `%`, `万元`, `元`, `人`, `次`, `个`, `天`, `月`,
    /// `平方米`, `元/亩` ...
    pub unit: Option<String>,
    /// The amount in 万元 when the value is money (not a unit rate).
    pub money_wan: Option<f64>,
    /// A unit rate (`1600元/亩`, `每人200元`): money per something, not a total.
    pub unit_rate: bool,
    /// The temporal reading when the value names a date, period, duration or deadline.
    pub time: Option<TimeSpec>,
    /// True when the value contains no number at all.
    pub qualitative: bool,
}
