//! Plain Python data → librdkafka's admin request objects. Each op's parser checks the
//! shape (TypeError/ValueError naming the op and the expected shape), builds the C
//! objects (a constructor's refusal: KafkaException _INVALID_ARG) and returns a Request
//! that makes the C call and frees them (librdkafka copies what it keeps).

use super::ffi::{self, rd_kafka_t, Tpl, Q, V};
use crate::error::{check_error, exc};
use crate::ffi as core;
use crate::util::{cstring, text};
use libc::{c_char, c_int, size_t};
use pyo3::exceptions::{PyOverflowError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyTuple};
use std::collections::HashMap;
use std::ffi::CString;

const ERR_INVALID_ARG: i32 = -186;

/// The C call of an operation, owning its request objects (freed after the call).
pub struct Request(Box<dyn FnOnce(*mut rd_kafka_t, *const V, Q)>);
// SAFETY: the request's C objects are only handed to librdkafka, from one thread at a time.
unsafe impl Send for Request {}

impl Request {
    pub fn new(f: impl FnOnce(*mut rd_kafka_t, *const V, Q) + 'static) -> Request {
        Request(Box::new(f))
    }

    pub fn launch(self, rk: *mut rd_kafka_t, o: *const V, q: Q) {
        (self.0)(rk, o, q)
    }
}

/// A shape error: an int out of range is a ValueError, anything else a TypeError.
pub fn shape_err(py: Python<'_>, what: &str, shape: &str, e: PyErr) -> PyErr {
    let why = e.value(py).to_string();
    let msg =
        if shape.is_empty() { format!("{what}: {why}") } else { format!("{what}: expected {shape}: {why}") };
    if e.is_instance_of::<PyOverflowError>(py) || e.is_instance_of::<PyValueError>(py) {
        PyValueError::new_err(msg)
    } else {
        PyTypeError::new_err(msg)
    }
}

/// `a` as T, or the op's shape error.
pub fn ext<'py, T: FromPyObject<'py>>(a: &Bound<'py, PyAny>, op: &str, shape: &str) -> PyResult<T> {
    a.extract().map_err(|e| shape_err(a.py(), op, shape, e))
}

/// A C constructor's errstr buffer.
pub struct ErrBuf(pub [c_char; 512]);

impl ErrBuf {
    pub fn new() -> ErrBuf {
        ErrBuf([0; 512])
    }
    pub fn p(&mut self) -> *mut c_char {
        self.0.as_mut_ptr()
    }
    pub fn n(&self) -> size_t {
        self.0.len()
    }
    /// KafkaException(_INVALID_ARG, errstr) (`what` when the C side said nothing).
    pub fn invalid(&self, py: Python<'_>, what: &str) -> PyErr {
        let s = unsafe { text(self.0.as_ptr()) };
        exc(py, ERR_INVALID_ARG, Some(if s.is_empty() { what.to_string() } else { s }))
    }
}

/// Request objects of one kind, destroyed on drop.
pub struct Objs {
    pub v: Vec<*mut V>,
    free: unsafe extern "C" fn(*mut V),
}

type ArrayOp = unsafe extern "C" fn(*mut rd_kafka_t, *mut *mut V, size_t, *const V, Q);

impl Objs {
    pub fn new(free: unsafe extern "C" fn(*mut V)) -> Objs {
        Objs { v: Vec::new(), free }
    }

    /// Keeps `p` (NULL: the constructor refused → `err`).
    pub fn push(&mut self, p: *mut V, err: impl FnOnce() -> PyErr) -> PyResult<*mut V> {
        if p.is_null() {
            return Err(err());
        }
        self.v.push(p);
        Ok(p)
    }

    /// The request calling `f` with the array.
    pub fn launch(self, f: ArrayOp) -> Request {
        Request::new(move |rk, o, q| {
            let mut s = self;
            unsafe { f(rk, s.v.as_mut_ptr(), s.v.len(), o, q) }
        })
    }
}

impl Drop for Objs {
    fn drop(&mut self) {
        for p in self.v.drain(..) {
            unsafe { (self.free)(p) }
        }
    }
}

