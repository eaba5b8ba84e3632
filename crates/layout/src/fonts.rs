//! The fonts a request carries (`.ttf` / `.otf` binary files) as the compiler sees them, and the
//! document's font table: which `fontFamily` names draw with which file.
//!
//! A font file is known by its file stem (`Inter-Bold.ttf` -> `Inter-Bold`, as a natively linked
//! font is on Android), its own family and PostScript names (as on iOS), and every key that
//! `useFonts({Inter: require('./Inter.ttf')})` / `Font.loadAsync({...})` gives it (expo-font).
//! A text style whose `fontFamily` is none of these keeps the bundled font, with one
//! `unknown-font` warning per family.

use hivesync_document::{FontAsset, Node, SourceLocation, Warning};
use serde_json::Value as Json;
use ttf_parser::{Face, name_id};

use crate::SourceFile;
use crate::images::content_address;

/// A font file of the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FontFile {
    /// Its project path.
    pub path: String,
    /// Its content address.
    pub asset_id: String,
    /// The names it is known by natively: file stem, family, typographic family, PostScript.
    pub names: Vec<String>,
}

/// What a binary file of the request is to the compiler as a font: `None` for anything else,
/// an error when it claims to be a font but does not parse.
pub(crate) fn font_file(file: &SourceFile, path: &str) -> Option<Result<FontFile, String>> {
    let bytes = match file.media() {
        Ok(Some((media, bytes))) if !media.is_image() => bytes,
        _ => return None,
    };
    let face = match Face::parse(&bytes, 0) {
        Ok(face) => face,
        Err(e) => {
            return Some(Err(format!(
                "{path} is not a readable font ({e}); its text is drawn with the bundled font"
            )));
        }
    };
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let mut names = vec![stem.to_owned()];
    for id in [
        name_id::FAMILY,
        name_id::TYPOGRAPHIC_FAMILY,
        name_id::POST_SCRIPT_NAME,
    ] {
        let found = face
            .names()
            .into_iter()
            .filter(|n| n.name_id == id)
            .find_map(|n| n.to_string());
        if let Some(n) = found
            && !n.is_empty()
            && !names.contains(&n)
        {
            names.push(n);
        }
    }
    Some(Ok(FontFile {
        path: path.to_owned(),
        asset_id: content_address(&bytes),
        names,
    }))
}

/// The font table of a document: every family name of every font file, then the `loaded`
/// (`useFonts` key, project path) pairs whose path is a font file. One entry per family: the
/// first one wins, so an app's own `useFonts` keys never rename a file's native names.
pub(crate) fn font_table(fonts: &[FontFile], loaded: &[(String, String)]) -> Vec<FontAsset> {
    let mut table: Vec<FontAsset> = Vec::new();
    let mut add = |family: &str, font: &FontFile| {
        if !table
            .iter()
            .any(|f| f.family == family && f.asset_id == font.asset_id)
        {
            table.push(FontAsset {
                family: family.to_owned(),
                file: font.path.clone(),
                asset_id: font.asset_id.clone(),
            });
        }
    };
    for font in fonts {
        for name in &font.names {
            add(name, font);
        }
    }
    for (family, path) in loaded {
        if let Some(font) = fonts.iter().find(|f| &f.path == path) {
            add(family, font);
        }
    }
    table
}

/// Families every device has (or React Native maps to one): never reported.
const SYSTEM_FAMILIES: [&str; 6] = [
    "System",
    "sans-serif",
    "serif",
    "monospace",
    "Roboto",
    "sans-serif-medium",
];

/// One `unknown-font` warning per `fontFamily` of a text node under `root` that the table does
/// not name, at the first element using it (snapshots draw their own glyphs: icon fonts are
/// theirs).
pub(crate) fn unknown_font_warnings(root: &Node, table: &[FontAsset]) -> Vec<Warning> {
    let mut families = Vec::new();
    collect_families(root, &mut families);
    families
        .into_iter()
        .filter(|(f, _)| {
            !SYSTEM_FAMILIES.contains(&f.as_str()) && !table.iter().any(|t| t.family == *f)
        })
        .map(|(family, location)| Warning {
            code: "unknown-font".into(),
            message: format!(
                "fontFamily `{family}` is not a font file of the request (nor a useFonts key); its text is measured and drawn with the bundled Roboto"
            ),
            location,
        })
        .collect()
}

fn collect_families(node: &Node, out: &mut Vec<(String, Option<SourceLocation>)>) {
    if node.snapshot.is_some() {
        return;
    }
    if matches!(&*node.kind, "Text" | "TextInput")
        && let Some(Json::String(f)) = node.style.get("fontFamily")
        && !out.iter().any(|(seen, _)| seen == f)
    {
        out.push((f.clone(), node.source.clone()));
    }
    // Depth is bounded by the compiler's output limits (as `collect_assets` walks it).
    for c in &node.children {
        collect_families(c, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn font(path: &str, id: &str, names: &[&str]) -> FontFile {
        FontFile {
            path: path.into(),
            asset_id: id.into(),
            names: names.iter().map(|n| n.to_string()).collect(),
        }
    }

    #[test]
    fn use_fonts_keys_and_native_names_name_the_file() {
        let fonts = [font(
            "a/Pacifico-Regular.ttf",
            "p1",
            &["Pacifico-Regular", "Pacifico"],
        )];
        let loaded = [
            (
                "Pacifico_400Regular".to_owned(),
                "a/Pacifico-Regular.ttf".to_owned(),
            ),
            ("Missing".to_owned(), "a/Other.ttf".to_owned()),
        ];
        let table = font_table(&fonts, &loaded);
        let families: Vec<&str> = table.iter().map(|f| f.family.as_str()).collect();
        assert_eq!(
            families,
            ["Pacifico-Regular", "Pacifico", "Pacifico_400Regular"]
        );
        assert!(
            table
                .iter()
                .all(|f| f.asset_id == "p1" && f.file == "a/Pacifico-Regular.ttf")
        );
    }
}
