//! ACLs: bindings (who may do what on which resources) and the filters that select them.
//! A binding names everything; a filter may leave names out and use the ANY / MATCH
//! values, which match many. The enums are numbered as Kafka's protocol and librdkafka
//! number them.

use crate::error::{ErrorCode, KafkaError};

/// Declares an enum numbered from 0, with `from_i32`.
macro_rules! numbered {
    ($(#[$doc:meta])* $name:ident { $($v:ident = $n:literal),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $name {
            $($v = $n),*
        }

        impl $name {
            // Private: cbindgen follows public associated constants into the C header.
            const ALL: &'static [$name] = &[$($name::$v),*];

            pub fn from_i32(v: i32) -> Option<$name> {
                usize::try_from(v).ok().and_then(|i| Self::ALL.get(i)).copied()
            }
        }
    };
}

numbered!(
    /// The type of resource an ACL is about.
    ResourceType { Unknown = 0, Any = 1, Topic = 2, Group = 3, Broker = 4, TransactionalId = 5 }
);

numbered!(
    /// How an ACL's resource name matches resources: LITERAL the one named, PREFIXED all
    /// starting with it; ANY and MATCH only in filters.
    ResourcePatternType { Unknown = 0, Any = 1, Match = 2, Literal = 3, Prefixed = 4 }
);

numbered!(
    /// The operation an ACL allows or denies.
    AclOperation {
        Unknown = 0,
        Any = 1,
        All = 2,
        Read = 3,
        Write = 4,
        Create = 5,
        Delete = 6,
        Alter = 7,
        Describe = 8,
        ClusterAction = 9,
        DescribeConfigs = 10,
        AlterConfigs = 11,
        IdempotentWrite = 12,
    }
);

numbered!(
    /// Whether an ACL allows or denies.
    AclPermissionType { Unknown = 0, Any = 1, Deny = 2, Allow = 3 }
);

/// An ACL binding, or a filter (see `filter`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AclBinding {
    /// A binding in a DeleteAcls answer may carry its own error.
    error: Option<KafkaError>,
    restype: ResourceType,
    name: Option<String>,
    pattern: ResourcePatternType,
    principal: Option<String>,
    host: Option<String>,
    operation: AclOperation,
    permission: AclPermissionType,
}

impl AclBinding {
    /// A binding to create (CreateAcls): the name, principal and host are needed, and no
    /// field may be UNKNOWN, ANY or MATCH. The enums are RD_KAFKA_* values.
    pub fn binding(
        restype: i32,
        name: Option<String>,
        pattern: i32,
        principal: Option<String>,
        host: Option<String>,
        operation: i32,
        permission: i32,
    ) -> Result<AclBinding, KafkaError> {
        let missing = if name.is_none() {
            Some("Invalid resource name")
        } else if principal.is_none() {
            Some("Invalid principal")
        } else if host.is_none() {
            Some("Invalid host")
        } else {
            None
        };
        if let Some(m) = missing {
            return Err(invalid(m));
        }
        AclBinding::checked(restype, name, pattern, principal, host, operation, permission, false)
    }

    /// A filter (DescribeAcls, DeleteAcls): missing strings and ANY / MATCH match
    /// everything; no field may be UNKNOWN.
    pub fn filter(
        restype: i32,
        name: Option<String>,
        pattern: i32,
        principal: Option<String>,
        host: Option<String>,
        operation: i32,
        permission: i32,
    ) -> Result<AclBinding, KafkaError> {
        AclBinding::checked(restype, name, pattern, principal, host, operation, permission, true)
    }

    #[allow(clippy::too_many_arguments)]
    fn checked(
        restype: i32,
        name: Option<String>,
        pattern: i32,
        principal: Option<String>,
        host: Option<String>,
        operation: i32,
        permission: i32,
        filter: bool,
    ) -> Result<AclBinding, KafkaError> {
        use AclOperation as Op;
        use AclPermissionType as Perm;
        use ResourcePatternType as Pat;
        // UNKNOWN is never right; the values that match many only in a filter.
        let restype = ResourceType::from_i32(restype)
            .filter(|t| *t != ResourceType::Unknown && (filter || *t != ResourceType::Any))
            .ok_or_else(|| invalid("Invalid resource type"))?;
        let pattern = Pat::from_i32(pattern)
            .filter(|p| *p != Pat::Unknown && (filter || !matches!(p, Pat::Any | Pat::Match)))
            .ok_or_else(|| invalid("Invalid resource pattern type"))?;
        let operation = Op::from_i32(operation)
            .filter(|o| *o != Op::Unknown && (filter || *o != Op::Any))
            .ok_or_else(|| invalid("Invalid operation"))?;
        let permission = Perm::from_i32(permission)
            .filter(|p| *p != Perm::Unknown && (filter || *p != Perm::Any))
            .ok_or_else(|| invalid("Invalid permission type"))?;
        Ok(AclBinding { error: None, restype, name, pattern, principal, host, operation, permission })
    }

