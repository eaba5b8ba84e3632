//! JavaScript regular expressions on `fancy-regex`: the translation of a JS pattern and its
//! flags into the crate's syntax (ASCII `\d` / `\w` as in JS, literal braces, `[^]`, classes
//! with a literal `[`), and the matching that `test`, `exec`, `match`, `matchAll`, `replace`,
//! `split` and `search` share. A pattern the translation cannot carry over (the `v` flag,
//! class set syntax it does not know) is not compiled: its value is unknown, with a warning.

use fancy_regex::Regex;

/// JS flags the evaluator keeps on a regex value.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Flags {
    pub global: bool,
    pub ignore_case: bool,
    pub multiline: bool,
    pub dot_all: bool,
    pub sticky: bool,
    pub unicode: bool,
}

impl Flags {
    /// The flags of `gimsuyd`; `None` for `v` or anything else.
    pub(crate) fn parse(flags: &str) -> Option<Flags> {
        let mut f = Flags::default();
        for c in flags.chars() {
            match c {
                'g' => f.global = true,
                'i' => f.ignore_case = true,
                'm' => f.multiline = true,
                's' => f.dot_all = true,
                'y' => f.sticky = true,
                'u' => f.unicode = true,
                'd' => {}
                _ => return None,
            }
        }
        Some(f)
    }
}

/// The `fancy-regex` pattern of a JS pattern, or why there is none.
pub(crate) fn translate(pattern: &str, flags: Flags) -> Result<String, String> {
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut inline = String::new();
    if flags.ignore_case {
        inline.push('i');
    }
    if flags.multiline {
        inline.push('m');
    }
    if flags.dot_all {
        inline.push('s');
    }
    if !inline.is_empty() {
        out.push_str(&format!("(?{inline})"));
    }
    let chars: Vec<char> = pattern.chars().collect();
    let mut i = 0;
    let mut in_class = false;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' => {
                let Some(&n) = chars.get(i + 1) else {
                    return Err("a pattern ending in `\\`".into());
                };
                i += 2;
                match (n, in_class) {
                    ('d', false) => out.push_str("[0-9]"),
                    ('d', true) => out.push_str("0-9"),
                    ('D', false) => out.push_str("[^0-9]"),
                    ('w', false) => out.push_str("[A-Za-z0-9_]"),
                    ('w', true) => out.push_str("A-Za-z0-9_"),
                    ('W', false) => out.push_str("[^A-Za-z0-9_]"),
                    ('D' | 'W', true) => {
                        return Err(format!("`\\{n}` inside a character class"));
                    }
                    ('/', _) => out.push('/'),
                    ('0', _) if !chars.get(i).is_some_and(|c| c.is_ascii_digit()) => {
                        out.push_str("\\x00")
                    }
                    ('c', _) => match chars.get(i) {
                        Some(l) if l.is_ascii_alphabetic() => {
                            out.push_str(&format!("\\x{:02X}", (*l as u32) % 32));
                            i += 1;
                        }
                        _ => out.push_str("\\\\c"),
                    },
                    ('u', _) if chars.get(i) == Some(&'{') => {
                        out.push_str("\\u{");
                        i += 1;
                    }
                    ('u', _) => {
                        let hex: String = chars[i..].iter().take(4).collect();
                        if hex.len() == 4 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
                            out.push_str(&format!("\\x{{{hex}}}"));
                            i += 4;
                        } else {
                            out.push('u');
                        }
                    }
                    ('x', _) => {
                        let hex: String = chars[i..].iter().take(2).collect();
                        if hex.len() == 2 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
                            out.push_str(&format!("\\x{hex}"));
                            i += 2;
                        } else {
                            out.push('x');
                        }
                    }
                    // Identity escapes of letters JS allows but regex syntax does not know
                    // stay letters; the escapes both know pass through.
                    (
                        n @ ('s' | 'S' | 'b' | 'B' | 'n' | 'r' | 't' | 'f' | 'v' | 'p' | 'P' | 'k'),
                        _,
                    ) => {
                        if n == 'b' && in_class {
                            out.push_str("\\x08");
                        } else if n == 'v' {
                            out.push_str("\\x0B");
                        } else {
                            out.push('\\');
                            out.push(n);
                        }
                    }
                    (n, _) if n.is_ascii_digit() => {
                        out.push('\\');
                        out.push(n);
                    }
                    (n, _) if n.is_ascii_alphanumeric() => out.push(n),
                    (n, _) => {
                        out.push('\\');
                        out.push(n);
                    }
                }
                continue;
            }
            '[' if !in_class => {
                if chars.get(i + 1) == Some(&'^') && chars.get(i + 2) == Some(&']') {
                    out.push_str("[\\s\\S]");
                    i += 3;
                    continue;
                }
                if chars.get(i + 1) == Some(&']') {
                    // `[]` matches nothing.
                    out.push_str("[^\\s\\S]");
                    i += 2;
                    continue;
                }
                in_class = true;
                out.push('[');
                if chars.get(i + 1) == Some(&'^') {
                    out.push('^');
                    i += 1;
                }
                // A `]` first in a class is a literal in regex syntax, a class end in JS
                // (handled above); nothing else to do.
            }
            '[' => out.push_str("\\["),
            ']' if in_class => {
                in_class = false;
                out.push(']');
            }
            ']' => out.push_str("\\]"),
            '&' | '~' if in_class => {
                out.push('\\');
                out.push(c);
            }
            '-' if in_class && chars.get(i + 1) == Some(&'-') => {
                return Err("`--` inside a character class".into());
            }
            '{' if !in_class => {
                // A quantifier `{n}`, `{n,}`, `{n,m}`; any other brace is a literal in JS.
                let rest: String = chars[i + 1..].iter().take_while(|c| **c != '}').collect();
                let closed = chars.len() > i + 1 + rest.len();
                let quantifier = closed && {
                    let (a, b) = rest.split_once(',').unwrap_or((&rest, ""));
                    !a.is_empty()
                        && a.chars().all(|c| c.is_ascii_digit())
                        && b.chars().all(|c| c.is_ascii_digit())
                };
                if quantifier {
                    out.push('{');
                    out.push_str(&rest);
                    out.push('}');
                    i += rest.chars().count() + 2;
                    continue;
                }
                out.push_str("\\{");
            }
            '}' if !in_class => out.push_str("\\}"),
            c => out.push(c),
        }
        i += 1;
    }
    if in_class {
        return Err("an unterminated character class".into());
    }
    Ok(out)
}

