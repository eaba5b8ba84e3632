//! Full-screen renders of a laid-out tree.

use hivesync_frames::{Frame, FrameNode, TextContent, Viewport, compute_frames, layout_text};
use serde_json::{Map, Value};
use tiny_skia::{FilterQuality, Mask, Pixmap, PixmapPaint, Transform};

use crate::box_style::{self, BoxStyle, TextAlign};
use crate::canvas::{Area, Canvas, LABEL_FACE};
use crate::color::{Rgba, parse_color};
use crate::error::RenderError;

/// What a node draws inside its box, besides background and borders.
#[derive(Clone, Debug, PartialEq, Default)]
pub enum Content {
    /// Nothing (a View).
    #[default]
    None,
    /// Text laid out in the node's content box; `span_colors[i]` is span i's `color` (React
    /// Native colour string), falling back to the node's `color`, then black.
    Text {
        /// The text and its typography.
        text: TextContent,
        /// Per-span colours.
        span_colors: Vec<Option<String>>,
    },
    /// An image that is not available: drawn as a labelled placeholder.
    Image {
        /// What to write on it (e.g. the source file name).
        label: Option<String>,
    },
    /// A picture the app ships (PNG, JPEG, WebP or GIF bytes), placed in the frame by its
    /// resize mode and clipped to the frame's rounded corners; an undecodable one is drawn as a
    /// placeholder labelled `label`.
    Bitmap {
        /// The image file's bytes.
        bytes: Vec<u8>,
        /// Pixels per point of the file (`@2x` -> 2): its natural size is its pixels / scale.
        scale: f32,
        /// How it fills the frame.
        mode: crate::bitmap::ResizeMode,
        /// The placeholder's label should it not decode.
        label: Option<String>,
    },
    /// A snapshot PNG (an `HS_ImageSnapshot` asset), scaled into the part of the frame it
    /// covers.
    Snapshot {
        /// The PNG bytes.
        png: Vec<u8>,
        /// The part of the frame, from its top-left corner, in points, that the PNG covers (a
        /// snapshot is clipped to the screen); `None`: the whole frame.
        size: Option<(f32, f32)>,
    },
}

/// One node of a laid-out tree, as the renderer needs it.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct RenderNode {
    /// The component type (`View`, `Text`, `Image`, `HS_ImageSnapshot`, ...), for labels.
    pub component: String,
    /// The node's React Native style (paint keys are read: colours, borders, radii, opacity,
    /// shadows, overflow, zIndex, textAlign, padding).
    pub style: Map<String, Value>,
    /// The frame relative to the parent, in points (as `hivesync_frames::compute_frames` gives).
    pub frame: Frame,
    /// What it draws inside.
    pub content: Content,
    /// Children, in order.
    pub children: Vec<RenderNode>,
}

/// The screen to render into.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Screen {
    /// Width in points.
    pub width: f32,
    /// Height in points.
    pub height: f32,
    /// Pixels per point.
    pub scale: f32,
    /// The window colour behind everything.
    pub background: Rgba,
}

impl Screen {
    /// A white screen.
    pub fn new(width: f32, height: f32, scale: f32) -> Self {
        Self {
            width,
            height,
            scale,
            background: Rgba::rgb(255, 255, 255),
        }
    }
}

/// Pixel size of `points` at `scale`, checked.
pub(crate) fn pixel_size(width: f32, height: f32, scale: f32) -> Result<(u32, u32), RenderError> {
    let px = |v: f32| (v * scale).round();
    let (w, h) = (px(width), px(height));
    let fits =
        scale.is_finite() && scale > 0.0 && w >= 1.0 && h >= 1.0 && w <= 16384.0 && h <= 16384.0;
    if !fits {
        return Err(RenderError::InvalidSize {
            width,
            height,
            scale,
        });
    }
    Ok((w as u32, h as u32))
}

