//! NativeWind / Tailwind `className` utilities -> React Native style (the common subset:
//! spacing, sizing, flex, position, colours of the default palette with `/opacity`, text,
//! borders, radii, opacity). `dark:` and interaction variants (`active:`, `hover:`, `focus:`)
//! are skipped (light scheme, unpressed state); `ios:`/`android:` and `sm:`/`md:`/`lg:`/`xl:`
//! apply according to the target. Unknown utilities are reported, never guessed.

use serde_json::{Value as Json, json};

/// What the variants depend on.
pub(crate) struct TwTarget<'t> {
    /// `"ios"` or `"android"`.
    pub platform: &'t str,
    /// Device width in points (for breakpoints).
    pub width: f64,
    /// Project colours from tailwind.config (`primary`, `primary-500`, ...).
    pub colors: &'t [(String, String)],
}

/// Colours defined in a `tailwind.config.{js,ts,cjs}` among the inputs, flattened to class
/// names (`{ brand: { DEFAULT: '#f00', 600: '#c00' } }` -> `brand`, `brand-600`).
pub(crate) fn config_colors(files: &[crate::project::ParsedFile<'_>]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for f in files {
        let name = f.path.rsplit('/').next().unwrap_or("");
        if !name.starts_with("tailwind.config.") {
            continue;
        }
        let crate::project::FileKind::Script(p) = f.kind else {
            continue;
        };
        let mut found = Vec::new();
        for stmt in &p.body {
            crate::resolve::stmt_keyed_literals(stmt, &["colors"], &mut found);
        }
        for (_, v) in found {
            flatten_colors("", &v, &mut out);
        }
    }
    out
}

fn flatten_colors(prefix: &str, v: &Json, out: &mut Vec<(String, String)>) {
    match v {
        Json::String(c) if !prefix.is_empty() => out.push((prefix.to_string(), c.clone())),
        Json::Object(m) => {
            for (k, v) in m {
                let name = match (prefix, k.as_str()) {
                    (p, "DEFAULT") => p.to_string(),
                    ("", k) => k.to_string(),
                    (p, k) => format!("{p}-{k}"),
                };
                flatten_colors(&name, v, out);
            }
        }
        _ => {}
    }
}

fn num(n: f64) -> Json {
    if n.fract() == 0.0 {
        json!(n as i64)
    } else {
        json!(n)
    }
}

fn palette(name: &str) -> Option<&'static str> {
    match name {
        "white" => return Some("#ffffff"),
        "black" => return Some("#000000"),
        "transparent" => return Some("transparent"),
        _ => {}
    }
    PALETTE.iter().find(|(k, _)| *k == name).map(|(_, v)| *v)
}

fn color(spec: &str, custom: &[(String, String)]) -> Option<Json> {
    if let Some(arb) = spec.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
        return Some(Json::String(arb.to_string()));
    }
    let (name, alpha) = match spec.split_once('/') {
        Some((n, a)) => (n, Some(a.parse::<f64>().ok()? / 100.0)),
        None => (spec, None),
    };
    let hex = match custom.iter().rev().find(|(k, _)| k == name) {
        Some((_, v)) => v.as_str(),
        None => palette(name)?,
    };
    match alpha {
        None => Some(Json::String(hex.to_string())),
        Some(a) if hex.len() == 7 && hex.starts_with('#') && hex.is_ascii() => {
            let p = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap_or(0);
            Some(Json::String(format!(
                "rgba({}, {}, {}, {})",
                p(1),
                p(3),
                p(5),
                a
            )))
        }
        Some(_) => Some(Json::String(hex.to_string())),
    }
}

/// Spacing/sizing scale value: `4` -> 16, `px` -> 1, `1/2` -> "50%", `full` -> "100%", `[13px]` -> 13.
fn scale(v: &str, sizing: bool) -> Option<Json> {
    if let Some(arb) = v.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
        let t = arb.trim_end_matches("px");
        return Some(
            t.parse::<f64>()
                .map(num)
                .unwrap_or_else(|_| Json::String(arb.to_string())),
        );
    }
    match v {
        "px" => return Some(num(1.0)),
        "auto" => return Some(json!("auto")),
        "full" if sizing => return Some(json!("100%")),
        _ => {}
    }
    if let Some((a, b)) = v.split_once('/') {
        let (a, b) = (a.parse::<f64>().ok()?, b.parse::<f64>().ok()?);
        let pct = (a / b * 100.0 * 1e4).round() / 1e4;
        return Some(Json::String(format!("{}%", num(pct))));
    }
    let n: f64 = v.parse().ok()?;
    Some(num(n * 4.0))
}

