//! Where a 三级 name ends and its 指标值 starts when a copy or a prose text wrote them together
//! (`黄金蜜种植数量(≥**株)>=17600株`, `生态修复功能提高`, `培训人数300人`).

/// Words that close a qualitative target written right after its name (`生态修复功能提高`).
const QUALITATIVE_ENDINGS: [&str; 10] = [
    "明显提高",
    "显著提高",
    "有所提高",
    "逐步提高",
    "提高",
    "提升",
    "改善",
    "增强",
    "明显",
    "显著",
];

/// Comparators a value starts with, longest first.
const COMPARATORS: [&str; 23] = [
    "不低于",
    "不少于",
    "不高于",
    "不超过",
    "不多于",
    "不小于",
    "不大于",
    "大于等于",
    "小于等于",
    "达到",
    "超过",
    "小于",
    "大于",
    "低于",
    "高于",
    "至少",
    ">=",
    "<=",
    "≥",
    "≤",
    ">",
    "<",
    "=",
];

/// Clauses of a paragraph: cut at `;；。,，:：` outside brackets, trimmed, empty ones dropped.
pub(crate) fn clauses(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut current = String::new();
    for c in text.chars() {
        match c {
            '(' | '（' | '[' | '【' | '《' => depth += 1,
            ')' | '）' | ']' | '】' | '》' => depth -= 1,
            _ => {}
        }
        if depth <= 0 && ";；。,，:：".contains(c) {
            out.push(std::mem::take(&mut current));
            depth = 0;
        } else {
            current.push(c);
        }
    }
    out.push(current);
    out.into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// `黄金蜜种植数量(≥**株)>=17600株` → (`黄金蜜种植数量(≥**株)`, `>=17600株`); `生态修复功能提高` →
/// (`生态修复功能`, `提高`); `行政改革目标完成率 98%` → (`行政改革目标完成率`, `98%`).
///
/// The value starts at the first comparator outside brackets that a number follows; else at a short
/// tail that is a number with its unit (≤ 12 characters, a name of two characters or more before it);
/// else at a closing word of a qualitative target.
pub(crate) fn split_target(clause: &str) -> Option<(&str, &str)> {
    let mut depth = 0i32;
    let mut tail = None;
    for (i, c) in clause.char_indices() {
        match c {
            '(' | '（' => depth += 1,
            ')' | '）' => depth -= 1,
            _ => {}
        }
        if depth != 0 || i == 0 {
            continue;
        }
        let rest = &clause[i..];
        if let Some(cmp) = COMPARATORS.iter().find(|p| rest.starts_with(**p)) {
            let after = &rest[cmp.len()..];
            if after
                .trim_start()
                .starts_with(|ch: char| ch.is_ascii_digit())
            {
                return Some((clause[..i].trim(), rest.trim()));
            }
        }
        if tail.is_none() && c.is_ascii_digit() && is_number_tail(rest) {
            let name = clause[..i].trim();
            if name.chars().filter(|ch| *ch as u32 >= 0x4E00).count() >= 2
                && !name.ends_with(|ch: char| ch.is_ascii_digit() || ch == '.')
                && !COMPARATORS.iter().any(|p| name.ends_with(p))
            {
                tail = Some((name, rest.trim()));
            }
        }
    }
    tail.or_else(|| {
        QUALITATIVE_ENDINGS.iter().find_map(|e| {
            let name = clause.strip_suffix(e)?;
            (name.chars().count() >= 2).then(|| (name.trim(), &clause[name.len()..]))
        })
    })
}

/// `98%`, `300人`, `1万亩`, `95%以上`: a number, its unit and a bound word, nothing else.
fn is_number_tail(rest: &str) -> bool {
    let chars = super::scan::prepare(rest);
    let digits = chars
        .iter()
        .take_while(|c| c.is_ascii_digit() || **c == '.')
        .count();
    if digits == 0 || chars.len() > 14 {
        return false;
    }
    let mut end = digits;
    if let Some((_, _, unit_end)) = super::unit::read_unit(&chars, digits) {
        end = unit_end;
    }
    let after: String = chars[end..].iter().collect();
    let after = after.trim();
    after.is_empty() || ["以上", "以下", "以内", "左右", "及以上", "及以下"].contains(&after)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_values_split_at_the_first_comparator_outside_brackets() {
        assert_eq!(
            split_target("种植作物成活率(≥**%)>=85"),
            Some(("种植作物成活率(≥**%)", ">=85"))
        );
        assert_eq!(
            split_target("补助成本(≤**元/株)≤28.40/株"),
            Some(("补助成本(≤**元/株)", "≤28.40/株"))
        );
        assert_eq!(
            split_target("生态修复功能提高"),
            Some(("生态修复功能", "提高"))
        );
        assert_eq!(split_target("★补助各类瓜果蔬菜种植数量"), None);
        assert_eq!(split_target("持续发展"), None);
    }

    #[test]
    fn clauses_split_outside_brackets() {
        assert_eq!(
            clauses("数量指标:补助数量,种植数量(≥**株,每栋)>=17600株;成活率>=85。"),
            vec![
                "数量指标",
                "补助数量",
                "种植数量(≥**株,每栋)>=17600株",
                "成活率>=85"
            ]
        );
    }

    #[test]
    fn a_number_at_the_end_is_the_value() {
        assert_eq!(split_target("不少于 100 人"), None);
        assert_eq!(
            split_target("通信网络故障率小于2%"),
            Some(("通信网络故障率", "小于2%"))
        );
        assert_eq!(
            split_target("开展对外宣传达到 10 次以上"),
            Some(("开展对外宣传", "达到 10 次以上"))
        );
        assert_eq!(split_target("指标名称100%"), Some(("指标名称", "100%")));
        assert_eq!(
            split_target("行政改革目标完成率 98%"),
            Some(("行政改革目标完成率", "98%"))
        );
        assert_eq!(
            split_target("车辆运转率95%以上"),
            Some(("车辆运转率", "95%以上"))
        );
        assert_eq!(
            split_target("2024年培训人数300人"),
            Some(("2024年培训人数", "300人"))
        );
        assert_eq!(split_target("2024年"), None);
        assert_eq!(split_target("第3季度完成验收"), None);
        assert_eq!(split_target("完成第3季度验收"), None);
    }
}
