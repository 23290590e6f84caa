//! Every documented exit code (docs/exit-codes.md) produced by some run.

use std::fs::{File, OpenOptions};

use crate::{assert_code, fixture, jixiao, read_json, root, s, stderr, tempdir};

#[test]
#[ignore = "needs ingest"]
fn clean_run_exits_0() {
    let out = tempdir();
    let r = jixiao(
        &root(),
        &["run", s(&fixture("run/good/pipeline.toml")), "--out", s(out.path())],
    );
    assert_code(&r, 0);
    let records = read_json(&out.path().join("records.json"));
    assert_eq!(records["documents"][0]["records"].as_array().map(Vec::len), Some(2));
}

#[test]
#[ignore = "needs ingest"]
fn malformed_inputs_exit_1_and_the_rest_is_still_published() {
    let out = tempdir();
    let r = jixiao(
        &root(),
        &["run", s(&fixture("run/mixed/pipeline.toml")), "--out", s(out.path())],
    );
    assert_code(&r, 1);
    let records = read_json(&out.path().join("records.json"));
    let docs = records["documents"].as_array().cloned().unwrap_or_default();
    let files: Vec<&str> = docs.iter().filter_map(|d| d["file"].as_str()).collect();
    assert!(files.contains(&"inputs/yongning-third-table.txt"), "{files:?}");
    assert!(files.contains(&"inputs/binary.txt"), "{files:?}");
    assert!(
        files.iter().any(|f| f.starts_with("../../malformed/")),
        "the malformed corpus was not read: {files:?}"
    );
    let good = docs.iter().find(|d| d["file"] == "inputs/yongning-third-table.txt");
    assert_eq!(good.and_then(|d| d["records"].as_array()).map(Vec::len), Some(1));
    let manifest = read_json(&out.path().join("manifest.json"));
    assert_eq!(manifest["exit_code"], 1);
    let failed = manifest["inputs"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|i| i["diagnostics"]["error"].as_u64() > Some(0))
        .count();
    assert!(failed >= 1, "manifest records no failed input: {manifest:#}");
}

#[test]
fn usage_errors_exit_2() {
    assert_code(&jixiao(&root(), &["run", "--no-such-flag"]), 2);
    assert_code(&jixiao(&root(), &["inspect"]), 2);
    assert_code(&jixiao(&root(), &["inspect", "--layout", "diagonal", "x.txt"]), 2);
    assert_code(&jixiao(&root(), &[]), 2);
}

#[test]
fn inputs_without_records_exit_65_and_publish_nothing() {
    let out = tempdir();
    let r = jixiao(
        &root(),
        &["run", s(&fixture("run/no-records/pipeline.toml")), "--out", s(out.path())],
    );
    assert_code(&r, 65);
    assert!(!out.path().join("records.json").exists());
    assert!(!out.path().join("manifest.json").exists());
}

#[test]
fn unreadable_pipeline_exits_74() {
    let r = jixiao(&root(), &["run", "tests/fixtures/no-such-pipeline.toml"]);
    assert_code(&r, 74);
    assert!(stderr(&r).contains("no-such-pipeline.toml"), "{}", stderr(&r));
}

#[test]
fn output_path_that_is_a_file_exits_74() {
    let dir = tempdir();
    let blocker = dir.path().join("out");
    std::fs::write(&blocker, "a regular file where the output folder should be").ok();
    let r = jixiao(
        &root(),
        &["run", s(&fixture("run/good/pipeline.toml")), "--out", s(&blocker)],
    );
    assert_code(&r, 74);
    assert!(stderr(&r).contains("cannot create output directory"), "{}", stderr(&r));
}

#[test]
fn held_lock_exits_75_naming_the_holder() {
    let out = tempdir();
    // Hold the lock the way a running jixiao does: an OS lock on <out>/.jixiao.lock.
    let mut lock: File = match OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(out.path().join(".jixiao.lock"))
    {
        Ok(f) => f,
        Err(e) => panic!("cannot open lock file: {e}"),
    };
    assert!(lock.try_lock().is_ok());
    std::io::Write::write_all(&mut lock, b"pid 4242\nstarted 2026-01-01T00:00:00Z\n").ok();
    let r = jixiao(
        &root(),
        &["run", s(&fixture("run/good/pipeline.toml")), "--out", s(out.path())],
    );
    assert_code(&r, 75);
    let err = stderr(&r);
    assert!(err.contains("pid 4242") && err.contains("2026-01-01T00:00:00Z"), "{err}");
    assert!(!out.path().join("records.json").exists());
    drop(lock);
}

#[test]
fn invalid_config_exits_78_with_file_line_col() {
    let pipeline = fixture("run/invalid-config/pipeline.toml");
    for cmd in ["run", "validate"] {
        let r = jixiao(&root(), &[cmd, s(&pipeline)]);
        assert_code(&r, 78);
        let err = stderr(&r);
        let expected = format!("{}:7:1: error:", pipeline.display());
        assert!(err.contains(&expected), "{cmd}: want {expected:?} in\n{err}");
        assert!(err.contains("directroy"), "{cmd}: the unknown key is not named:\n{err}");
    }
}
