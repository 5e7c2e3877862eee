//! A capture server for the admin wire tests: one fake broker on 127.0.0.1 that speaks
//! just enough Kafka for a client to reach it (ApiVersions v0..v3, or v4 with
//! `Meta::api_versions_v4`; Metadata naming itself as node 1 and controller;
//! FindCoordinator for groups and transactions), records every request frame it gets,
//! and answers the others with whatever the test case's handler builds. `Meta::brokers`
//! adds more nodes, each on a port of its own (the same server behind them;
//! `Captured::node` says which node a request was sent to), `Meta::controller` names
//! another controller, `Meta::coordinators` other coordinators, `TopicSpec::leaders`
//! other partition leaders. ApiVersions answers carry `Meta`'s features (v3+); the
//! first ApiVersions a connection gets answered is its handshake, and a later one (a
//! client asking for the features again) goes to the case's handler like any request.

use bytes::{Buf, BufMut, Bytes, BytesMut};
use kafka_protocol::messages::describe_cluster_response::DescribeClusterBroker;
use kafka_protocol::messages::metadata_response::{
    MetadataResponseBroker, MetadataResponsePartition, MetadataResponseTopic,
};
use kafka_protocol::messages::*;
use kafka_protocol::protocol::{decode_request_header_from_buffer, Decodable, Encodable, StrBytes};
use std::io::{ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// The node id (and default controller id) and the cluster id every Metadata answer
/// carries.
pub const NODE_ID: i32 = 1;
pub const CLUSTER_ID: &str = "wire-test-cluster-0001";

const POLL: Duration = Duration::from_millis(20);
const WRITE_TIMEOUT: Duration = Duration::from_secs(5);
const MAX_FRAME: usize = 64 << 20;

macro_rules! bodies {
    ($($v:ident => $t:ty,)*) => {
        /// A decoded request body (the APIs these tests look at).
        #[derive(Debug, Clone, PartialEq)]
        pub enum Body {
            $($v($t),)*
            /// An API these tests do not decode.
            Unhandled,
            /// The bytes did not decode at the version the header named.
            Undecodable(String),
        }

        fn decode_body(key: ApiKey, buf: &mut Bytes, version: i16) -> Body {
            match key {
                $(ApiKey::$v => match <$t>::decode(buf, version) {
                    Ok(b) => Body::$v(b),
                    Err(e) => Body::Undecodable(format!("{e:#}")),
                },)*
                _ => Body::Unhandled,
            }
        }
    };
}

bodies! {
    ApiVersions => ApiVersionsRequest,
    Metadata => MetadataRequest,
    CreateTopics => CreateTopicsRequest,
    DeleteTopics => DeleteTopicsRequest,
    CreatePartitions => CreatePartitionsRequest,
    DeleteRecords => DeleteRecordsRequest,
    ListOffsets => ListOffsetsRequest,
    DescribeConfigs => DescribeConfigsRequest,
    AlterConfigs => AlterConfigsRequest,
    IncrementalAlterConfigs => IncrementalAlterConfigsRequest,
    CreateAcls => CreateAclsRequest,
    DescribeAcls => DescribeAclsRequest,
    DeleteAcls => DeleteAclsRequest,
    ElectLeaders => ElectLeadersRequest,
    DescribeUserScramCredentials => DescribeUserScramCredentialsRequest,
    AlterUserScramCredentials => AlterUserScramCredentialsRequest,
    DescribeCluster => DescribeClusterRequest,
    FindCoordinator => FindCoordinatorRequest,
    DescribeLogDirs => DescribeLogDirsRequest,
    AlterPartitionReassignments => AlterPartitionReassignmentsRequest,
    ListPartitionReassignments => ListPartitionReassignmentsRequest,
    AlterReplicaLogDirs => AlterReplicaLogDirsRequest,
    DescribeQuorum => DescribeQuorumRequest,
    UpdateFeatures => UpdateFeaturesRequest,
    ListConfigResources => ListConfigResourcesRequest,
    LeaveGroup => LeaveGroupRequest,
    ListTransactions => ListTransactionsRequest,
    DescribeTransactions => DescribeTransactionsRequest,
    DescribeProducers => DescribeProducersRequest,
    WriteTxnMarkers => WriteTxnMarkersRequest,
}

/// One request as the server read it.
#[derive(Debug, Clone)]
pub struct Captured {
    /// Connection number (1 = the first the client opened).
    pub conn: usize,
    /// The node whose port the connection came to (NODE_ID unless `Meta::brokers`).
    #[allow(dead_code)] // read by tests/admin_ext_wire.rs
    pub node: i32,
    pub api_key: i16,
    pub version: i16,
    pub client_id: Option<String>,
    pub body: Body,
    /// Bytes left over after decoding the body (should be 0).
    pub trailing: usize,
    /// An ApiVersions request after the connection's handshake (a call's, not the
    /// client's own).
    #[allow(dead_code)] // read by tests/admin_ext_wire.rs
    pub after_handshake: bool,
}

impl Captured {
    pub fn key(&self) -> Option<ApiKey> {
        ApiKey::try_from(self.api_key).ok()
    }
    pub fn api_name(&self) -> String {
        api_name(self.api_key)
    }
}

pub fn api_name(key: i16) -> String {
    match ApiKey::try_from(key) {
        Ok(k) => format!("{k:?}"),
        Err(_) => format!("ApiKey({key})"),
    }
}

type Encode = Box<dyn FnOnce(&mut BytesMut, i16) -> Result<(), String> + Send>;

/// What the server does with a request.
pub enum Reply {
    /// The built-in behaviour: answer ApiVersions, Metadata and DescribeCluster from the
    /// server's view of the cluster; never answer anything else.
    Default,
    /// Answer with this body, encoded at the request's version.
    Send(Encode),
    /// Keep the connection open and never answer.
    Silent,
    /// Close the connection.
    Close,
}

/// Raw bytes to send as the response body (after the response header).
pub fn reply_raw(body: &'static [u8]) -> Reply {
    Reply::Send(Box::new(move |out: &mut BytesMut, _| {
        out.put_slice(body);
        Ok(())
    }))
}

/// A response body to send as the request's answer.
pub fn reply<T: Encodable + Send + 'static>(body: T) -> Reply {
    Reply::Send(Box::new(move |out: &mut BytesMut, ver: i16| {
        body.encode(out, ver).map_err(|e| format!("{e:#}"))
    }))
}

