//! The librdkafka C API as kafkars exports it: the functions the binding calls, declared
//! as any C program would see them (the structs come from kafkars itself). The library is
//! linked into this extension, so these resolve to kafkars' own exports.

#![allow(non_camel_case_types, dead_code)]

pub use kafkars::capi::{
    rd_kafka_conf_t, rd_kafka_err_desc, rd_kafka_headers_t, rd_kafka_message_t, rd_kafka_metadata_t,
    rd_kafka_queue_t, rd_kafka_t, rd_kafka_topic_partition_list_t, rd_kafka_topic_partition_t,
    rd_kafka_topic_t, rd_kafka_vu_t,
};
use libc::{c_char, c_int, c_void, size_t};

pub type Err = c_int;
pub type ErrorT = c_void; // rd_kafka_error_t
pub type CgMeta = c_void; // rd_kafka_consumer_group_metadata_t

pub type DrMsgCb = unsafe extern "C" fn(*mut rd_kafka_t, *const rd_kafka_message_t, *mut c_void);
pub type ErrorCb = unsafe extern "C" fn(*mut rd_kafka_t, c_int, *const c_char, *mut c_void);
pub type ThrottleCb = unsafe extern "C" fn(*mut rd_kafka_t, *const c_char, i32, c_int, *mut c_void);
pub type StatsCb = unsafe extern "C" fn(*mut rd_kafka_t, *mut c_char, size_t, *mut c_void) -> c_int;
pub type LogCb = unsafe extern "C" fn(*const rd_kafka_t, c_int, *const c_char, *const c_char);
pub type RebalanceCb =
    unsafe extern "C" fn(*mut rd_kafka_t, Err, *mut rd_kafka_topic_partition_list_t, *mut c_void);
pub type CommitCb =
    unsafe extern "C" fn(*mut rd_kafka_t, Err, *mut rd_kafka_topic_partition_list_t, *mut c_void);
pub type OauthCb = unsafe extern "C" fn(*mut rd_kafka_t, *const c_char, *mut c_void);

pub const PRODUCER: c_int = 0;
pub const CONSUMER: c_int = 1;
/// Not a librdkafka client type: the binding's name for a share consumer's conf.
pub const SHARE: c_int = -1;

pub type share_t = c_void; // rd_kafka_share_t
pub type messages_t = c_void; // rd_kafka_messages_t
pub type share_offsets_list_t = c_void; // rd_kafka_share_partition_offsets_list_t
pub type share_offsets_t = c_void; // rd_kafka_share_partition_offsets_t
pub type AckCommitCb = unsafe extern "C" fn(*mut share_t, *mut share_offsets_list_t, Err, *mut c_void);
pub const CONF_OK: c_int = 0;

pub const VTYPE_END: c_int = 0;
pub const VTYPE_TOPIC: c_int = 1;
pub const VTYPE_PARTITION: c_int = 3;
pub const VTYPE_VALUE: c_int = 4;
pub const VTYPE_KEY: c_int = 5;
pub const VTYPE_OPAQUE: c_int = 6;
pub const VTYPE_MSGFLAGS: c_int = 7;
pub const VTYPE_TIMESTAMP: c_int = 8;
pub const VTYPE_HEADERS: c_int = 10;
pub const MSG_F_COPY: c_int = 0x2;

