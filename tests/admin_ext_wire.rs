//! Differential wire tests of kafkars' Admin API extensions, which librdkafka lacks,
//! with kafka-python 3.x's KafkaAdminClient as the peer: kafkars_DescribeLogDirs,
//! kafkars_AlterPartitionReassignments and kafkars_ListPartitionReassignments
//! (tests/admin/wire/ext_cases.rs), and kafkars_AlterReplicaLogDirs,
//! kafkars_DescribeMetadataQuorum, kafkars_DescribeFeatures, kafkars_UpdateFeatures,
//! kafkars_ListConfigResources, kafkars_RemoveGroupMembers, kafkars_ListTransactions,
//! kafkars_DescribeTransactions, kafkars_DescribeProducers and
//! kafkars_AbortTransaction (tests/admin/wire/ext_cases2.rs). Each case makes one call
//! with kafka-python (tests/admin/kpy_ext.py, which names each op after its
//! kafka-python method) and with kafkars (tests/admin/admin_cli.c on build/compat)
//! against a capture server of its own (tests/admin/wire/server.rs) that answers with
//! the response the case builds. The requests both sent must decode (kafka-protocol)
//! to the same fields at the same API version, and the printed results must be the
//! same once error texts are set aside (kafka-python keeps no broker error message;
//! see `normalized`).
//!
//! Versions: the server advertises every API at the versions kafka-protocol 0.18
//! decodes (DescribeLogDirs 1-4, AlterPartitionReassignments 0-1,
//! ListPartitionReassignments 0, AlterReplicaLogDirs 1-2, DescribeQuorum 0-2,
//! UpdateFeatures 0-2, ListConfigResources 0-1, LeaveGroup 0-5, ListTransactions 0-2,
//! DescribeTransactions 0, DescribeProducers 0, WriteTxnMarkers 1, FindCoordinator
//! 0-6), and ApiVersions up to v3 (v4 where a case says so). kafka-python and kafkars
//! then pick the same version, so every field is compared; cases advertise older
//! versions where a field or a fallback depends on it (v0/v1 of DescribeQuorum and
//! UpdateFeatures, ListConfigResources v0, LeaveGroup v3 and v2, ListTransactions v0
//! and v1, ApiVersions v2 for DescribeFeatures). DescribeFeatures is an ApiVersions
//! request after the connection's handshake (`Captured::after_handshake`), compared
//! but for the client software fields.
//!
//! Where kafka-python's semantics differ from kafkars' librdkafka-style API, the case
//! says so (`Ext::differs`) and checks each side for what it should do instead:
//! kafka-python raises on a top-level error where kafkars reports it on the result
//! event, and also on errors kafkars puts on an item (a broker's, a transactional id's,
//! a partition's: DescribeLogDirs, AlterReplicaLogDirs, ListTransactions,
//! DescribeTransactions, DescribeProducers); it drops DescribeLogDirs' top-level error
//! code and keeps DescribeQuorum's partition error in its dict; it expands "all
//! partitions" into a list through Metadata; its results are dicts and sets (no
//! duplicates, no entry for an item the broker left out, DescribeProducers' partitions
//! grouped in a set's order, DescribeFeatures' epoch only with a finalized feature);
//! it raises ValueError on an enum value it does not know (a config resource type, a
//! transaction state); it falls back to one LeaveGroup v0-2 per member on old brokers;
//! and it resends once on NOT_CONTROLLER.
//!
//! Needs kafka-python 3.x (`pip install kafka-python`; tests/setup.sh does),
//! $KAFKARS_PYTHON or python3, and `make compat` ($KAFKARS_COMPAT_DIR overrides
//! build/compat). KAFKARS_WIRE_CASE=substr runs only the matching cases;
//! KAFKARS_WIRE_VERBOSE=1 prints both sides of each case.

#[allow(dead_code)]
#[path = "admin/wire/harness.rs"]
mod harness;
#[allow(dead_code)]
#[path = "admin/wire/server.rs"]
mod server;

use ext_cases::ongoing;
use harness::{Case, Exit, Lib};
use kafka_protocol::messages::*;
use kafka_protocol::protocol::StrBytes;
use server::{Body, Captured, Reply, Server, ServerConf};
use std::collections::BTreeSet;
use std::process::Command;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const RUN_SLACK: Duration = Duration::from_secs(20);

