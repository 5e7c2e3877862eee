//! kafkars extensions on transactions, in librdkafka's admin style, as kafka-python's
//! KafkaAdminClient offers them: ListTransactions (with its AdminOptions filters),
//! DescribeTransactions, DescribeProducers, AbortTransaction.

use super::call::{call, invalid, no_duplicates};
use super::conv::{empty, owned_string, partition_list, IntoC};
use super::node::{node_ptr, NodeHandle};
use super::options::AdminOptionsHandle;
use super::results::{out, result_of};
use super::view::{cstr, payload, Arr, OwnedError, OwnedErrors, OwnedList};
use super::*;
use crate::admin::engine::Payload;
use crate::admin::result::{
    PartitionProducers, PartitionResult, ProducerState, TransactionDescription, TransactionListings,
};
use crate::admin::run;
use crate::admin::txn::{AbortSpec, TxnState};
use crate::admin::AdminOp;
use crate::capi::boundary::{destroy, obj, obj_mut, tag};
use crate::capi::error::{error_to_c, result_to_c};
use crate::capi::util::write_errstr;
use crate::error::{ErrorCode, KafkaError};
use kafkars_macros::ffi_fn;
use libc::{c_char, size_t};
use std::ffi::CString;
use std::ptr::{null, null_mut};

// ---- ListTransactions and its filters ----

/// The wire name of a transaction state ("Ongoing"); NULL for an unknown value.
/// (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_TransactionState_name(state: kafkars_TransactionState_t) -> *const c_char {
    const NAMES: [&std::ffi::CStr; 9] = [
        c"Unknown",
        c"Empty",
        c"Ongoing",
        c"PrepareCommit",
        c"PrepareAbort",
        c"CompleteCommit",
        c"CompleteAbort",
        c"Dead",
        c"PrepareEpochFence",
    ];
    TxnState::from_i32(state).map_or(null(), |s| NAMES[s as usize].as_ptr())
}

/// Applies `set` to the options (an error object for NULL or another type).
unsafe fn set_txn(
    options: *mut rd_kafka_AdminOptions_t,
    set: impl FnOnce(&mut crate::admin::AdminOptions) -> Result<(), KafkaError>,
) -> *mut rd_kafka_error_t {
    match obj_mut::<AdminOptionsHandle>(options) {
        Some(o) => result_to_c(set(&mut o.options)),
        None => error_to_c(KafkaError::new(ErrorCode::_INVALID_ARG, "options must not be NULL")),
    }
}

/// Lists only transactions in these states (KAFKARS_TXN_STATE_*, not UNKNOWN, none
/// twice; ListTransactions). Returns NULL or an error object. (kafkars extension)
#[ffi_fn(default = crate::capi::error::internal_error())]
pub unsafe extern "C" fn kafkars_AdminOptions_set_match_transaction_states(
    options: *mut rd_kafka_AdminOptions_t,
    states: *const kafkars_TransactionState_t,
    cnt: size_t,
) -> *mut rd_kafka_error_t {
    let Some(v) = super::conv::int_array(states, cnt) else {
        return error_to_c(invalid("transaction state array must not be NULL"));
    };
    set_txn(options, |o| o.set_match_transaction_states(v))
}

/// Lists only the transactions of these producer ids (ListTransactions). Returns NULL
/// or an error object. (kafkars extension)
#[ffi_fn(default = crate::capi::error::internal_error())]
pub unsafe extern "C" fn kafkars_AdminOptions_set_match_producer_ids(
    options: *mut rd_kafka_AdminOptions_t,
    ids: *const i64,
    cnt: size_t,
) -> *mut rd_kafka_error_t {
    if ids.is_null() && cnt > 0 {
        return error_to_c(invalid("producer id array must not be NULL"));
    }
    let v = if cnt == 0 { &[][..] } else { std::slice::from_raw_parts(ids, cnt) };
    set_txn(options, |o| o.set_match_producer_ids(v))
}

/// Lists only transactions open at least `ms` milliseconds (-1: any; needs
/// ListTransactions v1, Kafka 3.8). Returns NULL or an error object. (kafkars extension)
#[ffi_fn(default = crate::capi::error::internal_error())]
pub unsafe extern "C" fn kafkars_AdminOptions_set_min_transaction_duration(
    options: *mut rd_kafka_AdminOptions_t,
    ms: i64,
) -> *mut rd_kafka_error_t {
    set_txn(options, |o| o.set_min_transaction_duration(ms))
}

