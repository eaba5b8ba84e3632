//! Bitmaps an app ships (the images a preview request carries: PNG, JPEG, WebP, GIF) decoded
//! into pixmaps, and where `resizeMode` / `contentFit` puts them in a frame.
//!
//! Decoding is bounded: a picture over [`MAX_BITMAP_PIXELS`] is refused before its pixels are
//! allocated. A GIF shows its first frame.

use std::io::Cursor;

use tiny_skia::{IntSize, Pixmap};
use zune_jpeg::JpegDecoder;
use zune_jpeg::zune_core::bytestream::ZCursor;
use zune_jpeg::zune_core::colorspace::ColorSpace;
use zune_jpeg::zune_core::options::DecoderOptions;

/// Most pixels of one decoded picture (4096 x 4096: 64 MiB of RGBA).
pub const MAX_BITMAP_PIXELS: u64 = 4096 * 4096;

/// Why a picture could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BitmapError {
    /// Not a PNG, JPEG, WebP or GIF.
    #[error("not a PNG, JPEG, WebP or GIF image")]
    UnknownFormat,
    /// Over [`MAX_BITMAP_PIXELS`].
    #[error("{0} x {1} pixels is larger than a preview draws")]
    TooLarge(u32, u32),
    /// The decoder refused it.
    #[error("the image could not be decoded: {0}")]
    Corrupt(String),
}

fn corrupt(e: impl std::fmt::Display) -> BitmapError {
    BitmapError::Corrupt(e.to_string())
}

fn check_size(w: u32, h: u32) -> Result<(), BitmapError> {
    if w == 0 || h == 0 || u64::from(w) * u64::from(h) > MAX_BITMAP_PIXELS {
        return Err(BitmapError::TooLarge(w, h));
    }
    Ok(())
}

/// Straight (not premultiplied) RGBA rows into a pixmap.
fn pixmap_from_rgba(mut rgba: Vec<u8>, w: u32, h: u32) -> Result<Pixmap, BitmapError> {
    for px in rgba.chunks_exact_mut(4) {
        let a = u16::from(px[3]);
        for c in &mut px[..3] {
            *c = ((u16::from(*c) * a + 127) / 255) as u8;
        }
    }
    let size = IntSize::from_wh(w, h).ok_or(BitmapError::TooLarge(w, h))?;
    Pixmap::from_vec(rgba, size).ok_or_else(|| corrupt("pixel buffer has the wrong size"))
}

/// Decodes a PNG, JPEG, WebP or GIF (first frame) into a pixmap.
pub fn decode_bitmap(bytes: &[u8]) -> Result<Pixmap, BitmapError> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        decode_png(bytes)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        decode_jpeg(bytes)
    } else if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
        decode_webp(bytes)
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        decode_gif(bytes)
    } else {
        Err(BitmapError::UnknownFormat)
    }
}

fn decode_png(bytes: &[u8]) -> Result<Pixmap, BitmapError> {
    let mut decoder = png::Decoder::new(Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().map_err(corrupt)?;
    let (w, h) = (reader.info().width, reader.info().height);
    check_size(w, h)?;
    let mut buf = vec![0; reader.output_buffer_size().ok_or_else(|| corrupt("size"))?];
    let frame = reader.next_frame(&mut buf).map_err(corrupt)?;
    buf.truncate(frame.buffer_size());
    let rgba = match frame.color_type {
        png::ColorType::Rgba => buf,
        png::ColorType::Rgb => buf
            .chunks_exact(3)
            .flat_map(|p| [p[0], p[1], p[2], 255])
            .collect(),
        png::ColorType::GrayscaleAlpha => buf
            .chunks_exact(2)
            .flat_map(|p| [p[0], p[0], p[0], p[1]])
            .collect(),
        png::ColorType::Grayscale => buf.iter().flat_map(|g| [*g, *g, *g, 255]).collect(),
        png::ColorType::Indexed => return Err(corrupt("palette was not expanded")),
    };
    pixmap_from_rgba(rgba, w, h)
}

fn decode_jpeg(bytes: &[u8]) -> Result<Pixmap, BitmapError> {
    let options = DecoderOptions::default().jpeg_set_out_colorspace(ColorSpace::RGBA);
    let mut decoder = JpegDecoder::new_with_options(ZCursor::new(bytes), options);
    decoder.decode_headers().map_err(corrupt)?;
    let (w, h) = decoder
        .dimensions()
        .ok_or_else(|| corrupt("no frame header"))?;
    let (w, h) = (w as u32, h as u32);
    check_size(w, h)?;
    let rgba = decoder.decode().map_err(corrupt)?;
    pixmap_from_rgba(rgba, w, h)
}

fn decode_webp(bytes: &[u8]) -> Result<Pixmap, BitmapError> {
    let mut decoder = image_webp::WebPDecoder::new(Cursor::new(bytes)).map_err(corrupt)?;
    let (w, h) = decoder.dimensions();
    check_size(w, h)?;
    let mut buf = vec![
        0;
        decoder
            .output_buffer_size()
            .ok_or_else(|| corrupt("size"))?
    ];
    decoder.read_image(&mut buf).map_err(corrupt)?;
    let rgba = if decoder.has_alpha() {
        buf
    } else {
        buf.chunks_exact(3)
            .flat_map(|p| [p[0], p[1], p[2], 255])
            .collect()
    };
    pixmap_from_rgba(rgba, w, h)
}

fn decode_gif(bytes: &[u8]) -> Result<Pixmap, BitmapError> {
    let mut options = gif::DecodeOptions::new();
    options.set_color_output(gif::ColorOutput::RGBA);
    let mut decoder = options.read_info(Cursor::new(bytes)).map_err(corrupt)?;
    let (w, h) = (u32::from(decoder.width()), u32::from(decoder.height()));
    check_size(w, h)?;
    let frame = decoder
        .read_next_frame()
        .map_err(corrupt)?
        .ok_or_else(|| corrupt("no frame"))?;
    // The first frame is placed on the logical screen (transparent elsewhere).
    let mut rgba = vec![0u8; w as usize * h as usize * 4];
    let (fx, fy, fw) = (
        usize::from(frame.left),
        usize::from(frame.top),
        usize::from(frame.width),
    );
    for (row, line) in frame.buffer.chunks_exact(fw * 4).enumerate() {
        let y = fy + row;
        if y >= h as usize {
            break;
        }
        let start = (y * w as usize + fx) * 4;
        let len = line.len().min((w as usize).saturating_sub(fx) * 4);
        rgba[start..start + len].copy_from_slice(&line[..len]);
    }
    pixmap_from_rgba(rgba, w, h)
}

/// How a picture fills its frame: React Native's `resizeMode` (`cover` by default), or
/// expo-image's `contentFit` (`cover`, `contain`, `fill`, `none`, `scale-down`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ResizeMode {
    /// Scaled to fill the frame, keeping its aspect ratio, cut to the frame (the default).
    #[default]
    Cover,
    /// Scaled to fit inside the frame, keeping its aspect ratio, centred.
    Contain,
    /// Scaled to the frame exactly.
    Stretch,
    /// Its own size (in points at its scale) centred; scaled down like `contain` when larger.
    Center,
    /// Its own size, centred, never scaled (expo-image `none`).
    None,
    /// Tiled at its own size from the top-left corner.
    Repeat,
}

