//! Drawing primitives in points on a device-pixel pixmap: rounded rectangles, per-side borders,
//! approximated shadows and text in the bundled font.

use hivesync_frames::text::TextLayout;
use hivesync_frames::ttf_parser::OutlineBuilder;
use hivesync_frames::{FontFace, font_face};
use tiny_skia::{
    FillRule, Mask, Paint, Path, PathBuilder, Pixmap, Rect, Stroke, StrokeDash, Transform,
};

use crate::color::Rgba;

/// A non-solid border pattern.
#[derive(Clone, Copy, PartialEq, Debug)]
pub(crate) enum BorderDash {
    Dashed,
    Dotted,
}

/// A rectangle in points.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Area {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

impl Area {
    pub fn inset(self, left: f32, top: f32, right: f32, bottom: f32) -> Area {
        Area {
            x: self.x + left,
            y: self.y + top,
            w: (self.w - left - right).max(0.0),
            h: (self.h - top - bottom).max(0.0),
        }
    }
}

/// Corner radii in points: top-left, top-right, bottom-right, bottom-left.
pub(crate) type Radii = [f32; 4];

/// The radii clamped so that adjacent corners never overlap (CSS's rule, which RN follows).
pub(crate) fn clamp_radii(area: Area, radii: Radii) -> Radii {
    let sums = [
        radii[0] + radii[1],
        radii[1] + radii[2],
        radii[2] + radii[3],
        radii[3] + radii[0],
    ];
    let sides = [area.w, area.h, area.w, area.h];
    let f = sums
        .iter()
        .zip(sides)
        .filter(|(s, _)| **s > 0.0)
        .map(|(s, side)| side / s)
        .fold(1.0f32, f32::min);
    radii.map(|r| (r * f).max(0.0))
}

/// A rounded rectangle path in device pixels.
pub(crate) fn rounded_rect(area: Area, radii: Radii, scale: f32) -> Option<Path> {
    if area.w <= 0.0 || area.h <= 0.0 {
        return None;
    }
    let [tl, tr, br, bl] = clamp_radii(area, radii).map(|r| r * scale);
    let (x, y, w, h) = (
        area.x * scale,
        area.y * scale,
        area.w * scale,
        area.h * scale,
    );
    if tl == 0.0 && tr == 0.0 && br == 0.0 && bl == 0.0 {
        return Some(PathBuilder::from_rect(Rect::from_xywh(x, y, w, h)?));
    }
    // Circular arcs as cubic Béziers.
    const K: f32 = 0.552_284_8;
    let mut pb = PathBuilder::new();
    pb.move_to(x + tl, y);
    pb.line_to(x + w - tr, y);
    pb.cubic_to(
        x + w - tr + tr * K,
        y,
        x + w,
        y + tr - tr * K,
        x + w,
        y + tr,
    );
    pb.line_to(x + w, y + h - br);
    pb.cubic_to(
        x + w,
        y + h - br + br * K,
        x + w - br + br * K,
        y + h,
        x + w - br,
        y + h,
    );
    pb.line_to(x + bl, y + h);
    pb.cubic_to(
        x + bl - bl * K,
        y + h,
        x,
        y + h - bl + bl * K,
        x,
        y + h - bl,
    );
    pb.line_to(x, y + tl);
    pb.cubic_to(x, y + tl - tl * K, x + tl - tl * K, y, x + tl, y);
    pb.close();
    pb.finish()
}

fn paint(color: Rgba) -> Paint<'static> {
    let mut p = Paint::default();
    p.set_color(color.to_skia());
    p.anti_alias = true;
    p
}

pub(crate) struct Canvas {
    pub pixmap: Pixmap,
    pub scale: f32,
    /// Device-pixel transform applied to everything drawn (React Native `transform`s).
    pub transform: Transform,
}

impl Canvas {
    pub fn fill(&mut self, area: Area, radii: Radii, color: Rgba, mask: Option<&Mask>) {
        if color.a == 0 {
            return;
        }
        if let Some(path) = rounded_rect(area, radii, self.scale) {
            self.pixmap.fill_path(
                &path,
                &paint(color),
                FillRule::Winding,
                self.transform,
                mask,
            );
        }
    }

