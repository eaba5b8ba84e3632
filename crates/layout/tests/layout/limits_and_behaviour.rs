//! Behaviour of `compile` beyond the fixtures: adversarial input ends with a clear error or a
//! failed screen (never a hang, a stack overflow or unbounded memory), one bad file fails only
//! its own screens, and unknown values become located warnings instead of guesses.

use std::time::Duration;

use serde_json::json;

use hivesync_layout::{
    CompileError, CompileOutput, CompileRequest, DeviceKind, Limits, SourceFile, Target,
    TargetPlatform, compile,
};

fn files(list: &[(&str, &str)]) -> Vec<SourceFile> {
    list.iter().map(|(p, c)| SourceFile::new(*p, *c)).collect()
}

fn run(list: &[(&str, &str)]) -> Result<CompileOutput, CompileError> {
    checked(compile(&CompileRequest::new(
        files(list),
        Target::new(TargetPlatform::Ios, DeviceKind::Iphone),
    )))
}

/// Every document produced here must also satisfy the published schema.
fn checked(out: Result<CompileOutput, CompileError>) -> Result<CompileOutput, CompileError> {
    if let Ok(out) = &out {
        let schema: serde_json::Value =
            serde_json::from_str(hivesync_layout::LAYOUT_SCHEMA).unwrap();
        let validator = jsonschema::validator_for(&schema).unwrap();
        for s in &out.screens {
            let doc = serde_json::to_value(&s.document).unwrap();
            let errors: Vec<String> = validator
                .iter_errors(&doc)
                .map(|e| format!("{e} at {}", e.instance_path()))
                .collect();
            assert!(errors.is_empty(), "{}: {errors:?}", s.id);
        }
    }
    out
}

fn app(body: &str) -> String {
    format!(
        "import React from 'react';\nimport {{ View, Text, StyleSheet, Platform, Dimensions }} from 'react-native';\n{body}"
    )
}

#[test]
fn deeply_nested_jsx_fails_the_file_with_a_located_error_not_a_stack_overflow() {
    let deep = format!("{}{}", "<View>".repeat(20_000), "</View>".repeat(20_000));
    let src = app(&format!(
        "export default function App() {{ return ({deep}); }}"
    ));
    let out = run(&[("App.tsx", &src)]).unwrap();
    assert!(out.screens.is_empty());
    assert_eq!(out.failures.len(), 1);
    let msg = &out.failures[0].message;
    assert!(
        msg.contains("App.tsx:3:") && msg.contains("nesting deeper than 128"),
        "{msg}"
    );
}

#[test]
fn nesting_just_under_the_limit_compiles_on_a_default_thread_stack() {
    let deep = format!("{}{}", "<View>".repeat(100), "</View>".repeat(100));
    let expr = format!("{}1{}", "(1 + ".repeat(100), ")".repeat(100));
    let src = app(&format!(
        "const n = {expr};\nexport default function App() {{ return ({deep}); }}"
    ));
    let out = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || run(&[("App.tsx", &src)]).unwrap())
        .unwrap()
        .join()
        .unwrap();
    assert_eq!(out.screens.len(), 1);
    assert_eq!(out.screens[0].document.root.count(), 101);
}

/// Runs `f` on a thread with the stack tokio's `spawn_blocking` gives (2 MiB), where the
/// worker compiles.
fn on_blocking_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap()
}

/// A screen of `levels` nested Views built one shallow line per level, as
/// `const v1 = <View>{v0}</View>;`: every file passes the nesting check.
fn shallow_lines_nesting(levels: usize) -> String {
    let mut body = String::from("const v1 = <View />;\n");
    for i in 2..=levels {
        body.push_str(&format!("const v{i} = <View>{{v{}}}</View>;\n", i - 1));
    }
    body.push_str(&format!(
        "export default function App() {{ return v{levels}; }}"
    ));
    app(&body)
}

#[test]
fn an_output_tree_nested_too_deeply_fails_its_screen_not_the_process() {
    // About 1,200 levels: deep enough to overflow the stack of the passes after the compiler.
    let src = shallow_lines_nesting(1_200);
    let out = on_blocking_stack(move || run(&[("App.tsx", &src)]).unwrap());
    assert!(out.screens.is_empty());
    let msg = &out.failures[0].message;
    assert!(
        msg.contains("nested too deeply") && msg.contains("more than 128 levels"),
        "{msg}"
    );
    assert!(msg.contains("App.tsx:"), "located: {msg}");
}

#[test]
fn an_output_tree_at_the_depth_limit_compiles() {
    let limit = Limits::default().max_output_depth;
    // The window root is level 1: `limit - 1` nested Views reach the limit exactly.
    let src = shallow_lines_nesting(limit - 1);
    let out = on_blocking_stack(move || run(&[("App.tsx", &src)]).unwrap());
    assert_eq!(out.screens.len(), 1, "{:?}", out.failures);
    let mut depth = 0;
    let mut node = Some(&out.screens[0].document.root);
    while let Some(n) = node {
        depth += 1;
        node = n.children.first();
    }
    assert_eq!(depth, limit);
    let src = shallow_lines_nesting(limit);
    let out = run(&[("App.tsx", &src)]).unwrap();
    assert!(out.failures[0].message.contains("nested too deeply"));
}

