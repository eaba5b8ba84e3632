//! Dates and numbers as JavaScript shows them in the `en-US` locale: the fixed instant a
//! preview's `new Date()` / `Date.now()` stand at, the civil calendar (UTC is the preview's
//! time zone), `Date` string forms and `toLocale*String`, and what `Intl.NumberFormat` /
//! `Intl.DateTimeFormat` / `toLocaleString` write for the common options.

/// The instant a preview runs at: `new Date()` and `Date.now()` are
/// 2025-01-15T10:30:00.000Z, a Wednesday (the preview's time zone is UTC). A fixed instant
/// keeps previews reproducible; a real one would differ on every compile.
pub(crate) const PREVIEW_NOW_MS: f64 = 1_736_937_000_000.0;

const DAY_MS: f64 = 86_400_000.0;

pub(crate) const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

pub(crate) const WEEKDAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

/// Days since 1970-01-01 of a proleptic Gregorian date (month 1-12; out-of-range months and
/// days carry over as in `Date.UTC`).
pub(crate) fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let (y, m) = (y + (m - 1).div_euclid(12), (m - 1).rem_euclid(12) + 1);
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + 1 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468 + (d - 1)
}

/// (year, month 1-12, day) of a day count since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// The calendar fields of an instant (UTC).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Civil {
    pub year: i64,
    /// 0-11, as `getMonth()`.
    pub month: i64,
    pub day: i64,
    /// 0 (Sunday) - 6.
    pub weekday: i64,
    pub hour: i64,
    pub minute: i64,
    pub second: i64,
    pub ms: i64,
}

pub(crate) fn civil(t: f64) -> Civil {
    let t = t as i64;
    let days = t.div_euclid(DAY_MS as i64);
    let rem = t.rem_euclid(DAY_MS as i64);
    let (year, m, day) = civil_from_days(days);
    Civil {
        year,
        month: m - 1,
        day,
        weekday: (days + 4).rem_euclid(7),
        hour: rem / 3_600_000,
        minute: rem / 60_000 % 60,
        second: rem / 1000 % 60,
        ms: rem % 1000,
    }
}

/// The instant of calendar fields (month 0-based; all carry over as in `Date.UTC`).
pub(crate) fn instant(y: f64, mo: f64, d: f64, h: f64, mi: f64, s: f64, ms: f64) -> f64 {
    if [y, mo, d, h, mi, s, ms].iter().any(|v| !v.is_finite()) {
        return f64::NAN;
    }
    let days = days_from_civil(y as i64, mo as i64 + 1, d as i64) as f64;
    time_clip(
        days * DAY_MS
            + h.trunc() * 3_600_000.0
            + mi.trunc() * 60_000.0
            + s.trunc() * 1000.0
            + ms.trunc(),
    )
}

fn time_clip(t: f64) -> f64 {
    if t.is_finite() && t.abs() <= 8.64e15 {
        t
    } else {
        f64::NAN
    }
}