fn radius(v: &str) -> Option<Json> {
    Some(num(match v {
        "" => 4.0,
        "none" => 0.0,
        "sm" => 2.0,
        "md" => 6.0,
        "lg" => 8.0,
        "xl" => 12.0,
        "2xl" => 16.0,
        "3xl" => 24.0,
        "full" => 9999.0,
        _ => return scale(v, false).filter(|_| v.starts_with('[')),
    }))
}

fn one(class: &str, custom: &[(String, String)]) -> Option<Vec<(&'static str, Json)>> {
    let (neg, c) = match class.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, class),
    };
    let negate = |j: Json| {
        if neg {
            j.as_f64().map_or(j.clone(), |n| num(-n))
        } else {
            j
        }
    };
    let fixed: Option<Vec<(&'static str, Json)>> = match c {
        "flex" => Some(vec![("display", json!("flex"))]),
        "hidden" => Some(vec![("display", json!("none"))]),
        "flex-row" => Some(vec![("flexDirection", json!("row"))]),
        "flex-col" => Some(vec![("flexDirection", json!("column"))]),
        "flex-row-reverse" => Some(vec![("flexDirection", json!("row-reverse"))]),
        "flex-col-reverse" => Some(vec![("flexDirection", json!("column-reverse"))]),
        "flex-wrap" => Some(vec![("flexWrap", json!("wrap"))]),
        "flex-nowrap" => Some(vec![("flexWrap", json!("nowrap"))]),
        "flex-1" => Some(vec![("flex", json!(1))]),
        "flex-auto" => Some(vec![
            ("flexGrow", json!(1)),
            ("flexShrink", json!(1)),
            ("flexBasis", json!("auto")),
        ]),
        "flex-none" => Some(vec![
            ("flexGrow", json!(0)),
            ("flexShrink", json!(0)),
            ("flexBasis", json!("auto")),
        ]),
        "grow" | "flex-grow" => Some(vec![("flexGrow", json!(1))]),
        "grow-0" | "flex-grow-0" => Some(vec![("flexGrow", json!(0))]),
        "shrink" | "flex-shrink" => Some(vec![("flexShrink", json!(1))]),
        "shrink-0" | "flex-shrink-0" => Some(vec![("flexShrink", json!(0))]),
        "absolute" => Some(vec![("position", json!("absolute"))]),
        "relative" => Some(vec![("position", json!("relative"))]),
        "overflow-hidden" => Some(vec![("overflow", json!("hidden"))]),
        "overflow-visible" => Some(vec![("overflow", json!("visible"))]),
        "overflow-scroll" => Some(vec![("overflow", json!("scroll"))]),
        "italic" => Some(vec![("fontStyle", json!("italic"))]),
        "underline" => Some(vec![("textDecorationLine", json!("underline"))]),
        "line-through" => Some(vec![("textDecorationLine", json!("line-through"))]),
        "uppercase" => Some(vec![("textTransform", json!("uppercase"))]),
        "lowercase" => Some(vec![("textTransform", json!("lowercase"))]),
        "capitalize" => Some(vec![("textTransform", json!("capitalize"))]),
        "text-left" => Some(vec![("textAlign", json!("left"))]),
        "text-center" => Some(vec![("textAlign", json!("center"))]),
        "text-right" => Some(vec![("textAlign", json!("right"))]),
        "text-justify" => Some(vec![("textAlign", json!("justify"))]),
        "border" => Some(vec![("borderWidth", json!(1))]),
        "border-solid" => Some(vec![("borderStyle", json!("solid"))]),
        "border-dashed" => Some(vec![("borderStyle", json!("dashed"))]),
        "border-dotted" => Some(vec![("borderStyle", json!("dotted"))]),
        "aspect-square" => Some(vec![("aspectRatio", json!(1))]),
        "aspect-video" => Some(vec![("aspectRatio", num(16.0 / 9.0))]),
        _ => None,
    };
    if fixed.is_some() {
        return fixed;
    }
    // Prefixes with a dash in them (min-w, gap-x, rounded-t, ...) are matched on the full head.
    let try_spacing = |head: &str, val: &str| -> Option<Vec<(&'static str, Json)>> {
        let sizing = matches!(
            head,
            "w" | "h" | "min-w" | "min-h" | "max-w" | "max-h" | "size" | "basis"
        );
        let v = negate(scale(
            val,
            sizing || matches!(head, "top" | "left" | "right" | "bottom" | "inset"),
        )?);
        let keys: &[&'static str] = match head {
            "p" => &["padding"],
            "px" => &["paddingHorizontal"],
            "py" => &["paddingVertical"],
            "pt" => &["paddingTop"],
            "pr" => &["paddingRight"],
            "pb" => &["paddingBottom"],
            "pl" => &["paddingLeft"],
            "ps" => &["paddingStart"],
            "pe" => &["paddingEnd"],
            "m" => &["margin"],
            "mx" => &["marginHorizontal"],
            "my" => &["marginVertical"],
            "mt" => &["marginTop"],
            "mr" => &["marginRight"],
            "mb" => &["marginBottom"],
            "ml" => &["marginLeft"],
            "ms" => &["marginStart"],
            "me" => &["marginEnd"],
            "gap" => &["gap"],
            "gap-x" => &["columnGap"],
            "gap-y" => &["rowGap"],
            "w" => &["width"],
            "h" => &["height"],
            "size" => &["width", "height"],
            "min-w" => &["minWidth"],
            "min-h" => &["minHeight"],
            "max-w" => &["maxWidth"],
            "max-h" => &["maxHeight"],
            "top" => &["top"],
            "right" => &["right"],
            "bottom" => &["bottom"],
            "left" => &["left"],
            "inset" => &["top", "right", "bottom", "left"],
            "inset-x" => &["left", "right"],
            "inset-y" => &["top", "bottom"],
            "basis" => &["flexBasis"],
            _ => return None,
        };
        Some(keys.iter().map(|k| (*k, v.clone())).collect())
    };
    // Longest head first: "min-w-4" -> ("min-w", "4").
    for (i, _) in c.match_indices('-').collect::<Vec<_>>().into_iter().rev() {
        let (head, val) = (&c[..i], &c[i + 1..]);
        if let Some(r) = try_spacing(head, val) {
            return Some(r);
        }
    }
    let (head, val) = c.split_once('-')?;
    Some(match head {
        "bg" => vec![("backgroundColor", color(val, custom)?)],
        "text" => match val {
            "xs" => vec![("fontSize", json!(12)), ("lineHeight", json!(16))],
            "sm" => vec![("fontSize", json!(14)), ("lineHeight", json!(20))],
            "base" => vec![("fontSize", json!(16)), ("lineHeight", json!(24))],
            "lg" => vec![("fontSize", json!(18)), ("lineHeight", json!(28))],
            "xl" => vec![("fontSize", json!(20)), ("lineHeight", json!(28))],
            "2xl" => vec![("fontSize", json!(24)), ("lineHeight", json!(32))],
            "3xl" => vec![("fontSize", json!(30)), ("lineHeight", json!(36))],
            "4xl" => vec![("fontSize", json!(36)), ("lineHeight", json!(40))],
            "5xl" => vec![("fontSize", json!(48))],
            "6xl" => vec![("fontSize", json!(60))],
            v if v.starts_with("[")
                && v.trim_matches(['[', ']'])
                    .trim_end_matches("px")
                    .parse::<f64>()
                    .is_ok() =>
            {
                vec![("fontSize", scale(v, false)?)]
            }
            v => vec![("color", color(v, custom)?)],
        },
        "font" => vec![(
            "fontWeight",
            json!(match val {
                "thin" => "100",
                "extralight" => "200",
                "light" => "300",
                "normal" => "400",
                "medium" => "500",
                "semibold" => "600",
                "bold" => "700",
                "extrabold" => "800",
                "black" => "900",
                _ => return None,
            }),
        )],
        "leading" => vec![(
            "lineHeight",
            match val {
                "none" | "tight" | "snug" | "normal" | "relaxed" | "loose" => return None,
                v => scale(v, false)?,
            },
        )],
        "tracking" => return None,
        "items" => vec![("alignItems", json!(align(val)?))],
        "self" => vec![("alignSelf", json!(align(val)?))],
        "content" => vec![("alignContent", json!(align(val)?))],
        "justify" => vec![(
            "justifyContent",
            json!(match val {
                "start" => "flex-start",
                "end" => "flex-end",
                "center" => "center",
                "between" => "space-between",
                "around" => "space-around",
                "evenly" => "space-evenly",
                _ => return None,
            }),
        )],
        "opacity" => vec![("opacity", num(val.parse::<f64>().ok()? / 100.0))],
        "z" => vec![("zIndex", num(val.parse().ok()?))],
        "rounded" => {
            let (corner, size) = match val.split_once('-') {
                Some((c, s)) if matches!(c, "t" | "b" | "l" | "r" | "tl" | "tr" | "bl" | "br") => {
                    (c, s)
                }
                _ if matches!(val, "t" | "b" | "l" | "r" | "tl" | "tr" | "bl" | "br") => (val, ""),
                _ => ("", val),
            };
            let r = radius(size)?;
            let keys: &[&'static str] = match corner {
                "" => &["borderRadius"],
                "t" => &["borderTopLeftRadius", "borderTopRightRadius"],
                "b" => &["borderBottomLeftRadius", "borderBottomRightRadius"],
                "l" => &["borderTopLeftRadius", "borderBottomLeftRadius"],
                "r" => &["borderTopRightRadius", "borderBottomRightRadius"],
                "tl" => &["borderTopLeftRadius"],
                "tr" => &["borderTopRightRadius"],
                "bl" => &["borderBottomLeftRadius"],
                _ => &["borderBottomRightRadius"],
            };
            keys.iter().map(|k| (*k, r.clone())).collect()
        }
        "border" => {
            let (side, w) = match val.split_once('-') {
                Some((s, w)) if matches!(s, "t" | "b" | "l" | "r" | "x" | "y") => (s, w),
                _ if matches!(val, "t" | "b" | "l" | "r" | "x" | "y") => (val, "1"),
                _ => ("", val),
            };
            match w.parse::<f64>() {
                Ok(n) => {
                    let keys: &[&'static str] = match side {
                        "" => &["borderWidth"],
                        "t" => &["borderTopWidth"],
                        "b" => &["borderBottomWidth"],
                        "l" => &["borderLeftWidth"],
                        "r" => &["borderRightWidth"],
                        "x" => &["borderLeftWidth", "borderRightWidth"],
                        _ => &["borderTopWidth", "borderBottomWidth"],
                    };
                    keys.iter().map(|k| (*k, num(n))).collect()
                }
                Err(_) if side.is_empty() => vec![("borderColor", color(val, custom)?)],
                Err(_) => return None,
            }
        }
        _ => return None,
    })
}

