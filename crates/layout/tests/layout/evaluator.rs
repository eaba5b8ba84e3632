//! The evaluator runs the JavaScript screens contain: regexes, `new` of the built-ins and of
//! project classes, `instanceof`, `typeof`, loops and iteration (`js-runtime-orders`).

use hivesync_layout::{CompileOutput, DeviceKind, TargetPlatform};

use crate::fixtures::compile_fixture;
use crate::texts_of;

fn screen_texts(out: &CompileOutput, id_part: &str) -> Vec<String> {
    let s = out
        .screens
        .iter()
        .find(|s| s.id.contains(id_part) || s.name.contains(id_part))
        .unwrap_or_else(|| {
            panic!(
                "no screen {id_part} in {:?}",
                out.screens.iter().map(|s| &s.id).collect::<Vec<_>>()
            )
        });
    texts_of(&s.document.root)
}

fn codes(out: &CompileOutput) -> Vec<String> {
    out.screens
        .iter()
        .flat_map(|s| {
            s.warnings
                .iter()
                .map(|w| format!("{}: {}", w.code, w.message))
        })
        .collect()
}

#[test]
fn regexes_dates_maps_classes_and_loops_evaluate_to_the_values_the_app_shows() {
    let out = compile_fixture("js-runtime-orders", TargetPlatform::Ios, DeviceKind::Iphone);
    let texts = screen_texts(&out, "App");
    let expected = [
        "Orders (2 customers)",
        "AL",
        "Ada Lovelace: 2 × $24.75",
        "AT",
        "Alan Turing: 1 × $11.97",
        "Grand total $36.72",
        "Largest item: Cake",
        "Counted to 5",
        "Invalid: empty order",
        "error is an Error",
        "#ORD-2024-17 from 2024",
        "Mon, Jan 13 · 2 recent",
        "shop.example.com page 2 /orders",
        "email ok no",
        "winter-sale-2025",
        "12.3% function undefined",
        "2025-01-15T10:30:00.000Z",
    ];
    assert_eq!(texts, expected, "warnings: {:#?}", codes(&out));
    let warnings = codes(&out);
    for kind in [
        "unknown-condition",
        "unknown-child",
        "unknown-style-value",
        "loop-skipped",
    ] {
        assert!(
            !warnings.iter().any(|w| w.starts_with(kind)),
            "no {kind} expected: {warnings:#?}"
        );
    }
    let doc = serde_json::to_value(&out.screens[0].document).unwrap();
    let screen = &doc["root"]["children"][0];
    let last = screen["children"].as_array().unwrap().last().unwrap();
    assert_eq!(last["style"]["height"], 40, "{screen:#}");
    assert_eq!(last["style"]["backgroundColor"], "#fff");
}

#[test]
fn device_facts_message_defaults_form_defaults_and_initial_store_state_are_shown() {
    let out = compile_fixture(
        "app-state-and-facts",
        TargetPlatform::Ios,
        DeviceKind::Iphone,
    );
    let s = out
        .screens
        .iter()
        .find(|s| s.id == "app")
        .unwrap_or_else(|| {
            panic!(
                "{:?}",
                out.screens.iter().map(|s| &s.id).collect::<Vec<_>>()
            )
        });
    let texts = texts_of(&s.document.root);
    let expected = [
        "Hello, Grace Hopper!",
        "3 items in cart",
        "Signed in as Grace",
        "No coupon",
        "espresso · 15% tip · 15",
        "Ready",
        "iOS iPhone 15 · v2.3.0 (41)",
        "en-US USD Cafe",
        "dev build development",
    ];
    assert_eq!(&texts[..expected.len()], expected, "{:#?}", codes(&out));
    let doc = serde_json::to_value(&s.document).unwrap();
    let input = find_node(&doc["root"], &|n| n["type"] == "TextInput");
    assert_eq!(input["props"]["value"], "Grace Hopper", "{input:#}");
    let screen = &doc["root"]["children"][0];
    assert_eq!(screen["style"]["paddingTop"], 16, "{:#}", screen["style"]);
    // The query's data is fetched at run time: its list is placeholders, with a warning.
    let warnings = codes(&out);
    assert!(
        warnings.iter().any(|w| w.starts_with("fetched-data")),
        "{warnings:#?}"
    );
    assert!(
        warnings.iter().any(|w| w.starts_with("unknown-list")),
        "{warnings:#?}"
    );
    assert!(
        !warnings.iter().any(|w| w.starts_with("unknown-condition")),
        "{warnings:#?}"
    );

    // On an iPad the same code sees a tablet.
    let out = compile_fixture("app-state-and-facts", TargetPlatform::Ios, DeviceKind::Ipad);
    let s = out.screens.iter().find(|s| s.id == "app").unwrap();
    let doc = serde_json::to_value(&s.document).unwrap();
    assert_eq!(doc["root"]["children"][0]["style"]["paddingTop"], 32);
    assert!(
        texts_of(&s.document.root)
            .contains(&"iPadOS iPad (10th generation) · v2.3.0 (41)".to_string())
    );
}

