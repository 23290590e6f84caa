//! Whole-file tests of `compile`: valid pipelines, the bundled pipeline, the as-of date and the
//! environment. The exact text of each error is pinned in `errors.rs`.

mod errors;

use std::path::Path;

use crate::{ConfigErrors, Pipeline, compile_with_env, starter_pipeline};

const VALID: &str = r#"
[pipeline]
name = "审核"
year = 2024
as_of = "2024-03-01"

[[inputs]]
paths = ["a/*.txt", "b.csv"]
encoding = "GBK"
layout = "csv"

[normalize.labels]
fields = { unit = ["填报单位"], "attribute:项目属性" = ["项目分类"] }
level1 = { "产出指标" = ["产出目标"] }
level2 = { "数量指标" = ["数量目标"] }
funds = { fiscal = ["一般公共预算拨款"], items = ["省级补助"] }

[output]
directory = "out"

[run]
jobs = 4

[scoring]
extra_vague_words = ["有序"]
[[scoring.plugins]]
path = "plugins/libx.so"
params = { banned = ["原则上"] }

[render]
"#;

/// The minimal valid head the error tests append to (lines 1–7).
pub(super) const HEAD: &str = "[pipeline]\nname = \"t\"\nyear = 2024\n[[inputs]]\npaths = [\"x\"]\n[output]\ndirectory = \"o\"\n";

pub(super) fn no_env(_: &str) -> Option<String> {
    None
}

pub(super) fn ok(text: &str) -> Pipeline {
    match compile_with_env(text, Path::new("dir/pipeline.toml"), &no_env) {
        Ok(p) => p,
        Err(e) => panic!("expected a valid pipeline, got:\n{e}"),
    }
}

