//! `--help`, `init`, `validate`, log formats.

use crate::{assert_code, fixture, jixiao, root, run_fixture, s, stderr, tempdir};

#[test]
fn help_has_examples_and_exit_codes() {
    let r = jixiao(&root(), &["--help"]);
    assert_code(&r, 0);
    let text = String::from_utf8_lossy(&r.stdout);
    for needle in [
        "inspect",
        "run",
        "validate",
        "init",
        "Examples:",
        "75 another run holds",
    ] {
        assert!(text.contains(needle), "--help lacks {needle:?}:\n{text}");
    }
    for sub in ["inspect", "run", "validate", "init"] {
        let r = jixiao(&root(), &[sub, "--help"]);
        assert_code(&r, 0);
        assert!(
            String::from_utf8_lossy(&r.stdout).contains("Examples:"),
            "{sub} --help"
        );
    }
}

#[test]
fn init_writes_a_valid_starter_and_refuses_to_overwrite() {
    let dir = tempdir();
    let target = dir.path().join("bureau");
    assert_code(&jixiao(&root(), &["init", s(&target)]), 0);
    let path = target.join("pipeline.toml");
    let first = std::fs::read(&path).unwrap_or_default();
    assert!(!first.is_empty());
    assert_code(&jixiao(&root(), &["validate", s(&path)]), 0);
    let again = jixiao(&root(), &["init", s(&target)]);
    assert_code(&again, 74);
    assert!(
        stderr(&again).contains("already exists"),
        "{}",
        stderr(&again)
    );
    assert_eq!(
        std::fs::read(&path).unwrap_or_default(),
        first,
        "init overwrote the file"
    );
}

#[test]
fn validate_a_good_pipeline_writes_nothing() {
    let r = jixiao(
        &root(),
        &["validate", s(&fixture("run/good/pipeline.toml"))],
    );
    assert_code(&r, 0);
    assert!(stderr(&r).contains("matching 1 file"), "{}", stderr(&r));
    assert!(
        !fixture("run/good/out").exists(),
        "validate created the output folder"
    );
}

#[test]
fn json_log_format_prints_json_lines() {
    let out = tempdir();
    let r = run_fixture("no-records", out.path(), &["--log-format", "json"]);
    let err = stderr(&r);
    assert!(!err.trim().is_empty());
    for line in err.lines() {
        assert!(
            serde_json::from_str::<serde_json::Value>(line).is_ok(),
            "not a JSON line: {line}"
        );
    }
}

#[test]
fn quiet_run_prints_no_summary() {
    let out = tempdir();
    let r = run_fixture("good", out.path(), &["--quiet"]);
    assert!(!stderr(&r).contains(" records, "), "{}", stderr(&r));
}

#[test]
fn init_writes_the_bundled_pipeline() {
    let dir = tempdir();
    assert_code(&jixiao(&root(), &["init", s(dir.path())]), 0);
    let written = std::fs::read_to_string(dir.path().join("pipeline.toml")).unwrap_or_default();
    let bundled = std::fs::read_to_string(root().join("pipeline.toml")).unwrap_or_default();
    assert!(!bundled.is_empty(), "no bundled pipeline.toml");
    assert_eq!(
        written, bundled,
        "init and the bundled pipeline.toml drifted apart"
    );
}

#[test]
fn the_readme_run_command_works_on_the_samples() {
    // `cargo run --release -- run` from the README, minus the build: the default ./pipeline.toml.
    let run = crate::sample_run();
    assert_code(&run.output, 0);
    let records = crate::read_json(&run.dir.join("records.json"));
    let total: usize = records["documents"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|d| d["records"].as_array().map_or(0, Vec::len))
        .sum();
    // 306 + 24 + 13 + 21 + 126 + 1 + 1 (issue 2's per-sample counts).
    assert_eq!(total, 492);
}

#[test]
fn run_without_a_pipeline_file_uses_the_built_in_defaults_and_the_documents_year() {
    let dir = tempdir();
    let sample = root().join("samples/001-yanbian-2021-project-targets.txt");
    let r = jixiao(dir.path(), &["run", s(&sample)]);
    assert_code(&r, 0);
    let err = stderr(&r);
    assert!(err.contains("built-in defaults"), "{err}");
    assert!(err.contains("budget year 2021"), "{err}");
    // The year the table states decides the packet's folder and its title.
    let out = dir.path().join("out/2021");
    let manifest = crate::read_json(&out.join("manifest.json"));
    assert_eq!(manifest["pipeline"]["file"], "(built-in defaults)");
    assert!(manifest["pipeline"]["sha256"].is_null());
    for file in [
        "records.json",
        "scores.json",
        "report.pdf",
        "packet.xlsx",
        "index.html",
    ] {
        assert!(out.join(file).is_file(), "{file} missing");
    }
    let records = crate::read_json(&out.join("records.json"));
    let years: Vec<_> = records["documents"][0]["records"]
        .as_array()
        .map(|a| a.iter().map(|r| r["year"].clone()).collect())
        .unwrap_or_default();
    assert!(
        !years.is_empty() && years.iter().all(|y| y == 2021),
        "{years:?}"
    );

    // `--input` globs work the same way.
    let again = jixiao(
        dir.path(),
        &[
            "run",
            "--input",
            &format!("{}/samples/00[01]-*.txt", s(&root())),
            "-q",
        ],
    );
    assert_code(&again, 0);
    // 000's 306 records state 2024, 001's 24 state 2021: the year most records state.
    assert!(dir.path().join("out/2024/records.json").is_file());
}

#[test]
fn run_in_an_empty_folder_says_once_what_is_missing_and_what_to_do() {
    let dir = tempdir();
    let r = jixiao(dir.path(), &["run"]);
    assert_code(&r, 74);
    let err = stderr(&r);
    assert!(err.contains("jixiao init"), "{err}");
    assert!(err.contains("jixiao run FILE"), "{err}");
    assert_eq!(err.matches("No such file").count(), 0, "{err}");
    assert_eq!(err.matches("pipeline.toml").count(), 1, "{err}");
}

#[test]
fn run_without_a_pipeline_file_or_a_stated_year_says_how_to_set_it() {
    let dir = tempdir();
    let file = dir.path().join("table.txt");
    // A table whose title and cells state no year.
    let text = std::fs::read_to_string(root().join("samples/001-yanbian-2021-project-targets.txt"))
        .expect("sample");
    let text: String = text
        .replace("2021", "")
        .replace("2022", "")
        .replace("2020", "");
    std::fs::write(&file, text).expect("write");
    let r = jixiao(dir.path(), &["run", "table.txt"]);
    assert_code(&r, 78);
    let err = stderr(&r);
    assert!(err.contains("[pipeline]") && err.contains("year"), "{err}");
    assert!(!dir.path().join("out").exists());
}

#[test]
fn run_refuses_two_pipeline_files() {
    let dir = tempdir();
    let r = jixiao(dir.path(), &["run", "a.toml", "b.toml"]);
    assert_code(&r, 2);
    assert!(stderr(&r).contains("name one"), "{}", stderr(&r));
}
