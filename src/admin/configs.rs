//! Configs in the Admin API: a resource (topic, broker, group ...) and the config entries
//! to set, alter incrementally or describe.

use crate::error::{ErrorCode, KafkaError};

/// How IncrementalAlterConfigs changes one config (Kafka's numbering).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AlterConfigOpType {
    Set = 0,
    Delete = 1,
    Append = 2,
    Subtract = 3,
}

impl AlterConfigOpType {
    // Private: cbindgen follows public associated constants and would put the type into
    // the C header.
    const ALL: [AlterConfigOpType; 4] = [
        AlterConfigOpType::Set,
        AlterConfigOpType::Delete,
        AlterConfigOpType::Append,
        AlterConfigOpType::Subtract,
    ];

    pub fn from_i32(v: i32) -> Option<AlterConfigOpType> {
        usize::try_from(v).ok().and_then(|i| AlterConfigOpType::ALL.get(i)).copied()
    }

    /// Whether the change needs a value: all but DELETE do.
    pub fn needs_value(self) -> bool {
        self != AlterConfigOpType::Delete
    }
}

/// One config name and value (None: the default, or no value for a DELETE).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigEntry {
    pub name: String,
    pub value: Option<String>,
    /// SET for the entries of CreateTopics and AlterConfigs.
    pub op: AlterConfigOpType,
}

impl ConfigEntry {
    /// An entry that sets `name` (CreateTopics, AlterConfigs).
    pub fn set(name: String, value: Option<String>) -> ConfigEntry {
        ConfigEntry { name, value, op: AlterConfigOpType::Set }
    }
}

/// A resource whose configs to alter or describe.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigResource {
    restype: i32,
    name: String,
    entries: Vec<ConfigEntry>,
}

impl ConfigResource {
    /// A resource of type `restype` (RD_KAFKA_RESOURCE_*: any value from 0 is kept, as
    /// librdkafka keeps it) named `name`; None if the name is empty or the type negative.
    pub fn new(restype: i32, name: String) -> Option<ConfigResource> {
        (!name.is_empty() && restype >= 0).then_some(ConfigResource { restype, name, entries: Vec::new() })
    }

    /// A resource as a broker's answer names it (no checks: the broker is not C).
    pub fn answered(restype: i32, name: String) -> ConfigResource {
        ConfigResource { restype, name, entries: Vec::new() }
    }

    pub fn restype(&self) -> i32 {
        self.restype
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// The entries, in the order they were added.
    pub fn entries(&self) -> &[ConfigEntry] {
        &self.entries
    }

    /// Adds a config to set (AlterConfigs); the name must not be empty.
    pub fn set_config(&mut self, name: String, value: String) -> Result<(), KafkaError> {
        if name.is_empty() {
            return Err(invalid("the config name is empty"));
        }
        self.entries.push(ConfigEntry::set(name, Some(value)));
        Ok(())
    }

    /// Adds an incremental change (IncrementalAlterConfigs): `op_type` is an
    /// RD_KAFKA_ALTER_CONFIG_OP_TYPE_*, `name` is needed and not empty, `value` is needed
    /// but for DELETE. Checked in this order, with librdkafka's texts.
    pub fn add_incremental_config(
        &mut self,
        name: Option<String>,
        op_type: i32,
        value: Option<String>,
    ) -> Result<(), KafkaError> {
        let op = AlterConfigOpType::from_i32(op_type)
            .ok_or_else(|| invalid("unknown alter config operation type"))?;
        let name = match name {
            None => return Err(invalid("a config name is needed")),
            Some(n) if n.is_empty() => return Err(invalid("the config name is empty")),
            Some(n) => n,
        };
        if value.is_none() && op.needs_value() {
            return Err(invalid("a config value is needed for this operation type"));
        }
        self.entries.push(ConfigEntry { name, value, op });
        Ok(())
    }
}

fn invalid(msg: &str) -> KafkaError {
    KafkaError::new(ErrorCode::_INVALID_ARG, msg)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(r: Result<(), KafkaError>) -> String {
        r.unwrap_err().msg
    }

    #[test]
    fn a_resource_needs_a_name_and_a_type() {
        assert!(ConfigResource::new(2, String::new()).is_none());
        assert!(ConfigResource::new(-1, "t".into()).is_none());
        let r = ConfigResource::new(99, "t".into()).unwrap();
        assert_eq!((r.restype(), r.name()), (99, "t"));
        assert!(r.entries().is_empty());
    }

    #[test]
    fn incremental_changes_are_checked_in_librdkafkas_order() {
        let mut r = ConfigResource::new(2, "t".into()).unwrap();
        let s = |v: &str| Some(v.to_string());
        assert_eq!(msg(r.add_incremental_config(None, 4, None)), "unknown alter config operation type");
        assert_eq!(msg(r.add_incremental_config(None, -1, s("1"))), "unknown alter config operation type");
        assert_eq!(msg(r.add_incremental_config(None, 0, None)), "a config name is needed");
        assert_eq!(msg(r.add_incremental_config(s(""), 0, None)), "the config name is empty");
        assert_eq!(
            msg(r.add_incremental_config(s("x"), 0, None)),
            "a config value is needed for this operation type"
        );
        assert!(r.add_incremental_config(s("x"), 1, None).is_ok());
        assert!(r.add_incremental_config(s("y"), 2, s("a")).is_ok());
        assert_eq!(msg(r.set_config(String::new(), "1".into())), "the config name is empty");
        assert!(r.set_config("z".into(), "1".into()).is_ok());
        let got: Vec<_> = r.entries().iter().map(|e| (e.name.as_str(), e.value.as_deref(), e.op)).collect();
        assert_eq!(
            got,
            [
                ("x", None, AlterConfigOpType::Delete),
                ("y", Some("a"), AlterConfigOpType::Append),
                ("z", Some("1"), AlterConfigOpType::Set)
            ]
        );
    }
}
