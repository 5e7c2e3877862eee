//! The statistics JSON document, following librdkafka's STATISTICS.md schema: same keys,
//! same key order, same JSON types. Windows (rtt, int_latency, batchsize, ...) are
//! rolled over by each emission, as librdkafka does.

use crate::broker::{BrokerHandle, S_UP};
use crate::clock::{now_us, wallclock_ms};
use crate::conf::ClientType;
use crate::consumer::Consumer;
use crate::cursor::OFFSET_INVALID;
use crate::metadata::{Partition, Topic};
use crate::producer::Producer;
use crate::window::{rollover, WindowSummary};
use std::sync::atomic::Ordering;
use std::sync::Arc;

/// Builds one statistics document for a client (its producer and consumer sides).
pub fn emit(prod: &Producer, cons: &Consumer) -> String {
    let now = now_us();
    let rk = &prod.rk;
    let producer = rk.kind == ClientType::Producer;
    let mut out = String::with_capacity(8 * 1024);
    let mut total = Totals::default();
    let topics = {
        let mut t = prod.cache.known_topics();
        t.sort_by(|a, b| a.name.cmp(&b.name));
        t
    };
    let mut o = Obj::open(&mut out);
    o.str("name", &rk.name);
    o.str("client_id", &rk.client_id);
    o.str("type", if producer { "producer" } else { "consumer" });
    o.int("ts", now);
    o.int("time", wallclock_ms() / 1000);
    o.int("age", rk.start.elapsed().as_micros() as i64);
    o.int("replyq", rk.main_q.len() as i64);
    // The producer queue limits only exist for producers (0 for consumers, as librdkafka).
    let (cnt, size, max_cnt, max_size) = if producer {
        (
            prod.outq.cnt.load(Ordering::Acquire),
            prod.outq.bytes.load(Ordering::Acquire),
            prod.outq.max_cnt,
            prod.outq.max_bytes,
        )
    } else {
        (0, 0, 0, 0)
    };
    o.int("msg_cnt", cnt as i64);
    o.int("msg_size", size as i64);
    o.int("msg_max", max_cnt as i64);
    o.int("msg_size_max", max_size as i64);
    o.int("simple_cnt", 0);
    o.int("metadata_cache_cnt", topics.iter().filter(|t| t.state().known).count() as i64);
    o.obj("brokers", |bs| {
        for b in prod.brokers.all() {
            bs.obj(&b.name, |bo| broker(bo, rk.kind, &b, now, &mut total));
        }
    });
    o.obj("topics", |ts| {
        for t in &topics {
            ts.obj(&t.name, |to| topic(to, t, &mut total));
        }
    });
    if let Some(g) = cons.group.get() {
        let v = g.view();
        let assigned = cons.assignment().len();
        o.obj("cgrp", |c| {
            c.str("state", v.state.map_or("init", |s| s.cgrp_state()));
            c.int("stateage", 0);
            c.str("join_state", v.state.map_or("init", |s| s.join_state()));
            c.int("rebalance_age", 0);
            c.int("rebalance_cnt", v.rebalance_cnt as i64);
            c.str("rebalance_reason", "");
            c.int("assignment_size", assigned as i64);
        });
    }
    if let Some(idem) = &prod.idem {
        let (pid, epoch, bumps, state) = idem.stats();
        let (txn_state, may_enq) = prod.txn.as_ref().map_or(("Init", false), |t| t.stats());
        o.obj("eos", |e| {
            e.str("idemp_state", state);
            e.int("idemp_stateage", 0);
            e.str("txn_state", txn_state);
            e.int("txn_stateage", 0);
            e.bool("txn_may_enq", may_enq);
            e.int("producer_id", pid);
            e.int("producer_epoch", epoch as i64);
            e.int("epoch_cnt", bumps);
        });
    }
    if let Some((code, reason)) = rk.fatal_error() {
        o.obj("fatal", |f| {
            f.str("error", &code.description());
            f.str("reason", &reason);
            f.int("cnt", 1);
        });
    }
    o.int("tx", total.tx);
    o.int("tx_bytes", total.tx_bytes);
    o.int("rx", total.rx);
    o.int("rx_bytes", total.rx_bytes);
    o.int("txmsgs", total.txmsgs);
    o.int("txmsg_bytes", total.txmsg_bytes);
    o.int("rxmsgs", total.rxmsgs);
    o.int("rxmsg_bytes", total.rxmsg_bytes);
    o.close();
    out
}

