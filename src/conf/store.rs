//! The values of one configuration object and librdkafka's rules for setting,
//! printing and dumping them.

use super::parse::{fmt_g, is_c_space, strtod, strtol};
use super::props::{self, Check, Kind, Property, PROPERTIES};
use super::regex_check::validate_patterns;
use super::types::{ConfError, Scope};

/// A stored property value.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Val {
    Unset,
    Str(String),
    /// Int, Bool, S2I and S2F properties.
    Int(i32),
    Dbl(f64),
    /// Pointer properties set by the C layer, kept as an address.
    Ptr(usize),
}

/// Values of one configuration object, indexed like `PROPERTIES`.
#[derive(Debug, Clone)]
pub(super) struct Store {
    scope: u16,
    pub(super) vals: Vec<Val>,
    pub(super) modified: Vec<bool>,
}

/// How an S2F token combines with the current flags.
#[derive(Clone, Copy)]
enum FlagMode {
    Add,
    Del,
}

impl Store {
    pub(super) fn new(scope: Scope) -> Store {
        let bits = scope.bits();
        let vals = PROPERTIES
            .iter()
            .map(|p| {
                if p.scope & bits == 0 {
                    return Val::Unset;
                }
                match p.kind {
                    Kind::Str | Kind::KStr | Kind::PatList => {
                        p.sdef.map_or(Val::Unset, |s| Val::Str(s.to_string()))
                    }
                    Kind::Int | Kind::Bool | Kind::S2I | Kind::S2F => Val::Int(p.vdef),
                    Kind::Dbl => Val::Dbl(p.ddef),
                    Kind::Ptr | Kind::Internal | Kind::Alias | Kind::Invalid => Val::Unset,
                }
            })
            .collect();
        Store { scope: bits, vals, modified: vec![false; PROPERTIES.len()] }
    }

    pub(super) fn find(&self, name: &str) -> Option<usize> {
        props::find(self.scope, name)
    }

    pub(super) fn set_by_name(&mut self, name: &str, value: &str) -> Result<(), ConfError> {
        // librdkafka treats an empty value like NULL: reset / "empty value" errors.
        let value = if value.is_empty() { None } else { Some(value) };
        let idx = self.find(name).ok_or_else(|| ConfError::unknown(name))?;
        self.set_prop(idx, value)
    }

    fn put(&mut self, idx: usize, v: Val) {
        self.vals[idx] = v;
        self.modified[idx] = true;
    }

