//! Packages the request carries under `node_modules/`: bare imports resolve into them, their
//! published code (CommonJS with Babel's helpers, ES modules with `jsx()` calls) is evaluated,
//! and their components render with their real structure, before the library table; package
//! files are parsed only when imported.

use hivesync_layout::{
    CompileError, CompileOutput, CompileRequest, DeviceKind, SourceFile, Target, TargetPlatform,
    compile,
};
use serde_json::Value;

use crate::fixtures::{compile_fixture, snapshot_all};

fn compile_files(files: &[(&str, &str)], platform: TargetPlatform) -> CompileOutput {
    let device = match platform {
        TargetPlatform::Ios => DeviceKind::Iphone,
        TargetPlatform::Android => DeviceKind::AndroidPhone,
    };
    let files = files.iter().map(|(p, t)| SourceFile::new(*p, *t)).collect();
    compile(&CompileRequest::new(files, Target::new(platform, device))).expect("compiles")
}

fn doc(out: &CompileOutput, id: &str) -> Value {
    let s = out.screens.iter().find(|s| s.id == id).expect("screen");
    serde_json::to_value(&s.document).unwrap()
}

/// Every node of a document, depth first.
fn nodes(v: &Value) -> Vec<&Value> {
    let mut out = vec![v];
    for c in v["children"].as_array().into_iter().flatten() {
        out.extend(nodes(c));
    }
    out
}

fn find<'v>(root: &'v Value, what: &str, pred: impl Fn(&Value) -> bool) -> &'v Value {
    nodes(root)
        .into_iter()
        .find(|n| pred(n))
        .unwrap_or_else(|| panic!("no {what} in {root:#}"))
}

fn by_component<'v>(root: &'v Value, component: &str) -> &'v Value {
    find(root, component, |n| n["component"] == component)
}

fn text_node<'v>(root: &'v Value, text: &str) -> &'v Value {
    find(root, text, |n| n["text"] == text)
}

fn warnings(out: &CompileOutput) -> Vec<String> {
    out.screens
        .iter()
        .flat_map(|s| s.warnings.iter().map(|w| w.message.clone()))
        .chain(out.warnings.iter().map(|w| w.message.clone()))
        .collect()
}

#[test]
fn react_navigation_elements_render_from_their_commonjs_build() {
    let out = compile_fixture("elements-settings", TargetPlatform::Ios, DeviceKind::Iphone);
    snapshot_all("elements-settings", &out);
    let settings = doc(&out, "settings");
    let root = &settings["root"];
    // Header.js: a HeaderBackground card (theme card colour, iOS hairline shadow) behind the
    // status-bar spacer and the left/title/right row.
    let background = by_component(root, "HeaderBackground");
    assert_eq!(background["style"]["backgroundColor"], "rgb(255, 255, 255)");
    assert_eq!(background["style"]["shadowColor"], "rgb(216, 216, 216)");
    assert_eq!(background["style"]["shadowOpacity"], 0.85);
    let title = text_node(root, "Settings");
    assert_eq!(title["component"], "HeaderTitle");
    assert_eq!(title["style"]["fontSize"], 17);
    assert_eq!(title["style"]["fontWeight"], "600");
    assert_eq!(title["style"]["color"], "rgb(28, 28, 30)");
    assert_eq!(title["props"]["numberOfLines"], 1);
    // getDefaultHeaderHeight: 44 points on an iPhone, plus the status bar (Dynamic Island: the
    // safe-area top less 5).
    let header = find(root, "header", |n| {
        n["component"] == "Header" && n["style"]["height"].is_number()
    });
    assert_eq!(header["style"]["height"], 44 + 54);
    // Rows: the project's component around the package's PlatformPressable.
    assert_eq!(text_node(root, "Profile")["style"]["fontSize"], 16);
    let pressable = by_component(root, "PlatformPressable");
    assert_eq!(pressable["type"], "Pressable");
    assert_eq!(pressable["style"]["backgroundColor"], "#fff");
    assert_eq!(by_component(root, "MissingIcon")["text"], "\u{23f7}");
    // Nothing of the screens came from the library table or passed through.
    for id in ["settings", "profile"] {
        let d = doc(&out, id);
        let marked: Vec<&Value> = nodes(&d["root"])
            .into_iter()
            .filter(|n| !n["external"].is_null() || n["type"] == "HS_ImageSnapshot")
            .collect();
        assert!(marked.is_empty(), "{id}: {marked:#?}");
    }
    let profile = doc(&out, "profile");
    let back = text_node(&profile["root"], "Settings");
    assert_eq!(back["style"]["color"], "rgb(0, 122, 255)", "iOS tint");
    let card = by_component(&profile["root"], "Background");
    assert_eq!(card["style"]["backgroundColor"], "rgb(242, 242, 242)");
}

