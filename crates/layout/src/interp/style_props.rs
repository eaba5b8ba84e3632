//! Style resolution: a `style` prop (objects, arrays, sheets, functions, `className`,
//! styled-components) becomes a node's Layout JSON style, with a warning for what is unknown.

use oxc::span::GetSpan;
use serde_json::Value as Json;

use super::value::*;
use super::{Interp, R, StyleWork, flatten_style, reason_of};
use crate::document::PropertyMap;
use crate::document::{Node, SnapshotInfo};
use crate::style;

impl<'p, 'a> Interp<'p, 'a> {
    pub(super) fn render_styled(
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
    pub(super) fn styled_style(
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
            picture: None,
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
    pub(super) fn resolve_style(&mut self, e: &&'a Elem<'a>, prop: &str) -> PropertyMap {
        let mut work = std::mem::take(&mut self.style_work);
        let style = self.resolve_style_in(e, prop, &mut work);
        self.style_work = work;
        style
    }

    /// [`Interp::resolve_style`] with its working memory.
    pub(super) fn resolve_style_in(
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
    pub(super) fn sheet_style_key(&self, v: &Value<'a>, key: &mut Vec<usize>) -> bool {
        self.sheet_style_key_within(v, key, MAX_VALUE_DEPTH)
    }

    pub(super) fn sheet_style_key_within(
        &self,
        v: &Value<'a>,
        key: &mut Vec<usize>,
        depth: usize,
    ) -> bool {
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
    pub(super) fn resolve_style_value(
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
                Ok(j) => match style::check_value(k, &j) {
                    Ok(()) => work.known.push((k, j)),
                    Err(why) => self.warn(
                        "unsupported-style-value",
                        format!("{why}; it is left out"),
                        e.module,
                        e.offset,
                    ),
                },
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
}
