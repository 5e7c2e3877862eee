/* An interceptor plugin, loaded by librdkafka (or kafkars) through
 * `plugin.library.paths`. It logs every interceptor call, one line each, to the
 * file named by $KAFKARS_ICPT_LOG (stderr if unset); tests/c/interceptor_api.c
 * drives it and run_interceptors.sh diffs the normalised log of genuine
 * librdkafka against kafkars'.
 *
 *   gcc -shared -fPIC -o build/ctests/test_interceptor.so tests/c/plugin/test_interceptor.c
 *
 * Built against Debian's <librdkafka/rdkafka.h>; not linked with -lrdkafka: the
 * rd_kafka_* functions it calls resolve to the library the program loaded.
 *
 * Log lines: "<event> <fields...> thr=<role>", role being the thread the call came
 * on: app (the process' main thread), main / broker / background (a thread the
 * library announced through on_thread_start), other (an unannounced thread).
 * Config objects are numbered c1, c2... in the order the plugin first sees them
 * (conf_init, on_conf_dup), client instances rk1, rk2... in on_new order.
 *
 * Environment:
 *   KAFKARS_ICPT_LOG   log file (appended to, O_APPEND, one write() per line)
 *   KAFKARS_ICPT_FAIL  if non-empty when conf_init is called, conf_init fails with
 *                      RD_KAFKA_RESP_ERR__FAIL and errstr
 *                      "test_interceptor: conf_init refused (KAFKARS_ICPT_FAIL=<v>)"
 * Configuration properties handled by the plugin's on_conf_set:
 *   test_interceptor.prop=<any>  stored, RD_KAFKA_CONF_OK (shown in on_new lines)
 *   test_interceptor.bad=<any>   RD_KAFKA_CONF_INVALID, errstr
 *                                "test_interceptor.bad: rejected value \"<v>\""
 *   test_interceptor.fail=<ev,..> the named instance interceptors (on_send,
 *                                on_acknowledgement, on_consume, on_commit) return
 *                                RD_KAFKA_RESP_ERR__FAIL (the library must log and
 *                                carry on); RD_KAFKA_CONF_OK
 *   anything else                RD_KAFKA_CONF_UNKNOWN (left to the library)
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <librdkafka/rdkafka.h>

#define IC_NAME "test_interceptor"
#define MAX_ICI 512

typedef struct ici {
        int conf_id;             /* c<N> */
        int rk_id;               /* rk<N>, 0 until on_new */
        const rd_kafka_conf_t *conf; /* the conf it was registered on */
        char prop[128];          /* test_interceptor.prop */
        char fail[128];          /* test_interceptor.fail */
} ici_t;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int log_fd = -1;
static int next_conf_id, next_rk_id;
/* All instances ever made stay here (never freed: still reachable for valgrind,
 * and instance interceptors may run after on_conf_destroy on other libraries). */
static ici_t *icis[MAX_ICI];
static int n_icis;

/* Set by on_thread_start on the thread it is called on. */
static __thread int tl_type = -1;

static const char *thread_type_name(int t) {
        switch (t) {
        case RD_KAFKA_THREAD_MAIN: return "main";
        case RD_KAFKA_THREAD_BACKGROUND: return "background";
        case RD_KAFKA_THREAD_BROKER: return "broker";
        default: return "unknown";
        }
}

static const char *role(void) {
        if (tl_type >= 0)
                return thread_type_name(tl_type);
        if ((pid_t)syscall(SYS_gettid) == getpid())
                return "app";
        return "other";
}

static void ic_log(const char *fmt, ...) {
        char buf[8192];
        va_list ap;
        int n;
        va_start(ap, fmt);
        n = vsnprintf(buf, sizeof(buf) - 64, fmt, ap);
        va_end(ap);
        if (n < 0)
                return;
        if (n > (int)sizeof(buf) - 64)
                n = (int)sizeof(buf) - 64;
        n += snprintf(buf + n, 64, " thr=%s\n", role());
        pthread_mutex_lock(&lock);
        if (log_fd == -1) {
                const char *path = getenv("KAFKARS_ICPT_LOG");
                if (path && *path)
                        log_fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
                if (log_fd == -1)
                        log_fd = dup(2);
        }
        ssize_t r = write(log_fd, buf, (size_t)n);
        (void)r;
        pthread_mutex_unlock(&lock);
}

