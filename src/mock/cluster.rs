//! A mock cluster: N brokers on 127.0.0.1, served by one thread, and the calls that
//! shape it and inject faults (librdkafka's rd_kafka_mock_* semantics).

use super::cgroups::Manual;
use super::net::Net;
use super::share_groups::ShareConf;
use super::state::State;
use crate::error::ErrorCode;
use std::net::TcpListener;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;

pub struct Cluster {
    state: Arc<Mutex<State>>,
    waker: mio::Waker,
    stop: Arc<AtomicBool>,
    thread: Mutex<Option<JoinHandle<()>>>,
}

fn listen() -> Result<TcpListener, String> {
    TcpListener::bind("127.0.0.1:0").map_err(|e| format!("Failed to create mock broker listener: {e}"))
}

impl Cluster {
    /// Starts a cluster of `brokers` brokers (ids 1..=N), each listening on a free
    /// port of 127.0.0.1.
    pub fn new(brokers: usize) -> Result<Cluster, String> {
        let listeners = (0..brokers).map(|_| listen()).collect::<Result<Vec<_>, _>>()?;
        let ports: Vec<u16> = listeners.iter().map(|l| l.local_addr().map_or(0, |a| a.port())).collect();
        let (mut net, waker) = Net::new().map_err(|e| e.to_string())?;
        for (i, l) in listeners.into_iter().enumerate() {
            net.add_listener(i as i32 + 1, l).map_err(|e| e.to_string())?;
        }
        let state = Arc::new(Mutex::new(State::new(&ports)));
        let stop = Arc::new(AtomicBool::new(false));
        let (s, st) = (state.clone(), stop.clone());
        let thread = std::thread::Builder::new()
            .name("rdk:mock".into())
            .spawn(move || net.run(s, st))
            .map_err(|e| format!("Failed to create mock cluster thread: {e}"))?;
        Ok(Cluster { state, waker, stop, thread: Mutex::new(Some(thread)) })
    }

    /// Runs `f` on the cluster's state and wakes the cluster thread to apply it.
    pub fn with<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        let r = f(&mut self.lock());
        let _ = self.waker.wake();
        r
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// "127.0.0.1:port,..." of every broker, in id order.
    pub fn bootstraps(&self) -> String {
        let st = self.lock();
        st.brokers.iter().map(|b| format!("{}:{}", b.host, b.port)).collect::<Vec<_>>().join(",")
    }

    pub fn broker_count(&self) -> usize {
        self.lock().brokers.len()
    }

    pub fn topic_create(&self, name: &str, partitions: i32, rf: i32) -> Result<(), ErrorCode> {
        self.with(|st| {
            let rf = if rf <= 0 { st.default_rf } else { rf };
            st.create_topic(name, partitions, rf)
        })
    }

    pub fn topic_delete(&self, name: &str) -> Result<(), ErrorCode> {
        self.with(|st| st.topics.remove(name).map(|_| ()).ok_or(ErrorCode::UNKNOWN_TOPIC_OR_PART))
    }

    pub fn topic_set_error(&self, name: &str, err: ErrorCode) {
        self.with(|st| {
            if let Some(t) = st.topic_or_create(name, true) {
                t.error = err;
            }
        })
    }

    /// Applies `f` to broker `id`, or to every broker for id -1 (librdkafka's "all").
    fn each_broker(&self, id: i32, f: impl Fn(&mut super::state::Broker)) -> Result<(), ErrorCode> {
        self.with(|st| {
            if id == -1 {
                st.brokers.iter_mut().for_each(f);
                return Ok(());
            }
            st.broker_mut(id).map(f)
        })
    }

    /// Takes a broker down or brings it up; id -1: every broker.
    pub fn broker_set_up(&self, id: i32, up: bool) -> Result<(), ErrorCode> {
        self.each_broker(id, |b| b.up = up)
    }

    /// Sets a broker's round-trip time; id -1: every broker.
    pub fn broker_set_rtt(&self, id: i32, rtt_ms: u64) -> Result<(), ErrorCode> {
        self.each_broker(id, |b| b.rtt_ms = rtt_ms)
    }

    pub fn broker_set_rack(&self, id: i32, rack: Option<&str>) -> Result<(), ErrorCode> {
        self.with(|st| st.broker_mut(id).map(|b| b.rack = rack.map(str::to_string)))
    }

