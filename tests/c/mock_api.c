/* librdkafka's mock cluster API (rdkafka_mock.h), run on genuine librdkafka and on
 * kafkars with the same expectations: the cluster embedded by test.mock.num.brokers,
 * a standalone cluster with injected request errors, brokers down and a round-trip
 * delay, a consumer group on it, and the answers to a duplicate topic and an unknown
 * broker. Lines starting with "info " are informational (not compared).
 * Usage: mock_api   (no bootstrap: it makes its own clusters) */
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
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

int main(int argc, char **argv) {
        section_embedded();
        section_standalone();
        section_group();
        section_answers();
        TEST_DONE();
}