/// Compiles a JS pattern (translated) with a bound on the compiled program's size.
pub(crate) fn compile(pattern: &str, flags: Flags) -> Result<Regex, String> {
    let translated = translate(pattern, flags)?;
    fancy_regex::RegexBuilder::new(&translated)
        .backtrack_limit(100_000)
        .delegate_size_limit(1 << 20)
        .build()
        .map_err(|e| format!("{e}"))
}

/// One match: its groups' byte ranges in the subject (`None`: a group that did not take part),
/// group 0 first.
pub(crate) type Groups = Vec<Option<(usize, usize)>>;

/// The first match at or after byte `from` (a sticky regex: only at `from`).
pub(crate) fn match_at(
    re: &Regex,
    s: &str,
    from: usize,
    sticky: bool,
) -> Result<Option<Groups>, String> {
    if from > s.len() {
        return Ok(None);
    }
    let caps = re.captures_from_pos(s, from).map_err(|e| format!("{e}"))?;
    Ok(caps.and_then(|c| {
        let whole = c.get(0)?;
        if sticky && whole.start() != from {
            return None;
        }
        Some(
            (0..c.len())
                .map(|i| c.get(i).map(|m| (m.start(), m.end())))
                .collect(),
        )
    }))
}

/// Every match, left to right (an empty match advances by one character).
pub(crate) fn all_matches(re: &Regex, s: &str, limit: usize) -> Result<Vec<Groups>, String> {
    let mut out = Vec::new();
    let mut from = 0;
    while from <= s.len() && out.len() < limit {
        let Some(g) = match_at(re, s, from, false)? else {
            break;
        };
        let (start, end) = g[0].expect("group 0");
        from = if end == start {
            end + s[end..].chars().next().map_or(1, char::len_utf8)
        } else {
            end
        };
        out.push(g);
    }
    Ok(out)
}

