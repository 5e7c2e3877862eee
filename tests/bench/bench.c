/* Producer throughput/CPU benchmark, written only against librdkafka's rdkafka.h.
 * The same binary runs on genuine librdkafka and on libkafkars (through the
 * build/compat librdkafka.so.1 link), so the two are compared like for like.
 *
 *   bench produce <bootstrap> <topic> <count> <size> [key=value...]
 *   bench consume <bootstrap> <topic> <count> [key=value...]
 *
 * key=value pairs are librdkafka configuration properties, except these
 * bench options:
 *   bench.api=produce|producev   which produce call to use (default produce)
 *   bench.keys=1                 give every message a distinct key
 *   bench.flush.ms=N             flush timeout (default 60000)
 *   bench.timeout.ms=N           consume: give up after N ms (default 60000)
 *
 * consume: a high-level consumer (group.id set, no subscribe: no rebalance) is
 * assigned every partition of the topic at OFFSET_BEGINNING and polls until `count`
 * messages arrived; the timed span runs from the assign to the count-th message.
 * The topic must already hold `count` messages (checked with the watermarks first).
 *
 * Prints one JSON line on stdout; exits 0 only if every message was delivered
 * (produce) or read (consume); 2 on bad usage or a topic too small.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include <librdkafka/rdkafka.h>

static long delivered, failed;
static rd_kafka_resp_err_t first_err;
/* Partitions that got messages: checks both libs spread load the same way. */
#define MAX_TRACKED_PARTITIONS 1024
static unsigned char partition_used[MAX_TRACKED_PARTITIONS];

static void dr_msg_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) {
        (void)rk;
        (void)opaque;
        if (m->err) {
                if (!failed)
                        first_err = m->err;
                failed++;
        } else {
                delivered++;
                if (m->partition >= 0 && m->partition < MAX_TRACKED_PARTITIONS)
                        partition_used[m->partition] = 1;
        }
}

/* Partition count of the topic as the client's metadata sees it; -1 if unknown. */
static int topic_partition_cnt(rd_kafka_t *rk, rd_kafka_topic_t *rkt) {
        const struct rd_kafka_metadata *md = NULL;
        int cnt = -1;
        if (rd_kafka_metadata(rk, 0, rkt, &md, 5000) != RD_KAFKA_RESP_ERR_NO_ERROR || !md)
                return -1;
        if (md->topic_cnt == 1 && !md->topics[0].err)
                cnt = md->topics[0].partition_cnt;
        rd_kafka_metadata_destroy(md);
        return cnt;
}

static void error_cb(rd_kafka_t *rk, int err, const char *reason, void *opaque) {
        (void)rk;
        (void)opaque;
        fprintf(stderr, "bench: error_cb: %s: %s\n", rd_kafka_err2name((rd_kafka_resp_err_t)err), reason);
}

