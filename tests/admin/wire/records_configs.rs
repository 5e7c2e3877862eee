//! Admin wire cases: ElectLeaders, DeleteRecords, DescribeConfigs, IncrementalAlterConfigs,
//! AlterConfigs, ListOffsets.

use super::*;

// ---- ElectLeaders ----

fn election(
    topic: &str,
    parts: &[(i32, i16, Option<&str>)],
) -> elect_leaders_response::ReplicaElectionResult {
    let mut r = elect_leaders_response::ReplicaElectionResult::default();
    r.topic = tn(topic);
    r.partition_result = parts
        .iter()
        .map(|&(p, err, m)| {
            let mut x = elect_leaders_response::PartitionResult::default();
            x.partition_id = p;
            x.error_code = err;
            x.error_message = m.map(s);
            x
        })
        .collect();
    r
}

#[test]
fn elect_leaders() {
    let topics = [("orders", 3), ("audit", 1)];
    check_all(vec![
        Case::new(
            "elect_leaders preferred",
            ApiKey::ElectLeaders,
            &["elect_leaders", "preferred", "orders:0", "orders:2", "audit:0"],
        )
        .topics(&topics)
        .answer({
            let mut r = ElectLeadersResponse::default();
            r.replica_election_results = vec![
                election(
                    "orders",
                    &[
                        (0, 0, None),
                        (2, ELECTION_NOT_NEEDED, Some("Leader election not needed for topic partition")),
                    ],
                ),
                election("audit", &[(0, PREFERRED_LEADER_NOT_AVAILABLE, None)]),
            ];
            r
        }),
        Case::new(
            "elect_leaders unclean, all partitions",
            ApiKey::ElectLeaders,
            &["elect_leaders", "unclean"],
        )
        .topics(&topics)
        .answer({
            let mut r = ElectLeadersResponse::default();
            r.replica_election_results = vec![election("orders", &[(1, 0, None)])];
            r
        }),
        Case::new(
            "elect_leaders request error",
            ApiKey::ElectLeaders,
            &["elect_leaders", "preferred", "orders:0"],
        )
        .topics(&topics)
        .answer({
            let mut r = ElectLeadersResponse::default();
            r.error_code = CLUSTER_AUTHORIZATION_FAILED;
            r
        }),
        Case::new(
            "elect_leaders partial response",
            ApiKey::ElectLeaders,
            &["elect_leaders", "preferred", "orders:0", "orders:1"],
        )
        .topics(&topics)
        .answer({
            let mut r = ElectLeadersResponse::default();
            r.replica_election_results = vec![election("orders", &[(1, 0, None)])];
            r
        })
        .genuine_wrong("the partition left out leaves a hole that empties the whole result array"),
        Case::new(
            "elect_leaders timeout option",
            ApiKey::ElectLeaders,
            &["elect_leaders", "preferred", "audit:0"],
        )
        .opt("operation_timeout=7000")
        .topics(&topics)
        .answer({
            let mut r = ElectLeadersResponse::default();
            r.replica_election_results = vec![election("audit", &[(0, 0, None)])];
            r
        }),
    ]);
}

// ---- DeleteRecords ----

fn deleted(topic: &str, parts: &[(i32, i64, i16)]) -> delete_records_response::DeleteRecordsTopicResult {
    let mut t = delete_records_response::DeleteRecordsTopicResult::default();
    t.name = tn(topic);
    t.partitions = parts
        .iter()
        .map(|&(p, low, err)| {
            let mut x = delete_records_response::DeleteRecordsPartitionResult::default();
            x.partition_index = p;
            x.low_watermark = low;
            x.error_code = err;
            x
        })
        .collect();
    t
}

