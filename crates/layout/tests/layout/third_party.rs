//! Components whose code is not in the request: unknown containers pass through with their
//! children rendered natively, only childless unknowns become snapshots, and the library table
//! (`library/components.toml`) maps the components of popular packages to core nodes.

use hivesync_layout::{
    CompileOutput, CompileRequest, DeviceKind, Node, SourceFile, Target, TargetPlatform, compile,
};
use serde_json::{Value, json};

fn compile_app(src: &str) -> CompileOutput {
    let out = compile(&CompileRequest::new(
        vec![SourceFile::new("App.tsx", src)],
        Target::new(TargetPlatform::Ios, DeviceKind::Iphone),
    ))
    .expect("compiles");
    let schema: Value = serde_json::from_str(hivesync_layout::LAYOUT_SCHEMA).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    for s in &out.screens {
        let doc = serde_json::to_value(&s.document).unwrap();
        let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{errors:?}");
    }
    out
}

fn json_of(n: &Node) -> Value {
    serde_json::to_value(n).unwrap()
}

#[test]
fn unknown_wrappers_pass_through_and_only_childless_unknowns_become_snapshots() {
    let out = compile_app(
        r#"import React from 'react';
import { Text } from 'react-native';
import { Wrapper, Leaf } from 'some-unknown-kit';
import Missing from './Missing';

export default function App() {
  return (
    <Wrapper style={{ flex: 1, padding: 8 }} testID="wrapper">
      <Missing>
        <Text>Inside</Text>
      </Missing>
      <Wrapper.Title>Hello</Wrapper.Title>
      <Leaf style={{ width: 10, height: 10 }} />
      <svg>
        <path d="M0 0" />
      </svg>
    </Wrapper>
  );
}
"#,
    );
    let screen = &out.screens[0];
    let wrapper = json_of(&screen.document.root.children[0]);
    assert_eq!(wrapper["type"], "View");
    assert_eq!(wrapper["style"]["flex"], 1);
    assert_eq!(wrapper["style"]["paddingTop"], 8);
    assert_eq!(wrapper["props"]["testID"], "wrapper");
    assert_eq!(
        wrapper["external"],
        json!({"component": "Wrapper", "package": "some-unknown-kit", "via": "pass-through"})
    );
    let kids = wrapper["children"].as_array().unwrap();
    let types: Vec<&str> = kids.iter().map(|k| k["type"].as_str().unwrap()).collect();
    assert_eq!(
        types,
        ["View", "Text", "HS_ImageSnapshot", "HS_ImageSnapshot"]
    );
    assert_eq!(kids[0]["external"]["package"], "./Missing");
    assert_eq!(kids[0]["children"][0]["text"], "Inside");
    assert_eq!(kids[1]["text"], "Hello");
    assert_eq!(kids[1]["external"]["component"], "Wrapper.Title");
    assert_eq!(kids[2]["snapshot"]["component"], "Leaf");
    assert_eq!(kids[3]["snapshot"]["component"], "svg");
    let codes: Vec<&str> = screen.warnings.iter().map(|w| w.code.as_str()).collect();
    assert_eq!(
        codes.iter().filter(|c| **c == "pass-through").count(),
        3,
        "{codes:?}"
    );
    assert_eq!(screen.snapshots.len(), 2);
}

/// The first node (depth first) whose `external.component` is `name`.
fn find<'v>(n: &'v Value, name: &str) -> Option<&'v Value> {
    if n["external"]["component"] == name {
        return Some(n);
    }
    n["children"].as_array()?.iter().find_map(|c| find(c, name))
}

fn root_json(out: &CompileOutput) -> Value {
    json_of(&out.screens[0].document.root)
}

#[test]
fn ui_kitten_variants_slots_and_text_follow_the_eva_mapping() {
    let out = compile_app(
        r#"import React from 'react';
import { Button, Icon, Layout, Text } from '@ui-kitten/components';

const StarIcon = (props) => <Icon {...props} name="star" />;

export default function App() {
  return (
    <Layout level="2" style={{ flex: 1 }}>
      <Text category="h1">Title</Text>
      <Text appearance="hint">Hint</Text>
      <Button status="danger" size="small" accessoryLeft={StarIcon} onPress={() => {}}>
        Delete
      </Button>
      <Button appearance="outline" status="fancy">Outline</Button>
    </Layout>
  );
}
"#,
    );
    let root = root_json(&out);
    let layout = find(&root, "Layout").unwrap();
    assert_eq!(layout["type"], "View");
    assert_eq!(layout["style"]["backgroundColor"], "#F7F9FC"); // background-basic-color-2
    assert_eq!(layout["style"]["flex"], 1);
    assert_eq!(layout["external"]["via"], "library");
    let kids = layout["children"].as_array().unwrap();
    assert_eq!(kids[0]["text"], "Title");
    assert_eq!(kids[0]["style"]["fontSize"], 36); // text-heading-1-font-size
    assert_eq!(kids[0]["style"]["fontWeight"], "800");
    assert_eq!(kids[1]["style"]["color"], "#8F9BB3"); // text-hint-color
    let danger = &kids[2];
    assert_eq!(danger["type"], "TouchableOpacity");
    assert_eq!(danger["style"]["backgroundColor"], "#FF3D71"); // color-danger-default
    assert_eq!(danger["style"]["minHeight"], 32); // size-small
    let parts = danger["children"].as_array().unwrap();
    assert_eq!(parts[0]["type"], "HS_ImageSnapshot");
    assert_eq!(parts[0]["style"]["width"], 16);
    assert_eq!(parts[0]["style"]["tintColor"], "#FFFFFF");
    assert_eq!(parts[1]["text"], "Delete");
    assert_eq!(parts[1]["style"]["fontSize"], 12);
    // An unknown status: the default (primary) colours of the outline appearance, and a warning.
    let outline = &kids[3];
    assert_eq!(outline["children"][0]["style"]["color"], "#3366FF");
    let warned = out.screens[0]
        .warnings
        .iter()
        .any(|w| w.code == "library-variant" && w.message.contains("status=\"fancy\""));
    assert!(warned, "{:?}", out.screens[0].warnings);
}

