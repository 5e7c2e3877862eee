/* The drop-in extras kcat and confluent-kafka-python import, run on genuine librdkafka
 * and on kafkars with the same expectations: the background queue and its event
 * callback, the log queue, the transactional API on a non-transactional client, and the
 * SASL/OAUTHBEARER entry points on a client without SASL.
 * Usage: compat_api <bootstrap> */
#include <librdkafka/rdkafka.h>
#include <pthread.h>
#include <fcntl.h>
#include <unistd.h>

#include "testutil.h"

static int bg_events, bg_logs;
static pthread_t main_thread;
static int bg_on_main_thread;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void background_cb(rd_kafka_t *rk, rd_kafka_event_t *rkev, void *opaque) {
        pthread_mutex_lock(&lock);
        bg_events++;
        if (rd_kafka_event_type(rkev) == RD_KAFKA_EVENT_LOG)
                bg_logs++;
        if (pthread_equal(pthread_self(), main_thread))
                bg_on_main_thread = 1;
        pthread_mutex_unlock(&lock);
        rd_kafka_event_destroy(rkev);
}

static int logs_served, logs_off_thread;
static void log_cb(const rd_kafka_t *rk, int level, const char *fac, const char *buf) {
        logs_served++;
        if (!pthread_equal(pthread_self(), main_thread))
                logs_off_thread++;
}

/* Every log line names its handle, also the lines logged while rd_kafka_new() and
 * rd_kafka_destroy() run on other threads (librdkafka names a handle before starting
 * its threads; so may a certificate check on a broker thread ask). */
static int named_logs, unnamed_logs;
static char unnamed_fac[32];
static void name_log_cb(const rd_kafka_t *rk, int level, const char *fac, const char *buf) {
        pthread_mutex_lock(&lock);
        if (!strncmp(rd_kafka_name(rk), "rdkafka#producer-", 17))
                named_logs++;
        else if (!unnamed_logs++)
                snprintf(unnamed_fac, sizeof(unnamed_fac), "%s", fac);
        pthread_mutex_unlock(&lock);
}

static int qev_calls;
static void queue_event_cb(rd_kafka_t *rk, void *qev_opaque) {
        pthread_mutex_lock(&lock);
        qev_calls++;
        pthread_mutex_unlock(&lock);
}

static void dr_count(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) {
        (*(int *)opaque)++;
}

static rd_kafka_t *client(rd_kafka_type_t type, const char *bootstrap, rd_kafka_conf_t *conf) {
        char errstr[256];
        rd_kafka_t *rk;
        if (!conf)
                conf = rd_kafka_conf_new();
        rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap, errstr, sizeof(errstr));
        if (type == RD_KAFKA_CONSUMER)
                rd_kafka_conf_set(conf, "group.id", "compat-api", errstr, sizeof(errstr));
        rk = rd_kafka_new(type, conf, errstr, sizeof(errstr));
        if (!rk)
                fprintf(stdout, "rd_kafka_new: %s\n", errstr);
        return rk;
}

static void expect_error(rd_kafka_error_t *error, rd_kafka_resp_err_t code, const char *text, const char *what) {
        CHECK(error != NULL, "%s returns an error", what);
        if (!error)
                return;
        CHECK(rd_kafka_error_code(error) == code, "%s: %s, want %s", what, rd_kafka_err2name(rd_kafka_error_code(error)), rd_kafka_err2name(code));
        CHECK(!strcmp(rd_kafka_error_string(error), text), "%s: \"%s\", want \"%s\"", what, rd_kafka_error_string(error), text);
        CHECK(!rd_kafka_error_is_fatal(error) && !rd_kafka_error_is_retriable(error) && !rd_kafka_error_txn_requires_abort(error), "%s: no flags", what);
        rd_kafka_error_destroy(error);
}

