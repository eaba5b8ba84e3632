//! What each core component shows and how large it is by itself: the one table that a Layout
//! JSON document's frames are measured from ([`crate::layout_json`]) and that `hivesync-render`
//! draws from, so a node is measured as it is drawn. `docs/frames.md` has the table in prose.

use hivesync_document::{Node, TargetPlatform};
use serde_json::{Map, Value, json};

use crate::fonts::FontSet;
use crate::text::{TextContent, TextSpan, TextStyle, layout_text};

/// Space between a `Button`'s title and its edges, on every side, in points.
pub const BUTTON_PADDING: f32 = 8.0;

/// A core component as measuring and drawing see it: its type with the props that matter,
/// read once from a document node ([`Component::of`]).
#[derive(Clone, Debug, PartialEq)]
pub enum Component<'a> {
    /// `Text`: a text leaf of its spans ([`text_spans`]); its children are part of it.
    Text,
    /// `TextInput`: its text on one line (wrapped when `multiline`).
    TextInput(InputText),
    /// `Image` and `ImageBackground`: the picture of `source.asset_id` when the request carried
    /// the file, else a labelled placeholder (remote images are never fetched).
    Image {
        /// The source's file name (`source.asset` or `source.uri`), else the node type.
        label: String,
        /// For `Image`: `source.width` x `source.height`, its size when the style sets none.
        size: Option<(f32, f32)>,
        /// The image asset (in the document's asset table) holding the picture, if any.
        asset_id: Option<&'a str>,
        /// Pixels per point of the picture's file (`source.scale`, `@2x` -> 2; default 1).
        scale: f32,
        /// `resizeMode` (React Native) or `contentFit` (expo-image), as written.
        fit: Option<&'a str>,
    },
    /// `HS_ImageSnapshot`: the snapshot PNG of its asset; its children are not drawn.
    Snapshot {
        /// The asset holding the PNG (`snapshot.asset_id`).
        asset_id: Option<&'a str>,
        /// The component it stands for (`snapshot.component`).
        component: &'a str,
    },
    /// `Switch`: a track with a thumb at the platform's size.
    Switch {
        /// The platform's switch size in points.
        size: (f32, f32),
        /// `value`.
        on: bool,
        /// `trackColor.true` or `trackColor.false` (as `on` says), else the platform's colour.
        track: &'a str,
        /// `thumbColor`, else white.
        thumb: &'a str,
    },
    /// `ActivityIndicator`: a ring.
    ActivityIndicator {
        /// `size` in points (`small`: 20, `large`: 36).
        size: f32,
        /// `color`, else grey.
        color: &'a str,
    },
    /// `Button`: its title inside [`BUTTON_PADDING`], the platform's way.
    Button(ButtonLook<'a>),
    /// `ScrollView`, `FlatList`, `SectionList`: children laid out unconstrained in the main
    /// axis (`overflow: scroll`).
    Scroll {
        /// `horizontal`: the main axis is the row.
        horizontal: bool,
    },
    /// Anything else: a box with its style.
    View,
}

/// What a `TextInput` shows.
#[derive(Clone, Debug, PartialEq)]
pub struct InputText {
    /// The non-empty `value` or `defaultValue` (bullets when `secureTextEntry`), else the
    /// `placeholder`.
    pub shown: String,
    /// The colour of `shown` when it is the placeholder (`placeholderTextColor`, else grey);
    /// `None` when it is the value (the style's colour).
    pub placeholder_color: Option<String>,
    /// `multiline`: wraps instead of keeping one line.
    pub multiline: bool,
}

impl InputText {
    /// The text drawn, in the node's text `style` (its `fontFamily` one of `fonts` or bundled).
    pub fn content(&self, style: &Map<String, Value>, fonts: &FontSet) -> TextContent {
        let mut text = TextContent::plain(
            self.shown.clone(),
            TextStyle::from_style(style, &TextStyle::default(), fonts),
        );
        if !self.multiline {
            text.number_of_lines = Some(1);
        }
        text
    }
}

