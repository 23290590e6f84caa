//! Integration tests of the `jixiao` binary, run as a process the way schedulers run it (no stdin,
//! no terminal). Fixtures live in tests/fixtures/<feature>/; every test writes into its own temp dir.
//!
//! - `exit_codes`: every documented exit code produced by some run;
//! - `packet`: atomic publishing, the manifest, byte-identical reruns;
//! - `inspect`: the JSON contract (validated against docs/records.schema.json) and the table view;
//! - `commands`: help, init, validate, log formats;
//! - `plugins`: broken C plugins in a worker child and in-process, Python plugins over the pipe;
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
mod plugins;
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

/// Runs an external checking tool (poppler's `pdftotext`/`pdffonts`, `qpdf`) and returns its stdout
/// and exit status. The first time one is missing, `.ci/deps` installs the test tools (so
/// `cargo test --workspace` works on a fresh Debian machine); if that cannot help, the test fails
/// naming the package to install.
pub fn external_tool(tool: &str, args: &[&str]) -> (String, bool) {
    static INSTALL: std::sync::Once = std::sync::Once::new();
    let run = || Command::new(tool).args(args).output();
    let out = match run() {
        Ok(out) => out,
        Err(_) => {
            INSTALL.call_once(|| {
                let _ = Command::new("bash")
                    .arg(root().join(".ci/deps"))
                    .stdin(Stdio::null())
                    .status();
            });
            match run() {
                Ok(out) => out,
                Err(e) => panic!(
                    "{tool} is needed (Debian: `bash .ci/deps`, or apt-get install poppler-utils qpdf): {e}"
                ),
            }
        }
    };
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        out.status.success(),
    )
}

/// The bundled pipeline run once on the samples — `jixiao run --out DIR` from the repository
/// root, the README's command — shared by the tests that only read its packet (each of them ran
/// the same pipeline before, ≈ 8 s each in a debug build). The folder is under Cargo's
/// `CARGO_TARGET_TMPDIR` and made afresh by the first test that asks.
pub struct SampleRun {
    /// The packet folder.
    pub dir: PathBuf,
    /// What the run printed and its exit status.
    pub output: Output,
}

/// The shared run of the samples (see [`SampleRun`]).
pub fn sample_run() -> &'static SampleRun {
    static RUN: std::sync::OnceLock<SampleRun> = std::sync::OnceLock::new();
    RUN.get_or_init(|| {
        // One folder per test process: under a runner that starts a process per test (nextest),
        // concurrent processes must not publish into the same folder.
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("sample-run-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        remove_stale_sample_runs(&dir);
        let output = jixiao(&root(), &["run", "--out", s(&dir)]);
        SampleRun { dir, output }
    })
}

/// Removes the sample-run folders of earlier test processes (older than an hour), so they do not
/// pile up under the target folder.
fn remove_stale_sample_runs(own: &Path) {
    let Some(parent) = own.parent() else { return };
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let hour = std::time::Duration::from_secs(3600);
    for e in entries.flatten() {
        let stale = e.file_name().to_string_lossy().starts_with("sample-run")
            && e.metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age > hour);
        if stale {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// A path under `tests/fixtures/`.
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

/// The exit code (-1 when the process was killed by a signal).
pub fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

/// What the process wrote to stderr, as text.
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

/// A fresh temporary folder, removed when dropped.
pub fn tempdir() -> tempfile::TempDir {
    match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => panic!("cannot create a temp dir: {e}"),
    }
}

/// Every file of the packet in `dir` (lock file and staging folders excluded), by relative path.
pub fn packet_files(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut files = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with(".staging-") || name == ".jixiao.lock" {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(bytes) = std::fs::read(&path) {
                let rel = path.strip_prefix(dir).unwrap_or(&path);
                files.insert(rel.to_string_lossy().replace('\\', "/"), bytes);
            }
        }
    }
    files
}

/// A packet file's bytes as runs over the same inputs must reproduce them: `manifest.json` without
/// its `timings_ms`, every other file as it is.
pub fn comparable(name: &str, bytes: &[u8]) -> Vec<u8> {
    if name != "manifest.json" {
        return bytes.to_vec();
    }
    let mut json: serde_json::Value = match serde_json::from_slice(bytes) {
        Ok(v) => v,
        Err(e) => panic!("manifest.json is not JSON: {e}"),
    };
    let timings = json.as_object_mut().and_then(|o| o.remove("timings_ms"));
    assert!(timings.is_some(), "manifest.json has no timings_ms");
    serde_json::to_vec(&json).unwrap_or_default()
}

/// The files two packets do not share byte for byte (`manifest.json`'s `timings_ms`, the one thing
/// allowed to differ between runs over the same inputs, set aside), including files only one has.
pub fn differing_files(
    a: &std::collections::BTreeMap<String, Vec<u8>>,
    b: &std::collections::BTreeMap<String, Vec<u8>>,
) -> Vec<String> {
    let names: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    names
        .into_iter()
        .filter(|name| {
            let side = |m: &std::collections::BTreeMap<String, Vec<u8>>| {
                m.get(*name).map(|bytes| comparable(name, bytes))
            };
            side(a) != side(b)
        })
        .cloned()
        .collect()
}

/// Asserts two packets are the same in the sense of [`differing_files`]; names the files that differ
/// instead of printing bytes.
pub fn assert_same_packet(
    a: &std::collections::BTreeMap<String, Vec<u8>>,
    b: &std::collections::BTreeMap<String, Vec<u8>>,
    what: &str,
) {
    let differ = differing_files(a, b);
    assert!(differ.is_empty(), "{what}: {differ:?} differ");
}

/// The `key` string of every object in a JSON array (`manifest["artifacts"]` → each `path`, ...);
/// objects without it are left out, a non-array gives nothing.
pub fn field_of_each<'a>(array: &'a serde_json::Value, key: &str) -> Vec<&'a str> {
    array
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|item| item[key].as_str())
        .collect()
}

/// A JSON file, parsed; fails the test when it cannot be read or parsed.
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
