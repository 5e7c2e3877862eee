/* Producer behaviour through librdkafka's public C API, against a 3-broker mock
 * cluster with topics orders:4 and one:1 (other topics are auto-created with 4
 * partitions). Built against Debian's rdkafka.h; passes on genuine librdkafka and is
 * run unchanged on kafkars (LD_LIBRARY_PATH=build/compat).
 *
 *   producer_api <bootstrap>
 *
 * Checks that genuine librdkafka does not promise (NULL arguments) run in a forked
 * child: on genuine a crash is only reported, on kafkars it fails. */
#include <errno.h>
#include <stdarg.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <librdkafka/rdkafka.h>

#include "testutil.h"

static const char *bootstrap;
static int on_kafkars; /* the library under test is kafkars, not genuine librdkafka */
static int rd_version;

/* ---- delivery report collection ---- */

typedef struct {
        rd_kafka_resp_err_t err;
        int32_t partition;
        int64_t offset;
        int64_t ts;
        rd_kafka_timestamp_type_t tstype;
        rd_kafka_msg_status_t status;
        int64_t latency;
        int32_t broker_id;
        void *opaque;
        void *payload;
        size_t len;
        char content[64];
} dr_t;

#define MAX_DRS 512
typedef struct {
        dr_t d[MAX_DRS];
        int cnt;
        int overflow;
} drs_t;

static void dr_msg_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) {
        drs_t *drs = opaque;
        (void)rk;
        if (!drs)
                return;
        if (drs->cnt >= MAX_DRS) {
                drs->overflow++;
                return;
        }
        dr_t *d = &drs->d[drs->cnt++];
        memset(d, 0, sizeof(*d));
        d->err = m->err;
        d->partition = m->partition;
        d->offset = m->offset;
        d->ts = rd_kafka_message_timestamp(m, &d->tstype);
        d->status = rd_kafka_message_status(m);
        d->latency = rd_kafka_message_latency(m);
        d->broker_id = rd_kafka_message_broker_id(m);
        d->opaque = m->_private;
        d->payload = m->payload;
        d->len = m->len;
        if (m->payload) {
                size_t n = m->len < sizeof(d->content) - 1 ? m->len : sizeof(d->content) - 1;
                memcpy(d->content, m->payload, n);
        }
}

/* Creates a producer with dr_msg_cb -> drs (may be NULL: no callback) and
 * NULL-terminated key, value config pairs. */
