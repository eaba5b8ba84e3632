//! The Flow type stripper: blanks every Flow type annotation and type-only declaration so that
//! the TSX parser sees plain JavaScript, keeping every byte offset (blanked text becomes spaces,
//! line breaks stay).
//!
//! Two passes, both linear: a tokenizer that knows the lexical corners of JavaScript (strings,
//! template literals with nested `${}`, regex versus division, comments, JSX text and
//! attributes) and pairs brackets; then a recursive-descent walk over the tokens that knows where
//! a type starts (after `:` in parameters, declarators, return positions and class fields, in
//! casts `(x: T)`, `<T>` parameters and arguments, type-only statements) and a small type grammar
//! that knows where it ends. A bracketed group inside a type is skipped whole through its pair,
//! so nothing is visited twice. Flow enums become TypeScript enums (`of T` and `...` blanked).
//! It is not a Flow checker: text it cannot place is left as it is for the parser to report.

/// What a token is, as far as placing types needs.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Ident,
    Punct,
    Str,
    Num,
    /// A regex literal, a template literal's text, or a whole JSX stretch: an operand.
    Opaque,
    /// `(`, `[`, `{` or `${`; `mate` is its closing token.
    Open,
    /// A `{` in JSX (an attribute value or a child): an expression.
    JsxOpen,
    Close,
}

#[derive(Clone, Copy, Debug)]
struct Tok {
    kind: Kind,
    start: u32,
    end: u32,
    /// A line break lies between this token and the previous one.
    nl: bool,
    /// For brackets: the index of the other half (`u32::MAX` when unpaired).
    mate: u32,
}

/// Blanks Flow-only syntax in `src`; the result has the same length and line breaks.
pub(crate) fn strip(src: &str) -> String {
    let b = src.as_bytes();
    let mut out = b.to_vec();
    let toks = tokenize(b, &mut out);
    let mut w = Walker {
        b,
        t: &toks,
        out: &mut out,
        ty_depth: std::cell::Cell::new(0),
    };
    w.scan(0, toks.len(), Ctx::Block, 0);
    String::from_utf8(out).unwrap_or_else(|_| src.to_string())
}

