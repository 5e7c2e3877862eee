//! `#[repr(C)]` mirrors of librdkafka's public structs, its opaque handle types, and its
//! enum and flag values. Enum *types* are `c_int` aliases here (a C enum is an int in
//! the ABI, and an out-of-range value from C must not be UB in Rust); build.rs writes the
//! matching C `typedef enum` blocks into the header.

use libc::{c_char, c_int, c_void, size_t};

pub type rd_kafka_resp_err_t = c_int;
pub type rd_kafka_type_t = c_int;
pub type rd_kafka_conf_res_t = c_int;
pub type rd_kafka_cert_type_t = c_int;
pub type rd_kafka_cert_enc_t = c_int;
pub type rd_kafka_thread_type_t = c_int;
pub type rd_kafka_vtype_t = c_int;
pub type rd_kafka_timestamp_type_t = c_int;
pub type rd_kafka_msg_status_t = c_int;
pub type rd_kafka_event_type_t = c_int;

pub const RD_KAFKA_PRODUCER: rd_kafka_type_t = 0;
pub const RD_KAFKA_CONSUMER: rd_kafka_type_t = 1;

pub const RD_KAFKA_CONF_UNKNOWN: rd_kafka_conf_res_t = -2;
pub const RD_KAFKA_CONF_INVALID: rd_kafka_conf_res_t = -1;
pub const RD_KAFKA_CONF_OK: rd_kafka_conf_res_t = 0;

pub const RD_KAFKA_VTYPE_END: rd_kafka_vtype_t = 0;
pub const RD_KAFKA_VTYPE_TOPIC: rd_kafka_vtype_t = 1;
pub const RD_KAFKA_VTYPE_RKT: rd_kafka_vtype_t = 2;
pub const RD_KAFKA_VTYPE_PARTITION: rd_kafka_vtype_t = 3;
pub const RD_KAFKA_VTYPE_VALUE: rd_kafka_vtype_t = 4;
pub const RD_KAFKA_VTYPE_KEY: rd_kafka_vtype_t = 5;
pub const RD_KAFKA_VTYPE_OPAQUE: rd_kafka_vtype_t = 6;
pub const RD_KAFKA_VTYPE_MSGFLAGS: rd_kafka_vtype_t = 7;
pub const RD_KAFKA_VTYPE_TIMESTAMP: rd_kafka_vtype_t = 8;
pub const RD_KAFKA_VTYPE_HEADER: rd_kafka_vtype_t = 9;
pub const RD_KAFKA_VTYPE_HEADERS: rd_kafka_vtype_t = 10;

pub const RD_KAFKA_TIMESTAMP_NOT_AVAILABLE: rd_kafka_timestamp_type_t = 0;
pub const RD_KAFKA_TIMESTAMP_CREATE_TIME: rd_kafka_timestamp_type_t = 1;
pub const RD_KAFKA_TIMESTAMP_LOG_APPEND_TIME: rd_kafka_timestamp_type_t = 2;

pub const RD_KAFKA_MSG_STATUS_NOT_PERSISTED: rd_kafka_msg_status_t = 0;
pub const RD_KAFKA_MSG_STATUS_POSSIBLY_PERSISTED: rd_kafka_msg_status_t = 1;
pub const RD_KAFKA_MSG_STATUS_PERSISTED: rd_kafka_msg_status_t = 2;

pub const RD_KAFKA_MSG_F_FREE: c_int = 0x1;
pub const RD_KAFKA_MSG_F_COPY: c_int = 0x2;
pub const RD_KAFKA_MSG_F_BLOCK: c_int = 0x4;
pub const RD_KAFKA_MSG_F_PARTITION: c_int = 0x8;

pub const RD_KAFKA_PURGE_F_QUEUE: c_int = 0x1;
pub const RD_KAFKA_PURGE_F_INFLIGHT: c_int = 0x2;
pub const RD_KAFKA_PURGE_F_NON_BLOCKING: c_int = 0x4;

pub const RD_KAFKA_PARTITION_UA: i32 = -1;
pub const RD_KAFKA_OFFSET_BEGINNING: i64 = -2;
pub const RD_KAFKA_OFFSET_END: i64 = -1;
pub const RD_KAFKA_OFFSET_STORED: i64 = -1000;
pub const RD_KAFKA_OFFSET_INVALID: i64 = -1001;
pub const RD_KAFKA_OFFSET_TAIL_BASE: i64 = -2000;

