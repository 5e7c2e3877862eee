//! The TLS context of one client, built at rd_kafka_new from librdkafka's `ssl.*`
//! properties, and the per-connection TLS session (SNI, hostname check). Errors
//! carry librdkafka's wording, with OpenSSL's reason appended.

use crate::conf::Conf;
use openssl::error::ErrorStack;
use openssl::pkcs12::Pkcs12;
use openssl::pkey::{PKey, Private};
use openssl::ssl::{Ssl, SslContext, SslContextBuilder, SslFiletype, SslMethod, SslMode, SslOptions};
use openssl::ssl::{SslRef, SslVerifyMode};
use openssl::x509::store::X509StoreBuilder;
use openssl::x509::verify::X509VerifyFlags;
use openssl::x509::{X509StoreContext, X509StoreContextRef, X509VerifyResult, X509};
use std::path::Path;
use std::sync::Arc;

/// Certificates and keys given in memory (rd_kafka_conf_set_ssl_cert).
#[derive(Clone, Default)]
pub struct MemCerts {
    pub cert: Option<X509>,
    pub key: Option<PKey<Private>>,
    pub ca: Vec<X509>,
}

/// The application's ssl.certificate.verify_cb: `Ok` accepts the certificate
/// (`x509_error` may be cleared), `Err(reason)` rejects it.
pub trait CertVerifier: Send + Sync {
    fn verify(
        &self,
        broker: &str,
        broker_id: i32,
        x509_error: &mut i32,
        depth: i32,
        der: &[u8],
    ) -> Result<(), String>;
}

/// Where librdkafka looks for the system's CA certificates with ssl.ca.location=probe.
const PROBE_PATHS: &[&str] = &[
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/ssl/certs/ca-bundle.crt",
    "/etc/pki/tls/certs/ca-bundle.trust.crt",
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
    "/etc/ssl/ca-bundle.pem",
    "/etc/pki/tls/cacert.pem",
    "/etc/ssl/cert.pem",
    "/etc/ssl/cacert.pem",
    "/etc/certs/ca-certificates.crt",
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/ssl/certs",
    "/usr/local/etc/ssl/cert.pem",
    "/usr/local/etc/ssl/cacert.pem",
    "/usr/local/etc/ssl/certs/cert.pem",
    "/usr/local/etc/ssl/certs/cacert.pem",
    "/usr/local/share/certs/ca-root-nss.crt",
    "/etc/openssl/certs/ca-certificates.crt",
];

/// OpenSSL's reasons, oldest first, as librdkafka prints them ("error:0A000086:SSL
/// routines::certificate verify failed").
pub fn reason(e: &ErrorStack) -> String {
    match e.errors().last() {
        // OpenSSL 3's ERR_error_string_n layout, then the error's data.
        Some(last) => {
            let mut s = format!(
                "error:{:08X}:{}::{}",
                last.code(),
                last.library().unwrap_or(""),
                last.reason().unwrap_or("")
            );
            if let Some(d) = last.data().filter(|d| !d.is_empty()) {
                s = format!("{s}: {d}");
            }
            s
        }
        None => "kafka: No further error information available".to_string(),
    }
}

/// An OpenSSL error as librdkafka's rd_kafka_ssl_last_error_str writes it:
/// "code:library:function:file:line: reason" (the error's data when it has some).
pub fn last_error_str(e: &ErrorStack) -> String {
    let Some(l) = e.errors().last() else { return String::new() };
    let what = l.data().filter(|d| !d.is_empty()).or(l.reason()).unwrap_or("");
    format!(
        "{}:{}:{}:{}:{}: {what}",
        l.code(),
        l.library().unwrap_or(""),
        l.function().unwrap_or(""),
        l.file(),
        l.line()
    )
}

fn fail(prefix: &str) -> impl Fn(ErrorStack) -> String + '_ {
    move |e| format!("{prefix}{}", reason(&e))
}

/// A client's TLS settings, ready to open sessions.
pub struct TlsContext {
    ctx: SslContext,
    verify: bool,
    check_host: bool,
}

