//! Configuration objects with librdkafka's semantics: `Conf` is
//! `rd_kafka_conf_t`, `TopicConf` is `rd_kafka_topic_conf_t`.
//!
//! Setting, getting and dumping follow librdkafka 2.x exactly, including its
//! quirks (errors name the canonical property of an alias, integer range
//! errors end in '\n', CSV flags are OR:ed into the current value, an unset
//! string property reads as unknown), because programs print these strings and
//! compare these results.

mod finalize;
pub mod props;

pub use finalize::{sanitize_software_str, ClientType, IDEMP_MAX_INFLIGHT};

use props::{Check, Kind, Property, PROPERTIES};
use std::fmt;

/// Which configuration object a property belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Global,
    Topic,
}

impl Scope {
    fn bits(self) -> u16 {
        match self {
            Scope::Global => props::GLOBAL,
            Scope::Topic => props::TOPIC,
        }
    }
}

/// `rd_kafka_conf_res_t`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfRes {
    Unknown = -2,
    Invalid = -1,
    Ok = 0,
}

#[derive(Debug, Clone)]
pub struct ConfError {
    pub res: ConfRes,
    pub msg: String,
}

impl ConfError {
    fn unknown(name: &str) -> ConfError {
        ConfError { res: ConfRes::Unknown, msg: format!("No such configuration property: \"{}\"", name) }
    }
    fn invalid(msg: String) -> ConfError {
        ConfError { res: ConfRes::Invalid, msg }
    }
}

impl fmt::Display for ConfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.msg)
    }
}

impl std::error::Error for ConfError {}

/// Public description of a property, for docs and tests.
#[derive(Debug, Clone)]
pub struct PropertyInfo {
    /// Canonical name (aliases resolved).
    pub name: &'static str,
    /// Alias targets resolve here; `None` unless `property_info` was given an alias.
    pub alias_of: Option<&'static str>,
    pub scope: Scope,
    pub kind: Kind,
    /// "C", "P" or "*".
    pub client_type: &'static str,
    /// Default as `get` prints it on a fresh object; `None` when unset.
    pub default: Option<String>,
    /// Allowed range for integer and float properties.
    pub range: Option<(f64, f64)>,
    /// Accepted strings for enum and flag properties.
    pub values: Vec<&'static str>,
    pub sensitive: bool,
    pub hidden: bool,
    pub deprecated: bool,
    pub supported: bool,
    pub desc: &'static str,
}

/// Looks a property up by name (or alias), global scope first.
pub fn property_info(name: &str) -> Option<PropertyInfo> {
    let (scope, idx) = match props::find(props::GLOBAL, name) {
        Some(i) => (Scope::Global, i),
        None => (Scope::Topic, props::find(props::TOPIC, name)?),
    };
    let p = &PROPERTIES[idx];
    let alias_of = if p.name != name { Some(p.name) } else { None };
    let store = Store::new(scope);
    Some(PropertyInfo {
        name: p.name,
        alias_of,
        scope,
        kind: p.kind,
        client_type: p.client_type(),
        default: store.get0(idx),
        range: match p.kind {
            Kind::Int => Some((p.vmin as f64, p.vmax as f64)),
            Kind::Dbl => Some((p.dmin, p.dmax)),
            _ => None,
        },
        values: p.values.iter().map(|v| v.name).collect(),
        sensitive: p.is_sensitive(),
        hidden: p.is_hidden(),
        deprecated: p.scope & props::DEPRECATED != 0,
        supported: p.unsupported.is_none(),
        desc: p.desc,
    })
}

