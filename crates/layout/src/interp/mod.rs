//! The constant evaluator: runs module top levels, component functions and class `render`s
//! far enough to know the element tree and its styles. Anything it cannot know becomes
//! [`Value::Unknown`] and, where it is used, a warning.

mod external;
mod render;
mod value;

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use oxc::ast::ast::*;
use oxc::span::GetSpan;
use oxc::syntax::operator::{AssignmentOperator, BinaryOperator, LogicalOperator, UnaryOperator};

use crate::device::DeviceProfile;
use crate::document::Warning;
use crate::project::{FileKind, Project};
use value::*;

/// Context id of styled-components' / emotion's `ThemeProvider`.
pub(crate) const STYLED_THEME_CTX: usize = 0;

/// Context id of React Navigation's `ThemeProvider` / `NavigationContainer theme`.
pub(crate) const NAV_THEME_CTX: usize = 1;

/// Why a screen stops compiling.
#[derive(Debug)]
pub(crate) enum Fatal {
    Budget,
    Limit(String),
}

type R<T> = Result<T, Fatal>;

/// Message and (file, line, column): a warning is reported once per place.
type WarningKey = (String, Option<(String, u32, u32)>);

enum Flow<'a> {
    Normal,
    Return(Value<'a>),
    Break,
}

#[derive(Clone)]
enum ExportRef<'a> {
    Local(Rc<str>),
    Value(Value<'a>),
    From(Option<usize>, Rc<str>, Rc<str>),
}

struct Module<'a> {
    env: Env<'a>,
    exports: HashMap<Rc<str>, ExportRef<'a>>,
    stars: Vec<usize>,
}

