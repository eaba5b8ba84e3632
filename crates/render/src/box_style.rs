//! The paint-related part of a React Native style map: colours, borders, radii, opacity,
//! shadows, clipping, stacking and text alignment.

use serde_json::{Map, Value};

use crate::canvas::{BorderDash, Radii};
use crate::color::{Rgba, parse_color};

pub(crate) fn number(style: &Map<String, Value>, key: &str) -> Option<f32> {
    match style.get(key)? {
        Value::Number(n) => n.as_f64().map(|v| v as f32).filter(|v| v.is_finite()),
        Value::String(s) => s.trim().parse::<f32>().ok().filter(|v| v.is_finite()),
        _ => None,
    }
}

pub(crate) fn color(style: &Map<String, Value>, key: &str) -> Option<Rgba> {
    style.get(key).and_then(Value::as_str).and_then(parse_color)
}

fn first_number(style: &Map<String, Value>, keys: &[&str]) -> Option<f32> {
    keys.iter().find_map(|k| number(style, k))
}

fn first_color(style: &Map<String, Value>, keys: &[&str]) -> Option<Rgba> {
    keys.iter().find_map(|k| color(style, k))
}

/// Paint properties of one node (LTR: `start` is left).
pub(crate) struct BoxStyle {
    pub background: Option<Rgba>,
    /// left, top, right, bottom
    pub border_widths: [f32; 4],
    /// left, top, right, bottom
    pub border_colors: [Rgba; 4],
    pub radii: Radii,
    pub opacity: f32,
    pub shadow: Option<Shadow>,
    pub clips: bool,
    /// left, top, right, bottom padding in points (numbers only).
    pub padding: [f32; 4],
}

pub(crate) struct Shadow {
    pub color: Rgba,
    pub offset: (f32, f32),
    pub blur: f32,
}

impl BoxStyle {
    pub fn read(style: &Map<String, Value>) -> BoxStyle {
        let width = |keys: &[&str]| first_number(style, keys).unwrap_or(0.0).max(0.0);
        let border_widths = [
            width(&["borderLeftWidth", "borderStartWidth", "borderWidth"]),
            width(&["borderTopWidth", "borderWidth"]),
            width(&["borderRightWidth", "borderEndWidth", "borderWidth"]),
            width(&["borderBottomWidth", "borderWidth"]),
        ];
        let black = Rgba::rgb(0, 0, 0);
        let side_color = |keys: &[&str]| first_color(style, keys).unwrap_or(black);
        let border_colors = [
            side_color(&["borderLeftColor", "borderStartColor", "borderColor"]),
            side_color(&["borderTopColor", "borderColor"]),
            side_color(&["borderRightColor", "borderEndColor", "borderColor"]),
            side_color(&["borderBottomColor", "borderColor"]),
        ];
        let radius = |keys: &[&str]| first_number(style, keys).unwrap_or(0.0).max(0.0);
        let radii = [
            radius(&[
                "borderTopLeftRadius",
                "borderTopStartRadius",
                "borderRadius",
            ]),
            radius(&["borderTopRightRadius", "borderTopEndRadius", "borderRadius"]),
            radius(&[
                "borderBottomRightRadius",
                "borderBottomEndRadius",
                "borderRadius",
            ]),
            radius(&[
                "borderBottomLeftRadius",
                "borderBottomStartRadius",
                "borderRadius",
            ]),
        ];
        let pad = |keys: &[&str]| first_number(style, keys).unwrap_or(0.0).max(0.0);
        let padding = [
            pad(&[
                "paddingLeft",
                "paddingStart",
                "paddingHorizontal",
                "padding",
            ]),
            pad(&["paddingTop", "paddingVertical", "padding"]),
            pad(&["paddingRight", "paddingEnd", "paddingHorizontal", "padding"]),
            pad(&["paddingBottom", "paddingVertical", "padding"]),
        ];
        let overflow = style.get("overflow").and_then(Value::as_str);
        BoxStyle {
            background: color(style, "backgroundColor"),
            border_widths,
            border_colors,
            radii,
            opacity: number(style, "opacity").unwrap_or(1.0).clamp(0.0, 1.0),
            shadow: read_shadow(style),
            clips: matches!(overflow, Some("hidden") | Some("scroll")),
            padding,
        }
    }
}

