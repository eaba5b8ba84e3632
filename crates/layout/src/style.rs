//! Style normalization into the Layout JSON vocabulary (React Native / Yoga property names),
//! and the CSS declaration parser used for styled-components / emotion templates.
//!
//! Shorthand expansion (documented in docs/layout-json.md): `margin`, `marginHorizontal`,
//! `marginVertical`, `marginStart`/`marginEnd` and the same for `padding` expand to the four
//! edge properties, `inset` to `top/right/bottom/left`, `borderWidth`/`borderColor` to the four
//! edges, `borderRadius` to the four corners, `gap` to `rowGap`/`columnGap`. More specific
//! properties win over shorthands whatever their order (React Native's rule). `flex` is kept
//! as written (Yoga interprets it). Numeric `fontWeight` becomes a string.

use std::borrow::Cow;

use serde_json::Value as Json;

use crate::document::PropertyMap;

/// `a == b` for the short names the evaluator and the style tables compare all the time
/// (identifiers, property keys): lengths first, then short strings byte by byte inline, where a `memcmp` call would
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

/// A style property the normalizer knows: its name, its place in alphabetical order among
/// all known names (output keys are sorted), its specificity (shorthands by group: `margin`
/// 0, `marginHorizontal` 1, `marginStart` 2; real properties 3: more specific wins whatever
/// the order) and, for shorthands, the long properties it expands to (indices into [`PROPS`]).
struct Prop {
    name: &'static str,
    order: u16,
    rank: u8,
    longs: &'static [u16],
}

const fn p(name: &'static str, order: u16, rank: u8, longs: &'static [u16]) -> Prop {
    Prop {
        name,
        order,
        rank,
        longs,
    }
}

