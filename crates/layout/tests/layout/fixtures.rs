//! Fixture projects -> Layout JSON snapshots. Each folder under `tests/fixtures/` is a whole
//! small project; every screen's document is snapshotted with insta and validated against the
//! published JSON Schema with an independent validator (the `jsonschema` crate).

use std::path::Path;

use hivesync_layout::{
    CompileOutput, CompileRequest, DeviceKind, LAYOUT_SCHEMA, Target, TargetPlatform, compile,
};

pub(crate) fn compile_fixture(
    name: &str,
    platform: TargetPlatform,
    device: DeviceKind,
) -> CompileOutput {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let mut files = Vec::new();
    crate::common::load(&root, &root, &mut files);
    let out = compile(&CompileRequest::new(files, Target::new(platform, device)))
        .expect("fixture compiles");
    let schema: serde_json::Value = serde_json::from_str(LAYOUT_SCHEMA).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("schema is valid");
    for s in &out.screens {
        let doc = serde_json::to_value(&s.document).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&doc)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "{name}/{}: schema violations: {errors:#?}",
            s.id
        );
    }
    out
}

pub(crate) fn snapshot_all(name: &str, out: &CompileOutput) {
    // The snapshots live in `tests/snapshots/`, named `fixtures__{project}__{screen}.snap`.
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for s in &out.screens {
            insta::assert_json_snapshot!(format!("fixtures__{name}__{}", s.id), s.document);
        }
        insta::assert_json_snapshot!(
            format!("fixtures__{name}__summary"),
            serde_json::json!({
                "screens": out.screens.iter().map(|s| (&s.id, &s.name, s.snapshots.len(), s.warnings.len())).collect::<Vec<_>>(),
                "failures": out.failures,
                "warnings": out.warnings,
            })
        );
    });
}

#[test]
fn react_navigation_app_with_theme_module_styles_sibling_and_aliases() {
    let out = compile_fixture(
        "react-navigation-theme",
        TargetPlatform::Ios,
        DeviceKind::Iphone,
    );
    snapshot_all("react-navigation-theme", &out);
}

#[test]
fn expo_router_app_with_nativewind_classes_and_babel_alias() {
    let out = compile_fixture(
        "expo-router-nativewind",
        TargetPlatform::Android,
        DeviceKind::AndroidPhone,
    );
    snapshot_all("expo-router-nativewind", &out);
}

#[test]
fn flow_app_with_styled_components_and_class_components() {
    let out = compile_fixture("styled-class-flow", TargetPlatform::Ios, DeviceKind::Ipad);
    snapshot_all("styled-class-flow", &out);
}

#[test]
fn flow_typed_app_with_enums_casts_generics_declarations_and_class_annotations() {
    let out = compile_fixture("flow-typed-orders", TargetPlatform::Ios, DeviceKind::Iphone);
    assert!(out.failures.is_empty(), "{:?}", out.failures);
    // Every file parses after stripping: no component falls back to a snapshot.
    for s in &out.screens {
        assert!(
            s.snapshots.is_empty() && s.warnings.is_empty(),
            "{:?}",
            s.warnings
        );
    }
    snapshot_all("flow-typed-orders", &out);
}

#[test]
fn static_tab_navigator_with_look_alike_helpers_i18n_animated_and_core_components() {
    let out = compile_fixture("helpers-and-core", TargetPlatform::Ios, DeviceKind::Iphone);
    snapshot_all("helpers-and-core", &out);
}

#[test]
fn ui_kitten_sign_in_and_settings_with_eva_styles_and_keyboard_aware_wrapper() {
    let out = compile_fixture("ui-kitten-auth", TargetPlatform::Ios, DeviceKind::Iphone);
    snapshot_all("ui-kitten-auth", &out);
}

#[test]
fn react_native_elements_contacts_list_and_profile() {
    let out = compile_fixture("rne-contacts", TargetPlatform::Ios, DeviceKind::Iphone);
    snapshot_all("rne-contacts", &out);
}

#[test]
fn keyboard_aware_forms_with_status_bars_blur_and_dooboo_ui() {
    let out = compile_fixture(
        "keyboard-aware-form",
        TargetPlatform::Android,
        DeviceKind::AndroidPhone,
    );
    snapshot_all("keyboard-aware-form", &out);
}

#[test]
fn gesture_handler_rows_overlays_symbols_and_navigation_elements() {
    let out = compile_fixture(
        "gesture-handler-rows",
        TargetPlatform::Ios,
        DeviceKind::Iphone,
    );
    snapshot_all("gesture-handler-rows", &out);
}

#[test]
fn app_images_resolve_to_the_variant_of_the_device_scale_and_fill_the_asset_table() {
    let out = compile_fixture("image-assets", TargetPlatform::Ios, DeviceKind::Iphone);
    snapshot_all("image-assets", &out);
    let images = |out: &CompileOutput, screen: &str| -> Vec<(String, String, f64)> {
        let s = out.screens.iter().find(|s| s.id == screen).unwrap();
        s.document
            .assets
            .iter()
            .filter(|a| a.kind == "image")
            .map(|a| (a.file.clone().unwrap(), a.storage_key.clone(), a.scale))
            .collect()
    };
    // iPhone (@3x): the @3x logo; the avatar has only @2x, the largest there is.
    let welcome = images(&out, "welcome");
    assert_eq!(welcome.len(), 2, "{welcome:?}");
    assert!(
        welcome
            .iter()
            .any(|(f, _, s)| f == "assets/images/logo@3x.png" && *s == 3.0)
    );
    assert!(welcome.iter().any(|(f, k, _)| f == "assets/images/hero.jpg"
        && k.starts_with("previews/welcome/assets/")
        && k.ends_with(".jpg")));
    let profile = images(&out, "profile");
    assert!(
        profile
            .iter()
            .any(|(f, _, s)| f == "assets/images/avatar@2x.png" && *s == 2.0)
    );
    // hero.jpg shown three times is one asset; missing.png and the remote image are none.
    let files: Vec<&str> = profile.iter().map(|(f, _, _)| f.as_str()).collect();
    assert_eq!(
        files,
        [
            "assets/images/pattern.webp",
            "assets/images/avatar@2x.png",
            "assets/images/badge.gif",
            "assets/images/hero.jpg"
        ]
    );
    // iPad (@2x) loads the @2x logo.
    let ipad = compile_fixture("image-assets", TargetPlatform::Ios, DeviceKind::Ipad);
    assert!(
        images(&ipad, "welcome")
            .iter()
            .any(|(f, _, _)| f == "assets/images/logo@2x.png")
    );
}

