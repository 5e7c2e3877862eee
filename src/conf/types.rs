//! What setting and looking up properties answer: scopes, results, errors.

use std::fmt;

use super::props;

/// Which configuration object a property belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Global,
    Topic,
}

impl Scope {
    pub(super) fn bits(self) -> u16 {
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
    pub(super) fn unknown(name: &str) -> ConfError {
        ConfError { res: ConfRes::Unknown, msg: format!("No such configuration property: \"{}\"", name) }
    }
    pub(super) fn invalid(msg: String) -> ConfError {
        ConfError { res: ConfRes::Invalid, msg }
    }
}

impl fmt::Display for ConfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.msg)
    }
}

impl std::error::Error for ConfError {}