pub type Handler = Arc<dyn Fn(&Captured) -> Reply + Send + Sync>;

/// A topic the fake cluster has (all partitions led by node 1, replicas [1], isr [1],
/// unless `leaders` says otherwise).
#[derive(Clone, Debug)]
pub struct TopicSpec {
    pub name: String,
    pub partitions: i32,
    pub error: i16,
    pub internal: bool,
    /// topic_authorized_operations bit field (i32::MIN = not requested / unknown).
    pub ops: i32,
    /// Partition p's leader (and only replica) is `leaders[p]` (NODE_ID past the end).
    pub leaders: Vec<i32>,
}

impl TopicSpec {
    pub fn new(name: &str, partitions: i32) -> TopicSpec {
        TopicSpec {
            name: name.to_string(),
            partitions,
            error: 0,
            internal: false,
            ops: i32::MIN,
            leaders: Vec::new(),
        }
    }

    fn leader(&self, p: i32) -> i32 {
        self.leaders.get(p as usize).copied().unwrap_or(NODE_ID)
    }
}

/// The cluster the server describes in Metadata (and DescribeCluster) answers.
#[derive(Clone, Debug)]
pub struct Meta {
    pub topics: Vec<TopicSpec>,
    pub rack: Option<String>,
    /// cluster_authorized_operations sent when the request asks for them.
    pub cluster_ops: i32,
    /// More nodes besides NODE_ID, each on a port of its own, listed after it in
    /// Metadata and DescribeCluster answers.
    pub brokers: Vec<i32>,
    /// The controller id those answers name (NODE_ID by default).
    pub controller: i32,
    /// FindCoordinator: (key, node) pairs; any other key's coordinator is NODE_ID.
    pub coordinators: Vec<(String, i32)>,
    /// ApiVersions v3+: supported features (name, min, max), finalized features
    /// (name, min level, max level) and the finalized features' epoch.
    pub supported_features: Vec<(String, i16, i16)>,
    pub finalized_features: Vec<(String, i16, i16)>,
    pub finalized_epoch: i64,
    /// Answer ApiVersions v4 (by default, as brokers older than 3.8 do, a v4 request
    /// gets UNSUPPORTED_VERSION with ApiVersions v0..v3).
    pub api_versions_v4: bool,
}