/// A stored property value.
#[derive(Debug, Clone, PartialEq)]
enum Val {
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
struct Store {
    scope: u16,
    vals: Vec<Val>,
    modified: Vec<bool>,
}

/// How an S2F token combines with the current flags.
#[derive(Clone, Copy)]
enum FlagMode {
    Add,
    Del,
}

impl Store {
    fn new(scope: Scope) -> Store {
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

    fn find(&self, name: &str) -> Option<usize> {
        props::find(self.scope, name)
    }

    fn set_by_name(&mut self, name: &str, value: &str) -> Result<(), ConfError> {
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
    fn set_ptr(&mut self, name: &str, addr: usize) -> Result<(), ConfError> {
        let idx = self.find(name).ok_or_else(|| ConfError::unknown(name))?;
        let p = &PROPERTIES[idx];
        if p.kind != Kind::Ptr && p.kind != Kind::Internal {
            return Err(ConfError::invalid(format!("Property \"{}\" is not a pointer property", p.name)));
        }
        let v = if addr == 0 { Val::Unset } else { Val::Ptr(addr) };
        self.put(idx, v);
        Ok(())
    }

    fn ptr(&self, name: &str) -> usize {
        match self.find(name).map(|i| &self.vals[i]) {
            Some(Val::Ptr(a)) => *a,
            _ => 0,
        }
    }

    /// The value as `rd_kafka_anyconf_get0` prints it; `None` when it has none.
    fn get0(&self, idx: usize) -> Option<String> {
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

    fn get(&self, name: &str) -> Result<String, ConfError> {
        self.find(name).and_then(|i| self.get0(i)).ok_or_else(|| ConfError::unknown(name))
    }

    fn dump(&self, only_modified: bool, redact: bool) -> Vec<(String, String)> {
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

    fn int_at(&self, idx: usize) -> i64 {
        match &self.vals[idx] {
            Val::Int(i) => *i as i64,
            Val::Dbl(d) if d.is_finite() => *d as i64,
            Val::Ptr(a) => *a as i64,
            _ => 0,
        }
    }

    fn float_at(&self, idx: usize) -> f64 {
        match &self.vals[idx] {
            Val::Dbl(d) => *d,
            Val::Int(i) => *i as f64,
            _ => 0.0,
        }
    }

    fn string_at(&self, idx: usize) -> Option<String> {
        match &self.vals[idx] {
            Val::Str(s) => Some(s.clone()),
            Val::Unset => None,
            _ => self.get0(idx),
        }
    }

    fn any_modified(&self) -> bool {
        self.modified.iter().any(|m| *m)
    }
}

/// Global configuration (`rd_kafka_conf_t`).
#[derive(Clone)]
pub struct Conf {
    store: Store,
    topic: TopicConf,
    /// librdkafka has no default topic conf until one is set or a
    /// topic property is set on the global conf; `get` honours that.
    has_topic: bool,
    topic_overwritten: bool,
}

impl Default for Conf {
    fn default() -> Self {
        Conf::new()
    }
}

impl fmt::Debug for Conf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Redacted so that secrets don't end up in logs.
        f.debug_struct("Conf")
            .field("modified", &self.store.dump(true, true))
            .field("topic", &self.topic)
            .finish()
    }
}

impl Conf {
    pub fn new() -> Conf {
        Conf {
            store: Store::new(Scope::Global),
            topic: TopicConf::new(),
            has_topic: false,
            topic_overwritten: false,
        }
    }

    /// `rd_kafka_conf_set`: global property, else (when unknown there) a
    /// property of the default topic conf.
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), ConfError> {
        match self.store.set_by_name(name, value) {
            Err(e) if e.res == ConfRes::Unknown => {
                // librdkafka creates the default topic conf before trying.
                self.has_topic = true;
                self.topic.set(name, value)
            }
            r => r,
        }
    }

    /// `rd_kafka_conf_get`: the printed value; unknown names, unset string
    /// properties and unset pointers give `ConfRes::Unknown`.
    pub fn get(&self, name: &str) -> Result<String, ConfError> {
        match self.store.get(name) {
            Err(e) if self.has_topic => self.topic.get(name).map_err(|_| e),
            r => r,
        }
    }

    /// `rd_kafka_conf_dump`: every global property that has a value, in table
    /// order, sensitive values included (librdkafka doesn't redact here).
    pub fn dump(&self) -> Vec<(String, String)> {
        self.store.dump(false, false)
    }

    /// Properties the user set, secrets shown as "[redacted]" (what
    /// librdkafka logs under `debug=conf`).
    pub fn dump_modified_redacted(&self) -> Vec<(String, String)> {
        self.store.dump(true, true)
    }

    pub fn default_topic_conf(&self) -> &TopicConf {
        &self.topic
    }

    pub fn default_topic_conf_mut(&mut self) -> &mut TopicConf {
        self.has_topic = true;
        &mut self.topic
    }

    /// `rd_kafka_conf_set_default_topic_conf`.
    pub fn set_default_topic_conf(&mut self, t: TopicConf) {
        if self.has_topic && self.topic.store.any_modified() {
            self.topic_overwritten = true;
        }
        self.topic = t;
        self.has_topic = true;
    }

    /// Whether a default topic conf exists (set explicitly or created by
    /// setting a topic property on the global conf).
    pub fn has_default_topic_conf(&self) -> bool {
        self.has_topic
    }

    /// Topic properties set on the global conf were replaced by
    /// `set_default_topic_conf` (librdkafka logs a CONFWARN for this).
    pub fn default_topic_conf_overwritten(&self) -> bool {
        self.topic_overwritten
    }

    /// Stores a callback/pointer property (`dr_msg_cb`, `opaque`, ...) as an
    /// address, for the C layer's dedicated setters; 0 clears it.
    pub fn set_ptr(&mut self, name: &str, addr: usize) -> Result<(), ConfError> {
        self.store.set_ptr(name, addr)
    }

    pub fn ptr(&self, name: &str) -> usize {
        self.store.ptr(name)
    }

    /// Global property, else the default topic conf's.
    fn lookup(&self, name: &str) -> Option<(&Store, usize)> {
        if let Some(i) = self.store.find(name) {
            return Some((&self.store, i));
        }
        self.topic.store.find(name).map(|i| (&self.topic.store, i))
    }

    /// Integer value: ints, bools (0/1), enum values, flag bits, truncated floats.
    pub fn int(&self, name: &str) -> i64 {
        self.lookup(name).map_or(0, |(s, i)| s.int_at(i))
    }

    pub fn boolean(&self, name: &str) -> bool {
        self.int(name) != 0
    }

    /// String value; enums give their canonical name; `None` when unset.
    pub fn string(&self, name: &str) -> Option<String> {
        self.lookup(name).and_then(|(s, i)| s.string_at(i))
    }

    pub fn float(&self, name: &str) -> f64 {
        self.lookup(name).map_or(0.0, |(s, i)| s.float_at(i))
    }

    /// Whether the user set the property (`rd_kafka_conf_is_modified`).
    pub fn is_set(&self, name: &str) -> bool {
        self.lookup(name).is_some_and(|(s, i)| s.modified[i])
    }
}

/// Topic configuration (`rd_kafka_topic_conf_t`).
#[derive(Clone)]
pub struct TopicConf {
    store: Store,
}

impl Default for TopicConf {
    fn default() -> Self {
        TopicConf::new()
    }
}

impl fmt::Debug for TopicConf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TopicConf").field("modified", &self.store.dump(true, true)).finish()
    }
}

