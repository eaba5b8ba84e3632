//! Runtime values of the constant evaluator.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use oxc::ast::ast::{ArrowFunctionExpression, Class, Function, TemplateLiteral};

pub(crate) use crate::fnv::FnvBuild;

/// An immutable string of the evaluator: borrowed from the sources (the arena, or static
/// text) without allocating, or shared when computed.
#[derive(Clone)]
pub(crate) enum JsStr<'a> {
    Borrowed(&'a str),
    Shared(Rc<str>),
}

impl<'a> JsStr<'a> {
    /// A computed string (copied once into a shared allocation).
    pub fn owned(s: &str) -> Self {
        JsStr::Shared(s.into())
    }
}

impl std::ops::Deref for JsStr<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        match self {
            JsStr::Borrowed(s) => s,
            JsStr::Shared(s) => s,
        }
    }
}

impl<'a> From<&'a str> for JsStr<'a> {
    fn from(s: &'a str) -> Self {
        JsStr::Borrowed(s)
    }
}

impl From<String> for JsStr<'_> {
    fn from(s: String) -> Self {
        JsStr::Shared(s.into())
    }
}

/// Borrowed when the source spells the string out, shared when it was computed.
impl<'a> From<std::borrow::Cow<'a, str>> for JsStr<'a> {
    fn from(s: std::borrow::Cow<'a, str>) -> Self {
        match s {
            std::borrow::Cow::Borrowed(s) => JsStr::Borrowed(s),
            std::borrow::Cow::Owned(s) => JsStr::from(s),
        }
    }
}

impl From<Rc<str>> for JsStr<'_> {
    fn from(s: Rc<str>) -> Self {
        JsStr::Shared(s)
    }
}

impl PartialEq for JsStr<'_> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl Eq for JsStr<'_> {}

impl std::hash::Hash for JsStr<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        (**self).hash(state)
    }
}

impl std::borrow::Borrow<str> for JsStr<'_> {
    fn borrow(&self) -> &str {
        self
    }
}

impl std::fmt::Display for JsStr<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self)
    }
}

impl std::fmt::Debug for JsStr<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&**self, f)
    }
}

/// `a == b` for the short names the evaluator compares all the time (identifiers, property
/// keys): lengths first, then short strings byte by byte inline, where a `memcmp` call would
/// cost more than the comparison.
#[inline]
pub(crate) fn same_str(a: &str, b: &str) -> bool {
    if a.len() != b.len() {
        return false;
    }
    if a.len() > 16 {
        return a == b;
    }
    a.bytes().zip(b.bytes()).all(|(x, y)| x == y)
}

/// The entries of a JS object in insertion order. Lookups scan them, except in objects with
/// many entries (style sheets, theme palettes, translation tables), which get a hashed index
/// on their first lookup; any change made through `DerefMut` drops it.
#[derive(Default, Clone)]
pub(crate) struct ObjEntries<'a> {
    list: Vec<(JsStr<'a>, Value<'a>)>,
    index: std::cell::OnceCell<HashMap<JsStr<'a>, u32, FnvBuild>>,
}

impl<'a> ObjEntries<'a> {
    /// Objects up to this size are scanned.
    const INDEXED_FROM: usize = 12;

    /// Where `key` is (its last occurrence).
    fn position(&self, key: &str) -> Option<usize> {
        if self.list.len() < Self::INDEXED_FROM {
            return self.list.iter().rposition(|(k, _)| same_str(k, key));
        }
        let index = self.index.get_or_init(|| index_of(&self.list));
        index.get(key).map(|&i| i as usize)
    }

    /// Appends `key`, known to be absent, keeping the index.
    #[inline(always)]
    fn append(&mut self, key: JsStr<'a>, v: Value<'a>) {
        if let Some(ix) = self.index.get_mut() {
            ix.insert(key.clone(), self.list.len() as u32);
        }
        self.list.push((key, v));
    }

    #[inline]
    pub fn get(&self, key: &str) -> Option<&Value<'a>> {
        self.position(key).map(|i| &self.list[i].1)
    }

    /// Sets `key` (in place when present, appended otherwise), keeping the index. Object
    /// literals are built by setting their keys in turn: that scans (building an index only
    /// for a very large object), so objects that are never looked up are never indexed.
    #[inline]
    pub fn set(&mut self, key: JsStr<'a>, v: Value<'a>) {
        let found = if self.index.get().is_none() && self.list.len() < 4 * Self::INDEXED_FROM {
            self.list.iter().rposition(|(k, _)| same_str(k, &key))
        } else {
            self.position(&key)
        };
        match found {
            Some(i) => self.list[i].1 = v,
            None => self.append(key, v),
        }
    }
}

