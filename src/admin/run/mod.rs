//! The operations themselves, each as the steps it takes on the wire: which broker,
//! which request, how answers merge, what is retried. One file per family.

pub mod acls;
pub mod cluster;
pub mod configs;
pub mod coordinator;
pub mod group_describe;
pub mod groups;
pub mod members;
pub mod records;
pub mod replicas;
pub mod scram;
pub mod topics;
pub mod txns;

use super::engine::Ctx;
use crate::error::{ErrorCode, KafkaError};
use kafka_protocol::messages::ApiKey;
use kafka_protocol::protocol::{Decodable, Encodable};

/// Whether to find the controller again and resend on NOT_CONTROLLER: off, as in
/// librdkafka, whose per-item NOT_CONTROLLER applications already handle.
const RESEND_ON_NOT_CONTROLLER: bool = false;

/// NOT_CONTROLLER: the controller moved.
pub const NOT_CONTROLLER: i16 = 41;

/// Sends a request to the controller. librdkafka reports NOT_CONTROLLER on the items;
/// so does kafkars (`moved` is kept for the operations that may want to resend).
pub fn on_controller<Q, R>(
    ctx: &Ctx,
    key: ApiKey,
    min: i16,
    max: i16,
    build: impl Fn(i16) -> Q + Clone + Send + 'static,
    moved: impl Fn(&R) -> bool,
) -> Result<R, KafkaError>
where
    Q: Encodable + 'static,
    R: Decodable,
{
    loop {
        let b = ctx.controller()?;
        let (_, r) = ctx.call(&b, key, min, max, build.clone())?;
        if !moved(&r) || ctx.opts.broker().is_some() || !RESEND_ON_NOT_CONTROLLER {
            return Ok(r);
        }
        ctx.pause(std::time::Duration::from_millis(100), "waiting for controller")?;
    }
}

/// `items` grouped by their topic, topics in first-seen order (requests name each topic
/// once, with its partitions).
pub fn by_topic<'a, T>(
    items: impl IntoIterator<Item = T>,
    topic: impl Fn(&T) -> &'a str,
) -> Vec<(String, Vec<T>)> {
    let mut out: Vec<(String, Vec<T>)> = Vec::new();
    for item in items {
        match out.iter_mut().find(|(t, _)| t == topic(&item)) {
            Some((_, v)) => v.push(item),
            None => out.push((topic(&item).to_string(), vec![item])),
        }
    }
    out
}

/// The error of an item the broker's answer left out.
pub fn missing(what: &str) -> Option<KafkaError> {
    Some(KafkaError::new(ErrorCode::_BAD_MSG, format!("{what} missing from response")))
}