#[test]
fn values_nested_without_end_are_unknown_not_a_stack_overflow() {
    // Arrays 5,000 levels deep and an object that holds itself, from shallow lines, used as
    // children, a prop, a style and a string.
    let mut body = String::from("const a0 = [1];\nconst o = { a: 1 };\no.self = o;\n");
    for i in 1..5_000 {
        body.push_str(&format!("const a{i} = [a{}];\n", i - 1));
    }
    body.push_str(
        "export default function App() { return <View testID={o}><View>{a4999}</View>\
         <View style={[a4999, { width: 10 }]} /><Text accessibilityLabel={a4999}>{String(a4999)}</Text></View>; }",
    );
    let src = app(&body);
    let out = on_blocking_stack(move || run(&[("App.tsx", &src)]).unwrap());
    assert_eq!(out.screens.len(), 1, "{:?}", out.failures);
    let s = &out.screens[0];
    let too_deep: Vec<&str> = s
        .warnings
        .iter()
        .filter(|w| w.message.contains("nested too deeply"))
        .map(|w| w.code.as_str())
        .collect();
    assert!(
        too_deep.contains(&"unknown-prop")
            && too_deep.contains(&"unknown-child")
            && too_deep.contains(&"unknown-style-value"),
        "{:?}",
        s.warnings
    );
    let root = serde_json::to_value(&s.document.root).unwrap();
    assert_eq!(
        root["children"][0]["children"][1]["style"]["width"],
        json!(10)
    );
}

#[test]
fn recursive_component_fails_its_screen_with_a_clear_message() {
    let src = app(
        "function Tree() { return <View><Tree /></View>; }\nexport default function App() { return <Tree />; }",
    );
    let out = run(&[("App.tsx", &src)]).unwrap();
    assert_eq!(out.failures.len(), 1);
    assert!(
        out.failures[0].message.contains("expansion deeper than 64"),
        "{}",
        out.failures[0].message
    );
}

#[test]
fn mutually_recursive_components_across_files_fail_cleanly() {
    let a = app(
        "import { B } from './B';\nexport function A() { return <View><B /></View>; }\nexport default function App() { return <A />; }",
    );
    let b = app("import { A } from './App';\nexport function B() { return <Text><A /></Text>; }");
    let out = run(&[("App.tsx", &a), ("B.tsx", &b)]).unwrap();
    assert_eq!(out.failures.len(), 1);
    assert!(out.failures[0].message.contains("expansion deeper than"));
}

#[test]
fn runaway_recursion_in_a_plain_function_is_cut_off() {
    let src = app(
        "function f(n) { return f(n + 1); }\nexport default function App() { return <View style={{ width: f(0) }} />; }",
    );
    let out = run(&[("App.tsx", &src)]).unwrap();
    assert_eq!(out.failures.len(), 1);
}

#[test]
fn import_cycles_terminate_and_unknown_values_are_reported() {
    let a = app(
        "import { b } from './b';\nexport const a = { size: 10, other: b };\nexport default function App() { return <View style={{ width: a.size, height: b.size }} />; }",
    );
    let b = "import { a } from './App';\nexport const b = { size: a.size };\n";
    let out = run(&[("App.tsx", &a), ("b.ts", b)]).unwrap();
    let doc = &out.screens[0].document;
    let view = &doc.root.children[0];
    assert_eq!(view.style["width"], 10);
    // `b.size` read `a.size` while App.tsx was still loading: unknown, so left out and reported.
    assert!(!view.style.contains_key("height"));
    assert!(
        doc.warnings
            .iter()
            .any(|w| w.code == "unknown-style-value" && w.location.is_some())
    );
}

#[test]
fn exponential_string_growth_hits_the_value_size_limit() {
    let mut body = String::from("const s0 = 'xxxxxxxx';\n");
    for i in 1..40 {
        body.push_str(&format!("const s{i} = s{} + s{};\n", i - 1, i - 1));
    }
    body.push_str("export default function App() { return <Text>{s39}</Text>; }");
    let out = run(&[("App.tsx", &app(&body))]).unwrap();
    assert_eq!(out.failures.len(), 1);
    assert!(
        out.failures[0].message.contains("limit"),
        "{}",
        out.failures[0].message
    );
}

/// A screen `component` whose module builds a 2^20-element array (about 48 MiB with the
/// arrays it doubles from) and then `copies` copies of it (about 24 MiB each): every array stays
/// under the value size limit.
fn array_hog(component: &str, copies: usize) -> String {
    let mut body = String::from("const a0 = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];\n");
    for i in 1..=16 {
        body.push_str(&format!("const a{i} = [...a{}, ...a{}];\n", i - 1, i - 1));
    }
    for i in 0..copies {
        body.push_str(&format!("const b{i} = [...a16];\n"));
    }
    body.push_str(&format!(
        "export default function {component}() {{ return <Text>{{b{}.length}}</Text>; }}",
        copies - 1
    ));
    app(&body)
}

#[test]
fn evaluation_memory_is_bounded() {
    // Each array stays under the size limit, but together they hold over 256 MiB: values
    // live until the compile ends, so the evaluator stops the screen instead.
    let out = run(&[("App.tsx", &array_hog("App", 20))]).unwrap();
    assert_eq!(out.failures.len(), 1);
    assert!(
        out.failures[0]
            .message
            .contains("evaluation used more than 256 MiB"),
        "{}",
        out.failures[0].message
    );
}

