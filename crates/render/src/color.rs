//! React Native colour strings: named colours, `#rgb`, `#rgba`, `#rrggbb`, `#rrggbbaa`,
//! `rgb()`, `rgba()`, `hsl()`, `hsla()` and `transparent`.

/// A straight (not premultiplied) RGBA colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rgba {
    /// Red.
    pub r: u8,
    /// Green.
    pub g: u8,
    /// Blue.
    pub b: u8,
    /// Alpha (255 = opaque).
    pub a: u8,
}

impl Rgba {
    /// An opaque colour.
    pub const fn rgb(r: u8, g: u8, b: u8) -> Self {
        Self { r, g, b, a: 255 }
    }

    /// This colour with its alpha multiplied by `factor` (0..=1).
    pub fn with_alpha_factor(self, factor: f32) -> Self {
        Self {
            a: (f32::from(self.a) * factor.clamp(0.0, 1.0)).round() as u8,
            ..self
        }
    }

    pub(crate) fn to_skia(self) -> tiny_skia::Color {
        tiny_skia::Color::from_rgba8(self.r, self.g, self.b, self.a)
    }
}

/// Parses a React Native colour string; `None` for anything React Native would reject.
pub fn parse_color(input: &str) -> Option<Rgba> {
    let s = input.trim().to_ascii_lowercase();
    if let Some(hex) = s.strip_prefix('#') {
        return parse_hex(hex);
    }
    if let Some(args) = function_args(&s, "rgba").or_else(|| function_args(&s, "rgb")) {
        return parse_rgb(&args);
    }
    if let Some(args) = function_args(&s, "hsla").or_else(|| function_args(&s, "hsl")) {
        return parse_hsl(&args);
    }
    named(&s)
}

fn parse_hex(hex: &str) -> Option<Rgba> {
    if !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let nibble = |i: usize| u8::from_str_radix(&hex[i..=i], 16).ok().map(|v| v * 17);
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some(match hex.len() {
        3 => Rgba::rgb(nibble(0)?, nibble(1)?, nibble(2)?),
        4 => Rgba {
            r: nibble(0)?,
            g: nibble(1)?,
            b: nibble(2)?,
            a: nibble(3)?,
        },
        6 => Rgba::rgb(byte(0)?, byte(2)?, byte(4)?),
        8 => Rgba {
            r: byte(0)?,
            g: byte(2)?,
            b: byte(4)?,
            a: byte(6)?,
        },
        _ => return None,
    })
}

/// The comma- or space-separated arguments of `name(...)`.
fn function_args(s: &str, name: &str) -> Option<Vec<String>> {
    let inner = s
        .strip_prefix(name)?
        .trim_start()
        .strip_prefix('(')?
        .strip_suffix(')')?;
    let parts: Vec<String> = inner
        .split(|c: char| c == ',' || c == '/' || c.is_whitespace())
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect();
    (parts.len() == 3 || parts.len() == 4).then_some(parts)
}

fn alpha(arg: Option<&String>) -> Option<u8> {
    match arg {
        None => Some(255),
        Some(a) => {
            let v = match a.strip_suffix('%') {
                Some(p) => p.parse::<f32>().ok()? / 100.0,
                None => a.parse::<f32>().ok()?,
            };
            Some((v.clamp(0.0, 1.0) * 255.0).round() as u8)
        }
    }
}

fn parse_rgb(args: &[String]) -> Option<Rgba> {
    let channel = |a: &String| -> Option<u8> {
        let v = match a.strip_suffix('%') {
            Some(p) => p.parse::<f32>().ok()? * 2.55,
            None => a.parse::<f32>().ok()?,
        };
        Some(v.clamp(0.0, 255.0).round() as u8)
    };
    Some(Rgba {
        r: channel(&args[0])?,
        g: channel(&args[1])?,
        b: channel(&args[2])?,
        a: alpha(args.get(3))?,
    })
}

fn parse_hsl(args: &[String]) -> Option<Rgba> {
    let h = args[0]
        .trim_end_matches("deg")
        .parse::<f32>()
        .ok()?
        .rem_euclid(360.0)
        / 360.0;
    let pct = |a: &String| {
        a.strip_suffix('%')
            .unwrap_or(a)
            .parse::<f32>()
            .ok()
            .map(|v| (v / 100.0).clamp(0.0, 1.0))
    };
    let (s, l) = (pct(&args[1])?, pct(&args[2])?);
    let q = if l < 0.5 {
        l * (1.0 + s)
    } else {
        l + s - l * s
    };
    let p = 2.0 * l - q;
    let hue = |t: f32| {
        let t = t.rem_euclid(1.0);
        let v = if t < 1.0 / 6.0 {
            p + (q - p) * 6.0 * t
        } else if t < 0.5 {
            q
        } else if t < 2.0 / 3.0 {
            p + (q - p) * (2.0 / 3.0 - t) * 6.0
        } else {
            p
        };
        (v * 255.0).round() as u8
    };
    Some(Rgba {
        r: hue(h + 1.0 / 3.0),
        g: hue(h),
        b: hue(h - 1.0 / 3.0),
        a: alpha(args.get(3))?,
    })
}

