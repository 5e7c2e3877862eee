//! SASL OAUTHBEARER (RFC 7628, KIP-255): the client's current token (set by the
//! application's refresh callback, `rd_kafka_oauthbearer_set_token`, the built-in
//! unsecured JWT maker or the OIDC fetcher), when to refresh it (80% of its
//! lifetime, 10 s after a failure), and the client's messages. Texts are librdkafka's.

use crate::clock::wallclock_ms;
use crate::error::ErrorCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::RwLock;

#[derive(Clone, PartialEq)]
pub struct Token {
    pub value: String,
    pub principal: String,
    pub extensions: Vec<(String, String)>,
    /// Expiry, ms since the epoch.
    pub lifetime_ms: i64,
}

/// The token value is a secret: never printed.
impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Token")
            .field("principal", &self.principal)
            .field("lifetime_ms", &self.lifetime_ms)
            .field("value", &"(redacted)")
            .finish()
    }
}

#[derive(Default)]
struct State {
    token: Option<Token>,
    errstr: Option<String>,
    /// Wall clock (ms) after which a refresh is due; 0 = now.
    refresh_after_ms: i64,
    /// When the last refresh was asked for (0 = never).
    enqueued_ms: i64,
}

/// The token of one client, shared by its broker threads.
#[derive(Default)]
pub struct Tokens {
    st: RwLock<State>,
    /// An OIDC fetch is under way.
    fetching: AtomicBool,
}

/// A refusal naming the offending byte as librdkafka does (its first byte, for a
/// character outside ASCII): bytes, not UTF-8, so C gets exactly librdkafka's text.
fn refusal(prefix: &str, what: &str, bad: u8) -> Vec<u8> {
    let mut m = format!("{prefix}: {what} (").into_bytes();
    m.push(bad);
    m.push(b')');
    m
}

fn check_key(key: &str) -> Result<(), Vec<u8>> {
    if key == "auth" {
        return Err(b"Cannot explicitly set the reserved `auth` SASL/OAUTHBEARER extension key".to_vec());
    }
    if key.is_empty() {
        return Err(b"SASL/OAUTHBEARER extension keys must not be empty".to_vec());
    }
    if let Some(b) = key.bytes().find(|b| !b.is_ascii_alphabetic()) {
        let prefix = "SASL/OAUTHBEARER extension keys must only consist of A-Z or a-z characters";
        return Err(refusal(prefix, key, b));
    }
    Ok(())
}

fn check_value(value: &str) -> Result<(), Vec<u8>> {
    if let Some(b) = value.bytes().find(|&b| !matches!(b, 0x21..=0x7e | b' ' | b'\t' | b'\r' | b'\n')) {
        let prefix = "SASL/OAUTHBEARER extension values must only consist of space, horizontal tab, CR, LF, \
                      and visible characters (%x21-7E)";
        return Err(refusal(prefix, value, b));
    }
    Ok(())
}

impl Tokens {
    fn lock(&self) -> std::sync::RwLockWriteGuard<'_, State> {
        self.st.write().unwrap_or_else(|e| e.into_inner())
    }

    /// rd_kafka_oauthbearer_set_token: checks, stores, schedules the next refresh.
    /// The refusal is bytes (see `refusal`).
    pub fn set(&self, token: Token) -> Result<(), (ErrorCode, Vec<u8>)> {
        let inv = |m: Vec<u8>| (ErrorCode::_INVALID_ARG, m);
        let now = wallclock_ms();
        if token.lifetime_ms <= now {
            let m = format!("Must supply an unexpired token: now={now}ms, exp={}ms", token.lifetime_ms);
            return Err(inv(m.into_bytes()));
        }
        check_value(&token.value).map_err(inv)?;
        for (k, v) in &token.extensions {
            check_key(k).map_err(inv)?;
            check_value(v).map_err(inv)?;
        }
        let mut st = self.lock();
        st.refresh_after_ms = now + (0.8 * (token.lifetime_ms - now) as f64) as i64;
        st.token = Some(token);
        st.errstr = None;
        Ok(())
    }

    /// rd_kafka_oauthbearer_set_token_failure: keeps the token (it may still be
    /// valid), retries in 10 s; true when the error is new (then it is raised).
    pub fn set_failure(&self, errstr: &str) -> bool {
        let mut st = self.lock();
        let changed = st.errstr.as_deref() != Some(errstr);
        st.errstr = Some(errstr.to_string());
        st.refresh_after_ms = wallclock_ms() + 10_000;
        changed
    }

    /// True once per due refresh: the caller asks for it.
    pub fn refresh_due(&self) -> bool {
        let now = wallclock_ms();
        let mut st = self.lock();
        if st.refresh_after_ms < now && st.enqueued_ms <= st.refresh_after_ms {
            st.enqueued_ms = now;
            return true;
        }
        false
    }

    /// True when no fetch was under way (the caller now runs one).
    pub fn begin_fetch(&self) -> bool {
        !self.fetching.swap(true, Ordering::AcqRel)
    }

    pub fn end_fetch(&self) {
        self.fetching.store(false, Ordering::Release);
    }

    pub fn has_token(&self) -> bool {
        self.st.read().unwrap_or_else(|e| e.into_inner()).token.is_some()
    }

    pub fn current(&self) -> Result<Token, String> {
        let st = self.st.read().unwrap_or_else(|e| e.into_inner());
        st.token.clone().ok_or_else(|| {
            format!(
                "OAUTHBEARER cannot log in because there is no token available; last error: {}",
                st.errstr.as_deref().unwrap_or("(not available)")
            )
        })
    }
}

