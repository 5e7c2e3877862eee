//! Diagnostics: rd_kafka_dump() (the handle's state, for a human) and
//! rd_kafka_unittest() (kafkars' built-in self-checks of its wire codecs).

use super::boundary::obj;
use super::handle::Handle;
use super::types::*;
use super::util::to_cstring;
use kafkars_macros::ffi_fn;
use libc::c_int;

/// Writes the handle's internal state to `fp`: brokers with their state and request
/// counts, topics with their partitions, leaders and queued messages, and queues.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_dump(fp: *mut libc::FILE, rk: *mut rd_kafka_t) {
    non_null!(fp);
    let Some(h) = obj::<Handle>(rk) else { return };
    let s = to_cstring(&h.client.dump());
    libc::fputs(s.as_ptr(), fp);
}

/// Runs kafkars' built-in self-checks (checksums, varints, compression round trips,
/// the partitioners against known values). Returns the number of failed checks, 0
/// when all pass, as librdkafka's rd_kafka_unittest() does for its own.
#[ffi_fn(default = 1)]
pub unsafe extern "C" fn rd_kafka_unittest() -> c_int {
    crate::client::self_test() as c_int
}
