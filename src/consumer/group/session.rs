//! The member's session with its group coordinator: finding the coordinator,
//! heartbeats, rejoining, handing rebalances to the application, and leaving.

use super::handle::{GroupOp, State, TopicPartition};
use super::member::{coordinator_error, Member};
use super::rebalance::apply_rebalance;
use crate::broker::{find_coordinator, BrokerHandle, Request, COORD_GROUP};
use crate::consumer::{position, Consumer};
use crate::error::{ErrorCode, KafkaError};
use crate::event::{Event, RebalanceProtocol};
use bytes::Bytes;
use crossbeam_channel::Sender;
use kafka_protocol::messages::{ApiKey, GroupId, HeartbeatRequest, HeartbeatResponse, LeaveGroupRequest};
use kafka_protocol::protocol::StrBytes;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

impl Member {
    pub(super) fn coordinator_request(&mut self, cons: &Arc<Consumer>, req: Request) {
        match &self.coordinator {
            Some(b) => b.send(req),
            None => {
                req.fail(KafkaError::new(ErrorCode::_WAIT_COORD, "Waiting for coordinator"));
                self.find_coordinator(cons);
            }
        }
    }

    /// Looks the coordinator up. Only a member that is not in the group yet waits in
    /// WaitCoord; a member in the group keeps its state (its generation lives on when the
    /// coordinator moves) and resumes heartbeats once the new coordinator is known.
    pub(super) fn find_coordinator(&mut self, cons: &Arc<Consumer>) {
        if self.coord_query {
            return;
        }
        self.coord_query = true;
        if self.state == State::Init {
            self.state = State::WaitCoord;
        }
        let tx = self.self_tx.clone();
        find_coordinator(&cons.brokers, self.g.group_id.clone(), COORD_GROUP, "GroupCoordinator", move |r| {
            let _ = tx.send(GroupOp::Coordinator(r));
        });
    }

    pub(super) fn on_coordinator(
        &mut self,
        cons: &Arc<Consumer>,
        res: Result<Arc<BrokerHandle>, KafkaError>,
    ) {
        self.coord_query = false;
        match res {
            Ok(b) => {
                self.log(cons, || format!("coordinator is broker {}", b.name));
                self.coordinator = Some(b);
                for (list, attempt, reply) in std::mem::take(&mut self.pending_commits) {
                    self.send_commit(cons, list, attempt, reply);
                }
                let pending = std::mem::take(&mut self.pending_committed);
                self.fetch_committed(cons, pending);
                match self.state {
                    State::Init | State::WaitCoord => {
                        self.state = State::Init;
                        self.join(cons);
                    }
                    State::Steady => self.next_heartbeat = Some(Instant::now()),
                    State::WaitRebalanceCb if self.kip848.is_some() => {
                        self.next_heartbeat = Some(Instant::now())
                    }
                    _ => {}
                }
            }
            Err(e) => {
                self.log(cons, || format!("FindCoordinator failed: {}", e.msg));
                if self.state == State::WaitCoord {
                    self.state = State::Init;
                }
                self.retry_later(cons);
            }
        }
    }

    pub(super) fn retry_later(&mut self, cons: &Arc<Consumer>) {
        let backoff = cons.rk.settings.retry_backoff_ms.max(100) as u64;
        self.retry_at = Some(Instant::now() + Duration::from_millis(backoff));
    }

    pub(super) fn rejoin(&mut self, cons: &Arc<Consumer>, why: &str) {
        self.log(cons, || format!("rejoin: {why}"));
        if self.subscription.is_empty() {
            return;
        }
        if self.kip848.is_some() {
            self.resubscribe848(cons);
            return;
        }
        match self.state {
            State::WaitRebalanceCb => self.rejoin_after_cb = true,
            _ => {
                if self.protocol == RebalanceProtocol::Eager && !self.owned.is_empty() {
                    // Eager: give everything up first; join once the application has.
                    self.rejoin_after_cb = true;
                    self.revoke_all(cons, false);
                } else {
                    self.join(cons);
                }
            }
        }
    }

    pub(super) fn coordinator_lost(&mut self, cons: &Arc<Consumer>) {
        self.coordinator = None;
        self.state = State::Init;
        self.retry_later(cons);
    }

    /// Hands a rebalance to the application (rebalance_cb on its poll thread), or applies
    /// it directly when it has no rebalance_cb.
    pub(super) fn rebalance_event(
        &mut self,
        cons: &Arc<Consumer>,
        err: ErrorCode,
        parts: Vec<TopicPartition>,
    ) {
        self.log(cons, || {
            format!("{} {:?}", if err == ErrorCode::_ASSIGN_PARTITIONS { "assign" } else { "revoke" }, parts)
        });
        if cons.rk.hooks.rebalance_cb || self.g.close_via_events.load(Ordering::Acquire) {
            // As librdkafka: the assignment is paused until the application handled it,
            // and what was fetched for it is dropped, so the event is not served behind
            // a queue of messages.
            for p in cons.assignment().iter() {
                position::lib_pause(&cons.rk, p, true);
            }
            self.state = State::WaitRebalanceCb;
            cons.queue.push(Event::Rebalance { err, partitions: parts, protocol: self.protocol });
        } else {
            let applied = apply_rebalance(cons, err, &parts, self.protocol).is_ok();
            if self.rejoin_after_cb && err == ErrorCode::_REVOKE_PARTITIONS {
                if applied {
                    // Rejoin on the RebalanceDone the unassign queued, after its
                    // auto-commit: the commit must reach the coordinator first.
                    self.state = State::WaitRebalanceCb;
                } else {
                    self.rejoin_after_cb = false;
                    self.state = State::Init;
                    self.join(cons);
                }
            }
        }
    }

