//! Element expansion: project components (functions, classes, styled components) are
//! evaluated into their output; third-party ones render from the library table when it has a
//! row for them (`library`), else those with children pass through as containers whose children
//! render natively (marked `external`, via `pass-through`), and only childless ones become
//! `HS_ImageSnapshot` nodes.

use std::sync::Arc;

use oxc::ast::ast::*;

use super::library::mark_external;
use super::value::*;
use super::{Fatal, Interp, R};
use crate::document::{Node, Via};

impl<'p, 'a> Interp<'p, 'a> {
    /// Marks the nodes a component rendered (those no inner component claimed) with its
    /// name, shared between them (one allocation per component name).
    pub(super) fn mark_component(&mut self, nodes: &mut [Node], name: &str) {
        if nodes.iter().all(|n| n.component.is_some()) {
            return;
        }
        let shared = match self.component_names.iter().find(|n| &***n == name) {
            Some(n) => n.clone(),
            None => {
                let n: Arc<str> = name.into();
                self.component_names.push(n.clone());
                n
            }
        };
        for n in nodes {
            if n.component.is_none() {
                n.component = Some(shared.clone());
            }
        }
    }

    /// A node one level below the one whose children are being rendered, written at
    /// `offset` in `module`.
    pub(super) fn new_node(&mut self, kind: &'static str, module: usize, offset: u32) -> R<Node> {
        self.nodes += 1;
        let limits = &self.project.limits;
        if self.nodes > limits.max_nodes {
            return Err(Fatal::Limit(format!(
                "the screen has more than {} nodes",
                limits.max_nodes
            )));
        }
        if self.output_depth >= limits.max_output_depth {
            let at = self.project.location(module, offset);
            return Err(Fatal::Limit(format!(
                "the screen's nodes are nested too deeply: more than {} levels at <{kind}> in {}:{}:{}",
                limits.max_output_depth, at.file, at.line, at.column
            )));
        }
        Ok(Node::new(kind))
    }

    /// Renders any value in child position.
    pub(crate) fn render(
        &mut self,
        v: &Value<'a>,
        out: &mut Vec<Node>,
        module: usize,
        offset: u32,
    ) -> R<()> {
        self.tick()?;
        match v {
            Value::Undef | Value::Null | Value::Bool(_) => {}
            Value::Str(_) | Value::Num(_) => {
                let mut n = self.new_node("RawText", module, offset)?;
                n.text = v.to_display();
                out.push(n);
            }
            Value::Arr(xs) => {
                // Exact for a fresh output (a growing Vec<Node> starts at 4 nodes, a >1 KiB
                // allocation); amortised otherwise.
                if out.is_empty() {
                    out.reserve_exact(xs.len());
                } else {
                    out.reserve(xs.len());
                }
                self.render_items(xs, out, module, offset, 1)?;
            }
            Value::Elem(e) => self.render_elem(e, out)?,
            Value::Unknown(r) => self.warn(
                "unknown-child",
                format!("a child could not be evaluated ({r}); it is left out"),
                module,
                offset,
            ),
            other => self.warn(
                "unknown-child",
                format!(
                    "a {} cannot be rendered as a child; it is left out",
                    other.type_name()
                ),
                module,
                offset,
            ),
        }
        Ok(())
    }

