//! librdkafka's admin results → plain Python data (tuples, lists, ints, str, bytes,
//! KafkaError or None), as notes/python_admin_native.md lays them out. Everything read
//! here is owned by the event, which the caller destroys afterwards.

use super::ffi::{self, Tpl, V};
use crate::error::KafkaError;
use crate::ffi as core;
use crate::util::text;
use libc::{c_char, c_int, size_t};
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use pyo3::IntoPyObjectExt;

pub type Obj = Py<PyAny>;

/// The result of event `ev` (of any admin type) as plain data.
pub unsafe fn convert(py: Python<'_>, ev: *mut V) -> PyResult<Obj> {
    let r = ev as *const V; // every `*_result_t` is the event itself
    match ffi::rd_kafka_event_type(ev) {
        100 => topic_results(py, r, ffi::rd_kafka_CreateTopics_result_topics),
        101 => topic_results(py, r, ffi::rd_kafka_DeleteTopics_result_topics),
        102 => topic_results(py, r, ffi::rd_kafka_CreatePartitions_result_topics),
        103 => resources(py, r, ffi::rd_kafka_AlterConfigs_result_resources, false),
        104 => resources(py, r, ffi::rd_kafka_DescribeConfigs_result_resources, true),
        0x20000 => resources(py, r, ffi::rd_kafka_IncrementalAlterConfigs_result_resources, false),
        105 => {
            let l = ffi::rd_kafka_DeleteRecords_result_offsets(r);
            let v: PyResult<Vec<Obj>> = tpl(l)
                .iter()
                .map(|p| (text(p.topic), p.partition, p.offset, code_err(py, p.err, None)?).into_py_any(py))
                .collect();
            v?.into_py_any(py)
        }
        106 => {
            let v: PyResult<Vec<Obj>> = arr(ffi::rd_kafka_DeleteGroups_result_groups, r)
                .iter()
                .map(|g| {
                    (
                        text(ffi::rd_kafka_group_result_name(*g)),
                        kerr(py, ffi::rd_kafka_group_result_error(*g))?,
                    )
                        .into_py_any(py)
                })
                .collect();
            v?.into_py_any(py)
        }
        107 => {
            let g = first(arr(ffi::rd_kafka_DeleteConsumerGroupOffsets_result_groups, r))?;
            let parts: PyResult<Vec<Obj>> = tpl(ffi::rd_kafka_group_result_partitions(g))
                .iter()
                .map(|p| (text(p.topic), p.partition, code_err(py, p.err, None)?).into_py_any(py))
                .collect();
            (text(ffi::rd_kafka_group_result_name(g)), kerr(py, ffi::rd_kafka_group_result_error(g))?, parts?)
                .into_py_any(py)
        }
        0x8000 => group_offsets(py, first(arr(ffi::rd_kafka_ListConsumerGroupOffsets_result_groups, r))?),
        0x10000 => group_offsets(py, first(arr(ffi::rd_kafka_AlterConsumerGroupOffsets_result_groups, r))?),
        0x400 => {
            let v: PyResult<Vec<Obj>> = arr(ffi::rd_kafka_CreateAcls_result_acls, r)
                .iter()
                .map(|a| kerr(py, ffi::rd_kafka_acl_result_error(*a)))
                .collect();
            v?.into_py_any(py)
        }
        0x800 => acls(py, arr(ffi::rd_kafka_DescribeAcls_result_acls, r)),
        0x1000 => {
            let v: PyResult<Vec<Obj>> = arr(ffi::rd_kafka_DeleteAcls_result_responses, r)
                .iter()
                .map(|x| {
                    let m = arr(ffi::rd_kafka_DeleteAcls_result_response_matching_acls, *x);
                    (kerr(py, ffi::rd_kafka_DeleteAcls_result_response_error(*x))?, acls(py, m)?)
                        .into_py_any(py)
                })
                .collect();
            v?.into_py_any(py)
        }
        0x2000 => {
            let valid: PyResult<Vec<Obj>> = arr(ffi::rd_kafka_ListConsumerGroups_result_valid, r)
                .iter()
                .map(|g| {
                    (
                        text(ffi::rd_kafka_ConsumerGroupListing_group_id(*g)),
                        ffi::rd_kafka_ConsumerGroupListing_is_simple_consumer_group(*g) != 0,
                        ffi::rd_kafka_ConsumerGroupListing_state(*g),
                        ffi::rd_kafka_ConsumerGroupListing_type(*g),
                    )
                        .into_py_any(py)
                })
                .collect();
            (valid?, errors(py, arr(ffi::rd_kafka_ListConsumerGroups_result_errors, r))?).into_py_any(py)
        }
        0x4000 => {
            let v: PyResult<Vec<Obj>> = arr(ffi::rd_kafka_DescribeConsumerGroups_result_groups, r)
                .iter()
                .map(|g| group_desc(py, *g))
                .collect();
            v?.into_py_any(py)
        }
        0x40000 => {
            let v: PyResult<Vec<Obj>> =
                arr(ffi::rd_kafka_DescribeUserScramCredentials_result_descriptions, r)
                    .iter()
                    .map(|d| {
                        let n = ffi::rd_kafka_UserScramCredentialsDescription_scramcredentialinfo_count(*d);
                        let infos: Vec<(c_int, i32)> = (0..n)
                            .map(|i| {
                                let x =
                                    ffi::rd_kafka_UserScramCredentialsDescription_scramcredentialinfo(*d, i);
                                (
                                    ffi::rd_kafka_ScramCredentialInfo_mechanism(x),
                                    ffi::rd_kafka_ScramCredentialInfo_iterations(x),
                                )
                            })
                            .collect();
                        (
                            text(ffi::rd_kafka_UserScramCredentialsDescription_user(*d)),
                            kerr(py, ffi::rd_kafka_UserScramCredentialsDescription_error(*d))?,
                            infos,
                        )
                            .into_py_any(py)
                    })
                    .collect();
            v?.into_py_any(py)
        }
        0x80000 => {
            let v: PyResult<Vec<Obj>> = arr(ffi::rd_kafka_AlterUserScramCredentials_result_responses, r)
                .iter()
                .map(|x| {
                    (
                        text(ffi::rd_kafka_AlterUserScramCredentials_result_response_user(*x)),
                        kerr(py, ffi::rd_kafka_AlterUserScramCredentials_result_response_error(*x))?,
                    )
                        .into_py_any(py)
                })
                .collect();
            v?.into_py_any(py)
        }
        0x100000 => {
            let v: PyResult<Vec<Obj>> = arr(ffi::rd_kafka_DescribeTopics_result_topics, r)
                .iter()
                .map(|t| topic_desc(py, *t))
                .collect();
            v?.into_py_any(py)
        }
        0x200000 => {
            let nodes: PyResult<Vec<Obj>> =
                arr(ffi::rd_kafka_DescribeCluster_result_nodes, r).iter().map(|n| node(py, *n)).collect();
            let mut cnt = 0;
            let ops = ffi::rd_kafka_DescribeCluster_result_authorized_operations(r, &mut cnt);
            (
                opt_text(ffi::rd_kafka_DescribeCluster_result_cluster_id(r)),
                node(py, ffi::rd_kafka_DescribeCluster_result_controller(r))?,
                nodes?,
                auth_ops(ops, cnt),
            )
                .into_py_any(py)
        }
        0x400000 => {
            let v: PyResult<Vec<Obj>> = arr(ffi::rd_kafka_ListOffsets_result_infos, r)
                .iter()
                .map(|i| {
                    let p = part(ffi::rd_kafka_ListOffsetsResultInfo_topic_partition(*i))?;
                    (
                        text(p.topic),
                        p.partition,
                        p.offset,
                        ffi::rd_kafka_ListOffsetsResultInfo_timestamp(*i),
                        epoch(p),
                        code_err(py, p.err, None)?,
                    )
                        .into_py_any(py)
                })
                .collect();
            v?.into_py_any(py)
        }
        0x800000 => partition_results(py, arr(ffi::rd_kafka_ElectLeaders_result_partitions, r)),
        t => super::ext::convert(py, t, ev),
    }
}

