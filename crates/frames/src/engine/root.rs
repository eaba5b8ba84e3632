//! The root, laid out as Yoga's `calculateLayout` does.

use taffy::geometry::Point;
use taffy::prelude::*;
use taffy::style::{BoxSizing, Direction, Position};
use taffy::{Layout, LayoutInput, RequestedAxis, RunMode, SizingMode};

use super::{Engine, definite, rect_sum_h, rect_sum_v, resolve, resolve_auto};

/// Lays out the root the way Yoga's `calculateLayout` does: a root without a width fills the
/// viewport width (less its margins), one with only `maxWidth` is sized "at most" that, and
/// without a viewport width it takes its content's width; likewise for the height.
pub(crate) fn layout_root(engine: &mut Engine, viewport: crate::tree::Viewport) {
    // Yoga resolves `aspectRatio` while a parent lays out its children, so the root's own
    // aspect ratio never applies.
    engine.nodes[0].style.aspect_ratio = None;
    let s = engine.nodes[0].style.clone();
    let owner = Size {
        width: viewport.width,
        height: viewport.height,
    };
    let margin = s
        .margin
        .map(|m| resolve_auto(m, owner.width).unwrap_or(0.0));
    let padding = s.padding.map(|p| resolve(p, owner.width));
    let border = s.border.map(|b| resolve(b, owner.width));
    let pb = Size {
        width: rect_sum_h(&padding) + rect_sum_h(&border),
        height: rect_sum_v(&padding) + rect_sum_v(&border),
    };
    let box_adjust = if s.box_sizing == BoxSizing::ContentBox {
        pb
    } else {
        Size::ZERO
    };
    let margins = Size {
        width: rect_sum_h(&margin),
        height: rect_sum_v(&margin),
    };

    // Per axis: (known border-box size, available space, Yoga's available inner size)
    let axis = |size: Dimension,
                min: LengthPercentageAuto,
                max: LengthPercentageAuto,
                owner: Option<f32>,
                margin: f32,
                pb: f32,
                adjust: f32|
     -> (Option<f32>, AvailableSpace, Option<f32>) {
        let bound = |v: f32| {
            let mut v = v;
            if let Some(mx) = resolve_auto(max, owner) {
                v = v.min(mx + adjust);
            }
            if let Some(mn) = resolve_auto(min, owner) {
                v = v.max(mn + adjust);
            }
            v.max(pb)
        };
        if let Some(v) = definite(size, owner) {
            let v = bound(v + adjust);
            (Some(v), AvailableSpace::Definite(v), Some(v - pb))
        } else if let Some(mx) = resolve_auto(max, owner) {
            let avail = mx + adjust - margin;
            (None, AvailableSpace::Definite(avail), Some(avail - pb))
        } else if let Some(o) = owner {
            let v = bound(o - margin);
            (Some(v), AvailableSpace::Definite(v), Some(v - pb))
        } else {
            (None, AvailableSpace::MaxContent, None)
        }
    };
    let (kw, aw, iw) = axis(
        s.size.width,
        s.min_size.width,
        s.max_size.width,
        owner.width,
        margins.width,
        pb.width,
        box_adjust.width,
    );
    let (kh, ah, ih) = axis(
        s.size.height,
        s.min_size.height,
        s.max_size.height,
        owner.height,
        margins.height,
        pb.height,
        box_adjust.height,
    );
    engine.root_width_max_content = matches!(aw, AvailableSpace::MaxContent);
    engine.root_avail_inner = Size {
        width: iw,
        height: ih,
    };

    let output = taffy::LayoutPartialTree::compute_child_layout(
        engine,
        NodeId::from(0usize),
        LayoutInput {
            run_mode: RunMode::PerformLayout,
            sizing_mode: SizingMode::InherentSize,
            axis: RequestedAxis::Both,
            known_dimensions: Size {
                width: kw,
                height: kh,
            },
            known_dimensions_are_definite: Size {
                width: kw.is_some(),
                height: kh.is_some(),
            },
            parent_size: owner,
            available_space: Size {
                width: aw,
                height: ah,
            },
            vertical_margins_are_collapsible: Line::FALSE,
        },
    );
    // Yoga places the root at its margins, plus its relative offsets.
    let rtl = s.direction == Direction::Rtl;
    let relative = |start: LengthPercentageAuto, end: LengthPercentageAuto, basis: Option<f32>| {
        if s.position == Position::Static {
            return 0.0;
        }
        resolve_auto(start, basis)
            .or_else(|| resolve_auto(end, basis).map(|v| -v))
            .unwrap_or(0.0)
    };
    let x_rel = if rtl {
        -relative(s.inset.right, s.inset.left, owner.width)
    } else {
        relative(s.inset.left, s.inset.right, owner.width)
    };
    let mut layout = Layout::with_order(0);
    layout.size = output.size;
    layout.location = Point {
        x: margin.left + x_rel,
        y: margin.top + relative(s.inset.top, s.inset.bottom, owner.height),
    };
    layout.margin = margin;
    layout.padding = padding;
    layout.border = border;
    engine.nodes[0].layout = layout;
}