    /// A shadow approximated by stacked, growing translucent copies of the shape: where all
    /// copies overlap the shadow has its full opacity, fading out over `blur` points. The
    /// copies are drawn as rings around their common core; the core itself is skipped when
    /// `cover` (the opaque box casting the shadow) hides it.
    #[allow(clippy::too_many_arguments)]
    pub fn shadow(
        &mut self,
        area: Area,
        radii: Radii,
        color: Rgba,
        offset: (f32, f32),
        blur: f32,
        cover: Option<Area>,
        mask: Option<&Mask>,
    ) {
        const STEPS: usize = 8;
        let shifted = Area {
            x: area.x + offset.0,
            y: area.y + offset.1,
            ..area
        };
        let total = f32::from(color.a) / 255.0;
        let per_step = 1.0 - (1.0 - total).powf(1.0 / STEPS as f32);
        let layer = |i: usize| {
            // From just inside the shape out to `blur` beyond it.
            let grow = blur * ((i as f32 + 0.5) / STEPS as f32) - blur * 0.5;
            let a = Area {
                x: shifted.x - grow,
                y: shifted.y - grow,
                w: shifted.w + 2.0 * grow,
                h: shifted.h + 2.0 * grow,
            };
            (a, radii.map(|r| (r + grow).max(0.0)))
        };
        let (core, core_radii) = layer(0);
        let hidden = cover.is_some_and(|c| {
            core.x >= c.x
                && core.y >= c.y
                && core.x + core.w <= c.x + c.w
                && core.y + core.h <= c.y + c.h
        });
        if !hidden {
            self.fill(core, core_radii, color, mask);
        }
        let Some(core_path) = rounded_rect(core, core_radii, self.scale) else {
            return;
        };
        let ring_paint = paint(Rgba { a: 255, ..color }.with_alpha_factor(per_step));
        for i in 1..STEPS {
            let (a, r) = layer(i);
            let Some(outer) = rounded_rect(a, r, self.scale) else {
                continue;
            };
            let mut pb = PathBuilder::new();
            pb.push_path(&outer);
            pb.push_path(&core_path);
            if let Some(ring) = pb.finish() {
                self.pixmap
                    .fill_path(&ring, &ring_paint, FillRule::EvenOdd, self.transform, mask);
            }
        }
    }

    /// Borders: one ring when all sides share width and colour, else one trapezoid per side,
    /// clipped to the rounded outline.
    pub fn border(
        &mut self,
        area: Area,
        radii: Radii,
        widths: [f32; 4],
        colors: [Rgba; 4],
        mask: Option<&Mask>,
    ) {
        let [l, t, r, b] = widths;
        if widths.iter().all(|w| *w <= 0.0) {
            return;
        }
        let uniform = widths.iter().all(|w| *w == l) && colors.iter().all(|c| *c == colors[0]);
        if uniform {
            let inner = area.inset(l, t, r, b);
            let inner_radii = radii.map(|x| (x - l).max(0.0));
            let mut pb = PathBuilder::new();
            if let Some(outer) = rounded_rect(area, radii, self.scale) {
                pb.push_path(&outer);
            }
            if let Some(inner) = rounded_rect(inner, inner_radii, self.scale) {
                pb.push_path(&inner);
            }
            if let Some(path) = pb.finish() {
                self.pixmap.fill_path(
                    &path,
                    &paint(colors[0]),
                    FillRule::EvenOdd,
                    self.transform,
                    mask,
                );
            }
            return;
        }
        let rounded = radii.iter().any(|r| *r > 0.0);
        let clip = if rounded {
            self.clip(area, radii, mask)
        } else {
            None
        };
        let clip = clip.as_ref().or(mask);
        let s = self.scale;
        let (x0, y0, x1, y1) = (area.x, area.y, area.x + area.w, area.y + area.h);
        let (ix0, iy0, ix1, iy1) = (x0 + l, y0 + t, x1 - r, y1 - b);
        let sides = [
            (l, colors[0], [(x0, y0), (ix0, iy0), (ix0, iy1), (x0, y1)]),
            (t, colors[1], [(x0, y0), (x1, y0), (ix1, iy0), (ix0, iy0)]),
            (r, colors[2], [(x1, y0), (x1, y1), (ix1, iy1), (ix1, iy0)]),
            (b, colors[3], [(x0, y1), (ix0, iy1), (ix1, iy1), (x1, y1)]),
        ];
        for (width, color, pts) in sides {
            if width <= 0.0 || color.a == 0 {
                continue;
            }
            let mut pb = PathBuilder::new();
            pb.move_to(pts[0].0 * s, pts[0].1 * s);
            for p in &pts[1..] {
                pb.line_to(p.0 * s, p.1 * s);
            }
            pb.close();
            if let Some(path) = pb.finish() {
                self.pixmap.fill_path(
                    &path,
                    &paint(color),
                    FillRule::Winding,
                    self.transform,
                    clip,
                );
            }
        }
    }