#[test]
fn evaluation_memory_is_bounded_per_request_not_per_screen() {
    // Each screen holds about 150 MiB: the first compiles, the second would bring the request
    // past 256 MiB (the first one's values stay in the arena until the compile ends).
    let out = run(&[
        ("app/index.tsx", &array_hog("Home", 4)),
        ("app/second.tsx", &array_hog("Second", 4)),
    ])
    .unwrap();
    assert_eq!(out.screens.len(), 1, "{:?}", out.failures);
    assert_eq!(out.failures.len(), 1);
    assert!(
        out.failures[0]
            .message
            .contains("evaluation used more than 256 MiB"),
        "{}",
        out.failures[0].message
    );
}

#[test]
fn huge_lists_hit_the_node_limit() {
    let src = app(
        "export default function App() { return <View>{Array.from({ length: 50000 }, (_, i) => <Text key={i}>{i}</Text>)}</View>; }",
    );
    let out = run(&[("App.tsx", &src)]).unwrap();
    assert_eq!(out.failures.len(), 1);
    assert!(
        out.failures[0].message.contains("more than 10000 nodes"),
        "{}",
        out.failures[0].message
    );
}

#[test]
fn request_limits_are_checked_before_parsing() {
    let big = "x".repeat(2 << 20);
    assert!(matches!(
        run(&[("App.tsx", &big)]),
        Err(CompileError::FileTooLarge { .. })
    ));
    let mut req = CompileRequest::new(
        files(&[("a.ts", ""), ("b.ts", "")]),
        Target::new(TargetPlatform::Ios, DeviceKind::Iphone),
    );
    req.limits.max_files = 1;
    assert!(matches!(
        checked(compile(&req)),
        Err(CompileError::TooManyFiles { count: 2, limit: 1 })
    ));
}

#[test]
fn the_time_budget_is_checked_cooperatively() {
    let src = app(
        "export default function App() { return <View>{Array.from({ length: 5000 }, (_, i) => <Text key={i}>{i}</Text>)}</View>; }",
    );
    let mut req = CompileRequest::new(
        files(&[("App.tsx", &src)]),
        Target::new(TargetPlatform::Ios, DeviceKind::Iphone),
    );
    req.limits = Limits {
        time_budget: Duration::ZERO,
        ..Limits::default()
    };
    let err = checked(compile(&req)).unwrap_err();
    assert!(matches!(err, CompileError::BudgetExceeded(_)));
    assert!(err.to_string().contains("time budget"));
}

#[test]
fn a_cancelled_compile_stops_while_evaluating() {
    // 2^40 calls: only the time budget (here a minute) would end it.
    let src = app(
        "function f(n) { return n <= 0 ? 1 : f(n - 1) + f(n - 1); }\nexport default function App() { return <View style={{ width: f(40) }} />; }",
    );
    let mut req = CompileRequest::new(
        files(&[("App.tsx", &src)]),
        Target::new(TargetPlatform::Ios, DeviceKind::Iphone),
    );
    req.limits.time_budget = Duration::from_secs(60);
    let cancel = req.cancel.clone();
    let started = std::time::Instant::now();
    let stopper = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(200));
        cancel.cancel();
    });
    let err = checked(compile(&req)).unwrap_err();
    stopper.join().unwrap();
    assert!(matches!(err, CompileError::Cancelled), "{err}");
    assert!(started.elapsed() < Duration::from_secs(10));

    // A deadline that has passed stops it before any screen.
    req.cancel = hivesync_layout::Cancel::with_deadline(std::time::Instant::now());
    assert!(matches!(compile(&req), Err(CompileError::Cancelled)));
}

#[test]
fn a_file_that_does_not_parse_fails_only_its_own_screen() {
    let good = app("export default function Home() { return <Text>ok</Text>; }");
    let out = run(&[
        ("app/index.tsx", &good),
        (
            "app/broken.tsx",
            "export default function () { return <View> }",
        ),
    ])
    .unwrap();
    assert_eq!(out.screens.len(), 1);
    assert_eq!(out.screens[0].id, "index");
    assert_eq!(out.failures.len(), 1);
    assert_eq!(out.failures[0].id, "broken");
    assert!(
        out.failures[0].message.contains("app/broken.tsx:1:"),
        "{}",
        out.failures[0].message
    );
}

#[test]
fn no_screens_is_a_request_error() {
    let err = run(&[("lib/util.ts", "export const x = 1;")]).unwrap_err();
    assert!(matches!(err, CompileError::NoScreens(_)));
}

#[test]
fn requested_screens_select_by_name_file_or_component() {
    let home = app(
        "export default function Home() { return <Text>home</Text>; }\nexport function Extra() { return <Text>extra</Text>; }",
    );
    let s = app("export default function Settings() { return <Text>settings</Text>; }");
    let list = [
        ("app/index.tsx", home.as_str()),
        ("app/settings.tsx", s.as_str()),
    ];
    let mut req = CompileRequest::new(
        files(&list),
        Target::new(TargetPlatform::Ios, DeviceKind::Iphone),
    );
    req.screens = Some(vec!["settings".into(), "Extra".into()]);
    let out = checked(compile(&req)).unwrap();
    let ids: Vec<&str> = out.screens.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["settings", "extra"]);
    assert_eq!(
        out.screens[1].document.root.children[0].text.as_deref(),
        Some("extra")
    );
}