extern "C" {
    pub fn rd_kafka_share_consumer_new(
        conf: *mut rd_kafka_conf_t,
        errstr: *mut c_char,
        size: size_t,
    ) -> *mut share_t;
    pub fn rd_kafka_share_destroy(sh: *mut share_t) -> *mut ErrorT;
    pub fn rd_kafka_share_consumer_close(sh: *mut share_t) -> *mut ErrorT;
    pub fn rd_kafka_share_subscribe(sh: *mut share_t, topics: *const rd_kafka_topic_partition_list_t) -> Err;
    pub fn rd_kafka_share_unsubscribe(sh: *mut share_t) -> Err;
    pub fn rd_kafka_share_subscription(
        sh: *mut share_t,
        topics: *mut *mut rd_kafka_topic_partition_list_t,
    ) -> Err;
    pub fn rd_kafka_share_poll(
        sh: *mut share_t,
        timeout_ms: c_int,
        msgs: *mut *mut messages_t,
    ) -> *mut ErrorT;
    pub fn rd_kafka_share_acknowledge_offset(
        sh: *mut share_t,
        topic: *const c_char,
        partition: i32,
        offset: i64,
        ack_type: c_int,
    ) -> Err;
    pub fn rd_kafka_share_commit_async(sh: *mut share_t) -> *mut ErrorT;
    pub fn rd_kafka_share_commit_sync(
        sh: *mut share_t,
        timeout_ms: c_int,
        partitions: *mut *mut rd_kafka_topic_partition_list_t,
    ) -> *mut ErrorT;
    pub fn rd_kafka_share_set_acknowledgement_commit_cb(
        sh: *mut share_t,
        cb: Option<AckCommitCb>,
        opaque: *mut c_void,
    ) -> *mut ErrorT;
    pub fn rd_kafka_share_set_log_queue(sh: *mut share_t, q: *mut rd_kafka_queue_t) -> *mut ErrorT;
    pub fn rd_kafka_share_sasl_background_callbacks_enable(sh: *mut share_t) -> *mut ErrorT;
    pub fn rd_kafka_share_sasl_set_credentials(
        sh: *mut share_t,
        user: *const c_char,
        pass: *const c_char,
    ) -> *mut ErrorT;
    pub fn rd_kafka_messages_count(m: *const messages_t) -> size_t;
    pub fn rd_kafka_messages_get(m: *const messages_t, i: size_t) -> *const rd_kafka_message_t;
    pub fn rd_kafka_messages_destroy(m: *mut messages_t);
    pub fn rd_kafka_message_delivery_count(m: *const rd_kafka_message_t) -> i16;
    pub fn rd_kafka_share_partition_offsets_list_count(l: *const share_offsets_list_t) -> size_t;
    pub fn rd_kafka_share_partition_offsets_list_get(
        l: *const share_offsets_list_t,
        i: size_t,
    ) -> *const share_offsets_t;
    pub fn rd_kafka_share_partition_offsets_partition(
        po: *const share_offsets_t,
    ) -> *const rd_kafka_topic_partition_t;
    pub fn rd_kafka_share_partition_offsets_offsets(po: *const share_offsets_t) -> *const i64;
    pub fn rd_kafka_share_partition_offsets_offsets_cnt(po: *const share_offsets_t) -> size_t;
    pub fn rd_kafka_version() -> c_int;
    pub fn rd_kafka_version_str() -> *const c_char;
    pub fn rd_kafka_err2str(err: Err) -> *const c_char;
    pub fn rd_kafka_err2name(err: Err) -> *const c_char;
    pub fn rd_kafka_get_err_descs(errdescs: *mut *const rd_kafka_err_desc, cntp: *mut size_t);

    pub fn rd_kafka_conf_new() -> *mut rd_kafka_conf_t;
    pub fn rd_kafka_conf_destroy(conf: *mut rd_kafka_conf_t);
    pub fn rd_kafka_conf_set(
        conf: *mut rd_kafka_conf_t,
        name: *const c_char,
        value: *const c_char,
        errstr: *mut c_char,
        errstr_size: size_t,
    ) -> c_int;
    pub fn rd_kafka_conf_set_opaque(conf: *mut rd_kafka_conf_t, opaque: *mut c_void);
    pub fn rd_kafka_conf_set_dr_msg_cb(conf: *mut rd_kafka_conf_t, cb: Option<DrMsgCb>);
    pub fn rd_kafka_conf_set_error_cb(conf: *mut rd_kafka_conf_t, cb: Option<ErrorCb>);
    pub fn rd_kafka_conf_set_throttle_cb(conf: *mut rd_kafka_conf_t, cb: Option<ThrottleCb>);
    pub fn rd_kafka_conf_set_stats_cb(conf: *mut rd_kafka_conf_t, cb: Option<StatsCb>);
    pub fn rd_kafka_conf_set_log_cb(conf: *mut rd_kafka_conf_t, cb: Option<LogCb>);
    pub fn rd_kafka_conf_set_rebalance_cb(conf: *mut rd_kafka_conf_t, cb: Option<RebalanceCb>);
    pub fn rd_kafka_conf_set_offset_commit_cb(conf: *mut rd_kafka_conf_t, cb: Option<CommitCb>);
    pub fn rd_kafka_conf_set_oauthbearer_token_refresh_cb(conf: *mut rd_kafka_conf_t, cb: Option<OauthCb>);

    pub fn rd_kafka_new(
        t: c_int,
        conf: *mut rd_kafka_conf_t,
        errstr: *mut c_char,
        size: size_t,
    ) -> *mut rd_kafka_t;
    pub fn rd_kafka_destroy(rk: *mut rd_kafka_t);
    pub fn rd_kafka_opaque(rk: *const rd_kafka_t) -> *mut c_void;
    pub fn rd_kafka_name(rk: *const rd_kafka_t) -> *const c_char;
    pub fn rd_kafka_yield(rk: *mut rd_kafka_t);
    pub fn rd_kafka_poll(rk: *mut rd_kafka_t, timeout_ms: c_int) -> c_int;
    pub fn rd_kafka_flush(rk: *mut rd_kafka_t, timeout_ms: c_int) -> Err;
    pub fn rd_kafka_outq_len(rk: *mut rd_kafka_t) -> c_int;
    pub fn rd_kafka_purge(rk: *mut rd_kafka_t, flags: c_int) -> Err;
    pub fn rd_kafka_produceva(rk: *mut rd_kafka_t, vus: *const rd_kafka_vu_t, cnt: size_t) -> *mut ErrorT;
    pub fn rd_kafka_fatal_error(rk: *mut rd_kafka_t, errstr: *mut c_char, size: size_t) -> Err;
    pub fn rd_kafka_memberid(rk: *const rd_kafka_t) -> *mut c_char;
    pub fn rd_kafka_mem_free(rk: *mut rd_kafka_t, ptr: *mut c_void);
    pub fn rd_kafka_metadata(
        rk: *mut rd_kafka_t,
        all_topics: c_int,
        only_rkt: *mut rd_kafka_topic_t,
        metadatap: *mut *const rd_kafka_metadata_t,
        timeout_ms: c_int,
    ) -> Err;
    pub fn rd_kafka_metadata_destroy(md: *const rd_kafka_metadata_t);
    pub fn rd_kafka_clusterid(rk: *mut rd_kafka_t, timeout_ms: c_int) -> *mut c_char;
    pub fn rd_kafka_controllerid(rk: *mut rd_kafka_t, timeout_ms: c_int) -> i32;
    pub fn rd_kafka_topic_new(
        rk: *mut rd_kafka_t,
        topic: *const c_char,
        conf: *mut c_void,
    ) -> *mut rd_kafka_topic_t;
    pub fn rd_kafka_topic_destroy(rkt: *mut rd_kafka_topic_t);
    pub fn rd_kafka_produce_batch(
        rkt: *mut rd_kafka_topic_t,
        partition: i32,
        msgflags: c_int,
        rkmessages: *mut rd_kafka_message_t,
        message_cnt: c_int,
    ) -> c_int;
    pub fn rd_kafka_topic_name(rkt: *const rd_kafka_topic_t) -> *const c_char;
    pub fn rd_kafka_set_log_queue(rk: *mut rd_kafka_t, rkqu: *mut rd_kafka_queue_t) -> Err;
    pub fn rd_kafka_queue_get_main(rk: *mut rd_kafka_t) -> *mut rd_kafka_queue_t;
    pub fn rd_kafka_queue_destroy(rkqu: *mut rd_kafka_queue_t);
    pub fn rd_kafka_sasl_set_credentials(
        rk: *mut rd_kafka_t,
        user: *const c_char,
        pass: *const c_char,
    ) -> *mut ErrorT;

    pub fn rd_kafka_message_destroy(m: *mut rd_kafka_message_t);
    pub fn rd_kafka_message_timestamp(m: *const rd_kafka_message_t, tstype: *mut c_int) -> i64;
    pub fn rd_kafka_message_latency(m: *const rd_kafka_message_t) -> i64;
    pub fn rd_kafka_message_leader_epoch(m: *const rd_kafka_message_t) -> i32;
    pub fn rd_kafka_message_headers(m: *const rd_kafka_message_t, hdrsp: *mut *mut rd_kafka_headers_t)
        -> Err;
    pub fn rd_kafka_message_errstr(m: *const rd_kafka_message_t) -> *const c_char;
    pub fn rd_kafka_headers_new(initial: size_t) -> *mut rd_kafka_headers_t;
    pub fn rd_kafka_headers_destroy(h: *mut rd_kafka_headers_t);
    pub fn rd_kafka_header_add(
        h: *mut rd_kafka_headers_t,
        name: *const c_char,
        name_size: isize,
        value: *const c_void,
        value_size: isize,
    ) -> Err;
    pub fn rd_kafka_header_get_all(
        h: *const rd_kafka_headers_t,
        idx: size_t,
        namep: *mut *const c_char,
        valuep: *mut *const c_void,
        sizep: *mut size_t,
    ) -> Err;

    pub fn rd_kafka_error_code(e: *const ErrorT) -> Err;
    pub fn rd_kafka_error_string(e: *const ErrorT) -> *const c_char;
    pub fn rd_kafka_error_is_fatal(e: *const ErrorT) -> c_int;
    pub fn rd_kafka_error_is_retriable(e: *const ErrorT) -> c_int;
    pub fn rd_kafka_error_txn_requires_abort(e: *const ErrorT) -> c_int;
    pub fn rd_kafka_error_destroy(e: *mut ErrorT);

    pub fn rd_kafka_topic_partition_list_new(size: c_int) -> *mut rd_kafka_topic_partition_list_t;
    pub fn rd_kafka_topic_partition_list_destroy(l: *mut rd_kafka_topic_partition_list_t);
    pub fn rd_kafka_topic_partition_list_add(
        l: *mut rd_kafka_topic_partition_list_t,
        topic: *const c_char,
        partition: i32,
    ) -> *mut rd_kafka_topic_partition_t;
    pub fn rd_kafka_topic_partition_get_leader_epoch(p: *const rd_kafka_topic_partition_t) -> i32;
    pub fn rd_kafka_topic_partition_set_leader_epoch(p: *mut rd_kafka_topic_partition_t, e: i32);

    pub fn rd_kafka_subscribe(rk: *mut rd_kafka_t, topics: *const rd_kafka_topic_partition_list_t) -> Err;
    pub fn rd_kafka_unsubscribe(rk: *mut rd_kafka_t) -> Err;
    pub fn rd_kafka_subscription(
        rk: *mut rd_kafka_t,
        topics: *mut *mut rd_kafka_topic_partition_list_t,
    ) -> Err;
    pub fn rd_kafka_assign(rk: *mut rd_kafka_t, parts: *const rd_kafka_topic_partition_list_t) -> Err;
    pub fn rd_kafka_incremental_assign(
        rk: *mut rd_kafka_t,
        parts: *const rd_kafka_topic_partition_list_t,
    ) -> *mut ErrorT;
    pub fn rd_kafka_incremental_unassign(
        rk: *mut rd_kafka_t,
        parts: *const rd_kafka_topic_partition_list_t,
    ) -> *mut ErrorT;
    pub fn rd_kafka_assignment(rk: *mut rd_kafka_t, parts: *mut *mut rd_kafka_topic_partition_list_t) -> Err;
    pub fn rd_kafka_assignment_lost(rk: *mut rd_kafka_t) -> c_int;
    pub fn rd_kafka_rebalance_protocol(rk: *mut rd_kafka_t) -> *const c_char;
    pub fn rd_kafka_poll_set_consumer(rk: *mut rd_kafka_t) -> Err;
    pub fn rd_kafka_consumer_poll(rk: *mut rd_kafka_t, timeout_ms: c_int) -> *mut rd_kafka_message_t;
    pub fn rd_kafka_queue_get_consumer(rk: *mut rd_kafka_t) -> *mut rd_kafka_queue_t;
    pub fn rd_kafka_consume_batch_queue(
        q: *mut rd_kafka_queue_t,
        timeout_ms: c_int,
        msgs: *mut *mut rd_kafka_message_t,
        size: size_t,
    ) -> isize;
    pub fn rd_kafka_consumer_close(rk: *mut rd_kafka_t) -> Err;
    pub fn rd_kafka_commit(
        rk: *mut rd_kafka_t,
        offsets: *const rd_kafka_topic_partition_list_t,
        async_: c_int,
    ) -> Err;
    pub fn rd_kafka_commit_queue(
        rk: *mut rd_kafka_t,
        offsets: *const rd_kafka_topic_partition_list_t,
        q: *mut rd_kafka_queue_t,
        cb: Option<CommitCb>,
        opaque: *mut c_void,
    ) -> Err;
    pub fn rd_kafka_committed(
        rk: *mut rd_kafka_t,
        parts: *mut rd_kafka_topic_partition_list_t,
        t: c_int,
    ) -> Err;
    pub fn rd_kafka_position(rk: *mut rd_kafka_t, parts: *mut rd_kafka_topic_partition_list_t) -> Err;
    pub fn rd_kafka_seek_partitions(
        rk: *mut rd_kafka_t,
        parts: *mut rd_kafka_topic_partition_list_t,
        t: c_int,
    ) -> *mut ErrorT;
    pub fn rd_kafka_pause_partitions(rk: *mut rd_kafka_t, parts: *mut rd_kafka_topic_partition_list_t)
        -> Err;
    pub fn rd_kafka_resume_partitions(
        rk: *mut rd_kafka_t,
        parts: *mut rd_kafka_topic_partition_list_t,
    ) -> Err;
    pub fn rd_kafka_query_watermark_offsets(
        rk: *mut rd_kafka_t,
        topic: *const c_char,
        partition: i32,
        low: *mut i64,
        high: *mut i64,
        timeout_ms: c_int,
    ) -> Err;
    pub fn rd_kafka_get_watermark_offsets(
        rk: *mut rd_kafka_t,
        topic: *const c_char,
        partition: i32,
        low: *mut i64,
        high: *mut i64,
    ) -> Err;
    pub fn rd_kafka_offsets_for_times(
        rk: *mut rd_kafka_t,
        parts: *mut rd_kafka_topic_partition_list_t,
        t: c_int,
    ) -> Err;
    pub fn rd_kafka_offsets_store(rk: *mut rd_kafka_t, parts: *mut rd_kafka_topic_partition_list_t) -> Err;
    pub fn rd_kafka_offset_store(rkt: *mut rd_kafka_topic_t, partition: i32, offset: i64) -> Err;
    pub fn rd_kafka_consumer_group_metadata(rk: *mut rd_kafka_t) -> *mut CgMeta;
    pub fn rd_kafka_consumer_group_metadata_destroy(m: *mut CgMeta);
    pub fn rd_kafka_consumer_group_metadata_write(
        m: *const CgMeta,
        bufp: *mut *mut c_void,
        sizep: *mut size_t,
    ) -> *mut ErrorT;
    pub fn rd_kafka_consumer_group_metadata_read(
        mp: *mut *mut CgMeta,
        buf: *const c_void,
        size: size_t,
    ) -> *mut ErrorT;

    pub fn rd_kafka_init_transactions(rk: *mut rd_kafka_t, t: c_int) -> *mut ErrorT;
    pub fn rd_kafka_begin_transaction(rk: *mut rd_kafka_t) -> *mut ErrorT;
    pub fn rd_kafka_send_offsets_to_transaction(
        rk: *mut rd_kafka_t,
        offsets: *const rd_kafka_topic_partition_list_t,
        meta: *const CgMeta,
        t: c_int,
    ) -> *mut ErrorT;
    pub fn rd_kafka_commit_transaction(rk: *mut rd_kafka_t, t: c_int) -> *mut ErrorT;
    pub fn rd_kafka_abort_transaction(rk: *mut rd_kafka_t, t: c_int) -> *mut ErrorT;
    pub fn rd_kafka_oauthbearer_set_token(
        rk: *mut rd_kafka_t,
        token: *const c_char,
        lifetime_ms: i64,
        principal: *const c_char,
        extensions: *const *const c_char,
        extension_size: size_t,
        errstr: *mut c_char,
        errstr_size: size_t,
    ) -> Err;
    pub fn rd_kafka_oauthbearer_set_token_failure(rk: *mut rd_kafka_t, errstr: *const c_char) -> Err;
    pub fn rd_kafka_sasl_background_callbacks_enable(rk: *mut rd_kafka_t) -> *mut ErrorT;
    pub fn rd_kafka_conf_enable_sasl_queue(conf: *mut rd_kafka_conf_t, enable: c_int);
}
