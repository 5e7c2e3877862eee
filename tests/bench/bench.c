/* Producer/consumer throughput, delivery latency and memory benchmark, written only
 * against librdkafka's rdkafka.h. The same binary runs on genuine librdkafka and on
 * libkafkars (through the build/compat librdkafka.so.1 link), so they are compared
 * like for like. Built from bench.c, bench_latency.c and bench_memory.c (bench.h).
 *
 *   bench produce <bootstrap> <topic> <count> <size> [key=value...]
 *   bench consume <bootstrap> <topic> <count> [key=value...]
 *   bench latency <bootstrap> <topic> <rate_per_s> <count> <size> [key=value...]
 *   bench memory  <bootstrap> <count> <size> [key=value...]
 *
 * key=value pairs are librdkafka configuration properties, except these
 * bench options:
 *   bench.api=produce|producev   produce: which produce call to use (default produce)
 *   bench.keys=1                 produce: give every message a distinct key
 *   bench.flush.ms=N             produce, latency: flush timeout (default 60000)
 *   bench.txn.msgs=N             produce: a transaction per N messages (needs
 *                                transactional.id; init outside, commits inside the
 *                                timed span; the JSON has the time in commits,
 *                                commit_s, and the longest, commit_max_ms, the
 *                                commit_max_at-th, 0-based)
 *   bench.timeout.ms=N           consume: give up after N ms (default 60000)
 *
 * consume: a high-level consumer (group.id set, no subscribe: no rebalance) is
 * assigned every partition of the topic at OFFSET_BEGINNING and polls until `count`
 * messages arrived; the timed span runs from the assign to the count-th message.
 * The topic must already hold `count` messages (checked with the watermarks first).
 * The JSON names the fetch/queue settings the library ran with ("conf").
 *
 * latency: produces `count` messages at a fixed offered rate (paced with
 * clock_nanosleep, not spinning), each message's send time kept by index
 * (msg_opaque); the delivery report callback (rd_kafka_poll(rk, 0) after every send
 * and while waiting) takes produce->delivery latency; prints p50/p90/p99/p99.9/max.
 * memory: see bench_memory.c (peak RSS with `count` messages queued, nothing sent).
 *
 * Prints one JSON line on stdout, always with max_rss_kb (getrusage ru_maxrss);
 * exits 0 only if every message was delivered (produce, latency), read (consume) or
 * queued and purged (memory); 1 otherwise; 2 on bad usage or a topic too small.
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
#include "bench.h"

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

/* Reports a failed transactional call; returns nonzero when it failed. */
static int txn_check(rd_kafka_error_t *error, const char *what) {
        if (!error)
                return 0;
        fprintf(stderr, "bench: %s: %s\n", what, rd_kafka_error_string(error));
        rd_kafka_error_destroy(error);
        return 1;
}

static double commit_s, commit_max_s; /* time inside commit_transaction: total, longest */
static long commits, commit_max_at;     /* commits made; which one (0-based) was the longest */

static int commit_txn(rd_kafka_t *rk) {
        double t = now_s();
        int failed_commit = txn_check(rd_kafka_commit_transaction(rk, 60000), "commit_transaction");
        t = now_s() - t;
        commit_s += t;
        if (t > commit_max_s) {
                commit_max_s = t;
                commit_max_at = commits;
        }
        commits++;
        return failed_commit;
}

/* Producer settings echoed in the produce JSON line. */
static const char *const produce_conf_keys[] = {"linger.ms", "batch.num.messages", "batch.size", "compression.type",
                                                "enable.idempotence", "max.in.flight", NULL};

static int use_producev, use_keys, flush_ms = 60000;
static long txn_msgs; /* >0: a transaction per this many messages (needs transactional.id) */

static int produce_opt(const char *k, const char *v) {
        if (!strcmp(k, "bench.api")) {
                if (!strcmp(v, "producev"))
                        use_producev = 1;
                else if (strcmp(v, "produce")) {
                        fprintf(stderr, "bench: bench.api must be produce or producev\n");
                        return -1;
                }
        } else if (!strcmp(k, "bench.keys")) {
                use_keys = atoi(v) != 0;
        } else if (!strcmp(k, "bench.flush.ms")) {
                flush_ms = (int)parse_long(v, "bench.flush.ms");
        } else if (!strcmp(k, "bench.txn.msgs")) {
                txn_msgs = parse_long(v, "bench.txn.msgs");
        } else
                return 0;
        return 1;
}

