//! Static analysis of one source file with oxc: its documentable symbols (top-level functions,
//! React components and hooks, classes and their methods, interfaces, type aliases, enums,
//! exported constants), their exact positions, parameters or props, what their bodies do
//! (return a value, throw, call hooks), the doc comments they already carry (parsed with
//! `oxc_jsdoc`), and every identifier the file and its imports name (for the truthfulness gate).
//!
//! Positions: byte offsets into the source and 1-based line numbers. A symbol's `anchor` is the
//! start of the line its doc comment belongs above: the line of its first decorator or its
//! `export` keyword, whichever comes first, so a comment never lands between a decorator and
//! its class or inside a signature.

use std::collections::BTreeSet;

use oxc::allocator::Allocator;
use oxc::ast::ast::*;
use oxc::ast_visit::{Visit, walk};
use oxc::parser::Parser;
use oxc::span::{GetSpan, SourceType, Span};
use oxc::syntax::scope::ScopeFlags;
use serde::{Deserialize, Serialize};

use crate::DocsError;

/// What kind of thing a symbol is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SymbolKind {
    /// A plain function (declaration, or a function/arrow bound to a constant).
    Function,
    /// A React component: a capitalised function returning JSX (or wrapped in memo/forwardRef).
    Component,
    /// A React hook: a function called `useXxx`.
    Hook,
    /// A class.
    Class,
    /// A method, getter, setter or constructor of a documented class.
    Method,
    /// A constant or variable that is not a function.
    Variable,
    /// A TypeScript interface.
    Interface,
    /// A TypeScript type alias.
    Type,
    /// A TypeScript enum.
    Enum,
}

impl SymbolKind {
    /// Whether its doc lists parameters (and may return or throw).
    pub fn is_callable(self) -> bool {
        matches!(
            self,
            SymbolKind::Function | SymbolKind::Component | SymbolKind::Hook | SymbolKind::Method
        )
    }

    /// Its name in ids and documents.
    pub fn as_str(self) -> &'static str {
        match self {
            SymbolKind::Function => "function",
            SymbolKind::Component => "component",
            SymbolKind::Hook => "hook",
            SymbolKind::Class => "class",
            SymbolKind::Method => "method",
            SymbolKind::Variable => "variable",
            SymbolKind::Interface => "interface",
            SymbolKind::Type => "type",
            SymbolKind::Enum => "enum",
        }
    }
}

/// One parameter (or, for a component, one prop).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Param {
    /// Its name (`...rest` parameters without the dots).
    pub name: String,
    /// Its type as written in the source, when annotated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub type_text: Option<String>,
    /// Optional or with a default value.
    pub optional: bool,
}

/// A doc comment a symbol already has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExistingDoc {
    /// The comment's description (the text before the first tag).
    pub description: String,
    /// Names of its `@param` tags.
    pub params: Vec<String>,
    /// Whether it has `@returns`/`@return`.
    pub returns: bool,
    /// First line of the comment (1-based).
    pub line: u32,
}

/// One documentable symbol with its exact place in the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Symbol {
    /// Stable id the model answers with: `{name}@{line}` (`Class.method@{line}` for methods).
    pub id: String,
    /// Its name (`default` for an anonymous default export).
    pub name: String,
    /// What it is.
    pub kind: SymbolKind,
    /// Exported (named or default).
    pub exported: bool,
    /// The default export.
    pub default_export: bool,
    /// First line of the declaration itself (1-based), after decorators and `export`.
    pub line: u32,
    /// First line of the whole statement: its first decorator or `export` keyword.
    pub start_line: u32,
    /// Last line (1-based).
    pub end_line: u32,
    /// Byte offset of the start of `start_line`: where a doc comment is inserted.
    pub anchor: u32,
    /// Byte offset where the statement ends.
    pub end: u32,
    /// The whitespace that starts `start_line`.
    pub indent: String,
    /// Whether only whitespace precedes the statement on its line (else no comment can be
    /// inserted above it without moving code).
    pub own_line: bool,
    /// The declaration's first line as written (signature), at most 200 characters.
    pub signature: String,
    /// Parameters in order; a component's props.
    pub params: Vec<Param>,
    /// Its body returns a value (a `return x`, an expression-bodied arrow, or a declared
    /// non-void return type).
    pub returns_value: bool,
    /// Its body throws (a `throw` outside nested functions).
    pub throws: bool,
    /// Hooks it calls (`useState`, ...), in order of first call.
    pub hooks: Vec<String>,
    /// The doc comment it already carries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub existing_doc: Option<ExistingDoc>,
    /// The enclosing class's id, for methods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Index of the top-level statement it belongs to (splitting keeps statements whole).
    pub statement: usize,
}