/// Renders `root` (whose frame is relative to the screen) into a pixmap.
pub fn render_screen_pixmap(root: &RenderNode, screen: Screen) -> Result<Pixmap, RenderError> {
    let (w, h) = pixel_size(screen.width, screen.height, screen.scale)?;
    let mut pixmap = Pixmap::new(w, h).ok_or(RenderError::InvalidSize {
        width: screen.width,
        height: screen.height,
        scale: screen.scale,
    })?;
    pixmap.fill(screen.background.to_skia());
    let mut canvas = Canvas {
        pixmap,
        scale: screen.scale,
        transform: Transform::identity(),
    };
    draw(&mut canvas, root, (0.0, 0.0), None, false);
    Ok(canvas.pixmap)
}

/// Renders `root` to PNG bytes.
pub fn render_screen(root: &RenderNode, screen: Screen) -> Result<Vec<u8>, RenderError> {
    crate::encoding::encode_png(&render_screen_pixmap(root, screen)?)
}

fn draw(
    canvas: &mut Canvas,
    node: &RenderNode,
    origin: (f32, f32),
    mask: Option<&Mask>,
    parent_rtl: bool,
) {
    if box_style::hidden(&node.style) {
        return;
    }
    let rtl = box_style::is_rtl(&node.style, parent_rtl);
    let bs = BoxStyle::read(&node.style);
    if bs.opacity <= 0.0 {
        return;
    }
    if bs.opacity < 1.0 {
        // Opacity applies to the node with its subtree: paint them on a layer, then blend it.
        let Some(layer) = Pixmap::new(canvas.pixmap.width(), canvas.pixmap.height()) else {
            return;
        };
        let mut layer = Canvas {
            pixmap: layer,
            scale: canvas.scale,
            transform: canvas.transform,
        };
        draw_transformed(&mut layer, node, &bs, origin, mask, rtl);
        let paint = PixmapPaint {
            opacity: bs.opacity,
            quality: FilterQuality::Nearest,
            ..PixmapPaint::default()
        };
        canvas.pixmap.draw_pixmap(
            0,
            0,
            layer.pixmap.as_ref(),
            &paint,
            Transform::identity(),
            None,
        );
    } else {
        draw_transformed(canvas, node, &bs, origin, mask, rtl);
    }
}

/// Applies the node's `transform` (about its centre) to it and its subtree.
fn draw_transformed(
    canvas: &mut Canvas,
    node: &RenderNode,
    bs: &BoxStyle,
    origin: (f32, f32),
    mask: Option<&Mask>,
    rtl: bool,
) {
    let cx = origin.0 + node.frame.x + node.frame.width / 2.0;
    let cy = origin.1 + node.frame.y + node.frame.height / 2.0;
    let Some(in_points) = box_style::transform(&node.style, cx, cy) else {
        draw_opaque(canvas, node, bs, origin, mask, rtl);
        return;
    };
    // The canvas draws in device pixels: conjugate the point-space transform by the scale.
    let s = canvas.scale;
    let in_pixels = Transform::from_scale(s, s)
        .pre_concat(in_points)
        .pre_scale(1.0 / s, 1.0 / s);
    let previous = canvas.transform;
    canvas.transform = previous.pre_concat(in_pixels);
    draw_opaque(canvas, node, bs, origin, mask, rtl);
    canvas.transform = previous;
}

