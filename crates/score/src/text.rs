//! Small readings of records shared by the checks and the findings: which category an indicator is
//! in, whether a value is quantified, vague, a placeholder. Pure functions, no configuration.

use jixiao_core::{Evidence, Indicator, Level1, Level2, Record};

/// The 一级 an indicator counts under: its own, else its 二级's parent (a table that only names the
/// 二级 is still classified).
pub(crate) fn level1_of(ind: &Indicator) -> Option<Level1> {
    ind.level1.or(ind.level2.map(Level2::parent))
}

pub(crate) fn is_benefit(ind: &Indicator) -> bool {
    level1_of(ind) == Some(Level1::Benefit)
}

pub(crate) fn is_satisfaction(ind: &Indicator) -> bool {
    level1_of(ind) == Some(Level1::Satisfaction) || ind.level2 == Some(Level2::Satisfaction)
}

/// 成本指标 under 产出, or the newer template's 一级 成本指标 with its three kinds.
pub(crate) fn is_cost(ind: &Indicator) -> bool {
    matches!(
        ind.level2,
        Some(Level2::Cost | Level2::EconomicCost | Level2::SocialCost | Level2::EcologicalCost)
    ) || ind.level1 == Some(Level1::Cost)
}

/// An amount as printed in evidence and messages: at most four decimals, no trailing zeros, never
/// a float artefact (`7.8100000000000005` → `7.81`).
pub(crate) fn amount(x: f64) -> String {
    let s = format!("{:.4}", (x * 10_000.0).round() / 10_000.0);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

pub(crate) fn is_blank(s: &str) -> bool {
    s.trim().is_empty()
}

/// An indicator with both a name and a value.
pub(crate) fn is_filled(ind: &Indicator) -> bool {
    !is_blank(&ind.name) && !is_blank(&ind.value)
}

/// The value states at least one number.
pub(crate) fn has_number(ind: &Indicator) -> bool {
    !ind.parsed.numbers.is_empty()
}

pub(crate) fn is_percent(ind: &Indicator) -> bool {
    ind.parsed.unit.as_deref() == Some("%")
}

/// Letters, digits and hanzi only: what counts as "meaningful characters" of a goal.
pub(crate) fn meaningful(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// Text as compared for copies: whitespace and trailing punctuation do not make a row different.
pub(crate) fn copy_key(s: &str) -> String {
    let mut m: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let kept = m.trim_end_matches(['.', '。', '；', ';', '，', ',']).len();
    m.truncate(kept);
    m
}

/// The vague words a value uses, in list order.
pub(crate) fn vague_hits<'w>(value: &str, words: &'w [String]) -> Vec<&'w str> {
    words
        .iter()
        .filter(|w| !w.is_empty() && value.contains(w.as_str()))
        .map(String::as_str)
        .collect()
}

/// An unfilled 是/否 choice copied from the template (`是/否`, `□是□否`, `是或否`).
pub(crate) fn is_yes_no_placeholder(value: &str) -> bool {
    // Every spelling below names 否; most values do not, and are done without a copy.
    if !value.contains('否') {
        return false;
    }
    let v: String = value
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '□' | '☐' | '（' | '）' | '(' | ')'))
        .collect();
    matches!(
        v.as_str(),
        "是/否" | "是／否" | "是或否" | "是否" | "是、否" | "是|否" | "是\\否"
    )
}

/// Whether the text names satisfaction (满意).
pub(crate) fn mentions_satisfaction(s: &str) -> bool {
    s.contains("满意")
}

/// Evidence with the indicator as subject and its value quoted.
pub(crate) fn ev_value(ind: &Indicator, reason: impl Into<String>, deduction: f64) -> Evidence {
    Evidence {
        subject: subject_of(ind),
        text: ind.value.clone(),
        line: Some(ind.line),
        reason: reason.into(),
        deduction,
    }
}

/// Evidence about a header field (`项目名称`, `年度目标` ...), its line taken from `field_lines`.
pub(crate) fn ev_field(
    rec: &Record,
    subject: &str,
    field_key: &str,
    text: impl Into<String>,
    reason: impl Into<String>,
    deduction: f64,
) -> Evidence {
    Evidence {
        subject: subject.to_string(),
        text: text.into(),
        line: rec
            .field_lines
            .get(field_key)
            .copied()
            .or(Some(rec.lines[0])),
        reason: reason.into(),
        deduction,
    }
}

/// The 三级 name, or the category when the name cell is blank.
pub(crate) fn subject_of(ind: &Indicator) -> String {
    if !is_blank(&ind.name) {
        return ind.name.clone();
    }
    let cat = ind
        .level2
        .map(Level2::as_str)
        .or(ind.level2_raw.as_deref())
        .or(ind.level1.map(Level1::as_str))
        .unwrap_or("指标");
    format!("（{cat}，三级指标名称空白）")
}

pub(crate) use jixiao_core::summary::round2;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_recognised() {
        assert!(is_yes_no_placeholder("是/否"));
        assert!(is_yes_no_placeholder(" □是 □否 "));
        assert!(!is_yes_no_placeholder("是"));
        assert!(!is_yes_no_placeholder("是否按时完成"));
    }

    #[test]
    fn copy_key_ignores_trailing_punctuation() {
        assert_eq!(copy_key("打造景观观点."), copy_key("打造 景观观点"));
        assert_ne!(copy_key("甲"), copy_key("乙"));
    }

    #[test]
    fn meaningful_drops_punctuation() {
        assert_eq!(meaningful("提高，效率 2024!").chars().count(), 8);
    }
}

#[cfg(test)]
mod amount_tests {
    use super::amount;

    #[test]
    fn amounts_print_without_float_artefacts() {
        assert_eq!(amount(0.1 + 0.2 + 7.41), "7.71");
        assert_eq!(amount(7.8100000000000005), "7.81");
        assert_eq!(amount(12.0), "12");
        assert_eq!(amount(1346.0088), "1346.0088");
        assert_eq!(amount(55.980000000000004), "55.98");
        assert_eq!(amount(-0.00001), "0");
    }
}
