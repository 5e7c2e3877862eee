//! SASL for one client: the mechanism chosen by `sasl.mechanisms`, its credentials
//! (changeable with rd_kafka_sasl_set_credentials), and one authentication exchange
//! per connection. The broker layer frames the exchange (SaslHandshake,
//! SaslAuthenticate); this module only makes and checks the mechanism's messages.

use super::gssapi::{self, GssApi};
use super::oauthbearer::{self, Tokens};
use super::scram::{Hash, Scram};
use crate::conf::Conf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Mechanism {
    Gssapi,
    Plain,
    ScramSha1,
    ScramSha256,
    ScramSha512,
    OAuthBearer,
}

/// How OAUTHBEARER tokens are obtained.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum TokenSource {
    /// The application's refresh callback (or rd_kafka_oauthbearer_set_token).
    Application,
    /// enable.sasl.oauthbearer.unsecure.jwt: made by us from sasl.oauthbearer.config.
    Unsecured,
    /// sasl.oauthbearer.method=oidc: fetched from the token endpoint.
    Oidc,
}

pub struct Sasl {
    pub mechanism: Mechanism,
    /// As configured ("SCRAM-SHA-256"), sent in SaslHandshake.
    pub name: String,
    creds: Mutex<(String, String)>,
    pub tokens: Arc<Tokens>,
    pub token_source: TokenSource,
    /// GSSAPI: the GSS-API library, the service name, and whether the first kinit
    /// command finished (brokers connect only then, as in librdkafka).
    gss: Option<Arc<dyn GssApi>>,
    pub service_name: String,
    gss_ready: AtomicBool,
}

/// One authentication in progress.
pub enum Exchange {
    Gssapi(Box<gssapi::Exchange>),
    Plain,
    Scram(Box<Scram>),
    OAuth(oauthbearer::Exchange),
}

impl Sasl {
    /// The SASL settings of a `sasl_*` security.protocol, checked as librdkafka checks
    /// them at rd_kafka_new; None for the other protocols.
    pub fn from_conf(conf: &Conf, gss: Option<Arc<dyn GssApi>>) -> Result<Option<Sasl>, String> {
        let proto = conf.string("security.protocol").unwrap_or_default();
        if !proto.starts_with("sasl_") {
            return Ok(None);
        }
        let name = conf.string("sasl.mechanisms").unwrap_or_else(|| "GSSAPI".into());
        let has_creds = conf.string("sasl.username").is_some() && conf.string("sasl.password").is_some();
        let mechanism = match name.as_str() {
            "PLAIN" => Mechanism::Plain,
            "SCRAM-SHA-1" => Mechanism::ScramSha1,
            "SCRAM-SHA-256" => Mechanism::ScramSha256,
            "SCRAM-SHA-512" => Mechanism::ScramSha512,
            "OAUTHBEARER" => Mechanism::OAuthBearer,
            "GSSAPI" if gss.is_some() => Mechanism::Gssapi,
            "GSSAPI" => {
                return Err("No provider for SASL mechanism GSSAPI: MIT Kerberos' GSS-API library \
                                (libgssapi_krb5.so.2) could not be loaded. Current build options: PLAIN \
                                SASL_SCRAM OAUTHBEARER GSSAPI"
                    .into())
            }
            // As librdkafka: the credentials are checked before the hash function.
            s if s.starts_with("SCRAM-SHA-") && !has_creds => {
                return Err("sasl.username and sasl.password must be set".into())
            }
            s if s.starts_with("SCRAM-SHA-") => {
                return Err(format!("Unsupported hash function: {s} (try SCRAM-SHA-512)"))
            }
            s => return Err(format!("Unsupported SASL mechanism: {s}")),
        };
        let user = conf.string("sasl.username");
        let pass = conf.string("sasl.password");
        if matches!(
            mechanism,
            Mechanism::Plain | Mechanism::ScramSha1 | Mechanism::ScramSha256 | Mechanism::ScramSha512
        ) && (user.is_none() || pass.is_none())
        {
            return Err("sasl.username and sasl.password must be set".into());
        }
        let app_cb = conf.ptr("oauthbearer_token_refresh_cb") != 0;
        let token_source = if app_cb {
            TokenSource::Application
        } else if conf.string("sasl.oauthbearer.method").as_deref() == Some("oidc") {
            TokenSource::Oidc
        } else if conf.boolean("enable.sasl.oauthbearer.unsecure.jwt") {
            TokenSource::Unsecured
        } else {
            TokenSource::Application
        };
        if mechanism == Mechanism::OAuthBearer && token_source == TokenSource::Oidc {
            // Token sources kafkars does not have: refused rather than replaced by another.
            if conf.int("sasl.oauthbearer.grant.type") != 0 {
                return Err(
                    "sasl.oauthbearer.grant.type=urn:ietf:params:oauth:grant-type:jwt-bearer is not \
                            supported by kafkars yet: use client_credentials"
                        .into(),
                );
            }
            if conf.int("sasl.oauthbearer.metadata.authentication.type") != 0 {
                return Err("sasl.oauthbearer.metadata.authentication.type (azure_imds, aws_iam) is not \
                            supported by kafkars yet"
                    .into());
            }
        }
        let tokens = Arc::new(Tokens::default());
        if mechanism == Mechanism::OAuthBearer && token_source == TokenSource::Unsecured {
            // Made at once, so the first connection does not wait for the main thread;
            // a bad sasl.oauthbearer.config is reported by its first refresh, as in
            // librdkafka (rd_kafka_new succeeds).
            let cfg = conf.string("sasl.oauthbearer.config").unwrap_or_default();
            if let Ok(t) = oauthbearer::unsecured_token(&cfg, crate::clock::wallclock_ms()) {
                let _ = tokens.set(t);
            }
        }
        let kinit = if mechanism == Mechanism::Gssapi { gssapi::kinit_command(conf)? } else { None };
        Ok(Some(Sasl {
            mechanism,
            name,
            creds: Mutex::new((user.unwrap_or_default(), pass.unwrap_or_default())),
            tokens,
            token_source,
            gss: gss.filter(|_| mechanism == Mechanism::Gssapi),
            service_name: conf.string("sasl.kerberos.service.name").unwrap_or_else(|| "kafka".into()),
            gss_ready: AtomicBool::new(kinit.is_none()),
        }))
    }

