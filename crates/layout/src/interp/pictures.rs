//! Snapshots that are pictures: what a third-party element shows when it can be known
//! statically, so the renderer draws it instead of a placeholder (`document::Picture`).
//!
//! - Icons of @expo/vector-icons, react-native-vector-icons, UI Kitten (Eva icons) and
//!   react-native-elements: a glyph of the vendored fonts (`hivesync-icons`), at the icon's
//!   size and colour.
//! - react-native-svg trees written in JSX: SVG markup built from the elements.
//! - expo-linear-gradient / react-native-linear-gradient: a container whose first child is a
//!   gradient filling it.

use std::collections::HashMap;
use std::fmt::Write as _;

use hivesync_icons::IconSet;
use serde_json::Value as Json;

use super::library::mark_external;
use super::value::{Elem, Value, num_json, obj_get};
use super::{Interp, R};
use crate::document::{Node, Picture, Point, Via};

/// The icon set a vector-icons export stands for: `{Ionicons}` from `@expo/vector-icons`,
/// the default export of `@expo/vector-icons/Ionicons` or `react-native-vector-icons/Ionicons`,
/// or of `@react-native-vector-icons/ionicons` (v12's per-set packages). A default import is
/// named after its local binding (`import Icon from ...`), so the module alone says the set.
pub(super) fn vector_icon_set(pkg: &str, name: &str) -> Option<&'static IconSet> {
    if matches!(pkg, "@expo/vector-icons" | "react-native-vector-icons") {
        return hivesync_icons::icon_set(name);
    }
    // Members (`Icon.Button`) are other components.
    if name.contains('.') {
        return None;
    }
    if let Some(set) = pkg
        .strip_prefix("@expo/vector-icons/")
        .or_else(|| pkg.strip_prefix("react-native-vector-icons/"))
    {
        return hivesync_icons::icon_set(set);
    }
    // v12: `@react-native-vector-icons/ionicons`, `.../material-design-icons`, `.../evil-icons`.
    let set = match pkg.strip_prefix("@react-native-vector-icons/")? {
        "material-design-icons" => "MaterialCommunityIcons",
        other => other,
    };
    let key: String = set.chars().filter(|c| *c != '-').collect();
    hivesync_icons::icon_set_names()
        .find(|n| n.eq_ignore_ascii_case(&key))
        .and_then(hivesync_icons::icon_set)
}

/// The icon set of react-native-elements' `Icon` `type` (icons/getIconType.js; default
/// `material`).
fn rne_icon_set(ty: &str) -> Option<&'static IconSet> {
    let set = match ty {
        "material" => "MaterialIcons",
        "material-community" => "MaterialCommunityIcons",
        "simple-line-icon" => "SimpleLineIcons",
        "zocial" => "Zocial",
        "font-awesome" => "FontAwesome",
        "font-awesome-5" => "FontAwesome5",
        "octicon" => "Octicons",
        "ionicon" => "Ionicons",
        "foundation" => "Foundation",
        "evilicon" => "EvilIcons",
        "entypo" => "Entypo",
        "antdesign" => "AntDesign",
        "feather" => "Feather",
        "fontisto" => "Fontisto",
        _ => return None,
    };
    hivesync_icons::icon_set(set)
}

/// Eva icons without a size (react-native-eva-icons' default width and height).
const EVA_DEFAULT_SIZE: f64 = 24.0;

fn str_prop<'a>(e: &Elem<'a>, key: &str) -> Option<&'a str> {
    match obj_get(&e.props, key) {
        Some(Value::Str(s)) => Some(s),
        _ => None,
    }
}

/// A vector icon's size (default 12) and colour (default black): the style's `fontSize` and
/// `color` win over the props, as the package puts `style` after them.
fn icon_size_and_color(n: &Node, e: &Elem<'_>) -> (f64, String) {
    let size = style_num(n, "fontSize")
        .or_else(|| match obj_get(&e.props, "size") {
            Some(Value::Num(s)) => Some(s),
            _ => None,
        })
        .unwrap_or(hivesync_icons::DEFAULT_SIZE);
    let color = style_str(n, "color")
        .or_else(|| str_prop(e, "color").map(str::to_owned))
        .unwrap_or_else(|| hivesync_icons::DEFAULT_COLOR.to_owned());
    (size, color)
}

