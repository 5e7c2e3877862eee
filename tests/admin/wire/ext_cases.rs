//! The cases of tests/admin_ext_wire.rs, one section per kafkars extension: each call
//! made by kafka-python and by kafkars against the same capture server.

use super::*;
use kafka_protocol::messages::alter_partition_reassignments_response::{
    ReassignablePartitionResponse, ReassignableTopicResponse,
};
use kafka_protocol::messages::describe_log_dirs_response::{
    DescribeLogDirsPartition, DescribeLogDirsResult, DescribeLogDirsTopic,
};
use kafka_protocol::messages::list_partition_reassignments_response::{
    OngoingPartitionReassignment, OngoingTopicReassignment,
};

// ---- DescribeLogDirs ----

fn replica(topic: &str, parts: &[(i32, i64, i64, bool)]) -> DescribeLogDirsTopic {
    let mut t = DescribeLogDirsTopic::default();
    t.name = tn(topic);
    t.partitions = parts
        .iter()
        .map(|&(p, size, lag, future)| {
            let mut x = DescribeLogDirsPartition::default();
            x.partition_index = p;
            x.partition_size = size;
            x.offset_lag = lag;
            x.is_future_key = future;
            x
        })
        .collect();
    t
}

fn log_dir(
    path: &str,
    err: i16,
    bytes: (i64, i64),
    topics: Vec<DescribeLogDirsTopic>,
) -> DescribeLogDirsResult {
    let mut d = DescribeLogDirsResult::default();
    d.log_dir = s(path);
    d.error_code = err;
    d.total_bytes = bytes.0;
    d.usable_bytes = bytes.1;
    d.topics = topics;
    d
}

fn log_dirs(results: Vec<DescribeLogDirsResult>) -> DescribeLogDirsResponse {
    let mut r = DescribeLogDirsResponse::default();
    r.results = results;
    r
}

/// Two directories holding three replicas (one a future replica), on a 1 TB and a 2 TB
/// volume.
fn two_dirs() -> DescribeLogDirsResponse {
    log_dirs(vec![
        log_dir(
            "/var/kafka/data-a",
            0,
            (1_000_000_000_000, 400_000_000_000),
            vec![replica("orders", &[(0, 104_857_600, 0, false), (1, 52_428_800, 17, false)])],
        ),
        log_dir(
            "/var/kafka/data-b",
            0,
            (2_000_000_000_000, 1_500_000_000_000),
            vec![replica("orders", &[(1, 1_048_576, 9_000, true)]), replica("audit", &[(0, 4096, 0, false)])],
        ),
    ])
}

/// Each broker's answer, by the node the request came to: node 1 two directories,
/// node 2 one, node 3 an offline one.
fn by_node(c: &Captured, _: usize) -> Reply {
    server::reply(match c.node {
        1 => two_dirs(),
        2 => log_dirs(vec![log_dir(
            "/mnt/kafka2",
            0,
            (500_000_000_000, 250_000_000_000),
            vec![replica("orders", &[(0, 104_857_600, 3, false)])],
        )]),
        _ => log_dirs(vec![log_dir("/mnt/kafka3-bad", KAFKA_STORAGE_ERROR, (-1, -1), vec![])]),
    })
}

