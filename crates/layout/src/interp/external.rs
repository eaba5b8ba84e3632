//! What imports from packages (whose code is not among the inputs) mean to the evaluator:
//! core components, hooks and APIs with known behaviour; everything else stays an opaque
//! third-party export, which renders as a pass-through container when its element has
//! children and as a snapshot when it has none (see `render`).

use oxc::allocator::Allocator;

use super::facts::LibFn;
use super::natives::Ctor;
use super::value::{Builtin as B, MathFn, Value, new_obj};
use crate::device::{DeviceProfile, TargetPlatform};

/// Core components of `react-native` that map to Layout JSON node types.
pub(super) const RN_HOSTS: &[&str] = &[
    "View",
    "Text",
    "Image",
    "ImageBackground",
    "ScrollView",
    "FlatList",
    "SectionList",
    "TextInput",
    "Pressable",
    "TouchableOpacity",
    "TouchableHighlight",
    "TouchableWithoutFeedback",
    "TouchableNativeFeedback",
    "SafeAreaView",
    "KeyboardAvoidingView",
    "ActivityIndicator",
    "Switch",
    "Modal",
    "StatusBar",
    "Button",
    "RefreshControl",
];

pub(crate) struct Env<'t, 'a> {
    pub platform: TargetPlatform,
    pub device: &'t DeviceProfile,
    /// The compile's arena, where the values are made.
    pub alloc: &'a Allocator,
}

/// Whether the evaluator implements package `name` itself (its hooks, components and APIs
/// above), so that its code, when a request carries it, is not evaluated: React and React
/// Native themselves, Babel's runtime helpers, and the packages [`Env::import`] knows.
/// Other packages are evaluated from their code when it is there.
pub(crate) fn is_builtin_package(name: &str) -> bool {
    matches!(
        name,
        "react"
            | "react-dom"
            | "react-native"
            | "react-native-web"
            | "@babel/runtime"
            | "expo-image"
            | "react-native-fast-image"
            | "react-native-safe-area-context"
            | "react-native-reanimated"
            | "expo-router"
            | "react-navigation"
            | "react-navigation-stack"
            | "react-navigation-tabs"
            | "styled-components"
            | "@emotion/native"
            | "@emotion/styled"
            | "@emotion/react"
            | "nativewind"
            | "clsx"
            | "classnames"
            | "tailwind-merge"
            | "class-variance-authority"
            | "react-i18next"
            | "i18next"
            | "i18n-js"
            | "react-native-i18n"
            | "react-redux"
            | "mobx-react"
            | "mobx-react-lite"
            | "expo-font"
            | "@expo-google-fonts/inter"
            | "@expo-google-fonts/roboto"
            | "@ui-kitten/components"
            | "expo-linear-gradient"
            | "react-native-linear-gradient"
    ) || super::facts::has_package(name)
        || (name.starts_with("@react-navigation/") && name != "@react-navigation/elements")
        || name.starts_with("@expo-google-fonts/")
}

/// The builtin standing for one of Babel's helpers (`_interopRequireDefault` inlined in a
/// module, or `@babel/runtime/helpers/interopRequireDefault`), by name.
pub(crate) fn babel_helper(name: &str) -> Option<B> {
    Some(match name.trim_start_matches('_') {
        "interopRequireDefault" => B::InteropDefault,
        "interopRequireWildcard" => B::InteropWildcard,
        "extends" | "objectSpread" | "objectSpread2" => B::ObjectAssign,
        "objectWithoutProperties" | "objectWithoutPropertiesLoose" => B::ObjectWithoutProperties,
        "defineProperty" => B::DefinePropertyHelper,
        "classCallCheck" | "inherits" => B::Noop,
        // ES5 classes: the constructor's `this` is the instance (`_this = _callSuper(this, C,
        // [props])`, `_possibleConstructorReturn(this, ...)`).
        "callSuper" | "possibleConstructorReturn" | "assertThisInitialized" => B::Identity,
        "getPrototypeOf" => B::GetPrototypeOf,
        "createClass" => B::CreateClass,
        _ => return None,
    })
}

/// Node types a host component can have, besides [`RN_HOSTS`].
const OTHER_HOSTS: &[&str] = &["SafeAreaProvider", "SafeAreaContextView", "Link", "Nothing"];

