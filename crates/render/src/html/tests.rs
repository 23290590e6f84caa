use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use jixiao_core::{Ledger, Scorecard};

use super::*;
use crate::packet::PacketMeta;
use crate::packet::tests::sample_packet;

fn wording() -> Wording {
    Wording::load(None).expect("bundled wording loads")
}

fn render(packet: &PacketContext, wording: &Wording) -> String {
    let bytes = write(packet, &HtmlOptions { wording }).expect("the page renders");
    String::from_utf8(bytes).expect("UTF-8")
}

fn escaped(s: &str) -> String {
    let mut out = Vec::new();
    tera::escape_html(s, &mut out).expect("escape");
    String::from_utf8(out).expect("UTF-8")
}

/// The packet of one department, or of a department no record belongs to (an empty packet).
fn department_packet(department: &str) -> PacketContext {
    let ledger: Ledger = serde_json::from_str(include_str!("../../testdata/records.json"))
        .expect("testdata/records.json is a ledger");
    let card: Scorecard = serde_json::from_str(include_str!("../../testdata/scores.json"))
        .expect("testdata/scores.json is a scorecard");
    let meta = PacketMeta {
        title: "测试".into(),
        year: 2021,
        as_of: "2021-03-01".into(),
        issuer: "示例市财政局".into(),
        rubric_name: card.rubric.name.clone(),
        rubric_version: card.rubric.version.clone(),
        department: None,
        resubmit_by: "2024-03-16".into(),
        jurisdiction: None,
    };
    let mut packet = PacketContext::build(&ledger, &card, meta, Some(department));
    let wording = wording();
    packet.text = wording.prose(&packet).expect("bundled prose renders");
    packet.strings = wording.strings.clone();
    packet
}