/// How a `Button` looks on its platform.
#[derive(Clone, Debug, PartialEq)]
pub struct ButtonLook<'a> {
    /// The title (upper case on Android) at the platform's size and weight.
    pub label: TextContent,
    /// The title's colour (`color` on iOS, white on Android).
    pub text_color: &'a str,
    /// The background (`color` or blue on Android; none on iOS).
    pub background: Option<&'a str>,
}

fn prop<'a>(node: &'a Node, key: &str) -> Option<&'a Value> {
    node.props.get(key)
}

impl<'a> Component<'a> {
    /// The component a node of `platform`'s document is.
    pub fn of(node: &'a Node, platform: TargetPlatform) -> Component<'a> {
        let ios = platform == TargetPlatform::Ios;
        match &*node.kind {
            "Text" => Component::Text,
            "TextInput" => Component::TextInput(input_text(node)),
            kind @ ("Image" | "ImageBackground") => {
                let source = prop(node, "source");
                let label = source
                    .and_then(|s| s.get("asset").or_else(|| s.get("uri")))
                    .and_then(Value::as_str)
                    .map(|p| p.rsplit('/').next().unwrap_or(p))
                    .unwrap_or(kind)
                    .to_string();
                let dim = |k: &str| {
                    source
                        .and_then(|s| s.get(k))
                        .and_then(Value::as_f64)
                        .map(|v| v as f32)
                };
                let size = match (kind, dim("width"), dim("height")) {
                    ("Image", Some(w), Some(h)) => Some((w, h)),
                    _ => None,
                };
                Component::Image {
                    label,
                    size,
                    asset_id: source
                        .and_then(|s| s.get("asset_id"))
                        .and_then(Value::as_str),
                    scale: dim("scale").filter(|s| *s > 0.0).unwrap_or(1.0),
                    fit: prop(node, "resizeMode")
                        .or_else(|| prop(node, "contentFit"))
                        .and_then(Value::as_str),
                }
            }
            "HS_ImageSnapshot" => Component::Snapshot {
                asset_id: node.snapshot.as_ref().map(|s| s.asset_id.as_str()),
                component: node
                    .snapshot
                    .as_ref()
                    .map_or("Snapshot", |s| s.component.as_str()),
            },
            "Switch" => {
                let on = prop(node, "value")
                    .and_then(Value::as_bool)
                    .unwrap_or(false);
                let track = prop(node, "trackColor")
                    .and_then(|t| t.get(if on { "true" } else { "false" }))
                    .and_then(Value::as_str);
                Component::Switch {
                    size: if ios { (51.0, 31.0) } else { (36.0, 20.0) },
                    on,
                    track: track.unwrap_or(if on { "#34c759" } else { "#e9e9eb" }),
                    thumb: prop(node, "thumbColor")
                        .and_then(Value::as_str)
                        .unwrap_or("#ffffff"),
                }
            }
            "ActivityIndicator" => Component::ActivityIndicator {
                size: match prop(node, "size") {
                    Some(Value::Number(n)) => n.as_f64().unwrap_or(20.0) as f32,
                    Some(Value::String(s)) if s == "large" => 36.0,
                    _ => 20.0,
                },
                color: prop(node, "color")
                    .and_then(Value::as_str)
                    .unwrap_or("#999999"),
            },
            "Button" => Component::Button(button(node, ios)),
            "ScrollView" | "FlatList" | "SectionList" => Component::Scroll {
                horizontal: prop(node, "horizontal").and_then(Value::as_bool) == Some(true),
            },
            _ => Component::View,
        }
    }
}

fn input_text(node: &Node) -> InputText {
    let value = prop(node, "value")
        .or_else(|| prop(node, "defaultValue"))
        .and_then(Value::as_str)
        .filter(|v| !v.is_empty());
    let (shown, placeholder_color) = match value {
        Some(v) if prop(node, "secureTextEntry").and_then(Value::as_bool) == Some(true) => {
            ("\u{2022}".repeat(v.chars().count()), None)
        }
        Some(v) => (v.to_string(), None),
        None => (
            prop(node, "placeholder")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            Some(
                prop(node, "placeholderTextColor")
                    .and_then(Value::as_str)
                    .unwrap_or("#9ca3af")
                    .to_string(),
            ),
        ),
    };
    InputText {
        shown,
        placeholder_color,
        multiline: prop(node, "multiline").and_then(Value::as_bool) == Some(true),
    }
}

fn button(node: &Node, ios: bool) -> ButtonLook<'_> {
    let title = prop(node, "title").and_then(Value::as_str).unwrap_or("");
    let color = prop(node, "color").and_then(Value::as_str);
    let mut style = Map::new();
    let look = if ios {
        style.insert("fontSize".into(), json!(18.0));
        (title.to_string(), color.unwrap_or("#007aff"), None)
    } else {
        style.insert("fontSize".into(), json!(14.0));
        style.insert("fontWeight".into(), json!("500"));
        (
            title.to_uppercase(),
            "#ffffff",
            Some(color.unwrap_or("#2196f3")),
        )
    };
    ButtonLook {
        label: TextContent::plain(
            look.0,
            TextStyle::from_style(&style, &TextStyle::default(), &FontSet::bundled()),
        ),
        text_color: look.1,
        background: look.2,
    }
}

