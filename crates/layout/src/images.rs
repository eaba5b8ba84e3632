//! The images a request carries (binary files: PNG, JPEG, WebP, GIF) as the compiler sees them:
//! each file's content address and pixel size, and which `@2x`/`@3x` variant of an image a
//! device loads.
//!
//! `require('./logo.png')` names the image's base name; the request may hold `logo.png`,
//! `logo@2x.png`, `logo@3x.png` (any of them). React Native's packager lists the scales there
//! are and the device takes the smallest one at least as large as its own scale, else the
//! largest (`AssetSourceResolver.pickScale`); so does [`Project::image_variant`].

use hivesync_core::media::{self, MediaType};
use sha2::{Digest, Sha256};

use crate::SourceFile;
use crate::project::{FileKind, Project, normalize_path};

/// A binary image file of the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ImageFile {
    /// Its type, sniffed from its bytes (and agreeing with its name).
    pub media: MediaType,
    /// Its content address: the first 32 hex digits of the SHA-256 of its bytes (the asset id
    /// it is stored under: same bytes, same id).
    pub asset_id: String,
    /// Width and height in pixels.
    pub pixels: (u32, u32),
}

/// What a binary file of the request is to the compiler: an image, or why it is not one
/// (`None` for text files, and for fonts, which `fonts` reads).
pub(crate) fn image_file(file: &SourceFile) -> Option<Result<ImageFile, String>> {
    let (media, bytes) = match file.media() {
        Ok(Some((media, bytes))) if media.is_image() => (media, bytes),
        Ok(_) => return None,
        Err(e) => return Some(Err(e.to_string())),
    };
    let Some(pixels) = media::image_size(&bytes) else {
        return Some(Err(format!(
            "{} is not a readable {media} image",
            file.path
        )));
    };
    Some(Ok(ImageFile {
        media,
        asset_id: content_address(&bytes),
        pixels,
    }))
}

/// The first 32 hex digits of the SHA-256 of `bytes`.
pub(crate) fn content_address(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

/// Scales a variant may be written at (`@1.5x` is Android's hdpi).
const VARIANT_SCALES: [(&str, f64); 6] = [
    ("", 1.0),
    ("@1x", 1.0),
    ("@1.5x", 1.5),
    ("@2x", 2.0),
    ("@3x", 3.0),
    ("@4x", 4.0),
];

/// `dir/logo@2x.png` -> (`dir/logo`, `.png`): the stem without a scale suffix, and the extension.
fn base_of(path: &str) -> Option<(&str, &str)> {
    let dot = path.rfind('.').filter(|d| path[*d..].find('/').is_none())?;
    let (stem, ext) = path.split_at(dot);
    let stem = VARIANT_SCALES
        .iter()
        .filter(|(s, _)| !s.is_empty())
        .find_map(|(s, _)| stem.strip_suffix(s))
        .unwrap_or(stem);
    Some((stem, ext))
}

impl Project<'_> {
    /// The image file a device of `scale` loads for the image `path` (a project path, any
    /// variant of it named): its index and the variant's scale. `None` when the request has
    /// no variant of it.
    pub(crate) fn image_variant(&self, path: &str, scale: f64) -> Option<(usize, f64)> {
        let (stem, ext) = base_of(path)?;
        let mut found: Vec<(usize, f64)> = VARIANT_SCALES
            .iter()
            .filter_map(|(suffix, s)| {
                let i = *self.by_path.get(&format!("{stem}{suffix}{ext}"))?;
                matches!(self.files[i].kind, FileKind::Image(_)).then_some((i, *s))
            })
            .collect();
        found.sort_by(|a, b| a.1.total_cmp(&b.1));
        found.dedup_by(|a, b| a.1 == b.1);
        found
            .iter()
            .find(|(_, s)| *s >= scale)
            .or(found.last())
            .copied()
    }

    /// The project path an image specifier written in file `from` names, when the request has
    /// a variant of it but not the file itself (`./logo.png` with only `logo@2x.png` sent);
    /// else the specifier as written (a placeholder names it).
    pub(crate) fn image_path(&self, from: usize, spec: &str) -> String {
        if spec.starts_with("./") || spec.starts_with("../") {
            let from = &self.files[from].path;
            let dir = from.rfind('/').map_or("", |i| &from[..i]);
            let path = normalize_path(&format!("{dir}/{spec}"));
            if self.image_variant(&path, 1.0).is_some() {
                return path;
            }
        }
        spec.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scale_suffix_and_extension_are_split_off() {
        assert_eq!(base_of("a/logo@2x.png"), Some(("a/logo", ".png")));
        assert_eq!(base_of("a/logo.png"), Some(("a/logo", ".png")));
        assert_eq!(base_of("a/logo@1.5x.jpg"), Some(("a/logo", ".jpg")));
        assert_eq!(base_of("a.b/logo"), None);
    }

    #[test]
    fn content_addresses_are_32_hex_digits_of_sha256() {
        assert_eq!(content_address(b""), "e3b0c44298fc1c149afbf4c8996fb924");
    }
}
