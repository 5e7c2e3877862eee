/* librdkafka's mock cluster API (rdkafka_mock.h), run on genuine librdkafka and on
 * kafkars with the same expectations: the cluster embedded by test.mock.num.brokers,
 * a standalone cluster with injected request errors, brokers down and a round-trip
 * delay, a consumer group on it, and the answers to a duplicate topic and an unknown
 * broker. Lines starting with "info " are informational (not compared).
 * Usage: mock_api   (no bootstrap: it makes its own clusters) */
#define _GNU_SOURCE /* RTLD_DEFAULT */
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <dlfcn.h>
#include <pthread.h>
#include <unistd.h>

#include "testutil.h"

#define APIKEY_PRODUCE 0 /* RD_KAFKAP_Produce, not in the public header */

/* Delivery reports of the current producer. */
struct drs {
        int ok, failed;
        rd_kafka_resp_err_t last_err;
};

static void dr_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) {
        struct drs *d = opaque;
        if (!d)
                return;
        if (m->err) {
                d->failed++;
                d->last_err = m->err;
        } else {
                d->ok++;
        }
}

static rd_kafka_t *new_client(rd_kafka_type_t type, rd_kafka_conf_t *conf, const char **kv) {
        char errstr[256];
        rd_kafka_t *rk;
        if (!conf)
                conf = rd_kafka_conf_new();
        for (; kv && kv[0]; kv += 2)
                CHECK(rd_kafka_conf_set(conf, kv[0], kv[1], errstr, sizeof(errstr)) == RD_KAFKA_CONF_OK, "%s=%s: %s", kv[0], kv[1], errstr);
        rk = rd_kafka_new(type, conf, errstr, sizeof(errstr));
        if (!rk)
                fprintf(stdout, "info rd_kafka_new: %s\n", errstr);
        return rk;
}

/* A cluster of three made by rd_kafka_mock_cluster_new on a producer with no brokers
 * (*hostp); NULL (and nothing left to destroy) if either failed. */
static rd_kafka_mock_cluster_t *standalone(rd_kafka_t **hostp) {
        const char *host_kv[] = {NULL};
        rd_kafka_mock_cluster_t *mc;
        *hostp = new_client(RD_KAFKA_PRODUCER, NULL, host_kv);
        CHECK(*hostp != NULL, "host producer without brokers");
        if (!*hostp)
                return NULL;
        mc = rd_kafka_mock_cluster_new(*hostp, 3);
        CHECK(mc != NULL, "rd_kafka_mock_cluster_new(host, 3)");
        if (!mc)
                rd_kafka_destroy(*hostp);
        return mc;
}

/* A producer whose delivery reports count into *d. */
static rd_kafka_t *new_producer(struct drs *d, const char **kv) {
        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        rd_kafka_conf_set_dr_msg_cb(conf, dr_cb);
        rd_kafka_conf_set_opaque(conf, d);
        return new_client(RD_KAFKA_PRODUCER, conf, kv);
}

/* Polls until want reports have arrived in total, or timeout_ms passed. */
static void wait_drs(rd_kafka_t *rk, struct drs *d, int want, int timeout_ms) {
        int64_t end = tu_now_ms() + timeout_ms;
        while (d->ok + d->failed < want && tu_now_ms() < end)
                rd_kafka_poll(rk, 50);
}

static int produce(rd_kafka_t *rk, const char *topic, int32_t partition, int i) {
        char val[32], key[16];
        snprintf(val, sizeof(val), "value-%d", i);
        snprintf(key, sizeof(key), "k%d", i);
        rd_kafka_resp_err_t err = rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_PARTITION(partition),
                                                    RD_KAFKA_V_KEY(key, strlen(key)), RD_KAFKA_V_VALUE(val, strlen(val)),
                                                    RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
        CHECK(err == RD_KAFKA_RESP_ERR_NO_ERROR, "producev %s #%d: %s", topic, i, rd_kafka_err2name(err));
        return err == RD_KAFKA_RESP_ERR_NO_ERROR;
}

/* Assigns partitions 0..cnt-1 of topic from the beginning and counts the messages read
 * until want have arrived (bounded by timeout_ms), then keeps reading for linger_ms so
 * that extra messages would be counted too. */
static int read_all(const char *bootstrap, const char *topic, int cnt, int want, int timeout_ms, int linger_ms) {
        const char *kv[] = {"bootstrap.servers", bootstrap, "group.id", "mock-api-reader", "enable.auto.commit", "false",
                            "reconnect.backoff.ms", "100", "reconnect.backoff.max.ms", "500", NULL};
        rd_kafka_t *c = new_client(RD_KAFKA_CONSUMER, NULL, kv);
        rd_kafka_topic_partition_list_t *parts;
        int64_t end, linger_end = 0;
        int got = 0, errors = 0, i;

        CHECK(c != NULL, "reader consumer created");
        if (!c)
                return -1;
        rd_kafka_poll_set_consumer(c);
        parts = rd_kafka_topic_partition_list_new(cnt);
        for (i = 0; i < cnt; i++)
                rd_kafka_topic_partition_list_add(parts, topic, i)->offset = RD_KAFKA_OFFSET_BEGINNING;
        CHECK(rd_kafka_assign(c, parts) == RD_KAFKA_RESP_ERR_NO_ERROR, "assign %d partitions of %s", cnt, topic);
        rd_kafka_topic_partition_list_destroy(parts);

        end = tu_now_ms() + timeout_ms;
        for (;;) {
                int64_t now = tu_now_ms();
                if (!linger_end && got >= want)
                        linger_end = now + linger_ms;
                if (now >= end || (linger_end && now >= linger_end))
                        break;
                rd_kafka_message_t *m = rd_kafka_consumer_poll(c, 100);
                if (!m)
                        continue;
                if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR)
                        got++;
                else if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF && errors++ < 3)
                        fprintf(stdout, "info reader %s: %s\n", topic, rd_kafka_message_errstr(m));
                rd_kafka_message_destroy(m);
        }
        rd_kafka_assign(c, NULL);
        rd_kafka_consumer_close(c);
        rd_kafka_destroy(c);
        return got;
}

