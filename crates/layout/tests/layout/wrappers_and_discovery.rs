//! Package higher-order components are transparent (`Sentry.wrap(App)`,
//! `withDatabase(withObservables(...)(C))`, `compose(a, b)(C)`), and discovery finds the screens
//! of the navigation styles real apps use (react-native-navigation's `registerComponent`,
//! `AppRegistry.registerComponent`) without listing files that are not components.

use hivesync_layout::{
    CompileOutput, CompileRequest, DeviceKind, SourceFile, Target, TargetPlatform, compile,
};

fn run(list: &[(&str, &str)], screens: Option<&[&str]>) -> CompileOutput {
    let files = list.iter().map(|(p, c)| SourceFile::new(*p, *c)).collect();
    let mut req = CompileRequest::new(files, Target::new(TargetPlatform::Ios, DeviceKind::Iphone));
    req.screens = screens.map(|s| s.iter().map(|n| n.to_string()).collect());
    compile(&req).expect("compiles")
}

fn screen_texts(out: &CompileOutput, id: &str) -> Vec<String> {
    let s = out.screens.iter().find(|s| s.id == id).unwrap_or_else(|| {
        panic!(
            "no screen {id}: {:?} / {:?}",
            out.screens.iter().map(|s| &s.id).collect::<Vec<_>>(),
            out.failures
        )
    });
    crate::texts_of(&s.document.root)
}

const HOME: &str = "import { View, Text } from 'react-native';\nexport function Home() { return <View><Text>home</Text></View>; }\n";

#[test]
fn package_wrappers_yield_the_component_they_wrap() {
    let app = r#"import * as Sentry from '@sentry/react-native';
import { Home } from './src/Home';
function App() { return <Home />; }
export default Sentry.wrap(App);
"#;
    let list = [("App.tsx", app), ("src/Home.tsx", HOME)];
    let out = run(&list, None);
    assert!(out.failures.is_empty(), "{:?}", out.failures);
    assert_eq!(screen_texts(&out, "app"), ["home"]);
    let w = out.screens[0]
        .warnings
        .iter()
        .find(|w| w.code == "wrapped-component")
        .expect("a warning names the wrapper");
    assert!(
        w.message
            .contains("`Sentry.wrap()` from `@sentry/react-native`"),
        "{}",
        w.message
    );
}

#[test]
fn factories_and_compose_are_transparent() {
    let list = [(
        "src/Posts.tsx",
        r#"import { withDatabase } from '@nozbe/watermelondb/DatabaseProvider';
import withObservables from '@nozbe/with-observables';
import { compose } from 'recompose';
import { withSafeAreaInsets } from 'react-native-safe-area-context';
import { View, Text } from 'react-native';
function Posts({ posts, title = 'Posts' }) {
  return <View><Text>{title}</Text>{posts ? <Text>has posts</Text> : <Text>no posts</Text>}</View>;
}
const enhance = withObservables(['posts'], ({ database }) => ({ posts: database.get('posts').query() }));
export const Enhanced = withDatabase(enhance(Posts));
export default compose(withSafeAreaInsets, withDatabase)(Posts);
"#,
    )];
    for screen in ["src/Posts.tsx", "Enhanced"] {
        let out = run(&list, Some(&[screen]));
        assert!(out.failures.is_empty(), "{screen}: {:?}", out.failures);
        let acc = crate::texts_of(&out.screens[0].document.root);
        // `title` is not given: the component's own default applies.
        assert_eq!(acc[0], "Posts", "{screen}");
        // `posts` would come from the wrapper: it is unknown, not `undefined`, so the
        // condition on it is a documented guess (the first branch), with a warning naming it.
        assert_eq!(acc[1], "has posts", "{screen}");
        let warnings = &out.screens[0].warnings;
        assert!(warnings.iter().any(|w| w.code == "wrapped-component"));
        assert!(
            warnings
                .iter()
                .any(|w| w.code == "unknown-condition" && w.message.contains("would inject")),
            "{screen}: {warnings:#?}"
        );
    }
}

