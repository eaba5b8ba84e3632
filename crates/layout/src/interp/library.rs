//! The library table: how the components of popular packages render when their code is not
//! in the request. The knowledge is data, in one reviewed file (`library/components.toml`,
//! parsed once per process): a row names a package's component and the core nodes it becomes
//! (node types, default styles taken from the package's own code and default theme), and how
//! its props become style (variants such as `status`, `size`), text (`title`) and children
//! (slots such as `accessoryLeft`). Icons become icon snapshots, providers render their
//! children, status bars nothing. Adding a package is adding rows (and a fixture).
//!
//! Rendering a row builds ordinary elements of core components from the element's props and
//! renders them like any other, so styles, text, lists and press actions follow the usual
//! rules; the top node(s) are marked `external` (via `library`).

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::Deserialize;
use serde_json::{Map, Value as Json};

use super::value::*;
use super::{Interp, R};
use crate::document::{External, Node, Via};

const TABLE: &str = include_str!("../../library/components.toml");

static LIBRARY: LazyLock<Library> = LazyLock::new(|| match Library::parse(TABLE) {
    Ok(lib) => lib,
    // The file is part of the crate and checked by its tests.
    Err(e) => panic!("library/components.toml: {e}"),
});

/// The row of `package`'s component `name` (`Button`, `ListItem.Title`), if the table has one.
pub(crate) fn row(package: &str, name: &str) -> Option<&'static Row> {
    let lib: &'static Library = &LIBRARY;
    lib.index.get(package)?.get(name).map(|&i| &lib.rows[i])
}

/// A theme of the table (`eva-light`, ...), its values resolved.
fn theme(name: &str) -> Option<&'static Map<String, Json>> {
    let lib: &'static Library = &LIBRARY;
    lib.themes.get(name)
}

/// Node kinds a part may have besides the core node types.
const SPECIAL_NODES: &[&str] = &["children", "nothing", "snapshot"];

/// Core node types a part may render as: the `react-native` hosts that are nodes of their own
/// (`StatusBar`, `Button` and `RefreshControl` are not: they draw nothing or become other nodes),
/// and `SafeAreaContextView`, react-native-safe-area-context's `SafeAreaView` (insets added to
/// the padding of its `edges`, where the core one replaces it).
fn node_type(name: &str) -> Option<&'static str> {
    if name == "SafeAreaContextView" {
        return Some("SafeAreaContextView");
    }
    super::external::RN_HOSTS
        .iter()
        .find(|t| **t == name && !matches!(name, "StatusBar" | "Button" | "RefreshControl"))
        .copied()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    package: HashMap<String, Package>,
    #[serde(default)]
    theme: HashMap<String, Map<String, Json>>,
    component: Vec<Row>,
}

/// A package the table knows: the version its rows were read from.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Package {
    version: String,
    /// Where the default values come from.
    source: String,
    /// Other package names whose components are the same, with the version read.
    #[serde(default)]
    also: HashMap<String, String>,
    /// The `[theme.*]` that `$name` values refer to.
    #[serde(default)]
    theme: Option<String>,
}

/// One component (or several with the same rendering).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Row {
    package: String,
    /// Other packages exporting these components with this rendering (over `package`'s
    /// `also`).
    #[serde(default)]
    also: Vec<String>,
    names: Vec<String>,
    /// Why the row looks the way it does (sources, simplifications); for reviewers.
    #[serde(default)]
    #[allow(dead_code)]
    note: Option<String>,
    root: Part,
    #[serde(default)]
    parts: HashMap<String, Part>,
    #[serde(default)]
    variant: Vec<Variant>,
    /// Props the row turns into something (style, text, slots, variants): not forwarded.
    #[serde(skip)]
    consumed: Vec<String>,
}

