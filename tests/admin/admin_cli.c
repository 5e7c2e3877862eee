/*
 * admin_cli: perform ONE librdkafka Admin API operation and print its result
 * event in a canonical, deterministic text form, calling every result accessor
 * of librdkafka 2.16's rdkafka.h. Runs unchanged on genuine librdkafka and on
 * kafkars (libkafkars.so as librdkafka.so.1) so the two outputs can be diffed.
 *
 * Build:
 *   gcc -O1 -g -Wall -Wextra -Werror -Wno-unused-parameter -I/work/main/include \
 *       -o /tmp/admin_cli tests/admin/admin_cli.c -lrdkafka
 *
 * Usage:
 *   admin_cli [-b BOOTSTRAP] [-X prop=val]... [-o opt=val]... [-t WAIT_MS] [-s] OP [ARGS...]
 *
 *   -b  bootstrap.servers (applied before the -X properties)
 *   -X  client configuration property (rd_kafka_conf_set)
 *   -o  AdminOptions: request_timeout=MS operation_timeout=MS validate_only=0|1
 *       broker=ID require_stable_offsets=0|1 include_authorized_operations=0|1
 *       isolation_level=0|1 (or read_uncommitted|read_committed)
 *       match_consumer_group_states=Stable,Empty,...  match_consumer_group_types=classic,consumer
 *       kafkars' ListTransactions filters: match_transaction_states=Ongoing,PrepareAbort,...
 *       match_producer_ids=ID,ID,... min_transaction_duration=MS transactional_id_pattern=RE
 *       A setter's error prints "option NAME: ERRNAME: errstr" and the run goes on.
 *   -t  how long to wait for the result event, ms (default 30000)
 *   -s  sort the entries of every result array (for fan-out results)
 *
 * OPs (fields are ':'-separated, lists ','-separated; a backslash escapes the
 * next character, e.g. cleanup.policy=compact\,delete; "k" without '=' means a
 * NULL value):
 *   create_topics NAME:PARTS:RF[:k=v,...] | NAME:@B,B;B,B[:RF][:k=v,...] ...
 *   delete_topics NAME...
 *   create_partitions NAME:TOTAL[:@B,B;B,B] ...
 *   describe_configs TYPE:NAME ...           TYPE topic|broker|group|broker_logger|any|unknown|transactional_id|<int>
 *   alter_configs TYPE:NAME[:k=v,...] ...
 *   incremental_alter_configs TYPE:NAME:OP:k=v[,OP:k=v...] ...   OP set|delete|append|subtract|<int>
 *   delete_records TOPIC:PART:OFFSET ...     (one DeleteRecords object holding all of them)
 *   describe_topics NAME...
 *   describe_cluster
 *   list_offsets TOPIC:PART:SPEC ...         SPEC earliest|latest|max_timestamp|<int timestamp>
 *   elect_leaders preferred|unclean|<int> [TOPIC:PART...]   (no partitions: NULL list)
 *   create_acls RTYPE:NAME:PATTERN:PRINCIPAL:HOST:OP:PERM ...
 *   describe_acls RTYPE:NAME:PATTERN:PRINCIPAL:HOST:OP:PERM
 *   delete_acls FILTER...
 *       ACL enum names are case-insensitive (or integers); '-' is a NULL string;
 *       PRINCIPAL may hold one unescaped ':' (User:alice), escape any other.
 *   list_consumer_groups
 *   describe_consumer_groups GROUP...
 *   delete_groups GROUP...
 *   list_consumer_group_offsets GROUP [TOPIC:PART...]   (no partitions: NULL list)
 *   alter_consumer_group_offsets GROUP TOPIC:PART:OFFSET[:metadata]...
 *   delete_consumer_group_offsets GROUP TOPIC:PART...
 *   describe_user_scram_credentials [USER...]
 *   alter_user_scram_credentials upsert:USER:MECH:ITER:PASSWORD[:SALT] | delete:USER:MECH ...
 *       MECH sha256|sha512|unknown|<int>
 *   kafkars extensions ("unsupported: <fn>" and exit 3 where absent):
 *   describe_log_dirs [B:BROKERID...] [TOPIC:PART...]
 *   list_partition_reassignments [TOPIC:PART...]
 *   alter_partition_reassignments TOPIC:PART[:B1,B2|-] ...   (no list: cancel)
 *   alter_replica_log_dirs TOPIC:PART:BROKER:PATH ...   (PATH: the rest of the argument)
 *   describe_metadata_quorum
 *   describe_features                         (-o broker=ID: ask that broker)
 *   update_features FEATURE:LEVEL[:upgrade|safe_downgrade|unsafe_downgrade] ...
 *   list_config_resources [topic|broker|broker_logger|client_metrics|group|<int> ...]
 *   remove_group_members GROUP MEMBER_ID[:GROUP_INSTANCE_ID[:REASON]] ...   ('-': NULL)
 *   list_transactions                         (filters: -o, above; -o broker=ID)
 *   describe_transactions TRANSACTIONAL_ID ...
 *   describe_producers TOPIC:PART ...         (-o broker=ID: ask that replica)
 *   abort_transaction TOPIC:PART:PRODUCER_ID:PRODUCER_EPOCH[:COORDINATOR_EPOCH]
 *
 * Output (stdout): "option ..." and "build: ..." lines, then
 *   event <rd_kafka_event_name> err=<err2name> errstr=<rd_kafka_event_error_string>
 * followed by the result, indented two spaces per level. Arrays print as
 * "<name>: <count>" followed by one block per element. NULL strings print
 * "(null)", enums print NAME(number), errors print
 * "error=(null)" or "error=NAME[/fatal][/retriable][/txn_requires_abort]: string".
 * For DeleteRecords, ListConsumerGroups, DescribeCluster and ElectLeaders an
 * errored event prints "  (result accessors not called: event error)" instead
 * of its result: genuine 2.16 asserts or crashes in those accessors then.
 * Non-result events seen while waiting (client errors on the main queue; an
 * error_cb is set so genuine librdkafka enqueues them instead of logging) go to
 * stderr as "other-event <name> ...". -s sorts every array, nested ones too,
 * by comparing the formatted blocks as strings.
 *
 * Newer-than-2.0 functions are weak references (NEWER_FNS below), so this links
 * against the system librdkafka.so.1 and runs on any librdkafka.so.1 put first
 * on LD_LIBRARY_PATH (genuine 2.16, or build/compat for kafkars).
 *
 * Exit: 0 result printed (whatever its error), 1 client setup failed,
 * 2 "no result" within -t, 3 unsupported op, 4 a request object could not be
 * built (constructor returned NULL; "build: ..." says why), 64 usage error.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dlfcn.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <librdkafka/rdkafka.h>

/* Functions newer than the system (Debian, 2.0.x) librdkafka that -lrdkafka
 * links against: referenced weakly so the plain build command links, and
 * resolved at run time from whichever librdkafka.so.1 is loaded (genuine
 * 2.16 or kafkars). check_symbols() refuses to run if one is missing. */