/// A topic partition list, destroyed on drop.
pub struct List(pub *mut Tpl);

impl List {
    pub fn new(n: usize) -> List {
        List(unsafe { core::rd_kafka_topic_partition_list_new(n as c_int) })
    }

    pub fn add(&mut self, topic: &str, partition: i32) -> &mut core::rd_kafka_topic_partition_t {
        let t = cstring(topic);
        unsafe { &mut *core::rd_kafka_topic_partition_list_add(self.0, t.as_ptr(), partition) }
    }

    /// [(topic, partition)] as a list.
    pub fn of(parts: &[(String, i32)]) -> List {
        let mut l = List::new(parts.len());
        for (t, p) in parts {
            l.add(t, *p);
        }
        l
    }

    /// The list, or NULL for None.
    pub fn opt(parts: &Option<Vec<(String, i32)>>) -> List {
        parts.as_ref().map_or(List(std::ptr::null_mut()), |p| List::of(p))
    }
}

impl Drop for List {
    fn drop(&mut self) {
        if !self.0.is_null() {
            unsafe { core::rd_kafka_topic_partition_list_destroy(self.0) }
        }
    }
}

/// Strings as a C array (the CStrings kept alive beside it).
pub struct CStrs {
    _keep: Vec<CString>,
    pub p: Vec<*const c_char>,
}

impl CStrs {
    pub fn of(v: &[String]) -> CStrs {
        let s: Vec<CString> = v.iter().map(|x| cstring(x)).collect();
        let p = s.iter().map(|x| x.as_ptr()).collect();
        CStrs { _keep: s, p }
    }
}

fn opt_c(s: &Option<String>) -> Option<CString> {
    s.as_ref().map(|s| cstring(s))
}

fn ptr(s: &Option<CString>) -> *const c_char {
    s.as_ref().map_or(std::ptr::null(), |s| s.as_ptr())
}

const TP: &str = "[(topic, partition)]";

