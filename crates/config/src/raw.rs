//! The first layer: serde structs mirroring `pipeline.toml` as written, with spans on every value a
//! later check needs to point at. Each top-level section is deserialized on its own (and each
//! `[[inputs]]` entry on its own) so that one mistake does not hide the others.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::checker::Checker;
use crate::{RenderConfig, ScoringConfig};

/// The known top-level sections, in the order the reference documents them.
pub(crate) const SECTIONS: [&str; 8] = [
    "pipeline",
    "inputs",
    "limits",
    "normalize",
    "output",
    "run",
    "scoring",
    "render",
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPipeline {
    pub name: Spanned<String>,
    /// Wider than the public `i32` so that `year = 99999999999` gets the range message, not serde's.
    pub year: Spanned<i64>,
    /// A string or a TOML date literal (`as_of = 2024-03-01`): both are natural to write.
    pub as_of: Option<Spanned<toml::Value>>,
    pub jurisdiction: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawInput {
    pub paths: Spanned<Vec<Spanned<String>>>,
    pub encoding: Option<Spanned<String>>,
    pub layout: Option<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawNormalize {
    #[serde(default)]
    pub labels: RawLabels,
    pub money_unit: Option<Spanned<String>>,
}

pub(crate) type RawLabelMap = BTreeMap<Spanned<String>, Vec<Spanned<String>>>;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLabels {
    #[serde(default)]
    pub fields: RawLabelMap,
    #[serde(default)]
    pub level1: RawLabelMap,
    #[serde(default)]
    pub level2: RawLabelMap,
    #[serde(default)]
    pub funds: RawLabelMap,
    #[serde(default)]
    pub titles: RawLabelMap,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawOutput {
    pub directory: Spanned<String>,
    #[serde(default)]
    pub json_lines: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRun {
    /// Signed so that `jobs = -1` gets the range message.
    pub jobs: Option<Spanned<i64>>,
}

/// `[limits]` as written: signed and spanned so that `max_cells = -1` or `0` gets a message at the
/// value. Keys are [`jixiao_core::ReadLimits::KEYS`].
pub(crate) type RawLimits = BTreeMap<Spanned<String>, Spanned<i64>>;

/// A section as found: absent, present but not deserializable (already reported), or read.
#[derive(Debug)]
pub(crate) enum Section<T> {
    Absent,
    Broken,
    Read(T),
}

/// The whole file, section by section.
#[derive(Debug)]
pub(crate) struct RawFile {
    pub pipeline: Section<RawPipeline>,
    /// `None` when `inputs` is absent; `None` entries failed to deserialize (already reported).
    pub inputs: Option<Spanned<Vec<Option<RawInput>>>>,
    pub limits: Section<RawLimits>,
    pub normalize: Section<RawNormalize>,
    pub output: Section<RawOutput>,
    pub run: Section<RawRun>,
    pub scoring: Section<ScoringConfig>,
    pub render: Section<RenderConfig>,
}

/// Reads every section of the parsed document; unknown sections and deserialization failures are
/// reported to `checker`.
pub(crate) fn read(root: &DeTable<'_>, checker: &mut Checker<'_>) -> RawFile {
    let mut file = RawFile {
        pipeline: Section::Absent,
        inputs: None,
        limits: Section::Absent,
        normalize: Section::Absent,
        output: Section::Absent,
        run: Section::Absent,
        scoring: Section::Absent,
        render: Section::Absent,
    };
    for (key, value) in root.iter() {
        match key.get_ref().as_ref() {
            "pipeline" => file.pipeline = section(checker, value),
            "inputs" => file.inputs = Some(inputs(checker, value)),
            "limits" => file.limits = section(checker, value),
            "normalize" => file.normalize = section(checker, value),
            "output" => file.output = section(checker, value),
            "run" => file.run = section(checker, value),
            "scoring" => file.scoring = section(checker, value),
            "render" => file.render = section(checker, value),
            other => checker.error(
                key.span(),
                format!(
                    "unknown section `{other}`: expected one of {}",
                    SECTIONS.map(|s| format!("`{s}`")).join(", ")
                ),
            ),
        }
    }
    file
}

fn section<T: serde::de::DeserializeOwned>(
    checker: &mut Checker<'_>,
    value: &Spanned<DeValue<'_>>,
) -> Section<T> {
    match checker.deserialize(value) {
        Some(t) => Section::Read(t),
        None => Section::Broken,
    }
}

/// `[[inputs]]` entry by entry, so that a mistake in the first does not hide one in the second.
fn inputs(
    checker: &mut Checker<'_>,
    value: &Spanned<DeValue<'_>>,
) -> Spanned<Vec<Option<RawInput>>> {
    let Some(array) = value.get_ref().as_array() else {
        checker.error(
            value.span(),
            "`inputs` must be a list of tables: write each input as `[[inputs]]` (two brackets) \
             followed by `paths = [...]`",
        );
        // One broken entry, so that "no inputs" is not reported on top.
        return Spanned::new(value.span(), vec![None]);
    };
    let entries = array
        .iter()
        .map(|entry| checker.deserialize::<RawInput>(entry))
        .collect();
    Spanned::new(value.span(), entries)
}
