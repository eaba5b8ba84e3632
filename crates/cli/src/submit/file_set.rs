//! What `hivesync submit` sends: the project's files under one root folder, with paths
//! relative to it. A folder is walked honouring `.gitignore` (and `.ignore`, git's excludes),
//! skipping hidden entries and the folders that never hold project source (`node_modules`,
//! `ios`, `android`, `build`, ...: `preview::SKIPPED_DIRS`); listed files are read as given.
//! Only the files the compiler reads go: source, configuration, images and fonts (binary, in
//! base64), the same selection as `hivesync preview` (`preview::read_file`). With
//! `include_node_modules` the packages the project imports are read from `ROOT/node_modules`,
//! as `hivesync preview` reads them. `--changed-since REV` asks git instead: the files changed,
//! added or untracked since `REV`, and the paths deleted.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use hivesync_core::wire::TextFile;

use crate::preview::{SKIPPED_DIRS, add_packages, read_file, relative_name};

/// Files to send and paths to delete.
#[derive(Debug, Default)]
pub struct FileSet {
    /// Files, sorted by path.
    pub files: Vec<TextFile>,
    /// Paths removed (a delta only), sorted.
    pub deleted: Vec<String>,
}

/// The project root: `root` when given, else the one folder listed, else the current folder.
pub fn project_root(root: Option<&Path>, paths: &[PathBuf]) -> Result<PathBuf> {
    let root = match (root, paths) {
        (Some(r), _) => r.to_path_buf(),
        (None, [one]) if one.is_dir() => one.clone(),
        _ => PathBuf::from("."),
    };
    root.canonicalize()
        .with_context(|| format!("cannot read the project folder {}", root.display()))
}

/// `path` relative to `root` (both as the file system names them), `/`-separated; `""` for
/// the root itself.
fn relative_to(root: &Path, path: &Path) -> Result<String> {
    let full = path
        .canonicalize()
        .with_context(|| format!("cannot read {}", path.display()))?;
    match full.strip_prefix(root) {
        Ok(rel) => Ok(relative_name(rel)),
        Err(_) => bail!(
            "{} is outside the project folder {} (pass --root)",
            path.display(),
            root.display()
        ),
    }
}

/// Whether a path relative to the root may be sent: no hidden part, no skipped folder
/// (`node_modules` only when `include_node_modules`).
fn wanted(rel: &str, include_node_modules: bool) -> bool {
    let dirs: Vec<&str> = rel.split('/').collect();
    let (_, folders) = dirs.split_last().unwrap_or((&"", &[]));
    !dirs.iter().any(|p| p.starts_with('.'))
        && !folders
            .iter()
            .any(|d| SKIPPED_DIRS.contains(d) && !(include_node_modules && *d == "node_modules"))
}

/// The whole file set of `paths` (the root when none) under `root`.
pub fn whole(root: &Path, paths: &[PathBuf], include_node_modules: bool) -> Result<FileSet> {
    let mut files = Vec::new();
    let default = [root.to_path_buf()];
    let paths = if paths.is_empty() {
        &default[..]
    } else {
        paths
    };
    for p in paths {
        let rel = relative_to(root, p)?;
        if p.is_dir() {
            walk(root, p, &mut files)?;
        } else {
            match read_file(p, &rel)? {
                Some(f) => files.push(f),
                None => eprintln!("submit: {rel} is not a file the preview reads; not sent"),
            }
        }
    }
    if include_node_modules {
        add_packages(root, 0, &mut files)?;
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files.dedup_by(|a, b| a.path == b.path);
    Ok(FileSet {
        files,
        deleted: Vec::new(),
    })
}

/// Walks `dir` honouring ignore files; paths relative to `root`.
fn walk(root: &Path, dir: &Path, out: &mut Vec<TextFile>) -> Result<()> {
    let walker = ignore::WalkBuilder::new(dir)
        .hidden(true)
        // A project folder that is not (yet) a git repository still has its .gitignore.
        .require_git(false)
        .sort_by_file_name(|a, b| a.cmp(b))
        .filter_entry(|e| {
            let is_dir = e.file_type().is_some_and(|t| t.is_dir());
            e.depth() == 0 || !is_dir || !SKIPPED_DIRS.contains(&&*e.file_name().to_string_lossy())
        })
        .build();
    for entry in walker {
        let entry = entry.with_context(|| format!("cannot walk {}", dir.display()))?;
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let rel = relative_to(root, entry.path())?;
        if let Some(f) = read_file(entry.path(), &rel)? {
            out.push(f);
        }
    }
    Ok(())
}

fn git(root: &Path, args: &[&str]) -> Result<Vec<u8>> {
    let out = Command::new("git")
        .current_dir(root)
        .args(args)
        .output()
        .context("cannot run git (needed by --changed-since)")?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        bail!(
            "git {}: {}",
            args.first().copied().unwrap_or_default(),
            err.lines().next().unwrap_or("failed").trim()
        );
    }
    Ok(out.stdout)
}

