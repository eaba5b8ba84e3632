//! React Native style maps (Yoga vocabulary) -> taffy styles with Yoga's defaults.
//!
//! Everything that React Native's Yoga reads differently from CSS is decided here: the defaults
//! (column, `flexShrink: 0`, `alignContent: flex-start`, `position: relative`, no automatic minimum
//! size), how `flex: n` expands, which edge wins among `margin`/`marginHorizontal`/`marginStart`/...,
//! and which values Yoga ignores (`aspectRatio: 0`).

use serde_json::{Map, Value};
use taffy::geometry::Point;
use taffy::prelude::*;
use taffy::style::{AlignmentSafety, BoxSizing, Direction, Overflow, Position};

/// A length as React Native writes it: points, a percentage, or `auto`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum RnLength {
    Points(f32),
    Percent(f32),
    Auto,
    /// Yoga 3 keywords (`fit-content`, `max-content`, `stretch`) given on a size or a basis.
    FitContent,
    MaxContent,
    Stretch,
}

pub(crate) fn parse_length(value: &Value) -> Option<RnLength> {
    match value {
        Value::Number(n) => n
            .as_f64()
            .map(|v| RnLength::Points(v as f32))
            .filter(is_finite),
        Value::String(s) => {
            let s = s.trim();
            match s {
                "auto" => Some(RnLength::Auto),
                "fit-content" => Some(RnLength::FitContent),
                "max-content" => Some(RnLength::MaxContent),
                "stretch" => Some(RnLength::Stretch),
                _ => {
                    if let Some(p) = s.strip_suffix('%') {
                        p.trim()
                            .parse::<f32>()
                            .ok()
                            .map(RnLength::Percent)
                            .filter(is_finite)
                    } else {
                        let s = s.strip_suffix("px").unwrap_or(s);
                        s.trim()
                            .parse::<f32>()
                            .ok()
                            .map(RnLength::Points)
                            .filter(is_finite)
                    }
                }
            }
        }
        _ => None,
    }
}

fn is_finite(l: &RnLength) -> bool {
    match l {
        RnLength::Points(v) | RnLength::Percent(v) => v.is_finite(),
        _ => true,
    }
}

pub(crate) fn number(value: &Value) -> Option<f32> {
    match value {
        Value::Number(n) => n.as_f64().map(|v| v as f32).filter(|v| v.is_finite()),
        Value::String(s) => s.trim().parse::<f32>().ok().filter(|v| v.is_finite()),
        _ => None,
    }
}

fn dimension(l: RnLength) -> Dimension {
    match l {
        RnLength::Points(v) => Dimension::length(v),
        RnLength::Percent(v) => Dimension::percent(v / 100.0),
        RnLength::Auto => Dimension::auto(),
        RnLength::FitContent => Dimension::fit_content(),
        RnLength::MaxContent => Dimension::max_content(),
        RnLength::Stretch => Dimension::stretch(),
    }
}

fn lpa(l: RnLength) -> LengthPercentageAuto {
    match l {
        RnLength::Points(v) => LengthPercentageAuto::length(v),
        RnLength::Percent(v) => LengthPercentageAuto::percent(v / 100.0),
        _ => LengthPercentageAuto::auto(),
    }
}

fn lp(l: RnLength) -> LengthPercentage {
    match l {
        RnLength::Points(v) => LengthPercentage::length(v),
        RnLength::Percent(v) => LengthPercentage::percent(v / 100.0),
        _ => LengthPercentage::length(0.0),
    }
}

/// Reads one physical edge the way Yoga's `computeLeftEdge`/`computeTopEdge` do: the most
/// specific key that is set wins (`marginStart` over `marginLeft` over `marginHorizontal` over
/// `margin`), and start/end follow the layout direction.
fn edge(style: &Map<String, Value>, keys: &EdgeKeys, side: Side, rtl: bool) -> Option<RnLength> {
    let get = |k: Option<&str>| k.and_then(|k| style.get(k)).and_then(parse_length);
    let (logical, physical, axis) = match side {
        Side::Left => (
            if rtl { keys.end } else { keys.start },
            keys.left,
            keys.horizontal,
        ),
        Side::Right => (
            if rtl { keys.start } else { keys.end },
            keys.right,
            keys.horizontal,
        ),
        Side::Top => (keys.block_start, keys.top, keys.vertical),
        Side::Bottom => (keys.block_end, keys.bottom, keys.vertical),
    };
    // Yoga reads `start`/`end` for the horizontal edges only; `marginBlockStart` is RN's
    // alias of `marginTop`, so for vertical edges the logical key comes after the physical one.
    let vertical = matches!(side, Side::Top | Side::Bottom);
    let first = if vertical {
        get(physical).or(get(logical))
    } else {
        get(logical).or(get(physical))
    };
    first
        .or_else(|| {
            keys.axis_alias(side)
                .and_then(|k| style.get(k))
                .and_then(parse_length)
        })
        .or_else(|| get(axis))
        .or_else(|| get(keys.all))
}

