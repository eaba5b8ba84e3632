//! The device-and-build facts table (`library/facts.toml`, parsed once per process): what
//! packages that ask the device, the build or the locale answer for the request's device
//! profile and platform, and the hooks and components of packages whose starting values are
//! public (message defaults, form defaults, stores' initial state). A row's values are
//! templates: `"$fact"` strings are facts of the request (see [`Interp::fact`]), `"$fn:NAME"`
//! the behaviours of [`LibFn`] (implemented here and in `app_state`).

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::Deserialize;
use serde_json::Value as Json;

use super::natives::Native;
use super::value::*;
use super::{Interp, R, unknown_from};
use crate::device::{DeviceKind, TargetPlatform};

const TABLE: &str = include_str!("../../library/facts.toml");

static FACTS: LazyLock<Facts> = LazyLock::new(|| match Facts::parse(TABLE) {
    Ok(f) => f,
    // The file is part of the crate and checked by its tests.
    Err(e) => panic!("library/facts.toml: {e}"),
});

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    build: Build,
    package: Vec<PackageRow>,
}

/// `process.env.NODE_ENV` and `__DEV__`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Build {
    pub node_env: String,
    pub dev: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PackageRow {
    name: String,
    #[serde(default)]
    also: Vec<String>,
    /// Only the listed exports are known: the package's other exports come from its code
    /// (when the request carries it) or stay third-party exports.
    #[serde(default)]
    partial: bool,
    /// Where the values come from; for reviewers.
    #[allow(dead_code)]
    source: String,
    exports: serde_json::Map<String, Json>,
}

/// What an export of a package of the table is.
pub(crate) enum Export {
    Value(Json),
    Returns(Json),
    Fn(LibFn),
}

struct Facts {
    build: Build,
    /// Package name -> its exports (indexes into `exports`), and whether the row is partial.
    packages: HashMap<String, (Vec<usize>, bool)>,
    exports: Vec<(String, Export)>,
}

impl Facts {
    fn parse(text: &str) -> Result<Facts, String> {
        let file: File = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut packages: HashMap<String, (Vec<usize>, bool)> = HashMap::new();
        let mut exports = Vec::new();
        for p in file.package {
            let mut ids = Vec::new();
            for (name, row) in p.exports {
                let Json::Object(mut row) = row else {
                    return Err(format!("{}.{name}: not a table", p.name));
                };
                let export = match (row.remove("value"), row.remove("returns"), row.remove("fn")) {
                    (Some(v), None, None) => Export::Value(v),
                    (None, Some(v), None) => Export::Returns(v),
                    (None, None, Some(Json::String(f))) => Export::Fn(
                        LibFn::named(&f)
                            .ok_or_else(|| format!("{}.{name}: no behaviour `{f}`", p.name))?,
                    ),
                    _ => return Err(format!("{}.{name}: one of value, returns, fn", p.name)),
                };
                check_template(&export).map_err(|e| format!("{}.{name}: {e}", p.name))?;
                ids.push(exports.len());
                exports.push((name, export));
            }
            for n in std::iter::once(&p.name).chain(&p.also) {
                if packages
                    .insert(n.clone(), (ids.clone(), p.partial))
                    .is_some()
                {
                    return Err(format!("package `{n}` twice"));
                }
            }
        }
        Ok(Facts {
            build: file.build,
            packages,
            exports,
        })
    }
}

/// Every `$fn:` of a template names a behaviour and every `$fact` a fact.
fn check_template(e: &Export) -> Result<(), String> {
    fn walk(j: &Json) -> Result<(), String> {
        match j {
            Json::String(s) => match s.strip_prefix("$fn:") {
                Some(f) if LibFn::named(f).is_none() => Err(format!("no behaviour `{f}`")),
                Some(_) => Ok(()),
                None if s.len() > 1
                    && s.starts_with('$')
                    && !matches!(s.as_str(), "$fragment" | "$undefined")
                    && !FACT_NAMES.contains(&&s[1..]) =>
                {
                    Err(format!("no fact `{s}`"))
                }
                None => Ok(()),
            },
            Json::Array(xs) => xs.iter().try_for_each(walk),
            Json::Object(m) => m.values().try_for_each(walk),
            _ => Ok(()),
        }
    }
    match e {
        Export::Value(j) | Export::Returns(j) => walk(j),
        Export::Fn(_) => Ok(()),
    }
}