/// Every known property, sorted by (length, name) so that [`BY_LENGTH`] can find the names of
/// one length as a run (generated; the tests check the order, the alphabetical ranks and the
/// expansions).
static PROPS: [Prop; 113] = [
    p("end", 38, 2, &[7]),
    p("gap", 50, 0, &[13, 27]),
    p("top", 106, 3, &[]),
    p("flex", 39, 3, &[]),
    p("left", 57, 3, &[]),
    p("color", 33, 3, &[]),
    p("inset", 53, 0, &[2, 7, 10, 4]),
    p("right", 89, 3, &[]),
    p("start", 95, 2, &[4]),
    p("width", 110, 3, &[]),
    p("bottom", 31, 3, &[]),
    p("height", 51, 3, &[]),
    p("margin", 60, 0, &[33, 56, 62, 45]),
    p("rowGap", 90, 3, &[]),
    p("zIndex", 112, 3, &[]),
    p("display", 36, 3, &[]),
    p("opacity", 74, 3, &[]),
    p("padding", 77, 0, &[47, 64, 71, 58]),
    p("flexGrow", 42, 3, &[]),
    p("flexWrap", 44, 3, &[]),
    p("fontSize", 46, 3, &[]),
    p("maxWidth", 70, 3, &[]),
    p("minWidth", 72, 3, &[]),
    p("overflow", 75, 3, &[]),
    p("position", 87, 3, &[]),
    p("alignSelf", 2, 3, &[]),
    p("boxSizing", 32, 3, &[]),
    p("columnGap", 34, 3, &[]),
    p("direction", 35, 3, &[]),
    p("elevation", 37, 3, &[]),
    p("flexBasis", 40, 3, &[]),
    p("fontStyle", 47, 3, &[]),
    p("marginEnd", 62, 2, &[56]),
    p("marginTop", 67, 3, &[]),
    p("maxHeight", 69, 3, &[]),
    p("minHeight", 71, 3, &[]),
    p("objectFit", 73, 3, &[]),
    p("textAlign", 96, 3, &[]),
    p("tintColor", 105, 3, &[]),
    p("transform", 107, 3, &[]),
    p("alignItems", 1, 3, &[]),
    p("flexShrink", 43, 3, &[]),
    p("fontFamily", 45, 3, &[]),
    p("fontWeight", 49, 3, &[]),
    p("lineHeight", 59, 3, &[]),
    p("marginLeft", 64, 3, &[]),
    p("paddingEnd", 79, 2, &[64]),
    p("paddingTop", 84, 3, &[]),
    p("resizeMode", 88, 3, &[]),
    p("userSelect", 108, 3, &[]),
    p("aspectRatio", 3, 3, &[]),
    p("borderColor", 12, 0, &[78, 88, 96, 83]),
    p("borderCurve", 13, 3, &[]),
    p("borderStyle", 23, 3, &[]),
    p("borderWidth", 30, 0, &[79, 89, 97, 84]),
    p("fontVariant", 48, 3, &[]),
    p("marginRight", 65, 3, &[]),
    p("marginStart", 66, 2, &[45]),
    p("paddingLeft", 81, 3, &[]),
    p("shadowColor", 91, 3, &[]),
    p("alignContent", 0, 3, &[]),
    p("borderRadius", 18, 0, &[104, 107, 111, 110]),
    p("marginBottom", 61, 3, &[]),
    p("overlayColor", 76, 3, &[]),
    p("paddingRight", 82, 3, &[]),
    p("paddingStart", 83, 2, &[58]),
    p("shadowOffset", 92, 3, &[]),
    p("shadowRadius", 94, 3, &[]),
    p("flexDirection", 41, 3, &[]),
    p("insetVertical", 55, 1, &[2, 10]),
    p("letterSpacing", 58, 3, &[]),
    p("paddingBottom", 78, 3, &[]),
    p("pointerEvents", 86, 3, &[]),
    p("shadowOpacity", 93, 3, &[]),
    p("textTransform", 104, 3, &[]),
    p("verticalAlign", 109, 3, &[]),
    p("borderEndColor", 14, 2, &[88]),
    p("borderEndWidth", 15, 2, &[89]),
    p("borderTopColor", 24, 3, &[]),
    p("borderTopWidth", 29, 3, &[]),
    p("justifyContent", 56, 3, &[]),
    p("marginVertical", 68, 1, &[33, 62]),
    p("backgroundColor", 5, 3, &[]),
    p("borderLeftColor", 16, 3, &[]),
    p("borderLeftWidth", 17, 3, &[]),
    p("insetHorizontal", 54, 1, &[4, 7]),
    p("paddingVertical", 85, 1, &[47, 71]),
    p("textShadowColor", 101, 3, &[]),
    p("borderRightColor", 19, 3, &[]),
    p("borderRightWidth", 20, 3, &[]),
    p("borderStartColor", 21, 2, &[83]),
    p("borderStartWidth", 22, 2, &[84]),
    p("marginHorizontal", 63, 1, &[45, 56]),
    p("textShadowOffset", 102, 3, &[]),
    p("textShadowRadius", 103, 3, &[]),
    p("writingDirection", 111, 3, &[]),
    p("borderBottomColor", 6, 3, &[]),
    p("borderBottomWidth", 11, 3, &[]),
    p("paddingHorizontal", 80, 1, &[58, 64]),
    p("textAlignVertical", 97, 3, &[]),
    p("backfaceVisibility", 4, 3, &[]),
    p("borderTopEndRadius", 25, 2, &[107]),
    p("includeFontPadding", 52, 3, &[]),
    p("textDecorationLine", 99, 3, &[]),
    p("borderTopLeftRadius", 26, 3, &[]),
    p("textDecorationColor", 98, 3, &[]),
    p("textDecorationStyle", 100, 3, &[]),
    p("borderTopRightRadius", 27, 3, &[]),
    p("borderTopStartRadius", 28, 2, &[104]),
    p("borderBottomEndRadius", 7, 2, &[111]),
    p("borderBottomLeftRadius", 8, 3, &[]),
    p("borderBottomRightRadius", 9, 3, &[]),
    p("borderBottomStartRadius", 10, 2, &[110]),
];

/// The index in [`PROPS`] of the known property `k`: among the names of its length (a
/// contiguous run, found by [`BY_LENGTH`]), compared inline.
fn prop(k: &str) -> Option<usize> {
    let (start, end) = *BY_LENGTH.get(k.len())?;
    (start as usize..end as usize).find(|&i| same_str(PROPS[i].name, k))
}

/// For each name length, the range of [`PROPS`] holding the names of that length.
static BY_LENGTH: [(u8, u8); 32] = {
    let mut t = [(0u8, 0u8); 32];
    let mut i = 0;
    while i < PROPS.len() {
        let len = PROPS[i].name.len();
        if t[len].1 == 0 {
            t[len].0 = i as u8;
        }
        t[len].1 = i as u8 + 1;
        i += 1;
    }
    t
};

