//! The constant evaluator: runs module top levels, component functions and class `render`s
//! far enough to know the element tree and its styles. Anything it cannot know becomes
//! [`Value::Unknown`] and, where it is used, a warning.

mod app_state;
mod builtins;
mod dates;
mod expand;
mod expressions;
mod external;
mod facts;
mod hosts;
mod jsx;
mod library;
mod modules;
mod natives;
mod navigation;
mod operators;
mod pictures;
mod regexp;
mod screen_roots;
mod statements;
mod style_props;
mod value;

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use oxc::ast::ast::*;

use crate::device::DeviceProfile;
use crate::document::{PropertyMap, Warning};
use crate::project::Project;
use oxc::allocator::Allocator;
use value::*;

use expressions::{is_asset_spec, unknown_from};
pub(crate) use external::is_builtin_package;
use operators::{binary, strict_eq};
use statements::{declared_names, export_decl, module_export_name};

/// The most arena memory the evaluation of one request's screens may use together (values are
/// freed only when the compile ends, so a screen's values stay while the next ones compile).
const EVAL_MEMORY_LIMIT: usize = 256 << 20;

/// Context id of styled-components' / emotion's `ThemeProvider`.
pub(crate) const STYLED_THEME_CTX: usize = 0;

/// Context id of React Navigation's `ThemeProvider` / `NavigationContainer theme`.
pub(crate) const NAV_THEME_CTX: usize = 1;

/// Context id of react-redux's `<Provider store>`.
pub(crate) const REDUX_CTX: usize = 2;

/// The library table's theme that UI Kitten's hooks and `@eva-design/eva`'s `light` read.
pub(crate) const KITTEN_THEME: &str = "eva-light";

/// Why a screen stops compiling.
#[derive(Debug)]
pub(crate) enum Fatal {
    Budget,
    Cancelled,
    Limit(String),
}

type R<T> = Result<T, Fatal>;

/// Message and (file, line, column): a warning is reported once per place.
type WarningKey = (String, Option<(std::sync::Arc<str>, u32, u32)>);

