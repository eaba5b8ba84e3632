//! JSX evaluation and rendering: elements become Layout JSON nodes, project components are
//! expanded. Third-party components (code not provided) render from the library table when it
//! has a row for them (`library`); otherwise those with children pass through as containers
//! whose children render natively (marked `external`, via `pass-through`), and only childless
//! ones become `HS_ImageSnapshot` nodes.

use std::sync::Arc;

use oxc::ast::ast::*;
use oxc::span::GetSpan;
use serde_json::{Map, Value as Json};

use crate::document::PropertyMap;

use super::value::*;
use super::{
    Children, Fatal, Interp, R, StyleWork, UNKNOWN_LIST_ITEMS, flatten_style, reason_of,
    set_children, strict_eq,
};
use crate::document::{Action, External, Node, SnapshotInfo, Via};
use crate::style;

/// Props that matter for rendering, kept when their value is known (in this order).
macro_rules! render_props {
    ($($p:literal),* $(,)?) => {
        const RENDER_PROPS: &[&str] = &[$($p),*];

        /// The position of `k` in [`RENDER_PROPS`]; other props are rejected by one `match`.
        fn render_prop_index(k: &str) -> Option<usize> {
            match k {
                $($p)|* => RENDER_PROPS.iter().position(|p| *p == k),
                _ => None,
            }
        }
    };
}

render_props![
    "placeholder",
    "placeholderTextColor",
    "numberOfLines",
    "resizeMode",
    "contentFit",
    "horizontal",
    "numColumns",
    "value",
    "defaultValue",
    "secureTextEntry",
    "multiline",
    "editable",
    "title",
    "color",
    "size",
    "visible",
    "transparent",
    "animationType",
    "tintColor",
    "disabled",
    "inverted",
    "showsVerticalScrollIndicator",
    "showsHorizontalScrollIndicator",
    "ellipsizeMode",
    "trackColor",
    "thumbColor",
    "keyboardType",
    "blurRadius",
    "testID",
    "accessibilityLabel",
    "edges",
    "behavior",
    "maxLength",
    "pagingEnabled",
];