/// The line ending a file uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LineEnding {
    /// `\n`
    #[serde(rename = "lf")]
    Lf,
    /// `\r\n`
    #[serde(rename = "crlf")]
    Crlf,
}

impl LineEnding {
    /// The characters.
    pub fn as_str(self) -> &'static str {
        match self {
            LineEnding::Lf => "\n",
            LineEnding::Crlf => "\r\n",
        }
    }

    /// The ending most of `text`'s lines use (LF when there are none).
    pub fn of(text: &str) -> LineEnding {
        let lf = text.matches('\n').count();
        let crlf = text.matches("\r\n").count();
        if crlf * 2 > lf {
            LineEnding::Crlf
        } else {
            LineEnding::Lf
        }
    }
}

/// One top-level statement's byte range (what splitting works with).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementRange {
    /// Start of its first line (decorators and leading comments included).
    pub start: u32,
    /// End of its last line.
    pub end: u32,
    /// An import declaration (every chunk repeats them).
    pub import: bool,
}

/// What the analysis found in one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Analysis {
    /// The file's path as sent.
    pub path: String,
    /// `typescript`, `tsx`, `javascript` or `jsx`.
    pub language: String,
    /// The file's line ending.
    pub line_ending: LineEnding,
    /// Lines in the file.
    pub lines: u32,
    /// Documentable symbols, in source order (a class before its methods).
    pub symbols: Vec<Symbol>,
    /// Module specifiers imported from.
    pub imports: Vec<String>,
    /// Every identifier the file declares, references, imports or uses as a property name.
    pub identifiers: BTreeSet<String>,
    /// Top-level statements in order.
    pub statements: Vec<StatementRange>,
}

impl Analysis {
    /// The symbol with id `id`.
    pub fn symbol(&self, id: &str) -> Option<&Symbol> {
        self.symbols.iter().find(|s| s.id == id)
    }
}

/// The source type oxc parses `path` as (TypeScript with JSX when the extension says nothing
/// else: React Native sources mix them).
pub fn source_type(path: &str) -> (SourceType, &'static str) {
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".ts") || lower.ends_with(".mts") || lower.ends_with(".cts") {
        (SourceType::ts(), "typescript")
    } else if lower.ends_with(".jsx") {
        (SourceType::jsx(), "jsx")
    } else if lower.ends_with(".js") || lower.ends_with(".mjs") || lower.ends_with(".cjs") {
        (SourceType::jsx(), "javascript")
    } else {
        (SourceType::tsx(), "tsx")
    }
}

/// Parses `source`; the first syntax error as a [`DocsError::Syntax`] with its line.
pub(crate) fn parse<'a>(
    alloc: &'a Allocator,
    path: &str,
    source: &'a str,
) -> Result<Program<'a>, DocsError> {
    let (st, _) = source_type(path);
    let ret = Parser::new(alloc, source, st).parse();
    if ret.panicked || ret.diagnostics.has_errors() {
        let d = ret.diagnostics.errors().next();
        let offset = d
            .and_then(|d| d.labels.first().map(|l| l.offset()))
            .unwrap_or(0);
        return Err(DocsError::Syntax {
            line: line_of(source, offset),
            message: d.map_or_else(
                || "the parser gave up".to_owned(),
                |d| d.message.to_string(),
            ),
        });
    }
    Ok(ret.program)
}

/// 1-based line of byte `offset`.
pub fn line_of(source: &str, offset: u32) -> u32 {
    let end = (offset as usize).min(source.len());
    source.as_bytes()[..end]
        .iter()
        .filter(|b| **b == b'\n')
        .count() as u32
        + 1
}

fn line_start(source: &str, offset: u32) -> u32 {
    let end = (offset as usize).min(source.len());
    source[..end].rfind('\n').map_or(0, |i| i + 1) as u32
}

fn line_end(source: &str, offset: u32) -> u32 {
    let start = (offset as usize).min(source.len());
    source[start..]
        .find('\n')
        .map_or(source.len(), |i| start + i + 1) as u32
}