/// The facts templates may name.
const FACT_NAMES: &[&str] = &[
    "platform",
    "os_name",
    "os_version",
    "model",
    "device_id",
    "brand",
    "manufacturer",
    "is_tablet",
    "device_type",
    "expo_device_type",
    "has_dynamic_island",
    "width",
    "height",
    "scale",
    "status_bar_height",
    "app_version",
    "build_number",
    "readable_version",
    "app_name",
    "bundle_id",
    "expo_config",
    "system_font",
    "system_font_medium",
];

/// Whether package `name` is one of the table's (its code, when a request carries it, is not
/// evaluated: native modules answer nothing in a preview).
pub(crate) fn has_package(name: &str) -> bool {
    FACTS
        .packages
        .get(name)
        .is_some_and(|(_, partial)| !partial)
}

/// `process.env.NODE_ENV` and `__DEV__` of a preview.
pub(crate) fn build() -> &'static Build {
    &FACTS.build
}

/// The behaviours table rows name (`fn = "NAME"`, `"$fn:NAME"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LibFn {
    Noop,
    False,
    EmptyList,
    Identity,
    Portrait,
    BestLanguageTag,
    FormatMessage,
    FormattedMessage,
    FormatNumber,
    FormattedNumber,
    FormatDate,
    FormatTime,
    InjectIntl,
    LinguiT,
    LinguiMsg,
    LinguiPlural,
    LinguiTrans,
    UseForm,
    Controller,
    UseController,
    UseWatch,
    ReduxProvider,
    UseSelector,
    UseStore,
    Connect,
    CreateStore,
    CombineReducers,
    Compose,
    ConfigureStore,
    CreateSlice,
    CreateReducer,
    CreateAction,
    CreateSelector,
    ZustandCreate,
    ZustandUseStore,
    Atom,
    UseAtom,
    UseAtomValue,
    FetchedQuery,
    /// Data fetched at run time itself (Relay's `useLazyLoadQuery`, `useFragment`).
    FetchedData,
    /// `[fetch, {data}]` of a lazy query.
    FetchedList,
    /// Reanimated's `interpolate(x, input, output, extrapolation)`.
    Interpolate,
    /// Reanimated's `interpolateColor(x, input, colours)`.
    InterpolateColor,
}

impl LibFn {
    fn named(n: &str) -> Option<LibFn> {
        use LibFn::*;
        Some(match n {
            "noop" => Noop,
            "false" => False,
            "emptyList" => EmptyList,
            "identity" => Identity,
            "portrait" => Portrait,
            "bestLanguageTag" => BestLanguageTag,
            "formatMessage" => FormatMessage,
            "FormattedMessage" => FormattedMessage,
            "formatNumber" => FormatNumber,
            "FormattedNumber" => FormattedNumber,
            "formatDate" => FormatDate,
            "formatTime" => FormatTime,
            "injectIntl" => InjectIntl,
            "linguiT" => LinguiT,
            "linguiMsg" => LinguiMsg,
            "linguiPlural" => LinguiPlural,
            "linguiTrans" => LinguiTrans,
            "useForm" => UseForm,
            "Controller" => Controller,
            "useController" => UseController,
            "useWatch" => UseWatch,
            "reduxProvider" => ReduxProvider,
            "useSelector" => UseSelector,
            "useStore" => UseStore,
            "connect" => Connect,
            "createStore" => CreateStore,
            "combineReducers" => CombineReducers,
            "compose" => Compose,
            "configureStore" => ConfigureStore,
            "createSlice" => CreateSlice,
            "createReducer" => CreateReducer,
            "createAction" => CreateAction,
            "createSelector" => CreateSelector,
            "zustandCreate" => ZustandCreate,
            "zustandUseStore" => ZustandUseStore,
            "atom" => Atom,
            "useAtom" => UseAtom,
            "useAtomValue" => UseAtomValue,
            "fetchedQuery" => FetchedQuery,
            "fetchedData" => FetchedData,
            "fetchedList" => FetchedList,
            _ => return None,
        })
    }

    /// Behaviours that are components: rendered with their element's props.
    pub(crate) fn is_component(self) -> bool {
        matches!(
            self,
            LibFn::FormattedMessage
                | LibFn::FormattedNumber
                | LibFn::LinguiTrans
                | LibFn::Controller
                | LibFn::ReduxProvider
        )
    }
}