    /// A uniform dashed or dotted border, stroked along the middle of the border width.
    pub fn dashed_border(
        &mut self,
        area: Area,
        radii: Radii,
        width: f32,
        color: Rgba,
        dash: BorderDash,
        mask: Option<&Mask>,
    ) {
        let half = width / 2.0;
        let Some(path) = rounded_rect(
            area.inset(half, half, half, half),
            radii.map(|r| (r - half).max(0.0)),
            self.scale,
        ) else {
            return;
        };
        let w = width * self.scale;
        let (on, off, cap) = match dash {
            BorderDash::Dashed => (w * 3.0, w * 3.0, tiny_skia::LineCap::Butt),
            BorderDash::Dotted => (0.01, w * 2.0, tiny_skia::LineCap::Round),
        };
        let stroke = Stroke {
            width: w,
            line_cap: cap,
            dash: StrokeDash::new(vec![on, off], 0.0),
            ..Stroke::default()
        };
        self.pixmap
            .stroke_path(&path, &paint(color), &stroke, self.transform, mask);
    }

    /// A dashed outline (snapshot placeholders).
    pub fn dashed_outline(&mut self, area: Area, radii: Radii, width: f32, color: Rgba) {
        let half = width / 2.0;
        if let Some(path) = rounded_rect(area.inset(half, half, half, half), radii, self.scale) {
            let stroke = Stroke {
                width: width * self.scale,
                dash: StrokeDash::new(vec![4.0 * self.scale, 3.0 * self.scale], 0.0),
                ..Stroke::default()
            };
            self.pixmap
                .stroke_path(&path, &paint(color), &stroke, self.transform, None);
        }
    }

    pub fn line(
        &mut self,
        from: (f32, f32),
        to: (f32, f32),
        width: f32,
        color: Rgba,
        mask: Option<&Mask>,
    ) {
        let mut pb = PathBuilder::new();
        pb.move_to(from.0 * self.scale, from.1 * self.scale);
        pb.line_to(to.0 * self.scale, to.1 * self.scale);
        if let Some(path) = pb.finish() {
            let stroke = Stroke {
                width: width * self.scale,
                ..Stroke::default()
            };
            self.pixmap
                .stroke_path(&path, &paint(color), &stroke, self.transform, mask);
        }
    }

    /// A mask of the rounded area, intersected with `parent`.
    pub fn clip(&self, area: Area, radii: Radii, parent: Option<&Mask>) -> Option<Mask> {
        let path = rounded_rect(area, radii, self.scale)?;
        match parent {
            Some(p) => {
                let mut m = p.clone();
                m.intersect_path(&path, FillRule::Winding, true, self.transform);
                Some(m)
            }
            None => {
                let mut m = Mask::new(self.pixmap.width(), self.pixmap.height())?;
                m.fill_path(&path, FillRule::Winding, true, self.transform);
                Some(m)
            }
        }
    }