impl TlsContext {
    /// Builds the context as librdkafka's rd_kafka_ssl_ctx_init does; the error is
    /// rd_kafka_new's errstr.
    pub fn new(
        conf: &Conf,
        mem: &MemCerts,
        verifier: Option<Arc<dyn CertVerifier>>,
    ) -> Result<TlsContext, String> {
        let mut b =
            SslContextBuilder::new(SslMethod::tls_client()).map_err(fail("SSL_CTX_new() failed: "))?;
        b.set_options(SslOptions::NO_SSLV3 | SslOptions::IGNORE_UNEXPECTED_EOF);
        // Partial writes from a buffer that may move between retries (the output buffer grows).
        b.set_mode(SslMode::ENABLE_PARTIAL_WRITE | SslMode::ACCEPT_MOVING_WRITE_BUFFER);
        if let Some(c) = conf.string("ssl.cipher.suites") {
            b.set_cipher_list(&c).map_err(fail("ssl.cipher.suites failed: "))?;
        }
        let verify = conf.boolean("enable.ssl.certificate.verification");
        if let Some(c) = conf.string("ssl.curves.list") {
            b.set_groups_list(&c).map_err(fail("ssl.curves.list failed: "))?;
        }
        if let Some(c) = conf.string("ssl.sigalgs.list") {
            b.set_sigalgs_list(&c).map_err(fail("ssl.sigalgs.list failed: "))?;
        }
        load_ca(&mut b, conf, mem)?;
        load_client_cert(&mut b, conf, mem)?;
        let mode = if verify { SslVerifyMode::PEER } else { SslVerifyMode::NONE };
        match verifier {
            Some(v) => b.set_verify_callback(mode, move |ok, x| app_verify(&*v, ok, x)),
            None => b.set_verify(mode),
        }
        let check_host = conf.string("ssl.endpoint.identification.algorithm").is_none_or(|a| a == "https");
        Ok(TlsContext { ctx: b.build(), verify, check_host })
    }

    /// A session for a connection to `host` (the broker's advertised name): SNI for
    /// names (not addresses), the hostname check unless identification is `none`.
    pub fn session(&self, host: &str, nodename: &str, broker_id: i32) -> Result<Ssl, String> {
        let mut ssl = Ssl::new(&self.ctx).map_err(|e| reason(&e))?;
        let name = host.strip_suffix('.').filter(|h| !h.is_empty()).unwrap_or(host);
        let is_addr = name.parse::<std::net::IpAddr>().is_ok()
            || name.trim_start_matches('[').trim_end_matches(']').parse::<std::net::Ipv6Addr>().is_ok();
        if !is_addr {
            ssl.set_hostname(name).map_err(|e| reason(&e))?;
        }
        if self.verify && self.check_host {
            // As OpenSSL's SSL_set1_host: an address is matched against IP SANs.
            let bare = name.trim_start_matches('[').trim_end_matches(']');
            match bare.parse::<std::net::IpAddr>() {
                Ok(ip) => ssl.param_mut().set_ip(ip),
                Err(_) => ssl.param_mut().set_host(bare),
            }
            .map_err(|e| reason(&e))?;
        }
        let info =
            SessionInfo { nodename: nodename.to_string(), id: broker_id, rejection: Default::default() };
        ssl.set_ex_data(info_index(), info);
        Ok(ssl)
    }

    /// After the handshake: librdkafka's post-handshake verification text, if any.
    pub fn check_peer(&self, ssl: &SslRef) -> Result<(), String> {
        if !self.verify {
            return Ok(());
        }
        if ssl.peer_certificate().is_none() {
            return Err("Broker did not provide a certificate".into());
        }
        match ssl.verify_result() {
            X509VerifyResult::OK => Ok(()),
            r => Err(format!("Failed to verify broker certificate: {}", r.error_string())),
        }
    }
}

/// What the application's verify callback is told about a session's broker, and
/// what it said when it refused a certificate.
struct SessionInfo {
    /// "host:port", as librdkafka passes the broker's node name.
    nodename: String,
    id: i32,
    rejection: std::sync::Mutex<Option<String>>,
}

fn info_index() -> openssl::ex_data::Index<Ssl, SessionInfo> {
    static IDX: std::sync::OnceLock<openssl::ex_data::Index<Ssl, SessionInfo>> = std::sync::OnceLock::new();
    *IDX.get_or_init(|| Ssl::new_ex_index().expect("OpenSSL ex_data index"))
}