impl<'p, 'a> Interp<'p, 'a> {
    /// The value of `import {name} from pkg` of a package whose code is not evaluated: the
    /// facts table's row, else what `external` knows.
    pub(super) fn import_package(&mut self, pkg: &str, name: &str) -> Value<'a> {
        match self.fact_import(pkg, name) {
            Some(v) => v,
            None => self.ext().import(pkg, name),
        }
    }

    /// The value of `import {name} from pkg` for a package of the facts table (`None` for
    /// other packages and names the row does not list).
    pub(super) fn fact_import(&mut self, pkg: &str, name: &str) -> Option<Value<'a>> {
        let facts: &'static Facts = &FACTS;
        let (ids, partial) = facts.packages.get(pkg)?;
        if let Some(&i) = ids.iter().find(|&&i| facts.exports[i].0 == name) {
            return Some(self.export_value(i));
        }
        if !partial && (name == "default" || name == "*") {
            let entries: Vec<(JsStr<'a>, Value<'a>)> = ids
                .iter()
                .map(|&i| (facts.exports[i].0.as_str(), self.export_value(i)))
                .collect();
            return Some(new_obj(self.alloc, entries));
        }
        None
    }

    fn export_value(&mut self, i: usize) -> Value<'a> {
        let facts: &'static Facts = &FACTS;
        match &facts.exports[i].1 {
            Export::Value(j) => self.template(j),
            Export::Returns(_) => Value::Builtin(Builtin::Fact(i as u16)),
            Export::Fn(LibFn::ReduxProvider) => Value::Provider(super::REDUX_CTX),
            Export::Fn(f) => Value::Builtin(Builtin::Lib(*f)),
        }
    }

    /// Calls the `returns` export `i` of the table.
    pub(super) fn call_fact(&mut self, i: u16) -> Value<'a> {
        let facts: &'static Facts = &FACTS;
        match &facts.exports[i as usize].1 {
            Export::Returns(j) => self.template(j),
            _ => Value::Undef,
        }
    }

    /// A template's value.
    fn template(&mut self, j: &'static Json) -> Value<'a> {
        match j {
            Json::String(s) if s == "$fragment" => Value::Fragment,
            Json::String(s) if s == "$undefined" => Value::Undef,
            Json::String(s) if s.starts_with("$fn:") => {
                LibFn::named(&s[4..]).map_or(Value::Undef, |f| Value::Builtin(Builtin::Lib(f)))
            }
            // A lone `$` is text (a currency symbol).
            Json::String(s) if s.len() > 1 && s.starts_with('$') => self.fact(&s[1..]),
            Json::String(s) => Value::Str(s.as_str()),
            Json::Array(xs) => {
                let items: Vec<Value<'a>> = xs.iter().map(|x| self.template(x)).collect();
                self.arr(items)
            }
            Json::Object(m) => {
                let entries: Vec<(JsStr<'a>, Value<'a>)> = m
                    .iter()
                    .map(|(k, v)| (k.as_str(), self.template(v)))
                    .collect();
                new_obj(self.alloc, entries)
            }
            other => super::json_to_value(self.alloc, other),
        }
    }

    /// A fact of the request's device profile, platform or project.
    fn fact(&mut self, name: &str) -> Value<'a> {
        let ios = self.project.target.platform == TargetPlatform::Ios;
        let kind = self.device.kind;
        let tablet = kind == DeviceKind::Ipad;
        let s = |x: &'static str| Value::Str(x);
        match name {
            "platform" => s(self.project.target.platform.as_str()),
            "os_name" => s(match (ios, tablet) {
                (true, true) => "iPadOS",
                (true, false) => "iOS",
                _ => "Android",
            }),
            "os_version" => s(if ios { "17.0" } else { "14" }),
            "model" => Value::str(self.alloc, &self.device.name),
            "device_id" => s(match kind {
                DeviceKind::Iphone => "iPhone15,4",
                DeviceKind::Ipad => "iPad13,18",
                DeviceKind::AndroidPhone => "panther",
            }),
            "brand" => s(if ios { "Apple" } else { "google" }),
            "manufacturer" => s(if ios { "Apple" } else { "Google" }),
            "is_tablet" => Value::Bool(tablet),
            "device_type" => s(if tablet { "Tablet" } else { "Handset" }),
            "expo_device_type" => Value::Num(if tablet { 2.0 } else { 1.0 }),
            "has_dynamic_island" => Value::Bool(kind == DeviceKind::Iphone),
            "width" => Value::Num(self.device.width),
            "height" => Value::Num(self.device.height),
            "scale" => Value::Num(self.device.scale),
            "status_bar_height" => Value::Num(self.device.status_bar_height),
            "system_font" => s(if ios { "System" } else { "sans-serif" }),
            "system_font_medium" => s(if ios { "System" } else { "sans-serif-medium" }),
            "app_version" => self.app_fact(&["expo.version", "version"], "1.0.0"),
            "build_number" => {
                let path = if ios {
                    "expo.ios.buildNumber"
                } else {
                    "expo.android.versionCode"
                };
                self.app_fact(&[path], "1")
            }
            "readable_version" => {
                let v = self.fact("app_version").to_display().unwrap_or_default();
                let b = self.fact("build_number").to_display().unwrap_or_default();
                Value::str(self.alloc, &format!("{v}.{b}"))
            }
            "app_name" => self.app_fact(&["expo.name", "displayName", "name"], "App"),
            "bundle_id" => {
                let path = if ios {
                    "expo.ios.bundleIdentifier"
                } else {
                    "expo.android.package"
                };
                self.app_fact(&[path], "com.example.app")
            }
            "expo_config" => match self.app_json() {
                Some(j) => {
                    let expo = j.get("expo").unwrap_or(j);
                    super::json_to_value(self.alloc, expo)
                }
                None => Value::unknown(self.alloc, "the project has no app.json"),
            },
            _ => Value::Undef,
        }
    }

    /// The project's `app.json` (or, for plain React Native apps, `package.json`... only
    /// `app.json` holds the `expo` object).
    fn app_json(&self) -> Option<&'p Json> {
        for p in ["app.json", "package.json"] {
            if let Some(&i) = self.project.by_path.get(p)
                && let crate::project::FileKind::Json(j) = self.project.kind(i)
                && (p == "package.json" || j.is_object())
            {
                return Some(j);
            }
        }
        None
    }

    /// The first of `paths` (dotted, in `app.json` then `package.json`) that is set, as a
    /// string; else `default`.
    fn app_fact(&self, paths: &[&str], default: &'static str) -> Value<'a> {
        for file in ["app.json", "package.json"] {
            let Some(&i) = self.project.by_path.get(file) else {
                continue;
            };
            let crate::project::FileKind::Json(j) = self.project.kind(i) else {
                continue;
            };
            for path in paths {
                let mut cur = j;
                let mut found = true;
                for part in path.split('.') {
                    match cur.get(part) {
                        Some(next) => cur = next,
                        None => {
                            found = false;
                            break;
                        }
                    }
                }
                if found {
                    match cur {
                        Json::String(s) => return Value::str(self.alloc, s),
                        Json::Number(n) => return Value::str(self.alloc, &n.to_string()),
                        _ => {}
                    }
                }
            }
        }
        Value::Str(default)
    }

    /// Calls behaviour `f`.
    pub(super) fn call_lib(
        &mut self,
        f: LibFn,
        args: Vec<Value<'a>>,
        module: usize,
        offset: u32,
    ) -> R<Value<'a>> {
        let a0 = args.first().copied().unwrap_or(Value::Undef);
        Ok(match f {
            LibFn::Noop => Value::Undef,
            LibFn::False => Value::Bool(false),
            LibFn::EmptyList => self.arr(Vec::new()),
            LibFn::Identity => a0,
            LibFn::Portrait => Value::Str("PORTRAIT"),
            LibFn::BestLanguageTag => {
                let tags: Vec<Value<'a>> = match a0 {
                    Value::Arr(xs) => xs.to_vec(),
                    Value::Obj(o) => o.borrow().iter().map(|(k, _)| Value::Str(k)).collect(),
                    other => return Ok(unknown_from(self.alloc, &other, "language tags")),
                };
                let pick = tags
                    .iter()
                    .find(|t| matches!(t, Value::Str(s) if *s == "en-US"))
                    .or_else(|| {
                        tags.iter()
                            .find(|t| matches!(t, Value::Str(s) if s.starts_with("en")))
                    });
                match pick {
                    Some(t) => new_obj(
                        self.alloc,
                        vec![("languageTag", *t), ("isRTL", Value::Bool(false))],
                    ),
                    None => Value::Undef,
                }
            }
            LibFn::FormatMessage => {
                let text = self.message_text(&a0, module, offset);
                self.icu(text, args.get(1))
            }
            LibFn::FormattedMessage => {
                let text = self.message_text(&a0, module, offset);
                let values = match a0 {
                    Value::Obj(p) => obj_get(&p, "values"),
                    _ => None,
                };
                self.icu(text, values.as_ref())
            }
            LibFn::FormatNumber => match a0.to_num() {
                Some(n) => {
                    let st = self.number_style(args.get(1));
                    Value::str(self.alloc, &st.format(n))
                }
                None => unknown_from(self.alloc, &a0, "number"),
            },
            LibFn::FormattedNumber => {
                let (v, opts) = match a0 {
                    Value::Obj(p) => (obj_get(&p, "value").unwrap_or(Value::Undef), Some(a0)),
                    _ => (Value::Undef, None),
                };
                match v.to_num() {
                    Some(n) => {
                        let st = self.number_style(opts.as_ref());
                        Value::str(self.alloc, &st.format(n))
                    }
                    None => unknown_from(self.alloc, &v, "number"),
                }
            }
            LibFn::FormatDate | LibFn::FormatTime => {
                let t = match a0 {
                    Value::Undef => super::dates::PREVIEW_NOW_MS,
                    v => match v.to_num() {
                        Some(t) => t,
                        None => return Ok(unknown_from(self.alloc, &v, "date")),
                    },
                };
                let default = if f == LibFn::FormatDate {
                    super::dates::DateFields::DATE
                } else {
                    super::dates::DateFields {
                        second: None,
                        ..super::dates::DateFields::TIME
                    }
                };
                let fields = self.date_options(args.get(1), default);
                Value::str(self.alloc, &fields.format(t))
            }
            LibFn::InjectIntl => {
                self.connected
                    .push((a0, Value::Builtin(Builtin::Lib(LibFn::InjectIntl))));
                a0
            }
            LibFn::LinguiT | LibFn::LinguiMsg => match a0 {
                Value::Str(_) => a0,
                Value::Obj(o) => match f {
                    LibFn::LinguiMsg => a0,
                    _ => {
                        let text = obj_get(&o, "message")
                            .or_else(|| obj_get(&o, "id"))
                            .unwrap_or(Value::Undef);
                        let values = obj_get(&o, "values").or(args.get(1).copied());
                        match text {
                            Value::Str(t) => self.icu(t, values.as_ref()),
                            other => unknown_from(self.alloc, &other, "message"),
                        }
                    }
                },
                other => unknown_from(self.alloc, &other, "message"),
            },
            LibFn::LinguiPlural => {
                let n = a0.to_num();
                let Some(Value::Obj(forms)) = args.get(1) else {
                    return Ok(Value::unknown(self.alloc, "plural forms"));
                };
                let Some(n) = n else {
                    return Ok(unknown_from(self.alloc, &a0, "plural count"));
                };
                let exact = obj_get(forms, &format!("={}", fmt_num(n)));
                let form = exact
                    .or_else(|| {
                        if n == 1.0 {
                            obj_get(forms, "one")
                        } else {
                            None
                        }
                    })
                    .or_else(|| obj_get(forms, "other"))
                    .unwrap_or(Value::Undef);
                match form.to_display() {
                    Some(t) => Value::str(self.alloc, &t.replace('#', &fmt_num(n))),
                    None => unknown_from(self.alloc, &form, "plural form"),
                }
            }
            LibFn::LinguiTrans => {
                // `<Trans>Hello {name}</Trans>` (the children), or `<Trans id message values>`.
                let Value::Obj(p) = a0 else {
                    return Ok(Value::Undef);
                };
                match obj_get(&p, "children") {
                    Some(c) if !c.is_nullish() => c,
                    _ => {
                        let text = obj_get(&p, "message").or_else(|| obj_get(&p, "id"));
                        match text {
                            Some(Value::Str(t)) => {
                                let values = obj_get(&p, "values");
                                self.icu(t, values.as_ref())
                            }
                            _ => Value::Undef,
                        }
                    }
                }
            }
            LibFn::Interpolate | LibFn::InterpolateColor => interpolate(self.alloc, f, &args),
            _ => return self.call_state_lib(f, args, module, offset),
        })
    }

    /// A callable value of the evaluator holding data (a store's state, a form's values).
    pub(super) fn bound(&self, kind: super::natives::Bound, data: Value<'a>) -> Value<'a> {
        Value::Native(self.alloc.alloc(Native::Bound(kind, data)))
    }

    /// The text of a message descriptor (`{id, defaultMessage}`) or `<FormattedMessage>`'s
    /// props: its default message (a message catalog is not among the inputs), else its id
    /// with a warning.
    fn message_text(&mut self, d: &Value<'a>, module: usize, offset: u32) -> JsStr<'a> {
        let Value::Obj(o) = d else {
            return "";
        };
        if let Some(Value::Str(m)) = obj_get(o, "defaultMessage") {
            return m;
        }
        match obj_get(o, "id") {
            Some(Value::Str(id)) => {
                self.warn(
                    "i18n-key",
                    format!("message `{id}` has no defaultMessage; its id is shown"),
                    module,
                    offset,
                );
                id
            }
            _ => "",
        }
    }

    /// An ICU message with its simple arguments filled in: `{name}`, and `{n, plural, one
    /// {# item} other {# items}}` / `{x, select, a {...} other {...}}` with known values.
    fn icu(&mut self, text: &str, values: Option<&Value<'a>>) -> Value<'a> {
        match icu_format(text, &|name| values.map(|v| self.get_prop_ro(v, name))) {
            Ok(s) => Value::str(self.alloc, &s),
            Err(why) => Value::unknown(self.alloc, why),
        }
    }

    /// A property of a plain object (no getters run): ICU arguments.
    fn get_prop_ro(&self, v: &Value<'a>, key: &str) -> Value<'a> {
        match v {
            Value::Obj(o) => obj_get(o, key).unwrap_or(Value::Undef),
            _ => Value::Undef,
        }
    }
}

/// Reanimated's `interpolate` / `interpolateColor` on known values (a shared value's start).
fn interpolate<'a>(
    alloc: &'a oxc::allocator::Allocator,
    f: LibFn,
    args: &[Value<'a>],
) -> Value<'a> {
    let (Some(x), Some(Value::Arr(input)), Some(Value::Arr(output))) = (
        args.first().and_then(|v| v.to_num()),
        args.get(1),
        args.get(2),
    ) else {
        return Value::unknown(alloc, "an animation value of unknown inputs");
    };
    let input: Option<Vec<f64>> = input.iter().map(|v| v.to_num()).collect();
    let Some(input) = input.filter(|i| i.len() >= 2 && i.len() == output.len()) else {
        return Value::unknown(alloc, "an animation value of unknown inputs");
    };
    // The segment x is in (the first or last one outside the range).
    let seg = (0..input.len() - 1)
        .find(|&i| x <= input[i + 1])
        .unwrap_or(input.len() - 2);
    let (a, b) = (input[seg], input[seg + 1]);
    let mut t = if b == a { 0.0 } else { (x - a) / (b - a) };
    if f == LibFn::InterpolateColor {
        t = t.clamp(0.0, 1.0);
        let (ca, cb) = (output[seg], output[seg + 1]);
        if t == 0.0 {
            return ca;
        }
        if t == 1.0 {
            return cb;
        }
        return match (hex_rgb(&ca), hex_rgb(&cb)) {
            (Some(p), Some(q)) => {
                let mix = |i: usize| (p[i] + (q[i] - p[i]) * t).round();
                Value::str(
                    alloc,
                    &format!("rgba({}, {}, {}, 1)", mix(0), mix(1), mix(2)),
                )
            }
            _ => Value::unknown(alloc, "an animated colour between colours that are not hex"),
        };
    }
    let clamp = |side: &str| match args.get(3) {
        Some(Value::Str(s)) => *s == "clamp",
        Some(Value::Obj(o)) => matches!(obj_get(o, side), Some(Value::Str("clamp"))),
        _ => false,
    };
    if (t < 0.0 && clamp("extrapolateLeft")) || (t > 1.0 && clamp("extrapolateRight")) {
        t = t.clamp(0.0, 1.0);
    }
    match (output[seg].to_num(), output[seg + 1].to_num()) {
        (Some(p), Some(q)) => Value::Num(p + (q - p) * t),
        _ => Value::unknown(alloc, "an animation value of unknown outputs"),
    }
}

/// The channels of `#rgb` / `#rrggbb`.
fn hex_rgb(v: &Value<'_>) -> Option<[f64; 3]> {
    let Value::Str(s) = v else { return None };
    let h = s.strip_prefix('#')?;
    let h: String = match h.len() {
        3 => h.chars().flat_map(|c| [c, c]).collect(),
        6 => h.to_string(),
        _ => return None,
    };
    let c = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).ok().map(f64::from);
    Some([c(0)?, c(2)?, c(4)?])
}

/// Formats an ICU message; `Err` names the argument that is not known.
fn icu_format<'a>(text: &str, arg: &dyn Fn(&str) -> Option<Value<'a>>) -> Result<String, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\'' if chars.get(i + 1) == Some(&'\'') => {
                out.push('\'');
                i += 2;
            }
            '{' => {
                let Some(end) = matching_brace(&chars, i) else {
                    out.extend(&chars[i..]);
                    break;
                };
                let inner: String = chars[i + 1..end].iter().collect();
                let mut parts = inner.splitn(3, ',').map(str::trim);
                let name = parts.next().unwrap_or("");
                let kind = parts.next();
                let v = arg(name).unwrap_or(Value::Undef);
                match kind {
                    None => match v {
                        Value::Undef => out.push_str(&format!("{{{name}}}")),
                        v => match v.to_display() {
                            Some(s) => out.push_str(&s),
                            None => return Err(format!("message argument `{name}` is not known")),
                        },
                    },
                    Some(k @ ("plural" | "select" | "selectordinal")) => {
                        let cases = parts.next().unwrap_or("");
                        let key = match (k, &v) {
                            ("select", v) => v
                                .to_display()
                                .ok_or(format!("message argument `{name}` is not known"))?,
                            (_, v) => {
                                let n = v
                                    .to_num()
                                    .filter(|n| !n.is_nan())
                                    .ok_or(format!("message argument `{name}` is not known"))?;
                                let exact = format!("={}", fmt_num(n));
                                if cases.contains(&exact) {
                                    exact
                                } else if n == 1.0 {
                                    "one".into()
                                } else {
                                    "other".into()
                                }
                            }
                        };
                        let body = icu_case(cases, &key)
                            .or_else(|| icu_case(cases, "other"))
                            .unwrap_or_default();
                        let n = v.to_display().unwrap_or_default();
                        let body = if k == "select" {
                            body
                        } else {
                            body.replace('#', &n)
                        };
                        out.push_str(&icu_format(&body, arg)?);
                    }
                    Some(_) => match v.to_display() {
                        Some(s) => out.push_str(&s),
                        None => return Err(format!("message argument `{name}` is not known")),
                    },
                }
                i = end + 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    Ok(out)
}