static void section_embedded(void) {
        struct drs d = {0, 0, 0};
        const char *kv[] = {"test.mock.num.brokers", "3", NULL};
        rd_kafka_t *rk;
        rd_kafka_mock_cluster_t *mc;
        const char *bs;
        char *copy, *tok, *save;
        int entries = 0, loopback = 0, i, got;

        SECTION("embedded cluster: test.mock.num.brokers=3");
        rk = new_producer(&d, kv);
        CHECK(rk != NULL, "producer with test.mock.num.brokers=3");
        if (!rk)
                return;
        mc = rd_kafka_handle_mock_cluster(rk);
        CHECK(mc != NULL, "rd_kafka_handle_mock_cluster");
        if (!mc) {
                rd_kafka_destroy(rk);
                return;
        }
        CHECK(rd_kafka_mock_cluster_handle(mc) == rk, "rd_kafka_mock_cluster_handle is the producer");
        bs = rd_kafka_mock_cluster_bootstraps(mc);
        CHECK(bs != NULL && *bs, "bootstraps");
        fprintf(stdout, "info bootstraps %s\n", bs ? bs : "(null)");
        copy = strdup(bs ? bs : "");
        for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
                entries++;
                if (!strncmp(tok, "127.0.0.1:", 10) && atoi(tok + 10) > 0)
                        loopback++;
        }
        free(copy);
        CHECK(entries == 3, "3 bootstrap entries, got %d", entries);
        CHECK(loopback == 3, "all 127.0.0.1:<port>, got %d", loopback);

        rd_kafka_resp_err_t err = rd_kafka_mock_topic_create(mc, "emb", 5, 3);
        CHECK(err == RD_KAFKA_RESP_ERR_NO_ERROR, "topic_create emb: %s", rd_kafka_err2name(err));

        {
                rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, "emb", NULL);
                const struct rd_kafka_metadata *md = NULL;
                err = rd_kafka_metadata(rk, 0, rkt, &md, 10000);
                CHECK(err == RD_KAFKA_RESP_ERR_NO_ERROR, "metadata emb: %s", rd_kafka_err2name(err));
                if (md) {
                        CHECK(md->broker_cnt == 3, "3 brokers, got %d", md->broker_cnt);
                        CHECK(md->topic_cnt == 1, "1 topic, got %d", md->topic_cnt);
                        if (md->topic_cnt == 1) {
                                CHECK(!strcmp(md->topics[0].topic, "emb"), "topic name %s", md->topics[0].topic);
                                CHECK(md->topics[0].err == RD_KAFKA_RESP_ERR_NO_ERROR, "topic err %s", rd_kafka_err2name(md->topics[0].err));
                                CHECK(md->topics[0].partition_cnt == 5, "5 partitions, got %d", md->topics[0].partition_cnt);
                        }
                        rd_kafka_metadata_destroy(md);
                }
                rd_kafka_topic_destroy(rkt);
        }

        for (i = 0; i < 50; i++)
                produce(rk, "emb", i % 5, i);
        err = rd_kafka_flush(rk, 15000);
        CHECK(err == RD_KAFKA_RESP_ERR_NO_ERROR, "flush: %s", rd_kafka_err2name(err));
        wait_drs(rk, &d, 50, 2000);
        CHECK(d.ok == 50 && d.failed == 0, "50 delivered: ok %d failed %d (%s)", d.ok, d.failed, rd_kafka_err2name(d.last_err));

        got = read_all(bs, "emb", 5, 50, 20000, 500);
        CHECK(got == 50, "a second handle reads the 50 back, got %d", got);

        rd_kafka_destroy(rk);
}