#define PRAGMA_(x) _Pragma(#x)
#define WEAK_(f) PRAGMA_(weak f)
#define NEWER_FNS(X) \
        X(rd_kafka_AdminOptions_set_include_authorized_operations) \
        X(rd_kafka_AdminOptions_set_isolation_level) \
        X(rd_kafka_AdminOptions_set_match_consumer_group_types) \
        X(rd_kafka_AlterUserScramCredentials) \
        X(rd_kafka_AlterUserScramCredentials_result_response_error) \
        X(rd_kafka_AlterUserScramCredentials_result_response_user) \
        X(rd_kafka_AlterUserScramCredentials_result_responses) \
        X(rd_kafka_ConfigResource_add_incremental_config) \
        X(rd_kafka_ConsumerGroupDescription_authorized_operations) \
        X(rd_kafka_ConsumerGroupDescription_type) \
        X(rd_kafka_ConsumerGroupListing_type) \
        X(rd_kafka_DescribeCluster) \
        X(rd_kafka_DescribeCluster_result_authorized_operations) \
        X(rd_kafka_DescribeCluster_result_cluster_id) \
        X(rd_kafka_DescribeCluster_result_controller) \
        X(rd_kafka_DescribeCluster_result_nodes) \
        X(rd_kafka_DescribeTopics) \
        X(rd_kafka_DescribeTopics_result_topics) \
        X(rd_kafka_DescribeUserScramCredentials) \
        X(rd_kafka_DescribeUserScramCredentials_result_descriptions) \
        X(rd_kafka_ElectLeaders) \
        X(rd_kafka_ElectLeaders_destroy) \
        X(rd_kafka_ElectLeaders_new) \
        X(rd_kafka_ElectLeaders_result_partitions) \
        X(rd_kafka_IncrementalAlterConfigs) \
        X(rd_kafka_IncrementalAlterConfigs_result_resources) \
        X(rd_kafka_ListOffsets) \
        X(rd_kafka_ListOffsetsResultInfo_timestamp) \
        X(rd_kafka_ListOffsetsResultInfo_topic_partition) \
        X(rd_kafka_ListOffsets_result_infos) \
        X(rd_kafka_MemberDescription_target_assignment) \
        X(rd_kafka_Node_rack) \
        X(rd_kafka_ScramCredentialInfo_iterations) \
        X(rd_kafka_ScramCredentialInfo_mechanism) \
        X(rd_kafka_TopicCollection_destroy) \
        X(rd_kafka_TopicCollection_of_topic_names) \
        X(rd_kafka_TopicDescription_authorized_operations) \
        X(rd_kafka_TopicDescription_error) \
        X(rd_kafka_TopicDescription_is_internal) \
        X(rd_kafka_TopicDescription_name) \
        X(rd_kafka_TopicDescription_partitions) \
        X(rd_kafka_TopicDescription_topic_id) \
        X(rd_kafka_TopicPartitionInfo_isr) \
        X(rd_kafka_TopicPartitionInfo_leader) \
        X(rd_kafka_TopicPartitionInfo_partition) \
        X(rd_kafka_TopicPartitionInfo_replicas) \
        X(rd_kafka_UserScramCredentialAlteration_destroy) \
        X(rd_kafka_UserScramCredentialDeletion_new) \
        X(rd_kafka_UserScramCredentialUpsertion_new) \
        X(rd_kafka_UserScramCredentialsDescription_error) \
        X(rd_kafka_UserScramCredentialsDescription_scramcredentialinfo) \
        X(rd_kafka_UserScramCredentialsDescription_scramcredentialinfo_count) \
        X(rd_kafka_UserScramCredentialsDescription_user) \
        X(rd_kafka_Uuid_base64str) \
        X(rd_kafka_Uuid_least_significant_bits) \
        X(rd_kafka_Uuid_most_significant_bits) \
        X(rd_kafka_consumer_group_type_name) \
        X(rd_kafka_event_AlterUserScramCredentials_result) \
        X(rd_kafka_event_DescribeCluster_result) \
        X(rd_kafka_event_DescribeTopics_result) \
        X(rd_kafka_event_DescribeUserScramCredentials_result) \
        X(rd_kafka_event_ElectLeaders_result) \
        X(rd_kafka_event_IncrementalAlterConfigs_result) \
        X(rd_kafka_event_ListOffsets_result) \
        X(rd_kafka_topic_partition_get_leader_epoch) \
        X(rd_kafka_topic_partition_result_error) \
        X(rd_kafka_topic_partition_result_partition)
NEWER_FNS(WEAK_)

/* kafkars extensions: absent from librdkafka; an op using one reports
 * "unsupported: <fn>" (exit 3) when the loaded library lacks it. */
