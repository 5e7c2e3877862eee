/* The TLS parts of librdkafka's C API, one case per run, against a TLS front of the
 * mock cluster (tests/security/tls/front.sh), for the TLS suite to compare genuine
 * librdkafka and kafkars (tests/security/tls/run.sh). It runs on whatever
 * librdkafka.so.1 the loader finds and reports on stdout, one fact per line:
 *
 *   version <rd_kafka_version_str()>      first line (never compared)
 *   info <...>                            varying facts (counts, sizes; never compared)
 *   set_ssl_cert <TYPE> <ENC>[ <label>]: ok | invalid: <errstr>
 *   set_ssl_cert_verify_cb: ok | not ok
 *   conf_error <key>: <errstr>            rd_kafka_conf_set refused (exit status 2)
 *   new_error producer: <errstr>          rd_kafka_new failed
 *   new ok                                rd_kafka_new succeeded (cases without produce)
 *   error <ERR_NAME>: <reason>            error_cb, at most ERR_LINES_PER_NAME per name
 *   delivered D failed F / dr_error <ERR_NAME>     as tests/security/client.c
 *   verify_cb ...                         the ssl_cert_verify_cb's record (see below)
 *   log_first <level> <fac>: <message>    the first log line of facility SSLCERTVRFY
 *                                         (the verify callback's errstr) or SSLPASSWD
 *   dump|get conf|handle <key>=<value>    rd_kafka_conf_dump / rd_kafka_conf_get of the
 *            (or "<key> absent" /         configuration, then of rd_kafka_conf(rk)
 *             "<key> result N")           (newlines in values shown as \n)
 *   log_lines>0 | log_lines 0             logs seen (log-secrets)
 *   log_conf <key> = <value>              debug=conf's "Client configuration" line of
 *                                         key (or "log_conf <key> not logged")
 *   secret_in_log <fac>: <line>           a log line holding a configured secret
 *   no secret in the log lines            none did
 * librdkafka's logs also go to stderr ("log <level> <fac> <handle>: <message>").
 *
 * Usage: tls_api -d CERTDIR [-b BOOTSTRAP] [-t TOPIC] [-n COUNT] [-T MS]
 *                [-P KEYPASS] [-S P12PASS] [-X key=value]... CASE
 *   CERTDIR  what tests/security/tls/certs.sh makes (ca.pem ca.der ca2.der server.der
 *            client.pem client.der client.key client.key.der client.enc.key client.p12)
 *   -n/-T    messages to produce (default 5) and the bound of the flush (default 10000)
 *   -P/-S    the passwords of client.enc.key and client.p12 (certs.sh --passwords)
 *   -X       extra properties (after the case's own)
 * Every case but conf-dump sets bootstrap.servers=BOOTSTRAP and security.protocol=ssl.
 * CASEs:
 *   verify-accept        ssl.ca.location=ca2.pem (wrong CA) and a verify callback that
 *                        accepts everything (sets *x509_error to 0, returns 1): produce
 *   verify-observe       ssl.ca.location=ca.pem, a callback that returns 1 and leaves
 *                        *x509_error alone: produce
 *   verify-reject        ssl.ca.location=ca.pem (right CA) and a callback that rejects
 *                        (returns 0 with an errstr): produce, which must fail
 *   verify-reject-code   the same, the callback also setting *x509_error to 28
 *                        (X509_V_ERR_CERT_REJECTED)
 *   ca-pem | ca-der | ca-p12   the CA only through rd_kafka_conf_set_ssl_cert(CERT_CA)
 *                        (ca-p12: client.p12, which holds ca.pem; ssl.key.password set)
 *   client-pem | client-der | client-enc-pem | client-p12
 *                        (for a mutual TLS front) ssl.ca.location=ca.pem, the client's
 *                        certificate and key through set_ssl_cert(PUBLIC_KEY/PRIVATE_KEY)
 *                        (enc-pem, p12: ssl.key.password set before); produce
 *   p12-wrong-pass       set_ssl_cert(PKCS#12) with a wrong ssl.key.password
 *   p12-pass-after       set_ssl_cert(PKCS#12) before ssl.key.password is set, then after
 *   ca-conflict          ssl.ca.location (or ssl.ca.pem) and set_ssl_cert(CA), in both
 *                        orders: rd_kafka_new
 *   cert-invalid         set_ssl_cert with garbage, bad enums, a certificate as a key,
 *                        NULL (clears the CA: rd_kafka_new then succeeds)
 *   conf-dump            secrets in rd_kafka_conf_dump / rd_kafka_conf_get, before and
 *                        after rd_kafka_new (plaintext, no bootstrap: no broker traffic)
 *   log-secrets          (mutual TLS front) debug=security,broker,conf with a PKCS#12
 *                        keystore, ssl.key.password, sasl.username/password set:
 *                        produce, and look for the secrets in every log line
 * The verify callback's record, printed after the produce (genuine librdkafka passes the
 * broker's "host:port" as broker_name, and -1 as the id of a bootstrap broker):
 *   verify_cb called | verify_cb not called
 *   verify_cb names 127.0.0.1:<front port>, ids -1 or 1..3     every call was so
 *   verify_cb bad_name <name> id <id>  (up to 3 of) the calls that were not
 *   verify_cb depths <d,...>           distinct depths, ascending
 *   verify_cb depth <d> x509_error <e,...> der <server|ca|ca2|client|other first 0xNN>
 *                                      distinct *x509_error values on entry, and which
 *                                      of certs' DER files the buffer equals
 *   verify_cb rk ok | rk bad           rk non-NULL and named rdkafka#producer-*
 *   verify_cb opaque ok | opaque bad   the opaque set with rd_kafka_conf_set_opaque
 *   verify_cb errstr ok | errstr bad   errstr non-NULL, errstr_size >= 64
 * Exit status: 0 when the case ran to its end, whatever its outcome; 2 on usage
 * errors or a missing file. Everything is freed (valgrind-clean on genuine librdkafka).
 * Build: gcc -o tls_api tls_api.c -lrdkafka -lpthread */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <librdkafka/rdkafka.h>