static void section_standalone(void) {
        struct drs d = {0, 0, 0};
        rd_kafka_t *host, *rk;
        rd_kafka_mock_cluster_t *mc;
        rd_kafka_resp_err_t err;
        const char *bs;
        int i, delivered, got, id;
        int64_t t0, el;

        SECTION("standalone cluster: request errors, brokers down, rtt");
        if (!(mc = standalone(&host)))
                return;
        CHECK(rd_kafka_mock_cluster_handle(mc) == host, "rd_kafka_mock_cluster_handle is the host");
        CHECK(rd_kafka_handle_mock_cluster(host) == NULL, "host has no embedded cluster");
        bs = rd_kafka_mock_cluster_bootstraps(mc);
        fprintf(stdout, "info bootstraps %s\n", bs ? bs : "(null)");
        err = rd_kafka_mock_topic_create(mc, "faults", 1, 3);
        CHECK(err == RD_KAFKA_RESP_ERR_NO_ERROR, "topic_create faults: %s", rd_kafka_err2name(err));

        {
                const char *kv[] = {"bootstrap.servers", bs, "message.timeout.ms", "3000", "retry.backoff.ms", "100",
                                    "reconnect.backoff.ms", "100", "reconnect.backoff.max.ms", "500", "linger.ms", "5", NULL};
                rk = new_producer(&d, kv);
        }
        CHECK(rk != NULL, "producer on the bootstraps");
        if (!rk) {
                rd_kafka_mock_cluster_destroy(mc);
                rd_kafka_destroy(host);
                return;
        }

        /* Three NOT_LEADER answers to Produce: retried, then delivered. */
        rd_kafka_mock_push_request_errors(mc, APIKEY_PRODUCE, 3, RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION,
                                          RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION, RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION);
        for (i = 0; i < 10; i++)
                produce(rk, "faults", 0, i);
        err = rd_kafka_flush(rk, 15000);
        CHECK(err == RD_KAFKA_RESP_ERR_NO_ERROR, "flush after NOT_LEADER x3: %s", rd_kafka_err2name(err));
        wait_drs(rk, &d, 10, 2000);
        CHECK(d.ok == 10 && d.failed == 0, "10 delivered despite NOT_LEADER x3: ok %d failed %d (%s)", d.ok, d.failed,
              rd_kafka_err2name(d.last_err));

        /* Every broker down: the message times out. */
        for (id = 1; id <= 3; id++) {
                err = rd_kafka_mock_broker_set_down(mc, id);
                CHECK(err == RD_KAFKA_RESP_ERR_NO_ERROR, "broker_set_down(%d): %s", id, rd_kafka_err2name(err));
        }
        t0 = tu_now_ms();
        produce(rk, "faults", 0, 10);
        wait_drs(rk, &d, 11, 10000);
        el = tu_now_ms() - t0;
        fprintf(stdout, "info timed out after %lld ms\n", (long long)el);
        CHECK(d.failed == 1, "one failed report, got %d (ok %d)", d.failed, d.ok);
        CHECK(d.last_err == RD_KAFKA_RESP_ERR__MSG_TIMED_OUT, "error %s, want _MSG_TIMED_OUT", rd_kafka_err2name(d.last_err));
        CHECK(el >= 2500 && el <= 8000, "timed out after %lld ms, want ~3000", (long long)el);

        for (id = 1; id <= 3; id++) {
                err = rd_kafka_mock_broker_set_up(mc, id);
                CHECK(err == RD_KAFKA_RESP_ERR_NO_ERROR, "broker_set_up(%d): %s", id, rd_kafka_err2name(err));
        }
        /* Back up: a message gets through again (the producer reconnects). */
        produce(rk, "faults", 0, 11);
        err = rd_kafka_flush(rk, 20000);
        CHECK(err == RD_KAFKA_RESP_ERR_NO_ERROR, "flush after brokers up: %s", rd_kafka_err2name(err));
        wait_drs(rk, &d, 12, 2000);
        CHECK(d.ok == 11 && d.failed == 1, "delivered after brokers up: ok %d failed %d", d.ok, d.failed);

        /* A round-trip delay of 400 ms on every broker. */
        for (id = 1; id <= 3; id++) {
                err = rd_kafka_mock_broker_set_rtt(mc, id, 400);
                CHECK(err == RD_KAFKA_RESP_ERR_NO_ERROR, "broker_set_rtt(%d, 400): %s", id, rd_kafka_err2name(err));
        }
        t0 = tu_now_ms();
        produce(rk, "faults", 0, 12);
        err = rd_kafka_flush(rk, 15000);
        el = tu_now_ms() - t0;
        fprintf(stdout, "info produce+flush with rtt 400 took %lld ms\n", (long long)el);
        CHECK(err == RD_KAFKA_RESP_ERR_NO_ERROR, "flush with rtt: %s", rd_kafka_err2name(err));
        CHECK(el >= 350, "produce+flush with rtt 400 took %lld ms, want >= 350", (long long)el);
        wait_drs(rk, &d, 13, 2000);
        CHECK(d.ok == 12 && d.failed == 1, "delivered with rtt: ok %d failed %d", d.ok, d.failed);
        for (id = 1; id <= 3; id++)
                rd_kafka_mock_broker_set_rtt(mc, id, 0);
        delivered = d.ok;
        rd_kafka_destroy(rk);

        /* The log holds what was delivered; the timed-out message never reached it. */
        got = read_all(bs, "faults", 1, delivered, 20000, 1000);
        CHECK(got == delivered, "reader got %d, want the %d delivered", got, delivered);

        rd_kafka_mock_cluster_destroy(mc);
        rd_kafka_destroy(host);
}

/* Group section: one rebalance callback for both consumers; opaque is the index. */
static int assigned_ever[2], assigned_now[2];

static void rebalance_cb(rd_kafka_t *rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t *parts, void *opaque) {
        int idx = *(int *)opaque;
        if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
                assigned_now[idx] = parts->cnt;
                if (parts->cnt > 0)
                        assigned_ever[idx] = 1;
                rd_kafka_assign(rk, parts);
        } else {
                assigned_now[idx] = 0;
                rd_kafka_assign(rk, NULL);
        }
}

