//! Runtime values of the constant evaluator.
//!
//! Every value, object, array, scope and closure of a compile lives in the compile's arena
//! (the `oxc` allocator that also holds the ASTs): values are `Copy`, nothing is reference
//! counted and nothing is freed one by one; the whole arena goes when the compile ends.

use std::cell::{OnceCell, RefCell};

use oxc::allocator::{Allocator, HashMap as ArenaMap, Vec as ArenaVec};
use oxc::ast::ast::{ArrowFunctionExpression, Class, Function, TemplateLiteral};

pub(crate) use crate::fnv::FnvBuild;

/// A string of the evaluator: borrowed from the sources, static, or computed into the arena.
pub(crate) type JsStr<'a> = &'a str;

pub(crate) use crate::style::same_str;

/// The entries of a JS object in insertion order. Lookups scan them, except in objects with
/// many entries (style sheets, theme palettes, translation tables), which get a hashed index
/// on their first lookup; any change made through `DerefMut` drops it.
pub(crate) struct ObjEntries<'a> {
    list: ArenaVec<'a, (JsStr<'a>, Value<'a>)>,
    index: OnceCell<ArenaMap<'a, JsStr<'a>, u32, FnvBuild>>,
    alloc: &'a Allocator,
    /// For the props of a component a package wrapper gives props to: why a prop that is not
    /// here is unknown (read as that unknown, not `undefined`).
    pub missing: Option<&'a str>,
}

impl<'a> ObjEntries<'a> {
    /// Objects up to this size are scanned.
    const INDEXED_FROM: usize = 12;

    /// No entries, room for `capacity`.
    pub fn with_capacity(alloc: &'a Allocator, capacity: usize) -> Self {
        ObjEntries {
            list: ArenaVec::with_capacity_in(capacity, &alloc),
            index: OnceCell::new(),
            alloc,
            missing: None,
        }
    }

    /// Where `key` is (its last occurrence).
    fn position(&self, key: &str) -> Option<usize> {
        if self.list.len() < Self::INDEXED_FROM {
            return self.list.iter().rposition(|(k, _)| same_str(k, key));
        }
        let index = self.index.get_or_init(|| index_of(self.alloc, &self.list));
        index.get(key).map(|&i| i as usize)
    }

    /// Appends `key`, known to be absent, keeping the index.
    #[inline(always)]
    fn append(&mut self, key: JsStr<'a>, v: Value<'a>) {
        if let Some(ix) = self.index.get_mut() {
            ix.insert(key, self.list.len() as u32);
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
            self.list.iter().rposition(|(k, _)| same_str(k, key))
        } else {
            self.position(key)
        };
        match found {
            Some(i) => self.list[i].1 = v,
            None => self.append(key, v),
        }
    }

    /// Removes `key` (JS `delete`).
    pub fn remove(&mut self, key: &str) {
        if self.position(key).is_some() {
            self.index.take();
            self.list.retain(|(k, _)| !same_str(k, key));
        }
    }

    /// The entries, copied out (values are `Copy`), for iterating while the object may change.
    pub fn to_vec(&self) -> Vec<(JsStr<'a>, Value<'a>)> {
        self.list.to_vec()
    }
}

/// Name -> position of a binding list (a later duplicate wins, as in a scan from the end).
fn index_of<'a>(
    alloc: &'a Allocator,
    list: &[(JsStr<'a>, Value<'a>)],
) -> ArenaMap<'a, JsStr<'a>, u32, FnvBuild> {
    let mut ix = ArenaMap::with_capacity_and_hasher_in(list.len() * 2, FnvBuild, alloc);
    for (i, (k, _)) in list.iter().enumerate() {
        ix.insert(*k, i as u32);
    }
    ix
}

impl<'a> std::ops::Deref for ObjEntries<'a> {
    type Target = [(JsStr<'a>, Value<'a>)];
    fn deref(&self) -> &Self::Target {
        &self.list
    }
}

impl<'a> std::ops::DerefMut for ObjEntries<'a> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        self.index.take();
        &mut self.list
    }
}

/// A mutable JS object (insertion-ordered).
pub(crate) type Obj<'a> = &'a RefCell<ObjEntries<'a>>;