static rd_kafka_t *new_producer(const char *servers, drs_t *drs, ...) {
        char errstr[512];
        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        va_list ap;
        const char *k, *v;
        if (rd_kafka_conf_set(conf, "bootstrap.servers", servers, errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK) {
                fprintf(stdout, "conf bootstrap.servers: %s\n", errstr);
                rd_kafka_conf_destroy(conf);
                return NULL;
        }
        va_start(ap, drs);
        while ((k = va_arg(ap, const char *))) {
                v = va_arg(ap, const char *);
                if (rd_kafka_conf_set(conf, k, v, errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK) {
                        fprintf(stdout, "conf %s=%s: %s\n", k, v, errstr);
                        va_end(ap);
                        rd_kafka_conf_destroy(conf);
                        return NULL;
                }
        }
        va_end(ap);
        if (drs) {
                memset(drs, 0, sizeof(*drs));
                rd_kafka_conf_set_opaque(conf, drs);
                rd_kafka_conf_set_dr_msg_cb(conf, dr_msg_cb);
        }
        rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        if (!rk) {
                fprintf(stdout, "rd_kafka_new: %s\n", errstr);
                rd_kafka_conf_destroy(conf);
        }
        return rk;
}

/* Polls until drs holds at least n reports or timeout_ms passes. */
static void wait_drs(rd_kafka_t *rk, drs_t *drs, int n, int timeout_ms) {
        int64_t end = tu_now_ms() + timeout_ms;
        while (drs->cnt < n && tu_now_ms() < end)
                rd_kafka_poll(rk, 50);
}

/* Leader of topic/partition from a fresh metadata request, or -1. */
static int32_t leader_of(rd_kafka_t *rk, rd_kafka_topic_t *rkt, int32_t partition) {
        const struct rd_kafka_metadata *md;
        int32_t leader = -1;
        if (rd_kafka_metadata(rk, 0, rkt, &md, 5000) != RD_KAFKA_RESP_ERR_NO_ERROR)
                return -1;
        if (md->topic_cnt == 1 && partition < md->topics[0].partition_cnt)
                leader = md->topics[0].partitions[partition].leader;
        rd_kafka_metadata_destroy(md);
        return leader;
}

/* ---- sections ---- */

static void test_version(void) {
        SECTION("version");
        const char *vs = rd_kafka_version_str();
        int maj = -1, min = -1, rev = -1;
        CHECK(vs != NULL, "version_str NULL");
        CHECK(rd_version >= 0x020000ff, "rd_kafka_version() = 0x%x, want >= 2.0.0", rd_version);
        CHECK(vs && sscanf(vs, "%d.%d.%d", &maj, &min, &rev) == 3, "version_str \"%s\" not M.m.r", vs ? vs : "");
        CHECK(maj == ((rd_version >> 24) & 0xff) && min == ((rd_version >> 16) & 0xff) &&
                  rev == ((rd_version >> 8) & 0xff),
              "version_str %s does not match rd_kafka_version() 0x%x", vs ? vs : "", rd_version);
}

static void test_err_strings(void) {
        SECTION("err2str/err2name");
        static const struct {
                rd_kafka_resp_err_t err;
                const char *name, *str;
        } cases[] = {
            {RD_KAFKA_RESP_ERR_NO_ERROR, "NO_ERROR", "Success"},
            {RD_KAFKA_RESP_ERR__QUEUE_FULL, "_QUEUE_FULL", "Local: Queue full"},
            {RD_KAFKA_RESP_ERR__MSG_TIMED_OUT, "_MSG_TIMED_OUT", "Local: Message timed out"},
            {RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION, "_UNKNOWN_PARTITION", "Local: Unknown partition"},
            {RD_KAFKA_RESP_ERR__PURGE_QUEUE, "_PURGE_QUEUE", "Local: Purged in queue"},
            {RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE, "MSG_SIZE_TOO_LARGE", "Broker: Message size too large"},
            {RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART, "UNKNOWN_TOPIC_OR_PART", "Broker: Unknown topic or partition"},
            {RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION, "NOT_LEADER_FOR_PARTITION", "Broker: Not leader for partition"},
        };
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                const char *n = rd_kafka_err2name(cases[i].err), *s = rd_kafka_err2str(cases[i].err);
                CHECK(n && !strcmp(n, cases[i].name), "err2name(%d) = \"%s\", want \"%s\"", cases[i].err,
                      n ? n : "(null)", cases[i].name);
                CHECK(s && !strcmp(s, cases[i].str), "err2str(%d) = \"%s\", want \"%s\"", cases[i].err,
                      s ? s : "(null)", cases[i].str);
        }
        const char *u = rd_kafka_err2str((rd_kafka_resp_err_t)12345);
        CHECK(u && !strcmp(u, "Err-12345?"), "err2str(12345) = \"%s\", want \"Err-12345?\"", u ? u : "(null)");
        const char *un = rd_kafka_err2name((rd_kafka_resp_err_t)12345);
        CHECK(un && !strcmp(un, "ERR_12345?"), "err2name(12345) = \"%s\", want \"ERR_12345?\"", un ? un : "(null)");
}

static void test_conf_errors(void) {
        SECTION("rd_kafka_conf_set errors");
        char errstr[512];
        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        rd_kafka_conf_res_t r;

        errstr[0] = '\0';
        r = rd_kafka_conf_set(conf, "x", "1", errstr, sizeof(errstr));
        CHECK(r == RD_KAFKA_CONF_UNKNOWN, "unknown property: res %d, want RD_KAFKA_CONF_UNKNOWN", r);
        CHECK(!strcmp(errstr, "No such configuration property: \"x\""), "unknown property errstr \"%s\"", errstr);

        errstr[0] = '\0';
        r = rd_kafka_conf_set(conf, "message.max.bytes", "1", errstr, sizeof(errstr));
        CHECK(r == RD_KAFKA_CONF_INVALID, "out of range: res %d, want RD_KAFKA_CONF_INVALID", r);
        CHECK(strstr(errstr, "message.max.bytes") && strstr(errstr, "1000..1000000000"),
              "out of range errstr \"%s\" should name the property and range 1000..1000000000", errstr);

        errstr[0] = '\0';
        r = rd_kafka_conf_set(conf, "queue.buffering.max.messages", "abc", errstr, sizeof(errstr));
        CHECK(r == RD_KAFKA_CONF_INVALID, "non-integer: res %d, want RD_KAFKA_CONF_INVALID", r);
        CHECK(strstr(errstr, "queue.buffering.max.messages") != NULL, "non-integer errstr \"%s\"", errstr);

        errstr[0] = '\0';
        r = rd_kafka_conf_set(conf, "compression.codec", "bogus", errstr, sizeof(errstr));
        CHECK(r == RD_KAFKA_CONF_INVALID, "bad enum: res %d, want RD_KAFKA_CONF_INVALID", r);
        CHECK(strstr(errstr, "compression.codec") && strstr(errstr, "bogus"),
              "bad enum errstr \"%s\" should name property and value", errstr);

        errstr[0] = '\0';
        r = rd_kafka_conf_set(conf, "enable.idempotence", "maybe", errstr, sizeof(errstr));
        CHECK(r == RD_KAFKA_CONF_INVALID, "bad bool: res %d, want RD_KAFKA_CONF_INVALID", r);
        CHECK(strstr(errstr, "enable.idempotence") != NULL, "bad bool errstr \"%s\"", errstr);

        /* still usable after errors; topic properties pass through the global conf */
        r = rd_kafka_conf_set(conf, "acks", "all", errstr, sizeof(errstr));
        CHECK(r == RD_KAFKA_CONF_OK, "acks=all on global conf: res %d (%s)", r, errstr);
        r = rd_kafka_conf_set(conf, "compression.codec", "lz4", errstr, sizeof(errstr));
        CHECK(r == RD_KAFKA_CONF_OK, "compression.codec=lz4: res %d (%s)", r, errstr);

        rd_kafka_topic_conf_t *tconf = rd_kafka_topic_conf_new();
        errstr[0] = '\0';
        r = rd_kafka_topic_conf_set(tconf, "acks", "banana", errstr, sizeof(errstr));
        CHECK(r == RD_KAFKA_CONF_INVALID, "topic acks=banana: res %d", r);
        errstr[0] = '\0';
        r = rd_kafka_topic_conf_set(tconf, "nope.nope", "1", errstr, sizeof(errstr));
        CHECK(r == RD_KAFKA_CONF_UNKNOWN, "unknown topic property: res %d", r);
        CHECK(!strcmp(errstr, "No such configuration property: \"nope.nope\""), "topic unknown errstr \"%s\"", errstr);
        rd_kafka_topic_conf_destroy(tconf);
        rd_kafka_conf_destroy(conf);
}

/* Runs one NULL-argument call in a child: 0 = returned an error, 1 = returned
 * success, 2 = crashed. */
static int run_child(int (*fn)(void)) {
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0) {
                signal(SIGABRT, SIG_DFL);
                _exit(fn() ? 0 : 1);
        }
        int st = 0;
        if (pid < 0 || waitpid(pid, &st, 0) < 0)
                return 2;
        if (WIFSIGNALED(st))
                return 2;
        return WEXITSTATUS(st) == 0 ? 0 : 1;
}