type ArrFn = unsafe extern "C" fn(*const V, *mut size_t) -> *const *const V;

/// A result's array as a slice (empty for NULL).
pub unsafe fn arr<'a>(f: ArrFn, r: *const V) -> &'a [*const V] {
    let mut n: size_t = 0;
    let p = f(r, &mut n);
    slice(p, n)
}

pub unsafe fn slice<'a, T>(p: *const T, n: size_t) -> &'a [T] {
    if p.is_null() || n == 0 {
        &[]
    } else {
        std::slice::from_raw_parts(p, n)
    }
}

unsafe fn first(a: &[*const V]) -> PyResult<*const V> {
    a.first().copied().ok_or_else(|| pyo3::exceptions::PyValueError::new_err("empty group result"))
}

/// A topic partition list's elements (none for NULL).
pub unsafe fn tpl<'a>(l: *const Tpl) -> &'a [core::rd_kafka_topic_partition_t] {
    if l.is_null() {
        &[]
    } else {
        slice((*l).elems, (*l).cnt.max(0) as size_t)
    }
}

/// A partition a result points at (a ValueError for NULL rather than a crash).
pub unsafe fn part<'a>(
    p: *const core::rd_kafka_topic_partition_t,
) -> PyResult<&'a core::rd_kafka_topic_partition_t> {
    p.as_ref().ok_or_else(|| pyo3::exceptions::PyValueError::new_err("result without a partition"))
}

