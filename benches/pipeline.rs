//! Throughput of the reading stages, in-process, on the bundled samples: `cargo bench --bench pipeline`.
//!
//! Reads every sample into memory, repeats the set `JIXIAO_BENCH_REPEAT` times (default 20, about
//! 10 000 tables), then times each stage the way a run does it, on every core: ingest (one file per
//! task), normalize, score (the default rubric, no plugins), and apart from them the JSON a run
//! writes of their output (`records.json` and `scores.json`, pretty, SHA-256 hashed as the driver
//! hashes what it writes; here on one thread into no file). Prints MB of input text per second
//! for each, for the three stages together, and for the three with the JSON: issue 13's
//! "ingest + normalize + score ≥ 100 MB/s", without and with what `jixiao run` counts in its score
//! stage (docs/performance.md). Compare repeat 1 with repeat 20 for linearity.

use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use jixiao_ingest::read_bytes;
use jixiao_normalize::{NormalizeContext, normalize};
use rayon::prelude::*;
use sha2::Digest;

// The allocator the `jixiao` binary runs with.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let root = env!("CARGO_MANIFEST_DIR");
    let samples = samples(Path::new(root));
    let normalizing =
        NormalizeContext::new(&Default::default(), Some(2024)).expect("built-in dictionary");
    let runtime = jixiao_score::PluginRuntime { worker: None };
    let scoring =
        jixiao_score::ScoreContext::new(&Default::default(), Path::new(root), 2024, &runtime)
            .unwrap_or_else(|e| panic!("the default rubric: {e:?}"));
    let cpus = rayon::current_num_threads();
    println!("{cpus} worker threads; MB of input text per second");
    for repeat in [
        1usize,
        std::env::var("JIXIAO_BENCH_REPEAT")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(20),
    ] {
        let inputs: Vec<&(String, Vec<u8>)> = (0..repeat).flat_map(|_| &samples).collect();
        let mb = inputs.iter().map(|(_, b)| b.len()).sum::<usize>() as f64 / 1e6;
        let clock = Instant::now();
        let docs: Vec<_> = inputs
            .par_iter()
            .map(|(name, b)| read_bytes(name, b, None, None, &Default::default()))
            .collect();
        let ingest = clock.elapsed();
        let clock = Instant::now();
        let ledger = normalize(docs, &normalizing);
        let normalize = clock.elapsed();
        let clock = Instant::now();
        let scorecard = jixiao_score::score(&ledger, &scoring);
        let score = clock.elapsed();
        let clock = Instant::now();
        let json = hashed_json(&ledger) + hashed_json(&scorecard);
        let json_time = clock.elapsed();
        let tables: usize = ledger.documents.iter().map(|d| d.records.len()).sum();
        let rate = |d: Duration| mb / d.as_secs_f64().max(1e-9);
        let stages = ingest + normalize + score;
        println!(
            "repeat {repeat:>3}: {tables:>6} tables, {mb:>5.1} MB | ingest {:>6.1} | normalize {:>5.1} | score {:>6.1} | \
             the three {:>5.1} MB/s ({:.0} ms) | JSON {:>5.0} MB written at {:>5.1} MB/s of input on one thread | \
             the three + JSON {:>5.1} MB/s",
            rate(ingest),
            rate(normalize),
            rate(score),
            rate(stages),
            stages.as_secs_f64() * 1e3,
            json as f64 / 1e6,
            rate(json_time),
            rate(stages + json_time),
        );
    }
}

/// Every sample's bytes, named by path.
fn samples(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut samples = Vec::new();
    for dir in ["samples", "samples/extra"] {
        let mut entries: Vec<_> = std::fs::read_dir(root.join(dir))
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
    samples
}

/// `value` as pretty JSON through SHA-256, as the driver writes a JSON file; returns its size.
fn hashed_json<T: serde::Serialize>(value: &T) -> u64 {
    struct Hashing(sha2::Sha256, u64);
    impl Write for Hashing {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.update(buf);
            self.1 += buf.len() as u64;
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut sink = std::io::BufWriter::with_capacity(1 << 16, Hashing(sha2::Sha256::new(), 0));
    serde_json::to_writer_pretty(&mut sink, value).expect("serialisable");
    let hashing = sink.into_inner().unwrap_or_else(|_| panic!("flushed"));
    std::hint::black_box(hashing.0.finalize());
    hashing.1
}
