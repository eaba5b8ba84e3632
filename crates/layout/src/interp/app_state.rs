//! The state an app starts with: Redux stores (`createStore`, `configureStore`,
//! `combineReducers`, RTK's `createSlice` / `createReducer`, reducers whose default parameter is
//! the initial state) read through `useSelector` and `connect(mapState)`; Zustand store hooks
//! and their selectors; Jotai atoms; react-hook-form's default values; and data fetched at run
//! time (React Query), which stays unknown.

use oxc::allocator::Allocator;

use super::facts::LibFn;
use super::natives::{Bound, Native};
use super::value::*;
use super::{Interp, R, REDUX_CTX, unknown_from};

/// Why fetched data is unknown.
const FETCHED: &str = "data fetched at run time by a query is not known at compile time";

fn o<'a>(alloc: &'a Allocator, entries: Vec<(&'a str, Value<'a>)>) -> Value<'a> {
    new_obj(alloc, entries)
}

impl<'p, 'a> Interp<'p, 'a> {
    /// The state, form and query behaviours of the facts table.
    pub(super) fn call_state_lib(
        &mut self,
        f: LibFn,
        args: Vec<Value<'a>>,
        module: usize,
        offset: u32,
    ) -> R<Value<'a>> {
        let a0 = args.first().copied().unwrap_or(Value::Undef);
        let alloc = self.alloc;
        let noop = Value::Builtin(Builtin::Noop);
        Ok(match f {
            LibFn::CreateStore => {
                let preloaded = args.get(1).copied().filter(|v| {
                    !matches!(
                        v,
                        Value::Undef | Value::Func(_) | Value::Builtin(_) | Value::Native(_)
                    )
                });
                let state = match preloaded {
                    Some(s) => s,
                    None => self.reduce(&a0, Value::Undef, module, offset)?,
                };
                self.store(state)
            }
            LibFn::ConfigureStore => {
                let Value::Obj(opts) = a0 else {
                    return Ok(unknown_from(alloc, &a0, "configureStore options"));
                };
                let reducer = match obj_get(&opts, "reducer") {
                    Some(r @ Value::Obj(_)) => self.bound(Bound::CombinedReducer, r),
                    Some(r) => r,
                    None => Value::Undef,
                };
                let state = match obj_get(&opts, "preloadedState") {
                    Some(s) if !s.is_nullish() => s,
                    _ => self.reduce(&reducer, Value::Undef, module, offset)?,
                };
                self.store(state)
            }
            LibFn::CombineReducers => self.bound(Bound::CombinedReducer, a0),
            LibFn::Compose => Value::Builtin(Builtin::Identity),
            LibFn::CreateSlice => {
                let Value::Obj(opts) = a0 else {
                    return Ok(unknown_from(alloc, &a0, "createSlice options"));
                };
                let initial = obj_get(&opts, "initialState").unwrap_or(Value::Undef);
                let initial = match initial {
                    f @ (Value::Func(_) | Value::Builtin(_)) => {
                        self.call(&f, None, vec![], module, offset)?
                    }
                    v => v,
                };
                let actions: Vec<(JsStr<'a>, Value<'a>)> = match obj_get(&opts, "reducers") {
                    Some(Value::Obj(r)) => r.borrow().iter().map(|(k, _)| (*k, noop)).collect(),
                    _ => Vec::new(),
                };
                o(
                    alloc,
                    vec![
                        ("name", obj_get(&opts, "name").unwrap_or(Value::Undef)),
                        ("reducer", self.bound(Bound::SliceReducer, initial)),
                        ("actions", new_obj(alloc, actions)),
                        ("getInitialState", self.bound(Bound::Constant, initial)),
                    ],
                )
            }
            LibFn::CreateReducer => {
                let initial = match a0 {
                    f @ (Value::Func(_) | Value::Builtin(_)) => {
                        self.call(&f, None, vec![], module, offset)?
                    }
                    v => v,
                };
                self.bound(Bound::SliceReducer, initial)
            }
            LibFn::CreateAction => noop,
            LibFn::CreateSelector => {
                let fns = match args.as_slice() {
                    [Value::Arr(inputs), result, ..] => {
                        let mut v = inputs.to_vec();
                        v.push(*result);
                        v
                    }
                    xs => xs.to_vec(),
                };
                let fns = self.arr(fns);
                self.bound(Bound::Selector, fns)
            }
            LibFn::UseSelector => {
                let state = self.redux_state();
                match state {
                    Value::Unknown(_) => state,
                    s => self.call(&a0, None, vec![s], module, offset)?,
                }
            }
            LibFn::UseStore => self
                .context_value(REDUX_CTX)
                .or(self.last_store)
                .unwrap_or_else(|| Value::unknown(alloc, "no Redux store is known")),
            LibFn::Connect => self.bound(Bound::ConnectFactory, a0),
            LibFn::ZustandCreate => match a0 {
                Value::Undef => Value::Builtin(Builtin::Lib(LibFn::ZustandCreate)),
                init => {
                    let holder = empty_obj(alloc);
                    let get = self.bound(Bound::HolderState, Value::Obj(holder));
                    let api = o(
                        alloc,
                        vec![("getState", get), ("setState", noop), ("subscribe", noop)],
                    );
                    let state = self.call(&init, None, vec![noop, get, api], module, offset)?;
                    obj_set_key(&holder, "state", state);
                    self.bound(Bound::ZustandHook, Value::Obj(holder))
                }
            },
            LibFn::ZustandUseStore => match a0 {
                Value::Native(Native::Bound(Bound::ZustandHook, _)) => {
                    let rest = args.get(1).copied().into_iter().collect();
                    self.call(&a0, None, rest, module, offset)?
                }
                other => unknown_from(alloc, &other, "store"),
            },
            LibFn::Atom => match a0 {
                f @ (Value::Func(_) | Value::Builtin(_)) => self.bound(Bound::DerivedAtom, f),
                v => self.bound(Bound::Atom, v),
            },
            LibFn::UseAtom => {
                let v = self.atom_value(&a0, module, offset)?;
                self.arr(vec![v, noop])
            }
            LibFn::UseAtomValue => self.atom_value(&a0, module, offset)?,
            LibFn::UseForm => {
                let defaults = match a0 {
                    Value::Obj(opts) => obj_get(&opts, "defaultValues")
                        .filter(|v| matches!(v, Value::Obj(_)))
                        .unwrap_or_else(|| Value::Obj(empty_obj(alloc))),
                    _ => Value::Obj(empty_obj(alloc)),
                };
                let watch = self.bound(Bound::FormValues, defaults);
                let control = o(
                    alloc,
                    vec![("_defaultValues", defaults), ("_formValues", defaults)],
                );
                o(
                    alloc,
                    vec![
                        ("control", control),
                        ("watch", watch),
                        ("getValues", watch),
                        ("register", noop),
                        ("handleSubmit", Value::Builtin(Builtin::Identity)),
                        ("setValue", noop),
                        ("reset", noop),
                        ("trigger", noop),
                        ("setError", noop),
                        ("clearErrors", noop),
                        ("setFocus", noop),
                        ("formState", self.form_state()),
                    ],
                )
            }
            LibFn::Controller => {
                let Value::Obj(p) = a0 else {
                    return Ok(Value::Undef);
                };
                let state = self.controller_state(&p);
                let render = obj_get(&p, "render").unwrap_or(Value::Undef);
                self.call(&render, None, vec![state], module, offset)?
            }
            LibFn::UseController => match a0 {
                Value::Obj(p) => self.controller_state(&p),
                other => unknown_from(alloc, &other, "useController options"),
            },
            LibFn::UseWatch => match a0 {
                Value::Obj(p) => {
                    let defaults = match obj_get(&p, "control") {
                        Some(c) => self.get_prop(&c, "_defaultValues"),
                        None => Value::Undef,
                    };
                    let name = obj_get(&p, "name").unwrap_or(Value::Undef);
                    let v = form_value(self, &defaults, &name);
                    match v {
                        Value::Undef => obj_get(&p, "defaultValue").unwrap_or(Value::Undef),
                        v => v,
                    }
                }
                other => unknown_from(alloc, &other, "useWatch options"),
            },
            LibFn::FetchedData => {
                self.warn(
                    "fetched-data",
                    "query data is fetched at run time; it is shown as placeholders".into(),
                    module,
                    offset,
                );
                Value::unknown(alloc, FETCHED)
            }
            LibFn::FetchedList => {
                let result = self.call_state_lib(LibFn::FetchedQuery, args, module, offset)?;
                self.arr(vec![noop, result])
            }
            LibFn::FetchedQuery => {
                self.warn(
                    "fetched-data",
                    "query data is fetched at run time; it is shown as placeholders".into(),
                    module,
                    offset,
                );
                o(
                    alloc,
                    vec![
                        ("data", Value::unknown(alloc, FETCHED)),
                        ("isLoading", Value::Bool(false)),
                        ("loading", Value::Bool(false)),
                        ("isPending", Value::Bool(false)),
                        ("isFetching", Value::Bool(false)),
                        ("isRefetching", Value::Bool(false)),
                        ("isError", Value::Bool(false)),
                        ("isSuccess", Value::Bool(true)),
                        ("status", Value::Str("success")),
                        ("error", Value::Null),
                        ("refetch", noop),
                        ("fetchNextPage", noop),
                        ("hasNextPage", Value::Bool(false)),
                    ],
                )
            }
            _ => Value::Undef,
        })
    }

    fn form_state(&self) -> Value<'a> {
        let alloc = self.alloc;
        o(
            alloc,
            vec![
                ("errors", Value::Obj(empty_obj(alloc))),
                ("isDirty", Value::Bool(false)),
                ("isValid", Value::Bool(false)),
                ("isSubmitting", Value::Bool(false)),
                ("isSubmitted", Value::Bool(false)),
                ("isSubmitSuccessful", Value::Bool(false)),
                ("isLoading", Value::Bool(false)),
                ("submitCount", Value::Num(0.0)),
                ("dirtyFields", Value::Obj(empty_obj(alloc))),
                ("touchedFields", Value::Obj(empty_obj(alloc))),
            ],
        )
    }

    /// `{field, fieldState, formState}` of a `<Controller>` / `useController` at the form's
    /// default value.
    fn controller_state(&mut self, p: &Obj<'a>) -> Value<'a> {
        let alloc = self.alloc;
        let noop = Value::Builtin(Builtin::Noop);
        let defaults = match obj_get(p, "control") {
            Some(c) => self.get_prop(&c, "_defaultValues"),
            None => Value::Undef,
        };
        let name = obj_get(p, "name").unwrap_or(Value::Undef);
        let value = match form_value(self, &defaults, &name) {
            Value::Undef => obj_get(p, "defaultValue").unwrap_or(Value::Undef),
            v => v,
        };
        let field = o(
            alloc,
            vec![
                ("value", value),
                ("name", name),
                ("onChange", noop),
                ("onBlur", noop),
                ("ref", noop),
                ("disabled", Value::Bool(false)),
            ],
        );
        let field_state = o(
            alloc,
            vec![
                ("invalid", Value::Bool(false)),
                ("isTouched", Value::Bool(false)),
                ("isDirty", Value::Bool(false)),
                ("error", Value::Undef),
            ],
        );
        o(
            alloc,
            vec![
                ("field", field),
                ("fieldState", field_state),
                ("formState", self.form_state()),
            ],
        )
    }

    /// A store object whose `getState()` is `state`; the last one made is the app's store
    /// when no `<Provider store>` is found.
    fn store(&mut self, state: Value<'a>) -> Value<'a> {
        let noop = Value::Builtin(Builtin::Noop);
        let store = o(
            self.alloc,
            vec![
                ("getState", self.bound(Bound::Constant, state)),
                ("dispatch", noop),
                ("subscribe", noop),
                ("replaceReducer", noop),
            ],
        );
        self.last_store = Some(store);
        store
    }

    /// The Redux state of the app's store.
    fn redux_state(&mut self) -> Value<'a> {
        if self.context_value(REDUX_CTX).is_none() && self.last_store.is_none() {
            self.find_store();
        }
        let store = self.context_value(REDUX_CTX).or(self.last_store);
        match store {
            Some(s) => {
                let get = self.get_prop(&s, "getState");
                self.call(&get, Some(s), vec![], 0, 0).unwrap_or_else(|_| {
                    Value::unknown(self.alloc, "the store's state did not finish")
                })
            }
            None => Value::unknown(
                self.alloc,
                "no Redux store is known (no createStore / configureStore in the given files)",
            ),
        }
    }

    /// Loads the project modules that make a Redux store (`configureStore(` / `createStore(`
    /// in their text), once per compile: a screen previewed alone reads the app's store, which
    /// the app's entry (not the screen) imports. What loading them warns about is not the
    /// screen's.
    fn find_store(&mut self) {
        if self.store_searched {
            return;
        }
        self.store_searched = true;
        let (warnings, seen) = (self.warnings.len(), self.seen.clone());
        for i in 0..self.project.files.len() {
            let f = &self.project.files[i];
            if f.is_package()
                || !(f.content.contains("configureStore(") || f.content.contains("createStore("))
            {
                continue;
            }
            if !matches!(self.project.kind(i), crate::project::FileKind::Script(_)) {
                continue;
            }
            if self.load_module(i).is_err() || self.last_store.is_some() {
                break;
            }
        }
        self.warnings.truncate(warnings);
        self.seen = seen;
    }

    /// `reducer(state, {type: '@@INIT'})`.
    fn reduce(
        &mut self,
        reducer: &Value<'a>,
        state: Value<'a>,
        module: usize,
        offset: u32,
    ) -> R<Value<'a>> {
        let action = o(self.alloc, vec![("type", Value::Str("@@redux/INIT"))]);
        self.call(reducer, None, vec![state, action], module, offset)
    }

    fn atom_value(&mut self, a: &Value<'a>, module: usize, offset: u32) -> R<Value<'a>> {
        Ok(match a {
            Value::Native(Native::Bound(Bound::Atom, v)) => *v,
            Value::Native(Native::Bound(Bound::DerivedAtom, f)) => {
                let get = self.bound(Bound::AtomGetter, Value::Undef);
                self.enter("atom")?;
                let r = self.call(f, None, vec![get], module, offset);
                self.leave();
                r?
            }
            other => unknown_from(self.alloc, other, "atom"),
        })
    }

    /// Calls a callable that holds data.
    pub(super) fn call_bound(
        &mut self,
        kind: Bound,
        data: Value<'a>,
        args: Vec<Value<'a>>,
        module: usize,
        offset: u32,
    ) -> R<Value<'a>> {
        let a0 = args.first().copied().unwrap_or(Value::Undef);
        Ok(match kind {
            Bound::Constant => data,
            Bound::HolderState => self.get_prop(&data, "state"),
            Bound::SliceReducer => match a0 {
                Value::Undef => data,
                s => s,
            },
            Bound::CombinedReducer => {
                let Value::Obj(reducers) = data else {
                    return Ok(unknown_from(self.alloc, &data, "reducers"));
                };
                let out = empty_obj(self.alloc);
                for (k, r) in reducers.borrow().to_vec() {
                    let prev = match a0 {
                        Value::Undef => Value::Undef,
                        s => self.get_prop(&s, k),
                    };
                    let action = args.get(1).copied().unwrap_or(Value::Undef);
                    let v = self.call(&r, None, vec![prev, action], module, offset)?;
                    obj_set_key(&out, k, v);
                }
                Value::Obj(out)
            }
            Bound::Selector => {
                let Value::Arr(fns) = data else {
                    return Ok(Value::Undef);
                };
                let Some((result, inputs)) = fns.split_last() else {
                    return Ok(Value::Undef);
                };
                let mut outs = Vec::with_capacity(inputs.len());
                for f in inputs {
                    outs.push(self.call(f, None, args.clone(), module, offset)?);
                }
                self.call(result, None, outs, module, offset)?
            }
            Bound::ZustandHook => {
                let state = self.get_prop(&data, "state");
                match a0 {
                    Value::Undef => state,
                    sel => self.call(&sel, None, vec![state], module, offset)?,
                }
            }
            Bound::FormValues => form_value(self, &data, &a0),
            Bound::Atom | Bound::DerivedAtom => {
                Value::unknown(self.alloc, "an atom is not a function")
            }
            Bound::AtomGetter => self.atom_value(&a0, module, offset)?,
            // The component itself (screens are found through it), noted with what its
            // elements are given (see `connected_elem`).
            Bound::ConnectFactory => match args.iter().copied().find(|v| !v.is_nullish()) {
                Some(c) => {
                    self.connected.push((c, data));
                    c
                }
                None => Value::Undef,
            },
        })
    }

    /// A property of a callable that holds data (`useStore.getState`).
    pub(super) fn bound_prop(&mut self, kind: Bound, data: Value<'a>, key: &str) -> Value<'a> {
        match (kind, key) {
            (Bound::ZustandHook, "getState") => self.bound(Bound::HolderState, data),
            (Bound::ZustandHook, "setState" | "subscribe" | "destroy") => {
                Value::Builtin(Builtin::Noop)
            }
            _ => Value::Undef,
        }
    }

    /// An element of a component wrapped by `connect(mapState)` or `injectIntl`, with the
    /// props the wrapper gives it (the store's state mapped, `dispatch`; `intl`); `None` for
    /// other elements.
    pub(super) fn connected_elem(&mut self, e: &&'a Elem<'a>) -> R<Option<&'a Elem<'a>>> {
        let Some(&(component, map)) = self
            .connected
            .iter()
            .find(|(c, _)| same_component(c, &e.ty))
        else {
            return Ok(None);
        };
        let intl = matches!(map, Value::Builtin(Builtin::Lib(LibFn::InjectIntl)));
        let extra = if intl {
            let use_intl = self
                .fact_import("react-intl", "useIntl")
                .unwrap_or(Value::Undef);
            let v = self.call(&use_intl, None, vec![], e.module, e.offset)?;
            o(self.alloc, vec![("intl", v)])
        } else if map.is_nullish() {
            Value::Undef
        } else {
            match self.redux_state() {
                s @ Value::Unknown(_) => s,
                s => self.call(&map, None, vec![s, Value::Obj(e.props)], e.module, e.offset)?,
            }
        };
        let props = obj_of(self.alloc, e.props.borrow().to_vec());
        match extra {
            Value::Obj(x) => {
                for (k, v) in x.borrow().iter() {
                    obj_set_key(&props, k, *v);
                }
            }
            Value::Unknown(r) => self.warn(
                "wrapped-component",
                format!("the props `connect` maps from the store are unknown ({r})"),
                e.module,
                e.offset,
            ),
            _ => {}
        }
        if !intl && obj_get(&props, "dispatch").is_none() {
            obj_set_key(&props, "dispatch", Value::Builtin(Builtin::Noop));
        }
        Ok(Some(self.alloc.alloc(Elem {
            ty: component,
            props,
            module: e.module,
            offset: e.offset,
        })))
    }
}