fn named(name: &str) -> Option<Rgba> {
    if name == "transparent" {
        return Some(Rgba {
            r: 0,
            g: 0,
            b: 0,
            a: 0,
        });
    }
    let index = NAMED.binary_search_by(|(n, _)| n.cmp(&name)).ok()?;
    let v = NAMED[index].1;
    Some(Rgba::rgb((v >> 16) as u8, (v >> 8) as u8, v as u8))
}

/// The CSS named colours React Native accepts, sorted by name.
const NAMED: &[(&str, u32)] = &[
    ("aliceblue", 0xf0f8ff),
    ("antiquewhite", 0xfaebd7),
    ("aqua", 0x00ffff),
    ("aquamarine", 0x7fffd4),
    ("azure", 0xf0ffff),
    ("beige", 0xf5f5dc),
    ("bisque", 0xffe4c4),
    ("black", 0x000000),
    ("blanchedalmond", 0xffebcd),
    ("blue", 0x0000ff),
    ("blueviolet", 0x8a2be2),
    ("brown", 0xa52a2a),
    ("burlywood", 0xdeb887),
    ("cadetblue", 0x5f9ea0),
    ("chartreuse", 0x7fff00),
    ("chocolate", 0xd2691e),
    ("coral", 0xff7f50),
    ("cornflowerblue", 0x6495ed),
    ("cornsilk", 0xfff8dc),
    ("crimson", 0xdc143c),
    ("cyan", 0x00ffff),
    ("darkblue", 0x00008b),
    ("darkcyan", 0x008b8b),
    ("darkgoldenrod", 0xb8860b),
    ("darkgray", 0xa9a9a9),
    ("darkgreen", 0x006400),
    ("darkgrey", 0xa9a9a9),
    ("darkkhaki", 0xbdb76b),
    ("darkmagenta", 0x8b008b),
    ("darkolivegreen", 0x556b2f),
    ("darkorange", 0xff8c00),
    ("darkorchid", 0x9932cc),
    ("darkred", 0x8b0000),
    ("darksalmon", 0xe9967a),
    ("darkseagreen", 0x8fbc8f),
    ("darkslateblue", 0x483d8b),
    ("darkslategray", 0x2f4f4f),
    ("darkslategrey", 0x2f4f4f),
    ("darkturquoise", 0x00ced1),
    ("darkviolet", 0x9400d3),
    ("deeppink", 0xff1493),
    ("deepskyblue", 0x00bfff),
    ("dimgray", 0x696969),
    ("dimgrey", 0x696969),
    ("dodgerblue", 0x1e90ff),
    ("firebrick", 0xb22222),
    ("floralwhite", 0xfffaf0),
    ("forestgreen", 0x228b22),
    ("fuchsia", 0xff00ff),
    ("gainsboro", 0xdcdcdc),
    ("ghostwhite", 0xf8f8ff),
    ("gold", 0xffd700),
    ("goldenrod", 0xdaa520),
    ("gray", 0x808080),
    ("green", 0x008000),
    ("greenyellow", 0xadff2f),
    ("grey", 0x808080),
    ("honeydew", 0xf0fff0),
    ("hotpink", 0xff69b4),
    ("indianred", 0xcd5c5c),
    ("indigo", 0x4b0082),
    ("ivory", 0xfffff0),
    ("khaki", 0xf0e68c),
    ("lavender", 0xe6e6fa),
    ("lavenderblush", 0xfff0f5),
    ("lawngreen", 0x7cfc00),
    ("lemonchiffon", 0xfffacd),
    ("lightblue", 0xadd8e6),
    ("lightcoral", 0xf08080),
    ("lightcyan", 0xe0ffff),
    ("lightgoldenrodyellow", 0xfafad2),
    ("lightgray", 0xd3d3d3),
    ("lightgreen", 0x90ee90),
    ("lightgrey", 0xd3d3d3),
    ("lightpink", 0xffb6c1),
    ("lightsalmon", 0xffa07a),
    ("lightseagreen", 0x20b2aa),
    ("lightskyblue", 0x87cefa),
    ("lightslategray", 0x778899),
    ("lightslategrey", 0x778899),
    ("lightsteelblue", 0xb0c4de),
    ("lightyellow", 0xffffe0),
    ("lime", 0x00ff00),
    ("limegreen", 0x32cd32),
    ("linen", 0xfaf0e6),
    ("magenta", 0xff00ff),
    ("maroon", 0x800000),
    ("mediumaquamarine", 0x66cdaa),
    ("mediumblue", 0x0000cd),
    ("mediumorchid", 0xba55d3),
    ("mediumpurple", 0x9370db),
    ("mediumseagreen", 0x3cb371),
    ("mediumslateblue", 0x7b68ee),
    ("mediumspringgreen", 0x00fa9a),
    ("mediumturquoise", 0x48d1cc),
    ("mediumvioletred", 0xc71585),
    ("midnightblue", 0x191970),
    ("mintcream", 0xf5fffa),
    ("mistyrose", 0xffe4e1),
    ("moccasin", 0xffe4b5),
    ("navajowhite", 0xffdead),
    ("navy", 0x000080),
    ("oldlace", 0xfdf5e6),
    ("olive", 0x808000),
    ("olivedrab", 0x6b8e23),
    ("orange", 0xffa500),
    ("orangered", 0xff4500),
    ("orchid", 0xda70d6),
    ("palegoldenrod", 0xeee8aa),
    ("palegreen", 0x98fb98),
    ("paleturquoise", 0xafeeee),
    ("palevioletred", 0xdb7093),
    ("papayawhip", 0xffefd5),
    ("peachpuff", 0xffdab9),
    ("peru", 0xcd853f),
    ("pink", 0xffc0cb),
    ("plum", 0xdda0dd),
    ("powderblue", 0xb0e0e6),
    ("purple", 0x800080),
    ("rebeccapurple", 0x663399),
    ("red", 0xff0000),
    ("rosybrown", 0xbc8f8f),
    ("royalblue", 0x4169e1),
    ("saddlebrown", 0x8b4513),
    ("salmon", 0xfa8072),
    ("sandybrown", 0xf4a460),
    ("seagreen", 0x2e8b57),
    ("seashell", 0xfff5ee),
    ("sienna", 0xa0522d),
    ("silver", 0xc0c0c0),
    ("skyblue", 0x87ceeb),
    ("slateblue", 0x6a5acd),
    ("slategray", 0x708090),
    ("slategrey", 0x708090),
    ("snow", 0xfffafa),
    ("springgreen", 0x00ff7f),
    ("steelblue", 0x4682b4),
    ("tan", 0xd2b48c),
    ("teal", 0x008080),
    ("thistle", 0xd8bfd8),
    ("tomato", 0xff6347),
    ("turquoise", 0x40e0d0),
    ("violet", 0xee82ee),
    ("wheat", 0xf5deb3),
    ("white", 0xffffff),
    ("whitesmoke", 0xf5f5f5),
    ("yellow", 0xffff00),
    ("yellowgreen", 0x9acd32),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_colours_are_sorted_and_found() {
        assert!(NAMED.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(
            parse_color("rebeccapurple"),
            Some(Rgba::rgb(0x66, 0x33, 0x99))
        );
        assert_eq!(parse_color(" White "), Some(Rgba::rgb(255, 255, 255)));
        assert_eq!(parse_color("transparent").map(|c| c.a), Some(0));
        assert_eq!(parse_color("notacolour"), None);
    }

    #[test]
    fn hex_forms() {
        assert_eq!(parse_color("#f00"), Some(Rgba::rgb(255, 0, 0)));
        assert_eq!(
            parse_color("#f008"),
            Some(Rgba {
                r: 255,
                g: 0,
                b: 0,
                a: 0x88
            })
        );
        assert_eq!(parse_color("#4f46e5"), Some(Rgba::rgb(0x4f, 0x46, 0xe5)));
        assert_eq!(
            parse_color("#4f46e580"),
            Some(Rgba {
                r: 0x4f,
                g: 0x46,
                b: 0xe5,
                a: 0x80
            })
        );
        assert_eq!(parse_color("#12345"), None);
        assert_eq!(parse_color("#ggg"), None);
    }

    #[test]
    fn functional_forms() {
        assert_eq!(parse_color("rgb(10, 20, 30)"), Some(Rgba::rgb(10, 20, 30)));
        assert_eq!(
            parse_color("rgba(0,0,0,0.4)"),
            Some(Rgba {
                r: 0,
                g: 0,
                b: 0,
                a: 102
            })
        );
        assert_eq!(
            parse_color("rgb(100% 0% 0% / 50%)"),
            Some(Rgba {
                r: 255,
                g: 0,
                b: 0,
                a: 128
            })
        );
        assert_eq!(parse_color("hsl(0, 100%, 50%)"), Some(Rgba::rgb(255, 0, 0)));
        assert_eq!(
            parse_color("hsl(120, 100%, 25%)"),
            Some(Rgba::rgb(0, 128, 0))
        );
        assert_eq!(
            parse_color("hsla(240, 100%, 50%, 0.5)"),
            Some(Rgba {
                r: 0,
                g: 0,
                b: 255,
                a: 128
            })
        );
        assert_eq!(parse_color("rgb(1,2)"), None);
    }
}
