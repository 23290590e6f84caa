//! The second layer: checks over the raw sections, every problem collected before failing, then the
//! plain [`Pipeline`] with the as-of date resolved and environment overrides applied.

use std::path::{Path, PathBuf};

use jixiao_core::Layout;
use toml::Spanned;
use toml::de::DeTable;

use crate::checker::Checker;
use crate::error::{ConfigError, ConfigErrors};
use crate::raw::{self, RawInput, RawOutput, RawPipeline, RawRun, Section};
use crate::{
    InputConfig, MoneyUnit, NormalizeConfig, OutputConfig, Pipeline, PipelineConfig, RunConfig,
    date, labels,
};

/// Reads an environment variable (injected so tests never depend on the real environment).
pub(crate) type Env<'e> = &'e dyn Fn(&str) -> Option<String>;

/// Most threads `[run] jobs` may ask for: more is a typo, not a machine.
const MAX_JOBS: i64 = 256;

pub(crate) fn compile(text: &str, file: &Path, env: Env<'_>) -> Result<Pipeline, ConfigErrors> {
    let fail = |problems: Vec<(std::ops::Range<usize>, String)>, unplaced: Vec<String>| {
        let mut errors: Vec<ConfigError> = problems
            .into_iter()
            .map(|(span, message)| ConfigError::at(file, text, &span, message))
            .collect();
        errors.extend(unplaced.into_iter().map(|m| ConfigError::unplaced(file, m)));
        ConfigErrors { errors }
    };

    // The recovering parser reports every syntax error, not only the first. Checks on a document
    // that did not parse would only add noise, so syntax errors stop here.
    let (root, syntax) = DeTable::parse_recoverable(text);
    if !syntax.is_empty() {
        let mut problems: Vec<_> = syntax
            .iter()
            .map(|e| (e.span().unwrap_or(0..0), e.message().trim_end().to_string()))
            .collect();
        problems.sort_by_key(|(span, _)| span.start);
        problems.dedup_by_key(|(span, _)| span.start);
        return Err(fail(problems, Vec::new()));
    }

    let mut checker = Checker::new(&root);
    let raw = raw::read(root.get_ref(), &mut checker);
    let mut unplaced = Vec::new();

    let pipeline = check_pipeline(raw.pipeline, &mut checker, env, &mut unplaced);
    let inputs = check_inputs(raw.inputs, &mut checker);
    let limits = match raw.limits {
        Section::Read(l) => Some(check_limits(l, &mut checker)),
        Section::Absent => Some(jixiao_core::ReadLimits::default()),
        Section::Broken => None,
    };
    let normalize = match raw.normalize {
        Section::Read(n) => {
            let money_unit = match n
                .money_unit
                .as_ref()
                .map(|u| (u.get_ref().as_str(), u.span()))
            {
                None | Some(("万元", _)) => MoneyUnit::Wan,
                Some(("元", _)) => MoneyUnit::Yuan,
                Some((other, span)) => {
                    checker.error(
                        span,
                        format!("`money_unit` is `万元` or `元`, not `{other}`"),
                    );
                    MoneyUnit::Wan
                }
            };
            Some(NormalizeConfig {
                labels: labels::check(n.labels, &mut checker),
                money_unit,
            })
        }
        Section::Absent => Some(NormalizeConfig::default()),
        Section::Broken => None,
    };
    let output = check_output(raw.output, &mut checker, env, &mut unplaced);
    let run = match raw.run {
        Section::Read(r) => check_run(r, &mut checker),
        Section::Absent => Some(RunConfig::default()),
        Section::Broken => None,
    };
    let scoring = or_default(raw.scoring);
    let render = or_default(raw.render);
    if let Some(s) = &scoring {
        for (i, plugin) in s.plugins.iter().enumerate() {
            plugin.check(i, &mut checker);
        }
        crate::rules::check(&s.rules, &mut checker);
    }
    if let Some(r) = &render {
        r.check(&mut checker);
    }

    if checker.has_errors() || !unplaced.is_empty() {
        return Err(fail(checker.into_problems(), unplaced));
    }
    match (
        pipeline, inputs, limits, normalize, output, run, scoring, render,
    ) {
        (
            Some(pipeline),
            Some(inputs),
            Some(limits),
            Some(normalize),
            Some(output),
            Some(run),
            Some(scoring),
            Some(render),
        ) => Ok(Pipeline {
            file: file.to_path_buf(),
            base_dir: file.parent().map(Path::to_path_buf).unwrap_or_default(),
            pipeline,
            inputs,
            limits,
            normalize,
            output,
            run,
            scoring,
            render,
        }),
        // Every `None` above comes with a reported problem; this arm only guards that invariant.
        _ => Err(fail(
            Vec::new(),
            vec!["internal error: an incomplete section was not reported".into()],
        )),
    }
}

