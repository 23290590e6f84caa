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
    let s = fixed(x, 2);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.to_string() }
}

fn fixed2(x: f64) -> String {
    let s = fixed(x, 2);
    if s == "-0.00" { "0.00".into() } else { s }
}

/// `x` with `decimals` decimals, exactly as `format!("{x:.decimals$}")` writes it. Rust's exact
/// formatting falls back to big-number arithmetic for many values (a packet formats every
/// amount, score and indicator value a few times over: ≈ 3 % of a run); here the figure is
/// rounded with one multiplication when that cannot round differently from the exact value,
/// and handed to `format!` otherwise (near a tie, beyond 10¹⁵, not finite).
pub(crate) fn fixed(x: f64, decimals: usize) -> String {
    fast_fixed(x, decimals).unwrap_or_else(|| format!("{x:.decimals$}"))
}

fn fast_fixed(x: f64, decimals: usize) -> Option<String> {
    use std::fmt::Write;
    const SCALES: [u64; 5] = [1, 10, 100, 1_000, 10_000];
    let scale = *SCALES.get(decimals)?;
    // |x| × 10^decimals, rounded once: within half an ulp of the exact product, so the two round
    // to the same integer unless the product is within an ulp of a half.
    let product = x.abs() * scale as f64;
    // Not finite (NaN compares false), or too large for the integer below.
    if !product.is_finite() || product >= 1e15 {
        return None;
    }
    let from_half = (product - product.trunc() - 0.5).abs();
    if from_half <= product * f64::EPSILON * 2.0 {
        return None;
    }
    let n = product.round() as u64;
    let mut s = String::with_capacity(24);
    if x.is_sign_negative() {
        s.push('-');
    }
    let _ = write!(s, "{}", n / scale);
    if decimals > 0 {
        let _ = write!(s, ".{:0decimals$}", n % scale);
    }
    Some(s)
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

    /// The fast path writes what `format!` writes: amounts, scores and values as tables hold
    /// them, exact ties (`0.125`), values a hair from a tie, random bit patterns, signs, zeros,
    /// the very large and the non-finite, at 0–4 decimals.
    #[test]
    fn fixed_is_formats_own() {
        let mut values = vec![
            0.0,
            -0.0,
            0.125,
            -0.125,
            0.375,
            2.5,
            0.005,
            1.005,
            1.015,
            -0.001,
            99.995,
            12692.07,
            1e15,
            1e15 - 1.0,
            9.999_999_999_999e14,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MIN_POSITIVE,
        ];
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..50_000 {
            let r = next();
            // Cents and ten-thousandths as tables write them, ±, up to 10^9.
            let cents = (r % 100_000_000_000) as f64;
            values.push(cents / 100.0);
            values.push(-(cents / 10_000.0));
            // Exact binary fractions: many ties.
            values.push((r % 1_000_000) as f64 / 64.0);
            // Neighbours of ties.
            let tie = (r % 10_000_000) as f64 / 100.0 + 0.005;
            values.push(tie.next_up());
            values.push(tie.next_down());
            // Any finite double.
            let bits = f64::from_bits(next());
            if bits.is_finite() {
                values.push(bits);
            }
        }
        for x in values {
            for d in 0..=4 {
                assert_eq!(fixed(x, d), format!("{x:.d$}"), "{x:e} at {d}");
            }
        }
    }

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
