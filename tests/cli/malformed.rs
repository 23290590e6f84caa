//! The malformed-input corpus (tests/fixtures/malformed/README.md): every file gives its documented
//! diagnostic or records, and nothing panics.

use serde_json::Value;

use crate::{jixiao, root};

fn inspect(name: &str) -> Value {
    let path = format!("tests/fixtures/malformed/{name}");
    let out = jixiao(&root(), &["inspect", &path, "--format", "json"]);
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("panicked"),
        "{name} panicked"
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{name}: {e}"));
    json["documents"][0].clone()
}

fn codes(doc: &Value) -> Vec<String> {
    doc["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .chain(
            doc["records"]
                .as_array()
                .into_iter()
                .flatten()
                .flat_map(|r| r["diagnostics"].as_array().into_iter().flatten()),
        )
        .filter_map(|d| d["code"].as_str().map(str::to_string))
        .collect()
}

fn records(doc: &Value) -> usize {
    doc["records"].as_array().map_or(0, Vec::len)
}

#[test]
fn unreadable_content_is_an_error_diagnostic() {
    for (file, code) in [
        ("empty.txt", "ingest.empty"),
        ("binary.bin", "ingest.binary"),
    ] {
        let doc = inspect(file);
        assert_eq!(records(&doc), 0, "{file}");
        assert!(
            codes(&doc).contains(&code.to_string()),
            "{file}: {:?}",
            codes(&doc)
        );
    }
}

#[test]
fn encodings_and_line_ends() {
    let gbk = inspect("gbk.txt");
    assert_eq!(
        (gbk["encoding"].as_str(), records(&gbk)),
        (Some("gb18030"), 21)
    );
    assert_eq!(
        gbk["records"][0]["name"],
        "公用巷道、零散小区无人管理小区环境卫生整"
    );
    let utf16 = inspect("utf16.txt");
    assert_eq!(
        (utf16["encoding"].as_str(), records(&utf16)),
        (Some("UTF-16LE"), 1)
    );
    let crlf = inspect("crlf.txt");
    assert_eq!(records(&crlf), 3);
    // Line numbers are those of the source: CRLF does not shift them.
    assert_eq!(crlf["records"][0]["indicators"][0]["line"], 15);
}

#[test]
fn incomplete_tables_keep_what_they_have() {
    let truncated = inspect("truncated.txt");
    assert_eq!(records(&truncated), 1);
    assert_eq!(
        truncated["records"][0]["indicators"]
            .as_array()
            .map(Vec::len),
        Some(4)
    );
    let no_funds = inspect("no-funds.txt");
    assert_eq!(records(&no_funds), 1);
    assert_eq!(no_funds["records"][0]["funds"]["total"], Value::Null);
    assert!(codes(&no_funds).contains(&"normalize.no-funds".to_string()));
    let narrative = inspect("narrative.txt");
    assert_eq!(records(&narrative), 0);
    assert!(codes(&narrative).contains(&"normalize.no-tables".to_string()));
}

#[test]
fn other_layouts_read_the_same_tables() {
    let pipe = inspect("pipe.md");
    assert_eq!(pipe["layout"], "pipe");
    assert_eq!(
        pipe["records"][0]["indicators"].as_array().map(Vec::len),
        Some(8)
    );
    let csv = inspect("export.csv");
    assert_eq!((csv["layout"].as_str(), records(&csv)), (Some("csv"), 2));
    assert_eq!(csv["records"][0]["indicators"][0]["value"], "≥300人");
    assert_eq!(csv["records"][1]["name"], "农村公路养护, 2024年");
    let tree = inspect("tree.txt");
    assert_eq!(records(&tree), 1);
    assert_eq!(
        tree["records"][0]["indicators"].as_array().map(Vec::len),
        Some(5)
    );
    assert_eq!(tree["records"][0]["funds"]["total"], 36.0);
}