static int run_produce(int argc, char **argv) {
        if (argc < 6) {
                fprintf(stderr, "usage: %s produce <bootstrap> <topic> <count> <size> [key=value...]\n", argv[0]);
                return 2;
        }
        const char *bootstrap = argv[2];
        const char *topic = argv[3];
        long count = parse_long(argv[4], "count");
        long size = parse_long(argv[5], "size");

        rd_kafka_topic_t *rkt;
        int rc;
        rd_kafka_t *rk = new_producer(bootstrap, topic, argc, argv, 6, produce_opt, dr_msg_cb, &rkt, &rc);
        if (!rk)
                return rc;

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
                        if (i > 0 && commit_txn(rk))
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
        if (txn_msgs > 0 && commit_txn(rk))
                return 1;
        rd_kafka_resp_err_t ferr = rd_kafka_flush(rk, flush_ms);
        double t1 = now_s(), c1 = cpu_s();

        if (ferr)
                fprintf(stderr, "bench: flush: %s (%d still queued)\n", rd_kafka_err2str(ferr), rd_kafka_outq_len(rk));
        if (failed)
                fprintf(stderr, "bench: %ld delivery failures, first: %s\n", failed, rd_kafka_err2str(first_err));
        if (produce_failed)
                fprintf(stderr, "bench: %ld produce calls failed\n", produce_failed);
        if (delivered != count)
                fprintf(stderr, "bench: delivered %ld of %ld messages\n", delivered, count);

        int used = 0;
        for (int p = 0; p < MAX_TRACKED_PARTITIONS; p++)
                used += partition_used[p];
        int partitions = topic_partition_cnt(rk, rkt); /* outside the timed span */

        double secs = t1 - t0, cpu = c1 - c0;
        if (secs <= 0)
                secs = 1e-9;
        printf("{\"mode\":\"produce\"");
        json_lib();
        printf(",\"api\":\"%s\",\"count\":%ld,\"size\":%ld,\"delivered\":%ld,\"seconds\":%.6f,"
               "\"msgs_per_s\":%.1f,\"mb_per_s\":%.3f,\"cpu_s\":%.6f,\"cpu_s_per_million\":%.6f,\"partitions\":%d,\"partitions_used\":%d,"
               "\"transactions\":%ld,\"commit_s\":%.6f,\"commit_max_ms\":%.3f,\"commit_max_at\":%ld,\"max_rss_kb\":%ld",
               use_producev ? "producev" : "produce", count, size, delivered, secs, (double)delivered / secs,
               (double)delivered * (double)size / 1e6 / secs, cpu, delivered ? cpu * 1e6 / (double)delivered : 0.0, partitions, used,
               txns, commit_s, commit_max_s * 1e3, commit_max_at, max_rss_kb());
        json_conf(rk, produce_conf_keys);
        printf("}\n");
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

/* Fetch/queue settings echoed in the consume JSON line: the tuning each library ran with. */
static const char *const consume_conf_keys[] = {"queued.min.messages", "queued.max.messages.kbytes", "fetch.max.bytes",
                                                "max.partition.fetch.bytes", "fetch.min.bytes", "fetch.wait.max.ms",
                                                "check.crcs", NULL};
static long consume_timeout_ms = 60000;

static int consume_opt(const char *k, const char *v) {
        if (strcmp(k, "bench.timeout.ms"))
                return 0;
        consume_timeout_ms = parse_long(v, "bench.timeout.ms");
        return 1;
}

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
        if (apply_conf_args(conf, argc, argv, 5, consume_opt))
                return 2;
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
        double deadline = t0 + (double)consume_timeout_ms / 1000.0;
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
                fprintf(stderr, "bench: read %ld of %ld messages in %ld ms\n", consumed, count, consume_timeout_ms);
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
        printf("{\"mode\":\"consume\"");
        json_lib();
        printf(",\"api\":\"consumer_poll\",\"count\":%ld,\"size\":%ld,\"consumed\":%ld,\"errors\":%ld,\"seconds\":%.6f,"
               "\"msgs_per_s\":%.1f,\"mb_per_s\":%.3f,\"cpu_s\":%.6f,\"cpu_s_per_million\":%.6f,\"partitions\":%d,"
               "\"partitions_used\":%d,\"available\":%ld,\"max_rss_kb\":%ld",
               count, size, consumed, errors, secs, (double)consumed / secs, (double)bytes / 1e6 / secs, cpu,
               consumed ? cpu * 1e6 / (double)consumed : 0.0, partitions, used, available, max_rss_kb());
        json_conf(rk, consume_conf_keys);
        printf("}\n");
        fflush(stdout);

        rd_kafka_consumer_close(rk);
        rd_kafka_destroy(rk);
        return consumed == count ? 0 : 1;
}

/* Weak: bench.c alone (tests/bench/instr.sh builds it so) still links; the latency and
 * memory modes then say they are not built in. */
#pragma weak run_latency
#pragma weak run_memory

static int not_built(const char *mode, const char *file) {
        fprintf(stderr, "bench: %s mode not built in (compile %s with bench.c, as run.sh does)\n", mode, file);
        return 2;
}

int main(int argc, char **argv) {
        if (argc >= 2 && !strcmp(argv[1], "produce"))
                return run_produce(argc, argv);
        if (argc >= 2 && !strcmp(argv[1], "consume"))
                return run_consume(argc, argv);
        if (argc >= 2 && !strcmp(argv[1], "latency"))
                return run_latency ? run_latency(argc, argv) : not_built("latency", "bench_latency.c");
        if (argc >= 2 && !strcmp(argv[1], "memory"))
                return run_memory ? run_memory(argc, argv) : not_built("memory", "bench_memory.c");
        fprintf(stderr,
                "usage: %s produce <bootstrap> <topic> <count> <size> [key=value...]\n"
                "       %s consume <bootstrap> <topic> <count> [key=value...]\n"
                "       %s latency <bootstrap> <topic> <rate_per_s> <count> <size> [key=value...]\n"
                "       %s memory <bootstrap> <count> <size> [key=value...]\n",
                argv[0], argv[0], argv[0], argv[0]);
        return 2;
}
