//! The layout tree: taffy's flexbox algorithm driven through taffy's low-level traits on our
//! own arena, with the parts where React Native's Yoga differs from CSS done the Yoga way:
//!
//! - `absolute`: absolutely positioned nodes are laid out by Yoga's own algorithm (static
//!   containing blocks, React Native's absolute-position errata), not by taffy's CSS pass.
//! - `flex_errata`: flex-basis measurement, `StretchFlexBasis`, overflowing wrap containers,
//!   auto margins, aspect ratios and the multi-line stretch quirk.
//! - `root`: Yoga's `calculateLayout` sizing of the root.
//!
//! docs/frames.md lists every difference with the test that pins it.

use taffy::ResolveOrZero;
use taffy::geometry::Point;
use taffy::prelude::*;
use taffy::style::{Direction, ExpandedDimension};
use taffy::{
    Cache, CacheTree, Layout, LayoutInput, LayoutOutput, RunMode, SizingMode,
    compute_cached_layout, compute_flexbox_layout, compute_leaf_layout,
};

use crate::text::{self, TextContent};

mod absolute;
mod flex_errata;
pub(crate) mod root;

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
    /// Whether this container's first layout fixed its items' percentage flex bases
    /// ([`Engine::fix_percentage_bases`]).
    pub bases_fixed: bool,
}

pub(crate) struct Engine {
    pub nodes: Vec<EngineNode>,
    /// Whether the root's width is unconstrained (Yoga's `MaxContent` width mode at the root).
    pub root_width_max_content: bool,
    /// The root's inner available size (Yoga's `availableInnerWidth/Height` at the root).
    pub root_avail_inner: Size<Option<f32>>,
    /// Per node: whether the style set a horizontal / vertical inset to `auto` explicitly.
    pub auto_insets: Vec<(bool, bool)>,
    /// Checked every [`CANCEL_CHECK_EVERY`] child layouts.
    pub cancel: hivesync_cancel::Cancel,
    pub layout_calls: u32,
    /// Set once `cancel` was seen: every later child layout returns at once (zero-sized).
    pub cancelled: bool,
}

/// How many child layouts run between two looks at the stop signal (each is microseconds).
const CANCEL_CHECK_EVERY: u32 = 64;

pub(crate) struct ChildIter<'a>(std::slice::Iter<'a, usize>);

impl Iterator for ChildIter<'_> {
    type Item = NodeId;
    fn next(&mut self) -> Option<NodeId> {
        self.0.next().map(|i| NodeId::from(*i))
    }
}

pub(super) fn idx(id: NodeId) -> usize {
    usize::from(id)
}

pub(super) fn resolve(lp: LengthPercentage, basis: Option<f32>) -> f32 {
    lp.resolve_or_zero(basis, |_, _| 0.0)
}

pub(super) fn resolve_auto(l: LengthPercentageAuto, basis: Option<f32>) -> Option<f32> {
    if l.is_auto() {
        return None;
    }
    // A percentage of an undefined size is undefined in Yoga (NaN); callers treat None as unset.
    l.resolve_to_option(basis.unwrap_or(f32::NAN), |_, _| 0.0)
        .filter(|v| v.is_finite())
}

pub(super) fn rect_sum_h(r: &Rect<f32>) -> f32 {
    r.left + r.right
}

pub(super) fn rect_sum_v(r: &Rect<f32>) -> f32 {
    r.top + r.bottom
}

/// Which physical axis, and whether its flex-start edge is the right/bottom one.
#[derive(Clone, Copy)]
pub(super) struct FlexAxes {
    pub main_is_row: bool,
    pub main_reversed: bool,
    pub cross_reversed: bool,
}

pub(super) fn flex_axes(style: &Style) -> FlexAxes {
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
pub(super) enum Place {
    Start,
    Center,
    End,
}

/// A size style resolved to a length: points, or a percentage of a known `basis`.
pub(super) fn definite(d: Dimension, basis: Option<f32>) -> Option<f32> {
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
        self.layout_calls = self.layout_calls.wrapping_add(1);
        if self.layout_calls.is_multiple_of(CANCEL_CHECK_EVERY) && self.cancel.is_cancelled() {
            self.cancelled = true;
        }
        if self.cancelled {
            return LayoutOutput::HIDDEN;
        }
        // taffy recurses into the children from here: one level of the tree per call.
        crate::stack::deep(|| self.child_layout(node, inputs))
    }
}

impl Engine {
    fn child_layout(&mut self, node: NodeId, inputs: LayoutInput) -> LayoutOutput {
        let i = idx(node);
        let (mut inputs, flex_basis) = self.fit_content_flex_basis(i, inputs);
        if self.nodes[i].measure.is_none()
            && (flex_basis || inputs.sizing_mode == SizingMode::InherentSize)
        {
            inputs = self.stretch_flex_basis(i, inputs);
        }
        if self.nodes[i].measure.is_none() {
            inputs = self.scroll_fit_content(i, inputs);
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
            tree.fix_percentage_bases(i, inner_main);
            let saved = tree.resolve_percentage_main_sizes(i, inner_main);
            let previous = tree.nodes[i].inner_main.replace(inner_main);
            let mut output = compute_flexbox_layout(tree, node, inputs);
            tree.nodes[i].inner_main = previous;
            tree.restore_main_sizes(saved);
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