fn align(v: &str) -> Option<&'static str> {
    Some(match v {
        "start" => "flex-start",
        "end" => "flex-end",
        "center" => "center",
        "stretch" => "stretch",
        "baseline" => "baseline",
        "auto" => "auto",
        _ => return None,
    })
}

/// Converts a class string; returns the style entries (in class order, later wins) and the
/// classes it did not understand.
pub(crate) fn classes_to_style(
    classes: &str,
    t: &TwTarget<'_>,
) -> (Vec<(String, Json)>, Vec<String>) {
    let mut out = Vec::new();
    let mut unknown = Vec::new();
    'classes: for class in classes.split_whitespace() {
        let mut parts: Vec<&str> = class.split(':').collect();
        let base = parts.pop().unwrap_or("");
        for variant in parts {
            let applies = match variant {
                "ios" | "android" => variant == t.platform,
                "native" => true,
                "web" | "dark" | "active" | "hover" | "focus" | "pressed" | "disabled"
                | "group-hover" => false,
                "sm" => t.width >= 640.0,
                "md" => t.width >= 768.0,
                "lg" => t.width >= 1024.0,
                "xl" => t.width >= 1280.0,
                _ => {
                    unknown.push(class.to_string());
                    continue 'classes;
                }
            };
            if !applies {
                continue 'classes;
            }
        }
        let base = base.trim_start_matches('!');
        match one(base, t.colors) {
            Some(entries) => out.extend(entries.into_iter().map(|(k, v)| (k.to_string(), v))),
            None => unknown.push(class.to_string()),
        }
    }
    (out, unknown)
}