fn blank(out: &mut [u8], from: usize, to: usize) {
    let to = to.min(out.len());
    for c in &mut out[from..to] {
        if *c != b'\n' && *c != b'\r' {
            *c = b' ';
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Tokenizer

/// What the tokenizer is inside of.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// A bracket (the token index of its opening half); `${` and JSX `{` included.
    Bracket(usize),
    /// A template literal's `${`: its `}` resumes the template text.
    Tpl(usize),
    /// Inside a JSX tag (`closing`: a `</...>` tag).
    Tag { closing: bool },
    /// JSX children.
    Children,
}

fn is_id_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_' || c == b'$' || c >= 0x80
}

fn is_id(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c >= 0x80
}

/// Keywords after which `/` starts a regex and `<` may start JSX.
const EXPR_KEYWORDS: &[&[u8]] = &[
    b"return",
    b"typeof",
    b"case",
    b"do",
    b"else",
    b"in",
    b"of",
    b"new",
    b"delete",
    b"void",
    b"throw",
    b"instanceof",
    b"yield",
    b"await",
    b"default",
    b"extends",
];

/// Three- and two-byte punctuators, longest first. `>` is always one byte (so `>>` can close
/// two type argument lists); `<<` is kept whole so that its second byte never looks like JSX.
const PUNCTS: &[&[u8]] = &[
    b">>>=", b"...", b"===", b"!==", b"**=", b"<<=", b"&&=", b"||=", b"??=", b"=>", b"==", b"!=",
    b"<=", b"&&", b"||", b"??", b"?.", b"++", b"--", b"+=", b"-=", b"*=", b"/=", b"%=", b"&=",
    b"|=", b"^=", b"**", b"<<",
];

fn tokenize(b: &[u8], out: &mut [u8]) -> Vec<Tok> {
    let mut toks: Vec<Tok> = Vec::with_capacity(b.len() / 4);
    let mut stack: Vec<Mode> = Vec::new();
    let mut i = 0;
    let mut nl = false;
    let push = |toks: &mut Vec<Tok>, kind, start: usize, end: usize, nl: &mut bool| {
        toks.push(Tok {
            kind,
            start: start as u32,
            end: end as u32,
            nl: std::mem::take(nl),
            mate: u32::MAX,
        });
    };
    while i < b.len() {
        match stack.last().copied() {
            Some(Mode::Children) => {
                // JSX text: nothing until `{` or `<`.
                match b[i] {
                    b'{' => {
                        push(&mut toks, Kind::JsxOpen, i, i + 1, &mut nl);
                        stack.push(Mode::Bracket(toks.len() - 1));
                        i += 1;
                    }
                    b'<' => {
                        let mut j = i + 1;
                        while j < b.len() && b[j].is_ascii_whitespace() {
                            j += 1;
                        }
                        match b.get(j) {
                            Some(b'/') => {
                                let mut k = j + 1;
                                while k < b.len() && b[k].is_ascii_whitespace() {
                                    k += 1;
                                }
                                if b.get(k) == Some(&b'>') {
                                    // `</>` closes a fragment.
                                    stack.pop();
                                    i = k + 1;
                                    if !matches!(stack.last(), Some(Mode::Children)) {
                                        push(&mut toks, Kind::Opaque, i - 1, i, &mut nl);
                                    }
                                } else {
                                    stack.push(Mode::Tag { closing: true });
                                    i = j + 1;
                                }
                            }
                            Some(b'>') => {
                                stack.push(Mode::Children);
                                i = j + 1;
                            }
                            _ => {
                                stack.push(Mode::Tag { closing: false });
                                i += 1;
                                i = jsx_tag_name(b, i, out);
                            }
                        }
                    }
                    _ => {
                        i += 1;
                        i = memchr::memchr2(b'{', b'<', &b[i..]).map_or(b.len(), |j| i + j);
                    }
                }
                continue;
            }
            Some(Mode::Tag { closing }) => {
                let c = b[i];
                match c {
                    b'{' => {
                        push(&mut toks, Kind::JsxOpen, i, i + 1, &mut nl);
                        stack.push(Mode::Bracket(toks.len() - 1));
                        i += 1;
                    }
                    b'"' | b'\'' => {
                        i += 1;
                        i = memchr::memchr(c, &b[i..]).map_or(b.len(), |j| i + j + 1);
                    }
                    b'/' if b.get(i + 1) == Some(&b'>') => {
                        stack.pop();
                        i += 2;
                        jsx_element_done(&mut stack, &mut toks, i, &mut nl);
                    }
                    b'/' if b.get(i + 1) == Some(&b'/') => {
                        i = memchr::memchr(b'\n', &b[i..]).map_or(b.len(), |j| i + j);
                    }
                    b'/' if b.get(i + 1) == Some(&b'*') => {
                        i = memchr::memmem::find(&b[i + 2..], b"*/")
                            .map_or(b.len(), |j| i + 2 + j + 2);
                    }
                    b'>' => {
                        stack.pop();
                        i += 1;
                        if closing {
                            // The closing tag ends the element's children.
                            if matches!(stack.last(), Some(Mode::Children)) {
                                stack.pop();
                            }
                            jsx_element_done(&mut stack, &mut toks, i, &mut nl);
                        } else {
                            stack.push(Mode::Children);
                        }
                    }
                    _ => i += 1,
                }
                continue;
            }
            _ => {}
        }
        let c = b[i];
        if c == b'\n' {
            nl = true;
            i += 1;
            continue;
        }
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        if c == b'/' && b.get(i + 1) == Some(&b'/') {
            i = memchr::memchr(b'\n', &b[i..]).map_or(b.len(), |j| i + j);
            continue;
        }
        if c == b'/' && b.get(i + 1) == Some(&b'*') {
            let end = memchr::memmem::find(&b[i + 2..], b"*/").map_or(b.len(), |j| i + 2 + j + 2);
            if memchr::memchr(b'\n', &b[i..end]).is_some() {
                nl = true;
            }
            i = end;
            continue;
        }
        if is_id_start(c) || (c == b'#' && b.get(i + 1).is_some_and(|&d| is_id_start(d))) {
            i += 1;
            while i < b.len() && is_id(b[i]) {
                i += 1;
            }
            push(&mut toks, Kind::Ident, start, i, &mut nl);
            continue;
        }
        if c.is_ascii_digit() || (c == b'.' && b.get(i + 1).is_some_and(|d| d.is_ascii_digit())) {
            i += 1;
            while i < b.len() && (is_id(b[i]) || b[i] == b'.') {
                i += 1;
            }
            push(&mut toks, Kind::Num, start, i, &mut nl);
            continue;
        }
        match c {
            b'\'' | b'"' => {
                i += 1;
                loop {
                    match memchr::memchr3(c, b'\n', b'\\', b.get(i..).unwrap_or_default()) {
                        Some(j) if b[i + j] == b'\\' => i += j + 2,
                        Some(j) => {
                            i += j + usize::from(b[i + j] == c);
                            break;
                        }
                        None => {
                            i = b.len();
                            break;
                        }
                    }
                }
                push(&mut toks, Kind::Str, start, i.min(b.len()), &mut nl);
                i = i.min(b.len());
            }
            b'`' => {
                i = template_text(b, i + 1, &mut toks, &mut stack, start, &mut nl);
            }
            b'(' | b'[' | b'{' => {
                push(&mut toks, Kind::Open, i, i + 1, &mut nl);
                stack.push(Mode::Bracket(toks.len() - 1));
                i += 1;
            }
            b')' | b']' | b'}' => {
                push(&mut toks, Kind::Close, i, i + 1, &mut nl);
                let me = toks.len() - 1;
                match stack.last().copied() {
                    Some(Mode::Bracket(o)) => {
                        stack.pop();
                        toks[o].mate = me as u32;
                        toks[me].mate = o as u32;
                    }
                    Some(Mode::Tpl(o)) if c == b'}' => {
                        stack.pop();
                        toks[o].mate = me as u32;
                        toks[me].mate = o as u32;
                        i = template_text(b, i + 1, &mut toks, &mut stack, i + 1, &mut nl);
                        continue;
                    }
                    _ => {}
                }
                i += 1;
            }
            b'/' if regex_allowed(b, toks.last()) => {
                i = regex_end(b, i).unwrap_or(i + 1);
                let kind = if i == start + 1 {
                    Kind::Punct
                } else {
                    Kind::Opaque
                };
                push(&mut toks, kind, start, i, &mut nl);
            }
            b'<' if jsx_allowed(b, toks.last()) && starts_jsx_element(b, i) => {
                push(&mut toks, Kind::Opaque, i, i + 1, &mut nl);
                let mut j = i + 1;
                while j < b.len() && b[j].is_ascii_whitespace() {
                    j += 1;
                }
                if b.get(j) == Some(&b'>') {
                    stack.push(Mode::Children);
                    i = j + 1;
                } else {
                    stack.push(Mode::Tag { closing: false });
                    i = jsx_tag_name(b, i + 1, out);
                }
            }
            _ => {
                let len = PUNCTS
                    .iter()
                    .find(|p| b[i..].starts_with(p))
                    .map_or(1, |p| p.len());
                // `?.5` is a ternary and a number, not optional chaining.
                let len = if len == 2
                    && &b[i..i + 2] == b"?."
                    && b.get(i + 2).is_some_and(|d| d.is_ascii_digit())
                {
                    1
                } else {
                    len
                };
                // Multi-byte punctuators are ASCII; a lone non-ASCII byte cannot get here
                // (it starts an identifier), so `i + len` stays on a char boundary.
                i += len;
                push(&mut toks, Kind::Punct, start, i, &mut nl);
            }
        }
    }
    toks
}

/// After a JSX element closes: when it was the outermost, the whole stretch is one operand.
fn jsx_element_done(stack: &mut [Mode], toks: &mut Vec<Tok>, i: usize, nl: &mut bool) {
    if !matches!(stack.last(), Some(Mode::Children) | Some(Mode::Tag { .. })) {
        toks.push(Tok {
            kind: Kind::Opaque,
            start: (i - 1) as u32,
            end: i as u32,
            nl: std::mem::take(nl),
            mate: u32::MAX,
        });
    }
}

/// Skips a JSX tag name from `i` (after `<`); type arguments right after it (`<Foo<T>>`) are
/// blanked. Returns where the tag's attributes start.
fn jsx_tag_name(b: &[u8], mut i: usize, out: &mut [u8]) -> usize {
    while i < b.len() && b[i].is_ascii_whitespace() {
        i += 1;
    }
    while i < b.len() && (is_id(b[i]) || b[i] == b'.' || b[i] == b'-' || b[i] == b':') {
        i += 1;
    }
    if b.get(i) == Some(&b'<') {
        let mut depth = 0;
        let mut j = i;
        while j < b.len() {
            match b[j] {
                b'<' => depth += 1,
                b'>' if j > 0 && b[j - 1] != b'=' => {
                    depth -= 1;
                    if depth == 0 {
                        blank(out, i, j + 1);
                        return j + 1;
                    }
                }
                b'\n' | b'{' | b'}' | b'"' | b'\'' => break,
                _ => {}
            }
            j += 1;
        }
    }
    i
}

/// Lexes template text from `i` to the closing backtick (one [`Kind::Opaque`] token) or to a
/// `${` (pushed as an opening bracket).
fn template_text(
    b: &[u8],
    mut i: usize,
    toks: &mut Vec<Tok>,
    stack: &mut Vec<Mode>,
    start: usize,
    nl: &mut bool,
) -> usize {
    loop {
        match memchr::memchr3(b'`', b'\\', b'$', b.get(i..).unwrap_or_default()) {
            Some(j) => {
                let k = i + j;
                match b[k] {
                    b'\\' => i = k + 2,
                    b'`' => {
                        i = k + 1;
                        break;
                    }
                    _ if b.get(k + 1) == Some(&b'{') => {
                        if k > start {
                            toks.push(Tok {
                                kind: Kind::Opaque,
                                start: start as u32,
                                end: k as u32,
                                nl: std::mem::take(nl),
                                mate: u32::MAX,
                            });
                        }
                        toks.push(Tok {
                            kind: Kind::Open,
                            start: k as u32,
                            end: (k + 2) as u32,
                            nl: false,
                            mate: u32::MAX,
                        });
                        stack.push(Mode::Tpl(toks.len() - 1));
                        return k + 2;
                    }
                    _ => i = k + 1,
                }
            }
            None => {
                i = b.len();
                break;
            }
        }
    }
    let i = i.min(b.len());
    toks.push(Tok {
        kind: Kind::Opaque,
        start: start as u32,
        end: i as u32,
        nl: std::mem::take(nl),
        mate: u32::MAX,
    });
    i
}

fn is_expr_keyword(b: &[u8], t: &Tok) -> bool {
    EXPR_KEYWORDS.contains(&&b[t.start as usize..t.end as usize])
}

/// Whether `/` after `prev` starts a regex: after an operator, an opening bracket, a `}` or a
/// keyword that takes an expression.
fn regex_allowed(b: &[u8], prev: Option<&Tok>) -> bool {
    match prev {
        None => true,
        Some(t) => match t.kind {
            Kind::Ident => is_expr_keyword(b, t),
            Kind::Num | Kind::Str | Kind::Opaque => false,
            Kind::Close => b[t.start as usize] == b'}',
            Kind::Open | Kind::JsxOpen => true,
            Kind::Punct => !matches!(&b[t.start as usize..t.end as usize], b"++" | b"--"),
        },
    }
}

/// The end of a regex literal starting at `i`, or `None` when the line ends first.
fn regex_end(b: &[u8], mut i: usize) -> Option<usize> {
    i += 1;
    let mut class = false;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 1,
            b'\n' => return None,
            b'[' => class = true,
            b']' => class = false,
            b'/' if !class => {
                i += 1;
                while i < b.len() && is_id(b[i]) {
                    i += 1;
                }
                return Some(i);
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Whether `<` after `prev` stands where an expression starts (so it may open JSX).
fn jsx_allowed(b: &[u8], prev: Option<&Tok>) -> bool {
    match prev {
        None => true,
        Some(t) => match t.kind {
            Kind::Ident => is_expr_keyword(b, t),
            Kind::Num | Kind::Str | Kind::Opaque | Kind::Close => false,
            Kind::Open | Kind::JsxOpen => true,
            Kind::Punct => !matches!(&b[t.start as usize..t.end as usize], b"++" | b"--"),
        },
    }
}

/// Whether `<` at `i` (where an expression may start) opens a JSX element rather than the type
/// parameters of a generic arrow function (`<T>(x: T) => x`, `<T: Bound, U>(...) => ...`).
fn starts_jsx_element(b: &[u8], i: usize) -> bool {
    let skip_ws = |mut j: usize| {
        while j < b.len() && b[j].is_ascii_whitespace() {
            j += 1;
        }
        j
    };
    let j = skip_ws(i + 1);
    match b.get(j) {
        Some(b'>') => return true,
        Some(&c) if is_id_start(c) => {}
        _ => return false,
    }
    let mut k = j;
    while k < b.len() && is_id(b[k]) {
        k += 1;
    }
    let k = skip_ws(k);
    match b.get(k) {
        // `<T,`, `<T = D`, `<T: Bound` (JSX namespaced names are not React Native).
        Some(b',') | Some(b'=') | Some(b':') => false,
        Some(b'>') => {
            // `<T>(...) =>`: type parameters when the parenthesis closes before an arrow.
            let p = skip_ws(k + 1);
            if b.get(p) != Some(&b'(') {
                return true;
            }
            let mut depth = 0;
            let mut q = p;
            while q < b.len() {
                match b[q] {
                    b'(' => depth += 1,
                    b')' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    b'<' if b.get(q + 1) == Some(&b'/') => return true,
                    _ => {}
                }
                q += 1;
            }
            let r = skip_ws(q + 1);
            !(b[r.min(b.len())..].starts_with(b"=>") || b.get(r) == Some(&b':'))
        }
        _ => true,
    }
}

// ---------------------------------------------------------------------------------------------
// Walker

/// What a bracketed stretch of code is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Ctx {
    /// Statements: the module, a function body, a block, a switch body.
    Block,
    ClassBody,
    ObjectLit,
    /// A destructuring pattern (`:` renames).
    Pattern,
    /// A function's parameter list (`:` annotates).
    Params,
    /// An expression: a parenthesis (`:` without `?` is a cast), an array, `${}`, JSX `{}`.
    Expr,
}

/// Where a `let`/`const`/`var` declaration is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Decl {
    None,
    /// Before a declarator's `=`: a `:` annotates.
    Binding,
    Init,
}

/// Deeper nesting is left as it is (the nesting guard has refused pathological files before).
const MAX_DEPTH: usize = 400;

/// The most tokens (a bracketed group counting as one) a `<...>` list may hold before it is
/// taken for a comparison: keeps `a < b, c < d, ...` linear.
const MAX_TYPE_ARGS: usize = 256;

/// How deeply types may recurse (conditional and generic function types).
const MAX_TYPE_DEPTH: usize = 64;

struct Walker<'s> {
    b: &'s [u8],
    t: &'s [Tok],
    out: &'s mut Vec<u8>,
    /// How deep [`Walker::ty`] is.
    ty_depth: std::cell::Cell<usize>,
}