#[test]
fn delete_records() {
    let topics = [("orders", 3), ("audit", 1)];
    check_all(vec![
        Case::new(
            "delete_records ok",
            ApiKey::DeleteRecords,
            &["delete_records", "orders:0:100", "orders:2:-1", "audit:0:5"],
        )
        .topics(&topics)
        .answer({
            let mut r = DeleteRecordsResponse::default();
            r.topics = vec![deleted("orders", &[(0, 100, 0), (2, 4242, 0)]), deleted("audit", &[(0, 5, 0)])];
            r
        }),
        Case::new(
            "delete_records per-partition errors",
            ApiKey::DeleteRecords,
            &["delete_records", "orders:0:100", "orders:1:7"],
        )
        .topics(&topics)
        .answer({
            let mut r = DeleteRecordsResponse::default();
            r.topics =
                vec![deleted("orders", &[(0, -1, OFFSET_OUT_OF_RANGE), (1, -1, NOT_LEADER_OR_FOLLOWER)])];
            r
        }),
        Case::new(
            "delete_records partial response",
            ApiKey::DeleteRecords,
            &["delete_records", "orders:0:100", "orders:1:7"],
        )
        .topics(&topics)
        .answer({
            let mut r = DeleteRecordsResponse::default();
            r.topics = vec![deleted("orders", &[(1, 7, 0)])];
            r
        }),
        Case::new(
            "delete_records unknown topic",
            ApiKey::DeleteRecords,
            &["delete_records", "orders:0:100", "nosuch:0:1"],
        )
        .topics(&topics)
        .answer({
            let mut r = DeleteRecordsResponse::default();
            r.topics = vec![deleted("orders", &[(0, 100, 0)])];
            r
        }),
        Case::new(
            "delete_records only unknown topic",
            ApiKey::DeleteRecords,
            &["delete_records", "nosuch:0:1"],
        )
        .topics(&topics)
        .no_request(),
    ]);
}

// ---- Configs ----

fn synonym(name: &str, value: Option<&str>, source: i8) -> describe_configs_response::DescribeConfigsSynonym {
    let mut x = describe_configs_response::DescribeConfigsSynonym::default();
    x.name = s(name);
    x.value = value.map(s);
    x.source = source;
    x
}

fn config(
    name: &str,
    value: Option<&str>,
    source: i8,
    read_only: bool,
    sensitive: bool,
    synonyms: Vec<describe_configs_response::DescribeConfigsSynonym>,
) -> describe_configs_response::DescribeConfigsResourceResult {
    let mut c = describe_configs_response::DescribeConfigsResourceResult::default();
    c.name = s(name);
    c.value = value.map(s);
    c.config_source = source;
    c.read_only = read_only;
    c.is_sensitive = sensitive;
    c.synonyms = synonyms;
    c
}

pub(crate) fn config_result(
    rtype: i8,
    name: &str,
    err: i16,
    m: Option<&str>,
    configs: Vec<describe_configs_response::DescribeConfigsResourceResult>,
) -> describe_configs_response::DescribeConfigsResult {
    let mut r = describe_configs_response::DescribeConfigsResult::default();
    r.resource_type = rtype;
    r.resource_name = s(name);
    r.error_code = err;
    r.error_message = m.map(s);
    r.configs = configs;
    r
}

fn topic_configs() -> Vec<describe_configs_response::DescribeConfigsResourceResult> {
    vec![
        config(
            "cleanup.policy",
            Some("compact"),
            1,
            false,
            false,
            vec![
                synonym("cleanup.policy", Some("compact"), 1),
                synonym("log.cleanup.policy", Some("delete"), 5),
            ],
        ),
        config(
            "retention.ms",
            Some("604800000"),
            5,
            false,
            false,
            vec![synonym("log.retention.hours", Some("168"), 5)],
        ),
        config(
            "min.insync.replicas",
            Some("2"),
            4,
            false,
            false,
            vec![synonym("min.insync.replicas", Some("2"), 4)],
        ),
        config("message.format.version", Some("3.0-IV1"), 5, true, false, vec![]),
    ]
}

