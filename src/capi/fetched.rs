//! Fetched messages on their way to the application, for both consumers: popping a
//! queue while serving the other events on it, turning consumer errors into messages,
//! and dropping messages made outdated by a seek, stop or revoke.

use super::handle::Handle;
use super::poll::dispatch;
use super::types::*;
use crate::error::ErrorCode;
use crate::event::{Event, Queue};
use crate::message::{Buf, Message};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The time left until the deadline `d` (None: no deadline).
pub(crate) fn left(d: Option<Instant>) -> Option<Duration> {
    d.map(|d| d.saturating_duration_since(Instant::now()))
}

/// An error event turned into a message with `err` set, as consumer_poll returns them.
pub(crate) fn error_message(code: ErrorCode, msg: &str) -> Box<Message> {
    let mut m = Message::new(0, -1, Buf::Owned(msg.as_bytes().into()), Buf::None);
    m.c.err = code.0;
    m.errstr = std::ffi::CString::new(msg).ok().map(Box::new);
    m
}

/// Pops the next message from `q`, serving other events through their callbacks.
/// Consumer errors become messages; client-level errors (broker failures,
/// _ALL_BROKERS_DOWN) always go to error_cb or the log, as in librdkafka.
pub(crate) unsafe fn next_message(
    rk: *mut rd_kafka_t,
    h: &Handle,
    q: &Arc<Queue>,
    timeout: Option<Duration>,
) -> Option<Box<Message>> {
    // The deadline is only computed once a non-message event was served: the common case
    // (a message is waiting) reads no clock.
    let mut until: Option<Option<Instant>> = None;
    loop {
        let ev = match until {
            None => q.pop(timeout)?,
            Some(u) => q.pop(left(u))?,
        };
        match ev {
            Event::Fetch(m) => return Some(m),
            Event::ConsumerError { code, msg } => return Some(error_message(code, &msg)),
            other => {
                dispatch(rk, h, other);
            }
        }
        let u = *until.get_or_insert_with(|| timeout.map(|t| Instant::now() + t));
        if u.is_some_and(|d| Instant::now() >= d) {
            return None;
        }
    }
}
