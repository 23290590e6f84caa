//! Tables from other provinces (`tests/fixtures/provinces/`, copied from the shared corpus with
//! their hand-typed `expected.json` and `partial.json`), read through the real reader and normaliser
//! and compared field by field: name, department, year, funds, goal, and every indicator's 一级/二级
//! (canonical), 三级 name and 指标值 as written. Truncated tables must give what `partial.json` says
//! they must recover, and must not turn template units or cut-off rows into values.

use std::path::{Path, PathBuf};

use jixiao_core::{ConfidenceLevel, ReadLimits, Record};
use jixiao_normalize::{LabelDictionary, NormalizeContext, normalize_document};
use serde_json::Value;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/provinces")
}

fn load(name: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(dir().join(name)).expect("fixture json");
    let all: Value = serde_json::from_str(&text).expect("fixture json is JSON");
    let key = if name == "expected.json" {
        "records"
    } else {
        "files"
    };
    all[key].as_array().cloned().unwrap_or_default()
}

fn records_of(file: &str) -> Vec<Record> {
    let bytes = std::fs::read(dir().join(file)).expect("fixture");
    let doc = jixiao_ingest::read_bytes(file, &bytes, None, None, &ReadLimits::default());
    let ctx = NormalizeContext::new(&Default::default(), None).expect("dictionary");
    normalize_document(doc, &ctx).records
}

/// Field-by-field comparison; every mismatch is one line of the report.
struct Check {
    file: String,
    fields: usize,
    wrong: Vec<String>,
}

impl Check {
    fn new(file: &str) -> Self {
        Check {
            file: file.to_string(),
            fields: 0,
            wrong: Vec::new(),
        }
    }

    fn field(&mut self, what: &str, ok: bool, got: impl std::fmt::Debug, want: &Value) {
        self.fields += 1;
        if !ok {
            self.wrong
                .push(format!("{}: {what}: got {got:?}, want {want}", self.file));
        }
    }

    fn text(&mut self, what: &str, got: Option<&str>, want: &Value, alternatives: &Value) {
        let ok = match want.as_str() {
            Some(w) => {
                got == Some(w)
                    || alternatives
                        .as_array()
                        .is_some_and(|a| a.iter().any(|x| x.as_str() == got))
                    || alternatives.as_str().is_some_and(|a| Some(a) == got)
            }
            None => got.is_none(),
        };
        self.field(what, ok, got, want);
    }

    fn amount(&mut self, what: &str, got: Option<f64>, want: &Value) {
        let ok = match want.as_f64() {
            Some(w) => got.is_some_and(|g| (g - w).abs() < 1e-6),
            None => got.is_none(),
        };
        self.field(what, ok, got, want);
    }
}

fn same_level(dict: &LabelDictionary, got: Option<jixiao_core::Level2>, want: &Value) -> bool {
    want.as_str().and_then(|w| dict.level2(w)) == got
}

/// The department a record is filed under (as scoring and the packet do): 主管部门, else the unit.
fn department(r: &Record) -> Option<&str> {
    r.supervisor.as_deref().or(r.unit.as_deref())
}

fn check_header(c: &mut Check, r: &Record, want: &Value) {
    let alts = &want["alternatives"];
    c.text(
        "project name",
        r.name.as_deref(),
        &want["project_name"],
        &alts["project_name"],
    );
    let unit_ok = [department(r), r.unit.as_deref()]
        .iter()
        .any(|u| *u == want["unit"].as_str())
        || alts["unit"]
            .as_array()
            .is_some_and(|a| a.iter().any(|x| x.as_str() == department(r)));
    c.field("department", unit_ok, department(r), &want["unit"]);
    c.field(
        "year",
        r.year.map(i64::from) == want["budget_year"].as_i64(),
        r.year,
        &want["budget_year"],
    );
    for key in ["total", "fiscal", "other"] {
        let got = match key {
            "total" => r.funds.total,
            "fiscal" => r.funds.fiscal,
            _ => r.funds.other,
        };
        let want_amount = if want["funds"].is_object() {
            &want["funds"][key]
        } else {
            &want["must_recover"]["funds"][key]
        };
        c.amount(&format!("funds.{key}"), got, want_amount);
    }
    c.text(
        "goal",
        r.goal.as_deref(),
        &want["overall_goal"],
        &Value::Null,
    );
}