fn matching_brace(chars: &[char], open: usize) -> Option<usize> {
    let mut depth = 0;
    for (i, c) in chars.iter().enumerate().skip(open) {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// The body of case `key` of `one {# item} other {# items}`.
fn icu_case(cases: &str, key: &str) -> Option<String> {
    let chars: Vec<char> = cases.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        while i < chars.len() && chars[i].is_whitespace() {
            i += 1;
        }
        let start = i;
        while i < chars.len() && chars[i] != '{' && !chars[i].is_whitespace() {
            i += 1;
        }
        let k: String = chars[start..i].iter().collect();
        while i < chars.len() && chars[i] != '{' {
            i += 1;
        }
        let end = matching_brace(&chars, i)?;
        if k == key {
            return Some(chars[i + 1..end].iter().collect());
        }
        i = end + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_parses_and_its_templates_name_known_facts_and_behaviours() {
        let f = Facts::parse(TABLE).unwrap();
        assert!(f.packages.contains_key("react-native-device-info"));
        assert_eq!(f.build.node_env, "development");
    }

    #[test]
    fn icu_arguments_plurals_and_selects() {
        let arg = |n: &str| -> Option<Value<'static>> {
            Some(match n {
                "name" => Value::Str("Ada"),
                "count" => Value::Num(3.0),
                _ => Value::Undef,
            })
        };
        assert_eq!(icu_format("Hello, {name}!", &arg).unwrap(), "Hello, Ada!");
        assert_eq!(
            icu_format(
                "{count, plural, =0 {No items} one {# item} other {# items}}",
                &arg
            )
            .unwrap(),
            "3 items"
        );
    }
}