/// One property of a style being normalized: where it sorts (known properties by their
/// alphabetical rank, others by name), its specificity, and the entry its value comes from.
#[derive(Clone, Copy)]
pub(crate) struct Slot {
    /// Index into [`PROPS`], `u16::MAX` for a property the table does not know.
    prop: u16,
    rank: u8,
    /// Whether the slot comes from expanding a shorthand (its value is shared).
    expanded: bool,
    entry: u32,
}

/// Expands shorthands and normalizes values; keys come out sorted for stable output.
/// `scratch` is working memory the caller may reuse between calls.
pub(crate) fn normalize<K: std::ops::Deref<Target = str>>(
    entries: &mut [(K, Json)],
    scratch: &mut Vec<Slot>,
) -> PropertyMap {
    if entries.is_empty() {
        return PropertyMap::new();
    }
    // One property written as it is (a common inline style: `{ color }`): nothing to sort.
    if let [(k, v)] = entries {
        let found = prop(k);
        if found.is_none_or(|i| PROPS[i].longs.is_empty()) {
            let entry = output_entry(found, k, std::mem::take(v));
            return PropertyMap::from_unique(std::iter::once(entry));
        }
    }
    let slots = scratch;
    slots.clear();
    for (i, (k, _)) in entries.iter().enumerate() {
        let entry = i as u32;
        match prop(k) {
            Some(i) if !PROPS[i].longs.is_empty() => {
                slots.extend(PROPS[i].longs.iter().map(|&l| Slot {
                    prop: l,
                    rank: PROPS[i].rank,
                    expanded: true,
                    entry,
                }))
            }
            found => slots.push(Slot {
                prop: found.map_or(u16::MAX, |i| i as u16),
                rank: 3,
                expanded: false,
                entry,
            }),
        }
    }
    let name = |s: &Slot| -> &str {
        match PROPS.get(s.prop as usize) {
            Some(p) => p.name,
            None => &entries[s.entry as usize].0,
        }
    };
    // Alphabetical by name (known names compare by rank, no string compare); most specific
    // wins, among equals the later one (the sort is stable, so source order is kept).
    slots.sort_by(|a, b| {
        let by_name = match (PROPS.get(a.prop as usize), PROPS.get(b.prop as usize)) {
            (Some(x), Some(y)) => x.order.cmp(&y.order),
            _ => name(a).cmp(name(b)),
        };
        by_name.then(a.rank.cmp(&b.rank))
    });
    let same = |a: &Slot, b: &Slot| match (a.prop, b.prop) {
        (u16::MAX, u16::MAX) => name(a) == name(b),
        (x, y) => x == y,
    };
    let mut winners = 0;
    for i in 0..slots.len() {
        // A slot followed by one of the same name loses.
        if i + 1 < slots.len() && same(&slots[i], &slots[i + 1]) {
            continue;
        }
        slots[winners] = slots[i];
        winners += 1;
    }
    slots.truncate(winners);
    PropertyMap::from_unique(slots.iter().map(|s| {
        let value = &mut entries[s.entry as usize].1;
        let v = if s.expanded {
            value.clone()
        } else {
            std::mem::take(value)
        };
        let known = (s.prop != u16::MAX).then_some(s.prop as usize);
        output_entry(known, &entries[s.entry as usize].0, v)
    }))
}

/// An entry of the normalized style: the key (static for a known property, else copied from
/// how it was written) and the value (a numeric `fontWeight` becomes a string).
#[inline]
fn output_entry(known: Option<usize>, written: &str, v: Json) -> (Cow<'static, str>, Json) {
    let key = match known {
        Some(i) => Cow::Borrowed(PROPS[i].name),
        None => Cow::Owned(written.to_string()),
    };
    let v = match (&*key, v) {
        ("fontWeight", Json::Number(n)) => Json::String(n.to_string()),
        (_, v) => v,
    };
    (key, v)
}

