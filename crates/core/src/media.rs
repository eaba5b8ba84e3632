//! Binary files a preview request may carry (images the app shows, fonts it loads): what they
//! are is read from their first bytes (magic numbers), never from their names, and a name's
//! extension must agree with the content.
//!
//! Also the pixel size of an image from its header alone (no decoding), which the compiler needs
//! for an `Image` without a declared size.

use std::fmt;

/// The binary file types a request may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MediaType {
    /// PNG image.
    Png,
    /// JPEG image.
    Jpeg,
    /// WebP image.
    Webp,
    /// GIF image (its first frame is shown).
    Gif,
    /// TrueType font (also TrueType collections are refused: one face per file).
    Ttf,
    /// OpenType font with CFF outlines.
    Otf,
}

impl MediaType {
    /// Every type, in a stable order.
    pub const ALL: [MediaType; 6] = [
        MediaType::Png,
        MediaType::Jpeg,
        MediaType::Webp,
        MediaType::Gif,
        MediaType::Ttf,
        MediaType::Otf,
    ];

    /// What `bytes` are, from their magic numbers; `None` for anything else.
    pub fn sniff(bytes: &[u8]) -> Option<MediaType> {
        let starts = |magic: &[u8]| bytes.starts_with(magic);
        if starts(b"\x89PNG\r\n\x1a\n") {
            Some(MediaType::Png)
        } else if starts(&[0xFF, 0xD8, 0xFF]) {
            Some(MediaType::Jpeg)
        } else if bytes.len() >= 12 && starts(b"RIFF") && &bytes[8..12] == b"WEBP" {
            Some(MediaType::Webp)
        } else if starts(b"GIF87a") || starts(b"GIF89a") {
            Some(MediaType::Gif)
        } else if starts(&[0, 1, 0, 0]) || starts(b"true") {
            Some(MediaType::Ttf)
        } else if starts(b"OTTO") {
            Some(MediaType::Otf)
        } else {
            None
        }
    }

    /// The type a file name's extension claims (`logo@2x.PNG` -> PNG), if it is one of ours.
    pub fn from_path(path: &str) -> Option<MediaType> {
        let name = path.rsplit('/').next().unwrap_or(path);
        let (_, ext) = name.rsplit_once('.')?;
        match ext.to_ascii_lowercase().as_str() {
            "png" => Some(MediaType::Png),
            "jpg" | "jpeg" => Some(MediaType::Jpeg),
            "webp" => Some(MediaType::Webp),
            "gif" => Some(MediaType::Gif),
            "ttf" => Some(MediaType::Ttf),
            "otf" => Some(MediaType::Otf),
            _ => None,
        }
    }

    /// The extension its stored object gets (`png`, `jpg`, ...).
    pub fn extension(self) -> &'static str {
        match self {
            MediaType::Png => "png",
            MediaType::Jpeg => "jpg",
            MediaType::Webp => "webp",
            MediaType::Gif => "gif",
            MediaType::Ttf => "ttf",
            MediaType::Otf => "otf",
        }
    }

    /// The type of a stored object's extension (the inverse of [`MediaType::extension`]).
    pub fn from_extension(ext: &str) -> Option<MediaType> {
        MediaType::ALL.into_iter().find(|t| t.extension() == ext)
    }

    /// Its `Content-Type`.
    pub fn content_type(self) -> &'static str {
        match self {
            MediaType::Png => "image/png",
            MediaType::Jpeg => "image/jpeg",
            MediaType::Webp => "image/webp",
            MediaType::Gif => "image/gif",
            MediaType::Ttf => "font/ttf",
            MediaType::Otf => "font/otf",
        }
    }

    /// Whether it is an image (not a font).
    pub fn is_image(self) -> bool {
        !matches!(self, MediaType::Ttf | MediaType::Otf)
    }

    /// Whether a file named with this type's extension may hold `content` of type `self`
    /// (`.ttf` and `.otf` are interchangeable: both are OpenType containers).
    fn accepts(named: MediaType, content: MediaType) -> bool {
        named == content || (!named.is_image() && !content.is_image())
    }
}

impl fmt::Display for MediaType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            MediaType::Png => "PNG",
            MediaType::Jpeg => "JPEG",
            MediaType::Webp => "WebP",
            MediaType::Gif => "GIF",
            MediaType::Ttf => "TrueType font",
            MediaType::Otf => "OpenType font",
        })
    }
}

/// Why a binary file is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MediaError {
    /// Its content is not base64.
    #[error("{path} is not valid base64")]
    BadBase64 {
        /// The file.
        path: String,
    },
    /// Its content is none of the accepted types.
    #[error("{path} is not a PNG, JPEG, WebP or GIF image nor a TTF/OTF font")]
    Unknown {
        /// The file.
        path: String,
    },
    /// Its name says one type, its content is another.
    #[error("{path} is named as {named} but its content is {found}")]
    Mismatch {
        /// The file.
        path: String,
        /// What the extension says.
        named: String,
        /// What the bytes are.
        found: MediaType,
    },
}

