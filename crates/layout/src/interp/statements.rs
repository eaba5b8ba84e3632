//! Statements, declarations and calls: function bodies, bindings and patterns, blocks and
//! control flow, classes.

use std::rc::Rc;

use oxc::ast::ast::*;
use oxc::span::GetSpan;

use super::value::*;
use super::*;

/// The most rounds a loop runs (then its variables are unknown, with a warning).
pub(crate) const MAX_LOOP_ITERATIONS: usize = 10_000;

/// How the unknown result of calling a package function ends (`` `wrap()` from `pkg` `` and
/// this): such a result applied to a component yields the component.
const EXT_CALL: &str = " is not evaluated";

/// Whether `v` is a component a higher-order component could wrap: a named (PascalCase)
/// function, a class, a styled component, a core component or a package's PascalCase export.
fn is_component(v: &Value<'_>) -> bool {
    let pascal = |n: &str| n.starts_with(|c: char| c.is_ascii_uppercase());
    match v {
        Value::Func(c) => pascal(c.name),
        Value::Class(_) | Value::Styled(_) | Value::Host(_) => true,
        Value::Ext(x) => pascal(x.1.rsplit('.').next().unwrap_or(x.1)),
        _ => false,
    }
}

impl<'p, 'a> Interp<'p, 'a> {
    pub(super) fn make_fn(&self, node: FnNode<'a>, env: &Env<'a>, name: JsStr<'a>) -> Value<'a> {
        Value::Func(self.alloc.alloc(Closure::new(node, env, name)))
    }

    pub(super) fn make_class(&mut self, c: &'a Class<'a>, env: &Env<'a>) -> R<Value<'a>> {
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
            if let ClassElement::MethodDefinition(md) = el
                && md.r#static
                && md.kind == MethodDefinitionKind::Method
                && let Some(k) = prop_key_name(&md.key)
            {
                let name = self.js(k);
                let f = self.make_fn(FnNode::Func(&md.value), env, name);
                obj_set_key(&statics, name, f);
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
            Value::Native(super::natives::Native::Bound(kind, data)) => {
                self.call_bound(*kind, *data, args, module, offset)
            }
            // `hoc(config)(Screen)`, `compose(a, b)(Screen)`: the factory's result is unknown,
            // but what it is applied to is the component it wraps.
            Value::Unknown(r) if r.ends_with(EXT_CALL) => {
                match args.iter().copied().find(is_component) {
                    Some(c) => {
                        let wrapper = r.strip_suffix(EXT_CALL).unwrap_or(r);
                        Ok(self.wrapped(c, wrapper, module, offset))
                    }
                    None => Ok(Value::Unknown(r)),
                }
            }
            Value::Unknown(r) => Ok(Value::Unknown(r)),
            Value::Ext(x) if super::pictures::is_create_icon_set(x.0, x.1) => {
                Ok(self.create_icon_set(&args, module, offset))
            }
            // A package's higher-order component (`Sentry.wrap(App)`, `withDatabase(C)`) is
            // transparent: it yields the component it is given.
            Value::Ext(x) => match args.iter().copied().find(is_component) {
                Some(c) => {
                    let wrapper = format!("`{}()` from `{}`", x.1, x.0);
                    Ok(self.wrapped(c, &wrapper, module, offset))
                }
                None => Ok(Value::unknown(
                    self.alloc,
                    format!("`{}()` from `{}`{EXT_CALL}", x.1, x.0),
                )),
            },
            Value::Class(c) => Ok(Value::unknown(
                self.alloc,
                format!("class `{}` called without `new`", c.name),
            )),
            _ => Ok(Value::unknown(
                self.alloc,
                "called a value that is not a function",
            )),
        }
    }

    /// The component `c` that the package function `wrapper` was taken to return, with a
    /// warning: a function component becomes a copy whose props the wrapper may add to, so
    /// that a prop it does not get is unknown rather than `undefined` (its own defaults still
    /// apply).
    fn wrapped(&mut self, c: Value<'a>, wrapper: &str, module: usize, offset: u32) -> Value<'a> {
        self.warn(
            "wrapped-component",
            format!(
                "{wrapper} wraps a component; the preview shows the component itself, and the props the wrapper would inject are unknown"
            ),
            module,
            offset,
        );
        let Value::Func(f) = c else {
            return c;
        };
        let copy: &'a Closure<'a> = self.alloc.alloc(Closure {
            node: f.node,
            env: f.env,
            this: f.this,
            name: f.name,
            statics: f.statics.clone(),
        });
        let reason: &'a str = self
            .alloc
            .alloc_str(&format!("a prop {wrapper} would inject"));
        self.injected_props.push((std::ptr::from_ref(copy), reason));
        Value::Func(copy)
    }

    pub(super) fn call_closure(
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
    pub(super) fn block_env(&self, env: &Env<'a>, body: &[Statement<'_>]) -> Env<'a> {
        if body.iter().any(|s| s.is_declaration()) {
            child_env(self.alloc, env, None)
        } else {
            env
        }
    }

    /// Runs a block in its scope (see [`Interp::block_env`]).
    pub(super) fn exec_scoped_block(
        &mut self,
        env: &Env<'a>,
        body: &'a [Statement<'a>],
    ) -> R<Flow<'a>> {
        let inner = self.block_env(env, body);
        self.exec_block(&inner, body)
    }

