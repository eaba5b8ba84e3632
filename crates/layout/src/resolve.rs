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

/// The packages a source text imports (`import ... from 'kit'`, `export ... from`,
/// `require('kit/lib/x')`, `import('kit')`), by package name, in order of first use, without
/// the packages the compiler implements itself (React, React Native, ...; their code is not
/// evaluated). For clients choosing which `node_modules/` packages to send; a scan of the text,
/// not a parse: an import written in a comment counts too.
pub fn imported_packages(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(q) = memchr::memchr2(b'\'', b'"', &bytes[i..]).map(|q| q + i) {
        let quote = bytes[q];
        let Some(len) = bytes[q + 1..]
            .iter()
            .position(|&b| b == quote || b == b'\n')
        else {
            break;
        };
        let end = q + 1 + len;
        let before = text[..q].trim_end();
        let is_import = before.ends_with("from")
            || before.ends_with("require(")
            || before.ends_with("import(")
            || (before.ends_with("import")
                && !before[..before.len() - 6]
                    .ends_with(|c: char| c.is_alphanumeric() || c == '_'));
        if is_import
            && bytes[end] == quote
            && let Some((name, _)) = split_package(&text[q + 1..end])
            && !crate::interp::is_builtin_package(name)
            && !out.iter().any(|n| n == name)
        {
            out.push(name.to_string());
        }
        i = end + 1;
    }
    out
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
        spec[slash + 1..]
            .find('/')
            .map_or(spec.len(), |i| slash + 1 + i)
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
        None => path
            .strip_prefix("node_modules/")
            .map(|_| "node_modules/".len())?,
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

#[cfg(test)]
mod tests {
    use oxc::allocator::Allocator;

    use super::{imported_packages, package_root_of, split_package};
    use crate::device::{DeviceKind, TargetPlatform};
    use crate::project::Project;
    use crate::{Cancel, Limits, SourceFile, Target};

    /// Resolves `spec` from `from` in a project of `files` (path, text) for `platform`.
    fn resolve_in(
        files: &[(&str, &str)],
        platform: TargetPlatform,
        from: &str,
        spec: &str,
    ) -> Option<String> {
        let files: Vec<SourceFile> = files.iter().map(|(p, t)| SourceFile::new(*p, *t)).collect();
        let alloc = Allocator::default();
        let device = match platform {
            TargetPlatform::Ios => DeviceKind::Iphone,
            TargetPlatform::Android => DeviceKind::AndroidPhone,
        };
        let project = Project::parse(
            &alloc,
            &files,
            Target::new(platform, device),
            &Limits::default(),
            &Cancel::new(),
        );
        let from = project.by_path[from];
        project
            .resolve(from, spec)
            .map(|i| project.files[i].path.clone())
    }

    const APP: (&str, &str) = ("App.js", "");

    #[test]
    fn package_names_and_roots_are_split_from_specifiers_and_paths() {
        assert_eq!(split_package("kit"), Some(("kit", "")));
        assert_eq!(split_package("kit/lib/Card"), Some(("kit", "lib/Card")));
        assert_eq!(split_package("@s/kit"), Some(("@s/kit", "")));
        assert_eq!(
            split_package("@s/kit/lib/x.js"),
            Some(("@s/kit", "lib/x.js"))
        );
        assert_eq!(split_package("./kit"), None);
        assert_eq!(split_package("node:fs"), None);
        assert_eq!(
            package_root_of("node_modules/@s/kit/lib/x.js"),
            Some("node_modules/@s/kit")
        );
        assert_eq!(
            package_root_of("node_modules/a/node_modules/b/index.js"),
            Some("node_modules/a/node_modules/b")
        );
        assert_eq!(package_root_of("node_modules/loose.js"), None);
        assert_eq!(package_root_of("src/App.js"), None);
    }

    #[test]
    fn exports_conditions_are_taken_in_the_packages_order_among_the_ones_matched() {
        let files = [
            APP,
            (
                "node_modules/kit/package.json",
                r#"{"main": "main.js", "exports": {".": {"types": "./index.d.ts", "node": "./node.js",
                    "react-native": "./rn.js", "import": "./esm.js", "default": "./index.js"}}}"#,
            ),
            ("node_modules/kit/rn.js", ""),
            ("node_modules/kit/esm.js", ""),
            ("node_modules/kit/node.js", ""),
            ("node_modules/kit/index.js", ""),
            ("node_modules/kit/main.js", ""),
            (
                "node_modules/esm-first/package.json",
                r#"{"exports": {"import": "./esm.mjs", "require": "./cjs.js"}}"#,
            ),
            ("node_modules/esm-first/esm.mjs", ""),
            ("node_modules/esm-first/cjs.js", ""),
            (
                "node_modules/plain/package.json",
                r#"{"exports": "./lib/plain.js", "main": "main.js"}"#,
            ),
            ("node_modules/plain/lib/plain.js", ""),
            ("node_modules/plain/main.js", ""),
        ];
        let r = |spec| resolve_in(&files, TargetPlatform::Ios, "App.js", spec);
        assert_eq!(r("kit").as_deref(), Some("node_modules/kit/rn.js"));
        assert_eq!(
            r("esm-first").as_deref(),
            Some("node_modules/esm-first/esm.mjs")
        );
        assert_eq!(
            r("plain").as_deref(),
            Some("node_modules/plain/lib/plain.js")
        );
    }

    #[test]
    fn exports_subpaths_exact_and_patterns_with_the_longest_prefix_winning() {
        let files = [
            APP,
            (
                "node_modules/@ui/kit/package.json",
                r#"{"exports": {
                    ".": "./lib/index.js",
                    "./button": {"default": "./lib/button/index.js"},
                    "./*": "./lib/*.js",
                    "./icons/*": {"react-native": "./lib/icons/native/*.js", "default": null},
                    "./legacy/": "./lib/old/",
                    "./package.json": "./package.json"}}"#,
            ),
            ("node_modules/@ui/kit/lib/index.js", ""),
            ("node_modules/@ui/kit/lib/button/index.js", ""),
            ("node_modules/@ui/kit/lib/Card.js", ""),
            ("node_modules/@ui/kit/lib/icons/native/Star.js", ""),
            ("node_modules/@ui/kit/lib/old/Row.js", ""),
        ];
        let r = |spec| resolve_in(&files, TargetPlatform::Ios, "App.js", spec);
        assert_eq!(
            r("@ui/kit").as_deref(),
            Some("node_modules/@ui/kit/lib/index.js")
        );
        assert_eq!(
            r("@ui/kit/button").as_deref(),
            Some("node_modules/@ui/kit/lib/button/index.js")
        );
        assert_eq!(
            r("@ui/kit/Card").as_deref(),
            Some("node_modules/@ui/kit/lib/Card.js")
        );
        assert_eq!(
            r("@ui/kit/icons/Star").as_deref(),
            Some("node_modules/@ui/kit/lib/icons/native/Star.js")
        );
        assert_eq!(
            r("@ui/kit/legacy/Row.js").as_deref(),
            Some("node_modules/@ui/kit/lib/old/Row.js")
        );
        // Not listed in `exports`, but in the request: looked up as a file (as Metro does).
        assert_eq!(
            r("@ui/kit/lib/Card").as_deref(),
            Some("node_modules/@ui/kit/lib/Card.js")
        );
        assert_eq!(r("@ui/kit/Nope"), None);
    }

    #[test]
    fn entry_fields_go_react_native_source_module_main_and_skip_targets_not_sent() {
        let manifest = r#"{"main": "lib/commonjs/index.js", "module": "lib/module/index.js",
            "react-native": "src/index.tsx", "source": "src/index.tsx"}"#;
        let all = [
            APP,
            ("node_modules/kit/package.json", manifest),
            ("node_modules/kit/src/index.tsx", ""),
            ("node_modules/kit/lib/module/index.js", ""),
            ("node_modules/kit/lib/commonjs/index.js", ""),
        ];
        let r = |files: &[(&str, &str)]| resolve_in(files, TargetPlatform::Ios, "App.js", "kit");
        assert_eq!(r(&all).as_deref(), Some("node_modules/kit/src/index.tsx"));
        assert_eq!(
            r(&[all[0], all[1], all[3], all[4]]).as_deref(),
            Some("node_modules/kit/lib/module/index.js")
        );
        assert_eq!(
            r(&[all[0], all[1], all[4]]).as_deref(),
            Some("node_modules/kit/lib/commonjs/index.js")
        );
        // No package.json: the package's index.
        assert_eq!(
            r(&[APP, ("node_modules/kit/index.js", "")]).as_deref(),
            Some("node_modules/kit/index.js")
        );
    }

    #[test]
    fn extensionless_targets_take_the_platform_file_first_then_native_then_plain() {
        let files = [
            APP,
            ("node_modules/kit/package.json", r#"{"main": "lib/Card"}"#),
            ("node_modules/kit/lib/Card.ios.js", ""),
            ("node_modules/kit/lib/Card.native.js", ""),
            ("node_modules/kit/lib/Card.js", ""),
            ("node_modules/kit/lib/Row.native.tsx", ""),
            ("node_modules/kit/lib/Row.js", ""),
            ("node_modules/kit/lib/List/index.android.jsx", ""),
            ("node_modules/kit/lib/List/index.js", ""),
        ];
        let r = |p, spec| resolve_in(&files, p, "App.js", spec);
        assert_eq!(
            r(TargetPlatform::Ios, "kit").as_deref(),
            Some("node_modules/kit/lib/Card.ios.js")
        );
        assert_eq!(
            r(TargetPlatform::Android, "kit").as_deref(),
            Some("node_modules/kit/lib/Card.native.js")
        );
        assert_eq!(
            r(TargetPlatform::Ios, "kit/lib/Row").as_deref(),
            Some("node_modules/kit/lib/Row.native.tsx")
        );
        assert_eq!(
            r(TargetPlatform::Android, "kit/lib/List").as_deref(),
            Some("node_modules/kit/lib/List/index.android.jsx")
        );
        assert_eq!(
            r(TargetPlatform::Ios, "kit/lib/List").as_deref(),
            Some("node_modules/kit/lib/List/index.js")
        );
    }

    #[test]
    fn the_nearest_node_modules_wins_and_missing_packages_do_not_resolve() {
        let files = [
            APP,
            ("node_modules/kit/index.js", ""),
            ("node_modules/base/index.js", ""),
            ("node_modules/kit/node_modules/base/index.js", ""),
            ("apps/mobile/App.js", ""),
            ("apps/mobile/node_modules/kit/index.js", ""),
        ];
        let r = |from, spec| resolve_in(&files, TargetPlatform::Ios, from, spec);
        assert_eq!(
            r("node_modules/kit/index.js", "base").as_deref(),
            Some("node_modules/kit/node_modules/base/index.js")
        );
        assert_eq!(
            r("App.js", "base").as_deref(),
            Some("node_modules/base/index.js")
        );
        assert_eq!(
            r("apps/mobile/App.js", "kit").as_deref(),
            Some("apps/mobile/node_modules/kit/index.js")
        );
        assert_eq!(
            r("apps/mobile/App.js", "base").as_deref(),
            Some("node_modules/base/index.js")
        );
        assert_eq!(r("App.js", "absent-kit"), None);
    }

    #[test]
    fn imported_packages_lists_bare_imports_but_not_the_builtin_ones() {
        let text = r#"
            import React from 'react';
            import { View } from "react-native";
            import { Card } from '@ui/kit/lib/Card';
            import './side-effect';
            import 'polyfill-kit';
            export * from "re-exported";
            const X = require('cjs-kit');
            const Y = React.lazy(() => import('lazy-kit'));
            const n = important('not-an-import');
            const s = "from";
            require('@babel/runtime/helpers/interopRequireDefault');
        "#;
        assert_eq!(
            imported_packages(text),
            [
                "@ui/kit",
                "polyfill-kit",
                "re-exported",
                "cjs-kit",
                "lazy-kit"
            ]
        );
    }
}
