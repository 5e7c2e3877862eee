//! Property descriptions, for the unit tests that compare the table with librdkafka.

use super::props::{self, Kind, PROPERTIES};
use super::store::Store;
use super::types::Scope;

/// A property as the tests check it.
#[derive(Debug, Clone)]
pub struct PropertyInfo {
    /// Canonical name (aliases resolved).
    pub name: &'static str,
    /// Alias targets resolve here; `None` unless `property_info` was given an alias.
    pub alias_of: Option<&'static str>,
    pub scope: Scope,
    /// "C", "P" or "*".
    pub client_type: &'static str,
    /// Default as `get` prints it on a fresh object; `None` when unset.
    pub default: Option<String>,
    /// Allowed range for integer and float properties.
    pub range: Option<(f64, f64)>,
    /// Accepted strings for enum and flag properties.
    pub values: Vec<&'static str>,
    pub sensitive: bool,
    pub supported: bool,
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
        client_type: p.client_type(),
        default: store.get0(idx),
        range: match p.kind {
            Kind::Int => Some((p.vmin as f64, p.vmax as f64)),
            Kind::Dbl => Some((p.dmin, p.dmax)),
            _ => None,
        },
        values: p.values.iter().map(|v| v.name).collect(),
        sensitive: p.is_sensitive(),
        supported: p.unsupported.is_none(),
    })
}
