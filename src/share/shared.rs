//! What the application's side and the member thread share: the fetched batches and
//! acknowledgement outcomes waiting for the application, and the ops the member
//! thread is sent (application calls and broker answers).

use super::acks::{AckBatch, PartAcks, Tp};
use crate::broker::BrokerHandle;
use crate::error::{ErrorCode, KafkaError};
use crate::message::Message;
use bytes::Bytes;
use kafka_protocol::messages::{MetadataResponse, ShareGroupHeartbeatResponse};
use std::collections::VecDeque;
use std::sync::mpsc::Sender;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

/// A batch the member fetched, waiting for a poll.
pub(crate) struct Fetched {
    pub msgs: Vec<Box<Message>>,
    pub acks: Vec<PartAcks>,
}

/// The outcome of one partition's acknowledgements (the commit callback's input).
pub struct AckResult {
    pub tp: Tp,
    pub offsets: Vec<i64>,
    pub err: ErrorCode,
}

/// What the member thread hands the application.
#[derive(Default)]
pub(crate) struct Output {
    pub batches: VecDeque<Fetched>,
    /// Batches pushed so far: a fetch asked for names how many the application had seen.
    pub pushed: u64,
    /// Errors for the next polls (topic errors, a fatal error), ahead of records.
    pub errors: VecDeque<KafkaError>,
    /// After a fatal error no record is handed out any more.
    pub fatal: bool,
    pub results: VecDeque<AckResult>,
    /// Results are kept only while a commit callback is set.
    pub want_results: bool,
}

pub(crate) struct Shared {
    pub out: Mutex<Output>,
    pub cv: Condvar,
}

impl Shared {
    pub fn out(&self) -> MutexGuard<'_, Output> {
        self.out.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A fetched batch for the application.
    pub fn push(&self, b: Fetched) {
        let mut o = self.out();
        o.batches.push_back(b);
        o.pushed += 1;
        self.cv.notify_all();
    }

    /// An error the application's next poll returns.
    pub fn push_error(&self, e: KafkaError) {
        self.out().errors.push_back(e);
        self.cv.notify_all();
    }

    /// One partition's acknowledgement outcome, for the callback if one is set.
    pub fn result(&self, b: &AckBatch, err: ErrorCode) {
        let mut o = self.out();
        if o.want_results {
            o.results.push_back(AckResult { tp: b.tp.clone(), offsets: b.offsets(), err: app_err(err) });
        }
    }
}

/// Internal codes as the application is told them (librdkafka's translation).
pub fn app_err(e: ErrorCode) -> ErrorCode {
    match e {
        ErrorCode::_TIMED_OUT | ErrorCode::_TIMED_OUT_QUEUE => ErrorCode::REQUEST_TIMED_OUT,
        ErrorCode::_DESTROY | ErrorCode::_DESTROY_BROKER => ErrorCode::_TRANSPORT,
        ErrorCode::_BAD_MSG => ErrorCode::INVALID_MSG,
        ErrorCode::_AUTHENTICATION => ErrorCode::SASL_AUTHENTICATION_FAILED,
        e => e,
    }
}

/// Per-partition outcome of a synchronous commit.
pub type CommitResults = Vec<(Tp, ErrorCode)>;

/// Work for the member thread.
pub(crate) enum Op {
    Subscribe(Vec<String>),
    /// Acknowledgements to send; `fetch`: the application waits for records, having
    /// taken this many batches; `sync`: who waits for their outcome.
    Acks {
        acks: Vec<AckBatch>,
        fetch: Option<u64>,
        sync: Option<Sender<CommitResults>>,
    },
    Close {
        acks: Vec<AckBatch>,
        done: Sender<()>,
    },
    Reply(Reply),
    /// Destroy without close: the thread ends now. (Dropping the application's sender
    /// is not enough: the member and its requests in flight hold senders too.)
    Stop,
}

/// Broker answers.
pub(crate) enum Reply {
    Coordinator(Result<Arc<BrokerHandle>, KafkaError>),
    Heartbeat(Result<ShareGroupHeartbeatResponse, KafkaError>),
    Metadata(Result<MetadataResponse, KafkaError>),
    Session(Answer),
}

/// A broker's answer to a session request.
pub(crate) struct Answer {
    pub broker: i32,
    pub fetch: bool,
    pub res: Result<(i16, Bytes), KafkaError>,
}
