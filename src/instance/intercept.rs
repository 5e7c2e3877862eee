//! Interceptors (librdkafka's `rd_kafka_interceptor_add_on_*`): the points inside the
//! client where an application's or a plugin's interceptors run. The C layer installs
//! the implementation; the layers below call it where librdkafka calls its chains.

use crate::error::ErrorCode;
use crate::event::CommitResult;
use crate::message::Message;

/// Which kind of internal thread started or stopped (`rd_kafka_thread_type_t`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ThreadKind {
    Main = 0,
    Background = 1,
    Broker = 2,
}

/// One request or response as the wire saw it.
pub struct Wire<'a> {
    pub fd: i32,
    pub broker: &'a str,
    pub broker_id: i32,
    pub api_key: i16,
    pub api_version: i16,
    pub corr_id: i32,
    pub size: usize,
}

pub trait Interceptors: Send + Sync {
    /// A produced message, before partitioning (the application's thread).
    fn on_send(&self, m: &mut Message);
    /// A produced message's outcome: acked, failed, or refused after `on_send`.
    fn on_acknowledgement(&self, m: &mut Message);
    /// A consumed message handed to the application.
    fn on_consume(&self, m: &mut Message);
    fn on_commit(&self, r: &CommitResult);
    fn on_request_sent(&self, w: &Wire<'_>);
    fn on_response_received(&self, w: &Wire<'_>, rtt_us: i64, err: ErrorCode);
    fn on_thread_start(&self, kind: ThreadKind, name: &str);
    fn on_thread_exit(&self, kind: ThreadKind, name: &str);
    fn on_broker_state_change(&self, id: i32, secproto: &str, host: &str, port: i32, state: &str);
    /// The handle is being destroyed (on the main thread, as it ends).
    fn on_destroy(&self);
}