#[test]
fn package_code_follows_the_platform_of_the_target() {
    let out = compile_fixture(
        "elements-settings",
        TargetPlatform::Android,
        DeviceKind::AndroidPhone,
    );
    let settings = doc(&out, "settings");
    let title = text_node(&settings["root"], "Settings");
    assert_eq!(title["style"]["fontSize"], 20);
    assert_eq!(title["style"]["fontFamily"], "sans-serif-medium");
    let background = by_component(&settings["root"], "HeaderBackground");
    assert_eq!(background["style"]["elevation"], 4);
}

#[test]
fn without_the_package_code_the_library_table_renders_it_and_says_so() {
    let root =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/elements-settings");
    let mut files = Vec::new();
    crate::common::load(&root, &root, &mut files);
    files.retain(|f| !f.path.starts_with("node_modules/"));
    let out = compile(&CompileRequest::new(
        files,
        Target::new(TargetPlatform::Ios, DeviceKind::Iphone),
    ))
    .unwrap();
    let settings = doc(&out, "settings");
    let header = find(&settings["root"], "table header", |n| {
        n["external"]["component"] == "Header"
    });
    assert_eq!(header["external"]["package"], "@react-navigation/elements");
    assert_eq!(header["external"]["via"], "library");
    assert!(
        nodes(&settings["root"])
            .iter()
            .all(|n| n["component"] != "HeaderBackground"),
        "the table does not know the package's inner components"
    );
}

/// A package in the shape Babel's CommonJS build gives: `index.js` re-exporting through
/// getters and `export *` loops, components calling `createElement` and `jsx()`.
const CJS_KIT: &[(&str, &str)] = &[
    (
        "node_modules/kit/package.json",
        r#"{"name": "kit", "main": "lib/index.js"}"#,
    ),
    (
        "node_modules/kit/lib/index.js",
        r#""use strict";
Object.defineProperty(exports, "__esModule", { value: true });
var _exportNames = { Card: true };
Object.defineProperty(exports, "Card", {
  enumerable: true,
  get: function () { return _Card.default; }
});
var _Card = _interopRequireDefault(require("./Card"));
var _badge = require("./badge");
Object.keys(_badge).forEach(function (key) {
  if (key === "default" || key === "__esModule") return;
  if (Object.prototype.hasOwnProperty.call(_exportNames, key)) return;
  if (key in exports && exports[key] === _badge[key]) return;
  Object.defineProperty(exports, key, {
    enumerable: true,
    get: function () { return _badge[key]; }
  });
});
function _interopRequireDefault(e) { return e && e.__esModule ? e : { default: e }; }
"#,
    ),
    (
        "node_modules/kit/lib/Card.js",
        r#""use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.default = void 0;
var _react = _interopRequireDefault(require("react"));
var _reactNative = require("react-native");
const _excluded = ["title", "style"];
function _interopRequireDefault(e) { return e && e.__esModule ? e : { default: e }; }
function _extends() { return _extends = Object.assign ? Object.assign.bind() : function (n) { for (var e = 1; e < arguments.length; e++) { var t = arguments[e]; for (var r in t) ({}).hasOwnProperty.call(t, r) && (n[r] = t[r]); } return n; }, _extends.apply(null, arguments); }
function _objectWithoutProperties(e, t) { if (null == e) return {}; var o, r, i = _objectWithoutPropertiesLoose(e, t); return i; }
function _objectWithoutPropertiesLoose(r, e) { if (null == r) return {}; var t = {}; for (var n in r) if ({}.hasOwnProperty.call(r, n)) { if (-1 !== e.indexOf(n)) continue; t[n] = r[n]; } return t; }
class Card extends _react.default.Component {
  render() {
    const _this$props = this.props,
      { title, style } = _this$props,
      rest = _objectWithoutProperties(_this$props, _excluded);
    return /*#__PURE__*/_react.default.createElement(_reactNative.View, _extends({
      style: [styles.card, style]
    }, rest), /*#__PURE__*/_react.default.createElement(_reactNative.Text, {
      style: styles.title
    }, title), this.props.children);
  }
}
const styles = _reactNative.StyleSheet.create({
  card: { padding: 12, borderRadius: 8, backgroundColor: '#fafafa' },
  title: { fontSize: 18, fontWeight: '700' }
});
var _default = exports.default = Card;
"#,
    ),
    (
        "node_modules/kit/lib/badge.js",
        r#""use strict";
var _jsxRuntime = require("react/jsx-runtime");
var RN = _interopRequireWildcard(require("react-native"));
function _interopRequireWildcard(e, t) { if (!t && e && e.__esModule) return e; var n = {}; for (const k in e) n[k] = e[k]; return n.default = e, n; }
function Badge(props) {
  return (0, _jsxRuntime.jsx)(RN.Text, { style: { color: props.color || 'red' }, children: props.label });
}
module.exports = { Badge: Badge };
"#,
    ),
];

