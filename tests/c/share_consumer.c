/* The share consumer (KIP-932) on librdkafka's mock cluster (tests/brokers/
 * mock_cluster.py --share-earliest --topic s1:1 --topic s2:3 ...), the same binary on
 * genuine librdkafka 2.16 and on kafkars: every line it prints must match.
 * Usage: share_consumer <bootstrap> */
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "testutil.h" /* CHECK: prints a failure with its place, counts it */

static const char *bootstrap;

static double now(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void produce(const char *topic, int partitions, int n) {
        char errstr[256];
        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap, NULL, 0);
        rd_kafka_t *p = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        for (int i = 0; i < n; i++) {
                char v[32];
                snprintf(v, sizeof(v), "v%d", i);
                rd_kafka_producev(p, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_PARTITION(i % partitions),
                                  RD_KAFKA_V_VALUE(v, strlen(v)), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                                  RD_KAFKA_V_END);
        }
        CHECK(rd_kafka_flush(p, 10000) == 0, "flush");
        rd_kafka_destroy(p);
}

static rd_kafka_share_t *share_new(const char *group, const char *mode) {
        char errstr[256];
        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap, NULL, 0);
        rd_kafka_conf_set(conf, "group.id", group, NULL, 0);
        rd_kafka_conf_set(conf, "log_level", "3", NULL, 0);
        if (mode)
                rd_kafka_conf_set(conf, "share.acknowledgement.mode", mode, NULL, 0);
        rd_kafka_share_t *s = rd_kafka_share_consumer_new(conf, errstr, sizeof(errstr));
        CHECK(s, "share_consumer_new: %s", errstr);
        return s;
}

static void subscribe(rd_kafka_share_t *s, const char *topic) {
        rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(1);
        rd_kafka_topic_partition_list_add(l, topic, RD_KAFKA_PARTITION_UA);
        CHECK(rd_kafka_share_subscribe(s, l) == 0, "subscribe");
        rd_kafka_topic_partition_list_destroy(l);
}

/* Polls until a non-empty batch or `secs` pass. */
static rd_kafka_messages_t *poll_batch(rd_kafka_share_t *s, double secs) {
        double end = now() + secs;
        while (now() < end) {
                rd_kafka_messages_t *b = NULL;
                rd_kafka_error_t *e = rd_kafka_share_poll(s, 500, &b);
                if (e) {
                        printf("poll error: %s\n", rd_kafka_error_string(e));
                        rd_kafka_error_destroy(e);
                        return NULL;
                }
                if (b && rd_kafka_messages_count(b) > 0)
                        return b;
                rd_kafka_messages_destroy(b);
        }
        return NULL;
}

static void bad_arguments(void) {
        char errstr[256] = "";
        printf("== bad arguments\n");
        CHECK(!rd_kafka_share_consumer_new(NULL, errstr, sizeof(errstr)), "NULL conf");
        printf("new(NULL conf): %s\n", errstr);
        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        rd_kafka_conf_set(conf, "enable.auto.commit", "false", NULL, 0);
        CHECK(!rd_kafka_share_consumer_new(conf, errstr, sizeof(errstr)), "enable.auto.commit");
        printf("new(enable.auto.commit): %s\n", errstr);
        rd_kafka_conf_destroy(conf);
        printf("acknowledge(NULL): %s\n", rd_kafka_err2name(rd_kafka_share_acknowledge(NULL, NULL)));
        printf("acknowledge_offset(NULL): %s\n",
               rd_kafka_err2name(rd_kafka_share_acknowledge_offset(NULL, "t", 0, 0, 1)));
        printf("subscribe(NULL): %s\n", rd_kafka_err2name(rd_kafka_share_subscribe(NULL, NULL)));
        printf("unsubscribe(NULL): %s\n", rd_kafka_err2name(rd_kafka_share_unsubscribe(NULL)));
        rd_kafka_error_t *e = rd_kafka_share_destroy(NULL);
        printf("destroy(NULL): %s\n", e ? rd_kafka_err2name(rd_kafka_error_code(e)) : "OK");
        if (e)
                rd_kafka_error_destroy(e);
        e = rd_kafka_share_consumer_close(NULL);
        printf("close(NULL): %s\n", e ? rd_kafka_err2name(rd_kafka_error_code(e)) : "OK");
        if (e)
                rd_kafka_error_destroy(e);
        printf("messages_count(NULL): %d\n", (int)rd_kafka_messages_count(NULL));
        rd_kafka_messages_destroy(NULL);
}

