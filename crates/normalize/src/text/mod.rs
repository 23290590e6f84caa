//! Cell text hygiene: what every cell goes through before it is matched or shown.
//!
//! Two different needs, kept apart on purpose: [`clean_cell`] keeps the text as the reader wrote it (a
//! record shows the value as written) and only removes extraction residue; [`fold_label`] builds a
//! matching key that throws away everything two spellings of one label may differ in.

mod clean;
mod tables;

pub(crate) use clean::clean_cell;

/// The first 40 characters of `text` (with `…` when cut), for quoting a cell in a diagnostic.
pub(crate) fn clip(text: &str) -> String {
    let mut s: String = text.chars().take(40).collect();
    if text.chars().count() > 40 {
        s.push('…');
    }
    s
}

/// Full-width ASCII (U+FF01–U+FF5E) → half-width and the ideographic space → a space; nothing else.
///
/// Number scanning needs `９５％` to read as `95%`; NFKC would also rewrite Chinese punctuation in prose,
/// which is why this is a targeted map.
pub(crate) fn half_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// The unified (simplified) ideograph for a radical code point or a traditional character that PDF
/// extraction or a mixed-script source puts into a simplified table; other characters unchanged.
pub(crate) fn fold_han(c: char) -> char {
    // Kangxi radicals first map to their (possibly traditional) ideograph: ⾨ → 門 → 门.
    let c = unify_radical(c);
    if has_simplified(c) {
        tables::simplified(c).unwrap_or(c)
    } else {
        c
    }
}

/// The ideograph a Kangxi radical (U+2F00–U+2FD5, as NFKC maps it) or a CJK Radicals Supplement
/// form (U+2E80–U+2EF3) stands for; any other character unchanged.
fn unify_radical(c: char) -> char {
    let code = c as u32;
    if (0x2F00..=0x2FD5).contains(&code) {
        tables::KANGXI
            .chars()
            .nth((code - 0x2F00) as usize)
            .unwrap_or(c)
    } else if (0x2E80..=0x2EF3).contains(&code) {
        tables::radical_supplement(c).unwrap_or(c)
    } else {
        c
    }
}

/// `text` with its radical code points made the ideographs they stand for (`⼈⼤` → `人大`,
/// `攀枝花市⻄区` → `攀枝花市西区`), when it has any; `None` when there is nothing to change.
///
/// A CJK font draws 人 and the radical ⼈ with one glyph, and a PDF that maps the glyph back to
/// text may name the radical (Chromium's "Save as PDF" does, for every character that has one): the
/// text looks right and matches nothing, sorts apart and names another department. No budget table
/// writes a radical on purpose. Traditional characters stay as written (that is [`fold_han`]'s
/// business, for matching only).
pub(crate) fn unify_radicals(text: &str) -> Option<String> {
    // U+2E80..=U+2FDF are the UTF-8 sequences E2 BA 80 ..= E2 BF 9F.
    let any = text
        .as_bytes()
        .windows(2)
        .any(|w| w[0] == 0xE2 && (0xBA..=0xBF).contains(&w[1]));
    any.then(|| text.chars().map(unify_radical).collect())
}

/// Whether [`tables::simplified`] maps `c`: one bit per character of the CJK blocks, built once,
/// so that the common case (a character already simplified) skips the table's search (5 % of
/// normalising).
fn has_simplified(c: char) -> bool {
    const FIRST: u32 = 0x3400;
    const LAST: u32 = 0x9FFF;
    static BITS: std::sync::OnceLock<Vec<u64>> = std::sync::OnceLock::new();
    let code = c as u32;
    if !(FIRST..=LAST).contains(&code) {
        // Outside the blocks: rare in a table, asked directly.
        return tables::simplified(c).is_some();
    }
    let bits = BITS.get_or_init(|| {
        let mut bits = vec![0u64; ((LAST - FIRST) as usize) / 64 + 1];
        for code in FIRST..=LAST {
            if char::from_u32(code).and_then(tables::simplified).is_some() {
                let i = (code - FIRST) as usize;
                bits[i / 64] |= 1 << (i % 64);
            }
        }
        bits
    });
    let i = (code - FIRST) as usize;
    bits[i / 64] & (1 << (i % 64)) != 0
}

/// One character of [`fold_label`]; `None` drops it (whitespace, zero-width marks, `*`/`★` emphasis).
/// Exposed so that a caller can walk raw text and the folded key in step (to split a label off a cell).
pub(crate) fn fold_char(c: char) -> Option<char> {
    if c.is_whitespace() || matches!(c, '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}') {
        return None;
    }
    Some(match half_width(c) {
        '【' | '〔' | '〖' | '[' | '「' => '(',
        '】' | '〕' | '〗' | ']' | '」' => ')',
        '*' | '★' | '☆' | '※' => return None,
        // Characters a copy could not encode (`绩????效`, mirror sites): never part of a label.
        '?' | '\u{FFFD}' => return None,
        other => fold_han(other),
    })
}

