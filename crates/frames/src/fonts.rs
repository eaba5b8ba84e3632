//! Fonts the app loads (the `.ttf` / `.otf` files a request carries), by family name.
//!
//! A document's `fonts` table (written by the compiler: `useFonts` keys, file stems, the fonts'
//! own family and PostScript names) names, per family, the asset of a font file; a [`FontSet`]
//! is that table with the files parsed. A `fontFamily` found in the set measures and draws with
//! its face ([`FontFace::Loaded`]); any other family keeps the bundled Roboto.
//!
//! Parsed faces are interned for the life of the process (identical bytes once), so that a
//! [`FontFace`] stays a small `Copy` value that glyph drawing can look up anywhere; at most
//! [`MAX_LOADED_FACES`] distinct files are kept, later ones fall back to Roboto with a warning.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use hivesync_document::{LayoutDocument, Warning};
use ttf_parser::Face;

use crate::text::FontFace;

/// Most distinct font files kept parsed by one process.
pub const MAX_LOADED_FACES: usize = 256;

struct Loaded {
    bytes: &'static [u8],
    face: &'static Face<'static>,
}

fn registry() -> &'static Mutex<Vec<Loaded>> {
    static REGISTRY: OnceLock<Mutex<Vec<Loaded>>> = OnceLock::new();
    REGISTRY.get_or_init(|| Mutex::new(Vec::new()))
}

/// Why a font file is not used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FontError {
    /// ttf-parser refused the bytes.
    #[error("the font could not be parsed: {0}")]
    Unparsable(String),
    /// [`MAX_LOADED_FACES`] files are already loaded.
    #[error("more than {MAX_LOADED_FACES} distinct font files were loaded")]
    TooMany,
}

/// Parses `bytes` as a font (interned: the same bytes give the same face).
pub fn load_face(bytes: &[u8]) -> Result<FontFace, FontError> {
    let mut loaded = registry().lock().unwrap_or_else(|e| e.into_inner());
    if let Some(i) = loaded.iter().position(|l| l.bytes == bytes) {
        return Ok(FontFace::Loaded(i as u16));
    }
    Face::parse(bytes, 0).map_err(|e| FontError::Unparsable(e.to_string()))?;
    if loaded.len() >= MAX_LOADED_FACES {
        return Err(FontError::TooMany);
    }
    let bytes: &'static [u8] = Box::leak(bytes.to_vec().into_boxed_slice());
    let face = Box::leak(Box::new(
        Face::parse(bytes, 0).map_err(|e| FontError::Unparsable(e.to_string()))?,
    ));
    loaded.push(Loaded { bytes, face });
    Ok(FontFace::Loaded((loaded.len() - 1) as u16))
}

/// The interned face `index` (from [`load_face`]).
pub(crate) fn loaded_face(index: u16) -> Option<&'static Face<'static>> {
    let loaded = registry().lock().unwrap_or_else(|e| e.into_inner());
    loaded.get(usize::from(index)).map(|l| l.face)
}

/// A loaded face of a family, with the weight and slant it was made for.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Member {
    face: FontFace,
    weight: u16,
    italic: bool,
}

/// The fonts a document may use, by family name (exact, case-sensitive as on a device).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FontSet {
    families: HashMap<String, Vec<Member>>,
}

impl FontSet {
    /// No fonts: everything is measured with the bundled Roboto.
    pub fn bundled() -> FontSet {
        FontSet::default()
    }

    /// Adds `face` under `family`; the face's own weight class and italic flag choose between
    /// faces of one family.
    pub fn add(&mut self, family: &str, face: FontFace) {
        let (weight, italic) = match face {
            FontFace::Loaded(i) => loaded_face(i).map_or((400, false), |f| {
                (f.weight().to_number(), f.is_italic() || f.is_oblique())
            }),
            FontFace::Regular => (400, false),
            FontFace::Bold => (700, false),
        };
        let members = self.families.entry(family.to_owned()).or_default();
        if !members.iter().any(|m| m.face == face) {
            members.push(Member {
                face,
                weight,
                italic,
            });
        }
    }

    /// Whether no family is loaded.
    pub fn is_empty(&self) -> bool {
        self.families.is_empty()
    }

    /// The face of `family` closest to `weight` (100-900), preferring the asked slant.
    pub fn resolve(&self, family: &str, weight: u16, italic: bool) -> Option<FontFace> {
        self.families
            .get(family)?
            .iter()
            .min_by_key(|m| (m.italic != italic, m.weight.abs_diff(weight)))
            .map(|m| m.face)
    }

    /// The set of a document's `fonts` table, the bytes of each asset from `asset_bytes`;
    /// a file that is missing or does not parse is left out with a warning (`font-not-loaded`),
    /// its families drawn with the bundled font.
    pub fn of_document(
        document: &LayoutDocument,
        asset_bytes: &dyn Fn(&str) -> Option<Vec<u8>>,
    ) -> (FontSet, Vec<Warning>) {
        let mut set = FontSet::bundled();
        let mut warnings = Vec::new();
        let mut faces: HashMap<&str, Option<FontFace>> = HashMap::new();
        for font in &document.fonts {
            let face = *faces.entry(font.asset_id.as_str()).or_insert_with(|| {
                let why = match asset_bytes(&font.asset_id).map(|b| load_face(&b)) {
                    Some(Ok(face)) => return Some(face),
                    Some(Err(e)) => e.to_string(),
                    None => "its bytes are not in the request".to_owned(),
                };
                warnings.push(Warning {
                    code: "font-not-loaded".into(),
                    message: format!(
                        "{} is not used ({why}); its text is drawn with the bundled font",
                        font.file
                    ),
                    location: None,
                });
                None
            });
            if let Some(face) = face {
                set.add(&font.family, face);
            }
        }
        (set, warnings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static ROBOTO: &[u8] = include_bytes!("../fonts/Roboto-Regular.ttf");
    static ROBOTO_BOLD: &[u8] = include_bytes!("../fonts/Roboto-Bold.ttf");

    #[test]
    fn the_same_bytes_load_as_the_same_face() {
        let a = load_face(ROBOTO).unwrap();
        assert_eq!(load_face(ROBOTO).unwrap(), a);
        assert_ne!(load_face(ROBOTO_BOLD).unwrap(), a);
        assert!(matches!(a, FontFace::Loaded(_)));
    }

    #[test]
    fn broken_bytes_are_refused() {
        let mut broken = ROBOTO[..64].to_vec();
        broken.extend_from_slice(&[0xff; 16]);
        assert!(matches!(load_face(&broken), Err(FontError::Unparsable(_))));
        assert!(matches!(
            load_face(b"not a font"),
            Err(FontError::Unparsable(_))
        ));
    }

    #[test]
    fn families_match_exactly_and_pick_the_nearest_weight() {
        let regular = load_face(ROBOTO).unwrap();
        let bold = load_face(ROBOTO_BOLD).unwrap();
        let mut set = FontSet::bundled();
        set.add("Brand", regular);
        set.add("Brand", bold);
        assert_eq!(set.resolve("Brand", 400, false), Some(regular));
        assert_eq!(set.resolve("Brand", 800, false), Some(bold));
        assert_eq!(set.resolve("Brand", 600, true), Some(bold));
        assert_eq!(set.resolve("brand", 400, false), None);
        assert_eq!(set.resolve("Other", 400, false), None);
    }
}