#[derive(Clone, Copy)]
enum Side {
    Left,
    Right,
    Top,
    Bottom,
}

struct EdgeKeys {
    all: Option<&'static str>,
    horizontal: Option<&'static str>,
    vertical: Option<&'static str>,
    inline: Option<&'static str>,
    block: Option<&'static str>,
    left: Option<&'static str>,
    right: Option<&'static str>,
    top: Option<&'static str>,
    bottom: Option<&'static str>,
    start: Option<&'static str>,
    end: Option<&'static str>,
    block_start: Option<&'static str>,
    block_end: Option<&'static str>,
}

impl EdgeKeys {
    fn axis_alias(&self, side: Side) -> Option<&'static str> {
        match side {
            Side::Left | Side::Right => self.inline,
            Side::Top | Side::Bottom => self.block,
        }
    }
}

macro_rules! edge_keys {
    ($p:literal) => {
        EdgeKeys {
            all: Some($p),
            horizontal: Some(concat!($p, "Horizontal")),
            vertical: Some(concat!($p, "Vertical")),
            inline: Some(concat!($p, "Inline")),
            block: Some(concat!($p, "Block")),
            left: Some(concat!($p, "Left")),
            right: Some(concat!($p, "Right")),
            top: Some(concat!($p, "Top")),
            bottom: Some(concat!($p, "Bottom")),
            start: Some(concat!($p, "Start")),
            end: Some(concat!($p, "End")),
            block_start: Some(concat!($p, "BlockStart")),
            block_end: Some(concat!($p, "BlockEnd")),
        }
    };
}

const MARGIN: EdgeKeys = edge_keys!("margin");
const PADDING: EdgeKeys = edge_keys!("padding");
const BORDER: EdgeKeys = EdgeKeys {
    all: Some("borderWidth"),
    horizontal: None,
    vertical: None,
    inline: None,
    block: None,
    left: Some("borderLeftWidth"),
    right: Some("borderRightWidth"),
    top: Some("borderTopWidth"),
    bottom: Some("borderBottomWidth"),
    start: Some("borderStartWidth"),
    end: Some("borderEndWidth"),
    block_start: None,
    block_end: None,
};
const INSET: EdgeKeys = EdgeKeys {
    all: Some("inset"),
    horizontal: None,
    vertical: None,
    inline: Some("insetInline"),
    block: Some("insetBlock"),
    left: Some("left"),
    right: Some("right"),
    top: Some("top"),
    bottom: Some("bottom"),
    start: Some("start"),
    end: Some("end"),
    block_start: Some("insetBlockStart"),
    block_end: Some("insetBlockEnd"),
};

fn rect<T>(
    style: &Map<String, Value>,
    keys: &EdgeKeys,
    rtl: bool,
    f: impl Fn(Option<RnLength>) -> T,
) -> Rect<T> {
    Rect {
        left: f(edge(style, keys, Side::Left, rtl)),
        right: f(edge(style, keys, Side::Right, rtl)),
        top: f(edge(style, keys, Side::Top, rtl)),
        bottom: f(edge(style, keys, Side::Bottom, rtl)),
    }
}

fn str_of<'a>(style: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    style.get(key).and_then(Value::as_str).map(str::trim)
}

fn align_items(s: &str) -> Option<AlignItems> {
    Some(match s {
        "flex-start" | "start" => AlignItems::FLEX_START,
        "flex-end" | "end" => AlignItems::FLEX_END,
        "center" => AlignItems::CENTER,
        "stretch" => AlignItems::STRETCH,
        "baseline" => AlignItems::BASELINE,
        _ => return None,
    })
}

fn align_content(s: &str) -> Option<AlignContent> {
    Some(match s {
        "flex-start" | "start" => AlignContent::FLEX_START,
        "flex-end" | "end" => AlignContent::FLEX_END,
        "center" => AlignContent::CENTER,
        "stretch" => AlignContent::STRETCH,
        "space-between" => AlignContent::SPACE_BETWEEN,
        "space-around" => AlignContent::SPACE_AROUND,
        "space-evenly" => AlignContent::SPACE_EVENLY,
        _ => return None,
    })
}

/// Resolves a node's `direction` (`inherit` by default) against its parent's.
pub(crate) fn resolve_direction(style: &Map<String, Value>, parent: Direction) -> Direction {
    match str_of(style, "direction") {
        Some("rtl") => Direction::Rtl,
        Some("ltr") => Direction::Ltr,
        _ => parent,
    }
}

/// Whether a node has `display: contents`.
pub(crate) fn is_display_contents(style: &Map<String, Value>) -> bool {
    str_of(style, "display") == Some("contents")
}

