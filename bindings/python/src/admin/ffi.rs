//! The admin part of the librdkafka C API (and kafkars' admin extensions), declared as a
//! C program sees it. Request and result objects are opaque: `V` stands for all of them.

#![allow(non_camel_case_types, dead_code, clippy::too_many_arguments)]

pub use crate::ffi::{rd_kafka_conf_t, rd_kafka_queue_t, rd_kafka_t, rd_kafka_topic_partition_list_t};
pub use crate::ffi::{
    rd_kafka_error_code, rd_kafka_error_is_fatal, rd_kafka_error_is_retriable, rd_kafka_error_string,
    rd_kafka_error_txn_requires_abort, rd_kafka_topic_partition_t,
};
use libc::{c_char, c_int, c_void, size_t};

/// Any opaque admin object (options, requests, results, events).
pub type V = c_void;
pub type EventCb = unsafe extern "C" fn(*mut rd_kafka_t, *mut V, *mut c_void);
pub type Q = *mut rd_kafka_queue_t;
pub type Tpl = rd_kafka_topic_partition_list_t;
pub use kafkars::capi::rd_kafka_group_list as GroupList;

extern "C" {
    pub fn rd_kafka_conf_set_background_event_cb(conf: *mut rd_kafka_conf_t, cb: Option<EventCb>);
    pub fn rd_kafka_queue_get_background(rk: *mut rd_kafka_t) -> Q;
    pub fn rd_kafka_event_type(ev: *const V) -> c_int;
    pub fn rd_kafka_event_destroy(ev: *mut V);
    pub fn rd_kafka_event_error(ev: *mut V) -> c_int;
    pub fn rd_kafka_event_error_string(ev: *mut V) -> *const c_char;
    pub fn rd_kafka_event_opaque(ev: *mut V) -> *mut c_void;
    pub fn rd_kafka_list_groups(
        rk: *mut rd_kafka_t,
        group: *const c_char,
        out: *mut *const GroupList,
        ms: c_int,
    ) -> c_int;
    pub fn rd_kafka_group_list_destroy(l: *const GroupList);

    // Options
    pub fn rd_kafka_AdminOptions_new(rk: *mut rd_kafka_t, op: c_int) -> *mut V;
    pub fn rd_kafka_AdminOptions_destroy(o: *mut V);
    pub fn rd_kafka_AdminOptions_set_opaque(o: *mut V, opaque: *mut c_void);
    pub fn rd_kafka_AdminOptions_set_request_timeout(
        o: *mut V,
        ms: c_int,
        e: *mut c_char,
        n: size_t,
    ) -> c_int;
    pub fn rd_kafka_AdminOptions_set_operation_timeout(
        o: *mut V,
        ms: c_int,
        e: *mut c_char,
        n: size_t,
    ) -> c_int;
    pub fn rd_kafka_AdminOptions_set_validate_only(o: *mut V, on: c_int, e: *mut c_char, n: size_t) -> c_int;
    pub fn rd_kafka_AdminOptions_set_broker(o: *mut V, id: i32, e: *mut c_char, n: size_t) -> c_int;
    pub fn rd_kafka_AdminOptions_set_require_stable_offsets(o: *mut V, on: c_int) -> *mut V;
    pub fn rd_kafka_AdminOptions_set_include_authorized_operations(o: *mut V, on: c_int) -> *mut V;
    pub fn rd_kafka_AdminOptions_set_isolation_level(o: *mut V, v: c_int) -> *mut V;
    pub fn rd_kafka_AdminOptions_set_match_consumer_group_states(
        o: *mut V,
        s: *const c_int,
        n: size_t,
    ) -> *mut V;
    pub fn rd_kafka_AdminOptions_set_match_consumer_group_types(
        o: *mut V,
        s: *const c_int,
        n: size_t,
    ) -> *mut V;
    pub fn kafkars_AdminOptions_set_match_transaction_states(o: *mut V, s: *const c_int, n: size_t)
        -> *mut V;
    pub fn kafkars_AdminOptions_set_match_producer_ids(o: *mut V, s: *const i64, n: size_t) -> *mut V;
    pub fn kafkars_AdminOptions_set_min_transaction_duration(o: *mut V, ms: i64) -> *mut V;
    pub fn kafkars_AdminOptions_set_transactional_id_pattern(o: *mut V, p: *const c_char) -> *mut V;

    // Requests
    pub fn rd_kafka_NewTopic_new(t: *const c_char, np: c_int, rf: c_int, e: *mut c_char, n: size_t)
        -> *mut V;
    pub fn rd_kafka_NewTopic_destroy(x: *mut V);
    pub fn rd_kafka_NewTopic_set_replica_assignment(
        x: *mut V,
        p: i32,
        ids: *mut i32,
        cnt: size_t,
        e: *mut c_char,
        n: size_t,
    ) -> c_int;
    pub fn rd_kafka_NewTopic_set_config(x: *mut V, k: *const c_char, v: *const c_char) -> c_int;
    pub fn rd_kafka_DeleteTopic_new(t: *const c_char) -> *mut V;
    pub fn rd_kafka_DeleteTopic_destroy(x: *mut V);
    pub fn rd_kafka_NewPartitions_new(t: *const c_char, total: size_t, e: *mut c_char, n: size_t) -> *mut V;
    pub fn rd_kafka_NewPartitions_destroy(x: *mut V);
    pub fn rd_kafka_NewPartitions_set_replica_assignment(
        x: *mut V,
        idx: i32,
        ids: *mut i32,
        cnt: size_t,
        e: *mut c_char,
        n: size_t,
    ) -> c_int;
    pub fn rd_kafka_ConfigResource_new(restype: c_int, name: *const c_char) -> *mut V;
    pub fn rd_kafka_ConfigResource_destroy(x: *mut V);
    pub fn rd_kafka_ConfigResource_set_config(x: *mut V, k: *const c_char, v: *const c_char) -> c_int;
    pub fn rd_kafka_ConfigResource_add_incremental_config(
        x: *mut V,
        k: *const c_char,
        op: c_int,
        v: *const c_char,
    ) -> *mut V;
    pub fn rd_kafka_DeleteRecords_new(offsets: *const Tpl) -> *mut V;
    pub fn rd_kafka_DeleteRecords_destroy(x: *mut V);
    pub fn rd_kafka_DeleteGroup_new(g: *const c_char) -> *mut V;
    pub fn rd_kafka_DeleteGroup_destroy(x: *mut V);
    pub fn rd_kafka_DeleteConsumerGroupOffsets_new(g: *const c_char, p: *const Tpl) -> *mut V;
    pub fn rd_kafka_DeleteConsumerGroupOffsets_destroy(x: *mut V);
    pub fn rd_kafka_ListConsumerGroupOffsets_new(g: *const c_char, p: *const Tpl) -> *mut V;
    pub fn rd_kafka_ListConsumerGroupOffsets_destroy(x: *mut V);
    pub fn rd_kafka_AlterConsumerGroupOffsets_new(g: *const c_char, p: *const Tpl) -> *mut V;
    pub fn rd_kafka_AlterConsumerGroupOffsets_destroy(x: *mut V);
    pub fn rd_kafka_AclBinding_new(
        restype: c_int,
        name: *const c_char,
        pattern: c_int,
        principal: *const c_char,
        host: *const c_char,
        op: c_int,
        perm: c_int,
        e: *mut c_char,
        n: size_t,
    ) -> *mut V;
    pub fn rd_kafka_AclBindingFilter_new(
        restype: c_int,
        name: *const c_char,
        pattern: c_int,
        principal: *const c_char,
        host: *const c_char,
        op: c_int,
        perm: c_int,
        e: *mut c_char,
        n: size_t,
    ) -> *mut V;
    pub fn rd_kafka_AclBinding_destroy(x: *mut V);
    pub fn rd_kafka_UserScramCredentialUpsertion_new(
        user: *const c_char,
        mech: c_int,
        iterations: i32,
        pw: *const u8,
        pw_n: size_t,
        salt: *const u8,
        salt_n: size_t,
    ) -> *mut V;
    pub fn rd_kafka_UserScramCredentialDeletion_new(user: *const c_char, mech: c_int) -> *mut V;
    pub fn rd_kafka_UserScramCredentialAlteration_destroy(x: *mut V);
    pub fn rd_kafka_TopicCollection_of_topic_names(t: *const *const c_char, n: size_t) -> *mut V;
    pub fn rd_kafka_TopicCollection_destroy(x: *mut V);
    pub fn rd_kafka_ElectLeaders_new(kind: c_int, p: *mut Tpl) -> *mut V;
    pub fn rd_kafka_ElectLeaders_destroy(x: *mut V);

    // Operations
    pub fn rd_kafka_CreateTopics(rk: *mut rd_kafka_t, x: *mut *mut V, n: size_t, o: *const V, q: Q);
    pub fn rd_kafka_DeleteTopics(rk: *mut rd_kafka_t, x: *mut *mut V, n: size_t, o: *const V, q: Q);
    pub fn rd_kafka_CreatePartitions(rk: *mut rd_kafka_t, x: *mut *mut V, n: size_t, o: *const V, q: Q);
    pub fn rd_kafka_AlterConfigs(rk: *mut rd_kafka_t, x: *mut *mut V, n: size_t, o: *const V, q: Q);
    pub fn rd_kafka_IncrementalAlterConfigs(
        rk: *mut rd_kafka_t,
        x: *mut *mut V,
        n: size_t,
        o: *const V,
        q: Q,
    );
    pub fn rd_kafka_DescribeConfigs(rk: *mut rd_kafka_t, x: *mut *mut V, n: size_t, o: *const V, q: Q);
    pub fn rd_kafka_DeleteRecords(rk: *mut rd_kafka_t, x: *mut *mut V, n: size_t, o: *const V, q: Q);
    pub fn rd_kafka_DeleteGroups(rk: *mut rd_kafka_t, x: *mut *mut V, n: size_t, o: *const V, q: Q);
    pub fn rd_kafka_DeleteConsumerGroupOffsets(
        rk: *mut rd_kafka_t,
        x: *mut *mut V,
        n: size_t,
        o: *const V,
        q: Q,
    );
    pub fn rd_kafka_ListConsumerGroupOffsets(
        rk: *mut rd_kafka_t,
        x: *mut *mut V,
        n: size_t,
        o: *const V,
        q: Q,
    );
    pub fn rd_kafka_AlterConsumerGroupOffsets(
        rk: *mut rd_kafka_t,
        x: *mut *mut V,
        n: size_t,
        o: *const V,
        q: Q,
    );
    pub fn rd_kafka_CreateAcls(rk: *mut rd_kafka_t, x: *mut *mut V, n: size_t, o: *const V, q: Q);
    pub fn rd_kafka_DescribeAcls(rk: *mut rd_kafka_t, x: *mut V, o: *const V, q: Q);
    pub fn rd_kafka_DeleteAcls(rk: *mut rd_kafka_t, x: *mut *mut V, n: size_t, o: *const V, q: Q);
    pub fn rd_kafka_ListConsumerGroups(rk: *mut rd_kafka_t, o: *const V, q: Q);
    pub fn rd_kafka_DescribeConsumerGroups(
        rk: *mut rd_kafka_t,
        g: *const *const c_char,
        n: size_t,
        o: *const V,
        q: Q,
    );
    pub fn rd_kafka_DescribeUserScramCredentials(
        rk: *mut rd_kafka_t,
        u: *const *const c_char,
        n: size_t,
        o: *const V,
        q: Q,
    );
    pub fn rd_kafka_AlterUserScramCredentials(
        rk: *mut rd_kafka_t,
        x: *mut *mut V,
        n: size_t,
        o: *const V,
        q: Q,
    );
    pub fn rd_kafka_DescribeTopics(rk: *mut rd_kafka_t, t: *const V, o: *const V, q: Q);
    pub fn rd_kafka_DescribeCluster(rk: *mut rd_kafka_t, o: *const V, q: Q);
    pub fn rd_kafka_ListOffsets(rk: *mut rd_kafka_t, p: *mut Tpl, o: *const V, q: Q);
    pub fn rd_kafka_ElectLeaders(rk: *mut rd_kafka_t, x: *mut V, o: *const V, q: Q);

    // Results (all owned by the event)
    pub fn rd_kafka_CreateTopics_result_topics(r: *const V, n: *mut size_t) -> *const *const V;
    pub fn rd_kafka_DeleteTopics_result_topics(r: *const V, n: *mut size_t) -> *const *const V;
    pub fn rd_kafka_CreatePartitions_result_topics(r: *const V, n: *mut size_t) -> *const *const V;
    pub fn rd_kafka_topic_result_error(t: *const V) -> c_int;
    pub fn rd_kafka_topic_result_error_string(t: *const V) -> *const c_char;
    pub fn rd_kafka_topic_result_name(t: *const V) -> *const c_char;
    pub fn rd_kafka_AlterConfigs_result_resources(r: *const V, n: *mut size_t) -> *const *const V;
    pub fn rd_kafka_IncrementalAlterConfigs_result_resources(r: *const V, n: *mut size_t) -> *const *const V;
    pub fn rd_kafka_DescribeConfigs_result_resources(r: *const V, n: *mut size_t) -> *const *const V;
    pub fn rd_kafka_ConfigResource_configs(c: *const V, n: *mut size_t) -> *const *const V;
    pub fn rd_kafka_ConfigResource_type(c: *const V) -> c_int;
    pub fn rd_kafka_ConfigResource_name(c: *const V) -> *const c_char;
    pub fn rd_kafka_ConfigResource_error(c: *const V) -> c_int;
    pub fn rd_kafka_ConfigResource_error_string(c: *const V) -> *const c_char;
    pub fn rd_kafka_ConfigEntry_name(c: *const V) -> *const c_char;
    pub fn rd_kafka_ConfigEntry_value(c: *const V) -> *const c_char;
    pub fn rd_kafka_ConfigEntry_source(c: *const V) -> c_int;
    pub fn rd_kafka_ConfigEntry_is_read_only(c: *const V) -> c_int;
    pub fn rd_kafka_ConfigEntry_is_default(c: *const V) -> c_int;
    pub fn rd_kafka_ConfigEntry_is_sensitive(c: *const V) -> c_int;
    pub fn rd_kafka_ConfigEntry_is_synonym(c: *const V) -> c_int;
    pub fn rd_kafka_ConfigEntry_synonyms(c: *const V, n: *mut size_t) -> *const *const V;
    pub fn rd_kafka_DeleteRecords_result_offsets(r: *const V) -> *const Tpl;
    pub fn rd_kafka_DeleteGroups_result_groups(r: *const V, n: *mut size_t) -> *const *const V;
    pub fn rd_kafka_DeleteConsumerGroupOffsets_result_groups(r: *const V, n: *mut size_t) -> *const *const V;
    pub fn rd_kafka_ListConsumerGroupOffsets_result_groups(r: *const V, n: *mut size_t) -> *const *const V;
    pub fn rd_kafka_AlterConsumerGroupOffsets_result_groups(r: *const V, n: *mut size_t) -> *const *const V;
    pub fn rd_kafka_group_result_error(g: *const V) -> *const V;
    pub fn rd_kafka_group_result_name(g: *const V) -> *const c_char;
    pub fn rd_kafka_group_result_partitions(g: *const V) -> *const Tpl;
    pub fn rd_kafka_CreateAcls_result_acls(r: *const V, n: *mut size_t) -> *const *const V;
    pub fn rd_kafka_acl_result_error(a: *const V) -> *const V;
    pub fn rd_kafka_DescribeAcls_result_acls(r: *const V, n: *mut size_t) -> *const *const V;
    pub fn rd_kafka_DeleteAcls_result_responses(r: *const V, n: *mut size_t) -> *const *const V;
    pub fn rd_kafka_DeleteAcls_result_response_error(r: *const V) -> *const V;
    pub fn rd_kafka_DeleteAcls_result_response_matching_acls(r: *const V, n: *mut size_t) -> *const *const V;
    pub fn rd_kafka_AclBinding_restype(a: *const V) -> c_int;
    pub fn rd_kafka_AclBinding_name(a: *const V) -> *const c_char;
    pub fn rd_kafka_AclBinding_principal(a: *const V) -> *const c_char;
    pub fn rd_kafka_AclBinding_host(a: *const V) -> *const c_char;
    pub fn rd_kafka_AclBinding_operation(a: *const V) -> c_int;
    pub fn rd_kafka_AclBinding_permission_type(a: *const V) -> c_int;
    pub fn rd_kafka_AclBinding_resource_pattern_type(a: *const V) -> c_int;
    pub fn rd_kafka_ListConsumerGroups_result_valid(r: *const V, n: *mut size_t) -> *const *const V;
    pub fn rd_kafka_ListConsumerGroups_result_errors(r: *const V, n: *mut size_t) -> *const *const V;
    pub fn rd_kafka_ConsumerGroupListing_group_id(g: *const V) -> *const c_char;
    pub fn rd_kafka_ConsumerGroupListing_is_simple_consumer_group(g: *const V) -> c_int;
    pub fn rd_kafka_ConsumerGroupListing_state(g: *const V) -> c_int;
    pub fn rd_kafka_ConsumerGroupListing_type(g: *const V) -> c_int;
    pub fn rd_kafka_DescribeConsumerGroups_result_groups(r: *const V, n: *mut size_t) -> *const *const V;
    pub fn rd_kafka_ConsumerGroupDescription_group_id(g: *const V) -> *const c_char;
    pub fn rd_kafka_ConsumerGroupDescription_error(g: *const V) -> *const V;
    pub fn rd_kafka_ConsumerGroupDescription_is_simple_consumer_group(g: *const V) -> c_int;
    pub fn rd_kafka_ConsumerGroupDescription_partition_assignor(g: *const V) -> *const c_char;
    pub fn rd_kafka_ConsumerGroupDescription_state(g: *const V) -> c_int;
    pub fn rd_kafka_ConsumerGroupDescription_type(g: *const V) -> c_int;
    pub fn rd_kafka_ConsumerGroupDescription_coordinator(g: *const V) -> *const V;
    pub fn rd_kafka_ConsumerGroupDescription_member_count(g: *const V) -> size_t;
    pub fn rd_kafka_ConsumerGroupDescription_member(g: *const V, i: size_t) -> *const V;
    pub fn rd_kafka_ConsumerGroupDescription_authorized_operations(
        g: *const V,
        n: *mut size_t,
    ) -> *const c_int;
    pub fn rd_kafka_MemberDescription_client_id(m: *const V) -> *const c_char;
    pub fn rd_kafka_MemberDescription_group_instance_id(m: *const V) -> *const c_char;
    pub fn rd_kafka_MemberDescription_consumer_id(m: *const V) -> *const c_char;
    pub fn rd_kafka_MemberDescription_host(m: *const V) -> *const c_char;
    pub fn rd_kafka_MemberDescription_assignment(m: *const V) -> *const V;
    pub fn rd_kafka_MemberDescription_target_assignment(m: *const V) -> *const V;
    pub fn rd_kafka_MemberAssignment_partitions(a: *const V) -> *const Tpl;
    pub fn rd_kafka_DescribeUserScramCredentials_result_descriptions(
        r: *const V,
        n: *mut size_t,
    ) -> *const *const V;
    pub fn rd_kafka_UserScramCredentialsDescription_user(d: *const V) -> *const c_char;
    pub fn rd_kafka_UserScramCredentialsDescription_error(d: *const V) -> *const V;
    pub fn rd_kafka_UserScramCredentialsDescription_scramcredentialinfo_count(d: *const V) -> size_t;
    pub fn rd_kafka_UserScramCredentialsDescription_scramcredentialinfo(d: *const V, i: size_t) -> *const V;
    pub fn rd_kafka_ScramCredentialInfo_mechanism(i: *const V) -> c_int;
    pub fn rd_kafka_ScramCredentialInfo_iterations(i: *const V) -> i32;
    pub fn rd_kafka_AlterUserScramCredentials_result_responses(
        r: *const V,
        n: *mut size_t,
    ) -> *const *const V;
    pub fn rd_kafka_AlterUserScramCredentials_result_response_user(r: *const V) -> *const c_char;
    pub fn rd_kafka_AlterUserScramCredentials_result_response_error(r: *const V) -> *const V;
    pub fn rd_kafka_DescribeTopics_result_topics(r: *const V, n: *mut size_t) -> *const *const V;
    pub fn rd_kafka_TopicDescription_name(t: *const V) -> *const c_char;
    pub fn rd_kafka_TopicDescription_topic_id(t: *const V) -> *const V;
    pub fn rd_kafka_TopicDescription_is_internal(t: *const V) -> c_int;
    pub fn rd_kafka_TopicDescription_error(t: *const V) -> *const V;
    pub fn rd_kafka_TopicDescription_partitions(t: *const V, n: *mut size_t) -> *const *const V;
    pub fn rd_kafka_TopicDescription_authorized_operations(t: *const V, n: *mut size_t) -> *const c_int;
    pub fn rd_kafka_TopicPartitionInfo_partition(p: *const V) -> c_int;
    pub fn rd_kafka_TopicPartitionInfo_leader(p: *const V) -> *const V;
    pub fn rd_kafka_TopicPartitionInfo_isr(p: *const V, n: *mut size_t) -> *const *const V;
    pub fn rd_kafka_TopicPartitionInfo_replicas(p: *const V, n: *mut size_t) -> *const *const V;
    pub fn rd_kafka_DescribeCluster_result_nodes(r: *const V, n: *mut size_t) -> *const *const V;
    pub fn rd_kafka_DescribeCluster_result_authorized_operations(r: *const V, n: *mut size_t)
        -> *const c_int;
    pub fn rd_kafka_DescribeCluster_result_controller(r: *const V) -> *const V;
    pub fn rd_kafka_DescribeCluster_result_cluster_id(r: *const V) -> *const c_char;
    pub fn rd_kafka_ListOffsets_result_infos(r: *const V, n: *mut size_t) -> *const *const V;
    pub fn rd_kafka_ListOffsetsResultInfo_topic_partition(i: *const V) -> *const rd_kafka_topic_partition_t;
    pub fn rd_kafka_ListOffsetsResultInfo_timestamp(i: *const V) -> i64;
    pub fn rd_kafka_ElectLeaders_result_partitions(r: *const V, n: *mut size_t) -> *const *const V;
    pub fn rd_kafka_topic_partition_result_partition(r: *const V) -> *const rd_kafka_topic_partition_t;
    pub fn rd_kafka_topic_partition_result_error(r: *const V) -> *const V;
    pub fn rd_kafka_Node_id(n: *const V) -> c_int;
    pub fn rd_kafka_Node_host(n: *const V) -> *const c_char;
    pub fn rd_kafka_Node_port(n: *const V) -> u16;
    pub fn rd_kafka_Node_rack(n: *const V) -> *const c_char;
    pub fn rd_kafka_Uuid_most_significant_bits(u: *const V) -> i64;
    pub fn rd_kafka_Uuid_least_significant_bits(u: *const V) -> i64;
}

