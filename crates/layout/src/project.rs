//! The parsed project: every input file parsed once into one arena, with line tables for
//! source locations and the module-resolution configuration found among the inputs. Package
//! files (under a `node_modules/` folder) are parsed lazily, on their first import: a request
//! may carry whole packages of which a screen uses a few files.

use std::cell::{Cell, OnceCell};
use std::collections::{HashMap, HashSet};
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
    /// A package file (under `node_modules/`) not looked at yet: [`Project::kind`] parses it
    /// on first use. Passes over the project's own files (screen discovery, configuration,
    /// locales) skip these.
    Package,
}

pub(crate) struct ParsedFile<'a> {
    pub path: String,
    /// `path`, shared by the source locations of nodes and warnings in this file.
    pub shared_path: Arc<str>,
    pub content: &'a str,
    /// What the file is; [`FileKind::Package`] for a package file (see [`Project::kind`]).
    pub kind: FileKind<'a>,
    /// A package file's kind, once parsed.
    package_kind: OnceCell<FileKind<'a>>,
    line_starts: OnceCell<Vec<u32>>,
}

impl ParsedFile<'_> {
    /// 1-based line and character column of a byte offset.
    pub fn line_col(&self, offset: u32) -> (u32, u32) {
        line_col_of(self.line_starts(), self.content, offset)
    }

    fn line_starts(&self) -> &[u32] {
        self.line_starts
            .get_or_init(|| line_starts_of(self.content))
    }

    /// Whether the file belongs to an installed package (`node_modules/...`).
    pub fn is_package(&self) -> bool {
        matches!(self.kind, FileKind::Package)
    }
}

/// Whether a (normalized) path is inside a `node_modules` folder.
pub(crate) fn is_package_path(path: &str) -> bool {
    path.starts_with("node_modules/") || path.contains("/node_modules/")
}

/// Where the lines of `content` start.
fn line_starts_of(content: &str) -> Vec<u32> {
    // About one line per 32 bytes of real code: one allocation in most files.
    let mut line_starts = Vec::with_capacity(content.len() / 32 + 2);
    line_starts.push(0u32);
    line_starts.extend(memchr::memchr_iter(b'\n', content.as_bytes()).map(|i| i as u32 + 1));
    line_starts
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
    /// Arena bytes of the package files parsed since (not counted as evaluation).
    pub package_bytes: Cell<usize>,
    pub files: Vec<ParsedFile<'a>>,
    pub by_path: HashMap<String, usize, FnvBuild>,
    /// The folders of the packages the request carries (`node_modules/<name>`, nested ones
    /// too), for bare imports.
    pub package_roots: HashSet<String, FnvBuild>,
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
    /// The font files of the request that parse.
    pub fonts: Vec<crate::fonts::FontFile>,
    /// Why the other font files are not used (`broken-font` warnings).
    pub broken_fonts: Vec<String>,
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
        let mut package_roots = HashSet::default();
        let mut load_warnings = Vec::new();
        let mut fonts = Vec::new();
        let mut broken_fonts = Vec::new();
        for f in files {
            let path = normalize_path(&f.path);
            // A binary file's base64 is no source text: nothing to scan or locate in it.
            let content: &'a str = if f.is_binary() { "" } else { &f.content };
            let line_starts = OnceCell::new();
            let kind = if f.is_binary() {
                match crate::images::image_file(f) {
                    Some(Ok(image)) => FileKind::Image(image),
                    Some(Err(why)) => {
                        load_warnings.push((format!("{why}; it is not shown"), None));
                        FileKind::Other
                    }
                    None => {
                        match crate::fonts::font_file(f, &path) {
                            Some(Ok(font)) => fonts.push(font),
                            Some(Err(why)) => broken_fonts.push(why),
                            None => {}
                        }
                        FileKind::Other
                    }
                }
            } else if is_package_path(&path) {
                if let Some(root) = crate::resolve::package_root_of(&path)
                    && !package_roots.contains(root)
                {
                    package_roots.insert(root.to_string());
                }
                FileKind::Package
            } else {
                let starts = line_starts.get_or_init(|| line_starts_of(content));
                parse_file(alloc, &path, content, limits.max_nesting_depth, starts)
            };
            by_path.insert(path.clone(), out.len());
            out.push(ParsedFile {
                shared_path: path.as_str().into(),
                path,
                content,
                kind,
                package_kind: OnceCell::new(),
                line_starts,
            });
        }
        Project {
            alloc,
            parsed_bytes: alloc.used_bytes(),
            package_bytes: Cell::new(0),
            files: out,
            by_path,
            package_roots,
            aliases: Aliases::default(),
            tw_colors: Vec::new(),
            target,
            limits: limits.clone(),
            started,
            cancel: cancel.clone(),
            load_warnings,
            fonts,
            broken_fonts,
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
        match self.kind(file) {
            FileKind::Script(p) => Some(p),
            _ => None,
        }
    }

    /// What file `file` is; a package file is parsed here on first use.
    pub fn kind(&self, file: usize) -> &FileKind<'a> {
        let f = &self.files[file];
        if !f.is_package() {
            return &f.kind;
        }
        f.package_kind.get_or_init(|| {
            let before = self.alloc.used_bytes();
            let kind = parse_file(
                self.alloc,
                &f.path,
                f.content,
                self.limits.max_nesting_depth,
                f.line_starts(),
            );
            let added = self.alloc.used_bytes().saturating_sub(before);
            self.package_bytes.set(self.package_bytes.get() + added);
            kind
        })
    }
}

/// Parses one file by its name: a script, JSON, or other.
fn parse_file<'a>(
    alloc: &'a Allocator,
    path: &str,
    content: &'a str,
    max_depth: usize,
    line_starts: &[u32],
) -> FileKind<'a> {
    if is_script_path(path) {
        parse_script(alloc, path, content, max_depth, line_starts)
    } else if path.ends_with(".json") {
        match serde_json::from_str(&prepass::strip_json_comments(content)) {
            Ok(v) => FileKind::Json(v),
            Err(e) => FileKind::Broken(format!("invalid JSON: {e}")),
        }
    } else {
        FileKind::Other
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
    // TypeScript files are never Flow, whatever their header comment says (templates copied
    // React Native's `@flow` licence header into `.tsx` files).
    let typescript = path.ends_with(".ts") || path.ends_with(".tsx");
    let is_flow = !typescript && prepass::has_flow_pragma(content);
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
/// An initializer that cannot be a component: a React context, an object, array or literal.
fn plainly_not_a_component(e: &oxc::ast::ast::Expression<'_>) -> bool {
    use oxc::ast::ast::Expression as E;
    match e.get_inner_expression() {
        E::CallExpression(c) => {
            let callee = match c.callee.get_inner_expression() {
                E::Identifier(i) => i.name.as_str(),
                E::StaticMemberExpression(m) => m.property.name.as_str(),
                _ => "",
            };
            callee == "createContext"
        }
        E::ObjectExpression(_)
        | E::ArrayExpression(_)
        | E::StringLiteral(_)
        | E::NumericLiteral(_)
        | E::BooleanLiteral(_)
        | E::TemplateLiteral(_) => true,
        _ => false,
    }
}

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
                    // `export const Card = ...`, unless it is plainly not a component: a
                    // context (`createContext(...)`), an object, array or literal.
                    Declaration::VariableDeclaration(v) => v
                        .declarations
                        .first()
                        .filter(|d| d.init.as_ref().is_none_or(|e| !plainly_not_a_component(e)))
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
