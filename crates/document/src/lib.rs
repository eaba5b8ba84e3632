//! # hivesync-document: the Layout JSON document as Rust types
//!
//! One screen compiled for one device (`hivesync.layout/1`): the [`LayoutDocument`] with its
//! tree of [`Node`]s, the asset table, the warnings and the [`device`] profile it was compiled
//! for. `hivesync-layout` writes these types, `hivesync-frames` fills in every node's
//! [`Node::frame`] and `hivesync-render` draws from them, so a renamed field breaks all three
//! at build time. The JSON form (field names, order, omitted fields) is the serde form of these
//! types; `crates/layout/schema/layout.schema.json` describes it and `docs/layout-json.md`
//! explains it.
//!
//! Data only: serde and serde_json, no parsing, layout or drawing. What a core component
//! measures and draws is `hivesync_frames::components`.

pub mod device;
mod property_map;

use std::borrow::Cow;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

pub use device::{DeviceKind, DeviceProfile, Insets, TargetPlatform};
pub use property_map::PropertyMap;

/// The schema version string written in every document.
pub const SCHEMA_VERSION: &str = "hivesync.layout/1";

/// One screen, laid out as a tree of core nodes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LayoutDocument {
    /// Always [`SCHEMA_VERSION`].
    pub schema: String,
    /// Stable screen id (`^[a-z0-9][a-z0-9_-]{0,63}$`).
    pub screen_id: String,
    /// Human name of the screen (route or navigator name).
    pub screen_name: String,
    /// Target platform.
    pub platform: TargetPlatform,
    /// Target device profile.
    pub device: DeviceProfile,
    /// Where the screen came from.
    pub source: DocumentSource,
    /// The root node (a `View` standing for the screen's window).
    pub root: Node,
    /// Snapshot assets the document references, by id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assets: Vec<Asset>,
    /// The font files the request carried, by the family names text may use them under
    /// (`fontFamily`); see docs/layout-json.md.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fonts: Vec<FontAsset>,
    /// Everything the compiler had to guess or leave out.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Warning>,
}

/// The entry of a screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentSource {
    /// Project-relative path of the file that defines the screen component.
    pub entry_file: String,
    /// Name of the screen component (or `default`).
    pub component: String,
    /// Hash (16 hex digits) of the entry file's content: FNV-1a 64 over its 8-byte
    /// little-endian words, then its remaining bytes.
    pub content_hash: String,
}

/// A node of the layout tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Node {
    /// Stable id (path-derived hash, stable while the tree shape above the node is unchanged).
    pub id: String,
    /// Node type: a core component name (`View`, `Text`, ...), `RawText` or `HS_ImageSnapshot`.
    #[serde(rename = "type")]
    pub kind: Cow<'static, str>,
    /// Resolved style in React Native/Yoga vocabulary (see docs/layout-json.md), keys sorted.
    #[serde(default, skip_serializing_if = "PropertyMap::is_empty")]
    pub style: PropertyMap,
    /// Text content for `Text`/`RawText` nodes whose children are all strings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Props that matter for rendering (placeholder, numberOfLines, source, ...).
    #[serde(default, skip_serializing_if = "PropertyMap::is_empty")]
    pub props: PropertyMap,
    /// The project component whose render produced this node, when it is not a core one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub component: Option<Arc<str>>,
    /// Where the JSX element is written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceLocation>,
    /// A literal navigation action triggered by pressing the node.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<Box<Action>>,
    /// For `HS_ImageSnapshot` nodes: what was replaced and why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshot: Option<Box<SnapshotInfo>>,
    /// On the top node(s) a third-party component (whose code is not in the request) became:
    /// which component, and whether the library table mapped it or it passed through.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external: Option<Box<External>>,
    /// Child nodes in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Node>,
    /// For a leaf whose size comes from its content (text, a text input, a button, a switch,
    /// a spinner, a snapshot): the size in points, without padding and border, that its
    /// measure function answered for the frame below (`hivesync_frames::layout_json::add_frames`):
    /// a fixed size as it is; text that fits its final width its natural size, text that
    /// needed that width (wrapped, cut or shrunk) that width and its height there. A device's
    /// Yoga given a measure function that answers this size reproduces the document's frames
    /// (docs/layout-json.md). Written with the frame.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measured: Option<Size>,
    /// The frame laid out for the document's device (`hivesync_frames::layout_json::add_frames`;
    /// the compiler leaves it unset). Written after the children, where stored documents have
    /// always had it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frame: Option<Box<Frame>>,
}

impl Node {
    /// A node of the given type with nothing set (id assigned later).
    pub fn new(kind: impl Into<Cow<'static, str>>) -> Self {
        Node {
            id: String::new(),
            kind: kind.into(),
            style: PropertyMap::new(),
            text: None,
            props: PropertyMap::new(),
            component: None,
            source: None,
            action: None,
            snapshot: None,
            external: None,
            children: Vec::new(),
            measured: None,
            frame: None,
        }
    }

    /// Number of nodes in this subtree, this one included.
    pub fn count(&self) -> usize {
        1 + self.children.iter().map(Node::count).sum::<usize>()
    }
}