/// The package name of the components `createIconSet` makes (their export name is the set's
/// index in `Interp::icon_sets`).
const CUSTOM_ICON_SET: &str = "hivesync:createIconSet";

/// An icon set made by the program with `createIconSet`.
pub(super) struct CustomIconSet {
    /// The vendored font that draws it, when there is one.
    family: Option<&'static str>,
    /// The font family as written (the set's name in warnings).
    name: String,
    glyphs: HashMap<String, u32>,
}

/// Whether `pkg`'s export `name` is react-native-vector-icons' `createIconSet`.
pub(super) fn is_create_icon_set(pkg: &str, name: &str) -> bool {
    match pkg {
        "@expo/vector-icons"
        | "react-native-vector-icons"
        | "@react-native-vector-icons/common" => name == "createIconSet",
        "@expo/vector-icons/createIconSet"
        | "react-native-vector-icons/lib/create-icon-set"
        | "@expo/vector-icons/build/createIconSet" => true,
        _ => false,
    }
}

fn style_num(n: &Node, key: &str) -> Option<f64> {
    n.style.get(key).and_then(Json::as_f64)
}

fn style_str(n: &Node, key: &str) -> Option<String> {
    n.style.get(key).and_then(Json::as_str).map(str::to_owned)
}

impl<'p, 'a> Interp<'p, 'a> {
    /// Renders `e`, an element of the third-party export `name` of `pkg`, when it is a picture
    /// this module draws (a vector icon, an `<Svg>`, a gradient with known colours); `false`
    /// for anything else.
    pub(super) fn render_picture(
        &mut self,
        pkg: &str,
        name: &str,
        e: &&'a Elem<'a>,
        out: &mut Vec<Node>,
    ) -> R<bool> {
        if let Some(set) = vector_icon_set(pkg, name) {
            self.render_vector_icon(set, pkg, name, e, out)?;
            return Ok(true);
        }
        if pkg == CUSTOM_ICON_SET
            && let Ok(index) = name.parse::<usize>()
            && index < self.icon_sets.len()
        {
            self.render_custom_icon(index, e, out)?;
            return Ok(true);
        }
        match (pkg, name) {
            ("react-native-svg", "default" | "Svg") => {
                self.render_svg(pkg, e, out)?;
                Ok(true)
            }
            ("expo-linear-gradient" | "react-native-linear-gradient", "LinearGradient") => {
                self.render_linear_gradient(pkg, name, e, out)
            }
            _ => Ok(false),
        }
    }

    /// A vector-icons element (`<Ionicons name="home" size={24} color="#f00"/>`): a snapshot
    /// whose picture is the glyph, `size` points (default 12) in `color` (default black; the
    /// style's `fontSize` and `color` win, as the package puts `style` after them).
    pub(super) fn render_vector_icon(
        &mut self,
        set: &'static IconSet,
        pkg: &str,
        name: &str,
        e: &&'a Elem<'a>,
        out: &mut Vec<Node>,
    ) -> R<()> {
        let glyph = str_prop(e, "name");
        let reason = match glyph {
            Some(g) => format!("icon `{g}` of {}", set.name),
            None => format!("icon of {}", set.name),
        };
        let mut n = self.snapshot_node(e, name, &reason)?;
        let (size, color) = icon_size_and_color(&n, e);
        n.style.insert_if_absent("width", num_json(size));
        n.style.insert_if_absent("height", num_json(size));
        // Font Awesome 5/6: the style is the prop set to `true` (`solid`, `brand`, `light`),
        // or FA6's `iconStyle`.
        let fa_style = ["solid", "brand", "light", "regular"]
            .into_iter()
            .find(|s| matches!(obj_get(&e.props, s), Some(Value::Bool(true))))
            .or_else(|| str_prop(e, "iconStyle"));
        self.attach_icon(&mut n, e, set, glyph, fa_style, size, color);
        out.push(n);
        let start = out.len() - 1;
        mark_external(&mut out[start..], name, Some(pkg), Via::Library);
        Ok(())
    }

