//! The evaluator runs the JavaScript screens contain: regexes, `new` of the built-ins and of
//! project classes, `instanceof`, `typeof`, loops and iteration (`js-runtime-orders`).

use hivesync_layout::{CompileOutput, DeviceKind, TargetPlatform};

use crate::fixtures::compile_fixture;
use crate::texts_of;

fn screen_texts(out: &CompileOutput, id_part: &str) -> Vec<String> {
    let s = out
        .screens
        .iter()
        .find(|s| s.id.contains(id_part) || s.name.contains(id_part))
        .unwrap_or_else(|| panic!("no screen {id_part} in {:?}", out.screens.iter().map(|s| &s.id).collect::<Vec<_>>()));
    texts_of(&s.document.root)
}

fn codes(out: &CompileOutput) -> Vec<String> {
    out.screens
        .iter()
        .flat_map(|s| s.warnings.iter().map(|w| format!("{}: {}", w.code, w.message)))
        .collect()
}

#[test]
fn regexes_dates_maps_classes_and_loops_evaluate_to_the_values_the_app_shows() {
    let out = compile_fixture("js-runtime-orders", TargetPlatform::Ios, DeviceKind::Iphone);
    let texts = screen_texts(&out, "App");
    let expected = [
        "Orders (2 customers)",
        "AL",
        "Ada Lovelace: 2 × $24.75",
        "AT",
        "Alan Turing: 1 × $11.97",
        "Grand total $36.72",
        "Largest item: Cake",
        "Counted to 5",
        "Invalid: empty order",
        "error is an Error",
        "#ORD-2024-17 from 2024",
        "Mon, Jan 13 · 2 recent",
        "shop.example.com page 2 /orders",
        "email ok no",
        "winter-sale-2025",
        "12.3% function undefined",
        "2025-01-15T10:30:00.000Z",
    ];
    assert_eq!(texts, expected, "warnings: {:#?}", codes(&out));
    let warnings = codes(&out);
    for kind in ["unknown-condition", "unknown-child", "unknown-style-value", "loop-skipped"] {
        assert!(
            !warnings.iter().any(|w| w.starts_with(kind)),
            "no {kind} expected: {warnings:#?}"
        );
    }
    let doc = serde_json::to_value(&out.screens[0].document).unwrap();
    let screen = &doc["root"]["children"][0];
    let last = screen["children"].as_array().unwrap().last().unwrap();
    assert_eq!(last["style"]["height"], 40, "{screen:#}");
    assert_eq!(last["style"]["backgroundColor"], "#fff");
}

#[test]
fn device_facts_message_defaults_form_defaults_and_initial_store_state_are_shown() {
    let out = compile_fixture("app-state-and-facts", TargetPlatform::Ios, DeviceKind::Iphone);
    let s = out
        .screens
        .iter()
        .find(|s| s.id == "app")
        .unwrap_or_else(|| panic!("{:?}", out.screens.iter().map(|s| &s.id).collect::<Vec<_>>()));
    let texts = texts_of(&s.document.root);
    let expected = [
        "Hello, Grace Hopper!",
        "3 items in cart",
        "Signed in as Grace",
        "No coupon",
        "espresso · 15% tip · 15",
        "Ready",
        "iOS iPhone 15 · v2.3.0 (41)",
        "en-US USD Cafe",
        "dev build development",
    ];
    assert_eq!(&texts[..expected.len()], expected, "{:#?}", codes(&out));
    let doc = serde_json::to_value(&s.document).unwrap();
    let input = find_node(&doc["root"], &|n| n["type"] == "TextInput");
    assert_eq!(input["props"]["value"], "Grace Hopper", "{input:#}");
    let screen = &doc["root"]["children"][0];
    assert_eq!(screen["style"]["paddingTop"], 16, "{:#}", screen["style"]);
    // The query's data is fetched at run time: its list is placeholders, with a warning.
    let warnings = codes(&out);
    assert!(warnings.iter().any(|w| w.starts_with("fetched-data")), "{warnings:#?}");
    assert!(warnings.iter().any(|w| w.starts_with("unknown-list")), "{warnings:#?}");
    assert!(!warnings.iter().any(|w| w.starts_with("unknown-condition")), "{warnings:#?}");

    // On an iPad the same code sees a tablet.
    let out = compile_fixture("app-state-and-facts", TargetPlatform::Ios, DeviceKind::Ipad);
    let s = out.screens.iter().find(|s| s.id == "app").unwrap();
    let doc = serde_json::to_value(&s.document).unwrap();
    assert_eq!(doc["root"]["children"][0]["style"]["paddingTop"], 32);
    assert!(texts_of(&s.document.root).contains(&"iPadOS iPad (10th generation) · v2.3.0 (41)".to_string()));
}

/// The first node of a document (as JSON) that `pred` accepts, depth first.
fn find_node<'v>(n: &'v serde_json::Value, pred: &dyn Fn(&serde_json::Value) -> bool) -> &'v serde_json::Value {
    fn walk<'v>(n: &'v serde_json::Value, pred: &dyn Fn(&serde_json::Value) -> bool) -> Option<&'v serde_json::Value> {
        if pred(n) {
            return Some(n);
        }
        n["children"].as_array()?.iter().find_map(|c| walk(c, pred))
    }
    walk(n, pred).unwrap_or_else(|| panic!("no such node in {n:#}"))
}