#[test]
fn platform_device_and_conditions_follow_the_target() {
    let src = app("const { width } = Dimensions.get('window');\n\
         export default function App({ items }) {\n\
           const [open] = React.useState(false);\n\
           return (<View style={{ width, paddingTop: Platform.OS === 'ios' ? 20 : 0, margin: Platform.select({ android: 4, default: 8 }) }}>\n\
             {open ? <Text>open</Text> : <Text>closed</Text>}\n\
             {items.length > 0 && <Text>has items</Text>}\n\
           </View>);\n\
         }");
    let mut req = CompileRequest::new(
        files(&[("App.tsx", &src)]),
        Target::new(TargetPlatform::Android, DeviceKind::Ipad),
    );
    let out = checked(compile(&req)).unwrap();
    let v = &out.screens[0].document.root.children[0];
    assert_eq!(v.style["width"], 820);
    assert_eq!(v.style["paddingTop"], 0);
    assert_eq!(v.style["marginLeft"], 4);
    assert_eq!(v.children[0].text.as_deref(), Some("closed"));
    // Unknown condition: first branch shown, with a located warning.
    assert_eq!(v.children[1].text.as_deref(), Some("has items"));
    let w = out.screens[0]
        .warnings
        .iter()
        .find(|w| w.code == "unknown-condition")
        .expect("warning");
    let loc = w.location.as_ref().unwrap();
    assert_eq!((&*loc.file, loc.line), ("App.tsx", 8));
    req.target = Target::new(TargetPlatform::Ios, DeviceKind::Iphone);
    let out = checked(compile(&req)).unwrap();
    let v = &out.screens[0].document.root.children[0];
    assert_eq!(
        (
            v.style["width"].as_f64(),
            v.style["paddingTop"].as_f64(),
            v.style["marginTop"].as_f64()
        ),
        (Some(393.0), Some(20.0), Some(8.0))
    );
}

#[test]
fn unknown_style_values_are_left_out_with_a_located_warning() {
    let src = app(
        "import { getColor } from 'some-sdk';\nexport default function App() { return <View style={{ flex: 1, backgroundColor: getColor() }} />; }",
    );
    let out = run(&[("App.tsx", &src)]).unwrap();
    let v = &out.screens[0].document.root.children[0];
    assert_eq!(v.style.get("flex"), Some(&serde_json::json!(1)));
    assert!(!v.style.contains_key("backgroundColor"));
    let w = &out.screens[0].warnings[0];
    assert_eq!(w.code, "unknown-style-value");
    assert!(w.message.contains("backgroundColor") && w.message.contains("some-sdk"));
    assert_eq!(w.location.as_ref().unwrap().line, 4);
}

#[test]
fn platform_specific_files_are_resolved_for_the_target() {
    let app_src =
        app("import Badge from './Badge';\nexport default function App() { return <Badge />; }");
    let list = [
        ("App.tsx", app_src.as_str()),
        (
            "Badge.ios.tsx",
            "import { Text } from 'react-native';\nexport default () => <Text>ios</Text>;",
        ),
        (
            "Badge.android.tsx",
            "import { Text } from 'react-native';\nexport default () => <Text>android</Text>;",
        ),
        (
            "Badge.tsx",
            "import { Text } from 'react-native';\nexport default () => <Text>web</Text>;",
        ),
    ];
    for (platform, expected) in [
        (TargetPlatform::Ios, "ios"),
        (TargetPlatform::Android, "android"),
    ] {
        let out = compile(&CompileRequest::new(
            files(&list),
            Target::new(platform, DeviceKind::Iphone),
        ))
        .unwrap();
        assert_eq!(
            out.screens[0].document.root.children[0].text.as_deref(),
            Some(expected)
        );
    }
}

#[test]
fn v4_navigator_config_hoc_wrapped_screens_and_named_handlers() {
    let nav = "import { createStackNavigator } from 'react-navigation-stack';\n\
               import Home from './Home';\nimport Profile from './Profile';\n\
               export default createStackNavigator({ Home: { screen: Home }, Profile });\n";
    let home = app("import { connect } from 'react-redux';\n\
         class Home extends React.Component {\n\
           goToProfile = () => { this.props.navigation.navigate('Profile', { from: 'home' }); };\n\
           render() { return <Text onPress={this.goToProfile}>Open</Text>; }\n\
         }\n\
         export default connect((s) => ({ user: s.user }))(Home);\n");
    let profile = app("export default function Profile() { return <View testID=\"profile\" />; }");
    let out = run(&[
        ("nav.js", nav),
        ("Home.js", &home),
        ("Profile.js", &profile),
    ])
    .unwrap();
    let ids: Vec<&str> = out.screens.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["home", "profile"]);
    let text = &out.screens[0].document.root.children[0];
    assert_eq!(text.component.as_deref(), Some("Home"));
    let action = serde_json::to_value(text.action.as_ref().unwrap()).unwrap();
    assert_eq!(
        action,
        serde_json::json!({"type": "navigate", "target": "Profile", "screen_id": "profile", "params": {"from": "home"}})
    );
}