fn draw_opaque(
    canvas: &mut Canvas,
    node: &RenderNode,
    bs: &BoxStyle,
    origin: (f32, f32),
    mask: Option<&Mask>,
    rtl: bool,
) {
    let area = Area {
        x: origin.0 + node.frame.x,
        y: origin.1 + node.frame.y,
        w: node.frame.width,
        h: node.frame.height,
    };
    if let Some(shadow) = &bs.shadow {
        let cover = bs.background.filter(|b| b.a == 255).map(|_| area);
        canvas.shadow(
            area,
            bs.radii,
            shadow.color,
            shadow.offset,
            shadow.blur,
            cover,
            mask,
        );
    }
    if let Some(bg) = bs.background {
        canvas.fill(area, bs.radii, bg, mask);
    }
    let [bl, bt, br, bb] = bs.border_widths;
    let [pl, pt, pr, pbm] = bs.padding;
    let content_box = area.inset(bl + pl, bt + pt, br + pr, bb + pbm);
    match &node.content {
        Content::None => {}
        Content::Text { text, span_colors } => {
            draw_text(canvas, node, text, span_colors, content_box, mask, rtl)
        }
        Content::Image { label } => {
            draw_image_placeholder(canvas, area, bs, label.as_deref(), mask)
        }
        Content::Bitmap {
            bytes,
            scale,
            mode,
            label,
        } => draw_bitmap(
            canvas,
            area,
            bs,
            bytes,
            *scale,
            *mode,
            label.as_deref(),
            mask,
        ),
        Content::Snapshot { png, size } => {
            let covered = match size {
                Some((w, h)) => Area {
                    w: w.min(area.w),
                    h: h.min(area.h),
                    ..area
                },
                None => area,
            };
            draw_snapshot(canvas, covered, bs, png, mask)
        }
    }
    let uniform = bs.border_widths.iter().all(|w| *w == bs.border_widths[0])
        && bs.border_colors.iter().all(|c| *c == bs.border_colors[0]);
    match box_style::border_dash(&node.style) {
        Some(dash) if uniform && bs.border_widths[0] > 0.0 => canvas.dashed_border(
            area,
            bs.radii,
            bs.border_widths[0],
            bs.border_colors[0],
            dash,
            mask,
        ),
        _ => canvas.border(area, bs.radii, bs.border_widths, bs.border_colors, mask),
    }

    // A clip costs a full-size mask: build one only when something would be cut.
    let clip =
        if bs.clips && !subtree_within(&node.children, (area.x, area.y), safe_inner(area, bs)) {
            canvas.clip(area, bs.radii, mask)
        } else {
            None
        };
    let child_mask = clip.as_ref().or(mask);
    let mut order: Vec<&RenderNode> = node.children.iter().collect();
    order.sort_by(|a, b| box_style::z_index(&a.style).total_cmp(&box_style::z_index(&b.style)));
    for child in order {
        crate::stack::deep(|| draw(canvas, child, (area.x, area.y), child_mask, rtl));
    }
}

/// The part of `area` that its rounded corners certainly do not cut.
fn safe_inner(area: Area, bs: &BoxStyle) -> Area {
    let r = bs.radii.iter().copied().fold(0.0, f32::max) * (1.0 - std::f32::consts::FRAC_1_SQRT_2);
    area.inset(r, r, r, r)
}

/// Whether every visible descendant, with its shadow, lies inside `bounds` (absolute points).
fn subtree_within(children: &[RenderNode], origin: (f32, f32), bounds: Area) -> bool {
    const EPS: f32 = 0.01;
    children.iter().all(|c| {
        if box_style::hidden(&c.style) {
            return true;
        }
        let (x, y) = (origin.0 + c.frame.x, origin.1 + c.frame.y);
        let (mut x0, mut y0, mut x1, mut y1) = (x, y, x + c.frame.width, y + c.frame.height);
        if let Some(sh) = BoxStyle::read(&c.style).shadow {
            let reach = sh.blur * 0.5;
            x0 = x0.min(x0 + sh.offset.0 - reach);
            y0 = y0.min(y0 + sh.offset.1 - reach);
            x1 = x1.max(x1 + sh.offset.0 + reach);
            y1 = y1.max(y1 + sh.offset.1 + reach);
        }
        x0 >= bounds.x - EPS
            && y0 >= bounds.y - EPS
            && x1 <= bounds.x + bounds.w + EPS
            && y1 <= bounds.y + bounds.h + EPS
            && !c.style.contains_key("transform")
            && crate::stack::deep(|| subtree_within(&c.children, (x, y), bounds))
    })
}

