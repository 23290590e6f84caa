//! Target sets written as prose instead of a table, as public notices (公示) often do:
//!
//! ```text
//! 一、 产出指标
//! 数量指标:黄金蜜(葡萄)种植数量(≥**株)>=17600株;种植作物成活率(≥**%)>=85;时效指标:完成及时率>=100%。
//! 二、 效益指标
//! 效益指标:经济效益指标:脱贫地区特色产业产值≥80万元,…;生态效益指标:生态修复功能提高。
//! ```
//!
//! A 一级 heading opens the block; each paragraph is cut into clauses at `;`/`。`/`,`/`:` outside
//! brackets. A clause that is a 一级/二级 label sets the category; any other clause is `三级 + 指标值`,
//! split where the value starts: the first comparator outside brackets (`>=`, `≥`, `不低于` …), else a
//! closing word of a qualitative target (`提高`, `改善` …). A clause with no such split is a lead-in
//! (`★补助各类瓜果蔬菜种植数量`) or a value without a name, and is not an indicator. The notice around the
//! block gives the name (its title `关于…项目绩效目标…的公示`), the goal (`总体绩效目标是:…。`), the funds
//! (`资金50万元`) and the unit (the signature above the date).

use jixiao_core::{Diagnostic, FundsItem, Indicator, Level1, Level2, Record, RecordKind};

use crate::dictionary::{LabelDictionary, strip_enumeration};
use crate::rows::PRow;
use crate::segment::first_year;
use crate::value::{clauses, parse_money, parse_value, split_target};

/// The 一级 a heading row names (`一、 产出指标`), if it is one.
pub(crate) fn level1_heading(row: &PRow, dict: &LabelDictionary) -> Option<Level1> {
    let text: String = row.filled().map(|c| c.text.as_str()).collect();
    if text.chars().count() > 20 {
        return None;
    }
    let body = strip_enumeration(&text);
    (body.len() < text.len())
        .then(|| dict.level1(body))
        .flatten()
}

/// Whether `rows` (starting at a 一级 heading) hold indicators written as prose.
pub(crate) fn starts_prose(rows: &[PRow], dict: &LabelDictionary) -> bool {
    level1_heading(&rows[0], dict).is_some()
        && rows.get(1).and_then(PRow::single).is_some_and(|c| {
            clauses(&c.text).iter().any(|cl| split_target(cl).is_some())
                && clauses(&c.text)
                    .iter()
                    .any(|cl| dict.level2(cl).is_some() || dict.level1(cl).is_some())
        })
}

/// Reads the prose block starting at `rows[0]` (a 一级 heading); `before` are the notice's rows above
/// it. Returns the record (when it has indicators) and the rows used.
pub(crate) fn read_prose(
    rows: &[PRow],
    before: &[PRow],
    dict: &LabelDictionary,
) -> (Option<Record>, usize) {
    let Some(first) = rows.first() else {
        return (None, 0);
    };
    let mut record = Record::new(RecordKind::Project, first.line);
    let mut state = Categories::default();
    let mut used = 0;
    let mut skipped = Vec::new();
    for row in rows {
        if let Some(l1) = level1_heading(row, dict) {
            let text: String = row.filled().map(|c| c.text.as_str()).collect();
            state = Categories {
                level1: Some((l1, strip_enumeration(&text).to_string())),
                level2: None,
            };
        } else if let Some(cell) = row.single().filter(|c| c.text.chars().count() > 8) {
            let clauses = clauses(&cell.text);
            if !clauses.iter().any(|c| split_target(c).is_some()) {
                break;
            }
            for clause in clauses {
                if state.label(&clause, dict) {
                    continue;
                }
                match split_target(&clause) {
                    Some((name, value)) => record
                        .indicators
                        .push(state.indicator(name, value, row.line)),
                    None => skipped.push(clause),
                }
            }
        } else {
            break;
        }
        record.lines[1] = row.line;
        used += 1;
    }
    if record.indicators.is_empty() {
        return (None, used.max(1));
    }
    record.diagnostics.push(Diagnostic::info(
        "normalize.prose-indicators",
        format!(
            "indicators read from prose (no table): {} read{}",
            record.indicators.len(),
            if skipped.is_empty() {
                String::new()
            } else {
                format!(
                    "; clauses without a name/value split not read: {}",
                    skipped
                        .iter()
                        .map(|s| format!("`{s}`"))
                        .collect::<Vec<_>>()
                        .join(" ")
                )
            }
        ),
        Some(first.line),
    ));
    notice_fields(&mut record, before, &rows[used..]);
    (Some(record), used)
}

/// The 一级 and 二级 in force, with the text that set them.
#[derive(Default)]
struct Categories {
    level1: Option<(Level1, String)>,
    level2: Option<(Level2, String)>,
}

impl Categories {
    /// Takes `clause` as a category label if it is one. A 二级 of another 一级 moves the 一级 with it.
    fn label(&mut self, clause: &str, dict: &LabelDictionary) -> bool {
        let as2 = dict.level2(clause);
        let as1 = dict.level1(clause);
        if let Some(l2) = as2.filter(|_| as1.is_none() || self.level1.is_some()) {
            if self
                .level1
                .as_ref()
                .is_some_and(|(l1, _)| *l1 != l2.parent())
            {
                self.level1 = Some((l2.parent(), l2.parent().as_str().to_string()));
            }
            self.level2 = Some((l2, clause.to_string()));
            return true;
        }
        if let Some(l1) = as1 {
            self.level1 = Some((l1, clause.to_string()));
            return true;
        }
        false
    }