/// Analyses one file.
pub fn analyze(path: &str, source: &str) -> Result<Analysis, DocsError> {
    let alloc = Allocator::default();
    let program = parse(&alloc, path, source)?;
    let (_, language) = source_type(path);
    let mut a = Analyzer {
        source,
        program: &program,
        symbols: Vec::new(),
        statement: 0,
    };
    let mut statements = Vec::new();
    let mut imports = Vec::new();
    let mut prop_types: Vec<(String, Vec<String>)> = Vec::new();
    for (i, stmt) in program.body.iter().enumerate() {
        a.statement = i;
        let start = line_start(source, statement_start(stmt));
        statements.push(StatementRange {
            start,
            end: line_end(source, stmt.span().end.saturating_sub(1).max(start)),
            import: matches!(stmt, Statement::ImportDeclaration(_)),
        });
        match stmt {
            Statement::ImportDeclaration(d) => imports.push(d.source.value.to_string()),
            Statement::ExpressionStatement(e) => {
                if let Some((name, keys)) = prop_types_assignment(&e.expression) {
                    prop_types.push((name, keys));
                }
            }
            _ => a.statement(stmt),
        }
    }
    // `Button.propTypes = {...}` names the props of a component declared without types.
    for (name, keys) in prop_types {
        if let Some(s) = a
            .symbols
            .iter_mut()
            .find(|s| s.name == name && s.kind == SymbolKind::Component)
        {
            for k in keys {
                if !s.params.iter().any(|p| p.name == k) {
                    s.params.push(Param {
                        name: k,
                        type_text: None,
                        optional: true,
                    });
                }
            }
        }
    }
    let mut ids = Identifiers::default();
    ids.visit_program(&program);
    Ok(Analysis {
        path: path.to_owned(),
        language: language.to_owned(),
        line_ending: LineEnding::of(source),
        lines: source.lines().count() as u32,
        symbols: a.symbols,
        imports,
        identifiers: ids.names,
        statements,
    })
}

/// Where a statement starts, decorators included (a decorator may precede `export`).
fn statement_start(stmt: &Statement) -> u32 {
    let mut start = stmt.span().start;
    let class = match stmt {
        Statement::ClassDeclaration(c) => Some(&**c),
        Statement::ExportNamedDeclaration(_) => None,
        Statement::ExportDeclaration(d) => match &d.declaration {
            Declaration::ClassDeclaration(c) => Some(&**c),
            _ => None,
        },
        Statement::ExportDefaultDeclaration(d) => match &d.declaration {
            ExportDefaultDeclarationKind::ClassDeclaration(c) => Some(&**c),
            _ => None,
        },
        _ => None,
    };
    if let Some(c) = class {
        for d in &c.decorators {
            start = start.min(d.span.start);
        }
    }
    start
}

/// `Name.propTypes = { a: ..., b: ... }`: the component's name and the keys.
fn prop_types_assignment(e: &Expression) -> Option<(String, Vec<String>)> {
    let Expression::AssignmentExpression(a) = e else {
        return None;
    };
    let AssignmentTarget::StaticMemberExpression(m) = &a.left else {
        return None;
    };
    if m.property.name.as_str() != "propTypes" {
        return None;
    }
    let Expression::Identifier(obj) = &m.object else {
        return None;
    };
    let Expression::ObjectExpression(o) = &a.right else {
        return None;
    };
    let keys = o
        .properties
        .iter()
        .filter_map(|p| match p {
            ObjectPropertyKind::ObjectProperty(p) => p.key.static_name().map(|n| n.to_string()),
            ObjectPropertyKind::SpreadProperty(_) => None,
        })
        .collect();
    Some((obj.name.to_string(), keys))
}

struct Analyzer<'s, 'a> {
    source: &'s str,
    program: &'s Program<'a>,
    symbols: Vec<Symbol>,
    statement: usize,
}

/// How a declaration is exported.
#[derive(Clone, Copy)]
struct Export {
    named: bool,
    default: bool,
}

const NOT_EXPORTED: Export = Export {
    named: false,
    default: false,
};