/// Client-wide sums of broker and partition counters.
#[derive(Default)]
struct Totals {
    tx: i64,
    tx_bytes: i64,
    rx: i64,
    rx_bytes: i64,
    txmsgs: i64,
    txmsg_bytes: i64,
    rxmsgs: i64,
    rxmsg_bytes: i64,
}

fn broker(o: &mut Obj, kind: ClientType, b: &BrokerHandle, now: i64, total: &mut Totals) {
    let s = &b.stats;
    let get = |a: &std::sync::atomic::AtomicU64| a.load(Ordering::Relaxed) as i64;
    let state = b.state.load(Ordering::Acquire);
    // Idle times are only meaningful on a live connection; -1 means "nothing yet".
    let idle = |ts: i64| if state >= S_UP && ts > 0 { (now - ts).max(0) } else { -1 };
    o.str("name", &b.name);
    o.int("nodeid", b.id as i64);
    o.str("nodename", &format!("{}:{}", b.host, b.port));
    o.str("source", if b.id < 0 { "configured" } else { "learned" });
    o.str("state", b.state_name());
    o.int("stateage", (now - b.state_since_us.load(Ordering::Acquire)).max(0));
    o.int("outbuf_cnt", s.outbuf_cnt.load(Ordering::Relaxed));
    o.int("outbuf_msg_cnt", s.outbuf_msg_cnt.load(Ordering::Relaxed));
    o.int("waitresp_cnt", s.waitresp_cnt.load(Ordering::Relaxed));
    o.int("waitresp_msg_cnt", s.waitresp_msg_cnt.load(Ordering::Relaxed));
    o.int("tx", get(&s.tx));
    o.int("txbytes", get(&s.txbytes));
    o.int("txerrs", get(&s.txerrs));
    o.int("txretries", get(&s.txretries));
    o.int("txidle", idle(s.ts_send_us.load(Ordering::Relaxed)));
    o.int("req_timeouts", get(&s.req_timeouts));
    o.int("rx", get(&s.rx));
    o.int("rxbytes", get(&s.rxbytes));
    o.int("rxerrs", get(&s.rxerrs));
    o.int("rxcorriderrs", get(&s.rxcorriderrs));
    o.int("rxpartial", 0); // consumer only: partial MessageSets in Fetch responses
    o.int("rxidle", idle(s.ts_recv_us.load(Ordering::Relaxed)));
    o.int("zbuf_grow", 0); // consumer only: decompression buffer growth
    o.int("buf_grow", 0); // deprecated and unused in librdkafka too
    o.int("wakeups", get(&s.wakeups));
    o.int("connects", get(&s.connects));
    o.int("disconnects", get(&s.disconnects));
    total.tx += get(&s.tx);
    total.tx_bytes += get(&s.txbytes);
    total.rx += get(&s.rx);
    total.rx_bytes += get(&s.rxbytes);
    window(o, "int_latency", &rollover(&s.int_latency));
    window(o, "outbuf_latency", &rollover(&s.outbuf_latency));
    window(o, "rtt", &rollover(&s.rtt));
    window(o, "throttle", &rollover(&s.throttle));
    let counts = s.req.lock().unwrap_or_else(|e| e.into_inner()).clone();
    o.obj("req", |r| {
        for &(key, name, class) in API_KEYS {
            let n = counts.iter().find(|(k, _)| *k == key).map_or(0, |(_, n)| *n as i64);
            if class.shown(kind, n) {
                r.int(name, n);
            }
        }
    });
    o.obj("toppars", |tps| {
        for p in b.toppars() {
            tps.obj(&format!("{}-{}", p.topic_name, p.id), |tp| {
                tp.str("topic", &p.topic_name);
                tp.int("partition", p.id as i64);
            });
        }
    });
}