#[test]
fn describe_log_dirs() {
    let dld = ApiKey::DescribeLogDirs;
    check_all(vec![
        Ext::new(
            "log dirs: two dirs, replicas, v4 total/usable bytes",
            dld,
            &["describe_log_dirs", "B:1", "orders:0", "orders:1", "audit:0"],
        )
        .answer(two_dirs()),
        Ext::new("log dirs: per-dir KAFKA_STORAGE_ERROR", dld, &["describe_log_dirs", "B:1", "orders:0"])
            .answer(log_dirs(vec![
                log_dir("/var/kafka/bad", KAFKA_STORAGE_ERROR, (-1, -1), vec![]),
                log_dir("/var/kafka/gone", LOG_DIR_NOT_FOUND, (-1, -1), vec![]),
                log_dir("/var/kafka/ok", 0, (10_000, 5_000), vec![replica("orders", &[(0, 100, 0, false)])]),
            ])),
        // kafka-python's topic_partitions=None is every partition that Metadata lists,
        // sent as a list: kafkars gets those partitions explicitly.
        Ext::new(
            "log dirs: all partitions, as kafka-python sends them",
            dld,
            &["describe_log_dirs", "B:1", "orders:0", "orders:1", "orders:2", "audit:0"],
        )
        .kpy_op(&["describe_log_dirs", "B:1"])
        .topics(&[("orders", 3), ("audit", 1)])
        .answer(two_dirs()),
        // kafkars' NULL partitions is a null topics array (every replica, asked of the
        // broker) where kafka-python sends the list: the answer is the same.
        Ext::new("log dirs: NULL partitions is a null topics array", dld, &["describe_log_dirs", "B:1"])
            .topics(&[("orders", 3), ("audit", 1)])
            .answer(two_dirs())
            .differs("kafka-python expands topic_partitions=None through Metadata")
            .requests(|a, b| {
                let mut problems = Vec::new();
                match a {
                    [c] if matches!(&c.body, Body::DescribeLogDirs(r)
                        if r.topics.as_ref().is_some_and(|t| t.len() == 2)) => {}
                    _ => problems.push(format!("kafka-python did not send the 2 topics: {a:#?}")),
                }
                match b {
                    [c] if c.version == 4
                        && matches!(&c.body, Body::DescribeLogDirs(r) if r.topics.is_none()) => {}
                    _ => {
                        problems.push(format!("kafkars did not send one v4 request with null topics: {b:#?}"))
                    }
                }
                problems
            }),
        // Every broker (no ids): one request to each; -s sorts the brokers (kafkars
        // lists them in Metadata's order, kafka-python in its cluster view's).
        Ext::new("log dirs: every broker", dld, &["describe_log_dirs", "orders:0", "orders:1"])
            .with(|c| {
                let mut c = c.opt("request_timeout=5000");
                c.opts.push("-s".into());
                c
            })
            .brokers(&[2, 3])
            .respond(by_node),
        Ext::new("log dirs: named brokers", dld, &["describe_log_dirs", "B:3", "B:2", "audit:0"])
            .brokers(&[2, 3])
            .respond(by_node),
        Ext::new("log dirs: -o broker", dld, &["describe_log_dirs", "orders:0"])
            .opt("broker=2")
            .brokers(&[2, 3])
            .respond(by_node),
        // Older brokers: v3 has no total/usable bytes (-1 on both sides).
        Ext::new("log dirs: v3 only", dld, &["describe_log_dirs", "B:1", "orders:0"])
            .with(|c| c.api_versions(dld, Some((1, 3))))
            .answer(two_dirs()),
        Ext::new("log dirs: v1 only", dld, &["describe_log_dirs", "B:1", "orders:1"])
            .with(|c| c.api_versions(dld, Some((1, 1))))
            .answer(two_dirs()),
        // The same partition twice: both send it twice.
        Ext::new("log dirs: duplicate partition", dld, &["describe_log_dirs", "B:1", "orders:0", "orders:0"])
            .answer(two_dirs()),
        // The same broker twice: kafka-python asks it twice; kafkars refuses.
        Ext::new("log dirs: duplicate broker", dld, &["describe_log_dirs", "B:2", "B:2", "orders:0"])
            .brokers(&[2])
            .respond(by_node)
            .differs("kafka-python asks a broker named twice twice")
            .requests(|a, b| {
                let mut problems = Vec::new();
                if a.len() != 2 {
                    problems.push(format!("kafka-python sent {} request(s), expected 2", a.len()));
                }
                if !b.is_empty() {
                    problems.push(format!("kafkars sent {} request(s); it must refuse duplicates", b.len()));
                }
                problems
            })
            .output(event_errs("NO_ERROR", "_INVALID_ARG")),
        // A broker that never answers: kafka-python's whole call times out; kafkars
        // reports that broker's error beside the others' directories.
        Ext::new("log dirs: one broker never answers", dld, &["describe_log_dirs", "B:1", "B:2", "orders:0"])
            .opt("request_timeout=2000")
            .brokers(&[2])
            .respond(|c, n| if c.node == 2 { Reply::Silent } else { by_node(c, n) })
            .differs("kafka-python raises when one broker does not answer; kafkars reports per broker")
            .output(|a, b| {
                let mut problems = event_errs("_TIMED_OUT", "NO_ERROR")(a, b);
                if !b.stdout.contains("    broker id=1 error=(null)\n      log_dirs: 2\n")
                    || !b.stdout.contains("    broker id=2 error=_TIMED_OUT")
                {
                    problems
                        .push("kafkars should print broker 1's directories and broker 2's _TIMED_OUT".into());
                }
                problems
            }),
        // A broker without the API.
        Ext::new("log dirs: broker lacks the API", dld, &["describe_log_dirs", "B:1", "orders:0"])
            .with(|c| c.api_versions(dld, None))
            .no_request()
            .answer(two_dirs())
            .differs("kafka-python raises; kafkars reports it on the broker's entry")
            .output(|a, b| {
                let mut problems = event_errs("_UNSUPPORTED_FEATURE", "NO_ERROR")(a, b);
                if !b.stdout.contains("broker id=1 error=_UNSUPPORTED_FEATURE") {
                    problems.push("kafkars should report _UNSUPPORTED_FEATURE on broker 1".into());
                }
                problems
            }),
        // A top-level error (v3+): kafka-python returns the (empty) directories and drops
        // the code; kafkars reports it on the broker's entry.
        Ext::new("log dirs: top-level error", dld, &["describe_log_dirs", "B:1", "orders:0"])
            .answer({
                let mut r = log_dirs(vec![]);
                r.error_code = CLUSTER_AUTHORIZATION_FAILED;
                r
            })
            .differs("kafka-python's describe_log_dirs ignores the response's top-level error_code")
            .output(|a, b| {
                let mut problems = Vec::new();
                let want_a = "broker id=1 error=(null)\n      log_dirs: 0\n";
                if !a.stdout.contains(want_a) {
                    problems.push(format!("kafka-python: expected {want_a:?}"));
                }
                let want_b = "broker id=1 error=CLUSTER_AUTHORIZATION_FAILED";
                if !b.stdout.contains(want_b) || !b.stdout.contains("log_dirs: 0") {
                    problems.push(format!("kafkars: expected {want_b:?} and no directories"));
                }
                problems
            }),
    ]);
}

