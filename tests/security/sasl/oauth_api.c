/* librdkafka's SASL callback C API, one case per run, against an OAUTHBEARER/PLAIN front
 * of the mock cluster (tests/security/sasl/front.sh, sasl_server.py with
 * --oauth-allow-unsecured), for tests/security/sasl/run.sh to compare genuine librdkafka
 * and kafkars. It runs on whatever librdkafka.so.1 the loader finds and prints one fact
 * per line on stdout:
 *
 *   version <rd_kafka_version_str()>   first line (never compared)
 *   info <...>                          varying facts (never compared)
 *   everything else                     compared with genuine's (oauth_api.expected)
 * Numbers that vary (times, ports) are replaced in the texts printed: a token of the form
 * proto://host:port/id becomes BROKER, a run of 3 or more digits or one followed by "ms"
 * becomes N.
 *
 * Tokens are unsecured JWTs built here: eyJhbGciOiJub25lIn0.<b64url {"sub","iat","exp"}>.
 * (the front accepts alg "none" with --oauth-allow-unsecured and checks sub and exp).
 *
 * Usage: oauth_api [-b BOOTSTRAP] [-t TOPIC] [-u USER:GOODPASS] CASE
 *   -b   the front's bootstrap servers (cases that connect)
 *   -t   topic to produce to (default oauth-api)
 *   -u   a PLAIN user of the front and its password (set-credentials; default
 *        oa-cred:oa-cred-secret)
 * CASEs (principals oa-<case>; producing cases send 5 messages to TOPIC; "the callback"
 * is the token refresh callback, which sets an unsecured JWT valid 60 s with the
 * extension traceId=abc):
 *   refresh-cb          the callback served by rd_kafka_poll on the main thread, given
 *                       sasl.oauthbearer.config; produce
 *   refresh-cb-noconfig the same without sasl.oauthbearer.config (genuine passes NULL)
 *   set-token-errors    rd_kafka_oauthbearer_set_token's argument checks; on a PLAIN, a
 *                       plaintext and an unsecure-jwt handle. NULL token / NULL principal
 *                       run in a child process each and are info lines only: genuine 2.16
 *                       dies of SIGSEGV there
 *   set-token-failure   rd_kafka_oauthbearer_set_token_failure: its error_cb, the same
 *                       reason again, another reason, NULL/"" reason; PLAIN/plaintext
 *                       handles
 *   sasl-queue          rd_kafka_conf_enable_sasl_queue, two handles: the callback is not
 *                       served by rd_kafka_poll(main); one handle serves the SASL queue with
 *                       rd_kafka_queue_poll_callback (the callback runs, main thread), the
 *                       other with rd_kafka_queue_poll (genuine: an OAUTHBEARER_TOKEN_REFRESH
 *                       event is returned and the callback is not called; the token is set
 *                       from the event); both produce
 *   sasl-queue-off      rd_kafka_queue_get_sasl without the SASL queue, with an unsecured-JWT
 *                       handle, on PLAIN/plaintext handles; rd_kafka_poll serves the callback
 *   background          rd_kafka_sasl_background_callbacks_enable (SASL queue enabled): the
 *                       callback runs on another thread without any polling (bounded 10 s);
 *                       a second enable; produce
 *   background-no-queue rd_kafka_sasl_background_callbacks_enable without the SASL queue, on
 *                       a PLAIN handle (queue enabled), on a plaintext handle
 *   events              rd_kafka_conf_set_events(OAUTHBEARER_TOKEN_REFRESH|DR|ERROR), no
 *                       callback: the event from rd_kafka_queue_poll(main), its name and
 *                       config string; the token set from there; DR events
 *   set-credentials     PLAIN (user -u) with a wrong password until an _AUTHENTICATION
 *                       error (bounded 10 s, reconnect.backoff.ms=100), then
 *                       rd_kafka_sasl_set_credentials(user, good): delivered within 15 s;
 *                       NULL/"" arguments; OAUTHBEARER and plaintext handles
 *   unsecure-jwt        enable.sasl.oauthbearer.unsecure.jwt with "principal=bob scope=a,b
 *                       lifeSeconds=10 extension_traceId=123"; produce
 *   unsecure-jwt-bad    rd_kafka_new (then up to 2 s of polling, and the errors) with bad
 *                       sasl.oauthbearer.config values, unsecure.jwt together with a refresh
 *                       callback or the refresh event, OAUTHBEARER with no token source
 * Exit status: 0 when the case ran to its end (whatever it printed), 2 on usage errors,
 * 3 when a bounded wait ran out where the case cannot go on. Every handle is destroyed and
 * everything freed (for valgrind).
 * Build: gcc -o oauth_api oauth_api.c -lrdkafka -lpthread */
#define _GNU_SOURCE /* memmem, strsignal */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <librdkafka/rdkafka.h>

#define MSG_COUNT 5
#define MAX_ERRS 16

static const char *bootstrap;
static const char *topic = "oauth-api";
static const char *plain_user = "oa-cred", *plain_good = "oa-cred-secret";
static pthread_t main_thread;

/* ------------------------------------------------------------------ utilities */