/// `[limits]`: known keys, each a whole number from 1 up (a limit of 0 would refuse every file).
fn check_limits(raw: raw::RawLimits, checker: &mut Checker<'_>) -> jixiao_core::ReadLimits {
    let mut limits = jixiao_core::ReadLimits::default();
    for (key, value) in raw {
        let n = *value.get_ref();
        let (max, slot): (i64, &mut dyn FnMut(i64)) = match key.get_ref().as_str() {
            "max_file_bytes" => (i64::MAX, &mut |n| limits.max_file_bytes = n as u64),
            "max_unpacked_bytes" => (i64::MAX, &mut |n| limits.max_unpacked_bytes = n as u64),
            "max_cells" => (i64::MAX, &mut |n| limits.max_cells = n as u64),
            "max_cell_chars" => (u32::MAX.into(), &mut |n| limits.max_cell_chars = n as u32),
            "max_nesting" => (100_000, &mut |n| limits.max_nesting = n as u32),
            "max_pages" => (u32::MAX.into(), &mut |n| limits.max_pages = n as u32),
            "max_span" => (u32::MAX.into(), &mut |n| limits.max_span = n as u32),
            other => {
                checker.error(
                    key.span(),
                    format!(
                        "unknown key `{other}` in [limits]: expected one of {}",
                        jixiao_core::ReadLimits::KEYS
                            .map(|k| format!("`{k}`"))
                            .join(", ")
                    ),
                );
                continue;
            }
        };
        if (1..=max).contains(&n) {
            slot(n);
        } else {
            checker.error(
                value.span(),
                format!(
                    "`{}` is {n}: a limit is a whole number from 1 to {max}",
                    key.get_ref()
                ),
            );
        }
    }
    limits
}

fn or_default<T: Default>(section: Section<T>) -> Option<T> {
    match section {
        Section::Read(t) => Some(t),
        Section::Absent => Some(T::default()),
        Section::Broken => None,
    }
}

/// A section the pipeline must have: its absence is reported at the top of the file.
fn required<T>(section: Section<T>, checker: &mut Checker<'_>, missing: &str) -> Option<T> {
    match section {
        Section::Read(raw) => Some(raw),
        Section::Broken => None,
        Section::Absent => {
            checker.error(0..0, missing);
            None
        }
    }
}

fn check_pipeline(
    section: Section<RawPipeline>,
    checker: &mut Checker<'_>,
    env: Env<'_>,
    unplaced: &mut Vec<String>,
) -> Option<PipelineConfig> {
    let raw = required(
        section,
        checker,
        "missing `[pipeline]` section: add `[pipeline]` with `name` and `year` (the budget year)",
    )?;
    if raw.name.get_ref().trim().is_empty() {
        checker.error(
            raw.name.span(),
            "`name` is empty: name the pipeline (it is printed on every packet)",
        );
    }
    let year = *raw.year.get_ref();
    let year_ok = (2000..=2100).contains(&year);
    if !year_ok {
        checker.error(
            raw.year.span(),
            format!("`year` is {year}: the budget year must be between 2000 and 2100"),
        );
    }
    let written = raw.as_of.as_ref().and_then(|v| as_of_text(v, checker));
    // Resolution order (docs/config.md): the file, then SOURCE_DATE_EPOCH, then January 1st of the
    // budget year — never the clock, so reruns are byte-identical.
    let as_of = match (&raw.as_of, written) {
        (Some(_), text) => text,
        (None, _) => match env("SOURCE_DATE_EPOCH").filter(|v| !v.trim().is_empty()) {
            Some(v) => date::date_from_epoch(&v).map_err(|m| unplaced.push(m)).ok(),
            None => Some(format!("{year:04}-01-01")),
        },
    };
    let jurisdiction = raw.jurisdiction.as_ref().and_then(|j| {
        let place = jixiao_core::Locality::parse(j.get_ref())
            .filter(|p| p.name() == j.get_ref().trim());
        if place.is_none() {
            checker.error(
                j.span(),
                format!(
                    "`jurisdiction` is \"{}\": write the place as units' names start with it, ending in 省, 市, 州, 县, 区 or 旗 (e.g. \"攀枝花市西区\" or \"盐边县\")",
                    j.get_ref()
                ),
            );
        }
        place
    });
    Some(PipelineConfig {
        name: raw.name.into_inner(),
        year: i32::try_from(year).ok().filter(|_| year_ok)?,
        as_of: Some(as_of?),
        jurisdiction,
    })
}

/// The checked `as_of` text: a `"YYYY-MM-DD"` string or a bare TOML date.
fn as_of_text(value: &Spanned<toml::Value>, checker: &mut Checker<'_>) -> Option<String> {
    let text = match value.get_ref() {
        toml::Value::String(s) => s.clone(),
        toml::Value::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => dt.to_string(),
        toml::Value::Datetime(dt) => {
            let message = format!("`as_of` is {dt}: give only the date, e.g. \"2024-03-01\"");
            checker.error(value.span(), message);
            return None;
        }
        other => {
            let message = format!(
                "`as_of` is a {}: write the date as \"YYYY-MM-DD\", e.g. \"2024-03-01\"",
                other.type_str()
            );
            checker.error(value.span(), message);
            return None;
        }
    };
    match date::check_iso_date(&text) {
        Ok(()) => Some(text),
        Err(message) => {
            checker.error(value.span(), message);
            None
        }
    }
}