// ---- AlterPartitionReassignments ----

/// (partition, error code, error message) answers of a topic.
type Answers<'a> = [(&'a str, &'a [(i32, i16, Option<&'a str>)])];

fn altered(err: i16, msg: Option<&str>, answers: &Answers) -> AlterPartitionReassignmentsResponse {
    let mut r = AlterPartitionReassignmentsResponse::default();
    r.error_code = err;
    r.error_message = msg.map(s);
    r.responses = answers
        .iter()
        .map(|(t, ps)| {
            let mut x = ReassignableTopicResponse::default();
            x.name = tn(t);
            x.partitions = ps
                .iter()
                .map(|&(p, code, m)| {
                    let mut y = ReassignablePartitionResponse::default();
                    y.partition_index = p;
                    y.error_code = code;
                    y.error_message = m.map(s);
                    y
                })
                .collect();
            x
        })
        .collect();
    r
}

/// Sets a request's TimeoutMs aside (each side's default is its own).
fn no_timeout(b: &mut Body) {
    match b {
        Body::AlterPartitionReassignments(r) => r.timeout_ms = 0,
        Body::ListPartitionReassignments(r) => r.timeout_ms = 0,
        _ => {}
    }
}

fn timeout_of(c: &Captured) -> Option<i32> {
    match &c.body {
        Body::AlterPartitionReassignments(r) => Some(r.timeout_ms),
        Body::ListPartitionReassignments(r) => Some(r.timeout_ms),
        _ => None,
    }
}

