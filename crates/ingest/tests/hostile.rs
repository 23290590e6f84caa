//! Hostile and broken files (`tests/fixtures/hostile/`, and the crashes fuzzing found): every one is
//! read to the end with the default `[limits]`, without a panic, and either gives a diagnostic or
//! reads a bounded number of cells. A few have an exact expectation.

use std::path::{Path, PathBuf};

use jixiao_core::{ReadLimits, Severity, SourceDocument};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/hostile")
}

fn read(name: &str, bytes: &[u8]) -> SourceDocument {
    jixiao_ingest::read_bytes(name, bytes, None, None, &ReadLimits::default())
}

fn codes(doc: &SourceDocument) -> Vec<&str> {
    doc.diagnostics.iter().map(|d| d.code.as_str()).collect()
}

/// What some files must give: a diagnostic code, or `rows` for a file that reads.
const EXPECTED: &[(&str, &str)] = &[
    ("deep.html", "ingest.limit"),
    ("deep.docx", "ingest.limit"),
    ("circular-pages.pdf", "ingest.no-text-layer"),
    ("garbage.pdf", "ingest.pdf"),
    ("parent-loop.pdf", "ingest.pdf"),
    ("form-loop.pdf", "ingest.pdf"),
    ("contents-loop.pdf", "ingest.no-text-layer"),
    ("deep-array.pdf", "ingest.no-text-layer"),
    ("empty.pdf", "ingest.empty"),
    ("not-a-zip.docx", "ingest.docx"),
    ("truncated-003-yongning.docx", "ingest.docx"),
    ("truncated-003-yongning-form.xlsx", "ingest.spreadsheet"),
    ("huge-dimension.xlsx", "rows"),
    ("huge-spans.html", "rows"),
    ("huge-spans.docx", "rows"),
];

#[test]
fn every_hostile_file_gets_a_diagnostic_or_a_bounded_read() {
    let mut problems = Vec::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir())
        .expect("hostile fixture folder")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e != "py"))
        .collect();
    files.sort();
    assert!(files.len() >= 10, "hostile fixtures missing: {files:?}");
    for path in files {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("?");
        let bytes = std::fs::read(&path).expect("fixture");
        let doc = read(name, &bytes);
        let cells: usize = doc.rows.iter().map(|r| r.cells.len()).sum();
        let flagged = doc
            .diagnostics
            .iter()
            .any(|d| d.severity >= Severity::Warning);
        if !flagged && cells == 0 {
            problems.push(format!("{name}: neither a diagnostic nor rows"));
        }
        if cells as u64 > ReadLimits::default().max_cells {
            problems.push(format!("{name}: {cells} cells"));
        }
        match EXPECTED.iter().find(|(n, _)| *n == name) {
            Some((_, "rows")) if doc.rows.is_empty() => {
                problems.push(format!("{name}: no rows ({:?})", codes(&doc)))
            }
            Some((_, code)) if *code != "rows" && !codes(&doc).contains(code) => {
                problems.push(format!("{name}: expected {code}, got {:?}", codes(&doc)))
            }
            _ => {}
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_thirty_megabyte_line_is_cut_not_fatal() {
    let mut text = "项目名称\t".repeat(4).into_bytes();
    text.extend(std::iter::repeat_n(b'x', 30 << 20));
    let doc = read("long-line.txt", &text);
    assert!(
        codes(&doc).contains(&"ingest.cell-truncated"),
        "{:?}",
        codes(&doc)
    );
}

#[test]
fn a_word_document_that_unpacks_too_far_is_refused() {
    let bytes = std::fs::read(dir().join("../formats/003-yongning.docx")).expect("fixture");
    let limits = ReadLimits {
        max_unpacked_bytes: 10_000,
        ..ReadLimits::default()
    };
    let doc = jixiao_ingest::read_bytes("bomb.docx", &bytes, None, None, &limits);
    assert_eq!(codes(&doc), ["ingest.limit"]);
    let xlsx = std::fs::read(dir().join("../formats/003-yongning-form.xlsx")).expect("fixture");
    let doc = jixiao_ingest::read_bytes("bomb.xlsx", &xlsx, None, None, &limits);
    assert_eq!(codes(&doc), ["ingest.limit"]);
}

#[test]
fn a_pdf_with_too_many_pages_is_refused() {
    let bytes = std::fs::read(dir().join("../formats/000-panzhihua.pdf")).expect("fixture");
    let limits = ReadLimits {
        max_pages: 1,
        ..ReadLimits::default()
    };
    let doc = jixiao_ingest::read_bytes("long.pdf", &bytes, None, None, &limits);
    assert_eq!(codes(&doc), ["ingest.limit"]);
}
