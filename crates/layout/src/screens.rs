//! Screen discovery (React Navigation, expo-router, a default-exported root, or names given in
//! the request) and the per-screen compile that produces the Layout JSON documents.

use std::collections::HashMap;

use oxc::ast::ast::{
    ArrowFunctionBody, CallExpression, Expression, JSXAttributeItem, JSXAttributeName,
    JSXAttributeValue, JSXChild, JSXElement, JSXElementName, JSXExpression,
    JSXMemberExpressionObject, JSXOpeningElement, ObjectPropertyKind, Statement,
};
use oxc::ast_visit::{Visit, walk};
use serde_json::Value as Json;

use crate::document::{Asset, DocumentSource, LayoutDocument, Node, SCHEMA_VERSION, Size, Warning};
use crate::fnv::Fnv;
use crate::interp::{Fatal, Interp};
use crate::project::{FileKind, Project};
use crate::{
    CompileError, CompileOutput, CompileRequest, PendingSnapshot, ScreenFailure, ScreenOutput,
    device,
};

/// A screen found in the project: which binding of which module renders it.
#[derive(Debug, Clone)]
struct ScreenDef {
    name: String,
    id: String,
    module: usize,
    /// Binding path in the module: `["HomeScreen"]`, `["Screens", "Home"]` or `["default"]`.
    path: Vec<String>,
    /// Other names that navigation may use for this screen (route names, hrefs).
    aliases: Vec<String>,
}

/// `^[a-z0-9][a-z0-9_-]{0,63}$` from any name.
pub(crate) fn slug(name: &str) -> String {
    let mut out = String::new();
    let mut prev_dash = true;
    let mut prev_lower = false;
    for c in name.chars() {
        if c.is_ascii_uppercase() && prev_lower && !prev_dash {
            out.push('-');
        }
        if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c.to_ascii_lowercase());
            prev_dash = false;
            prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        } else if !prev_dash {
            out.push('-');
            prev_dash = true;
            prev_lower = false;
        }
    }
    let mut s = out.trim_matches(|c| c == '-' || c == '_').to_string();
    s.truncate(64);
    let s = s.trim_end_matches('-').to_string();
    if s.is_empty() { "screen".into() } else { s }
}

struct NavCollector {
    found: Vec<(String, Vec<String>)>,
    /// The component names react-native-navigation's `Navigation.setRoot` layouts show, in
    /// order (`{component: {name: 'Home'}}` anywhere in the layout).
    roots: Vec<String>,
}

/// The literal `name`s of `component: { name }` entries in a `setRoot` layout, in order.
fn layout_component_names(e: &Expression<'_>, out: &mut Vec<String>) {
    match e.get_inner_expression() {
        Expression::ObjectExpression(o) => {
            for p in &o.properties {
                let ObjectPropertyKind::ObjectProperty(p) = p else {
                    continue;
                };
                let key = p.key.static_name();
                if key.as_deref() == Some("component")
                    && let Expression::ObjectExpression(c) = p.value.get_inner_expression()
                {
                    for cp in &c.properties {
                        if let ObjectPropertyKind::ObjectProperty(cp) = cp
                            && cp.key.static_name().as_deref() == Some("name")
                            && let Expression::StringLiteral(n) = cp.value.get_inner_expression()
                        {
                            out.push(n.value.to_string());
                        }
                    }
                } else {
                    layout_component_names(&p.value, out);
                }
            }
        }
        Expression::ArrayExpression(a) => {
            for el in &a.elements {
                if let Some(e) = el.as_expression() {
                    layout_component_names(e, out);
                }
            }
        }
        _ => {}
    }
}

/// Whether a file's text can hold what [`NavCollector`] looks for: a `create...Navigator(...)`
/// call or a `<X.Screen>` element. Most files are screens and components that mention
/// neither, and skip the walk over their syntax tree. (Names written with `\u` escapes are
/// treated as possible matches.)
fn may_declare_screens(content: &str) -> bool {
    let b = content.as_bytes();
    if memchr::memmem::find(b, b"Navigator").is_some()
        || memchr::memmem::find(b, b"registerComponent").is_some()
        || memchr::memmem::find(b, b"\\u").is_some()
    {
        return true;
    }
    memchr::memmem::find_iter(b, b"Screen").any(|at| {
        b[..at]
            .iter()
            .rev()
            .find(|c| !c.is_ascii_whitespace())
            .is_some_and(|&c| c == b'.')
    })
}