fn draw_text(
    canvas: &mut Canvas,
    node: &RenderNode,
    text: &TextContent,
    span_colors: &[Option<String>],
    content_box: Area,
    mask: Option<&Mask>,
    rtl: bool,
) {
    let layout = layout_text(text, Some(content_box.w));
    let base = box_style::color(&node.style, "color").unwrap_or(Rgba::rgb(0, 0, 0));
    let align = box_style::text_align(&node.style, rtl);
    let width = content_box.w;
    // Text starts at the top of a Text; inputs and buttons centre their line vertically.
    let top = match node.component.as_str() {
        "TextInput" | "Button" => content_box.y + ((content_box.h - layout.height) / 2.0).max(0.0),
        _ => content_box.y,
    };
    canvas.text(
        &layout,
        (content_box.x, top),
        |line| match align {
            TextAlign::Left => 0.0,
            TextAlign::Center => (width - line) / 2.0,
            TextAlign::Right => width - line,
        },
        |span| {
            span_colors
                .get(span)
                .and_then(|c| c.as_deref())
                .and_then(parse_color)
                .unwrap_or(base)
        },
        mask,
    );
}

fn draw_image_placeholder(
    canvas: &mut Canvas,
    area: Area,
    bs: &BoxStyle,
    label: Option<&str>,
    mask: Option<&Mask>,
) {
    let clip = canvas.clip(area, bs.radii, mask);
    let clip = clip.as_ref().or(mask);
    if bs.background.is_none() {
        canvas.fill(area, bs.radii, Rgba::rgb(0xe5, 0xe7, 0xeb), clip);
    }
    let stroke = Rgba::rgb(0xc4, 0xc9, 0xd2);
    canvas.line(
        (area.x, area.y),
        (area.x + area.w, area.y + area.h),
        1.0,
        stroke,
        clip,
    );
    canvas.line(
        (area.x + area.w, area.y),
        (area.x, area.y + area.h),
        1.0,
        stroke,
        clip,
    );
    draw_label(
        canvas,
        area,
        label.unwrap_or("Image"),
        12.0,
        Rgba::rgb(0x6b, 0x72, 0x80),
        clip,
    );
}

fn draw_snapshot(canvas: &mut Canvas, area: Area, bs: &BoxStyle, png: &[u8], mask: Option<&Mask>) {
    let Ok(image) = Pixmap::decode_png(png) else {
        draw_image_placeholder(canvas, area, bs, Some("snapshot unreadable"), mask);
        return;
    };
    let s = canvas.scale;
    let sx = area.w * s / image.width() as f32;
    let sy = area.h * s / image.height() as f32;
    let transform = canvas.transform.pre_concat(Transform::from_row(
        sx,
        0.0,
        0.0,
        sy,
        area.x * s,
        area.y * s,
    ));
    let paint = PixmapPaint {
        quality: FilterQuality::Bilinear,
        ..PixmapPaint::default()
    };
    canvas
        .pixmap
        .draw_pixmap(0, 0, image.as_ref(), &paint, transform, mask);
}

#[allow(clippy::too_many_arguments)]
fn draw_bitmap(
    canvas: &mut Canvas,
    area: Area,
    bs: &BoxStyle,
    bytes: &[u8],
    scale: f32,
    mode: crate::bitmap::ResizeMode,
    label: Option<&str>,
    mask: Option<&Mask>,
) {
    let image = match crate::bitmap::decode_bitmap(bytes) {
        Ok(image) => image,
        Err(e) => {
            let text = format!("{} ({e})", label.unwrap_or("Image"));
            draw_image_placeholder(canvas, area, bs, Some(&text), mask);
            return;
        }
    };
    let scale = if scale.is_finite() && scale > 0.0 {
        scale
    } else {
        1.0
    };
    let natural = (image.width() as f32 / scale, image.height() as f32 / scale);
    // Images clip to their frame and its rounded corners (React Native's Image does).
    let clip = canvas.clip(area, bs.radii, mask);
    let clip = clip.as_ref().or(mask);
    let (x, y, w, h) = mode.place(natural, (area.w, area.h));
    let mut tiles = vec![(x, y)];
    if mode == crate::bitmap::ResizeMode::Repeat && w > 0.0 && h > 0.0 {
        tiles.clear();
        let (cols, rows) = ((area.w / w).ceil() as u32, (area.h / h).ceil() as u32);
        for r in 0..rows.min(512) {
            for c in 0..cols.min(512) {
                tiles.push((c as f32 * w, r as f32 * h));
            }
        }
    }
    let s = canvas.scale;
    let paint = PixmapPaint {
        quality: FilterQuality::Bicubic,
        ..PixmapPaint::default()
    };
    for (tx, ty) in tiles {
        let transform = canvas.transform.pre_concat(Transform::from_row(
            w * s / image.width() as f32,
            0.0,
            0.0,
            h * s / image.height() as f32,
            (area.x + tx) * s,
            (area.y + ty) * s,
        ));
        canvas
            .pixmap
            .draw_pixmap(0, 0, image.as_ref(), &paint, transform, clip);
    }
}