/// A form value by name (`"address.city"`), all values (no name), or a list of them.
fn form_value<'a>(interp: &mut Interp<'_, 'a>, values: &Value<'a>, name: &Value<'a>) -> Value<'a> {
    match name {
        Value::Undef => *values,
        Value::Str(path) => {
            let mut cur = *values;
            for part in path.split('.') {
                cur = match cur {
                    Value::Obj(_) | Value::Arr(_) => interp.get_prop(&cur, part),
                    _ => Value::Undef,
                };
            }
            cur
        }
        Value::Arr(names) => {
            let items: Vec<Value<'a>> = names
                .iter()
                .map(|n| form_value(interp, values, n))
                .collect();
            interp.arr(items)
        }
        other => *other,
    }
}

/// Whether two values are the same component: the same value, or closures of the same
/// function in the same scope (`const X = wrap(() => ...)` renames the closure it is given).
fn same_component<'a>(a: &Value<'a>, b: &Value<'a>) -> bool {
    match (a, b) {
        (Value::Func(x), Value::Func(y)) => {
            std::ptr::eq(x.env, y.env)
                && match (x.node, y.node) {
                    (FnNode::Func(f), FnNode::Func(g)) => std::ptr::eq(f, g),
                    (FnNode::Arrow(f), FnNode::Arrow(g)) => std::ptr::eq(f, g),
                    _ => false,
                }
        }
        _ => super::strict_eq(a, b) == Some(true),
    }
}
