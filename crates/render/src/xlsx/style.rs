//! Cell formats, column widths and the print setup every sheet shares.

use rust_xlsxwriter::{
    ConditionalFormatCell, ConditionalFormatCellRule, Format, FormatAlign, FormatBorder, Worksheet,
    XlsxError,
};
use unicode_width::UnicodeWidthStr;

use super::Cx;

/// 万元 amounts.
pub(super) const AMOUNT: &str = "0.00";
/// Scores, points and percentages.
pub(super) const SCORE: &str = "0.00";

/// The widest a column grows to; longer text wraps inside it.
pub(super) const WIDTH_CAP: f64 = 60.0;
/// The widest a column of long prose (原文, 扣分理由) grows to.
pub(super) const LONG_CAP: f64 = 50.0;
const WIDTH_MIN: f64 = 6.0;

/// Grades in 优 良 中 差 order, with their colours (cell font, cell fill, chart): the one palette.
pub(super) const GRADE_COLOURS: [(&str, u32, u32, u32); 4] = crate::palette::GRADES;

/// The formats of one workbook.
pub(super) struct Formats {
    pub title: Format,
    pub heading: Format,
    pub header: Format,
    pub text: Format,
    pub wrap: Format,
    pub amount: Format,
    pub score: Format,
    pub int: Format,
}

impl Formats {
    pub(super) fn new() -> Formats {
        let cell = Format::new()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::Top);
        Formats {
            title: Format::new().set_bold().set_font_size(16),
            heading: Format::new().set_bold().set_font_size(12),
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_background_color(0xD9E1F2)
                .set_border(FormatBorder::Thin),
            wrap: cell.clone().set_text_wrap(),
            amount: cell.clone().set_num_format(AMOUNT),
            score: cell.clone().set_num_format(SCORE),
            int: cell.clone().set_num_format("0"),
            text: cell,
        }
    }
}

/// Display width of the widest line of `s` (CJK counts two).
pub(super) fn display_width(s: &str) -> usize {
    s.lines().map(UnicodeWidthStr::width).max().unwrap_or(0)
}

/// Column width in Excel's character units for content `width` columns wide, within `cap`.
pub(super) fn column_width(width: usize, cap: f64) -> f64 {
    (width as f64 * 1.1 + 2.0).clamp(WIDTH_MIN, cap)
}

/// Widest table (sum of column widths, in Excel's character units) printed one page wide: A4
/// landscape holds ≈ 140 characters at 100 %, so up to this width the text stays at 8 pt or more.
const FIT_WIDTH: f64 = 190.0;

/// The print scale of a wider table (11-point text → 8 pt), whose first columns then repeat on every
/// page across.
const WIDE_SCALE: u16 = 75;

/// A4 landscape, `rows` repeated on every page, `第 n 页 共 m 页` centred below. A table up to
/// [`FIT_WIDTH`] wide (`width`; `None` for the summary) prints one page wide; a wider one at
/// [`WIDE_SCALE`] % over several pages across, its first three columns (序号, 部门, 项目) repeated,
/// rather than shrunk to unreadable 3–4 pt.
pub(super) fn print_setup(
    sheet: &mut Worksheet,
    cx: &Cx,
    rows: Option<(u32, u32)>,
    width: Option<f64>,
) -> Result<(), XlsxError> {
    sheet
        .set_paper_size(9)
        .set_landscape()
        .set_footer(footer(cx.s("packet.page_footer")));
    match width {
        Some(w) if w > FIT_WIDTH => {
            sheet.set_print_scale(WIDE_SCALE);
            sheet.set_repeat_columns(0, 2)?;
        }
        _ => {
            sheet.set_print_fit_to_pages(1, 0);
        }
    }
    if let Some((first, last)) = rows {
        sheet.set_repeat_rows(first, last)?;
    }
    Ok(())
}

/// The height (points) of a header row whose titles wrap in their columns: LibreOffice and WPS do
/// not grow a row for wrapped text by themselves, and would clip the titles.
pub(super) fn header_height(titles_and_widths: impl Iterator<Item = (usize, f64)>) -> f64 {
    let lines = titles_and_widths
        .map(|(chars, width)| {
            // A bold title is wider than its characters; a cell loses about one unit to padding.
            let room = (width - 1.0).max(1.0);
            ((chars as f64 * 1.1) / room).ceil().max(1.0)
        })
        .fold(1.0, f64::max);
    15.0 * lines + 3.0
}

/// `第 {page} 页 共 {pages} 页` as an Excel footer: `&` doubled, placeholders to `&P` / `&N`.
fn footer(template: &str) -> String {
    let text = template
        .replace('&', "&&")
        .replace("{pages}", "&N")
        .replace("{page}", "&P");
    let footer = format!("&C{text}");
    // Excel's limit; a longer (bureau-supplied) footer would be dropped with a warning on stderr.
    if footer.encode_utf16().count() > 255 {
        "&C&P / &N".into()
    } else {
        footer
    }
}

/// Colours the grade cells of column `col`, rows `first..=last`: 优 green, 良 blue, 中 amber, 差 red.
pub(super) fn grade_colours(
    sheet: &mut Worksheet,
    first: u32,
    last: u32,
    col: u16,
) -> Result<(), XlsxError> {
    if first > last {
        return Ok(());
    }
    for (grade, font, fill, _) in GRADE_COLOURS {
        let rule = ConditionalFormatCell::new()
            .set_rule(ConditionalFormatCellRule::EqualTo(grade))
            .set_format(
                Format::new()
                    .set_font_color(font)
                    .set_background_color(fill),
            );
        sheet.add_conditional_format(first, col, last, col, &rule)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn footer_uses_excel_codes() {
        assert_eq!(footer("第 {page} 页 共 {pages} 页"), "&C第 &P 页 共 &N 页");
        assert_eq!(footer("A&B {page}"), "&CA&&B &P");
        assert_eq!(footer(&"页".repeat(300)), "&C&P / &N");
    }

    #[test]
    fn widths_count_cjk_double_and_are_capped() {
        assert_eq!(display_width("光纤租赁"), 8);
        assert_eq!(display_width("ab\n光纤租赁费"), 10);
        assert!((column_width(8, WIDTH_CAP) - 10.8).abs() < 1e-9);
        assert_eq!(column_width(1, WIDTH_CAP), WIDTH_MIN);
        assert_eq!(column_width(500, WIDTH_CAP), WIDTH_CAP);
    }
}