/// A one-line label centred in `area`, shrunk to fit its width.
pub(crate) fn draw_label(
    canvas: &mut Canvas,
    area: Area,
    label: &str,
    max_size: f32,
    color: Rgba,
    mask: Option<&Mask>,
) {
    let mut style = hivesync_frames::TextStyle {
        face: LABEL_FACE,
        font_size: max_size,
        ..Default::default()
    };
    let content = |style| TextContent {
        spans: vec![hivesync_frames::TextSpan {
            text: label.to_string(),
            style,
        }],
        number_of_lines: Some(1),
    };
    let natural = layout_text(&content(style), None);
    let room = (area.w - 8.0).max(1.0);
    if natural.width > room {
        style.font_size = (max_size * room / natural.width).max(6.0);
    }
    let layout = layout_text(&content(style), Some(room));
    let origin = (
        area.x + (area.w - layout.width) / 2.0,
        area.y + (area.h - layout.height) / 2.0,
    );
    canvas.text(&layout, origin, |_| 0.0, |_| color, mask);
}

impl RenderNode {
    /// Builds a render tree from the JSON node form of `hivesync_frames::FrameNode::from_json`
    /// (plus `"type"` for the component name and `"image": {"label": ...}` for image
    /// placeholders), laying it out in `viewport` first.
    pub fn from_json_laid_out(
        value: &Value,
        viewport: Viewport,
    ) -> Result<RenderNode, RenderError> {
        let tree =
            FrameNode::from_json(value).map_err(|e| RenderError::InvalidInput(e.to_string()))?;
        let frames = compute_frames(&tree, viewport)
            .map_err(|e| RenderError::InvalidInput(e.to_string()))?;
        let mut next = 0;
        Ok(zip(value, &tree, &frames, &mut next))
    }
}

fn zip(value: &Value, node: &FrameNode, frames: &[Frame], next: &mut usize) -> RenderNode {
    let frame = frames[*next];
    *next += 1;
    let (component, content) = if let Some(text) = &node.text {
        let colors = match value.get("text") {
            Some(Value::Array(spans)) => spans
                .iter()
                .map(|s| {
                    s.get("style")
                        .and_then(|st| st.get("color"))
                        .and_then(Value::as_str)
                        .map(str::to_string)
                })
                .collect(),
            _ => vec![None],
        };
        (
            "Text",
            Content::Text {
                text: text.clone(),
                span_colors: colors,
            },
        )
    } else if let Some(image) = value.get("image") {
        (
            "Image",
            Content::Image {
                label: image
                    .get("label")
                    .and_then(Value::as_str)
                    .map(str::to_string),
            },
        )
    } else {
        ("View", Content::None)
    };
    let component = value
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or(component)
        .to_string();
    let children = match value.get("children").and_then(Value::as_array) {
        Some(values) if node.text.is_none() && node.measured.is_none() => values
            .iter()
            .zip(&node.children)
            .map(|(v, n)| crate::stack::deep(|| zip(v, n, frames, next)))
            .collect(),
        _ => {
            // Children of text/measured leaves have no frames of their own; skip their slots.
            *next += count(node) - 1;
            Vec::new()
        }
    };
    RenderNode {
        component,
        style: node.style.clone(),
        frame,
        content,
        children,
    }
}

fn count(node: &FrameNode) -> usize {
    1 + node
        .children
        .iter()
        .map(|c| crate::stack::deep(|| count(c)))
        .sum::<usize>()
}