    /// The picture of a library-table icon snapshot (`n`, made from `e`): UI Kitten's `Icon`
    /// (Eva icons; size from the style's width/height, colour from `fill` or the style's
    /// `tintColor`) and react-native-elements' `Icon` (`type`, `name`, `size`, `color`).
    pub(super) fn library_icon_picture(
        &mut self,
        package: &str,
        name: &str,
        e: &&'a Elem<'a>,
        n: &mut Node,
    ) {
        let glyph = str_prop(e, "name");
        match (package, name) {
            ("@ui-kitten/components", "Icon") => {
                if str_prop(e, "pack").is_some_and(|p| p != "eva") {
                    return;
                }
                let Some(set) = hivesync_icons::icon_set("Eva") else {
                    return;
                };
                let (w, h) = (style_num(n, "width"), style_num(n, "height"));
                let size = match (w, h) {
                    (Some(w), Some(h)) => w.min(h),
                    (Some(s), None) | (None, Some(s)) => s,
                    (None, None) => EVA_DEFAULT_SIZE,
                };
                n.style.insert_if_absent("width", num_json(size));
                n.style.insert_if_absent("height", num_json(size));
                let color = str_prop(e, "fill")
                    .map(str::to_owned)
                    .or_else(|| style_str(n, "tintColor"))
                    .unwrap_or_else(|| hivesync_icons::DEFAULT_COLOR.to_owned());
                self.attach_icon(n, e, set, glyph, None, size, color);
            }
            ("react-native-elements" | "@rneui/themed" | "@rneui/base", "Icon") => {
                let ty = str_prop(e, "type").unwrap_or("material");
                let Some(set) = rne_icon_set(ty) else {
                    self.warn(
                        "unknown-icon-family",
                        format!("`<{name} type=\"{ty}\">`: no icon font `{ty}` is known; it stays a placeholder"),
                        e.module,
                        e.offset,
                    );
                    return;
                };
                let size = match obj_get(&e.props, "size") {
                    Some(Value::Num(s)) => s,
                    _ => 24.0,
                };
                let color = str_prop(e, "color")
                    .unwrap_or(hivesync_icons::DEFAULT_COLOR)
                    .to_owned();
                // Icon.js centres the glyph in a View that stretches like any view: the
                // glyph's width is a minimum, not the width.
                if style_num(n, "width") == Some(size) {
                    let entries: Vec<_> = n
                        .style
                        .iter()
                        .filter(|(k, _)| *k != "width")
                        .map(|(k, v)| (std::borrow::Cow::Owned(k.to_owned()), v.clone()))
                        .collect();
                    n.style = crate::document::PropertyMap::from_unique(entries.into_iter());
                    n.style.insert_if_absent("minWidth", num_json(size));
                }
                let solid = matches!(obj_get(&e.props, "solid"), Some(Value::Bool(true)));
                let brand = matches!(obj_get(&e.props, "brand"), Some(Value::Bool(true)));
                let fa_style = if brand {
                    Some("brand")
                } else if solid {
                    Some("solid")
                } else {
                    None
                };
                self.attach_icon(n, e, set, glyph, fa_style, size, color);
            }
            _ => {}
        }
    }

    /// Sets the icon picture of `n` when `glyph` is in `set`; warns when it is not.
    #[allow(clippy::too_many_arguments)]
    fn attach_icon(
        &mut self,
        n: &mut Node,
        e: &Elem<'a>,
        set: &'static IconSet,
        glyph: Option<&str>,
        fa_style: Option<&str>,
        size: f64,
        color: String,
    ) {
        let found = glyph.and_then(|g| set.glyph(g, fa_style));
        let found = found.map(|f| (f.family, f.codepoint));
        self.set_icon_picture(n, e, set.name, glyph, found, size, color);
    }