    pub(super) fn run_body(&mut self, env: &Env<'a>, stmts: &'a [Statement<'a>]) -> R<Value<'a>> {
        for s in stmts {
            if let Statement::FunctionDeclaration(f) = s {
                self.hoist_fn(env, f);
            }
        }
        for s in stmts {
            match self.exec(env, s)? {
                Flow::Return(v) => return Ok(v),
                Flow::Break | Flow::Continue | Flow::BreakLabel(_) | Flow::ContinueLabel(_) => {
                    break;
                }
                Flow::Normal => {}
            }
        }
        Ok(Value::Undef)
    }

    pub(super) fn bind_params(
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

    pub(super) fn bind_pattern(
        &mut self,
        env: &Env<'a>,
        pat: &'a BindingPattern<'a>,
        v: Value<'a>,
    ) -> R<()> {
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
                    // A prop a wrapper may inject (unknown when absent) still takes the
                    // component's own default: `{ title = 'Posts' }`.
                    let pv = match (&v, &p.value) {
                        (Value::Obj(ob), BindingPattern::AssignmentPattern(_))
                            if obj_get(ob, &key).is_none() =>
                        {
                            Value::Undef
                        }
                        _ => self.get_prop(&v, &key),
                    };
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

    pub(super) fn exec_decl(&mut self, env: &Env<'a>, d: &'a Declaration<'a>) -> R<()> {
        match d {
            // `declare const global: ...` (TypeScript) binds nothing.
            Declaration::VariableDeclaration(v) if v.declare => {}
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
                // A Flow enum (the type stripper writes it as a TypeScript one) without
                // initializers is a string enum of its member names; a TypeScript one counts.
                let flow = {
                    let f = &self.project.files[env.module];
                    !f.path.ends_with(".ts")
                        && !f.path.ends_with(".tsx")
                        && crate::prepass::has_flow_pragma(f.content)
                };
                let mut entries = Vec::new();
                let mut next = 0.0;
                for m in &e.body.members {
                    let name: JsStr<'a> = self.alloc.alloc_str(m.id.static_name().as_str());
                    let v = match &m.initializer {
                        Some(init) => self.eval(env, init)?,
                        None if flow => Value::Str(name),
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

    pub(super) fn exec(&mut self, env: &Env<'a>, s: &'a Statement<'a>) -> R<Flow<'a>> {
        if self.stack_is_ample() {
            return self.exec_inner(env, s);
        }
        stacker::maybe_grow(STACK_RED_ZONE, STACK_GROW, || self.exec_inner(env, s))
    }

    pub(super) fn exec_inner(&mut self, env: &Env<'a>, s: &'a Statement<'a>) -> R<Flow<'a>> {
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
                    // A colour scheme (`case "dark": ... default:`) is the light one; any other
                    // unknown switch takes its first case.
                    let mut light = None;
                    for (i, c) in sw.cases.iter().enumerate() {
                        if let Some(t) = &c.test
                            && let Some(true) =
                                super::operators::light_scheme_eq(&d, &self.eval(env, t)?)
                        {
                            light = Some(i);
                            break;
                        }
                    }
                    let has_dark = sw.cases.iter().any(|c| {
                        matches!(c.test.as_ref().map(|t| t.get_inner_expression()),
                            Some(Expression::StringLiteral(s)) if s.value == "dark")
                    });
                    let default = sw.cases.iter().position(|c| c.test.is_none());
                    start = light.or(if has_dark { default } else { None });
                    if start.is_none() {
                        self.warn_condition(env, &d, sw.discriminant.span().start);
                        start = Some(0);
                    }
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
            Statement::BreakStatement(b) => {
                return Ok(match &b.label {
                    Some(l) => Flow::BreakLabel(l.name.as_str()),
                    None => Flow::Break,
                });
            }
            Statement::ContinueStatement(b) => {
                return Ok(match &b.label {
                    Some(l) => Flow::ContinueLabel(l.name.as_str()),
                    None => Flow::Continue,
                });
            }
            Statement::TryStatement(t) => return self.exec_scoped_block(env, &t.block.body),
            // Loops over a known object's keys or a known array's items run (as compiled
            // package code does: `for (const key in styles) ...`); they end with the value.
            Statement::LabeledStatement(l) => {
                let label = l.label.name.as_str();
                let flow = match &l.body {
                    Statement::ForStatement(_)
                    | Statement::ForInStatement(_)
                    | Statement::ForOfStatement(_)
                    | Statement::WhileStatement(_)
                    | Statement::DoWhileStatement(_) => {
                        self.exec_loop(env, &l.body, Some(label))?
                    }
                    body => self.exec(env, body)?,
                };
                return Ok(match flow {
                    Flow::BreakLabel(x) if x == label => Flow::Normal,
                    f => f,
                });
            }
            Statement::ForStatement(_)
            | Statement::ForInStatement(_)
            | Statement::ForOfStatement(_)
            | Statement::WhileStatement(_)
            | Statement::DoWhileStatement(_) => return self.exec_loop(env, s, None),
            other => {
                if let Some(d) = other.as_declaration() {
                    self.exec_decl(env, d)?;
                }
            }
        }
        Ok(Flow::Normal)
    }

    /// Runs a loop (`label`: the label on it, for `break label` / `continue label`). A loop
    /// whose condition or data is unknown is not run: the variables its body assigns become
    /// unknown, with a warning. A loop stops after [`MAX_LOOP_ITERATIONS`] rounds, the same way.
    fn exec_loop(
        &mut self,
        env: &Env<'a>,
        s: &'a Statement<'a>,
        label: Option<&'a str>,
    ) -> R<Flow<'a>> {
        match s {
            Statement::ForInStatement(f) => {
                let over = self.eval(env, &f.right)?;
                let keys: Option<Vec<Value<'a>>> = match &over {
                    Value::Obj(o) => Some(o.borrow().iter().map(|(k, _)| Value::Str(k)).collect()),
                    Value::Arr(xs) => Some(
                        (0..xs.len())
                            .map(|i| Value::str(self.alloc, &i.to_string()))
                            .collect(),
                    ),
                    Value::Undef | Value::Null => Some(Vec::new()),
                    _ => None,
                };
                if let Some(keys) = keys {
                    return self.exec_for_each(env, &f.left, keys, &f.body, label);
                }
                self.warn_loop(env, &over, s.span().start);
                self.poison(env, &f.body, &over);
            }
            Statement::ForOfStatement(f) if !f.r#await => {
                let over = self.eval(env, &f.right)?;
                if let Some(items) = self.iterate(&over) {
                    return self.exec_for_each(env, &f.left, items, &f.body, label);
                }
                self.warn_loop(env, &over, s.span().start);
                self.poison(env, &f.body, &over);
            }
            Statement::ForOfStatement(f) => {
                let why = Value::Str("`for await` goes over values that arrive at run time");
                self.warn_loop(env, &why, s.span().start);
                self.poison(env, &f.body, &why);
            }
            Statement::ForStatement(f) => {
                let inner = child_env(self.alloc, env, None);
                match &f.init {
                    Some(ForStatementInit::VariableDeclaration(d)) => {
                        for decl in &d.declarations {
                            let v = match &decl.init {
                                Some(e) => self.eval(&inner, e)?,
                                None => Value::Undef,
                            };
                            self.bind_pattern(&inner, &decl.id, v)?;
                        }
                    }
                    Some(init) => {
                        if let Some(e) = init.as_expression() {
                            self.eval(&inner, e)?;
                        }
                    }
                    None => {}
                }
                let mut rounds = 0usize;
                loop {
                    if let Some(test) = &f.test {
                        let t = self.eval(&inner, test)?;
                        match t.truthy() {
                            Some(true) => {}
                            Some(false) => break,
                            None => {
                                self.warn_loop(&inner, &t, s.span().start);
                                self.poison(&inner, &f.body, &t);
                                break;
                            }
                        }
                    }
                    if !self.count_round(&inner, &mut rounds, &f.body, s.span().start) {
                        break;
                    }
                    match self.run_round(&inner, &f.body, label)? {
                        Round::Next => {}
                        Round::Break => break,
                        Round::Exit(exit) => return Ok(exit),
                    }
                    if let Some(update) = &f.update {
                        self.eval(&inner, update)?;
                    }
                }
            }
            Statement::WhileStatement(w) => {
                let mut rounds = 0usize;
                loop {
                    let t = self.eval(env, &w.test)?;
                    match t.truthy() {
                        Some(true) => {}
                        Some(false) => break,
                        None => {
                            self.warn_loop(env, &t, s.span().start);
                            self.poison(env, &w.body, &t);
                            break;
                        }
                    }
                    if !self.count_round(env, &mut rounds, &w.body, s.span().start) {
                        break;
                    }
                    match self.run_round(env, &w.body, label)? {
                        Round::Next => {}
                        Round::Break => break,
                        Round::Exit(exit) => return Ok(exit),
                    }
                }
            }
            Statement::DoWhileStatement(w) => {
                let mut rounds = 0usize;
                loop {
                    if !self.count_round(env, &mut rounds, &w.body, s.span().start) {
                        break;
                    }
                    match self.run_round(env, &w.body, label)? {
                        Round::Next => {}
                        Round::Break => break,
                        Round::Exit(exit) => return Ok(exit),
                    }
                    let t = self.eval(env, &w.test)?;
                    match t.truthy() {
                        Some(true) => {}
                        Some(false) => break,
                        None => {
                            self.warn_loop(env, &t, s.span().start);
                            self.poison(env, &w.body, &t);
                            break;
                        }
                    }
                }
            }
            _ => {}
        }
        Ok(Flow::Normal)
    }

    /// What a loop does after a round whose body ended with `flow`: `Some(flow)` leaves the
    /// loop with that flow (a `return`, or a labelled jump to an outer statement); `None`
    /// goes on, or stops the loop when it sets `loop_broke`.
    /// Runs one round of a loop's body: whether the loop goes on, stops, or is left with
    /// the body's flow (`return`, a labelled jump out of it).
    fn run_round(
        &mut self,
        env: &Env<'a>,
        body: &'a Statement<'a>,
        label: Option<&'a str>,
    ) -> R<Round<'a>> {
        let flow = self.exec(env, body)?;
        Ok(match self.loop_step(flow, label) {
            Some(exit) => Round::Exit(exit),
            None if self.loop_broke => {
                self.loop_broke = false;
                Round::Break
            }
            None => Round::Next,
        })
    }

    fn loop_step(&mut self, flow: Flow<'a>, label: Option<&'a str>) -> Option<Flow<'a>> {
        match flow {
            Flow::Normal | Flow::Continue => None,
            Flow::ContinueLabel(l) if Some(l) == label => None,
            Flow::Break => {
                self.loop_broke = true;
                None
            }
            Flow::BreakLabel(l) if Some(l) == label => {
                self.loop_broke = true;
                None
            }
            other => Some(other),
        }
    }

    /// Counts a round of a loop; `false` (with a warning, the body's variables unknown) past
    /// [`MAX_LOOP_ITERATIONS`].
    fn count_round(
        &mut self,
        env: &Env<'a>,
        rounds: &mut usize,
        body: &'a Statement<'a>,
        offset: u32,
    ) -> bool {
        *rounds += 1;
        if *rounds <= MAX_LOOP_ITERATIONS {
            return true;
        }
        let why = Value::Str("a loop that ran past 10,000 rounds");
        self.warn_loop(env, &why, offset);
        self.poison(env, body, &why);
        false
    }

    /// Makes the variables a loop body assigns (and the arrays it pushes to) unknown: the
    /// loop did not run, so what they hold is not what the app would show.
    fn poison(&mut self, env: &Env<'a>, body: &'a Statement<'a>, why: &Value<'a>) {
        use oxc::ast_visit::Visit;
        #[derive(Default)]
        struct Assigned<'a> {
            names: Vec<&'a str>,
        }
        impl<'a> Visit<'a> for Assigned<'a> {
            fn visit_assignment_expression(&mut self, a: &AssignmentExpression<'a>) {
                if let AssignmentTarget::AssignmentTargetIdentifier(id) = &a.left {
                    self.names.push(id.name.as_str());
                } else if let Some(m) = a.left.as_member_expression()
                    && let Expression::Identifier(id) = m.object().get_inner_expression()
                {
                    self.names.push(id.name.as_str());
                }
                oxc::ast_visit::walk::walk_assignment_expression(self, a);
            }
            fn visit_update_expression(&mut self, u: &UpdateExpression<'a>) {
                if let SimpleAssignmentTarget::AssignmentTargetIdentifier(id) = &u.argument {
                    self.names.push(id.name.as_str());
                }
            }
            fn visit_call_expression(&mut self, c: &CallExpression<'a>) {
                if let Some(m) = c.callee.get_inner_expression().as_member_expression()
                    && matches!(
                        m.static_property_name(),
                        Some("push" | "unshift" | "splice" | "set" | "add")
                    )
                    && let Expression::Identifier(id) = m.object().get_inner_expression()
                {
                    self.names.push(id.name.as_str());
                }
                oxc::ast_visit::walk::walk_call_expression(self, c);
            }
        }
        let mut v = Assigned::default();
        v.visit_statement(body);
        if v.names.is_empty() {
            return;
        }
        let reason = Value::unknown(
            self.alloc,
            format!("built by a loop that was not run ({})", reason_of(why)),
        );
        for name in v.names {
            // Only names bound outside the body (its own `let`s go with it).
            if self.lookup_in(env, name).is_some() {
                self.assign_name(env, name, reason);
            }
        }
    }

    /// Runs a `for ... in` / `for ... of` body once per value, bound to the loop's variable.
    fn exec_for_each(
        &mut self,
        env: &Env<'a>,
        left: &'a ForStatementLeft<'a>,
        values: Vec<Value<'a>>,
        body: &'a Statement<'a>,
        label: Option<&'a str>,
    ) -> R<Flow<'a>> {
        for v in values {
            let inner = child_env(self.alloc, env, None);
            match left {
                ForStatementLeft::VariableDeclaration(d) => {
                    if let Some(decl) = d.declarations.first() {
                        self.bind_pattern(&inner, &decl.id, v)?;
                    }
                }
                ForStatementLeft::AssignmentTargetIdentifier(id) => {
                    self.assign_name(env, id.name.as_str(), v);
                }
                _ => {}
            }
            match self.run_round(&inner, body, label)? {
                Round::Next => {}
                Round::Break => break,
                Round::Exit(exit) => return Ok(exit),
            }
        }
        Ok(Flow::Normal)
    }

    fn warn_loop(&mut self, env: &Env<'a>, over: &Value<'a>, offset: u32) {
        self.warn(
            "loop-skipped",
            format!(
                "the loop is not executed (it goes over {}); values it builds are unknown",
                reason_of(over)
            ),
            env.module,
            offset,
        );
    }

    pub(super) fn exec_block(&mut self, env: &Env<'a>, body: &'a [Statement<'a>]) -> R<Flow<'a>> {
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

    pub(super) fn warn_condition(&mut self, env: &Env<'a>, v: &Value<'a>, offset: u32) {
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
}

/// `return;`, `return null`, `{ return null; }` (a loading gate's early exit).
pub(super) fn returns_nothing(s: &Statement<'_>) -> bool {
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

pub(super) fn module_export_name<'x>(n: &'x ModuleExportName<'_>) -> &'x str {
    match n {
        ModuleExportName::IdentifierName(i) => i.name.as_str(),
        ModuleExportName::IdentifierReference(i) => i.name.as_str(),
        ModuleExportName::StringLiteral(s) => s.value.as_str(),
    }
}

pub(super) fn export_decl<'x, 'a>(s: &'x Statement<'a>) -> Option<&'x Declaration<'a>> {
    match s {
        Statement::ExportDeclaration(d) => Some(&d.declaration),
        _ => None,
    }
}

pub(super) fn binding_name<'a>(p: &BindingPattern<'a>) -> Option<&'a str> {
    match p {
        BindingPattern::BindingIdentifier(id) => Some(id.name.as_str()),
        _ => None,
    }
}

pub(super) fn declared_names(d: &Declaration<'_>) -> Vec<Rc<str>> {
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

pub(super) fn collect_binding_names(p: &BindingPattern<'_>, out: &mut Vec<Rc<str>>) {
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

/// What a loop does after a round of its body ([`Interp::run_round`]).
enum Round<'a> {
    Next,
    Break,
    Exit(Flow<'a>),
}
