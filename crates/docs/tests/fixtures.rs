//! Comment insertion on real-shaped fixtures (decorators, overloads, default exports,
//! arrow-function components, a file without a final newline, the same files with CRLF line
//! endings): every diff applies with `git apply --check` and yields the patched file, the
//! patched file re-parses and differs only in comments, and every line number points at its
//! symbol in the input.

use std::path::Path;
use std::process::Command;

use hivesync_docs::analysis::SymbolKind;
use hivesync_docs::{
    Analysis, Answer, Document, Options, ParamAnswer, ProviderInfo, SymbolAnswer, Usage, analyze,
    assemble,
};

const FIXTURES: &[&str] = &[
    "decorators.ts",
    "overloads.ts",
    "default_export.tsx",
    "arrow_components.jsx",
    "api_client.js",
];

fn fixture(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name),
    )
    .unwrap()
}

fn crlf(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\n', "\r\n")
}

/// What a model that answers every field would say.
fn full_answer(a: &Analysis) -> Answer {
    Answer {
        summary: format!("Helpers of `{}`.", a.path),
        explanation: "Each part is described below.".into(),
        symbols: a
            .symbols
            .iter()
            .map(|s| SymbolAnswer {
                id: s.id.clone(),
                summary: format!("Describes `{}`.\nSecond line with */ inside.", s.name),
                params: s
                    .params
                    .iter()
                    .map(|p| ParamAnswer {
                        name: p.name.clone(),
                        description: format!("The `{}` value.", p.name),
                    })
                    .collect(),
                returns: if s.returns_value {
                    "The result.".into()
                } else {
                    String::new()
                },
                throws: if s.throws {
                    "When the input is invalid.".into()
                } else {
                    String::new()
                },
                example: format!("{}()", s.name),
            })
            .collect(),
    }
}

fn provider() -> ProviderInfo {
    ProviderInfo {
        name: "test".into(),
        model: "scripted".into(),
        attempts: 1,
        usage: Usage::default(),
        analysis_only: false,
        cached_from: None,
    }
}

fn document(path: &str, source: &str) -> (Analysis, Document) {
    let a = analyze(path, source).unwrap();
    let options = Options {
        style: hivesync_docs::Style::Long,
        mode: hivesync_docs::Mode::Diff,
    };
    let doc = assemble(&a, source, &[full_answer(&a)], &options, provider()).unwrap();
    (a, doc)
}

/// Applies `diff` to `source` in a fresh git repository; returns the patched file.
fn git_apply(path: &str, source: &str, diff: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .args(args)
            .current_dir(dir.path())
            .output()
            .expect("git runs");
        assert!(
            out.status.success(),
            "git {args:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    };
    git(&["init", "-q"]);
    let file = dir.path().join(path);
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, source).unwrap();
    std::fs::write(dir.path().join("doc.patch"), diff).unwrap();
    git(&["apply", "--check", "doc.patch"]);
    git(&["apply", "doc.patch"]);
    std::fs::read_to_string(file).unwrap()
}

fn check_fixture(name: &str, source: &str) {
    let path = format!("src/{name}");
    let (a, doc) = document(&path, source);
    assert!(!doc.diff.is_empty(), "{name}: no diff");
    let patched = git_apply(&path, source, &doc.diff);
    // The patched file parses and differs from the input only in comments.
    hivesync_docs::patch::check_only_comments(&path, source, &patched, doc.inline_comments.len())
        .unwrap();
    let src_lines: Vec<&str> = source.split('\n').collect();
    for s in &doc.symbols {
        let line = src_lines[s.line as usize - 1];
        assert!(
            line.contains(&s.name) || s.name == "default" || s.name == "constructor",
            "{name}: line {} of {} is `{line}`",
            s.line,
            s.id
        );
    }
    let eol = if source.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let patched_lines: Vec<&str> = patched.split('\n').collect();
    let mut added = 0usize;
    for c in &doc.inline_comments {
        let sym = a.symbol(&c.symbol).unwrap();
        let above = c.start_line.unwrap_or(c.line);
        assert_eq!(above, sym.start_line);
        // The comment sits right above the statement's first line, with its indentation.
        let comment_len = c.body.lines().count();
        let first_code = above as usize - 1 + added + comment_len;
        assert_eq!(
            patched_lines[first_code].trim_end_matches('\r'),
            src_lines[above as usize - 1].trim_end_matches('\r'),
            "{name}: {}",
            c.symbol
        );
        for l in &patched_lines[first_code - comment_len..first_code] {
            assert!(l.starts_with(&sym.indent), "{name}: indentation of `{l}`");
            if eol == "\r\n" {
                assert!(l.ends_with('\r'), "{name}: CRLF lost in `{l}`");
            } else {
                assert!(!l.ends_with('\r'));
            }
        }
        assert!(patched_lines[first_code - comment_len].trim() == "/**");
        added += comment_len;
    }
}