    /// Draws laid-out text with its top-left corner at `origin`; each line is offset by
    /// `align(line_width)`; `color(span)` gives each span's colour.
    pub fn text(
        &mut self,
        layout: &TextLayout,
        origin: (f32, f32),
        align: impl Fn(f32) -> f32,
        color: impl Fn(usize) -> Rgba,
        mask: Option<&Mask>,
    ) {
        let s = self.scale;
        for line in &layout.lines {
            let line_x = origin.0 + align(line.width);
            let baseline = origin.1 + line.baseline;
            let mut start = 0;
            // One path per run of glyphs of the same span (same colour).
            while start < line.glyphs.len() {
                let span = line.glyphs[start].span;
                let end = line.glyphs[start..]
                    .iter()
                    .position(|g| g.span != span)
                    .map_or(line.glyphs.len(), |p| start + p);
                let mut builder = GlyphPath {
                    pb: PathBuilder::new(),
                    ox: 0.0,
                    oy: 0.0,
                    k: 0.0,
                    slant: 0.0,
                };
                for g in &line.glyphs[start..end] {
                    let face = font_face(g.face);
                    builder.k = g.font_size / f32::from(face.units_per_em()) * s;
                    // An italic face the app loads is slanted already.
                    builder.slant = if g.italic && !face.is_italic() {
                        0.2
                    } else {
                        0.0
                    };
                    builder.ox = (line_x + g.x) * s;
                    builder.oy = baseline * s;
                    face.outline_glyph(hivesync_frames::ttf_parser::GlyphId(g.glyph), &mut builder);
                }
                if let Some(path) = builder.pb.finish() {
                    self.pixmap.fill_path(
                        &path,
                        &paint(color(span)),
                        FillRule::Winding,
                        self.transform,
                        mask,
                    );
                }
                start = end;
            }
        }
    }
}

impl Canvas {
    /// Fills one glyph of `face`, `size` points tall (its em), with its baseline's left end at
    /// `origin` (points). `false` when the glyph has no outline.
    pub fn glyph(
        &mut self,
        face: &hivesync_frames::ttf_parser::Face<'_>,
        glyph: hivesync_frames::ttf_parser::GlyphId,
        origin: (f32, f32),
        size: f32,
        color: Rgba,
        mask: Option<&Mask>,
    ) -> bool {
        let s = self.scale;
        let mut builder = GlyphPath {
            pb: PathBuilder::new(),
            ox: origin.0 * s,
            oy: origin.1 * s,
            k: size / f32::from(face.units_per_em()) * s,
            slant: 0.0,
        };
        face.outline_glyph(glyph, &mut builder);
        let Some(path) = builder.pb.finish() else {
            return false;
        };
        self.pixmap.fill_path(
            &path,
            &paint(color),
            FillRule::Winding,
            self.transform,
            mask,
        );
        true
    }

    /// Fills `area` (with `radii`) with `shader`.
    pub fn fill_shader(
        &mut self,
        area: Area,
        radii: Radii,
        shader: tiny_skia::Shader<'_>,
        mask: Option<&Mask>,
    ) {
        let Some(path) = rounded_rect(area, radii, self.scale) else {
            return;
        };
        let paint = Paint {
            shader,
            anti_alias: true,
            ..Paint::default()
        };
        self.pixmap
            .fill_path(&path, &paint, FillRule::Winding, self.transform, mask);
    }
}

/// The text face used for labels drawn by the renderer itself.
pub(crate) const LABEL_FACE: FontFace = FontFace::Bold;

struct GlyphPath {
    pb: PathBuilder,
    ox: f32,
    oy: f32,
    k: f32,
    /// Horizontal shear for a synthesized italic (no italic face is bundled).
    slant: f32,
}

impl GlyphPath {
    fn p(&self, x: f32, y: f32) -> (f32, f32) {
        (
            self.ox + (x + y * self.slant) * self.k,
            self.oy - y * self.k,
        )
    }
}

impl OutlineBuilder for GlyphPath {
    fn move_to(&mut self, x: f32, y: f32) {
        let (x, y) = self.p(x, y);
        self.pb.move_to(x, y);
    }
    fn line_to(&mut self, x: f32, y: f32) {
        let (x, y) = self.p(x, y);
        self.pb.line_to(x, y);
    }
    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        let (x1, y1) = self.p(x1, y1);
        let (x, y) = self.p(x, y);
        self.pb.quad_to(x1, y1, x, y);
    }
    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        let (x1, y1) = self.p(x1, y1);
        let (x2, y2) = self.p(x2, y2);
        let (x, y) = self.p(x, y);
        self.pb.cubic_to(x1, y1, x2, y2, x, y);
    }
    fn close(&mut self) {
        self.pb.close();
    }
}
