/* Helpers shared by the bench programs (bench_util.c; used by bench.c, bench_latency.c,
 * bench_memory.c and scale.c).
 * Everything here uses only librdkafka's public rdkafka.h API. */
#ifndef KAFKARS_BENCH_H
#define KAFKARS_BENCH_H

#include <librdkafka/rdkafka.h>

/* Monotonic clock, seconds. */
double now_s(void);
/* Whole-process CPU (all threads: the library's too), user + sys, seconds. */
double cpu_s(void);
/* Peak resident set size of the process so far (getrusage ru_maxrss), KiB. */
long max_rss_kb(void);
/* Current resident set size (VmRSS of /proc/self/status), KiB; -1 if unknown. */
long cur_rss_kb(void);
/* The shared object that provides the API: proves what the loader picked. */
const char *lib_path(void);
/* Prints s as a JSON string (minimal escaping). */
void json_str(const char *s);
/* Non-negative decimal integer or exit(2) naming `what`. */
long parse_long(const char *s, const char *what);
void error_cb(rd_kafka_t *rk, int err, const char *reason, void *opaque);

/* Handler of the bench's own key=value options (bench.*): returns 1 if it took the
 * option, 0 if the pair is a librdkafka property, -1 on a bad value (already said). */
typedef int (*bench_opt_fn)(const char *key, const char *value);
/* Applies argv[first..argc-1] (key=value) to conf, bench.* options through opt (may
 * be NULL: then every pair goes to conf). Returns 0, or 2 (bad usage, said on stderr). */
int apply_conf_args(rd_kafka_conf_t *conf, int argc, char **argv, int first, bench_opt_fn opt);
/* Prints `,"conf":{"k":"v",...}` with the effective values of the NULL-terminated
 * property list, read back from the handle's configuration (rd_kafka_conf()). */
void json_conf(rd_kafka_t *rk, const char *const *keys);
/* Prints the fields every mode's JSON line starts with after "mode":
 * ,"lib":...,"lib_path":... */
void json_lib(void);

/* A producer for bootstrap with argv[first..] applied (bench.* options through opt),
 * the delivery report callback dr and bench's error_cb, and *rkt for topic. NULL on
 * failure (said on stderr) with *rc the exit code: 2 bad usage, 1 failure. */
rd_kafka_t *new_producer(const char *bootstrap, const char *topic, int argc, char **argv, int first, bench_opt_fn opt,
                         void (*dr)(rd_kafka_t *, const rd_kafka_message_t *, void *), rd_kafka_topic_t **rkt, int *rc);

/* Modes in their own files. */
int run_latency(int argc, char **argv);
int run_memory(int argc, char **argv);

#endif