/// The client's first message: the bearer token and the extensions.
pub fn client_first(t: &Token) -> Vec<u8> {
    let mut s = format!("n,,\x01auth=Bearer {}\x01", t.value);
    for (k, v) in &t.extensions {
        s.push_str(&format!("{k}={v}\x01"));
    }
    s.push('\x01');
    s.into_bytes()
}

/// One OAUTHBEARER exchange: an empty answer means success; otherwise the server
/// sent its error (JSON), we answer with a lone kvsep and it fails.
pub struct Exchange {
    pub principal: String,
    server_error: Option<String>,
}

impl Exchange {
    pub fn new(principal: String) -> Exchange {
        Exchange { principal, server_error: None }
    }

    pub fn step(&mut self, input: &[u8]) -> Result<Option<Vec<u8>>, String> {
        if let Some(e) = self.server_error.take() {
            return Err(format!(
                "SASL OAUTHBEARER authentication failed (principal={}): {e}",
                self.principal
            ));
        }
        if input.is_empty() || input[0] == 0 {
            return Ok(None);
        }
        self.server_error = Some(String::from_utf8_lossy(input).into_owned());
        Ok(Some(vec![1]))
    }
}

/// What `sasl.oauthbearer.config` asks of the built-in unsecured JWT maker.
struct UnsecuredConf {
    principal_claim: String,
    principal: String,
    scope_claim: String,
    scope: Vec<String>,
    life_s: i64,
    extensions: Vec<(String, String)>,
}

fn parse_unsecured(cfg: &str) -> Result<UnsecuredConf, String> {
    if cfg.is_empty() {
        return Err("Invalid sasl.oauthbearer.config: must not be empty".into());
    }
    let (mut pc, mut p, mut sc, mut scope, mut life) = (None, None, None, None, None);
    let mut extensions = Vec::new();
    let mut rest = cfg;
    let take = |slot: &mut Option<String>, prefix: &str, v: &str| -> Result<(), String> {
        if slot.is_some() {
            return Err(format!("Invalid sasl.oauthbearer.config: multiple '{prefix}' entries"));
        }
        if v.is_empty() {
            return Err(format!("Invalid sasl.oauthbearer.config: empty '{prefix}'"));
        }
        *slot = Some(v.to_string());
        Ok(())
    };
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix(' ') {
            rest = r;
            continue;
        }
        let end = rest.find(' ').unwrap_or(rest.len());
        let (item, r) = rest.split_at(end);
        rest = r;
        let prefixes = ["principalClaimName=", "principal=", "scopeClaimName=", "scope=", "lifeSeconds="];
        if let Some(pre) = prefixes.iter().find(|pre| item.starts_with(**pre)) {
            let v = &item[pre.len()..];
            match *pre {
                "principalClaimName=" => take(&mut pc, pre, v)?,
                "principal=" => take(&mut p, pre, v)?,
                "scopeClaimName=" => take(&mut sc, pre, v)?,
                "scope=" => take(&mut scope, pre, v)?,
                _ => take(&mut life, pre, v)?,
            }
        } else if let Some(ext) = item.strip_prefix("extension_") {
            let (k, v) = ext.split_once('=').unwrap_or((ext, ""));
            if k.is_empty() {
                return Err("Invalid sasl.oauthbearer.config: empty 'extension_' key".into());
            }
            extensions.push((k.to_string(), v.to_string()));
        } else {
            return Err(format!(
                "Unrecognized sasl.oauthbearer.config beginning at: {rest_from}",
                rest_from = item.to_string() + rest
            ));
        }
    }
    let life_s = match life {
        None => 3600,
        Some(t) => match t.parse::<i64>() {
            Err(_) => {
                return Err(format!("Invalid sasl.oauthbearer.config: non-integral 'lifeSeconds=': {t}"))
            }
            Ok(n) if n <= 0 || n > i32::MAX as i64 => {
                return Err(format!(
                    "Invalid sasl.oauthbearer.config: value out of range of positive int 'lifeSeconds=': {t}"
                ))
            }
            Ok(n) => n,
        },
    };
    let Some(principal) = p else {
        return Err("Invalid sasl.oauthbearer.config: no principal=<value>".into());
    };
    let principal_claim = pc.unwrap_or_else(|| "sub".into());
    let scope_claim = sc.unwrap_or_else(|| "scope".into());
    for (what, v) in [
        ("principal", &principal),
        ("principalClaimName", &principal_claim),
        ("scopeClaimName", &scope_claim),
    ] {
        if v.contains('"') {
            return Err(format!("Invalid sasl.oauthbearer.config: '\"' cannot appear in {what}: {v}"));
        }
    }
    let mut scopes: Vec<String> = Vec::new();
    for s in scope.unwrap_or_default().split(',').filter(|s| !s.is_empty()) {
        if s.contains('"') {
            return Err(format!("Invalid sasl.oauthbearer.config: '\"' cannot appear in scope: {s}"));
        }
        if !scopes.iter().any(|x| x == s) {
            scopes.push(s.to_string());
        }
    }
    // Extensions are checked when the token is set (Tokens::set), as librdkafka does.
    Ok(UnsecuredConf { principal_claim, principal, scope_claim, scope: scopes, life_s, extensions })
}

