//! SASL GSSAPI (Kerberos, RFC 4752) as Kafka speaks it: GSS-API context tokens until
//! the context is established, then the server's security-layer offer, unwrapped,
//! answered with "no security layer". The GSS-API itself is MIT's library, reached
//! through the `GssApi` trait (the C layer loads it); the ticket comes from
//! `sasl.kerberos.kinit.cmd`, run as librdkafka runs it.

use crate::conf::Conf;

/// One GSS-API security context being established with a broker.
pub trait GssContext: Send {
    /// Feeds the server's token (empty at first): our next token, and whether the
    /// context is established.
    fn step(&mut self, input: &[u8]) -> Result<(Vec<u8>, bool), String>;
    fn unwrap(&mut self, input: &[u8]) -> Result<Vec<u8>, String>;
    fn wrap(&mut self, input: &[u8]) -> Result<Vec<u8>, String>;
}

/// The GSS-API library.
pub trait GssApi: Send + Sync {
    /// A context for the host-based service `service@host` (kafka@broker-host).
    fn context(&self, service: &str, host: &str) -> Result<Box<dyn GssContext>, String>;
}

enum Phase {
    Establishing,
    /// The context is up; the server's security-layer offer comes next.
    Negotiating,
    /// Our answer was sent; the server's (empty) reply ends the exchange.
    Answered,
}

pub struct Exchange {
    ctx: Box<dyn GssContext>,
    phase: Phase,
}

impl Exchange {
    pub fn start(gss: &dyn GssApi, service: &str, host: &str) -> Result<(Exchange, Vec<u8>), String> {
        // Worded as librdkafka's Cyrus SASL GSSAPI reports a failed start.
        let cyrus = |e: String| format!("SASL handshake failed (start (-1)): SASL(-1): generic failure: {e}");
        let mut ctx = gss.context(service, host).map_err(cyrus)?;
        let (first, done) = ctx.step(&[]).map_err(cyrus)?;
        let phase = if done { Phase::Negotiating } else { Phase::Establishing };
        Ok((Exchange { ctx, phase }, first))
    }

    pub fn answered(&self) -> bool {
        matches!(self.phase, Phase::Answered)
    }

    pub fn step(&mut self, input: &[u8]) -> Result<Option<Vec<u8>>, String> {
        self.step0(input)
            .map_err(|e| format!("SASL handshake failed (step (-1)): SASL(-1): generic failure: {e}"))
    }

    fn step0(&mut self, input: &[u8]) -> Result<Option<Vec<u8>>, String> {
        match self.phase {
            Phase::Establishing => {
                let (out, done) = self.ctx.step(input)?;
                if done {
                    self.phase = Phase::Negotiating;
                }
                Ok(Some(out))
            }
            Phase::Negotiating => {
                let offer = self.ctx.unwrap(input)?;
                if offer.len() != 4 {
                    return Err(format!(
                        "GSSAPI: security layer offer of {} bytes (expected 4)",
                        offer.len()
                    ));
                }
                if offer[0] & 1 == 0 {
                    return Err("GSSAPI: broker requires a security layer (only 'none' is supported)".into());
                }
                self.phase = Phase::Answered;
                // Layer 1 (none), no maximum message size, no authorization id.
                Ok(Some(self.ctx.wrap(&[1, 0, 0, 0])?))
            }
            Phase::Answered => Ok(None),
        }
    }
}

/// sasl.kerberos.kinit.cmd with every %{property} replaced by its value, as
/// librdkafka renders it.
pub fn kinit_command(conf: &Conf) -> Result<Option<String>, String> {
    let Some(tpl) = conf.string("sasl.kerberos.kinit.cmd").filter(|c| !c.is_empty()) else { return Ok(None) };
    if conf.int("sasl.kerberos.min.time.before.relogin") == 0 {
        return Ok(None);
    }
    let mut out = String::new();
    let mut rest = tpl.as_str();
    while let Some(i) = rest.find("%{") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        let Some(end) = after.find('}') else {
            let at: String = rest[i..].chars().take(15).collect();
            let pos = tpl.len() - rest.len() + i;
            return Err(format!(
                "Invalid sasl.kerberos.kinit.cmd value: Missing close-brace }} for {at} at {pos}"
            ));
        };
        let name = &after[..end];
        let Ok(value) = conf.get(name) else {
            return Err(format!("Invalid sasl.kerberos.kinit.cmd value: Property not available: \"{name}\""));
        };
        out.push_str(&value);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(Some(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scripted GSS-API: two context tokens, then wrap/unwrap as identity.
    struct Fake(u32);
    impl GssContext for Fake {
        fn step(&mut self, input: &[u8]) -> Result<(Vec<u8>, bool), String> {
            self.0 += 1;
            Ok((
                if self.0 == 1 {
                    b"ap-req".to_vec()
                } else {
                    assert_eq!(input, b"ap-rep");
                    vec![]
                },
                self.0 == 2,
            ))
        }
        fn unwrap(&mut self, input: &[u8]) -> Result<Vec<u8>, String> {
            Ok(input.to_vec())
        }
        fn wrap(&mut self, input: &[u8]) -> Result<Vec<u8>, String> {
            Ok(input.to_vec())
        }
    }
    struct Lib;
    impl GssApi for Lib {
        fn context(&self, service: &str, host: &str) -> Result<Box<dyn GssContext>, String> {
            assert_eq!((service, host), ("kafka", "localhost"));
            Ok(Box::new(Fake(0)))
        }
    }

    #[test]
    fn rfc4752_exchange() {
        let (mut x, first) = Exchange::start(&Lib, "kafka", "localhost").unwrap();
        assert_eq!(first, b"ap-req");
        assert_eq!(x.step(b"ap-rep").unwrap(), Some(vec![]));
        assert_eq!(x.step(&[1, 0, 16, 0]).unwrap(), Some(vec![1, 0, 0, 0]));
        assert_eq!(x.step(b"").unwrap(), None);
        let (mut x, _) = Exchange::start(&Lib, "kafka", "localhost").unwrap();
        x.step(b"ap-rep").unwrap();
        assert!(x.step(&[4, 0, 0, 0]).unwrap_err().contains("security layer"));
    }

    #[test]
    fn kinit_rendering() {
        let mut c = Conf::new();
        c.set("sasl.kerberos.keytab", "/k.tab").unwrap();
        c.set("sasl.kerberos.principal", "client@R").unwrap();
        let cmd = kinit_command(&c).unwrap().unwrap();
        assert_eq!(cmd, r#"kinit -R -t "/k.tab" -k client@R || kinit -t "/k.tab" -k client@R"#);
        c.set("sasl.kerberos.kinit.cmd", "kinit %{nope}").unwrap();
        assert_eq!(
            kinit_command(&c).unwrap_err(),
            "Invalid sasl.kerberos.kinit.cmd value: Property not available: \"nope\""
        );
        c.set("sasl.kerberos.min.time.before.relogin", "0").unwrap();
        assert_eq!(kinit_command(&c).unwrap(), None);
    }
}
