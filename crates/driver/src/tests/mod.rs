mod catalogue;

use super::*;
use jixiao_config::{InputConfig, OutputConfig, PipelineConfig};
use std::path::Path;

type R = Result<(), Box<dyn std::error::Error>>;

/// A pipeline rooted in `dir` reading `patterns`, writing to `dir/out`.
fn pipeline(dir: &Path, patterns: &[&str]) -> Pipeline {
    Pipeline {
        file: dir.join("pipeline.toml"),
        base_dir: dir.to_path_buf(),
        pipeline: PipelineConfig {
            name: "t".into(),
            year: 2024,
            as_of: None,
            jurisdiction: None,
        },
        inputs: vec![InputConfig {
            paths: patterns.iter().map(|p| p.to_string()).collect(),
            encoding: None,
            layout: None,
        }],
        limits: Default::default(),
        normalize: Default::default(),
        output: OutputConfig {
            directory: "out".into(),
            json_lines: false,
        },
        run: Default::default(),
        scoring: Default::default(),
        render: Default::default(),
    }
}

#[test]
fn held_lock_stops_the_run_before_work() -> R {
    let dir = tempfile::tempdir()?;
    let p = pipeline(dir.path(), &["*.txt"]);
    let out = output_dir(&p, &RunOverrides::default());
    std::fs::create_dir_all(&out)?;
    let _held = lock::RunLock::acquire(&out)?;
    let r = run(&p, &RunOverrides::default());
    assert_eq!(exit_status(&r), ExitStatus::Locked);
    Ok(())
}

#[test]
fn output_path_that_is_a_file_is_an_io_error() -> R {
    let dir = tempfile::tempdir()?;
    std::fs::write(dir.path().join("out"), "not a folder")?;
    let r = run(&pipeline(dir.path(), &["*.txt"]), &RunOverrides::default());
    assert_eq!(exit_status(&r), ExitStatus::Io);
    Ok(())
}

#[test]
fn nothing_to_read_publishes_nothing() -> R {
    let dir = tempfile::tempdir()?;
    let report = run(
        &pipeline(dir.path(), &["missing/*.txt"]),
        &RunOverrides::default(),
    )?;
    assert_eq!(report.exit, ExitStatus::NoInput);
    assert_eq!(report.counts.errors, 1, "{:?}", report.diagnostics);
    assert!(report.diagnostics[0].message.contains("missing/*.txt"));
    assert!(report.published.is_empty());
    assert!(!report.out_dir.join(stages::RECORDS_JSON).exists());
    Ok(())
}

#[test]
fn overrides_replace_inputs_and_output() {
    let p = pipeline(Path::new("base"), &["a/*.txt"]);
    let o = RunOverrides {
        inputs: vec!["x.txt".into()],
        out: Some(PathBuf::from("elsewhere")),
        jobs: Some(1),
        skip_unchanged: false,
        batch_bytes: None,
    };
    let specs = input_specs(&p, &o);
    assert_eq!(specs.len(), 1);
    assert_eq!(specs[0].pattern, "x.txt");
    assert_eq!(specs[0].root, PathBuf::new());
    assert_eq!(output_dir(&p, &o), PathBuf::from("elsewhere"));
    assert_eq!(
        output_dir(&p, &RunOverrides::default()),
        Path::new("base").join("out").join("2024"),
        "the pipeline's directory gets the budget year"
    );
}

#[test]
fn documents_year_is_the_year_most_records_state() -> R {
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples");
    // 000 states 2024 for its 306 records, 001 2021 for its 24: 2024. The pipeline's own year
    // (2000 here) is never inherited.
    let mut p = pipeline(&samples, &["000-*.txt", "001-*.txt"]);
    p.pipeline.year = 2000;
    assert_eq!(documents_year(&p, &RunOverrides::default())?, Some(2024));
    let only_2021 = pipeline(&samples, &["001-*.txt"]);
    assert_eq!(
        documents_year(&only_2021, &RunOverrides::default())?,
        Some(2021)
    );
    // A table that states no year: none.
    let dir = tempfile::tempdir()?;
    let text = std::fs::read_to_string(samples.join("001-yanbian-2021-project-targets.txt"))?;
    let text = ["2021", "2022", "2020"]
        .iter()
        .fold(text, |t, y| t.replace(y, ""));
    std::fs::write(dir.path().join("t.txt"), text)?;
    let none = pipeline(dir.path(), &["t.txt"]);
    assert_eq!(documents_year(&none, &RunOverrides::default())?, None);
    Ok(())
}