#define MAX_PROPS 32
#define MAX_CODES 32
#define ERR_LINES_PER_NAME 6
#define MAX_DEPTH 8
#define MAX_ERRS 8
#define MAX_DERS 4

#include "common.h"

static const char *certdir, *bootstrap, *topic = "tls-api", *keypass = "", *p12pass = "";
static int count = 5, timeout_ms = 10000;
static const char *props[MAX_PROPS];
static int prop_cnt;

/* ---- small helpers ---- */


struct blob {
        char *data;
        size_t len;
};

/* Reads CERTDIR/name whole (exit 2 if it cannot). */
static struct blob load(const char *name) {
        char path[1024];
        struct blob b = {NULL, 0};
        FILE *f;
        long n;
        snprintf(path, sizeof(path), "%s/%s", certdir, name);
        f = fopen(path, "rb");
        if (!f || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
            fseek(f, 0, SEEK_SET) != 0) {
                printf("file_error %s\n", path);
                exit(2);
        }
        b.data = malloc((size_t)n + 1);
        b.len  = fread(b.data, 1, (size_t)n, f);
        b.data[b.len] = '\0';
        fclose(f);
        if (b.len != (size_t)n) {
                printf("file_error %s: short read\n", path);
                exit(2);
        }
        return b;
}

static void unload(struct blob *b) {
        free(b->data);
        b->data = NULL;
        b->len  = 0;
}

static const char *type_name(rd_kafka_cert_type_t t) {
        switch ((int)t) {
        case RD_KAFKA_CERT_PUBLIC_KEY:
                return "PUBLIC_KEY";
        case RD_KAFKA_CERT_PRIVATE_KEY:
                return "PRIVATE_KEY";
        case RD_KAFKA_CERT_CA:
                return "CA";
        default:
                return "TYPE?";
        }
}

static const char *enc_name(rd_kafka_cert_enc_t e) {
        switch ((int)e) {
        case RD_KAFKA_CERT_ENC_PKCS12:
                return "PKCS12";
        case RD_KAFKA_CERT_ENC_DER:
                return "DER";
        case RD_KAFKA_CERT_ENC_PEM:
                return "PEM";
        default:
                return "ENC?";
        }
}