/// A node of the row's template (or a slot filled from a prop).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Part {
    /// A core node type, or `children` (the element's children in place), `nothing`,
    /// `snapshot` (root only: an `HS_ImageSnapshot`, e.g. an icon font glyph).
    node: Option<String>,
    /// The prop whose value fills this part: an element (given the part's props), a component
    /// or function (rendered / called with them), text (an `as` element, or a `Text`).
    slot: Option<String>,
    /// With `node = "Text"`: the prop holding the text (`children`, `title`); strings become
    /// the text, elements and functions render as a slot; absent, the part is left out.
    text: Option<String>,
    /// For a slot: the component (a row of the same package, or a core type) that text given
    /// to the slot becomes.
    #[serde(rename = "as")]
    as_: Option<String>,
    /// For a slot: config objects (`{text: 'Title', style}`, `{icon: 'menu', color}`): the
    /// first key present -> (component, the prop its value becomes); the other entries are
    /// props.
    #[serde(default)]
    objects: HashMap<String, (String, String)>,
    /// A fixed element of this component (a row of the same package, or a core type), with
    /// the part's props, style and children.
    component: Option<String>,
    /// Default style (before variants and the element's style props).
    #[serde(default)]
    style: Map<String, Json>,
    /// Style keys whose values are props of the element (`backgroundColor` prop), after the
    /// variants.
    #[serde(default)]
    style_from: HashMap<String, String>,
    /// The element's props whose styles go on this part, after its defaults and variants
    /// (root default: `["style"]`).
    style_props: Option<Vec<String>>,
    /// Props copied from the element: `["*"]` (the root's default: all but the consumed ones)
    /// or a list (default for other parts: none).
    forward: Option<Vec<String>>,
    /// Props set when the element does not give them.
    #[serde(default)]
    set: Map<String, Json>,
    /// Props renamed while forwarding (`checked` -> `value`).
    #[serde(default)]
    rename: HashMap<String, String>,
    /// Children: part names and `@children` (root default: `["@children"]`).
    children: Option<Vec<String>>,
    /// Only when this prop is truthy / falsy.
    when: Option<String>,
    unless: Option<String>,
    /// For `snapshot`: why (default `icon`).
    reason: Option<String>,
}

/// Styles chosen by props: `prop` (`status`, `appearance+status` for combinations, `@platform`)
/// -> value (`primary`, `outline+primary`, `true`, `#` for any number) -> part -> style.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Variant {
    prop: String,
    /// The value(s) used when the prop is not given (`filled+primary`).
    #[serde(default)]
    default: Option<String>,
    /// Applied after the element's style props (the package lets the variant win).
    #[serde(default)]
    after_style: bool,
    values: HashMap<String, HashMap<String, Map<String, Json>>>,
}

struct Library {
    rows: Vec<Row>,
    /// The themes, every `$` reference resolved.
    themes: HashMap<String, Map<String, Json>>,
    /// Package -> component name -> row.
    index: HashMap<String, HashMap<String, usize>>,
}

impl Library {
    fn parse(text: &str) -> Result<Library, String> {
        let mut file: File = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut index: HashMap<String, HashMap<String, usize>> = HashMap::new();
        let mut aliases = Vec::new();
        let mut uses = Vec::new();
        for (i, row) in file.component.iter_mut().enumerate() {
            let what = format!("{} {:?}", row.package, row.names);
            let pkg = file
                .package
                .get(&row.package)
                .ok_or_else(|| format!("{what}: package not listed under [package]"))?;
            let theme = match &pkg.theme {
                Some(t) => Some(
                    file.theme
                        .get(t)
                        .ok_or_else(|| format!("{what}: no [theme.{t}]"))?,
                ),
                None => None,
            };
            row.check(&what, theme, &mut uses)?;
            // The row's own packages first; a package's `also` names get its rows where they
            // have none of their own.
            for p in std::iter::once(&row.package).chain(&row.also) {
                if !file.package.contains_key(p) {
                    return Err(format!("{what}: package {p} not listed under [package]"));
                }
                for n in &row.names {
                    if index
                        .entry(p.clone())
                        .or_default()
                        .insert(n.clone(), i)
                        .is_some()
                    {
                        return Err(format!("{p} {n}: two rows"));
                    }
                }
            }
            for p in pkg.also.keys() {
                aliases.extend(row.names.iter().map(|n| (p.clone(), n.clone(), i)));
            }
        }
        for (p, n, i) in aliases {
            index.entry(p).or_default().entry(n).or_insert(i);
        }
        for (package, what, name) in uses {
            if !index
                .get(&package)
                .is_some_and(|rows| rows.contains_key(&name))
            {
                return Err(format!(
                    "{what}: `{name}` is neither a row of the package nor a core node"
                ));
            }
        }
        for (name, pkg) in &file.package {
            if pkg.version.is_empty() || pkg.also.values().any(String::is_empty) {
                return Err(format!("{name}: no version"));
            }
            if pkg.source.is_empty() {
                return Err(format!("{name}: no source (where its values come from)"));
            }
        }
        let mut themes = HashMap::new();
        for (name, theme) in &file.theme {
            let mut resolved = theme.clone();
            resolve_theme(&mut resolved, Some(theme), &format!("[theme.{name}]"))?;
            themes.insert(name.clone(), resolved);
        }
        Ok(Library {
            rows: file.component,
            themes,
            index,
        })
    }
}

