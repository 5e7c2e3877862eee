//! Admin wire cases: CreateAcls, DescribeAcls, DeleteAcls, DescribeUserScramCredentials,
//! AlterUserScramCredentials.

use super::*;

// ---- ACLs ----

pub(crate) fn acl_created(err: i16, m: Option<&str>) -> create_acls_response::AclCreationResult {
    let mut r = create_acls_response::AclCreationResult::default();
    r.error_code = err;
    r.error_message = m.map(s);
    r
}

fn acl_desc(principal: &str, host: &str, op: i8, perm: i8) -> describe_acls_response::AclDescription {
    let mut a = describe_acls_response::AclDescription::default();
    a.principal = s(principal);
    a.host = s(host);
    a.operation = op;
    a.permission_type = perm;
    a
}

fn acl_resource(
    rtype: i8,
    name: &str,
    pattern: i8,
    acls: Vec<describe_acls_response::AclDescription>,
) -> describe_acls_response::DescribeAclsResource {
    let mut r = describe_acls_response::DescribeAclsResource::default();
    r.resource_type = rtype;
    r.resource_name = s(name);
    r.pattern_type = pattern;
    r.acls = acls;
    r
}

#[allow(clippy::too_many_arguments)] // one per ACL field
fn acl_match(
    err: i16,
    m: Option<&str>,
    rtype: i8,
    name: &str,
    pattern: i8,
    principal: &str,
    op: i8,
    perm: i8,
) -> delete_acls_response::DeleteAclsMatchingAcl {
    let mut a = delete_acls_response::DeleteAclsMatchingAcl::default();
    a.error_code = err;
    a.error_message = m.map(s);
    a.resource_type = rtype;
    a.resource_name = s(name);
    a.pattern_type = pattern;
    a.principal = s(principal);
    a.host = s("*");
    a.operation = op;
    a.permission_type = perm;
    a
}

fn acl_filter_result(
    err: i16,
    m: Option<&str>,
    matching: Vec<delete_acls_response::DeleteAclsMatchingAcl>,
) -> delete_acls_response::DeleteAclsFilterResult {
    let mut r = delete_acls_response::DeleteAclsFilterResult::default();
    r.error_code = err;
    r.error_message = m.map(s);
    r.matching_acls = matching;
    r
}

#[test]
fn create_acls() {
    let two = |a: create_acls_response::AclCreationResult,
               b: Option<create_acls_response::AclCreationResult>| {
        let mut r = CreateAclsResponse::default();
        r.throttle_time_ms = 0;
        r.results = std::iter::once(a).chain(b).collect();
        r
    };
    check_all(vec![
        Case::new("create_acls ok", ApiKey::CreateAcls, &["create_acls", ACL_A, ACL_B, ACL_C]).answer({
            let mut r = two(acl_created(0, None), Some(acl_created(0, None)));
            r.results.push(acl_created(0, None));
            r
        }),
        Case::new("create_acls per-acl errors", ApiKey::CreateAcls, &["create_acls", ACL_A, ACL_B]).answer(
            two(
                acl_created(0, None),
                Some(acl_created(SECURITY_DISABLED, Some("No Authorizer is configured on the broker"))),
            ),
        ),
        Case::new("create_acls error without message", ApiKey::CreateAcls, &["create_acls", ACL_A, ACL_B])
            .answer(two(
                acl_created(CLUSTER_AUTHORIZATION_FAILED, None),
                Some(acl_created(INVALID_REQUEST, None)),
            )),
        Case::new("create_acls partial response", ApiKey::CreateAcls, &["create_acls", ACL_A, ACL_B])
            .answer(two(acl_created(0, None), None))
            .genuine_crashes(CREATE_ACLS_PARSE_CRASH),
        Case::new("create_acls extra result", ApiKey::CreateAcls, &["create_acls", ACL_A])
            .answer(two(acl_created(0, None), Some(acl_created(INVALID_REQUEST, Some("extra")))))
            .genuine_crashes(CREATE_ACLS_PARSE_CRASH),
        Case::new("create_acls undecodable response", ApiKey::CreateAcls, &["create_acls", ACL_A])
            .respond(|_| reply_raw(&[0, 0]))
            .genuine_crashes(CREATE_ACLS_PARSE_CRASH),
        Case::new("create_acls throttled", ApiKey::CreateAcls, &["create_acls", ACL_A]).answer({
            let mut r = two(acl_created(0, None), None);
            r.throttle_time_ms = 100;
            r
        }),
    ]);
}