fn check_indicator(c: &mut Check, dict: &LabelDictionary, r: &Record, want: &Value) {
    let alts = &want["alternatives"];
    let name = want["level3"].as_str().unwrap_or_default();
    let alt = alts["level3"].as_str();
    let found = r
        .indicators
        .iter()
        .find(|i| i.name == name || Some(i.name.as_str()) == alt);
    let Some(i) = found else {
        c.field("indicator", false, "missing", &want["level3"]);
        return;
    };
    c.field(
        &format!("{name}: level1"),
        want["level1_std"].as_str().and_then(|w| dict.level1(w)) == i.level1,
        i.level1,
        &want["level1_std"],
    );
    c.field(
        &format!("{name}: level2"),
        same_level(dict, i.level2, &want["level2_std"])
            || same_level(dict, i.level2, &want["level2"]),
        i.level2,
        &want["level2"],
    );
    c.field(
        &format!("{name}: value"),
        i.value == want["value"].as_str().unwrap_or_default(),
        &i.value,
        &want["value"],
    );
}

fn report(checks: &[Check]) {
    let fields: usize = checks.iter().map(|c| c.fields).sum();
    let wrong: Vec<&String> = checks.iter().flat_map(|c| &c.wrong).collect();
    assert!(
        wrong.is_empty(),
        "{} of {fields} fields wrong:\n{}",
        wrong.len(),
        wrong
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// Reads every file the fixture lists, expects one record of each, checks it with `body` and reports
/// every wrong field at once.
fn check_each(fixture: &str, body: impl Fn(&mut Check, &Record, &Value, &LabelDictionary)) {
    let dict = LabelDictionary::new(&Default::default()).expect("dictionary");
    let mut checks = Vec::new();
    for want in load(fixture) {
        let file = want["file"].as_str().expect("file");
        let records = records_of(file);
        let mut c = Check::new(file);
        c.field(
            "records",
            records.len() == 1,
            records.len(),
            &Value::from(1),
        );
        if let Some(r) = records.first() {
            body(&mut c, r, &want, &dict);
        }
        checks.push(c);
    }
    report(&checks);
}

#[test]
fn complete_tables_match_their_hand_typed_records() {
    check_each("expected.json", |c, r, want, dict| {
        check_header(c, r, want);
        c.field(
            "confidence",
            r.confidence.level != ConfidenceLevel::Low,
            &r.confidence,
            &Value::from("high or medium"),
        );
        let wanted = want["indicators"].as_array().cloned().unwrap_or_default();
        for w in &wanted {
            check_indicator(c, dict, r, w);
        }
        let count_ok = r.indicators.len() == wanted.len()
            || want["alternatives"]["indicator_count"]
                .as_array()
                .is_some_and(|a| {
                    a.iter()
                        .any(|n| n.as_u64() == Some(r.indicators.len() as u64))
                });
        c.field(
            "indicator count",
            count_ok,
            r.indicators.iter().map(|i| &i.name).collect::<Vec<_>>(),
            &Value::from(wanted.len()),
        );
    });
}

#[test]
fn truncated_tables_give_what_they_must_and_invent_nothing() {
    check_each("partial.json", |c, r, want, dict| {
        let must = &want["must_recover"];
        let mut header = must.clone();
        header["overall_goal"] = want["overall_goal"].clone();
        check_header(c, r, &header);
        // A cut-off copy is read, and said to need a check by hand.
        c.field(
            "confidence",
            r.confidence.level == ConfidenceLevel::Low
                && r.confidence
                    .guessed
                    .iter()
                    .any(|g| g == "normalize.cut-off"),
            &r.confidence,
            &Value::from("low, cut-off"),
        );
        for w in want["complete_indicators"].as_array().into_iter().flatten() {
            check_indicator(c, dict, r, w);
        }
        // Only the complete rows carry a value: template units and cut-off rows never do.
        let with_value: Vec<&str> = r
            .indicators
            .iter()
            .filter(|i| !i.value.is_empty())
            .map(|i| i.value.as_str())
            .collect();
        c.field(
            "rows with a value",
            with_value.len() as u64 == must["complete_indicator_rows"].as_u64().unwrap_or(0),
            &with_value,
            &must["complete_indicator_rows"],
        );
        for t in want["template_rows"].as_array().into_iter().flatten() {
            let name = t["level3"].as_str().unwrap_or_default();
            let row = r.indicators.iter().find(|i| name.ends_with(&i.name));
            c.field(
                &format!("template row {name}"),
                row.is_some_and(|i| i.value.is_empty()),
                row.map(|i| &i.value),
                &Value::from("no value"),
            );
        }
    });
}

/// What a reader of the packet sees of a record: its fields and every indicator.
fn essentials(r: &Record) -> String {
    let f = &r.funds;
    let mut out = format!(
        "{:?} | {:?} | {:?} | {:?} {:?} {:?} | {:?}\n",
        r.name,
        department(r),
        r.year,
        f.total,
        f.fiscal,
        f.other,
        r.goal
    );
    for i in &r.indicators {
        out.push_str(&format!(
            "{:?}/{:?} | {} | {}\n",
            i.level1, i.level2, i.name, i.value
        ));
    }
    out
}

/// The provinces' tables rendered as a bureau receives them (`renderings/`, built by
/// make_renderings.py: web page, Word form, the PDF printed from it, Excel form) give the same record
/// as the text copy they were rebuilt from: table understanding does not depend on the reader.
#[test]
fn renderings_read_like_their_text_copies() {
    let renderings = dir().join("renderings");
    let mut checked = 0;
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&renderings)
        .expect("renderings")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    entries.sort();
    for sidecar in entries {
        let meta: toml::Value =
            toml::from_str(&std::fs::read_to_string(&sidecar).expect("sidecar")).expect("toml");
        let like = meta["like"].as_str().expect("like");
        let file = sidecar.with_extension("");
        let read = |path: &Path, year: Option<i32>| -> Vec<Record> {
            let bytes = std::fs::read(path).expect("fixture");
            let name = path.display().to_string();
            let doc = jixiao_ingest::read_bytes(&name, &bytes, None, None, &ReadLimits::default());
            let ctx = NormalizeContext::new(&Default::default(), year).expect("dictionary");
            normalize_document(doc, &ctx).records
        };
        let copy = read(&dir().join(like), None);
        let year = copy.first().and_then(|r| r.year);
        let rendered = read(&file, year);
        assert_eq!(rendered.len(), 1, "{}", file.display());
        assert_eq!(
            essentials(&rendered[0]),
            essentials(&copy[0]),
            "{} reads unlike {like}",
            file.display()
        );
        assert_ne!(rendered[0].confidence.level, ConfidenceLevel::Low);
        checked += 1;
    }
    assert!(checked >= 9, "only {checked} renderings");
}

/// A tabbed sample copied from a web page the way n05/n07 were: one cell per line ending in ` |`, empty
/// cells dropped, row ends (`|||`) kept for only some rows. Every record must read as from the original.
#[test]
fn a_sample_copied_one_cell_per_line_without_row_ends_reads_like_the_original() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../samples/003-yongning-tuanjiexilu-2024-project-targets.txt");
    let text = std::fs::read_to_string(&path).expect("sample");
    let ctx = NormalizeContext::new(&Default::default(), None).expect("dictionary");
    let read = |name: &str, bytes: &[u8]| {
        let doc = jixiao_ingest::read_bytes(name, bytes, None, None, &ReadLimits::default());
        normalize_document(doc, &ctx).records
    };
    let original = read("003.txt", text.as_bytes());
    for keep_every in [1usize, 2, 3, usize::MAX] {
        let mut copy = String::new();
        for (i, line) in text.lines().enumerate() {
            if !line.contains('\t') {
                copy.push_str(line);
                copy.push('\n');
                continue;
            }
            for cell in line.split('\t').map(str::trim).filter(|c| !c.is_empty()) {
                copy.push_str(cell);
                copy.push_str(" |\n");
            }
            if i % keep_every == 0 {
                copy.push_str("|||\n");
            }
        }
        let records = read("003-web.txt", copy.as_bytes());
        assert_eq!(records.len(), original.len(), "row ends every {keep_every}");
        for (got, want) in records.iter().zip(&original) {
            assert_eq!(
                essentials(got),
                essentials(want),
                "row ends every {keep_every}"
            );
        }
    }
    // The same tables copied one cell per paragraph (n06's layout).
    let mut paragraphs = String::new();
    for line in text.lines() {
        for cell in line.split('\t').map(str::trim).filter(|c| !c.is_empty()) {
            paragraphs.push_str(cell);
            paragraphs.push_str("\n\n");
        }
    }
    let records = read("003-paragraphs.txt", paragraphs.as_bytes());
    assert_eq!(records.len(), original.len());
    for (got, want) in records.iter().zip(&original) {
        assert_eq!(essentials(got), essentials(want), "one cell per paragraph");
    }
}
