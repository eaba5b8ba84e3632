//! Every Layout JSON document among the compiler's fixture snapshots
//! (`crates/layout/tests/snapshots`) reads into the types and writes back byte for byte: the
//! types hold every field, in the order and with the omissions the compiler writes.

use std::path::PathBuf;

use hivesync_document::{LayoutDocument, SCHEMA_VERSION};
use serde_json::Value;

/// The fixture documents as insta stored them (pretty JSON), by snapshot name.
fn fixture_documents() -> Vec<(String, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../layout/tests/snapshots");
    let mut docs = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        // An insta snapshot: a `---` header block, then the value.
        let body = text.splitn(3, "---\n").nth(2).unwrap_or("").trim_end();
        if let Ok(value) = serde_json::from_str::<Value>(body)
            && value["schema"] == SCHEMA_VERSION
        {
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            docs.push((name, body.to_owned()));
        }
    }
    docs.sort();
    docs
}

#[test]
fn fixture_documents_round_trip_byte_for_byte() {
    let docs = fixture_documents();
    assert!(docs.len() >= 8, "only {} fixture documents", docs.len());
    for (name, text) in docs {
        let doc: LayoutDocument =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let written = serde_json::to_string_pretty(&doc).unwrap();
        assert_eq!(written, text, "{name}: written differently than read");
        let again: LayoutDocument = serde_json::from_str(&written).unwrap();
        assert_eq!(again, doc, "{name}: read differently the second time");
    }
}
