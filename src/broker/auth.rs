//! A connection's SASL authentication, after ApiVersions and again before the
//! session the broker granted expires (KIP-368): SaslHandshake selects the
//! mechanism, SaslAuthenticate frames carry its messages (`security::sasl`). The
//! connection counts as UP only once authenticated.

use super::handle::{S_AUTH_HANDSHAKE, S_AUTH_LEGACY, S_AUTH_REQ, S_REAUTH, S_UP};
use super::inflight::Pending;
use super::worker::Worker;
use crate::clock::now_us;
use crate::error::ErrorCode;
use crate::instance::dbg;
use crate::protocol;
use bytes::Bytes;
use kafka_protocol::messages::{
    ApiKey, SaslAuthenticateRequest, SaslAuthenticateResponse, SaslHandshakeRequest, SaslHandshakeResponse,
};
use kafka_protocol::protocol::StrBytes;

impl Worker {
    /// ApiVersions is done: authenticate if SASL is configured, else the connection is up.
    pub(super) fn authenticate_or_up(&mut self) {
        let Some(sasl) = &self.rk.sasl else {
            self.become_up();
            return;
        };
        let mech = sasl.name.clone();
        self.set_state(S_AUTH_HANDSHAKE);
        let ver =
            self.conn.as_ref().and_then(|c| c.api.as_ref()).and_then(|a| a.pick(ApiKey::SaslHandshake, 0, 1));
        let Some(ver) = ver else {
            let msg = format!(
                "Failed to initialize SASL authentication: SASL Handshake not supported by broker (required by mechanism {mech})"
            );
            self.auth_failed(ErrorCode::_AUTHENTICATION, msg);
            return;
        };
        let mut req = SaslHandshakeRequest::default();
        req.mechanism = StrBytes::from_string(mech);
        self.send_internal(ApiKey::SaslHandshake, ver, &req, Pending::SaslHandshake);
    }

    pub(super) fn on_sasl_handshake(&mut self, ver: i16, mut body: Bytes) {
        let Some(sasl) = &self.rk.sasl else { return };
        let mech = sasl.name.clone();
        let r = match protocol::decode::<SaslHandshakeResponse>(&mut body, ver) {
            Ok(r) => r,
            Err(e) => {
                let msg = format!(
                    "SASL {mech} mechanism handshake failed: {}: broker's supported mechanisms: (n/a)",
                    ErrorCode::_BAD_MSG.description()
                );
                self.rk.dbg(dbg::SECURITY, "SASLMECHS", || format!("{}: {e}", self.h.name));
                self.auth_failed(ErrorCode::_AUTHENTICATION, msg);
                return;
            }
        };
        let offered: Vec<String> = r.mechanisms.iter().map(|m| m.to_string()).collect();
        self.rk.dbg(dbg::SECURITY, "SASLMECHS", || {
            format!("{}: Broker supported SASL mechanisms: {}", self.h.name, offered.join(","))
        });
        if r.error_code != 0 {
            let msg = format!(
                "SASL {mech} mechanism handshake failed: {}: broker's supported mechanisms: {}",
                ErrorCode(r.error_code as i32).description(),
                offered.join(",")
            );
            self.auth_failed(ErrorCode::_AUTHENTICATION, msg);
            return;
        }
        // SaslHandshake v0 (or no SaslAuthenticate): Kafka < 1.0's raw token frames.
        let legacy = ver == 0 || self.auth_version().is_none();
        self.set_state(if legacy { S_AUTH_LEGACY } else { S_AUTH_REQ });
        if let Some(c) = self.conn.as_mut() {
            c.legacy_sasl = legacy;
        }
        match sasl.start(&self.h.host) {
            Ok((exchange, first)) => {
                self.rk.dbg(dbg::SECURITY, "SASL", || {
                    format!("{}: Initializing SASL client: mechanisms {mech}", self.h.name)
                });
                if let Some(c) = self.conn.as_mut() {
                    c.sasl = Some(exchange);
                }
                self.send_auth(first);
            }
            Err(e) => self.auth_failed(
                ErrorCode::_AUTHENTICATION,
                format!("Failed to initialize SASL authentication: {e}"),
            ),
        }
    }

    fn auth_version(&self) -> Option<i16> {
        self.conn.as_ref()?.api.as_ref()?.pick(ApiKey::SaslAuthenticate, 0, 2)
    }

    fn send_auth(&mut self, data: Vec<u8>) {
        if self.conn.as_ref().is_some_and(|c| c.legacy_sasl) {
            self.send_legacy(data);
            return;
        }
        let Some(ver) = self.auth_version() else { return };
        self.rk.dbg(dbg::SECURITY, "SASL", || {
            format!("{}: Send SASL Kafka frame to broker ({} bytes)", self.h.name, data.len())
        });
        let mut req = SaslAuthenticateRequest::default();
        req.auth_bytes = Bytes::from(data);
        self.send_internal(ApiKey::SaslAuthenticate, ver, &req, Pending::SaslAuthenticate);
    }