    fn indicator(&self, name: &str, value: &str, line: u32) -> Indicator {
        Indicator {
            level1: self.level1.as_ref().map(|(l, _)| *l),
            level2: self.level2.as_ref().map(|(l, _)| *l),
            level1_raw: self.level1.as_ref().map(|(_, t)| t.clone()),
            level2_raw: self.level2.as_ref().map(|(_, t)| t.clone()),
            name: name.to_string(),
            parsed: parse_value(value),
            value: value.to_string(),
            description: None,
            basis: None,
            line,
        }
    }
}

/// Name, goal, funds, year and unit from the notice around a prose block.
fn notice_fields(record: &mut Record, before: &[PRow], after: &[PRow]) {
    let cells = || before.iter().flat_map(|r| r.filled());
    if let Some(cell) = cells().find(|c| notice_subject(&c.text).is_some()) {
        record.name = notice_subject(&cell.text).map(str::to_string);
        record.field_lines.insert("name".into(), cell.line);
        record.year = first_year(&cell.text);
    }
    for cell in cells() {
        if record.goal.is_none()
            && let Some(goal) = goal_sentence(&cell.text)
        {
            record.goal = Some(goal.to_string());
            record.field_lines.insert("goal".into(), cell.line);
        }
        if record.funds.total.is_none()
            && let Some(amount) = funds_amount(&cell.text)
        {
            // A notice's `资金50万元` is the whole amount; it is fiscal money when the notice says so.
            let funds = &mut record.funds;
            funds.total = Some(amount);
            if cell.text.contains("财政") {
                funds.fiscal = Some(amount);
                record.field_lines.insert("funds.fiscal".into(), cell.line);
            }
            record.field_lines.insert("funds.total".into(), cell.line);
            record.funds.items.push(FundsItem {
                label: "资金".into(),
                amount: Some(amount),
                line: cell.line,
            });
        }
        if record.year.is_none() {
            record.year = first_year(&cell.text);
        }
    }
    // The signature: an issuing body's name on its own line, right above a date.
    for pair in after.windows(2) {
        if let (Some(name), Some(date)) = (pair[0].single(), pair[1].single())
            && is_issuer(&name.text)
            && first_year(&date.text).is_some()
            && date.text.chars().count() <= 14
        {
            record.unit = Some(name.text.clone());
            record.field_lines.insert("unit".into(), name.line);
            break;
        }
    }
}

/// `关于下马关镇…种植项目绩效目标设定的公示` → `下马关镇…种植项目`.
fn notice_subject(text: &str) -> Option<&str> {
    let t = text.trim().strip_prefix("关于")?;
    let end = t.find("绩效目标")?;
    let subject = t[..end].trim_end_matches('的').trim();
    (!subject.is_empty() && (t.ends_with("公示") || t.ends_with("通知") || t.ends_with("公告")))
        .then_some(subject)
}

/// The sentence after `总体绩效目标是:` / `绩效目标为` up to its full stop.
fn goal_sentence(text: &str) -> Option<&str> {
    let at = text.find("绩效目标")?;
    let rest = &text[at + "绩效目标".len()..];
    let rest = rest
        .strip_prefix("是")
        .or_else(|| rest.strip_prefix("为"))
        .unwrap_or(rest);
    let rest = rest.trim_start_matches([':', '：']).trim();
    if rest.is_empty() || rest.starts_with("设定") {
        return None;
    }
    let end = rest.find('。').map_or(rest.len(), |i| i + '。'.len_utf8());
    Some(&rest[..end])
}

/// `…资金50万元,实施…` → 50.
fn funds_amount(text: &str) -> Option<f64> {
    let mut from = 0;
    while let Some(at) = text[from..].find("资金") {
        let start = from + at + "资金".len();
        let window: String = text[start..].chars().take(12).collect();
        if window.starts_with(|c: char| c.is_ascii_digit())
            && let Some(end) = window.find("万元")
        {
            return parse_money(&window[..end + "万元".len()]);
        }
        from = start;
    }
    None
}

/// `同心县下马关镇人民政府`, `某某县财政局`: a short line naming an issuing body.
fn is_issuer(text: &str) -> bool {
    let t = text.trim();
    t.chars().count() <= 30
        && [
            "政府",
            "局",
            "委员会",
            "委",
            "办公室",
            "中心",
            "厅",
            "部",
            "街道办事处",
            "镇",
            "乡",
        ]
        .iter()
        .any(|s| t.ends_with(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notice_parts() {
        assert_eq!(
            notice_subject("关于下马关镇设施农业黄金蜜(葡萄)种植项目绩效目标设定的公示"),
            Some("下马关镇设施农业黄金蜜(葡萄)种植项目")
        );
        assert_eq!(
            goal_sentence("项目总体绩效目标是:增加产值80万元。现将绩效目标设定如下:"),
            Some("增加产值80万元。")
        );
        assert_eq!(
            funds_amount("(宁财指标[2022]605号)资金50万元,实施"),
            Some(50.0)
        );
    }
}