/// Lists only transactions whose id matches the regular expression `pattern` (NULL:
/// any; needs ListTransactions v2, KIP-1152). Returns NULL or an error object. (kafkars
/// extension)
#[ffi_fn(default = crate::capi::error::internal_error())]
pub unsafe extern "C" fn kafkars_AdminOptions_set_transactional_id_pattern(
    options: *mut rd_kafka_AdminOptions_t,
    pattern: *const c_char,
) -> *mut rd_kafka_error_t {
    let p = owned_string(pattern);
    set_txn(options, |o| o.set_transactional_id_pattern(p))
}

/// What `kafkars_TransactionListing_t *` points to.
#[repr(C)]
struct ListingHandle {
    /// tag::TXN_LISTING while alive (must stay the first field).
    tag: u64,
    id: CString,
    producer_id: i64,
    state: TxnState,
    broker_id: i32,
}

tagged!(ListingHandle => kafkars_TransactionListing_t, tag::TXN_LISTING);

/// ListTransactions' answer as C reads it.
struct ListingsView {
    valid: Arr<ListingHandle>,
    errors: OwnedErrors,
}

/// Lists the transactions every broker coordinates (the options' broker: that one
/// only), filtered as the options say. A broker that cannot answer is one of
/// kafkars_ListTransactions_result_errors(). The result
/// (KAFKARS_EVENT_LISTTRANSACTIONS_RESULT) is emitted on `rkqu`. (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_ListTransactions(
    rk: *mut rd_kafka_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    let Some(c) = call(rk, AdminOp::ListTransactions, options, rkqu) else { return };
    c.run(
        Some(()),
        |_| Ok(()),
        run::txns::list_transactions,
        |r: TransactionListings| -> Payload {
            Box::new(ListingsView {
                valid: Arr::new(r.valid.iter().map(|t| ListingHandle {
                    tag: tag::TXN_LISTING,
                    id: cstr(&t.transactional_id),
                    producer_id: t.producer_id,
                    state: t.state,
                    broker_id: t.broker_id,
                })),
                errors: OwnedErrors::new(r.errors),
            })
        },
    )
}

/// The event as a ListTransactions result, or NULL. (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_event_ListTransactions_result(
    rkev: *mut rd_kafka_event_t,
) -> *const kafkars_ListTransactions_result_t {
    result_of(rkev, AdminOp::ListTransactions)
}

/// The transactions, broker by broker; owned by the result. (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_ListTransactions_result_transactions(
    result: *const kafkars_ListTransactions_result_t,
    cntp: *mut size_t,
) -> *mut *const kafkars_TransactionListing_t {
    payload::<ListingsView>(result).map_or_else(|| empty(cntp), |l| l.valid.out(cntp))
}

/// The brokers that could not answer, one error each; owned by the result. (kafkars
/// extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_ListTransactions_result_errors(
    result: *const kafkars_ListTransactions_result_t,
    cntp: *mut size_t,
) -> *mut *const rd_kafka_error_t {
    payload::<ListingsView>(result).map_or_else(|| empty(cntp), |l| l.errors.out(cntp))
}

/// The transactional id. (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_TransactionListing_transactional_id(
    t: *const kafkars_TransactionListing_t,
) -> *const c_char {
    obj::<ListingHandle>(t).map_or(null(), |t| t.id.as_ptr())
}

/// The producer id. (kafkars extension)
#[ffi_fn(default = -1)]
pub unsafe extern "C" fn kafkars_TransactionListing_producer_id(
    t: *const kafkars_TransactionListing_t,
) -> i64 {
    obj::<ListingHandle>(t).map_or(-1, |t| t.producer_id)
}

/// The state (KAFKARS_TXN_STATE_*). (kafkars extension)
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn kafkars_TransactionListing_state(
    t: *const kafkars_TransactionListing_t,
) -> kafkars_TransactionState_t {
    obj::<ListingHandle>(t).map_or(0, |t| t.state as kafkars_TransactionState_t)
}

/// The broker that coordinates it. (kafkars extension)
#[ffi_fn(default = -1)]
pub unsafe extern "C" fn kafkars_TransactionListing_broker_id(t: *const kafkars_TransactionListing_t) -> i32 {
    obj::<ListingHandle>(t).map_or(-1, |t| t.broker_id)
}

// ---- DescribeTransactions ----

/// What `kafkars_TransactionDescription_t *` points to.
#[repr(C)]
struct DescriptionHandle {
    /// tag::TXN_DESCRIPTION while alive (must stay the first field).
    tag: u64,
    id: CString,
    error: OwnedError,
    coordinator: Option<Box<NodeHandle>>,
    d: TransactionDescription,
    partitions: OwnedList,
}

