//! The kafkars admin extensions from C, without a broker: each refuses bad arguments
//! before sending (with its text), answers with its own result event, and times out at
//! the request timeout when no broker answers.

use super::cluster::*;
use super::conv::test_util::{errbuf, s};
use super::members::*;
use super::options::{
    rd_kafka_AdminOptions_destroy, rd_kafka_AdminOptions_new, rd_kafka_AdminOptions_set_request_timeout,
};
use super::replicas::*;
use super::txns::*;
use super::*;
use crate::capi::client::{rd_kafka_destroy, rd_kafka_new};
use crate::capi::error::{rd_kafka_error_code, rd_kafka_error_destroy, rd_kafka_error_string};
use crate::capi::event::{
    rd_kafka_event_destroy, rd_kafka_event_error, rd_kafka_event_error_string, rd_kafka_event_name,
    rd_kafka_event_type,
};
use crate::capi::queue::{rd_kafka_queue_destroy, rd_kafka_queue_new, rd_kafka_queue_poll};
use crate::capi::tplist::{
    rd_kafka_topic_partition_list_add, rd_kafka_topic_partition_list_destroy,
    rd_kafka_topic_partition_list_new,
};
use crate::error::ErrorCode;
use std::ptr::{null, null_mut};

/// The next event on `q`: (name, type, error code, error text).
unsafe fn next(q: *mut rd_kafka_queue_t) -> (String, i32, i32, String) {
    let ev = rd_kafka_queue_poll(q, 5000);
    assert!(!ev.is_null(), "no result event");
    let r = (
        s(rd_kafka_event_name(ev)),
        rd_kafka_event_type(ev),
        rd_kafka_event_error(ev),
        s(rd_kafka_event_error_string(ev)),
    );
    rd_kafka_event_destroy(ev);
    r
}

#[test]
fn request_objects_check_their_arguments() {
    unsafe {
        let mut e = errbuf();
        let (ep, el) = (e.as_mut_ptr(), e.len());
        assert!(kafkars_ReplicaLogDir_new(c"t".as_ptr(), 0, 1, c"".as_ptr(), ep, el).is_null());
        assert_eq!(s(ep), "log directory path must not be empty");
        assert!(kafkars_FeatureUpdate_new(c"f".as_ptr(), 1, 7, ep, el).is_null());
        assert_eq!(s(ep), "invalid upgrade type 7");
        assert!(kafkars_AbortTransactionSpec_new(c"t".as_ptr(), 0, -1, 0, -1, ep, el).is_null());
        assert_eq!(s(ep), "producer id must not be negative");
        assert!(kafkars_RemoveGroupMembers_new(c"".as_ptr()).is_null());
        let req = kafkars_RemoveGroupMembers_new(c"g".as_ptr());
        let err = kafkars_RemoveGroupMembers_add(req, null(), null(), null());
        assert_eq!(s(rd_kafka_error_string(err)), "a member id or a group instance id is required");
        rd_kafka_error_destroy(err);
        assert!(kafkars_RemoveGroupMembers_add(req, c"m-1".as_ptr(), null(), c"bye".as_ptr()).is_null());
        kafkars_RemoveGroupMembers_destroy(req);
        assert_eq!(s(kafkars_TransactionState_name(2)), "Ongoing");
        assert!(kafkars_TransactionState_name(9).is_null());

        // Filters belong to ListTransactions' options only, and are checked.
        let rk = rd_kafka_new(RD_KAFKA_PRODUCER, null_mut(), ep, el);
        let lt = rd_kafka_AdminOptions_new(rk, 1010);
        let other = rd_kafka_AdminOptions_new(rk, 1001);
        assert!(kafkars_AdminOptions_set_match_transaction_states(lt, [2, 3].as_ptr(), 2).is_null());
        for (opts, states, text) in [
            (lt, [0, 2], "Invalid transaction state value"),
            (lt, [2, 2], "Duplicate states not allowed"),
            (other, [1, 2], "\"match_transaction_states\" is not supported for this operation"),
        ] {
            let err = kafkars_AdminOptions_set_match_transaction_states(opts, states.as_ptr(), 2);
            assert_eq!(rd_kafka_error_code(err), ErrorCode::_INVALID_ARG.0);
            assert_eq!(s(rd_kafka_error_string(err)), text);
            rd_kafka_error_destroy(err);
        }
        let err = kafkars_AdminOptions_set_min_transaction_duration(lt, -2);
        assert_eq!(s(rd_kafka_error_string(err)), "Expected min_transaction_duration >= -1, not -2");
        rd_kafka_error_destroy(err);
        assert!(kafkars_AdminOptions_set_match_producer_ids(lt, [7i64, 8].as_ptr(), 2).is_null());
        assert!(kafkars_AdminOptions_set_transactional_id_pattern(lt, c"tx-.*".as_ptr()).is_null());
        rd_kafka_AdminOptions_destroy(lt);
        rd_kafka_AdminOptions_destroy(other);
        rd_kafka_destroy(rk);
    }
}

