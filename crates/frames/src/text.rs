//! Text measurement and line breaking with the bundled font (Roboto, Apache-2.0), or with a
//! font the app loads when a style's `fontFamily` names one of the document's ([`crate::fonts`]).
//!
//! The same [`layout_text`] result sizes a Text node during layout and places its glyphs when a
//! screen is rendered, so the pixels always fit the frame. Devices use their system fonts (SF Pro
//! on iOS, Roboto on Android), so widths on a phone differ slightly from ours; see docs/frames.md.

use std::sync::OnceLock;

use serde_json::{Map, Value};
use ttf_parser::{Face, GlyphId};

use crate::fonts::{FontSet, loaded_face};
use crate::rn_style::number;

static REGULAR_TTF: &[u8] = include_bytes!("../fonts/Roboto-Regular.ttf");
static BOLD_TTF: &[u8] = include_bytes!("../fonts/Roboto-Bold.ttf");

/// React Native's default font size, in points.
pub const DEFAULT_FONT_SIZE: f32 = 14.0;

/// A font face: one of the bundled ones, or a font the app loads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FontFace {
    /// Roboto Regular: `fontWeight` normal, 100-500.
    Regular,
    /// Roboto Bold: `fontWeight` bold, 600-900.
    Bold,
    /// A font file of the request ([`crate::fonts::load_face`]).
    Loaded(u16),
}

/// The parsed face (the bundled ones parsed once per process).
pub fn font_face(face: FontFace) -> &'static Face<'static> {
    static REGULAR: OnceLock<Face<'static>> = OnceLock::new();
    static BOLD: OnceLock<Face<'static>> = OnceLock::new();
    let (cell, bytes) = match face {
        FontFace::Regular => (&REGULAR, REGULAR_TTF),
        FontFace::Bold => (&BOLD, BOLD_TTF),
        // Only `load_face` makes these, so the index is always there.
        FontFace::Loaded(i) => {
            return loaded_face(i).unwrap_or_else(|| font_face(FontFace::Regular));
        }
    };
    cell.get_or_init(|| Face::parse(bytes, 0).expect("bundled font parses"))
}

/// The typographic properties of a run of text, read from a React Native style map.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TextStyle {
    /// `fontSize` in points (default 14).
    pub font_size: f32,
    /// `lineHeight` in points; `None` uses the font's natural line height.
    pub line_height: Option<f32>,
    /// The face `fontFamily` and `fontWeight` select.
    pub face: FontFace,
    /// `letterSpacing` in points, added after every character.
    pub letter_spacing: f32,
    /// `fontStyle: italic` (drawn slanted; it does not change measurement).
    pub italic: bool,
}

impl Default for TextStyle {
    fn default() -> Self {
        Self {
            font_size: DEFAULT_FONT_SIZE,
            line_height: None,
            face: FontFace::Regular,
            letter_spacing: 0.0,
            italic: false,
        }
    }
}

