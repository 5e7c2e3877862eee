//! Certificates and keys given in memory (rd_kafka_conf_set_ssl_cert) and the
//! certificate verification callback: parsed and stored on the conf, as librdkafka
//! does; the TLS layer of the broker connection uses them.

use super::types::*;
use super::util::write_errstr;
use libc::{c_char, c_int, c_void, size_t};
use openssl::pkcs12::Pkcs12;
use openssl::pkey::{PKey, Private};
use openssl::x509::X509;

pub const RD_KAFKA_CERT_PUBLIC_KEY: c_int = 0;
pub const RD_KAFKA_CERT_PRIVATE_KEY: c_int = 1;
pub const RD_KAFKA_CERT_ENC_PKCS12: c_int = 0;
pub const RD_KAFKA_CERT_ENC_DER: c_int = 1;

const TYPE_NAMES: [&str; 3] = ["public-key", "private-key", "CA"];
const ENC_NAMES: [&str; 3] = ["PKCS#12", "DER", "PEM"];

/// What rd_kafka_conf_set_ssl_cert() was given, parsed.
#[derive(Clone, Default)]
pub(crate) struct SslCerts {
    pub cert: Option<X509>,
    pub key: Option<PKey<Private>>,
    pub ca: Vec<X509>,
}

/// Parses `buf` as a certificate or key of `ty` in encoding `enc`; `password` opens
/// PKCS#12 bundles and encrypted PEM keys (ssl.key.password).
pub(crate) fn parse(
    certs: &mut SslCerts,
    ty: c_int,
    enc: c_int,
    buf: &[u8],
    password: &str,
) -> Result<(), String> {
    let (tname, ename) = (TYPE_NAMES[ty as usize], ENC_NAMES[enc as usize]);
    let fail = |action: &str, e: openssl::error::ErrorStack| {
        let reason =
            e.errors().first().and_then(|x| x.reason().map(str::to_string)).unwrap_or_else(|| e.to_string());
        format!("Failed to {action} {tname} (encoding {ename}): {reason}")
    };
    let p12 = || {
        Pkcs12::from_der(buf)
            .map_err(|e| fail("read PKCS#12", e))?
            .parse2(password)
            .map_err(|e| fail("parse PKCS#12", e))
    };
    match (ty, enc) {
        (RD_KAFKA_CERT_PUBLIC_KEY, RD_KAFKA_CERT_ENC_PKCS12) => certs.cert = p12()?.cert,
        (RD_KAFKA_CERT_PUBLIC_KEY, RD_KAFKA_CERT_ENC_DER) => {
            certs.cert = Some(X509::from_der(buf).map_err(|e| fail("read DER / X.509 ASN.1", e))?)
        }
        (RD_KAFKA_CERT_PUBLIC_KEY, _) => {
            certs.cert = Some(X509::from_pem(buf).map_err(|e| fail("read PEM", e))?)
        }
        (RD_KAFKA_CERT_PRIVATE_KEY, RD_KAFKA_CERT_ENC_PKCS12) => certs.key = p12()?.pkey,
        (RD_KAFKA_CERT_PRIVATE_KEY, RD_KAFKA_CERT_ENC_DER) => {
            certs.key = Some(PKey::private_key_from_der(buf).map_err(|e| fail("read DER", e))?)
        }
        (RD_KAFKA_CERT_PRIVATE_KEY, _) => {
            let k = if password.is_empty() {
                PKey::private_key_from_pem(buf)
            } else {
                PKey::private_key_from_pem_passphrase(buf, password.as_bytes())
            };
            certs.key = Some(k.map_err(|e| fail("read PEM", e))?)
        }
        (_, RD_KAFKA_CERT_ENC_PKCS12) => {
            certs.ca = p12()?.ca.map(|s| s.into_iter().collect()).unwrap_or_default()
        }
        (_, RD_KAFKA_CERT_ENC_DER) => {
            certs.ca = vec![X509::from_der(buf).map_err(|e| fail("read DER / X.509 ASN.1", e))?]
        }
        _ => {
            let list = X509::stack_from_pem(buf).map_err(|e| fail("read PEM", e))?;
            if list.is_empty() {
                return Err(format!("Failed to read PEM {tname} (encoding {ename}): no certificates found"));
            }
            certs.ca = list
        }
    }
    Ok(())
}

/// Checks the encoding (the type was checked first), as librdkafka words it.
pub(crate) fn check_encoding(enc: c_int) -> Result<(), String> {
    if !(0..3).contains(&enc) {
        return Err(format!("Invalid certificate encoding {enc}"));
    }
    Ok(())
}

/// Clears (NULL `buf`) one kind of certificate.
pub(crate) fn clear(certs: &mut SslCerts, ty: c_int) {
    match ty {
        RD_KAFKA_CERT_PUBLIC_KEY => certs.cert = None,
        RD_KAFKA_CERT_PRIVATE_KEY => certs.key = None,
        _ => certs.ca.clear(),
    }
}

/// Writes `e` to errstr and answers RD_KAFKA_CONF_INVALID.
pub(crate) unsafe fn invalid(errstr: *mut c_char, size: size_t, e: &str) -> rd_kafka_conf_res_t {
    write_errstr(errstr, size, e);
    RD_KAFKA_CONF_INVALID
}

/// The bytes of a (buffer, size) pair given by the application.
pub(crate) unsafe fn bytes<'a>(buf: *const c_void, size: size_t) -> &'a [u8] {
    if size == 0 {
        &[]
    } else {
        std::slice::from_raw_parts(buf as *const u8, size)
    }
}
