//! Selecting screens (`--screen`, the API's `screens`) on one multi-screen project: by
//! navigator name, screen id, file path (whether or not a navigator names the file), path
//! without extension, folder `index` file, and component name.

use hivesync_layout::{
    CompileOutput, CompileRequest, DeviceKind, SourceFile, Target, TargetPlatform, compile,
};

const NAVIGATOR: &str = r#"import React from 'react';
import { NavigationContainer } from '@react-navigation/native';
import { createNativeStackNavigator } from '@react-navigation/native-stack';
import Home from './src/screens/Home';
import { WebViewScreen } from './src/screens/Browser';
const Stack = createNativeStackNavigator();
export default function App() {
  return (
    <NavigationContainer>
      <Stack.Navigator>
        <Stack.Screen name="Home" component={Home} />
        <Stack.Screen name="WebView" component={WebViewScreen} />
      </Stack.Navigator>
    </NavigationContainer>
  );
}
"#;

fn project() -> Vec<SourceFile> {
    let files = [
        ("App.tsx", NAVIGATOR),
        (
            "src/screens/Home.tsx",
            "import { View, Text } from 'react-native';\nexport default function Home() { return <View><Text>home</Text></View>; }\n",
        ),
        (
            "src/screens/Browser.tsx",
            "import { Text } from 'react-native';\nexport function WebViewScreen() { return <Text>browser</Text>; }\n",
        ),
        // Same stem as the navigator's `WebView` screen, but never named by a navigator.
        (
            "src/components/pages/WebView.tsx",
            "import { View, Text } from 'react-native';\nconst WebView = () => <View><Text>page</Text></View>;\nexport default WebView;\n",
        ),
        (
            "src/components/Card/index.tsx",
            "import { Text } from 'react-native';\nexport const Card = ({ title = 'card' }) => <Text>{title}</Text>;\n",
        ),
        (
            "src/components/Badge.tsx",
            "import { Text } from 'react-native';\nexport const BADGE_SIZE = 4;\nexport function Badge() { return <Text>badge</Text>; }\n",
        ),
    ];
    files
        .into_iter()
        .map(|(p, c)| SourceFile::new(p, c))
        .collect()
}

fn select(names: &[&str]) -> CompileOutput {
    let mut req = CompileRequest::new(
        project(),
        Target::new(TargetPlatform::Ios, DeviceKind::Iphone),
    );
    req.screens = Some(names.iter().map(|n| n.to_string()).collect());
    compile(&req).expect("compiles")
}

/// All text of a screen, in order.
fn texts(out: &CompileOutput, i: usize) -> Vec<String> {
    crate::texts_of(&out.screens[i].document.root)
}

#[test]
fn every_selection_form_selects_its_screen() {
    let cases: [(&str, &str); 9] = [
        ("Home", "home"),
        ("web-view", "browser"),
        ("WebView", "browser"),
        ("src/components/pages/WebView.tsx", "page"),
        ("./src/components/pages/WebView.tsx", "page"),
        ("src/components/pages/WebView", "page"),
        ("src/components/Card", "card"),
        ("src/components/Badge.tsx", "badge"),
        ("Badge", "badge"),
    ];
    for (request, text) in cases {
        let out = select(&[request]);
        assert!(out.failures.is_empty(), "{request}: {:?}", out.failures);
        assert_eq!(out.screens.len(), 1, "{request}");
        assert_eq!(texts(&out, 0), [text], "{request}");
    }
}

#[test]
fn screens_come_in_request_order_once_each() {
    let out = select(&[
        "src/components/pages/WebView.tsx",
        "Home",
        "home",
        "src/screens/Home.tsx",
    ]);
    let found: Vec<Vec<String>> = (0..out.screens.len()).map(|i| texts(&out, i)).collect();
    assert_eq!(found, [vec!["page".to_string()], vec!["home".to_string()]]);
    let ids: Vec<&str> = out.screens.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids.len(), 2);
    assert_ne!(ids[0], ids[1]);
}

#[test]
fn a_file_without_a_component_says_so() {
    let mut files = project();
    files.push(SourceFile::new(
        "src/utils/format.ts",
        "export const format = (n: number) => `${n}`;\n",
    ));
    let mut req = CompileRequest::new(files, Target::new(TargetPlatform::Ios, DeviceKind::Iphone));
    req.screens = Some(vec!["src/utils/format.ts".into()]);
    let out = compile(&req).expect("compiles");
    assert!(out.screens.is_empty());
    assert_eq!(out.failures.len(), 1);
    let message = &out.failures[0].message;
    assert!(
        message.contains("src/utils/format.ts") && message.contains("no component"),
        "{message}"
    );
}

#[test]
fn a_provider_previews_with_its_children() {
    let mut files = project();
    files.push(SourceFile::new(
        "src/context/Theme.tsx",
        "import React, { createContext } from 'react';\nimport { View } from 'react-native';\nconst Ctx = createContext('light');\nexport function ThemeProvider({ children }) {\n  return <Ctx.Provider value=\"light\"><View style={{ flex: 1, backgroundColor: '#fff' }}>{children}</View></Ctx.Provider>;\n}\n",
    ));
    let mut req = CompileRequest::new(files, Target::new(TargetPlatform::Ios, DeviceKind::Iphone));
    req.screens = Some(vec!["src/context/Theme.tsx".into()]);
    let out = compile(&req).expect("compiles");
    assert!(out.failures.is_empty(), "{:?}", out.failures);
    let root = &out.screens[0].document.root;
    assert_eq!(root.children[0].kind, "View");
    assert_eq!(root.children[0].style["backgroundColor"], "#fff");
}

#[test]
fn a_context_file_previews_its_provider_and_an_index_file_its_registration() {
    let mut files = project();
    files.push(SourceFile::new(
        "src/context/Auth.tsx",
        "import React, { createContext } from 'react';\nimport { Text } from 'react-native';\nexport const AuthContext = createContext(null);\nexport const AuthProvider = ({ children }) => <AuthContext.Provider value={null}><Text>signed out</Text>{children}</AuthContext.Provider>;\n",
    ));
    files.push(SourceFile::new(
        "index.js",
        "import { AppRegistry } from 'react-native';\nimport App from './App';\nAppRegistry.registerComponent('main', () => App);\n",
    ));
    for (request, text) in [("src/context/Auth.tsx", "signed out"), ("index.js", "home")] {
        let mut req = CompileRequest::new(
            files.clone(),
            Target::new(TargetPlatform::Ios, DeviceKind::Iphone),
        );
        req.screens = Some(vec![request.into()]);
        let out = compile(&req).expect("compiles");
        assert!(out.failures.is_empty(), "{request}: {:?}", out.failures);
        assert_eq!(texts(&out, 0), [text], "{request}");
    }
}

#[test]
fn a_typescript_file_with_a_flow_header_is_typescript() {
    let mut files = project();
    files.push(SourceFile::new(
        "src/components/Links.tsx",
        "/**\n * Copyright (c) Facebook, Inc.\n *\n * @flow strict-local\n * @format\n */\nimport React from 'react';\nimport { Text } from 'react-native';\nconst links: { title: string }[] = [{ title: 'docs' }];\nexport const Links = (): JSX.Element => <Text>{links[0]!.title}</Text>;\n",
    ));
    let mut req = CompileRequest::new(files, Target::new(TargetPlatform::Ios, DeviceKind::Iphone));
    req.screens = Some(vec!["src/components/Links.tsx".into()]);
    let out = compile(&req).expect("compiles");
    assert!(out.failures.is_empty(), "{:?}", out.failures);
    assert_eq!(texts(&out, 0), ["docs"]);
}