#define EXT_FNS(X) \
        X(kafkars_DescribeLogDirs) \
        X(kafkars_event_DescribeLogDirs_result) \
        X(kafkars_DescribeLogDirs_result_brokers) \
        X(kafkars_BrokerLogDirs_broker_id) \
        X(kafkars_BrokerLogDirs_error) \
        X(kafkars_BrokerLogDirs_log_dirs) \
        X(kafkars_LogDir_path) \
        X(kafkars_LogDir_error) \
        X(kafkars_LogDir_total_bytes) \
        X(kafkars_LogDir_usable_bytes) \
        X(kafkars_LogDir_replicas) \
        X(kafkars_ReplicaInfo_partition) \
        X(kafkars_ReplicaInfo_size) \
        X(kafkars_ReplicaInfo_offset_lag) \
        X(kafkars_ReplicaInfo_is_future) \
        X(kafkars_ListPartitionReassignments) \
        X(kafkars_event_ListPartitionReassignments_result) \
        X(kafkars_ListPartitionReassignments_result_reassignments) \
        X(kafkars_OngoingReassignment_partition) \
        X(kafkars_OngoingReassignment_replicas) \
        X(kafkars_OngoingReassignment_adding_replicas) \
        X(kafkars_OngoingReassignment_removing_replicas) \
        X(kafkars_PartitionReassignment_new) \
        X(kafkars_PartitionReassignment_destroy) \
        X(kafkars_AlterPartitionReassignments) \
        X(kafkars_event_AlterPartitionReassignments_result) \
        X(kafkars_AlterPartitionReassignments_result_partitions) \
        X(kafkars_ReplicaLogDir_new) \
        X(kafkars_ReplicaLogDir_destroy) \
        X(kafkars_AlterReplicaLogDirs) \
        X(kafkars_event_AlterReplicaLogDirs_result) \
        X(kafkars_AlterReplicaLogDirs_result_replicas) \
        X(kafkars_ReplicaLogDirResult_replica) \
        X(kafkars_ReplicaLogDirResult_error) \
        X(kafkars_ReplicaLogDir_topic) \
        X(kafkars_ReplicaLogDir_partition) \
        X(kafkars_ReplicaLogDir_broker_id) \
        X(kafkars_ReplicaLogDir_path) \
        X(kafkars_DescribeMetadataQuorum) \
        X(kafkars_event_DescribeMetadataQuorum_result) \
        X(kafkars_DescribeMetadataQuorum_result_quorum_info) \
        X(kafkars_QuorumInfo_leader_id) \
        X(kafkars_QuorumInfo_leader_epoch) \
        X(kafkars_QuorumInfo_high_watermark) \
        X(kafkars_QuorumInfo_voters) \
        X(kafkars_QuorumInfo_observers) \
        X(kafkars_QuorumInfo_nodes) \
        X(kafkars_QuorumInfo_node_listener) \
        X(kafkars_ReplicaState_replica_id) \
        X(kafkars_ReplicaState_directory_id) \
        X(kafkars_ReplicaState_log_end_offset) \
        X(kafkars_ReplicaState_last_fetch_timestamp) \
        X(kafkars_ReplicaState_last_caught_up_timestamp) \
        X(kafkars_DescribeFeatures) \
        X(kafkars_event_DescribeFeatures_result) \
        X(kafkars_DescribeFeatures_result_features) \
        X(kafkars_DescribeFeatures_result_finalized_epoch) \
        X(kafkars_Feature_name) \
        X(kafkars_Feature_supported_min) \
        X(kafkars_Feature_supported_max) \
        X(kafkars_Feature_finalized_min) \
        X(kafkars_Feature_finalized_max) \
        X(kafkars_FeatureUpdate_new) \
        X(kafkars_FeatureUpdate_destroy) \
        X(kafkars_UpdateFeatures) \
        X(kafkars_event_UpdateFeatures_result) \
        X(kafkars_UpdateFeatures_result_features) \
        X(kafkars_FeatureUpdateResult_name) \
        X(kafkars_FeatureUpdateResult_error) \
        X(kafkars_ListConfigResources) \
        X(kafkars_event_ListConfigResources_result) \
        X(kafkars_ListConfigResources_result_resources) \
        X(kafkars_ConfigResourceListing_name) \
        X(kafkars_ConfigResourceListing_type) \
        X(kafkars_RemoveGroupMembers_new) \
        X(kafkars_RemoveGroupMembers_add) \
        X(kafkars_RemoveGroupMembers_destroy) \
        X(kafkars_RemoveGroupMembers) \
        X(kafkars_event_RemoveGroupMembers_result) \
        X(kafkars_RemoveGroupMembers_result_members) \
        X(kafkars_MemberRemoval_member_id) \
        X(kafkars_MemberRemoval_group_instance_id) \
        X(kafkars_MemberRemoval_error) \
        X(kafkars_TransactionState_name) \
        X(kafkars_AdminOptions_set_match_transaction_states) \
        X(kafkars_AdminOptions_set_match_producer_ids) \
        X(kafkars_AdminOptions_set_min_transaction_duration) \
        X(kafkars_AdminOptions_set_transactional_id_pattern) \
        X(kafkars_ListTransactions) \
        X(kafkars_event_ListTransactions_result) \
        X(kafkars_ListTransactions_result_transactions) \
        X(kafkars_ListTransactions_result_errors) \
        X(kafkars_TransactionListing_transactional_id) \
        X(kafkars_TransactionListing_producer_id) \
        X(kafkars_TransactionListing_state) \
        X(kafkars_TransactionListing_broker_id) \
        X(kafkars_DescribeTransactions) \
        X(kafkars_event_DescribeTransactions_result) \
        X(kafkars_DescribeTransactions_result_descriptions) \
        X(kafkars_TransactionDescription_transactional_id) \
        X(kafkars_TransactionDescription_error) \
        X(kafkars_TransactionDescription_coordinator) \
        X(kafkars_TransactionDescription_state) \
        X(kafkars_TransactionDescription_producer_id) \
        X(kafkars_TransactionDescription_producer_epoch) \
        X(kafkars_TransactionDescription_timeout_ms) \
        X(kafkars_TransactionDescription_start_time_ms) \
        X(kafkars_TransactionDescription_partitions) \
        X(kafkars_DescribeProducers) \
        X(kafkars_event_DescribeProducers_result) \
        X(kafkars_DescribeProducers_result_partitions) \
        X(kafkars_PartitionProducers_partition) \
        X(kafkars_PartitionProducers_error) \
        X(kafkars_PartitionProducers_producers) \
        X(kafkars_ProducerState_producer_id) \
        X(kafkars_ProducerState_producer_epoch) \
        X(kafkars_ProducerState_last_sequence) \
        X(kafkars_ProducerState_last_timestamp) \
        X(kafkars_ProducerState_coordinator_epoch) \
        X(kafkars_ProducerState_current_txn_start_offset) \
        X(kafkars_AbortTransactionSpec_new) \
        X(kafkars_AbortTransactionSpec_destroy) \
        X(kafkars_AbortTransaction) \
        X(kafkars_event_AbortTransaction_result)
EXT_FNS(WEAK_)

#define EXIT_SETUP 1
#define EXIT_NO_RESULT 2
#define EXIT_UNSUPPORTED 3
#define EXIT_BUILD 4
#define EXIT_USAGE 64

static int g_sort;

/* ------------------------------------------------------------------------ */
/* Cleanup stack: everything allocated is pushed here and destroyed in
 * reverse order on every exit path (the tool runs under valgrind). */

typedef void (*dtor_fn)(void *);
static struct {
        void *ptr;
        dtor_fn fn;
} *g_cleanup;
static size_t g_cleanup_cnt, g_cleanup_cap;