    pub fn broker_set_host_port(&self, id: i32, host: &str, port: u16) -> Result<(), ErrorCode> {
        self.with(|st| {
            st.broker_mut(id).map(|b| {
                b.host = host.to_string();
                b.port = port;
            })
        })
    }

    /// Leaves the broker out of Metadata (it still answers on its listener).
    pub fn broker_set_in_metadata(&self, id: i32, listed: bool) -> Result<(), ErrorCode> {
        self.with(|st| st.broker_mut(id).map(|b| b.in_metadata = listed))
    }

    /// Adds broker `id` with a new listener.
    pub fn broker_add(&self, id: i32) -> Result<(), ErrorCode> {
        if self.lock().broker(id).is_some() {
            return Err(ErrorCode::_INVALID_ARG);
        }
        let l = listen().map_err(|_| ErrorCode::_TRANSPORT)?;
        let port = l.local_addr().map_err(|_| ErrorCode::_TRANSPORT)?.port();
        self.with(|st| {
            st.brokers.push(super::state::Broker::new(id, port));
            st.brokers.sort_by_key(|b| b.id);
            st.new_listeners.push((id, l));
        });
        Ok(())
    }

    pub fn partition_set_leader(&self, topic: &str, p: i32, leader: i32) -> Result<(), ErrorCode> {
        self.with(|st| {
            st.partition_or_create(topic, p)?.set_leader(leader);
            Ok(())
        })
    }

    /// The next Metadata answer (and a Fetch error's KIP-951 current leader) reports
    /// (leader, epoch) for the partition instead of the real leader, once per push.
    pub fn partition_push_leader_response(
        &self,
        topic: &str,
        p: i32,
        leader: i32,
        epoch: i32,
    ) -> Result<(), ErrorCode> {
        self.with(|st| {
            st.partition_or_create(topic, p)?.leader_responses.push_back((leader, epoch));
            Ok(())
        })
    }

    pub fn partition_set_follower(&self, topic: &str, p: i32, follower: i32) -> Result<(), ErrorCode> {
        self.with(|st| st.partition_or_create(topic, p).map(|part| part.follower = follower))
    }

    /// A lagging follower's log start and end offsets (-1: the leader's).
    pub fn partition_set_follower_wmarks(
        &self,
        topic: &str,
        p: i32,
        lo: i64,
        hi: i64,
    ) -> Result<(), ErrorCode> {
        self.with(|st| {
            let part = st.partition_or_create(topic, p)?;
            part.follower_wmarks = ((lo >= 0).then_some(lo), (hi >= 0).then_some(hi));
            Ok(())
        })
    }

    /// Errors for this partition in the next responses to `api_key` (Produce, Fetch,
    /// ListOffsets), one per request, after cluster and broker errors.
    pub fn partition_push_request_errors(
        &self,
        topic: &str,
        p: i32,
        api_key: i16,
        errs: &[ErrorCode],
    ) -> Result<(), ErrorCode> {
        self.with(|st| {
            let part = st.partition_or_create(topic, p)?;
            part.errors.entry(api_key).or_default().extend(errs.iter().copied());
            Ok(())
        })
    }

    pub fn partition_delete_records(&self, topic: &str, p: i32, before: i64) -> Result<(), ErrorCode> {
        self.with(|st| st.partition_mut(topic, p)?.log.delete_before(before).map(|_| ()))
    }

    /// Errors answered, in order, to the next requests of `api_key` to any broker.
    pub fn push_request_errors(&self, api_key: i16, errors: &[ErrorCode]) {
        self.with(|st| st.errors.entry(api_key).or_default().extend(errors.iter().copied()))
    }

    pub fn clear_request_errors(&self, api_key: i16) {
        self.with(|st| {
            st.errors.remove(&api_key);
        })
    }

    /// Errors (each with an extra delay) for the next requests of `api_key` to `id`.
    pub fn broker_push_request_errors(
        &self,
        id: i32,
        api_key: i16,
        errs: &[(ErrorCode, u64)],
    ) -> Result<(), ErrorCode> {
        self.with(|st| {
            st.broker_mut(id).map(|b| b.errors.entry(api_key).or_default().extend(errs.iter().copied()))
        })
    }

    /// How many injected errors remain for `api_key` on broker `id`.
    pub fn broker_error_stack_cnt(&self, id: i32, api_key: i16) -> Result<usize, ErrorCode> {
        self.with(|st| st.broker_mut(id).map(|b| b.errors.get(&api_key).map_or(0, |q| q.len())))
    }

