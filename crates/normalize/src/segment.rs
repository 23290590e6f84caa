//! Finding the tables of a document: where each target table starts and ends, and which content is
//! something else (budget tables, narrative, procurement lists, self-evaluation forms).

use jixiao_core::{Diagnostic, RecordKind};

use crate::dictionary::{Field, LabelDictionary};
use crate::rows::PRow;
use crate::text::fold_label;

/// What a title line says about the table under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TitleKind {
    Target(RecordKind),
    /// 自评表, 评价表, 评分表: look like target tables, are not.
    NotTarget,
}

/// Whether a line is the title of a performance-target (or self-evaluation) table.
pub(crate) fn is_title(text: &str, dict: &LabelDictionary) -> bool {
    title_kind(text, dict).is_some()
}

/// Classifies a title line: `部门（单位）预算项目支出绩效目标表`, `（一）部门整体支出绩效目标申报表`,
/// `1、运转保障-办公区电费绩效目标表`, `绩效目标申报表(基础设施建设类)`, `项目支出绩效自评表`. The words
/// are the `[titles]` of the label dictionary.
pub(crate) fn title_kind(text: &str, dict: &LabelDictionary) -> Option<TitleKind> {
    let f = fold_label(text);
    if f.chars().count() > 80 {
        return None;
    }
    let body = f
        .strip_suffix(')')
        .and_then(|s| s.rfind('(').map(|i| &s[..i]))
        .unwrap_or(&f);
    if !body.ends_with('表') {
        return None;
    }
    let words = &dict.titles;
    let has = |list: &[String]| list.iter().any(|w| body.contains(w.as_str()));
    // `干部考核绩效目标表` is a target table about appraisals; `绩效自评表` is not a target table.
    if has(&words.not_target) {
        return Some(TitleKind::NotTarget);
    }
    if !has(&words.target) {
        return None;
    }
    Some(TitleKind::Target(if has(&words.department) {
        RecordKind::DepartmentOverall
    } else {
        RecordKind::Project
    }))
}

/// A project name that only a numbered title carries: `1、运转保障-办公区电费绩效目标表`.
pub(crate) fn name_from_title(text: &str, dict: &LabelDictionary) -> Option<String> {
    let t = text.trim();
    let stripped = crate::dictionary::strip_enumeration(t);
    if stripped.len() == t.len() {
        return None;
    }
    // A closing bracket left over from a cut-off reference: `36、]邯财教[2022]98号…`.
    let stripped = stripped
        .trim_start_matches([']', '】', ')', '）'])
        .trim_start();
    dict.titles.name_suffixes.iter().find_map(|suffix| {
        let name = stripped.strip_suffix(suffix.as_str())?.trim();
        (!name.is_empty()).then(|| name.to_string())
    })
}

/// A row that only states the year: `（2021年度）`, `(2022年度)`, `预算年度：2024`.
pub(crate) fn year_row(text: &str) -> Option<i32> {
    let f = fold_label(text);
    let f = f.strip_prefix("预算年度:").unwrap_or(&f);
    let f = f.trim_start_matches('(').trim_end_matches(')');
    let f = f
        .strip_suffix("年度")
        .or_else(|| f.strip_suffix('年'))
        .unwrap_or(f);
    (f.len() == 4 && f.chars().all(|c| c.is_ascii_digit()))
        .then(|| f.parse().ok())
        .flatten()
}

/// The first four-digit year (1990–2100) followed by 年 in a text.
pub(crate) fn first_year(text: &str) -> Option<i32> {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i + 4 < chars.len() + 1 {
        let window = &chars[i..(i + 4).min(chars.len())];
        if window.len() == 4 && window.iter().all(|c| c.is_ascii_digit()) {
            let before_digit = i > 0 && chars[i - 1].is_ascii_digit();
            let mut j = i + 4;
            while j < chars.len() && chars[j] == ' ' {
                j += 1;
            }
            if !before_digit && chars.get(j) == Some(&'年') {
                let y: String = window.iter().collect();
                if let Ok(y) = y.parse::<i32>()
                    && (1990..=2100).contains(&y)
                {
                    return Some(y);
                }
            }
        }
        i += 1;
    }
    None
}

/// How a row can begin a table when no title announced it.
pub(crate) fn starts_table(row: &PRow, dict: &LabelDictionary) -> bool {
    let mut filled = row.filled();
    let Some(first) = filled.next() else {
        return false;
    };
    let Some(value) = filled.next() else {
        // `项目名称：社区养老` — label and value in one cell.
        return dict
            .field(&first.text)
            .is_some_and(|m| matches!(m.label, Field::Name | Field::Code) && !m.rest.is_empty());
    };
    // `项目名称 | 预算资金 | …` is the column-title row of a list (procurement, budget tables).
    let value_is_label = dict.field(&value.text).is_some()
        || dict.funds(&value.text).is_some()
        || dict.level1(&value.text).is_some()
        || dict.level2(&value.text).is_some();
    matches!(
        dict.field(&first.text).map(|m| m.label),
        Some(Field::Name | Field::Code)
    ) && !value_is_label
}