static char nerr[256];
/* Each returns non-zero when the call reported an error as documented. */
static int n_produce(void) {
        return rd_kafka_produce(NULL, 0, RD_KAFKA_MSG_F_COPY, "x", 1, NULL, 0, NULL) == -1;
}
static int n_produce_batch(void) {
        rd_kafka_message_t m = {0};
        return rd_kafka_produce_batch(NULL, 0, RD_KAFKA_MSG_F_COPY, &m, 1) == 0;
}
static int n_producev(void) {
        return rd_kafka_producev(NULL, RD_KAFKA_V_TOPIC("t"), RD_KAFKA_V_VALUE("x", 1), RD_KAFKA_V_END) != 0;
}
static int n_topic_new(void) { return rd_kafka_topic_new(NULL, "t", NULL) == NULL; }
static int n_conf_set(void) { return rd_kafka_conf_set(NULL, "acks", "1", nerr, sizeof(nerr)) != RD_KAFKA_CONF_OK; }
static int n_conf_set_name(void) {
        rd_kafka_conf_t *c = rd_kafka_conf_new();
        int ok = rd_kafka_conf_set(c, NULL, "1", nerr, sizeof(nerr)) != RD_KAFKA_CONF_OK;
        rd_kafka_conf_destroy(c);
        return ok;
}
static int n_topic_conf_set(void) {
        return rd_kafka_topic_conf_set(NULL, "acks", "1", nerr, sizeof(nerr)) != RD_KAFKA_CONF_OK;
}
static int n_poll(void) { return rd_kafka_poll(NULL, 0) == 0; }
static int n_flush(void) { return rd_kafka_flush(NULL, 0) != RD_KAFKA_RESP_ERR_NO_ERROR; }
static int n_outq_len(void) { return rd_kafka_outq_len(NULL) == 0; }
static int n_purge(void) { return rd_kafka_purge(NULL, RD_KAFKA_PURGE_F_QUEUE) != RD_KAFKA_RESP_ERR_NO_ERROR; }
static int n_metadata(void) {
        const struct rd_kafka_metadata *md = NULL;
        return rd_kafka_metadata(NULL, 1, NULL, &md, 100) != RD_KAFKA_RESP_ERR_NO_ERROR && md == NULL;
}
static int n_msg_timestamp(void) {
        rd_kafka_timestamp_type_t t = RD_KAFKA_TIMESTAMP_CREATE_TIME;
        return rd_kafka_message_timestamp(NULL, &t) == -1 && t == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE;
}
static int n_msg_latency(void) { return rd_kafka_message_latency(NULL) == -1; }
static int n_msg_broker_id(void) { return rd_kafka_message_broker_id(NULL) == -1; }
static int n_msg_errstr(void) { return rd_kafka_message_errstr(NULL) == NULL; }
static int n_queue_poll(void) { return rd_kafka_queue_poll(NULL, 0) == NULL; }
static int n_queue_get_main(void) { return rd_kafka_queue_get_main(NULL) == NULL; }
static int n_event_type(void) { return rd_kafka_event_type(NULL) == RD_KAFKA_EVENT_NONE; }
static int n_event_destroy(void) {
        rd_kafka_event_destroy(NULL);
        return 1;
}
static int n_destroy(void) {
        rd_kafka_destroy(NULL);
        return 1;
}
static int n_topic_destroy(void) {
        rd_kafka_topic_destroy(NULL);
        return 1;
}
static int n_conf_destroy(void) {
        rd_kafka_conf_destroy(NULL);
        return 1;
}
static int n_metadata_destroy(void) {
        rd_kafka_metadata_destroy(NULL);
        return 1;
}
static int n_topic_name(void) {
        /* NULL or "" are both fine: callers print it */
        const char *n = rd_kafka_topic_name(NULL);
        return n == NULL || n[0] == '\0';
}
static int n_set_dr_cb(void) {
        rd_kafka_conf_set_dr_msg_cb(NULL, dr_msg_cb);
        return 1;
}

static void test_null_args(void) {
        SECTION("NULL handles and pointers");
        static const struct {
                const char *what;
                int (*fn)(void);
        } cases[] = {
            {"rd_kafka_produce(NULL, ...) == -1", n_produce},
            {"rd_kafka_produce_batch(NULL, ...) == 0", n_produce_batch},
            {"rd_kafka_producev(NULL, ...) != 0", n_producev},
            {"rd_kafka_topic_new(NULL, ...) == NULL", n_topic_new},
            {"rd_kafka_conf_set(NULL, ...) != OK", n_conf_set},
            {"rd_kafka_conf_set(conf, NULL name, ...) != OK", n_conf_set_name},
            {"rd_kafka_topic_conf_set(NULL, ...) != OK", n_topic_conf_set},
            {"rd_kafka_poll(NULL, 0) == 0", n_poll},
            {"rd_kafka_flush(NULL, 0) != 0", n_flush},
            {"rd_kafka_outq_len(NULL) == 0", n_outq_len},
            {"rd_kafka_purge(NULL, QUEUE) != 0", n_purge},
            {"rd_kafka_metadata(NULL, ...) != 0", n_metadata},
            {"rd_kafka_message_timestamp(NULL, &t) == -1, t = NOT_AVAILABLE", n_msg_timestamp},
            {"rd_kafka_message_latency(NULL) == -1", n_msg_latency},
            {"rd_kafka_message_broker_id(NULL) == -1", n_msg_broker_id},
            {"rd_kafka_message_errstr(NULL) == NULL", n_msg_errstr},
            {"rd_kafka_queue_poll(NULL, 0) == NULL", n_queue_poll},
            {"rd_kafka_queue_get_main(NULL) == NULL", n_queue_get_main},
            {"rd_kafka_event_type(NULL) == NONE", n_event_type},
            {"rd_kafka_event_destroy(NULL) no crash", n_event_destroy},
            {"rd_kafka_destroy(NULL) no crash", n_destroy},
            {"rd_kafka_topic_destroy(NULL) no crash", n_topic_destroy},
            {"rd_kafka_conf_destroy(NULL) no crash", n_conf_destroy},
            {"rd_kafka_metadata_destroy(NULL) no crash", n_metadata_destroy},
            {"rd_kafka_topic_name(NULL) is NULL or \"\"", n_topic_name},
            {"rd_kafka_conf_set_dr_msg_cb(NULL, cb) no crash", n_set_dr_cb},
        };
        static const char *outcome[] = {"returned an error", "returned success", "crashed"};
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                int r = run_child(cases[i].fn);
                if (on_kafkars)
                        CHECK(r == 0, "%s: %s", cases[i].what, outcome[r]);
                else if (r != 0)
                        SKIP("genuine librdkafka: %s %s (NULL is not part of its contract)", cases[i].what,
                             outcome[r]);
                else
                        CHECK(1, "ok");
        }
}