/// A new object with these entries.
pub(crate) fn obj_of<'a>(
    alloc: &'a Allocator,
    entries: impl IntoIterator<Item = (JsStr<'a>, Value<'a>)>,
) -> Obj<'a> {
    let entries = entries.into_iter();
    let mut o = ObjEntries::with_capacity(alloc, entries.size_hint().0);
    o.list.extend(entries);
    alloc.alloc(RefCell::new(o))
}

pub(crate) fn new_obj<'a>(
    alloc: &'a Allocator,
    entries: impl IntoIterator<Item = (JsStr<'a>, Value<'a>)>,
) -> Value<'a> {
    Value::Obj(obj_of(alloc, entries))
}

/// An empty object.
pub(crate) fn empty_obj<'a>(alloc: &'a Allocator) -> Obj<'a> {
    obj_of(alloc, [])
}

pub(crate) fn obj_get<'a>(o: &Obj<'a>, key: &str) -> Option<Value<'a>> {
    o.borrow().get(key).copied()
}

/// Sets `key` of `o` (a key not in the arena yet is copied into it when it is new).
pub(crate) fn obj_set<'a>(o: &Obj<'a>, key: &str, v: Value<'a>) {
    let mut b = o.borrow_mut();
    match b.position(key) {
        Some(i) => b.list[i].1 = v,
        None => {
            let key = b.alloc.alloc_str(key);
            b.append(key, v)
        }
    }
}

/// [`obj_set`] with a key that already lives long enough. Inlined, so that a value computed
/// for an object literal goes straight into the object's list.
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
    pub statics: OnceCell<Obj<'a>>,
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
    pub fn statics_mut(&self, alloc: &'a Allocator) -> Obj<'a> {
        self.statics.get_or_init(|| empty_obj(alloc))
    }

    /// A static member, when set.
    pub fn static_member(&self, key: &str) -> Option<Value<'a>> {
        self.statics.get().and_then(|s| obj_get(s, key))
    }
}

