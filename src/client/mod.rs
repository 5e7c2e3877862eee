//! The client (rd_kafka_t) as the composition root: it builds the instance, the
//! metadata cache, the broker registry, the producer and consumer sides, registers
//! the right work source with the brokers, starts the main thread (and the group
//! member), and stops everything at destroy. Metadata handling lives here too, as it
//! touches every layer below.

mod credentials;
mod diag;
mod main_thread;
pub mod metadata;
mod parts;
mod start;

pub use diag::self_test;
pub use parts::Client;
