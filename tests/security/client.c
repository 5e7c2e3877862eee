/* One client program for the security suites (TLS, SASL): it runs against whatever
 * librdkafka.so.1 the loader finds (genuine librdkafka, or kafkars through the compat
 * link) and reports the outcome on stdout, one fact per line, for the suites to match:
 *
 *   version <rd_kafka_version_str()>
 *   conf_error <key>: <errstr>          rd_kafka_conf_set failed (exit status 2)
 *   new_error <producer|consumer>: <errstr>   rd_kafka_new failed
 *   error <ERR_NAME>: <reason>           error_cb (at most ERR_LINES_PER_NAME per name
 *                                        and handle; "error_lines_dropped N" after that)
 *   produce_error <ERR_NAME>             rd_kafka_producev refused a message (counted
 *                                        in F below)
 *   delivered D failed F                 delivery reports; when -T runs out first, the
 *                                        rest is purged and reported as failed (_PURGE_*)
 *   dr_error <ERR_NAME>                  each distinct delivery failure code
 *   unreported U                         messages without any report (only when U > 0)
 *   consumed C                           -c: distinct values m0..m<count-1> read back
 *   consumed_other X                     -c: other messages or duplicates (when X > 0)
 *   consume_error <ERR_NAME>: <reason>   -c: error events from rd_kafka_consumer_poll
 *   subscribe_error <ERR_NAME>           -c: rd_kafka_subscribe failed
 *   metadata ok brokers=B | metadata_error <ERR_NAME>     -m
 *   wait_destroyed timed out             rd_kafka_wait_destroyed(5000) at the end failed
 * librdkafka's logs go to stderr: "log <level> <fac> <handle>: <message>".
 *
 * Usage: client [-t topic] [-n count] [-s bytes] [-c] [-m] [-T ms] [-X key=value]...
 *   -t topic   default "sec"          -n count   messages, default 10 (values "m0".."m9")
 *   -s bytes   values padded to this size: "m<i>:" then a fixed pattern (values of
 *              4 KiB and up leave kafkars by reference, not copied into the request)
 *   -c         after producing, consume with a new consumer (unique group.id,
 *              auto.offset.reset=earliest, the same -X properties) until count or -T
 *   -m         only connect: rd_kafka_metadata (10 s timeout); no produce/consume
 *   -T ms      bound of the flush and, separately, of the consume loop; default 15000
 *   -X k=v     configuration property, applied to every handle (after the defaults)
 * Exit status: 0 when the run completed, whatever its outcome; 2 on usage or conf_set
 * errors. Every handle is destroyed and everything freed (valgrind-clean on genuine
 * librdkafka). Build: gcc -o client client.c -lrdkafka */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <librdkafka/rdkafka.h>

#define MAX_PROPS 64
#define MAX_CODES 32
#define ERR_LINES_PER_NAME 6

#include "common.h"

static const char *props[MAX_PROPS];
static int prop_cnt;
static int value_size; /* -s: 0 = just "m<i>" */

/* Message i's value into buf (value_size + 32 bytes); returns its length. */
static size_t make_value(char *buf, int i) {
        size_t len = (size_t)snprintf(buf, 32, "m%d", i);
        if ((size_t)value_size > len) {
                buf[len++] = ':';
                while (len < (size_t)value_size) {
                        buf[len] = (char)('a' + (len * 7 + (size_t)i) % 26);
                        len++;
                }
        }
        return len;
}

/* The i of a value exactly as make_value(i) writes it, or -1. */
static int value_index(const rd_kafka_message_t *m) {
        char buf[32], *want;
        int idx = -1, ok;
        size_t len = m->len < sizeof(buf) - 1 ? m->len : sizeof(buf) - 1;
        if (!m->payload)
                return -1;
        memcpy(buf, m->payload, len);
        buf[len] = '\0';
        if (sscanf(buf, "m%d", &idx) != 1 || idx < 0)
                return -1;
        want = malloc((size_t)value_size + 32);
        ok = make_value(want, idx) == m->len && !memcmp(want, m->payload, m->len);
        free(want);
        return ok ? idx : -1;
}

/* Error lines printed so far, per (handle kind, error code): keeps a failing cluster
 * of three brokers from flooding stdout while still showing every distinct name. */
struct err_seen {
        int kind;
        int code;
        int lines;
};
static struct err_seen seen[MAX_CODES];
static int seen_cnt;
static int err_lines_dropped;



static int note_error(int kind, int code) {
        int i;
        for (i = 0; i < seen_cnt; i++) {
                if (seen[i].kind == kind && seen[i].code == code)
                        return ++seen[i].lines <= ERR_LINES_PER_NAME;
        }
        if (seen_cnt < MAX_CODES) {
                seen[seen_cnt].kind  = kind;
                seen[seen_cnt].code  = code;
                seen[seen_cnt].lines = 1;
                seen_cnt++;
        }
        return 1;
}

