//! The cases of tests/admin_ext_wire.rs for the later kafkars extensions (one section
//! per extension): each call made by kafka-python and by kafkars against the same
//! capture server.

use super::*;
use bytes::{BufMut, BytesMut};
use kafka_protocol::messages::alter_replica_log_dirs_response::{
    AlterReplicaLogDirPartitionResult, AlterReplicaLogDirTopicResult,
};
use kafka_protocol::messages::describe_quorum_response as dq;
use kafka_protocol::messages::list_config_resources_response::ConfigResource;
use kafka_protocol::messages::update_features_response::UpdatableFeatureResult;
use kafka_protocol::protocol::Decodable;

const NOT_LEADER_OR_FOLLOWER: i16 = 6;
const INVALID_UPDATE_VERSION: i16 = 95;
const FEATURE_UPDATE_FAILED: i16 = 96;

/// A case's printed results must show these event errs (kafka-python's, kafkars'),
/// and kafkars' result these lines besides.
pub(super) fn errs_and(
    kpy_err: &'static str,
    kafkars_err: &'static str,
    kafkars_lines: &'static [&'static str],
) -> impl Fn(&Side, &Side) -> Vec<String> {
    move |a: &Side, b: &Side| {
        let mut problems = event_errs(kpy_err, kafkars_err)(a, b);
        let nb = normalized(&b.stdout);
        for l in kafkars_lines {
            if !nb.lines().any(|x| x == *l) {
                problems.push(format!("kafkars should print the line {l:?}"));
            }
        }
        problems
    }
}

/// The requests of a case are the same, but for the order of what kafka-python keeps
/// in sets and dicts (`sort` puts both in one order first).
pub(super) fn same_sorted(sort: fn(&mut Body)) -> impl Fn(&[&Captured], &[&Captured]) -> Vec<String> {
    move |a: &[&Captured], b: &[&Captured]| {
        let mut problems = Vec::new();
        if a.len() != b.len() {
            problems.push(format!("kafka-python sent {} request(s), kafkars {}", a.len(), b.len()));
            return problems;
        }
        for (x, y) in a.iter().zip(b) {
            let (mut bx, mut by) = (x.body.clone(), y.body.clone());
            sort(&mut bx);
            sort(&mut by);
            if (x.version, x.node) != (y.version, y.node) || bx != by {
                problems.push(format!(
                    "request differs (order set aside):\n{}",
                    harness::diff(
                        &format!("v{} node {} {bx:#?}", x.version, x.node),
                        &format!("v{} node {} {by:#?}", y.version, y.node),
                        "kafka-python",
                        "kafkars"
                    )
                ));
            }
        }
        problems
    }
}

/// Neither side sent the case's request; each printed the event err given.
pub(super) fn refused(
    kpy_err: &'static str,
    kafkars_err: &'static str,
) -> impl Fn(&Side, &Side) -> Vec<String> {
    event_errs(kpy_err, kafkars_err)
}

// ---- AlterReplicaLogDirs ----

/// Answers an AlterReplicaLogDirs request with a result for each replica it names: the
/// error code `code(node, topic, partition)` gives.
fn ard_echo(code: fn(i32, &str, i32) -> i16) -> impl Fn(&Captured, usize) -> Reply + Send + Sync {
    move |c: &Captured, _| {
        let Body::AlterReplicaLogDirs(req) = &c.body else { return Reply::Close };
        let mut r = AlterReplicaLogDirsResponse::default();
        for d in &req.dirs {
            for t in &d.topics {
                let mut x = AlterReplicaLogDirTopicResult::default();
                x.topic_name = t.name.clone();
                x.partitions = t
                    .partitions
                    .iter()
                    .map(|&p| {
                        let mut y = AlterReplicaLogDirPartitionResult::default();
                        y.partition_index = p;
                        y.error_code = code(c.node, &t.name.0, p);
                        y
                    })
                    .collect();
                r.results.push(x);
            }
        }
        server::reply(r)
    }
}

