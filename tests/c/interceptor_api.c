/* librdkafka's interceptor API and plugin.library.paths, against the mock cluster
 * (tests/c/run.sh, tests/c/run_interceptors.sh). Built against Debian's rdkafka.h;
 * passes on genuine librdkafka 2.0.2 and 2.16 and runs unchanged on kafkars.
 *
 *   KAFKARS_ICPT_LOG=<log> interceptor_api <bootstrap> [<plugin.so>]
 *
 * The plugin (tests/c/plugin/test_interceptor.c; path from argv[2] or
 * $KAFKARS_ICPT_PLUGIN) logs every interceptor call to $KAFKARS_ICPT_LOG; this
 * program appends "mark ..." lines to the same file around what it does, checks
 * parts of the log itself, and run_interceptors.sh diffs the normalised log
 * (tests/c/icpt_normalize.py) of genuine librdkafka against kafkars'.
 *
 * Sections (each "mark begin <name>" ... "mark end <name>" in the log):
 *   plugin-errors   plugin.library.paths failures: errstr exactly as librdkafka
 *                   formats it (dlopen/dlsym/conf_init errors + " (plugin <path>)")
 *   plugin-conf     on_conf_set of the plugin's own property, conf_get, conf_dup
 *                   (on_conf_dup, filter list, interceptor config replayed)
 *   produce         producer with the plugin: on_send/on_acknowledgement/DR order,
 *                   failed messages (unknown partition, sync and async)
 *   consume         group consumer with the plugin: on_consume, on_commit (sync,
 *                   explicit offsets with an error), close, destroy
 *   autocommit      on_commit from auto commit
 *   background      the background thread's on_thread_start/exit
 *   direct          interceptors added directly by the app (no plugin): _CONFLICT,
 *                   on_send changing the partition, on_acknowledgement for every
 *                   message, threads, order at rd_kafka_new/destroy, conf_dup
 * Every wait is bounded. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <librdkafka/rdkafka.h>

#include "testutil.h"

#define NMSG 10
#define NPART 4

static const char *bootstrap;
static const char *plugin;
static const char *logpath;
static char topic[96];

/* ---- the shared log ---- */

static void mark(const char *fmt, ...) {
        char buf[1024];
        va_list ap;
        int n = snprintf(buf, sizeof(buf), "mark ");
        va_start(ap, fmt);
        n += vsnprintf(buf + n, sizeof(buf) - (size_t)n - 2, fmt, ap);
        va_end(ap);
        if (n > (int)sizeof(buf) - 2)
                n = (int)sizeof(buf) - 2;
        buf[n++] = '\n';
        int fd = open(logpath, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
        if (fd >= 0) {
                ssize_t r = write(fd, buf, (size_t)n);
                (void)r;
                close(fd);
        }
}

/* Lines of the log between "mark begin <sec>" and "mark end <sec>" (or EOF),
 * as one malloc'd buffer of '\n'-terminated lines. */
static char *section_log(const char *sec) {
        FILE *f = fopen(logpath, "r");
        char begin[128], end[128], line[8192];
        size_t cap = 1 << 16, len = 0;
        char *out = malloc(cap);
        int in = 0;
        out[0] = '\0';
        if (!f)
                return out;
        snprintf(begin, sizeof(begin), "mark begin %s\n", sec);
        snprintf(end, sizeof(end), "mark end %s\n", sec);
        while (fgets(line, sizeof(line), f)) {
                if (!strcmp(line, begin)) {
                        in = 1;
                        len = 0;
                        out[0] = '\0';
                        continue;
                }
                if (!strcmp(line, end)) {
                        in = 0;
                        continue;
                }
                if (!in)
                        continue;
                size_t l = strlen(line);
                if (len + l + 1 > cap) {
                        cap = (len + l + 1) * 2;
                        out = realloc(out, cap);
                }
                memcpy(out + len, line, l + 1);
                len += l;
        }
        fclose(f);
        return out;
}

/* Number of lines of `log` that start with `prefix` and contain every one of the
 * NULL-terminated substrings that follow. */
static int count_lines(const char *log, const char *prefix, ...) {
        int n = 0;
        const char *p = log;
        while (*p) {
                const char *e = strchr(p, '\n');
                size_t l = e ? (size_t)(e - p) : strlen(p);
                char line[8192];
                if (l >= sizeof(line))
                        l = sizeof(line) - 1;
                memcpy(line, p, l);
                line[l] = '\0';
                if (!strncmp(line, prefix, strlen(prefix))) {
                        va_list ap;
                        const char *s;
                        int ok = 1;
                        va_start(ap, prefix);
                        while ((s = va_arg(ap, const char *)))
                                if (!strstr(line, s))
                                        ok = 0;
                        va_end(ap);
                        n += ok;
                }
                p += l;
                if (*p == '\n')
                        p++;
        }
        return n;
}

/* Line number (0-based) of the first line starting with `prefix` and containing
 * `sub` (NULL: any), or -1. */
static int line_of(const char *log, const char *prefix, const char *sub) {
        int i = 0;
        const char *p = log;
        while (*p) {
                const char *e = strchr(p, '\n');
                size_t l = e ? (size_t)(e - p) : strlen(p);
                if (l >= strlen(prefix) && !strncmp(p, prefix, strlen(prefix))) {
                        char line[8192];
                        size_t m = l < sizeof(line) - 1 ? l : sizeof(line) - 1;
                        memcpy(line, p, m);
                        line[m] = '\0';
                        if (!sub || strstr(line, sub))
                                return i;
                }
                i++;
                p += l;
                if (*p == '\n')
                        p++;
        }
        return -1;
}

/* ---- helpers ---- */

static rd_kafka_conf_t *conf_with_plugin(const char *prop) {
        char errstr[512];
        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        rd_kafka_conf_res_t r = rd_kafka_conf_set(conf, "plugin.library.paths", plugin, errstr, sizeof(errstr));
        CHECK(r == RD_KAFKA_CONF_OK, "plugin.library.paths=%s: %d %s", plugin, r, errstr);
        if (prop) {
                r = rd_kafka_conf_set(conf, "test_interceptor.prop", prop, errstr, sizeof(errstr));
                CHECK(r == RD_KAFKA_CONF_OK, "test_interceptor.prop: %d %s", r, errstr);
        }
        r = rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap, errstr, sizeof(errstr));
        CHECK(r == RD_KAFKA_CONF_OK, "bootstrap.servers: %s", errstr);
        return conf;
}

static void set(rd_kafka_conf_t *conf, const char *k, const char *v) {
        char errstr[512];
        rd_kafka_conf_res_t r = rd_kafka_conf_set(conf, k, v, errstr, sizeof(errstr));
        CHECK(r == RD_KAFKA_CONF_OK, "conf %s=%s: %d %s", k, v, r, errstr);
}

static int dr_ok, dr_err;
static int delivered_total; /* messages in `topic` */
static rd_kafka_resp_err_t dr_last_err;
static void dr_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) {
        mark("dr key=%.*s partition=%" PRId32 " offset=%" PRId64 " err=%s", (int)m->key_len,
             m->key ? (const char *)m->key : "", m->partition, m->offset, rd_kafka_err2name(m->err));
        if (m->err) {
                dr_err++;
                dr_last_err = m->err;
        } else {
                dr_ok++;
                delivered_total++;
        }
}

static volatile int icfail_logs;
static void log_cb(const rd_kafka_t *rk, int level, const char *fac, const char *buf) {
        if (!strcmp(fac, "ICFAIL"))
                __atomic_add_fetch(&icfail_logs, 1, __ATOMIC_SEQ_CST);
}

static rd_kafka_resp_err_t produce_keyed(rd_kafka_t *rk, int32_t partition, const char *key, const char *val) {
        return rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_PARTITION(partition),
                                 RD_KAFKA_V_KEY(key, strlen(key)), RD_KAFKA_V_VALUE((char *)val, strlen(val)),
                                 RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
}

/* ---- plugin-errors ---- */

