/* Abuse of the C API: NULL and wrong-type handles, zero and absurd lengths, destroying
 * a producer with messages still queued and in flight. Every call must answer an
 * error (or do nothing), never crash; run under valgrind, nothing may leak or be read
 * out of bounds. kafkars only: genuine librdkafka asserts or crashes on much of this.
 * Usage: abuse_api <bootstrap> */
#define _GNU_SOURCE /* RTLD_DEFAULT */
#include <librdkafka/rdkafka.h>
#include <dlfcn.h>
#include <stdint.h>
#include <unistd.h>

#include "testutil.h"

int main(int argc, char **argv) {
        const char *bootstrap = argc > 1 ? argv[1] : "127.0.0.1:9";
        char errstr[256];
        char small[8] = "payload";
        rd_kafka_conf_t *conf;
        rd_kafka_topic_conf_t *tconf;
        rd_kafka_t *rk;
        rd_kafka_topic_t *rkt;
        rd_kafka_queue_t *q;
        int i;

        SECTION("NULL everywhere");
        CHECK(rd_kafka_poll(NULL, 0) == 0, "poll(NULL)");
        CHECK(rd_kafka_flush(NULL, 0) != RD_KAFKA_RESP_ERR_NO_ERROR, "flush(NULL) fails");
        CHECK(rd_kafka_outq_len(NULL) == 0, "outq_len(NULL)");
        CHECK(rd_kafka_topic_new(NULL, "t", NULL) == NULL, "topic_new(NULL rk)");
        CHECK(rd_kafka_produce(NULL, 0, RD_KAFKA_MSG_F_COPY, small, 7, NULL, 0, NULL) == -1, "produce(NULL rkt)");
        CHECK(rd_kafka_conf_set(NULL, "acks", "1", errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK, "conf_set(NULL)");
        CHECK(rd_kafka_topic_conf_set(NULL, "acks", "1", errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK, "topic_conf_set(NULL)");
        CHECK(rd_kafka_consumer_poll(NULL, 0) == NULL, "consumer_poll(NULL)");
        CHECK(rd_kafka_queue_poll(NULL, 0) == NULL, "queue_poll(NULL)");
        CHECK(rd_kafka_subscribe(NULL, NULL) != RD_KAFKA_RESP_ERR_NO_ERROR, "subscribe(NULL, NULL)");
        CHECK(rd_kafka_metadata(NULL, 1, NULL, NULL, 0) != RD_KAFKA_RESP_ERR_NO_ERROR, "metadata(NULL)");
        CHECK(rd_kafka_topic_partition_list_add(NULL, "t", 0) == NULL, "list_add(NULL)");
        CHECK(rd_kafka_err2str(-123456) != NULL && rd_kafka_err2name(987654) != NULL, "err2str/err2name of unknown codes");
        rd_kafka_destroy(NULL);
        rd_kafka_conf_destroy(NULL);
        rd_kafka_topic_conf_destroy(NULL);
        rd_kafka_topic_destroy(NULL);
        rd_kafka_queue_destroy(NULL);
        rd_kafka_message_destroy(NULL);
        rd_kafka_event_destroy(NULL);
        rd_kafka_headers_destroy(NULL);
        rd_kafka_topic_partition_list_destroy(NULL);
        CHECK(1, "destroy(NULL) of every object type is a no-op");

        SECTION("wrong handle types");
        conf = rd_kafka_conf_new();
        tconf = rd_kafka_topic_conf_new();
        CHECK(rd_kafka_conf_set((rd_kafka_conf_t *)tconf, "acks", "1", errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK, "conf_set on a topic conf");
        CHECK(rd_kafka_topic_conf_set((rd_kafka_topic_conf_t *)conf, "acks", "1", errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK, "topic_conf_set on a conf");
        errstr[0] = '\0';
        rk = rd_kafka_new(RD_KAFKA_PRODUCER, (rd_kafka_conf_t *)tconf, errstr, sizeof(errstr));
        CHECK(rk == NULL && errstr[0], "rd_kafka_new with a topic conf: \"%s\"", errstr);
        rd_kafka_conf_destroy((rd_kafka_conf_t *)tconf); /* wrong type: ignored, not freed */
        rd_kafka_topic_conf_destroy(tconf);
        rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap, errstr, sizeof(errstr));
        rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        CHECK(rk != NULL, "producer: %s", errstr);
        if (!rk)
                TEST_DONE();
        rkt = rd_kafka_topic_new(rk, "abuse", NULL);
        q = rd_kafka_queue_get_main(rk);
        CHECK(rd_kafka_poll((rd_kafka_t *)rkt, 0) == 0, "poll on a topic");
        CHECK(rd_kafka_outq_len((rd_kafka_t *)q) == 0, "outq_len on a queue");
        CHECK(rd_kafka_topic_new((rd_kafka_t *)rkt, "x", NULL) == NULL, "topic_new on a topic");
        CHECK(rd_kafka_topic_name((rd_kafka_topic_t *)rk) && !*rd_kafka_topic_name((rd_kafka_topic_t *)rk), "topic_name on a client: \"\"");
        CHECK(rd_kafka_produce((rd_kafka_topic_t *)rk, 0, RD_KAFKA_MSG_F_COPY, small, 7, NULL, 0, NULL) == -1, "produce on a client");
        CHECK(rd_kafka_queue_poll((rd_kafka_queue_t *)rk, 0) == NULL, "queue_poll on a client");
        CHECK(rd_kafka_queue_length((rd_kafka_queue_t *)rkt) == 0, "queue_length on a topic");
        rd_kafka_queue_destroy((rd_kafka_queue_t *)rkt); /* wrong type: ignored */
        rd_kafka_topic_destroy((rd_kafka_topic_t *)q);   /* wrong type: ignored */
        rd_kafka_destroy((rd_kafka_t *)rkt);              /* wrong type: ignored */
        CHECK(rd_kafka_topic_name(rkt) && !strcmp(rd_kafka_topic_name(rkt), "abuse"), "the topic survived the wrong-type destroys");

        SECTION("wrong handle types: every opaque type carries its own tag");
        {
                rd_kafka_headers_t *hdrs = rd_kafka_headers_new(1);
                rd_kafka_error_t *err = rd_kafka_error_new(RD_KAFKA_RESP_ERR__STATE, "state %d", 7);
                rd_kafka_queue_t *q2 = rd_kafka_queue_new(rk);
                rd_kafka_event_t *ev;
                rd_kafka_conf_t *c2 = rd_kafka_conf_new();
                rd_kafka_topic_conf_t *tc2 = rd_kafka_topic_conf_new();
                rd_kafka_NewTopic_t *nt = rd_kafka_NewTopic_new("nt", 1, 1, errstr, sizeof(errstr));
                rd_kafka_DeleteTopic_t *dt = rd_kafka_DeleteTopic_new("dt");
                rd_kafka_AdminOptions_t *ao = rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_ANY);
                rd_kafka_ConfigResource_t *cr = rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, "cr");
                rd_kafka_AclBinding_t *acl = rd_kafka_AclBinding_new(RD_KAFKA_RESOURCE_TOPIC, "t", RD_KAFKA_RESOURCE_PATTERN_LITERAL, "User:u", "*",
                                                                     RD_KAFKA_ACL_OPERATION_READ, RD_KAFKA_ACL_PERMISSION_TYPE_ALLOW, errstr, sizeof(errstr));
                rd_kafka_consumer_group_metadata_t *cgmd = rd_kafka_consumer_group_metadata_new("g");
                rd_kafka_topic_partition_list_t *tpl = rd_kafka_topic_partition_list_new(1);
                void *buf = NULL;
                size_t bufsize = 0;
                rd_kafka_error_t *e2;
                const rd_kafka_ConfigEntry_t **entries;
                size_t cnt = 99;

                CHECK(hdrs && err && q2 && c2 && tc2 && nt && dt && ao && cr && acl && cgmd && tpl, "objects created");
                rd_kafka_header_add(hdrs, "h", -1, "v", 1);
                rd_kafka_ConfigResource_set_config(cr, "retention.ms", "1");

                /* headers <-> error */
                CHECK(rd_kafka_error_code((rd_kafka_error_t *)hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR, "error_code on headers: as for NULL");
                CHECK(!strcmp(rd_kafka_error_string((rd_kafka_error_t *)hdrs), ""), "error_string on headers: \"\"");
                CHECK(rd_kafka_error_is_fatal((rd_kafka_error_t *)hdrs) == 0, "error_is_fatal on headers");
                rd_kafka_error_destroy((rd_kafka_error_t *)hdrs); /* wrong type: ignored */
                CHECK(rd_kafka_header_add((rd_kafka_headers_t *)err, "h", -1, "v", 1) == RD_KAFKA_RESP_ERR__INVALID_ARG, "header_add on an error");
                CHECK(rd_kafka_header_cnt((rd_kafka_headers_t *)err) == 0, "header_cnt on an error");
                CHECK(rd_kafka_headers_copy((rd_kafka_headers_t *)err) == NULL, "headers_copy of an error");
                rd_kafka_headers_destroy((rd_kafka_headers_t *)err); /* wrong type: ignored */
                CHECK(rd_kafka_header_cnt(hdrs) == 1, "the headers survived");
                CHECK(rd_kafka_error_code(err) == RD_KAFKA_RESP_ERR__STATE && !strcmp(rd_kafka_error_string(err), "state 7"), "the error survived: %s",
                      rd_kafka_error_string(err));
                {
                        rd_kafka_resp_err_t e = rd_kafka_producev(rk, RD_KAFKA_V_TOPIC("abuse"), RD_KAFKA_V_VALUE(small, 7),
                                                                  RD_KAFKA_V_HEADERS((rd_kafka_headers_t *)err), RD_KAFKA_V_END);
                        CHECK(e == RD_KAFKA_RESP_ERR__INVALID_ARG, "producev with an error as its headers: %s", rd_kafka_err2name(e));
                        CHECK(rd_kafka_error_code(err) == RD_KAFKA_RESP_ERR__STATE, "the error survived producev");
                }

                /* event <-> queue */
                rd_kafka_CreateTopics(rk, &nt, 1, ao, q2);
                ev = rd_kafka_queue_poll(q2, 5000);
                CHECK(ev && rd_kafka_event_type(ev) == RD_KAFKA_EVENT_CREATETOPICS_RESULT, "an admin result event");
                if (ev) {
                        CHECK(rd_kafka_queue_length((rd_kafka_queue_t *)ev) == 0, "queue_length on an event");
                        CHECK(rd_kafka_queue_poll((rd_kafka_queue_t *)ev, 0) == NULL, "queue_poll on an event");
                        CHECK(rd_kafka_consume_queue((rd_kafka_queue_t *)ev, 0) == NULL, "consume_queue on an event");
                        rd_kafka_queue_forward(q2, (rd_kafka_queue_t *)ev); /* wrong type: ignored */
                        rd_kafka_queue_destroy((rd_kafka_queue_t *)ev);     /* wrong type: ignored */
                        CHECK(rd_kafka_event_CreateTopics_result(ev) != NULL, "the event survived");
                        rd_kafka_event_destroy(ev);
                }
                CHECK(rd_kafka_event_type((rd_kafka_event_t *)q2) == RD_KAFKA_EVENT_NONE, "event_type on a queue: NONE");
                CHECK(rd_kafka_event_error((rd_kafka_event_t *)q2) == RD_KAFKA_RESP_ERR_NO_ERROR, "event_error on a queue");
                CHECK(rd_kafka_event_message_count((rd_kafka_event_t *)q2) == 0, "event_message_count on a queue");
                CHECK(rd_kafka_event_CreateTopics_result((rd_kafka_event_t *)q2) == NULL, "CreateTopics_result of a queue");
                rd_kafka_event_destroy((rd_kafka_event_t *)q2); /* wrong type: ignored */
                CHECK(rd_kafka_queue_length(q2) == 0 && rd_kafka_queue_poll(q2, 0) == NULL, "the queue survived");
                CHECK(rd_kafka_queue_length((rd_kafka_queue_t *)tpl) == 0, "queue_length on a partition list");

                /* conf <-> admin objects */
                CHECK(rd_kafka_NewTopic_set_config((rd_kafka_NewTopic_t *)c2, "a", "b") == RD_KAFKA_RESP_ERR__INVALID_ARG, "NewTopic_set_config on a conf");
                rd_kafka_NewTopic_destroy((rd_kafka_NewTopic_t *)c2); /* wrong type: ignored */
                CHECK(rd_kafka_conf_set(c2, "client.id", "x", errstr, sizeof(errstr)) == RD_KAFKA_CONF_OK, "the conf survived");
                CHECK(rd_kafka_conf_set((rd_kafka_conf_t *)nt, "client.id", "x", errstr, sizeof(errstr)) == RD_KAFKA_CONF_INVALID, "conf_set on a NewTopic");
                rd_kafka_conf_destroy((rd_kafka_conf_t *)nt); /* wrong type: ignored */
                CHECK(rd_kafka_NewTopic_set_config(nt, "a", "b") == RD_KAFKA_RESP_ERR_NO_ERROR, "the NewTopic survived");
                CHECK(rd_kafka_NewPartitions_set_replica_assignment((rd_kafka_NewPartitions_t *)tc2, 0, NULL, 0, errstr, sizeof(errstr)) ==
                          RD_KAFKA_RESP_ERR__INVALID_ARG,
                      "NewPartitions_set_replica_assignment on a topic conf");
                CHECK(rd_kafka_topic_new(rk, "abuse2", (rd_kafka_topic_conf_t *)c2) == NULL && rd_kafka_last_error() == RD_KAFKA_RESP_ERR__INVALID_ARG,
                      "topic_new with a conf as its topic conf: %s", rd_kafka_err2name(rd_kafka_last_error()));
                CHECK(rd_kafka_AdminOptions_set_request_timeout((rd_kafka_AdminOptions_t *)q2, 100, errstr, sizeof(errstr)) == RD_KAFKA_RESP_ERR__INVALID_ARG,
                      "AdminOptions_set_request_timeout on a queue");
                rd_kafka_AdminOptions_destroy((rd_kafka_AdminOptions_t *)dt); /* wrong type: ignored */
                rd_kafka_DeleteTopics(rk, &dt, 1, (rd_kafka_AdminOptions_t *)dt, q2); /* wrong options: nothing */
                rd_kafka_DeleteTopics(rk, &dt, 1, ao, (rd_kafka_queue_t *)ao);         /* wrong queue: nothing */
                CHECK(rd_kafka_queue_poll(q2, 200) == NULL, "admin calls with wrong-type options or queue answer nothing");
                CHECK(rd_kafka_ConfigResource_name((rd_kafka_ConfigResource_t *)acl) == NULL, "ConfigResource_name of an AclBinding");
                CHECK(rd_kafka_ConfigResource_configs((rd_kafka_ConfigResource_t *)acl, &cnt) == NULL && cnt == 0, "ConfigResource_configs of an AclBinding");
                CHECK(rd_kafka_AclBinding_name((rd_kafka_AclBinding_t *)cr) == NULL, "AclBinding_name of a ConfigResource");
                rd_kafka_ConfigResource_destroy((rd_kafka_ConfigResource_t *)acl); /* wrong type: ignored */
                rd_kafka_AclBinding_destroy((rd_kafka_AclBinding_t *)cr);           /* wrong type: ignored */
                entries = rd_kafka_ConfigResource_configs(cr, &cnt);
                CHECK(entries && cnt == 1 && !strcmp(rd_kafka_ConfigEntry_name(entries[0]), "retention.ms"), "the ConfigResource survived");
                CHECK(rd_kafka_ConfigEntry_name((const rd_kafka_ConfigEntry_t *)cr) == NULL, "ConfigEntry_name of a ConfigResource");
                CHECK(rd_kafka_AclBinding_name(acl) && !strcmp(rd_kafka_AclBinding_name(acl), "t"), "the AclBinding survived");

                /* consumer group metadata <-> headers, error */
                e2 = rd_kafka_consumer_group_metadata_write((rd_kafka_consumer_group_metadata_t *)err, &buf, &bufsize);
                CHECK(e2 && rd_kafka_error_code(e2) == RD_KAFKA_RESP_ERR__INVALID_ARG && buf == NULL, "cgmd_write of an error");
                rd_kafka_error_destroy(e2);
                rd_kafka_consumer_group_metadata_destroy((rd_kafka_consumer_group_metadata_t *)hdrs); /* wrong type: ignored */
                e2 = rd_kafka_consumer_group_metadata_write(cgmd, &buf, &bufsize);
                CHECK(e2 == NULL && buf && bufsize > 0, "the group metadata survived");
                rd_kafka_error_destroy(e2);
                rd_kafka_mem_free(rk, buf);
                CHECK(rd_kafka_header_cnt((rd_kafka_headers_t *)cgmd) == 0, "header_cnt of group metadata");

                /* client, topic, queue */
                {
                        const rd_kafka_metadata_t *md = NULL;
                        CHECK(rd_kafka_metadata(rk, 0, (rd_kafka_topic_t *)q2, &md, 100) == RD_KAFKA_RESP_ERR__INVALID_ARG && md == NULL,
                              "metadata with a queue as its topic: _INVALID_ARG");
                }
                CHECK(rd_kafka_queue_new((rd_kafka_t *)c2) == NULL, "queue_new on a conf");

                rd_kafka_topic_partition_list_destroy(tpl);
                rd_kafka_consumer_group_metadata_destroy(cgmd);
                rd_kafka_AclBinding_destroy(acl);
                rd_kafka_ConfigResource_destroy(cr);
                rd_kafka_AdminOptions_destroy(ao);
                rd_kafka_DeleteTopic_destroy(dt);
                rd_kafka_NewTopic_destroy(nt);
                rd_kafka_topic_conf_destroy(tc2);
                rd_kafka_conf_destroy(c2);
                rd_kafka_queue_destroy(q2);
                rd_kafka_error_destroy(err);
                rd_kafka_headers_destroy(hdrs);
        }

        SECTION("zero and absurd lengths");
        CHECK(rd_kafka_produce(rkt, 0, RD_KAFKA_MSG_F_COPY, NULL, 0, NULL, 0, NULL) == 0, "NULL payload, zero length: a tombstone is fine");
        CHECK(rd_kafka_produce(rkt, 0, RD_KAFKA_MSG_F_COPY, small, 0, small, 0, NULL) == 0, "zero-length payload and key");
        CHECK(rd_kafka_produce(rkt, 0, RD_KAFKA_MSG_F_COPY, small, SIZE_MAX, NULL, 0, NULL) == -1 && rd_kafka_last_error() == RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE,
              "SIZE_MAX payload: MSG_SIZE_TOO_LARGE before reading (%s)", rd_kafka_err2name(rd_kafka_last_error()));
        CHECK(rd_kafka_produce(rkt, 0, RD_KAFKA_MSG_F_COPY, small, 7, small, (size_t)1 << 40, NULL) == -1 && rd_kafka_last_error() == RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE,
              "absurd key length: MSG_SIZE_TOO_LARGE (%s)", rd_kafka_err2name(rd_kafka_last_error()));
        CHECK(rd_kafka_produce(rkt, -5, RD_KAFKA_MSG_F_COPY, small, 7, NULL, 0, NULL) == -1, "partition -5 refused");
        {
                rd_kafka_resp_err_t e = rd_kafka_producev(rk, RD_KAFKA_V_TOPIC("abuse"), RD_KAFKA_V_VALUE(small, SIZE_MAX / 2), RD_KAFKA_V_END);
                CHECK(e == RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE, "producev with an absurd length: %s", rd_kafka_err2name(e));
        }
        {
                rd_kafka_headers_t *h = rd_kafka_headers_new(1);
                CHECK(rd_kafka_header_add(h, "n", -1, small, (ssize_t)1 << 40) != RD_KAFKA_RESP_ERR_NO_ERROR, "header with an absurd size refused");
                CHECK(rd_kafka_header_add(h, "n", -7, small, 1) != RD_KAFKA_RESP_ERR_NO_ERROR, "negative name size refused");
                CHECK(rd_kafka_header_add(h, "n", -1, NULL, 0) == RD_KAFKA_RESP_ERR_NO_ERROR, "NULL value is a null header");
                CHECK(rd_kafka_header_cnt(h) == 1, "one header kept");
                rd_kafka_headers_destroy(h);
        }
        {
                rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(-5);
                CHECK(l != NULL, "list_new(-5) gives an empty list");
                CHECK(rd_kafka_topic_partition_list_del_by_idx(l, 99) == 0, "del_by_idx out of range");
                rd_kafka_topic_partition_list_destroy(l);
        }

        SECTION("mock telemetry setters: NULL and wrong-type clusters, NULL names");
        {
                /* Not in Debian's 2.0.2 header this is compiled against: looked up. */
                void *(*cluster_new)(rd_kafka_t *, int) = (void *(*)(rd_kafka_t *, int))dlsym(RTLD_DEFAULT, "rd_kafka_mock_cluster_new");
                void (*cluster_destroy)(void *) = (void (*)(void *))dlsym(RTLD_DEFAULT, "rd_kafka_mock_cluster_destroy");
                rd_kafka_resp_err_t (*set_metrics)(void *, char **, size_t) =
                    (rd_kafka_resp_err_t(*)(void *, char **, size_t))dlsym(RTLD_DEFAULT, "rd_kafka_mock_telemetry_set_requested_metrics");
                rd_kafka_resp_err_t (*set_interval)(void *, int64_t) =
                    (rd_kafka_resp_err_t(*)(void *, int64_t))dlsym(RTLD_DEFAULT, "rd_kafka_mock_telemetry_set_push_interval");
                char star[] = "*";
                char *all[] = {star}, *holed[] = {star, NULL};
                void *mc;
                CHECK(cluster_new && cluster_destroy && set_metrics && set_interval, "mock telemetry functions exported");
                if (cluster_new && cluster_destroy && set_metrics && set_interval) {
                        CHECK(set_metrics(NULL, all, 1) == RD_KAFKA_RESP_ERR__INVALID_ARG, "set_requested_metrics(NULL cluster)");
                        CHECK(set_interval(NULL, 500) == RD_KAFKA_RESP_ERR__INVALID_ARG, "set_push_interval(NULL cluster)");
                        CHECK(set_metrics(rk, all, 1) == RD_KAFKA_RESP_ERR__INVALID_ARG, "set_requested_metrics(a producer)");
                        CHECK(set_interval(rk, 500) == RD_KAFKA_RESP_ERR__INVALID_ARG, "set_push_interval(a producer)");
                        mc = cluster_new(rk, 1);
                        CHECK(mc != NULL, "mock cluster");
                        if (mc) {
                                CHECK(set_metrics(mc, NULL, 3) == RD_KAFKA_RESP_ERR__INVALID_ARG, "NULL names with a count");
                                CHECK(set_metrics(mc, holed, 2) == RD_KAFKA_RESP_ERR__INVALID_ARG, "a NULL name");
                                CHECK(set_metrics(mc, NULL, 0) == RD_KAFKA_RESP_ERR_NO_ERROR, "NULL, 0: no metrics");
                                CHECK(set_interval(mc, -1) == RD_KAFKA_RESP_ERR_NO_ERROR, "negative interval: the default");
                                cluster_destroy(mc);
                        }
                }
        }

        SECTION("destroy with messages queued and in flight");
        for (i = 0; i < 20000; i++)
                rd_kafka_produce(rkt, RD_KAFKA_PARTITION_UA, RD_KAFKA_MSG_F_COPY, small, 7, NULL, 0, NULL);
        /* Counted right after the last produce: under valgrind the broker threads may
         * deliver everything during a sleep, on a busy machine. */
        i = rd_kafka_outq_len(rk);
        CHECK(i > 0, "messages outstanding at destroy (%d)", i);
        usleep(20 * 1000); /* some are in flight by now */
        rd_kafka_queue_destroy(q);
        rd_kafka_topic_destroy(rkt);
        rd_kafka_destroy(rk);
        CHECK(1, "destroyed with messages outstanding");

        TEST_DONE();
}