/// `Date.parse` of the forms apps write: ISO dates and date-times (`2024-03-01`,
/// `2024-03-01T09:00:00Z`, with an offset or fraction), and `2024/03/01`. A date-time without
/// an offset is local time, which is UTC here. `NaN` for anything else.
pub(crate) fn parse(s: &str) -> f64 {
    let s = s.trim();
    let (date, time) = match s.find(['T', ' ']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let sep = if date.contains('/') { '/' } else { '-' };
    let parts: Vec<&str> = date.split(sep).collect();
    let num = |p: &str| p.parse::<i64>().ok();
    let (y, m, d) = match parts.as_slice() {
        [y] => (num(y), Some(1), Some(1)),
        [y, m] => (num(y), num(m), Some(1)),
        [y, m, d] => (num(y), num(m), num(d)),
        _ => return f64::NAN,
    };
    let (Some(y), Some(m), Some(d)) = (y, m, d) else {
        return f64::NAN;
    };
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return f64::NAN;
    }
    let mut t = days_from_civil(y, m, d) as f64 * DAY_MS;
    if let Some(time) = time {
        let (clock, offset_min) = match time.find(['Z', 'z', '+']).or_else(|| time.rfind('-')) {
            Some(i) => {
                let off = &time[i..];
                let mins = if off.eq_ignore_ascii_case("z") {
                    0
                } else {
                    let sign = if off.starts_with('-') { -1 } else { 1 };
                    let digits: String = off[1..].chars().filter(|c| c.is_ascii_digit()).collect();
                    let (h, m) = match digits.len() {
                        2 => (num(&digits), Some(0)),
                        4 => (num(&digits[..2]), num(&digits[2..])),
                        _ => return f64::NAN,
                    };
                    let (Some(h), Some(m)) = (h, m) else {
                        return f64::NAN;
                    };
                    sign * (h * 60 + m)
                };
                (&time[..i], mins)
            }
            None => (time, 0),
        };
        let fields: Vec<&str> = clock.split(':').collect();
        let h = fields.first().and_then(|f| num(f));
        let mi = fields.get(1).map_or(Some(0), |f| num(f));
        let (sec, frac) = match fields.get(2) {
            Some(f) => match f.split_once('.') {
                Some((a, b)) => (num(a), format!("0.{b}").parse::<f64>().ok()),
                None => (num(f), Some(0.0)),
            },
            None => (Some(0), Some(0.0)),
        };
        let (Some(h), Some(mi), Some(sec), Some(frac)) = (h, mi, sec, frac) else {
            return f64::NAN;
        };
        t += (h * 3_600_000 + mi * 60_000 + sec * 1000) as f64 + (frac * 1000.0).round()
            - offset_min as f64 * 60_000.0;
    }
    time_clip(t)
}

/// `toISOString()`.
pub(crate) fn iso(t: f64) -> String {
    let c = civil(t);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        c.year,
        c.month + 1,
        c.day,
        c.hour,
        c.minute,
        c.second,
        c.ms
    )
}

/// `String(date)` / `toString()`.
pub(crate) fn to_string(t: f64) -> String {
    if t.is_nan() {
        return "Invalid Date".into();
    }
    let c = civil(t);
    format!(
        "{} {:02}:{:02}:{:02} GMT+0000 (Coordinated Universal Time)",
        date_string(t),
        c.hour,
        c.minute,
        c.second
    )
}

/// `toDateString()`: `Wed Jan 15 2025`.
pub(crate) fn date_string(t: f64) -> String {
    let c = civil(t);
    format!(
        "{} {} {:02} {}",
        &WEEKDAYS[c.weekday as usize][..3],
        &MONTHS[c.month as usize][..3],
        c.day,
        c.year
    )
}

/// Which fields an `Intl.DateTimeFormat` writes, and how (`None`: not written).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct DateFields {
    pub weekday: Option<Width>,
    pub year: Option<Width>,
    pub month: Option<Width>,
    pub day: Option<Width>,
    pub hour: Option<Width>,
    pub minute: Option<Width>,
    pub second: Option<Width>,
    pub hour12: bool,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Width {
    Numeric,
    TwoDigit,
    Long,
    Short,
    Narrow,
}

impl Width {
    pub(crate) fn parse(s: &str) -> Option<Width> {
        Some(match s {
            "numeric" => Width::Numeric,
            "2-digit" => Width::TwoDigit,
            "long" => Width::Long,
            "short" => Width::Short,
            "narrow" => Width::Narrow,
            _ => return None,
        })
    }
}

impl DateFields {
    /// `toLocaleDateString()` without options: `1/15/2025`.
    pub(crate) const DATE: DateFields = DateFields {
        weekday: None,
        year: Some(Width::Numeric),
        month: Some(Width::Numeric),
        day: Some(Width::Numeric),
        hour: None,
        minute: None,
        second: None,
        hour12: true,
    };
    /// `toLocaleTimeString()` without options: `10:30:00 AM`.
    pub(crate) const TIME: DateFields = DateFields {
        weekday: None,
        year: None,
        month: None,
        day: None,
        hour: Some(Width::Numeric),
        minute: Some(Width::TwoDigit),
        second: Some(Width::TwoDigit),
        hour12: true,
    };

    pub(crate) fn has_date(&self) -> bool {
        self.weekday.is_some() || self.year.is_some() || self.month.is_some() || self.day.is_some()
    }

