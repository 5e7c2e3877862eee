//! rd_kafka_conf_* and rd_kafka_topic_conf_*.

use super::boundary::{destroy, handle_of_mut, into_c, obj_mut, tag, take};
use super::chains::{run_conf_set, ConfChains};
use super::plugin::{self, Plugin};
use super::ssl::{self, SslCerts};
use super::types::*;
use super::util::{cstr, malloc_cstr, write_errstr};
use crate::conf::{Conf, ConfRes, TopicConf};
use kafkars_macros::ffi_fn;
use libc::{c_char, c_int, c_void, size_t};
use std::sync::Arc;

pub type rd_kafka_dr_msg_cb_t =
    Option<unsafe extern "C" fn(*mut rd_kafka_t, *const rd_kafka_message_t, *mut c_void)>;
pub type rd_kafka_dr_cb_t = Option<
    unsafe extern "C" fn(*mut rd_kafka_t, *mut c_void, size_t, rd_kafka_resp_err_t, *mut c_void, *mut c_void),
>;
pub type rd_kafka_error_cb_t =
    Option<unsafe extern "C" fn(*mut rd_kafka_t, c_int, *const c_char, *mut c_void)>;
pub type rd_kafka_stats_cb_t =
    Option<unsafe extern "C" fn(*mut rd_kafka_t, *mut c_char, size_t, *mut c_void) -> c_int>;
pub type rd_kafka_throttle_cb_t =
    Option<unsafe extern "C" fn(*mut rd_kafka_t, *const c_char, i32, c_int, *mut c_void)>;
pub type rd_kafka_log_cb_t =
    Option<unsafe extern "C" fn(*const rd_kafka_t, c_int, *const c_char, *const c_char)>;
pub type rd_kafka_rebalance_cb_t = Option<
    unsafe extern "C" fn(
        *mut rd_kafka_t,
        rd_kafka_resp_err_t,
        *mut rd_kafka_topic_partition_list_t,
        *mut c_void,
    ),
>;
pub type rd_kafka_background_event_cb_t =
    Option<unsafe extern "C" fn(*mut rd_kafka_t, *mut rd_kafka_event_t, *mut c_void)>;
pub type rd_kafka_oauthbearer_token_refresh_cb_t =
    Option<unsafe extern "C" fn(*mut rd_kafka_t, *const c_char, *mut c_void)>;
pub type rd_kafka_offset_commit_cb_t = Option<
    unsafe extern "C" fn(
        *mut rd_kafka_t,
        rd_kafka_resp_err_t,
        *mut rd_kafka_topic_partition_list_t,
        *mut c_void,
    ),
>;
pub type rd_kafka_consume_cb_t = Option<unsafe extern "C" fn(*mut rd_kafka_message_t, *mut c_void)>;
pub type rd_kafka_socket_cb_t = Option<unsafe extern "C" fn(c_int, c_int, c_int, *mut c_void) -> c_int>;
pub type rd_kafka_connect_cb_t =
    Option<unsafe extern "C" fn(c_int, *const libc::sockaddr, c_int, *const c_char, *mut c_void) -> c_int>;
pub type rd_kafka_closesocket_cb_t = Option<unsafe extern "C" fn(c_int, *mut c_void) -> c_int>;
pub type rd_kafka_open_cb_t =
    Option<unsafe extern "C" fn(*const c_char, c_int, libc::mode_t, *mut c_void) -> c_int>;
pub type rd_kafka_resolve_cb_t = Option<
    unsafe extern "C" fn(
        *const c_char,
        *const c_char,
        *const libc::addrinfo,
        *mut *mut libc::addrinfo,
        *mut c_void,
    ) -> c_int,