/// A leader epoch, None when unknown (-1).
pub unsafe fn epoch(p: &core::rd_kafka_topic_partition_t) -> Option<i32> {
    let e = core::rd_kafka_topic_partition_get_leader_epoch(p);
    (e >= 0).then_some(e)
}

pub unsafe fn opt_text(p: *const c_char) -> Option<String> {
    (!p.is_null()).then(|| text(p))
}

/// An rd_kafka_error_t the result owns as KafkaError (None for NULL or NO_ERROR).
pub unsafe fn kerr(py: Python<'_>, e: *const V) -> PyResult<Obj> {
    if e.is_null() || ffi::rd_kafka_error_code(e) == 0 {
        return Ok(py.None());
    }
    let k = KafkaError {
        code: ffi::rd_kafka_error_code(e),
        reason: Some(text(ffi::rd_kafka_error_string(e))),
        fatal: ffi::rd_kafka_error_is_fatal(e) != 0,
        retriable: ffi::rd_kafka_error_is_retriable(e) != 0,
        txn_requires_abort: ffi::rd_kafka_error_txn_requires_abort(e) != 0,
    };
    Ok(Py::new(py, k)?.into_any())
}

/// An error code (with its text, if any) as KafkaError, None for 0.
pub fn code_err(py: Python<'_>, code: c_int, why: Option<String>) -> PyResult<Obj> {
    if code == 0 {
        return Ok(py.None());
    }
    Ok(Py::new(py, KafkaError::of(code, why.filter(|s| !s.is_empty())))?.into_any())
}

pub unsafe fn errors(py: Python<'_>, a: &[*const V]) -> PyResult<Obj> {
    let v: PyResult<Vec<Obj>> = a.iter().map(|e| kerr(py, *e)).collect();
    v?.into_py_any(py)
}

/// A node as (id, host, port, rack|None); None for NULL.
pub unsafe fn node(py: Python<'_>, n: *const V) -> PyResult<Obj> {
    if n.is_null() {
        return Ok(py.None());
    }
    (
        ffi::rd_kafka_Node_id(n),
        text(ffi::rd_kafka_Node_host(n)),
        ffi::rd_kafka_Node_port(n),
        opt_text(ffi::rd_kafka_Node_rack(n)),
    )
        .into_py_any(py)
}

/// Authorized operations: list[int], None when not reported (NULL).
pub unsafe fn auth_ops(p: *const c_int, n: size_t) -> Option<Vec<c_int>> {
    (!p.is_null()).then(|| slice(p, n).to_vec())
}

/// A UUID as 16 bytes, big-endian (all zero for NULL).
pub unsafe fn uuid(py: Python<'_>, u: *const V) -> Obj {
    let mut b = [0u8; 16];
    if !u.is_null() {
        b[..8].copy_from_slice(&ffi::rd_kafka_Uuid_most_significant_bits(u).to_be_bytes());
        b[8..].copy_from_slice(&ffi::rd_kafka_Uuid_least_significant_bits(u).to_be_bytes());
    }
    PyBytes::new(py, &b).into_any().unbind()
}

