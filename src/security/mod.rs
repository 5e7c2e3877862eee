//! The security layer of broker connections, built once per client from its
//! configuration: the TLS context (`tls`) and SASL (`sasl` with its mechanisms
//! `scram`, `oauthbearer` (+ `oidc`) and `gssapi`). The broker layer runs them on its connections.

pub mod gssapi;
pub mod oauthbearer;
pub mod oidc;
pub mod sasl;
pub mod scram;
pub mod tls;

pub use gssapi::GssApi;
pub use sasl::{Exchange, Sasl, TokenSource};
pub use tls::{CertVerifier, MemCerts, TlsContext};