static void implicit_mode(void) {
        printf("== implicit: one consumer gets all 10 with delivery count 1\n");
        rd_kafka_share_t *s = share_new("g-implicit", NULL);
        rd_kafka_messages_t *b = NULL;
        rd_kafka_error_t *e = rd_kafka_share_poll(s, 100, &b);
        printf("poll before subscribe: %s: %s\n", e ? rd_kafka_err2name(rd_kafka_error_code(e)) : "OK",
               e ? rd_kafka_error_string(e) : "");
        if (e)
                rd_kafka_error_destroy(e);
        subscribe(s, "s1");
        int got = 0, dc1 = 0;
        double end = now() + 45;
        while (got < 10 && now() < end) {
                rd_kafka_messages_t *b2 = poll_batch(s, 2);
                for (size_t i = 0; b2 && i < rd_kafka_messages_count(b2); i++) {
                        rd_kafka_message_t *m = rd_kafka_messages_get(b2, i);
                        if (m->err)
                                continue;
                        got++;
                        dc1 += rd_kafka_message_delivery_count(m) == 1;
                        if (got == 1) {
                                printf("acknowledge in implicit mode: %s\n",
                                       rd_kafka_err2name(rd_kafka_share_acknowledge(s, m)));
                        }
                }
                rd_kafka_messages_destroy(b2);
        }
        printf("received %d, delivery count 1: %d\n", got, dc1);
        CHECK(got == 10 && dc1 == 10, "got %d dc1 %d", got, dc1);
        printf("acknowledge(NULL message): %s\n", rd_kafka_err2name(rd_kafka_share_acknowledge(s, NULL)));
        rd_kafka_topic_partition_list_t *res = NULL;
        e = rd_kafka_share_commit_sync(s, 5000, &res);
        CHECK(!e, "commit_sync");
        printf("commit_sync: %d partition(s)", res ? res->cnt : -1);
        for (int i = 0; res && i < res->cnt; i++)
                printf(" %s[%d]=%s", res->elems[i].topic, res->elems[i].partition,
                       rd_kafka_err2name(res->elems[i].err));
        printf("\n");
        if (res)
                rd_kafka_topic_partition_list_destroy(res);
        e = rd_kafka_share_consumer_close(s);
        CHECK(!e, "close");
        printf("closed: %d\n", rd_kafka_share_consumer_closed(s));
        e = rd_kafka_share_consumer_close(s);
        printf("close again: %s\n", e ? rd_kafka_err2name(rd_kafka_error_code(e)) : "OK");
        if (e)
                rd_kafka_error_destroy(e);
        rd_kafka_share_destroy(s);
}