>;
// Written out (not Option<ssl::CertVerifyFn>) so that cbindgen emits a function
// pointer typedef, as C callers passing a function need.
pub type rd_kafka_ssl_cert_verify_cb_t = Option<
    unsafe extern "C" fn(
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
>;
pub type rd_kafka_msg_order_cmp_t =
    Option<unsafe extern "C" fn(*const rd_kafka_message_t, *const rd_kafka_message_t) -> c_int>;
pub type rd_kafka_partitioner_cb_t = Option<
    unsafe extern "C" fn(
        *const rd_kafka_topic_t,
        *const c_void,
        size_t,
        i32,
        *mut c_void,
        *mut c_void,
    ) -> i32,
>;

/// Application callbacks and the opaque, held beside the property values.
#[derive(Clone, Copy, Default)]
pub(crate) struct Callbacks {
    pub dr_msg_cb: rd_kafka_dr_msg_cb_t,
    pub dr_cb: rd_kafka_dr_cb_t,
    pub error_cb: rd_kafka_error_cb_t,
    pub stats_cb: rd_kafka_stats_cb_t,
    pub throttle_cb: rd_kafka_throttle_cb_t,
    pub log_cb: rd_kafka_log_cb_t,
    pub rebalance_cb: rd_kafka_rebalance_cb_t,
    pub offset_commit_cb: rd_kafka_offset_commit_cb_t,
    pub opaque: usize,
    pub events: c_int,
    /// log_cb was explicitly set to NULL: no logging at all.
    pub log_cb_null: bool,
    pub background_event_cb: rd_kafka_background_event_cb_t,
    pub oauthbearer_token_refresh_cb: rd_kafka_oauthbearer_token_refresh_cb_t,
    pub sasl_queue: bool,
    pub consume_cb: rd_kafka_consume_cb_t,
    pub socket_cb: rd_kafka_socket_cb_t,
    pub connect_cb: rd_kafka_connect_cb_t,
    pub closesocket_cb: rd_kafka_closesocket_cb_t,
    pub open_cb: rd_kafka_open_cb_t,
    pub resolve_cb: rd_kafka_resolve_cb_t,
    pub ssl_cert_verify_cb: rd_kafka_ssl_cert_verify_cb_t,
    pub engine_callback_data: usize,
}

/// Topic-conf extras that are not string properties.
#[derive(Clone, Copy, Default)]
pub(crate) struct TopicExtras {
    pub partitioner: rd_kafka_partitioner_cb_t,
    pub opaque: usize,
    pub msg_order_cmp: rd_kafka_msg_order_cmp_t,
}

/// What `rd_kafka_conf_t *` points to.
#[derive(Clone)]
#[repr(C)]
pub(crate) struct ConfHandle {
    /// tag::CONF (must stay the first field).
    pub tag: u64,
    pub conf: Conf,
    pub cbs: Callbacks,
    pub topic_extras: TopicExtras,
    /// The object rd_kafka_conf_get_default_topic_conf() handed out: owned by the conf,
    /// and the application may still edit it, so it is folded back before every use.
    pub tconf_view: Option<Box<TopicConfHandle>>,
    /// Interceptors added to this conf, and the properties they took.
    pub icpt: ConfChains,
    /// Plugin libraries loaded for this conf (kept open while it lives).
    pub plugins: Vec<Arc<Plugin>>,
    /// Certificates and keys given with rd_kafka_conf_set_ssl_cert().
    pub ssl_certs: SslCerts,
}

impl ConfHandle {
    pub(crate) fn new() -> ConfHandle {
        ConfHandle {
            tag: tag::CONF,
            conf: Conf::new(),
            cbs: Callbacks::default(),
            topic_extras: TopicExtras::default(),
            tconf_view: None,
            icpt: ConfChains::default(),
            plugins: Vec::new(),
            ssl_certs: SslCerts::default(),
        }
    }

    /// Applies edits made through the handed-out default topic conf.
    pub(crate) fn sync_in(&mut self) {
        if let Some(v) = &self.tconf_view {
            self.conf.set_default_topic_conf(v.conf.clone());
            self.topic_extras = v.extras;
        }
    }

    /// Refreshes the handed-out default topic conf after the conf changed.
    fn sync_out(&mut self) {
        if let Some(v) = &mut self.tconf_view {
            v.conf = self.conf.default_topic_conf().clone();
            v.extras = self.topic_extras;
        }
    }
}

/// What `rd_kafka_topic_conf_t *` points to.
#[derive(Clone)]
#[repr(C)]
pub(crate) struct TopicConfHandle {
    /// tag::TOPIC_CONF (must stay the first field).
    pub tag: u64,
    pub conf: TopicConf,
    pub extras: TopicExtras,
}

tagged!(ConfHandle => rd_kafka_conf_t, tag::CONF);
tagged!(TopicConfHandle => rd_kafka_topic_conf_t, tag::TOPIC_CONF);

/// Creates a configuration object with librdkafka's defaults.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_conf_new() -> *mut rd_kafka_conf_t {
    into_c(Box::new(ConfHandle::new()))
}

