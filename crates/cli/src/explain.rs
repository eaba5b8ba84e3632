//! `hivesync preview --explain`: why a preview differs from the app. Groups the warnings of
//! every compiled screen by kind (`unknown-condition`, `unknown-child`, ...) and, within a
//! kind, by cause (the reason the compiler gives for the unknown value: an expression, a
//! package API, a loop), largest first, with counts, how many screens meet each cause and an
//! example location.

use std::collections::BTreeMap;
use std::fmt::Write;

use hivesync_layout::document::Warning;

/// How many causes are listed per warning kind.
const CAUSES_PER_KIND: usize = 8;

#[derive(Default)]
struct Cause {
    count: usize,
    screens: Vec<String>,
    example: Option<String>,
}

/// The cause a warning names: the first parenthesized reason of its message (`condition could
/// not be evaluated (REASON); ...`), innermost unknown first, else the message itself.
pub fn cause_of(message: &str) -> String {
    let Some(open) = message.find('(') else {
        return message.to_string();
    };
    let mut depth = 0usize;
    for (i, c) in message[open..].char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    let inner = &message[open + 1..open + i];
                    // `list item of unknown data (X)`: the cause is X.
                    return match inner.find('(') {
                        Some(_) if inner.ends_with(')') => cause_of(inner),
                        _ => inner.to_string(),
                    };
                }
            }
            _ => {}
        }
    }
    message.to_string()
}

/// The report for the warnings of each screen (screen id, its warnings).
pub fn report<'w>(screens: impl IntoIterator<Item = (&'w str, &'w [Warning])>) -> String {
    let mut kinds: BTreeMap<String, BTreeMap<String, Cause>> = BTreeMap::new();
    let mut total = 0usize;
    let mut screen_count = 0usize;
    for (screen, warnings) in screens {
        screen_count += 1;
        for w in warnings {
            total += 1;
            let cause = kinds
                .entry(w.code.clone())
                .or_default()
                .entry(cause_of(&w.message))
                .or_default();
            cause.count += 1;
            if !cause.screens.iter().any(|s| s == screen) {
                cause.screens.push(screen.to_string());
            }
            if cause.example.is_none() {
                cause.example = w
                    .location
                    .as_ref()
                    .map(|l| format!("{}:{}:{}", l.file, l.line, l.column));
            }
        }
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Why the preview differs: {total} warnings over {screen_count} screens, by kind and cause"
    );
    let mut by_size: Vec<(String, BTreeMap<String, Cause>)> = kinds.into_iter().collect();
    by_size.sort_by_key(|(k, causes)| {
        (
            std::cmp::Reverse(causes.values().map(|c| c.count).sum::<usize>()),
            k.clone(),
        )
    });
    for (kind, causes) in by_size {
        let n: usize = causes.values().map(|c| c.count).sum();
        let _ = writeln!(out, "\n{kind}: {n}");
        let mut causes: Vec<(String, Cause)> = causes.into_iter().collect();
        causes.sort_by(|a, b| b.1.count.cmp(&a.1.count).then_with(|| a.0.cmp(&b.0)));
        for (cause, c) in causes.iter().take(CAUSES_PER_KIND) {
            let _ = write!(out, "  {:>4}  {cause}", c.count);
            let _ = write!(
                out,
                "  [{} screen{}",
                c.screens.len(),
                if c.screens.len() == 1 { "" } else { "s" }
            );
            if let Some(e) = &c.example {
                let _ = write!(out, "; e.g. {e}");
            }
            let _ = writeln!(out, "]");
        }
        if causes.len() > CAUSES_PER_KIND {
            let rest: usize = causes[CAUSES_PER_KIND..].iter().map(|(_, c)| c.count).sum();
            let _ = writeln!(
                out,
                "  {rest:>4}  ({} other causes)",
                causes.len() - CAUSES_PER_KIND
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(code: &str, message: &str) -> Warning {
        Warning {
            code: code.into(),
            message: message.into(),
            location: None,
        }
    }

    #[test]
    fn causes_are_the_innermost_reason_and_kinds_are_sorted_by_size() {
        assert_eq!(
            cause_of(
                "condition could not be evaluated (`useQuery()` from `x` is not evaluated); the first branch is shown"
            ),
            "`useQuery()` from `x` is not evaluated"
        );
        assert_eq!(
            cause_of(
                "the text could not be evaluated (list item of unknown data (route params are only known at run time)); a skeleton"
            ),
            "route params are only known at run time"
        );
        let a = [
            w(
                "unknown-condition",
                "condition could not be evaluated (a); the first branch is shown",
            ),
            w(
                "unknown-condition",
                "condition could not be evaluated (a); the first branch is shown",
            ),
            w("unknown-child", "child left out (b)"),
        ];
        let b = [w(
            "unknown-condition",
            "condition could not be evaluated (c); x",
        )];
        let r = report([("home", &a[..]), ("cart", &b[..])]);
        assert!(
            r.starts_with("Why the preview differs: 4 warnings over 2 screens"),
            "{r}"
        );
        let cond = r.find("unknown-condition: 3").unwrap();
        let child = r.find("unknown-child: 1").unwrap();
        assert!(cond < child, "{r}");
        assert!(r.contains("     2  a  [1 screen]"), "{r}");
    }
}
