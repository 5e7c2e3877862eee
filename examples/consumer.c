/* Legacy (simple) partition consumer: reads one partition with rd_kafka_consume_start /
 * rd_kafka_consume_batch / rd_kafka_consume_stop and prints every message.
 * Written against librdkafka's rdkafka.h: builds and runs unchanged on librdkafka
 * and on kafkars (link -lkafkars, or run through the librdkafka.so.1 compat link).
 *
 *   consumer <bootstrap> <topic> <partition> <start> [count] [key=value config...]
 *
 * start: beginning | end | stored | <offset> (a negative N means N before the end).
 * Stops after `count` messages (0 or absent: no limit) or at the end of the partition
 * (enable.partition.eof is turned on), or on SIGINT/SIGTERM. Exit 0 unless an error
 * (other than EOF) was seen.
 */
#include <ctype.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <librdkafka/rdkafka.h>

static volatile sig_atomic_t run = 1;

static void stop(int sig) {
        (void)sig;
        run = 0;
}

static void error_cb(rd_kafka_t *rk, int err, const char *reason, void *opaque) {
        (void)rk; (void)opaque;
        fprintf(stderr, "error_cb: %s: %s\n", rd_kafka_err2name(err), reason);
}

/* Prints up to n bytes, escaping what is not printable. */
static void print_bytes(const void *p, size_t len, size_t n) {
        const unsigned char *s = p;
        if (!p) {
                fputs("(null)", stdout);
                return;
        }
        putchar('"');
        for (size_t i = 0; i < len && i < n; i++) {
                if (isprint(s[i]) && s[i] != '"' && s[i] != '\\')
                        putchar(s[i]);
                else
                        printf("\\x%02x", s[i]);
        }
        putchar('"');
        if (len > n)
                printf("...(%zu bytes)", len);
}