impl Default for Meta {
    fn default() -> Meta {
        Meta {
            topics: Vec::new(),
            rack: None,
            cluster_ops: i32::MIN,
            brokers: Vec::new(),
            controller: NODE_ID,
            coordinators: Vec::new(),
            supported_features: Vec::new(),
            finalized_features: Vec::new(),
            finalized_epoch: -1,
            api_versions_v4: false,
        }
    }
}

/// The API version ranges the server advertises: every API kafka-protocol can decode,
/// at the versions it can decode, except client telemetry (which would make clients
/// send telemetry requests the tests do not model).
pub fn default_versions() -> Vec<(i16, i16, i16)> {
    ApiKey::iter()
        .filter(|k| !matches!(k, ApiKey::GetTelemetrySubscriptions | ApiKey::PushTelemetry))
        .map(|k| {
            let v = k.valid_versions();
            (k as i16, v.min, v.max)
        })
        .collect()
}

/// A deterministic topic id for a topic name.
pub fn topic_id(name: &str) -> [u8; 16] {
    let mut id = [0u8; 16];
    for (i, b) in name.bytes().enumerate() {
        id[i % 16] = id[i % 16].wrapping_mul(31).wrapping_add(b);
    }
    id[0] |= 0x10; // never the all-zero id
    id
}

pub struct ServerConf {
    pub meta: Meta,
    pub versions: Vec<(i16, i16, i16)>,
    pub handler: Handler,
}

struct Shared {
    conf: ServerConf,
    port: u16,
    /// Every node's (id, port), NODE_ID's first.
    nodes: Vec<(i32, u16)>,
    stop: AtomicBool,
    conns: AtomicUsize,
    captured: Mutex<Vec<Captured>>,
    log: Mutex<Vec<String>>,
    threads: Mutex<Vec<JoinHandle<()>>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A running capture server; stopped (threads joined) on drop.
pub struct Server {
    shared: Arc<Shared>,
    accept: Vec<JoinHandle<()>>,
}

impl Server {
    pub fn start(conf: ServerConf) -> Server {
        let ids: Vec<i32> = std::iter::once(NODE_ID).chain(conf.meta.brokers.iter().copied()).collect();
        let listeners: Vec<(i32, TcpListener)> = ids
            .into_iter()
            .map(|id| {
                let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
                listener.set_nonblocking(true).expect("nonblocking listener");
                (id, listener)
            })
            .collect();
        let nodes: Vec<(i32, u16)> =
            listeners.iter().map(|(id, l)| (*id, l.local_addr().unwrap().port())).collect();
        let shared = Arc::new(Shared {
            conf,
            port: nodes[0].1,
            nodes,
            stop: AtomicBool::new(false),
            conns: AtomicUsize::new(0),
            captured: Mutex::new(Vec::new()),
            log: Mutex::new(Vec::new()),
            threads: Mutex::new(Vec::new()),
        });
        let accept = listeners
            .into_iter()
            .map(|(id, listener)| {
                let sh = shared.clone();
                std::thread::Builder::new()
                    .name(format!("wire-accept-{id}"))
                    .spawn(move || accept_loop(listener, id, sh))
                    .expect("spawn accept thread")
            })
            .collect();
        Server { shared, accept }
    }

    pub fn bootstrap(&self) -> String {
        format!("127.0.0.1:{}", self.shared.port)
    }

    pub fn port(&self) -> u16 {
        self.shared.port
    }

    /// Takes the requests captured so far (and the server's notes), resetting both.
    pub fn take(&self) -> (Vec<Captured>, Vec<String>) {
        (std::mem::take(&mut *lock(&self.shared.captured)), std::mem::take(&mut *lock(&self.shared.log)))
    }

