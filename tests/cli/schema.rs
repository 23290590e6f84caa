//! A small JSON Schema (draft 2020-12) validator for the keywords docs/records.schema.json uses.
//!
//! Hand-written instead of the `jsonschema` crate: that crate's dependency tree (regex engines,
//! URL and HTTP resolvers) costs minutes of build time on our 2-core machines for ~100 lines of
//! checking. To stay honest it refuses any keyword it does not implement, so the schema cannot grow a
//! rule that silently goes unchecked.

use serde_json::Value;

const ANNOTATIONS: &[&str] = &["$schema", "$id", "title", "description", "$defs"];
const SUPPORTED: &[&str] = &[
    "$ref",
    "type",
    "enum",
    "required",
    "properties",
    "additionalProperties",
    "items",
    "prefixItems",
    "minItems",
    "maxItems",
    "minimum",
    "anyOf",
];

/// Every violation of `schema` by `value`, as `path: problem` lines (empty when valid).
pub(crate) fn validate(schema: &Value, value: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    check(schema, schema, value, "$", &mut errors);
    errors
}

fn check(root: &Value, schema: &Value, v: &Value, path: &str, errors: &mut Vec<String>) {
    let Some(s) = schema.as_object() else {
        errors.push(format!("{path}: schema is not an object"));
        return;
    };
    for key in s.keys() {
        if !SUPPORTED.contains(&key.as_str()) && !ANNOTATIONS.contains(&key.as_str()) {
            errors.push(format!("{path}: unsupported schema keyword {key}"));
        }
    }
    if let Some(r) = s.get("$ref").and_then(Value::as_str) {
        match r
            .strip_prefix("#/$defs/")
            .and_then(|name| root["$defs"].get(name))
        {
            Some(target) => check(root, target, v, path, errors),
            None => errors.push(format!("{path}: unresolvable $ref {r}")),
        }
    }
    if let Some(t) = s.get("type") {
        let types: Vec<&str> = match t {
            Value::String(one) => vec![one.as_str()],
            Value::Array(many) => many.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        if !types.iter().any(|t| has_type(v, t)) {
            errors.push(format!("{path}: expected {types:?}, got {v}"));
            return;
        }
    }
    if let Some(options) = s.get("enum").and_then(Value::as_array)
        && !options.contains(v)
    {
        errors.push(format!("{path}: {v} is not one of {options:?}"));
    }
    if let Some(min) = s.get("minimum").and_then(Value::as_f64)
        && v.as_f64().is_some_and(|n| n < min)
    {
        errors.push(format!("{path}: {v} < {min}"));
    }
    if let Some(any) = s.get("anyOf").and_then(Value::as_array)
        && !any.iter().any(|alt| {
            let mut e = Vec::new();
            check(root, alt, v, path, &mut e);
            e.is_empty()
        })
    {
        errors.push(format!("{path}: matches no alternative of anyOf"));
    }
    if let Some(obj) = v.as_object() {
        for req in s
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(k) = req.as_str()
                && !obj.contains_key(k)
            {
                errors.push(format!("{path}: missing required key {k}"));
            }
        }
        let props = s.get("properties").and_then(Value::as_object);
        for (k, child) in obj {
            let sub = format!("{path}.{k}");
            match (props.and_then(|p| p.get(k)), s.get("additionalProperties")) {
                (Some(ps), _) => check(root, ps, child, &sub, errors),
                (None, Some(Value::Bool(false))) => {
                    errors.push(format!("{path}: undocumented key {k}"))
                }
                (None, Some(extra @ Value::Object(_))) => check(root, extra, child, &sub, errors),
                (None, _) => {}
            }
        }
    }
    if let Some(arr) = v.as_array() {
        let n = arr.len() as u64;
        if s.get("minItems")
            .and_then(Value::as_u64)
            .is_some_and(|m| n < m)
        {
            errors.push(format!("{path}: too few items ({n})"));
        }
        if s.get("maxItems")
            .and_then(Value::as_u64)
            .is_some_and(|m| n > m)
        {
            errors.push(format!("{path}: too many items ({n})"));
        }
        let prefix = s.get("prefixItems").and_then(Value::as_array);
        for (i, item) in arr.iter().enumerate() {
            let sub = format!("{path}[{i}]");
            if let Some(ps) = prefix.and_then(|p| p.get(i)) {
                check(root, ps, item, &sub, errors);
            } else if let Some(items) = s.get("items") {
                check(root, items, item, &sub, errors);
            }
        }
    }
}

fn has_type(v: &Value, t: &str) -> bool {
    match t {
        "null" => v.is_null(),
        "boolean" => v.is_boolean(),
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "number" => v.is_number(),
        "integer" => v.is_i64() || v.is_u64(),
        _ => false,
    }
}

#[test]
fn validator_catches_what_the_schema_forbids() {
    let schema: Value = serde_json::json!({
        "type": "object",
        "required": ["a"],
        "additionalProperties": false,
        "properties": {
            "a": { "$ref": "#/$defs/n" },
            "b": { "type": "array", "items": { "enum": ["x"] }, "maxItems": 1 }
        },
        "$defs": { "n": { "type": ["integer", "null"], "minimum": 1 } }
    });
    assert!(validate(&schema, &serde_json::json!({ "a": 1, "b": ["x"] })).is_empty());
    assert!(validate(&schema, &serde_json::json!({ "a": null })).is_empty());
    let bad = serde_json::json!({ "a": 0, "b": ["y", "x"], "c": true });
    let errors = validate(&schema, &bad);
    assert_eq!(errors.len(), 4, "{errors:#?}");
    assert_eq!(validate(&schema, &serde_json::json!({})).len(), 1);
    let unknown = serde_json::json!({ "pattern": "^a" });
    assert_eq!(validate(&unknown, &serde_json::json!("a")).len(), 1);
}
