//! Generates include/kafkars.h with cbindgen (plus librdkafka's enums, which the Rust side
//! keeps as plain ints) and compiles the C shim for the variadic entry points.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

include!("src/error_table.rs");

/// A C enum: (typedef, C enum tag, [(constant, value)]).
type CEnum = (&'static str, &'static str, &'static [(&'static str, i32)]);

/// Enums librdkafka declares as C enums.
const ENUMS: &[CEnum] = &[
    ("rd_kafka_type_t", "rd_kafka_type_t", &[("RD_KAFKA_PRODUCER", 0), ("RD_KAFKA_CONSUMER", 1)]),
    (
        "rd_kafka_conf_res_t",
        "",
        &[("RD_KAFKA_CONF_UNKNOWN", -2), ("RD_KAFKA_CONF_INVALID", -1), ("RD_KAFKA_CONF_OK", 0)],
    ),
    (
        "rd_kafka_vtype_t",
        "rd_kafka_vtype_t",
        &[
            ("RD_KAFKA_VTYPE_END", 0),
            ("RD_KAFKA_VTYPE_TOPIC", 1),
            ("RD_KAFKA_VTYPE_RKT", 2),
            ("RD_KAFKA_VTYPE_PARTITION", 3),
            ("RD_KAFKA_VTYPE_VALUE", 4),
            ("RD_KAFKA_VTYPE_KEY", 5),
            ("RD_KAFKA_VTYPE_OPAQUE", 6),
            ("RD_KAFKA_VTYPE_MSGFLAGS", 7),
            ("RD_KAFKA_VTYPE_TIMESTAMP", 8),
            ("RD_KAFKA_VTYPE_HEADER", 9),
            ("RD_KAFKA_VTYPE_HEADERS", 10),
        ],
    ),
    (
        "rd_kafka_timestamp_type_t",
        "rd_kafka_timestamp_type_t",
        &[
            ("RD_KAFKA_TIMESTAMP_NOT_AVAILABLE", 0),
            ("RD_KAFKA_TIMESTAMP_CREATE_TIME", 1),
            ("RD_KAFKA_TIMESTAMP_LOG_APPEND_TIME", 2),
        ],
    ),
    (
        "rd_kafka_msg_status_t",
        "",
        &[
            ("RD_KAFKA_MSG_STATUS_NOT_PERSISTED", 0),
            ("RD_KAFKA_MSG_STATUS_POSSIBLY_PERSISTED", 1),
            ("RD_KAFKA_MSG_STATUS_PERSISTED", 2),
        ],
    ),
    // Admin API.
    (
        "rd_kafka_admin_op_t",
        "rd_kafka_admin_op_t",
        &[
            ("RD_KAFKA_ADMIN_OP_ANY", 0),
            ("RD_KAFKA_ADMIN_OP_CREATETOPICS", 1),
            ("RD_KAFKA_ADMIN_OP_DELETETOPICS", 2),
            ("RD_KAFKA_ADMIN_OP_CREATEPARTITIONS", 3),
            ("RD_KAFKA_ADMIN_OP_ALTERCONFIGS", 4),
            ("RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS", 5),
            ("RD_KAFKA_ADMIN_OP_DELETERECORDS", 6),
            ("RD_KAFKA_ADMIN_OP_DELETEGROUPS", 7),
            ("RD_KAFKA_ADMIN_OP_DELETECONSUMERGROUPOFFSETS", 8),
            ("RD_KAFKA_ADMIN_OP_CREATEACLS", 9),
            ("RD_KAFKA_ADMIN_OP_DESCRIBEACLS", 10),
            ("RD_KAFKA_ADMIN_OP_DELETEACLS", 11),
            ("RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPS", 12),
            ("RD_KAFKA_ADMIN_OP_DESCRIBECONSUMERGROUPS", 13),
            ("RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPOFFSETS", 14),
            ("RD_KAFKA_ADMIN_OP_ALTERCONSUMERGROUPOFFSETS", 15),
            ("RD_KAFKA_ADMIN_OP_INCREMENTALALTERCONFIGS", 16),
            ("RD_KAFKA_ADMIN_OP_DESCRIBEUSERSCRAMCREDENTIALS", 17),
            ("RD_KAFKA_ADMIN_OP_ALTERUSERSCRAMCREDENTIALS", 18),
            ("RD_KAFKA_ADMIN_OP_DESCRIBETOPICS", 19),
            ("RD_KAFKA_ADMIN_OP_DESCRIBECLUSTER", 20),
            ("RD_KAFKA_ADMIN_OP_LISTOFFSETS", 21),
            ("RD_KAFKA_ADMIN_OP_ELECTLEADERS", 22),
            ("RD_KAFKA_ADMIN_OP__CNT", 23),
        ],
    ),
    (
        "rd_kafka_ResourceType_t",
        "rd_kafka_ResourceType_t",
        &[
            ("RD_KAFKA_RESOURCE_UNKNOWN", 0),
            ("RD_KAFKA_RESOURCE_ANY", 1),
            ("RD_KAFKA_RESOURCE_TOPIC", 2),
            ("RD_KAFKA_RESOURCE_GROUP", 3),
            ("RD_KAFKA_RESOURCE_BROKER", 4),
            ("RD_KAFKA_RESOURCE_TRANSACTIONAL_ID", 5),
            ("RD_KAFKA_RESOURCE__CNT", 6),
        ],
    ),
    (
        "rd_kafka_ResourcePatternType_t",
        "rd_kafka_ResourcePatternType_t",
        &[
            ("RD_KAFKA_RESOURCE_PATTERN_UNKNOWN", 0),
            ("RD_KAFKA_RESOURCE_PATTERN_ANY", 1),
            ("RD_KAFKA_RESOURCE_PATTERN_MATCH", 2),
            ("RD_KAFKA_RESOURCE_PATTERN_LITERAL", 3),
            ("RD_KAFKA_RESOURCE_PATTERN_PREFIXED", 4),
            ("RD_KAFKA_RESOURCE_PATTERN_TYPE__CNT", 5),
        ],
    ),
    (
        "rd_kafka_ConfigSource_t",
        "rd_kafka_ConfigSource_t",
        &[
            ("RD_KAFKA_CONFIG_SOURCE_UNKNOWN_CONFIG", 0),
            ("RD_KAFKA_CONFIG_SOURCE_DYNAMIC_TOPIC_CONFIG", 1),
            ("RD_KAFKA_CONFIG_SOURCE_DYNAMIC_BROKER_CONFIG", 2),
            ("RD_KAFKA_CONFIG_SOURCE_DYNAMIC_DEFAULT_BROKER_CONFIG", 3),
            ("RD_KAFKA_CONFIG_SOURCE_STATIC_BROKER_CONFIG", 4),
            ("RD_KAFKA_CONFIG_SOURCE_DEFAULT_CONFIG", 5),
            ("RD_KAFKA_CONFIG_SOURCE_GROUP_CONFIG", 8),
            ("RD_KAFKA_CONFIG_SOURCE__CNT", 9),
        ],
    ),
    (
        "rd_kafka_AlterConfigOpType_t",
        "rd_kafka_AlterConfigOpType_t",
        &[
            ("RD_KAFKA_ALTER_CONFIG_OP_TYPE_SET", 0),
            ("RD_KAFKA_ALTER_CONFIG_OP_TYPE_DELETE", 1),
            ("RD_KAFKA_ALTER_CONFIG_OP_TYPE_APPEND", 2),
            ("RD_KAFKA_ALTER_CONFIG_OP_TYPE_SUBTRACT", 3),
            ("RD_KAFKA_ALTER_CONFIG_OP_TYPE__CNT", 4),
        ],
    ),
    (
        "rd_kafka_AclOperation_t",
        "rd_kafka_AclOperation_t",
        &[
            ("RD_KAFKA_ACL_OPERATION_UNKNOWN", 0),
            ("RD_KAFKA_ACL_OPERATION_ANY", 1),
            ("RD_KAFKA_ACL_OPERATION_ALL", 2),
            ("RD_KAFKA_ACL_OPERATION_READ", 3),
            ("RD_KAFKA_ACL_OPERATION_WRITE", 4),
            ("RD_KAFKA_ACL_OPERATION_CREATE", 5),
            ("RD_KAFKA_ACL_OPERATION_DELETE", 6),
            ("RD_KAFKA_ACL_OPERATION_ALTER", 7),
            ("RD_KAFKA_ACL_OPERATION_DESCRIBE", 8),
            ("RD_KAFKA_ACL_OPERATION_CLUSTER_ACTION", 9),
            ("RD_KAFKA_ACL_OPERATION_DESCRIBE_CONFIGS", 10),
            ("RD_KAFKA_ACL_OPERATION_ALTER_CONFIGS", 11),
            ("RD_KAFKA_ACL_OPERATION_IDEMPOTENT_WRITE", 12),
            ("RD_KAFKA_ACL_OPERATION__CNT", 13),
        ],
    ),
    (
        "rd_kafka_AclPermissionType_t",
        "rd_kafka_AclPermissionType_t",
        &[
            ("RD_KAFKA_ACL_PERMISSION_TYPE_UNKNOWN", 0),
            ("RD_KAFKA_ACL_PERMISSION_TYPE_ANY", 1),
            ("RD_KAFKA_ACL_PERMISSION_TYPE_DENY", 2),
            ("RD_KAFKA_ACL_PERMISSION_TYPE_ALLOW", 3),
            ("RD_KAFKA_ACL_PERMISSION_TYPE__CNT", 4),
        ],
    ),
    (
        "rd_kafka_consumer_group_state_t",
        "",
        &[
            ("RD_KAFKA_CONSUMER_GROUP_STATE_UNKNOWN", 0),
            ("RD_KAFKA_CONSUMER_GROUP_STATE_PREPARING_REBALANCE", 1),
            ("RD_KAFKA_CONSUMER_GROUP_STATE_COMPLETING_REBALANCE", 2),
            ("RD_KAFKA_CONSUMER_GROUP_STATE_STABLE", 3),
            ("RD_KAFKA_CONSUMER_GROUP_STATE_DEAD", 4),
            ("RD_KAFKA_CONSUMER_GROUP_STATE_EMPTY", 5),
            ("RD_KAFKA_CONSUMER_GROUP_STATE__CNT", 6),
        ],
    ),
    (
        "rd_kafka_consumer_group_type_t",
        "",
        &[
            ("RD_KAFKA_CONSUMER_GROUP_TYPE_UNKNOWN", 0),
            ("RD_KAFKA_CONSUMER_GROUP_TYPE_CONSUMER", 1),
            ("RD_KAFKA_CONSUMER_GROUP_TYPE_CLASSIC", 2),
            ("RD_KAFKA_CONSUMER_GROUP_TYPE__CNT", 3),
        ],
    ),
    (
        "rd_kafka_ScramMechanism_t",
        "rd_kafka_ScramMechanism_t",
        &[
            ("RD_KAFKA_SCRAM_MECHANISM_UNKNOWN", 0),
            ("RD_KAFKA_SCRAM_MECHANISM_SHA_256", 1),
            ("RD_KAFKA_SCRAM_MECHANISM_SHA_512", 2),
            ("RD_KAFKA_SCRAM_MECHANISM__CNT", 3),
        ],
    ),
    (
        "rd_kafka_IsolationLevel_t",
        "rd_kafka_IsolationLevel_t",
        &[("RD_KAFKA_ISOLATION_LEVEL_READ_UNCOMMITTED", 0), ("RD_KAFKA_ISOLATION_LEVEL_READ_COMMITTED", 1)],
    ),
    (
        "rd_kafka_ElectionType_t",
        "rd_kafka_ElectionType_t",
        &[("RD_KAFKA_ELECTION_TYPE_PREFERRED", 0), ("RD_KAFKA_ELECTION_TYPE_UNCLEAN", 1)],
    ),
    (
        "rd_kafka_thread_type_t",
        "rd_kafka_thread_type_t",
        &[("RD_KAFKA_THREAD_MAIN", 0), ("RD_KAFKA_THREAD_BACKGROUND", 1), ("RD_KAFKA_THREAD_BROKER", 2)],
    ),
    (
        "rd_kafka_cert_type_t",
        "rd_kafka_cert_type_t",
        &[
            ("RD_KAFKA_CERT_PUBLIC_KEY", 0),
            ("RD_KAFKA_CERT_PRIVATE_KEY", 1),
            ("RD_KAFKA_CERT_CA", 2),
            ("RD_KAFKA_CERT__CNT", 3),
        ],
    ),
    (
        "rd_kafka_cert_enc_t",
        "rd_kafka_cert_enc_t",
        &[
            ("RD_KAFKA_CERT_ENC_PKCS12", 0),
            ("RD_KAFKA_CERT_ENC_DER", 1),
            ("RD_KAFKA_CERT_ENC_PEM", 2),
            ("RD_KAFKA_CERT_ENC__CNT", 3),
        ],
    ),
    (
        "rd_kafka_OffsetSpec_t",
        "rd_kafka_OffsetSpec_t",
        &[
            ("RD_KAFKA_OFFSET_SPEC_MAX_TIMESTAMP", -3),
            ("RD_KAFKA_OFFSET_SPEC_EARLIEST", -2),
            ("RD_KAFKA_OFFSET_SPEC_LATEST", -1),
        ],
    ),
];