impl TextStyle {
    /// Reads `fontSize`, `lineHeight`, `fontFamily`, `fontWeight` and `letterSpacing` from
    /// `style`; anything missing is inherited from `parent` (nested Text spans inherit like
    /// React Native's). A `fontFamily` of `fonts` selects its face nearest the weight; any
    /// other family the bundled face of the weight.
    pub fn from_style(
        style: &Map<String, Value>,
        parent: &TextStyle,
        fonts: &FontSet,
    ) -> TextStyle {
        let weight: Option<u16> = match style.get("fontWeight") {
            Some(Value::String(w)) => match w.as_str() {
                "bold" => Some(700),
                "normal" => Some(400),
                w => w.parse().ok().filter(|w| (1..=1000).contains(w)),
            },
            Some(Value::Number(n)) => n.as_f64().map(|w| w.clamp(1.0, 1000.0) as u16),
            _ => None,
        };
        let italic = match style.get("fontStyle").and_then(Value::as_str) {
            Some("italic") => true,
            Some("normal") => false,
            _ => parent.italic,
        };
        let bundled = match weight {
            Some(w) if w >= 600 => FontFace::Bold,
            Some(_) => FontFace::Regular,
            None => parent.face,
        };
        let face = style
            .get("fontFamily")
            .and_then(Value::as_str)
            .and_then(|family| {
                let w = weight.unwrap_or(if bundled == FontFace::Bold { 700 } else { 400 });
                fonts.resolve(family, w, italic)
            })
            .unwrap_or(bundled);
        TextStyle {
            font_size: style
                .get("fontSize")
                .and_then(number)
                .filter(|s| *s > 0.0)
                .unwrap_or(parent.font_size),
            line_height: style
                .get("lineHeight")
                .and_then(number)
                .filter(|h| *h > 0.0)
                .or(parent.line_height),
            face,
            letter_spacing: style
                .get("letterSpacing")
                .and_then(number)
                .unwrap_or(parent.letter_spacing),
            italic,
        }
    }

    /// The font's natural line height (ascender - descender + line gap) at this size.
    pub fn natural_line_height(&self) -> f32 {
        let f = font_face(self.face);
        let units = f.ascender() as f32 - f.descender() as f32 + f.line_gap() as f32;
        units / f.units_per_em() as f32 * self.font_size
    }

    /// The line box height: `lineHeight` if set, else the natural one.
    pub fn line_box_height(&self) -> f32 {
        self.line_height
            .unwrap_or_else(|| self.natural_line_height())
    }

    /// Distance from the top of the natural line box to the baseline.
    pub fn ascent(&self) -> f32 {
        let f = font_face(self.face);
        f.ascender() as f32 / f.units_per_em() as f32 * self.font_size
    }
}

/// A run of text with one style (a Text or a nested Text span).
#[derive(Clone, Debug, PartialEq)]
pub struct TextSpan {
    /// The characters; `\n` is a hard line break.
    pub text: String,
    /// Its typography.
    pub style: TextStyle,
}

/// The text content of a Text node: its spans in order and `numberOfLines`.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct TextContent {
    /// Spans in reading order (nested Text children flattened).
    pub spans: Vec<TextSpan>,
    /// `numberOfLines`: at most this many lines, the last one ending in an ellipsis when cut.
    pub number_of_lines: Option<u32>,
}

impl TextContent {
    /// A single span of text.
    pub fn plain(text: impl Into<String>, style: TextStyle) -> Self {
        Self {
            spans: vec![TextSpan {
                text: text.into(),
                style,
            }],
            number_of_lines: None,
        }
    }
}

/// A glyph placed on a line: `x` from the line's start, on the line's baseline.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PositionedGlyph {
    /// Glyph id in `face`.
    pub glyph: u16,
    /// The bundled face it comes from.
    pub face: FontFace,
    /// Font size in points.
    pub font_size: f32,
    /// Horizontal position from the start of the line, in points.
    pub x: f32,
    /// Index of the span it comes from.
    pub span: usize,
    /// Whether it is drawn slanted (`fontStyle: italic`).
    pub italic: bool,
}

/// One laid-out line.
#[derive(Clone, Debug, PartialEq)]
pub struct TextLine {
    /// Its glyphs, left to right.
    pub glyphs: Vec<PositionedGlyph>,
    /// Advance width without trailing spaces, in points.
    pub width: f32,
    /// Top of the line box from the top of the text, in points.
    pub top: f32,
    /// Baseline from the top of the text, in points.
    pub baseline: f32,
    /// Height of the line box.
    pub height: f32,
}

/// Text broken into lines.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct TextLayout {
    /// The lines, top to bottom.
    pub lines: Vec<TextLine>,
    /// Width of the widest line.
    pub width: f32,
    /// Sum of the line heights.
    pub height: f32,
    /// Whether `numberOfLines` cut the text.
    pub truncated: bool,
}

