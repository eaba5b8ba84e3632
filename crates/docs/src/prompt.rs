//! Prompts, and splitting a large file into chunks that each fit the token budget of one
//! request. A chunk is a run of whole top-level statements (the file's imports repeated in
//! each), so every symbol is seen with its whole body and is asked about exactly once.

use serde::{Deserialize, Serialize};

use crate::analysis::{Analysis, Symbol};
use crate::{ContextFile, Options, Style};

/// Most characters of one neighbouring file quoted as context.
const CONTEXT_CHARS_PER_FILE: usize = 2_000;
/// Most characters of context files together.
const CONTEXT_CHARS: usize = 6_000;

/// One part of a file sent in one request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chunk {
    /// The text sent: the whole file, or its imports and a run of statements.
    pub text: String,
    /// The symbols asked about, in source order.
    pub symbol_ids: Vec<String>,
    /// Whether it is the whole file.
    pub whole_file: bool,
}

/// Splits `source` into chunks of at most `budget` tokens (as `count` measures them) by
/// top-level statement. A single statement larger than the budget becomes a chunk of its own
/// (the caller's hard limit on the request catches truly oversized input).
pub fn plan_chunks(
    analysis: &Analysis,
    source: &str,
    budget: usize,
    count: &dyn Fn(&str) -> usize,
) -> Vec<Chunk> {
    let all: Vec<String> = analysis.symbols.iter().map(|s| s.id.clone()).collect();
    if count(source) <= budget || analysis.statements.len() <= 1 {
        return vec![Chunk {
            text: source.to_owned(),
            symbol_ids: all,
            whole_file: true,
        }];
    }
    let imports: String = analysis
        .statements
        .iter()
        .filter(|s| s.import)
        .map(|s| &source[s.start as usize..s.end as usize])
        .collect();
    let header_tokens = count(&imports);
    let mut chunks: Vec<Chunk> = Vec::new();
    let mut text = imports.clone();
    let mut ids: Vec<String> = Vec::new();
    let mut tokens = header_tokens;
    let mut has_body = false;
    for (i, st) in analysis.statements.iter().enumerate() {
        if st.import {
            continue;
        }
        let part = &source[st.start as usize..st.end as usize];
        let part_tokens = count(part);
        if has_body && tokens + part_tokens > budget {
            chunks.push(Chunk {
                text: std::mem::replace(&mut text, imports.clone()),
                symbol_ids: std::mem::take(&mut ids),
                whole_file: false,
            });
            tokens = header_tokens;
        }
        text.push_str(part);
        tokens += part_tokens;
        has_body = true;
        ids.extend(
            analysis
                .symbols
                .iter()
                .filter(|s| s.statement == i)
                .map(|s| s.id.clone()),
        );
    }
    if has_body {
        chunks.push(Chunk {
            text,
            symbol_ids: ids,
            whole_file: false,
        });
    }
    // Chunks without symbols are context only: fold them into a neighbour's count, not sent.
    chunks.retain(|c| !c.symbol_ids.is_empty());
    if chunks.is_empty() {
        chunks.push(Chunk {
            text: source.to_owned(),
            symbol_ids: all,
            whole_file: true,
        });
    }
    chunks
}

/// A request's messages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prompt {
    /// The system message.
    pub system: String,
    /// The user message.
    pub user: String,
    /// The symbol ids asked about.
    pub symbol_ids: Vec<String>,
}

/// The system message: the task and the rules every answer follows.
pub fn system_message(options: &Options) -> String {
    let length = match options.style {
        Style::Short => {
            "Keep every summary to one sentence and the explanation to three sentences."
        }
        Style::Long => {
            "Summaries may take two or three sentences; the explanation may take two short paragraphs."
        }
    };
    format!(
        "You document source code for the developers who maintain it. You answer with JSON only, \
matching the given schema. For each symbol id in the request write: `summary` (what it does and \
why a caller uses it), `params` (one entry per listed parameter or prop, same names, what it is \
for), `returns` (what it returns, empty if it returns nothing), `throws` (when it throws, empty \
if it never does), `example` (a short usage example, or empty). Also write `summary` (what the \
file is for) and `explanation` (how its parts work together). Name only identifiers that appear \
in the code or its imports, in backticks. Never invent parameters, and never restate types as \
the whole description. {length}"
    )
}

fn describe(s: &Symbol) -> String {
    let mut line = format!(
        "- id `{}`: {} `{}`{}{}",
        s.id,
        s.kind.as_str(),
        s.name,
        if s.default_export {
            " (default export)"
        } else if s.exported {
            " (exported)"
        } else {
            ""
        },
        match &s.parent {
            Some(p) => format!(" in class `{}`", p.split('@').next().unwrap_or(p)),
            None => String::new(),
        }
    );
    line.push_str(&format!(", line {}", s.line));
    if !s.params.is_empty() {
        let what = if s.kind == crate::analysis::SymbolKind::Component {
            "props"
        } else {
            "params"
        };
        let names: Vec<String> = s
            .params
            .iter()
            .map(|p| match &p.type_text {
                Some(t) => format!("{}: {}", p.name, t.chars().take(60).collect::<String>()),
                None => p.name.clone(),
            })
            .collect();
        line.push_str(&format!("; {what}: {}", names.join(", ")));
    }
    if s.returns_value {
        line.push_str("; returns a value");
    }
    if s.throws {
        line.push_str("; can throw");
    }
    if !s.hooks.is_empty() {
        line.push_str(&format!("; uses {}", s.hooks.join(", ")));
    }
    line
}

/// The user message for one chunk: the file's facts from the analysis, the symbols to document,
/// the code, and a bounded excerpt of the neighbouring files.
pub fn user_message(
    analysis: &Analysis,
    chunk: &Chunk,
    context: &[ContextFile],
    part: (usize, usize),
) -> Prompt {
    let mut out = format!(
        "File `{}` ({}, {} lines){}.\n",
        analysis.path,
        analysis.language,
        analysis.lines,
        if part.1 > 1 {
            format!(", part {} of {}", part.0 + 1, part.1)
        } else {
            String::new()
        }
    );
    if !analysis.imports.is_empty() {
        out.push_str(&format!("Imports from: {}.\n", analysis.imports.join(", ")));
    }
    out.push_str("Symbols to document:\n");
    for id in &chunk.symbol_ids {
        if let Some(s) = analysis.symbol(id) {
            out.push_str(&describe(s));
            out.push('\n');
        }
    }
    out.push_str("\nCode:\n```\n");
    out.push_str(chunk.text.trim_end());
    out.push_str("\n```\n");
    let mut budget = CONTEXT_CHARS;
    for f in context {
        if budget == 0 {
            break;
        }
        let take = budget.min(CONTEXT_CHARS_PER_FILE);
        let excerpt: String = f.content.chars().take(take).collect();
        budget -= excerpt.chars().count();
        out.push_str(&format!(
            "\nNeighbouring file `{}` (context only, do not document):\n```\n{}\n```\n",
            f.path,
            excerpt.trim_end()
        ));
    }
    Prompt {
        system: String::new(),
        user: out,
        symbol_ids: chunk.symbol_ids.clone(),
    }
}

/// The prompts of every chunk.
pub fn prompts(
    analysis: &Analysis,
    chunks: &[Chunk],
    context: &[ContextFile],
    options: &Options,
) -> Vec<Prompt> {
    let system = system_message(options);
    chunks
        .iter()
        .enumerate()
        .map(|(i, c)| Prompt {
            system: system.clone(),
            ..user_message(analysis, c, context, (i, chunks.len()))
        })
        .collect()
}