fn window(o: &mut Obj, name: &str, w: &WindowSummary) {
    o.obj(name, |a| {
        a.int("min", w.min);
        a.int("max", w.max);
        a.int("avg", w.avg);
        a.int("sum", w.sum);
        a.int("stddev", w.stddev);
        a.int("p50", w.p50);
        a.int("p75", w.p75);
        a.int("p90", w.p90);
        a.int("p95", w.p95);
        a.int("p99", w.p99);
        a.int("p99_99", w.p99_99);
        // Our windows keep raw samples, not an HDR histogram: nothing is out of range
        // and there is no histogram memory to report.
        a.int("outofrange", 0);
        a.int("hdrsize", 0);
        a.int("cnt", w.cnt);
    });
}

fn topic(o: &mut Obj, t: &Arc<Topic>, total: &mut Totals) {
    let (parts, md_at) = {
        let st = t.state();
        (st.partitions.clone(), st.metadata_age)
    };
    o.str("topic", &t.name);
    o.int("age", t.created.elapsed().as_millis() as i64);
    o.int("metadata_age", md_at.map_or(0, |at| at.elapsed().as_millis() as i64));
    window(o, "batchsize", &rollover(&t.stats.batchsize));
    window(o, "batchcnt", &rollover(&t.stats.batchcnt));
    o.obj("partitions", |ps| {
        for p in &parts {
            ps.obj(&p.id.to_string(), |po| partition(po, &PartView::of(p), total));
        }
        // The unassigned partition: messages waiting for the topic's metadata.
        ps.obj("-1", |po| partition(po, &PartView::unassigned(t), &mut Totals::default()));
    });
}

/// What one partition entry reports; producer-side values are read from the core,
/// consumer-side ones keep librdkafka's producer defaults until the consumer feeds them.
struct PartView {
    id: i32,
    broker: i32,
    leader: i32,
    msgq_cnt: i64,
    msgq_bytes: i64,
    leader_epoch: i32,
    txmsgs: i64,
    txbytes: i64,
    msgs: i64,
    msgs_inflight: i64,
    next_ack_seq: i64,
    cons: Option<ConsView>,
}

/// Consumer-side values of a partition (librdkafka's fetch state fields).
struct ConsView {
    fetchq_cnt: i64,
    fetchq_size: i64,
    fetch_state: &'static str,
    next_offset: i64,
    app_offset: i64,
    stored_offset: i64,
    stored_epoch: i64,
    committed_offset: i64,
    committed_epoch: i64,
    eof_offset: i64,
    lo: i64,
    hi: i64,
    ls: i64,
    rxmsgs: i64,
    rxbytes: i64,
}

impl ConsView {
    fn of(p: &Partition) -> Option<ConsView> {
        let c = p.cons();
        if !c.fetching && c.committed_offset == OFFSET_INVALID && c.hi == OFFSET_INVALID {
            return None;
        }
        let fetch_state = if !c.fetching {
            "none"
        } else if c.resolving || c.next_offset < 0 {
            "offset-query"
        } else {
            "active"
        };
        Some(ConsView {
            fetchq_cnt: p.cursor.fetchq_cnt.load(Ordering::Relaxed),
            fetchq_size: p.cursor.fetchq_bytes.load(Ordering::Relaxed),
            fetch_state,
            next_offset: c.next_offset,
            app_offset: c.app_offset,
            stored_offset: c.stored_offset,
            stored_epoch: c.stored_epoch as i64,
            committed_offset: c.committed_offset,
            committed_epoch: c.committed_epoch as i64,
            eof_offset: c.eof_at,
            lo: c.lo,
            hi: c.hi,
            ls: c.ls,
            rxmsgs: p.stats.rxmsgs.load(Ordering::Relaxed) as i64,
            rxbytes: p.stats.rxbytes.load(Ordering::Relaxed) as i64,
        })
    }
}

