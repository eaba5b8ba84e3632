//! From one source file to a documentation document. A pure library: no I/O, no async, no
//! knowledge of HTTP, storage or which model runs; the worker puts it together with a provider.
//!
//! The flow: [`analysis::analyze`] (oxc) finds the symbols and their exact positions;
//! [`prompt::plan_chunks`] and [`prompt::prompts`] build the requests (a large file is split by
//! top-level declaration within a token budget); a model answers prose per symbol id
//! ([`answer`], checked against a strict JSON Schema); [`document::assemble`] inserts the doc
//! comments itself ([`patch`]: above decorators and `export`, with the file's indentation and
//! line endings), re-parses to prove only comments changed, builds the unified diff and scores
//! the result ([`quality`]). [`static_answer`] is the answer of the analysis alone (no model).
//!
//! [`tokens`] counts tokens the way OpenAI's models do (`o200k_base`, bundled).

use serde::{Deserialize, Serialize};

pub mod analysis;
pub mod answer;
pub mod document;
pub mod patch;
pub mod prompt;
pub mod quality;
pub mod tokens;

pub use analysis::{Analysis, Symbol, SymbolKind, analyze};
pub use answer::{Answer, AnswerError, ParamAnswer, SymbolAnswer, parse_answer, response_schema};
pub use document::{Document, ProviderInfo, SCHEMA_VERSION, Usage, assemble, content_hash};
pub use quality::Quality;

/// What can go wrong in this crate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocsError {
    /// The file does not parse.
    #[error("line {line}: {message}")]
    Syntax {
        /// 1-based line of the first error.
        line: u32,
        /// The parser's message.
        message: String,
    },
    /// Inserting the comments changed something else (a bug; never shipped to a user).
    #[error("inserting doc comments would change code: {0}")]
    CodeChanged(String),
}

/// How long the prose is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Style {
    /// One sentence per symbol.
    #[default]
    Short,
    /// A few sentences and examples.
    Long,
}

/// What the client mainly wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// A document to read (summary, explanation, per-symbol docs).
    #[default]
    Doc,
    /// Doc comments to apply (the unified diff, inline comments).
    Diff,
}

/// Request options.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Options {
    /// `short` or `long`.
    pub style: Style,
    /// `doc` or `diff`.
    pub mode: Mode,
}

/// A neighbouring file sent as context.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContextFile {
    /// Project-relative path.
    pub path: String,
    /// Its text.
    pub content: String,
}

/// The answer of the analysis alone, for the `static` provider: each symbol described by what
/// the parser knows (its kind, exports, parameter types, hooks, an existing doc comment's text).
/// The document it yields is labelled analysis-only.
pub fn static_answer(analysis: &Analysis) -> Answer {
    let exported = analysis.symbols.iter().filter(|s| s.exported).count();
    let names: Vec<String> = analysis
        .symbols
        .iter()
        .filter(|s| s.parent.is_none())
        .take(12)
        .map(|s| format!("`{}`", s.name))
        .collect();
    let summary = format!(
        "Analysis-only document (no AI provider is configured): `{}` declares {} symbols, {} exported{}{}.",
        analysis.path,
        analysis.symbols.len(),
        exported,
        if names.is_empty() { "" } else { ": " },
        names.join(", ")
    );
    let explanation = if analysis.imports.is_empty() {
        "It imports nothing.".to_owned()
    } else {
        format!(
            "It imports from {}.",
            analysis
                .imports
                .iter()
                .map(|i| format!("`{i}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let symbols = analysis
        .symbols
        .iter()
        .map(|s| {
            let what = match s.kind {
                SymbolKind::Component => "React component",
                SymbolKind::Hook => "React hook",
                k => k.as_str(),
            };
            let mut summary = match &s.existing_doc {
                Some(d) if !d.description.trim().is_empty() => d.description.trim().to_owned(),
                _ => {
                    let scope = if s.default_export {
                        "Default-exported "
                    } else if s.exported {
                        "Exported "
                    } else {
                        ""
                    };
                    let mut t = format!("{scope}{what} `{}`", s.name);
                    if scope.is_empty() {
                        let mut c = t.chars();
                        if let Some(f) = c.next() {
                            t = f.to_uppercase().chain(c).collect();
                        }
                    }
                    t.push('.');
                    t
                }
            };
            if !s.hooks.is_empty() {
                summary.push_str(&format!(
                    " Uses {}.",
                    s.hooks
                        .iter()
                        .map(|h| format!("`{h}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            SymbolAnswer {
                id: s.id.clone(),
                summary,
                params: s
                    .params
                    .iter()
                    .filter_map(|p| {
                        let t = p.type_text.as_ref()?;
                        Some(ParamAnswer {
                            name: p.name.clone(),
                            description: format!(
                                "{}`{}`.",
                                if p.optional { "Optional, " } else { "" },
                                t.lines().next().unwrap_or("")
                            ),
                        })
                    })
                    .collect(),
                returns: String::new(),
                throws: String::new(),
                example: String::new(),
            }
        })
        .collect();
    Answer {
        summary,
        explanation,
        symbols,
    }
}
