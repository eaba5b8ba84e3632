//! Navigation: links and the `navigate` calls in event handlers become node actions.

use oxc::ast::ast::*;
use serde_json::Value as Json;

use super::value::*;
use super::{Interp, R};
use crate::document::{Action, Node};

impl<'p, 'a> Interp<'p, 'a> {
    pub(super) fn render_link(&mut self, e: &&'a Elem<'a>, out: &mut Vec<Node>) -> R<()> {
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

    pub(super) fn action_of_fn(&mut self, f: &Value<'a>, depth: usize) -> Option<Action> {
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

    pub(super) fn action_in_stmts(
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

    pub(super) fn action_in_expr(
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

    pub(super) fn action_in_call(
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
