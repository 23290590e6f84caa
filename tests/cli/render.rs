//! The packet files of real runs: the whole-sample packet (PDF fonts subset and embedded, every
//! project in the PDF text, the workbook's sheets, the HTML page), per-department packets, format
//! selection, a bureau's own wording, and a broken template.
//!
//! The PDF checks use poppler-utils (`pdffonts`, `pdftotext`) and `qpdf`, installed by `.ci/deps`.

use std::path::Path;

use calamine::Reader;

use crate::{
    assert_code, external_tool, field_of_each, fixture, jixiao, read_json, root, s, stderr, tempdir,
};

/// A poppler tool's stdout; fails the test with the install hint when the tool is missing.
fn poppler(tool: &str, args: &[&str]) -> String {
    external_tool(tool, args).0
}

/// Text without any whitespace: table cells wrap long names across lines.
fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

fn project_names(out: &Path) -> Vec<String> {
    let scores = read_json(&out.join("scores.json"));
    field_of_each(&scores["records"], "name")
        .into_iter()
        .map(str::to_string)
        .collect()
}

/// `pdffonts` rows: (name, embedded, subset).
fn fonts_of(pdf: &Path) -> Vec<(String, bool, bool)> {
    poppler("pdffonts", &[s(pdf)])
        .lines()
        .skip(2)
        .filter_map(|l| {
            let cols: Vec<&str> = l.split_whitespace().collect();
            // name type… encoding emb sub uni object ID: emb/sub are the 5th and 4th from the end.
            let n = cols.len();
            (n >= 7).then(|| {
                (
                    cols[0].to_string(),
                    cols[n - 5] == "yes",
                    cols[n - 4] == "yes",
                )
            })
        })
        .collect()
}

#[test]
fn sample_packet_has_every_format_and_every_project() {
    let out = tempdir();
    let r = jixiao(&root(), &["run", "--out", s(out.path()), "--quiet"]);
    assert_code(&r, 0);
    for file in [
        "records.json",
        "scores.json",
        "packet.xlsx",
        "packet.pdf",
        "index.html",
        "manifest.json",
    ] {
        assert!(out.path().join(file).is_file(), "{file} missing");
    }
    let names = project_names(out.path());
    assert!(names.len() > 400, "{} records", names.len());

    let pdf = out.path().join("packet.pdf");
    let size = std::fs::metadata(&pdf).map(|m| m.len()).unwrap_or(0);
    assert!(
        size > 10_000 && size < 5_000_000,
        "packet.pdf is {size} bytes"
    );
    let fonts = fonts_of(&pdf);
    assert!(!fonts.is_empty(), "no fonts in the PDF");
    for (name, embedded, subset) in &fonts {
        assert!(
            *embedded && *subset,
            "{name}: embedded {embedded}, subset {subset}"
        );
    }
    let text = squeeze(&poppler("pdftotext", &[s(&pdf), "-"]));
    let missing: Vec<&String> = names
        .iter()
        .filter(|n| !text.contains(&squeeze(n)))
        .collect();
    assert!(missing.is_empty(), "not in the PDF text: {missing:?}");
    assert!(text.contains("第1页共"), "page footers");
    let (check, ok) = external_tool("qpdf", &["--check", s(&pdf)]);
    assert!(ok, "qpdf --check packet.pdf:\n{check}");

    let mut book: calamine::Xlsx<_> = match calamine::open_workbook(out.path().join("packet.xlsx"))
    {
        Ok(b) => b,
        Err(e) => panic!("packet.xlsx does not open: {e}"),
    };
    let sheets = book.sheet_names();
    for sheet in [
        "汇总",
        "分部门",
        "项目得分",
        "扣分明细",
        "指标明细",
        "问题清单",
        "规则",
    ] {
        assert!(
            sheets.iter().any(|n| n == sheet),
            "sheet {sheet} missing: {sheets:?}"
        );
    }
    let scores = match book.worksheet_range("项目得分") {
        Ok(r) => r,
        Err(e) => panic!("项目得分: {e}"),
    };
    let header: Vec<String> = scores
        .rows()
        .next()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .unwrap_or_default();
    let Some(name_col) = header.iter().position(|h| h == "项目名称") else {
        panic!("no 项目名称 column in {header:?}");
    };
    let names_in_sheet = scores
        .rows()
        .skip(1)
        .filter(|row| {
            row.get(name_col)
                .is_some_and(|c| names.contains(&c.to_string()))
        })
        .count();
    assert_eq!(
        names_in_sheet,
        names.len(),
        "one row per record in 项目得分"
    );

    let html = std::fs::read_to_string(out.path().join("index.html")).unwrap_or_default();
    assert!(html.contains("lang=\"zh-CN\""));
    let unescaped = html
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    let missing: Vec<&String> = names
        .iter()
        .filter(|n| !unescaped.contains(n.as_str()))
        .collect();
    assert!(missing.is_empty(), "not in index.html: {missing:?}");

    let manifest = read_json(&out.path().join("manifest.json"));
    let artifacts = field_of_each(&manifest["artifacts"], "path");
    for file in ["packet.xlsx", "packet.pdf", "index.html"] {
        assert!(
            artifacts.contains(&file),
            "{file} not in the manifest: {artifacts:?}"
        );
    }
}

