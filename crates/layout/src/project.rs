//! The parsed project: every input file parsed once into one arena, with line tables for
//! source locations and the module-resolution configuration found among the inputs.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use oxc::allocator::Allocator;
use oxc::ast::ast::Program;
use oxc::parser::Parser;
use oxc::span::SourceType;

use crate::document::SourceLocation;
use crate::fnv::FnvBuild;
use crate::{Cancel, Limits, SourceFile, Target, prepass};

/// What a file is to the compiler.
pub(crate) enum FileKind<'a> {
    /// A parsed script module.
    Script(&'a Program<'a>),
    /// A script that failed to parse (message with line/column).
    Broken(String),
    /// A JSON file (imports of `*.json`).
    Json(serde_json::Value),
    /// An image the request carries (a binary file): importable as an asset reference that
    /// renders its picture.
    Image(crate::images::ImageFile),
    /// Anything else (fonts, images not carried, ...): importable as an asset reference.
    Other,
}

pub(crate) struct ParsedFile<'a> {
    pub path: String,
    /// `path`, shared by the source locations of nodes and warnings in this file.
    pub shared_path: Arc<str>,
    pub content: &'a str,
    pub kind: FileKind<'a>,
    line_starts: Vec<u32>,
}

impl ParsedFile<'_> {
    /// 1-based line and character column of a byte offset.
    pub fn line_col(&self, offset: u32) -> (u32, u32) {
        line_col_of(&self.line_starts, self.content, offset)
    }
}

/// Path aliases of the project's configuration (`tsconfig`/`jsconfig` `paths` and `baseUrl`,
/// babel `module-resolver`), read by `resolve` (which fills and uses them).
#[derive(Debug, Default)]
pub(crate) struct Aliases {
    /// `(pattern, pattern ends in a wildcard, target prefixes)`.
    pub entries: Vec<(String, bool, Vec<String>)>,
    /// Folders that bare specifiers may be resolved against (`baseUrl`, babel `root`).
    pub roots: Vec<String>,
}

pub(crate) struct Project<'a> {
    /// The compile's arena: the ASTs, and the evaluator's values (see `interp::value`).
    pub alloc: &'a Allocator,
    /// The arena's size once every file is parsed: what evaluation adds is counted from here.
    pub parsed_bytes: usize,
    pub files: Vec<ParsedFile<'a>>,
    pub by_path: HashMap<String, usize, FnvBuild>,
    pub aliases: Aliases,
    pub target: Target,
    pub limits: Limits,
    pub started: Instant,
    /// The caller's stop signal, checked with the time budget.
    pub cancel: Cancel,
    /// Colours from `tailwind.config.*` (`theme.colors`/`theme.extend.colors`), by class name
    /// (filled by [`crate::compile`] from `tailwind`, like the aliases from `resolve`).
    pub tw_colors: Vec<(String, String)>,
    /// Problems found while loading (bad config files), reported as global warnings.
    pub load_warnings: Vec<(String, Option<SourceLocation>)>,
}

