//! How the broker layer gets work without knowing producers or consumers: each broker
//! thread asks the sources registered with it (the producer, the fetcher) for requests
//! whenever its connection can take more, and hands the answers back. One trait call
//! per broker loop turn or per request, never per message.

use super::handle::BrokerHandle;
use super::inflight::{InFlight, Pending, Reply};
use super::request::Request;
use crate::clock::now_us;
use crate::instance::{Instance, Wire};
use crate::metadata::Partition;
use crate::protocol::outbuf::{Mark, OutBuf};
use crate::protocol::ApiVersions;
use kafka_protocol::messages::ApiKey;
use std::collections::VecDeque;
use std::sync::atomic::Ordering;
use std::sync::Arc;

pub trait Source: Send + Sync {
    /// Whether these partitions (the ones the broker leads) need it connected.
    fn has_work(&self, toppars: &[Arc<Partition>]) -> bool;
    /// About every 100 ms on the broker thread: expire what waited too long.
    fn scan(&self, toppars: &[Arc<Partition>], now_us: i64);
    /// The connection is up: add requests. Returns when to be asked again (`now_us()`
    /// scale), if before the next wake-up.
    fn serve(&self, io: &mut BrokerIo<'_>) -> Option<i64>;
}

/// A source's view of an up connection while it is being served.
pub struct BrokerIo<'a> {
    pub broker: &'a Arc<BrokerHandle>,
    /// The partitions this broker leads.
    pub toppars: &'a [Arc<Partition>],
    pub api: &'a ApiVersions,
    pub client_id: &'a str,
    pub(super) out: &'a mut OutBuf,
    pub(super) corr: &'a mut i32,
    pub(super) inflight: &'a mut VecDeque<InFlight>,
    pub(super) waiting: &'a mut VecDeque<Request>,
    pub(super) batches: &'a mut usize,
    /// With interceptors: the instance and the socket, for on_request_sent.
    pub(super) icpt: Option<(&'a Instance, i32)>,
    /// Where the frame being written starts in `out`.
    pub(super) mark: Mark,
}

impl BrokerIo<'_> {
    /// Queues a request (encoded when the loop sends what waits).
    pub fn send(&mut self, req: Request) {
        self.waiting.push_back(req);
    }

    /// Batches written with `write_batch` and not answered yet.
    pub fn batches_inflight(&self) -> usize {
        *self.batches
    }

    /// The correlation id for the next frame the source writes itself.
    pub fn next_corr(&mut self) -> i32 {
        *self.corr = self.corr.wrapping_add(1) & 0x7fff_ffff;
        *self.corr
    }

    /// The connection's output buffer, for a source that encodes a frame in place.
    pub fn out(&mut self) -> &mut OutBuf {
        self.out
    }

    /// A frame with correlation id `corr` was written into `out()`: its answer goes to
    /// `reply`, or fails after `timeout_ms`.
    pub fn sent_batch(&mut self, corr: i32, key: ApiKey, ver: i16, timeout_ms: i64, reply: Box<dyn Reply>) {
        let now = now_us();
        self.broker.stats.tx.fetch_add(1, Ordering::Relaxed);
        self.broker.stats.count_request(key as i16);
        *self.batches += 1;
        let size = self.out.len_since(self.mark);
        self.mark = self.out.mark();
        if let Some((rk, fd)) = self.icpt {
            let b = self.broker;
            rk.icpt(|i| {
                let w = Wire {
                    fd,
                    broker: &b.name,
                    broker_id: b.id,
                    api_key: key as i16,
                    api_version: ver,
                    corr_id: corr,
                    size,
                };
                i.on_request_sent(&w)
            });
        }
        self.inflight.push_back(InFlight {
            corr,
            key,
            ver,
            sent_us: now,
            deadline_us: now + timeout_ms * 1000,
            pending: Pending::Batch(reply),
        });
    }
}