impl PartView {
    fn of(p: &Partition) -> PartView {
        let (cnt, bytes, broker) = {
            let q = p.lock();
            (
                q.msgs.len() as i64,
                q.bytes as i64,
                if q.leader.is_some() { p.leader_id.load(Ordering::Relaxed) } else { -1 },
            )
        };
        let s = &p.stats;
        PartView {
            id: p.id,
            broker,
            leader: p.leader_id.load(Ordering::Relaxed),
            msgq_cnt: cnt,
            msgq_bytes: bytes,
            leader_epoch: p.leader_epoch.load(Ordering::Relaxed),
            txmsgs: s.txmsgs.load(Ordering::Relaxed) as i64,
            txbytes: s.txbytes.load(Ordering::Relaxed) as i64,
            msgs: s.msgs.load(Ordering::Relaxed) as i64,
            msgs_inflight: s.msgs_inflight.load(Ordering::Relaxed),
            next_ack_seq: s.next_ack_seq.load(Ordering::Relaxed),
            cons: ConsView::of(p),
        }
    }

    fn unassigned(t: &Topic) -> PartView {
        let (cnt, bytes) = {
            let ua = t.ua.lock().unwrap_or_else(|e| e.into_inner());
            (ua.len() as i64, ua.iter().map(|m| m.size() as i64).sum())
        };
        PartView {
            id: -1,
            broker: -1,
            leader: -1,
            msgq_cnt: cnt,
            msgq_bytes: bytes,
            leader_epoch: -1,
            txmsgs: 0,
            txbytes: 0,
            msgs: t.stats.ua_msgs.load(Ordering::Relaxed) as i64,
            msgs_inflight: 0,
            next_ack_seq: 0,
            cons: None,
        }
    }
}

fn partition(o: &mut Obj, p: &PartView, total: &mut Totals) {
    o.int("partition", p.id as i64);
    o.int("broker", p.broker as i64);
    o.int("leader", p.leader as i64);
    o.bool("desired", false);
    o.bool("unknown", false);
    o.int("msgq_cnt", p.msgq_cnt);
    o.int("msgq_bytes", p.msgq_bytes);
    // librdkafka reports 0 here too: the transmit queue belongs to the broker thread.
    o.int("xmit_msgq_cnt", 0);
    o.int("xmit_msgq_bytes", 0);
    let c = p.cons.as_ref();
    let v = |f: fn(&ConsView) -> i64, d: i64| c.map_or(d, f);
    o.int("fetchq_cnt", v(|c| c.fetchq_cnt, 0));
    o.int("fetchq_size", v(|c| c.fetchq_size, 0));
    o.str("fetch_state", c.map_or("none", |c| c.fetch_state));
    o.int("query_offset", OFFSET_INVALID);
    o.int("next_offset", v(|c| c.next_offset.max(0), 0));
    o.int("app_offset", v(|c| c.app_offset, OFFSET_INVALID));
    o.int("stored_offset", v(|c| c.stored_offset, OFFSET_INVALID));
    o.int("stored_leader_epoch", v(|c| c.stored_epoch, -1));
    o.int("commited_offset", v(|c| c.committed_offset, OFFSET_INVALID)); // librdkafka's misspelt legacy key (issue #80)
    o.int("committed_offset", v(|c| c.committed_offset, OFFSET_INVALID));
    o.int("committed_leader_epoch", v(|c| c.committed_epoch, -1));
    o.int("eof_offset", v(|c| c.eof_offset, OFFSET_INVALID));
    o.int("lo_offset", v(|c| c.lo, OFFSET_INVALID));
    o.int("hi_offset", v(|c| c.hi, OFFSET_INVALID));
    o.int("ls_offset", v(|c| c.ls, OFFSET_INVALID));
    // Lag: high watermark minus the position (or the stored offset), -1 when unknown.
    let lag = |pos: i64, hi: i64| if pos >= 0 && hi >= 0 { (hi - pos).max(0) } else { -1 };
    o.int("consumer_lag", c.map_or(-1, |c| lag(c.app_offset, c.hi)));
    o.int("consumer_lag_stored", c.map_or(-1, |c| lag(c.stored_offset, c.hi)));
    o.int("leader_epoch", p.leader_epoch as i64);
    o.int("txmsgs", p.txmsgs);
    o.int("txbytes", p.txbytes);
    o.int("rxmsgs", v(|c| c.rxmsgs, 0));
    o.int("rxbytes", v(|c| c.rxbytes, 0));
    o.int("msgs", p.msgs);
    o.int("rx_ver_drops", 0);
    o.int("msgs_inflight", p.msgs_inflight);
    o.int("next_ack_seq", p.next_ack_seq);
    o.int("next_err_seq", 0);
    o.int("acked_msgid", 0);
    total.txmsgs += p.txmsgs;
    total.txmsg_bytes += p.txbytes;
    total.rxmsgs += v(|c| c.rxmsgs, 0);
    total.rxmsg_bytes += v(|c| c.rxbytes, 0);
}

