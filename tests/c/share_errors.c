/* The share consumer's (KIP-932) error handling, each run on an in-process mock cluster
 * (rd_kafka_mock_cluster_new): topic metadata errors come out of rd_kafka_share_poll()
 * once per change; a fatal ShareGroupHeartbeat error is returned once as a fatal error,
 * no record follows it and close does not leave the group; a fenced member rejoins.
 * The same binary runs on genuine librdkafka 2.16 and on kafkars: every line it prints
 * must match. Usage: share_errors */
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define APIKEY_SHARE_GROUP_HEARTBEAT 76

#include "testutil.h" /* CHECK: prints a failure with its place, counts it */

/* librdkafka's tests read an rd_kafka_share_t's first member as its client. */
struct share_front {
        rd_kafka_t *rk;
};

static rd_kafka_t *share_rk(rd_kafka_share_t *s) {
        return ((struct share_front *)s)->rk;
}

static rd_kafka_t *mock_host;
static rd_kafka_mock_cluster_t *mc;
static const char *bootstrap;

static void produce(const char *topic, int n) {
        char errstr[256];
        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap, NULL, 0);
        rd_kafka_t *p = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        for (int i = 0; i < n; i++) {
                char v[32];
                snprintf(v, sizeof(v), "v%d", i);
                rd_kafka_producev(p, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_PARTITION(0),
                                  RD_KAFKA_V_VALUE(v, strlen(v)), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                                  RD_KAFKA_V_END);
        }
        CHECK(rd_kafka_flush(p, 10000) == 0, "flush");
        rd_kafka_destroy(p);
}

static rd_kafka_share_t *share_new(const char *group, const char *mode, const char *topic) {
        char errstr[256];
        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap, NULL, 0);
        rd_kafka_conf_set(conf, "group.id", group, NULL, 0);
        rd_kafka_conf_set(conf, "log_level", "0", NULL, 0);
        rd_kafka_conf_set(conf, "share.acknowledgement.mode", mode, NULL, 0);
        rd_kafka_share_t *s = rd_kafka_share_consumer_new(conf, errstr, sizeof(errstr));
        if (!s) {
                printf("FAIL share_consumer_new: %s\n", errstr);
                exit(1);
        }
        rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(1);
        rd_kafka_topic_partition_list_add(l, topic, RD_KAFKA_PARTITION_UA);
        CHECK(rd_kafka_share_subscribe(s, l) == 0, "subscribe");
        rd_kafka_topic_partition_list_destroy(l);
        return s;
}

/* One poll: the records' count (acknowledged in explicit mode), the error if any. */
static int poll_once(rd_kafka_share_t *s, int timeout_ms, rd_kafka_error_t **errp) {
        rd_kafka_messages_t *batch = NULL;
        rd_kafka_error_t *e = rd_kafka_share_poll(s, timeout_ms, &batch);
        int n = (int)rd_kafka_messages_count(batch);
        for (int i = 0; i < n; i++)
                rd_kafka_share_acknowledge(s, rd_kafka_messages_get(batch, i));
        rd_kafka_messages_destroy(batch);
        if (errp)
                *errp = e;
        else if (e)
                rd_kafka_error_destroy(e);
        return n;
}

/* Polls until `want` records came (or `tries` polls went by); returns how many. */
static int consume(rd_kafka_share_t *s, int want, int tries) {
        int got = 0;
        for (int i = 0; i < tries && got < want; i++)
                got += poll_once(s, 1000, NULL);
        return got;
}

/* Polls until an error comes (or `tries` polls went by): prints it, counts the records
 * that came meanwhile in *records. */
static void wait_error(rd_kafka_share_t *s, const char *what, int tries, int *records) {
        for (int i = 0; i < tries; i++) {
                rd_kafka_error_t *e = NULL;
                int n = poll_once(s, 500, &e);
                if (records)
                        *records += n;
                if (e) {
                        printf("%s: %s fatal=%d retriable=%d: %s\n", what, rd_kafka_error_name(e),
                               rd_kafka_error_is_fatal(e), rd_kafka_error_is_retriable(e),
                               rd_kafka_error_string(e));
                        rd_kafka_error_destroy(e);
                        return;
                }
        }
        printf("%s: none\n", what);
}

/* Errors the next `n` polls return. */
static int count_errors(rd_kafka_share_t *s, int n, int *records) {
        int errs = 0;
        for (int i = 0; i < n; i++) {
                rd_kafka_error_t *e = NULL;
                int got = poll_once(s, 300, &e);
                if (records)
                        *records += got;
                if (e) {
                        errs++;
                        rd_kafka_error_destroy(e);
                }
        }
        return errs;
}

static void refresh_metadata(rd_kafka_share_t *s) {
        const rd_kafka_metadata_t *md = NULL;
        rd_kafka_metadata(share_rk(s), 1, NULL, &md, 5000);
        if (md)
                rd_kafka_metadata_destroy(md);
}