/// The application's reason for refusing the broker's certificate, if it did.
pub fn rejection(ssl: &SslRef) -> Option<String> {
    ssl.ex_data(info_index()).and_then(|i| i.rejection.lock().ok().and_then(|mut r| r.take()))
}

/// A name as OpenSSL's X509_NAME_oneline writes it: "/O=org/CN=name".
fn oneline(name: &openssl::x509::X509NameRef) -> String {
    name.entries()
        .map(|e| {
            let key = e.object().nid().short_name().unwrap_or("?");
            let val = e.data().to_string().unwrap_or_default();
            format!("/{key}={val}")
        })
        .collect()
}

/// ssl.certificate.verify_cb, called per certificate of the chain.
fn app_verify(v: &dyn CertVerifier, _ok: bool, x: &mut X509StoreContextRef) -> bool {
    let Some(der) = x.current_cert().and_then(|c| c.to_der().ok()) else { return false };
    let depth = x.error_depth() as i32;
    let orig = x.error().as_raw();
    let mut err = orig;
    let info =
        X509StoreContext::ssl_idx().ok().and_then(|i| x.ex_data(i)).and_then(|s| s.ex_data(info_index()));
    let (name, id) = info.map_or((String::new(), -1), |i| (i.nodename.clone(), i.id));
    match v.verify(&name, id, &mut err, depth, &der) {
        Ok(()) => {
            if orig != 0 && err == 0 {
                x.set_error(X509VerifyResult::OK);
            }
            true
        }
        Err(reason) => {
            if let (Some(info), Some(cert)) = (info, x.current_cert()) {
                let text = format!(
                    "Certificate (subject={}, issuer={}) verification callback failed: {reason}",
                    oneline(cert.subject_name()),
                    oneline(cert.issuer_name())
                );
                if let Ok(mut r) = info.rejection.lock() {
                    *r = Some(text);
                }
            }
            // The openssl crate sets only the codes it names, not the callback's own: an error
            // OpenSSL found stays, a rejection of a good chain is an application one.
            if orig == 0 || err != orig {
                x.set_error(X509VerifyResult::APPLICATION_VERIFICATION);
            }
            false
        }
    }
}

fn load_ca(b: &mut SslContextBuilder, conf: &Conf, mem: &MemCerts) -> Result<(), String> {
    if !mem.ca.is_empty() {
        let mut store = X509StoreBuilder::new().map_err(|e| reason(&e))?;
        for c in &mem.ca {
            store.add_cert(c.clone()).map_err(fail("ssl_ca failed: "))?;
        }
        b.set_cert_store(store.build());
    } else {
        let loc = conf.string("ssl.ca.location");
        let pem = conf.string("ssl.ca.pem");
        match loc.as_deref() {
            Some("probe") if !probe_ca(b) => {
                let _ = b.set_default_verify_paths();
            }
            Some("probe") => {}
            Some(path) => {
                let p = Path::new(path);
                let r = if p.is_dir() {
                    b.load_verify_locations(None, Some(p))
                } else {
                    b.load_verify_locations(Some(p), None)
                };
                r.map_err(fail("ssl.ca.location failed: "))?;
            }
            None if pem.is_none() => {
                let _ = b.set_default_verify_paths();
            }
            None => {}
        }
        if let Some(pem) = pem {
            let certs = X509::stack_from_pem(pem.as_bytes()).unwrap_or_default();
            if certs.is_empty() {
                return Err("failed to read certificate #0 from ssl.ca.pem: not in PEM format?: "
                    .to_string()
                    + &reason(&ErrorStack::get()));
            }
            for (i, c) in certs.into_iter().enumerate() {
                b.cert_store_mut().add_cert(c).map_err(|e| {
                    format!("failed to add ssl.ca.pem certificate #{i} to CA cert store: {}", reason(&e))
                })?;
            }
        }
    }
    if let Some(crl) = conf.string("ssl.crl.location") {
        b.load_verify_locations(Some(Path::new(&crl)), None).map_err(fail("ssl.crl.location failed: "))?;
        b.cert_store_mut().set_flags(X509VerifyFlags::CRL_CHECK).map_err(|e| reason(&e))?;
    }
    Ok(())
}

