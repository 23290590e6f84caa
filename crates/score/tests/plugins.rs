//! Plugins through the real host: the two Rust example plugins (built as cdylibs by this test if
//! needed), the C example and the deliberately faulty C plugin (compiled here with the `cc` crate
//! against crates/plugin-api/include/jixiao_plugin.h).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::time::SystemTime;

use jixiao_config::ScoringConfig;
use jixiao_core::{
    CheckStatus, DocumentFacts, DocumentRecords, Indicator, Layout, Ledger, Level2, ParsedValue,
    Record, RecordKind, Scorecard, Severity,
};
use jixiao_score::{PluginError, ScoreContext, SetupError, file_sha256, inspect_plugin, score};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// target/debug (the test binary lives in target/debug/deps).
fn target_debug() -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    exe.parent()
        .and_then(Path::parent)
        .expect("target/debug")
        .to_path_buf()
}

fn newest_mtime(dir: &Path) -> SystemTime {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .filter_map(|e| e.metadata().ok()?.modified().ok())
                .max()
                .unwrap_or(SystemTime::UNIX_EPOCH)
        })
        .unwrap_or(SystemTime::UNIX_EPOCH)
}

/// The cdylib of a workspace plugin, built with `cargo build -p` when missing or older than its
/// sources (plain `cargo test` does not promise to build members' cdylibs).
fn rust_plugin(package: &str, lib: &str, src: &str) -> PathBuf {
    let path = target_debug().join(libloading::library_filename(lib));
    let built = std::fs::metadata(&path).and_then(|m| m.modified()).ok();
    let sources = newest_mtime(&workspace().join(src))
        .max(newest_mtime(&workspace().join("crates/plugin-api/src")));
    if built.is_none_or(|b| b < sources) {
        let status = Command::new(env!("CARGO"))
            .args(["build", "-p", package])
            .current_dir(workspace())
            .status()
            .expect("run cargo build");
        assert!(status.success(), "cargo build -p {package} failed");
    }
    assert!(path.is_file(), "{} not built", path.display());
    path
}

/// Compiles a C plugin into a shared object with the platform's C compiler (found by `cc`), once per
/// output name and process: rewriting a library another test thread has loaded could crash it.
fn c_plugin(src: &str, out_name: &str, defines: &[(&str, &str)]) -> PathBuf {
    static BUILT: Mutex<BTreeMap<String, PathBuf>> = Mutex::new(BTreeMap::new());
    let mut built = BUILT.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(p) = built.get(out_name) {
        return p.clone();
    }
    let out = compile_c(src, out_name, defines);
    built.insert(out_name.to_string(), out.clone());
    out
}

fn compile_c(src: &str, out_name: &str, defines: &[(&str, &str)]) -> PathBuf {
    let dir = target_debug().join("jixiao-test-plugins");
    std::fs::create_dir_all(&dir).expect("plugin dir");
    let out = dir.join(libloading::library_filename(out_name));
    jixiao_plugin_api::build_c::compile(&workspace().join(src), &out, defines)
        .unwrap_or_else(|e| panic!("{e}"));
    out
}

fn faulty(mode: u32) -> PathBuf {
    c_plugin(
        "plugins/faulty-test/faulty.c",
        &format!("faulty{mode}"),
        &[("FAULT", &mode.to_string())],
    )
}

fn ind(l2: Level2, name: &str, value: &str, parsed: ParsedValue) -> Indicator {
    Indicator {
        level1: Some(l2.parent()),
        level2: Some(l2),
        level1_raw: None,
        level2_raw: None,
        name: name.into(),
        value: value.into(),
        description: None,
        basis: None,
        line: 12,
        parsed,
    }
}

fn training_record(name: &str, cost_wan: f64) -> Record {
    let n = |x: f64, u: &str| ParsedValue {
        numbers: vec![x],
        unit: Some(u.into()),
        ..ParsedValue::default()
    };
    let mut r = Record::new(RecordKind::Project, 10);
    r.name = Some(name.into());
    r.unit = Some("区委组织部".into());
    r.year = Some(2024);
    r.funds.total = Some(cost_wan);
    r.goal = Some("原则上完成全年干部培训任务".into());
    r.indicators = vec![
        ind(Level2::Quantity, "培训人数", "100人", n(100.0, "人")),
        ind(Level2::Timeliness, "培训天数", "3天", n(3.0, "天")),
        ind(
            Level2::Cost,
            "培训费",
            &format!("{cost_wan}万元"),
            ParsedValue {
                money_wan: Some(cost_wan),
                ..n(cost_wan, "万元")
            },
        ),
    ];
    r
}