// Error codes used below.
const UNKNOWN_TOPIC_OR_PART: i16 = 3;
const CLUSTER_AUTHORIZATION_FAILED: i16 = 31;
const INVALID_REPLICA_ASSIGNMENT: i16 = 39;
const NOT_CONTROLLER: i16 = 41;
const KAFKA_STORAGE_ERROR: i16 = 56;
const LOG_DIR_NOT_FOUND: i16 = 57;
const NO_REASSIGNMENT_IN_PROGRESS: i16 = 85;

fn s(v: &str) -> StrBytes {
    StrBytes::from_string(v.to_string())
}

fn tn(v: &str) -> TopicName {
    TopicName(s(v))
}

fn ids(v: &[i32]) -> Vec<BrokerId> {
    v.iter().map(|&i| BrokerId(i)).collect()
}

// ---- One side's run ----

/// What one client did in one case.
struct Side {
    label: &'static str,
    exit: Exit,
    stdout: String,
    stderr: String,
    requests: Vec<Captured>,
    server_log: Vec<String>,
}

impl Side {
    /// The requests of the case's API, in a stable order (by node, then fields).
    fn sent(&self, api: ApiKey) -> Vec<&Captured> {
        let mut v: Vec<&Captured> = self.requests.iter().filter(|c| c.api_key == api as i16).collect();
        v.sort_by_key(|c| (c.node, format!("{:?}", c.body)));
        v
    }

    /// APIs sent besides `api`, ApiVersions and Metadata.
    fn other_apis(&self, api: ApiKey) -> BTreeSet<String> {
        self.requests
            .iter()
            .filter(|c| !matches!(c.key(), Some(ApiKey::ApiVersions) | Some(ApiKey::Metadata)))
            .filter(|c| c.api_key != api as i16)
            .map(|c| format!("{} v{}", c.api_name(), c.version))
            .collect()
    }

    fn describe(&self) -> String {
        let tail: Vec<&str> = self.stderr.lines().collect();
        format!(
            "--- {} (exit {:?}) stdout:\n{}\n--- stderr (tail):\n{}\n--- requests: {}\n--- server notes: {:?}\n",
            self.label,
            self.exit,
            self.stdout.trim_end(),
            tail[tail.len().saturating_sub(15)..].join("\n"),
            self.requests
                .iter()
                .map(|c| format!("{} v{} (node {}, conn {})", c.api_name(), c.version, c.node, c.conn))
                .collect::<Vec<_>>()
                .join(", "),
            self.server_log
        )
    }
}

fn python() -> String {
    std::env::var("KAFKARS_PYTHON").unwrap_or_else(|_| "python3".into())
}

/// kafka-python 3.x must be importable (tests/setup.sh installs it).
fn check_kafka_python() {
    static OK: OnceLock<Result<(), String>> = OnceLock::new();
    let r = OK.get_or_init(|| {
        let probe = "import kafka; v = kafka.__version__; print(v); assert int(v.split('.')[0]) >= 3, v";
        match Command::new(python()).args(["-c", probe]).output() {
            Ok(o) if o.status.success() => Ok(()),
            Ok(o) => Err(format!(
                "kafka-python 3.x is not importable by {}: {}{} (pip install kafka-python; \
                 tests/setup.sh does)",
                python(),
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            )),
            Err(e) => Err(format!("cannot run {}: {e}", python())),
        }
    });
    if let Err(msg) = r {
        panic!("{msg}");
    }
}

/// Runs tests/admin/kpy_ext.py with `op` against a fresh capture server set up as the
/// case says.
fn run_kpy(case: &Case, op: &[String]) -> Side {
    check_kafka_python();
    let mut srv = Server::start(ServerConf {
        meta: case.meta.clone(),
        versions: case.versions.clone(),
        handler: case.handler(),
    });
    let mut cmd = Command::new(python());
    cmd.arg(format!("{ROOT}/tests/admin/kpy_ext.py"))
        .args(["-b", &srv.bootstrap(), "-t", &case.wait_ms.to_string()])
        .args(&case.opts)
        .args(op)
        .current_dir(harness::work_dir());
    let deadline = Instant::now() + Duration::from_millis(case.wait_ms) + RUN_SLACK;
    let (exit, stdout, stderr, _) = harness::run_bounded(cmd, deadline);
    std::thread::sleep(Duration::from_millis(50));
    srv.stop();
    let (requests, server_log) = srv.take();
    Side { label: "kafka-python", exit, stdout, stderr, requests, server_log }
}

