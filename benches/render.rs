//! Render time per format: `cargo bench --bench render`.
//!
//! Reads, normalises and scores the bundled samples (repeated `JIXIAO_BENCH_REPEAT` times, default 10,
//! for the "10× corpus"), then times the packet context and each format on its own (one thread), so a
//! slow format shows by name. PDF fonts: the bundled font only, so the figure does not depend on the
//! machine's fonts.

use std::time::Instant;

use jixiao_ingest::read_bytes;
use jixiao_normalize::{NormalizeContext, normalize};
use jixiao_render::{
    FontSet, HtmlOptions, PacketContext, PacketMeta, PdfOptions, Wording, XlsxOptions, write_html,
    write_pdf, write_xlsx,
};

fn main() {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut samples = Vec::new();
    for dir in ["samples", "samples/extra"] {
        let mut entries: Vec<_> = std::fs::read_dir(format!("{root}/{dir}"))
            .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        entries.sort();
        for path in entries
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        {
            if let Ok(bytes) = std::fs::read(&path) {
                samples.push((path.display().to_string(), bytes));
            }
        }
    }
    let ctx = NormalizeContext::new(&Default::default(), Some(2024)).expect("built-in dictionary");
    let score_ctx = jixiao_score::ScoreContext::new(
        &Default::default(),
        root.as_ref(),
        2024,
        &Default::default(),
    )
    .unwrap_or_else(|e| panic!("default rubric: {e:?}"));
    let wording = Wording::load(None).expect("bundled wording");
    let fonts_config = jixiao_config::FontsConfig {
        system: false,
        ..Default::default()
    };
    let fonts =
        FontSet::resolve(&fonts_config, root.as_ref(), &mut Vec::new()).expect("bundled font");
    let repeat = std::env::var("JIXIAO_BENCH_REPEAT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10usize);
    for repeat in [1, repeat] {
        let docs: Vec<_> = (0..repeat)
            .flat_map(|_| {
                samples
                    .iter()
                    .map(|(name, b)| read_bytes(name, b, None, None, &Default::default()))
            })
            .collect();
        let ledger = normalize(docs, &ctx);
        let card = jixiao_score::score(&ledger, &score_ctx);
        let meta = PacketMeta {
            title: "bench".into(),
            year: 2024,
            as_of: "2024-03-01".into(),
            issuer: "示例市财政局".into(),
            rubric_name: card.rubric.name.clone(),
            rubric_version: card.rubric.version.clone(),
            department: None,
            resubmit_by: "2024-03-16".into(),
            jurisdiction: None,
        };
        let start = Instant::now();
        let mut packet = PacketContext::build(&ledger, &card, meta, None);
        packet.text = wording.prose(&packet).expect("prose");
        packet.strings = wording.strings.clone();
        let context_ms = start.elapsed().as_secs_f64() * 1e3;
        let time = |f: &dyn Fn() -> usize| {
            let t = Instant::now();
            let bytes = f();
            (t.elapsed().as_secs_f64() * 1e3, bytes as f64 / 1e6)
        };
        let (xlsx_ms, xlsx_mb) = time(&|| {
            write_xlsx(&packet, &XlsxOptions::default())
                .map(|b| b.len())
                .unwrap_or(0)
        });
        let (pdf_ms, pdf_mb) = time(&|| {
            let options = PdfOptions {
                fonts: &fonts,
                sheets: true,
            };
            write_pdf(&packet, &options, &mut Vec::new())
                .map(|b| b.len())
                .unwrap_or(0)
        });
        let (html_ms, html_mb) = time(&|| {
            write_html(&packet, &HtmlOptions { wording: &wording })
                .map(|b| b.len())
                .unwrap_or(0)
        });
        println!(
            "repeat {repeat:>3}: {:>6} records: context {context_ms:>7.1} ms | xlsx {xlsx_ms:>8.1} ms {xlsx_mb:>5.1} MB | pdf {pdf_ms:>8.1} ms {pdf_mb:>5.1} MB | html {html_ms:>8.1} ms {html_mb:>5.1} MB",
            card.records.len()
        );
    }
}