/// Name -> position of a binding list (a later duplicate wins, as in a scan from the end).
fn index_of<'a>(list: &[(JsStr<'a>, Value<'a>)]) -> HashMap<JsStr<'a>, u32, FnvBuild> {
    let mut ix = HashMap::with_capacity_and_hasher(list.len() * 2, FnvBuild);
    for (i, (k, _)) in list.iter().enumerate() {
        ix.insert(k.clone(), i as u32);
    }
    ix
}

impl<'a> std::ops::Deref for ObjEntries<'a> {
    type Target = Vec<(JsStr<'a>, Value<'a>)>;
    fn deref(&self) -> &Self::Target {
        &self.list
    }
}

impl std::ops::DerefMut for ObjEntries<'_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        self.index.take();
        &mut self.list
    }
}

impl<'a> IntoIterator for ObjEntries<'a> {
    type Item = (JsStr<'a>, Value<'a>);
    type IntoIter = std::vec::IntoIter<Self::Item>;
    fn into_iter(self) -> Self::IntoIter {
        self.list.into_iter()
    }
}

impl<'a> From<Vec<(JsStr<'a>, Value<'a>)>> for ObjEntries<'a> {
    fn from(list: Vec<(JsStr<'a>, Value<'a>)>) -> Self {
        ObjEntries {
            list,
            index: Default::default(),
        }
    }
}

/// A mutable JS object (insertion-ordered).
pub(crate) type Obj<'a> = Rc<RefCell<ObjEntries<'a>>>;

/// A new object with these entries.
pub(crate) fn obj_of<'a>(entries: Vec<(JsStr<'a>, Value<'a>)>) -> Obj<'a> {
    Rc::new(RefCell::new(entries.into()))
}

pub(crate) fn new_obj<'a>(entries: Vec<(JsStr<'a>, Value<'a>)>) -> Value<'a> {
    Value::Obj(obj_of(entries))
}

pub(crate) fn obj_get<'a>(o: &Obj<'a>, key: &str) -> Option<Value<'a>> {
    o.borrow().get(key).cloned()
}

pub(crate) fn obj_set<'a>(o: &Obj<'a>, key: &str, v: Value<'a>) {
    let mut b = o.borrow_mut();
    match b.position(key) {
        Some(i) => b.list[i].1 = v,
        None => b.append(JsStr::owned(key), v),
    }
}

/// [`obj_set`] with a key that is already a [`JsStr`] (no copy when it is new). Inlined, so
/// that a value computed for an object literal goes straight into the object's list.
#[inline(always)]
pub(crate) fn obj_set_key<'a>(o: &Obj<'a>, key: JsStr<'a>, v: Value<'a>) {
    o.borrow_mut().set(key, v);
}

#[derive(Clone, Copy)]
pub(crate) enum FnNode<'a> {
    Func(&'a Function<'a>),
    Arrow(&'a ArrowFunctionExpression<'a>),
}

pub(crate) struct Closure<'a> {
    pub node: FnNode<'a>,
    pub env: Env<'a>,
    /// `this` bound for methods of class instances.
    pub this: Option<Value<'a>>,
    pub name: JsStr<'a>,
    /// Static members assigned later (`Comp.defaultProps = ...`), created on the first one.
    pub statics: std::cell::OnceCell<Obj<'a>>,
}

impl<'a> Closure<'a> {
    /// A closure without `this` or statics.
    pub fn new(node: FnNode<'a>, env: Env<'a>, name: JsStr<'a>) -> Self {
        Closure {
            node,
            env,
            this: None,
            name,
            statics: Default::default(),
        }
    }

    /// The static members' object, created on first use.
    pub fn statics_mut(&self) -> &Obj<'a> {
        self.statics.get_or_init(Default::default)
    }

    /// A static member, when set.
    pub fn static_member(&self, key: &str) -> Option<Value<'a>> {
        self.statics.get().and_then(|s| obj_get(s, key))
    }
}

pub(crate) struct ClassDef<'a> {
    pub class: &'a Class<'a>,
    pub env: Env<'a>,
    pub name: Rc<str>,
    pub statics: Obj<'a>,
}