#[test]
fn react_native_navigation_and_app_registry_registrations_are_screens() {
    let index = r#"import { Navigation } from 'react-native-navigation';
import { AppRegistry } from 'react-native';
import { gestureHandlerRootHOC } from 'react-native-gesture-handler';
import { Home } from './src/Home';
import Settings from './src/Settings';
import Widget from './src/Widget';
import { name as appName } from './app.json';
Navigation.registerComponent('app.Home', () => Home);
Navigation.registerComponent('app.Settings', () => gestureHandlerRootHOC(Settings));
AppRegistry.registerComponent(appName, () => Widget);
Navigation.events().registerAppLaunchedListener(() => {
  Navigation.setRoot({ root: { stack: { children: [{ component: { name: 'app.Home' } }] } } });
});
"#;
    let settings = "import { Text } from 'react-native';\nexport default function Settings() { return <Text>settings</Text>; }\n";
    let widget =
        "import { Text } from 'react-native';\nexport default () => <Text>widget</Text>;\n";
    let list = [
        ("index.js", index),
        ("app.json", r#"{"name": "demo"}"#),
        ("src/Home.tsx", HOME),
        ("src/Settings.tsx", settings),
        ("src/Widget.tsx", widget),
        // An app/ folder of non-screen code must not turn into expo-router routes.
        (
            "app/actions/posts.ts",
            "export const load = () => fetch('/posts');\n",
        ),
        ("app/db/schema.ts", "export default { version: 1 };\n"),
    ];
    let out = run(&list, None);
    let ids: Vec<&str> = out.screens.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        ["app-home", "app-settings", "widget"],
        "{:?}",
        out.failures
    );
    assert!(out.failures.is_empty(), "{:?}", out.failures);
    assert_eq!(screen_texts(&out, "app-home"), ["home"]);
    assert_eq!(screen_texts(&out, "app-settings"), ["settings"]);
    assert_eq!(screen_texts(&out, "widget"), ["widget"]);
}

#[test]
fn set_root_layouts_order_the_screens_and_inline_registered_components_are_found() {
    // Registered in this order, but the root layout shows Settings first (a tab layout).
    let index = r#"import { Navigation } from 'react-native-navigation';
import { AppRegistry } from 'react-native';
import { Provider } from 'react-redux';
import { PersistGate } from 'redux-persist/integration/react';
import { Home } from './src/Home';
import Settings from './src/Settings';
import App from './src/App';
Navigation.registerComponent('app.Home', () => Home);
Navigation.registerComponent('app.Settings', () => Settings);
Navigation.registerComponent('app.Root', () => (props) => (
  <Provider store={store}>
    <PersistGate persistor={persistor}>
      <App {...props} />
    </PersistGate>
  </Provider>
));
AppRegistry.registerComponent('widget', () => () => <App />);
Navigation.events().registerAppLaunchedListener(() => {
  Navigation.setRoot({
    root: {
      bottomTabs: {
        children: [
          { stack: { children: [{ component: { name: 'app.Settings' } }] } },
          { stack: { children: [{ component: { name: 'app.Home', options: { topBar: { visible: false } } } }] } },
        ],
      },
    },
  });
});
"#;
    let settings = "import { Text } from 'react-native';\nexport default function Settings() { return <Text>settings</Text>; }\n";
    let app = "import { Text } from 'react-native';\nexport default function App() { return <Text>app</Text>; }\n";
    let list = [
        ("index.js", index),
        ("src/Home.tsx", HOME),
        ("src/Settings.tsx", settings),
        ("src/App.tsx", app),
    ];
    let out = run(&list, None);
    assert!(out.failures.is_empty(), "{:?}", out.failures);
    let ids: Vec<&str> = out.screens.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["app-settings", "app-home", "app-root", "widget"]);
    assert_eq!(screen_texts(&out, "app-root"), ["app"]);
    assert_eq!(screen_texts(&out, "widget"), ["app"]);
}