impl Row {
    /// Checks the row's references and resolves its `$theme` values. The components its parts
    /// name (other than core types) go to `uses` as (package, where, name): once every row is
    /// indexed, they must be rows of the package.
    fn check(
        &mut self,
        what: &str,
        theme: Option<&Map<String, Json>>,
        uses: &mut Vec<(String, String, String)>,
    ) -> Result<(), String> {
        let part_names: Vec<String> = self.parts.keys().cloned().collect();
        let mut consumed = Vec::new();
        let is_root = |n: &str| n == "root";
        for (name, part) in std::iter::once(("root", &mut self.root))
            .chain(self.parts.iter_mut().map(|(k, v)| (k.as_str(), v)))
        {
            let what = format!("{what} part {name}");
            match (&part.node, &part.slot, &part.component) {
                (None, None, Some(_)) => {}
                (None, Some(_), None) => {}
                (Some(n), None, None) => {
                    if node_type(n).is_none() && !SPECIAL_NODES.contains(&n.as_str()) {
                        return Err(format!("{what}: unknown node `{n}`"));
                    }
                    if n == "snapshot" && !is_root(name) {
                        return Err(format!("{what}: only the root can be a snapshot"));
                    }
                    if part.text.is_some() && n != "Text" {
                        return Err(format!("{what}: `text` needs node = \"Text\""));
                    }
                }
                _ => {
                    return Err(format!(
                        "{what}: needs exactly one of `node`, `slot` and `component`"
                    ));
                }
            }
            let targets = part.as_.iter().chain(&part.component);
            for a in targets.chain(part.objects.values().map(|(c, _)| c)) {
                if node_type(a).is_none() {
                    uses.push((self.package.clone(), what.clone(), a.clone()));
                }
            }
            for c in part.children.iter().flatten() {
                if c != "@children" && !part_names.contains(c) {
                    return Err(format!("{what}: no part `{c}`"));
                }
            }
            resolve_theme(&mut part.style, theme, &what)?;
            resolve_theme(&mut part.set, theme, &what)?;
            // The root takes the element's `style`, its props and its children unless told
            // otherwise; other parts nothing.
            let root = is_root(name);
            let default = |x: &str| {
                if root {
                    vec![x.to_string()]
                } else {
                    Vec::new()
                }
            };
            part.style_props.get_or_insert_with(|| default("style"));
            part.forward.get_or_insert_with(|| default("*"));
            if part.text.is_none() {
                part.children.get_or_insert_with(|| default("@children"));
            }
            consumed.extend(part.style_props.iter().flatten().cloned());
            consumed.extend(part.slot.iter().chain(&part.text).cloned());
            consumed.extend(part.style_from.values().cloned());
        }
        for v in &mut self.variant {
            for p in v.prop.split('+') {
                if !p.starts_with('@') {
                    consumed.push(p.to_string());
                }
            }
            let arity = v.prop.split('+').count();
            if let Some(d) = &v.default
                && d.split('+').count() != arity
            {
                return Err(format!("{what}: default `{d}` of `{}`", v.prop));
            }
            for (value, parts) in &mut v.values {
                if value.split('+').count() != arity {
                    return Err(format!("{what}: value `{value}` of `{}`", v.prop));
                }
                for (part, style) in parts {
                    if !is_root(part) && !part_names.contains(part) {
                        return Err(format!("{what}: variant `{value}` names no part `{part}`"));
                    }
                    resolve_theme(style, theme, what)?;
                }
            }
        }
        consumed.sort();
        consumed.dedup();
        self.consumed = consumed;
        Ok(())
    }

