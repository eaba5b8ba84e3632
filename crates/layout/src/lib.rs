//! # hivesync-layout: React Native source -> Layout JSON
//!
//! A pure library (no I/O, no async, no threads) that turns the screens of a React Native project
//! into versioned Layout JSON documents (`hivesync.layout/1`). It parses JS/JSX/TS/TSX (and
//! Flow, after a best-effort type-stripping pass) with `oxc`, resolves modules across the given
//! files, expands project components into core nodes, evaluates styles with a small constant
//! evaluator, evaluates the packages the request carries under `node_modules/` from their own
//! (published, often compiled CommonJS) code, renders the components of popular packages whose
//! code is not sent from a declarative library table
//! (`library/components.toml`), renders other third-party components with children as
//! pass-through containers (their children native) and replaces only the childless ones it
//! cannot expand with `HS_ImageSnapshot` nodes that ask for a snapshot asset. It does not compute frames (the frames crate does) and does not render pixels.
//!
//! ```
//! use hivesync_layout::{compile, CompileRequest, SourceFile, Target, TargetPlatform, DeviceKind};
//! let req = CompileRequest::new(
//!     vec![SourceFile::new("App.tsx", "import {View, Text} from 'react-native';\n\
//!         export default function App() { return <View style={{padding: 8}}><Text>Hi</Text></View>; }")],
//!     Target::new(TargetPlatform::Ios, DeviceKind::Iphone),
//! );
//! let out = compile(&req).unwrap();
//! assert_eq!(out.screens[0].id, "app");
//! let json = serde_json::to_value(&out.screens[0].document).unwrap();
//! assert_eq!(json["schema"], "hivesync.layout/1");
//! ```
//!
//! Public API: [`compile`], [`CompileRequest`], [`CompileOutput`], [`ScreenOutput`],
//! [`ScreenFailure`], [`PendingSnapshot`], [`CompileError`], [`Limits`], [`Cancel`], [`Target`],
//! the [`device`] profiles, the [`document`] types, [`LAYOUT_SCHEMA`], and
//! [`imported_packages`] (which `node_modules/` packages a client should send).
//!
//! How it works, in one pass per request: every file is parsed once into one arena
//! (`project`, with the nesting guard and the Flow stripper of `prepass` in front of oxc;
//! package files under `node_modules/` only when first imported); screens
//! are discovered (`screens`: React Navigation `<X.Screen>` and `create*Navigator` configs,
//! expo-router `app/` routes, an `App` root, or the names requested); each screen is then
//! rendered by a small evaluator (`interp`) that runs module top levels, component functions
//! and class `render`s far enough to know the element tree, with imports resolved Metro-style
//! (`resolve`), styles normalized into React Native/Yoga vocabulary (`style`, `tailwind`), and
//! third-party components looked up in the library table (`interp::library`).
//! The Layout JSON format and its style vocabulary are documented in `docs/layout-json.md`.
//!
//! Every guess becomes a [`document::Warning`] with a source location; unknown values are left
//! out, never invented. Limits ([`Limits`]) bound time, input size, nesting, expansion depth,
//! node count and the output tree's depth, so adversarial input ends with an error or a failed
//! screen, not a hang or a stack overflow here or in the passes that walk the output.

/// The Layout JSON types (`hivesync-document`), written by [`compile`].
pub use hivesync_document as document;
/// The built-in device profiles (`hivesync_document::device`).
pub use hivesync_document::device;

mod fnv;
mod fonts;
mod images;
mod interp;
mod prepass;
mod project;
mod resolve;
mod screens;
mod style;
mod tailwind;

use std::time::Duration;

use serde::{Deserialize, Serialize};

pub use device::{DeviceKind, DeviceProfile, TargetPlatform};
pub use document::{LayoutDocument, Node, Picture, Size, Warning};
pub use hivesync_cancel::Cancel;
pub use resolve::imported_packages;

/// The JSON Schema (draft 2020-12) of a Layout JSON document.
pub const LAYOUT_SCHEMA: &str = include_str!("../schema/layout.schema.json");

/// One project file: a project-relative path (`/` separated) and its text (the system's one
/// file type, `hivesync_core::wire::TextFile`).
pub use hivesync_core::wire::TextFile as SourceFile;

/// What to compile for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    /// `Platform.OS`.
    pub platform: TargetPlatform,
    /// Device profile (see [`device::profile`]).
    pub device: DeviceKind,
}

impl Target {
    /// A target from a platform and a device kind.
    pub fn new(platform: TargetPlatform, device: DeviceKind) -> Self {
        Target { platform, device }
    }
}

/// Resource limits of one request. Exceeding a request-wide limit is a [`CompileError`];
/// exceeding a per-screen limit fails only that screen. Package files (`node_modules/...`)
/// count toward the file and byte limits like any other file, though only the ones a screen
/// imports are parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Wall-clock budget for the whole request, checked cooperatively (default 15 s).
    pub time_budget: Duration,
    /// Most files in a request (default 5,000).
    pub max_files: usize,
    /// Most bytes in one file (default 1 MiB).
    pub max_file_bytes: usize,
    /// Most bytes in all files together (default 20 MiB).
    pub max_total_bytes: usize,
    /// Deepest bracket/JSX nesting accepted in a file (default 128).
    pub max_nesting_depth: usize,
    /// Deepest component expansion / function call chain per screen (default 64).
    pub max_expansion_depth: usize,
    /// Most nodes in one screen (default 10,000).
    pub max_nodes: usize,
    /// Deepest node of a screen's output tree, its root (the window) being level 1 (default
    /// 128). Source nesting is bounded per file, but screens built from many shallow lines
    /// (`const v2 = <View>{v1}</View>`) can nest without end; the frames, render and JSON passes
    /// after the compiler recurse once per level. The fixtures and the bench inputs reach 7.
    pub max_output_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            time_budget: Duration::from_secs(15),
            max_files: 5_000,
            max_file_bytes: 1 << 20,
            max_total_bytes: 20 << 20,
            max_nesting_depth: 128,
            max_expansion_depth: 64,
            max_nodes: 10_000,
            max_output_depth: 128,
        }
    }
}

