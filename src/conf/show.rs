//! The properties table in librdkafka's CONFIGURATION.md format.

use super::parse::fmt_g;
use super::props::{self, Kind, PROPERTIES};
use super::store::flags_to_str;

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
