//! The transactional producer (transactional.id, KIP-98), with librdkafka's state
//! machine, error classes and resumable API calls. The application thread calls the
//! blocking API (`api`); protocol work is started by the main thread's `work::tick`
//! and finished by response callbacks on broker threads; both meet in `state`.

pub mod api;
pub mod state;
pub mod work;
