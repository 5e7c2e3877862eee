//! rd_kafka_conf_* and rd_kafka_topic_conf_*.

use super::boundary::{destroy, handle_of_mut, into_c, obj_mut, tag, take};
use super::types::*;
use super::util::{cstr, malloc_cstr, write_errstr};
use crate::conf::{Conf, ConfRes, TopicConf};
use kafkars_macros::ffi_fn;
use libc::{c_char, c_int, c_void, size_t};

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
}

/// Topic-conf extras that are not string properties.
#[derive(Clone, Copy, Default)]
pub(crate) struct TopicExtras {
    pub partitioner: rd_kafka_partitioner_cb_t,
    pub opaque: usize,
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
}

impl ConfHandle {
    pub(crate) fn new() -> ConfHandle {
        ConfHandle {
            tag: tag::CONF,
            conf: Conf::new(),
            cbs: Callbacks::default(),
            topic_extras: TopicExtras::default(),
            tconf_view: None,
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

/// Destroys a configuration object.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_conf_destroy(conf: *mut rd_kafka_conf_t) {
    destroy::<ConfHandle>(conf);
}

/// Duplicates a configuration object, callbacks included.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_conf_dup(conf: *const rd_kafka_conf_t) -> *mut rd_kafka_conf_t {
    let Some(c) = obj_mut::<ConfHandle>(conf as *mut rd_kafka_conf_t) else { return std::ptr::null_mut() };
    c.sync_in();
    let mut d = c.clone();
    d.tconf_view = None;
    into_c(Box::new(d))
}

/// Duplicates a configuration object leaving out properties whose names start with one
/// of the `filter` prefixes.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_conf_dup_filter(
    conf: *const rd_kafka_conf_t,
    filter_cnt: size_t,
    filter: *const *const c_char,
) -> *mut rd_kafka_conf_t {
    let Some(src) = obj_mut::<ConfHandle>(conf as *mut rd_kafka_conf_t) else { return std::ptr::null_mut() };
    src.sync_in();
    let prefixes: Vec<&str> =
        (0..filter_cnt).filter_map(|i| if filter.is_null() { None } else { cstr(*filter.add(i)) }).collect();
    let mut out = ConfHandle { cbs: src.cbs, topic_extras: src.topic_extras, ..ConfHandle::new() };
    for (k, v) in src.conf.dump() {
        if prefixes.iter().any(|p| k.starts_with(p)) || !src.conf.is_set(&k) {
            continue;
        }
        let _ = out.conf.set(&k, &v);
    }
    into_c(Box::new(out))
}

/// Sets a configuration property. Returns RD_KAFKA_CONF_OK, or RD_KAFKA_CONF_UNKNOWN /
/// RD_KAFKA_CONF_INVALID with a human-readable reason in `errstr`.
#[ffi_fn(default = RD_KAFKA_CONF_INVALID)]
pub unsafe extern "C" fn rd_kafka_conf_set(
    conf: *mut rd_kafka_conf_t,
    name: *const c_char,
    value: *const c_char,
    errstr: *mut c_char,
    errstr_size: size_t,
) -> rd_kafka_conf_res_t {
    let Some(c) = obj_mut::<ConfHandle>(conf) else {
        write_errstr(errstr, errstr_size, "Invalid argument: conf is NULL");
        return RD_KAFKA_CONF_INVALID;
    };
    let Some(name) = cstr(name) else {
        write_errstr(errstr, errstr_size, "Invalid argument: property name is NULL");
        return RD_KAFKA_CONF_INVALID;
    };
    let value = if value.is_null() { None } else { cstr(value) };
    c.sync_in();
    let res = match value {
        Some(v) => c.conf.set(name, v),
        // A NULL value resets to the default, as librdkafka does.
        None => c.conf.set(name, ""),
    };
    c.sync_out();
    match res {
        Ok(()) => RD_KAFKA_CONF_OK,
        Err(e) => {
            write_errstr(errstr, errstr_size, &e.msg);
            conf_res(e.res)
        }
    }
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
