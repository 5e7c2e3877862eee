//! Events and the queues that carry them from internal threads to the polling thread.

mod kind;
mod queue;

pub use kind::*;
pub use queue::{Queue, Wakeup};
