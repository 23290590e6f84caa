//! Character preparation and number tokens (Arabic numbers and small Chinese numerals).

use super::unit;
use crate::text;

/// What a number is in the value: a quantity, or a part of a calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    Plain,
    Year,
    Month,
    Day,
}

/// One number of a value, by char positions in the prepared text.
#[derive(Debug, Clone)]
pub(crate) struct Num {
    pub start: usize,
    pub end: usize,
    pub value: f64,
    /// Digits before the decimal point (thousands separators not counted); 0 for Chinese numerals.
    pub int_digits: usize,
    pub integer: bool,
    pub role: Role,
}

/// The text as the scanners see it: HTML/LaTeX residue removed ([`text::clean_cell`]), full-width ASCII
/// half-width, radicals folded, dash and tilde variants unified, `≧`/`≦` as `≥`/`≤`.
///
/// The Chinese comma `，` is kept: it is a clause break, never a thousands separator.
pub(crate) fn prepare(raw: &str) -> Vec<char> {
    text::clean_cell(raw)
        .chars()
        .map(|c| match c {
            '，' => '，',
            '–' | '—' | '―' | '−' | '‐' | '‑' | '─' | '﹣' => '-',
            '～' | '〜' | '∼' | '˜' => '~',
            '≧' | '⩾' => '≥',
            '≦' | '⩽' => '≤',
            '﹪' => '%',
            c if c.is_whitespace() => ' ',
            c => text::fold_han(text::half_width(c)),
        })
        .collect()
}

pub(crate) fn is_digit(chars: &[char], i: usize) -> bool {
    chars.get(i).is_some_and(char::is_ascii_digit)
}

/// Every number in order. Dates written with separators (`2024.1.1`, `2024-12-31`, `2024/1/1`) come out
/// as year, month and day tokens so that `.` is not read as a decimal point there.
pub(crate) fn numbers(chars: &[char]) -> Vec<Num> {
    let mut out: Vec<Num> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if is_digit(chars, i) {
            if let Some(end) = separated_date(chars, i, &mut out) {
                i = end;
                continue;
            }
            let num = arabic(chars, i);
            i = num.end;
            out.push(num);
        } else if let Some(num) = chinese(chars, i) {
            i = num.end;
            out.push(num);
        } else {
            i += 1;
        }
    }
    out
}

fn digits_at(chars: &[char], start: usize, max: usize) -> Option<(u32, usize)> {
    let mut end = start;
    let mut value = 0u32;
    while let Some(d) = chars.get(end).and_then(|c| c.to_digit(10)) {
        if end - start == max {
            return None;
        }
        value = value * 10 + d;
        end += 1;
    }
    (end > start).then_some((value, end))
}

/// `Y.M.D`, `Y-M-D`, `Y/M/D` (one separator throughout), and `Y.M` when it is one end of a range
/// (`2024.1-2024.12`). Pushes the tokens and returns the end.
fn separated_date(chars: &[char], start: usize, out: &mut Vec<Num>) -> Option<usize> {
    let (year, y_end) =
        digits_at(chars, start, 4).filter(|(y, e)| e - start == 4 && (1990..=2100).contains(y))?;
    let sep = *chars.get(y_end).filter(|c| matches!(c, '.' | '-' | '/'))?;
    let (month, m_end) = digits_at(chars, y_end + 1, 2).filter(|(m, _)| (1..=12).contains(m))?;
    let day = if chars.get(m_end) == Some(&sep) {
        digits_at(chars, m_end + 1, 2).filter(|(d, _)| (1..=31).contains(d))
    } else {
        None
    };
    if day.is_none() {
        let range_after = matches!(chars.get(m_end), Some('-' | '~' | '至' | '到'));
        let range_before = start > 0
            && matches!(chars.get(start - 1), Some('-' | '~' | '至' | '到'))
            && out.last().is_some_and(|n| n.role != Role::Plain);
        if sep != '.' || !(range_after || range_before) {
            return None;
        }
    }
    let token = |start, end, value: u32, role| Num {
        start,
        end,
        value: f64::from(value),
        int_digits: end - start,
        integer: true,
        role,
    };
    out.push(token(start, y_end, year, Role::Year));
    out.push(token(y_end + 1, m_end, month, Role::Month));
    match day {
        Some((d, d_end)) => {
            out.push(token(m_end + 1, d_end, d, Role::Day));
            Some(d_end)
        }
        None => Some(m_end),
    }
}