/// The host component `n` (one of [`RN_HOSTS`] or [`OTHER_HOSTS`]).
fn host<'a>(n: &str) -> Value<'a> {
    match RN_HOSTS.iter().chain(OTHER_HOSTS).find(|h| **h == n) {
        Some(h) => Value::Host(h),
        None => unreachable!("`{n}` is not a host component"),
    }
}

impl<'a> Env<'_, 'a> {
    fn o(&self, entries: Vec<(&'a str, Value<'a>)>) -> Value<'a> {
        new_obj(self.alloc, entries)
    }

    fn num(n: f64) -> Value<'a> {
        Value::Num(n)
    }

    fn s(&self, x: &str) -> Value<'a> {
        Value::str(self.alloc, x)
    }

    pub(crate) fn absolute_fill(&self) -> Value<'a> {
        self.o(vec![
            ("position", self.s("absolute")),
            ("left", Self::num(0.0)),
            ("right", Self::num(0.0)),
            ("top", Self::num(0.0)),
            ("bottom", Self::num(0.0)),
        ])
    }

    fn animated(&self) -> Value<'a> {
        self.o(vec![
            ("View", host("View")),
            ("Text", host("Text")),
            ("Image", host("Image")),
            ("ScrollView", host("ScrollView")),
            ("FlatList", host("FlatList")),
            ("Value", Value::Builtin(B::AnimatedValue)),
            ("createAnimatedComponent", Value::Builtin(B::Identity)),
            ("timing", Value::Builtin(B::Noop)),
            ("spring", Value::Builtin(B::Noop)),
            ("sequence", Value::Builtin(B::Noop)),
            ("parallel", Value::Builtin(B::Noop)),
            ("loop", Value::Builtin(B::Noop)),
            ("event", Value::Builtin(B::Noop)),
        ])
    }

    /// React Navigation's `DefaultTheme` (v6/v7 light colours; v7's `fonts`, from
    /// @react-navigation/native 7.1.17 `src/theming/fonts.tsx`).
    pub(crate) fn nav_default_theme(&self) -> Value<'a> {
        let font = |family: &str, weight: &str| {
            self.o(vec![
                ("fontFamily", self.s(family)),
                ("fontWeight", self.s(weight)),
            ])
        };
        let fonts = match self.platform {
            TargetPlatform::Ios => self.o(vec![
                ("regular", font("System", "400")),
                ("medium", font("System", "500")),
                ("bold", font("System", "600")),
                ("heavy", font("System", "700")),
            ]),
            TargetPlatform::Android => self.o(vec![
                ("regular", font("sans-serif", "normal")),
                ("medium", font("sans-serif-medium", "normal")),
                ("bold", font("sans-serif", "600")),
                ("heavy", font("sans-serif", "700")),
            ]),
        };
        self.o(vec![
            ("dark", Value::Bool(false)),
            ("fonts", fonts),
            (
                "colors",
                self.o(vec![
                    ("primary", self.s("rgb(0, 122, 255)")),
                    ("background", self.s("rgb(242, 242, 242)")),
                    ("card", self.s("rgb(255, 255, 255)")),
                    ("text", self.s("rgb(28, 28, 30)")),
                    ("border", self.s("rgb(216, 216, 216)")),
                    ("notification", self.s("rgb(255, 59, 48)")),
                ]),
            ),
        ])
    }

    pub(crate) fn react_namespace(&self) -> Value<'a> {
        let names = [
            "useState",
            "useReducer",
            "useMemo",
            "useCallback",
            "useRef",
            "useEffect",
            "useLayoutEffect",
            "useContext",
            "createContext",
            "memo",
            "forwardRef",
            "Fragment",
            "Component",
            "PureComponent",
            "useId",
            "createElement",
            "useImperativeHandle",
            "useTransition",
            "useDeferredValue",
        ];
        self.o(names.iter().map(|n| (*n, self.react(n))).collect())
    }

    fn react(&self, name: &str) -> Value<'a> {
        match name {
            "useState" => Value::Builtin(B::UseState),
            "useReducer" => Value::Builtin(B::UseReducer),
            "useMemo" => Value::Builtin(B::UseMemo),
            "useCallback" | "memo" | "forwardRef" | "useDeferredValue" => {
                Value::Builtin(B::Identity)
            }
            "useRef" => Value::Builtin(B::UseRef),
            "useContext" => Value::Builtin(B::UseContext),
            "createContext" => Value::Builtin(B::CreateContext),
            "Fragment" | "StrictMode" | "Suspense" => Value::Fragment,
            "createElement" => Value::Builtin(B::CreateElement),
            "Component" | "PureComponent" => Value::ext(self.alloc, "react", "Component"),
            "default" | "*" => self.react_namespace(),
            _ => Value::Builtin(B::Noop),
        }
    }

    fn dimensions(&self) -> Value<'a> {
        self.o(vec![
            ("width", Self::num(self.device.width)),
            ("height", Self::num(self.device.height)),
            ("scale", Self::num(self.device.scale)),
            ("fontScale", Self::num(1.0)),
        ])
    }

    /// `useSafeAreaFrame()`: the window.
    pub fn window_frame(&self) -> Value<'a> {
        self.o(vec![
            ("x", Self::num(0.0)),
            ("y", Self::num(0.0)),
            ("width", Self::num(self.device.width)),
            ("height", Self::num(self.device.height)),
        ])
    }

    pub fn insets(&self) -> Value<'a> {
        let i = self.device.safe_area;
        self.o(vec![
            ("top", Self::num(i.top)),
            ("right", Self::num(i.right)),
            ("bottom", Self::num(i.bottom)),
            ("left", Self::num(i.left)),
        ])
    }

    fn react_native(&self, name: &str) -> Value<'a> {
        if RN_HOSTS.contains(&name) {
            return host(name);
        }
        match name {
            "VirtualizedList" => host("FlatList"),
            "StyleSheet" => self.o(vec![
                ("create", Value::Builtin(B::StyleSheetCreate)),
                ("flatten", Value::Builtin(B::StyleSheetFlatten)),
                ("compose", Value::Builtin(B::StyleSheetFlatten)),
                ("absoluteFill", self.absolute_fill()),
                ("absoluteFillObject", self.absolute_fill()),
                ("hairlineWidth", Self::num(1.0 / self.device.scale)),
            ]),
            "Platform" => self.o(vec![
                ("OS", self.s(self.platform.as_str())),
                ("select", Value::Builtin(B::PlatformSelect)),
                (
                    "Version",
                    Value::unknown(self.alloc, "Platform.Version is not known at compile time"),
                ),
                (
                    "isPad",
                    Value::Bool(self.device.kind == crate::device::DeviceKind::Ipad),
                ),
            ]),
            "Dimensions" => self.o(vec![
                ("get", Value::Builtin(B::DimensionsGet)),
                ("addEventListener", Value::Builtin(B::Noop)),
            ]),
            "PixelRatio" => self.o(vec![
                ("get", Value::Builtin(B::PixelRatioGet)),
                ("roundToNearestPixel", Value::Builtin(B::Identity)),
                ("getFontScale", Value::Builtin(B::True)),
            ]),
            "useWindowDimensions" => Value::Builtin(B::UseWindowDimensions),
            "useColorScheme" => Value::Builtin(B::UseColorScheme),
            "Appearance" => self.o(vec![("getColorScheme", Value::Builtin(B::UseColorScheme))]),
            "Animated" => self.animated(),
            "I18nManager" => self.o(vec![
                ("isRTL", Value::Bool(false)),
                ("getConstants", Value::Builtin(B::I18nConstants)),
            ]),
            // No native view managers in a preview: `getViewManagerConfig(...) != null` is
            // false, as for a view whose native module is not installed.
            "UIManager" => self.o(vec![
                ("getViewManagerConfig", Value::Builtin(B::Noop)),
                ("hasViewManagerConfig", Value::Builtin(B::Noop)),
            ]),
            "Keyboard" | "Alert" | "Linking" | "Vibration" | "Share" | "BackHandler"
            | "LayoutAnimation" => self.o(vec![]),
            _ => Value::ext(self.alloc, "react-native", name),
        }
    }

    /// The value of `import {name} from pkg` (`default` and `*` for default/namespace imports).
    pub fn import(&self, pkg: &str, name: &str) -> Value<'a> {
        let ext = || Value::ext(self.alloc, pkg, name);
        match pkg {
            "react" => self.react(name),
            "react/jsx-runtime" | "react/jsx-dev-runtime" => match name {
                "jsx" | "jsxs" | "jsxDEV" => Value::Builtin(B::Jsx),
                "Fragment" => Value::Fragment,
                _ => self.o(vec![
                    ("jsx", Value::Builtin(B::Jsx)),
                    ("jsxs", Value::Builtin(B::Jsx)),
                    ("jsxDEV", Value::Builtin(B::Jsx)),
                    ("Fragment", Value::Fragment),
                ]),
            },
            p if p.starts_with("@babel/runtime/helpers/") => {
                let helper = p.rsplit('/').next().unwrap_or("");
                babel_helper(helper).map_or_else(ext, Value::Builtin)
            }
            "react-native" | "react-native-web" => {
                if name == "*" || name == "default" {
                    let mut all: Vec<(&str, Value<'a>)> =
                        RN_HOSTS.iter().map(|n| (*n, host(n))).collect();
                    for n in [
                        "StyleSheet",
                        "Platform",
                        "Dimensions",
                        "PixelRatio",
                        "Animated",
                        "useWindowDimensions",
                        "useColorScheme",
                        "VirtualizedList",
                        "Appearance",
                        "I18nManager",
                        "UIManager",
                        "Keyboard",
                        "Alert",
                        "Linking",
                        "LayoutAnimation",
                    ] {
                        all.push((n, self.react_native(n)));
                    }
                    self.o(all)
                } else {
                    self.react_native(name)
                }
            }
            "expo-image" | "react-native-fast-image" if matches!(name, "Image" | "default") => {
                host("Image")
            }
            "react-native-safe-area-context" => match name {
                "SafeAreaView" => host("SafeAreaContextView"),
                "SafeAreaProvider" => host("SafeAreaProvider"),
                "useSafeAreaInsets" => Value::Builtin(B::UseSafeAreaInsets),
                "useSafeAreaFrame" => Value::Builtin(B::UseSafeAreaFrame),
                "initialWindowMetrics" => self.o(vec![("insets", self.insets())]),
                _ => ext(),
            },
            "react-native-reanimated" => match name {
                "default" | "*" => self.animated(),
                "useSharedValue" => Value::Builtin(B::UseSharedValue),
                "withTiming" | "withSpring" | "withDecay" => Value::Builtin(B::Identity),
                "interpolate" => Value::Builtin(B::Lib(LibFn::Interpolate)),
                "interpolateColor" => Value::Builtin(B::Lib(LibFn::InterpolateColor)),
                "Extrapolation" | "Extrapolate" => self.o(vec![
                    ("CLAMP", self.s("clamp")),
                    ("EXTEND", self.s("extend")),
                    ("IDENTITY", self.s("identity")),
                ]),
                "useAnimatedStyle" | "useDerivedValue" => Value::Builtin(B::CallArg0),
                "useAnimatedScrollHandler" | "useAnimatedRef" | "runOnJS" | "cancelAnimation" => {
                    Value::Builtin(B::Noop)
                }
                _ => Value::unknown(
                    self.alloc,
                    format!("`{name}` from react-native-reanimated is an animation value"),
                ),
            },
            "expo-router" => match name {
                "Link" => host("Link"),
                "Stack" | "Tabs" | "Drawer" | "Slot" | "Redirect" => {
                    self.o(vec![("Screen", host("Nothing")), ("Navigator", ext())])
                }
                "useRouter" => Value::Builtin(B::UseRouter),
                "router" => self.router(),
                "useLocalSearchParams" | "useGlobalSearchParams" => Value::Builtin(B::UseParams),
                "useNavigation" => Value::Builtin(B::UseNavigation),
                "useSegments" | "usePathname" | "useFocusEffect" => Value::Builtin(B::Noop),
                _ => ext(),
            },
            "@react-navigation/native" | "@react-navigation/core" => match name {
                "useNavigation" => Value::Builtin(B::UseNavigation),
                "useRoute" => Value::Builtin(B::UseRoute),
                "useTheme" => Value::Builtin(B::UseNavTheme),
                "DefaultTheme" => self.nav_default_theme(),
                "ThemeProvider" => Value::Provider(super::NAV_THEME_CTX),
                "NavigationContainer" => Value::Fragment,
                "useIsFocused" => Value::Builtin(B::True),
                "useFocusEffect" | "useScrollToTop" => Value::Builtin(B::Noop),
                _ => ext(),
            },
            p if p.starts_with("@react-navigation/")
                && name.starts_with("create")
                && name.ends_with("Navigator") =>
            {
                Value::Builtin(B::CreateNavigator)
            }
            "react-navigation-stack" | "react-navigation-tabs" | "react-navigation"
                if name.starts_with("create") =>
            {
                Value::Builtin(B::CreateNavigator)
            }
            "styled-components"
            | "styled-components/native"
            | "@emotion/native"
            | "@emotion/styled" => match name {
                "default" | "*" => Value::Builtin(B::Styled),
                "css" => Value::Builtin(B::Css),
                "ThemeProvider" => Value::Provider(super::STYLED_THEME_CTX),
                "useTheme" => Value::Builtin(B::UseStyledTheme),
                "withTheme" => Value::Builtin(B::Identity),
                _ => ext(),
            },
            "@emotion/react" => match name {
                "ThemeProvider" => Value::Provider(super::STYLED_THEME_CTX),
                "useTheme" => Value::Builtin(B::UseStyledTheme),
                "css" => Value::Builtin(B::Css),
                _ => ext(),
            },
            "nativewind" => match name {
                "styled" | "cssInterop" | "remapProps" => Value::Builtin(B::Identity),
                "useColorScheme" => Value::Builtin(B::UseColorSchemeObj),
                _ => ext(),
            },
            "clsx" | "classnames" | "tailwind-merge" | "class-variance-authority" => match name {
                "default" | "clsx" | "twMerge" | "cx" | "classNames" | "twJoin" => {
                    Value::Builtin(B::ClassNames)
                }
                _ => ext(),
            },
            "react-i18next" => match name {
                "useTranslation" => Value::Builtin(B::UseTranslation),
                "withTranslation" => Value::Builtin(B::HocFactory),
                "Trans" => ext(),
                _ => ext(),
            },
            // Previews assume translations are loaded, in English.
            "i18next" | "i18n-js" | "react-native-i18n" => self.o(vec![
                ("t", Value::Builtin(B::Translate)),
                ("isInitialized", Value::Bool(true)),
                ("language", self.s("en")),
                ("locale", self.s("en")),
                ("changeLanguage", Value::Builtin(B::Noop)),
            ]),
            // Higher-order components wrap the component they are given; its props from the
            // wrapper (store state, translations) stay unknown.
            "react-redux" => match name {
                "connect" => Value::Builtin(B::HocFactory),
                "useDispatch" => Value::Builtin(B::Noop),
                _ => ext(),
            },
            "mobx-react" | "mobx-react-lite" => match name {
                "observer" => Value::Builtin(B::Identity),
                "inject" => Value::Builtin(B::HocFactory),
                _ => ext(),
            },
            "react-navigation" | "@react-navigation/compat" if name == "withNavigation" => {
                Value::Builtin(B::Identity)
            }
            // Previews render as if fonts had loaded.
            "expo-font" if name == "useFonts" => Value::Builtin(B::FontsLoaded),
            "expo-font" if name == "loadAsync" => Value::Builtin(B::LoadFonts),
            // `import * as Font from 'expo-font'` (also its named export `Font`).
            "expo-font" if matches!(name, "*" | "Font") => self.o(vec![
                ("loadAsync", Value::Builtin(B::LoadFonts)),
                ("useFonts", Value::Builtin(B::FontsLoaded)),
            ]),
            p if p.starts_with("@expo-google-fonts/") && name == "useFonts" => {
                Value::Builtin(B::FontsLoaded)
            }
            "@ui-kitten/components" => match name {
                "StyleService" => self.o(vec![("create", Value::Builtin(B::Identity))]),
                "useStyleSheet" => Value::Builtin(B::KittenStyleSheet),
                "useTheme" => Value::Builtin(B::KittenTheme),
                _ => ext(),
            },
            "expo-linear-gradient" | "react-native-linear-gradient" => Value::ext(
                self.alloc,
                pkg,
                if name == "default" {
                    "LinearGradient"
                } else {
                    name
                },
            ),
            _ => ext(),
        }
    }

    pub fn router(&self) -> Value<'a> {
        self.o(vec![
            ("push", Value::Builtin(B::Noop)),
            ("navigate", Value::Builtin(B::Noop)),
            ("replace", Value::Builtin(B::Noop)),
            ("back", Value::Builtin(B::Noop)),
            ("canGoBack", Value::Builtin(B::True)),
        ])
    }

    pub fn navigation(&self) -> Value<'a> {
        let names = [
            "navigate",
            "push",
            "goBack",
            "replace",
            "setOptions",
            "addListener",
            "dispatch",
            "pop",
            "reset",
        ];
        let mut v: Vec<(&str, Value<'a>)> = names
            .iter()
            .map(|n| (*n, Value::Builtin(B::Noop)))
            .collect();
        v.push(("canGoBack", Value::Builtin(B::True)));
        v.push(("isFocused", Value::Builtin(B::True)));
        self.o(v)
    }

    /// A global every module sees (`Math`, `Object`, `require`, ...), built on first use.
    pub fn global(&self, name: &str) -> Option<Value<'a>> {
        let math = |m| Value::Builtin(B::Math(m));
        Some(match name {
            "undefined" => Value::Undef,
            "NaN" => Self::num(f64::NAN),
            "Infinity" => Self::num(f64::INFINITY),
            "require" => Value::Builtin(B::Require),
            "Number" => Value::Builtin(B::ToNumber),
            "String" => Value::Builtin(B::ToString),
            "Boolean" => Value::Builtin(B::ToBoolean),
            "parseFloat" => Value::Builtin(B::ParseFloat),
            "parseInt" => Value::Builtin(B::ParseFloat),
            // The build facts of the facts table (a preview is a development build).
            "__DEV__" => Value::Bool(super::facts::build().dev),
            "process" => self.o(vec![(
                "env",
                self.o(vec![("NODE_ENV", self.s(&super::facts::build().node_env))]),
            )]),
            "console" => self.o(vec![
                ("log", Value::Builtin(B::Noop)),
                ("warn", Value::Builtin(B::Noop)),
            ]),
            "Object" => self.o(vec![
                ("defineProperty", Value::Builtin(B::DefineProperty)),
                (
                    "prototype",
                    self.o(vec![("hasOwnProperty", Value::Builtin(B::HasOwnProperty))]),
                ),
                ("keys", Value::Builtin(B::ObjectKeys)),
                ("values", Value::Builtin(B::ObjectValues)),
                ("entries", Value::Builtin(B::ObjectEntries)),
                ("assign", Value::Builtin(B::ObjectAssign)),
                ("freeze", Value::Builtin(B::Identity)),
                ("fromEntries", Value::Builtin(B::ObjectFromEntries)),
            ]),
            "Array" => Value::Builtin(B::Ctor(Ctor::Array)),
            "Date" => Value::Builtin(B::Ctor(Ctor::Date)),
            "Map" | "WeakMap" => Value::Builtin(B::Ctor(Ctor::Map)),
            "Set" | "WeakSet" => Value::Builtin(B::Ctor(Ctor::Set)),
            "RegExp" => Value::Builtin(B::Ctor(Ctor::RegExp)),
            "URL" => Value::Builtin(B::Ctor(Ctor::Url)),
            "URLSearchParams" => Value::Builtin(B::Ctor(Ctor::SearchParams)),
            n if super::natives::ERROR_NAMES.contains(&n) => {
                let i = super::natives::ERROR_NAMES.iter().position(|e| *e == n);
                Value::Builtin(B::Ctor(Ctor::Error(i.unwrap_or(0) as u8)))
            }
            "Intl" => self.o(vec![
                ("NumberFormat", Value::Builtin(B::Ctor(Ctor::NumberFormat))),
                (
                    "DateTimeFormat",
                    Value::Builtin(B::Ctor(Ctor::DateTimeFormat)),
                ),
                ("PluralRules", Value::Builtin(B::Ctor(Ctor::PluralRules))),
            ]),
            // The global object: Hermes is React Native's engine (`global.HermesInternal`).
            "global" | "globalThis" | "window" => self.o(vec![
                ("HermesInternal", self.o(vec![])),
                ("__DEV__", Value::Bool(super::facts::build().dev)),
            ]),
            "JSON" => self.o(vec![
                ("stringify", Value::Builtin(B::JsonStringify)),
                ("parse", Value::Builtin(B::JsonParse)),
            ]),
            "isNaN" => Value::Builtin(B::NumberIs(super::value::NumberTest::NaN)),
            "isFinite" => Value::Builtin(B::NumberIs(super::value::NumberTest::Finite)),
            "Math" => self.o(vec![
                ("min", math(MathFn::Min)),
                ("max", math(MathFn::Max)),
                ("round", math(MathFn::Round)),
                ("floor", math(MathFn::Floor)),
                ("ceil", math(MathFn::Ceil)),
                ("abs", math(MathFn::Abs)),
                ("pow", math(MathFn::Pow)),
                ("sqrt", math(MathFn::Sqrt)),
                ("PI", Self::num(std::f64::consts::PI)),
            ]),
            _ => return None,
        })
    }

    pub fn dimensions_value(&self) -> Value<'a> {
        self.dimensions()
    }
}
