//! The JSON payloads that cross the plugin boundary. Field names are the wire format documented in
//! docs/plugins.md; optional fields default so a C author can write the minimum.

use std::collections::BTreeMap;

use crate::record::Record;
use serde::{Deserialize, Serialize};

/// What a plugin says about itself (`manifest()` output).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// The plugin's name (`local-rules`), non-empty: diagnostics name the plugin by it, and it is
    /// the `source` of its checks in the scorecard.
    pub name: String,
    /// The plugin's own version string (`0.1.0`), shown by `jixiao plugins list|check`.
    pub version: String,
    /// One-line summary of what the plugin checks; may be empty.
    #[serde(default)]
    pub description: String,
    /// The checks the plugin scores; at least one, ids unique.
    pub checks: Vec<ManifestCheck>,
    /// Parameter schema: key → type and whether it is required. Unknown keys are rejected by the host.
    #[serde(default)]
    pub params: BTreeMap<String, ParamSpec>,
    /// `true` when `score` may be called from several threads at once.
    #[serde(default)]
    pub thread_safe: bool,
}

/// One check a plugin provides.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManifestCheck {
    /// Unique across the rubric (must not clash with `A1` … `D4` or another plugin's ids).
    pub id: String,
    /// Chinese title a reviewer reads.
    pub title: String,
    /// Points the check is worth (> 0) before the configured `weight` multiplies them.
    pub max_points: f64,
    /// The rule in words, printed in the packet's annex.
    #[serde(default)]
    pub rule: String,
}

/// A parameter's declared type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ParamType {
    /// A JSON string.
    String,
    /// Any JSON number, integer or not.
    Number,
    /// A JSON number without a fractional part.
    Integer,
    /// `true` or `false`.
    Boolean,
    /// An array of strings.
    StringArray,
    /// An array of any JSON values.
    Array,
    /// A JSON object (a TOML table in pipeline.toml).
    Object,
}

impl ParamType {
    /// Whether a JSON value has this type.
    pub fn accepts(self, v: &serde_json::Value) -> bool {
        use serde_json::Value as V;
        match self {
            ParamType::String => v.is_string(),
            ParamType::Number => v.is_number(),
            ParamType::Integer => v.is_i64() || v.is_u64(),
            ParamType::Boolean => v.is_boolean(),
            ParamType::StringArray => {
                matches!(v, V::Array(items) if items.iter().all(V::is_string))
            }
            ParamType::Array => v.is_array(),
            ParamType::Object => v.is_object(),
        }
    }

    /// The type's wire name in the manifest (`string_array`), also used in error messages.
    pub fn as_str(self) -> &'static str {
        match self {
            ParamType::String => "string",
            ParamType::Number => "number",
            ParamType::Integer => "integer",
            ParamType::Boolean => "boolean",
            ParamType::StringArray => "string_array",
            ParamType::Array => "array",
            ParamType::Object => "object",
        }
    }
}

/// One parameter in the manifest's schema.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParamSpec {
    /// The declared type (JSON key `type`); the host rejects a configured value of another type.
    #[serde(rename = "type")]
    pub kind: ParamType,
    /// Whether pipeline.toml must set this parameter (the host rejects the config without it).
    #[serde(default)]
    pub required: bool,
    /// What the parameter means, for the plugin's user.
    #[serde(default)]
    pub description: String,
}

/// What the host sends for one record: the record (the SDK's [`Record`], converted by the host), the
/// plugin's params from pipeline.toml, and the budget year under review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreRequest {
    /// The canonical record to score.
    pub record: Record,
    /// The plugin's `[scoring.plugins.params]` from pipeline.toml, already checked against the
    /// manifest's schema.
    #[serde(default)]
    pub params: serde_json::Map<String, serde_json::Value>,
    /// The record's budget year, else the pipeline's.
    pub year: i32,
}

/// One check's outcome as a plugin reports it. The answer to a request is a JSON array of these.
/// A check the plugin leaves out is recorded as "not scored" for that record (e.g. not applicable).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PluginCheckResult {
    /// The id of one of the manifest's checks; an unknown or repeated id is a fault.
    pub id: String,
    /// 0 ≤ points ≤ the check's `max_points` (the host rejects anything else).
    pub points: f64,
    /// Why the check got these points; may be empty.
    #[serde(default)]
    pub evidence: Vec<PluginEvidence>,
}

/// Evidence behind a plugin's points (same meaning as the host's evidence).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PluginEvidence {
    /// The 三级 indicator name or header field.
    pub subject: String,
    /// The cell text quoted.
    #[serde(default)]
    pub text: String,
    /// 1-based source line of the quoted cell (`Indicator::line`); `None` when no one line applies.
    #[serde(default)]
    pub line: Option<u32>,
    /// Why, in Chinese, naming the fix.
    pub reason: String,
    /// Points deducted because of this evidence (0 for supporting evidence); scaled by `weight`.
    #[serde(default)]
    pub deduction: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimal_result_json_parses() {
        let r: Vec<PluginCheckResult> = serde_json::from_str(
            r#"[{"id":"X1","points":2,"evidence":[{"subject":"s","reason":"r"}]}]"#,
        )
        .unwrap();
        assert_eq!(r[0].points, 2.0);
        assert_eq!(r[0].evidence[0].deduction, 0.0);
        assert_eq!(r[0].evidence[0].line, None);
    }

    #[test]
    fn param_types_check_values() {
        let arr = serde_json::json!(["a", "b"]);
        assert!(ParamType::StringArray.accepts(&arr));
        assert!(!ParamType::StringArray.accepts(&serde_json::json!(["a", 1])));
        assert!(ParamType::Integer.accepts(&serde_json::json!(3)));
        assert!(!ParamType::Integer.accepts(&serde_json::json!(3.5)));
        assert!(!ParamType::String.accepts(&serde_json::json!(3)));
    }
}