    /// Revokes everything owned (eager rebalance, lost assignment, leaving).
    pub(super) fn revoke_all(&mut self, cons: &Arc<Consumer>, lost: bool) {
        let owned = std::mem::take(&mut self.owned);
        self.g.view().assignment_lost = lost;
        if !owned.is_empty() {
            // With enable.auto.commit the unassign commits what the application consumed.
            self.rebalance_event(cons, ErrorCode::_REVOKE_PARTITIONS, owned);
        }
    }

    pub(super) fn heartbeat(&mut self, cons: &Arc<Consumer>) {
        let (gid, mid, gen, iid) =
            (self.g.group_id.clone(), self.member_id.clone(), self.generation, self.instance_id.clone());
        let tx = self.self_tx.clone();
        let epoch = self.epoch;
        self.heartbeat_inflight = true;
        let req = Request::schema(
            ApiKey::Heartbeat,
            0,
            3,
            move |v| {
                let mut h = HeartbeatRequest::default();
                h.group_id = GroupId(StrBytes::from_string(gid));
                h.generation_id = gen;
                h.member_id = StrBytes::from_string(mid);
                h.group_instance_id = iid.filter(|_| v >= 3).map(StrBytes::from_string);
                h
            },
            move |res: Result<(i16, Bytes), KafkaError>| {
                let code = match crate::protocol::decode_response::<HeartbeatResponse>(res) {
                    Ok(r) => ErrorCode(r.error_code as i32),
                    Err(e) => e.code,
                };
                let _ = tx.send(GroupOp::Heartbeat(epoch, code));
            },
        );
        self.coordinator_request(cons, req);
    }

    pub(super) fn on_heartbeat(&mut self, cons: &Arc<Consumer>, err: ErrorCode) {
        match err {
            ErrorCode::NO_ERROR => {}
            ErrorCode::REBALANCE_IN_PROGRESS => self.rejoin(cons, "group is rebalancing"),
            ErrorCode::UNKNOWN_MEMBER_ID | ErrorCode::ILLEGAL_GENERATION | ErrorCode::FENCED_INSTANCE_ID => {
                self.member_id.clear();
                self.generation = -1;
                self.revoke_all(cons, true);
                if !self.rejoin_after_cb {
                    self.state = State::Init;
                    self.join(cons);
                }
            }
            e if coordinator_error(e) || e == ErrorCode::_TIMED_OUT => {
                // Stay in the group: heartbeats resume at the coordinator found next.
                self.coordinator = None;
                self.find_coordinator(cons);
            }
            _ => {}
        }
    }

    pub(super) fn leave(&mut self, cons: &Arc<Consumer>) {
        self.leave_then(cons, None);
    }

    /// Leaves the group; `done` is told once the coordinator answered (bounded), as
    /// rd_kafka_consumer_close() waits for that in librdkafka.
    pub(super) fn leave_then(&mut self, cons: &Arc<Consumer>, done: Option<Sender<()>>) {
        if self.kip848.is_some() {
            self.leave848(cons, done);
            return;
        }
        self.next_heartbeat = None;
        let tell = |done: Option<Sender<()>>| {
            if let Some(d) = done {
                let _ = d.send(());
            }
        };
        if self.member_id.is_empty() || self.instance_id.is_some() {
            // Static members keep their place (KIP-345): no LeaveGroup.
            self.state = State::Init;
            tell(done);
            return;
        }
        let (gid, mid) = (self.g.group_id.clone(), self.member_id.clone());
        let answered = done.clone();
        // v0-1 as librdkafka: the mock cluster advertises more than it parses.
        let req = Request::schema(
            ApiKey::LeaveGroup,
            0,
            1,
            move |_v| {
                let mut l = LeaveGroupRequest::default();
                l.group_id = GroupId(StrBytes::from_string(gid));
                l.member_id = StrBytes::from_string(mid);
                l
            },
            move |_res| tell(answered),
        );
        let req = req.with_timeout(Some(Duration::from_millis(LEAVE_TIMEOUT_MS)));
        match &self.coordinator {
            Some(b) => b.send(req),
            None => req.fail(KafkaError::new(ErrorCode::_TRANSPORT, "no coordinator")),
        }
        self.log(cons, || "left the group".into());
        self.member_id.clear();
        self.generation = -1;
        self.state = State::Init;
    }
}

/// How long close waits for the LeaveGroup answer.
const LEAVE_TIMEOUT_MS: u64 = 5000;
