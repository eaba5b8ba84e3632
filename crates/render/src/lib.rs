//! Pixels for previews: snapshot PNGs for the nodes the device cannot render natively (icon
//! font glyphs, SVG pictures and gradients drawn for real; placeholders for maps, video,
//! Lottie, WebView, ...) and full-screen PNG renders of a laid-out tree, drawn with tiny-skia
//! (resvg for SVG), the bundled font of `hivesync-frames` and the icon fonts of
//! `hivesync-icons`.
//!
//! Pure library: no I/O, no async. It draws its own [`RenderNode`] tree (component, style map,
//! frame, content); [`layout_json`] builds that tree from a Layout JSON document (the
//! `hivesync-document` types) with frames, as `docs/frames.md` describes, and finalizes
//! documents (frames, snapshot PNGs, asset table).

pub mod bitmap;
mod box_style;
mod canvas;
pub mod color;
mod encoding;
mod error;
pub mod layout_json;
mod picture;
mod screen;
mod snapshot;
mod stack;

pub use bitmap::{BitmapError, ResizeMode, decode_bitmap};
pub use color::{Rgba, parse_color};
pub use error::RenderError;
pub use hivesync_frames::FontSet;
pub use picture::{PictureError, check_picture};
pub use screen::{Content, RenderNode, Screen, render_screen, render_screen_pixmap};
pub use snapshot::{Snapshot, SnapshotRequest, asset_id, render_snapshot};
/// The pixmap type of [`render_screen_pixmap`] (to sample pixels).
pub use tiny_skia::Pixmap;