static void expect_plugin_error(const char *paths, const char *want, const char *what) {
        char errstr[512] = "", before[1024], after[1024];
        size_t bsz = sizeof(before), asz = sizeof(after);
        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        rd_kafka_conf_res_t gb = rd_kafka_conf_get(conf, "plugin.library.paths", before, &bsz);
        rd_kafka_conf_res_t r = rd_kafka_conf_set(conf, "plugin.library.paths", paths, errstr, sizeof(errstr));
        CHECK(r == RD_KAFKA_CONF_INVALID, "%s: conf_set returned %d, want RD_KAFKA_CONF_INVALID", what, r);
        CHECK(!strcmp(errstr, want), "%s: errstr\n    \"%s\"\n  want\n    \"%s\"", what, errstr, want);
        /* The value is not stored when loading fails. */
        rd_kafka_conf_res_t ga = rd_kafka_conf_get(conf, "plugin.library.paths", after, &asz);
        CHECK(ga == gb && (ga != RD_KAFKA_CONF_OK || !strcmp(before, after)),
              "%s: plugin.library.paths after the failure: %d \"%s\", before: %d \"%s\"", what, ga,
              ga == RD_KAFKA_CONF_OK ? after : "", gb, gb == RD_KAFKA_CONF_OK ? before : "");
        rd_kafka_conf_destroy(conf);
}

static void test_plugin_errors(void) {
        char want[1024], path[512];
        const char *dlerr;
        void *h;
        SECTION("plugin.library.paths errors");
        mark("begin plugin-errors");

        /* 1. A file that does not exist: "dlopen() failed: <dlerror()> (plugin <path>)". */
        const char *nope = "/nonexistent/kafkars_icpt_nope.so";
        h = dlopen(nope, RTLD_NOW | RTLD_LOCAL);
        dlerr = h ? "?" : dlerror();
        snprintf(want, sizeof(want), "dlopen() failed: %s (plugin %s)", dlerr, nope);
        expect_plugin_error(nope, want, "missing file");

        /* 2. Without a file name extension librdkafka retries with ".so" appended,
         * and reports the second attempt's error (with the path as given). */
        const char *noext = "/nonexistent/kafkars_icpt_nope";
        h = dlopen("/nonexistent/kafkars_icpt_nope.so", RTLD_NOW | RTLD_LOCAL);
        dlerr = h ? "?" : dlerror();
        snprintf(want, sizeof(want), "dlopen() failed: %s (plugin %s)", dlerr, noext);
        expect_plugin_error(noext, want, "missing file, no extension");

        /* 3. A library without conf_init (libc itself):
         * "Failed to load symbol \"conf_init\": <dlerror()> (plugin <path>)". */
        Dl_info info;
        if (dladdr((void *)printf, &info) && info.dli_fname && info.dli_fname[0] == '/') {
                snprintf(path, sizeof(path), "%s", info.dli_fname);
                h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
                CHECK(h != NULL, "dlopen(%s)", path);
                if (h) {
                        dlerror();
                        void *sym = dlsym(h, "conf_init");
                        dlerr = sym ? "?" : dlerror();
                        snprintf(want, sizeof(want), "Failed to load symbol \"conf_init\": %s (plugin %s)", dlerr, path);
                        expect_plugin_error(path, want, "no conf_init");
                }
        } else {
                SKIP("cannot locate libc for the no-conf_init case");
        }

        /* 4. conf_init failing: its errstr, then " (plugin <path>)". */
        setenv("KAFKARS_ICPT_FAIL", "1", 1);
        snprintf(want, sizeof(want), "test_interceptor: conf_init refused (KAFKARS_ICPT_FAIL=1) (plugin %s)", plugin);
        expect_plugin_error(plugin, want, "conf_init fails");
        /* The first failing plugin of a list stops the load. */
        snprintf(path, sizeof(path), "%s;%s", plugin, nope);
        expect_plugin_error(path, want, "conf_init fails, first of two");
        unsetenv("KAFKARS_ICPT_FAIL");
        /* A good plugin followed by a missing one: the error is the missing one's. */
        h = dlopen(nope, RTLD_NOW | RTLD_LOCAL);
        dlerr = h ? "?" : dlerror();
        snprintf(want, sizeof(want), "dlopen() failed: %s (plugin %s)", dlerr, nope);
        expect_plugin_error(path, want, "good plugin then a missing one");

        /* 5. errstr too small for the suffix: the error is truncated, no suffix. */
        {
                char small[40];
                rd_kafka_conf_t *conf = rd_kafka_conf_new();
                h = dlopen(nope, RTLD_NOW | RTLD_LOCAL);
                dlerr = h ? "?" : dlerror();
                snprintf(want, sizeof(want), "dlopen() failed: %s", dlerr);
                rd_kafka_conf_res_t r = rd_kafka_conf_set(conf, "plugin.library.paths", nope, small, sizeof(small));
                CHECK(r == RD_KAFKA_CONF_INVALID, "small errstr: %d", r);
                CHECK(strlen(small) == sizeof(small) - 1 && !strncmp(small, want, sizeof(small) - 1),
                      "small errstr: \"%s\", want the first %zu chars of \"%s\"", small, sizeof(small) - 1, want);
                rd_kafka_conf_destroy(conf);
        }

        /* 6. The plugin path without ".so": loaded with the extension added. */
        snprintf(path, sizeof(path), "%s", plugin);
        char *dot = strrchr(path, '.');
        if (dot && !strcmp(dot, ".so")) {
                char errstr[512] = "";
                *dot = '\0';
                mark("load %s", "plugin-without-extension");
                rd_kafka_conf_t *conf = rd_kafka_conf_new();
                rd_kafka_conf_res_t r = rd_kafka_conf_set(conf, "plugin.library.paths", path, errstr, sizeof(errstr));
                CHECK(r == RD_KAFKA_CONF_OK, "plugin path without .so: %d %s", r, errstr);
                rd_kafka_conf_destroy(conf);
        }

        /* 7. The same path twice in one list: loaded (conf_init called) once. */
        {
                char errstr[512] = "";
                snprintf(path, sizeof(path), "%s;%s", plugin, plugin);
                mark("load %s", "plugin-twice-in-list");
                rd_kafka_conf_t *conf = rd_kafka_conf_new();
                rd_kafka_conf_res_t r = rd_kafka_conf_set(conf, "plugin.library.paths", path, errstr, sizeof(errstr));
                CHECK(r == RD_KAFKA_CONF_OK, "plugin twice in the list: %d %s", r, errstr);
                rd_kafka_conf_destroy(conf);
        }
        mark("end plugin-errors");

        char *log = section_log("plugin-errors");
        /* conf_init: refused twice (4.), called once for the good-then-missing list,
         * once for 6., once for 7. */
        CHECK(count_lines(log, "conf_init refused", NULL) == 2, "conf_init refused %d times, want 2",
              count_lines(log, "conf_init refused", NULL));
        CHECK(count_lines(log, "conf_init c", NULL) == 3, "conf_init succeeded %d times, want 3:\n%s",
              count_lines(log, "conf_init c", NULL), log);
        CHECK(count_lines(log, "conf_init", "thr=app", NULL) == count_lines(log, "conf_init", NULL),
              "conf_init is called on the thread calling rd_kafka_conf_set:\n%s", log);
        /* Each conf that got our interceptors is destroyed (on_conf_destroy), including
         * the one whose list failed after our plugin had loaded. */
        CHECK(count_lines(log, "on_conf_destroy", NULL) == 3, "on_conf_destroy %d times, want 3:\n%s",
              count_lines(log, "on_conf_destroy", NULL), log);
        free(log);
}

/* ---- plugin-conf ---- */