tagged!(DescriptionHandle => kafkars_TransactionDescription_t, tag::TXN_DESCRIPTION);

/// Describes the transactions of `transactional_ids` (`cnt` of them), each asked of its
/// transaction coordinator. The result (KAFKARS_EVENT_DESCRIBETRANSACTIONS_RESULT) is
/// emitted on `rkqu`: one kafkars_TransactionDescription_t per id, in request order.
/// (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_DescribeTransactions(
    rk: *mut rd_kafka_t,
    transactional_ids: *mut *const c_char,
    cnt: size_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    let Some(c) = call(rk, AdminOp::DescribeTransactions, options, rkqu) else { return };
    let ids: Option<Vec<String>> = if cnt > 0 && transactional_ids.is_null() {
        None
    } else {
        (0..cnt).map(|i| owned_string(*transactional_ids.add(i)).filter(|s| !s.is_empty())).collect()
    };
    c.run(
        ids,
        |ids| {
            if ids.is_empty() {
                return Err(invalid("No transactional ids specified"));
            }
            no_duplicates(ids.iter(), "Duplicate transactional ids not allowed")
        },
        run::txns::describe_transactions,
        |r: Vec<TransactionDescription>| -> Payload {
            Box::new(Arr::new(r.into_iter().map(|d| DescriptionHandle {
                tag: tag::TXN_DESCRIPTION,
                id: cstr(&d.transactional_id),
                error: OwnedError::new(&d.err),
                coordinator: NodeHandle::boxed(&d.coordinator),
                partitions: OwnedList::new(&d.partitions),
                d,
            })))
        },
    )
}

/// The event as a DescribeTransactions result, or NULL. (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_event_DescribeTransactions_result(
    rkev: *mut rd_kafka_event_t,
) -> *const kafkars_DescribeTransactions_result_t {
    result_of(rkev, AdminOp::DescribeTransactions)
}

/// One description per id, in request order; owned by the result. (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_DescribeTransactions_result_descriptions(
    result: *const kafkars_DescribeTransactions_result_t,
    cntp: *mut size_t,
) -> *mut *const kafkars_TransactionDescription_t {
    out::<DescriptionHandle>(result, cntp)
}

/// The transactional id. (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_TransactionDescription_transactional_id(
    d: *const kafkars_TransactionDescription_t,
) -> *const c_char {
    obj::<DescriptionHandle>(d).map_or(null(), |d| d.id.as_ptr())
}

/// Why the id could not be described (NULL when it was), e.g. COORDINATOR_NOT_AVAILABLE
/// or Kafka's TRANSACTIONAL_ID_NOT_FOUND (105). (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_TransactionDescription_error(
    d: *const kafkars_TransactionDescription_t,
) -> *const rd_kafka_error_t {
    obj::<DescriptionHandle>(d).map_or(null(), |d| d.error.get())
}

/// The transaction coordinator that answered (NULL when none did). (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_TransactionDescription_coordinator(
    d: *const kafkars_TransactionDescription_t,
) -> *const rd_kafka_Node_t {
    obj::<DescriptionHandle>(d).map_or(null(), |d| node_ptr(&d.coordinator))
}

/// The state (KAFKARS_TXN_STATE_*). (kafkars extension)
#[ffi_fn(default = 0)]
pub unsafe extern "C" fn kafkars_TransactionDescription_state(
    d: *const kafkars_TransactionDescription_t,
) -> kafkars_TransactionState_t {
    obj::<DescriptionHandle>(d).map_or(0, |d| d.d.state as kafkars_TransactionState_t)
}

/// The producer id. (kafkars extension)
#[ffi_fn(default = -1)]
pub unsafe extern "C" fn kafkars_TransactionDescription_producer_id(
    d: *const kafkars_TransactionDescription_t,
) -> i64 {
    obj::<DescriptionHandle>(d).map_or(-1, |d| d.d.producer_id)
}

/// The producer epoch. (kafkars extension)
#[ffi_fn(default = -1)]
pub unsafe extern "C" fn kafkars_TransactionDescription_producer_epoch(
    d: *const kafkars_TransactionDescription_t,
) -> i16 {
    obj::<DescriptionHandle>(d).map_or(-1, |d| d.d.producer_epoch)
}

/// The transaction timeout in milliseconds. (kafkars extension)
#[ffi_fn(default = -1)]
pub unsafe extern "C" fn kafkars_TransactionDescription_timeout_ms(
    d: *const kafkars_TransactionDescription_t,
) -> i32 {
    obj::<DescriptionHandle>(d).map_or(-1, |d| d.d.timeout_ms)
}