#[test]
fn extensions_refuse_bad_requests_and_time_out_without_a_broker() {
    unsafe {
        let mut e = errbuf();
        let (ep, el) = (e.as_mut_ptr(), e.len());
        let rk = rd_kafka_new(RD_KAFKA_PRODUCER, null_mut(), ep, el);
        let q = rd_kafka_queue_new(rk);
        let o = rd_kafka_AdminOptions_new(rk, 0) /* ANY */;
        assert_eq!(rd_kafka_AdminOptions_set_request_timeout(o, 100, ep, el), 0);

        // Refused at once, before anything is sent.
        let dup = [
            kafkars_ReplicaLogDir_new(c"t".as_ptr(), 0, 1, c"/a".as_ptr(), ep, el),
            kafkars_ReplicaLogDir_new(c"t".as_ptr(), 0, 1, c"/b".as_ptr(), ep, el),
        ];
        let mut dup = dup;
        kafkars_AlterReplicaLogDirs(rk, dup.as_mut_ptr(), 2, o, q);
        assert_eq!(
            next(q),
            (
                "AlterReplicaLogDirsResult".into(),
                10002,
                ErrorCode::_INVALID_ARG.0,
                "Duplicate replicas not allowed".into()
            )
        );
        kafkars_UpdateFeatures(rk, null_mut(), 0, o, q);
        assert_eq!(next(q).3, "No feature updates specified");
        kafkars_ListConfigResources(rk, [2, 3].as_ptr(), 2, o, q);
        assert_eq!(next(q).3, "Invalid config resource type 3");
        kafkars_DescribeTransactions(rk, null_mut(), 0, o, q);
        assert_eq!(
            next(q),
            (
                "DescribeTransactionsResult".into(),
                10011,
                ErrorCode::_INVALID_ARG.0,
                "No transactional ids specified".into()
            )
        );
        let req = kafkars_RemoveGroupMembers_new(c"g".as_ptr());
        kafkars_RemoveGroupMembers(rk, req, o, q);
        assert_eq!(next(q).3, "No members specified");
        kafkars_AbortTransaction(rk, null(), o, q);
        assert_eq!(next(q).3, "invalid request object (NULL or of another type)");

        // Well-formed: no broker answers, so each times out at the request timeout.
        assert!(kafkars_RemoveGroupMembers_add(req, c"m-1".as_ptr(), null(), null()).is_null());
        let parts = rd_kafka_topic_partition_list_new(1);
        rd_kafka_topic_partition_list_add(parts, c"t".as_ptr(), 0);
        let spec = kafkars_AbortTransactionSpec_new(c"t".as_ptr(), 0, 7, 1, -1, ep, el);
        let mut upd = [kafkars_FeatureUpdate_new(c"f".as_ptr(), 2, 1, ep, el)];
        let mut one = [dup[0]];
        let mut ids = [c"tx".as_ptr()];
        kafkars_AlterReplicaLogDirs(rk, one.as_mut_ptr(), 1, o, q);
        kafkars_DescribeMetadataQuorum(rk, o, q);
        kafkars_DescribeFeatures(rk, o, q);
        kafkars_UpdateFeatures(rk, upd.as_mut_ptr(), 1, o, q);
        kafkars_ListConfigResources(rk, null(), 0, o, q);
        kafkars_RemoveGroupMembers(rk, req, o, q);
        kafkars_ListTransactions(rk, o, q);
        kafkars_DescribeTransactions(rk, ids.as_mut_ptr(), 1, o, q);
        kafkars_DescribeProducers(rk, parts, o, q);
        kafkars_AbortTransaction(rk, spec, o, q);
        // AlterReplicaLogDirs fails the moves of a broker it cannot reach, not the event.
        let mut got: Vec<i32> = (0..10)
            .map(|_| {
                let (name, ty, err, _) = next(q);
                let want = if ty == 10002 { 0 } else { ErrorCode::_TIMED_OUT.0 };
                assert_eq!(err, want, "{name}");
                ty
            })
            .collect();
        got.sort();
        assert_eq!(got, [10002, 10003, 10004, 10005, 10008, 10009, 10010, 10011, 10012, 10013]);

        kafkars_ReplicaLogDir_destroy_array(dup.as_mut_ptr(), 2);
        kafkars_FeatureUpdate_destroy_array(upd.as_mut_ptr(), 1);
        kafkars_AbortTransactionSpec_destroy(spec);
        kafkars_RemoveGroupMembers_destroy(req);
        rd_kafka_topic_partition_list_destroy(parts);
        rd_kafka_AdminOptions_destroy(o);
        rd_kafka_queue_destroy(q);
        rd_kafka_destroy(rk);
    }
}