#[test]
fn alter_replica_log_dirs() {
    let ard = ApiKey::AlterReplicaLogDirs;
    let moves = [
        "alter_replica_log_dirs",
        "orders:0:1:/data/a",
        "orders:1:1:/data/b",
        "audit:0:2:/data/a",
        "orders:2:1:/data/a",
    ];
    check_all(vec![
        // One request per broker: dirs by path, topics, partitions in the order given.
        Ext::new("replica log dirs: two brokers", ard, &moves).brokers(&[2]).respond(ard_echo(|_, _, _| 0)),
        Ext::new("replica log dirs: per-replica errors", ard, &moves).brokers(&[2]).respond(ard_echo(
            |node, t, p| match (node, t, p) {
                (1, "orders", 0) => LOG_DIR_NOT_FOUND,
                (1, "orders", 1) => KAFKA_STORAGE_ERROR,
                (2, _, _) => UNKNOWN_TOPIC_OR_PART,
                _ => 0,
            },
        )),
        Ext::new("replica log dirs: v1 only", ard, &["alter_replica_log_dirs", "orders:0:1:/mnt/d:1"])
            .with(|c| c.api_versions(ard, Some((1, 1))))
            .respond(ard_echo(|_, _, _| 0)),
        // kafka-python raises when one broker does not answer; kafkars reports it on
        // that broker's replicas.
        Ext::new("replica log dirs: one broker never answers", ard, &moves)
            .opt("request_timeout=2000")
            .brokers(&[2])
            .respond(|c, n| if c.node == 2 { Reply::Silent } else { ard_echo(|_, _, _| 0)(c, n) })
            .differs("kafka-python raises when one broker does not answer; kafkars reports per replica")
            .output(errs_and(
                "_TIMED_OUT",
                "NO_ERROR",
                &[
                    "    replica topic=orders partition=0 broker_id=1 path=/data/a error=(null)",
                    "    replica topic=audit partition=0 broker_id=2 path=/data/a error=_TIMED_OUT",
                ],
            )),
        Ext::new("replica log dirs: broker lacks the API", ard, &moves)
            .brokers(&[2])
            .with(|c| c.api_versions(ard, None))
            .no_request()
            .differs("kafka-python raises; kafkars reports it on each replica")
            .output(errs_and(
                "_UNSUPPORTED_FEATURE",
                "NO_ERROR",
                &["    replica topic=orders partition=0 broker_id=1 path=/data/a error=_UNSUPPORTED_FEATURE"],
            )),
    ]);
}

// ---- DescribeMetadataQuorum ----

/// A ReplicaState at `version`, built from its wire form (its directory id's Uuid type
/// is not nameable from here).
fn replica_state(version: i16, id: i32, dir: u8, leo: i64, fetch: i64, caught_up: i64) -> dq::ReplicaState {
    let mut b = BytesMut::new();
    b.put_i32(id);
    if version >= 2 {
        b.put_slice(&[dir; 16]);
    }
    b.put_i64(leo);
    if version >= 1 {
        b.put_i64(fetch);
        b.put_i64(caught_up);
    }
    b.put_u8(0); // no tagged fields (flexible from v0)
    dq::ReplicaState::decode(&mut b.freeze(), version).expect("replica state")
}

/// The quorum of three voters (1, 2, 3; 1 leads) and one observer (4), at `version`.
fn quorum(version: i16, part_err: i16) -> DescribeQuorumResponse {
    let mut p = dq::PartitionData::default();
    p.partition_index = 0;
    p.error_code = part_err;
    p.error_message = if version >= 2 && part_err != 0 { Some(s("This is not the leader")) } else { None };
    p.leader_id = BrokerId(1);
    p.leader_epoch = 17;
    p.high_watermark = 8_000_123;
    p.current_voters = vec![
        replica_state(version, 1, 0x11, 8_000_200, 1_700_000_000_500, 1_700_000_000_400),
        replica_state(version, 2, 0x22, 8_000_100, 1_700_000_000_300, 1_700_000_000_200),
        replica_state(version, 3, 0x33, 7_999_000, -1, -1),
    ];
    p.observers = vec![replica_state(version, 4, 0, 8_000_000, 1_700_000_000_000, 1_699_999_999_000)];
    let mut t = dq::TopicData::default();
    t.topic_name = tn("__cluster_metadata");
    t.partitions = vec![p];
    let mut r = DescribeQuorumResponse::default();
    r.error_message = None;
    r.topics = vec![t];
    if version >= 2 {
        r.nodes = [(1, 9093), (2, 9094), (3, 9095)]
            .iter()
            .map(|&(id, port)| {
                let mut l = dq::Listener::default();
                l.name = s("CONTROLLER");
                l.host = s(&format!("controller-{id}.example"));
                l.port = port;
                let mut n = dq::Node::default();
                n.node_id = BrokerId(id);
                n.listeners = vec![l];
                n
            })
            .collect();
    }
    r
}