impl<'s, 'a> Analyzer<'s, 'a> {
    fn statement(&mut self, stmt: &Statement<'a>) {
        let outer = Span::new(statement_start(stmt), stmt.span().end);
        match stmt {
            Statement::FunctionDeclaration(f) => self.function(f, outer, NOT_EXPORTED),
            Statement::ClassDeclaration(c) => self.class(c, outer, NOT_EXPORTED),
            Statement::VariableDeclaration(v) => self.variables(v, outer, NOT_EXPORTED),
            Statement::TSInterfaceDeclaration(i) => self.simple(
                &i.id.name,
                SymbolKind::Interface,
                i.span,
                outer,
                NOT_EXPORTED,
            ),
            Statement::TSTypeAliasDeclaration(t) => {
                self.simple(&t.id.name, SymbolKind::Type, t.span, outer, NOT_EXPORTED)
            }
            Statement::TSEnumDeclaration(e) => {
                self.simple(&e.id.name, SymbolKind::Enum, e.span, outer, NOT_EXPORTED)
            }
            Statement::ExportDeclaration(d) => {
                let ex = Export {
                    named: true,
                    default: false,
                };
                match &d.declaration {
                    Declaration::FunctionDeclaration(f) => self.function(f, outer, ex),
                    Declaration::ClassDeclaration(c) => self.class(c, outer, ex),
                    Declaration::VariableDeclaration(v) => self.variables(v, outer, ex),
                    Declaration::TSInterfaceDeclaration(i) => {
                        self.simple(&i.id.name, SymbolKind::Interface, i.span, outer, ex)
                    }
                    Declaration::TSTypeAliasDeclaration(t) => {
                        self.simple(&t.id.name, SymbolKind::Type, t.span, outer, ex)
                    }
                    Declaration::TSEnumDeclaration(e) => {
                        self.simple(&e.id.name, SymbolKind::Enum, e.span, outer, ex)
                    }
                    _ => {}
                }
            }
            Statement::ExportDefaultDeclaration(d) => {
                let ex = Export {
                    named: true,
                    default: true,
                };
                match &d.declaration {
                    ExportDefaultDeclarationKind::FunctionDeclaration(f) => {
                        self.function(f, outer, ex)
                    }
                    ExportDefaultDeclarationKind::ClassDeclaration(c) => self.class(c, outer, ex),
                    ExportDefaultDeclarationKind::TSInterfaceDeclaration(i) => {
                        self.simple(&i.id.name, SymbolKind::Interface, i.span, outer, ex)
                    }
                    other => {
                        if let Some(e) = other.as_expression() {
                            self.expression("default", e, e.span(), outer, ex, None);
                        }
                    }
                }
            }
            Statement::ExportNamedDeclaration(d) => {
                // `export { a, b as c }`: the local declarations become exported.
                for s in &d.specifiers {
                    let local = s.local.name().to_string();
                    for sym in self.symbols.iter_mut().filter(|x| x.name == local) {
                        sym.exported = true;
                    }
                }
            }
            _ => {}
        }
    }

    fn push(&mut self, mut sym: Symbol) {
        // TypeScript overloads share one doc, above the first signature.
        if sym.parent.is_none()
            && let Some(first) = self
                .symbols
                .iter_mut()
                .find(|s| s.name == sym.name && s.kind == sym.kind && s.parent.is_none())
            && sym.kind.is_callable()
        {
            first.returns_value |= sym.returns_value;
            first.throws |= sym.throws;
            for h in sym.hooks.drain(..) {
                if !first.hooks.contains(&h) {
                    first.hooks.push(h);
                }
            }
            for p in sym.params {
                if !first.params.iter().any(|q| q.name == p.name) {
                    first.params.push(Param {
                        optional: true,
                        ..p
                    });
                }
            }
            first.end_line = sym.end_line;
            first.end = sym.end;
            return;
        }
        self.symbols.push(sym);
    }

    fn base(
        &self,
        name: &str,
        kind: SymbolKind,
        inner: Span,
        outer: Span,
        ex: Export,
        parent: Option<String>,
    ) -> Symbol {
        let src = self.source;
        let anchor = line_start(src, outer.start);
        let line = line_of(src, inner.start);
        let start_line = line_of(src, outer.start);
        let prefix = &src[anchor as usize..outer.start as usize];
        let indent: String = prefix
            .chars()
            .take_while(|c| *c == ' ' || *c == '\t')
            .collect();
        let own_line = prefix.chars().all(|c| c == ' ' || c == '\t');
        let sig_line = &src[line_start(src, inner.start) as usize..];
        let signature: String = sig_line
            .lines()
            .next()
            .unwrap_or("")
            .trim()
            .chars()
            .take(200)
            .collect();
        let id = match &parent {
            Some(p) => {
                let class = p.split('@').next().unwrap_or(p);
                format!("{class}.{name}@{line}")
            }
            None => format!("{name}@{line}"),
        };
        Symbol {
            id,
            name: name.to_owned(),
            kind,
            exported: ex.named,
            default_export: ex.default,
            line,
            start_line,
            end_line: line_of(src, outer.end.saturating_sub(1).max(outer.start)),
            anchor,
            end: outer.end,
            indent,
            own_line,
            signature,
            params: Vec::new(),
            returns_value: false,
            throws: false,
            hooks: Vec::new(),
            existing_doc: self.existing_doc(outer.start),
            parent,
            statement: self.statement,
        }
    }