static void test_plugin_conf(void) {
        char errstr[512], buf[1024];
        size_t sz;
        rd_kafka_conf_res_t r;
        SECTION("plugin configuration, conf_get, conf_dup");
        mark("begin plugin-conf");

        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        mark("set before-plugin");
        set(conf, "client.id", "set-before-plugin");
        mark("set plugin.library.paths");
        set(conf, "plugin.library.paths", plugin);
        mark("set after-plugin");
        set(conf, "test_interceptor.prop", "hello");
        set(conf, "client.id", "set-after-plugin");
        set(conf, "socket.timeout.ms", "12345");
        set(conf, "enable.idempotence", "false");
        set(conf, "compression.codec", "lz4");  /* an enum property */
        set(conf, "topic.metadata.refresh.interval.ms", "60000");
        set(conf, "acks", "1");                 /* a topic property */
        set(conf, "queue.buffering.max.ms", "7"); /* linger.ms' alias */

        errstr[0] = '\0';
        r = rd_kafka_conf_set(conf, "test_interceptor.bad", "x", errstr, sizeof(errstr));
        CHECK(r == RD_KAFKA_CONF_INVALID, "test_interceptor.bad: %d, want RD_KAFKA_CONF_INVALID", r);
        CHECK(!strcmp(errstr, "test_interceptor.bad: rejected value \"x\""), "test_interceptor.bad errstr \"%s\"", errstr);
        errstr[0] = '\0';
        r = rd_kafka_conf_set(conf, "test_interceptor.nosuch", "x", errstr, sizeof(errstr));
        CHECK(r == RD_KAFKA_CONF_UNKNOWN, "test_interceptor.nosuch: %d, want RD_KAFKA_CONF_UNKNOWN", r);
        CHECK(!strcmp(errstr, "No such configuration property: \"test_interceptor.nosuch\""),
              "test_interceptor.nosuch errstr \"%s\"", errstr);
        mark("get");

        sz = sizeof(buf);
        r = rd_kafka_conf_get(conf, "plugin.library.paths", buf, &sz);
        CHECK(r == RD_KAFKA_CONF_OK && !strcmp(buf, plugin), "conf_get plugin.library.paths: %d \"%s\"", r,
              r == RD_KAFKA_CONF_OK ? buf : "");
        /* Properties handled by an interceptor are not readable back through
         * rd_kafka_conf_get() (librdkafka only looks at its own table). */
        sz = sizeof(buf);
        r = rd_kafka_conf_get(conf, "test_interceptor.prop", buf, &sz);
        printf("ORACLE conf_get(test_interceptor.prop) = %d\n", r);
        CHECK(r == RD_KAFKA_CONF_UNKNOWN, "conf_get test_interceptor.prop: %d, want RD_KAFKA_CONF_UNKNOWN", r);
        sz = sizeof(buf);
        r = rd_kafka_conf_get(conf, "client.id", buf, &sz);
        CHECK(r == RD_KAFKA_CONF_OK && !strcmp(buf, "set-after-plugin"), "client.id %s", buf);

        /* conf_dump lists plugin.library.paths, not the interceptor's property. */
        size_t cnt = 0, i;
        const char **d = rd_kafka_conf_dump(conf, &cnt);
        int has_paths = 0, has_prop = 0;
        for (i = 0; i + 1 < cnt; i += 2) {
                if (!strcmp(d[i], "plugin.library.paths") && !strcmp(d[i + 1], plugin))
                        has_paths = 1;
                if (!strncmp(d[i], "test_interceptor", 16))
                        has_prop = 1;
        }
        rd_kafka_conf_dump_free(d, cnt);
        CHECK(has_paths, "conf_dump has no plugin.library.paths=%s", plugin);
        CHECK(!has_prop, "conf_dump lists test_interceptor.* properties");

        /* conf_dup: on_conf_dup(new, old, 0 filters), then every set property is
         * replayed on the copy (on_conf_set of the copy's interceptors), including
         * plugin.library.paths (whose setter calls conf_init again) and the
         * interceptor's own test_interceptor.prop. */
        mark("dup");
        rd_kafka_conf_t *dup = rd_kafka_conf_dup(conf);
        mark("dup-filter");
        const char *filter[] = {"test_interceptor.", "socket."};
        rd_kafka_conf_t *dupf = rd_kafka_conf_dup_filter(conf, 2, filter);
        mark("dup-of-dup");
        rd_kafka_conf_t *dup2 = rd_kafka_conf_dup(dup);
        sz = sizeof(buf);
        r = rd_kafka_conf_get(dupf, "socket.timeout.ms", buf, &sz);
        CHECK(r == RD_KAFKA_CONF_OK && strcmp(buf, "12345"), "dup_filter copied socket.timeout.ms (%s)", buf);
        sz = sizeof(buf);
        r = rd_kafka_conf_get(dup, "socket.timeout.ms", buf, &sz);
        CHECK(r == RD_KAFKA_CONF_OK && !strcmp(buf, "12345"), "dup did not copy socket.timeout.ms (%s)", buf);
        sz = sizeof(buf);
        r = rd_kafka_conf_get(dupf, "plugin.library.paths", buf, &sz);
        CHECK(r == RD_KAFKA_CONF_OK && !strcmp(buf, plugin), "dup_filter: plugin.library.paths %d %s", r, buf);

        /* Setting plugin.library.paths again on a conf that has the plugin. */
        mark("set plugin.library.paths again");
        set(conf, "plugin.library.paths", plugin);
        mark("destroy");
        rd_kafka_conf_destroy(dupf);
        rd_kafka_conf_destroy(dup);
        rd_kafka_conf_destroy(dup2);
        rd_kafka_conf_destroy(conf);
        mark("end plugin-conf");

        char *log = section_log("plugin-conf");
        int lp = line_of(log, "mark set plugin.library.paths", NULL);
        int la = line_of(log, "mark set after-plugin", NULL);
        CHECK(count_lines(log, "on_conf_set", "set-before-plugin", NULL) == 0,
              "on_conf_set saw a property set before the plugin was loaded");
        CHECK(line_of(log, "on_conf_set", NULL) > la, "on_conf_set called before the plugin's conf_init:\n%s", log);
        CHECK(lp >= 0 && line_of(log, "conf_init c", NULL) == lp + 1, "conf_init does not follow the set:\n%s", log);
        CHECK(count_lines(log, "on_conf_set", "test_interceptor.prop=hello -> OK", NULL) >= 3,
              "test_interceptor.prop seen by on_conf_set on the conf and both dups:\n%s", log);
        CHECK(count_lines(log, "on_conf_dup", "filter_cnt=0 filter=[]", NULL) == 2, "on_conf_dup without filter:\n%s", log);
        CHECK(count_lines(log, "on_conf_dup", "filter_cnt=2 filter=[test_interceptor.,socket.]", NULL) == 1,
              "on_conf_dup with the filter:\n%s", log);
        CHECK(count_lines(log, "on_conf_destroy", NULL) == 4, "on_conf_destroy %d times, want 4",
              count_lines(log, "on_conf_destroy", NULL));
        free(log);
        /* The filtered copy does not get test_interceptor.prop replayed. */
        log = section_log("plugin-conf");
        {
                int lf = line_of(log, "mark dup-filter", NULL), ld = line_of(log, "mark dup-of-dup", NULL);
                int i2 = 0, replayed = 0;
                const char *p = log;
                while (*p) {
                        const char *e = strchr(p, '\n');
                        if (i2 > lf && i2 < ld && !strncmp(p, "on_conf_set", 11) &&
                            (size_t)((e ? e : p + strlen(p)) - p) > 0) {
                                char line[1024];
                                size_t l = e ? (size_t)(e - p) : strlen(p);
                                if (l > sizeof(line) - 1)
                                        l = sizeof(line) - 1;
                                memcpy(line, p, l);
                                line[l] = '\0';
                                if (strstr(line, "test_interceptor.prop") || strstr(line, "socket.timeout.ms"))
                                        replayed++;
                        }
                        i2++;
                        p = e ? e + 1 : p + strlen(p);
                }
                CHECK(replayed == 0, "dup_filter replayed %d filtered properties", replayed);
        }
        free(log);
}

/* ---- produce ---- */