/// librdkafka's #define constants (the Rust side keeps its own private copies).
const DEFINES: &[(&str, &str)] = &[
    ("RD_KAFKA_PARTITION_UA", "((int32_t)-1)"),
    ("RD_KAFKA_OFFSET_BEGINNING", "-2"),
    ("RD_KAFKA_OFFSET_END", "-1"),
    ("RD_KAFKA_OFFSET_STORED", "-1000"),
    ("RD_KAFKA_OFFSET_INVALID", "-1001"),
    ("RD_KAFKA_OFFSET_TAIL_BASE", "-2000"),
    ("RD_KAFKA_MSG_F_FREE", "0x1"),
    ("RD_KAFKA_MSG_F_COPY", "0x2"),
    ("RD_KAFKA_MSG_F_BLOCK", "0x4"),
    ("RD_KAFKA_MSG_F_PARTITION", "0x8"),
    ("RD_KAFKA_PURGE_F_QUEUE", "0x1"),
    ("RD_KAFKA_PURGE_F_INFLIGHT", "0x2"),
    ("RD_KAFKA_PURGE_F_NON_BLOCKING", "0x4"),
    ("RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE", "0x8"),
    ("RD_KAFKA_EVENT_NONE", "0x0"),
    ("RD_KAFKA_EVENT_DR", "0x1"),
    ("RD_KAFKA_EVENT_FETCH", "0x2"),
    ("RD_KAFKA_EVENT_LOG", "0x4"),
    ("RD_KAFKA_EVENT_ERROR", "0x8"),
    ("RD_KAFKA_EVENT_REBALANCE", "0x10"),
    ("RD_KAFKA_EVENT_OFFSET_COMMIT", "0x20"),
    ("RD_KAFKA_EVENT_STATS", "0x40"),
    ("RD_KAFKA_EVENT_CREATETOPICS_RESULT", "100"),
    ("RD_KAFKA_EVENT_DELETETOPICS_RESULT", "101"),
    ("RD_KAFKA_EVENT_CREATEPARTITIONS_RESULT", "102"),
    ("RD_KAFKA_EVENT_ALTERCONFIGS_RESULT", "103"),
    ("RD_KAFKA_EVENT_DESCRIBECONFIGS_RESULT", "104"),
    ("RD_KAFKA_EVENT_DELETERECORDS_RESULT", "105"),
    ("RD_KAFKA_EVENT_DELETEGROUPS_RESULT", "106"),
    ("RD_KAFKA_EVENT_DELETECONSUMERGROUPOFFSETS_RESULT", "107"),
    ("RD_KAFKA_EVENT_OAUTHBEARER_TOKEN_REFRESH", "0x100"),
    ("RD_KAFKA_EVENT_BACKGROUND", "0x200"),
    ("RD_KAFKA_EVENT_CREATEACLS_RESULT", "0x400"),
    ("RD_KAFKA_EVENT_DESCRIBEACLS_RESULT", "0x800"),
    ("RD_KAFKA_EVENT_DELETEACLS_RESULT", "0x1000"),
    ("RD_KAFKA_EVENT_LISTCONSUMERGROUPS_RESULT", "0x2000"),
    ("RD_KAFKA_EVENT_DESCRIBECONSUMERGROUPS_RESULT", "0x4000"),
    ("RD_KAFKA_EVENT_LISTCONSUMERGROUPOFFSETS_RESULT", "0x8000"),
    ("RD_KAFKA_EVENT_ALTERCONSUMERGROUPOFFSETS_RESULT", "0x10000"),
    ("RD_KAFKA_EVENT_INCREMENTALALTERCONFIGS_RESULT", "0x20000"),
    ("RD_KAFKA_EVENT_DESCRIBEUSERSCRAMCREDENTIALS_RESULT", "0x40000"),
    ("RD_KAFKA_EVENT_ALTERUSERSCRAMCREDENTIALS_RESULT", "0x80000"),
    ("RD_KAFKA_EVENT_DESCRIBETOPICS_RESULT", "0x100000"),
    ("RD_KAFKA_EVENT_DESCRIBECLUSTER_RESULT", "0x200000"),
    ("RD_KAFKA_EVENT_LISTOFFSETS_RESULT", "0x400000"),
    ("RD_KAFKA_EVENT_ELECTLEADERS_RESULT", "0x800000"),
    // kafkars extensions: never powers of two, which librdkafka takes for new events.
    ("KAFKARS_EVENT_DESCRIBELOGDIRS_RESULT", "10001"),
    ("KAFKARS_EVENT_ALTERREPLICALOGDIRS_RESULT", "10002"),
    ("KAFKARS_EVENT_DESCRIBEMETADATAQUORUM_RESULT", "10003"),
    ("KAFKARS_EVENT_DESCRIBEFEATURES_RESULT", "10004"),
    ("KAFKARS_EVENT_UPDATEFEATURES_RESULT", "10005"),
    ("KAFKARS_EVENT_ALTERPARTITIONREASSIGNMENTS_RESULT", "10006"),
    ("KAFKARS_EVENT_LISTPARTITIONREASSIGNMENTS_RESULT", "10007"),
    ("KAFKARS_EVENT_LISTCONFIGRESOURCES_RESULT", "10008"),
    ("KAFKARS_EVENT_REMOVEGROUPMEMBERS_RESULT", "10009"),
    ("KAFKARS_EVENT_LISTTRANSACTIONS_RESULT", "10010"),
    ("KAFKARS_EVENT_DESCRIBETRANSACTIONS_RESULT", "10011"),
    ("KAFKARS_EVENT_DESCRIBEPRODUCERS_RESULT", "10012"),
    ("KAFKARS_EVENT_ABORTTRANSACTION_RESULT", "10013"),
    // rd_kafka_AdminOptions_new() takes these too (kafkars extensions).
    ("KAFKARS_ADMIN_OP_DESCRIBELOGDIRS", "1001"),
    ("KAFKARS_ADMIN_OP_ALTERREPLICALOGDIRS", "1002"),
    ("KAFKARS_ADMIN_OP_DESCRIBEMETADATAQUORUM", "1003"),
    ("KAFKARS_ADMIN_OP_DESCRIBEFEATURES", "1004"),
    ("KAFKARS_ADMIN_OP_UPDATEFEATURES", "1005"),
    ("KAFKARS_ADMIN_OP_ALTERPARTITIONREASSIGNMENTS", "1006"),
    ("KAFKARS_ADMIN_OP_LISTPARTITIONREASSIGNMENTS", "1007"),
    ("KAFKARS_ADMIN_OP_LISTCONFIGRESOURCES", "1008"),
    ("KAFKARS_ADMIN_OP_REMOVEGROUPMEMBERS", "1009"),
    ("KAFKARS_ADMIN_OP_LISTTRANSACTIONS", "1010"),
    ("KAFKARS_ADMIN_OP_DESCRIBETRANSACTIONS", "1011"),
    ("KAFKARS_ADMIN_OP_DESCRIBEPRODUCERS", "1012"),
    ("KAFKARS_ADMIN_OP_ABORTTRANSACTION", "1013"),
    // kafkars_ConfigResourceType_t: the wire's config resource types.
    ("KAFKARS_CONFIG_RESOURCE_TOPIC", "2"),
    ("KAFKARS_CONFIG_RESOURCE_BROKER", "4"),
    ("KAFKARS_CONFIG_RESOURCE_BROKER_LOGGER", "8"),
    ("KAFKARS_CONFIG_RESOURCE_CLIENT_METRICS", "16"),
    ("KAFKARS_CONFIG_RESOURCE_GROUP", "32"),
    // kafkars_TransactionState_t.
    ("KAFKARS_TXN_STATE_UNKNOWN", "0"),
    ("KAFKARS_TXN_STATE_EMPTY", "1"),
    ("KAFKARS_TXN_STATE_ONGOING", "2"),
    ("KAFKARS_TXN_STATE_PREPARE_COMMIT", "3"),
    ("KAFKARS_TXN_STATE_PREPARE_ABORT", "4"),
    ("KAFKARS_TXN_STATE_COMPLETE_COMMIT", "5"),
    ("KAFKARS_TXN_STATE_COMPLETE_ABORT", "6"),
    ("KAFKARS_TXN_STATE_DEAD", "7"),
    ("KAFKARS_TXN_STATE_PREPARE_EPOCH_FENCE", "8"),
    ("KAFKARS_TXN_STATE__CNT", "9"),
    // kafkars_FeatureUpgradeType_t.
    ("KAFKARS_FEATURE_UPGRADE", "1"),
    ("KAFKARS_FEATURE_SAFE_DOWNGRADE", "2"),
    ("KAFKARS_FEATURE_UNSAFE_DOWNGRADE", "3"),
];