/// When the open transaction started (-1: none open). (kafkars extension)
#[ffi_fn(default = -1)]
pub unsafe extern "C" fn kafkars_TransactionDescription_start_time_ms(
    d: *const kafkars_TransactionDescription_t,
) -> i64 {
    obj::<DescriptionHandle>(d).map_or(-1, |d| d.d.start_time_ms)
}

/// The partitions in the transaction; owned by the result. (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_TransactionDescription_partitions(
    d: *const kafkars_TransactionDescription_t,
) -> *const rd_kafka_topic_partition_list_t {
    obj::<DescriptionHandle>(d).map_or(null(), |d| d.partitions.get())
}

// ---- DescribeProducers ----

/// What `kafkars_ProducerState_t *` points to.
#[repr(C)]
struct ProducerHandle {
    /// tag::PRODUCER_STATE while alive (must stay the first field).
    tag: u64,
    p: ProducerState,
}

tagged!(ProducerHandle => kafkars_ProducerState_t, tag::PRODUCER_STATE);

/// What `kafkars_PartitionProducers_t *` points to.
#[repr(C)]
struct PartitionProducersHandle {
    /// tag::PARTITION_PRODUCERS while alive (must stay the first field).
    tag: u64,
    part: OwnedList,
    error: OwnedError,
    producers: Arr<ProducerHandle>,
}

tagged!(PartitionProducersHandle => kafkars_PartitionProducers_t, tag::PARTITION_PRODUCERS);

/// Describes the active producers of `partitions`, each asked of its leader (the
/// options' broker: of that replica). The result
/// (KAFKARS_EVENT_DESCRIBEPRODUCERS_RESULT) is emitted on `rkqu`: one
/// kafkars_PartitionProducers_t per partition, in request order. (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_DescribeProducers(
    rk: *mut rd_kafka_t,
    partitions: *const rd_kafka_topic_partition_list_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    let Some(c) = call(rk, AdminOp::DescribeProducers, options, rkqu) else { return };
    c.run(
        partition_list(partitions),
        |p| {
            if p.is_empty() {
                return Err(invalid("No partitions specified"));
            }
            no_duplicates(p.iter().map(|x| (&x.topic, x.partition)), "Duplicate partitions not allowed")
        },
        run::txns::describe_producers,
        |r: Vec<PartitionProducers>| -> Payload {
            Box::new(Arr::new(r.into_iter().map(|p| PartitionProducersHandle {
                tag: tag::PARTITION_PRODUCERS,
                part: OwnedList::new(&[PartitionResult::new(&p.topic, p.partition, -1001)]),
                error: OwnedError::new(&p.err),
                producers: Arr::new(
                    p.producers.into_iter().map(|p| ProducerHandle { tag: tag::PRODUCER_STATE, p }),
                ),
            })))
        },
    )
}

/// The event as a DescribeProducers result, or NULL. (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_event_DescribeProducers_result(
    rkev: *mut rd_kafka_event_t,
) -> *const kafkars_DescribeProducers_result_t {
    result_of(rkev, AdminOp::DescribeProducers)
}

/// One entry per partition, in request order; owned by the result. (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_DescribeProducers_result_partitions(
    result: *const kafkars_DescribeProducers_result_t,
    cntp: *mut size_t,
) -> *mut *const kafkars_PartitionProducers_t {
    out::<PartitionProducersHandle>(result, cntp)
}

/// The partition. (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_PartitionProducers_partition(
    p: *const kafkars_PartitionProducers_t,
) -> *const rd_kafka_topic_partition_t {
    obj::<PartitionProducersHandle>(p).map_or(null(), |p| p.part.first())
}

/// Why the partition could not be described (NULL when it was). (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_PartitionProducers_error(
    p: *const kafkars_PartitionProducers_t,
) -> *const rd_kafka_error_t {
    obj::<PartitionProducersHandle>(p).map_or(null(), |p| p.error.get())
}

/// The partition's active producers. (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_PartitionProducers_producers(
    p: *const kafkars_PartitionProducers_t,
    cntp: *mut size_t,
) -> *mut *const kafkars_ProducerState_t {
    obj::<PartitionProducersHandle>(p).map_or_else(|| empty(cntp), |p| p.producers.out(cntp))
}

/// The producer id. (kafkars extension)
#[ffi_fn(default = -1)]
pub unsafe extern "C" fn kafkars_ProducerState_producer_id(s: *const kafkars_ProducerState_t) -> i64 {
    obj::<ProducerHandle>(s).map_or(-1, |s| s.p.producer_id)
}