/// iOS `shadow*` properties, or Android `elevation` approximated as a soft drop shadow.
fn read_shadow(style: &Map<String, Value>) -> Option<Shadow> {
    let opacity = number(style, "shadowOpacity").unwrap_or(0.0);
    if opacity > 0.0 {
        let offset = style.get("shadowOffset").and_then(Value::as_object);
        let off = |k: &str| {
            offset
                .and_then(|o| o.get(k))
                .and_then(Value::as_f64)
                .unwrap_or(0.0) as f32
        };
        return Some(Shadow {
            color: color(style, "shadowColor")
                .unwrap_or(Rgba::rgb(0, 0, 0))
                .with_alpha_factor(opacity),
            offset: (
                off("width"),
                if offset.is_some() {
                    off("height")
                } else {
                    -3.0
                },
            ),
            blur: number(style, "shadowRadius").unwrap_or(3.0).max(0.0),
        });
    }
    let elevation = number(style, "elevation").unwrap_or(0.0);
    (elevation > 0.0).then(|| Shadow {
        color: color(style, "shadowColor")
            .unwrap_or(Rgba::rgb(0, 0, 0))
            .with_alpha_factor(0.28),
        offset: (0.0, elevation * 0.5),
        blur: elevation,
    })
}

/// `zIndex`, for painting order among siblings.
pub(crate) fn z_index(style: &Map<String, Value>) -> f32 {
    number(style, "zIndex").unwrap_or(0.0)
}

/// Whether the node has `display: none`.
pub(crate) fn hidden(style: &Map<String, Value>) -> bool {
    style.get("display").and_then(Value::as_str) == Some("none")
}

/// Horizontal text alignment.
#[derive(Clone, Copy, PartialEq, Debug)]
pub(crate) enum TextAlign {
    Left,
    Center,
    Right,
}

/// The node's resolved direction (`direction` is inherited).
pub(crate) fn is_rtl(style: &Map<String, Value>, parent_rtl: bool) -> bool {
    match style.get("direction").and_then(Value::as_str) {
        Some("rtl") => true,
        Some("ltr") => false,
        _ => parent_rtl,
    }
}

/// `textAlign`; `auto` follows the direction.
pub(crate) fn text_align(style: &Map<String, Value>, rtl: bool) -> TextAlign {
    match style.get("textAlign").and_then(Value::as_str) {
        Some("center") => TextAlign::Center,
        Some("right") => TextAlign::Right,
        Some("left") | Some("justify") => TextAlign::Left,
        _ if rtl => TextAlign::Right,
        _ => TextAlign::Left,
    }
}

/// React Native's `transform` array (`translateX/Y`, `scale`, `scaleX/Y`, `rotate`/`rotateZ`,
/// `skewX/Y`), as a transform in points about the node's centre `(cx, cy)`, applied in order.
pub(crate) fn transform(
    style: &Map<String, Value>,
    cx: f32,
    cy: f32,
) -> Option<tiny_skia::Transform> {
    let ops = style.get("transform")?.as_array()?;
    let angle = |v: &Value| -> Option<f32> {
        match v {
            Value::Number(n) => n.as_f64().map(|d| d as f32),
            Value::String(s) => {
                let s = s.trim();
                if let Some(d) = s.strip_suffix("deg") {
                    d.trim().parse::<f32>().ok()
                } else if let Some(r) = s.strip_suffix("rad") {
                    r.trim().parse::<f32>().ok().map(f32::to_degrees)
                } else {
                    s.parse::<f32>().ok()
                }
            }
            _ => None,
        }
    };
    let mut t = tiny_skia::Transform::from_translate(cx, cy);
    for op in ops {
        let Some((key, v)) = op.as_object().and_then(|o| o.iter().next()) else {
            continue;
        };
        let n = || v.as_f64().map(|x| x as f32);
        t = match key.as_str() {
            "translateX" => n().map_or(t, |x| t.pre_translate(x, 0.0)),
            "translateY" => n().map_or(t, |y| t.pre_translate(0.0, y)),
            "scale" => n().map_or(t, |k| t.pre_scale(k, k)),
            "scaleX" => n().map_or(t, |k| t.pre_scale(k, 1.0)),
            "scaleY" => n().map_or(t, |k| t.pre_scale(1.0, k)),
            "rotate" | "rotateZ" => angle(v).map_or(t, |a| t.pre_rotate(a)),
            "skewX" => angle(v).map_or(t, |a| {
                t.pre_concat(tiny_skia::Transform::from_skew(a.to_radians().tan(), 0.0))
            }),
            "skewY" => angle(v).map_or(t, |a| {
                t.pre_concat(tiny_skia::Transform::from_skew(0.0, a.to_radians().tan()))
            }),
            _ => t,
        };
    }
    let t = t.pre_translate(-cx, -cy);
    (!t.is_identity() && t.is_finite()).then_some(t)
}

/// `borderStyle: dashed | dotted` (solid otherwise).
pub(crate) fn border_dash(style: &Map<String, Value>) -> Option<BorderDash> {
    match style.get("borderStyle").and_then(Value::as_str) {
        Some("dashed") => Some(BorderDash::Dashed),
        Some("dotted") => Some(BorderDash::Dotted),
        _ => None,
    }
}