fn broker_configs() -> Vec<describe_configs_response::DescribeConfigsResourceResult> {
    vec![
        config(
            "listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config",
            None,
            2,
            false,
            true,
            vec![synonym("listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config", None, 2)],
        ),
        config(
            "log.retention.hours",
            Some("72"),
            3,
            false,
            false,
            vec![
                synonym("log.retention.hours", Some("72"), 3),
                synonym("log.retention.hours", Some("168"), 4),
            ],
        ),
        config("broker.id", Some("1"), 4, true, false, vec![]),
        config("ssl.keystore.password", None, 4, true, true, vec![synonym("ssl.keystore.password", None, 4)]),
    ]
}

#[test]
fn describe_configs() {
    check_all(vec![
        Case::new("describe_configs topic", ApiKey::DescribeConfigs, &["describe_configs", "topic:orders"])
            .topics(&[("orders", 1)])
            .answer({
                let mut r = DescribeConfigsResponse::default();
                r.results = vec![config_result(2, "orders", 0, None, topic_configs())];
                r
            }),
        Case::new(
            "describe_configs broker (synonyms, sensitive)",
            ApiKey::DescribeConfigs,
            &["describe_configs", "broker:1"],
        )
        .answer({
            let mut r = DescribeConfigsResponse::default();
            r.results = vec![config_result(4, "1", 0, None, broker_configs())];
            r
        }),
        Case::new(
            "describe_configs two topics, one error",
            ApiKey::DescribeConfigs,
            &["describe_configs", "topic:orders", "topic:secret"],
        )
        .topics(&[("orders", 1)])
        .answer({
            let mut r = DescribeConfigsResponse::default();
            r.results = vec![
                config_result(2, "orders", 0, None, topic_configs()),
                config_result(2, "secret", TOPIC_AUTHORIZATION_FAILED, Some("Authorization failed."), vec![]),
            ];
            r
        }),
        Case::new(
            "describe_configs error without message",
            ApiKey::DescribeConfigs,
            &["describe_configs", "topic:nosuch"],
        )
        .answer({
            let mut r = DescribeConfigsResponse::default();
            r.results = vec![config_result(2, "nosuch", UNKNOWN_TOPIC_OR_PART, None, vec![])];
            r
        }),
        Case::new(
            "describe_configs partial response",
            ApiKey::DescribeConfigs,
            &["describe_configs", "topic:orders", "topic:audit"],
        )
        .answer({
            let mut r = DescribeConfigsResponse::default();
            r.results = vec![config_result(2, "audit", 0, None, vec![])];
            r
        })
        .genuine_crashes(NULL_RESULT_ENTRY),
        // GROUP resources go out as config resource type 32 (not ResourceType 3).
        Case::new("describe_configs group", ApiKey::DescribeConfigs, &["describe_configs", "group:app"])
            .answer({
                let mut r = DescribeConfigsResponse::default();
                r.results = vec![config_result(
                    32,
                    "app",
                    0,
                    None,
                    vec![config("consumer.session.timeout.ms", Some("45000"), 5, false, false, vec![])],
                )];
                r
            }),
        // Genuine librdkafka 2.16 sends a BROKER_LOGGER resource as type 0 (UNKNOWN: its
        // ConfigResourceType mapping knows TOPIC, BROKER and GROUP only), then maps the
        // response's type 8 to UNKNOWN as well, matches no resource and fails (_BAD_MSG).
        Case::new(
            "describe_configs broker_logger",
            ApiKey::DescribeConfigs,
            &["describe_configs", "broker_logger:1"],
        )
        .answer({
            let mut r = DescribeConfigsResponse::default();
            r.results = vec![config_result(
                8,
                "1",
                0,
                None,
                vec![config("kafka.controller", Some("INFO"), 6, false, false, vec![])],
            )];
            r
        }),
    ]);
}

fn alter_result(
    rtype: i8,
    name: &str,
    err: i16,
    m: Option<&str>,
) -> incremental_alter_configs_response::AlterConfigsResourceResponse {
    let mut r = incremental_alter_configs_response::AlterConfigsResourceResponse::default();
    r.resource_type = rtype;
    r.resource_name = s(name);
    r.error_code = err;
    r.error_message = m.map(s);
    r
}

