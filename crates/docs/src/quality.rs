//! The quality gates computed for every document (after DocAgent, 2025):
//!
//! - **completeness**: of what a doc should hold, the share it holds: a file summary; per
//!   symbol a summary, a description for each parameter (each prop of a component), `returns`
//!   when the function returns a value, `throws` when it throws.
//! - **truthfulness**: of the identifiers the prose names (in backticks, or shaped like code:
//!   `camelCase`, `snake_case`, `name()`), the share that exist in the file or its imports (or
//!   are language built-ins).

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::analysis::{Analysis, SymbolKind};
use crate::document::SymbolDoc;

/// Both scores with what lowered them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quality {
    /// 0..1: share of the expected items present.
    pub completeness: f64,
    /// 0..1: share of named identifiers that exist (1 when none are named).
    pub truthfulness: f64,
    /// Expected items that are missing (`add@3: @param b`).
    pub missing: Vec<String>,
    /// Identifiers named in the prose that the file and its imports do not have.
    pub unknown_identifiers: Vec<String>,
}

impl Quality {
    /// Whether both scores reach the thresholds.
    pub fn passes(&self, min_completeness: f64, min_truthfulness: f64) -> bool {
        self.completeness + 1e-9 >= min_completeness && self.truthfulness + 1e-9 >= min_truthfulness
    }
}

/// Names every JavaScript/TypeScript reader knows without an import.
const BUILTINS: &[&str] = &[
    "Array",
    "ArrayBuffer",
    "Boolean",
    "Date",
    "Error",
    "Function",
    "Infinity",
    "JSON",
    "Map",
    "Math",
    "NaN",
    "Number",
    "Object",
    "Promise",
    "Proxy",
    "Record",
    "Partial",
    "Readonly",
    "ReadonlyArray",
    "Reflect",
    "RegExp",
    "Set",
    "String",
    "Symbol",
    "TypeError",
    "RangeError",
    "WeakMap",
    "WeakSet",
    "any",
    "async",
    "await",
    "bigint",
    "boolean",
    "break",
    "case",
    "catch",
    "class",
    "const",
    "console",
    "constructor",
    "continue",
    "default",
    "delete",
    "do",
    "else",
    "enum",
    "export",
    "extends",
    "false",
    "fetch",
    "finally",
    "for",
    "function",
    "if",
    "import",
    "in",
    "instanceof",
    "interface",
    "let",
    "new",
    "never",
    "null",
    "number",
    "object",
    "of",
    "props",
    "return",
    "setTimeout",
    "clearTimeout",
    "setInterval",
    "clearInterval",
    "static",
    "string",
    "super",
    "switch",
    "this",
    "throw",
    "true",
    "try",
    "type",
    "typeof",
    "undefined",
    "unknown",
    "var",
    "void",
    "while",
    "yield",
    "window",
    "document",
    "globalThis",
    "require",
    "module",
    "exports",
    "children",
    "key",
    "ref",
    "React",
    "JSX",
    "ReactNode",
    "ReactElement",
    "length",
    "map",
    "filter",
    "reduce",
    "forEach",
    "then",
    "push",
    "keys",
    "values",
    "entries",
    "toString",
    "id",
    "e",
    "i",
    "x",
    "y",
];

/// Identifier-like tokens of `code` (split at everything but `[A-Za-z0-9_$]`).
fn tokens(code: &str) -> impl Iterator<Item = &str> {
    code.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '$'))
        .filter(|t| !t.is_empty() && !t.starts_with(|c: char| c.is_ascii_digit()))
}

/// Whether a bare word outside backticks looks like code rather than English.
fn looks_like_code(word: &str) -> bool {
    let inner_upper = word.chars().skip(1).any(|c| c.is_ascii_uppercase())
        && word.chars().any(|c| c.is_ascii_lowercase());
    (inner_upper && word.starts_with(|c: char| c.is_ascii_lowercase()))
        || (word.contains('_') && word.len() > 2 && !word.starts_with('_'))
}

