/* Helpers shared by the bench programs (bench.c and its modes, scale.c): clocks, CPU
 * and memory readings, JSON output, argument parsing. rdkafka.h API only. */
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

void error_cb(rd_kafka_t *rk, int err, const char *reason, void *opaque) {
        (void)rk;
        (void)opaque;
        fprintf(stderr, "bench: error_cb: %s: %s\n", rd_kafka_err2name((rd_kafka_resp_err_t)err), reason);
}

double now_s(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double cpu_s(void) {
        struct rusage ru;
        if (getrusage(RUSAGE_SELF, &ru) != 0)
                return 0.0;
        return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
               (double)ru.ru_stime.tv_usec / 1e6;
}

long max_rss_kb(void) {
        struct rusage ru;
        if (getrusage(RUSAGE_SELF, &ru) != 0)
                return -1;
        return ru.ru_maxrss; /* KiB on Linux */
}

long cur_rss_kb(void) {
        FILE *f = fopen("/proc/self/status", "r");
        char line[256];
        long kb = -1;
        if (!f)
                return -1;
        while (fgets(line, sizeof(line), f))
                if (!strncmp(line, "VmRSS:", 6)) {
                        kb = strtol(line + 6, NULL, 10);
                        break;
                }
        fclose(f);
        return kb;
}

const char *lib_path(void) {
        Dl_info info;
        if (dladdr((void *)rd_kafka_version_str, &info) && info.dli_fname)
                return info.dli_fname;
        return "?";
}

void json_str(const char *s) {
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

void json_lib(void) {
        printf(",\"lib\":");
        json_str(rd_kafka_version_str());
        printf(",\"lib_path\":");
        json_str(lib_path());
}

void json_conf(rd_kafka_t *rk, const char *const *keys) {
        const rd_kafka_conf_t *conf = rd_kafka_conf(rk);
        printf(",\"conf\":{");
        for (int i = 0; keys[i]; i++) {
                char val[512];
                size_t len = sizeof(val);
                if (!conf || rd_kafka_conf_get(conf, keys[i], val, &len) != RD_KAFKA_CONF_OK)
                        snprintf(val, sizeof(val), "?");
                printf("%s", i ? "," : "");
                json_str(keys[i]);
                putchar(':');
                json_str(val);
        }
        putchar('}');
}

long parse_long(const char *s, const char *what) {
        char *end;
        errno = 0;
        long v = strtol(s, &end, 10);
        if (errno || *end || v < 0 || end == s) {
                fprintf(stderr, "bench: bad %s: %s\n", what, s);
                exit(2);
        }
        return v;
}

int apply_conf_args(rd_kafka_conf_t *conf, int argc, char **argv, int first, bench_opt_fn opt) {
        char errstr[512];
        for (int i = first; i < argc; i++) {
                char *kv = strdup(argv[i]);
                char *eq = kv ? strchr(kv, '=') : NULL;
                if (!eq) {
                        fprintf(stderr, "bench: expected key=value, got %s\n", argv[i]);
                        free(kv);
                        return 2;
                }
                *eq = '\0';
                const char *v = eq + 1;
                int taken = opt ? opt(kv, v) : 0;
                if (taken < 0) {
                        free(kv);
                        return 2;
                }
                if (!taken && !strncmp(kv, "bench.", 6)) {
                        fprintf(stderr, "bench: option %s does not apply to this mode\n", kv);
                        free(kv);
                        return 2;
                }
                if (!taken && rd_kafka_conf_set(conf, kv, v, errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK) {
                        fprintf(stderr, "bench: %s\n", errstr);
                        free(kv);
                        return 2;
                }
                free(kv);
        }
        return 0;
}

rd_kafka_t *new_producer(const char *bootstrap, const char *topic, int argc, char **argv, int first, bench_opt_fn opt,
                         void (*dr)(rd_kafka_t *, const rd_kafka_message_t *, void *), rd_kafka_topic_t **rkt, int *rc) {
        char errstr[512];
        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        *rc = 2;
        if (rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap, errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK) {
                fprintf(stderr, "bench: %s\n", errstr);
                rd_kafka_conf_destroy(conf);
                return NULL;
        }
        if (apply_conf_args(conf, argc, argv, first, opt)) {
                rd_kafka_conf_destroy(conf);
                return NULL;
        }
        rd_kafka_conf_set_dr_msg_cb(conf, dr);
        rd_kafka_conf_set_error_cb(conf, error_cb);
        *rc = 1;
        rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        if (!rk) {
                fprintf(stderr, "bench: rd_kafka_new: %s\n", errstr);
                return NULL;
        }
        /* producev looks the topic up by name; the handle is still used for metadata. */
        *rkt = rd_kafka_topic_new(rk, topic, NULL);
        if (!*rkt) {
                fprintf(stderr, "bench: rd_kafka_topic_new: %s\n", rd_kafka_err2str(rd_kafka_last_error()));
                rd_kafka_destroy(rk);
                return NULL;
        }
        *rc = 0;
        return rk;
}
