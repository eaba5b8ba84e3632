//! The layout tree: taffy's flexbox algorithm driven through taffy's low-level traits, with the
//! parts where React Native's Yoga differs from CSS done the Yoga way.
//!
//! - Absolutely positioned nodes are laid out by Yoga's own algorithm (`layoutAbsoluteChild`,
//!   `layoutAbsoluteDescendants`) instead of taffy's CSS one: containing block = nearest
//!   non-`static` ancestor (or the root); insets and percentages against that block's inner size
//!   (`Errata::AbsolutePercentAgainstInnerSize`); without insets, the node sits where its
//!   *parent's* `justifyContent`/`alignItems` put it, ignoring the parent's padding
//!   (`Errata::AbsolutePositionWithoutInsetsExcludesPadding`).
//! - A flex container sized "at most" its available main size grows its `flexGrow` children to
//!   fill that space (`Errata::StretchFlexBasis`).

use taffy::ResolveOrZero;
use taffy::geometry::Point;
use taffy::prelude::*;
use taffy::style::{
    AlignContentKeyword, AlignItemsKeyword, BoxSizing, Direction, ExpandedDimension, Position,
};
use taffy::{
    Cache, CacheTree, Layout, LayoutInput, LayoutOutput, RequestedAxis, RunMode, SizingMode,
    compute_cached_layout, compute_flexbox_layout, compute_leaf_layout,
};

use crate::text::{self, TextContent};

/// What a leaf measures: text with the bundled font, or a fixed size.
pub(crate) enum Measure {
    Text(TextContent),
    Fixed(Size<f32>),
}

pub(crate) struct EngineNode {
    pub style: Style,
    pub measure: Option<Measure>,
    pub children: Vec<usize>,
    pub parent: Option<usize>,
    pub cache: Cache,
    pub layout: Layout,
    /// While this node's flexbox layout runs: its available inner main size (Yoga's
    /// `availableInnerMainDim`), which its children's flex bases are measured against.
    pub inner_main: Option<Option<f32>>,
}

pub(crate) struct Engine {
    pub nodes: Vec<EngineNode>,
    /// Whether the root's width is unconstrained (Yoga's `MaxContent` width mode at the root).
    pub root_width_max_content: bool,
    /// The root's inner available size (Yoga's `availableInnerWidth/Height` at the root).
    pub root_avail_inner: Size<Option<f32>>,
    /// Per node: whether the style set a horizontal / vertical inset to `auto` explicitly.
    pub auto_insets: Vec<(bool, bool)>,
}

pub(crate) struct ChildIter<'a>(std::slice::Iter<'a, usize>);

impl Iterator for ChildIter<'_> {
    type Item = NodeId;
    fn next(&mut self) -> Option<NodeId> {
        self.0.next().map(|i| NodeId::from(*i))
    }
}

fn idx(id: NodeId) -> usize {
    usize::from(id)
}

fn resolve(lp: LengthPercentage, basis: Option<f32>) -> f32 {
    lp.resolve_or_zero(basis, |_, _| 0.0)
}

fn resolve_auto(l: LengthPercentageAuto, basis: Option<f32>) -> Option<f32> {
    if l.is_auto() {
        return None;
    }
    // A percentage of an undefined size is undefined in Yoga (NaN); callers treat None as unset.
    l.resolve_to_option(basis.unwrap_or(f32::NAN), |_, _| 0.0)
        .filter(|v| v.is_finite())
}

fn rect_sum_h(r: &Rect<f32>) -> f32 {
    r.left + r.right
}

fn rect_sum_v(r: &Rect<f32>) -> f32 {
    r.top + r.bottom
}

/// Which physical axis, and whether its flex-start edge is the right/bottom one.
#[derive(Clone, Copy)]
struct FlexAxes {
    main_is_row: bool,
    main_reversed: bool,
    cross_reversed: bool,
}