    fn part(&self, name: &str) -> &Part {
        if name == "root" {
            &self.root
        } else {
            &self.parts[name]
        }
    }
}

/// Replaces `"$name"` values (also inside objects) by the theme's value for `name`, which may
/// itself be a `$` reference.
fn resolve_theme(
    m: &mut Map<String, Json>,
    theme: Option<&Map<String, Json>>,
    what: &str,
) -> Result<(), String> {
    for v in m.values_mut() {
        resolve_value(v, theme, what)?;
    }
    Ok(())
}

fn resolve_value(
    v: &mut Json,
    theme: Option<&Map<String, Json>>,
    what: &str,
) -> Result<(), String> {
    match v {
        Json::String(s) if s.starts_with('$') => {
            let mut cur = Json::String(s.clone());
            for _ in 0..8 {
                let Json::String(r) = &cur else { break };
                let Some(key) = r.strip_prefix('$') else {
                    break;
                };
                cur = theme
                    .and_then(|t| t.get(key))
                    .cloned()
                    .ok_or_else(|| format!("{what}: `${key}` is not in the theme"))?;
            }
            *v = cur;
        }
        Json::Object(m) => resolve_theme(m, theme, what)?,
        _ => {}
    }
    Ok(())
}

/// The styles the element's variant props choose, per part: (part, after the style props, style).
type Chosen<'a> = Vec<(&'static str, bool, Value<'a>)>;

impl<'p, 'a> Interp<'p, 'a> {
    /// Renders `e`, an element of the table's `row` (imported from `package` as `name`).
    pub(super) fn render_library(
        &mut self,
        row: &'static Row,
        package: &str,
        name: &str,
        e: &&'a Elem<'a>,
        out: &mut Vec<Node>,
    ) -> R<()> {
        let (m, off) = (e.module, e.offset);
        let chosen = self.chosen_variants(row, name, e);
        let start = out.len();
        match row.root.node.as_deref() {
            Some("nothing") => return Ok(()),
            Some("children") => {
                let c = obj_get(&e.props, "children").unwrap_or(Value::Undef);
                return self.render(&c, out, m, off);
            }
            Some("snapshot") => {
                let props = self.part_props(row, &row.root, e);
                let style = self.part_style("root", &row.root, &chosen, e);
                obj_set_key(&props, "style", style);
                let el: &'a Elem<'a> = self.alloc.alloc(Elem {
                    ty: e.ty,
                    props,
                    module: m,
                    offset: off,
                });
                let mut reason = row.root.reason.clone().unwrap_or_else(|| "icon".into());
                if let Some(Value::Str(glyph)) = obj_get(&props, "name") {
                    reason = format!("{reason} `{glyph}`");
                }
                let mut n = self.snapshot_node(&el, name, &reason)?;
                self.library_icon_picture(package, name, &el, &mut n);
                out.push(n);
            }
            _ => {
                if let Some(v) = self.build_part(row, "root", &chosen, e)? {
                    self.render(&v, out, m, off)?;
                }
            }
        }
        mark_external(&mut out[start..], name, Some(package), Via::Library);
        Ok(())
    }