/// The first node of a document (as JSON) that `pred` accepts, depth first.
fn find_node<'v>(
    n: &'v serde_json::Value,
    pred: &dyn Fn(&serde_json::Value) -> bool,
) -> &'v serde_json::Value {
    fn walk<'v>(
        n: &'v serde_json::Value,
        pred: &dyn Fn(&serde_json::Value) -> bool,
    ) -> Option<&'v serde_json::Value> {
        if pred(n) {
            return Some(n);
        }
        n["children"].as_array()?.iter().find_map(|c| walk(c, pred))
    }
    walk(n, pred).unwrap_or_else(|| panic!("no such node in {n:#}"))
}

fn compile_files(files: &[(&str, &str)]) -> CompileOutput {
    use hivesync_layout::{CompileRequest, SourceFile, Target, compile};
    let files = files.iter().map(|(p, t)| SourceFile::new(*p, *t)).collect();
    let target = Target::new(TargetPlatform::Ios, DeviceKind::Iphone);
    compile(&CompileRequest::new(files, target)).expect("compiles")
}

#[test]
fn a_screen_previewed_alone_reads_the_store_the_entry_creates_and_animations_start_at_their_values()
{
    let entry = "import { AppRegistry } from 'react-native';\nimport { Provider } from 'react-redux';\n\
        import App from './App';\nimport { store } from './src/store';\n\
        AppRegistry.registerComponent('x', () => () => <Provider store={store}><App /></Provider>);\n";
    let store = "import { configureStore, createSlice } from '@reduxjs/toolkit';\n\
        const counter = createSlice({ name: 'counter', initialState: { value: 7, status: 'idle' }, reducers: {} });\n\
        export const store = configureStore({ reducer: { counter: counter.reducer } });\n";
    let app = "import React from 'react';\nimport { View, Text } from 'react-native';\n\
        import { useSelector } from 'react-redux';\n\
        import { Colors } from 'react-native/Libraries/NewAppScreen';\n\
        import Animated, { useSharedValue, useAnimatedStyle, interpolate, Extrapolation } from 'react-native-reanimated';\n\
        declare const global: { HermesInternal: null | {} };\n\
        export default function App({ rows }) {\n\
          const count = useSelector((s) => s.counter.value);\n\
          const progress = useSharedValue(0);\n\
          const style = useAnimatedStyle(() => ({ opacity: interpolate(progress.value, [0, 1], [0.4, 1], Extrapolation.CLAMP) }));\n\
          let total = 0;\n\
          for (const r of rows) { total += r.n; }\n\
          const bad = /(?<a>x)\\k<b>/v;\n\
          return (<View style={{ backgroundColor: Colors.lighter }}>\n\
            <Text>Count {count}</Text>\n\
            {global.HermesInternal == null ? null : <Text>Engine: Hermes</Text>}\n\
            <Animated.View style={style} />\n\
            <Text>{total}</Text>\n\
          </View>);\n\
        }\n";
    let out = compile_files(&[
        ("index.js", entry),
        ("src/store.ts", store),
        ("App.tsx", app),
    ]);
    // The registration's inline component is the screen (`x`: the `App` its JSX ends in).
    let s = out
        .screens
        .iter()
        .find(|s| s.id == "x")
        .expect("the registered screen");
    assert_eq!(s.document.source.component, "App");
    let texts = texts_of(&s.document.root);
    assert_eq!(
        &texts[..2],
        ["Count 7", "Engine: Hermes"],
        "{:#?}",
        codes(&out)
    );
    let doc = serde_json::to_value(&s.document).unwrap();
    let root = &doc["root"]["children"][0];
    assert_eq!(root["style"]["backgroundColor"], "#F3F3F3");
    let animated = find_node(&doc["root"], &|n| n["style"]["opacity"].is_number());
    assert_eq!(animated["style"]["opacity"], 0.4);
    // The loop over unknown rows is not run: its total is unknown (a skeleton), with a warning;
    // the regex with the `v` flag is not supported, with a warning.
    let warnings = codes(&out);
    assert!(
        warnings.iter().any(|w| w.starts_with("loop-skipped")),
        "{warnings:#?}"
    );
    assert!(
        warnings.iter().any(|w| w.starts_with("unsupported-regex")),
        "{warnings:#?}"
    );
    assert!(!texts.iter().any(|t| t == "0"), "{texts:?}");
}