pub const RD_KAFKA_EVENT_NONE: c_int = 0x0;
pub const RD_KAFKA_EVENT_DR: c_int = 0x1;
pub const RD_KAFKA_EVENT_FETCH: c_int = 0x2;
pub const RD_KAFKA_EVENT_LOG: c_int = 0x4;
pub const RD_KAFKA_EVENT_ERROR: c_int = 0x8;
pub const RD_KAFKA_EVENT_REBALANCE: c_int = 0x10;
pub const RD_KAFKA_EVENT_OFFSET_COMMIT: c_int = 0x20;
pub const RD_KAFKA_EVENT_STATS: c_int = 0x40;
pub const RD_KAFKA_EVENT_CREATETOPICS_RESULT: c_int = 100;
pub const RD_KAFKA_EVENT_DELETETOPICS_RESULT: c_int = 101;
pub const RD_KAFKA_EVENT_CREATEPARTITIONS_RESULT: c_int = 102;
pub const RD_KAFKA_EVENT_ALTERCONFIGS_RESULT: c_int = 103;
pub const RD_KAFKA_EVENT_DESCRIBECONFIGS_RESULT: c_int = 104;
pub const RD_KAFKA_EVENT_DELETERECORDS_RESULT: c_int = 105;
pub const RD_KAFKA_EVENT_DELETEGROUPS_RESULT: c_int = 106;
pub const RD_KAFKA_EVENT_DELETECONSUMERGROUPOFFSETS_RESULT: c_int = 107;
pub const RD_KAFKA_EVENT_OAUTHBEARER_TOKEN_REFRESH: c_int = 0x100;
pub const RD_KAFKA_EVENT_BACKGROUND: c_int = 0x200;

/// librdkafka's message struct (`rd_kafka_message_t`).
#[repr(C)]
pub struct rd_kafka_message_t {
    pub err: rd_kafka_resp_err_t,
    pub rkt: *mut rd_kafka_topic_t,
    pub partition: i32,
    pub payload: *mut c_void,
    pub len: size_t,
    pub key: *mut c_void,
    pub key_len: size_t,
    pub offset: i64,
    pub _private: *mut c_void,
}

/// A topic+partition with offset, metadata and error (`rd_kafka_topic_partition_t`).
#[repr(C)]
pub struct rd_kafka_topic_partition_t {
    pub topic: *mut c_char,
    pub partition: i32,
    pub offset: i64,
    pub metadata: *mut c_void,
    pub metadata_size: size_t,
    pub opaque: *mut c_void,
    pub err: rd_kafka_resp_err_t,
    pub _private: *mut c_void,
}

/// A growable list of topic partitions (`rd_kafka_topic_partition_list_t`).
#[repr(C)]
pub struct rd_kafka_topic_partition_list_t {
    pub cnt: c_int,
    pub size: c_int,
    pub elems: *mut rd_kafka_topic_partition_t,
}

#[repr(C)]
pub struct rd_kafka_metadata_broker_t {
    pub id: i32,
    pub host: *mut c_char,
    pub port: c_int,
}

#[repr(C)]
pub struct rd_kafka_metadata_partition_t {
    pub id: i32,
    pub err: rd_kafka_resp_err_t,
    pub leader: i32,
    pub replica_cnt: c_int,
    pub replicas: *mut i32,
    pub isr_cnt: c_int,
    pub isrs: *mut i32,
}

#[repr(C)]
pub struct rd_kafka_metadata_topic_t {
    pub topic: *mut c_char,
    pub partition_cnt: c_int,
    pub partitions: *mut rd_kafka_metadata_partition_t,
    pub err: rd_kafka_resp_err_t,
}

#[repr(C)]
pub struct rd_kafka_metadata_t {
    pub broker_cnt: c_int,
    pub brokers: *mut rd_kafka_metadata_broker_t,
    pub topic_cnt: c_int,
    pub topics: *mut rd_kafka_metadata_topic_t,
    pub orig_broker_id: i32,
    pub orig_broker_name: *mut c_char,
}

/// One entry of `rd_kafka_get_err_descs`.
#[repr(C)]
pub struct rd_kafka_err_desc {
    pub code: rd_kafka_resp_err_t,
    pub name: *const c_char,
    pub desc: *const c_char,
}

