/* Admin API tour: creates a topic, describes it, changes one of its configs and reads
 * them back, lists and describes the consumer groups, deletes the topic.
 * Written against librdkafka's rdkafka.h: runs unchanged on librdkafka (>= 2.10) and on
 * kafkars (link -lkafkars, or run through the librdkafka.so.1 compat link).
 *
 *   admin -b <bootstrap> [-t topic] [-p partitions] [-r replication] [-X key=value]...
 *
 * Each step waits (bounded) for its result event on the program's queue and prints what happened.
 * Without the topic (CreateTopics failed) the steps on it are skipped. Exit 0 when every
 * step succeeded (a topic that already exists counts as created), 1 when one failed, 2 on
 * a usage error.
 *
 * Needs functions newer than Debian's librdkafka 2.0.2 (rd_kafka_DescribeTopics,
 * rd_kafka_IncrementalAlterConfigs, rd_kafka_ConsumerGroupDescription_type, ...), so it does
 * not compile against /usr/include/librdkafka/rdkafka.h from librdkafka-dev 2.0.2.
 * Build it against the header of librdkafka >= 2.10, or kafkars' (include/, which provides
 * <librdkafka/rdkafka.h>):
 *
 *   cc -Iinclude -o admin examples/admin.c -lkafkars
 *   cc -Iinclude -o admin examples/admin.c -lrdkafka \
 *      -Wl,--unresolved-symbols=ignore-in-object-files
 *
 * The second form links with Debian's librdkafka.so.1 (2.0.2) and leaves the newer
 * functions to whichever librdkafka.so.1 is loaded at run time (genuine >= 2.10 or
 * kafkars' build/compat); that is how tests/c/run.sh builds it.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <librdkafka/rdkafka.h>

#define TIMEOUT_MS 10000 /* per step: request_timeout, and how long we wait for the result */

static int failures;

static void error_cb(rd_kafka_t *rk, int err, const char *reason, void *opaque) {
        (void)rk; (void)opaque;
        fprintf(stderr, "error_cb: %s: %s\n", rd_kafka_err2name(err), reason);
}

/* Options for one Admin call: a request timeout, and an operation timeout where it applies. */
static rd_kafka_AdminOptions_t *options(rd_kafka_t *rk, rd_kafka_admin_op_t op) {
        char errstr[512];
        rd_kafka_AdminOptions_t *o = rd_kafka_AdminOptions_new(rk, op);
        if (rd_kafka_AdminOptions_set_request_timeout(o, TIMEOUT_MS, errstr, sizeof(errstr)))
                fprintf(stderr, "set_request_timeout: %s\n", errstr);
        if ((op == RD_KAFKA_ADMIN_OP_CREATETOPICS || op == RD_KAFKA_ADMIN_OP_DELETETOPICS) &&
            rd_kafka_AdminOptions_set_operation_timeout(o, TIMEOUT_MS, errstr, sizeof(errstr)))
                fprintf(stderr, "set_operation_timeout: %s\n", errstr);
        return o;
}

/* Waits for the result event of type `type` on q; NULL (and a message) if none came or
 * the request as a whole failed. The caller destroys the event. */
static rd_kafka_event_t *wait_result(rd_kafka_queue_t *q, int type, const char *what) {
        for (int waited = 0; waited < TIMEOUT_MS + 5000; waited += 100) {
                rd_kafka_event_t *ev = rd_kafka_queue_poll(q, 100);
                if (!ev)
                        continue;
                if (rd_kafka_event_type(ev) != type) {
                        fprintf(stderr, "%s: unexpected event %s\n", what, rd_kafka_event_name(ev));
                        rd_kafka_event_destroy(ev);
                        continue;
                }
                if (rd_kafka_event_error(ev)) {
                        printf("%s failed: %s: %s\n", what, rd_kafka_err2name(rd_kafka_event_error(ev)),
                               rd_kafka_event_error_string(ev));
                        rd_kafka_event_destroy(ev);
                        failures++;
                        return NULL;
                }
                return ev;
        }
        printf("%s: no result within %d ms\n", what, TIMEOUT_MS + 5000);
        failures++;
        return NULL;
}

/* Prints "name: ok" or "name: ERR_NAME: message" for a per-item result; counts failures
 * except for `tolerated`. */
static void item(const char *prefix, const char *name, rd_kafka_resp_err_t err, const char *msg,
                 rd_kafka_resp_err_t tolerated) {
        if (!err) {
                printf("%s %s: ok\n", prefix, name);
                return;
        }
        printf("%s %s: %s: %s\n", prefix, name, rd_kafka_err2name(err), msg ? msg : rd_kafka_err2str(err));
        if (err != tolerated)
                failures++;
}