fn ledger(records: Vec<Record>) -> Ledger {
    Ledger {
        documents: vec![DocumentRecords {
            file: "t.txt".into(),
            layout: Layout::Tabbed,
            encoding: "utf-8".into(),
            facts: DocumentFacts::default(),
            records,
            diagnostics: vec![],
        }],
    }
}

/// The plugins of `plugins_toml`, each loaded into this process: process isolation needs the
/// `jixiao` executable as its worker, and is tested through it (tests/cli/plugins.rs).
fn config(plugins_toml: &str) -> ScoringConfig {
    let text = plugins_toml.replace("[[plugins]]\n", "[[plugins]]\nisolation = \"in-process\"\n");
    toml::from_str(&text).unwrap_or_else(|e| panic!("{e}"))
}

fn run(cfg: &str, records: Vec<Record>) -> Scorecard {
    let ctx = ScoreContext::new(&config(cfg), Path::new("/"), 2024, &Default::default())
        .unwrap_or_else(|e| panic!("{e:?}"));
    score(&ledger(records), &ctx)
}

fn check<'a>(card: &'a Scorecard, rec: usize, id: &str) -> &'a jixiao_core::CheckResult {
    card.records[rec]
        .checks
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no {id}"))
}

#[test]
fn local_rules_plugin_through_the_host() {
    let lib = rust_plugin(
        "jixiao-plugin-local-rules",
        "jixiao_plugin_local_rules",
        "plugins/local-rules/src",
    );
    let cfg = format!(
        "[[plugins]]\npath = {:?}\nweight = 2\nparams = {{ required = {{ \"培训\" = [\"培训人数\", \"培训合格率\"] }}, banned_phrases = [\"原则上\"] }}\n",
        lib.display().to_string()
    );
    let card = run(
        &cfg,
        vec![
            training_record("干部培训", 19.5),
            training_record("道路维修", 5.0),
        ],
    );
    assert!(card.diagnostics.is_empty(), "{:?}", card.diagnostics);
    // LR1: 1 of 2 required present → 2.5 of 5, × weight 2.
    let lr1 = check(&card, 0, "LR1");
    assert_eq!(
        (lr1.status, lr1.points, lr1.max_points),
        (CheckStatus::Scored, 5.0, 10.0)
    );
    assert_eq!(lr1.evidence[0].subject, "培训合格率");
    // LR2: one banned phrase in the goal → 4 of 5, × 2.
    assert_eq!(check(&card, 0, "LR2").points, 8.0);
    // Not a training project: LR1 left out → not scored, and not in the maximum.
    assert_eq!(check(&card, 1, "LR1").status, CheckStatus::NotScored);
    assert_eq!(card.records[1].max_points, 100.0 + 10.0);
    assert_eq!(card.records[0].max_points, 100.0 + 20.0);
    let sources: Vec<&str> = card
        .rubric
        .checks
        .iter()
        .map(|c| c.source.as_str())
        .collect();
    assert!(sources.contains(&"local-rules"));
}

#[test]
fn cost_standard_plugin_through_the_host() {
    let lib = rust_plugin(
        "jixiao-plugin-cost-standard",
        "jixiao_plugin_cost_standard",
        "plugins/cost-standard/src",
    );
    let cfg = format!(
        "[[plugins]]\npath = {:?}\nparams = {{ standards = {{ \"培训\" = 650 }} }}\n",
        lib.display().to_string()
    );
    // 19.5 万元 / (100 人 × 3 天) = 650 元/人天: within; 30 万元 → 1000 元/人天: over.
    let card = run(
        &cfg,
        vec![
            training_record("干部培训", 19.5),
            training_record("干部培训", 30.0),
        ],
    );
    assert_eq!(check(&card, 0, "CS1").points, 5.0);
    let over = check(&card, 1, "CS1");
    assert_eq!(over.points, 0.0);
    assert!(over.evidence[0].reason.contains("1000元/人天"));
    let m = inspect_plugin(&lib, &Default::default()).unwrap();
    assert_eq!((m.name.as_str(), m.checks.len()), ("cost-standard", 1));
}