#[test]
fn describe_metadata_quorum() {
    let dq = ApiKey::DescribeQuorum;
    let op = ["describe_metadata_quorum"];
    check_all(vec![
        Ext::new("quorum: voters, observers, nodes (v2)", dq, &op)
            .respond(|c, _| server::reply(quorum(c.version, 0))),
        // kafka-python 3.0.12 cannot read a v0/v1 answer: it pops the partition's
        // error_message, a v2 field (KeyError). kafkars must print the quorum.
        Ext::new("quorum: v1 only", dq, &op)
            .with(|c| c.api_versions(dq, Some((0, 1))))
            .respond(|c, _| server::reply(quorum(c.version, 0)))
            .differs("kafka-python's describe_metadata_quorum raises KeyError('error_message') below v2")
            .output(errs_and(
                "_KAFKA_PYTHON_KeyError",
                "NO_ERROR",
                &[
                    "  quorum leader_id=1 leader_epoch=17 high_watermark=8000123",
                    "      replica id=2 directory_id=(null) log_end_offset=8000100 last_fetch_timestamp=1700000000300 last_caught_up_timestamp=1700000000200",
                    "    nodes: 0",
                ],
            )),
        Ext::new("quorum: v0 only", dq, &op)
            .with(|c| c.api_versions(dq, Some((0, 0))))
            .respond(|c, _| server::reply(quorum(c.version, 0)))
            .differs("kafka-python's describe_metadata_quorum raises KeyError('error_message') below v2")
            .output(errs_and(
                "_KAFKA_PYTHON_KeyError",
                "NO_ERROR",
                &[
                    "  quorum leader_id=1 leader_epoch=17 high_watermark=8000123",
                    "      replica id=2 directory_id=(null) log_end_offset=8000100 last_fetch_timestamp=-1 last_caught_up_timestamp=-1",
                    "    observers: 1",
                    "    nodes: 0",
                ],
            )),
        // kafka-python raises the top-level error; kafkars puts it on the event.
        Ext::new("quorum: top-level error", dq, &op)
            .respond(|_, _| {
                let mut r = DescribeQuorumResponse::default();
                r.error_code = CLUSTER_AUTHORIZATION_FAILED;
                r.error_message = Some(s("Cluster authorization failed."));
                server::reply(r)
            })
            .prints("err=CLUSTER_AUTHORIZATION_FAILED errstr=Cluster authorization failed."),
        Ext::new("quorum: broker lacks the API", dq, &op)
            .with(|c| c.api_versions(dq, None))
            .no_request()
            .output(refused("_UNSUPPORTED_FEATURE", "_UNSUPPORTED_FEATURE")),
        // The partition's error: kafka-python keeps it in the dict (as a string) beside
        // the partition's fields; kafkars reports it as the event's error.
        Ext::new("quorum: partition error", dq, &op)
            .respond(|c, _| server::reply(quorum(c.version, NOT_LEADER_OR_FOLLOWER)))
            .differs("kafka-python returns the partition's error in its dict; kafkars on the event")
            .output(|a, b| {
                let mut problems = event_errs("NO_ERROR", "NOT_LEADER_FOR_PARTITION")(a, b);
                if !normalized(&a.stdout).contains("  partition error=NOT_LEADER_FOR_PARTITION\n") {
                    problems.push("kafka-python should print the partition's error".into());
                }
                problems
            }),
    ]);
}

