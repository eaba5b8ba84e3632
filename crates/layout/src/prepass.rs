//! Lexical passes that run before `oxc`: the nesting guard, the Flow type stripper ([`flow`])
//! and a comment/trailing-comma remover for JSON config files (tsconfig.json allows both).
//!
//! All rewrites keep byte offsets (removed text becomes spaces, newlines stay) so that
//! source locations in warnings point at the original file.

mod flow;

/// True when the file carries a `@flow` pragma in a leading comment.
pub(crate) fn has_flow_pragma(src: &str) -> bool {
    // Bytes, not a str slice: 2048 may fall inside a multi-byte character.
    let head = &src.as_bytes()[..src.len().min(2048)];
    let has = |needle: &[u8]| memchr::memmem::find(head, needle).is_some();
    has(b"@flow") && (has(b"//") || has(b"/*"))
}

/// Bytes the nesting scanner must look at in code; everything else is skipped in a tight loop.
const SPECIAL_BYTES: [u8; 12] = *b"/'\"`([{)]}<>";

/// [`SPECIAL_BYTES`] as a lookup table.
const SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    let chars = SPECIAL_BYTES;
    let mut i = 0;
    while i < chars.len() {
        t[chars[i] as usize] = true;
        i += 1;
    }
    t
};

/// The first offset from `i` holding a [`SPECIAL`] byte (or the end). Most code bytes are
/// plain, so runs of them are skipped 16 at a time with SSE2 on x86_64.
fn skip_plain(b: &[u8], i: usize) -> usize {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: SSE2 is part of the x86_64 baseline: every x86_64 CPU has it.
    let i = unsafe { skip_plain_sse2(b, i) };
    let mut i = i;
    while i < b.len() && !SPECIAL[b[i] as usize] {
        i += 1;
    }
    i
}

/// [`skip_plain`] over whole 16-byte blocks: stops at the first block holding a special byte
/// (at that byte) or before the last partial block.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
fn skip_plain_sse2(b: &[u8], mut i: usize) -> usize {
    use std::arch::x86_64::*;
    let specials = SPECIAL_BYTES.map(|c| _mm_set1_epi8(c as i8));
    while let Some(block) = b.get(i..i + 16) {
        let lo = i64::from_le_bytes(block[..8].try_into().expect("8 bytes"));
        let hi = i64::from_le_bytes(block[8..].try_into().expect("8 bytes"));
        let v = _mm_set_epi64x(hi, lo);
        let mut hits = _mm_setzero_si128();
        for s in &specials {
            hits = _mm_or_si128(hits, _mm_cmpeq_epi8(v, *s));
        }
        let mask = _mm_movemask_epi8(hits) as u32;
        if mask != 0 {
            return i + mask.trailing_zeros() as usize;
        }
        i += 16;
    }
    i
}

/// Whether a `<` at `i` starts JSX: it follows an operator/opening token or `return`.
fn starts_jsx(b: &[u8], i: usize) -> bool {
    let next = b.get(i + 1).copied().unwrap_or(b' ');
    if !(next.is_ascii_alphabetic() || next == b'>') {
        return false;
    }
    let mut j = i;
    while j > 0 && b[j - 1].is_ascii_whitespace() {
        j -= 1;
    }
    if j == 0 {
        return true;
    }
    let prev = b[j - 1];
    b"(,=:?&|{}[;>".contains(&prev) || (j >= 6 && &b[j - 6..j] == b"return")
}

