//! # hivesync-icons: the icon fonts previews draw icons with
//!
//! The fonts and glyph maps of @expo/vector-icons / react-native-vector-icons (15 icon sets,
//! Font Awesome 5 and 6 with their regular, solid and brand fonts) and of Eva icons (UI
//! Kitten's icon pack), vendored from npm by `scripts/vendor-icon-fonts` into `vendor/` (see
//! `README.md` for versions and licences) and embedded in the binary.
//!
//! `hivesync-layout` looks icon names up here ([`IconSet::glyph`]: the code point and the font
//! family that draws it) and `hivesync-render` draws the glyph's outline from [`font`]. Data
//! only: no parsing of fonts, no drawing.

use std::collections::HashMap;
use std::sync::OnceLock;

/// `DEFAULT_ICON_SIZE` of react-native-vector-icons (`lib/create-icon-set.js`): an icon
/// without `size` is 12 points.
pub const DEFAULT_SIZE: f64 = 12.0;

/// `DEFAULT_ICON_COLOR` of react-native-vector-icons.
pub const DEFAULT_COLOR: &str = "black";

macro_rules! vendored {
    ($($family:literal),* $(,)?) => {
        /// Vendored fonts by family name (the font file's name without `.ttf`).
        const FONTS: &[(&str, &[u8])] = &[
            $(($family, include_bytes!(concat!("../vendor/fonts/", $family, ".ttf")))),*
        ];
    };
}

vendored!(
    "AntDesign",
    "Entypo",
    "Eva-Icons",
    "EvilIcons",
    "Feather",
    "FontAwesome",
    "FontAwesome5_Brands",
    "FontAwesome5_Regular",
    "FontAwesome5_Solid",
    "FontAwesome6_Brands",
    "FontAwesome6_Regular",
    "FontAwesome6_Solid",
    "Fontisto",
    "Foundation",
    "Ionicons",
    "MaterialCommunityIcons",
    "MaterialIcons",
    "Octicons",
    "SimpleLineIcons",
    "Zocial",
);

/// The TrueType bytes of a vendored font, by family name, ignoring case and `-`/`_`/spaces
/// (`Ionicons`, `ionicons`, `FontAwesome5_Solid`, `Eva-Icons`). The font family a project
/// gives `createIconSet` is looked up here too: fonts sent with a request are the caller's to
/// look up first.
pub fn font(family: &str) -> Option<&'static [u8]> {
    let key = normalize(family);
    FONTS
        .iter()
        .find(|(f, _)| normalize(f) == key)
        .map(|(_, bytes)| *bytes)
}

/// The vendored family `family` names (its spelling in [`font`]), if any.
pub fn vendored_family(family: &str) -> Option<&'static str> {
    let key = normalize(family);
    FONTS
        .iter()
        .find(|(f, _)| normalize(f) == key)
        .map(|(f, _)| *f)
}

fn normalize(name: &str) -> String {
    name.trim_end_matches(".ttf")
        .chars()
        .filter(|c| !matches!(c, '-' | '_' | ' '))
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// A glyph of an icon set: its code point in the font `family` (see [`font`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Glyph {
    /// The font family that draws it.
    pub family: &'static str,
    /// Its code point.
    pub codepoint: u32,
}

/// An icon set: a glyph map and the font(s) it draws with.
#[derive(Debug)]
pub struct IconSet {
    /// The set's name as @expo/vector-icons exports it (`Ionicons`, `FontAwesome5`), or `Eva`.
    pub name: &'static str,
    glyphmap: &'static str,
    fonts: Fonts,
    parsed: OnceLock<HashMap<String, u32>>,
}

#[derive(Debug)]
enum Fonts {
    One(&'static str),
    /// Font Awesome 5/6 Free: one font per style; the meta map lists each style's glyphs.
    FontAwesome {
        regular: &'static str,
        solid: &'static str,
        brands: &'static str,
        meta: &'static str,
        parsed: OnceLock<HashMap<String, Vec<String>>>,
    },
}

macro_rules! map {
    ($name:literal) => {
        include_str!(concat!("../vendor/glyphmaps/", $name, ".json"))
    };
}

const fn one(name: &'static str, glyphmap: &'static str, family: &'static str) -> IconSet {
    IconSet {
        name,
        glyphmap,
        fonts: Fonts::One(family),
        parsed: OnceLock::new(),
    }
}

const fn fa(
    name: &'static str,
    glyphmap: &'static str,
    meta: &'static str,
    [regular, solid, brands]: [&'static str; 3],
) -> IconSet {
    IconSet {
        name,
        glyphmap,
        fonts: Fonts::FontAwesome {
            regular,
            solid,
            brands,
            meta,
            parsed: OnceLock::new(),
        },
        parsed: OnceLock::new(),
    }
}

static SETS: [IconSet; 16] = [
    one("AntDesign", map!("AntDesign"), "AntDesign"),
    one("Entypo", map!("Entypo"), "Entypo"),
    one("EvilIcons", map!("EvilIcons"), "EvilIcons"),
    one("Feather", map!("Feather"), "Feather"),
    one("FontAwesome", map!("FontAwesome"), "FontAwesome"),
    fa(
        "FontAwesome5",
        map!("FontAwesome5Free"),
        map!("FontAwesome5Free_meta"),
        [
            "FontAwesome5_Regular",
            "FontAwesome5_Solid",
            "FontAwesome5_Brands",
        ],
    ),
    fa(
        "FontAwesome6",
        map!("FontAwesome6Free"),
        map!("FontAwesome6Free_meta"),
        [
            "FontAwesome6_Regular",
            "FontAwesome6_Solid",
            "FontAwesome6_Brands",
        ],
    ),
    one("Fontisto", map!("Fontisto"), "Fontisto"),
    one("Foundation", map!("Foundation"), "Foundation"),
    one("Ionicons", map!("Ionicons"), "Ionicons"),
    one(
        "MaterialCommunityIcons",
        map!("MaterialCommunityIcons"),
        "MaterialCommunityIcons",
    ),
    one("MaterialIcons", map!("MaterialIcons"), "MaterialIcons"),
    one("Octicons", map!("Octicons"), "Octicons"),
    one(
        "SimpleLineIcons",
        map!("SimpleLineIcons"),
        "SimpleLineIcons",
    ),
    one("Zocial", map!("Zocial"), "Zocial"),
    one("Eva", map!("Eva-Icons"), "Eva-Icons"),
];

/// The icon set exported as `name` by @expo/vector-icons (`Ionicons`, `FontAwesome5`, ...;
/// react-native-vector-icons' module names are the same), or `Eva` for Eva icons.
pub fn icon_set(name: &str) -> Option<&'static IconSet> {
    SETS.iter().find(|s| s.name == name)
}

/// The names [`icon_set`] knows.
pub fn icon_set_names() -> impl Iterator<Item = &'static str> {
    SETS.iter().map(|s| s.name)
}