#[test]
fn destructured_navigator_screens_are_found_and_layout_wrappers_are_not() {
    let app = r#"import { createStackNavigator } from '@react-navigation/stack';
import { NavigationContainer } from '@react-navigation/native';
import { Home } from './src/Home';
const { Navigator, Screen } = createStackNavigator();
export default function App() {
  return <NavigationContainer><Navigator><Screen name="Home" component={Home} /></Navigator></NavigationContainer>;
}
"#;
    let layout = "import { View } from 'react-native';\nexport function Screen({ children, preset }) { return <View>{children}</View>; }\nexport const Page = () => <Screen preset=\"scroll\" />;\n";
    let out = run(
        &[
            ("App.tsx", app),
            ("src/Home.tsx", HOME),
            ("src/Screen.tsx", layout),
        ],
        None,
    );
    let ids: Vec<&str> = out.screens.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["home"]);
    assert_eq!(screen_texts(&out, "home"), ["home"]);
}

#[test]
fn expo_router_routes_are_default_exports() {
    let list = [
        (
            "app/_layout.tsx",
            "import { Stack } from 'expo-router';\nexport default function Layout() { return <Stack />; }\n",
        ),
        (
            "app/index.tsx",
            "import { Text } from 'react-native';\nexport default function Index() { return <Text>index</Text>; }\n",
        ),
        (
            "app/helpers.ts",
            "export const twice = (n: number) => n * 2;\n",
        ),
    ];
    let out = run(&list, None);
    let ids: Vec<&str> = out.screens.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["index"]);
    assert!(out.failures.is_empty(), "{:?}", out.failures);
}

#[test]
fn an_unknown_colour_scheme_previews_light() {
    // A saved preference of a storage package the compiler does not know.
    let app = r#"import { useMMKVString } from '@example/storage';
import { View, Text } from 'react-native';
const light = { background: '#ffffff', text: '#111111' };
const dark = { background: '#000000', text: '#eeeeee' };
export default function App() {
  const [saved] = useMMKVString('theme');
  const scheme = saved === 'dark' ? 'dark' : 'light';
  let palette;
  switch (saved) {
    case 'dark':
      palette = dark;
      break;
    default:
      palette = light;
  }
  const isDark = saved === 'dark';
  return (
    <View style={{ flex: 1, backgroundColor: palette.background }}>
      <Text style={{ color: isDark ? dark.text : light.text }}>{scheme}</Text>
      {saved !== 'light' && <Text>not light</Text>}
    </View>
  );
}
"#;
    let out = run(&[("App.tsx", app)], None);
    let root = &out.screens[0].document.root.children[0];
    assert_eq!(root.style["backgroundColor"], "#ffffff");
    assert_eq!(root.children[0].style["color"], "#111111");
    assert_eq!(screen_texts(&out, "app"), ["light"]);
}

#[test]
fn an_unknown_text_direction_is_left_to_right() {
    let i18n = r#"import * as Localization from 'expo-localization';
import { I18nManager } from 'react-native';
const locale = Localization.getLocales()[0];
export let isRTL = false;
if (locale?.languageTag && locale?.textDirection === 'rtl') {
  I18nManager.allowRTL(true);
  isRTL = true;
} else {
  I18nManager.allowRTL(false);
}
"#;
    let app = "import { Text } from 'react-native';\nimport { isRTL } from './i18n';\nexport default function App() { return <Text style={{ textAlign: isRTL ? 'right' : 'left' }}>hi</Text>; }\n";
    let out = run(&[("App.tsx", app), ("i18n.ts", i18n)], None);
    let text = &out.screens[0].document.root.children[0];
    assert_eq!(text.style["textAlign"], "left");
    assert!(
        out.screens[0]
            .warnings
            .iter()
            .all(|w| w.code != "unknown-condition"),
        "{:?}",
        out.screens[0].warnings
    );
}