impl TopicConf {
    pub fn new() -> TopicConf {
        TopicConf { store: Store::new(Scope::Topic) }
    }

    /// `rd_kafka_topic_conf_set`; a leading "topic." is ignored.
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), ConfError> {
        let name = name.strip_prefix("topic.").unwrap_or(name);
        self.store.set_by_name(name, value)
    }

    pub fn get(&self, name: &str) -> Result<String, ConfError> {
        self.store.get(name)
    }

    pub fn dump(&self) -> Vec<(String, String)> {
        self.store.dump(false, false)
    }

    pub fn dump_modified_redacted(&self) -> Vec<(String, String)> {
        self.store.dump(true, true)
    }

    pub fn set_ptr(&mut self, name: &str, addr: usize) -> Result<(), ConfError> {
        self.store.set_ptr(name, addr)
    }

    pub fn ptr(&self, name: &str) -> usize {
        self.store.ptr(name)
    }

    pub fn int(&self, name: &str) -> i64 {
        self.store.find(name).map_or(0, |i| self.store.int_at(i))
    }

    pub fn boolean(&self, name: &str) -> bool {
        self.int(name) != 0
    }

    pub fn string(&self, name: &str) -> Option<String> {
        self.store.find(name).and_then(|i| self.store.string_at(i))
    }

    pub fn float(&self, name: &str) -> f64 {
        self.store.find(name).map_or(0.0, |i| self.store.float_at(i))
    }

    pub fn is_set(&self, name: &str) -> bool {
        self.store.find(name).is_some_and(|i| self.store.modified[i])
    }
}