/// Public structs, written out so their struct tags and typedef names are librdkafka's
/// (`struct rd_kafka_metadata` / `rd_kafka_metadata_t`); cbindgen cannot name both.
/// src/capi/types.rs holds the Rust mirrors and tests/c/abi_layout.c checks they agree.
/// The interceptor function types, typedef'd in STRUCTS.
const INTERCEPTOR_FNS: &[&str] = &[
    "on_conf_set",
    "on_conf_dup",
    "on_conf_destroy",
    "on_new",
    "on_destroy",
    "on_send",
    "on_acknowledgement",
    "on_consume",
    "on_commit",
    "on_request_sent",
    "on_response_received",
    "on_thread_start",
    "on_thread_exit",
    "on_broker_state_change",
];

const STRUCTS: &str = r#"
/** A message: produced (delivery report) or consumed. */
typedef struct rd_kafka_message_s {
        rd_kafka_resp_err_t err; /**< Non-zero for error signaling. */
        rd_kafka_topic_t *rkt;   /**< Topic */
        int32_t partition;       /**< Partition */
        void *payload;           /**< Payload (or error string when err is set, consumer) */
        size_t len;              /**< Payload length */
        void *key;               /**< Key (consumer: key of the message) */
        size_t key_len;          /**< Key length */
        int64_t offset;          /**< Offset (consumer) / assigned offset (producer DR) */
        void *_private;          /**< Producer: msg_opaque from produce; consumer: internal */
} rd_kafka_message_t;

