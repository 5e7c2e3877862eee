//! C library number parsing and printing (strtol, strtod, printf "%g"), so that
//! values are accepted and printed exactly as librdkafka does.

/// C's isspace() in the "C" locale.
pub(super) fn is_c_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\x0b' | '\x0c' | '\r')
}

/// strtol(s, &end, 0) on a 64-bit long: `None` when no digits were parsed
/// (end == s), otherwise the (saturated) value of the longest valid prefix.
pub(super) fn strtol(s: &str) -> Option<i64> {
    let b = s.trim_start_matches(is_c_space).as_bytes();
    let mut i = 0;
    let neg = match b.first() {
        Some(b'-') => {
            i += 1;
            true
        }
        Some(b'+') => {
            i += 1;
            false
        }
        _ => false,
    };
    let (radix, start) = if b.get(i) == Some(&b'0')
        && matches!(b.get(i + 1), Some(b'x' | b'X'))
        && b.get(i + 2).is_some_and(|c| c.is_ascii_hexdigit())
    {
        (16, i + 2)
    } else if b.get(i) == Some(&b'0') {
        (8, i)
    } else {
        (10, i)
    };
    let mut acc: i128 = 0;
    let mut n = 0;
    for &c in &b[start..] {
        let d = match (c as char).to_digit(radix) {
            Some(d) => d,
            None => break,
        };
        acc = (acc * radix as i128 + d as i128).min(i64::MAX as i128 + 1);
        n += 1;
    }
    if n == 0 {
        return None;
    }
    let v = if neg { -acc } else { acc };
    Some(v.clamp(i64::MIN as i128, i64::MAX as i128) as i64)
}

/// strtod(): value of the longest valid prefix, `None` when there is none.
pub(super) fn strtod(s: &str) -> Option<f64> {
    let t = s.trim_start_matches(is_c_space);
    let b = t.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    let neg = b.first() == Some(&b'-');
    let rest = &t[i..];
    let lower = rest.get(..8).unwrap_or(rest).to_ascii_lowercase();
    let sign = if neg { -1.0 } else { 1.0 };
    if lower.starts_with("inf") {
        return Some(sign * f64::INFINITY);
    }
    if lower.starts_with("nan") {
        return Some(f64::NAN);
    }
    if rest.len() > 2 && (rest.starts_with("0x") || rest.starts_with("0X")) {
        if let Some(v) = parse_hex_float(&rest[2..]) {
            return Some(sign * v);
        }
    }
    let mut j = i;
    let mut digits = 0;
    while j < b.len() && b[j].is_ascii_digit() {
        j += 1;
        digits += 1;
    }
    if j < b.len() && b[j] == b'.' {
        j += 1;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
            digits += 1;
        }
    }
    if digits == 0 {
        return None;
    }
    if j < b.len() && (b[j] == b'e' || b[j] == b'E') {
        let mut k = j + 1;
        if k < b.len() && (b[k] == b'+' || b[k] == b'-') {
            k += 1;
        }
        if k < b.len() && b[k].is_ascii_digit() {
            while k < b.len() && b[k].is_ascii_digit() {
                k += 1;
            }
            j = k;
        }
    }
    let mut num = t[i..j].to_string();
    if num.ends_with('.') {
        num.push('0');
    }
    if num.starts_with('.') {
        num.insert(0, '0');
    }
    num.parse::<f64>().ok().map(|v| sign * v)
}

/// Hex float mantissa (after "0x") with optional 'p' exponent.
fn parse_hex_float(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let mut v = 0f64;
    let mut j = 0;
    let mut digits = 0;
    let mut scale = 0i32;
    while j < b.len() && b[j].is_ascii_hexdigit() {
        v = v * 16.0 + (b[j] as char).to_digit(16)? as f64;
        j += 1;
        digits += 1;
    }
    if j < b.len() && b[j] == b'.' {
        j += 1;
        while j < b.len() && b[j].is_ascii_hexdigit() {
            v = v * 16.0 + (b[j] as char).to_digit(16)? as f64;
            scale -= 4;
            j += 1;
            digits += 1;
        }
    }
    if digits == 0 {
        return None;
    }
    if j < b.len() && (b[j] == b'p' || b[j] == b'P') {
        if let Some(e) = strtol_dec(&s[j + 1..]) {
            scale = scale.saturating_add(e);
        }
    }
    Some(v * 2f64.powi(scale))
}

fn strtol_dec(s: &str) -> Option<i32> {
    let end = s
        .char_indices()
        .find(|&(i, c)| !(c.is_ascii_digit() || (i == 0 && (c == '+' || c == '-'))))
        .map_or(s.len(), |(i, _)| i);
    s[..end].parse().ok()
}

/// printf("%g") with the default precision of 6.
pub fn fmt_g(v: f64) -> String {
    if v.is_nan() {
        return if v.is_sign_negative() { "-nan" } else { "nan" }.to_string();
    }
    if v.is_infinite() {
        return if v < 0.0 { "-inf" } else { "inf" }.to_string();
    }
    if v == 0.0 {
        return if v.is_sign_negative() { "-0" } else { "0" }.to_string();
    }
    // Exponent after rounding to 6 significant digits decides the style.
    let sci = format!("{:.5e}", v);
    let (mant, exp) = sci.split_once('e').unwrap_or((sci.as_str(), "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if !(-4..6).contains(&exp) {
        let mant = trim_frac(mant);
        format!("{}e{}{:02}", mant, if exp < 0 { '-' } else { '+' }, exp.abs())
    } else {
        let decimals = (5 - exp).max(0) as usize;
        trim_frac(&format!("{:.*}", decimals, v)).to_string()
    }
}

fn trim_frac(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}
