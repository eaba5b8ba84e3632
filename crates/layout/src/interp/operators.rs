//! Operators on known values: JavaScript's strict and loose equality and binary operators.

use oxc::allocator::Allocator;
use oxc::syntax::operator::BinaryOperator;

use super::value::*;

pub(super) fn strict_eq<'a>(a: &Value<'a>, b: &Value<'a>) -> Option<bool> {
    Some(match (a, b) {
        (Value::Unknown(_), _) | (_, Value::Unknown(_)) => return None,
        (Value::Undef, Value::Undef) | (Value::Null, Value::Null) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Num(x), Value::Num(y)) => x == y,
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::Obj(x), Value::Obj(y)) => std::ptr::eq(*x, *y),
        (Value::Arr(x), Value::Arr(y)) => std::ptr::eq(*x, *y),
        (Value::Host(x), Value::Host(y)) => x == y,
        (Value::Func(x), Value::Func(y)) => std::ptr::eq(*x, *y),
        (Value::Class(x), Value::Class(y)) => std::ptr::eq(*x, *y),
        (Value::Builtin(x), Value::Builtin(y)) => x == y,
        (Value::Ext(x), Value::Ext(y)) => x == y,
        (Value::Native(x), Value::Native(y)) => std::ptr::eq(*x, *y),
        _ => false,
    })
}

pub(super) fn loose_eq<'a>(a: &Value<'a>, b: &Value<'a>) -> Option<bool> {
    match (a, b) {
        (Value::Undef | Value::Null, Value::Undef | Value::Null) => Some(true),
        (Value::Undef | Value::Null, Value::Unknown(_))
        | (Value::Unknown(_), Value::Undef | Value::Null) => None,
        (Value::Undef | Value::Null, _) | (_, Value::Undef | Value::Null) => Some(false),
        (
            Value::Num(_) | Value::Str(_) | Value::Bool(_),
            Value::Num(_) | Value::Str(_) | Value::Bool(_),
        ) if std::mem::discriminant(a) != std::mem::discriminant(b) => {
            Some(a.to_num()? == b.to_num()?)
        }
        _ => strict_eq(a, b),
    }
}

/// Previews show the light colour scheme and a left-to-right layout: an unknown value (a saved
/// theme preference, the system scheme or text direction read through a package) compared with
/// `"dark"` or `"rtl"` is not equal, and with `"light"` or `"ltr"` is equal. `None` for any
/// other comparison.
pub(super) fn light_scheme_eq(l: &Value<'_>, r: &Value<'_>) -> Option<bool> {
    let scheme = match (l, r) {
        (Value::Unknown(_), Value::Str(s)) | (Value::Str(s), Value::Unknown(_)) => *s,
        _ => return None,
    };
    match scheme {
        "dark" | "rtl" => Some(false),
        "light" | "ltr" => Some(true),
        _ => None,
    }
}

pub(super) fn binary<'a>(
    alloc: &'a Allocator,
    op: BinaryOperator,
    l: &Value<'a>,
    r: &Value<'a>,
) -> Value<'a> {
    use BinaryOperator as O;
    let unknown = || match (l, r) {
        (Value::Unknown(x), _) | (_, Value::Unknown(x)) => Value::Unknown(x),
        _ => Value::unknown(
            alloc,
            format!(
                "`{}` on a {} and a {}",
                op.as_str(),
                l.type_name(),
                r.type_name()
            ),
        ),
    };
    let bool_or = |b: Option<bool>| b.map_or_else(unknown, Value::Bool);
    match op {
        O::StrictEquality | O::Equality if let Some(b) = light_scheme_eq(l, r) => Value::Bool(b),
        O::StrictInequality | O::Inequality if let Some(b) = light_scheme_eq(l, r) => {
            Value::Bool(!b)
        }
        O::StrictEquality => bool_or(strict_eq(l, r)),
        O::StrictInequality => bool_or(strict_eq(l, r).map(|b| !b)),
        O::Equality => bool_or(loose_eq(l, r)),
        O::Inequality => bool_or(loose_eq(l, r).map(|b| !b)),
        O::Addition => match (l, r) {
            (Value::Str(_), _) | (_, Value::Str(_)) => match (l.to_display(), r.to_display()) {
                (Some(a), Some(b)) => Value::str(alloc, &(a + &b)),
                _ => unknown(),
            },
            _ => match (l.to_num(), r.to_num()) {
                (Some(a), Some(b)) => Value::Num(a + b),
                _ => unknown(),
            },
        },
        O::LessThan | O::LessEqualThan | O::GreaterThan | O::GreaterEqualThan => {
            if let (Value::Str(a), Value::Str(b)) = (l, r) {
                let o = a.cmp(b);
                return Value::Bool(match op {
                    O::LessThan => o.is_lt(),
                    O::LessEqualThan => o.is_le(),
                    O::GreaterThan => o.is_gt(),
                    _ => o.is_ge(),
                });
            }
            match (l.to_num(), r.to_num()) {
                (Some(a), Some(b)) => Value::Bool(match op {
                    O::LessThan => a < b,
                    O::LessEqualThan => a <= b,
                    O::GreaterThan => a > b,
                    _ => a >= b,
                }),
                _ => unknown(),
            }
        }
        O::Subtraction | O::Multiplication | O::Division | O::Remainder | O::Exponential => {
            match (l.to_num(), r.to_num()) {
                (Some(a), Some(b)) => Value::Num(match op {
                    O::Subtraction => a - b,
                    O::Multiplication => a * b,
                    O::Division => a / b,
                    O::Remainder => a % b,
                    _ => a.powf(b),
                }),
                _ => unknown(),
            }
        }
        O::In => match (l, r) {
            (Value::Str(k), Value::Obj(o)) => Value::Bool(obj_get(o, k).is_some()),
            _ => unknown(),
        },
        _ => unknown(),
    }
}