/** A topic+partition with offset, metadata, opaque and error. */
typedef struct rd_kafka_topic_partition_s {
        char *topic;             /**< Topic name */
        int32_t partition;       /**< Partition */
        int64_t offset;          /**< Offset */
        void *metadata;          /**< Metadata */
        size_t metadata_size;    /**< Metadata size */
        void *opaque;            /**< Opaque value for application use */
        rd_kafka_resp_err_t err; /**< Error code, depending on use. */
        void *_private;          /**< Internal: do not touch */
} rd_kafka_topic_partition_t;

/** A growable list of topic+partitions. */
typedef struct rd_kafka_topic_partition_list_s {
        int cnt;                          /**< Current number of elements */
        int size;                         /**< Current allocated size */
        rd_kafka_topic_partition_t *elems; /**< Element array[] */
} rd_kafka_topic_partition_list_t;

/** One entry of rd_kafka_get_err_descs(). */
struct rd_kafka_err_desc {
        rd_kafka_resp_err_t code; /**< Error code */
        const char *name;         /**< Error name, as the enum sans prefix */
        const char *desc;         /**< Human readable description */
};

/** Broker in metadata. */
typedef struct rd_kafka_metadata_broker {
        int32_t id; /**< Broker id */
        char *host; /**< Broker hostname */
        int port;   /**< Broker listening port */
} rd_kafka_metadata_broker_t;

/** Partition in metadata. */
typedef struct rd_kafka_metadata_partition {
        int32_t id;              /**< Partition id */
        rd_kafka_resp_err_t err; /**< Partition error reported by broker */
        int32_t leader;          /**< Leader broker */
        int replica_cnt;         /**< Number of brokers in replicas */
        int32_t *replicas;       /**< Replica brokers */
        int isr_cnt;             /**< Number of ISR brokers in isrs */
        int32_t *isrs;           /**< In-Sync-Replica brokers */
} rd_kafka_metadata_partition_t;

/** Topic in metadata. */
typedef struct rd_kafka_metadata_topic {
        char *topic;                                   /**< Topic name */
        int partition_cnt;                             /**< Number of partitions */
        struct rd_kafka_metadata_partition *partitions; /**< Partitions */
        rd_kafka_resp_err_t err;                       /**< Topic error reported by broker */
} rd_kafka_metadata_topic_t;

/** Cluster metadata, from rd_kafka_metadata(). */
typedef struct rd_kafka_metadata {
        int broker_cnt;                          /**< Number of brokers */
        struct rd_kafka_metadata_broker *brokers; /**< Brokers */
        int topic_cnt;                           /**< Number of topics */
        struct rd_kafka_metadata_topic *topics;   /**< Topics */
        int32_t orig_broker_id;                  /**< Broker originating this metadata */
        char *orig_broker_name;                  /**< Name of originating broker */
} rd_kafka_metadata_t;