static void section_group(void) {
        struct drs d = {0, 0, 0};
        static int idx[2] = {0, 1};
        rd_kafka_t *host, *rk, *c[2] = {NULL, NULL};
        rd_kafka_mock_cluster_t *mc;
        rd_kafka_resp_err_t err;
        const char *bs;
        int i, got[2] = {0, 0};
        int64_t end;

        SECTION("consumer group on a mock cluster");
        if (!(mc = standalone(&host)))
                return;
        bs = rd_kafka_mock_cluster_bootstraps(mc);
        err = rd_kafka_mock_topic_create(mc, "grp", 4, 3);
        CHECK(err == RD_KAFKA_RESP_ERR_NO_ERROR, "topic_create grp: %s", rd_kafka_err2name(err));

        {
                const char *kv[] = {"bootstrap.servers", bs, NULL};
                rk = new_producer(&d, kv);
        }
        CHECK(rk != NULL, "producer");
        if (rk) {
                for (i = 0; i < 100; i++)
                        produce(rk, "grp", i % 4, i);
                err = rd_kafka_flush(rk, 15000);
                CHECK(err == RD_KAFKA_RESP_ERR_NO_ERROR, "flush: %s", rd_kafka_err2name(err));
                wait_drs(rk, &d, 100, 2000);
                CHECK(d.ok == 100 && d.failed == 0, "100 delivered: ok %d failed %d", d.ok, d.failed);
                rd_kafka_destroy(rk);
        }

        for (i = 0; i < 2; i++) {
                const char *kv[] = {"bootstrap.servers", bs, "group.id", "mock-api-group", "auto.offset.reset", "earliest",
                                    "session.timeout.ms", "6000", "heartbeat.interval.ms", "500", NULL};
                rd_kafka_conf_t *conf = rd_kafka_conf_new();
                rd_kafka_conf_set_rebalance_cb(conf, rebalance_cb);
                rd_kafka_conf_set_opaque(conf, &idx[i]);
                c[i] = new_client(RD_KAFKA_CONSUMER, conf, kv);
                CHECK(c[i] != NULL, "consumer %d", i);
                if (!c[i])
                        continue;
                rd_kafka_poll_set_consumer(c[i]);
                rd_kafka_topic_partition_list_t *sub = rd_kafka_topic_partition_list_new(1);
                rd_kafka_topic_partition_list_add(sub, "grp", RD_KAFKA_PARTITION_UA);
                err = rd_kafka_subscribe(c[i], sub);
                CHECK(err == RD_KAFKA_RESP_ERR_NO_ERROR, "subscribe %d: %s", i, rd_kafka_err2name(err));
                rd_kafka_topic_partition_list_destroy(sub);
        }

        end = tu_now_ms() + 30000;
        while (tu_now_ms() < end && (got[0] + got[1] < 100 || !assigned_ever[0] || !assigned_ever[1])) {
                for (i = 0; i < 2; i++) {
                        if (!c[i])
                                continue;
                        rd_kafka_message_t *m = rd_kafka_consumer_poll(c[i], 50);
                        if (!m)
                                continue;
                        if (!m->err)
                                got[i]++;
                        rd_kafka_message_destroy(m);
                }
        }
        fprintf(stdout, "info group consumed %d + %d, assigned now %d + %d\n", got[0], got[1], assigned_now[0],
                assigned_now[1]);
        CHECK(got[0] + got[1] >= 100, "together consumed %d, want 100", got[0] + got[1]);
        CHECK(assigned_ever[0], "consumer 0 got a non-empty assignment");
        CHECK(assigned_ever[1], "consumer 1 got a non-empty assignment");

        for (i = 0; i < 2; i++) {
                if (!c[i])
                        continue;
                err = rd_kafka_consumer_close(c[i]);
                CHECK(err == RD_KAFKA_RESP_ERR_NO_ERROR, "consumer_close %d: %s", i, rd_kafka_err2name(err));
                rd_kafka_destroy(c[i]);
        }
        rd_kafka_mock_cluster_destroy(mc);
        rd_kafka_destroy(host);
}

static void section_answers(void) {
        rd_kafka_t *host;
        rd_kafka_mock_cluster_t *mc;
        rd_kafka_resp_err_t err;

        SECTION("answers: duplicate topic, unknown broker");
        if (!(mc = standalone(&host)))
                return;
        err = rd_kafka_mock_topic_create(mc, "dup", 2, 1);
        CHECK(err == RD_KAFKA_RESP_ERR_NO_ERROR, "first topic_create dup: %s", rd_kafka_err2name(err));
        err = rd_kafka_mock_topic_create(mc, "dup", 2, 1);
        fprintf(stdout, "info topic_create(existing) = %d %s\n", err, rd_kafka_err2name(err));
        CHECK(err != RD_KAFKA_RESP_ERR_NO_ERROR, "topic_create of an existing topic fails");
        CHECK(err == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS, "topic_create(existing) = %s, want TOPIC_ALREADY_EXISTS",
              rd_kafka_err2name(err));

        err = rd_kafka_mock_broker_set_down(mc, 99);
        fprintf(stdout, "info broker_set_down(99) = %d %s\n", err, rd_kafka_err2name(err));
        CHECK(err == RD_KAFKA_RESP_ERR_BROKER_NOT_AVAILABLE, "broker_set_down(99) = %s, want BROKER_NOT_AVAILABLE (genuine 2.0.2 and 2.16)", rd_kafka_err2name(err));
        err = rd_kafka_mock_broker_set_up(mc, 99);
        fprintf(stdout, "info broker_set_up(99) = %d %s\n", err, rd_kafka_err2name(err));
        CHECK(err == RD_KAFKA_RESP_ERR_BROKER_NOT_AVAILABLE, "broker_set_up(99) = %s, want BROKER_NOT_AVAILABLE (genuine 2.0.2 and 2.16)", rd_kafka_err2name(err));
        err = rd_kafka_mock_broker_set_rtt(mc, 99, 10);
        fprintf(stdout, "info broker_set_rtt(99) = %d %s\n", err, rd_kafka_err2name(err));
        CHECK(err == RD_KAFKA_RESP_ERR_BROKER_NOT_AVAILABLE, "broker_set_rtt(99) = %s, want BROKER_NOT_AVAILABLE (genuine 2.0.2 and 2.16)", rd_kafka_err2name(err));

        rd_kafka_mock_cluster_destroy(mc);
        rd_kafka_destroy(host);
}