    /// Sets the icon picture of `n` to `found` (font family, code point), or warns that the
    /// glyph (or its name) is not known.
    #[allow(clippy::too_many_arguments)]
    fn set_icon_picture(
        &mut self,
        n: &mut Node,
        e: &Elem<'a>,
        set_name: &str,
        glyph: Option<&str>,
        found: Option<(&str, u32)>,
        size: f64,
        color: String,
    ) {
        let Some(glyph) = glyph else {
            self.warn(
                "icon-name-unknown",
                format!(
                    "the {set_name} icon's `name` is not known at compile time; it stays a placeholder"
                ),
                e.module,
                e.offset,
            );
            return;
        };
        let Some((family, codepoint)) = found else {
            self.warn(
                "unknown-icon-glyph",
                format!("{set_name} has no icon `{glyph}`; it stays a placeholder"),
                e.module,
                e.offset,
            );
            return;
        };
        if let Some(s) = n.snapshot.as_deref_mut() {
            s.picture = Some(Picture::Icon {
                family: family.into(),
                glyph: glyph.into(),
                codepoint,
                size,
                color,
            });
        }
    }

    /// `createIconSet(glyphMap, fontFamily, fontFile)`: a component drawing glyphs of the map
    /// with the font `fontFamily` (or the font file's name). The font must be one of the
    /// vendored ones for now (fonts sent with a request are looked up by the renderer by the
    /// same family name); otherwise its icons stay placeholders, with a warning.
    pub(super) fn create_icon_set(
        &mut self,
        args: &[Value<'a>],
        module: usize,
        offset: u32,
    ) -> Value<'a> {
        let glyphs: HashMap<String, u32> = match args.first() {
            Some(Value::Obj(o)) => o
                .borrow()
                .iter()
                .filter_map(|(k, v)| {
                    let cp = match v {
                        Value::Num(n) if *n >= 0.0 && n.fract() == 0.0 => {
                            u32::try_from(*n as u64).ok()
                        }
                        Value::Str(s) => s.chars().next().map(u32::from),
                        _ => None,
                    }?;
                    Some((k.to_string(), cp))
                })
                .collect(),
            _ => HashMap::new(),
        };
        let written = match args.get(1) {
            Some(Value::Str(s)) => s.to_string(),
            _ => String::new(),
        };
        let file = match args.get(2) {
            Some(Value::Str(s) | Value::Asset(s)) => {
                let name = s.rsplit('/').next().unwrap_or(s);
                Some(
                    name.trim_end_matches(".ttf")
                        .trim_end_matches(".otf")
                        .to_string(),
                )
            }
            _ => None,
        };
        let family = hivesync_icons::vendored_family(&written)
            .or_else(|| file.as_deref().and_then(hivesync_icons::vendored_family));
        if glyphs.is_empty() {
            self.warn(
                "icon-set-unknown",
                "`createIconSet`'s glyph map is not an object known at compile time; its icons stay placeholders".into(),
                module,
                offset,
            );
        } else if family.is_none() {
            self.warn(
                "unknown-icon-font",
                format!(
                    "`createIconSet` font `{written}` is not one of the bundled icon fonts; its icons stay placeholders"
                ),
                module,
                offset,
            );
        }
        let index = self.icon_sets.len();
        self.icon_sets.push(CustomIconSet {
            family,
            name: if written.is_empty() {
                "createIconSet".into()
            } else {
                written
            },
            glyphs,
        });
        Value::ext(self.alloc, CUSTOM_ICON_SET, &index.to_string())
    }

    /// An element of a `createIconSet` component: like a vector icon.
    fn render_custom_icon(&mut self, index: usize, e: &&'a Elem<'a>, out: &mut Vec<Node>) -> R<()> {
        let tag = self.written_tag(e);
        let glyph = str_prop(e, "name");
        let set_name = self.icon_sets[index].name.clone();
        let reason = match glyph {
            Some(g) => format!("icon `{g}` of {set_name}"),
            None => format!("icon of {set_name}"),
        };
        let mut n = self.snapshot_node(e, &tag, &reason)?;
        let (size, color) = icon_size_and_color(&n, e);
        n.style.insert_if_absent("width", num_json(size));
        n.style.insert_if_absent("height", num_json(size));
        let set = &self.icon_sets[index];
        // Without a bundled font the set was warned about when it was made.
        if let Some(family) = set.family {
            let found = glyph
                .and_then(|g| set.glyphs.get(g))
                .map(|cp| (family, *cp));
            self.set_icon_picture(&mut n, e, &set_name, glyph, found, size, color);
        }
        out.push(n);
        Ok(())
    }

