//! Number and date formats shared by every format, so a figure reads the same in Excel, PDF and HTML.

/// 万元 amounts: two decimals with thousands separators (`12,692.07`).
pub(crate) fn wan(x: f64) -> String {
    let fixed = format!("{:.2}", x.abs());
    let (int, frac) = fixed.split_once('.').unwrap_or((fixed.as_str(), "00"));
    let mut grouped = String::with_capacity(int.len() + int.len() / 3);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if x < 0.0 && fixed != "0.00" { "-" } else { "" };
    format!("{sign}{grouped}.{frac}")
}

/// Scores and percentages: at most two decimals, no trailing zeros (`91.06`, `100`, `87.5`).
pub(crate) fn num(x: f64) -> String {
    let s = format!("{:.2}", x);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.to_string() }
}

/// `2024-03-01` → `2024年3月1日`; anything else unchanged.
pub(crate) fn date_zh(iso: &str) -> String {
    let parts: Vec<&str> = iso.split('-').collect();
    match parts.as_slice() {
        [y, m, d] => match (m.parse::<u32>(), d.parse::<u32>()) {
            (Ok(m), Ok(d)) => format!("{y}年{m}月{d}日"),
            _ => iso.to_string(),
        },
        _ => iso.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_has_separators_and_two_decimals() {
        assert_eq!(wan(12692.07), "12,692.07");
        assert_eq!(wan(109.5), "109.50");
        assert_eq!(wan(1234567.891), "1,234,567.89");
        assert_eq!(wan(0.0), "0.00");
        assert_eq!(wan(-1000.0), "-1,000.00");
    }

    #[test]
    fn scores_drop_trailing_zeros() {
        assert_eq!(num(91.06), "91.06");
        assert_eq!(num(100.0), "100");
        assert_eq!(num(87.5), "87.5");
        assert_eq!(num(-0.001), "0");
    }

    #[test]
    fn dates_read_in_chinese() {
        assert_eq!(date_zh("2024-03-01"), "2024年3月1日");
        assert_eq!(date_zh("soon"), "soon");
    }
}