#[test]
fn every_fixture_diff_applies_reparses_and_changes_only_comments() {
    for name in FIXTURES {
        check_fixture(name, &fixture(name));
    }
}

#[test]
fn crlf_files_keep_their_line_endings() {
    for name in FIXTURES {
        check_fixture(name, &crlf(&fixture(name)));
    }
}

#[test]
fn comments_go_above_decorators_and_export_never_between() {
    let src = fixture("decorators.ts");
    let (a, doc) = document("src/decorators.ts", &src);
    let class = a.symbols.iter().find(|s| s.name == "UserService").unwrap();
    assert_eq!((class.start_line, class.line), (4, 5));
    let find = a.symbols.iter().find(|s| s.name == "findUser").unwrap();
    assert_eq!((find.start_line, find.line), (10, 12));
    assert_eq!(find.indent, "  ");
    assert!(find.returns_value && find.throws);
    assert_eq!(
        find.params
            .iter()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>(),
        ["id", "force"]
    );
    let create = a.symbols.iter().find(|s| s.name == "create").unwrap();
    assert_eq!(create.indent, "\t");
    // `export @Sealed class`: the comment goes above `export`.
    let registry = a.symbols.iter().find(|s| s.name == "Registry").unwrap();
    assert_eq!(registry.start_line, registry.line);
    let patched = git_apply("src/decorators.ts", &src, &doc.diff);
    let lines: Vec<&str> = patched.lines().collect();
    let deco = lines
        .iter()
        .position(|l| l.starts_with("@Injectable"))
        .unwrap();
    assert_eq!(lines[deco - 1], " */");
    assert!(lines[deco + 1].starts_with("export class UserService"));
    let memo = lines.iter().position(|l| l.trim() == "@Memoize()").unwrap();
    assert_eq!(lines[memo - 1], "   */");
    assert_eq!(lines[memo + 1].trim(), "@Log");
}

#[test]
fn overloads_get_one_comment_and_documented_symbols_are_left_alone() {
    let src = fixture("overloads.ts");
    let (a, doc) = document("src/overloads.ts", &src);
    let formats: Vec<_> = a.symbols.iter().filter(|s| s.name == "format").collect();
    assert_eq!(formats.len(), 1);
    assert!(formats[0].existing_doc.is_some());
    assert_eq!(
        formats[0]
            .params
            .iter()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>(),
        ["value", "locale"]
    );
    let parse = a.symbols.iter().find(|s| s.name == "parse").unwrap();
    assert_eq!((parse.line, parse.end_line), (8, 14));
    assert!(parse.throws && parse.returns_value);
    assert!(
        !doc.inline_comments
            .iter()
            .any(|c| c.symbol == formats[0].id)
    );
    assert!(
        doc.warnings
            .iter()
            .any(|w| w.contains("already has a doc comment"))
    );
    let kinds: Vec<SymbolKind> = a.symbols.iter().map(|s| s.kind).collect();
    assert!(kinds.contains(&SymbolKind::Interface));
    assert!(kinds.contains(&SymbolKind::Type));
    assert!(kinds.contains(&SymbolKind::Enum));
    assert!(kinds.contains(&SymbolKind::Variable));
}