    /// The JSDoc comment attached to the token at `start`.
    fn existing_doc(&self, start: u32) -> Option<ExistingDoc> {
        let c = self
            .program
            .comments
            .iter()
            .rev()
            .find(|c| c.attached_to == start && c.is_jsdoc())?;
        let content = c.content_span().source_text(self.source);
        let doc = oxc_jsdoc::JSDoc::new(content, c.content_span());
        let mut params = Vec::new();
        let mut returns = false;
        for tag in doc.tags() {
            match tag.kind.parsed() {
                "param" | "arg" | "argument" | "prop" | "property" => {
                    let (_, name, _) = tag.type_name_comment();
                    if let Some(n) = name {
                        params.push(
                            n.parsed()
                                .trim_matches(|c| c == '[' || c == ']')
                                .split('=')
                                .next()
                                .unwrap_or("")
                                .to_owned(),
                        );
                    }
                }
                "returns" | "return" => returns = true,
                _ => {}
            }
        }
        Some(ExistingDoc {
            description: doc.comment().parsed(),
            params,
            returns,
            line: line_of(self.source, c.span.start),
        })
    }

    fn simple(&mut self, name: &str, kind: SymbolKind, inner: Span, outer: Span, ex: Export) {
        let sym = self.base(name, kind, inner, outer, ex, None);
        self.push(sym);
    }

    fn text(&self, span: Span) -> String {
        span.source_text(self.source).to_owned()
    }

    fn params(&self, params: &FormalParameters<'a>) -> Vec<Param> {
        let mut out = Vec::new();
        for p in &params.items {
            let type_text = p
                .type_annotation
                .as_ref()
                .map(|t| self.text(t.type_annotation.span()));
            let optional = p.optional || p.initializer.is_some();
            match &p.pattern {
                BindingPattern::ObjectPattern(o) => {
                    // Destructured options: each key is documented on its own.
                    for prop in &o.properties {
                        if let Some(k) = prop.key.static_name() {
                            out.push(Param {
                                name: k.to_string(),
                                type_text: None,
                                optional: optional
                                    || matches!(prop.value, BindingPattern::AssignmentPattern(_)),
                            });
                        }
                    }
                }
                pattern => out.push(Param {
                    name: pattern_name(pattern).unwrap_or_else(|| format!("arg{}", out.len())),
                    type_text,
                    optional: optional || matches!(pattern, BindingPattern::AssignmentPattern(_)),
                }),
            }
        }
        if let Some(rest) = &params.rest
            && let Some(name) = pattern_name(&rest.rest.argument)
        {
            out.push(Param {
                name,
                type_text: rest
                    .type_annotation
                    .as_ref()
                    .map(|t| self.text(t.type_annotation.span())),
                optional: true,
            });
        }
        out
    }

    /// The prop names of a component's first parameter: destructured keys, else the members of
    /// the interface or type literal its annotation names in this file.
    fn props(&self, params: &FormalParameters<'a>) -> Vec<Param> {
        let Some(first) = params.items.first() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        if let BindingPattern::ObjectPattern(o) = &first.pattern {
            for prop in &o.properties {
                if let Some(k) = prop.key.static_name() {
                    out.push(Param {
                        name: k.to_string(),
                        type_text: None,
                        optional: matches!(prop.value, BindingPattern::AssignmentPattern(_)),
                    });
                }
            }
        }
        if let Some(t) = &first.type_annotation {
            for (name, type_text, optional) in self.type_members(&t.type_annotation) {
                match out.iter_mut().find(|p| p.name == name) {
                    Some(p) => {
                        p.type_text = type_text;
                        p.optional |= optional;
                    }
                    None => out.push(Param {
                        name,
                        type_text,
                        optional,
                    }),
                }
            }
        }
        out
    }

