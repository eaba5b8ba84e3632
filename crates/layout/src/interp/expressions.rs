//! Expressions: literals, members and property reads, calls and `require`, assignments,
//! tagged templates (styled components).

use oxc::allocator::Allocator;
use oxc::ast::ast::*;
use oxc::span::GetSpan;
use oxc::syntax::operator::{AssignmentOperator, LogicalOperator, UnaryOperator};

use super::value::*;
use super::*;
use crate::project::FileKind;

impl<'p, 'a> Interp<'p, 'a> {
    /// Evaluates an initializer, naming anonymous functions after their binding.
    pub(super) fn eval_named(
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

    pub(super) fn eval_inner(&mut self, env: &Env<'a>, e: &'a Expression<'a>) -> R<Value<'a>> {
        self.tick()?;
        Ok(match e {
            Expression::BooleanLiteral(b) => Value::Bool(b.value),
            Expression::NullLiteral(_) => Value::Null,
            Expression::NumericLiteral(n) => Value::Num(n.value),
            Expression::StringLiteral(s) => Value::borrowed(s.value.as_str()),
            Expression::BigIntLiteral(_) => Value::unknown(self.alloc, "bigint literal"),
            Expression::RegExpLiteral(r) => {
                let flags = r.regex.flags.to_inline_string();
                self.regex_value(
                    r.regex.pattern.text.as_str(),
                    &flags,
                    env.module,
                    r.span.start,
                )
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
                                other => match self.iterate(&other) {
                                    Some(xs) => items.extend(xs),
                                    None => items.push(unknown_from(self.alloc, &other, "spread")),
                                },
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
                            // `unknown && false` is falsy whatever the unknown is.
                            let right = self.eval(env, &l.right)?;
                            if right.truthy() != Some(false) {
                                self.warn_condition(env, &left, l.left.span().start);
                            }
                            return Ok(right);
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
                if b.operator == oxc::syntax::operator::BinaryOperator::Instanceof {
                    return self.instance_of(&l, &r);
                }
                let v = binary(self.alloc, b.operator, &l, &r);
                if let Value::Str(s) = &v {
                    self.check_len(s.len())?;
                }
                v
            }
            Expression::UnaryExpression(u) if u.operator == UnaryOperator::Delete => {
                if let Some(m) = u.argument.get_inner_expression().as_member_expression() {
                    let target = self.eval(env, m.object())?;
                    let key = match m {
                        MemberExpression::StaticMemberExpression(s) => {
                            Some(s.property.name.as_str().to_string())
                        }
                        MemberExpression::ComputedMemberExpression(c) => {
                            self.eval(env, &c.expression)?.to_display()
                        }
                        MemberExpression::PrivateFieldExpression(_) => None,
                    };
                    if let (Value::Obj(o), Some(key)) = (target, key) {
                        self.style_cache.clear();
                        o.borrow_mut().remove(&key);
                    }
                }
                Value::Bool(true)
            }
            // `typeof x` of a name bound nowhere is `"undefined"` (`typeof document`), except
            // for the globals React Native has that the evaluator does not model.
            Expression::UnaryExpression(u)
                if u.operator == UnaryOperator::Typeof
                    && let Expression::Identifier(id) = u.argument.get_inner_expression()
                    && self.lookup_in(env, id.name.as_str()).is_none() =>
            {
                Value::Str(match id.name.as_str() {
                    "window" | "global" | "globalThis" | "navigator" | "performance" => "object",
                    "setTimeout"
                    | "setInterval"
                    | "clearTimeout"
                    | "clearInterval"
                    | "fetch"
                    | "requestAnimationFrame"
                    | "cancelAnimationFrame"
                    | "queueMicrotask"
                    | "XMLHttpRequest"
                    | "FormData"
                    | "WebSocket"
                    | "Promise"
                    | "Symbol"
                    | "Blob"
                    | "AbortController" => "function",
                    _ => "undefined",
                })
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
                let args = self.eval_args(env, &n.arguments)?;
                return self.construct(callee, args, env.module, n.span.start);
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
            Expression::UpdateExpression(u) => return self.update(env, u),
            other => match other.as_member_expression() {
                Some(m) => return self.eval_member(env, m),
                None => Value::unknown(self.alloc, "unsupported expression"),
            },
        })
    }

    /// `old op= v`: the value a compound assignment stores.
    fn compound(&self, op: AssignmentOperator, old: Value<'a>, v: Value<'a>) -> Value<'a> {
        match op {
            AssignmentOperator::Assign => v,
            AssignmentOperator::LogicalOr => match old.truthy() {
                Some(true) => old,
                Some(false) => v,
                None => old,
            },
            AssignmentOperator::LogicalAnd => match old.truthy() {
                Some(true) => v,
                Some(false) => old,
                None => old,
            },
            AssignmentOperator::LogicalNullish if old.is_nullish() => v,
            AssignmentOperator::LogicalNullish => old,
            op => match op.to_binary_operator() {
                Some(op) => binary(self.alloc, op, &old, &v),
                None => Value::unknown(self.alloc, "unsupported assignment operator"),
            },
        }
    }

    /// `x++`, `--obj.count`: numbers only.
    fn update(&mut self, env: &Env<'a>, u: &'a UpdateExpression<'a>) -> R<Value<'a>> {
        let delta = match u.operator {
            oxc::syntax::operator::UpdateOperator::Increment => 1.0,
            oxc::syntax::operator::UpdateOperator::Decrement => -1.0,
        };
        let (old, target) = match &u.argument {
            SimpleAssignmentTarget::AssignmentTargetIdentifier(id) => (
                self.lookup_in(env, id.name.as_str())
                    .unwrap_or(Value::Undef),
                None,
            ),
            other => match other.as_member_expression() {
                Some(m) => {
                    let obj = self.eval(env, m.object())?;
                    let Some(key) = self.member_key(env, m)? else {
                        return Ok(Value::unknown(self.alloc, "update of an unknown property"));
                    };
                    (self.get_prop(&obj, &key), Some((obj, key)))
                }
                None => return Ok(Value::unknown(self.alloc, "update expression")),
            },
        };
        let Some(n) = old.to_num() else {
            return Ok(unknown_from(self.alloc, &old, "update"));
        };
        let new = Value::Num(n + delta);
        match (&u.argument, target) {
            (SimpleAssignmentTarget::AssignmentTargetIdentifier(id), _) => {
                self.assign_name(env, id.name.as_str(), new)
            }
            (_, Some((Value::Obj(o), key))) => {
                self.style_cache.clear();
                obj_set(&o, &key, new)
            }
            _ => {}
        }
        Ok(if u.prefix { new } else { Value::Num(n) })
    }

    /// The key of a member expression; `None` when unknown.
    pub(super) fn member_key(
        &mut self,
        env: &Env<'a>,
        m: &'a MemberExpression<'a>,
    ) -> R<Option<String>> {
        Ok(match m {
            MemberExpression::StaticMemberExpression(s) => Some(s.property.name.to_string()),
            MemberExpression::ComputedMemberExpression(c) => {
                self.eval(env, &c.expression)?.to_display()
            }
            MemberExpression::PrivateFieldExpression(p) => Some(format!("#{}", p.field.name)),
        })
    }

    pub(super) fn assign(
        &mut self,
        env: &Env<'a>,
        a: &'a AssignmentExpression<'a>,
    ) -> R<Value<'a>> {
        let mut v = self.eval(env, &a.right)?;
        match &a.left {
            AssignmentTarget::AssignmentTargetIdentifier(id) => {
                if a.operator != AssignmentOperator::Assign {
                    let old = self
                        .lookup_in(env, id.name.as_str())
                        .unwrap_or(Value::Undef);
                    v = self.compound(a.operator, old, v);
                }
                self.assign_name(env, id.name.as_str(), v);
            }
            AssignmentTarget::ArrayAssignmentTarget(t) => {
                // `[a, b] = [b, a]`.
                for (i, el) in t.elements.iter().enumerate() {
                    if let Some(AssignmentTargetMaybeDefault::AssignmentTargetIdentifier(id)) = el {
                        let item = self.get_prop(&v, &i.to_string());
                        self.assign_name(env, id.name.as_str(), item);
                    }
                }
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
                        MemberExpression::PrivateFieldExpression(p) => format!("#{}", p.field.name),
                    };
                    if a.operator != AssignmentOperator::Assign {
                        let old = self.get_prop(&target, &key);
                        v = self.compound(a.operator, old, v);
                    }
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

    /// `name = v`: assigns in the nearest scope that holds the name, else declares it here.
    pub(super) fn assign_name(&mut self, env: &Env<'a>, name: &'a str, v: Value<'a>) {
        let mut cur = Some(*env);
        while let Some(e) = cur {
            if e.vars.borrow().contains_key(name) {
                e.vars.borrow_mut().insert(name, v);
                return;
            }
            cur = e.parent;
        }
        declare_b(env, name, v);
    }

    pub(super) fn eval_args(
        &mut self,
        env: &Env<'a>,
        args: &'a [Argument<'a>],
    ) -> R<Vec<Value<'a>>> {
        let mut out = Vec::with_capacity(args.len());
        for a in args {
            match a {
                Argument::SpreadElement(s) => match self.eval(env, &s.argument)? {
                    Value::Arr(xs) => out.extend(xs.iter().cloned()),
                    other => match self.iterate(&other) {
                        Some(xs) => out.extend(xs),
                        None => out.push(unknown_from(self.alloc, &other, "spread argument")),
                    },
                },
                other => out.push(self.eval(env, other.as_expression().expect("argument"))?),
            }
        }
        Ok(out)
    }

    pub(super) fn eval_member(
        &mut self,
        env: &Env<'a>,
        m: &'a MemberExpression<'a>,
    ) -> R<Value<'a>> {
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
            MemberExpression::PrivateFieldExpression(p) => {
                std::borrow::Cow::Owned(format!("#{}", p.field.name))
            }
        };
        Ok(self.get_prop(&obj, &key))
    }