impl<'a> ClassDef<'a> {
    /// A static member, when set.
    pub fn static_member(&self, key: &str) -> Option<Value<'a>> {
        obj_get(&self.statics, key)
    }
}

pub(crate) struct Elem<'a> {
    pub ty: Value<'a>,
    /// Props, `children` included.
    pub props: Obj<'a>,
    pub module: usize,
    pub offset: u32,
}

/// A styled-components / emotion component or `css` fragment.
pub(crate) struct StyledDef<'a> {
    pub base: Value<'a>,
    pub attrs: Option<Value<'a>>,
    pub quasi: Option<&'a TemplateLiteral<'a>>,
    /// Object-style definition: `styled.View({ ... })` or `styled.View(props => ({...}))`.
    pub object: Option<Value<'a>>,
    pub env: Env<'a>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Builtin {
    Identity,
    /// A higher-order-component factory (`connect(...)`, `withTranslation()`): returns `Identity`.
    HocFactory,
    Noop,
    CallArg0,
    StyleSheetCreate,
    StyleSheetFlatten,
    PlatformSelect,
    DimensionsGet,
    PixelRatioGet,
    UseWindowDimensions,
    UseColorScheme,
    UseColorSchemeObj,
    UseState,
    UseReducer,
    UseMemo,
    UseRef,
    UseSharedValue,
    FontsLoaded,
    CreateElement,
    UseContext,
    CreateContext,
    UseSafeAreaInsets,
    UseNavigation,
    UseRouter,
    UseRoute,
    UseParams,
    UseNavTheme,
    UseStyledTheme,
    UseTranslation,
    Translate,
    ClassNames,
    AnimatedValue,
    CreateNavigator,
    Styled,
    Css,
    ObjectKeys,
    ObjectValues,
    ObjectEntries,
    ObjectAssign,
    ArrayIsArray,
    ArrayFrom,
    Math(MathFn),
    ToNumber,
    ToString,
    ToBoolean,
    ParseFloat,
    Require,
    True,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum MathFn {
    Min,
    Max,
    Round,
    Floor,
    Ceil,
    Abs,
    Pow,
    Sqrt,
}