static void test_metadata(void) {
        SECTION("rd_kafka_metadata");
        rd_kafka_t *rk = new_producer(bootstrap, NULL, NULL);
        CHECK(rk != NULL, "producer");
        if (!rk)
                return;
        const struct rd_kafka_metadata *md = NULL;
        rd_kafka_resp_err_t err = rd_kafka_metadata(rk, 1, NULL, &md, 5000);
        CHECK(err == RD_KAFKA_RESP_ERR_NO_ERROR, "metadata(all): %s", rd_kafka_err2name(err));
        if (!err && md) {
                CHECK(md->broker_cnt == 3, "broker_cnt %d, want 3", md->broker_cnt);
                int ids = 0;
                for (int i = 0; i < md->broker_cnt; i++) {
                        const struct rd_kafka_metadata_broker *b = &md->brokers[i];
                        if (b->id >= 1 && b->id <= 3)
                                ids |= 1 << b->id;
                        CHECK(b->host && !strcmp(b->host, "127.0.0.1"), "broker %d host %s", b->id,
                              b->host ? b->host : "(null)");
                        CHECK(b->port > 0 && b->port < 65536, "broker %d port %d", b->id, b->port);
                }
                CHECK(ids == 0xe, "broker ids should be 1,2,3 (mask 0x%x)", ids);
                CHECK(md->orig_broker_id >= 1 && md->orig_broker_id <= 3, "orig_broker_id %d", md->orig_broker_id);
                CHECK(md->orig_broker_name != NULL && md->orig_broker_name[0], "orig_broker_name empty");
                int seen_orders = 0, seen_one = 0;
                for (int t = 0; t < md->topic_cnt; t++) {
                        const struct rd_kafka_metadata_topic *tp = &md->topics[t];
                        CHECK(tp->topic != NULL, "topic name NULL");
                        if (!tp->topic)
                                continue;
                        int want = !strcmp(tp->topic, "orders") ? 4 : !strcmp(tp->topic, "one") ? 1 : -1;
                        if (want < 0)
                                continue;
                        if (want == 4)
                                seen_orders = 1;
                        else
                                seen_one = 1;
                        CHECK(tp->err == 0, "topic %s err %s", tp->topic, rd_kafka_err2name(tp->err));
                        CHECK(tp->partition_cnt == want, "topic %s partition_cnt %d, want %d", tp->topic,
                              tp->partition_cnt, want);
                        for (int p = 0; p < tp->partition_cnt; p++) {
                                const struct rd_kafka_metadata_partition *pp = &tp->partitions[p];
                                CHECK(pp->id == p, "%s partition[%d].id %d", tp->topic, p, pp->id);
                                CHECK(pp->err == 0, "%s [%d] err %s", tp->topic, p, rd_kafka_err2name(pp->err));
                                CHECK(pp->leader >= 1 && pp->leader <= 3, "%s [%d] leader %d", tp->topic, p,
                                      pp->leader);
                                CHECK(pp->replica_cnt == (want == 4 ? 3 : 3) && pp->replicas,
                                      "%s [%d] replica_cnt %d", tp->topic, p, pp->replica_cnt);
                                CHECK(pp->isr_cnt >= 1 && pp->isrs, "%s [%d] isr_cnt %d", tp->topic, p, pp->isr_cnt);
                                int leader_in_replicas = 0;
                                for (int r = 0; r < pp->replica_cnt && pp->replicas; r++)
                                        leader_in_replicas |= pp->replicas[r] == pp->leader;
                                CHECK(leader_in_replicas, "%s [%d] leader %d not among replicas", tp->topic, p,
                                      pp->leader);
                        }
                }
                CHECK(seen_orders && seen_one, "all-topics metadata lacks orders/one (%d topics)", md->topic_cnt);
                rd_kafka_metadata_destroy(md);
        }

        rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, "orders", NULL);
        md = NULL;
        err = rd_kafka_metadata(rk, 0, rkt, &md, 5000);
        CHECK(err == RD_KAFKA_RESP_ERR_NO_ERROR, "metadata(orders): %s", rd_kafka_err2name(err));
        if (!err && md) {
                CHECK(md->topic_cnt == 1, "one-topic metadata topic_cnt %d", md->topic_cnt);
                if (md->topic_cnt == 1) {
                        CHECK(!strcmp(md->topics[0].topic, "orders"), "topic %s", md->topics[0].topic);
                        CHECK(md->topics[0].partition_cnt == 4, "partition_cnt %d", md->topics[0].partition_cnt);
                }
                CHECK(md->broker_cnt == 3, "broker_cnt %d", md->broker_cnt);
                rd_kafka_metadata_destroy(md);
        }
        rd_kafka_topic_destroy(rkt);
        rd_kafka_destroy(rk);
}

static void test_dr_fields(void) {
        SECTION("dr_msg_cb fields (producev, timestamp, opaque)");
        static drs_t drs;
        rd_kafka_t *rk = new_producer(bootstrap, &drs, "linger.ms", "5", NULL);
        CHECK(rk != NULL, "producer");
        if (!rk)
                return;
        const char *topic = "c_dr_fields";
        int64_t ts = tu_now_ms() - 123456;
        int opq[3];
        for (int i = 0; i < 3; i++) {
                char val[16];
                int n = snprintf(val, sizeof(val), "v%d", i);
                rd_kafka_resp_err_t err = rd_kafka_producev(
                    rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_PARTITION(1), RD_KAFKA_V_VALUE(val, (size_t)n),
                    RD_KAFKA_V_KEY("k", 1), RD_KAFKA_V_TIMESTAMP(ts + i), RD_KAFKA_V_OPAQUE(&opq[i]),
                    RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
                CHECK(err == 0, "producev %d: %s", i, rd_kafka_err2name(err));
        }
        rd_kafka_resp_err_t ferr = rd_kafka_flush(rk, 10000);
        CHECK(ferr == 0, "flush: %s", rd_kafka_err2name(ferr));
        CHECK(rd_kafka_outq_len(rk) == 0, "outq_len %d after flush", rd_kafka_outq_len(rk));
        CHECK(drs.cnt == 3, "DR count %d, want 3", drs.cnt);
        rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, topic, NULL);
        int32_t leader = leader_of(rk, rkt, 1);
        rd_kafka_topic_destroy(rkt);
        for (int i = 0; i < drs.cnt && i < 3; i++) {
                dr_t *d = &drs.d[i];
                char want[16];
                snprintf(want, sizeof(want), "v%d", i);
                CHECK(d->err == 0, "DR %d err %s", i, rd_kafka_err2name(d->err));
                CHECK(d->partition == 1, "DR %d partition %d, want 1", i, d->partition);
                CHECK(d->offset == drs.d[0].offset + i && d->offset >= 0, "DR %d offset %lld (first %lld)", i,
                      (long long)d->offset, (long long)drs.d[0].offset);
                /* A broker that reports a LogAppendTime in its ProduceResponse (the mock
                 * cluster does: 1234) overrides the CreateTime in the DR, on librdkafka too;
                 * against a CreateTime broker the given value must come back. */
                if (d->tstype == RD_KAFKA_TIMESTAMP_LOG_APPEND_TIME)
                        CHECK(d->ts > 0 && d->ts == drs.d[0].ts && d->ts != ts + i,
                              "DR %d LogAppendTime %lld (first DR %lld)", i, (long long)d->ts,
                              (long long)drs.d[0].ts);
                else
                        CHECK(d->ts == ts + i && d->tstype == RD_KAFKA_TIMESTAMP_CREATE_TIME,
                              "DR %d timestamp %lld type %d, want %lld CREATE_TIME", i, (long long)d->ts,
                              d->tstype, (long long)(ts + i));
                CHECK(d->status == RD_KAFKA_MSG_STATUS_PERSISTED, "DR %d status %d, want PERSISTED", i, d->status);
                CHECK(d->latency > 0, "DR %d latency %lld, want > 0", i, (long long)d->latency);
                CHECK(d->broker_id == leader && leader > 0, "DR %d broker_id %d, partition leader %d", i,
                      d->broker_id, leader);
                CHECK(d->opaque == &opq[i], "DR %d opaque %p, want %p", i, d->opaque, (void *)&opq[i]);
                CHECK(!strcmp(d->content, want) && d->len == strlen(want), "DR %d payload \"%s\" len %zu", i,
                      d->content, d->len);
        }
        rd_kafka_destroy(rk);
}