static void test_produce(void) {
        char errstr[512];
        SECTION("producer with the plugin");
        mark("begin produce");
        rd_kafka_conf_t *conf = conf_with_plugin("producer");
        set(conf, "client.id", "icpt-producer");
        set(conf, "linger.ms", "5");
        rd_kafka_conf_set_dr_msg_cb(conf, dr_cb);
        mark("new");
        rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        CHECK(rk != NULL, "producer: %s", errstr);
        if (!rk) {
                rd_kafka_conf_destroy(conf);
                mark("end produce");
                return;
        }
        mark("produce");
        dr_ok = dr_err = 0;
        for (int i = 0; i < NMSG; i++) {
                char k[16], v[16];
                snprintf(k, sizeof(k), "k%d", i);
                snprintf(v, sizeof(v), "v%d", i);
                rd_kafka_resp_err_t err = produce_keyed(rk, RD_KAFKA_PARTITION_UA, k, v);
                CHECK(!err, "produce %s: %s", k, rd_kafka_err2name(err));
        }
        mark("flush");
        rd_kafka_resp_err_t ferr = rd_kafka_flush(rk, 15000);
        CHECK(!ferr && dr_ok == NMSG, "flush: %s, %d delivered", rd_kafka_err2name(ferr), dr_ok);

        /* The topic's partition count is known now: a partition that does not exist
         * fails in producev(), after on_send and on_acknowledgement(_UNKNOWN_PARTITION)
         * on the calling thread, and gives no delivery report. */
        mark("produce-unknown-partition");
        rd_kafka_resp_err_t err = produce_keyed(rk, 99, "bad-sync", "x");
        CHECK(err == RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION, "produce to partition 99: %s", rd_kafka_err2name(err));
        mark("produce-unknown-partition returned %s", rd_kafka_err2name(err));
        rd_kafka_flush(rk, 5000);
        CHECK(dr_err == 0, "%d error delivery reports", dr_err);
        CHECK(rd_kafka_outq_len(rk) == 0, "outq_len %d after the failed produce and flush", rd_kafka_outq_len(rk));
        mark("destroy");
        rd_kafka_destroy(rk);
        mark("destroyed");

        /* A fresh producer does not know the partition count yet: producev() takes
         * the message, and it fails later (_UNKNOWN_PARTITION): on_acknowledgement
         * comes before the delivery report. test_interceptor.fail makes on_send and
         * on_acknowledgement return errors, which must not change anything but a
         * log line (ICFAIL). */
        mark("async-unknown-partition");
        conf = conf_with_plugin("producer2");
        set(conf, "client.id", "icpt-producer2");
        set(conf, "test_interceptor.fail", "on_send,on_acknowledgement");
        rd_kafka_conf_set_dr_msg_cb(conf, dr_cb);
        rd_kafka_conf_set_log_cb(conf, log_cb);
        rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        CHECK(rk != NULL, "producer2: %s", errstr);
        if (rk) {
                dr_ok = dr_err = 0;
                icfail_logs = 0;
                err = produce_keyed(rk, 99, "bad-async", "y");
                mark("produce-unknown-partition returned %s", rd_kafka_err2name(err));
                if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
                        err = produce_keyed(rk, 1, "good-p1", "z");
                        CHECK(!err, "produce to partition 1: %s", rd_kafka_err2name(err));
                        rd_kafka_flush(rk, 15000);
                        CHECK(dr_err == 1 && dr_last_err == RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION && dr_ok == 1,
                              "async unknown partition: %d ok, %d failed (%s) delivery reports", dr_ok, dr_err,
                              rd_kafka_err2name(dr_last_err));
                } else {
                        /* Metadata raced us: same as the synchronous case. */
                        SKIP("partition count already known to the new producer (%s)", rd_kafka_err2name(err));
                        rd_kafka_flush(rk, 15000);
                }
                CHECK(icfail_logs >= 2, "%d ICFAIL logs for failing on_send/on_acknowledgement", icfail_logs);
                mark("destroy");
                rd_kafka_destroy(rk);
        } else {
                rd_kafka_conf_destroy(conf);
        }
        mark("end produce");

        char *log = section_log("produce");
        int lnew = line_of(log, "mark new", NULL);
        CHECK(line_of(log, "on_new", NULL) > lnew && line_of(log, "on_new", NULL) < line_of(log, "on_thread_start", NULL),
              "on_new comes first, before any thread starts:\n%.3000s", log);
        CHECK(count_lines(log, "on_send rk", "partition=-1", "thr=app", NULL) == NMSG, "on_send (partition -1, app thread) x%d",
              count_lines(log, "on_send rk", "partition=-1", "thr=app", NULL));
        CHECK(count_lines(log, "on_acknowledgement", "err=NO_ERROR", NULL) == delivered_total, "on_acknowledgement NO_ERROR x%d, want %d",
              count_lines(log, "on_acknowledgement", "err=NO_ERROR", NULL), delivered_total);
        CHECK(count_lines(log, "on_acknowledgement", "key=bad-sync", "partition=99", "err=_UNKNOWN_PARTITION", "thr=app", NULL) == 1,
              "on_acknowledgement for the synchronous failure");
        {
                int ls = line_of(log, "on_send", "key=bad-sync"), la = line_of(log, "on_acknowledgement", "key=bad-sync"),
                    lr = line_of(log, "mark produce-unknown-partition returned", NULL);
                CHECK(ls >= 0 && ls < la && la < lr, "on_send < on_acknowledgement < producev returns (%d %d %d)", ls, la, lr);
        }
        for (int i = 0; i < NMSG; i++) {
                char k[32];
                snprintf(k, sizeof(k), "key=k%d ", i);
                int la = line_of(log, "on_acknowledgement", k), ld = line_of(log, "mark dr", k);
                CHECK(la >= 0 && ld > la, "k%d: on_acknowledgement (line %d) before its delivery report (line %d)", i, la, ld);
        }
        {
                int la = line_of(log, "on_acknowledgement", "key=bad-async"), ld = line_of(log, "mark dr", "key=bad-async");
                if (ld >= 0)
                        CHECK(la >= 0 && la < ld && count_lines(log, "on_acknowledgement", "key=bad-async",
                                                                "err=_UNKNOWN_PARTITION", NULL) == 1,
                              "async failure: on_acknowledgement(_UNKNOWN_PARTITION) before the DR (%d %d)", la, ld);
        }
        CHECK(count_lines(log, "on_destroy", NULL) == 2, "on_destroy x%d", count_lines(log, "on_destroy", NULL));
        free(log);
}

/* ---- consume ---- */

static int64_t end_offset[NPART]; /* next offset of each partition, from consume_n() */

static int consume_n(rd_kafka_t *rk, int n, int timeout_ms) {
        int got = 0;
        memset(end_offset, 0, sizeof(end_offset));
        int64_t end = tu_now_ms() + timeout_ms;
        while (got < n && tu_now_ms() < end) {
                rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 100);
                if (!m)
                        continue;
                if (!m->err) {
                        mark("consumed key=%.*s partition=%" PRId32 " offset=%" PRId64, (int)m->key_len,
                             m->key ? (const char *)m->key : "", m->partition, m->offset);
                        if (m->partition >= 0 && m->partition < NPART && m->offset + 1 > end_offset[m->partition])
                                end_offset[m->partition] = m->offset + 1;
                        got++;
                } else {
                        mark("consumer event %s", rd_kafka_err2name(m->err));
                }
                rd_kafka_message_destroy(m);
        }
        return got;
}

