//! The constant evaluator: runs module top levels, component functions and class `render`s
//! far enough to know the element tree and its styles. Anything it cannot know becomes
//! [`Value::Unknown`] and, where it is used, a warning.

mod builtins;
mod external;
mod library;
mod modules;
mod render;
mod value;

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use oxc::ast::ast::*;
use oxc::span::GetSpan;
use oxc::syntax::operator::{AssignmentOperator, BinaryOperator, LogicalOperator, UnaryOperator};

use crate::device::DeviceProfile;
use crate::document::{PropertyMap, Warning};
use crate::project::{FileKind, Project};
use oxc::allocator::Allocator;
use value::*;

pub(crate) use value::same_str;

/// The most arena memory the evaluation of one request's screens may use together (values are
/// freed only when the compile ends, so a screen's values stay while the next ones compile).
const EVAL_MEMORY_LIMIT: usize = 256 << 20;

/// Context id of styled-components' / emotion's `ThemeProvider`.
pub(crate) const STYLED_THEME_CTX: usize = 0;

/// Context id of React Navigation's `ThemeProvider` / `NavigationContainer theme`.
pub(crate) const NAV_THEME_CTX: usize = 1;

/// The library table's theme that UI Kitten's hooks and `@eva-design/eva`'s `light` read.
pub(crate) const KITTEN_THEME: &str = "eva-light";

/// Why a screen stops compiling.
#[derive(Debug)]
pub(crate) enum Fatal {
    Budget,
    Cancelled,
    Limit(String),
}

type R<T> = Result<T, Fatal>;

/// Message and (file, line, column): a warning is reported once per place.
type WarningKey = (String, Option<(std::sync::Arc<str>, u32, u32)>);

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
    exports: HashMap<Rc<str>, ExportRef<'a>, FnvBuild>,
    stars: Vec<usize>,
}

pub(crate) struct Interp<'p, 'a> {
    pub project: &'p Project<'a>,
    /// The compile's arena: every value, object and scope of the evaluator lives in it.
    alloc: &'a oxc::allocator::Allocator,
    device: DeviceProfile,
    modules: HashMap<usize, Module<'a>, FnvBuild>,
    pub warnings: Vec<Warning>,
    seen: HashSet<WarningKey, FnvBuild>,
    depth: usize,
    steps: u64,
    ctx_stack: Vec<(usize, Value<'a>)>,
    next_ctx: usize,
    pub nodes: usize,
    /// Level of the node whose children are being rendered (the screen's root is level 1).
    output_depth: usize,
    /// Route name / href -> screen id, for navigation actions.
    pub routes: HashMap<String, String>,
    globals: Env<'a>,
    /// Modules whose `export *` lists are being searched (cycle guard).
    star_visiting: Vec<usize>,
    /// Set while expanding the app root for its providers (see `root_providers`).
    assume_loaded: bool,
    /// English translation tables (value, file), loaded on the first `t()` call.
    locale: Option<Vec<(Value<'a>, usize)>>,
    /// Names of the components that rendered nodes (shared by those nodes).
    component_names: Vec<std::sync::Arc<str>>,
    /// Working memory of style resolution, reused from node to node.
    style_work: StyleWork<'a>,
    /// The style objects of `StyleSheet.create` sheets, by address (arena addresses are never
    /// reused during a compile).
    sheet_styles: HashMap<usize, Obj<'a>, FnvBuild>,
    /// Resolved styles of `style` values made only of sheet styles (the addresses in flatten
    /// order), computed once per compile: most screens repeat `styles.x` on many nodes. Emptied
    /// whenever the program writes into an existing object.
    style_cache: HashMap<Vec<usize>, PropertyMap, FnvBuild>,
    /// Calls of [`Interp::warn`] so far, duplicates included.
    warn_calls: u64,
    /// Addresses on the thread's own stack between which more than [`STACK_RED_ZONE`] is left
    /// (see [`Interp::stack_is_ample`]); an empty range when the stack's size is not known.
    stack_ample: std::ops::Range<usize>,
}

/// Working memory of style resolution (see `Interp::resolve_style`), kept between nodes so that
/// resolving a style allocates only its result.
#[derive(Default)]
struct StyleWork<'a> {
    /// The style's entries, flattened (later ones replace earlier ones of the same key).
    entries: Vec<(JsStr<'a>, Value<'a>)>,
    /// The entries whose values are known, as JSON.
    known: Vec<(JsStr<'a>, serde_json::Value)>,
    /// The style cache's key.
    key: Vec<usize>,
    /// Normalization's working list.
    slots: Vec<crate::style::Slot>,
}

fn prop_key_name<'a>(k: &PropertyKey<'a>) -> Option<std::borrow::Cow<'a, str>> {
    k.static_name()
}