/** A group member, in rd_kafka_list_groups() results. */
struct rd_kafka_group_member_info {
        char *member_id;            /**< Member id (generated by broker) */
        char *client_id;            /**< Client's client.id */
        char *client_host;          /**< Client's hostname */
        void *member_metadata;      /**< Member metadata (binary) */
        int member_metadata_size;   /**< Member metadata size in bytes */
        void *member_assignment;    /**< Member assignment (binary) */
        int member_assignment_size; /**< Member assignment size in bytes */
};

/** A group, in rd_kafka_list_groups() results. */
struct rd_kafka_group_info {
        struct rd_kafka_metadata_broker broker;     /**< Originating broker */
        char *group;                                /**< Group name */
        rd_kafka_resp_err_t err;                    /**< Broker-originated error */
        char *state;                                /**< Group state */
        char *protocol_type;                        /**< Group protocol type */
        char *protocol;                             /**< Group protocol */
        struct rd_kafka_group_member_info *members; /**< Group members */
        int member_cnt;                             /**< Group member count */
};

/** Result of rd_kafka_list_groups(). */
struct rd_kafka_group_list {
        struct rd_kafka_group_info *groups; /**< Groups */
        int group_cnt;                      /**< Group count */
};

/** A tagged value for rd_kafka_produceva(). */
typedef struct rd_kafka_vu_s {
        rd_kafka_vtype_t vtype; /**< RD_KAFKA_VTYPE_.. */
        union {
                const char *cstr;
                rd_kafka_topic_t *rkt;
                int i;
                int32_t i32;
                int64_t i64;
                struct {
                        void *ptr;
                        size_t size;
                } mem;
                struct {
                        const char *name;
                        const void *val;
                        ssize_t size;
                } header;
                rd_kafka_headers_t *headers;
                void *ptr;
                char _pad[64]; /**< Padding for future-proofness */
        } u;
} rd_kafka_vu_t;

/** Forward declaration (resolve_cb) to avoid including netdb.h. */
struct addrinfo;

/* Interceptor function types: the add functions take pointers to these. */
typedef rd_kafka_conf_res_t(rd_kafka_interceptor_f_on_conf_set_t)(rd_kafka_conf_t *conf, const char *name, const char *val, char *errstr, size_t errstr_size, void *ic_opaque);
typedef rd_kafka_resp_err_t(rd_kafka_interceptor_f_on_conf_dup_t)(rd_kafka_conf_t *new_conf, const rd_kafka_conf_t *old_conf, size_t filter_cnt, const char **filter, void *ic_opaque);
typedef rd_kafka_resp_err_t(rd_kafka_interceptor_f_on_conf_destroy_t)(void *ic_opaque);
typedef rd_kafka_resp_err_t(rd_kafka_interceptor_f_on_new_t)(rd_kafka_t *rk, const rd_kafka_conf_t *conf, void *ic_opaque, char *errstr, size_t errstr_size);
typedef rd_kafka_resp_err_t(rd_kafka_interceptor_f_on_destroy_t)(rd_kafka_t *rk, void *ic_opaque);
typedef rd_kafka_resp_err_t(rd_kafka_interceptor_f_on_send_t)(rd_kafka_t *rk, rd_kafka_message_t *rkmessage, void *ic_opaque);
typedef rd_kafka_resp_err_t(rd_kafka_interceptor_f_on_acknowledgement_t)(rd_kafka_t *rk, rd_kafka_message_t *rkmessage, void *ic_opaque);
typedef rd_kafka_resp_err_t(rd_kafka_interceptor_f_on_consume_t)(rd_kafka_t *rk, rd_kafka_message_t *rkmessage, void *ic_opaque);
typedef rd_kafka_resp_err_t(rd_kafka_interceptor_f_on_commit_t)(rd_kafka_t *rk, const rd_kafka_topic_partition_list_t *offsets, rd_kafka_resp_err_t err, void *ic_opaque);
typedef rd_kafka_resp_err_t(rd_kafka_interceptor_f_on_request_sent_t)(rd_kafka_t *rk, int sockfd, const char *brokername, int32_t brokerid, int16_t ApiKey, int16_t ApiVersion, int32_t CorrId, size_t size, void *ic_opaque);
typedef rd_kafka_resp_err_t(rd_kafka_interceptor_f_on_response_received_t)(rd_kafka_t *rk, int sockfd, const char *brokername, int32_t brokerid, int16_t ApiKey, int16_t ApiVersion, int32_t CorrId, size_t size, int64_t rtt, rd_kafka_resp_err_t err, void *ic_opaque);
typedef rd_kafka_resp_err_t(rd_kafka_interceptor_f_on_thread_start_t)(rd_kafka_t *rk, rd_kafka_thread_type_t thread_type, const char *thread_name, void *ic_opaque);
typedef rd_kafka_resp_err_t(rd_kafka_interceptor_f_on_thread_exit_t)(rd_kafka_t *rk, rd_kafka_thread_type_t thread_type, const char *thread_name, void *ic_opaque);
typedef rd_kafka_resp_err_t(rd_kafka_interceptor_f_on_broker_state_change_t)(rd_kafka_t *rk, int32_t broker_id, const char *secproto, const char *name, int port, const char *state, void *ic_opaque);
"#;

/// Rust mirrors of STRUCTS, kept out of cbindgen's output.
const STRUCT_MIRRORS: &[&str] = &[
    "rd_kafka_message_t",
    "rd_kafka_topic_partition_t",
    "rd_kafka_topic_partition_list_t",
    "rd_kafka_err_desc",
    "rd_kafka_metadata_broker_t",
    "rd_kafka_metadata_partition_t",
    "rd_kafka_metadata_topic_t",
    "rd_kafka_metadata_t",
    "rd_kafka_vu_t",
    "rd_kafka_vu_u",
    "rd_kafka_vu_mem",
    "rd_kafka_vu_header",
    "rd_kafka_group_member_info",
    "rd_kafka_group_info",
    "rd_kafka_group_list",
];