pub(crate) struct Interp<'p, 'a> {
    pub project: &'p Project<'a>,
    device: DeviceProfile,
    modules: HashMap<usize, Module<'a>>,
    pub warnings: Vec<Warning>,
    seen: HashSet<WarningKey>,
    depth: usize,
    steps: u64,
    ctx_stack: Vec<(usize, Value<'a>)>,
    next_ctx: usize,
    pub nodes: usize,
    /// Route name / href -> screen id, for navigation actions.
    pub routes: HashMap<String, String>,
    globals: Env<'a>,
    /// Modules whose `export *` lists are being searched (cycle guard).
    star_visiting: Vec<usize>,
}

fn prop_key_name(k: &PropertyKey<'_>) -> Option<String> {
    k.static_name().map(|c| c.to_string())
}

impl<'p, 'a> Interp<'p, 'a> {
    pub fn new(project: &'p Project<'a>, routes: HashMap<String, String>) -> Self {
        let device = crate::device::profile(project.target.device);
        let globals: Env<'a> = Rc::new(Scope {
            vars: Default::default(),
            parent: None,
            module: usize::MAX,
            this: None,
        });
        Interp {
            project,
            device,
            modules: HashMap::new(),
            warnings: Vec::new(),
            seen: HashSet::new(),
            depth: 0,
            steps: 0,
            ctx_stack: Vec::new(),
            next_ctx: NAV_THEME_CTX + 1,
            nodes: 0,
            routes,
            globals,
            star_visiting: Vec::new(),
        }
    }

    fn ext(&self) -> external::Env<'_> {
        external::Env {
            platform: self.project.target.platform,
            device: &self.device,
        }
    }

    pub fn warn(&mut self, code: &str, message: String, module: usize, offset: u32) {
        let loc =
            (module < self.project.files.len()).then(|| self.project.location(module, offset));
        let key = (
            message.clone(),
            loc.as_ref().map(|l| (l.file.clone(), l.line, l.column)),
        );
        if self.seen.insert(key) {
            self.warnings.push(Warning {
                code: code.into(),
                message,
                location: loc,
            });
        }
    }

    fn tick(&mut self) -> R<()> {
        self.steps += 1;
        if self.steps.is_multiple_of(1024)
            && self.project.started.elapsed() > self.project.limits.time_budget
        {
            return Err(Fatal::Budget);
        }
        Ok(())
    }

    fn enter(&mut self, what: &str) -> R<()> {
        self.depth += 1;
        if self.depth > self.project.limits.max_expansion_depth {
            return Err(Fatal::Limit(format!(
                "expansion deeper than {} levels at {what} (a recursive component or function?)",
                self.project.limits.max_expansion_depth
            )));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    // ---------------------------------------------------------------- modules

    fn load_module(&mut self, m: usize) -> R<Env<'a>> {
        if let Some(md) = self.modules.get(&m) {
            return Ok(md.env.clone());
        }
        let env: Env<'a> = Rc::new(Scope {
            vars: Default::default(),
            parent: Some(self.globals.clone()),
            module: m,
            this: None,
        });
        let module_obj = new_obj(vec![("exports".into(), new_obj(vec![]))]);
        declare(&env, "module", module_obj.clone());
        self.modules.insert(
            m,
            Module {
                env: env.clone(),
                exports: HashMap::new(),
                stars: Vec::new(),
            },
        );
        let Some(program) = self.project.program(m) else {
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
        // CommonJS: `module.exports = ...` / `exports.x = ...`.
        if let Value::Obj(mo) = &module_obj {
            if let Some(Value::Obj(ex)) = obj_get(mo, "exports") {
                let entries = ex.borrow().clone();
                let md = self.modules.get_mut(&m).expect("module registered");
                if !entries.is_empty() && !md.exports.contains_key("default") {
                    md.exports
                        .insert("default".into(), ExportRef::Value(Value::Obj(ex.clone())));
                }
                for (k, v) in entries {
                    md.exports.entry(k).or_insert(ExportRef::Value(v));
                }
            } else if let Some(v) = obj_get(mo, "exports") {
                let md = self.modules.get_mut(&m).expect("module registered");
                md.exports
                    .entry("default".into())
                    .or_insert(ExportRef::Value(v));
            }
        }
        self.leave();
        Ok(env)
    }

    fn hoist_fn(&mut self, env: &Env<'a>, f: &'a Function<'a>) {
        if let Some(id) = &f.id {
            let v = self.make_fn(FnNode::Func(f), env, id.name.as_str());
            declare(env, id.name.as_str(), v);
        }
    }

    fn bind_import(&mut self, m: usize, env: &Env<'a>, imp: &'a ImportDeclaration<'a>) {
        let spec = imp.source.value.as_str();
        let target = self.project.resolve(m, spec);
        let Some(specs) = &imp.specifiers else { return };
        for s in specs {
            let (local, imported): (&str, &str) = match s {
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
                Some(t) => match &self.project.files[t].kind {
                    FileKind::Script(_) => Value::Lazy(t, imported.into()),
                    FileKind::Json(j) => {
                        json_to_value(if imported == "default" || imported == "*" {
                            j
                        } else {
                            &j[imported]
                        })
                    }
                    FileKind::Broken(msg) => {
                        let msg = msg.clone();
                        self.warn(
                            "broken-import",
                            format!("`{local}` comes from a file that failed to parse ({msg})"),
                            m,
                            imp.span.start,
                        );
                        Value::unknown(format!("`{spec}` failed to parse: {msg}"))
                    }
                    FileKind::Other => Value::Asset(self.project.files[t].path.as_str().into()),
                },
                None if spec.starts_with('.') => {
                    if is_asset_spec(spec) {
                        Value::Asset(spec.into())
                    } else {
                        self.warn(
                            "unresolved-import",
                            format!("`{spec}` is not among the given files; `{local}` is unknown"),
                            m,
                            imp.span.start,
                        );
                        Value::Ext(spec.into(), imported.into())
                    }
                }
                None => match self.ext().import(spec, imported) {
                    // Name opaque default/namespace imports after their local binding.
                    Value::Ext(p, n) if &*n == "default" || &*n == "*" => {
                        Value::Ext(p, local.into())
                    }
                    v => v,
                },
            };
            declare(env, local, v);
        }
    }

    fn module_stmt(&mut self, m: usize, env: &Env<'a>, stmt: &'a Statement<'a>) -> R<()> {
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
                let t = self.project.resolve(m, &spec);
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
                let t = self.project.resolve(m, &spec);
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
                        declare(env, name, v.clone());
                        v
                    }
                    ExportDefaultDeclarationKind::ClassDeclaration(c) => {
                        let v = self.make_class(c, env)?;
                        if let Some(id) = &c.id {
                            declare(env, id.name.as_str(), v.clone());
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
    fn get_export(&mut self, m: usize, name: &str, hops: usize) -> R<Value<'a>> {
        if hops > 32 {
            return Ok(Value::unknown(format!(
                "re-export chain for `{name}` is too long or cyclic"
            )));
        }
        let env = self.load_module(m)?;
        if name == "*" {
            let mut names: Vec<Rc<str>> = self.modules[&m].exports.keys().cloned().collect();
            names.sort();
            let mut entries = Vec::new();
            for n in names {
                let v = self.get_export(m, &n, hops + 1)?;
                entries.push((n, v));
            }
            return Ok(new_obj(entries));
        }
        let found = self.modules[&m].exports.get(name).cloned();
        match found {
            Some(ExportRef::Local(l)) => Ok(self.lookup_in(&env, &l).unwrap_or(Value::Undef)),
            Some(ExportRef::Value(v)) => self.force(v, hops),
            Some(ExportRef::From(Some(t), _, n))
                if matches!(self.project.files[t].kind, FileKind::Script(_)) =>
            {
                self.get_export(t, &n, hops + 1)
            }
            Some(ExportRef::From(_, spec, n)) => Ok(self.ext().import(&spec, &n)),
            None => {
                let stars = self.modules[&m].stars.clone();
                // `export *` cycles: each module is searched once per lookup.
                self.star_visiting.push(m);
                let mut found = None;
                for s in stars {
                    if self.star_visiting.contains(&s)
                        || !matches!(self.project.files[s].kind, FileKind::Script(_))
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
                    return Ok(Value::unknown(format!(
                        "`{name}` of {} is not available (import cycle?)",
                        self.project.files[m].path
                    )));
                }
                Ok(Value::Undef)
            }
        }
    }

    fn force(&mut self, v: Value<'a>, hops: usize) -> R<Value<'a>> {
        match v {
            Value::Lazy(m, n) => self.get_export(m, &n, hops + 1),
            v => Ok(v),
        }
    }

    fn lookup_in(&mut self, env: &Env<'a>, name: &str) -> Option<Value<'a>> {
        let mut cur = Some(env.clone());
        while let Some(e) = cur {
            let v = e.vars.borrow().get(name).cloned();
            if let Some(v) = v {
                if let Value::Lazy(m, n) = &v {
                    let resolved = self
                        .get_export(*m, n, 0)
                        .unwrap_or_else(|_| Value::unknown("time budget"));
                    e.vars.borrow_mut().insert(name.into(), resolved.clone());
                    return Some(resolved);
                }
                return Some(v);
            }
            cur = e.parent.clone();
        }
        // Globals are built on first use.
        let g = self.ext().global(name)?;
        declare(&self.globals, name, g.clone());
        Some(g)
    }

    fn lookup_this(&self, env: &Env<'a>) -> Value<'a> {
        let mut cur = Some(env.clone());
        while let Some(e) = cur {
            if let Some(t) = &e.this {
                return t.clone();
            }
            cur = e.parent.clone();
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

    // ---------------------------------------------------------------- functions & classes

    fn make_fn(&self, node: FnNode<'a>, env: &Env<'a>, name: &str) -> Value<'a> {
        Value::Func(Rc::new(Closure {
            node,
            env: env.clone(),
            this: None,
            name: name.into(),
            statics: Rc::new(Default::default()),
        }))
    }

    fn make_class(&mut self, c: &'a Class<'a>, env: &Env<'a>) -> R<Value<'a>> {
        let name: Rc<str> =
            c.id.as_ref()
                .map_or("Component", |i| i.name.as_str())
                .into();
        let statics: Obj<'a> = Rc::new(Default::default());
        for el in &c.body.body {
            if let ClassElement::PropertyDefinition(p) = el
                && p.r#static
                && let (Some(k), Some(v)) = (prop_key_name(&p.key), &p.value)
            {
                let v = self.eval(env, v)?;
                obj_set(&statics, &k, v);
            }
        }
        Ok(Value::Class(Rc::new(ClassDef {
            class: c,
            env: env.clone(),
            name,
            statics,
        })))
    }

    pub fn call(
        &mut self,
        f: &Value<'a>,
        this: Option<Value<'a>>,
        args: Vec<Value<'a>>,
        module: usize,
        offset: u32,
    ) -> R<Value<'a>> {
        self.tick()?;
        match f {
            Value::Func(c) => {
                self.enter(&c.name)?;
                let r = self.call_closure(c, this, args);
                self.leave();
                r
            }
            Value::Builtin(b) => self.call_builtin(*b, args, module, offset),
            Value::Unknown(r) => Ok(Value::Unknown(r.clone())),
            Value::Ext(p, n) => Ok(Value::unknown(format!(
                "`{n}()` from `{p}` is not evaluated"
            ))),
            Value::Class(c) => Ok(Value::unknown(format!("`new {}` is not evaluated", c.name))),
            _ => Ok(Value::unknown("called a value that is not a function")),
        }
    }

    fn call_closure(
        &mut self,
        c: &Rc<Closure<'a>>,
        this: Option<Value<'a>>,
        args: Vec<Value<'a>>,
    ) -> R<Value<'a>> {
        match c.node {
            FnNode::Func(f) => {
                let env = child_env(
                    &c.env,
                    Some(c.this.clone().or(this).unwrap_or(Value::Undef)),
                );
                self.bind_params(&env, &f.params, args)?;
                let Some(body) = &f.body else {
                    return Ok(Value::Undef);
                };
                self.run_body(&env, &body.statements)
            }
            FnNode::Arrow(a) => {
                let env = child_env(&c.env, None);
                self.bind_params(&env, &a.params, args)?;
                match &a.body {
                    ArrowFunctionBody::FunctionBody(b) => self.run_body(&env, &b.statements),
                    other => self.eval(&env, other.as_expression().expect("expression body")),
                }
            }
        }
    }

    fn run_body(&mut self, env: &Env<'a>, stmts: &'a [Statement<'a>]) -> R<Value<'a>> {
        for s in stmts {
            if let Statement::FunctionDeclaration(f) = s {
                self.hoist_fn(env, f);
            }
        }
        for s in stmts {
            match self.exec(env, s)? {
                Flow::Return(v) => return Ok(v),
                Flow::Break => break,
                Flow::Normal => {}
            }
        }
        Ok(Value::Undef)
    }

    fn bind_params(
        &mut self,
        env: &Env<'a>,
        params: &'a FormalParameters<'a>,
        args: Vec<Value<'a>>,
    ) -> R<()> {
        let mut it = args.into_iter();
        for p in &params.items {
            let mut v = it.next().unwrap_or(Value::Undef);
            if let (Value::Undef, Some(init)) = (&v, &p.initializer) {
                v = self.eval(env, init)?;
            }
            self.bind_pattern(env, &p.pattern, v)?;
        }
        if let Some(rest) = &params.rest {
            let v = Value::Arr(Rc::new(it.collect()));
            self.bind_pattern(env, &rest.rest.argument, v)?;
        }
        Ok(())
    }

    fn bind_pattern(&mut self, env: &Env<'a>, pat: &'a BindingPattern<'a>, v: Value<'a>) -> R<()> {
        match pat {
            BindingPattern::BindingIdentifier(id) => declare(env, id.name.as_str(), v),
            BindingPattern::AssignmentPattern(a) => {
                let v = if matches!(v, Value::Undef) {
                    self.eval(env, &a.right)?
                } else {
                    v
                };
                self.bind_pattern(env, &a.left, v)?;
            }
            BindingPattern::ObjectPattern(o) => {
                let mut used = Vec::new();
                for p in &o.properties {
                    let key = if p.computed {
                        match p.key.as_expression() {
                            Some(e) => self.eval(env, e)?.to_display().unwrap_or_default(),
                            None => String::new(),
                        }
                    } else {
                        prop_key_name(&p.key).unwrap_or_default()
                    };
                    let pv = self.get_prop(&v, &key);
                    used.push(key);
                    self.bind_pattern(env, &p.value, pv)?;
                }
                if let Some(rest) = &o.rest {
                    let restv = match &v {
                        Value::Obj(ob) => new_obj(
                            ob.borrow()
                                .iter()
                                .filter(|(k, _)| !used.iter().any(|u| **u == **k))
                                .cloned()
                                .collect(),
                        ),
                        other => other.clone(),
                    };
                    self.bind_pattern(env, &rest.argument, restv)?;
                }
            }
            BindingPattern::ArrayPattern(a) => {
                for (i, el) in a.elements.iter().enumerate() {
                    if let Some(el) = el {
                        let ev = self.get_prop(&v, &i.to_string());
                        self.bind_pattern(env, el, ev)?;
                    }
                }
                if let Some(rest) = &a.rest {
                    let restv = match &v {
                        Value::Arr(xs) => {
                            Value::Arr(Rc::new(xs.iter().skip(a.elements.len()).cloned().collect()))
                        }
                        other => other.clone(),
                    };
                    self.bind_pattern(env, &rest.argument, restv)?;
                }
            }
        }
        Ok(())
    }

    // ---------------------------------------------------------------- statements

    fn exec_decl(&mut self, env: &Env<'a>, d: &'a Declaration<'a>) -> R<()> {
        match d {
            Declaration::VariableDeclaration(v) => {
                for d in &v.declarations {
                    let val = match &d.init {
                        Some(e) => self.eval_named(env, e, binding_name(&d.id))?,
                        None => Value::Undef,
                    };
                    let val = match (val, binding_name(&d.id)) {
                        // `const X = memo(() => ...)`: the component is called X.
                        (Value::Func(c), Some(n)) if &*c.name == "anonymous" => {
                            Value::Func(Rc::new(Closure {
                                node: c.node,
                                env: c.env.clone(),
                                this: c.this.clone(),
                                name: n.into(),
                                statics: c.statics.clone(),
                            }))
                        }
                        (v, _) => v,
                    };
                    self.bind_pattern(env, &d.id, val)?;
                }
            }
            Declaration::FunctionDeclaration(f) => self.hoist_fn(env, f),
            Declaration::ClassDeclaration(c) => {
                let v = self.make_class(c, env)?;
                if let Some(id) = &c.id {
                    declare(env, id.name.as_str(), v);
                }
            }
            Declaration::TSEnumDeclaration(e) => {
                let mut entries = Vec::new();
                let mut next = 0.0;
                for m in &e.body.members {
                    let name: Rc<str> = m.id.static_name().as_str().into();
                    let v = match &m.initializer {
                        Some(init) => self.eval(env, init)?,
                        None => Value::Num(next),
                    };
                    if let Value::Num(n) = v {
                        next = n + 1.0;
                    }
                    entries.push((name, v));
                }
                declare(env, e.id.name.as_str(), new_obj(entries));
            }
            _ => {}
        }
        Ok(())
    }

    fn exec(&mut self, env: &Env<'a>, s: &'a Statement<'a>) -> R<Flow<'a>> {
        stacker::maybe_grow(STACK_RED_ZONE, STACK_GROW, || self.exec_inner(env, s))
    }

    fn exec_inner(&mut self, env: &Env<'a>, s: &'a Statement<'a>) -> R<Flow<'a>> {
        self.tick()?;
        match s {
            Statement::ReturnStatement(r) => {
                let v = match &r.argument {
                    Some(e) => self.eval(env, e)?,
                    None => Value::Undef,
                };
                return Ok(Flow::Return(v));
            }
            Statement::ExpressionStatement(e) => {
                self.eval(env, &e.expression)?;
            }
            Statement::BlockStatement(b) => {
                let inner = child_env(env, None);
                return self.exec_block(&inner, &b.body);
            }
            Statement::IfStatement(i) => {
                let t = self.eval(env, &i.test)?;
                let branch = match t.truthy() {
                    Some(b) => b,
                    None => {
                        self.warn_condition(env, &t, i.test.span().start);
                        true
                    }
                };
                if branch {
                    return self.exec(env, &i.consequent);
                } else if let Some(alt) = &i.alternate {
                    return self.exec(env, alt);
                }
            }
            Statement::SwitchStatement(sw) => {
                let d = self.eval(env, &sw.discriminant)?;
                let mut start = None;
                if matches!(d, Value::Unknown(_)) {
                    self.warn_condition(env, &d, sw.discriminant.span().start);
                    start = Some(0);
                } else {
                    for (i, c) in sw.cases.iter().enumerate() {
                        if let Some(t) = &c.test {
                            let tv = self.eval(env, t)?;
                            if strict_eq(&d, &tv) == Some(true) {
                                start = Some(i);
                                break;
                            }
                        }
                    }
                    if start.is_none() {
                        start = sw.cases.iter().position(|c| c.test.is_none());
                    }
                }
                if let Some(start) = start {
                    let inner = child_env(env, None);
                    for c in &sw.cases[start..] {
                        match self.exec_block(&inner, &c.consequent)? {
                            Flow::Normal => {}
                            Flow::Break => return Ok(Flow::Normal),
                            r => return Ok(r),
                        }
                    }
                }
            }
            Statement::BreakStatement(_) => return Ok(Flow::Break),
            Statement::TryStatement(t) => {
                let inner = child_env(env, None);
                return self.exec_block(&inner, &t.block.body);
            }
            Statement::ForStatement(_)
            | Statement::ForInStatement(_)
            | Statement::ForOfStatement(_)
            | Statement::WhileStatement(_)
            | Statement::DoWhileStatement(_) => {
                self.warn(
                    "loop-skipped",
                    "loops are not executed; values they build are unknown".into(),
                    env.module,
                    s.span().start,
                );
            }
            other => {
                if let Some(d) = other.as_declaration() {
                    self.exec_decl(env, d)?;
                }
            }
        }
        Ok(Flow::Normal)
    }

    fn exec_block(&mut self, env: &Env<'a>, body: &'a [Statement<'a>]) -> R<Flow<'a>> {
        for s in body {
            if let Statement::FunctionDeclaration(f) = s {
                self.hoist_fn(env, f);
            }
        }
        for s in body {
            match self.exec(env, s)? {
                Flow::Normal => {}
                r => return Ok(r),
            }
        }
        Ok(Flow::Normal)
    }

    fn warn_condition(&mut self, env: &Env<'a>, v: &Value<'a>, offset: u32) {
        let reason = match v {
            Value::Unknown(r) => r.to_string(),
            _ => "unknown".into(),
        };
        self.warn(
            "unknown-condition",
            format!("condition could not be evaluated ({reason}); the first branch is shown"),
            env.module,
            offset,
        );
    }

    // ---------------------------------------------------------------- expressions

    /// Evaluates an initializer, naming anonymous functions after their binding.
    fn eval_named(
        &mut self,
        env: &Env<'a>,
        e: &'a Expression<'a>,
        name: Option<&str>,
    ) -> R<Value<'a>> {
        match (e.get_inner_expression(), name) {
            (Expression::ArrowFunctionExpression(a), Some(n)) => {
                Ok(self.make_fn(FnNode::Arrow(a), env, n))
            }
            (Expression::FunctionExpression(f), Some(n)) => {
                Ok(self.make_fn(FnNode::Func(f), env, n))
            }
            _ => self.eval(env, e),
        }
    }

    pub(crate) fn eval(&mut self, env: &Env<'a>, e: &'a Expression<'a>) -> R<Value<'a>> {
        stacker::maybe_grow(STACK_RED_ZONE, STACK_GROW, || self.eval_inner(env, e))
    }

    fn eval_inner(&mut self, env: &Env<'a>, e: &'a Expression<'a>) -> R<Value<'a>> {
        self.tick()?;
        Ok(match e {
            Expression::BooleanLiteral(b) => Value::Bool(b.value),
            Expression::NullLiteral(_) => Value::Null,
            Expression::NumericLiteral(n) => Value::Num(n.value),
            Expression::StringLiteral(s) => Value::str(s.value.as_str()),
            Expression::BigIntLiteral(_) | Expression::RegExpLiteral(_) => {
                Value::unknown("regex/bigint literal")
            }
            Expression::TemplateLiteral(t) => {
                let mut out = String::new();
                for (i, q) in t.quasis.iter().enumerate() {
                    out.push_str(
                        q.value
                            .cooked
                            .as_ref()
                            .map_or(q.value.raw.as_str(), |c| c.as_str()),
                    );
                    if let Some(x) = t.expressions.get(i) {
                        let v = self.eval(env, x)?;
                        match v.to_display() {
                            Some(s) => out.push_str(&s),
                            None => return Ok(unknown_from(&v, "template part")),
                        }
                    }
                }
                self.check_len(out.len())?;
                Value::str(&out)
            }
            Expression::Identifier(id) => {
                let name = id.name.as_str();
                match self.lookup_in(env, name) {
                    Some(v) => v,
                    None => Value::unknown(format!("`{name}` is not defined in the given files")),
                }
            }
            Expression::ThisExpression(_) => self.lookup_this(env),
            Expression::ArrayExpression(a) => {
                let mut items = Vec::new();
                for el in &a.elements {
                    match el {
                        ArrayExpressionElement::SpreadElement(s) => {
                            match self.eval(env, &s.argument)? {
                                Value::Arr(xs) => items.extend(xs.iter().cloned()),
                                Value::Undef | Value::Null => {}
                                other => items.push(unknown_from(&other, "spread")),
                            }
                        }
                        ArrayExpressionElement::Elision(_) => items.push(Value::Undef),
                        other => {
                            let x = other.as_expression().expect("expression element");
                            items.push(self.eval(env, x)?)
                        }
                    }
                }
                self.check_len(items.len())?;
                Value::Arr(Rc::new(items))
            }
            Expression::ObjectExpression(o) => {
                let obj: Obj<'a> = Rc::new(Default::default());
                for p in &o.properties {
                    match p {
                        ObjectPropertyKind::SpreadProperty(s) => {
                            match self.eval(env, &s.argument)? {
                                Value::Obj(src) => {
                                    let entries = src.borrow().clone();
                                    for (k, v) in entries {
                                        obj_set(&obj, &k, v);
                                    }
                                }
                                Value::Undef | Value::Null | Value::Bool(false) => {}
                                Value::Arr(xs) => {
                                    for (i, v) in xs.iter().enumerate() {
                                        obj_set(&obj, &i.to_string(), v.clone());
                                    }
                                }
                                other => {
                                    self.warn(
                                    "unknown-spread",
                                    format!("object spread could not be evaluated ({}); its keys are left out", reason_of(&other)),
                                    env.module,
                                    s.span.start,
                                );
                                }
                            }
                        }
                        ObjectPropertyKind::ObjectProperty(p) => {
                            let key = if p.computed {
                                let k =
                                    self.eval(env, p.key.as_expression().expect("computed key"))?;
                                match k.to_display() {
                                    Some(k) => k,
                                    None => continue,
                                }
                            } else {
                                prop_key_name(&p.key).unwrap_or_default()
                            };
                            let v = self.eval_named(env, &p.value, Some(&key))?;
                            obj_set(&obj, &key, v);
                        }
                    }
                }
                Value::Obj(obj)
            }
            Expression::ParenthesizedExpression(p) => self.eval(env, &p.expression)?,
            Expression::TSAsExpression(x) => self.eval(env, &x.expression)?,
            Expression::TSSatisfiesExpression(x) => self.eval(env, &x.expression)?,
            Expression::TSNonNullExpression(x) => self.eval(env, &x.expression)?,
            Expression::TSTypeAssertion(x) => self.eval(env, &x.expression)?,
            Expression::TSInstantiationExpression(x) => self.eval(env, &x.expression)?,
            Expression::ArrowFunctionExpression(a) => {
                self.make_fn(FnNode::Arrow(a), env, "anonymous")
            }
            Expression::FunctionExpression(f) => {
                let name = f.id.as_ref().map_or("anonymous", |i| i.name.as_str());
                self.make_fn(FnNode::Func(f), env, name)
            }
            Expression::ClassExpression(c) => self.make_class(c, env)?,
            Expression::ConditionalExpression(c) => {
                let t = self.eval(env, &c.test)?;
                match t.truthy() {
                    Some(true) => self.eval(env, &c.consequent)?,
                    Some(false) => self.eval(env, &c.alternate)?,
                    None => {
                        self.warn_condition(env, &t, c.test.span().start);
                        self.eval(env, &c.consequent)?
                    }
                }
            }
            Expression::LogicalExpression(l) => {
                let left = self.eval(env, &l.left)?;
                match l.operator {
                    LogicalOperator::And => match left.truthy() {
                        Some(true) => self.eval(env, &l.right)?,
                        Some(false) => left,
                        None => {
                            self.warn_condition(env, &left, l.left.span().start);
                            self.eval(env, &l.right)?
                        }
                    },
                    LogicalOperator::Or => match left.truthy() {
                        Some(true) => left,
                        Some(false) => self.eval(env, &l.right)?,
                        None => left,
                    },
                    LogicalOperator::Coalesce => {
                        if left.is_nullish() {
                            self.eval(env, &l.right)?
                        } else {
                            left
                        }
                    }
                }
            }
            Expression::BinaryExpression(b) => {
                let l = self.eval(env, &b.left)?;
                let r = self.eval(env, &b.right)?;
                let v = binary(b.operator, &l, &r);
                if let Value::Str(s) = &v {
                    self.check_len(s.len())?;
                }
                v
            }
            Expression::UnaryExpression(u) => {
                let v = self.eval(env, &u.argument)?;
                match u.operator {
                    UnaryOperator::LogicalNot => v
                        .truthy()
                        .map_or_else(|| unknown_from(&v, "negation"), |b| Value::Bool(!b)),
                    UnaryOperator::UnaryNegation => v
                        .to_num()
                        .map_or_else(|| unknown_from(&v, "negation"), |n| Value::Num(-n)),
                    UnaryOperator::UnaryPlus => v
                        .to_num()
                        .map_or_else(|| unknown_from(&v, "number"), Value::Num),
                    UnaryOperator::Typeof => match v {
                        Value::Unknown(_) => v,
                        v => Value::str(v.type_name()),
                    },
                    UnaryOperator::Void => Value::Undef,
                    _ => Value::unknown("unsupported unary operator"),
                }
            }
            Expression::SequenceExpression(s) => {
                let mut last = Value::Undef;
                for x in &s.expressions {
                    last = self.eval(env, x)?;
                }
                last
            }
            Expression::AssignmentExpression(a) => self.assign(env, a)?,
            Expression::ChainExpression(c) => match &c.expression {
                ChainElement::CallExpression(call) => self.eval_call(env, call)?,
                ChainElement::TSNonNullExpression(x) => self.eval(env, &x.expression)?,
                other => match other.as_member_expression() {
                    Some(m) => self.eval_member(env, m)?,
                    None => Value::unknown("optional chain"),
                },
            },
            Expression::CallExpression(c) => self.eval_call(env, c)?,
            Expression::NewExpression(n) => {
                let callee = self.eval(env, &n.callee)?;
                match callee {
                    Value::Builtin(b @ Builtin::AnimatedValue) => {
                        let args = self.eval_args(env, &n.arguments)?;
                        self.call_builtin(b, args, env.module, n.span.start)?
                    }
                    _ => Value::unknown("`new` expressions are not evaluated"),
                }
            }
            Expression::TaggedTemplateExpression(t) => self.eval_tagged(env, t)?,
            Expression::JSXElement(el) => self.eval_jsx_element(env, el)?,
            Expression::JSXFragment(f) => {
                let children = self.eval_jsx_children(env, &f.children)?;
                let props: Obj<'a> = Rc::new(Default::default());
                set_children(&props, children);
                Value::Elem(Rc::new(Elem {
                    ty: Value::Fragment,
                    props,
                    module: env.module,
                    offset: f.span.start,
                }))
            }
            Expression::AwaitExpression(_) => {
                Value::unknown("`await` results are not known at compile time")
            }
            Expression::UpdateExpression(_) => Value::unknown("update expression"),
            other => match other.as_member_expression() {
                Some(m) => self.eval_member(env, m)?,
                None => Value::unknown("unsupported expression"),
            },
        })
    }

    fn check_len(&self, n: usize) -> R<()> {
        if n > 1 << 20 {
            return Err(Fatal::Limit(format!(
                "a value grew to {n} elements/bytes (limit 1,048,576)"
            )));
        }
        Ok(())
    }

    fn assign(&mut self, env: &Env<'a>, a: &'a AssignmentExpression<'a>) -> R<Value<'a>> {
        let mut v = self.eval(env, &a.right)?;
        match &a.left {
            AssignmentTarget::AssignmentTargetIdentifier(id) => {
                if a.operator != AssignmentOperator::Assign {
                    let old = self
                        .lookup_in(env, id.name.as_str())
                        .unwrap_or(Value::Undef);
                    v = match a.operator.to_binary_operator() {
                        Some(op) => binary(op, &old, &v),
                        None => Value::unknown("logical assignment"),
                    };
                }
                // Assign to the nearest scope that holds the name.
                let mut cur = Some(env.clone());
                while let Some(e) = cur {
                    if e.vars.borrow().contains_key(id.name.as_str()) {
                        e.vars
                            .borrow_mut()
                            .insert(id.name.as_str().into(), v.clone());
                        return Ok(v);
                    }
                    cur = e.parent.clone();
                }
                declare(env, id.name.as_str(), v.clone());
            }
            other => {
                if let Some(m) = other.as_member_expression() {
                    let target = self.eval(env, m.object())?;
                    let key = match m {
                        MemberExpression::StaticMemberExpression(s) => {
                            s.property.name.as_str().to_string()
                        }
                        MemberExpression::ComputedMemberExpression(c) => {
                            let k = self.eval(env, &c.expression)?;
                            k.to_display().unwrap_or_default()
                        }
                        MemberExpression::PrivateFieldExpression(_) => return Ok(v),
                    };
                    match &target {
                        Value::Obj(o) => obj_set(o, &key, v.clone()),
                        Value::Func(c) => obj_set(&c.statics, &key, v.clone()),
                        Value::Class(c) => obj_set(&c.statics, &key, v.clone()),
                        _ => {}
                    }
                }
            }
        }
        Ok(v)
    }

    fn eval_args(&mut self, env: &Env<'a>, args: &'a [Argument<'a>]) -> R<Vec<Value<'a>>> {
        let mut out = Vec::with_capacity(args.len());
        for a in args {
            match a {
                Argument::SpreadElement(s) => match self.eval(env, &s.argument)? {
                    Value::Arr(xs) => out.extend(xs.iter().cloned()),
                    other => out.push(unknown_from(&other, "spread argument")),
                },
                other => out.push(self.eval(env, other.as_expression().expect("argument"))?),
            }
        }
        Ok(out)
    }

    fn eval_member(&mut self, env: &Env<'a>, m: &'a MemberExpression<'a>) -> R<Value<'a>> {
        let obj = self.eval(env, m.object())?;
        if m.optional() && obj.is_nullish() {
            return Ok(Value::Undef);
        }
        let key = match m {
            MemberExpression::StaticMemberExpression(s) => s.property.name.as_str().to_string(),
            MemberExpression::ComputedMemberExpression(c) => {
                let k = self.eval(env, &c.expression)?;
                match k.to_display() {
                    Some(k)
                        if !matches!(k.as_str(), "undefined") || matches!(obj, Value::Obj(_)) =>
                    {
                        k
                    }
                    _ => {
                        // `themes[theme]` with an unknown theme name: the default theme.
                        if let (Value::Unknown(r), Value::Obj(o)) = (&k, &obj) {
                            for default in ["light", "default", "Light", "DEFAULT"] {
                                if let Some(v) = obj_get(o, default) {
                                    self.warn(
                                        "default-theme",
                                        format!("key could not be evaluated ({r}); the `{default}` entry is used"),
                                        env.module,
                                        c.span.start,
                                    );
                                    return Ok(v);
                                }
                            }
                        }
                        return Ok(unknown_from(&k, "computed key"));
                    }
                }
            }
            MemberExpression::PrivateFieldExpression(_) => {
                return Ok(Value::unknown("private field"));
            }
        };
        Ok(self.get_prop(&obj, &key))
    }

    pub(crate) fn get_prop(&mut self, v: &Value<'a>, key: &str) -> Value<'a> {
        match v {
            Value::Obj(o) => obj_get(o, key).unwrap_or(Value::Undef),
            Value::Arr(xs) => match key {
                "length" => Value::Num(xs.len() as f64),
                k => k
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| xs.get(i).cloned())
                    .unwrap_or(Value::Undef),
            },
            Value::Str(s) => match key {
                "length" => Value::Num(s.chars().count() as f64),
                k => k
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| s.chars().nth(i))
                    .map_or(Value::Undef, |c| Value::str(&c.to_string())),
            },
            Value::Func(c) => match key {
                "name" => Value::Str(c.name.clone()),
                k => obj_get(&c.statics, k).unwrap_or(Value::Undef),
            },
            Value::Class(c) => obj_get(&c.statics, key).unwrap_or(Value::Undef),
            Value::Host(h) => match (&**h, key) {
                ("StatusBar", "currentHeight") => match self.project.target.platform {
                    crate::device::TargetPlatform::Android => {
                        Value::Num(self.device.status_bar_height)
                    }
                    crate::device::TargetPlatform::Ios => Value::Undef,
                },
                _ => Value::Undef,
            },
            Value::Ctx(id, _) => match key {
                "Provider" => Value::Provider(*id),
                "Consumer" => Value::Consumer(*id),
                _ => Value::Undef,
            },
            Value::Ext(p, n) => Value::Ext(p.clone(), format!("{n}.{key}").into()),
            Value::Builtin(Builtin::Styled) => {
                Value::StyledFactory(Rc::new((self.ext().import("react-native", key), None)))
            }
            Value::StyledFactory(f) if key == "attrs" => Value::StyledFactory(f.clone()),
            Value::Unknown(r) => Value::Unknown(r.clone()),
            Value::Undef | Value::Null => Value::unknown(format!(
                "reading `{key}` of {}",
                if v.is_nullish() { "undefined" } else { "null" }
            )),
            _ => Value::Undef,
        }
    }

    fn eval_call(&mut self, env: &Env<'a>, c: &'a CallExpression<'a>) -> R<Value<'a>> {
        let callee = c.callee.get_inner_expression();
        // Method calls: evaluate the receiver once.
        if let Some(m) = callee.as_member_expression()
            && let Some(name) = m.static_property_name()
        {
            let recv = self.eval(env, m.object())?;
            if m.optional() && recv.is_nullish() {
                return Ok(Value::Undef);
            }
            // `styled.View.attrs({...})` / `styled(View).attrs(...)`.
            if let (Value::StyledFactory(f), "attrs") = (&recv, name) {
                let args = self.eval_args(env, &c.arguments)?;
                return Ok(Value::StyledFactory(Rc::new((
                    f.0.clone(),
                    args.into_iter().next(),
                ))));
            }
            if let Some(v) = self.call_method(env, &recv, name, c)? {
                return Ok(v);
            }
            let f = self.get_prop(&recv, name);
            let args = self.eval_args(env, &c.arguments)?;
            if let Value::StyledFactory(fac) = &f {
                return Ok(styled_object(fac, args, env));
            }
            return self.call(&f, Some(recv), args, env.module, c.span.start);
        }
        let f = self.eval(env, callee)?;
        if c.optional && f.is_nullish() {
            return Ok(Value::Undef);
        }
        if let Value::Builtin(Builtin::Require) = f {
            let spec = match c.arguments.first().and_then(|a| a.as_expression()) {
                Some(Expression::StringLiteral(s)) => s.value.as_str(),
                _ => return Ok(Value::unknown("dynamic require")),
            };
            return self.require(env.module, spec);
        }
        // A styled factory called with an object/function: object-style styled components.
        if let Value::StyledFactory(fac) = &f {
            let args = self.eval_args(env, &c.arguments)?;
            return Ok(styled_object(fac, args, env));
        }
        let args = self.eval_args(env, &c.arguments)?;
        self.call(&f, None, args, env.module, c.span.start)
    }

    fn require(&mut self, m: usize, spec: &str) -> R<Value<'a>> {
        match self.project.resolve(m, spec) {
            Some(t) => match &self.project.files[t].kind {
                FileKind::Script(_) => {
                    let def = self.get_export(t, "default", 0)?;
                    if matches!(def, Value::Undef) {
                        self.get_export(t, "*", 0)
                    } else {
                        Ok(def)
                    }
                }
                FileKind::Json(j) => Ok(json_to_value(j)),
                FileKind::Other => Ok(Value::Asset(self.project.files[t].path.as_str().into())),
                FileKind::Broken(msg) => {
                    Ok(Value::unknown(format!("`{spec}` failed to parse: {msg}")))
                }
            },
            None if is_asset_spec(spec) => Ok(Value::Asset(spec.into())),
            None => Ok(self.ext().import(spec, "default")),
        }
    }

    /// Methods of strings, arrays and numbers; `None` when `name` is not one of them.
    fn call_method(
        &mut self,
        env: &Env<'a>,
        recv: &Value<'a>,
        name: &str,
        c: &'a CallExpression<'a>,
    ) -> R<Option<Value<'a>>> {
        let m = env.module;
        match recv {
            Value::Arr(xs) => {
                let args = self.eval_args(env, &c.arguments)?;
                let a0 = args.first().cloned().unwrap_or(Value::Undef);
                let v = match name {
                    "map" | "flatMap" | "filter" | "forEach" | "find" | "some" | "every"
                    | "findIndex" => {
                        let mut out = Vec::new();
                        for (i, x) in xs.iter().enumerate() {
                            let r = self.call(
                                &a0,
                                None,
                                vec![x.clone(), Value::Num(i as f64), recv.clone()],
                                m,
                                c.span.start,
                            )?;
                            match name {
                                "map" => out.push(r),
                                "flatMap" => match r {
                                    Value::Arr(ys) => out.extend(ys.iter().cloned()),
                                    r => out.push(r),
                                },
                                "filter" => match r.truthy() {
                                    Some(true) => out.push(x.clone()),
                                    Some(false) => {}
                                    None => {
                                        self.warn_condition(env, &r, c.span.start);
                                        out.push(x.clone())
                                    }
                                },
                                "find" if r.truthy() == Some(true) => return Ok(Some(x.clone())),
                                "findIndex" if r.truthy() == Some(true) => {
                                    return Ok(Some(Value::Num(i as f64)));
                                }
                                "some" if r.truthy() == Some(true) => {
                                    return Ok(Some(Value::Bool(true)));
                                }
                                "every" if r.truthy() == Some(false) => {
                                    return Ok(Some(Value::Bool(false)));
                                }
                                _ => {}
                            }
                        }
                        match name {
                            "find" => Value::Undef,
                            "findIndex" => Value::Num(-1.0),
                            "some" => Value::Bool(false),
                            "every" => Value::Bool(true),
                            "forEach" => Value::Undef,
                            _ => Value::Arr(Rc::new(out)),
                        }
                    }
                    "slice" => {
                        let n = xs.len() as i64;
                        let norm = |v: Option<&Value<'a>>, d: i64| {
                            let i = v
                                .and_then(|v| v.to_num())
                                .filter(|f| !f.is_nan())
                                .map_or(d, |f| f as i64);
                            (if i < 0 { n + i } else { i }).clamp(0, n) as usize
                        };
                        let (s, e) = (norm(args.first(), 0), norm(args.get(1), n));
                        Value::Arr(Rc::new(if s < e { xs[s..e].to_vec() } else { vec![] }))
                    }
                    "concat" => {
                        let mut out: Vec<Value<'a>> = xs.to_vec();
                        for a in args {
                            match a {
                                Value::Arr(ys) => out.extend(ys.iter().cloned()),
                                a => out.push(a),
                            }
                        }
                        self.check_len(out.len())?;
                        Value::Arr(Rc::new(out))
                    }
                    "join" => {
                        let sep = a0
                            .to_display()
                            .filter(|_| !matches!(a0, Value::Undef))
                            .unwrap_or(",".into());
                        let parts: Option<Vec<String>> = xs
                            .iter()
                            .map(|x| {
                                if x.is_nullish() {
                                    Some(String::new())
                                } else {
                                    x.to_display()
                                }
                            })
                            .collect();
                        parts.map_or_else(
                            || Value::unknown("join of unknown items"),
                            |p| Value::str(&p.join(&sep)),
                        )
                    }
                    "includes" => Value::Bool(xs.iter().any(|x| strict_eq(x, &a0) == Some(true))),
                    "indexOf" => Value::Num(
                        xs.iter()
                            .position(|x| strict_eq(x, &a0) == Some(true))
                            .map_or(-1.0, |i| i as f64),
                    ),
                    "reverse" => Value::Arr(Rc::new(xs.iter().rev().cloned().collect())),
                    "flat" => {
                        let mut out = Vec::new();
                        for x in xs.iter() {
                            match x {
                                Value::Arr(ys) => out.extend(ys.iter().cloned()),
                                x => out.push(x.clone()),
                            }
                        }
                        Value::Arr(Rc::new(out))
                    }
                    "reduce" => {
                        let mut acc = args.get(1).cloned();
                        for (i, x) in xs.iter().enumerate() {
                            acc = Some(match acc {
                                None => x.clone(),
                                Some(a) => self.call(
                                    &a0,
                                    None,
                                    vec![a, x.clone(), Value::Num(i as f64)],
                                    m,
                                    c.span.start,
                                )?,
                            });
                        }
                        acc.unwrap_or(Value::Undef)
                    }
                    "push" | "sort" | "splice" => {
                        Value::unknown(format!("array `{name}` is not evaluated"))
                    }
                    _ => return Ok(None),
                };
                Ok(Some(v))
            }
            Value::Str(s) => {
                let args = self.eval_args(env, &c.arguments)?;
                let a = |i: usize| args.get(i).and_then(|v| v.to_display()).unwrap_or_default();
                let v = match name {
                    "toUpperCase" | "toLocaleUpperCase" => Value::str(&s.to_uppercase()),
                    "toLowerCase" | "toLocaleLowerCase" => Value::str(&s.to_lowercase()),
                    "trim" => Value::str(s.trim()),
                    "toString" => recv.clone(),
                    "startsWith" => Value::Bool(s.starts_with(&a(0))),
                    "endsWith" => Value::Bool(s.ends_with(&a(0))),
                    "includes" => Value::Bool(s.contains(&a(0))),
                    "charAt" => Value::str(
                        &s.chars()
                            .nth(args.first().and_then(|v| v.to_num()).unwrap_or(0.0) as usize)
                            .map(|c| c.to_string())
                            .unwrap_or_default(),
                    ),
                    "split" => match args.first() {
                        Some(Value::Str(sep)) => {
                            let parts: Vec<Value<'a>> = if sep.is_empty() {
                                s.chars().map(|c| Value::str(&c.to_string())).collect()
                            } else {
                                s.split(&**sep).map(Value::str).collect()
                            };
                            Value::Arr(Rc::new(parts))
                        }
                        _ => Value::unknown("split by a non-string"),
                    },
                    "replace" | "replaceAll" => match (args.first(), args.get(1)) {
                        (Some(Value::Str(p)), Some(Value::Str(r))) => {
                            if name == "replace" {
                                Value::str(&s.replacen(&**p, r, 1))
                            } else {
                                Value::str(&s.replace(&**p, r))
                            }
                        }
                        _ => Value::unknown("replace with a pattern"),
                    },
                    "slice" | "substring" | "substr" => {
                        let chars: Vec<char> = s.chars().collect();
                        let n = chars.len() as i64;
                        let num = |i: usize, d: i64| {
                            args.get(i).and_then(|v| v.to_num()).map_or(d, |f| f as i64)
                        };
                        let mut st = num(0, 0);
                        let mut en = if name == "substr" {
                            st + num(1, n)
                        } else {
                            num(1, n)
                        };
                        if st < 0 {
                            st = (n + st).max(0)
                        }
                        if en < 0 {
                            en = (n + en).max(0)
                        }
                        let (st, en) = (st.clamp(0, n) as usize, en.clamp(0, n) as usize);
                        Value::str(&if st < en {
                            chars[st..en].iter().collect::<String>()
                        } else {
                            String::new()
                        })
                    }
                    "padStart" | "padEnd" => {
                        let width = args
                            .first()
                            .and_then(|v| v.to_num())
                            .unwrap_or(0.0)
                            .min(1024.0) as usize;
                        let fill = args
                            .get(1)
                            .and_then(|v| v.to_display())
                            .unwrap_or(" ".into());
                        let len = s.chars().count();
                        let pad: String = fill
                            .chars()
                            .cycle()
                            .take(width.saturating_sub(len))
                            .collect();
                        Value::str(&if name == "padStart" {
                            format!("{pad}{s}")
                        } else {
                            format!("{s}{pad}")
                        })
                    }
                    "repeat" => {
                        let n = args
                            .first()
                            .and_then(|v| v.to_num())
                            .unwrap_or(0.0)
                            .max(0.0) as usize;
                        self.check_len(n.saturating_mul(s.len()))?;
                        Value::str(&s.repeat(n))
                    }
                    "concat" => Value::str(&format!(
                        "{s}{}",
                        args.iter()
                            .filter_map(|v| v.to_display())
                            .collect::<String>()
                    )),
                    _ => return Ok(None),
                };
                Ok(Some(v))
            }
            Value::Num(n) => {
                let args = self.eval_args(env, &c.arguments)?;
                Ok(match name {
                    "toFixed" => {
                        let d = args
                            .first()
                            .and_then(|v| v.to_num())
                            .unwrap_or(0.0)
                            .clamp(0.0, 20.0) as usize;
                        Some(Value::str(&format!("{n:.d$}")))
                    }
                    "toString" => Some(Value::str(&fmt_num(*n))),
                    _ => None,
                })
            }
            Value::Unknown(r) if matches!(name, "map" | "flatMap" | "filter") => {
                // Unknown data: render the item template a few times.
                let args = self.eval_args(env, &c.arguments)?;
                let f = args.first().cloned().unwrap_or(Value::Undef);
                self.warn(
                    "unknown-list",
                    format!("list data is unknown ({r}); {UNKNOWN_LIST_ITEMS} items are rendered from the item template"),
                    m,
                    c.span.start,
                );
                if name == "filter" {
                    return Ok(Some(recv.clone()));
                }
                let mut out = Vec::new();
                for i in 0..UNKNOWN_LIST_ITEMS {
                    let item = Value::unknown(format!("list item of unknown data ({r})"));
                    out.push(self.call(
                        &f,
                        None,
                        vec![item, Value::Num(i as f64)],
                        m,
                        c.span.start,
                    )?);
                }
                Ok(Some(Value::Arr(Rc::new(out))))
            }
            _ => Ok(None),
        }
    }

    fn call_builtin(
        &mut self,
        b: Builtin,
        args: Vec<Value<'a>>,
        module: usize,
        offset: u32,
    ) -> R<Value<'a>> {
        let a0 = args.first().cloned().unwrap_or(Value::Undef);
        Ok(match b {
            Builtin::Identity | Builtin::StyleSheetCreate => a0,
            Builtin::Noop => Value::Undef,
            Builtin::HocFactory => Value::Builtin(Builtin::Identity),
            Builtin::True => Value::Bool(true),
            Builtin::CallArg0 | Builtin::UseMemo => self.call(&a0, None, vec![], module, offset)?,
            Builtin::StyleSheetFlatten => {
                let mut acc = Vec::new();
                flatten_style(&a0, &mut acc);
                new_obj(acc)
            }
            Builtin::PlatformSelect => match &a0 {
                Value::Obj(o) => obj_get(o, self.project.target.platform.as_str())
                    .or_else(|| obj_get(o, "native"))
                    .or_else(|| obj_get(o, "default"))
                    .unwrap_or(Value::Undef),
                other => unknown_from(other, "Platform.select argument"),
            },
            Builtin::DimensionsGet | Builtin::UseWindowDimensions => self.ext().dimensions_value(),
            Builtin::PixelRatioGet => Value::Num(self.device.scale),
            Builtin::UseColorScheme => Value::str("light"),
            Builtin::UseColorSchemeObj => new_obj(vec![
                ("colorScheme".into(), Value::str("light")),
                ("setColorScheme".into(), Value::Builtin(Builtin::Noop)),
                ("toggleColorScheme".into(), Value::Builtin(Builtin::Noop)),
            ]),
            Builtin::UseState | Builtin::UseReducer => {
                let init = if b == Builtin::UseReducer {
                    args.get(1).cloned().unwrap_or(Value::Undef)
                } else {
                    a0
                };
                let init = match init {
                    f @ (Value::Func(_) | Value::Builtin(_)) if b == Builtin::UseState => {
                        self.call(&f, None, vec![], module, offset)?
                    }
                    v => v,
                };
                Value::Arr(Rc::new(vec![init, Value::Builtin(Builtin::Noop)]))
            }
            Builtin::UseRef => new_obj(vec![("current".into(), a0)]),
            Builtin::UseSharedValue => new_obj(vec![("value".into(), a0)]),
            Builtin::FontsLoaded => Value::Arr(Rc::new(vec![Value::Bool(true), Value::Null])),
            Builtin::CreateContext => {
                let id = self.next_ctx;
                self.next_ctx += 1;
                Value::Ctx(id, Rc::new(a0))
            }
            Builtin::UseContext => match &a0 {
                Value::Ctx(id, default) => self
                    .context_value(*id)
                    .unwrap_or_else(|| (**default).clone()),
                other => unknown_from(other, "context"),
            },
            Builtin::UseStyledTheme => self.context_value(STYLED_THEME_CTX).unwrap_or_else(|| {
                Value::unknown("no styled-components ThemeProvider value is known")
            }),
            Builtin::UseSafeAreaInsets => self.ext().insets(),
            Builtin::UseNavigation => self.ext().navigation(),
            Builtin::UseRouter => self.ext().router(),
            Builtin::UseRoute => new_obj(vec![("params".into(), Value::unknown(ROUTE_PARAMS))]),
            Builtin::UseParams => Value::unknown(ROUTE_PARAMS),
            Builtin::UseNavTheme => self
                .context_value(NAV_THEME_CTX)
                .unwrap_or_else(external::nav_default_theme),
            Builtin::UseTranslation => new_obj(vec![
                ("t".into(), Value::Builtin(Builtin::Translate)),
                (
                    "i18n".into(),
                    new_obj(vec![("language".into(), Value::str("en"))]),
                ),
            ]),
            Builtin::Translate => {
                let default = match args.get(1) {
                    Some(Value::Str(s)) => Some(s.clone()),
                    Some(Value::Obj(o)) => match obj_get(o, "defaultValue") {
                        Some(Value::Str(s)) => Some(s),
                        _ => None,
                    },
                    _ => None,
                };
                match (default, &a0) {
                    (Some(d), _) => Value::Str(d),
                    (None, Value::Str(k)) => {
                        self.warn(
                            "i18n-key",
                            format!("translation of `{k}` is not known; the key is shown"),
                            module,
                            offset,
                        );
                        a0.clone()
                    }
                    _ => unknown_from(&a0, "translation key"),
                }
            }
            Builtin::ClassNames => {
                let mut parts = Vec::new();
                for a in &args {
                    class_parts(a, &mut parts);
                }
                Value::str(&parts.join(" "))
            }
            Builtin::AnimatedValue => match a0 {
                Value::Num(_) => a0,
                Value::Obj(_) => a0,
                other => unknown_from(&other, "animated value"),
            },
            Builtin::CreateNavigator => new_obj(vec![
                (
                    "Navigator".into(),
                    Value::Ext("@react-navigation".into(), "Navigator".into()),
                ),
                ("Screen".into(), Value::Host("Nothing".into())),
                ("Group".into(), Value::Fragment),
            ]),
            Builtin::Styled => Value::StyledFactory(Rc::new((a0, None))),
            Builtin::Css => a0,
            Builtin::ObjectKeys | Builtin::ObjectValues | Builtin::ObjectEntries => match &a0 {
                Value::Obj(o) => Value::Arr(Rc::new(
                    o.borrow()
                        .iter()
                        .map(|(k, v)| match b {
                            Builtin::ObjectKeys => Value::Str(k.clone()),
                            Builtin::ObjectValues => v.clone(),
                            _ => Value::Arr(Rc::new(vec![Value::Str(k.clone()), v.clone()])),
                        })
                        .collect(),
                )),
                other => unknown_from(other, "Object.keys argument"),
            },
            Builtin::ObjectAssign => {
                let target = match &a0 {
                    Value::Obj(o) => o.clone(),
                    other => return Ok(unknown_from(other, "Object.assign target")),
                };
                for a in args.iter().skip(1) {
                    if let Value::Obj(src) = a {
                        let entries = src.borrow().clone();
                        for (k, v) in entries {
                            obj_set(&target, &k, v);
                        }
                    }
                }
                Value::Obj(target)
            }
            Builtin::ArrayIsArray => match a0 {
                Value::Unknown(_) => a0,
                v => Value::Bool(matches!(v, Value::Arr(_))),
            },
            Builtin::ArrayFrom => match &a0 {
                Value::Arr(_) => a0,
                Value::Obj(o) => match obj_get(o, "length").and_then(|l| l.to_num()) {
                    Some(n) if n >= 0.0 => {
                        self.check_len(n as usize)?;
                        let f = args.get(1).cloned();
                        let mut out = Vec::new();
                        for i in 0..n as usize {
                            out.push(match &f {
                                Some(f) => self.call(
                                    f,
                                    None,
                                    vec![Value::Undef, Value::Num(i as f64)],
                                    module,
                                    offset,
                                )?,
                                None => Value::Undef,
                            });
                        }
                        Value::Arr(Rc::new(out))
                    }
                    _ => Value::unknown("Array.from of an unknown length"),
                },
                other => unknown_from(other, "Array.from argument"),
            },
            Builtin::Math(f) => {
                let nums: Option<Vec<f64>> = args.iter().map(|a| a.to_num()).collect();
                let Some(n) = nums else {
                    return Ok(Value::unknown("Math of unknown values"));
                };
                let x = n.first().copied().unwrap_or(f64::NAN);
                Value::Num(match f {
                    MathFn::Min => n.iter().copied().fold(f64::INFINITY, f64::min),
                    MathFn::Max => n.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                    MathFn::Round => x.round(),
                    MathFn::Floor => x.floor(),
                    MathFn::Ceil => x.ceil(),
                    MathFn::Abs => x.abs(),
                    MathFn::Pow => x.powf(n.get(1).copied().unwrap_or(f64::NAN)),
                    MathFn::Sqrt => x.sqrt(),
                })
            }
            Builtin::ToNumber | Builtin::ParseFloat => a0
                .to_num()
                .map_or_else(|| unknown_from(&a0, "number"), Value::Num),
            Builtin::ToString => a0
                .to_display()
                .map_or_else(|| unknown_from(&a0, "string"), |s| Value::str(&s)),
            Builtin::ToBoolean => a0
                .truthy()
                .map_or_else(|| unknown_from(&a0, "boolean"), Value::Bool),
            Builtin::Require => Value::unknown("dynamic require"),
        })
    }

    fn context_value(&self, id: usize) -> Option<Value<'a>> {
        self.ctx_stack
            .iter()
            .rev()
            .find(|(i, _)| *i == id)
            .map(|(_, v)| v.clone())
    }

    fn eval_tagged(&mut self, env: &Env<'a>, t: &'a TaggedTemplateExpression<'a>) -> R<Value<'a>> {
        let tag = self.eval(env, &t.tag)?;
        match tag {
            Value::StyledFactory(f) => Ok(Value::Styled(Rc::new(StyledDef {
                base: f.0.clone(),
                attrs: f.1.clone(),
                quasi: Some(&t.quasi),
                object: None,
                env: env.clone(),
            }))),
            Value::Builtin(Builtin::Css) => Ok(Value::Styled(Rc::new(StyledDef {
                base: Value::Fragment,
                attrs: None,
                quasi: Some(&t.quasi),
                object: None,
                env: env.clone(),
            }))),
            other => Ok(unknown_from(&other, "tagged template")),
        }
    }
}

/// Below this much free stack, recursion moves to a fresh stack segment (of `STACK_GROW`).
pub(crate) const STACK_RED_ZONE: usize = 256 * 1024;
pub(crate) const STACK_GROW: usize = 4 * 1024 * 1024;

/// Why route params are unknown.
pub(crate) const ROUTE_PARAMS: &str = "route params are only known at run time";

fn styled_object<'a>(
    fac: &Rc<(Value<'a>, Option<Value<'a>>)>,
    args: Vec<Value<'a>>,
    env: &Env<'a>,
) -> Value<'a> {
    Value::Styled(Rc::new(StyledDef {
        base: fac.0.clone(),
        attrs: fac.1.clone(),
        quasi: None,
        object: args.into_iter().next(),
        env: env.clone(),
    }))
}

/// How many items a list over unknown data renders.
pub(crate) const UNKNOWN_LIST_ITEMS: usize = 3;

fn class_parts(v: &Value<'_>, out: &mut Vec<String>) {
    match v {
        Value::Str(s) if !s.is_empty() => out.push(s.to_string()),
        Value::Arr(xs) => xs.iter().for_each(|x| class_parts(x, out)),
        Value::Obj(o) => {
            for (k, v) in o.borrow().iter() {
                if v.truthy() == Some(true) {
                    out.push(k.to_string());
                }
            }
        }
        _ => {}
    }
}

/// Flattens a style value (arrays, nested arrays, falsy entries skipped, later wins).
pub(crate) fn flatten_style<'a>(v: &Value<'a>, acc: &mut Vec<(Rc<str>, Value<'a>)>) {
    match v {
        Value::Arr(xs) => xs.iter().for_each(|x| flatten_style(x, acc)),
        Value::Obj(o) => {
            for (k, v) in o.borrow().iter() {
                acc.retain(|(ak, _)| ak != k);
                acc.push((k.clone(), v.clone()));
            }
        }
        Value::Unknown(r) => acc.push(("\0unknown".into(), Value::Unknown(r.clone()))),
        _ => {}
    }
}

fn is_asset_spec(spec: &str) -> bool {
    [
        ".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".ttf", ".otf", ".mp4", ".json",
        ".lottie",
    ]
    .iter()
    .any(|e| spec.to_ascii_lowercase().ends_with(e))
}

pub(crate) fn reason_of(v: &Value<'_>) -> String {
    match v {
        Value::Unknown(r) => r.to_string(),
        other => format!("a {}", other.type_name()),
    }
}

fn unknown_from<'a>(v: &Value<'a>, what: &str) -> Value<'a> {
    match v {
        Value::Unknown(r) => Value::Unknown(r.clone()),
        other => Value::unknown(format!(
            "{what}: {} is not supported here",
            other.type_name()
        )),
    }
}

fn strict_eq<'a>(a: &Value<'a>, b: &Value<'a>) -> Option<bool> {
    Some(match (a, b) {
        (Value::Unknown(_), _) | (_, Value::Unknown(_)) => return None,
        (Value::Undef, Value::Undef) | (Value::Null, Value::Null) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Num(x), Value::Num(y)) => x == y,
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::Obj(x), Value::Obj(y)) => Rc::ptr_eq(x, y),
        (Value::Arr(x), Value::Arr(y)) => Rc::ptr_eq(x, y),
        (Value::Host(x), Value::Host(y)) => x == y,
        _ => false,
    })
}

fn loose_eq<'a>(a: &Value<'a>, b: &Value<'a>) -> Option<bool> {
    match (a, b) {
        (Value::Undef | Value::Null, Value::Undef | Value::Null) => Some(true),
        (Value::Undef | Value::Null, Value::Unknown(_))
        | (Value::Unknown(_), Value::Undef | Value::Null) => None,
        (Value::Undef | Value::Null, _) | (_, Value::Undef | Value::Null) => Some(false),
        (
            Value::Num(_) | Value::Str(_) | Value::Bool(_),
            Value::Num(_) | Value::Str(_) | Value::Bool(_),
        ) if std::mem::discriminant(a) != std::mem::discriminant(b) => {
            Some(a.to_num()? == b.to_num()?)
        }
        _ => strict_eq(a, b),
    }
}

fn binary<'a>(op: BinaryOperator, l: &Value<'a>, r: &Value<'a>) -> Value<'a> {
    use BinaryOperator as O;
    let unknown = || match (l, r) {
        (Value::Unknown(x), _) | (_, Value::Unknown(x)) => Value::Unknown(x.clone()),
        _ => Value::unknown(format!(
            "`{}` on a {} and a {}",
            op.as_str(),
            l.type_name(),
            r.type_name()
        )),
    };
    let bool_or = |b: Option<bool>| b.map_or_else(unknown, Value::Bool);
    match op {
        O::StrictEquality => bool_or(strict_eq(l, r)),
        O::StrictInequality => bool_or(strict_eq(l, r).map(|b| !b)),
        O::Equality => bool_or(loose_eq(l, r)),
        O::Inequality => bool_or(loose_eq(l, r).map(|b| !b)),
        O::Addition => match (l, r) {
            (Value::Str(_), _) | (_, Value::Str(_)) => match (l.to_display(), r.to_display()) {
                (Some(a), Some(b)) => Value::str(&(a + &b)),
                _ => unknown(),
            },
            _ => match (l.to_num(), r.to_num()) {
                (Some(a), Some(b)) => Value::Num(a + b),
                _ => unknown(),
            },
        },
        O::LessThan | O::LessEqualThan | O::GreaterThan | O::GreaterEqualThan => {
            if let (Value::Str(a), Value::Str(b)) = (l, r) {
                let o = a.cmp(b);
                return Value::Bool(match op {
                    O::LessThan => o.is_lt(),
                    O::LessEqualThan => o.is_le(),
                    O::GreaterThan => o.is_gt(),
                    _ => o.is_ge(),
                });
            }
            match (l.to_num(), r.to_num()) {
                (Some(a), Some(b)) => Value::Bool(match op {
                    O::LessThan => a < b,
                    O::LessEqualThan => a <= b,
                    O::GreaterThan => a > b,
                    _ => a >= b,
                }),
                _ => unknown(),
            }
        }
        O::Subtraction | O::Multiplication | O::Division | O::Remainder | O::Exponential => {
            match (l.to_num(), r.to_num()) {
                (Some(a), Some(b)) => Value::Num(match op {
                    O::Subtraction => a - b,
                    O::Multiplication => a * b,
                    O::Division => a / b,
                    O::Remainder => a % b,
                    _ => a.powf(b),
                }),
                _ => unknown(),
            }
        }
        O::In => match (l, r) {
            (Value::Str(k), Value::Obj(o)) => Value::Bool(obj_get(o, k).is_some()),
            _ => unknown(),
        },
        _ => unknown(),
    }
}

pub(crate) fn json_to_value<'a>(j: &serde_json::Value) -> Value<'a> {
    use serde_json::Value as J;
    match j {
        J::Null => Value::Null,
        J::Bool(b) => Value::Bool(*b),
        J::Number(n) => Value::Num(n.as_f64().unwrap_or(f64::NAN)),
        J::String(s) => Value::str(s),
        J::Array(xs) => Value::Arr(Rc::new(xs.iter().map(json_to_value).collect())),
        J::Object(m) => new_obj(
            m.iter()
                .map(|(k, v)| (Rc::from(k.as_str()), json_to_value(v)))
                .collect(),
        ),
    }
}

fn module_export_name<'x>(n: &'x ModuleExportName<'_>) -> &'x str {
    match n {
        ModuleExportName::IdentifierName(i) => i.name.as_str(),
        ModuleExportName::IdentifierReference(i) => i.name.as_str(),
        ModuleExportName::StringLiteral(s) => s.value.as_str(),
    }
}

fn export_decl<'x, 'a>(s: &'x Statement<'a>) -> Option<&'x Declaration<'a>> {
    match s {
        Statement::ExportDeclaration(d) => Some(&d.declaration),
        _ => None,
    }
}

fn binding_name<'x>(p: &'x BindingPattern<'_>) -> Option<&'x str> {
    match p {
        BindingPattern::BindingIdentifier(id) => Some(id.name.as_str()),
        _ => None,
    }
}

fn declared_names(d: &Declaration<'_>) -> Vec<Rc<str>> {
    let mut out = Vec::new();
    match d {
        Declaration::VariableDeclaration(v) => {
            for d in &v.declarations {
                collect_binding_names(&d.id, &mut out);
            }
        }
        Declaration::FunctionDeclaration(f) => {
            out.extend(f.id.as_ref().map(|i| i.name.as_str().into()))
        }
        Declaration::ClassDeclaration(c) => {
            out.extend(c.id.as_ref().map(|i| i.name.as_str().into()))
        }
        Declaration::TSEnumDeclaration(e) => out.push(e.id.name.as_str().into()),
        _ => {}
    }
    out
}

fn collect_binding_names(p: &BindingPattern<'_>, out: &mut Vec<Rc<str>>) {
    match p {
        BindingPattern::BindingIdentifier(id) => out.push(id.name.as_str().into()),
        BindingPattern::AssignmentPattern(a) => collect_binding_names(&a.left, out),
        BindingPattern::ObjectPattern(o) => {
            for p in &o.properties {
                collect_binding_names(&p.value, out);
            }
        }
        BindingPattern::ArrayPattern(a) => {
            for p in a.elements.iter().flatten() {
                collect_binding_names(p, out);
            }
        }
    }
}

pub(crate) fn set_children<'a>(props: &Obj<'a>, children: Vec<Value<'a>>) {
    match children.len() {
        0 => {}
        1 => obj_set(
            props,
            "children",
            children.into_iter().next().expect("one child"),
        ),
        _ => obj_set(props, "children", Value::Arr(Rc::new(children))),
    }
}