static void *push(void *ptr, dtor_fn fn) {
        if (!ptr)
                return NULL;
        if (g_cleanup_cnt == g_cleanup_cap) {
                g_cleanup_cap = g_cleanup_cap ? g_cleanup_cap * 2 : 64;
                g_cleanup = realloc(g_cleanup, g_cleanup_cap * sizeof(*g_cleanup));
                if (!g_cleanup)
                        abort();
        }
        g_cleanup[g_cleanup_cnt].ptr = ptr;
        g_cleanup[g_cleanup_cnt].fn  = fn;
        g_cleanup_cnt++;
        return ptr;
}

/* Forgets one pushed pointer without destroying it. */
static void forget(void *ptr) {
        size_t i;
        for (i = g_cleanup_cnt; i-- > 0;) {
                if (g_cleanup[i].ptr == ptr) {
                        memmove(&g_cleanup[i], &g_cleanup[i + 1],
                                (g_cleanup_cnt - i - 1) * sizeof(*g_cleanup));
                        g_cleanup_cnt--;
                        return;
                }
        }
}

static void cleanup_all(void) {
        while (g_cleanup_cnt > 0) {
                g_cleanup_cnt--;
                g_cleanup[g_cleanup_cnt].fn(g_cleanup[g_cleanup_cnt].ptr);
        }
        free(g_cleanup);
        g_cleanup     = NULL;
        g_cleanup_cap = 0;
}

static void __attribute__((noreturn)) finish(int code) {
        fflush(stdout);
        cleanup_all();
        fflush(stdout);
        fflush(stderr);
        exit(code);
}

#define DTOR(T, fn)                                                            \
        static void dtor_##fn(void *p) {                                       \
                fn((T *)p);                                                    \
        }
DTOR(void, free)
DTOR(rd_kafka_t, rd_kafka_destroy)
DTOR(rd_kafka_conf_t, rd_kafka_conf_destroy)
DTOR(rd_kafka_queue_t, rd_kafka_queue_destroy)
DTOR(rd_kafka_event_t, rd_kafka_event_destroy)
DTOR(rd_kafka_AdminOptions_t, rd_kafka_AdminOptions_destroy)
DTOR(rd_kafka_topic_partition_list_t, rd_kafka_topic_partition_list_destroy)
DTOR(rd_kafka_NewTopic_t, rd_kafka_NewTopic_destroy)
DTOR(rd_kafka_DeleteTopic_t, rd_kafka_DeleteTopic_destroy)
DTOR(rd_kafka_NewPartitions_t, rd_kafka_NewPartitions_destroy)
DTOR(rd_kafka_ConfigResource_t, rd_kafka_ConfigResource_destroy)
DTOR(rd_kafka_DeleteRecords_t, rd_kafka_DeleteRecords_destroy)
DTOR(rd_kafka_TopicCollection_t, rd_kafka_TopicCollection_destroy)
DTOR(rd_kafka_ElectLeaders_t, rd_kafka_ElectLeaders_destroy)
DTOR(rd_kafka_AclBinding_t, rd_kafka_AclBinding_destroy)
DTOR(rd_kafka_DeleteGroup_t, rd_kafka_DeleteGroup_destroy)
DTOR(rd_kafka_ListConsumerGroupOffsets_t, rd_kafka_ListConsumerGroupOffsets_destroy)
DTOR(rd_kafka_AlterConsumerGroupOffsets_t,
     rd_kafka_AlterConsumerGroupOffsets_destroy)
DTOR(rd_kafka_DeleteConsumerGroupOffsets_t,
     rd_kafka_DeleteConsumerGroupOffsets_destroy)
DTOR(rd_kafka_UserScramCredentialAlteration_t,
     rd_kafka_UserScramCredentialAlteration_destroy)

static void *xcalloc(size_t n, size_t sz) {
        void *p = calloc(n ? n : 1, sz);
        if (!p)
                abort();
        return push(p, dtor_free);
}

static char *xstrdup(const char *s) {
        char *p = strdup(s);
        if (!p)
                abort();
        return push(p, dtor_free);
}

/* ------------------------------------------------------------------------ */
/* Output buffers. Each array element is formatted into its own block so that
 * -s can sort the blocks. */

typedef struct {
        char *s;
        size_t len, cap;
} sb_t;

static void sb_vprintf(sb_t *b, const char *fmt, va_list ap) {
        va_list ap2;
        int n;
        va_copy(ap2, ap);
        n = vsnprintf(NULL, 0, fmt, ap2);
        va_end(ap2);
        if (n < 0)
                abort();
        if (b->len + (size_t)n + 1 > b->cap) {
                size_t cap = b->cap ? b->cap : 256;
                while (cap < b->len + (size_t)n + 1)
                        cap *= 2;
                b->s = realloc(b->s, cap);
                if (!b->s)
                        abort();
                b->cap = cap;
        }
        vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
        b->len += (size_t)n;
}

static void __attribute__((format(printf, 2, 3)))
sb_printf(sb_t *b, const char *fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        sb_vprintf(b, fmt, ap);
        va_end(ap);
}

/* Indented line start. */
static void __attribute__((format(printf, 3, 4)))
sb_line(sb_t *b, int ind, const char *fmt, ...) {
        va_list ap;
        sb_printf(b, "%*s", ind * 2, "");
        va_start(ap, fmt);
        sb_vprintf(b, fmt, ap);
        va_end(ap);
}

static void sb_free(sb_t *b) {
        free(b->s);
        b->s   = NULL;
        b->len = b->cap = 0;
}

typedef struct {
        sb_t *v;
        size_t n;
} blocks_t;

static void blocks_init(blocks_t *bl, size_t n) {
        bl->n = n;
        bl->v = calloc(n ? n : 1, sizeof(*bl->v));
        if (!bl->v)
                abort();
}

static int cmp_sb(const void *a, const void *b) {
        const sb_t *x = a, *y = b;
        return strcmp(x->s ? x->s : "", y->s ? y->s : "");
}

/* Appends the blocks (sorted with -s) to out and frees them. */
static void blocks_flush(blocks_t *bl, sb_t *out) {
        size_t i;
        if (g_sort && bl->n > 1)
                qsort(bl->v, bl->n, sizeof(*bl->v), cmp_sb);
        for (i = 0; i < bl->n; i++) {
                if (bl->v[i].s)
                        sb_printf(out, "%s", bl->v[i].s);
                sb_free(&bl->v[i]);
        }
        free(bl->v);
        bl->v = NULL;
        bl->n = 0;
}