fn expr_path(e: &Expression<'_>) -> Option<Vec<String>> {
    match e.get_inner_expression() {
        Expression::Identifier(i) => Some(vec![i.name.to_string()]),
        Expression::StaticMemberExpression(m) => {
            let mut p = expr_path(&m.object)?;
            p.push(m.property.name.to_string());
            Some(p)
        }
        _ => None,
    }
}

/// The component a registration's provider function returns: `() => Home`,
/// `() => wrap(Home)`, `() => wrap(options)(Home)`, `function () { return Home; }`, or an
/// inline component (`() => () => <Provider store={store}><App /></Provider>`): the
/// component its JSX ends in ([`jsx_component`]).
fn registered_component(e: &Expression<'_>) -> Option<Vec<String>> {
    function_result(e, &mut |r| {
        unwrap_component(r).or_else(|| inline_component(r))
    })
}

/// What a function expression returns (its expression body, or the argument of its last
/// `return`), through `f`.
fn function_result(
    e: &Expression<'_>,
    f: &mut dyn FnMut(&Expression<'_>) -> Option<Vec<String>>,
) -> Option<Vec<String>> {
    let body = match e.get_inner_expression() {
        Expression::ArrowFunctionExpression(a) => match &a.body {
            ArrowFunctionBody::FunctionBody(b) => &b.statements,
            other => return other.as_expression().and_then(f),
        },
        Expression::FunctionExpression(fx) => &fx.body.as_ref()?.statements,
        _ => return None,
    };
    match body.last() {
        Some(Statement::ReturnStatement(r)) => r.argument.as_ref().and_then(f),
        _ => None,
    }
}

/// An inline component (a function returning JSX): the component its JSX ends in.
fn inline_component(e: &Expression<'_>) -> Option<Vec<String>> {
    function_result(e, &mut |r| match r.get_inner_expression() {
        Expression::JSXElement(el) => jsx_component(el),
        _ => None,
    })
}

/// The component an element tree ends in: following the only element child of each
/// element (providers, gates, gesture roots around the app), the innermost PascalCase
/// element: `<Provider><PersistGate><App /></PersistGate></Provider>` -> `App`.
fn jsx_component(el: &JSXElement<'_>) -> Option<Vec<String>> {
    let elements: Vec<&JSXElement<'_>> = el
        .children
        .iter()
        .filter_map(|c| match c {
            JSXChild::Element(e) => Some(&**e),
            _ => None,
        })
        .collect();
    if let [only] = elements.as_slice()
        && let Some(inner) = jsx_component(only)
    {
        return Some(inner);
    }
    let path = match &el.opening_element.name {
        JSXElementName::IdentifierReference(i) => vec![i.name.to_string()],
        JSXElementName::MemberExpression(m) => {
            let mut p = Vec::new();
            let mut obj = &m.object;
            loop {
                match obj {
                    JSXMemberExpressionObject::IdentifierReference(i) => {
                        p.push(i.name.to_string());
                        break;
                    }
                    JSXMemberExpressionObject::MemberExpression(inner) => {
                        p.push(inner.property.name.to_string());
                        obj = &inner.object;
                    }
                    _ => return None,
                }
            }
            p.reverse();
            p.push(m.property.name.to_string());
            p
        }
        _ => return None,
    };
    path.last()
        .is_some_and(|n| n.starts_with(|c: char| c.is_ascii_uppercase()))
        .then_some(path)
}

/// A PascalCase binding path, or the one a call wraps (`wrap(Home)`, `wrap(opts)(Home)`).
fn unwrap_component(e: &Expression<'_>) -> Option<Vec<String>> {
    match e.get_inner_expression() {
        Expression::CallExpression(c) => c
            .arguments
            .iter()
            .filter_map(|a| a.as_expression())
            .find_map(unwrap_component),
        other => expr_path(other).filter(|p| {
            p.last()
                .is_some_and(|n| n.starts_with(|c: char| c.is_ascii_uppercase()))
        }),
    }
}

impl<'a> Visit<'a> for NavCollector {
    fn visit_jsx_opening_element(&mut self, el: &JSXOpeningElement<'a>) {
        // `<Stack.Screen>`, or `<Screen>` destructured from `createStackNavigator()`: a screen
        // when it has both a literal `name` and a `component` (a project's own `<Screen>`
        // layout wrapper has neither).
        let screen_element = match &el.name {
            JSXElementName::MemberExpression(m) => m.property.name == "Screen",
            JSXElementName::IdentifierReference(i) => i.name == "Screen",
            _ => false,
        };
        if screen_element {
            let mut name = None;
            let mut comp = None;
            for a in &el.attributes {
                let JSXAttributeItem::Attribute(a) = a else {
                    continue;
                };
                let JSXAttributeName::Identifier(id) = &a.name else {
                    continue;
                };
                match (id.name.as_str(), &a.value) {
                    ("name", Some(JSXAttributeValue::StringLiteral(s))) => {
                        name = Some(s.value.to_string())
                    }
                    ("component", Some(JSXAttributeValue::ExpressionContainer(c))) => {
                        if let JSXExpression::EmptyExpression(_) = c.expression {
                        } else if let Some(e) = c.expression.as_expression() {
                            comp = expr_path(e);
                        }
                    }
                    _ => {}
                }
            }
            if let (Some(n), Some(c)) = (name, comp) {
                self.found.push((n, c));
            }
        }
        walk::walk_jsx_opening_element(self, el);
    }

    fn visit_call_expression(&mut self, call: &CallExpression<'a>) {
        // react-native-navigation's `Navigation.registerComponent('Home', () => Home)` (and
        // `registerComponentWithRedux`) and
        // `AppRegistry.registerComponent(appName, () => App)`: the component the provider
        // function returns, unwrapped from package wrappers (`() => gestureHandlerRootHOC(X)`).
        if let Expression::StaticMemberExpression(m) = call.callee.get_inner_expression()
            && m.property.name == "setRoot"
            && let Some(layout) = call.arguments.first().and_then(|a| a.as_expression())
        {
            layout_component_names(layout, &mut self.roots);
        }
        if let Expression::StaticMemberExpression(m) = call.callee.get_inner_expression()
            && m.property.name.starts_with("register")
            && let Some(comp) = call
                .arguments
                .get(1)
                .and_then(|a| a.as_expression())
                .and_then(registered_component)
        {
            let name = match call.arguments.first().and_then(|a| a.as_expression()) {
                Some(Expression::StringLiteral(s)) => s.value.to_string(),
                _ => comp.join("."),
            };
            self.found.push((name, comp));
        }
        if let Expression::Identifier(id) = call.callee.get_inner_expression() {
            let n = id.name.as_str();
            if n.starts_with("create")
                && n.ends_with("Navigator")
                && let Some(Expression::ObjectExpression(o)) = call
                    .arguments
                    .first()
                    .and_then(|a| a.as_expression())
                    .map(|e| e.get_inner_expression())
            {
                // v7 static config: `{ screens: { Home: HomeScreen } }`; v4: `{ Home: HomeScreen }`.
                let screens = o.properties.iter().find_map(|p| match p {
                    ObjectPropertyKind::ObjectProperty(p)
                        if p.key.static_name().as_deref() == Some("screens") =>
                    {
                        match p.value.get_inner_expression() {
                            Expression::ObjectExpression(s) => Some(s),
                            _ => None,
                        }
                    }
                    _ => None,
                });
                let config = screens.unwrap_or(o);
                for p in &config.properties {
                    let ObjectPropertyKind::ObjectProperty(p) = p else {
                        continue;
                    };
                    let Some(name) = p.key.static_name() else {
                        continue;
                    };
                    let comp = match p.value.get_inner_expression() {
                        Expression::ObjectExpression(inner) => {
                            inner.properties.iter().find_map(|ip| match ip {
                                ObjectPropertyKind::ObjectProperty(ip)
                                    if ip.key.static_name().as_deref() == Some("screen") =>
                                {
                                    expr_path(&ip.value)
                                }
                                _ => None,
                            })
                        }
                        other => expr_path(other),
                    };
                    if let Some(c) = comp {
                        self.found.push((name.to_string(), c));
                    }
                }
            }
        }
        walk::walk_call_expression(self, call);
    }
}

/// The expo-router routes folder: `src/app/` when it exists, else `app/`. It is used when the
/// project mentions expo-router, or when no navigator screens were found; otherwise an `app/`
/// folder is just where the source lives (Ignite, older apps).
fn expo_router_root(project: &Project<'_>, have_navigator_screens: bool) -> Option<&'static str> {
    let uses_router = project
        .files
        .iter()
        .any(|f| !f.is_package() && f.content.contains("expo-router"));
    if !uses_router && have_navigator_screens {
        return None;
    }
    let has = |root: &str| project.files.iter().any(|f| f.path.starts_with(root));
    ["src/app/", "app/"].into_iter().find(|r| has(r))
}

/// expo-router route of a file under the routes folder, `None` for layouts and specials.
fn expo_route(path: &str, root: &str) -> Option<String> {
    let rest = path.strip_prefix(root)?;
    let stem = rest.rsplit_once('.').map_or(rest, |(s, _)| s);
    let stem = stem
        .trim_end_matches(".ios")
        .trim_end_matches(".android")
        .trim_end_matches(".native")
        .trim_end_matches(".web");
    let last = stem.rsplit('/').next().unwrap_or(stem);
    if last.starts_with('_') || last.starts_with('+') || !crate::project::is_script_path(path) {
        return None;
    }
    let segs: Vec<&str> = stem
        .split('/')
        .filter(|s| !(s.starts_with('(') && s.ends_with(')')))
        .collect();
    let mut route = segs.join("/");
    if route == "index" {
        route.clear();
    } else if let Some(r) = route.strip_suffix("/index") {
        route = r.to_string();
    }
    Some(format!("/{route}"))
}

fn discover(project: &Project<'_>, requested: Option<&[String]>) -> Vec<ScreenDef> {
    let mut defs: Vec<ScreenDef> = Vec::new();
    let push = |defs: &mut Vec<ScreenDef>,
                name: String,
                module: usize,
                path: Vec<String>,
                aliases: Vec<String>| {
        if defs.iter().any(|d| d.name == name) {
            return;
        }
        let base = slug(&name);
        let mut id = base.clone();
        let mut n = 2;
        while defs.iter().any(|d| d.id == id) {
            id = format!("{}-{n}", &base[..base.len().min(60)]);
            n += 1;
        }
        defs.push(ScreenDef {
            name,
            id,
            module,
            path,
            aliases,
        });
    };
    let mut roots: Vec<String> = Vec::new();
    for (i, f) in project.files.iter().enumerate() {
        if let FileKind::Script(p) = f.kind
            && may_declare_screens(f.content)
        {
            let mut c = NavCollector {
                found: Vec::new(),
                roots: Vec::new(),
            };
            c.visit_program(p);
            for (name, path) in c.found {
                push(&mut defs, name.clone(), i, path, vec![name]);
            }
            roots.extend(c.roots);
        }
    }
    // The screens a `Navigation.setRoot` layout shows come first, in the layout's order.
    if !roots.is_empty() {
        let rank = |d: &ScreenDef| {
            roots
                .iter()
                .position(|r| *r == d.name)
                .unwrap_or(usize::MAX)
        };
        defs.sort_by_key(rank);
    }
    let router_root = expo_router_root(project, !defs.is_empty());
    for (i, f) in project.files.iter().enumerate() {
        // A route file default-exports its screen; other files under the folder (actions,
        // database models, helpers) are not screens.
        if let Some(route) = router_root.and_then(|root| expo_route(&f.path, root))
            && match f.kind {
                FileKind::Script(p) => exports_default(p),
                // Reported as a failed screen: it may be one.
                FileKind::Broken(_) => true,
                _ => false,
            }
        {
            let name = if route == "/" {
                "index".to_string()
            } else {
                route.trim_start_matches('/').to_string()
            };
            push(
                &mut defs,
                name.clone(),
                i,
                vec!["default".into()],
                vec![route.clone(), name],
            );
        }
    }
    if defs.is_empty() {
        for cand in [
            "App.tsx",
            "App.ts",
            "App.jsx",
            "App.js",
            "src/App.tsx",
            "src/App.jsx",
            "src/App.js",
            "src/App.ts",
        ] {
            if let Some(&i) = project.by_path.get(cand) {
                push(&mut defs, "App".into(), i, vec!["default".into()], vec![]);
                break;
            }
        }
    }
    let Some(req) = requested else {
        return defs;
    };
    // Each request selects one screen, in request order: a discovered screen by name or id, a
    // file (whether or not a navigator names it), or a component defined at the top level.
    let mut selected: Vec<usize> = Vec::new();
    for r in req {
        let found = defs.iter().position(|d| &d.name == r || &d.id == r);
        let found = found.or_else(|| {
            let m = request_file(project, r)?;
            let entry = match project.program(m) {
                Some(p) => crate::project::entry_binding(p),
                None => "default".into(),
            };
            // A screen already found for the file's entry: an expo-router route, `App`, or a
            // navigator screen whose component is imported from the file.
            // A file that only registers its screens (`index.js`) is its first registration.
            let registers =
                project.program(m).is_some_and(|p| !exports_default(p)) && entry == "default";
            if let Some(i) = defs.iter().position(|d| {
                (d.module == m && ((d.path.len() == 1 && d.path[0] == entry) || registers))
                    || imported_from(project, d, m, &entry)
            }) {
                return Some(i);
            }
            let path = project.files[m].path.clone();
            let stem = path.rsplit('/').next().unwrap_or(&path);
            let mut name = stem.split('.').next().unwrap_or(stem).to_string();
            if name == "index" {
                // `screens/Home/index.tsx` is the `Home` screen.
                if let Some(dir) = path.rsplit('/').nth(1) {
                    name = dir.to_string();
                }
            }
            // A navigator may already use the name for another file's component.
            if defs.iter().any(|d| d.name == name) {
                name = path.clone();
            }
            if let Some(i) = defs.iter().position(|d| d.name == name) {
                return Some(i);
            }
            push(&mut defs, name.clone(), m, vec![entry], vec![name, path]);
            Some(defs.len() - 1)
        });
        let found = found.or_else(|| {
            // A component name exported or defined at the top level of some module.
            let m = project
                .files
                .iter()
                .position(|f| matches!(f.kind, FileKind::Script(p) if defines_top_level(p, r)))?;
            push(&mut defs, r.clone(), m, vec![r.clone()], vec![r.clone()]);
            Some(defs.len() - 1)
        });
        if let Some(i) = found
            && !selected.contains(&i)
        {
            selected.push(i);
        }
    }
    let mut defs: Vec<Option<ScreenDef>> = defs.into_iter().map(Some).collect();
    selected
        .into_iter()
        .filter_map(|i| defs[i].take())
        .collect()
}

/// Whether the navigator screen `d` names a component imported from file `m` (its binding
/// path starts with a local imported from `m`; `import Home from './Home'` or
/// `import { Home } from './Home'`, the binding the file exports under that name).
fn imported_from(project: &Project<'_>, d: &ScreenDef, m: usize, entry: &str) -> bool {
    use oxc::ast::ast::{ImportDeclarationSpecifier, Statement};
    let (Some(local), Some(p)) = (d.path.first(), project.program(d.module)) else {
        return false;
    };
    // `entry` is the entry binding of `m`, which must be a script.
    if project.program(m).is_none() {
        return false;
    }
    p.body.iter().any(|s| {
        let Statement::ImportDeclaration(decl) = s else {
            return false;
        };
        let Some(spec) = decl
            .specifiers
            .iter()
            .flatten()
            .find(|sp| sp.local().name == local.as_str())
        else {
            return false;
        };
        if project.resolve(d.module, decl.source.value.as_str()) != Some(m) {
            return false;
        }
        let imported = match spec {
            ImportDeclarationSpecifier::ImportDefaultSpecifier(_) => "default".to_string(),
            ImportDeclarationSpecifier::ImportSpecifier(sp) => sp.imported.name().to_string(),
            ImportDeclarationSpecifier::ImportNamespaceSpecifier(_) => {
                d.path.get(1).cloned().unwrap_or_default()
            }
        };
        imported == entry
    })
}

/// The project file a `--screen` request names: its path as given (project-relative, `./`
/// and `\\` allowed), or without its extension (`src/screens/Home` for `Home.tsx` or
/// `Home/index.tsx`).
fn request_file(project: &Project<'_>, r: &str) -> Option<usize> {
    let norm = crate::project::normalize_path(r);
    if norm.is_empty() {
        return None;
    }
    if let Some(&i) = project.by_path.get(&norm) {
        return Some(i);
    }
    let exts = ["tsx", "ts", "jsx", "js"];
    exts.iter()
        .map(|e| format!("{norm}.{e}"))
        .chain(exts.iter().map(|e| format!("{norm}/index.{e}")))
        .find_map(|c| project.by_path.get(&c).copied())
}

fn exports_default(p: &oxc::ast::ast::Program<'_>) -> bool {
    use oxc::ast::ast::{ModuleExportName, Statement};
    p.body.iter().any(|s| match s {
        Statement::ExportDefaultDeclaration(_) => true,
        Statement::ExportNamedDeclaration(e) => e.specifiers.iter().any(|sp| {
            matches!(&sp.exported, ModuleExportName::IdentifierName(n) if n.name == "default")
                || matches!(&sp.exported, ModuleExportName::IdentifierReference(n) if n.name == "default")
        }),
        _ => false,
    })
}

fn defines_top_level(p: &oxc::ast::ast::Program<'_>, name: &str) -> bool {
    use oxc::ast::ast::{Declaration, Statement};
    let decl_has = |d: &Declaration<'_>| match d {
        Declaration::FunctionDeclaration(f) => f.id.as_ref().is_some_and(|i| i.name == name),
        Declaration::ClassDeclaration(c) => c.id.as_ref().is_some_and(|i| i.name == name),
        Declaration::VariableDeclaration(v) => v
            .declarations
            .iter()
            .any(|d| d.id.get_identifier_name().is_some_and(|n| n == name)),
        _ => false,
    };
    p.body.iter().any(|s| match s {
        Statement::ExportDeclaration(e) => decl_has(&e.declaration),
        other => other.as_declaration().is_some_and(decl_has),
    })
}

fn num_json(n: f64) -> Json {
    if n.fract() == 0.0 {
        Json::from(n as i64)
    } else {
        Json::from(n)
    }
}

/// The content hash of a file: FNV-1a 64 over its 8-byte little-endian words, then its last
/// bytes one by one (a word per step: eight times fewer dependent multiplies than per byte).
fn content_hash(s: &str) -> u64 {
    let mut h = Fnv::new();
    let mut words = s.as_bytes().chunks_exact(8);
    for w in &mut words {
        h.write_word(u64::from_le_bytes(w.try_into().expect("8 bytes")));
    }
    h.write(words.remainder());
    h.0
}

/// Assigns path-derived ids below `node` (whose id is set): a node keeps its id while its
/// parent chain, type and position among same-typed siblings do not change. `seen` is working
/// memory reused from level to level.
fn assign_ids(node: &mut Node, seen: &mut Vec<(u32, u32, u64)>) {
    // Per (type, component) of the children: (first child with it, how many so far, the
    // hash of `{parent id}/{type}:{component}#`, to which only the count is added).
    seen.clear();
    let mut parent = Fnv::new();
    parent.write(node.id.as_bytes());
    parent.write(b"/");
    for i in 0..node.children.len() {
        let c = &node.children[i];
        let key = (&*c.kind, c.component.as_deref());
        let found = seen.iter_mut().find(|(first, _, _)| {
            let f = &node.children[*first as usize];
            (&*f.kind, f.component.as_deref()) == key
        });
        let (n, prefix) = match found {
            Some(e) => {
                e.1 += 1;
                (e.1, e.2)
            }
            None => {
                let mut h = Fnv(parent.0);
                for part in [key.0, ":", key.1.unwrap_or(""), "#"] {
                    h.write(part.as_bytes());
                }
                seen.push((i as u32, 0, h.0));
                (0, h.0)
            }
        };
        let mut h = Fnv(prefix);
        let mut digits = [0u8; 10];
        h.write(decimal(n, &mut digits));
        node.children[i].id = hex_id(h.0 & 0xffff_ffff_ffff);
    }
    for c in &mut node.children {
        assign_ids(c, seen);
    }
}

/// `n` in decimal ASCII, written into `buf`.
fn decimal(mut n: u32, buf: &mut [u8; 10]) -> &[u8] {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    &buf[i..]
}

/// `n` followed by the 12 lowercase hex digits of a 48-bit value (`format!("n{v:012x}")`).
fn hex_id(v: u64) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(13);
    s.push('n');
    for i in (0..12).rev() {
        s.push(char::from(HEX[((v >> (i * 4)) & 0xf) as usize]));
    }
    s
}