    /// The variant styles the element's props select, warning about values the table lacks.
    fn chosen_variants(&mut self, row: &'static Row, name: &str, e: &&'a Elem<'a>) -> Chosen<'a> {
        let mut chosen = Vec::new();
        for v in &row.variant {
            let defaults: Vec<&str> = v
                .default
                .as_deref()
                .map(|d| d.split('+').collect())
                .unwrap_or_default();
            // The value of each prop, as the key's part (`#` for numbers).
            let mut parts: Vec<&str> = Vec::new();
            let mut number = None;
            let mut missing = false;
            for (i, p) in v.prop.split('+').enumerate() {
                let default = defaults.get(i).copied();
                let value = if p == "@platform" {
                    Some(Value::borrowed(self.project.target.platform.as_str()))
                } else {
                    obj_get(&e.props, p)
                };
                let part = match value {
                    Some(Value::Str(s)) => {
                        // A value that no entry has at this place: the default, with a warning.
                        if v.values.keys().any(|k| k.split('+').nth(i) == Some(s)) {
                            Some(s)
                        } else {
                            self.warn(
                                "library-variant",
                                format!(
                                    "`{p}=\"{s}\"` of `<{name}>` is not a value the library table knows; {}",
                                    if default.is_some() { "the default is used" } else { "it is left out" }
                                ),
                                e.module,
                                e.offset,
                            );
                            default
                        }
                    }
                    Some(Value::Bool(b)) => Some(if b { "true" } else { "false" }),
                    Some(Value::Num(n)) => {
                        number = Some(n);
                        Some("#")
                    }
                    None | Some(Value::Undef) | Some(Value::Null) => default,
                    Some(other) => {
                        self.warn(
                            "library-variant",
                            format!(
                                "prop `{p}` of `<{name}>` could not be evaluated ({}); {}",
                                super::reason_of(&other),
                                if default.is_some() {
                                    "its default is used"
                                } else {
                                    "it is left out"
                                }
                            ),
                            e.module,
                            e.offset,
                        );
                        default
                    }
                };
                match part {
                    // `#50` as a default: the number 50.
                    Some(d) if d.len() > 1 && d.starts_with('#') => {
                        number = d[1..].parse().ok();
                        parts.push("#");
                    }
                    Some(d) => parts.push(d),
                    None => missing = true,
                }
            }
            if missing {
                continue;
            }
            let Some(values) = v.values.get(&parts.join("+")) else {
                continue;
            };
            for (part, style) in values {
                chosen.push((part.as_str(), v.after_style, self.table_obj(style, number)));
            }
        }
        chosen
    }

    /// The value of the part `name` of `row` for element `e`: an element (or what a slot
    /// holds), `None` when the part is left out.
    fn build_part(
        &mut self,
        row: &'static Row,
        name: &str,
        chosen: &Chosen<'a>,
        e: &&'a Elem<'a>,
    ) -> R<Option<Value<'a>>> {
        let part = row.part(name);
        let truthy = |p: &Option<String>| {
            p.as_deref().map(|p| {
                obj_get(&e.props, p)
                    .and_then(|v| v.truthy())
                    .unwrap_or(false)
            })
        };
        if truthy(&part.when) == Some(false) || truthy(&part.unless) == Some(true) {
            return Ok(None);
        }
        if let Some(slot) = &part.slot {
            let v = obj_get(&e.props, slot).unwrap_or(Value::Undef);
            return Ok(self.fill_slot(row, name, part, chosen, e, v, None));
        }
        if let Some(c) = &part.component {
            let props = self.part_props(row, part, e);
            let style = self.part_style(name, part, chosen, e);
            obj_set_key(&props, "style", style);
            self.part_children(row, part, chosen, e, &props)?;
            return Ok(Some(self.table_elem(
                self.component_value(row, c),
                props,
                e,
            )));
        }
        let node: &'static str = part.node.as_deref().unwrap_or("View");
        match node {
            "children" => return Ok(Some(obj_get(&e.props, "children").unwrap_or(Value::Undef))),
            "nothing" | "snapshot" => return Ok(None),
            _ => {}
        }
        if let Some(text) = &part.text {
            let v = obj_get(&e.props, text).unwrap_or(Value::Undef);
            return Ok(self.fill_slot(row, name, part, chosen, e, v, Some(node)));
        }
        let props = self.part_props(row, part, e);
        let style = self.part_style(name, part, chosen, e);
        obj_set_key(&props, "style", style);
        self.part_children(row, part, chosen, e, &props)?;
        Ok(Some(self.table_elem(Value::Host(node), props, e)))
    }