/// Opaque handle types: (typedef, struct tag), as librdkafka names them.
const OPAQUE: &[(&str, &str)] = &[
    ("rd_kafka_t", "rd_kafka_s"),
    ("rd_kafka_topic_t", "rd_kafka_topic_s"),
    ("rd_kafka_conf_t", "rd_kafka_conf_s"),
    ("rd_kafka_topic_conf_t", "rd_kafka_topic_conf_s"),
    ("rd_kafka_queue_t", "rd_kafka_queue_s"),
    ("rd_kafka_event_t", "rd_kafka_op_s"),
    ("rd_kafka_headers_t", "rd_kafka_headers_s"),
    ("rd_kafka_error_t", "rd_kafka_error_s"),
    // Admin API.
    ("rd_kafka_AdminOptions_t", "rd_kafka_AdminOptions_s"),
    ("rd_kafka_NewTopic_t", "rd_kafka_NewTopic_s"),
    ("rd_kafka_DeleteTopic_t", "rd_kafka_DeleteTopic_s"),
    ("rd_kafka_NewPartitions_t", "rd_kafka_NewPartitions_s"),
    ("rd_kafka_ConfigEntry_t", "rd_kafka_ConfigEntry_s"),
    ("rd_kafka_ConfigResource_t", "rd_kafka_ConfigResource_s"),
    ("rd_kafka_DeleteRecords_t", "rd_kafka_DeleteRecords_s"),
    ("rd_kafka_TopicCollection_t", "rd_kafka_TopicCollection_s"),
    ("rd_kafka_TopicPartitionInfo_t", "rd_kafka_TopicPartitionInfo_s"),
    ("rd_kafka_TopicDescription_t", "rd_kafka_TopicDescription_s"),
    ("rd_kafka_Node_t", "rd_kafka_Node_s"),
    ("rd_kafka_ConsumerGroupListing_t", "rd_kafka_ConsumerGroupListing_s"),
    ("rd_kafka_ListConsumerGroupsResult_t", "rd_kafka_ListConsumerGroupsResult_s"),
    ("rd_kafka_ConsumerGroupDescription_t", "rd_kafka_ConsumerGroupDescription_s"),
    ("rd_kafka_MemberDescription_t", "rd_kafka_MemberDescription_s"),
    ("rd_kafka_MemberAssignment_t", "rd_kafka_MemberAssignment_s"),
    ("rd_kafka_DeleteGroup_t", "rd_kafka_DeleteGroup_s"),
    ("rd_kafka_ListConsumerGroupOffsets_t", "rd_kafka_ListConsumerGroupOffsets_s"),
    ("rd_kafka_AlterConsumerGroupOffsets_t", "rd_kafka_AlterConsumerGroupOffsets_s"),
    ("rd_kafka_DeleteConsumerGroupOffsets_t", "rd_kafka_DeleteConsumerGroupOffsets_s"),
    ("rd_kafka_ListOffsetsResultInfo_t", "rd_kafka_ListOffsetsResultInfo_s"),
    ("rd_kafka_ScramCredentialInfo_t", "rd_kafka_ScramCredentialInfo_s"),
    ("rd_kafka_UserScramCredentialsDescription_t", "rd_kafka_UserScramCredentialsDescription_s"),
    ("rd_kafka_UserScramCredentialAlteration_t", "rd_kafka_UserScramCredentialAlteration_s"),
    (
        "rd_kafka_AlterUserScramCredentials_result_response_t",
        "rd_kafka_AlterUserScramCredentials_result_response_s",
    ),
    ("rd_kafka_AclBinding_t", "rd_kafka_AclBinding_s"),
    ("rd_kafka_DeleteAcls_result_response_t", "rd_kafka_DeleteAcls_result_response_s"),
    ("rd_kafka_ElectLeaders_t", "rd_kafka_ElectLeaders_s"),
    ("rd_kafka_topic_result_t", "rd_kafka_topic_result_s"),
    ("rd_kafka_group_result_t", "rd_kafka_group_result_s"),
    ("rd_kafka_acl_result_t", "rd_kafka_acl_result_s"),
    ("rd_kafka_topic_partition_result_t", "rd_kafka_topic_partition_result_s"),
    ("rd_kafka_Uuid_t", "rd_kafka_Uuid_s"),
    // kafkars extensions to the Admin API.
    ("kafkars_PartitionReassignment_t", "kafkars_PartitionReassignment_s"),
    ("kafkars_OngoingReassignment_t", "kafkars_OngoingReassignment_s"),
    ("kafkars_BrokerLogDirs_t", "kafkars_BrokerLogDirs_s"),
    ("kafkars_LogDir_t", "kafkars_LogDir_s"),
    ("kafkars_ReplicaInfo_t", "kafkars_ReplicaInfo_s"),
    ("kafkars_ReplicaLogDir_t", "kafkars_ReplicaLogDir_s"),
    ("kafkars_ReplicaLogDirResult_t", "kafkars_ReplicaLogDirResult_s"),
    ("kafkars_QuorumInfo_t", "kafkars_QuorumInfo_s"),
    ("kafkars_ReplicaState_t", "kafkars_ReplicaState_s"),
    ("kafkars_Feature_t", "kafkars_Feature_s"),
    ("kafkars_FeatureUpdate_t", "kafkars_FeatureUpdate_s"),
    ("kafkars_FeatureUpdateResult_t", "kafkars_FeatureUpdateResult_s"),
    ("kafkars_ConfigResourceListing_t", "kafkars_ConfigResourceListing_s"),
    ("kafkars_RemoveGroupMembers_t", "kafkars_RemoveGroupMembers_s"),
    ("kafkars_MemberRemoval_t", "kafkars_MemberRemoval_s"),
    ("kafkars_TransactionListing_t", "kafkars_TransactionListing_s"),
    ("kafkars_TransactionDescription_t", "kafkars_TransactionDescription_s"),
    ("kafkars_PartitionProducers_t", "kafkars_PartitionProducers_s"),
    ("kafkars_ProducerState_t", "kafkars_ProducerState_s"),
    ("kafkars_AbortTransactionSpec_t", "kafkars_AbortTransactionSpec_s"),
    ("rd_kafka_mock_cluster_t", "rd_kafka_mock_cluster_s"),
    ("rd_kafka_mock_request_t", "rd_kafka_mock_request_s"),
    ("rd_kafka_mock_cgrp_consumer_target_assignment_t", "rd_kafka_mock_cgrp_consumer_target_assignment_s"),
    ("rd_kafka_share_t", "rd_kafka_share_s"),
    ("rd_kafka_messages_t", "rd_kafka_messages_s"),
    ("rd_kafka_share_partition_offsets_t", "rd_kafka_share_partition_offsets_s"),
    ("rd_kafka_share_partition_offsets_list_t", "rd_kafka_share_partition_offsets_list_s"),
];

