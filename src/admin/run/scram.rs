//! SCRAM credentials: DescribeUserScramCredentials and AlterUserScramCredentials, on
//! the controller. Upsertions send the salted password (PBKDF2 of the password), never
//! the password itself.

use super::on_controller;
use crate::admin::engine::{broker_error, Ctx};
use crate::admin::result::{ScramCredentialInfo, UserScramAlterResult, UserScramDescription};
use crate::admin::scram::UserScramCredentialAlteration;
use crate::error::{ErrorCode, KafkaError};
use crate::security::scram::{salted_password, Hash};
use bytes::Bytes;
use kafka_protocol::messages::alter_user_scram_credentials_request::{
    ScramCredentialDeletion, ScramCredentialUpsertion,
};
use kafka_protocol::messages::describe_user_scram_credentials_request::UserName;
use kafka_protocol::messages::*;
use kafka_protocol::protocol::StrBytes;

/// The per-user error librdkafka hands out: never NULL, code 0 on success, and its
/// text exactly the broker's message ("(null)" without one, as librdkafka prints it;
/// "" when the broker sent "").
fn user_error(code: i16, msg: Option<&StrBytes>) -> (Option<KafkaError>, String) {
    let text = msg.map_or_else(|| "(null)".to_string(), |m| m.to_string());
    (Some(KafkaError::new(ErrorCode(code as i32), text.clone())), text)
}

pub fn describe(ctx: &Ctx, users: Vec<String>) -> Result<Vec<UserScramDescription>, KafkaError> {
    let build = move |_ver: i16| {
        let mut r = DescribeUserScramCredentialsRequest::default();
        r.users = Some(
            users
                .iter()
                .map(|u| {
                    let mut n = UserName::default();
                    n.name = StrBytes::from_string(u.clone());
                    n
                })
                .collect(),
        );
        r
    };
    let r: DescribeUserScramCredentialsResponse = on_controller(
        ctx,
        ApiKey::DescribeUserScramCredentials,
        0,
        0,
        build,
        |_: &DescribeUserScramCredentialsResponse| false,
    )?;
    if let Some(e) = broker_error(r.error_code, r.error_message.as_ref()) {
        return Err(e);
    }
    Ok(r.results
        .iter()
        .map(|u| {
            let (err, err_text) = user_error(u.error_code, u.error_message.as_ref());
            UserScramDescription {
                user: u.user.to_string(),
                err,
                err_text,
                credentials: u
                    .credential_infos
                    .iter()
                    .map(|c| ScramCredentialInfo { mechanism: c.mechanism as i32, iterations: c.iterations })
                    .collect(),
            }
        })
        .collect())
}

pub fn alter(
    ctx: &Ctx,
    alterations: Vec<UserScramCredentialAlteration>,
) -> Result<Vec<UserScramAlterResult>, KafkaError> {
    let mut upsertions = Vec::new();
    let mut deletions = Vec::new();
    for a in &alterations {
        match &a.upsert {
            Some(u) => {
                let hash = if a.mechanism == 2 { Hash::Sha512 } else { Hash::Sha256 };
                let salted = salted_password(hash, &u.password, &u.salt, u.iterations.max(1) as usize)
                    .map_err(|e| KafkaError::new(ErrorCode::_FAIL, e))?;
                let mut x = ScramCredentialUpsertion::default();
                x.name = StrBytes::from_string(a.user.clone());
                x.mechanism = a.mechanism as i8;
                x.iterations = u.iterations;
                x.salt = Bytes::from(u.salt.clone());
                x.salted_password = Bytes::from(salted);
                upsertions.push(x);
            }
            None => {
                let mut x = ScramCredentialDeletion::default();
                x.name = StrBytes::from_string(a.user.clone());
                x.mechanism = a.mechanism as i8;
                deletions.push(x);
            }
        }
    }
    let build = move |_ver: i16| {
        let mut r = AlterUserScramCredentialsRequest::default();
        r.deletions = deletions.clone();
        r.upsertions = upsertions.clone();
        r
    };
    let r: AlterUserScramCredentialsResponse = on_controller(
        ctx,
        ApiKey::AlterUserScramCredentials,
        0,
        0,
        build,
        |_: &AlterUserScramCredentialsResponse| false,
    )?;
    Ok(r.results
        .iter()
        .map(|u| {
            let (err, err_text) = user_error(u.error_code, u.error_message.as_ref());
            UserScramAlterResult { user: u.user.to_string(), err, err_text }
        })
        .collect())
}