#[test]
fn commonjs_packages_with_getters_export_loops_interop_helpers_and_jsx_calls_render() {
    let mut files = vec![(
        "App.js",
        r#"import React from 'react';
import { View } from 'react-native';
import { Card, Badge } from 'kit';
const Kit = require('kit');
export default function App() {
  return (
    <View>
      <Card title="Hello" testID="card" style={{ marginTop: 4 }}>
        <Badge label="New" />
      </Card>
      <Kit.Badge label="Old" color="gray" />
    </View>
  );
}
"#,
    )];
    files.extend_from_slice(CJS_KIT);
    let out = compile_files(&files, TargetPlatform::Ios);
    let d = doc(&out, "app");
    let card = by_component(&d["root"], "Card");
    assert_eq!(card["type"], "View");
    assert_eq!(card["style"]["paddingTop"], 12);
    assert_eq!(card["style"]["borderTopLeftRadius"], 8);
    assert_eq!(
        card["style"]["marginTop"], 4,
        "the element's style after the package's"
    );
    assert_eq!(
        card["props"]["testID"], "card",
        "rest props forwarded by _extends"
    );
    let title = text_node(&d["root"], "Hello");
    assert_eq!(title["style"]["fontSize"], 18);
    assert_eq!(title["style"]["fontWeight"], "700");
    assert_eq!(text_node(&d["root"], "New")["style"]["color"], "red");
    assert_eq!(text_node(&d["root"], "Old")["style"]["color"], "gray");
    assert!(
        nodes(&d["root"]).iter().all(|n| n["external"].is_null()),
        "{:#}",
        d["root"]
    );
    assert!(
        warnings(&out).is_empty(),
        "the CommonJS forms evaluate without guesses: {:#?}",
        warnings(&out)
    );
}

#[test]
fn es_module_packages_resolve_through_exports_and_render_jsx_runtime_calls() {
    let out = compile_files(
        &[
            (
                "App.tsx",
                r#"import { Chip, Panel } from '@acme/chips';
import Tag from '@acme/chips/tag';
export default function App() {
  return <Panel><Chip label="Design" /><Tag name="beta" /></Panel>;
}
"#,
            ),
            (
                "node_modules/@acme/chips/package.json",
                r#"{"name": "@acme/chips", "main": "./dist/index.cjs", "exports": {
                    ".": {"types": "./dist/index.d.ts", "import": "./dist/index.mjs", "require": "./dist/index.cjs"},
                    "./*": {"import": "./dist/*.mjs"}}}"#,
            ),
            (
                "node_modules/@acme/chips/dist/index.mjs",
                r#"import * as React from 'react';
import { View, Text, StyleSheet } from 'react-native';
import { jsx as _jsx, jsxs as _jsxs } from "react/jsx-runtime";
export function Chip({ label, selected = false }) {
  return /*#__PURE__*/_jsxs(View, {
    style: [styles.chip, selected && styles.selected],
    children: [/*#__PURE__*/_jsx(Text, { style: styles.label, children: label }), /*#__PURE__*/_jsx(Text, { children: "\u00d7" })]
  });
}
export class Panel extends React.Component {
  render() {
    return /*#__PURE__*/_jsx(View, { style: { flexDirection: 'row', gap: 8 }, children: this.props.children });
  }
}
const styles = StyleSheet.create({
  chip: { flexDirection: 'row', borderRadius: 16, paddingHorizontal: 12, backgroundColor: '#eef' },
  selected: { backgroundColor: '#33f' },
  label: { color: '#223' }
});
"#,
            ),
            (
                "node_modules/@acme/chips/dist/index.cjs",
                "throw new Error('the CommonJS build is not the one imported');",
            ),
            (
                "node_modules/@acme/chips/dist/tag.mjs",
                r#"import { Text } from 'react-native';
import { jsx as _jsx } from "react/jsx-runtime";
export default function Tag({ name }) { return _jsx(Text, { style: { fontStyle: 'italic' }, children: '#' + name }); }
"#,
            ),
        ],
        TargetPlatform::Android,
    );
    let d = doc(&out, "app");
    let panel = by_component(&d["root"], "Panel");
    assert_eq!(panel["style"]["flexDirection"], "row");
    let chip = by_component(&d["root"], "Chip");
    assert_eq!(chip["style"]["borderBottomRightRadius"], 16);
    assert_eq!(chip["style"]["backgroundColor"], "#eef");
    assert_eq!(text_node(&d["root"], "Design")["style"]["color"], "#223");
    assert_eq!(
        text_node(&d["root"], "#beta")["style"]["fontStyle"],
        "italic"
    );
    assert!(nodes(&d["root"]).iter().all(|n| n["external"].is_null()));
}

