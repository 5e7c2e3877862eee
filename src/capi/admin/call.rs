//! One admin operation call from C: the client, the options (defaults when NULL), the
//! queue the result goes to, and the checks librdkafka makes before anything is sent.

use super::options::AdminOptionsHandle;
use super::*;
use crate::admin::engine::{result_event, Ctx, Payload};
use crate::admin::{AdminOp, AdminOptions};
use crate::capi::boundary::{obj, opt_obj};
use crate::capi::handle::Handle;
use crate::capi::queue::QueueHandle;
use crate::client::Client;
use crate::error::{ErrorCode, KafkaError};
use crate::event::Queue;
use std::collections::HashSet;
use std::hash::Hash;
use std::sync::Arc;

/// One operation call: the client, the options (defaults when NULL) and where the result
/// goes.
pub(super) struct Call {
    client: Arc<Client>,
    op: AdminOp,
    opts: AdminOptions,
    q: Arc<Queue>,
}

/// The call of `op`, or None (nothing happens) when `rk` is not a client or the options
/// or the queue are of another type.
pub(super) unsafe fn call(
    rk: *mut rd_kafka_t,
    op: AdminOp,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) -> Option<Call> {
    let h = obj::<Handle>(rk)?;
    let (Ok(options), Ok(q)) = (opt_obj::<AdminOptionsHandle>(options), opt_obj::<QueueHandle>(rkqu)) else {
        return None;
    };
    let client = h.client.clone();
    let opts = match options {
        Some(o) => o.options.clone(),
        None => AdminOptions::new(Some(op), Some(client.rk.settings.socket_timeout_ms)),
    };
    let q = q.map_or_else(|| client.rk.main_q.clone(), |q| q.q.clone());
    Some(Call { client, op, opts, q })
}

impl Call {
    /// Answers at once with `err` (arguments refused before anything is sent).
    pub(super) fn fail(self, err: KafkaError) {
        self.q.push(result_event(self.op, &self.opts, Err(err)));
    }

    /// Runs `work` on the admin client; `view` makes its answer readable for C.
    pub(super) fn start<T: Send + 'static>(
        self,
        work: impl FnOnce(&Ctx) -> Result<T, KafkaError> + Send + 'static,
        view: impl FnOnce(T) -> Payload + Send + 'static,
    ) {
        self.client.admin.start(self.op, self.opts, self.q, work, view)
    }

    /// Starts `work` on `args` when they were read and pass `check`; else answers with
    /// the error.
    pub(super) fn run<A: Send + 'static, T: Send + 'static>(
        self,
        args: Option<A>,
        check: impl FnOnce(&A) -> Result<(), KafkaError>,
        work: impl FnOnce(&Ctx, A) -> Result<T, KafkaError> + Send + 'static,
        view: impl FnOnce(T) -> Payload + Send + 'static,
    ) {
        let Some(args) = args else {
            return self.fail(invalid("invalid request object (NULL or of another type)"));
        };
        if let Err(e) = check(&args) {
            return self.fail(e);
        }
        self.start(move |ctx| work(ctx, args), view)
    }
}

pub(super) fn invalid(msg: &str) -> KafkaError {
    KafkaError::new(ErrorCode::_INVALID_ARG, msg)
}

/// An error when two keys are equal (librdkafka refuses duplicates with `msg`).
pub(super) fn no_duplicates<K: Hash + Eq>(
    keys: impl IntoIterator<Item = K>,
    msg: &str,
) -> Result<(), KafkaError> {
    let mut seen = HashSet::new();
    match keys.into_iter().all(|k| seen.insert(k)) {
        true => Ok(()),
        false => Err(invalid(msg)),
    }
}

/// An error unless `v` has exactly one element.
pub(super) fn exactly_one<T>(v: &[T], msg: &str) -> Result<(), KafkaError> {
    match v.len() {
        1 => Ok(()),
        _ => Err(invalid(msg)),
    }
}
