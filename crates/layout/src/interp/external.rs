//! What imports from packages (whose code is not among the inputs) mean to the evaluator:
//! core components, hooks and APIs with known behaviour; everything else stays an opaque
//! third-party export that renders as a snapshot.

use super::value::{Builtin as B, JsStr, MathFn, Value, new_obj};
use crate::device::{DeviceProfile, TargetPlatform};

/// Core components of `react-native` that map to Layout JSON node types.
const RN_HOSTS: &[&str] = &[
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

pub(crate) struct Env<'t> {
    pub platform: TargetPlatform,
    pub device: &'t DeviceProfile,
}

/// Node types a host component can have, besides [`RN_HOSTS`].
const OTHER_HOSTS: &[&str] = &["SafeAreaProvider", "Link", "Nothing"];

/// The host component `n` (one of [`RN_HOSTS`] or [`OTHER_HOSTS`]).
fn host<'a>(n: &str) -> Value<'a> {
    match RN_HOSTS.iter().chain(OTHER_HOSTS).find(|h| **h == n) {
        Some(h) => Value::Host(h),
        None => unreachable!("`{n}` is not a host component"),
    }
}

fn o<'a>(entries: Vec<(&'a str, Value<'a>)>) -> Value<'a> {
    new_obj(
        entries
            .into_iter()
            .map(|(k, v)| (JsStr::from(k), v))
            .collect(),
    )
}

fn num<'a>(n: f64) -> Value<'a> {
    Value::Num(n)
}

fn s<'a>(x: &str) -> Value<'a> {
    Value::str(x)
}

pub(crate) fn absolute_fill<'a>() -> Value<'a> {
    o(vec![
        ("position", s("absolute")),
        ("left", num(0.0)),
        ("right", num(0.0)),
        ("top", num(0.0)),
        ("bottom", num(0.0)),
    ])
}

