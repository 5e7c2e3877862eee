/* bench latency <bootstrap> <topic> <rate_per_s> <count> <size> [key=value...]
 *
 * Produce -> delivery-report latency under a fixed offered rate. Message i is due at
 * start + i/rate; the sender sleeps until then (clock_nanosleep on an absolute
 * CLOCK_MONOTONIC deadline with 1 us timer slack, or rd_kafka_poll(rk, ms) when
 * more than a millisecond is left, so it never spins), records the send time in an
 * array indexed by the message (its msg_opaque), produces (RD_KAFKA_PARTITION_UA,
 * F_COPY) and calls rd_kafka_poll(rk, 0). A sender that falls behind sends back to
 * back until it is on schedule again, so the offered rate holds on average. The
 * delivery report callback takes now - send time: the latency includes the wait
 * until the application's next poll (at most 1/rate on schedule).
 * Before the timed part one message per partition is produced and awaited, so the
 * connections to every leader exist and the topic's metadata is known.
 * Bench option: bench.flush.ms=N (wait for the last reports, default 60000).
 * JSON: lat_{p50,p90,p99,p999,max,mean}_ms over the delivered messages (nearest
 * rank), offered rate, achieved send rate (msgs_per_s over the send span), how far
 * the sender fell behind its schedule (behind_max_ms, at message behind_max_at; late_sends:
 * sends more than one interval late), the message with the highest latency
 * (lat_max_at), CPU, max_rss_kb, conf.
 * Exits 1 unless every message was delivered.
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include "bench.h"

static double *send_t;   /* send time per message (now_s), by index */
static double *lat;      /* latencies of delivered messages, seconds */
static unsigned char *seen;
static long lat_n, lat_failed, lat_dup, warm_left, lat_count;
static long lat_max_at = -1; /* index of the message with the highest latency */
static double lat_max;
static rd_kafka_resp_err_t lat_first_err;
static int lat_flush_ms = 60000;

static void lat_dr_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) {
        double now = now_s();
        (void)rk;
        (void)opaque;
        intptr_t id = (intptr_t)m->_private; /* 0: warm-up message; i + 1: message i */
        if (id == 0) {
                warm_left--;
                if (m->err && !lat_failed++)
                        lat_first_err = m->err;
                return;
        }
        long i = (long)id - 1;
        if (i < 0 || i >= lat_count || seen[i]) {
                lat_dup++;
                return;
        }
        seen[i] = 1;
        if (m->err) {
                if (!lat_failed++)
                        lat_first_err = m->err;
                return;
        }
        lat[lat_n++] = now - send_t[i];
        if (now - send_t[i] > lat_max) {
                lat_max = now - send_t[i];
                lat_max_at = i;
        }
}

static int cmp_double(const void *a, const void *b) {
        double x = *(const double *)a, y = *(const double *)b;
        return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of the sorted latencies, in ms. */
static double pct_ms(double p) {
        if (!lat_n)
                return 0.0;
        long k = (long)ceil(p * (double)lat_n) - 1;
        if (k < 0)
                k = 0;
        if (k >= lat_n)
                k = lat_n - 1;
        return lat[k] * 1e3;
}

static int latency_opt(const char *k, const char *v) {
        if (strcmp(k, "bench.flush.ms"))
                return 0;
        lat_flush_ms = (int)parse_long(v, "bench.flush.ms");
        return 1;
}

static const char *const latency_conf_keys[] = {"linger.ms", "batch.num.messages", "compression.type",
                                                "enable.idempotence", "max.in.flight", NULL};

static int produce_one(rd_kafka_t *rk, rd_kafka_topic_t *rkt, int32_t partition, const char *payload, long size,
                       intptr_t id) {
        for (;;) {
                if (rd_kafka_produce(rkt, partition, RD_KAFKA_MSG_F_COPY, (void *)payload, (size_t)size, NULL, 0,
                                     (void *)id) == 0)
                        return 0;
                rd_kafka_resp_err_t err = rd_kafka_last_error();
                if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
                        fprintf(stderr, "bench: produce: %s\n", rd_kafka_err2str(err));
                        return -1;
                }
                rd_kafka_poll(rk, 1);
        }
}

