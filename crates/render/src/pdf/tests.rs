use std::sync::OnceLock;

use super::*;

/// The fonts of these tests: the bundled font only, so results do not depend on the machine.
pub(crate) fn fonts() -> &'static FontSet {
    static FONTS: OnceLock<FontSet> = OnceLock::new();
    FONTS.get_or_init(|| {
        let config = jixiao_config::FontsConfig {
            system: false,
            ..Default::default()
        };
        FontSet::resolve(&config, std::path::Path::new("."), &mut Vec::new())
            .expect("the bundled font loads")
    })
}

#[test]
fn sample_pdf_is_deterministic_and_small() {
    let packet = crate::packet::tests::sample_packet();
    let options = PdfOptions {
        fonts: fonts(),
        sheets: true,
    };
    let mut diagnostics = Vec::new();
    let a = write(&packet, &options, &mut diagnostics).expect("pdf");
    let b = write(&packet, &options, &mut Vec::new()).expect("pdf");
    assert!(a.starts_with(b"%PDF-"));
    assert_eq!(a, b, "two writes differ");
    assert!(a.len() < 5_000_000, "{} bytes", a.len());
    if let Ok(dir) = std::env::var("JIXIAO_KEEP_PDF") {
        std::fs::write(std::path::Path::new(&dir).join("sample.pdf"), &a).ok();
    }
}

#[test]
fn a_character_no_font_has_is_reported_and_the_pdf_still_written() {
    let mut packet = crate::packet::tests::sample_packet();
    // A private-use code point: no font maps it.
    packet.projects[0].name.push('\u{10FFFD}');
    let options = PdfOptions {
        fonts: fonts(),
        sheets: true,
    };
    let mut diagnostics = Vec::new();
    let pdf = write(&packet, &options, &mut diagnostics).expect("pdf");
    assert!(pdf.starts_with(b"%PDF-"));
    let missing: Vec<_> = diagnostics
        .iter()
        .filter(|d| d.code == "render.missing-glyph")
        .collect();
    assert_eq!(missing.len(), 1, "{diagnostics:?}");
    assert!(
        missing[0].message.contains("U+10FFFD"),
        "{}",
        missing[0].message
    );
    assert_eq!(missing[0].severity, jixiao_core::Severity::Warning);
}

#[test]
fn the_sample_packet_needs_no_missing_glyph_report() {
    let packet = crate::packet::tests::sample_packet();
    let options = PdfOptions {
        fonts: fonts(),
        sheets: true,
    };
    let mut diagnostics = Vec::new();
    write(&packet, &options, &mut diagnostics).expect("pdf");
    assert!(
        diagnostics.iter().all(|d| d.code != "render.missing-glyph"),
        "{diagnostics:?}"
    );
}

/// The text of a page with each word's box, as poppler sees it: `(xMin, xMax, text)`.
fn words_with_boxes(pdf: &[u8]) -> Vec<(f32, f32, String)> {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).expect("write");
    let out = std::process::Command::new("pdftotext")
        .arg("-bbox")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils, see .ci/deps)");
    let html = String::from_utf8_lossy(&out.stdout).into_owned();
    let attr = |line: &str, name: &str| -> f32 {
        let key = format!("{name}=\"");
        line.split(&key)
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(f32::NAN)
    };
    html.lines()
        .filter(|l| l.trim_start().starts_with("<word"))
        .map(|l| {
            let text = l.split('>').nth(1).unwrap_or("").trim_end_matches("</word");
            (attr(l, "xMin"), attr(l, "xMax"), text.to_string())
        })
        .collect()
}

#[test]
fn a_text_drawn_with_two_faces_stays_on_one_line_at_its_width() {
    // The bundled font first, installed CJK fonts after it: a character the bundled font lacks
    // is drawn with an installed one, in a second run of the same text.
    let bundled = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../assets/fonts/wqy-microhei.ttc"
    );
    let config = jixiao_config::FontsConfig {
        files: vec![bundled.to_string()],
        system: true,
        ..Default::default()
    };
    let fonts =
        FontSet::resolve(&config, std::path::Path::new("."), &mut Vec::new()).expect("fonts load");
    let other = ['㐀', '㐂', '䶮', '𠀀']
        .into_iter()
        .find(|c| matches!(fonts.lookup(fonts::Role::Body, *c), Some((face, _)) if face != 0))
        .expect("an installed CJK font with CJK Extension A (fonts-noto-cjk, see .ci/deps)");
    let text = format!("甲乙{other}丙丁");
    let mut doc = doc::Doc::new(&fonts);
    doc.new_page(false);
    doc.text_at(
        100.0,
        100.0,
        12.0,
        fonts::Role::Body,
        &text,
        doc::Rgb(0.0, 0.0, 0.0),
    );
    let info = emit::Info {
        title: "t",
        author: "a",
        subject: "s",
        date: "2024-03-01",
    };
    let nav = super::navigation::Navigation {
        outline: &[],
        links: &[],
    };
    let pdf = emit::emit(&doc.pages, &fonts, &info, &nav).expect("pdf");
    let words = words_with_boxes(&pdf);
    assert_eq!(words.len(), 1, "{words:?}");
    let (x_min, x_max, word) = &words[0];
    assert_eq!(word, &text);
    let width = fonts.width(fonts::Role::Body, &text, 12.0);
    assert!((x_min - 100.0).abs() < 0.5, "{words:?}");
    assert!(
        (x_max - (100.0 + width)).abs() < 0.5,
        "{words:?} width {width}"
    );
}