fn prelude() -> String {
    let mut s = String::new();
    s.push_str("\n/* Opaque handle types. */\n");
    for (t, tag) in OPAQUE {
        let _ = writeln!(s, "typedef struct {tag} {t};");
    }
    s.push_str("\n/* Error codes (rd_kafka_resp_err_t), numbered as librdkafka's. */\ntypedef enum {\n");
    for (code, name, _) in ERROR_TABLE {
        let _ = writeln!(s, "        RD_KAFKA_RESP_ERR_{name} = {code},");
    }
    let end_all = ERROR_TABLE.iter().map(|e| e.0).max().unwrap_or(0) + 1;
    let _ = writeln!(s, "        RD_KAFKA_RESP_ERR_END_ALL = {end_all},\n}} rd_kafka_resp_err_t;\n");
    for (alias, target) in ERROR_ALIASES {
        let _ = writeln!(s, "#define RD_KAFKA_RESP_ERR_{alias} RD_KAFKA_RESP_ERR_{target}");
    }
    for (t, tag, vals) in ENUMS {
        let _ = writeln!(s, "\ntypedef enum {tag} {{");
        for (n, v) in *vals {
            let _ = writeln!(s, "        {n} = {v},");
        }
        let _ = writeln!(s, "}} {t};");
    }
    s.push_str("\ntypedef int rd_kafka_event_type_t;\n\n");
    for (n, v) in DEFINES {
        let _ = writeln!(s, "#define {n} {v}");
    }
    s.push_str(STRUCTS);
    s
}

const TRAILER: &str = r#"
/** librdkafka API version implemented, as rd_kafka_version() returns it. */
#define RD_KAFKA_VERSION 0x021000ff

/** Relative offset from the end of the partition. */
#define RD_KAFKA_OFFSET_TAIL(CNT) (RD_KAFKA_OFFSET_TAIL_BASE - (CNT))

/* Type-checked var-args for rd_kafka_producev(). */
#define RD_KAFKA_V_END RD_KAFKA_VTYPE_END
#define RD_KAFKA_V_TOPIC(topic) _LRK_TYPECHECK(RD_KAFKA_VTYPE_TOPIC, const char *, topic), (const char *)topic
#define RD_KAFKA_V_RKT(rkt) _LRK_TYPECHECK(RD_KAFKA_VTYPE_RKT, rd_kafka_topic_t *, rkt), (rd_kafka_topic_t *)rkt
#define RD_KAFKA_V_PARTITION(partition) _LRK_TYPECHECK(RD_KAFKA_VTYPE_PARTITION, int32_t, partition), (int32_t)partition
#define RD_KAFKA_V_VALUE(VALUE, LEN) _LRK_TYPECHECK2(RD_KAFKA_VTYPE_VALUE, void *, VALUE, size_t, LEN), (void *)VALUE, (size_t)LEN
#define RD_KAFKA_V_KEY(KEY, LEN) _LRK_TYPECHECK2(RD_KAFKA_VTYPE_KEY, const void *, KEY, size_t, LEN), (void *)KEY, (size_t)LEN
#define RD_KAFKA_V_OPAQUE(msg_opaque) _LRK_TYPECHECK(RD_KAFKA_VTYPE_OPAQUE, void *, msg_opaque), (void *)msg_opaque
#define RD_KAFKA_V_MSGFLAGS(msgflags) _LRK_TYPECHECK(RD_KAFKA_VTYPE_MSGFLAGS, int, msgflags), (int)msgflags
#define RD_KAFKA_V_TIMESTAMP(timestamp) _LRK_TYPECHECK(RD_KAFKA_VTYPE_TIMESTAMP, int64_t, timestamp), (int64_t)timestamp
#define RD_KAFKA_V_HEADER(NAME, VALUE, LEN) _LRK_TYPECHECK3(RD_KAFKA_VTYPE_HEADER, const char *, NAME, const void *, VALUE, ssize_t, LEN), (const char *)NAME, (const void *)VALUE, (ssize_t)LEN
#define RD_KAFKA_V_HEADERS(HDRS) _LRK_TYPECHECK(RD_KAFKA_VTYPE_HEADERS, rd_kafka_headers_t *, HDRS), (rd_kafka_headers_t *)HDRS

/* The built-in partitioners, for rd_kafka_topic_conf_set_partitioner_cb() (defined in
 * Rust by a macro, which cbindgen does not expand). */
#ifdef __cplusplus
extern "C" {
#endif
/** Random partitioner (available partitions only). */
int32_t rd_kafka_msg_partitioner_random(const rd_kafka_topic_t *rkt, const void *key, size_t keylen, int32_t partition_cnt, void *rkt_opaque, void *msg_opaque);
/** Consistent partitioner: CRC32 hash of the key. */
int32_t rd_kafka_msg_partitioner_consistent(const rd_kafka_topic_t *rkt, const void *key, size_t keylen, int32_t partition_cnt, void *rkt_opaque, void *msg_opaque);
/** CRC32 of the key, random for empty or NULL keys. */
int32_t rd_kafka_msg_partitioner_consistent_random(const rd_kafka_topic_t *rkt, const void *key, size_t keylen, int32_t partition_cnt, void *rkt_opaque, void *msg_opaque);
/** Java-compatible murmur2 hash of the key. */
int32_t rd_kafka_msg_partitioner_murmur2(const rd_kafka_topic_t *rkt, const void *key, size_t keylen, int32_t partition_cnt, void *rkt_opaque, void *msg_opaque);
/** murmur2 of the key, random for NULL keys. */
int32_t rd_kafka_msg_partitioner_murmur2_random(const rd_kafka_topic_t *rkt, const void *key, size_t keylen, int32_t partition_cnt, void *rkt_opaque, void *msg_opaque);
/** FNV-1a hash of the key. */
int32_t rd_kafka_msg_partitioner_fnv1a(const rd_kafka_topic_t *rkt, const void *key, size_t keylen, int32_t partition_cnt, void *rkt_opaque, void *msg_opaque);
/** FNV-1a of the key, random for NULL keys. */
int32_t rd_kafka_msg_partitioner_fnv1a_random(const rd_kafka_topic_t *rkt, const void *key, size_t keylen, int32_t partition_cnt, void *rkt_opaque, void *msg_opaque);
#ifdef __cplusplus
}
#endif

#if !defined(_LRK_TYPECHECK)
#define _LRK_TYPECHECK(RET, TYPE, ARG) RET
#define _LRK_TYPECHECK2(RET, TYPE, ARG, TYPE2, ARG2) RET
#define _LRK_TYPECHECK3(RET, TYPE, ARG, TYPE2, ARG2, TYPE3, ARG3) RET
#endif

/** Produces one message described by RD_KAFKA_V_..() arguments ending with RD_KAFKA_V_END. */
rd_kafka_resp_err_t rd_kafka_producev(rd_kafka_t *rk, ...);

