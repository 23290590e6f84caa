use super::*;

fn code(doc: &SourceDocument) -> &str {
    doc.diagnostics.first().map_or("", |d| d.code.as_str())
}

fn read(name: &str, bytes: &[u8]) -> SourceDocument {
    read_bytes(name, bytes, None, None, &ReadLimits::default())
}

#[test]
fn faults_become_diagnostics() {
    assert_eq!(code(&read("a.txt", b"")), "ingest.empty");
    assert_eq!(code(&read("a.txt", b"  \n\n")), "ingest.empty");
    assert_eq!(
        code(&read("a.bin", &[0, 1, 2, 3, 0, 200, 7])),
        "ingest.binary"
    );
    assert_eq!(
        code(&read("a.xlsx", b"PK\x03\x04garbage")),
        "ingest.spreadsheet"
    );
    let missing = ingest(
        &[InputFile {
            path: "/nonexistent/x.txt".into(),
            display: "x.txt".into(),
            encoding: None,
            layout: None,
        }],
        &ReadLimits::default(),
    );
    assert_eq!(code(&missing[0]), "ingest.unreadable");
    assert!(missing[0].rows.is_empty());
}

#[test]
fn old_formats_say_to_save_as_docx() {
    let ole = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0];
    for name in ["申报表.doc", "申报表.wps"] {
        let doc = read(name, &ole);
        assert_eq!(code(&doc), "ingest.old-format", "{name}");
        assert!(
            doc.diagnostics[0].message.contains(".docx"),
            "{:?}",
            doc.diagnostics
        );
    }
    assert_eq!(
        code(&read("a.rtf", b"{\\rtf1\\ansi x}")),
        "ingest.old-format"
    );
}

#[test]
fn files_over_the_size_limit_are_refused_unread() {
    let limits = ReadLimits {
        max_file_bytes: 10,
        ..ReadLimits::default()
    };
    let doc = read_bytes("a.txt", "项目名称\t培训\n".as_bytes(), None, None, &limits);
    assert_eq!(code(&doc), "ingest.limit");
    assert!(doc.diagnostics[0].message.contains("max_file_bytes"));
}

#[test]
fn layout_override_wins() {
    let doc = read_bytes(
        "a.txt",
        "项目名称 培训\n".as_bytes(),
        None,
        Some(Layout::Paragraph),
        &ReadLimits::default(),
    );
    assert_eq!(doc.layout, Layout::Paragraph);
    assert_eq!(doc.format, SourceFormat::Text);
    assert_eq!(doc.rows[0].cells[0].text, "项目名称 培训");
}

#[test]
fn every_diagnostic_code_is_documented_and_used() {
    let docs = include_str!("../../../docs/inputs.md");
    let sources = [
        include_str!("lib.rs"),
        include_str!("grid.rs"),
        include_str!("decode.rs"),
        include_str!("pdf/mod.rs"),
        include_str!("workbook.rs"),
    ]
    .concat();
    for entry in crate::CODES {
        let (code, severity) = (entry.code, entry.severity.as_str());
        assert!(
            docs.contains(&format!("| `{code}` | {severity} |")),
            "{code} ({severity}) is not in docs/inputs.md"
        );
        let quoted = format!("\"{code}\"");
        assert!(
            sources.matches(&quoted).count() >= 2,
            "{code} is listed but never emitted"
        );
    }
}
