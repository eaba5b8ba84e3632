//! Host components: core `react-native` elements become Layout JSON nodes with their props,
//! text, image sources and list items.

use serde_json::{Map, Value as Json};

use super::value::*;
use super::{Interp, R, UNKNOWN_LIST_ITEMS, reason_of};
use crate::document::{Node, PropertyMap};
use crate::project::FileKind;

/// Props that matter for rendering, kept when their value is known (in this order).
macro_rules! render_props {
    ($($p:literal),* $(,)?) => {
        const RENDER_PROPS: &[&str] = &[$($p),*];

        /// The position of `k` in [`RENDER_PROPS`]; other props are rejected by one `match`.
        fn render_prop_index(k: &str) -> Option<usize> {
            match k {
                $($p)|* => RENDER_PROPS.iter().position(|p| *p == k),
                _ => None,
            }
        }
    };
}

render_props![
    "placeholder",
    "placeholderTextColor",
    "numberOfLines",
    "resizeMode",
    "contentFit",
    "horizontal",
    "numColumns",
    "value",
    "defaultValue",
    "secureTextEntry",
    "multiline",
    "editable",
    "title",
    "color",
    "size",
    "visible",
    "transparent",
    "animationType",
    "tintColor",
    "disabled",
    "inverted",
    "showsVerticalScrollIndicator",
    "showsHorizontalScrollIndicator",
    "ellipsizeMode",
    "trackColor",
    "thumbColor",
    "keyboardType",
    "blurRadius",
    "testID",
    "accessibilityLabel",
    "edges",
    "behavior",
    "maxLength",
    "pagingEnabled",
];