/// The samples' records.json, scores.json and their lines, from a run of `p` with `overrides`.
fn json_files(
    p: &Pipeline,
    overrides: &RunOverrides,
) -> Result<Vec<Vec<u8>>, Box<dyn std::error::Error>> {
    let report = run(p, overrides)?;
    assert!(report.exit.publishes(), "{:?}", report.exit);
    assert_eq!(report.counts.records, 492, "{:?}", report.counts);
    let names = [
        stages::RECORDS_JSON,
        stages::SCORES_JSON,
        stages::RECORDS_JSONL,
        stages::SCORES_JSONL,
    ];
    let published: Vec<&str> = report.published.iter().map(|a| a.path.as_str()).collect();
    assert_eq!(published[..4], names, "the JSON files first, in this order");
    names
        .iter()
        .map(|n| Ok(std::fs::read(report.out_dir.join(n))?))
        .collect()
}

#[test]
fn batches_and_spilled_cards_give_the_files_of_the_whole_ledger_scored_at_once() -> R {
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples");
    let dir = tempfile::tempdir()?;
    let mut p = pipeline(&samples, &["*.txt", "extra/*.txt"]);
    p.output.json_lines = true;
    p.render.formats = Vec::new();
    let out = |name: &str| RunOverrides {
        out: Some(dir.path().join(name)),
        ..RunOverrides::default()
    };
    // What the stages give the whole corpus at once, serialised whole.
    let resolved = inputs::resolve(&input_specs(&p, &out("x")), &p.base_dir)?;
    let (ledger, _) = run::read_and_normalize(&resolved.files, &p.limits, &normalize_context(&p)?);
    let card = jixiao_score::score(&ledger, &score_context(&p)?);
    let renamed = card
        .records
        .iter()
        .filter(|c| {
            let record = &ledger.documents[c.record.document].records[c.record.record];
            ![&record.supervisor, &record.unit]
                .into_iter()
                .flatten()
                .any(|d| *d == c.department)
        })
        .count();
    assert!(renamed > 0, "the samples have departments written two ways");
    let whole = [
        stages::pretty_json(&ledger, "records")?,
        stages::pretty_json(&card, "scores")?,
    ];

    // One batch, cards spilled; a batch per file; a batch per file with the cards kept for the
    // render stage (one format).
    let one = json_files(&p, &out("one"))?;
    let per_file = json_files(
        &p,
        &RunOverrides {
            batch_bytes: Some(1),
            ..out("per-file")
        },
    )?;
    p.render.formats = vec!["html".into()];
    p.render.split_by_department = false;
    let kept = json_files(
        &p,
        &RunOverrides {
            batch_bytes: Some(1),
            ..out("kept")
        },
    )?;
    assert!(
        one[..2] == whole[..],
        "records.json and scores.json as written whole"
    );
    assert!(per_file == one, "a batch per file gives the same files");
    assert!(kept == one, "cards kept in memory give the same files");
    let lines = String::from_utf8(one[3].clone())?;
    assert_eq!(lines.lines().count(), 492);
    assert!(!dir.path().join("one").read_dir()?.any(|e| {
        e.map(|e| e.file_name().to_string_lossy().starts_with(".staging-"))
            .unwrap_or(true)
    }));
    Ok(())
}

#[test]
fn a_split_packet_read_back_from_the_spill_is_the_packet_rendered_from_memory() -> R {
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples");
    let dir = tempfile::tempdir()?;
    // Three documents: a county's tables, a disclosure whose departments span documents, and
    // a district's, with departments written two ways.
    let mut p = pipeline(
        &samples,
        &["001-*.txt", "003-*.txt", "004-*.txt", "extra/*.txt"],
    );
    p.render.formats = vec!["html".into(), "xlsx".into()];
    let overrides = RunOverrides {
        out: Some(dir.path().join("out")),
        batch_bytes: Some(1),
        ..RunOverrides::default()
    };
    let report = run(&p, &overrides)?;
    assert!(report.exit.publishes(), "{:?}", report.exit);
    // The same stages in memory, rendered from the whole ledger and scorecard.
    let resolved = inputs::resolve(&input_specs(&p, &overrides), &p.base_dir)?;
    let (ledger, _) = run::read_and_normalize(&resolved.files, &p.limits, &normalize_context(&p)?);
    let card = jixiao_score::score(&ledger, &score_context(&p)?);
    let rendered = jixiao_render::render(&ledger, &card, &render_context(&p)?);
    assert!(
        rendered.diagnostics.is_empty(),
        "{:?}",
        rendered.diagnostics
    );
    let departments = rendered
        .files
        .iter()
        .filter(|f| f.path.ends_with("/index.html"))
        .count();
    assert!(departments > 10, "{departments} department packets");
    for file in &rendered.files {
        let written = std::fs::read(report.out_dir.join(&file.path))?;
        assert!(written == file.bytes, "{} differs", file.path);
    }
    let published: Vec<&str> = report.published.iter().map(|a| a.path.as_str()).collect();
    assert_eq!(
        published.len(),
        rendered.files.len() + 3,
        "records.json, scores.json and the manifest besides"
    );
    Ok(())
}