/* Printable copy of a key/value: up to 48 bytes, non-printables as \xHH. */
static const char *esc(const void *p, size_t len, char *out, size_t outsz) {
        const unsigned char *s = p;
        size_t o = 0, i;
        if (!p)
                return "(null)";
        for (i = 0; i < len && i < 48 && o + 5 < outsz; i++) {
                if (s[i] > 32 && s[i] < 127 && s[i] != '\\')
                        out[o++] = (char)s[i];
                else
                        o += (size_t)snprintf(out + o, outsz - o, "\\x%02x", s[i]);
        }
        if (i < len && o + 4 < outsz)
                o += (size_t)snprintf(out + o, outsz - o, "...");
        out[o] = '\0';
        return out;
}

static ici_t *ici_new(const rd_kafka_conf_t *conf) {
        ici_t *ici = calloc(1, sizeof(*ici));
        pthread_mutex_lock(&lock);
        ici->conf_id = ++next_conf_id;
        ici->conf = conf;
        if (n_icis < MAX_ICI)
                icis[n_icis++] = ici;
        pthread_mutex_unlock(&lock);
        return ici;
}

/* The live instance registered on `conf`, if any (newest first: addresses of
 * destroyed confs are reused). */
static ici_t *ici_find(const rd_kafka_conf_t *conf) {
        ici_t *found = NULL;
        int i;
        pthread_mutex_lock(&lock);
        for (i = n_icis - 1; i >= 0; i--)
                if (icis[i]->conf == conf) {
                        found = icis[i];
                        break;
                }
        pthread_mutex_unlock(&lock);
        return found;
}