pub(super) fn errors_with(text: &str, env: &dyn Fn(&str) -> Option<String>) -> String {
    match compile_with_env(text, Path::new("pipeline.toml"), env) {
        Ok(p) => panic!("expected errors, got {p:?}"),
        Err(ConfigErrors { errors }) => errors
            .iter()
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

pub(super) fn errors(text: &str) -> String {
    errors_with(text, &no_env)
}

#[test]
fn valid_pipeline_compiles_to_plain_values() {
    let p = ok(VALID);
    assert_eq!(p.file, Path::new("dir/pipeline.toml"));
    assert_eq!(p.base_dir, Path::new("dir"));
    assert_eq!((p.pipeline.name.as_str(), p.pipeline.year), ("审核", 2024));
    assert_eq!(p.as_of(), "2024-03-01");
    assert_eq!(p.inputs.len(), 1);
    assert_eq!(p.inputs[0].paths, ["a/*.txt", "b.csv"]);
    assert_eq!(p.inputs[0].encoding.as_deref(), Some("GBK"));
    assert_eq!(p.inputs[0].layout, Some(jixiao_core::Layout::Csv));
    let labels = &p.normalize.labels;
    assert_eq!(labels.fields["attribute:项目属性"], ["项目分类"]);
    assert_eq!(labels.level2["数量指标"], ["数量目标"]);
    assert_eq!(labels.funds["items"], ["省级补助"]);
    assert_eq!(p.output.directory, "out");
    assert_eq!(p.run.jobs, Some(4));
    assert_eq!(p.scoring.extra_vague_words, ["有序"]);
    assert!(p.scoring.plugins[0].params.contains_key("banned"));
}

#[test]
fn optional_sections_default() {
    let p = ok(HEAD);
    assert!(p.normalize.labels.fields.is_empty());
    assert_eq!(p.run.jobs, None);
    assert_eq!(p.run_context().year, 2024);
}

#[test]
fn bundled_pipeline_compiles_and_reads_the_samples() {
    let p = ok(starter_pipeline());
    assert_eq!(p.pipeline.name, "示例：2024年度部门预算项目绩效目标审核");
    assert_eq!(p.as_of(), "2024-03-01");
    let paths: Vec<_> = p.inputs.iter().map(|i| i.paths.clone()).collect();
    assert_eq!(paths, [["samples/*.txt"], ["samples/extra/*.txt"]]);
    assert_eq!((p.output.directory.as_str(), p.run.jobs), ("out", Some(0)));
}

#[test]
fn built_in_defaults_are_the_starter_with_the_documents_year_and_no_inputs() {
    let base = std::path::Path::new("/srv/bureau");
    let p = crate::built_in(base, 2025, &|_| None).expect("built-in defaults compile");
    let starter = ok(starter_pipeline());
    assert_eq!(p.pipeline.name, "2025年度预算项目绩效目标审核");
    assert_eq!(
        (p.pipeline.year, p.as_of()),
        (2025, "2025-01-01".to_string())
    );
    assert!(p.inputs.is_empty());
    assert_eq!(p.file, std::path::Path::new(crate::BUILT_IN));
    assert_eq!(p.base_dir, base);
    assert_eq!(p.output.directory, starter.output.directory);
    assert_eq!(p.render.formats, starter.render.formats);
    assert_eq!(p.scoring.rubric, starter.scoring.rubric);
    // SOURCE_DATE_EPOCH pins the as-of date, as for a pipeline file without one.
    let env = |name: &str| (name == "SOURCE_DATE_EPOCH").then(|| "1735689600".to_string());
    let pinned = crate::built_in(base, 2025, &env).expect("compiles");
    assert_eq!(pinned.as_of(), "2025-01-01");
    let env = |name: &str| (name == "SOURCE_DATE_EPOCH").then(|| "1741219200".to_string());
    assert_eq!(
        crate::built_in(base, 2025, &env).expect("compiles").as_of(),
        "2025-03-06"
    );
    let wrong = crate::built_in(base, 1999, &|_| None).expect_err("year out of range");
    assert!(wrong.to_string().contains("1999"), "{wrong}");
}

#[test]
fn commented_label_example_in_the_bundled_pipeline_is_valid() {
    // The `[normalize.labels]` block is commented out in the file; uncommented it must compile.
    let text = starter_pipeline()
        .lines()
        .map(|l| match l.strip_prefix("# ") {
            Some(rest) if rest.starts_with("[normalize.labels]") || rest.contains(" = {") => rest,
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n");
    let p = ok(&text);
    assert_eq!(p.normalize.labels.funds["fiscal"], ["一般公共预算拨款"]);
    assert_eq!(p.normalize.labels.level1["产出指标"], ["项目产出目标"]);
}

#[test]
fn as_of_falls_back_to_source_date_epoch_then_to_january_first() {
    let epoch = |name: &str| (name == "SOURCE_DATE_EPOCH").then(|| "1735689599".to_string());
    let file = Path::new("p.toml");
    let p = compile_with_env(HEAD, file, &epoch).map(|p| p.as_of());
    assert_eq!(p, Ok("2024-12-31".to_string()));
    assert_eq!(ok(HEAD).pipeline.as_of.as_deref(), Some("2024-01-01"));
    // The file wins over the environment.
    let text = HEAD.replace("year = 2024\n", "year = 2024\nas_of = 2024-06-30\n");
    let p = compile_with_env(&text, file, &epoch).map(|p| p.as_of());
    assert_eq!(p, Ok("2024-06-30".to_string()));
}

#[test]
fn malformed_source_date_epoch_is_an_error_without_position() {
    let env = |name: &str| (name == "SOURCE_DATE_EPOCH").then(|| "yesterday".to_string());
    assert_eq!(
        errors_with(HEAD, &env),
        "pipeline.toml: error: SOURCE_DATE_EPOCH is \"yesterday\": it must be whole seconds since \
         1970-01-01 UTC (e.g. 1709251200); unset it or set `[pipeline] as_of`"
    );
}

#[test]
fn jixiao_output_overrides_the_directory() {
    let abs = if cfg!(windows) {
        "C:\\jx\\out"
    } else {
        "/srv/jx/out"
    };
    let env = |name: &str| (name == "JIXIAO_OUTPUT").then(|| abs.to_string());
    let p = compile_with_env(HEAD, Path::new("p.toml"), &env).map(|p| p.output.directory);
    assert_eq!(p, Ok(abs.to_string()));
    // Relative: like `--out`, against the working directory.
    let env = |name: &str| (name == "JIXIAO_OUTPUT").then(|| "rel".to_string());
    let p = compile_with_env(HEAD, Path::new("p.toml"), &env).map(|p| p.output.directory);
    let cwd = std::env::current_dir().map(|d| d.join("rel").display().to_string());
    assert_eq!(p.ok(), cwd.ok());
    // Empty means unset.
    let env = |name: &str| (name == "JIXIAO_OUTPUT").then(String::new);
    let p = compile_with_env(HEAD, Path::new("p.toml"), &env).map(|p| p.output.directory);
    assert_eq!(p, Ok("o".to_string()));
}
