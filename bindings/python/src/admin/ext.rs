//! kafkars' admin extensions (KAFKARS_ADMIN_OP_*): their requests from plain data and
//! their results as plain data, in the style of the core operations (args.rs, results.rs).

use super::args::{ext, CStrs, ErrBuf, List, Objs, Request};
use super::ffi::{self, V};
use super::results::{arr, kerr, node, opt_text, part, partition_results, slice, tps, uuid, Obj};
use crate::error::{check_error, exc};
use crate::util::{cstring, text};
use libc::{c_int, size_t};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::IntoPyObjectExt;

const ERR_INVALID_ARG: i32 = -186;
const TP: &str = "[(topic, partition)]";

/// (admin op code, request) of an extension op.
pub fn parse_args(py: Python<'_>, op: &str, a: &Bound<'_, PyAny>) -> PyResult<(c_int, Request)> {
    Ok(match op {
        "describe_log_dirs" => {
            type Args = (Option<Vec<i32>>, Option<Vec<(String, i32)>>);
            let (ids, parts): Args = if a.is_none() {
                (None, None)
            } else {
                ext(a, op, &format!("([broker_id]|None, {TP}|None)"))?
            };
            let (ids, l) = (ids.unwrap_or_default(), List::opt(&parts));
            (
                1001,
                Request::new(move |rk, o, q| {
                    let (ids, l) = (ids, l);
                    unsafe { ffi::kafkars_DescribeLogDirs(rk, l.0, ids.as_ptr(), ids.len(), o, q) }
                }),
            )
        }
        "alter_replica_log_dirs" => {
            let v: Vec<(String, i32, i32, String)> = ext(a, op, "[(topic, partition, broker_id, path)]")?;
            let mut o = Objs::new(ffi::kafkars_ReplicaLogDir_destroy);
            for (t, p, b, path) in &v {
                let mut e = ErrBuf::new();
                let (t, path) = (cstring(t), cstring(path));
                let x = unsafe {
                    ffi::kafkars_ReplicaLogDir_new(t.as_ptr(), *p, *b, path.as_ptr(), e.p(), e.n())
                };
                o.push(x, || e.invalid(py, "invalid replica log dir"))?;
            }
            (1002, o.launch(ffi::kafkars_AlterReplicaLogDirs))
        }
        "describe_metadata_quorum" => {
            (1003, Request::new(|rk, o, q| unsafe { ffi::kafkars_DescribeMetadataQuorum(rk, o, q) }))
        }
        "describe_features" => {
            (1004, Request::new(|rk, o, q| unsafe { ffi::kafkars_DescribeFeatures(rk, o, q) }))
        }
        "update_features" => {
            let v: Vec<(String, i16, c_int)> = ext(a, op, "[(feature, max_version_level, upgrade_type)]")?;
            let mut o = Objs::new(ffi::kafkars_FeatureUpdate_destroy);
            for (f, lvl, kind) in &v {
                let mut e = ErrBuf::new();
                let f = cstring(f);
                let x = unsafe { ffi::kafkars_FeatureUpdate_new(f.as_ptr(), *lvl, *kind, e.p(), e.n()) };
                o.push(x, || e.invalid(py, "invalid feature update"))?;
            }
            (1005, o.launch(ffi::kafkars_UpdateFeatures))
        }
        "alter_partition_reassignments" => {
            let v: Vec<(String, i32, Option<Vec<i32>>)> = ext(a, op, "[(topic, partition, [replica]|None)]")?;
            let mut o = Objs::new(ffi::kafkars_PartitionReassignment_destroy);
            for (t, p, reps) in &v {
                let mut e = ErrBuf::new();
                let t = cstring(t);
                let (rp, rn) = reps.as_ref().map_or((std::ptr::null(), 0), |r| (r.as_ptr(), r.len()));
                let x =
                    unsafe { ffi::kafkars_PartitionReassignment_new(t.as_ptr(), *p, rp, rn, e.p(), e.n()) };
                o.push(x, || e.invalid(py, "invalid partition reassignment"))?;
            }
            (1006, o.launch(ffi::kafkars_AlterPartitionReassignments))
        }
        "list_partition_reassignments" => {
            let parts: Option<Vec<(String, i32)>> = ext(a, op, &format!("{TP}|None"))?;
            let l = List::opt(&parts);
            (
                1007,
                Request::new(move |rk, o, q| {
                    let l = l;
                    unsafe { ffi::kafkars_ListPartitionReassignments(rk, l.0, o, q) }
                }),
            )
        }
        "list_config_resources" => {
            let types: Vec<c_int> = ext::<Option<Vec<c_int>>>(a, op, "[type]|None")?.unwrap_or_default();
            (
                1008,
                Request::new(move |rk, o, q| {
                    let t = types;
                    unsafe { ffi::kafkars_ListConfigResources(rk, t.as_ptr(), t.len(), o, q) }
                }),
            )
        }
        "remove_group_members" => {
            type M = (Option<String>, Option<String>, Option<String>);
            let (g, members): (String, Vec<M>) =
                ext(a, op, "(group, [(member_id|None, group_instance_id|None, reason|None)])")?;
            let gc = cstring(&g);
            let mut o = Objs::new(ffi::kafkars_RemoveGroupMembers_destroy);
            let x = o.push(unsafe { ffi::kafkars_RemoveGroupMembers_new(gc.as_ptr()) }, || {
                exc(py, ERR_INVALID_ARG, Some(format!("invalid group id '{g}'")))
            })?;
            for (m, i, r) in &members {
                let (m, i, r) =
                    (m.as_deref().map(cstring), i.as_deref().map(cstring), r.as_deref().map(cstring));
                let p = |s: &Option<std::ffi::CString>| s.as_ref().map_or(std::ptr::null(), |s| s.as_ptr());
                unsafe { check_error(py, ffi::kafkars_RemoveGroupMembers_add(x, p(&m), p(&i), p(&r)))? };
            }
            (
                1009,
                Request::new(move |rk, opts, q| {
                    let o = o;
                    unsafe { ffi::kafkars_RemoveGroupMembers(rk, o.v[0], opts, q) }
                }),
            )
        }
        "list_transactions" => {
            (1010, Request::new(|rk, o, q| unsafe { ffi::kafkars_ListTransactions(rk, o, q) }))
        }
        "describe_transactions" => {
            let v: Vec<String> = ext(a, op, "[transactional_id]")?;
            let s = CStrs::of(&v);
            (
                1011,
                Request::new(move |rk, o, q| {
                    let s = s;
                    unsafe { ffi::kafkars_DescribeTransactions(rk, s.p.as_ptr(), s.p.len(), o, q) }
                }),
            )
        }
        "describe_producers" => {
            let parts: Vec<(String, i32)> = ext(a, op, TP)?;
            let l = List::of(&parts);
            (
                1012,
                Request::new(move |rk, o, q| {
                    let l = l;
                    unsafe { ffi::kafkars_DescribeProducers(rk, l.0, o, q) }
                }),
            )
        }
        "abort_transaction" => {
            let (t, p, pid, epoch, ce): (String, i32, i64, i16, i32) =
                ext(a, op, "(topic, partition, producer_id, producer_epoch, coordinator_epoch)")?;
            let mut e = ErrBuf::new();
            let tc = cstring(&t);
            let x = unsafe {
                ffi::kafkars_AbortTransactionSpec_new(tc.as_ptr(), p, pid, epoch, ce, e.p(), e.n())
            };
            let mut o = Objs::new(ffi::kafkars_AbortTransactionSpec_destroy);
            o.push(x, || e.invalid(py, "invalid abort transaction spec"))?;
            (
                1013,
                Request::new(move |rk, opts, q| {
                    let o = o;
                    unsafe { ffi::kafkars_AbortTransaction(rk, o.v[0], opts, q) }
                }),
            )
        }
        _ => return Err(PyValueError::new_err(format!("unknown admin operation '{op}'"))),
    })
}

