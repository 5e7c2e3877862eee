//! What a handler gets besides the request, what it comes to, and the two steps every
//! handler takes: decoding the body and encoding its answer.

use super::wire::{response_frame, Request};
use crate::error::ErrorCode;
use bytes::Bytes;
use kafka_protocol::protocol::{Decodable, Encodable};
use std::time::Instant;

/// What serving a request comes to.
pub enum Outcome {
    /// A response frame to send (after the broker's round-trip time).
    Respond(Bytes),
    /// Nothing to send (Produce with acks=0).
    Silent,
    /// Not answerable yet (a long-polling Fetch, a JoinGroup waiting for members):
    /// served again after each change until it answers or this deadline passes.
    Park(Instant),
    /// Close the connection (malformed request, injected transport error).
    Close,
}

/// What a handler knows besides the request.
pub struct Ctx {
    pub broker: i32,
    /// The connection, for requests that wait on it (group joins).
    pub conn: u64,
    /// First time this request is served (not a retry of a parked one).
    pub first: bool,
    /// The parked request's deadline passed: answer now.
    pub expired: bool,
    /// An injected error to answer with instead of doing the work.
    pub injected: ErrorCode,
    pub now: Instant,
    pub now_ms: i64,
}

/// Decodes a request body, or closes the connection as a broker does.
pub fn body<T: Decodable>(req: &Request) -> Result<T, Outcome> {
    let mut b = req.body.clone();
    T::decode(&mut b, req.version).map_err(|_| Outcome::Close)
}

/// A response to `req`.
pub fn respond<T: Encodable>(req: &Request, body: &T) -> Outcome {
    match response_frame(req.api_key, req.version, req.corr_id, body) {
        Ok(frame) => Outcome::Respond(frame),
        Err(e) => {
            // A field set that this version lacks: tests must see it; a client gets
            // a closed connection rather than a cut-short answer.
            debug_assert!(false, "mock response does not encode: {e}");
            Outcome::Close
        }
    }
}