#[test]
fn components_list_their_props_from_types_destructuring_and_prop_types() {
    let (a, _) = document("src/default_export.tsx", &fixture("default_export.tsx"));
    let counter = a.symbols.iter().find(|s| s.name == "Counter").unwrap();
    assert_eq!(counter.kind, SymbolKind::Component);
    assert!(counter.default_export);
    assert_eq!(
        counter
            .params
            .iter()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>(),
        ["initial", "label", "onChange"]
    );
    assert_eq!(counter.hooks, ["useState", "useEffect"]);
    assert!(!counter.returns_value);
    let toggle = a.symbols.iter().find(|s| s.name == "useToggle").unwrap();
    assert_eq!(toggle.kind, SymbolKind::Hook);
    assert!(toggle.returns_value);

    let (a, doc) = document("src/arrow_components.jsx", &fixture("arrow_components.jsx"));
    let title = a.symbols.iter().find(|s| s.name == "Title").unwrap();
    assert_eq!(title.kind, SymbolKind::Component);
    assert_eq!(
        title
            .params
            .iter()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>(),
        ["children", "color", "size"]
    );
    let field = a.symbols.iter().find(|s| s.name == "Field").unwrap();
    assert_eq!(field.kind, SymbolKind::Component);
    assert!(field.exported, "exported by `export {{ Field }}`");
    let badge = a.symbols.iter().find(|s| s.name == "Badge").unwrap();
    assert_eq!(badge.kind, SymbolKind::Component);
    let add = a.symbols.iter().find(|s| s.name == "add").unwrap();
    assert_eq!(add.kind, SymbolKind::Function);
    assert!(add.returns_value);
    // Every expected item was answered: complete, and every named identifier exists.
    assert_eq!(doc.quality.completeness, 1.0, "{:?}", doc.quality.missing);
    assert_eq!(
        doc.quality.truthfulness, 1.0,
        "{:?}",
        doc.quality.unknown_identifiers
    );
    let c = doc
        .inline_comments
        .iter()
        .find(|c| c.symbol == title.id)
        .unwrap();
    assert!(c.body.contains("@param props.color The `color` value."));
    assert!(
        c.body.contains("*\\/"),
        "a `*/` in prose cannot close the comment"
    );
}

#[test]
fn missing_items_and_invented_identifiers_lower_the_scores() {
    let src = fixture("api_client.js");
    let a = analyze("api_client.js", &src).unwrap();
    let mut answer = full_answer(&a);
    for s in &mut answer.symbols {
        s.params.clear();
        s.returns.clear();
    }
    answer.symbols[0].summary = "Calls `retryForever` and `BASE`.".into();
    let doc = assemble(&a, &src, &[answer], &Options::default(), provider()).unwrap();
    assert!(
        doc.quality.completeness < 0.7,
        "{}",
        doc.quality.completeness
    );
    assert!(
        doc.quality
            .missing
            .iter()
            .any(|m| m.ends_with("@param retries"))
    );
    assert!(doc.quality.missing.iter().any(|m| m.ends_with("@returns")));
    assert_eq!(doc.quality.unknown_identifiers, ["retryForever"]);
    assert!(doc.quality.truthfulness < 1.0);
}

#[test]
fn the_static_answer_is_labelled_and_scored() {
    let src = fixture("default_export.tsx");
    let a = analyze("default_export.tsx", &src).unwrap();
    let answer = hivesync_docs::static_answer(&a);
    assert!(answer.summary.starts_with("Analysis-only document"));
    let doc = assemble(&a, &src, &[answer], &Options::default(), provider()).unwrap();
    assert_eq!(
        doc.quality.truthfulness, 1.0,
        "{:?}",
        doc.quality.unknown_identifiers
    );
    assert!(doc.quality.completeness > 0.0 && doc.quality.completeness < 1.0);
    git_apply("default_export.tsx", &src, &doc.diff);
}

#[test]
fn large_files_are_split_by_top_level_declaration_within_the_budget() {
    let mut src = String::from("import { a } from './a';\n\n");
    for i in 0..40 {
        src.push_str(&format!(
            "export function f{i}(x: number): number {{\n  return x * {i} + a;\n}}\n\n"
        ));
    }
    let a = analyze("big.ts", &src).unwrap();
    let count = hivesync_docs::tokens::o200k_count;
    let chunks = hivesync_docs::prompt::plan_chunks(&a, &src, 200, &count);
    assert!(chunks.len() > 3, "{}", chunks.len());
    let mut ids: Vec<String> = Vec::new();
    for c in &chunks {
        assert!(count(&c.text) <= 200, "{}", count(&c.text));
        assert!(c.text.starts_with("import { a } from './a';"));
        ids.extend(c.symbol_ids.iter().cloned());
    }
    let all: Vec<String> = a.symbols.iter().map(|s| s.id.clone()).collect();
    assert_eq!(ids, all, "every symbol asked about exactly once, in order");
    assert_eq!(
        hivesync_docs::prompt::plan_chunks(&a, &src, 100_000, &count).len(),
        1
    );
}