/* KIP-714 telemetry and request tracking came after 2.0.2, whose header this file is
 * compiled against: looked up at run time, so the same binary runs on every library. */
typedef rd_kafka_resp_err_t (*set_metrics_fn)(rd_kafka_mock_cluster_t *, char **, size_t);
typedef rd_kafka_resp_err_t (*set_interval_fn)(rd_kafka_mock_cluster_t *, int64_t);
typedef void (*tracking_fn)(rd_kafka_mock_cluster_t *);
typedef void **(*get_requests_fn)(rd_kafka_mock_cluster_t *, size_t *);
typedef int16_t (*req_api_key_fn)(void *);
typedef void (*req_destroy_array_fn)(void **, size_t);

#define APIKEY_GET_TELEMETRY 71  /* RD_KAFKAP_GetTelemetrySubscriptions */
#define APIKEY_PUSH_TELEMETRY 72 /* RD_KAFKAP_PushTelemetry */

struct telemetry_api {
        set_metrics_fn set_metrics;
        set_interval_fn set_interval;
        tracking_fn start_tracking;
        get_requests_fn get_requests;
        req_api_key_fn api_key;
        req_destroy_array_fn destroy_array;
};

/* The telemetry requests the cluster recorded: GetTelemetrySubscriptions, PushTelemetry,
 * and whether a push came after a subscription request. */
static void count_telemetry(const struct telemetry_api *api, rd_kafka_mock_cluster_t *mc, int *gets, int *pushes,
                            int *ordered) {
        size_t cnt = 0, i;
        void **reqs = api->get_requests(mc, &cnt);
        *gets = *pushes = *ordered = 0;
        for (i = 0; i < cnt; i++) {
                int16_t k = api->api_key(reqs[i]);
                if (k == APIKEY_GET_TELEMETRY)
                        (*gets)++;
                else if (k == APIKEY_PUSH_TELEMETRY) {
                        (*pushes)++;
                        if (*gets)
                                *ordered = 1;
                }
        }
        api->destroy_array(reqs, cnt);
}

static void section_telemetry(void) {
        struct telemetry_api api = {
            (set_metrics_fn)dlsym(RTLD_DEFAULT, "rd_kafka_mock_telemetry_set_requested_metrics"),
            (set_interval_fn)dlsym(RTLD_DEFAULT, "rd_kafka_mock_telemetry_set_push_interval"),
            (tracking_fn)dlsym(RTLD_DEFAULT, "rd_kafka_mock_start_request_tracking"),
            (get_requests_fn)dlsym(RTLD_DEFAULT, "rd_kafka_mock_get_requests"),
            (req_api_key_fn)dlsym(RTLD_DEFAULT, "rd_kafka_mock_request_api_key"),
            (req_destroy_array_fn)dlsym(RTLD_DEFAULT, "rd_kafka_mock_request_destroy_array"),
        };
        /* kafkars' client does not implement KIP-714 (enable.metrics.push is accepted,
         * nothing is pushed): only genuine librdkafka's client is expected to push. */
        int kafkars = dlsym(RTLD_DEFAULT, "kafkars_mock_partition_push_request_errors_array") != NULL;
        char star[] = "*", prefix[] = "org.apache.kafka.producer.";
        char *all[] = {star}, *two[] = {prefix, star};
        struct drs d = {0, 0, 0};
        rd_kafka_t *host, *rk;
        rd_kafka_mock_cluster_t *mc;
        rd_kafka_resp_err_t err;
        int gets = 0, pushes = 0, ordered = 0, i;
        int64_t t0, end;

        SECTION("telemetry (KIP-714): requested metrics, push interval, a client's pushes");
        if (!api.set_metrics || !api.set_interval || !api.start_tracking || !api.get_requests || !api.api_key ||
            !api.destroy_array) {
                SKIP("no telemetry mock API in librdkafka %s (added in 2.5)", rd_kafka_version_str());
                return;
        }
        if (!(mc = standalone(&host)))
                return;
        err = api.set_metrics(mc, two, 2);
        CHECK(err == RD_KAFKA_RESP_ERR_NO_ERROR, "set_requested_metrics(2 names): %s", rd_kafka_err2name(err));
        err = api.set_metrics(mc, NULL, 0);
        CHECK(err == RD_KAFKA_RESP_ERR_NO_ERROR, "set_requested_metrics(NULL, 0): %s", rd_kafka_err2name(err));
        err = api.set_metrics(mc, all, 1);
        CHECK(err == RD_KAFKA_RESP_ERR_NO_ERROR, "set_requested_metrics(\"*\"): %s", rd_kafka_err2name(err));
        err = api.set_interval(mc, 0);
        CHECK(err == RD_KAFKA_RESP_ERR_NO_ERROR, "set_push_interval(0: the default): %s", rd_kafka_err2name(err));
        err = api.set_interval(mc, 500);
        CHECK(err == RD_KAFKA_RESP_ERR_NO_ERROR, "set_push_interval(500): %s", rd_kafka_err2name(err));
        err = rd_kafka_mock_topic_create(mc, "tele", 1, 1);
        CHECK(err == RD_KAFKA_RESP_ERR_NO_ERROR, "topic_create tele: %s", rd_kafka_err2name(err));
        api.start_tracking(mc);

        {
                const char *kv[] = {"bootstrap.servers", rd_kafka_mock_cluster_bootstraps(mc), "linger.ms", "5", NULL};
                rk = new_producer(&d, kv);
        }
        CHECK(rk != NULL, "producer on the telemetry cluster");
        if (rk) {
                /* Some traffic for the metrics; then until two pushes (the first one
                 * accepted, or the client would ask again first) or the bound. Kafkars'
                 * client pushes nothing: two seconds (four intervals) show it. */
                for (i = 0; i < 5; i++)
                        produce(rk, "tele", 0, i);
                rd_kafka_flush(rk, 5000);
                t0 = tu_now_ms();
                end = t0 + (kafkars ? 2000 : 10000);
                while (tu_now_ms() < end) {
                        rd_kafka_poll(rk, 100);
                        count_telemetry(&api, mc, &gets, &pushes, &ordered);
                        if (pushes >= 2)
                                break;
                }
                fprintf(stdout, "info telemetry after %lld ms: %d GetTelemetrySubscriptions, %d PushTelemetry\n",
                        (long long)(tu_now_ms() - t0), gets, pushes);
                CHECK(d.ok == 5, "5 delivered, got %d", d.ok);
                if (!kafkars) {
                        CHECK(gets >= 1, "GetTelemetrySubscriptions from the client (got %d)", gets);
                        CHECK(ordered && pushes >= 2, "PushTelemetry after it, again 500 ms later (got %d)", pushes);
                } else {
                        CHECK(gets == 0, "kafkars' client asks no subscription (got %d)", gets);
                        CHECK(pushes == 0, "kafkars' client pushes no telemetry (got %d)", pushes);
                }
                i = pushes;
                rd_kafka_destroy(rk);
                /* KIP-714: a client closing sends a last, terminating push. */
                count_telemetry(&api, mc, &gets, &pushes, &ordered);
                fprintf(stdout, "info telemetry pushes on destroy: %d\n", pushes - i);
        }
        rd_kafka_mock_cluster_destroy(mc);
        rd_kafka_destroy(host);
}