impl<'p, 'a> Interp<'p, 'a> {
    pub(super) fn render_host(
        &mut self,
        h: &'static str,
        e: &&'a Elem<'a>,
        out: &mut Vec<Node>,
    ) -> R<()> {
        let (m, off) = (e.module, e.offset);
        match h {
            "Nothing" | "StatusBar" | "RefreshControl" => return Ok(()),
            // A closed modal shows nothing.
            "Modal" if obj_get(&e.props, "visible").and_then(|v| v.truthy()) == Some(false) => {
                return Ok(());
            }
            "Link" => return self.render_link(e, out),
            _ => {}
        }
        let kind = match h {
            "SafeAreaProvider" => "View",
            "SafeAreaContextView" => "SafeAreaView",
            other => other,
        };
        let mut node = self.new_node(kind, m, off)?;
        node.source = Some(self.project.location(m, off));
        node.style = self.resolve_style(e, "style");
        if h == "SafeAreaProvider" {
            node.style.insert_if_absent("flex", Json::from(1));
        }
        // One pass over the props: the render props present (the last value of each), which
        // of the extra style props are there, the press handler and the children.
        let mut found: Vec<(usize, Value<'a>)> = Vec::new();
        let mut extra_styles = [false; 3];
        let (mut on_press, mut children) = (None, Value::Undef);
        for (k, v) in e.props.borrow().iter() {
            match &**k {
                "children" => children = *v,
                "onPress" => on_press = Some(*v),
                "contentContainerStyle" | "contentContainerClassName" => extra_styles[0] = true,
                "columnWrapperStyle" => extra_styles[1] = true,
                "imageStyle" => extra_styles[2] = true,
                k => {
                    if let Some(i) = render_prop_index(k) {
                        match found.iter_mut().find(|(j, _)| *j == i) {
                            Some(slot) => slot.1 = *v,
                            None => found.push((i, *v)),
                        }
                    }
                }
            }
        }
        found.sort_by_key(|(i, _)| *i);
        for (i, v) in found {
            let p = &RENDER_PROPS[i];
            match v.to_json() {
                Ok(Json::Null) => {}
                Ok(j) => {
                    node.props.insert(*p, j);
                }
                Err(r) => {
                    if !matches!(v, Value::Func(_)) {
                        self.warn(
                            "unknown-prop",
                            format!("prop `{p}` could not be evaluated ({r}); it is left out"),
                            m,
                            off,
                        );
                    }
                }
            }
        }
        let scroll = is_scroll(h);
        // A scroll view's `contentContainerStyle` is its content container node's style.
        let mut content_style = PropertyMap::new();
        for (p, present) in ["contentContainerStyle", "columnWrapperStyle", "imageStyle"]
            .into_iter()
            .zip(extra_styles)
        {
            if present {
                let st = self.resolve_style(e, p);
                if scroll && p == "contentContainerStyle" {
                    content_style = st;
                } else if !st.is_empty() {
                    node.props.insert(p, Json::Object(st.to_json_map()));
                }
            }
        }
        if matches!(h, "Image" | "ImageBackground") {
            self.image_source(e, &mut node);
        }
        if matches!(h, "SafeAreaView" | "SafeAreaContextView") {
            self.safe_area_padding(h, e, &mut node);
        }
        if h == "Image" {
            // React Native's `Image` styles itself `[{width, height} of the source, style]`.
            let source = node.props.get("source");
            let dims = ["width", "height"].map(|k| source.and_then(|s| s.get(k)).cloned());
            for (k, v) in ["width", "height"].into_iter().zip(dims) {
                if let Some(v) = v {
                    node.style.insert_if_absent(k, v);
                }
            }
            node.style.sort_keys();
        }
        // The literal navigation action of the press handler, if any.
        node.action = on_press
            .and_then(|handler| self.action_of_fn(&handler, 0))
            .map(Box::new);
        // The children are one level deeper (two inside a scroll view's content container).
        self.output_depth += 1 + usize::from(scroll);
        let rendered = match h {
            "FlatList" | "SectionList" => self.render_list(h, e, &mut node),
            "Button" => {
                if let Some(Value::Str(t)) = obj_get(&e.props, "title") {
                    node.text = Some(t.to_string());
                }
                Ok(())
            }
            "Text" if let Some(text) = plain_text(&children) => {
                // Only strings and numbers inside: the text itself, without child nodes.
                node.text = text;
                Ok(())
            }
            "Text" if let Some(reason) = all_unknown(&children) => {
                // Text the compiler cannot know (`{item.title}` of unknown data): a skeleton
                // bar where it would be, so the layout keeps its shape.
                self.warn(
                    "unknown-text",
                    format!(
                        "the text could not be evaluated ({reason}); a skeleton bar stands for it"
                    ),
                    m,
                    off,
                );
                skeleton(&mut node);
                Ok(())
            }
            _ => self
                .render_children(children, m, off)
                .map(|c| node.children = c),
        };
        self.output_depth -= 1 + usize::from(scroll);
        rendered?;
        if scroll {
            self.scroll_content(&mut node, content_style, m, off)?;
        }
        if h == "Text"
            && !node.children.is_empty()
            && node.children.iter().all(|c| c.kind == "RawText")
        {
            // The texts move into the parent (one child's text is taken as it is).
            let mut texts = std::mem::take(&mut node.children)
                .into_iter()
                .filter_map(|c| c.text);
            let mut text = texts.next().unwrap_or_default();
            for t in texts {
                text.push_str(&t);
            }
            node.text = Some(text);
        }
        out.push(node);
        Ok(())
    }

    pub(super) fn image_source(&mut self, e: &&'a Elem<'a>, node: &mut Node) {
        let src = obj_get(&e.props, "source").or_else(|| obj_get(&e.props, "src"));
        let mut out = Map::new();
        match src {
            Some(Value::Asset(p)) => self.image_asset(p, &mut out),
            Some(Value::Str(uri)) => {
                out.insert("uri".into(), Json::String(uri.to_string()));
            }
            Some(Value::Obj(o)) => {
                match obj_get(&o, "uri") {
                    Some(Value::Str(u)) => {
                        out.insert("uri".into(), Json::String(u.to_string()));
                    }
                    Some(Value::Unknown(r)) => self.warn(
                        "unknown-image",
                        format!("image uri could not be evaluated ({r}); a placeholder is shown"),
                        e.module,
                        e.offset,
                    ),
                    _ => {}
                }
                for k in ["width", "height"] {
                    if let Some(Value::Num(n)) = obj_get(&o, k) {
                        out.insert(k.into(), num_json(n));
                    }
                }
            }
            Some(Value::Arr(xs)) => {
                if let Some(Value::Obj(o)) = xs.first()
                    && let Some(Value::Str(u)) = obj_get(o, "uri")
                {
                    out.insert("uri".into(), Json::String(u.to_string()));
                }
            }
            None | Some(Value::Undef) => return,
            Some(other) => {
                self.warn(
                    "unknown-image",
                    format!(
                        "image source could not be evaluated ({}); a placeholder is shown",
                        reason_of(&other)
                    ),
                    e.module,
                    e.offset,
                );
            }
        }
        if out.contains_key("uri") || !out.contains_key("asset") {
            // Remote images are never fetched: the renderer draws a placeholder of the declared size.
            out.insert("placeholder".into(), Json::Bool(true));
        }
        node.props.insert("source", Json::Object(out));
    }

    /// `source` of an image file: the variant the device loads when the request carries it
    /// (`asset` its path, `asset_id` its content address, `scale`, and `width`/`height`, its
    /// natural size in points), else `asset` as written (a placeholder names it).
    fn image_asset(&self, path: &str, out: &mut Map<String, Json>) {
        let project = self.project;
        let Some((i, scale)) = project.image_variant(path, self.device.scale) else {
            out.insert("asset".into(), Json::String(path.to_owned()));
            return;
        };
        let FileKind::Image(image) = &project.files[i].kind else {
            return;
        };
        out.insert("asset".into(), Json::String(project.files[i].path.clone()));
        out.insert("asset_id".into(), Json::String(image.asset_id.clone()));
        out.insert("scale".into(), num_json(scale));
        out.insert("width".into(), num_json(f64::from(image.pixels.0) / scale));
        out.insert("height".into(), num_json(f64::from(image.pixels.1) / scale));
    }

    /// The items of a `FlatList` or `SectionList` as React Native's `VirtualizedList` lays
    /// them out inside the content container: the header and footer each in a `View` with
    /// `ListHeaderComponentStyle` / `ListFooterComponentStyle`, every item (with the separator
    /// that follows it, none after the last) in a cell `View` (`flexDirection: row` when
    /// `horizontal`), `numColumns` items to a row `View` (`flexDirection: row` under
    /// `columnWrapperStyle`), section headers in cells of their own, and the empty component
    /// unwrapped.
    pub(super) fn render_list(&mut self, h: &str, e: &&'a Elem<'a>, node: &mut Node) -> R<()> {
        let (m, off) = (e.module, e.offset);
        let horizontal = obj_get(&e.props, "horizontal").and_then(|v| v.truthy()) == Some(true);
        let mut children = Vec::new();
        // The cells are one level below the content container.
        self.output_depth += 1;
        let rendered = self.list_cells(h, e, horizontal, &mut children);
        self.output_depth -= 1;
        rendered?;
        for (key, style_key) in [
            ("ListHeaderComponent", "ListHeaderComponentStyle"),
            ("ListFooterComponent", "ListFooterComponentStyle"),
        ] {
            let Some(v) = obj_get(&e.props, key) else {
                continue;
            };
            let el = self.as_element(v, m, off);
            let mut inner = Vec::new();
            self.output_depth += 1;
            let rendered = self.render(&el, &mut inner, m, off);
            self.output_depth -= 1;
            rendered?;
            if inner.is_empty() {
                continue;
            }
            let mut wrapper = self.cell(inner, false, m, off)?;
            wrapper.style = self.resolve_style(e, style_key);
            if key == "ListHeaderComponent" {
                children.insert(0, wrapper);
            } else {
                children.push(wrapper);
            }
        }
        node.children = children;
        Ok(())
    }

    fn list_cells(
        &mut self,
        h: &str,
        e: &&'a Elem<'a>,
        horizontal: bool,
        cells: &mut Vec<Node>,
    ) -> R<()> {
        let (m, off) = (e.module, e.offset);
        let render_item = obj_get(&e.props, "renderItem").unwrap_or(Value::Undef);
        let separator = obj_get(&e.props, "ItemSeparatorComponent");
        // Runs of items (a section's, or the list's), each run after its section, if any.
        let mut runs: Vec<(Option<Value<'a>>, Vec<Value<'a>>)> = Vec::new();
        if h == "FlatList" {
            match obj_get(&e.props, "data").unwrap_or(Value::Undef) {
                Value::Arr(xs) => runs.push((None, xs.to_vec())),
                Value::Undef | Value::Null => {}
                other => {
                    self.warn(
                        "unknown-list",
                        format!("list data is unknown ({}); {UNKNOWN_LIST_ITEMS} items are rendered from the item template", reason_of(&other)),
                        m,
                        off,
                    );
                    let item = Value::unknown(
                        self.alloc,
                        format!("list item of unknown data ({})", reason_of(&other)),
                    );
                    runs.push((None, vec![item; UNKNOWN_LIST_ITEMS]));
                }
            }
        } else {
            match obj_get(&e.props, "sections").unwrap_or(Value::Undef) {
                Value::Arr(secs) => {
                    for s in secs.iter() {
                        let items = match self.get_prop(s, "data") {
                            Value::Arr(xs) => xs.to_vec(),
                            _ => Vec::new(),
                        };
                        runs.push((Some(*s), items));
                    }
                }
                other => {
                    self.warn(
                        "unknown-list",
                        format!(
                            "sections are unknown ({}); none are rendered",
                            reason_of(&other)
                        ),
                        m,
                        off,
                    );
                }
            }
        }
        if runs
            .iter()
            .all(|(section, items)| section.is_none() && items.is_empty())
        {
            if let Some(v) = obj_get(&e.props, "ListEmptyComponent") {
                let el = self.as_element(v, m, off);
                self.render(&el, cells, m, off)?;
            }
            return Ok(());
        }
        let columns = match obj_get(&e.props, "numColumns") {
            Some(Value::Num(n)) if h == "FlatList" && !horizontal && n >= 2.0 => n as usize,
            _ => 1,
        };
        let header_fn = obj_get(&e.props, "renderSectionHeader");
        let mut index = 0;
        for (section, items) in runs {
            if let Some(section) = section
                && let Some(f) = &header_fn
            {
                let info = new_obj(self.alloc, vec![("section", section)]);
                let r = self.call(f, None, vec![info], m, off)?;
                let mut inner = Vec::new();
                self.render(&r, &mut inner, m, off)?;
                if !inner.is_empty() {
                    cells.push(self.cell(inner, horizontal, m, off)?);
                }
            }
            let rows = items.len().div_ceil(columns);
            for (row, chunk) in items.chunks(columns).enumerate() {
                let mut inner = Vec::new();
                self.output_depth += usize::from(columns > 1);
                for item in chunk {
                    let info = new_obj(
                        self.alloc,
                        vec![("item", *item), ("index", Value::Num(index as f64))],
                    );
                    let r = self.call(&render_item, None, vec![info], m, off)?;
                    self.render(&r, &mut inner, m, off)?;
                    index += 1;
                }
                self.output_depth -= usize::from(columns > 1);
                if columns > 1 {
                    let mut line = self.new_node("View", m, off)?;
                    line.source = Some(self.project.location(m, off));
                    line.style = self.resolve_style(e, "columnWrapperStyle");
                    line.style
                        .insert_if_absent("flexDirection", Json::from("row"));
                    line.style.sort_keys();
                    line.children = inner;
                    inner = vec![line];
                }
                if row + 1 < rows
                    && let Some(sep) = &separator
                {
                    let el = self.as_element(*sep, m, off);
                    self.render(&el, &mut inner, m, off)?;
                }
                cells.push(self.cell(inner, horizontal, m, off)?);
            }
        }
        Ok(())
    }

    /// A list cell: a `View` around `children` (`flexDirection: row` in a horizontal list).
    fn cell(&mut self, children: Vec<Node>, horizontal: bool, m: usize, off: u32) -> R<Node> {
        let mut cell = self.new_node("View", m, off)?;
        cell.source = Some(self.project.location(m, off));
        if horizontal {
            cell.style.insert("flexDirection", Json::from("row"));
        }
        cell.children = children;
        Ok(cell)
    }

    /// Writes a safe-area view's insets (the device profile's) into its style, so the document
    /// lays out without the device's help: React Native's `SafeAreaView` (iOS only; a plain
    /// `View` on Android) pads each edge by its inset in place of the style's padding;
    /// react-native-safe-area-context's adds the insets of its `edges` (all by default; an
    /// `{edge: "additive" | "maximum" | "off"}` object too) to the style's padding, or to its
    /// margin with `mode="margin"`. `props.safeAreaInsets` records what was applied.
    fn safe_area_padding(&mut self, h: &str, e: &&'a Elem<'a>, node: &mut Node) {
        let insets = self.device.safe_area;
        let edges = [
            ("Top", insets.top),
            ("Right", insets.right),
            ("Bottom", insets.bottom),
            ("Left", insets.left),
        ];
        let core = h == "SafeAreaView";
        if core && self.project.target.platform != crate::document::TargetPlatform::Ios {
            return;
        }
        let margin =
            !core && matches!(obj_get(&e.props, "mode"), Some(Value::Str(m)) if m == "margin");
        let edge_mode = |edge: &str| -> &'static str {
            if core {
                return "replace";
            }
            let lower = edge.to_ascii_lowercase();
            match obj_get(&e.props, "edges") {
                Some(Value::Arr(xs)) => {
                    if xs
                        .iter()
                        .any(|x| matches!(x, Value::Str(s) if **s == *lower))
                    {
                        "additive"
                    } else {
                        "off"
                    }
                }
                Some(Value::Obj(o)) => match obj_get(&o, &lower) {
                    Some(Value::Str("maximum")) => "maximum",
                    Some(Value::Str("off")) => "off",
                    None | Some(Value::Undef) => "off",
                    _ => "additive",
                },
                _ => "additive",
            }
        };
        let mut applied = Map::new();
        for (edge, inset) in edges {
            let mode = edge_mode(edge);
            if mode == "off" || (inset == 0.0 && mode != "replace") {
                continue;
            }
            let key: &'static str = match (margin, edge) {
                (false, "Top") => "paddingTop",
                (false, "Right") => "paddingRight",
                (false, "Bottom") => "paddingBottom",
                (false, "Left") => "paddingLeft",
                (true, "Top") => "marginTop",
                (true, "Right") => "marginRight",
                (true, "Bottom") => "marginBottom",
                _ => "marginLeft",
            };
            let own = node.style.get(key).and_then(Json::as_f64);
            if own.is_none() && node.style.contains_key(key) && mode != "replace" {
                // A percentage or `auto` cannot be added to; it stays as written.
                continue;
            }
            let own = own.unwrap_or(0.0);
            let value = match mode {
                "replace" => inset,
                "maximum" => own.max(inset),
                _ => own + inset,
            };
            node.style.insert(key, num_json(value));
            applied.insert(edge.to_ascii_lowercase(), num_json(inset));
        }
        node.style.sort_keys();
        node.props.insert("safeAreaInsets", Json::Object(applied));
    }

    /// Writes what React Native's `ScrollView` adds around its children into the document: its
    /// base style under the node's own (`flexGrow: 1`, `flexShrink: 1`, `overflow: scroll`, and
    /// `flexDirection` as `horizontal` says), and one content container `View`
    /// (`props.contentContainer: true`) holding the children, styled by
    /// `contentContainerStyle` (over `flexDirection: row` when `horizontal`). Stock Yoga over the
    /// document's styles then lays the content out as the device does.
    fn scroll_content(
        &mut self,
        node: &mut Node,
        mut content_style: PropertyMap,
        m: usize,
        off: u32,
    ) -> R<()> {
        let horizontal = node.props.get("horizontal") == Some(&Json::Bool(true));
        node.style.insert_if_absent("flexGrow", Json::from(1));
        node.style.insert_if_absent("flexShrink", Json::from(1));
        node.style.insert_if_absent(
            "flexDirection",
            Json::from(if horizontal { "row" } else { "column" }),
        );
        node.style
            .insert_if_absent("overflow", Json::from("scroll"));
        node.style.sort_keys();
        let mut content = self.new_node("View", m, off)?;
        content.source = node.source.clone();
        if horizontal {
            content_style.insert_if_absent("flexDirection", Json::from("row"));
        }
        content_style.sort_keys();
        content.style = content_style;
        content.props.insert("contentContainer", Json::Bool(true));
        content.children = std::mem::take(&mut node.children);
        node.children = vec![content];
        Ok(())
    }

    /// A component value (or element) as an element with no props.
    pub(super) fn as_element(&self, v: Value<'a>, m: usize, off: u32) -> Value<'a> {
        match v {
            Value::Func(_)
            | Value::Class(_)
            | Value::Host(_)
            | Value::Ext(..)
            | Value::Styled(_) => Value::Elem(self.alloc.alloc(Elem {
                ty: v,
                props: empty_obj(self.alloc),
                module: m,
                offset: off,
            })),
            v => v,
        }
    }
}