static const char *S(const char *s) {
        return s ? s : "(null)";
}

#include "admin_cli_print.h"

/* ------------------------------------------------------------------------ */
/* Argument parsing helpers */

static const char *g_op_name = "";

static void __attribute__((noreturn, format(printf, 1, 2)))
usage_error(const char *fmt, ...) {
        va_list ap;
        printf("usage error: ");
        va_start(ap, fmt);
        vprintf(fmt, ap);
        va_end(ap);
        printf("\n");
        fprintf(stderr,
                "usage: admin_cli [-b BOOTSTRAP] [-X prop=val]... [-o opt=val]... "
                "[-t WAIT_MS] [-s] OP [ARGS...]\n"
                "  (see the comment at the top of tests/admin/admin_cli.c)\n");
        finish(EXIT_USAGE);
}

/* Splits off the next field at an unescaped `sep`, in place. Escapes are
 * kept (see unescape()); returns NULL when *pp is NULL. */
static char *next_field(char **pp, char sep) {
        char *s = *pp, *r;
        if (!s)
                return NULL;
        for (r = s; *r; r++) {
                if (*r == '\\' && r[1]) {
                        r++;
                        continue;
                }
                if (*r == sep) {
                        *r  = '\0';
                        *pp = r + 1;
                        return s;
                }
        }
        *pp = NULL;
        return s;
}

/* Whether the field starting at p (up to an unescaped sep) contains ch. */
static int field_has(const char *p, char sep, char ch) {
        for (; *p && *p != sep; p++) {
                if (*p == '\\' && p[1]) {
                        p++;
                        continue;
                }
                if (*p == ch)
                        return 1;
        }
        return 0;
}

/* Removes backslash escapes, in place. */
static char *unescape(char *s) {
        char *r, *w;
        if (!s)
                return NULL;
        for (r = w = s; *r; r++) {
                if (*r == '\\' && r[1])
                        r++;
                *w++ = *r;
        }
        *w = '\0';
        return s;
}

static int parse_i64(const char *s, int64_t *out) {
        char *end;
        long long v;
        if (!s || !*s)
                return -1;
        errno = 0;
        v     = strtoll(s, &end, 0);
        if (errno || *end)
                return -1;
        *out = (int64_t)v;
        return 0;
}

static int32_t need_i32(const char *s, const char *what) {
        int64_t v;
        if (parse_i64(s, &v) || v < INT32_MIN || v > INT32_MAX)
                usage_error("%s: bad %s '%s'", g_op_name, what, S(s));
        return (int32_t)v;
}

static int64_t need_i64(const char *s, const char *what) {
        int64_t v;
        if (parse_i64(s, &v))
                usage_error("%s: bad %s '%s'", g_op_name, what, S(s));
        return v;
}

/* Case-insensitive name from `names` (index = value), or an integer. */
static int parse_enum(const char *s, const char *const *names, int cnt, int *out) {
        int i;
        int64_t v;
        if (!s)
                return -1;
        for (i = 0; i < cnt; i++) {
                if (names[i] && !strcasecmp(s, names[i])) {
                        *out = i;
                        return 0;
                }
        }
        if (!parse_i64(s, &v) && v >= INT32_MIN && v <= INT32_MAX) {
                *out = (int)v;
                return 0;
        }
        return -1;
}

#define NELEMS(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const char *const restype_names[] = {"unknown", "any",    "topic",
                                            "group",   "broker", "transactional_id",
                                            NULL,      NULL,     "broker_logger"};
static const char *const pattern_names[] = {"unknown", "any", "match", "literal",
                                            "prefixed"};
static const char *const aclop_names[]   = {
    "unknown", "any",      "all",      "read",           "write",
    "create",  "delete",   "alter",    "describe",       "cluster_action",
    "describe_configs",    "alter_configs", "idempotent_write"};
static const char *const perm_names[]       = {"unknown", "any", "deny", "allow"};
static const char *const alterop_names[]    = {"set", "delete", "append", "subtract"};
static const char *const scram_names[]      = {"unknown", "sha256", "sha512"};
static const char *const group_state_names[] = {"Unknown", "PreparingRebalance",
                                                "CompletingRebalance", "Stable",
                                                "Dead",    "Empty"};
static const char *const group_type_names[] = {"Unknown", "Consumer", "Classic"};
static const char *const election_names[]   = {"preferred", "unclean"};
static const char *const isolation_names[]  = {"read_uncommitted", "read_committed"};

static int need_enum(const char *s, const char *const *names, int cnt, const char *what) {
        int v;
        if (parse_enum(s, names, cnt, &v))
                usage_error("%s: bad %s '%s'", g_op_name, what, S(s));
        return v;
}

/* "-" means NULL. */
static const char *nullable(char *s) {
        if (s && !strcmp(s, "-"))
                return NULL;
        return unescape(s);
}

/* TOPIC:PART into a list; returns the element. `rest` gets what follows. */
static rd_kafka_topic_partition_t *add_tp(rd_kafka_topic_partition_list_t *l,
                                          const char *arg, char **rest) {
        char *s     = xstrdup(arg);
        char *p     = s;
        char *topic = next_field(&p, ':');
        char *part  = next_field(&p, ':');
        if (!part)
                usage_error("%s: expected TOPIC:PART in '%s'", g_op_name, arg);
        if (rest)
                *rest = p;
        else if (p)
                usage_error("%s: trailing fields in '%s'", g_op_name, arg);
        return rd_kafka_topic_partition_list_add(l, unescape(topic),
                                                 need_i32(unescape(part), "partition"));
}

static rd_kafka_topic_partition_list_t *new_tplist(int size) {
        return push(rd_kafka_topic_partition_list_new(size),
                    dtor_rd_kafka_topic_partition_list_destroy);
}

/* "1,2,3" into a broker id array (xcalloc'd). */
static int32_t *parse_brokers(char *s, size_t *cntp) {
        size_t n = 1, i = 0;
        char *p, *f;
        int32_t *ids;
        for (p = s; *p; p++)
                if (*p == ',')
                        n++;
        ids = xcalloc(n, sizeof(*ids));
        p   = s;
        if (!*s) {
                *cntp = 0;
                return ids;
        }
        while ((f = next_field(&p, ',')))
                ids[i++] = need_i32(unescape(f), "broker id");
        *cntp = i;
        return ids;
}

static void build_msg(const char *fn, const char *arg, rd_kafka_resp_err_t err,
                      const char *errstr) {
        printf("build: %s %s: %s: %s\n", fn, S(arg), S(rd_kafka_err2name(err)), S(errstr));
}

