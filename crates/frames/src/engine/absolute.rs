//! Yoga's absolute layout (`layoutAbsoluteDescendants`, `layoutAbsoluteChild`) with React
//! Native's errata, in place of taffy's CSS positioning of out-of-flow boxes.

use taffy::geometry::Point;
use taffy::prelude::*;
use taffy::style::{AlignContentKeyword, AlignItemsKeyword, BoxSizing, Direction, Position};
use taffy::{Layout, LayoutInput, LayoutPartialTree, RequestedAxis, RunMode, SizingMode};

use super::{Engine, Place, definite, flex_axes, rect_sum_h, rect_sum_v, resolve, resolve_auto};

impl Engine {
    pub(super) fn is_yoga_static(&self, i: usize) -> bool {
        self.nodes[i].style.position == Position::Static
    }

    /// Yoga's `availableInnerWidth/Height` of a containing block during its final layout.
    pub(super) fn avail_inner(
        &self,
        cb: usize,
        size: Size<f32>,
        inputs: &LayoutInput,
    ) -> Size<Option<f32>> {
        let node = &self.nodes[cb];
        let s = &node.style;
        let Some(parent) = node.parent else {
            return self.root_avail_inner;
        };
        let pw = inputs.parent_size.width;
        let padding = s.padding.map(|p| resolve(p, pw));
        let border = s.border.map(|b| resolve(b, pw));
        let inner = Size {
            width: size.width - rect_sum_h(&padding) - rect_sum_h(&border),
            height: size.height - rect_sum_v(&padding) - rect_sum_v(&border),
        };
        if s.position == Position::Absolute {
            return inner.map(Some);
        }
        let p = &self.nodes[parent].style;
        let axes = flex_axes(p);
        let align = s.align_self.unwrap_or(p.align_items).keyword;
        // Auto margins in the cross axis turn stretching off.
        let cross_margins = if axes.main_is_row {
            (s.margin.top, s.margin.bottom)
        } else {
            (s.margin.left, s.margin.right)
        };
        let stretched = align == AlignItemsKeyword::Stretch
            && !cross_margins.0.is_auto()
            && !cross_margins.1.is_auto();
        // Yoga lays a flex item out exactly in its main axis and when stretched or sized in its
        // cross axis; otherwise "at most" the parent's inner cross size.
        let cross_exact = |size_style: Dimension, basis: Option<f32>| {
            stretched || definite(size_style, basis).is_some()
        };
        let at_most = |avail: Option<f32>,
                       margin: f32,
                       pb: f32,
                       min: LengthPercentageAuto,
                       max: LengthPercentageAuto,
                       basis: Option<f32>| {
            avail.map(|a| {
                let mut v = a - margin - pb;
                if let Some(mx) = resolve_auto(max, basis) {
                    v = v.min(mx - pb);
                }
                if let Some(mn) = resolve_auto(min, basis) {
                    v = v.max(mn - pb);
                }
                v
            })
        };
        let margin = s.margin.map(|m| resolve_auto(m, pw).unwrap_or(0.0));
        let mut out = inner.map(Some);
        if axes.main_is_row {
            if !cross_exact(s.size.height, inputs.parent_size.height) {
                out.height = at_most(
                    inputs.parent_size.height,
                    rect_sum_v(&margin),
                    rect_sum_v(&padding) + rect_sum_v(&border),
                    s.min_size.height,
                    s.max_size.height,
                    inputs.parent_size.height,
                );
            }
        } else if !cross_exact(s.size.width, inputs.parent_size.width) {
            out.width = at_most(
                inputs.parent_size.width,
                rect_sum_h(&margin),
                rect_sum_h(&padding) + rect_sum_h(&border),
                s.min_size.width,
                s.max_size.width,
                inputs.parent_size.width,
            );
        }
        out
    }

