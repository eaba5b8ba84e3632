//! Where Yoga's flexbox differs from CSS flexbox (taffy): adjustments of a node's layout
//! inputs before taffy runs (flex-basis measurement, `StretchFlexBasis`, overflowing wrap
//! containers) and of its children's boxes after (auto margins, aspect ratios, multi-line
//! stretch).

use taffy::prelude::*;
use taffy::style::{AlignItemsKeyword, Direction, ExpandedDimension, Position};
use taffy::{
    LayoutInput, LayoutPartialTree, RequestedAxis, RunMode, SizingMode, compute_flexbox_layout,
};

use super::{Engine, Place, definite, flex_axes, resolve, resolve_auto};

impl Engine {
    /// Yoga gives auto margins only positive free space. An item larger than its single-line
    /// container with a cross-axis auto margin sits at the cross-start edge (CSS, so taffy,
    /// overflows it evenly or to the end); a line with a main-axis auto margin and negative free
    /// space starts at the main-start edge (Yoga skips `justifyContent` there).
    pub(super) fn overflowing_auto_margins(
        &mut self,
        i: usize,
        size: Size<f32>,
        basis: Option<f32>,
    ) {
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
    pub(super) fn multiline_stretch_quirk(
        &mut self,
        i: usize,
        size: Size<f32>,
        basis: Option<f32>,
    ) {
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
    pub(super) fn aspect_ratio_cross_sizes(
        &mut self,
        i: usize,
        size: Size<f32>,
        basis: Option<f32>,
    ) {
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
    pub(super) fn fit_content_flex_basis(
        &self,
        i: usize,
        mut inputs: LayoutInput,
    ) -> (LayoutInput, bool) {
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
        let basis = inputs.parent_size.width;
        let scrolls =
            if row { ps.overflow.x } else { ps.overflow.y } == taffy::style::Overflow::Scroll;
        if scrolls {
            return (inputs, false);
        }
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

    /// Yoga resolves an item's percentage `height` (`width` in a row)
    /// against its container's available inner main size of each layout, which is known even
    /// when the container's own size is not (CSS: the percentage of an indefinite size is
    /// `auto`). So while container `i` lays out, its items' percentage main sizes are those
    /// lengths; the returned originals are put back by [`Engine::restore_main_sizes`].
    pub(super) fn resolve_percentage_main_sizes(
        &mut self,
        i: usize,
        inner_main: Option<f32>,
    ) -> Vec<(usize, Dimension)> {
        let Some(inner) = inner_main else {
            return Vec::new();
        };
        let row = flex_axes(&self.nodes[i].style).main_is_row;
        let mut saved = Vec::new();
        for k in 0..self.nodes[i].children.len() {
            let c = self.nodes[i].children[k];
            let s = &mut self.nodes[c].style;
            if s.position == Position::Absolute {
                continue;
            }
            let size = if row {
                &mut s.size.width
            } else {
                &mut s.size.height
            };
            if let ExpandedDimension::Percent(pct) = size.expand() {
                saved.push((c, *size));
                *size = Dimension::length(pct * inner);
            }
        }
        saved
    }

    /// Puts back what [`Engine::resolve_percentage_main_sizes`] replaced.
    pub(super) fn restore_main_sizes(&mut self, saved: Vec<(usize, Dimension)>) {
        for (c, size) in saved {
            let row = self.nodes[c]
                .parent
                .is_some_and(|p| flex_axes(&self.nodes[p].style).main_is_row);
            let s = &mut self.nodes[c].style;
            if row {
                s.size.width = size;
            } else {
                s.size.height = size;
            }
        }
    }

    /// Yoga sizes a scroll container that is laid out "at most" an available size (its own
    /// size unknown in that axis) no larger than that size, its content scrolling inside; CSS
    /// lets it grow with its content. So its size there is fixed to the smaller of the two
    /// (no smaller than its padding and border) before it is laid out.
    pub(super) fn scroll_fit_content(&mut self, i: usize, mut inputs: LayoutInput) -> LayoutInput {
        let s = &self.nodes[i].style;
        if s.overflow.x != taffy::style::Overflow::Scroll
            && s.overflow.y != taffy::style::Overflow::Scroll
        {
            return inputs;
        }
        let open = |known: Option<f32>, avail: AvailableSpace, size: Dimension| match avail {
            AvailableSpace::Definite(a) if known.is_none() && size.is_auto() => Some(a),
            _ => None,
        };
        let width = open(
            inputs.known_dimensions.width,
            inputs.available_space.width,
            s.size.width,
        );
        let height = open(
            inputs.known_dimensions.height,
            inputs.available_space.height,
            s.size.height,
        );
        if width.is_none() && height.is_none() {
            return inputs;
        }
        let basis = inputs.parent_size.width;
        let (pb_w, pb_h) = (
            padding_border(s, true, basis),
            padding_border(s, false, basis),
        );
        let content = compute_flexbox_layout(
            self,
            NodeId::from(i),
            LayoutInput {
                run_mode: RunMode::ComputeSize,
                ..inputs
            },
        )
        .size;
        if let Some(a) = width {
            inputs.known_dimensions.width = Some(content.width.min(a).max(pb_w));
        }
        if let Some(a) = height {
            inputs.known_dimensions.height = Some(content.height.min(a).max(pb_h));
        }
        inputs
    }

    /// Yoga computes an item's flex basis once, the first time its container lays it out, and
    /// keeps it: a percentage basis resolves against that first layout's available inner main
    /// size (even when the container's own size is not definite; CSS takes the content then),
    /// no smaller than the item's padding and border, or is content-based when that size is
    /// unknown. So on container `i`'s first layout its items' percentage bases become those
    /// lengths (or `auto`).
    pub(super) fn fix_percentage_bases(&mut self, i: usize, inner_main: Option<f32>) {
        if self.nodes[i].bases_fixed {
            return;
        }
        self.nodes[i].bases_fixed = true;
        let row = flex_axes(&self.nodes[i].style).main_is_row;
        let width = inner_main.filter(|_| row);
        for k in 0..self.nodes[i].children.len() {
            let c = self.nodes[i].children[k];
            let s = &self.nodes[c].style;
            let ExpandedDimension::Percent(pct) = s.flex_basis.expand() else {
                continue;
            };
            let basis = match inner_main {
                Some(inner) => Dimension::length((pct * inner).max(padding_border(s, row, width))),
                None => Dimension::auto(),
            };
            self.nodes[c].style.flex_basis = basis;
        }
    }

    /// Yoga's `availableInnerMainDim` of a container about to be laid out with `inputs`.
    pub(super) fn inner_main(&self, i: usize, inputs: &LayoutInput) -> Option<f32> {
        let s = &self.nodes[i].style;
        let row = flex_axes(s).main_is_row;
        let basis = inputs.parent_size.width;
        let pb = padding_border(s, row, basis);
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

    /// The main size node `i` takes with `inputs` when only measured (its items' natural size).
    fn natural_main_size(&mut self, i: usize, inputs: LayoutInput, main_is_row: bool) -> f32 {
        let size = compute_flexbox_layout(
            self,
            NodeId::from(i),
            LayoutInput {
                run_mode: RunMode::ComputeSize,
                ..inputs
            },
        )
        .size;
        if main_is_row { size.width } else { size.height }
    }

    /// `Errata::StretchFlexBasis`: a container laid out "at most" its available main size keeps
    /// that whole size as its inner main size when any child can grow, so growing children fill it.
    pub(super) fn stretch_flex_basis(&mut self, i: usize, mut inputs: LayoutInput) -> LayoutInput {
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
            let natural = self.natural_main_size(i, inputs, axes.main_is_row);
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
            let natural = self.natural_main_size(i, inputs, axes.main_is_row);
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

/// A node's padding and border along the row (`row`) or the column, percentages of `basis`
/// (its containing width, as padding percentages always are).
fn padding_border(s: &Style, row: bool, basis: Option<f32>) -> f32 {
    if row {
        resolve(s.padding.left, basis)
            + resolve(s.padding.right, basis)
            + resolve(s.border.left, None)
            + resolve(s.border.right, None)
    } else {
        resolve(s.padding.top, basis)
            + resolve(s.padding.bottom, basis)
            + resolve(s.border.top, None)
            + resolve(s.border.bottom, None)
    }
}