/* The leader one Metadata answer reports for a partition (KIP-951's tests use it for a
 * stale view): rd_kafka_mock_partition_push_leader_response, after 2.0.2. */
typedef rd_kafka_resp_err_t (*push_leader_fn)(rd_kafka_mock_cluster_t *, const char *, int, int32_t, int32_t);

static int32_t leader_of(rd_kafka_t *rk, rd_kafka_topic_t *rkt) {
        const struct rd_kafka_metadata *md = NULL;
        int32_t leader = -2;
        rd_kafka_resp_err_t err = rd_kafka_metadata(rk, 0, rkt, &md, 5000);
        if (!err && md->topic_cnt == 1 && md->topics[0].partition_cnt > 0)
                leader = md->topics[0].partitions[0].leader;
        if (md)
                rd_kafka_metadata_destroy(md);
        return leader;
}

static void section_leader_response(void) {
        push_leader_fn push = (push_leader_fn)dlsym(RTLD_DEFAULT, "rd_kafka_mock_partition_push_leader_response");
        const char *kv[] = {NULL, NULL, NULL};
        rd_kafka_t *host, *rk;
        rd_kafka_topic_t *rkt;
        rd_kafka_mock_cluster_t *mc;
        rd_kafka_resp_err_t err;
        int32_t real, other;

        SECTION("pushed leader responses: the next Metadata answer only");
        if (!push) {
                SKIP("no rd_kafka_mock_partition_push_leader_response in librdkafka %s", rd_kafka_version_str());
                return;
        }
        if (!(mc = standalone(&host)))
                return;
        CHECK(rd_kafka_mock_topic_create(mc, "lr", 1, 1) == RD_KAFKA_RESP_ERR_NO_ERROR, "topic_create lr");
        CHECK(rd_kafka_mock_partition_set_leader(mc, "lr", 0, 1) == RD_KAFKA_RESP_ERR_NO_ERROR, "leader 1");
        kv[0] = "bootstrap.servers";
        kv[1] = rd_kafka_mock_cluster_bootstraps(mc);
        rk = new_client(RD_KAFKA_PRODUCER, NULL, kv);
        CHECK(rk != NULL, "producer");
        if (rk) {
                rkt = rd_kafka_topic_new(rk, "lr", NULL);
                real = leader_of(rk, rkt);
                CHECK(real == 1, "leader before the push: %d", real);
                /* The client's own refresh of the new topic may still be under way. */
                rd_kafka_poll(rk, 500);
                other = real == 1 ? 2 : 1;
                err = push(mc, "lr", 0, other, 7);
                CHECK(err == RD_KAFKA_RESP_ERR_NO_ERROR, "push_leader_response: %s", rd_kafka_err2name(err));
                err = push(mc, "nope", 5, other, 7);
                CHECK(err == RD_KAFKA_RESP_ERR_NO_ERROR, "push for partition 5 of a new topic (made with 6): %s",
                      rd_kafka_err2name(err));
                CHECK(leader_of(rk, rkt) == other, "the pushed leader in the next answer");
                CHECK(leader_of(rk, rkt) == real, "then the real one again");
                rd_kafka_topic_destroy(rkt);
                rd_kafka_destroy(rk);
        }
        rd_kafka_mock_cluster_destroy(mc);
        rd_kafka_destroy(host);
}

/* KIP-848's mock API (librdkafka 2.4+): the consumer group protocol's session timeout
 * and heartbeat interval, and a manual target assignment overriding the assignor. */