fn run_kafkars(case: &Case) -> Side {
    let r = harness::run_one(case, Lib::Kafkars);
    Side {
        label: "kafkars",
        exit: r.exit,
        stdout: r.stdout,
        stderr: r.stderr,
        requests: r.requests,
        server_log: r.server_log,
    }
}

// ---- Comparing ----

/// A printed result with what only one side can know set aside: the text of each
/// `error=NAME[/flags]: text` (kafka-python keeps no broker message, and its
/// retriable classes are not librdkafka's flags) and the event's errstr (kafka-python's
/// is its exception's text). The names stay.
fn normalized(out: &str) -> String {
    out.lines()
        .map(|l| {
            if let Some(i) = l.find(" errstr=") {
                let text = &l[i + 8..];
                return format!("{} errstr={}", &l[..i], if text.is_empty() { "" } else { "<text>" });
            }
            match l.find("error=") {
                Some(i) if !l[i..].starts_with("error=(null)") => {
                    let name: String =
                        l[i + 6..].chars().take_while(|c| *c != ':' && *c != '/' && *c != ' ').collect();
                    format!("{}error={name}", &l[..i])
                }
                _ => l.to_string(),
            }
        })
        .map(|l| l + "\n")
        .collect()
}

type RequestCheck = Arc<dyn Fn(&[&Captured], &[&Captured]) -> Vec<String> + Send + Sync>;
type OutputCheck = Arc<dyn Fn(&Side, &Side) -> Vec<String> + Send + Sync>;

/// One call made by kafka-python and by kafkars.
struct Ext {
    /// admin_cli's call, the cluster, the answers; its `op` is kafka-python's too
    /// unless `kpy_op` says otherwise.
    case: Case,
    kpy_op: Option<Vec<String>>,
    /// Why kafka-python's semantics differ here (documents `requests` / `output`).
    differs: Option<&'static str>,
    /// Replaces the field-by-field comparison of the requests (kafka-python's, kafkars').
    requests: Option<RequestCheck>,
    /// Replaces the comparison of the printed results and exit statuses.
    output: Option<OutputCheck>,
    /// Substrings kafkars' raw stdout must hold (what kafka-python cannot show: the
    /// broker's error messages).
    kafkars_prints: Vec<String>,
    /// kafka-python must send at least one request of the case's API (false: none).
    expect_request: bool,
}

impl Ext {
    fn new(name: &str, api: ApiKey, op: &[&str]) -> Ext {
        Ext {
            case: Case::new(name, api, op),
            kpy_op: None,
            differs: None,
            requests: None,
            output: None,
            kafkars_prints: Vec::new(),
            expect_request: true,
        }
    }

    fn with(mut self, f: impl FnOnce(Case) -> Case) -> Ext {
        self.case = f(self.case);
        self
    }

    fn opt(self, kv: &str) -> Ext {
        self.with(|c| c.opt(kv))
    }

    fn topics(self, t: &[(&str, i32)]) -> Ext {
        self.with(|c| c.topics(t))
    }

    fn brokers(mut self, ids: &[i32]) -> Ext {
        self.case.meta.brokers = ids.to_vec();
        self
    }

    /// Nodes 2 and 3 besides node 1, node `id` the controller.
    fn controller(mut self, id: i32) -> Ext {
        self.case.meta.brokers = vec![2, 3];
        self.case.meta.controller = id;
        self
    }

