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
pub mod layout_json;
mod screen;
mod snapshot;

pub use color::{Rgba, parse_color};
pub use screen::{Content, RenderNode, Screen, render_screen, render_screen_pixmap};
pub use snapshot::{Snapshot, SnapshotRequest, asset_id, render_snapshot};
/// The pixmap type of [`render_screen_pixmap`] (to sample pixels).
pub use tiny_skia::Pixmap;

/// Why a PNG could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The requested image is empty, too large (over 16384 px a side) or has a bad scale.
    #[error("cannot render {width} x {height} pt at scale {scale}")]
    InvalidSize {
        /// Width in points.
        width: f32,
        /// Height in points.
        height: f32,
        /// Pixels per point.
        scale: f32,
    },
    /// A JSON tree could not be read or laid out.
    #[error("invalid render tree: {0}")]
    InvalidInput(String),
    /// PNG encoding failed.
    #[error("PNG encoding failed: {0}")]
    Png(String),
    /// The [`hivesync_frames::Cancel`] given was cancelled or its deadline passed.
    #[error("rendering cancelled")]
    Cancelled,
}

/// Below this much free stack, a walk over the tree continues on a new stack segment of
/// [`STACK_GROW`] bytes (heap memory, freed when the walk returns to the old one).
const STACK_RED_ZONE: usize = 256 * 1024;
const STACK_GROW: usize = 4 * 1024 * 1024;

/// Runs `f`, one level of a recursive walk, with at least [`STACK_RED_ZONE`] of stack: trees
/// can be as deep as they have nodes.
#[inline]
pub(crate) fn deep<R>(f: impl FnOnce() -> R) -> R {
    stacker::maybe_grow(STACK_RED_ZONE, STACK_GROW, f)
}