/* Returns 1 if the topic exists now (created, or there already). */
static int create_topic(rd_kafka_t *rk, rd_kafka_queue_t *q, const char *topic, int partitions,
                        int replication) {
        char errstr[512];
        rd_kafka_NewTopic_t *nt = rd_kafka_NewTopic_new(topic, partitions, replication, errstr, sizeof(errstr));
        if (!nt) {
                printf("NewTopic %s: %s\n", topic, errstr);
                failures++;
                return 0;
        }
        rd_kafka_AdminOptions_t *o = options(rk, RD_KAFKA_ADMIN_OP_CREATETOPICS);
        rd_kafka_CreateTopics(rk, &nt, 1, o, q);
        rd_kafka_AdminOptions_destroy(o);
        rd_kafka_NewTopic_destroy(nt);

        rd_kafka_event_t *ev = wait_result(q, RD_KAFKA_EVENT_CREATETOPICS_RESULT, "CreateTopics");
        if (!ev)
                return 0;
        size_t n;
        int exists = 0;
        const rd_kafka_topic_result_t **res =
            rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(ev), &n);
        for (size_t i = 0; i < n; i++) {
                rd_kafka_resp_err_t err = rd_kafka_topic_result_error(res[i]);
                item("CreateTopics", rd_kafka_topic_result_name(res[i]), err,
                     rd_kafka_topic_result_error_string(res[i]), RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS);
                exists = !err || err == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS;
        }
        rd_kafka_event_destroy(ev);
        return exists;
}

static void print_nodes(const char *label, const rd_kafka_Node_t **nodes, size_t n) {
        printf(" %s [", label);
        for (size_t i = 0; i < n; i++)
                printf("%s%d", i ? "," : "", rd_kafka_Node_id(nodes[i]));
        printf("]");
}

static void describe_topic(rd_kafka_t *rk, rd_kafka_queue_t *q, const char *topic) {
        const char *names[] = {topic};
        rd_kafka_TopicCollection_t *tc = rd_kafka_TopicCollection_of_topic_names(names, 1);
        rd_kafka_AdminOptions_t *o = options(rk, RD_KAFKA_ADMIN_OP_DESCRIBETOPICS);
        rd_kafka_DescribeTopics(rk, tc, o, q);
        rd_kafka_AdminOptions_destroy(o);
        rd_kafka_TopicCollection_destroy(tc);

        rd_kafka_event_t *ev = wait_result(q, RD_KAFKA_EVENT_DESCRIBETOPICS_RESULT, "DescribeTopics");
        if (!ev)
                return;
        size_t n;
        const rd_kafka_TopicDescription_t **tds =
            rd_kafka_DescribeTopics_result_topics(rd_kafka_event_DescribeTopics_result(ev), &n);
        for (size_t i = 0; i < n; i++) {
                const rd_kafka_error_t *err = rd_kafka_TopicDescription_error(tds[i]);
                if (err && rd_kafka_error_code(err)) {
                        item("DescribeTopics", rd_kafka_TopicDescription_name(tds[i]), rd_kafka_error_code(err),
                             rd_kafka_error_string(err), RD_KAFKA_RESP_ERR_NO_ERROR);
                        continue;
                }
                size_t np;
                const rd_kafka_TopicPartitionInfo_t **ps = rd_kafka_TopicDescription_partitions(tds[i], &np);
                printf("DescribeTopics %s: topic id %s, %s, %zu partitions\n", rd_kafka_TopicDescription_name(tds[i]),
                       rd_kafka_Uuid_base64str(rd_kafka_TopicDescription_topic_id(tds[i])),
                       rd_kafka_TopicDescription_is_internal(tds[i]) ? "internal" : "not internal", np);
                for (size_t p = 0; p < np; p++) {
                        const rd_kafka_Node_t *leader = rd_kafka_TopicPartitionInfo_leader(ps[p]);
                        size_t nr, ni;
                        const rd_kafka_Node_t **replicas = rd_kafka_TopicPartitionInfo_replicas(ps[p], &nr);
                        const rd_kafka_Node_t **isr = rd_kafka_TopicPartitionInfo_isr(ps[p], &ni);
                        printf("  partition %d: leader %d", rd_kafka_TopicPartitionInfo_partition(ps[p]),
                               leader ? rd_kafka_Node_id(leader) : -1);
                        print_nodes("replicas", replicas, nr);
                        print_nodes("isr", isr, ni);
                        printf("\n");
                }
        }
        rd_kafka_event_destroy(ev);
}

