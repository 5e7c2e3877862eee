/* ABI layout dump: sizes, field offsets and constant values of librdkafka's public
 * structs and enums, one "name value" line each. run.sh builds this file twice, against
 * Debian's <librdkafka/rdkafka.h> and against ours (-I include/ picks include/librdkafka/
 * rdkafka.h -> kafkars.h), and diffs the outputs: any difference is an ABI break.
 * Macros are probed with #ifdef so a missing one shows as "MISSING" in the diff; a
 * missing typedef or enum constant is a compile error (also a failure).
 * Lines starting with "info " carry values that legitimately differ between librdkafka
 * versions (end markers); run.sh leaves them out of the diff. */
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>
#include <librdkafka/rdkafka.h>

#define V(name, val) printf("%s %lld\n", name, (long long)(val))
#define SZ(T) V("sizeof(" #T ")", sizeof(T))
#define OFF(T, f)                                                              \
        do {                                                                   \
                V("offsetof(" #T "," #f ")", offsetof(T, f));                  \
                V("sizeof(" #T "." #f ")", sizeof(((T *)0)->f));               \
        } while (0)
#define C(name) V(#name, name)
#define MISSING(name) printf("%s MISSING\n", #name)

/* Every rd_kafka_resp_err_t constant of librdkafka 2.0.2's header (plus its alias
 * #defines), except the version-dependent RD_KAFKA_RESP_ERR_END_ALL. */
#define ERRS \
        E(_BEGIN) \
        E(_BAD_MSG) \
        E(_BAD_COMPRESSION) \
        E(_DESTROY) \
        E(_FAIL) \
        E(_TRANSPORT) \
        E(_CRIT_SYS_RESOURCE) \
        E(_RESOLVE) \
        E(_MSG_TIMED_OUT) \
        E(_PARTITION_EOF) \
        E(_UNKNOWN_PARTITION) \
        E(_FS) \
        E(_UNKNOWN_TOPIC) \
        E(_ALL_BROKERS_DOWN) \
        E(_INVALID_ARG) \
        E(_TIMED_OUT) \
        E(_QUEUE_FULL) \
        E(_ISR_INSUFF) \
        E(_NODE_UPDATE) \
        E(_SSL) \
        E(_WAIT_COORD) \
        E(_UNKNOWN_GROUP) \
        E(_IN_PROGRESS) \
        E(_PREV_IN_PROGRESS) \
        E(_EXISTING_SUBSCRIPTION) \
        E(_ASSIGN_PARTITIONS) \
        E(_REVOKE_PARTITIONS) \
        E(_CONFLICT) \
        E(_STATE) \
        E(_UNKNOWN_PROTOCOL) \
        E(_NOT_IMPLEMENTED) \
        E(_AUTHENTICATION) \
        E(_NO_OFFSET) \
        E(_OUTDATED) \
        E(_TIMED_OUT_QUEUE) \
        E(_UNSUPPORTED_FEATURE) \
        E(_WAIT_CACHE) \
        E(_INTR) \
        E(_KEY_SERIALIZATION) \
        E(_VALUE_SERIALIZATION) \
        E(_KEY_DESERIALIZATION) \
        E(_VALUE_DESERIALIZATION) \
        E(_PARTIAL) \
        E(_READ_ONLY) \
        E(_NOENT) \
        E(_UNDERFLOW) \
        E(_INVALID_TYPE) \
        E(_RETRY) \
        E(_PURGE_QUEUE) \
        E(_PURGE_INFLIGHT) \
        E(_FATAL) \
        E(_INCONSISTENT) \
        E(_GAPLESS_GUARANTEE) \
        E(_MAX_POLL_EXCEEDED) \
        E(_UNKNOWN_BROKER) \
        E(_NOT_CONFIGURED) \
        E(_FENCED) \
        E(_APPLICATION) \
        E(_ASSIGNMENT_LOST) \
        E(_NOOP) \
        E(_AUTO_OFFSET_RESET) \
        E(_END) \
        E(UNKNOWN) \
        E(NO_ERROR) \
        E(OFFSET_OUT_OF_RANGE) \
        E(INVALID_MSG) \
        E(UNKNOWN_TOPIC_OR_PART) \
        E(INVALID_MSG_SIZE) \
        E(LEADER_NOT_AVAILABLE) \
        E(NOT_LEADER_FOR_PARTITION) \
        E(REQUEST_TIMED_OUT) \
        E(BROKER_NOT_AVAILABLE) \
        E(REPLICA_NOT_AVAILABLE) \
        E(MSG_SIZE_TOO_LARGE) \
        E(STALE_CTRL_EPOCH) \
        E(OFFSET_METADATA_TOO_LARGE) \
        E(NETWORK_EXCEPTION) \
        E(COORDINATOR_LOAD_IN_PROGRESS) \
        E(COORDINATOR_LOAD_IN_PROGRESS) \
        E(COORDINATOR_NOT_AVAILABLE) \
        E(COORDINATOR_NOT_AVAILABLE) \
        E(NOT_COORDINATOR) \
        E(NOT_COORDINATOR) \
        E(TOPIC_EXCEPTION) \
        E(RECORD_LIST_TOO_LARGE) \
        E(NOT_ENOUGH_REPLICAS) \
        E(NOT_ENOUGH_REPLICAS_AFTER_APPEND) \
        E(INVALID_REQUIRED_ACKS) \
        E(ILLEGAL_GENERATION) \
        E(INCONSISTENT_GROUP_PROTOCOL) \
        E(INVALID_GROUP_ID) \
        E(UNKNOWN_MEMBER_ID) \
        E(INVALID_SESSION_TIMEOUT) \
        E(REBALANCE_IN_PROGRESS) \
        E(INVALID_COMMIT_OFFSET_SIZE) \
        E(TOPIC_AUTHORIZATION_FAILED) \
        E(GROUP_AUTHORIZATION_FAILED) \
        E(CLUSTER_AUTHORIZATION_FAILED) \
        E(INVALID_TIMESTAMP) \
        E(UNSUPPORTED_SASL_MECHANISM) \
        E(ILLEGAL_SASL_STATE) \
        E(UNSUPPORTED_VERSION) \
        E(TOPIC_ALREADY_EXISTS) \
        E(INVALID_PARTITIONS) \
        E(INVALID_REPLICATION_FACTOR) \
        E(INVALID_REPLICA_ASSIGNMENT) \
        E(INVALID_CONFIG) \
        E(NOT_CONTROLLER) \
        E(INVALID_REQUEST) \
        E(UNSUPPORTED_FOR_MESSAGE_FORMAT) \
        E(POLICY_VIOLATION) \
        E(OUT_OF_ORDER_SEQUENCE_NUMBER) \
        E(DUPLICATE_SEQUENCE_NUMBER) \
        E(INVALID_PRODUCER_EPOCH) \
        E(INVALID_TXN_STATE) \
        E(INVALID_PRODUCER_ID_MAPPING) \
        E(INVALID_TRANSACTION_TIMEOUT) \
        E(CONCURRENT_TRANSACTIONS) \
        E(TRANSACTION_COORDINATOR_FENCED) \
        E(TRANSACTIONAL_ID_AUTHORIZATION_FAILED) \
        E(SECURITY_DISABLED) \
        E(OPERATION_NOT_ATTEMPTED) \
        E(KAFKA_STORAGE_ERROR) \
        E(LOG_DIR_NOT_FOUND) \
        E(SASL_AUTHENTICATION_FAILED) \
        E(UNKNOWN_PRODUCER_ID) \
        E(REASSIGNMENT_IN_PROGRESS) \
        E(DELEGATION_TOKEN_AUTH_DISABLED) \
        E(DELEGATION_TOKEN_NOT_FOUND) \
        E(DELEGATION_TOKEN_OWNER_MISMATCH) \
        E(DELEGATION_TOKEN_REQUEST_NOT_ALLOWED) \
        E(DELEGATION_TOKEN_AUTHORIZATION_FAILED) \
        E(DELEGATION_TOKEN_EXPIRED) \
        E(INVALID_PRINCIPAL_TYPE) \
        E(NON_EMPTY_GROUP) \
        E(GROUP_ID_NOT_FOUND) \
        E(FETCH_SESSION_ID_NOT_FOUND) \
        E(INVALID_FETCH_SESSION_EPOCH) \
        E(LISTENER_NOT_FOUND) \
        E(TOPIC_DELETION_DISABLED) \
        E(FENCED_LEADER_EPOCH) \
        E(UNKNOWN_LEADER_EPOCH) \
        E(UNSUPPORTED_COMPRESSION_TYPE) \
        E(STALE_BROKER_EPOCH) \
        E(OFFSET_NOT_AVAILABLE) \
        E(MEMBER_ID_REQUIRED) \
        E(PREFERRED_LEADER_NOT_AVAILABLE) \
        E(GROUP_MAX_SIZE_REACHED) \
        E(FENCED_INSTANCE_ID) \
        E(ELIGIBLE_LEADERS_NOT_AVAILABLE) \
        E(ELECTION_NOT_NEEDED) \
        E(NO_REASSIGNMENT_IN_PROGRESS) \
        E(GROUP_SUBSCRIBED_TO_TOPIC) \
        E(INVALID_RECORD) \
        E(UNSTABLE_OFFSET_COMMIT) \
        E(THROTTLING_QUOTA_EXCEEDED) \
        E(PRODUCER_FENCED) \
        E(RESOURCE_NOT_FOUND) \
        E(DUPLICATE_RESOURCE) \
        E(UNACCEPTABLE_CREDENTIAL) \
        E(INCONSISTENT_VOTER_SET) \
        E(INVALID_UPDATE_VERSION) \
        E(FEATURE_UPDATE_FAILED) \
        E(PRINCIPAL_DESERIALIZATION_FAILURE) \
        E(GROUP_LOAD_IN_PROGRESS) \
        E(GROUP_COORDINATOR_NOT_AVAILABLE) \
        E(NOT_COORDINATOR_FOR_GROUP) \

        /* end */

int main(void) {
        /* rd_kafka_message_t */
        SZ(rd_kafka_message_t);
        OFF(rd_kafka_message_t, err);
        OFF(rd_kafka_message_t, rkt);
        OFF(rd_kafka_message_t, partition);
        OFF(rd_kafka_message_t, payload);
        OFF(rd_kafka_message_t, len);
        OFF(rd_kafka_message_t, key);
        OFF(rd_kafka_message_t, key_len);
        OFF(rd_kafka_message_t, offset);
        OFF(rd_kafka_message_t, _private);

        /* rd_kafka_topic_partition_t and its list */
        SZ(rd_kafka_topic_partition_t);
        OFF(rd_kafka_topic_partition_t, topic);
        OFF(rd_kafka_topic_partition_t, partition);
        OFF(rd_kafka_topic_partition_t, offset);
        OFF(rd_kafka_topic_partition_t, metadata);
        OFF(rd_kafka_topic_partition_t, metadata_size);
        OFF(rd_kafka_topic_partition_t, opaque);
        OFF(rd_kafka_topic_partition_t, err);
        OFF(rd_kafka_topic_partition_t, _private);
        SZ(rd_kafka_topic_partition_list_t);
        OFF(rd_kafka_topic_partition_list_t, cnt);
        OFF(rd_kafka_topic_partition_list_t, size);
        OFF(rd_kafka_topic_partition_list_t, elems);

        /* metadata */
        SZ(rd_kafka_metadata_broker_t);
        OFF(rd_kafka_metadata_broker_t, id);
        OFF(rd_kafka_metadata_broker_t, host);
        OFF(rd_kafka_metadata_broker_t, port);
        SZ(rd_kafka_metadata_partition_t);
        OFF(rd_kafka_metadata_partition_t, id);
        OFF(rd_kafka_metadata_partition_t, err);
        OFF(rd_kafka_metadata_partition_t, leader);
        OFF(rd_kafka_metadata_partition_t, replica_cnt);
        OFF(rd_kafka_metadata_partition_t, replicas);
        OFF(rd_kafka_metadata_partition_t, isr_cnt);
        OFF(rd_kafka_metadata_partition_t, isrs);
        SZ(rd_kafka_metadata_topic_t);
        OFF(rd_kafka_metadata_topic_t, topic);
        OFF(rd_kafka_metadata_topic_t, partition_cnt);
        OFF(rd_kafka_metadata_topic_t, partitions);
        OFF(rd_kafka_metadata_topic_t, err);
        SZ(rd_kafka_metadata_t);
        OFF(rd_kafka_metadata_t, broker_cnt);
        OFF(rd_kafka_metadata_t, brokers);
        OFF(rd_kafka_metadata_t, topic_cnt);
        OFF(rd_kafka_metadata_t, topics);
        OFF(rd_kafka_metadata_t, orig_broker_id);
        OFF(rd_kafka_metadata_t, orig_broker_name);

        /* struct rd_kafka_err_desc */
        SZ(struct rd_kafka_err_desc);
        OFF(struct rd_kafka_err_desc, code);
        OFF(struct rd_kafka_err_desc, name);
        OFF(struct rd_kafka_err_desc, desc);

        /* rd_kafka_vu_t and its union */
        SZ(rd_kafka_vu_t);
        OFF(rd_kafka_vu_t, vtype);
        OFF(rd_kafka_vu_t, u);
        OFF(rd_kafka_vu_t, u.cstr);
        OFF(rd_kafka_vu_t, u.rkt);
        OFF(rd_kafka_vu_t, u.i);
        OFF(rd_kafka_vu_t, u.i32);
        OFF(rd_kafka_vu_t, u.i64);
        OFF(rd_kafka_vu_t, u.mem);
        OFF(rd_kafka_vu_t, u.mem.ptr);
        OFF(rd_kafka_vu_t, u.mem.size);
        OFF(rd_kafka_vu_t, u.header);
        OFF(rd_kafka_vu_t, u.header.name);
        OFF(rd_kafka_vu_t, u.header.val);
        OFF(rd_kafka_vu_t, u.header.size);
        OFF(rd_kafka_vu_t, u.headers);
        OFF(rd_kafka_vu_t, u.ptr);
        OFF(rd_kafka_vu_t, u._pad);

        /* enum types: size and signedness */
        SZ(rd_kafka_resp_err_t);
        SZ(rd_kafka_type_t);
        SZ(rd_kafka_conf_res_t);
        SZ(rd_kafka_vtype_t);
        SZ(rd_kafka_timestamp_type_t);
        SZ(rd_kafka_msg_status_t);
        SZ(rd_kafka_event_type_t);
        V("signed(rd_kafka_resp_err_t)", (rd_kafka_resp_err_t)-1 < 0);

        /* rd_kafka_resp_err_t */
#define E(x) C(RD_KAFKA_RESP_ERR_##x);
        ERRS
#undef E
        V("info RD_KAFKA_RESP_ERR_END_ALL", RD_KAFKA_RESP_ERR_END_ALL);

        /* rd_kafka_type_t, rd_kafka_conf_res_t */
        C(RD_KAFKA_PRODUCER);
        C(RD_KAFKA_CONSUMER);
        C(RD_KAFKA_CONF_UNKNOWN);
        C(RD_KAFKA_CONF_INVALID);
        C(RD_KAFKA_CONF_OK);

        /* rd_kafka_vtype_t */
        C(RD_KAFKA_VTYPE_END);
        C(RD_KAFKA_VTYPE_TOPIC);
        C(RD_KAFKA_VTYPE_RKT);
        C(RD_KAFKA_VTYPE_PARTITION);
        C(RD_KAFKA_VTYPE_VALUE);
        C(RD_KAFKA_VTYPE_KEY);
        C(RD_KAFKA_VTYPE_OPAQUE);
        C(RD_KAFKA_VTYPE_MSGFLAGS);
        C(RD_KAFKA_VTYPE_TIMESTAMP);
        C(RD_KAFKA_VTYPE_HEADER);
        C(RD_KAFKA_VTYPE_HEADERS);

        /* timestamp types, message status */
        C(RD_KAFKA_TIMESTAMP_NOT_AVAILABLE);
        C(RD_KAFKA_TIMESTAMP_CREATE_TIME);
        C(RD_KAFKA_TIMESTAMP_LOG_APPEND_TIME);
        C(RD_KAFKA_MSG_STATUS_NOT_PERSISTED);
        C(RD_KAFKA_MSG_STATUS_POSSIBLY_PERSISTED);
        C(RD_KAFKA_MSG_STATUS_PERSISTED);

        /* #defines: probed with #ifdef so a missing one is reported, not a build error */
#ifdef RD_KAFKA_EVENT_NONE
        C(RD_KAFKA_EVENT_NONE);
#else
        MISSING(RD_KAFKA_EVENT_NONE);
#endif
#ifdef RD_KAFKA_EVENT_DR
        C(RD_KAFKA_EVENT_DR);
#else
        MISSING(RD_KAFKA_EVENT_DR);
#endif
#ifdef RD_KAFKA_EVENT_FETCH
        C(RD_KAFKA_EVENT_FETCH);
#else
        MISSING(RD_KAFKA_EVENT_FETCH);
#endif
#ifdef RD_KAFKA_EVENT_LOG
        C(RD_KAFKA_EVENT_LOG);
#else
        MISSING(RD_KAFKA_EVENT_LOG);
#endif
#ifdef RD_KAFKA_EVENT_ERROR
        C(RD_KAFKA_EVENT_ERROR);
#else
        MISSING(RD_KAFKA_EVENT_ERROR);
#endif
#ifdef RD_KAFKA_EVENT_REBALANCE
        C(RD_KAFKA_EVENT_REBALANCE);
#else
        MISSING(RD_KAFKA_EVENT_REBALANCE);
#endif
#ifdef RD_KAFKA_EVENT_OFFSET_COMMIT
        C(RD_KAFKA_EVENT_OFFSET_COMMIT);
#else
        MISSING(RD_KAFKA_EVENT_OFFSET_COMMIT);
#endif
#ifdef RD_KAFKA_EVENT_STATS
        C(RD_KAFKA_EVENT_STATS);
#else
        MISSING(RD_KAFKA_EVENT_STATS);
#endif
#ifdef RD_KAFKA_EVENT_CREATETOPICS_RESULT
        C(RD_KAFKA_EVENT_CREATETOPICS_RESULT);
#else
        MISSING(RD_KAFKA_EVENT_CREATETOPICS_RESULT);
#endif
#ifdef RD_KAFKA_EVENT_DELETETOPICS_RESULT
        C(RD_KAFKA_EVENT_DELETETOPICS_RESULT);
#else
        MISSING(RD_KAFKA_EVENT_DELETETOPICS_RESULT);
#endif
#ifdef RD_KAFKA_EVENT_CREATEPARTITIONS_RESULT
        C(RD_KAFKA_EVENT_CREATEPARTITIONS_RESULT);
#else
        MISSING(RD_KAFKA_EVENT_CREATEPARTITIONS_RESULT);
#endif
#ifdef RD_KAFKA_EVENT_ALTERCONFIGS_RESULT
        C(RD_KAFKA_EVENT_ALTERCONFIGS_RESULT);
#else
        MISSING(RD_KAFKA_EVENT_ALTERCONFIGS_RESULT);
#endif
#ifdef RD_KAFKA_EVENT_DESCRIBECONFIGS_RESULT
        C(RD_KAFKA_EVENT_DESCRIBECONFIGS_RESULT);
#else
        MISSING(RD_KAFKA_EVENT_DESCRIBECONFIGS_RESULT);
#endif
#ifdef RD_KAFKA_EVENT_DELETERECORDS_RESULT
        C(RD_KAFKA_EVENT_DELETERECORDS_RESULT);
#else
        MISSING(RD_KAFKA_EVENT_DELETERECORDS_RESULT);
#endif
#ifdef RD_KAFKA_EVENT_DELETEGROUPS_RESULT
        C(RD_KAFKA_EVENT_DELETEGROUPS_RESULT);
#else
        MISSING(RD_KAFKA_EVENT_DELETEGROUPS_RESULT);
#endif
#ifdef RD_KAFKA_EVENT_DELETECONSUMERGROUPOFFSETS_RESULT
        C(RD_KAFKA_EVENT_DELETECONSUMERGROUPOFFSETS_RESULT);
#else
        MISSING(RD_KAFKA_EVENT_DELETECONSUMERGROUPOFFSETS_RESULT);
#endif
#ifdef RD_KAFKA_EVENT_OAUTHBEARER_TOKEN_REFRESH
        C(RD_KAFKA_EVENT_OAUTHBEARER_TOKEN_REFRESH);
#else
        MISSING(RD_KAFKA_EVENT_OAUTHBEARER_TOKEN_REFRESH);
#endif
#ifdef RD_KAFKA_EVENT_BACKGROUND
        C(RD_KAFKA_EVENT_BACKGROUND);
#else
        MISSING(RD_KAFKA_EVENT_BACKGROUND);
#endif
#ifdef RD_KAFKA_EVENT_CREATEACLS_RESULT
        C(RD_KAFKA_EVENT_CREATEACLS_RESULT);
#else
        MISSING(RD_KAFKA_EVENT_CREATEACLS_RESULT);
#endif
#ifdef RD_KAFKA_EVENT_DESCRIBEACLS_RESULT
        C(RD_KAFKA_EVENT_DESCRIBEACLS_RESULT);
#else
        MISSING(RD_KAFKA_EVENT_DESCRIBEACLS_RESULT);
#endif
#ifdef RD_KAFKA_EVENT_DELETEACLS_RESULT
        C(RD_KAFKA_EVENT_DELETEACLS_RESULT);
#else
        MISSING(RD_KAFKA_EVENT_DELETEACLS_RESULT);
#endif
#ifdef RD_KAFKA_EVENT_LISTCONSUMERGROUPS_RESULT
        C(RD_KAFKA_EVENT_LISTCONSUMERGROUPS_RESULT);
#else
        MISSING(RD_KAFKA_EVENT_LISTCONSUMERGROUPS_RESULT);
#endif
#ifdef RD_KAFKA_EVENT_DESCRIBECONSUMERGROUPS_RESULT
        C(RD_KAFKA_EVENT_DESCRIBECONSUMERGROUPS_RESULT);
#else
        MISSING(RD_KAFKA_EVENT_DESCRIBECONSUMERGROUPS_RESULT);
#endif
#ifdef RD_KAFKA_EVENT_LISTCONSUMERGROUPOFFSETS_RESULT
        C(RD_KAFKA_EVENT_LISTCONSUMERGROUPOFFSETS_RESULT);
#else
        MISSING(RD_KAFKA_EVENT_LISTCONSUMERGROUPOFFSETS_RESULT);
#endif
#ifdef RD_KAFKA_EVENT_ALTERCONSUMERGROUPOFFSETS_RESULT
        C(RD_KAFKA_EVENT_ALTERCONSUMERGROUPOFFSETS_RESULT);
#else
        MISSING(RD_KAFKA_EVENT_ALTERCONSUMERGROUPOFFSETS_RESULT);
#endif
#ifdef RD_KAFKA_MSG_F_FREE
        C(RD_KAFKA_MSG_F_FREE);
#else
        MISSING(RD_KAFKA_MSG_F_FREE);
#endif
#ifdef RD_KAFKA_MSG_F_COPY
        C(RD_KAFKA_MSG_F_COPY);
#else
        MISSING(RD_KAFKA_MSG_F_COPY);
#endif
#ifdef RD_KAFKA_MSG_F_BLOCK
        C(RD_KAFKA_MSG_F_BLOCK);
#else
        MISSING(RD_KAFKA_MSG_F_BLOCK);
#endif
#ifdef RD_KAFKA_MSG_F_PARTITION
        C(RD_KAFKA_MSG_F_PARTITION);
#else
        MISSING(RD_KAFKA_MSG_F_PARTITION);
#endif
#ifdef RD_KAFKA_PURGE_F_QUEUE
        C(RD_KAFKA_PURGE_F_QUEUE);
#else
        MISSING(RD_KAFKA_PURGE_F_QUEUE);
#endif
#ifdef RD_KAFKA_PURGE_F_INFLIGHT
        C(RD_KAFKA_PURGE_F_INFLIGHT);
#else
        MISSING(RD_KAFKA_PURGE_F_INFLIGHT);
#endif
#ifdef RD_KAFKA_PURGE_F_NON_BLOCKING
        C(RD_KAFKA_PURGE_F_NON_BLOCKING);
#else
        MISSING(RD_KAFKA_PURGE_F_NON_BLOCKING);
#endif
#ifdef RD_KAFKA_PARTITION_UA
        C(RD_KAFKA_PARTITION_UA);
#else
        MISSING(RD_KAFKA_PARTITION_UA);
#endif
#ifdef RD_KAFKA_OFFSET_BEGINNING
        C(RD_KAFKA_OFFSET_BEGINNING);
#else
        MISSING(RD_KAFKA_OFFSET_BEGINNING);
#endif
#ifdef RD_KAFKA_OFFSET_END
        C(RD_KAFKA_OFFSET_END);
#else
        MISSING(RD_KAFKA_OFFSET_END);
#endif
#ifdef RD_KAFKA_OFFSET_STORED
        C(RD_KAFKA_OFFSET_STORED);
#else
        MISSING(RD_KAFKA_OFFSET_STORED);
#endif
#ifdef RD_KAFKA_OFFSET_INVALID
        C(RD_KAFKA_OFFSET_INVALID);
#else
        MISSING(RD_KAFKA_OFFSET_INVALID);
#endif
#ifdef RD_KAFKA_OFFSET_TAIL_BASE
        C(RD_KAFKA_OFFSET_TAIL_BASE);
#else
        MISSING(RD_KAFKA_OFFSET_TAIL_BASE);
#endif
#ifdef RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE
        C(RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
#else
        MISSING(RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
#endif
#ifdef RD_KAFKA_OFFSET_TAIL
        V("RD_KAFKA_OFFSET_TAIL(5)", RD_KAFKA_OFFSET_TAIL(5));
#else
        MISSING(RD_KAFKA_OFFSET_TAIL);
#endif
        /* type of RD_KAFKA_PARTITION_UA: librdkafka casts it to int32_t */
#ifdef RD_KAFKA_PARTITION_UA
        V("sizeof(RD_KAFKA_PARTITION_UA)", sizeof(RD_KAFKA_PARTITION_UA));
#endif
        return 0;
}
