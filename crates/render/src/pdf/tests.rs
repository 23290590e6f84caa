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