static void alter_config(rd_kafka_t *rk, rd_kafka_queue_t *q, const char *topic, const char *name,
                         const char *value) {
        rd_kafka_ConfigResource_t *res = rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, topic);
        rd_kafka_error_t *error =
            rd_kafka_ConfigResource_add_incremental_config(res, name, RD_KAFKA_ALTER_CONFIG_OP_TYPE_SET, value);
        if (error) {
                printf("add_incremental_config %s=%s: %s\n", name, value, rd_kafka_error_string(error));
                rd_kafka_error_destroy(error);
                rd_kafka_ConfigResource_destroy(res);
                failures++;
                return;
        }
        rd_kafka_AdminOptions_t *o = options(rk, RD_KAFKA_ADMIN_OP_INCREMENTALALTERCONFIGS);
        rd_kafka_IncrementalAlterConfigs(rk, &res, 1, o, q);
        rd_kafka_AdminOptions_destroy(o);
        rd_kafka_ConfigResource_destroy(res);

        rd_kafka_event_t *ev =
            wait_result(q, RD_KAFKA_EVENT_INCREMENTALALTERCONFIGS_RESULT, "IncrementalAlterConfigs");
        if (!ev)
                return;
        size_t n;
        const rd_kafka_ConfigResource_t **rs = rd_kafka_IncrementalAlterConfigs_result_resources(
            rd_kafka_event_IncrementalAlterConfigs_result(ev), &n);
        for (size_t i = 0; i < n; i++) {
                char label[256];
                snprintf(label, sizeof(label), "%s %s (set %s=%s)",
                         rd_kafka_ResourceType_name(rd_kafka_ConfigResource_type(rs[i])),
                         rd_kafka_ConfigResource_name(rs[i]), name, value);
                item("IncrementalAlterConfigs", label, rd_kafka_ConfigResource_error(rs[i]),
                     rd_kafka_ConfigResource_error_string(rs[i]), RD_KAFKA_RESP_ERR_NO_ERROR);
        }
        rd_kafka_event_destroy(ev);
}

static void describe_configs(rd_kafka_t *rk, rd_kafka_queue_t *q, const char *topic) {
        rd_kafka_ConfigResource_t *res = rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, topic);
        rd_kafka_AdminOptions_t *o = options(rk, RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS);
        rd_kafka_DescribeConfigs(rk, &res, 1, o, q);
        rd_kafka_AdminOptions_destroy(o);
        rd_kafka_ConfigResource_destroy(res);

        rd_kafka_event_t *ev = wait_result(q, RD_KAFKA_EVENT_DESCRIBECONFIGS_RESULT, "DescribeConfigs");
        if (!ev)
                return;
        size_t n;
        const rd_kafka_ConfigResource_t **rs =
            rd_kafka_DescribeConfigs_result_resources(rd_kafka_event_DescribeConfigs_result(ev), &n);
        for (size_t i = 0; i < n; i++) {
                const char *rname = rd_kafka_ConfigResource_name(rs[i]);
                if (rd_kafka_ConfigResource_error(rs[i])) {
                        item("DescribeConfigs", rname, rd_kafka_ConfigResource_error(rs[i]),
                             rd_kafka_ConfigResource_error_string(rs[i]), RD_KAFKA_RESP_ERR_NO_ERROR);
                        continue;
                }
                size_t nc;
                const rd_kafka_ConfigEntry_t **cs = rd_kafka_ConfigResource_configs(rs[i], &nc);
                printf("DescribeConfigs %s %s: %zu entries\n",
                       rd_kafka_ResourceType_name(rd_kafka_ConfigResource_type(rs[i])), rname, nc);
                for (size_t c = 0; c < nc; c++) {
                        const char *v = rd_kafka_ConfigEntry_value(cs[c]);
                        printf("  %s = %s (%s%s%s%s)\n", rd_kafka_ConfigEntry_name(cs[c]), v ? v : "(null)",
                               rd_kafka_ConfigSource_name(rd_kafka_ConfigEntry_source(cs[c])),
                               rd_kafka_ConfigEntry_is_default(cs[c]) ? ", default" : "",
                               rd_kafka_ConfigEntry_is_read_only(cs[c]) ? ", read-only" : "",
                               rd_kafka_ConfigEntry_is_sensitive(cs[c]) ? ", sensitive" : "");
                }
        }
        rd_kafka_event_destroy(ev);
}

