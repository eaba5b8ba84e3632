//! Doc comments written into the file by us, never by the model: each goes on its own lines
//! directly above its symbol's first line (its first decorator or `export` keyword), with that
//! line's indentation and the file's line ending. The patched file is parsed again and compared
//! with the original with every comment removed: anything but comments changed is an error.
//! The suggestion is the unified diff of the two (`similar`), which `git apply` takes.

use oxc::allocator::Allocator;

use crate::DocsError;
use crate::analysis::{Analysis, Symbol, parse};

/// The text of one doc comment, before it is laid out.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CommentText {
    /// Description paragraphs.
    pub description: String,
    /// `(name, description)` per parameter.
    pub params: Vec<(String, String)>,
    /// `@returns` text.
    pub returns: String,
    /// `@throws` text.
    pub throws: String,
    /// `@example` code.
    pub example: String,
}

/// A comment inserted into the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inserted {
    /// The symbol.
    pub symbol_id: String,
    /// The original line it was inserted above (1-based).
    pub above_line: u32,
    /// The comment lines, without indentation or line endings.
    pub body: String,
}

/// The patched file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Patched {
    /// The whole new text.
    pub text: String,
    /// What went where, in source order.
    pub inserted: Vec<Inserted>,
    /// Symbols that could not get a comment, with why.
    pub skipped: Vec<(String, String)>,
}

/// Cleans prose for a block comment: no `*/`, no carriage returns, no trailing spaces.
fn clean(text: &str) -> String {
    text.replace("*/", "*\\/")
        .replace('\r', "")
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_owned()
}

/// The lines of the comment (`/**` ... ` */`) without indentation.
pub fn comment_lines(c: &CommentText) -> Vec<String> {
    let mut body: Vec<String> = Vec::new();
    let description = clean(&c.description);
    body.extend(description.lines().map(str::to_owned));
    let mut tags: Vec<String> = Vec::new();
    for (name, text) in &c.params {
        let text = clean(text);
        let mut lines = text.lines();
        let first = lines.next().unwrap_or("");
        let sep = if first.is_empty() { "" } else { " " };
        tags.push(format!("@param {name}{sep}{first}"));
        tags.extend(lines.map(|l| format!("  {l}")));
    }
    for (tag, text) in [("@returns", &c.returns), ("@throws", &c.throws)] {
        let text = clean(text);
        if text.is_empty() {
            continue;
        }
        let mut lines = text.lines();
        tags.push(format!("{tag} {}", lines.next().unwrap_or("")));
        tags.extend(lines.map(|l| format!("  {l}")));
    }
    let example = clean(&c.example);
    if !example.is_empty() {
        tags.push("@example".to_owned());
        tags.extend(example.lines().map(str::to_owned));
    }
    if !body.is_empty() && !tags.is_empty() {
        body.push(String::new());
    }
    body.extend(tags);
    let mut out = vec!["/**".to_owned()];
    out.extend(body.into_iter().map(|l| {
        if l.is_empty() {
            " *".to_owned()
        } else {
            format!(" * {l}")
        }
    }));
    out.push(" */".to_owned());
    out
}

/// Inserts a comment above each symbol of `comments` (`(symbol id, text)`), skipping symbols
/// that already have a doc comment or share their first line with other code.
pub fn insert_comments(
    source: &str,
    analysis: &Analysis,
    comments: &[(String, CommentText)],
) -> Patched {
    let eol = analysis.line_ending.as_str();
    let mut planned: Vec<(&Symbol, Vec<String>)> = Vec::new();
    let mut skipped = Vec::new();
    for (id, text) in comments {
        let Some(sym) = analysis.symbol(id) else {
            continue;
        };
        if sym.existing_doc.is_some() {
            skipped.push((id.clone(), "already has a doc comment".to_owned()));
            continue;
        }
        if !sym.own_line {
            skipped.push((
                id.clone(),
                "shares its line with other code; no comment inserted".to_owned(),
            ));
            continue;
        }
        if planned.iter().any(|(s, _)| s.anchor == sym.anchor) {
            skipped.push((id.clone(), "shares its line with another symbol".to_owned()));
            continue;
        }
        planned.push((sym, comment_lines(text)));
    }
    planned.sort_by_key(|(s, _)| s.anchor);
    let mut text = String::with_capacity(source.len() + planned.len() * 200);
    let mut at = 0usize;
    let mut inserted = Vec::new();
    for (sym, lines) in planned {
        let anchor = sym.anchor as usize;
        text.push_str(&source[at..anchor]);
        // A file whose last line has no line ending: the anchor is never past it, fine.
        for l in &lines {
            text.push_str(&sym.indent);
            text.push_str(l);
            text.push_str(eol);
        }
        at = anchor;
        inserted.push(Inserted {
            symbol_id: sym.id.clone(),
            above_line: sym.start_line,
            body: lines.join("\n"),
        });
    }
    text.push_str(&source[at..]);
    Patched {
        text,
        inserted,
        skipped,
    }
}

/// The text without any comment: what must stay identical.
fn code_only(path: &str, text: &str) -> Result<Vec<String>, DocsError> {
    let alloc = Allocator::default();
    let program = parse(&alloc, path, text)?;
    let mut out = String::with_capacity(text.len());
    let mut at = 0usize;
    for c in program.comments.iter() {
        out.push_str(&text[at..c.span.start as usize]);
        at = c.span.end as usize;
    }
    out.push_str(&text[at..]);
    // Inserted comments add lines that become blank without them: compare non-blank lines.
    Ok(out
        .split('\n')
        .map(|l| l.trim_end_matches('\r').trim_end().to_owned())
        .filter(|l| !l.trim().is_empty())
        .collect())
}

/// Parses `patched` and checks that, comments aside, it is `original` unchanged, and that it
/// has exactly `added` more comments.
pub fn check_only_comments(
    path: &str,
    original: &str,
    patched: &str,
    added: usize,
) -> Result<(), DocsError> {
    let before = code_only(path, original)?;
    let after = code_only(path, patched)
        .map_err(|e| DocsError::CodeChanged(format!("the patched file does not parse: {e}")))?;
    if before != after {
        let at = before
            .iter()
            .zip(&after)
            .position(|(a, b)| a != b)
            .unwrap_or(before.len().min(after.len()));
        return Err(DocsError::CodeChanged(format!(
            "code differs at code line {}",
            at + 1
        )));
    }
    let count = |t: &str| -> Result<usize, DocsError> {
        let alloc = Allocator::default();
        Ok(parse(&alloc, path, t)?.comments.len())
    };
    let (a, b) = (count(original)?, count(patched)?);
    if b != a + added {
        return Err(DocsError::CodeChanged(format!(
            "expected {added} new comments, found {}",
            b.saturating_sub(a)
        )));
    }
    Ok(())
}

/// The unified diff from `original` to `patched` for `path` (`a/` and `b/` prefixes, three
/// lines of context), empty when they are equal.
pub fn unified_diff(path: &str, original: &str, patched: &str) -> String {
    if original == patched {
        return String::new();
    }
    let diff = similar::TextDiff::from_lines(original, patched);
    let mut out = format!("diff --git a/{path} b/{path}\n");
    out.push_str(
        &diff
            .unified_diff()
            .context_radius(3)
            .header(&format!("a/{path}"), &format!("b/{path}"))
            .to_string(),
    );
    out
}
