//! Certificates and keys given in memory (rd_kafka_conf_set_ssl_cert) and the
//! certificate verification callback: parsed and stored on the conf, as librdkafka
//! does; the TLS layer of the broker connection uses them.

use super::types::*;
use super::util::write_errstr;
use foreign_types::ForeignType;
use libc::{c_char, c_int, c_void, size_t};
use openssl::pkey::PKey;
use openssl::stack::Stack;
use openssl::x509::X509;
use openssl_sys as ffi;

pub const RD_KAFKA_CERT_PUBLIC_KEY: c_int = 0;
pub const RD_KAFKA_CERT_PRIVATE_KEY: c_int = 1;
pub const RD_KAFKA_CERT_CA: c_int = 2;
pub const RD_KAFKA_CERT_ENC_PKCS12: c_int = 0;
pub const RD_KAFKA_CERT_ENC_DER: c_int = 1;

const TYPE_NAMES: [&str; 3] = ["public-key", "private-key", "CA"];
const ENC_NAMES: [&str; 3] = ["PKCS#12", "DER", "PEM"];

/// What rd_kafka_conf_set_ssl_cert() was given, parsed.
pub(crate) type SslCerts = crate::security::MemCerts;

/// ssl.certificate.verify_cb's C signature.
pub type CertVerifyFn = unsafe extern "C" fn(
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
) -> c_int;

/// ssl.certificate.verify_cb as the TLS layer calls it, on the broker thread.
pub(crate) struct CVerifier {
    pub cb: CertVerifyFn,
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

/// Parses `buf` as a certificate or key of `ty` in encoding `enc` with OpenSSL's BIO
/// readers, the calls librdkafka makes, so that a bad input gets its error text;
/// `password` opens PKCS#12 bundles and encrypted PEM keys (ssl.key.password).
pub(crate) fn parse(
    certs: &mut SslCerts,
    ty: c_int,
    enc: c_int,
    buf: &[u8],
    password: &str,
) -> Result<(), String> {
    let (tname, ename) = (TYPE_NAMES[ty as usize], ENC_NAMES[enc as usize]);
    let pass = std::ffi::CString::new(password).unwrap_or_default();
    let pass_ptr = if password.is_empty() { std::ptr::null_mut() } else { pass.as_ptr() as *mut c_void };
    // SAFETY: the BIO reads `buf`, which outlives it; every object OpenSSL returns is
    // owned by a safe wrapper at once (from_ptr) or freed here.
    unsafe {
        ffi::ERR_clear_error();
        let bio = ffi::BIO_new_mem_buf(buf.as_ptr() as *const c_void, buf.len() as c_int);
        if bio.is_null() {
            return Err(format!("Failed to create BIO {tname} (encoding {ename}): out of memory"));
        }
        let res = read(certs, bio, ty, enc, pass_ptr);
        BIO_free(bio);
        res.map_err(|action| {
            let e = openssl::error::ErrorStack::get();
            format!(
                "Failed to {action} {tname} (encoding {ename}): {}",
                crate::security::tls::last_error_str(&e)
            )
        })
    }
}

/// libcrypto functions openssl-sys does not declare; not part of kafkars' header.
/// cbindgen:ignore
mod libcrypto {
    use libc::c_int;
    use openssl_sys as ffi;
    extern "C" {
        pub fn BIO_free(a: *mut ffi::BIO) -> c_int;
        pub fn d2i_PKCS12_bio(bp: *mut ffi::BIO, p12: *mut *mut ffi::PKCS12) -> *mut ffi::PKCS12;
        pub fn d2i_PrivateKey_bio(bp: *mut ffi::BIO, a: *mut *mut ffi::EVP_PKEY) -> *mut ffi::EVP_PKEY;
    }
}
use libcrypto::{d2i_PKCS12_bio, d2i_PrivateKey_bio, BIO_free};

/// The reading itself; Err is librdkafka's name for the step that failed.
unsafe fn read(
    certs: &mut SslCerts,
    bio: *mut ffi::BIO,
    ty: c_int,
    enc: c_int,
    pass: *mut c_void,
) -> Result<(), &'static str> {
    use std::ptr::null_mut;
    if enc == RD_KAFKA_CERT_ENC_PKCS12 {
        let p12 = d2i_PKCS12_bio(bio, null_mut());
        if p12.is_null() {
            return Err("read PKCS#12");
        }
        let (mut pkey, mut x509, mut ca) = (null_mut(), null_mut(), null_mut());
        let ok = ffi::PKCS12_parse(p12, pass as *const c_char, &mut pkey, &mut x509, &mut ca);
        ffi::PKCS12_free(p12);
        let pkey = (!pkey.is_null()).then(|| PKey::from_ptr(pkey));
        let x509 = (!x509.is_null()).then(|| X509::from_ptr(x509));
        let ca: Vec<X509> =
            if ca.is_null() { Vec::new() } else { Stack::<X509>::from_ptr(ca).into_iter().collect() };
        if ok != 1 {
            return Err("parse PKCS#12");
        }
        match ty {
            RD_KAFKA_CERT_PUBLIC_KEY => certs.cert = Some(x509.ok_or("retrieve public key")?),
            RD_KAFKA_CERT_PRIVATE_KEY => certs.key = Some(pkey.ok_or("retrieve private key")?),
            _ => {
                if ca.is_empty() {
                    return Err("retrieve at least one CA cert from PKCS#12");
                }
                certs.ca = ca;
            }
        }
        return Ok(());
    }
    let der = enc == RD_KAFKA_CERT_ENC_DER;
    match ty {
        RD_KAFKA_CERT_PRIVATE_KEY => {
            let k = if der {
                d2i_PrivateKey_bio(bio, null_mut())
            } else {
                ffi::PEM_read_bio_PrivateKey(bio, null_mut(), None, pass)
            };
            if k.is_null() {
                return Err(if der { "read DER / X.509 ASN.1 and convert to EVP_PKEY" } else { "read PEM" });
            }
            certs.key = Some(PKey::from_ptr(k));
        }
        _ if der => {
            let x = ffi::d2i_X509_bio(bio, null_mut());
            if x.is_null() {
                return Err("read DER / X.509 ASN.1");
            }
            let x = X509::from_ptr(x);
            if ty == RD_KAFKA_CERT_PUBLIC_KEY {
                certs.cert = Some(x);
            } else {
                certs.ca = vec![x];
            }
        }
        RD_KAFKA_CERT_PUBLIC_KEY => {
            let x = ffi::PEM_read_bio_X509(bio, null_mut(), None, pass);
            if x.is_null() {
                return Err("read PEM");
            }
            certs.cert = Some(X509::from_ptr(x));
        }
        _ => {
            // Every certificate of the PEM; the end of the buffer reads as an error.
            let mut list = Vec::new();
            loop {
                let x = ffi::PEM_read_bio_X509(bio, null_mut(), None, pass);
                if x.is_null() {
                    break;
                }
                list.push(X509::from_ptr(x));
            }
            if list.is_empty() {
                return Err("retrieve at least one CA cert from PEM");
            }
            ffi::ERR_clear_error();
            certs.ca = list;
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
