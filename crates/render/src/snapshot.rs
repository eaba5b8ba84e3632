//! Snapshots: a PNG at a node's device-pixel size, content-addressed. A node with a static
//! picture (an icon glyph, an SVG, a gradient: see `crate::picture`) shows it over its own
//! background and under its border; any other is a placeholder that says what the node stands
//! for (component name, size, its own background and border when known), hatched.

use hivesync_document::Picture;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use tiny_skia::Pixmap;

use crate::box_style::BoxStyle;
use crate::canvas::{Area, Canvas};
use crate::color::Rgba;
use crate::error::RenderError;
use crate::picture::draw_picture;
use crate::screen::{draw_label, pixel_size};

/// What to snapshot.
#[derive(Clone, Debug, PartialEq)]
pub struct SnapshotRequest<'a> {
    /// The component it stands for (`MapView`, `Video`, `LottieView`, ...), written on it.
    pub component: &'a str,
    /// Frame width in points.
    pub width: f32,
    /// Frame height in points.
    pub height: f32,
    /// Device pixels per point: the PNG is `round(width * scale)` x `round(height * scale)`.
    pub scale: f32,
    /// The node's own style, if known (background, border, radii are drawn).
    pub style: Option<&'a Map<String, Value>>,
    /// What it shows, when known; absent (or not drawable): a placeholder.
    pub picture: Option<&'a Picture>,
    /// The node's whole frame (points) when the snapshot covers only its top-left `width` x
    /// `height` (see `layout_json::snapshot_area`): a picture is drawn at the whole frame's
    /// geometry and cropped, not squeezed. Absent: the frame is `width` x `height`.
    pub frame: Option<(f32, f32)>,
}

/// A rendered snapshot.
#[derive(Clone, Debug, PartialEq)]
pub struct Snapshot {
    /// PNG bytes.
    pub png: Vec<u8>,
    /// Content address: the first 32 hex digits of the SHA-256 of `png`.
    pub asset_id: String,
    /// Width in pixels.
    pub width_px: u32,
    /// Height in pixels.
    pub height_px: u32,
}

/// The content address of PNG bytes: the first 32 hex digits (128 bits) of their SHA-256.
pub fn asset_id(png: &[u8]) -> String {
    Sha256::digest(png)
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl SnapshotRequest<'_> {
    /// Whether `other` draws the same PNG: everything [`render_snapshot`] reads of the two is
    /// equal (styles are compared by what is painted: background, borders, radii).
    pub fn draws_like(&self, other: &SnapshotRequest<'_>) -> bool {
        let empty = Map::new();
        let paint = |r: &SnapshotRequest<'_>| {
            let s = BoxStyle::read(r.style.unwrap_or(&empty));
            (s.background, s.border_widths, s.border_colors, s.radii)
        };
        self.component == other.component
            && self.picture == other.picture
            && (self.picture.is_none() || self.frame == other.frame)
            && self.width == other.width
            && self.height == other.height
            && self.scale == other.scale
            && paint(self) == paint(other)
    }

    /// Width x height of the PNG in device pixels.
    pub fn pixels(&self) -> Result<u64, RenderError> {
        let (w, h) = pixel_size(self.width, self.height, self.scale)?;
        Ok(u64::from(w) * u64::from(h))
    }
}

/// Renders the snapshot of a node: its picture, or a placeholder.
pub fn render_snapshot(request: &SnapshotRequest<'_>) -> Result<Snapshot, RenderError> {
    let (w, h) = pixel_size(request.width, request.height, request.scale)?;
    let pixmap = Pixmap::new(w, h).ok_or(RenderError::InvalidSize {
        width: request.width,
        height: request.height,
        scale: request.scale,
    })?;
    let mut canvas = Canvas {
        pixmap,
        scale: request.scale,
        transform: tiny_skia::Transform::identity(),
    };
    let empty = Map::new();
    let style = BoxStyle::read(request.style.unwrap_or(&empty));
    let area = Area {
        x: 0.0,
        y: 0.0,
        w: request.width,
        h: request.height,
    };
    let clip = canvas.clip(area, style.radii, None);

    if let Some(picture) = request.picture {
        let whole = match request.frame {
            Some((w, h)) => Area { w, h, ..area },
            None => area,
        };
        let clip = canvas.clip(whole, style.radii, None);
        if let Some(background) = style.background {
            canvas.fill(whole, style.radii, background, None);
        }
        if draw_picture(&mut canvas, whole, style.radii, picture, clip.as_ref()).is_ok() {
            if style.border_widths.iter().any(|w| *w > 0.0) {
                canvas.border(
                    whole,
                    style.radii,
                    style.border_widths,
                    style.border_colors,
                    None,
                );
            }
            return finish(&canvas, w, h);
        }
        // Not drawable (the compiler warned): start again as a placeholder.
        canvas.pixmap.fill(tiny_skia::Color::TRANSPARENT);
    }

    canvas.fill(
        area,
        style.radii,
        style.background.unwrap_or(Rgba::rgb(0xee, 0xf2, 0xf7)),
        None,
    );
    // Diagonal hatching says "placeholder" at a glance.
    let hatch = Rgba {
        r: 0x94,
        g: 0xa3,
        b: 0xb8,
        a: 0x40,
    };
    let mut d = -area.h;
    while d < area.w {
        canvas.line((d, area.h), (d + area.h, 0.0), 1.0, hatch, clip.as_ref());
        d += 12.0;
    }
    if style.border_widths.iter().any(|w| *w > 0.0) {
        canvas.border(
            area,
            style.radii,
            style.border_widths,
            style.border_colors,
            None,
        );
    } else {
        canvas.dashed_outline(area, style.radii, 1.0, Rgba::rgb(0x64, 0x74, 0x8b));
    }
    let ink = Rgba::rgb(0x33, 0x41, 0x55);
    let size_label = format!("{} \u{00d7} {}", trim(request.width), trim(request.height));
    if area.h >= 44.0 {
        let name_area = Area {
            y: area.h / 2.0 - 20.0,
            h: 24.0,
            ..area
        };
        draw_label(
            &mut canvas,
            name_area,
            request.component,
            16.0,
            ink,
            clip.as_ref(),
        );
        let size_area = Area {
            y: area.h / 2.0 + 4.0,
            h: 16.0,
            ..area
        };
        draw_label(
            &mut canvas,
            size_area,
            &size_label,
            11.0,
            Rgba::rgb(0x64, 0x74, 0x8b),
            clip.as_ref(),
        );
    } else {
        draw_label(
            &mut canvas,
            area,
            request.component,
            (area.h * 0.6).min(16.0),
            ink,
            clip.as_ref(),
        );
    }

    finish(&canvas, w, h)
}

fn finish(canvas: &Canvas, w: u32, h: u32) -> Result<Snapshot, RenderError> {
    let png = crate::encoding::encode_png(&canvas.pixmap)?;
    Ok(Snapshot {
        asset_id: asset_id(&png),
        png,
        width_px: w,
        height_px: h,
    })
}

fn trim(v: f32) -> String {
    let s = format!("{v:.1}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}