pub(crate) fn camel_to_kebab(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    for c in s.chars() {
        if c.is_ascii_uppercase() {
            out.push('-');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn kebab_to_camel(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut up = false;
    for c in s.chars() {
        if c == '-' {
            up = true;
        } else if up {
            out.push(c.to_ascii_uppercase());
            up = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// A CSS length/number token as RN style JSON (`16px` -> 16, `50%` stays a string).
fn css_value(prop: &str, v: &str) -> Json {
    let v = v.trim();
    if let Some(n) = v
        .strip_suffix("px")
        .and_then(|n| n.trim().parse::<f64>().ok())
    {
        return num(n);
    }
    if let Ok(n) = v.parse::<f64>() {
        if prop == "fontWeight" {
            return Json::String(v.to_string());
        }
        return num(n);
    }
    Json::String(v.to_string())
}

const NUMERIC_PROPS: &[&str] = &[
    "width",
    "height",
    "minWidth",
    "maxWidth",
    "minHeight",
    "maxHeight",
    "top",
    "right",
    "bottom",
    "left",
    "fontSize",
    "lineHeight",
    "letterSpacing",
    "flex",
    "flexGrow",
    "flexShrink",
    "opacity",
    "zIndex",
    "borderWidth",
    "borderRadius",
    "gap",
    "rowGap",
    "columnGap",
    "aspectRatio",
    "elevation",
];

/// Parses CSS declarations (`prop: value;`) into RN style entries, expanding CSS shorthands
/// with several values (`margin: 0 16px`, `border: 1px solid red`). Returns problems for
/// declarations it could not convert (they are left out).
pub(crate) fn css_declarations(css: &str) -> (Vec<(String, Json)>, Vec<String>) {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let cleaned = strip_css_comments(css);
    for decl in cleaned.split(';') {
        let decl = decl.trim();
        if decl.is_empty() {
            continue;
        }
        let Some((prop, value)) = decl.split_once(':') else {
            problems.push(format!("CSS `{decl}` is not a declaration; it is left out"));
            continue;
        };
        let (prop, value) = (kebab_to_camel(prop.trim()), value.trim());
        if value.contains('\u{0}') || value.is_empty() {
            continue;
        }
        if prop.contains(['&', '@', '{', '}']) {
            problems.push(format!("CSS selector/at-rule in `{decl}` is not supported"));
            continue;
        }
        let parts: Vec<&str> = value.split_whitespace().collect();
        match prop.as_str() {
            "margin" | "padding" if parts.len() > 1 => {
                let (t, r, b, l) = match parts.as_slice() {
                    [v, h] => (*v, *h, *v, *h),
                    [t, h, b] => (*t, *h, *b, *h),
                    [t, r, b, l, ..] => (*t, *r, *b, *l),
                    _ => unreachable!("more than one part"),
                };
                for (side, v) in [("Top", t), ("Right", r), ("Bottom", b), ("Left", l)] {
                    let k = format!("{prop}{side}");
                    out.push((k.clone(), css_value(&k, v)));
                }
            }
            "border" | "borderTop" | "borderBottom" | "borderLeft" | "borderRight" => {
                let side = prop.strip_prefix("border").unwrap_or("");
                for p in parts {
                    if p.ends_with("px") || p.parse::<f64>().is_ok() {
                        out.push((format!("border{side}Width"), css_value("borderWidth", p)));
                    } else if matches!(p, "solid" | "dashed" | "dotted") {
                        out.push(("borderStyle".into(), Json::String(p.into())));
                    } else if p != "none" {
                        out.push((format!("border{side}Color"), Json::String(p.into())));
                    }
                }
            }
            "boxShadow" | "transition" | "cursor" | "display"
                if prop != "display" || value != "none" && value != "flex" =>
            {
                problems.push(format!(
                    "CSS `{decl}` has no React Native equivalent; it is left out"
                ));
            }
            _ => {
                let v = if NUMERIC_PROPS.contains(&prop.as_str())
                    || prop.starts_with("margin")
                    || prop.starts_with("padding")
                {
                    css_value(&prop, value)
                } else if prop == "fontWeight" {
                    Json::String(value.to_string())
                } else {
                    match css_value(&prop, value) {
                        Json::Number(n) => Json::Number(n),
                        _ => Json::String(value.trim_matches(['"', '\'']).to_string()),
                    }
                };
                out.push((prop, v));
            }
        }
    }
    (out, problems)
}

fn strip_css_comments(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(i) = rest.find("/*") {
        out.push_str(&rest[..i]);
        rest = rest[i + 2..].split_once("*/").map_or("", |(_, r)| r);
    }
    out.push_str(rest);
    out
}

fn num(n: f64) -> Json {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        Json::from(n as i64)
    } else {
        Json::from(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn property_table_is_sorted_and_ranked() {
        // Lookup order: (length, name), no duplicates.
        assert!(
            PROPS
                .windows(2)
                .all(|w| (w[0].name.len(), w[0].name) < (w[1].name.len(), w[1].name))
        );
        // `order` is the alphabetical rank.
        let mut names: Vec<&str> = PROPS.iter().map(|p| p.name).collect();
        names.sort();
        for p in &PROPS {
            assert_eq!(names[p.order as usize], p.name);
        }
        // Shorthands expand to real properties of a prefix-related name.
        for p in PROPS.iter().filter(|p| !p.longs.is_empty()) {
            assert!(p.rank < 3, "{}", p.name);
            for &l in p.longs {
                let long = &PROPS[l as usize];
                assert!(
                    long.longs.is_empty() && long.rank == 3,
                    "{} -> {}",
                    p.name,
                    long.name
                );
            }
        }
        for (i, p) in PROPS.iter().enumerate() {
            assert_eq!(prop(p.name), Some(i), "{}", p.name);
        }
        assert_eq!(prop("marginHorizontal").map(|i| PROPS[i].rank), Some(1));
        assert_eq!(prop("paddingStart").map(|i| PROPS[i].rank), Some(2));
        assert_eq!(prop("notAStyle"), None);
    }

    fn norm(entries: Vec<(&str, Json)>) -> PropertyMap {
        let mut entries = entries;
        normalize(&mut entries, &mut Vec::new())
    }

    #[test]
    fn specific_properties_win_over_shorthands_in_any_order() {
        let m = norm(vec![
            ("marginLeft", json!(4)),
            ("margin", json!(10)),
            ("marginHorizontal", json!(20)),
            ("paddingVertical", json!(3)),
            ("flex", json!(1)),
            ("fontWeight", json!(700)),
            ("customThing", json!("x")),
        ]);
        let keys: Vec<&str> = m.iter().map(|(k, _)| k).collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted);
        assert_eq!(m["customThing"], json!("x"));
        assert_eq!(m["marginLeft"], json!(4));
        assert_eq!(m["marginRight"], json!(20));
        assert_eq!(m["marginTop"], json!(10));
        assert_eq!(m["paddingTop"], json!(3));
        assert_eq!(m["flex"], json!(1));
        assert_eq!(m["fontWeight"], json!("700"));
        assert!(!m.contains_key("margin"));
        // One property: as written, or expanded when it is a shorthand.
        assert_eq!(
            norm(vec![("fontWeight", json!(600))])["fontWeight"],
            json!("600")
        );
        assert_eq!(
            norm(vec![("customThing", json!(1))])["customThing"],
            json!(1)
        );
        let m = norm(vec![("margin", json!(4))]);
        assert_eq!((m.len(), &m["marginTop"]), (4, &json!(4)));
        // Later wins among equals.
        let m = norm(vec![
            ("color", json!("red")),
            ("padding", json!(2)),
            ("color", json!("blue")),
            ("paddingLeft", json!(5)),
        ]);
        assert_eq!(m["color"], json!("blue"));
        assert_eq!(
            (&m["paddingLeft"], &m["paddingRight"]),
            (&json!(5), &json!(2))
        );
    }

    #[test]
    fn css_declarations_become_rn_style() {
        let (d, problems) = css_declarations(
            "padding: 8px 16px; background-color: #fff; border: 1px solid red; font-weight: 600; box-shadow: 0 0 1px black;",
        );
        let m: serde_json::Map<String, Json> = d.into_iter().collect();
        assert_eq!(m["paddingTop"], json!(8));
        assert_eq!(m["paddingLeft"], json!(16));
        assert_eq!(m["backgroundColor"], json!("#fff"));
        assert_eq!(m["borderWidth"], json!(1));
        assert_eq!(m["borderColor"], json!("red"));
        assert_eq!(m["fontWeight"], json!("600"));
        assert_eq!(problems.len(), 1);
    }
}

/// What a Yoga (or React Native) style property accepts, for [`check_value`].
#[derive(Clone, Copy)]
enum Accepts {
    /// A number, a percentage or `"auto"` (sizes, margins, `flexBasis`).
    LengthOrAuto,
    /// A number or a percentage (paddings, positions, min/max sizes, gaps).
    Length,
    /// A number (flex factors, border widths, `zIndex`, `opacity`).
    Number,
    /// One of these keywords.
    Keyword(&'static [&'static str]),
    /// An object or array (`shadowOffset`, `transform`, `fontVariant`).
    Structured,
}

const ALIGN: &[&str] = &[
    "auto",
    "flex-start",
    "flex-end",
    "center",
    "stretch",
    "baseline",
    "space-between",
    "space-around",
    "space-evenly",
];

fn accepts(prop: &str) -> Option<Accepts> {
    use Accepts::*;
    Some(match prop {
        "width" | "height" | "flexBasis" | "marginTop" | "marginBottom" | "marginLeft"
        | "marginRight" | "marginStart" | "marginEnd" | "margin" | "marginHorizontal"
        | "marginVertical" => LengthOrAuto,
        "minWidth" | "minHeight" | "maxWidth" | "maxHeight" | "paddingTop" | "paddingBottom"
        | "paddingLeft" | "paddingRight" | "paddingStart" | "paddingEnd" | "padding"
        | "paddingHorizontal" | "paddingVertical" | "top" | "bottom" | "left" | "right"
        | "start" | "end" | "inset" | "gap" | "rowGap" | "columnGap" => Length,
        "flex" | "flexGrow" | "flexShrink" | "borderWidth" | "borderTopWidth"
        | "borderBottomWidth" | "borderLeftWidth" | "borderRightWidth" | "borderStartWidth"
        | "borderEndWidth" | "zIndex" | "opacity" => Number,
        "flexDirection" => Keyword(&["row", "row-reverse", "column", "column-reverse"]),
        "justifyContent" => Keyword(&[
            "flex-start",
            "flex-end",
            "center",
            "space-between",
            "space-around",
            "space-evenly",
        ]),
        "alignItems" | "alignSelf" | "alignContent" => Keyword(ALIGN),
        "flexWrap" => Keyword(&["wrap", "nowrap", "wrap-reverse"]),
        "position" => Keyword(&["absolute", "relative", "static"]),
        "display" => Keyword(&["flex", "none", "contents"]),
        "overflow" => Keyword(&["visible", "hidden", "scroll"]),
        "direction" => Keyword(&["inherit", "ltr", "rtl"]),
        "shadowOffset" | "textShadowOffset" | "transform" | "transformOrigin" | "fontVariant"
        | "boxShadow" | "filter" => Structured,
        _ => return None,
    })
}

/// Whether `v` is a value React Native's Yoga takes for style property `prop`: `Err` says
/// why not (`height: "100vh"`, `flexDirection: "horizontal"`, an object under `width`). A
/// property the table does not know takes any number, string or boolean; only the structured
/// properties (`shadowOffset`, `transform`, ...) take objects and arrays.
pub(crate) fn check_value(prop: &str, v: &Json) -> Result<(), String> {
    let percent = |s: &str| {
        s.strip_suffix('%')
            .is_some_and(|n| !n.is_empty() && n.trim().parse::<f64>().is_ok_and(f64::is_finite))
    };
    let finite = |v: &Json| v.as_f64().is_some_and(f64::is_finite);
    let accepted = accepts(prop);
    let ok = match (accepted, v) {
        (Some(Accepts::Structured), Json::Object(_) | Json::Array(_) | Json::String(_)) => true,
        (_, Json::Object(_) | Json::Array(_)) => false,
        (_, Json::Null) => false,
        (None, _) => true,
        (Some(Accepts::LengthOrAuto), Json::String(s)) => s == "auto" || percent(s),
        (Some(Accepts::Length), Json::String(s)) => percent(s),
        (Some(Accepts::LengthOrAuto | Accepts::Length | Accepts::Number), v) => finite(v),
        (Some(Accepts::Keyword(words)), Json::String(s)) => words.contains(&s.as_str()),
        (Some(_), _) => false,
    };
    if ok {
        Ok(())
    } else {
        let expected = match accepted {
            Some(Accepts::LengthOrAuto) => "a number, a percentage or \"auto\"".to_string(),
            Some(Accepts::Length) => "a number or a percentage".to_string(),
            Some(Accepts::Number) => "a number".to_string(),
            Some(Accepts::Keyword(words)) => format!("one of {}", words.join(", ")),
            Some(Accepts::Structured) => "an object or array".to_string(),
            None => "a number, string or boolean".to_string(),
        };
        Err(format!(
            "`{prop}: {v}` is not a value React Native takes ({expected})"
        ))
    }
}