/// The admin op code and the request for `op` with `args`.
pub fn parse_args(py: Python<'_>, op: &str, a: &Bound<'_, PyAny>) -> PyResult<(c_int, Request)> {
    Ok(match op {
        "create_topics" => (1, create_topics(py, a)?),
        "delete_topics" => {
            let v: Vec<String> = ext(a, op, "[topic]")?;
            let mut o = Objs::new(ffi::rd_kafka_DeleteTopic_destroy);
            for t in &v {
                let c = cstring(t);
                o.push(unsafe { ffi::rd_kafka_DeleteTopic_new(c.as_ptr()) }, || {
                    exc(py, ERR_INVALID_ARG, Some(format!("invalid topic '{t}'")))
                })?;
            }
            (2, o.launch(ffi::rd_kafka_DeleteTopics))
        }
        "create_partitions" => (3, create_partitions(py, a)?),
        "alter_configs" => {
            let v: Vec<(c_int, String, HashMap<String, String>)> =
                ext(a, op, "[(restype, name, {name: value})]")?;
            let mut o = Objs::new(ffi::rd_kafka_ConfigResource_destroy);
            for (rt, name, cfg) in &v {
                let r = resource(py, &mut o, *rt, name)?;
                for (k, val) in cfg {
                    let (k, val) = (cstring(k), cstring(val));
                    let e = unsafe { ffi::rd_kafka_ConfigResource_set_config(r, k.as_ptr(), val.as_ptr()) };
                    crate::error::check(py, e)?;
                }
            }
            (4, o.launch(ffi::rd_kafka_AlterConfigs))
        }
        "describe_configs" => {
            let v: Vec<(c_int, String)> = ext(a, op, "[(restype, name)]")?;
            let mut o = Objs::new(ffi::rd_kafka_ConfigResource_destroy);
            for (rt, name) in &v {
                resource(py, &mut o, *rt, name)?;
            }
            (5, o.launch(ffi::rd_kafka_DescribeConfigs))
        }
        "delete_records" => {
            let v: Vec<(String, i32, i64)> = ext(a, op, "[(topic, partition, before_offset)]")?;
            let mut l = List::new(v.len());
            for (t, p, off) in &v {
                l.add(t, *p).offset = *off;
            }
            let mut o = Objs::new(ffi::rd_kafka_DeleteRecords_destroy);
            o.push(unsafe { ffi::rd_kafka_DeleteRecords_new(l.0) }, || {
                exc(py, ERR_INVALID_ARG, Some("invalid delete_records request".into()))
            })?;
            (6, o.launch(ffi::rd_kafka_DeleteRecords))
        }
        "delete_groups" => {
            let v: Vec<String> = ext(a, op, "[group]")?;
            let mut o = Objs::new(ffi::rd_kafka_DeleteGroup_destroy);
            for g in &v {
                let c = cstring(g);
                o.push(unsafe { ffi::rd_kafka_DeleteGroup_new(c.as_ptr()) }, || {
                    exc(py, ERR_INVALID_ARG, Some(format!("invalid group '{g}'")))
                })?;
            }
            (7, o.launch(ffi::rd_kafka_DeleteGroups))
        }
        "delete_consumer_group_offsets" => {
            let (g, parts): (String, Vec<(String, i32)>) = ext(a, op, &format!("(group, {TP})"))?;
            let l = List::of(&parts);
            let c = cstring(&g);
            let mut o = Objs::new(ffi::rd_kafka_DeleteConsumerGroupOffsets_destroy);
            o.push(unsafe { ffi::rd_kafka_DeleteConsumerGroupOffsets_new(c.as_ptr(), l.0) }, || {
                exc(py, ERR_INVALID_ARG, Some("invalid delete_consumer_group_offsets request".into()))
            })?;
            (8, o.launch(ffi::rd_kafka_DeleteConsumerGroupOffsets))
        }
        "create_acls" => {
            let v: Vec<Acl> = ext(a, op, ACL)?;
            let mut o = Objs::new(ffi::rd_kafka_AclBinding_destroy);
            for acl in &v {
                o.push(acl_new(py, acl, false)?, || unreachable_err(py))?;
            }
            (9, o.launch(ffi::rd_kafka_CreateAcls))
        }
        "describe_acls" => {
            let f: Acl = ext(a, op, ACL_FILTER)?;
            let mut o = Objs::new(ffi::rd_kafka_AclBinding_destroy);
            o.push(acl_new(py, &f, true)?, || unreachable_err(py))?;
            (
                10,
                Request::new(move |rk, opts, q| {
                    let o = o;
                    unsafe { ffi::rd_kafka_DescribeAcls(rk, o.v[0], opts, q) }
                }),
            )
        }
        "delete_acls" => {
            let v: Vec<Acl> = ext(a, op, &format!("[{ACL_FILTER}]"))?;
            let mut o = Objs::new(ffi::rd_kafka_AclBinding_destroy);
            for f in &v {
                o.push(acl_new(py, f, true)?, || unreachable_err(py))?;
            }
            (11, o.launch(ffi::rd_kafka_DeleteAcls))
        }
        "list_consumer_groups" => {
            (12, Request::new(|rk, o, q| unsafe { ffi::rd_kafka_ListConsumerGroups(rk, o, q) }))
        }
        "describe_consumer_groups" => {
            let v: Vec<String> = ext(a, op, "[group]")?;
            let s = CStrs::of(&v);
            (
                13,
                Request::new(move |rk, o, q| {
                    let s = s;
                    unsafe { ffi::rd_kafka_DescribeConsumerGroups(rk, s.p.as_ptr(), s.p.len(), o, q) }
                }),
            )
        }
        "list_consumer_group_offsets" => {
            let (g, parts): (String, Option<Vec<(String, i32)>>) =
                ext(a, op, &format!("(group, {TP}|None)"))?;
            let l = List::opt(&parts);
            let c = cstring(&g);
            let mut o = Objs::new(ffi::rd_kafka_ListConsumerGroupOffsets_destroy);
            o.push(unsafe { ffi::rd_kafka_ListConsumerGroupOffsets_new(c.as_ptr(), l.0) }, || {
                exc(py, ERR_INVALID_ARG, Some("invalid list_consumer_group_offsets request".into()))
            })?;
            (14, o.launch(ffi::rd_kafka_ListConsumerGroupOffsets))
        }
        "alter_consumer_group_offsets" => {
            type Off = (String, i32, i64, Option<String>, Option<i32>);
            let (g, parts): (String, Vec<Off>) =
                ext(a, op, "(group, [(topic, partition, offset, metadata|None, leader_epoch|None)])")?;
            let mut l = List::new(parts.len());
            for (t, p, off, md, epoch) in &parts {
                let e = l.add(t, *p);
                e.offset = *off;
                if let Some(md) = md {
                    // The list owns its metadata (freed by list_destroy): malloc'd.
                    unsafe {
                        let m = libc::malloc(md.len().max(1)) as *mut u8;
                        std::ptr::copy_nonoverlapping(md.as_ptr(), m, md.len());
                        e.metadata = m as *mut libc::c_void;
                        e.metadata_size = md.len();
                    }
                }
                if let Some(ep) = epoch {
                    unsafe { core::rd_kafka_topic_partition_set_leader_epoch(e, *ep) };
                }
            }
            let c = cstring(&g);
            let mut o = Objs::new(ffi::rd_kafka_AlterConsumerGroupOffsets_destroy);
            o.push(unsafe { ffi::rd_kafka_AlterConsumerGroupOffsets_new(c.as_ptr(), l.0) }, || {
                exc(py, ERR_INVALID_ARG, Some("invalid alter_consumer_group_offsets request".into()))
            })?;
            (15, o.launch(ffi::rd_kafka_AlterConsumerGroupOffsets))
        }
        "incremental_alter_configs" => {
            type Inc = (c_int, String, Vec<(String, c_int, Option<String>)>);
            let v: Vec<Inc> = ext(a, op, "[(restype, name, [(name, op_type, value|None)])]")?;
            let mut o = Objs::new(ffi::rd_kafka_ConfigResource_destroy);
            for (rt, name, cfg) in &v {
                let r = resource(py, &mut o, *rt, name)?;
                for (k, t, val) in cfg {
                    let (k, val) = (cstring(k), opt_c(val));
                    unsafe {
                        check_error(
                            py,
                            ffi::rd_kafka_ConfigResource_add_incremental_config(r, k.as_ptr(), *t, ptr(&val)),
                        )?
                    };
                }
            }
            (16, o.launch(ffi::rd_kafka_IncrementalAlterConfigs))
        }
        "describe_user_scram_credentials" => {
            let v: Option<Vec<String>> = ext(a, op, "[user]|None")?;
            let s = CStrs::of(v.as_deref().unwrap_or(&[]));
            (
                17,
                Request::new(move |rk, o, q| {
                    let s = s;
                    let p = if s.p.is_empty() { std::ptr::null() } else { s.p.as_ptr() };
                    unsafe { ffi::rd_kafka_DescribeUserScramCredentials(rk, p, s.p.len(), o, q) }
                }),
            )
        }
        "alter_user_scram_credentials" => (18, alter_scram(py, a)?),
        "describe_topics" => {
            let v: Vec<String> = ext(a, op, "[topic]")?;
            let s = CStrs::of(&v);
            let tc = unsafe { ffi::rd_kafka_TopicCollection_of_topic_names(s.p.as_ptr(), s.p.len()) };
            let mut o = Objs::new(ffi::rd_kafka_TopicCollection_destroy);
            o.push(tc, || exc(py, ERR_INVALID_ARG, Some("invalid topic collection".into())))?;
            (
                19,
                Request::new(move |rk, opts, q| {
                    let o = o;
                    unsafe { ffi::rd_kafka_DescribeTopics(rk, o.v[0], opts, q) }
                }),
            )
        }
        "describe_cluster" => {
            (20, Request::new(|rk, o, q| unsafe { ffi::rd_kafka_DescribeCluster(rk, o, q) }))
        }
        "list_offsets" => {
            let v: Vec<(String, i32, i64)> = ext(a, op, "[(topic, partition, spec)]")?;
            let mut l = List::new(v.len());
            for (t, p, spec) in &v {
                l.add(t, *p).offset = *spec;
            }
            (
                21,
                Request::new(move |rk, o, q| {
                    let l = l;
                    unsafe { ffi::rd_kafka_ListOffsets(rk, l.0, o, q) }
                }),
            )
        }
        "elect_leaders" => {
            let (kind, parts): (c_int, Option<Vec<(String, i32)>>) =
                ext(a, op, &format!("(election_type, {TP}|None)"))?;
            let l = List::opt(&parts);
            let mut o = Objs::new(ffi::rd_kafka_ElectLeaders_destroy);
            o.push(unsafe { ffi::rd_kafka_ElectLeaders_new(kind, l.0) }, || {
                exc(py, ERR_INVALID_ARG, Some("invalid elect_leaders request".into()))
            })?;
            (
                22,
                Request::new(move |rk, opts, q| {
                    let o = o;
                    unsafe { ffi::rd_kafka_ElectLeaders(rk, o.v[0], opts, q) }
                }),
            )
        }
        _ => return super::ext::parse_args(py, op, a),
    })
}

