//! Module resolution across the given files, Metro-style: relative paths, `index` files,
//! platform extension search, path aliases from tsconfig/jsconfig `paths`/`baseUrl` and
//! babel `module-resolver` (`alias`, `root`) when those config files are among the inputs, and
//! bare specifiers into the packages under `node_modules/` that the request carries (the
//! nearest `node_modules` first; package.json `exports` with the `react-native`, `import`,
//! `require` and `default` conditions and subpath patterns, else the `react-native`,
//! `source`, `module` and `main` fields, else `index`).

use oxc::ast::ast::{Expression, ObjectPropertyKind, Statement};

use crate::device::TargetPlatform;
use crate::project::{Aliases, FileKind, ParsedFile, Project, normalize_path};

fn dir_of(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..i])
}

fn join(dir: &str, rel: &str) -> String {
    if dir.is_empty() {
        normalize_path(rel)
    } else {
        normalize_path(&format!("{dir}/{rel}"))
    }
}

impl Aliases {
    pub fn from_project(
        files: &[ParsedFile<'_>],
        warnings: &mut Vec<(String, Option<crate::document::SourceLocation>)>,
    ) -> Self {
        let mut a = Aliases::default();
        for f in files {
            let name = f.path.rsplit('/').next().unwrap_or("");
            let dir = dir_of(&f.path);
            match (name, &f.kind) {
                ("tsconfig.json" | "jsconfig.json", FileKind::Json(v)) => {
                    let opts = &v["compilerOptions"];
                    let base = join(dir, opts["baseUrl"].as_str().unwrap_or("."));
                    if opts["baseUrl"].is_string() {
                        a.roots.push(base.clone());
                    }
                    if let Some(paths) = opts["paths"].as_object() {
                        for (pat, targets) in paths {
                            let targets: Vec<String> = targets
                                .as_array()
                                .map(|t| t.iter().filter_map(|s| s.as_str()).collect::<Vec<_>>())
                                .unwrap_or_default()
                                .into_iter()
                                .map(|t| {
                                    let stem = t.trim_end_matches('*');
                                    let joined = join(&base, stem);
                                    if (stem.is_empty() || stem.ends_with('/'))
                                        && !joined.is_empty()
                                    {
                                        format!("{joined}/")
                                    } else {
                                        joined
                                    }
                                })
                                .collect();
                            let wildcard = pat.ends_with('*');
                            a.entries.push((
                                pat.trim_end_matches('*').to_string(),
                                wildcard,
                                targets,
                            ));
                        }
                    }
                }
                (".babelrc" | "babel.config.json", FileKind::Json(v)) => a.add_babel_json(v, dir),
                ("babel.config.js" | ".babelrc.js" | "babel.config.cjs", FileKind::Script(p)) => {
                    let mut found = Vec::new();
                    for stmt in &p.body {
                        stmt_keyed_literals(stmt, &["alias", "root"], &mut found);
                    }
                    a.add_babel_json(&serde_json::Value::Object(found.into_iter().collect()), dir);
                }
                ("tsconfig.json" | "jsconfig.json" | ".babelrc", FileKind::Broken(msg)) => {
                    warnings.push((
                        format!("{}: {msg}; its path aliases are ignored", f.path),
                        None,
                    ));
                }
                _ => {}
            }
        }
        // Longest pattern first, as TypeScript does.
        a.entries.sort_by_key(|e| std::cmp::Reverse(e.0.len()));
        a
    }

    fn add_babel_json(&mut self, v: &serde_json::Value, dir: &str) {
        let mut stack = vec![v];
        while let Some(v) = stack.pop() {
            match v {
                serde_json::Value::Object(m) => {
                    if let Some(alias) = m.get("alias").and_then(|x| x.as_object()) {
                        for (k, t) in alias {
                            if let Some(t) = t.as_str() {
                                let target = join(dir, t);
                                self.entries.push((
                                    format!("{k}/"),
                                    true,
                                    vec![format!("{target}/")],
                                ));
                                self.entries.push((k.clone(), false, vec![target]));
                            }
                        }
                    }
                    if let Some(roots) = m.get("root") {
                        let list = roots
                            .as_array()
                            .cloned()
                            .unwrap_or_else(|| vec![roots.clone()]);
                        self.roots
                            .extend(list.iter().filter_map(|r| r.as_str()).map(|r| join(dir, r)));
                    }
                    stack.extend(m.values());
                }
                serde_json::Value::Array(xs) => stack.extend(xs),
                _ => {}
            }
        }
    }
}

/// Collects the literal values of properties named in `keys` (e.g. babel's `alias`/`root`,
/// tailwind's `colors`) anywhere in a config module's exported object.
pub(crate) fn stmt_keyed_literals(
    stmt: &Statement<'_>,
    keys: &[&str],
    out: &mut Vec<(String, serde_json::Value)>,
) {
    match stmt {
        Statement::ExpressionStatement(e) => expr_keyed_literals(&e.expression, keys, out),
        Statement::ReturnStatement(r) => {
            if let Some(e) = &r.argument {
                expr_keyed_literals(e, keys, out)
            }
        }
        Statement::ExportDefaultDeclaration(d) => {
            if let Some(e) = d.declaration.as_expression() {
                expr_keyed_literals(e, keys, out)
            }
        }
        Statement::VariableDeclaration(v) => {
            for d in &v.declarations {
                if let Some(e) = &d.init {
                    expr_keyed_literals(e, keys, out)
                }
            }
        }
        _ => {}
    }
}

fn expr_keyed_literals(
    e: &Expression<'_>,
    keys: &[&str],
    out: &mut Vec<(String, serde_json::Value)>,
) {
    match e.get_inner_expression() {
        Expression::AssignmentExpression(a) => expr_keyed_literals(&a.right, keys, out),
        Expression::ArrowFunctionExpression(f) => match &f.body {
            oxc::ast::ast::ArrowFunctionBody::FunctionBody(b) => {
                for s in &b.statements {
                    stmt_keyed_literals(s, keys, out)
                }
            }
            other => {
                if let Some(e) = other.as_expression() {
                    expr_keyed_literals(e, keys, out)
                }
            }
        },
        Expression::FunctionExpression(f) => {
            for s in f.body.iter().flat_map(|b| b.statements.iter()) {
                stmt_keyed_literals(s, keys, out)
            }
        }
        Expression::ArrayExpression(a) => {
            for el in &a.elements {
                if let Some(e) = el.as_expression() {
                    expr_keyed_literals(e, keys, out)
                }
            }
        }
        Expression::ObjectExpression(o) => {
            for p in &o.properties {
                let ObjectPropertyKind::ObjectProperty(p) = p else {
                    continue;
                };
                let key = p
                    .key
                    .static_name()
                    .map(|k| k.to_string())
                    .unwrap_or_default();
                if keys.contains(&key.as_str()) {
                    out.push((key, literal_json(&p.value)));
                } else {
                    expr_keyed_literals(&p.value, keys, out)
                }
            }
        }
        _ => {}
    }
}

fn literal_json(e: &Expression<'_>) -> serde_json::Value {
    match e.get_inner_expression() {
        Expression::StringLiteral(s) => serde_json::Value::String(s.value.to_string()),
        Expression::ArrayExpression(a) => a
            .elements
            .iter()
            .filter_map(|x| x.as_expression())
            .map(literal_json)
            .collect(),
        Expression::ObjectExpression(o) => o
            .properties
            .iter()
            .filter_map(|p| match p {
                ObjectPropertyKind::ObjectProperty(p) => {
                    Some((p.key.static_name()?.to_string(), literal_json(&p.value)))
                }
                _ => None,
            })
            .collect::<serde_json::Map<_, _>>()
            .into(),
        _ => serde_json::Value::Null,
    }
}

const SOURCE_EXTS: [&str; 5] = ["tsx", "ts", "jsx", "js", "json"];

impl Project<'_> {
    fn probe(&self, base: &str) -> Option<usize> {
        let platform = match self.target.platform {
            TargetPlatform::Ios => "ios",
            TargetPlatform::Android => "android",
        };
        if let Some(&i) = self.by_path.get(base)
            && base.rsplit('/').next().is_some_and(|n| n.contains('.'))
        {
            return Some(i);
        }
        for stem in [base.to_string(), format!("{base}/index")] {
            for ext in SOURCE_EXTS {
                for cand in [
                    format!("{stem}.{platform}.{ext}"),
                    format!("{stem}.native.{ext}"),
                    format!("{stem}.{ext}"),
                ] {
                    if let Some(&i) = self.by_path.get(&cand) {
                        return Some(i);
                    }
                }
            }
        }
        None
    }