#[derive(Clone, Copy)]
struct Item {
    ch: char,
    glyph: u16,
    advance: f32,
    span: usize,
}

fn shape(content: &TextContent) -> Vec<Item> {
    let mut items = Vec::new();
    for (span_index, span) in content.spans.iter().enumerate() {
        let style = &span.style;
        let face = font_face(style.face);
        let scale = style.font_size / face.units_per_em() as f32;
        for ch in span.text.chars() {
            let ch = if ch == '\t' { ' ' } else { ch };
            let glyph = face
                .glyph_index(ch)
                .or_else(|| face.glyph_index('\u{FFFD}'))
                .unwrap_or(GlyphId(0));
            let advance = if ch == '\n' {
                0.0
            } else {
                face.glyph_hor_advance(glyph).unwrap_or(0) as f32 * scale + style.letter_spacing
            };
            items.push(Item {
                ch,
                glyph: glyph.0,
                advance,
                span: span_index,
            });
        }
    }
    items
}

/// Index ranges of the lines, breaking at spaces (and inside a word only when it alone is wider
/// than `max_width`).
fn break_lines(items: &[Item], max_width: Option<f32>) -> Vec<(usize, usize)> {
    let mut lines = Vec::new();
    let mut start = 0;
    let mut i = 0;
    // Width of the line so far, up to the last break opportunity and including it.
    let mut line_width = 0.0f32;
    // Tiny tolerance so that text measured at max-content fits again at its own width.
    let limit = max_width.map(|w| w + 0.001);
    while i < items.len() {
        if items[i].ch == '\n' {
            lines.push((start, i));
            i += 1;
            start = i;
            line_width = 0.0;
            continue;
        }
        if items[i].ch == ' ' {
            line_width += items[i].advance;
            i += 1;
            continue;
        }
        // A word: items up to the next space or newline.
        let word_end = items[i..]
            .iter()
            .position(|it| it.ch == ' ' || it.ch == '\n')
            .map_or(items.len(), |p| i + p);
        let word_width: f32 = items[i..word_end].iter().map(|it| it.advance).sum();
        match limit {
            Some(limit) if line_width + word_width > limit => {
                if i > start {
                    // Wrap before this word (trailing spaces stay on the previous line).
                    lines.push((start, i));
                    start = i;
                    line_width = 0.0;
                    continue;
                }
                // The word alone is too wide: break it between characters.
                let mut w = 0.0;
                let mut j = i;
                while j < word_end && (j == i || w + items[j].advance <= limit) {
                    w += items[j].advance;
                    j += 1;
                }
                if j < word_end {
                    lines.push((start, j));
                    start = j;
                    i = j;
                    line_width = 0.0;
                } else {
                    line_width = w;
                    i = word_end;
                }
            }
            _ => {
                line_width += word_width;
                i = word_end;
            }
        }
    }
    lines.push((start, items.len()));
    lines
}

fn trimmed_width(items: &[Item]) -> f32 {
    let end = items
        .iter()
        .rposition(|it| it.ch != ' ' && it.ch != '\n')
        .map_or(0, |p| p + 1);
    items[..end].iter().map(|it| it.advance).sum()
}

/// The widest unbreakable word: the text's min-content width.
pub fn min_content_width(content: &TextContent) -> f32 {
    let items = shape(content);
    items
        .split(|it| it.ch == ' ' || it.ch == '\n')
        .map(|w| w.iter().map(|it| it.advance).sum::<f32>())
        .fold(0.0, f32::max)
}

