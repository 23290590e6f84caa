//! Throughput of the reading stages on the bundled samples: `cargo bench --bench pipeline`.
//!
//! Reads every sample, repeats the set `JIXIAO_BENCH_REPEAT` times (default 20, about 10 000 tables), and
//! reports tables per second and MB per second for ingest and normalize. The targets (see
//! docs/architecture.md): the five samples in well under a second; time linear in input size — compare
//! the per-MB figure at repeat 1 and at repeat 20.

use std::time::Instant;

use jixiao_ingest::read_bytes;
use jixiao_normalize::{NormalizeContext, normalize};

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
    for repeat in [
        1usize,
        std::env::var("JIXIAO_BENCH_REPEAT")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(20),
    ] {
        let bytes: usize = samples.iter().map(|(_, b)| b.len()).sum::<usize>() * repeat;
        let start = Instant::now();
        let docs: Vec<_> = (0..repeat)
            .flat_map(|_| {
                samples
                    .iter()
                    .map(|(name, b)| read_bytes(name, b, None, None, &Default::default()))
            })
            .collect();
        let ingested = start.elapsed();
        let ledger = normalize(docs, &ctx);
        let total = start.elapsed();
        let tables: usize = ledger.documents.iter().map(|d| d.records.len()).sum();
        let mb = bytes as f64 / 1e6;
        println!(
            "repeat {repeat:>3}: {tables:>6} tables, {mb:>6.1} MB: ingest {:>7.1} ms, total {:>7.1} ms, {:>8.0} tables/s, {:>5.1} ms/MB",
            ingested.as_secs_f64() * 1e3,
            total.as_secs_f64() * 1e3,
            tables as f64 / total.as_secs_f64(),
            total.as_secs_f64() * 1e3 / mb
        );
    }
}