/* rd_kafka_conf_set_ssl_cert with the outcome printed; returns the result code. */
static rd_kafka_conf_res_t set_cert(rd_kafka_conf_t *conf, rd_kafka_cert_type_t t,
                                    rd_kafka_cert_enc_t e, const void *buf, size_t len,
                                    const char *label) {
        char errstr[512] = "";
        rd_kafka_conf_res_t r =
            rd_kafka_conf_set_ssl_cert(conf, t, e, buf, len, errstr, sizeof(errstr));
        printf("set_ssl_cert %s %s%s%s: ", type_name(t), enc_name(e), label ? " " : "",
               label ? label : "");
        if (r == RD_KAFKA_CONF_OK)
                printf("ok\n");
        else
                printf("%s: %s\n", r == RD_KAFKA_CONF_INVALID ? "invalid" : "result", errstr);
        return r;
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

/* ---- error_cb, log_cb, delivery reports ---- */

struct err_seen {
        int code;
        int lines;
};
static struct err_seen seen[MAX_CODES];
static int seen_cnt, err_lines_dropped;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void error_cb(rd_kafka_t *rk, int err, const char *reason, void *opaque) {
        int i, show = 1;
        (void)rk;
        (void)opaque;
        for (i = 0; i < seen_cnt && seen[i].code != err; i++)
                ;
        if (i < seen_cnt)
                show = ++seen[i].lines <= ERR_LINES_PER_NAME;
        else if (seen_cnt < MAX_CODES)
                seen[seen_cnt++] = (struct err_seen){err, 1};
        if (!show) {
                err_lines_dropped++;
                return;
        }
        printf("error %s: %s\n", rd_kafka_err2name((rd_kafka_resp_err_t)err),
               reason ? reason : "(null)");
}

/* Secrets the log callback looks for (log-secrets). */
static const char *secrets[8];
static int secret_cnt, log_lines, secret_hits;
/* Log facilities whose first line is echoed to stdout (as "log_first LEVEL FAC: MSG"). */
static const char *const echo_facs[] = {"SSLCERTVRFY", "SSLPASSWD", NULL};
static int echoed[sizeof(echo_facs) / sizeof(echo_facs[0])];

/* debug=conf logs the configuration at rd_kafka_new, one "  key = value" per line:
 * the lines of these keys are kept (first one each) for log-secrets to print. */
static const char *const conf_log_keys[] = {"ssl.key.password", "ssl.keystore.password",
                                            "sasl.username", "sasl.password", NULL};
static char conf_log[4][256];

static void note_conf_log(const char *buf) {
        const char *p = strstr(buf, "]: ");
        int k;
        p = p ? p + 3 : buf;
        while (*p == ' ')
                p++;
        for (k = 0; conf_log_keys[k]; k++) {
                size_t n = strlen(conf_log_keys[k]);
                if (!strncmp(p, conf_log_keys[k], n) && p[n] == ' ' && !conf_log[k][0])
                        snprintf(conf_log[k], sizeof(conf_log[k]), "%s", p);
        }
}

static void log_cb(const rd_kafka_t *rk, int level, const char *fac, const char *buf) {
        int i;
        fprintf(stderr, "log %d %s %s: %s\n", level, fac ? fac : "-",
                rk ? rd_kafka_name(rk) : "-", buf ? buf : "");
        pthread_mutex_lock(&lock);
        log_lines++;
        for (i = 0; fac && echo_facs[i]; i++) {
                if (!strcmp(fac, echo_facs[i]) && !echoed[i]) {
                        echoed[i] = 1;
                        printf("log_first %d %s: %s\n", level, fac, buf ? buf : "");
                }
        }
        if (fac && !strcmp(fac, "CONF") && buf)
                note_conf_log(buf);
        for (i = 0; buf && i < secret_cnt; i++) {
                if (strstr(buf, secrets[i]) || (fac && strstr(fac, secrets[i]))) {
                        if (++secret_hits <= 3)
                                printf("secret_in_log %s: %.300s\n", fac ? fac : "-", buf);
                        break;
                }
        }
        pthread_mutex_unlock(&lock);
}



/* ---- the certificate verification callback ---- */

static struct blob der_server, der_ca, der_ca2, der_client;
static int opaque_token;

enum verify_mode { V_ACCEPT, V_REJECT, V_REJECT_CODE, V_OBSERVE };
static enum verify_mode vmode;

static struct {
        int calls, bad_names, rk_bad, opaque_bad, errstr_bad, ids[8], id_cnt;
        char bad_name[3][300];
        size_t errstr_size;
        int depth_seen[MAX_DEPTH];
        int errs[MAX_DEPTH][MAX_ERRS], err_cnt[MAX_DEPTH];
        char ders[MAX_DEPTH][MAX_DERS][48];
        int der_cnt[MAX_DEPTH];
        size_t der_size[MAX_DEPTH];
} vr;

/* The port of "ssl://127.0.0.1:PORT/..." is one of -b's. */
static int front_port(const char *port, size_t len) {
        const char *p = bootstrap;
        while (p && *p) {
                const char *colon = strchr(p, ':'), *end = strchr(p, ',');
                if (!end)
                        end = p + strlen(p);
                if (colon && colon < end && (size_t)(end - colon - 1) == len &&
                    !memcmp(colon + 1, port, len))
                        return 1;
                p = *end ? end + 1 : end;
        }
        return 0;
}

/* genuine librdkafka passes the broker's "host:port" (rkb_nodename) and its id: -1 for
 * a bootstrap broker, else the id learned from Metadata (1..3 on the mock cluster). */
static void note_name(const char *name, int32_t id) {
        static const char prefix[] = "127.0.0.1:";
        char bad[300];
        size_t plen;
        int i;
        for (i = 0; i < vr.id_cnt && vr.ids[i] != id; i++)
                ;
        if (i == vr.id_cnt && i < 8)
                vr.ids[vr.id_cnt++] = id;
        if (name && !strncmp(name, prefix, sizeof(prefix) - 1)) {
                const char *port = name + sizeof(prefix) - 1;
                plen = strlen(port);
                if (plen > 0 && strspn(port, "0123456789") == plen && front_port(port, plen) &&
                    (id == -1 || (id >= 1 && id <= 3)))
                        return;
        }
        /* Distinct ones only, with any "127.0.0.1:<port>" as "127.0.0.1:PORT" (the three
         * brokers would give three lines). */
        bad[0] = '\0';
        if (name) {
                const char *at = strstr(name, prefix);
                if (at) {
                        const char *after = at + sizeof(prefix) - 1;
                        after += strspn(after, "0123456789");
                        snprintf(bad, sizeof(bad), "%.*sPORT%s", (int)(at - name + sizeof(prefix) - 1),
                                 name, after);
                } else {
                        snprintf(bad, sizeof(bad), "%s", name);
                }
        } else {
                snprintf(bad, sizeof(bad), "(null)");
        }
        snprintf(bad + strlen(bad), sizeof(bad) - strlen(bad), " id %" PRId32, id);
        for (i = 0; i < vr.bad_names && i < 3; i++)
                if (!strcmp(vr.bad_name[i], bad))
                        return;
        if (vr.bad_names < 3)
                snprintf(vr.bad_name[vr.bad_names], sizeof(vr.bad_name[0]), "%s", bad);
        vr.bad_names++;
}

static const char *der_kind(const char *buf, size_t size, char *tmp, size_t tmpsize) {
        const struct blob *known[] = {&der_server, &der_ca, &der_ca2, &der_client};
        const char *names[]        = {"server", "ca", "ca2", "client"};
        size_t i;
        for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
                if (buf && known[i]->len == size && !memcmp(known[i]->data, buf, size))
                        return names[i];
        snprintf(tmp, tmpsize, "other first 0x%02x", buf && size ? (unsigned char)buf[0] : 0);
        return tmp;
}

static int verify_cb(rd_kafka_t *rk, const char *broker_name, int32_t broker_id,
                     int *x509_error, int depth, const char *buf, size_t size,
                     char *errstr, size_t errstr_size, void *opaque) {
        char tmp[48];
        const char *kind;
        int d = depth < 0 ? 0 : depth >= MAX_DEPTH ? MAX_DEPTH - 1 : depth, i, ret = 1;
        pthread_mutex_lock(&lock);
        vr.calls++;
        note_name(broker_name, broker_id);
        if (!rk || strncmp(rd_kafka_name(rk), "rdkafka#producer-", 17))
                vr.rk_bad++;
        if (opaque != &opaque_token)
                vr.opaque_bad++;
        if (!errstr || errstr_size < 64)
                vr.errstr_bad++;
        vr.errstr_size = errstr_size;
        vr.depth_seen[d] = 1;
        for (i = 0; i < vr.err_cnt[d] && vr.errs[d][i] != *x509_error; i++)
                ;
        if (i == vr.err_cnt[d] && i < MAX_ERRS)
                vr.errs[d][vr.err_cnt[d]++] = *x509_error;
        kind = der_kind(buf, size, tmp, sizeof(tmp));
        for (i = 0; i < vr.der_cnt[d] && strcmp(vr.ders[d][i], kind); i++)
                ;
        if (i == vr.der_cnt[d] && i < MAX_DERS)
                snprintf(vr.ders[d][vr.der_cnt[d]++], sizeof(vr.ders[0][0]), "%s", kind);
        vr.der_size[d] = size;
        switch (vmode) {
        case V_ACCEPT:
                *x509_error = 0;
                break;
        case V_OBSERVE:
                break;
        case V_REJECT_CODE:
                *x509_error = 28; /* X509_V_ERR_CERT_REJECTED */
                /* fall through */
        case V_REJECT:
                if (errstr && errstr_size)
                        snprintf(errstr, errstr_size, "rejected by tls_api at depth %d",
                                 depth);
                ret = 0;
                break;
        }
        pthread_mutex_unlock(&lock);
        return ret;
}

static int cmp_int(const void *a, const void *b) {
        return *(const int *)a - *(const int *)b;
}

static void print_verify_record(void) {
        int d, i, first = 1;
        pthread_mutex_lock(&lock);
        printf("info verify_cb calls %d errstr_size %zu\n", vr.calls, vr.errstr_size);
        if (!vr.calls) {
                printf("verify_cb not called\n");
                pthread_mutex_unlock(&lock);
                return;
        }
        printf("verify_cb called\n");
        qsort(vr.ids, (size_t)vr.id_cnt, sizeof(int), cmp_int);
        printf("info verify_cb ids");
        for (i = 0; i < vr.id_cnt; i++)
                printf(" %d", vr.ids[i]);
        printf("\n");
        if (!vr.bad_names)
                printf("verify_cb names 127.0.0.1:<front port>, ids -1 or 1..3\n");
        for (i = 0; i < vr.bad_names && i < 3; i++)
                printf("verify_cb bad_name %s\n", vr.bad_name[i]);
        printf("verify_cb depths ");
        for (d = 0; d < MAX_DEPTH; d++)
                if (vr.depth_seen[d]) {
                        printf("%s%d", first ? "" : ",", d);
                        first = 0;
                }
        printf("\n");
        for (d = 0; d < MAX_DEPTH; d++) {
                if (!vr.depth_seen[d])
                        continue;
                qsort(vr.errs[d], (size_t)vr.err_cnt[d], sizeof(int), cmp_int);
                printf("verify_cb depth %d x509_error ", d);
                for (i = 0; i < vr.err_cnt[d]; i++)
                        printf("%s%d", i ? "," : "", vr.errs[d][i]);
                printf(" der ");
                for (i = 0; i < vr.der_cnt[d]; i++)
                        printf("%s%s", i ? "," : "", vr.ders[d][i]);
                printf("\n");
                printf("info verify_cb depth %d der size %zu\n", d, vr.der_size[d]);
        }
        printf("verify_cb rk %s\n", vr.rk_bad ? "bad" : "ok");
        printf("verify_cb opaque %s\n", vr.opaque_bad ? "bad" : "ok");
        printf("verify_cb errstr %s\n", vr.errstr_bad ? "bad" : "ok");
        pthread_mutex_unlock(&lock);
}

/* ---- configuration and produce ---- */

/* A new configuration: callbacks, opaque, bootstrap, security.protocol=ssl, then the
 * case's (key, value, ..., NULL) and every -X. Exits with status 2 on a conf_error. */
static rd_kafka_conf_t *make_conf(const char *const *kv) {
        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        int i;
        rd_kafka_conf_set_error_cb(conf, error_cb);
        rd_kafka_conf_set_log_cb(conf, log_cb);
        rd_kafka_conf_set_dr_msg_cb(conf, dr_msg_cb);
        rd_kafka_conf_set_opaque(conf, &opaque_token);
        if ((bootstrap && set1(conf, "bootstrap.servers", bootstrap)) ||
            set1(conf, "security.protocol", "ssl"))
                goto fail;
        for (; kv && kv[0]; kv += 2)
                if (set1(conf, kv[0], kv[1]))
                        goto fail;
        for (i = 0; i < prop_cnt; i++) {
                const char *eq = strchr(props[i], '=');
                char key[256];
                snprintf(key, sizeof(key), "%.*s", (int)(eq - props[i]), props[i]);
                if (set1(conf, key, eq + 1))
                        goto fail;
        }
        return conf;
fail:
        rd_kafka_conf_destroy(conf);
        exit(2);
}

static char *path_of(const char *name) {
        static char bufs[4][1024];
        static int next;
        char *p = bufs[next++ % 4];
        snprintf(p, sizeof(bufs[0]), "%s/%s", certdir, name);
        return p;
}

/* rd_kafka_new + produce COUNT messages + bounded flush; consumes conf. Prints
 * new_error, or delivered/dr_error lines. Returns 0 if the producer was made. */
static int produce(rd_kafka_conf_t *conf) {
        char errstr[512];
        rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        int64_t deadline;
        int i;
        if (!rk) {
                printf("new_error producer: %s\n", errstr);
                rd_kafka_conf_destroy(conf);
                return -1;
        }
        deadline = now_ms() + timeout_ms;
        for (i = 0; i < count; i++) {
                char val[32];
                rd_kafka_resp_err_t err;
                snprintf(val, sizeof(val), "m%d", i);
                err = rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic),
                                        RD_KAFKA_V_VALUE(val, strlen(val)),
                                        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                                        RD_KAFKA_V_END);
                if (err) {
                        printf("produce_error %s\n", rd_kafka_err2name(err));
                        dr_failed++;
                }
        }
        while (dr_delivered + dr_failed < count && remaining_ms(deadline) > 0) {
                int slice = remaining_ms(deadline);
                rd_kafka_flush(rk, slice > 200 ? 200 : slice);
        }
        if (dr_delivered + dr_failed < count) {
                rd_kafka_purge(rk, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
                deadline = now_ms() + 3000;
                while (dr_delivered + dr_failed < count && remaining_ms(deadline) > 0)
                        rd_kafka_poll(rk, 100);
        }
        rd_kafka_poll(rk, 0);
        printf("delivered %d failed %d\n", dr_delivered, dr_failed);
        for (i = 0; i < dr_code_cnt; i++)
                printf("dr_error %s\n", rd_kafka_err2name(dr_codes[i]));
        rd_kafka_destroy(rk);
        return 0;
}

