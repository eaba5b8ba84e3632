//! Modules: loading a file's top level once per screen, import bindings (resolved lazily, so
//! import cycles terminate), exports, re-exports and `export *`; CommonJS modules
//! (`require`, `module.exports`, `exports.x`, Babel's `Object.defineProperty(exports, ...)`
//! re-exports), as published packages ship them.

use std::collections::HashMap;
use std::rc::Rc;

use oxc::ast::ast::*;

use super::value::*;
use super::{
    ExportRef, Interp, Module, R, declared_names, export_decl, is_asset_spec, json_to_value,
    module_export_name,
};
use crate::project::FileKind;

impl<'p, 'a> Interp<'p, 'a> {
    pub(super) fn load_module(&mut self, m: usize) -> R<Env<'a>> {
        if let Some(md) = self.modules.get(&m) {
            return Ok(md.env);
        }
        let env: Env<'a> = new_env(self.alloc, Some(self.globals), m, None);
        let exports = new_obj(self.alloc, vec![]);
        declare(
            &env,
            "module",
            new_obj(self.alloc, vec![("exports", exports)]),
        );
        declare(&env, "exports", exports);
        let program = self.project.program(m);
        let commonjs = program.is_some_and(|p| !p.body.iter().any(is_export_statement));
        self.modules.insert(
            m,
            Module {
                env,
                exports: HashMap::default(),
                stars: Vec::new(),
                commonjs,
            },
        );
        let Some(program) = program else {
            return Ok(env);
        };
        self.enter(&self.project.files[m].path.clone())?;
        // Imports and function declarations are hoisted.
        for stmt in &program.body {
            match stmt {
                Statement::ImportDeclaration(imp) => self.bind_import(m, &env, imp),
                Statement::FunctionDeclaration(f) => self.hoist_fn(&env, f),
                Statement::ExportNamedDeclaration(_) => {}
                _ => {
                    if let Some(Declaration::FunctionDeclaration(f)) = export_decl(stmt) {
                        self.hoist_fn(&env, f)
                    }
                }
            }
        }
        for stmt in &program.body {
            self.tick()?;
            self.module_stmt(m, &env, stmt)?;
        }
        self.leave();
        Ok(env)
    }

    /// A CommonJS module's `module.exports` as it is now.
    fn commonjs_exports(&mut self, env: &Env<'a>) -> Value<'a> {
        match self.lookup_in(env, "module") {
            Some(module) => self.get_prop(&module, "exports"),
            None => Value::Undef,
        }
    }

    /// Resolves an import specifier written in module `m` to a file of the request; `None`
    /// for a package the evaluator implements itself (its code, if sent, is not evaluated) or
    /// one whose code is not in the request.
    pub(super) fn resolve_spec(&self, m: usize, spec: &str) -> Option<usize> {
        if let Some((name, _)) = crate::resolve::split_package(spec)
            && super::external::is_builtin_package(name)
        {
            return None;
        }
        self.project.resolve(m, spec)
    }

    pub(super) fn hoist_fn(&mut self, env: &Env<'a>, f: &'a Function<'a>) {
        if let Some(id) = &f.id {
            // Babel's inlined helpers (`_interopRequireDefault`, `_extends`, ...) are builtins:
            // their bodies use reflection (`Object.getOwnPropertyDescriptor`, `WeakMap`, `for
            // ... in`) that the evaluator does not run.
            let v = match super::external::babel_helper(id.name.as_str()) {
                Some(b) if id.name.starts_with('_') => Value::Builtin(b),
                _ => self.make_fn(FnNode::Func(f), env, id.name.as_str()),
            };
            declare_b(env, id.name.as_str(), v);
        }
    }

    pub(super) fn bind_import(&mut self, m: usize, env: &Env<'a>, imp: &'a ImportDeclaration<'a>) {
        let spec = imp.source.value.as_str();
        let target = self.resolve_spec(m, spec);
        let Some(specs) = &imp.specifiers else { return };
        for s in specs {
            let (local, imported): (&'a str, &str) = match s {
                ImportDeclarationSpecifier::ImportSpecifier(s) => {
                    (s.local.name.as_str(), module_export_name(&s.imported))
                }
                ImportDeclarationSpecifier::ImportDefaultSpecifier(s) => {
                    (s.local.name.as_str(), "default")
                }
                ImportDeclarationSpecifier::ImportNamespaceSpecifier(s) => {
                    (s.local.name.as_str(), "*")
                }
            };
            let v = match target {
                Some(t) => match self.project.kind(t) {
                    FileKind::Script(_) => Value::Lazy(t as u32, imported),
                    FileKind::Json(j) => json_to_value(
                        self.alloc,
                        if imported == "default" || imported == "*" {
                            j
                        } else {
                            &j[imported]
                        },
                    ),
                    FileKind::Broken(msg) => {
                        let msg = msg.clone();
                        self.warn(
                            "broken-import",
                            format!("`{local}` comes from a file that failed to parse ({msg})"),
                            m,
                            imp.span.start,
                        );
                        Value::unknown(self.alloc, format!("`{spec}` failed to parse: {msg}"))
                    }
                    FileKind::Other | FileKind::Package | FileKind::Image(_) => {
                        Value::Asset(self.alloc.alloc_str(&self.project.files[t].path))
                    }
                },
                None if spec.starts_with('.') => {
                    if is_asset_spec(spec) {
                        Value::Asset(self.alloc.alloc_str(&self.project.image_path(m, spec)))
                    } else {
                        self.warn(
                            "unresolved-import",
                            format!("`{spec}` is not among the given files; `{local}` is unknown"),
                            m,
                            imp.span.start,
                        );
                        Value::ext(self.alloc, spec, imported)
                    }
                }
                None => match self.import_package(spec, imported) {
                    // Name opaque default/namespace imports after their local binding.
                    Value::Ext(x) if x.1 == "default" || x.1 == "*" => {
                        Value::ext(self.alloc, x.0, local)
                    }
                    v => v,
                },
            };
            declare_b(env, local, v);
        }
    }

    pub(super) fn module_stmt(
        &mut self,
        m: usize,
        env: &Env<'a>,
        stmt: &'a Statement<'a>,
    ) -> R<()> {
        match stmt {
            Statement::ImportDeclaration(_) => {}
            Statement::ExportDeclaration(d) => {
                self.exec_decl(env, &d.declaration)?;
                let names = declared_names(&d.declaration);
                let md = self.modules.get_mut(&m).expect("module");
                for n in names {
                    md.exports.insert(n.clone(), ExportRef::Local(n));
                }
            }
            Statement::ExportNamedDeclaration(d) => {
                for s in &d.specifiers {
                    let local: Rc<str> = module_export_name(&s.local).into();
                    let exported: Rc<str> = module_export_name(&s.exported).into();
                    self.modules
                        .get_mut(&m)
                        .expect("module")
                        .exports
                        .insert(exported, ExportRef::Local(local));
                }
            }
            Statement::ExportFromDeclaration(d) => {
                let spec: Rc<str> = d.source.value.as_str().into();
                let t = self.resolve_spec(m, &spec);
                for s in &d.specifiers {
                    let local: Rc<str> = module_export_name(&s.local).into();
                    let exported: Rc<str> = module_export_name(&s.exported).into();
                    self.modules
                        .get_mut(&m)
                        .expect("module")
                        .exports
                        .insert(exported, ExportRef::From(t, spec.clone(), local));
                }
            }
            Statement::ExportAllDeclaration(d) => {
                let spec: Rc<str> = d.source.value.as_str().into();
                let t = self.resolve_spec(m, &spec);
                let md = self.modules.get_mut(&m).expect("module");
                match (&d.exported, t) {
                    (Some(name), _) => {
                        md.exports.insert(
                            module_export_name(name).into(),
                            ExportRef::From(t, spec, "*".into()),
                        );
                    }
                    (None, Some(t)) => md.stars.push(t),
                    (None, None) => {}
                }
            }
            Statement::ExportDefaultDeclaration(d) => {
                let v = match &d.declaration {
                    ExportDefaultDeclarationKind::FunctionDeclaration(f) => {
                        let name = f.id.as_ref().map_or("default", |i| i.name.as_str());
                        let v = self.make_fn(FnNode::Func(f), env, name);
                        declare_b(env, name, v);
                        v
                    }
                    ExportDefaultDeclarationKind::ClassDeclaration(c) => {
                        let v = self.make_class(c, env)?;
                        if let Some(id) = &c.id {
                            declare_b(env, id.name.as_str(), v);
                        }
                        v
                    }
                    ExportDefaultDeclarationKind::TSInterfaceDeclaration(_) => return Ok(()),
                    other => match other.as_expression() {
                        Some(e) => self.eval(env, e)?,
                        None => return Ok(()),
                    },
                };
                self.modules
                    .get_mut(&m)
                    .expect("module")
                    .exports
                    .insert("default".into(), ExportRef::Value(v));
            }
            Statement::TSExportAssignment(a) => {
                let v = self.eval(env, &a.expression)?;
                self.modules
                    .get_mut(&m)
                    .expect("module")
                    .exports
                    .insert("default".into(), ExportRef::Value(v));
            }
            other => {
                self.exec(env, other)?;
            }
        }
        Ok(())
    }

    /// The value a module exports under `name` (`*` for the namespace object).
    pub(super) fn get_export(&mut self, m: usize, name: &str, hops: usize) -> R<Value<'a>> {
        if hops > 32 {
            return Ok(Value::unknown(
                self.alloc,
                format!("re-export chain for `{name}` is too long or cyclic"),
            ));
        }
        let env = self.load_module(m)?;
        if self.modules[&m].commonjs {
            let exports = self.commonjs_exports(&env);
            return Ok(match name {
                "*" => exports,
                // Babel's interop: an ES module compiled to CommonJS keeps its default export
                // under `default`; a plain CommonJS module is its own default.
                "default" if self.is_es_module(&exports) => self.get_prop(&exports, "default"),
                "default" => exports,
                n => self.get_prop(&exports, n),
            });
        }
        if name == "*" {
            // Its own exports and what `export *` brings in (all but `default`), each once.
            let mut names: Vec<Rc<str>> = Vec::new();
            let mut visited = vec![m];
            self.export_names(m, &mut names, &mut visited, true)?;
            names.sort();
            names.dedup();
            let mut entries = Vec::new();
            for n in names {
                let v = self.get_export(m, &n, hops + 1)?;
                entries.push((self.alloc.alloc_str(&n), v));
            }
            return Ok(new_obj(self.alloc, entries));
        }
        let found = self.modules[&m].exports.get(name).cloned();
        match found {
            Some(ExportRef::Local(l)) => Ok(self.lookup_in(&env, &l).unwrap_or(Value::Undef)),
            Some(ExportRef::Value(v)) => self.force(v, hops),
            Some(ExportRef::From(Some(t), _, n))
                if matches!(self.project.kind(t), FileKind::Script(_)) =>
            {
                self.get_export(t, &n, hops + 1)
            }
            Some(ExportRef::From(_, spec, n)) => Ok(self.import_package(&spec, &n)),
            None => {
                let stars = self.modules[&m].stars.clone();
                // `export *` cycles: each module is searched once per lookup.
                self.star_visiting.push(m);
                let mut found = None;
                for s in stars {
                    if self.star_visiting.contains(&s)
                        || !matches!(self.project.kind(s), FileKind::Script(_))
                    {
                        continue;
                    }
                    self.load_module(s)?;
                    let has = self.modules[&s].exports.contains_key(name)
                        || !self.modules[&s].stars.is_empty();
                    if has {
                        let v = self.get_export(s, name, hops + 1)?;
                        if !matches!(v, Value::Undef) {
                            found = Some(v);
                            break;
                        }
                    }
                }
                self.star_visiting.pop();
                if let Some(v) = found {
                    return Ok(v);
                }
                if self.modules[&m].exports.is_empty() && self.modules[&m].stars.is_empty() {
                    // A module still loading (import cycle) or a CommonJS module.
                    return Ok(Value::unknown(
                        self.alloc,
                        format!(
                            "`{name}` of {} is not available (import cycle?)",
                            self.project.files[m].path
                        ),
                    ));
                }
                Ok(Value::Undef)
            }
        }
    }

    /// The names module `m` exports, with those of the modules it `export *`s from (not their
    /// `default`); `visited` ends `export *` cycles.
    fn export_names(
        &mut self,
        m: usize,
        names: &mut Vec<Rc<str>>,
        visited: &mut Vec<usize>,
        own: bool,
    ) -> R<()> {
        names.extend(
            self.modules[&m]
                .exports
                .keys()
                .filter(|k| own || &***k != "default")
                .cloned(),
        );
        let stars = self.modules[&m].stars.clone();
        for s in stars {
            if visited.contains(&s) || !matches!(self.project.kind(s), FileKind::Script(_)) {
                continue;
            }
            visited.push(s);
            self.load_module(s)?;
            if self.modules[&s].commonjs {
                continue;
            }
            self.export_names(s, names, visited, false)?;
        }
        Ok(())
    }

    /// Whether a module value is an ES module compiled to CommonJS (`exports.__esModule`).
    pub(super) fn is_es_module(&mut self, v: &Value<'a>) -> bool {
        matches!(v, Value::Obj(_)) && self.get_prop(v, "__esModule").truthy() == Some(true)
    }

    pub(super) fn force(&mut self, v: Value<'a>, hops: usize) -> R<Value<'a>> {
        match v {
            Value::Lazy(m, n) => self.get_export(m as usize, n, hops + 1),
            v => Ok(v),
        }
    }

    /// The value `name` is bound to in `env` or a scope around it, or a global. Inlined: the
    /// value is copied straight into the caller's slot.
    #[inline(always)]
    pub(super) fn lookup_in(&mut self, env: &Env<'a>, name: &str) -> Option<Value<'a>> {
        let mut cur: Option<&Env<'a>> = Some(env);
        let bit = name_bit(name);
        while let Some(e) = cur {
            let (m, n) = match e.vars.borrow().get_with(name, bit) {
                Some(Value::Lazy(m, n)) => (*m, *n),
                Some(v) => return Some(*v),
                None => {
                    cur = e.parent.as_ref();
                    continue;
                }
            };
            return Some(self.resolve_lazy(e, name, m, n));
        }
        self.lookup_global(name)
    }

    /// Resolves the import binding `name` of scope `e` (export `n` of module `m`) and binds the
    /// result in its place.
    #[inline(never)]
    fn resolve_lazy(&mut self, e: &Env<'a>, name: &str, m: u32, n: &str) -> Value<'a> {
        let resolved = self
            .get_export(m as usize, n, 0)
            .unwrap_or_else(|_| Value::unknown(self.alloc, "time budget"));
        e.vars
            .borrow_mut()
            .insert(self.alloc.alloc_str(name), resolved);
        resolved
    }

    /// A global (`Math`, `JSON`, ...), built on first use.
    #[inline(never)]
    fn lookup_global(&mut self, name: &str) -> Option<Value<'a>> {
        let g = self.ext().global(name)?;
        declare(&self.globals, name, g);
        Some(g)
    }

    pub(super) fn lookup_this(&self, env: &Env<'a>) -> Value<'a> {
        let mut cur = Some(env);
        while let Some(e) = cur {
            if let Some(t) = &e.this {
                return *t;
            }
            cur = e.parent.as_ref();
        }
        Value::Undef
    }

    /// A binding of a module's top level (used by screen discovery).
    pub fn module_binding(&mut self, m: usize, name: &str) -> R<Option<Value<'a>>> {
        if name == "default" {
            let v = self.get_export(m, "default", 0)?;
            return Ok((!matches!(v, Value::Undef)).then_some(v));
        }
        let env = self.load_module(m)?;
        Ok(self.lookup_in(&env, name))
    }
}

/// Whether a statement makes its module an ES module's exporter (`export ...`).
fn is_export_statement(s: &Statement<'_>) -> bool {
    matches!(
        s,
        Statement::ExportAllDeclaration(_)
            | Statement::ExportDeclaration(_)
            | Statement::ExportFromDeclaration(_)
            | Statement::ExportDefaultDeclaration(_)
            | Statement::ExportNamedDeclaration(_)
            | Statement::TSExportAssignment(_)
    )
}