    /// Members `(name, type, optional)` of a type literal, or of the interface / type alias a
    /// reference names in this file.
    fn type_members(&self, t: &TSType<'a>) -> Vec<(String, Option<String>, bool)> {
        let members = |sigs: &[TSSignature<'a>]| -> Vec<(String, Option<String>, bool)> {
            sigs.iter()
                .filter_map(|s| match s {
                    TSSignature::TSPropertySignature(p) => p.key.static_name().map(|n| {
                        (
                            n.to_string(),
                            p.type_annotation
                                .as_ref()
                                .map(|t| self.text(t.type_annotation.span())),
                            p.optional,
                        )
                    }),
                    TSSignature::TSMethodSignature(m) => m
                        .key
                        .static_name()
                        .map(|n| (n.to_string(), None, m.optional)),
                    _ => None,
                })
                .collect()
        };
        match t {
            TSType::TSTypeLiteral(l) => members(&l.members),
            TSType::TSTypeReference(r) => {
                let TSTypeName::IdentifierReference(id) = &r.type_name else {
                    return Vec::new();
                };
                let name = id.name.as_str();
                // React.FC<Props> style wrappers are not followed; a local type is.
                for stmt in &self.program.body {
                    let decl = match stmt {
                        Statement::ExportDeclaration(d) => Some(&d.declaration),
                        _ => None,
                    };
                    let (iface, alias) = match (stmt, decl) {
                        (Statement::TSInterfaceDeclaration(i), _)
                        | (_, Some(Declaration::TSInterfaceDeclaration(i))) => (Some(i), None),
                        (Statement::TSTypeAliasDeclaration(t), _)
                        | (_, Some(Declaration::TSTypeAliasDeclaration(t))) => (None, Some(t)),
                        _ => (None, None),
                    };
                    if let Some(i) = iface
                        && i.id.name.as_str() == name
                    {
                        return members(&i.body.body);
                    }
                    if let Some(t) = alias
                        && t.id.name.as_str() == name
                    {
                        return self.type_members(&t.type_annotation);
                    }
                }
                Vec::new()
            }
            TSType::TSIntersectionType(i) => {
                i.types.iter().flat_map(|t| self.type_members(t)).collect()
            }
            _ => Vec::new(),
        }
    }

    fn function(&mut self, f: &Function<'a>, outer: Span, ex: Export) {
        let name =
            f.id.as_ref()
                .map_or_else(|| "default".to_owned(), |i| i.name.to_string());
        let mut facts = BodyFacts::default();
        if let Some(body) = &f.body {
            facts.visit_function_body(body);
        }
        let declared_return = f
            .return_type
            .as_ref()
            .map(|t| self.text(t.type_annotation.span()));
        let kind = classify(&name, facts.jsx);
        let mut sym = self.base(&name, kind, f.span, outer, ex, None);
        sym.params = if kind == SymbolKind::Component {
            self.props(&f.params)
        } else {
            self.params(&f.params)
        };
        sym.returns_value = returns(kind, facts.returns_value, declared_return.as_deref());
        sym.throws = facts.throws;
        sym.hooks = facts.hooks;
        self.push(sym);
    }

    fn class(&mut self, c: &Class<'a>, outer: Span, ex: Export) {
        let name =
            c.id.as_ref()
                .map_or_else(|| "default".to_owned(), |i| i.name.to_string());
        let sym = self.base(&name, SymbolKind::Class, c.span, outer, ex, None);
        let class_id = sym.id.clone();
        self.push(sym);
        for el in &c.body.body {
            let ClassElement::MethodDefinition(m) = el else {
                continue;
            };
            let Some(mname) = m.key.static_name() else {
                continue;
            };
            let mut start = m.span.start;
            for d in &m.decorators {
                start = start.min(d.span.start);
            }
            let mut facts = BodyFacts::default();
            if let Some(body) = &m.value.body {
                facts.visit_function_body(body);
            }
            let declared = m
                .value
                .return_type
                .as_ref()
                .map(|t| self.text(t.type_annotation.span()));
            let mut sym = self.base(
                &mname,
                SymbolKind::Method,
                m.key.span(),
                Span::new(start, m.span.end),
                NOT_EXPORTED,
                Some(class_id.clone()),
            );
            // Overloaded methods share the doc above the first signature.
            if let Some(first) = self.symbols.iter_mut().find(|s| {
                s.parent.as_deref() == Some(class_id.as_str()) && s.name == mname.as_ref()
            }) {
                first.returns_value |= returns(SymbolKind::Method, facts.returns_value, None);
                first.throws |= facts.throws;
                first.end_line = sym.end_line;
                continue;
            }
            sym.params = self.params(&m.value.params);
            sym.returns_value = m.kind != MethodDefinitionKind::Constructor
                && m.kind != MethodDefinitionKind::Set
                && returns(SymbolKind::Method, facts.returns_value, declared.as_deref());
            sym.throws = facts.throws;
            sym.hooks = facts.hooks;
            self.symbols.push(sym);
        }
    }