enum Flow<'a> {
    Normal,
    Return(Value<'a>),
    Break,
    Continue,
    /// `break label` / `continue label`, until the labelled statement.
    BreakLabel(&'a str),
    ContinueLabel(&'a str),
}

#[derive(Clone)]
enum ExportRef<'a> {
    Local(Rc<str>),
    Value(Value<'a>),
    From(Option<usize>, Rc<str>, Rc<str>),
}

struct Module<'a> {
    env: Env<'a>,
    exports: HashMap<Rc<str>, ExportRef<'a>, FnvBuild>,
    stars: Vec<usize>,
    /// A CommonJS module (no `export` statements): its exports are `module.exports`, read
    /// when asked for (so a module still loading in a require cycle shows what it has set).
    commonjs: bool,
}

pub(crate) struct Interp<'p, 'a> {
    pub project: &'p Project<'a>,
    /// The compile's arena: every value, object and scope of the evaluator lives in it.
    alloc: &'a oxc::allocator::Allocator,
    device: DeviceProfile,
    modules: HashMap<usize, Module<'a>, FnvBuild>,
    pub warnings: Vec<Warning>,
    seen: HashSet<WarningKey, FnvBuild>,
    depth: usize,
    steps: u64,
    ctx_stack: Vec<(usize, Value<'a>)>,
    /// Copies of function components that a package wrapper returned
    /// (`statements::wrapped`): their props are open (a missing prop is this unknown).
    injected_props: Vec<(*const value::Closure<'a>, &'a str)>,
    next_ctx: usize,
    pub nodes: usize,
    /// Level of the node whose children are being rendered (the screen's root is level 1).
    output_depth: usize,
    /// Route name / href -> screen id, for navigation actions.
    pub routes: HashMap<String, String>,
    globals: Env<'a>,
    /// Modules whose `export *` lists are being searched (cycle guard).
    star_visiting: Vec<usize>,
    /// Set while expanding the app root for its providers (see `root_providers`).
    assume_loaded: bool,
    /// English translation tables (value, file), loaded on the first `t()` call.
    locale: Option<Vec<(Value<'a>, usize)>>,
    /// Names of the components that rendered nodes (shared by those nodes).
    component_names: Vec<std::sync::Arc<str>>,
    /// Working memory of style resolution, reused from node to node.
    style_work: StyleWork<'a>,
    /// The style objects of `StyleSheet.create` sheets, by address (arena addresses are never
    /// reused during a compile).
    sheet_styles: HashMap<usize, Obj<'a>, FnvBuild>,
    /// Resolved styles of `style` values made only of sheet styles (the addresses in flatten
    /// order), computed once per compile: most screens repeat `styles.x` on many nodes. Emptied
    /// whenever the program writes into an existing object.
    style_cache: HashMap<Vec<usize>, PropertyMap, FnvBuild>,
    /// Calls of [`Interp::warn`] so far, duplicates included.
    warn_calls: u64,
    /// Addresses on the thread's own stack between which more than [`STACK_RED_ZONE`] is left
    /// (see [`Interp::stack_is_ample`]); an empty range when the stack's size is not known.
    stack_ample: std::ops::Range<usize>,
    /// Icon sets the program made with `createIconSet` (see `pictures`), by index.
    icon_sets: Vec<pictures::CustomIconSet>,
    /// The (family, font file) pairs `useFonts` / `Font.loadAsync` were called with.
    pub loaded_fonts: Vec<(String, String)>,
    /// The compiled regexes of regex values (owned here: the arena drops nothing).
    regexes: Vec<fancy_regex::Regex>,
    /// `flags/pattern` -> index in `regexes`, or why the pattern is not supported.
    regex_index: HashMap<String, Result<u32, String>, FnvBuild>,
    /// Objects made with `new` (by address) -> the class or built-in constructor that made
    /// them, for `instanceof`.
    instances: HashMap<usize, Value<'a>, FnvBuild>,
    /// Set by a `break` of the loop being run (see `loop_step`).
    loop_broke: bool,
    /// The Redux store the program made last (the app's, when no `<Provider>` is found).
    last_store: Option<Value<'a>>,
    /// Components wrapped by `connect(mapState)` (with `mapState`) or `injectIntl` (with its
    /// behaviour): what their elements are given (see `connected_elem`).
    connected: Vec<(Value<'a>, Value<'a>)>,
    /// Whether the project's modules were searched for a Redux store (see `find_store`).
    store_searched: bool,
    /// The module each context was created in (by context id).
    ctx_modules: Vec<(usize, usize)>,
    /// Contexts searched for a provider outside the screen, with the value found.
    found_providers: Vec<(usize, Option<Value<'a>>)>,
}

/// Working memory of style resolution (see `Interp::resolve_style`), kept between nodes so that
/// resolving a style allocates only its result.
#[derive(Default)]
struct StyleWork<'a> {
    /// The style's entries, flattened (later ones replace earlier ones of the same key).
    entries: Vec<(JsStr<'a>, Value<'a>)>,
    /// The entries whose values are known, as JSON.
    known: Vec<(JsStr<'a>, serde_json::Value)>,
    /// The style cache's key.
    key: Vec<usize>,
    /// Normalization's working list.
    slots: Vec<crate::style::Slot>,
}

fn prop_key_name<'a>(k: &PropertyKey<'a>) -> Option<std::borrow::Cow<'a, str>> {
    k.static_name()
}

impl<'p, 'a> Interp<'p, 'a> {
    pub fn new(project: &'p Project<'a>, routes: HashMap<String, String>) -> Self {
        let device = crate::device::profile(project.target.device);
        let alloc = project.alloc;
        let globals: Env<'a> = new_env(alloc, None, usize::MAX, None);
        Interp {
            project,
            alloc,
            device,
            modules: HashMap::default(),
            warnings: Vec::new(),
            seen: HashSet::default(),
            depth: 0,
            steps: 0,
            ctx_stack: Vec::new(),
            injected_props: Vec::new(),
            next_ctx: REDUX_CTX + 1,
            nodes: 0,
            output_depth: 1,
            routes,
            globals,
            star_visiting: Vec::new(),
            assume_loaded: false,
            locale: None,
            component_names: Vec::new(),
            style_work: StyleWork::default(),
            sheet_styles: HashMap::default(),
            style_cache: HashMap::default(),
            warn_calls: 0,
            stack_ample: ample_stack_range(),
            icon_sets: Vec::new(),
            loaded_fonts: Vec::new(),
            regexes: Vec::new(),
            regex_index: HashMap::default(),
            instances: HashMap::default(),
            loop_broke: false,
            last_store: None,
            connected: Vec::new(),
            store_searched: false,
            ctx_modules: Vec::new(),
            found_providers: Vec::new(),
        }
    }

    fn ext(&self) -> external::Env<'_, 'a> {
        external::Env {
            alloc: self.alloc,
            platform: self.project.target.platform,
            device: &self.device,
        }
    }

    pub fn warn(&mut self, code: &str, message: String, module: usize, offset: u32) {
        self.warn_calls += 1;
        let loc =
            (module < self.project.files.len()).then(|| self.project.location(module, offset));
        let key = (
            message.clone(),
            loc.as_ref().map(|l| (l.file.clone(), l.line, l.column)),
        );
        if self.seen.insert(key) {
            self.warnings.push(Warning {
                code: code.into(),
                message,
                location: loc,
            });
        }
    }

    /// Whether the recursion can go on without asking `stacker` (which reads the stack
    /// pointer through a call and a thread-local each time): true while on this thread's
    /// own stack with more than the red zone left. On a stack segment `stacker` added the
    /// address is outside the range, and `stacker` decides.
    #[inline(always)]
    fn stack_is_ample(&self) -> bool {
        let here = 0u8;
        self.stack_ample
            .contains(&(std::ptr::addr_of!(here) as usize))
    }

    /// Counts a step; every 1024th checks the time budget, the stop signal and the memory bound.
    #[inline(always)]
    fn tick(&mut self) -> R<()> {
        self.steps += 1;
        if self.steps.is_multiple_of(1024) {
            return self.check_budget();
        }
        Ok(())
    }

    #[cold]
    #[inline(never)]
    fn check_budget(&self) -> R<()> {
        if self.project.started.elapsed() > self.project.limits.time_budget {
            return Err(Fatal::Budget);
        }
        if self.project.cancel.is_cancelled() {
            return Err(Fatal::Cancelled);
        }
        self.check_memory()
    }

    /// `s` as a string of the compile: borrowed ones stay, computed ones are copied into the
    /// arena.
    fn js(&self, s: std::borrow::Cow<'a, str>) -> JsStr<'a> {
        match s {
            std::borrow::Cow::Borrowed(s) => s,
            std::borrow::Cow::Owned(s) => self.alloc.alloc_str(&s),
        }
    }

    /// [`Value::arr`] of a list built here.
    fn arr(&self, items: Vec<Value<'a>>) -> Value<'a> {
        Value::arr(self.alloc, &items)
    }

    fn enter(&mut self, what: &str) -> R<()> {
        self.depth += 1;
        if self.depth > self.project.limits.max_expansion_depth {
            return Err(Fatal::Limit(format!(
                "expansion deeper than {} levels at {what} (a recursive component or function?)",
                self.project.limits.max_expansion_depth
            )));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    // ---------------------------------------------------------------- functions & classes

    /// Bounds a value that grew (an array, a string), and what evaluation holds in all.
    fn check_len(&self, n: usize) -> R<()> {
        if n > 1 << 20 {
            return Err(Fatal::Limit(format!(
                "a value grew to {n} elements/bytes (limit 1,048,576)"
            )));
        }
        self.check_memory()
    }

    /// Nothing is freed before the compile ends: bounds what the request's evaluation holds.
    fn check_memory(&self) -> R<()> {
        let used = self
            .alloc
            .used_bytes()
            .saturating_sub(self.project.parsed_bytes + self.project.package_bytes.get());
        if used > EVAL_MEMORY_LIMIT {
            return Err(Fatal::Limit(format!(
                "evaluation used more than {} MiB (a runaway loop or recursion?)",
                EVAL_MEMORY_LIMIT >> 20
            )));
        }
        Ok(())
    }
}

/// The addresses of this thread's stack, below the caller's frame, that leave more than
/// [`STACK_RED_ZONE`] free (the evaluation runs in frames below the one that asks).
fn ample_stack_range() -> std::ops::Range<usize> {
    let here = 0u8;
    let top = std::ptr::addr_of!(here) as usize;
    match stacker::remaining_stack() {
        Some(left) if left > 2 * STACK_RED_ZONE => (top - left + STACK_RED_ZONE)..top,
        _ => 0..0,
    }
}

/// Below this much free stack, recursion moves to a fresh stack segment (of `STACK_GROW`).
pub(crate) const STACK_RED_ZONE: usize = 256 * 1024;
pub(crate) const STACK_GROW: usize = 4 * 1024 * 1024;

/// Why route params are unknown.
pub(crate) const ROUTE_PARAMS: &str = "route params are only known at run time";

/// How many items a list over unknown data renders.
pub(crate) const UNKNOWN_LIST_ITEMS: usize = 3;

/// Flattens a style value (arrays, nested arrays, falsy entries skipped, later wins); arrays
/// nested deeper than [`MAX_VALUE_DEPTH`] are unknown.
pub(crate) fn flatten_style<'a>(v: &Value<'a>, acc: &mut Vec<(JsStr<'a>, Value<'a>)>) {
    flatten_style_within(v, acc, MAX_VALUE_DEPTH)
}

fn flatten_style_within<'a>(v: &Value<'a>, acc: &mut Vec<(JsStr<'a>, Value<'a>)>, depth: usize) {
    match v {
        Value::Arr(_) if depth == 0 => acc.push(("\0unknown", Value::Unknown(TOO_DEEP))),
        Value::Arr(xs) => xs
            .iter()
            .for_each(|x| flatten_style_within(x, acc, depth - 1)),
        Value::Obj(o) => {
            for (k, v) in o.borrow().iter() {
                acc.retain(|(ak, _)| !same_str(ak, k));
                acc.push((*k, *v));
            }
        }
        Value::Unknown(r) => acc.push(("\0unknown", Value::Unknown(r))),
        _ => {}
    }
}

pub(crate) fn reason_of(v: &Value<'_>) -> String {
    match v {
        Value::Unknown(r) => r.to_string(),
        other => format!("a {}", other.type_name()),
    }
}

pub(crate) fn json_to_value<'a>(alloc: &'a Allocator, j: &serde_json::Value) -> Value<'a> {
    use serde_json::Value as J;
    match j {
        J::Null => Value::Null,
        J::Bool(b) => Value::Bool(*b),
        J::Number(n) => Value::Num(n.as_f64().unwrap_or(f64::NAN)),
        J::String(s) => Value::str(alloc, s),
        J::Array(xs) => {
            let items: Vec<Value<'a>> = xs.iter().map(|x| json_to_value(alloc, x)).collect();
            Value::arr(alloc, &items)
        }
        J::Object(m) => new_obj(
            alloc,
            m.iter()
                .map(|(k, v)| (alloc.alloc_str(k), json_to_value(alloc, v))),
        ),
    }
}

/// Evaluated JSX children: most elements have none or one, which need no list.
pub(crate) enum Children<'a> {
    None,
    One(Value<'a>),
    Many(Vec<Value<'a>>),
}

impl<'a> Children<'a> {
    /// Appends a child; `at_most` bounds how many there will be (sizes the list once).
    pub fn push(&mut self, v: Value<'a>, at_most: usize) {
        *self = match std::mem::replace(self, Children::None) {
            Children::None => Children::One(v),
            Children::One(first) => {
                let mut xs = Vec::with_capacity(at_most.max(2));
                xs.push(first);
                xs.push(v);
                Children::Many(xs)
            }
            Children::Many(mut xs) => {
                xs.push(v);
                Children::Many(xs)
            }
        };
    }

    pub fn into_vec(self) -> Vec<Value<'a>> {
        match self {
            Children::None => Vec::new(),
            Children::One(v) => vec![v],
            Children::Many(xs) => xs,
        }
    }
}

impl<'a> From<Vec<Value<'a>>> for Children<'a> {
    fn from(mut xs: Vec<Value<'a>>) -> Self {
        match xs.len() {
            0 => Children::None,
            1 => Children::One(xs.pop().expect("one child")),
            _ => Children::Many(xs),
        }
    }
}

/// Sets `children` as React does: absent, the one child itself, or an array.
pub(crate) fn set_children<'a>(alloc: &'a Allocator, props: &Obj<'a>, children: Children<'a>) {
    let v = match children {
        Children::None => return,
        Children::One(v) => v,
        Children::Many(xs) => Value::arr(alloc, &xs),
    };
    obj_set_key(props, "children", v);
}