/* rd_kafka_new only (no broker traffic is waited for); consumes conf. */
static void new_only(rd_kafka_conf_t *conf) {
        char errstr[512];
        rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        if (!rk) {
                printf("new_error producer: %s\n", errstr);
                rd_kafka_conf_destroy(conf);
                return;
        }
        printf("new ok\n");
        rd_kafka_destroy(rk);
}

/* ---- cases ---- */

static void case_verify(enum verify_mode mode, const char *ca) {
        const char *kv[] = {"ssl.ca.location", path_of(ca), NULL};
        rd_kafka_conf_t *conf = make_conf(kv);
        rd_kafka_conf_res_t r;
        vmode = mode;
        der_server = load("server.der");
        der_ca     = load("ca.der");
        der_ca2    = load("ca2.der");
        der_client = load("client.der");
        r = rd_kafka_conf_set_ssl_cert_verify_cb(conf, verify_cb);
        printf("set_ssl_cert_verify_cb: %s\n", r == RD_KAFKA_CONF_OK ? "ok" : "not ok");
        produce(conf);
        print_verify_record();
        unload(&der_server);
        unload(&der_ca);
        unload(&der_ca2);
        unload(&der_client);
}

static void case_ca(rd_kafka_cert_enc_t enc) {
        const char *file = enc == RD_KAFKA_CERT_ENC_PEM   ? "ca.pem"
                           : enc == RD_KAFKA_CERT_ENC_DER ? "ca.der"
                                                          : "client.p12";
        const char *kv[] = {"ssl.key.password", p12pass, NULL};
        rd_kafka_conf_t *conf = make_conf(enc == RD_KAFKA_CERT_ENC_PKCS12 ? kv : NULL);
        struct blob b         = load(file);
        rd_kafka_conf_res_t r = set_cert(conf, RD_KAFKA_CERT_CA, enc, b.data, b.len, NULL);
        unload(&b);
        if (r != RD_KAFKA_CONF_OK) {
                rd_kafka_conf_destroy(conf);
                return;
        }
        produce(conf);
}

