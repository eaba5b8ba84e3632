//! Helpers shared by the layout test binaries.

use std::path::Path;

use hivesync_layout::SourceFile;

/// Every file below `dir` as a project file, its path relative to `root` (`/` separated),
/// in sorted order.
pub fn load(dir: &Path, root: &Path, out: &mut Vec<SourceFile>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            load(&p, root, out);
        } else {
            let rel = p
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            // Images and fonts (sniffed from their bytes) travel in base64, as a client sends them.
            let bytes = std::fs::read(&p).unwrap();
            let file = if hivesync_core::media::MediaType::sniff(&bytes).is_some() {
                SourceFile::binary(rel, &bytes)
            } else {
                SourceFile::new(rel, String::from_utf8(bytes).unwrap())
            };
            out.push(file);
        }
    }
}