static void explicit_mode(void) {
        printf("== explicit: release comes back with delivery count 2, reject never\n");
        rd_kafka_share_t *s = share_new("g-explicit", "explicit");
        subscribe(s, "s1");
        rd_kafka_messages_t *b = poll_batch(s, 45);
        CHECK(b, "first batch");
        if (!b) {
                rd_kafka_share_destroy(s);
                return;
        }
        size_t n = rd_kafka_messages_count(b);
        rd_kafka_messages_t *b2 = NULL;
        rd_kafka_error_t *e = rd_kafka_share_poll(s, 100, &b2);
        printf("poll with unacknowledged records: %s\n", e ? rd_kafka_err2name(rd_kafka_error_code(e)) : "OK");
        CHECK(e && rd_kafka_error_code(e) == RD_KAFKA_RESP_ERR__STATE, "unacked poll");
        if (e)
                rd_kafka_error_destroy(e);
        printf("acknowledge_type(99): %s\n",
               rd_kafka_err2name(rd_kafka_share_acknowledge_type(s, rd_kafka_messages_get(b, 0), 99)));
        printf("acknowledge_offset(unknown): %s\n",
               rd_kafka_err2name(rd_kafka_share_acknowledge_offset(s, "s1", 0, 999999, 1)));
        for (size_t i = 0; i < n; i++) {
                rd_kafka_message_t *m = rd_kafka_messages_get(b, i);
                int t = m->offset < 3 ? 2 /* RELEASE */
                        : m->offset == 3 ? 3 /* REJECT */
                                         : 1 /* ACCEPT */;
                CHECK(rd_kafka_share_acknowledge_type(s, m, t) == 0, "ack %d", (int)m->offset);
        }
        rd_kafka_messages_destroy(b);
        int back = 0, dc2 = 0, rejected_back = 0;
        double end = now() + 45;
        while (back < 3 && now() < end) {
                rd_kafka_messages_t *b3 = poll_batch(s, 2);
                for (size_t i = 0; b3 && i < rd_kafka_messages_count(b3); i++) {
                        rd_kafka_message_t *m = rd_kafka_messages_get(b3, i);
                        if (m->offset < 3) {
                                back++;
                                dc2 += rd_kafka_message_delivery_count(m) == 2;
                        }
                        rejected_back += m->offset == 3;
                        rd_kafka_share_acknowledge(s, m);
                }
                rd_kafka_messages_destroy(b3);
        }
        printf("released back: %d (delivery count 2: %d), rejected back: %d\n", back, dc2, rejected_back);
        CHECK(back == 3 && dc2 == 3 && rejected_back == 0, "release/reject");
        rd_kafka_topic_partition_list_t *res = NULL;
        e = rd_kafka_share_commit_sync(s, 5000, &res);
        printf("commit_sync: %s, %d partition(s)\n", e ? "error" : "OK", res ? res->cnt : 0);
        if (res)
                rd_kafka_topic_partition_list_destroy(res);
        rd_kafka_share_consumer_close(s);
        rd_kafka_share_destroy(s);
}

static void close_without_ack(void) {
        printf("== closed without acknowledging: the records go to the next member\n");
        rd_kafka_share_t *s = share_new("g-close", "explicit");
        subscribe(s, "s1");
        rd_kafka_messages_t *b = poll_batch(s, 45);
        size_t n = b ? rd_kafka_messages_count(b) : 0;
        CHECK(n > 0, "first member got records");
        rd_kafka_messages_destroy(b);
        rd_kafka_share_consumer_close(s);
        rd_kafka_share_destroy(s);
        s = share_new("g-close", "explicit");
        subscribe(s, "s1");
        b = poll_batch(s, 45);
        int dc2 = 0;
        for (size_t i = 0; b && i < rd_kafka_messages_count(b); i++) {
                rd_kafka_message_t *m = rd_kafka_messages_get(b, i);
                dc2 += rd_kafka_message_delivery_count(m) == 2;
                rd_kafka_share_acknowledge(s, m);
        }
        printf("second member: records again with delivery count 2: %s\n", dc2 > 0 ? "yes" : "no");
        CHECK(dc2 > 0, "redelivered");
        rd_kafka_messages_destroy(b);
        rd_kafka_share_consumer_close(s);
        rd_kafka_share_destroy(s);
}