#[test]
fn a_context_provided_below_the_app_root_has_its_providers_first_value() {
    let ctx = "import React, { createContext, useContext, useState, useMemo } from 'react';\n\
        export const CartContext = createContext(null);\n\
        export const CartProvider = ({ children }) => {\n\
          const [items] = useState([{ name: 'Latte' }, { name: 'Bagel' }]);\n\
          const value = useMemo(() => ({ items, count: items.length }), [items]);\n\
          return <CartContext.Provider value={value}>{children}</CartContext.Provider>;\n\
        };\n\
        export const useCart = () => {\n\
          const c = useContext(CartContext);\n\
          if (!c) throw new Error('useCart outside CartProvider');\n\
          return c;\n\
        };\n";
    let nav = "import { CartProvider } from './CartContext';\nimport { CartScreen } from './CartScreen';\n\
        export function ShopNavigator() { return <CartProvider><CartScreen /></CartProvider>; }\n";
    let screen = "import { Text, View } from 'react-native';\nimport { useCart } from './CartContext';\n\
        export function CartScreen() {\n\
          const { items, count } = useCart();\n\
          return <View><Text>{count} items</Text>{items.map((i) => <Text key={i.name}>{i.name}</Text>)}</View>;\n\
        }\n";
    let files = [
        ("CartContext.tsx", ctx),
        ("ShopNavigator.tsx", nav),
        ("CartScreen.tsx", screen),
    ];
    use hivesync_layout::{CompileRequest, SourceFile, Target, compile};
    let mut req = CompileRequest::new(
        files.iter().map(|(p, t)| SourceFile::new(*p, *t)).collect(),
        Target::new(TargetPlatform::Ios, DeviceKind::Iphone),
    );
    req.screens = Some(vec!["CartScreen.tsx".into()]);
    let out = compile(&req).expect("compiles");
    let s = &out.screens[0];
    assert_eq!(
        texts_of(&s.document.root),
        ["2 items", "Latte", "Bagel"],
        "{:#?}",
        codes(&out)
    );
    assert!(codes(&out).is_empty(), "{:#?}", codes(&out));
}

#[test]
fn lingui_macros_and_inject_intl_show_their_source_messages() {
    let screen = "import React from 'react';\nimport { Text, View } from 'react-native';\n\
        import { t, msg, Trans, plural } from '@lingui/macro';\nimport { useLingui } from '@lingui/react';\n\
        import { injectIntl } from 'react-intl';\n\
        const Title = injectIntl(({ intl }) => <Text>{intl.formatMessage({ id: 'x', defaultMessage: 'Welcome back' })}</Text>);\n\
        const saved = msg`Saved drafts`;\n\
        export default function Inbox() {\n\
          const { _ } = useLingui();\n\
          const name = 'Ada';\n\
          return (<View>\n\
            <Title />\n\
            <Text>{t`Hello ${name}`}</Text>\n\
            <Text>{_(saved)}</Text>\n\
            <Text><Trans>Your inbox</Trans></Text>\n\
            <Text>{plural(3, { one: '# message', other: '# messages' })}</Text>\n\
          </View>);\n\
        }\n";
    let out = compile_files(&[("App.tsx", screen)]);
    let texts = texts_of(&out.screens[0].document.root);
    assert_eq!(
        texts,
        [
            "Welcome back",
            "Hello Ada",
            "Saved drafts",
            "Your inbox",
            "3 messages"
        ],
        "{:#?}",
        codes(&out)
    );
}

#[test]
fn react_native_papers_use_theme_is_its_md3_light_theme_without_its_code() {
    let screen = "import React from 'react';\nimport { View, Text } from 'react-native';\n\
        import { useTheme, Button } from 'react-native-paper';\n\
        export default function Home() {\n\
          const theme = useTheme();\n\
          return (<View style={{ backgroundColor: theme.colors.background, borderRadius: theme.roundness }}>\n\
            <Text style={[theme.fonts.titleMedium, { color: theme.colors.primary }]}>Orders</Text>\n\
            <Button mode=\"contained\">Go</Button>\n\
          </View>);\n\
        }\n";
    let out = compile_files(&[("App.tsx", screen)]);
    let doc = serde_json::to_value(&out.screens[0].document).unwrap();
    let root = &doc["root"]["children"][0];
    assert_eq!(
        root["style"]["backgroundColor"], "rgba(255, 251, 254, 1)",
        "{root:#}"
    );
    assert_eq!(
        root["style"]["borderTopLeftRadius"]
            .as_f64()
            .or(root["style"]["borderRadius"].as_f64()),
        Some(4.0),
        "{root:#}"
    );
    let title = find_node(&doc["root"], &|n| n["text"] == "Orders");
    assert_eq!(title["style"]["color"], "rgba(103, 80, 164, 1)");
    assert_eq!(title["style"]["fontSize"], 16);
    assert_eq!(title["style"]["fontWeight"], "500");
    assert_eq!(title["style"]["letterSpacing"], 0.15);
    // Paper's components are not rows: the button passes through with its text.
    assert!(texts_of(&out.screens[0].document.root).contains(&"Go".to_string()));
}

