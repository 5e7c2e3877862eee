/* The transactional producer API, run unchanged on genuine librdkafka and on kafkars
 * against the mock cluster: state errors (codes, texts, flags), producing outside a
 * transaction, commit, abort with messages delivered and with messages still queued,
 * an empty transaction, send_offsets_to_transaction, and a second instance with the
 * same transactional.id. Every answer is checked against what librdkafka documents;
 * run.sh runs it on both libraries, kafkars under valgrind. */
#include <librdkafka/rdkafka.h>
#include "testutil.h"

static int dr_ok, dr_purged, dr_other;

static void dr_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) {
        if (!m->err)
                dr_ok++;
        else if (m->err == RD_KAFKA_RESP_ERR__PURGE_QUEUE)
                dr_purged++;
        else
                dr_other++;
}

static rd_kafka_t *txn_producer(const char *bootstrap, const char *tid) {
        char errstr[256];
        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap, errstr, sizeof(errstr));
        rd_kafka_conf_set(conf, "transactional.id", tid, errstr, sizeof(errstr));
        rd_kafka_conf_set(conf, "linger.ms", "50", errstr, sizeof(errstr));
        rd_kafka_conf_set_dr_msg_cb(conf, dr_cb);
        rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        CHECK(rk != NULL, "rd_kafka_new: %s", errstr);
        return rk;
}

/* Checks an error object (and frees it): code, text (NULL: any), and the three flags. */
static void expect(rd_kafka_error_t *e, rd_kafka_resp_err_t code, const char *text, int retriable, int abortable, int fatal, const char *what) {
        if (code == RD_KAFKA_RESP_ERR_NO_ERROR) {
                CHECK(e == NULL, "%s: expected success, got %s: %s", what, e ? rd_kafka_error_name(e) : "", e ? rd_kafka_error_string(e) : "");
        } else {
                CHECK(e != NULL && rd_kafka_error_code(e) == code, "%s: expected %s, got %s (%s)", what, rd_kafka_err2name(code), e ? rd_kafka_error_name(e) : "success", e ? rd_kafka_error_string(e) : "");
                if (e && text)
                        CHECK(!strcmp(rd_kafka_error_string(e), text), "%s: text \"%s\", want \"%s\"", what, rd_kafka_error_string(e), text);
                if (e) {
                        CHECK(rd_kafka_error_is_retriable(e) == retriable, "%s: retriable %d", what, rd_kafka_error_is_retriable(e));
                        CHECK(rd_kafka_error_txn_requires_abort(e) == abortable, "%s: txn_requires_abort %d", what, rd_kafka_error_txn_requires_abort(e));
                        CHECK(rd_kafka_error_is_fatal(e) == fatal, "%s: fatal %d", what, rd_kafka_error_is_fatal(e));
                }
        }
        if (e)
                rd_kafka_error_destroy(e);
}