/// Destroys a configuration object (its on_conf_destroy interceptors run first).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_conf_destroy(conf: *mut rd_kafka_conf_t) {
    if let Some(c) = take::<ConfHandle>(conf) {
        c.icpt.conf_destroyed();
    }
}

/// Duplicates a configuration object, callbacks included. Interceptors are not copied:
/// the source's on_conf_dup interceptors add themselves to the copy, and plugins are
/// loaded for it again, as librdkafka does.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_conf_dup(conf: *const rd_kafka_conf_t) -> *mut rd_kafka_conf_t {
    dup(conf, &[])
}

/// Duplicates a configuration object leaving out properties whose names start with one
/// of the `filter` prefixes.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_conf_dup_filter(
    conf: *const rd_kafka_conf_t,
    filter_cnt: size_t,
    filter: *const *const c_char,
) -> *mut rd_kafka_conf_t {
    let filter: &[*const c_char] = if filter.is_null() || filter_cnt == 0 {
        &[]
    } else {
        std::slice::from_raw_parts(filter, filter_cnt)
    };
    dup(conf, filter)
}

unsafe fn dup(conf: *const rd_kafka_conf_t, filter: &[*const c_char]) -> *mut rd_kafka_conf_t {
    let Some(src) = obj_mut::<ConfHandle>(conf as *mut rd_kafka_conf_t) else { return std::ptr::null_mut() };
    src.sync_in();
    let prefixes: Vec<String> = filter.iter().filter_map(|p| cstr(*p)).map(str::to_string).collect();
    let filtered = |k: &str| prefixes.iter().any(|p| k.starts_with(p.as_str()));
    let mut out = ConfHandle { cbs: src.cbs, topic_extras: src.topic_extras, ..ConfHandle::new() };
    out.ssl_certs = src.ssl_certs.clone();
    // The copy keeps the source's libraries open: interceptors it gets may live there.
    out.plugins = src.plugins.clone();
    let mut props = Vec::new();
    for (k, v) in src.conf.dump() {
        if filtered(&k) || !src.conf.is_set(&k) {
            continue;
        }
        if !prefixes.is_empty() {
            let _ = out.conf.set(&k, &v);
        }
        props.push((k, v));
    }
    if prefixes.is_empty() {
        out.conf = src.conf.clone();
    }
    if !src.plugins.is_empty() {
        // Set again below, as the plugins load for the copy.
        let _ = out.conf.set("plugin.library.paths", "");
    }
    let (dup_chain, config) = (src.icpt.on_conf_dup.clone(), src.icpt.config.clone());
    let outp = into_c(Box::new(out));
    if dup_chain.is_empty() && config.is_empty() && src.plugins.is_empty() {
        return outp;
    }
    // As librdkafka: on_conf_dup first, then every property is set again through the
    // copy's on_conf_set chain (reloading plugins), then what interceptors took.
    for m in &dup_chain {
        (m.f)(outp, conf, filter.len(), filter.as_ptr(), m.opaque);
    }
    for (k, v) in &props {
        let chain = obj_mut::<ConfHandle>(outp).map(|c| c.icpt.on_conf_set.clone()).unwrap_or_default();
        if !chain.is_empty() {
            run_conf_set(&chain, outp, k, Some(v), std::ptr::null_mut(), 0);
        }
        if k == "plugin.library.paths" {
            set_plugins(outp, v, std::ptr::null_mut(), 0);
        }
    }
    for (k, v) in config.iter().filter(|(k, _)| !filtered(k)) {
        set(outp, k, v.as_deref(), std::ptr::null_mut(), 0);
    }
    outp
}