/// When a request type appears in a broker's "req" object (librdkafka's filter table).
#[derive(Clone, Copy)]
enum Shown {
    Always,
    /// Never sent by a producer.
    NotProducer,
    /// Never sent by a consumer.
    NotConsumer,
    /// Never sent by any client (broker-to-broker, KRaft, ...).
    Never,
    /// Admin requests: only once used.
    IfUsed,
}

impl Shown {
    fn shown(self, kind: ClientType, n: i64) -> bool {
        match self {
            Shown::Always => true,
            Shown::NotProducer => kind != ClientType::Producer,
            Shown::NotConsumer => kind != ClientType::Consumer,
            Shown::Never => false,
            Shown::IfUsed => n > 0,
        }
    }
}

/// API keys 0..=79 with the names librdkafka prints (unnamed keys as "Unknown-<n>?").
const API_KEYS: &[(i16, &str, Shown)] = {
    use Shown::*;
    &[
        (0, "Produce", NotConsumer),
        (1, "Fetch", NotProducer),
        (2, "ListOffsets", Always),
        (3, "Metadata", Always),
        (4, "LeaderAndIsr", Never),
        (5, "StopReplica", Never),
        (6, "UpdateMetadata", Never),
        (7, "ControlledShutdown", Never),
        (8, "OffsetCommit", NotProducer),
        (9, "OffsetFetch", NotProducer),
        (10, "FindCoordinator", Always),
        (11, "JoinGroup", NotProducer),
        (12, "Heartbeat", NotProducer),
        (13, "LeaveGroup", NotProducer),
        (14, "SyncGroup", NotProducer),
        (15, "DescribeGroups", IfUsed),
        (16, "ListGroups", IfUsed),
        (17, "SaslHandshake", Always),
        (18, "ApiVersion", Always),
        (19, "CreateTopics", IfUsed),
        (20, "DeleteTopics", IfUsed),
        (21, "DeleteRecords", IfUsed),
        (22, "InitProducerId", NotConsumer),
        (23, "OffsetForLeaderEpoch", Never),
        (24, "AddPartitionsToTxn", NotConsumer),
        (25, "AddOffsetsToTxn", NotConsumer),
        (26, "EndTxn", NotConsumer),
        (27, "WriteTxnMarkers", Never),
        (28, "TxnOffsetCommit", NotConsumer),
        (29, "DescribeAcls", IfUsed),
        (30, "CreateAcls", IfUsed),
        (31, "DeleteAcls", IfUsed),
        (32, "DescribeConfigs", IfUsed),
        (33, "AlterConfigs", IfUsed),
        (34, "AlterReplicaLogDirs", Never),
        (35, "DescribeLogDirs", Never),
        (36, "SaslAuthenticate", Always),
        (37, "CreatePartitions", IfUsed),
        (38, "CreateDelegationToken", Never),
        (39, "RenewDelegationToken", Never),
        (40, "ExpireDelegationToken", Never),
        (41, "DescribeDelegationToken", Never),
        (42, "DeleteGroups", IfUsed),
        (43, "ElectLeadersRequest", Never),
        (44, "IncrementalAlterConfigsRequest", Never),
        (45, "AlterPartitionReassignmentsRequest", Never),
        (46, "ListPartitionReassignmentsRequest", Never),
        (47, "OffsetDeleteRequest", IfUsed),
        (48, "DescribeClientQuotasRequest", IfUsed),
        (49, "AlterClientQuotasRequest", IfUsed),
        (50, "DescribeUserScramCredentialsRequest", IfUsed),
        (51, "AlterUserScramCredentialsRequest", Never),
        (52, "VoteRequest", Never),
        (53, "BeginQuorumEpochRequest", Never),
        (54, "EndQuorumEpochRequest", Never),
        (55, "DescribeQuorumRequest", Never),
        (56, "AlterIsrRequest", Never),
        (57, "UpdateFeaturesRequest", Never),
        (58, "EnvelopeRequest", Never),
        (59, "FetchSnapshot", Never),
        (60, "DescribeCluster", Always),
        (61, "DescribeProducers", Always),
        (62, "Unknown-62?", Always),
        (63, "BrokerHeartbeat", Never),
        (64, "UnregisterBroker", Never),
        (65, "DescribeTransactions", Always),
        (66, "ListTransactions", Always),
        (67, "AllocateProducerIds", Never),
        (68, "ConsumerGroupHeartbeat", Never),
        (69, "ConsumerGroupDescribe", IfUsed),
        (70, "Unknown-70?", Always),
        (71, "GetTelemetrySubscriptions", Always),
        (72, "PushTelemetry", Always),
        (73, "Unknown-73?", Always),
        (74, "Unknown-74?", Always),
        (75, "Unknown-75?", Always),
        (76, "ShareGroupHeartbeat", Always),
        (77, "Unknown-77?", Always),
        (78, "ShareFetch", Always),
        (79, "ShareAcknowledge", Always),
    ]
};

