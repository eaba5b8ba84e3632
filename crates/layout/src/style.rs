//! Style normalization into the Layout JSON vocabulary (React Native / Yoga property names),
//! and the CSS declaration parser used for styled-components / emotion templates.
//!
//! Shorthand expansion (documented in docs/layout-json.md): `margin`, `marginHorizontal`,
//! `marginVertical`, `marginStart`/`marginEnd` and the same for `padding` expand to the four
//! edge properties, `inset` to `top/right/bottom/left`, `borderWidth`/`borderColor` to the four
//! edges, `borderRadius` to the four corners, `gap` to `rowGap`/`columnGap`. More specific
//! properties win over shorthands whatever their order (React Native's rule). `flex` is kept
//! as written (Yoga interprets it). Numeric `fontWeight` becomes a string.

use serde_json::{Map, Value as Json};

type Expansion = (&'static str, &'static [&'static str]);

/// Shorthands in increasing specificity: later groups override earlier ones.
const SHORTHANDS: &[&[Expansion]] = &[
    &[
        (
            "margin",
            &["marginTop", "marginRight", "marginBottom", "marginLeft"],
        ),
        (
            "padding",
            &["paddingTop", "paddingRight", "paddingBottom", "paddingLeft"],
        ),
        ("inset", &["top", "right", "bottom", "left"]),
        (
            "borderWidth",
            &[
                "borderTopWidth",
                "borderRightWidth",
                "borderBottomWidth",
                "borderLeftWidth",
            ],
        ),
        (
            "borderColor",
            &[
                "borderTopColor",
                "borderRightColor",
                "borderBottomColor",
                "borderLeftColor",
            ],
        ),
        (
            "borderRadius",
            &[
                "borderTopLeftRadius",
                "borderTopRightRadius",
                "borderBottomRightRadius",
                "borderBottomLeftRadius",
            ],
        ),
        ("gap", &["rowGap", "columnGap"]),
    ],
    &[
        ("marginHorizontal", &["marginLeft", "marginRight"]),
        ("marginVertical", &["marginTop", "marginBottom"]),
        ("paddingHorizontal", &["paddingLeft", "paddingRight"]),
        ("paddingVertical", &["paddingTop", "paddingBottom"]),
        ("insetHorizontal", &["left", "right"]),
        ("insetVertical", &["top", "bottom"]),
    ],
    &[
        ("marginStart", &["marginLeft"]),
        ("marginEnd", &["marginRight"]),
        ("paddingStart", &["paddingLeft"]),
        ("paddingEnd", &["paddingRight"]),
        ("start", &["left"]),
        ("end", &["right"]),
        ("borderStartWidth", &["borderLeftWidth"]),
        ("borderEndWidth", &["borderRightWidth"]),
        ("borderStartColor", &["borderLeftColor"]),
        ("borderEndColor", &["borderRightColor"]),
        ("borderTopStartRadius", &["borderTopLeftRadius"]),
        ("borderTopEndRadius", &["borderTopRightRadius"]),
        ("borderBottomStartRadius", &["borderBottomLeftRadius"]),
        ("borderBottomEndRadius", &["borderBottomRightRadius"]),
    ],
];

/// Expands shorthands and normalizes values; keys come out sorted for stable output.
pub(crate) fn normalize(mut entries: Vec<(String, Json)>) -> Map<String, Json> {
    if entries.is_empty() {
        return Map::new();
    }
    // (entry index, specificity, long key when expanded from a shorthand): shorthands get
    // their group's rank, real properties rank 3. Keys and values stay in `entries` until the
    // winners are moved out (no string or value copies for properties written as they are).
    let mut out: Vec<(u32, u8, Option<&'static str>)> = Vec::with_capacity(entries.len() + 8);
    for (i, (k, _)) in entries.iter().enumerate() {
        match shorthand(k) {
            Some((rank, longs)) => out.extend(longs.iter().map(|l| (i as u32, rank, Some(*l)))),
            None => out.push((i as u32, 3, None)),
        }
    }
    fn key<'e>(entries: &'e [(String, Json)], item: &(u32, u8, Option<&'static str>)) -> &'e str {
        item.2.unwrap_or(entries[item.0 as usize].0.as_str())
    }
    // Most specific wins; among equals the later one (stable sort keeps source order).
    out.sort_by(|a, b| key(&entries, a).cmp(key(&entries, b)).then(a.1.cmp(&b.1)));
    // Losers (followed by the same key) are marked with rank `u8::MAX`.
    for i in 1..out.len() {
        if key(&entries, &out[i - 1]) == key(&entries, &out[i]) {
            out[i - 1].1 = u8::MAX;
        }
    }
    let mut map = Map::with_capacity(out.len());
    for &(src, rank, long) in &out {
        if rank == u8::MAX {
            continue;
        }
        let (k, v) = match long {
            Some(l) => (l.to_string(), entries[src as usize].1.clone()),
            None => {
                let (k, v) = std::mem::take(&mut entries[src as usize]);
                let v = match (k.as_str(), v) {
                    ("fontWeight", Json::Number(n)) => Json::String(n.to_string()),
                    (_, v) => v,
                };
                (k, v)
            }
        };
        map.insert(k, v);
    }
    map
}

/// The expansion of a shorthand property: (specificity rank, long properties).
fn shorthand(k: &str) -> Option<(u8, &'static [&'static str])> {
    SHORTHANDS.iter().enumerate().find_map(|(rank, group)| {
        group
            .iter()
            .find(|(s, _)| *s == k)
            .map(|(_, longs)| (rank as u8, *longs))
    })
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
    fn specific_properties_win_over_shorthands_in_any_order() {
        let m = normalize(vec![
            ("marginLeft".into(), json!(4)),
            ("margin".into(), json!(10)),
            ("marginHorizontal".into(), json!(20)),
            ("paddingVertical".into(), json!(3)),
            ("flex".into(), json!(1)),
            ("fontWeight".into(), json!(700)),
        ]);
        assert_eq!(m["marginLeft"], json!(4));
        assert_eq!(m["marginRight"], json!(20));
        assert_eq!(m["marginTop"], json!(10));
        assert_eq!(m["paddingTop"], json!(3));
        assert_eq!(m["flex"], json!(1));
        assert_eq!(m["fontWeight"], json!("700"));
        assert!(!m.contains_key("margin"));
    }

    #[test]
    fn css_declarations_become_rn_style() {
        let (d, problems) = css_declarations(
            "padding: 8px 16px; background-color: #fff; border: 1px solid red; font-weight: 600; box-shadow: 0 0 1px black;",
        );
        let m: Map<String, Json> = d.into_iter().collect();
        assert_eq!(m["paddingTop"], json!(8));
        assert_eq!(m["paddingLeft"], json!(16));
        assert_eq!(m["backgroundColor"], json!("#fff"));
        assert_eq!(m["borderWidth"], json!(1));
        assert_eq!(m["borderColor"], json!("red"));
        assert_eq!(m["fontWeight"], json!("600"));
        assert_eq!(problems.len(), 1);
    }
}