/// Sets a configuration property. Returns RD_KAFKA_CONF_OK, or RD_KAFKA_CONF_UNKNOWN /
/// RD_KAFKA_CONF_INVALID with a human-readable reason in `errstr`. on_conf_set
/// interceptors see the property first; `plugin.library.paths` loads the plugins.
#[ffi_fn(default = RD_KAFKA_CONF_INVALID)]
pub unsafe extern "C" fn rd_kafka_conf_set(
    conf: *mut rd_kafka_conf_t,
    name: *const c_char,
    value: *const c_char,
    errstr: *mut c_char,
    errstr_size: size_t,
) -> rd_kafka_conf_res_t {
    if obj_mut::<ConfHandle>(conf).is_none() {
        write_errstr(errstr, errstr_size, "Invalid argument: conf is NULL");
        return RD_KAFKA_CONF_INVALID;
    }
    let Some(name) = cstr(name) else {
        write_errstr(errstr, errstr_size, "Invalid argument: property name is NULL");
        return RD_KAFKA_CONF_INVALID;
    };
    let value = if value.is_null() { None } else { cstr(value) };
    set(conf, name, value, errstr, errstr_size)
}

/// rd_kafka_conf_set() on a live conf. No borrow of it is held while interceptors or
/// plugins run: they use the conf themselves.
unsafe fn set(
    conf: *mut rd_kafka_conf_t,
    name: &str,
    value: Option<&str>,
    errstr: *mut c_char,
    errstr_size: size_t,
) -> rd_kafka_conf_res_t {
    let Some(chain) = obj_mut::<ConfHandle>(conf).map(|c| c.icpt.on_conf_set.clone()) else {
        return RD_KAFKA_CONF_INVALID;
    };
    if !chain.is_empty() {
        // librdkafka asks the interceptors with the name given, again with an alias's
        // target, and once more as it stores a global property under its own name.
        let ival = value.filter(|v| !v.is_empty());
        let mut names = vec![name];
        if let Some((canonical, alias_of)) = crate::conf::global_property(name) {
            names.extend(alias_of);
            names.push(canonical);
        }
        for n in names {
            let res = run_conf_set(&chain, conf, n, ival, errstr, errstr_size);
            if res == RD_KAFKA_CONF_OK {
                if let Some(c) = obj_mut::<ConfHandle>(conf) {
                    c.icpt.config.push((n.to_string(), ival.map(str::to_string)));
                }
            }
            if res != RD_KAFKA_CONF_UNKNOWN {
                return res;
            }
        }
    }
    if name == "plugin.library.paths" {
        return set_plugins(conf, value.unwrap_or(""), errstr, errstr_size);
    }
    let Some(c) = obj_mut::<ConfHandle>(conf) else { return RD_KAFKA_CONF_INVALID };
    c.sync_in();
    // A NULL value resets to the default, as librdkafka does.
    let res = c.conf.set(name, value.unwrap_or(""));
    c.sync_out();
    match res {
        Ok(()) => RD_KAFKA_CONF_OK,
        Err(e) => {
            write_errstr(errstr, errstr_size, &e.msg);
            conf_res(e.res)
        }
    }
}

/// plugin.library.paths: loads the plugins (their conf_init runs on `conf`), then
/// stores the value.
unsafe fn set_plugins(conf: *mut rd_kafka_conf_t, paths: &str, errstr: *mut c_char, size: size_t) -> c_int {
    // As librdkafka: setting the paths again loads (and initialises) them again.
    let new = match plugin::load(conf, paths) {
        Ok(p) => p,
        Err(e) => {
            write_errstr(errstr, size, &e);
            return RD_KAFKA_CONF_INVALID;
        }
    };
    let Some(c) = obj_mut::<ConfHandle>(conf) else { return RD_KAFKA_CONF_INVALID };
    c.plugins.extend(new);
    let _ = c.conf.set("plugin.library.paths", paths);
    RD_KAFKA_CONF_OK
}

fn conf_res(r: ConfRes) -> rd_kafka_conf_res_t {
    r as c_int
}

unsafe fn get_into(
    v: Result<String, crate::conf::ConfError>,
    dest: *mut c_char,
    dest_size: *mut size_t,
) -> rd_kafka_conf_res_t {
    match v {
        Err(e) => conf_res(e.res),
        Ok(s) => {
            if dest_size.is_null() {
                return RD_KAFKA_CONF_INVALID;
            }
            let need = s.len() + 1;
            if !dest.is_null() {
                if *dest_size < need {
                    *dest_size = need;
                    return RD_KAFKA_CONF_INVALID;
                }
                std::ptr::copy_nonoverlapping(s.as_ptr() as *const c_char, dest, s.len());
                *dest.add(s.len()) = 0;
            }
            *dest_size = need;
            RD_KAFKA_CONF_OK
        }
    }
}