#[test]
fn expo_vector_icons_in_a_tab_bar_header_and_lists() {
    let out = compile_fixture("expo-icons-tabs", TargetPlatform::Ios, DeviceKind::Iphone);
    snapshot_all("expo-icons-tabs", &out);
}

#[test]
fn ui_kitten_eva_icons_and_react_native_elements_icons() {
    let out = compile_fixture("ui-kit-icons", TargetPlatform::Ios, DeviceKind::Iphone);
    snapshot_all("ui-kit-icons", &out);
}

#[test]
fn react_native_svg_logo_and_illustration_become_svg_pictures() {
    let out = compile_fixture("svg-welcome", TargetPlatform::Ios, DeviceKind::Iphone);
    snapshot_all("svg-welcome", &out);
}

#[test]
fn linear_gradient_header_and_button_with_text_over_them() {
    let out = compile_fixture(
        "gradient-header",
        TargetPlatform::Android,
        DeviceKind::AndroidPhone,
    );
    snapshot_all("gradient-header", &out);
}

#[test]
fn fonts_the_app_loads_are_named_by_use_fonts_keys_and_file_stems_and_unknown_families_warn() {
    let out = compile_fixture("app-fonts", TargetPlatform::Ios, DeviceKind::Iphone);
    snapshot_all("app-fonts", &out);
    let home = &out
        .screens
        .iter()
        .find(|s| s.id == "home")
        .unwrap()
        .document;
    let family = |name: &str| home.fonts.iter().find(|f| f.family == name);
    let brand = family("Brand").expect("the useFonts key");
    assert_eq!(brand.file, "assets/fonts/Pacifico_400Regular.ttf");
    // The file stem and the font's own names (family `Pacifico`, PostScript `Pacifico-Regular`).
    for name in ["Pacifico_400Regular", "Pacifico", "Pacifico-Regular"] {
        assert_eq!(
            family(name).map(|f| &f.asset_id),
            Some(&brand.asset_id),
            "{name}"
        );
    }
    let unknown: Vec<&str> = home
        .warnings
        .iter()
        .filter(|w| w.code == "unknown-font")
        .map(|w| w.message.as_str())
        .collect();
    assert_eq!(unknown.len(), 1, "{unknown:?}");
    assert!(unknown[0].contains("`Lobster`"));
}

#[test]
fn a_font_file_that_does_not_parse_is_reported_and_left_out_of_the_font_table() {
    let mut files = Vec::new();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/app-fonts");
    crate::common::load(&root, &root, &mut files);
    let font = files.iter_mut().find(|f| f.path.ends_with(".ttf")).unwrap();
    // TrueType magic, then garbage: accepted as a font by its first bytes, refused by the parser.
    *font = hivesync_layout::SourceFile::binary(
        font.path.clone(),
        b"\0\x01\0\0garbage that is no font",
    );
    let out = hivesync_layout::compile(&hivesync_layout::CompileRequest::new(
        files,
        hivesync_layout::Target::new(TargetPlatform::Ios, DeviceKind::Iphone),
    ))
    .unwrap();
    assert!(
        out.warnings.iter().any(|w| w.code == "broken-font"),
        "{:?}",
        out.warnings
    );
    let home = &out.screens[0].document;
    assert!(home.fonts.is_empty());
    // Every family the screen names is now unknown: drawn with the bundled font, reported.
    assert_eq!(
        home.warnings
            .iter()
            .filter(|w| w.code == "unknown-font")
            .count(),
        3
    );
}

#[test]
fn font_load_async_keys_name_the_file_too() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/app-fonts");
    let font = std::fs::read(root.join("assets/fonts/Pacifico_400Regular.ttf")).unwrap();
    let files = vec![
        hivesync_layout::SourceFile::new(
            "App.tsx",
            "import React from 'react';\nimport { Text } from 'react-native';\nimport * as Font from 'expo-font';\n\
             export default function App() {\n\
               const loading = Font.loadAsync({ Script: require('./fonts/p.ttf') });\n\
               return <Text style={{ fontFamily: 'Script' }}>{loading ? 'Loading' : 'Hi'}</Text>;\n\
             }\n",
        ),
        hivesync_layout::SourceFile::binary("fonts/p.ttf", &font),
    ];
    let out = compile(&CompileRequest::new(
        files,
        Target::new(TargetPlatform::Ios, DeviceKind::Iphone),
    ))
    .unwrap();
    let doc = &out.screens[0].document;
    assert!(
        doc.fonts
            .iter()
            .any(|f| f.family == "Script" && f.file == "fonts/p.ttf"),
        "{:?}",
        doc.fonts
    );
    assert!(
        !doc.warnings.iter().any(|w| w.code == "unknown-font"),
        "{:?}",
        doc.warnings
    );
}
