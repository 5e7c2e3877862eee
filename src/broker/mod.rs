//! The connection engine: one thread per broker (socket, ApiVersions, request
//! pipeline, in-flight list, reconnects). It knows nothing of producers or consumers:
//! it asks the `Source`s registered with it for requests and hands their answers back.

mod auth;
mod conn;
mod coordinator;
mod handle;
mod health;
mod inbuf;
mod inflight;
mod registry;
mod request;
mod source;
mod transport;
mod worker;

pub use coordinator::{
    find as find_coordinator, heartbeat_failure, HeartbeatFailure, GROUP as COORD_GROUP,
    TRANSACTION as COORD_TRANSACTION,
};
pub use handle::{BrokerHandle, S_UP};
pub use inflight::Reply;
pub use registry::Brokers;
pub use request::Request;
pub use source::{BrokerIo, Source};
