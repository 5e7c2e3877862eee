//! SASL credentials kept fresh from the main thread's every turn. OAUTHBEARER: the
//! built-in unsecured JWT is remade here; the application's refresh callback is
//! asked through an event (main queue, or the SASL queue when enabled); OIDC tokens
//! are fetched on a thread of their own. GSSAPI: sasl.kerberos.kinit.cmd runs at
//! start and every sasl.kerberos.min.time.before.relogin, as in librdkafka.

use super::Client;
use crate::clock::now_us;
use crate::error::ErrorCode;
use crate::event::Event;
use crate::instance::dbg;
use crate::security::sasl::Mechanism;
use crate::security::{gssapi, oauthbearer, Sasl, TokenSource};
use std::sync::Arc;

/// The next Kerberos ticket refresh (monotonic µs; 0 = at once).
pub(super) struct Kinit {
    next_us: i64,
}

impl Kinit {
    pub fn new() -> Kinit {
        Kinit { next_us: 0 }
    }
}

pub(super) fn tick(client: &Arc<Client>, kinit: &mut Kinit) {
    let Some(sasl) = &client.rk.sasl else { return };
    if sasl.mechanism == Mechanism::Gssapi {
        kinit_tick(client, sasl, kinit);
        return;
    }
    if sasl.mechanism != Mechanism::OAuthBearer || !sasl.tokens.refresh_due() {
        return;
    }
    let config = client.rk.conf.string("sasl.oauthbearer.config").unwrap_or_default();
    match sasl.token_source {
        TokenSource::Unsecured => match oauthbearer::unsecured_token(&config, crate::clock::wallclock_ms()) {
            // librdkafka's built-in maker ignores a token its own set_token refuses (an
            // extension named `auth`, …): no token, and no error either.
            Ok(t) => {
                if sasl.tokens.set(t).is_ok() {
                    client.brokers.wake_all();
                }
            }
            Err(e) => settle(client, sasl, Err(e)),
        },
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
                    let got = crate::security::oidc::fetch(&c.rk.conf).map_err(|e| {
                        if let Some(line) = &e.log {
                            c.rk.log(3, "OIDC", line);
                        }
                        e.reason
                    });
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
    let res = got.and_then(|t| sasl.tokens.set(t).map_err(|(_, e)| String::from_utf8_lossy(&e).into_owned()));
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

/// Runs the kinit command when due; the first run, whatever its outcome (the ticket
/// may exist anyway), lets the brokers connect.
fn kinit_tick(client: &Client, sasl: &Sasl, kinit: &mut Kinit) {
    let now = now_us();
    if now < kinit.next_us {
        return;
    }
    let rk = &client.rk;
    let Ok(Some(cmd)) = gssapi::kinit_command(&rk.conf) else {
        kinit.next_us = i64::MAX;
        return;
    };
    kinit.next_us = now + rk.conf.int("sasl.kerberos.min.time.before.relogin") * 1000;
    rk.dbg(dbg::SECURITY, "SASLREFRESH", || format!("Refreshing Kerberos ticket with command: {cmd}"));
    let started = now_us();
    let status = std::process::Command::new("/bin/sh").arg("-c").arg(&cmd).status();
    let ms = (now_us() - started) / 1000;
    if ms > 5000 {
        rk.log(4, "SASLREFRESH", &format!("Slow Kerberos ticket refresh: {ms}ms: {cmd}"));
    }
    if sasl.set_ready() {
        rk.dbg(dbg::SECURITY, "SASLREFRESH", || {
            "First kinit command finished: waking up broker threads".into()
        });
        client.brokers.wake_all();
    }
    use std::os::unix::process::ExitStatusExt;
    match status {
        Err(e) => rk.log(3, "SASLREFRESH", &format!("Kerberos ticket refresh failed: {cmd}: {e}")),
        Ok(s) if s.signal().is_some() => rk.log(
            3,
            "SASLREFRESH",
            &format!("Kerberos ticket refresh failed: {cmd}: received signal {}", s.signal().unwrap_or(0)),
        ),
        Ok(s) if s.code() != Some(0) => rk.log(
            3,
            "SASLREFRESH",
            &format!("Kerberos ticket refresh failed: {cmd}: exited with code {}", s.code().unwrap_or(-1)),
        ),
        Ok(_) => rk.dbg(dbg::SECURITY, "SASLREFRESH", || format!("Kerberos ticket refreshed in {ms}ms")),
    }
}