    /// Renders the items of an array at `depth` levels of arrays; nested arrays flatten into
    /// the same list, down to [`MAX_VALUE_DEPTH`] levels (deeper ones are left out).
    pub(super) fn render_items(
        &mut self,
        xs: &[Value<'a>],
        out: &mut Vec<Node>,
        module: usize,
        offset: u32,
        depth: usize,
    ) -> R<()> {
        for x in xs {
            match x {
                Value::Arr(inner) if depth < MAX_VALUE_DEPTH => {
                    self.render_items(inner, out, module, offset, depth + 1)?
                }
                Value::Arr(_) => self.warn(
                    "unknown-child",
                    format!("a child could not be evaluated ({TOO_DEEP}); it is left out"),
                    module,
                    offset,
                ),
                x => self.render(x, out, module, offset)?,
            }
        }
        Ok(())
    }

    pub(super) fn children_of(&self, props: &Obj<'a>) -> Value<'a> {
        obj_get(props, "children").unwrap_or(Value::Undef)
    }

    /// Renders a host element's `children` value.
    pub(super) fn render_children(
        &mut self,
        mut c: Value<'a>,
        module: usize,
        offset: u32,
    ) -> R<Vec<Node>> {
        if let Value::Func(_) = c {
            // Pressable's children function, at its unpressed state.
            let state = new_obj(
                self.alloc,
                vec![
                    ("pressed", Value::Bool(false)),
                    ("hovered", Value::Bool(false)),
                ],
            );
            c = self.call(&c, None, vec![state], module, offset)?;
        }
        // A single child gets a one-node Vec (arrays are sized by `render`).
        let mut out = match &c {
            Value::Str(_) | Value::Num(_) | Value::Elem(_) => Vec::with_capacity(1),
            _ => Vec::new(),
        };
        self.render(&c, &mut out, module, offset)?;
        Ok(out)
    }

    pub(crate) fn render_elem(&mut self, e: &&'a Elem<'a>, out: &mut Vec<Node>) -> R<()> {
        if self.stack_is_ample() {
            return self.render_elem_inner(e, out);
        }
        stacker::maybe_grow(super::STACK_RED_ZONE, super::STACK_GROW, || {
            self.render_elem_inner(e, out)
        })
    }

    pub(super) fn render_elem_inner(&mut self, e: &&'a Elem<'a>, out: &mut Vec<Node>) -> R<()> {
        let connected;
        let e = if !self.connected.is_empty()
            && let Some(c) = self.connected_elem(e)?
        {
            connected = c;
            &connected
        } else {
            e
        };
        let (m, off) = (e.module, e.offset);
        match &e.ty {
            Value::Fragment => {
                let c = self.children_of(&e.props);
                self.render(&c, out, m, off)
            }
            Value::Host(h) => self.render_host(h, e, out),
            // An ES5 class (a constructor with `prototype.render`, from `_createClass`).
            Value::Func(c) if matches!(c.static_member("prototype"), Some(Value::Obj(p)) if obj_get(&p, "render").is_some()) =>
            {
                let name = c.name;
                self.enter(name)?;
                let r = self.render_function_class(c, e);
                self.leave();
                let result = r?;
                let start = out.len();
                self.enter(name)?;
                let r = self.render(&result, out, m, off);
                self.leave();
                r?;
                self.mark_component(&mut out[start..], name);
                Ok(())
            }
            Value::Func(c) => {
                let props = self.with_defaults(&e.props, c.static_member("defaultProps"));
                let open = self
                    .injected_props
                    .iter()
                    .find(|(p, _)| std::ptr::eq(*p, *c))
                    .map(|(_, r)| *r);
                let props = match (open, props) {
                    (Some(reason), Value::Obj(o)) => {
                        // A copy, so the element's own props object stays as written.
                        let copy =
                            new_obj(self.alloc, o.borrow().iter().copied().collect::<Vec<_>>());
                        if let Value::Obj(c) = copy {
                            c.borrow_mut().missing = Some(reason);
                        }
                        copy
                    }
                    (_, props) => props,
                };
                let name = c.name;
                self.enter(name)?;
                let result = self.call_closure(c, None, vec![props, Value::Null]);
                let result = match result {
                    Ok(v) => v,
                    Err(e) => {
                        self.leave();
                        return Err(e);
                    }
                };
                let start = out.len();
                let r = self.render(&result, out, m, off);
                self.leave();
                r?;
                self.mark_component(&mut out[start..], name);
                Ok(())
            }
            Value::Class(c) => {
                let c = *c;
                self.enter(c.name)?;
                let r = self.render_class(&c, e);
                self.leave();
                let result = r?;
                let start = out.len();
                self.enter(c.name)?;
                let r = self.render(&result, out, m, off);
                self.leave();
                r?;
                self.mark_component(&mut out[start..], c.name);
                Ok(())
            }
            Value::Builtin(Builtin::Lib(f)) if f.is_component() => {
                let result = self.call_lib(*f, vec![Value::Obj(e.props)], m, off)?;
                self.render(&result, out, m, off)
            }
            Value::Provider(id) => {
                let v = obj_get(&e.props, "value")
                    .or_else(|| obj_get(&e.props, "theme"))
                    .or_else(|| obj_get(&e.props, "store"))
                    .unwrap_or(Value::Undef);
                self.ctx_stack.push((*id, v));
                let c = self.children_of(&e.props);
                let r = self.render(&c, out, m, off);
                self.ctx_stack.pop();
                r
            }
            Value::Consumer(id) => {
                let v = self
                    .ctx_stack
                    .iter()
                    .rev()
                    .find(|(i, _)| i == id)
                    .map(|(_, v)| *v)
                    .unwrap_or(Value::Undef);
                let f = self.children_of(&e.props);
                let r = self.call(&f, None, vec![v], m, off)?;
                self.render(&r, out, m, off)
            }
            Value::Styled(s) => {
                let s = *s;
                self.render_styled(&s, e, out)
            }
            // A nested navigator shows its initial screen.
            Value::Ext(x) if x.0 == "@react-navigation" && x.1 == "Navigator" => {
                match self.initial_screen(e) {
                    Some(el) => self.render_elem(&el, out),
                    None => {
                        let n = self.snapshot_node(
                            e,
                            "Navigator",
                            "navigator without a literal screen list",
                        )?;
                        out.push(n);
                        Ok(())
                    }
                }
            }
            Value::Ext(x) => {
                let (pkg, name) = (x.0, x.1);
                if self.render_picture(pkg, name, e, out)? {
                    return Ok(());
                }
                if let Some(row) = super::library::row(pkg, name) {
                    return self.render_library(row, pkg, name, e, out);
                }
                let reason = if pkg == "intrinsic" {
                    format!("`<{name}>` is a web/SVG element, not a React Native component")
                } else if pkg.starts_with('.') {
                    format!("its module `{pkg}` is not among the given files or failed to parse")
                } else {
                    format!("third-party component from `{pkg}`; its code is not provided")
                };
                let container = pkg != "intrinsic" || WEB_CONTAINERS.contains(&name);
                if container && self.pass_through(e, name, Some(pkg), &reason, out)? {
                    return Ok(());
                }
                let n = self.snapshot_node(e, name, &reason)?;
                out.push(n);
                Ok(())
            }
            Value::Unknown(r) => {
                let tag = self.written_tag(e);
                let reason = format!("component could not be resolved ({r})");
                if self.pass_through(e, &tag, None, &reason, out)? {
                    return Ok(());
                }
                let n = self.snapshot_node(e, &tag, &reason)?;
                out.push(n);
                Ok(())
            }
            other => {
                let n =
                    self.snapshot_node(e, other.type_name(), "element type is not a component")?;
                out.push(n);
                Ok(())
            }
        }
    }

    /// An element of a component whose code is not provided, when it has children: a
    /// container with the element's style and props, its children rendered natively (a `Text`
    /// when a child is text), marked `external` (pass-through) with a warning. `false` when
    /// it has no children (it becomes a snapshot).
    pub(super) fn pass_through(
        &mut self,
        e: &&'a Elem<'a>,
        component: &str,
        package: Option<&str>,
        reason: &str,
        out: &mut Vec<Node>,
    ) -> R<bool> {
        let children = self.children_of(&e.props);
        let is_text = |v: &Value<'a>| matches!(v, Value::Str(_) | Value::Num(_));
        let kind = match &children {
            Value::Undef | Value::Null | Value::Bool(_) => return Ok(false),
            Value::Str("") => return Ok(false),
            Value::Arr(xs)
                if xs
                    .iter()
                    .all(|x| x.is_nullish() || matches!(x, Value::Bool(_))) =>
            {
                return Ok(false);
            }
            Value::Arr(xs) if xs.iter().any(is_text) => "Text",
            v if is_text(v) => "Text",
            _ => "View",
        };
        self.warn(
            "pass-through",
            format!(
                "`<{component}>` is rendered as a {kind} with its children ({reason}); its own look is not known"
            ),
            e.module,
            e.offset,
        );
        let el: &'a Elem<'a> = self.alloc.alloc(Elem {
            ty: Value::Host(kind),
            props: e.props,
            module: e.module,
            offset: e.offset,
        });
        let start = out.len();
        self.render_host(kind, &el, out)?;
        mark_external(&mut out[start..], component, package, Via::PassThrough);
        Ok(true)
    }

    /// The element name as written in the source (`<Foo.Bar ...>` -> `Foo.Bar`).
    pub(super) fn written_tag(&self, e: &Elem<'a>) -> String {
        let src = self.project.files[e.module].content;
        let rest = src
            .get(e.offset as usize..)
            .unwrap_or("")
            .trim_start_matches('<');
        let tag: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '$'))
            .collect();
        if tag.is_empty() {
            "unknown".into()
        } else {
            tag
        }
    }