    fn answer<T: kafka_protocol::protocol::Encodable + Clone + Send + Sync + 'static>(self, body: T) -> Ext {
        self.with(|c| c.answer(body))
    }

    fn respond(self, f: impl Fn(&Captured, usize) -> Reply + Send + Sync + 'static) -> Ext {
        self.with(|c| c.respond_nth(f))
    }

    fn kpy_op(mut self, op: &[&str]) -> Ext {
        self.kpy_op = Some(op.iter().map(|s| s.to_string()).collect());
        self
    }

    fn differs(mut self, why: &'static str) -> Ext {
        self.differs = Some(why);
        self
    }

    fn requests(
        mut self,
        f: impl Fn(&[&Captured], &[&Captured]) -> Vec<String> + Send + Sync + 'static,
    ) -> Ext {
        self.requests = Some(Arc::new(f));
        self
    }

    fn output(mut self, f: impl Fn(&Side, &Side) -> Vec<String> + Send + Sync + 'static) -> Ext {
        self.output = Some(Arc::new(f));
        self
    }

    fn prints(mut self, needle: &str) -> Ext {
        self.kafkars_prints.push(needle.to_string());
        self
    }

    fn no_request(mut self) -> Ext {
        self.expect_request = false;
        self
    }
}

/// The requests compared field by field (after the case's normalize).
fn compare_requests(case: &Case, a: &[&Captured], b: &[&Captured]) -> Vec<String> {
    let mut problems = Vec::new();
    let dump = |v: &[&Captured]| -> String {
        v.iter()
            .map(|c| format!("{} v{} node {}: {:#?}\n", c.api_name(), c.version, c.node, c.body))
            .collect()
    };
    if a.len() != b.len() {
        problems.push(format!(
            "kafka-python sent {} {:?} request(s), kafkars {}:\n{}",
            a.len(),
            case.api,
            b.len(),
            harness::diff(&dump(a), &dump(b), "kafka-python", "kafkars")
        ));
        return problems;
    }
    for (x, y) in a.iter().zip(b) {
        if x.version != y.version {
            problems.push(format!(
                "{:?} request version differs: kafka-python v{}, kafkars v{}",
                case.api, x.version, y.version
            ));
            continue;
        }
        if x.node != y.node {
            problems.push(format!(
                "{:?} sent to node {} by kafka-python, {} by kafkars",
                case.api, x.node, y.node
            ));
        }
        if x.trailing != 0 || y.trailing != 0 {
            problems
                .push(format!("bytes after the body: kafka-python {}, kafkars {}", x.trailing, y.trailing));
        }
        let (mut bx, mut by) = (x.body.clone(), y.body.clone());
        if let Some(n) = &case.normalize {
            n(&mut bx);
            n(&mut by);
        }
        if bx != by {
            problems.push(format!(
                "{:?} v{} request differs:\n{}",
                case.api,
                x.version,
                harness::diff(&format!("{bx:#?}"), &format!("{by:#?}"), "kafka-python", "kafkars")
            ));
        }
    }
    problems
}

fn check(ext: &Ext) -> Result<(), String> {
    let case = &ext.case;
    let kpy = run_kpy(case, ext.kpy_op.as_ref().unwrap_or(&case.op));
    let kr = run_kafkars(case);
    let (a, b) = (kpy.sent(case.api), kr.sent(case.api));
    let mut problems = Vec::new();

    // kafka-python did what the case is about.
    if ext.expect_request && a.is_empty() {
        problems.push(format!("kafka-python sent no {:?} request", case.api));
    }
    if !ext.expect_request && !a.is_empty() {
        problems.push(format!("kafka-python sent a {:?} request; the case expects none", case.api));
    }
    for c in a.iter().chain(&b) {
        if let Body::Undecodable(e) = &c.body {
            problems.push(format!("a {} v{} request did not decode: {e}", c.api_name(), c.version));
        }
    }

    problems.extend(match &ext.requests {
        Some(f) => f(&a, &b),
        None => compare_requests(case, &a, &b),
    });
    let (oa, ob) = (kpy.other_apis(case.api), kr.other_apis(case.api));
    if oa != ob {
        problems.push(format!("other requests differ: kafka-python sent {oa:?}, kafkars sent {ob:?}"));
    }
    match &ext.output {
        Some(f) => problems.extend(f(&kpy, &kr)),
        None => {
            if kpy.exit != kr.exit {
                problems.push(format!("exit status: kafka-python {:?}, kafkars {:?}", kpy.exit, kr.exit));
            }
            let (sa, sb) = (normalized(&kpy.stdout), normalized(&kr.stdout));
            if sa != sb {
                problems.push(format!(
                    "printed result differs (error texts set aside):\n{}",
                    harness::diff(&sa, &sb, "kafka-python", "kafkars")
                ));
            }
        }
    }
    for needle in &ext.kafkars_prints {
        if !kr.stdout.contains(needle.as_str()) {
            problems.push(format!("kafkars did not print {needle:?}"));
        }
    }
    let verbose = std::env::var_os("KAFKARS_WIRE_VERBOSE").is_some();
    if problems.is_empty() {
        if verbose {
            let dump: String = a
                .iter()
                .map(|c| format!("{} v{} node {}: {:?}\n", c.api_name(), c.version, c.node, c.body))
                .collect();
            eprintln!(
                "== {}: same\n{}{}--- kafka-python's requests:\n{dump}",
                case.name,
                kpy.describe(),
                kr.describe()
            );
        }
        return Ok(());
    }
    Err(format!(
        "== case {}{}: {}\n{}{}",
        case.name,
        ext.differs.map(|w| format!(" (kafka-python differs: {w})")).unwrap_or_default(),
        problems.join("\n"),
        kpy.describe(),
        kr.describe()
    ))
}