static void test_consume(void) {
        char errstr[512], group[128];
        SECTION("group consumer with the plugin");
        mark("begin consume");
        snprintf(group, sizeof(group), "%s_g1", topic);
        rd_kafka_conf_t *conf = conf_with_plugin("consumer");
        set(conf, "client.id", "icpt-consumer");
        set(conf, "group.id", group);
        set(conf, "enable.auto.commit", "false");
        set(conf, "auto.offset.reset", "earliest");
        set(conf, "session.timeout.ms", "6000");
        mark("new");
        rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof(errstr));
        CHECK(rk != NULL, "consumer: %s", errstr);
        if (!rk) {
                rd_kafka_conf_destroy(conf);
                mark("end consume");
                return;
        }
        rd_kafka_poll_set_consumer(rk);
        rd_kafka_topic_partition_list_t *sub = rd_kafka_topic_partition_list_new(1);
        rd_kafka_topic_partition_list_add(sub, topic, RD_KAFKA_PARTITION_UA);
        mark("subscribe");
        rd_kafka_resp_err_t err = rd_kafka_subscribe(rk, sub);
        CHECK(!err, "subscribe: %s", rd_kafka_err2name(err));
        rd_kafka_topic_partition_list_destroy(sub);
        mark("consume");
        int got = consume_n(rk, delivered_total, 30000);
        CHECK(got == delivered_total, "consumed %d, want %d", got, delivered_total);

        mark("commit-sync");
        err = rd_kafka_commit(rk, NULL, 0);
        mark("commit-sync returned %s", rd_kafka_err2name(err));
        CHECK(!err, "commit: %s", rd_kafka_err2name(err));

        /* Explicit offsets, one of them for a partition that does not exist. */
        mark("commit-explicit");
        rd_kafka_topic_partition_list_t *offs = rd_kafka_topic_partition_list_new(2);
        rd_kafka_topic_partition_list_add(offs, topic, 0)->offset = 1;
        rd_kafka_topic_partition_list_add(offs, topic, 99)->offset = 5;
        err = rd_kafka_commit(rk, offs, 0);
        mark("commit-explicit returned %s", rd_kafka_err2name(err));
        printf("ORACLE commit with partition 99: %s\n", rd_kafka_err2name(err));
        rd_kafka_topic_partition_list_destroy(offs);

        mark("commit-nothing");
        err = rd_kafka_commit(rk, NULL, 0);
        mark("commit-nothing returned %s", rd_kafka_err2name(err));
        CHECK(err == RD_KAFKA_RESP_ERR__NO_OFFSET || !err, "commit again: %s", rd_kafka_err2name(err));

        mark("close");
        err = rd_kafka_consumer_close(rk);
        CHECK(!err, "close: %s", rd_kafka_err2name(err));
        mark("destroy");
        rd_kafka_destroy(rk);
        mark("end consume");

        char *log = section_log("consume");
        CHECK(count_lines(log, "on_consume", "thr=app", NULL) == delivered_total, "on_consume on the app thread x%d, want %d",
              count_lines(log, "on_consume", "thr=app", NULL), delivered_total);
        for (int i = 0; i < NMSG; i++) {
                char k[32];
                snprintf(k, sizeof(k), "key=k%d ", i);
                int lc = line_of(log, "on_consume", k), lm = line_of(log, "mark consumed", k);
                CHECK(lc >= 0 && lm > lc, "k%d: on_consume (line %d) before consumer_poll returned it (line %d)", i, lc, lm);
        }
        {
                int lc = line_of(log, "mark commit-sync", NULL), loc = line_of(log, "on_commit", NULL),
                    lr = line_of(log, "mark commit-sync returned", NULL);
                CHECK(lc < loc && loc < lr, "on_commit between commit() and its return (%d %d %d)", lc, loc, lr);
                CHECK(count_lines(log, "on_commit", "err=NO_ERROR", "cnt=4", NULL) >= 1, "on_commit for the sync commit:\n%.4000s", log);
        }
        CHECK(count_lines(log, "on_destroy", NULL) == 1, "on_destroy");
        free(log);
}

static void test_autocommit(void) {
        char errstr[512], group[128];
        SECTION("auto commit with the plugin");
        mark("begin autocommit");
        snprintf(group, sizeof(group), "%s_g2", topic);
        rd_kafka_conf_t *conf = conf_with_plugin("autocommit");
        set(conf, "client.id", "icpt-autocommit");
        set(conf, "group.id", group);
        set(conf, "enable.auto.commit", "true");
        set(conf, "auto.commit.interval.ms", "200");
        set(conf, "auto.offset.reset", "earliest");
        set(conf, "session.timeout.ms", "6000");
        rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof(errstr));
        CHECK(rk != NULL, "consumer: %s", errstr);
        if (!rk) {
                rd_kafka_conf_destroy(conf);
                mark("end autocommit");
                return;
        }
        rd_kafka_poll_set_consumer(rk);
        rd_kafka_topic_partition_list_t *sub = rd_kafka_topic_partition_list_new(1);
        rd_kafka_topic_partition_list_add(sub, topic, RD_KAFKA_PARTITION_UA);
        rd_kafka_subscribe(rk, sub);
        rd_kafka_topic_partition_list_destroy(sub);
        mark("consume");
        int got = consume_n(rk, delivered_total, 30000);
        CHECK(got == delivered_total, "consumed %d, want %d", got, delivered_total);
        /* Poll until auto commits have committed the end of every partition (one commit
         * carries only the partitions that moved since the last, so look per partition). */
        mark("wait-autocommit");
        char want[NPART][128];
        for (int p = 0; p < NPART; p++)
                snprintf(want[p], sizeof(want[p]), "%s/%d@%" PRId64 ":NO_ERROR", topic, p, end_offset[p]);
        int64_t end = tu_now_ms() + 10000;
        int done = 0;
        while (!done && tu_now_ms() < end) {
                rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 100);
                if (m)
                        rd_kafka_message_destroy(m);
                char *l = section_log("autocommit");
                done = 1;
                for (int p = 0; p < NPART; p++)
                        done &= count_lines(l, "on_commit", "err=NO_ERROR", want[p], NULL) > 0;
                free(l);
        }
        CHECK(done, "no on_commit from auto commit within 10 s");
        mark("close");
        rd_kafka_consumer_close(rk);
        mark("destroy");
        rd_kafka_destroy(rk);
        mark("end autocommit");
        char *log = section_log("autocommit");
        CHECK(count_lines(log, "on_commit", "thr=main", NULL) >= 1, "auto commit's on_commit on the main thread:\n%.3000s", log);
        free(log);
}

static void test_background(void) {
        char errstr[512];
        SECTION("background thread with the plugin");
        mark("begin background");
        rd_kafka_conf_t *conf = conf_with_plugin("background");
        set(conf, "client.id", "icpt-background");
        rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        CHECK(rk != NULL, "producer: %s", errstr);
        if (!rk) {
                rd_kafka_conf_destroy(conf);
                mark("end background");
                return;
        }
        mark("get background queue");
        rd_kafka_queue_t *bq = rd_kafka_queue_get_background(rk);
        CHECK(bq != NULL, "no background queue");
        /* Wait (bounded) for the background thread's on_thread_start. */
        int64_t end = tu_now_ms() + 5000;
        int started = 0;
        while (!started && tu_now_ms() < end) {
                char *l = section_log("background");
                started = count_lines(l, "on_thread_start", "type=background", NULL);
                free(l);
                if (!started)
                        usleep(20000);
        }
        if (bq)
                rd_kafka_queue_destroy(bq);
        /* Wait for a metadata round trip, so the requests made do not depend on timing. */
        const struct rd_kafka_metadata *md = NULL;
        rd_kafka_resp_err_t err = rd_kafka_metadata(rk, 0, NULL, &md, 10000);
        CHECK(!err, "metadata: %s", rd_kafka_err2name(err));
        if (md)
                rd_kafka_metadata_destroy(md);
        mark("destroy");
        rd_kafka_destroy(rk);
        mark("end background");
        char *log = section_log("background");
        CHECK(count_lines(log, "on_thread_start", "type=background", "thr=background", NULL) == 1, "background thread start");
        CHECK(count_lines(log, "on_thread_exit", "type=background", "thr=background", NULL) == 1, "background thread exit");
        free(log);
}

/* ---- direct: interceptors added by the application ---- */

/* Event record of the direct interceptors. */
#define MAXEV 4096
static struct {
        char what[24];
        char arg[64];
        int role;          /* 0 app, 1 main, 2 background, 3 broker, 4 other */
        pthread_t thr;
        rd_kafka_resp_err_t err;
        int32_t partition;
} ev[MAXEV];
static int nev;
static pthread_mutex_t ev_lock = PTHREAD_MUTEX_INITIALIZER;
static __thread int d_type = -1;

static int d_role(void) {
        if (d_type >= 0)
                return d_type + 1;
        return (pid_t)syscall(SYS_gettid) == getpid() ? 0 : 4;
}