    pub fn stop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        for t in self.accept.drain(..) {
            let _ = t.join();
        }
        let threads = std::mem::take(&mut *lock(&self.shared.threads));
        for t in threads {
            let _ = t.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

fn accept_loop(listener: TcpListener, node: i32, sh: Arc<Shared>) {
    while !sh.stop.load(Ordering::SeqCst) {
        match listener.accept() {
            Ok((stream, _)) => {
                let n = sh.conns.fetch_add(1, Ordering::SeqCst) + 1;
                let sh2 = sh.clone();
                let t = std::thread::Builder::new()
                    .name(format!("wire-conn-{n}"))
                    .spawn(move || serve(stream, n, node, sh2))
                    .expect("spawn connection thread");
                lock(&sh.threads).push(t);
            }
            Err(e) if e.kind() == ErrorKind::WouldBlock => std::thread::sleep(POLL),
            Err(e) => {
                lock(&sh.log).push(format!("accept: {e}"));
                std::thread::sleep(POLL);
            }
        }
    }
}

fn serve(mut stream: TcpStream, conn: usize, node: i32, sh: Arc<Shared>) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(POLL));
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let _ = stream.set_nodelay(true);
    let mut buf: Vec<u8> = Vec::new();
    let mut chunk = [0u8; 16384];
    // Whether an ApiVersions request on this connection was answered without error.
    let mut handshaken = false;
    while !sh.stop.load(Ordering::SeqCst) {
        match stream.read(&mut chunk) {
            Ok(0) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e)
                if matches!(
                    e.kind(),
                    ErrorKind::WouldBlock | ErrorKind::TimedOut | ErrorKind::Interrupted
                ) =>
            {
                continue
            }
            Err(_) => return,
        }
        while buf.len() >= 4 {
            let size = i32::from_be_bytes([buf[0], buf[1], buf[2], buf[3]]);
            if size < 8 || size as usize > MAX_FRAME {
                lock(&sh.log).push(format!("conn {conn}: bad frame size {size}"));
                return;
            }
            let size = size as usize;
            if buf.len() < 4 + size {
                break;
            }
            let frame = Bytes::copy_from_slice(&buf[4..4 + size]);
            buf.drain(..4 + size);
            match handle(frame, conn, node, &mut handshaken, &sh) {
                Action::Write(out) => {
                    if stream.write_all(&out).is_err() {
                        return;
                    }
                }
                Action::Nothing => {}
                Action::Close => return,
            }
            if sh.stop.load(Ordering::SeqCst) {
                return;
            }
        }
    }
}

enum Action {
    Write(Vec<u8>),
    Nothing,
    Close,
}

/// Handles one request frame: records it and says what to send back.
fn handle(mut frame: Bytes, conn: usize, node: i32, handshaken: &mut bool, sh: &Shared) -> Action {
    let api_key = i16::from_be_bytes([frame[0], frame[1]]);
    let version = i16::from_be_bytes([frame[2], frame[3]]);
    let corr = i32::from_be_bytes([frame[4], frame[5], frame[6], frame[7]]);
    let Ok(key) = ApiKey::try_from(api_key) else {
        lock(&sh.log).push(format!("conn {conn}: unknown api key {api_key} v{version}"));
        return Action::Nothing;
    };
    let header = match decode_request_header_from_buffer(&mut frame) {
        Ok(h) => h,
        Err(e) => {
            lock(&sh.log).push(format!("conn {conn}: bad {key:?} v{version} header: {e:#}"));
            return Action::Close;
        }
    };
    let body = if version < key.valid_versions().min || version > key.valid_versions().max {
        Body::Undecodable(format!("{key:?} v{version} is outside what kafka-protocol decodes"))
    } else {
        decode_body(key, &mut frame, version)
    };
    let cap = Captured {
        conn,
        node,
        api_key,
        version,
        client_id: header.client_id.as_ref().map(|s| s.to_string()),
        body,
        trailing: frame.remaining(),
        after_handshake: key == ApiKey::ApiVersions && *handshaken,
    };
    lock(&sh.captured).push(cap.clone());

    // The connection's handshake is answered here; a later ApiVersions (asking for the
    // features) is the case's, like any other request.
    let reply = if key == ApiKey::ApiVersions && !*handshaken {
        if version <= api_versions_max(sh) {
            *handshaken = true;
        }
        Reply::Default
    } else {
        (sh.conf.handler)(&cap)
    };
    let (resp_version, encode): (i16, Encode) = match reply {
        Reply::Silent => return Action::Nothing,
        Reply::Close => {
            lock(&sh.log).push(format!("conn {conn}: closed on {key:?}"));
            return Action::Close;
        }
        Reply::Send(enc) => (version, enc),
        Reply::Default => match builtin(key, version, &cap, sh) {
            Some(x) => x,
            None => return Action::Nothing,
        },
    };
    let mut out = BytesMut::new();
    out.put_i32(0);
    out.put_i32(corr);
    if key.response_header_version(resp_version) >= 1 {
        out.put_u8(0); // no tagged fields
    }
    if let Err(e) = encode(&mut out, resp_version) {
        lock(&sh.log).push(format!("conn {conn}: cannot encode the {key:?} v{resp_version} response: {e}"));
        return Action::Close;
    }
    let size = (out.len() - 4) as i32;
    out[..4].copy_from_slice(&size.to_be_bytes());
    Action::Write(out.to_vec())
}