#[test]
fn c_plugin_through_the_host() {
    let lib = c_plugin(
        "plugins/c-example/indicator_count.c",
        "indicator_count",
        &[],
    );
    let pin = file_sha256(&lib).unwrap();
    let cfg = format!(
        "[[plugins]]\npath = {:?}\nsha256 = \"{pin}\"\nparams = {{ min_indicators = 3 }}\n",
        lib.display().to_string()
    );
    let mut short = training_record("干部培训", 1.0);
    short.indicators.truncate(2);
    let card = run(&cfg, vec![training_record("干部培训", 1.0), short]);
    assert_eq!(check(&card, 0, "CE1").points, 2.0);
    // Pinned: loaded from a sealed in-memory copy of the bytes that were hashed, not from the file.
    if cfg!(target_os = "linux") {
        let maps = std::fs::read_to_string("/proc/self/maps").unwrap_or_default();
        assert!(maps.contains("/memfd:jixiao-plugin"), "no memfd mapping");
    }
    let ce1 = check(&card, 1, "CE1");
    assert_eq!(ce1.points, 0.0);
    assert!(
        ce1.evidence[0].reason.contains("只有2个指标"),
        "{:?}",
        ce1.evidence
    );
    assert_eq!(
        inspect_plugin(&lib, &Default::default()).unwrap().name,
        "indicator-count"
    );
}

/// Per-record faults: the run completes, the plugin's checks are not scored, a diagnostic names
/// the plugin and the record.
#[test]
fn per_record_faults_are_diagnosed_and_the_run_goes_on() {
    for (mode, expect) in [
        (1, "invalid JSON"),
        (2, "outside 0–3"),
        (3, "simulated crash"),
        (4, "cannot score"),
        (8, "unknown check id ZZ"),
    ] {
        let lib = faulty(mode);
        let cfg = format!("[[plugins]]\npath = {:?}\n", lib.display().to_string());
        let card = run(&cfg, vec![training_record("干部培训", 19.5)]);
        let f1 = check(&card, 0, "F1");
        assert_eq!(f1.status, CheckStatus::NotScored, "mode {mode}");
        assert_eq!(
            card.records[0].max_points, 100.0,
            "not-scored points leave the maximum"
        );
        let d = card
            .diagnostics
            .first()
            .unwrap_or_else(|| panic!("mode {mode}: no diagnostic"));
        assert_eq!(
            (d.severity, d.code.as_str()),
            (Severity::Warning, "score.plugin-fault")
        );
        assert!(
            d.message.contains("faulty")
                && d.message.contains("干部培训")
                && d.message.contains(expect),
            "mode {mode}: {}",
            d.message
        );
    }
    // on_error = "fail": the same fault is an error (the driver's exit code reflects it).
    let cfg = format!(
        "[[plugins]]\npath = {:?}\non_error = \"fail\"\n",
        faulty(3).display().to_string()
    );
    let card = run(&cfg, vec![training_record("干部培训", 19.5)]);
    assert_eq!(card.diagnostics[0].severity, Severity::Error);
}