/// A glyph map in react-native-vector-icons' form (`{"name": codepoint}`; a one-character
/// string value stands for its code point). Entries of other shapes are skipped.
pub fn parse_glyph_map(json: &str) -> HashMap<String, u32> {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_str(json) else {
        return HashMap::new();
    };
    map.into_iter()
        .filter_map(|(k, v)| Some((k, codepoint_of(&v)?)))
        .collect()
}

/// The code point a glyph map value stands for: a number, or a string's first character.
pub fn codepoint_of(v: &serde_json::Value) -> Option<u32> {
    match v {
        serde_json::Value::Number(n) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
        serde_json::Value::String(s) => s.chars().next().map(u32::from),
        _ => None,
    }
}

impl IconSet {
    /// The glyph `name` draws. `style` picks a Font Awesome style (`solid`, `brand`,
    /// `regular`, `light`; default regular) as the packages' `createFA5iconSet` does: the style
    /// when the glyph is in its list, else the first style whose list has it, else regular.
    pub fn glyph(&self, name: &str, style: Option<&str>) -> Option<Glyph> {
        let codepoint = *self
            .parsed
            .get_or_init(|| parse_glyph_map(self.glyphmap))
            .get(name)?;
        let family = match &self.fonts {
            Fonts::One(f) => f,
            Fonts::FontAwesome {
                regular,
                solid,
                brands,
                meta,
                parsed,
            } => {
                let meta = parsed.get_or_init(|| serde_json::from_str(meta).unwrap_or_default());
                let list = |s: &str| {
                    let key = if s == "brand" { "brands" } else { s };
                    meta.get(key).is_some_and(|l| l.iter().any(|g| g == name))
                };
                // The packages' fallback order is the meta file's key order.
                let style = match style.unwrap_or("regular") {
                    s if list(s) => s,
                    _ => ["brand", "regular", "solid"]
                        .into_iter()
                        .find(|s| list(s))
                        .unwrap_or("regular"),
                };
                match style {
                    "solid" => solid,
                    "brand" => brands,
                    _ => regular,
                }
            }
        };
        Some(Glyph { family, codepoint })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_set_has_its_fonts_and_a_non_empty_glyph_map() {
        for set in &SETS {
            assert!(
                !parse_glyph_map(set.glyphmap).is_empty(),
                "{} has no glyphs",
                set.name
            );
            let families: Vec<&str> = match &set.fonts {
                Fonts::One(f) => vec![f],
                Fonts::FontAwesome {
                    regular,
                    solid,
                    brands,
                    ..
                } => vec![regular, solid, brands],
            };
            for f in families {
                let bytes = font(f).unwrap_or_else(|| panic!("{f} is not vendored"));
                assert_eq!(&bytes[..4], &[0, 1, 0, 0], "{f} is not a TrueType font");
            }
        }
    }

    #[test]
    fn glyph_names_give_the_packages_code_points() {
        let ion = icon_set("Ionicons").unwrap().glyph("home", None).unwrap();
        assert_eq!(ion.family, "Ionicons");
        assert_eq!(ion.codepoint, 0xf382);
        let eva = icon_set("Eva").unwrap().glyph("activity", None).unwrap();
        assert_eq!((eva.family, eva.codepoint), ("Eva-Icons", 0xea01));
        assert_eq!(
            icon_set("Ionicons").unwrap().glyph("no-such-icon", None),
            None
        );
        assert!(icon_set("NoSuchSet").is_none());
    }

    #[test]
    fn font_awesome_styles_follow_the_glyph_lists() {
        let fa5 = icon_set("FontAwesome5").unwrap();
        // `star` is in both the regular and the solid list; regular is the default.
        assert_eq!(
            fa5.glyph("star", None).unwrap().family,
            "FontAwesome5_Regular"
        );
        assert_eq!(
            fa5.glyph("star", Some("solid")).unwrap().family,
            "FontAwesome5_Solid"
        );
        // `github` is a brand icon whatever style is asked for.
        assert_eq!(
            fa5.glyph("github", Some("solid")).unwrap().family,
            "FontAwesome5_Brands"
        );
    }

    #[test]
    fn fonts_are_found_by_family_name_in_any_spelling() {
        assert!(font("ionicons").is_some());
        assert!(font("Ionicons.ttf").is_some());
        assert!(font("fontawesome5-solid").is_some());
        assert_eq!(vendored_family("eva icons"), Some("Eva-Icons"));
        assert!(font("icomoon").is_none());
    }
}
