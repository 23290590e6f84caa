//! Structured reading of a 指标值 (target value) as written in real tables: comparator, numbers, unit,
//! money in 万元, time, qualitative. Also the amount and percentage cells of funds blocks.
//!
//! Hand-written scanners over chars, one pass each, no backtracking: this runs ~20k times per run and
//! on whatever an extraction step produced, so it never indexes unchecked and never panics.
//!
//! Choices a reader of the output should know:
//! - The *main number* is the first number that is not part of a date; `unit` is its unit.
//! - `comparator` is the main number's; when it has none, the first comparator attached to any number
//!   (`…180天次…费用不超过20万元` → `<=`). A range (`90%-95%`) starting at the main number gives `Range`.
//! - `money_wan` is the *first* total amount, not a sum (`会议费32.6万元，其他15万元` → 32.6; `numbers`
//!   holds them all). Amounts that are unit rates (`1600元/亩`, `每人200元`) are skipped; `unit_rate` is
//!   true when the value has rates and no total amount.
//! - A bare `万` (`≤27万`) keeps unit `万`, but counts as 27 万元 in `money_wan` when nothing but a
//!   bracket, punctuation, a comparator suffix or the end follows it: budget tables drop 元 all the time,
//!   while `2万余人`/`15万人` are counts. The caller knows whether the row is a cost row and may ignore it
//!   elsewhere.

mod compare;
mod money;
mod scan;
mod target;
mod time;
mod unit;

#[cfg(test)]
mod tests;

pub(crate) use money::{parse_money, parse_percent};
pub(crate) use target::{clauses, split_target};

use jixiao_core::{Comparator, ParsedValue};
use scan::{Num, Role};
use unit::Kind;

/// What surrounds one number: unit, comparator, unit rate, and where its reading ends.
#[derive(Debug, Default)]
struct Reading {
    unit: Option<String>,
    kind: Option<Kind>,
    /// End of the unit (or of the number when there is none).
    unit_end: usize,
    /// End of everything read after the number, comparator suffix included.
    end: usize,
    comparator: Option<Comparator>,
    rate: bool,
}

/// Reads a target value. Never panics; text without any number gives `qualitative: true`.
pub(crate) fn parse_value(text: &str) -> ParsedValue {
    let chars = scan::prepare(text);
    let mut nums = scan::numbers(&chars);
    time::classify(&chars, &mut nums);
    let readings = read_all(&chars, &nums);

    let main = nums.iter().position(|n| n.role == Role::Plain);
    let main_reading = main.and_then(|m| readings.get(m));
    let mut unit = main_reading.and_then(|r| r.unit.clone());
    let mut kind = main_reading.and_then(|r| r.kind);
    let mut comparator = main_reading.and_then(|r| r.comparator);
    if let Some(m) = main
        && let Some((other_unit, other_kind)) = range_end(&chars, &nums, &readings, m)
    {
        comparator = Some(Comparator::Range);
        if unit.is_none() {
            unit = other_unit;
            kind = other_kind;
        }
    }
    if comparator.is_none() {
        comparator = readings.iter().find_map(|r| r.comparator);
    }

    let money_wan = nums
        .iter()
        .zip(&readings)
        .find_map(|(n, r)| money_of(&chars, n, r));
    let unit_rate = money_wan.is_none() && readings.iter().any(|r| r.rate);
    let durations = nums
        .iter()
        .zip(&readings)
        .any(|(n, r)| n.role == Role::Plain && r.kind == Some(Kind::Duration));
    let time = time::spec(&chars, &nums, kind, durations);
    ParsedValue {
        comparator,
        numbers: nums.iter().map(|n| n.value).collect(),
        unit,
        money_wan,
        unit_rate,
        time,
        qualitative: nums.is_empty(),
    }
}

fn read_all(chars: &[char], nums: &[Num]) -> Vec<Reading> {
    let mut out: Vec<Reading> = Vec::with_capacity(nums.len());
    let mut prev_end = 0;
    for n in nums {
        if n.role != Role::Plain {
            prev_end = n.end;
            out.push(Reading {
                unit_end: n.end,
                end: n.end,
                ..Reading::default()
            });
            continue;
        }
        let mut clause = n.start;
        while clause > prev_end
            && !chars
                .get(clause - 1)
                .is_some_and(|c| compare::is_clause_break(*c))
        {
            clause -= 1;
        }
        let mut r = Reading {
            unit_end: n.end,
            end: n.end,
            ..Reading::default()
        };
        if let Some((u, kind, end)) = unit::read_unit(chars, n.end) {
            r.unit = Some(u);
            r.kind = Some(kind);
            r.unit_end = end;
            r.end = end;
        }
        if matches!(r.kind, Some(Kind::Money(_) | Kind::Bare(_))) {
            if let Some((per, end)) = per_unit(chars, r.unit_end) {
                r.unit = r.unit.map(|u| format!("{u}/{per}"));
                r.rate = true;
                r.end = end;
            } else if rate_marker(chars.get(clause..n.start).unwrap_or_default())
                || in_product(chars, n, &r)
            {
                r.rate = true;
            }
        }
        let pre = compare::prefix(chars, clause, n.start);
        let suf = compare::suffix(chars, r.end);
        if let Some((_, end)) = suf {
            r.end = end;
        }
        r.comparator = match (pre, suf) {
            (Some((cmp, false)), _) => Some(cmp),
            (pre, Some((cmp, _))) => Some(cmp).or(pre.map(|p| p.0)),
            (pre, None) => pre.map(|p| p.0),
        };
        prev_end = r.end;
        out.push(r);
    }
    out
}

