//! Built-in behaviour: methods of strings, arrays and numbers, and the builtins that stand in
//! for React, React Native and library APIs (hooks, `StyleSheet`, `Platform`, `Math`, ...).

use oxc::ast::ast::CallExpression;

use crate::project::FileKind;

use super::value::*;
use super::{
    Interp, NAV_THEME_CTX, R, ROUTE_PARAMS, STYLED_THEME_CTX, UNKNOWN_LIST_ITEMS, flatten_style,
    strict_eq, unknown_from,
};

impl<'p, 'a> Interp<'p, 'a> {
    /// Notes the (family, font file) pairs of a `useFonts` / `Font.loadAsync` map.
    fn record_loaded_fonts(&mut self, map: &Value<'a>) {
        if let Value::Obj(o) = map {
            for (family, v) in o.borrow().to_vec() {
                if let Value::Asset(path) = v
                    && !self
                        .loaded_fonts
                        .iter()
                        .any(|(f, p)| f == family && p == path)
                {
                    self.loaded_fonts
                        .push((family.to_string(), path.to_string()));
                }
            }
        }
    }

    /// Stores `v` where the receiver of method call `c` came from (`list.push(x)`: the
    /// variable `list`; `this.items.push(x)`: the property). `false` when it came from
    /// elsewhere (a call's result), where a change in place would not be seen again.
    fn rebind_receiver(
        &mut self,
        env: &Env<'a>,
        c: &'a CallExpression<'a>,
        v: Value<'a>,
    ) -> R<bool> {
        let Some(m) = c.callee.get_inner_expression().as_member_expression() else {
            return Ok(false);
        };
        match m.object().get_inner_expression() {
            oxc::ast::ast::Expression::Identifier(id) => {
                self.assign_name(env, id.name.as_str(), v);
                Ok(true)
            }
            obj => match obj.as_member_expression() {
                Some(inner) => {
                    let holder = self.eval(env, inner.object())?;
                    let Some(key) = self.member_key(env, inner)? else {
                        return Ok(false);
                    };
                    match holder {
                        Value::Obj(o) => {
                            self.style_cache.clear();
                            obj_set(&o, &key, v);
                            Ok(true)
                        }
                        _ => Ok(false),
                    }
                }
                None => Ok(false),
            },
        }
    }

    /// A stable sort by a comparator (or, without one, by the items' strings); `None` when a
    /// comparison is unknown.
    fn sort(
        &mut self,
        xs: &[Value<'a>],
        cmp: &Value<'a>,
        module: usize,
        offset: u32,
    ) -> R<Option<Vec<Value<'a>>>> {
        let mut items: Vec<Value<'a>> = xs.to_vec();
        if matches!(cmp, Value::Undef) {
            let keys: Option<Vec<String>> = items.iter().map(|x| x.to_display()).collect();
            let Some(keys) = keys else { return Ok(None) };
            let mut order: Vec<usize> = (0..items.len()).collect();
            order.sort_by(|a, b| keys[*a].cmp(&keys[*b]));
            return Ok(Some(order.into_iter().map(|i| items[i]).collect()));
        }
        // Insertion sort through the comparator (stable; lists in screens are short).
        for i in 1..items.len() {
            let mut j = i;
            while j > 0 {
                let r = self.call(cmp, None, vec![items[j - 1], items[j]], module, offset)?;
                match r.to_num() {
                    Some(n) if n > 0.0 => {
                        items.swap(j - 1, j);
                        j -= 1;
                    }
                    Some(_) => break,
                    None => return Ok(None),
                }
            }
        }
        Ok(Some(items))
    }