static void build_error(const char *fn, const char *arg, rd_kafka_error_t *e) {
        printf("build: %s %s: %s: %s\n", fn, S(arg), S(rd_kafka_error_name(e)),
               S(rd_kafka_error_string(e)));
        rd_kafka_error_destroy(e);
}

static void __attribute__((noreturn))
build_fail(const char *fn, const char *arg, const char *errstr) {
        printf("build: %s %s: returned NULL%s%s\n", fn, S(arg), errstr ? ": " : "",
               errstr ? errstr : "");
        finish(EXIT_BUILD);
}

/* ------------------------------------------------------------------------ */
/* Context */

static rd_kafka_t *g_rk;
static rd_kafka_queue_t *g_q;
static rd_kafka_AdminOptions_t *g_opts;

#define ERRSTR_SIZE 512

#include "admin_cli_ops.h"
static void option_error(const char *name, rd_kafka_error_t *e);
#include "admin_cli_ext.h"

/* ------------------------------------------------------------------------ */
/* Op table */

typedef const rd_kafka_event_t *(*getter_fn)(rd_kafka_event_t *);

#define GETTER(Name)                                                           \
        static const rd_kafka_event_t *get_##Name(rd_kafka_event_t *ev) {      \
                return rd_kafka_event_##Name##_result(ev);                     \
        }
GETTER(CreateTopics)
GETTER(DeleteTopics)
GETTER(CreatePartitions)
GETTER(DescribeConfigs)
GETTER(AlterConfigs)
GETTER(IncrementalAlterConfigs)
GETTER(DeleteRecords)
GETTER(DescribeTopics)
GETTER(DescribeCluster)
GETTER(ListOffsets)
GETTER(ElectLeaders)
GETTER(CreateAcls)
GETTER(DescribeAcls)
GETTER(DeleteAcls)
GETTER(ListConsumerGroups)
GETTER(DescribeConsumerGroups)
GETTER(DeleteGroups)
GETTER(ListConsumerGroupOffsets)
GETTER(AlterConsumerGroupOffsets)
GETTER(DeleteConsumerGroupOffsets)
GETTER(DescribeUserScramCredentials)
GETTER(AlterUserScramCredentials)

#define EXT_GETTER(Name)                                                       \
        static const rd_kafka_event_t *get_##Name(rd_kafka_event_t *ev) {      \
                return kafkars_event_##Name##_result(ev);                      \
        }
EXT_GETTER(DescribeLogDirs)
EXT_GETTER(ListPartitionReassignments)
EXT_GETTER(AlterPartitionReassignments)
EXT_GETTER(AlterReplicaLogDirs)
EXT_GETTER(DescribeMetadataQuorum)
EXT_GETTER(DescribeFeatures)
EXT_GETTER(UpdateFeatures)
EXT_GETTER(ListConfigResources)
EXT_GETTER(RemoveGroupMembers)
EXT_GETTER(ListTransactions)
EXT_GETTER(DescribeTransactions)
EXT_GETTER(DescribeProducers)
EXT_GETTER(AbortTransaction)

static const struct op {
        const char *name;
        rd_kafka_admin_op_t admin_op;
        void (*run)(int argc, char **argv);
        getter_fn get;
        void (*print)(sb_t *b, const rd_kafka_event_t *res);
        int extension; /* kafkars extension (absent from librdkafka) */
        /* Genuine 2.16's accessors for this result assert or dereference NULL
         * when the event carries an error (its result list is then empty):
         * rd_kafka_DeleteRecords_result_offsets, ListConsumerGroups_result_*,
         * DescribeCluster_result_*, ElectLeaders_result_partitions. */
        int no_accessors_on_error;
} ops[] = {
#define OP(n, a, R) {#n, RD_KAFKA_ADMIN_OP_##a, op_##n, get_##R, pr_##R, 0, 0}
#define OP_E(n, a, R) {#n, RD_KAFKA_ADMIN_OP_##a, op_##n, get_##R, pr_##R, 0, 1}
    OP(create_topics, CREATETOPICS, CreateTopics),
    OP(delete_topics, DELETETOPICS, DeleteTopics),
    OP(create_partitions, CREATEPARTITIONS, CreatePartitions),
    OP(describe_configs, DESCRIBECONFIGS, DescribeConfigs),
    OP(alter_configs, ALTERCONFIGS, AlterConfigs),
    OP(incremental_alter_configs, INCREMENTALALTERCONFIGS, IncrementalAlterConfigs),
    OP_E(delete_records, DELETERECORDS, DeleteRecords),
    OP(describe_topics, DESCRIBETOPICS, DescribeTopics),
    OP_E(describe_cluster, DESCRIBECLUSTER, DescribeCluster),
    OP(list_offsets, LISTOFFSETS, ListOffsets),
    OP_E(elect_leaders, ELECTLEADERS, ElectLeaders),
    OP(create_acls, CREATEACLS, CreateAcls),
    OP(describe_acls, DESCRIBEACLS, DescribeAcls),
    OP(delete_acls, DELETEACLS, DeleteAcls),
    OP_E(list_consumer_groups, LISTCONSUMERGROUPS, ListConsumerGroups),
    OP(describe_consumer_groups, DESCRIBECONSUMERGROUPS, DescribeConsumerGroups),
    OP(delete_groups, DELETEGROUPS, DeleteGroups),
    OP(list_consumer_group_offsets, LISTCONSUMERGROUPOFFSETS, ListConsumerGroupOffsets),
    OP(alter_consumer_group_offsets, ALTERCONSUMERGROUPOFFSETS, AlterConsumerGroupOffsets),
    OP(delete_consumer_group_offsets, DELETECONSUMERGROUPOFFSETS,
       DeleteConsumerGroupOffsets),
    OP(describe_user_scram_credentials, DESCRIBEUSERSCRAMCREDENTIALS,
       DescribeUserScramCredentials),
    OP(alter_user_scram_credentials, ALTERUSERSCRAMCREDENTIALS, AlterUserScramCredentials),
#undef OP
#undef OP_E
    {"describe_log_dirs", KAFKARS_ADMIN_OP_DESCRIBELOGDIRS, op_describe_log_dirs,
     get_DescribeLogDirs, pr_DescribeLogDirs, 1, 0},
    {"list_partition_reassignments", KAFKARS_ADMIN_OP_LISTPARTITIONREASSIGNMENTS,
     op_list_partition_reassignments, get_ListPartitionReassignments,
     pr_ListPartitionReassignments, 1, 0},
    {"alter_partition_reassignments", KAFKARS_ADMIN_OP_ALTERPARTITIONREASSIGNMENTS,
     op_alter_partition_reassignments, get_AlterPartitionReassignments,
     pr_AlterPartitionReassignments, 1, 0},
#define EXT_OP(n, A, R) {#n, KAFKARS_ADMIN_OP_##A, op_##n, get_##R, pr_##R, 1, 0}
    EXT_OP(alter_replica_log_dirs, ALTERREPLICALOGDIRS, AlterReplicaLogDirs),
    EXT_OP(describe_metadata_quorum, DESCRIBEMETADATAQUORUM, DescribeMetadataQuorum),
    EXT_OP(describe_features, DESCRIBEFEATURES, DescribeFeatures),
    EXT_OP(update_features, UPDATEFEATURES, UpdateFeatures),
    EXT_OP(list_config_resources, LISTCONFIGRESOURCES, ListConfigResources),
    EXT_OP(remove_group_members, REMOVEGROUPMEMBERS, RemoveGroupMembers),
    EXT_OP(list_transactions, LISTTRANSACTIONS, ListTransactions),
    EXT_OP(describe_transactions, DESCRIBETRANSACTIONS, DescribeTransactions),
    EXT_OP(describe_producers, DESCRIBEPRODUCERS, DescribeProducers),
    EXT_OP(abort_transaction, ABORTTRANSACTION, AbortTransaction),
#undef EXT_OP
};

