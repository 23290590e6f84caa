//! Every fixture under `tests/fixtures/formats/` (Word, PDF, web page, workbook renderings of sample
//! tables) read through the real reader and normaliser, field by field against the records the
//! text sample gives for the same tables.
//!
//! A fixture `X.ext` has a sidecar `X.ext.toml`:
//! ```toml
//! sample = "003-yongning-tuanjiexilu-2024-project-targets.txt"  # under samples/
//! records = 5                   # how many records the fixture must give
//! # or, for a file that must be refused:
//! # error = "ingest.old-format"
//! ```
//! The fixture's records must equal, in order, records of the sample with the same names: every
//! field (name, unit, code, funds, goal, year, each indicator's categories, name, value and parsed
//! value) except line numbers and diagnostics, which differ between formats by nature.

use std::path::{Path, PathBuf};

use jixiao_core::{ReadLimits, Record, SourceDocument};
use jixiao_normalize::{NormalizeContext, normalize_document};
use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    sample: Option<String>,
    records: Option<usize>,
    error: Option<String>,
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read(path: &Path) -> SourceDocument {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    jixiao_ingest::read_bytes(name, &bytes, None, None, &ReadLimits::default())
}

fn records(doc: SourceDocument) -> Vec<Record> {
    let ctx = NormalizeContext::new(&Default::default(), Some(2024)).expect("dictionary");
    normalize_document(doc, &ctx).records
}

/// A record as JSON without what legitimately differs between formats: line numbers, diagnostics.
pub fn fields(record: &Record) -> Value {
    fn strip(v: &mut Value) {
        match v {
            Value::Object(map) => {
                for key in ["line", "lines", "field_lines", "diagnostics"] {
                    map.remove(key);
                }
                map.values_mut().for_each(strip);
            }
            Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut v = serde_json::to_value(record).expect("records serialize");
    strip(&mut v);
    v
}

/// The first difference between two field views, as a path and both values.
fn first_difference(path: &str, a: &Value, b: &Value) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => x.keys().chain(y.keys()).find_map(|k| {
            let (va, vb) = (
                x.get(k).unwrap_or(&Value::Null),
                y.get(k).unwrap_or(&Value::Null),
            );
            first_difference(&format!("{path}.{k}"), va, vb)
        }),
        (Value::Array(x), Value::Array(y)) => (0..x.len().max(y.len())).find_map(|i| {
            let (va, vb) = (
                x.get(i).unwrap_or(&Value::Null),
                y.get(i).unwrap_or(&Value::Null),
            );
            first_difference(&format!("{path}[{i}]"), va, vb)
        }),
        _ if a == b => None,
        _ => Some(format!("{path}: sample {a} ≠ fixture {b}")),
    }
}

fn fixtures() -> Vec<(PathBuf, Expect)> {
    let dir = root().join("tests/fixtures/formats");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("fixture folder").flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "toml") {
            let text = std::fs::read_to_string(&path).expect("sidecar");
            let expect: Expect =
                toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            out.push((path.with_extension(""), expect));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[test]
fn every_fixture_reads_field_exactly_like_its_text_sample() {
    let mut problems = Vec::new();
    let mut checked = 0;
    for (path, expect) in fixtures() {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("?")
            .to_string();
        let doc = read(&path);
        if let Some(code) = &expect.error {
            if !doc.diagnostics.iter().any(|d| &d.code == code) {
                problems.push(format!(
                    "{name}: expected {code}, got {:?}",
                    doc.diagnostics
                ));
            }
            checked += 1;
            continue;
        }
        let got = records(doc);
        if let Some(n) = expect.records
            && got.len() != n
        {
            let names: Vec<_> = got.iter().map(|r| r.name.clone()).collect();
            problems.push(format!(
                "{name}: {} records, expected {n}: {names:?}",
                got.len()
            ));
        }
        let Some(sample) = &expect.sample else {
            continue;
        };
        let sample_records = records(read(&root().join("samples").join(sample)));
        let mut from = 0;
        for r in &got {
            let Some(k) = sample_records[from..].iter().position(|s| s.name == r.name) else {
                problems.push(format!("{name}: record {:?} is not in {sample}", r.name));
                continue;
            };
            let want = &sample_records[from + k];
            from += k + 1;
            if let Some(d) = first_difference("", &fields(want), &fields(r)) {
                problems.push(format!("{name}: {:?}{d}", r.name.as_deref().unwrap_or("?")));
            }
            checked += 1;
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(checked > 0, "no fixture was checked");
}
