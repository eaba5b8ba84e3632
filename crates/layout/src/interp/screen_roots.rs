//! A screen's root: the providers around it (from the App root and navigators) and the
//! initial screen of a navigator.

use super::value::*;
use super::{Fatal, Interp, R, strict_eq};
use crate::document::Node;

impl<'p, 'a> Interp<'p, 'a> {
    /// Renders the screen bound at `path` in `module` with the props a navigator gives it.
    /// Returns the nodes, the module that defines the component and its name.
    pub(crate) fn screen_nodes(
        &mut self,
        module: usize,
        path: &[String],
        route: &str,
    ) -> R<(Vec<Node>, usize, String)> {
        let mut comp = match self.module_binding(module, &path[0])? {
            Some(v) => v,
            None if path.len() == 1 && path[0] == "default" => {
                let file = &self.project.files[module].path;
                return Err(Fatal::Limit(format!(
                    "{file} has no component to preview: it has no default export and exports no PascalCase function, class or component constant"
                )));
            }
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
    pub(super) fn root_providers(&mut self) -> R<Vec<(usize, Value<'a>)>> {
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
        let binding = crate::project::entry_binding(program);
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

    /// The value a context without a provider above the screen (and without a default) has
    /// in the app: what the `...Provider` component exported by the module that created the
    /// context gives its `<Context.Provider value>` at its first render (`EpisodeProvider`
    /// in `EpisodeContext.tsx`, wrapping a navigator rather than the app root). Looked for
    /// once per context; what the search warns about is not the screen's.
    pub(super) fn provider_value(&mut self, id: usize) -> R<Option<Value<'a>>> {
        if let Some(&(_, v)) = self.found_providers.iter().find(|(i, _)| *i == id) {
            return Ok(v);
        }
        self.found_providers.push((id, None));
        let Some(&(_, m)) = self.ctx_modules.iter().find(|(i, _)| *i == id) else {
            return Ok(None);
        };
        let Some(module) = self.modules.get(&m) else {
            return Ok(None);
        };
        let names: Vec<std::rc::Rc<str>> = module
            .exports
            .keys()
            .filter(|n| n.ends_with("Provider"))
            .cloned()
            .collect();
        let (warnings, seen) = (self.warnings.len(), self.seen.clone());
        let (stack, loaded) = (self.ctx_stack.len(), self.assume_loaded);
        self.assume_loaded = true;
        let mut value = None;
        for name in names {
            let comp = self.get_export(m, &name, 0)?;
            if !matches!(comp, Value::Func(_)) {
                continue;
            }
            let el = Value::Elem(self.alloc.alloc(Elem {
                ty: comp,
                props: empty_obj(self.alloc),
                module: m,
                offset: 0,
            }));
            let mut found = Vec::new();
            let r = self.collect_providers(&el, &mut found, 0);
            self.ctx_stack.truncate(stack);
            r?;
            if let Some(&(_, v)) = found.iter().find(|(i, _)| *i == id) {
                value = Some(v);
                break;
            }
        }
        self.assume_loaded = loaded;
        self.warnings.truncate(warnings);
        self.seen = seen;
        if let Some(slot) = self.found_providers.iter_mut().find(|(i, _)| *i == id) {
            slot.1 = value;
        }
        Ok(value)
    }

    pub(super) fn collect_providers(
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
                            .or_else(|| obj_get(&e.props, "store"))
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

    /// `<X.Navigator initialRouteName>`'s initial `<X.Screen component>` as an element with the
    /// props a navigator gives its screens.
    pub(super) fn initial_screen(&mut self, e: &&'a Elem<'a>) -> Option<&'a Elem<'a>> {
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
                    match self.children_of(&g.props) {
                        Value::Arr(xs) => screens.extend(xs.iter().filter_map(|x| match x {
                            Value::Elem(s) => Some(*s),
                            _ => None,
                        })),
                        // A group of one screen (`cond ? <>...</> : <><Login /></>`).
                        Value::Elem(s) => screens.push(s),
                        _ => {}
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
}