#[test]
fn emotion_styled_objects_and_nested_text_spans() {
    let src = app("import styled from '@emotion/native';\n\
         const Box = styled.View({ padding: 8, backgroundColor: 'papayawhip' });\n\
         const Title = styled.Text(({ big }) => ({ fontSize: big ? 24 : 12 }));\n\
         export default function App() {\n\
           return (<Box style={{ margin: 2 }}><Title big>Hello <Text style={{ fontWeight: 'bold' }}>world</Text>!</Title></Box>);\n\
         }");
    let out = run(&[("App.tsx", &src)]).unwrap();
    let b = &out.screens[0].document.root.children[0];
    assert_eq!(b.kind, "View");
    assert_eq!(b.style["paddingTop"], 8);
    assert_eq!(b.style["marginTop"], 2);
    assert_eq!(b.style["backgroundColor"], "papayawhip");
    let t = &b.children[0];
    assert_eq!(t.style["fontSize"], 24);
    let kinds: Vec<(&str, Option<&str>)> = t
        .children
        .iter()
        .map(|c| (&*c.kind, c.text.as_deref()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("RawText", Some("Hello ")),
            ("Text", Some("world")),
            ("RawText", Some("!"))
        ]
    );
}

#[test]
fn export_star_cycles_resolve_once_per_module() {
    // Three barrels that all re-export each other: a lookup must not explode combinatorially.
    let a = "export * from './b';\nexport * from './c';\nexport const size = 12;\n";
    let b = "export * from './a';\nexport * from './c';\n";
    let c = "export * from './a';\nexport * from './b';\n";
    let src = app(
        "import { size, missing } from './c';\nexport default function App() { return <View style={{ width: size, height: missing }} />; }",
    );
    let out = run(&[("App.tsx", &src), ("a.ts", a), ("b.ts", b), ("c.ts", c)]).unwrap();
    let v = &out.screens[0].document.root.children[0];
    assert_eq!(v.style["width"], 12);
    assert!(!v.style.contains_key("height"));
}

#[test]
fn common_flow_syntax_is_stripped_before_parsing() {
    let src = include_str!("../inputs/flow_screen.js");
    let out = run(&[("app/index.js", src)]).unwrap();
    assert!(out.failures.is_empty(), "{:?}", out.failures);
    let root = &out.screens[0].document.root.children[0];
    let texts: Vec<Option<&str>> = root.children.iter().map(|c| c.text.as_deref()).collect();
    assert_eq!(texts, [Some("A"), Some("untitled"), Some("none")]);
}

#[test]
fn flow_that_still_does_not_parse_fails_with_file_line_and_column() {
    // Component syntax (Flow 0.232+) is not stripped.
    let src = "// @flow\nimport React from 'react';\nconst x = 1;\ncomponent Card(title: string) { return null; }\nexport default function A() { return null; }\n";
    let out = run(&[("app/index.js", src)]).unwrap();
    assert_eq!(out.failures.len(), 1);
    let msg = &out.failures[0].message;
    assert!(
        msg.contains("app/index.js:4:") && msg.contains("after Flow type stripping"),
        "{msg}"
    );
}

#[test]
fn third_party_values_are_unknown_conditions_and_external_links_open_urls() {
    let src = app(
        "import Config from 'react-native-config';\nimport { Link } from 'expo-router';\n\
         export default function App() {\n\
           return (<View>{Config.IS_BETA ? <Text>device</Text> : <Text>simulator</Text>}\n\
             <Link href=\"https://expo.dev\">Docs</Link></View>);\n\
         }",
    );
    let out = run(&[("App.tsx", &src)]).unwrap();
    let s = &out.screens[0];
    assert!(s.warnings.iter().any(|w| w.code == "unknown-condition"));
    let link = &s.document.root.children[0].children[1];
    let action = serde_json::to_value(link.action.as_ref().unwrap()).unwrap();
    assert_eq!(
        action,
        serde_json::json!({"type": "open_url", "url": "https://expo.dev"})
    );
}

#[test]
fn providers_in_the_root_layout_wrap_every_screen() {
    let theme = "import React, { createContext, useContext } from 'react';\n\
                 export const ThemeContext = createContext(null);\n\
                 export const light = { colors: { bg: '#fafafa', fg: '#222' } };\n\
                 export function useAppTheme() {\n\
                   const t = useContext(ThemeContext);\n\
                   if (!t) throw new Error('useAppTheme outside provider');\n\
                   return t;\n\
                 }\n";
    let layout = "import { Stack } from 'expo-router';\nimport { useFonts } from 'expo-font';\n\
                  import { ThemeContext, light } from '../theme';\n\
                  export default function RootLayout() {\n\
                    const [loaded] = useFonts({ Inter: require('../assets/Inter.ttf') });\n\
                    if (!loaded) return null;\n\
                    return (<ThemeContext.Provider value={light}><Stack /></ThemeContext.Provider>);\n\
                  }\n";
    let screen = app("import { useAppTheme } from '../theme';\n\
                      export default function Home() { const { colors } = useAppTheme();\n\
                      return <View style={{ backgroundColor: colors.bg }}><Text style={{ color: colors.fg }}>hi</Text></View>; }");
    let out = run(&[
        ("theme.tsx", theme),
        ("app/_layout.tsx", layout),
        ("app/index.tsx", &screen),
    ])
    .unwrap();
    let s = &out.screens[0];
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    let v = &s.document.root.children[0];
    assert_eq!(v.style["backgroundColor"], "#fafafa");
    assert_eq!(v.children[0].style["color"], "#222");
}

