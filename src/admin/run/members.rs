//! RemoveGroupMembers (a kafkars extension, kafka-python's remove_group_members and
//! Java's removeMembersFromConsumerGroup): members leave a group on the coordinator's
//! order, in one batched LeaveGroup (v3+).

use super::coordinator::on_coordinator;
use crate::admin::engine::{broker_error, Ctx};
use crate::admin::groups::RemoveGroupMembers;
use crate::admin::result::MemberRemoval;
use crate::error::{ErrorCode, KafkaError};
use kafka_protocol::messages::leave_group_request::MemberIdentity;
use kafka_protocol::messages::*;
use kafka_protocol::protocol::StrBytes;

/// Removes the members; each member's outcome in request order, a group-level error as
/// the result's.
pub fn remove_members(ctx: &Ctx, req: RemoveGroupMembers) -> Result<Vec<MemberRemoval>, KafkaError> {
    let sent = req.clone();
    let build = move |ver: i16| {
        let mut r = LeaveGroupRequest::default();
        r.group_id = GroupId(StrBytes::from_string(sent.group.clone()));
        r.members = sent
            .members
            .iter()
            .map(|m| {
                let mut x = MemberIdentity::default();
                x.member_id = StrBytes::from_string(m.member_id.clone());
                x.group_instance_id = m.group_instance_id.clone().map(StrBytes::from_string);
                if ver >= 5 {
                    x.reason = m.reason.clone().map(StrBytes::from_string);
                }
                x
            })
            .collect();
        r
    };
    let (_, r, _) =
        on_coordinator(ctx, &req.group, ApiKey::LeaveGroup, 3, 5, build, |r: &LeaveGroupResponse| {
            r.error_code
        })?;
    if let Some(e) = broker_error(r.error_code, None) {
        return Err(e);
    }
    Ok(req
        .members
        .iter()
        .map(|m| {
            let answer = r.members.iter().find(|x| {
                x.member_id.as_str() == m.member_id
                    && x.group_instance_id.as_deref() == m.group_instance_id.as_deref()
            });
            MemberRemoval {
                member_id: m.member_id.clone(),
                group_instance_id: m.group_instance_id.clone(),
                err: match answer {
                    Some(x) => broker_error(x.error_code, None),
                    None => Some(KafkaError::new(ErrorCode::_BAD_MSG, "member missing from response")),
                },
            }
        })
        .collect())
}