impl Walker<'_> {
    fn text(&self, i: usize) -> &[u8] {
        self.t
            .get(i)
            .map_or(&[][..], |t| &self.b[t.start as usize..t.end as usize])
    }

    fn is(&self, i: usize, s: &str) -> bool {
        self.t
            .get(i)
            .is_some_and(|t| t.kind != Kind::Str && t.kind != Kind::Opaque)
            && self.text(i) == s.as_bytes()
    }

    fn kind(&self, i: usize) -> Option<Kind> {
        self.t.get(i).map(|t| t.kind)
    }

    fn ident(&self, i: usize) -> bool {
        self.kind(i) == Some(Kind::Ident)
    }

    fn open(&self, i: usize, c: u8) -> bool {
        self.kind(i) == Some(Kind::Open) && self.b[self.t[i].start as usize] == c
    }

    fn nl(&self, i: usize) -> bool {
        self.t.get(i).is_some_and(|t| t.nl)
    }

    /// The index after the closing half of the bracket at `i`.
    fn after(&self, i: usize) -> Option<usize> {
        let m = self.t[i].mate;
        (m != u32::MAX).then_some(m as usize + 1)
    }

    /// Blanks tokens `from..to` (and what lies between them).
    fn blank(&mut self, from: usize, to: usize) {
        if from < to {
            let (s, e) = (self.t[from].start as usize, self.t[to - 1].end as usize);
            blank(self.out, s, e);
        }
    }

    // --- types -------------------------------------------------------------------------------

    /// The end of a type starting at `i`. `no_arrow`: an arrow function's return type, where a
    /// top-level `=>` is the function's own.
    fn ty(&self, i: usize, no_arrow: bool) -> Option<usize> {
        // Types nest through brackets (skipped whole) and only a few constructs recurse:
        // bound them so that no input can exhaust the stack.
        let depth = self.ty_depth.get();
        if depth > MAX_TYPE_DEPTH {
            return None;
        }
        self.ty_depth.set(depth + 1);
        let end = self.ty_inner(i, no_arrow);
        self.ty_depth.set(depth);
        end
    }

    fn ty_inner(&self, mut i: usize, no_arrow: bool) -> Option<usize> {
        if self.is(i, "|") || self.is(i, "&") {
            i += 1;
        }
        loop {
            i = self.ty_operand(i)?;
            if self.is(i, "|") || self.is(i, "&") {
                i += 1;
                continue;
            }
            if !no_arrow && self.is(i, "=>") {
                // A function type's return type (`(x: T) => U`, `string => void`).
                i += 1;
                continue;
            }
            if self.is(i, "extends") {
                // A conditional type: `T extends U ? X : Y`.
                let j = self.ty(i + 1, no_arrow)?;
                if !self.is(j, "?") {
                    return None;
                }
                let k = self.ty(j + 1, no_arrow)?;
                if !self.is(k, ":") {
                    return None;
                }
                return self.ty(k + 1, no_arrow);
            }
            return Some(i);
        }
    }

    fn ty_operand(&self, mut i: usize) -> Option<usize> {
        // `?T` (`??T` lexes as one token).
        while self.is(i, "?") || self.is(i, "??") {
            i += 1;
        }
        let mut j = self.ty_primary(i)?;
        loop {
            if self.open(j, b'[') && !self.nl(j) {
                j = self.after(j)?;
            } else if self.is(j, "?.") && self.open(j + 1, b'[') {
                j = self.after(j + 1)?;
            } else {
                return Some(j);
            }
        }
    }

    fn ty_primary(&self, i: usize) -> Option<usize> {
        let t = self.t.get(i)?;
        match t.kind {
            Kind::Ident => {
                let mut j = i + 1;
                if self.text(i) == b"typeof" && self.ident(j) {
                    j += 1;
                } else if self.text(i) == b"interface" && self.open(j, b'{') {
                    return self.after(j);
                }
                while self.is(j, ".") && self.ident(j + 1) {
                    j += 2;
                }
                if self.is(j, "<") {
                    j = self.angle_end(j)?;
                }
                Some(j)
            }
            Kind::Str | Kind::Num | Kind::Opaque => Some(i + 1),
            Kind::Punct if self.is(i, "-") && self.kind(i + 1) == Some(Kind::Num) => Some(i + 2),
            Kind::Punct if self.is(i, "*") => Some(i + 1),
            Kind::Punct if self.is(i, "<") => {
                // A generic function type: `<T>(x: T) => T`.
                let j = self.angle_end(i)?;
                if !self.open(j, b'(') {
                    return None;
                }
                let k = self.after(j)?;
                if !self.is(k, "=>") {
                    return None;
                }
                self.ty(k + 1, false)
            }
            Kind::Open if self.open(i, b'(') => self.after(i),
            Kind::Open if self.open(i, b'{') || self.open(i, b'[') => self.after(i),
            _ => None,
        }
    }

    /// The end of a `<...>` list of types or type parameters starting at `i`, or `None` when
    /// the tokens cannot be one (a comparison).
    fn angle_end(&self, i: usize) -> Option<usize> {
        let mut depth = 0usize;
        let mut j = i;
        let mut steps = 0;
        while j < self.t.len() && steps < MAX_TYPE_ARGS {
            steps += 1;
            let t = &self.t[j];
            match t.kind {
                Kind::Open | Kind::JsxOpen => {
                    j = self.after(j)?;
                    continue;
                }
                Kind::Close => return None,
                Kind::Punct => match self.text(j) {
                    b"<" => depth += 1,
                    b">" => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(j + 1);
                        }
                    }
                    b"." | b"," | b"?" | b"|" | b"&" | b"*" | b":" | b"=" | b"=>" | b"..."
                    | b"+" | b"-" | b"%" | b"?." => {}
                    _ => return None,
                },
                _ => {}
            }
            j += 1;
        }
        None
    }

    /// Blanks a `:` type annotation at `i` (with `%checks`); returns where code resumes.
    fn annotation(&mut self, i: usize, no_arrow: bool) -> Option<usize> {
        let e = if self.is(i + 1, "%") && self.is(i + 2, "checks") {
            i + 1
        } else if self.ident(i + 1) && self.is(i + 2, "is") && !self.nl(i + 2) {
            // A type guard: `(x: mixed): x is T`.
            self.ty(i + 3, no_arrow)?
        } else {
            self.ty(i + 1, no_arrow)?
        };
        let e = self.checks_end(e);
        self.blank(i, e);
        Some(e)
    }

    /// Past a predicate at `i`, `%checks` or `%checks(expr)` (declared functions); else `i`.
    fn checks_end(&self, i: usize) -> usize {
        if !(self.is(i, "%") && self.is(i + 1, "checks")) {
            return i;
        }
        if self.open(i + 2, b'(') {
            return self.after(i + 2).unwrap_or(i + 2);
        }
        i + 2
    }

    /// The end of a type-level statement from `i` when the grammar could not place it: a `;`
    /// or a line break where the statement cannot go on.
    fn statement_end(&self, mut i: usize, end: usize) -> usize {
        let start = i;
        while i < end {
            let t = &self.t[i];
            if i > start && t.nl {
                let last = self.text(i - 1);
                let cont = matches!(last, b"=" | b"|" | b"&" | b"," | b":" | b"<" | b"=>" | b"?")
                    || matches!(self.text(i), b"|" | b"&" | b"=" | b"." | b"{" | b"=>");
                if !cont {
                    return i;
                }
            }
            match t.kind {
                Kind::Open | Kind::JsxOpen => match self.after(i) {
                    Some(a) => {
                        i = a;
                        continue;
                    }
                    None => return end,
                },
                Kind::Close => return i,
                Kind::Punct if self.text(i) == b";" => return i + 1,
                _ => {}
            }
            i += 1;
        }
        end
    }

    /// Includes a `;` at `i` into a blanked statement.
    fn semi(&self, i: usize) -> usize {
        if self.is(i, ";") { i + 1 } else { i }
    }

    /// `type A<T> = ...`, `opaque type A: S = T` from the `type` token at `i`: the end.
    fn alias_end(&self, i: usize, end: usize) -> usize {
        let mut j = i + 2;
        if self.is(j, "<") {
            match self.angle_end(j) {
                Some(k) => j = k,
                None => return self.statement_end(i, end),
            }
        }
        if self.is(j, ":") {
            match self.ty(j + 1, false) {
                Some(k) => j = k,
                None => return self.statement_end(i, end),
            }
        }
        if self.is(j, "=") {
            match self.ty(j + 1, false) {
                Some(k) => j = k,
                None => return self.statement_end(i, end),
            }
        }
        self.semi(j)
    }

    /// A `declare ...` statement from `i` (the token after `declare`): its end.
    fn declare_end(&self, i: usize, end: usize) -> usize {
        let mut j = i;
        if self.is(j, "export") {
            j += 1;
            if self.is(j, "default") {
                j += 1;
                if !self.is(j, "class") && !self.is(j, "function") {
                    return self
                        .ty(j, false)
                        .map_or_else(|| self.statement_end(j, end), |k| self.semi(k));
                }
            }
        }
        let kw = self.text(j).to_vec();
        match kw.as_slice() {
            b"class" | b"interface" | b"enum" | b"module" if !self.is(j + 1, ".") => {
                let mut k = j + 1;
                while k < end && !self.open(k, b'{') {
                    if self.is(k, "<") {
                        k = self.angle_end(k).unwrap_or(k + 1);
                    } else if self.kind(k) == Some(Kind::Open) {
                        match self.after(k) {
                            Some(a) => k = a,
                            None => return end,
                        }
                    } else {
                        k += 1;
                    }
                }
                self.after(k).map_or(end, |a| self.semi(a))
            }
            b"module" => {
                // `declare module.exports: T`
                let k = j + 3;
                if self.is(k, ":")
                    && let Some(e) = self.ty(k + 1, false)
                {
                    return self.semi(e);
                }
                self.statement_end(j, end)
            }
            b"function" => {
                let mut k = j + 2;
                if self.is(k, "<") {
                    match self.angle_end(k) {
                        Some(a) => k = a,
                        None => return self.statement_end(j, end),
                    }
                }
                if !self.open(k, b'(') {
                    return self.statement_end(j, end);
                }
                let Some(mut k) = self.after(k) else {
                    return end;
                };
                if self.is(k, ":") {
                    k = match self.ty(k + 1, false) {
                        Some(e) => e,
                        None => return self.statement_end(j, end),
                    };
                }
                self.semi(self.checks_end(k))
            }
            b"var" | b"let" | b"const" if self.is(j + 2, ":") => self
                .ty(j + 3, false)
                .map_or_else(|| self.statement_end(j, end), |e| self.semi(e)),
            b"type" => self.alias_end(j, end),
            b"opaque" => self.alias_end(j + 1, end),
            _ => self.statement_end(j, end),
        }
    }

    /// Whether token `i` starts a statement (for type-only statements).
    fn stmt_start(&self, i: usize, start: usize) -> bool {
        i == start
            || self.nl(i)
            || matches!(self.text(i - 1), b";" | b"}" | b"{")
            || self.is(i - 1, "export")
    }

    /// A type-only statement at `i` in a block, as the end of the blank (the whole statement).
    fn type_statement(&self, i: usize, end: usize) -> Option<usize> {
        let same_line_ident = |k: usize| self.ident(k) && !self.nl(k);
        match self.text(i) {
            b"type" if same_line_ident(i + 1) && (self.is(i + 2, "=") || self.is(i + 2, "<")) => {
                Some(self.alias_end(i, end))
            }
            b"opaque" if self.is(i + 1, "type") && same_line_ident(i + 2) => {
                Some(self.alias_end(i + 1, end))
            }
            b"interface"
                if same_line_ident(i + 1)
                    && (self.open(i + 2, b'{')
                        || self.is(i + 2, "<")
                        || self.is(i + 2, "extends")) =>
            {
                Some(self.declare_end(i, end))
            }
            b"declare"
                if !self.nl(i + 1)
                    && self.ident(i + 1)
                    && !self.is(i + 1, "in")
                    && !self.is(i + 1, "instanceof") =>
            {
                Some(self.declare_end(i + 1, end))
            }
            b"import"
                if (self.is(i + 1, "type") || self.is(i + 1, "typeof"))
                    && !(self.is(i + 2, "from") && self.kind(i + 3) == Some(Kind::Str)) =>
            {
                Some(self.statement_end(i, end))
            }
            b"export"
                if self.is(i + 1, "type") && (self.open(i + 2, b'{') || self.is(i + 2, "*")) =>
            {
                Some(self.statement_end(i, end))
            }
            b"export" if self.is(i + 1, "type") && same_line_ident(i + 2) => {
                Some(self.alias_end(i + 1, end))
            }
            b"export" if self.is(i + 1, "opaque") && self.is(i + 2, "type") => {
                Some(self.alias_end(i + 2, end))
            }
            b"export" if self.is(i + 1, "interface") => Some(self.declare_end(i + 1, end)),
            _ => None,
        }
    }

    /// `{type A, typeof B, C}` in an import or export: blanks the type specifiers (and their
    /// commas). `i` is the `{`.
    fn type_specifiers(&mut self, i: usize) {
        let Some(close) = self.after(i).map(|a| a - 1) else {
            return;
        };
        let mut k = i + 1;
        while k < close {
            if (self.is(k, "type") || self.is(k, "typeof"))
                && self.ident(k + 1)
                // `{type as X}` imports a binding named `type`.
                && !self.is(k + 1, "as")
            {
                let mut e = k + 1;
                while e < close && !self.is(e, ",") {
                    e += 1;
                }
                let e = if e < close { e + 1 } else { e };
                self.blank(k, e);
                k = e;
                continue;
            }
            while k < close && !self.is(k, ",") {
                k += 1;
            }
            k += 1;
        }
    }

    /// A Flow enum at `i` (`enum`): `of T` and the `...` of unknown members are blanked, the
    /// rest reads as a TypeScript enum. Returns where code resumes.
    fn flow_enum(&mut self, i: usize) -> Option<usize> {
        let mut j = i + 2;
        if self.is(j, "of") {
            self.blank(j, j + 2);
            j += 2;
        }
        if !self.open(j, b'{') {
            return None;
        }
        let a = self.after(j)?;
        for k in j + 1..a - 1 {
            if self.is(k, "...") {
                self.blank(k, k + 1);
            }
        }
        Some(a)
    }

    /// `class A<T> extends B<T> implements I {`: blanks the types; returns the index of the
    /// body's `{` (or where the header stopped).
    fn class_header(&mut self, i: usize, end: usize) -> usize {
        let mut j = i + 1;
        if self.ident(j) && !self.is(j, "extends") && !self.is(j, "implements") {
            j += 1;
        }
        if self.is(j, "<")
            && let Some(e) = self.angle_end(j)
        {
            self.blank(j, e);
            j = e;
        }
        if self.is(j, "extends") {
            j += 1;
            // The superclass: a name path, maybe called (`mixin(A)`).
            if self.ident(j) {
                j += 1;
            }
            while j < end {
                if self.is(j, ".") && self.ident(j + 1) {
                    j += 2;
                } else if self.open(j, b'(') {
                    let Some(a) = self.after(j) else { return j };
                    self.scan(j + 1, a - 1, Ctx::Expr, 1);
                    j = a;
                } else {
                    break;
                }
            }
            if self.is(j, "<")
                && let Some(e) = self.angle_end(j)
            {
                self.blank(j, e);
                j = e;
            }
        }
        if self.is(j, "implements") || self.is(j, "mixins") {
            let mut k = j;
            while k < end && !self.open(k, b'{') {
                k += 1;
            }
            self.blank(j, k);
            j = k;
        }
        j
    }

    /// A parameter list at `open` and what follows it: the return type and, for functions and
    /// methods, the body. Returns where code resumes.
    fn function_rest(&mut self, open: usize, depth: usize, arrow: bool) -> Option<usize> {
        let a = self.after(open)?;
        self.scan(open + 1, a - 1, Ctx::Params, depth + 1);
        let mut j = a;
        if self.is(j, ":") {
            j = self.annotation(j, arrow).unwrap_or(j);
            let gap = self.t[a - 1].end as usize..self.t.get(j).map_or(0, |t| t.start as usize);
            if arrow && self.is(j, "=>") && self.out.get(gap).is_some_and(|g| g.contains(&b'\n')) {
                // No line break may stand before `=>`: move the arrow up into the blanked
                // type's first line (a two-byte move) when there is room.
                let colon = self.t[a].start as usize;
                if self.out[colon..colon + 2] == *b"  " {
                    self.out[colon..colon + 2].copy_from_slice(b"=>");
                    self.blank(j, j + 1);
                }
            }
        }
        if !arrow && self.open(j, b'{') {
            let b = self.after(j)?;
            self.scan(j + 1, b - 1, Ctx::Block, depth + 1);
            return Some(b);
        }
        Some(j)
    }

    /// Whether the `(` at `i` opens an arrow function's parameters (`(...) =>` or
    /// `(...): T =>`).
    fn arrow_params(&self, i: usize) -> bool {
        let Some(a) = self.after(i) else {
            return false;
        };
        if self.is(a, "=>") {
            return true;
        }
        self.is(a, ":")
            && self
                .ty(a + 1, true)
                .is_some_and(|e| self.is(e, "=>") || (self.is(e, "%") && self.is(e + 2, "=>")))
    }

    /// Walks tokens `start..end` (inside one bracket pair, or the file) in context `ctx`.
    fn scan(&mut self, start: usize, end: usize, ctx: Ctx, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let mut i = start;
        // The last token that is code (blanked types skipped).
        let mut prev: Option<usize> = None;
        let mut ternary = 0u32;
        let mut decl = Decl::None;
        // Object literal: at a key; class body: inside a field initializer.
        let mut at_key = true;
        let mut in_init = false;
        let mut colon_was_ternary = false;
        while i < end {
            let t = self.t[i];
            let prev_text: &[u8] = prev.map_or(&[], |p| self.text(p));
            let prev_kind = prev.map(|p| self.t[p].kind);
            match t.kind {
                Kind::Ident => {
                    // A class member on a new line after an initializer without `;`.
                    if ctx == Ctx::ClassBody && t.nl && in_init {
                        let op = prev_kind == Some(Kind::Punct)
                            && !matches!(prev_text, b";" | b"++" | b"--");
                        if !op {
                            in_init = false;
                        }
                    }
                    if ctx == Ctx::Block && self.stmt_start(i, start) {
                        if let Some(e) = self.type_statement(i, end) {
                            self.blank(i, e);
                            i = e;
                            continue;
                        }
                        if self.is(i, "enum")
                            && self.ident(i + 1)
                            && let Some(e) = self.flow_enum(i)
                        {
                            prev = Some(e - 1);
                            i = e;
                            continue;
                        }
                        // Specifier lists: type specifiers blanked, the rest (`a as b`) left alone.
                        let specifiers = if (self.is(i, "import") || self.is(i, "export"))
                            && self.open(i + 1, b'{')
                        {
                            Some(i + 1)
                        } else if self.is(i, "import")
                            && self.ident(i + 1)
                            && self.is(i + 2, ",")
                            && self.open(i + 3, b'{')
                        {
                            Some(i + 3)
                        } else {
                            None
                        };
                        if let Some(s) = specifiers {
                            self.type_specifiers(s);
                            if let Some(a) = self.after(s) {
                                prev = Some(a - 1);
                                i = a;
                                continue;
                            }
                        }
                    }
                    if ctx == Ctx::Params && i == start && self.is(i, "this") && self.is(i + 1, ":")
                    {
                        // `function f(this: T, x)`: the `this` parameter is type-only.
                        if let Some(e) = self.ty(i + 2, false) {
                            let e = if self.is(e, ",") { e + 1 } else { e };
                            self.blank(i, e);
                            i = e;
                            continue;
                        }
                    }
                    if ctx == Ctx::ClassBody
                        && !in_init
                        && self.is(i, "declare")
                        && self.ident(i + 1)
                        && !self.nl(i + 1)
                    {
                        // `declare x: T;`: no runtime field.
                        let mut k = i + 1;
                        while self.ident(k) && !self.is(k + 1, ":") {
                            k += 1;
                        }
                        if self.is(k + 1, ":") {
                            let e = self.ty(k + 2, false).map_or(k + 2, |e| self.semi(e));
                            self.blank(i, e);
                            i = e;
                            continue;
                        }
                    }
                    match self.text(i) {
                        b"as"
                            if matches!(
                                prev_kind,
                                Some(
                                    Kind::Ident
                                        | Kind::Close
                                        | Kind::Str
                                        | Kind::Num
                                        | Kind::Opaque
                                )
                            ) && !self.nl(i) =>
                        {
                            // A cast `x as T` (and `as const`).
                            if let Some(e) = self.ty(i + 1, false) {
                                self.blank(i, e);
                                i = e;
                                continue;
                            }
                        }
                        b"function" => {
                            let mut j = i + 1;
                            if self.is(j, "*") {
                                j += 1;
                            }
                            if self.ident(j) {
                                j += 1;
                            }
                            if self.is(j, "<")
                                && let Some(e) = self.angle_end(j)
                            {
                                self.blank(j, e);
                                j = e;
                            }
                            if self.open(j, b'(')
                                && let Some(e) = self.function_rest(j, depth, false)
                            {
                                prev = Some(e - 1);
                                i = e;
                                continue;
                            }
                        }
                        b"class" if !self.is(i + 1, ":") && !self.is(i + 1, ",") => {
                            let j = self.class_header(i, end);
                            if self.open(j, b'{')
                                && let Some(a) = self.after(j)
                            {
                                self.scan(j + 1, a - 1, Ctx::ClassBody, depth + 1);
                                prev = Some(a - 1);
                                i = a;
                                continue;
                            }
                            i = j;
                            continue;
                        }
                        b"const" | b"let" | b"var"
                            if !matches!(ctx, Ctx::ObjectLit | Ctx::ClassBody)
                                && !self.is(i + 1, ":")
                                && !self.is(i + 1, "=") =>
                        {
                            decl = Decl::Binding;
                        }
                        _ => {}
                    }
                }
                Kind::Punct => {
                    let p = self.text(i);
                    match p {
                        b"?" => {
                            let optional_mark = matches!(ctx, Ctx::Params | Ctx::ClassBody)
                                && (self.is(i + 1, ":")
                                    || (ctx == Ctx::Params
                                        && (self.is(i + 1, ",")
                                            || self.is(i + 1, "=")
                                            || i + 1 == end)))
                                && matches!(prev_kind, Some(Kind::Ident));
                            if optional_mark && !(ctx == Ctx::ClassBody && in_init) {
                                self.blank(i, i + 1);
                                i += 1;
                                continue;
                            }
                            ternary += 1;
                        }
                        b":" => {
                            colon_was_ternary = false;
                            if ternary > 0 {
                                ternary -= 1;
                                colon_was_ternary = true;
                            } else {
                                let annotate = match ctx {
                                    Ctx::Params | Ctx::ClassBody => true,
                                    Ctx::Block | Ctx::Expr if decl == Decl::Binding => true,
                                    _ => false,
                                };
                                if annotate {
                                    if let Some(e) = self.annotation(i, false) {
                                        i = e;
                                        continue;
                                    }
                                } else if ctx == Ctx::Expr && self.is(end, ")") {
                                    // A cast `(expr: Type)`: the type runs to the `)`.
                                    if self.ty(i + 1, false) == Some(end) {
                                        self.blank(i, end);
                                        i = end;
                                        continue;
                                    }
                                } else if ctx == Ctx::ObjectLit {
                                    at_key = false;
                                }
                            }
                        }
                        b"=" => {
                            if decl == Decl::Binding {
                                decl = Decl::Init;
                            }
                            if ctx == Ctx::ClassBody {
                                in_init = true;
                            }
                        }
                        b"," => {
                            if decl == Decl::Init {
                                decl = Decl::Binding;
                            }
                            at_key = true;
                            ternary = 0;
                        }
                        b";" => {
                            decl = Decl::None;
                            ternary = 0;
                            in_init = false;
                        }
                        b"+" | b"-"
                            if ctx == Ctx::ClassBody
                                && (!in_init || t.nl)
                                && self.ident(i + 1)
                                && (self.is(i + 2, ":") || self.is(i + 2, "?")) =>
                        {
                            // Variance: `+x: T`, `static -y: U`.
                            in_init = false;
                            self.blank(i, i + 1);
                            i += 1;
                            continue;
                        }
                        b"<" => {
                            let operand = matches!(prev_kind, Some(Kind::Ident))
                                && !is_expr_keyword(self.b, &self.t[prev.unwrap_or(0)]);
                            if let Some(e) = self.angle_end(i) {
                                let call = self.open(e, b'(')
                                    || (operand
                                        && prev.is_some_and(|p| p > 0 && self.is(p - 1, "new")));
                                let params = !operand
                                    && prev_kind != Some(Kind::Close)
                                    && self.open(e, b'(');
                                if (operand && call) || params {
                                    self.blank(i, e);
                                    i = e;
                                    continue;
                                }
                            }
                        }
                        _ => {}
                    }
                }
                Kind::JsxOpen => {
                    if let Some(a) = self.after(i) {
                        self.scan(i + 1, a - 1, Ctx::Expr, depth + 1);
                        i = a;
                    } else {
                        i += 1;
                    }
                    prev = Some(i - 1);
                    continue;
                }
                Kind::Open => {
                    let c = self.b[t.start as usize];
                    let Some(a) = self.after(i) else {
                        i += 1;
                        continue;
                    };
                    let key_pos = match ctx {
                        Ctx::ClassBody => !in_init,
                        Ctx::ObjectLit => at_key,
                        _ => false,
                    };
                    if c == b'(' {
                        // `{...f(x)}` spreads a call.
                        let spread = prev.is_some_and(|p| p > 0 && self.is(p - 1, "..."));
                        let method = key_pos
                            && !spread
                            && (matches!(
                                prev_kind,
                                Some(Kind::Ident) | Some(Kind::Str) | Some(Kind::Num)
                            ) || (prev_kind == Some(Kind::Close) && prev_text == b"]"));
                        // `f(...)`: a call, not an arrow function's parameters.
                        let called = match prev_kind {
                            Some(Kind::Ident) => {
                                !is_expr_keyword(self.b, &self.t[prev.unwrap_or(0)])
                            }
                            Some(Kind::Close | Kind::Str | Kind::Num | Kind::Opaque) => true,
                            _ => false,
                        };
                        let after_kw = prev_kind == Some(Kind::Ident)
                            && matches!(prev_text, b"if" | b"while" | b"for" | b"switch" | b"with");
                        if method {
                            if let Some(e) = self.function_rest(i, depth, false) {
                                prev = Some(e - 1);
                                i = e;
                                continue;
                            }
                        } else if prev_text == b"catch" {
                            self.scan(i + 1, a - 1, Ctx::Params, depth + 1);
                        } else if !after_kw
                            && (!called || prev_text == b"async")
                            && self.arrow_params(i)
                        {
                            if let Some(e) = self.function_rest(i, depth, true) {
                                prev = Some(e - 1);
                                i = e;
                                continue;
                            }
                        } else {
                            self.scan(i + 1, a - 1, Ctx::Expr, depth + 1);
                        }
                    } else if c == b'{' && t.end - t.start == 1 {
                        let child = self.brace_ctx(ctx, prev, decl, colon_was_ternary, i);
                        self.scan(i + 1, a - 1, child, depth + 1);
                    } else if c == b'[' {
                        let child = if matches!(ctx, Ctx::Params | Ctx::Pattern)
                            && !matches!(prev_text, b"=")
                            || (decl == Decl::Binding
                                && matches!(prev_text, b"const" | b"let" | b"var" | b","))
                        {
                            Ctx::Pattern
                        } else {
                            Ctx::Expr
                        };
                        self.scan(i + 1, a - 1, child, depth + 1);
                    } else {
                        self.scan(i + 1, a - 1, Ctx::Expr, depth + 1);
                    }
                    prev = Some(a - 1);
                    i = a;
                    continue;
                }
                _ => {}
            }
            prev = Some(i);
            i += 1;
        }
    }

    /// What a `{` at `i` opens, from what precedes it.
    fn brace_ctx(
        &self,
        ctx: Ctx,
        prev: Option<usize>,
        decl: Decl,
        colon_was_ternary: bool,
        i: usize,
    ) -> Ctx {
        let Some(p) = prev else {
            return match ctx {
                Ctx::Block | Ctx::ClassBody => Ctx::Block,
                Ctx::Params | Ctx::Pattern => Ctx::Pattern,
                _ => Ctx::ObjectLit,
            };
        };
        let pt = self.text(p);
        let pk = self.t[p].kind;
        if matches!(ctx, Ctx::Params | Ctx::Pattern) && matches!(pt, b"," | b":" | b"...") {
            return Ctx::Pattern;
        }
        if decl == Decl::Binding && matches!(pt, b"const" | b"let" | b"var" | b",") {
            return Ctx::Pattern;
        }
        match pk {
            Kind::Close if pt == b")" => Ctx::Block,
            Kind::Close if pt == b"}" && ctx == Ctx::Block => Ctx::Block,
            Kind::Punct if pt == b"=>" || pt == b";" => Ctx::Block,
            Kind::Punct if pt == b":" && ctx == Ctx::Block && !colon_was_ternary => Ctx::Block,
            Kind::Ident if matches!(pt, b"else" | b"do" | b"try" | b"finally" | b"static") => {
                Ctx::Block
            }
            Kind::Ident if ctx == Ctx::Block && !is_expr_keyword(self.b, &self.t[p]) => {
                // `label: {` or a statement after ASI.
                if self.nl(i) {
                    Ctx::Block
                } else {
                    Ctx::ObjectLit
                }
            }
            _ => Ctx::ObjectLit,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn squeeze(s: &str) -> String {
        s.chars().filter(|c| !c.is_whitespace()).collect()
    }

    /// Strips `src` and checks the invariants: same length, every line break in place, the
    /// result parses as TSX, and the code left is `runtime` (whitespace aside).
    #[track_caller]
    fn check(src: &str, runtime: &str) {
        let out = strip(src);
        assert_eq!(out.len(), src.len(), "length changed:\n{out}");
        for (i, c) in src.bytes().enumerate() {
            assert_eq!(
                c == b'\n',
                out.as_bytes()[i] == b'\n',
                "line break moved at {i}"
            );
        }
        let alloc = oxc::allocator::Allocator::default();
        let ret = oxc::parser::Parser::new(&alloc, &out, oxc::span::SourceType::tsx()).parse();
        let errors: Vec<String> = ret.diagnostics.errors().map(|e| e.to_string()).collect();
        assert!(!ret.panicked && errors.is_empty(), "{errors:?} in:\n{out}");
        assert_eq!(squeeze(&out), squeeze(runtime), "stripped:\n{out}");
    }

    #[test]
    fn exact_object_types_and_read_only_are_blanked() {
        check(
            "type Props = {|\n  +title: ?string,\n  -count: number,\n|};\nconst p: $ReadOnly<{|a: number|}> = {a: 1};",
            "const p = {a: 1};",
        );
    }

    #[test]
    fn casts_lose_their_type_and_keep_the_expression() {
        check(
            "const a = (x: any);\nconst b = ((y: any): string).length;\nf((z: $FlowFixMe), 1);",
            "const a = (x);\nconst b = ((y)).length;\nf((z), 1);",
        );
        check(
            "const c = (cfg.bind(null, 1): (\n  done?: () => void,\n) => void);",
            "const c = (cfg.bind(null, 1));",
        );
    }

    #[test]
    fn variance_on_class_fields_and_object_types() {
        check(
            "class A {\n  +x: number;\n  static +y: string = 'y';\n  -z: T;\n}\ntype B = {+a: T, -b: U};",
            "class A {\n  x;\n  static y = 'y';\n  z;\n}",
        );
    }

    #[test]
    fn type_imports_and_type_specifiers() {
        check(
            "import type {Node} from 'react';\nimport typeof Foo from './Foo';\nimport type Bar from './Bar';\nimport React, {type ElementRef, typeof Component, useState} from 'react';\nimport {a as b, type C} from 'x';",
            "import React, {useState} from 'react';\nimport {a as b,} from 'x';",
        );
    }

    #[test]
    fn generic_arrow_functions_in_js_files_are_not_jsx() {
        check(
            "const id = <T>(x: T): T => x;\nconst pair = <A, B: Object = {}>(a: A, b: B) => [a, b];\nconst el = <View>(text)</View>;",
            "const id = (x) => x;\nconst pair = (a, b) => [a, b];\nconst el = <View>(text)</View>;",
        );
        check(
            "const f = async <T>(x: T): Promise<T> => x;",
            "const f = async (x) => x;",
        );
    }

    #[test]
    fn checks_predicates_and_type_guards() {
        check(
            "function isStr(x: mixed): boolean %checks {\n  return typeof x === 'string';\n}\nfunction isObj(v: mixed): v is {...} { return v != null; }\nfunction g(x): %checks { return !!x; }",
            "function isStr(x) {\n  return typeof x === 'string';\n}\nfunction isObj(v) { return v != null; }\nfunction g(x) { return !!x; }",
        );
    }

    #[test]
    fn declarations_are_blanked_whole() {
        check(
            "declare var __DEV__: boolean;\ndeclare function f(x: number): string;\ndeclare function isNum(x: mixed): boolean %checks(typeof x === 'number');\ndeclare class C<T> extends D<T> {\n  m(): void;\n}\ndeclare module 'm' {\n  declare module.exports: {x: number};\n}\ndeclare export function g(): void;\ndeclare type T = number;\ndeclare module.exports: {a: 1};\ndeclare export default class E {}\nconst ok = 1;",
            "const ok = 1;",
        );
    }

    #[test]
    fn opaque_types_interfaces_and_type_exports() {
        check(
            "opaque type ID = string;\nexport opaque type Token: string = string;\ninterface Sized<T: {...}> { size(): number }\nexport interface Named { name: string }\nexport type {A, B} from './types';\nexport type * from './more';\nexport type Props = {a: number};\nexport const x = 1;",
            "export const x = 1;",
        );
    }

    #[test]
    fn function_types_with_unnamed_params_indexers_and_spreads() {
        check(
            "type F = (string, number) => void;\nconst m: {[string]: number} = {};\ntype S = {...A, b: T, ...};\nlet h: string => void = s => {};\nfunction k(cb: (?Error, data?: Buffer) => mixed, ...rest: Array<mixed>): void {}",
            "const m = {};\nlet h = s => {};\nfunction k(cb, ...rest) {}",
        );
    }

    #[test]
    fn generic_bounds_maybe_existential_and_typeof_types() {
        check(
            "function f<T: Foo = Bar, +U>(x: ?T, y: Array<*>, z: typeof bar): ?U {}\nclass Box<T: {...} = {}> extends Base<T> {}\nconst s: typeof styles.row = styles.row;",
            "function f(x, y, z) {}\nclass Box extends Base {}\nconst s = styles.row;",
        );
    }

    #[test]
    fn multi_line_tuples_unions_and_intersections() {
        check(
            "type U =\n  | 'a'\n  | 'b';\nconst t: [\n  number,\n  string,\n] = [1, 'x'];\nlet v: A &\n  B = c;\nfunction r(): ?[\n  number,\n] {}",
            "const t = [1, 'x'];\nlet v = c;\nfunction r() {}",
        );
    }

    #[test]
    fn class_annotations_implements_and_declare_fields() {
        check(
            "class A extends React.Component<Props, State> implements I, J {\n  state: State = {n: 0};\n  static defaultProps: $Shape<Props> = {};\n  ref: ?View\n  declare x: number;\n  _onPress = (e: Event): void => {};\n  render(): React.Node { return null; }\n  m<T>(x: T): T { return x; }\n  o?: string;\n  n = 1\n  static s(x: T): void {}\n}",
            "class A extends React.Component {\n  state = {n: 0};\n  static defaultProps = {};\n  ref\n  _onPress = (e) => {};\n  render() { return null; }\n  m(x) { return x; }\n  o;\n  n = 1\n  static s(x) {}\n}",
        );
    }

    #[test]
    fn flow_enums_become_typescript_enums() {
        check(
            "enum Status {Active, Off}\nenum E of string {A = 'a', B = 'b'}\nexport enum N of number {One = 1, ...}\nconst s = Status.Active;",
            "enum Status {Active, Off}\nenum E {A = 'a', B = 'b'}\nexport enum N {One = 1, }\nconst s = Status.Active;",
        );
    }

    #[test]
    fn optional_indexed_access_this_params_and_abstract_components() {
        check(
            "type V = Obj?.['a']['b'];\nfunction onClick(this: HTMLElement, e: Event) {}\nconst C: React.AbstractComponent<Props, Instance> = forwardRef(Inner);",
            "function onClick(e) {}\nconst C = forwardRef(Inner);",
        );
    }

    #[test]
    fn type_arguments_on_calls_new_and_jsx() {
        check(
            "const [a, setA] = useState<?string>(null);\nconst r = React.useRef<?React.ElementRef<typeof View>>(null);\nconst m = new Map<string, Array<number>>();\nconst el = <Foo<T> a={1} />;",
            "const [a, setA] = useState(null);\nconst r = React.useRef(null);\nconst m = new Map();\nconst el = <Foo a={1} />;",
        );
    }

    #[test]
    fn object_pattern_params_and_defaults() {
        check(
            "function Screen({title, count = n ? 1 : 2}: Props = {}): Node { return title; }\nconst f = ({a: {b}, c}: {a: {b: T}, c: U}) => b;\nconst g = (x?: number, y: string = 'y') => x;",
            "function Screen({title, count = n ? 1 : 2} = {}) { return title; }\nconst f = ({a: {b}, c}) => b;\nconst g = (x, y = 'y') => x;",
        );
    }

    #[test]
    fn return_types_that_span_lines_keep_the_arrow_on_the_parameters_line() {
        let src = "const f = (a, b): ?[\n  number,\n] => [a];";
        let out = strip(src);
        assert!(out.starts_with("const f = (a, b)=>"), "{out}");
        check(src, "const f = (a, b) => [a];");
    }

    #[test]
    fn colons_that_are_not_types_are_kept() {
        // Ternaries with object literals, `case`, object literal values, labels, JSX text.
        let code = "const a = c ? {x: 1} : {y: (2)};\nconst sp = {...f(k ? 1 : 2), g(x) { return x; }};\nswitch (k) {\n  case 'x': break;\n  default: f();\n}\nconst o = {a: b, m(x) { return x ? y : z; }, [k]: v};\nouter: for (;;) { break outer; }\nconst j = <Text style={s}>Time: 10:30 {a ? b : c}</Text>;\nconst t = cond ? (x) : y;";
        check(code, code);
    }

    #[test]
    fn regex_template_and_string_literals_are_opaque() {
        let code = "const r = /a:b<c>(d)/g.test(s);\nconst q = x / y / z;\nconst t = `a: ${b ? `c: ${d}` : 'e'} <T>(x: T)`;\nconst s = 'f(x: T): U';\nconst u = \"<T>(x: T) => x\";";
        check(code, code);
    }

    #[test]
    fn comparisons_are_not_type_arguments() {
        let code = "if (a < b && c > (d)) {}\nfor (let i = 0; i < n; i++) {}\nconst x = a < b ? c : d > e;";
        check(code, code);
    }

    #[test]
    fn arrow_functions_in_calls_objects_and_jsx_attributes() {
        check(
            "foo((x: number): string => String(x));\nconst o = {onPress: (e: Event) => {}, async load(id: string): Promise<void> {}};\nconst j = <Button onPress={(e: PressEvent): void => go(e)} render={({item}: {item: T}) => item} />;",
            "foo((x) => String(x));\nconst o = {onPress: (e) => {}, async load(id) {}};\nconst j = <Button onPress={(e) => go(e)} render={({item}) => item} />;",
        );
    }

    #[test]
    fn declarators_annotated_after_patterns_and_in_for_heads() {
        check(
            "const {a, b}: Props = this.props;\nlet [x, y]: [number, number] = p, z: ?string = null;\nfor (const k: string of keys) {}\nvar w: number;",
            "const {a, b} = this.props;\nlet [x, y] = p, z = null;\nfor (const k of keys) {}\nvar w;",
        );
    }

    #[test]
    fn stripping_a_flow_screen_keeps_multibyte_text_and_offsets() {
        check(
            "// @flow\nconst título: string = 'héllo ✓';\nexport default function Ñ(): Node { return <Text>¿qué: {título}?</Text>; }",
            "// @flow\nconst título = 'héllo ✓';\nexport default function Ñ() { return <Text>¿qué: {título}?</Text>; }",
        );
    }

    #[test]
    fn an_app_style_class_screen_with_redux_and_navigation() {
        let src = r#"// @flow
import React, {Component} from 'react';
import type {NavigationScreenProp} from 'react-navigation';
type Props = {navigation: NavigationScreenProp<*>, user: ?User};
class Home extends Component<Props, {loading: boolean}> {
  static navigationOptions = ({navigation}: {navigation: NavigationScreenProp<*>}) => ({
    title: navigation.getParam('title', 'Home'),
  });
  state = {loading: false};
  componentDidMount(): void {}
  _renderItem = ({item}: {item: Item, index: number}): React$Node => (
    <Row item={item} onPress={() => this._press(item)} />
  );
  render() {
    const {loading} = this.state;
    return loading ? <Spinner /> : <FlatList data={[]} keyExtractor={(i: Item): string => i.id} />;
  }
}
function* saga(): Saga<void> { yield take('A'); }
const reducer = (state: State = initial, action: Action): State => {
  switch (action.type) {
    case 'A': return {...state, a: 1};
    default: return state;
  }
};
const mapState = (state: State): $Shape<Props> => ({user: state.user});
export default (connect<Props, OwnProps, _, _, _, _>(mapState)(Home): any);
"#;
        let runtime = r#"// @flow
import React, {Component} from 'react';
class Home extends Component {
  static navigationOptions = ({navigation}) => ({
    title: navigation.getParam('title', 'Home'),
  });
  state = {loading: false};
  componentDidMount() {}
  _renderItem = ({item}) => (
    <Row item={item} onPress={() => this._press(item)} />
  );
  render() {
    const {loading} = this.state;
    return loading ? <Spinner /> : <FlatList data={[]} keyExtractor={(i) => i.id} />;
  }
}
function* saga() { yield take('A'); }
const reducer = (state = initial, action) => {
  switch (action.type) {
    case 'A': return {...state, a: 1};
    default: return state;
  }
};
const mapState = (state) => ({user: state.user});
export default (connect(mapState)(Home));
"#;
        check(src, runtime);
    }

    #[test]
    fn long_chains_neither_recurse_deeply_nor_rescan() {
        // Many comparisons in one list: each `<` gives up after a bounded look.
        let list = format!("const l = [{}];", "a < b, c > d, ".repeat(20_000));
        check(&list, &list);
        // Thousands of `?` and function arrows in one type: loops, not recursion.
        let maybe = format!("const m: {}T = 1;", "?".repeat(100_000));
        check(&maybe, "const m = 1;");
        let arrows = format!("let f: {}void = g;", "A => ".repeat(50_000));
        check(&arrows, "let f = g;");
        // Deep conditional types stop at a bound and are left to the parser.
        let cond = format!("type C = {}X;", "A extends B ? C : ".repeat(10_000));
        let _ = strip(&cond);
    }

    /// The Flow corpus measurement: every `@flow` file (`.js`, `.js.flow`) below
    /// `HIVESYNC_FLOW_CORPUS` is stripped and parsed as TSX; prints the share that parses, the
    /// failures by first error, and the stripping throughput (the median of 11 passes) beside
    /// oxc's parse throughput on the stripped text. Offsets are checked on every file.
    /// `HIVESYNC_FLOW_CORPUS=/tmp/rn/package cargo test --release -p hivesync-layout --lib
    /// flow_corpus -- --ignored --nocapture`
    #[test]
    #[ignore = "needs a Flow corpus on disk (HIVESYNC_FLOW_CORPUS)"]
    fn flow_corpus() {
        fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            let mut entries: Vec<_> = std::fs::read_dir(dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            entries.sort();
            for p in entries {
                if p.is_dir() {
                    walk(&p, out);
                } else if p.to_string_lossy().ends_with(".js")
                    || p.to_string_lossy().ends_with(".js.flow")
                {
                    out.push(p);
                }
            }
        }
        let root = std::env::var("HIVESYNC_FLOW_CORPUS").expect("HIVESYNC_FLOW_CORPUS");
        // `HIVESYNC_FLOW_PLAIN=1`: the files without a pragma instead, which must come out as
        // they went in (any change is listed).
        let plain = std::env::var_os("HIVESYNC_FLOW_PLAIN").is_some();
        let mut paths = Vec::new();
        walk(std::path::Path::new(&root), &mut paths);
        let files: Vec<(String, String)> = paths
            .iter()
            .filter_map(|p| {
                let src = std::fs::read_to_string(p).ok()?;
                (super::super::has_flow_pragma(&src) != plain)
                    .then(|| (p.to_string_lossy().into_owned(), src))
            })
            .collect();
        let bytes: usize = files.iter().map(|(_, s)| s.len()).sum();
        // Stripping time: the median of 11 passes over the whole corpus.
        let mut times = Vec::new();
        let mut stripped: Vec<String> = Vec::new();
        for _ in 0..11 {
            let start = std::time::Instant::now();
            stripped = files.iter().map(|(_, s)| strip(s)).collect();
            times.push(start.elapsed().as_secs_f64());
        }
        times.sort_by(f64::total_cmp);
        let secs = times[times.len() / 2];
        let mut failures = Vec::new();
        let mut parse_secs = 0.0;
        for ((path, src), out) in files.iter().zip(&stripped) {
            assert_eq!(out.len(), src.len(), "{path}: length changed");
            for (i, c) in src.bytes().enumerate() {
                assert_eq!(
                    c == b'\n',
                    out.as_bytes()[i] == b'\n',
                    "{path}: newline moved at {i}"
                );
            }
            let alloc = oxc::allocator::Allocator::default();
            let start = std::time::Instant::now();
            let ret = oxc::parser::Parser::new(&alloc, out, oxc::span::SourceType::tsx()).parse();
            parse_secs += start.elapsed().as_secs_f64();
            if ret.panicked || ret.diagnostics.has_errors() {
                let e = ret.diagnostics.errors().next();
                let off = e
                    .and_then(|e| e.labels.first().map(|l| l.offset()))
                    .unwrap_or(0);
                let e = e.map_or_else(|| "parse error".to_string(), |e| e.message.to_string());
                let nls = src.as_bytes()[..(off as usize).min(src.len())].iter();
                let line = nls.filter(|&&c| c == b'\n').count() + 1;
                let text = out.lines().nth(line - 1).unwrap_or("").trim().to_string();
                failures.push(format!("{path}:{line}: {e} | {text}"));
            }
        }
        for f in &failures {
            println!("FAIL {f}");
        }
        if plain {
            for ((path, src), out) in files.iter().zip(&stripped) {
                if let Some(at) = src.bytes().zip(out.bytes()).position(|(a, b)| a != b) {
                    let line = src[..at].matches('\n').count() + 1;
                    println!("CHANGED {path}:{line}");
                }
            }
        }
        // With a reference stripper's output (flow-remove-types, same relative paths): the code
        // that is left must be the same, whitespace aside.
        if let Ok(reference) = std::env::var("HIVESYNC_FLOW_REFERENCE") {
            let mut differ = 0;
            for ((path, _), out) in files.iter().zip(&stripped) {
                let rel = path
                    .strip_prefix(&root)
                    .unwrap_or(path)
                    .trim_start_matches('/');
                let Ok(r) = std::fs::read_to_string(std::path::Path::new(&reference).join(rel))
                else {
                    continue;
                };
                let squeeze = |s: &str| -> Vec<u8> {
                    s.bytes().filter(|c| !c.is_ascii_whitespace()).collect()
                };
                let (a, b) = (
                    squeeze(&out.replace("@flow", "")),
                    squeeze(&r.replace("@flow", "")),
                );
                if a != b {
                    differ += 1;
                    let at = a
                        .iter()
                        .zip(&b)
                        .position(|(x, y)| x != y)
                        .unwrap_or(a.len().min(b.len()));
                    let from = at.saturating_sub(60);
                    println!(
                        "DIFF {path}\n  ours: {}\n  ref:  {}",
                        String::from_utf8_lossy(&a[from..(at + 60).min(a.len())]),
                        String::from_utf8_lossy(&b[from..(at + 60).min(b.len())])
                    );
                }
            }
            println!("reference: {differ} files differ from it");
        }
        let ok = files.len() - failures.len();
        println!(
            "flow corpus: {ok}/{} files parse after stripping ({:.1}%), {:.2} MB stripped in {:.4} s ({:.1} MB/s; oxc parses it at {:.1} MB/s)",
            files.len(),
            100.0 * ok as f64 / files.len() as f64,
            bytes as f64 / 1e6,
            secs,
            bytes as f64 / 1e6 / secs,
            bytes as f64 / 1e6 / parse_secs
        );
    }
}