fn animated<'a>() -> Value<'a> {
    o(vec![
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

/// React Navigation's `DefaultTheme` (v6/v7 light colours).
pub(crate) fn nav_default_theme<'a>() -> Value<'a> {
    o(vec![
        ("dark", Value::Bool(false)),
        (
            "colors",
            o(vec![
                ("primary", s("rgb(0, 122, 255)")),
                ("background", s("rgb(242, 242, 242)")),
                ("card", s("rgb(255, 255, 255)")),
                ("text", s("rgb(28, 28, 30)")),
                ("border", s("rgb(216, 216, 216)")),
                ("notification", s("rgb(255, 59, 48)")),
            ]),
        ),
    ])
}

pub(crate) fn react_namespace<'a>() -> Value<'a> {
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
    o(names.iter().map(|n| (*n, react(n))).collect())
}

fn react<'a>(name: &str) -> Value<'a> {
    match name {
        "useState" => Value::Builtin(B::UseState),
        "useReducer" => Value::Builtin(B::UseReducer),
        "useMemo" => Value::Builtin(B::UseMemo),
        "useCallback" | "memo" | "forwardRef" | "useDeferredValue" => Value::Builtin(B::Identity),
        "useRef" => Value::Builtin(B::UseRef),
        "useContext" => Value::Builtin(B::UseContext),
        "createContext" => Value::Builtin(B::CreateContext),
        "Fragment" | "StrictMode" | "Suspense" => Value::Fragment,
        "createElement" => Value::Builtin(B::CreateElement),
        "Component" | "PureComponent" => Value::ext("react", "Component"),
        "default" | "*" => react_namespace(),
        _ => Value::Builtin(B::Noop),
    }
}

impl Env<'_> {
    fn dimensions<'a>(&self) -> Value<'a> {
        o(vec![
            ("width", num(self.device.width)),
            ("height", num(self.device.height)),
            ("scale", num(self.device.scale)),
            ("fontScale", num(1.0)),
        ])
    }

    pub fn insets<'a>(&self) -> Value<'a> {
        let i = self.device.safe_area;
        o(vec![
            ("top", num(i.top)),
            ("right", num(i.right)),
            ("bottom", num(i.bottom)),
            ("left", num(i.left)),
        ])
    }

    fn react_native<'a>(&self, name: &str) -> Value<'a> {
        if RN_HOSTS.contains(&name) {
            return host(name);
        }
        match name {
            "VirtualizedList" => host("FlatList"),
            "StyleSheet" => o(vec![
                ("create", Value::Builtin(B::StyleSheetCreate)),
                ("flatten", Value::Builtin(B::StyleSheetFlatten)),
                ("compose", Value::Builtin(B::StyleSheetFlatten)),
                ("absoluteFill", absolute_fill()),
                ("absoluteFillObject", absolute_fill()),
                ("hairlineWidth", num(1.0 / self.device.scale)),
            ]),
            "Platform" => o(vec![
                ("OS", s(self.platform.as_str())),
                ("select", Value::Builtin(B::PlatformSelect)),
                (
                    "Version",
                    Value::unknown("Platform.Version is not known at compile time"),
                ),
                (
                    "isPad",
                    Value::Bool(self.device.kind == crate::device::DeviceKind::Ipad),
                ),
            ]),
            "Dimensions" => o(vec![
                ("get", Value::Builtin(B::DimensionsGet)),
                ("addEventListener", Value::Builtin(B::Noop)),
            ]),
            "PixelRatio" => o(vec![
                ("get", Value::Builtin(B::PixelRatioGet)),
                ("roundToNearestPixel", Value::Builtin(B::Identity)),
                ("getFontScale", Value::Builtin(B::True)),
            ]),
            "useWindowDimensions" => Value::Builtin(B::UseWindowDimensions),
            "useColorScheme" => Value::Builtin(B::UseColorScheme),
            "Appearance" => o(vec![("getColorScheme", Value::Builtin(B::UseColorScheme))]),
            "Animated" => animated(),
            "I18nManager" => o(vec![("isRTL", Value::Bool(false))]),
            "Keyboard" | "Alert" | "Linking" | "Vibration" | "Share" | "BackHandler"
            | "LayoutAnimation" => o(vec![]),
            _ => Value::ext("react-native", name),
        }
    }

    /// The value of `import {name} from pkg` (`default` and `*` for default/namespace imports).
    pub fn import<'a>(&self, pkg: &str, name: &str) -> Value<'a> {
        let ext = || Value::ext(pkg, name);
        match pkg {
            "react" => react(name),
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
                    ] {
                        all.push((n, self.react_native(n)));
                    }
                    o(all)
                } else {
                    self.react_native(name)
                }
            }
            "expo-image" | "react-native-fast-image" if matches!(name, "Image" | "default") => {
                host("Image")
            }
            "react-native-safe-area-context" => match name {
                "SafeAreaView" => host("SafeAreaView"),
                "SafeAreaProvider" => host("SafeAreaProvider"),
                "useSafeAreaInsets" => Value::Builtin(B::UseSafeAreaInsets),
                "initialWindowMetrics" => o(vec![("insets", self.insets())]),
                _ => ext(),
            },
            "react-native-gesture-handler" => match name {
                "GestureHandlerRootView" => host("View"),
                "ScrollView"
                | "FlatList"
                | "TouchableOpacity"
                | "TouchableHighlight"
                | "TouchableWithoutFeedback"
                | "Pressable"
                | "Switch"
                | "TextInput" => host(name),
                "RectButton" | "BorderlessButton" | "BaseButton" => host("Pressable"),
                _ => ext(),
            },
            "react-native-reanimated" => match name {
                "default" | "*" => animated(),
                "useSharedValue" => Value::Builtin(B::UseSharedValue),
                "withTiming" | "withSpring" | "withDecay" => Value::Builtin(B::Identity),
                "useAnimatedStyle" | "useDerivedValue" => Value::Builtin(B::CallArg0),
                "useAnimatedScrollHandler" | "useAnimatedRef" | "runOnJS" | "cancelAnimation" => {
                    Value::Builtin(B::Noop)
                }
                _ => Value::unknown(format!(
                    "`{name}` from react-native-reanimated is an animation value"
                )),
            },
            "expo-router" => match name {
                "Link" => host("Link"),
                "Stack" | "Tabs" | "Drawer" | "Slot" | "Redirect" => {
                    o(vec![("Screen", host("Nothing")), ("Navigator", ext())])
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
                "DefaultTheme" => nav_default_theme(),
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
            "i18next" | "i18n-js" | "react-native-i18n" => o(vec![
                ("t", Value::Builtin(B::Translate)),
                ("isInitialized", Value::Bool(true)),
                ("language", s("en")),
                ("locale", s("en")),
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
            "@expo-google-fonts/inter" | "@expo-google-fonts/roboto" if name == "useFonts" => {
                Value::Builtin(B::FontsLoaded)
            }
            "@ui-kitten/components" => match name {
                "StyleService" => o(vec![("create", Value::Builtin(B::Identity))]),
                "useStyleSheet" => Value::Builtin(B::Identity),
                _ => ext(),
            },
            "expo-status-bar" if name == "StatusBar" => host("StatusBar"),
            "expo-linear-gradient" | "react-native-linear-gradient" => Value::ext(
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

    pub fn router<'a>(&self) -> Value<'a> {
        o(vec![
            ("push", Value::Builtin(B::Noop)),
            ("navigate", Value::Builtin(B::Noop)),
            ("replace", Value::Builtin(B::Noop)),
            ("back", Value::Builtin(B::Noop)),
            ("canGoBack", Value::Builtin(B::True)),
        ])
    }

    pub fn navigation<'a>(&self) -> Value<'a> {
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
        o(v)
    }

    /// A global every module sees (`Math`, `Object`, `require`, ...), built on first use.
    pub fn global<'a>(&self, name: &str) -> Option<Value<'a>> {
        let math = |m| Value::Builtin(B::Math(m));
        Some(match name {
            "undefined" => Value::Undef,
            "NaN" => num(f64::NAN),
            "Infinity" => num(f64::INFINITY),
            "require" => Value::Builtin(B::Require),
            "Number" => Value::Builtin(B::ToNumber),
            "String" => Value::Builtin(B::ToString),
            "Boolean" => Value::Builtin(B::ToBoolean),
            "parseFloat" => Value::Builtin(B::ParseFloat),
            "parseInt" => Value::Builtin(B::ParseFloat),
            "__DEV__" => Value::Bool(false),
            "console" => o(vec![
                ("log", Value::Builtin(B::Noop)),
                ("warn", Value::Builtin(B::Noop)),
            ]),
            "Object" => o(vec![
                ("keys", Value::Builtin(B::ObjectKeys)),
                ("values", Value::Builtin(B::ObjectValues)),
                ("entries", Value::Builtin(B::ObjectEntries)),
                ("assign", Value::Builtin(B::ObjectAssign)),
                ("freeze", Value::Builtin(B::Identity)),
            ]),
            "Array" => o(vec![
                ("isArray", Value::Builtin(B::ArrayIsArray)),
                ("from", Value::Builtin(B::ArrayFrom)),
            ]),
            "Math" => o(vec![
                ("min", math(MathFn::Min)),
                ("max", math(MathFn::Max)),
                ("round", math(MathFn::Round)),
                ("floor", math(MathFn::Floor)),
                ("ceil", math(MathFn::Ceil)),
                ("abs", math(MathFn::Abs)),
                ("pow", math(MathFn::Pow)),
                ("sqrt", math(MathFn::Sqrt)),
                ("PI", num(std::f64::consts::PI)),
            ]),
            _ => return None,
        })
    }

    pub fn dimensions_value<'a>(&self) -> Value<'a> {
        self.dimensions()
    }
}
