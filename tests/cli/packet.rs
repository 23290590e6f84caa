//! The packet a run publishes: atomic replacement, the manifest, byte-identical reruns.

use std::path::Path;

use crate::{
    assert_code, assert_same_packet, field_of_each, fixture, jixiao, packet_files, read_json, root,
    run_fixture, s, tempdir,
};

fn run_good(out: &Path, extra: &[&str]) -> std::process::Output {
    let pipeline = fixture("run/good/pipeline.toml");
    let mut args = vec!["run", s(&pipeline), "--out", s(out)];
    args.extend_from_slice(extra);
    jixiao(&root(), &args)
}

fn bytes(path: &Path) -> Vec<u8> {
    match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => panic!("cannot read {}: {e}", path.display()),
    }
}

#[test]
fn failed_run_leaves_the_previous_packet_byte_identical() {
    let out = tempdir();
    assert_code(&run_good(out.path(), &[]), 0);
    let records = bytes(&out.path().join("records.json"));
    let manifest = bytes(&out.path().join("manifest.json"));
    // A run that reads nothing (65) must not touch the packet ...
    let r = run_fixture("no-records", out.path(), &[]);
    assert_code(&r, 65);
    assert_eq!(bytes(&out.path().join("records.json")), records);
    assert_eq!(bytes(&out.path().join("manifest.json")), manifest);
    // ... and neither must one that dies before publishing: its staging folder (no commit marker)
    // is removed by the next run, which then succeeds.
    let stale = out.path().join(".staging-999999-0");
    std::fs::create_dir(&stale).ok();
    std::fs::write(stale.join("records.json"), "{\"documents\": [").ok();
    assert_eq!(bytes(&out.path().join("records.json")), records);
    assert_code(&run_good(out.path(), &[]), 0);
    assert!(!stale.exists(), "stale staging folder kept");
    assert_eq!(bytes(&out.path().join("records.json")), records);
}

#[test]
fn reruns_and_job_counts_give_identical_bytes() {
    let a = tempdir();
    let b = tempdir();
    assert_code(&run_good(a.path(), &["--jobs", "1"]), 0);
    let first = packet_files(a.path());
    for name in [
        "records.json",
        "scores.json",
        "packet.xlsx",
        "report.pdf",
        "index.html",
    ] {
        assert!(
            first.contains_key(name),
            "{name} missing: {:?}",
            first.keys()
        );
    }
    assert_code(&run_good(a.path(), &["--jobs", "1"]), 0);
    assert_code(&run_good(b.path(), &["--jobs", "2"]), 0);
    for dir in [a.path(), b.path()] {
        assert_same_packet(&packet_files(dir), &first, &dir.display().to_string());
    }
}