#[test]
fn describe_acls() {
    let ok = {
        let mut r = DescribeAclsResponse::default();
        r.resources = vec![
            acl_resource(
                2,
                "orders",
                3,
                vec![acl_desc("User:alice", "*", 3, 3), acl_desc("User:carol", "*", 4, 2)],
            ),
            acl_resource(3, "app-", 4, vec![acl_desc("User:bob", "10.0.0.1", 2, 2)]),
        ];
        r
    };
    check_all(vec![
        Case::new("describe_acls ok", ApiKey::DescribeAcls, &["describe_acls", "any:-:any:-:-:any:any"])
            .answer(ok),
        Case::new(
            "describe_acls exact filter, none",
            ApiKey::DescribeAcls,
            &["describe_acls", "topic:orders:match:User:alice:*:read:allow"],
        )
        .answer(DescribeAclsResponse::default()),
        Case::new(
            "describe_acls request error",
            ApiKey::DescribeAcls,
            &["describe_acls", "any:-:any:-:-:any:any"],
        )
        .answer({
            let mut r = DescribeAclsResponse::default();
            r.error_code = SECURITY_DISABLED;
            r.error_message = msg("No Authorizer is configured on the broker");
            r
        }),
        Case::new(
            "describe_acls request error without message",
            ApiKey::DescribeAcls,
            &["describe_acls", "topic:-:prefixed:-:-:write:deny"],
        )
        .answer({
            let mut r = DescribeAclsResponse::default();
            r.error_code = CLUSTER_AUTHORIZATION_FAILED;
            r
        }),
    ]);
}

#[test]
fn delete_acls() {
    check_all(vec![
        Case::new(
            "delete_acls ok and per-acl errors",
            ApiKey::DeleteAcls,
            &["delete_acls", "topic:orders:literal:-:-:any:any", "group:-:any:User:bob:-:any:deny"],
        )
        .answer({
            let mut r = DeleteAclsResponse::default();
            r.filter_results = vec![
                acl_filter_result(
                    0,
                    None,
                    vec![
                        acl_match(0, None, 2, "orders", 3, "User:alice", 3, 3),
                        acl_match(
                            CLUSTER_AUTHORIZATION_FAILED,
                            Some("not allowed"),
                            2,
                            "orders",
                            3,
                            "User:carol",
                            4,
                            2,
                        ),
                    ],
                ),
                acl_filter_result(0, None, vec![]),
            ];
            r
        }),
        Case::new(
            "delete_acls per-filter error",
            ApiKey::DeleteAcls,
            &["delete_acls", "topic:orders:literal:-:-:any:any", "any:-:any:-:-:any:any"],
        )
        .answer({
            let mut r = DeleteAclsResponse::default();
            r.filter_results = vec![
                acl_filter_result(
                    SECURITY_DISABLED,
                    Some("No Authorizer is configured on the broker"),
                    vec![],
                ),
                acl_filter_result(INVALID_REQUEST, None, vec![]),
            ];
            r
        }),
        Case::new(
            "delete_acls partial response",
            ApiKey::DeleteAcls,
            &["delete_acls", "topic:orders:literal:-:-:any:any", "any:-:any:-:-:any:any"],
        )
        .answer({
            let mut r = DeleteAclsResponse::default();
            r.filter_results = vec![acl_filter_result(0, None, vec![])];
            r
        }),
    ]);
}

// ---- SCRAM credentials ----

fn scram_user(
    user: &str,
    err: i16,
    m: Option<&str>,
    creds: &[(i8, i32)],
) -> describe_user_scram_credentials_response::DescribeUserScramCredentialsResult {
    let mut r = describe_user_scram_credentials_response::DescribeUserScramCredentialsResult::default();
    r.user = s(user);
    r.error_code = err;
    r.error_message = m.map(s);
    r.credential_infos = creds
        .iter()
        .map(|&(mech, it)| {
            let mut c = describe_user_scram_credentials_response::CredentialInfo::default();
            c.mechanism = mech;
            c.iterations = it;
            c
        })
        .collect();
    r
}