/// The identifiers `prose` names: every token in backticks, and code-shaped words and
/// `name(` calls outside them.
pub fn named_identifiers(prose: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (i, part) in prose.split('`').enumerate() {
        if i % 2 == 1 {
            out.extend(tokens(part).map(str::to_owned));
        } else {
            let words: Vec<&str> = part
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '$' || c == '('))
                .collect();
            for w in words {
                let (name, call) = match w.split_once('(') {
                    Some((n, _)) => (n, true),
                    None => (w, false),
                };
                if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
                    continue;
                }
                if call || looks_like_code(name) {
                    out.insert(name.to_owned());
                }
            }
        }
    }
    out
}

/// The gates of `symbols` (documents of `analysis`'s symbols) and the file `summary`.
pub fn assess(
    analysis: &Analysis,
    summary: &str,
    explanation: &str,
    symbols: &[SymbolDoc],
) -> Quality {
    let mut expected = 0usize;
    let mut present = 0usize;
    let mut missing = Vec::new();
    let mut check = |ok: bool, what: String| {
        expected += 1;
        if ok {
            present += 1;
        } else {
            missing.push(what);
        }
    };
    check(!summary.trim().is_empty(), "file summary".to_owned());
    for sym in &analysis.symbols {
        let doc = symbols.iter().find(|d| d.id == sym.id);
        let has = |f: &dyn Fn(&SymbolDoc) -> bool| doc.is_some_and(f);
        check(
            has(&|d| !d.summary.trim().is_empty()),
            format!("{}: summary", sym.id),
        );
        if sym.kind.is_callable() || sym.kind == SymbolKind::Component {
            for p in &sym.params {
                let tag = if sym.kind == SymbolKind::Component {
                    "prop"
                } else {
                    "@param"
                };
                check(
                    has(&|d| {
                        d.params
                            .iter()
                            .any(|q| q.name == p.name && !q.description.trim().is_empty())
                    }),
                    format!("{}: {tag} {}", sym.id, p.name),
                );
            }
            if sym.returns_value {
                check(
                    has(&|d| d.returns.as_deref().is_some_and(|r| !r.trim().is_empty())),
                    format!("{}: @returns", sym.id),
                );
            }
            if sym.throws {
                check(
                    has(&|d| d.throws.as_deref().is_some_and(|r| !r.trim().is_empty())),
                    format!("{}: @throws", sym.id),
                );
            }
        }
    }
    let completeness = if expected == 0 {
        1.0
    } else {
        present as f64 / expected as f64
    };

    let mut prose = vec![summary.to_owned(), explanation.to_owned()];
    for d in symbols {
        prose.push(d.summary.clone());
        prose.extend(d.params.iter().map(|p| p.description.clone()));
        prose.extend(d.returns.clone());
        prose.extend(d.throws.clone());
    }
    let mut named = BTreeSet::new();
    for p in &prose {
        named.extend(named_identifiers(p));
    }
    let param_names: BTreeSet<&str> = analysis
        .symbols
        .iter()
        .flat_map(|s| s.params.iter().map(|p| p.name.as_str()))
        .collect();
    // The file's own path and the module specifiers it imports are names a reader sees too.
    let mut paths: BTreeSet<&str> = tokens(&analysis.path).collect();
    for i in &analysis.imports {
        paths.extend(tokens(i));
    }
    let unknown: Vec<String> = named
        .iter()
        .filter(|n| {
            !analysis.identifiers.contains(n.as_str())
                && !paths.contains(n.as_str())
                && !param_names.contains(n.as_str())
                && !BUILTINS.contains(&n.as_str())
                && !analysis.imports.iter().any(|i| i == *n)
        })
        .cloned()
        .collect();
    let truthfulness = if named.is_empty() {
        1.0
    } else {
        (named.len() - unknown.len()) as f64 / named.len() as f64
    };
    Quality {
        completeness: round3(completeness),
        truthfulness: round3(truthfulness),
        missing,
        unknown_identifiers: unknown,
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_shaped_words_and_backticked_names_count_as_identifiers() {
        let named = named_identifiers(
            "Calls `fetchUser(id)` then retries with backoffMs and MAX_TRIES; see render().",
        );
        let v: Vec<&str> = named.iter().map(String::as_str).collect();
        assert_eq!(v, ["MAX_TRIES", "backoffMs", "fetchUser", "id", "render"]);
        assert!(named_identifiers("A plain English sentence.").is_empty());
    }
}