/* The client's certificate and key through set_ssl_cert (mutual TLS front). */
static void case_client(const char *cert, const char *key, rd_kafka_cert_enc_t enc,
                        const char *password) {
        const char *kv[] = {"ssl.ca.location", path_of("ca.pem"), "ssl.key.password",
                            password, NULL};
        rd_kafka_conf_t *conf;
        struct blob c, k;
        int bad = 0;
        if (!password)
                kv[2] = NULL;
        conf = make_conf(kv);
        c    = load(cert);
        k    = load(key);
        bad |= set_cert(conf, RD_KAFKA_CERT_PUBLIC_KEY, enc, c.data, c.len, NULL) !=
               RD_KAFKA_CONF_OK;
        bad |= set_cert(conf, RD_KAFKA_CERT_PRIVATE_KEY, enc, k.data, k.len, NULL) !=
               RD_KAFKA_CONF_OK;
        unload(&c);
        unload(&k);
        if (bad) {
                rd_kafka_conf_destroy(conf);
                return;
        }
        produce(conf);
}

static void case_p12_wrong_pass(void) {
        const char *kv[] = {"ssl.key.password", "not-the-password", NULL};
        rd_kafka_conf_t *conf = make_conf(kv);
        struct blob b         = load("client.p12");
        set_cert(conf, RD_KAFKA_CERT_PUBLIC_KEY, RD_KAFKA_CERT_ENC_PKCS12, b.data, b.len, NULL);
        set_cert(conf, RD_KAFKA_CERT_PRIVATE_KEY, RD_KAFKA_CERT_ENC_PKCS12, b.data, b.len,
                 NULL);
        unload(&b);
        rd_kafka_conf_destroy(conf);
}