/// Retrieves a property's value into `dest` (NULL `dest` asks for the size only).
#[ffi_fn(default = RD_KAFKA_CONF_INVALID)]
pub unsafe extern "C" fn rd_kafka_conf_get(
    conf: *const rd_kafka_conf_t,
    name: *const c_char,
    dest: *mut c_char,
    dest_size: *mut size_t,
) -> rd_kafka_conf_res_t {
    let Some(c) = obj_mut::<ConfHandle>(conf as *mut rd_kafka_conf_t) else { return RD_KAFKA_CONF_INVALID };
    let Some(name) = cstr(name) else { return RD_KAFKA_CONF_INVALID };
    c.sync_in();
    get_into(c.conf.get(name), dest, dest_size)
}

unsafe fn dump_pairs(pairs: Vec<(String, String)>, cntp: *mut size_t) -> *mut *const c_char {
    let n = pairs.len() * 2;
    let arr = libc::calloc(n.max(1), std::mem::size_of::<*const c_char>()) as *mut *const c_char;
    if arr.is_null() {
        return arr;
    }
    for (i, (k, v)) in pairs.iter().enumerate() {
        *arr.add(i * 2) = malloc_cstr(k);
        *arr.add(i * 2 + 1) = malloc_cstr(v);
    }
    if !cntp.is_null() {
        *cntp = n;
    }
    arr
}

/// Dumps the configuration as name, value pairs; free with rd_kafka_conf_dump_free().
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_conf_dump(
    conf: *mut rd_kafka_conf_t,
    cntp: *mut size_t,
) -> *mut *const c_char {
    let Some(c) = obj_mut::<ConfHandle>(conf) else { return std::ptr::null_mut() };
    c.sync_in();
    dump_pairs(c.conf.dump(), cntp)
}

/// Dumps a topic configuration as name, value pairs; free with rd_kafka_conf_dump_free().
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_topic_conf_dump(
    conf: *mut rd_kafka_topic_conf_t,
    cntp: *mut size_t,
) -> *mut *const c_char {
    let Some(c) = obj_mut::<TopicConfHandle>(conf) else { return std::ptr::null_mut() };
    dump_pairs(c.conf.dump(), cntp)
}

/// Frees an array returned by rd_kafka_conf_dump() / rd_kafka_topic_conf_dump().
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_conf_dump_free(arr: *mut *const c_char, cnt: size_t) {
    non_null!(arr);

    for i in 0..cnt {
        libc::free(*arr.add(i) as *mut c_void);
    }
    libc::free(arr as *mut c_void);
}

/// Prints the table of supported properties to `fp`.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_conf_properties_show(fp: *mut libc::FILE) {
    non_null!(fp);

    let s = super::util::to_cstring(&crate::conf::properties_show());
    libc::fputs(s.as_ptr(), fp);
}

/// Sets the application opaque passed to callbacks.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_conf_set_opaque(conf: *mut rd_kafka_conf_t, opaque: *mut c_void) {
    if let Some(c) = obj_mut::<ConfHandle>(conf) {
        c.cbs.opaque = opaque as usize;
    }
}

/// Sets the per-message delivery report callback (served by rd_kafka_poll()).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_conf_set_dr_msg_cb(conf: *mut rd_kafka_conf_t, cb: rd_kafka_dr_msg_cb_t) {
    if let Some(c) = obj_mut::<ConfHandle>(conf) {
        c.cbs.dr_msg_cb = cb;
        let _ = c.conf.set_ptr("dr_msg_cb", cb.map_or(0, |f| f as usize));
    }
}

/// Sets the legacy delivery report callback (deprecated; prefer dr_msg_cb).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_conf_set_dr_cb(conf: *mut rd_kafka_conf_t, cb: rd_kafka_dr_cb_t) {
    if let Some(c) = obj_mut::<ConfHandle>(conf) {
        c.cbs.dr_cb = cb;
        let _ = c.conf.set_ptr("dr_cb", cb.map_or(0, |f| f as usize));
    }
}