/// The delta since the git revision `rev` of `paths` (the root when none): files changed,
/// added or untracked (not ignored) since then, and the paths deleted.
pub fn changed_since(
    root: &Path,
    paths: &[PathBuf],
    rev: &str,
    include_node_modules: bool,
) -> Result<FileSet> {
    if rev.starts_with('-')
        || git(
            root,
            &[
                "rev-parse",
                "--verify",
                "--quiet",
                &format!("{rev}^{{commit}}"),
            ],
        )
        .is_err()
    {
        bail!(
            "--changed-since {rev}: not a commit of the git repository at {}",
            root.display()
        );
    }
    let mut specs = Vec::new();
    for p in paths {
        let rel = relative_to(root, p)?;
        if !rel.is_empty() {
            specs.push(rel);
        }
    }
    if specs.is_empty() {
        specs.push(".".into());
    }
    let specs: Vec<&str> = specs.iter().map(String::as_str).collect();
    let mut args = vec![
        "diff",
        "--name-status",
        "-z",
        "--no-renames",
        "--relative",
        rev,
        "--",
    ];
    args.extend(&specs);
    let diff = git(root, &args)?;
    let mut args = vec!["ls-files", "--others", "--exclude-standard", "-z", "--"];
    args.extend(&specs);
    let untracked = git(root, &args)?;

    let mut set = FileSet::default();
    let mut fields = diff.split(|b| *b == 0).filter(|f| !f.is_empty());
    let mut changed = Vec::new();
    while let (Some(status), Some(path)) = (fields.next(), fields.next()) {
        let path = String::from_utf8_lossy(path).into_owned();
        if status.starts_with(b"D") {
            set.deleted.push(path);
        } else {
            changed.push(path);
        }
    }
    changed.extend(
        untracked
            .split(|b| *b == 0)
            .filter(|f| !f.is_empty())
            .map(|f| String::from_utf8_lossy(f).into_owned()),
    );
    for rel in changed {
        if !wanted(&rel, include_node_modules) {
            continue;
        }
        let full = root.join(&rel);
        if !full.is_file() {
            // Changed since then and gone now (a type change to a folder or link).
            set.deleted.push(rel);
        } else if let Some(f) = read_file(&full, &rel)? {
            set.files.push(f);
        }
    }
    set.deleted.retain(|p| wanted(p, include_node_modules));
    set.files.sort_by(|a, b| a.path.cmp(&b.path));
    set.files.dedup_by(|a, b| a.path == b.path);
    set.deleted.sort();
    set.deleted.dedup();
    Ok(set)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_parts_and_skipped_folders_are_not_sent_unless_node_modules_is_asked_for() {
        assert!(wanted("src/App.tsx", false));
        assert!(
            wanted("android.tsx", false),
            "a file may be named like a folder"
        );
        assert!(!wanted(".expo/x.js", false));
        assert!(!wanted("src/.secret.ts", false));
        assert!(!wanted("ios/Pods/x.js", false));
        assert!(!wanted("node_modules/kit/index.js", false));
        assert!(wanted("node_modules/kit/index.js", true));
    }

    #[test]
    fn a_folder_is_walked_honouring_gitignore_and_skipping_dependency_folders() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let write = |rel: &str, text: &[u8]| {
            let p = root.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        write(".gitignore", b"generated/\n*.log.js\n");
        write(
            "App.tsx",
            b"export default function App() { return null; }\n",
        );
        write("src/a.ts", b"export const a = 1;\n");
        write("src/debug.log.js", b"x");
        write("generated/b.ts", b"x");
        write("node_modules/kit/index.js", b"x");
        write("ios/App/AppDelegate.js", b"x");
        write("README.md", b"# not read by the compiler");
        write("assets/logo.png", b"\x89PNG\r\n\x1a\n0000");
        let root = project_root(Some(root), &[]).unwrap();
        let set = whole(&root, &[], false).unwrap();
        let names: Vec<&str> = set.files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(names, ["App.tsx", "assets/logo.png", "src/a.ts"]);
        assert!(set.files[1].is_binary(), "images go in base64");
    }
}