#[test]
fn departments_get_their_own_packets_with_safe_names() {
    let out = tempdir();
    let pipeline = fixture("render/split/pipeline.toml");
    let r = jixiao(
        &root(),
        &["run", s(&pipeline), "--out", s(out.path()), "--quiet"],
    );
    assert_code(&r, 0);
    let dir = out.path().join("departments");
    let mut pdfs: Vec<String> = std::fs::read_dir(&dir)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".pdf"))
                .collect()
        })
        .unwrap_or_default();
    pdfs.sort();
    // 19 units of 盐边 and the supervisor of the 岳阳 project.
    assert_eq!(pdfs.len(), 20, "{pdfs:?}");
    assert!(
        pdfs.contains(&"岳阳县农业农村局.pdf".to_string()),
        "{pdfs:?}"
    );
    for stem in pdfs.iter().map(|p| p.trim_end_matches(".pdf")) {
        for ext in ["xlsx", "html"] {
            assert!(dir.join(format!("{stem}.{ext}")).is_file(), "{stem}.{ext}");
        }
    }
    // A department's PDF has its own projects and not the others'.
    let text = squeeze(&poppler(
        "pdftotext",
        &[s(&dir.join("岳阳县农业农村局.pdf")), "-"],
    ));
    assert!(text.contains("岳阳县农业农村局"));
    assert!(
        !text.contains("盐边县财政局"),
        "another department's project leaked in"
    );
}

#[test]
fn formats_select_files_and_a_narrower_rerun_removes_the_others() {
    let out = tempdir();
    let all = fixture("render/own-wording/pipeline.toml");
    assert_code(
        &jixiao(
            &root(),
            &["run", s(&all), "--out", s(out.path()), "--quiet"],
        ),
        0,
    );
    assert!(out.path().join("packet.xlsx").is_file() && out.path().join("packet.pdf").is_file());
    assert!(
        !out.path().join("index.html").exists(),
        "html was not selected"
    );

    let pdf_only = fixture("render/pdf-only/pipeline.toml");
    assert_code(
        &jixiao(
            &root(),
            &["run", s(&pdf_only), "--out", s(out.path()), "--quiet"],
        ),
        0,
    );
    assert!(out.path().join("packet.pdf").is_file());
    assert!(
        !out.path().join("packet.xlsx").exists(),
        "the previous run's xlsx is obsolete"
    );
    // The bundled font alone: the same bytes on every machine and on every rerun.
    let first = std::fs::read(out.path().join("packet.pdf")).unwrap_or_default();
    assert_code(
        &jixiao(
            &root(),
            &["run", s(&pdf_only), "--out", s(out.path()), "--quiet"],
        ),
        0,
    );
    assert_eq!(
        std::fs::read(out.path().join("packet.pdf")).unwrap_or_default(),
        first
    );
}

#[test]
fn a_bureau_rewords_by_replacing_templates_by_name() {
    let out = tempdir();
    let pipeline = fixture("render/own-wording/pipeline.toml");
    assert_code(
        &jixiao(
            &root(),
            &["run", s(&pipeline), "--out", s(out.path()), "--quiet"],
        ),
        0,
    );
    let text = squeeze(&poppler(
        "pdftotext",
        &[s(&out.path().join("packet.pdf")), "-"],
    ));
    assert!(
        text.contains("依据本局自定的审核细则（2024年修订本）"),
        "own basis.txt"
    );
    assert!(text.contains("二、审核范围"), "bundled headings stay");
    let book: calamine::Xlsx<_> = match calamine::open_workbook(out.path().join("packet.xlsx")) {
        Ok(b) => b,
        Err(e) => panic!("packet.xlsx: {e}"),
    };
    assert_eq!(book.sheet_names().first().map(String::as_str), Some("总览"));
}

#[test]
fn a_broken_template_stops_the_run_naming_the_file() {
    let out = tempdir();
    let pipeline = fixture("render/bad-template/pipeline.toml");
    let r = jixiao(&root(), &["run", s(&pipeline), "--out", s(out.path())]);
    assert_code(&r, 78);
    assert!(stderr(&r).contains("basis.txt"), "{}", stderr(&r));
    assert!(
        !out.path().join("records.json").exists(),
        "nothing is published"
    );
}

#[test]
fn a_template_failing_at_render_time_costs_that_format_only() {
    let out = tempdir();
    assert_code(
        &jixiao(
            &root(),
            &[
                "run",
                s(&fixture("run/good/pipeline.toml")),
                "--out",
                s(out.path()),
                "--quiet",
            ],
        ),
        0,
    );
    assert!(out.path().join("index.html").is_file());
    let pipeline = fixture("render/runtime-error/pipeline.toml");
    // It parses, so validate passes: the problem shows only with the packet's data.
    assert_code(&jixiao(&root(), &["validate", s(&pipeline)]), 0);
    let r = jixiao(&root(), &["run", s(&pipeline), "--out", s(out.path())]);
    assert_code(&r, 1);
    assert!(
        stderr(&r).contains("index.html") && stderr(&r).contains("no_such_section"),
        "{}",
        stderr(&r)
    );
    for name in ["records.json", "scores.json", "packet.xlsx", "packet.pdf"] {
        assert!(out.path().join(name).is_file(), "{name} not published");
    }
    // The previous run's index.html would no longer match the other files: it goes, and the
    // manifest says why.
    assert!(
        !out.path().join("index.html").exists(),
        "a stale index.html kept"
    );
    let manifest = read_json(&out.path().join("manifest.json"));
    assert_eq!(manifest["exit_code"], 1);
    let failed: Vec<&serde_json::Value> = manifest["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["code"] == "render.failed")
        .collect();
    assert_eq!(failed.len(), 1, "{manifest}");
    assert!(
        failed[0]["message"]
            .as_str()
            .unwrap_or("")
            .contains("index.html")
    );
}