/// Normalizes a project path: `/` separators, no leading `./` or `/`, `..` folded.
pub(crate) fn normalize_path(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split(['/', '\\']) {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

pub(crate) fn is_script_path(path: &str) -> bool {
    [".tsx", ".ts", ".jsx", ".js", ".mjs", ".cjs"]
        .iter()
        .any(|e| path.ends_with(e))
        && !path.ends_with(".d.ts")
}

impl<'a> Project<'a> {
    pub fn parse(
        alloc: &'a Allocator,
        files: &'a [SourceFile],
        target: Target,
        limits: &Limits,
        cancel: &Cancel,
    ) -> Self {
        let started = Instant::now();
        let mut out = Vec::with_capacity(files.len());
        let mut by_path = HashMap::default();
        let mut load_warnings = Vec::new();
        for f in files {
            let path = normalize_path(&f.path);
            // A binary file's base64 is no source text: nothing to scan or locate in it.
            let content: &'a str = if f.is_binary() { "" } else { &f.content };
            // About one line per 32 bytes of real code: one allocation in most files.
            let mut line_starts = Vec::with_capacity(content.len() / 32 + 2);
            line_starts.push(0u32);
            line_starts
                .extend(memchr::memchr_iter(b'\n', content.as_bytes()).map(|i| i as u32 + 1));
            let kind = if f.is_binary() {
                match crate::images::image_file(f) {
                    Some(Ok(image)) => FileKind::Image(image),
                    Some(Err(why)) => {
                        load_warnings.push((format!("{why}; it is not shown"), None));
                        FileKind::Other
                    }
                    None => FileKind::Other,
                }
            } else if is_script_path(&path) {
                parse_script(
                    alloc,
                    &path,
                    content,
                    limits.max_nesting_depth,
                    &line_starts,
                )
            } else if path.ends_with(".json") {
                match serde_json::from_str(&prepass::strip_json_comments(content)) {
                    Ok(v) => FileKind::Json(v),
                    Err(e) => FileKind::Broken(format!("invalid JSON: {e}")),
                }
            } else {
                FileKind::Other
            };
            by_path.insert(path.clone(), out.len());
            out.push(ParsedFile {
                shared_path: path.as_str().into(),
                path,
                content,
                kind,
                line_starts,
            });
        }
        Project {
            alloc,
            parsed_bytes: alloc.used_bytes(),
            files: out,
            by_path,
            aliases: Aliases::default(),
            tw_colors: Vec::new(),
            target,
            limits: limits.clone(),
            started,
            cancel: cancel.clone(),
            load_warnings,
        }
    }

    pub fn location(&self, file: usize, offset: u32) -> SourceLocation {
        let f = &self.files[file];
        let (line, column) = f.line_col(offset);
        SourceLocation {
            file: f.shared_path.clone(),
            line,
            column,
        }
    }

    pub fn program(&self, file: usize) -> Option<&'a Program<'a>> {
        match self.files[file].kind {
            FileKind::Script(p) => Some(p),
            _ => None,
        }
    }
}

fn line_col_of(line_starts: &[u32], content: &str, offset: u32) -> (u32, u32) {
    let line = match line_starts.binary_search(&offset) {
        Ok(i) => i,
        Err(i) => i - 1,
    };
    let start = line_starts[line] as usize;
    let end = (offset as usize).min(content.len());
    let col = content
        .get(start..end)
        .map_or(end - start, |s| s.chars().count());
    (line as u32 + 1, col as u32 + 1)
}

fn parse_script<'a>(
    alloc: &'a Allocator,
    path: &str,
    content: &'a str,
    max_depth: usize,
    line_starts: &[u32],
) -> FileKind<'a> {
    // The parser recurses on nesting: refuse pathological nesting before it can overflow a stack.
    if let Some(offset) = prepass::nesting_exceeds(content, max_depth) {
        let (l, c) = line_col_of(line_starts, content, offset);
        return FileKind::Broken(format!(
            "{path}:{l}:{c}: nesting deeper than {max_depth} levels; the file is not compiled"
        ));
    }
    let is_flow = prepass::has_flow_pragma(content);
    let plain = if path.ends_with(".tsx") {
        SourceType::tsx()
    } else if path.ends_with(".ts") {
        SourceType::ts()
    } else {
        SourceType::jsx()
    };
    let first_error = if is_flow {
        None
    } else {
        match parse_once(alloc, content, plain) {
            Ok(p) => return FileKind::Script(p),
            Err(e) => Some(e),
        }
    };
    // Flow (or untagged type-annotated JS): strip Flow-only syntax, keep offsets, parse as TSX.
    if !path.ends_with(".ts") && !path.ends_with(".tsx") {
        let stripped: &'a str = alloc.alloc_str(&prepass::strip_flow(content));
        match parse_once(alloc, stripped, SourceType::tsx()) {
            Ok(p) => return FileKind::Script(p),
            Err(off_msg) if first_error.is_none() => {
                let (l, c) = line_col_of(line_starts, content, off_msg.0);
                return FileKind::Broken(format!(
                    "{path}:{l}:{c}: {} (after Flow type stripping)",
                    off_msg.1
                ));
            }
            Err(_) => {}
        }
    }
    let (off, msg) = first_error.unwrap_or((0, "parse error".into()));
    let (l, c) = line_col_of(line_starts, content, off);
    FileKind::Broken(format!("{path}:{l}:{c}: {msg}"))
}

fn parse_once<'a>(
    alloc: &'a Allocator,
    src: &'a str,
    st: SourceType,
) -> Result<&'a Program<'a>, (u32, String)> {
    let ret = Parser::new(alloc, src, st).parse();
    if ret.panicked || ret.diagnostics.has_errors() {
        let d = ret.diagnostics.errors().next();
        let off = d
            .and_then(|d| d.labels.first().map(|l| l.offset()))
            .unwrap_or(0);
        let msg = d.map_or_else(|| "parse error".to_string(), |d| d.message.to_string());
        return Err((off, msg));
    }
    Ok(alloc.alloc(ret.program))
}

/// The component a file stands for: its default export, else its first exported
/// capitalized function/class/const (a file of named components: `export function Card`).
pub(crate) fn entry_binding(p: &oxc::ast::ast::Program<'_>) -> String {
    use oxc::ast::ast::{Declaration, Statement};
    let mut first = None;
    for s in &p.body {
        match s {
            Statement::ExportDefaultDeclaration(_) => return "default".into(),
            Statement::ExportDeclaration(e) if first.is_none() => {
                let name = match &e.declaration {
                    Declaration::FunctionDeclaration(f) => {
                        f.id.as_ref().map(|i| i.name.to_string())
                    }
                    Declaration::ClassDeclaration(c) => c.id.as_ref().map(|i| i.name.to_string()),
                    Declaration::VariableDeclaration(v) => v
                        .declarations
                        .first()
                        .and_then(|d| d.id.get_identifier_name())
                        .map(|n| n.to_string()),
                    _ => None,
                };
                // PascalCase, not a CONSTANT.
                first = name.filter(|n| {
                    n.starts_with(|c: char| c.is_ascii_uppercase())
                        && n.contains(|c: char| c.is_ascii_lowercase())
                });
            }
            _ => {}
        }
    }
    first.unwrap_or_else(|| "default".into())
}