    pub(crate) fn has_time(&self) -> bool {
        self.hour.is_some() || self.minute.is_some() || self.second.is_some()
    }

    /// Both sets of fields (`toLocaleString()`).
    pub(crate) fn and(self, o: DateFields) -> DateFields {
        DateFields {
            weekday: self.weekday.or(o.weekday),
            year: self.year.or(o.year),
            month: self.month.or(o.month),
            day: self.day.or(o.day),
            hour: self.hour.or(o.hour),
            minute: self.minute.or(o.minute),
            second: self.second.or(o.second),
            hour12: self.hour12 && o.hour12,
        }
    }

    /// The fields of `dateStyle` / `timeStyle`.
    pub(crate) fn from_styles(date: Option<&str>, time: Option<&str>) -> DateFields {
        let mut f = DateFields {
            hour12: true,
            ..DateFields::default()
        };
        match date {
            Some("full") => {
                f.weekday = Some(Width::Long);
                f.month = Some(Width::Long);
                f.day = Some(Width::Numeric);
                f.year = Some(Width::Numeric);
            }
            Some("long") => {
                f.month = Some(Width::Long);
                f.day = Some(Width::Numeric);
                f.year = Some(Width::Numeric);
            }
            Some("medium") => {
                f.month = Some(Width::Short);
                f.day = Some(Width::Numeric);
                f.year = Some(Width::Numeric);
            }
            Some("short") => {
                f.month = Some(Width::Numeric);
                f.day = Some(Width::Numeric);
                f.year = Some(Width::TwoDigit);
            }
            _ => {}
        }
        match time {
            Some("short") => {
                f.hour = Some(Width::Numeric);
                f.minute = Some(Width::TwoDigit);
            }
            Some(_) => {
                f.hour = Some(Width::Numeric);
                f.minute = Some(Width::TwoDigit);
                f.second = Some(Width::TwoDigit);
            }
            None => {}
        }
        f
    }

    /// The instant as `en-US` writes these fields.
    pub(crate) fn format(&self, t: f64) -> String {
        if t.is_nan() {
            return "Invalid Date".into();
        }
        let c = civil(t);
        let date = self.format_date(&c);
        let time = self.format_time(&c);
        match (date.is_empty(), time.is_empty()) {
            (false, false) => format!("{date}, {time}"),
            (false, true) => date,
            _ => time,
        }
    }

    fn format_date(&self, c: &Civil) -> String {
        let num = |v: i64, w: Width| match w {
            Width::TwoDigit => format!("{:02}", v.rem_euclid(100)),
            _ => v.to_string(),
        };
        let text = |names: &[&str], i: usize, w: Width| {
            let n = names[i];
            match w {
                Width::Long => n.to_string(),
                Width::Narrow => n[..1].to_string(),
                _ => n[..3].to_string(),
            }
        };
        let weekday = self.weekday.map(|w| text(&WEEKDAYS, c.weekday as usize, w));
        let year = self.year.map(|w| match w {
            Width::TwoDigit => format!("{:02}", c.year.rem_euclid(100)),
            _ => c.year.to_string(),
        });
        let day = self.day.map(|w| num(c.day, w));
        let body = match self.month {
            Some(w @ (Width::Long | Width::Short | Width::Narrow)) => {
                let month = text(&MONTHS, c.month as usize, w);
                let md = match &day {
                    Some(d) => format!("{month} {d}"),
                    None => month,
                };
                match (&year, &day) {
                    (Some(y), Some(_)) => format!("{md}, {y}"),
                    (Some(y), None) => format!("{md} {y}"),
                    _ => md,
                }
            }
            Some(w) => {
                let parts: Vec<String> = [Some(num(c.month + 1, w)), day, year]
                    .into_iter()
                    .flatten()
                    .collect();
                parts.join("/")
            }
            None => [day, year]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" "),
        };
        match (weekday, body.is_empty()) {
            (Some(w), false) => format!("{w}, {body}"),
            (Some(w), true) => w,
            (None, _) => body,
        }
    }

    fn format_time(&self, c: &Civil) -> String {
        let Some(hw) = self.hour else {
            let mut parts = Vec::new();
            if self.minute.is_some() {
                parts.push(format!("{:02}", c.minute));
            }
            if self.second.is_some() {
                parts.push(format!("{:02}", c.second));
            }
            return parts.join(":");
        };
        let h = if self.hour12 {
            match c.hour % 12 {
                0 => 12,
                h => h,
            }
        } else {
            c.hour
        };
        let mut out = if hw == Width::TwoDigit || (!self.hour12 && self.minute.is_some()) {
            format!("{h:02}")
        } else {
            h.to_string()
        };
        if self.minute.is_some() {
            out.push_str(&format!(":{:02}", c.minute));
        }
        if self.second.is_some() {
            out.push_str(&format!(":{:02}", c.second));
        }
        if self.hour12 {
            out.push_str(if c.hour < 12 { " AM" } else { " PM" });
        }
        out
    }
}

