//! ACLs: CreateAcls, DescribeAcls and DeleteAcls, all on the controller.

use super::on_controller;
use crate::admin::acls::{AclBinding, ResourcePatternType};
use crate::admin::engine::{broker_error, Ctx};
use crate::admin::result::DeleteAclsResponse as DeleteAclsAnswer;
use crate::error::{ErrorCode, KafkaError};
use kafka_protocol::messages::create_acls_request::AclCreation;
use kafka_protocol::messages::delete_acls_request::DeleteAclsFilter;
use kafka_protocol::messages::*;
use kafka_protocol::protocol::StrBytes;

fn s(v: Option<&str>) -> Option<StrBytes> {
    v.map(|v| StrBytes::from_string(v.to_string()))
}

fn unsupported(msg: &str) -> KafkaError {
    KafkaError::new(ErrorCode::_UNSUPPORTED_FEATURE, msg)
}

/// The version the controller will use for `key` is only known once connected; the
/// pattern-type checks librdkafka makes per version are made against v1+ (every broker
/// with ACLs since Kafka 2.0), the ones for v0 when only v0 is offered.
fn check_filters(filters: &[AclBinding]) -> Result<(), KafkaError> {
    match filters.iter().any(|f| f.pattern() == ResourcePatternType::Unknown) {
        true => Err(unsupported("Filter contains UNKNOWN elements")),
        false => Ok(()),
    }
}

/// A binding as a broker's answer names it.
#[allow(clippy::too_many_arguments)]
fn answered(
    restype: i8,
    name: &StrBytes,
    pattern: i8,
    principal: &StrBytes,
    host: &StrBytes,
    op: i8,
    perm: i8,
) -> AclBinding {
    AclBinding::answered(
        restype as i32,
        Some(name.to_string()),
        pattern as i32,
        Some(principal.to_string()),
        Some(host.to_string()),
        op as i32,
        perm as i32,
    )
}

pub fn create_acls(ctx: &Ctx, acls: Vec<AclBinding>) -> Result<Vec<Option<KafkaError>>, KafkaError> {
    if acls.is_empty() {
        ctx.controller()?;
        return Err(KafkaError::new(ErrorCode::_INVALID_ARG, "No acls to create"));
    }
    if acls
        .iter()
        .any(|a| !matches!(a.pattern(), ResourcePatternType::Literal | ResourcePatternType::Prefixed))
    {
        return Err(unsupported(
            "Only LITERAL and PREFIXED resource patterns are supported when creating ACLs",
        ));
    }
    let n = acls.len();
    let build = move |_ver: i16| {
        let mut r = CreateAclsRequest::default();
        r.creations = acls
            .iter()
            .map(|a| {
                let mut c = AclCreation::default();
                c.resource_type = a.restype() as i8;
                c.resource_name = s(a.name()).unwrap_or_default();
                c.resource_pattern_type = a.pattern() as i8;
                c.principal = s(a.principal()).unwrap_or_default();
                c.host = s(a.host()).unwrap_or_default();
                c.operation = a.operation() as i8;
                c.permission_type = a.permission() as i8;
                c
            })
            .collect();
        r
    };
    let r: CreateAclsResponse =
        on_controller(ctx, ApiKey::CreateAcls, 0, 2, build, |_: &CreateAclsResponse| false)?;
    if r.results.len() != n {
        return Err(KafkaError::new(
            ErrorCode::_BAD_MSG,
            format!("Received {} acls in response, but {n} were requested", r.results.len()),
        ));
    }
    Ok(r.results.iter().map(|x| broker_error(x.error_code, x.error_message.as_ref())).collect())
}

pub fn describe_acls(ctx: &Ctx, f: AclBinding) -> Result<Vec<AclBinding>, KafkaError> {
    check_filters(std::slice::from_ref(&f))?;
    let build = move |_ver: i16| {
        let mut r = DescribeAclsRequest::default();
        r.resource_type_filter = f.restype() as i8;
        r.resource_name_filter = s(f.name());
        r.pattern_type_filter = f.pattern() as i8;
        r.principal_filter = s(f.principal());
        r.host_filter = s(f.host());
        r.operation = f.operation() as i8;
        r.permission_type = f.permission() as i8;
        r
    };
    let r: DescribeAclsResponse =
        on_controller(ctx, ApiKey::DescribeAcls, 0, 2, build, |_: &DescribeAclsResponse| false)?;
    // librdkafka ignores the top-level error and reports what was listed: so does
    // kafkars, applications compare the event's error with NO_ERROR.
    Ok(r.resources
        .iter()
        .flat_map(|res| {
            res.acls.iter().map(move |a| {
                answered(
                    res.resource_type,
                    &res.resource_name,
                    res.pattern_type,
                    &a.principal,
                    &a.host,
                    a.operation,
                    a.permission_type,
                )
            })
        })
        .collect())
}

pub fn delete_acls(ctx: &Ctx, filters: Vec<AclBinding>) -> Result<Vec<DeleteAclsAnswer>, KafkaError> {
    if filters.is_empty() {
        ctx.controller()?;
        return Err(KafkaError::new(ErrorCode::_INVALID_ARG, "No acl binding filters specified"));
    }
    check_filters(&filters)?;
    let build = move |_ver: i16| {
        let mut r = DeleteAclsRequest::default();
        r.filters = filters
            .iter()
            .map(|f| {
                let mut d = DeleteAclsFilter::default();
                d.resource_type_filter = f.restype() as i8;
                d.resource_name_filter = s(f.name());
                d.pattern_type_filter = f.pattern() as i8;
                d.principal_filter = s(f.principal());
                d.host_filter = s(f.host());
                d.operation = f.operation() as i8;
                d.permission_type = f.permission() as i8;
                d
            })
            .collect();
        r
    };
    let r: DeleteAclsResponse =
        on_controller(ctx, ApiKey::DeleteAcls, 0, 2, build, |_: &DeleteAclsResponse| false)?;
    Ok(r.filter_results
        .iter()
        .map(|fr| DeleteAclsAnswer {
            err: broker_error(fr.error_code, fr.error_message.as_ref()),
            matching: fr
                .matching_acls
                .iter()
                .map(|m| {
                    let mut b = answered(
                        m.resource_type,
                        &m.resource_name,
                        m.pattern_type,
                        &m.principal,
                        &m.host,
                        m.operation,
                        m.permission_type,
                    );
                    b.set_error(broker_error(m.error_code, m.error_message.as_ref()));
                    b
                })
                .collect(),
        })
        .collect())
}