fn unreachable_err(py: Python<'_>) -> PyErr {
    exc(py, ERR_INVALID_ARG, Some("invalid request".into()))
}

fn create_topics(py: Python<'_>, a: &Bound<'_, PyAny>) -> PyResult<Request> {
    type Nt = (String, i32, i32, Option<Vec<Vec<i32>>>, Option<HashMap<String, String>>);
    let v: Vec<Nt> = ext(
        a,
        "create_topics",
        "[(topic, num_partitions, replication_factor, replica_assignment|None, config)]",
    )?;
    let mut o = Objs::new(ffi::rd_kafka_NewTopic_destroy);
    for (t, np, rf, ra, cfg) in v {
        let mut e = ErrBuf::new();
        let c = cstring(&t);
        let x = unsafe { ffi::rd_kafka_NewTopic_new(c.as_ptr(), np, rf, e.p(), e.n()) };
        let x = o.push(x, || e.invalid(py, "invalid topic"))?;
        for (i, mut ids) in ra.unwrap_or_default().into_iter().enumerate() {
            let mut e = ErrBuf::new();
            let r = unsafe {
                ffi::rd_kafka_NewTopic_set_replica_assignment(
                    x,
                    i as i32,
                    ids.as_mut_ptr(),
                    ids.len(),
                    e.p(),
                    e.n(),
                )
            };
            if r != 0 {
                return Err(e.invalid(py, "invalid replica assignment"));
            }
        }
        for (k, val) in cfg.unwrap_or_default() {
            let (k, val) = (cstring(&k), cstring(&val));
            crate::error::check(py, unsafe {
                ffi::rd_kafka_NewTopic_set_config(x, k.as_ptr(), val.as_ptr())
            })?;
        }
    }
    Ok(o.launch(ffi::rd_kafka_CreateTopics))
}