static void test_produce_flags(void) {
        SECTION("rd_kafka_produce F_FREE / F_COPY / no-copy, UA partitioner");
        static drs_t drs;
        rd_kafka_t *rk = new_producer(bootstrap, &drs, NULL);
        CHECK(rk != NULL, "producer");
        if (!rk)
                return;
        rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, "orders", NULL);
        CHECK(rkt != NULL, "topic_new");
        CHECK(rkt && !strcmp(rd_kafka_topic_name(rkt), "orders"), "topic_name");

        /* F_FREE: the library owns and frees the buffer (valgrind checks it) */
        char *owned = malloc(32);
        strcpy(owned, "freed-by-library");
        int r = rd_kafka_produce(rkt, 0, RD_KAFKA_MSG_F_FREE, owned, strlen(owned), "kf", 2, (void *)1);
        CHECK(r == 0, "produce F_FREE: %d (%s)", r, rd_kafka_err2name(rd_kafka_last_error()));
        if (r != 0)
                free(owned);

        /* F_COPY: caller may reuse the buffer at once */
        char buf[32];
        strcpy(buf, "copied");
        r = rd_kafka_produce(rkt, 1, RD_KAFKA_MSG_F_COPY, buf, strlen(buf), NULL, 0, (void *)2);
        CHECK(r == 0, "produce F_COPY: %d", r);
        memset(buf, 'X', sizeof(buf) - 1);

        /* no copy: buffer stays ours and must live until its DR; DR hands it back */
        static char keep[] = "not-copied";
        r = rd_kafka_produce(rkt, 2, 0, keep, strlen(keep), NULL, 0, (void *)3);
        CHECK(r == 0, "produce no-copy: %d", r);

        /* UA with a key: partitioner picks one */
        r = rd_kafka_produce(rkt, RD_KAFKA_PARTITION_UA, RD_KAFKA_MSG_F_COPY, "ua", 2, "some-key", 8, (void *)4);
        CHECK(r == 0, "produce UA: %d", r);

        CHECK(rd_kafka_flush(rk, 10000) == 0, "flush");
        CHECK(drs.cnt == 4, "DR count %d, want 4", drs.cnt);
        for (int i = 0; i < drs.cnt; i++) {
                dr_t *d = &drs.d[i];
                intptr_t id = (intptr_t)d->opaque;
                CHECK(d->err == 0, "DR opaque %ld err %s", (long)id, rd_kafka_err2name(d->err));
                if (id == 1)
                        CHECK(!strcmp(d->content, "freed-by-library") && d->partition == 0, "F_FREE DR \"%s\" p%d",
                              d->content, d->partition);
                else if (id == 2)
                        CHECK(!strcmp(d->content, "copied") && d->partition == 1 && d->payload != buf,
                              "F_COPY DR \"%s\" p%d payload %p (caller buf %p)", d->content, d->partition, d->payload,
                              (void *)buf);
                else if (id == 3)
                        CHECK(d->payload == keep && d->len == strlen(keep) && d->partition == 2,
                              "no-copy DR payload %p len %zu, want caller's %p", d->payload, d->len, (void *)keep);
                else if (id == 4)
                        CHECK(d->partition >= 0 && d->partition < 4 && !strcmp(d->content, "ua"),
                              "UA DR partition %d", d->partition);
                else
                        CHECK(0, "DR with unexpected opaque %p", d->opaque);
        }
        rd_kafka_topic_destroy(rkt);
        rd_kafka_destroy(rk);
}