static void rec(const char *what, const char *arg, rd_kafka_resp_err_t err, int32_t partition) {
        pthread_mutex_lock(&ev_lock);
        if (nev < MAXEV) {
                snprintf(ev[nev].what, sizeof(ev[nev].what), "%s", what);
                snprintf(ev[nev].arg, sizeof(ev[nev].arg), "%s", arg ? arg : "");
                ev[nev].role = d_role();
                ev[nev].thr = pthread_self();
                ev[nev].err = err;
                ev[nev].partition = partition;
                nev++;
        }
        pthread_mutex_unlock(&ev_lock);
}

static int ev_count(const char *what, const char *arg) {
        int n = 0;
        pthread_mutex_lock(&ev_lock);
        for (int i = 0; i < nev; i++)
                if (!strcmp(ev[i].what, what) && (!arg || !strcmp(ev[i].arg, arg)))
                        n++;
        pthread_mutex_unlock(&ev_lock);
        return n;
}

static int ev_first(const char *what, const char *arg) {
        for (int i = 0; i < nev; i++)
                if (!strcmp(ev[i].what, what) && (!arg || !strcmp(ev[i].arg, arg)))
                        return i;
        return -1;
}

static int ev_last(const char *what) {
        for (int i = nev - 1; i >= 0; i--)
                if (!strcmp(ev[i].what, what))
                        return i;
        return -1;
}

static char opq_a[] = "A", opq_b[] = "B";

static rd_kafka_resp_err_t d_on_send(rd_kafka_t *rk, rd_kafka_message_t *m, void *opaque) {
        char k[64];
        snprintf(k, sizeof(k), "%.*s", (int)m->key_len, m->key ? (const char *)m->key : "");
        rec("on_send", k, 0, m->partition);
        /* Called before partitioning: can choose the partition. */
        if (!strcmp(k, "redirect"))
                m->partition = 2;
        return RD_KAFKA_RESP_ERR_NO_ERROR;
}
static rd_kafka_resp_err_t d_on_send2(rd_kafka_t *rk, rd_kafka_message_t *m, void *opaque) {
        char k[64];
        snprintf(k, sizeof(k), "%.*s", (int)m->key_len, m->key ? (const char *)m->key : "");
        rec("on_send2", k, 0, m->partition); /* sees the first one's change */
        return RD_KAFKA_RESP_ERR_NO_ERROR;
}
static rd_kafka_resp_err_t d_on_ack(rd_kafka_t *rk, rd_kafka_message_t *m, void *opaque) {
        char k[64];
        snprintf(k, sizeof(k), "%.*s", (int)m->key_len, m->key ? (const char *)m->key : "");
        rec("on_acknowledgement", k, m->err, m->partition);
        return RD_KAFKA_RESP_ERR_NO_ERROR;
}
static rd_kafka_resp_err_t d_on_thread_start(rd_kafka_t *rk, rd_kafka_thread_type_t t, const char *name, void *opaque) {
        d_type = (int)t;
        rec("on_thread_start", t == RD_KAFKA_THREAD_MAIN ? "main" : t == RD_KAFKA_THREAD_BROKER ? "broker" : "background", 0, -1);
        return RD_KAFKA_RESP_ERR_NO_ERROR;
}
static rd_kafka_resp_err_t d_on_thread_exit(rd_kafka_t *rk, rd_kafka_thread_type_t t, const char *name, void *opaque) {
        rec("on_thread_exit", t == RD_KAFKA_THREAD_MAIN ? "main" : t == RD_KAFKA_THREAD_BROKER ? "broker" : "background", 0, -1);
        d_type = -1;
        return RD_KAFKA_RESP_ERR_NO_ERROR;
}
static rd_kafka_resp_err_t d_on_broker_state_change(rd_kafka_t *rk, int32_t id, const char *proto, const char *name,
                                                    int port, const char *state, void *opaque) {
        char a[64];
        snprintf(a, sizeof(a), "%d %s", port, state);
        rec("on_broker_state_change", a, 0, id);
        return RD_KAFKA_RESP_ERR_NO_ERROR;
}
static rd_kafka_resp_err_t d_on_request_sent(rd_kafka_t *rk, int sockfd, const char *brokername, int32_t brokerid,
                                             int16_t ApiKey, int16_t ApiVersion, int32_t CorrId, size_t size, void *opaque) {
        char a[64];
        snprintf(a, sizeof(a), "%d", ApiKey);
        rec("on_request_sent", a, 0, brokerid);
        return RD_KAFKA_RESP_ERR_NO_ERROR;
}
static rd_kafka_resp_err_t d_on_destroy(rd_kafka_t *rk, void *opaque) {
        rec("on_destroy", opaque, 0, -1);
        return RD_KAFKA_RESP_ERR_NO_ERROR;
}
static rd_kafka_resp_err_t d_on_conf_destroy(void *opaque) {
        rec("on_conf_destroy", opaque, 0, -1);
        return RD_KAFKA_RESP_ERR_NO_ERROR;
}
static rd_kafka_conf_res_t d_on_conf_set(rd_kafka_conf_t *conf, const char *name, const char *val, char *errstr,
                                         size_t errstr_size, void *opaque) {
        char a[64];
        snprintf(a, sizeof(a), "%s=%s", name, val ? val : "(null)");
        rec("on_conf_set", a, 0, -1);
        if (!strcmp(name, "app.custom"))
                return RD_KAFKA_CONF_OK;
        return RD_KAFKA_CONF_UNKNOWN;
}
static rd_kafka_resp_err_t d_on_conf_dup(rd_kafka_conf_t *new_conf, const rd_kafka_conf_t *old_conf, size_t filter_cnt,
                                         const char **filter, void *opaque) {
        char a[64];
        snprintf(a, sizeof(a), "%zu", filter_cnt);
        rec("on_conf_dup", a, 0, -1);
        /* Interceptors are not copied: add on_conf_set (only) to the copy, which
         * then sees the interceptor config being replayed. */
        rd_kafka_conf_interceptor_add_on_conf_set(new_conf, "app", d_on_conf_set, opaque);
        rd_kafka_conf_interceptor_add_on_conf_destroy(new_conf, "app", d_on_conf_destroy, opq_b);
        return RD_KAFKA_RESP_ERR_NO_ERROR;
}

static rd_kafka_resp_err_t d_on_new(rd_kafka_t *rk, const rd_kafka_conf_t *conf, void *opaque, char *errstr, size_t errstr_size) {
        rec("on_new", opaque, 0, -1);
        rd_kafka_resp_err_t e;
        e = rd_kafka_interceptor_add_on_send(rk, "app", d_on_send, opaque);
        CHECK(!e, "add_on_send: %s", rd_kafka_err2name(e));
        e = rd_kafka_interceptor_add_on_send(rk, "app", d_on_send, opaque);
        CHECK(e == RD_KAFKA_RESP_ERR__CONFLICT, "add_on_send again: %s, want _CONFLICT", rd_kafka_err2name(e));
        e = rd_kafka_interceptor_add_on_send(rk, "app2", d_on_send2, opaque);
        CHECK(!e, "add_on_send app2: %s", rd_kafka_err2name(e));
        e = rd_kafka_interceptor_add_on_acknowledgement(rk, "app", d_on_ack, opaque);
        CHECK(!e, "add_on_acknowledgement: %s", rd_kafka_err2name(e));
        e = rd_kafka_interceptor_add_on_thread_start(rk, "app", d_on_thread_start, opaque);
        CHECK(!e, "add_on_thread_start: %s", rd_kafka_err2name(e));
        e = rd_kafka_interceptor_add_on_thread_exit(rk, "app", d_on_thread_exit, opaque);
        CHECK(!e, "add_on_thread_exit: %s", rd_kafka_err2name(e));
        e = rd_kafka_interceptor_add_on_broker_state_change(rk, "app", d_on_broker_state_change, opaque);
        CHECK(!e, "add_on_broker_state_change: %s", rd_kafka_err2name(e));
        e = rd_kafka_interceptor_add_on_request_sent(rk, "app", d_on_request_sent, opaque);
        CHECK(!e, "add_on_request_sent: %s", rd_kafka_err2name(e));
        e = rd_kafka_interceptor_add_on_destroy(rk, "app", d_on_destroy, opaque);
        CHECK(!e, "add_on_destroy: %s", rd_kafka_err2name(e));
        e = rd_kafka_interceptor_add_on_destroy(rk, "app", d_on_destroy, opaque);
        CHECK(e == RD_KAFKA_RESP_ERR__CONFLICT, "add_on_destroy again: %s, want _CONFLICT", rd_kafka_err2name(e));
        return RD_KAFKA_RESP_ERR_NO_ERROR;
}
/* A second on_new under another name (same function): both are called, in order. */
static rd_kafka_resp_err_t d_on_new_other(rd_kafka_t *rk, const rd_kafka_conf_t *conf, void *opaque, char *errstr,
                                          size_t errstr_size) {
        rec("on_new_other", opaque, 0, -1);
        return RD_KAFKA_RESP_ERR_NO_ERROR;
}