pub(crate) enum Value<'a> {
    Undef,
    Null,
    Bool(bool),
    Num(f64),
    Str(JsStr<'a>),
    Arr(Rc<Vec<Value<'a>>>),
    Obj(Obj<'a>),
    Func(Rc<Closure<'a>>),
    Class(Rc<ClassDef<'a>>),
    /// A core (or plainly-a-view library) component, by Layout JSON node type.
    Host(&'static str),
    /// A third-party export whose code is not provided: (package, name), behind one pointer
    /// to keep every value small.
    Ext(Rc<(Rc<str>, Rc<str>)>),
    Builtin(Builtin),
    Elem(Rc<Elem<'a>>),
    /// A React context: (id, default value).
    Ctx(usize, Rc<Value<'a>>),
    Provider(usize),
    Consumer(usize),
    Fragment,
    Styled(Rc<StyledDef<'a>>),
    /// `styled.View` / `styled(Comp)` before the template: (base, attrs).
    StyledFactory(Rc<(Value<'a>, Option<Value<'a>>)>),
    /// `require('./img.png')` / `import img from './img.png'`.
    Asset(Rc<str>),
    /// An import binding resolved on first use: (module, export name).
    Lazy(u32, Rc<str>),
    /// A value the evaluator cannot know, with the reason.
    Unknown(Rc<str>),
}

impl Clone for Value<'_> {
    #[inline(always)]
    fn clone(&self) -> Self {
        self.retain();
        // SAFETY: every field of every variant is either `Copy` or an `Rc` whose strong count
        // `retain` has just raised by one, so the bitwise copy is a second owner of exactly
        // what it holds.
        unsafe { std::ptr::read(self) }
    }
}

impl Value<'_> {
    /// Raises the reference count of what this value shares by one (the owned half of
    /// [`Clone`]).
    #[inline(always)]
    fn retain(&self) {
        match self {
            Value::Undef
            | Value::Null
            | Value::Bool(_)
            | Value::Num(_)
            | Value::Host(_)
            | Value::Builtin(_)
            | Value::Provider(_)
            | Value::Consumer(_)
            | Value::Fragment
            | Value::Str(JsStr::Borrowed(_)) => {}
            Value::Str(JsStr::Shared(s)) => std::mem::forget(s.clone()),
            Value::Arr(a) => std::mem::forget(a.clone()),
            Value::Obj(o) => std::mem::forget(o.clone()),
            Value::Func(f) => std::mem::forget(f.clone()),
            Value::Class(c) => std::mem::forget(c.clone()),
            Value::Ext(x) => std::mem::forget(x.clone()),
            Value::Elem(e) => std::mem::forget(e.clone()),
            Value::Ctx(_, v) => std::mem::forget(v.clone()),
            Value::Styled(s) => std::mem::forget(s.clone()),
            Value::StyledFactory(f) => std::mem::forget(f.clone()),
            Value::Asset(a) | Value::Lazy(_, a) | Value::Unknown(a) => std::mem::forget(a.clone()),
        }
    }
}

impl<'a> Value<'a> {
    pub fn unknown(reason: impl Into<String>) -> Self {
        Value::Unknown(reason.into().into())
    }

    /// A third-party export whose code is not provided.
    pub fn ext(package: impl Into<Rc<str>>, name: impl Into<Rc<str>>) -> Self {
        Value::Ext(Rc::new((package.into(), name.into())))
    }

    pub fn str(s: &str) -> Self {
        Value::Str(JsStr::owned(s))
    }

    /// A string borrowed from the sources (no allocation).
    pub fn borrowed(s: &'a str) -> Self {
        Value::Str(JsStr::Borrowed(s))
    }

    /// JS truthiness; `None` when unknown.
    pub fn truthy(&self) -> Option<bool> {
        Some(match self {
            Value::Undef | Value::Null => false,
            Value::Bool(b) => *b,
            Value::Num(n) => *n != 0.0 && !n.is_nan(),
            Value::Str(s) => !s.is_empty(),
            // A third-party export's value is not known (`Device.isDevice`, `Config.FLAG`).
            Value::Unknown(_) | Value::Lazy(..) | Value::Ext(..) => return None,
            _ => true,
        })
    }

    pub fn is_nullish(&self) -> bool {
        matches!(self, Value::Undef | Value::Null)
    }

    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Undef => "undefined",
            Value::Null => "object",
            Value::Bool(_) => "boolean",
            Value::Num(_) => "number",
            Value::Str(_) => "string",
            Value::Func(_) | Value::Class(_) | Value::Builtin(_) => "function",
            _ => "object",
        }
    }

    /// JS `String(v)` for primitives.
    pub fn to_display(&self) -> Option<String> {
        Some(match self {
            Value::Undef => "undefined".into(),
            Value::Null => "null".into(),
            Value::Bool(b) => b.to_string(),
            Value::Num(n) => fmt_num(*n),
            Value::Str(s) => String::from(&**s),
            Value::Arr(items) => {
                let parts: Option<Vec<String>> = items
                    .iter()
                    .map(|v| {
                        if v.is_nullish() {
                            Some(String::new())
                        } else {
                            v.to_display()
                        }
                    })
                    .collect();
                parts?.join(",")
            }
            _ => return None,
        })
    }

    pub fn to_num(&self) -> Option<f64> {
        match self {
            Value::Num(n) => Some(*n),
            Value::Bool(b) => Some(if *b { 1.0 } else { 0.0 }),
            Value::Null => Some(0.0),
            Value::Undef => Some(f64::NAN),
            Value::Str(s) => {
                let t = s.trim();
                if t.is_empty() {
                    Some(0.0)
                } else {
                    Some(t.parse().unwrap_or(f64::NAN))
                }
            }
            _ => None,
        }
    }

    /// Converts a fully known value to JSON; the error says what was not known.
    pub fn to_json(&self) -> Result<serde_json::Value, String> {
        use serde_json::Value as J;
        Ok(match self {
            Value::Undef | Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Num(n) => num_json(*n),
            Value::Str(s) => J::String(String::from(&**s)),
            Value::Arr(items) => {
                J::Array(items.iter().map(Value::to_json).collect::<Result<_, _>>()?)
            }
            Value::Obj(o) => {
                let mut m = serde_json::Map::new();
                for (k, v) in o.borrow().iter() {
                    if matches!(v, Value::Undef) {
                        continue;
                    }
                    m.insert(String::from(&**k), v.to_json()?);
                }
                J::Object(m)
            }
            Value::Unknown(r) => return Err(r.to_string()),
            Value::Asset(p) => J::String(p.to_string()),
            other => return Err(format!("a {} is not a plain value", other.type_name())),
        })
    }
}

pub(crate) fn num_json(n: f64) -> serde_json::Value {
    if n.is_finite() && n.fract() == 0.0 && n.abs() < 1e15 {
        serde_json::Value::from(n as i64)
    } else if n.is_finite() {
        serde_json::Value::from((n * 1e6).round() / 1e6)
    } else {
        serde_json::Value::Null
    }
}

pub(crate) fn fmt_num(n: f64) -> String {
    if n.is_nan() {
        "NaN".into()
    } else if n.fract() == 0.0 && n.abs() < 1e21 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// The bindings of a scope: a list scanned by name (most scopes hold a few), with a hashed
/// index once it grows past [`Vars::INDEXED_FROM`] (module scopes of big files).
#[derive(Default)]
pub(crate) struct Vars<'a> {
    list: Vec<(JsStr<'a>, Value<'a>)>,
    index: Option<HashMap<JsStr<'a>, u32, FnvBuild>>,
    /// The union of the bound names' [`name_bit`]s: a name whose bit is not set is not bound
    /// here, so most scopes on the way to a module-level name are passed without a scan.
    names: u64,
}

/// A one-bit summary of a name (from its length and first and last bytes) for [`Vars`].
#[inline]
pub(crate) fn name_bit(name: &str) -> u64 {
    let b = name.as_bytes();
    let (first, last) = (
        b.first().copied().unwrap_or(0),
        b.last().copied().unwrap_or(0),
    );
    1 << ((b.len() as u32 * 7 + u32::from(first) * 3 + u32::from(last)) % 64)
}

impl<'a> Vars<'a> {
    const INDEXED_FROM: usize = 12;

    fn position(&self, name: &str) -> Option<usize> {
        self.position_with(name, name_bit(name))
    }

    /// [`Vars::position`] with `name`'s [`name_bit`] already computed.
    #[inline]
    fn position_with(&self, name: &str, bit: u64) -> Option<usize> {
        if self.names & bit == 0 {
            return None;
        }
        match &self.index {
            Some(ix) => ix.get(name).map(|&i| i as usize),
            None => self.list.iter().position(|(k, _)| same_str(k, name)),
        }
    }

    /// [`Vars::get`] with `name`'s [`name_bit`] already computed (a lookup through a chain
    /// of scopes computes it once).
    #[inline]
    pub fn get_with(&self, name: &str, bit: u64) -> Option<&Value<'a>> {
        self.position_with(name, bit).map(|i| &self.list[i].1)
    }

    pub fn contains_key(&self, name: &str) -> bool {
        self.position(name).is_some()
    }

    /// Binds `name` (replacing an earlier binding of the same name).
    pub fn insert(&mut self, name: JsStr<'a>, v: Value<'a>) {
        let bit = name_bit(&name);
        if let Some(i) = self.position_with(&name, bit) {
            self.list[i].1 = v;
            return;
        }
        self.names |= bit;
        if let Some(ix) = &mut self.index {
            ix.insert(name.clone(), self.list.len() as u32);
        }
        self.list.push((name, v));
        if self.index.is_none() && self.list.len() == Self::INDEXED_FROM {
            self.index = Some(index_of(&self.list));
        }
    }
}

/// A lexical scope.
pub(crate) struct Scope<'a> {
    pub vars: RefCell<Vars<'a>>,
    pub parent: Option<Env<'a>>,
    pub module: usize,
    /// `Some` in function scopes that bind `this`.
    pub this: Option<Value<'a>>,
}

pub(crate) type Env<'a> = Rc<Scope<'a>>;

pub(crate) fn child_env<'a>(parent: &Env<'a>, this: Option<Value<'a>>) -> Env<'a> {
    Rc::new(Scope {
        vars: RefCell::default(),
        parent: Some(parent.clone()),
        module: parent.module,
        this,
    })
}

pub(crate) fn declare<'a>(env: &Env<'a>, name: &str, v: Value<'a>) {
    env.vars.borrow_mut().insert(JsStr::owned(name), v);
}

/// [`declare`] with a name borrowed from the sources (no allocation).
pub(crate) fn declare_b<'a>(env: &Env<'a>, name: &'a str, v: Value<'a>) {
    env.vars.borrow_mut().insert(JsStr::Borrowed(name), v);
}

// Values are moved and copied all the time: keep them at four words.
const _: () = assert!(std::mem::size_of::<Value<'static>>() <= 32);