/// Every value of `attr="…"` in `page`.
fn attribute_values<'a>(page: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!(" {attr}=\"");
    page.match_indices(&needle)
        .filter_map(|(i, _)| {
            let rest = &page[i + needle.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

#[test]
fn page_shows_every_record_and_is_self_contained_and_deterministic() {
    let packet = sample_packet();
    let wording = wording();
    let page = render(&packet, &wording);
    assert!(page.starts_with("<!DOCTYPE html>"), "{}", &page[..80]);
    assert!(page.contains("<html lang=\"zh-CN\">"));
    for p in &packet.projects {
        assert!(page.contains(&escaped(&p.name)), "{} is missing", p.name);
    }
    for d in &packet.departments {
        assert!(page.contains(&escaped(&d.name)), "{} is missing", d.name);
    }
    for heading in wording.strings["heading"].values() {
        if heading.starts_with("附件3") {
            continue; // the word list is not part of the packet context
        }
        assert!(
            page.contains(heading.as_str()),
            "heading {heading} is missing"
        );
    }
    assert!(!page.contains("http://") && !page.contains("https://"));
    for attr in ["src", "href", "action", "srcset", "poster", "data"] {
        for v in attribute_values(&page, attr) {
            assert!(
                v.starts_with('#') || v == "data:,",
                "{attr}=\"{v}\" points outside the page"
            );
        }
    }
    assert!(!page.contains("@import") && !page.contains("url("));
    // Internal links all land, and ids are unique.
    let ids = attribute_values(&page, "id");
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "duplicate ids");
    for target in attribute_values(&page, "href")
        .iter()
        .filter_map(|h| h.strip_prefix('#'))
    {
        assert!(ids.contains(&target), "#{target} has no element");
    }
    // One table row and one review sheet per record.
    assert_eq!(page.matches("<tr data-row ").count(), packet.projects.len());
    assert_eq!(
        page.matches("<details class=\"sheet\"").count(),
        packet.projects.len()
    );
    assert_eq!(page.matches("<svg ").count(), 4, "four charts");
    assert_eq!(page, render(&packet, &wording), "two renders differ");
}

#[test]
fn text_from_documents_is_escaped() {
    let mut packet = sample_packet();
    let evil = "<script>alert(1)</script>";
    packet.projects[0].name = evil.into();
    packet.departments[0].name = format!("部门\"><img src=x onerror=alert(2)>{evil}");
    packet.projects[1]
        .deductions
        .push(crate::packet::DeductionRow {
            check: "A1".into(),
            title: "<b>t</b>".into(),
            deduction: 1.0,
            subject: evil.into(),
            text: evil.into(),
            reason: evil.into(),
            file: "x.txt".into(),
            line: Some(1),
        });
    packet.text.basis.push(evil.into());
    let page = render(&packet, &wording());
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!page.contains(evil), "a raw tag from a document");
    assert!(!page.contains("<img"), "a raw tag from a document");
    assert!(!page.contains("<b>t</b>"));
    // The page's own script, and no more.
    assert_eq!(page.matches("<script>").count(), 1);
}

#[test]
fn a_bureau_template_replaces_the_bundled_page() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("index.html"),
        "<!DOCTYPE html><html lang=\"zh-CN\"><title>本局版式</title>\
         {% for p in projects %}<p>{{ p.name }}</p>{% endfor %}{{ html.as_of_zh }}</html>",
    )
    .expect("write the override");
    let wording = Wording::load(Some(dir.path())).expect("the override loads");
    assert_ne!(wording.sources["index.html"], "bundled");
    assert_eq!(wording.sources["html/sheet.html"], "bundled");
    let packet = sample_packet();
    let page = render(&packet, &wording);
    assert!(page.contains("本局版式") && page.contains("2021年3月1日"));
    assert!(page.contains(&escaped(&packet.projects[0].name)));
    assert!(!page.contains("<style>"), "the bundled page was used");

    // A partial can be replaced alone.
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join("html")).expect("html folder");
    std::fs::write(
        dir.path().join("html/sheet.html"),
        "<div class=\"own-sheet\" id=\"p-{{ pi + 1 }}\">{{ p.name }}</div>",
    )
    .expect("write the override");
    let page = render(&packet, &Wording::load(Some(dir.path())).expect("loads"));
    assert_eq!(
        page.matches("class=\"own-sheet\"").count(),
        packet.projects.len()
    );
    assert!(page.contains("id=\"project-table\""));
}

#[test]
fn a_department_packet_and_an_empty_one_render() {
    let packet = department_packet("岳阳县农业农村局");
    assert!(!packet.projects.is_empty());
    let page = render(&packet, &wording());
    assert!(page.contains("岳阳县农业农村局"));
    assert!(
        !page.contains("盐边县财政局"),
        "another department leaked in"
    );
    assert!(
        !page.contains("id=\"filter-department\""),
        "one department: no select"
    );

    let empty = department_packet("没有这个部门");
    assert!(empty.projects.is_empty());
    let page = render(&empty, &wording());
    assert!(page.contains("没有符合筛选条件的项目"));
    assert_eq!(page.matches("<details class=\"sheet\"").count(), 0);
}

// --- The page in a real browser ---------------------------------------------------------------

/// The browser to test with. When none is installed, `.ci/deps` installs the test tools first (so
/// `cargo test --workspace` works on a fresh Debian machine), unless the test is to be skipped.
fn chromium() -> Option<PathBuf> {
    let find = || {
        std::env::var_os("JIXIAO_CHROMIUM")
            .map(PathBuf::from)
            .into_iter()
            .chain(
                [
                    "/usr/bin/chromium",
                    "/usr/bin/chromium-browser",
                    "/usr/bin/google-chrome",
                ]
                .map(PathBuf::from),
            )
            .find(|p| p.is_file())
    };
    if let Some(found) = find() {
        return Some(found);
    }
    if std::env::var("JIXIAO_SKIP_BROWSER").as_deref() != Ok("1") {
        let deps = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.ci/deps");
        let _ = Command::new("bash").arg(deps).stdin(Stdio::null()).status();
    }
    find()
}