/** Creates an error object with a printf-style message; free with rd_kafka_error_destroy(). */
rd_kafka_error_t *rd_kafka_error_new(rd_kafka_resp_err_t code, const char *fmt, ...);

/** Mock cluster: the next `cnt` requests of `ApiKey` to any broker fail with these
 * errors (`cnt` rd_kafka_resp_err_t arguments). */
void rd_kafka_mock_push_request_errors(rd_kafka_mock_cluster_t *mcluster, int16_t ApiKey, size_t cnt, ...);

/** Mock cluster: the next `cnt` requests of `ApiKey` to broker `broker_id` fail, each
 * answered after an extra delay (`cnt` pairs of rd_kafka_resp_err_t and int rtt_ms). */
rd_kafka_resp_err_t rd_kafka_mock_broker_push_request_error_rtts(rd_kafka_mock_cluster_t *mcluster, int32_t broker_id, int16_t ApiKey, size_t cnt, ...);

/** Mock cluster: the next `cnt` requests of `ApiKey` naming this partition get these
 * errors as its partition-level error (`cnt` rd_kafka_resp_err_t arguments). */
rd_kafka_resp_err_t rd_kafka_mock_partition_push_request_errors(rd_kafka_mock_cluster_t *mcluster, const char *topic, int32_t partition, int16_t ApiKey, size_t cnt, ...);
"#;

fn main() {
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=build.rs");
    cc::Build::new().file("src/shim.c").warnings(true).compile("kafkars_shim");
    let crate_dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let mut exclude: Vec<String> = OPAQUE.iter().map(|(t, _)| t.to_string()).collect();
    exclude.extend(["rd_kafka_resp_err_t", "rd_kafka_event_type_t"].iter().map(|s| s.to_string()));
    exclude.extend(STRUCT_MIRRORS.iter().map(|s| s.to_string()));
    // Declared in STRUCTS as librdkafka does (function types, not pointers).
    exclude.extend(INTERCEPTOR_FNS.iter().map(|n| format!("rd_kafka_interceptor_f_{n}_t")));
    for (t, _, vals) in ENUMS {
        exclude.push(t.to_string());
        exclude.extend(vals.iter().map(|(n, _)| n.to_string()));
    }
    let config = cbindgen::Config {
        language: cbindgen::Language::C,
        include_guard: Some("KAFKARS_H".into()),
        cpp_compat: true,
        header: Some("/* kafkars: librdkafka's C API implemented in Rust. Generated by cbindgen from\n * src/capi; do not edit. Compatible with programs written for librdkafka 2.x. */".into()),
        sys_includes: vec![
            "stdint.h".into(),
            "stddef.h".into(),
            "stdio.h".into(),
            "sys/types.h".into(),
            "sys/socket.h".into(),
        ],
        no_includes: true,
        after_includes: Some(prelude()),
        trailer: Some(TRAILER.into()),
        documentation: true,
        documentation_style: cbindgen::DocumentationStyle::Doxy,
        style: cbindgen::Style::Both,
        // Constants come from DEFINES/ENUMS above: the crate's other consts are internal.
        export: cbindgen::ExportConfig {
            exclude,
            // librdkafka has no typedef for this one: spell the struct tag.
            rename: ["rd_kafka_err_desc", "rd_kafka_group_member_info", "rd_kafka_group_info", "rd_kafka_group_list", "sockaddr", "addrinfo"].iter().map(|n| (n.to_string(), format!("struct {n}"))).collect(),
            item_types: vec![cbindgen::ItemType::Functions, cbindgen::ItemType::Structs, cbindgen::ItemType::Unions, cbindgen::ItemType::Typedefs, cbindgen::ItemType::OpaqueItems],
            ..Default::default()
        },
        ..Default::default()
    };
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let lib_rs = match sources_for_cbindgen(Path::new(&crate_dir), Path::new(&out_dir)) {
        Ok(p) => p,
        Err(e) => {
            println!("cargo:warning=cannot copy src/ for cbindgen: {e}");
            return;
        }
    };
    match cbindgen::Builder::new().with_src(lib_rs).with_config(config).generate() {
        Ok(b) => {
            b.write_to_file(format!("{crate_dir}/include/kafkars.h"));
        }
        Err(e) => println!("cargo:warning=cbindgen failed: {e}"),
    }
}

/// cbindgen exports the functions marked with the export attribute, and does not expand
/// `#[ffi_fn]` (kafkars-macros), which adds that attribute: it reads a copy of src/ in
/// OUT_DIR where each `#[ffi_fn(...)]` is replaced by the attribute it stands for.
/// Returns the copy's lib.rs.
fn sources_for_cbindgen(crate_dir: &Path, out_dir: &Path) -> std::io::Result<PathBuf> {
    let copy = out_dir.join("cbindgen-src");
    if copy.exists() {
        std::fs::remove_dir_all(&copy)?;
    }
    copy_rewritten(&crate_dir.join("src"), &copy)?;
    Ok(copy.join("lib.rs"))
}

fn copy_rewritten(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let path = entry?.path();
        let dest = to.join(path.file_name().unwrap_or_default());
        if path.is_dir() {
            copy_rewritten(&path, &dest)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            std::fs::write(dest, export_attributes(&std::fs::read_to_string(&path)?))?;
        }
    }
    Ok(())
}

/// `src` with every `#[ffi_fn]` / `#[ffi_fn(default = ...)]` turned into `#[no_mangle]`.
fn export_attributes(src: &str) -> String {
    const ATTR: &str = "#[ffi_fn";
    let mut out = String::with_capacity(src.len());
    let mut rest = src;
    while let Some(at) = rest.find(ATTR) {
        let after = &rest[at + ATTR.len()..];
        if !after.starts_with(']') && !after.starts_with('(') {
            out.push_str(&rest[..at + ATTR.len()]);
            rest = after;
            continue;
        }
        out.push_str(&rest[..at]);
        out.push_str("#[no_mangle]");
        rest = &rest[at + 1 + attr_len(&rest[at + 1..])..];
    }
    out.push_str(rest);
    out
}

/// The length of the bracketed attribute `s` starts with (`[ffi_fn(...)]`), skipping
/// brackets inside string literals of the default value.
fn attr_len(s: &str) -> usize {
    let (mut depth, mut in_str, mut escaped) = (0usize, false, false);
    for (i, c) in s.char_indices() {
        match (in_str, c) {
            (true, '\\') if !escaped => escaped = true,
            (true, '"') if !escaped => in_str = false,
            (true, _) => escaped = false,
            (false, '"') => in_str = true,
            (false, '[' | '(') => depth += 1,
            (false, ']' | ')') => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
    }
    s.len()
}