fn create_partitions(py: Python<'_>, a: &Bound<'_, PyAny>) -> PyResult<Request> {
    type Np = (String, usize, Option<Vec<Vec<i32>>>);
    let v: Vec<Np> = ext(a, "create_partitions", "[(topic, new_total_count, replica_assignment|None)]")?;
    let mut o = Objs::new(ffi::rd_kafka_NewPartitions_destroy);
    for (t, n, ra) in v {
        let mut e = ErrBuf::new();
        let c = cstring(&t);
        let x = unsafe { ffi::rd_kafka_NewPartitions_new(c.as_ptr(), n, e.p(), e.n()) };
        let x = o.push(x, || e.invalid(py, "invalid topic"))?;
        for (i, mut ids) in ra.unwrap_or_default().into_iter().enumerate() {
            let mut e = ErrBuf::new();
            let r = unsafe {
                ffi::rd_kafka_NewPartitions_set_replica_assignment(
                    x,
                    i as i32,
                    ids.as_mut_ptr(),
                    ids.len(),
                    e.p(),
                    e.n(),
                )
            };
            if r != 0 {
                return Err(e.invalid(py, "invalid replica assignment"));
            }
        }
    }
    Ok(o.launch(ffi::rd_kafka_CreatePartitions))
}

fn resource(py: Python<'_>, o: &mut Objs, rt: c_int, name: &str) -> PyResult<*mut V> {
    let c = cstring(name);
    o.push(unsafe { ffi::rd_kafka_ConfigResource_new(rt, c.as_ptr()) }, || {
        exc(py, ERR_INVALID_ARG, Some(format!("invalid config resource ({rt}, '{name}')")))
    })
}