#[test]
fn alter_partition_reassignments() {
    let apr = ApiKey::AlterPartitionReassignments;
    let move3 = ["alter_partition_reassignments", "orders:0:2,3", "audit:0:1", "orders:1:3,1,2", "orders:2"];
    let ok = || {
        altered(
            0,
            None,
            &[("orders", &[(0, 0, None), (1, 0, None), (2, 0, None)]), ("audit", &[(0, 0, None)])],
        )
    };
    check_all(vec![
        Ext::new("alter: replicas and a cancel", apr, &move3).opt("operation_timeout=5000").answer(ok()),
        Ext::new(
            "alter: per-partition errors with messages",
            apr,
            &["alter_partition_reassignments", "orders:0", "orders:1:9", "orders:2:1,2", "ghost:0:1"],
        )
        .opt("operation_timeout=5000")
        .answer(altered(
            0,
            None,
            &[
                (
                    "orders",
                    &[
                        (0, NO_REASSIGNMENT_IN_PROGRESS, Some("No reassignment in progress for orders-0")),
                        (1, INVALID_REPLICA_ASSIGNMENT, Some("Replica 9 is not alive")),
                        (2, 0, None),
                    ],
                ),
                ("ghost", &[(0, UNKNOWN_TOPIC_OR_PART, Some("Topic ghost not found"))]),
            ],
        ))
        .prints("error=NO_REASSIGNMENT_IN_PROGRESS: No reassignment in progress for orders-0")
        .prints("error=INVALID_REPLICA_ASSIGNMENT: Replica 9 is not alive")
        .prints("error=UNKNOWN_TOPIC_OR_PART: Topic ghost not found"),
        // kafka-python raises the top-level error; kafkars puts it on the event.
        Ext::new("alter: top-level error", apr, &move3)
            .opt("operation_timeout=5000")
            .answer(altered(CLUSTER_AUTHORIZATION_FAILED, Some("Not authorized to alter the cluster"), &[]))
            .prints("err=CLUSTER_AUTHORIZATION_FAILED errstr=Not authorized to alter the cluster"),
        Ext::new(
            "alter: top-level error without a message",
            apr,
            &["alter_partition_reassignments", "orders:0:2"],
        )
        .opt("operation_timeout=5000")
        .answer(altered(CLUSTER_AUTHORIZATION_FAILED, None, &[])),
        // Both send to the controller that Metadata names, not the bootstrap broker.
        Ext::new("alter: controller is node 3", apr, &["alter_partition_reassignments", "orders:0:2,3"])
            .opt("operation_timeout=5000")
            .controller(3)
            .answer(ok())
            .requests(|a, b| {
                let mut problems = Vec::new();
                if a.len() != 1 || a[0].node != 3 || b.len() != 1 || b[0].node != 3 || a[0].body != b[0].body
                {
                    problems.push("both should send the same request to node 3 once".into());
                }
                problems
            }),
        Ext::new("alter: broker lacks the API", apr, &["alter_partition_reassignments", "orders:0:2"])
            .opt("operation_timeout=5000")
            .with(|c| c.api_versions(apr, None))
            .no_request()
            .output(event_errs("_UNSUPPORTED_FEATURE", "_UNSUPPORTED_FEATURE")),
        Ext::new("alter: v0 only", apr, &["alter_partition_reassignments", "orders:0:2,3", "orders:1"])
            .opt("operation_timeout=2500")
            .with(|c| c.api_versions(apr, Some((0, 0))))
            .answer(ok()),
        // TimeoutMs without operation_timeout: kafka-python's timeout_ms defaults to its
        // request_timeout_ms; kafkars' operation_timeout to the admin request timeout
        // (librdkafka's default, socket.timeout.ms), so each sends its own.
        Ext::new("alter: default timeout", apr, &["alter_partition_reassignments", "orders:0:2,3"])
            .opt("request_timeout=7000")
            .with(|c| c.normalize(no_timeout))
            .answer(ok())
            .differs("each side's default TimeoutMs is its own")
            .requests(|a, b| {
                let mut problems = Vec::new();
                let (ta, tb) = (a.first().and_then(|c| timeout_of(c)), b.first().and_then(|c| timeout_of(c)));
                if ta != Some(7000) {
                    problems.push(format!(
                        "kafka-python's TimeoutMs {ta:?}, expected its request_timeout_ms 7000"
                    ));
                }
                if tb != Some(60000) {
                    problems.push(format!("kafkars' TimeoutMs {tb:?}, expected socket.timeout.ms 60000"));
                }
                problems
            }),
        // An empty replica list is refused before sending, on both sides.
        Ext::new("alter: empty replica list", apr, &["alter_partition_reassignments", "orders:0:-"])
            .no_request()
            .output(|a, b| {
                let mut problems = Vec::new();
                for side in [a, b] {
                    if side.exit != Exit::Code(4) || !side.stdout.starts_with("build: ") {
                        problems.push(format!("{} should refuse to build the request (exit 4)", side.label));
                    }
                }
                problems
            }),
        // The same partition twice: kafka-python's dict keeps the last; kafkars refuses.
        Ext::new(
            "alter: duplicate partition",
            apr,
            &["alter_partition_reassignments", "orders:0:1,2", "orders:0:3"],
        )
        .opt("operation_timeout=5000")
        .answer(ok())
        .differs("kafka-python takes a dict: a partition can be there once")
        .requests(|a, b| {
            let mut problems = Vec::new();
            if a.len() != 1 {
                problems.push(format!("kafka-python sent {} request(s)", a.len()));
            }
            if !b.is_empty() {
                problems.push(format!("kafkars sent {} request(s); it must refuse duplicates", b.len()));
            }
            problems
        })
        .output(event_errs("NO_ERROR", "_INVALID_ARG")),
        // A partition the answer leaves out: absent from kafka-python's dict; kafkars
        // reports it (_BAD_MSG) in request order.
        Ext::new(
            "alter: partition missing from the answer",
            apr,
            &["alter_partition_reassignments", "orders:0:2,3", "orders:1:1"],
        )
        .opt("operation_timeout=5000")
        .answer(altered(0, None, &[("orders", &[(0, 0, None)])]))
        .differs("kafka-python's result has no entry for a partition the broker did not report")
        .output(|a, b| {
            let mut problems = Vec::new();
            if !normalized(&a.stdout).contains("  partitions: 1\n") {
                problems.push("kafka-python should print the one partition answered".into());
            }
            let nb = normalized(&b.stdout);
            if !nb.contains("  partitions: 2\n")
                || !nb.contains(
                    "partition=1 offset=0 leader_epoch=-1 metadata=(null) err=_BAD_MSG error=_BAD_MSG",
                )
            {
                problems.push("kafkars should print both partitions, the missing one with _BAD_MSG".into());
            }
            let first = |s: &str| s.lines().find(|l| l.contains("partition=0")).map(str::to_string);
            if first(&normalized(&a.stdout)) != first(&nb) {
                problems.push("the answered partition prints differently".into());
            }
            problems
        }),
        // NOT_CONTROLLER: kafka-python finds the controller again and resends once;
        // kafkars, like librdkafka, reports it.
        Ext::new("alter: NOT_CONTROLLER", apr, &["alter_partition_reassignments", "orders:0:2,3"])
            .opt("operation_timeout=5000")
            .respond(|_, n| {
                server::reply(if n == 0 {
                    altered(NOT_CONTROLLER, Some("This is not the correct controller"), &[])
                } else {
                    altered(0, None, &[("orders", &[(0, 0, None)])])
                })
            })
            .differs("kafka-python resends once on NOT_CONTROLLER; kafkars does not resend (as librdkafka)")
            .requests(|a, b| {
                let mut problems = Vec::new();
                if a.len() != 2 || a[0].body != a[1].body {
                    problems.push(format!(
                        "kafka-python sent {} request(s), expected the same one twice",
                        a.len()
                    ));
                }
                if b.len() != 1 || a.first().map(|c| &c.body) != Some(&b[0].body) {
                    problems
                        .push(format!("kafkars sent {} request(s), expected kafka-python's once", b.len()));
                }
                problems
            })
            .output(event_errs("NO_ERROR", "NOT_CONTROLLER")),
    ]);
}