    fn set_prop(&mut self, idx: usize, value: Option<&str>) -> Result<(), ConfError> {
        let p: &Property = &PROPERTIES[idx];
        if let Some(why) = p.unsupported {
            return Err(ConfError::invalid(format!(
                "Configuration property \"{}\" not supported in this build: {}",
                p.name, why
            )));
        }
        match p.kind {
            Kind::Str | Kind::KStr | Kind::PatList => {
                let value = match (p.kind, value) {
                    (Kind::Str, Some(v)) => Some(v.trim_start_matches(is_c_space)),
                    (_, v) => v,
                };
                let ok = match (p.check, value) {
                    (Check::None, _) => true,
                    (_, None) => false,
                    (Check::Single, Some(v)) => !v.contains(',') && !v.contains(' '),
                    (Check::Partitioner, Some(v)) => props::PARTITIONERS.contains(&v),
                };
                if !ok {
                    return Err(ConfError::invalid(format!(
                        "Invalid value for configuration property \"{}\": {}",
                        p.name,
                        value.unwrap_or("(null)")
                    )));
                }
                if p.kind == Kind::PatList {
                    if let Some(v) = value {
                        validate_patterns(v).map_err(ConfError::invalid)?;
                    }
                }
                let v = match value {
                    Some(v) => Val::Str(v.to_string()),
                    None => p.sdef.map_or(Val::Unset, |s| Val::Str(s.to_string())),
                };
                self.put(idx, v);
                Ok(())
            }
            Kind::Ptr => Err(ConfError::invalid(format!(
                "Property \"{}\" must be set through dedicated .._set_..() function",
                p.name
            ))),
            Kind::Internal => {
                Err(ConfError::invalid(format!("Internal property \"{}\" not settable", p.name)))
            }
            Kind::Invalid => Err(ConfError::invalid(p.sdef.unwrap_or("").to_string())),
            Kind::Alias => Err(ConfError::unknown(p.name)),
            Kind::Bool => {
                let v = value.ok_or_else(|| {
                    ConfError::invalid(format!(
                        "Bool configuration property \"{}\" cannot be set to empty value",
                        p.name
                    ))
                })?;
                let b = if v.eq_ignore_ascii_case("true") || v.eq_ignore_ascii_case("t") || v == "1" {
                    1
                } else if v.eq_ignore_ascii_case("false") || v.eq_ignore_ascii_case("f") || v == "0" {
                    0
                } else {
                    return Err(ConfError::invalid(format!(
                        "Expected bool value for \"{}\": true or false",
                        p.name
                    )));
                };
                self.put(idx, Val::Int(b));
                Ok(())
            }
            Kind::Int => {
                let v = value.ok_or_else(|| {
                    ConfError::invalid(format!(
                        "Integer configuration property \"{}\" cannot be set to empty value",
                        p.name
                    ))
                })?;
                // strtol() then a C int cast: partial parses and wrap-around included.
                let ival = match strtol(v) {
                    Some(l) => l as i32,
                    None => {
                        let e =
                            p.values.iter().find(|e| e.name.eq_ignore_ascii_case(v)).ok_or_else(|| {
                                ConfError::invalid(format!(
                                    "Invalid value for configuration property \"{}\"",
                                    p.name
                                ))
                            })?;
                        if let Some(why) = e.unsupported {
                            return Err(ConfError::invalid(format!(
                                "Unsupported value \"{}\" for configuration property \"{}\": {}",
                                v, p.name, why
                            )));
                        }
                        e.val
                    }
                };
                if ival < p.vmin || ival > p.vmax {
                    return Err(ConfError::invalid(format!(
                        "Configuration property \"{}\" value {} is outside allowed range {}..{}\n",
                        p.name, ival, p.vmin, p.vmax
                    )));
                }
                self.put(idx, Val::Int(ival));
                Ok(())
            }
            Kind::Dbl => {
                let v = value.ok_or_else(|| {
                    ConfError::invalid(format!(
                        "Float configuration property \"{}\" cannot be set to empty value",
                        p.name
                    ))
                })?;
                let d = strtod(v).ok_or_else(|| {
                    ConfError::invalid(format!("Invalid value for configuration property \"{}\"", p.name))
                })?;
                // Written so that NaN passes, as it does in librdkafka.
                if d < p.dmin || d > p.dmax {
                    return Err(ConfError::invalid(format!(
                        "Configuration property \"{}\" value {} is outside allowed range {}..{}\n",
                        p.name,
                        fmt_g(d),
                        fmt_g(p.dmin),
                        fmt_g(p.dmax)
                    )));
                }
                self.put(idx, Val::Dbl(d));
                Ok(())
            }
            Kind::S2I | Kind::S2F => {
                let v = value.ok_or_else(|| {
                    ConfError::invalid(format!(
                        "Configuration property \"{}\" cannot be set to empty value",
                        p.name
                    ))
                })?;
                self.set_enum(idx, v)
            }
        }
    }

    /// S2I / S2F parsing. Tokens are only left-trimmed (librdkafka's right
    /// trim never fires), flags apply one by one so an error leaves the
    /// earlier tokens applied, exactly like librdkafka.
    fn set_enum(&mut self, idx: usize, value: &str) -> Result<(), ConfError> {
        let p: &Property = &PROPERTIES[idx];
        let flags = p.kind == Kind::S2F;
        let tokens: Vec<&str> = if flags { value.split(',').collect() } else { vec![value] };
        for tok in tokens {
            let mut s = tok.trim_start_matches(is_c_space);
            let mut mode = FlagMode::Add;
            if flags {
                if let Some(rest) = s.strip_prefix('+') {
                    s = rest;
                } else if let Some(rest) = s.strip_prefix('-') {
                    mode = FlagMode::Del;
                    s = rest;
                }
            }
            if s.is_empty() {
                continue;
            }
            let e = p.values.iter().find(|e| e.name.eq_ignore_ascii_case(s)).ok_or_else(|| {
                ConfError::invalid(format!(
                    "Invalid value \"{}\" for configuration property \"{}\"",
                    s, p.name
                ))
            })?;
            if let Some(why) = e.unsupported {
                return Err(ConfError::invalid(format!(
                    "Unsupported value \"{}\" for configuration property \"{}\": {}",
                    s, p.name, why
                )));
            }
            if !flags {
                self.put(idx, Val::Int(e.val));
                return Ok(());
            }
            let cur = match self.vals[idx] {
                Val::Int(i) => i,
                _ => 0,
            };
            let new = match mode {
                FlagMode::Add => cur | e.val,
                FlagMode::Del => cur & !e.val,
            };
            self.put(idx, Val::Int(new));
        }
        Ok(())
    }