/// The built-in answers: ApiVersions, Metadata, DescribeCluster, FindCoordinator.
fn builtin(key: ApiKey, version: i16, cap: &Captured, sh: &Shared) -> Option<(i16, Encode)> {
    match (key, &cap.body) {
        (ApiKey::ApiVersions, _) => {
            // Brokers answer a version they do not know with UNSUPPORTED_VERSION in v0,
            // listing their ApiVersions range; the response header is always v0.
            let max = api_versions_max(sh);
            let (ver, resp) = if version > max {
                let mut r = ApiVersionsResponse::default();
                r.error_code = 35;
                r.api_keys = vec![api_version(ApiKey::ApiVersions as i16, 0, max)];
                (0, r)
            } else {
                (version, api_versions(&sh.conf.meta, &sh.conf.versions, version))
            };
            Some((ver, boxed(resp)))
        }
        (ApiKey::Metadata, Body::Metadata(req)) => Some((version, boxed(metadata(req, version, sh)))),
        (ApiKey::FindCoordinator, Body::FindCoordinator(req)) => {
            // A group's or transaction's coordinator is the node `Meta::coordinators`
            // names for its key, else the first node; v4+ answers each key asked.
            let coordinator = |key: &str| -> (i32, u16) {
                let id = sh.conf.meta.coordinators.iter().find(|(k, _)| k == key).map_or(NODE_ID, |c| c.1);
                sh.nodes.iter().copied().find(|n| n.0 == id).unwrap_or(sh.nodes[0])
            };
            let mut r = FindCoordinatorResponse::default();
            if version >= 4 {
                r.error_message = None;
                r.coordinators = req
                    .coordinator_keys
                    .iter()
                    .map(|k| {
                        let (id, port) = coordinator(k);
                        let mut c = find_coordinator_response::Coordinator::default();
                        c.key = k.clone();
                        c.node_id = BrokerId(id);
                        c.host = StrBytes::from_static_str("127.0.0.1");
                        c.port = port as i32;
                        c.error_message = None;
                        c
                    })
                    .collect();
            } else {
                let (id, port) = coordinator(&req.key);
                r.node_id = BrokerId(id);
                r.host = StrBytes::from_static_str("127.0.0.1");
                r.port = port as i32;
            }
            Some((version, boxed(r)))
        }
        (ApiKey::DescribeCluster, Body::DescribeCluster(req)) => {
            let mut r = DescribeClusterResponse::default();
            r.cluster_id = StrBytes::from_static_str(CLUSTER_ID);
            r.controller_id = BrokerId(sh.conf.meta.controller);
            r.brokers = sh
                .nodes
                .iter()
                .map(|&(id, port)| {
                    let mut b = DescribeClusterBroker::default();
                    b.broker_id = BrokerId(id);
                    b.host = StrBytes::from_static_str("127.0.0.1");
                    b.port = port as i32;
                    b.rack = sh.conf.meta.rack.clone().map(StrBytes::from_string);
                    b
                })
                .collect();
            r.cluster_authorized_operations =
                if req.include_cluster_authorized_operations { sh.conf.meta.cluster_ops } else { i32::MIN };
            Some((version, boxed(r)))
        }
        _ => None,
    }
}

/// The highest ApiVersions version the server answers.
fn api_versions_max(sh: &Shared) -> i16 {
    if sh.conf.meta.api_versions_v4 {
        4
    } else {
        3
    }
}

/// The ApiVersions answer at `version`: the advertised ranges, and from v3 on the
/// cluster's features.
pub fn api_versions(meta: &Meta, versions: &[(i16, i16, i16)], version: i16) -> ApiVersionsResponse {
    let mut r = ApiVersionsResponse::default();
    r.api_keys = versions.iter().map(|&(k, a, b)| api_version(k, a, b)).collect();
    if version >= 3 {
        r.supported_features = meta
            .supported_features
            .iter()
            .map(|(n, a, b)| {
                let mut f = api_versions_response::SupportedFeatureKey::default();
                f.name = StrBytes::from_string(n.clone());
                f.min_version = *a;
                f.max_version = *b;
                f
            })
            .collect();
        r.finalized_features = meta
            .finalized_features
            .iter()
            .map(|(n, a, b)| {
                let mut f = api_versions_response::FinalizedFeatureKey::default();
                f.name = StrBytes::from_string(n.clone());
                f.min_version_level = *a;
                f.max_version_level = *b;
                f
            })
            .collect();
        r.finalized_features_epoch = meta.finalized_epoch;
    }
    r
}