    /// A `LinearGradient` whose `colors` are known: a `View` with the element's style and
    /// children whose first child is an absolutely-filling snapshot of the gradient. `false`
    /// (with a warning) when the colours are not known.
    pub(super) fn render_linear_gradient(
        &mut self,
        pkg: &str,
        name: &str,
        e: &&'a Elem<'a>,
        out: &mut Vec<Node>,
    ) -> R<bool> {
        let Some(picture) = self.gradient_picture(e) else {
            return Ok(false);
        };
        let start = out.len();
        self.render_host("View", e, out)?;
        let mut fill = self.snapshot_node(e, name, "linear gradient")?;
        if let Some(s) = fill.snapshot.as_deref_mut() {
            s.picture = Some(picture);
        }
        if let Some(container) = out.get_mut(start) {
            // Absolutely filling the container; the native view draws the gradient as its
            // background, so within its corner radii.
            let mut style: std::collections::BTreeMap<String, Json> = container
                .style
                .iter()
                .filter(|(k, _)| k.ends_with("Radius"))
                .map(|(k, v)| (k.to_owned(), v.clone()))
                .collect();
            style.insert("position".into(), Json::from("absolute"));
            for k in ["bottom", "left", "right", "top"] {
                style.insert(k.into(), Json::from(0));
            }
            fill.style = crate::document::PropertyMap::from_unique(
                style.into_iter().map(|(k, v)| (k.into(), v)),
            );
            container.children.insert(0, fill);
        }
        mark_external(&mut out[start..], name, Some(pkg), Via::Library);
        Ok(true)
    }

    fn gradient_picture(&mut self, e: &&'a Elem<'a>) -> Option<Picture> {
        let colors: Option<Vec<String>> = match obj_get(&e.props, "colors") {
            Some(Value::Arr(items)) if items.len() >= 2 => items
                .iter()
                .map(|c| match c {
                    Value::Str(s) if looks_like_color(s) => Some(s.to_string()),
                    _ => None,
                })
                .collect(),
            _ => None,
        };
        let Some(colors) = colors else {
            self.warn(
                "gradient-colors-unknown",
                "the gradient's `colors` are not two or more colours known at compile time; it is not drawn".into(),
                e.module,
                e.offset,
            );
            return None;
        };
        let locations = match obj_get(&e.props, "locations") {
            Some(Value::Arr(items)) => items
                .iter()
                .map(|v| match v {
                    Value::Num(n) => Some(*n),
                    _ => None,
                })
                .collect(),
            _ => None,
        };
        let point = |key: &str, default: Point| match obj_get(&e.props, key) {
            Some(Value::Obj(o)) => match (obj_get(&o, "x"), obj_get(&o, "y")) {
                (Some(Value::Num(x)), Some(Value::Num(y))) => Point { x, y },
                _ => default,
            },
            Some(Value::Arr([Value::Num(x), Value::Num(y)])) => Point { x: *x, y: *y },
            _ => default,
        };
        Some(Picture::Gradient {
            colors,
            locations,
            start: point("start", Point { x: 0.5, y: 0.0 }),
            end: point("end", Point { x: 0.5, y: 1.0 }),
        })
    }
}

/// Whether `s` has the shape of a React Native colour (`#rgb[a]`, `#rrggbb[aa]`, `rgb()`,
/// `rgba()`, `hsl()`, `hsla()` or a name); the renderer parses it.
fn looks_like_color(s: &str) -> bool {
    let s = s.trim();
    if let Some(hex) = s.strip_prefix('#') {
        return matches!(hex.len(), 3 | 4 | 6 | 8) && hex.chars().all(|c| c.is_ascii_hexdigit());
    }
    ["rgb(", "rgba(", "hsl(", "hsla("]
        .iter()
        .any(|f| s.starts_with(f) && s.ends_with(')'))
        || (!s.is_empty() && s.chars().all(|c| c.is_ascii_alphabetic()))
}