static void print_message(const rd_kafka_message_t *m) {
        rd_kafka_timestamp_type_t tstype;
        int64_t ts = rd_kafka_message_timestamp(m, &tstype);
        rd_kafka_headers_t *hdrs = NULL;
        size_t hdr_cnt = 0;
        if (rd_kafka_message_headers(m, &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR && hdrs)
                hdr_cnt = rd_kafka_header_cnt(hdrs);
        printf("%s [%" PRId32 "] offset %" PRId64 ": key ", rd_kafka_topic_name(m->rkt), m->partition, m->offset);
        print_bytes(m->key, m->key_len, 32);
        printf(" value ");
        print_bytes(m->payload, m->len, 40);
        printf(" headers %zu timestamp %" PRId64 "%s\n", hdr_cnt, ts,
               tstype == RD_KAFKA_TIMESTAMP_CREATE_TIME      ? " (create)"
               : tstype == RD_KAFKA_TIMESTAMP_LOG_APPEND_TIME ? " (log append)"
                                                               : "");
}

int main(int argc, char **argv) {
        char errstr[512];
        if (argc < 5) {
                fprintf(stderr,
                        "usage: %s <bootstrap> <topic> <partition> <beginning|end|stored|N> [count] [key=value...]\n",
                        argv[0]);
                return 2;
        }
        const char *topic = argv[2];
        int32_t partition = (int32_t)atoi(argv[3]);
        int64_t start;
        if (!strcmp(argv[4], "beginning"))
                start = RD_KAFKA_OFFSET_BEGINNING;
        else if (!strcmp(argv[4], "end"))
                start = RD_KAFKA_OFFSET_END;
        else if (!strcmp(argv[4], "stored"))
                start = RD_KAFKA_OFFSET_STORED;
        else {
                char *end;
                long long v = strtoll(argv[4], &end, 10);
                if (*end) {
                        fprintf(stderr, "bad start offset %s\n", argv[4]);
                        return 2;
                }
                start = v < 0 ? RD_KAFKA_OFFSET_TAIL(-v) : (int64_t)v;
        }
        long count = argc > 5 ? atol(argv[5]) : 0;

        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        if (rd_kafka_conf_set(conf, "bootstrap.servers", argv[1], errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK ||
            rd_kafka_conf_set(conf, "enable.partition.eof", "true", errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK) {
                fprintf(stderr, "%s\n", errstr);
                rd_kafka_conf_destroy(conf);
                return 1;
        }
        for (int i = 6; i < argc; i++) {
                char *kv = strdup(argv[i]);
                char *eq = kv ? strchr(kv, '=') : NULL;
                if (!eq) {
                        fprintf(stderr, "bad config %s\n", argv[i]);
                        free(kv);
                        rd_kafka_conf_destroy(conf);
                        return 2;
                }
                *eq = '\0';
                if (rd_kafka_conf_set(conf, kv, eq + 1, errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK) {
                        fprintf(stderr, "%s\n", errstr);
                        free(kv);
                        rd_kafka_conf_destroy(conf);
                        return 1;
                }
                free(kv);
        }
        rd_kafka_conf_set_error_cb(conf, error_cb);

        rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof(errstr));
        if (!rk) {
                fprintf(stderr, "rd_kafka_new failed: %s\n", errstr);
                rd_kafka_conf_destroy(conf);
                return 1;
        }
        rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, topic, NULL);
        if (!rkt) {
                fprintf(stderr, "rd_kafka_topic_new: %s\n", rd_kafka_err2str(rd_kafka_last_error()));
                rd_kafka_destroy(rk);
                return 1;
        }
        if (rd_kafka_consume_start(rkt, partition, start) == -1) {
                fprintf(stderr, "consume_start: %s\n", rd_kafka_err2str(rd_kafka_last_error()));
                rd_kafka_topic_destroy(rkt);
                rd_kafka_destroy(rk);
                return 1;
        }
        signal(SIGINT, stop);
        signal(SIGTERM, stop);

        long consumed = 0, errors = 0;
        int64_t first = -1, last = -1;
        size_t bytes = 0;
        int eof = 0;
        rd_kafka_message_t *batch[100];
        while (run && !eof && (count <= 0 || consumed < count)) {
                size_t want = sizeof(batch) / sizeof(batch[0]);
                if (count > 0 && (size_t)(count - consumed) < want)
                        want = (size_t)(count - consumed);
                ssize_t n = rd_kafka_consume_batch(rkt, partition, 1000, batch, want);
                if (n < 0) {
                        fprintf(stderr, "consume_batch: %s\n", rd_kafka_err2str(rd_kafka_last_error()));
                        errors++;
                        break;
                }
                for (ssize_t i = 0; i < n; i++) {
                        rd_kafka_message_t *m = batch[i];
                        if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
                                printf("end of partition at offset %" PRId64 "\n", m->offset);
                                eof = 1;
                        } else if (m->err) {
                                fprintf(stderr, "error: %s: %s\n", rd_kafka_err2name(m->err),
                                        rd_kafka_message_errstr(m));
                                errors++;
                        } else {
                                print_message(m);
                                if (first < 0)
                                        first = m->offset;
                                last = m->offset;
                                bytes += m->len;
                                consumed++;
                        }
                        rd_kafka_message_destroy(m);
                }
                rd_kafka_poll(rk, 0); /* serves error_cb */
        }
        rd_kafka_consume_stop(rkt, partition);

        int64_t lo = -1, hi = -1;
        rd_kafka_get_watermark_offsets(rk, topic, partition, &lo, &hi);
        printf("library: %s\n", rd_kafka_version_str());
        printf("consumed %ld messages (%zu value bytes) from %s [%" PRId32 "], offsets %" PRId64 "..%" PRId64
               ", watermarks %" PRId64 "..%" PRId64 ", %ld errors%s\n",
               consumed, bytes, topic, partition, first, last, lo, hi, errors, eof ? ", reached end" : "");
        rd_kafka_topic_destroy(rkt);
        rd_kafka_destroy(rk);
        return errors ? 1 : 0;
}
