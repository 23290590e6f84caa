//! Every documented exit code (docs/exit-codes.md) produced by some run.

use std::fs::{File, OpenOptions};

use crate::{assert_code, fixture, jixiao, read_json, root, run_fixture, s, stderr, tempdir};

#[test]
fn clean_run_exits_0() {
    let out = tempdir();
    let r = run_fixture("good", out.path(), &[]);
    assert_code(&r, 0);
    let records = read_json(&out.path().join("records.json"));
    assert_eq!(
        records["documents"][0]["records"].as_array().map(Vec::len),
        Some(2)
    );
}

#[test]
fn a_bad_input_exits_1_and_the_rest_is_still_published() {
    let out = tempdir();
    let r = run_fixture("mixed", out.path(), &[]);
    assert_code(&r, 1);
    let records = read_json(&out.path().join("records.json"));
    let docs = records["documents"].as_array().cloned().unwrap_or_default();
    let files: Vec<&str> = docs.iter().filter_map(|d| d["file"].as_str()).collect();
    assert_eq!(
        files,
        ["inputs/binary.txt", "inputs/yongning-third-table.txt"]
    );
    assert_eq!(docs[1]["records"].as_array().map(Vec::len), Some(1));
    let manifest = read_json(&out.path().join("manifest.json"));
    assert_eq!(manifest["exit_code"], 1);
    assert_eq!(manifest["inputs"][0]["file"], "inputs/binary.txt");
    assert_eq!(manifest["inputs"][0]["diagnostics"]["error"], 1);
    assert_eq!(manifest["inputs"][1]["diagnostics"]["error"], 0);
}

#[test]
fn malformed_corpus_exits_1_and_the_other_inputs_are_still_published() {
    let out = tempdir();
    let good = "tests/fixtures/run/mixed/inputs/yongning-third-table.txt";
    let r = jixiao(
        &root(),
        &[
            "run",
            s(&fixture("run/good/pipeline.toml")),
            "--input",
            "tests/fixtures/malformed/*",
            "--input",
            good,
            "--out",
            s(out.path()),
        ],
    );
    assert_code(&r, 1);
    let records = read_json(&out.path().join("records.json"));
    let docs = records["documents"].as_array().cloned().unwrap_or_default();
    let malformed = docs
        .iter()
        .filter(|d| {
            d["file"]
                .as_str()
                .is_some_and(|f| f.starts_with("tests/fixtures/malformed/"))
        })
        .count();
    assert!(
        malformed >= 5,
        "the malformed corpus was not read: {docs:#?}"
    );
    let kept = docs.iter().find(|d| d["file"] == good);
    assert_eq!(
        kept.and_then(|d| d["records"].as_array()).map(Vec::len),
        Some(1)
    );
    let manifest = read_json(&out.path().join("manifest.json"));
    assert_eq!(manifest["exit_code"], 1);
    // Nothing panicked: a panic would exit 101 and publish nothing.
    assert!(!stderr(&r).contains("panicked"), "{}", stderr(&r));
}

#[test]
fn usage_errors_exit_2() {
    assert_code(&jixiao(&root(), &["run", "--no-such-flag"]), 2);
    assert_code(&jixiao(&root(), &["inspect"]), 2);
    assert_code(
        &jixiao(&root(), &["inspect", "--layout", "diagonal", "x.txt"]),
        2,
    );
    assert_code(&jixiao(&root(), &[]), 2);
}

#[test]
fn inputs_without_records_exit_65_and_publish_nothing() {
    let out = tempdir();
    let r = run_fixture("no-records", out.path(), &[]);
    assert_code(&r, 65);
    assert!(!out.path().join("records.json").exists());
    assert!(!out.path().join("manifest.json").exists());
}

#[test]
fn unreadable_pipeline_exits_74() {
    let r = jixiao(&root(), &["run", "tests/fixtures/no-such-pipeline.toml"]);
    assert_code(&r, 74);
    assert!(
        stderr(&r).contains("no-such-pipeline.toml"),
        "{}",
        stderr(&r)
    );
}

#[test]
fn output_path_that_is_a_file_exits_74() {
    let dir = tempdir();
    let blocker = dir.path().join("out");
    std::fs::write(&blocker, "a regular file where the output folder should be").ok();
    let r = run_fixture("good", &blocker, &[]);
    assert_code(&r, 74);
    assert!(
        stderr(&r).contains("cannot create output directory"),
        "{}",
        stderr(&r)
    );
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
    let r = run_fixture("good", out.path(), &[]);
    assert_code(&r, 75);
    let err = stderr(&r);
    assert!(
        err.contains("pid 4242") && err.contains("2026-01-01T00:00:00Z"),
        "{err}"
    );
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
        assert!(
            err.contains(&expected),
            "{cmd}: want {expected:?} in\n{err}"
        );
        assert!(
            err.contains("directroy"),
            "{cmd}: the unknown key is not named:\n{err}"
        );
    }
}