/// (topic, partition, size, offset_lag, is_future) of a log dir's replica.
type Replica = (String, i32, i64, i64, bool);

/// An int32 array of a result as a Vec.
unsafe fn ids(f: unsafe extern "C" fn(*const V, *mut size_t) -> *const i32, x: *const V) -> Vec<i32> {
    let mut n = 0;
    let p = f(x, &mut n);
    slice(p, n).to_vec()
}

/// The result of an extension event (type `t`) as plain data.
pub unsafe fn convert(py: Python<'_>, t: c_int, ev: *mut V) -> PyResult<Obj> {
    let r = ev as *const V;
    let list = |v: PyResult<Vec<Obj>>| -> PyResult<Obj> { v?.into_py_any(py) };
    match t {
        10001 => list(
            arr(ffi::kafkars_DescribeLogDirs_result_brokers, r)
                .iter()
                .map(|b| {
                    let dirs: PyResult<Vec<Obj>> = arr(ffi::kafkars_BrokerLogDirs_log_dirs, *b)
                        .iter()
                        .map(|d| {
                            let reps: PyResult<Vec<Replica>> = arr(ffi::kafkars_LogDir_replicas, *d)
                                .iter()
                                .map(|x| {
                                    let p = part(ffi::kafkars_ReplicaInfo_partition(*x))?;
                                    Ok((
                                        text(p.topic),
                                        p.partition,
                                        ffi::kafkars_ReplicaInfo_size(*x),
                                        ffi::kafkars_ReplicaInfo_offset_lag(*x),
                                        ffi::kafkars_ReplicaInfo_is_future(*x) != 0,
                                    ))
                                })
                                .collect();
                            (
                                text(ffi::kafkars_LogDir_path(*d)),
                                kerr(py, ffi::kafkars_LogDir_error(*d))?,
                                ffi::kafkars_LogDir_total_bytes(*d),
                                ffi::kafkars_LogDir_usable_bytes(*d),
                                reps?,
                            )
                                .into_py_any(py)
                        })
                        .collect();
                    (
                        ffi::kafkars_BrokerLogDirs_broker_id(*b),
                        kerr(py, ffi::kafkars_BrokerLogDirs_error(*b))?,
                        dirs?,
                    )
                        .into_py_any(py)
                })
                .collect(),
        ),
        10002 => list(
            arr(ffi::kafkars_AlterReplicaLogDirs_result_replicas, r)
                .iter()
                .map(|x| {
                    let m = ffi::kafkars_ReplicaLogDirResult_replica(*x);
                    (
                        text(ffi::kafkars_ReplicaLogDir_topic(m)),
                        ffi::kafkars_ReplicaLogDir_partition(m),
                        ffi::kafkars_ReplicaLogDir_broker_id(m),
                        text(ffi::kafkars_ReplicaLogDir_path(m)),
                        kerr(py, ffi::kafkars_ReplicaLogDirResult_error(*x))?,
                    )
                        .into_py_any(py)
                })
                .collect(),
        ),
        10003 => {
            let q = ffi::kafkars_DescribeMetadataQuorum_result_quorum_info(r);
            if q.is_null() {
                return Ok(py.None());
            }
            let states = |a: &[*const V]| -> PyResult<Vec<Obj>> {
                a.iter()
                    .map(|s| {
                        let d = ffi::kafkars_ReplicaState_directory_id(*s);
                        (
                            ffi::kafkars_ReplicaState_replica_id(*s),
                            (!d.is_null()).then(|| uuid(py, d)),
                            ffi::kafkars_ReplicaState_log_end_offset(*s),
                            ffi::kafkars_ReplicaState_last_fetch_timestamp(*s),
                            ffi::kafkars_ReplicaState_last_caught_up_timestamp(*s),
                        )
                            .into_py_any(py)
                    })
                    .collect()
            };
            let nodes: PyResult<Vec<Obj>> = arr(ffi::kafkars_QuorumInfo_nodes, q)
                .iter()
                .enumerate()
                .map(|(i, n)| {
                    (node(py, *n)?, opt_text(ffi::kafkars_QuorumInfo_node_listener(q, i))).into_py_any(py)
                })
                .collect();
            (
                ffi::kafkars_QuorumInfo_leader_id(q),
                ffi::kafkars_QuorumInfo_leader_epoch(q),
                ffi::kafkars_QuorumInfo_high_watermark(q),
                states(arr(ffi::kafkars_QuorumInfo_voters, q))?,
                states(arr(ffi::kafkars_QuorumInfo_observers, q))?,
                nodes?,
            )
                .into_py_any(py)
        }
        10004 => {
            let fs: Vec<(String, c_int, c_int, c_int, c_int)> =
                arr(ffi::kafkars_DescribeFeatures_result_features, r)
                    .iter()
                    .map(|f| {
                        (
                            text(ffi::kafkars_Feature_name(*f)),
                            ffi::kafkars_Feature_supported_min(*f),
                            ffi::kafkars_Feature_supported_max(*f),
                            ffi::kafkars_Feature_finalized_min(*f),
                            ffi::kafkars_Feature_finalized_max(*f),
                        )
                    })
                    .collect();
            (ffi::kafkars_DescribeFeatures_result_finalized_epoch(r), fs).into_py_any(py)
        }
        10005 => list(
            arr(ffi::kafkars_UpdateFeatures_result_features, r)
                .iter()
                .map(|x| {
                    (
                        text(ffi::kafkars_FeatureUpdateResult_name(*x)),
                        kerr(py, ffi::kafkars_FeatureUpdateResult_error(*x))?,
                    )
                        .into_py_any(py)
                })
                .collect(),
        ),
        10006 => partition_results(py, arr(ffi::kafkars_AlterPartitionReassignments_result_partitions, r)),
        10007 => {
            type Ongoing = (String, i32, Vec<i32>, Vec<i32>, Vec<i32>);
            let v: PyResult<Vec<Ongoing>> =
                arr(ffi::kafkars_ListPartitionReassignments_result_reassignments, r)
                    .iter()
                    .map(|x| {
                        let p = part(ffi::kafkars_OngoingReassignment_partition(*x))?;
                        Ok((
                            text(p.topic),
                            p.partition,
                            ids(ffi::kafkars_OngoingReassignment_replicas, *x),
                            ids(ffi::kafkars_OngoingReassignment_adding_replicas, *x),
                            ids(ffi::kafkars_OngoingReassignment_removing_replicas, *x),
                        ))
                    })
                    .collect();
            v?.into_py_any(py)
        }
        10008 => {
            let v: Vec<(String, c_int)> = arr(ffi::kafkars_ListConfigResources_result_resources, r)
                .iter()
                .map(|l| {
                    (
                        text(ffi::kafkars_ConfigResourceListing_name(*l)),
                        ffi::kafkars_ConfigResourceListing_type(*l),
                    )
                })
                .collect();
            v.into_py_any(py)
        }
        10009 => list(
            arr(ffi::kafkars_RemoveGroupMembers_result_members, r)
                .iter()
                .map(|m| {
                    (
                        text(ffi::kafkars_MemberRemoval_member_id(*m)),
                        opt_text(ffi::kafkars_MemberRemoval_group_instance_id(*m)),
                        kerr(py, ffi::kafkars_MemberRemoval_error(*m))?,
                    )
                        .into_py_any(py)
                })
                .collect(),
        ),
        10010 => {
            let txns: Vec<(String, i64, c_int, i32)> =
                arr(ffi::kafkars_ListTransactions_result_transactions, r)
                    .iter()
                    .map(|t| {
                        (
                            text(ffi::kafkars_TransactionListing_transactional_id(*t)),
                            ffi::kafkars_TransactionListing_producer_id(*t),
                            ffi::kafkars_TransactionListing_state(*t),
                            ffi::kafkars_TransactionListing_broker_id(*t),
                        )
                    })
                    .collect();
            let errs: PyResult<Vec<Obj>> =
                arr(ffi::kafkars_ListTransactions_result_errors, r).iter().map(|e| kerr(py, *e)).collect();
            (txns, errs?).into_py_any(py)
        }
        10011 => list(
            arr(ffi::kafkars_DescribeTransactions_result_descriptions, r)
                .iter()
                .map(|d| {
                    (
                        text(ffi::kafkars_TransactionDescription_transactional_id(*d)),
                        kerr(py, ffi::kafkars_TransactionDescription_error(*d))?,
                        node(py, ffi::kafkars_TransactionDescription_coordinator(*d))?,
                        ffi::kafkars_TransactionDescription_state(*d),
                        ffi::kafkars_TransactionDescription_producer_id(*d),
                        ffi::kafkars_TransactionDescription_producer_epoch(*d),
                        ffi::kafkars_TransactionDescription_timeout_ms(*d),
                        ffi::kafkars_TransactionDescription_start_time_ms(*d),
                        tps(ffi::kafkars_TransactionDescription_partitions(*d)),
                    )
                        .into_py_any(py)
                })
                .collect(),
        ),
        10012 => list(
            arr(ffi::kafkars_DescribeProducers_result_partitions, r)
                .iter()
                .map(|x| {
                    let p = part(ffi::kafkars_PartitionProducers_partition(*x))?;
                    let prods: Vec<(i64, i32, i32, i64, i32, i64)> =
                        arr(ffi::kafkars_PartitionProducers_producers, *x)
                            .iter()
                            .map(|s| {
                                (
                                    ffi::kafkars_ProducerState_producer_id(*s),
                                    ffi::kafkars_ProducerState_producer_epoch(*s),
                                    ffi::kafkars_ProducerState_last_sequence(*s),
                                    ffi::kafkars_ProducerState_last_timestamp(*s),
                                    ffi::kafkars_ProducerState_coordinator_epoch(*s),
                                    ffi::kafkars_ProducerState_current_txn_start_offset(*s),
                                )
                            })
                            .collect();
                    (text(p.topic), p.partition, kerr(py, ffi::kafkars_PartitionProducers_error(*x))?, prods)
                        .into_py_any(py)
                })
                .collect(),
        ),
        10013 => Ok(py.None()),
        _ => Err(PyValueError::new_err(format!("unexpected admin event type {t}"))),
    }
}