// ---- DescribeFeatures ----

/// The cluster's features: three supported, two finalized, epoch 42.
fn features(mut c: Case) -> Case {
    let f = |v: &[(&str, i16, i16)]| v.iter().map(|&(n, a, b)| (n.to_string(), a, b)).collect::<Vec<_>>();
    c.meta.supported_features =
        f(&[("metadata.version", 1, 27), ("kraft.version", 0, 1), ("group.version", 0, 1)]);
    c.meta.finalized_features = f(&[("metadata.version", 27, 27), ("kraft.version", 1, 1)]);
    c.meta.finalized_epoch = 42;
    c.opts.push("-s".into());
    // The server answers ApiVersions up to v3 (unless the case says v4).
    c.api_versions(ApiKey::ApiVersions, Some((0, 3)))
}

/// ApiVersions' client software fields are each client's own.
fn no_software(b: &mut Body) {
    if let Body::ApiVersions(r) = b {
        r.client_software_name = s("");
        r.client_software_version = s("");
    }
}

/// The ApiVersions requests sent after a connection's handshake (the call's), compared
/// field by field but for the client software fields.
fn features_requests(node: i32) -> impl Fn(&[&Captured], &[&Captured]) -> Vec<String> {
    move |a: &[&Captured], b: &[&Captured]| {
        let pick = |v: &[&Captured]| -> Vec<Captured> {
            v.iter()
                .filter(|c| c.after_handshake)
                .map(|c| {
                    let mut c = (*c).clone();
                    no_software(&mut c.body);
                    c
                })
                .collect()
        };
        let (pa, pb) = (pick(a), pick(b));
        let mut problems = Vec::new();
        if pa.len() != 1 || pb.len() != 1 {
            problems.push(format!(
                "each should ask once after the handshake: kafka-python {}, kafkars {}",
                pa.len(),
                pb.len()
            ));
            return problems;
        }
        let (x, y) = (&pa[0], &pb[0]);
        if x.node != node || y.node != node {
            problems
                .push(format!("asked node {} (kafka-python) and {} (kafkars), not {node}", x.node, y.node));
        }
        if x.version != y.version || x.body != y.body {
            problems.push(format!(
                "ApiVersions differs: kafka-python v{} {:?}, kafkars v{} {:?}",
                x.version, x.body, y.version, y.body
            ));
        }
        problems
    }
}

#[test]
fn describe_features() {
    let av = ApiKey::ApiVersions;
    let op = ["describe_features"];
    check_all(vec![
        Ext::new("features: supported and finalized (v3)", av, &op)
            .with(features)
            .requests(features_requests(1)),
        Ext::new("features: v4", av, &op)
            .with(|c| {
                let mut c = features(c).api_versions(av, Some((0, 4)));
                c.meta.api_versions_v4 = true;
                c
            })
            .requests(features_requests(1)),
        Ext::new("features: none", av, &op)
            .with(|c| {
                let mut c = features(c);
                c.meta.supported_features.clear();
                c.meta.finalized_features.clear();
                c.meta.finalized_epoch = -1;
                c
            })
            .requests(features_requests(1)),
        // kafka-python can only aim it at the controller: node 2 is both.
        Ext::new("features: -o broker=2", av, &op)
            .with(features)
            .opt("broker=2")
            .controller(2)
            .requests(features_requests(2)),
        // kafka-python has the epoch only with a finalized feature.
        Ext::new("features: an epoch without finalized features", av, &op)
            .with(|c| {
                let mut c = features(c);
                c.meta.finalized_features.clear();
                c
            })
            .requests(features_requests(1))
            .differs("kafka-python gives the finalized epoch with each finalized feature only")
            .output(|a, b| {
                let mut problems = event_errs("NO_ERROR", "NO_ERROR")(a, b);
                if !a.stdout.contains("  finalized_epoch=-1\n")
                    || !b.stdout.contains("  finalized_epoch=42\n")
                {
                    problems.push("kafka-python should print epoch -1, kafkars 42".into());
                }
                let rest = |s: &str| s.lines().skip(2).collect::<Vec<_>>().join("\n");
                if rest(&a.stdout) != rest(&b.stdout) {
                    problems.push("the features print differently".into());
                }
                problems
            }),
        // Features need ApiVersions v3.
        Ext::new("features: ApiVersions v2 only", av, &op)
            .with(|c| features(c).api_versions(av, Some((0, 2))))
            .requests(|a, b| {
                let late = |v: &[&Captured]| v.iter().filter(|c| c.after_handshake).count();
                if late(a) + late(b) == 0 {
                    Vec::new()
                } else {
                    vec![format!("neither should ask: kafka-python {}, kafkars {}", late(a), late(b))]
                }
            })
            .output(refused("_UNSUPPORTED_FEATURE", "_UNSUPPORTED_FEATURE")),
    ]);
}

