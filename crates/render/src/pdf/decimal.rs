//! Numbers in content streams: coordinates, sizes and colours with at most three decimals (a
//! thousandth of a point is 0.35 µm, below what any printer or screen shows at any zoom),
//! trailing zeros dropped, never an exponent. The layout works in `f32`, whose shortest decimal
//! form is often eight digits long (`730.85004` for 730.85): three decimals make the streams
//! shorter, and cheaper to write and to deflate, than Rust's `Display` of the same values.

/// Largest magnitude written as such (a page is at most a few thousand points across); beyond it,
/// and for a value that is not a number, the nearest of ±[`LIMIT`] or 0 is written.
const LIMIT: f64 = 1.0e9;

/// Appends `v` rounded to the nearest thousandth (halves away from zero): `12.25`, `730.85`,
/// `-0.5`, `0` (never `-0`).
pub(super) fn push_f32(out: &mut Vec<u8>, v: f32) {
    let thousandths = to_thousandths(f64::from(v));
    if thousandths < 0 {
        out.push(b'-');
    }
    let magnitude = thousandths.unsigned_abs();
    push_integer(out, magnitude / 1000);
    let fraction = magnitude % 1000;
    if fraction != 0 {
        let digits = [
            b'.',
            b'0' + (fraction / 100) as u8,
            b'0' + (fraction / 10 % 10) as u8,
            b'0' + (fraction % 10) as u8,
        ];
        let len = match (fraction % 100, fraction % 10) {
            (0, _) => 2,
            (_, 0) => 3,
            _ => 4,
        };
        out.extend_from_slice(&digits[..len]);
    }
}

/// `v × 1000` rounded half away from zero, within ±[`LIMIT`] thousands; 0 for NaN.
fn to_thousandths(v: f64) -> i64 {
    if v.is_nan() {
        return 0;
    }
    let scaled = (v * 1000.0).clamp(-LIMIT * 1000.0, LIMIT * 1000.0);
    // `as` truncates toward zero (`f64::round` is a library call where SSE4.1 is not assumed).
    let whole = scaled as i64;
    let rest = scaled - whole as f64;
    whole + i64::from(rest >= 0.5) - i64::from(rest <= -0.5)
}

/// Appends `n` in decimal digits.
fn push_integer(out: &mut Vec<u8>, n: u64) {
    let mut backwards = [0u8; 20];
    let mut count = 0;
    let mut rest = n;
    loop {
        backwards[count] = b'0' + (rest % 10) as u8;
        rest /= 10;
        count += 1;
        if rest == 0 || count == backwards.len() {
            break;
        }
    }
    out.extend(backwards[..count].iter().rev());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(v: f32) -> String {
        let mut out = Vec::new();
        push_f32(&mut out, v);
        String::from_utf8(out).unwrap_or_default()
    }

    #[test]
    fn page_values_print_with_at_most_three_decimals() {
        let cases: [(f32, &str); 16] = [
            (0.0, "0"),
            (-0.0, "0"),
            (1.0, "1"),
            (0.5, "0.5"),
            (0.1, "0.1"),
            (12.25, "12.25"),
            (730.85, "730.85"),
            (595.2756, "595.276"),
            (841.8898, "841.89"),
            (-1.5, "-1.5"),
            (-0.0004, "0"),
            (0.0005, "0.001"),
            (1e-7, "0"),
            (10.5, "10.5"),
            (f32::NAN, "0"),
            (f32::INFINITY, "1000000000"),
        ];
        for (v, text) in cases {
            assert_eq!(written(v), text, "{v:e}");
        }
    }

    /// Every value a page holds reads back within half a thousandth, in the shortest such text.
    #[test]
    fn values_read_back_within_half_a_thousandth() {
        let mut values = Vec::new();
        for i in -20_000..20_000 {
            values.push(i as f32 / 100.0);
            values.push(i as f32 * 0.352_778);
            values.push(i as f32 * 10.5 * 0.917_969 + 56.692_913);
        }
        for v in values {
            let text = written(v);
            let back: f64 = text.parse().unwrap_or(f64::NAN);
            assert!(
                (back - f64::from(v)).abs() <= 0.000_5 + 1e-9,
                "{v} written {text}"
            );
            assert!(!text.contains('e') && text != "-0", "{v} written {text}");
            if let Some((_, decimals)) = text.split_once('.') {
                assert!(decimals.len() <= 3 && !decimals.ends_with('0'), "{text}");
            }
        }
    }
}
