//! docs/diagnostics.md against the stages' catalogues (`CODES`), and the catalogues against every
//! code the sources emit, so that no code goes undocumented.

use std::path::{Path, PathBuf};

/// The generated part of docs/diagnostics.md lies between these lines.
const BEGIN: &str = "<!-- catalogue: generated from the stages' CODES, checked by a test -->";
const END: &str = "<!-- end of catalogue -->";

/// The stage prefixes of diagnostic codes.
const PREFIXES: [&str; 5] = ["ingest.", "normalize.", "score.", "render.", "run."];

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The tables the catalogue gives: one per stage.
fn catalogue_markdown() -> String {
    let mut out = String::new();
    for (stage, codes) in crate::diagnostic_codes() {
        out += &format!("\n### {stage}\n\n| code | severity | meaning |\n|---|---|---|\n");
        for c in codes {
            out += &format!(
                "| `{}` | {} | {} |\n",
                c.code,
                c.severity.as_str(),
                c.meaning
            );
        }
    }
    out + "\n"
}

#[test]
fn docs_diagnostics_md_is_the_catalogue() {
    let path = workspace().join("docs/diagnostics.md");
    let text = std::fs::read_to_string(&path).expect("docs/diagnostics.md");
    let (before, rest) = text
        .split_once(BEGIN)
        .expect("the catalogue's start marker");
    let (current, after) = rest.split_once(END).expect("the catalogue's end marker");
    let expected = catalogue_markdown();
    if std::env::var_os("JIXIAO_BLESS").is_some() && current != expected {
        std::fs::write(&path, format!("{before}{BEGIN}{expected}{END}{after}")).expect("write");
        return;
    }
    assert_eq!(
        current, expected,
        "docs/diagnostics.md is not the stages' catalogue: JIXIAO_BLESS=1 cargo test -p \
         jixiao-driver catalogue, then review the diff"
    );
}

#[test]
fn every_code_the_sources_emit_is_catalogued_and_every_catalogued_code_is_emitted() {
    let mut sources = String::new();
    for dir in ["crates", "src"] {
        collect_sources(&workspace().join(dir), &mut sources);
    }
    let catalogued: Vec<&str> = crate::diagnostic_codes()
        .iter()
        .flat_map(|(_, codes)| codes.iter().map(|c| c.code))
        .collect();
    for code in emitted_codes(&sources) {
        assert!(
            catalogued.contains(&code.as_str()),
            "`{code}` is emitted but in no stage's CODES (nor docs/diagnostics.md)"
        );
    }
    for code in &catalogued {
        // Once in its catalogue, at least once where it is emitted.
        let uses = sources.matches(&format!("\"{code}\"")).count();
        assert!(uses >= 2, "`{code}` is catalogued but never emitted");
    }
    let mut sorted = catalogued.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), catalogued.len(), "a code is catalogued twice");
}

/// The non-test Rust source under `dir`: test files and in-file test modules left out.
fn collect_sources(dir: &Path, out: &mut String) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if path.is_dir() {
            if name != "tests" && name != "target" {
                collect_sources(&path, out);
            }
        } else if name.ends_with(".rs") && name != "tests.rs" && !name.ends_with("_tests.rs") {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let code = text.split("#[cfg(test)]\nmod tests {").next().unwrap_or("");
            out.push_str(code);
            out.push('\n');
        }
    }
}

/// Every string literal shaped like a diagnostic code: `"<stage>.<lower-case-words>"`.
fn emitted_codes(sources: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (i, _) in sources.match_indices('"') {
        let rest = &sources[i + 1..];
        let Some(prefix) = PREFIXES.iter().find(|p| rest.starts_with(**p)) else {
            continue;
        };
        let tail: String = rest[prefix.len()..]
            .chars()
            .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')
            .collect();
        if !tail.is_empty() && rest[prefix.len() + tail.len()..].starts_with('"') {
            found.push(format!("{prefix}{tail}"));
        }
    }
    found.sort();
    found.dedup();
    found
}

/// The packet prints diagnostics in Chinese (strings.toml `[diagnostic]`): every catalogued code
/// has wording there, so no code reaches a reader untranslated.
#[test]
fn every_catalogued_code_has_chinese_wording_for_the_packet() {
    let wording = jixiao_render::Wording::load(None).expect("bundled wording");
    let chinese = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    for (_, codes) in crate::diagnostic_codes() {
        for c in codes {
            let key = format!("diagnostic.{}", c.code);
            let text = wording.s(&key);
            assert!(
                text != key && chinese(text),
                "`{}` has no Chinese wording in templates/strings.toml [diagnostic]",
                c.code
            );
        }
    }
}

/// Every finding category docs/scoring.md lists has Chinese wording (strings.toml `[finding]`).
#[test]
fn every_documented_finding_has_chinese_wording_for_the_packet() {
    let wording = jixiao_render::Wording::load(None).expect("bundled wording");
    let docs = std::fs::read_to_string(workspace().join("docs/scoring.md")).expect("scoring.md");
    let table = docs
        .split_once("## Findings (counted, never scored)")
        .map(|(_, rest)| rest.split("\n## ").next().unwrap_or(""))
        .unwrap_or("");
    let codes: Vec<&str> = table
        .lines()
        .filter_map(|l| l.strip_prefix("| `")?.split('`').next())
        .collect();
    assert!(codes.len() >= 10, "findings table not found: {codes:?}");
    for code in codes {
        let key = format!("finding.{code}");
        assert_ne!(
            wording.s(&key),
            key,
            "`{code}` has no wording in strings.toml [finding]"
        );
    }
}