#[test]
fn load_faults_abi_symbol_pin_params() {
    let load = |path: &Path, extra: &str| {
        let cfg = config(&format!(
            "[[plugins]]\npath = {:?}\n{extra}",
            path.display().to_string()
        ));
        ScoreContext::new(&cfg, Path::new("/"), 2024, &Default::default())
    };
    // Wrong abi_version in the table header.
    let e = inspect_plugin(&faulty(5), &Default::default()).unwrap_err();
    assert!(
        matches!(
            e,
            PluginError::WrongAbi {
                found: 2,
                expected: 1,
                ..
            }
        ),
        "{e}"
    );
    assert!(
        e.to_string().contains("faulty5") && e.to_string().contains("ABI v2"),
        "{e}"
    );
    // Only a v2 entry symbol: the message names both versions.
    let e = inspect_plugin(&faulty(6), &Default::default()).unwrap_err();
    assert!(
        matches!(
            e,
            PluginError::WrongAbi {
                found: 2,
                expected: 1,
                ..
            }
        ),
        "{e}"
    );
    // No entry symbol.
    assert!(matches!(
        inspect_plugin(&faulty(7), &Default::default()).unwrap_err(),
        PluginError::MissingSymbol { .. }
    ));
    // Skip: the run goes on with a warning; fail: setup error.
    let ctx = load(&faulty(7), "").unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(ctx.diagnostics.len(), 1);
    assert!(ctx.plugins.is_empty());
    let errs = load(&faulty(5), "on_error = \"fail\"\n")
        .err()
        .expect("fatal");
    assert!(matches!(
        errs[0],
        SetupError::Plugin(PluginError::WrongAbi { .. })
    ));
    // Pin mismatch is detected before opening: a text file with a wrong pin is a pin error, not an
    // "invalid library" error.
    let fake = target_debug().join("jixiao-test-plugins/not-a-library.so");
    std::fs::write(&fake, "not a library").unwrap();
    let errs = load(&fake, "sha256 = \"00\"\non_error = \"fail\"\n")
        .err()
        .expect("pin");
    assert!(
        matches!(
            &errs[0],
            SetupError::Plugin(PluginError::PinMismatch { .. })
        ),
        "{errs:?}"
    );
    let good = faulty(0);
    let pin = file_sha256(&good).unwrap().to_uppercase();
    assert!(load(&good, &format!("sha256 = \"{pin}\"\n")).is_ok_and(|c| c.plugins.len() == 1));
    // Params not in the manifest's schema.
    let ctx = load(&good, "params = { nope = 1 }\n").unwrap_or_else(|e| panic!("{e:?}"));
    assert!(
        ctx.diagnostics[0].message.contains("params.nope"),
        "{:?}",
        ctx.diagnostics
    );
    let card = score(&ledger(vec![training_record("x", 1.0)]), &ctx);
    assert_eq!(check(&card, 0, "F1").status, CheckStatus::NotScored);
    assert!(load(&good, "params = { nope = 1 }\non_error = \"fail\"\n").is_err());
}

#[test]
fn non_thread_safe_plugin_is_called_serially_under_rayon() {
    // faulty(0) declares thread_safe = false; many records must all be scored.
    let cfg = format!(
        "[[plugins]]\npath = {:?}\n",
        faulty(0).display().to_string()
    );
    let recs: Vec<Record> = (0..64)
        .map(|k| training_record(&format!("p{k}"), 1.0))
        .collect();
    let card = run(&cfg, recs);
    assert!(card.records.iter().all(|r| {
        r.checks
            .iter()
            .any(|c| c.id == "F1" && c.status == CheckStatus::Scored && c.points == 3.0)
    }));
}

/// Throughput benchmark (not a pass/fail test): `cargo test -p jixiao-score --test plugins --
/// --ignored --nocapture throughput`. Debug builds are several times slower than release.
#[test]
#[ignore]
fn throughput_with_and_without_plugins() {
    let records: Vec<Record> = (0..5000)
        .map(|k| training_record(&format!("干部培训{k}"), 19.5))
        .collect();
    let l = ledger(records);
    let local = rust_plugin(
        "jixiao-plugin-local-rules",
        "jixiao_plugin_local_rules",
        "plugins/local-rules/src",
    );
    let c = c_plugin(
        "plugins/c-example/indicator_count.c",
        "indicator_count",
        &[],
    );
    for (label, cfg) in [
        ("built-in rubric only", String::new()),
        (
            "+ local-rules + C plugin",
            format!(
                "[[plugins]]\npath = {:?}\nparams = {{ banned_phrases = [\"原则上\"] }}\n[[plugins]]\npath = {:?}\n",
                local.display().to_string(),
                c.display().to_string()
            ),
        ),
    ] {
        let ctx = ScoreContext::new(&config(&cfg), Path::new("/"), 2024, &Default::default())
            .unwrap_or_else(|e| panic!("{e:?}"));
        let t = std::time::Instant::now();
        let card = score(&l, &ctx);
        let secs = t.elapsed().as_secs_f64();
        assert_eq!(card.records.len(), 5000);
        println!(
            "{label}: {:.0} records/s ({} records in {secs:.3} s)",
            5000.0 / secs,
            card.records.len()
        );
    }
}