    /// Stores a pointer-type value (dedicated C setters).
    pub(super) fn set_ptr(&mut self, name: &str, addr: usize) -> Result<(), ConfError> {
        let idx = self.find(name).ok_or_else(|| ConfError::unknown(name))?;
        let p = &PROPERTIES[idx];
        if p.kind != Kind::Ptr && p.kind != Kind::Internal {
            return Err(ConfError::invalid(format!("Property \"{}\" is not a pointer property", p.name)));
        }
        let v = if addr == 0 { Val::Unset } else { Val::Ptr(addr) };
        self.put(idx, v);
        Ok(())
    }

    pub(super) fn ptr(&self, name: &str) -> usize {
        match self.find(name).map(|i| &self.vals[i]) {
            Some(Val::Ptr(a)) => *a,
            _ => 0,
        }
    }

    /// The value as `rd_kafka_anyconf_get0` prints it; `None` when it has none.
    pub(super) fn get0(&self, idx: usize) -> Option<String> {
        let p = &PROPERTIES[idx];
        let v = &self.vals[idx];
        match (p.kind, v) {
            (Kind::Str | Kind::KStr | Kind::PatList, Val::Str(s)) => Some(s.clone()),
            (Kind::Ptr | Kind::Internal, Val::Ptr(a)) if p.kind == Kind::Ptr => Some(format!("{:#x}", a)),
            (Kind::Bool, Val::Int(i)) => Some(if *i != 0 { "true" } else { "false" }.to_string()),
            (Kind::Int, Val::Int(i)) => Some(i.to_string()),
            (Kind::Dbl, Val::Dbl(d)) => Some(fmt_g(*d)),
            (Kind::S2I, Val::Int(i)) => p.values.iter().find(|e| e.val == *i).map(|e| e.name.to_string()),
            (Kind::S2F, Val::Int(i)) => Some(flags_to_str(p, *i, ",", false)),
            _ => None,
        }
    }

    pub(super) fn get(&self, name: &str) -> Result<String, ConfError> {
        self.find(name).and_then(|i| self.get0(i)).ok_or_else(|| ConfError::unknown(name))
    }

    pub(super) fn dump(&self, only_modified: bool, redact: bool) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (i, p) in PROPERTIES.iter().enumerate() {
            if p.scope & self.scope == 0 || matches!(p.kind, Kind::Alias | Kind::Invalid) {
                continue;
            }
            if only_modified && !self.modified[i] {
                continue;
            }
            let v = if redact && p.is_sensitive() {
                "[redacted]".to_string()
            } else {
                match self.get0(i) {
                    Some(v) => v,
                    None => continue,
                }
            };
            out.push((p.name.to_string(), v));
        }
        out
    }

    pub(super) fn int_at(&self, idx: usize) -> i64 {
        match &self.vals[idx] {
            Val::Int(i) => *i as i64,
            Val::Dbl(d) if d.is_finite() => *d as i64,
            Val::Ptr(a) => *a as i64,
            _ => 0,
        }
    }

    pub(super) fn float_at(&self, idx: usize) -> f64 {
        match &self.vals[idx] {
            Val::Dbl(d) => *d,
            Val::Int(i) => *i as f64,
            _ => 0.0,
        }
    }

    pub(super) fn string_at(&self, idx: usize) -> Option<String> {
        match &self.vals[idx] {
            Val::Str(s) => Some(s.clone()),
            Val::Unset => None,
            _ => self.get0(idx),
        }
    }

    pub(super) fn any_modified(&self) -> bool {
        self.modified.iter().any(|m| *m)
    }
}

/// Names of the flags/values of `p` matching `ival` (-1: all), joined by `delim`.
pub(super) fn flags_to_str(p: &Property, ival: i32, delim: &str, include_unsupported: bool) -> String {
    let mut out = String::new();
    for e in p.values {
        let selected = ival == -1
            || match p.kind {
                Kind::S2F => ival & e.val == e.val,
                _ => e.val == ival,
            };
        if !selected || (e.unsupported.is_some() && !include_unsupported) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(delim);
        }
        out.push_str(e.name);
    }
    out
}