/// Sets the error callback (served by rd_kafka_poll()).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_conf_set_error_cb(conf: *mut rd_kafka_conf_t, cb: rd_kafka_error_cb_t) {
    if let Some(c) = obj_mut::<ConfHandle>(conf) {
        c.cbs.error_cb = cb;
        let _ = c.conf.set_ptr("error_cb", cb.map_or(0, |f| f as usize));
    }
}

/// Sets the statistics callback, called every statistics.interval.ms with a JSON string.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_conf_set_stats_cb(conf: *mut rd_kafka_conf_t, cb: rd_kafka_stats_cb_t) {
    if let Some(c) = obj_mut::<ConfHandle>(conf) {
        c.cbs.stats_cb = cb;
        let _ = c.conf.set_ptr("stats_cb", cb.map_or(0, |f| f as usize));
    }
}

/// Sets the throttle callback, called when a broker throttles a request.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_conf_set_throttle_cb(
    conf: *mut rd_kafka_conf_t,
    cb: rd_kafka_throttle_cb_t,
) {
    if let Some(c) = obj_mut::<ConfHandle>(conf) {
        c.cbs.throttle_cb = cb;
        let _ = c.conf.set_ptr("throttle_cb", cb.map_or(0, |f| f as usize));
    }
}

/// Sets the log callback (called from internal threads unless log.queue is used).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_conf_set_log_cb(conf: *mut rd_kafka_conf_t, cb: rd_kafka_log_cb_t) {
    if let Some(c) = obj_mut::<ConfHandle>(conf) {
        c.cbs.log_cb = cb;
        c.cbs.log_cb_null = cb.is_none();
        let _ = c.conf.set_ptr("log_cb", cb.map_or(0, |f| f as usize));
    }
}

/// Sets the consumer group rebalance callback (served by rd_kafka_consumer_poll()). It
/// must call rd_kafka_assign()/rd_kafka_incremental_assign() (or unassign) itself.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_conf_set_rebalance_cb(
    conf: *mut rd_kafka_conf_t,
    cb: rd_kafka_rebalance_cb_t,
) {
    if let Some(c) = obj_mut::<ConfHandle>(conf) {
        c.cbs.rebalance_cb = cb;
        let _ = c.conf.set_ptr("rebalance_cb", cb.map_or(0, |f| f as usize));
    }
}

/// Sets the offset commit result callback (served by rd_kafka_consumer_poll()).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_conf_set_offset_commit_cb(
    conf: *mut rd_kafka_conf_t,
    cb: rd_kafka_offset_commit_cb_t,
) {
    if let Some(c) = obj_mut::<ConfHandle>(conf) {
        c.cbs.offset_commit_cb = cb;
        let _ = c.conf.set_ptr("offset_commit_cb", cb.map_or(0, |f| f as usize));
    }
}

/// Enables event types (RD_KAFKA_EVENT_*) to be delivered as events on the main queue.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_conf_set_events(conf: *mut rd_kafka_conf_t, events: c_int) {
    if let Some(c) = obj_mut::<ConfHandle>(conf) {
        c.cbs.events = events;
    }
}

/// Sets the default topic configuration; takes ownership of `tconf`.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_conf_set_default_topic_conf(
    conf: *mut rd_kafka_conf_t,
    tconf: *mut rd_kafka_topic_conf_t,
) {
    let Some(c) = obj_mut::<ConfHandle>(conf) else { return };
    let Some(t) = take::<TopicConfHandle>(tconf) else { return };
    c.conf.set_default_topic_conf(t.conf);
    c.topic_extras = t.extras;
    c.sync_out();
}

/// Returns the configuration's default topic configuration (owned by `conf`; edits to it
/// take effect), or NULL if none was set or implied by a topic property.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_conf_get_default_topic_conf(
    conf: *mut rd_kafka_conf_t,
) -> *mut rd_kafka_topic_conf_t {
    let Some(c) = obj_mut::<ConfHandle>(conf) else { return std::ptr::null_mut() };
    c.sync_in();
    if !c.conf.has_default_topic_conf() {
        return std::ptr::null_mut();
    }
    let view = TopicConfHandle {
        tag: tag::TOPIC_CONF,
        conf: c.conf.default_topic_conf().clone(),
        extras: c.topic_extras,
    };
    let b = c.tconf_view.get_or_insert_with(|| Box::new(view.clone()));
    **b = view;
    handle_of_mut(&mut **b)
}