#[test]
fn an_unknown_theme_name_selects_the_default_theme_with_a_warning() {
    let src = app("import { useSelector } from 'react-redux';\n\
         const themes = { dark: { bg: '#000' }, light: { bg: '#fff' } };\n\
         export default function App() { const theme = useSelector((s) => s.theme);\n\
           return <View style={{ backgroundColor: themes[theme].bg }} />; }");
    let out = run(&[("App.tsx", &src)]).unwrap();
    let s = &out.screens[0];
    assert_eq!(s.document.root.children[0].style["backgroundColor"], "#fff");
    assert!(
        s.warnings
            .iter()
            .any(|w| w.code == "default-theme" && w.location.as_ref().is_some_and(|l| l.line == 6))
    );
}

#[test]
fn a_requested_file_without_default_export_previews_its_first_exported_component() {
    let card = app(
        "export const CARD_PADDING = 12;\nexport function Card() { return <View style={{ padding: CARD_PADDING }} />; }\nexport function Other() { return null; }",
    );
    let mut req = CompileRequest::new(
        files(&[("src/Card.tsx", &card)]),
        Target::new(TargetPlatform::Ios, DeviceKind::Iphone),
    );
    req.screens = Some(vec!["src/Card.tsx".into()]);
    let out = checked(compile(&req)).unwrap();
    assert_eq!(out.screens[0].id, "card");
    assert_eq!(out.screens[0].document.source.component, "Card");
    assert_eq!(
        out.screens[0].document.root.children[0].style["paddingTop"],
        12
    );
}

#[test]
fn pressable_children_function_renders_unpressed_and_layout_props_are_kept() {
    let src = app(
        "import { Pressable } from 'react-native';\nimport { SafeAreaView } from 'react-native-safe-area-context';\n\
         export default function App() {\n\
           return (<SafeAreaView edges={['top']}><Pressable>{({ pressed }) => <Text style={{ opacity: pressed ? 0.5 : 1 }}>Tap</Text>}</Pressable></SafeAreaView>);\n\
         }",
    );
    let out = run(&[("App.tsx", &src)]).unwrap();
    let safe = &out.screens[0].document.root.children[0];
    assert_eq!(safe.props["edges"], serde_json::json!(["top"]));
    let text = &safe.children[0].children[0];
    assert_eq!(
        (text.text.as_deref(), &text.style["opacity"]),
        (Some("Tap"), &serde_json::json!(1))
    );
}

#[test]
fn ignite_style_app_folder_is_source_not_routes_and_its_root_provides_the_theme() {
    let app_root = "import React, { useState } from 'react';\n\
                    import { NavigationContainer } from '@react-navigation/native';\n\
                    import { ThemeProvider } from './theme/context';\n\
                    import { AppNavigator } from './navigators/AppNavigator';\n\
                    export function App() {\n\
                      const [ready, setReady] = useState(false);\n\
                      if (!ready) return null;\n\
                      return (<ThemeProvider><NavigationContainer><AppNavigator /></NavigationContainer></ThemeProvider>);\n\
                    }\n";
    let context = "import React, { createContext, useContext } from 'react';\n\
                   const ThemeContext = createContext(null);\n\
                   export const ThemeProvider = ({ children }) => {\n\
                     const theme = { colors: { background: '#191015', text: '#F4F2F1' } };\n\
                     return <ThemeContext.Provider value={{ theme }}>{children}</ThemeContext.Provider>;\n\
                   };\n\
                   export const useAppTheme = () => useContext(ThemeContext);\n";
    let nav = "import { createNativeStackNavigator } from '@react-navigation/native-stack';\n\
               import { WelcomeScreen } from '../screens/WelcomeScreen';\n\
               const Stack = createNativeStackNavigator();\n\
               export const AppNavigator = () => (<Stack.Navigator><Stack.Screen name=\"Welcome\" component={WelcomeScreen} /></Stack.Navigator>);\n";
    let screen = app("import { useAppTheme } from '../theme/context';\n\
                      export const WelcomeScreen = () => { const { theme } = useAppTheme();\n\
                      return <View style={{ backgroundColor: theme.colors.background }} />; };");
    let out = run(&[
        ("index.tsx", "import { App } from './app/app';\n"),
        ("app/app.tsx", app_root),
        ("app/theme/context.tsx", context),
        ("app/navigators/AppNavigator.tsx", nav),
        ("app/screens/WelcomeScreen.tsx", &screen),
    ])
    .unwrap();
    let ids: Vec<&str> = out.screens.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["welcome"]);
    assert!(out.failures.is_empty());
    assert!(
        out.screens[0].warnings.is_empty(),
        "{:?}",
        out.screens[0].warnings
    );
    assert_eq!(
        out.screens[0].document.root.children[0].style["backgroundColor"],
        "#191015"
    );
}