/// A JSON object written in place, keys in the order they are added (librdkafka's
/// order, which a map type would not keep).
struct Obj<'a> {
    out: &'a mut String,
    first: bool,
}

impl<'a> Obj<'a> {
    fn open(out: &'a mut String) -> Obj<'a> {
        out.push('{');
        Obj { out, first: true }
    }

    fn key(&mut self, k: &str) {
        if !self.first {
            self.out.push_str(", ");
        }
        self.first = false;
        push_str_lit(self.out, k);
        self.out.push(':');
    }

    fn int(&mut self, k: &str, v: i64) {
        self.key(k);
        self.out.push_str(&v.to_string());
    }

    fn str(&mut self, k: &str, v: &str) {
        self.key(k);
        push_str_lit(self.out, v);
    }

    fn bool(&mut self, k: &str, v: bool) {
        self.key(k);
        self.out.push_str(if v { "true" } else { "false" });
    }

    fn obj(&mut self, k: &str, f: impl FnOnce(&mut Obj)) {
        self.key(k);
        let mut inner = Obj::open(self.out);
        f(&mut inner);
        inner.close();
    }

    fn close(self) {
        self.out.push('}');
    }
}

/// Appends `s` as a JSON string literal (serde_json does the escaping).
fn push_str_lit(out: &mut String, s: &str) {
    match serde_json::to_string(s) {
        Ok(lit) => out.push_str(&lit),
        Err(_) => out.push_str("\"\""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::Client;
    use crate::conf::Conf;
    use crate::instance::Hooks;
    use serde_json::Value;

    fn client(kind: ClientType) -> Arc<Client> {
        // No bootstrap servers: no broker threads, nothing connects.
        match Client::new(kind, Conf::new(), Hooks::default()) {
            Ok(c) => c,
            Err(e) => panic!("client: {e}"),
        }
    }

    #[test]
    fn writer_escapes_and_keeps_order() {
        let mut s = String::new();
        let mut o = Obj::open(&mut s);
        o.str("b\"q", "x\ny");
        o.int("a", -5);
        o.obj("o", |i| i.bool("t", true));
        o.close();
        assert_eq!(s, r#"{"b\"q":"x\ny", "a":-5, "o":{"t":true}}"#);
    }

    #[test]
    fn producer_document_without_brokers() {
        let c = client(ClientType::Producer);
        let t = match c.cache.topic("t1", None, None) {
            Ok(t) => t,
            Err(e) => panic!("{e}"),
        };
        crate::window::add_sample(&t.stats.batchcnt, 7);
        let doc: Value = serde_json::from_str(&emit(&c.producer, &c.consumer)).expect("valid JSON");
        assert_eq!(doc["type"], "producer");
        assert_eq!(doc["name"], Value::String(c.rk.name.clone()));
        assert_eq!(doc["client_id"], "rdkafka");
        assert_eq!(doc["msg_cnt"], 0);
        assert_eq!(doc["msg_max"], c.producer.outq.max_cnt as i64);
        assert!(doc["brokers"].as_object().is_some_and(|b| b.is_empty()));
        let topic = &doc["topics"]["t1"];
        assert_eq!(topic["topic"], "t1");
        assert_eq!(topic["batchcnt"]["cnt"], 1);
        assert_eq!(topic["batchcnt"]["max"], 7);
        let ua = &topic["partitions"]["-1"];
        assert_eq!(ua["partition"], -1);
        assert_eq!(ua["leader_epoch"], -1);
        assert_eq!(ua["fetch_state"], "none");
        assert_eq!(ua["committed_offset"], OFFSET_INVALID);
        assert_eq!(ua["desired"], false);
        // Windows roll over at each emission.
        let doc: Value = serde_json::from_str(&emit(&c.producer, &c.consumer)).expect("valid JSON");
        assert_eq!(doc["topics"]["t1"]["batchcnt"]["cnt"], 0);
        c.shutdown();
    }

    #[test]
    fn consumer_document_has_no_producer_limits() {
        let c = client(ClientType::Consumer);
        let doc: Value = serde_json::from_str(&emit(&c.producer, &c.consumer)).expect("valid JSON");
        assert_eq!(doc["type"], "consumer");
        assert_eq!((doc["msg_max"].as_i64(), doc["msg_size_max"].as_i64()), (Some(0), Some(0)));
        assert!(doc.get("cgrp").is_none() && doc.get("fatal").is_none());
        c.shutdown();
    }

    #[test]
    fn req_filter_follows_client_type() {
        let p: Vec<&str> = API_KEYS
            .iter()
            .filter(|(_, _, s)| s.shown(ClientType::Producer, 0))
            .map(|(_, n, _)| *n)
            .collect();
        assert!(p.contains(&"Produce") && !p.contains(&"Fetch") && !p.contains(&"CreateTopics"));
        assert_eq!(p.len(), 27); // as librdkafka 2.16 prints for a producer
        let c: Vec<&str> = API_KEYS
            .iter()
            .filter(|(_, _, s)| s.shown(ClientType::Consumer, 0))
            .map(|(_, n, _)| *n)
            .collect();
        assert!(c.contains(&"Fetch") && c.contains(&"JoinGroup") && !c.contains(&"Produce"));
        assert!(Shown::IfUsed.shown(ClientType::Producer, 1));
        assert!(API_KEYS.iter().enumerate().all(|(i, (k, _, _))| *k as usize == i));
    }
}
