//! The compiler's integration tests, one binary (a module per topic): fixture projects
//! snapshotted as Layout JSON, limits and behaviour, third-party components, packages evaluated
//! from their code under `node_modules/`, snapshot coverage.
//! (`no_leaks` is its own binary: it installs a counting global allocator.)

#[path = "../common/mod.rs"]
mod common;

mod containers;
mod evaluator;
mod fixtures;
mod limits_and_behaviour;
mod packages;
mod pictures;
mod selection;
mod snapshot_coverage;
mod third_party;
mod wrappers_and_discovery;
mod yoga_documents;

/// Every `text` of the tree below `node` (itself included), in document order.
fn texts_of(node: &hivesync_layout::document::Node) -> Vec<String> {
    fn walk(n: &hivesync_layout::document::Node, acc: &mut Vec<String>) {
        if let Some(t) = &n.text {
            acc.push(t.clone());
        }
        for c in &n.children {
            walk(c, acc);
        }
    }
    let mut acc = Vec::new();
    walk(node, &mut acc);
    acc
}
