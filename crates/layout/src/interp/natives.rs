//! The JavaScript built-ins that screens make with `new` and use as objects: `Date` (at the
//! preview's fixed instant, see `dates`), `Map`, `Set`, regexes (see `regexp`), `URL` and
//! `URLSearchParams`, `Intl.NumberFormat` / `DateTimeFormat` / `PluralRules` in `en-US`,
//! `Error`s; instances of the project's own classes (fields, constructor, methods and getters,
//! `extends`, `super(...)`); `instanceof`; and the iteration protocol of all of them.

use std::cell::{Cell, RefCell};

use oxc::allocator::Vec as ArenaVec;
use oxc::ast::ast::*;

use super::dates::{self, DateFields, NumberKind, NumberStyle, Width};
use super::regexp::{self, Flags};
use super::value::*;
use super::{Interp, R, unknown_from};

/// The built-in constructors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ctor {
    Date,
    Map,
    Set,
    RegExp,
    Url,
    SearchParams,
    NumberFormat,
    DateTimeFormat,
    PluralRules,
    Array,
    /// `Error` and its kinds, by index into [`ERROR_NAMES`].
    Error(u8),
}

pub(crate) const ERROR_NAMES: [&str; 5] = [
    "Error",
    "TypeError",
    "RangeError",
    "SyntaxError",
    "ReferenceError",
];

/// A regex value: its source and flags, and the compiled regex (an index into the
/// evaluator's list, which owns them: the arena does not drop what it holds).
pub(crate) struct RegExpValue<'a> {
    pub source: JsStr<'a>,
    pub flags_text: JsStr<'a>,
    pub flags: Flags,
    pub compiled: u32,
    pub last_index: Cell<usize>,
}

pub(crate) struct UrlValue<'a> {
    pub protocol: JsStr<'a>,
    pub username: JsStr<'a>,
    pub hostname: JsStr<'a>,
    pub port: JsStr<'a>,
    pub pathname: JsStr<'a>,
    pub hash: JsStr<'a>,
    pub params: &'a Native<'a>,
}

pub(crate) type Pairs<'a> = RefCell<ArenaVec<'a, (JsStr<'a>, JsStr<'a>)>>;