    fn variables(&mut self, v: &VariableDeclaration<'a>, outer: Span, ex: Export) {
        let single = v.declarations.len() == 1;
        for d in &v.declarations {
            let Some(name) = pattern_name(&d.id) else {
                continue;
            };
            // With several declarators the doc of the statement belongs to the first only.
            if !single && d.span.start != v.declarations[0].span.start {
                continue;
            }
            match &d.init {
                Some(e) => {
                    let type_text = d
                        .type_annotation
                        .as_ref()
                        .map(|t| self.text(t.type_annotation.span()));
                    self.expression(&name, e, d.span, outer, ex, type_text)
                }
                None => self.simple(&name, SymbolKind::Variable, d.span, outer, ex),
            }
        }
    }

    /// A symbol bound to an expression: a function, a wrapped component
    /// (`memo(...)`, `forwardRef(...)`), or a plain value.
    fn expression(
        &mut self,
        name: &str,
        e: &Expression<'a>,
        inner: Span,
        outer: Span,
        ex: Export,
        annotation: Option<String>,
    ) {
        let mut e = e;
        let mut wrapped = false;
        // memo(forwardRef((props, ref) => ...)) and the like.
        while let Expression::CallExpression(call) = e {
            let callee = match &call.callee {
                Expression::Identifier(i) => i.name.to_string(),
                Expression::StaticMemberExpression(m) => m.property.name.to_string(),
                _ => String::new(),
            };
            let arg = call.arguments.first().and_then(|a| a.as_expression());
            match (callee.as_str(), arg) {
                ("memo" | "forwardRef" | "observer" | "styled", Some(inner)) => {
                    wrapped = true;
                    e = inner;
                }
                _ => break,
            }
        }
        while let Expression::ParenthesizedExpression(p) = e {
            e = &p.expression;
        }
        let fc_annotation = annotation
            .as_deref()
            .is_some_and(|a| a.contains("FC") || a.contains("FunctionComponent"));
        match e {
            Expression::ArrowFunctionExpression(f) => {
                let mut facts = BodyFacts::default();
                let expression_body = match &f.body {
                    ArrowFunctionBody::FunctionBody(b) => {
                        facts.visit_function_body(b);
                        false
                    }
                    other => {
                        if let Some(x) = other.as_expression() {
                            facts.visit_expression(x);
                        }
                        true
                    }
                };
                let kind = classify(name, facts.jsx || wrapped || fc_annotation);
                let declared = f
                    .return_type
                    .as_ref()
                    .map(|t| self.text(t.type_annotation.span()));
                let mut sym = self.base(name, kind, inner, outer, ex, None);
                sym.params = if kind == SymbolKind::Component {
                    self.props(&f.params)
                } else {
                    self.params(&f.params)
                };
                sym.returns_value = returns(
                    kind,
                    facts.returns_value || expression_body,
                    declared.as_deref(),
                );
                sym.throws = facts.throws;
                sym.hooks = facts.hooks;
                self.push(sym);
            }
            Expression::FunctionExpression(f) => {
                let mut facts = BodyFacts::default();
                if let Some(b) = &f.body {
                    facts.visit_function_body(b);
                }
                let kind = classify(name, facts.jsx || wrapped || fc_annotation);
                let declared = f
                    .return_type
                    .as_ref()
                    .map(|t| self.text(t.type_annotation.span()));
                let mut sym = self.base(name, kind, inner, outer, ex, None);
                sym.params = if kind == SymbolKind::Component {
                    self.props(&f.params)
                } else {
                    self.params(&f.params)
                };
                sym.returns_value = returns(kind, facts.returns_value, declared.as_deref());
                sym.throws = facts.throws;
                sym.hooks = facts.hooks;
                self.push(sym);
            }
            Expression::ClassExpression(_) => {
                self.simple(name, SymbolKind::Class, inner, outer, ex);
            }
            _ => {
                let kind = if wrapped {
                    SymbolKind::Component
                } else {
                    SymbolKind::Variable
                };
                self.simple(name, kind, inner, outer, ex);
            }
        }
    }
}

/// A components's "return value" is its element; declared `void`/`never` returns nothing.
fn returns(kind: SymbolKind, body_returns: bool, declared: Option<&str>) -> bool {
    if kind == SymbolKind::Component {
        return false;
    }
    match declared.map(str::trim) {
        Some("void" | "never" | "undefined" | "Promise<void>") => false,
        Some(_) => true,
        None => body_returns,
    }
}