fn legacy_alter_result(
    rtype: i8,
    name: &str,
    err: i16,
    m: Option<&str>,
) -> alter_configs_response::AlterConfigsResourceResponse {
    let mut r = alter_configs_response::AlterConfigsResourceResponse::default();
    r.resource_type = rtype;
    r.resource_name = s(name);
    r.error_code = err;
    r.error_message = m.map(s);
    r
}

#[test]
fn incremental_alter_configs() {
    check_all(vec![
        Case::new(
            "incremental_alter_configs ok",
            ApiKey::IncrementalAlterConfigs,
            &[
                "incremental_alter_configs",
                "topic:orders:set:retention.ms=1000,delete:cleanup.policy,append:leader.replication.throttled.replicas=0:1",
            ],
        )
        .answer({
            let mut r = IncrementalAlterConfigsResponse::default();
            r.responses = vec![alter_result(2, "orders", 0, None)];
            r
        }),
        Case::new(
            "incremental_alter_configs errors, validate_only",
            ApiKey::IncrementalAlterConfigs,
            &[
                "incremental_alter_configs",
                "topic:orders:subtract:cleanup.policy=compact",
                "topic:audit:set:retention.ms=-5",
            ],
        )
        .opt("validate_only=1")
        .answer({
            let mut r = IncrementalAlterConfigsResponse::default();
            r.responses = vec![
                alter_result(2, "orders", POLICY_VIOLATION, Some("Altering cleanup.policy is not allowed")),
                alter_result(2, "audit", INVALID_CONFIG, None),
            ];
            r
        }),
        Case::new(
            "incremental_alter_configs broker",
            ApiKey::IncrementalAlterConfigs,
            &["incremental_alter_configs", "broker:1:set:log.cleaner.threads=2"],
        )
        .answer({
            let mut r = IncrementalAlterConfigsResponse::default();
            r.responses = vec![alter_result(4, "1", 0, None)];
            r
        }),
        Case::new(
            "incremental_alter_configs partial response",
            ApiKey::IncrementalAlterConfigs,
            &["incremental_alter_configs", "topic:orders:set:retention.ms=1", "topic:audit:set:retention.ms=2"],
        )
        .answer({
            let mut r = IncrementalAlterConfigsResponse::default();
            r.responses = vec![alter_result(2, "audit", 0, None)];
            r
        }),
    ]);
}

#[test]
fn alter_configs() {
    check_all(vec![
        Case::new(
            "alter_configs ok",
            ApiKey::AlterConfigs,
            &[
                "alter_configs",
                "topic:orders:retention.ms=1000,cleanup.policy=compact\\,delete",
                "topic:audit",
            ],
        )
        .answer({
            let mut r = AlterConfigsResponse::default();
            r.responses =
                vec![legacy_alter_result(2, "orders", 0, None), legacy_alter_result(2, "audit", 0, None)];
            r
        }),
        Case::new(
            "alter_configs errors, validate_only",
            ApiKey::AlterConfigs,
            &["alter_configs", "topic:orders:retention.ms=x", "topic:audit:segment.bytes=1"],
        )
        .opt("validate_only=1")
        .answer({
            let mut r = AlterConfigsResponse::default();
            r.responses = vec![
                legacy_alter_result(
                    2,
                    "orders",
                    INVALID_CONFIG,
                    Some("Invalid value x for configuration retention.ms"),
                ),
                legacy_alter_result(2, "audit", POLICY_VIOLATION, None),
            ];
            r
        }),
        Case::new(
            "alter_configs broker",
            ApiKey::AlterConfigs,
            &["alter_configs", "broker:1:log.cleaner.threads=2"],
        )
        .answer({
            let mut r = AlterConfigsResponse::default();
            r.responses = vec![legacy_alter_result(4, "1", 0, None)];
            r
        }),
        Case::new(
            "alter_configs partial response",
            ApiKey::AlterConfigs,
            &["alter_configs", "topic:a:x=1", "topic:b:x=2"],
        )
        .answer({
            let mut r = AlterConfigsResponse::default();
            r.responses = vec![legacy_alter_result(2, "b", 0, None)];
            r
        })
        .genuine_crashes(NULL_RESULT_ENTRY),
    ]);
}