    /// Methods of strings, arrays and numbers; `None` when `name` is not one of them.
    pub(super) fn call_method(
        &mut self,
        env: &Env<'a>,
        recv: &Value<'a>,
        name: &str,
        c: &'a CallExpression<'a>,
    ) -> R<Option<Value<'a>>> {
        let m = env.module;
        match recv {
            Value::Arr(xs) => {
                let args = self.eval_args(env, &c.arguments)?;
                let a0 = args.first().cloned().unwrap_or(Value::Undef);
                let v = match name {
                    "map" | "flatMap" | "filter" | "forEach" | "find" | "some" | "every"
                    | "findIndex" => {
                        let mut out = Vec::new();
                        for (i, x) in xs.iter().enumerate() {
                            let r = self.call(
                                &a0,
                                None,
                                vec![*x, Value::Num(i as f64), *recv],
                                m,
                                c.span.start,
                            )?;
                            match name {
                                "map" => out.push(r),
                                "flatMap" => match r {
                                    Value::Arr(ys) => out.extend(ys.iter().cloned()),
                                    r => out.push(r),
                                },
                                "filter" => match r.truthy() {
                                    Some(true) => out.push(*x),
                                    Some(false) => {}
                                    None => {
                                        self.warn_condition(env, &r, c.span.start);
                                        out.push(*x)
                                    }
                                },
                                "find" if r.truthy() == Some(true) => return Ok(Some(*x)),
                                "findIndex" if r.truthy() == Some(true) => {
                                    return Ok(Some(Value::Num(i as f64)));
                                }
                                "some" if r.truthy() == Some(true) => {
                                    return Ok(Some(Value::Bool(true)));
                                }
                                "every" if r.truthy() == Some(false) => {
                                    return Ok(Some(Value::Bool(false)));
                                }
                                _ => {}
                            }
                        }
                        match name {
                            "find" => Value::Undef,
                            "findIndex" => Value::Num(-1.0),
                            "some" => Value::Bool(false),
                            "every" => Value::Bool(true),
                            "forEach" => Value::Undef,
                            _ => self.arr(out),
                        }
                    }
                    "slice" => {
                        let n = xs.len() as i64;
                        let norm = |v: Option<&Value<'a>>, d: i64| {
                            let i = v
                                .and_then(|v| v.to_num())
                                .filter(|f| !f.is_nan())
                                .map_or(d, |f| f as i64);
                            (if i < 0 { n + i } else { i }).clamp(0, n) as usize
                        };
                        let (s, e) = (norm(args.first(), 0), norm(args.get(1), n));
                        self.arr(if s < e { xs[s..e].to_vec() } else { vec![] })
                    }
                    "concat" => {
                        let mut out: Vec<Value<'a>> = xs.to_vec();
                        for a in args {
                            match a {
                                Value::Arr(ys) => out.extend(ys.iter().cloned()),
                                a => out.push(a),
                            }
                        }
                        self.check_len(out.len())?;
                        self.arr(out)
                    }
                    "join" => {
                        let sep = a0
                            .to_display()
                            .filter(|_| !matches!(a0, Value::Undef))
                            .unwrap_or(",".into());
                        let parts: Option<Vec<String>> = xs
                            .iter()
                            .map(|x| {
                                if x.is_nullish() {
                                    Some(String::new())
                                } else {
                                    x.to_display()
                                }
                            })
                            .collect();
                        parts.map_or_else(
                            || Value::unknown(self.alloc, "join of unknown items"),
                            |p| Value::str(self.alloc, &p.join(&sep)),
                        )
                    }
                    "includes" => Value::Bool(xs.iter().any(|x| strict_eq(x, &a0) == Some(true))),
                    "indexOf" => Value::Num(
                        xs.iter()
                            .position(|x| strict_eq(x, &a0) == Some(true))
                            .map_or(-1.0, |i| i as f64),
                    ),
                    "reverse" => {
                        let v = self.arr(xs.iter().rev().cloned().collect());
                        self.rebind_receiver(env, c, v)?;
                        v
                    }
                    "at" => {
                        let i = a0.to_num().unwrap_or(0.0) as i64;
                        let i = if i < 0 { xs.len() as i64 + i } else { i };
                        usize::try_from(i)
                            .ok()
                            .and_then(|i| xs.get(i).copied())
                            .unwrap_or(Value::Undef)
                    }
                    "lastIndexOf" => Value::Num(
                        xs.iter()
                            .rposition(|x| strict_eq(x, &a0) == Some(true))
                            .map_or(-1.0, |i| i as f64),
                    ),
                    "keys" => self.arr((0..xs.len()).map(|i| Value::Num(i as f64)).collect()),
                    "values" => *recv,
                    "entries" => self.arr(
                        xs.iter()
                            .enumerate()
                            .map(|(i, x)| Value::arr(self.alloc, &[Value::Num(i as f64), *x]))
                            .collect(),
                    ),
                    "fill" => {
                        let v = self.arr(vec![a0; xs.len()]);
                        self.rebind_receiver(env, c, v)?;
                        v
                    }
                    "flat" => {
                        let mut out = Vec::new();
                        for x in xs.iter() {
                            match x {
                                Value::Arr(ys) => out.extend(ys.iter().cloned()),
                                x => out.push(*x),
                            }
                        }
                        self.arr(out)
                    }
                    "reduce" => {
                        let mut acc = args.get(1).cloned();
                        for (i, x) in xs.iter().enumerate() {
                            acc = Some(match acc {
                                None => *x,
                                Some(a) => self.call(
                                    &a0,
                                    None,
                                    vec![a, *x, Value::Num(i as f64)],
                                    m,
                                    c.span.start,
                                )?,
                            });
                        }
                        acc.unwrap_or(Value::Undef)
                    }
                    // Arrays are values of the evaluator: the methods that change an array in
                    // place store the changed array where the receiver came from (a variable,
                    // a property), which is what loops building lists do.
                    "push" | "unshift" => {
                        let mut out = Vec::with_capacity(xs.len() + args.len());
                        if name == "unshift" {
                            out.extend(args.iter().copied());
                            out.extend(xs.iter().copied());
                        } else {
                            out.extend(xs.iter().copied());
                            out.extend(args.iter().copied());
                        }
                        if out.len() > MAX_GROWN_ARRAY {
                            return Ok(Some(Value::unknown(
                                self.alloc,
                                format!("an array grown past {MAX_GROWN_ARRAY} items"),
                            )));
                        }
                        let n = out.len();
                        let v = self.arr(out);
                        if !self.rebind_receiver(env, c, v)? {
                            return Ok(Some(Value::unknown(
                                self.alloc,
                                format!(
                                    "array `{name}` on a value not held in a variable or property"
                                ),
                            )));
                        }
                        Value::Num(n as f64)
                    }
                    "pop" | "shift" => {
                        let (item, rest) = match (name, xs.len()) {
                            (_, 0) => (Value::Undef, &xs[..]),
                            ("pop", n) => (xs[n - 1], &xs[..n - 1]),
                            _ => (xs[0], &xs[1..]),
                        };
                        let v = Value::Arr(rest);
                        self.rebind_receiver(env, c, v)?;
                        item
                    }
                    "splice" => {
                        let n = xs.len() as i64;
                        let start = a0.to_num().filter(|f| !f.is_nan()).unwrap_or(0.0) as i64;
                        let start =
                            (if start < 0 { n + start } else { start }).clamp(0, n) as usize;
                        let count = match args.get(1) {
                            None => xs.len() - start,
                            Some(v) => {
                                (v.to_num().unwrap_or(0.0).max(0.0) as usize).min(xs.len() - start)
                            }
                        };
                        let removed = self.arr(xs[start..start + count].to_vec());
                        let mut out: Vec<Value<'a>> = xs[..start].to_vec();
                        out.extend(args.iter().skip(2).copied());
                        out.extend(xs[start + count..].iter().copied());
                        let v = self.arr(out);
                        self.rebind_receiver(env, c, v)?;
                        removed
                    }
                    "sort" | "toSorted" => {
                        let Some(sorted) = self.sort(xs, &a0, m, c.span.start)? else {
                            return Ok(Some(Value::unknown(
                                self.alloc,
                                "a sort comparing unknown values",
                            )));
                        };
                        let v = self.arr(sorted);
                        if name == "sort" {
                            self.rebind_receiver(env, c, v)?;
                        }
                        v
                    }
                    "toReversed" => self.arr(xs.iter().rev().cloned().collect()),
                    _ => return Ok(None),
                };
                Ok(Some(v))
            }
            Value::Str(s) => {
                let args = self.eval_args(env, &c.arguments)?;
                if let Some(Value::Native(n)) = args.first()
                    && let super::natives::Native::RegExp(r) = n
                    && matches!(
                        name,
                        "match" | "matchAll" | "replace" | "replaceAll" | "split" | "search"
                    )
                {
                    return Ok(Some(self.string_regex_method(
                        s,
                        name,
                        r,
                        &args,
                        m,
                        c.span.start,
                    )?));
                }
                if let (Some(Value::Str(p)), Some(f @ (Value::Func(_) | Value::Builtin(_)))) =
                    (args.first(), args.get(1))
                    && matches!(name, "replace" | "replaceAll")
                {
                    // A replacer function, called for each (or the first) occurrence.
                    let mut out = String::new();
                    let mut last = 0;
                    let positions: Vec<usize> = if p.is_empty() {
                        vec![0]
                    } else {
                        s.match_indices(&**p).map(|(i, _)| i).collect()
                    };
                    for (n, at) in positions.into_iter().enumerate() {
                        if n > 0 && name == "replace" {
                            break;
                        }
                        out.push_str(&s[last..at]);
                        let v = self.call(
                            f,
                            None,
                            vec![Value::Str(p), Value::Num(at as f64), *recv],
                            m,
                            c.span.start,
                        )?;
                        match v.to_display() {
                            Some(piece) => out.push_str(&piece),
                            None => return Ok(Some(unknown_from(self.alloc, &v, "replacement"))),
                        }
                        last = at + p.len();
                    }
                    out.push_str(&s[last..]);
                    return Ok(Some(Value::str(self.alloc, &out)));
                }
                let a = |i: usize| args.get(i).and_then(|v| v.to_display()).unwrap_or_default();
                let v = match name {
                    "toUpperCase" | "toLocaleUpperCase" => {
                        Value::str(self.alloc, &s.to_uppercase())
                    }
                    "toLowerCase" | "toLocaleLowerCase" => {
                        Value::str(self.alloc, &s.to_lowercase())
                    }
                    "trim" => Value::str(self.alloc, s.trim()),
                    "trimStart" | "trimLeft" => Value::str(self.alloc, s.trim_start()),
                    "trimEnd" | "trimRight" => Value::str(self.alloc, s.trim_end()),
                    "indexOf" => Value::Num(
                        s.find(&a(0))
                            .map_or(-1.0, |b| super::regexp::char_index(s, b) as f64),
                    ),
                    "lastIndexOf" => Value::Num(
                        s.rfind(&a(0))
                            .map_or(-1.0, |b| super::regexp::char_index(s, b) as f64),
                    ),
                    "localeCompare" => {
                        Value::Num(match s.to_lowercase().cmp(&a(0).to_lowercase()) {
                            std::cmp::Ordering::Less => -1.0,
                            std::cmp::Ordering::Equal => 0.0,
                            std::cmp::Ordering::Greater => 1.0,
                        })
                    }
                    "at" => {
                        let n = s.chars().count() as i64;
                        let i = args.first().and_then(|v| v.to_num()).unwrap_or(0.0) as i64;
                        let i = if i < 0 { n + i } else { i };
                        usize::try_from(i)
                            .ok()
                            .and_then(|i| s.chars().nth(i))
                            .map_or(Value::Undef, |ch| {
                                Value::str(self.alloc, ch.encode_utf8(&mut [0; 4]))
                            })
                    }
                    "charCodeAt" | "codePointAt" => s
                        .chars()
                        .nth(args.first().and_then(|v| v.to_num()).unwrap_or(0.0) as usize)
                        .map_or(Value::Num(f64::NAN), |ch| Value::Num(ch as u32 as f64)),
                    "normalize" => *recv,
                    "toString" => *recv,
                    "startsWith" => Value::Bool(s.starts_with(&a(0))),
                    "endsWith" => Value::Bool(s.ends_with(&a(0))),
                    "includes" => Value::Bool(s.contains(&a(0))),
                    "charAt" => Value::str(
                        self.alloc,
                        &s.chars()
                            .nth(args.first().and_then(|v| v.to_num()).unwrap_or(0.0) as usize)
                            .map(|c| c.to_string())
                            .unwrap_or_default(),
                    ),
                    "split" => match args.first() {
                        Some(Value::Str(sep)) => {
                            let parts: Vec<Value<'a>> = if sep.is_empty() {
                                s.chars()
                                    .map(|c| Value::str(self.alloc, &c.to_string()))
                                    .collect()
                            } else {
                                s.split(&**sep).map(|p| Value::str(self.alloc, p)).collect()
                            };
                            self.arr(parts)
                        }
                        _ => Value::unknown(self.alloc, "split by a non-string"),
                    },
                    "replace" | "replaceAll" => match (args.first(), args.get(1)) {
                        (Some(Value::Str(p)), Some(Value::Str(r))) => {
                            if name == "replace" {
                                Value::str(self.alloc, &s.replacen(&**p, r, 1))
                            } else {
                                Value::str(self.alloc, &s.replace(&**p, r))
                            }
                        }
                        _ => Value::unknown(self.alloc, "replace with a pattern"),
                    },
                    "slice" | "substring" | "substr" => {
                        let chars: Vec<char> = s.chars().collect();
                        let n = chars.len() as i64;
                        let num = |i: usize, d: i64| {
                            args.get(i).and_then(|v| v.to_num()).map_or(d, |f| f as i64)
                        };
                        let mut st = num(0, 0);
                        let mut en = if name == "substr" {
                            st + num(1, n)
                        } else {
                            num(1, n)
                        };
                        if st < 0 {
                            st = (n + st).max(0)
                        }
                        if en < 0 {
                            en = (n + en).max(0)
                        }
                        let (st, en) = (st.clamp(0, n) as usize, en.clamp(0, n) as usize);
                        Value::str(
                            self.alloc,
                            &if st < en {
                                chars[st..en].iter().collect::<String>()
                            } else {
                                String::new()
                            },
                        )
                    }
                    "padStart" | "padEnd" => {
                        let width = args
                            .first()
                            .and_then(|v| v.to_num())
                            .unwrap_or(0.0)
                            .min(1024.0) as usize;
                        let fill = args
                            .get(1)
                            .and_then(|v| v.to_display())
                            .unwrap_or(" ".into());
                        let len = s.chars().count();
                        let pad: String = fill
                            .chars()
                            .cycle()
                            .take(width.saturating_sub(len))
                            .collect();
                        Value::str(
                            self.alloc,
                            &if name == "padStart" {
                                format!("{pad}{s}")
                            } else {
                                format!("{s}{pad}")
                            },
                        )
                    }
                    "repeat" => {
                        let n = args
                            .first()
                            .and_then(|v| v.to_num())
                            .unwrap_or(0.0)
                            .max(0.0) as usize;
                        self.check_len(n.saturating_mul(s.len()))?;
                        Value::str(self.alloc, &s.repeat(n))
                    }
                    "concat" => Value::str(
                        self.alloc,
                        &format!(
                            "{s}{}",
                            args.iter()
                                .filter_map(|v| v.to_display())
                                .collect::<String>()
                        ),
                    ),
                    _ => return Ok(None),
                };
                Ok(Some(v))
            }
            Value::Num(n) => {
                let args = self.eval_args(env, &c.arguments)?;
                Ok(match name {
                    "toFixed" => {
                        let d = args
                            .first()
                            .and_then(|v| v.to_num())
                            .unwrap_or(0.0)
                            .clamp(0.0, 20.0) as usize;
                        Some(Value::str(self.alloc, &format!("{n:.d$}")))
                    }
                    "toString" => Some(match args.first().and_then(|r| r.to_num()) {
                        Some(radix)
                            if radix != 10.0
                                && (2.0..=36.0).contains(&radix)
                                && n.fract() == 0.0 =>
                        {
                            Value::str(self.alloc, &to_radix(*n as i64, radix as u32))
                        }
                        _ => Value::str(self.alloc, &fmt_num(*n)),
                    }),
                    "toLocaleString" => {
                        let style = self.number_style(args.get(1));
                        Some(Value::str(self.alloc, &style.format(*n)))
                    }
                    "toPrecision" => match args.first().and_then(|v| v.to_num()) {
                        Some(p) if (1.0..=21.0).contains(&p) && *n != 0.0 => {
                            let digits =
                                (p as i32 - 1 - n.abs().log10().floor() as i32).max(0) as usize;
                            Some(Value::str(self.alloc, &format!("{n:.digits$}")))
                        }
                        _ => Some(Value::str(self.alloc, &fmt_num(*n))),
                    },
                    "valueOf" => Some(*recv),
                    _ => None,
                })
            }
            Value::Native(n) => {
                let args = self.eval_args(env, &c.arguments)?;
                self.native_method(n, *recv, name, args, m, c.span.start)
            }
            Value::Unknown(r) if matches!(name, "map" | "flatMap" | "filter") => {
                // Unknown data: render the item template a few times.
                let args = self.eval_args(env, &c.arguments)?;
                let f = args.first().cloned().unwrap_or(Value::Undef);
                self.warn(
                    "unknown-list",
                    format!("list data is unknown ({r}); {UNKNOWN_LIST_ITEMS} items are rendered from the item template"),
                    m,
                    c.span.start,
                );
                if name == "filter" {
                    return Ok(Some(*recv));
                }
                let mut out = Vec::new();
                for i in 0..UNKNOWN_LIST_ITEMS {
                    let item =
                        Value::unknown(self.alloc, format!("list item of unknown data ({r})"));
                    out.push(self.call(
                        &f,
                        None,
                        vec![item, Value::Num(i as f64)],
                        m,
                        c.span.start,
                    )?);
                }
                Ok(Some(self.arr(out)))
            }
            _ => Ok(None),
        }
    }

    /// The English string for an i18n key (`home.title`, `ns:key`), from the project's `en`
    /// locale file (`en.json`, `en.ts`, `locales/en/translation.json`, ...), with that file's index.
    fn english_translation(&mut self, key: &str) -> R<Option<(String, usize)>> {
        if self.locale.is_none() {
            let mut tables = Vec::new();
            for (i, f) in self.project.files.iter().enumerate() {
                if !is_english_locale_file(&f.path) {
                    continue;
                }
                let v = match &f.kind {
                    FileKind::Json(j) => super::json_to_value(self.alloc, j),
                    FileKind::Script(_) => self.get_export(i, "default", 0)?,
                    _ => continue,
                };
                if let Value::Obj(_) = v {
                    tables.push((v, i));
                }
            }
            self.locale = Some(tables);
        }
        let tables = self.locale.clone().unwrap_or_default();
        let path = key.replacen(':', ".", 1);
        for (table, file) in &tables {
            let mut cur = *table;
            for part in path.split('.') {
                cur = self.get_prop(&cur, part);
            }
            if let Value::Str(s) = cur {
                return Ok(Some((s.to_string(), *file)));
            }
        }
        Ok(None)
    }

    pub(super) fn call_builtin(
        &mut self,
        b: Builtin,
        args: Vec<Value<'a>>,
        module: usize,
        offset: u32,
    ) -> R<Value<'a>> {
        let a0 = args.first().cloned().unwrap_or(Value::Undef);
        Ok(match b {
            Builtin::Identity => a0,
            Builtin::StyleSheetCreate => {
                if let Value::Obj(sheet) = &a0 {
                    for (_, style) in sheet.borrow().iter() {
                        if let Value::Obj(o) = style {
                            self.sheet_styles.insert(
                                *o as *const std::cell::RefCell<ObjEntries<'a>> as usize,
                                *o,
                            );
                        }
                    }
                }
                a0
            }
            Builtin::Noop => Value::Undef,
            Builtin::HocFactory => Value::Builtin(Builtin::Identity),
            Builtin::True => Value::Bool(true),
            Builtin::CallArg0 | Builtin::UseMemo => self.call(&a0, None, vec![], module, offset)?,
            Builtin::StyleSheetFlatten => {
                let mut acc = Vec::new();
                flatten_style(&a0, &mut acc);
                new_obj(self.alloc, acc)
            }
            Builtin::PlatformSelect => match &a0 {
                Value::Obj(o) => obj_get(o, self.project.target.platform.as_str())
                    .or_else(|| obj_get(o, "native"))
                    .or_else(|| obj_get(o, "default"))
                    .unwrap_or(Value::Undef),
                other => unknown_from(self.alloc, other, "Platform.select argument"),
            },
            Builtin::DimensionsGet | Builtin::UseWindowDimensions => self.ext().dimensions_value(),
            Builtin::PixelRatioGet => Value::Num(self.device.scale),
            Builtin::UseColorScheme => Value::str(self.alloc, "light"),
            Builtin::UseColorSchemeObj => new_obj(
                self.alloc,
                vec![
                    ("colorScheme", Value::str(self.alloc, "light")),
                    ("setColorScheme", Value::Builtin(Builtin::Noop)),
                    ("toggleColorScheme", Value::Builtin(Builtin::Noop)),
                ],
            ),
            Builtin::UseState | Builtin::UseReducer => {
                let init = if b == Builtin::UseReducer {
                    args.get(1).cloned().unwrap_or(Value::Undef)
                } else {
                    a0
                };
                let init = match init {
                    f @ (Value::Func(_) | Value::Builtin(_)) if b == Builtin::UseState => {
                        self.call(&f, None, vec![], module, offset)?
                    }
                    v => v,
                };
                self.arr(vec![init, Value::Builtin(Builtin::Noop)])
            }
            Builtin::UseRef => new_obj(self.alloc, vec![("current", a0)]),
            Builtin::UseSharedValue => new_obj(self.alloc, vec![("value", a0)]),
            Builtin::CreateElement => {
                let mut it = args.into_iter();
                let ty = it.next().unwrap_or(Value::Undef);
                let props: Obj<'a> = match it.next() {
                    Some(Value::Obj(p)) => obj_of(self.alloc, p.borrow().to_vec()),
                    _ => empty_obj(self.alloc),
                };
                let children: Vec<Value<'a>> = it.collect();
                super::set_children(self.alloc, &props, children.into());
                Value::Elem(self.alloc.alloc(Elem {
                    ty,
                    props,
                    module,
                    offset,
                }))
            }
            Builtin::FontsLoaded => {
                self.record_loaded_fonts(&a0);
                self.arr(vec![Value::Bool(true), Value::Null])
            }
            Builtin::LoadFonts => {
                self.record_loaded_fonts(&a0);
                Value::Undef
            }
            Builtin::CreateContext => {
                let id = self.next_ctx;
                self.next_ctx += 1;
                self.ctx_modules.push((id, module));
                Value::Ctx(id, self.alloc.alloc(a0))
            }
            Builtin::UseContext => match &a0 {
                Value::Ctx(id, default) => match self.context_value(*id) {
                    Some(v) => v,
                    None if default.is_nullish() => self.provider_value(*id)?.unwrap_or(**default),
                    None => **default,
                },
                other => unknown_from(self.alloc, other, "context"),
            },
            Builtin::UseStyledTheme => self.context_value(STYLED_THEME_CTX).unwrap_or_else(|| {
                Value::unknown(
                    self.alloc,
                    "no styled-components ThemeProvider value is known",
                )
            }),
            Builtin::KittenTheme => self.table_theme(super::KITTEN_THEME),
            Builtin::KittenStyleSheet => self.themed_styles(super::KITTEN_THEME, a0),
            Builtin::UseSafeAreaInsets => self.ext().insets(),
            Builtin::UseSafeAreaFrame => self.ext().window_frame(),
            Builtin::GetPrototypeOf => Value::Builtin(Builtin::Noop),
            Builtin::CreateClass => {
                if let Value::Func(c) = &a0 {
                    let proto = match c.static_member("prototype") {
                        Some(Value::Obj(p)) => p,
                        _ => {
                            let p = empty_obj(self.alloc);
                            obj_set(&c.statics_mut(self.alloc), "prototype", Value::Obj(p));
                            p
                        }
                    };
                    for (i, target) in [(1, proto), (2, c.statics_mut(self.alloc))] {
                        let Some(Value::Arr(members)) = args.get(i) else {
                            continue;
                        };
                        for m in members.iter() {
                            let Value::Obj(m) = m else { continue };
                            if let (Some(k), Some(v)) = (
                                obj_get(m, "key").and_then(|k| k.to_display()),
                                obj_get(m, "value"),
                            ) {
                                obj_set(&target, &k, v);
                            }
                        }
                    }
                }
                a0
            }
            Builtin::I18nConstants => new_obj(
                self.alloc,
                vec![
                    ("isRTL", Value::Bool(false)),
                    ("doLeftAndRightSwapInRTL", Value::Bool(true)),
                ],
            ),
            Builtin::UseNavigation => self.ext().navigation(),
            Builtin::UseRouter => self.ext().router(),
            Builtin::UseRoute => new_obj(
                self.alloc,
                vec![("params", Value::unknown(self.alloc, ROUTE_PARAMS))],
            ),
            Builtin::UseParams => Value::unknown(self.alloc, ROUTE_PARAMS),
            Builtin::UseNavTheme => self
                .context_value(NAV_THEME_CTX)
                .unwrap_or_else(|| self.ext().nav_default_theme()),
            Builtin::UseTranslation => new_obj(
                self.alloc,
                vec![
                    ("t", Value::Builtin(Builtin::Translate)),
                    (
                        "i18n",
                        new_obj(self.alloc, vec![("language", Value::str(self.alloc, "en"))]),
                    ),
                ],
            ),
            Builtin::Translate => {
                let options = args.get(1).cloned().unwrap_or(Value::Undef);
                let default = match &options {
                    Value::Str(s) => Some(*s),
                    Value::Obj(o) => match obj_get(o, "defaultValue") {
                        Some(Value::Str(s)) => Some(s),
                        _ => None,
                    },
                    _ => None,
                };
                let Value::Str(key) = &a0 else {
                    return Ok(unknown_from(self.alloc, &a0, "translation key"));
                };
                if let Some((text, file)) = self.english_translation(key)? {
                    // Once per screen, located at the locale file.
                    self.warn(
                        "i18n-locale",
                        "translations are shown in English".into(),
                        file,
                        0,
                    );
                    return Ok(Value::str(self.alloc, &interpolate(&text, &options)));
                }
                match default {
                    Some(d) => Value::Str(d),
                    None => {
                        self.warn(
                            "i18n-key",
                            format!("translation of `{key}` is not known; the key is shown"),
                            module,
                            offset,
                        );
                        a0
                    }
                }
            }
            Builtin::ClassNames => {
                let mut parts = Vec::new();
                for a in &args {
                    class_parts(a, &mut parts);
                }
                Value::str(self.alloc, &parts.join(" "))
            }
            Builtin::AnimatedValue => match a0 {
                Value::Num(_) => a0,
                Value::Obj(_) => a0,
                other => unknown_from(self.alloc, &other, "animated value"),
            },
            Builtin::CreateNavigator => new_obj(
                self.alloc,
                vec![
                    (
                        "Navigator",
                        Value::ext(self.alloc, "@react-navigation", "Navigator"),
                    ),
                    ("Screen", Value::Host("Nothing")),
                    ("Group", Value::Fragment),
                ],
            ),
            Builtin::Styled => Value::StyledFactory(self.alloc.alloc((a0, None))),
            Builtin::Css => a0,
            Builtin::ObjectKeys | Builtin::ObjectValues | Builtin::ObjectEntries => match &a0 {
                Value::Obj(o) => self.arr(
                    o.borrow()
                        .iter()
                        .map(|(k, v)| match b {
                            Builtin::ObjectKeys => Value::Str(k),
                            Builtin::ObjectValues => *v,
                            _ => Value::arr(self.alloc, &[Value::Str(k), *v]),
                        })
                        .collect(),
                ),
                other => unknown_from(self.alloc, other, "Object.keys argument"),
            },
            Builtin::ObjectAssign => {
                self.style_cache.clear();
                let target = match &a0 {
                    Value::Obj(o) => *o,
                    other => return Ok(unknown_from(self.alloc, other, "Object.assign target")),
                };
                for a in args.iter().skip(1) {
                    if let Value::Obj(src) = a {
                        let entries = src.borrow().to_vec();
                        for (k, v) in entries {
                            obj_set_key(&target, k, v);
                        }
                    }
                }
                Value::Obj(target)
            }
            Builtin::ArrayIsArray => match a0 {
                Value::Unknown(_) => a0,
                v => Value::Bool(matches!(v, Value::Arr(_))),
            },
            Builtin::ArrayFrom if !matches!(a0, Value::Obj(_)) => match self.iterate(&a0) {
                Some(items) => match args.get(1) {
                    Some(f) => {
                        let mut out = Vec::with_capacity(items.len());
                        for (i, x) in items.into_iter().enumerate() {
                            out.push(self.call(
                                f,
                                None,
                                vec![x, Value::Num(i as f64)],
                                module,
                                offset,
                            )?);
                        }
                        self.arr(out)
                    }
                    None => self.arr(items),
                },
                None => unknown_from(self.alloc, &a0, "Array.from argument"),
            },
            Builtin::ArrayFrom => match &a0 {
                Value::Arr(_) => a0,
                Value::Obj(o) => match obj_get(o, "length").and_then(|l| l.to_num()) {
                    Some(n) if n >= 0.0 => {
                        self.check_len(n as usize)?;
                        let f = args.get(1).cloned();
                        let mut out = Vec::new();
                        for i in 0..n as usize {
                            out.push(match &f {
                                Some(f) => self.call(
                                    f,
                                    None,
                                    vec![Value::Undef, Value::Num(i as f64)],
                                    module,
                                    offset,
                                )?,
                                None => Value::Undef,
                            });
                        }
                        self.arr(out)
                    }
                    _ => Value::unknown(self.alloc, "Array.from of an unknown length"),
                },
                other => unknown_from(self.alloc, other, "Array.from argument"),
            },
            Builtin::Math(f) => {
                let nums: Option<Vec<f64>> = args.iter().map(|a| a.to_num()).collect();
                let Some(n) = nums else {
                    return Ok(Value::unknown(self.alloc, "Math of unknown values"));
                };
                let x = n.first().copied().unwrap_or(f64::NAN);
                Value::Num(match f {
                    MathFn::Min => n.iter().copied().fold(f64::INFINITY, f64::min),
                    MathFn::Max => n.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                    MathFn::Round => x.round(),
                    MathFn::Floor => x.floor(),
                    MathFn::Ceil => x.ceil(),
                    MathFn::Abs => x.abs(),
                    MathFn::Pow => x.powf(n.get(1).copied().unwrap_or(f64::NAN)),
                    MathFn::Sqrt => x.sqrt(),
                })
            }
            Builtin::ToNumber | Builtin::ParseFloat => a0
                .to_num()
                .map_or_else(|| unknown_from(self.alloc, &a0, "number"), Value::Num),
            Builtin::ToString => a0.to_display().map_or_else(
                || unknown_from(self.alloc, &a0, "string"),
                |s| Value::str(self.alloc, &s),
            ),
            Builtin::ToBoolean => a0
                .truthy()
                .map_or_else(|| unknown_from(self.alloc, &a0, "boolean"), Value::Bool),
            Builtin::Require => Value::unknown(self.alloc, "dynamic require"),
            Builtin::DefineProperty => {
                let key = args.get(1).and_then(|k| k.to_display());
                let (Value::Obj(target), Some(key), Some(Value::Obj(desc))) =
                    (&a0, key, args.get(2))
                else {
                    return Ok(a0);
                };
                let v = match (obj_get(desc, "get"), obj_get(desc, "value")) {
                    (Some(Value::Func(g)), _) => Value::Getter(g),
                    (_, Some(v)) => v,
                    (Some(other), None) => unknown_from(self.alloc, &other, "property getter"),
                    (None, None) => Value::Undef,
                };
                self.style_cache.clear();
                obj_set(target, &key, v);
                a0
            }
            Builtin::HasOwnProperty => match (&a0, args.get(1).and_then(|k| k.to_display())) {
                (Value::Obj(o), Some(k)) => Value::Bool(obj_get(o, &k).is_some()),
                (Value::Unknown(_), _) => a0,
                _ => Value::Bool(false),
            },
            Builtin::InteropDefault => {
                if self.is_es_module(&a0) {
                    a0
                } else {
                    new_obj(self.alloc, vec![("default", a0)])
                }
            }
            Builtin::InteropWildcard => match &a0 {
                // A package whose code is not provided: its names are read from it as they are.
                Value::Ext(_) => a0,
                Value::Obj(_) if self.is_es_module(&a0) => a0,
                Value::Obj(o) => {
                    let copy = obj_of(self.alloc, o.borrow().to_vec());
                    obj_set_key(&copy, "default", a0);
                    Value::Obj(copy)
                }
                _ => new_obj(self.alloc, vec![("default", a0)]),
            },
            Builtin::ObjectWithoutProperties => {
                let excluded: Vec<String> = match args.get(1) {
                    Some(Value::Arr(keys)) => keys.iter().filter_map(|k| k.to_display()).collect(),
                    _ => Vec::new(),
                };
                match &a0 {
                    Value::Obj(o) => new_obj(
                        self.alloc,
                        o.borrow()
                            .iter()
                            .filter(|(k, _)| !excluded.iter().any(|x| x == k))
                            .copied()
                            .collect::<Vec<_>>(),
                    ),
                    Value::Undef | Value::Null => new_obj(self.alloc, vec![]),
                    other => unknown_from(self.alloc, other, "object rest"),
                }
            }
            Builtin::DefinePropertyHelper => {
                if let (Value::Obj(o), Some(k)) = (&a0, args.get(1).and_then(|k| k.to_display())) {
                    self.style_cache.clear();
                    obj_set(o, &k, args.get(2).copied().unwrap_or(Value::Undef));
                }
                a0
            }
            Builtin::Ctor(k) => self.call_ctor(k, args, false, module, offset)?,
            Builtin::Fact(i) => self.call_fact(i),
            Builtin::Lib(f) => self.call_lib(f, args, module, offset)?,
            Builtin::DateNow => Value::Num(super::dates::PREVIEW_NOW_MS),
            Builtin::DateParse => match a0.to_display() {
                Some(s) => Value::Num(super::dates::parse(&s)),
                None => unknown_from(self.alloc, &a0, "date string"),
            },
            Builtin::DateUtc => {
                let nums: Option<Vec<f64>> = args.iter().map(|a| a.to_num()).collect();
                match nums {
                    Some(n) => {
                        let f = |i: usize, d: f64| n.get(i).copied().unwrap_or(d);
                        Value::Num(super::dates::instant(
                            f(0, f64::NAN),
                            f(1, 0.0),
                            f(2, 1.0),
                            f(3, 0.0),
                            f(4, 0.0),
                            f(5, 0.0),
                            f(6, 0.0),
                        ))
                    }
                    None => Value::unknown(self.alloc, "Date.UTC of unknown fields"),
                }
            }
            Builtin::JsonStringify => match a0 {
                Value::Undef | Value::Func(_) => Value::Undef,
                v => match v.to_json() {
                    Ok(j) => Value::str(self.alloc, &j.to_string()),
                    Err(why) => {
                        Value::unknown(self.alloc, format!("JSON of a value not known ({why})"))
                    }
                },
            },
            Builtin::JsonParse => match &a0 {
                Value::Str(s) => match serde_json::from_str::<serde_json::Value>(s) {
                    Ok(j) => super::json_to_value(self.alloc, &j),
                    Err(_) => Value::unknown(self.alloc, "JSON.parse of text that is not JSON"),
                },
                other => unknown_from(self.alloc, other, "JSON text"),
            },
            Builtin::NumberIs(t) => match a0 {
                Value::Unknown(_) => a0,
                Value::Num(n) => Value::Bool(match t {
                    NumberTest::Integer => n.is_finite() && n.fract() == 0.0,
                    NumberTest::Finite => n.is_finite(),
                    NumberTest::NaN => n.is_nan(),
                }),
                _ => Value::Bool(false),
            },
            Builtin::ArrayOf => self.arr(args.clone()),
            Builtin::ObjectFromEntries => match self.iterate(&a0) {
                Some(items) => {
                    let o = empty_obj(self.alloc);
                    for it in items {
                        let k = self.get_prop(&it, "0");
                        let v = self.get_prop(&it, "1");
                        match k.to_display() {
                            Some(k) => obj_set(&o, &k, v),
                            None => return Ok(unknown_from(self.alloc, &k, "entry key")),
                        }
                    }
                    Value::Obj(o)
                }
                None => unknown_from(self.alloc, &a0, "Object.fromEntries argument"),
            },
            Builtin::Jsx => {
                // `jsx(type, props, key)`: the children are in the props already.
                let ty = a0;
                let props: Obj<'a> = match args.get(1) {
                    Some(Value::Obj(p)) => obj_of(
                        self.alloc,
                        p.borrow()
                            .iter()
                            .filter(|(k, _)| *k != "key")
                            .copied()
                            .collect::<Vec<_>>(),
                    ),
                    _ => empty_obj(self.alloc),
                };
                Value::Elem(self.alloc.alloc(Elem {
                    ty,
                    props,
                    module,
                    offset,
                }))
            }
        })
    }
}