/// Whether a node has `display: none`.
pub(crate) fn is_display_none(style: &Map<String, Value>) -> bool {
    str_of(style, "display") == Some("none")
}

/// Whether a horizontal / vertical inset is explicitly `auto` (Yoga then still counts the axis
/// as having insets when it decides what an absolute node's position is relative to).
pub(crate) fn auto_insets(style: &Map<String, Value>) -> (bool, bool) {
    let auto = |k: &str| str_of(style, k) == Some("auto");
    (
        ["left", "right", "start", "end", "insetInline"]
            .iter()
            .any(|k| auto(k)),
        ["top", "bottom", "insetBlock"].iter().any(|k| auto(k)),
    )
}

/// Builds the taffy style for one node. `direction` is the node's resolved direction.
pub(crate) fn to_taffy(style: &Map<String, Value>, direction: Direction) -> Style {
    let rtl = direction == Direction::Rtl;
    let mut out = Style {
        display: Display::Flex,
        direction,
        flex_direction: FlexDirection::Column,
        flex_shrink: 0.0,
        align_content: AlignContent::FLEX_START,
        align_items: AlignItems::STRETCH,
        justify_content: AlignContent::FLEX_START,
        position: Position::Relative,
        box_sizing: BoxSizing::BorderBox,
        // Yoga has no automatic minimum size: an unset min is no min at all.
        min_size: Size {
            width: LengthPercentageAuto::length(0.0),
            height: LengthPercentageAuto::length(0.0),
        },
        ..Style::default()
    };

    if is_display_none(style) {
        out.display = Display::None;
    }
    if let Some(d) = str_of(style, "flexDirection") {
        out.flex_direction = match d {
            "row" => FlexDirection::Row,
            "row-reverse" => FlexDirection::RowReverse,
            "column-reverse" => FlexDirection::ColumnReverse,
            _ => FlexDirection::Column,
        };
    }
    if let Some(w) = str_of(style, "flexWrap") {
        out.flex_wrap = match w {
            "wrap" => FlexWrap::Wrap,
            "wrap-reverse" => FlexWrap::WrapReverse,
            _ => FlexWrap::NoWrap,
        };
    }
    if let Some(a) = str_of(style, "alignItems").and_then(align_items) {
        out.align_items = a;
    }
    if let Some(a) = str_of(style, "alignSelf") {
        out.align_self = if a == "auto" { None } else { align_items(a) };
    }
    if let Some(a) = str_of(style, "alignContent").and_then(align_content) {
        out.align_content = a;
    }
    if let Some(j) = str_of(style, "justifyContent").and_then(align_content) {
        out.justify_content = j;
    }
    // Yoga never lets `align`/`justify` overflow into negative space differently than CSS's
    // default ("unsafe") alignment, so keep taffy's default safety.
    out.align_content = out.align_content.with_safety(AlignmentSafety::Default);

    out.position = match str_of(style, "position") {
        Some("absolute") => Position::Absolute,
        Some("static") => Position::Static,
        _ => Position::Relative,
    };
    if str_of(style, "boxSizing") == Some("content-box") {
        out.box_sizing = BoxSizing::ContentBox;
    }
    if let Some(o) = str_of(style, "overflow") {
        let o = match o {
            "hidden" => Overflow::Hidden,
            "scroll" => Overflow::Scroll,
            _ => Overflow::Visible,
        };
        out.overflow = Point { x: o, y: o };
    }

    // flex: n, as Yoga reads it with useWebDefaults off (React Native).
    let flex = style.get("flex").and_then(number);
    out.flex_grow = style
        .get("flexGrow")
        .and_then(number)
        .unwrap_or(match flex {
            Some(f) if f > 0.0 => f,
            _ => 0.0,
        });
    out.flex_shrink = style
        .get("flexShrink")
        .and_then(number)
        .unwrap_or(match flex {
            Some(f) if f < 0.0 => -f,
            _ => 0.0,
        });
    out.flex_basis = match style.get("flexBasis").and_then(parse_length) {
        Some(l) => dimension(l),
        None => match flex {
            Some(f) if f > 0.0 => Dimension::length(0.0),
            _ => Dimension::auto(),
        },
    };

    let size_of = |k: &str| style.get(k).and_then(parse_length);
    out.size = Size {
        width: size_of("width").map(dimension).unwrap_or(Dimension::auto()),
        height: size_of("height")
            .map(dimension)
            .unwrap_or(Dimension::auto()),
    };
    let min_of = |k: &str| size_of(k).map(lpa);
    if let Some(v) = min_of("minWidth") {
        out.min_size.width = if v.is_auto() {
            LengthPercentageAuto::length(0.0)
        } else {
            v
        };
    }
    if let Some(v) = min_of("minHeight") {
        out.min_size.height = if v.is_auto() {
            LengthPercentageAuto::length(0.0)
        } else {
            v
        };
    }
    if let Some(v) = min_of("maxWidth") {
        out.max_size.width = v;
    }
    if let Some(v) = min_of("maxHeight") {
        out.max_size.height = v;
    }
    // Yoga treats an aspect ratio of 0 (or infinity) as unset.
    out.aspect_ratio = style
        .get("aspectRatio")
        .and_then(number)
        .filter(|r| *r > 0.0 && r.is_finite());

    out.margin = rect(style, &MARGIN, rtl, |l| {
        l.map(lpa).unwrap_or(LengthPercentageAuto::length(0.0))
    });
    out.padding = rect(style, &PADDING, rtl, |l| {
        l.map(lp).unwrap_or(LengthPercentage::length(0.0))
    });
    out.border = rect(style, &BORDER, rtl, |l| match l {
        // Borders are never percentages in Yoga.
        Some(RnLength::Points(v)) => LengthPercentage::length(v.max(0.0)),
        _ => LengthPercentage::length(0.0),
    });
    out.inset = rect(style, &INSET, rtl, |l| {
        l.map(lpa).unwrap_or(LengthPercentageAuto::auto())
    });

    let gap = size_of("gap");
    let column_gap = size_of("columnGap")
        .or(gap)
        .map(lp)
        .unwrap_or(LengthPercentage::length(0.0));
    let row_gap = size_of("rowGap")
        .or(gap)
        .map(lp)
        .unwrap_or(LengthPercentage::length(0.0));
    out.gap = Size {
        width: column_gap,
        height: row_gap,
    };
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn style(v: Value) -> Style {
        to_taffy(v.as_object().unwrap(), Direction::Ltr)
    }

    #[test]
    fn defaults_are_yogas_not_css() {
        let s = style(json!({}));
        assert_eq!(s.flex_direction, FlexDirection::Column);
        assert_eq!(s.flex_shrink, 0.0);
        assert_eq!(s.align_content, AlignContent::FLEX_START);
        assert_eq!(s.position, Position::Relative);
        assert_eq!(s.min_size.width, LengthPercentageAuto::length(0.0));
    }

    #[test]
    fn positive_flex_is_grow_with_zero_basis_and_no_shrink() {
        let s = style(json!({"flex": 2}));
        assert_eq!(
            (s.flex_grow, s.flex_shrink, s.flex_basis),
            (2.0, 0.0, Dimension::length(0.0))
        );
        let s = style(json!({"flex": -1}));
        assert_eq!(
            (s.flex_grow, s.flex_shrink, s.flex_basis),
            (0.0, 1.0, Dimension::auto())
        );
        let s = style(json!({"flex": 1, "flexShrink": 1, "flexBasis": "50%"}));
        assert_eq!(
            (s.flex_grow, s.flex_shrink, s.flex_basis),
            (1.0, 1.0, Dimension::percent(0.5))
        );
    }

    #[test]
    fn most_specific_edge_wins_and_start_follows_direction() {
        let m = json!({"margin": 1, "marginHorizontal": 2, "marginLeft": 3, "marginStart": 4, "marginEnd": 5});
        let ltr = to_taffy(m.as_object().unwrap(), Direction::Ltr);
        assert_eq!(ltr.margin.left, LengthPercentageAuto::length(4.0));
        assert_eq!(ltr.margin.right, LengthPercentageAuto::length(5.0));
        assert_eq!(ltr.margin.top, LengthPercentageAuto::length(1.0));
        let rtl = to_taffy(m.as_object().unwrap(), Direction::Rtl);
        assert_eq!(rtl.margin.left, LengthPercentageAuto::length(5.0));
        assert_eq!(rtl.margin.right, LengthPercentageAuto::length(4.0));
        let p = style(json!({"paddingVertical": 6, "padding": 1, "paddingTop": 7}));
        assert_eq!(p.padding.top, LengthPercentage::length(7.0));
        assert_eq!(p.padding.bottom, LengthPercentage::length(6.0));
        assert_eq!(p.padding.left, LengthPercentage::length(1.0));
    }

    #[test]
    fn aspect_ratio_zero_is_ignored() {
        assert_eq!(style(json!({"aspectRatio": 0})).aspect_ratio, None);
        assert_eq!(style(json!({"aspectRatio": 1.5})).aspect_ratio, Some(1.5));
    }

    #[test]
    fn lengths_parse_numbers_percentages_and_auto() {
        assert_eq!(parse_length(&json!(12.5)), Some(RnLength::Points(12.5)));
        assert_eq!(parse_length(&json!("50%")), Some(RnLength::Percent(50.0)));
        assert_eq!(parse_length(&json!("auto")), Some(RnLength::Auto));
        assert_eq!(parse_length(&json!("wide")), None);
        assert_eq!(parse_length(&json!(null)), None);
    }
}