impl<'p, 'a> Interp<'p, 'a> {
    pub fn new(project: &'p Project<'a>, routes: HashMap<String, String>) -> Self {
        let device = crate::device::profile(project.target.device);
        let alloc = project.alloc;
        let globals: Env<'a> = new_env(alloc, None, usize::MAX, None);
        Interp {
            project,
            alloc,
            device,
            modules: HashMap::default(),
            warnings: Vec::new(),
            seen: HashSet::default(),
            depth: 0,
            steps: 0,
            ctx_stack: Vec::new(),
            next_ctx: NAV_THEME_CTX + 1,
            nodes: 0,
            output_depth: 1,
            routes,
            globals,
            star_visiting: Vec::new(),
            assume_loaded: false,
            locale: None,
            component_names: Vec::new(),
            style_work: StyleWork::default(),
            sheet_styles: HashMap::default(),
            style_cache: HashMap::default(),
            warn_calls: 0,
            stack_ample: ample_stack_range(),
        }
    }

    fn ext(&self) -> external::Env<'_, 'a> {
        external::Env {
            alloc: self.alloc,
            platform: self.project.target.platform,
            device: &self.device,
        }
    }

    pub fn warn(&mut self, code: &str, message: String, module: usize, offset: u32) {
        self.warn_calls += 1;
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

    /// Whether the recursion can go on without asking `stacker` (which reads the stack
    /// pointer through a call and a thread-local each time): true while on this thread's
    /// own stack with more than the red zone left. On a stack segment `stacker` added the
    /// address is outside the range, and `stacker` decides.
    #[inline(always)]
    fn stack_is_ample(&self) -> bool {
        let here = 0u8;
        self.stack_ample
            .contains(&(std::ptr::addr_of!(here) as usize))
    }

    /// Counts a step; every 1024th checks the time budget, the stop signal and the memory bound.
    #[inline(always)]
    fn tick(&mut self) -> R<()> {
        self.steps += 1;
        if self.steps.is_multiple_of(1024) {
            return self.check_budget();
        }
        Ok(())
    }

    #[cold]
    #[inline(never)]
    fn check_budget(&self) -> R<()> {
        if self.project.started.elapsed() > self.project.limits.time_budget {
            return Err(Fatal::Budget);
        }
        if self.project.cancel.is_cancelled() {
            return Err(Fatal::Cancelled);
        }
        self.check_memory()
    }

    /// `s` as a string of the compile: borrowed ones stay, computed ones are copied into the
    /// arena.
    fn js(&self, s: std::borrow::Cow<'a, str>) -> JsStr<'a> {
        match s {
            std::borrow::Cow::Borrowed(s) => s,
            std::borrow::Cow::Owned(s) => self.alloc.alloc_str(&s),
        }
    }

    /// [`Value::arr`] of a list built here.
    fn arr(&self, items: Vec<Value<'a>>) -> Value<'a> {
        Value::arr(self.alloc, &items)
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

    // ---------------------------------------------------------------- functions & classes

    fn make_fn(&self, node: FnNode<'a>, env: &Env<'a>, name: JsStr<'a>) -> Value<'a> {
        Value::Func(self.alloc.alloc(Closure::new(node, env, name)))
    }

    fn make_class(&mut self, c: &'a Class<'a>, env: &Env<'a>) -> R<Value<'a>> {
        let name: &'a str = c.id.as_ref().map_or("Component", |i| i.name.as_str());
        let statics: Obj<'a> = empty_obj(self.alloc);
        for el in &c.body.body {
            if let ClassElement::PropertyDefinition(p) = el
                && p.r#static
                && let (Some(k), Some(v)) = (prop_key_name(&p.key), &p.value)
            {
                let v = self.eval(env, v)?;
                obj_set(&statics, &k, v);
            }
        }
        Ok(Value::Class(self.alloc.alloc(ClassDef {
            class: c,
            env,
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
                self.enter(c.name)?;
                let r = self.call_closure(c, this, args);
                self.leave();
                r
            }
            Value::Builtin(b) => self.call_builtin(*b, args, module, offset),
            Value::Unknown(r) => Ok(Value::Unknown(r)),
            Value::Ext(x) => Ok(Value::unknown(
                self.alloc,
                format!("`{}()` from `{}` is not evaluated", x.1, x.0),
            )),
            Value::Class(c) => Ok(Value::unknown(
                self.alloc,
                format!("`new {}` is not evaluated", c.name),
            )),
            _ => Ok(Value::unknown(
                self.alloc,
                "called a value that is not a function",
            )),
        }
    }

    fn call_closure(
        &mut self,
        c: &&'a Closure<'a>,
        this: Option<Value<'a>>,
        args: Vec<Value<'a>>,
    ) -> R<Value<'a>> {
        match c.node {
            FnNode::Func(f) => {
                let env = child_env(
                    self.alloc,
                    &c.env,
                    Some(c.this.or(this).unwrap_or(Value::Undef)),
                );
                self.bind_params(&env, &f.params, args)
                    .and_then(|()| match &f.body {
                        Some(body) => self.run_body(&env, &body.statements),
                        None => Ok(Value::Undef),
                    })
            }
            FnNode::Arrow(a) => {
                let env = child_env(self.alloc, &c.env, None);
                self.bind_params(&env, &a.params, args)
                    .and_then(|()| match &a.body {
                        ArrowFunctionBody::FunctionBody(b) => self.run_body(&env, &b.statements),
                        other => self.eval(&env, other.as_expression().expect("expression body")),
                    })
            }
        }
    }

    /// The scope of a block: its own when it declares something, else the enclosing one
    /// (most `if` bodies only return or assign, and need no scope of their own).
    fn block_env(&self, env: &Env<'a>, body: &[Statement<'_>]) -> Env<'a> {
        if body.iter().any(|s| s.is_declaration()) {
            child_env(self.alloc, env, None)
        } else {
            env
        }
    }

    /// Runs a block in its scope (see [`Interp::block_env`]).
    fn exec_scoped_block(&mut self, env: &Env<'a>, body: &'a [Statement<'a>]) -> R<Flow<'a>> {
        let inner = self.block_env(env, body);
        self.exec_block(&inner, body)
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
            let v = self.arr(it.collect());
            self.bind_pattern(env, &rest.rest.argument, v)?;
        }
        Ok(())
    }

    fn bind_pattern(&mut self, env: &Env<'a>, pat: &'a BindingPattern<'a>, v: Value<'a>) -> R<()> {
        match pat {
            BindingPattern::BindingIdentifier(id) => declare_b(env, id.name.as_str(), v),
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
                    let key: std::borrow::Cow<'a, str> = if p.computed {
                        match p.key.as_expression() {
                            Some(e) => self.eval(env, e)?.to_display().unwrap_or_default().into(),
                            None => "".into(),
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
                            self.alloc,
                            ob.borrow()
                                .iter()
                                .filter(|(k, _)| !used.iter().any(|u| **u == **k))
                                .copied()
                                .collect::<Vec<_>>(),
                        ),
                        other => *other,
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
                            self.arr(xs.iter().skip(a.elements.len()).cloned().collect())
                        }
                        other => *other,
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
                        (Value::Func(c), Some(n)) if c.name == "anonymous" => {
                            Value::Func(self.alloc.alloc(Closure {
                                node: c.node,
                                env: c.env,
                                this: c.this,
                                name: n,
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
                    declare_b(env, id.name.as_str(), v);
                }
            }
            Declaration::TSEnumDeclaration(e) => {
                let mut entries = Vec::new();
                let mut next = 0.0;
                for m in &e.body.members {
                    let name: JsStr<'a> = self.alloc.alloc_str(m.id.static_name().as_str());
                    let v = match &m.initializer {
                        Some(init) => self.eval(env, init)?,
                        None => Value::Num(next),
                    };
                    if let Value::Num(n) = v {
                        next = n + 1.0;
                    }
                    entries.push((name, v));
                }
                declare_b(env, e.id.name.as_str(), new_obj(self.alloc, entries));
            }
            _ => {}
        }
        Ok(())
    }

    fn exec(&mut self, env: &Env<'a>, s: &'a Statement<'a>) -> R<Flow<'a>> {
        if self.stack_is_ample() {
            return self.exec_inner(env, s);
        }
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
            Statement::BlockStatement(b) => return self.exec_scoped_block(env, &b.body),
            // While looking for the app root's providers, loading gates (`if (!loaded) return
            // null`) are passed as if the app had loaded.
            Statement::IfStatement(i) if self.assume_loaded && returns_nothing(&i.consequent) => {
                if let Some(alt) = &i.alternate {
                    return self.exec(env, alt);
                }
            }
            Statement::IfStatement(i) => {
                let t = self.eval(env, &i.test)?;
                let branch = match t.truthy() {
                    Some(b) => b,
                    // An unknown `if` without `else` (an early return, a flag set at load
                    // time) is skipped: the main path of the code is what gets previewed.
                    None if i.alternate.is_none() => {
                        self.warn(
                            "unknown-condition",
                            format!(
                                "condition could not be evaluated ({}); the `if` without `else` is skipped",
                                reason_of(&t)
                            ),
                            env.module,
                            i.test.span().start,
                        );
                        return Ok(Flow::Normal);
                    }
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
                    let inner = child_env(self.alloc, env, None);
                    let mut out = Ok(Flow::Normal);
                    for c in &sw.cases[start..] {
                        match self.exec_block(&inner, &c.consequent) {
                            Ok(Flow::Normal) => {}
                            Ok(Flow::Break) => break,
                            r => {
                                out = r;
                                break;
                            }
                        }
                    }
                    return out;
                }
            }
            Statement::BreakStatement(_) => return Ok(Flow::Break),
            Statement::TryStatement(t) => return self.exec_scoped_block(env, &t.block.body),
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
        name: Option<JsStr<'a>>,
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
        if self.stack_is_ample() {
            return self.eval_inner(env, e);
        }
        stacker::maybe_grow(STACK_RED_ZONE, STACK_GROW, || self.eval_inner(env, e))
    }

    fn eval_inner(&mut self, env: &Env<'a>, e: &'a Expression<'a>) -> R<Value<'a>> {
        self.tick()?;
        Ok(match e {
            Expression::BooleanLiteral(b) => Value::Bool(b.value),
            Expression::NullLiteral(_) => Value::Null,
            Expression::NumericLiteral(n) => Value::Num(n.value),
            Expression::StringLiteral(s) => Value::borrowed(s.value.as_str()),
            Expression::BigIntLiteral(_) | Expression::RegExpLiteral(_) => {
                Value::unknown(self.alloc, "regex/bigint literal")
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
                            None => return Ok(unknown_from(self.alloc, &v, "template part")),
                        }
                    }
                }
                self.check_len(out.len())?;
                Value::str(self.alloc, &out)
            }
            Expression::Identifier(id) => {
                let name = id.name.as_str();
                match self.lookup_in(env, name) {
                    Some(v) => v,
                    None => Value::unknown(
                        self.alloc,
                        format!("`{name}` is not defined in the given files"),
                    ),
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
                                other => items.push(unknown_from(self.alloc, &other, "spread")),
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
                self.arr(items)
            }
            Expression::ObjectExpression(o) => {
                let obj: Obj<'a> = obj_of(self.alloc, Vec::with_capacity(o.properties.len()));
                for p in &o.properties {
                    match p {
                        ObjectPropertyKind::SpreadProperty(s) => {
                            match self.eval(env, &s.argument)? {
                                Value::Obj(src) => {
                                    let entries = src.borrow().to_vec();
                                    for (k, v) in entries {
                                        obj_set_key(&obj, k, v);
                                    }
                                }
                                Value::Undef | Value::Null | Value::Bool(false) => {}
                                Value::Arr(xs) => {
                                    for (i, v) in xs.iter().enumerate() {
                                        obj_set(&obj, &i.to_string(), *v);
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
                            let key: std::borrow::Cow<'a, str> = if p.computed {
                                let k =
                                    self.eval(env, p.key.as_expression().expect("computed key"))?;
                                match k.to_display() {
                                    Some(k) => k.into(),
                                    None => continue,
                                }
                            } else {
                                prop_key_name(&p.key).unwrap_or_default()
                            };
                            let key = self.js(key);
                            let v = self.eval_named(env, &p.value, Some(key))?;
                            obj_set_key(&obj, key, v);
                        }
                    }
                }
                Value::Obj(obj)
            }
            Expression::ParenthesizedExpression(p) => return self.eval(env, &p.expression),
            Expression::TSAsExpression(x) => return self.eval(env, &x.expression),
            Expression::TSSatisfiesExpression(x) => return self.eval(env, &x.expression),
            Expression::TSNonNullExpression(x) => return self.eval(env, &x.expression),
            Expression::TSTypeAssertion(x) => return self.eval(env, &x.expression),
            Expression::TSInstantiationExpression(x) => return self.eval(env, &x.expression),
            Expression::ArrowFunctionExpression(a) => {
                self.make_fn(FnNode::Arrow(a), env, "anonymous")
            }
            Expression::FunctionExpression(f) => {
                let name = f.id.as_ref().map_or("anonymous", |i| i.name.as_str());
                self.make_fn(FnNode::Func(f), env, name)
            }
            Expression::ClassExpression(c) => return self.make_class(c, env),
            Expression::ConditionalExpression(c) => {
                let t = self.eval(env, &c.test)?;
                match t.truthy() {
                    Some(true) => return self.eval(env, &c.consequent),
                    Some(false) => return self.eval(env, &c.alternate),
                    None => {
                        self.warn_condition(env, &t, c.test.span().start);
                        return self.eval(env, &c.consequent);
                    }
                }
            }
            Expression::LogicalExpression(l) => {
                let left = self.eval(env, &l.left)?;
                match l.operator {
                    LogicalOperator::And => match left.truthy() {
                        Some(true) => return self.eval(env, &l.right),
                        Some(false) => left,
                        None => {
                            self.warn_condition(env, &left, l.left.span().start);
                            return self.eval(env, &l.right);
                        }
                    },
                    LogicalOperator::Or => match left.truthy() {
                        Some(true) => left,
                        Some(false) => return self.eval(env, &l.right),
                        None => left,
                    },
                    LogicalOperator::Coalesce => {
                        if left.is_nullish() {
                            return self.eval(env, &l.right);
                        } else {
                            left
                        }
                    }
                }
            }
            Expression::BinaryExpression(b) => {
                let l = self.eval(env, &b.left)?;
                let r = self.eval(env, &b.right)?;
                let v = binary(self.alloc, b.operator, &l, &r);
                if let Value::Str(s) = &v {
                    self.check_len(s.len())?;
                }
                v
            }
            Expression::UnaryExpression(u) => {
                let v = self.eval(env, &u.argument)?;
                match u.operator {
                    UnaryOperator::LogicalNot => v.truthy().map_or_else(
                        || unknown_from(self.alloc, &v, "negation"),
                        |b| Value::Bool(!b),
                    ),
                    UnaryOperator::UnaryNegation => v.to_num().map_or_else(
                        || unknown_from(self.alloc, &v, "negation"),
                        |n| Value::Num(-n),
                    ),
                    UnaryOperator::UnaryPlus => v
                        .to_num()
                        .map_or_else(|| unknown_from(self.alloc, &v, "number"), Value::Num),
                    UnaryOperator::Typeof => match v {
                        Value::Unknown(_) => v,
                        v => Value::str(self.alloc, v.type_name()),
                    },
                    UnaryOperator::Void => Value::Undef,
                    _ => Value::unknown(self.alloc, "unsupported unary operator"),
                }
            }
            Expression::SequenceExpression(s) => {
                let mut last = Value::Undef;
                for x in &s.expressions {
                    last = self.eval(env, x)?;
                }
                last
            }
            Expression::AssignmentExpression(a) => return self.assign(env, a),
            Expression::ChainExpression(c) => match &c.expression {
                ChainElement::CallExpression(call) => return self.eval_call(env, call),
                ChainElement::TSNonNullExpression(x) => return self.eval(env, &x.expression),
                other => match other.as_member_expression() {
                    Some(m) => return self.eval_member(env, m),
                    None => Value::unknown(self.alloc, "optional chain"),
                },
            },
            Expression::CallExpression(c) => return self.eval_call(env, c),
            Expression::NewExpression(n) => {
                let callee = self.eval(env, &n.callee)?;
                match callee {
                    Value::Builtin(b @ Builtin::AnimatedValue) => {
                        let args = self.eval_args(env, &n.arguments)?;
                        return self.call_builtin(b, args, env.module, n.span.start);
                    }
                    _ => Value::unknown(self.alloc, "`new` expressions are not evaluated"),
                }
            }
            Expression::TaggedTemplateExpression(t) => return self.eval_tagged(env, t),
            Expression::JSXElement(el) => return self.eval_jsx_element(env, el),
            Expression::JSXFragment(f) => {
                let children = self.eval_jsx_children(env, &f.children)?;
                let props: Obj<'a> = empty_obj(self.alloc);
                set_children(self.alloc, &props, children);
                Value::Elem(self.alloc.alloc(Elem {
                    ty: Value::Fragment,
                    props,
                    module: env.module,
                    offset: f.span.start,
                }))
            }
            Expression::AwaitExpression(_) => {
                Value::unknown(self.alloc, "`await` results are not known at compile time")
            }
            Expression::UpdateExpression(_) => Value::unknown(self.alloc, "update expression"),
            other => match other.as_member_expression() {
                Some(m) => return self.eval_member(env, m),
                None => Value::unknown(self.alloc, "unsupported expression"),
            },
        })
    }

    /// Bounds a value that grew (an array, a string), and what evaluation holds in all.
    fn check_len(&self, n: usize) -> R<()> {
        if n > 1 << 20 {
            return Err(Fatal::Limit(format!(
                "a value grew to {n} elements/bytes (limit 1,048,576)"
            )));
        }
        self.check_memory()
    }

    /// Nothing is freed before the compile ends: bounds what the request's evaluation holds.
    fn check_memory(&self) -> R<()> {
        let used = self
            .alloc
            .used_bytes()
            .saturating_sub(self.project.parsed_bytes);
        if used > EVAL_MEMORY_LIMIT {
            return Err(Fatal::Limit(format!(
                "evaluation used more than {} MiB (a runaway loop or recursion?)",
                EVAL_MEMORY_LIMIT >> 20
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
                        Some(op) => binary(self.alloc, op, &old, &v),
                        None => Value::unknown(self.alloc, "logical assignment"),
                    };
                }
                // Assign to the nearest scope that holds the name.
                let mut cur = Some(*env);
                while let Some(e) = cur {
                    if e.vars.borrow().contains_key(id.name.as_str()) {
                        e.vars.borrow_mut().insert(id.name.as_str(), v);
                        return Ok(v);
                    }
                    cur = e.parent;
                }
                declare_b(env, id.name.as_str(), v);
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
                        Value::Obj(o) => {
                            self.style_cache.clear();
                            obj_set(o, &key, v)
                        }
                        Value::Func(c) => obj_set(&c.statics_mut(self.alloc), &key, v),
                        Value::Class(c) => obj_set(&c.statics, &key, v),
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
                    other => out.push(unknown_from(self.alloc, &other, "spread argument")),
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
            MemberExpression::StaticMemberExpression(s) => {
                std::borrow::Cow::Borrowed(s.property.name.as_str())
            }
            MemberExpression::ComputedMemberExpression(c) => {
                let k = self.eval(env, &c.expression)?;
                match k.to_display() {
                    Some(k)
                        if !matches!(k.as_str(), "undefined") || matches!(obj, Value::Obj(_)) =>
                    {
                        std::borrow::Cow::Owned(k)
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
                        return Ok(unknown_from(self.alloc, &k, "computed key"));
                    }
                }
            }
            MemberExpression::PrivateFieldExpression(_) => {
                return Ok(Value::unknown(self.alloc, "private field"));
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
                    .map_or(Value::Undef, |c| Value::str(self.alloc, &c.to_string())),
            },
            Value::Func(c) => match key {
                "name" => Value::Str(c.name),
                k => c.static_member(k).unwrap_or(Value::Undef),
            },
            Value::Class(c) => obj_get(&c.statics, key).unwrap_or(Value::Undef),
            Value::Host(h) => match (*h, key) {
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
            Value::Ext(x) => Value::ext(self.alloc, x.0, &format!("{}.{key}", x.1)),
            Value::Builtin(Builtin::Styled) => Value::StyledFactory(
                self.alloc
                    .alloc((self.ext().import("react-native", key), None)),
            ),
            Value::StyledFactory(f) if key == "attrs" => Value::StyledFactory(f),
            Value::Unknown(r) => Value::Unknown(r),
            Value::Undef | Value::Null => Value::unknown(
                self.alloc,
                format!(
                    "reading `{key}` of {}",
                    if v.is_nullish() { "undefined" } else { "null" }
                ),
            ),
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
                return Ok(Value::StyledFactory(
                    self.alloc.alloc((f.0, args.into_iter().next())),
                ));
            }
            if let Some(v) = self.call_method(env, &recv, name, c)? {
                return Ok(v);
            }
            let f = self.get_prop(&recv, name);
            let args = self.eval_args(env, &c.arguments)?;
            if let Value::StyledFactory(fac) = &f {
                return Ok(styled_object(self.alloc, fac, args, env));
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
                _ => return Ok(Value::unknown(self.alloc, "dynamic require")),
            };
            return self.require(env.module, spec);
        }
        // A styled factory called with an object/function: object-style styled components.
        if let Value::StyledFactory(fac) = &f {
            let args = self.eval_args(env, &c.arguments)?;
            return Ok(styled_object(self.alloc, fac, args, env));
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
                FileKind::Json(j) => Ok(json_to_value(self.alloc, j)),
                FileKind::Other => Ok(Value::Asset(
                    self.alloc.alloc_str(&self.project.files[t].path),
                )),
                FileKind::Broken(msg) => Ok(Value::unknown(
                    self.alloc,
                    format!("`{spec}` failed to parse: {msg}"),
                )),
            },
            None if is_asset_spec(spec) => Ok(Value::Asset(self.alloc.alloc_str(spec))),
            None => Ok(self.ext().import(spec, "default")),
        }
    }

    fn context_value(&self, id: usize) -> Option<Value<'a>> {
        self.ctx_stack
            .iter()
            .rev()
            .find(|(i, _)| *i == id)
            .map(|(_, v)| *v)
    }

    fn eval_tagged(&mut self, env: &Env<'a>, t: &'a TaggedTemplateExpression<'a>) -> R<Value<'a>> {
        let tag = self.eval(env, &t.tag)?;
        match tag {
            Value::StyledFactory(f) => Ok(Value::Styled(self.alloc.alloc(StyledDef {
                base: f.0,
                attrs: f.1,
                quasi: Some(&t.quasi),
                object: None,
                env,
            }))),
            Value::Builtin(Builtin::Css) => Ok(Value::Styled(self.alloc.alloc(StyledDef {
                base: Value::Fragment,
                attrs: None,
                quasi: Some(&t.quasi),
                object: None,
                env,
            }))),
            other => Ok(unknown_from(self.alloc, &other, "tagged template")),
        }
    }
}

/// The addresses of this thread's stack, below the caller's frame, that leave more than
/// [`STACK_RED_ZONE`] free (the evaluation runs in frames below the one that asks).
fn ample_stack_range() -> std::ops::Range<usize> {
    let here = 0u8;
    let top = std::ptr::addr_of!(here) as usize;
    match stacker::remaining_stack() {
        Some(left) if left > 2 * STACK_RED_ZONE => (top - left + STACK_RED_ZONE)..top,
        _ => 0..0,
    }
}

/// Below this much free stack, recursion moves to a fresh stack segment (of `STACK_GROW`).
pub(crate) const STACK_RED_ZONE: usize = 256 * 1024;
pub(crate) const STACK_GROW: usize = 4 * 1024 * 1024;

/// `return;`, `return null`, `{ return null; }` (a loading gate's early exit).
fn returns_nothing(s: &Statement<'_>) -> bool {
    match s {
        Statement::ReturnStatement(r) => {
            matches!(
                r.argument.as_ref().map(|e| e.get_inner_expression()),
                None | Some(Expression::NullLiteral(_))
            )
        }
        Statement::BlockStatement(b) => b.body.len() == 1 && returns_nothing(&b.body[0]),
        _ => false,
    }
}

/// Why route params are unknown.
pub(crate) const ROUTE_PARAMS: &str = "route params are only known at run time";

fn styled_object<'a>(
    alloc: &'a Allocator,
    fac: &&'a (Value<'a>, Option<Value<'a>>),
    args: Vec<Value<'a>>,
    env: &Env<'a>,
) -> Value<'a> {
    Value::Styled(alloc.alloc(StyledDef {
        base: fac.0,
        attrs: fac.1,
        quasi: None,
        object: args.into_iter().next(),
        env,
    }))
}

/// How many items a list over unknown data renders.
pub(crate) const UNKNOWN_LIST_ITEMS: usize = 3;

/// Flattens a style value (arrays, nested arrays, falsy entries skipped, later wins); arrays
/// nested deeper than [`MAX_VALUE_DEPTH`] are unknown.
pub(crate) fn flatten_style<'a>(v: &Value<'a>, acc: &mut Vec<(JsStr<'a>, Value<'a>)>) {
    flatten_style_within(v, acc, MAX_VALUE_DEPTH)
}

fn flatten_style_within<'a>(v: &Value<'a>, acc: &mut Vec<(JsStr<'a>, Value<'a>)>, depth: usize) {
    match v {
        Value::Arr(_) if depth == 0 => acc.push(("\0unknown", Value::Unknown(TOO_DEEP))),
        Value::Arr(xs) => xs
            .iter()
            .for_each(|x| flatten_style_within(x, acc, depth - 1)),
        Value::Obj(o) => {
            for (k, v) in o.borrow().iter() {
                acc.retain(|(ak, _)| !same_str(ak, k));
                acc.push((*k, *v));
            }
        }
        Value::Unknown(r) => acc.push(("\0unknown", Value::Unknown(r))),
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

fn unknown_from<'a>(alloc: &'a Allocator, v: &Value<'a>, what: &str) -> Value<'a> {
    match v {
        Value::Unknown(r) => Value::Unknown(r),
        other => Value::unknown(
            alloc,
            format!("{what}: {} is not supported here", other.type_name()),
        ),
    }
}

fn strict_eq<'a>(a: &Value<'a>, b: &Value<'a>) -> Option<bool> {
    Some(match (a, b) {
        (Value::Unknown(_), _) | (_, Value::Unknown(_)) => return None,
        (Value::Undef, Value::Undef) | (Value::Null, Value::Null) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Num(x), Value::Num(y)) => x == y,
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::Obj(x), Value::Obj(y)) => std::ptr::eq(*x, *y),
        (Value::Arr(x), Value::Arr(y)) => std::ptr::eq(*x, *y),
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

fn binary<'a>(alloc: &'a Allocator, op: BinaryOperator, l: &Value<'a>, r: &Value<'a>) -> Value<'a> {
    use BinaryOperator as O;
    let unknown = || match (l, r) {
        (Value::Unknown(x), _) | (_, Value::Unknown(x)) => Value::Unknown(x),
        _ => Value::unknown(
            alloc,
            format!(
                "`{}` on a {} and a {}",
                op.as_str(),
                l.type_name(),
                r.type_name()
            ),
        ),
    };
    let bool_or = |b: Option<bool>| b.map_or_else(unknown, Value::Bool);
    match op {
        O::StrictEquality => bool_or(strict_eq(l, r)),
        O::StrictInequality => bool_or(strict_eq(l, r).map(|b| !b)),
        O::Equality => bool_or(loose_eq(l, r)),
        O::Inequality => bool_or(loose_eq(l, r).map(|b| !b)),
        O::Addition => match (l, r) {
            (Value::Str(_), _) | (_, Value::Str(_)) => match (l.to_display(), r.to_display()) {
                (Some(a), Some(b)) => Value::str(alloc, &(a + &b)),
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

pub(crate) fn json_to_value<'a>(alloc: &'a Allocator, j: &serde_json::Value) -> Value<'a> {
    use serde_json::Value as J;
    match j {
        J::Null => Value::Null,
        J::Bool(b) => Value::Bool(*b),
        J::Number(n) => Value::Num(n.as_f64().unwrap_or(f64::NAN)),
        J::String(s) => Value::str(alloc, s),
        J::Array(xs) => {
            let items: Vec<Value<'a>> = xs.iter().map(|x| json_to_value(alloc, x)).collect();
            Value::arr(alloc, &items)
        }
        J::Object(m) => new_obj(
            alloc,
            m.iter()
                .map(|(k, v)| (alloc.alloc_str(k), json_to_value(alloc, v))),
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

fn binding_name<'a>(p: &BindingPattern<'a>) -> Option<&'a str> {
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

/// Evaluated JSX children: most elements have none or one, which need no list.
pub(crate) enum Children<'a> {
    None,
    One(Value<'a>),
    Many(Vec<Value<'a>>),
}

impl<'a> Children<'a> {
    /// Appends a child; `at_most` bounds how many there will be (sizes the list once).
    pub fn push(&mut self, v: Value<'a>, at_most: usize) {
        *self = match std::mem::replace(self, Children::None) {
            Children::None => Children::One(v),
            Children::One(first) => {
                let mut xs = Vec::with_capacity(at_most.max(2));
                xs.push(first);
                xs.push(v);
                Children::Many(xs)
            }
            Children::Many(mut xs) => {
                xs.push(v);
                Children::Many(xs)
            }
        };
    }

    pub fn into_vec(self) -> Vec<Value<'a>> {
        match self {
            Children::None => Vec::new(),
            Children::One(v) => vec![v],
            Children::Many(xs) => xs,
        }
    }
}

impl<'a> From<Vec<Value<'a>>> for Children<'a> {
    fn from(mut xs: Vec<Value<'a>>) -> Self {
        match xs.len() {
            0 => Children::None,
            1 => Children::One(xs.pop().expect("one child")),
            _ => Children::Many(xs),
        }
    }
}

/// Sets `children` as React does: absent, the one child itself, or an array.
pub(crate) fn set_children<'a>(alloc: &'a Allocator, props: &Obj<'a>, children: Children<'a>) {
    let v = match children {
        Children::None => return,
        Children::One(v) => v,
        Children::Many(xs) => Value::arr(alloc, &xs),
    };
    obj_set_key(props, "children", v);
}