/// The producer epoch. (kafkars extension)
#[ffi_fn(default = -1)]
pub unsafe extern "C" fn kafkars_ProducerState_producer_epoch(s: *const kafkars_ProducerState_t) -> i32 {
    obj::<ProducerHandle>(s).map_or(-1, |s| s.p.producer_epoch)
}

/// The last sequence number written. (kafkars extension)
#[ffi_fn(default = -1)]
pub unsafe extern "C" fn kafkars_ProducerState_last_sequence(s: *const kafkars_ProducerState_t) -> i32 {
    obj::<ProducerHandle>(s).map_or(-1, |s| s.p.last_sequence)
}

/// The timestamp of the last write. (kafkars extension)
#[ffi_fn(default = -1)]
pub unsafe extern "C" fn kafkars_ProducerState_last_timestamp(s: *const kafkars_ProducerState_t) -> i64 {
    obj::<ProducerHandle>(s).map_or(-1, |s| s.p.last_timestamp)
}

/// The coordinator epoch of the last transaction marker. (kafkars extension)
#[ffi_fn(default = -1)]
pub unsafe extern "C" fn kafkars_ProducerState_coordinator_epoch(s: *const kafkars_ProducerState_t) -> i32 {
    obj::<ProducerHandle>(s).map_or(-1, |s| s.p.coordinator_epoch)
}

/// The first offset of the open transaction (-1: none open). (kafkars extension)
#[ffi_fn(default = -1)]
pub unsafe extern "C" fn kafkars_ProducerState_current_txn_start_offset(
    s: *const kafkars_ProducerState_t,
) -> i64 {
    obj::<ProducerHandle>(s).map_or(-1, |s| s.p.txn_start_offset)
}

// ---- AbortTransaction ----

/// What `kafkars_AbortTransactionSpec_t *` points to.
#[repr(C)]
struct AbortSpecHandle {
    /// tag::ABORT_SPEC while alive (must stay the first field).
    tag: u64,
    spec: AbortSpec,
}

tagged!(AbortSpecHandle => kafkars_AbortTransactionSpec_t, tag::ABORT_SPEC);

/// Creates the abort of producer `producer_id` (epoch `producer_epoch`)'s hanging
/// transaction on `topic` [`partition`]; `coordinator_epoch` -1 skips the broker's
/// coordinator epoch check. NULL with `errstr` filled for bad arguments. Destroy with
/// kafkars_AbortTransactionSpec_destroy(). (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_AbortTransactionSpec_new(
    topic: *const c_char,
    partition: i32,
    producer_id: i64,
    producer_epoch: i16,
    coordinator_epoch: i32,
    errstr: *mut c_char,
    errstr_size: size_t,
) -> *mut kafkars_AbortTransactionSpec_t {
    let topic = owned_string(topic).unwrap_or_default();
    match AbortSpec::new(topic, partition, producer_id, producer_epoch, coordinator_epoch) {
        Ok(spec) => AbortSpecHandle { tag: tag::ABORT_SPEC, spec }.into_c(),
        Err(e) => {
            write_errstr(errstr, errstr_size, &e.msg);
            null_mut()
        }
    }
}

/// Destroys an abort spec (NULL is allowed). (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_AbortTransactionSpec_destroy(spec: *mut kafkars_AbortTransactionSpec_t) {
    destroy::<AbortSpecHandle>(spec)
}

/// Aborts a hanging transaction on one partition: the partition's leader writes an
/// abort marker (WriteTxnMarkers; the broker requires CLUSTER_ACTION). The result
/// (KAFKARS_EVENT_ABORTTRANSACTION_RESULT) is emitted on `rkqu`; its
/// rd_kafka_event_error() is the outcome. (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_AbortTransaction(
    rk: *mut rd_kafka_t,
    spec: *const kafkars_AbortTransactionSpec_t,
    options: *const rd_kafka_AdminOptions_t,
    rkqu: *mut rd_kafka_queue_t,
) {
    let Some(c) = call(rk, AdminOp::AbortTransaction, options, rkqu) else { return };
    let spec = obj::<AbortSpecHandle>(spec).map(|h| h.spec.clone());
    c.run(spec, |_| Ok(()), run::txns::abort_transaction, |()| -> Payload { Box::new(()) })
}

/// The event as an AbortTransaction result, or NULL. (kafkars extension)
#[ffi_fn]
pub unsafe extern "C" fn kafkars_event_AbortTransaction_result(
    rkev: *mut rd_kafka_event_t,
) -> *const kafkars_AbortTransaction_result_t {
    result_of(rkev, AdminOp::AbortTransaction)
}
