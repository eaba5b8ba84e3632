//! The walks over a tree recurse once per level; [`deep`] grows the stack onto the heap when
//! it runs low, so any depth of tree is laid out on any thread.

/// Below this much free stack, a walk over the tree continues on a new stack segment of
/// [`STACK_GROW`] bytes (heap memory, freed when the walk returns to the old one).
const STACK_RED_ZONE: usize = 256 * 1024;
const STACK_GROW: usize = 4 * 1024 * 1024;

/// Runs `f`, one level of a recursive walk, with at least [`STACK_RED_ZONE`] of stack.
#[inline]
pub(crate) fn deep<R>(f: impl FnOnce() -> R) -> R {
    stacker::maybe_grow(STACK_RED_ZONE, STACK_GROW, f)
}
