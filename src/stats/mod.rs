//! Statistics: the JSON document librdkafka emits via stats_cb, read from the counters
//! and windows the working layers keep.

mod emit;
pub use emit::emit;