static int64_t mono_ms(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t wall_ms(void) {
        struct timeval tv;
        gettimeofday(&tv, NULL);
        return (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

/* The normalisation described at the top, into out (size n). */
static void norm(const char *in, char *out, size_t n) {
        size_t o          = 0;
        const char *start = in ? in : "(null)", *p = start;
        if (n == 0)
                return;
        while (*p && o + 1 < n) {
                /* a whitespace-delimited token holding "://": BROKER (a trailing ':'
                 * kept) */
                if (p == start || p[-1] == ' ' || p[-1] == '"' || p[-1] == '(') {
                        const char *e = p;
                        while (*e && *e != ' ' && *e != ')' && *e != '"')
                                e++;
                        if (memmem(p, (size_t)(e - p), "://", 3)) {
                                const char *rep = "BROKER";
                                int colon       = e > p && e[-1] == ':';
                                while (*rep && o + 1 < n)
                                        out[o++] = *rep++;
                                if (colon && o + 1 < n)
                                        out[o++] = ':';
                                p = e;
                                continue;
                        }
                }
                if (*p >= '0' && *p <= '9') {
                        const char *e = p;
                        while (*e >= '0' && *e <= '9')
                                e++;
                        if (e - p >= 3 || strncmp(e, "ms", 2) == 0) {
                                out[o++] = 'N';
                                p        = e;
                                continue;
                        }
                        while (p < e && o + 1 < n)
                                out[o++] = *p++;
                        continue;
                }
                /* control characters and non-ASCII bytes shown escaped */
                if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f) {
                        if (o + 5 < n)
                                o += (size_t)snprintf(out + o, n - o, "\\x%02x",
                                                      (unsigned char)*p);
                        p++;
                        continue;
                }
                out[o++] = *p++;
        }
        out[o] = '\0';
}

static void print_normed(const char *prefix, const char *text) {
        char buf[1024];
        norm(text, buf, sizeof(buf));
        printf("%s%s\n", prefix, buf);
}

static const char *b64url_chars =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static void b64url(const char *in, char *out) {
        size_t len = strlen(in), i, o = 0;
        const unsigned char *s = (const unsigned char *)in;
        for (i = 0; i + 2 < len; i += 3) {
                out[o++] = b64url_chars[s[i] >> 2];
                out[o++] = b64url_chars[((s[i] & 3) << 4) | (s[i + 1] >> 4)];
                out[o++] = b64url_chars[((s[i + 1] & 15) << 2) | (s[i + 2] >> 6)];
                out[o++] = b64url_chars[s[i + 2] & 63];
        }
        if (len - i == 1) {
                out[o++] = b64url_chars[s[i] >> 2];
                out[o++] = b64url_chars[(s[i] & 3) << 4];
        } else if (len - i == 2) {
                out[o++] = b64url_chars[s[i] >> 2];
                out[o++] = b64url_chars[((s[i] & 3) << 4) | (s[i + 1] >> 4)];
                out[o++] = b64url_chars[(s[i + 1] & 15) << 2];
        }
        out[o] = '\0';
}

/* An unsecured JWT for principal, expiring at exp_ms (ms since the epoch). */
static void make_jwt(const char *principal, int64_t exp_ms, char *out, size_t n) {
        char claims[256], enc[400];
        snprintf(claims, sizeof(claims), "{\"sub\":\"%s\",\"iat\":%" PRId64 ",\"exp\":%" PRId64 "}",
                 principal, wall_ms() / 1000 - 1, exp_ms / 1000);
        b64url(claims, enc);
        snprintf(out, n, "eyJhbGciOiJub25lIn0.%s.", enc);
}

/* ------------------------------------------------------------------ callback state */

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond  = PTHREAD_COND_INITIALIZER;

/* What the token refresh callback does when called. */
enum cb_mode { CB_RECORD, CB_SET_TOKEN };
static enum cb_mode cb_mode;
static const char *cb_principal;
static int cb_calls, cb_on_main, cb_on_other;
static char cb_config[512];
static int cb_config_null;
static rd_kafka_resp_err_t cb_set_err = -1;
static char cb_set_errstr[512];

static const char *ext_traceid[] = {"traceId", "abc"};

static void refresh_cb(rd_kafka_t *rk, const char *config, void *opaque) {
        char token[512], errstr[512] = "";
        rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR;
        (void)opaque;
        if (cb_mode == CB_SET_TOKEN) {
                int64_t exp = wall_ms() + 60000;
                make_jwt(cb_principal, exp, token, sizeof(token));
                err = rd_kafka_oauthbearer_set_token(rk, token, exp, cb_principal,
                                                     ext_traceid, 2, errstr,
                                                     sizeof(errstr));
        }
        pthread_mutex_lock(&lock);
        cb_calls++;
        if (pthread_equal(pthread_self(), main_thread))
                cb_on_main++;
        else
                cb_on_other++;
        if (cb_calls == 1) {
                cb_config_null = config == NULL;
                snprintf(cb_config, sizeof(cb_config), "%s", config ? config : "");
                if (cb_mode == CB_SET_TOKEN) {
                        cb_set_err = err;
                        snprintf(cb_set_errstr, sizeof(cb_set_errstr), "%s", errstr);
                }
        }
        pthread_cond_broadcast(&cond);
        pthread_mutex_unlock(&lock);
}

static int get_cb_calls(void) {
        int n;
        pthread_mutex_lock(&lock);
        n = cb_calls;
        pthread_mutex_unlock(&lock);
        return n;
}

/* One line on the first callback call: thread, config, set_token's result. */
static void print_cb_first(const char *label) {
        pthread_mutex_lock(&lock);
        printf("%s: refresh_cb calls>=1 thread=%s config=%s%s%s\n", label,
               cb_on_main ? "main" : "other", cb_config_null ? "" : "\"",
               cb_config_null ? "NULL" : cb_config, cb_config_null ? "" : "\"");
        if (cb_mode == CB_SET_TOKEN) {
                if (cb_set_err)
                        printf("%s: set_token in refresh_cb: %s: %s\n", label,
                               rd_kafka_err2name(cb_set_err), cb_set_errstr);
                else
                        printf("%s: set_token in refresh_cb: NO_ERROR\n", label);
        }
        pthread_mutex_unlock(&lock);
}

/* error_cb: every error kept (code + normalised reason), in order. */
static struct {
        int code;
        char reason[512];
        int count;
} errs[MAX_ERRS];
static int err_cnt, err_total;

static void error_cb(rd_kafka_t *rk, int err, const char *reason, void *opaque) {
        char r[512];
        int i;
        (void)rk;
        (void)opaque;
        norm(reason, r, sizeof(r));
        pthread_mutex_lock(&lock);
        err_total++;
        for (i = 0; i < err_cnt; i++) {
                if (errs[i].code == err && !strcmp(errs[i].reason, r)) {
                        errs[i].count++;
                        break;
                }
        }
        if (i == err_cnt && err_cnt < MAX_ERRS) {
                errs[err_cnt].code  = err;
                errs[err_cnt].count = 1;
                snprintf(errs[err_cnt].reason, sizeof(errs[err_cnt].reason), "%s", r);
                err_cnt++;
        }
        pthread_cond_broadcast(&cond);
        pthread_mutex_unlock(&lock);
}

static void reset_errors(void) {
        pthread_mutex_lock(&lock);
        err_cnt = err_total = 0;
        pthread_mutex_unlock(&lock);
}

/* Prints each distinct error (code, normalised reason) once, in order of arrival, and
 * how often it came (an info line). PE_ALL: every one compared; PE_FIRST_OF: only the
 * first of `code` compared, the rest info lines (timing-dependent sequences); PE_INFO:
 * all info lines. */
enum pe_mode { PE_ALL, PE_FIRST_OF, PE_INFO };
static void print_errors_m(const char *label, enum pe_mode mode, int code) {
        int i, first = 1;
        pthread_mutex_lock(&lock);
        for (i = 0; i < err_cnt; i++) {
                int shown = mode == PE_ALL ||
                            (mode == PE_FIRST_OF && errs[i].code == code && first);
                if (shown && mode == PE_FIRST_OF)
                        first = 0;
                printf("%s%s: error %s: %s\n", shown ? "" : "info ", label,
                       rd_kafka_err2name(errs[i].code), errs[i].reason);
                printf("info %s: error %s seen %d times\n", label,
                       rd_kafka_err2name(errs[i].code), errs[i].count);
        }
        if (err_cnt == 0)
                printf("%s%s: no errors\n", mode == PE_INFO ? "info " : "", label);
        pthread_mutex_unlock(&lock);
}

static void print_errors(const char *label) {
        print_errors_m(label, PE_ALL, 0);
}

static int has_error(int code) {
        int i, found = 0;
        pthread_mutex_lock(&lock);
        for (i = 0; i < err_cnt; i++)
                found |= errs[i].code == code;
        pthread_mutex_unlock(&lock);
        return found;
}

static int dr_ok, dr_fail;
static int dr_codes[8], dr_code_cnt;

static void note_dr(rd_kafka_resp_err_t err) {
        int i;
        if (!err) {
                dr_ok++;
                return;
        }
        dr_fail++;
        for (i = 0; i < dr_code_cnt; i++)
                if (dr_codes[i] == (int)err)
                        return;
        if (dr_code_cnt < 8)
                dr_codes[dr_code_cnt++] = err;
}

static void dr_msg_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) {
        (void)rk;
        (void)opaque;
        note_dr(m->err);
}

static void log_cb(const rd_kafka_t *rk, int level, const char *fac, const char *buf) {
        fprintf(stderr, "log %d %s %s: %s\n", level, fac ? fac : "-",
                rk ? rd_kafka_name(rk) : "-", buf ? buf : "");
}

/* ------------------------------------------------------------------ handles */

static int set1(rd_kafka_conf_t *conf, const char *key, const char *val) {
        char errstr[512];
        if (rd_kafka_conf_set(conf, key, val, errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK) {
                print_normed("conf_error: ", errstr);
                printf("conf_error_key %s\n", key);
                return -1;
        }
        return 0;
}

/* A producer conf: error_cb, log_cb, dr_msg_cb, then kv (key, value, ..., NULL). */
static rd_kafka_conf_t *new_conf(const char *const *kv) {
        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        rd_kafka_conf_set_error_cb(conf, error_cb);
        rd_kafka_conf_set_log_cb(conf, log_cb);
        rd_kafka_conf_set_dr_msg_cb(conf, dr_msg_cb);
        for (; kv && kv[0]; kv += 2) {
                if (set1(conf, kv[0], kv[1])) {
                        rd_kafka_conf_destroy(conf);
                        return NULL;
                }
        }
        return conf;
}

/* rd_kafka_new; prints "new_error <label>: <errstr>" when it fails (conf destroyed). */
static rd_kafka_t *new_producer(const char *label, rd_kafka_conf_t *conf) {
        char errstr[512] = "";
        rd_kafka_t *rk;
        if (!conf)
                return NULL;
        rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        if (!rk) {
                char b[600];
                snprintf(b, sizeof(b), "new_error %s: ", label);
                print_normed(b, errstr);
                rd_kafka_conf_destroy(conf);
        }
        return rk;
}

static void destroy(rd_kafka_t *rk) {
        if (rk)
                rd_kafka_destroy(rk);
}

/* Produces MSG_COUNT messages, flushes (bounded by timeout_ms), prints the outcome. */
static void produce(const char *label, rd_kafka_t *rk, int timeout_ms) {
        int64_t deadline = mono_ms() + timeout_ms;
        int i;
        dr_ok = dr_fail = dr_code_cnt = 0;
        for (i = 0; i < MSG_COUNT; i++) {
                char val[16];
                rd_kafka_resp_err_t err;
                snprintf(val, sizeof(val), "m%d", i);
                err = rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic),
                                        RD_KAFKA_V_VALUE(val, strlen(val)),
                                        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                                        RD_KAFKA_V_END);
                if (err) {
                        printf("%s: produce_error %s\n", label, rd_kafka_err2name(err));
                        dr_fail++;
                }
        }
        while (dr_ok + dr_fail < MSG_COUNT && mono_ms() < deadline)
                rd_kafka_flush(rk, 200);
        if (dr_ok + dr_fail < MSG_COUNT) {
                rd_kafka_purge(rk, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
                deadline = mono_ms() + 3000;
                while (dr_ok + dr_fail < MSG_COUNT && mono_ms() < deadline)
                        rd_kafka_poll(rk, 100);
        }
        printf("%s: delivered %d failed %d\n", label, dr_ok, dr_fail);
        for (i = 0; i < dr_code_cnt; i++)
                printf("%s: dr_error %s\n", label, rd_kafka_err2name(dr_codes[i]));
}

/* Polls rk (rd_kafka_poll, 100 ms slices) for ms. */
static void poll_for(rd_kafka_t *rk, int ms) {
        int64_t end = mono_ms() + ms;
        while (mono_ms() < end)
                rd_kafka_poll(rk, 100);
}

/* Polls rk until the refresh callback has been called (bounded); 0 when it was. */
static int poll_until_cb(rd_kafka_t *rk, int ms) {
        int64_t end = mono_ms() + ms;
        while (get_cb_calls() == 0 && mono_ms() < end)
                rd_kafka_poll(rk, 100);
        return get_cb_calls() ? 0 : -1;
}

static void print_error_obj(const char *label, rd_kafka_error_t *e) {
        char b[600];
        if (!e) {
                printf("%s: NULL (success)\n", label);
                return;
        }
        snprintf(b, sizeof(b), "%s: error %s: ", label,
                 rd_kafka_err2name(rd_kafka_error_code(e)));
        print_normed(b, rd_kafka_error_string(e));
        rd_kafka_error_destroy(e);
}

#define SASL_OB "security.protocol", "sasl_plaintext", "sasl.mechanism", "OAUTHBEARER"

/* ------------------------------------------------------------------ case 1 */

static int case_refresh_cb(int with_config) {
        const char *label = with_config ? "refresh-cb" : "refresh-cb-noconfig";
        const char *kv[]  = {"bootstrap.servers", bootstrap, SASL_OB,
                             "sasl.oauthbearer.config", "app-config key=value x=1", NULL};
        rd_kafka_conf_t *conf;
        rd_kafka_t *rk;
        if (!with_config)
                kv[6] = NULL;
        cb_mode      = CB_SET_TOKEN;
        cb_principal = with_config ? "oa-refresh-cb" : "oa-refresh-cb-noconfig";
        conf         = new_conf(kv);
        if (!conf)
                return 0;
        rd_kafka_conf_set_oauthbearer_token_refresh_cb(conf, refresh_cb);
        if (!(rk = new_producer("producer", conf)))
                return 0;
        if (poll_until_cb(rk, 10000)) {
                printf("%s: refresh_cb not called within 10 s of rd_kafka_poll\n", label);
                destroy(rk);
                return 3;
        }
        print_cb_first(label);
        if (with_config)
                produce(label, rk, 15000);
        else
                poll_for(rk, 500);
        printf("%s: refresh_cb calls %d\n", label, get_cb_calls());
        print_errors(label);
        destroy(rk);
        return 0;
}

/* ------------------------------------------------------------------ case 2 */

static const char *line_prefix = ""; /* "info " for what is not compared */

static void set_token_try(rd_kafka_t *rk, const char *label, const char *token,
                          int64_t lifetime, const char *principal, const char **ext,
                          size_t ext_size) {
        char errstr[512] = "", b[600];
        rd_kafka_resp_err_t err = rd_kafka_oauthbearer_set_token(
            rk, token, lifetime, principal, ext, ext_size, errstr, sizeof(errstr));
        if (!err) {
                printf("%sset_token %s: NO_ERROR\n", line_prefix, label);
                return;
        }
        snprintf(b, sizeof(b), "%sset_token %s: %s: ", line_prefix, label,
                 rd_kafka_err2name(err));
        print_normed(b, errstr);
}

static rd_kafka_t *ob_handle_no_broker(const char *label) {
        const char *kv[]      = {SASL_OB, NULL};
        rd_kafka_conf_t *conf = new_conf(kv);
        if (conf)
                rd_kafka_conf_set_oauthbearer_token_refresh_cb(conf, refresh_cb);
        return new_producer(label, conf);
}

/* Runs one set_token call with a NULL argument in a child process, reported as info
 * lines only: genuine librdkafka 2.16 crashes there (SIGSEGV), which is not something to
 * compare with ("info set_token <label>: crashed (<signal>)"). */
static void set_token_null_child(const char *label, int null_token) {
        pid_t pid;
        int status = 0;
        fflush(stdout);
        pid = fork();
        if (pid == 0) {
                char token[512];
                int64_t exp = wall_ms() + 60000;
                rd_kafka_t *rk;
                alarm(20);
                line_prefix = "info ";
                rk = ob_handle_no_broker("producer");
                if (!rk)
                        _exit(1);
                make_jwt("oa-null", exp, token, sizeof(token));
                set_token_try(rk, label, null_token ? NULL : token, exp,
                              null_token ? "oa-null" : NULL, NULL, 0);
                fflush(stdout);
                rd_kafka_destroy(rk);
                _exit(0);
        }
        if (pid < 0) {
                printf("info set_token %s: fork failed: %s\n", label, strerror(errno));
                return;
        }
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
                ;
        if (WIFSIGNALED(status))
                printf("info set_token %s: crashed (%s)\n", label,
                       strsignal(WTERMSIG(status)));
        else if (WEXITSTATUS(status) != 0)
                printf("info set_token %s: child exit status %d\n", label,
                       WEXITSTATUS(status));
}

static int case_set_token_errors(void) {
        char token[512];
        int64_t now = wall_ms(), exp = now + 60000;
        const char *ext_odd[]    = {"traceId", "abc", "lonely"};
        const char *ext_auth[]   = {"auth", "Bearer x"};
        const char *ext_digit[]  = {"trace1", "abc"};
        const char *ext_ctl[]    = {"traceId", "a\001b"};
        const char *ext_ekey[]   = {"", "abc"};
        const char *ext_eval[]   = {"traceId", ""};
        const char *ext_ws[]     = {"traceId", "a b\tc\r\nd"};
        const char *ext_under[]  = {"trace_id", "abc"};
        const char *ext_nonasc[] = {"traceId", "\xc3\xa9"};
        rd_kafka_t *rk;
        cb_mode = CB_RECORD;
        make_jwt("oa-set-token", exp, token, sizeof(token));

        if (!(rk = ob_handle_no_broker("producer")))
                return 0;
        set_token_try(rk, "valid", token, exp, "oa-set-token", ext_traceid, 2);
        set_token_try(rk, "valid-no-extensions", token, exp, "oa-set-token", NULL, 0);
        set_token_try(rk, "expired", token, now - 1000, "oa-set-token", NULL, 0);
        set_token_try(rk, "odd-extension-size", token, exp, "oa-set-token", ext_odd, 3);
        set_token_try(rk, "extension-key-auth", token, exp, "oa-set-token", ext_auth, 2);
        set_token_try(rk, "extension-key-digit", token, exp, "oa-set-token", ext_digit, 2);
        set_token_try(rk, "extension-key-underscore", token, exp, "oa-set-token", ext_under, 2);
        set_token_try(rk, "extension-key-empty", token, exp, "oa-set-token", ext_ekey, 2);
        set_token_try(rk, "extension-value-control-char", token, exp, "oa-set-token", ext_ctl, 2);
        set_token_try(rk, "extension-value-empty", token, exp, "oa-set-token", ext_eval, 2);
        set_token_try(rk, "extension-value-whitespace", token, exp, "oa-set-token", ext_ws, 2);
        set_token_try(rk, "extension-value-non-ascii", token, exp, "oa-set-token", ext_nonasc, 2);
        set_token_try(rk, "empty-token", "", exp, "oa-set-token", NULL, 0);
        set_token_try(rk, "empty-principal", token, exp, "", NULL, 0);
        set_token_try(rk, "token-with-space", "abc def", exp, "oa-set-token", NULL, 0);
        destroy(rk);

        set_token_null_child("null-token", 1);
        set_token_null_child("null-principal", 0);

        {
                const char *kv[] = {"security.protocol", "sasl_plaintext", "sasl.mechanism",
                                    "PLAIN", "sasl.username", "u", "sasl.password", "p", NULL};
                if ((rk = new_producer("producer", new_conf(kv)))) {
                        set_token_try(rk, "plain-handle", token, exp, "oa-set-token", NULL, 0);
                        destroy(rk);
                }
        }
        if ((rk = new_producer("producer", new_conf(NULL)))) {
                set_token_try(rk, "plaintext-handle", token, exp, "oa-set-token", NULL, 0);
                destroy(rk);
        }
        {
                const char *kv[] = {SASL_OB, "enable.sasl.oauthbearer.unsecure.jwt", "true",
                                    "sasl.oauthbearer.config", "principal=oa-unsecure", NULL};
                if ((rk = new_producer("producer", new_conf(kv)))) {
                        set_token_try(rk, "unsecure-jwt-handle", token, exp, "oa-set-token",
                                      NULL, 0);
                        destroy(rk);
                }
        }
        return 0;
}

/* ------------------------------------------------------------------ case 3 */

static void failure_try(rd_kafka_t *rk, const char *label, const char *reason) {
        rd_kafka_resp_err_t err = rd_kafka_oauthbearer_set_token_failure(rk, reason);
        printf("set_token_failure %s: %s\n", label, rd_kafka_err2name(err));
}

static int case_set_token_failure(void) {
        rd_kafka_t *rk;
        cb_mode = CB_RECORD;
        if (!(rk = ob_handle_no_broker("producer")))
                return 0;
        poll_for(rk, 500);
        reset_errors();
        failure_try(rk, "first", "token server unreachable");
        poll_for(rk, 2000);
        print_errors("after first");
        reset_errors();
        failure_try(rk, "same-again", "token server unreachable");
        poll_for(rk, 2000);
        print_errors("after same-again");
        reset_errors();
        failure_try(rk, "other-reason", "token server said no");
        poll_for(rk, 2000);
        print_errors("after other-reason");
        reset_errors();
        failure_try(rk, "null-reason", NULL);
        failure_try(rk, "empty-reason", "");
        poll_for(rk, 1000);
        print_errors("after null/empty");
        printf("info refresh_cb calls %d\n", get_cb_calls());
        destroy(rk);
        {
                const char *kv[] = {"security.protocol", "sasl_plaintext", "sasl.mechanism",
                                    "PLAIN", "sasl.username", "u", "sasl.password", "p", NULL};
                if ((rk = new_producer("producer", new_conf(kv)))) {
                        failure_try(rk, "plain-handle", "x");
                        destroy(rk);
                }
        }
        if ((rk = new_producer("producer", new_conf(NULL)))) {
                failure_try(rk, "plaintext-handle", "x");
                destroy(rk);
        }
        return 0;
}

/* ------------------------------------------------------------------ case 4 */

/* Two handles with the SASL queue enabled and a refresh callback: neither's callback is
 * served by rd_kafka_poll(main). The first serves the SASL queue with
 * rd_kafka_queue_poll_callback (the callback is called, on the main thread); the second
 * with rd_kafka_queue_poll, which on genuine librdkafka 2.16 returns the refresh as an
 * OAUTHBEARER_TOKEN_REFRESH event without calling the callback: the token is set from the
 * event there. Both then produce. */
static int sasl_queue_one(const char *label, const char *principal, int use_event_api) {
        const char *kv[] = {"bootstrap.servers", bootstrap, SASL_OB,
                            "sasl.oauthbearer.config", "queue-config", NULL};
        rd_kafka_conf_t *conf;
        rd_kafka_queue_t *q;
        rd_kafka_t *rk;
        int64_t end;
        int rc = 0, got_event = 0, served = 0;
        cb_mode      = CB_SET_TOKEN;
        cb_principal = principal;
        cb_calls = cb_on_main = cb_on_other = 0;
        if (!(conf = new_conf(kv)))
                return 0;
        rd_kafka_conf_set_oauthbearer_token_refresh_cb(conf, refresh_cb);
        rd_kafka_conf_enable_sasl_queue(conf, 1);
        if (!(rk = new_producer("producer", conf)))
                return 0;
        q = rd_kafka_queue_get_sasl(rk);
        printf("%s: queue_get_sasl %s\n", label, q ? "non-NULL" : "NULL");
        poll_for(rk, 1500);
        printf("%s: after rd_kafka_poll(main) 1.5 s: refresh_cb calls %d\n", label,
               get_cb_calls());
        if (!q) {
                destroy(rk);
                return 0;
        }
        end = mono_ms() + 10000;
        while (get_cb_calls() == 0 && !got_event && mono_ms() < end) {
                rd_kafka_event_t *ev;
                if (!use_event_api) {
                        served += rd_kafka_queue_poll_callback(q, 100);
                        continue;
                }
                if (!(ev = rd_kafka_queue_poll(q, 100)))
                        continue;
                if (rd_kafka_event_type(ev) == RD_KAFKA_EVENT_OAUTHBEARER_TOKEN_REFRESH) {
                        char token[512], errstr[512] = "";
                        int64_t exp = wall_ms() + 60000;
                        const char *cs = rd_kafka_event_config_string(ev);
                        rd_kafka_resp_err_t err;
                        got_event = 1;
                        printf("%s: rd_kafka_queue_poll(sasl) returned event %s config=%s%s%s, "
                               "refresh_cb calls %d\n",
                               label, rd_kafka_event_name(ev), cs ? "\"" : "", cs ? cs : "NULL",
                               cs ? "\"" : "", get_cb_calls());
                        make_jwt(principal, exp, token, sizeof(token));
                        err = rd_kafka_oauthbearer_set_token(rk, token, exp, principal,
                                                             ext_traceid, 2, errstr,
                                                             sizeof(errstr));
                        printf("%s: set_token from the event: %s%s%s\n", label,
                               rd_kafka_err2name(err), err ? ": " : "", err ? errstr : "");
                } else {
                        printf("%s: rd_kafka_queue_poll(sasl) returned event %s\n", label,
                               rd_kafka_event_name(ev));
                }
                rd_kafka_event_destroy(ev);
        }
        if (get_cb_calls()) {
                print_cb_first(label);
                if (!use_event_api)
                        printf("info %s: rd_kafka_queue_poll_callback served %d\n", label,
                               served);
        }
        if (get_cb_calls() || got_event) {
                produce(label, rk, 15000);
        } else {
                printf("%s: neither a refresh_cb call nor an event within 10 s\n", label);
                rc = 3;
        }
        rd_kafka_queue_destroy(q);
        printf("%s: refresh_cb calls %d\n", label, get_cb_calls());
        print_errors(label);
        destroy(rk);
        return rc;
}

static int case_sasl_queue(void) {
        int rc = sasl_queue_one("sasl-queue poll_callback", "oa-sasl-queue", 0);
        int rc2 = sasl_queue_one("sasl-queue queue_poll", "oa-sasl-queue-event", 1);
        return rc ? rc : rc2;
}

static void sasl_queue_probe(const char *label, const char *const *kv, int enable, int cb) {
        rd_kafka_conf_t *conf = new_conf(kv);
        rd_kafka_queue_t *q;
        rd_kafka_t *rk;
        if (!conf)
                return;
        if (cb)
                rd_kafka_conf_set_oauthbearer_token_refresh_cb(conf, refresh_cb);
        if (enable >= 0)
                rd_kafka_conf_enable_sasl_queue(conf, enable);
        if (!(rk = new_producer(label, conf)))
                return;
        q = rd_kafka_queue_get_sasl(rk);
        printf("%s: queue_get_sasl %s\n", label, q ? "non-NULL" : "NULL");
        if (q)
                rd_kafka_queue_destroy(q);
        destroy(rk);
}

static int case_sasl_queue_off(void) {
        const char *ob[]    = {SASL_OB, NULL};
        const char *plain[] = {"security.protocol", "sasl_plaintext", "sasl.mechanism", "PLAIN",
                               "sasl.username", "u", "sasl.password", "p", NULL};
        const char *ob_unsec[] = {SASL_OB, "enable.sasl.oauthbearer.unsecure.jwt", "true",
                                  "sasl.oauthbearer.config", "principal=oa-q", NULL};
        rd_kafka_conf_t *conf;
        rd_kafka_t *rk;
        cb_mode = CB_RECORD;
        sasl_queue_probe("oauthbearer-cb not-enabled", ob, -1, 1);
        sasl_queue_probe("oauthbearer-cb enabled=0", ob, 0, 1);
        sasl_queue_probe("oauthbearer-unsecure-jwt enabled=1", ob_unsec, 1, 0);
        sasl_queue_probe("oauthbearer-unsecure-jwt not-enabled", ob_unsec, -1, 0);
        sasl_queue_probe("plain not-enabled", plain, -1, 0);
        sasl_queue_probe("plain enabled=1", plain, 1, 0);
        sasl_queue_probe("plaintext enabled=1", NULL, 1, 0);
        /* Without the SASL queue the callback is served by rd_kafka_poll. */
        if ((conf = new_conf(ob))) {
                rd_kafka_conf_set_oauthbearer_token_refresh_cb(conf, refresh_cb);
                if ((rk = new_producer("producer", conf))) {
                        if (poll_until_cb(rk, 10000) == 0)
                                print_cb_first("not-enabled rd_kafka_poll");
                        else
                                printf("not-enabled: refresh_cb not called within 10 s of rd_kafka_poll\n");
                        destroy(rk);
                }
        }
        return 0;
}

/* ------------------------------------------------------------------ case 5 */

static int case_background(void) {
        const char *kv[] = {"bootstrap.servers", bootstrap, SASL_OB,
                            "sasl.oauthbearer.config", "background-config", NULL};
        rd_kafka_conf_t *conf;
        rd_kafka_t *rk;
        struct timespec ts;
        int calls;
        cb_mode      = CB_SET_TOKEN;
        cb_principal = "oa-background";
        if (!(conf = new_conf(kv)))
                return 0;
        rd_kafka_conf_set_oauthbearer_token_refresh_cb(conf, refresh_cb);
        rd_kafka_conf_enable_sasl_queue(conf, 1);
        if (!(rk = new_producer("producer", conf)))
                return 0;
        print_error_obj("sasl_background_callbacks_enable", rd_kafka_sasl_background_callbacks_enable(rk));
        /* No polling: wait for the callback (bounded, 10 s). */
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec += 10;
        pthread_mutex_lock(&lock);
        while (cb_calls == 0) {
                if (pthread_cond_timedwait(&cond, &lock, &ts) == ETIMEDOUT)
                        break;
        }
        calls = cb_calls;
        pthread_mutex_unlock(&lock);
        if (!calls) {
                printf("refresh_cb not called within 10 s without polling\n");
                destroy(rk);
                return 3;
        }
        print_cb_first("background");
        print_error_obj("sasl_background_callbacks_enable again",
                        rd_kafka_sasl_background_callbacks_enable(rk));
        produce("background", rk, 15000);
        printf("refresh_cb calls %d, on the main thread %d\n", get_cb_calls(), cb_on_main);
        print_errors("background");
        destroy(rk);
        return 0;
}

static int case_background_no_queue(void) {
        const char *ob[]    = {SASL_OB, NULL};
        const char *plain[] = {"security.protocol", "sasl_plaintext", "sasl.mechanism", "PLAIN",
                               "sasl.username", "u", "sasl.password", "p", NULL};
        rd_kafka_conf_t *conf;
        rd_kafka_t *rk;
        cb_mode = CB_RECORD;
        if ((conf = new_conf(ob))) {
                rd_kafka_conf_set_oauthbearer_token_refresh_cb(conf, refresh_cb);
                if ((rk = new_producer("producer", conf))) {
                        print_error_obj("oauthbearer-cb no-sasl-queue",
                                        rd_kafka_sasl_background_callbacks_enable(rk));
                        destroy(rk);
                }
        }
        if ((conf = new_conf(plain))) {
                rd_kafka_conf_enable_sasl_queue(conf, 1);
                if ((rk = new_producer("producer", conf))) {
                        print_error_obj("plain sasl-queue-enabled",
                                        rd_kafka_sasl_background_callbacks_enable(rk));
                        destroy(rk);
                }
        }
        if ((conf = new_conf(NULL))) {
                if ((rk = new_producer("producer", conf))) {
                        print_error_obj("plaintext no-sasl-queue",
                                        rd_kafka_sasl_background_callbacks_enable(rk));
                        destroy(rk);
                }
        }
        return 0;
}

/* ------------------------------------------------------------------ case 6 */

static int case_events(void) {
        const char *kv[] = {"bootstrap.servers", bootstrap, SASL_OB,
                            "sasl.oauthbearer.config", "events-config k=v", NULL};
        rd_kafka_conf_t *conf;
        rd_kafka_queue_t *mq;
        rd_kafka_t *rk;
        int64_t end;
        int got = 0, i, others = 0, rc = 0;
        if (!(conf = new_conf(kv)))
                return 0;
        rd_kafka_conf_set_events(conf, RD_KAFKA_EVENT_OAUTHBEARER_TOKEN_REFRESH |
                                           RD_KAFKA_EVENT_DR | RD_KAFKA_EVENT_ERROR);
        if (!(rk = new_producer("producer", conf)))
                return 0;
        mq  = rd_kafka_queue_get_main(rk);
        end = mono_ms() + 10000;
        while (!got && mono_ms() < end) {
                rd_kafka_event_t *ev = rd_kafka_queue_poll(mq, 100);
                if (!ev)
                        continue;
                if (rd_kafka_event_type(ev) == RD_KAFKA_EVENT_OAUTHBEARER_TOKEN_REFRESH) {
                        char token[512], errstr[512] = "";
                        int64_t exp = wall_ms() + 60000;
                        const char *cs = rd_kafka_event_config_string(ev);
                        rd_kafka_resp_err_t err;
                        got = 1;
                        printf("event type=OAUTHBEARER_TOKEN_REFRESH name=%s config=%s%s%s\n",
                               rd_kafka_event_name(ev), cs ? "\"" : "", cs ? cs : "NULL",
                               cs ? "\"" : "");
                        printf("event error=%s\n", rd_kafka_err2name(rd_kafka_event_error(ev)));
                        make_jwt("oa-events", exp, token, sizeof(token));
                        err = rd_kafka_oauthbearer_set_token(rk, token, exp, "oa-events",
                                                             ext_traceid, 2, errstr,
                                                             sizeof(errstr));
                        printf("set_token from the event: %s%s%s\n", rd_kafka_err2name(err),
                               err ? ": " : "", err ? errstr : "");
                } else {
                        others++;
                        printf("info other event %s\n", rd_kafka_event_name(ev));
                }
                rd_kafka_event_destroy(ev);
        }
        if (!got) {
                printf("no OAUTHBEARER_TOKEN_REFRESH event within 10 s\n");
                rc = 3;
        } else {
                dr_ok = dr_fail = dr_code_cnt = 0;
                for (i = 0; i < MSG_COUNT; i++) {
                        rd_kafka_resp_err_t err = rd_kafka_producev(
                            rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_VALUE("e", 1),
                            RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
                        if (err) {
                                printf("produce_error %s\n", rd_kafka_err2name(err));
                                dr_fail++;
                        }
                }
                end = mono_ms() + 15000;
                while (dr_ok + dr_fail < MSG_COUNT && mono_ms() < end) {
                        rd_kafka_event_t *ev = rd_kafka_queue_poll(mq, 100);
                        if (!ev)
                                continue;
                        switch (rd_kafka_event_type(ev)) {
                        case RD_KAFKA_EVENT_DR: {
                                const rd_kafka_message_t *m;
                                while ((m = rd_kafka_event_message_next(ev)))
                                        note_dr(m->err);
                                break;
                        }
                        case RD_KAFKA_EVENT_ERROR:
                                error_cb(rk, rd_kafka_event_error(ev),
                                         rd_kafka_event_error_string(ev), NULL);
                                break;
                        case RD_KAFKA_EVENT_OAUTHBEARER_TOKEN_REFRESH:
                                printf("a second OAUTHBEARER_TOKEN_REFRESH event\n");
                                break;
                        default:
                                printf("info other event %s\n", rd_kafka_event_name(ev));
                        }
                        rd_kafka_event_destroy(ev);
                }
                printf("events: delivered %d failed %d\n", dr_ok, dr_fail);
                for (i = 0; i < dr_code_cnt; i++)
                        printf("events: dr_error %s\n", rd_kafka_err2name(dr_codes[i]));
        }
        print_errors("events");
        rd_kafka_queue_destroy(mq);
        if (dr_ok + dr_fail < MSG_COUNT)
                rd_kafka_purge(rk, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
        destroy(rk);
        return rc;
}

/* ------------------------------------------------------------------ case 7 */

static int case_set_credentials(void) {
        const char *kv[] = {"bootstrap.servers", bootstrap, "security.protocol", "sasl_plaintext",
                            "sasl.mechanism", "PLAIN", "sasl.username", plain_user,
                            "sasl.password", "not-the-password", "reconnect.backoff.ms", "100",
                            "reconnect.backoff.max.ms", "500", "message.timeout.ms", "30000",
                            NULL};
        rd_kafka_t *rk;
        int64_t end;
        int i;
        if (!(rk = new_producer("producer", new_conf(kv))))
                return 0;
        for (i = 0; i < MSG_COUNT; i++)
                rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_VALUE("c", 1),
                                  RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
        end = mono_ms() + 10000;
        while (!has_error(RD_KAFKA_RESP_ERR__AUTHENTICATION) && mono_ms() < end)
                rd_kafka_poll(rk, 100);
        print_errors_m("wrong password", PE_FIRST_OF, RD_KAFKA_RESP_ERR__AUTHENTICATION);
        if (!has_error(RD_KAFKA_RESP_ERR__AUTHENTICATION)) {
                printf("no _AUTHENTICATION error within 10 s\n");
                rd_kafka_purge(rk, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
                destroy(rk);
                return 3;
        }
        printf("info delivered before set_credentials %d\n", dr_ok);
        print_error_obj("sasl_set_credentials(good)",
                        rd_kafka_sasl_set_credentials(rk, plain_user, plain_good));
        reset_errors();
        end = mono_ms() + 15000;
        while (dr_ok + dr_fail < MSG_COUNT && mono_ms() < end)
                rd_kafka_flush(rk, 200);
        printf("after set_credentials: delivered %d failed %d\n", dr_ok, dr_fail);
        print_errors_m("after set_credentials", PE_INFO, 0);
        print_error_obj("sasl_set_credentials(NULL, pass)",
                        rd_kafka_sasl_set_credentials(rk, NULL, plain_good));
        print_error_obj("sasl_set_credentials(user, NULL)",
                        rd_kafka_sasl_set_credentials(rk, plain_user, NULL));
        print_error_obj("sasl_set_credentials(NULL, NULL)",
                        rd_kafka_sasl_set_credentials(rk, NULL, NULL));
        print_error_obj("sasl_set_credentials(\"\", \"\")",
                        rd_kafka_sasl_set_credentials(rk, "", ""));
        if (dr_ok + dr_fail < MSG_COUNT)
                rd_kafka_purge(rk, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
        destroy(rk);
        {
                const char *ob[] = {SASL_OB, NULL};
                rd_kafka_conf_t *conf = new_conf(ob);
                if (conf) {
                        rd_kafka_conf_set_oauthbearer_token_refresh_cb(conf, refresh_cb);
                        if ((rk = new_producer("producer", conf))) {
                                print_error_obj("sasl_set_credentials on an OAUTHBEARER handle",
                                                rd_kafka_sasl_set_credentials(rk, "u", "p"));
                                destroy(rk);
                        }
                }
        }
        if ((rk = new_producer("producer", new_conf(NULL)))) {
                print_error_obj("sasl_set_credentials on a plaintext handle",
                                rd_kafka_sasl_set_credentials(rk, "u", "p"));
                destroy(rk);
        }
        return 0;
}

/* ------------------------------------------------------------------ case 8 */

static int case_unsecure_jwt(void) {
        const char *kv[] = {"bootstrap.servers", bootstrap, SASL_OB,
                            "enable.sasl.oauthbearer.unsecure.jwt", "true",
                            "sasl.oauthbearer.config",
                            "principal=bob scope=a,b lifeSeconds=10 extension_traceId=123", NULL};
        rd_kafka_t *rk;
        if (!(rk = new_producer("producer", new_conf(kv))))
                return 0;
        produce("unsecure-jwt", rk, 15000);
        print_errors("unsecure-jwt");
        destroy(rk);
        return 0;
}

/* rd_kafka_new with an unsecured-JWT config; when it succeeds, 2 s of polling and the
 * errors then. */
static void unsecure_bad(const char *label, const char *config, int with_cb, int unsecure,
                         int events) {
        const char *kv[] = {SASL_OB, "enable.sasl.oauthbearer.unsecure.jwt",
                            unsecure ? "true" : "false", "sasl.oauthbearer.config", config,
                            NULL};
        rd_kafka_conf_t *conf;
        rd_kafka_t *rk;
        char b[300];
        if (!config)
                kv[6] = NULL;
        reset_errors();
        snprintf(b, sizeof(b), "unsecure-jwt-bad %s", label);
        printf("%s:\n", b);
        if (!(conf = new_conf(kv)))
                return;
        if (with_cb)
                rd_kafka_conf_set_oauthbearer_token_refresh_cb(conf, refresh_cb);
        if (events)
                rd_kafka_conf_set_events(conf, RD_KAFKA_EVENT_OAUTHBEARER_TOKEN_REFRESH);
        if (!(rk = new_producer(b, conf)))
                return;
        printf("%s: new ok\n", b);
        {
                int64_t end = mono_ms() + 2000;
                while (!has_error(RD_KAFKA_RESP_ERR__AUTHENTICATION) && mono_ms() < end)
                        rd_kafka_poll(rk, 100);
                poll_for(rk, 200);
        }
        print_errors(b);
        destroy(rk);
}

static int case_unsecure_jwt_bad(void) {
        cb_mode = CB_RECORD;
        unsecure_bad("config=\"\"", "", 0, 1, 0);
        unsecure_bad("config-unset", NULL, 0, 1, 0);
        unsecure_bad("config=\"scope=x\"", "scope=x", 0, 1, 0);
        unsecure_bad("config=\"principal=a lifeSeconds=x\"", "principal=a lifeSeconds=x", 0, 1, 0);
        unsecure_bad("config=\"foo=1\"", "foo=1", 0, 1, 0);
        unsecure_bad("config=\"principal=a foo=1\"", "principal=a foo=1", 0, 1, 0);
        unsecure_bad("config=\"principal=a principal=b\"", "principal=a principal=b", 0, 1, 0);
        unsecure_bad("config=\"principal=a extension_auth=x\"", "principal=a extension_auth=x",
                     0, 1, 0);
        unsecure_bad("unsecure.jwt-and-refresh-cb", "principal=a", 1, 1, 0);
        unsecure_bad("no-token-source", NULL, 0, 0, 0);
        unsecure_bad("unsecure.jwt-and-refresh-event", "principal=a", 0, 1, 1);
        return 0;
}

/* ------------------------------------------------------------------ main */

static void usage(void) {
        fprintf(stderr, "usage: oauth_api [-b BOOTSTRAP] [-t TOPIC] [-u USER:PASS] CASE\n");
        exit(2);
}

int main(int argc, char **argv) {
        const char *c;
        int opt, rc;
        static char userbuf[256];

        setvbuf(stdout, NULL, _IOLBF, 0);
        main_thread = pthread_self();
        while ((opt = getopt(argc, argv, "b:t:u:")) != -1) {
                switch (opt) {
                case 'b':
                        bootstrap = optarg;
                        break;
                case 't':
                        topic = optarg;
                        break;
                case 'u': {
                        char *colon;
                        snprintf(userbuf, sizeof(userbuf), "%s", optarg);
                        if (!(colon = strchr(userbuf, ':')))
                                usage();
                        *colon     = '\0';
                        plain_user = userbuf;
                        plain_good = colon + 1;
                        break;
                }
                default:
                        usage();
                }
        }
        if (optind + 1 != argc)
                usage();
        c = argv[optind];
        printf("version %s\n", rd_kafka_version_str());
        if (!bootstrap && (!strcmp(c, "refresh-cb") || !strcmp(c, "refresh-cb-noconfig") ||
                           !strcmp(c, "sasl-queue") || !strcmp(c, "background") ||
                           !strcmp(c, "events") || !strcmp(c, "set-credentials") ||
                           !strcmp(c, "unsecure-jwt"))) {
                fprintf(stderr, "case %s needs -b BOOTSTRAP\n", c);
                return 2;
        }
        if (!strcmp(c, "refresh-cb"))
                rc = case_refresh_cb(1);
        else if (!strcmp(c, "refresh-cb-noconfig"))
                rc = case_refresh_cb(0);
        else if (!strcmp(c, "set-token-errors"))
                rc = case_set_token_errors();
        else if (!strcmp(c, "set-token-failure"))
                rc = case_set_token_failure();
        else if (!strcmp(c, "sasl-queue"))
                rc = case_sasl_queue();
        else if (!strcmp(c, "sasl-queue-off"))
                rc = case_sasl_queue_off();
        else if (!strcmp(c, "background"))
                rc = case_background();
        else if (!strcmp(c, "background-no-queue"))
                rc = case_background_no_queue();
        else if (!strcmp(c, "events"))
                rc = case_events();
        else if (!strcmp(c, "set-credentials"))
                rc = case_set_credentials();
        else if (!strcmp(c, "unsecure-jwt"))
                rc = case_unsecure_jwt();
        else if (!strcmp(c, "unsecure-jwt-bad"))
                rc = case_unsecure_jwt_bad();
        else
                usage();
        if (rd_kafka_wait_destroyed(5000) != 0)
                printf("wait_destroyed timed out\n");
        return rc;
}
