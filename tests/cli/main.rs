//! Integration tests of the `jixiao` binary, run as a process the way schedulers run it (no stdin,
//! no terminal). Fixtures live in tests/fixtures/<feature>/; every test writes into its own temp dir.
//!
//! - `exit_codes`: every documented exit code produced by some run;
//! - `packet`: atomic publishing, the manifest, byte-identical reruns;
//! - `inspect`: the JSON contract (validated against docs/records.schema.json) and the table view;
//! - `commands`: help, init, validate, log formats;
//! - `render`: the xlsx, PDF and HTML packets of real runs (poppler-utils for the PDF);
//! - `stress`: kill -9 at random moments over a 10× corpus;
//! - `golden`: every sample's records against its reviewed golden file (tests/golden/);
//! - `schema`: the small JSON Schema validator those tests use.
//!
//! The one ignored test waits for the malformed-input corpus (tests/fixtures/malformed/).

mod commands;
mod exit_codes;
mod golden;
mod inspect;
mod malformed;
mod packet;
mod render;
mod schema;
mod scoring;
mod stress;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The repository root (where samples/, docs/ and tests/fixtures/ are).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(rel: &str) -> PathBuf {
    root().join("tests/fixtures").join(rel)
}

/// Runs `jixiao args...` in `cwd` with no stdin and a clean `JIXIAO_*` environment.
pub fn jixiao(cwd: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_jixiao"));
    cmd.args(args).current_dir(cwd).stdin(Stdio::null());
    for var in [
        "JIXIAO_OUTPUT",
        "JIXIAO_PIPELINE",
        "JIXIAO_JOBS",
        "JIXIAO_LOG",
        "JIXIAO_LOG_FORMAT",
    ] {
        cmd.env_remove(var);
    }
    match cmd.output() {
        Ok(out) => out,
        Err(e) => panic!("cannot start jixiao: {e}"),
    }
}

pub fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Asserts the exit code, showing stderr when it differs.
#[track_caller]
pub fn assert_code(out: &Output, expected: i32) {
    assert_eq!(
        code(out),
        expected,
        "exit code; stderr:\n{}\nstdout (first 2000 bytes):\n{}",
        stderr(out),
        String::from_utf8_lossy(&out.stdout[..out.stdout.len().min(2000)])
    );
}

pub fn tempdir() -> tempfile::TempDir {
    match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => panic!("cannot create a temp dir: {e}"),
    }
}

pub fn read_json(path: &Path) -> serde_json::Value {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => panic!("cannot read {}: {e}", path.display()),
    };
    match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(e) => panic!("{} is not JSON: {e}", path.display()),
    }
}

/// `path` as a `&str` for the command line (test paths are always UTF-8).
pub fn s(path: &Path) -> &str {
    path.to_str().unwrap_or_default()
}

/// `jixiao run tests/fixtures/run/<name>/pipeline.toml --out OUT [extra...]`, from the repository root.
pub fn run_fixture(name: &str, out: &Path, extra: &[&str]) -> Output {
    let pipeline = fixture(&format!("run/{name}/pipeline.toml"));
    let mut args = vec!["run", s(&pipeline), "--out", s(out)];
    args.extend_from_slice(extra);
    jixiao(&root(), &args)
}