/// A replacement string with `$&`, `$1`..`$99`, `$<name>`, `` $` ``, `$'` and `$$` filled in.
pub(crate) fn expand(replacement: &str, s: &str, g: &Groups, names: &[(String, usize)]) -> String {
    let group = |i: usize| g.get(i).copied().flatten().map_or("", |(a, b)| &s[a..b]);
    let (start, end) = g[0].expect("group 0");
    let mut out = String::new();
    let r: Vec<char> = replacement.chars().collect();
    let mut i = 0;
    while i < r.len() {
        if r[i] != '$' || i + 1 == r.len() {
            out.push(r[i]);
            i += 1;
            continue;
        }
        match r[i + 1] {
            '$' => {
                out.push('$');
                i += 2;
            }
            '&' => {
                out.push_str(group(0));
                i += 2;
            }
            '`' => {
                out.push_str(&s[..start]);
                i += 2;
            }
            '\'' => {
                out.push_str(&s[end..]);
                i += 2;
            }
            '<' => match r[i + 2..].iter().position(|c| *c == '>') {
                Some(len) => {
                    let name: String = r[i + 2..i + 2 + len].iter().collect();
                    if let Some((_, ix)) = names.iter().find(|(n, _)| *n == name) {
                        out.push_str(group(*ix));
                    }
                    i += len + 3;
                }
                None => {
                    out.push('$');
                    i += 1;
                }
            },
            d if d.is_ascii_digit() => {
                let two = r
                    .get(i + 2)
                    .filter(|c| c.is_ascii_digit())
                    .map(|c2| (d as usize - '0' as usize) * 10 + (*c2 as usize - '0' as usize));
                let one = d as usize - '0' as usize;
                match two {
                    Some(n) if n > 0 && n < g.len() => {
                        out.push_str(group(n));
                        i += 3;
                    }
                    _ if one > 0 && one < g.len() => {
                        out.push_str(group(one));
                        i += 2;
                    }
                    _ => {
                        out.push('$');
                        i += 1;
                    }
                }
            }
            _ => {
                out.push('$');
                i += 1;
            }
        }
    }
    out
}

/// The character index (as JS counts, for text in the Basic Multilingual Plane) of byte `b`.
pub(crate) fn char_index(s: &str, b: usize) -> usize {
    s[..b].chars().count()
}

/// The byte offset of character index `i` (clamped to the end).
pub(crate) fn byte_index(s: &str, i: usize) -> usize {
    s.char_indices().nth(i).map_or(s.len(), |(b, _)| b)
}

/// The names of a regex's named groups, with their indexes.
pub(crate) fn group_names(re: &Regex) -> Vec<(String, usize)> {
    re.capture_names()
        .enumerate()
        .filter_map(|(i, n)| n.map(|n| (n.to_string(), i)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn re(p: &str, f: &str) -> Regex {
        compile(p, Flags::parse(f).unwrap()).unwrap()
    }

    #[test]
    fn js_patterns_translate() {
        assert!(re(r"^\d{3}-\d{4}$", "").is_match("555-1234").unwrap());
        assert!(!re(r"^\d+$", "").is_match("١٢").unwrap());
        assert!(
            re(r"^[\w.+-]+@[\w-]+\.[\w.]+$", "i")
                .is_match("A.b+c@x-y.co.uk")
                .unwrap()
        );
        assert!(re(r"a{", "").is_match("a{").unwrap());
        assert!(re(r"[^]", "").is_match("\n").unwrap());
        assert!(re(r"\/path\/", "").is_match("/path/").unwrap());
        assert!(re(r"(?<=\$)\d+", "").is_match("$12").unwrap());
        assert!(re(r"(\w)\1", "").is_match("aa").unwrap());
        assert!(re(r"^hello$", "m").is_match("x\nhello\ny").unwrap());
        assert!(compile("[a--b]", Flags::default()).is_err());
        assert!(Flags::parse("v").is_none());
    }

    #[test]
    fn replacement_patterns_expand() {
        let r = re(r"(?<first>\w+) (\w+)", "");
        let s = "John Smith";
        let g = match_at(&r, s, 0, false).unwrap().unwrap();
        let names = group_names(&r);
        assert_eq!(expand("$2, $1", s, &g, &names), "Smith, John");
        assert_eq!(expand("$<first>!$$", s, &g, &names), "John!$");
        assert_eq!(expand("[$&]", s, &g, &names), "[John Smith]");
    }
}