/// The offset where bracket/JSX nesting first exceeds `max`, if it does.
pub(crate) fn nesting_exceeds(src: &str, max: usize) -> Option<u32> {
    let b = src.as_bytes();
    let mut stack: Vec<u8> = Vec::with_capacity(64);
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let top = stack.last().copied();
        match top {
            Some(b'`') => {
                match c {
                    b'\\' => i += 1,
                    b'`' => {
                        stack.pop();
                    }
                    b'$' if b.get(i + 1) == Some(&b'{') => {
                        stack.push(b'$');
                        i += 1;
                    }
                    _ => {}
                }
                i += 1;
                continue;
            }
            Some(b'c') => {
                // JSX children: text, `{expr}`, child elements, the closing tag.
                match c {
                    b'{' => stack.push(b'{'),
                    b'<' if b.get(i + 1) == Some(&b'/') => {
                        stack.pop();
                        while i < b.len() && b[i] != b'>' {
                            i += 1;
                        }
                    }
                    b'<' if b.get(i + 1) == Some(&b'>') => {
                        stack.push(b'c');
                        i += 1;
                    }
                    b'<' => stack.push(b'<'),
                    _ => {
                        // Plain text: nothing changes until the next `{` or `<`.
                        i += 1;
                        i = memchr::memchr2(b'{', b'<', &b[i..]).map_or(b.len(), |j| i + j);
                        continue;
                    }
                }
                if stack.len() > max {
                    return Some(i as u32);
                }
                i += 1;
                continue;
            }
            _ => {}
        }
        if !SPECIAL[c as usize] {
            i = skip_plain(b, i + 1);
            continue;
        }
        match c {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                i = memchr::memchr(b'\n', &b[i..]).map_or(b.len(), |j| i + j);
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = memchr::memmem::find(&b[i + 2..], b"*/").map_or(b.len(), |j| i + 2 + j + 2);
                continue;
            }
            b'/' if top == Some(b'<') && b.get(i + 1) == Some(&b'>') => {
                stack.pop();
                i += 2;
                continue;
            }
            b'>' if top == Some(b'<') => {
                stack.pop();
                stack.push(b'c');
            }
            b'\'' | b'"' => {
                // To the closing quote (or the end of the line), skipping escapes.
                i += 1;
                loop {
                    match memchr::memchr3(c, b'\n', b'\\', b.get(i..).unwrap_or_default()) {
                        Some(j) if b[i + j] == b'\\' => i += j + 2,
                        Some(j) => {
                            i += j;
                            break;
                        }
                        None => {
                            i = b.len();
                            break;
                        }
                    }
                }
            }
            b'`' => stack.push(b'`'),
            b'(' | b'[' | b'{' => stack.push(c),
            b')' | b']' => {
                if matches!(top, Some(b'(') | Some(b'[')) {
                    stack.pop();
                }
            }
            b'}' => {
                if matches!(top, Some(b'{') | Some(b'$')) {
                    stack.pop();
                }
            }
            b'<' if starts_jsx(b, i) => {
                if b.get(i + 1) == Some(&b'>') {
                    stack.push(b'c');
                    i += 1;
                } else {
                    stack.push(b'<');
                }
            }
            _ => {}
        }
        if stack.len() > max {
            return Some(i as u32);
        }
        i += 1;
    }
    None
}

/// Blanks Flow-only syntax (see [`flow`]) so that the TSX parser accepts Flow files.
pub(crate) fn strip_flow(src: &str) -> String {
    flow::strip(src)
}

