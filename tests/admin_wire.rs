//! Differential wire tests of the Admin API for what no broker here serves: each case
//! makes one admin call with genuine librdkafka 2.16 and with kafkars
//! (tests/admin/admin_cli.c on each library) against a capture server
//! (tests/admin/wire/server.rs) that answers with a response the case builds. The
//! requests both libraries sent must decode (kafka-protocol) to the same fields at the
//! same API version, and the printed results must be the same.
//!
//! Needs genuine librdkafka 2.16 (the confluent-kafka wheel's bundled library, or
//! $KAFKARS_ORACLE_LIBRDKAFKA) and `make compat` ($KAFKARS_COMPAT_DIR overrides
//! build/compat). KAFKARS_WIRE_BOTH_GENUINE=1 runs genuine librdkafka on both sides
//! (checks the harness); KAFKARS_WIRE_CASE=substr runs only the matching cases;
//! KAFKARS_WIRE_VERBOSE=1 prints what genuine librdkafka sent and printed in each case;
//! KAFKARS_WIRE_WRAPPER runs admin_cli under a tool ("gdb -batch -ex run -ex bt --args");
//! KAFKARS_ADMIN_CLI_SRC builds another admin_cli.c.
//!
//! Where genuine librdkafka 2.16 itself crashes (`Case::genuine_crashes`, each with the
//! reason), kafkars must not: it must print the same result if genuine printed one
//! before dying, else a result that carries an error.

#[path = "admin/wire/harness.rs"]
mod harness;
#[path = "admin/wire/server.rs"]
mod server;

#[path = "admin/wire/acls_scram.rs"]
mod acls_scram;
#[path = "admin/wire/records_configs.rs"]
mod records_configs;
#[path = "admin/wire/topics_cluster.rs"]
mod topics_cluster;

use acls_scram::acl_created;
use harness::{check_all, Case, Lib, Output};
use kafka_protocol::messages::*;
use kafka_protocol::protocol::StrBytes;
use records_configs::config_result;
use server::{reply, reply_raw, Body, Reply, TopicSpec};

fn s(v: &str) -> StrBytes {
    StrBytes::from_string(v.to_string())
}

fn msg(v: &str) -> Option<StrBytes> {
    Some(s(v))
}

fn tn(v: &str) -> TopicName {
    TopicName(s(v))
}

// Error codes used below.
const OFFSET_OUT_OF_RANGE: i16 = 1;
const UNKNOWN_TOPIC_OR_PART: i16 = 3;
const NOT_LEADER_OR_FOLLOWER: i16 = 6;
const TOPIC_AUTHORIZATION_FAILED: i16 = 29;
const CLUSTER_AUTHORIZATION_FAILED: i16 = 31;
const UNSUPPORTED_SASL_MECHANISM: i16 = 33;
const TOPIC_ALREADY_EXISTS: i16 = 36;
const INVALID_PARTITIONS: i16 = 37;
const INVALID_REPLICATION_FACTOR: i16 = 38;
const INVALID_CONFIG: i16 = 40;
const NOT_CONTROLLER: i16 = 41;
const INVALID_REQUEST: i16 = 42;
const POLICY_VIOLATION: i16 = 44;
const SECURITY_DISABLED: i16 = 54;
const PREFERRED_LEADER_NOT_AVAILABLE: i16 = 80;
const ELECTION_NOT_NEEDED: i16 = 84;
const RESOURCE_NOT_FOUND: i16 = 91;
const UNACCEPTABLE_CREDENTIAL: i16 = 93;

const ACL_A: &str = "topic:orders:literal:User:alice:*:read:allow";
const ACL_B: &str = "group:app-:prefixed:User:bob:10.0.0.1:all:deny";
const ACL_C: &str = "broker:kafka-cluster:literal:User:ops:*:alter_configs:allow";

/// rd_kafka_CreateAclsResponse_parse jumps to err_parse with its `err` still NO_ERROR
/// and no result, so rd_kafka_admin_response_parse's rd_assert(rko_result) aborts.
const CREATE_ACLS_PARSE_CRASH: &str = "a CreateAcls response that fails to parse aborts librdkafka 2.16 \
     (rd_assert(rko_result) in rd_kafka_admin_response_parse)";

/// Results missing from a response are NULL entries of the result array in librdkafka
/// 2.16; admin_cli calls the accessors on them and crashes.
const NULL_RESULT_ENTRY: &str = "librdkafka 2.16 leaves a NULL entry in the result array for what the \
     response lacks, and admin_cli's accessors crash on it";

// ---- Timeouts and transport errors ----