impl ResizeMode {
    /// Reads `resizeMode` (React Native) or `contentFit` (expo-image); unknown values are the
    /// default.
    pub fn parse(value: &str) -> ResizeMode {
        match value {
            "contain" => ResizeMode::Contain,
            "stretch" | "fill" => ResizeMode::Stretch,
            "center" | "scale-down" => ResizeMode::Center,
            "none" => ResizeMode::None,
            "repeat" => ResizeMode::Repeat,
            _ => ResizeMode::Cover,
        }
    }

    /// Where a picture of `natural` size (points) is drawn in a frame of `frame` size: the
    /// rectangle `(x, y, width, height)` relative to the frame's top-left corner (it may reach
    /// outside the frame: the caller clips). `Repeat` gives the first tile.
    pub fn place(self, natural: (f32, f32), frame: (f32, f32)) -> (f32, f32, f32, f32) {
        let (nw, nh) = (
            natural.0.max(f32::MIN_POSITIVE),
            natural.1.max(f32::MIN_POSITIVE),
        );
        let (fw, fh) = frame;
        let centred = |w: f32, h: f32| ((fw - w) / 2.0, (fh - h) / 2.0, w, h);
        match self {
            ResizeMode::Stretch => (0.0, 0.0, fw, fh),
            ResizeMode::Cover => {
                let s = (fw / nw).max(fh / nh);
                centred(nw * s, nh * s)
            }
            ResizeMode::Contain => {
                let s = (fw / nw).min(fh / nh);
                centred(nw * s, nh * s)
            }
            ResizeMode::Center => {
                let s = (fw / nw).min(fh / nh).min(1.0);
                centred(nw * s, nh * s)
            }
            ResizeMode::None => centred(nw, nh),
            ResizeMode::Repeat => (0.0, 0.0, nw, nh),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resize_modes_place_like_react_native() {
        // A 200 x 100 picture in a 100 x 100 frame.
        let n = (200.0, 100.0);
        let f = (100.0, 100.0);
        assert_eq!(ResizeMode::Cover.place(n, f), (-50.0, 0.0, 200.0, 100.0));
        assert_eq!(ResizeMode::Contain.place(n, f), (0.0, 25.0, 100.0, 50.0));
        assert_eq!(ResizeMode::Stretch.place(n, f), (0.0, 0.0, 100.0, 100.0));
        assert_eq!(ResizeMode::Center.place(n, f), (0.0, 25.0, 100.0, 50.0));
        // `center` never scales up.
        assert_eq!(
            ResizeMode::Center.place((20.0, 10.0), f),
            (40.0, 45.0, 20.0, 10.0)
        );
        assert_eq!(ResizeMode::parse("fill"), ResizeMode::Stretch);
        assert_eq!(ResizeMode::parse("bogus"), ResizeMode::Cover);
    }

    #[test]
    fn unknown_and_corrupt_bytes_are_errors_not_panics() {
        assert!(matches!(
            decode_bitmap(b"hello"),
            Err(BitmapError::UnknownFormat)
        ));
        for magic in [
            &b"\x89PNG\r\n\x1a\nxx"[..],
            &[0xFF, 0xD8, 0xFF, 0xE0, 0, 2],
            b"RIFF\0\0\0\0WEBPVP8 ",
            b"GIF89a\x01",
        ] {
            assert!(matches!(decode_bitmap(magic), Err(BitmapError::Corrupt(_))));
        }
    }
}
