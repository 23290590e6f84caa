//! Calendar reading: which numbers are years, months and days, and what kind of time a value names.

use super::scan::{Num, Role};
use super::unit::Kind;
use jixiao_core::{TimeKind, TimeSpec};

fn next_non_space(chars: &[char], at: usize) -> usize {
    let mut i = at;
    while chars.get(i) == Some(&' ') {
        i += 1;
    }
    i
}

fn is_range_sep(c: Option<&char>) -> bool {
    matches!(c, Some('-' | '~' | '至' | '到'))
}

/// Marks years (`2024年`, `2024全年`, `2023 年度`), months (`12月`, never `12个月`) and days (`15日` after
/// a month); then the left end of a range whose right end is a date part (`1-12月`, `2024-2025年`).
pub(crate) fn classify(chars: &[char], nums: &mut [Num]) {
    for n in nums.iter_mut() {
        if n.role != Role::Plain {
            continue;
        }
        let after = next_non_space(chars, n.end);
        let next = chars.get(after).copied();
        let whole = |lo: f64, hi: f64| n.integer && n.value >= lo && n.value <= hi;
        let mut b = n.start;
        while b > 0 && chars.get(b - 1) == Some(&' ') {
            b -= 1;
        }
        let before_is_month = b > 0 && chars.get(b - 1) == Some(&'月');
        // `≤1月` is a length of time; a calendar month takes no comparator sign.
        let compared = b > 0 && matches!(chars.get(b - 1), Some('≤' | '≥' | '<' | '>' | '='));
        n.role = if n.int_digits == 4
            && whole(1990.0, 2100.0)
            && (next == Some('年') || (next == Some('全') && chars.get(after + 1) == Some(&'年')))
        {
            Role::Year
        } else if n.int_digits > 0 && whole(1.0, 12.0) && next == Some('月') && !compared {
            Role::Month
        } else if whole(1.0, 31.0) && matches!(next, Some('日' | '号')) && before_is_month {
            Role::Day
        } else {
            Role::Plain
        };
    }
    // Right to left so `1-2-3月`-like chains would resolve from the dated end.
    for k in (1..nums.len()).rev() {
        let (Some(left), Some(right)) = (nums.get(k - 1), nums.get(k)) else {
            continue;
        };
        let sep = next_non_space(chars, left.end);
        let joined = is_range_sep(chars.get(sep)) && next_non_space(chars, sep + 1) == right.start;
        let role = match right.role {
            Role::Year if left.int_digits == 4 && (1990.0..=2100.0).contains(&left.value) => {
                Role::Year
            }
            Role::Month if left.integer && (1.0..=12.0).contains(&left.value) => Role::Month,
            _ => continue,
        };
        if joined
            && left.role == Role::Plain
            && let Some(l) = nums.get_mut(k - 1)
        {
            l.role = role;
        }
    }
}

/// End of a date part including its 年/月/日/号 character and a following 底/末/份/度.
fn date_part_end(chars: &[char], n: &Num) -> usize {
    let mut i = next_non_space(chars, n.end);
    if matches!(chars.get(i), Some('年' | '月' | '日' | '号')) {
        i += 1;
    }
    while matches!(chars.get(i), Some('底' | '末' | '份' | '度' | '年' | ' ')) {
        i += 1;
    }
    i
}

fn contains(chars: &[char], word: &str) -> bool {
    let w: Vec<char> = word.chars().collect();
    !w.is_empty() && chars.windows(w.len()).any(|win| win == w.as_slice())
}

fn starts_with(chars: &[char], at: usize, word: &str) -> bool {
    word.chars()
        .enumerate()
        .all(|(k, w)| chars.get(at + k) == Some(&w))
}

/// The temporal reading. `main_kind` is the unit kind of the main number: a percentage is never time.
/// Precedence: deadline (…前, 年底) → a range of dates (period) → a calendar point (date) → years only
/// (period) → a length of time (duration).
pub(crate) fn spec(
    chars: &[char],
    nums: &[Num],
    main_kind: Option<Kind>,
    durations: bool,
) -> Option<TimeSpec> {
    if main_kind == Some(Kind::Percent) {
        return None;
    }
    let mut years: Vec<i32> = Vec::new();
    for n in nums.iter().filter(|n| n.role == Role::Year) {
        let y = n.value as i32;
        if !years.contains(&y) {
            years.push(y);
        }
    }
    let dated: Vec<&Num> = nums.iter().filter(|n| n.role != Role::Plain).collect();
    let deadline_word = ["年底", "月底", "年末", "月末", "底前"]
        .iter()
        .any(|w| contains(chars, w))
        || (!dated.is_empty() && ["截止", "截至"].iter().any(|w| contains(chars, w)));
    let before_date = dated.iter().any(|n| {
        let end = date_part_end(chars, n);
        ["前", "之前", "以前", "为止"]
            .iter()
            .any(|w| starts_with(chars, end, w))
    });
    let range = dated.windows(2).any(|pair| match pair {
        [a, b] => {
            let sep = date_part_end(chars, a);
            is_range_sep(chars.get(sep)) && next_non_space(chars, sep + 1) == b.start
        }
        _ => false,
    });
    let kind = if deadline_word || before_date {
        TimeKind::Deadline
    } else if range {
        TimeKind::Period
    } else if dated.iter().any(|n| n.role != Role::Year) {
        TimeKind::Date
    } else if !years.is_empty() {
        TimeKind::Period
    } else if durations {
        TimeKind::Duration
    } else {
        return None;
    };
    Some(TimeSpec { kind, years })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::scan;

    fn roles(s: &str) -> Vec<Role> {
        let chars = scan::prepare(s);
        let mut nums = scan::numbers(&chars);
        classify(&chars, &mut nums);
        nums.iter().map(|n| n.role).collect()
    }

    #[test]
    fn calendar_roles() {
        use Role::{Day, Month, Plain, Year};
        assert_eq!(roles("2024年1-12月"), [Year, Month, Month]);
        assert_eq!(roles("2024-2025年"), [Year, Year]);
        assert_eq!(roles("每年11月15日"), [Month, Day]);
        assert_eq!(roles("2023 年度"), [Year]);
        assert_eq!(roles("12个月"), [Plain]);
        assert_eq!(roles("≤1月"), [Plain]);
        assert_eq!(roles("13月"), [Plain]);
        assert_eq!(roles("2024"), [Plain]);
        assert_eq!(roles("1980年"), [Plain]);
        assert_eq!(roles("15日"), [Plain]);
    }
}
