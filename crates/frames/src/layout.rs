//! [`compute_frames`]: a [`FrameNode`] tree into the layout engine, laid out, and every frame
//! out again, rounded to the device's pixel grid as Yoga rounds.

use hivesync_cancel::Cancel;
use taffy::prelude::*;
use taffy::style::Direction;
use taffy::{Cache, Layout};

use crate::engine::{self, Engine, EngineNode, Measure};
use crate::stack::deep;
use crate::tree::{Frame, FrameNode, FramesError, Viewport};
use crate::{rn_style, rounding};

/// Yoga sizes a flex item with an aspect ratio and a main-axis size through the ratio even
/// when its cross-axis size is set too (CSS ignores the ratio then): drop the cross size.
fn ratio_over_cross_size(style: &mut taffy::Style, parent: &taffy::Style) {
    let row_parent = matches!(
        parent.flex_direction,
        FlexDirection::Row | FlexDirection::RowReverse
    );
    let (main, cross) = if row_parent {
        (style.size.width, &mut style.size.height)
    } else {
        (style.size.height, &mut style.size.width)
    };
    let sized = |d: Dimension| !d.is_auto() && !d.is_sizing_keyword();
    if style.aspect_ratio.is_some()
        && style.position != taffy::style::Position::Absolute
        && sized(main)
        && sized(*cross)
    {
        *cross = Dimension::auto();
    }
}

/// Adds `node` and its subtree to the engine in pre-order and appends the engine nodes that its
/// parent lays out to `attach` (the node itself, or its children when it is `display: contents`).
fn build(
    node: &FrameNode,
    parent: Option<usize>,
    parent_direction: Direction,
    engine: &mut Engine,
    attach: &mut Vec<usize>,
) {
    let direction = rn_style::resolve_direction(&node.style, parent_direction);
    let index = engine.nodes.len();
    let measure = match (&node.text, node.measured) {
        (Some(text), _) => Some(Measure::Text(text.clone())),
        (None, Some((w, h))) => Some(Measure::Fixed(Size {
            width: w,
            height: h,
        })),
        (None, None) => None,
    };
    let is_leaf = measure.is_some();
    // A `display: contents` node has no box: its children are laid out as its parent's, and
    // its own frame stays zero, as in Yoga.
    let contents = !is_leaf && parent.is_some() && rn_style::is_display_contents(&node.style);
    let mut style = rn_style::to_taffy(&node.style, direction);
    if contents {
        style.display = Display::None;
    }
    if let Some(parent) = parent {
        ratio_over_cross_size(&mut style, &engine.nodes[parent].style);
    }

    engine.nodes.push(EngineNode {
        style,
        measure,
        children: Vec::new(),
        parent,
        cache: Cache::new(),
        layout: Layout::with_order(0),
        inner_main: None,
        bases_fixed: false,
    });
    engine.auto_insets.push(rn_style::auto_insets(&node.style));
    let child_parent = if contents { parent } else { Some(index) };
    let mut children = Vec::with_capacity(node.children.len());
    for child in &node.children {
        deep(|| build(child, child_parent, direction, engine, &mut children));
    }
    if contents {
        attach.extend(children);
    } else {
        if !is_leaf {
            engine.nodes[index].children = children;
        }
        attach.push(index);
    }
}

/// Lays out `root` in `viewport` and returns every node's frame in pre-order (the root first,
/// then each child's subtree in order), rounded as Yoga rounds at `viewport.scale`.
///
/// Children of a Text node (`text` set) and of a `measured` node are not laid out: their frames
/// are zero, as nested Text spans have no frames of their own in React Native.
pub fn compute_frames(root: &FrameNode, viewport: Viewport) -> Result<Vec<Frame>, FramesError> {
    compute_frames_cancellable(root, viewport, &Cancel::new())
}