#[test]
fn react_native_elements_config_objects_numbers_and_platform_styles() {
    let out = compile_app(
        r#"import React from 'react';
import { View } from 'react-native';
import { Avatar, Header, ListItem } from 'react-native-elements';

export default function App() {
  return (
    <View>
      <Header
        leftComponent={{ icon: 'menu', color: '#fff' }}
        centerComponent={{ text: 'TITLE', style: { color: '#fff' } }}
      />
      <ListItem bottomDivider>
        <Avatar rounded size={64} title="AB" />
        <ListItem.Content>
          <ListItem.Title>Name</ListItem.Title>
        </ListItem.Content>
      </ListItem>
    </View>
  );
}
"#,
    );
    let root = root_json(&out);
    let header = find(&root, "Header").unwrap();
    assert_eq!(header["style"]["backgroundColor"], "#2089dc");
    let title = find(header, "Text").unwrap_or_else(|| panic!("{header:#}"));
    assert_eq!(title["text"], "TITLE");
    assert_eq!(title["style"]["color"], "#fff");
    let icon = find(header, "Icon").unwrap();
    assert_eq!(icon["type"], "HS_ImageSnapshot");
    // Icon.js centres the glyph in a view that stretches: 24 is its least width.
    assert_eq!(icon["style"]["minWidth"], 24);
    assert_eq!(icon["style"]["height"], 24);
    assert_eq!(icon["snapshot"]["picture"]["family"], "MaterialIcons");
    let avatar = find(&root, "Avatar").unwrap();
    assert_eq!(avatar["style"]["width"], 64);
    assert_eq!(avatar["style"]["borderTopLeftRadius"], 32);
    assert_eq!(
        find(avatar, "Avatar").unwrap()["children"][0]["children"][0]["style"]["fontSize"],
        32
    );
    let item = find(&root, "ListItem").unwrap();
    let pad = &item["children"][0];
    assert_eq!(pad["style"]["paddingTop"], 14); // iOS
    assert!(pad["style"]["borderBottomWidth"].as_f64().unwrap() < 1.0); // hairline
    assert_eq!(
        find(&root, "ListItem.Title").unwrap()["style"]["fontSize"],
        17
    );
}

#[test]
fn wrappers_and_bars_of_the_table_render_their_children_or_nothing() {
    let out = compile_app(
        r#"import React from 'react';
import { Text } from 'react-native';
import { StatusBar } from 'expo-status-bar';
import { SystemBars } from 'react-native-edge-to-edge';
import { GestureDetector, GestureHandlerRootView, RectButton } from 'react-native-gesture-handler';
import { KeyboardAwareScrollView } from 'react-native-keyboard-aware-scroll-view';
import { BlurView } from 'expo-blur';

export default function App() {
  return (
    <GestureHandlerRootView>
      <StatusBar style="dark" />
      <SystemBars style="light" />
      <KeyboardAwareScrollView contentContainerStyle={{ padding: 16 }}>
        <GestureDetector gesture={null}>
          <RectButton onPress={() => {}}>
            <Text>Row</Text>
          </RectButton>
        </GestureDetector>
        <BlurView tint="dark" intensity={100}>
          <Text>Blurred</Text>
        </BlurView>
      </KeyboardAwareScrollView>
    </GestureHandlerRootView>
  );
}
"#,
    );
    let root = root_json(&out);
    let gh = find(&root, "GestureHandlerRootView").unwrap();
    assert_eq!(gh["type"], "View");
    assert_eq!(gh["style"]["flex"], 1);
    let kids = gh["children"].as_array().unwrap();
    assert_eq!(kids.len(), 1, "the bars draw nothing: {kids:?}");
    let scroll = &kids[0];
    assert_eq!(scroll["type"], "ScrollView");
    assert_eq!(scroll["style"]["flexGrow"], 1);
    // The content container holds the children, styled by `contentContainerStyle`.
    let content = &scroll["children"][0];
    assert_eq!(scroll["children"].as_array().unwrap().len(), 1);
    assert_eq!(content["props"]["contentContainer"], true);
    assert_eq!(content["style"]["paddingTop"], 16);
    let inner = content["children"].as_array().unwrap();
    assert_eq!(inner[0]["type"], "Pressable"); // GestureDetector renders its child
    assert_eq!(inner[0]["external"]["component"], "RectButton");
    assert_eq!(inner[1]["style"]["backgroundColor"], "rgba(25,25,25,0.78)");
    assert!(out.screens[0].snapshots.is_empty());
    assert!(
        out.screens[0].warnings.is_empty(),
        "{:?}",
        out.screens[0].warnings
    );
}