/* ------------------------------------------------------------------------ */
/* AdminOptions */

static void option_err(const char *name, rd_kafka_resp_err_t err, const char *errstr) {
        if (err)
                printf("option %s: %s: %s\n", name, S(rd_kafka_err2name(err)), S(errstr));
}

static void option_error(const char *name, rd_kafka_error_t *e) {
        if (!e)
                return;
        printf("option %s: %s: %s\n", name, S(rd_kafka_error_name(e)),
               S(rd_kafka_error_string(e)));
        rd_kafka_error_destroy(e);
}

static void apply_option(const char *arg) {
        char *s = xstrdup(arg), *p = s;
        char *name = next_field(&p, '=');
        char *val  = p;
        char errstr[ERRSTR_SIZE] = "";
        if (!val)
                usage_error("-o expects opt=val, got '%s'", arg);
        if (!strcmp(name, "request_timeout")) {
                option_err(name,
                           rd_kafka_AdminOptions_set_request_timeout(
                               g_opts, need_i32(val, "request_timeout"), errstr, sizeof(errstr)),
                           errstr);
        } else if (!strcmp(name, "operation_timeout")) {
                option_err(name,
                           rd_kafka_AdminOptions_set_operation_timeout(
                               g_opts, need_i32(val, "operation_timeout"), errstr,
                               sizeof(errstr)),
                           errstr);
        } else if (!strcmp(name, "validate_only")) {
                option_err(name,
                           rd_kafka_AdminOptions_set_validate_only(
                               g_opts, need_i32(val, "validate_only"), errstr, sizeof(errstr)),
                           errstr);
        } else if (!strcmp(name, "broker")) {
                option_err(name,
                           rd_kafka_AdminOptions_set_broker(g_opts, need_i32(val, "broker"),
                                                            errstr, sizeof(errstr)),
                           errstr);
        } else if (!strcmp(name, "require_stable_offsets")) {
                option_error(name, rd_kafka_AdminOptions_set_require_stable_offsets(
                                       g_opts, need_i32(val, "require_stable_offsets")));
        } else if (!strcmp(name, "include_authorized_operations")) {
                option_error(name, rd_kafka_AdminOptions_set_include_authorized_operations(
                                       g_opts, need_i32(val, "include_authorized_operations")));
        } else if (!strcmp(name, "isolation_level")) {
                int v = need_enum(val, isolation_names, NELEMS(isolation_names),
                                  "isolation_level");
                option_error(name, rd_kafka_AdminOptions_set_isolation_level(
                                       g_opts, (rd_kafka_IsolationLevel_t)v));
        } else if (!strcmp(name, "match_consumer_group_states") ||
                   !strcmp(name, "match_consumer_group_types")) {
                int states = !strcmp(name, "match_consumer_group_states");
                size_t n = 1, cnt = 0;
                char *q, *f;
                int *vals;
                for (q = val; *q; q++)
                        if (*q == ',')
                                n++;
                vals = xcalloc(n, sizeof(*vals));
                q    = *val ? val : NULL;
                while ((f = next_field(&q, ',')))
                        vals[cnt++] =
                            states ? need_enum(f, group_state_names, NELEMS(group_state_names),
                                               "consumer group state")
                                   : need_enum(f, group_type_names, NELEMS(group_type_names),
                                               "consumer group type");
                if (states) {
                        rd_kafka_consumer_group_state_t *arr = xcalloc(n, sizeof(*arr));
                        size_t i;
                        for (i = 0; i < cnt; i++)
                                arr[i] = (rd_kafka_consumer_group_state_t)vals[i];
                        option_error(name, rd_kafka_AdminOptions_set_match_consumer_group_states(
                                               g_opts, arr, cnt));
                } else {
                        rd_kafka_consumer_group_type_t *arr = xcalloc(n, sizeof(*arr));
                        size_t i;
                        for (i = 0; i < cnt; i++)
                                arr[i] = (rd_kafka_consumer_group_type_t)vals[i];
                        option_error(name, rd_kafka_AdminOptions_set_match_consumer_group_types(
                                               g_opts, arr, cnt));
                }
        } else if (!ext_apply_option(name, val)) {
                usage_error("unknown -o option '%s'", name);
        }
}

/* ------------------------------------------------------------------------ */

static int check_symbols(void) {
        static const struct {
                const char *name;
                void (*fn)(void);
        } fns[] = {
#define SYM_(f) {#f, (void (*)(void))f},
            NEWER_FNS(SYM_)
#undef SYM_
        };
        size_t i;
        int missing = 0;
        for (i = 0; i < sizeof(fns) / sizeof(fns[0]); i++) {
                if (!fns[i].fn) {
                        fprintf(stderr, "admin_cli: the loaded librdkafka lacks %s\n",
                                fns[i].name);
                        missing++;
                }
        }
        return missing;
}

