//! Amount and percentage cells of funds blocks (年度资金总额, 财政拨款, 资金支出计划 ...).

use super::scan::{self, Num, Role};
use super::unit::{self, Kind, Scale};

/// An amount cell in 万元 (the unit of funds blocks when none is written). `元`, `千元`, `亿元` convert;
/// a label before the number is skipped (`年度资金总额(含本级) 50万元` → 50); the first amount wins
/// (`854万(高标准农田建设400万元,…)` → 854). Blank, `-`, `—`, `无` → `None`; `0` → `Some(0.0)`.
///
/// Numbers split by stray spaces (`7181. 19`, `1534 0.33`, from PDF budget tables) are joined when the
/// cell is nothing but digit groups (plus an optional money unit) separated by single spaces and the
/// joined text is one well-formed number; two spaces, a tab or an ideographic space are a column gap
/// and stop the join.
pub(crate) fn parse_money(text: &str) -> Option<f64> {
    // Cleaning collapses whitespace, so the column-gap test looks at the raw text.
    let trimmed = text.trim();
    let gap = trimmed.contains("  ") || trimmed.contains(['\t', '\u{3000}']);
    let prepared = scan::prepare(text);
    let chars = if gap {
        prepared
    } else {
        join_split_number(prepared)
    };
    let mut nums = scan::numbers(&chars);
    super::time::classify(&chars, &mut nums);
    for n in nums.iter().filter(|n| n.role == Role::Plain) {
        if is_enumeration(&chars, n) {
            continue;
        }
        match unit::read_unit(&chars, n.end).map(|(_, kind, _)| kind) {
            None => return Some(n.value),
            Some(Kind::Money(scale) | Kind::Bare(scale)) => return Some(scale.to_wan(n.value)),
            // A count or a percentage in an amount cell is not the amount (`(含2个项目) 50`).
            Some(_) => continue,
        }
    }
    None
}

/// A percentage cell of a spending plan (`25%`, `100%`, `75`) in percent (0–100 scale as written).
pub(crate) fn parse_percent(text: &str) -> Option<f64> {
    let chars = scan::prepare(text);
    scan::numbers(&chars)
        .iter()
        .find(|n| !is_enumeration(&chars, n))
        .map(|n| n.value)
}

/// `1.`, `1、`, `(1)` in front of a label: an enumeration, not an amount.
fn is_enumeration(chars: &[char], n: &Num) -> bool {
    let next = chars.get(n.end).copied();
    let after = chars.get(n.end + 1).copied();
    let prev = n.start.checked_sub(1).and_then(|i| chars.get(i)).copied();
    next == Some('、')
        || (next == Some('.') && after.is_some_and(|c| !c.is_ascii_digit() && c != ' '))
        || (matches!(prev, Some('(' | '（')) && matches!(next, Some(')' | '）')) && after.is_some())
}

/// Joins `7181. 19` → `7181.19` and `1534 0.33` → `15340.33` (rule in [`parse_money`]).
fn join_split_number(chars: Vec<char>) -> Vec<char> {
    let numeric_end = chars
        .iter()
        .position(|c| !(c.is_ascii_digit() || matches!(c, '.' | ',' | ' ')))
        .unwrap_or(chars.len());
    let (head, tail) = chars.split_at(numeric_end);
    let tail_is_unit = tail.is_empty()
        || unit::read_unit(tail, 0).is_some_and(|(_, kind, end)| {
            matches!(kind, Kind::Money(_) | Kind::Bare(Scale::Wan | Scale::Yi)) && end == tail.len()
        });
    let head_str: String = head.iter().collect();
    let core = head_str.trim_end();
    if !tail_is_unit
        || !core.contains(' ')
        || core.contains("  ")
        || !core.starts_with(|c: char| c.is_ascii_digit())
    {
        return chars;
    }
    let joined: String = core.chars().filter(|c| *c != ' ').collect();
    let well_formed =
        joined.matches('.').count() <= 1 && !joined.ends_with('.') && !joined.contains(",.");
    if !well_formed {
        return chars;
    }
    joined.chars().chain(tail.iter().copied()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_amounts_default_to_wan() {
        assert_eq!(parse_money("40"), Some(40.0));
        assert_eq!(parse_money("14.76"), Some(14.76));
        assert_eq!(parse_money("1,048.54"), Some(1048.54));
        assert_eq!(parse_money("55.00 "), Some(55.0));
        assert_eq!(parse_money("368.00"), Some(368.0));
        assert_eq!(parse_money("12,692.07"), Some(12692.07));
        assert_eq!(parse_money("０"), Some(0.0));
        assert_eq!(parse_money("0"), Some(0.0));
    }

    #[test]
    fn units_and_labels() {
        assert_eq!(parse_money("50万元"), Some(50.0));
        assert_eq!(parse_money("年度资金总额(含本级) 50万元"), Some(50.0));
        assert_eq!(
            parse_money("854万(高标准农田建设400万元,示范建设295万元,畅通工程159万元)"),
            Some(854.0)
        );
        assert_eq!(parse_money("5000元"), Some(0.5));
        assert_eq!(parse_money("25千元"), Some(2.5));
        assert_eq!(parse_money("1.2亿元"), Some(12_000.0));
        assert_eq!(parse_money("2024年预算数 30"), Some(30.0));
        assert_eq!(parse_money("1.财政拨款 40"), Some(40.0));
    }

    #[test]
    fn blanks_are_none_not_zero() {
        for blank in ["", " ", "-", "—", "——", "无", "/", "<p></p>", "&nbsp;"] {
            assert_eq!(parse_money(blank), None, "{blank:?}");
        }
    }

    #[test]
    fn split_numbers_are_joined_only_when_well_formed() {
        assert_eq!(parse_money("7181. 19"), Some(7181.19));
        assert_eq!(parse_money("1534 0.33"), Some(15340.33));
        assert_eq!(parse_money("1534 0.33万元"), Some(15340.33));
        // Two dots after joining: not one number, the first wins.
        assert_eq!(parse_money("1.5 2.5"), Some(1.5));
        // A double space is a column gap.
        assert_eq!(parse_money("40  10"), Some(40.0));
        // Words in the cell: no joining.
        assert_eq!(parse_money("合计 12 34"), Some(12.0));
    }

    #[test]
    fn percentages() {
        assert_eq!(parse_percent("25%"), Some(25.0));
        assert_eq!(parse_percent("100%"), Some(100.0));
        assert_eq!(parse_percent("75"), Some(75.0));
        assert_eq!(parse_percent("１２.５％"), Some(12.5));
        assert_eq!(parse_percent(""), None);
        assert_eq!(parse_percent("-"), None);
    }
}