#[test]
fn unknown_text_becomes_a_skeleton_bar_of_typical_size() {
    let app = r#"import { View, Text } from 'react-native';
import { useStore } from './store';
export default function App() {
  const episode = useStore();
  return (
    <View>
      <Text style={{ fontSize: 20, lineHeight: 28, marginTop: 4 }}>{episode.title}</Text>
      <Text>Known {episode.count}</Text>
    </View>
  );
}
"#;
    let store = "import { useSelector } from 'react-redux';\nexport const useStore = () => useSelector((s) => s.episode);\n";
    let out = run(&[("App.tsx", app), ("store.ts", store)], None);
    let view = &out.screens[0].document.root.children[0];
    let bar = &view.children[0];
    assert_eq!(bar.kind, "View");
    assert_eq!(bar.props.get("skeleton"), Some(&serde_json::json!("text")));
    assert_eq!(bar.style["width"], 110.0);
    assert_eq!(bar.style["height"], 15.0);
    // The bar sits in the middle of its 28-point line: (28 - 15) / 2 above and below.
    assert_eq!(bar.style["marginTop"], 10.5);
    assert_eq!(bar.style["marginBottom"], 6.5);
    assert!(
        out.screens[0]
            .warnings
            .iter()
            .any(|w| w.code == "unknown-text")
    );
    // Partly known text keeps what is known.
    assert_eq!(view.children[1].kind, "Text");
}

#[test]
fn a_namespace_import_of_a_barrel_holds_what_it_re_exports() {
    // Ignite 10: `import * as Screens from "@/screens"`, whose index only `export *`s.
    let app = r#"import { createNativeStackNavigator } from '@react-navigation/native-stack';
import { NavigationContainer } from '@react-navigation/native';
import * as Screens from './screens';
const Stack = createNativeStackNavigator();
export default function App() {
  return <NavigationContainer><Stack.Navigator>
    <Stack.Screen name="Welcome" component={Screens.WelcomeScreen} />
    <Stack.Screen name="Login" component={Screens.LoginScreen} />
  </Stack.Navigator></NavigationContainer>;
}
"#;
    let welcome = "import { observer } from 'mobx-react-lite';\nimport { Text } from 'react-native';\nexport const WelcomeScreen = observer(function WelcomeScreen() { return <Text>welcome</Text>; });\n";
    let login = "import { Text } from 'react-native';\nexport * from './more';\nexport function LoginScreen() { return <Text>login</Text>; }\n";
    let list = [
        ("App.tsx", app),
        (
            "screens/index.ts",
            "export * from './Welcome';\nexport * from './Login';\n",
        ),
        ("screens/Welcome.tsx", welcome),
        ("screens/Login.tsx", login),
        (
            "screens/more.ts",
            "export * from './Login';\nexport const EXTRA = 1;\n",
        ),
    ];
    let out = run(&list, None);
    assert!(out.failures.is_empty(), "{:?}", out.failures);
    assert_eq!(screen_texts(&out, "welcome"), ["welcome"]);
    assert_eq!(screen_texts(&out, "login"), ["login"]);
}

#[test]
fn flow_enums_without_initializers_are_their_member_names() {
    let app = "// @flow\nimport { Text } from 'react-native';\nenum Status {\n  Active,\n  Off,\n}\nenum Level of number {\n  Low = 1,\n  High = 2,\n}\nexport default function App(): React.Node {\n  return <Text>{Status.Off}-{Level.High}</Text>;\n}\n";
    let ts = "import { Text } from 'react-native';\nenum Status { Active, Off }\nexport default function App() { return <Text>{Status.Off}</Text>; }\n";
    assert_eq!(
        screen_texts(&run(&[("App.js", app)], None), "app"),
        ["Off-2"]
    );
    assert_eq!(screen_texts(&run(&[("App.tsx", ts)], None), "app"), ["1"]);
}
