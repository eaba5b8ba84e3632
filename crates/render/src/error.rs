//! [`RenderError`]: why a PNG could not be produced.

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
