//! The output document (`ai-docs/{job_id}.json`), versioned by [`SCHEMA_VERSION`] and described
//! by `crates/docs/schema/ai-docs.schema.json`; and [`assemble`], which merges a model's answers
//! with the analysis into one: per-symbol docs with the parser's positions, the comments
//! inserted into the file, the unified diff, code-review-style inline comments and the quality
//! scores.

use serde::{Deserialize, Serialize};

use crate::analysis::{Analysis, SymbolKind};
use crate::answer::Answer;
use crate::patch::{CommentText, check_only_comments, insert_comments, unified_diff};
use crate::quality::{Quality, assess};
use crate::{DocsError, Mode, Options, Style};

/// The document format's version; a change that is not backwards compatible bumps it.
pub const SCHEMA_VERSION: &str = "hivesync.ai-docs.v1";

/// The input file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceInfo {
    /// Project-relative path.
    pub path: String,
    /// `typescript`, `tsx`, `javascript` or `jsx`.
    pub language: String,
    /// `sha256:` + hex of the file's bytes.
    pub hash: String,
    /// Lines.
    pub lines: u32,
    /// `lf` or `crlf`.
    pub line_ending: crate::analysis::LineEnding,
}

/// Tokens a provider used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Usage {
    /// Prompt tokens over every call.
    pub prompt_tokens: u64,
    /// Generated tokens over every call.
    pub completion_tokens: u64,
}

/// Who wrote the prose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderInfo {
    /// `openai`, `local` or `static`.
    pub name: String,
    /// The model (`static` has none: `analysis`).
    pub model: String,
    /// Provider calls made, retries included (0 for `static` and for a cached document).
    pub attempts: u32,
    /// Token usage.
    pub usage: Usage,
    /// True when the document was produced by static analysis alone: no model wrote it.
    pub analysis_only: bool,
    /// The job whose identical input produced this document first, when it was reused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cached_from: Option<String>,
}

/// One parameter's doc.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParamDoc {
    /// Name.
    pub name: String,
    /// Type as written, when annotated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub type_text: Option<String>,
    /// Optional or defaulted.
    pub optional: bool,
    /// What it is for.
    pub description: String,
}

/// One symbol's doc.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SymbolDoc {
    /// `name@line`.
    pub id: String,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: SymbolKind,
    /// Exported.
    pub exported: bool,
    /// First line of the declaration (1-based, in the input file).
    pub line: u32,
    /// First line of the statement (decorators, `export`).
    pub start_line: u32,
    /// Last line.
    pub end_line: u32,
    /// What it does.
    pub summary: String,
    /// Parameters or props.
    pub params: Vec<ParamDoc>,
    /// What it returns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub returns: Option<String>,
    /// When it throws.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub throws: Option<String>,
    /// Usage examples.
    pub examples: Vec<String>,
    /// Hooks it calls.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hooks: Vec<String>,
    /// It already had a doc comment (left as it is).
    pub had_doc_comment: bool,
}

/// A comment on the input file in the shape of a code-review comment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InlineComment {
    /// The file.
    pub path: String,
    /// The line it is about (the symbol's declaration line, 1-based in the input).
    pub line: u32,
    /// First line of a multi-line range (the symbol's first decorator or `export`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_line: Option<u32>,
    /// The symbol.
    pub symbol: String,
    /// `doc_comment` (the text to insert above the symbol).
    pub kind: String,
    /// The comment's text.
    pub body: String,
}

/// The whole document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// [`SCHEMA_VERSION`].
    pub schema_version: String,
    /// The input file.
    pub source: SourceInfo,
    /// Who wrote it.
    pub provider: ProviderInfo,
    /// `short` or `long`.
    pub style: Style,
    /// `doc` or `diff`.
    pub mode: Mode,
    /// What the file is for.
    pub summary: String,
    /// How it works.
    pub explanation: String,
    /// Per-symbol docs, in source order.
    pub symbols: Vec<SymbolDoc>,
    /// The doc comments as a unified diff against the input (applies with `git apply`).
    pub diff: String,
    /// The same comments as review comments on the input's lines.
    pub inline_comments: Vec<InlineComment>,
    /// The quality gates.
    pub quality: Quality,
    /// What the reader should know (symbols without inserted comments, split files, ...).
    pub warnings: Vec<String>,
    /// Set on a document that records a failure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// `sha256:` + hex of `bytes`.
pub fn content_hash(bytes: &[u8]) -> String {
    use sha2::Digest;
    format!("sha256:{}", hex::encode(sha2::Sha256::digest(bytes)))
}

