//! KIP-848 reconciliation: the coordinator sends a target assignment by topic id; the
//! member learns the topic names, revokes what it must give up (the application's
//! rebalance callback, cooperative), then assigns what is new, and acknowledges the
//! target with its next heartbeat. One target at a time; a newer one waits.

use super::handle::{GroupOp, State, TopicPartition};
use super::kip848::IdPartition;
use super::member::Member;
use crate::broker::Request;
use crate::consumer::Consumer;
use crate::error::{ErrorCode, KafkaError};
use crate::instance::dbg;
use bytes::Bytes;
use kafka_protocol::messages::metadata_request::MetadataRequestTopic;
use kafka_protocol::messages::{ApiKey, MetadataRequest, MetadataResponse};
use std::sync::Arc;
use uuid::Uuid;

impl Member {
    /// Starts reconciling the next target when nothing else is in progress.
    pub(super) fn reconcile(&mut self, cons: &Arc<Consumer>) {
        if self.state == State::WaitRebalanceCb || self.state == State::Closed || self.close_done.is_some() {
            return;
        }
        let Some(k) = self.kip848.as_mut() else { return };
        if k.target.is_some() || k.lookup {
            return;
        }
        let Some(next) = k.next.clone() else { return };
        let unknown = k.unknown_ids(&next);
        // Ids looked up once and still unknown (deleted meanwhile) are left out.
        if unknown.iter().any(|id| !k.looked_up.contains(id)) {
            k.lookup = true;
            k.looked_up = unknown.clone();
            self.lookup_names(cons, unknown);
            return;
        }
        // Partitions of topics still unknown wait for a later lookup (the target stays
        // next); the known ones are reconciled and acknowledged now, as librdkafka does.
        let resolved: Vec<IdPartition> =
            next.iter().filter(|(t, _)| k.names.contains_key(t)).copied().collect();
        if resolved.len() == next.len() {
            k.next = None;
        }
        if !k.differs(&resolved) {
            return;
        }
        let target = k.named(&resolved);
        k.target = Some(resolved);
        k.reconciled = false;
        for (t, _) in &target {
            let _ = cons.cache.topic(t, None, None);
        }
        let revoked: Vec<TopicPartition> =
            self.owned.iter().filter(|tp| !target.contains(tp)).cloned().collect();
        let added: Vec<TopicPartition> =
            target.iter().filter(|tp| !self.owned.contains(tp)).cloned().collect();
        self.log(cons, || format!("reconciling: revoke {revoked:?}, assign {added:?}"));
        self.g.view().rebalance_cnt += 1;
        if revoked.is_empty() {
            self.assign848(cons, added);
        } else {
            self.owned.retain(|tp| !revoked.contains(tp));
            let k = self.kip848.as_mut().expect("kip848");
            k.pending_assign = Some(added);
            self.g.view().assignment_lost = false;
            self.rebalance_event(cons, ErrorCode::_REVOKE_PARTITIONS, revoked);
            if self.state != State::WaitRebalanceCb {
                self.after_rebalance848(cons);
            }
        }
    }

    fn assign848(&mut self, cons: &Arc<Consumer>, added: Vec<TopicPartition>) {
        self.owned.extend(added.iter().cloned());
        self.owned.sort();
        self.rebalance_event(cons, ErrorCode::_ASSIGN_PARTITIONS, added);
        if self.state != State::WaitRebalanceCb {
            self.after_rebalance848(cons);
        }
    }

    /// The application handled a revoke or an assign: assign what waited behind the
    /// revoke, or acknowledge the target.
    pub(super) fn after_rebalance848(&mut self, cons: &Arc<Consumer>) {
        let closing = self.close_done.is_some();
        let Some(k) = self.kip848.as_mut() else { return };
        if closing {
            // Closing revokes everything: nothing more is assigned.
            k.pending_assign = None;
            return;
        }
        if let Some(added) = k.pending_assign.take() {
            // librdkafka's debug line for this step (applications and its tests wait for it).
            cons.rk.dbg(dbg::CGRP, "ASSIGNDONE", || {
                format!(
                    "Group \"{}\": assignment operations done in join-state wait-incr-unassign-to-complete (rebalance rejoin=false)",
                    self.g.group_id
                )
            });
            self.assign848(cons, added);
            return;
        }
        if k.target.is_some() && !k.reconciled {
            k.reconciled = true;
            self.log(cons, || "reconciled: acknowledging the target assignment".into());
            self.expedite_heartbeat();
        }
    }

    /// Asks a broker for the names of topics an assignment names by id (Metadata v12).
    fn lookup_names(&mut self, cons: &Arc<Consumer>, ids: Vec<Uuid>) {
        let tx = self.self_tx.clone();
        let req = Request::schema(
            ApiKey::Metadata,
            12,
            12,
            move |_v| {
                let mut r = MetadataRequest::default();
                r.topics = Some(
                    ids.into_iter().map(|id| MetadataRequestTopic::default().with_topic_id(id)).collect(),
                );
                r
            },
            move |res: Result<(i16, Bytes), KafkaError>| {
                let names = crate::protocol::decode_response::<MetadataResponse>(res).map(|md| {
                    md.topics
                        .iter()
                        .filter(|t| t.error_code == 0)
                        .filter_map(|t| t.name.as_ref().map(|n| (t.topic_id, n.0.to_string())))
                        .collect()
                });
                let _ = tx.send(GroupOp::TopicNames(names));
            },
        );
        let req = match &self.coordinator {
            Some(b) => {
                b.send(req);
                return;
            }
            None => req,
        };
        cons.brokers.send_any_or_fail(req);
    }

    pub(super) fn on_topic_names(
        &mut self,
        cons: &Arc<Consumer>,
        res: Result<Vec<(Uuid, String)>, KafkaError>,
    ) {
        let Some(k) = self.kip848.as_mut() else { return };
        k.lookup = false;
        match res {
            Ok(names) => k.names.extend(names),
            Err(e) => {
                // Asked again after the next heartbeat.
                k.looked_up.clear();
                self.log(cons, || format!("topic name lookup failed: {}", e.msg));
                return;
            }
        }
        self.reconcile(cons);
    }
}