    pub(crate) fn get_prop(&mut self, v: &Value<'a>, key: &str) -> Value<'a> {
        match v {
            Value::Obj(o) => match obj_get(o, key) {
                Some(Value::Getter(g)) => self
                    .call(&Value::Func(g), Some(*v), vec![], g.env.module, 0)
                    .unwrap_or_else(|_| {
                        Value::unknown(self.alloc, format!("the getter of `{key}` did not finish"))
                    }),
                Some(x) => x,
                None => match o.borrow().missing {
                    Some(reason) => Value::Unknown(reason),
                    None => Value::Undef,
                },
            },
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
            Value::Native(n) => self.native_prop(n, key),
            Value::Builtin(b) if *b != Builtin::Styled => super::builtins::builtin_static(*b, key),
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
            // `require('pkg').Name` of a package whose code is not provided.
            Value::Ext(x) if x.1 == "default" => self.import_package(x.0, key),
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

    pub(super) fn eval_call(&mut self, env: &Env<'a>, c: &'a CallExpression<'a>) -> R<Value<'a>> {
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
            if matches!(name, "call" | "apply" | "bind")
                && matches!(recv, Value::Func(_) | Value::Builtin(_))
            {
                return self.call_function_method(env, recv, name, c);
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
        if let Expression::Super(_) = callee {
            let args = self.eval_args(env, &c.arguments)?;
            return self.super_call(env, args);
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

    /// `f.call(this, ...args)`, `f.apply(this, args)`, `f.bind(this)` (the binding is not kept:
    /// compiled code binds helpers such as `Object.assign.bind()`).
    fn call_function_method(
        &mut self,
        env: &Env<'a>,
        f: Value<'a>,
        name: &str,
        c: &'a CallExpression<'a>,
    ) -> R<Value<'a>> {
        let mut args = self.eval_args(env, &c.arguments)?.into_iter();
        let this = args.next().unwrap_or(Value::Undef);
        let args: Vec<Value<'a>> = match name {
            "bind" => return Ok(f),
            "apply" => match args.next() {
                Some(Value::Arr(xs)) => xs.to_vec(),
                _ => Vec::new(),
            },
            _ => args.collect(),
        };
        match f {
            // `Object.prototype.hasOwnProperty.call(obj, key)`.
            Value::Builtin(b @ Builtin::HasOwnProperty) => {
                let mut with_this = vec![this];
                with_this.extend(args);
                self.call_builtin(b, with_this, env.module, c.span.start)
            }
            f => self.call(&f, Some(this), args, env.module, c.span.start),
        }
    }

    pub(super) fn require(&mut self, m: usize, spec: &str) -> R<Value<'a>> {
        match self.resolve_spec(m, spec) {
            Some(t) => match self.project.kind(t) {
                FileKind::Script(_) => {
                    self.load_module(t)?;
                    if self.modules[&t].commonjs {
                        return self.get_export(t, "*", 0);
                    }
                    if self.project.files[t].is_package() {
                        // An ES module required by (compiled) package code: its namespace,
                        // marked as Babel marks the modules it compiles.
                        let ns = self.get_export(t, "*", 0)?;
                        if let Value::Obj(o) = &ns {
                            obj_set(o, "__esModule", Value::Bool(true));
                        }
                        return Ok(ns);
                    }
                    let def = self.get_export(t, "default", 0)?;
                    if matches!(def, Value::Undef) {
                        self.get_export(t, "*", 0)
                    } else {
                        Ok(def)
                    }
                }
                FileKind::Json(j) => Ok(json_to_value(self.alloc, j)),
                FileKind::Other | FileKind::Package | FileKind::Image(_) => Ok(Value::Asset(
                    self.alloc.alloc_str(&self.project.files[t].path),
                )),
                FileKind::Broken(msg) => Ok(Value::unknown(
                    self.alloc,
                    format!("`{spec}` failed to parse: {msg}"),
                )),
            },
            None if is_asset_spec(spec) => Ok(Value::Asset(
                self.alloc.alloc_str(&self.project.image_path(m, spec)),
            )),
            None => Ok(self.import_package(spec, "default")),
        }
    }

    pub(super) fn context_value(&self, id: usize) -> Option<Value<'a>> {
        self.ctx_stack
            .iter()
            .rev()
            .find(|(i, _)| *i == id)
            .map(|(_, v)| *v)
    }

    pub(super) fn eval_tagged(
        &mut self,
        env: &Env<'a>,
        t: &'a TaggedTemplateExpression<'a>,
    ) -> R<Value<'a>> {
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
            // lingui's `` t`Hello ${name}` `` / `` msg`...` ``: the source message, filled in.
            Value::Builtin(Builtin::Lib(
                f @ (super::facts::LibFn::LinguiT | super::facts::LibFn::LinguiMsg),
            )) => {
                let mut text = String::new();
                for (i, q) in t.quasi.quasis.iter().enumerate() {
                    text.push_str(
                        q.value
                            .cooked
                            .as_ref()
                            .map_or(q.value.raw.as_str(), |c| c.as_str()),
                    );
                    if let Some(x) = t.quasi.expressions.get(i) {
                        let v = self.eval(env, x)?;
                        match v.to_display() {
                            Some(s) => text.push_str(&s),
                            None => return Ok(unknown_from(self.alloc, &v, "message argument")),
                        }
                    }
                }
                let text = Value::str(self.alloc, &text);
                Ok(match f {
                    super::facts::LibFn::LinguiMsg => new_obj(self.alloc, vec![("message", text)]),
                    _ => text,
                })
            }
            other => Ok(unknown_from(self.alloc, &other, "tagged template")),
        }
    }
}

pub(super) fn styled_object<'a>(
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

pub(super) fn is_asset_spec(spec: &str) -> bool {
    [
        ".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".ttf", ".otf", ".mp4", ".json",
        ".lottie",
    ]
    .iter()
    .any(|e| spec.to_ascii_lowercase().ends_with(e))
}

pub(super) fn unknown_from<'a>(alloc: &'a Allocator, v: &Value<'a>, what: &str) -> Value<'a> {
    match v {
        Value::Unknown(r) => Value::Unknown(r),
        other => Value::unknown(
            alloc,
            format!("{what}: {} is not supported here", other.type_name()),
        ),
    }
}
