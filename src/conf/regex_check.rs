//! Syntax check of regex subscriptions and patterns, as glibc's regcomp() would
//! reject them (librdkafka compiles them with regcomp).

/// Syntax check of a CSV of POSIX extended regexes, with glibc regcomp()'s
/// messages for the common mistakes (librdkafka compiles them with regcomp).
pub(super) fn validate_patterns(list: &str) -> Result<(), String> {
    for pat in list.split(',').filter(|p| !p.is_empty()) {
        if let Err(why) = check_ere(pat) {
            return Err(format!("Failed to parse pattern \"{}\": {}", pat, why));
        }
    }
    Ok(())
}

fn check_ere(pat: &str) -> Result<(), &'static str> {
    const CLASSES: &[&[u8]] = &[
        b"alpha", b"upper", b"lower", b"digit", b"xdigit", b"space", b"print", b"punct", b"graph", b"cntrl",
        b"blank", b"alnum",
    ];
    let b = pat.as_bytes();
    let mut depth = 0usize;
    // True where a quantifier would have nothing to repeat.
    let mut at_start = true;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            b'\\' => {
                if i + 1 >= b.len() {
                    return Err("Trailing backslash");
                }
                i += 2;
                at_start = false;
                continue;
            }
            b'[' => {
                if i + 1 >= b.len() {
                    // glibc reports a lone trailing '[' differently.
                    return Err("Invalid regular expression");
                }
                let mut j = i + 1;
                if b[j] == b'^' {
                    j += 1;
                }
                // A ']' right after '[' or '[^' is a literal.
                if j < b.len() && b[j] == b']' {
                    j += 1;
                }
                let mut prev: Option<u8> = None;
                while j < b.len() && b[j] != b']' {
                    if b[j] == b'[' && matches!(b.get(j + 1), Some(b':' | b'.' | b'=')) {
                        let close = b[j + 1];
                        let mut k = j + 2;
                        while k + 1 < b.len() && !(b[k] == close && b[k + 1] == b']') {
                            k += 1;
                        }
                        if k + 1 >= b.len() {
                            return Err("Unmatched [, [^, [:, [., or [=");
                        }
                        if close == b':' && !CLASSES.contains(&&b[j + 2..k]) {
                            return Err("Invalid character class name");
                        }
                        j = k + 2;
                        prev = None;
                        continue;
                    }
                    if b[j] == b'-' && j + 1 < b.len() && b[j + 1] != b']' {
                        if let Some(lo) = prev {
                            if b[j + 1] < lo {
                                return Err("Invalid range end");
                            }
                            j += 2;
                            prev = None;
                            continue;
                        }
                    }
                    prev = Some(b[j]);
                    j += 1;
                }
                if j >= b.len() {
                    return Err("Unmatched [, [^, [:, [., or [=");
                }
                i = j + 1;
                at_start = false;
                continue;
            }
            b'{' => {
                if at_start {
                    return Err("Invalid preceding regular expression");
                }
                match b[i + 1..].iter().position(|&x| x == b'}') {
                    Some(_) => {}
                    None => return Err("Unmatched \\{"),
                }
            }
            b'(' => {
                depth += 1;
                at_start = true;
            }
            b')' => {
                // An unmatched ')' is an ordinary character in glibc's ERE.
                depth = depth.saturating_sub(1);
                at_start = false;
            }
            b'|' | b'^' => at_start = true,
            b'*' | b'+' | b'?' => {
                if at_start {
                    return Err("Invalid preceding regular expression");
                }
            }
            _ => at_start = false,
        }
        i += 1;
    }
    if depth > 0 {
        return Err("Unmatched ( or \\(");
    }
    Ok(())
}