fn nonempty(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

/// Merges the `answers` (one per chunk, in order) with the analysis into a document, inserts
/// the comments, checks that only comments changed, and scores it.
pub fn assemble(
    analysis: &Analysis,
    source: &str,
    answers: &[Answer],
    options: &Options,
    provider: ProviderInfo,
) -> Result<Document, DocsError> {
    let mut warnings = Vec::new();
    let summary = answers
        .iter()
        .map(|a| a.summary.trim())
        .find(|s| !s.is_empty())
        .unwrap_or("")
        .to_owned();
    let explanation = answers
        .iter()
        .map(|a| a.explanation.trim())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n");
    if answers.len() > 1 {
        warnings.push(format!(
            "the file was documented in {} parts (split by top-level declaration)",
            answers.len()
        ));
    }
    let mut docs = Vec::new();
    let mut comments = Vec::new();
    for sym in &analysis.symbols {
        let ans = answers
            .iter()
            .flat_map(|a| a.symbols.iter())
            .find(|s| s.id == sym.id);
        let params: Vec<ParamDoc> = sym
            .params
            .iter()
            .map(|p| ParamDoc {
                name: p.name.clone(),
                type_text: p.type_text.clone(),
                optional: p.optional,
                description: ans
                    .and_then(|a| a.params.iter().find(|q| q.name == p.name))
                    .map(|q| q.description.trim().to_owned())
                    .unwrap_or_default(),
            })
            .collect();
        let doc = SymbolDoc {
            id: sym.id.clone(),
            name: sym.name.clone(),
            kind: sym.kind,
            exported: sym.exported,
            line: sym.line,
            start_line: sym.start_line,
            end_line: sym.end_line,
            summary: ans.map(|a| a.summary.trim().to_owned()).unwrap_or_default(),
            params,
            returns: ans.and_then(|a| nonempty(&a.returns)),
            throws: ans.and_then(|a| nonempty(&a.throws)),
            examples: ans.and_then(|a| nonempty(&a.example)).into_iter().collect(),
            hooks: sym.hooks.clone(),
            had_doc_comment: sym.existing_doc.is_some(),
        };
        if ans.is_some() && !doc.summary.is_empty() {
            let is_component = sym.kind == SymbolKind::Component;
            comments.push((
                sym.id.clone(),
                CommentText {
                    description: doc.summary.clone(),
                    // A component's props are documented as `@param props.name`.
                    params: doc
                        .params
                        .iter()
                        .filter(|p| !p.description.is_empty())
                        .map(|p| {
                            let name = if is_component {
                                format!("props.{}", p.name)
                            } else {
                                p.name.clone()
                            };
                            (name, p.description.clone())
                        })
                        .collect(),
                    returns: doc.returns.clone().unwrap_or_default(),
                    throws: doc.throws.clone().unwrap_or_default(),
                    example: if options.style == Style::Long {
                        doc.examples.first().cloned().unwrap_or_default()
                    } else {
                        String::new()
                    },
                },
            ));
        }
        docs.push(doc);
    }
    let patched = insert_comments(source, analysis, &comments);
    check_only_comments(
        &analysis.path,
        source,
        &patched.text,
        patched.inserted.len(),
    )?;
    for (id, why) in &patched.skipped {
        warnings.push(format!("{id}: {why}"));
    }
    let diff = unified_diff(&analysis.path, source, &patched.text);
    let inline_comments = patched
        .inserted
        .iter()
        .filter_map(|ins| {
            let sym = analysis.symbol(&ins.symbol_id)?;
            Some(InlineComment {
                path: analysis.path.clone(),
                line: sym.line,
                start_line: (sym.start_line != sym.line).then_some(sym.start_line),
                symbol: sym.id.clone(),
                kind: "doc_comment".to_owned(),
                body: ins.body.clone(),
            })
        })
        .collect();
    let quality = assess(analysis, &summary, &explanation, &docs);
    Ok(Document {
        schema_version: SCHEMA_VERSION.to_owned(),
        source: SourceInfo {
            path: analysis.path.clone(),
            language: analysis.language.clone(),
            hash: content_hash(source.as_bytes()),
            lines: analysis.lines,
            line_ending: analysis.line_ending,
        },
        provider,
        style: options.style,
        mode: options.mode,
        summary,
        explanation,
        symbols: docs,
        diff,
        inline_comments,
        quality,
        warnings,
        error: None,
    })
}