typedef void *(*ta_new_fn)(char **, int, rd_kafka_topic_partition_list_t **);
typedef void (*ta_destroy_fn)(void *);
typedef void (*ta_set_fn)(rd_kafka_mock_cluster_t *, const char *, void *);
typedef void (*set_ms_fn)(rd_kafka_mock_cluster_t *, int);

/* The consumer's partitions of topic "k848" as a bit set, -1 on error. */
static int assigned_bits(rd_kafka_t *rk) {
        rd_kafka_topic_partition_list_t *parts = NULL;
        int bits = 0, i;
        if (rd_kafka_assignment(rk, &parts))
                return -1;
        for (i = 0; i < parts->cnt; i++)
                bits |= 1 << parts->elems[i].partition;
        rd_kafka_topic_partition_list_destroy(parts);
        return bits;
}

/* Polls the consumer until its assignment is `want`, or timeout_ms passed. */
static int wait_assigned(rd_kafka_t *rk, int want, int timeout_ms) {
        int64_t end = tu_now_ms() + timeout_ms;
        int got = assigned_bits(rk);
        while (got != want && tu_now_ms() < end) {
                rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 100);
                if (m)
                        rd_kafka_message_destroy(m);
                got = assigned_bits(rk);
        }
        return got;
}

static void section_kip848(void) {
        ta_new_fn ta_new = (ta_new_fn)dlsym(RTLD_DEFAULT, "rd_kafka_mock_cgrp_consumer_target_assignment_new");
        ta_destroy_fn ta_destroy = (ta_destroy_fn)dlsym(RTLD_DEFAULT, "rd_kafka_mock_cgrp_consumer_target_assignment_destroy");
        ta_set_fn ta_set = (ta_set_fn)dlsym(RTLD_DEFAULT, "rd_kafka_mock_cgrp_consumer_target_assignment");
        set_ms_fn set_session = (set_ms_fn)dlsym(RTLD_DEFAULT, "rd_kafka_mock_set_group_consumer_session_timeout_ms");
        set_ms_fn set_hb = (set_ms_fn)dlsym(RTLD_DEFAULT, "rd_kafka_mock_set_group_consumer_heartbeat_interval_ms");
        /* kafkars' client does not speak KIP-848 yet (it falls back to classic): only
         * the mock side is checked there. */
        int kafkars = dlsym(RTLD_DEFAULT, "kafkars_mock_partition_push_request_errors_array") != NULL;
        rd_kafka_topic_partition_list_t *lists[1];
        char *ids[1];
        rd_kafka_t *host, *rk;
        rd_kafka_mock_cluster_t *mc;
        void *ta;
        int got;

        SECTION("KIP-848 consumer groups: session/heartbeat settings, manual target assignment");
        if (!ta_new || !ta_destroy || !ta_set || !set_session || !set_hb) {
                SKIP("no KIP-848 mock API in librdkafka %s (added in 2.4)", rd_kafka_version_str());
                return;
        }
        if (!(mc = standalone(&host)))
                return;
        set_session(mc, 6000);
        set_hb(mc, 200);
        CHECK(rd_kafka_mock_topic_create(mc, "k848", 4, 1) == RD_KAFKA_RESP_ERR_NO_ERROR, "topic_create k848");
        /* A group nobody joined: left alone, as librdkafka's mock does. */
        lists[0] = rd_kafka_topic_partition_list_new(1);
        rd_kafka_topic_partition_list_add(lists[0], "k848", 1);
        ids[0] = "nobody";
        ta = ta_new(ids, 1, lists);
        CHECK(ta != NULL, "target_assignment_new(1 member)");
        ta_set(mc, "no-such-group", ta);
        ta_destroy(ta);
        if (kafkars) {
                CHECK(ta_new(NULL, 1, NULL) == NULL, "target_assignment_new(NULL arrays) = NULL");
                ta_set(NULL, "g", NULL);
                ta_set(mc, NULL, NULL);
                ta_set(mc, "g", (void *)mc); /* not a target assignment: ignored */
                ta_destroy(NULL);
                ta_destroy((void *)mc);        /* another object: left alone */
                set_session(NULL, 1);
                set_hb(NULL, 1);
                CHECK(1, "NULL and wrong pointers are ignored");
        } else {
                const char *kv[] = {"bootstrap.servers", rd_kafka_mock_cluster_bootstraps(mc), "group.id", "g848",
                                    "group.protocol", "consumer", "auto.offset.reset", "earliest", NULL};
                rk = new_client(RD_KAFKA_CONSUMER, NULL, kv);
                CHECK(rk != NULL, "group.protocol=consumer consumer");
                if (rk) {
                        rd_kafka_topic_partition_list_t *sub = rd_kafka_topic_partition_list_new(1);
                        char *member;
                        rd_kafka_topic_partition_list_add(sub, "k848", RD_KAFKA_PARTITION_UA);
                        rd_kafka_poll_set_consumer(rk);
                        CHECK(rd_kafka_subscribe(rk, sub) == RD_KAFKA_RESP_ERR_NO_ERROR, "subscribe k848");
                        rd_kafka_topic_partition_list_destroy(sub);
                        got = wait_assigned(rk, 0xf, 15000);
                        CHECK(got == 0xf, "the only member gets all 4 partitions (got 0x%x)", got);
                        member = rd_kafka_memberid(rk);
                        ids[0] = member;
                        ta = ta_new(ids, 1, lists);
                        ta_set(mc, "g848", ta);
                        ta_destroy(ta);
                        got = wait_assigned(rk, 0x2, 10000);
                        CHECK(got == 0x2, "manual target assignment: partition 1 only (got 0x%x)", got);
                        ta_set(mc, "g848", NULL);
                        got = wait_assigned(rk, 0xf, 10000);
                        CHECK(got == 0xf, "cleared: back to all 4 (got 0x%x)", got);
                        if (member)
                                rd_kafka_mem_free(rk, member);
                        rd_kafka_consumer_close(rk);
                        rd_kafka_destroy(rk);
                }
        }
        rd_kafka_topic_partition_list_destroy(lists[0]);
        rd_kafka_mock_cluster_destroy(mc);
        rd_kafka_destroy(host);
}