#[test]
fn request_timeout_and_disconnect() {
    check_all(vec![
        Case::new("create_acls never answered", ApiKey::CreateAcls, &["create_acls", ACL_A])
            .opt("request_timeout=1500")
            .silent()
            .output(Output::ErrNames),
        Case::new(
            "describe_configs never answered",
            ApiKey::DescribeConfigs,
            &["describe_configs", "topic:orders"],
        )
        .opt("request_timeout=1500")
        .silent()
        .output(Output::ErrNames),
        Case::new("delete_records never answered", ApiKey::DeleteRecords, &["delete_records", "orders:0:1"])
            .topics(&[("orders", 1)])
            .opt("request_timeout=1500")
            .silent()
            .output(Output::ErrNames),
        Case::new(
            "elect_leaders never answered",
            ApiKey::ElectLeaders,
            &["elect_leaders", "preferred", "orders:0"],
        )
        .topics(&[("orders", 1)])
        .opt("request_timeout=1500")
        .silent()
        .output(Output::ErrNames),
        Case::new("create_topics closed connection", ApiKey::CreateTopics, &["create_topics", "a:1:1"])
            .opt("request_timeout=3000")
            .respond(|_| Reply::Close)
            .output(Output::ErrNames),
    ]);
}

// ---- Where kafkars does more than librdkafka ----

/// A coordinator that moved (NOT_COORDINATOR) is looked up again and asked again by
/// kafkars; librdkafka does not ask again. Each library is checked on its own.
#[test]
fn a_moved_coordinator_is_asked_again() {
    const NOT_COORDINATOR: i16 = 16;
    let case = Case::new(
        "list_consumer_group_offsets after NOT_COORDINATOR",
        ApiKey::OffsetFetch,
        &["list_consumer_group_offsets", "g1", "orders:0"],
    )
    .topics(&[("orders", 1)])
    .respond_nth(|c, n| {
        let mut r = OffsetFetchResponse::default();
        if n == 0 {
            r.error_code = NOT_COORDINATOR;
            if c.version >= 8 {
                let mut g = offset_fetch_response::OffsetFetchResponseGroup::default();
                g.group_id = GroupId(StrBytes::from_static_str("g1"));
                g.error_code = NOT_COORDINATOR;
                r.groups = vec![g];
            }
            return server::reply(r);
        }
        let mut p = offset_fetch_response::OffsetFetchResponsePartitions::default();
        p.partition_index = 0;
        p.committed_offset = 5;
        let mut t = offset_fetch_response::OffsetFetchResponseTopics::default();
        t.name = TopicName(StrBytes::from_static_str("orders"));
        t.partitions = vec![p];
        let mut g = offset_fetch_response::OffsetFetchResponseGroup::default();
        g.group_id = GroupId(StrBytes::from_static_str("g1"));
        g.topics = vec![t];
        r.groups = vec![g];
        server::reply(r)
    })
    .opt("request_timeout=5000");
    let k = harness::run_one(&case, Lib::Kafkars);
    let fetches = k.requests.iter().filter(|c| c.api_key == ApiKey::OffsetFetch as i16).count();
    assert_eq!(fetches, 2, "kafkars asks again after NOT_COORDINATOR:\n{}", k.stdout);
    assert!(k.stdout.contains("err=NO_ERROR errstr=Success"), "{}", k.stdout);
    assert!(k.stdout.contains("topic=orders partition=0 offset=5"), "{}", k.stdout);
    // librdkafka asks once (and 2.16 crashes on this answer at v9).
    let g = harness::run_one(&case, Lib::Genuine);
    let fetches = g.requests.iter().filter(|c| c.api_key == ApiKey::OffsetFetch as i16).count();
    assert_eq!(fetches, 1, "librdkafka asks once: {:?} {}", g.exit, g.stdout);
}

// ---- The harness can fail ----

