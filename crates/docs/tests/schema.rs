//! Documents match `schema/ai-docs.schema.json` (checked with the subset of JSON Schema the file
//! uses: type, const, enum, pattern prefix, minimum/maximum, required, properties,
//! additionalProperties, items).

use hivesync_docs::{Answer, Options, ProviderInfo, Usage, analyze, assemble, static_answer};
use serde_json::Value;

fn schema() -> Value {
    serde_json::from_str(include_str!("../schema/ai-docs.schema.json")).unwrap()
}

fn check(schema: &Value, v: &Value, at: &str) {
    if let Some(c) = schema.get("const") {
        assert_eq!(v, c, "{at}");
    }
    if let Some(e) = schema.get("enum") {
        assert!(e.as_array().unwrap().contains(v), "{at}: {v} not in {e}");
    }
    if let Some(t) = schema.get("type").and_then(Value::as_str) {
        let ok = match t {
            "object" => v.is_object(),
            "array" => v.is_array(),
            "string" => v.is_string(),
            "integer" => v.is_u64() || v.is_i64(),
            "number" => v.is_number(),
            "boolean" => v.is_boolean(),
            other => panic!("schema type {other}"),
        };
        assert!(ok, "{at}: {v} is not {t}");
    }
    if let Some(p) = schema.get("pattern").and_then(Value::as_str) {
        // Only `^sha256:[0-9a-f]{64}$` is used.
        assert_eq!(p, "^sha256:[0-9a-f]{64}$");
        let s = v.as_str().unwrap();
        let hex = s.strip_prefix("sha256:").unwrap();
        assert!(
            hex.len() == 64
                && hex
                    .bytes()
                    .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()),
            "{at}"
        );
    }
    if let Some(min) = schema.get("minimum").and_then(Value::as_f64) {
        assert!(v.as_f64().unwrap() >= min, "{at}");
    }
    if let Some(max) = schema.get("maximum").and_then(Value::as_f64) {
        assert!(v.as_f64().unwrap() <= max, "{at}");
    }
    if let Some(obj) = v.as_object() {
        let props = schema.get("properties").and_then(Value::as_object);
        for r in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            assert!(obj.contains_key(r.as_str().unwrap()), "{at}: missing {r}");
        }
        for (k, x) in obj {
            match props.and_then(|p| p.get(k)) {
                Some(s) => check(s, x, &format!("{at}.{k}")),
                None => assert!(
                    schema.get("additionalProperties") != Some(&Value::Bool(false)),
                    "{at}: {k} is not in the schema"
                ),
            }
        }
    }
    if let (Some(items), Some(arr)) = (schema.get("items"), v.as_array()) {
        for (i, x) in arr.iter().enumerate() {
            check(items, x, &format!("{at}[{i}]"));
        }
    }
}

#[test]
fn documents_match_the_json_schema_in_the_repository() {
    let src = include_str!("fixtures/default_export.tsx");
    let a = analyze("src/Counter.tsx", src).unwrap();
    let provider = ProviderInfo {
        name: "static".into(),
        model: "analysis".into(),
        attempts: 0,
        usage: Usage::default(),
        analysis_only: true,
        cached_from: Some("01900000-0000-7000-8000-000000000000".into()),
    };
    for answer in [static_answer(&a), Answer::default()] {
        let doc = assemble(&a, src, &[answer], &Options::default(), provider.clone()).unwrap();
        let v = serde_json::to_value(&doc).unwrap();
        check(&schema(), &v, "$");
    }
    let src = include_str!("fixtures/decorators.ts");
    let a = analyze("src/decorators.ts", src).unwrap();
    let doc = assemble(&a, src, &[static_answer(&a)], &Options::default(), provider).unwrap();
    check(&schema(), &serde_json::to_value(&doc).unwrap(), "$");
}