fn classify(name: &str, jsx: bool) -> SymbolKind {
    let mut chars = name.chars();
    let first = chars.next().unwrap_or('a');
    if name.len() > 3 && name.starts_with("use") && name[3..].starts_with(char::is_uppercase) {
        SymbolKind::Hook
    } else if first.is_uppercase() && jsx {
        SymbolKind::Component
    } else {
        SymbolKind::Function
    }
}

fn pattern_name(p: &BindingPattern) -> Option<String> {
    match p {
        BindingPattern::BindingIdentifier(id) => Some(id.name.to_string()),
        BindingPattern::AssignmentPattern(a) => pattern_name(&a.left),
        _ => None,
    }
}

/// What a function body does, not looking into nested functions.
#[derive(Default)]
struct BodyFacts {
    returns_value: bool,
    throws: bool,
    jsx: bool,
    hooks: Vec<String>,
}

impl<'a> Visit<'a> for BodyFacts {
    fn visit_return_statement(&mut self, it: &ReturnStatement<'a>) {
        if let Some(arg) = &it.argument {
            self.returns_value = true;
            let mut e = arg;
            while let Expression::ParenthesizedExpression(p) = e {
                e = &p.expression;
            }
            if matches!(e, Expression::JSXElement(_) | Expression::JSXFragment(_)) {
                self.jsx = true;
            }
        }
        walk::walk_return_statement(self, it);
    }

    fn visit_throw_statement(&mut self, it: &ThrowStatement<'a>) {
        self.throws = true;
        walk::walk_throw_statement(self, it);
    }

    fn visit_jsx_element(&mut self, it: &JSXElement<'a>) {
        self.jsx = true;
        walk::walk_jsx_element(self, it);
    }

    fn visit_jsx_fragment(&mut self, it: &JSXFragment<'a>) {
        self.jsx = true;
        walk::walk_jsx_fragment(self, it);
    }

    fn visit_call_expression(&mut self, it: &CallExpression<'a>) {
        let name = match &it.callee {
            Expression::Identifier(i) => Some(i.name.as_str()),
            Expression::StaticMemberExpression(m) => Some(m.property.name.as_str()),
            _ => None,
        };
        if let Some(n) = name
            && n.len() > 3
            && n.starts_with("use")
            && n[3..].starts_with(char::is_uppercase)
            && !self.hooks.iter().any(|h| h == n)
        {
            self.hooks.push(n.to_owned());
        }
        walk::walk_call_expression(self, it);
    }

    // Nested functions return and throw for themselves (JSX inside them still renders).
    fn visit_function(&mut self, it: &Function<'a>, _flags: ScopeFlags) {
        let mut inner = BodyFacts::default();
        if let Some(b) = &it.body {
            inner.visit_function_body(b);
        }
        self.jsx |= inner.jsx;
    }

    fn visit_arrow_function_expression(&mut self, it: &ArrowFunctionExpression<'a>) {
        let mut inner = BodyFacts::default();
        walk::walk_arrow_function_expression(&mut inner, it);
        self.jsx |= inner.jsx;
        for h in inner.hooks {
            if !self.hooks.contains(&h) {
                self.hooks.push(h);
            }
        }
    }
}

/// Every name the file uses.
#[derive(Default)]
struct Identifiers {
    names: BTreeSet<String>,
}

impl<'a> Visit<'a> for Identifiers {
    fn visit_identifier_name(&mut self, it: &IdentifierName<'a>) {
        self.names.insert(it.name.to_string());
    }

    fn visit_identifier_reference(&mut self, it: &IdentifierReference<'a>) {
        self.names.insert(it.name.to_string());
    }

    fn visit_binding_identifier(&mut self, it: &BindingIdentifier<'a>) {
        self.names.insert(it.name.to_string());
    }

    fn visit_jsx_identifier(&mut self, it: &JSXIdentifier<'a>) {
        self.names.insert(it.name.to_string());
    }

    fn visit_import_declaration(&mut self, it: &ImportDeclaration<'a>) {
        // `react-native`, and its last path segment (`./api/client` -> `client`).
        let source = it.source.value.as_str();
        self.names.insert(source.to_owned());
        if let Some(last) = source.rsplit('/').next() {
            self.names.insert(last.to_owned());
        }
        walk::walk_import_declaration(self, it);
    }
}
