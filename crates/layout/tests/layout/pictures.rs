//! Snapshots that are pictures: icon glyphs, SVG markup and gradients the compiler knows
//! statically travel in `snapshot.picture`; what it cannot know stays a placeholder, with a
//! warning that says why.

use hivesync_layout::{
    CompileOutput, CompileRequest, DeviceKind, Node, Picture, SourceFile, Target, TargetPlatform,
    compile,
};

fn compile_files(files: &[(&str, &str)]) -> CompileOutput {
    let files = files
        .iter()
        .map(|(p, s)| SourceFile::new(*p, *s))
        .collect::<Vec<_>>();
    let mut req = CompileRequest::new(files, Target::new(TargetPlatform::Ios, DeviceKind::Iphone));
    req.screens = Some(vec!["App.tsx".into()]);
    compile(&req).expect("compiles")
}

fn app(src: &str) -> CompileOutput {
    compile_files(&[("App.tsx", src)])
}

fn snapshots(n: &Node, out: &mut Vec<(String, Option<Picture>)>) {
    if let Some(s) = &n.snapshot {
        out.push((s.component.clone(), s.picture.clone()));
    }
    for c in &n.children {
        snapshots(c, out);
    }
}

fn pictures(out: &CompileOutput) -> Vec<(String, Option<Picture>)> {
    let mut v = Vec::new();
    snapshots(&out.screens[0].document.root, &mut v);
    v
}

fn warning_codes(out: &CompileOutput) -> Vec<&str> {
    out.screens[0]
        .warnings
        .iter()
        .map(|w| w.code.as_str())
        .collect()
}