fn new_tconf(conf: TopicConf, extras: TopicExtras) -> *mut rd_kafka_topic_conf_t {
    into_c(Box::new(TopicConfHandle { tag: tag::TOPIC_CONF, conf, extras }))
}

/// Creates a topic configuration object with librdkafka's defaults.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_topic_conf_new() -> *mut rd_kafka_topic_conf_t {
    new_tconf(TopicConf::new(), TopicExtras::default())
}

/// Duplicates a topic configuration object.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_topic_conf_dup(
    conf: *const rd_kafka_topic_conf_t,
) -> *mut rd_kafka_topic_conf_t {
    let Some(c) = obj_mut::<TopicConfHandle>(conf as *mut rd_kafka_topic_conf_t) else {
        return std::ptr::null_mut();
    };
    new_tconf(c.conf.clone(), c.extras)
}

/// Destroys a topic configuration object.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_topic_conf_destroy(conf: *mut rd_kafka_topic_conf_t) {
    destroy::<TopicConfHandle>(conf);
}

/// Sets a topic configuration property (see rd_kafka_conf_set()).
#[ffi_fn(default = RD_KAFKA_CONF_INVALID)]
pub unsafe extern "C" fn rd_kafka_topic_conf_set(
    conf: *mut rd_kafka_topic_conf_t,
    name: *const c_char,
    value: *const c_char,
    errstr: *mut c_char,
    errstr_size: size_t,
) -> rd_kafka_conf_res_t {
    let Some(c) = obj_mut::<TopicConfHandle>(conf) else {
        write_errstr(errstr, errstr_size, "Invalid argument: conf is NULL");
        return RD_KAFKA_CONF_INVALID;
    };
    let Some(name) = cstr(name) else {
        write_errstr(errstr, errstr_size, "Invalid argument: property name is NULL");
        return RD_KAFKA_CONF_INVALID;
    };
    match c.conf.set(name, cstr(value).unwrap_or("")) {
        Ok(()) => RD_KAFKA_CONF_OK,
        Err(e) => {
            write_errstr(errstr, errstr_size, &e.msg);
            conf_res(e.res)
        }
    }
}

/// Retrieves a topic property's value (see rd_kafka_conf_get()).
#[ffi_fn(default = RD_KAFKA_CONF_INVALID)]
pub unsafe extern "C" fn rd_kafka_topic_conf_get(
    conf: *const rd_kafka_topic_conf_t,
    name: *const c_char,
    dest: *mut c_char,
    dest_size: *mut size_t,
) -> rd_kafka_conf_res_t {
    let Some(c) = obj_mut::<TopicConfHandle>(conf as *mut rd_kafka_topic_conf_t) else {
        return RD_KAFKA_CONF_INVALID;
    };
    let Some(name) = cstr(name) else { return RD_KAFKA_CONF_INVALID };
    get_into(c.conf.get(name), dest, dest_size)
}

/// Sets a custom partitioner callback for the topic.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_topic_conf_set_partitioner_cb(
    conf: *mut rd_kafka_topic_conf_t,
    cb: rd_kafka_partitioner_cb_t,
) {
    if let Some(c) = obj_mut::<TopicConfHandle>(conf) {
        c.extras.partitioner = cb;
        let _ = c.conf.set_ptr("partitioner_cb", cb.map_or(0, |f| f as usize));
    }
}

/// Sets the topic opaque passed to the partitioner callback.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_topic_conf_set_opaque(
    conf: *mut rd_kafka_topic_conf_t,
    opaque: *mut c_void,
) {
    if let Some(c) = obj_mut::<TopicConfHandle>(conf) {
        c.extras.opaque = opaque as usize;
    }
}

/// Sets the callback that receives consumed messages served by rd_kafka_poll() (after
/// rd_kafka_poll_set_consumer()); rd_kafka_consumer_poll() still returns them.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_conf_set_consume_cb(
    conf: *mut rd_kafka_conf_t,
    consume_cb: rd_kafka_consume_cb_t,
) {
    if let Some(c) = obj_mut::<ConfHandle>(conf) {
        c.cbs.consume_cb = consume_cb;
        let _ = c.conf.set_ptr("consume_cb", consume_cb.map_or(0, |f| f as usize));
    }
}