/// [(topic, partition)] of a list.
pub unsafe fn tps(l: *const Tpl) -> Vec<(String, i32)> {
    tpl(l).iter().map(|p| (text(p.topic), p.partition)).collect()
}

unsafe fn topic_results(py: Python<'_>, r: *const V, f: ArrFn) -> PyResult<Obj> {
    let v: PyResult<Vec<Obj>> = arr(f, r)
        .iter()
        .map(|t| {
            let why = opt_text(ffi::rd_kafka_topic_result_error_string(*t));
            (
                text(ffi::rd_kafka_topic_result_name(*t)),
                code_err(py, ffi::rd_kafka_topic_result_error(*t), why)?,
            )
                .into_py_any(py)
        })
        .collect();
    v?.into_py_any(py)
}

/// [(restype, name, err[, [entry]])]: entries for DescribeConfigs only.
unsafe fn resources(py: Python<'_>, r: *const V, f: ArrFn, entries: bool) -> PyResult<Obj> {
    let v: PyResult<Vec<Obj>> = arr(f, r)
        .iter()
        .map(|c| {
            let (rt, name) =
                (ffi::rd_kafka_ConfigResource_type(*c), text(ffi::rd_kafka_ConfigResource_name(*c)));
            let why = opt_text(ffi::rd_kafka_ConfigResource_error_string(*c));
            let err = code_err(py, ffi::rd_kafka_ConfigResource_error(*c), why)?;
            if !entries {
                return (rt, name, err).into_py_any(py);
            }
            let es: PyResult<Vec<Obj>> =
                arr(ffi::rd_kafka_ConfigResource_configs, *c).iter().map(|e| entry(py, *e)).collect();
            (rt, name, err, es?).into_py_any(py)
        })
        .collect();
    v?.into_py_any(py)
}

unsafe fn entry(py: Python<'_>, e: *const V) -> PyResult<Obj> {
    let syn: PyResult<Vec<Obj>> =
        arr(ffi::rd_kafka_ConfigEntry_synonyms, e).iter().map(|s| entry(py, *s)).collect();
    (
        text(ffi::rd_kafka_ConfigEntry_name(e)),
        opt_text(ffi::rd_kafka_ConfigEntry_value(e)),
        ffi::rd_kafka_ConfigEntry_source(e),
        ffi::rd_kafka_ConfigEntry_is_read_only(e) != 0,
        ffi::rd_kafka_ConfigEntry_is_default(e) != 0,
        ffi::rd_kafka_ConfigEntry_is_sensitive(e) != 0,
        ffi::rd_kafka_ConfigEntry_is_synonym(e) != 0,
        syn?,
    )
        .into_py_any(py)
}

/// (group, err, [(topic, partition, offset, metadata|None, leader_epoch|None, err)])
unsafe fn group_offsets(py: Python<'_>, g: *const V) -> PyResult<Obj> {
    let parts: PyResult<Vec<Obj>> = tpl(ffi::rd_kafka_group_result_partitions(g))
        .iter()
        .map(|p| {
            let md = (!p.metadata.is_null()).then(|| {
                let b = slice(p.metadata as *const u8, p.metadata_size);
                String::from_utf8_lossy(b).into_owned()
            });
            (text(p.topic), p.partition, p.offset, md, epoch(p), code_err(py, p.err, None)?).into_py_any(py)
        })
        .collect();
    (text(ffi::rd_kafka_group_result_name(g)), kerr(py, ffi::rd_kafka_group_result_error(g))?, parts?)
        .into_py_any(py)
}

unsafe fn acls(py: Python<'_>, a: &[*const V]) -> PyResult<Obj> {
    let v: PyResult<Vec<Obj>> = a
        .iter()
        .map(|x| {
            (
                ffi::rd_kafka_AclBinding_restype(*x),
                opt_text(ffi::rd_kafka_AclBinding_name(*x)),
                ffi::rd_kafka_AclBinding_resource_pattern_type(*x),
                opt_text(ffi::rd_kafka_AclBinding_principal(*x)),
                opt_text(ffi::rd_kafka_AclBinding_host(*x)),
                ffi::rd_kafka_AclBinding_operation(*x),
                ffi::rd_kafka_AclBinding_permission_type(*x),
            )
                .into_py_any(py)
        })
        .collect();
    v?.into_py_any(py)
}