/// [`compute_frames`], stopping with [`FramesError::Cancelled`] soon after `cancel` is.
pub fn compute_frames_cancellable(
    root: &FrameNode,
    viewport: Viewport,
    cancel: &Cancel,
) -> Result<Vec<Frame>, FramesError> {
    Ok(compute_layout(root, viewport, cancel)?
        .into_iter()
        .map(|(frame, _)| frame)
        .collect())
}

/// A node's frame and, for a laid-out leaf, its measure answer (width, height).
pub type LaidOut = (Frame, Option<(f32, f32)>);

/// Every node's frame in pre-order as [`compute_frames`] gives it, with each laid-out leaf's
/// (text or `measured` node's) measure answer: the content size (without padding and border)
/// a fixed measure function answers to reproduce the frame ([`measure_answer`]).
pub fn compute_layout(
    root: &FrameNode,
    viewport: Viewport,
    cancel: &Cancel,
) -> Result<Vec<LaidOut>, FramesError> {
    if !(viewport.scale.is_finite() && viewport.scale > 0.0) {
        return Err(FramesError::InvalidScale(viewport.scale));
    }
    let mut engine = Engine {
        nodes: Vec::new(),
        root_width_max_content: false,
        root_avail_inner: Size::NONE,
        auto_insets: Vec::new(),
        cancel: cancel.clone(),
        layout_calls: 0,
        cancelled: false,
    };
    build(root, None, Direction::Ltr, &mut engine, &mut Vec::new());
    engine::root::layout_root(&mut engine, viewport);
    if engine.cancelled {
        return Err(FramesError::Cancelled);
    }
    let mut frames = Vec::with_capacity(engine.nodes.len());
    collect(
        root,
        &engine,
        &mut 0,
        (0.0, 0.0),
        f64::from(viewport.scale),
        true,
        &mut frames,
    );
    Ok(frames)
}

/// The size a fixed measure function must answer for a leaf so that Yoga lays it out as it
/// was laid out here. A fixed size is what it is. Text that fits its final content width on
/// its lines answers its natural size (so a flex basis or `alignSelf` sees the text, not the
/// stretched box); text that needed the width it got (wrapped, cut or shrunk to it) answers
/// that width with its height there.
fn measure_answer(node: &FrameNode, layout: &taffy::Layout) -> (f32, f32) {
    let (p, b) = (layout.padding, layout.border);
    let content_width = (layout.size.width - p.left - p.right - b.left - b.right).max(0.0);
    match (&node.text, node.measured) {
        (Some(text), _) => {
            let natural = crate::text::layout_text(text, None);
            if natural.width <= content_width + 0.001 {
                (natural.width, natural.height)
            } else {
                let there = crate::text::layout_text(text, Some(content_width));
                (content_width, there.height)
            }
        }
        (None, Some(size)) => size,
        (None, None) => (content_width, 0.0),
    }
}

fn collect(
    node: &FrameNode,
    engine: &Engine,
    next: &mut usize,
    parent_abs: (f64, f64),
    scale: f64,
    laid_out: bool,
    out: &mut Vec<LaidOut>,
) {
    let id = *next;
    *next += 1;
    let is_leaf = node.text.is_some() || node.measured.is_some();
    let content = (laid_out && is_leaf).then(|| measure_answer(node, &engine.nodes[id].layout));
    let (frame, abs) = if laid_out {
        let l = &engine.nodes[id].layout;
        let raw = rounding::RawBox {
            left: f64::from(l.location.x),
            top: f64::from(l.location.y),
            width: f64::from(l.size.width),
            height: f64::from(l.size.height),
        };
        let (r, abs) = rounding::round_box(raw, parent_abs, scale, is_leaf);
        (
            Frame {
                x: r.left as f32,
                y: r.top as f32,
                width: r.width as f32,
                height: r.height as f32,
            },
            abs,
        )
    } else {
        (Frame::default(), parent_abs)
    };
    out.push((frame, content));
    for child in &node.children {
        deep(|| collect(child, engine, next, abs, scale, laid_out && !is_leaf, out));
    }
}