    /// OAUTHBEARER refreshes go to a SASL queue of their own: asked for with
    /// rd_kafka_conf_enable_sasl_queue, or for OIDC without a refresh callback.
    pub fn wants_callback_queue(&self, conf: &Conf) -> bool {
        self.mechanism == Mechanism::OAuthBearer
            && (conf.boolean("enable_sasl_queue") || self.token_source == TokenSource::Oidc)
    }

    /// rd_kafka_sasl_set_credentials: used from the next authentication on.
    pub fn set_credentials(&self, user: &str, pass: &str) {
        *self.creds.lock().unwrap_or_else(|e| e.into_inner()) = (user.to_string(), pass.to_string());
    }

    pub fn username(&self) -> String {
        self.creds.lock().unwrap_or_else(|e| e.into_inner()).0.clone()
    }

    /// Brokers may connect: GSSAPI once the first kinit command finished,
    /// OAUTHBEARER once there is a token (as librdkafka's providers' `ready`).
    pub fn ready(&self) -> bool {
        match self.mechanism {
            Mechanism::OAuthBearer => self.tokens.has_token(),
            _ => self.gss_ready.load(Ordering::Acquire),
        }
    }

    pub fn set_ready(&self) -> bool {
        !self.gss_ready.swap(true, Ordering::AcqRel)
    }

    /// Starts an exchange with the broker at `host`: its first message, or why it
    /// cannot start.
    pub fn start(&self, host: &str) -> Result<(Exchange, Vec<u8>), String> {
        let (user, pass) = self.creds.lock().unwrap_or_else(|e| e.into_inner()).clone();
        Ok(match self.mechanism {
            Mechanism::Gssapi => {
                let gss = self.gss.as_deref().ok_or("GSS-API library not loaded")?;
                let (x, first) = gssapi::Exchange::start(gss, &self.service_name, host)?;
                (Exchange::Gssapi(Box::new(x)), first)
            }
            Mechanism::Plain => {
                let mut m = Vec::with_capacity(user.len() + pass.len() + 2);
                m.push(0);
                m.extend_from_slice(user.as_bytes());
                m.push(0);
                m.extend_from_slice(pass.as_bytes());
                (Exchange::Plain, m)
            }
            Mechanism::ScramSha1 | Mechanism::ScramSha256 | Mechanism::ScramSha512 => {
                let hash = match self.mechanism {
                    Mechanism::ScramSha1 => Hash::Sha1,
                    Mechanism::ScramSha256 => Hash::Sha256,
                    _ => Hash::Sha512,
                };
                let mut s = Box::new(Scram::new(hash, user, pass));
                let first = s.first();
                (Exchange::Scram(s), first)
            }
            Mechanism::OAuthBearer => {
                let t = self.tokens.current()?;
                let first = oauthbearer::client_first(&t);
                (Exchange::OAuth(oauthbearer::Exchange::new(t.principal)), first)
            }
        })
    }
}

impl Exchange {
    /// The next message for the server's answer, None when authenticated.
    pub fn step(&mut self, input: &[u8]) -> Result<Option<Vec<u8>>, String> {
        match self {
            Exchange::Gssapi(g) => g.step(input),
            Exchange::Plain => Ok(None),
            Exchange::Scram(s) => s.step(input),
            Exchange::OAuth(o) => o.step(input),
        }
    }

    /// The exchange ends with our message (GSSAPI's answer to the security-layer
    /// offer): in the legacy framing the broker sends nothing after it.
    pub fn complete_when_sent(&self) -> bool {
        matches!(self, Exchange::Gssapi(g) if g.answered())
    }

    /// Who we authenticated as, for the log.
    pub fn principal(&self, sasl: &Sasl) -> String {
        match self {
            Exchange::OAuth(o) => o.principal.clone(),
            _ => sasl.username(),
        }
    }
}
