//! [`PropertyMap`]: the `style` and `props` objects of a node.

use std::borrow::Cow;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value as Json};

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
    pub fn from_unique(entries: impl ExactSizeIterator<Item = (Cow<'static, str>, Json)>) -> Self {
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

    /// Puts the entries in key order (resolved styles are written sorted).
    pub fn sort_keys(&mut self) {
        if !self.entries().is_sorted_by(|a, b| a.0 <= b.0) {
            self.change(|entries| entries.sort_by(|a, b| a.0.cmp(&b.0)));
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