/* "The private key may require a password, which must be specified with the
 * ssl.key.password configuration property prior to calling this function." */
static void case_p12_pass_after(void) {
        rd_kafka_conf_t *conf = make_conf(NULL);
        struct blob b         = load("client.p12");
        set_cert(conf, RD_KAFKA_CERT_PRIVATE_KEY, RD_KAFKA_CERT_ENC_PKCS12, b.data, b.len,
                 "before password");
        set1(conf, "ssl.key.password", p12pass);
        set_cert(conf, RD_KAFKA_CERT_PRIVATE_KEY, RD_KAFKA_CERT_ENC_PKCS12, b.data, b.len,
                 "after password");
        unload(&b);
        rd_kafka_conf_destroy(conf);
}

static void case_ca_conflict(void) {
        struct blob b = load("ca.pem");
        const char *kv[] = {"ssl.ca.location", path_of("ca.pem"), NULL};
        rd_kafka_conf_t *conf;

        printf("order: ssl.ca.location, then set_ssl_cert(CA)\n");
        conf = make_conf(kv);
        if (set_cert(conf, RD_KAFKA_CERT_CA, RD_KAFKA_CERT_ENC_PEM, b.data, b.len, NULL) ==
            RD_KAFKA_CONF_OK)
                new_only(conf);
        else
                rd_kafka_conf_destroy(conf);

        printf("order: set_ssl_cert(CA), then ssl.ca.location\n");
        conf = make_conf(NULL);
        if (set_cert(conf, RD_KAFKA_CERT_CA, RD_KAFKA_CERT_ENC_PEM, b.data, b.len, NULL) ==
                RD_KAFKA_CONF_OK &&
            !set1(conf, "ssl.ca.location", path_of("ca.pem")))
                new_only(conf);
        else
                rd_kafka_conf_destroy(conf);

        printf("order: ssl.ca.pem, then set_ssl_cert(CA)\n");
        kv[0] = "ssl.ca.pem";
        kv[1] = b.data;
        conf  = make_conf(kv);
        if (set_cert(conf, RD_KAFKA_CERT_CA, RD_KAFKA_CERT_ENC_PEM, b.data, b.len, NULL) ==
            RD_KAFKA_CONF_OK)
                new_only(conf);
        else
                rd_kafka_conf_destroy(conf);
        unload(&b);
}