/// `{{name}}` / `%{name}` placeholders filled from known options.
fn interpolate(text: &str, options: &Value<'_>) -> String {
    let Value::Obj(o) = options else {
        return text.to_string();
    };
    let mut out = text.to_string();
    for (k, v) in o.borrow().iter() {
        if let Some(v) = v.to_display() {
            for pat in [
                format!("{{{{{k}}}}}"),
                format!("{{{{ {k} }}}}"),
                format!("%{{{k}}}"),
            ] {
                out = out.replace(&pat, &v);
            }
        }
    }
    out
}

fn is_english_locale_file(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let in_i18n_dir = [
        "i18n/",
        "locales/",
        "locale/",
        "translations/",
        "lang/",
        "languages/",
    ]
    .iter()
    .any(|d| lower.contains(d));
    let name = lower.rsplit('/').next().unwrap_or("");
    let parent = lower.rsplit('/').nth(1).unwrap_or("");
    let stem = name.split('.').next().unwrap_or("");
    in_i18n_dir
        && (matches!(stem, "en" | "en-us" | "en_us" | "en-gb")
            || (matches!(parent, "en" | "en-us") && name.ends_with(".json")))
}

fn class_parts(v: &Value<'_>, out: &mut Vec<String>) {
    match v {
        Value::Str(s) if !s.is_empty() => out.push(s.to_string()),
        Value::Arr(xs) => xs.iter().for_each(|x| class_parts(x, out)),
        Value::Obj(o) => {
            for (k, v) in o.borrow().iter() {
                if v.truthy() == Some(true) {
                    out.push(k.to_string());
                }
            }
        }
        _ => {}
    }
}

