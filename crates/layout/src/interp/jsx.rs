//! JSX evaluation: elements, fragments, member tags and JSX text (React's whitespace rules)
//! become element values for rendering.

use oxc::ast::ast::*;

use super::value::*;
use super::{Children, Interp, R, reason_of, set_children};

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

    pub(super) fn eval_jsx_member(
        &mut self,
        env: &Env<'a>,
        m: &'a JSXMemberExpression<'a>,
    ) -> Value<'a> {
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
}

/// JSX text with React's whitespace rules: lines trimmed, blank lines dropped, joined by spaces.
pub(super) fn jsx_text(raw: &str) -> Option<std::borrow::Cow<'_, str>> {
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