/// How an `Intl.NumberFormat` (or `toLocaleString`) writes numbers.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct NumberStyle<'a> {
    pub kind: NumberKind<'a>,
    pub min_fraction: Option<usize>,
    pub max_fraction: Option<usize>,
    pub grouping: bool,
    pub compact: bool,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum NumberKind<'a> {
    Decimal,
    Percent,
    /// ISO code, and whether `currencyDisplay` is `code`.
    Currency(&'a str, bool),
}

impl Default for NumberStyle<'_> {
    fn default() -> Self {
        NumberStyle {
            kind: NumberKind::Decimal,
            min_fraction: None,
            max_fraction: None,
            grouping: true,
            compact: false,
        }
    }
}

/// The `en-US` symbol of a currency, and its digits.
fn currency(code: &str) -> (String, usize) {
    let digits = match code {
        "JPY" | "KRW" | "VND" | "CLP" | "ISK" | "HUF" => 0,
        _ => 2,
    };
    let symbol = match code {
        "USD" => "$",
        "EUR" => "€",
        "GBP" => "£",
        "JPY" => "¥",
        "INR" => "₹",
        "KRW" => "₩",
        "CNY" => "CN¥",
        "CAD" => "CA$",
        "AUD" => "A$",
        "BRL" => "R$",
        "MXN" => "MX$",
        "NGN" => "NGN",
        "ILS" => "₪",
        "VND" => "₫",
        "PHP" => "₱",
        other => return (format!("{other}\u{a0}"), digits),
    };
    (symbol.to_string(), digits)
}

impl NumberStyle<'_> {
    /// The number as `en-US` writes it.
    pub(crate) fn format(&self, n: f64) -> String {
        if n.is_nan() {
            return "NaN".into();
        }
        if n.is_infinite() {
            return if n < 0.0 { "-∞".into() } else { "∞".into() };
        }
        let (prefix, default_digits) = match self.kind {
            NumberKind::Currency(code, true) => (format!("{code}\u{a0}"), currency(code).1),
            NumberKind::Currency(code, false) => currency(code),
            _ => (String::new(), 0),
        };
        let (default_min, default_max) = match self.kind {
            NumberKind::Decimal => (0, 3),
            NumberKind::Percent => (0, 0),
            NumberKind::Currency(..) => (default_digits, default_digits),
        };
        let min = self
            .min_fraction
            .unwrap_or(default_min.min(self.max_fraction.unwrap_or(usize::MAX)));
        let max = self.max_fraction.unwrap_or(default_max).max(min).min(20);
        let mut v = if self.kind == NumberKind::Percent {
            n * 100.0
        } else {
            n
        };
        let negative = v < 0.0;
        v = v.abs();
        let mut suffix = "";
        let (min, max) = if self.compact {
            for (limit, s) in [(1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")] {
                if v >= limit {
                    v /= limit;
                    suffix = s;
                    break;
                }
            }
            match (self.min_fraction, self.max_fraction) {
                (None, None) if v < 100.0 && !suffix.is_empty() || v < 10.0 => {
                    // Two significant digits at least.
                    (0, if v < 10.0 { 1 } else { 0 })
                }
                (None, None) => (0, 0),
                _ => (min, max),
            }
        } else {
            (min, max)
        };
        let body = fixed(v, min, max, self.grouping);
        let sign = if negative && body.chars().any(|c| c.is_ascii_digit() && c != '0') {
            "-"
        } else {
            ""
        };
        let percent = if self.kind == NumberKind::Percent {
            "%"
        } else {
            ""
        };
        format!("{sign}{prefix}{body}{suffix}{percent}")
    }
}