fn check_all(cases: Vec<Ext>) {
    let filter = std::env::var("KAFKARS_WIRE_CASE").ok();
    let mut failures = Vec::new();
    let mut ran = 0;
    for ext in cases {
        if filter.as_ref().is_some_and(|f| !ext.case.name.contains(f.as_str())) {
            continue;
        }
        ran += 1;
        if let Err(e) = check(&ext) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{} of {ran} case(s) differ:\n{}", failures.len(), failures.join("\n"));
}

/// An output check: the event's err names are the given ones, on each side.
fn event_errs(kpy_err: &'static str, kafkars_err: &'static str) -> impl Fn(&Side, &Side) -> Vec<String> {
    move |a: &Side, b: &Side| {
        let mut problems = Vec::new();
        for (side, want) in [(a, kpy_err), (b, kafkars_err)] {
            let line = side.stdout.lines().find(|l| l.starts_with("event ")).unwrap_or("");
            if !line.contains(&format!(" err={want} ")) {
                problems.push(format!("{} printed {line:?}, expected err={want}", side.label));
            }
            if side.exit != Exit::Code(0) {
                problems.push(format!("{} exited {:?}", side.label, side.exit));
            }
        }
        problems
    }
}

#[path = "admin/wire/ext_cases.rs"]
mod ext_cases;
#[path = "admin/wire/ext_cases2.rs"]
mod ext_cases2;
#[path = "admin/wire/ext_cases3.rs"]
mod ext_cases3;

/// The comparison can fail: a planted difference in a request field, and in the answer
/// each side gets (told apart by client id), is reported.
#[test]
fn differences_are_reported() {
    let lpr = ApiKey::ListPartitionReassignments;
    let planted = Ext::new("planted request field", lpr, &["list_partition_reassignments", "orders:1"])
        .opt("operation_timeout=4000")
        .kpy_op(&["list_partition_reassignments", "orders:0"])
        .answer(ongoing(0, None, &[]));
    let e = check(&planted).expect_err("a different partition must be reported");
    assert!(
        e.contains("ListPartitionReassignments v0 request differs") && e.contains("partition_indexes"),
        "{e}"
    );

    let planted = Ext::new("planted answer", lpr, &["list_partition_reassignments", "orders:0"])
        .opt("operation_timeout=4000")
        .respond(|c, _| {
            let kpy = c.client_id.as_deref().is_some_and(|id| id.starts_with("kafka-python"));
            server::reply(ongoing(0, None, if kpy { &[("orders", &[(0, &[1, 2], &[2], &[])])] } else { &[] }))
        });
    let e = check(&planted).expect_err("a different answer must be reported");
    assert!(e.contains("printed result differs") && !e.contains("request differs"), "{e}");
}

#[test]
fn normalized_sets_error_texts_aside() {
    let out = "event X err=NOT_CONTROLLER errstr=moved\n  partitions: 1\n    result topic=t error=NO_REASSIGNMENT_IN_PROGRESS/retriable: text\n    log_dir path=/a error=(null)\nevent Y err=NO_ERROR errstr=\n";
    assert_eq!(
        normalized(out),
        "event X err=NOT_CONTROLLER errstr=<text>\n  partitions: 1\n    result topic=t error=NO_REASSIGNMENT_IN_PROGRESS\n    log_dir path=/a error=(null)\nevent Y err=NO_ERROR errstr=\n"
    );
}
