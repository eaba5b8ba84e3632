//! Pixels for previews: placeholder snapshot PNGs for the nodes the device cannot render
//! natively (maps, video, Lottie, WebView, ...) and full-screen PNG renders of a laid-out tree,
//! drawn with tiny-skia and the bundled font of `hivesync-frames`.
//!
//! Pure library: no I/O, no async. It draws its own [`RenderNode`] tree (component, style map,
//! frame, content); [`layout_json`] builds that tree from a Layout JSON document (the
//! `hivesync-document` types) with frames, as `docs/frames.md` describes, and finalizes
//! documents (frames, snapshot PNGs, asset table).

mod box_style;
mod canvas;
pub mod color;
mod encoding;
mod error;
pub mod layout_json;
pub mod bitmap;
mod screen;
mod snapshot;
mod stack;

pub use color::{Rgba, parse_color};
pub use error::RenderError;
pub use bitmap::{BitmapError, ResizeMode, decode_bitmap};
pub use screen::{Content, RenderNode, Screen, render_screen, render_screen_pixmap};
pub use snapshot::{Snapshot, SnapshotRequest, asset_id, render_snapshot};
/// The pixmap type of [`render_screen_pixmap`] (to sample pixels).
pub use tiny_skia::Pixmap;