int run_latency(int argc, char **argv) {
        if (argc < 7) {
                fprintf(stderr, "usage: %s latency <bootstrap> <topic> <rate_per_s> <count> <size> [key=value...]\n",
                        argv[0]);
                return 2;
        }
        const char *bootstrap = argv[2];
        const char *topic = argv[3];
        long rate = parse_long(argv[4], "rate");
        long count = parse_long(argv[5], "count");
        long size = parse_long(argv[6], "size");
        if (rate <= 0 || count <= 0) {
                fprintf(stderr, "bench: latency needs rate and count > 0\n");
                return 2;
        }
        lat_count = count;

        rd_kafka_topic_t *rkt;
        int rc;
        rd_kafka_t *rk = new_producer(bootstrap, topic, argc, argv, 7, latency_opt, lat_dr_cb, &rkt, &rc);
        if (!rk)
                return rc;
        send_t = calloc((size_t)count, sizeof(*send_t));
        lat = calloc((size_t)count, sizeof(*lat));
        seen = calloc((size_t)count, 1);
        char *payload = malloc((size_t)size + 1);
        if (!send_t || !lat || !seen || !payload) {
                fprintf(stderr, "bench: out of memory\n");
                return 1;
        }
        for (long i = 0; i < size; i++)
                payload[i] = (char)('a' + i % 26);

        /* Warm-up, untimed: metadata, then a message to every partition (every leader). */
        const struct rd_kafka_metadata *md = NULL;
        int partitions = -1;
        if (rd_kafka_metadata(rk, 0, rkt, &md, 10000) == RD_KAFKA_RESP_ERR_NO_ERROR && md) {
                if (md->topic_cnt == 1 && !md->topics[0].err)
                        partitions = md->topics[0].partition_cnt;
                rd_kafka_metadata_destroy(md);
        }
        if (partitions <= 0) {
                fprintf(stderr, "bench: topic %s: no partitions found\n", topic);
                rd_kafka_destroy(rk);
                return 1;
        }
        for (int p = 0; p < partitions; p++) {
                if (produce_one(rk, rkt, p, payload, size, 0))
                        return 1;
                warm_left++;
        }
        double warm_deadline = now_s() + 30.0;
        while (warm_left > 0 && now_s() < warm_deadline)
                rd_kafka_poll(rk, 10);
        if (warm_left > 0 || lat_failed) {
                fprintf(stderr, "bench: warm-up: %ld of %d messages unanswered, %ld failed (%s)\n", warm_left,
                        partitions, lat_failed, rd_kafka_err2str(lat_first_err));
                rd_kafka_destroy(rk);
                return 1;
        }

        prctl(PR_SET_TIMERSLACK, 1000UL, 0, 0, 0); /* 1 us: sleeps end on time */
        const double interval = 1.0 / (double)rate;
        double behind_max = 0.0;
        long behind_max_at = -1;
        long late = 0; /* sends more than one interval after their due time */
        double c0 = cpu_s(), t0 = now_s(), t_last = t0;
        for (long i = 0; i < count; i++) {
                double due = t0 + (double)i * interval;
                for (;;) {
                        double left = due - now_s();
                        if (left <= 0)
                                break;
                        if (left > 1.5e-3) { /* serve reports meanwhile; wakes on an event */
                                rd_kafka_poll(rk, (int)(left * 1e3 - 0.5));
                                continue;
                        }
                        struct timespec ts;
                        ts.tv_sec = (time_t)due;
                        ts.tv_nsec = (long)((due - (double)ts.tv_sec) * 1e9);
                        if (ts.tv_nsec >= 1000000000L) {
                                ts.tv_sec++;
                                ts.tv_nsec -= 1000000000L;
                        }
                        clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
                        break;
                }
                double now = now_s();
                if (now - due > behind_max) {
                        behind_max = now - due;
                        behind_max_at = i;
                }
                if (now - due > interval)
                        late++;
                send_t[i] = now;
                t_last = now;
                if (produce_one(rk, rkt, RD_KAFKA_PARTITION_UA, payload, size, (intptr_t)i + 1))
                        return 1;
                rd_kafka_poll(rk, 0);
        }
        double deadline = now_s() + (double)lat_flush_ms / 1000.0;
        while (lat_n + lat_failed < count && now_s() < deadline)
                rd_kafka_poll(rk, 1);
        double t_end = now_s(), c1 = cpu_s();
        rd_kafka_resp_err_t ferr = rd_kafka_flush(rk, 1000);

        if (lat_failed)
                fprintf(stderr, "bench: %ld delivery failures, first: %s\n", lat_failed, rd_kafka_err2str(lat_first_err));
        if (lat_dup)
                fprintf(stderr, "bench: %ld delivery reports for unknown or already reported messages\n", lat_dup);
        if (lat_n != count)
                fprintf(stderr, "bench: delivered %ld of %ld messages%s\n", lat_n, count,
                        ferr ? " (flush timed out)" : "");

        double mean = 0.0;
        for (long i = 0; i < lat_n; i++)
                mean += lat[i];
        mean = lat_n ? mean / (double)lat_n * 1e3 : 0.0;
        qsort(lat, (size_t)lat_n, sizeof(*lat), cmp_double);
        double send_secs = t_last - t0, cpu = c1 - c0;
        if (send_secs <= 0)
                send_secs = 1e-9;
        /* achieved send rate: count-1 intervals between the first and the last send */
        double achieved = count > 1 ? (double)(count - 1) / send_secs : (double)count;
        printf("{\"mode\":\"latency\"");
        json_lib();
        printf(",\"api\":\"produce\",\"count\":%ld,\"size\":%ld,\"delivered\":%ld,\"rate\":%ld,\"seconds\":%.6f,"
               "\"total_seconds\":%.6f,\"msgs_per_s\":%.1f,\"mb_per_s\":%.3f,\"cpu_s\":%.6f,\"cpu_s_per_million\":%.6f,"
               "\"partitions\":%d,\"behind_max_ms\":%.3f,\"behind_max_at\":%ld,\"late_sends\":%ld,\"lat_max_at\":%ld,"
               "\"lat_p50_ms\":%.4f,\"lat_p90_ms\":%.4f,\"lat_p99_ms\":%.4f,\"lat_p999_ms\":%.4f,\"lat_max_ms\":%.4f,"
               "\"lat_mean_ms\":%.4f,\"max_rss_kb\":%ld",
               count, size, lat_n, rate, send_secs, t_end - t0, achieved, achieved * (double)size / 1e6, cpu,
               lat_n ? cpu * 1e6 / (double)lat_n : 0.0, partitions, behind_max * 1e3, behind_max_at, late, lat_max_at, pct_ms(0.50), pct_ms(0.90),
               pct_ms(0.99), pct_ms(0.999), lat_n ? lat[lat_n - 1] * 1e3 : 0.0, mean, max_rss_kb());
        json_conf(rk, latency_conf_keys);
        printf("}\n");
        fflush(stdout);

        rd_kafka_topic_destroy(rkt);
        rd_kafka_destroy(rk);
        free(payload);
        free(send_t);
        free(lat);
        free(seen);
        return lat_n == count ? 0 : 1;
}