static void error_cb(rd_kafka_t *rk, int err, const char *reason, void *opaque) {
        int kind = rd_kafka_type(rk) == RD_KAFKA_CONSUMER;
        (void)opaque;
        if (!note_error(kind, err)) {
                err_lines_dropped++;
                return;
        }
        printf("error %s: %s\n", rd_kafka_err2name((rd_kafka_resp_err_t)err),
               reason ? reason : "(null)");
}

static void log_cb(const rd_kafka_t *rk, int level, const char *fac,
                   const char *buf) {
        fprintf(stderr, "log %d %s %s: %s\n", level, fac ? fac : "-",
                rk ? rd_kafka_name(rk) : "-", buf ? buf : "");
}


static int set1(rd_kafka_conf_t *conf, const char *key, const char *val) {
        char errstr[512];
        if (rd_kafka_conf_set(conf, key, val, errstr, sizeof(errstr)) !=
            RD_KAFKA_CONF_OK) {
                printf("conf_error %s: %s\n", key, errstr);
                return -1;
        }
        return 0;
}

/* Applies every -X property; -1 after a conf_error (already printed). */
static int apply_props(rd_kafka_conf_t *conf) {
        int i;
        for (i = 0; i < prop_cnt; i++) {
                const char *eq = strchr(props[i], '=');
                size_t klen    = (size_t)(eq - props[i]);
                char *key      = malloc(klen + 1);
                int rc;
                memcpy(key, props[i], klen);
                key[klen] = '\0';
                rc        = set1(conf, key, eq + 1);
                free(key);
                if (rc)
                        return -1;
        }
        return 0;
}

/* A new configuration with the callbacks, `defaults` (key, value, ..., NULL) and then
 * every -X (which may override a default); exits with status 2 on a conf_error. */
static rd_kafka_conf_t *make_conf(const char *const *defaults) {
        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        rd_kafka_conf_set_error_cb(conf, error_cb);
        rd_kafka_conf_set_log_cb(conf, log_cb);
        for (; defaults && defaults[0]; defaults += 2) {
                if (set1(conf, defaults[0], defaults[1]))
                        goto fail;
        }
        if (apply_props(conf))
                goto fail;
        return conf;
fail:
        rd_kafka_conf_destroy(conf);
        exit(2);
}

static void print_new_error(const char *what, const char *errstr) {
        printf("new_error %s: %s\n", what, errstr);
}

/* Produces count messages and waits for their delivery reports (bounded).
 * Returns 0 if the producer was created. */
static int produce(const char *topic, int count, int timeout_ms) {
        char errstr[512];
        rd_kafka_conf_t *conf = make_conf(NULL);
        rd_kafka_t *rk;
        int64_t deadline;
        int i, left;

        rd_kafka_conf_set_dr_msg_cb(conf, dr_msg_cb);
        rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        if (!rk) {
                print_new_error("producer", errstr);
                rd_kafka_conf_destroy(conf);
                return -1;
        }
        deadline = now_ms() + timeout_ms;
        char *val = malloc((size_t)value_size + 32);
        for (i = 0; i < count; i++) {
                rd_kafka_resp_err_t err;
                size_t vlen = make_value(val, i);
                do {
                        err = rd_kafka_producev(
                            rk, RD_KAFKA_V_TOPIC(topic),
                            RD_KAFKA_V_VALUE(val, vlen),
                            RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                            RD_KAFKA_V_END);
                        if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL)
                                rd_kafka_poll(rk, 100);
                } while (err == RD_KAFKA_RESP_ERR__QUEUE_FULL &&
                         remaining_ms(deadline) > 0);
                if (err) {
                        printf("produce_error %s\n", rd_kafka_err2name(err));
                        dr_failed++;
                }
                rd_kafka_poll(rk, 0);
        }
        free(val);
        /* Flush in slices so error_cb lines keep coming while we wait. */
        while (dr_delivered + dr_failed < count && remaining_ms(deadline) > 0) {
                int slice = remaining_ms(deadline);
                rd_kafka_flush(rk, slice > 200 ? 200 : slice);
        }
        if (dr_delivered + dr_failed < count) {
                /* Out of time: purged messages get _PURGE_QUEUE/_PURGE_INFLIGHT reports. */
                rd_kafka_purge(rk, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
                deadline = now_ms() + 3000;
                while (dr_delivered + dr_failed < count &&
                       remaining_ms(deadline) > 0)
                        rd_kafka_poll(rk, 100);
        }
        rd_kafka_poll(rk, 0);
        printf("delivered %d failed %d\n", dr_delivered, dr_failed);
        for (i = 0; i < dr_code_cnt; i++)
                printf("dr_error %s\n", rd_kafka_err2name(dr_codes[i]));
        left = count - dr_delivered - dr_failed;
        if (left > 0)
                printf("unreported %d\n", left);
        fflush(stdout);
        rd_kafka_destroy(rk);
        return 0;
}