unsafe fn group_desc(py: Python<'_>, g: *const V) -> PyResult<Obj> {
    let n = ffi::rd_kafka_ConsumerGroupDescription_member_count(g);
    let mut members = Vec::with_capacity(n);
    for i in 0..n {
        let m = ffi::rd_kafka_ConsumerGroupDescription_member(g, i);
        let a = ffi::rd_kafka_MemberDescription_assignment(m);
        let assigned =
            if a.is_null() { Vec::new() } else { tps(ffi::rd_kafka_MemberAssignment_partitions(a)) };
        let t = ffi::rd_kafka_MemberDescription_target_assignment(m);
        let target = (!t.is_null()).then(|| tps(ffi::rd_kafka_MemberAssignment_partitions(t)));
        members.push(
            (
                text(ffi::rd_kafka_MemberDescription_consumer_id(m)),
                text(ffi::rd_kafka_MemberDescription_client_id(m)),
                text(ffi::rd_kafka_MemberDescription_host(m)),
                opt_text(ffi::rd_kafka_MemberDescription_group_instance_id(m)),
                assigned,
                target,
            )
                .into_py_any(py)?,
        );
    }
    let mut cnt = 0;
    let ops = ffi::rd_kafka_ConsumerGroupDescription_authorized_operations(g, &mut cnt);
    (
        text(ffi::rd_kafka_ConsumerGroupDescription_group_id(g)),
        kerr(py, ffi::rd_kafka_ConsumerGroupDescription_error(g))?,
        ffi::rd_kafka_ConsumerGroupDescription_is_simple_consumer_group(g) != 0,
        text(ffi::rd_kafka_ConsumerGroupDescription_partition_assignor(g)),
        ffi::rd_kafka_ConsumerGroupDescription_state(g),
        ffi::rd_kafka_ConsumerGroupDescription_type(g),
        node(py, ffi::rd_kafka_ConsumerGroupDescription_coordinator(g))?,
        members,
        auth_ops(ops, cnt),
    )
        .into_py_any(py)
}

unsafe fn topic_desc(py: Python<'_>, t: *const V) -> PyResult<Obj> {
    let nodes = |a: &[*const V]| -> PyResult<Vec<Obj>> { a.iter().map(|n| node(py, *n)).collect() };
    let parts: PyResult<Vec<Obj>> = arr(ffi::rd_kafka_TopicDescription_partitions, t)
        .iter()
        .map(|p| {
            (
                ffi::rd_kafka_TopicPartitionInfo_partition(*p),
                node(py, ffi::rd_kafka_TopicPartitionInfo_leader(*p))?,
                nodes(arr(ffi::rd_kafka_TopicPartitionInfo_replicas, *p))?,
                nodes(arr(ffi::rd_kafka_TopicPartitionInfo_isr, *p))?,
            )
                .into_py_any(py)
        })
        .collect();
    let mut cnt = 0;
    let ops = ffi::rd_kafka_TopicDescription_authorized_operations(t, &mut cnt);
    (
        text(ffi::rd_kafka_TopicDescription_name(t)),
        uuid(py, ffi::rd_kafka_TopicDescription_topic_id(t)),
        ffi::rd_kafka_TopicDescription_is_internal(t) != 0,
        kerr(py, ffi::rd_kafka_TopicDescription_error(t))?,
        parts?,
        auth_ops(ops, cnt),
    )
        .into_py_any(py)
}

/// [(topic, partition, err)] of topic_partition_result_t's.
pub unsafe fn partition_results(py: Python<'_>, a: &[*const V]) -> PyResult<Obj> {
    let v: PyResult<Vec<Obj>> = a
        .iter()
        .map(|x| {
            let p = part(ffi::rd_kafka_topic_partition_result_partition(*x))?;
            (text(p.topic), p.partition, kerr(py, ffi::rd_kafka_topic_partition_result_error(*x))?)
                .into_py_any(py)
        })
        .collect();
    v?.into_py_any(py)
}
