//! Number and date formats shared by every format, so a figure reads the same in Excel, PDF and HTML.
//!
//! One way for each kind of figure, in every format (the workbook's number formats match):
//! - amounts in 万元: two decimals, no thousands separators, as budget tables and 公文 write them
//!   (`12692.07`);
//! - scores, points lost, means and shares: always two decimals (`83.50`, `100.00`, `40.00`), so a
//!   column of them lines up and `83.5` never stands next to `80.16`;
//! - configured weights and thresholds (a rule's 满分, the grade bands): as configured, without
//!   trailing zeros (`4`, `15`, `90`);
//! - counts: integers, printed by the templates as they are.

/// 万元 amounts: two decimals, no thousands separators (`12692.07`).
pub(crate) fn wan(x: f64) -> String {
    fixed2(x)
}

/// Scores, points lost, means and percentages: always two decimals (`91.06`, `100.00`, `87.50`).
pub(crate) fn score(x: f64) -> String {
    fixed2(x)
}

/// Configured weights and thresholds: at most two decimals, no trailing zeros (`4`, `7.5`, `90`).
pub(crate) fn num(x: f64) -> String {
    let s = format!("{:.2}", x);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.to_string() }
}

fn fixed2(x: f64) -> String {
    let s = format!("{:.2}", x);
    if s == "-0.00" { "0.00".into() } else { s }
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
    fn money_has_two_decimals_and_no_separators() {
        assert_eq!(wan(12692.07), "12692.07");
        assert_eq!(wan(109.5), "109.50");
        assert_eq!(wan(1234567.891), "1234567.89");
        assert_eq!(wan(0.0), "0.00");
        assert_eq!(wan(-1000.0), "-1000.00");
        assert_eq!(wan(-0.001), "0.00");
    }

    #[test]
    fn scores_always_have_two_decimals() {
        assert_eq!(score(91.06), "91.06");
        assert_eq!(score(100.0), "100.00");
        assert_eq!(score(87.5), "87.50");
        assert_eq!(score(-0.001), "0.00");
    }

    #[test]
    fn weights_drop_trailing_zeros() {
        assert_eq!(num(4.0), "4");
        assert_eq!(num(7.5), "7.5");
        assert_eq!(num(-0.001), "0");
    }

    #[test]
    fn dates_read_in_chinese() {
        assert_eq!(date_zh("2024-03-01"), "2024年3月1日");
        assert_eq!(date_zh("soon"), "soon");
    }
}