pub(crate) struct ClassDef<'a> {
    pub class: &'a Class<'a>,
    pub env: Env<'a>,
    pub name: &'a str,
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
    /// `Font.loadAsync({Family: require('./f.ttf')})`: records the families, resolves to nothing.
    LoadFonts,
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
    /// UI Kitten's `useTheme()`: the Eva light theme of the library table.
    KittenTheme,
    /// UI Kitten's `useStyleSheet(styles)`: theme keys in the styles resolved.
    KittenStyleSheet,
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
    /// `Object.defineProperty(obj, key, {value | get})`.
    DefineProperty,
    /// `Object.prototype.hasOwnProperty` (called through `.call(obj, key)`).
    HasOwnProperty,
    /// Babel's `_interopRequireDefault(m)`: `m` when it is an ES module, else `{default: m}`.
    InteropDefault,
    /// Babel's `_interopRequireWildcard(m)`: `m` when it is an ES module (or a package
    /// namespace), else its keys plus `default: m`.
    InteropWildcard,
    /// Babel's `_objectWithoutProperties(obj, keys)` / tslib's `__rest`: a copy without `keys`.
    ObjectWithoutProperties,
    /// Babel's `_defineProperty(obj, key, value)`: sets and returns `obj`.
    DefinePropertyHelper,
    /// `jsx(type, props, key)` / `jsxs` / `jsxDEV` of `react/jsx-runtime`: an element.
    Jsx,
    /// Babel's `_createClass(C, protoProps, staticProps)`: the methods go on `C.prototype`,
    /// which makes a function a class component (ES5 builds).
    CreateClass,
    /// Babel's `_getPrototypeOf(C)`: a super constructor that sets nothing
    /// (`_getPrototypeOf(C).call(this, props)`).
    GetPrototypeOf,
    /// `I18nManager.getConstants()`: left to right.
    I18nConstants,
    /// `useSafeAreaFrame()` of react-native-safe-area-context: the window.
    UseSafeAreaFrame,
    /// A built-in constructor (`Date`, `Map`, `URL`, `Intl.NumberFormat`, `Error`, ...).
    Ctor(super::natives::Ctor),
    /// `Date.now()`: the preview's instant.
    DateNow,
    /// `Date.parse(s)`.
    DateParse,
    /// `Date.UTC(y, m, ...)`.
    DateUtc,
    /// `JSON.stringify(v)` (without a replacer or indentation).
    JsonStringify,
    /// `JSON.parse(s)`.
    JsonParse,
    /// `Number.isInteger` / `isFinite` / `isNaN` / `isSafeInteger`.
    NumberIs(NumberTest),
    /// `Array.of(...)`.
    ArrayOf,
    /// `Object.fromEntries(entries)`.
    ObjectFromEntries,
    /// A `returns` export of the facts table (by index).
    Fact(u16),
    /// A behaviour the facts table names.
    Lib(super::facts::LibFn),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NumberTest {
    Integer,
    Finite,
    NaN,
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

/// Deepest nesting of arrays and objects that conversions follow (`String(v)`, JSON):
/// deeper values are unknown ([`TOO_DEEP`]). Programs build values of any depth from shallow
/// lines (`const a2 = [a1];`) and objects can hold themselves, while real props and styles
/// nest a few levels; the output's JSON stays shallow enough for the passes that recurse on it.
pub(crate) const MAX_VALUE_DEPTH: usize = 64;

/// Why a value deeper than [`MAX_VALUE_DEPTH`] is unknown.
pub(crate) const TOO_DEEP: &str =
    "a value nested too deeply (more than 64 levels of arrays and objects)";

#[derive(Clone, Copy)]
pub(crate) enum Value<'a> {
    Undef,
    Null,
    Bool(bool),
    Num(f64),
    Str(JsStr<'a>),
    Arr(&'a [Value<'a>]),
    Obj(Obj<'a>),
    Func(&'a Closure<'a>),
    Class(&'a ClassDef<'a>),
    /// A core (or plainly-a-view library) component, by Layout JSON node type.
    Host(&'static str),
    /// A third-party export whose code is not provided: (package, name).
    Ext(&'a (&'a str, &'a str)),
    Builtin(Builtin),
    Elem(&'a Elem<'a>),
    /// A React context: (id, default value).
    Ctx(usize, &'a Value<'a>),
    Provider(usize),
    Consumer(usize),
    Fragment,
    Styled(&'a StyledDef<'a>),
    /// `styled.View` / `styled(Comp)` before the template: (base, attrs).
    StyledFactory(&'a (Value<'a>, Option<Value<'a>>)),
    /// `require('./img.png')` / `import img from './img.png'`.
    Asset(&'a str),
    /// An import binding resolved on first use: (module, export name).
    Lazy(u32, &'a str),
    /// A property defined with a getter (`Object.defineProperty(exports, 'Card', {get})`, as
    /// Babel writes re-exports): called when the property is read.
    Getter(&'a Closure<'a>),
    /// An object of a JavaScript built-in made with `new` (a `Date`, `Map`, regex, ...).
    Native(&'a super::natives::Native<'a>),
    /// A value the evaluator cannot know, with the reason.
    Unknown(&'a str),
}

// Conversions take `&self`: values are read in place from objects and scopes.
#[allow(clippy::wrong_self_convention)]
impl<'a> Value<'a> {
    /// An unknown value, with a reason computed at run time (copied into the arena).
    pub fn unknown(alloc: &'a Allocator, reason: impl AsRef<str>) -> Self {
        Value::Unknown(alloc.alloc_str(reason.as_ref()))
    }

    /// A third-party export whose code is not provided.
    pub fn ext(alloc: &'a Allocator, package: &str, name: &str) -> Self {
        Value::Ext(alloc.alloc((alloc.alloc_str(package), alloc.alloc_str(name))))
    }

    /// An array with these items (copied into the arena).
    pub fn arr(alloc: &'a Allocator, items: &[Value<'a>]) -> Self {
        Value::Arr(alloc.alloc_slice_copy(items))
    }

    /// A computed string (copied into the arena).
    pub fn str(alloc: &'a Allocator, s: &str) -> Self {
        Value::Str(alloc.alloc_str(s))
    }

    /// A string that already lives as long as the compile (sources, static text).
    pub fn borrowed(s: &'a str) -> Self {
        Value::Str(s)
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
            Value::Native(super::natives::Native::Bound(..)) => "function",
            _ => "object",
        }
    }

    /// JS `String(v)` for primitives (and arrays of them); `None` for anything else.
    pub fn to_display(&self) -> Option<String> {
        self.to_display_within(MAX_VALUE_DEPTH)
    }

    fn to_display_within(&self, depth: usize) -> Option<String> {
        Some(match self {
            Value::Undef => "undefined".into(),
            Value::Null => "null".into(),
            Value::Bool(b) => b.to_string(),
            Value::Num(n) => fmt_num(*n),
            Value::Str(s) => String::from(&**s),
            Value::Native(n) => return n.to_display(),
            Value::Arr(_) if depth == 0 => return None,
            Value::Arr(items) => {
                let parts: Option<Vec<String>> = items
                    .iter()
                    .map(|v| {
                        if v.is_nullish() {
                            Some(String::new())
                        } else {
                            v.to_display_within(depth - 1)
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
            Value::Native(n) => n.to_num(),
            _ => None,
        }
    }

    /// Converts a fully known value to JSON; the error says what was not known.
    pub fn to_json(&self) -> Result<serde_json::Value, String> {
        self.to_json_within(MAX_VALUE_DEPTH)
    }

    fn to_json_within(&self, depth: usize) -> Result<serde_json::Value, String> {
        use serde_json::Value as J;
        Ok(match self {
            Value::Undef | Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Num(n) => num_json(*n),
            Value::Str(s) => J::String(String::from(&**s)),
            Value::Arr(_) | Value::Obj(_) if depth == 0 => return Err(TOO_DEEP.into()),
            Value::Arr(items) => J::Array(
                items
                    .iter()
                    .map(|v| v.to_json_within(depth - 1))
                    .collect::<Result<_, _>>()?,
            ),
            Value::Obj(o) => {
                let mut m = serde_json::Map::new();
                for (k, v) in o.borrow().iter() {
                    if matches!(v, Value::Undef) {
                        continue;
                    }
                    m.insert(String::from(&**k), v.to_json_within(depth - 1)?);
                }
                J::Object(m)
            }
            Value::Unknown(r) => return Err(r.to_string()),
            Value::Asset(p) => J::String(p.to_string()),
            Value::Native(n) => return n.to_json(),
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
pub(crate) struct Vars<'a> {
    list: ArenaVec<'a, (JsStr<'a>, Value<'a>)>,
    index: Option<ArenaMap<'a, JsStr<'a>, u32, FnvBuild>>,
    /// The union of the bound names' [`name_bit`]s: a name whose bit is not set is not bound
    /// here, so most scopes on the way to a module-level name are passed without a scan.
    names: u64,
    alloc: &'a Allocator,
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

    /// No bindings.
    pub fn new(alloc: &'a Allocator) -> Self {
        Vars {
            list: ArenaVec::new_in(&alloc),
            index: None,
            names: 0,
            alloc,
        }
    }

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
        let bit = name_bit(name);
        if let Some(i) = self.position_with(name, bit) {
            self.list[i].1 = v;
            return;
        }
        self.names |= bit;
        if let Some(ix) = &mut self.index {
            ix.insert(name, self.list.len() as u32);
        }
        self.list.push((name, v));
        if self.index.is_none() && self.list.len() == Self::INDEXED_FROM {
            self.index = Some(index_of(self.alloc, &self.list));
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

pub(crate) type Env<'a> = &'a Scope<'a>;

/// A scope with no bindings yet.
pub(crate) fn new_env<'a>(
    alloc: &'a Allocator,
    parent: Option<Env<'a>>,
    module: usize,
    this: Option<Value<'a>>,
) -> Env<'a> {
    alloc.alloc(Scope {
        vars: RefCell::new(Vars::new(alloc)),
        parent,
        module,
        this,
    })
}

pub(crate) fn child_env<'a>(
    alloc: &'a Allocator,
    parent: &Env<'a>,
    this: Option<Value<'a>>,
) -> Env<'a> {
    new_env(alloc, Some(*parent), parent.module, this)
}

/// Binds `name` in `env` (copied into the arena).
pub(crate) fn declare<'a>(env: &Env<'a>, name: &str, v: Value<'a>) {
    let mut vars = env.vars.borrow_mut();
    let name = vars.alloc.alloc_str(name);
    vars.insert(name, v);
}

/// [`declare`] with a name that already lives long enough (no copy).
pub(crate) fn declare_b<'a>(env: &Env<'a>, name: &'a str, v: Value<'a>) {
    env.vars.borrow_mut().insert(name, v);
}

// Values are copied all the time: keep them at three words.
const _: () = assert!(std::mem::size_of::<Value<'static>>() <= 24);