static int should_fail(const ici_t *ici, const char *ev) {
        const char *p = ici->fail;
        size_t n = strlen(ev);
        while ((p = strstr(p, ev))) {
                if ((p == ici->fail || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
                        return 1;
                p += n;
        }
        return 0;
}

/* ---- instance interceptors (added in on_new) ---- */

static rd_kafka_resp_err_t on_send(rd_kafka_t *rk, rd_kafka_message_t *m, void *opaque) {
        ici_t *ici = opaque;
        char k[256], v[256];
        ic_log("on_send rk%d topic=%s partition=%" PRId32 " key=%s value=%s", ici->rk_id,
               m->rkt ? rd_kafka_topic_name(m->rkt) : "(null)", m->partition,
               esc(m->key, m->key_len, k, sizeof(k)), esc(m->payload, m->len, v, sizeof(v)));
        return should_fail(ici, "on_send") ? RD_KAFKA_RESP_ERR__FAIL : RD_KAFKA_RESP_ERR_NO_ERROR;
}

static rd_kafka_resp_err_t on_acknowledgement(rd_kafka_t *rk, rd_kafka_message_t *m, void *opaque) {
        ici_t *ici = opaque;
        char k[256], v[256];
        ic_log("on_acknowledgement rk%d topic=%s partition=%" PRId32 " offset=%" PRId64
               " key=%s value=%s err=%s",
               ici->rk_id, m->rkt ? rd_kafka_topic_name(m->rkt) : "(null)", m->partition,
               m->offset, esc(m->key, m->key_len, k, sizeof(k)),
               esc(m->payload, m->len, v, sizeof(v)), rd_kafka_err2name(m->err));
        return should_fail(ici, "on_acknowledgement") ? RD_KAFKA_RESP_ERR__FAIL
                                                      : RD_KAFKA_RESP_ERR_NO_ERROR;
}

static rd_kafka_resp_err_t on_consume(rd_kafka_t *rk, rd_kafka_message_t *m, void *opaque) {
        ici_t *ici = opaque;
        char k[256], v[256];
        ic_log("on_consume rk%d topic=%s partition=%" PRId32 " offset=%" PRId64
               " key=%s value=%s err=%s",
               ici->rk_id, m->rkt ? rd_kafka_topic_name(m->rkt) : "(null)", m->partition,
               m->offset, esc(m->key, m->key_len, k, sizeof(k)),
               esc(m->payload, m->len, v, sizeof(v)), rd_kafka_err2name(m->err));
        return should_fail(ici, "on_consume") ? RD_KAFKA_RESP_ERR__FAIL
                                              : RD_KAFKA_RESP_ERR_NO_ERROR;
}

static rd_kafka_resp_err_t on_commit(rd_kafka_t *rk, const rd_kafka_topic_partition_list_t *offsets,
                                     rd_kafka_resp_err_t err, void *opaque) {
        ici_t *ici = opaque;
        char buf[4096];
        size_t o = 0;
        int i;
        buf[0] = '\0';
        for (i = 0; offsets && i < offsets->cnt && o < sizeof(buf) - 200; i++) {
                const rd_kafka_topic_partition_t *p = &offsets->elems[i];
                o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%s/%" PRId32 "@%" PRId64 ":%s",
                                      i ? "," : "", p->topic, p->partition, p->offset,
                                      rd_kafka_err2name(p->err));
        }
        ic_log("on_commit rk%d err=%s cnt=%d offsets=%s", ici->rk_id, rd_kafka_err2name(err),
               offsets ? offsets->cnt : -1, buf);
        return should_fail(ici, "on_commit") ? RD_KAFKA_RESP_ERR__FAIL
                                             : RD_KAFKA_RESP_ERR_NO_ERROR;
}

static rd_kafka_resp_err_t on_request_sent(rd_kafka_t *rk, int sockfd, const char *brokername,
                                           int32_t brokerid, int16_t ApiKey, int16_t ApiVersion,
                                           int32_t CorrId, size_t size, void *opaque) {
        ici_t *ici = opaque;
        ic_log("on_request_sent rk%d broker=%s id=%" PRId32 " api=%d ver=%d corr=%" PRId32
               " size=%zu fd=%s",
               ici->rk_id, brokername ? brokername : "(null)", brokerid, ApiKey, ApiVersion,
               CorrId, size, sockfd >= 0 && fcntl(sockfd, F_GETFD) != -1 ? "open" : "bad");
        return RD_KAFKA_RESP_ERR_NO_ERROR;
}

static rd_kafka_resp_err_t on_response_received(rd_kafka_t *rk, int sockfd, const char *brokername,
                                                int32_t brokerid, int16_t ApiKey,
                                                int16_t ApiVersion, int32_t CorrId, size_t size,
                                                int64_t rtt, rd_kafka_resp_err_t err,
                                                void *opaque) {
        ici_t *ici = opaque;
        ic_log("on_response_received rk%d broker=%s id=%" PRId32 " api=%d ver=%d corr=%" PRId32
               " size=%zu rtt=%s err=%s fd=%s",
               ici->rk_id, brokername ? brokername : "(null)", brokerid, ApiKey, ApiVersion,
               CorrId, size, rtt >= 0 ? "ok" : "neg", rd_kafka_err2name(err),
               sockfd >= 0 && fcntl(sockfd, F_GETFD) != -1 ? "open" : sockfd == -1 ? "-1" : "bad");
        return RD_KAFKA_RESP_ERR_NO_ERROR;
}

static rd_kafka_resp_err_t on_thread_start(rd_kafka_t *rk, rd_kafka_thread_type_t type,
                                           const char *name, void *opaque) {
        ici_t *ici = opaque;
        const char *was = role();
        tl_type = (int)type;
        ic_log("on_thread_start rk%d type=%s name=%s was=%s", ici->rk_id, thread_type_name(type),
               name ? name : "(null)", was);
        return RD_KAFKA_RESP_ERR_NO_ERROR;
}

static rd_kafka_resp_err_t on_thread_exit(rd_kafka_t *rk, rd_kafka_thread_type_t type,
                                          const char *name, void *opaque) {
        ici_t *ici = opaque;
        ic_log("on_thread_exit rk%d type=%s name=%s", ici->rk_id, thread_type_name(type),
               name ? name : "(null)");
        tl_type = -1;
        return RD_KAFKA_RESP_ERR_NO_ERROR;
}

static rd_kafka_resp_err_t on_broker_state_change(rd_kafka_t *rk, int32_t broker_id,
                                                  const char *secproto, const char *name,
                                                  int port, const char *state, void *opaque) {
        ici_t *ici = opaque;
        ic_log("on_broker_state_change rk%d id=%" PRId32 " proto=%s name=%s port=%d state=%s",
               ici->rk_id, broker_id, secproto ? secproto : "(null)", name ? name : "(null)",
               port, state ? state : "(null)");
        return RD_KAFKA_RESP_ERR_NO_ERROR;
}

static rd_kafka_resp_err_t on_destroy(rd_kafka_t *rk, void *opaque) {
        ici_t *ici = opaque;
        ic_log("on_destroy rk%d", ici->rk_id);
        return RD_KAFKA_RESP_ERR_NO_ERROR;
}

/* ---- conf interceptors ---- */

static rd_kafka_resp_err_t on_new(rd_kafka_t *rk, const rd_kafka_conf_t *conf, void *opaque,
                                  char *errstr, size_t errstr_size) {
        ici_t *ici = opaque;
        char cid[128] = "";
        size_t sz = sizeof(cid);
        rd_kafka_resp_err_t e[10];
        char errs[512] = "";
        int i;

        pthread_mutex_lock(&lock);
        ici->rk_id = ++next_rk_id;
        ici->conf = NULL; /* rd_kafka_new() took the app's conf: its address may be reused */
        pthread_mutex_unlock(&lock);
        if (rd_kafka_conf_get(conf, "client.id", cid, &sz) != RD_KAFKA_CONF_OK)
                strcpy(cid, "?");

        e[0] = rd_kafka_interceptor_add_on_send(rk, IC_NAME, on_send, ici);
        e[1] = rd_kafka_interceptor_add_on_acknowledgement(rk, IC_NAME, on_acknowledgement, ici);
        e[2] = rd_kafka_interceptor_add_on_consume(rk, IC_NAME, on_consume, ici);
        e[3] = rd_kafka_interceptor_add_on_commit(rk, IC_NAME, on_commit, ici);
        e[4] = rd_kafka_interceptor_add_on_request_sent(rk, IC_NAME, on_request_sent, ici);
        e[5] = rd_kafka_interceptor_add_on_response_received(rk, IC_NAME, on_response_received, ici);
        e[6] = rd_kafka_interceptor_add_on_thread_start(rk, IC_NAME, on_thread_start, ici);
        e[7] = rd_kafka_interceptor_add_on_thread_exit(rk, IC_NAME, on_thread_exit, ici);
        e[8] = rd_kafka_interceptor_add_on_broker_state_change(rk, IC_NAME, on_broker_state_change, ici);
        e[9] = rd_kafka_interceptor_add_on_destroy(rk, IC_NAME, on_destroy, ici);
        for (i = 0; i < 10; i++)
                if (e[i])
                        snprintf(errs + strlen(errs), sizeof(errs) - strlen(errs), " add%d=%s", i,
                                 rd_kafka_err2name(e[i]));
        /* Adding the same method under the same name again is refused. */
        rd_kafka_resp_err_t again = rd_kafka_interceptor_add_on_send(rk, IC_NAME, on_send, ici);

        ic_log("on_new rk%d c%d type=%s client.id=%s prop=%s again=%s%s", ici->rk_id, ici->conf_id,
               rd_kafka_type(rk) == RD_KAFKA_PRODUCER ? "producer" : "consumer", cid,
               ici->prop[0] ? ici->prop : "(unset)", rd_kafka_err2name(again), errs);
        return RD_KAFKA_RESP_ERR_NO_ERROR;
}

static rd_kafka_conf_res_t on_conf_set(rd_kafka_conf_t *conf, const char *name, const char *val,
                                       char *errstr, size_t errstr_size, void *opaque) {
        ici_t *ici = opaque;
        rd_kafka_conf_res_t res = RD_KAFKA_CONF_UNKNOWN;

        if (!strcmp(name, "test_interceptor.prop")) {
                snprintf(ici->prop, sizeof(ici->prop), "%s", val ? val : "");
                res = RD_KAFKA_CONF_OK;
        } else if (!strcmp(name, "test_interceptor.fail")) {
                snprintf(ici->fail, sizeof(ici->fail), "%s", val ? val : "");
                res = RD_KAFKA_CONF_OK;
        } else if (!strcmp(name, "test_interceptor.bad")) {
                snprintf(errstr, errstr_size, "test_interceptor.bad: rejected value \"%s\"",
                         val ? val : "(null)");
                res = RD_KAFKA_CONF_INVALID;
        }
        ic_log("on_conf_set c%d %s=%s -> %s%s", ici->conf_id, name, val ? val : "(null)",
               res == RD_KAFKA_CONF_OK ? "OK" : res == RD_KAFKA_CONF_INVALID ? "INVALID" : "UNKNOWN",
               conf == ici->conf ? "" : " (other conf)");
        return res;
}

static void register_conf(rd_kafka_conf_t *conf, ici_t *ici, char *errs, size_t errs_size);

static rd_kafka_resp_err_t on_conf_dup(rd_kafka_conf_t *new_conf, const rd_kafka_conf_t *old_conf,
                                       size_t filter_cnt, const char **filter, void *opaque) {
        ici_t *old = opaque;
        ici_t *ici = ici_new(new_conf);
        char flt[1024] = "";
        char errs[256] = "";
        size_t i;
        for (i = 0; i < filter_cnt; i++)
                snprintf(flt + strlen(flt), sizeof(flt) - strlen(flt), "%s%s", i ? "," : "",
                         filter[i]);
        register_conf(new_conf, ici, errs, sizeof(errs));
        ic_log("on_conf_dup c%d from=c%d filter_cnt=%zu filter=[%s]%s%s", ici->conf_id,
               old->conf_id, filter_cnt, flt, old_conf == old->conf ? "" : " (other conf)", errs);
        return RD_KAFKA_RESP_ERR_NO_ERROR;
}

static rd_kafka_resp_err_t on_conf_destroy(void *opaque) {
        ici_t *ici = opaque;
        ic_log("on_conf_destroy c%d", ici->conf_id);
        pthread_mutex_lock(&lock);
        ici->conf = NULL; /* its address may be reused */
        pthread_mutex_unlock(&lock);
        return RD_KAFKA_RESP_ERR_NO_ERROR;
}

static void register_conf(rd_kafka_conf_t *conf, ici_t *ici, char *errs, size_t errs_size) {
        rd_kafka_resp_err_t e[4];
        int i;
        e[0] = rd_kafka_conf_interceptor_add_on_conf_set(conf, IC_NAME, on_conf_set, ici);
        e[1] = rd_kafka_conf_interceptor_add_on_conf_dup(conf, IC_NAME, on_conf_dup, ici);
        e[2] = rd_kafka_conf_interceptor_add_on_conf_destroy(conf, IC_NAME, on_conf_destroy, ici);
        e[3] = rd_kafka_conf_interceptor_add_on_new(conf, IC_NAME, on_new, ici);
        for (i = 0; i < 4; i++)
                if (e[i])
                        snprintf(errs + strlen(errs), errs_size - strlen(errs), " add%d=%s", i,
                                 rd_kafka_err2name(e[i]));
}

/* The plugin entry point librdkafka's plugin loader looks up. */
rd_kafka_resp_err_t conf_init(rd_kafka_conf_t *conf, void **plug_opaquep, char *errstr,
                              size_t errstr_size) {
        const char *fail = getenv("KAFKARS_ICPT_FAIL");
        char paths[1024] = "";
        size_t sz = sizeof(paths);
        Dl_info info;

        /* What plugin.library.paths reads as while its setter runs. */
        rd_kafka_conf_res_t gr = rd_kafka_conf_get(conf, "plugin.library.paths", paths, &sz);
        if (gr != RD_KAFKA_CONF_OK)
                snprintf(paths, sizeof(paths), "(conf_get %d)", (int)gr);

        if (fail && *fail) {
                snprintf(errstr, errstr_size, "test_interceptor: conf_init refused (KAFKARS_ICPT_FAIL=%s)",
                         fail);
                ic_log("conf_init refused paths=%s", paths[0] ? paths : "(empty)");
                return RD_KAFKA_RESP_ERR__FAIL;
        }

        /* Stay loaded: interceptors may outlive the conf that loaded us, and the
         * counters must not restart when the library unloads and reloads us. */
        if (dladdr((void *)conf_init, &info) && info.dli_fname)
                dlopen(info.dli_fname, RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE);

        *plug_opaquep = (void *)"test_interceptor plug_opaque";

        /* A conf duplicated from one we intercept already has our interceptors
         * (on_conf_dup added them) when the copy of plugin.library.paths calls
         * us again: adding on_conf_set again is refused. */
        ici_t *existing = ici_find(conf);
        if (existing) {
                rd_kafka_resp_err_t e =
                    rd_kafka_conf_interceptor_add_on_conf_set(conf, IC_NAME, on_conf_set, existing);
                ic_log("conf_init c%d again paths=%s add_on_conf_set=%s", existing->conf_id,
                       paths[0] ? paths : "(empty)", rd_kafka_err2name(e));
                return RD_KAFKA_RESP_ERR_NO_ERROR;
        }

        ici_t *ici = ici_new(conf);
        char errs[256] = "";
        register_conf(conf, ici, errs, sizeof(errs));
        ic_log("conf_init c%d paths=%s%s", ici->conf_id, paths[0] ? paths : "(empty)", errs);
        return RD_KAFKA_RESP_ERR_NO_ERROR;
}
