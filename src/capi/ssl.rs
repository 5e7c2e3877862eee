//! Certificates and keys given in memory (rd_kafka_conf_set_ssl_cert) and the
//! certificate verification callback: parsed and stored on the conf, as librdkafka
//! does; the TLS layer of the broker connection uses them.

use super::types::*;
use super::util::write_errstr;
use libc::{c_char, c_int, c_void, size_t};
use openssl::pkcs12::Pkcs12;
use openssl::pkey::PKey;
use openssl::x509::X509;

pub const RD_KAFKA_CERT_PUBLIC_KEY: c_int = 0;
pub const RD_KAFKA_CERT_PRIVATE_KEY: c_int = 1;
pub const RD_KAFKA_CERT_ENC_PKCS12: c_int = 0;
pub const RD_KAFKA_CERT_ENC_DER: c_int = 1;

const TYPE_NAMES: [&str; 3] = ["public-key", "private-key", "CA"];
const ENC_NAMES: [&str; 3] = ["PKCS#12", "DER", "PEM"];

/// What rd_kafka_conf_set_ssl_cert() was given, parsed.
pub(crate) type SslCerts = crate::security::MemCerts;

/// ssl.certificate.verify_cb as the TLS layer calls it, on the broker thread.
pub(crate) struct CVerifier {
    pub cb: unsafe extern "C" fn(
        *mut rd_kafka_t,
        *const c_char,
        i32,
        *mut c_int,
        c_int,
        *const c_char,
        size_t,
        *mut c_char,
        size_t,
        *mut c_void,
    ) -> c_int,
    pub rk: usize,
    pub opaque: usize,
}

impl crate::security::CertVerifier for CVerifier {
    fn verify(
        &self,
        broker: &str,
        broker_id: i32,
        x509_error: &mut i32,
        depth: i32,
        der: &[u8],
    ) -> Result<(), String> {
        let name = std::ffi::CString::new(broker).unwrap_or_default();
        let mut errstr = [0 as c_char; 512];
        let mut err: c_int = *x509_error;
        // SAFETY: the application's callback, with buffers that outlive the call.
        let ok = unsafe {
            (self.cb)(
                self.rk as *mut rd_kafka_t,
                name.as_ptr(),
                broker_id,
                &mut err,
                depth,
                der.as_ptr() as *const c_char,
                der.len(),
                errstr.as_mut_ptr(),
                errstr.len(),
                self.opaque as *mut c_void,
            )
        };
        *x509_error = err;
        if ok != 0 {
            return Ok(());
        }
        // SAFETY: NUL-terminated by us (the callback may leave it untouched).
        errstr[511] = 0;
        Err(unsafe { std::ffi::CStr::from_ptr(errstr.as_ptr()) }.to_string_lossy().into_owned())
    }
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