/// What a node measures as, by itself: a text leaf, a fixed size, or its children.
#[derive(Clone, Debug, PartialEq)]
pub enum Intrinsic {
    /// Sized by its children and style.
    None,
    /// A text leaf of this text.
    Text(TextContent),
    /// A leaf of this size in points.
    Fixed(f32, f32),
}

impl Component<'_> {
    /// What `node` (the node this component was read from) measures as, its text in `fonts`.
    pub fn intrinsic(&self, node: &Node, style: &Map<String, Value>, fonts: &FontSet) -> Intrinsic {
        match self {
            Component::Text => {
                text_spans(node, fonts).map_or(Intrinsic::None, |(t, _)| Intrinsic::Text(t))
            }
            Component::TextInput(input) => {
                let mut text = input.content(style, fonts);
                // An empty input is still one line high.
                if input.shown.is_empty() {
                    text.spans[0].text = " ".into();
                }
                Intrinsic::Text(text)
            }
            Component::Image {
                size: Some((w, h)), ..
            } => Intrinsic::Fixed(*w, *h),
            Component::Switch { size, .. } => Intrinsic::Fixed(size.0, size.1),
            Component::ActivityIndicator { size, .. } => Intrinsic::Fixed(*size, *size),
            Component::Button(look) => {
                let mut label = look.label.clone();
                label.number_of_lines = Some(1);
                let laid = layout_text(&label, None);
                Intrinsic::Fixed(
                    laid.width + 2.0 * BUTTON_PADDING,
                    laid.height + 2.0 * BUTTON_PADDING,
                )
            }
            _ => Intrinsic::None,
        }
    }
}

/// A `Text` node's spans, with each span's effective style map (the parent Text's style merged
/// under the span's own, as nested Text inherits in React Native): its own `text`, then its
/// nested `Text` / `RawText` children in order; `props.numberOfLines`. A span's `fontFamily`
/// is looked up in `fonts`. `None` for nodes that are not `Text`.
pub fn text_spans(node: &Node, fonts: &FontSet) -> Option<(TextContent, Vec<Map<String, Value>>)> {
    if node.kind != "Text" {
        return None;
    }
    let mut spans = Vec::new();
    let mut styles = Vec::new();
    collect_spans(node, &Map::new(), fonts, &mut spans, &mut styles);
    let number_of_lines = prop(node, "numberOfLines")
        .and_then(Value::as_u64)
        .map(|n| n as u32);
    Some((
        TextContent {
            spans,
            number_of_lines,
        },
        styles,
    ))
}

fn collect_spans(
    node: &Node,
    inherited: &Map<String, Value>,
    fonts: &FontSet,
    spans: &mut Vec<TextSpan>,
    styles: &mut Vec<Map<String, Value>>,
) {
    let mut merged = inherited.clone();
    for (k, v) in node.style.iter() {
        merged.insert(k.to_string(), v.clone());
    }
    if let Some(text) = &node.text {
        spans.push(TextSpan {
            text: text.clone(),
            style: TextStyle::from_style(&merged, &TextStyle::default(), fonts),
        });
        styles.push(merged.clone());
    }
    for child in &node.children {
        if matches!(&*child.kind, "Text" | "RawText") {
            crate::stack::deep(|| collect_spans(child, &merged, fonts, spans, styles));
        }
    }
}