#[test]
fn unknown_if_without_else_is_skipped_and_with_else_takes_the_first_branch() {
    let src = app("import { api } from 'some-sdk';\n\
         export default function App() {\n\
           if (api.loading) return <Text>loading</Text>;\n\
           let label;\n\
           if (api.user) { label = 'signed in'; } else { label = 'guest'; }\n\
           return <Text>{label}</Text>;\n\
         }");
    let out = run(&[("App.tsx", &src)]).unwrap();
    let s = &out.screens[0];
    assert_eq!(
        s.document.root.children[0].text.as_deref(),
        Some("signed in")
    );
    let lines: Vec<u32> = s
        .warnings
        .iter()
        .filter(|w| w.code == "unknown-condition")
        .map(|w| w.location.as_ref().unwrap().line)
        .collect();
    assert_eq!(lines, [5, 7]);
}

#[test]
fn create_element_and_re_export_forms_expand() {
    let index = app(
        "import Thing, { Row as R } from './lib';\nimport * as NS from './lib/ns';\nimport D from './lib/d';\n\
         export default function App() { return (<><Thing label=\"a\" /><R /><NS.Badge n={3} /><D />{React.createElement(Thing, { label: 'b' }, null)}</>); }",
    );
    let list = [
        ("App.tsx", index.as_str()),
        (
            "lib/index.ts",
            "export { default } from './thing';\nexport { Row } from './row';\n",
        ),
        (
            "lib/thing.tsx",
            "import React from 'react';\nimport { Text } from 'react-native';\nexport default class extends React.Component { get upper() { return 1; } render() { return <Text>{this.props.label}</Text>; } }\n",
        ),
        (
            "lib/row.tsx",
            "import { View } from 'react-native';\nexport const Row = () => { try { return <View style={{ height: 2 }} />; } catch { return null; } };\n",
        ),
        (
            "lib/ns.tsx",
            "import { Text } from 'react-native';\nexport function Badge({ n }) { return <Text>{`#${n}`}</Text>; }\n",
        ),
        (
            "lib/d.tsx",
            "import { View } from 'react-native';\nexport { Inner as default };\nfunction Inner() { return <View testID=\"inner\" />; }\n",
        ),
    ];
    let out = run(&list).unwrap();
    let s = &out.screens[0];
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    let got: Vec<(&str, Option<&str>)> = s
        .document
        .root
        .children
        .iter()
        .map(|n| (&*n.kind, n.text.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            ("Text", Some("a")),
            ("View", None),
            ("Text", Some("#3")),
            ("View", None),
            ("Text", Some("b"))
        ]
    );
}

#[test]
fn i18n_keys_resolve_from_the_english_locale_file() {
    let en = "const en = { welcomeScreen: { readyForLaunch: 'Ready for launch!', hi: 'Hi %{name}' } };\nexport default en;\n";
    let screen = app("import i18n from 'i18next';\n\
         export default function App() { return (<View><Text>{i18n.t('welcomeScreen:readyForLaunch')}</Text>\n\
           <Text>{i18n.t('welcomeScreen.hi', { name: 'Ada' })}</Text><Text>{i18n.t('missing.key')}</Text></View>); }");
    let out = run(&[
        ("src/i18n/en.ts", en),
        (
            "src/i18n/fr.ts",
            "export default { welcomeScreen: { readyForLaunch: 'Prêt !' } };",
        ),
        ("App.tsx", &screen),
    ])
    .unwrap();
    let s = &out.screens[0];
    let texts: Vec<Option<&str>> = s.document.root.children[0]
        .children
        .iter()
        .map(|n| n.text.as_deref())
        .collect();
    assert_eq!(
        texts,
        [
            Some("Ready for launch!"),
            Some("Hi Ada"),
            Some("missing.key")
        ]
    );
    let codes: Vec<&str> = s.warnings.iter().map(|w| w.code.as_str()).collect();
    assert_eq!(codes, ["i18n-locale", "i18n-key"]);
    assert_eq!(
        &*s.warnings[0].location.as_ref().unwrap().file,
        "src/i18n/en.ts"
    );
}

#[test]
fn a_screen_that_is_a_nested_navigator_shows_its_initial_screen() {
    let nav = "import { createNativeStackNavigator } from '@react-navigation/native-stack';\n\
               import { createBottomTabNavigator } from '@react-navigation/bottom-tabs';\n\
               import { Text } from 'react-native';\n\
               const Stack = createNativeStackNavigator();\nconst Tab = createBottomTabNavigator();\n\
               const Feed = () => <Text>feed</Text>;\nconst Profile = () => <Text>profile</Text>;\n\
               function Tabs() { return (<Tab.Navigator initialRouteName=\"Profile\"><Tab.Screen name=\"Feed\" component={Feed} /><Tab.Screen name=\"Profile\" component={Profile} /></Tab.Navigator>); }\n\
               export default function Root() { return (<Stack.Navigator><Stack.Screen name=\"Main\" component={Tabs} /></Stack.Navigator>); }\n";
    let out = run(&[("src/nav.tsx", nav)]).unwrap();
    let main = out.screens.iter().find(|s| s.id == "main").unwrap();
    let first = &main.document.root.children[0];
    assert_eq!(
        (&*first.kind, first.text.as_deref()),
        ("Text", Some("profile"))
    );
}