fn check_inputs(
    inputs: Option<Spanned<Vec<Option<RawInput>>>>,
    checker: &mut Checker<'_>,
) -> Option<Vec<InputConfig>> {
    const NONE: &str = "no `[[inputs]]`: add at least one `[[inputs]]` table with \
                        `paths = [\"...\"]` (files or glob patterns, relative to this file)";
    let Some(inputs) = inputs else {
        checker.error(0..0, NONE);
        return None;
    };
    if inputs.get_ref().is_empty() {
        checker.error(inputs.span(), NONE);
        return None;
    }
    let mut out = Vec::new();
    for entry in inputs.into_inner() {
        let Some(entry) = entry else { continue };
        out.push(check_input(entry, checker));
    }
    Some(out)
}

fn check_input(raw: RawInput, checker: &mut Checker<'_>) -> InputConfig {
    if raw.paths.get_ref().is_empty() {
        checker.error(
            raw.paths.span(),
            "`paths` is empty: list at least one file or glob pattern, e.g. `paths = [\"samples/*.txt\"]`",
        );
    }
    for p in raw.paths.get_ref() {
        if p.get_ref().trim().is_empty() {
            checker.error(
                p.span(),
                "empty path in `paths`: remove it or write a file or glob pattern",
            );
        }
    }
    let layout = raw.layout.as_ref().and_then(|name| {
        let parsed = Layout::parse(name.get_ref());
        if parsed.is_none() {
            let names = Layout::ALL.map(|l| format!("`{}`", l.as_str())).join(", ");
            let message = format!(
                "unknown layout `{}`: use one of {names}, or remove `layout` to detect it",
                name.get_ref()
            );
            checker.error(name.span(), message);
        }
        parsed
    });
    if let Some(encoding) = &raw.encoding
        && encoding_rs::Encoding::for_label(encoding.get_ref().trim().as_bytes()).is_none()
    {
        let message = format!(
            "unknown encoding `{}`: use an encoding label such as `utf-8`, `gb18030`, `gbk`, \
             `big5` or `utf-16le`, or remove `encoding` to detect it",
            encoding.get_ref()
        );
        checker.error(encoding.span(), message);
    }
    InputConfig {
        paths: raw
            .paths
            .into_inner()
            .into_iter()
            .map(Spanned::into_inner)
            .collect(),
        encoding: raw.encoding.map(Spanned::into_inner),
        layout,
    }
}

fn check_output(
    section: Section<RawOutput>,
    checker: &mut Checker<'_>,
    env: Env<'_>,
    unplaced: &mut Vec<String>,
) -> Option<OutputConfig> {
    let raw = required(
        section,
        checker,
        "missing `[output]` section: add `[output]` with `directory = \"out\"`",
    )?;
    if raw.directory.get_ref().trim().is_empty() {
        checker.error(
            raw.directory.span(),
            "`directory` is empty: write the output folder, e.g. `directory = \"out\"`",
        );
    }
    let mut directory = raw.directory.into_inner();
    // JIXIAO_OUTPUT means what `--out` means: a relative path is relative to the working directory,
    // not to the pipeline file. An empty value counts as unset (how schedulers "unset" variables).
    if let Some(over) = env("JIXIAO_OUTPUT").filter(|v| !v.trim().is_empty()) {
        let path = PathBuf::from(&over);
        let absolute = if path.is_absolute() {
            Some(path)
        } else {
            std::env::current_dir().ok().map(|cwd| cwd.join(path))
        };
        match absolute.as_deref().and_then(Path::to_str) {
            Some(dir) => directory = dir.to_string(),
            None => unplaced.push(format!(
                "JIXIAO_OUTPUT is \"{over}\": the working directory cannot be read as UTF-8 \
                 text; give an absolute path"
            )),
        }
    }
    Some(OutputConfig {
        directory,
        json_lines: raw.json_lines,
    })
}

fn check_run(raw: RawRun, checker: &mut Checker<'_>) -> Option<RunConfig> {
    let Some(jobs) = raw.jobs else {
        return Some(RunConfig { jobs: None });
    };
    match usize::try_from(*jobs.get_ref()) {
        Ok(n) if *jobs.get_ref() <= MAX_JOBS => Some(RunConfig { jobs: Some(n) }),
        _ => {
            let message = format!(
                "`jobs` is {}: use 0 (all cores), 1 (serial) or a thread count up to {MAX_JOBS}",
                jobs.get_ref()
            );
            checker.error(jobs.span(), message);
            None
        }
    }
}