pub(crate) enum Native<'a> {
    Date(Cell<f64>),
    Map(RefCell<ArenaVec<'a, (Value<'a>, Value<'a>)>>),
    Set(RefCell<ArenaVec<'a, Value<'a>>>),
    RegExp(RegExpValue<'a>),
    Url(UrlValue<'a>),
    SearchParams(Pairs<'a>),
    NumberFormat(NumberStyle<'a>),
    DateTimeFormat(DateFields),
    PluralRules,
    /// A callable holding data: a store's state, a form's values, an atom (see `app_state`).
    Bound(Bound, Value<'a>),
}

/// The kinds of [`Native::Bound`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Bound {
    /// Returns its data (`store.getState`, `slice.getInitialState`).
    Constant,
    /// Returns the `state` of its holder object (a Zustand store's `get`).
    HolderState,
    /// A reducer that starts at its data (RTK `createSlice` / `createReducer`).
    SliceReducer,
    /// `combineReducers(data)`.
    CombinedReducer,
    /// `createSelector(...inputs, result)` (data: the functions, result last).
    Selector,
    /// A Zustand store hook over its holder object.
    ZustandHook,
    /// `watch` / `getValues` of a form with these default values.
    FormValues,
    /// A Jotai atom with this initial value.
    Atom,
    /// A Jotai atom read by this function.
    DerivedAtom,
    /// The `get` a derived atom's function is given.
    AtomGetter,
    /// `connect(mapState)`: waiting for the component.
    ConnectFactory,
}

impl<'a> Native<'a> {
    /// JS `String(v)`.
    pub fn to_display(&self) -> Option<String> {
        Some(match self {
            Native::Date(t) => dates::to_string(t.get()),
            Native::RegExp(r) => format!("/{}/{}", r.source, r.flags_text),
            Native::Url(u) => u.href(),
            Native::SearchParams(p) => query_string(&p.borrow()),
            Native::Map(_) => "[object Map]".into(),
            Native::Set(_) => "[object Set]".into(),
            _ => "[object Object]".into(),
        })
    }

    /// JS `Number(v)` (a date's time; `NaN` for the others).
    pub fn to_num(&self) -> Option<f64> {
        Some(match self {
            Native::Date(t) => t.get(),
            _ => f64::NAN,
        })
    }

    /// `JSON.stringify`'s view: dates and URLs as strings, maps and sets as `{}`.
    pub fn to_json(&self) -> Result<serde_json::Value, String> {
        Ok(match self {
            Native::Date(t) if t.get().is_nan() => serde_json::Value::Null,
            Native::Date(t) => serde_json::Value::String(dates::iso(t.get())),
            Native::Url(u) => serde_json::Value::String(u.href()),
            _ => serde_json::Value::Object(Default::default()),
        })
    }
}

impl UrlValue<'_> {
    fn host(&self) -> String {
        if self.port.is_empty() {
            self.hostname.to_string()
        } else {
            format!("{}:{}", self.hostname, self.port)
        }
    }

    fn search(&self) -> String {
        let Native::SearchParams(p) = self.params else {
            return String::new();
        };
        let q = query_string(&p.borrow());
        if q.is_empty() { q } else { format!("?{q}") }
    }

    fn origin(&self) -> String {
        format!("{}//{}", self.protocol, self.host())
    }

    fn href(&self) -> String {
        let user = if self.username.is_empty() {
            String::new()
        } else {
            format!("{}@", self.username)
        };
        format!(
            "{}//{user}{}{}{}{}",
            self.protocol,
            self.host(),
            self.pathname,
            self.search(),
            self.hash
        )
    }
}

fn query_string(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// `application/x-www-form-urlencoded` encoding, as `URLSearchParams` writes it.
fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match u8::from_str_radix(&s[i + 1..i + 3], 16) {
                Ok(b) => {
                    out.push(b);
                    i += 2;
                }
                Err(_) => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// SameValueZero, the key equality of maps and sets; `None` when unknown.
fn same_value_zero<'a>(a: &Value<'a>, b: &Value<'a>) -> Option<bool> {
    match (a, b) {
        (Value::Num(x), Value::Num(y)) if x.is_nan() && y.is_nan() => Some(true),
        _ => super::strict_eq(a, b),
    }
}

impl<'p, 'a> Interp<'p, 'a> {
    fn native(&self, n: Native<'a>) -> Value<'a> {
        Value::Native(self.alloc.alloc(n))
    }

    fn pairs(&self, items: impl IntoIterator<Item = (JsStr<'a>, JsStr<'a>)>) -> Pairs<'a> {
        let mut v = ArenaVec::new_in(&self.alloc);
        v.extend(items);
        RefCell::new(v)
    }

    /// A regex value of a JS pattern and flags; unknown, with a warning, when the pattern
    /// cannot be carried over. Compiled once per compile for each pattern.
    pub(super) fn regex_value(
        &mut self,
        pattern: &str,
        flags_text: &str,
        module: usize,
        offset: u32,
    ) -> Value<'a> {
        let key = format!("{flags_text}/{pattern}");
        let compiled = match self.regex_index.get(&key) {
            Some(r) => r.clone(),
            None => {
                let r = Flags::parse(flags_text)
                    .ok_or_else(|| format!("the `{flags_text}` flags"))
                    .and_then(|f| regexp::compile(pattern, f))
                    .map(|re| {
                        self.regexes.push(re);
                        (self.regexes.len() - 1) as u32
                    });
                self.regex_index.insert(key, r.clone());
                r
            }
        };
        match compiled {
            Ok(i) => self.native(Native::RegExp(RegExpValue {
                source: self.alloc.alloc_str(pattern),
                flags_text: self.alloc.alloc_str(flags_text),
                flags: Flags::parse(flags_text).unwrap_or_default(),
                compiled: i,
                last_index: Cell::new(0),
            })),
            Err(why) => {
                let reason = format!("the regex /{pattern}/{flags_text} is not supported ({why})");
                self.warn("unsupported-regex", reason.clone(), module, offset);
                Value::unknown(self.alloc, reason)
            }
        }
    }

    /// `new callee(...args)`.
    pub(super) fn construct(
        &mut self,
        callee: Value<'a>,
        args: Vec<Value<'a>>,
        module: usize,
        offset: u32,
    ) -> R<Value<'a>> {
        match callee {
            Value::Builtin(Builtin::Ctor(k)) => self.call_ctor(k, args, true, module, offset),
            Value::Builtin(b @ (Builtin::AnimatedValue | Builtin::Fact(_) | Builtin::Lib(_))) => {
                self.call_builtin(b, args, module, offset)
            }
            Value::Class(c) => self.construct_class(c, args),
            Value::Func(c) => {
                let this = empty_obj(self.alloc);
                self.instances
                    .insert(this as *const _ as usize, Value::Func(c));
                if let Some(Value::Obj(proto)) = c.static_member("prototype") {
                    for (k, v) in proto.borrow().to_vec() {
                        obj_set_key(&this, k, self.bind_method(v, Value::Obj(this)));
                    }
                }
                self.enter(c.name)?;
                let made = self.call_closure(&c, Some(Value::Obj(this)), args);
                self.leave();
                Ok(match made? {
                    v @ Value::Obj(_) => v,
                    _ => Value::Obj(this),
                })
            }
            Value::Ext(x) => Ok(Value::unknown(
                self.alloc,
                format!("`new {}` from `{}` is not evaluated", x.1, x.0),
            )),
            Value::Unknown(r) => Ok(Value::Unknown(r)),
            other => Ok(unknown_from(self.alloc, &other, "`new`")),
        }
    }

    /// A method of a prototype, bound to an instance (`this` inside it).
    fn bind_method(&self, v: Value<'a>, this: Value<'a>) -> Value<'a> {
        match v {
            Value::Func(c) => Value::Func(self.alloc.alloc(Closure {
                this: Some(this),
                ..Closure::new(c.node, c.env, c.name)
            })),
            v => v,
        }
    }

    /// A built-in constructor, called with `new` or (`as_new` false) as a function.
    pub(super) fn call_ctor(
        &mut self,
        k: Ctor,
        args: Vec<Value<'a>>,
        as_new: bool,
        module: usize,
        offset: u32,
    ) -> R<Value<'a>> {
        let a0 = args.first().copied().unwrap_or(Value::Undef);
        Ok(match k {
            Ctor::Date if !as_new => {
                Value::str(self.alloc, &dates::to_string(dates::PREVIEW_NOW_MS))
            }
            Ctor::Date => {
                let t = match args.as_slice() {
                    [] => dates::PREVIEW_NOW_MS,
                    [Value::Str(s)] => dates::parse(s),
                    [Value::Native(n)] => n.to_num().unwrap_or(f64::NAN),
                    [v] => match v.to_num() {
                        Some(n) => n,
                        None => return Ok(unknown_from(self.alloc, v, "date")),
                    },
                    fields => match self.date_fields(fields) {
                        Some(t) => t,
                        None => return Ok(Value::unknown(self.alloc, "a date of unknown fields")),
                    },
                };
                self.native(Native::Date(Cell::new(t)))
            }
            Ctor::Map => {
                let mut entries = ArenaVec::new_in(&self.alloc);
                if !a0.is_nullish() {
                    let Some(items) = self.iterate(&a0) else {
                        return Ok(unknown_from(self.alloc, &a0, "Map entries"));
                    };
                    for it in items {
                        let (k, v) = (self.get_prop(&it, "0"), self.get_prop(&it, "1"));
                        self.map_set(&mut entries, k, v);
                    }
                }
                self.native(Native::Map(RefCell::new(entries)))
            }
            Ctor::Set => {
                let mut items = ArenaVec::new_in(&self.alloc);
                if !a0.is_nullish() {
                    let Some(xs) = self.iterate(&a0) else {
                        return Ok(unknown_from(self.alloc, &a0, "Set items"));
                    };
                    for x in xs {
                        if !items.iter().any(|y| same_value_zero(y, &x) == Some(true)) {
                            items.push(x);
                        }
                    }
                }
                self.native(Native::Set(RefCell::new(items)))
            }
            Ctor::RegExp => {
                let flags = args.get(1).and_then(|f| f.to_display()).unwrap_or_default();
                match &a0 {
                    Value::Native(n) if matches!(n, Native::RegExp(_)) && args.len() < 2 => a0,
                    Value::Native(Native::RegExp(r)) => {
                        let src = r.source;
                        self.regex_value(src, &flags, module, offset)
                    }
                    Value::Str(s) => self.regex_value(s, &flags, module, offset),
                    other => unknown_from(self.alloc, other, "RegExp pattern"),
                }
            }
            Ctor::Url => match (&a0, args.get(1)) {
                (Value::Str(s), base) => {
                    let base = match base {
                        Some(Value::Str(b)) => Some(b.to_string()),
                        Some(Value::Native(n @ Native::Url(_))) => n.to_display(),
                        Some(other) if !other.is_nullish() => {
                            return Ok(unknown_from(self.alloc, other, "URL base"));
                        }
                        _ => None,
                    };
                    match self.parse_url(s, base.as_deref()) {
                        Some(u) => u,
                        None => {
                            Value::unknown(self.alloc, format!("`new URL` of an invalid URL ({s})"))
                        }
                    }
                }
                (Value::Native(n @ Native::Url(_)), None) => {
                    let href = n.to_display().unwrap_or_default();
                    self.parse_url(&href, None).unwrap_or(Value::Undef)
                }
                (other, _) => unknown_from(self.alloc, other, "URL"),
            },
            Ctor::SearchParams => {
                let pairs: Vec<(JsStr<'a>, JsStr<'a>)> = match &a0 {
                    Value::Undef | Value::Null => Vec::new(),
                    Value::Str(s) => self.parse_query(s.strip_prefix('?').unwrap_or(s)),
                    Value::Obj(o) => {
                        let mut out = Vec::new();
                        for (k, v) in o.borrow().iter() {
                            match v.to_display() {
                                Some(v) => out.push((*k, self.alloc.alloc_str(&v))),
                                None => return Ok(unknown_from(self.alloc, v, "search param")),
                            }
                        }
                        out
                    }
                    other => return Ok(unknown_from(self.alloc, other, "URLSearchParams")),
                };
                self.native(Native::SearchParams(self.pairs(pairs)))
            }
            Ctor::NumberFormat => {
                let style = self.number_style(args.get(1));
                self.native(Native::NumberFormat(style))
            }
            Ctor::DateTimeFormat => {
                let fields = self.date_options(args.get(1), DateFields::DATE);
                self.native(Native::DateTimeFormat(fields))
            }
            Ctor::PluralRules => self.native(Native::PluralRules),
            Ctor::Array => match args.as_slice() {
                [Value::Num(n)] if *n >= 0.0 && n.fract() == 0.0 => {
                    self.check_len(*n as usize)?;
                    self.arr(vec![Value::Undef; *n as usize])
                }
                [Value::Num(_)] => Value::unknown(self.alloc, "an invalid array length"),
                xs => self.arr(xs.to_vec()),
            },
            Ctor::Error(kind) => {
                let this = empty_obj(self.alloc);
                obj_set_key(&this, "name", Value::Str(ERROR_NAMES[kind as usize]));
                let message = match a0 {
                    Value::Undef => Value::Str(""),
                    v => match v.to_display() {
                        Some(s) => Value::str(self.alloc, &s),
                        None => unknown_from(self.alloc, &v, "error message"),
                    },
                };
                obj_set_key(&this, "message", message);
                if let Some(Value::Obj(opts)) = args.get(1)
                    && let Some(cause) = obj_get(opts, "cause")
                {
                    obj_set_key(&this, "cause", cause);
                }
                self.instances
                    .insert(this as *const _ as usize, Value::Builtin(Builtin::Ctor(k)));
                Value::Obj(this)
            }
        })
    }

    /// `new Date(y, m, d, h, mi, s, ms)`: `None` when a field is unknown.
    fn date_fields(&self, fields: &[Value<'a>]) -> Option<f64> {
        let mut f = [f64::NAN, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0];
        for (i, v) in fields.iter().take(7).enumerate() {
            f[i] = v.to_num()?;
        }
        if (0.0..=99.0).contains(&f[0]) && f[0].fract() == 0.0 {
            f[0] += 1900.0;
        }
        Some(dates::instant(f[0], f[1], f[2], f[3], f[4], f[5], f[6]))
    }

    fn parse_query(&self, q: &str) -> Vec<(JsStr<'a>, JsStr<'a>)> {
        q.split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                (
                    self.alloc.alloc_str(&decode(k)),
                    self.alloc.alloc_str(&decode(v)),
                )
            })
            .collect()
    }

    /// `new URL(s, base)` for hierarchical URLs (`scheme://host/path?query#hash`).
    fn parse_url(&self, s: &str, base: Option<&str>) -> Option<Value<'a>> {
        let s = s.trim();
        let (scheme, rest) = match s.split_once("://") {
            Some((scheme, rest))
                if !scheme.is_empty()
                    && scheme
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) =>
            {
                (scheme.to_ascii_lowercase(), rest.to_string())
            }
            _ => {
                // Relative to the base.
                let b = base?;
                let (bscheme, brest) = b.split_once("://")?;
                let host_end = brest.find(['/', '?', '#']).unwrap_or(brest.len());
                let (host, bpath) = brest.split_at(host_end);
                let bpath = bpath.split(['?', '#']).next().unwrap_or("");
                let path = if s.starts_with('/') {
                    s.to_string()
                } else if s.starts_with('?') || s.starts_with('#') {
                    format!("{bpath}{s}")
                } else {
                    let dir = bpath.rsplit_once('/').map_or("", |(d, _)| d);
                    format!("{dir}/{s}")
                };
                (bscheme.to_ascii_lowercase(), format!("{host}{path}"))
            }
        };
        let (rest, hash) = match rest.split_once('#') {
            Some((r, h)) => (r.to_string(), format!("#{h}")),
            None => (rest, String::new()),
        };
        let (rest, query) = match rest.split_once('?') {
            Some((r, q)) => (r.to_string(), q.to_string()),
            None => (rest, String::new()),
        };
        let host_end = rest.find('/').unwrap_or(rest.len());
        let (authority, path) = rest.split_at(host_end);
        let (user, hostport) = match authority.rsplit_once('@') {
            Some((u, h)) => (u, h),
            None => ("", authority),
        };
        let (hostname, port) = match hostport.rsplit_once(':') {
            Some((h, p)) if p.chars().all(|c| c.is_ascii_digit()) => (h, p),
            _ => (hostport, ""),
        };
        let default_port = matches!(
            (scheme.as_str(), port),
            ("http" | "ws", "80") | ("https" | "wss", "443")
        );
        if hostname.is_empty() && matches!(scheme.as_str(), "http" | "https") {
            return None;
        }
        let path = if path.is_empty() && matches!(scheme.as_str(), "http" | "https" | "ws" | "wss")
        {
            "/"
        } else {
            path
        };
        let a = self.alloc;
        let params: &'a Native<'a> =
            a.alloc(Native::SearchParams(self.pairs(self.parse_query(&query))));
        Some(self.native(Native::Url(UrlValue {
            protocol: a.alloc_str(&format!("{scheme}:")),
            username: a.alloc_str(user),
            hostname: a.alloc_str(&hostname.to_ascii_lowercase()),
            port: if default_port { "" } else { a.alloc_str(port) },
            pathname: a.alloc_str(path),
            hash: a.alloc_str(&hash),
            params,
        })))
    }

    /// The options of `Intl.NumberFormat` / `toLocaleString` (unknown options are ignored).
    pub(super) fn number_style(&mut self, opts: Option<&Value<'a>>) -> NumberStyle<'a> {
        let mut st = NumberStyle::default();
        let Some(Value::Obj(o)) = opts else {
            return st;
        };
        let get = |k: &str| obj_get(o, k);
        let digits = |k: &str| {
            get(k)
                .and_then(|v| v.to_num())
                .filter(|n| (0.0..=20.0).contains(n))
                .map(|n| n as usize)
        };
        st.min_fraction = digits("minimumFractionDigits");
        st.max_fraction = digits("maximumFractionDigits");
        if let Some(Value::Bool(false)) = get("useGrouping") {
            st.grouping = false;
        }
        if let Some(Value::Str("compact")) = get("notation") {
            st.compact = true;
        }
        match get("style") {
            Some(Value::Str("percent")) => st.kind = NumberKind::Percent,
            Some(Value::Str("currency")) => {
                let code = match get("currency") {
                    Some(Value::Str(c)) => self.alloc.alloc_str(&c.to_ascii_uppercase()),
                    _ => "USD",
                };
                let as_code = matches!(get("currencyDisplay"), Some(Value::Str("code")));
                st.kind = NumberKind::Currency(code, as_code);
            }
            _ => {}
        }
        st
    }

    /// The fields of `Intl.DateTimeFormat` / `toLocale*String` options; `default` when the
    /// options name none.
    pub(super) fn date_options(
        &mut self,
        opts: Option<&Value<'a>>,
        default: DateFields,
    ) -> DateFields {
        let Some(Value::Obj(o)) = opts else {
            return default;
        };
        let text = |k: &str| match obj_get(o, k) {
            Some(Value::Str(s)) => Some(s),
            _ => None,
        };
        let (ds, ts) = (text("dateStyle"), text("timeStyle"));
        let mut f = if ds.is_some() || ts.is_some() {
            DateFields::from_styles(ds, ts)
        } else {
            DateFields {
                weekday: text("weekday").and_then(Width::parse),
                year: text("year").and_then(Width::parse),
                month: text("month").and_then(Width::parse),
                day: text("day").and_then(Width::parse),
                hour: text("hour").and_then(Width::parse),
                minute: text("minute").and_then(Width::parse),
                second: text("second").and_then(Width::parse),
                hour12: true,
            }
        };
        if !f.has_date() && !f.has_time() {
            f = default;
        }
        match obj_get(o, "hour12") {
            Some(Value::Bool(b)) => f.hour12 = b,
            _ => {
                if matches!(text("hourCycle"), Some("h23" | "h24")) {
                    f.hour12 = false;
                }
            }
        }
        f
    }

    /// The items `for ... of`, spreads and `Array.from` go over; `None` when not iterable
    /// (or unknown).
    pub(super) fn iterate(&self, v: &Value<'a>) -> Option<Vec<Value<'a>>> {
        Some(match v {
            Value::Arr(xs) => xs.to_vec(),
            Value::Str(s) => s
                .chars()
                .map(|c| Value::str(self.alloc, c.encode_utf8(&mut [0; 4])))
                .collect(),
            Value::Native(Native::Map(m)) => m
                .borrow()
                .iter()
                .map(|(k, v)| Value::arr(self.alloc, &[*k, *v]))
                .collect(),
            Value::Native(Native::Set(s)) => s.borrow().to_vec(),
            Value::Native(Native::SearchParams(p)) => p
                .borrow()
                .iter()
                .map(|(k, v)| Value::arr(self.alloc, &[Value::Str(k), Value::Str(v)]))
                .collect(),
            _ => return None,
        })
    }

    fn map_set(
        &self,
        entries: &mut ArenaVec<'a, (Value<'a>, Value<'a>)>,
        k: Value<'a>,
        v: Value<'a>,
    ) {
        match entries
            .iter_mut()
            .find(|(x, _)| same_value_zero(x, &k) == Some(true))
        {
            Some(e) => e.1 = v,
            None => entries.push((k, v)),
        }
    }

    /// A property of a built-in object.
    pub(super) fn native_prop(&mut self, n: &'a Native<'a>, key: &str) -> Value<'a> {
        let s = |x: String| Value::str(self.alloc, &x);
        match (n, key) {
            (Native::Map(m), "size") => Value::Num(m.borrow().len() as f64),
            (Native::Set(m), "size") => Value::Num(m.borrow().len() as f64),
            (Native::SearchParams(m), "size") => Value::Num(m.borrow().len() as f64),
            (Native::RegExp(r), "source") => Value::Str(r.source),
            (Native::RegExp(r), "flags") => Value::Str(r.flags_text),
            (Native::RegExp(r), "global") => Value::Bool(r.flags.global),
            (Native::RegExp(r), "ignoreCase") => Value::Bool(r.flags.ignore_case),
            (Native::RegExp(r), "multiline") => Value::Bool(r.flags.multiline),
            (Native::RegExp(r), "sticky") => Value::Bool(r.flags.sticky),
            (Native::RegExp(r), "lastIndex") => Value::Num(r.last_index.get() as f64),
            (Native::Url(u), k) => match k {
                "href" => s(u.href()),
                "protocol" => Value::Str(u.protocol),
                "host" => s(u.host()),
                "hostname" => Value::Str(u.hostname),
                "port" => Value::Str(u.port),
                "pathname" => Value::Str(u.pathname),
                "search" => s(u.search()),
                "hash" => Value::Str(u.hash),
                "origin" => s(u.origin()),
                "username" => Value::Str(u.username),
                "password" => Value::Str(""),
                "searchParams" => Value::Native(u.params),
                _ => Value::Undef,
            },
            (Native::Bound(kind, data), key) => self.bound_prop(*kind, *data, key),
            _ => Value::Undef,
        }
    }

    /// A method of a built-in object; `None` when it has no such method.
    pub(super) fn native_method(
        &mut self,
        n: &'a Native<'a>,
        recv: Value<'a>,
        name: &str,
        args: Vec<Value<'a>>,
        module: usize,
        offset: u32,
    ) -> R<Option<Value<'a>>> {
        let a0 = args.first().copied().unwrap_or(Value::Undef);
        let alloc = self.alloc;
        let unknown_key = |k: &Value<'a>| matches!(k, Value::Unknown(_));
        Ok(Some(match n {
            Native::Date(t) => match self.date_method(t, name, &args) {
                Some(v) => v,
                None => return Ok(None),
            },
            Native::Map(m) => match name {
                "get" if unknown_key(&a0) => a0,
                "has" if unknown_key(&a0) => a0,
                "get" => m
                    .borrow()
                    .iter()
                    .find(|(k, _)| same_value_zero(k, &a0) == Some(true))
                    .map_or(Value::Undef, |(_, v)| *v),
                "has" => Value::Bool(
                    m.borrow()
                        .iter()
                        .any(|(k, _)| same_value_zero(k, &a0) == Some(true)),
                ),
                "set" => {
                    let v = args.get(1).copied().unwrap_or(Value::Undef);
                    let mut entries = m.borrow_mut();
                    self.map_set(&mut entries, a0, v);
                    self.check_len(entries.len())?;
                    recv
                }
                "delete" => {
                    let mut entries = m.borrow_mut();
                    let before = entries.len();
                    entries.retain(|(k, _)| same_value_zero(k, &a0) != Some(true));
                    Value::Bool(entries.len() != before)
                }
                "clear" => {
                    m.borrow_mut().clear();
                    Value::Undef
                }
                "keys" | "values" | "entries" => {
                    let items: Vec<Value<'a>> = m
                        .borrow()
                        .iter()
                        .map(|(k, v)| match name {
                            "keys" => *k,
                            "values" => *v,
                            _ => Value::arr(alloc, &[*k, *v]),
                        })
                        .collect();
                    self.arr(items)
                }
                "forEach" => {
                    let entries = m.borrow().to_vec();
                    for (k, v) in entries {
                        self.call(&a0, None, vec![v, k, recv], module, offset)?;
                    }
                    Value::Undef
                }
                _ => return Ok(None),
            },
            Native::Set(s) => match name {
                "has" if unknown_key(&a0) => a0,
                "has" => Value::Bool(
                    s.borrow()
                        .iter()
                        .any(|x| same_value_zero(x, &a0) == Some(true)),
                ),
                "add" => {
                    let mut items = s.borrow_mut();
                    if !items.iter().any(|x| same_value_zero(x, &a0) == Some(true)) {
                        items.push(a0);
                    }
                    self.check_len(items.len())?;
                    recv
                }
                "delete" => {
                    let mut items = s.borrow_mut();
                    let before = items.len();
                    items.retain(|x| same_value_zero(x, &a0) != Some(true));
                    Value::Bool(items.len() != before)
                }
                "clear" => {
                    s.borrow_mut().clear();
                    Value::Undef
                }
                "values" | "keys" => self.arr(s.borrow().to_vec()),
                "entries" => {
                    let items: Vec<Value<'a>> = s
                        .borrow()
                        .iter()
                        .map(|x| Value::arr(alloc, &[*x, *x]))
                        .collect();
                    self.arr(items)
                }
                "forEach" => {
                    let items = s.borrow().to_vec();
                    for x in items {
                        self.call(&a0, None, vec![x, x, recv], module, offset)?;
                    }
                    Value::Undef
                }
                _ => return Ok(None),
            },
            Native::RegExp(r) => match name {
                "test" | "exec" => {
                    let Some(text) = a0.to_display() else {
                        return Ok(Some(unknown_from(alloc, &a0, "regex subject")));
                    };
                    let stateful = r.flags.global || r.flags.sticky;
                    let from = if stateful { r.last_index.get() } else { 0 };
                    let from = regexp::byte_index(&text, from);
                    let m = self.regex_match(r, &text, from, module, offset);
                    let Ok(m) = m else {
                        return Ok(Some(Value::unknown(
                            alloc,
                            "the regex ran past its backtracking limit",
                        )));
                    };
                    if stateful {
                        r.last_index
                            .set(m.as_ref().map_or(0, |g| {
                                regexp::char_index(&text, g[0].expect("group 0").1)
                            }));
                    }
                    match (name, m) {
                        ("test", m) => Value::Bool(m.is_some()),
                        (_, None) => Value::Null,
                        (_, Some(g)) => self.match_value(r, &text, &g),
                    }
                }
                "toString" => Value::str(alloc, &format!("/{}/{}", r.source, r.flags_text)),
                _ => return Ok(None),
            },
            Native::Url(u) => match name {
                "toString" | "toJSON" => Value::str(alloc, &u.href()),
                _ => return Ok(None),
            },
            Native::SearchParams(p) => {
                let key = a0.to_display();
                match (name, key) {
                    (_, None)
                        if !matches!(
                            name,
                            "toString" | "forEach" | "keys" | "values" | "entries"
                        ) =>
                    {
                        unknown_from(alloc, &a0, "search param name")
                    }
                    ("get", Some(k)) => p
                        .borrow()
                        .iter()
                        .find(|(x, _)| *x == k)
                        .map_or(Value::Null, |(_, v)| Value::Str(v)),
                    ("getAll", Some(k)) => {
                        let vs: Vec<Value<'a>> = p
                            .borrow()
                            .iter()
                            .filter(|(x, _)| *x == k)
                            .map(|(_, v)| Value::Str(v))
                            .collect();
                        self.arr(vs)
                    }
                    ("has", Some(k)) => Value::Bool(p.borrow().iter().any(|(x, _)| *x == k)),
                    ("set" | "append", Some(k)) => {
                        let v = match args.get(1).and_then(|v| v.to_display()) {
                            Some(v) => alloc.alloc_str(&v),
                            None => {
                                return Ok(Some(Value::unknown(
                                    alloc,
                                    "a search param value that is not known",
                                )));
                            }
                        };
                        let k: &'a str = alloc.alloc_str(&k);
                        let mut ps = p.borrow_mut();
                        if name == "set"
                            && let Some(i) = ps.iter().position(|(x, _)| *x == k)
                        {
                            ps[i].1 = v;
                            let mut j = 0;
                            ps.retain(|(x, _)| {
                                j += 1;
                                j - 1 == i || *x != k
                            });
                        } else {
                            ps.push((k, v));
                        }
                        Value::Undef
                    }
                    ("delete", Some(k)) => {
                        p.borrow_mut().retain(|(x, _)| *x != k);
                        Value::Undef
                    }
                    ("toString", _) => Value::str(alloc, &query_string(&p.borrow())),
                    ("keys" | "values" | "entries", _) => {
                        let items: Vec<Value<'a>> = p
                            .borrow()
                            .iter()
                            .map(|(k, v)| match name {
                                "keys" => Value::Str(k),
                                "values" => Value::Str(v),
                                _ => Value::arr(alloc, &[Value::Str(k), Value::Str(v)]),
                            })
                            .collect();
                        self.arr(items)
                    }
                    ("forEach", _) => {
                        let items = p.borrow().to_vec();
                        for (k, v) in items {
                            self.call(
                                &a0,
                                None,
                                vec![Value::Str(v), Value::Str(k), recv],
                                module,
                                offset,
                            )?;
                        }
                        Value::Undef
                    }
                    _ => return Ok(None),
                }
            }
            Native::NumberFormat(st) => match name {
                "format" => match a0.to_num() {
                    Some(x) => Value::str(alloc, &st.format(x)),
                    None => unknown_from(alloc, &a0, "formatted number"),
                },
                _ => return Ok(None),
            },
            Native::DateTimeFormat(f) => match name {
                "format" => {
                    let t = match a0 {
                        Value::Undef => dates::PREVIEW_NOW_MS,
                        v => match v.to_num() {
                            Some(t) => t,
                            None => return Ok(Some(unknown_from(alloc, &v, "formatted date"))),
                        },
                    };
                    Value::str(alloc, &f.format(t))
                }
                _ => return Ok(None),
            },
            Native::Bound(..) => return Ok(None),
            Native::PluralRules => match name {
                "select" => match a0.to_num() {
                    Some(x) => Value::Str(if x == 1.0 { "one" } else { "other" }),
                    None => unknown_from(alloc, &a0, "plural category"),
                },
                _ => return Ok(None),
            },
        }))
    }

    /// Methods of dates; `None` when `name` is not one.
    fn date_method(&mut self, t: &Cell<f64>, name: &str, args: &[Value<'a>]) -> Option<Value<'a>> {
        let time = t.get();
        let c = dates::civil(time);
        let num = |v: i64| {
            if time.is_nan() {
                Value::Num(f64::NAN)
            } else {
                Value::Num(v as f64)
            }
        };
        let s = |x: String| Value::str(self.alloc, &x);
        Some(
            match name
                .strip_prefix("getUTC")
                .map(|r| format!("get{r}"))
                .as_deref()
                .unwrap_or(name)
            {
                "getFullYear" => num(c.year),
                "getMonth" => num(c.month),
                "getDate" => num(c.day),
                "getDay" => num(c.weekday),
                "getHours" => num(c.hour),
                "getMinutes" => num(c.minute),
                "getSeconds" => num(c.second),
                "getMilliseconds" => num(c.ms),
                "getTime" | "valueOf" => Value::Num(time),
                "getTimezoneOffset" => Value::Num(0.0),
                "toISOString" | "toJSON" if time.is_nan() => {
                    Value::unknown(self.alloc, "toISOString of an invalid date")
                }
                "toISOString" | "toJSON" => s(dates::iso(time)),
                "toString" => s(dates::to_string(time)),
                "toDateString" => s(dates::date_string(time)),
                "toUTCString" | "toGMTString" => {
                    let c = dates::civil(time);
                    s(format!(
                        "{}, {:02} {} {} {:02}:{:02}:{:02} GMT",
                        &dates::WEEKDAYS[c.weekday as usize][..3],
                        c.day,
                        &dates::MONTHS[c.month as usize][..3],
                        c.year,
                        c.hour,
                        c.minute,
                        c.second
                    ))
                }
                "toLocaleDateString" => {
                    let f = self.date_options(args.get(1), DateFields::DATE);
                    s(f.format(time))
                }
                "toLocaleTimeString" => {
                    let f = self.date_options(args.get(1), DateFields::TIME);
                    s(f.format(time))
                }
                "toLocaleString" => {
                    let f = self.date_options(args.get(1), DateFields::DATE.and(DateFields::TIME));
                    s(f.format(time))
                }
                setter if setter.starts_with("set") => {
                    let nums: Option<Vec<f64>> = args.iter().map(|a| a.to_num()).collect();
                    let Some(n) = nums else {
                        t.set(f64::NAN);
                        return Some(Value::unknown(self.alloc, "a date set to an unknown value"));
                    };
                    let a = |i: usize, d: i64| n.get(i).copied().unwrap_or(d as f64);
                    let (y, mo, d, h, mi, sec, ms) =
                        (c.year, c.month, c.day, c.hour, c.minute, c.second, c.ms);
                    let new = match setter {
                        "setTime" => a(0, 0),
                        "setFullYear" => dates::instant(
                            a(0, y),
                            a(1, mo),
                            a(2, d),
                            h as f64,
                            mi as f64,
                            sec as f64,
                            ms as f64,
                        ),
                        "setMonth" => dates::instant(
                            y as f64,
                            a(0, mo),
                            a(1, d),
                            h as f64,
                            mi as f64,
                            sec as f64,
                            ms as f64,
                        ),
                        "setDate" => dates::instant(
                            y as f64,
                            mo as f64,
                            a(0, d),
                            h as f64,
                            mi as f64,
                            sec as f64,
                            ms as f64,
                        ),
                        "setHours" => dates::instant(
                            y as f64,
                            mo as f64,
                            d as f64,
                            a(0, h),
                            a(1, mi),
                            a(2, sec),
                            a(3, ms),
                        ),
                        "setMinutes" => dates::instant(
                            y as f64,
                            mo as f64,
                            d as f64,
                            h as f64,
                            a(0, mi),
                            a(1, sec),
                            a(2, ms),
                        ),
                        "setSeconds" => dates::instant(
                            y as f64,
                            mo as f64,
                            d as f64,
                            h as f64,
                            mi as f64,
                            a(0, sec),
                            a(1, ms),
                        ),
                        "setMilliseconds" => dates::instant(
                            y as f64,
                            mo as f64,
                            d as f64,
                            h as f64,
                            mi as f64,
                            sec as f64,
                            a(0, ms),
                        ),
                        _ => return None,
                    };
                    let new = if time.is_nan() && setter != "setTime" {
                        f64::NAN
                    } else {
                        new
                    };
                    t.set(new);
                    Value::Num(new)
                }
                _ => return None,
            },
        )
    }

    /// The first match of a regex value at or after byte `from`.
    pub(super) fn regex_match(
        &mut self,
        r: &RegExpValue<'a>,
        text: &str,
        from: usize,
        module: usize,
        offset: u32,
    ) -> Result<Option<regexp::Groups>, ()> {
        let re = &self.regexes[r.compiled as usize];
        match regexp::match_at(re, text, from, r.flags.sticky) {
            Ok(m) => Ok(m),
            Err(e) => {
                self.warn(
                    "unsupported-regex",
                    format!(
                        "the regex /{}/ could not run ({e}); its result is unknown",
                        r.source
                    ),
                    module,
                    offset,
                );
                Err(())
            }
        }
    }

    /// An `exec` / `match` result: the array of the match and its groups; an array-like
    /// object with `index`, `input` and `groups` when the regex names groups.
    pub(super) fn match_value(
        &mut self,
        r: &RegExpValue<'a>,
        text: &str,
        g: &regexp::Groups,
    ) -> Value<'a> {
        let items: Vec<Value<'a>> = g
            .iter()
            .map(|m| m.map_or(Value::Undef, |(a, b)| Value::str(self.alloc, &text[a..b])))
            .collect();
        let names = regexp::group_names(&self.regexes[r.compiled as usize]);
        if names.is_empty() {
            return self.arr(items);
        }
        let o = empty_obj(self.alloc);
        for (i, v) in items.iter().enumerate() {
            obj_set(&o, &i.to_string(), *v);
        }
        obj_set_key(&o, "length", Value::Num(items.len() as f64));
        let start = g[0].expect("group 0").0;
        obj_set_key(
            &o,
            "index",
            Value::Num(regexp::char_index(text, start) as f64),
        );
        obj_set_key(&o, "input", Value::str(self.alloc, text));
        let groups = empty_obj(self.alloc);
        for (name, i) in names {
            obj_set(
                &groups,
                &name,
                items.get(i).copied().unwrap_or(Value::Undef),
            );
        }
        obj_set_key(&o, "groups", Value::Obj(groups));
        Value::Obj(o)
    }

    /// `match`, `matchAll`, `replace`, `replaceAll`, `split`, `search` of a string with a
    /// regex argument.
    pub(super) fn string_regex_method(
        &mut self,
        s: &str,
        name: &str,
        r: &'a RegExpValue<'a>,
        args: &[Value<'a>],
        module: usize,
        offset: u32,
    ) -> R<Value<'a>> {
        let alloc = self.alloc;
        let ran_out = || Value::unknown(alloc, "the regex ran past its backtracking limit");
        let all = |this: &mut Self| {
            let re = &this.regexes[r.compiled as usize];
            regexp::all_matches(re, s, 1 << 16).ok()
        };
        Ok(match name {
            "search" => match self.regex_match(r, s, 0, module, offset) {
                Ok(Some(g)) => Value::Num(regexp::char_index(s, g[0].expect("group 0").0) as f64),
                Ok(None) => Value::Num(-1.0),
                Err(()) => ran_out(),
            },
            "match" if !r.flags.global => match self.regex_match(r, s, 0, module, offset) {
                Ok(Some(g)) => self.match_value(r, s, &g),
                Ok(None) => Value::Null,
                Err(()) => ran_out(),
            },
            "match" => match all(self) {
                Some(ms) if ms.is_empty() => Value::Null,
                Some(ms) => {
                    let items: Vec<Value<'a>> = ms
                        .iter()
                        .map(|g| {
                            let (a, b) = g[0].expect("group 0");
                            Value::str(alloc, &s[a..b])
                        })
                        .collect();
                    self.arr(items)
                }
                None => ran_out(),
            },
            "matchAll" => match all(self) {
                Some(ms) => {
                    let items: Vec<Value<'a>> =
                        ms.iter().map(|g| self.match_value(r, s, g)).collect();
                    self.arr(items)
                }
                None => ran_out(),
            },
            "replace" | "replaceAll" => {
                let ms = if r.flags.global {
                    all(self)
                } else {
                    self.regex_match(r, s, 0, module, offset)
                        .ok()
                        .map(|m| m.into_iter().collect())
                };
                let Some(ms) = ms else { return Ok(ran_out()) };
                let with = args.get(1).copied().unwrap_or(Value::Undef);
                let names = regexp::group_names(&self.regexes[r.compiled as usize]);
                let mut out = String::new();
                let mut last = 0;
                for g in &ms {
                    let (a, b) = g[0].expect("group 0");
                    out.push_str(&s[last..a]);
                    let piece = match &with {
                        Value::Func(_) | Value::Builtin(_) => {
                            let mut fargs: Vec<Value<'a>> = g
                                .iter()
                                .map(|m| {
                                    m.map_or(Value::Undef, |(x, y)| Value::str(alloc, &s[x..y]))
                                })
                                .collect();
                            fargs.push(Value::Num(regexp::char_index(s, a) as f64));
                            fargs.push(Value::str(alloc, s));
                            let v = self.call(&with, None, fargs, module, offset)?;
                            match v.to_display() {
                                Some(p) => p,
                                None => return Ok(unknown_from(alloc, &v, "replacement")),
                            }
                        }
                        other => match other.to_display() {
                            Some(p) => regexp::expand(&p, s, g, &names),
                            None => return Ok(unknown_from(alloc, other, "replacement")),
                        },
                    };
                    out.push_str(&piece);
                    last = b;
                }
                out.push_str(&s[last..]);
                self.check_len(out.len())?;
                Value::str(alloc, &out)
            }
            "split" => {
                let Some(ms) = all(self) else {
                    return Ok(ran_out());
                };
                let limit = args
                    .get(1)
                    .and_then(|l| l.to_num())
                    .filter(|n| *n >= 0.0)
                    .map_or(usize::MAX, |n| n as usize);
                let mut out = Vec::new();
                let mut last = 0;
                for g in &ms {
                    let (a, b) = g[0].expect("group 0");
                    if b == a && (a == 0 || a >= s.len()) {
                        continue;
                    }
                    out.push(Value::str(alloc, &s[last..a]));
                    for m in &g[1..] {
                        out.push(m.map_or(Value::Undef, |(x, y)| Value::str(alloc, &s[x..y])));
                    }
                    last = b;
                }
                out.push(Value::str(alloc, &s[last..]));
                out.truncate(limit);
                self.arr(out)
            }
            _ => Value::unknown(alloc, format!("`{name}` with a regex is not evaluated")),
        })
    }

    /// `new C(...args)` of a project class: an object with the class's methods and getters
    /// (its base classes' first), its fields, and what its constructor sets.
    pub(super) fn construct_class(
        &mut self,
        c: &'a ClassDef<'a>,
        args: Vec<Value<'a>>,
    ) -> R<Value<'a>> {
        let this = empty_obj(self.alloc);
        self.instances
            .insert(this as *const _ as usize, Value::Class(c));
        self.enter(c.name)?;
        let r = self
            .install_methods(c, this, 0)
            .and_then(|()| self.run_constructor(c, this, args));
        self.leave();
        r?;
        Ok(Value::Obj(this))
    }

    /// The base class a class extends, evaluated where the class was defined.
    pub(super) fn base_class(&mut self, c: &'a ClassDef<'a>) -> R<Option<Value<'a>>> {
        match &c.class.heritage {
            Some(h) => Ok(Some(self.eval(&c.env, &h.expression)?)),
            None => Ok(None),
        }
    }

    fn install_methods(&mut self, c: &'a ClassDef<'a>, this: Obj<'a>, depth: usize) -> R<()> {
        if depth > 32 {
            return Ok(());
        }
        if let Some(Value::Class(base)) = self.base_class(c)? {
            self.install_methods(base, this, depth + 1)?;
        }
        let this_v = Value::Obj(this);
        let env = child_env(self.alloc, &c.env, Some(this_v));
        for el in &c.class.body.body {
            let ClassElement::MethodDefinition(md) = el else {
                continue;
            };
            if md.r#static || md.kind == MethodDefinitionKind::Constructor {
                continue;
            }
            let Some(name) = class_key(&md.key) else {
                continue;
            };
            let name = self.js(name);
            let f = self.alloc.alloc(Closure {
                this: Some(this_v),
                ..Closure::new(FnNode::Func(&md.value), env, name)
            });
            match md.kind {
                MethodDefinitionKind::Get => obj_set_key(&this, name, Value::Getter(f)),
                MethodDefinitionKind::Set => {}
                _ => obj_set_key(&this, name, Value::Func(f)),
            }
        }
        Ok(())
    }

    /// Runs class `c`'s part of constructing `this`: its constructor (whose `super(...)` runs
    /// the base class's part, then this class's fields), or, without one, the base class's
    /// part and the fields.
    pub(super) fn run_constructor(
        &mut self,
        c: &'a ClassDef<'a>,
        this: Obj<'a>,
        args: Vec<Value<'a>>,
    ) -> R<()> {
        self.enter(c.name)?;
        let r = self.run_constructor_inner(c, this, args);
        self.leave();
        r
    }

    fn run_constructor_inner(
        &mut self,
        c: &'a ClassDef<'a>,
        this: Obj<'a>,
        args: Vec<Value<'a>>,
    ) -> R<()> {
        let this_v = Value::Obj(this);
        let base = self.base_class(c)?;
        let ctor = c.class.body.body.iter().find_map(|el| match el {
            ClassElement::MethodDefinition(md) if md.kind == MethodDefinitionKind::Constructor => {
                Some(&md.value)
            }
            _ => None,
        });
        let Some(ctor) = ctor else {
            self.construct_base(base, this, args)?;
            return self.init_fields(c, this);
        };
        if base.is_none() {
            self.init_fields(c, this)?;
        }
        let env = child_env(self.alloc, &c.env, Some(this_v));
        declare_b(&env, SUPER_CLASS, base.unwrap_or(Value::Undef));
        declare_b(&env, SUPER_FIELDS, Value::Class(c));
        self.bind_params(&env, &ctor.params, args)?;
        if let Some(body) = &ctor.body {
            self.run_body(&env, &body.statements)?;
        }
        Ok(())
    }

    /// `super(...args)` inside a constructor: the base class's part, then the fields.
    pub(super) fn super_call(&mut self, env: &Env<'a>, args: Vec<Value<'a>>) -> R<Value<'a>> {
        let this = match self.lookup_this(env) {
            Value::Obj(o) => o,
            _ => return Ok(Value::Undef),
        };
        let base = self.lookup_in(env, SUPER_CLASS);
        self.construct_base(base.filter(|b| !matches!(b, Value::Undef)), this, args)?;
        if let Some(Value::Class(c)) = self.lookup_in(env, SUPER_FIELDS) {
            self.init_fields(c, this)?;
        }
        Ok(Value::Undef)
    }

    fn construct_base(
        &mut self,
        base: Option<Value<'a>>,
        this: Obj<'a>,
        args: Vec<Value<'a>>,
    ) -> R<()> {
        match base {
            Some(Value::Class(b)) => self.run_constructor(b, this, args),
            Some(Value::Builtin(Builtin::Ctor(Ctor::Error(k)))) => {
                obj_set_key(&this, "name", Value::Str(ERROR_NAMES[k as usize]));
                let msg = args
                    .first()
                    .and_then(|m| m.to_display())
                    .unwrap_or_default();
                obj_set_key(&this, "message", Value::str(self.alloc, &msg));
                Ok(())
            }
            // `React.Component` and other package classes: their constructors set `props`.
            Some(Value::Ext(_)) => {
                if let Some(p) = args.first() {
                    obj_set_key(&this, "props", *p);
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    fn init_fields(&mut self, c: &'a ClassDef<'a>, this: Obj<'a>) -> R<()> {
        let env = child_env(self.alloc, &c.env, Some(Value::Obj(this)));
        for el in &c.class.body.body {
            if let ClassElement::PropertyDefinition(p) = el
                && !p.r#static
                && let Some(k) = class_key(&p.key)
            {
                let k = self.js(k);
                let v = match &p.value {
                    Some(v) => self.eval_named(&env, v, Some(k))?,
                    None => Value::Undef,
                };
                obj_set_key(&this, k, v);
            }
        }
        Ok(())
    }

    /// `l instanceof r`.
    pub(super) fn instance_of(&mut self, l: &Value<'a>, r: &Value<'a>) -> R<Value<'a>> {
        if let Value::Unknown(_) = r {
            return Ok(*r);
        }
        let made_by = match l {
            Value::Obj(o) => self.instances.get(&(*o as *const _ as usize)).copied(),
            Value::Unknown(_) => return Ok(*l),
            _ => None,
        };
        Ok(Value::Bool(match r {
            Value::Builtin(Builtin::Ctor(k)) => match (k, l) {
                (Ctor::Date, Value::Native(Native::Date(_)))
                | (Ctor::Map, Value::Native(Native::Map(_)))
                | (Ctor::Set, Value::Native(Native::Set(_)))
                | (Ctor::RegExp, Value::Native(Native::RegExp(_)))
                | (Ctor::Url, Value::Native(Native::Url(_)))
                | (Ctor::SearchParams, Value::Native(Native::SearchParams(_)))
                | (Ctor::NumberFormat, Value::Native(Native::NumberFormat(_)))
                | (Ctor::DateTimeFormat, Value::Native(Native::DateTimeFormat(_)))
                | (Ctor::Array, Value::Arr(_)) => true,
                (Ctor::Error(want), Value::Obj(_)) => {
                    let mut c = made_by;
                    let mut hops = 0;
                    loop {
                        match c {
                            Some(Value::Builtin(Builtin::Ctor(Ctor::Error(k)))) => {
                                break *want == 0 || k == *want;
                            }
                            Some(Value::Class(cd)) if hops < 32 => {
                                c = self.base_class(cd)?;
                                hops += 1;
                            }
                            _ => break false,
                        }
                    }
                }
                _ => false,
            },
            Value::Class(target) => {
                let mut c = made_by;
                let mut hops = 0;
                loop {
                    match c {
                        Some(Value::Class(cd)) if std::ptr::eq(cd, *target) => break true,
                        Some(Value::Class(cd)) if hops < 32 => {
                            c = self.base_class(cd)?;
                            hops += 1;
                        }
                        _ => break false,
                    }
                }
            }
            Value::Func(f) => matches!(made_by, Some(Value::Func(g)) if std::ptr::eq(*f, g)),
            Value::Ext(_) if matches!(l, Value::Obj(_)) && made_by.is_none() => {
                return Ok(Value::unknown(
                    self.alloc,
                    "`instanceof` a package's class is not known",
                ));
            }
            _ => false,
        }))
    }
}

/// Hidden bindings of a constructor's scope: the class it extends, and the class whose fields
/// `super(...)` initializes.
const SUPER_CLASS: &str = "\0super";
const SUPER_FIELDS: &str = "\0fields";

/// The name of a class member (`#x` for private ones).
fn class_key<'a>(k: &PropertyKey<'a>) -> Option<std::borrow::Cow<'a, str>> {
    match k {
        PropertyKey::PrivateIdentifier(p) => Some(format!("#{}", p.name).into()),
        k => k.static_name(),
    }
}