/// Runs genuine librdkafka on both sides with a difference planted on one side and
/// checks that each is reported: a request field, the request version, the printed
/// result, the error name of a timeout, and an extra request.
#[test]
fn harness_detects_differences() {
    let base = || {
        Case::new("harness", ApiKey::CreateAcls, &["create_acls", ACL_A]).answer({
            let mut r = CreateAclsResponse::default();
            r.results = vec![acl_created(0, None)];
            r
        })
    };
    let expect = |what: &str, found: Vec<String>, needle: &str| {
        assert!(
            found.iter().any(|p| p.contains(needle)),
            "{what}: expected a difference mentioning {needle:?}, got {found:#?}"
        );
    };
    // Same call twice: no difference (the harness is not just always failing).
    let same = harness::differences_between(&base(), &base());
    assert!(same.is_empty(), "identical runs differ: {same:#?}");

    // A request field.
    let mut other = base();
    other.op = vec!["create_acls".into(), "topic:orders:literal:User:mallory:*:read:allow".into()];
    let found = harness::differences_between(&base(), &other);
    expect("request field", found.clone(), "CreateAcls v2 request differs");
    expect("request field", found, "User:mallory");

    // The request version (the broker offers CreateAcls v1 only on one side).
    let other = base().api_versions(ApiKey::CreateAcls, Some((1, 1)));
    expect(
        "request version",
        harness::differences_between(&base(), &other),
        "request version differs: genuine librdkafka sent v2, genuine librdkafka sent v1",
    );

    // The printed result.
    let other = base().answer({
        let mut r = CreateAclsResponse::default();
        r.results = vec![acl_created(SECURITY_DISABLED, Some("planted"))];
        r
    });
    expect("printed result", harness::differences_between(&base(), &other), "printed result differs");

    // Error names only (a timeout against an answer).
    let timeout = base().opt("request_timeout=1000").silent().output(Output::ErrNames);
    let answered = base().opt("request_timeout=1000").output(Output::ErrNames);
    expect("error names", harness::differences_between(&timeout, &answered), "error names differ");

    // A request one side does not send (its broker lacks the API), and the rest of a
    // request-level difference: a BROKER resource joins the topic in one request.
    let acls = Case::new("harness", ApiKey::DescribeAcls, &["describe_acls", "any:-:any:-:-:any:any"])
        .answer(DescribeAclsResponse::default());
    let none = acls.clone().api_versions(ApiKey::DescribeAcls, None).no_request();
    expect(
        "request count",
        harness::differences_between(&acls, &none),
        "sent 1 DescribeAcls request(s), genuine librdkafka sent 0",
    );
    let echo = |c: &server::Captured| {
        let mut r = DescribeConfigsResponse::default();
        if let Body::DescribeConfigs(req) = &c.body {
            r.results = req
                .resources
                .iter()
                .map(|x| config_result(x.resource_type, &x.resource_name, 0, None, vec![]))
                .collect();
        }
        reply(r)
    };
    let one = Case::new("harness", ApiKey::DescribeConfigs, &["describe_configs", "topic:a"]).respond(echo);
    let two = Case::new("harness", ApiKey::DescribeConfigs, &["describe_configs", "topic:a", "broker:1"])
        .respond(echo);
    let found = harness::differences_between(&one, &two);
    expect("resources", found.clone(), "resource_name: \"1\"");
    expect("resources", found, "printed result differs");
}

/// The capture server answers ApiVersions v0..v3 at the version asked (response header
/// v0 even for the flexible v3), and a newer version with UNSUPPORTED_VERSION in v0.
#[test]
fn capture_server_api_versions() {
    use bytes::{Buf, BufMut, BytesMut};
    use kafka_protocol::protocol::{Decodable, Encodable};
    use std::io::{Read, Write};
    use std::time::Duration;

    let mut srv = server::Server::start(server::ServerConf {
        meta: server::Meta::default(),
        versions: server::default_versions(),
        handler: std::sync::Arc::new(|_: &server::Captured| Reply::Default),
    });
    let mut sock = std::net::TcpStream::connect(srv.bootstrap()).expect("connect");
    sock.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    for ver in 0..=4i16 {
        let mut frame = BytesMut::new();
        let mut header = RequestHeader::default();
        header.request_api_key = ApiKey::ApiVersions as i16;
        header.request_api_version = ver;
        header.correlation_id = 100 + ver as i32;
        header.client_id = Some(s("probe"));
        header.encode(&mut frame, ApiKey::ApiVersions.request_header_version(ver)).unwrap();
        let mut req = ApiVersionsRequest::default();
        if ver >= 3 {
            req.client_software_name = s("probe");
            req.client_software_version = s("1.0");
        }
        req.encode(&mut frame, ver).unwrap();
        let mut out = BytesMut::new();
        out.put_i32(frame.len() as i32);
        out.put_slice(&frame);
        sock.write_all(&out).unwrap();

        let mut len = [0u8; 4];
        sock.read_exact(&mut len).expect("response size");
        let mut body = vec![0u8; i32::from_be_bytes(len) as usize];
        sock.read_exact(&mut body).expect("response body");
        let mut body = bytes::Bytes::from(body);
        assert_eq!(body.get_i32(), 100 + ver as i32, "v{ver}: correlation id (header v0: nothing else)");
        let resp = ApiVersionsResponse::decode(&mut body, if ver > 3 { 0 } else { ver }).unwrap();
        assert!(!body.has_remaining(), "v{ver}: trailing bytes");
        if ver > 3 {
            assert_eq!(resp.error_code, 35, "v{ver}: UNSUPPORTED_VERSION");
            assert_eq!(resp.api_keys.len(), 1);
            assert_eq!((resp.api_keys[0].api_key, resp.api_keys[0].max_version), (18, 3));
        } else {
            assert_eq!(resp.error_code, 0, "v{ver}");
            let acls =
                resp.api_keys.iter().find(|k| k.api_key == ApiKey::CreateAcls as i16).expect("CreateAcls");
            assert_eq!((acls.min_version, acls.max_version), (1, 3), "v{ver}");
        }
    }
    drop(sock);
    srv.stop();
    let (captured, notes) = srv.take();
    assert_eq!(captured.len(), 5, "{notes:?}");
    assert!(
        captured.iter().all(|c| c.client_id.as_deref() == Some("probe") && c.trailing == 0),
        "{captured:#?}"
    );
}