/// `v` (not negative) rounded half away from zero to at most `max` fraction digits, at
/// least `min`, with `,` thousands separators when `grouping`.
fn fixed(v: f64, min: usize, max: usize, grouping: bool) -> String {
    let scale = 10f64.powi(max as i32);
    let rounded = (v * scale).round() / scale;
    let s = format!("{rounded:.max$}");
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i.to_string(), f.to_string()),
        None => (s, String::new()),
    };
    let mut frac = frac;
    while frac.len() > min && frac.ends_with('0') {
        frac.pop();
    }
    let int = if grouping { group(&int) } else { int };
    if frac.is_empty() {
        int
    } else {
        format!("{int}.{frac}")
    }
}

fn group(int: &str) -> String {
    let bytes = int.as_bytes();
    let mut out = String::with_capacity(int.len() + int.len() / 3);
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 && (bytes.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(*b as char);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_preview_instant_is_wednesday_15_january_2025() {
        assert_eq!(iso(PREVIEW_NOW_MS), "2025-01-15T10:30:00.000Z");
        let c = civil(PREVIEW_NOW_MS);
        assert_eq!(
            (c.year, c.month, c.day, c.weekday, c.hour),
            (2025, 0, 15, 3, 10)
        );
        assert_eq!(parse("2025-01-15T10:30:00Z"), PREVIEW_NOW_MS);
        assert_eq!(parse("2025-01-15T12:30:00+02:00"), PREVIEW_NOW_MS);
        assert_eq!(
            instant(2025.0, 0.0, 15.0, 10.0, 30.0, 0.0, 0.0),
            PREVIEW_NOW_MS
        );
        assert_eq!(
            instant(2024.0, 12.0, 15.0, 10.0, 30.0, 0.0, 0.0),
            PREVIEW_NOW_MS
        );
        assert_eq!(date_string(PREVIEW_NOW_MS), "Wed Jan 15 2025");
    }

    #[test]
    fn en_us_date_and_time_forms() {
        let t = PREVIEW_NOW_MS;
        assert_eq!(DateFields::DATE.format(t), "1/15/2025");
        assert_eq!(DateFields::TIME.format(t), "10:30:00 AM");
        assert_eq!(
            DateFields::DATE.and(DateFields::TIME).format(t),
            "1/15/2025, 10:30:00 AM"
        );
        assert_eq!(
            DateFields::from_styles(Some("full"), None).format(t),
            "Wednesday, January 15, 2025"
        );
        assert_eq!(
            DateFields::from_styles(Some("medium"), Some("short")).format(t),
            "Jan 15, 2025, 10:30 AM"
        );
        let md = DateFields {
            month: Some(Width::Short),
            day: Some(Width::Numeric),
            ..DateFields::default()
        };
        assert_eq!(md.format(t), "Jan 15");
    }

    #[test]
    fn en_us_numbers() {
        let usd = NumberStyle {
            kind: NumberKind::Currency("USD", false),
            ..NumberStyle::default()
        };
        assert_eq!(usd.format(1234.5), "$1,234.50");
        assert_eq!(usd.format(-3.0), "-$3.00");
        assert_eq!(NumberStyle::default().format(1234567.891), "1,234,567.891");
        let pct = NumberStyle {
            kind: NumberKind::Percent,
            ..NumberStyle::default()
        };
        assert_eq!(pct.format(0.256), "26%");
        let compact = NumberStyle {
            compact: true,
            ..NumberStyle::default()
        };
        assert_eq!(compact.format(1234.0), "1.2K");
        assert_eq!(compact.format(15300.0), "15K");
        assert_eq!(compact.format(2_500_000.0), "2.5M");
        assert_eq!(compact.format(999.0), "999");
    }
}
