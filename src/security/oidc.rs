//! sasl.oauthbearer.method=oidc: OAUTHBEARER tokens fetched from the token endpoint
//! with the client-credentials grant (HTTP basic authentication, optional scope),
//! over HTTPS through OpenSSL; the token's `exp` and principal claims are read from
//! its JWT payload, as librdkafka does.

use super::oauthbearer::Token;
use crate::conf::Conf;
use openssl::base64;
use std::sync::Arc;
use std::time::Duration;

fn b64url_decode(s: &str) -> Option<Vec<u8>> {
    let mut t = s.replace('-', "+").replace('_', "/");
    while !t.len().is_multiple_of(4) {
        t.push('=');
    }
    base64::decode_block(&t).ok()
}

fn form_escape(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// An HTTPS agent trusting https.ca.location / https.ca.pem, else the system's CAs.
fn agent(conf: &Conf) -> Result<ureq::Agent, String> {
    let mut b = native_tls::TlsConnector::builder();
    let mut pems = Vec::new();
    if let Some(loc) = conf.string("https.ca.location").filter(|l| l != "probe") {
        pems.push(std::fs::read(&loc).map_err(|e| format!("https.ca.location {loc}: {e}"))?);
    }
    if let Some(pem) = conf.string("https.ca.pem") {
        pems.push(pem.into_bytes());
    }
    for pem in pems {
        for c in openssl::x509::X509::stack_from_pem(&pem).map_err(|e| super::tls::reason(&e))? {
            let der = c.to_der().map_err(|e| super::tls::reason(&e))?;
            b.add_root_certificate(native_tls::Certificate::from_der(&der).map_err(|e| e.to_string())?);
        }
    }
    let tls = b.build().map_err(|e| e.to_string())?;
    let timeout = Duration::from_millis(conf.int("socket.timeout.ms").max(1000) as u64);
    Ok(ureq::AgentBuilder::new().tls_connector(Arc::new(tls)).timeout(timeout).build())
}

/// Why no token came: the reason for set_token_failure, and the log line librdkafka
/// writes for a failed request.
pub struct FetchError {
    pub reason: String,
    pub log: Option<String>,
}

impl From<String> for FetchError {
    fn from(reason: String) -> FetchError {
        FetchError { reason, log: None }
    }
}

/// Fetches a token.
pub fn fetch(conf: &Conf) -> Result<Token, FetchError> {
    let url = conf.string("sasl.oauthbearer.token.endpoint.url").unwrap_or_default();
    let id = conf.string("sasl.oauthbearer.client.id").unwrap_or_default();
    let secret = conf.string("sasl.oauthbearer.client.secret").unwrap_or_default();
    let mut body = "grant_type=client_credentials".to_string();
    if let Some(scope) = conf.string("sasl.oauthbearer.scope").filter(|s| !s.is_empty()) {
        body.push_str(&format!("&scope={}", form_escape(&scope)));
    }
    let auth = base64::encode_block(format!("{id}:{secret}").as_bytes());
    let resp = agent(conf)?
        .post(&url)
        .set("Accept", "application/json")
        .set("Content-Type", "application/x-www-form-urlencoded")
        .set("Authorization", &format!("Basic {auth}"))
        .send_string(&body);
    let text = match resp {
        Ok(r) => {
            r.into_string().map_err(|e| format!("Failed to read OIDC token response from \"{url}\": {e}"))?
        }
        Err(ureq::Error::Status(code, r)) => {
            // As librdkafka: the server's answer is the reason.
            let body = r.into_string().unwrap_or_default().trim().to_string();
            let reason = if body.is_empty() { format!("HTTP status {code}") } else { body };
            let log = Some(format!("Failed to retrieve OIDC token from \"{url}\": {reason} ({code})"));
            return Err(FetchError { reason, log });
        }
        Err(e) => {
            let reason = e.to_string();
            let log = Some(format!("Failed to retrieve OIDC token from \"{url}\": {reason} (-1)"));
            return Err(FetchError { reason, log });
        }
    };
    let json: serde_json::Value = serde_json::from_str(&text)
        .map_err(|_| "Expected JSON response with \"access_token\" field".to_string())?;
    let claim = conf.string("sasl.oauthbearer.sub.claim.name").unwrap_or_else(|| "sub".into());
    let extensions = conf.string("sasl.oauthbearer.extensions").unwrap_or_default();
    Ok(token_from(&json, &claim, &extensions)?)
}

/// The token in a token endpoint's answer, checked as librdkafka checks it.
fn token_from(json: &serde_json::Value, claim: &str, extensions: &str) -> Result<Token, String> {
    let Some(field) = json.get("access_token") else {
        return Err("Expected JSON response with \"access_token\" field".into());
    };
    let Some(jwt) = field.as_str() else { return Err("Expected token as a string value".into()) };
    let payload = jwt
        .split('.')
        .nth(1)
        .and_then(b64url_decode)
        .ok_or("Failed to decode JWT payload: Invalid token format")?;
    let claims: serde_json::Value =
        serde_json::from_slice(&payload).map_err(|_| "Failed to parse JSON JWT payload".to_string())?;
    let Some(exp) = claims.get("exp") else {
        return Err("Expected JSON JWT response with \"exp\" field".into());
    };
    let exp =
        exp.as_f64().filter(|e| *e > 0.0).ok_or("Expected JSON JWT response with valid \"exp\" field")?;
    let Some(sub) = claims.get(claim) else {
        return Err(format!("Expected JSON JWT response with \"{claim}\" field"));
    };
    let sub = sub.as_str().filter(|s| !s.is_empty()).ok_or_else(|| {
        format!("Expected JSON JWT response with valid \"{claim}\" field (non-empty value required)")
    })?;
    let extensions = extensions
        .split(',')
        .filter(|kv| !kv.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (k.to_string(), v.to_string())
        })
        .collect();
    Ok(Token {
        value: jwt.to_string(),
        principal: sub.to_string(),
        extensions,
        lifetime_ms: (exp * 1000.0) as i64,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(claims: &str) -> String {
        let enc = |s: &str| {
            base64::encode_block(s.as_bytes()).trim_end_matches('=').replace('+', "-").replace('/', "_")
        };
        format!("{}.{}.sig", enc(r#"{"alg":"RS256"}"#), enc(claims))
    }

    #[test]
    fn token_claims_checked() {
        let ok = serde_json::json!({ "access_token": jwt(r#"{"sub":"svc","exp":4102444800}"#) });
        let t = token_from(&ok, "sub", "a=1,b=2").unwrap();
        assert_eq!((t.principal.as_str(), t.lifetime_ms), ("svc", 4_102_444_800_000));
        assert_eq!(t.extensions.len(), 2);
        let no_sub = serde_json::json!({ "access_token": jwt(r#"{"exp":4102444800}"#) });
        assert_eq!(
            token_from(&no_sub, "sub", "").unwrap_err(),
            "Expected JSON JWT response with \"sub\" field"
        );
        let no_exp = serde_json::json!({ "access_token": jwt(r#"{"sub":"x"}"#) });
        assert_eq!(
            token_from(&no_exp, "sub", "").unwrap_err(),
            "Expected JSON JWT response with \"exp\" field"
        );
        assert_eq!(
            token_from(&serde_json::json!({}), "sub", "").unwrap_err(),
            "Expected JSON response with \"access_token\" field"
        );
    }
}