    /// Resolves an import specifier written in file `from`; `None` means a package (external).
    pub fn resolve(&self, from: usize, spec: &str) -> Option<usize> {
        if spec.starts_with("./") || spec.starts_with("../") || spec == "." || spec == ".." {
            return self.probe(&join(dir_of(&self.files[from].path), spec));
        }
        if spec.starts_with('/') {
            return self.probe(&normalize_path(spec));
        }
        for (pat, wildcard, targets) in &self.aliases.entries {
            let rest = if *wildcard {
                spec.strip_prefix(pat.as_str())
            } else if spec == pat {
                Some("")
            } else {
                None
            };
            if let Some(rest) = rest {
                for t in targets {
                    if let Some(i) = self.probe(&normalize_path(&format!("{t}{rest}"))) {
                        return Some(i);
                    }
                }
            }
        }
        for root in &self.aliases.roots {
            if let Some(i) = self.probe(&join(root, spec)) {
                return Some(i);
            }
        }
        self.resolve_package(from, spec)
    }

    /// A bare specifier (`some-kit`, `@scope/kit/lib/Card`) resolved into a package the
    /// request carries under `node_modules/`.
    fn resolve_package(&self, from: usize, spec: &str) -> Option<usize> {
        let (name, sub) = split_package(spec)?;
        let dir = self.package_dir(from, name)?;
        let manifest = self
            .by_path
            .get(&format!("{dir}/package.json"))
            .and_then(|&i| match self.kind(i) {
                FileKind::Json(v) => Some(v),
                _ => None,
            });
        if let Some(m) = manifest {
            // A subpath the `exports` map does not list is still looked up as a file below:
            // Metro does the same (with a warning) and the file is in the request.
            if let Some(target) = m.get("exports").and_then(|e| exports_target(e, sub))
                && let Some(i) = self.probe(&join(&dir, &target))
            {
                return Some(i);
            }
            if sub.is_empty() {
                for field in MAIN_FIELDS {
                    if let Some(t) = m.get(field).and_then(|t| t.as_str())
                        && let Some(i) = self.probe(&join(&dir, t))
                    {
                        return Some(i);
                    }
                }
            }
        }
        self.probe(&join(&dir, sub))
    }

