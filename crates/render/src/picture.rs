//! The static pictures of snapshots (`hivesync_document::Picture`): an icon font glyph drawn
//! from its outline, an SVG document rasterised with resvg, a linear gradient.

use hivesync_document::Picture;
use hivesync_frames::ttf_parser::Face;
use tiny_skia::{GradientStop, LinearGradient, Mask, Point, SpreadMode, Transform};

use crate::canvas::{Area, Canvas, Radii};
use crate::color::{Rgba, parse_color};

/// Why a picture could not be drawn (the snapshot falls back to a placeholder).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PictureError {
    /// No font of this family is known.
    #[error("no font `{0}`")]
    UnknownFont(String),
    /// The font file does not parse.
    #[error("font `{0}` cannot be read")]
    BadFont(String),
    /// The font has no outline for the code point.
    #[error("font `{family}` has no glyph for U+{codepoint:04X}")]
    NoGlyph {
        /// The font family.
        family: String,
        /// The code point.
        codepoint: u32,
    },
    /// The SVG markup does not parse.
    #[error("SVG: {0}")]
    Svg(String),
    /// A colour does not parse.
    #[error("colour `{0}` is not a colour")]
    BadColor(String),
    /// The gradient has fewer than two colours or bad stops.
    #[error("gradient needs two colours or more")]
    BadGradient,
}

/// The bytes of the font `family`. The one place fonts are looked up by family name: fonts
/// sent with a request are to be consulted here, before the vendored icon fonts.
fn font_bytes(family: &str) -> Result<&'static [u8], PictureError> {
    hivesync_icons::font(family).ok_or_else(|| PictureError::UnknownFont(family.to_owned()))
}

fn color(c: &str) -> Result<Rgba, PictureError> {
    parse_color(c).ok_or_else(|| PictureError::BadColor(c.to_owned()))
}

/// Checks that `picture` can be drawn, without drawing it.
pub fn check_picture(picture: &Picture) -> Result<(), PictureError> {
    match picture {
        Picture::Icon {
            family,
            codepoint,
            color: c,
            ..
        } => {
            color(c)?;
            let face = Face::parse(font_bytes(family)?, 0)
                .map_err(|_| PictureError::BadFont(family.clone()))?;
            glyph_of(&face, family, *codepoint).map(|_| ())
        }
        Picture::Svg { markup } => svg_tree(markup).map(|_| ()),
        Picture::Gradient { colors, .. } => {
            if colors.len() < 2 {
                return Err(PictureError::BadGradient);
            }
            colors.iter().try_for_each(|c| color(c).map(|_| ()))
        }
    }
}

fn glyph_of(
    face: &Face<'_>,
    family: &str,
    codepoint: u32,
) -> Result<hivesync_frames::ttf_parser::GlyphId, PictureError> {
    char::from_u32(codepoint)
        .and_then(|c| face.glyph_index(c))
        .ok_or_else(|| PictureError::NoGlyph {
            family: family.to_owned(),
            codepoint,
        })
}

fn svg_tree(markup: &str) -> Result<resvg::usvg::Tree, PictureError> {
    resvg::usvg::Tree::from_str(markup, &resvg::usvg::Options::default())
        .map_err(|e| PictureError::Svg(e.to_string()))
}

/// Draws `picture` over `area` of `canvas` (clipped by `mask`, within `radii`).
pub(crate) fn draw_picture(
    canvas: &mut Canvas,
    area: Area,
    radii: Radii,
    picture: &Picture,
    mask: Option<&Mask>,
) -> Result<(), PictureError> {
    match picture {
        Picture::Icon {
            family,
            codepoint,
            size,
            color: c,
            ..
        } => {
            let ink = color(c)?;
            let face = Face::parse(font_bytes(family)?, 0)
                .map_err(|_| PictureError::BadFont(family.clone()))?;
            let glyph = glyph_of(&face, family, *codepoint)?;
            let size = *size as f32;
            let k = size / f32::from(face.units_per_em());
            // A vector icon is a one-glyph Text: its advance wide, the font's ascender to
            // descender tall; that box is centred in the node.
            let advance = face
                .glyph_hor_advance(glyph)
                .map_or(size, |a| f32::from(a) * k);
            let (ascender, descender) = (
                f32::from(face.ascender()) * k,
                f32::from(face.descender()) * k,
            );
            let origin = (
                area.x + (area.w - advance) / 2.0,
                area.y + (area.h - (ascender - descender)) / 2.0 + ascender,
            );
            canvas.glyph(&face, glyph, origin, size, ink, mask);
            Ok(())
        }
        Picture::Svg { markup } => {
            let tree = svg_tree(markup)?;
            let size = tree.size();
            // Fitted into the node as a whole, centred (SVG's default `xMidYMid meet`).
            let s = canvas.scale;
            let k = (area.w / size.width()).min(area.h / size.height());
            let transform = canvas.transform.pre_concat(Transform::from_row(
                k * s,
                0.0,
                0.0,
                k * s,
                (area.x + (area.w - size.width() * k) / 2.0) * s,
                (area.y + (area.h - size.height() * k) / 2.0) * s,
            ));
            resvg::render(&tree, transform, &mut canvas.pixmap.as_mut());
            Ok(())
        }
        Picture::Gradient {
            colors,
            locations,
            start,
            end,
        } => {
            if colors.len() < 2 {
                return Err(PictureError::BadGradient);
            }
            let n = colors.len();
            let mut stops = Vec::with_capacity(n);
            for (i, c) in colors.iter().enumerate() {
                let at = locations
                    .as_ref()
                    .and_then(|l| l.get(i).copied())
                    .unwrap_or(i as f64 / (n - 1) as f64);
                stops.push(GradientStop::new(
                    at.clamp(0.0, 1.0) as f32,
                    color(c)?.to_skia(),
                ));
            }
            let s = canvas.scale;
            let at = |p: &hivesync_document::Point| {
                Point::from_xy(
                    (area.x + area.w * p.x as f32) * s,
                    (area.y + area.h * p.y as f32) * s,
                )
            };
            let shader = LinearGradient::new(
                at(start),
                at(end),
                stops,
                SpreadMode::Pad,
                Transform::identity(),
            )
            .ok_or(PictureError::BadGradient)?;
            canvas.fill_shader(area, radii, shader, mask);
            Ok(())
        }
    }
}