/// A group member in rd_kafka_list_groups() results.
#[repr(C)]
pub struct rd_kafka_group_member_info {
    pub member_id: *mut c_char,
    pub client_id: *mut c_char,
    pub client_host: *mut c_char,
    pub member_metadata: *mut c_void,
    pub member_metadata_size: c_int,
    pub member_assignment: *mut c_void,
    pub member_assignment_size: c_int,
}

/// A group in rd_kafka_list_groups() results.
#[repr(C)]
pub struct rd_kafka_group_info {
    pub broker: rd_kafka_metadata_broker_t,
    pub group: *mut c_char,
    pub err: rd_kafka_resp_err_t,
    pub state: *mut c_char,
    pub protocol_type: *mut c_char,
    pub protocol: *mut c_char,
    pub members: *mut rd_kafka_group_member_info,
    pub member_cnt: c_int,
}

/// Result of rd_kafka_list_groups().
#[repr(C)]
pub struct rd_kafka_group_list {
    pub groups: *mut rd_kafka_group_info,
    pub group_cnt: c_int,
}

/// Memory region of an `rd_kafka_vu_t` value.
#[repr(C)]
#[derive(Copy, Clone)]
pub struct rd_kafka_vu_mem {
    pub ptr: *mut c_void,
    pub size: size_t,
}

/// Header triple of an `rd_kafka_vu_t` value.
#[repr(C)]
#[derive(Copy, Clone)]
pub struct rd_kafka_vu_header {
    pub name: *const c_char,
    pub val: *const c_void,
    pub size: libc::ssize_t,
}

/// Value union of `rd_kafka_vu_t` (padded to 64 bytes as in librdkafka).
#[repr(C)]
#[derive(Copy, Clone)]
pub union rd_kafka_vu_u {
    pub cstr: *const c_char,
    pub rkt: *mut rd_kafka_topic_t,
    pub i: c_int,
    pub i32: i32,
    pub i64: i64,
    pub mem: rd_kafka_vu_mem,
    pub header: rd_kafka_vu_header,
    pub headers: *mut rd_kafka_headers_t,
    pub ptr: *mut c_void,
    pub _pad: [c_char; 64],
}

/// A tagged value for `rd_kafka_produceva` (`rd_kafka_vu_t`).
#[repr(C)]
#[derive(Copy, Clone)]
pub struct rd_kafka_vu_t {
    pub vtype: rd_kafka_vtype_t,
    pub u: rd_kafka_vu_u,
}

// Opaque handle types: C sees only pointers to these.
macro_rules! opaque {
    ($($name:ident),*) => {$(
        #[repr(C)]
        pub struct $name {
            _private: [u8; 0],
        }
    )*};
}
pub(crate) use opaque;
opaque!(
    rd_kafka_t,
    rd_kafka_topic_t,
    rd_kafka_conf_t,
    rd_kafka_topic_conf_t,
    rd_kafka_queue_t,
    rd_kafka_event_t,
    rd_kafka_headers_t,
    rd_kafka_error_t,
    rd_kafka_mock_cluster_t,
    rd_kafka_mock_request_t,
    rd_kafka_mock_cgrp_consumer_target_assignment_t
);
// The share consumer (KIP-932) is not implemented: these are never handed out.
opaque!(
    rd_kafka_share_t,
    rd_kafka_messages_t,
    rd_kafka_share_partition_offsets_t,
    rd_kafka_share_partition_offsets_list_t
);

// The C message must be the same shape as the core's address-only twin.
const _: () = {
    assert!(std::mem::size_of::<rd_kafka_message_t>() == std::mem::size_of::<crate::message::CMessage>());
    assert!(
        std::mem::offset_of!(rd_kafka_message_t, offset)
            == std::mem::offset_of!(crate::message::CMessage, offset)
    );
    assert!(
        std::mem::offset_of!(rd_kafka_message_t, _private)
            == std::mem::offset_of!(crate::message::CMessage, private)
    );
    assert!(
        std::mem::offset_of!(rd_kafka_message_t, key_len)
            == std::mem::offset_of!(crate::message::CMessage, key_len)
    );
    assert!(std::mem::size_of::<rd_kafka_vu_t>() == 72);
};
