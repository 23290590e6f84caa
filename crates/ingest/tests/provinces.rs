//! Tables from other provinces (`tests/fixtures/provinces/`, copied from the shared corpus with
//! their hand-typed `expected.json`), read through the real reader and normaliser. Each file that
//! is checked here must give every expected indicator (三级 name and 指标值 as written) and no
//! other; the files not listed are work still to do (issue 12).

use std::path::{Path, PathBuf};

use jixiao_core::ReadLimits;
use jixiao_normalize::{NormalizeContext, normalize_document};
use serde_json::Value;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/provinces")
}

fn expected(file: &str) -> Value {
    let text = std::fs::read_to_string(dir().join("expected.json")).expect("expected.json");
    let all: Value = serde_json::from_str(&text).expect("expected.json is JSON");
    all["records"]
        .as_array()
        .and_then(|r| r.iter().find(|r| r["file"] == file))
        .cloned()
        .unwrap_or_else(|| panic!("{file} not in expected.json"))
}

#[test]
fn space_aligned_hunan_table_reads_every_indicator() {
    let file = "n01_nanyue_2018_lvyou_fupin.txt";
    let bytes = std::fs::read(dir().join(file)).expect("fixture");
    let doc = jixiao_ingest::read_bytes(file, &bytes, None, None, &ReadLimits::default());
    let ctx = NormalizeContext::new(&Default::default(), None).expect("dictionary");
    let records = normalize_document(doc, &ctx).records;
    assert_eq!(records.len(), 1);
    let r = &records[0];
    let want = expected(file);
    assert_eq!(r.name.as_deref(), want["project_name"].as_str());
    assert_eq!(r.year, want["budget_year"].as_i64().map(|y| y as i32));
    let got: Vec<(String, String)> = r
        .indicators
        .iter()
        .map(|i| (i.name.clone(), i.value.clone()))
        .collect();
    let wanted: Vec<(String, String)> = want["indicators"]
        .as_array()
        .expect("indicators")
        .iter()
        .map(|i| {
            (
                i["level3"].as_str().unwrap_or_default().to_string(),
                i["value"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(got, wanted);
}
