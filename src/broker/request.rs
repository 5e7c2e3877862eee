//! A request for a broker connection: how to encode its body for the version the
//! broker supports, and where its answer goes.

use crate::error::KafkaError;
use crate::protocol::{self, ProtoError};
use bytes::{Bytes, BytesMut};
use kafka_protocol::messages::ApiKey;
use kafka_protocol::protocol::Encodable;
use std::time::Duration;

/// Receives a response body (after the response header) and the version used.
pub type DoneFn = Box<dyn FnOnce(Result<(i16, Bytes), KafkaError>) + Send>;
type EncodeFn = Box<dyn FnOnce(&mut BytesMut, i16, i32, &str) -> Result<(), ProtoError> + Send>;

pub struct Request {
    pub key: ApiKey,
    pub min_ver: i16,
    pub max_ver: i16,
    pub(super) encode: EncodeFn,
    pub(super) done: DoneFn,
    pub timeout: Option<Duration>,
}

impl Request {
    /// A request whose body is a kafka-protocol schema message built for the chosen version.
    pub fn schema<T: Encodable + 'static>(
        key: ApiKey,
        min_ver: i16,
        max_ver: i16,
        build: impl FnOnce(i16) -> T + Send + 'static,
        done: impl FnOnce(Result<(i16, Bytes), KafkaError>) + Send + 'static,
    ) -> Request {
        Request {
            key,
            min_ver,
            max_ver,
            encode: Box::new(move |out, ver, corr, client_id| {
                let body = build(ver);
                protocol::encode_request(out, key, ver, corr, client_id, &body)
            }),
            done: Box::new(done),
            timeout: None,
        }
    }

    pub fn with_timeout(mut self, t: Option<Duration>) -> Request {
        self.timeout = t;
        self
    }

    pub fn fail(self, e: KafkaError) {
        (self.done)(Err(e))
    }
}
