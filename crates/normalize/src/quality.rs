//! The last look at every record before it leaves the stage: garbage is repaired or the table is
//! rejected (never emitted), and each record gets its [`Confidence`].
//!
//! Garbage is what no reader would accept as content: a name or unit that is punctuation (`|`, `—`)
//! or a header word (`项目名称`, `三级指标`), an indicator whose name and value are both header words or
//! punctuation. Such fields are dropped with a warning; a table left with nothing a reviewer could
//! check (no indicator at all, or neither a name nor a unit nor a single target value) is rejected
//! with an error on the document naming its lines, so it appears in the packet's 未能解析 annex.

use jixiao_core::{Confidence, ConfidenceLevel, Diagnostic, Record, RecordKind};

use crate::dictionary::LabelDictionary;
use crate::text::clip;

/// Repairs that make a record worth checking by hand before relying on it.
const LOW: [&str; 6] = [
    "normalize.cut-off",
    "normalize.funds-shifted",
    "normalize.garbage-field",
    "normalize.garbage-indicator",
    "normalize.no-name",
    "normalize.no-values",
];

/// Inferences the record states, each defensible on its own.
const MEDIUM: [&str; 13] = [
    "normalize.narrative-indicators",
    "normalize.goal-label-missing",
    "normalize.level1-inferred",
    "normalize.no-category",
    "normalize.no-column-titles",
    "normalize.per-column-values",
    "normalize.prose-indicators",
    "normalize.row-continued",
    "normalize.row-split",
    "normalize.template-value",
    "normalize.total-from-parts",
    "normalize.unit-from-page-header",
    "normalize.narrative-department",
];

/// Repairs or rejects `record`; rejections become an error in `doc_diagnostics`.
pub(crate) fn review(
    mut record: Record,
    dict: &LabelDictionary,
    doc_diagnostics: &mut Vec<Diagnostic>,
) -> Option<Record> {
    repair_fields(&mut record, dict);
    drop_garbage_indicators(&mut record, dict);
    if let Some(reason) = rejection(&record) {
        let [start, end] = record.lines;
        doc_diagnostics.push(Diagnostic::error(
            "normalize.table-rejected",
            format!(
                "lines {start}–{end}: table `{}` rejected, not scored: {reason}; check it against the source",
                record.name.as_deref().unwrap_or("?")
            ),
            Some(start),
        ));
        return None;
    }
    let valued = record
        .indicators
        .iter()
        .filter(|i| !i.value.is_empty())
        .count();
    if record.kind == RecordKind::Project && valued == 0 {
        record.diagnostics.push(Diagnostic::warning(
            "normalize.no-values",
            "no indicator has a target value (an unfilled template?)",
            Some(record.lines[0]),
        ));
    }
    record.confidence = confidence(&record);
    Some(record)
}

/// Text no reader would take as content: no letter, digit or CJK character, or a bare header label.
fn is_garbage(text: &str, dict: &LabelDictionary) -> bool {
    let t = text.trim();
    if t.is_empty() {
        return false;
    }
    if !t.chars().any(char::is_alphanumeric) {
        return true;
    }
    dict.level1(t).is_some()
        || dict.level2(t).is_some()
        || dict.field(t).is_some_and(|m| m.rest.is_empty())
        || dict.funds(t).is_some_and(|m| m.rest.is_empty())
}

fn repair_fields(record: &mut Record, dict: &LabelDictionary) {
    let mut dropped = Vec::new();
    for (key, slot) in [
        ("name", &mut record.name),
        ("unit", &mut record.unit),
        ("supervisor", &mut record.supervisor),
    ] {
        if slot.as_deref().is_some_and(|t| is_garbage(t, dict)) {
            dropped.push((key, slot.take().unwrap_or_default()));
        }
    }
    for (key, text) in dropped {
        let line = record.field_lines.remove(key);
        record.diagnostics.push(Diagnostic::warning(
            "normalize.garbage-field",
            format!(
                "{key} `{}` is punctuation or a header word, not content: dropped",
                clip(&text)
            ),
            line,
        ));
    }
}

