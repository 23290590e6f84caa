//! Plugins through the real binary: deliberately broken C libraries (plugins/faulty-test/faulty.c,
//! compiled here) in a worker child and in-process, and Python plugins over the JSON Lines protocol
//! (plugins/python). Every run reads the six one-table province fixtures, so a plugin that times
//! out on every record still costs seconds, not minutes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::{code, jixiao, root, stderr};

/// Compiles faulty.c with `-DFAULT=mode` once per process (rewriting a library a running test
/// has loaded could crash it).
fn faulty(mode: u32) -> PathBuf {
    static BUILT: Mutex<BTreeMap<u32, PathBuf>> = Mutex::new(BTreeMap::new());
    let mut built = BUILT.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(p) = built.get(&mode) {
        return p.clone();
    }
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("faulty-plugins");
    std::fs::create_dir_all(&dir).expect("plugin dir");
    let out = dir.join(format!(
        "{}faulty{mode}{}",
        std::env::consts::DLL_PREFIX,
        std::env::consts::DLL_SUFFIX
    ));
    let define = mode.to_string();
    jixiao_plugin_api::build_c::compile(
        &root().join("plugins/faulty-test/faulty.c"),
        &out,
        &[("FAULT", define.as_str())],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    built.insert(mode, out.clone());
    out
}

/// What a run with one plugin left behind.
struct PluginRun {
    code: i32,
    stdout: String,
    stderr: String,
    /// scores.json, parsed (Null when it was not published).
    scores: serde_json::Value,
    /// scores.json as published, for byte comparisons.
    scores_bytes: Vec<u8>,
    /// manifest.json, parsed.
    manifest: serde_json::Value,
}

/// Runs the province fixtures with one `[[scoring.plugins]]` table (`plugin_toml`, its body).
fn run_with(plugin_toml: &str) -> PluginRun {
    let dir = tempfile::tempdir().expect("tempdir");
    let pipeline = format!(
        "[pipeline]\nname = \"插件测试\"\nyear = 2024\n\
         [[inputs]]\npaths = [{:?}]\n\
         [output]\ndirectory = \"out\"\n\
         [render]\nformats = []\n\
         [[scoring.plugins]]\n{plugin_toml}\n",
        root()
            .join("tests/fixtures/provinces/*.txt")
            .display()
            .to_string()
    );
    std::fs::write(dir.path().join("pipeline.toml"), pipeline).expect("write pipeline");
    let out = jixiao(dir.path(), &["run"]);
    let scores_bytes = std::fs::read(dir.path().join("out/2024/scores.json")).unwrap_or_default();
    PluginRun {
        code: code(&out),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: stderr(&out),
        scores: serde_json::from_slice(&scores_bytes).unwrap_or_default(),
        scores_bytes,
        manifest: std::fs::read(dir.path().join("out/2024/manifest.json"))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default(),
    }
}

fn library(mode: u32, extra: &str) -> String {
    format!("path = {:?}\n{extra}", faulty(mode).display().to_string())
}

/// (status, points) of check `id` on every record.
fn statuses(run: &PluginRun, id: &str) -> Vec<(String, f64)> {
    run.scores["records"]
        .as_array()
        .map(|records| {
            records
                .iter()
                .flat_map(|r| r["checks"].as_array().into_iter().flatten())
                .filter(|c| c["id"] == id)
                .map(|c| {
                    (
                        c["status"].as_str().unwrap_or("").to_string(),
                        c["points"].as_f64().unwrap_or(-1.0),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The evidence reasons of check `id` over every record.
fn evidence_reasons(run: &PluginRun, id: &str) -> Vec<String> {
    run.scores["records"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|r| r["checks"].as_array().into_iter().flatten())
        .filter(|c| c["id"] == id)
        .flat_map(|c| c["evidence"].as_array().into_iter().flatten())
        .filter_map(|e| e["reason"].as_str().map(str::to_string))
        .collect()
}

fn all_not_scored(run: &PluginRun, id: &str) -> bool {
    let s = statuses(run, id);
    s.len() == 6 && s.iter().all(|(status, _)| status == "not_scored")
}

#[test]
fn an_isolated_plugin_that_crashes_aborts_exits_or_hangs_costs_only_its_checks() {
    for (mode, extra, expect) in [
        (9, "", "killed by signal 11 (SIGSEGV)"),
        (10, "", "killed by signal 6 (SIGABRT)"),
        (11, "", "exited with code 0"),
        (12, "timeout_seconds = 0.3", "did not answer within 0.3 s"),
    ] {
        let run = run_with(&library(mode, extra));
        // The run finishes and publishes; exit 1 says some records had errors.
        assert_eq!(run.code, 1, "mode {mode}: {}", run.stderr);
        assert!(run.stderr.contains(expect), "mode {mode}: {}", run.stderr);
        assert!(
            run.stderr.contains("score.plugin-stopped"),
            "{}",
            run.stderr
        );
        // Six faults, summarised once.
        assert!(
            run.stderr.contains("failed on 6 of 6 records"),
            "mode {mode}: {}",
            run.stderr
        );
        assert!(all_not_scored(&run, "F1"), "mode {mode}");
        // The built-in checks are untouched.
        assert!(statuses(&run, "A1").iter().all(|(s, _)| s == "scored"));
        let reason = &run.scores["records"][0]["checks"]
            .as_array()
            .and_then(|cs| cs.iter().find(|c| c["id"] == "F1"))
            .map(|c| c["evidence"][0]["reason"].clone());
        assert!(
            reason
                .as_ref()
                .and_then(|r| r.as_str())
                .is_some_and(|r| r.starts_with("插件运行失败（进程崩溃、退出或超时）")),
            "mode {mode}: {reason:?}"
        );
    }
}

#[test]
fn a_worker_that_crashes_on_one_record_is_restarted_for_the_others() {
    let run = run_with(&library(14, ""));
    assert_eq!(run.code, 1, "{}", run.stderr);
    let f1 = statuses(&run, "F1");
    let crashed = f1.iter().filter(|(s, _)| s == "not_scored").count();
    let scored = f1
        .iter()
        .filter(|(s, p)| s == "scored" && *p == 3.0)
        .count();
    assert_eq!((crashed, scored), (1, 5), "{f1:?}");
    // One fault: listed with its record, file and line, not summarised.
    assert!(
        run.stderr
            .contains("failed on record “2018年市级专项扶贫资金")
            && run.stderr.contains("n01_nanyue_2018_lvyou_fupin.txt:3-"),
        "{}",
        run.stderr
    );
}

#[test]
fn graceful_faults_score_the_same_in_both_isolation_modes() {
    // 1 bad JSON, 2 points above max, 3 caught panic, 4 plugin-reported error, 8 unknown check.
    for mode in [0, 1, 2, 3, 4, 8] {
        let isolated = run_with(&library(mode, ""));
        let in_process = run_with(&library(mode, "isolation = \"in-process\""));
        assert!(!isolated.scores_bytes.is_empty(), "mode {mode}");
        assert_eq!(
            isolated.scores_bytes, in_process.scores_bytes,
            "mode {mode}: scores.json differs between isolation modes"
        );
        assert_eq!(isolated.code, in_process.code, "mode {mode}");
        if mode == 0 {
            assert_eq!(isolated.code, 0, "{}", isolated.stderr);
            assert!(
                statuses(&isolated, "F1")
                    .iter()
                    .all(|(s, p)| s == "scored" && *p == 3.0)
            );
        } else {
            // on_error = "skip": a warning, the run's exit code stays 0.
            assert_eq!(isolated.code, 0, "mode {mode}: {}", isolated.stderr);
            assert!(
                isolated.stderr.contains("score.plugin-fault"),
                "{}",
                isolated.stderr
            );
            assert!(all_not_scored(&isolated, "F1"), "mode {mode}");
        }
    }
}

#[test]
fn a_plugins_own_stdout_goes_to_the_log_not_into_the_protocol() {
    let run = run_with(&library(13, ""));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        statuses(&run, "F1")
            .iter()
            .all(|(s, p)| s == "scored" && *p == 3.0)
    );
    assert!(run.stdout.is_empty(), "jixiao's stdout: {}", run.stdout);
    assert!(
        run.stderr.contains("noise the plugin prints on stdout"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_bare_library_name_is_the_file_beside_the_pipeline_never_a_search() {
    // `libc.so.6` is on every loader path; as a plugin path it names ./libc.so.6, which is absent.
    let run = run_with("path = \"libc.so.6\"\non_error = \"fail\"\nisolation = \"in-process\"");
    assert_eq!(run.code, 78, "{}", run.stderr);
    assert!(run.stderr.contains("libc.so.6"), "{}", run.stderr);
    assert!(run.stderr.contains("no such file"), "{}", run.stderr);
}

fn python_example() -> String {
    format!(
        "command = [\"python3\", {:?}]\nparams = {{ min_satisfaction = 95 }}",
        root()
            .join("plugins/python/example_rules.py")
            .display()
            .to_string()
    )
}

#[test]
fn the_python_example_plugin_scores_over_the_json_lines_protocol() {
    let run = run_with(&python_example());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let py1 = statuses(&run, "PY1");
    assert_eq!(py1.len(), 6);
    assert!(py1.iter().all(|(s, _)| s == "scored"), "{py1:?}");
    // PY2 applies only where a satisfaction indicator exists; a 90 % target loses points at 95.
    let py2 = statuses(&run, "PY2");
    assert!(
        py2.iter().any(|(s, p)| s == "scored" && *p < 2.0),
        "{py2:?}"
    );
    let evidence = run.scores["records"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|r| r["checks"].as_array().into_iter().flatten())
        .filter(|c| c["id"] == "PY2" && c["status"] == "scored" && c["points"].as_f64() < Some(2.0))
        .flat_map(|c| c["evidence"].as_array().into_iter().flatten())
        .map(|e| e["reason"].as_str().unwrap_or("").to_string())
        .collect::<Vec<_>>();
    assert!(
        evidence.iter().all(|r| r.contains("低于 95%")),
        "{evidence:?}"
    );
    // The rubric names the plugin; the manifest records the command and the script's hash.
    assert!(
        run.scores["rubric"]["checks"]
            .to_string()
            .contains("python-example")
    );
    let entry = &run.manifest["plugins"][0];
    assert_eq!(entry["command"][0], "python3", "{entry}");
    assert_eq!(entry["name"], "python-example");
    assert_eq!(entry["sha256"].as_str().map(str::len), Some(64), "{entry}");
}

/// Writes a Python plugin built on the helper, with `body` inside its check function (or, when
/// `raw` is set, a whole script that speaks for itself).
fn python_plugin(body: &str, raw: bool) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let script = if raw {
        body.to_string()
    } else {
        format!(
            "import sys\nsys.path.insert(0, {:?})\nfrom jixiao_plugin import Plugin, deduct, NotScored\n\
             plugin = Plugin(\"broken\", \"0\")\n\
             @plugin.check(\"BR1\", \"坏\", max_points=2)\n\
             def check(record, params, year):\n    {body}\n\
             plugin.run()\n",
            root().join("plugins/python").display().to_string()
        )
    };
    let path = dir.path().join("plugin.py");
    std::fs::write(&path, script).expect("write plugin");
    let toml = format!(
        "command = [\"python3\", {:?}]\ntimeout_seconds = 2",
        path.display().to_string()
    );
    (dir, toml)
}

#[test]
fn broken_python_plugins_are_diagnosed_and_the_run_goes_on() {
    // An exception in a rule: that record is not scored, the plugin goes on.
    let (_d, toml) = python_plugin(
        "return [deduct(1, 'x', 'r')] if '扶贫' in str(record) else 1 / 0",
        false,
    );
    let run = run_with(&toml);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("ZeroDivisionError"), "{}", run.stderr);
    let br1 = statuses(&run, "BR1");
    assert_eq!(
        br1.iter().filter(|(s, _)| s == "scored").count(),
        1,
        "{br1:?}"
    );
    let reasons = evidence_reasons(&run, "BR1");
    assert!(
        reasons.contains(&"插件未能给出有效结果，本项未评分；详情见运行日志".to_string()),
        "{reasons:?}"
    );

    // NotScored("…"): the plugin's own Chinese reason reaches the record.
    let (_d, toml) = python_plugin("raise NotScored('未填写培训人数')", false);
    let run = run_with(&toml);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let reasons = evidence_reasons(&run, "BR1");
    assert_eq!(reasons.len(), 6, "{reasons:?}");
    assert!(
        reasons.iter().all(|r| r == "插件未能评分：未填写培训人数"),
        "{reasons:?}"
    );

    // A deduction without evidence is refused by the host.
    let (_d, toml) = python_plugin(
        "import json, sys\n\
         for line in sys.stdin:\n    m = json.loads(line)\n    \
         if m['type'] == 'hello':\n        print(json.dumps({'type': 'manifest', 'protocol': 1, 'manifest': {'name': 'nodoc', 'version': '0', 'checks': [{'id': 'ND1', 'title': 't', 'max_points': 2}]}}), flush=True)\n    \
         else:\n        print(json.dumps({'type': 'result', 'id': m['id'], 'results': [{'id': 'ND1', 'points': 1}]}), flush=True)\n",
        true,
    );
    let run = run_with(&toml);
    assert!(run.stderr.contains("without evidence"), "{}", run.stderr);
    assert!(all_not_scored(&run, "ND1"));

    // Garbage on stdout: the worker is out of step, stopped, restarted; an error.
    let (_d, toml) = python_plugin(
        "import json, sys\n\
         for line in sys.stdin:\n    m = json.loads(line)\n    \
         if m['type'] == 'hello':\n        print(json.dumps({'type': 'manifest', 'protocol': 1, 'manifest': {'name': 'garbage', 'version': '0', 'checks': [{'id': 'GB1', 'title': 't', 'max_points': 2}]}}), flush=True)\n    \
         else:\n        print('Traceback: not json', flush=True)\n",
        true,
    );
    let run = run_with(&toml);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("not a protocol message"),
        "{}",
        run.stderr
    );
    assert!(all_not_scored(&run, "GB1"));

    // Huge output: cut off at 64 MiB, stopped.
    let (_d, toml) = python_plugin(
        "import json, sys\n\
         for line in sys.stdin:\n    m = json.loads(line)\n    \
         if m['type'] == 'hello':\n        print(json.dumps({'type': 'manifest', 'protocol': 1, 'manifest': {'name': 'huge', 'version': '0', 'checks': [{'id': 'HG1', 'title': 't', 'max_points': 2}]}}), flush=True)\n    \
         else:\n        sys.stdout.write('x' * (70 << 20)); sys.stdout.flush()\n",
        true,
    );
    let run = run_with(&toml.replace("timeout_seconds = 2", "timeout_seconds = 20"));
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("larger than 64 MiB"), "{}", run.stderr);
    assert!(all_not_scored(&run, "HG1"));
}

#[test]
fn a_plugin_that_cannot_start_is_skipped_with_the_reason() {
    // Another protocol version: refused at load time, naming both versions.
    let (_d, toml) = python_plugin(
        "import json, sys\n\
         sys.stdin.readline()\n\
         print(json.dumps({'type': 'manifest', 'protocol': 2, 'manifest': {'name': 'v2', 'version': '0', 'checks': [{'id': 'V1', 'title': 't', 'max_points': 2}]}}), flush=True)\n",
        true,
    );
    let run = run_with(&toml);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("speaks plugin protocol v2, this jixiao speaks v1")
            && run.stderr.contains("plugin skipped"),
        "{}",
        run.stderr
    );
    assert!(statuses(&run, "V1").is_empty());

    // A program that does not exist; with on_error = "fail" the run stops as a configuration error.
    let run = run_with("command = [\"no-such-interpreter-jx\", \"x.py\"]\non_error = \"fail\"");
    assert_eq!(run.code, 78, "{}", run.stderr);
    assert!(
        run.stderr.contains("cannot start `no-such-interpreter-jx`"),
        "{}",
        run.stderr
    );
}

#[test]
fn plugins_list_shows_where_each_plugin_runs_and_which_were_skipped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pipeline = format!(
        "[pipeline]\nname = \"t\"\nyear = 2024\n[[inputs]]\npaths = [\"x.txt\"]\n\
         [output]\ndirectory = \"out\"\n\
         [[scoring.plugins]]\n{}\n\
         [[scoring.plugins]]\n{}\n\
         [[scoring.plugins]]\npath = \"missing.so\"\n",
        python_example(),
        library(0, "isolation = \"in-process\""),
    );
    std::fs::write(dir.path().join("pipeline.toml"), pipeline).expect("write");
    let out = jixiao(dir.path(), &["plugins", "list"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(text.contains("python-example 1.0 — python3 "), "{text}");
    assert!(text.contains("runs: in its own process"), "{text}");
    assert!(
        text.contains("runs: inside jixiao (isolation = \"in-process\")"),
        "{text}"
    );
    assert!(
        text.contains("skipped: plugin ") && text.contains("missing.so: cannot read the file"),
        "{text}"
    );
    // `plugins check` opens a library in a worker child.
    let out = jixiao(
        dir.path(),
        &["plugins", "check", &faulty(9).display().to_string()],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("faulty 0"));
}

#[test]
fn a_library_other_users_may_replace_is_refused_unless_allowed() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let lib = dir.path().join("libshared.so");
    std::fs::copy(faulty(0), &lib).expect("copy");
    std::fs::set_permissions(&lib, std::fs::Permissions::from_mode(0o666)).expect("chmod");
    let path = format!("path = {:?}\n", lib.display().to_string());
    for isolation in ["process", "in-process"] {
        let run = run_with(&format!("{path}isolation = \"{isolation}\""));
        assert!(
            run.stderr
                .contains("refused: the file is writable by other users"),
            "{isolation}: {}",
            run.stderr
        );
        assert!(statuses(&run, "F1").is_empty(), "{isolation}");
        let run = run_with(&format!(
            "{path}isolation = \"{isolation}\"\nallow_writable = true"
        ));
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_eq!(statuses(&run, "F1").len(), 6, "{isolation}");
    }
}

/// `jixiao plugins test --case CASES PLUGIN...` from the repository root.
fn plugins_test(cases: &Path, plugin: &[&str]) -> std::process::Output {
    let cases = cases.display().to_string();
    let mut args = vec!["plugins", "test", "--case", cases.as_str()];
    args.extend_from_slice(plugin);
    jixiao(&root(), &args)
}

#[test]
fn plugins_test_compares_cases_with_the_plugins_answers() {
    let python = root().join("plugins/python/example_rules.py");
    let cases = root().join("plugins/python/example_cases.json");
    let out = plugins_test(&cases, &["python3", &python.display().to_string()]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(code(&out), 0, "{text}{}", stderr(&out));
    assert!(text.ends_with("3 passed, 0 failed\n"), "{text}");

    // A wrong expectation fails with what was expected, what came and the evidence; exit 1.
    let dir = tempfile::tempdir().expect("tempdir");
    let table = root().join("tests/fixtures/provinces/n01_nanyue_2018_lvyou_fupin.txt");
    let bad = serde_json::json!({
        "year": 2024,
        "params": {"min_satisfaction": 95},
        "cases": [{"name": "wrong on purpose", "file": table, "expect": {"PY2": 2, "PY7": 1}}]
    });
    let bad_path = dir.path().join("cases.json");
    std::fs::write(&bad_path, bad.to_string()).expect("write cases");
    let out = plugins_test(&bad_path, &["python3", &python.display().to_string()]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(code(&out), 1, "{text}");
    assert!(
        text.contains("FAIL 1 wrong on purpose")
            && text.contains(
                "PY2: expected 2 points, got scored, 0 points (evidence: 满意度目标值 90% 低于 95%"
            )
            && text.contains("PY7: no such check on this record")
            && text.ends_with("0 passed, 1 failed\n"),
        "{text}"
    );

    // A library plugin, through its worker child.
    let lib_cases = serde_json::json!({
        "cases": [{"name": "faulty0 gives 3", "file": table, "expect": {"F1": 3}}]
    });
    std::fs::write(&bad_path, lib_cases.to_string()).expect("write cases");
    let out = plugins_test(&bad_path, &[&faulty(0).display().to_string()]);
    assert_eq!(
        code(&out),
        0,
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        stderr(&out)
    );

    // A case file that is not one: exit 78, naming the file.
    std::fs::write(&bad_path, "{\"cases\": [{\"nme\": 1}]}").expect("write cases");
    let out = plugins_test(&bad_path, &[&faulty(0).display().to_string()]);
    assert_eq!(code(&out), 78, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("not a valid case file"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn inspect_score_uses_the_pipelines_rules_and_plugins() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pipeline = format!(
        "[pipeline]\nname = \"t\"\nyear = 2024\n[[inputs]]\npaths = [\"x.txt\"]\n\
         [output]\ndirectory = \"out\"\n\
         [[scoring.plugins]]\n{}\n\
         [[scoring.rules]]\nid = \"R1\"\ntitle = \"满意度\"\nlevel1 = \"满意度指标\"\nmin = 95\n\
         points = 2\nreason = \"满意度目标值应不低于95%\"\n",
        library(0, ""),
    );
    std::fs::write(dir.path().join("pipeline.toml"), pipeline).expect("write");
    let table = root().join("tests/fixtures/provinces/n01_nanyue_2018_lvyou_fupin.txt");
    let out = jixiao(
        dir.path(),
        &["inspect", "--score", &table.display().to_string()],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let card: serde_json::Value = serde_json::from_slice(&out.stdout).expect("scorecard json");
    let ids: Vec<&str> = card["records"][0]["checks"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["id"].as_str())
        .collect();
    assert!(
        ids.contains(&"F1") && ids.contains(&"R1") && ids.contains(&"A1"),
        "{ids:?}"
    );
    assert!(
        stderr(&out).contains(
            "scoring with the [scoring] of pipeline.toml (year 2024, 1 rules, 1 plugins)"
        ),
        "{}",
        stderr(&out)
    );
}

#[test]
fn reruns_with_crashing_plugins_are_byte_identical() {
    for mode in [9, 14] {
        let first = run_with(&library(mode, ""));
        let second = run_with(&library(mode, ""));
        assert!(!first.scores_bytes.is_empty(), "mode {mode}");
        assert_eq!(
            first.scores_bytes, second.scores_bytes,
            "mode {mode}: scores.json differs between two runs"
        );
    }
}
