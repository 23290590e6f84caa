//! A workbook's numbers as Excel shows them: under the cell's number format (`0%`, `0"人"`,
//! `0.00"万元"`, `#,##0.00`), through `ssfmt` (SheetJS SSF's rules).
//!
//! A department types `95%` into a cell formatted as a percentage and Excel stores 0.95; it types
//! `200` into a cell formatted `0"公里"` and the sheet shows `200公里`. The table a reviewer reads,
//! prints and signs shows the formatted text, and so does the record: 0.95 read as the 指标值 of a
//! 合格率 would be a target of 0.95 %. General cells (most) keep the reader's plain number.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Format codes longer than this are not applied (no real table needs one; a hostile file's
/// 100 KB code is not parsed).
const MAX_CODE: usize = 256;

/// The number formats of one workbook, each compiled once.
#[derive(Default)]
pub(crate) struct NumberFormats {
    compiled: HashMap<String, Option<ssfmt::NumberFormat>>,
}

impl NumberFormats {
    /// `value` as a cell formatted with `code` shows it; `None` for General, text (`@`) and codes
    /// that cannot be applied (the caller writes the plain number), and when the format would
    /// show nothing (`;;;`): the value is never lost.
    pub(crate) fn display(&mut self, value: f64, code: &str) -> Option<String> {
        let code = code.trim();
        if code.is_empty() || code.eq_ignore_ascii_case("General") || code == "@" {
            return None;
        }
        if code.len() > MAX_CODE || !value.is_finite() {
            return None;
        }
        let format = self
            .compiled
            .entry(code.to_string())
            .or_insert_with(|| {
                catch_unwind(|| ssfmt::NumberFormat::parse(code).ok())
                    .ok()
                    .flatten()
            })
            .as_ref()?;
        let options = ssfmt::FormatOptions::default();
        let shown = catch_unwind(AssertUnwindSafe(|| format.try_format(value, &options).ok()))
            .ok()
            .flatten()?;
        // Fill and padding (`_)`, `* `, `?`) only align the column.
        let shown = shown.trim();
        (!shown.is_empty()).then(|| shown.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_the_sheet_shows_them() {
        let mut f = NumberFormats::default();
        assert_eq!(f.display(0.95, "0%").as_deref(), Some("95%"));
        assert_eq!(f.display(0.9, "0.0%").as_deref(), Some("90.0%"));
        assert_eq!(f.display(200.0, "0\"公里\"").as_deref(), Some("200公里"));
        assert_eq!(
            f.display(0.6025, "0.00\"万元\"").as_deref(),
            Some("0.60万元")
        );
        assert_eq!(f.display(1048.5, "#,##0.00").as_deref(), Some("1,048.50"));
        assert_eq!(
            f.display(1048.5, "#,##0.00_);(#,##0.00)").as_deref(),
            Some("1,048.50")
        );
    }

    /// Codes a hostile or broken workbook may hold: never a panic, never an empty text.
    #[test]
    fn random_codes_give_a_text_or_the_plain_number() {
        let alphabet: Vec<char> = "0#?.,%\"E+-;@[]$*_\\人万元yMdhms/ Red".chars().collect();
        let mut seed: u64 = 7;
        let mut next = move |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        };
        let mut f = NumberFormats::default();
        for _ in 0..3000 {
            let code: String = (0..1 + next(12))
                .map(|_| alphabet[next(alphabet.len())])
                .collect();
            let value = [0.95, -12.5, 0.0, 1e12, 45292.5][next(5)];
            assert_ne!(f.display(value, &code).as_deref(), Some(""), "{code:?}");
        }
    }

    #[test]
    fn general_text_and_unusable_codes_keep_the_plain_number() {
        let mut f = NumberFormats::default();
        for code in ["General", "general", "@", "", &"0".repeat(300)] {
            assert_eq!(f.display(12.5, code), None, "{code:?}");
        }
        // A format that hides the value (`;;;`) does not lose it.
        assert_ne!(f.display(12.5, ";;;").as_deref(), Some(""));
        assert_eq!(f.display(f64::NAN, "0%"), None);
    }
}
