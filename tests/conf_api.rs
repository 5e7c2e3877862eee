//! Configuration through the C API: librdkafka's errors and the default topic conf.

use kafkars::capi::conf::*;
use std::ffi::{CStr, CString};

fn get(conf: *mut kafkars::capi::types::rd_kafka_conf_t, name: &str) -> Option<String> {
    let n = CString::new(name).unwrap();
    let mut buf = [0 as libc::c_char; 256];
    let mut size = buf.len();
    let r = unsafe { rd_kafka_conf_get(conf, n.as_ptr(), buf.as_mut_ptr(), &mut size) };
    (r == 0).then(|| unsafe { CStr::from_ptr(buf.as_ptr()) }.to_string_lossy().into_owned())
}

fn set(conf: *mut kafkars::capi::types::rd_kafka_conf_t, k: &str, v: &str) -> (i32, String) {
    let (k, v) = (CString::new(k).unwrap(), CString::new(v).unwrap());
    let mut errstr = [0 as libc::c_char; 512];
    let r = unsafe { rd_kafka_conf_set(conf, k.as_ptr(), v.as_ptr(), errstr.as_mut_ptr(), errstr.len()) };
    (r, unsafe { CStr::from_ptr(errstr.as_ptr()) }.to_string_lossy().into_owned())
}

#[test]
fn conf_set_errors_are_librdkafkas() {
    unsafe {
        let conf = rd_kafka_conf_new();
        assert_eq!(
            set(conf, "no.such.prop", "1"),
            (-2, "No such configuration property: \"no.such.prop\"".to_string())
        );
        let (r, msg) = set(conf, "linger.ms", "99999999");
        assert_eq!(r, -1);
        assert!(msg.contains("0 .. 900000") || msg.contains("0..900000"), "{msg}");
        let (r, msg) = set(conf, "compression.codec", "brotli");
        assert_eq!(r, -1);
        assert!(msg.contains("brotli"), "{msg}");
        assert_eq!(set(conf, "linger.ms", "7").0, 0);
        assert_eq!(get(conf, "linger.ms").as_deref(), Some("7"));
        rd_kafka_conf_destroy(conf);
    }
}

#[test]
fn default_topic_conf_is_owned_by_conf_and_editable() {
    unsafe {
        let conf = rd_kafka_conf_new();
        assert!(rd_kafka_conf_get_default_topic_conf(conf).is_null(), "none until a topic property is set");
        assert_eq!(set(conf, "acks", "1").0, 0);
        let t = rd_kafka_conf_get_default_topic_conf(conf);
        assert!(!t.is_null());
        let (k, v) = (CString::new("message.timeout.ms").unwrap(), CString::new("4321").unwrap());
        let mut errstr = [0 as libc::c_char; 256];
        assert_eq!(rd_kafka_topic_conf_set(t, k.as_ptr(), v.as_ptr(), errstr.as_mut_ptr(), errstr.len()), 0);
        // The edit is visible through the global conf, and survives a dup.
        assert_eq!(get(conf, "message.timeout.ms").as_deref(), Some("4321"));
        assert_eq!(get(conf, "acks").as_deref(), Some("1"));
        let dup = rd_kafka_conf_dup(conf);
        assert_eq!(get(dup, "message.timeout.ms").as_deref(), Some("4321"));
        rd_kafka_conf_destroy(dup);
        rd_kafka_conf_destroy(conf);
    }
}

/// Security settings that cannot work make rd_kafka_new fail with librdkafka's errstr
/// (the TLS and SASL suites in tests/security run the working ones against brokers).
#[test]
fn security_misconfigurations_fail_rd_kafka_new() {
    let cases: [(&[(&str, &str)], &str); 6] = [
        (
            &[
                ("security.protocol", "sasl_ssl"),
                ("sasl.mechanism", "OAUTHBEARER"),
                ("sasl.oauthbearer.method", "oidc"),
                ("sasl.oauthbearer.token.endpoint.url", "https://127.0.0.1:1/token"),
                ("sasl.oauthbearer.grant.type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
            ],
            "sasl.oauthbearer.grant.type=urn:ietf:params:oauth:grant-type:jwt-bearer is not supported",
        ),
        (
            &[("security.protocol", "ssl"), ("ssl.ca.location", "/nonexistent/ca.pem")],
            "ssl.ca.location failed: ",
        ),
        (
            &[("security.protocol", "sasl_plaintext"), ("sasl.mechanism", "PLAIN")],
            "sasl.username and sasl.password must be set",
        ),
        (
            &[("security.protocol", "sasl_ssl"), ("sasl.mechanism", "SCRAM-SHA-384")],
            "sasl.username and sasl.password must be set",
        ),
        (
            &[
                ("security.protocol", "sasl_plaintext"),
                ("sasl.mechanism", "NOPE"),
                ("sasl.username", "u"),
                ("sasl.password", "p"),
            ],
            "Unsupported SASL mechanism: NOPE",
        ),
        (
            &[
                ("security.protocol", "sasl_plaintext"),
                ("sasl.mechanism", "OAUTHBEARER"),
                ("sasl.oauthbearer.method", "oidc"),
            ],
            "`sasl.oauthbearer.token.endpoint.url` is mandatory when `sasl.oauthbearer.method=oidc` is set",
        ),
    ];
    for (props, want) in cases {
        unsafe {
            let conf = rd_kafka_conf_new();
            for (k, v) in props {
                assert_eq!(set(conf, k, v).0, 0, "{k}={v}");
            }
            let mut errstr = [0 as libc::c_char; 512];
            let rk = kafkars::capi::client::rd_kafka_new(0, conf, errstr.as_mut_ptr(), errstr.len());
            assert!(rk.is_null(), "{props:?} accepted");
            let msg = CStr::from_ptr(errstr.as_ptr()).to_string_lossy().into_owned();
            assert!(msg.starts_with(want), "{props:?}: {msg}");
            rd_kafka_conf_destroy(conf);
        }
    }
}