#[test]
fn a_vector_icon_carries_its_glyph_size_and_colour_and_defaults_to_12_black() {
    let out = app(r###"import React from 'react';
import { View } from 'react-native';
import { Ionicons } from '@expo/vector-icons';
import Feather from 'react-native-vector-icons/Feather';
export default function App() {
  return (
    <View>
      <Ionicons name="home" size={30} color="#f00" />
      <Feather name="bell" style={{ color: 'blue', fontSize: 18 }} color="red" />
      <Feather name="bell" />
    </View>
  );
}"###);
    let p = pictures(&out);
    assert_eq!(
        p[0].1,
        Some(Picture::Icon {
            family: "Ionicons".into(),
            glyph: "home".into(),
            codepoint: 0xf382,
            size: 30.0,
            color: "#f00".into(),
        })
    );
    // The style comes after the props in the package's Text style.
    assert!(
        matches!(&p[1].1, Some(Picture::Icon { size, color, .. }) if *size == 18.0 && color == "blue")
    );
    assert!(
        matches!(&p[2].1, Some(Picture::Icon { size, color, .. }) if *size == 12.0 && color == "black")
    );
    let snaps = &out.screens[0].snapshots;
    assert!(
        snaps.iter().all(|s| s.picture.is_some()),
        "the pending snapshots carry them too"
    );
}

#[test]
fn an_unknown_glyph_stays_a_placeholder_with_a_warning() {
    let out = app(r###"import React from 'react';
import { MaterialIcons } from '@expo/vector-icons';
export default function App() {
  return <MaterialIcons name="no-such-icon" size={24} />;
}"###);
    assert_eq!(pictures(&out)[0].1, None);
    let w = &out.screens[0].warnings;
    let unknown = w
        .iter()
        .find(|w| w.code == "unknown-icon-glyph")
        .expect("warned");
    assert!(
        unknown.message.contains("no-such-icon"),
        "{}",
        unknown.message
    );
    assert!(unknown.location.is_some());
}

#[test]
fn an_unknown_icon_family_stays_a_placeholder_with_a_warning() {
    let out = app(r###"import React from 'react';
import { View } from 'react-native';
import { Icon } from 'react-native-elements';
import { createIconSet } from '@expo/vector-icons';
const Custom = createIconSet({ logo: 59000 }, 'icomoon', 'icomoon.ttf');
export default function App() {
  return (
    <View>
      <Icon name="home" type="no-such-family" />
      <Custom name="logo" size={20} />
    </View>
  );
}"###);
    assert!(pictures(&out).iter().all(|(_, p)| p.is_none()));
    let codes = warning_codes(&out);
    assert!(codes.contains(&"unknown-icon-family"), "{codes:?}");
    assert!(codes.contains(&"unknown-icon-font"), "{codes:?}");
}

#[test]
fn create_icon_set_with_an_imported_glyph_map_and_a_bundled_font_draws_its_glyphs() {
    let out = compile_files(&[
        (
            "App.tsx",
            r###"import React from 'react';
import createIconSet from '@expo/vector-icons/createIconSet';
import glyphMap from './glyphs.json';
const AppIcon = createIconSet(glyphMap, 'FontAwesome', 'FontAwesome.ttf');
export default function App() {
  return <AppIcon name="brand" size={40} color="#123456" />;
}"###,
        ),
        (
            "glyphs.json",
            r###"{ "brand": 61817, "other": "\uf09b" }"###,
        ),
    ]);
    assert_eq!(
        pictures(&out)[0].1,
        Some(Picture::Icon {
            family: "FontAwesome".into(),
            glyph: "brand".into(),
            codepoint: 61817,
            size: 40.0,
            color: "#123456".into(),
        })
    );
}

#[test]
fn svg_jsx_becomes_markup_with_svg_attribute_names_and_evaluated_values() {
    let out = app(r##"import React from 'react';
import Svg, { Path, G, Circle } from 'react-native-svg';
const brand = '#6c4cf1';
export default function App() {
  return (
    <Svg width={48} height={24} viewBox="0 0 48 24" onPress={() => {}}>
      <G opacity={0.5}>
        <Path d="M0 0 L48 24" stroke={brand} strokeWidth={2} strokeLinecap="round" />
        <Circle cx={12} cy={12} r={4} fill="url(#g)" />
      </G>
    </Svg>
  );
}"##);
    let p = pictures(&out);
    let Some(Picture::Svg { markup }) = &p[0].1 else {
        panic!("{p:?}")
    };
    assert_eq!(
        markup,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 48 24\" width=\"48\" height=\"24\"><g opacity=\"0.5\"><path d=\"M0 0 L48 24\" stroke=\"#6c4cf1\" stroke-width=\"2\" stroke-linecap=\"round\"/><circle cx=\"12\" cy=\"12\" r=\"4\" fill=\"url(#g)\"/></g></svg>"
    );
    assert!(!warning_codes(&out).contains(&"svg-incomplete"));
    let style = &out.screens[0].document.root.children[0].style;
    assert_eq!(style.get("width"), Some(&serde_json::json!(48)));
}

#[test]
fn malformed_path_data_and_unknown_svg_children_are_reported() {
    let out = app(r###"import React from 'react';
import Svg, { Path, ForeignObject } from 'react-native-svg';
export default function App() {
  return (
    <Svg width={24} height={24}>
      <Path d="M4 4 L oops" fancy="yes" />
      <ForeignObject />
    </Svg>
  );
}"###);
    let codes = warning_codes(&out);
    assert!(codes.contains(&"svg-path-data"), "{codes:?}");
    let incomplete = out.screens[0]
        .warnings
        .iter()
        .find(|w| w.code == "svg-incomplete")
        .expect("warned");
    assert!(
        incomplete.message.contains("`fancy`"),
        "{}",
        incomplete.message
    );
    assert!(
        incomplete.message.contains("ForeignObject"),
        "{}",
        incomplete.message
    );
    let Some(Picture::Svg { markup }) = &pictures(&out)[0].1 else {
        panic!()
    };
    assert!(
        markup.contains("d=\"M4 4 L oops\""),
        "best effort: kept for the renderer"
    );
    assert!(!markup.contains("fancy"));
}

#[test]
fn a_gradient_with_known_colours_is_a_container_over_a_gradient_picture() {
    let out = app(r###"import React from 'react';
import { Text } from 'react-native';
import { LinearGradient } from 'expo-linear-gradient';
export default function App() {
  return (
    <LinearGradient colors={['#ff0000', 'rgba(0,0,255,0.5)']} start={[0, 0]} end={{ x: 1, y: 1 }} locations={[0, 0.8]} style={{ height: 100, borderRadius: 8 }}>
      <Text>Over</Text>
    </LinearGradient>
  );
}"###);
    let root = &out.screens[0].document.root;
    let container = &root.children[0];
    assert_eq!(container.kind, "View");
    assert_eq!(container.children[0].kind, "HS_ImageSnapshot");
    assert_eq!(container.children[1].kind, "Text");
    let fill = &container.children[0];
    assert_eq!(
        fill.style.get("position"),
        Some(&serde_json::json!("absolute"))
    );
    assert_eq!(
        fill.style.get("borderTopLeftRadius"),
        Some(&serde_json::json!(8))
    );
    assert_eq!(
        fill.snapshot.as_ref().unwrap().picture,
        Some(Picture::Gradient {
            colors: vec!["#ff0000".into(), "rgba(0,0,255,0.5)".into()],
            locations: Some(vec![0.0, 0.8]),
            start: hivesync_layout::document::Point { x: 0.0, y: 0.0 },
            end: hivesync_layout::document::Point { x: 1.0, y: 1.0 },
        })
    );
}

#[test]
fn a_gradient_with_unknown_colours_passes_through_with_a_warning() {
    let out = app(r###"import React from 'react';
import { Text } from 'react-native';
import LinearGradient from 'react-native-linear-gradient';
export default function App({ colors }) {
  return (
    <LinearGradient colors={colors} style={{ height: 100 }}>
      <Text>Over</Text>
    </LinearGradient>
  );
}"###);
    let codes = warning_codes(&out);
    assert!(codes.contains(&"gradient-colors-unknown"), "{codes:?}");
    assert!(codes.contains(&"pass-through"), "{codes:?}");
    assert!(pictures(&out).is_empty());
}