/// Removes `//` and `/* */` comments and trailing commas from JSON-with-comments.
pub(crate) fn strip_json_comments(src: &str) -> String {
    let b = src.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'"' {
            let start = i;
            i += 1;
            while i < b.len() && b[i] != b'"' {
                if b[i] == b'\\' {
                    i += 1;
                }
                i += 1;
            }
            i = (i + 1).min(b.len());
            out.extend_from_slice(&b[start..i]);
            continue;
        }
        if c == b'/' && b.get(i + 1) == Some(&b'/') {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        if c == b'/' && b.get(i + 1) == Some(&b'*') {
            i += 2;
            while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                i += 1;
            }
            i += 2;
            continue;
        }
        if c == b',' {
            let next = b[i + 1..]
                .iter()
                .find(|c| !c.is_ascii_whitespace())
                .copied();
            if matches!(next, Some(b'}') | Some(b']')) {
                i += 1;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pragma_detection_does_not_split_multibyte_characters() {
        let src = format!("// comment\n{}ः @flow", "x".repeat(2045));
        assert!(!has_flow_pragma(&src));
        assert!(has_flow_pragma("/* @flow */ const a = 1;"));
    }

    #[test]
    fn nesting_guard_counts_brackets_and_jsx_but_not_text_or_strings() {
        assert_eq!(nesting_exceeds("const a = [[[1]]];", 3), None);
        assert!(nesting_exceeds("const a = [[[[1]]]];", 3).is_some());
        let jsx = "const x = (<A><B>don't ( [ {\"x\"}</B></A>);";
        assert_eq!(nesting_exceeds(jsx, 4), None);
        let deep = format!("const x = ({}{});", "<V>".repeat(50), "</V>".repeat(50));
        assert!(nesting_exceeds(&deep, 40).is_some());
        assert_eq!(nesting_exceeds(&deep, 60), None);
    }

    /// The byte-at-a-time scanner the SIMD-assisted one replaced: both must agree everywhere.
    fn nesting_exceeds_reference(src: &str, max: usize) -> Option<u32> {
        let b = src.as_bytes();
        let mut stack: Vec<u8> = Vec::with_capacity(64);
        let mut i = 0;
        while i < b.len() {
            let c = b[i];
            let top = stack.last().copied();
            match top {
                Some(b'`') => {
                    match c {
                        b'\\' => i += 1,
                        b'`' => {
                            stack.pop();
                        }
                        b'$' if b.get(i + 1) == Some(&b'{') => {
                            stack.push(b'$');
                            i += 1;
                        }
                        _ => {}
                    }
                    i += 1;
                    continue;
                }
                Some(b'c') => {
                    // JSX children: text, `{expr}`, child elements, the closing tag.
                    match c {
                        b'{' => stack.push(b'{'),
                        b'<' if b.get(i + 1) == Some(&b'/') => {
                            stack.pop();
                            while i < b.len() && b[i] != b'>' {
                                i += 1;
                            }
                        }
                        b'<' if b.get(i + 1) == Some(&b'>') => {
                            stack.push(b'c');
                            i += 1;
                        }
                        b'<' => stack.push(b'<'),
                        _ => {
                            // Plain text: nothing changes until the next `{` or `<`.
                            i += 1;
                            while i < b.len() && b[i] != b'{' && b[i] != b'<' {
                                i += 1;
                            }
                            continue;
                        }
                    }
                    if stack.len() > max {
                        return Some(i as u32);
                    }
                    i += 1;
                    continue;
                }
                _ => {}
            }
            if !SPECIAL[c as usize] {
                i += 1;
                while i < b.len() && !SPECIAL[b[i] as usize] {
                    i += 1;
                }
                continue;
            }
            match c {
                b'/' if b.get(i + 1) == Some(&b'/') => {
                    while i < b.len() && b[i] != b'\n' {
                        i += 1;
                    }
                    continue;
                }
                b'/' if b.get(i + 1) == Some(&b'*') => {
                    i += 2;
                    while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                        i += 1;
                    }
                    i += 2;
                    continue;
                }
                b'/' if top == Some(b'<') && b.get(i + 1) == Some(&b'>') => {
                    stack.pop();
                    i += 2;
                    continue;
                }
                b'>' if top == Some(b'<') => {
                    stack.pop();
                    stack.push(b'c');
                }
                b'\'' | b'"' => {
                    i += 1;
                    while i < b.len() && b[i] != c && b[i] != b'\n' {
                        if b[i] == b'\\' {
                            i += 1;
                        }
                        i += 1;
                    }
                }
                b'`' => stack.push(b'`'),
                b'(' | b'[' | b'{' => stack.push(c),
                b')' | b']' => {
                    if matches!(top, Some(b'(') | Some(b'[')) {
                        stack.pop();
                    }
                }
                b'}' => {
                    if matches!(top, Some(b'{') | Some(b'$')) {
                        stack.pop();
                    }
                }
                b'<' if starts_jsx(b, i) => {
                    if b.get(i + 1) == Some(&b'>') {
                        stack.push(b'c');
                        i += 1;
                    } else {
                        stack.push(b'<');
                    }
                }
                _ => {}
            }
            if stack.len() > max {
                return Some(i as u32);
            }
            i += 1;
        }
        None
    }

    #[test]
    fn nesting_guard_agrees_with_the_byte_at_a_time_scanner() {
        let mut inputs: Vec<String> = [
            include_str!("../benches/inputs/small.tsx"),
            include_str!("../benches/inputs/medium.tsx"),
            include_str!("../benches/inputs/large.tsx"),
            "const s = 'unterminated\nconst t = \"esc \\\" ( [\";",
            "const s = 'ends with a backslash \\",
            "/* unterminated ( [ { comment",
            "// line comment ( [ {",
            "const a = `tpl ${ f(`inner ${ [1] }`) } \\` (`;",
            "const x = <A>text { '(' } <B/> more ( text</A>;",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // Every prefix of a real screen: cuts inside strings, comments, templates and JSX.
        let medium = include_str!("../benches/inputs/medium.tsx");
        inputs.extend(
            (0..medium.len())
                .step_by(7)
                .filter(|&i| medium.is_char_boundary(i))
                .map(|i| medium[..i].to_string()),
        );
        for src in &inputs {
            for max in [2, 5, 9, 40, 128] {
                assert_eq!(
                    nesting_exceeds(src, max),
                    nesting_exceeds_reference(src, max),
                    "max {max} on {src:?}"
                );
            }
        }
    }

    #[test]
    fn json_comments_and_trailing_commas_are_removed() {
        let s = strip_json_comments("{ // c\n \"a\": \"//x\", /* y */ \"b\": [1,2,],\n}");
        let v: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(v["a"], "//x");
    }
}
