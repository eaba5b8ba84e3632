//! The Layout JSON document (`hivesync.layout/1`): what the compiler produces per screen.
//! `schema/layout.schema.json` describes the same shape; `docs/layout-json.md` explains it.

use std::borrow::Cow;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value as Json};

use crate::device::{DeviceProfile, TargetPlatform};

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
    /// The frame computed for the target device (filled by the frames stage, not by the compiler).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frame: Option<Box<Frame>>,
    /// Child nodes in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Node>,
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
            frame: None,
            children: Vec::new(),
        }
    }

    /// Number of nodes in this subtree, this one included.
    pub fn count(&self) -> usize {
        1 + self.children.iter().map(Node::count).sum::<usize>()
    }
}

/// A JSON object of a node (its `style` or `props`) in insertion order. Keys are mostly
/// static property names, so building one allocates only its entry list; lookups scan the
/// few entries instead of hashing. Clones share the entries (copied on the first write), so
/// nodes with the same resolved style hold one list. Serializes as a JSON object.
#[derive(Debug, Clone, Default)]
pub struct PropertyMap(Option<Arc<[Property]>>);

/// One entry of a [`PropertyMap`].
type Property = (Cow<'static, str>, Json);

impl PropertyMap {
    /// An empty map (allocates nothing).
    pub const fn new() -> Self {
        PropertyMap(None)
    }

    /// A map of these entries, whose keys the caller knows are distinct (one allocation).
    pub(crate) fn from_unique(
        entries: impl ExactSizeIterator<Item = (Cow<'static, str>, Json)>,
    ) -> Self {
        if entries.len() == 0 {
            return PropertyMap(None);
        }
        let map = PropertyMap(Some(entries.collect()));
        debug_assert!(
            map.entries()
                .iter()
                .enumerate()
                .all(|(i, (k, _))| map.entries()[..i].iter().all(|(j, _)| j != k)),
            "duplicate keys"
        );
        map
    }

    fn entries(&self) -> &[Property] {
        self.0.as_deref().unwrap_or(&[])
    }

    /// Applies a change to the entries (copied into a new list: maps are written rarely,
    /// after they are built).
    fn change(&mut self, f: impl FnOnce(&mut Vec<Property>)) {
        let mut entries = self.entries().to_vec();
        f(&mut entries);
        self.0 = (!entries.is_empty()).then(|| entries.into());
    }

    /// Whether the map has no entries.
    pub fn is_empty(&self) -> bool {
        self.entries().is_empty()
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries().len()
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&Json> {
        self.entries()
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    /// Whether `key` is present.
    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Sets `key` (in place when present, appended otherwise); returns the previous value.
    pub fn insert(&mut self, key: impl Into<Cow<'static, str>>, value: Json) -> Option<Json> {
        let key = key.into();
        let mut old = None;
        self.change(
            |entries| match entries.iter_mut().find(|(k, _)| *k == key) {
                Some(slot) => old = Some(std::mem::replace(&mut slot.1, value)),
                None => entries.push((key, value)),
            },
        );
        old
    }

    /// Sets `key` only when it is absent.
    pub fn insert_if_absent(&mut self, key: &'static str, value: Json) {
        if !self.contains_key(key) {
            self.change(|entries| entries.push((Cow::Borrowed(key), value)));
        }
    }

    /// Entries in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Json)> {
        self.entries().iter().map(|(k, v)| (&**k, v))
    }

    /// The map as a `serde_json` object.
    pub fn to_json_map(&self) -> Map<String, Json> {
        self.iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }
}

impl PartialEq for PropertyMap {
    fn eq(&self, other: &Self) -> bool {
        self.entries() == other.entries()
    }
}

/// `map["key"]`: the value, or `null` when the key is absent (as `serde_json::Value` indexes).
impl std::ops::Index<&str> for PropertyMap {
    type Output = Json;
    fn index(&self, key: &str) -> &Json {
        static NULL: Json = Json::Null;
        self.get(key).unwrap_or(&NULL)
    }
}

impl From<Map<String, Json>> for PropertyMap {
    fn from(m: Map<String, Json>) -> Self {
        PropertyMap::from_unique(m.into_iter().map(|(k, v)| (Cow::Owned(k), v)))
    }
}

impl Serialize for PropertyMap {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.iter())
    }
}

impl<'de> Deserialize<'de> for PropertyMap {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Map::<String, Json>::deserialize(d).map(PropertyMap::from)
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
    /// Asset id (`^[a-z0-9][a-z0-9_-]{0,63}$`).
    pub id: String,
    /// Always `"snapshot"` in this version.
    pub kind: String,
    /// Storage key: `previews/{screen_id}/assets/{asset_id}.png`.
    pub storage_key: String,
    /// The `HS_ImageSnapshot` node it fills.
    pub node_id: String,
    /// The component it stands for.
    pub component: String,
    /// Size in points when the style declares it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<Size>,
    /// Pixel scale of the device.
    pub scale: f64,
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