static void test_produce_batch(void) {
        SECTION("rd_kafka_produce_batch");
        static drs_t drs;
        rd_kafka_t *rk = new_producer(bootstrap, &drs, NULL);
        CHECK(rk != NULL, "producer");
        if (!rk)
                return;
        rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, "c_batch", NULL);
        rd_kafka_message_t msgs[8];
        char vals[8][8];
        memset(msgs, 0, sizeof(msgs));
        for (int i = 0; i < 8; i++) {
                snprintf(vals[i], sizeof(vals[i]), "b%d", i);
                msgs[i].payload = vals[i];
                msgs[i].len = strlen(vals[i]);
                msgs[i].partition = i % 4;
                msgs[i]._private = (void *)(intptr_t)(100 + i);
        }
        /* F_PARTITION: each message's own partition field */
        int n = rd_kafka_produce_batch(rkt, RD_KAFKA_PARTITION_UA, RD_KAFKA_MSG_F_COPY | RD_KAFKA_MSG_F_PARTITION,
                                       msgs, 8);
        CHECK(n == 8, "produce_batch F_PARTITION enqueued %d, want 8", n);
        for (int i = 0; i < 8; i++)
                CHECK(msgs[i].err == 0, "msgs[%d].err %s", i, rd_kafka_err2name(msgs[i].err));
        CHECK(rd_kafka_flush(rk, 10000) == 0, "flush");
        CHECK(drs.cnt == 8, "DR count %d, want 8", drs.cnt);
        for (int i = 0; i < drs.cnt; i++) {
                int id = (int)(intptr_t)drs.d[i].opaque - 100;
                CHECK(id >= 0 && id < 8 && drs.d[i].partition == id % 4 && drs.d[i].err == 0,
                      "F_PARTITION DR id %d partition %d err %s", id, drs.d[i].partition, rd_kafka_err2name(drs.d[i].err));
        }

        /* without F_PARTITION: the partition argument wins */
        drs.cnt = 0;
        for (int i = 0; i < 8; i++)
                msgs[i].partition = i % 4;
        n = rd_kafka_produce_batch(rkt, 2, RD_KAFKA_MSG_F_COPY, msgs, 8);
        CHECK(n == 8, "produce_batch(partition 2) enqueued %d, want 8", n);
        CHECK(rd_kafka_flush(rk, 10000) == 0, "flush");
        CHECK(drs.cnt == 8, "DR count %d, want 8", drs.cnt);
        int64_t prev = -1;
        for (int i = 0; i < drs.cnt; i++) {
                CHECK(drs.d[i].partition == 2 && drs.d[i].err == 0, "DR %d partition %d err %s", i,
                      drs.d[i].partition, rd_kafka_err2name(drs.d[i].err));
                CHECK(drs.d[i].offset > prev, "DR %d offset %lld not increasing", i, (long long)drs.d[i].offset);
                prev = drs.d[i].offset;
        }
        rd_kafka_topic_destroy(rkt);
        rd_kafka_destroy(rk);
}

static void test_unknown_partition(void) {
        SECTION("explicit invalid partition");
        static drs_t drs;
        rd_kafka_t *rk = new_producer(bootstrap, &drs, NULL);
        CHECK(rk != NULL, "producer");
        if (!rk)
                return;
        /* metadata known: one delivered message proves the handle has it */
        rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, "orders", NULL);
        CHECK(rd_kafka_produce(rkt, 3, RD_KAFKA_MSG_F_COPY, "ok", 2, NULL, 0, NULL) == 0, "produce p3");
        CHECK(rd_kafka_flush(rk, 10000) == 0, "flush");
        CHECK(drs.cnt == 1 && drs.d[0].err == 0, "first DR cnt %d err %s", drs.cnt,
              drs.cnt ? rd_kafka_err2name(drs.d[0].err) : "-");
        errno = 0;
        int r = rd_kafka_produce(rkt, 4, RD_KAFKA_MSG_F_COPY, "bad", 3, NULL, 0, NULL);
        int e = errno;
        CHECK(r == -1, "produce to partition 4 of 4 returned %d, want -1", r);
        CHECK(rd_kafka_last_error() == RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION, "last_error %s, want _UNKNOWN_PARTITION",
              rd_kafka_err2name(rd_kafka_last_error()));
        CHECK(e == ESRCH, "errno %d (%s), want ESRCH", e, strerror(e));
        rd_kafka_resp_err_t err = rd_kafka_producev(rk, RD_KAFKA_V_RKT(rkt), RD_KAFKA_V_PARTITION(17),
                                                    RD_KAFKA_V_VALUE("bad", 3), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                                                    RD_KAFKA_V_END);
        CHECK(err == RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION, "producev partition 17: %s", rd_kafka_err2name(err));
        rd_kafka_topic_destroy(rkt);

        /* metadata not yet known: the message waits, then fails by DR */
        char topic[64];
        snprintf(topic, sizeof(topic), "c_fresh_%d", (int)getpid());
        drs.cnt = 0;
        rkt = rd_kafka_topic_new(rk, topic, NULL);
        r = rd_kafka_produce(rkt, 9, RD_KAFKA_MSG_F_COPY, "late", 4, NULL, 0, (void *)9);
        CHECK(r == 0, "produce to unknown topic partition 9 returned %d (%s), want 0 (fails later by DR)", r,
              rd_kafka_err2name(rd_kafka_last_error()));
        if (r == 0) {
                rd_kafka_flush(rk, 10000);
                CHECK(drs.cnt == 1, "DR count %d, want 1", drs.cnt);
                CHECK(drs.cnt >= 1 && drs.d[0].err == RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION &&
                          drs.d[0].opaque == (void *)9,
                      "DR err %s, want _UNKNOWN_PARTITION", drs.cnt ? rd_kafka_err2name(drs.d[0].err) : "-");
                CHECK(drs.cnt >= 1 && drs.d[0].status == RD_KAFKA_MSG_STATUS_NOT_PERSISTED, "DR status %d",
                      drs.cnt ? (int)drs.d[0].status : -1);
        }
        rd_kafka_topic_destroy(rkt);
        rd_kafka_destroy(rk);
}

static void test_oversize(void) {
        SECTION("oversize message");
        static drs_t drs;
        rd_kafka_t *rk = new_producer(bootstrap, &drs, "message.max.bytes", "10000", NULL);
        CHECK(rk != NULL, "producer");
        if (!rk)
                return;
        rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, "orders", NULL);
        char *big = malloc(20000);
        memset(big, 'b', 20000);
        errno = 0;
        int r = rd_kafka_produce(rkt, 0, RD_KAFKA_MSG_F_FREE, big, 20000, NULL, 0, NULL);
        int e = errno;
        CHECK(r == -1, "produce 20000 bytes with message.max.bytes=10000 returned %d", r);
        CHECK(rd_kafka_last_error() == RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE, "last_error %s",
              rd_kafka_err2name(rd_kafka_last_error()));
        CHECK(e == EMSGSIZE, "errno %d (%s), want EMSGSIZE", e, strerror(e));
        /* the payload is still ours: writing and freeing it must be clean under valgrind */
        big[0] = 'c';
        if (r == -1)
                free(big);
        rd_kafka_resp_err_t err = rd_kafka_producev(rk, RD_KAFKA_V_TOPIC("orders"), RD_KAFKA_V_VALUE(NULL, 0),
                                                    RD_KAFKA_V_END);
        CHECK(err == 0, "empty-value producev after the oversize one: %s", rd_kafka_err2name(err));
        char *big2 = calloc(1, 20000);
        err = rd_kafka_producev(rk, RD_KAFKA_V_TOPIC("orders"), RD_KAFKA_V_VALUE(big2, 20000),
                                RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_FREE), RD_KAFKA_V_END);
        CHECK(err == RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE, "producev 20000 bytes: %s", rd_kafka_err2name(err));
        if (err)
                free(big2);
        CHECK(rd_kafka_flush(rk, 10000) == 0, "flush");
        CHECK(drs.cnt == 1 && drs.d[0].err == 0, "DRs %d (only the empty message)", drs.cnt);
        rd_kafka_topic_destroy(rkt);
        rd_kafka_destroy(rk);
}