/// Runs headless Chromium on `page` with `args` (plus the isolating flags); returns stdout and
/// stderr. Output goes to files (a dumped DOM overflows a pipe), and a hung browser is killed.
fn run_chromium(
    browser: &Path,
    dir: &Path,
    name: &str,
    args: &[String],
    url: &str,
) -> (String, String) {
    let profile = dir.join(format!("profile-{name}"));
    let stdout = dir.join(format!("{name}.out"));
    let stderr = dir.join(format!("{name}.err"));
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--no-first-run",
            "--no-default-browser-check",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&stdout).expect("stdout file"))
        .stderr(std::fs::File::create(&stderr).expect("stderr file"))
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", browser.display()));
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        match child.try_wait().expect("wait for chromium") {
            Some(_) => break,
            None if Instant::now() > deadline => {
                child.kill().ok();
                child.wait().ok();
                panic!("chromium ({name}) did not finish in 120 s");
            }
            None => std::thread::sleep(Duration::from_millis(50)),
        }
    }
    let read =
        |p: &Path| String::from_utf8_lossy(&std::fs::read(p).unwrap_or_default()).into_owned();
    (read(&stdout), read(&stderr))
}

/// What the page wrote to the console: Chromium logs every console message and every uncaught
/// error of a page as `…:INFO:CONSOLE:<line>] "<message>", source: <url> (<line>)`.
fn console_lines(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.contains(":CONSOLE") || l.contains("Uncaught"))
        .collect()
}

