//! Admin wire cases: CreateTopics, DeleteTopics, CreatePartitions, and the Metadata-based
//! DescribeCluster and DescribeTopics.

use super::*;

// ---- Topics ----

fn topic_result(name: &str, err: i16, m: Option<&str>) -> create_topics_response::CreatableTopicResult {
    let mut t = create_topics_response::CreatableTopicResult::default();
    t.name = tn(name);
    t.error_code = err;
    t.error_message = m.map(s);
    t
}

#[test]
fn create_topics() {
    check_all(vec![
        Case::new(
            "create_topics per-topic errors",
            ApiKey::CreateTopics,
            &[
                "create_topics",
                "new1:3:1:cleanup.policy=compact,retention.ms=1000",
                "dup:1:1",
                "bad:1:9",
                "zero:0:1",
            ],
        )
        .answer({
            let mut r = CreateTopicsResponse::default();
            r.topics = vec![
                topic_result("new1", 0, None),
                topic_result("dup", TOPIC_ALREADY_EXISTS, Some("Topic 'dup' already exists.")),
                topic_result(
                    "bad",
                    INVALID_REPLICATION_FACTOR,
                    Some("Replication factor: 9 larger than available brokers: 1."),
                ),
                topic_result("zero", INVALID_PARTITIONS, None),
            ];
            r
        }),
        Case::new(
            "create_topics validate_only, replica assignment",
            ApiKey::CreateTopics,
            &["create_topics", "assigned:@1;1", "policy:2:1"],
        )
        .opt("validate_only=1")
        .opt("operation_timeout=5000")
        .answer({
            let mut r = CreateTopicsResponse::default();
            r.topics = vec![
                topic_result("assigned", 0, None),
                topic_result("policy", POLICY_VIOLATION, Some("Topic names may not start with 'policy'")),
            ];
            r
        }),
        Case::new(
            "create_topics partial response",
            ApiKey::CreateTopics,
            &["create_topics", "a:1:1", "b:1:1"],
        )
        .answer({
            let mut r = CreateTopicsResponse::default();
            r.topics = vec![topic_result("b", 0, None)];
            r
        })
        .genuine_crashes(NULL_RESULT_ENTRY),
        // Genuine librdkafka 2.16 reports NOT_CONTROLLER per topic; it does not retry.
        Case::new("create_topics NOT_CONTROLLER, then ok", ApiKey::CreateTopics, &["create_topics", "a:1:1"])
            .respond_nth(|_, n| {
                let mut r = CreateTopicsResponse::default();
                r.topics = vec![topic_result("a", if n == 0 { NOT_CONTROLLER } else { 0 }, None)];
                reply(r)
            }),
    ]);
}

#[test]
fn delete_topics_and_create_partitions() {
    check_all(vec![
        Case::new(
            "delete_topics per-topic errors",
            ApiKey::DeleteTopics,
            &["delete_topics", "orders", "nosuch"],
        )
        .answer({
            let mut r = DeleteTopicsResponse::default();
            let mut a = delete_topics_response::DeletableTopicResult::default();
            a.name = Some(tn("orders"));
            let mut b = delete_topics_response::DeletableTopicResult::default();
            b.name = Some(tn("nosuch"));
            b.error_code = UNKNOWN_TOPIC_OR_PART;
            r.responses = vec![a, b];
            r
        }),
        Case::new(
            "create_partitions per-topic errors",
            ApiKey::CreatePartitions,
            &["create_partitions", "orders:6", "audit:1"],
        )
        .answer({
            let mut r = CreatePartitionsResponse::default();
            let mut a = create_partitions_response::CreatePartitionsTopicResult::default();
            a.name = tn("orders");
            let mut b = create_partitions_response::CreatePartitionsTopicResult::default();
            b.name = tn("audit");
            b.error_code = INVALID_PARTITIONS;
            b.error_message = msg("Topic currently has 1 partitions, which is higher than the requested 1.");
            r.results = vec![a, b];
            r
        }),
    ]);
}

// ---- Metadata-based: DescribeCluster, DescribeTopics ----

/// librdkafka's DescribeCluster is a Metadata request for brokers only.
fn brokers_only(c: &server::Captured) -> bool {
    matches!(&c.body, Body::Metadata(m) if m.topics.as_ref().is_some_and(|t| t.is_empty()))
}

/// DescribeTopics: a Metadata request naming topics.
fn names_topics(c: &server::Captured) -> bool {
    matches!(&c.body, Body::Metadata(m) if m.topics.as_ref().is_some_and(|t| !t.is_empty()))
}

const CLUSTER_OPS: i32 = (1 << 5) | (1 << 7) | (1 << 8) | (1 << 9) | (1 << 10) | (1 << 11) | (1 << 12);
const TOPIC_OPS: i32 = (1 << 3) | (1 << 4) | (1 << 8) | (1 << 10);

#[test]
fn describe_cluster() {
    let with_ops = |c: Case| {
        let mut c = c.opt("include_authorized_operations=1");
        c.meta.cluster_ops = CLUSTER_OPS;
        c
    };
    check_all(vec![
        Case::new("describe_cluster", ApiKey::Metadata, &["describe_cluster"]).select(brokers_only).dedup(),
        {
            let mut c = Case::new("describe_cluster with rack", ApiKey::Metadata, &["describe_cluster"])
                .select(brokers_only)
                .dedup();
            c.meta.rack = Some("rack-a".into());
            c
        },
        with_ops(Case::new(
            "describe_cluster authorized operations",
            ApiKey::Metadata,
            &["describe_cluster"],
        ))
        .select(brokers_only)
        .dedup(),
        // Genuine librdkafka asks for cluster authorized operations with Metadata v10 (the
        // last version that has them) even when the broker speaks v13; a broker without
        // v8..v10 cannot give them.
        with_ops(Case::new(
            "describe_cluster authorized operations, Metadata v7",
            ApiKey::Metadata,
            &["describe_cluster"],
        ))
        .api_versions(ApiKey::Metadata, Some((0, 7)))
        .select(brokers_only)
        .dedup(),
        // A broker that also speaks DescribeCluster (API 60): genuine librdkafka still
        // uses Metadata; any DescribeCluster request shows up as an "other request".
        Case::new("describe_cluster never uses API 60", ApiKey::DescribeCluster, &["describe_cluster"])
            .no_request(),
    ]);
}

#[test]
fn describe_topics() {
    let topics = |c: Case| {
        let mut authz = TopicSpec::new("secret", 1);
        authz.error = TOPIC_AUTHORIZATION_FAILED;
        let mut internal = TopicSpec::new("__consumer_offsets", 2);
        internal.internal = true;
        internal.ops = TOPIC_OPS;
        let mut orders = TopicSpec::new("orders", 3);
        orders.ops = TOPIC_OPS;
        c.topic(orders).topic(internal).topic(authz).select(names_topics).dedup()
    };
    check_all(vec![
        topics(Case::new(
            "describe_topics ok, unknown, unauthorized, internal",
            ApiKey::Metadata,
            &["describe_topics", "orders", "nosuch", "secret", "__consumer_offsets"],
        )),
        topics(Case::new(
            "describe_topics authorized operations",
            ApiKey::Metadata,
            &["describe_topics", "orders", "__consumer_offsets"],
        ))
        .opt("include_authorized_operations=1"),
        topics(Case::new("describe_topics Metadata v9", ApiKey::Metadata, &["describe_topics", "orders"]))
            .api_versions(ApiKey::Metadata, Some((0, 9))),
        Case::new("describe_topics none", ApiKey::Metadata, &["describe_topics"])
            .select(names_topics)
            .no_request(),
    ]);
}