    /// Makes `id` the coordinator of a group ("group") or transactional id ("transaction").
    pub fn coordinator_set(&self, key_type: &str, key: &str, id: i32) -> Result<(), ErrorCode> {
        let t = match key_type {
            "group" => 0,
            "transaction" => 1,
            _ => return Err(ErrorCode::_INVALID_ARG),
        };
        self.with(|st| {
            st.coords.insert((t, key.to_string()), id);
        });
        Ok(())
    }

    /// Changes the versions offered for an API (-1, -1: not offered at all).
    pub fn set_apiversion(&self, api_key: i16, min: i16, max: i16) {
        self.with(|st| {
            st.api_versions.insert(api_key, (min, max));
        })
    }

    /// Starts (or stops) recording every request served, forgetting those recorded.
    pub fn track_requests(&self, on: bool) {
        self.with(|st| st.requests = on.then(Vec::new))
    }

    /// The requests recorded: (broker id, API key, monotonic time in microseconds).
    pub fn requests(&self) -> Vec<(i32, i16, i64)> {
        self.with(|st| st.requests.clone().unwrap_or_default())
    }

    /// Forgets the requests recorded, tracking on.
    pub fn clear_requests(&self) {
        self.with(|st| {
            if let Some(r) = &mut st.requests {
                r.clear();
            }
        })
    }

    pub fn set_controller_id(&self, id: i32) {
        self.with(|st| st.controller = id)
    }

    pub fn group_initial_rebalance_delay_ms(&self, ms: u64) {
        self.with(|st| st.groups.initial_delay_ms = ms)
    }

    /// Prefixes of the metrics GetTelemetrySubscriptions asks clients for (KIP-714):
    /// empty for none, [""] for all. Pushes made for the previous set are refused.
    /// KIP-848: sets (Some) or clears (None: back to the assignor) the target
    /// assignment of consumer group `group`, member id -> (topic, partition); bumps
    /// the group epoch. As in librdkafka's mock, a group not yet joined is left alone
    /// (returns false).
    pub fn cgrp_consumer_target_assignment(&self, group: &str, manual: Option<Manual>) -> bool {
        self.with(|st| {
            let topics = super::cgroup_ops::topics(st);
            let done = st.cgroups.set_manual(group, manual, &topics);
            st.changed();
            done
        })
    }

    /// group.consumer.session.timeout.ms of KIP-848 consumer groups (default 30000).
    pub fn set_group_consumer_session_timeout_ms(&self, ms: u64) {
        self.with(|st| st.cgroups.session_ms = ms)
    }

    /// group.consumer.heartbeat.interval.ms heartbeats tell members (default 3000).
    pub fn set_group_consumer_heartbeat_interval_ms(&self, ms: i32) {
        self.with(|st| st.cgroups.heartbeat_ms = ms)
    }

    /// Changes the KIP-932 share group settings (rd_kafka_mock_sharegroup_set_*):
    /// they apply to every share group of the cluster at once.
    pub fn sharegroup_conf(&self, f: impl FnOnce(&mut ShareConf)) {
        self.with(|st| {
            f(&mut st.shares.conf);
            st.changed();
        })
    }

    /// KIP-932: gives the named members of share group `group` those (topic,
    /// partition)s and turns its assignor off, as librdkafka's mock does; false for
    /// a group nobody joined.
    pub fn sharegroup_target_assignment(&self, group: &str, manual: Manual) -> bool {
        self.with(|st| {
            let topics = super::cgroup_ops::topics(st);
            let done = st.shares.set_manual(group, manual, &topics);
            st.changed();
            done
        })
    }

    /// The members of share group `group` in join order; None if there is no such group.
    pub fn sharegroup_member_ids(&self, group: &str) -> Option<Vec<String>> {
        self.with(|st| st.shares.member_ids(group))
    }

    pub fn telemetry_set_requested_metrics(&self, metrics: Vec<String>) {
        self.with(|st| st.telemetry.metrics = metrics)
    }

    /// How often clients are told to push telemetry; 0 or less: 5 minutes.
    pub fn telemetry_set_push_interval(&self, ms: i64) {
        self.with(|st| st.telemetry.push_interval_ms = ms)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
        let _ = self.waker.wake();
        if let Some(t) = self.thread.lock().unwrap_or_else(|e| e.into_inner()).take() {
            let _ = t.join();
        }
    }
}