    /// Yoga's `layoutAbsoluteDescendants`: lays out the absolute children of `current` and of its
    /// `static` descendants against the containing block `cb` (of border-box size `cb_size`).
    pub(super) fn layout_absolute_descendants(
        &mut self,
        cb: usize,
        cb_size: Size<f32>,
        current: usize,
        current_size: Size<f32>,
        offset: Point<f32>,
        percent_basis: Size<Option<f32>>,
    ) {
        let children = self.nodes[current].children.clone();
        for (order, child) in children.into_iter().enumerate() {
            let style = &self.nodes[child].style;
            if style.display == Display::None {
                continue;
            }
            if style.position == Position::Absolute {
                self.layout_absolute_child(
                    cb,
                    cb_size,
                    current,
                    current_size,
                    child,
                    order,
                    offset,
                    percent_basis,
                );
            } else if style.position == Position::Static && self.nodes[child].measure.is_none() {
                let l = self.nodes[child].layout;
                let offset = Point {
                    x: offset.x + l.location.x,
                    y: offset.y + l.location.y,
                };
                crate::stack::deep(|| {
                    self.layout_absolute_descendants(
                        cb,
                        cb_size,
                        child,
                        l.size,
                        offset,
                        percent_basis,
                    )
                });
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn layout_absolute_child(
        &mut self,
        cb: usize,
        cb_size: Size<f32>,
        parent: usize,
        parent_size: Size<f32>,
        child: usize,
        order: usize,
        parent_offset: Point<f32>,
        basis: Size<Option<f32>>,
    ) {
        let cs = self.nodes[child].style.clone();
        let ps = self.nodes[parent].style.clone();
        let cb_border = self.nodes[cb].style.border.map(|b| resolve(b, None));
        let parent_border = ps.border.map(|b| resolve(b, None));
        let (cbw, cbh) = (basis.width, basis.height);
        let margin = cs.margin.map(|m| resolve_auto(m, cbw).unwrap_or(0.0));
        let padding = cs.padding.map(|p| resolve(p, cbw));
        let border = cs.border.map(|b| resolve(b, cbw));
        let pb = Size {
            width: rect_sum_h(&padding) + rect_sum_h(&border),
            height: rect_sum_v(&padding) + rect_sum_v(&border),
        };
        let box_adjust = if cs.box_sizing == BoxSizing::ContentBox {
            pb
        } else {
            Size::ZERO
        };
        let (margin_row, margin_col) = (rect_sum_h(&margin), rect_sum_v(&margin));
        let inset = cs.inset.map(|i| if i.is_auto() { None } else { Some(i) });
        let bound = |v: f32,
                     min: LengthPercentageAuto,
                     max: LengthPercentageAuto,
                     b: Option<f32>,
                     pb: f32,
                     adj: f32| {
            let mut v = v;
            if let Some(mx) = resolve_auto(max, b) {
                v = v.min(mx + adj);
            }
            if let Some(mn) = resolve_auto(min, b) {
                v = v.max(mn + adj);
            }
            v.max(pb)
        };

        let mut width =
            definite(cs.size.width, cbw).map(|w| (w + box_adjust.width).max(pb.width) + margin_row);
        if width.is_none()
            && let (Some(l), Some(r)) = (inset.left, inset.right)
        {
            let w = cb_size.width
                - rect_sum_h(&cb_border)
                - (resolve_auto(l, cbw).unwrap_or(f32::NAN)
                    + resolve_auto(r, cbw).unwrap_or(f32::NAN));
            if w.is_finite() {
                width = Some(bound(
                    w,
                    cs.min_size.width,
                    cs.max_size.width,
                    cbw,
                    pb.width,
                    box_adjust.width,
                ));
            }
        }
        let mut height = definite(cs.size.height, cbh)
            .map(|h| (h + box_adjust.height).max(pb.height) + margin_col);
        if height.is_none()
            && let (Some(t), Some(b)) = (inset.top, inset.bottom)
        {
            let h = cb_size.height
                - rect_sum_v(&cb_border)
                - (resolve_auto(t, cbh).unwrap_or(f32::NAN)
                    + resolve_auto(b, cbh).unwrap_or(f32::NAN));
            if h.is_finite() {
                height = Some(bound(
                    h,
                    cs.min_size.height,
                    cs.max_size.height,
                    cbh,
                    pb.height,
                    box_adjust.height,
                ));
            }
        }
        if let Some(ratio) = cs.aspect_ratio {
            match (width, height) {
                (None, Some(h)) => width = Some(margin_row + (h - margin_col) * ratio),
                (Some(w), None) => height = Some(margin_col + (w - margin_row) / ratio),
                _ => {}
            }
        }

        let parent_axes = flex_axes(&ps);
        if width.is_none() || height.is_none() {
            let mut avail_w = width.map(|w| AvailableSpace::Definite(w - margin_row));
            if width.is_none()
                && !parent_axes.main_is_row
                && !self.root_width_max_content_for(cb)
                && let Some(w) = cbw.filter(|w| *w > 0.0)
            {
                avail_w = Some(AvailableSpace::Definite(w - margin_row));
            }
            let out = self.compute_child_layout(
                NodeId::from(child),
                LayoutInput {
                    run_mode: RunMode::ComputeSize,
                    sizing_mode: SizingMode::InherentSize,
                    axis: RequestedAxis::Both,
                    known_dimensions: Size {
                        width: width.map(|w| w - margin_row),
                        height: height.map(|h| h - margin_col),
                    },
                    known_dimensions_are_definite: Size {
                        width: width.is_some(),
                        height: height.is_some(),
                    },
                    parent_size: basis,
                    available_space: Size {
                        width: avail_w.unwrap_or(AvailableSpace::MaxContent),
                        height: height.map_or(AvailableSpace::MaxContent, |h| {
                            AvailableSpace::Definite(h - margin_col)
                        }),
                    },
                    vertical_margins_are_collapsible: Line::FALSE,
                },
            );
            width = Some(out.size.width + margin_row);
            height = Some(out.size.height + margin_col);
        }
        let size = Size {
            width: width.unwrap_or(0.0) - margin_row,
            height: height.unwrap_or(0.0) - margin_col,
        };
        self.compute_child_layout(
            NodeId::from(child),
            LayoutInput {
                run_mode: RunMode::PerformLayout,
                sizing_mode: SizingMode::InherentSize,
                axis: RequestedAxis::Both,
                known_dimensions: size.map(Some),
                known_dimensions_are_definite: Size {
                    width: true,
                    height: true,
                },
                parent_size: basis,
                available_space: size.map(AvailableSpace::Definite),
                vertical_margins_are_collapsible: Line::FALSE,
            },
        );

        let rtl = ps.direction == Direction::Rtl;
        // Physical x axis.
        let (x_is_main, x_reversed) = if parent_axes.main_is_row {
            (true, parent_axes.main_reversed)
        } else {
            (false, parent_axes.cross_reversed)
        };
        let (y_is_main, y_reversed) = if parent_axes.main_is_row {
            (false, false)
        } else {
            (true, parent_axes.main_reversed)
        };
        let align_cross = {
            let mut a = cs.align_self.unwrap_or(ps.align_items).keyword;
            if ps.flex_wrap == FlexWrap::WrapReverse {
                a = match a {
                    AlignItemsKeyword::FlexEnd | AlignItemsKeyword::End => {
                        AlignItemsKeyword::FlexStart
                    }
                    AlignItemsKeyword::Center => AlignItemsKeyword::Center,
                    _ => AlignItemsKeyword::FlexEnd,
                };
            }
            match a {
                AlignItemsKeyword::FlexEnd | AlignItemsKeyword::End => Place::End,
                AlignItemsKeyword::Center => Place::Center,
                _ => Place::Start,
            }
        };
        let justify = match ps.justify_content.keyword {
            AlignContentKeyword::FlexEnd | AlignContentKeyword::End => Place::End,
            AlignContentKeyword::Center
            | AlignContentKeyword::SpaceAround
            | AlignContentKeyword::SpaceEvenly => Place::Center,
            _ => Place::Start,
        };

        struct Axis {
            size: f32,
            cb_size: f32,
            parent_size: f32,
            // (left/top, right/bottom) pairs
            inset: (Option<LengthPercentageAuto>, Option<LengthPercentageAuto>),
            any_inset: bool,
            margin: (f32, f32),
            cb_border: (f32, f32),
            parent_border: (f32, f32),
            inline_start_is_far: bool,
            reversed: bool,
            place: Place,
            basis: Option<f32>,
            offset: f32,
        }
        let position = |a: Axis| -> f32 {
            let (start_inset, end_inset, m_start, m_end, b_start, b_end) = if a.inline_start_is_far
            {
                (
                    a.inset.1,
                    a.inset.0,
                    a.margin.1,
                    a.margin.0,
                    a.cb_border.1,
                    a.cb_border.0,
                )
            } else {
                (
                    a.inset.0,
                    a.inset.1,
                    a.margin.0,
                    a.margin.1,
                    a.cb_border.0,
                    a.cb_border.1,
                )
            };
            let resolve_inset = |i: LengthPercentageAuto| resolve_auto(i, a.basis).unwrap_or(0.0);
            let from_near = if let Some(i) = start_inset {
                let d = resolve_inset(i) + b_start + m_start;
                if a.inline_start_is_far {
                    a.cb_size - a.size - d
                } else {
                    d
                }
            } else if let Some(i) = end_inset {
                let d = a.cb_size - a.size - b_end - m_end - resolve_inset(i);
                if a.inline_start_is_far {
                    a.cb_size - a.size - d
                } else {
                    d
                }
            } else {
                let (fs_margin, fe_margin, fs_border, fe_border) = if a.reversed {
                    (a.margin.1, a.margin.0, a.parent_border.1, a.parent_border.0)
                } else {
                    (a.margin.0, a.margin.1, a.parent_border.0, a.parent_border.1)
                };
                let from_flex_start = match a.place {
                    Place::Start => fs_margin + fs_border,
                    Place::End => a.parent_size - a.size - (fe_border + fe_margin),
                    Place::Center => {
                        let content = a.parent_size - fs_border - fe_border;
                        (content - (a.size + a.margin.0 + a.margin.1)) / 2.0 + fs_border + fs_margin
                    }
                };
                // Yoga converts a reversed axis against the containing block when the node has
                // any inset (even `auto`) in that axis, else against the parent.
                let reference = if a.any_inset {
                    a.cb_size
                } else {
                    a.parent_size
                };
                if a.reversed {
                    reference - a.size - from_flex_start
                } else {
                    from_flex_start
                }
            };
            if a.any_inset {
                from_near - a.offset
            } else {
                from_near
            }
        };
        let x = position(Axis {
            size: size.width,
            cb_size: cb_size.width,
            parent_size: parent_size.width,
            inset: (inset.left, inset.right),
            any_inset: !cs.inset.left.is_auto()
                || !cs.inset.right.is_auto()
                || self.auto_inset(child, true),
            margin: (margin.left, margin.right),
            cb_border: (cb_border.left, cb_border.right),
            parent_border: (parent_border.left, parent_border.right),
            inline_start_is_far: rtl,
            reversed: x_reversed,
            place: if x_is_main { justify } else { align_cross },
            basis: cbw,
            offset: parent_offset.x,
        });
        let y = position(Axis {
            size: size.height,
            cb_size: cb_size.height,
            parent_size: parent_size.height,
            inset: (inset.top, inset.bottom),
            any_inset: !cs.inset.top.is_auto()
                || !cs.inset.bottom.is_auto()
                || self.auto_inset(child, false),
            margin: (margin.top, margin.bottom),
            cb_border: (cb_border.top, cb_border.bottom),
            parent_border: (parent_border.top, parent_border.bottom),
            inline_start_is_far: false,
            reversed: y_reversed,
            place: if y_is_main { justify } else { align_cross },
            basis: cbh,
            offset: parent_offset.y,
        });
        let mut layout = Layout::with_order(order as u32);
        layout.location = Point { x, y };
        layout.size = size;
        layout.margin = margin;
        layout.padding = padding;
        layout.border = border;
        self.nodes[child].layout = layout;
    }

    fn root_width_max_content_for(&self, cb: usize) -> bool {
        self.nodes[cb].parent.is_none() && self.root_width_max_content
    }

    /// Whether the node's style set an inset to `auto` explicitly in this axis (Yoga counts such
    /// insets as "defined" when deciding what a position is relative to).
    fn auto_inset(&self, child: usize, horizontal: bool) -> bool {
        let flags = self.auto_insets.get(child).copied().unwrap_or_default();
        if horizontal { flags.0 } else { flags.1 }
    }
}