// ---- ListPartitionReassignments ----

/// (partition, replicas, adding, removing) of a topic.
type Ongoing<'a> = [(&'a str, &'a [(i32, &'a [i32], &'a [i32], &'a [i32])])];

pub(super) fn ongoing(err: i16, msg: Option<&str>, topics: &Ongoing) -> ListPartitionReassignmentsResponse {
    let mut r = ListPartitionReassignmentsResponse::default();
    r.error_code = err;
    r.error_message = msg.map(s);
    r.topics = topics
        .iter()
        .map(|(t, ps)| {
            let mut x = OngoingTopicReassignment::default();
            x.name = tn(t);
            x.partitions = ps
                .iter()
                .map(|&(p, replicas, adding, removing)| {
                    let mut y = OngoingPartitionReassignment::default();
                    y.partition_index = p;
                    y.replicas = ids(replicas);
                    y.adding_replicas = ids(adding);
                    y.removing_replicas = ids(removing);
                    y
                })
                .collect();
            x
        })
        .collect();
    r
}

#[test]
fn list_partition_reassignments() {
    let lpr = ApiKey::ListPartitionReassignments;
    let two = || {
        ongoing(
            0,
            None,
            &[
                ("orders", &[(0, &[1, 2, 3, 4], &[3, 4], &[1, 2]), (2, &[2, 3, 1], &[1], &[])]),
                ("audit", &[(0, &[3, 2], &[], &[1])]),
            ],
        )
    };
    check_all(vec![
        // No partitions: both send a null topics array.
        Ext::new("list: all, reassignments in progress", lpr, &["list_partition_reassignments"])
            .opt("operation_timeout=4000")
            .answer(two()),
        Ext::new(
            "list: given partitions",
            lpr,
            &["list_partition_reassignments", "orders:0", "audit:0", "orders:2", "orders:1"],
        )
        .opt("operation_timeout=4000")
        .answer(two()),
        Ext::new("list: controller is node 2", lpr, &["list_partition_reassignments", "orders:0"])
            .opt("operation_timeout=4000")
            .controller(2)
            .answer(two()),
        // The same partition twice: kafka-python sends it twice; kafkars refuses.
        Ext::new("list: duplicate partition", lpr, &["list_partition_reassignments", "orders:0", "orders:0"])
            .opt("operation_timeout=4000")
            .answer(two())
            .differs("kafka-python passes a partition named twice on")
            .requests(|a, b| {
                let mut problems = Vec::new();
                match a {
                    [c] if matches!(&c.body, Body::ListPartitionReassignments(r)
                        if r.topics.as_ref().is_some_and(|t| t.len() == 1 && t[0].partition_indexes == [0, 0])) => {}
                    _ => problems.push(format!("kafka-python should send orders [0, 0]: {a:#?}")),
                }
                if !b.is_empty() {
                    problems.push(format!("kafkars sent {} request(s); it must refuse duplicates", b.len()));
                }
                problems
            })
            .output(event_errs("NO_ERROR", "_INVALID_ARG")),
        Ext::new("list: broker lacks the API", lpr, &["list_partition_reassignments"])
            .opt("operation_timeout=4000")
            .with(|c| c.api_versions(lpr, None))
            .no_request()
            .output(event_errs("_UNSUPPORTED_FEATURE", "_UNSUPPORTED_FEATURE")),
        Ext::new("list: none in progress", lpr, &["list_partition_reassignments", "orders:1"])
            .opt("operation_timeout=4000")
            .answer(ongoing(0, None, &[])),
        // kafka-python raises the top-level error; kafkars puts it on the event.
        Ext::new("list: top-level error", lpr, &["list_partition_reassignments"])
            .opt("operation_timeout=4000")
            .answer(ongoing(CLUSTER_AUTHORIZATION_FAILED, Some("Cluster authorization failed."), &[]))
            .prints("err=CLUSTER_AUTHORIZATION_FAILED errstr=Cluster authorization failed."),
        Ext::new("list: default timeout", lpr, &["list_partition_reassignments", "orders:0"])
            .opt("request_timeout=7000")
            .with(|c| c.normalize(no_timeout))
            .answer(two())
            .differs("each side's default TimeoutMs is its own")
            .requests(|a, b| {
                let (ta, tb) = (a.first().and_then(|c| timeout_of(c)), b.first().and_then(|c| timeout_of(c)));
                let mut problems = Vec::new();
                if ta != Some(7000) {
                    problems.push(format!("kafka-python's TimeoutMs {ta:?}, expected its request_timeout_ms 7000"));
                }
                if tb != Some(60000) {
                    problems.push(format!("kafkars' TimeoutMs {tb:?}, expected socket.timeout.ms 60000"));
                }
                problems
            }),
        // Never answered: both give up at the request timeout.
        Ext::new("list: never answered", lpr, &["list_partition_reassignments", "orders:0"])
            .opt("request_timeout=1500")
            .opt("operation_timeout=1000")
            .with(|c| c.silent())
            .output(event_errs("_TIMED_OUT", "_TIMED_OUT")),
    ]);
}