static double now_s(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Whole-process CPU (all threads: the library's too), user + sys. */
static double cpu_s(void) {
        struct rusage ru;
        if (getrusage(RUSAGE_SELF, &ru) != 0)
                return 0.0;
        return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
               (double)ru.ru_stime.tv_usec / 1e6;
}

/* Which shared object actually provides the API: proves what the loader picked. */
static const char *lib_path(void) {
        Dl_info info;
        if (dladdr((void *)rd_kafka_version_str, &info) && info.dli_fname)
                return info.dli_fname;
        return "?";
}

/* Minimal JSON string escaping for the few strings we print. */
static void json_str(const char *s) {
        putchar('"');
        for (; *s; s++) {
                unsigned char c = (unsigned char)*s;
                if (c == '"' || c == '\\')
                        printf("\\%c", c);
                else if (c < 0x20)
                        printf("\\u%04x", c);
                else
                        putchar(c);
        }
        putchar('"');
}

static long parse_long(const char *s, const char *what) {
        char *end;
        errno = 0;
        long v = strtol(s, &end, 10);
        if (errno || *end || v < 0) {
                fprintf(stderr, "bench: bad %s: %s\n", what, s);
                exit(2);
        }
        return v;
}

/* Reports a failed transactional call; returns nonzero when it failed. */
static int txn_check(rd_kafka_error_t *error, const char *what) {
        if (!error)
                return 0;
        fprintf(stderr, "bench: %s: %s\n", what, rd_kafka_error_string(error));
        rd_kafka_error_destroy(error);
        return 1;
}

static int run_produce(int argc, char **argv) {
        char errstr[512];
        if (argc < 6) {
                fprintf(stderr, "usage: %s produce <bootstrap> <topic> <count> <size> [key=value...]\n", argv[0]);
                return 2;
        }
        const char *bootstrap = argv[2];
        const char *topic = argv[3];
        long count = parse_long(argv[4], "count");
        long size = parse_long(argv[5], "size");
        int use_producev = 0, use_keys = 0;
        int flush_ms = 60000;
        long txn_msgs = 0; /* >0: a transaction per this many messages (needs transactional.id) */

        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        if (rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap, errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK) {
                fprintf(stderr, "bench: %s\n", errstr);
                return 2;
        }
        for (int i = 6; i < argc; i++) {
                char *kv = strdup(argv[i]);
                char *eq = kv ? strchr(kv, '=') : NULL;
                if (!eq) {
                        fprintf(stderr, "bench: expected key=value, got %s\n", argv[i]);
                        return 2;
                }
                *eq = '\0';
                const char *v = eq + 1;
                if (!strcmp(kv, "bench.api")) {
                        if (!strcmp(v, "producev"))
                                use_producev = 1;
                        else if (strcmp(v, "produce")) {
                                fprintf(stderr, "bench: bench.api must be produce or producev\n");
                                return 2;
                        }
                } else if (!strcmp(kv, "bench.keys")) {
                        use_keys = atoi(v) != 0;
                } else if (!strcmp(kv, "bench.flush.ms")) {
                        flush_ms = (int)parse_long(v, "bench.flush.ms");
                } else if (!strcmp(kv, "bench.txn.msgs")) {
                        txn_msgs = parse_long(v, "bench.txn.msgs");
                } else if (rd_kafka_conf_set(conf, kv, v, errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK) {
                        fprintf(stderr, "bench: %s\n", errstr);
                        return 2;
                }
                free(kv);
        }
        rd_kafka_conf_set_dr_msg_cb(conf, dr_msg_cb);
        rd_kafka_conf_set_error_cb(conf, error_cb);

        rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        if (!rk) {
                fprintf(stderr, "bench: rd_kafka_new: %s\n", errstr);
                return 1;
        }
        /* producev looks the topic up by name; the handle is still used for metadata. */
        rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, topic, NULL);
        if (!rkt) {
                fprintf(stderr, "bench: rd_kafka_topic_new: %s\n", rd_kafka_err2str(rd_kafka_last_error()));
                rd_kafka_destroy(rk);
                return 1;
        }

        char *payload = malloc((size_t)size + 1);
        if (!payload)
                return 1;
        for (long i = 0; i < size; i++)
                payload[i] = (char)('a' + i % 26);

        /* Transactional mode: the producer id is fetched outside the timed span; each
         * commit (which flushes) is inside it. */
        if (txn_msgs > 0 && txn_check(rd_kafka_init_transactions(rk, 30000), "init_transactions"))
                return 1;
        long produce_failed = 0, txns = 0;
        double t0 = now_s(), c0 = cpu_s();
        for (long i = 0; i < count; i++) {
                if (txn_msgs > 0 && i % txn_msgs == 0) {
                        if (i > 0 && txn_check(rd_kafka_commit_transaction(rk, 60000), "commit_transaction"))
                                return 1;
                        if (txn_check(rd_kafka_begin_transaction(rk), "begin_transaction"))
                                return 1;
                        txns++;
                }
                char key[24];
                size_t klen = 0;
                if (use_keys)
                        klen = (size_t)snprintf(key, sizeof(key), "%ld", i);
                rd_kafka_resp_err_t err;
                for (;;) {
                        if (use_producev) {
                                err = rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic),
                                                        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                                                        RD_KAFKA_V_VALUE(payload, (size_t)size),
                                                        RD_KAFKA_V_KEY(use_keys ? key : NULL, klen), RD_KAFKA_V_END);
                        } else {
                                err = rd_kafka_produce(rkt, RD_KAFKA_PARTITION_UA, RD_KAFKA_MSG_F_COPY, payload,
                                                       (size_t)size, use_keys ? key : NULL, klen, NULL) == -1
                                          ? rd_kafka_last_error()
                                          : RD_KAFKA_RESP_ERR_NO_ERROR;
                        }
                        if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL)
                                break;
                        rd_kafka_poll(rk, 1);
                }
                if (err) {
                        if (!produce_failed)
                                fprintf(stderr, "bench: produce: %s\n", rd_kafka_err2str(err));
                        produce_failed++;
                }
                rd_kafka_poll(rk, 0);
        }
        if (txn_msgs > 0 && txn_check(rd_kafka_commit_transaction(rk, 60000), "commit_transaction"))
                return 1;
        rd_kafka_resp_err_t ferr = rd_kafka_flush(rk, flush_ms);
        double t1 = now_s(), c1 = cpu_s();

        if (ferr)
                fprintf(stderr, "bench: flush: %s (%d still queued)\n", rd_kafka_err2str(ferr), rd_kafka_outq_len(rk));
        if (failed)
                fprintf(stderr, "bench: %ld delivery failures, first: %s\n", failed, rd_kafka_err2str(first_err));
        if (produce_failed)
                fprintf(stderr, "bench: %ld produce calls failed\n", produce_failed);

        int used = 0;
        for (int p = 0; p < MAX_TRACKED_PARTITIONS; p++)
                used += partition_used[p];
        int partitions = topic_partition_cnt(rk, rkt); /* outside the timed span */

        double secs = t1 - t0, cpu = c1 - c0;
        if (secs <= 0)
                secs = 1e-9;
        printf("{\"mode\":\"produce\",\"lib\":");
        json_str(rd_kafka_version_str());
        printf(",\"lib_path\":");
        json_str(lib_path());
        printf(",\"api\":\"%s\",\"count\":%ld,\"size\":%ld,\"delivered\":%ld,\"seconds\":%.6f,"
               "\"msgs_per_s\":%.1f,\"mb_per_s\":%.3f,\"cpu_s\":%.6f,\"cpu_s_per_million\":%.6f,\"partitions\":%d,\"partitions_used\":%d,"
               "\"transactions\":%ld}\n",
               use_producev ? "producev" : "produce", count, size, delivered, secs, (double)delivered / secs,
               (double)delivered * (double)size / 1e6 / secs, cpu, delivered ? cpu * 1e6 / (double)delivered : 0.0, partitions, used,
               txns);
        fflush(stdout);

        free(payload);
        rd_kafka_topic_destroy(rkt);
        rd_kafka_destroy(rk);
        return delivered == count ? 0 : 1;
}