type Acl = (c_int, Option<String>, c_int, Option<String>, Option<String>, c_int, c_int);
const ACL: &str = "[(restype, name, pattern_type, principal, host, operation, permission_type)]";
const ACL_FILTER: &str =
    "(restype, name|None, pattern_type, principal|None, host|None, operation, permission_type)";

fn acl_new(py: Python<'_>, a: &Acl, filter: bool) -> PyResult<*mut V> {
    let (rt, name, pat, princ, host, op, perm) = a;
    let (n, p, h) = (opt_c(name), opt_c(princ), opt_c(host));
    let mut e = ErrBuf::new();
    let f = if filter { ffi::rd_kafka_AclBindingFilter_new } else { ffi::rd_kafka_AclBinding_new };
    let x = unsafe { f(*rt, ptr(&n), *pat, ptr(&p), ptr(&h), *op, *perm, e.p(), e.n()) };
    if x.is_null() {
        return Err(e.invalid(py, "invalid ACL binding"));
    }
    Ok(x)
}

/// [("upsert", user, mechanism, iterations, password, salt|None) | ("delete", user, mechanism)]
fn alter_scram(py: Python<'_>, a: &Bound<'_, PyAny>) -> PyResult<Request> {
    const SHAPE: &str = "[(\"upsert\", user, mechanism, iterations, password: bytes, salt: bytes|None) | (\"delete\", user, mechanism)]";
    let items: Vec<Bound<'_, PyTuple>> = ext(a, "alter_user_scram_credentials", SHAPE)?;
    let mut o = Objs::new(ffi::rd_kafka_UserScramCredentialAlteration_destroy);
    for it in &items {
        if it.is_empty() {
            return Err(PyValueError::new_err(format!(
                "alter_user_scram_credentials: expected {SHAPE}: empty tuple"
            )));
        }
        let kind: String = ext(&it.get_item(0)?, "alter_user_scram_credentials", SHAPE)?;
        let x = match kind.as_str() {
            "upsert" => {
                type Up<'a> = (String, String, c_int, i32, Bound<'a, PyBytes>, Option<Bound<'a, PyBytes>>);
                let (_, user, mech, iters, pw, salt): Up<'_> =
                    ext(it, "alter_user_scram_credentials", SHAPE)?;
                let u = cstring(&user);
                let (pw, salt) = (pw.as_bytes(), salt.as_ref().map(|s| s.as_bytes()));
                unsafe {
                    ffi::rd_kafka_UserScramCredentialUpsertion_new(
                        u.as_ptr(),
                        mech,
                        iters,
                        pw.as_ptr(),
                        pw.len(),
                        salt.map_or(std::ptr::null(), |s| s.as_ptr()),
                        salt.map_or(0, |s| s.len()),
                    )
                }
            }
            "delete" => {
                let (_, user, mech): (String, String, c_int) =
                    ext(it, "alter_user_scram_credentials", SHAPE)?;
                let u = cstring(&user);
                unsafe { ffi::rd_kafka_UserScramCredentialDeletion_new(u.as_ptr(), mech) }
            }
            k => {
                return Err(PyValueError::new_err(format!(
                    "alter_user_scram_credentials: unknown alteration '{k}'"
                )))
            }
        };
        o.push(x, || exc(py, ERR_INVALID_ARG, Some("invalid SCRAM credential alteration".into())))?;
    }
    Ok(o.launch(ffi::rd_kafka_AlterUserScramCredentials))
}