// ---- ListOffsets ----

fn offsets(
    topic: &str,
    parts: &[(i32, i16, i64, i64, i32)],
) -> list_offsets_response::ListOffsetsTopicResponse {
    let mut t = list_offsets_response::ListOffsetsTopicResponse::default();
    t.name = tn(topic);
    t.partitions = parts
        .iter()
        .map(|&(p, err, ts, off, epoch)| {
            let mut x = list_offsets_response::ListOffsetsPartitionResponse::default();
            x.partition_index = p;
            x.error_code = err;
            x.timestamp = ts;
            x.offset = off;
            x.leader_epoch = epoch;
            x
        })
        .collect();
    t
}

#[test]
fn list_offsets() {
    let topics = [("orders", 4), ("audit", 1)];
    check_all(vec![
        Case::new(
            "list_offsets specs",
            ApiKey::ListOffsets,
            &[
                "list_offsets",
                "orders:0:earliest",
                "orders:1:latest",
                "orders:2:max_timestamp",
                "orders:3:1700000000000",
                "audit:0:1",
            ],
        )
        .topics(&topics)
        .answer({
            let mut r = ListOffsetsResponse::default();
            r.topics = vec![
                offsets(
                    "orders",
                    &[
                        (0, 0, -1, 0, 3),
                        (1, 0, -1, 1234, 3),
                        (2, 0, 1700000123456, 1200, 3),
                        (3, 0, 1700000000001, 77, 2),
                    ],
                ),
                offsets("audit", &[(0, 0, 5, 9, -1)]),
            ];
            r
        }),
        Case::new(
            "list_offsets read_committed, errors",
            ApiKey::ListOffsets,
            &["list_offsets", "orders:0:latest", "orders:1:1700000000000"],
        )
        .opt("isolation_level=read_committed")
        .topics(&topics)
        .answer({
            let mut r = ListOffsetsResponse::default();
            r.topics = vec![offsets(
                "orders",
                &[(0, NOT_LEADER_OR_FOLLOWER, -1, -1, -1), (1, OFFSET_OUT_OF_RANGE, -1, -1, -1)],
            )];
            r
        }),
        Case::new(
            "list_offsets timestamp not found",
            ApiKey::ListOffsets,
            &["list_offsets", "orders:0:1999999999999"],
        )
        .topics(&topics)
        .answer({
            let mut r = ListOffsetsResponse::default();
            r.topics = vec![offsets("orders", &[(0, 0, -1, -1, -1)])];
            r
        }),
        Case::new("list_offsets partial response", ApiKey::ListOffsets, &["list_offsets", "orders:0:latest", "orders:1:latest"])
            .topics(&topics)
            .answer({
                let mut r = ListOffsetsResponse::default();
                r.topics = vec![offsets("orders", &[(1, 0, -1, 10, 3)])];
                r
            })
            .genuine_crashes("librdkafka 2.16 segfaults in rd_kafka_ListOffsets_handle_result on a partition missing from the response"),
        Case::new("list_offsets unknown topic", ApiKey::ListOffsets, &["list_offsets", "orders:0:latest", "nosuch:0:latest"])
            .topics(&topics)
            .answer({
                let mut r = ListOffsetsResponse::default();
                r.topics = vec![offsets("orders", &[(0, 0, -1, 10, 3)])];
                r
            }),
        Case::new(
            "list_offsets max_timestamp, broker without v7",
            ApiKey::ListOffsets,
            &["list_offsets", "orders:0:max_timestamp"],
        )
        .topics(&topics)
        .api_versions(ApiKey::ListOffsets, Some((1, 6)))
        .respond(|_| {
            let mut r = ListOffsetsResponse::default();
            r.topics = vec![offsets("orders", &[(0, 0, 1, 2, 3)])];
            reply(r)
        }),
    ]);
}