fn is_han(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c) || ('\u{3400}'..='\u{4DBF}').contains(&c)
}

/// `/亩`, `/人·天`, `/人/天` after a money unit: what the amount is per, and the end.
fn per_unit(chars: &[char], at: usize) -> Option<(String, usize)> {
    let mut i = at;
    while chars.get(i) == Some(&' ') {
        i += 1;
    }
    if chars.get(i) != Some(&'/') {
        return None;
    }
    i += 1;
    while chars.get(i) == Some(&' ') {
        i += 1;
    }
    let start = i;
    let mut end = start;
    while end - start < 8
        && chars.get(end).is_some_and(|c| {
            is_han(*c) || matches!(c, '·' | '/' | '²' | '³') || c.is_ascii_alphabetic()
        })
    {
        end += 1;
    }
    let per: String = chars.get(start..end)?.iter().collect();
    let per = per.trim_end_matches('/');
    (!per.is_empty()).then(|| (per.to_string(), end))
}

/// An amount that is a factor of a product (`4次*500元/次=2000元`, `1000*2元`, `2元×8人`): a rate, the
/// total is the amount after `=`.
fn in_product(chars: &[char], n: &Num, r: &Reading) -> bool {
    let is_times = |c: Option<&char>| matches!(c, Some('×' | '*' | 'x' | 'X' | '✕'));
    let mut b = n.start;
    while b > 0 && chars.get(b - 1) == Some(&' ') {
        b -= 1;
    }
    let mut a = r.unit_end;
    while chars.get(a) == Some(&' ') {
        a += 1;
    }
    (b > 0 && is_times(chars.get(b - 1))) || is_times(chars.get(a))
}

/// Words before an amount that make it a rate: 每人/每个床位 (每年 is an annual total), 人均, 户均, 单价,
/// 标准.
fn rate_marker(clause: &[char]) -> bool {
    let has = |w: &str| {
        let w: Vec<char> = w.chars().collect();
        clause.windows(w.len()).any(|win| win == w.as_slice())
    };
    clause
        .iter()
        .enumerate()
        .any(|(k, c)| *c == '每' && clause.get(k + 1) != Some(&'年'))
        || ["人均", "户均", "单价", "标准"].iter().any(|w| has(w))
}

/// When the main number starts a range (`90%-95%`, `90~95%`, `90至95`), the unit of its other end.
fn range_end(
    chars: &[char],
    nums: &[Num],
    readings: &[Reading],
    m: usize,
) -> Option<(Option<String>, Option<Kind>)> {
    let (a, ra) = (nums.get(m)?, readings.get(m)?);
    let (b, rb) = (nums.get(m + 1)?, readings.get(m + 1)?);
    if b.role != Role::Plain {
        return None;
    }
    let mut i = ra.unit_end;
    while chars.get(i) == Some(&' ') {
        i += 1;
    }
    if !matches!(chars.get(i), Some('-' | '~' | '至' | '到')) {
        return None;
    }
    i += 1;
    while chars.get(i) == Some(&' ') {
        i += 1;
    }
    let same_unit = ra.unit.is_none() || rb.unit.is_none() || ra.unit == rb.unit;
    (i == b.start && a.end <= b.start && same_unit).then(|| (rb.unit.clone(), rb.kind))
}

/// The amount in 万元 of one number, when it is a total amount (see the module doc for bare 万).
fn money_of(chars: &[char], n: &Num, r: &Reading) -> Option<f64> {
    if n.role != Role::Plain || r.rate {
        return None;
    }
    match r.kind? {
        Kind::Money(scale) => Some(scale.to_wan(n.value)),
        Kind::Bare(scale) => {
            let after_slash = n.start > 0 && chars.get(n.start - 1) == Some(&'/');
            let mut i = r.unit_end;
            while chars.get(i) == Some(&' ') {
                i += 1;
            }
            let terminal = match chars.get(i) {
                None => true,
                Some(c) if is_han(*c) => {
                    compare::suffix(chars, i).is_some()
                        || matches!(chars.get(i..i + 2), Some(['左', '右']))
                }
                Some(_) => true,
            };
            (terminal && !after_slash).then(|| scale.to_wan(n.value))
        }
        _ => None,
    }
}

/// An unfilled template value: no number, only a comparator sign, a unit and placeholder marks
/// (`公里`, `≧ %`, `≥**%`, `万人`). Such a 指标值 says what the department was to fill in, not a target.
pub(crate) fn is_placeholder(text: &str) -> bool {
    let chars = scan::prepare(text);
    if chars.iter().any(char::is_ascii_digit) {
        return false;
    }
    let body: Vec<char> = chars
        .into_iter()
        .filter(|c| {
            !matches!(
                c,
                ' ' | '*' | '＊' | '×' | 'X' | 'x' | '≥' | '≤' | '>' | '<' | '=' | '＞' | '＜'
            )
        })
        .collect();
    if body.is_empty() {
        return !text.trim().is_empty();
    }
    matches!(unit::read_unit(&body, 0), Some((_, _, end)) if end == body.len())
}