#[test]
fn describe_user_scram_credentials() {
    let ok = {
        let mut r = DescribeUserScramCredentialsResponse::default();
        r.results = vec![
            scram_user("alice", 0, None, &[(1, 4096), (2, 8192)]),
            scram_user(
                "bob",
                RESOURCE_NOT_FOUND,
                Some("Attempt to describe a user credential that does not exist"),
                &[],
            ),
        ];
        r
    };
    let cases: Vec<Case> = vec![
        Case::new(
            "describe_user_scram_credentials users",
            ApiKey::DescribeUserScramCredentials,
            &["describe_user_scram_credentials", "alice", "bob"],
        )
        .answer(ok.clone()),
        Case::new(
            "describe_user_scram_credentials all",
            ApiKey::DescribeUserScramCredentials,
            &["describe_user_scram_credentials"],
        )
        .answer(ok),
        Case::new(
            "describe_user_scram_credentials request error",
            ApiKey::DescribeUserScramCredentials,
            &["describe_user_scram_credentials", "alice"],
        )
        .answer({
            let mut r = DescribeUserScramCredentialsResponse::default();
            r.error_code = CLUSTER_AUTHORIZATION_FAILED;
            r.error_message = msg("Cluster authorization failed.");
            r
        })
        .genuine_crashes(
            "librdkafka 2.16 prints this result, then rd_kafka_event_destroy frees an invalid pointer (abort)",
        ),
        Case::new(
            "describe_user_scram_credentials partial response",
            ApiKey::DescribeUserScramCredentials,
            &["describe_user_scram_credentials", "alice", "bob"],
        )
        .answer({
            let mut r = DescribeUserScramCredentialsResponse::default();
            r.results = vec![scram_user("alice", 0, None, &[(2, 10000)])];
            r
        }),
        Case::new(
            "describe_user_scram_credentials unsupported by broker",
            ApiKey::DescribeUserScramCredentials,
            &["describe_user_scram_credentials", "alice"],
        )
        .api_versions(ApiKey::DescribeUserScramCredentials, None)
        .no_request(),
    ];
    // librdkafka 2.16 reads the per-user error message one byte too far (the tagged
    // fields' count, 0x01 here) and prints it.
    check_all(
        cases
            .into_iter()
            .map(|c| c.genuine_overread("per-user error message read one byte too far"))
            .collect(),
    );
}

fn scram_result(
    user: &str,
    err: i16,
    m: Option<&str>,
) -> alter_user_scram_credentials_response::AlterUserScramCredentialsResult {
    let mut r = alter_user_scram_credentials_response::AlterUserScramCredentialsResult::default();
    r.user = s(user);
    r.error_code = err;
    r.error_message = m.map(s);
    r
}

/// Random salts make the salted password random too: compare their lengths only.
fn blank_salts(b: &mut Body) {
    if let Body::AlterUserScramCredentials(r) = b {
        for u in &mut r.upsertions {
            u.salt = bytes::Bytes::from(vec![0u8; u.salt.len()]);
            u.salted_password = bytes::Bytes::from(vec![0u8; u.salted_password.len()]);
        }
    }
}

#[test]
fn alter_user_scram_credentials() {
    let ok = {
        let mut r = AlterUserScramCredentialsResponse::default();
        r.results = vec![scram_result("alice", 0, None), scram_result("bob", 0, None)];
        r
    };
    let cases: Vec<Case> = vec![
        Case::new(
            "alter_user_scram_credentials upsert with salt, delete",
            ApiKey::AlterUserScramCredentials,
            &[
                "alter_user_scram_credentials",
                "upsert:alice:sha256:4096:alice-secret:fixed-salt-0123",
                "delete:bob:sha512",
            ],
        )
        .answer(ok.clone()),
        Case::new(
            "alter_user_scram_credentials sha512 with salt",
            ApiKey::AlterUserScramCredentials,
            &["alter_user_scram_credentials", "upsert:carol:sha512:8192:pw:salty"],
        )
        .answer({
            let mut r = AlterUserScramCredentialsResponse::default();
            r.results = vec![scram_result("carol", 0, None)];
            r
        }),
        Case::new(
            "alter_user_scram_credentials random salt",
            ApiKey::AlterUserScramCredentials,
            &["alter_user_scram_credentials", "upsert:alice:sha256:4096:alice-secret", "delete:bob:sha512"],
        )
        .normalize(blank_salts)
        .answer(ok),
        Case::new(
            "alter_user_scram_credentials per-user errors",
            ApiKey::AlterUserScramCredentials,
            &[
                "alter_user_scram_credentials",
                "upsert:alice:sha256:10:pw:salt",
                "delete:bob:sha512",
                "delete:carol:sha256",
            ],
        )
        .answer({
            let mut r = AlterUserScramCredentialsResponse::default();
            r.results = vec![
                scram_result("alice", UNACCEPTABLE_CREDENTIAL, Some("Too few iterations")),
                scram_result(
                    "bob",
                    RESOURCE_NOT_FOUND,
                    Some("Attempt to delete a user credential that does not exist"),
                ),
                scram_result("carol", UNSUPPORTED_SASL_MECHANISM, None),
            ];
            r
        }),
        Case::new(
            "alter_user_scram_credentials partial response",
            ApiKey::AlterUserScramCredentials,
            &["alter_user_scram_credentials", "upsert:alice:sha256:4096:pw:salt", "delete:bob:sha512"],
        )
        .answer({
            let mut r = AlterUserScramCredentialsResponse::default();
            r.results = vec![scram_result("bob", 0, None)];
            r
        }),
    ];
    // librdkafka 2.16 writes one stray byte after this flexible request's tagged fields.
    check_all(cases.into_iter().map(|c| c.genuine_trailing("a stray byte after the request body")).collect());
}