fn boxed<T: Encodable + Send + 'static>(body: T) -> Encode {
    Box::new(move |out: &mut BytesMut, ver: i16| body.encode(out, ver).map_err(|e| format!("{e:#}")))
}

fn api_version(k: i16, min: i16, max: i16) -> api_versions_response::ApiVersion {
    let mut v = api_versions_response::ApiVersion::default();
    v.api_key = k;
    v.min_version = min;
    v.max_version = max;
    v
}

/// Sets `t.topic_id` to `id` (kafka-protocol's Uuid type is not nameable from here: the
/// uuid crate is not our dependency, so the value is decoded from a MetadataRequest v10
/// topic, which is a uuid, a null compact name and no tags).
fn set_topic_id(t: &mut MetadataResponseTopic, id: [u8; 16]) {
    let mut b = BytesMut::new();
    b.put_slice(&id);
    b.put_u8(0);
    b.put_u8(0);
    let topic = metadata_request::MetadataRequestTopic::decode(&mut b.freeze(), 10).expect("uuid topic");
    t.topic_id = topic.topic_id;
}

/// The Metadata answer: this server as node 1 (and `Meta::brokers`), and the
/// case's topics (a requested topic it does not have gets UNKNOWN_TOPIC_OR_PART).
fn metadata(req: &MetadataRequest, version: i16, sh: &Shared) -> MetadataResponse {
    let meta = &sh.conf.meta;
    let mut r = MetadataResponse::default();
    r.brokers = sh
        .nodes
        .iter()
        .map(|&(id, port)| {
            let mut b = MetadataResponseBroker::default();
            b.node_id = BrokerId(id);
            b.host = StrBytes::from_static_str("127.0.0.1");
            b.port = port as i32;
            if version >= 1 {
                b.rack = meta.rack.clone().map(StrBytes::from_string);
            }
            b
        })
        .collect();
    if version >= 1 {
        r.controller_id = BrokerId(meta.controller);
    }
    if version >= 2 {
        r.cluster_id = Some(StrBytes::from_static_str(CLUSTER_ID));
    }
    if (8..=10).contains(&version) && req.include_cluster_authorized_operations {
        r.cluster_authorized_operations = meta.cluster_ops;
    }
    let wanted: Vec<Option<String>> = match &req.topics {
        None => meta.topics.iter().map(|t| Some(t.name.clone())).collect(),
        Some(list) if list.is_empty() && version == 0 => {
            meta.topics.iter().map(|t| Some(t.name.clone())).collect()
        }
        Some(list) => list.iter().map(|t| t.name.as_ref().map(|n| n.0.to_string())).collect(),
    };
    for name in wanted {
        let mut t = MetadataResponseTopic::default();
        t.name = name.clone().map(|n| TopicName(StrBytes::from_string(n)));
        match meta.topics.iter().find(|s| Some(&s.name) == name.as_ref()) {
            None => t.error_code = 3, // UNKNOWN_TOPIC_OR_PART
            Some(spec) => {
                t.error_code = spec.error;
                if version >= 1 {
                    t.is_internal = spec.internal;
                }
                if version >= 10 {
                    set_topic_id(&mut t, topic_id(&spec.name));
                }
                if version >= 8 && req.include_topic_authorized_operations {
                    t.topic_authorized_operations = spec.ops;
                }
                if spec.error == 0 {
                    t.partitions = (0..spec.partitions)
                        .map(|p| {
                            let mut part = MetadataResponsePartition::default();
                            part.partition_index = p;
                            part.leader_id = BrokerId(spec.leader(p));
                            if version >= 7 {
                                part.leader_epoch = 3;
                            }
                            part.replica_nodes = vec![BrokerId(spec.leader(p))];
                            part.isr_nodes = vec![BrokerId(spec.leader(p))];
                            part
                        })
                        .collect();
                }
            }
        }
        r.topics.push(t);
    }
    r
}
