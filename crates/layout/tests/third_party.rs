//! Components whose code is not in the request: unknown containers pass through with their
//! children rendered natively, only childless unknowns become snapshots, and the library table
//! (`library/components.toml`) maps the components of popular packages to core nodes.

use hivesync_layout::{
    CompileOutput, CompileRequest, DeviceKind, Node, SourceFile, Target, TargetPlatform, compile,
};
use serde_json::{Value, json};

fn compile_app(src: &str) -> CompileOutput {
    let out = compile(&CompileRequest::new(
        vec![SourceFile::new("App.tsx", src)],
        Target::new(TargetPlatform::Ios, DeviceKind::Iphone),
    ))
    .expect("compiles");
    let schema: Value = serde_json::from_str(hivesync_layout::LAYOUT_SCHEMA).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    for s in &out.screens {
        let doc = serde_json::to_value(&s.document).unwrap();
        let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{errors:?}");
    }
    out
}

fn json_of(n: &Node) -> Value {
    serde_json::to_value(n).unwrap()
}

#[test]
fn unknown_wrappers_pass_through_and_only_childless_unknowns_become_snapshots() {
    let out = compile_app(
        r#"import React from 'react';
import { Text } from 'react-native';
import { Wrapper, Leaf } from 'some-unknown-kit';
import Missing from './Missing';

export default function App() {
  return (
    <Wrapper style={{ flex: 1, padding: 8 }} testID="wrapper">
      <Missing>
        <Text>Inside</Text>
      </Missing>
      <Wrapper.Title>Hello</Wrapper.Title>
      <Leaf style={{ width: 10, height: 10 }} />
      <svg>
        <path d="M0 0" />
      </svg>
    </Wrapper>
  );
}
"#,
    );
    let screen = &out.screens[0];
    let wrapper = json_of(&screen.document.root.children[0]);
    assert_eq!(wrapper["type"], "View");
    assert_eq!(wrapper["style"]["flex"], 1);
    assert_eq!(wrapper["style"]["paddingTop"], 8);
    assert_eq!(wrapper["props"]["testID"], "wrapper");
    assert_eq!(
        wrapper["external"],
        json!({"component": "Wrapper", "package": "some-unknown-kit", "via": "pass-through"})
    );
    let kids = wrapper["children"].as_array().unwrap();
    let types: Vec<&str> = kids.iter().map(|k| k["type"].as_str().unwrap()).collect();
    assert_eq!(
        types,
        ["View", "Text", "HS_ImageSnapshot", "HS_ImageSnapshot"]
    );
    assert_eq!(kids[0]["external"]["package"], "./Missing");
    assert_eq!(kids[0]["children"][0]["text"], "Inside");
    assert_eq!(kids[1]["text"], "Hello");
    assert_eq!(kids[1]["external"]["component"], "Wrapper.Title");
    assert_eq!(kids[2]["snapshot"]["component"], "Leaf");
    assert_eq!(kids[3]["snapshot"]["component"], "svg");
    let codes: Vec<&str> = screen.warnings.iter().map(|w| w.code.as_str()).collect();
    assert_eq!(
        codes.iter().filter(|c| **c == "pass-through").count(),
        3,
        "{codes:?}"
    );
    assert_eq!(screen.snapshots.len(), 2);
}