static void test_direct(void) {
        char errstr[512];
        rd_kafka_resp_err_t e;
        SECTION("interceptors added directly through the C API");
        mark("begin direct");
        nev = 0;
        rd_kafka_conf_t *conf = rd_kafka_conf_new();

        /* The same method under the same name: _CONFLICT. A different method under
         * the same name, or the same method under another name: accepted. */
        e = rd_kafka_conf_interceptor_add_on_new(conf, "app", d_on_new, opq_a);
        CHECK(!e, "add_on_new: %s", rd_kafka_err2name(e));
        e = rd_kafka_conf_interceptor_add_on_new(conf, "app", d_on_new, opq_a);
        CHECK(e == RD_KAFKA_RESP_ERR__CONFLICT, "add_on_new again: %s, want _CONFLICT", rd_kafka_err2name(e));
        e = rd_kafka_conf_interceptor_add_on_new(conf, "app", d_on_new, opq_b);
        CHECK(e == RD_KAFKA_RESP_ERR__CONFLICT, "add_on_new again, other opaque: %s, want _CONFLICT", rd_kafka_err2name(e));
        e = rd_kafka_conf_interceptor_add_on_new(conf, "app", d_on_new_other, opq_a);
        CHECK(!e, "add_on_new, other function same name: %s", rd_kafka_err2name(e));
        e = rd_kafka_conf_interceptor_add_on_conf_set(conf, "app", d_on_conf_set, opq_a);
        CHECK(!e, "add_on_conf_set: %s", rd_kafka_err2name(e));
        e = rd_kafka_conf_interceptor_add_on_conf_set(conf, "app", d_on_conf_set, opq_a);
        CHECK(e == RD_KAFKA_RESP_ERR__CONFLICT, "add_on_conf_set again: %s", rd_kafka_err2name(e));
        e = rd_kafka_conf_interceptor_add_on_conf_dup(conf, "app", d_on_conf_dup, opq_a);
        CHECK(!e, "add_on_conf_dup: %s", rd_kafka_err2name(e));
        e = rd_kafka_conf_interceptor_add_on_conf_dup(conf, "app", d_on_conf_dup, opq_a);
        CHECK(e == RD_KAFKA_RESP_ERR__CONFLICT, "add_on_conf_dup again: %s", rd_kafka_err2name(e));
        /* on_conf_destroy accepts duplicates: both are called. */
        e = rd_kafka_conf_interceptor_add_on_conf_destroy(conf, "app", d_on_conf_destroy, opq_a);
        CHECK(!e, "add_on_conf_destroy: %s", rd_kafka_err2name(e));
        e = rd_kafka_conf_interceptor_add_on_conf_destroy(conf, "app", d_on_conf_destroy, opq_a);
        CHECK(!e, "add_on_conf_destroy again: %s, want NO_ERROR (duplicates allowed)", rd_kafka_err2name(e));

        /* on_conf_set: first with the application's name and value, then again for
         * the property actually set (aliases resolved). OK from an interceptor:
         * the library does not look at the property. */
        nev = 0;
        set(conf, "app.custom", "v1");
        CHECK(ev_count("on_conf_set", "app.custom=v1") == 1, "on_conf_set app.custom x%d", ev_count("on_conf_set", "app.custom=v1"));
        set(conf, "bootstrap.servers", bootstrap);
        set(conf, "client.id", "icpt-direct");
        {
                char a[80];
                snprintf(a, sizeof(a), "client.id=icpt-direct");
                CHECK(ev_count("on_conf_set", a) >= 1, "on_conf_set client.id");
                /* genuine: 2 (with the name as given, then while storing); not compared */
                printf("  on_conf_set calls for client.id: %d\n", ev_count("on_conf_set", a));
        }
        errstr[0] = '\0';
        rd_kafka_conf_res_t r = rd_kafka_conf_set(conf, "app.nosuch", "x", errstr, sizeof(errstr));
        CHECK(r == RD_KAFKA_CONF_UNKNOWN && !strcmp(errstr, "No such configuration property: \"app.nosuch\""),
              "app.nosuch: %d %s", r, errstr);
        rd_kafka_conf_set_dr_msg_cb(conf, dr_cb);
        CHECK(ev_count("on_conf_set", "dr_msg_cb") == 0, "on_conf_set for a callback setter");

        /* conf_dup: on_conf_dup(filter_cnt 0); the copy has only what on_conf_dup
         * added: on_conf_set (sees app.custom replayed) and on_conf_destroy. */
        nev = 0;
        rd_kafka_conf_t *dup = rd_kafka_conf_dup(conf);
        CHECK(ev_count("on_conf_dup", "0") == 1, "on_conf_dup x%d", ev_count("on_conf_dup", "0"));
        CHECK(ev_count("on_conf_set", "app.custom=v1") == 1, "app.custom replayed on the copy x%d", ev_count("on_conf_set", "app.custom=v1"));
        CHECK(ev_first("on_conf_dup", NULL) < ev_first("on_conf_set", NULL), "on_conf_dup before the replay");
        /* The copy has no on_new: rd_kafka_new() on it calls none. */
        nev = 0;
        rd_kafka_conf_set(dup, "client.id", "icpt-direct-dup", errstr, sizeof(errstr));
        rd_kafka_t *rkd = rd_kafka_new(RD_KAFKA_PRODUCER, dup, errstr, sizeof(errstr));
        CHECK(rkd != NULL, "producer on the dup: %s", errstr);
        CHECK(ev_count("on_new", NULL) == 0, "on_new called for a copied conf (interceptors are not copied)");
        if (rkd)
                rd_kafka_destroy(rkd);
        else
                rd_kafka_conf_destroy(dup);
        CHECK(ev_count("on_conf_destroy", "B") == 1, "the copy's on_conf_destroy x%d", ev_count("on_conf_destroy", "B"));
        CHECK(ev_count("on_conf_destroy", "A") == 0, "the original's on_conf_destroy called for the copy");

        /* The instance. */
        nev = 0;
        rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        CHECK(rk != NULL, "producer: %s", errstr);
        if (!rk) {
                rd_kafka_conf_destroy(conf);
                mark("end direct");
                return;
        }
        rec("new returned", "", 0, -1);
        CHECK(ev_count("on_new", "A") == 1 && ev_count("on_new_other", "A") == 1, "on_new x%d, on_new_other x%d",
              ev_count("on_new", "A"), ev_count("on_new_other", "A"));
        {
                /* Only on_conf_set (client.software.version, set by rd_kafka_new())
                 * may come before on_new. */
                int first_other = -1, on = ev_first("on_new", NULL);
                for (int i = 0; i < nev && first_other < 0; i++)
                        if (strcmp(ev[i].what, "on_conf_set") && strncmp(ev[i].what, "on_new", 6))
                                first_other = i;
                CHECK(on >= 0 && ev_first("on_new_other", NULL) == on + 1 && first_other > on + 1,
                      "on_new, then on_new_other, before anything else (%d %d %d)", on, ev_first("on_new_other", NULL), first_other);
                CHECK(on >= 0 && ev[on].role == 0, "on_new on the app thread");
                for (int i = 0; i < on; i++)
                        printf("  before on_new: %s %s\n", ev[i].what, ev[i].arg);
        }

        dr_ok = dr_err = 0;
        for (int i = 0; i < NMSG; i++) {
                char k[16], v[16];
                snprintf(k, sizeof(k), "d%d", i);
                snprintf(v, sizeof(v), "v%d", i);
                e = produce_keyed(rk, RD_KAFKA_PARTITION_UA, k, v);
                CHECK(!e, "produce %s: %s", k, rd_kafka_err2name(e));
        }
        e = produce_keyed(rk, RD_KAFKA_PARTITION_UA, "redirect", "r");
        CHECK(!e, "produce redirect: %s", rd_kafka_err2name(e));
        rd_kafka_flush(rk, 15000);
        CHECK(dr_ok == NMSG + 1, "%d delivered", dr_ok);
        /* synchronous failure once the partition count is known */
        e = produce_keyed(rk, 99, "bad", "x");
        rec("produce bad returned", "", e, -1);
        CHECK(e == RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION, "produce partition 99: %s", rd_kafka_err2name(e));
        rd_kafka_flush(rk, 5000);

        pthread_mutex_lock(&ev_lock);
        int n = nev;
        pthread_mutex_unlock(&ev_lock);
        int ack_redirect = -1, send_redirect = -1, send2_redirect = -1;
        for (int i = 0; i < n; i++) {
                if (!strcmp(ev[i].arg, "redirect")) {
                        if (!strcmp(ev[i].what, "on_send"))
                                send_redirect = i;
                        else if (!strcmp(ev[i].what, "on_send2"))
                                send2_redirect = i;
                        else if (!strcmp(ev[i].what, "on_acknowledgement"))
                                ack_redirect = i;
                }
        }
        CHECK(send_redirect >= 0 && ev[send_redirect].partition == RD_KAFKA_PARTITION_UA,
              "on_send saw partition %d for an unpartitioned message", send_redirect >= 0 ? ev[send_redirect].partition : -9);
        CHECK(send2_redirect > send_redirect && ev[send2_redirect].partition == 2,
              "the second on_send (registered later) runs after and sees the change: partition %d",
              send2_redirect >= 0 ? ev[send2_redirect].partition : -9);
        CHECK(ack_redirect >= 0 && ev[ack_redirect].partition == 2 && ev[ack_redirect].err == 0,
              "the message went to the partition on_send chose: %d", ack_redirect >= 0 ? ev[ack_redirect].partition : -9);
        for (int i = 0; i < NMSG; i++) {
                char k[16];
                snprintf(k, sizeof(k), "d%d", i);
                CHECK(ev_count("on_send", k) == 1 && ev_count("on_acknowledgement", k) == 1, "%s: on_send x%d, on_acknowledgement x%d", k,
                      ev_count("on_send", k), ev_count("on_acknowledgement", k));
                int a = ev_first("on_acknowledgement", k);
                CHECK(a >= 0 && ev[a].role == 3, "%s: on_acknowledgement on thread role %d, want the broker thread (3)", k,
                      a >= 0 ? ev[a].role : -1);
        }
        {
                int s = ev_first("on_send", "bad"), a = ev_first("on_acknowledgement", "bad"), ret = ev_first("produce bad returned", NULL);
                CHECK(s >= 0 && a > s && ret > a && ev[a].err == RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION && ev[a].role == 0 &&
                          ev[a].partition == 99,
                      "sync failure: on_send %d, on_acknowledgement %d (%s, role %d), return %d", s, a,
                      a >= 0 ? rd_kafka_err2name(ev[a].err) : "-", a >= 0 ? ev[a].role : -1, ret);
        }
        /* Every thread announced: the main thread and the broker threads. */
        CHECK(ev_count("on_thread_start", "main") == 1, "main thread start x%d", ev_count("on_thread_start", "main"));
        CHECK(ev_count("on_thread_start", "broker") >= 1, "broker thread starts x%d", ev_count("on_thread_start", "broker"));
        {
                int i, bad = 0;
                for (i = 0; i < n; i++)
                        if (!strcmp(ev[i].what, "on_thread_start") && ev[i].role == 0)
                                bad++;
                CHECK(!bad, "%d on_thread_start calls on the app thread", bad);
                int first_start = ev_first("on_thread_start", NULL);
                CHECK(first_start > 0, "on_thread_start before on_new");
                for (i = 0; i < n; i++)
                        if (ev[i].role == 4 && strcmp(ev[i].what, "on_destroy"))
                                bad++;
                CHECK(!bad, "%d interceptor calls on threads the library did not announce", bad);
                for (i = 0; i < n; i++)
                        if (!strcmp(ev[i].what, "on_request_sent") && ev[i].role != 3)
                                bad++;
                CHECK(!bad, "on_request_sent off the broker threads");
        }
        /* Broker states: every broker that got a request reached UP first. */
        {
                int i, j, bad = 0;
                for (i = 0; i < n; i++) {
                        if (strcmp(ev[i].what, "on_request_sent"))
                                continue;
                        int up = 0;
                        for (j = 0; j < i; j++)
                                if (!strcmp(ev[j].what, "on_broker_state_change") && strstr(ev[j].arg, " APIVERSION_QUERY") == NULL &&
                                    (strstr(ev[j].arg, " UP") || strstr(ev[j].arg, " CONNECT")))
                                        up = 1;
                        if (!up)
                                bad++;
                }
                CHECK(!bad, "%d requests sent before any broker connected", bad);
        }

        nev = 0;
        rd_kafka_destroy(rk);
        rec("destroy returned", "", 0, -1);
        n = nev;
        int od = ev_first("on_destroy", "A"), ocd = ev_first("on_conf_destroy", "A"), ret = ev_first("destroy returned", NULL);
        CHECK(ev_count("on_destroy", "A") == 1, "on_destroy x%d", ev_count("on_destroy", "A"));
        CHECK(ev_count("on_conf_destroy", "A") == 2, "on_conf_destroy (added twice) x%d, want 2", ev_count("on_conf_destroy", "A"));
        CHECK(od >= 0 && ocd > od && ret > ocd, "on_destroy %d < on_conf_destroy %d < destroy returns %d", od, ocd, ret);
        CHECK(ocd >= 0 && ev[ocd].role == 0, "on_conf_destroy on the app thread (role %d)", ocd >= 0 ? ev[ocd].role : -1);
        CHECK(ev_last("on_thread_exit") < ocd, "every on_thread_exit before on_conf_destroy");
        CHECK(ev_count("on_thread_exit", "main") == 1, "main thread exit x%d", ev_count("on_thread_exit", "main"));
        {
                /* thread_exit on each thread that had a thread_start, exactly once */
                int i;
                int bexit = ev_count("on_thread_exit", "broker");
                printf("  %d broker thread exits\n", bexit);
                for (i = 0; i < n; i++)
                        if (!strcmp(ev[i].what, "on_thread_exit"))
                                CHECK(ev[i].role != 0 && ev[i].role != 4, "on_thread_exit %s on role %d", ev[i].arg, ev[i].role);
        }
        mark("end direct");
}