// kafkars' admin extensions (include/kafkars.h, KAFKARS_ADMIN_OP_*).
extern "C" {
    pub fn kafkars_DescribeLogDirs(
        rk: *mut rd_kafka_t,
        p: *const Tpl,
        ids: *const i32,
        n: size_t,
        o: *const V,
        q: Q,
    );
    pub fn kafkars_DescribeLogDirs_result_brokers(r: *const V, n: *mut size_t) -> *const *const V;
    pub fn kafkars_BrokerLogDirs_broker_id(b: *const V) -> i32;
    pub fn kafkars_BrokerLogDirs_error(b: *const V) -> *const V;
    pub fn kafkars_BrokerLogDirs_log_dirs(b: *const V, n: *mut size_t) -> *const *const V;
    pub fn kafkars_LogDir_path(d: *const V) -> *const c_char;
    pub fn kafkars_LogDir_error(d: *const V) -> *const V;
    pub fn kafkars_LogDir_total_bytes(d: *const V) -> i64;
    pub fn kafkars_LogDir_usable_bytes(d: *const V) -> i64;
    pub fn kafkars_LogDir_replicas(d: *const V, n: *mut size_t) -> *const *const V;
    pub fn kafkars_ReplicaInfo_partition(r: *const V) -> *const rd_kafka_topic_partition_t;
    pub fn kafkars_ReplicaInfo_size(r: *const V) -> i64;
    pub fn kafkars_ReplicaInfo_offset_lag(r: *const V) -> i64;
    pub fn kafkars_ReplicaInfo_is_future(r: *const V) -> c_int;

    pub fn kafkars_ReplicaLogDir_new(
        t: *const c_char,
        p: i32,
        broker: i32,
        path: *const c_char,
        e: *mut c_char,
        n: size_t,
    ) -> *mut V;
    pub fn kafkars_ReplicaLogDir_destroy(x: *mut V);
    pub fn kafkars_ReplicaLogDir_topic(x: *const V) -> *const c_char;
    pub fn kafkars_ReplicaLogDir_partition(x: *const V) -> i32;
    pub fn kafkars_ReplicaLogDir_broker_id(x: *const V) -> i32;
    pub fn kafkars_ReplicaLogDir_path(x: *const V) -> *const c_char;
    pub fn kafkars_AlterReplicaLogDirs(rk: *mut rd_kafka_t, x: *mut *mut V, n: size_t, o: *const V, q: Q);
    pub fn kafkars_AlterReplicaLogDirs_result_replicas(r: *const V, n: *mut size_t) -> *const *const V;
    pub fn kafkars_ReplicaLogDirResult_replica(x: *const V) -> *const V;
    pub fn kafkars_ReplicaLogDirResult_error(x: *const V) -> *const V;

    pub fn kafkars_DescribeMetadataQuorum(rk: *mut rd_kafka_t, o: *const V, q: Q);
    pub fn kafkars_DescribeMetadataQuorum_result_quorum_info(r: *const V) -> *const V;
    pub fn kafkars_QuorumInfo_leader_id(q: *const V) -> i32;
    pub fn kafkars_QuorumInfo_leader_epoch(q: *const V) -> i32;
    pub fn kafkars_QuorumInfo_high_watermark(q: *const V) -> i64;
    pub fn kafkars_QuorumInfo_voters(q: *const V, n: *mut size_t) -> *const *const V;
    pub fn kafkars_QuorumInfo_observers(q: *const V, n: *mut size_t) -> *const *const V;
    pub fn kafkars_QuorumInfo_nodes(q: *const V, n: *mut size_t) -> *const *const V;
    pub fn kafkars_QuorumInfo_node_listener(q: *const V, i: size_t) -> *const c_char;
    pub fn kafkars_ReplicaState_replica_id(s: *const V) -> i32;
    pub fn kafkars_ReplicaState_directory_id(s: *const V) -> *const V;
    pub fn kafkars_ReplicaState_log_end_offset(s: *const V) -> i64;
    pub fn kafkars_ReplicaState_last_fetch_timestamp(s: *const V) -> i64;
    pub fn kafkars_ReplicaState_last_caught_up_timestamp(s: *const V) -> i64;

    pub fn kafkars_DescribeFeatures(rk: *mut rd_kafka_t, o: *const V, q: Q);
    pub fn kafkars_DescribeFeatures_result_features(r: *const V, n: *mut size_t) -> *const *const V;
    pub fn kafkars_DescribeFeatures_result_finalized_epoch(r: *const V) -> i64;
    pub fn kafkars_Feature_name(f: *const V) -> *const c_char;
    pub fn kafkars_Feature_supported_min(f: *const V) -> c_int;
    pub fn kafkars_Feature_supported_max(f: *const V) -> c_int;
    pub fn kafkars_Feature_finalized_min(f: *const V) -> c_int;
    pub fn kafkars_Feature_finalized_max(f: *const V) -> c_int;
    pub fn kafkars_FeatureUpdate_new(
        f: *const c_char,
        max: i16,
        kind: c_int,
        e: *mut c_char,
        n: size_t,
    ) -> *mut V;
    pub fn kafkars_FeatureUpdate_destroy(x: *mut V);
    pub fn kafkars_UpdateFeatures(rk: *mut rd_kafka_t, x: *mut *mut V, n: size_t, o: *const V, q: Q);
    pub fn kafkars_UpdateFeatures_result_features(r: *const V, n: *mut size_t) -> *const *const V;
    pub fn kafkars_FeatureUpdateResult_name(x: *const V) -> *const c_char;
    pub fn kafkars_FeatureUpdateResult_error(x: *const V) -> *const V;

    pub fn kafkars_PartitionReassignment_new(
        t: *const c_char,
        p: i32,
        replicas: *const i32,
        cnt: size_t,
        e: *mut c_char,
        n: size_t,
    ) -> *mut V;
    pub fn kafkars_PartitionReassignment_destroy(x: *mut V);
    pub fn kafkars_AlterPartitionReassignments(
        rk: *mut rd_kafka_t,
        x: *mut *mut V,
        n: size_t,
        o: *const V,
        q: Q,
    );
    pub fn kafkars_AlterPartitionReassignments_result_partitions(
        r: *const V,
        n: *mut size_t,
    ) -> *const *const V;
    pub fn kafkars_ListPartitionReassignments(rk: *mut rd_kafka_t, p: *const Tpl, o: *const V, q: Q);
    pub fn kafkars_ListPartitionReassignments_result_reassignments(
        r: *const V,
        n: *mut size_t,
    ) -> *const *const V;
    pub fn kafkars_OngoingReassignment_partition(x: *const V) -> *const rd_kafka_topic_partition_t;
    pub fn kafkars_OngoingReassignment_replicas(x: *const V, n: *mut size_t) -> *const i32;
    pub fn kafkars_OngoingReassignment_adding_replicas(x: *const V, n: *mut size_t) -> *const i32;
    pub fn kafkars_OngoingReassignment_removing_replicas(x: *const V, n: *mut size_t) -> *const i32;

    pub fn kafkars_ListConfigResources(
        rk: *mut rd_kafka_t,
        types: *const c_int,
        n: size_t,
        o: *const V,
        q: Q,
    );
    pub fn kafkars_ListConfigResources_result_resources(r: *const V, n: *mut size_t) -> *const *const V;
    pub fn kafkars_ConfigResourceListing_name(l: *const V) -> *const c_char;
    pub fn kafkars_ConfigResourceListing_type(l: *const V) -> c_int;

    pub fn kafkars_RemoveGroupMembers_new(g: *const c_char) -> *mut V;
    pub fn kafkars_RemoveGroupMembers_add(
        x: *mut V,
        member: *const c_char,
        instance: *const c_char,
        reason: *const c_char,
    ) -> *mut V;
    pub fn kafkars_RemoveGroupMembers_destroy(x: *mut V);
    pub fn kafkars_RemoveGroupMembers(rk: *mut rd_kafka_t, x: *const V, o: *const V, q: Q);
    pub fn kafkars_RemoveGroupMembers_result_members(r: *const V, n: *mut size_t) -> *const *const V;
    pub fn kafkars_MemberRemoval_member_id(m: *const V) -> *const c_char;
    pub fn kafkars_MemberRemoval_group_instance_id(m: *const V) -> *const c_char;
    pub fn kafkars_MemberRemoval_error(m: *const V) -> *const V;

    pub fn kafkars_ListTransactions(rk: *mut rd_kafka_t, o: *const V, q: Q);
    pub fn kafkars_ListTransactions_result_transactions(r: *const V, n: *mut size_t) -> *const *const V;
    pub fn kafkars_ListTransactions_result_errors(r: *const V, n: *mut size_t) -> *const *const V;
    pub fn kafkars_TransactionListing_transactional_id(t: *const V) -> *const c_char;
    pub fn kafkars_TransactionListing_producer_id(t: *const V) -> i64;
    pub fn kafkars_TransactionListing_state(t: *const V) -> c_int;
    pub fn kafkars_TransactionListing_broker_id(t: *const V) -> i32;
    pub fn kafkars_DescribeTransactions(
        rk: *mut rd_kafka_t,
        ids: *const *const c_char,
        n: size_t,
        o: *const V,
        q: Q,
    );
    pub fn kafkars_DescribeTransactions_result_descriptions(r: *const V, n: *mut size_t) -> *const *const V;
    pub fn kafkars_TransactionDescription_transactional_id(d: *const V) -> *const c_char;
    pub fn kafkars_TransactionDescription_error(d: *const V) -> *const V;
    pub fn kafkars_TransactionDescription_coordinator(d: *const V) -> *const V;
    pub fn kafkars_TransactionDescription_state(d: *const V) -> c_int;
    pub fn kafkars_TransactionDescription_producer_id(d: *const V) -> i64;
    pub fn kafkars_TransactionDescription_producer_epoch(d: *const V) -> i16;
    pub fn kafkars_TransactionDescription_timeout_ms(d: *const V) -> i32;
    pub fn kafkars_TransactionDescription_start_time_ms(d: *const V) -> i64;
    pub fn kafkars_TransactionDescription_partitions(d: *const V) -> *const Tpl;
    pub fn kafkars_DescribeProducers(rk: *mut rd_kafka_t, p: *const Tpl, o: *const V, q: Q);
    pub fn kafkars_DescribeProducers_result_partitions(r: *const V, n: *mut size_t) -> *const *const V;
    pub fn kafkars_PartitionProducers_partition(p: *const V) -> *const rd_kafka_topic_partition_t;
    pub fn kafkars_PartitionProducers_error(p: *const V) -> *const V;
    pub fn kafkars_PartitionProducers_producers(p: *const V, n: *mut size_t) -> *const *const V;
    pub fn kafkars_ProducerState_producer_id(s: *const V) -> i64;
    pub fn kafkars_ProducerState_producer_epoch(s: *const V) -> i32;
    pub fn kafkars_ProducerState_last_sequence(s: *const V) -> i32;
    pub fn kafkars_ProducerState_last_timestamp(s: *const V) -> i64;
    pub fn kafkars_ProducerState_coordinator_epoch(s: *const V) -> i32;
    pub fn kafkars_ProducerState_current_txn_start_offset(s: *const V) -> i64;
    pub fn kafkars_AbortTransactionSpec_new(
        t: *const c_char,
        p: i32,
        pid: i64,
        epoch: i16,
        coord_epoch: i32,
        e: *mut c_char,
        n: size_t,
    ) -> *mut V;
    pub fn kafkars_AbortTransactionSpec_destroy(x: *mut V);
    pub fn kafkars_AbortTransaction(rk: *mut rd_kafka_t, x: *const V, o: *const V, q: Q);
}