static void test_queue_full(void) {
        SECTION("queue.buffering.max.messages");
        static drs_t drs;
        rd_kafka_t *rk = new_producer(bootstrap, &drs, "queue.buffering.max.messages", "10", NULL);
        CHECK(rk != NULL, "producer");
        if (!rk)
                return;
        rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, "orders", NULL);
        int ok = 0;
        for (int i = 0; i < 10; i++)
                ok += rd_kafka_produce(rkt, RD_KAFKA_PARTITION_UA, RD_KAFKA_MSG_F_COPY, "q", 1, NULL, 0, NULL) == 0;
        CHECK(ok == 10, "%d of 10 accepted", ok);
        CHECK(rd_kafka_outq_len(rk) == 10, "outq_len %d, want 10", rd_kafka_outq_len(rk));
        errno = 0;
        int r = rd_kafka_produce(rkt, RD_KAFKA_PARTITION_UA, RD_KAFKA_MSG_F_COPY, "q", 1, NULL, 0, NULL);
        int e = errno;
        CHECK(r == -1 && rd_kafka_last_error() == RD_KAFKA_RESP_ERR__QUEUE_FULL, "11th: %d %s, want _QUEUE_FULL", r,
              rd_kafka_err2name(rd_kafka_last_error()));
        CHECK(e == ENOBUFS, "errno %d (%s), want ENOBUFS", e, strerror(e));
        rd_kafka_resp_err_t err =
            rd_kafka_producev(rk, RD_KAFKA_V_RKT(rkt), RD_KAFKA_V_VALUE("q", 1), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                              RD_KAFKA_V_END);
        CHECK(err == RD_KAFKA_RESP_ERR__QUEUE_FULL, "producev when full: %s", rd_kafka_err2name(err));
        CHECK(rd_kafka_flush(rk, 10000) == 0, "flush");
        CHECK(drs.cnt == 10, "DRs %d, want 10", drs.cnt);
        r = rd_kafka_produce(rkt, RD_KAFKA_PARTITION_UA, RD_KAFKA_MSG_F_COPY, "q", 1, NULL, 0, NULL);
        CHECK(r == 0, "produce after flush: %d %s", r, rd_kafka_err2name(rd_kafka_last_error()));
        CHECK(rd_kafka_flush(rk, 10000) == 0, "flush");
        CHECK(drs.cnt == 11, "DRs %d, want 11", drs.cnt);
        rd_kafka_topic_destroy(rkt);
        rd_kafka_destroy(rk);
}

static void test_dr_only_error(void) {
        SECTION("delivery.report.only.error");
        static drs_t drs;
        rd_kafka_t *rk = new_producer(bootstrap, &drs, "delivery.report.only.error", "true", NULL);
        CHECK(rk != NULL, "producer");
        if (!rk)
                return;
        for (int i = 0; i < 5; i++)
                CHECK(rd_kafka_producev(rk, RD_KAFKA_V_TOPIC("orders"), RD_KAFKA_V_VALUE("s", 1),
                                        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END) == 0,
                      "producev %d", i);
        char topic[64];
        snprintf(topic, sizeof(topic), "c_onlyerr_%d", (int)getpid());
        CHECK(rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_PARTITION(40), RD_KAFKA_V_VALUE("f", 1),
                                RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END) == 0,
              "producev to unknown partition of unknown topic");
        CHECK(rd_kafka_flush(rk, 10000) == 0, "flush");
        rd_kafka_poll(rk, 100);
        CHECK(drs.cnt == 1, "DRs %d, want 1 (the failed message only)", drs.cnt);
        CHECK(drs.cnt < 1 || drs.d[0].err == RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION, "DR err %s",
              rd_kafka_err2name(drs.d[0].err));
        CHECK(rd_kafka_outq_len(rk) == 0, "outq_len %d", rd_kafka_outq_len(rk));
        rd_kafka_destroy(rk);
}

static void test_timeout_unreachable(void) {
        SECTION("message.timeout.ms with no reachable broker");
        static drs_t drs;
        rd_kafka_t *rk = new_producer("127.0.0.1:1", &drs, "message.timeout.ms", "1000", NULL);
        CHECK(rk != NULL, "producer");
        if (!rk)
                return;
        int ids[5];
        int64_t ts = tu_now_ms() - 777000;
        for (int i = 0; i < 5; i++) {
                ids[i] = i;
                CHECK(rd_kafka_producev(rk, RD_KAFKA_V_TOPIC("orders"), RD_KAFKA_V_PARTITION(i == 4 ? RD_KAFKA_PARTITION_UA : i),
                                        RD_KAFKA_V_VALUE("t", 1), RD_KAFKA_V_OPAQUE(&ids[i]), RD_KAFKA_V_TIMESTAMP(ts + i),
                                        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END) == 0,
                      "producev %d", i);
        }
        int64_t t0 = tu_now_ms();
        wait_drs(rk, &drs, 5, 10000);
        int64_t took = tu_now_ms() - t0;
        rd_kafka_poll(rk, 500); /* any duplicate would show up now */
        CHECK(drs.cnt == 5, "DRs %d, want 5", drs.cnt);
        CHECK(took >= 500 && took < 8000, "timed out after %lld ms (message.timeout.ms 1000)", (long long)took);
        int seen[5] = {0};
        for (int i = 0; i < drs.cnt; i++) {
                dr_t *d = &drs.d[i];
                CHECK(d->err == RD_KAFKA_RESP_ERR__MSG_TIMED_OUT, "DR %d err %s, want _MSG_TIMED_OUT", i,
                      rd_kafka_err2name(d->err));
                CHECK(d->status == RD_KAFKA_MSG_STATUS_NOT_PERSISTED, "DR %d status %d", i, d->status);
                int id = d->opaque ? *(int *)d->opaque : -1;
                if (id >= 0 && id < 5) {
                        seen[id]++;
                        /* librdkafka reports no timestamp for a failed message */
                        CHECK(d->ts == -1 && d->tstype == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE,
                              "DR %d timestamp %lld type %d, want -1 NOT_AVAILABLE (failed message)", i,
                              (long long)d->ts, d->tstype);
                        CHECK(d->latency > 0, "DR %d latency %lld", i, (long long)d->latency);
                        CHECK(d->broker_id == -1, "DR %d broker_id %d, want -1 (never sent)", i, d->broker_id);
                }
        }
        for (int i = 0; i < 5; i++)
                CHECK(seen[i] == 1, "message %d got %d DRs, want exactly 1", i, seen[i]);
        CHECK(rd_kafka_outq_len(rk) == 0, "outq_len %d", rd_kafka_outq_len(rk));
        rd_kafka_destroy(rk);
}