    /// A binding as a broker's answer has it: values out of range read as UNKNOWN.
    pub fn answered(
        restype: i32,
        name: Option<String>,
        pattern: i32,
        principal: Option<String>,
        host: Option<String>,
        operation: i32,
        permission: i32,
    ) -> AclBinding {
        AclBinding {
            error: None,
            restype: ResourceType::from_i32(restype).unwrap_or(ResourceType::Unknown),
            name,
            pattern: ResourcePatternType::from_i32(pattern).unwrap_or(ResourcePatternType::Unknown),
            principal,
            host,
            operation: AclOperation::from_i32(operation).unwrap_or(AclOperation::Unknown),
            permission: AclPermissionType::from_i32(permission).unwrap_or(AclPermissionType::Unknown),
        }
    }

    pub fn set_error(&mut self, e: Option<KafkaError>) {
        self.error = e;
    }

    pub fn error(&self) -> Option<&KafkaError> {
        self.error.as_ref()
    }

    pub fn restype(&self) -> ResourceType {
        self.restype
    }

    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    pub fn pattern(&self) -> ResourcePatternType {
        self.pattern
    }

    pub fn principal(&self) -> Option<&str> {
        self.principal.as_deref()
    }

    pub fn host(&self) -> Option<&str> {
        self.host.as_deref()
    }

    pub fn operation(&self) -> AclOperation {
        self.operation
    }

    pub fn permission(&self) -> AclPermissionType {
        self.permission
    }
}

fn invalid(msg: &str) -> KafkaError {
    KafkaError::new(ErrorCode::_INVALID_ARG, msg)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Option<String> {
        Some(v.to_string())
    }

    fn msg(r: Result<AclBinding, KafkaError>) -> String {
        r.unwrap_err().msg
    }

    #[test]
    fn bindings_name_everything_and_match_nothing_but_themselves() {
        let a = AclBinding::binding(2, s("t"), 3, s("User:a"), s("*"), 3, 3).unwrap();
        assert_eq!((a.restype(), a.pattern()), (ResourceType::Topic, ResourcePatternType::Literal));
        assert_eq!((a.operation(), a.permission()), (AclOperation::Read, AclPermissionType::Allow));
        assert_eq!((a.name(), a.principal(), a.host()), (Some("t"), Some("User:a"), Some("*")));
        assert_eq!(msg(AclBinding::binding(1, s("t"), 3, s("p"), s("*"), 3, 3)), "Invalid resource type");
        assert_eq!(
            msg(AclBinding::binding(2, s("t"), 2, s("p"), s("*"), 3, 3)),
            "Invalid resource pattern type"
        );
        assert_eq!(msg(AclBinding::binding(2, s("t"), 3, s("p"), s("*"), 13, 3)), "Invalid operation");
        assert_eq!(msg(AclBinding::binding(2, s("t"), 3, s("p"), s("*"), 3, 1)), "Invalid permission type");
        // Missing strings are reported first, in order.
        assert_eq!(msg(AclBinding::binding(0, None, 0, None, None, 0, 0)), "Invalid resource name");
        assert_eq!(msg(AclBinding::binding(0, s("t"), 0, None, None, 0, 0)), "Invalid principal");
        assert_eq!(msg(AclBinding::binding(0, s("t"), 0, s("p"), None, 0, 0)), "Invalid host");
    }

    #[test]
    fn filters_may_match_many_but_not_unknown() {
        let f = AclBinding::filter(1, None, 2, None, None, 1, 1).unwrap();
        assert_eq!(f.name(), None);
        assert_eq!(f.pattern(), ResourcePatternType::Match);
        assert_eq!(msg(AclBinding::filter(0, None, 1, None, None, 1, 1)), "Invalid resource type");
        assert_eq!(msg(AclBinding::filter(1, None, 5, None, None, 1, 1)), "Invalid resource pattern type");
        assert_eq!(msg(AclBinding::filter(1, None, 1, None, None, 0, 1)), "Invalid operation");
        assert_eq!(msg(AclBinding::filter(1, None, 1, None, None, 1, 4)), "Invalid permission type");
        assert_eq!(AclOperation::ALL.len(), 13);
        assert_eq!(AclOperation::IdempotentWrite as i32, 12);
    }
}