static void case_cert_invalid(void) {
        static const char garbage[] = "this is not a certificate";
        rd_kafka_conf_t *conf = make_conf(NULL);
        struct blob ca        = load("ca.pem");
        set_cert(conf, RD_KAFKA_CERT_CA, RD_KAFKA_CERT_ENC_PEM, garbage, sizeof(garbage) - 1,
                 "garbage");
        set_cert(conf, RD_KAFKA_CERT_CA, RD_KAFKA_CERT_ENC_DER, garbage, sizeof(garbage) - 1,
                 "garbage");
        set_cert(conf, RD_KAFKA_CERT_PUBLIC_KEY, RD_KAFKA_CERT_ENC_PEM, garbage,
                 sizeof(garbage) - 1, "garbage");
        set_cert(conf, RD_KAFKA_CERT_PRIVATE_KEY, RD_KAFKA_CERT_ENC_PEM, garbage,
                 sizeof(garbage) - 1, "garbage");
        set_cert(conf, RD_KAFKA_CERT_PRIVATE_KEY, RD_KAFKA_CERT_ENC_DER, garbage,
                 sizeof(garbage) - 1, "garbage");
        set_cert(conf, RD_KAFKA_CERT_PUBLIC_KEY, RD_KAFKA_CERT_ENC_PKCS12, garbage,
                 sizeof(garbage) - 1, "garbage");
        set_cert(conf, RD_KAFKA_CERT__CNT, RD_KAFKA_CERT_ENC_PEM, ca.data, ca.len,
                 "type=__CNT");
        set_cert(conf, RD_KAFKA_CERT_CA, RD_KAFKA_CERT_ENC__CNT, ca.data, ca.len,
                 "enc=__CNT");
        /* A CA PEM given as a private key. */
        set_cert(conf, RD_KAFKA_CERT_PRIVATE_KEY, RD_KAFKA_CERT_ENC_PEM, ca.data, ca.len,
                 "a certificate");
        /* Set, then cleared with NULL: rd_kafka_new then has no CA conflict. */
        set_cert(conf, RD_KAFKA_CERT_CA, RD_KAFKA_CERT_ENC_PEM, ca.data, ca.len, NULL);
        set_cert(conf, RD_KAFKA_CERT_CA, RD_KAFKA_CERT_ENC_PEM, NULL, 0, "NULL");
        set1(conf, "ssl.ca.location", path_of("ca.pem"));
        unload(&ca);
        new_only(conf);
}

static const char *const dump_keys[] = {
    "ssl.key.password", "ssl.keystore.password", "sasl.password",
    "sasl.oauthbearer.client.secret", "ssl.key.pem", "sasl.username", NULL};

/* Prints v and a newline, with newlines in v as "\\n" (one line per fact). */
static void print_escaped(const char *v) {
        for (; *v; v++) {
                if (*v == '\n')
                        fputs("\\n", stdout);
                else
                        putchar(*v);
        }
        putchar('\n');
}

static void show_conf(const char *what, const rd_kafka_conf_t *cconf) {
        rd_kafka_conf_t *conf = (rd_kafka_conf_t *)cconf;
        size_t cnt, i;
        const char **d = rd_kafka_conf_dump(conf, &cnt);
        int k;
        for (k = 0; dump_keys[k]; k++) {
                const char *v = NULL;
                for (i = 0; i + 1 < cnt; i += 2)
                        if (!strcmp(d[i], dump_keys[k]))
                                v = d[i + 1];
                if (v) {
                        printf("dump %s %s=", what, dump_keys[k]);
                        print_escaped(v);
                }
                else
                        printf("dump %s %s absent\n", what, dump_keys[k]);
        }
        rd_kafka_conf_dump_free(d, cnt);
        for (k = 0; dump_keys[k]; k++) {
                char buf[512];
                size_t sz = sizeof(buf);
                rd_kafka_conf_res_t r = rd_kafka_conf_get(conf, dump_keys[k], buf, &sz);
                if (r == RD_KAFKA_CONF_OK) {
                        printf("get %s %s=", what, dump_keys[k]);
                        print_escaped(buf);
                }
                else
                        printf("get %s %s result %d\n", what, dump_keys[k], (int)r);
        }
}