/// A compile request.
#[derive(Debug, Clone)]
pub struct CompileRequest {
    /// The project files (a whole project, or changed files plus what they import).
    pub files: Vec<SourceFile>,
    /// Platform and device.
    pub target: Target,
    /// Screens to compile, by screen name, screen id, component name or file path;
    /// `None` compiles every screen found.
    pub screens: Option<Vec<String>>,
    /// Resource limits.
    pub limits: Limits,
    /// Stops the compile when cancelled or past its deadline (checked with the time budget):
    /// [`CompileError::Cancelled`].
    pub cancel: Cancel,
}

impl CompileRequest {
    /// A request for all screens with default limits.
    pub fn new(files: Vec<SourceFile>, target: Target) -> Self {
        CompileRequest {
            files,
            target,
            screens: None,
            limits: Limits::default(),
            cancel: Cancel::new(),
        }
    }
}

/// A snapshot the renderer must produce for an `HS_ImageSnapshot` node.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PendingSnapshot {
    /// Asset id (also in the document's asset table).
    pub asset_id: String,
    /// The `HS_ImageSnapshot` node.
    pub node_id: String,
    /// The component it stands for.
    pub component: String,
    /// Why it was not expanded.
    pub reason: String,
    /// Size in points when known.
    pub size: Option<Size>,
    /// What it shows, when known statically (see `SnapshotInfo::picture`).
    pub picture: Option<Picture>,
}

/// One compiled screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScreenOutput {
    /// Stable screen id (`^[a-z0-9][a-z0-9_-]{0,63}$`).
    pub id: String,
    /// Screen name (navigator name, route or component).
    pub name: String,
    /// The Layout JSON document.
    pub document: LayoutDocument,
    /// Snapshot assets to render.
    pub snapshots: Vec<PendingSnapshot>,
    /// Warnings of this screen (same list as `document.warnings`).
    pub warnings: Vec<Warning>,
}

/// A screen that could not be compiled; other screens are unaffected.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScreenFailure {
    /// Screen id.
    pub id: String,
    /// Screen name.
    pub name: String,
    /// Entry file.
    pub file: String,
    /// One clear sentence, with line/column when it is a parse error.
    pub message: String,
}

/// The result of a request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompileOutput {
    /// Compiled screens, in discovery order.
    pub screens: Vec<ScreenOutput>,
    /// Screens that failed.
    pub failures: Vec<ScreenFailure>,
    /// Warnings not tied to one screen (files that failed to parse, unresolved config, ...).
    pub warnings: Vec<Warning>,
}

/// A whole-request failure.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CompileError {
    /// More files than [`Limits::max_files`].
    #[error("too many files: {count} (limit {limit})")]
    TooManyFiles {
        /// Files given.
        count: usize,
        /// The limit.
        limit: usize,
    },
    /// A file larger than [`Limits::max_file_bytes`].
    #[error("file {path} is {bytes} bytes (limit {limit})")]
    FileTooLarge {
        /// The file.
        path: String,
        /// Its size.
        bytes: usize,
        /// The limit.
        limit: usize,
    },
    /// All files together exceed [`Limits::max_total_bytes`].
    #[error("the files total {bytes} bytes (limit {limit})")]
    TooManyBytes {
        /// Total size.
        bytes: usize,
        /// The limit.
        limit: usize,
    },
    /// No screen was found (or none matched the requested names).
    #[error("no screens found: {0}")]
    NoScreens(String),
    /// The time budget ran out.
    #[error("compile time budget of {0:?} exceeded")]
    BudgetExceeded(Duration),
    /// [`CompileRequest::cancel`] was cancelled or its deadline passed.
    #[error("compile cancelled")]
    Cancelled,
}

/// Compiles the screens of a project into Layout JSON documents.
pub fn compile(req: &CompileRequest) -> Result<CompileOutput, CompileError> {
    let limits = &req.limits;
    if req.files.len() > limits.max_files {
        return Err(CompileError::TooManyFiles {
            count: req.files.len(),
            limit: limits.max_files,
        });
    }
    let mut total = 0usize;
    // Binary files (images, fonts) are bounded by the backend's asset limits, not as source.
    for f in req.files.iter().filter(|f| !f.is_binary()) {
        if f.content.len() > limits.max_file_bytes {
            return Err(CompileError::FileTooLarge {
                path: f.path.clone(),
                bytes: f.content.len(),
                limit: limits.max_file_bytes,
            });
        }
        total += f.content.len();
    }
    if total > limits.max_total_bytes {
        return Err(CompileError::TooManyBytes {
            bytes: total,
            limit: limits.max_total_bytes,
        });
    }
    // One arena chunk sized to the sources parsed up front (package files are parsed when
    // imported) instead of growing chunk by chunk while parsing.
    let eager: usize = req
        .files
        .iter()
        .filter(|f| !project::is_package_path(&project::normalize_path(&f.path)))
        .map(|f| f.content.len())
        .sum();
    let allocator = oxc::allocator::Allocator::with_capacity((eager * 8).clamp(64 << 10, 64 << 20));
    let mut project =
        project::Project::parse(&allocator, &req.files, req.target, limits, &req.cancel);
    project.aliases = project::Aliases::from_project(&project.files, &mut project.load_warnings);
    project.tw_colors = tailwind::config_colors(&project.files);
    screens::compile_project(&project, req)
}
