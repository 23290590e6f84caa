//! Checks of `[normalize.labels]`: every key must be one the normaliser's label dictionary knows,
//! and no synonym may be empty (an empty synonym would match every blank cell).

use std::collections::BTreeMap;

use jixiao_core::{Level1, Level2};

use crate::LabelsConfig;
use crate::checker::Checker;
use crate::raw::{RawLabelMap, RawLabels};

/// Keys of `[normalize.labels.fields]` besides `attribute:<name>`: the header fields and structural
/// labels of the normaliser's dictionary (crates/normalize/src/labels.toml uses the same keys).
pub const FIELD_KEYS: [&str; 22] = [
    "name",
    "code",
    "unit",
    "supervisor",
    "goal",
    "funds_use",
    "spending_plan",
    "funds_block",
    "tasks_block",
    "indicators_block",
    "column:level1",
    "column:level2",
    "column:name",
    "column:value",
    "column:description",
    "column:basis",
    "column:comparator",
    "column:unit",
    "column:weight",
    "column:long_term_value",
    "column:actual",
    "column:funds",
];

/// Keys of `[normalize.labels.funds]`: the total, fiscal and other-source rows, and breakdown items.
pub const FUNDS_KEYS: [&str; 4] = ["total", "fiscal", "other", "items"];

/// Keys of `[normalize.labels.titles]`: words that make a line a target-table title (`target`), a
/// self-evaluation or score sheet (`not_target`), a department-overall table (`department`); the ends
/// of a numbered title that are not part of the project name (`name_suffixes`); the labels of a form's
/// signature footer (`footer`) and the endings of its approval lines (`approval`); the frame of a web
/// page that a copy carries along (`page_chrome`).
pub const TITLE_KEYS: [&str; 7] = [
    "target",
    "not_target",
    "department",
    "name_suffixes",
    "footer",
    "approval",
    "page_chrome",
];

/// Checks every key and synonym; returns the plain dictionary.
pub(crate) fn check(raw: RawLabels, checker: &mut Checker<'_>) -> LabelsConfig {
    let field_ok = |k: &str| {
        FIELD_KEYS.contains(&k)
            || k.strip_prefix("attribute:")
                .is_some_and(|name| !name.trim().is_empty())
    };
    let fields_hint = format!(
        "use one of {}, or `attribute:<名称>` (e.g. `attribute:项目属性`)",
        quoted(FIELD_KEYS)
    );
    let level1_hint = format!(
        "keys are the canonical 一级 names {}; put other spellings in the list",
        quoted(Level1::ALL.map(Level1::as_str))
    );
    let level2_hint = format!(
        "keys are the canonical 二级 names {}; put other spellings in the list",
        quoted(Level2::ALL.map(Level2::as_str))
    );
    let funds_hint = format!("use one of {}", quoted(FUNDS_KEYS));
    let titles_hint = format!("use one of {}", quoted(TITLE_KEYS));
    LabelsConfig {
        fields: section(checker, raw.fields, "fields", field_ok, &fields_hint),
        level1: section(
            checker,
            raw.level1,
            "level1",
            |k| Level1::parse(k).is_some(),
            &level1_hint,
        ),
        level2: section(
            checker,
            raw.level2,
            "level2",
            |k| Level2::parse(k).is_some(),
            &level2_hint,
        ),
        funds: section(
            checker,
            raw.funds,
            "funds",
            |k| FUNDS_KEYS.contains(&k),
            &funds_hint,
        ),
        titles: section(
            checker,
            raw.titles,
            "titles",
            |k| TITLE_KEYS.contains(&k),
            &titles_hint,
        ),
    }
}

fn section(
    checker: &mut Checker<'_>,
    raw: RawLabelMap,
    name: &str,
    key_ok: impl Fn(&str) -> bool,
    hint: &str,
) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    for (key, synonyms) in raw {
        if !key_ok(key.get_ref()) {
            checker.error(
                key.span(),
                format!(
                    "unknown key `{}` in `[normalize.labels.{name}]`: {hint}",
                    key.get_ref()
                ),
            );
        }
        for s in &synonyms {
            if s.get_ref().trim().is_empty() {
                checker.error(
                    s.span(),
                    format!(
                        "empty synonym for `{}` in `[normalize.labels.{name}]`: remove it \
                         (an empty label would match every blank cell)",
                        key.get_ref()
                    ),
                );
            }
        }
        let list = synonyms.into_iter().map(|s| s.into_inner()).collect();
        out.insert(key.into_inner(), list);
    }
    out
}

fn quoted<const N: usize>(names: [&str; N]) -> String {
    names.map(|n| format!("`{n}`")).join(", ")
}