/// The components React Native renders as a `ScrollView` with a content container.
fn is_scroll(h: &str) -> bool {
    matches!(h, "ScrollView" | "FlatList" | "SectionList")
}

/// The reason when every child that renders is unknown (and at least one is).
fn all_unknown<'a>(children: &Value<'a>) -> Option<&'a str> {
    let mut reason = None;
    let mut check = |v: &Value<'a>| match v {
        Value::Unknown(r) => {
            reason.get_or_insert(*r);
            true
        }
        Value::Undef | Value::Null | Value::Bool(_) => true,
        _ => false,
    };
    let all = match children {
        Value::Arr(xs) => xs.iter().all(&mut check),
        v => check(v),
    };
    if all { reason } else { None }
}

/// Turns a `Text` node whose content is unknown into a skeleton bar: a `View` (props
/// `skeleton: "text"`) as wide as about ten characters of its font size (at most its
/// container), as tall as a line, with a rounded light-grey bar in the middle of the line.
fn skeleton(node: &mut Node) {
    let font = node
        .style
        .get("fontSize")
        .and_then(Json::as_f64)
        .unwrap_or(14.0);
    let line = node
        .style
        .get("lineHeight")
        .and_then(Json::as_f64)
        .unwrap_or((font * 1.2).round());
    let bar = (font * 0.75).round().max(1.0);
    let margin = ((line - bar) / 2.0).max(0.0);
    // Resolved styles hold longhands only (shorthands are expanded).
    let keep = [
        "marginTop",
        "marginBottom",
        "marginLeft",
        "marginRight",
        "alignSelf",
        "position",
        "top",
        "left",
        "right",
        "bottom",
        "flexGrow",
        "flexShrink",
        "flexBasis",
    ];
    let num = |v: f64| num_json((v * 100.0).round() / 100.0);
    let mut style: std::collections::BTreeMap<String, Json> = node
        .style
        .iter()
        .filter(|(k, _)| keep.contains(k))
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    let top = style.get("marginTop").and_then(Json::as_f64).unwrap_or(0.0);
    let bottom = style
        .get("marginBottom")
        .and_then(Json::as_f64)
        .unwrap_or(0.0);
    let radius = num((bar / 2.0).min(6.0));
    for (k, v) in [
        ("width", num((font * 5.5).round())),
        ("maxWidth", Json::from("100%")),
        ("height", num(bar)),
        ("borderTopLeftRadius", radius.clone()),
        ("borderTopRightRadius", radius.clone()),
        ("borderBottomLeftRadius", radius.clone()),
        ("borderBottomRightRadius", radius),
        ("backgroundColor", Json::from("#e2e8f0")),
        ("marginTop", num(top + margin)),
        ("marginBottom", num(bottom + margin)),
    ] {
        style.insert(k.to_string(), v);
    }
    style
        .entry("alignSelf".to_string())
        .or_insert_with(|| Json::from("flex-start"));
    node.style = crate::document::PropertyMap::new();
    // Keys in order, as everywhere in the document.
    for (k, v) in style {
        node.style.insert(k, v);
    }
    node.kind = "View".into();
    node.text = None;
    node.props = crate::document::PropertyMap::new();
    node.props.insert("skeleton", Json::from("text"));
}

/// The text of `<Text>` children made only of strings and numbers (what a rendered `RawText`
/// child would hold, joined), skipping what renders nothing (`false`, `null`, `undefined`):
/// `Some(None)` when nothing is left. `None` when any child is something else.
pub(super) fn plain_text(children: &Value<'_>) -> Option<Option<String>> {
    let part = |v: &Value<'_>| match v {
        Value::Str(_) | Value::Num(_) => Some(v.to_display()),
        Value::Undef | Value::Null | Value::Bool(_) => Some(None),
        _ => None,
    };
    match children {
        Value::Arr(xs) => {
            let mut text: Option<String> = None;
            for x in xs.iter() {
                if let Some(t) = part(x)? {
                    text.get_or_insert_with(String::new).push_str(&t);
                }
            }
            Some(text)
        }
        v => part(v),
    }
}