    /// Sets the `children` of a part's props: its child parts and the element's children.
    fn part_children(
        &mut self,
        row: &'static Row,
        part: &'static Part,
        chosen: &Chosen<'a>,
        e: &&'a Elem<'a>,
        props: &Obj<'a>,
    ) -> R<()> {
        let mut children = Vec::new();
        for c in part.children.iter().flatten() {
            let v = if c == "@children" {
                obj_get(&e.props, "children")
            } else {
                self.build_part(row, c, chosen, e)?
            };
            children.extend(v);
        }
        match children.len() {
            0 => {}
            1 => obj_set_key(props, "children", children[0]),
            _ => obj_set_key(props, "children", self.arr(children)),
        }
        Ok(())
    }

    /// The component a part names: a row of the same package (the package's own `Text`
    /// before the core one), else a core type.
    fn component_value(&self, row: &'static Row, name: &'static str) -> Value<'a> {
        match node_type(name) {
            Some(t) if self::row(&row.package, name).is_none() => Value::Host(t),
            _ => Value::ext(self.alloc, &row.package, name),
        }
    }

    /// What a slot (or a text part, `text_node` being its node type) renders for the prop
    /// value `v`, given the part's style and props.
    #[allow(clippy::too_many_arguments)]
    fn fill_slot(
        &mut self,
        row: &'static Row,
        name: &str,
        part: &'static Part,
        chosen: &Chosen<'a>,
        e: &&'a Elem<'a>,
        v: Value<'a>,
        text_node: Option<&'static str>,
    ) -> Option<Value<'a>> {
        let style = self.part_style(name, part, chosen, e);
        let props = self.part_props(row, part, e);
        obj_set_key(&props, "style", style);
        let as_ty = || match (&part.as_, text_node) {
            (Some(a), _) => Some(self.component_value(row, a)),
            (None, Some(node)) => Some(Value::Host(node)),
            (None, None) => None,
        };
        match v {
            Value::Undef | Value::Null | Value::Bool(false) => None,
            Value::Str("") => None,
            Value::Str(_) | Value::Num(_) => {
                obj_set_key(&props, "children", v);
                let ty = as_ty().unwrap_or(Value::Host("Text"));
                Some(self.table_elem(ty, props, e))
            }
            // Text parts hold elements and mixed children as their children (nested spans).
            Value::Elem(_) | Value::Arr(_) if text_node.is_some() => {
                obj_set_key(&props, "children", v);
                Some(self.table_elem(as_ty()?, props, e))
            }
            Value::Bool(true) => as_ty().map(|ty| self.table_elem(ty, props, e)),
            // An element gets the part's props under its own (its style after the part's).
            Value::Elem(el) => {
                let merged: Obj<'a> = empty_obj(self.alloc);
                for (k, pv) in props.borrow().iter() {
                    obj_set_key(&merged, k, *pv);
                }
                for (k, ev) in el.props.borrow().iter() {
                    let ev = match (*k, obj_get(&merged, "style")) {
                        ("style", Some(ps)) => self.arr(vec![ps, *ev]),
                        _ => *ev,
                    };
                    obj_set_key(&merged, k, ev);
                }
                Some(Value::Elem(self.alloc.alloc(Elem {
                    ty: el.ty,
                    props: merged,
                    module: el.module,
                    offset: el.offset,
                })))
            }
            // A component or render function gets the part's props.
            Value::Func(_)
            | Value::Class(_)
            | Value::Ext(_)
            | Value::Host(_)
            | Value::Styled(_) => Some(self.table_elem(v, props, e)),
            // A config object (`{text: 'Title', style}`, `{icon: 'menu', color}`) becomes the
            // `as` component with the object's entries as props.
            Value::Obj(o) => {
                let entries = o.borrow().to_vec();
                let mut kinds: Vec<(&'static String, &'static (String, String))> =
                    part.objects.iter().collect();
                kinds.sort();
                let (key, (component, prop)) = kinds
                    .into_iter()
                    .find(|(k, _)| entries.iter().any(|(ek, _)| ek == k))?;
                for (k, ov) in entries {
                    let k: &str = if k == key { prop } else { k };
                    let ov = match (k, obj_get(&props, "style")) {
                        ("style", Some(ps)) => self.arr(vec![ps, ov]),
                        _ => ov,
                    };
                    obj_set(&props, k, ov);
                }
                Some(self.table_elem(self.component_value(row, component), props, e))
            }
            other => Some(other),
        }
    }

    /// The part's props: the element's (forwarded), renamed, then the part's defaults.
    fn part_props(&self, row: &'static Row, part: &'static Part, e: &&'a Elem<'a>) -> Obj<'a> {
        let props: Obj<'a> = empty_obj(self.alloc);
        let listed = part.forward.as_deref().unwrap_or(&[]);
        let all = listed.first().is_some_and(|f| f == "*");
        for (k, v) in e.props.borrow().iter() {
            let keep = if all {
                *k != "children" && !row.consumed.iter().any(|c| c == k)
            } else {
                listed.iter().any(|l| l == k)
            };
            if keep {
                let k: &str = part.rename.get(*k).map(String::as_str).unwrap_or(k);
                obj_set(&props, k, *v);
            }
        }
        for (k, v) in &part.set {
            if obj_get(&props, k).is_none_or(|v| v.is_nullish()) {
                obj_set_key(&props, k.as_str(), self.table_value(v, None));
            }
        }
        props
    }

    /// The part's style: its defaults, the chosen variants, the element's style props.
    fn part_style(
        &self,
        name: &str,
        part: &'static Part,
        chosen: &Chosen<'a>,
        e: &&'a Elem<'a>,
    ) -> Value<'a> {
        let mut layers = vec![self.table_obj(&part.style, None)];
        let variants = |after: bool| {
            chosen
                .iter()
                .filter(move |(p, a, _)| *p == name && *a == after)
                .map(|(_, _, s)| *s)
        };
        layers.extend(variants(false));
        if !part.style_from.is_empty() {
            let from = part.style_from.iter().filter_map(|(k, p)| {
                Some((
                    k.as_str(),
                    obj_get(&e.props, p).filter(|v| !v.is_nullish())?,
                ))
            });
            layers.push(new_obj(self.alloc, from));
        }
        for p in part.style_props.iter().flatten() {
            if let Some(v) = obj_get(&e.props, p) {
                layers.push(v);
            }
        }
        layers.extend(variants(true));
        self.arr(layers)
    }

    fn table_elem(&self, ty: Value<'a>, props: Obj<'a>, e: &&'a Elem<'a>) -> Value<'a> {
        Value::Elem(self.alloc.alloc(Elem {
            ty,
            props,
            module: e.module,
            offset: e.offset,
        }))
    }

    /// A table style as an object; `"#"`, `"#/2"`, `"#*k"` stand for the variant's number.
    fn table_obj(&self, m: &'static Map<String, Json>, number: Option<f64>) -> Value<'a> {
        new_obj(
            self.alloc,
            m.iter()
                .map(|(k, v)| (k.as_str(), self.table_value(v, number))),
        )
    }

    fn table_value(&self, v: &'static Json, number: Option<f64>) -> Value<'a> {
        match v {
            Json::String(s) if s.starts_with('@') => match s.as_str() {
                "@hairline" => Value::Num(1.0 / self.device.scale),
                "@safe-top" => Value::Num(self.device.safe_area.top),
                "@window-width" => Value::Num(self.device.width),
                "@window-height" => Value::Num(self.device.height),
                _ => Value::borrowed(s),
            },
            Json::String(s) if number.is_some() && s.contains("{#") => {
                Value::str(self.alloc, &fill_number(s, number.unwrap_or_default()))
            }
            Json::String(s) if s.starts_with('#') && number.is_some() => {
                let n = number.unwrap_or_default();
                match s.as_str() {
                    "#" => Value::Num(n),
                    "#/2" => Value::Num(n / 2.0),
                    x => match x.strip_prefix("#*").and_then(|k| k.parse::<f64>().ok()) {
                        Some(k) => Value::Num(n * k),
                        None => Value::borrowed(s),
                    },
                }
            }
            Json::String(s) => Value::borrowed(s),
            Json::Object(m) => self.table_obj(m, number),
            other => super::json_to_value(self.alloc, other),
        }
    }
}

impl<'p, 'a> Interp<'p, 'a> {
    /// The table's theme `name` as an object (`useTheme()` of a UI kit).
    pub(super) fn table_theme(&self, name: &str) -> Value<'a> {
        match theme(name) {
            Some(t) => self.table_obj(t, None),
            None => Value::unknown(self.alloc, format!("no theme `{name}`")),
        }
    }

    /// `styles` (an object of style objects) with string values that name a key of the
    /// table's theme `name` replaced by the theme's value: UI Kitten's `useStyleSheet`
    /// (`backgroundColor: 'color-primary-default'`).
    pub(super) fn themed_styles(&self, name: &str, styles: Value<'a>) -> Value<'a> {
        let (Some(t), Value::Obj(sheet)) = (theme(name), styles) else {
            return styles;
        };
        let entries = sheet.borrow().to_vec();
        new_obj(
            self.alloc,
            entries.into_iter().map(|(k, style)| {
                let style = match style {
                    Value::Obj(o) => {
                        let props = o.borrow().to_vec();
                        new_obj(
                            self.alloc,
                            props.into_iter().map(|(pk, pv)| match pv {
                                Value::Str(s) => match t.get(s) {
                                    Some(v) => (pk, self.table_value(v, None)),
                                    None => (pk, pv),
                                },
                                _ => (pk, pv),
                            }),
                        )
                    }
                    other => other,
                };
                (k, style)
            }),
        )
    }
}

/// `s` with each `{#}`, `{#/2}`, `{#*k}` replaced by the number.
fn fill_number(s: &str, n: f64) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find("{#") {
        out.push_str(&rest[..at]);
        let Some(end) = rest[at..].find('}') else {
            break;
        };
        let expr = &rest[at + 1..at + end];
        let v = match expr {
            "#" => Some(n),
            "#/2" => Some(n / 2.0),
            x => x
                .strip_prefix("#*")
                .and_then(|k| k.parse::<f64>().ok())
                .map(|k| n * k),
        };
        match v {
            Some(v) => out.push_str(&fmt_num((v * 1000.0).round() / 1000.0)),
            None => out.push_str(&rest[at..=at + end]),
        }
        rest = &rest[at + end + 1..];
    }
    out.push_str(rest);
    out
}

