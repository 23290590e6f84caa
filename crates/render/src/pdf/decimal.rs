//! Numbers in content streams, written as Rust's `Display` writes an `f32` (the shortest decimal
//! that reads back as the same `f32`, the closest such when there are several, never an exponent)
//! but without `core::fmt`'s general algorithm for the values a page holds: coordinates and sizes
//! below a million with at most nine decimals. For those the shortest decimal has the fewest
//! decimals `k` at which `round(v × 10^k) / 10^k` still reads back as `v`; everything here is
//! exact in `f64` (a 24-bit mantissa times 5^k for k ≤ 9 stays under 53 bits). Any other value,
//! and a value exactly halfway between two candidates, goes to `core::fmt` (tested against it).

/// Largest magnitude the fast path takes: its units are then at most 1/16.
const LIMIT: f32 = 1.0e6;
const MAX_DECIMALS: usize = 9;
const POWERS: [f64; MAX_DECIMALS + 1] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

/// Appends `v` as `format!("{v}")` would. A page repeats its numbers (a table's column edges and
/// row heights, the margins, the font sizes): each thread keeps the text of the last numbers
/// written in a small table indexed by a hash of their bits.
pub(super) fn push_f32(out: &mut Vec<u8>, v: f32) {
    RECENT.with_borrow_mut(|recent| {
        let bits = v.to_bits();
        let slot = &mut recent[(bits.wrapping_mul(0x9E37_79B1) >> (32 - RECENT_BITS)) as usize];
        if slot.bits != bits || slot.len == 0 {
            // Made on the stack (a page writes thousands of numbers); `core::fmt` only for the
            // values the fast path leaves.
            let mut digits = Digits::default();
            let general;
            let text: &[u8] = match shortest(v) {
                Some((negative, n, decimals)) => digits.of(negative, n, decimals),
                None => {
                    general = format!("{v}");
                    general.as_bytes()
                }
            };
            if text.len() > slot.text.len() {
                out.extend_from_slice(text);
                return;
            }
            slot.text[..text.len()].copy_from_slice(text);
            slot.len = text.len() as u8;
            slot.bits = bits;
        }
        out.extend_from_slice(&slot.text[..usize::from(slot.len)]);
    });
}

const RECENT_BITS: u32 = 12;

/// A number's text as written last; `len` 0 for a slot not used yet.
#[derive(Clone, Copy, Default)]
struct Written {
    bits: u32,
    len: u8,
    text: [u8; 19],
}

thread_local! {
    static RECENT: std::cell::RefCell<Vec<Written>> =
        std::cell::RefCell::new(vec![Written::default(); 1 << RECENT_BITS]);
}

/// `(negative, n, k)` with `|v|` printed as `n × 10^-k`, or `None` for the general algorithm.
fn shortest(v: f32) -> Option<(bool, u64, usize)> {
    let magnitude = v.abs();
    if magnitude.is_nan() || magnitude >= LIMIT || (v == 0.0 && v.is_sign_negative()) {
        return None;
    }
    if magnitude == 0.0 {
        return Some((false, 0, 0));
    }
    let x = f64::from(magnitude);
    // The decimals that read back as `magnitude` lie between the midpoints to its neighbours;
    // a midpoint itself reads back as `magnitude` when its mantissa is even (ties to even).
    let low = (x + f64::from(magnitude.next_down())) / 2.0;
    let high = (x + f64::from(magnitude.next_up())) / 2.0;
    let inclusive = magnitude.to_bits() & 1 == 0;
    for (decimals, scale) in POWERS.iter().enumerate() {
        let scaled = x * scale;
        // `as` truncates: the floor of a positive value below 10^15 (`f64::round` is a library
        // call, and a conversion to `u64` costs more than one to `i64`).
        let floor = scaled as i64;
        let fraction = scaled - floor as f64;
        if fraction == 0.5 {
            // Two candidates equally close (a shorter one fits first for every value tried):
            // leave the choice to core::fmt.
            return None;
        }
        let n = (floor + i64::from(fraction > 0.5)) as f64;
        let (low, high) = (low * scale, high * scale);
        let inside = if inclusive {
            low <= n && n <= high
        } else {
            low < n && n < high
        };
        if inside {
            return Some((v < 0.0, n as u64, decimals));
        }
    }
    None
}

/// A number's text made on the stack: a sign, up to 20 digits and a point.
#[derive(Default)]
struct Digits {
    text: [u8; 24],
    len: usize,
}

impl Digits {
    /// `n × 10^-decimals`, negative when `negative` (`decimals` ≤ [`MAX_DECIMALS`]).
    fn of(&mut self, negative: bool, n: u64, decimals: usize) -> &[u8] {
        let mut backwards = [0u8; 21];
        let mut count = 0;
        let mut rest = n;
        while (rest > 0 || count <= decimals) && count < backwards.len() {
            backwards[count] = b'0' + (rest % 10) as u8;
            rest /= 10;
            count += 1;
        }
        self.len = 0;
        if negative {
            self.push(b'-');
        }
        // `backwards` holds the digits last first, at least one before the point.
        for i in (decimals..count).rev() {
            self.push(backwards[i]);
        }
        if decimals > 0 {
            self.push(b'.');
            for i in (0..decimals).rev() {
                self.push(backwards[i]);
            }
        }
        &self.text[..self.len]
    }

    fn push(&mut self, b: u8) {
        if let Some(slot) = self.text.get_mut(self.len) {
            *slot = b;
            self.len += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `v` written twice: once made, once from the table of recent numbers.
    fn ours(v: f32) -> String {
        let mut out = Vec::new();
        push_f32(&mut out, v);
        let first = String::from_utf8(out).unwrap_or_default();
        let mut again = Vec::new();
        push_f32(&mut again, v);
        assert_eq!(first.as_bytes(), again, "{v} read from the table");
        first
    }

    #[test]
    fn page_values_print_as_display_prints_them() {
        let mut values = vec![
            0.0, -0.0, 1.0, 0.5, 0.1, 0.001, 595.2756, 841.8898, 1e-7, 999_999.94,
        ];
        values.extend([
            f32::MAX,
            f32::MIN_POSITIVE,
            f32::NAN,
            f32::INFINITY,
            1.0e6,
            12.25,
        ]);
        // Layout-like values: hundredths, sums of widths times sizes, scaled millimetres.
        for i in -20_000..20_000 {
            values.push(i as f32 / 100.0);
            values.push(i as f32 * 0.352_778);
            values.push(i as f32 * 10.5 * 0.917_969 + 56.692_913);
        }
        for v in values {
            assert_eq!(ours(v), format!("{v}"), "{:e} ({:#x})", v, v.to_bits());
        }
    }

    #[test]
    fn every_kind_of_f32_prints_as_display_prints_it() {
        // A fixed stride through the bit patterns below a million and their negatives.
        let top = LIMIT.to_bits();
        let mut bits = 1u32;
        while bits < top {
            let v = f32::from_bits(bits);
            for v in [v, -v] {
                assert_eq!(ours(v), format!("{v}"), "{:#x}", v.to_bits());
            }
            bits += 1_987;
        }
    }

    #[test]
    fn the_fast_path_takes_most_page_values() {
        let taken = (0..10_000)
            .map(|i| i as f32 * 0.352_778)
            .filter(|v| shortest(*v).is_some())
            .count();
        assert!(taken > 9_000, "{taken}");
    }
}