fn drop_garbage_indicators(record: &mut Record, dict: &LabelDictionary) {
    let garbage = |t: &str| t.trim().is_empty() || is_garbage(t, dict);
    let mut dropped = Vec::new();
    record.indicators.retain(|i| {
        let keep = !(garbage(&i.name) && garbage(&i.value));
        if !keep {
            dropped.push((i.line, format!("{} | {}", i.name, i.value)));
        }
        keep
    });
    for (line, text) in dropped {
        record.diagnostics.push(Diagnostic::warning(
            "normalize.garbage-indicator",
            format!(
                "row `{}` holds only header words or punctuation: not an indicator",
                clip(&text)
            ),
            Some(line),
        ));
    }
}

/// Why a record must not be emitted, if it must not.
fn rejection(record: &Record) -> Option<&'static str> {
    if record.indicators.is_empty() && record.goal_items.is_empty() && record.goal.is_none() {
        return Some("nothing in it could be read as an indicator");
    }
    let named = record.name.is_some() || record.unit.is_some() || record.supervisor.is_some();
    let valued = record.indicators.iter().any(|i| !i.value.is_empty());
    (!named && !valued).then_some("it names no project or unit and sets no target value")
}

fn confidence(record: &Record) -> Confidence {
    let lines = &record.field_lines;
    let mut recognised = Vec::new();
    if lines.contains_key("name") || lines.contains_key("title") {
        recognised.push("name".to_string());
    }
    if lines.contains_key("unit") || lines.contains_key("supervisor") {
        recognised.push("unit".to_string());
    }
    if lines.keys().any(|k| k.starts_with("funds.")) {
        recognised.push("funds".to_string());
    }
    if lines.contains_key("goal") {
        recognised.push("goal".to_string());
    }
    if record.indicators.iter().any(|i| !i.value.is_empty()) {
        recognised.push("indicators".to_string());
    }
    let mut guessed: Vec<String> = record
        .diagnostics
        .iter()
        .filter(|d| LOW.contains(&d.code.as_str()) || MEDIUM.contains(&d.code.as_str()))
        .map(|d| d.code.clone())
        .collect();
    guessed.sort();
    guessed.dedup();
    let level = if guessed.iter().any(|c| LOW.contains(&c.as_str())) {
        ConfidenceLevel::Low
    } else if guessed.is_empty() {
        ConfidenceLevel::High
    } else {
        ConfidenceLevel::Medium
    };
    Confidence {
        level,
        recognised,
        guessed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jixiao_core::{Indicator, ParsedValue};

    fn dict() -> LabelDictionary {
        LabelDictionary::new(&Default::default()).expect("dictionary")
    }

    fn indicator(name: &str, value: &str) -> Indicator {
        Indicator {
            level1: None,
            level2: None,
            level1_raw: None,
            level2_raw: None,
            name: name.into(),
            value: value.into(),
            description: None,
            basis: None,
            line: 3,
            parsed: ParsedValue::default(),
        }
    }

    #[test]
    fn punctuation_and_header_words_are_garbage() {
        let d = dict();
        for t in ["|", "——", "项目名称", "三级指标", "指标值", "产出指标"] {
            assert!(is_garbage(t, &d), "{t}");
        }
        for t in ["农村饮水工程", "≥95%", "1", "办公费"] {
            assert!(!is_garbage(t, &d), "{t}");
        }
    }

    #[test]
    fn a_record_of_pipes_is_rejected_with_an_error() {
        let mut r = Record::new(RecordKind::Project, 1);
        r.name = Some("|".into());
        r.unit = Some("|".into());
        r.indicators = vec![indicator("|", "|"), indicator("三级指标", "指标值")];
        let mut diags = Vec::new();
        assert!(review(r, &dict(), &mut diags).is_none());
        assert_eq!(diags[0].code, "normalize.table-rejected");
        assert_eq!(diags[0].severity, jixiao_core::Severity::Error);
    }

    #[test]
    fn garbage_fields_are_dropped_and_the_record_is_low_confidence() {
        let mut r = Record::new(RecordKind::Project, 1);
        r.name = Some("某项目".into());
        r.field_lines.insert("name".into(), 1);
        r.unit = Some("|".into());
        r.indicators = vec![indicator("培训人数", "≥30人"), indicator("|", "")];
        let mut diags = Vec::new();
        let r = review(r, &dict(), &mut diags).expect("kept");
        assert_eq!(r.unit, None);
        assert_eq!(r.indicators.len(), 1);
        assert_eq!(r.confidence.level, ConfidenceLevel::Low);
        assert!(
            r.confidence
                .guessed
                .contains(&"normalize.garbage-field".to_string())
        );
        assert_eq!(r.confidence.recognised, vec!["name", "indicators"]);
    }
}