static void consume(const char *topic, int count, int timeout_ms) {
        char errstr[512], group[128];
        const char *defaults[] = {"group.id", NULL, "auto.offset.reset", "earliest", NULL};
        rd_kafka_conf_t *conf;
        rd_kafka_t *rk;
        rd_kafka_topic_partition_list_t *sub;
        rd_kafka_resp_err_t err;
        unsigned char *seenv = calloc((size_t)count + 1, 1);
        int consumed = 0, other = 0, err_events = 0;
        int64_t deadline;

        snprintf(group, sizeof(group), "sec-%s-%d-%" PRId64, topic, (int)getpid(),
                 now_ms());
        defaults[1] = group;
        conf        = make_conf(defaults);
        rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof(errstr));
        if (!rk) {
                print_new_error("consumer", errstr);
                rd_kafka_conf_destroy(conf);
                free(seenv);
                return;
        }
        rd_kafka_poll_set_consumer(rk);
        sub = rd_kafka_topic_partition_list_new(1);
        rd_kafka_topic_partition_list_add(sub, topic, RD_KAFKA_PARTITION_UA);
        err = rd_kafka_subscribe(rk, sub);
        rd_kafka_topic_partition_list_destroy(sub);
        if (err)
                printf("subscribe_error %s\n", rd_kafka_err2name(err));

        deadline = now_ms() + timeout_ms;
        while (!err && consumed < count && remaining_ms(deadline) > 0) {
                int slice = remaining_ms(deadline);
                rd_kafka_message_t *m =
                    rd_kafka_consumer_poll(rk, slice > 200 ? 200 : slice);
                if (!m)
                        continue;
                if (m->err) {
                        if (++err_events <= ERR_LINES_PER_NAME)
                                printf("consume_error %s: %s\n",
                                       rd_kafka_err2name(m->err),
                                       rd_kafka_message_errstr(m));
                } else {
                        int idx = value_index(m);
                        if (idx >= 0 && idx < count && !seenv[idx]) {
                                seenv[idx] = 1;
                                consumed++;
                        } else {
                                other++;
                        }
                }
                rd_kafka_message_destroy(m);
        }
        printf("consumed %d\n", consumed);
        if (other)
                printf("consumed_other %d\n", other);
        fflush(stdout);
        rd_kafka_consumer_close(rk);
        rd_kafka_destroy(rk);
        free(seenv);
}

static void metadata_only(void) {
        char errstr[512];
        rd_kafka_conf_t *conf = make_conf(NULL);
        const rd_kafka_metadata_t *md = NULL;
        rd_kafka_resp_err_t err;
        rd_kafka_t *rk;

        rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        if (!rk) {
                print_new_error("producer", errstr);
                rd_kafka_conf_destroy(conf);
                return;
        }
        err = rd_kafka_metadata(rk, 1, NULL, &md, 10000);
        rd_kafka_poll(rk, 0);
        if (err) {
                printf("metadata_error %s\n", rd_kafka_err2name(err));
        } else {
                printf("metadata ok brokers=%d\n", md->broker_cnt);
                rd_kafka_metadata_destroy(md);
        }
        fflush(stdout);
        rd_kafka_destroy(rk);
}

static void usage(void) {
        fprintf(stderr,
                "usage: client [-t topic] [-n count] [-s bytes] [-c] [-m] [-T ms] "
                "[-X key=value]...\n");
        exit(2);
}

int main(int argc, char **argv) {
        const char *topic = "sec";
        int count = 10, do_consume = 0, meta = 0, timeout_ms = 15000, opt;

        setvbuf(stdout, NULL, _IOLBF, 0);
        while ((opt = getopt(argc, argv, "t:n:s:cmT:X:")) != -1) {
                switch (opt) {
                case 't':
                        topic = optarg;
                        break;
                case 's':
                        value_size = atoi(optarg);
                        if (value_size < 0 || value_size > 1000000)
                                usage();
                        break;
                case 'n':
                        count = atoi(optarg);
                        if (count < 0 || count > 1000000)
                                usage();
                        break;
                case 'c':
                        do_consume = 1;
                        break;
                case 'm':
                        meta = 1;
                        break;
                case 'T':
                        timeout_ms = atoi(optarg);
                        if (timeout_ms <= 0)
                                usage();
                        break;
                case 'X':
                        if (!strchr(optarg, '=') || optarg[0] == '=') {
                                printf("conf_error %s: expected key=value\n", optarg);
                                return 2;
                        }
                        if (prop_cnt == MAX_PROPS) {
                                printf("conf_error %s: too many -X\n", optarg);
                                return 2;
                        }
                        props[prop_cnt++] = optarg;
                        break;
                default:
                        usage();
                }
        }
        if (optind != argc)
                usage();

        printf("version %s\n", rd_kafka_version_str());
        if (meta) {
                metadata_only();
        } else if (produce(topic, count, timeout_ms) == 0 && do_consume) {
                consume(topic, count, timeout_ms);
        }
        if (err_lines_dropped)
                printf("error_lines_dropped %d\n", err_lines_dropped);
        if (rd_kafka_wait_destroyed(5000) != 0)
                printf("wait_destroyed timed out\n");
        return 0;
}