/// One cell per paragraph: a bare `项目名称` (or `项目编码`) with its value in the next paragraph begins a
/// table when no title announced it.
pub(crate) fn starts_stream_table(rows: &[PRow], dict: &LabelDictionary) -> bool {
    let (Some(label), Some(value)) = (
        rows.first().and_then(PRow::single),
        rows.get(1).and_then(PRow::single),
    ) else {
        return false;
    };
    let bare_key = dict
        .field(&label.text)
        .is_some_and(|m| matches!(m.label, Field::Name | Field::Code) && m.rest.is_empty());
    let value_is_label = dict.field(&value.text).is_some()
        || dict.funds(&value.text).is_some()
        || dict.level1(&value.text).is_some()
        || dict.level2(&value.text).is_some();
    bare_key && !value_is_label
}

/// A top-level section heading of a narrative document: `五、部门整体绩效目标`, `八、政府采购预算情况`.
pub(crate) fn section_heading(row: &PRow) -> Option<&str> {
    let cell = row.single()?;
    let t = cell.text.as_str();
    let n = t
        .chars()
        .take_while(|c| "一二三四五六七八九十".contains(*c))
        .count();
    if n == 0 || t.chars().count() > 40 {
        return None;
    }
    let rest: String = t.chars().skip(n).collect();
    rest.starts_with('、').then_some(t)
}

/// Whether a row is a form's signature footer (`填报人：张三`, `联系电话：…`, `填报日期：…`) or an
/// approval line (`财政部门绩效评价股审核意见 (盖章)`): its first filled cell starts with a footer
/// label followed by a colon or is the bare label, or it is an approval cell (`…审核意见`) with
/// nothing after it but a seal (`(盖章)`) or a date.
pub(crate) fn is_footer(row: &PRow, dict: &LabelDictionary) -> bool {
    let mut filled = row.filled();
    let Some(first) = filled.next() else {
        return false;
    };
    let f = fold_label(&first.text);
    let signature = dict.titles.footer.iter().any(|label| {
        f.strip_prefix(label.as_str())
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(':'))
    });
    let head = f
        .trim_end_matches("(盖章)")
        .trim_end_matches("盖章")
        .trim_end_matches(':');
    let approval = dict
        .titles
        .approval
        .iter()
        .any(|e| head.ends_with(e.as_str()))
        && f.chars().count() <= 30
        && filled.all(|c| {
            let t = fold_label(&c.text);
            t.contains("盖章")
                || t.chars()
                    .all(|ch| ch.is_ascii_digit() || "年月日-./".contains(ch))
        });
    signature || approval
}

/// `附件2` / `附件：` on a line of its own: an attachment of a notice starts here.
pub(crate) fn is_attachment_heading(row: &PRow) -> bool {
    row.single().is_some_and(|c| {
        let f = fold_label(&c.text);
        f.strip_prefix("附件")
            .is_some_and(|rest| rest.chars().all(|ch| ch.is_ascii_digit()))
    })
}

/// A mark that the copy leaves content out or ends here: `[... TRUNCATED ...]`, `[…]`, `……`, `(略)`.
pub(crate) fn is_elision(row: &PRow) -> bool {
    let Some(cell) = row.single() else {
        return false;
    };
    let t = cell.text.trim();
    let inner = t
        .trim_start_matches(['[', '(', '（', '【'])
        .trim_end_matches([']', ')', '）', '】'])
        .trim();
    let dots = |s: &str| s.starts_with("...") || s.starts_with('…');
    (inner.len() < t.len() && dots(inner))
        || (!t.is_empty() && t.chars().all(|c| c == '…' || c == '.'))
        // Folded only when it could be one: most single cells are not.
        || (t.contains('略')
            && matches!(
                fold_label(t).as_str(),
                "(略)" | "略" | "(以下略)" | "以下略"
            ))
}

/// Whether a section heading opens a department-overall narrative (`五、部门整体绩效目标`).
pub(crate) fn is_department_heading(text: &str) -> bool {
    let f = fold_label(text);
    f.contains("部门整体") && (f.ends_with("绩效目标") || f.ends_with("绩效目标情况"))
}