#[test]
fn storage_is_empty_at_first_launch() {
    let screen = "import React from 'react';\nimport { Text } from 'react-native';\n\
        import { MMKV, useMMKVString } from 'react-native-mmkv';\n\
        const storage = new MMKV();\n\
        export default function Home() {\n\
          const [name] = useMMKVString('user.name', storage);\n\
          if (!storage.contains('onboarded')) { storage.set('onboarded', true); }\n\
          const theme = storage.getString('theme') ?? 'light';\n\
          return <Text>{name === undefined ? 'Welcome' : name} · {theme}</Text>;\n\
        }\n";
    let out = compile_files(&[("App.tsx", screen)]);
    assert_eq!(
        texts_of(&out.screens[0].document.root),
        ["Welcome · light"],
        "{:#?}",
        codes(&out)
    );
    assert!(codes(&out).is_empty(), "{:#?}", codes(&out));
}

#[test]
fn relay_apollo_and_swr_data_are_placeholders_never_invented() {
    let screen = "import React from 'react';\nimport { View, Text } from 'react-native';\n\
        import { useLazyLoadQuery, graphql } from 'react-relay';\nimport { useQuery, gql } from '@apollo/client';\n\
        import useSWR from 'swr';\n\
        export default function Feed() {\n\
          const data = useLazyLoadQuery(graphql`query FeedQuery { posts { id title } }`, {});\n\
          const { data: user, loading } = useQuery(gql`query { me { name } }`);\n\
          const { data: stats, error } = useSWR('/stats', fetch);\n\
          if (loading) return <Text>Loading</Text>;\n\
          return (<View>\n\
            <Text>{error ? 'Failed' : 'Feed'}</Text>\n\
            {data.posts.map((p) => <Text key={p.id}>{p.title}</Text>)}\n\
            <Text>{user.me.name}</Text>\n\
            <Text>{stats.count}</Text>\n\
          </View>);\n\
        }\n";
    let out = compile_files(&[("App.tsx", screen)]);
    let s = &out.screens[0];
    assert_eq!(texts_of(&s.document.root), ["Feed"], "{:#?}", codes(&out));
    let skeletons = serde_json::to_string(&s.document)
        .unwrap()
        .matches("\"skeleton\"")
        .count();
    assert_eq!(skeletons, 5, "3 list items and 2 texts are placeholders");
    assert!(codes(&out).iter().any(|w| w.starts_with("fetched-data")));
}

#[test]
fn a_signed_out_first_launch_shows_the_login_screen_of_a_navigator_group() {
    let nav = "import { createNativeStackNavigator } from '@react-navigation/native-stack';\n\
        import { useMMKVString } from 'react-native-mmkv';\nimport { Text } from 'react-native';\n\
        const Stack = createNativeStackNavigator();\n\
        const Welcome = () => <Text>Welcome back</Text>;\nconst Login = () => <Text>Log in</Text>;\n\
        export default function AppStack() {\n\
          const [token] = useMMKVString('auth.token');\n\
          const isAuthenticated = !!token;\n\
          return (<Stack.Navigator initialRouteName={isAuthenticated ? 'Welcome' : 'Login'}>\n\
            {isAuthenticated ? (<><Stack.Screen name=\"Welcome\" component={Welcome} /></>)\n\
              : (<><Stack.Screen name=\"Login\" component={Login} /></>)}\n\
          </Stack.Navigator>);\n\
        }\n";
    use hivesync_layout::{CompileRequest, SourceFile, Target, compile};
    let mut req = CompileRequest::new(
        vec![SourceFile::new("App.tsx", nav)],
        Target::new(TargetPlatform::Ios, DeviceKind::Iphone),
    );
    req.screens = Some(vec!["App.tsx".into()]);
    let out = compile(&req).expect("compiles");
    let s = &out.screens[0];
    assert_eq!(texts_of(&s.document.root), ["Log in"], "{:#?}", codes(&out));
}
