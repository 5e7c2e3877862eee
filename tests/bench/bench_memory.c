/* bench memory <bootstrap> <count> <size> [key=value...]
 *
 * Memory held by queued messages. <bootstrap> must be an address where nothing
 * listens (run.sh uses a port it just found free), so nothing can be sent: the
 * producer takes `count` messages of `size` bytes (F_COPY, RD_KAFKA_PARTITION_UA,
 * topic bench-memory, no key) and keeps them all queued. queue.buffering.max.messages
 * and queue.buffering.max.kbytes are raised so they fit, message.timeout.ms is 10
 * minutes (key=value pairs after these may override them). The resident set is read
 * before producing (base_rss_kb, VmRSS; the handle exists and its threads run) and
 * with everything queued (queued_rss_kb, VmRSS); max_rss_kb is getrusage ru_maxrss at
 * that point (the peak of the process so far). Then every message is purged
 * (rd_kafka_purge(QUEUE|INFLIGHT)) and its delivery report served, and the handle
 * destroyed. Exits 1 unless all `count` were accepted, queued (rd_kafka_outq_len)
 * and reported purged.
 * Connection errors to the dead address are expected: error_cb and the log are quiet.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bench.h"

static long purged, mem_other;
static rd_kafka_resp_err_t mem_other_err;

static void mem_dr_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) {
        (void)rk;
        (void)opaque;
        if (m->err == RD_KAFKA_RESP_ERR__PURGE_QUEUE || m->err == RD_KAFKA_RESP_ERR__PURGE_INFLIGHT)
                purged++;
        else if (!mem_other++)
                mem_other_err = m->err;
}

static long transport_errors;

static void quiet_error_cb(rd_kafka_t *rk, int err, const char *reason, void *opaque) {
        (void)rk;
        (void)opaque;
        if (err == RD_KAFKA_RESP_ERR__TRANSPORT || err == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN ||
            err == RD_KAFKA_RESP_ERR__RESOLVE) {
                transport_errors++;
                return;
        }
        fprintf(stderr, "bench: error_cb: %s: %s\n", rd_kafka_err2name((rd_kafka_resp_err_t)err), reason);
}

static void quiet_log_cb(const rd_kafka_t *rk, int level, const char *fac, const char *buf) {
        (void)rk;
        (void)level;
        (void)fac;
        (void)buf;
}

static const char *const memory_conf_keys[] = {"queue.buffering.max.messages", "queue.buffering.max.kbytes",
                                               "linger.ms", "batch.num.messages", NULL};

int run_memory(int argc, char **argv) {
        char errstr[512], num[32];
        if (argc < 5) {
                fprintf(stderr, "usage: %s memory <bootstrap> <count> <size> [key=value...]\n", argv[0]);
                return 2;
        }
        const char *bootstrap = argv[2];
        const char *topic = "bench-memory";
        long count = parse_long(argv[3], "count");
        long size = parse_long(argv[4], "size");
        if (count <= 0 || count > 2000000000L) {
                fprintf(stderr, "bench: memory needs 0 < count <= 2e9\n");
                return 2;
        }
        /* Room for all of them: messages, and bytes with a generous margin. */
        long max_msgs = count < 100000 ? 100000 : count;
        long long kbytes = ((long long)count * (size + 64)) / 1024 * 2 + 65536;
        if (kbytes > 2147483647LL)
                kbytes = 2147483647LL;

        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        snprintf(num, sizeof(num), "%ld", max_msgs);
        if (rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap, errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK ||
            rd_kafka_conf_set(conf, "queue.buffering.max.messages", num, errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK ||
            (snprintf(num, sizeof(num), "%lld", kbytes),
             rd_kafka_conf_set(conf, "queue.buffering.max.kbytes", num, errstr, sizeof(errstr))) != RD_KAFKA_CONF_OK ||
            rd_kafka_conf_set(conf, "message.timeout.ms", "600000", errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK) {
                fprintf(stderr, "bench: %s\n", errstr);
                return 2;
        }
        if (apply_conf_args(conf, argc, argv, 5, NULL))
                return 2;
        rd_kafka_conf_set_dr_msg_cb(conf, mem_dr_cb);
        rd_kafka_conf_set_error_cb(conf, quiet_error_cb);
        rd_kafka_conf_set_log_cb(conf, quiet_log_cb);
        rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        if (!rk) {
                fprintf(stderr, "bench: rd_kafka_new: %s\n", errstr);
                return 1;
        }
        rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, topic, NULL);
        char *payload = malloc((size_t)size + 1);
        if (!rkt || !payload) {
                fprintf(stderr, "bench: rd_kafka_topic_new/malloc failed\n");
                return 1;
        }
        for (long i = 0; i < size; i++)
                payload[i] = (char)('a' + i % 26);

        long base_rss = cur_rss_kb(), base_max = max_rss_kb();
        long accepted = 0, refused = 0;
        rd_kafka_resp_err_t first_refusal = RD_KAFKA_RESP_ERR_NO_ERROR;
        double t0 = now_s(), c0 = cpu_s();
        for (long i = 0; i < count; i++) {
                if (rd_kafka_produce(rkt, RD_KAFKA_PARTITION_UA, RD_KAFKA_MSG_F_COPY, payload, (size_t)size, NULL, 0,
                                     NULL) == 0) {
                        accepted++;
                } else if (!refused++) {
                        first_refusal = rd_kafka_last_error();
                }
                if ((i & 1023) == 0)
                        rd_kafka_poll(rk, 0);
        }
        double t1 = now_s(), c1 = cpu_s();
        int queued = rd_kafka_outq_len(rk);
        long queued_rss = cur_rss_kb(), peak = max_rss_kb();

        rd_kafka_resp_err_t perr = rd_kafka_purge(rk, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
        double deadline = now_s() + 60.0;
        while (purged + mem_other < accepted && now_s() < deadline)
                rd_kafka_poll(rk, 10);
        int left = rd_kafka_outq_len(rk);

        if (refused)
                fprintf(stderr, "bench: %ld of %ld produce calls refused, first: %s\n", refused, count,
                        rd_kafka_err2str(first_refusal));
        if (queued < accepted)
                fprintf(stderr, "bench: outq_len %d after producing %ld (messages left the queue?)\n", queued,
                        accepted);
        if (perr)
                fprintf(stderr, "bench: purge: %s\n", rd_kafka_err2str(perr));
        if (mem_other)
                fprintf(stderr, "bench: %ld delivery reports not purged, first: %s\n", mem_other,
                        rd_kafka_err2str(mem_other_err));
        if (purged != count)
                fprintf(stderr, "bench: %ld of %ld messages reported purged (outq_len now %d)\n", purged, count, left);

        double secs = t1 - t0;
        if (secs <= 0)
                secs = 1e-9;
        printf("{\"mode\":\"memory\"");
        json_lib();
        printf(",\"api\":\"produce\",\"count\":%ld,\"size\":%ld,\"accepted\":%ld,\"queued\":%d,\"purged\":%ld,"
               "\"seconds\":%.6f,\"msgs_per_s\":%.1f,\"cpu_s\":%.6f,\"partitions\":-1,\"base_rss_kb\":%ld,"
               "\"base_max_rss_kb\":%ld,\"queued_rss_kb\":%ld,\"max_rss_kb\":%ld,\"bytes_per_msg\":%.1f,"
               "\"transport_errors\":%ld",
               count, size, accepted, queued, purged, secs, (double)accepted / secs, c1 - c0, base_rss, base_max,
               queued_rss, peak, accepted ? (double)(queued_rss - base_rss) * 1024.0 / (double)accepted : 0.0,
               transport_errors);
        json_conf(rk, memory_conf_keys);
        printf("}\n");
        fflush(stdout);

        rd_kafka_topic_destroy(rkt);
        rd_kafka_destroy(rk);
        free(payload);
        int ok = accepted == count && queued >= count && purged == count && !perr && !mem_other;
        return ok ? 0 : 1;
}