/// The properties table as `rd_kafka_conf_properties_show` prints it
/// (markdown, global then topic scope; hidden properties left out).
pub fn properties_show() -> String {
    use std::fmt::Write;
    let dash = "-".repeat(80);
    let mut out = String::new();
    let mut last: u16 = 0;
    for p0 in PROPERTIES.iter() {
        if p0.is_hidden() || p0.kind == Kind::Invalid {
            continue;
        }
        if p0.scope & last == 0 {
            let _ = write!(
                out,
                "{}## {} configuration properties\n\n",
                if last != 0 { "\n\n" } else { "" },
                if p0.is_global() { "Global" } else { "Topic" }
            );
            let _ = writeln!(
                out,
                "{:<40} | {:>3} | {:<15} | {:>13} | {:<10} | {:<25}",
                "Property", "C/P", "Range", "Default", "Importance", "Description"
            );
            let _ = writeln!(
                out,
                "{}-|-{}-|-{}-|-{}:|-{}-| -{}",
                &dash[..40],
                &dash[..3],
                &dash[..15],
                &dash[..13],
                &dash[..10],
                &dash[..25]
            );
            last = p0.scope & (props::GLOBAL | props::TOPIC);
        }
        let _ = write!(out, "{:<40} | ", p0.name);
        // Aliases show their target's range, default and description. The
        // target is looked up with all of the alias's flags, as librdkafka
        // does (so topic `compression.type` shows the global codec).
        let p = if p0.kind == Kind::Alias {
            match p0.sdef.and_then(|t| props::find(p0.scope, t)) {
                Some(i) => &PROPERTIES[i],
                None => p0,
            }
        } else {
            p0
        };
        let _ = write!(out, "{:>3} | ", format!(" {} ", p.client_type()));
        let (range, default) = match p.kind {
            Kind::Str | Kind::KStr | Kind::PatList => (String::new(), p.sdef.unwrap_or("").to_string()),
            Kind::Bool => ("true, false".to_string(), if p.vdef != 0 { "true" } else { "false" }.to_string()),
            Kind::Int => (format!("{} .. {}", p.vmin, p.vmax), p.vdef.to_string()),
            Kind::Dbl => (format!("{} .. {}", fmt_g(p.dmin), fmt_g(p.dmax)), fmt_g(p.ddef)),
            Kind::S2I => (
                flags_to_str(p, -1, ", ", true),
                p.values.iter().find(|e| e.val == p.vdef).map_or(" ".to_string(), |e| e.name.to_string()),
            ),
            Kind::S2F => (
                if p.name == "builtin.features" { String::new() } else { flags_to_str(p, -1, ", ", true) },
                flags_to_str(p, p.vdef, ", ", true),
            ),
            _ => (String::new(), String::new()),
        };
        if matches!(p.kind, Kind::Ptr | Kind::Internal) {
            let _ = write!(out, "{:<15} | {:<13}", "", " ");
        } else {
            let _ = write!(out, "{:<15} | {:>13}", range, default);
        }
        let _ = write!(out, " | {:<10} | ", p.importance());
        if p.scope & props::EXPERIMENTAL != 0 {
            out.push_str("**EXPERIMENTAL**: subject to change or removal. ");
        }
        if p.scope & props::DEPRECATED != 0 {
            out.push_str("**DEPRECATED** ");
        }
        if p0.kind == Kind::Alias {
            let _ = write!(out, "Alias for `{}`: ", p0.sdef.unwrap_or(""));
        }
        let _ = writeln!(out, "{} <br>*Type: {}*", p.desc, p.type_name());
    }
    out.push('\n');
    out.push_str("### C/P legend: C = Consumer, P = Producer, * = both\n");
    out
}

/// Names of the flags/values of `p` matching `ival` (-1: all), joined by `delim`.
fn flags_to_str(p: &Property, ival: i32, delim: &str, include_unsupported: bool) -> String {
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

/// C's isspace() in the "C" locale.
fn is_c_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\x0b' | '\x0c' | '\r')
}

/// strtol(s, &end, 0) on a 64-bit long: `None` when no digits were parsed
/// (end == s), otherwise the (saturated) value of the longest valid prefix.
fn strtol(s: &str) -> Option<i64> {
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
fn strtod(s: &str) -> Option<f64> {
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

/// Syntax check of a CSV of POSIX extended regexes, with glibc regcomp()'s
/// messages for the common mistakes (librdkafka compiles them with regcomp).
fn validate_patterns(list: &str) -> Result<(), String> {
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

#[cfg(test)]
mod tests;