/// The most items `push` / `unshift` grow an array to (each copies it: arrays are values).
const MAX_GROWN_ARRAY: usize = 20_000;

/// Static members of the builtins that have them (`Date.now`, `Number.isInteger`,
/// `Array.from`); `undefined` for others.
pub(super) fn builtin_static<'a>(b: Builtin, key: &str) -> Value<'a> {
    use super::natives::Ctor;
    Value::Builtin(match (b, key) {
        (Builtin::Ctor(Ctor::Date), "now") => Builtin::DateNow,
        (Builtin::Ctor(Ctor::Date), "parse") => Builtin::DateParse,
        (Builtin::Ctor(Ctor::Date), "UTC") => Builtin::DateUtc,
        (Builtin::Ctor(Ctor::Array), "isArray") => Builtin::ArrayIsArray,
        (Builtin::Ctor(Ctor::Array), "from") => Builtin::ArrayFrom,
        (Builtin::Ctor(Ctor::Array), "of") => Builtin::ArrayOf,
        (Builtin::ToNumber, "isInteger" | "isSafeInteger") => {
            Builtin::NumberIs(NumberTest::Integer)
        }
        (Builtin::ToNumber, "isFinite") => Builtin::NumberIs(NumberTest::Finite),
        (Builtin::ToNumber, "isNaN") => Builtin::NumberIs(NumberTest::NaN),
        (Builtin::ToNumber, "parseFloat" | "parseInt") => Builtin::ParseFloat,
        (Builtin::ToNumber, "MAX_SAFE_INTEGER") => return Value::Num(9007199254740991.0),
        (Builtin::ToNumber, "EPSILON") => return Value::Num(f64::EPSILON),
        (Builtin::ToNumber, "MAX_VALUE") => return Value::Num(f64::MAX),
        (Builtin::ToNumber, "POSITIVE_INFINITY") => return Value::Num(f64::INFINITY),
        (Builtin::ToNumber, "NEGATIVE_INFINITY") => return Value::Num(f64::NEG_INFINITY),
        (Builtin::Ctor(Ctor::Array | Ctor::Date | Ctor::Map | Ctor::Set), "prototype") => {
            return Value::Undef;
        }
        _ => return Value::Undef,
    })
}

/// An integer in base `radix` (2-36), as `Number.prototype.toString(radix)` writes it.
fn to_radix(mut n: i64, radix: u32) -> String {
    if n == 0 {
        return "0".into();
    }
    let negative = n < 0;
    let mut digits = Vec::new();
    while n != 0 {
        let d = (n % radix as i64).unsigned_abs() as u32;
        digits.push(std::char::from_digit(d, radix).unwrap_or('0'));
        n /= radix as i64;
    }
    if negative {
        digits.push('-');
    }
    digits.iter().rev().collect()
}
