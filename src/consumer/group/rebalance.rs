//! Applying a rebalance to the assignment, as librdkafka does when the application
//! has no rebalance callback (or calls the default handling from its own).

use super::handle::TopicPartition;
use crate::consumer::assignment::{assign, unassign_incremental};
use crate::consumer::Consumer;
use crate::cursor::OFFSET_INVALID;
use crate::error::ErrorCode;
use crate::event::RebalanceProtocol;
use std::sync::Arc;

/// Applies a rebalance without an application callback (librdkafka's default handler).
pub fn apply_rebalance(
    cons: &Arc<Consumer>,
    err: ErrorCode,
    parts: &[TopicPartition],
    protocol: RebalanceProtocol,
) -> Result<(), ()> {
    match (err, protocol) {
        (ErrorCode::_ASSIGN_PARTITIONS, RebalanceProtocol::Eager) => {
            assign(cons, parts.iter().map(|(t, p)| (t.clone(), *p, OFFSET_INVALID)).collect(), false)
                .map_err(|e| e.code)
        }
        (ErrorCode::_ASSIGN_PARTITIONS, RebalanceProtocol::Cooperative) => {
            assign(cons, parts.iter().map(|(t, p)| (t.clone(), *p, OFFSET_INVALID)).collect(), true)
                .map_err(|e| e.code)
        }
        (_, RebalanceProtocol::Eager) => assign(cons, Vec::new(), false).map_err(|e| e.code),
        (_, RebalanceProtocol::Cooperative) => unassign_incremental(cons, parts),
    }
    .map_err(|e| cons.rk.log(3, "REBALANCE", &format!("applying {} failed: {}", err.name(), e)))
}
