//! Frames: where every node of a React Native screen lands on a given device, as React Native's
//! Yoga would put it.
//!
//! The input is a tree of [`FrameNode`]s, each carrying a React Native style map (Yoga vocabulary:
//! `flexDirection`, `flex`, `width: "50%"`, `marginHorizontal`, `position: "absolute"`, ...) and,
//! for Text nodes, the text to measure with the bundled font. [`compute_frames`] lays the tree out
//! with taffy configured with Yoga's defaults and React Native's errata, then rounds every frame to
//! the device's pixel grid exactly as Yoga does. The differences between taffy and Yoga that this
//! crate closes, and those that remain, are listed in `docs/frames.md`.
//!
//! Pure library: no I/O, no async. [`layout_json`] maps a Layout JSON document (the
//! `hivesync-document` types) onto [`FrameNode`]s and writes the frames back into its nodes;
//! [`components`] is the table of what each core component measures and draws as, shared with
//! `hivesync-render`.
//!
//! Any depth of tree is laid out on any thread: the walks recurse once per level (taffy's
//! layout too), and grow the stack onto the heap when it runs low (`stack`). A [`Cancel`]
//! stops a layout early ([`compute_frames_cancellable`]).

pub mod components;
mod engine;
pub mod fonts;
mod layout;
pub mod layout_json;
mod rn_style;
pub mod rounding;
mod stack;
pub mod text;
mod tree;

pub use fonts::FontSet;
pub use hivesync_cancel::Cancel;
/// The built-in device profiles (`hivesync_document::DeviceProfile`), for [`Viewport::from`].
pub use hivesync_document::DeviceProfile;
pub use layout::{compute_frames, compute_frames_cancellable, compute_layout};
pub use text::{FontFace, TextContent, TextLayout, TextSpan, TextStyle, font_face, layout_text};
pub use tree::{Frame, FrameNode, FramesError, Viewport};
/// The font parser the bundled faces are exposed through (for drawing glyph outlines).
pub use ttf_parser;