static void produce_n(rd_kafka_t *rk, int n, const char *prefix) {
        char buf[64];
        int i;
        for (i = 0; i < n; i++) {
                snprintf(buf, sizeof(buf), "%s-%d", prefix, i);
                rd_kafka_resp_err_t err = rd_kafka_producev(rk, RD_KAFKA_V_TOPIC("orders"), RD_KAFKA_V_VALUE(buf, strlen(buf)), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
                CHECK(err == RD_KAFKA_RESP_ERR_NO_ERROR, "produce %s: %s", buf, rd_kafka_err2name(err));
        }
}

int main(int argc, char **argv) {
        const char *bootstrap = argc > 1 ? argv[1] : "127.0.0.1:9";
        rd_kafka_t *rk, *rk2;
        rd_kafka_resp_err_t err;

        rk = txn_producer(bootstrap, "c-txn");
        if (!rk)
                TEST_DONE();

        SECTION("before init_transactions");
        expect(rd_kafka_begin_transaction(rk), RD_KAFKA_RESP_ERR__STATE, "Operation not valid in state Init", 0, 0, 0, "begin before init");
        expect(rd_kafka_commit_transaction(rk, 1000), RD_KAFKA_RESP_ERR__STATE, "Operation not valid in state Init", 0, 0, 0, "commit before init");
        err = rd_kafka_producev(rk, RD_KAFKA_V_TOPIC("orders"), RD_KAFKA_V_VALUE("x", 1), RD_KAFKA_V_END);
        CHECK(err == RD_KAFKA_RESP_ERR__STATE, "produce before init: %s", rd_kafka_err2name(err));

        SECTION("init_transactions");
        expect(rd_kafka_init_transactions(rk, 30000), RD_KAFKA_RESP_ERR_NO_ERROR, NULL, 0, 0, 0, "init_transactions");
        expect(rd_kafka_init_transactions(rk, 30000), RD_KAFKA_RESP_ERR__STATE, "Operation not valid in state Ready", 0, 0, 0, "init twice");
        err = rd_kafka_producev(rk, RD_KAFKA_V_TOPIC("orders"), RD_KAFKA_V_VALUE("x", 1), RD_KAFKA_V_END);
        CHECK(err == RD_KAFKA_RESP_ERR__STATE, "produce outside a transaction: %s", rd_kafka_err2name(err));
        expect(rd_kafka_abort_transaction(rk, 1000), RD_KAFKA_RESP_ERR__STATE, "Operation not valid in state Ready", 0, 0, 0, "abort when Ready");

        SECTION("commit");
        expect(rd_kafka_begin_transaction(rk), RD_KAFKA_RESP_ERR_NO_ERROR, NULL, 0, 0, 0, "begin");
        expect(rd_kafka_begin_transaction(rk), RD_KAFKA_RESP_ERR__STATE, "Operation not valid in state InTransaction", 0, 0, 0, "begin twice");
        produce_n(rk, 100, "c1");
        expect(rd_kafka_commit_transaction(rk, 30000), RD_KAFKA_RESP_ERR_NO_ERROR, NULL, 0, 0, 0, "commit");
        CHECK(dr_ok == 100 && dr_purged == 0 && dr_other == 0, "commit: delivery reports served: ok %d purged %d other %d", dr_ok, dr_purged, dr_other);

        SECTION("abort after delivery, abort with messages queued");
        expect(rd_kafka_begin_transaction(rk), RD_KAFKA_RESP_ERR_NO_ERROR, NULL, 0, 0, 0, "begin 2");
        produce_n(rk, 50, "a2");
        CHECK(rd_kafka_flush(rk, 10000) == RD_KAFKA_RESP_ERR_NO_ERROR, "flush");
        expect(rd_kafka_abort_transaction(rk, 30000), RD_KAFKA_RESP_ERR_NO_ERROR, NULL, 0, 0, 0, "abort 2");
        CHECK(dr_ok == 150, "delivered before the abort: %d", dr_ok);
        expect(rd_kafka_begin_transaction(rk), RD_KAFKA_RESP_ERR_NO_ERROR, NULL, 0, 0, 0, "begin 3");
        produce_n(rk, 1000, "a3");
        expect(rd_kafka_abort_transaction(rk, 30000), RD_KAFKA_RESP_ERR_NO_ERROR, NULL, 0, 0, 0, "abort 3");
        CHECK(dr_ok + dr_purged == 1150 && dr_other == 0, "one delivery report each: ok %d purged %d other %d", dr_ok, dr_purged, dr_other);
        CHECK(dr_purged > 0, "queued messages purged by the abort: %d", dr_purged);

        SECTION("empty transaction, send_offsets_to_transaction");
        expect(rd_kafka_begin_transaction(rk), RD_KAFKA_RESP_ERR_NO_ERROR, NULL, 0, 0, 0, "begin 4");
        expect(rd_kafka_commit_transaction(rk, 30000), RD_KAFKA_RESP_ERR_NO_ERROR, NULL, 0, 0, 0, "empty commit");
        {
                rd_kafka_consumer_group_metadata_t *cgmd = rd_kafka_consumer_group_metadata_new("c-txn-group");
                rd_kafka_topic_partition_list_t *offsets = rd_kafka_topic_partition_list_new(2);
                /* With no valid offset there is nothing to do, even outside a transaction. */
                rd_kafka_topic_partition_list_add(offsets, "orders", 0)->offset = RD_KAFKA_OFFSET_INVALID;
                expect(rd_kafka_send_offsets_to_transaction(rk, offsets, cgmd, 5000), RD_KAFKA_RESP_ERR_NO_ERROR, NULL, 0, 0, 0, "send_offsets with no valid offset");
                rd_kafka_topic_partition_list_add(offsets, "orders", 1)->offset = 3;
                expect(rd_kafka_send_offsets_to_transaction(rk, offsets, cgmd, 5000), RD_KAFKA_RESP_ERR__STATE, "Operation not valid in state Ready", 0, 0, 0, "send_offsets outside a transaction");
                expect(rd_kafka_send_offsets_to_transaction(rk, NULL, cgmd, 5000), RD_KAFKA_RESP_ERR__INVALID_ARG, "cgmetadata and offsets are required parameters", 0, 0, 0, "send_offsets(NULL)");
                expect(rd_kafka_begin_transaction(rk), RD_KAFKA_RESP_ERR_NO_ERROR, NULL, 0, 0, 0, "begin 5");
                produce_n(rk, 10, "c5");
                expect(rd_kafka_send_offsets_to_transaction(rk, offsets, cgmd, 30000), RD_KAFKA_RESP_ERR_NO_ERROR, NULL, 0, 0, 0, "send_offsets");
                expect(rd_kafka_commit_transaction(rk, 30000), RD_KAFKA_RESP_ERR_NO_ERROR, NULL, 0, 0, 0, "commit 5");
                rd_kafka_topic_partition_list_destroy(offsets);
                rd_kafka_consumer_group_metadata_destroy(cgmd);
        }

        SECTION("a second instance with the same transactional.id");
        rk2 = txn_producer(bootstrap, "c-txn");
        if (rk2) {
                expect(rd_kafka_init_transactions(rk2, 30000), RD_KAFKA_RESP_ERR_NO_ERROR, NULL, 0, 0, 0, "init of the second instance");
                expect(rd_kafka_begin_transaction(rk2), RD_KAFKA_RESP_ERR_NO_ERROR, NULL, 0, 0, 0, "second instance begins");
                produce_n(rk2, 10, "c6");
                expect(rd_kafka_commit_transaction(rk2, 30000), RD_KAFKA_RESP_ERR_NO_ERROR, NULL, 0, 0, 0, "second instance commits");
                rd_kafka_destroy(rk2);
        }

        SECTION("destroy inside a transaction");
        expect(rd_kafka_begin_transaction(rk), RD_KAFKA_RESP_ERR_NO_ERROR, NULL, 0, 0, 0, "begin 6");
        produce_n(rk, 100, "d6");
        rd_kafka_destroy(rk);
        CHECK(1, "destroyed with a transaction open");
        TEST_DONE();
}
