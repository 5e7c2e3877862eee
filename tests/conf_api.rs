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

/// Properties kafkars does not implement yet make rd_kafka_new fail with a clear reason
/// instead of silently producing with weaker guarantees.
#[test]
fn unimplemented_guarantees_are_refused_not_ignored() {
    for (k, v, want) in [("security.protocol", "ssl", "security.protocol=ssl")] {
        unsafe {
            let conf = rd_kafka_conf_new();
            assert_eq!(set(conf, k, v).0, 0);
            let mut errstr = [0 as libc::c_char; 512];
            let rk = kafkars::capi::client::rd_kafka_new(0, conf, errstr.as_mut_ptr(), errstr.len());
            assert!(rk.is_null(), "{k}={v} accepted");
            let msg = CStr::from_ptr(errstr.as_ptr()).to_string_lossy().into_owned();
            assert!(msg.contains(want) && msg.contains("not supported"), "{msg}");
            rd_kafka_conf_destroy(conf);
        }
    }
}