/// The type of binary file `path` with `bytes`: the sniffed type, which the name's extension
/// must agree with (a name without one of our extensions is refused too: the compiler resolves
/// images and fonts by their names).
pub fn classify(path: &str, bytes: &[u8]) -> Result<MediaType, MediaError> {
    let found = MediaType::sniff(bytes).ok_or_else(|| MediaError::Unknown {
        path: path.to_owned(),
    })?;
    match MediaType::from_path(path) {
        Some(named) if MediaType::accepts(named, found) => Ok(found),
        named => Err(MediaError::Mismatch {
            path: path.to_owned(),
            named: named.map_or_else(|| "something else".to_owned(), |n| n.to_string()),
            found,
        }),
    }
}

/// Width and height in pixels of an image, read from its header (`None` when the header is
/// cut short or malformed). GIF: the logical screen; JPEG: the first frame header.
pub fn image_size(bytes: &[u8]) -> Option<(u32, u32)> {
    let be16 = |i: usize| -> Option<u32> {
        Some(u32::from(u16::from_be_bytes(
            bytes.get(i..i + 2)?.try_into().ok()?,
        )))
    };
    let le16 = |i: usize| -> Option<u32> {
        Some(u32::from(u16::from_le_bytes(
            bytes.get(i..i + 2)?.try_into().ok()?,
        )))
    };
    let le24 = |i: usize| -> Option<u32> {
        let b = bytes.get(i..i + 3)?;
        Some(u32::from(b[0]) | u32::from(b[1]) << 8 | u32::from(b[2]) << 16)
    };
    let size = match MediaType::sniff(bytes)? {
        MediaType::Png => {
            if bytes.get(12..16)? != b"IHDR" {
                return None;
            }
            let be32 = |i: usize| Some(u32::from_be_bytes(bytes.get(i..i + 4)?.try_into().ok()?));
            (be32(16)?, be32(20)?)
        }
        MediaType::Gif => (le16(6)?, le16(8)?),
        MediaType::Webp => match bytes.get(12..16)? {
            b"VP8 " => (le16(26)? & 0x3FFF, le16(28)? & 0x3FFF),
            b"VP8L" => {
                let b = bytes.get(21..25)?;
                let bits = u32::from_le_bytes(b.try_into().ok()?);
                ((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
            }
            b"VP8X" => (le24(24)? + 1, le24(27)? + 1),
            _ => return None,
        },
        MediaType::Jpeg => {
            let mut i = 2;
            loop {
                if *bytes.get(i)? != 0xFF {
                    return None;
                }
                let marker = *bytes.get(i + 1)?;
                if marker == 0xFF {
                    i += 1;
                    continue;
                }
                // Start-of-frame markers (not DHT 0xC4, JPG 0xC8, DAC 0xCC) carry the size.
                if (0xC0..=0xCF).contains(&marker) && ![0xC4, 0xC8, 0xCC].contains(&marker) {
                    break (be16(i + 7)?, be16(i + 5)?);
                }
                if marker == 0xD8 || (0xD0..=0xD7).contains(&marker) || marker == 0x01 {
                    i += 2;
                    continue;
                }
                i += 2 + usize::try_from(be16(i + 2)?).ok()?;
            }
        }
        MediaType::Ttf | MediaType::Otf => return None,
    };
    (size.0 > 0 && size.1 > 0).then_some(size)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG_1X2: &[u8] = &[
        0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n', 0, 0, 0, 13, b'I', b'H', b'D', b'R', 0,
        0, 0, 1, 0, 0, 0, 2, 8, 6, 0, 0, 0,
    ];

    #[test]
    fn types_are_sniffed_from_bytes_and_names_must_agree() {
        assert_eq!(MediaType::sniff(PNG_1X2), Some(MediaType::Png));
        assert_eq!(classify("a/logo@2x.PNG", PNG_1X2), Ok(MediaType::Png));
        let jpeg = [0xFF, 0xD8, 0xFF, 0xE0];
        assert!(matches!(
            classify("logo.png", &jpeg),
            Err(MediaError::Mismatch {
                found: MediaType::Jpeg,
                ..
            })
        ));
        assert!(matches!(
            classify("logo.png", b"<svg/>"),
            Err(MediaError::Unknown { .. })
        ));
        assert!(matches!(
            classify("logo.bin", PNG_1X2),
            Err(MediaError::Mismatch { .. })
        ));
        assert_eq!(classify("Inter.otf", &[0, 1, 0, 0, 9]), Ok(MediaType::Ttf));
        assert_eq!(
            MediaType::sniff(b"RIFF\0\0\0\0WEBPVP8 "),
            Some(MediaType::Webp)
        );
        assert_eq!(MediaType::sniff(b"GIF89a.."), Some(MediaType::Gif));
        assert_eq!(MediaType::sniff(b"OTTO"), Some(MediaType::Otf));
    }

    #[test]
    fn image_sizes_come_from_headers() {
        assert_eq!(image_size(PNG_1X2), Some((1, 2)));
        assert_eq!(image_size(b"GIF89a\x03\x00\x05\x00"), Some((3, 5)));
        // SOI, APP0 (length 4), SOF0 with height 7, width 9.
        let jpeg = [
            0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 0, 0, 0xFF, 0xC0, 0, 17, 8, 0, 7, 0, 9, 3,
        ];
        assert_eq!(image_size(&jpeg), Some((9, 7)));
        assert_eq!(image_size(&PNG_1X2[..20]), None);
        assert_eq!(image_size(b"not an image"), None);
    }
}