/// Fills the asset table: one entry per `HS_ImageSnapshot` node (with the snapshot to draw),
/// one per image file the screen shows (at its first node).
fn collect_assets(
    node: &mut Node,
    screen_id: &str,
    scale: f64,
    assets: &mut Vec<Asset>,
    reqs: &mut Vec<PendingSnapshot>,
) {
    if let Some(s) = &mut node.snapshot {
        let asset_id = format!("snap-{}", node.id);
        s.asset_id = asset_id.clone();
        let dim = |k: &str| node.style.get(k).and_then(Json::as_f64);
        let size = match (dim("width"), dim("height")) {
            (Some(width), Some(height)) => Some(Size { width, height }),
            _ => None,
        };
        assets.push(Asset {
            id: asset_id.clone(),
            kind: "snapshot".into(),
            storage_key: format!("previews/{screen_id}/assets/{asset_id}.png"),
            node_id: node.id.clone(),
            component: s.component.clone(),
            file: None,
            size,
            scale,
        });
        reqs.push(PendingSnapshot {
            asset_id,
            node_id: node.id.clone(),
            component: s.component.clone(),
            reason: s.reason.clone(),
            size,
            picture: s.picture.clone(),
        });
    }
    if let Some(source) = node.props.get("source")
        && let Some(id) = source.get("asset_id").and_then(Json::as_str)
        && !assets.iter().any(|a| a.id == id)
        && let Some(file) = source.get("asset").and_then(Json::as_str)
        && let Some(media) = hivesync_core::media::MediaType::from_path(file)
    {
        let dim = |k: &str| source.get(k).and_then(Json::as_f64);
        assets.push(Asset {
            id: id.to_owned(),
            kind: "image".into(),
            storage_key: format!("previews/{screen_id}/assets/{id}.{}", media.extension()),
            node_id: node.id.clone(),
            component: node.kind.to_string(),
            file: Some(file.to_owned()),
            size: dim("width")
                .zip(dim("height"))
                .map(|(width, height)| Size { width, height }),
            scale: dim("scale").unwrap_or(1.0),
        });
    }
    for c in &mut node.children {
        collect_assets(c, screen_id, scale, assets, reqs);
    }
}