/// Describes skipped content for the info diagnostic.
pub(crate) fn skipped_diagnostic(rows: &[PRow]) -> Option<Diagnostic> {
    let first = rows.first()?;
    let last = rows.last()?;
    let tabular = rows.iter().filter(|r| r.filled_count() >= 3).count();
    let what = if tabular * 2 >= rows.len() {
        "tables that are not performance-target tables (budget, procurement or asset tables)"
    } else {
        "narrative or other non-table text"
    };
    Some(Diagnostic::info(
        "normalize.skipped-content",
        format!(
            "lines {}–{}: {} rows of {what}, skipped",
            first.line,
            last.line,
            rows.len()
        ),
        Some(first.line),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dict() -> LabelDictionary {
        LabelDictionary::new(&Default::default()).expect("dictionary")
    }

    #[test]
    fn form_footers_are_recognised_and_indicators_are_not() {
        let d = dict();
        let is_footer = |r: &PRow| is_footer(r, &d);
        let row = |t: &str| PRow {
            line: 1,
            gap_before: false,
            page_break_before: false,
            cells: vec![crate::rows::PCell {
                text: t.into(),
                col: 1,
                line: 1,
            }],
        };
        assert!(is_footer(&row("填报人：张三")));
        assert!(is_footer(&row("联系电话:0951-1234567")));
        assert!(is_footer(&row("填报日期")));
        assert!(!is_footer(&row("填报人员培训次数")));
        let two = |a: &str, b: &str| PRow {
            cells: vec![
                crate::rows::PCell {
                    text: a.into(),
                    col: 1,
                    line: 1,
                },
                crate::rows::PCell {
                    text: b.into(),
                    col: 2,
                    line: 1,
                },
            ],
            ..row("")
        };
        assert!(is_footer(&two("财政部门绩效评价股审核意见", "(盖章)")));
        assert!(is_footer(&row("区扶贫办审核意见")));
        assert!(!is_footer(&two("群众意见", "≥90%")));
        assert!(!is_footer(&row("采纳群众意见")));
        assert!(!is_footer(&two("采纳意见建议数", "10条")));
        assert!(!is_footer(&row("服务对象满意度")));
    }

    #[test]
    fn titles() {
        use RecordKind::*;
        let d = dict();
        let k = |s| title_kind(s, &d);
        assert_eq!(
            k("部门（单位）预算项目支出绩效目标表"),
            Some(TitleKind::Target(Project))
        );
        assert_eq!(
            k("部门（单位）预算项目支出绩效目标申报表"),
            Some(TitleKind::Target(Project))
        );
        assert_eq!(
            k("⇥部门整体支出绩效目标申报表"),
            Some(TitleKind::Target(DepartmentOverall))
        );
        assert_eq!(
            k("绩效目标申报表(基础设施建设类)"),
            Some(TitleKind::Target(Project))
        );
        assert_eq!(
            k("1、运转保障-办公区电费绩效目标表"),
            Some(TitleKind::Target(Project))
        );
        assert_eq!(k("项目支出绩效自评表"), Some(TitleKind::NotTarget));
        assert_eq!(
            k("88、干部考核绩效目标表"),
            Some(TitleKind::Target(Project))
        );
        assert_eq!(k("部门预算收支总表"), None);
        assert_eq!(k("五、部门整体绩效目标"), None);
    }

    #[test]
    fn a_pipeline_extends_the_title_words() {
        let mut extra = jixiao_config::LabelsConfig::default();
        extra
            .titles
            .insert("not_target".into(), vec!["跟踪表".into()]);
        extra
            .titles
            .insert("target".into(), vec!["目标申报".into()]);
        let d = LabelDictionary::new(&extra).expect("dictionary");
        assert_eq!(
            title_kind("项目绩效目标跟踪表", &d),
            Some(TitleKind::NotTarget)
        );
        assert_eq!(
            title_kind("项目绩效目标跟踪表", &dict()),
            Some(TitleKind::Target(RecordKind::Project))
        );
        assert_eq!(
            title_kind("2025年项目目标申报表", &d),
            Some(TitleKind::Target(RecordKind::Project))
        );
        assert_eq!(title_kind("2025年项目目标申报表", &dict()), None);
    }

    #[test]
    fn names_from_numbered_titles() {
        let d = dict();
        assert_eq!(
            name_from_title("1、运转保障-办公区电费绩效目标表", &d).as_deref(),
            Some("运转保障-办公区电费")
        );
        assert_eq!(
            name_from_title("部门（单位）预算项目支出绩效目标表", &d),
            None
        );
    }

    #[test]
    fn years() {
        assert_eq!(year_row("（2021年度）"), Some(2021));
        assert_eq!(year_row("(2022年度)"), Some(2022));
        assert_eq!(year_row("预算年度：2024"), Some(2024));
        assert_eq!(year_row("2024年2月"), None);
        assert_eq!(first_year("攀枝花市西区2024年 区本级部门预算"), Some(2024));
        assert_eq!(first_year("2024 年部门预算信息公开目录"), Some(2024));
        assert_eq!(first_year("12024年"), None);
    }

    #[test]
    fn headings() {
        assert!(is_department_heading("五、部门整体绩效目标"));
        assert!(!is_department_heading(
            "六、部门主管专项资金预算安排情况及绩效目标"
        ));
    }
}