fn b64url(data: &[u8]) -> String {
    openssl::base64::encode_block(data).trim_end_matches('=').replace('+', "-").replace('/', "_")
}

/// The built-in unsecured JWT (`alg: none`) for `sasl.oauthbearer.config`, valid
/// from `now_ms`.
pub fn unsecured_token(cfg: &str, now_ms: i64) -> Result<Token, String> {
    let c = parse_unsecured(cfg)?;
    let now = now_ms as f64 / 1000.0;
    let mut claims = format!(
        "{{\"{}\":\"{}\",\"iat\":{:.3},\"exp\":{:.3}",
        c.principal_claim,
        c.principal,
        now,
        now + c.life_s as f64
    );
    if !c.scope.is_empty() {
        let list: Vec<String> = c.scope.iter().map(|s| format!("\"{s}\"")).collect();
        claims.push_str(&format!(",\"{}\":[{}]", c.scope_claim, list.join(",")));
    }
    claims.push('}');
    let value = format!("{}.{}.", b64url(br#"{"alg":"none"}"#), b64url(claims.as_bytes()));
    Ok(Token {
        value,
        principal: c.principal,
        extensions: c.extensions,
        lifetime_ms: now_ms + c.life_s * 1000,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsecured_jwt_claims_and_errors() {
        let t =
            unsecured_token("principal=alice scope=a,b,a lifeSeconds=60 extension_traceId=123", 1_000_000)
                .unwrap();
        let parts: Vec<&str> = t.value.split('.').collect();
        assert_eq!(parts.len(), 3);
        assert_eq!(parts[2], "");
        let claims = openssl::base64::decode_block(&format!(
            "{}{}",
            parts[1].replace('-', "+").replace('_', "/"),
            "=".repeat((4 - parts[1].len() % 4) % 4)
        ))
        .unwrap();
        assert_eq!(
            String::from_utf8(claims).unwrap(),
            r#"{"sub":"alice","iat":1000.000,"exp":1060.000,"scope":["a","b"]}"#
        );
        assert_eq!(t.lifetime_ms, 1_060_000);
        assert_eq!(t.extensions, vec![("traceId".to_string(), "123".to_string())]);
        assert_eq!(
            String::from_utf8(client_first(&t)).unwrap(),
            format!("n,,\x01auth=Bearer {}\x01traceId=123\x01\x01", t.value)
        );
        for (cfg, e) in [
            ("", "Invalid sasl.oauthbearer.config: must not be empty"),
            ("scope=x", "Invalid sasl.oauthbearer.config: no principal=<value>"),
            ("principal=a principal=b", "Invalid sasl.oauthbearer.config: multiple 'principal=' entries"),
            ("principal=a lifeSeconds=x", "Invalid sasl.oauthbearer.config: non-integral 'lifeSeconds=': x"),
            ("principal=a foo=1", "Unrecognized sasl.oauthbearer.config beginning at: foo=1"),
        ] {
            assert_eq!(unsecured_token(cfg, 0).unwrap_err(), e, "{cfg}");
        }
        // Extensions are checked when the token is set, naming the offending byte.
        let tokens = Tokens::default();
        let mut t = unsecured_token("principal=a extension_auth=1", wallclock_ms()).unwrap();
        let e = tokens.set(t.clone()).unwrap_err().1;
        assert_eq!(e, b"Cannot explicitly set the reserved `auth` SASL/OAUTHBEARER extension key");
        t.extensions = vec![("k".into(), "\u{e9}".into())];
        let e = tokens.set(t).unwrap_err().1;
        assert!(e.ends_with(b"(%x21-7E): \xc3\xa9 (\xc3)"), "{}", String::from_utf8_lossy(&e));
    }

    #[test]
    fn refresh_schedule() {
        let tokens = Tokens::default();
        assert!(tokens.current().unwrap_err().ends_with("last error: (not available)"));
        assert!(tokens.refresh_due());
        assert!(!tokens.refresh_due());
        let now = wallclock_ms();
        let t = Token {
            value: "v".into(),
            principal: "p".into(),
            extensions: vec![],
            lifetime_ms: now + 100_000,
        };
        tokens.set(t).unwrap();
        assert!(!tokens.refresh_due());
        assert!(tokens.set_failure("boom"));
        assert!(!tokens.set_failure("boom"));
        assert_eq!(tokens.current().unwrap().value, "v");
        let old =
            Token { value: "v".into(), principal: "p".into(), extensions: vec![], lifetime_ms: now - 1 };
        assert_eq!(tokens.set(old).unwrap_err().0, ErrorCode::_INVALID_ARG);
    }
}