    /// The folder of package `name` as seen from file `from`: Node's lookup, from the
    /// file's folder up to the root, the nearest `node_modules` first.
    fn package_dir(&self, from: usize, name: &str) -> Option<String> {
        let mut dir = dir_of(&self.files[from].path);
        loop {
            if dir.rsplit('/').next() != Some("node_modules") {
                let cand = join(dir, &format!("node_modules/{name}"));
                if self.package_roots.contains(&cand) {
                    return Some(cand);
                }
            }
            if dir.is_empty() {
                return None;
            }
            dir = dir_of(dir);
        }
    }
}

/// Entry fields of package.json, in the order they are tried: Metro's `react-native` first,
/// then the original source, the ES module build and the CommonJS one.
const MAIN_FIELDS: [&str; 4] = ["react-native", "source", "module", "main"];

/// The `exports` conditions that match (the package's key order decides between them).
const EXPORT_CONDITIONS: [&str; 4] = ["react-native", "import", "require", "default"];

/// The package a bare specifier names and the subpath in it (`""` for the package itself).
pub(crate) fn split_package(spec: &str) -> Option<(&str, &str)> {
    if spec.is_empty() || spec.starts_with(['.', '/']) || spec.contains(':') {
        return None;
    }
    let name_end = if spec.starts_with('@') {
        let slash = spec.find('/')?;
        spec[slash + 1..].find('/').map_or(spec.len(), |i| slash + 1 + i)
    } else {
        spec.find('/').unwrap_or(spec.len())
    };
    let (name, rest) = spec.split_at(name_end);
    Some((name, rest.trim_start_matches('/')))
}

/// The package root of a package file's path (`a/node_modules/@s/kit/lib/x.js` ->
/// `a/node_modules/@s/kit`), the last `node_modules` counting.
pub(crate) fn package_root_of(path: &str) -> Option<&str> {
    let at = match path.rfind("/node_modules/") {
        Some(i) => i + "/node_modules/".len(),
        None => path.strip_prefix("node_modules/").map(|_| "node_modules/".len())?,
    };
    let (name, sub) = split_package(&path[at..])?;
    // A file directly in `node_modules/` is not a package.
    (!sub.is_empty()).then(|| &path[..at + name.len()])
}

/// The target of `exports` for a subpath (`""` for the package itself), with the matching
/// conditions applied and a `*` pattern filled in.
fn exports_target(exports: &serde_json::Value, sub: &str) -> Option<String> {
    let key = if sub.is_empty() {
        ".".to_string()
    } else {
        format!("./{sub}")
    };
    let subpaths = exports
        .as_object()
        .filter(|m| m.keys().any(|k| k.starts_with('.')));
    let Some(map) = subpaths else {
        // A string, a list or a conditions object: the package itself only.
        return if sub.is_empty() {
            condition_target(exports)
        } else {
            None
        };
    };
    if let Some(v) = map.get(&key) {
        return condition_target(v);
    }
    // The pattern with the longest prefix wins (Node's order); `./lib/` folder mappings too.
    let mut best: Option<(usize, String)> = None;
    for (pat, v) in map {
        let filled = if let Some((prefix, suffix)) = pat.split_once('*') {
            key.strip_prefix(prefix)
                .and_then(|r| r.strip_suffix(suffix))
                .and_then(|star| Some((prefix.len(), condition_target(v)?.replace('*', star))))
        } else if pat.ends_with('/') {
            key.strip_prefix(pat.as_str())
                .and_then(|rest| Some((pat.len(), format!("{}{rest}", condition_target(v)?))))
        } else {
            None
        };
        if let Some((len, t)) = filled
            && best.as_ref().is_none_or(|(l, _)| len > *l)
        {
            best = Some((len, t));
        }
    }
    best.map(|(_, t)| t)
}

/// A target of `exports`: a path, the first usable entry of a list, or the first matching
/// condition of an object (in the package's order); `null` excludes.
fn condition_target(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Array(xs) => xs.iter().find_map(condition_target),
        serde_json::Value::Object(m) => m
            .iter()
            .filter(|(k, _)| EXPORT_CONDITIONS.contains(&k.as_str()))
            .find_map(|(_, v)| condition_target(v)),
        _ => None,
    }
}
