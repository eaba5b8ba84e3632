//! The built-in device profiles, one table: the screen the compiler evaluates `Dimensions`,
//! `Platform` and safe-area values against, and that frames and render lay out and draw at.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

/// The operating system a preview is compiled for (`Platform.OS`): the system's one
/// platform type, under the name the compiler uses.
pub use hivesync_core::Platform as TargetPlatform;

/// The kind of device a preview is laid out for: the system's one device type (`iphone`,
/// `ipad`, `android-phone`), under the name the compiler uses.
pub use hivesync_core::DeviceType as DeviceKind;

/// Safe-area insets in points.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Insets {
    /// Top inset.
    pub top: f64,
    /// Right inset.
    pub right: f64,
    /// Bottom inset.
    pub bottom: f64,
    /// Left inset.
    pub left: f64,
}

/// A concrete device: logical size in points, pixel scale, safe area and status bar height.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceProfile {
    /// Profile name, e.g. `"iPhone 15"`.
    pub name: Cow<'static, str>,
    /// Device kind.
    pub kind: DeviceKind,
    /// Width in points (`Dimensions.get('window').width`).
    pub width: f64,
    /// Height in points.
    pub height: f64,
    /// Pixels per point (`PixelRatio.get()`).
    pub scale: f64,
    /// Safe-area insets (`useSafeAreaInsets()`).
    pub safe_area: Insets,
    /// Status bar height in points (`StatusBar.currentHeight` on Android).
    pub status_bar_height: f64,
}

impl DeviceProfile {
    /// iPhone 15 (6.1"): 393 x 852 pt at 3x.
    pub const IPHONE: DeviceProfile = DeviceProfile {
        name: Cow::Borrowed("iPhone 15"),
        kind: DeviceKind::Iphone,
        width: 393.0,
        height: 852.0,
        scale: 3.0,
        safe_area: Insets {
            top: 59.0,
            right: 0.0,
            bottom: 34.0,
            left: 0.0,
        },
        status_bar_height: 54.0,
    };
    /// iPad (10th generation), portrait: 820 x 1180 pt at 2x.
    pub const IPAD: DeviceProfile = DeviceProfile {
        name: Cow::Borrowed("iPad (10th generation)"),
        kind: DeviceKind::Ipad,
        width: 820.0,
        height: 1180.0,
        scale: 2.0,
        safe_area: Insets {
            top: 24.0,
            right: 0.0,
            bottom: 20.0,
            left: 0.0,
        },
        status_bar_height: 24.0,
    };
    /// Pixel 7: 412 x 915 dp at 2.625x.
    pub const ANDROID_PHONE: DeviceProfile = DeviceProfile {
        name: Cow::Borrowed("Pixel 7"),
        kind: DeviceKind::AndroidPhone,
        width: 412.0,
        height: 915.0,
        scale: 2.625,
        safe_area: Insets {
            top: 24.0,
            right: 0.0,
            bottom: 0.0,
            left: 0.0,
        },
        status_bar_height: 24.0,
    };
}

/// The built-in profile for a device kind.
pub fn profile(kind: DeviceKind) -> DeviceProfile {
    match kind {
        DeviceKind::Iphone => DeviceProfile::IPHONE,
        DeviceKind::Ipad => DeviceProfile::IPAD,
        DeviceKind::AndroidPhone => DeviceProfile::ANDROID_PHONE,
    }
}