#[test]
fn manifest_describes_inputs_and_artifacts() {
    let out = tempdir();
    assert_code(&run_good(out.path(), &[]), 0);
    let m = read_json(&out.path().join("manifest.json"));
    assert_eq!(m["manifest_version"], 1);
    assert_eq!(m["jixiao_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(m["exit_code"], 0);
    assert_eq!(m["pipeline"]["sha256"].as_str().map(str::len), Some(64));
    let input = &m["inputs"][0];
    assert_eq!(input["file"], "inputs/yongning-two-tables.txt");
    let src = bytes(&fixture("run/good/inputs/yongning-two-tables.txt"));
    assert_eq!(input["size"].as_u64(), Some(src.len() as u64));
    assert_eq!(input["records"], 2);
    assert_eq!(input["layout"], "tabbed");
    let art = &m["artifacts"][0];
    assert_eq!(art["path"], "records.json");
    let records = bytes(&out.path().join("records.json"));
    assert_eq!(art["size"].as_u64(), Some(records.len() as u64));
    let stages = field_of_each(&m["timings_ms"], "stage");
    assert_eq!(
        stages,
        ["resolve", "ingest", "normalize", "score", "render"]
    );
    // No clock in the manifest: durations, but nothing that looks like a date.
    let text = String::from_utf8_lossy(&bytes(&out.path().join("manifest.json"))).into_owned();
    assert!(
        !text.contains("T0") && !text.contains("T1") && !text.contains("T2"),
        "{text}"
    );
}

#[test]
fn no_staging_or_partial_files_after_a_run() {
    // Holds with or without real readers: whatever the run's outcome, it leaves no staging folder.
    let out = tempdir();
    run_good(out.path(), &[]);
    let leftovers: Vec<String> = std::fs::read_dir(out.path())
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".staging-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_lock_file_left_by_a_dead_run_does_not_block() {
    // A killed run leaves its lock file behind, but the OS released the lock with the process.
    let out = tempdir();
    std::fs::write(
        out.path().join(".jixiao.lock"),
        "pid 999999\nstarted 2020-01-01T00:00:00Z\n",
    )
    .ok();
    assert_code(&run_good(out.path(), &[]), 0);
    let lock = std::fs::read_to_string(out.path().join(".jixiao.lock")).unwrap_or_default();
    assert!(
        !lock.contains("999999"),
        "the new holder did not stamp the lock: {lock}"
    );
}

#[test]
fn skip_unchanged_does_nothing_until_an_input_changes() {
    let dir = tempdir();
    let input = dir.path().join("t.txt");
    let table = std::fs::read_to_string(fixture("run/mixed/inputs/yongning-third-table.txt"))
        .expect("fixture");
    std::fs::write(&input, &table).expect("write input");
    let out = dir.path().join("out");
    let pipeline = fixture("run/good/pipeline.toml");
    let run = |extra: &[&str]| {
        let mut args = vec!["run", s(&pipeline), "--input", s(&input), "--out", s(&out)];
        args.extend_from_slice(extra);
        jixiao(&root(), &args)
    };
    assert_code(&run(&[]), 0);
    let manifest = out.join("manifest.json");
    let before = std::fs::metadata(&manifest)
        .and_then(|m| m.modified())
        .expect("manifest");
    std::fs::remove_file(out.join("records.json")).expect("remove records.json");
    // Nothing changed: nothing is read or rewritten (the removed file stays removed).
    let r = run(&["--skip-unchanged"]);
    assert_code(&r, 0);
    assert!(
        !out.join("records.json").exists(),
        "an unchanged rerun rewrote the packet"
    );
    assert_eq!(
        std::fs::metadata(&manifest).and_then(|m| m.modified()).ok(),
        Some(before)
    );
    // An input changed: a full run.
    std::fs::write(&input, format!("{table}\n")).expect("touch input");
    assert_code(&run(&["--skip-unchanged"]), 0);
    assert!(out.join("records.json").exists());
}

#[test]
fn json_lines_hold_one_record_and_one_score_card_per_line() {
    let out = tempdir();
    assert_code(&run_fixture("json-lines", out.path(), &[]), 0);
    let records = read_json(&out.path().join("records.json"));
    let scores = read_json(&out.path().join("scores.json"));
    let lines = |name: &str| -> Vec<serde_json::Value> {
        String::from_utf8_lossy(&bytes(&out.path().join(name)))
            .lines()
            .map(|l| match serde_json::from_str(l) {
                Ok(v) => v,
                Err(e) => panic!("{name}: {e}: {l}"),
            })
            .collect()
    };
    let record_lines = lines("records.jsonl");
    let mut expected = Vec::new();
    for (d, doc) in records["documents"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        for (i, r) in doc["records"].as_array().into_iter().flatten().enumerate() {
            expected.push((doc["file"].clone(), d, i, r["name"].clone()));
        }
    }
    assert!(!expected.is_empty());
    assert_eq!(record_lines.len(), expected.len());
    for (line, (file, d, i, name)) in record_lines.iter().zip(&expected) {
        assert_eq!(&line["file"], file);
        assert_eq!(line["document"], *d);
        assert_eq!(line["index"], *i);
        assert_eq!(&line["name"], name);
        assert!(line["indicators"].is_array(), "the whole record: {line}");
    }
    let score_lines = lines("scores.jsonl");
    assert_eq!(Some(&score_lines), scores["records"].as_array());
    let manifest = read_json(&out.path().join("manifest.json"));
    let artifacts = field_of_each(&manifest["artifacts"], "path");
    assert_eq!(
        artifacts,
        [
            "records.json",
            "scores.json",
            "records.jsonl",
            "scores.jsonl"
        ]
    );
}
