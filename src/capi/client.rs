//! rd_kafka_new and rd_kafka_destroy: a client handle's life. Creation sits above the
//! handle and the background queue because a background_event_cb starts that queue's
//! thread with the handle.

use super::background::background_queue;
use super::boundary::{into_c, obj, obj_mut, tag, take};
use super::chains::run_conf_set;
use super::conf::{rd_kafka_conf_destroy, ConfHandle};
use super::handle::{print_log, rd_kafka_type, transient_add, transient_remove, Handle, LogCbFn, NO_LOGGER};
use super::interceptor::run_on_new;
use super::sockets::CSockets;
use super::types::*;
use super::util::{set_last_error, to_cstring, write_errstr};
use crate::client::Client;
use crate::conf::ClientType;
use crate::error::ErrorCode;
use crate::instance::handle_name;
use crate::instance::{Hooks, Interceptors, SocketHooks};
use kafkars_macros::ffi_fn;
use libc::{c_char, c_int, size_t};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// Creates a producer or consumer handle. On success takes ownership of `conf`; on
/// failure returns NULL with the reason in `errstr` and leaves `conf` to the caller.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_new(
    type_: rd_kafka_type_t,
    conf: *mut rd_kafka_conf_t,
    errstr: *mut c_char,
    errstr_size: size_t,
) -> *mut rd_kafka_t {
    let kind = match type_ {
        RD_KAFKA_PRODUCER => ClientType::Producer,
        RD_KAFKA_CONSUMER => ClientType::Consumer,
        _ => {
            write_errstr(errstr, errstr_size, "Invalid client type");
            set_last_error(ErrorCode::_INVALID_ARG);
            return std::ptr::null_mut();
        }
    };
    let mut ch: ConfHandle = match obj_mut::<ConfHandle>(conf) {
        Some(c) => {
            c.sync_in();
            let mut d = c.clone();
            d.tconf_view = None;
            d
        }
        None if conf.is_null() => ConfHandle::new(),
        None => {
            write_errstr(errstr, errstr_size, "Invalid configuration object (not an rd_kafka_conf_t)");
            set_last_error(ErrorCode::_INVALID_ARG);
            return std::ptr::null_mut();
        }
    };
    let sw_version_set = ch.conf.is_set("client.software.version");
    if let Err(e) = ch.conf.finalize(kind, crate::instance::SW_VERSION) {
        write_errstr(errstr, errstr_size, &e);
        set_last_error(ErrorCode::_INVALID_ARG);
        return std::ptr::null_mut();
    }
    let mut tconf = ch.conf.default_topic_conf().clone();
    if let Err(e) = tconf.finalize(kind, &ch.conf) {
        write_errstr(errstr, errstr_size, &e);
        set_last_error(ErrorCode::_INVALID_ARG);
        return std::ptr::null_mut();
    }
    ch.conf.set_default_topic_conf(tconf);
    let cbs = ch.cbs;
    // The handle's address is known before it exists, as in librdkafka: on_new
    // interceptors and the log hook get it.
    let mut slot: Box<std::mem::MaybeUninit<Handle>> = Box::new_uninit();
    // Not a live handle yet: its tag word says so to anything handed `rk` early.
    (slot.as_mut_ptr() as *mut u64).write(0);
    let rk = slot.as_ptr() as *mut rd_kafka_t;
    if !sw_version_set && !conf.is_null() && !ch.icpt.on_conf_set.is_empty() {
        // librdkafka sets client.software.version on the application's conf itself,
        // through the interceptors.
        let v = ch.conf.string("client.software.version");
        for _ in 0..2 {
            run_conf_set(
                &ch.icpt.on_conf_set,
                conf,
                "client.software.version",
                v.as_deref(),
                std::ptr::null_mut(),
                0,
            );
        }
    }
    let conf_copy = Box::new(ch.clone());
    transient_add(rk, type_, cbs.opaque, std::ptr::null());
    let (icpt, icpt_failures) = run_on_new(rk, &conf_copy);
    // Named after on_new and before the threads start, as in librdkafka: callbacks on
    // them (a certificate check) may ask rd_kafka_name() before the handle goes live.
    // The CString's buffer does not move when the string moves into the handle.
    let name = handle_name(kind, &ch.conf);
    let cname = to_cstring(&name);
    transient_remove(rk);
    transient_add(rk, type_, cbs.opaque, cname.as_ptr());
    let logger = Arc::new(AtomicUsize::new(match (cbs.log_cb, cbs.log_cb_null) {
        (Some(f), _) => f as usize,
        (None, true) => NO_LOGGER,
        (None, false) => 0,
    }));
    let log: crate::instance::LogFn = {
        let (logger, name) = (logger.clone(), name.clone());
        let rk_addr = rk as usize;
        Box::new(move |level: i32, fac: &str, msg: &str| match logger.load(Ordering::Acquire) {
            NO_LOGGER => {}
            0 => print_log(level, fac, &name, msg),
            f => {
                // SAFETY: stored from a rd_kafka_log_cb_t (log_cb or rd_kafka_set_logger).
                let f = std::mem::transmute::<usize, LogCbFn>(f);
                let (fac, msg) = (to_cstring(fac), to_cstring(msg));
                f(rk_addr as *const rd_kafka_t, level, fac.as_ptr(), msg.as_ptr());
            }
        })
    };
    let dr_enabled = cbs.dr_msg_cb.is_some() || cbs.dr_cb.is_some() || cbs.events & RD_KAFKA_EVENT_DR != 0;
    let hooks = Hooks {
        log: Some(log),
        dr_enabled,
        rebalance_cb: cbs.rebalance_cb.is_some() || cbs.events & RD_KAFKA_EVENT_REBALANCE != 0,
        offset_commit_cb: cbs.offset_commit_cb.is_some() || cbs.events & RD_KAFKA_EVENT_OFFSET_COMMIT != 0,
        error_cb: cbs.error_cb.is_some() || cbs.events & RD_KAFKA_EVENT_ERROR != 0,
        icpt: icpt.clone().map(|i| i as Arc<dyn Interceptors>),
        sockets: CSockets::of(&cbs).map(|s| Arc::new(s) as Arc<dyn SocketHooks>),
        ssl_certs: ch.ssl_certs.clone(),
        // Loaded only for a client that uses it: elsewhere the library need not exist.
        gssapi: (ch.conf.string("sasl.mechanisms").as_deref().unwrap_or("GSSAPI") == "GSSAPI"
            && ch.conf.string("security.protocol").is_some_and(|p| p.starts_with("sasl_")))
        .then(super::gssapi::load)
        .flatten(),
        cert_verifier: cbs.ssl_cert_verify_cb.map(|cb| {
            Arc::new(super::ssl::CVerifier { cb, rk: rk as usize, opaque: cbs.opaque })
                as Arc<dyn crate::security::CertVerifier>
        }),
        name: Some(name),
    };
    let client = match Client::new(kind, ch.conf.clone(), hooks) {
        Ok(c) => c,
        Err(e) => {
            if let Some(i) = &icpt {
                i.on_destroy();
            }
            transient_remove(rk);
            write_errstr(errstr, errstr_size, &e);
            set_last_error(ErrorCode::_INVALID_ARG);
            return std::ptr::null_mut();
        }
    };
    if let Some(i) = &icpt {
        let _ = i.inst.set(Arc::downgrade(&client.rk));
    }
    for f in icpt_failures {
        client.rk.log(4, "ICFAIL", &f);
    }
    let h = Box::write(
        slot,
        Handle {
            tag: tag::CLIENT,
            cname,
            client,
            cbs,
            topic_extras: ch.topic_extras,
            background: std::sync::OnceLock::new(),
            conf: conf_copy,
            icpt,
            logger,
            mock: std::sync::OnceLock::new(),
        },
    );
    let rk = into_c(h);
    transient_remove(rk);
    if cbs.background_event_cb.is_some() {
        // As librdkafka: a background_event_cb starts the background thread with the handle.
        background_queue(rk);
    }
    if let Some(c) = obj_mut::<ConfHandle>(conf) {
        // The application's conf is consumed without its on_conf_destroy interceptors:
        // they belong to the handle's copy now (librdkafka struct-copies the conf).
        c.icpt = Default::default();
        rd_kafka_conf_destroy(conf);
    }
    rk
}

/// Destroys the handle: stops all threads and frees everything it owns. Messages not
/// yet delivered are dropped (call rd_kafka_flush() first).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_destroy(rk: *mut rd_kafka_t) {
    // The tag is cleared first: threads still running (the background queue's) see a
    // dead handle and stop.
    let kind = rd_kafka_type(rk);
    let (opaque, cname) =
        obj::<Handle>(rk).map_or((0, std::ptr::null()), |h| (h.cbs.opaque, h.cname.as_ptr()));
    transient_add(rk, kind, opaque, cname);
    let Some(h) = take::<Handle>(rk) else {
        transient_remove(rk);
        return;
    };
    h.client.shutdown();
    drop(h.client.rk.main_q.drain());
    // The handle's configuration goes last, with its on_conf_destroy interceptors; the
    // name outlives the transient entry that points to it.
    let Handle { conf, cname, .. } = *h;
    conf.icpt.conf_destroyed();
    transient_remove(rk);
    drop(cname);
}

/// Like rd_kafka_destroy(); `flags` (RD_KAFKA_DESTROY_F_*) only affect consumers.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_destroy_flags(rk: *mut rd_kafka_t, flags: c_int) {
    let _ = flags;
    rd_kafka_destroy(rk)
}
