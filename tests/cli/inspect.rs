//! `jixiao inspect`: the JSON contract of docs/json-contract.md, checked key by key and against
//! docs/records.schema.json; the table view; the per-sample record counts of issue 2.

use serde_json::Value;

use crate::{assert_code, jixiao, read_json, root, schema};

fn inspect_json(files: &[&str]) -> Value {
    let mut args = vec!["inspect", "--format", "json"];
    args.extend_from_slice(files);
    let r = jixiao(&root(), &args);
    assert!(
        matches!(crate::code(&r), 0 | 1),
        "inspect failed: {}",
        crate::stderr(&r)
    );
    match serde_json::from_slice(&r.stdout) {
        Ok(v) => v,
        Err(e) => panic!("inspect printed no JSON: {e}"),
    }
}

fn keys(v: &Value) -> Vec<&str> {
    v.as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default()
}

#[test]
fn json_output_has_the_document_keys_and_matches_the_schema() {
    let v = inspect_json(&["samples/003-yongning-tuanjiexilu-2024-project-targets.txt"]);
    assert_eq!(keys(&v), ["documents"]);
    let doc = &v["documents"][0];
    assert_eq!(
        keys(doc),
        [
            "file",
            "layout",
            "encoding",
            "facts",
            "records",
            "diagnostics"
        ]
    );
    assert_eq!(
        doc["file"],
        "samples/003-yongning-tuanjiexilu-2024-project-targets.txt"
    );
    let errors = schema::validate(&read_json(&root().join("docs/records.schema.json")), &v);
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn json_records_have_the_documented_keys() {
    let v = inspect_json(&["samples/003-yongning-tuanjiexilu-2024-project-targets.txt"]);
    let rec = &v["documents"][0]["records"][0];
    for k in [
        "kind",
        "lines",
        "year",
        "name",
        "code",
        "unit",
        "supervisor",
        "attributes",
        "funds",
        "spending_plan",
        "goal",
        "indicators",
        "diagnostics",
        "confidence",
    ] {
        assert!(rec.get(k).is_some(), "record lacks {k}: {:?}", keys(rec));
    }
    assert_eq!(keys(&rec["confidence"]), ["level", "recognised", "guessed"]);
    assert_eq!(keys(&rec["funds"]), ["total", "fiscal", "other", "items"]);
    let ind = &rec["indicators"][0];
    for k in [
        "level1",
        "level2",
        "level1_raw",
        "level2_raw",
        "name",
        "value",
        "description",
        "basis",
        "line",
        "parsed",
    ] {
        assert!(ind.get(k).is_some(), "indicator lacks {k}: {:?}", keys(ind));
    }
    assert_eq!(rec["kind"], "project");
    assert_eq!(ind["level1"], "产出指标");
}

#[test]
fn every_sample_matches_the_schema() {
    let v = inspect_json(&[
        "samples/000-panzhihua-xiqu-2024-project-targets.txt",
        "samples/001-yanbian-2021-project-targets.txt",
        "samples/002-renhe-renda-2024-targets.txt",
        "samples/003-yongning-tuanjiexilu-2024-project-targets.txt",
        "samples/004-fengfeng-jiguanshiwu-2024-budget-disclosure.txt",
        "samples/extra/guangyuan-zhaohua-2021-leprosy-project.txt",
        "samples/extra/yueyang-county-2022-farmland-project.txt",
    ]);
    let errors = schema::validate(&read_json(&root().join("docs/records.schema.json")), &v);
    assert!(errors.is_empty(), "{:#?}", &errors[..errors.len().min(20)]);
    let records: usize = v["documents"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|d| d["records"].as_array().map_or(0, Vec::len))
        .sum();
    assert!(records > 0, "the samples yielded no record");
}

#[test]
fn samples_parse_to_the_counts_of_issue_2() {
    // (file, projects, department-overall records)
    let expected = [
        (
            "samples/000-panzhihua-xiqu-2024-project-targets.txt",
            306,
            0,
        ),
        ("samples/001-yanbian-2021-project-targets.txt", 24, 0),
        ("samples/002-renhe-renda-2024-targets.txt", 12, 1),
        (
            "samples/003-yongning-tuanjiexilu-2024-project-targets.txt",
            21,
            0,
        ),
        (
            "samples/004-fengfeng-jiguanshiwu-2024-budget-disclosure.txt",
            125,
            1,
        ),
        (
            "samples/extra/guangyuan-zhaohua-2021-leprosy-project.txt",
            1,
            0,
        ),
        (
            "samples/extra/yueyang-county-2022-farmland-project.txt",
            1,
            0,
        ),
    ];
    let files: Vec<&str> = expected.iter().map(|e| e.0).collect();
    let v = inspect_json(&files);
    for (doc, (file, projects, overall)) in v["documents"]
        .as_array()
        .into_iter()
        .flatten()
        .zip(expected)
    {
        assert_eq!(doc["file"], file);
        let count = |kind: &str| {
            doc["records"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|r| r["kind"] == kind)
                .count()
        };
        assert_eq!(
            (count("project"), count("department_overall")),
            (projects, overall),
            "{file}"
        );
    }
    // 000 states 309 projects while holding 306: the claim is reported next to the count.
    assert_eq!(
        v["documents"][0]["facts"]["stated_project_count"]["value"],
        309
    );
}

#[test]
fn table_view_shows_records_and_indicators() {
    let r = jixiao(
        &root(),
        &[
            "inspect",
            "--format",
            "table",
            "tests/fixtures/run/good/inputs/yongning-two-tables.txt",
        ],
    );
    assert_code(&r, 0);
    let text = String::from_utf8_lossy(&r.stdout);
    assert!(
        text.contains(
            "== tests/fixtures/run/good/inputs/yongning-two-tables.txt (tabbed, UTF-8): 2 records"
        ),
        "{text}"
    );
    assert!(text.contains("[1] project, lines "), "{text}");
    assert!(text.contains("    name: "), "{text}");
    assert!(text.contains("产出指标 / 数量指标 / "), "{text}");
}

#[test]
fn missing_file_is_reported_not_panicked() {
    let r = jixiao(&root(), &["inspect", "tests/fixtures/no-such-file.txt"]);
    // Nothing to read → no usable input; the diagnostic rides in the JSON and the exit code.
    assert_code(&r, 65);
    let v: Value = serde_json::from_slice(&r.stdout).unwrap_or(Value::Null);
    assert_eq!(v["documents"][0]["file"], "tests/fixtures/no-such-file.txt");
}

#[test]
fn cells_view_shows_each_row_as_the_reader_produced_it() {
    let r = jixiao(
        &root(),
        &[
            "inspect",
            "--format",
            "cells",
            "tests/fixtures/provinces/n07_zhongxian_2022_shengzhu_quyu_PARTIAL.txt",
        ],
    );
    assert_code(&r, 0);
    let out = String::from_utf8_lossy(&r.stdout);
    assert!(out.contains("(pipe, UTF-8): 24 rows"), "{out}");
    assert!(
        out.contains("   32: 1:一级指标 | 2:二级指标 | 3:三级指标 | 4:单位 | 5:指标值"),
        "{out}"
    );
}