impl<'p, 'a> Interp<'p, 'a> {
    pub(super) fn eval_jsx_element(
        &mut self,
        env: &Env<'a>,
        el: &'a JSXElement<'a>,
    ) -> R<Value<'a>> {
        let open = &el.opening_element;
        let ty = match &open.name {
            JSXElementName::Identifier(id) => {
                let n = id.name.as_str();
                if n.starts_with(|c: char| c.is_ascii_lowercase()) {
                    Value::ext(self.alloc, "intrinsic", n)
                } else {
                    self.lookup_in(env, n).unwrap_or_else(|| {
                        Value::unknown(self.alloc, format!("`{n}` is not defined"))
                    })
                }
            }
            JSXElementName::IdentifierReference(id) => {
                let n = id.name.as_str();
                self.lookup_in(env, n)
                    .unwrap_or_else(|| Value::unknown(self.alloc, format!("`{n}` is not defined")))
            }
            JSXElementName::MemberExpression(m) => self.eval_jsx_member(env, m),
            JSXElementName::NamespacedName(n) => {
                Value::ext(self.alloc, "intrinsic", n.name.name.as_str())
            }
            JSXElementName::ThisExpression(_) => self.lookup_this(env),
        };
        let props: Obj<'a> = obj_of(self.alloc, Vec::with_capacity(open.attributes.len() + 1));
        for attr in &open.attributes {
            match attr {
                JSXAttributeItem::Attribute(a) => {
                    let name: JsStr<'a> = match &a.name {
                        JSXAttributeName::Identifier(i) => i.name.as_str(),
                        JSXAttributeName::NamespacedName(n) => self
                            .alloc
                            .alloc_str(&format!("{}:{}", n.namespace.name, n.name.name)),
                    };
                    let v = match &a.value {
                        None => Value::Bool(true),
                        Some(JSXAttributeValue::StringLiteral(s)) => {
                            Value::borrowed(s.value.as_str())
                        }
                        Some(JSXAttributeValue::ExpressionContainer(c)) => match &c.expression {
                            JSXExpression::EmptyExpression(_) => continue,
                            e => self.eval(env, e.as_expression().expect("expression"))?,
                        },
                        Some(JSXAttributeValue::Element(e)) => self.eval_jsx_element(env, e)?,
                        Some(JSXAttributeValue::Fragment(f)) => {
                            let children = self.eval_jsx_children(env, &f.children)?;
                            self.arr(children.into_vec())
                        }
                    };
                    obj_set_key(&props, name, v);
                }
                JSXAttributeItem::SpreadAttribute(s) => match self.eval(env, &s.argument)? {
                    Value::Obj(src) => {
                        let entries = src.borrow().to_vec();
                        for (k, v) in entries {
                            obj_set_key(&props, k, v);
                        }
                    }
                    Value::Undef | Value::Null => {}
                    other => self.warn(
                        "unknown-spread",
                        format!(
                            "`{{...}}` props could not be evaluated ({}); they are left out",
                            reason_of(&other)
                        ),
                        env.module,
                        s.span.start,
                    ),
                },
            }
        }
        let children = self.eval_jsx_children(env, &el.children)?;
        set_children(self.alloc, &props, children);
        Ok(Value::Elem(self.alloc.alloc(Elem {
            ty,
            props,
            module: env.module,
            offset: el.span.start,
        })))
    }

    fn eval_jsx_member(&mut self, env: &Env<'a>, m: &'a JSXMemberExpression<'a>) -> Value<'a> {
        let obj = match &m.object {
            JSXMemberExpressionObject::IdentifierReference(id) => {
                let n = id.name.as_str();
                self.lookup_in(env, n)
                    .unwrap_or_else(|| Value::unknown(self.alloc, format!("`{n}` is not defined")))
            }
            JSXMemberExpressionObject::MemberExpression(inner) => self.eval_jsx_member(env, inner),
            JSXMemberExpressionObject::ThisExpression(_) => self.lookup_this(env),
        };
        self.get_prop(&obj, m.property.name.as_str())
    }

    pub(super) fn eval_jsx_children(
        &mut self,
        env: &Env<'a>,
        children: &'a [JSXChild<'a>],
    ) -> R<Children<'a>> {
        let mut out = Children::None;
        let n = children.len();
        for c in children {
            match c {
                JSXChild::Text(t) => {
                    if let Some(s) = jsx_text(t.value.as_str()) {
                        out.push(Value::Str(self.js(s)), n);
                    }
                }
                JSXChild::Element(e) => out.push(self.eval_jsx_element(env, e)?, n),
                JSXChild::Fragment(f) => {
                    let inner = self.eval_jsx_children(env, &f.children)?;
                    let props: Obj<'a> = empty_obj(self.alloc);
                    set_children(self.alloc, &props, inner);
                    out.push(
                        Value::Elem(self.alloc.alloc(Elem {
                            ty: Value::Fragment,
                            props,
                            module: env.module,
                            offset: f.span.start,
                        })),
                        n,
                    );
                }
                JSXChild::ExpressionContainer(c) => {
                    if let Some(e) = c.expression.as_expression() {
                        out.push(self.eval(env, e)?, n);
                    }
                }
                JSXChild::Spread(s) => out.push(self.eval(env, &s.expression)?, n),
            }
        }
        Ok(out)
    }

    // ---------------------------------------------------------------- rendering

    /// Renders the screen bound at `path` in `module` with the props a navigator gives it.
    /// Returns the nodes, the module that defines the component and its name.
    pub(crate) fn render_screen(
        &mut self,
        module: usize,
        path: &[String],
        route: &str,
    ) -> R<(Vec<Node>, usize, String)> {
        let mut comp = match self.module_binding(module, &path[0])? {
            Some(v) => v,
            None => {
                let file = &self.project.files[module].path;
                return Err(Fatal::Limit(format!(
                    "`{}` is not defined in {file}",
                    path[0]
                )));
            }
        };
        for key in &path[1..] {
            comp = self.get_prop(&comp, key);
        }
        let (def_module, name) = match &comp {
            Value::Func(c) => (c.env.module, c.name.to_string()),
            Value::Class(c) => (c.env.module, c.name.to_string()),
            Value::Styled(s) => (s.env.module, path.join(".")),
            Value::Unknown(r) => {
                return Err(Fatal::Limit(format!(
                    "the screen component could not be resolved: {r}"
                )));
            }
            Value::Ext(x) => {
                return Err(Fatal::Limit(format!(
                    "the screen component `{}` comes from `{}`, whose code is not among the given files",
                    x.1, x.0
                )));
            }
            _ => {
                return Err(Fatal::Limit(format!(
                    "`{}` is not a component",
                    path.join(".")
                )));
            }
        };
        let route_obj = new_obj(
            self.alloc,
            vec![
                ("name", Value::str(self.alloc, route)),
                ("key", Value::str(self.alloc, route)),
                ("params", Value::unknown(self.alloc, super::ROUTE_PARAMS)),
            ],
        );
        let props = vec![
            ("navigation", self.ext().navigation()),
            ("route", route_obj),
        ];
        let el: &'a Elem<'a> = self.alloc.alloc(Elem {
            ty: comp,
            props: obj_of(self.alloc, props),
            module,
            offset: 0,
        });
        // Context providers that the app root wraps around its navigator (theme, i18n, store)
        // also wrap this screen.
        self.ctx_stack = self.root_providers()?;
        let mut out = Vec::new();
        self.render_elem(&el, &mut out)?;
        Ok((out, def_module, name))
    }

    /// The context values provided above the navigator by the app root (`App` or expo-router's
    /// `app/_layout`): found by expanding the root's element tree without rendering it.
    fn root_providers(&mut self) -> R<Vec<(usize, Value<'a>)>> {
        const ROOTS: [&str; 12] = [
            "App.tsx",
            "App.jsx",
            "App.js",
            "App.ts",
            "src/App.tsx",
            "src/App.js",
            "app/app.tsx",
            "app/App.tsx",
            "app/app.js",
            "app/App.js",
            "app/_layout.tsx",
            "src/app/_layout.tsx",
        ];
        let Some(&root) = ROOTS.iter().find_map(|p| self.project.by_path.get(*p)) else {
            return Ok(Vec::new());
        };
        // What happens while looking is not part of the screen: keep its warnings out.
        let warnings = self.warnings.len();
        let seen = self.seen.clone();
        let Some(program) = self.project.program(root) else {
            return Ok(Vec::new());
        };
        let binding = crate::screens::entry_binding(program);
        let comp = self.module_binding(root, &binding)?;
        let mut found = Vec::new();
        self.assume_loaded = true;
        if let Some(comp) = comp {
            let el = Value::Elem(self.alloc.alloc(Elem {
                ty: comp,
                props: empty_obj(self.alloc),
                module: root,
                offset: 0,
            }));
            self.collect_providers(&el, &mut found, 0)?;
        }
        self.assume_loaded = false;
        self.warnings.truncate(warnings);
        self.seen = seen;
        Ok(found)
    }

    fn collect_providers(
        &mut self,
        v: &Value<'a>,
        found: &mut Vec<(usize, Value<'a>)>,
        depth: usize,
    ) -> R<()> {
        if depth > 24 {
            return Ok(());
        }
        match v {
            Value::Arr(xs) => {
                for x in xs.iter() {
                    self.collect_providers(x, found, depth + 1)?;
                }
            }
            Value::Elem(e) => {
                let next = match &e.ty {
                    Value::Provider(id) => {
                        let pv = obj_get(&e.props, "value")
                            .or_else(|| obj_get(&e.props, "theme"))
                            .unwrap_or(Value::Undef);
                        found.push((*id, pv));
                        // Providers below see this value while their own components run.
                        self.ctx_stack.push((*id, pv));
                        self.children_of(&e.props)
                    }
                    Value::Func(c) => {
                        let props = self.with_defaults(&e.props, c.static_member("defaultProps"));
                        let c = *c;
                        self.enter(c.name)?;
                        let r = self.call_closure(&c, None, vec![props, Value::Null]);
                        self.leave();
                        r?
                    }
                    _ => self.children_of(&e.props),
                };
                self.collect_providers(&next, found, depth + 1)?;
            }
            _ => {}
        }
        Ok(())
    }

    /// Marks the nodes a component rendered (those no inner component claimed) with its
    /// name, shared between them (one allocation per component name).
    fn mark_component(&mut self, nodes: &mut [Node], name: &str) {
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
    fn new_node(&mut self, kind: &'static str, module: usize, offset: u32) -> R<Node> {
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
    fn render_items(
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

    fn children_of(&self, props: &Obj<'a>) -> Value<'a> {
        obj_get(props, "children").unwrap_or(Value::Undef)
    }

    /// Renders a host element's `children` value.
    fn render_children(&mut self, mut c: Value<'a>, module: usize, offset: u32) -> R<Vec<Node>> {
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

    fn render_elem_inner(&mut self, e: &&'a Elem<'a>, out: &mut Vec<Node>) -> R<()> {
        let (m, off) = (e.module, e.offset);
        match &e.ty {
            Value::Fragment => {
                let c = self.children_of(&e.props);
                self.render(&c, out, m, off)
            }
            Value::Host(h) => self.render_host(h, e, out),
            Value::Func(c) => {
                let props = self.with_defaults(&e.props, c.static_member("defaultProps"));
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
            Value::Provider(id) => {
                let v = obj_get(&e.props, "value")
                    .or_else(|| obj_get(&e.props, "theme"))
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
    fn pass_through(
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

    /// `<X.Navigator initialRouteName>`'s initial `<X.Screen component>` as an element with the
    /// props a navigator gives its screens.
    fn initial_screen(&mut self, e: &&'a Elem<'a>) -> Option<&'a Elem<'a>> {
        let initial = obj_get(&e.props, "initialRouteName");
        let children = match self.children_of(&e.props) {
            Value::Arr(xs) => xs.to_vec(),
            v => vec![v],
        };
        let mut screens = Vec::new();
        for c in children {
            match c {
                Value::Elem(s) if matches!(&s.ty, Value::Host(h) if &**h == "Nothing") => {
                    screens.push(s)
                }
                // `<Stack.Group>` wraps screens in a fragment.
                Value::Elem(g) if matches!(g.ty, Value::Fragment) => {
                    if let Value::Arr(xs) = self.children_of(&g.props) {
                        screens.extend(xs.iter().filter_map(|x| match x {
                            Value::Elem(s) => Some(*s),
                            _ => None,
                        }));
                    }
                }
                _ => {}
            }
        }
        let pick = *screens
            .iter()
            .find(|s| {
                initial.as_ref().is_some_and(|i| {
                    obj_get(&s.props, "name").is_some_and(|n| strict_eq(&n, i) == Some(true))
                })
            })
            .or(screens.first())?;
        let component = obj_get(&pick.props, "component")?;
        let name = obj_get(&pick.props, "name")
            .and_then(|n| n.to_display())
            .unwrap_or_default();
        let route = new_obj(
            self.alloc,
            vec![
                ("name", Value::str(self.alloc, &name)),
                ("key", Value::str(self.alloc, &name)),
                ("params", Value::unknown(self.alloc, super::ROUTE_PARAMS)),
            ],
        );
        let props = vec![("navigation", self.ext().navigation()), ("route", route)];
        Some(self.alloc.alloc(Elem {
            ty: component,
            props: obj_of(self.alloc, props),
            module: pick.module,
            offset: pick.offset,
        }))
    }

    /// The element name as written in the source (`<Foo.Bar ...>` -> `Foo.Bar`).
    fn written_tag(&self, e: &Elem<'a>) -> String {
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

    fn with_defaults(&self, props: &Obj<'a>, default_props: Option<Value<'a>>) -> Value<'a> {
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

    fn render_class(&mut self, c: &&'a ClassDef<'a>, e: &&'a Elem<'a>) -> R<Value<'a>> {
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

    fn render_styled(
        &mut self,
        s: &&'a StyledDef<'a>,
        e: &&'a Elem<'a>,
        out: &mut Vec<Node>,
    ) -> R<()> {
        let props: Obj<'a> = empty_obj(self.alloc);
        let attrs = match &s.attrs {
            Some(f @ Value::Func(_)) => {
                self.call(f, None, vec![Value::Obj(e.props)], e.module, e.offset)?
            }
            Some(v) => *v,
            None => Value::Undef,
        };
        if let Value::Obj(a) = &attrs {
            for (k, v) in a.borrow().iter() {
                obj_set(&props, k, *v);
            }
        }
        for (k, v) in e.props.borrow().iter() {
            obj_set(&props, k, *v);
        }
        if obj_get(&props, "theme").is_none()
            && let Some(t) = self.context_value(super::STYLED_THEME_CTX)
        {
            obj_set(&props, "theme", t);
        }
        let css_style = self.styled_style(s, &Value::Obj(props), e)?;
        let user_style = obj_get(&props, "style").unwrap_or(Value::Undef);
        obj_set(&props, "style", self.arr(vec![css_style, user_style]));
        let el: &'a Elem<'a> = self.alloc.alloc(Elem {
            ty: s.base,
            props,
            module: e.module,
            offset: e.offset,
        });
        self.render_elem(&el, out)
    }

    /// The style object of a styled definition for the given props.
    fn styled_style(
        &mut self,
        s: &&'a StyledDef<'a>,
        props: &Value<'a>,
        e: &&'a Elem<'a>,
    ) -> R<Value<'a>> {
        if let Some(obj) = &s.object {
            return match obj {
                f @ Value::Func(_) => self.call(f, None, vec![*props], e.module, e.offset),
                v => Ok(*v),
            };
        }
        let Some(q) = s.quasi else {
            return Ok(Value::Undef);
        };
        let mut css = String::new();
        for (i, part) in q.quasis.iter().enumerate() {
            css.push_str(part.value.raw.as_str());
            if let Some(x) = q.expressions.get(i) {
                let mut v = self.eval(&s.env, x)?;
                if let Value::Func(_) = v {
                    v = self.call(&v, None, vec![*props], e.module, e.offset)?;
                }
                match v {
                    Value::Styled(inner) => {
                        let inner_style = self.styled_style(&inner, props, e)?;
                        if let Value::Obj(o) = inner_style {
                            for (k, v) in o.borrow().iter() {
                                if let Some(t) = v.to_display() {
                                    css.push_str(&format!("{}: {t};", style::camel_to_kebab(k)));
                                }
                            }
                        }
                    }
                    Value::Num(n) => css.push_str(&fmt_num(n)),
                    Value::Str(t) => css.push_str(t),
                    Value::Undef | Value::Null | Value::Bool(false) => {}
                    other => {
                        self.warn(
                            "unknown-style-value",
                            format!("a styled template interpolation could not be evaluated ({}); its declaration is left out", reason_of(&other)),
                            s.env.module,
                            x.span().start,
                        );
                        css.push('\u{0}');
                    }
                }
            }
        }
        let (decls, problems) = style::css_declarations(&css);
        for p in problems {
            self.warn("unsupported-css", p, s.env.module, q.span.start);
        }
        Ok(new_obj(
            self.alloc,
            decls.into_iter().map(|(k, v)| {
                (
                    self.alloc.alloc_str(&k),
                    super::json_to_value(self.alloc, &v),
                )
            }),
        ))
    }

    pub(super) fn snapshot_node(
        &mut self,
        e: &&'a Elem<'a>,
        component: &str,
        reason: &str,
    ) -> R<Node> {
        let mut n = self.new_node("HS_ImageSnapshot", e.module, e.offset)?;
        n.source = Some(self.project.location(e.module, e.offset));
        n.style = self.resolve_style(e, "style");
        if let Some(Value::Num(size)) = obj_get(&e.props, "size") {
            n.style.insert_if_absent("width", num_json(size));
            n.style.insert_if_absent("height", num_json(size));
        }
        n.snapshot = Some(Box::new(SnapshotInfo {
            asset_id: String::new(),
            component: component.into(),
            reason: reason.into(),
        }));
        self.warn(
            "snapshot",
            format!("`<{component}>` is rendered as a snapshot: {reason}"),
            e.module,
            e.offset,
        );
        Ok(n)
    }

    /// Resolves a style prop into Layout JSON style, warning about what is unknown.
    fn resolve_style(&mut self, e: &&'a Elem<'a>, prop: &str) -> PropertyMap {
        let mut work = std::mem::take(&mut self.style_work);
        let style = self.resolve_style_in(e, prop, &mut work);
        self.style_work = work;
        style
    }

    /// [`Interp::resolve_style`] with its working memory.
    fn resolve_style_in(
        &mut self,
        e: &&'a Elem<'a>,
        prop: &str,
        work: &mut StyleWork<'a>,
    ) -> PropertyMap {
        work.entries.clear();
        let class_prop = match prop {
            "style" => Some("className"),
            "contentContainerStyle" => Some("contentContainerClassName"),
            _ => None,
        };
        if let Some(cls) = class_prop.and_then(|c| obj_get(&e.props, c)) {
            match cls {
                Value::Str(c) => {
                    let (st, unknown) = crate::tailwind::classes_to_style(
                        c,
                        &crate::tailwind::TwTarget {
                            platform: self.project.target.platform.as_str(),
                            width: self.device.width,
                            colors: &self.project.tw_colors,
                        },
                    );
                    for (k, v) in st {
                        work.entries.push((
                            self.alloc.alloc_str(&k),
                            super::json_to_value(self.alloc, &v),
                        ));
                    }
                    if !unknown.is_empty() {
                        self.warn(
                            "unknown-class",
                            format!("className utilities not supported: {}", unknown.join(" ")),
                            e.module,
                            e.offset,
                        );
                    }
                }
                Value::Undef => {}
                other => self.warn(
                    "unknown-class",
                    format!(
                        "className could not be evaluated ({}); it is left out",
                        reason_of(&other)
                    ),
                    e.module,
                    e.offset,
                ),
            }
        }
        let mut v = obj_get(&e.props, prop).unwrap_or(Value::Undef);
        if let Value::Func(_) = v {
            // Pressable's style function, at its unpressed state.
            let state = new_obj(
                self.alloc,
                vec![
                    ("pressed", Value::Bool(false)),
                    ("hovered", Value::Bool(false)),
                ],
            );
            v = self
                .call(&v, None, vec![state], e.module, e.offset)
                .unwrap_or_else(|_| Value::unknown(self.alloc, "style function"));
        }
        let no_class = work.entries.is_empty();
        if no_class && !matches!(v, Value::Arr(_) | Value::Obj(_) | Value::Unknown(_)) {
            // Nothing `flatten_style` would take: no style.
            return PropertyMap::new();
        }
        // A style made only of sheet styles resolves the same way every time.
        work.key.clear();
        let cacheable = no_class && self.sheet_style_key(&v, &mut work.key);
        if cacheable && let Some(hit) = self.style_cache.get(work.key.as_slice()) {
            return hit.clone();
        }
        let warn_calls = self.warn_calls;
        let resolved = self.resolve_style_value(e, v, work);
        if cacheable && self.warn_calls == warn_calls {
            self.style_cache.insert(work.key.clone(), resolved.clone());
        }
        resolved
    }

    /// The addresses of the sheet styles `v` flattens to, in order, when it is made only of
    /// sheet styles and values that flatten to nothing (`false`, `null`, ...).
    fn sheet_style_key(&self, v: &Value<'a>, key: &mut Vec<usize>) -> bool {
        self.sheet_style_key_within(v, key, MAX_VALUE_DEPTH)
    }

    fn sheet_style_key_within(&self, v: &Value<'a>, key: &mut Vec<usize>, depth: usize) -> bool {
        match v {
            Value::Obj(o) => {
                let at = *o as *const std::cell::RefCell<ObjEntries<'a>> as usize;
                key.push(at);
                self.sheet_styles.contains_key(&at)
            }
            Value::Arr(_) if depth == 0 => false,
            Value::Arr(xs) => xs
                .iter()
                .all(|x| self.sheet_style_key_within(x, key, depth - 1)),
            Value::Unknown(_) => false,
            _ => true,
        }
    }

    /// [`Interp::resolve_style`] of a style value, after the `className` entries.
    fn resolve_style_value(
        &mut self,
        e: &&'a Elem<'a>,
        v: Value<'a>,
        work: &mut StyleWork<'a>,
    ) -> PropertyMap {
        flatten_style(&v, &mut work.entries);
        work.known.clear();
        for (k, val) in work.entries.drain(..) {
            if k == "\0unknown" {
                self.warn(
                    "unknown-style-value",
                    format!(
                        "a style could not be evaluated ({}); it is left out",
                        reason_of(&val)
                    ),
                    e.module,
                    e.offset,
                );
                continue;
            }
            match val.to_json() {
                Ok(Json::Null) => {}
                Ok(j) => work.known.push((k, j)),
                Err(r) => self.warn(
                    "unknown-style-value",
                    format!("style `{k}` could not be evaluated ({r}); it is left out"),
                    e.module,
                    e.offset,
                ),
            }
        }
        let style = style::normalize(&mut work.known, &mut work.slots);
        work.known.clear();
        style
    }

    fn render_host(&mut self, h: &'static str, e: &&'a Elem<'a>, out: &mut Vec<Node>) -> R<()> {
        let (m, off) = (e.module, e.offset);
        match h {
            "Nothing" | "StatusBar" | "RefreshControl" => return Ok(()),
            // A closed modal shows nothing.
            "Modal" if obj_get(&e.props, "visible").and_then(|v| v.truthy()) == Some(false) => {
                return Ok(());
            }
            "Link" => return self.render_link(e, out),
            _ => {}
        }
        let kind = match h {
            "SafeAreaProvider" => "View",
            other => other,
        };
        let mut node = self.new_node(kind, m, off)?;
        node.source = Some(self.project.location(m, off));
        node.style = self.resolve_style(e, "style");
        if h == "SafeAreaProvider" {
            node.style.insert_if_absent("flex", Json::from(1));
        }
        // One pass over the props: the render props present (the last value of each), which
        // of the extra style props are there, the press handler and the children.
        let mut found: Vec<(usize, Value<'a>)> = Vec::new();
        let mut extra_styles = [false; 3];
        let (mut on_press, mut children) = (None, Value::Undef);
        for (k, v) in e.props.borrow().iter() {
            match &**k {
                "children" => children = *v,
                "onPress" => on_press = Some(*v),
                "contentContainerStyle" | "contentContainerClassName" => extra_styles[0] = true,
                "columnWrapperStyle" => extra_styles[1] = true,
                "imageStyle" => extra_styles[2] = true,
                k => {
                    if let Some(i) = render_prop_index(k) {
                        match found.iter_mut().find(|(j, _)| *j == i) {
                            Some(slot) => slot.1 = *v,
                            None => found.push((i, *v)),
                        }
                    }
                }
            }
        }
        found.sort_by_key(|(i, _)| *i);
        for (i, v) in found {
            let p = &RENDER_PROPS[i];
            match v.to_json() {
                Ok(Json::Null) => {}
                Ok(j) => {
                    node.props.insert(*p, j);
                }
                Err(r) => {
                    if !matches!(v, Value::Func(_)) {
                        self.warn(
                            "unknown-prop",
                            format!("prop `{p}` could not be evaluated ({r}); it is left out"),
                            m,
                            off,
                        );
                    }
                }
            }
        }
        for (p, present) in ["contentContainerStyle", "columnWrapperStyle", "imageStyle"]
            .into_iter()
            .zip(extra_styles)
        {
            if present {
                let st = self.resolve_style(e, p);
                if !st.is_empty() {
                    node.props.insert(p, Json::Object(st.to_json_map()));
                }
            }
        }
        if matches!(h, "Image" | "ImageBackground") {
            self.image_source(e, &mut node);
        }
        // The literal navigation action of the press handler, if any.
        node.action = on_press
            .and_then(|handler| self.action_of_fn(&handler, 0))
            .map(Box::new);
        // The children are one level deeper.
        self.output_depth += 1;
        let rendered = match h {
            "FlatList" | "SectionList" => self.render_list(h, e, &mut node),
            "Button" => {
                if let Some(Value::Str(t)) = obj_get(&e.props, "title") {
                    node.text = Some(t.to_string());
                }
                Ok(())
            }
            "Text" if let Some(text) = plain_text(&children) => {
                // Only strings and numbers inside: the text itself, without child nodes.
                node.text = text;
                Ok(())
            }
            _ => self
                .render_children(children, m, off)
                .map(|c| node.children = c),
        };
        self.output_depth -= 1;
        rendered?;
        if h == "Text"
            && !node.children.is_empty()
            && node.children.iter().all(|c| c.kind == "RawText")
        {
            // The texts move into the parent (one child's text is taken as it is).
            let mut texts = std::mem::take(&mut node.children)
                .into_iter()
                .filter_map(|c| c.text);
            let mut text = texts.next().unwrap_or_default();
            for t in texts {
                text.push_str(&t);
            }
            node.text = Some(text);
        }
        out.push(node);
        Ok(())
    }

    fn image_source(&mut self, e: &&'a Elem<'a>, node: &mut Node) {
        let src = obj_get(&e.props, "source").or_else(|| obj_get(&e.props, "src"));
        let mut out = Map::new();
        match src {
            Some(Value::Asset(p)) => {
                out.insert("asset".into(), Json::String(p.to_string()));
            }
            Some(Value::Str(uri)) => {
                out.insert("uri".into(), Json::String(uri.to_string()));
            }
            Some(Value::Obj(o)) => {
                match obj_get(&o, "uri") {
                    Some(Value::Str(u)) => {
                        out.insert("uri".into(), Json::String(u.to_string()));
                    }
                    Some(Value::Unknown(r)) => self.warn(
                        "unknown-image",
                        format!("image uri could not be evaluated ({r}); a placeholder is shown"),
                        e.module,
                        e.offset,
                    ),
                    _ => {}
                }
                for k in ["width", "height"] {
                    if let Some(Value::Num(n)) = obj_get(&o, k) {
                        out.insert(k.into(), num_json(n));
                    }
                }
            }
            Some(Value::Arr(xs)) => {
                if let Some(Value::Obj(o)) = xs.first()
                    && let Some(Value::Str(u)) = obj_get(o, "uri")
                {
                    out.insert("uri".into(), Json::String(u.to_string()));
                }
            }
            None | Some(Value::Undef) => return,
            Some(other) => {
                self.warn(
                    "unknown-image",
                    format!(
                        "image source could not be evaluated ({}); a placeholder is shown",
                        reason_of(&other)
                    ),
                    e.module,
                    e.offset,
                );
            }
        }
        if out.contains_key("uri") || !out.contains_key("asset") {
            // Remote images are never fetched: the renderer draws a placeholder of the declared size.
            out.insert("placeholder".into(), Json::Bool(true));
        }
        node.props.insert("source", Json::Object(out));
    }

    fn render_list(&mut self, h: &str, e: &&'a Elem<'a>, node: &mut Node) -> R<()> {
        let (m, off) = (e.module, e.offset);
        let mut children = Vec::new();
        let comp = |me: &mut Self, key: &str, children: &mut Vec<Node>| -> R<()> {
            if let Some(v) = obj_get(&e.props, key) {
                let el = me.as_element(v, m, off);
                me.render(&el, children, m, off)?;
            }
            Ok(())
        };
        comp(self, "ListHeaderComponent", &mut children)?;
        let render_item = obj_get(&e.props, "renderItem").unwrap_or(Value::Undef);
        let separator = obj_get(&e.props, "ItemSeparatorComponent");
        let mut items: Vec<(Value<'a>, Option<Value<'a>>)> = Vec::new();
        if h == "FlatList" {
            match obj_get(&e.props, "data").unwrap_or(Value::Undef) {
                Value::Arr(xs) => items.extend(xs.iter().map(|x| (*x, None))),
                Value::Undef | Value::Null => {}
                other => {
                    self.warn(
                        "unknown-list",
                        format!("list data is unknown ({}); {UNKNOWN_LIST_ITEMS} items are rendered from the item template", reason_of(&other)),
                        m,
                        off,
                    );
                    for _ in 0..UNKNOWN_LIST_ITEMS {
                        items.push((
                            Value::unknown(
                                self.alloc,
                                format!("list item of unknown data ({})", reason_of(&other)),
                            ),
                            None,
                        ));
                    }
                }
            }
        } else {
            match obj_get(&e.props, "sections").unwrap_or(Value::Undef) {
                Value::Arr(secs) => {
                    for s in secs.iter() {
                        match self.get_prop(s, "data") {
                            Value::Arr(xs) => {
                                items.push((Value::Undef, Some(*s)));
                                items.extend(xs.iter().map(|x| (*x, None)));
                            }
                            _ => items.push((Value::Undef, Some(*s))),
                        }
                    }
                }
                other => {
                    self.warn(
                        "unknown-list",
                        format!(
                            "sections are unknown ({}); none are rendered",
                            reason_of(&other)
                        ),
                        m,
                        off,
                    );
                }
            }
        }
        if items.is_empty() {
            comp(self, "ListEmptyComponent", &mut children)?;
        }
        let header_fn = obj_get(&e.props, "renderSectionHeader");
        let mut index = 0;
        for (item, section) in items {
            if let Some(section) = section {
                if let Some(f) = &header_fn {
                    let info = new_obj(self.alloc, vec![("section", section)]);
                    let r = self.call(f, None, vec![info], m, off)?;
                    self.render(&r, &mut children, m, off)?;
                }
                continue;
            }
            if index > 0
                && let Some(sep) = &separator
            {
                let el = self.as_element(*sep, m, off);
                self.render(&el, &mut children, m, off)?;
            }
            let info = new_obj(
                self.alloc,
                vec![("item", item), ("index", Value::Num(index as f64))],
            );
            let r = self.call(&render_item, None, vec![info], m, off)?;
            self.render(&r, &mut children, m, off)?;
            index += 1;
        }
        comp(self, "ListFooterComponent", &mut children)?;
        node.children = children;
        Ok(())
    }

    /// A component value (or element) as an element with no props.
    fn as_element(&self, v: Value<'a>, m: usize, off: u32) -> Value<'a> {
        match v {
            Value::Func(_)
            | Value::Class(_)
            | Value::Host(_)
            | Value::Ext(..)
            | Value::Styled(_) => Value::Elem(self.alloc.alloc(Elem {
                ty: v,
                props: empty_obj(self.alloc),
                module: m,
                offset: off,
            })),
            v => v,
        }
    }

    fn render_link(&mut self, e: &&'a Elem<'a>, out: &mut Vec<Node>) -> R<()> {
        let action = match obj_get(&e.props, "href") {
            Some(Value::Str(h)) => Some(self.navigate_action(h, None)),
            Some(Value::Obj(o)) => match obj_get(&o, "pathname") {
                Some(Value::Str(h)) => {
                    let params = obj_get(&o, "params").and_then(|p| p.to_json().ok());
                    Some(self.navigate_action(h, params))
                }
                _ => None,
            },
            _ => None,
        };
        let start = out.len();
        if obj_get(&e.props, "asChild").and_then(|v| v.truthy()) == Some(true) {
            let c = self.children_of(&e.props);
            self.render(&c, out, e.module, e.offset)?;
        } else {
            let el: &'a Elem<'a> = self.alloc.alloc(Elem {
                ty: Value::Host("Text"),
                props: e.props,
                module: e.module,
                offset: e.offset,
            });
            self.render_host("Text", &el, out)?;
        }
        if let Some(first) = out.get_mut(start) {
            first.action = action.map(Box::new);
        }
        Ok(())
    }

    pub(crate) fn navigate_action(&self, target: &str, params: Option<Json>) -> Action {
        if target.contains("://") || target.starts_with("mailto:") || target.starts_with("tel:") {
            return Action::OpenUrl {
                url: target.to_string(),
            };
        }
        let path = target.split(['?', '#']).next().unwrap_or(target);
        let key = path.trim_start_matches('/');
        let screen_id = self
            .routes
            .get(target)
            .or_else(|| self.routes.get(key))
            .or_else(|| {
                // expo-router dynamic segments: `/post/1` matches `/post/[id]`.
                let segs: Vec<&str> = key.split('/').collect();
                let mut candidates: Vec<(&String, &String)> = self.routes.iter().collect();
                candidates.sort();
                candidates.into_iter().find_map(|(route, id)| {
                    let rsegs: Vec<&str> = route.trim_start_matches('/').split('/').collect();
                    let matches = rsegs.len() == segs.len()
                        && rsegs
                            .iter()
                            .zip(&segs)
                            .all(|(r, s)| r == s || (r.starts_with('[') && r.ends_with(']')));
                    (matches && route.contains('[')).then_some(id)
                })
            })
            .cloned();
        Action::Navigate {
            target: target.to_string(),
            screen_id,
            params,
        }
    }

    fn action_of_fn(&mut self, f: &Value<'a>, depth: usize) -> Option<Action> {
        let Value::Func(c) = f else { return None };
        if depth > 3 {
            return None;
        }
        let env = c.env;
        match c.node {
            FnNode::Arrow(a) => match &a.body {
                ArrowFunctionBody::FunctionBody(b) => {
                    self.action_in_stmts(&env, &b.statements, depth)
                }
                other => self.action_in_expr(&env, other.as_expression()?, depth),
            },
            FnNode::Func(f) => self.action_in_stmts(&env, &f.body.as_ref()?.statements, depth),
        }
    }

    fn action_in_stmts(
        &mut self,
        env: &Env<'a>,
        stmts: &'a [Statement<'a>],
        depth: usize,
    ) -> Option<Action> {
        for s in stmts {
            let found = match s {
                Statement::ExpressionStatement(e) => self.action_in_expr(env, &e.expression, depth),
                Statement::ReturnStatement(r) => r
                    .argument
                    .as_ref()
                    .and_then(|e| self.action_in_expr(env, e, depth)),
                Statement::IfStatement(i) => self
                    .action_in_stmts(env, std::slice::from_ref(&i.consequent), depth)
                    .or_else(|| {
                        i.alternate
                            .as_ref()
                            .and_then(|a| self.action_in_stmts(env, std::slice::from_ref(a), depth))
                    }),
                Statement::BlockStatement(b) => self.action_in_stmts(env, &b.body, depth),
                Statement::TryStatement(t) => self.action_in_stmts(env, &t.block.body, depth),
                _ => None,
            };
            if found.is_some() {
                return found;
            }
        }
        None
    }

    fn action_in_expr(
        &mut self,
        env: &Env<'a>,
        e: &'a Expression<'a>,
        depth: usize,
    ) -> Option<Action> {
        match e.get_inner_expression() {
            Expression::CallExpression(c) => self.action_in_call(env, c, depth),
            Expression::ChainExpression(ch) => match &ch.expression {
                ChainElement::CallExpression(c) => self.action_in_call(env, c, depth),
                _ => None,
            },
            Expression::AwaitExpression(a) => self.action_in_expr(env, &a.argument, depth),
            Expression::LogicalExpression(l) => self.action_in_expr(env, &l.right, depth),
            Expression::ConditionalExpression(c) => self
                .action_in_expr(env, &c.consequent, depth)
                .or_else(|| self.action_in_expr(env, &c.alternate, depth)),
            Expression::SequenceExpression(s) => s
                .expressions
                .iter()
                .find_map(|x| self.action_in_expr(env, x, depth)),
            _ => None,
        }
    }

    fn action_in_call(
        &mut self,
        env: &Env<'a>,
        c: &'a CallExpression<'a>,
        depth: usize,
    ) -> Option<Action> {
        let callee = c.callee.get_inner_expression();
        if let Some(m) = callee.as_member_expression() {
            match m.static_property_name()? {
                "navigate" | "push" | "replace" | "jumpTo" => {
                    let arg = c.arguments.first()?.as_expression()?;
                    let v = self.eval(env, arg).ok()?;
                    let params = match c.arguments.get(1).and_then(|a| a.as_expression()) {
                        Some(p) => self.eval(env, p).ok().and_then(|v| v.to_json().ok()),
                        None => None,
                    };
                    return match v {
                        Value::Str(t) => Some(self.navigate_action(t, params)),
                        Value::Obj(o) => {
                            let target = obj_get(&o, "pathname").or_else(|| obj_get(&o, "name"));
                            let params = obj_get(&o, "params").and_then(|p| p.to_json().ok());
                            match target {
                                Some(Value::Str(t)) => Some(self.navigate_action(t, params)),
                                _ => None,
                            }
                        }
                        _ => None,
                    };
                }
                "goBack" | "back" | "pop" | "dismiss" => return Some(Action::Back),
                _ => {}
            }
        }
        if let Expression::Identifier(id) = callee {
            let f = self.lookup_in(env, id.name.as_str())?;
            if let Some(a) = self.action_of_fn(&f, depth + 1) {
                return Some(a);
            }
        }
        // Callbacks passed to other calls (setTimeout, requestAnimationFrame, ...).
        for a in &c.arguments {
            if let Some(Expression::ArrowFunctionExpression(f)) =
                a.as_expression().map(|e| e.get_inner_expression())
            {
                let found = match &f.body {
                    ArrowFunctionBody::FunctionBody(b) => {
                        self.action_in_stmts(env, &b.statements, depth + 1)
                    }
                    other => other
                        .as_expression()
                        .and_then(|x| self.action_in_expr(env, x, depth + 1)),
                };
                if let Some(found) = found {
                    return Some(found);
                }
            }
        }
        None
    }
}

/// Web elements that hold other elements (react-native-web code): rendered as containers.
/// Other intrinsic elements (`<svg>`, `<path>`, `<canvas>`, ...) are pictures: snapshots.
const WEB_CONTAINERS: &[&str] = &[
    "div", "span", "p", "section", "main", "header", "footer", "nav", "article", "aside", "ul",
    "ol", "li", "form", "label", "button", "a", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em",
    "b", "i", "small",
];

/// Marks the top nodes a third-party component became (those not marked by an inner one).
pub(super) fn mark_external(nodes: &mut [Node], component: &str, package: Option<&str>, via: Via) {
    for n in nodes.iter_mut().filter(|n| n.external.is_none()) {
        n.external = Some(Box::new(External {
            component: component.to_string(),
            package: package.map(str::to_string),
            via,
        }));
    }
}

/// The text of `<Text>` children made only of strings and numbers (what a rendered `RawText`
/// child would hold, joined), skipping what renders nothing (`false`, `null`, `undefined`):
/// `Some(None)` when nothing is left. `None` when any child is something else.
fn plain_text(children: &Value<'_>) -> Option<Option<String>> {
    let part = |v: &Value<'_>| match v {
        Value::Str(_) | Value::Num(_) => Some(v.to_display()),
        Value::Undef | Value::Null | Value::Bool(_) => Some(None),
        _ => None,
    };
    match children {
        Value::Arr(xs) => {
            let mut text: Option<String> = None;
            for x in xs.iter() {
                if let Some(t) = part(x)? {
                    text.get_or_insert_with(String::new).push_str(&t);
                }
            }
            Some(text)
        }
        v => part(v),
    }
}

/// JSX text with React's whitespace rules: lines trimmed, blank lines dropped, joined by spaces.
fn jsx_text(raw: &str) -> Option<std::borrow::Cow<'_, str>> {
    if !raw.contains('\n') {
        // One line: kept as written.
        return match raw {
            "" => None,
            s if s.contains('&') => Some(decode_entities(s.to_string()).into()),
            s => Some(s.into()),
        };
    }
    // Whitespace with a line break (the indentation between elements) is dropped whole.
    let bytes = raw.as_bytes();
    let first = bytes.iter().position(|b| !b.is_ascii_whitespace())?;
    let last = bytes
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .expect("a non-space byte");
    // The common shape: one line of text between the indentation around it. (The edges are
    // checked for Unicode whitespace, which the general rule below trims too.)
    let edge_is_text = |c: Option<char>| c.is_some_and(|c| !c.is_whitespace());
    if edge_is_text(raw[first..].chars().next()) && edge_is_text(raw[..=last].chars().next_back()) {
        let start = if bytes[..first].contains(&b'\n') {
            first
        } else {
            0
        };
        let end = if bytes[last + 1..].contains(&b'\n') {
            last + 1
        } else {
            bytes.len()
        };
        let line = &raw[start..end];
        if !line.contains('\n') {
            return Some(if line.contains('&') {
                decode_entities(line.to_string()).into()
            } else {
                line.into()
            });
        }
    }
    if raw.trim().is_empty() {
        return None;
    }
    // Lines trimmed (the first keeps its start, the last its end), blank ones dropped, the
    // rest joined by single spaces. One remaining line is borrowed as it is.
    let mut lines = raw.split('\n').enumerate().peekable();
    let mut first: Option<&str> = None;
    let mut joined: Option<String> = None;
    while let Some((i, line)) = lines.next() {
        let mut l = line;
        if i > 0 {
            l = l.trim_start();
        }
        if lines.peek().is_some() {
            l = l.trim_end();
        }
        if l.is_empty() {
            continue;
        }
        match (&mut joined, first) {
            (Some(s), _) => {
                s.push(' ');
                s.push_str(l);
            }
            (None, Some(f)) => {
                let mut s = String::with_capacity(raw.len());
                s.push_str(f);
                s.push(' ');
                s.push_str(l);
                joined = Some(s);
            }
            (None, None) => first = Some(l),
        }
    }
    match (joined, first) {
        (Some(s), _) => Some(decode_entities(s).into()),
        (None, Some(f)) if f.contains('&') => Some(decode_entities(f.to_string()).into()),
        (None, Some(f)) => Some(f.into()),
        (None, None) => None,
    }
}

fn decode_entities(s: String) -> String {
    if !s.contains('&') {
        return s;
    }
    s.replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
}

#[cfg(test)]
mod tests {
    use super::jsx_text;

    #[test]
    fn jsx_text_follows_reacts_whitespace_rules() {
        let t = |raw: &str| jsx_text(raw).map(|s| s.to_string());
        assert_eq!(t(""), None);
        assert_eq!(t("\n      \n    "), None);
        assert_eq!(t("  Hello  "), Some("  Hello  ".into()));
        assert_eq!(t("\n      Hello world\n    "), Some("Hello world".into()));
        assert_eq!(
            t("Total:\n      42 items\n\n      left  "),
            Some("Total: 42 items left  ".into())
        );
        assert_eq!(t("\n  Tom &amp; Jerry\n"), Some("Tom & Jerry".into()));
        assert_eq!(t("  a\n  b &lt; c"), Some("  a b < c".into()));
        assert_eq!(t("  X \n  "), Some("  X".into()));
        assert_eq!(t("\n  X  "), Some("X  ".into()));
        assert_eq!(t("\n  \u{a0}X\u{a0}\n"), Some("X".into()));
        assert_eq!(t("\n\t★ 4.5\n  "), Some("★ 4.5".into()));
    }
}
