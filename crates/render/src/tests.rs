use super::*;

pub(crate) fn context(split: bool, formats: &[&str]) -> RenderContext {
    let config = RenderConfig {
        formats: formats.iter().map(|f| f.to_string()).collect(),
        split_by_department: split,
        fonts: jixiao_config::FontsConfig {
            system: false,
            ..Default::default()
        },
        ..RenderConfig::default()
    };
    let meta = crate::packet::tests::sample_packet().meta;
    RenderContext::new(&config, Path::new("."), meta).expect("bundled templates and font")
}

pub(crate) fn inputs() -> (Ledger, Scorecard) {
    let ledger: Ledger = serde_json::from_str(include_str!("../testdata/records.json"))
        .expect("testdata/records.json is a ledger");
    let card: Scorecard = serde_json::from_str(include_str!("../testdata/scores.json"))
        .expect("testdata/scores.json is a scorecard");
    (ledger, card)
}

#[test]
fn a_split_run_has_a_report_and_a_folder_per_department() {
    let (ledger, card) = inputs();
    let out = render(&ledger, &card, &context(true, &["xlsx", "pdf", "html"]));
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    let paths: Vec<&str> = out.files.iter().map(|f| f.path.as_str()).collect();
    for main in ["index.html", "packet.xlsx", "report.pdf"] {
        assert!(paths.contains(&main), "{main}: {paths:?}");
    }
    assert!(!paths.contains(&"packet.pdf"));
    // 20 departments, five files each (sheets, workbook, page, the letter as PDF and .docx),
    // sorted by path.
    assert_eq!(paths.len(), 3 + 20 * 5, "{paths:?}");
    assert!(paths.windows(2).all(|w| w[0] < w[1]));
    assert!(paths.contains(&"departments/岳阳县农业农村局/packet.pdf"));
    assert!(paths.contains(&"departments/岳阳县农业农村局/index.html"));
    assert!(paths.contains(&"departments/岳阳县农业农村局/letter.pdf"));
    assert!(paths.contains(&"departments/岳阳县农业农村局/letter.docx"));
    // The run's page links to the departments' and holds no review sheet.
    let index = out
        .files
        .iter()
        .find(|f| f.path == "index.html")
        .expect("index.html");
    let index = String::from_utf8_lossy(&index.bytes);
    assert!(index.contains("departments/岳阳县农业农村局/index.html"));
    assert!(
        !index.contains("class=\"sheet"),
        "a review sheet in the run's page"
    );
    // Two renders, whatever the threads did: the same files, byte for byte.
    let again = render(&ledger, &card, &context(true, &["xlsx", "pdf", "html"]));
    assert_eq!(out.files, again.files);
}

#[test]
fn an_unsplit_run_has_one_file_per_format() {
    let (ledger, card) = inputs();
    let out = render(&ledger, &card, &context(false, &["pdf", "html"]));
    let paths: Vec<&str> = out.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["index.html", "packet.pdf"]);
}

#[test]
fn files_reach_the_sink_as_they_are_made() {
    let (ledger, card) = inputs();
    let seen = std::sync::Mutex::new(Vec::new());
    let diagnostics = render_to(&ledger, &card, &context(true, &["html"]), &|f| {
        if let Ok(mut seen) = seen.lock() {
            seen.push(f.path);
        }
    });
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    // index.html, and each department's page and letter (.docx: letter.pdf comes with the PDF).
    assert_eq!(seen.into_inner().map(|s| s.len()).unwrap_or(0), 1 + 20 * 2);
}

#[test]
fn the_packet_prints_no_evidence_but_the_deductions() {
    // What a run keeps of the scorecard once scores.json is written must render the same files.
    let (ledger, card) = inputs();
    let mut kept = card.clone();
    kept.retain_evidence(printed_evidence);
    let evidence = |c: &Scorecard| -> usize {
        c.records
            .iter()
            .flat_map(|r| &r.checks)
            .map(|c| c.evidence.len())
            .sum()
    };
    let (before, after) = (evidence(&card), evidence(&kept));
    assert!(after < before, "{after} of {before}: nothing to let go");
    let cx = context(true, &["xlsx", "pdf", "html"]);
    assert_eq!(
        render(&ledger, &card, &cx).files,
        render(&ledger, &kept, &cx).files
    );
}

#[test]
fn a_spooled_file_is_read_back_whole_for_the_in_memory_entry_point() -> Result<(), std::io::Error> {
    use std::io::Write;
    let mut spool = tempfile::tempfile()?;
    spool.write_all("省级工作簿".as_bytes())?;
    let file = RenderedFile {
        path: "packet.xlsx".into(),
        bytes: Vec::new(),
        spooled: Some(Spooled::new(spool)),
    };
    let back = read_back(file).map_err(|d| std::io::Error::other(d.message))?;
    assert_eq!(back.bytes, "省级工作簿".as_bytes());
    assert!(back.spooled.is_none());
    Ok(())
}

/// The PDF fonts' working copies (`pdf/working.rs`) are made for a split run of many
/// departments, at the start of rendering, of the characters the run prints: every PDF's subset
/// is then cut from them. A run of a few departments makes none (its few PDFs cut their subsets
/// from the installed faces for less), nor does a packet in one file.
#[test]
fn working_copies_are_made_for_runs_of_many_departments_and_hold_what_they_print() {
    let with_system_fonts = |split: bool| {
        let config = RenderConfig {
            formats: vec!["pdf".into()],
            split_by_department: split,
            ..RenderConfig::default()
        };
        let meta = crate::packet::tests::sample_packet().meta;
        RenderContext::new(&config, Path::new("."), meta).expect("fonts and templates")
    };
    let copies = |ctx: &RenderContext| {
        ctx.fonts.as_ref().map_or(0, |f| {
            f.faces.iter().filter(|f| f.working().is_some()).count()
        })
    };
    let missed = |ctx: &RenderContext| {
        ctx.fonts.as_ref().map_or(0, |f| {
            f.missed_copies.load(std::sync::atomic::Ordering::Relaxed)
        })
    };
    let probe = with_system_fonts(true);
    if !probe
        .fonts
        .as_ref()
        .is_some_and(|f| f.faces.iter().any(|f| f.metrics.cff))
    {
        eprintln!("no CFF face installed: no working copies on this machine");
        return;
    }
    // The test packet's 20 departments are fewer than pay for them.
    let (ledger, card) = inputs();
    let ctx = with_system_fonts(true);
    let out = render(&ledger, &card, &ctx);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    assert!(out.files.iter().any(|f| f.path.ends_with("packet.pdf")));
    assert_eq!(copies(&ctx), 0);
    // Spread over 30 departments, the same cards make the copies before the packets, and every
    // PDF (report, review sheets, letters) is cut from them.
    let mut card = card;
    for (i, c) in card.records.iter_mut().enumerate() {
        c.department = format!("测试部门{}", i % 30);
    }
    let ctx = with_system_fonts(true);
    let out = render(&ledger, &card, &ctx);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    let packets = out.files.iter().filter(|f| f.path.ends_with("/packet.pdf"));
    assert!(packets.count() >= WORKING_COPIES_FROM_DEPARTMENTS);
    assert!(copies(&ctx) > 0);
    assert_eq!(missed(&ctx), 0, "PDFs cut from the installed faces");
    // A packet in one file makes none.
    let ctx = with_system_fonts(false);
    let out = render(&ledger, &card, &ctx);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    assert_eq!(copies(&ctx), 0);
    assert!((21..=30).contains(&WORKING_COPIES_FROM_DEPARTMENTS));
}
