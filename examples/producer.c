/* Produces N messages with delivery reports and prints a summary.
 * Written against librdkafka's rdkafka.h: builds and runs unchanged on librdkafka
 * and on kafkars (link -lkafkars, or run through the librdkafka.so.1 compat link).
 *
 *   producer <bootstrap> <topic> [count] [size] [key=value config...]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <librdkafka/rdkafka.h>

static long delivered, failed;
static rd_kafka_resp_err_t first_err;

static void dr_msg_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) {
        (void)rk; (void)opaque;
        if (m->err) {
                if (!failed) first_err = m->err;
                failed++;
        } else {
                delivered++;
        }
}

static void error_cb(rd_kafka_t *rk, int err, const char *reason, void *opaque) {
        (void)rk; (void)opaque;
        fprintf(stderr, "error_cb: %s: %s\n", rd_kafka_err2name(err), reason);
}

int main(int argc, char **argv) {
        char errstr[512];
        if (argc < 3) {
                fprintf(stderr, "usage: %s <bootstrap> <topic> [count] [size] [key=value...]\n", argv[0]);
                return 2;
        }
        const char *topic = argv[2];
        long count = argc > 3 ? atol(argv[3]) : 1000;
        size_t size = argc > 4 ? (size_t)atol(argv[4]) : 100;

        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        if (rd_kafka_conf_set(conf, "bootstrap.servers", argv[1], errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK) {
                fprintf(stderr, "%s\n", errstr);
                return 1;
        }
        for (int i = 5; i < argc; i++) {
                char *kv = strdup(argv[i]);
                char *eq = strchr(kv, '=');
                if (!eq) { fprintf(stderr, "bad config %s\n", kv); return 2; }
                *eq = '\0';
                if (rd_kafka_conf_set(conf, kv, eq + 1, errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK) {
                        fprintf(stderr, "%s\n", errstr);
                        free(kv);
                        rd_kafka_conf_destroy(conf);
                        return 1;
                }
                free(kv);
        }
        rd_kafka_conf_set_dr_msg_cb(conf, dr_msg_cb);
        rd_kafka_conf_set_error_cb(conf, error_cb);

        rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        if (!rk) {
                fprintf(stderr, "rd_kafka_new failed: %s\n", errstr);
                rd_kafka_conf_destroy(conf);
                return 1;
        }

        char *payload = malloc(size + 1);
        for (size_t i = 0; i < size; i++) payload[i] = 'a' + (char)(i % 26);
        for (long i = 0; i < count; i++) {
                char key[32];
                int klen = snprintf(key, sizeof(key), "key-%ld", i);
                rd_kafka_resp_err_t err;
                while ((err = rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_KEY(key, (size_t)klen),
                                                RD_KAFKA_V_VALUE(payload, size), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                                                RD_KAFKA_V_HEADER("seq", &i, sizeof(i)), RD_KAFKA_V_END)) == RD_KAFKA_RESP_ERR__QUEUE_FULL)
                        rd_kafka_poll(rk, 10);
                if (err) {
                        fprintf(stderr, "produce failed: %s\n", rd_kafka_err2str(err));
                        failed++;
                }
                rd_kafka_poll(rk, 0);
        }
        rd_kafka_resp_err_t ferr = rd_kafka_flush(rk, 30000);
        printf("library: %s\n", rd_kafka_version_str());
        printf("produced %ld messages of %zu bytes to %s: %ld delivered, %ld failed%s%s, flush: %s\n", count, size, topic,
               delivered, failed, failed ? " first error: " : "", failed ? rd_kafka_err2name(first_err) : "",
               rd_kafka_err2name(ferr));
        free(payload);
        rd_kafka_destroy(rk);
        return (delivered == count && !ferr) ? 0 : 1;
}