/// Marks the top nodes a third-party component became (those not marked by an inner one).
pub(super) fn mark_external(nodes: &mut [Node], component: &str, package: Option<&str>, via: Via) {
    for n in nodes.iter_mut().filter(|n| n.external.is_none()) {
        n.external = Some(Box::new(External {
            component: component.to_string(),
            package: package.map(str::to_string),
            via,
        }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_parses_and_its_references_resolve() {
        let lib = Library::parse(TABLE).unwrap_or_else(|e| panic!("{e}"));
        assert!(lib.rows.len() > 50);
        // Aliased packages share rows; a package's own row wins over an alias.
        let rne = row("react-native-elements", "ListItem.Title").unwrap();
        assert!(std::ptr::eq(
            rne,
            row("@rneui/themed", "ListItem.Title").unwrap()
        ));
        assert_eq!(
            row("@rneui/themed", "Button").unwrap().package,
            "@rneui/base"
        );
        assert!(row("@ui-kitten/components", "NoSuchThing").is_none());
    }

    #[test]
    fn a_broken_reference_is_an_error_naming_the_row() {
        let bad = r#"
[package.p]
version = "1.0.0"
source = "test"
[[component]]
package = "p"
names = ["X"]
[component.root]
node = "View"
children = ["missing"]
"#;
        let err = Library::parse(bad).err().unwrap();
        assert!(
            err.contains("p [\"X\"]") && err.contains("no part `missing`"),
            "{err}"
        );
    }

    #[test]
    fn numbers_fill_templates() {
        assert_eq!(
            fill_number("rgba(1,1,1,{#*0.003})", 50.0),
            "rgba(1,1,1,0.15)"
        );
        assert_eq!(fill_number("{#/2}px {#}", 8.0), "4px 8");
    }
}