/* Reads a whole file into a malloc'd buffer. */
static char *slurp(const char *path, size_t *len) {
        FILE *f = fopen(path, "rb");
        if (!f)
                return NULL;
        char *buf = malloc(1 << 16);
        *len = fread(buf, 1, (1 << 16) - 1, f);
        buf[*len] = '\0';
        fclose(f);
        return buf;
}

int main(int argc, char **argv) {
        const char *bootstrap = argc > 1 ? argv[1] : "127.0.0.1:9";
        char errstr[256];
        rd_kafka_conf_t *conf;
        rd_kafka_t *rk;
        rd_kafka_queue_t *bgq, *mainq;
        int i;

        main_thread = pthread_self();

        SECTION("background queue served by background_event_cb");
        conf = rd_kafka_conf_new();
        rd_kafka_conf_set_background_event_cb(conf, background_cb);
        CHECK(rd_kafka_conf_set(conf, "log.queue", "true", errstr, sizeof(errstr)) == RD_KAFKA_CONF_OK, "log.queue: %s", errstr);
        CHECK(rd_kafka_conf_set(conf, "debug", "broker", errstr, sizeof(errstr)) == RD_KAFKA_CONF_OK, "debug: %s", errstr);
        rd_kafka_conf_set_log_cb(conf, log_cb);
        rk = client(RD_KAFKA_PRODUCER, bootstrap, conf);
        CHECK(rk != NULL, "producer with background_event_cb");
        if (rk) {
                bgq = rd_kafka_queue_get_background(rk);
                CHECK(bgq != NULL, "rd_kafka_queue_get_background");
                /* Logs (log.queue=true) forwarded to the background queue are not
                 * events for background_event_cb while a log_cb is set: the
                 * background thread serves them through log_cb. */
                CHECK(rd_kafka_set_log_queue(rk, bgq) == RD_KAFKA_RESP_ERR_NO_ERROR, "set_log_queue(background)");
                for (i = 0; i < 100 && logs_served == 0; i++)
                        usleep(50 * 1000);
                CHECK(logs_served > 0, "log_cb served from the background queue");
                CHECK(logs_off_thread == logs_served, "on the background thread (%d of %d)", logs_off_thread, logs_served);
                pthread_mutex_lock(&lock);
                CHECK(bg_logs == 0, "no LOG events for background_event_cb (%d)", bg_logs);
                pthread_mutex_unlock(&lock);
                if (bgq)
                        rd_kafka_queue_destroy(bgq);
                rd_kafka_destroy(rk);
        }

        SECTION("log_cb while the handle is made and destroyed: rd_kafka_name() answers");
        conf = rd_kafka_conf_new();
        rd_kafka_conf_set(conf, "debug", "all", errstr, sizeof(errstr));
        rd_kafka_conf_set_log_cb(conf, name_log_cb);
        rk = client(RD_KAFKA_PRODUCER, bootstrap, conf);
        CHECK(rk != NULL, "producer with debug=all");
        if (rk) {
                rd_kafka_poll(rk, 200);
                rd_kafka_destroy(rk);
        }
        pthread_mutex_lock(&lock);
        CHECK(named_logs > 0, "log lines name the handle (%d)", named_logs);
        CHECK(unnamed_logs == 0, "no log line without the handle's name (%d, first %s)", unnamed_logs, unnamed_fac);
        pthread_mutex_unlock(&lock);

        SECTION("log queue: logs served by rd_kafka_poll on the polling thread");
        logs_served = logs_off_thread = 0;
        conf = rd_kafka_conf_new();
        rd_kafka_conf_set(conf, "log.queue", "true", errstr, sizeof(errstr));
        rd_kafka_conf_set(conf, "debug", "broker", errstr, sizeof(errstr));
        rd_kafka_conf_set_log_cb(conf, log_cb);
        rk = client(RD_KAFKA_PRODUCER, bootstrap, conf);
        if (rk) {
                mainq = rd_kafka_queue_get_main(rk);
                CHECK(rd_kafka_set_log_queue(rk, mainq) == RD_KAFKA_RESP_ERR_NO_ERROR, "set_log_queue(main)");
                for (i = 0; i < 100 && logs_served == 0; i++)
                        rd_kafka_poll(rk, 50);
                CHECK(logs_served > 0, "log_cb served by rd_kafka_poll");
                CHECK(logs_off_thread == 0, "every log_cb on the polling thread (%d elsewhere)", logs_off_thread);
                rd_kafka_queue_destroy(mainq);
                rd_kafka_destroy(rk);
        }
        rk = client(RD_KAFKA_PRODUCER, bootstrap, NULL);
        if (rk) {
                CHECK(rd_kafka_set_log_queue(rk, NULL) == RD_KAFKA_RESP_ERR__NOT_CONFIGURED, "set_log_queue without log.queue: _NOT_CONFIGURED");
                rd_kafka_destroy(rk);
        }

        SECTION("transactional API without transactional.id");
        rk = client(RD_KAFKA_PRODUCER, bootstrap, NULL);
        if (rk) {
                const char *want = "The Transactional API requires transactional.id to be configured";
                expect_error(rd_kafka_init_transactions(rk, 1000), RD_KAFKA_RESP_ERR__NOT_CONFIGURED, want, "init_transactions");
                expect_error(rd_kafka_begin_transaction(rk), RD_KAFKA_RESP_ERR__NOT_CONFIGURED, want, "begin_transaction");
                expect_error(rd_kafka_commit_transaction(rk, 1000), RD_KAFKA_RESP_ERR__NOT_CONFIGURED, want, "commit_transaction");
                expect_error(rd_kafka_abort_transaction(rk, 1000), RD_KAFKA_RESP_ERR__NOT_CONFIGURED, want, "abort_transaction");
                rd_kafka_destroy(rk);
        }
        rk = client(RD_KAFKA_CONSUMER, bootstrap, NULL);
        if (rk) {
                expect_error(rd_kafka_init_transactions(rk, 1000), RD_KAFKA_RESP_ERR__INVALID_ARG, "The Transactional API can only be used on producer instances", "init_transactions on a consumer");
                rd_kafka_destroy(rk);
        }

        SECTION("SASL and OAUTHBEARER without SASL configured");
        rk = client(RD_KAFKA_PRODUCER, bootstrap, NULL);
        if (rk) {
                rd_kafka_queue_t *sq = rd_kafka_queue_get_sasl(rk);
                CHECK(sq == NULL, "no SASL queue without a callback mechanism");
                if (sq)
                        rd_kafka_queue_destroy(sq);
                expect_error(rd_kafka_sasl_background_callbacks_enable(rk), RD_KAFKA_RESP_ERR__NOT_CONFIGURED, "No SASL mechanism using callbacks is configured", "sasl_background_callbacks_enable");
                expect_error(rd_kafka_sasl_set_credentials(rk, NULL, "p"), RD_KAFKA_RESP_ERR__INVALID_ARG, "Username and password are required", "sasl_set_credentials(NULL user)");
                CHECK(rd_kafka_sasl_set_credentials(rk, "u", "p") == NULL, "sasl_set_credentials(u, p) succeeds");
                rd_kafka_destroy(rk);
        }

        SECTION("queue wake-ups: io_event_enable writes once per unserved period, cb_event_enable calls");
        {
                int fds[2], drs = 0, n;
                char buf[16];
                conf = rd_kafka_conf_new();
                rd_kafka_conf_set_dr_msg_cb(conf, dr_count);
                rd_kafka_conf_set_opaque(conf, &drs);
                rk = client(RD_KAFKA_PRODUCER, bootstrap, conf);
                CHECK(pipe(fds) == 0, "pipe");
                fcntl(fds[0], F_SETFL, O_NONBLOCK);
                fcntl(fds[1], F_SETFL, O_NONBLOCK);
                mainq = rd_kafka_queue_get_main(rk);
                rd_kafka_queue_io_event_enable(mainq, fds[1], "W", 1);
                /* Two delivery reports queued before anyone polls: one wake-up byte. */
                for (i = 0; i < 2; i++)
                        rd_kafka_producev(rk, RD_KAFKA_V_TOPIC("compat-wakeup"), RD_KAFKA_V_VALUE("v", 1), RD_KAFKA_V_END);
                for (i = 0; i < 200 && rd_kafka_outq_len(rk) > 0; i++)
                        usleep(50 * 1000);
                usleep(200 * 1000);
                n = (int)read(fds[0], buf, sizeof(buf));
                CHECK(n == 1 && buf[0] == 'W', "one wake-up for events added before serving (read %d)", n);
                CHECK(rd_kafka_poll(rk, 1000) > 0 && drs == 2, "the wake-up was for the delivery reports (%d)", drs);
                /* Served: the next event writes again. */
                rd_kafka_producev(rk, RD_KAFKA_V_TOPIC("compat-wakeup"), RD_KAFKA_V_VALUE("v", 1), RD_KAFKA_V_END);
                for (i = 0, n = -1; i < 200 && n <= 0; i++) {
                        usleep(50 * 1000);
                        n = (int)read(fds[0], buf, sizeof(buf));
                }
                CHECK(n == 1, "a new wake-up after the queue was served (read %d)", n);
                rd_kafka_poll(rk, 1000);
                rd_kafka_queue_io_event_enable(mainq, -1, NULL, 0);
                /* Callback variant. */
                rd_kafka_queue_cb_event_enable(mainq, queue_event_cb, NULL);
                rd_kafka_producev(rk, RD_KAFKA_V_TOPIC("compat-wakeup"), RD_KAFKA_V_VALUE("v", 1), RD_KAFKA_V_END);
                for (i = 0; i < 200; i++) {
                        pthread_mutex_lock(&lock);
                        n = qev_calls;
                        pthread_mutex_unlock(&lock);
                        if (n > 0)
                                break;
                        usleep(50 * 1000);
                }
                CHECK(n > 0, "cb_event_enable: the callback ran (%d)", n);
                rd_kafka_queue_cb_event_enable(mainq, NULL, NULL);
                rd_kafka_flush(rk, 5000);
                CHECK(drs == 4, "every delivery report served (%d)", drs);
                rd_kafka_queue_destroy(mainq);
                rd_kafka_destroy(rk);
                close(fds[0]);
                close(fds[1]);
        }

        SECTION("rd_kafka_conf_set_ssl_cert: certificates and keys from memory");
        {
                char dir[] = "/tmp/kafkars_sslcert_XXXXXX", cmd[1024], path[256];
                CHECK(mkdtemp(dir) != NULL, "mkdtemp");
                snprintf(cmd, sizeof(cmd),
                         "openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=kafkars-test -days 2 "
                         "-keyout %s/key.pem -out %s/cert.pem >/dev/null 2>&1 && "
                         "openssl x509 -in %s/cert.pem -outform DER -out %s/cert.der",
                         dir, dir, dir, dir);
                int made = system(cmd) == 0;
                CHECK(made, "openssl made a certificate and key");
                size_t clen = 0, klen = 0, dlen = 0;
                snprintf(path, sizeof(path), "%s/cert.pem", dir);
                char *cert = slurp(path, &clen);
                snprintf(path, sizeof(path), "%s/key.pem", dir);
                char *key = slurp(path, &klen);
                snprintf(path, sizeof(path), "%s/cert.der", dir);
                char *der = slurp(path, &dlen);
                conf = rd_kafka_conf_new();
                if (cert && key && der) {
                        CHECK(rd_kafka_conf_set_ssl_cert(conf, RD_KAFKA_CERT_PUBLIC_KEY, RD_KAFKA_CERT_ENC_PEM, cert, clen,
                                                         errstr, sizeof(errstr)) == RD_KAFKA_CONF_OK,
                              "PEM certificate: %s", errstr);
                        CHECK(rd_kafka_conf_set_ssl_cert(conf, RD_KAFKA_CERT_PRIVATE_KEY, RD_KAFKA_CERT_ENC_PEM, key, klen,
                                                         errstr, sizeof(errstr)) == RD_KAFKA_CONF_OK,
                              "PEM private key: %s", errstr);
                        CHECK(rd_kafka_conf_set_ssl_cert(conf, RD_KAFKA_CERT_CA, RD_KAFKA_CERT_ENC_PEM, cert, clen, errstr,
                                                         sizeof(errstr)) == RD_KAFKA_CONF_OK,
                              "PEM CA: %s", errstr);
                        CHECK(rd_kafka_conf_set_ssl_cert(conf, RD_KAFKA_CERT_PUBLIC_KEY, RD_KAFKA_CERT_ENC_DER, der, dlen,
                                                         errstr, sizeof(errstr)) == RD_KAFKA_CONF_OK,
                              "DER certificate: %s", errstr);
                }
                errstr[0] = '\0';
                CHECK(rd_kafka_conf_set_ssl_cert(conf, RD_KAFKA_CERT_PUBLIC_KEY, RD_KAFKA_CERT_ENC_PEM, "not a certificate",
                                                 17, errstr, sizeof(errstr)) == RD_KAFKA_CONF_INVALID &&
                              strstr(errstr, "Failed to read PEM public-key (encoding PEM)") == errstr,
                      "garbage PEM refused as librdkafka words it: %s", errstr);
                CHECK(rd_kafka_conf_set_ssl_cert(conf, (rd_kafka_cert_type_t)7, RD_KAFKA_CERT_ENC_PEM, "x", 1, errstr,
                                                 sizeof(errstr)) == RD_KAFKA_CONF_INVALID &&
                              !strcmp(errstr, "Invalid certificate type 7"),
                      "bad type: %s", errstr);
                CHECK(rd_kafka_conf_set_ssl_cert(conf, RD_KAFKA_CERT_CA, (rd_kafka_cert_enc_t)9, "x", 1, errstr,
                                                 sizeof(errstr)) == RD_KAFKA_CONF_INVALID &&
                              !strcmp(errstr, "Invalid certificate encoding 9"),
                      "bad encoding: %s", errstr);
                CHECK(rd_kafka_conf_set_ssl_cert(conf, RD_KAFKA_CERT_CA, RD_KAFKA_CERT_ENC_PEM, NULL, 0, errstr,
                                                 sizeof(errstr)) == RD_KAFKA_CONF_OK,
                      "NULL clears: %s", errstr);
                rd_kafka_conf_destroy(conf);
                free(cert);
                free(key);
                free(der);
                snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
                CHECK(system(cmd) == 0, "clean up %s", dir);
        }

        SECTION("debug contexts");
        {
                const char *ctx = rd_kafka_get_debug_contexts();
                char tok[64];
                const char *p = ctx;
                int bad = 0, cnt = 0;
                conf = rd_kafka_conf_new();
                while (p && *p) {
                        size_t len = strcspn(p, ",");
                        snprintf(tok, sizeof(tok), "%.*s", (int)len, p);
                        if (rd_kafka_conf_set(conf, "debug", tok, errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK)
                                bad++;
                        cnt++;
                        p += len + (p[len] == ',');
                }
                CHECK(cnt >= 19 && bad == 0, "every listed context is accepted by debug (%d listed, %d refused)", cnt, bad);
                CHECK(!strncmp(ctx, "all,generic,broker,", 19), "list starts as librdkafka's: %s", ctx);
                rd_kafka_conf_destroy(conf);
        }

        TEST_DONE();
}
