//! Yoga's rounding to the pixel grid (`roundLayoutResultsToPixelGrid`), at the device scale.
//!
//! Yoga rounds a node's position relative to its parent, but its width and height as the
//! difference of its rounded absolute edges, so that adjacent boxes never overlap or leave gaps.
//! Measured nodes (text) never round their size down, so text is never cut off.

/// Yoga's `inexactEquals` for doubles.
fn inexact_eq(a: f64, b: f64) -> bool {
    (a - b).abs() < 0.0001
}

/// Yoga's `roundValueToPixelGrid`.
pub fn round_value_to_pixel_grid(
    value: f64,
    scale: f64,
    force_ceil: bool,
    force_floor: bool,
) -> f64 {
    let mut scaled = value * scale;
    let mut fractional = scaled % 1.0;
    if fractional < 0.0 {
        fractional += 1.0;
    }
    if inexact_eq(fractional, 0.0) {
        scaled -= fractional;
    } else if inexact_eq(fractional, 1.0) || force_ceil {
        scaled = scaled - fractional + 1.0;
    } else if force_floor {
        scaled -= fractional;
    } else {
        let up = fractional > 0.5 || inexact_eq(fractional, 0.5);
        scaled = scaled - fractional + if up { 1.0 } else { 0.0 };
    }
    scaled / scale
}

/// An unrounded box: position relative to the parent, and size.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RawBox {
    pub left: f64,
    pub top: f64,
    pub width: f64,
    pub height: f64,
}

/// Rounds one node, given its parent's unrounded absolute origin. Returns the rounded box
/// (relative position, size) and this node's unrounded absolute origin for its children.
pub(crate) fn round_box(
    raw: RawBox,
    parent_abs: (f64, f64),
    scale: f64,
    is_text: bool,
) -> (RawBox, (f64, f64)) {
    let abs_left = parent_abs.0 + raw.left;
    let abs_top = parent_abs.1 + raw.top;
    let abs_right = abs_left + raw.width;
    let abs_bottom = abs_top + raw.height;
    let frac_w = !inexact_eq((raw.width * scale).round(), raw.width * scale);
    let frac_h = !inexact_eq((raw.height * scale).round(), raw.height * scale);
    let rounded = RawBox {
        left: round_value_to_pixel_grid(raw.left, scale, false, is_text),
        top: round_value_to_pixel_grid(raw.top, scale, false, is_text),
        width: round_value_to_pixel_grid(abs_right, scale, is_text && frac_w, is_text && !frac_w)
            - round_value_to_pixel_grid(abs_left, scale, false, is_text),
        height: round_value_to_pixel_grid(abs_bottom, scale, is_text && frac_h, is_text && !frac_h)
            - round_value_to_pixel_grid(abs_top, scale, false, is_text),
    };
    (rounded, (abs_left, abs_top))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_half_up_and_keeps_exact_values() {
        assert_eq!(round_value_to_pixel_grid(10.5, 1.0, false, false), 11.0);
        assert_eq!(round_value_to_pixel_grid(10.49, 1.0, false, false), 10.0);
        assert_eq!(round_value_to_pixel_grid(-0.3, 1.0, false, false), 0.0);
        assert_eq!(round_value_to_pixel_grid(10.00001, 1.0, true, false), 10.0);
    }

    #[test]
    fn rounds_to_device_pixels_at_scale() {
        // 3x device: 10.2pt = 30.6px -> 31px = 10.333pt
        let v = round_value_to_pixel_grid(10.2, 3.0, false, false);
        assert!((v - 31.0 / 3.0).abs() < 1e-9);
    }

    #[test]
    fn size_is_the_difference_of_rounded_absolute_edges() {
        // Three siblings of 33.333 at x = 0, 33.333, 66.667: widths 33, 34, 33 (no gaps).
        let w = 100.0 / 3.0;
        let widths: Vec<f64> = (0..3)
            .map(|i| {
                let raw = RawBox {
                    left: w * i as f64,
                    top: 0.0,
                    width: w,
                    height: 10.0,
                };
                round_box(raw, (0.0, 0.0), 1.0, false).0.width
            })
            .collect();
        assert_eq!(widths, vec![33.0, 34.0, 33.0]);
    }

    #[test]
    fn text_sizes_never_round_down() {
        let raw = RawBox {
            left: 0.0,
            top: 0.0,
            width: 20.2,
            height: 16.1,
        };
        let (r, _) = round_box(raw, (0.0, 0.0), 1.0, true);
        assert_eq!((r.width, r.height), (21.0, 17.0));
        let (r, _) = round_box(raw, (0.0, 0.0), 1.0, false);
        assert_eq!((r.width, r.height), (20.0, 16.0));
    }
}