#[test]
fn sheet_styles_resolve_once_and_follow_writes_into_them() {
    let src = app("const styles = StyleSheet.create({\n\
           box: { width: 10, paddingHorizontal: 4, shadowOffset: { width: 0, height: 2 } },\n\
           bad: { width: Unknown.x },\n\
         });\n\
         function Grow() { styles.box.width = 20; return <View style={styles.box} />; }\n\
         function Offset() { Object.assign(styles.box, { height: 5 }); return <View style={[styles.box, false]} />; }\n\
         export default function App() {\n\
           return (<View>\n\
             <View style={styles.box} />\n\
             <View style={[styles.box, null, [styles.box]]} />\n\
             <Grow />\n\
             <View style={styles.box} />\n\
             <Offset />\n\
             <View style={styles.bad} />\n\
             <View style={styles.bad} />\n\
           </View>);\n\
         }");
    // Not the app root (whose tree is expanded once before the screen, for its providers).
    let mut req = CompileRequest::new(
        files(&[("src/Screen.tsx", &src)]),
        Target::new(TargetPlatform::Ios, DeviceKind::Iphone),
    );
    req.screens = Some(vec!["src/Screen.tsx".into()]);
    let out = checked(compile(&req)).unwrap();
    let s = &out.screens[0];
    let kids = &s.document.root.children[0].children;
    let width = |i: usize| kids[i].style["width"].clone();
    assert_eq!((width(0), width(1)), (json!(10), json!(10)));
    assert_eq!(kids[0].style, kids[1].style);
    assert_eq!(kids[0].style["paddingLeft"], 4);
    assert_eq!(
        kids[0].style["shadowOffset"],
        json!({"width": 0, "height": 2})
    );
    // Writes into a sheet style show in every later use.
    assert_eq!((width(2), width(3)), (json!(20), json!(20)));
    assert_eq!(kids[4].style["height"], 5);
    // A style with an unknown value warns at each place it is used.
    let unknown: Vec<_> = s
        .warnings
        .iter()
        .filter(|w| w.code == "unknown-style-value")
        .collect();
    assert_eq!(unknown.len(), 2, "{unknown:?}");
    assert!(!kids[5].style.contains_key("width"));
}

#[test]
fn text_children_of_strings_and_numbers_become_the_text() {
    let src = app("export default function App() {\n\
           const n = 9;\n\
           return (<View>\n\
             <Text>Price: {n}{false}{null}{' USD'}</Text>\n\
             <Text>{false}</Text>\n\
             <Text>a <Text>b</Text></Text>\n\
           </View>);\n\
         }");
    let out = run(&[("App.tsx", &src)]).unwrap();
    let kids = &out.screens[0].document.root.children[0].children;
    assert_eq!(kids[0].text.as_deref(), Some("Price: 9 USD"));
    assert!(kids[0].children.is_empty());
    assert_eq!((kids[1].text.as_deref(), kids[1].children.len()), (None, 0));
    // A nested Text stays a child node.
    assert_eq!(kids[2].text, None);
    assert_eq!(kids[2].children.len(), 2);
    assert_eq!(kids[2].children[1].text.as_deref(), Some("b"));
}

#[test]
fn a_key_written_twice_in_an_object_literal_keeps_the_last_value() {
    let src = app("const k = 'width';\n\
         export default function App() {\n\
           return (<View>\n\
             <View style={{ height: 1, height: 2 }} />\n\
             <View style={{ [k]: 3, width: 4 }} />\n\
             <View style={{ width: 5, height: 6 }} />\n\
           </View>);\n\
         }");
    let out = run(&[("App.tsx", &src)]).unwrap();
    let kids = &out.screens[0].document.root.children[0].children;
    assert_eq!(kids[0].style["height"], 2);
    assert_eq!(kids[1].style["width"], 4);
    assert_eq!(
        (&kids[2].style["width"], &kids[2].style["height"]),
        (&json!(5), &json!(6))
    );
}

#[test]
fn style_values_yoga_cannot_take_are_left_out_with_a_warning() {
    let src = app("export default function App() {\n\
           return <View style={{ height: '100vh', width: { min: 10 }, flexDirection: 'horizontal', minHeight: null, padding: '12', margin: 'auto', flexBasis: '50%', top: 3, transform: [{ rotate: '45deg' }], shadowOffset: { width: 0, height: 2 } }} />;\n\
         }");
    let out = run(&[("App.tsx", &src)]).unwrap();
    let view = &out.screens[0].document.root.children[0];
    let keys: Vec<&str> = view.style.iter().map(|(k, _)| k).collect();
    assert_eq!(
        keys,
        [
            "flexBasis",
            "marginBottom",
            "marginLeft",
            "marginRight",
            "marginTop",
            "shadowOffset",
            "top",
            "transform"
        ]
    );
    let refused: Vec<&str> = out.screens[0]
        .warnings
        .iter()
        .filter(|w| w.code == "unsupported-style-value")
        .map(|w| w.message.as_str())
        .collect();
    assert_eq!(refused.len(), 4, "{refused:?}");
    assert!(
        refused.iter().any(|m| m.contains("`height: \"100vh\"`")),
        "{refused:?}"
    );
    assert!(
        refused
            .iter()
            .any(|m| m.contains("one of row, row-reverse")),
        "{refused:?}"
    );
}