/// SVG attribute names for react-native-svg's camelCase props (the others are written as is).
const SVG_ATTRIBUTES: &[(&str, &str)] = &[
    ("strokeWidth", "stroke-width"),
    ("strokeOpacity", "stroke-opacity"),
    ("strokeLinecap", "stroke-linecap"),
    ("strokeLinejoin", "stroke-linejoin"),
    ("strokeDasharray", "stroke-dasharray"),
    ("strokeDashoffset", "stroke-dashoffset"),
    ("strokeMiterlimit", "stroke-miterlimit"),
    ("fillOpacity", "fill-opacity"),
    ("fillRule", "fill-rule"),
    ("clipRule", "clip-rule"),
    ("clipPath", "clip-path"),
    ("stopColor", "stop-color"),
    ("stopOpacity", "stop-opacity"),
    ("fontSize", "font-size"),
    ("fontWeight", "font-weight"),
    ("fontFamily", "font-family"),
    ("textAnchor", "text-anchor"),
    ("xlinkHref", "href"),
    ("vectorEffect", "vector-effect"),
];

/// Attributes written as they are.
const SVG_PLAIN: &[&str] = &[
    "d",
    "x",
    "y",
    "cx",
    "cy",
    "r",
    "rx",
    "ry",
    "x1",
    "y1",
    "x2",
    "y2",
    "fx",
    "fy",
    "points",
    "width",
    "height",
    "viewBox",
    "preserveAspectRatio",
    "id",
    "offset",
    "fill",
    "stroke",
    "opacity",
    "color",
    "transform",
    "gradientUnits",
    "gradientTransform",
    "clipPathUnits",
    "maskUnits",
    "mask",
    "href",
    "dx",
    "dy",
];

/// Props that are not part of the picture (handlers, test ids, layout).
const SVG_IGNORED: &[&str] = &[
    "children",
    "key",
    "style",
    "testID",
    "accessibilityLabel",
    "accessible",
    "onPress",
    "pointerEvents",
    "ref",
];

/// react-native-svg components -> SVG elements.
const SVG_ELEMENTS: &[(&str, &str)] = &[
    ("Path", "path"),
    ("G", "g"),
    ("Circle", "circle"),
    ("Rect", "rect"),
    ("Line", "line"),
    ("Polygon", "polygon"),
    ("Polyline", "polyline"),
    ("Ellipse", "ellipse"),
    ("Defs", "defs"),
    ("LinearGradient", "linearGradient"),
    ("RadialGradient", "radialGradient"),
    ("Stop", "stop"),
    ("ClipPath", "clipPath"),
    ("Mask", "mask"),
    ("Use", "use"),
    ("Symbol", "symbol"),
    ("Text", "text"),
    ("TSpan", "tspan"),
];

/// Whether `d` is well-formed SVG path data (commands and numbers; starts with a moveto).
pub(crate) fn path_data_is_valid(d: &str) -> bool {
    let mut first = true;
    let mut chars = d.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() || c == ',' {
            chars.next();
            continue;
        }
        if "MmLlHhVvCcSsQqTtAaZz".contains(c) {
            if first && !matches!(c, 'M' | 'm') {
                return false;
            }
            first = false;
            chars.next();
            continue;
        }
        if first {
            return false;
        }
        // A number: sign, digits, one dot, exponent.
        let mut seen_digit = false;
        if matches!(c, '+' | '-') {
            chars.next();
        }
        let mut dot = false;
        while let Some(&c) = chars.peek() {
            if c.is_ascii_digit() {
                seen_digit = true;
            } else if c == '.' && !dot {
                dot = true;
            } else {
                break;
            }
            chars.next();
        }
        if !seen_digit {
            return false;
        }
        if matches!(chars.peek(), Some('e' | 'E')) {
            chars.next();
            if matches!(chars.peek(), Some('+' | '-')) {
                chars.next();
            }
            if !chars.peek().is_some_and(char::is_ascii_digit) {
                return false;
            }
            while chars.peek().is_some_and(char::is_ascii_digit) {
                chars.next();
            }
        }
    }
    !first
}

fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
}

/// What building an SVG picture found wrong (reported once per `<Svg>`).
#[derive(Default)]
struct SvgProblems {
    unknown: Vec<String>,
}

impl SvgProblems {
    fn add(&mut self, what: String) {
        if !self.unknown.contains(&what) {
            self.unknown.push(what);
        }
    }
}

impl<'p, 'a> Interp<'p, 'a> {
    /// A react-native-svg `<Svg>` element: one snapshot whose picture is the SVG markup of its
    /// tree (attributes as evaluated; what is not known or not SVG is left out, with a
    /// warning).
    pub(super) fn render_svg(&mut self, pkg: &str, e: &&'a Elem<'a>, out: &mut Vec<Node>) -> R<()> {
        let mut n = self.snapshot_node(e, "Svg", "react-native-svg picture")?;
        let mut problems = SvgProblems::default();
        let mut markup = String::with_capacity(256);
        markup.push_str("<svg xmlns=\"http://www.w3.org/2000/svg\"");
        // The node's size: numeric width/height props (a percentage too), else the style's.
        for key in ["width", "height"] {
            let value = match obj_get(&e.props, key) {
                Some(Value::Num(v)) => num_json(v),
                Some(Value::Str(s)) if s.ends_with('%') => Json::from(s.to_string()),
                Some(Value::Str(s)) => match s.parse::<f64>() {
                    Ok(v) => num_json(v),
                    Err(_) => continue,
                },
                _ => continue,
            };
            n.style.insert_if_absent(key, value);
        }
        let mut has_view_box = false;
        for (k, v) in e.props.borrow().iter() {
            match *k {
                // Sizes in the markup are the node's (below); the viewBox maps onto them.
                "width" | "height" => continue,
                "viewBox" => has_view_box = true,
                _ => {}
            }
            self.svg_attribute(&mut markup, "Svg", k, v, &mut problems);
        }
        // usvg sizes the picture from width/height; the renderer fits that onto the frame.
        let dims = (style_num(&n, "width"), style_num(&n, "height"));
        if let (Some(w), Some(h)) = dims {
            let _ = write!(markup, " width=\"{w}\" height=\"{h}\"");
        } else if !has_view_box {
            problems.add("an `<Svg>` without a numeric width/height or a viewBox".into());
        }
        markup.push('>');
        let children = self.children_of(&e.props);
        self.svg_children(&mut markup, &children, &mut problems, 0);
        markup.push_str("</svg>");
        if !problems.unknown.is_empty() {
            self.warn(
                "svg-incomplete",
                format!(
                    "the SVG picture leaves out what is not static SVG: {}",
                    problems.unknown.join(", ")
                ),
                e.module,
                e.offset,
            );
        }
        if let Some(s) = n.snapshot.as_deref_mut() {
            s.picture = Some(Picture::Svg { markup });
        }
        out.push(n);
        let start = out.len() - 1;
        mark_external(&mut out[start..], "Svg", Some(pkg), Via::Library);
        Ok(())
    }