/// Sets the opaque handed to an OpenSSL engine (ssl.engine.location); stored with the conf.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_conf_set_engine_callback_data(
    conf: *mut rd_kafka_conf_t,
    callback_data: *mut c_void,
) {
    if let Some(c) = obj_mut::<ConfHandle>(conf) {
        c.cbs.engine_callback_data = callback_data as usize;
        let _ = c.conf.set_ptr("ssl_engine_callback_data", callback_data as usize);
    }
}

/// Sets the comparator that orders messages re-queued for a retry (librdkafka's
/// experimental message queue ordering); stored with the topic conf.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_topic_conf_set_msg_order_cmp(
    topic_conf: *mut rd_kafka_topic_conf_t,
    msg_order_cmp: rd_kafka_msg_order_cmp_t,
) {
    if let Some(c) = obj_mut::<TopicConfHandle>(topic_conf) {
        c.extras.msg_order_cmp = msg_order_cmp;
        let _ = c.conf.set_ptr("msg_order_cmp", msg_order_cmp.map_or(0, |f| f as usize));
    }
}

/// Sets a certificate or key from memory: `cert_type` RD_KAFKA_CERT_PUBLIC_KEY,
/// _PRIVATE_KEY or _CA, `cert_enc` RD_KAFKA_CERT_ENC_PKCS12, _DER or _PEM (PKCS#12
/// and encrypted PEM keys are opened with ssl.key.password, so set that first). A
/// NULL `buffer` clears that kind. Used by TLS connections (security.protocol=ssl).
#[ffi_fn(default = RD_KAFKA_CONF_INVALID)]
pub unsafe extern "C" fn rd_kafka_conf_set_ssl_cert(
    conf: *mut rd_kafka_conf_t,
    cert_type: rd_kafka_cert_type_t,
    cert_enc: rd_kafka_cert_enc_t,
    buffer: *const c_void,
    size: size_t,
    errstr: *mut c_char,
    errstr_size: size_t,
) -> rd_kafka_conf_res_t {
    let Some(c) = obj_mut::<ConfHandle>(conf) else {
        return ssl::invalid(errstr, errstr_size, "Invalid argument: conf is NULL");
    };
    if !(0..3).contains(&cert_type) {
        return ssl::invalid(errstr, errstr_size, &format!("Invalid certificate type {cert_type}"));
    }
    if buffer.is_null() {
        ssl::clear(&mut c.ssl_certs, cert_type);
        if cert_type == ssl::RD_KAFKA_CERT_CA {
            let _ = c.conf.set_ptr("ssl_ca", 0);
        }
        return RD_KAFKA_CONF_OK;
    }
    if let Err(e) = ssl::check_encoding(cert_enc) {
        return ssl::invalid(errstr, errstr_size, &e);
    }
    let password = c.conf.string("ssl.key.password").unwrap_or_default();
    match ssl::parse(&mut c.ssl_certs, cert_type, cert_enc, ssl::bytes(buffer, size), &password) {
        Ok(()) => {
            // rd_kafka_new refuses a CA both in memory and from ssl.ca.location/pem.
            if cert_type == ssl::RD_KAFKA_CERT_CA {
                let _ = c.conf.set_ptr("ssl_ca", 1);
            }
            RD_KAFKA_CONF_OK
        }
        Err(e) => ssl::invalid(errstr, errstr_size, &e),
    }
}

/// Sets the callback that verifies each broker certificate in the chain (it may
/// accept what OpenSSL refused, or refuse). Used by TLS connections.
#[ffi_fn(default = RD_KAFKA_CONF_INVALID)]
pub unsafe extern "C" fn rd_kafka_conf_set_ssl_cert_verify_cb(
    conf: *mut rd_kafka_conf_t,
    ssl_cert_verify_cb: rd_kafka_ssl_cert_verify_cb_t,
) -> rd_kafka_conf_res_t {
    let Some(c) = obj_mut::<ConfHandle>(conf) else { return RD_KAFKA_CONF_INVALID };
    c.cbs.ssl_cert_verify_cb = ssl_cert_verify_cb;
    let _ = c.conf.set_ptr("ssl.certificate.verify_cb", ssl_cert_verify_cb.map_or(0, |f| f as usize));
    RD_KAFKA_CONF_OK
}