/// Tailwind CSS v3 default palette (tailwindcss 3.4.17, `lib/public/colors.js`).
const PALETTE: &[(&str, &str)] = &[
    ("slate-50", "#f8fafc"),
    ("slate-100", "#f1f5f9"),
    ("slate-200", "#e2e8f0"),
    ("slate-300", "#cbd5e1"),
    ("slate-400", "#94a3b8"),
    ("slate-500", "#64748b"),
    ("slate-600", "#475569"),
    ("slate-700", "#334155"),
    ("slate-800", "#1e293b"),
    ("slate-900", "#0f172a"),
    ("slate-950", "#020617"),
    ("gray-50", "#f9fafb"),
    ("gray-100", "#f3f4f6"),
    ("gray-200", "#e5e7eb"),
    ("gray-300", "#d1d5db"),
    ("gray-400", "#9ca3af"),
    ("gray-500", "#6b7280"),
    ("gray-600", "#4b5563"),
    ("gray-700", "#374151"),
    ("gray-800", "#1f2937"),
    ("gray-900", "#111827"),
    ("gray-950", "#030712"),
    ("zinc-50", "#fafafa"),
    ("zinc-100", "#f4f4f5"),
    ("zinc-200", "#e4e4e7"),
    ("zinc-300", "#d4d4d8"),
    ("zinc-400", "#a1a1aa"),
    ("zinc-500", "#71717a"),
    ("zinc-600", "#52525b"),
    ("zinc-700", "#3f3f46"),
    ("zinc-800", "#27272a"),
    ("zinc-900", "#18181b"),
    ("zinc-950", "#09090b"),
    ("neutral-50", "#fafafa"),
    ("neutral-100", "#f5f5f5"),
    ("neutral-200", "#e5e5e5"),
    ("neutral-300", "#d4d4d4"),
    ("neutral-400", "#a3a3a3"),
    ("neutral-500", "#737373"),
    ("neutral-600", "#525252"),
    ("neutral-700", "#404040"),
    ("neutral-800", "#262626"),
    ("neutral-900", "#171717"),
    ("neutral-950", "#0a0a0a"),
    ("stone-50", "#fafaf9"),
    ("stone-100", "#f5f5f4"),
    ("stone-200", "#e7e5e4"),
    ("stone-300", "#d6d3d1"),
    ("stone-400", "#a8a29e"),
    ("stone-500", "#78716c"),
    ("stone-600", "#57534e"),
    ("stone-700", "#44403c"),
    ("stone-800", "#292524"),
    ("stone-900", "#1c1917"),
    ("stone-950", "#0c0a09"),
    ("red-50", "#fef2f2"),
    ("red-100", "#fee2e2"),
    ("red-200", "#fecaca"),
    ("red-300", "#fca5a5"),
    ("red-400", "#f87171"),
    ("red-500", "#ef4444"),
    ("red-600", "#dc2626"),
    ("red-700", "#b91c1c"),
    ("red-800", "#991b1b"),
    ("red-900", "#7f1d1d"),
    ("red-950", "#450a0a"),
    ("orange-50", "#fff7ed"),
    ("orange-100", "#ffedd5"),
    ("orange-200", "#fed7aa"),
    ("orange-300", "#fdba74"),
    ("orange-400", "#fb923c"),
    ("orange-500", "#f97316"),
    ("orange-600", "#ea580c"),
    ("orange-700", "#c2410c"),
    ("orange-800", "#9a3412"),
    ("orange-900", "#7c2d12"),
    ("orange-950", "#431407"),
    ("amber-50", "#fffbeb"),
    ("amber-100", "#fef3c7"),
    ("amber-200", "#fde68a"),
    ("amber-300", "#fcd34d"),
    ("amber-400", "#fbbf24"),
    ("amber-500", "#f59e0b"),
    ("amber-600", "#d97706"),
    ("amber-700", "#b45309"),
    ("amber-800", "#92400e"),
    ("amber-900", "#78350f"),
    ("amber-950", "#451a03"),
    ("yellow-50", "#fefce8"),
    ("yellow-100", "#fef9c3"),
    ("yellow-200", "#fef08a"),
    ("yellow-300", "#fde047"),
    ("yellow-400", "#facc15"),
    ("yellow-500", "#eab308"),
    ("yellow-600", "#ca8a04"),
    ("yellow-700", "#a16207"),
    ("yellow-800", "#854d0e"),
    ("yellow-900", "#713f12"),
    ("yellow-950", "#422006"),
    ("lime-50", "#f7fee7"),
    ("lime-100", "#ecfccb"),
    ("lime-200", "#d9f99d"),
    ("lime-300", "#bef264"),
    ("lime-400", "#a3e635"),
    ("lime-500", "#84cc16"),
    ("lime-600", "#65a30d"),
    ("lime-700", "#4d7c0f"),
    ("lime-800", "#3f6212"),
    ("lime-900", "#365314"),
    ("lime-950", "#1a2e05"),
    ("green-50", "#f0fdf4"),
    ("green-100", "#dcfce7"),
    ("green-200", "#bbf7d0"),
    ("green-300", "#86efac"),
    ("green-400", "#4ade80"),
    ("green-500", "#22c55e"),
    ("green-600", "#16a34a"),
    ("green-700", "#15803d"),
    ("green-800", "#166534"),
    ("green-900", "#14532d"),
    ("green-950", "#052e16"),
    ("emerald-50", "#ecfdf5"),
    ("emerald-100", "#d1fae5"),
    ("emerald-200", "#a7f3d0"),
    ("emerald-300", "#6ee7b7"),
    ("emerald-400", "#34d399"),
    ("emerald-500", "#10b981"),
    ("emerald-600", "#059669"),
    ("emerald-700", "#047857"),
    ("emerald-800", "#065f46"),
    ("emerald-900", "#064e3b"),
    ("emerald-950", "#022c22"),
    ("teal-50", "#f0fdfa"),
    ("teal-100", "#ccfbf1"),
    ("teal-200", "#99f6e4"),
    ("teal-300", "#5eead4"),
    ("teal-400", "#2dd4bf"),
    ("teal-500", "#14b8a6"),
    ("teal-600", "#0d9488"),
    ("teal-700", "#0f766e"),
    ("teal-800", "#115e59"),
    ("teal-900", "#134e4a"),
    ("teal-950", "#042f2e"),
    ("cyan-50", "#ecfeff"),
    ("cyan-100", "#cffafe"),
    ("cyan-200", "#a5f3fc"),
    ("cyan-300", "#67e8f9"),
    ("cyan-400", "#22d3ee"),
    ("cyan-500", "#06b6d4"),
    ("cyan-600", "#0891b2"),
    ("cyan-700", "#0e7490"),
    ("cyan-800", "#155e75"),
    ("cyan-900", "#164e63"),
    ("cyan-950", "#083344"),
    ("sky-50", "#f0f9ff"),
    ("sky-100", "#e0f2fe"),
    ("sky-200", "#bae6fd"),
    ("sky-300", "#7dd3fc"),
    ("sky-400", "#38bdf8"),
    ("sky-500", "#0ea5e9"),
    ("sky-600", "#0284c7"),
    ("sky-700", "#0369a1"),
    ("sky-800", "#075985"),
    ("sky-900", "#0c4a6e"),
    ("sky-950", "#082f49"),
    ("blue-50", "#eff6ff"),
    ("blue-100", "#dbeafe"),
    ("blue-200", "#bfdbfe"),
    ("blue-300", "#93c5fd"),
    ("blue-400", "#60a5fa"),
    ("blue-500", "#3b82f6"),
    ("blue-600", "#2563eb"),
    ("blue-700", "#1d4ed8"),
    ("blue-800", "#1e40af"),
    ("blue-900", "#1e3a8a"),
    ("blue-950", "#172554"),
    ("indigo-50", "#eef2ff"),
    ("indigo-100", "#e0e7ff"),
    ("indigo-200", "#c7d2fe"),
    ("indigo-300", "#a5b4fc"),
    ("indigo-400", "#818cf8"),
    ("indigo-500", "#6366f1"),
    ("indigo-600", "#4f46e5"),
    ("indigo-700", "#4338ca"),
    ("indigo-800", "#3730a3"),
    ("indigo-900", "#312e81"),
    ("indigo-950", "#1e1b4b"),
    ("violet-50", "#f5f3ff"),
    ("violet-100", "#ede9fe"),
    ("violet-200", "#ddd6fe"),
    ("violet-300", "#c4b5fd"),
    ("violet-400", "#a78bfa"),
    ("violet-500", "#8b5cf6"),
    ("violet-600", "#7c3aed"),
    ("violet-700", "#6d28d9"),
    ("violet-800", "#5b21b6"),
    ("violet-900", "#4c1d95"),
    ("violet-950", "#2e1065"),
    ("purple-50", "#faf5ff"),
    ("purple-100", "#f3e8ff"),
    ("purple-200", "#e9d5ff"),
    ("purple-300", "#d8b4fe"),
    ("purple-400", "#c084fc"),
    ("purple-500", "#a855f7"),
    ("purple-600", "#9333ea"),
    ("purple-700", "#7e22ce"),
    ("purple-800", "#6b21a8"),
    ("purple-900", "#581c87"),
    ("purple-950", "#3b0764"),
    ("fuchsia-50", "#fdf4ff"),
    ("fuchsia-100", "#fae8ff"),
    ("fuchsia-200", "#f5d0fe"),
    ("fuchsia-300", "#f0abfc"),
    ("fuchsia-400", "#e879f9"),
    ("fuchsia-500", "#d946ef"),
    ("fuchsia-600", "#c026d3"),
    ("fuchsia-700", "#a21caf"),
    ("fuchsia-800", "#86198f"),
    ("fuchsia-900", "#701a75"),
    ("fuchsia-950", "#4a044e"),
    ("pink-50", "#fdf2f8"),
    ("pink-100", "#fce7f3"),
    ("pink-200", "#fbcfe8"),
    ("pink-300", "#f9a8d4"),
    ("pink-400", "#f472b6"),
    ("pink-500", "#ec4899"),
    ("pink-600", "#db2777"),
    ("pink-700", "#be185d"),
    ("pink-800", "#9d174d"),
    ("pink-900", "#831843"),
    ("pink-950", "#500724"),
    ("rose-50", "#fff1f2"),
    ("rose-100", "#ffe4e6"),
    ("rose-200", "#fecdd3"),
    ("rose-300", "#fda4af"),
    ("rose-400", "#fb7185"),
    ("rose-500", "#f43f5e"),
    ("rose-600", "#e11d48"),
    ("rose-700", "#be123c"),
    ("rose-800", "#9f1239"),
    ("rose-900", "#881337"),
    ("rose-950", "#4c0519"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_utilities_map_to_rn_style() {
        let t = TwTarget {
            platform: "ios",
            width: 393.0,
            colors: &[],
        };
        let (s, unknown) = classes_to_style(
            "flex-1 px-4 py-2.5 -mt-2 bg-blue-500 text-white/50 text-lg font-bold rounded-xl items-center justify-between w-1/2 border-b dark:bg-black md:p-8 ios:mt-1 android:mt-9 foo-bar",
            &t,
        );
        let m: serde_json::Map<String, Json> = s.into_iter().collect();
        assert_eq!(m["flex"], json!(1));
        assert_eq!(m["paddingHorizontal"], json!(16));
        assert_eq!(m["paddingVertical"], json!(10));
        assert_eq!(m["marginTop"], json!(4));
        assert_eq!(m["backgroundColor"], json!("#3b82f6"));
        assert_eq!(m["color"], json!("rgba(255, 255, 255, 0.5)"));
        assert_eq!(m["fontSize"], json!(18));
        assert_eq!(m["fontWeight"], json!("700"));
        assert_eq!(m["borderRadius"], json!(12));
        assert_eq!(m["justifyContent"], json!("space-between"));
        assert_eq!(m["width"], json!("50%"));
        assert_eq!(m["borderBottomWidth"], json!(1));
        assert!(!m.contains_key("padding"));
        assert_eq!(unknown, vec!["foo-bar".to_string()]);
    }
}