/* KIP-932's mock API (librdkafka 2.16): the share group settings, the member list of
 * a group and the manual target assignment. A share consumer is proven against both
 * mocks by tests/python/own_mock.py section E; here the calls themselves. */
typedef void (*share_set_fn)(rd_kafka_mock_cluster_t *, int);
typedef void (*share_ta_fn)(rd_kafka_mock_cluster_t *, const char *, const char **,
                            rd_kafka_topic_partition_list_t **, size_t);
typedef rd_kafka_resp_err_t (*share_ids_fn)(rd_kafka_mock_cluster_t *, const char *, char ***, size_t *);

static void section_kip932(void) {
        static const char *setters[] = {
            "session_timeout", "heartbeat_interval", "max_delivery_attempts", "record_lock_duration",
            "isolation_level", "max_size", "max_fetch_sessions", "max_record_locks", "auto_offset_reset"};
        share_ta_fn ta = (share_ta_fn)dlsym(RTLD_DEFAULT, "rd_kafka_mock_sharegroup_target_assignment");
        share_ids_fn ids = (share_ids_fn)dlsym(RTLD_DEFAULT, "rd_kafka_mock_sharegroup_get_member_ids");
        int kafkars = dlsym(RTLD_DEFAULT, "kafkars_mock_partition_push_request_errors_array") != NULL;
        share_set_fn set[9];
        rd_kafka_topic_partition_list_t *lists[1];
        const char *members[1] = {"nobody"};
        rd_kafka_mock_cluster_t *mc;
        rd_kafka_t *host;
        char name[80], **out = (char **)&name;
        size_t i, cnt = 7;
        int found = 0;

        SECTION("KIP-932 share groups: the eleven rd_kafka_mock_sharegroup_* calls");
        for (i = 0; i < 9; i++) {
                snprintf(name, sizeof(name), "rd_kafka_mock_sharegroup_set_%s", setters[i]);
                set[i] = (share_set_fn)dlsym(RTLD_DEFAULT, name);
                found += set[i] != NULL;
        }
        if (found < 9 || !ta || !ids) {
                SKIP("no KIP-932 mock API in librdkafka %s (added in 2.16)", rd_kafka_version_str());
                return;
        }
        CHECK(1, "all eleven exported");
        if (!(mc = standalone(&host)))
                return;
        CHECK(rd_kafka_mock_topic_create(mc, "sh", 2, 1) == RD_KAFKA_RESP_ERR_NO_ERROR, "topic_create sh");
        for (i = 0; i < 9; i++)
                set[i](mc, i == 4 || i == 8 ? 1 : 1000);
        CHECK(1, "every setter takes a value");
        CHECK(ids(mc, "no-such-group", &out, &cnt) == RD_KAFKA_RESP_ERR_GROUP_ID_NOT_FOUND && cnt == 0 &&
                  out == NULL,
              "get_member_ids of an unknown group: GROUP_ID_NOT_FOUND, none");
        lists[0] = rd_kafka_topic_partition_list_new(1);
        rd_kafka_topic_partition_list_add(lists[0], "sh", 1);
        ta(mc, "no-such-group", members, lists, 1); /* an unknown group is left alone */
        CHECK(ids(mc, "no-such-group", &out, &cnt) == RD_KAFKA_RESP_ERR_GROUP_ID_NOT_FOUND,
              "a target assignment does not make a group");
        if (kafkars) {
                /* Genuine librdkafka dereferences these; kafkars refuses them. */
                CHECK(ids(NULL, "g", &out, &cnt) == RD_KAFKA_RESP_ERR__INVALID_ARG, "get_member_ids(NULL cluster)");
                CHECK(ids(mc, NULL, &out, &cnt) == RD_KAFKA_RESP_ERR__INVALID_ARG, "get_member_ids(NULL group)");
                CHECK(ids(mc, "g", NULL, &cnt) == RD_KAFKA_RESP_ERR__INVALID_ARG, "get_member_ids(NULL out)");
                CHECK(ids((void *)host, "g", &out, &cnt) == RD_KAFKA_RESP_ERR__INVALID_ARG,
                      "get_member_ids(not a cluster)");
                ta(NULL, "g", members, lists, 1);
                ta(mc, NULL, members, lists, 1);
                ta(mc, "g", NULL, NULL, 3);
                for (i = 0; i < 9; i++)
                        set[i](NULL, 1);
                CHECK(1, "NULL and wrong pointers are ignored");
        }
        rd_kafka_topic_partition_list_destroy(lists[0]);
        rd_kafka_mock_cluster_destroy(mc);
        rd_kafka_destroy(host);
}

int main(int argc, char **argv) {
        section_embedded();
        section_standalone();
        section_group();
        section_answers();
        section_telemetry();
        section_leader_response();
        section_kip848();
        section_kip932();
        TEST_DONE();
}
