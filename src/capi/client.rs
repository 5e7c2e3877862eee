//! rd_kafka_new and rd_kafka_destroy: a client handle's life. Creation sits above the
//! handle and the background queue because a background_event_cb starts that queue's
//! thread with the handle.

use super::background::background_queue;
use super::boundary::{into_c, obj_mut, tag, take};
use super::conf::{rd_kafka_conf_destroy, ConfHandle};
use super::handle::{print_log, Handle};
use super::types::*;
use super::util::{set_last_error, to_cstring, write_errstr};
use crate::client::Client;
use crate::conf::ClientType;
use crate::error::ErrorCode;
use crate::instance::Hooks;
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
    // The log hook needs the handle's address, known only after it is boxed.
    let rk_addr = Arc::new(AtomicUsize::new(0));
    let name_cell: Arc<std::sync::OnceLock<String>> = Arc::new(std::sync::OnceLock::new());
    let log: Option<crate::instance::LogFn> = if cbs.log_cb_null {
        None
    } else {
        let rk_addr = rk_addr.clone();
        let name_cell = name_cell.clone();
        let cb = cbs.log_cb;
        Some(Box::new(move |level: i32, fac: &str, msg: &str| match cb {
            Some(f) => {
                let fac = to_cstring(fac);
                let msg = to_cstring(msg);
                f(rk_addr.load(Ordering::Acquire) as *const rd_kafka_t, level, fac.as_ptr(), msg.as_ptr());
            }
            None => print_log(level, fac, name_cell.get().map_or("", |s| s.as_str()), msg),
        }))
    };
    let dr_enabled = cbs.dr_msg_cb.is_some() || cbs.dr_cb.is_some() || cbs.events & RD_KAFKA_EVENT_DR != 0;
    let hooks = Hooks {
        log,
        dr_enabled,
        rebalance_cb: cbs.rebalance_cb.is_some() || cbs.events & RD_KAFKA_EVENT_REBALANCE != 0,
        offset_commit_cb: cbs.offset_commit_cb.is_some() || cbs.events & RD_KAFKA_EVENT_OFFSET_COMMIT != 0,
        error_cb: cbs.error_cb.is_some() || cbs.events & RD_KAFKA_EVENT_ERROR != 0,
    };
    let client = match Client::new(kind, ch.conf.clone(), hooks) {
        Ok(c) => c,
        Err(e) => {
            write_errstr(errstr, errstr_size, &e);
            set_last_error(ErrorCode::_INVALID_ARG);
            return std::ptr::null_mut();
        }
    };
    let _ = name_cell.set(client.rk.name.clone());
    let h = Box::new(Handle {
        tag: tag::CLIENT,
        cname: to_cstring(&client.rk.name),
        client,
        cbs,
        topic_extras: ch.topic_extras,
        background: std::sync::OnceLock::new(),
    });
    let rk = into_c(h);
    rk_addr.store(rk as usize, Ordering::Release);
    if cbs.background_event_cb.is_some() {
        // As librdkafka: a background_event_cb starts the background thread with the handle.
        background_queue(rk);
    }
    if !conf.is_null() {
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
    let Some(h) = take::<Handle>(rk) else { return };
    h.client.shutdown();
    drop(h.client.rk.main_q.drain());
}

/// Like rd_kafka_destroy(); `flags` (RD_KAFKA_DESTROY_F_*) only affect consumers.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_destroy_flags(rk: *mut rd_kafka_t, flags: c_int) {
    let _ = flags;
    rd_kafka_destroy(rk)
}