#[test]
fn commonjs_require_cycles_terminate_with_what_each_module_has_set() {
    let out = compile_files(
        &[
            (
                "App.js",
                r#"import { Label } from 'cyclic';
export default function App() { return <Label />; }
"#,
            ),
            ("node_modules/cyclic/package.json", r#"{"main": "a.js"}"#),
            (
                "node_modules/cyclic/a.js",
                r#"var React = require('react');
var RN = require('react-native');
exports.color = 'teal';
var b = require('./b');
exports.Label = function Label() {
  return React.createElement(RN.Text, { style: { color: b.color() } }, b.text);
};
"#,
            ),
            (
                "node_modules/cyclic/b.js",
                r#"var a = require('./a');
exports.text = 'cycle ' + (typeof a.Label);
exports.color = function () { return a.color; };
"#,
            ),
        ],
        TargetPlatform::Ios,
    );
    let d = doc(&out, "app");
    // `b` ran while `a` was loading: it saw `color` (set before the require) but not `Label`.
    let label = text_node(&d["root"], "cycle undefined");
    assert_eq!(label["style"]["color"], "teal");
}

#[test]
fn packages_not_sent_fall_back_to_the_table_then_pass_through_with_a_warning() {
    let out = compile_files(
        &[(
            "App.js",
            r#"import { Header } from '@react-navigation/elements';
import { Box } from 'absent-kit';
import { Text } from 'react-native';
export default function App() {
  return <Box><Header title="Inbox" /><Text>Body</Text></Box>;
}
"#,
        )],
        TargetPlatform::Ios,
    );
    let d = doc(&out, "app");
    let header = find(&d["root"], "table header", |n| {
        n["external"]["component"] == "Header"
    });
    assert_eq!(header["external"]["via"], "library");
    let boxed = find(&d["root"], "pass-through", |n| {
        n["external"]["component"] == "Box"
    });
    assert_eq!(boxed["external"]["via"], "pass-through");
    assert!(
        warnings(&out)
            .iter()
            .any(|w| w.contains("`<Box>`") && w.contains("`absent-kit`; its code is not provided")),
        "{:#?}",
        warnings(&out)
    );
}

#[test]
fn package_files_are_parsed_only_when_a_screen_imports_them() {
    let out = compile_files(
        &[
            (
                "App.js",
                r#"import { Used } from 'lazy-kit';
import Broken from 'lazy-kit/lib/broken';
export default function App() { return <Used />; }
"#,
            ),
            (
                "node_modules/lazy-kit/package.json",
                r#"{"main": "lib/index.js"}"#,
            ),
            (
                "node_modules/lazy-kit/lib/index.js",
                "var RN = require('react-native'); var React = require('react');\n\
                 exports.Used = function Used() { return React.createElement(RN.Text, null, 'used'); };",
            ),
            (
                "node_modules/lazy-kit/lib/broken.js",
                "export default function (( {",
            ),
            (
                "node_modules/lazy-kit/lib/unused.js",
                "this is } not { JavaScript",
            ),
            (
                "node_modules/lazy-kit/tsconfig.json",
                r#"{"compilerOptions": {"baseUrl": "lib"}}"#,
            ),
            (
                "node_modules/lazy-kit/app/index.js",
                "export default function Route() { return null; }",
            ),
        ],
        TargetPlatform::Ios,
    );
    assert_eq!(
        out.screens
            .iter()
            .map(|s| s.id.as_str())
            .collect::<Vec<_>>(),
        ["app"],
        "package files declare no screens"
    );
    text_node(&doc(&out, "app")["root"], "used");
    let w = warnings(&out);
    assert!(w.iter().any(|w| w.contains("lib/broken.js")), "{w:#?}");
    assert!(
        !w.iter().any(|w| w.contains("unused.js")),
        "never imported, never parsed: {w:#?}"
    );
}

#[test]
fn the_code_of_packages_the_evaluator_implements_is_not_evaluated() {
    let out = compile_files(
        &[
            (
                "App.js",
                r#"import { View, Text } from 'react-native';
import { SafeAreaView } from 'react-native-safe-area-context';
export default function App() { return <SafeAreaView><View><Text>Hi</Text></View></SafeAreaView>; }
"#,
            ),
            (
                "node_modules/react-native/package.json",
                r#"{"main": "index.js"}"#,
            ),
            (
                "node_modules/react-native/index.js",
                "module.exports = { View: 'not a host' };",
            ),
            (
                "node_modules/react-native-safe-area-context/package.json",
                r#"{"main": "index.js"}"#,
            ),
            (
                "node_modules/react-native-safe-area-context/index.js",
                "exports.SafeAreaView = require('react-native').requireNativeComponent('RNCSafeAreaView');",
            ),
        ],
        TargetPlatform::Ios,
    );
    let d = doc(&out, "app");
    assert_eq!(d["root"]["children"][0]["type"], "SafeAreaView");
    assert_eq!(text_node(&d["root"], "Hi")["type"], "Text");
}

#[test]
fn react_navigation_elements_v2_render_from_their_es_module_build_through_exports() {
    let out = compile_fixture("elements-v7-inbox", TargetPlatform::Ios, DeviceKind::Iphone);
    snapshot_all("elements-v7-inbox", &out);
    let inbox = doc(&out, "inbox");
    let root = &inbox["root"];
    // HeaderTitle.js: the theme's text colour and v7 `fonts.bold` on iOS, 17 points.
    let title = text_node(root, "Inbox");
    assert_eq!(title["component"], "HeaderTitle");
    assert_eq!(title["style"]["fontFamily"], "System");
    assert_eq!(title["style"]["fontWeight"], "600");
    assert_eq!(title["style"]["fontSize"], 17);
    let background = by_component(root, "HeaderBackground");
    assert_eq!(background["style"]["backgroundColor"], "rgb(255, 255, 255)");
    // HeaderButton (a forwardRef around PlatformPressable) in the header's right slot.
    let compose = find(root, "compose button", |n| {
        n["type"] == "Pressable" && n["children"][0]["text"] == "New"
    });
    assert_eq!(compose["type"], "Pressable");
    assert_eq!(compose["style"]["borderTopLeftRadius"], 10);
    assert_eq!(compose["style"]["paddingLeft"], 8);
    assert_eq!(
        text_node(compose, "New")["style"]["color"],
        "rgb(0, 122, 255)"
    );
    // The package's Text (theme font) and Label (centred) inside the project's rows.
    let from = text_node(root, "Grace Hopper");
    assert_eq!(from["component"], "Text");
    assert_eq!(from["style"]["fontFamily"], "System");
    assert_eq!(from["style"]["fontWeight"], "600");
    let count = text_node(root, "2");
    assert_eq!(count["style"]["textAlign"], "center");
    assert_eq!(count["style"]["color"], "#fff");
    for id in ["inbox", "thread"] {
        let d = doc(&out, id);
        assert!(
            nodes(&d["root"]).iter().all(|n| n["external"].is_null()),
            "{id}: {:#}",
            d["root"]
        );
    }
    let thread = doc(&out, "thread");
    // HeaderBackButton.js measures its label with invisible copies, then shows it tinted.
    let back = find(&thread["root"], "back label", |n| {
        n["text"] == "Inbox" && n["style"]["opacity"].is_null()
    });
    assert_eq!(back["style"]["color"], "rgb(0, 122, 255)");

    let android = compile_fixture(
        "elements-v7-inbox",
        TargetPlatform::Android,
        DeviceKind::AndroidPhone,
    );
    let title = text_node(&doc(&android, "inbox")["root"], "Inbox").clone();
    assert_eq!(title["style"]["fontFamily"], "sans-serif-medium");
    assert_eq!(title["style"]["fontSize"], 20);
}

#[test]
fn package_files_count_toward_the_request_limits_though_only_imported_ones_are_parsed() {
    let mut files = vec![SourceFile::new(
        "App.js",
        "import { Text } from 'react-native';\nexport default function App() { return <Text>Hi</Text>; }",
    )];
    for i in 0..10 {
        files.push(SourceFile::new(
            format!("node_modules/big/lib/f{i}.js"),
            "x".repeat(100),
        ));
    }
    let mut req = CompileRequest::new(files, Target::new(TargetPlatform::Ios, DeviceKind::Iphone));
    req.limits.max_files = 10;
    assert!(matches!(
        compile(&req),
        Err(CompileError::TooManyFiles { count: 11, .. })
    ));
    req.limits.max_files = 100;
    req.limits.max_total_bytes = 1000;
    assert!(matches!(
        compile(&req),
        Err(CompileError::TooManyBytes { .. })
    ));
    // Within the limits, the unimported (and unparseable) package files cost nothing else.
    req.limits.max_total_bytes = 20 << 20;
    let out = compile(&req).unwrap();
    assert!(warnings(&out).is_empty(), "{:#?}", warnings(&out));
}

#[test]
fn es5_class_components_of_older_builds_render() {
    let out = compile_files(
        &[
            (
                "App.js",
                "import Banner from 'old-kit';\nexport default function App() { return <Banner title=\"Sale\" />; }\n",
            ),
            (
                "node_modules/old-kit/package.json",
                r#"{"main": "lib/Banner.js"}"#,
            ),
            (
                "node_modules/old-kit/lib/Banner.js",
                r#""use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports["default"] = void 0;
var _react = _interopRequireDefault(require("react"));
var _reactNative = require("react-native");
function _interopRequireDefault(obj) { return obj && obj.__esModule ? obj : { "default": obj }; }
function _classCallCheck(instance, Constructor) { if (!(instance instanceof Constructor)) { throw new TypeError("Cannot call a class as a function"); } }
function _defineProperties(target, props) { for (var i = 0; i < props.length; i++) { var descriptor = props[i]; Object.defineProperty(target, descriptor.key, descriptor); } }
function _createClass(Constructor, protoProps, staticProps) { if (protoProps) _defineProperties(Constructor.prototype, protoProps); return Constructor; }
function _possibleConstructorReturn(self, call) { if (call && (typeof call === "object" || typeof call === "function")) { return call; } return self; }
function _getPrototypeOf(o) { return Object.getPrototypeOf(o); }
function _inherits(subClass, superClass) { subClass.prototype = Object.create(superClass.prototype); }
var Banner = /*#__PURE__*/function (_React$Component) {
  _inherits(Banner, _React$Component);
  function Banner(props) {
    var _this;
    _classCallCheck(this, Banner);
    _this = _possibleConstructorReturn(this, _getPrototypeOf(Banner).call(this, props));
    _this.state = { color: '#c00' };
    return _this;
  }
  _createClass(Banner, [{
    key: "renderTitle",
    value: function renderTitle() {
      return /*#__PURE__*/_react["default"].createElement(_reactNative.Text, { style: { color: this.state.color } }, this.props.title);
    }
  }, {
    key: "render",
    value: function render() {
      return /*#__PURE__*/_react["default"].createElement(_reactNative.View, { style: styles.banner }, this.renderTitle());
    }
  }]);
  return Banner;
}(_react["default"].Component);
var styles = _reactNative.StyleSheet.create({ banner: { padding: 10, backgroundColor: '#fee' } });
var _default = Banner;
exports["default"] = _default;
"#,
            ),
        ],
        TargetPlatform::Ios,
    );
    let d = doc(&out, "app");
    let banner = by_component(&d["root"], "Banner");
    assert_eq!(banner["type"], "View");
    assert_eq!(banner["style"]["backgroundColor"], "#fee");
    assert_eq!(text_node(&d["root"], "Sale")["style"]["color"], "#c00");
}