static void case_conf_dump(void) {
        /* security.protocol plaintext and no bootstrap: no broker traffic at all. */
        const char *kv[] = {"security.protocol", "plaintext",
                            "ssl.key.password", "Kp-secret-7431",
                            "ssl.keystore.password", "Ks-secret-2286",
                            "sasl.password", "Sasl-secret-5519",
                            "ssl.key.pem", "-----BEGIN PRIVATE KEY-----\nPem-secret-6140\n"
                                           "-----END PRIVATE KEY-----\n",
                            "sasl.username", "tls-api-user",
                            NULL};
        rd_kafka_conf_t *conf;
        rd_kafka_t *rk;
        char errstr[512];
        const char *save = bootstrap;
        secrets[secret_cnt++] = "Kp-secret-7431";
        secrets[secret_cnt++] = "Ks-secret-2286";
        secrets[secret_cnt++] = "Sasl-secret-5519";
        secrets[secret_cnt++] = "Oidc-secret-8803";
        secrets[secret_cnt++] = "Pem-secret-6140";
        bootstrap = NULL;
        conf      = make_conf(kv);
        bootstrap = save;
        /* Not in builds without libcurl (Debian's 2.0.2): then absent from the dump. */
        if (rd_kafka_conf_set(conf, "sasl.oauthbearer.client.secret", "Oidc-secret-8803",
                              errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK)
                printf("info conf_error sasl.oauthbearer.client.secret: %s\n", errstr);
        show_conf("conf", conf);
        rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        if (!rk) {
                printf("new_error producer: %s\n", errstr);
                rd_kafka_conf_destroy(conf);
                return;
        }
        printf("new ok\n");
        show_conf("handle", rd_kafka_conf(rk));
        rd_kafka_destroy(rk);
}

static void case_log_secrets(void) {
        int i;
        const char *kv[] = {"ssl.ca.location", path_of("ca.pem"),
                            "ssl.keystore.location", path_of("client.p12"),
                            "ssl.keystore.password", p12pass,
                            "ssl.key.password", "Kp-secret-7431",
                            "sasl.username", "tls-api-user",
                            "sasl.password", "Sasl-secret-5519",
                            "debug", "security,broker,conf",
                            NULL};
        rd_kafka_conf_t *conf;
        secrets[secret_cnt++] = p12pass;
        secrets[secret_cnt++] = "Kp-secret-7431";
        secrets[secret_cnt++] = "Sasl-secret-5519";
        conf = make_conf(kv);
        produce(conf);
        pthread_mutex_lock(&lock);
        printf("info log lines %d\n", log_lines);
        printf("log_lines%s\n", log_lines > 0 ? ">0" : " 0");
        for (i = 0; conf_log_keys[i]; i++) {
                if (conf_log[i][0])
                        printf("log_conf %s\n", conf_log[i]);
                else
                        printf("log_conf %s not logged\n", conf_log_keys[i]);
        }
        if (!secret_hits)
                printf("no secret in the log lines\n");
        else
                printf("secret_in_log lines %d\n", secret_hits);
        pthread_mutex_unlock(&lock);
}

static void usage(void) {
        fprintf(stderr, "usage: tls_api -d CERTDIR [-b BOOTSTRAP] [-t TOPIC] [-n COUNT] "
                        "[-T MS] [-P KEYPASS] [-S P12PASS] [-X key=value]... CASE\n");
        exit(2);
}

int main(int argc, char **argv) {
        const char *c;
        int opt;
        setvbuf(stdout, NULL, _IOLBF, 0);
        while ((opt = getopt(argc, argv, "d:b:t:n:T:P:S:X:")) != -1) {
                switch (opt) {
                case 'd':
                        certdir = optarg;
                        break;
                case 'b':
                        bootstrap = optarg;
                        break;
                case 't':
                        topic = optarg;
                        break;
                case 'n':
                        count = atoi(optarg);
                        if (count < 0 || count > 100000)
                                usage();
                        break;
                case 'T':
                        timeout_ms = atoi(optarg);
                        if (timeout_ms <= 0)
                                usage();
                        break;
                case 'P':
                        keypass = optarg;
                        break;
                case 'S':
                        p12pass = optarg;
                        break;
                case 'X':
                        if (!strchr(optarg, '=') || optarg[0] == '=' || prop_cnt == MAX_PROPS)
                                usage();
                        props[prop_cnt++] = optarg;
                        break;
                default:
                        usage();
                }
        }
        if (optind != argc - 1 || !certdir)
                usage();
        c = argv[optind];
        printf("version %s\n", rd_kafka_version_str());
        if (!strcmp(c, "verify-accept"))
                case_verify(V_ACCEPT, "ca2.pem");
        else if (!strcmp(c, "verify-reject"))
                case_verify(V_REJECT, "ca.pem");
        else if (!strcmp(c, "verify-reject-code"))
                case_verify(V_REJECT_CODE, "ca.pem");
        else if (!strcmp(c, "verify-observe"))
                case_verify(V_OBSERVE, "ca.pem");
        else if (!strcmp(c, "ca-pem"))
                case_ca(RD_KAFKA_CERT_ENC_PEM);
        else if (!strcmp(c, "ca-der"))
                case_ca(RD_KAFKA_CERT_ENC_DER);
        else if (!strcmp(c, "ca-p12"))
                case_ca(RD_KAFKA_CERT_ENC_PKCS12);
        else if (!strcmp(c, "client-pem"))
                case_client("client.pem", "client.key", RD_KAFKA_CERT_ENC_PEM, NULL);
        else if (!strcmp(c, "client-der"))
                case_client("client.der", "client.key.der", RD_KAFKA_CERT_ENC_DER, NULL);
        else if (!strcmp(c, "client-enc-pem"))
                case_client("client.pem", "client.enc.key", RD_KAFKA_CERT_ENC_PEM, keypass);
        else if (!strcmp(c, "client-p12"))
                case_client("client.p12", "client.p12", RD_KAFKA_CERT_ENC_PKCS12, p12pass);
        else if (!strcmp(c, "p12-wrong-pass"))
                case_p12_wrong_pass();
        else if (!strcmp(c, "p12-pass-after"))
                case_p12_pass_after();
        else if (!strcmp(c, "ca-conflict"))
                case_ca_conflict();
        else if (!strcmp(c, "cert-invalid"))
                case_cert_invalid();
        else if (!strcmp(c, "conf-dump"))
                case_conf_dump();
        else if (!strcmp(c, "log-secrets"))
                case_log_secrets();
        else {
                printf("unknown case %s\n", c);
                return 2;
        }
        if (err_lines_dropped)
                printf("info error_lines_dropped %d\n", err_lines_dropped);
        if (rd_kafka_wait_destroyed(5000) != 0)
                printf("wait_destroyed timed out\n");
        return 0;
}
