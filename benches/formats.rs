//! Reading speed of the structured readers: `cargo bench --bench formats`.
//!
//! Needs the large renderings, made once by
//! `python3 tests/fixtures/formats/make_fixtures.py --bench target/bench-inputs` (all 306 tables of
//! sample 000 as one Word document, the PDF LibreOffice prints from it, and a web page). Reports
//! each file's size, pages or tables, and the best of `JIXIAO_BENCH_RUNS` reads (default 5) for the
//! reader alone and for reader + normaliser. Targets (issue 11): a 100-page PDF in under 2 s, a 1 MB
//! .docx in under 0.5 s, on the 2-core machine.

use std::path::Path;
use std::time::{Duration, Instant};

use jixiao_core::ReadLimits;
use jixiao_ingest::read_bytes;
use jixiao_normalize::{NormalizeContext, normalize_document};

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-inputs");
    let runs: usize = std::env::var("JIXIAO_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    let ctx = NormalizeContext::new(&Default::default(), Some(2024)).expect("built-in dictionary");
    let limits = ReadLimits::default();
    let mut found = false;
    for name in ["big.docx", "big.pdf", "big.html"] {
        let Ok(bytes) = std::fs::read(dir.join(name)) else {
            continue;
        };
        found = true;
        let best = |f: &dyn Fn()| {
            (0..runs)
                .map(|_| {
                    let t = Instant::now();
                    f();
                    t.elapsed()
                })
                .min()
                .unwrap_or(Duration::ZERO)
        };
        let doc = read_bytes(name, &bytes, None, None, &limits);
        let pages = doc.rows.iter().filter_map(|r| r.page).max().unwrap_or(0);
        let records = normalize_document(doc, &ctx).records.len();
        let read = best(&|| {
            read_bytes(name, &bytes, None, None, &limits);
        });
        let both = best(&|| {
            normalize_document(read_bytes(name, &bytes, None, None, &limits), &ctx);
        });
        let mb = bytes.len() as f64 / 1e6;
        let per_100_pages = if pages > 0 {
            format!(
                ", {:.3} s per 100 pages",
                read.as_secs_f64() * 100.0 / f64::from(pages)
            )
        } else {
            String::new()
        };
        println!(
            "{name}: {mb:.2} MB, {pages} pages, {records} records; read {:.3} s ({:.3} s per MB{per_100_pages}); read + normalize {:.3} s",
            read.as_secs_f64(),
            read.as_secs_f64() / mb,
            both.as_secs_f64(),
        );
    }
    if !found {
        eprintln!(
            "no bench inputs in {}: run python3 tests/fixtures/formats/make_fixtures.py --bench target/bench-inputs",
            dir.display()
        );
    }
}