/* Lists the consumer groups; their ids go to *ids (the caller frees them). */
static size_t list_groups(rd_kafka_t *rk, rd_kafka_queue_t *q, char ***ids) {
        *ids = NULL;
        rd_kafka_AdminOptions_t *o = options(rk, RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPS);
        rd_kafka_ListConsumerGroups(rk, o, q);
        rd_kafka_AdminOptions_destroy(o);

        rd_kafka_event_t *ev = wait_result(q, RD_KAFKA_EVENT_LISTCONSUMERGROUPS_RESULT, "ListConsumerGroups");
        if (!ev)
                return 0;
        const rd_kafka_ListConsumerGroups_result_t *r = rd_kafka_event_ListConsumerGroups_result(ev);
        size_t n, ne;
        const rd_kafka_ConsumerGroupListing_t **gs = rd_kafka_ListConsumerGroups_result_valid(r, &n);
        const rd_kafka_error_t **errs = rd_kafka_ListConsumerGroups_result_errors(r, &ne);
        printf("ListConsumerGroups: %zu groups, %zu errors\n", n, ne);
        *ids = calloc(n ? n : 1, sizeof(**ids));
        for (size_t i = 0; i < n; i++) {
                const char *id = rd_kafka_ConsumerGroupListing_group_id(gs[i]);
                printf("  %s: state %s, type %s%s\n", id,
                       rd_kafka_consumer_group_state_name(rd_kafka_ConsumerGroupListing_state(gs[i])),
                       rd_kafka_consumer_group_type_name(rd_kafka_ConsumerGroupListing_type(gs[i])),
                       rd_kafka_ConsumerGroupListing_is_simple_consumer_group(gs[i]) ? ", simple" : "");
                (*ids)[i] = strdup(id);
        }
        for (size_t i = 0; i < ne; i++) {
                printf("  error: %s: %s\n", rd_kafka_error_name(errs[i]), rd_kafka_error_string(errs[i]));
                failures++;
        }
        rd_kafka_event_destroy(ev);
        return n;
}

static void describe_groups(rd_kafka_t *rk, rd_kafka_queue_t *q, const char **ids, size_t n) {
        if (n == 0) {
                printf("DescribeConsumerGroups: no groups to describe\n");
                return;
        }
        rd_kafka_AdminOptions_t *o = options(rk, RD_KAFKA_ADMIN_OP_DESCRIBECONSUMERGROUPS);
        rd_kafka_DescribeConsumerGroups(rk, ids, n, o, q);
        rd_kafka_AdminOptions_destroy(o);

        rd_kafka_event_t *ev =
            wait_result(q, RD_KAFKA_EVENT_DESCRIBECONSUMERGROUPS_RESULT, "DescribeConsumerGroups");
        if (!ev)
                return;
        size_t ng;
        const rd_kafka_ConsumerGroupDescription_t **gs =
            rd_kafka_DescribeConsumerGroups_result_groups(rd_kafka_event_DescribeConsumerGroups_result(ev), &ng);
        for (size_t i = 0; i < ng; i++) {
                const char *id = rd_kafka_ConsumerGroupDescription_group_id(gs[i]);
                const rd_kafka_error_t *err = rd_kafka_ConsumerGroupDescription_error(gs[i]);
                if (err && rd_kafka_error_code(err)) {
                        item("DescribeConsumerGroups", id, rd_kafka_error_code(err), rd_kafka_error_string(err),
                             RD_KAFKA_RESP_ERR_NO_ERROR);
                        continue;
                }
                const rd_kafka_Node_t *coord = rd_kafka_ConsumerGroupDescription_coordinator(gs[i]);
                const char *assignor = rd_kafka_ConsumerGroupDescription_partition_assignor(gs[i]);
                size_t nm = rd_kafka_ConsumerGroupDescription_member_count(gs[i]);
                printf("DescribeConsumerGroups %s: state %s, type %s, coordinator %d, assignor \"%s\", %zu members\n", id,
                       rd_kafka_consumer_group_state_name(rd_kafka_ConsumerGroupDescription_state(gs[i])),
                       rd_kafka_consumer_group_type_name(rd_kafka_ConsumerGroupDescription_type(gs[i])),
                       coord ? rd_kafka_Node_id(coord) : -1, assignor ? assignor : "(null)", nm);
                for (size_t m = 0; m < nm; m++) {
                        const rd_kafka_MemberDescription_t *md = rd_kafka_ConsumerGroupDescription_member(gs[i], m);
                        const rd_kafka_topic_partition_list_t *a =
                            rd_kafka_MemberAssignment_partitions(rd_kafka_MemberDescription_assignment(md));
                        printf("  member %s (client %s, host %s):", rd_kafka_MemberDescription_consumer_id(md),
                               rd_kafka_MemberDescription_client_id(md), rd_kafka_MemberDescription_host(md));
                        for (int p = 0; a && p < a->cnt; p++)
                                printf(" %s[%" PRId32 "]", a->elems[p].topic, a->elems[p].partition);
                        printf("\n");
                }
        }
        rd_kafka_event_destroy(ev);
}