    pub(super) fn with_defaults(
        &self,
        props: &Obj<'a>,
        default_props: Option<Value<'a>>,
    ) -> Value<'a> {
        let Some(Value::Obj(d)) = default_props else {
            // No defaults: the component gets the element's props object itself (React's
            // props are read-only, so sharing it is safe).
            return Value::Obj(props);
        };
        let merged: Obj<'a> = empty_obj(self.alloc);
        for (k, v) in d.borrow().iter() {
            obj_set_key(&merged, k, *v);
        }
        for (k, v) in props.borrow().iter() {
            if matches!(v, Value::Undef) && obj_get(&merged, k).is_some() {
                continue;
            }
            obj_set_key(&merged, k, *v);
        }
        Value::Obj(merged)
    }

    /// The `render()` result of an ES5 class: the instance gets the props, an empty state and
    /// the prototype's methods, the constructor runs with it as `this`, then `render`.
    fn render_function_class(&mut self, c: &&'a Closure<'a>, e: &&'a Elem<'a>) -> R<Value<'a>> {
        let props = self.with_defaults(&e.props, c.static_member("defaultProps"));
        let this: Obj<'a> = empty_obj(self.alloc);
        if let Some(Value::Obj(proto)) = c.static_member("prototype") {
            for (k, v) in proto.borrow().iter() {
                obj_set_key(&this, k, *v);
            }
        }
        obj_set(&this, "props", props);
        obj_set(&this, "state", Value::Obj(empty_obj(self.alloc)));
        obj_set(&this, "setState", Value::Builtin(Builtin::Noop));
        obj_set(&this, "context", Value::Undef);
        let mut this_v = Value::Obj(this);
        let made = self.call_closure(c, Some(this_v), vec![props])?;
        if let Value::Obj(_) = made {
            this_v = made;
        }
        let render = self.get_prop(&this_v, "render");
        self.call(&render, Some(this_v), vec![], e.module, e.offset)
    }

    pub(super) fn render_class(&mut self, c: &&'a ClassDef<'a>, e: &&'a Elem<'a>) -> R<Value<'a>> {
        let props = self.with_defaults(&e.props, c.static_member("defaultProps"));
        let this: Obj<'a> = empty_obj(self.alloc);
        obj_set(&this, "props", props);
        obj_set(&this, "state", Value::Obj(empty_obj(self.alloc)));
        obj_set(&this, "setState", Value::Builtin(Builtin::Noop));
        obj_set(&this, "context", Value::Undef);
        let this_v = Value::Obj(this);
        let env = child_env(self.alloc, &c.env, Some(this_v));
        let mut ctor = None;
        let mut render_fn = None;
        for el in &c.class.body.body {
            match el {
                ClassElement::MethodDefinition(md) if !md.r#static => {
                    let Some(name) = md.key.static_name() else {
                        continue;
                    };
                    if md.kind == MethodDefinitionKind::Constructor {
                        ctor = Some(&md.value);
                        continue;
                    }
                    let f = Value::Func(self.alloc.alloc(Closure {
                        this: Some(this_v),
                        ..Closure::new(FnNode::Func(&md.value), env, self.js(name.clone()))
                    }));
                    if name == "render" {
                        render_fn = Some(f);
                    }
                    obj_set(&this, &name, f);
                }
                ClassElement::PropertyDefinition(p) if !p.r#static => {
                    if let (Some(k), Some(v)) = (p.key.static_name(), &p.value) {
                        let v = self.eval_named(&env, v, Some(self.js(k.clone())))?;
                        obj_set(&this, &k, v);
                    }
                }
                _ => {}
            }
        }
        if let Some(ctor) = ctor {
            let cenv = child_env(self.alloc, &env, Some(this_v));
            self.bind_params(&cenv, &ctor.params, vec![props])?;
            declare(&cenv, "super", Value::Builtin(Builtin::Noop));
            if let Some(body) = &ctor.body {
                self.run_body(&cenv, &body.statements)?;
            }
        }
        match render_fn {
            Some(f) => self.call(&f, Some(this_v), vec![], e.module, e.offset),
            None => Ok(Value::unknown(
                self.alloc,
                format!("class `{}` has no render method in the given code", c.name),
            )),
        }
    }
}

/// Web elements that hold other elements (react-native-web code): rendered as containers.
/// Other intrinsic elements (`<svg>`, `<path>`, `<canvas>`, ...) are pictures: snapshots.
const WEB_CONTAINERS: &[&str] = &[
    "div", "span", "p", "section", "main", "header", "footer", "nav", "article", "aside", "ul",
    "ol", "li", "form", "label", "button", "a", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em",
    "b", "i", "small",
];