    pub(super) fn on_sasl_authenticate(&mut self, ver: i16, mut body: Bytes) {
        let r = match protocol::decode::<SaslAuthenticateResponse>(&mut body, ver) {
            Ok(r) => r,
            Err(_) => {
                let msg = format!(
                    "SASL authentication error: SaslAuthenticateResponse parsing failed: {}",
                    ErrorCode::_BAD_MSG.description()
                );
                self.auth_failed(ErrorCode::_BAD_MSG, msg);
                return;
            }
        };
        if r.error_code != 0 {
            // The broker's SASL_AUTHENTICATION_FAILED is reported as librdkafka's local code.
            let code = match ErrorCode(r.error_code as i32) {
                ErrorCode::SASL_AUTHENTICATION_FAILED => ErrorCode::_AUTHENTICATION,
                c => c,
            };
            let text = r.error_message.as_ref().map(|m| m.to_string()).unwrap_or_default();
            self.auth_failed(code, format!("SASL authentication error: {text}"));
            return;
        }
        if ver >= 1 && r.session_lifetime_ms > 0 {
            let lifetime = r.session_lifetime_ms;
            self.rk.dbg(dbg::SECURITY, "REAUTH", || {
                format!("Received session lifetime {lifetime} ms from broker")
            });
            // As librdkafka: re-authenticate at 90% of the session.
            if let Some(c) = self.conn.as_mut() {
                c.reauth_at_us = Some(now_us() + lifetime * 900);
            }
        }
        self.auth_step(&r.auth_bytes);
    }

    /// The broker's message to the exchange: our next one, or the end.
    fn auth_step(&mut self, input: &[u8]) {
        let Some(mut exchange) = self.conn.as_mut().and_then(|c| c.sasl.take()) else { return };
        match exchange.step(input) {
            Err(e) => self.auth_failed(ErrorCode::_AUTHENTICATION, format!("SASL authentication error: {e}")),
            Ok(Some(next)) => {
                if let Some(c) = self.conn.as_mut() {
                    c.sasl = Some(exchange);
                }
                self.send_auth(next);
            }
            Ok(None) => self.authenticated(&exchange),
        }
    }

    fn authenticated(&mut self, exchange: &crate::security::Exchange) {
        let Some(sasl) = &self.rk.sasl else { return };
        let who = exchange.principal(sasl);
        let mech = sasl.name.clone();
        self.rk.dbg(dbg::SECURITY, "SASLAUTH", || {
            format!("{}: Authenticated as {who} using {mech}", self.h.name)
        });
        let reauth = self.conn.as_mut().is_some_and(|c| {
            c.legacy_sasl = false;
            std::mem::take(&mut c.reauthenticating)
        });
        if reauth {
            self.set_state(S_UP);
        } else {
            self.become_up();
        }
    }

    /// A raw token frame; a mechanism whose last word is ours (GSSAPI) is done once
    /// it is sent, as the broker answers nothing more.
    fn send_legacy(&mut self, data: Vec<u8>) {
        let Some(conn) = self.conn.as_mut() else { return };
        conn.outbuf.inline().extend_from_slice(&(data.len() as i32).to_be_bytes());
        conn.outbuf.inline().extend_from_slice(&data);
        let done = conn.sasl.as_ref().is_some_and(|x| x.complete_when_sent());
        self.flush_out();
        if done {
            if let Some(x) = self.conn.as_mut().and_then(|c| c.sasl.take()) {
                self.authenticated(&x);
            }
        }
    }

    /// A raw token frame from the broker (legacy framing).
    pub(super) fn on_legacy_sasl_frame(&mut self, frame: Bytes) {
        self.auth_step(&frame);
    }

    /// KIP-368: when the session nears its end, authenticate again on the same
    /// connection. New requests wait meanwhile; those in flight complete.
    pub(super) fn maybe_reauthenticate(&mut self, now: i64) {
        let due = self
            .conn
            .as_ref()
            .is_some_and(|c| c.ready && !c.reauthenticating && c.reauth_at_us.is_some_and(|t| t <= now));
        if !due {
            return;
        }
        if let Some(c) = self.conn.as_mut() {
            c.reauthenticating = true;
            c.reauth_at_us = None;
        }
        self.rk.dbg(dbg::BROKER | dbg::SECURITY, "REAUTH", || format!("{}: Re-authenticating", self.h.name));
        self.set_state(S_REAUTH);
        self.authenticate_or_up();
    }

    /// The earliest time the connection must re-authenticate.
    pub(super) fn reauth_deadline(&self) -> Option<i64> {
        self.conn.as_ref().filter(|c| !c.reauthenticating).and_then(|c| c.reauth_at_us)
    }

    fn auth_failed(&mut self, code: ErrorCode, text: String) {
        let msg = self.failure_text(&text);
        self.disconnect(code, msg, true);
    }
}