static int64_t now_ms(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Set so that genuine librdkafka enqueues client errors on the main queue
 * (without an error_cb it only logs them); we poll that queue with
 * rd_kafka_queue_poll(), so this callback itself is not expected to run. */
static void error_cb(rd_kafka_t *rk, int err, const char *reason, void *opaque) {
        fprintf(stderr, "error-cb err=%s reason=%s\n",
                S(rd_kafka_err2name((rd_kafka_resp_err_t)err)), S(reason));
}

static void other_event(const char *from, rd_kafka_event_t *ev) {
        rd_kafka_resp_err_t err = rd_kafka_event_error(ev);
        fprintf(stderr, "other-event %s", S(rd_kafka_event_name(ev)));
        if (err)
                fprintf(stderr, " (%s queue) err=%s errstr=%s", from, S(rd_kafka_err2name(err)),
                        S(rd_kafka_event_error_string(ev)));
        fprintf(stderr, "\n");
        rd_kafka_event_destroy(ev);
}

int main(int argc, char **argv) {
        const char *bootstrap = NULL;
        const char **xprops   = NULL, **oprops = NULL;
        int xcnt = 0, ocnt = 0, wait_ms = 30000, c, i;
        const struct op *op = NULL;
        rd_kafka_conf_t *conf;
        rd_kafka_queue_t *mainq;
        rd_kafka_event_t *ev = NULL;
        char errstr[ERRSTR_SIZE];
        int64_t deadline;

        setvbuf(stdout, NULL, _IOLBF, 0);
        xprops = xcalloc((size_t)argc, sizeof(*xprops));
        oprops = xcalloc((size_t)argc, sizeof(*oprops));

        while ((c = getopt(argc, argv, "+b:X:o:t:sh")) != -1) {
                switch (c) {
                case 'b':
                        bootstrap = optarg;
                        break;
                case 'X':
                        xprops[xcnt++] = optarg;
                        break;
                case 'o':
                        oprops[ocnt++] = optarg;
                        break;
                case 't':
                        g_op_name = "-t";
                        wait_ms   = need_i32(optarg, "wait ms");
                        g_op_name = "";
                        break;
                case 's':
                        g_sort = 1;
                        break;
                default:
                        usage_error("bad option");
                }
        }
        if (optind >= argc)
                usage_error("missing OP");
        for (i = 0; i < NELEMS(ops); i++)
                if (!strcmp(argv[optind], ops[i].name))
                        op = &ops[i];
        if (!op)
                usage_error("unknown OP '%s'", argv[optind]);
        g_op_name = op->name;

        if (check_symbols())
                finish(EXIT_SETUP);
        /* librdkafka has no kafkars extension (nor its KAFKARS_ADMIN_OP_*). */
        if (op->extension)
                ext_need((void (*)(void))kafkars_DescribeLogDirs, "kafkars_DescribeLogDirs");

        /* Client */
        conf = rd_kafka_conf_new();
        push(conf, dtor_rd_kafka_conf_destroy);
        rd_kafka_conf_set_error_cb(conf, error_cb);
        if (bootstrap &&
            rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap, errstr, sizeof(errstr))) {
                fprintf(stderr, "admin_cli: bootstrap.servers: %s\n", errstr);
                finish(EXIT_SETUP);
        }
        for (i = 0; i < xcnt; i++) {
                char *s = xstrdup(xprops[i]), *eq = strchr(s, '=');
                if (!eq)
                        usage_error("-X expects prop=val, got '%s'", xprops[i]);
                *eq = '\0';
                if (rd_kafka_conf_set(conf, s, eq + 1, errstr, sizeof(errstr)) !=
                    RD_KAFKA_CONF_OK) {
                        fprintf(stderr, "admin_cli: -X %s: %s\n", s, errstr);
                        finish(EXIT_SETUP);
                }
        }
        /* rd_kafka_new() owns conf on success; on failure it is still ours. */
        forget(conf);
        g_rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        if (!g_rk) {
                rd_kafka_conf_destroy(conf);
                fprintf(stderr, "admin_cli: rd_kafka_new: %s\n", errstr);
                finish(EXIT_SETUP);
        }
        push(g_rk, dtor_rd_kafka_destroy);
        mainq = push(rd_kafka_queue_get_main(g_rk), dtor_rd_kafka_queue_destroy);
        g_q   = push(rd_kafka_queue_new(g_rk), dtor_rd_kafka_queue_destroy);
        if (!mainq || !g_q) {
                fprintf(stderr, "admin_cli: no queue\n");
                finish(EXIT_SETUP);
        }

        /* AdminOptions */
        g_opts = rd_kafka_AdminOptions_new(g_rk, op->admin_op);
        if (!g_opts) {
                printf("build: rd_kafka_AdminOptions_new %d: returned NULL\n",
                       (int)op->admin_op);
                finish(EXIT_BUILD);
        }
        push(g_opts, dtor_rd_kafka_AdminOptions_destroy);
        for (i = 0; i < ocnt; i++)
                apply_option(oprops[i]);

        /* Build the request and call the API. */
        op->run(argc - optind - 1, argv + optind + 1);

        /* Wait for the result event on our queue; report anything else (the
         * main queue carries client errors) on stderr. */
        deadline = now_ms() + (wait_ms > 0 ? wait_ms : 0);
        for (;;) {
                int64_t left = deadline - now_ms();
                rd_kafka_event_t *e;
                e = rd_kafka_queue_poll(g_q, left <= 0 ? 0 : left > 100 ? 100 : (int)left);
                if (e) {
                        if (op->get(e)) {
                                ev = e;
                                break;
                        }
                        other_event("result", e);
                }
                while ((e = rd_kafka_queue_poll(mainq, 0)))
                        other_event("main", e);
                if (now_ms() >= deadline)
                        break;
        }
        {
                rd_kafka_event_t *e;
                while ((e = rd_kafka_queue_poll(mainq, 0)))
                        other_event("main", e);
        }
        if (!ev) {
                printf("no result\n");
                finish(EXIT_NO_RESULT);
        }
        push(ev, dtor_rd_kafka_event_destroy);

        {
                sb_t out = {0};
                rd_kafka_resp_err_t err = rd_kafka_event_error(ev);
                const char *es          = rd_kafka_event_error_string(ev);
                sb_printf(&out, "event %s err=%s errstr=%s\n", S(rd_kafka_event_name(ev)),
                          S(rd_kafka_err2name(err)), es ? es : "");
                if (err && op->no_accessors_on_error)
                        sb_printf(&out, "  (result accessors not called: event error)\n");
                else
                        op->print(&out, op->get(ev));
                fputs(out.s, stdout);
                sb_free(&out);
        }
        finish(0);
        return 0;
}
