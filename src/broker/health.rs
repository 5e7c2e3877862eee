//! Whether every broker is down: librdkafka raises _ALL_BROKERS_DOWN once per
//! transition into that state.

use crate::error::ErrorCode;
use crate::instance::Instance;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

#[derive(Default)]
pub struct Health {
    total: AtomicUsize,
    down: AtomicUsize,
    all_down_reported: AtomicBool,
}

impl Health {
    pub fn broker_added(&self) {
        self.total.fetch_add(1, Ordering::AcqRel);
    }

    /// A broker went down, or came up again.
    pub fn changed(&self, rk: &Instance, went_down: bool) {
        let total = self.total.load(Ordering::Acquire);
        let down = if went_down {
            self.down.fetch_add(1, Ordering::AcqRel) + 1
        } else {
            self.down.fetch_sub(1, Ordering::AcqRel).saturating_sub(1)
        };
        if went_down && down >= total && total > 0 {
            if !self.all_down_reported.swap(true, Ordering::AcqRel) && !rk.is_terminating() {
                // As librdkafka's rd_kafka_op_err(): logged right here when nobody listens.
                let msg = format!("{}/{} brokers are down", down, total);
                if rk.hooks.error_cb {
                    rk.error(ErrorCode::_ALL_BROKERS_DOWN, msg);
                } else {
                    rk.log(3, "ERROR", &msg);
                }
            }
        } else if !went_down {
            self.all_down_reported.store(false, Ordering::Release);
        }
    }
}