fn flex_axes(style: &Style) -> FlexAxes {
    let rtl = style.direction == Direction::Rtl;
    match style.flex_direction {
        FlexDirection::Row => FlexAxes {
            main_is_row: true,
            main_reversed: rtl,
            cross_reversed: false,
        },
        FlexDirection::RowReverse => FlexAxes {
            main_is_row: true,
            main_reversed: !rtl,
            cross_reversed: false,
        },
        FlexDirection::Column => FlexAxes {
            main_is_row: false,
            main_reversed: false,
            cross_reversed: rtl,
        },
        FlexDirection::ColumnReverse => FlexAxes {
            main_is_row: false,
            main_reversed: true,
            cross_reversed: rtl,
        },
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Place {
    Start,
    Center,
    End,
}

impl Engine {
    fn is_yoga_static(&self, i: usize) -> bool {
        self.nodes[i].style.position == Position::Static
    }

    /// Yoga's `availableInnerWidth/Height` of a containing block during its final layout.
    fn avail_inner(&self, cb: usize, size: Size<f32>, inputs: &LayoutInput) -> Size<Option<f32>> {
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
    fn layout_absolute_descendants(
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
                self.layout_absolute_descendants(cb, cb_size, child, l.size, offset, percent_basis);
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

/// A size style resolved to a length: points, or a percentage of a known `basis`.
fn definite(d: Dimension, basis: Option<f32>) -> Option<f32> {
    match d.expand() {
        ExpandedDimension::Length(v) => Some(v),
        ExpandedDimension::Percent(p) => basis.map(|b| p * b),
        _ => None,
    }
}

impl taffy::TraversePartialTree for Engine {
    type ChildIter<'a> = ChildIter<'a>;

    fn child_ids(&self, node: NodeId) -> Self::ChildIter<'_> {
        ChildIter(self.nodes[idx(node)].children.iter())
    }

    fn child_count(&self, node: NodeId) -> usize {
        self.nodes[idx(node)].children.len()
    }

    fn get_child_id(&self, node: NodeId, index: usize) -> NodeId {
        NodeId::from(self.nodes[idx(node)].children[index])
    }
}

impl taffy::TraverseTree for Engine {}

impl taffy::LayoutPartialTree for Engine {
    type CustomIdent = String;
    type CoreContainerStyle<'a> = &'a Style;

    fn get_core_container_style(&self, node: NodeId) -> &Style {
        &self.nodes[idx(node)].style
    }

    fn set_unrounded_layout(&mut self, node: NodeId, layout: &Layout) {
        self.nodes[idx(node)].layout = *layout;
    }

    fn compute_child_layout(&mut self, node: NodeId, inputs: LayoutInput) -> LayoutOutput {
        let i = idx(node);
        let (mut inputs, flex_basis) = self.fit_content_flex_basis(i, inputs);
        if self.nodes[i].measure.is_none()
            && (flex_basis || inputs.sizing_mode == SizingMode::InherentSize)
        {
            inputs = self.stretch_flex_basis(i, inputs);
        }
        compute_cached_layout(self, node, inputs, |tree, node, inputs| {
            let i = idx(node);
            if tree.nodes[i].style.display == Display::None {
                return LayoutOutput::HIDDEN;
            }
            if let Some(measure) = &tree.nodes[i].measure {
                let style = &tree.nodes[i].style;
                return compute_leaf_layout(
                    inputs,
                    style,
                    |_, _| 0.0,
                    |known, avail| measure_leaf(measure, known, avail),
                );
            }
            let inner_main = tree.inner_main(i, &inputs);
            let previous = tree.nodes[i].inner_main.replace(inner_main);
            let mut output = compute_flexbox_layout(tree, node, inputs);
            tree.nodes[i].inner_main = previous;
            if inputs.run_mode == RunMode::PerformLayout {
                tree.overflowing_auto_margins(i, output.size, inputs.parent_size.width);
                tree.multiline_stretch_quirk(i, output.size, inputs.parent_size.width);
                tree.aspect_ratio_cross_sizes(i, output.size, inputs.parent_size.width);
            }
            // Absolute descendants are positioned below, the Yoga way, not by taffy's CSS pass.
            output.oof_candidates.take();
            let is_containing_block = !tree.is_yoga_static(i) || tree.nodes[i].parent.is_none();
            if inputs.run_mode == RunMode::PerformLayout && is_containing_block {
                let size = output.size;
                let basis = tree.avail_inner(i, size, &inputs);
                tree.layout_absolute_descendants(i, size, i, size, Point::ZERO, basis);
            }
            output
        })
    }
}

impl Engine {
    /// Yoga gives auto margins only positive free space. An item larger than its single-line
    /// container with a cross-axis auto margin sits at the cross-start edge (CSS, so taffy,
    /// overflows it evenly or to the end); a line with a main-axis auto margin and negative free
    /// space starts at the main-start edge (Yoga skips `justifyContent` there).
    fn overflowing_auto_margins(&mut self, i: usize, size: Size<f32>, basis: Option<f32>) {
        let s = &self.nodes[i].style;
        if s.flex_wrap != FlexWrap::NoWrap {
            return;
        }
        let axes = flex_axes(s);
        let padding = s.padding.map(|p| resolve(p, basis));
        let border = s.border.map(|b| resolve(b, None));
        let rtl = s.direction == Direction::Rtl;
        // Content box edges: (start, end) on x and y.
        let x_edges = (
            border.left + padding.left,
            size.width - border.right - padding.right,
        );
        let y_edges = (
            border.top + padding.top,
            size.height - border.bottom - padding.bottom,
        );
        let m = |l: LengthPercentageAuto| resolve_auto(l, basis).unwrap_or(0.0);
        let items: Vec<usize> = self.nodes[i]
            .children
            .iter()
            .copied()
            .filter(|c| {
                let cs = &self.nodes[*c].style;
                cs.position != Position::Absolute && cs.display != Display::None
            })
            .collect();

        let mut main_auto = false;
        let (mut lo, mut hi) = (f32::INFINITY, f32::NEG_INFINITY);
        for &c in &items {
            let node = &mut self.nodes[c];
            let (cs, l) = (&node.style, &mut node.layout);
            // Cross axis: the other axis than main.
            if axes.main_is_row {
                if cs.margin.top.is_auto() || cs.margin.bottom.is_auto() {
                    let outer = l.size.height + m(cs.margin.top) + m(cs.margin.bottom);
                    if y_edges.1 - y_edges.0 < outer {
                        l.location.y = y_edges.0 + m(cs.margin.top);
                    }
                }
                main_auto |= cs.margin.left.is_auto() || cs.margin.right.is_auto();
                lo = lo.min(l.location.x - m(cs.margin.left));
                hi = hi.max(l.location.x + l.size.width + m(cs.margin.right));
            } else {
                if cs.margin.left.is_auto() || cs.margin.right.is_auto() {
                    let outer = l.size.width + m(cs.margin.left) + m(cs.margin.right);
                    if x_edges.1 - x_edges.0 < outer {
                        l.location.x = if rtl {
                            x_edges.1 - m(cs.margin.right) - l.size.width
                        } else {
                            x_edges.0 + m(cs.margin.left)
                        };
                    }
                }
                main_auto |= cs.margin.top.is_auto() || cs.margin.bottom.is_auto();
                lo = lo.min(l.location.y - m(cs.margin.top));
                hi = hi.max(l.location.y + l.size.height + m(cs.margin.bottom));
            }
        }
        let (start, end) = if axes.main_is_row { x_edges } else { y_edges };
        if !main_auto || hi - lo <= end - start {
            return;
        }
        let shift = if axes.main_reversed {
            end - hi
        } else {
            start - lo
        };
        for &c in &items {
            let l = &mut self.nodes[c].layout;
            if axes.main_is_row {
                l.location.x += shift;
            } else {
                l.location.y += shift;
            }
        }
    }

    /// Yoga's multi-line stretch pass re-lays out a stretched item of a wrapping *column* with
    /// its measured height plus its horizontal margins (Yoga adds the cross-axis margins where
    /// it means the main-axis ones), so the item ends up taller by its left + right margins less
    /// its top + bottom ones. Siblings are not moved. React Native shows this, so we do too.
    fn multiline_stretch_quirk(&mut self, i: usize, size: Size<f32>, basis: Option<f32>) {
        let s = &self.nodes[i].style;
        if s.flex_wrap == FlexWrap::NoWrap || flex_axes(s).main_is_row {
            return;
        }
        let (align_items, inner_width) = (s.align_items, {
            let p = s.padding.map(|p| resolve(p, basis));
            let b = s.border.map(|b| resolve(b, None));
            size.width - p.left - p.right - b.left - b.right
        });
        let children = self.nodes[i].children.clone();
        for c in children {
            let cs = &self.nodes[c].style;
            if cs.position == Position::Absolute || cs.display == Display::None {
                continue;
            }
            let align = cs.align_self.unwrap_or(align_items).keyword;
            if align != AlignItemsKeyword::Stretch
                || definite(cs.size.width, Some(inner_width)).is_some()
            {
                continue;
            }
            let m = |l: LengthPercentageAuto| resolve_auto(l, basis).unwrap_or(0.0);
            let delta =
                m(cs.margin.left) + m(cs.margin.right) - m(cs.margin.top) - m(cs.margin.bottom);
            if delta.abs() < 0.0001 {
                continue;
            }
            let layout = self.nodes[c].layout;
            let known = Size {
                width: layout.size.width,
                height: (layout.size.height + delta).max(0.0),
            };
            let out = self.compute_child_layout(
                NodeId::from(c),
                LayoutInput {
                    run_mode: RunMode::PerformLayout,
                    sizing_mode: SizingMode::InherentSize,
                    axis: RequestedAxis::Both,
                    known_dimensions: known.map(Some),
                    known_dimensions_are_definite: Size {
                        width: true,
                        height: true,
                    },
                    parent_size: Size {
                        width: Some(inner_width),
                        height: None,
                    },
                    available_space: known.map(AvailableSpace::Definite),
                    vertical_margins_are_collapsible: Line::FALSE,
                },
            );
            self.nodes[c].layout.size = out.size;
            self.nodes[c].layout.location = layout.location;
        }
    }

    /// In Yoga an item with an aspect ratio takes its cross size from its final main size
    /// through the ratio, whatever its alignment or cross-size style (CSS lets `stretch` or a
    /// definite cross size win). The item is re-laid out at that size and re-aligned in the
    /// (single) line.
    fn aspect_ratio_cross_sizes(&mut self, i: usize, size: Size<f32>, basis: Option<f32>) {
        let s = &self.nodes[i].style;
        if s.flex_wrap != FlexWrap::NoWrap {
            return;
        }
        let axes = flex_axes(s);
        let align_items = s.align_items;
        let padding = s.padding.map(|p| resolve(p, basis));
        let border = s.border.map(|b| resolve(b, None));
        // The cross axis's content edges, in the physical direction (left/top first).
        let (lo, hi) = if axes.main_is_row {
            (
                border.top + padding.top,
                size.height - border.bottom - padding.bottom,
            )
        } else {
            (
                border.left + padding.left,
                size.width - border.right - padding.right,
            )
        };
        let children = self.nodes[i].children.clone();
        for c in children {
            let cs = &self.nodes[c].style;
            let Some(ratio) = cs.aspect_ratio else {
                continue;
            };
            if cs.position == Position::Absolute || cs.display == Display::None {
                continue;
            }
            let m = |l: LengthPercentageAuto| resolve_auto(l, basis).unwrap_or(0.0);
            let (m_lo, m_hi) = if axes.main_is_row {
                (m(cs.margin.top), m(cs.margin.bottom))
            } else {
                (m(cs.margin.left), m(cs.margin.right))
            };
            let place = match cs.align_self.unwrap_or(align_items).keyword {
                AlignItemsKeyword::Center => Place::Center,
                AlignItemsKeyword::FlexEnd | AlignItemsKeyword::End => Place::End,
                _ => Place::Start,
            };
            let layout = self.nodes[c].layout;
            let mut known = layout.size;
            if axes.main_is_row {
                known.height = layout.size.width / ratio;
            } else {
                known.width = layout.size.height * ratio;
            }
            if (known.width - layout.size.width).abs() < 0.001
                && (known.height - layout.size.height).abs() < 0.001
            {
                continue;
            }
            let out = self.compute_child_layout(
                NodeId::from(c),
                LayoutInput {
                    run_mode: RunMode::PerformLayout,
                    sizing_mode: SizingMode::InherentSize,
                    axis: RequestedAxis::Both,
                    known_dimensions: known.map(Some),
                    known_dimensions_are_definite: Size {
                        width: true,
                        height: true,
                    },
                    parent_size: Size {
                        width: basis,
                        height: None,
                    },
                    available_space: known.map(AvailableSpace::Definite),
                    vertical_margins_are_collapsible: Line::FALSE,
                },
            );
            let cross = if axes.main_is_row {
                out.size.height
            } else {
                out.size.width
            };
            // Start is the left/top edge unless the cross axis runs right to left.
            let start_far = axes.cross_reversed;
            let pos = match (place, start_far) {
                (Place::Center, _) => lo + m_lo + (hi - lo - m_lo - m_hi - cross) / 2.0,
                (Place::Start, false) | (Place::End, true) => lo + m_lo,
                (Place::End, false) | (Place::Start, true) => hi - m_hi - cross,
            };
            let l = &mut self.nodes[c].layout;
            l.size = out.size;
            l.location = layout.location;
            if axes.main_is_row {
                l.location.y = pos;
            } else {
                l.location.x = pos;
            }
        }
    }

    /// Yoga measures an item's content-based flex basis "at most" the container's available
    /// inner main size (unless the container scrolls in that axis), where CSS uses max-content.
    fn fit_content_flex_basis(&self, i: usize, mut inputs: LayoutInput) -> (LayoutInput, bool) {
        let Some(p) = self.nodes[i].parent else {
            return (inputs, false);
        };
        if inputs.run_mode != RunMode::ComputeSize || inputs.sizing_mode != SizingMode::ContentSize
        {
            return (inputs, false);
        }
        let Some(Some(inner)) = self.nodes[p].inner_main else {
            return (inputs, false);
        };
        let ps = &self.nodes[p].style;
        let s = &self.nodes[i].style;
        if s.position == Position::Absolute {
            return (inputs, false);
        }
        let row = flex_axes(ps).main_is_row;
        let scrolls =
            if row { ps.overflow.x } else { ps.overflow.y } == taffy::style::Overflow::Scroll;
        if scrolls {
            return (inputs, false);
        }
        let basis = inputs.parent_size.width;
        let (known, avail, margin) = if row {
            (
                inputs.known_dimensions.width,
                &mut inputs.available_space.width,
                resolve_auto(s.margin.left, basis).unwrap_or(0.0)
                    + resolve_auto(s.margin.right, basis).unwrap_or(0.0),
            )
        } else {
            (
                inputs.known_dimensions.height,
                &mut inputs.available_space.height,
                resolve_auto(s.margin.top, basis).unwrap_or(0.0)
                    + resolve_auto(s.margin.bottom, basis).unwrap_or(0.0),
            )
        };
        if known.is_none() && *avail == AvailableSpace::MaxContent {
            *avail = AvailableSpace::Definite((inner - margin).max(0.0));
            return (inputs, true);
        }
        (inputs, false)
    }

    /// Yoga's `availableInnerMainDim` of a container about to be laid out with `inputs`.
    fn inner_main(&self, i: usize, inputs: &LayoutInput) -> Option<f32> {
        let s = &self.nodes[i].style;
        let row = flex_axes(s).main_is_row;
        let basis = inputs.parent_size.width;
        let pb = if row {
            resolve(s.padding.left, basis)
                + resolve(s.padding.right, basis)
                + resolve(s.border.left, None)
                + resolve(s.border.right, None)
        } else {
            resolve(s.padding.top, basis)
                + resolve(s.padding.bottom, basis)
                + resolve(s.border.top, None)
                + resolve(s.border.bottom, None)
        };
        let (known, avail, max) = if row {
            (
                inputs.known_dimensions.width,
                inputs.available_space.width,
                s.max_size.width,
            )
        } else {
            (
                inputs.known_dimensions.height,
                inputs.available_space.height,
                s.max_size.height,
            )
        };
        let parent_main = if row {
            inputs.parent_size.width
        } else {
            inputs.parent_size.height
        };
        known
            .or_else(|| {
                avail
                    .into_option()
                    .map(|a| match resolve_auto(max, parent_main) {
                        Some(mx) => a.min(mx),
                        None => a,
                    })
            })
            .map(|v| (v - pb).max(0.0))
    }

    /// `Errata::StretchFlexBasis`: a container laid out "at most" its available main size keeps
    /// that whole size as its inner main size when any child can grow, so growing children fill it.
    fn stretch_flex_basis(&mut self, i: usize, mut inputs: LayoutInput) -> LayoutInput {
        let s = &self.nodes[i].style;
        let axes = flex_axes(s);
        let (known, avail) = if axes.main_is_row {
            (inputs.known_dimensions.width, inputs.available_space.width)
        } else {
            (
                inputs.known_dimensions.height,
                inputs.available_space.height,
            )
        };
        let AvailableSpace::Definite(avail) = avail else {
            return inputs;
        };
        let size_style = if axes.main_is_row {
            s.size.width
        } else {
            s.size.height
        };
        if known.is_some() || !size_style.is_auto() {
            return inputs;
        }
        // A wrapping container whose items overflow its "at most" size takes exactly that
        // size (Yoga switches it to an exact main size).
        if s.flex_wrap != FlexWrap::NoWrap {
            let natural = compute_flexbox_layout(
                self,
                NodeId::from(i),
                LayoutInput {
                    run_mode: RunMode::ComputeSize,
                    ..inputs
                },
            )
            .size;
            let natural = if axes.main_is_row {
                natural.width
            } else {
                natural.height
            };
            if natural > avail + 0.001 {
                if axes.main_is_row {
                    inputs.known_dimensions.width = Some(avail);
                } else {
                    inputs.known_dimensions.height = Some(avail);
                }
                return inputs;
            }
        }
        // Yoga skips flexing when it only measures a node whose cross size is exact.
        let s = &self.nodes[i].style;
        let cross_known = if axes.main_is_row {
            inputs.known_dimensions.height
        } else {
            inputs.known_dimensions.width
        };
        if inputs.run_mode != RunMode::PerformLayout && cross_known.is_some() {
            return inputs;
        }
        let grows = self.nodes[i].children.iter().any(|c| {
            let cs = &self.nodes[*c].style;
            cs.flex_grow > 0.0 && cs.position != Position::Absolute && cs.display != Display::None
        });
        if !grows {
            return inputs;
        }
        let basis = if axes.main_is_row {
            inputs.parent_size.width
        } else {
            inputs.parent_size.height
        };
        let (min, max) = if axes.main_is_row {
            (s.min_size.width, s.max_size.width)
        } else {
            (s.min_size.height, s.max_size.height)
        };
        let mut v = avail;
        if let Some(mx) = resolve_auto(max, basis) {
            v = v.min(mx);
        }
        if let Some(mn) = resolve_auto(min, basis).filter(|m| *m > 0.0) {
            // Yoga sizes the container to its min when the items' bases do not reach it.
            let natural = compute_flexbox_layout(
                self,
                NodeId::from(i),
                LayoutInput {
                    run_mode: RunMode::ComputeSize,
                    ..inputs
                },
            )
            .size;
            let natural = if axes.main_is_row {
                natural.width
            } else {
                natural.height
            };
            if natural <= mn {
                return inputs;
            }
            v = v.max(mn);
        }
        if axes.main_is_row {
            inputs.known_dimensions.width = Some(v);
        } else {
            inputs.known_dimensions.height = Some(v);
        }
        inputs
    }
}

fn measure_leaf(
    measure: &Measure,
    known: Size<Option<f32>>,
    available: Size<AvailableSpace>,
) -> Size<f32> {
    match measure {
        Measure::Fixed(size) => Size {
            width: known.width.unwrap_or(size.width),
            height: known.height.unwrap_or(size.height),
        },
        Measure::Text(content) => {
            let max_width = known.width.or(match available.width {
                AvailableSpace::Definite(w) => Some(w),
                AvailableSpace::MinContent => Some(text::min_content_width(content)),
                AvailableSpace::MaxContent => None,
            });
            let layout = text::layout_text(content, max_width);
            Size {
                width: known.width.unwrap_or(layout.width),
                height: known.height.unwrap_or(layout.height),
            }
        }
    }
}

impl CacheTree for Engine {
    fn cache_get(&mut self, node: NodeId, inputs: &LayoutInput) -> Option<LayoutOutput> {
        self.nodes[idx(node)].cache.get(inputs)
    }

    fn cache_store(&mut self, node: NodeId, inputs: &LayoutInput, output: LayoutOutput) {
        self.nodes[idx(node)].cache.store(inputs, output)
    }

    fn cache_clear(&mut self, node: NodeId) {
        self.nodes[idx(node)].cache.clear();
    }
}

impl taffy::LayoutFlexboxContainer for Engine {
    type FlexboxContainerStyle<'a> = &'a Style;
    type FlexboxItemStyle<'a> = &'a Style;

    fn get_flexbox_container_style(&self, node: NodeId) -> &Style {
        &self.nodes[idx(node)].style
    }

    fn get_flexbox_child_style(&self, child: NodeId) -> &Style {
        &self.nodes[idx(child)].style
    }
}

/// Lays out the root the way Yoga's `calculateLayout` does: a root without a width fills the
/// viewport width (less its margins), one with only `maxWidth` is sized "at most" that, and
/// without a viewport width it takes its content's width; likewise for the height.
pub(crate) fn layout_root(engine: &mut Engine, viewport: crate::Viewport) {
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