static void test_purge(void) {
        SECTION("rd_kafka_purge(QUEUE)");
        static drs_t drs;
        rd_kafka_t *rk = new_producer("127.0.0.1:1", &drs, "message.timeout.ms", "60000", NULL);
        CHECK(rk != NULL, "producer");
        if (!rk)
                return;
        for (int i = 0; i < 6; i++)
                CHECK(rd_kafka_producev(rk, RD_KAFKA_V_TOPIC("orders"), RD_KAFKA_V_PARTITION(i % 3 - 1),
                                        RD_KAFKA_V_VALUE("p", 1), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                                        RD_KAFKA_V_END) == 0,
                      "producev %d", i);
        rd_kafka_poll(rk, 100);
        CHECK(drs.cnt == 0, "DRs before purge %d", drs.cnt);
        rd_kafka_resp_err_t err = rd_kafka_purge(rk, RD_KAFKA_PURGE_F_QUEUE);
        CHECK(err == 0, "purge: %s", rd_kafka_err2name(err));
        wait_drs(rk, &drs, 6, 5000);
        CHECK(drs.cnt == 6, "DRs after purge %d, want 6", drs.cnt);
        for (int i = 0; i < drs.cnt; i++)
                CHECK(drs.d[i].err == RD_KAFKA_RESP_ERR__PURGE_QUEUE, "DR %d err %s, want _PURGE_QUEUE", i,
                      rd_kafka_err2name(drs.d[i].err));
        CHECK(rd_kafka_outq_len(rk) == 0, "outq_len %d after purge", rd_kafka_outq_len(rk));
        CHECK(rd_kafka_flush(rk, 1000) == 0, "flush after purge");
        rd_kafka_destroy(rk);
}

static void test_event_api(void) {
        SECTION("event API: RD_KAFKA_EVENT_DR on the main queue");
        char errstr[512];
        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap, errstr, sizeof(errstr));
        rd_kafka_conf_set_events(conf, RD_KAFKA_EVENT_DR);
        rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        CHECK(rk != NULL, "rd_kafka_new: %s", errstr);
        if (!rk) {
                rd_kafka_conf_destroy(conf);
                return;
        }
        rd_kafka_queue_t *q = rd_kafka_queue_get_main(rk);
        CHECK(q != NULL, "queue_get_main");
        int ids[4];
        for (int i = 0; i < 4; i++) {
                ids[i] = i;
                CHECK(rd_kafka_producev(rk, RD_KAFKA_V_TOPIC("orders"), RD_KAFKA_V_PARTITION(i % 2),
                                        RD_KAFKA_V_VALUE("e", 1), RD_KAFKA_V_OPAQUE(&ids[i]),
                                        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END) == 0,
                      "producev %d", i);
        }
        int msgs = 0, counted = 0, dr_events = 0, other = 0, seen = 0;
        int64_t end = tu_now_ms() + 10000;
        while (msgs < 4 && tu_now_ms() < end && q) {
                rd_kafka_event_t *ev = rd_kafka_queue_poll(q, 100);
                if (!ev)
                        continue;
                if (rd_kafka_event_type(ev) == RD_KAFKA_EVENT_DR) {
                        dr_events++;
                        const char *name = rd_kafka_event_name(ev);
                        CHECK(name && !strcmp(name, "DeliveryReport"), "event_name \"%s\"", name ? name : "(null)");
                        counted += (int)rd_kafka_event_message_count(ev);
                        const rd_kafka_message_t *m;
                        while ((m = rd_kafka_event_message_next(ev))) {
                                msgs++;
                                CHECK(m->err == 0, "DR event message err %s", rd_kafka_err2name(m->err));
                                int id = m->_private ? *(int *)m->_private : -1;
                                CHECK(id >= 0 && id < 4 && m->partition == id % 2, "DR event message id %d partition %d",
                                      id, m->partition);
                                if (id >= 0 && id < 4)
                                        seen |= 1 << id;
                        }
                } else {
                        other++;
                }
                rd_kafka_event_destroy(ev);
        }
        CHECK(dr_events >= 1, "no RD_KAFKA_EVENT_DR event (%d other events)", other);
        CHECK(msgs == 4 && counted == 4 && seen == 0xf, "messages in DR events: next %d, count %d, ids 0x%x", msgs,
              counted, seen);
        if (q)
                rd_kafka_queue_destroy(q);
        CHECK(rd_kafka_outq_len(rk) == 0, "outq_len %d", rd_kafka_outq_len(rk));
        rd_kafka_destroy(rk);
}

int main(int argc, char **argv) {
        if (argc < 2) {
                fprintf(stderr, "usage: %s <bootstrap>\n", argv[0]);
                return 2;
        }
        bootstrap = argv[1];
        rd_version = rd_kafka_version();
        on_kafkars = strstr(rd_kafka_version_str(), "kafkars") != NULL;
        fprintf(stdout, "library: %s (0x%08x)%s\n", rd_kafka_version_str(), rd_version,
                on_kafkars ? " [kafkars]" : " [genuine librdkafka]");

        test_version();
        test_err_strings();
        test_conf_errors();
        test_null_args();
        test_metadata();
        test_dr_fields();
        test_produce_flags();
        test_produce_batch();
        test_unknown_partition();
        test_oversize();
        test_queue_full();
        test_dr_only_error();
        test_timeout_unreachable();
        test_purge();
        test_event_api();
        TEST_DONE();
}
