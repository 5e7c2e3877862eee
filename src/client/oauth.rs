//! OAUTHBEARER token refreshes, checked on the main thread's every turn: the
//! built-in unsecured JWT is remade here; the application's refresh callback is
//! asked through an event (main queue, or the SASL queue when enabled); OIDC tokens
//! are fetched on a thread of their own, never blocking the main thread.

use super::Client;
use crate::error::ErrorCode;
use crate::event::Event;
use crate::security::{oauthbearer, Sasl, TokenSource};
use std::sync::Arc;

pub(super) fn tick(client: &Arc<Client>) {
    let Some(sasl) = &client.rk.sasl else { return };
    if sasl.mechanism != crate::security::sasl::Mechanism::OAuthBearer || !sasl.tokens.refresh_due() {
        return;
    }
    let config = client.rk.conf.string("sasl.oauthbearer.config").unwrap_or_default();
    match sasl.token_source {
        TokenSource::Unsecured => {
            let made = oauthbearer::unsecured_token(&config, crate::clock::wallclock_ms());
            settle(client, sasl, made);
        }
        TokenSource::Application => {
            let q = client.rk.sasl_q.as_ref().unwrap_or(&client.rk.main_q);
            q.push(Event::OAuthRefresh { config });
        }
        TokenSource::Oidc => {
            if !sasl.tokens.begin_fetch() {
                return;
            }
            let c = client.clone();
            let spawned = std::thread::Builder::new().name("rdk:oidc".into()).spawn(move || {
                if let Some(sasl) = &c.rk.sasl {
                    let got = crate::security::oidc::fetch(&c.rk.conf);
                    settle(&c, sasl, got);
                }
                if let Some(sasl) = &c.rk.sasl {
                    sasl.tokens.end_fetch();
                }
            });
            if spawned.is_err() {
                sasl.tokens.end_fetch();
            }
        }
    }
}

/// Stores a new token, or reports why there is none (once per distinct reason).
fn settle(client: &Client, sasl: &Sasl, got: Result<oauthbearer::Token, String>) {
    let res = got.and_then(|t| sasl.tokens.set(t).map_err(|(_, e)| e));
    match res {
        Ok(()) => client.brokers.wake_all(),
        Err(e) => {
            if sasl.tokens.set_failure(&e) {
                client.rk.error(
                    ErrorCode::_AUTHENTICATION,
                    format!("Failed to acquire SASL OAUTHBEARER token: {e}"),
                );
            }
        }
    }
}