/// The first of librdkafka's probe paths that exists (and is not an empty directory).
fn probe_ca(b: &mut SslContextBuilder) -> bool {
    for path in PROBE_PATHS {
        let p = Path::new(path);
        let Ok(meta) = p.metadata() else { continue };
        if meta.is_dir() && p.read_dir().map_or(true, |mut d| d.next().is_none()) {
            continue;
        }
        let r = if meta.is_dir() {
            b.load_verify_locations(None, Some(p))
        } else {
            b.load_verify_locations(Some(p), None)
        };
        if r.is_ok() {
            return true;
        }
    }
    false
}

fn load_client_cert(b: &mut SslContextBuilder, conf: &Conf, mem: &MemCerts) -> Result<(), String> {
    let password = conf.string("ssl.key.password").unwrap_or_default();
    let mut check_key = false;
    if let Some(c) = &mem.cert {
        b.set_certificate(c).map_err(fail("ssl_cert failed: "))?;
    }
    if let Some(path) = conf.string("ssl.certificate.location") {
        b.set_certificate_chain_file(&path).map_err(fail("ssl.certificate.location failed: "))?;
    }
    if let Some(pem) = conf.string("ssl.certificate.pem") {
        let mut chain = X509::stack_from_pem(pem.as_bytes()).unwrap_or_default().into_iter();
        let Some(first) = chain.next() else {
            return Err(format!(
                "ssl.certificate.pem failed: not in PEM format?: {}",
                reason(&ErrorStack::get())
            ));
        };
        b.set_certificate(&first).map_err(fail("ssl.certificate.pem failed: setting main certificate: "))?;
        for c in chain {
            b.add_extra_chain_cert(c)
                .map_err(fail("ssl.certificate.pem failed: setting certificate chain: "))?;
        }
    }
    if let Some(k) = &mem.key {
        b.set_private_key(k).map_err(fail("ssl_key (in-memory) failed: "))?;
        check_key = true;
    }
    if let Some(path) = conf.string("ssl.key.location") {
        if password.is_empty() {
            b.set_private_key_file(&path, SslFiletype::PEM).map_err(fail("ssl.key.location failed: "))?;
        } else {
            let bytes = std::fs::read(&path).map_err(|e| format!("ssl.key.location failed: {path}: {e}"))?;
            let k = PKey::private_key_from_pem_passphrase(&bytes, password.as_bytes())
                .map_err(fail("ssl.key.location failed: "))?;
            b.set_private_key(&k).map_err(fail("ssl.key.location failed: "))?;
        }
        check_key = true;
    }
    if let Some(pem) = conf.string("ssl.key.pem") {
        let k = if password.is_empty() {
            PKey::private_key_from_pem(pem.as_bytes())
        } else {
            PKey::private_key_from_pem_passphrase(pem.as_bytes(), password.as_bytes())
        }
        .map_err(fail("ssl.key.pem failed: not in PEM format?: "))?;
        b.set_private_key(&k).map_err(fail("ssl.key.pem failed: "))?;
        check_key = true;
    }
    if let Some(path) = conf.string("ssl.keystore.location") {
        let bytes = std::fs::read(&path).map_err(|e| {
            format!("Failed to open ssl.keystore.location: {path}: {}", crate::error::os_error_text(&e))
        })?;
        let p12 = Pkcs12::from_der(&bytes).map_err(|e| {
            format!("Error reading ssl.keystore.location PKCS#12 file: {path}: {}", reason(&e))
        })?;
        let pass = conf.string("ssl.keystore.password").unwrap_or_default();
        let parsed = p12.parse2(&pass).map_err(|e| {
            format!("Failed to parse ssl.keystore.location PKCS#12 file: {path}: {}", reason(&e))
        })?;
        let use_fail = fail("Failed to use ssl.keystore.location: ");
        if let Some(c) = &parsed.cert {
            b.set_certificate(c).map_err(&use_fail)?;
        }
        if let Some(k) = &parsed.pkey {
            b.set_private_key(k).map_err(&use_fail)?;
        }
        for c in parsed.ca.into_iter().flatten() {
            b.add_extra_chain_cert(c).map_err(&use_fail)?;
        }
        check_key = true;
    }
    if check_key {
        b.check_private_key().map_err(fail("Private key check failed: "))?;
    }
    Ok(())
}