static void two_members(void) {
        printf("== two members of one group share 30 records, each delivered once\n");
        rd_kafka_share_t *s[2] = {share_new("g-two", NULL), share_new("g-two", NULL)};
        static int seen[3][64];
        memset(seen, 0, sizeof(seen));
        subscribe(s[0], "s2");
        subscribe(s[1], "s2");
        int total = 0, dups = 0;
        double end = now() + 45;
        while (total < 30 && now() < end) {
                for (int k = 0; k < 2; k++) {
                        rd_kafka_messages_t *b = NULL;
                        rd_kafka_error_t *e = rd_kafka_share_poll(s[k], 300, &b);
                        if (e)
                                rd_kafka_error_destroy(e);
                        for (size_t i = 0; b && i < rd_kafka_messages_count(b); i++) {
                                rd_kafka_message_t *m = rd_kafka_messages_get(b, i);
                                if (m->err || m->partition < 0 || m->partition > 2 || m->offset >= 64)
                                        continue;
                                /* At least once: a record lent to a member that lost
                                 * its partition comes back (delivery count > 1); a
                                 * repeat as a first delivery is the bug. */
                                if (!seen[m->partition][m->offset]++)
                                        total++;
                                else if (rd_kafka_message_delivery_count(m) == 1)
                                        dups++;
                        }
                        rd_kafka_messages_destroy(b);
                }
        }
        printf("distinct records: %d, first delivery twice: %d\n", total, dups);
        CHECK(total == 30 && dups == 0, "total %d dups %d", total, dups);
        for (int k = 0; k < 2; k++) {
                rd_kafka_share_consumer_close(s[k]);
                rd_kafka_share_destroy(s[k]);
        }
}

static double cpu_seconds(void) {
        struct timespec ts;
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
        return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* An idle member waits: polling 3 s with nothing to fetch must cost little CPU (a
 * member thread that woke for deadlines it could not act on spun a core). */
static void idle_member(void) {
        printf("== an idle member costs little CPU, also while closing\n");
        rd_kafka_share_t *s = share_new("g-idle", NULL);
        subscribe(s, "s1");
        rd_kafka_messages_t *b = poll_batch(s, 45);
        CHECK(b, "records before idling");
        rd_kafka_messages_destroy(b);
        while ((b = poll_batch(s, 1)))
                rd_kafka_messages_destroy(b);
        double t0 = now(), c0 = cpu_seconds();
        while (now() < t0 + 3) {
                b = NULL;
                rd_kafka_error_t *e = rd_kafka_share_poll(s, 500, &b);
                if (e)
                        rd_kafka_error_destroy(e);
                rd_kafka_messages_destroy(b);
        }
        double wall = now() - t0, cpu = cpu_seconds() - c0;
        printf("idle polling: CPU under a third of the time: %s\n", cpu < wall / 3 ? "yes" : "no");
        CHECK(cpu < wall / 3, "idle: %.2f s CPU in %.2f s", cpu, wall);
        t0 = now(), c0 = cpu_seconds();
        rd_kafka_error_t *e = rd_kafka_share_consumer_close(s);
        wall = now() - t0, cpu = cpu_seconds() - c0;
        CHECK(!e, "close");
        if (e)
                rd_kafka_error_destroy(e);
        CHECK(wall < 10 && cpu < wall / 3 + 0.5, "close: %.2f s CPU in %.2f s", cpu, wall);
        rd_kafka_share_destroy(s);
}

int main(int argc, char **argv) {
        if (argc < 2) {
                fprintf(stderr, "usage: %s <bootstrap>\n", argv[0]);
                return 2;
        }
        bootstrap = argv[1];
        setvbuf(stdout, NULL, _IOLBF, 0);
        bad_arguments();
        produce("s1", 1, 10);
        produce("s2", 3, 30);
        implicit_mode();
        explicit_mode();
        close_without_ack();
        two_members();
        idle_member();
        printf("%s (%d failure(s))\n", tu_failed ? "FAILED" : "PASSED", tu_failed);
        return tu_failed ? 1 : 0;
}