/// A file position (1-based line and column; column counts characters).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceLocation {
    /// Project-relative path (shared by every location in the file).
    pub file: Arc<str>,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
}

/// A literal navigation action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Action {
    /// Go to a named screen or route (`navigation.navigate('Details')`, `router.push('/x')`,
    /// `<Link href="/x">`).
    Navigate {
        /// Route name or href as written.
        target: String,
        /// The screen id the target resolves to, when it is one of the compiled screens.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        screen_id: Option<String>,
        /// Literal params, when given.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        params: Option<Json>,
    },
    /// Go back (`navigation.goBack()`, `router.back()`).
    Back,
    /// Open an external URL (`<Link href="https://...">`, `router.push('mailto:...')`).
    OpenUrl {
        /// The URL as written.
        url: String,
    },
}

/// What an `HS_ImageSnapshot` node replaces.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SnapshotInfo {
    /// Id of the asset (in `assets`) holding the snapshot.
    pub asset_id: String,
    /// The original component, e.g. `MapView` or `react-native-maps:MapView`.
    pub component: String,
    /// Why it could not be expanded.
    pub reason: String,
    /// What the snapshot shows when the compiler knows it statically (an icon glyph, an SVG
    /// picture, a gradient); absent: a placeholder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub picture: Option<Picture>,
}

/// The static picture of a snapshot, drawn instead of a placeholder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Picture {
    /// A glyph of an icon font, drawn at `size` points in `color`, centred in the node.
    Icon {
        /// The font family that draws it (`Ionicons`, `FontAwesome5_Solid`, `Eva-Icons`).
        family: String,
        /// The icon name as written (`home-outline`).
        glyph: String,
        /// Its code point in the font.
        codepoint: u32,
        /// Font size in points.
        size: f64,
        /// Colour (a React Native colour string).
        color: String,
    },
    /// An SVG document (built from a react-native-svg tree), scaled to the node.
    Svg {
        /// The SVG markup (`<svg xmlns=... viewBox=...>...</svg>`).
        markup: String,
    },
    /// A linear gradient filling the node (expo-linear-gradient's props).
    Gradient {
        /// Colours (React Native colour strings), at least two.
        colors: Vec<String>,
        /// Where each colour sits along the gradient (0..1); absent: evenly spread.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        locations: Option<Vec<f64>>,
        /// Start point, as fractions of the node's size (default top centre).
        start: Point,
        /// End point, as fractions of the node's size (default bottom centre).
        end: Point,
    },
}

/// A point as fractions of a node's width and height.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Point {
    /// Horizontal fraction (0 = left edge, 1 = right edge).
    pub x: f64,
    /// Vertical fraction (0 = top edge, 1 = bottom edge).
    pub y: f64,
}

/// The third-party component a node stands for (the `external` marker).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct External {
    /// The component as written (`KeyboardAwareScrollView`, `ListItem.Title`).
    pub component: String,
    /// The package it is imported from (`@ui-kitten/components`), or the unresolved module
    /// specifier (`./Missing`); absent when the component could not be resolved at all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package: Option<String>,
    /// How it became core nodes.
    pub via: Via,
}

/// How a third-party component became core nodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Via {
    /// A row of the library table (`crates/layout/library/components.toml`) says how it
    /// renders: node types, default styles, props as style, text and children.
    Library,
    /// Unknown, but it has children: a container (`View`, or `Text` when its children are
    /// text) with the element's own style, its children rendered natively.
    PassThrough,
}

/// A computed frame in points, relative to the parent.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Frame {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
}

/// A size in points.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Size {
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
}

/// An entry of the asset table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Asset {
    /// Asset id (`^[a-z0-9][a-z0-9_-]{0,63}$`); an image's is its content address.
    pub id: String,
    /// `"snapshot"` (a PNG drawn for an `HS_ImageSnapshot` node) or `"image"` (an image file
    /// the request carried, shown by `Image`/`ImageBackground` nodes).
    pub kind: String,
    /// Storage key: `previews/{screen_id}/assets/{asset_id}.png`; an image's extension is its
    /// type's (`png`, `jpg`, `webp`, `gif`).
    pub storage_key: String,
    /// The `HS_ImageSnapshot` node it fills; for an image, the first node showing it.
    pub node_id: String,
    /// The component it stands for (`Image`, `ImageBackground` for images).
    pub component: String,
    /// For an image: the project file it is (the variant chosen for the device's scale).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// Size in points: from the compiler, when the style declares it; in stored documents, the
    /// part of the node's frame the snapshot PNG covers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<Size>,
    /// Pixel scale of the device; for an image, of its file (`@2x` -> 2).
    pub scale: f64,
}

/// An entry of the font table: `fontFamily: family` draws with the font file `file`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FontAsset {
    /// A family name: a `useFonts` / `Font.loadAsync` key, the file's stem, or the font's own
    /// family or PostScript name.
    pub family: String,
    /// The project file (`assets/fonts/Inter.ttf`).
    pub file: String,
    /// The file's content address (as an image's asset id).
    pub asset_id: String,
}

/// A warning with its source location.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    /// Machine-readable code, e.g. `unknown-style-value`.
    pub code: String,
    /// What happened and what the compiler did about it.
    pub message: String,
    /// Where, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<SourceLocation>,
}
