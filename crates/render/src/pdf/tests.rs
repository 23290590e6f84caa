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
    let options = PdfOptions { fonts: fonts() };
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