pub(crate) fn compile_project(
    project: &Project<'_>,
    req: &CompileRequest,
) -> Result<CompileOutput, CompileError> {
    let defs = discover(project, req.screens.as_deref());
    if defs.is_empty() {
        return Err(CompileError::NoScreens(match &req.screens {
            Some(names) => format!("none of {names:?} matched a screen, a file or a component"),
            None => "no React Navigation screens, expo-router app/ routes or App root component in the given files".into(),
        }));
    }
    let mut routes = HashMap::new();
    for d in &defs {
        routes.insert(d.name.clone(), d.id.clone());
        for a in &d.aliases {
            routes.insert(a.clone(), d.id.clone());
            routes.insert(a.trim_start_matches('/').to_string(), d.id.clone());
        }
    }
    let mut out = CompileOutput {
        screens: Vec::new(),
        failures: Vec::new(),
        warnings: Vec::new(),
    };
    for f in &project.files {
        if let FileKind::Broken(msg) = &f.kind {
            out.warnings.push(Warning {
                code: "parse-error".into(),
                message: msg.clone(),
                location: None,
            });
        }
    }
    for (msg, loc) in &project.load_warnings {
        out.warnings.push(Warning {
            code: "config".into(),
            message: msg.clone(),
            location: loc.clone(),
        });
    }
    for msg in &project.broken_fonts {
        out.warnings.push(Warning {
            code: "broken-font".into(),
            message: msg.clone(),
            location: None,
        });
    }
    let profile = device::profile(project.target.device);
    for d in defs {
        if project.cancel.is_cancelled() {
            return Err(CompileError::Cancelled);
        }
        let file = &project.files[d.module];
        let fail = |message: String| ScreenFailure {
            id: d.id.clone(),
            name: d.name.clone(),
            file: file.path.clone(),
            message,
        };
        if let FileKind::Broken(msg) = &file.kind {
            out.failures
                .push(fail(format!("the screen's file failed to parse: {msg}")));
            continue;
        }
        let mut interp = Interp::new(project, routes.clone());
        match screen_document(&mut interp, &d, &profile) {
            Ok((mut root, module, component)) => {
                let entry = &project.files[module];
                root.id = "root".into();
                assign_ids(&mut root, &mut Vec::new());
                let mut assets = Vec::new();
                let mut snapshots = Vec::new();
                collect_assets(&mut root, &d.id, profile.scale, &mut assets, &mut snapshots);
                let fonts = crate::fonts::font_table(&project.fonts, &interp.loaded_fonts);
                interp
                    .warnings
                    .extend(crate::fonts::unknown_font_warnings(&root, &fonts));
                let warnings = std::mem::take(&mut interp.warnings);
                let document = LayoutDocument {
                    schema: SCHEMA_VERSION.into(),
                    screen_id: d.id.clone(),
                    screen_name: d.name.clone(),
                    platform: project.target.platform,
                    device: profile.clone(),
                    source: DocumentSource {
                        entry_file: entry.path.clone(),
                        component,
                        content_hash: format!("{:016x}", content_hash(entry.content)),
                    },
                    root,
                    assets,
                    fonts,
                    warnings: warnings.clone(),
                };
                out.screens.push(ScreenOutput {
                    id: d.id.clone(),
                    name: d.name.clone(),
                    document,
                    snapshots,
                    warnings,
                });
            }
            Err(Fatal::Budget) => {
                return Err(CompileError::BudgetExceeded(project.limits.time_budget));
            }
            Err(Fatal::Cancelled) => return Err(CompileError::Cancelled),
            Err(Fatal::Limit(msg)) => out.failures.push(fail(msg)),
        }
    }
    Ok(out)
}

fn screen_document(
    interp: &mut Interp<'_, '_>,
    d: &ScreenDef,
    profile: &device::DeviceProfile,
) -> Result<(Node, usize, String), Fatal> {
    let (children, module, component) = interp.screen_nodes(d.module, &d.path, &d.name)?;
    let mut root = Node::new("View");
    root.style.insert("width", num_json(profile.width));
    root.style.insert("height", num_json(profile.height));
    root.children = children;
    Ok((root, module, component))
}

#[cfg(test)]
mod tests {
    use super::may_declare_screens;

    #[test]
    fn only_files_that_can_declare_screens_are_walked() {
        assert!(may_declare_screens(
            "<Stack.Screen name=\"Home\" component={Home} />"
        ));
        assert!(may_declare_screens(
            "<Tab.\n  Screen name=\"A\" component={A} />"
        ));
        assert!(may_declare_screens(
            "const Stack = createNativeStackNavigator();"
        ));
        assert!(may_declare_screens("const \\u0053creen = 1;"));
        assert!(!may_declare_screens(
            "export default function ShopScreen() { return null; }"
        ));
        assert!(!may_declare_screens(
            "const styles = StyleSheet.create({});"
        ));
    }
}
