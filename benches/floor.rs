//! What a department's workbook costs at the least in rust_xlsxwriter, against issue 13's 10×
//! budget: `cargo bench --bench floor`.
//!
//! The 10× target (end to end ≤ 0.9 s on two cores) is 1.8 s of CPU for a corpus of ≈ 990
//! departments (`cargo bench --bench scale -- 10`): ≈ 1.8 ms per department for everything —
//! reading, scoring, the JSON, and each department's PDF, workbook, page and letter. This bench
//! times workbooks with none of jixiao's code in them, only rust_xlsxwriter (the crate the brief
//! prescribes, at the version the render crate builds) saving to memory at jixiao's deflate level:
//! an empty one-sheet workbook, one sheet holding a department's cells (≈ 1,540 on average at
//! 10×: strings and numbers, no formats), and those cells over nine sheets with eight formats (the
//! shape of a department's `packet.xlsx`). One thread; the mean of `JIXIAO_BENCH_REPEAT` workbooks
//! (default 1,000). docs/performance.md reads the figures against the budget.

use std::time::Instant;

use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// Cells of a department's workbook at 10× the samples, on average (read from the 10× packet).
const CELLS: u32 = 1_540;
/// CPU per department the 10× target leaves, in ms: 0.9 s × 2 cores over ≈ 990 departments.
const BUDGET_MS: f64 = 1.8;

fn main() -> Result<(), XlsxError> {
    let repeat: u32 = std::env::var("JIXIAO_BENCH_REPEAT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000);
    let formats: Vec<Format> = (0..8u8)
        .map(|i| {
            Format::new()
                .set_border(rust_xlsxwriter::FormatBorder::Thin)
                .set_font_size(9 + i)
        })
        .collect();
    println!(
        "rust_xlsxwriter alone, one thread, per workbook (budget per department at 10×: {BUDGET_MS} ms of CPU for everything)"
    );
    // What, sheets, cells, formats.
    let cases: [(&str, u32, u32, &[Format]); 3] = [
        ("empty, one sheet", 1, 0, &[]),
        ("one sheet, a department's cells, no formats", 1, CELLS, &[]),
        (
            "nine sheets, a department's cells, eight formats",
            9,
            CELLS,
            &formats,
        ),
    ];
    for (what, sheets, cells, formats) in cases {
        let clock = Instant::now();
        let mut bytes = 0;
        for _ in 0..repeat {
            bytes += workbook(sheets, cells, formats)?.len();
        }
        let ms = clock.elapsed().as_secs_f64() * 1e3 / f64::from(repeat);
        println!(
            "{what:<50} {ms:>6.3} ms ({:>3.0} % of the budget), {:>6} bytes",
            100.0 * ms / BUDGET_MS,
            bytes / repeat as usize
        );
    }
    Ok(())
}

/// A workbook of `cells` cells over `sheets` sheets, ten columns wide, every third column numbers;
/// cell formats taken in turn from `formats` (none when empty). Saved as jixiao saves one.
fn workbook(sheets: u32, cells: u32, formats: &[Format]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    book.set_zip_compression_level(1);
    let per_sheet = cells / sheets;
    for _ in 0..sheets {
        let sheet = book.add_worksheet();
        for i in 0..per_sheet {
            let (row, col) = (i / 10, (i % 10) as u16);
            let format = formats.get(i as usize % formats.len().max(1));
            match (col % 3 == 0, format) {
                (true, Some(f)) => {
                    sheet.write_number_with_format(row, col, f64::from(i) * 1.5, f)?
                }
                (true, None) => sheet.write_number(row, col, f64::from(i) * 1.5)?,
                (false, Some(f)) => {
                    sheet.write_string_with_format(row, col, "项目支出绩效目标", f)?
                }
                (false, None) => sheet.write_string(row, col, "项目支出绩效目标")?,
            };
        }
    }
    book.save_to_buffer()
}