static void topic_errors(void) {
        const char *topic = "se_topic";
        printf("== topic errors\n");
        rd_kafka_mock_topic_create(mc, topic, 1, 1);
        produce(topic, 3);
        rd_kafka_share_t *s = share_new("se_g_topic", "explicit", topic);
        printf("primed: %d\n", consume(s, 3, 30));

        rd_kafka_mock_topic_set_error(mc, topic, RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED);
        refresh_metadata(s);
        wait_error(s, "authorization", 30, NULL);
        refresh_metadata(s);
        printf("same error again: %d\n", count_errors(s, 4, NULL));

        rd_kafka_mock_topic_set_error(mc, topic, RD_KAFKA_RESP_ERR_NO_ERROR);
        refresh_metadata(s);
        printf("recovered: %d\n", count_errors(s, 4, NULL));

        rd_kafka_mock_topic_set_error(mc, topic, RD_KAFKA_RESP_ERR_TOPIC_EXCEPTION);
        refresh_metadata(s);
        wait_error(s, "exception", 30, NULL);

        rd_kafka_mock_topic_set_error(mc, topic, RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART);
        refresh_metadata(s);
        printf("unknown topic: %d\n", count_errors(s, 4, NULL));

        rd_kafka_mock_topic_set_error(mc, topic, RD_KAFKA_RESP_ERR_NO_ERROR);
        rd_kafka_error_t *e = rd_kafka_share_consumer_close(s);
        CHECK(!e, "close: %s", e ? rd_kafka_error_string(e) : "");
        if (e)
                rd_kafka_error_destroy(e);
        rd_kafka_share_destroy(s);
}

static size_t heartbeats_tracked(void) {
        size_t cnt = 0, hb = 0;
        rd_kafka_mock_request_t **reqs = rd_kafka_mock_get_requests(mc, &cnt);
        for (size_t i = 0; i < cnt; i++)
                if (rd_kafka_mock_request_api_key(reqs[i]) == APIKEY_SHARE_GROUP_HEARTBEAT)
                        hb++;
        rd_kafka_mock_request_destroy_array(reqs, cnt);
        return hb;
}

static void fatal_error(void) {
        const char *topic = "se_fatal";
        char errstr[512];
        int records = 0;
        printf("== fatal heartbeat error\n");
        rd_kafka_mock_topic_create(mc, topic, 1, 1);
        produce(topic, 3);
        rd_kafka_share_t *s = share_new("se_g_fatal", "implicit", topic);
        printf("consumed: %d\n", consume(s, 3, 30));

        rd_kafka_mock_broker_push_request_error_rtts(mc, 1, APIKEY_SHARE_GROUP_HEARTBEAT, 1,
                                                     RD_KAFKA_RESP_ERR_GROUP_AUTHORIZATION_FAILED, 0);
        wait_error(s, "fatal", 50, &records);
        printf("records while waiting: %d\n", records);
        rd_kafka_resp_err_t fe = rd_kafka_fatal_error(share_rk(s), errstr, sizeof(errstr));
        printf("rd_kafka_fatal_error: %s: %s\n", rd_kafka_err2name(fe), errstr);

        produce(topic, 3);
        records = 0;
        int errs = count_errors(s, 4, &records);
        printf("after the fatal error: %d record(s), %d error(s)\n", records, errs);

        rd_kafka_mock_start_request_tracking(mc);
        rd_kafka_error_t *e = rd_kafka_share_consumer_close(s);
        if (e)
                rd_kafka_error_destroy(e);
        printf("heartbeats while closing: %zu\n", heartbeats_tracked());
        rd_kafka_mock_stop_request_tracking(mc);
        rd_kafka_share_destroy(s);
}

static void fenced(void) {
        const char *topic = "se_fenced";
        printf("== fenced member\n");
        rd_kafka_mock_topic_create(mc, topic, 1, 1);
        produce(topic, 2);
        rd_kafka_share_t *s = share_new("se_g_fenced", "implicit", topic);
        printf("consumed: %d\n", consume(s, 2, 30));

        rd_kafka_mock_broker_push_request_error_rtts(mc, 1, APIKEY_SHARE_GROUP_HEARTBEAT, 1,
                                                     RD_KAFKA_RESP_ERR_FENCED_MEMBER_EPOCH, 0);
        /* Two heartbeat intervals: the fenced answer has come and the member rejoined. */
        int records = 0, errs = count_errors(s, 4, &records);
        produce(topic, 2);
        records += consume(s, 2 - records, 30);
        printf("after rejoining: %d record(s), %d error(s)\n", records, errs);
        rd_kafka_error_t *e = rd_kafka_share_consumer_close(s);
        if (e)
                rd_kafka_error_destroy(e);
        rd_kafka_share_destroy(s);
}

int main(void) {
        char errstr[256];
        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        rd_kafka_conf_set(conf, "log_level", "0", NULL, 0);
        mock_host = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        if (!mock_host) {
                printf("FAIL rd_kafka_new: %s\n", errstr);
                return 1;
        }
        mc = rd_kafka_mock_cluster_new(mock_host, 1);
        if (!mc) {
                printf("FAIL rd_kafka_mock_cluster_new\n");
                return 1;
        }
        bootstrap = rd_kafka_mock_cluster_bootstraps(mc);
        rd_kafka_mock_sharegroup_set_auto_offset_reset(mc, 1);
        rd_kafka_mock_sharegroup_set_heartbeat_interval(mc, 500);

        topic_errors();
        fatal_error();
        fenced();

        rd_kafka_mock_cluster_destroy(mc);
        rd_kafka_destroy(mock_host);
        printf("%s\n", tu_failed ? "FAILED" : "done");
        return tu_failed ? 1 : 0;
}