int main(int argc, char **argv) {
        if (argc < 2) {
                fprintf(stderr, "usage: KAFKARS_ICPT_LOG=<log> %s <bootstrap> [<plugin.so>]\n", argv[0]);
                return 2;
        }
        bootstrap = argv[1];
        plugin = argc > 2 ? argv[2] : getenv("KAFKARS_ICPT_PLUGIN");
        logpath = getenv("KAFKARS_ICPT_LOG");
        if (!plugin || !logpath) {
                fprintf(stderr, "need the plugin path (argv[2] or KAFKARS_ICPT_PLUGIN) and KAFKARS_ICPT_LOG\n");
                return 2;
        }
        snprintf(topic, sizeof(topic), "icpt_%d_%" PRId64, (int)getpid(), tu_now_ms() % 100000);
        Dl_info info;
        const char *lib = dladdr((void *)rd_kafka_version_str, &info) && info.dli_fname ? info.dli_fname : "?";
        printf("librdkafka %s (%s), topic %s\n", rd_kafka_version_str(), lib, topic);
        mark("topic %s", topic);
        mark("bootstrap %s", bootstrap);
        mark("plugin %s", plugin);

        test_plugin_errors();
        test_plugin_conf();
        test_produce();
        test_consume();
        test_autocommit();
        test_background();
        test_direct();
        TEST_DONE();
}