/// The matching key of a label: no whitespace at all, half-width ASCII, `()` for every bracket pair,
/// no `*`/`★` emphasis marks, no `?`/`\u{FFFD}` left by a copy that lost characters, radicals and traditional characters folded to simplified, no trailing
/// colon. Two spellings of one label (`服务对 象满 意度 指 标：`, `服务对象满意度指标`) get the same key.
pub(crate) fn fold_label(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    out.extend(text.chars().filter_map(fold_char));
    while out.ends_with(':') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_simplified_bitset_agrees_with_the_table() {
        let mut mapped = 0;
        for c in (0..0x3_0000).filter_map(char::from_u32) {
            assert_eq!(has_simplified(c), tables::simplified(c).is_some(), "{c}");
            mapped += usize::from(has_simplified(c));
        }
        assert!(mapped > 100, "{mapped} characters mapped");
        assert_eq!(fold_han('價'), '价');
        assert_eq!(fold_han('价'), '价');
    }

    #[test]
    fn width_folds_ascii_only() {
        let width = |t: &str| t.chars().map(half_width).collect::<String>();
        assert_eq!(width("≥９５％，ＡＢ　x"), "≥95%,AB x");
        // Chinese punctuation outside the block stays as written.
        assert_eq!(width("完成。、"), "完成。、");
    }

    #[test]
    fn labels_fold_spacing_width_brackets_and_colons() {
        assert_eq!(fold_label("服务对 象满 意度 指 标："), "服务对象满意度指标");
        assert_eq!(fold_label("可持续影 响指标\n"), "可持续影响指标");
        assert_eq!(fold_label("部门（单位）"), "部门(单位)");
        assert_eq!(fold_label("【项目名称】:"), "(项目名称)");
        assert_eq!(fold_label("〔年度目标〕"), "(年度目标)");
        assert_eq!(fold_label("*项目名称"), "项目名称");
        assert_eq!(fold_label("★ 指标值\u{3000}\u{a0}"), "指标值");
        assert_eq!(fold_label("年度资金总额：："), "年度资金总额");
        assert_eq!(fold_label("ＡＢＣ１２"), "ABC12");
        assert_eq!(fold_label("绩????效 目??标"), "绩效目标");
    }

    #[test]
    fn labels_fold_traditional_and_radicals() {
        assert_eq!(fold_label("績效標"), "绩效标");
        assert_eq!(fold_label("滿意度"), "满意度");
        assert_eq!(fold_label("資金總額"), "资金总额");
        assert_eq!(fold_label("部⻔"), "部门");
        assert_eq!(fold_label("⽬标"), "目标");
        assert_eq!(fold_label("⼈数"), "人数");
        assert_eq!(fold_label("⾨"), "门");
        assert_eq!(fold_label("⻓期⻅效"), "长期见效");
        assert_eq!(fold_label("指標値"), "指标值");
    }

    #[test]
    fn fold_char_drops_and_maps() {
        assert_eq!(fold_char(' '), None);
        assert_eq!(fold_char('\u{3000}'), None);
        assert_eq!(fold_char('★'), None);
        assert_eq!(fold_char('（'), Some('('));
        assert_eq!(fold_char('：'), Some(':'));
        assert_eq!(fold_char('標'), Some('标'));
        assert_eq!(fold_char('项'), Some('项'));
    }

    #[test]
    fn radicals_become_ideographs_and_nothing_else_changes() {
        assert_eq!(
            unify_radicals("攀枝花市⻄区⼈⺠代表⼤会").as_deref(),
            Some("攀枝花市西区人民代表大会")
        );
        assert_eq!(unify_radicals("⾨⻔").as_deref(), Some("門门"));
        // Nothing to change: no copy. Dashes, ≥ and quotes share the radicals' lead byte.
        assert_eq!(unify_radicals("人大 — ≥95% “门”"), None);
        // Description characters (U+2FF0…) are no radicals.
        assert_eq!(unify_radicals("⿰").as_deref(), Some("⿰"));
    }

    #[test]
    fn kangxi_table_is_complete_and_ordered() {
        assert_eq!(tables::KANGXI.chars().count(), 214);
        assert_eq!(fold_han('\u{2F00}'), '一');
        assert_eq!(fold_han('\u{2FD5}'), '龠');
        assert_eq!(fold_han('⽔'), '水');
        assert_eq!(fold_han('⾦'), '金');
    }
}