/// An Arabic number at `start`: digits, `,` thousands groups (only after a 1–3 digit lead and only in
/// groups of exactly three), an optional decimal part.
fn arabic(chars: &[char], start: usize) -> Num {
    let mut digits = String::new();
    let mut i = start;
    while let Some(&c) = chars.get(i).filter(|c| c.is_ascii_digit()) {
        digits.push(c);
        i += 1;
    }
    let mut int_digits = digits.len();
    if int_digits <= 3 {
        while chars.get(i) == Some(&',')
            && (1..=3).all(|k| is_digit(chars, i + k))
            && !is_digit(chars, i + 4)
        {
            digits.extend(chars.get(i + 1..i + 4).into_iter().flatten());
            int_digits += 3;
            i += 4;
        }
    }
    let mut integer = true;
    if chars.get(i) == Some(&'.') && is_digit(chars, i + 1) {
        integer = false;
        digits.push('.');
        i += 1;
        while let Some(&c) = chars.get(i).filter(|c| c.is_ascii_digit()) {
            digits.push(c);
            i += 1;
        }
    }
    Num {
        start,
        end: i,
        value: digits.parse().unwrap_or(0.0),
        int_digits,
        integer,
        role: Role::Plain,
    }
}

fn cn_digit(c: char) -> Option<u32> {
    Some(match c {
        '零' | '〇' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

/// A small Chinese numeral (`一`, `两`, `十二`, `一百二十`) at `start`, only when a counting classifier
/// follows (`一次`, `两个`): that keeps 一般/统一/一致/进一步/一等奖 from reading as numbers.
fn chinese(chars: &[char], start: usize) -> Option<Num> {
    let first = *chars.get(start)?;
    if cn_digit(first).is_none_or(|d| d == 0) && first != '十' {
        return None;
    }
    let mut total = 0u32;
    let mut pending: Option<u32> = None;
    let mut i = start;
    while let Some(&c) = chars.get(i) {
        if let Some(d) = cn_digit(c) {
            // Two plain digits in a row (`一二`, `三三联动`) are not a numeral we trust.
            if pending.is_some_and(|p| p != 0) {
                return None;
            }
            pending = Some(d);
        } else if c == '十' || c == '百' {
            let scale = if c == '十' { 10 } else { 100 };
            total += pending.unwrap_or(1) * scale;
            pending = None;
        } else {
            break;
        }
        i += 1;
        if i - start > 6 {
            return None;
        }
    }
    total += pending.unwrap_or(0);
    let (unit, _) = unit::match_unit(chars, i)?;
    // 一次性 is "one-off", not a count.
    if !unit.chinese_classifier || (unit.canonical == "次" && chars.get(i + 1) == Some(&'性')) {
        return None;
    }
    Some(Num {
        start,
        end: i,
        value: f64::from(total),
        int_digits: 0,
        integer: true,
        role: Role::Plain,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(s: &str) -> Vec<f64> {
        numbers(&prepare(s)).iter().map(|n| n.value).collect()
    }

    #[test]
    fn arabic_numbers_and_separators() {
        assert_eq!(values("11,800.00"), vec![11800.0]);
        assert_eq!(values("1,048.54万元"), vec![1048.54]);
        assert_eq!(values("１２,３４５"), vec![12345.0]);
        // Not thousands: a 4-digit lead, a 2-digit group, a Chinese comma.
        assert_eq!(values("1234,567"), vec![1234.0, 567.0]);
        assert_eq!(values("1,23"), vec![1.0, 23.0]);
        assert_eq!(values("1，200"), vec![1.0, 200.0]);
        assert_eq!(values("3."), vec![3.0]);
    }

    #[test]
    fn separated_dates_are_date_tokens() {
        let nums = numbers(&prepare("2024.1.1-2024.12.31"));
        let roles: Vec<Role> = nums.iter().map(|n| n.role).collect();
        assert_eq!(
            roles,
            [
                Role::Year,
                Role::Month,
                Role::Day,
                Role::Year,
                Role::Month,
                Role::Day
            ]
        );
        let nums = numbers(&prepare("2024.1-2024.12"));
        assert!(nums.iter().all(|n| n.role != Role::Plain));
        // A lone Y.M stays a decimal number.
        let nums = numbers(&prepare("2024.12万元"));
        assert_eq!(nums.len(), 1);
        assert_eq!(nums.first().map(|n| n.value), Some(2024.12));
    }

    #[test]
    fn chinese_numerals_need_a_classifier() {
        assert_eq!(values("一次"), vec![1.0]);
        assert_eq!(values("两个"), vec![2.0]);
        assert_eq!(values("十二个"), vec![12.0]);
        assert_eq!(values("二十五人"), vec![25.0]);
        assert_eq!(values("一百二十件"), vec![120.0]);
        for word in [
            "一般",
            "统一",
            "一致",
            "进一步",
            "一等奖",
            "一次性补助",
            "三三联动",
            "十四五规划",
        ] {
            assert_eq!(values(word), Vec::<f64>::new(), "{word}");
        }
    }
}
