//! Brokers as results name them (rd_kafka_Node_t): leaders, replicas, coordinators,
//! the nodes of a cluster.

use super::view::{cstr, opt_cstr, ptr_of, Arr};
use super::*;
use crate::admin::result::Node;
use crate::capi::boundary::{obj, tag};
use kafkars_macros::ffi_fn;
use libc::{c_char, c_int};
use std::ffi::CString;
use std::ptr::null;

/// What `rd_kafka_Node_t *` points to.
#[repr(C)]
pub(crate) struct NodeHandle {
    /// tag::NODE while alive (must stay the first field).
    tag: u64,
    id: i32,
    host: CString,
    port: u16,
    rack: Option<CString>,
}

tagged!(NodeHandle => rd_kafka_Node_t, tag::NODE);

impl NodeHandle {
    pub(crate) fn new(n: &Node) -> NodeHandle {
        NodeHandle { tag: tag::NODE, id: n.id, host: cstr(&n.host), port: n.port, rack: opt_cstr(&n.rack) }
    }

    pub(crate) fn boxed(n: &Option<Node>) -> Option<Box<NodeHandle>> {
        n.as_ref().map(|n| Box::new(NodeHandle::new(n)))
    }

    pub(crate) fn list(nodes: &[Node]) -> Arr<NodeHandle> {
        Arr::new(nodes.iter().map(NodeHandle::new))
    }
}

/// The C pointer of an optional node (NULL when absent).
pub(crate) fn node_ptr(n: &Option<Box<NodeHandle>>) -> *const rd_kafka_Node_t {
    n.as_ref().map_or(null(), |b| crate::capi::boundary::handle_of(&**b))
}

/// The node's broker id (0 for NULL).
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_Node_id(node: *const rd_kafka_Node_t) -> c_int {
    obj::<NodeHandle>(node).map_or(0, |n| n.id)
}

/// The node's host name (NULL for NULL).
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_Node_host(node: *const rd_kafka_Node_t) -> *const c_char {
    obj::<NodeHandle>(node).map_or(null(), |n| n.host.as_ptr())
}

/// The node's port (0 for NULL).
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn rd_kafka_Node_port(node: *const rd_kafka_Node_t) -> u16 {
    obj::<NodeHandle>(node).map_or(0, |n| n.port)
}

/// The node's rack, NULL when the broker has none.
#[ffi_fn]
pub unsafe extern "C" fn rd_kafka_Node_rack(node: *const rd_kafka_Node_t) -> *const c_char {
    obj::<NodeHandle>(node).map_or(null(), |n| ptr_of(&n.rack))
}