fn file_url(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// Checks the page's script in the browser: sorting by the score columns, the grade, department
/// and text filters, and opening the sheet a link points to.
const PROBE: &str = r##"<script>
(function () {
  var out = {};
  var rows = function () {
    return Array.prototype.slice.call(document.querySelectorAll("#project-table tr[data-row]"));
  };
  var visible = function () { return rows().filter(function (r) { return !r.hidden; }); };
  var column = function (key) {
    var th = document.querySelector('#project-table th[data-key="' + key + '"]');
    return th.cellIndex;
  };
  var values = function (key) {
    var c = column(key);
    return visible().map(function (r) { return parseFloat(r.cells[c].getAttribute("data-v")); });
  };
  var click = function (key) {
    document.querySelector('#project-table th[data-key="' + key + '"]').click();
  };
  out.initial = values("index");
  click("percent");
  out.percent_asc = values("percent");
  out.percent_sort = document.querySelector('th[data-key="percent"]').getAttribute("aria-sort");
  click("percent");
  out.percent_desc = values("percent");
  click("funds");
  out.funds_asc = rows().map(function (r) { return r.cells[column("funds")].getAttribute("data-v"); });
  click("index");
  out.back = values("index");
  var score = document.querySelector('#project-table th[data-key="score"]');
  score.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
  out.keyboard = values("score");
  click("index");
  var grade = document.getElementById("filter-grade");
  grade.value = "差";
  grade.dispatchEvent(new Event("change"));
  out.grade_rows = visible().map(function (r) { return r.getAttribute("data-grade"); });
  out.count = document.getElementById("filter-count").textContent;
  grade.value = "";
  grade.dispatchEvent(new Event("change"));
  var department = document.getElementById("filter-department");
  department.value = department.options[1].value;
  department.dispatchEvent(new Event("change"));
  out.department = department.value;
  out.department_rows = visible().map(function (r) { return r.getAttribute("data-department"); });
  department.value = "";
  department.dispatchEvent(new Event("change"));
  var text = document.getElementById("filter-text");
  text.value = "光纤租赁";
  text.dispatchEvent(new Event("input"));
  out.text_rows = visible().length;
  text.value = "没有这样的项目";
  text.dispatchEvent(new Event("input"));
  out.none_rows = visible().length;
  out.empty_shown = !document.querySelector("#project-table tr.empty").hidden;
  document.getElementById("filter-reset").click();
  out.all_rows = visible().length;
  out.target_open = document.getElementById("p-3").open;
  out.other_open = document.getElementById("p-4").open;
  out.errors = window.__probeErrors;
  var pre = document.createElement("pre");
  pre.id = "probe-result";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>"##;

/// Installed first, so an error in the page's own script is recorded too.
const ERROR_TRAP: &str = r#"<script>window.__probeErrors = [];
window.addEventListener("error", function (e) { window.__probeErrors.push(String(e.message)); });
</script>"#;

fn unescape_text(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

fn sorted(v: &[f64], descending: bool) -> bool {
    v.windows(2).all(|w| {
        if descending {
            w[0] >= w[1]
        } else {
            w[0] <= w[1]
        }
    })
}

/// Chromium for a browser test; `None` (the test is skipped) only with `JIXIAO_SKIP_BROWSER=1`.
fn chromium_or_skip() -> Option<PathBuf> {
    let browser = chromium();
    if browser.is_none() {
        if std::env::var("JIXIAO_SKIP_BROWSER").as_deref() == Ok("1") {
            eprintln!("skipped: no Chromium (JIXIAO_SKIP_BROWSER=1)");
            return None;
        }
        panic!(
            "headless Chromium is needed to test the HTML packet: install `chromium` (or point \
             JIXIAO_CHROMIUM at a Chrome binary), or set JIXIAO_SKIP_BROWSER=1 to skip this test"
        );
    }
    browser
}

#[test]
fn the_page_works_in_headless_chromium() {
    let Some(browser) = chromium_or_skip() else {
        return;
    };
    let packet = sample_packet();
    let page = render(&packet, &wording());
    let dir = tempfile::tempdir().expect("temp dir");

    // The detection of console errors is real: a broken page is caught.
    let broken = dir.path().join("broken.html");
    std::fs::write(
        &broken,
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><link rel=\"icon\" href=\"data:,\">\
         </head><body><script>noSuchFunction();</script></body></html>",
    )
    .expect("write");
    let (_, stderr) = run_chromium(
        &browser,
        dir.path(),
        "broken",
        &["--dump-dom".into()],
        &file_url(&broken),
    );
    assert!(
        console_lines(&stderr)
            .iter()
            .any(|l| l.contains("noSuchFunction")),
        "an uncaught error was not detected; Chromium's log format changed?\n{stderr}"
    );

    // The page as published: a screenshot, and nothing on the console.
    let index = dir.path().join("index.html");
    std::fs::write(&index, &page).expect("write");
    let shot = dir.path().join("shot.png");
    let (_, stderr) = run_chromium(
        &browser,
        dir.path(),
        "shot",
        &[
            format!("--screenshot={}", shot.display()),
            "--window-size=1280,2000".into(),
            "--hide-scrollbars".into(),
        ],
        &file_url(&index),
    );
    let png = std::fs::read(&shot).unwrap_or_else(|e| panic!("no screenshot ({e}):\n{stderr}"));
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    let size = |at: usize| u32::from_be_bytes([png[at], png[at + 1], png[at + 2], png[at + 3]]);
    assert_eq!((size(16), size(20)), (1280, 2000), "screenshot size");
    assert!(png.len() > 40_000, "a blank page? {} bytes", png.len());
    if let Some(keep) = std::env::var_os("JIXIAO_KEEP_HTML").map(PathBuf::from) {
        std::fs::copy(&shot, keep.join("shot.png")).ok();
        std::fs::write(keep.join("index.html"), &page).ok();
    }
    let console = console_lines(&stderr);
    assert!(
        console.is_empty(),
        "the page wrote to the console: {console:#?}"
    );

    // Its behaviour, probed from inside, opened at a sheet's anchor.
    let probed = page
        .replacen("<head>", &format!("<head>\n{ERROR_TRAP}"), 1)
        .replacen("</body>", &format!("{PROBE}\n</body>"), 1);
    let probe = dir.path().join("probe.html");
    std::fs::write(&probe, probed).expect("write");
    let (dom, stderr) = run_chromium(
        &browser,
        dir.path(),
        "probe",
        &["--dump-dom".into()],
        &format!("{}#p-3", file_url(&probe)),
    );
    let console = console_lines(&stderr);
    assert!(
        console.is_empty(),
        "the page wrote to the console: {console:#?}"
    );
    let start = dom
        .find("<pre id=\"probe-result\">")
        .unwrap_or_else(|| panic!("the probe did not run:\n{stderr}"));
    let json = &dom[start + "<pre id=\"probe-result\">".len()..];
    let json = unescape_text(&json[..json.find("</pre>").expect("</pre>")]);
    let out: serde_json::Value = serde_json::from_str(&json).expect("probe JSON");
    let numbers = |key: &str| -> Vec<f64> {
        out[key]
            .as_array()
            .unwrap_or_else(|| panic!("{key}: {out}"))
            .iter()
            .map(|v| v.as_f64().unwrap_or(f64::NAN))
            .collect()
    };
    let n = packet.projects.len();
    assert_eq!(out["errors"], serde_json::json!([]), "errors in the page");
    let initial = numbers("initial");
    assert_eq!(initial, (1..=n).map(|i| i as f64).collect::<Vec<_>>());
    let asc = numbers("percent_asc");
    assert_eq!(asc.len(), n);
    assert!(sorted(&asc, false), "not ascending: {asc:?}");
    let mut expected: Vec<f64> = packet.projects.iter().map(|p| p.percent).collect();
    expected.sort_by(f64::total_cmp);
    assert_eq!(asc, expected, "numeric, not text, order");
    assert_eq!(out["percent_sort"], "ascending");
    let desc = numbers("percent_desc");
    assert!(sorted(&desc, true), "not descending: {desc:?}");
    // Funds: numeric, empty cells last.
    let funds: Vec<&str> = out["funds_asc"]
        .as_array()
        .expect("funds")
        .iter()
        .map(|v| v.as_str().unwrap_or(""))
        .collect();
    let filled: Vec<f64> = funds
        .iter()
        .take_while(|v| !v.is_empty())
        .map(|v| v.parse().expect("a number"))
        .collect();
    assert!(sorted(&filled, false), "funds: {funds:?}");
    assert!(funds[filled.len()..].iter().all(|v| v.is_empty()));
    assert_eq!(numbers("back"), initial, "sorting back by 序号");
    let keyboard = numbers("keyboard");
    assert!(
        sorted(&keyboard, false) && keyboard.len() == n,
        "Enter on a header sorts: {keyboard:?}"
    );

    let poor = packet.projects.iter().filter(|p| p.grade == "差").count();
    let grade_rows = out["grade_rows"].as_array().expect("grade rows");
    assert_eq!(grade_rows.len(), poor);
    assert!(grade_rows.iter().all(|g| g == "差"));
    assert_eq!(out["count"], format!("显示 {poor} / {n} 项"));
    let department = out["department"].as_str().expect("department");
    let members = packet
        .projects
        .iter()
        .filter(|p| p.department == department)
        .count();
    let department_rows = out["department_rows"].as_array().expect("rows");
    assert!(members > 0 && department_rows.len() == members);
    assert!(department_rows.iter().all(|d| d == department));
    assert_eq!(out["text_rows"], 1);
    assert_eq!(out["none_rows"], 0);
    assert_eq!(out["empty_shown"], true);
    assert_eq!(out["all_rows"], n);
    assert_eq!(out["target_open"], true, "the linked sheet opens");
    assert_eq!(out["other_open"], false);
}

#[test]
fn a_split_runs_pages_work_in_headless_chromium() {
    let Some(browser) = chromium_or_skip() else {
        return;
    };
    let (ledger, card) = crate::tests::inputs();
    let rendered = crate::render(&ledger, &card, &crate::tests::context(true, &["html"]));
    let dir = tempfile::tempdir().expect("temp dir");
    for f in &rendered.files {
        let path = dir.path().join(&f.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("folder");
        }
        std::fs::write(&path, &f.bytes).expect("write");
    }
    let department = dir.path().join("departments/岳阳县农业农村局/index.html");
    for (name, page) in [
        ("index", dir.path().join("index.html")),
        ("department", department),
    ] {
        let (dom, stderr) = run_chromium(
            &browser,
            dir.path(),
            name,
            &["--dump-dom".into()],
            &file_url(&page),
        );
        let console = console_lines(&stderr);
        assert!(
            console.is_empty(),
            "{name} wrote to the console: {console:#?}"
        );
        assert!(dom.contains("</main>"), "{name} did not load:\n{stderr}");
        // Every relative link of the page points at a file the run wrote.
        for href in attribute_values(&dom, "href")
            .into_iter()
            .filter(|h| !h.starts_with('#') && !h.starts_with("data:"))
        {
            let target = page.parent().map(|p| p.join(unescape_text(href)));
            assert!(
                target.as_ref().is_some_and(|t| t.is_file()),
                "{name}: link {href} leads nowhere"
            );
        }
    }
}

#[test]
fn a_split_runs_page_lists_the_lowest_departments_past_150() {
    let mut p = sample_packet().summary_view();
    let template = p.departments[0].clone();
    let total = crate::packet::DEPARTMENTS_IN_REPORT + 10;
    p.departments = (0..total)
        .map(|i| crate::packet::DepartmentRow {
            name: format!("测试部门{i:03}"),
            projects: 1,
            mean: 50.0 + (i % 50) as f64,
            ..template.clone()
        })
        .collect();
    p.department_links = p
        .departments
        .iter()
        .map(|d| format!("departments/{}/", d.name))
        .collect();
    let page = render(&p, &wording());
    assert_eq!(
        department_table_rows(&page),
        crate::packet::DEPARTMENTS_IN_REPORT + 1,
        "the header and the lowest 150"
    );
    assert!(page.contains("下表列出平均得分最低的"), "the note");
    // Each listed department keeps its number among all of them and its own folder's link; one of
    // the highest means (i = 49: 99) is left out, and so is absent from the page's context.
    let table = page
        .split("id=\"department-table\"")
        .nth(1)
        .and_then(|t| t.split("</table>").next())
        .unwrap_or_default();
    assert!(
        table.contains("<td class=\"c\">151</td>")
            && table.contains("departments/测试部门150/index.html"),
        "{table}"
    );
    assert!(
        !page.contains("测试部门049"),
        "a department not listed is on the page"
    );
    // The one-file page keeps every department.
    p.department_links.clear();
    let page = render(&p, &wording());
    assert_eq!(department_table_rows(&page), total + 1);
}

/// Rows (header included) of the page's department table; 0 when the page has none.
fn department_table_rows(page: &str) -> usize {
    page.split("id=\"department-table\"")
        .nth(1)
        .and_then(|t| t.split("</table>").next())
        .map_or(0, |table| table.matches("<tr>").count())
}

/// Our escape writes what tera's does, for every special character, at the ends, repeated and in
/// multi-byte text.
#[test]
fn escaping_writes_what_teras_writes() {
    for input in [
        "",
        "plain",
        "&",
        "<a href=\"x\">'甲'</a>",
        "A&B<>\"'&&<<",
        "项目“资金”≥90%&满意度<95%>",
        "'",
        "末尾&",
    ] {
        let (mut ours, mut theirs) = (Vec::new(), Vec::new());
        assert!(escape(input, &mut ours).is_ok());
        assert!(tera::escape_html(input, &mut theirs).is_ok());
        assert_eq!(ours, theirs, "{input}");
    }
}