    fn svg_children(
        &mut self,
        out: &mut String,
        v: &Value<'a>,
        problems: &mut SvgProblems,
        depth: usize,
    ) {
        if depth > 64 {
            problems.add("an SVG tree nested more than 64 levels".into());
            return;
        }
        match v {
            Value::Undef | Value::Null | Value::Bool(_) => {}
            Value::Arr(items) => {
                for item in *items {
                    self.svg_children(out, item, problems, depth + 1);
                }
            }
            Value::Str(s) => escape_into(out, s),
            Value::Num(n) => {
                let _ = write!(out, "{n}");
            }
            Value::Elem(el) => {
                let tag = match &el.ty {
                    Value::Ext(x) if x.0 == "react-native-svg" => SVG_ELEMENTS
                        .iter()
                        .find(|(rn, _)| *rn == x.1)
                        .map(|(_, t)| *t),
                    Value::Fragment => {
                        let c = self.children_of(&el.props);
                        self.svg_children(out, &c, problems, depth + 1);
                        return;
                    }
                    _ => None,
                };
                let Some(tag) = tag else {
                    problems.add(format!("`<{}>`", self.written_tag(el)));
                    return;
                };
                if tag == "text" || tag == "tspan" {
                    problems.add("SVG text (no fonts are drawn in SVG pictures)".into());
                }
                out.push('<');
                out.push_str(tag);
                for (k, v) in el.props.borrow().iter() {
                    self.svg_attribute(out, tag, k, v, problems);
                    if *k == "d"
                        && let Value::Str(d) = v
                        && !path_data_is_valid(d)
                    {
                        self.warn(
                            "svg-path-data",
                            format!("malformed path data `{d}`: drawn up to the first error"),
                            el.module,
                            el.offset,
                        );
                    }
                }
                let c = self.children_of(&el.props);
                if c.is_nullish() {
                    out.push_str("/>");
                } else {
                    out.push('>');
                    self.svg_children(out, &c, problems, depth + 1);
                    let _ = write!(out, "</{tag}>");
                }
            }
            _ => problems.add(format!("a {} child", v.type_name())),
        }
    }

    fn svg_attribute(
        &mut self,
        out: &mut String,
        tag: &str,
        key: &str,
        v: &Value<'a>,
        problems: &mut SvgProblems,
    ) {
        if SVG_IGNORED.contains(&key) || key.starts_with("on") && key.len() > 2 {
            return;
        }
        let name = match SVG_ATTRIBUTES.iter().find(|(rn, _)| *rn == key) {
            Some((_, svg)) => *svg,
            None if SVG_PLAIN.contains(&key) => key,
            None => {
                problems.add(format!("`{key}` on `<{tag}>`"));
                return;
            }
        };
        let text = match v {
            Value::Str(s) => s.to_string(),
            Value::Num(n) => n.to_string(),
            Value::Arr(_) => match v.to_display() {
                Some(s) => s.replace(',', " "),
                None => {
                    problems.add(format!("`{key}` (not a static value)"));
                    return;
                }
            },
            Value::Undef | Value::Null => return,
            _ => {
                problems.add(format!("`{key}` (not a static value)"));
                return;
            }
        };
        out.push(' ');
        out.push_str(name);
        out.push_str("=\"");
        escape_into(out, &text);
        out.push('"');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_data_validation_accepts_real_paths_and_rejects_garbage() {
        assert!(path_data_is_valid("M10 10 L20 20 Z"));
        assert!(path_data_is_valid("m0,0h24v24H0z"));
        assert!(path_data_is_valid(
            "M12 2C6.48 2 2 6.48 2 12s4.48 10 10 10-1.5e-3.5.5z"
        ));
        assert!(!path_data_is_valid("L10 10"));
        assert!(!path_data_is_valid("M10 10 L foo"));
        assert!(!path_data_is_valid(""));
        assert!(!path_data_is_valid("M1e"));
    }

    #[test]
    fn vector_icon_imports_name_their_sets() {
        let name = |p, n| vector_icon_set(p, n).map(|s| s.name);
        assert_eq!(name("@expo/vector-icons", "Ionicons"), Some("Ionicons"));
        assert_eq!(
            name("@expo/vector-icons/MaterialIcons", "default"),
            Some("MaterialIcons")
        );
        assert_eq!(
            name("react-native-vector-icons/FontAwesome5", "default"),
            Some("FontAwesome5")
        );
        assert_eq!(
            name(
                "@react-native-vector-icons/material-design-icons",
                "default"
            ),
            Some("MaterialCommunityIcons")
        );
        assert_eq!(
            name("react-native-vector-icons/Feather", "Icon"),
            Some("Feather")
        );
        assert_eq!(
            name("react-native-vector-icons/Feather", "Icon.Button"),
            None
        );
        assert_eq!(name("@expo/vector-icons", "createIconSet"), None);
        assert_eq!(name("@expo/vector-icons/createIconSet", "default"), None);
        assert_eq!(name("some-kit", "Ionicons"), None);
    }
}