/// Breaks `content` into lines no wider than `max_width` (`None`: only hard breaks), applying
/// `numberOfLines` with a trailing ellipsis.
pub fn layout_text(content: &TextContent, max_width: Option<f32>) -> TextLayout {
    let mut items = shape(content);
    let mut ranges = break_lines(&items, max_width);
    let mut truncated = false;
    if let Some(n) = content
        .number_of_lines
        .filter(|n| *n > 0)
        .map(|n| n as usize)
        && ranges.len() > n
    {
        ranges.truncate(n);
        truncated = true;
        // Cut the last line until it and an ellipsis fit, then append the ellipsis.
        let (s, mut e) = ranges[n - 1];
        let span = items[s..e].last().or(items.get(s)).map_or(0, |it| it.span);
        let style = content
            .spans
            .get(span)
            .map(|sp| sp.style)
            .unwrap_or_default();
        let face = font_face(style.face);
        let glyph = face.glyph_index('\u{2026}').unwrap_or(GlyphId(0));
        let advance = face.glyph_hor_advance(glyph).unwrap_or(0) as f32 * style.font_size
            / face.units_per_em() as f32
            + style.letter_spacing;
        let ellipsis = Item {
            ch: '\u{2026}',
            glyph: glyph.0,
            advance,
            span,
        };
        if let Some(w) = max_width {
            while e > s && trimmed_width(&items[s..e]) + advance > w + 0.001 {
                e -= 1;
            }
        }
        while e > s && items[e - 1].ch == ' ' {
            e -= 1;
        }
        items.insert(e, ellipsis);
        ranges[n - 1] = (s, e + 1);
    }

    let mut layout = TextLayout {
        truncated,
        ..TextLayout::default()
    };
    let mut top = 0.0f32;
    for (s, e) in ranges {
        let line_items = &items[s..e];
        let span_styles = || {
            let spans: Vec<usize> = if line_items.is_empty() {
                vec![
                    items
                        .get(s.min(items.len().saturating_sub(1)))
                        .map_or(0, |it| it.span),
                ]
            } else {
                line_items.iter().map(|it| it.span).collect()
            };
            spans
                .into_iter()
                .map(|i| content.spans.get(i).map(|sp| sp.style).unwrap_or_default())
        };
        let height = span_styles()
            .map(|st| st.line_box_height())
            .fold(0.0, f32::max);
        // Baseline: the tallest span's ascent, placed so that the natural box is centred in the line box.
        let baseline = span_styles()
            .map(|st| (st.line_box_height() - st.natural_line_height()) / 2.0 + st.ascent())
            .fold(0.0, f32::max);
        let mut x = 0.0;
        let mut glyphs = Vec::with_capacity(line_items.len());
        for it in line_items {
            if it.ch != '\n' {
                let st = content
                    .spans
                    .get(it.span)
                    .map(|sp| sp.style)
                    .unwrap_or_default();
                glyphs.push(PositionedGlyph {
                    glyph: it.glyph,
                    face: st.face,
                    font_size: st.font_size,
                    x,
                    span: it.span,
                    italic: st.italic,
                });
            }
            x += it.advance;
        }
        let width = trimmed_width(line_items);
        layout.width = layout.width.max(width);
        layout.lines.push(TextLine {
            glyphs,
            width,
            top,
            baseline: top + baseline,
            height,
        });
        top += height;
    }
    layout.height = top;
    layout
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn text(s: &str) -> TextContent {
        TextContent::plain(s, TextStyle::default())
    }

    #[test]
    fn bundled_faces_parse_and_bold_is_wider() {
        let regular = layout_text(&text("Hello world"), None).width;
        let mut bold = text("Hello world");
        bold.spans[0].style.face = FontFace::Bold;
        let bold = layout_text(&bold, None).width;
        assert!(regular > 50.0 && regular < 100.0, "{regular}");
        assert!(bold > regular);
    }

    #[test]
    fn size_scales_with_font_size_and_line_height_sets_height() {
        let small = layout_text(&text("Hello"), None);
        let mut big = text("Hello");
        big.spans[0].style.font_size = 28.0;
        let big = layout_text(&big, None);
        assert!((big.width - 2.0 * small.width).abs() < 0.01);
        assert!(
            (small.height - 14.0 * 1.1719).abs() < 0.1,
            "{}",
            small.height
        );
        let mut tall = text("Hello");
        tall.spans[0].style.line_height = Some(30.0);
        assert_eq!(layout_text(&tall, None).height, 30.0);
    }

    #[test]
    fn letter_spacing_adds_per_character() {
        let plain = layout_text(&text("abcd"), None).width;
        let mut spaced = text("abcd");
        spaced.spans[0].style.letter_spacing = 2.0;
        // Trailing spacing after the last character counts too, as on Android.
        assert!((layout_text(&spaced, None).width - plain - 8.0).abs() < 0.01);
    }

    #[test]
    fn wraps_at_spaces_within_the_width() {
        let content = text("one two three four five six");
        let one_line = layout_text(&content, None);
        assert_eq!(one_line.lines.len(), 1);
        let wrapped = layout_text(&content, Some(one_line.width / 2.0));
        assert!(wrapped.lines.len() >= 2);
        assert!(wrapped.width <= one_line.width / 2.0 + 0.01);
        assert!(
            (wrapped.height
                - wrapped.lines.len() as f32 * TextStyle::default().natural_line_height())
            .abs()
                < 0.01
        );
        // Measured at its own max-content width it stays on one line.
        assert_eq!(layout_text(&content, Some(one_line.width)).lines.len(), 1);
    }

    #[test]
    fn long_words_break_between_characters_and_min_content_is_the_widest_word() {
        let content = text("a supercalifragilistic b");
        let min = min_content_width(&content);
        let word = layout_text(&text("supercalifragilistic"), None).width;
        assert!((min - word).abs() < 0.01);
        let narrow = layout_text(&content, Some(word / 3.0));
        assert!(narrow.lines.len() >= 4);
        assert!(narrow.width <= word / 3.0 + 0.01);
    }

    #[test]
    fn number_of_lines_truncates_with_an_ellipsis() {
        let mut content = text("one two three four five six seven eight nine ten");
        content.number_of_lines = Some(2);
        let l = layout_text(&content, Some(60.0));
        assert_eq!(l.lines.len(), 2);
        assert!(l.truncated);
        let ellipsis = font_face(FontFace::Regular)
            .glyph_index('\u{2026}')
            .unwrap()
            .0;
        assert_eq!(l.lines[1].glyphs.last().unwrap().glyph, ellipsis);
        assert!(l.lines[1].width <= 60.0);
    }

    #[test]
    fn hard_breaks_and_spans_with_their_own_sizes() {
        let content = TextContent {
            spans: vec![
                TextSpan {
                    text: "Big\n".into(),
                    style: TextStyle {
                        font_size: 30.0,
                        ..TextStyle::default()
                    },
                },
                TextSpan {
                    text: "small".into(),
                    style: TextStyle::default(),
                },
            ],
            number_of_lines: None,
        };
        let l = layout_text(&content, None);
        assert_eq!(l.lines.len(), 2);
        assert!(l.lines[0].height > l.lines[1].height);
    }

    #[test]
    fn style_maps_select_weight_and_inherit() {
        let parent = TextStyle {
            font_size: 20.0,
            ..TextStyle::default()
        };
        let s = TextStyle::from_style(
            json!({"fontWeight": "700", "letterSpacing": 1})
                .as_object()
                .unwrap(),
            &parent,
            &FontSet::bundled(),
        );
        assert_eq!(s.face, FontFace::Bold);
        assert_eq!(s.font_size, 20.0);
        assert_eq!(s.letter_spacing, 1.0);
        let s = TextStyle::from_style(
            json!({"fontWeight": 500, "fontSize": 12})
                .as_object()
                .unwrap(),
            &s,
            &FontSet::bundled(),
        );
        assert_eq!((s.face, s.font_size), (FontFace::Regular, 12.0));
    }
}