// ---- UpdateFeatures ----

fn updated(err: i16, msg: Option<&str>, results: &[(&str, i16, Option<&str>)]) -> UpdateFeaturesResponse {
    let mut r = UpdateFeaturesResponse::default();
    r.error_code = err;
    r.error_message = msg.map(s);
    r.results = results
        .iter()
        .map(|&(f, code, m)| {
            let mut x = UpdatableFeatureResult::default();
            x.feature = s(f);
            x.error_code = code;
            x.error_message = m.map(s);
            x
        })
        .collect();
    r
}

#[test]
fn update_features() {
    let uf = ApiKey::UpdateFeatures;
    let four = [
        "update_features",
        "metadata.version:27",
        "kraft.version:1:upgrade",
        "group.version:0:unsafe_downgrade",
        "share.version:1:safe_downgrade",
    ];
    let ok4 = || {
        updated(
            0,
            None,
            &[
                ("metadata.version", 0, None),
                ("kraft.version", 0, None),
                ("group.version", 0, None),
                ("share.version", 0, None),
            ],
        )
    };
    check_all(vec![
        // v2: no per-feature results; every feature asked is a success.
        Ext::new("update features: v2, upgrades and downgrades", uf, &four)
            .opt("operation_timeout=30000")
            .answer(updated(0, None, &[])),
        Ext::new("update features: v1 per-feature results", uf, &four)
            .opt("operation_timeout=30000")
            .with(|c| c.api_versions(uf, Some((0, 1))))
            .answer(ok4()),
        Ext::new("update features: v1 per-feature errors", uf, &four)
            .opt("operation_timeout=30000")
            .with(|c| c.api_versions(uf, Some((0, 1))))
            .answer(updated(
                0,
                None,
                &[
                    ("metadata.version", INVALID_UPDATE_VERSION, Some("Invalid update version 27")),
                    ("kraft.version", 0, None),
                    ("group.version", FEATURE_UPDATE_FAILED, Some("Unable to delete group.version")),
                    ("share.version", 0, None),
                ],
            ))
            .prints("error=INVALID_UPDATE_VERSION: Invalid update version 27"),
        // v0: allow_downgrade instead of the upgrade type.
        Ext::new("update features: v0 only", uf, &four)
            .opt("operation_timeout=30000")
            .with(|c| c.api_versions(uf, Some((0, 0))))
            .answer(ok4()),
        Ext::new(
            "update features: validate_only",
            uf,
            &["update_features", "metadata.version:26:safe_downgrade"],
        )
        .opt("operation_timeout=30000")
        .opt("validate_only=1")
        .answer(updated(0, None, &[])),
        // validate_only needs v1: both refuse before sending.
        Ext::new(
            "update features: validate_only on a v0 broker",
            uf,
            &["update_features", "metadata.version:26"],
        )
        .opt("operation_timeout=30000")
        .opt("validate_only=1")
        .with(|c| c.api_versions(uf, Some((0, 0))))
        .no_request()
        .output(refused("_UNSUPPORTED_FEATURE", "_UNSUPPORTED_FEATURE")),
        // Neither -o operation_timeout nor timeout_ms: both send 60000.
        Ext::new("update features: default timeout", uf, &["update_features", "metadata.version:27"])
            .answer(updated(0, None, &[])),
        // kafka-python raises the top-level error; kafkars puts it on the event.
        Ext::new("update features: top-level error", uf, &four)
            .opt("operation_timeout=30000")
            .answer(updated(CLUSTER_AUTHORIZATION_FAILED, Some("Not authorized to update features"), &[]))
            .prints("err=CLUSTER_AUTHORIZATION_FAILED errstr=Not authorized to update features"),
        Ext::new("update features: controller is node 3", uf, &["update_features", "kraft.version:1"])
            .opt("operation_timeout=30000")
            .controller(3)
            .answer(updated(0, None, &[]))
            .requests(|a, b| {
                if a.len() == 1 && b.len() == 1 && a[0].node == 3 && b[0].node == 3 && a[0].body == b[0].body
                {
                    Vec::new()
                } else {
                    vec!["both should send the same request to node 3 once".into()]
                }
            }),
        Ext::new("update features: NOT_CONTROLLER", uf, &["update_features", "kraft.version:1"])
            .opt("operation_timeout=30000")
            .respond(|_, n| {
                server::reply(if n == 0 {
                    updated(NOT_CONTROLLER, Some("This is not the correct controller"), &[])
                } else {
                    updated(0, None, &[])
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
        Ext::new("update features: broker lacks the API", uf, &["update_features", "kraft.version:1"])
            .with(|c| c.api_versions(uf, None))
            .no_request()
            .output(refused("_UNSUPPORTED_FEATURE", "_UNSUPPORTED_FEATURE")),
    ]);
}

// ---- ListConfigResources ----

fn config_resources(err: i16, list: &[(&str, i8)]) -> ListConfigResourcesResponse {
    let mut r = ListConfigResourcesResponse::default();
    r.error_code = err;
    r.config_resources = list
        .iter()
        .map(|&(n, t)| {
            let mut x = ConfigResource::default();
            x.resource_name = s(n);
            x.resource_type = t;
            x
        })
        .collect();
    r
}

#[test]
fn list_config_resources() {
    let lcr = ApiKey::ListConfigResources;
    // Types interleaved (kafka-python groups them): -s puts both in one order.
    let mixed = || {
        config_resources(
            0,
            &[
                ("orders", 2),
                ("1", 4),
                ("metrics-all", 16),
                ("payments", 32),
                ("audit", 2),
                ("kafka.server", 8),
            ],
        )
    };
    let sorted = |c: Case| {
        let mut c = c;
        c.opts.push("-s".into());
        c
    };
    check_all(vec![
        Ext::new("config resources: all types", lcr, &["list_config_resources"]).with(sorted).answer(mixed()),
        Ext::new("config resources: filtered", lcr, &["list_config_resources", "topic", "group"])
            .with(sorted)
            .answer(config_resources(0, &[("orders", 2), ("payments", 32), ("audit", 2)])),
        // v0 (ListClientMetricsResources): client metrics only, no types to send.
        Ext::new("config resources: v0 only", lcr, &["list_config_resources"])
            .with(|c| sorted(c).api_versions(lcr, Some((0, 0))))
            .answer(config_resources(0, &[("metrics-all", 16), ("metrics-slow", 16)])),
        Ext::new("config resources: top-level error", lcr, &["list_config_resources"])
            .answer(config_resources(CLUSTER_AUTHORIZATION_FAILED, &[])),
        Ext::new("config resources: broker lacks the API", lcr, &["list_config_resources"])
            .with(|c| c.api_versions(lcr, None))
            .no_request()
            .output(refused("_UNSUPPORTED_FEATURE", "_UNSUPPORTED_FEATURE")),
        // A type kafka-python does not know (64): it raises ValueError.
        Ext::new("config resources: an unknown type", lcr, &["list_config_resources"])
            .answer(config_resources(0, &[("orders", 2), ("x", 64)]))
            .differs("kafka-python cannot make a ConfigResourceType of 64 and raises ValueError")
            .output(errs_and(
                "_KAFKA_PYTHON_ValueError",
                "NO_ERROR",
                &["    resource type=topic(2) name=orders", "    resource type=unknown(64) name=x"],
            )),
    ]);
}