static void delete_topic(rd_kafka_t *rk, rd_kafka_queue_t *q, const char *topic) {
        rd_kafka_DeleteTopic_t *dt = rd_kafka_DeleteTopic_new(topic);
        rd_kafka_AdminOptions_t *o = options(rk, RD_KAFKA_ADMIN_OP_DELETETOPICS);
        rd_kafka_DeleteTopics(rk, &dt, 1, o, q);
        rd_kafka_AdminOptions_destroy(o);
        rd_kafka_DeleteTopic_destroy(dt);

        rd_kafka_event_t *ev = wait_result(q, RD_KAFKA_EVENT_DELETETOPICS_RESULT, "DeleteTopics");
        if (!ev)
                return;
        size_t n;
        const rd_kafka_topic_result_t **res =
            rd_kafka_DeleteTopics_result_topics(rd_kafka_event_DeleteTopics_result(ev), &n);
        for (size_t i = 0; i < n; i++)
                item("DeleteTopics", rd_kafka_topic_result_name(res[i]), rd_kafka_topic_result_error(res[i]),
                     rd_kafka_topic_result_error_string(res[i]), RD_KAFKA_RESP_ERR_NO_ERROR);
        rd_kafka_event_destroy(ev);
}

static int usage(const char *prog) {
        fprintf(stderr, "usage: %s -b <bootstrap> [-t topic] [-p partitions] [-r replication] [-X key=value]...\n",
                prog);
        return 2;
}

int main(int argc, char **argv) {
        char errstr[512];
        const char *bootstrap = NULL, *topic = "kafkars_admin_example";
        int partitions = 3, replication = 1, opt;
        rd_kafka_conf_t *conf = rd_kafka_conf_new();

        while ((opt = getopt(argc, argv, "b:t:p:r:X:")) != -1) {
                switch (opt) {
                case 'b': bootstrap = optarg; break;
                case 't': topic = optarg; break;
                case 'p': partitions = atoi(optarg); break;
                case 'r': replication = atoi(optarg); break;
                case 'X': {
                        char *kv = strdup(optarg);
                        char *eq = strchr(kv, '=');
                        if (!eq) {
                                fprintf(stderr, "bad config %s (want key=value)\n", optarg);
                                free(kv);
                                rd_kafka_conf_destroy(conf);
                                return 2;
                        }
                        *eq = '\0';
                        if (rd_kafka_conf_set(conf, kv, eq + 1, errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK) {
                                fprintf(stderr, "%s\n", errstr);
                                free(kv);
                                rd_kafka_conf_destroy(conf);
                                return 2;
                        }
                        free(kv);
                        break;
                }
                default:
                        rd_kafka_conf_destroy(conf);
                        return usage(argv[0]);
                }
        }
        if (!bootstrap || optind != argc) {
                rd_kafka_conf_destroy(conf);
                return usage(argv[0]);
        }
        if (rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap, errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK) {
                fprintf(stderr, "%s\n", errstr);
                rd_kafka_conf_destroy(conf);
                return 2;
        }
        rd_kafka_conf_set_error_cb(conf, error_cb);

        /* Any client type can run Admin operations; a producer starts no group machinery. */
        rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        if (!rk) {
                fprintf(stderr, "rd_kafka_new failed: %s\n", errstr);
                rd_kafka_conf_destroy(conf);
                return 1;
        }
        rd_kafka_queue_t *q = rd_kafka_queue_new(rk);

        int created = create_topic(rk, q, topic, partitions, replication);
        if (created) {
                describe_topic(rk, q, topic);
                alter_config(rk, q, topic, "retention.ms", "3600000");
                describe_configs(rk, q, topic);
        } else {
                printf("no topic %s: DescribeTopics, IncrementalAlterConfigs and DescribeConfigs skipped\n", topic);
        }
        char **ids;
        size_t n = list_groups(rk, q, &ids);
        describe_groups(rk, q, (const char **)ids, n);
        for (size_t i = 0; i < n; i++)
                free(ids[i]);
        free(ids);
        if (created)
                delete_topic(rk, q, topic);

        rd_kafka_queue_destroy(q);
        rd_kafka_destroy(rk);
        printf("%s\n", failures ? "done, with failures" : "done");
        return failures ? 1 : 0;
}