/* Consumer calls this mode makes. The binary is linked lazily (run.sh builds with
 * -z lazy), so a library without them still runs produce mode; consume mode checks
 * first and says which one is missing instead of dying in the dynamic loader. */
static const char *const consume_symbols[] = {
    "rd_kafka_assign", "rd_kafka_consumer_poll", "rd_kafka_consumer_close", "rd_kafka_query_watermark_offsets",
    "rd_kafka_message_destroy", "rd_kafka_topic_partition_list_new", "rd_kafka_topic_partition_list_add",
    "rd_kafka_topic_partition_list_destroy", NULL};

static int run_consume(int argc, char **argv) {
        char errstr[512];
        if (argc < 5) {
                fprintf(stderr, "usage: %s consume <bootstrap> <topic> <count> [key=value...]\n", argv[0]);
                return 2;
        }
        for (int i = 0; consume_symbols[i]; i++) {
                if (!dlsym(RTLD_DEFAULT, consume_symbols[i])) {
                        fprintf(stderr, "bench: consume not implemented by %s: missing symbol %s\n", lib_path(),
                                consume_symbols[i]);
                        return 2;
                }
        }
        const char *bootstrap = argv[2];
        const char *topic = argv[3];
        long count = parse_long(argv[4], "count");
        long timeout_ms = 60000;
        char group[64];
        snprintf(group, sizeof(group), "bench-consume-%d", (int)getpid());

        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        /* group.id only because assign needs one; nothing is committed. */
        if (rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap, errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK ||
            rd_kafka_conf_set(conf, "group.id", group, errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK ||
            rd_kafka_conf_set(conf, "enable.auto.commit", "false", errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK) {
                fprintf(stderr, "bench: %s\n", errstr);
                return 2;
        }
        for (int i = 5; i < argc; i++) {
                char *kv = strdup(argv[i]);
                char *eq = kv ? strchr(kv, '=') : NULL;
                if (!eq) {
                        fprintf(stderr, "bench: expected key=value, got %s\n", argv[i]);
                        return 2;
                }
                *eq = '\0';
                const char *v = eq + 1;
                if (!strcmp(kv, "bench.timeout.ms")) {
                        timeout_ms = parse_long(v, "bench.timeout.ms");
                } else if (rd_kafka_conf_set(conf, kv, v, errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK) {
                        fprintf(stderr, "bench: %s\n", errstr);
                        return 2;
                }
                free(kv);
        }
        rd_kafka_conf_set_error_cb(conf, error_cb);
        rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof(errstr));
        if (!rk) {
                /* Exit 2: run.sh reports a library without a consumer as n/a. */
                fprintf(stderr, "bench: rd_kafka_new(consumer): %s\n", errstr);
                return 2;
        }
        rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, topic, NULL);
        int partitions = rkt ? topic_partition_cnt(rk, rkt) : -1;
        if (rkt)
                rd_kafka_topic_destroy(rkt);
        if (partitions <= 0) {
                fprintf(stderr, "bench: topic %s: no partitions found\n", topic);
                rd_kafka_destroy(rk);
                return 2;
        }
        /* Setup outside the timed span: what the topic holds, from the leaders. */
        long available = 0;
        int truncated = 0;
        rd_kafka_topic_partition_list_t *parts = rd_kafka_topic_partition_list_new(partitions);
        for (int p = 0; p < partitions; p++) {
                int64_t lo = -1, hi = -1;
                rd_kafka_resp_err_t err = rd_kafka_query_watermark_offsets(rk, topic, p, &lo, &hi, 10000);
                if (err) {
                        fprintf(stderr, "bench: watermarks of [%d]: %s\n", p, rd_kafka_err2str(err));
                        rd_kafka_topic_partition_list_destroy(parts);
                        rd_kafka_destroy(rk);
                        return 1;
                }
                available += (long)(hi - lo);
                truncated += lo > 0;
                rd_kafka_topic_partition_list_add(parts, topic, p)->offset = RD_KAFKA_OFFSET_BEGINNING;
        }
        if (available < count) {
                fprintf(stderr, "bench: topic %s holds %ld messages (%d partitions truncated by retention), need %ld\n",
                        topic, available, truncated, count);
                rd_kafka_topic_partition_list_destroy(parts);
                rd_kafka_destroy(rk);
                return 2;
        }

        long consumed = 0, errors = 0;
        size_t bytes = 0, min_size = (size_t)-1, max_size = 0;
        rd_kafka_resp_err_t first_consume_err = RD_KAFKA_RESP_ERR_NO_ERROR;
        double t0 = now_s(), c0 = cpu_s(), t1 = t0, c1 = c0;
        double deadline = t0 + (double)timeout_ms / 1000.0;
        rd_kafka_resp_err_t aerr = rd_kafka_assign(rk, parts);
        rd_kafka_topic_partition_list_destroy(parts);
        if (aerr) {
                fprintf(stderr, "bench: assign: %s\n", rd_kafka_err2str(aerr));
                rd_kafka_destroy(rk);
                return 1;
        }
        while (consumed < count) {
                rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 100);
                if (!m) {
                        if (now_s() > deadline)
                                break;
                        continue;
                }
                if (m->err) {
                        if (!errors)
                                first_consume_err = m->err;
                        errors++;
                } else {
                        consumed++;
                        bytes += m->len;
                        if (m->len < min_size)
                                min_size = m->len;
                        if (m->len > max_size)
                                max_size = m->len;
                        if (m->partition >= 0 && m->partition < MAX_TRACKED_PARTITIONS)
                                partition_used[m->partition] = 1;
                }
                rd_kafka_message_destroy(m);
                if ((consumed & 1023) == 0 && now_s() > deadline)
                        break;
        }
        t1 = now_s();
        c1 = cpu_s();
        if (consumed < count)
                fprintf(stderr, "bench: read %ld of %ld messages in %ld ms\n", consumed, count, timeout_ms);
        if (errors)
                fprintf(stderr, "bench: %ld consumer errors, first: %s\n", errors, rd_kafka_err2str(first_consume_err));

        int used = 0;
        for (int p = 0; p < MAX_TRACKED_PARTITIONS; p++)
                used += partition_used[p];
        double secs = t1 - t0, cpu = c1 - c0;
        if (secs <= 0)
                secs = 1e-9;
        /* Payload size: the bench runs one size per topic; report it (and flag a mix). */
        long size = consumed ? (long)(bytes / (size_t)consumed) : 0;
        if (consumed && min_size != max_size)
                fprintf(stderr, "bench: payload sizes vary %zu..%zu\n", min_size, max_size);
        printf("{\"mode\":\"consume\",\"lib\":");
        json_str(rd_kafka_version_str());
        printf(",\"lib_path\":");
        json_str(lib_path());
        printf(",\"api\":\"consumer_poll\",\"count\":%ld,\"size\":%ld,\"consumed\":%ld,\"errors\":%ld,\"seconds\":%.6f,"
               "\"msgs_per_s\":%.1f,\"mb_per_s\":%.3f,\"cpu_s\":%.6f,\"cpu_s_per_million\":%.6f,\"partitions\":%d,"
               "\"partitions_used\":%d,\"available\":%ld}\n",
               count, size, consumed, errors, secs, (double)consumed / secs, (double)bytes / 1e6 / secs, cpu,
               consumed ? cpu * 1e6 / (double)consumed : 0.0, partitions, used, available);
        fflush(stdout);

        rd_kafka_consumer_close(rk);
        rd_kafka_destroy(rk);
        return consumed == count ? 0 : 1;
}

int main(int argc, char **argv) {
        if (argc >= 2 && !strcmp(argv[1], "produce"))
                return run_produce(argc, argv);
        if (argc >= 2 && !strcmp(argv[1], "consume"))
                return run_consume(argc, argv);
        fprintf(stderr,
                "usage: %s produce <bootstrap> <topic> <count> <size> [key=value...]\n"
                "       %s consume <bootstrap> <topic> <count> [key=value...]\n",
                argv[0], argv[0]);
        return 2;
}
