/* Abuse of the C API: NULL and wrong-type handles, zero and absurd lengths, destroying
 * a producer with messages still queued and in flight. Every call must answer an
 * error (or do nothing), never crash; run under valgrind, nothing may leak or be read
 * out of bounds. kafkars only: genuine librdkafka asserts or crashes on much of this.
 * Usage: abuse_api <bootstrap> */
#include <librdkafka/rdkafka.h>
#include <stdint.h>
#include <unistd.h>

#include "testutil.h"

int main(int argc, char **argv) {
        const char *bootstrap = argc > 1 ? argv[1] : "127.0.0.1:9";
        char errstr[256];
        char small[8] = "payload";
        rd_kafka_conf_t *conf;
        rd_kafka_topic_conf_t *tconf;
        rd_kafka_t *rk;
        rd_kafka_topic_t *rkt;
        rd_kafka_queue_t *q;
        int i;

        SECTION("NULL everywhere");
        CHECK(rd_kafka_poll(NULL, 0) == 0, "poll(NULL)");
        CHECK(rd_kafka_flush(NULL, 0) != RD_KAFKA_RESP_ERR_NO_ERROR, "flush(NULL) fails");
        CHECK(rd_kafka_outq_len(NULL) == 0, "outq_len(NULL)");
        CHECK(rd_kafka_topic_new(NULL, "t", NULL) == NULL, "topic_new(NULL rk)");
        CHECK(rd_kafka_produce(NULL, 0, RD_KAFKA_MSG_F_COPY, small, 7, NULL, 0, NULL) == -1, "produce(NULL rkt)");
        CHECK(rd_kafka_conf_set(NULL, "acks", "1", errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK, "conf_set(NULL)");
        CHECK(rd_kafka_topic_conf_set(NULL, "acks", "1", errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK, "topic_conf_set(NULL)");
        CHECK(rd_kafka_consumer_poll(NULL, 0) == NULL, "consumer_poll(NULL)");
        CHECK(rd_kafka_queue_poll(NULL, 0) == NULL, "queue_poll(NULL)");
        CHECK(rd_kafka_subscribe(NULL, NULL) != RD_KAFKA_RESP_ERR_NO_ERROR, "subscribe(NULL, NULL)");
        CHECK(rd_kafka_metadata(NULL, 1, NULL, NULL, 0) != RD_KAFKA_RESP_ERR_NO_ERROR, "metadata(NULL)");
        CHECK(rd_kafka_topic_partition_list_add(NULL, "t", 0) == NULL, "list_add(NULL)");
        CHECK(rd_kafka_err2str(-123456) != NULL && rd_kafka_err2name(987654) != NULL, "err2str/err2name of unknown codes");
        rd_kafka_destroy(NULL);
        rd_kafka_conf_destroy(NULL);
        rd_kafka_topic_conf_destroy(NULL);
        rd_kafka_topic_destroy(NULL);
        rd_kafka_queue_destroy(NULL);
        rd_kafka_message_destroy(NULL);
        rd_kafka_event_destroy(NULL);
        rd_kafka_headers_destroy(NULL);
        rd_kafka_topic_partition_list_destroy(NULL);
        CHECK(1, "destroy(NULL) of every object type is a no-op");

        SECTION("wrong handle types");
        conf = rd_kafka_conf_new();
        tconf = rd_kafka_topic_conf_new();
        CHECK(rd_kafka_conf_set((rd_kafka_conf_t *)tconf, "acks", "1", errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK, "conf_set on a topic conf");
        CHECK(rd_kafka_topic_conf_set((rd_kafka_topic_conf_t *)conf, "acks", "1", errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK, "topic_conf_set on a conf");
        errstr[0] = '\0';
        rk = rd_kafka_new(RD_KAFKA_PRODUCER, (rd_kafka_conf_t *)tconf, errstr, sizeof(errstr));
        CHECK(rk == NULL && errstr[0], "rd_kafka_new with a topic conf: \"%s\"", errstr);
        rd_kafka_conf_destroy((rd_kafka_conf_t *)tconf); /* wrong type: ignored, not freed */
        rd_kafka_topic_conf_destroy(tconf);
        rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap, errstr, sizeof(errstr));
        rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        CHECK(rk != NULL, "producer: %s", errstr);
        if (!rk)
                TEST_DONE();
        rkt = rd_kafka_topic_new(rk, "abuse", NULL);
        q = rd_kafka_queue_get_main(rk);
        CHECK(rd_kafka_poll((rd_kafka_t *)rkt, 0) == 0, "poll on a topic");
        CHECK(rd_kafka_outq_len((rd_kafka_t *)q) == 0, "outq_len on a queue");
        CHECK(rd_kafka_topic_new((rd_kafka_t *)rkt, "x", NULL) == NULL, "topic_new on a topic");
        CHECK(rd_kafka_topic_name((rd_kafka_topic_t *)rk) && !*rd_kafka_topic_name((rd_kafka_topic_t *)rk), "topic_name on a client: \"\"");
        CHECK(rd_kafka_produce((rd_kafka_topic_t *)rk, 0, RD_KAFKA_MSG_F_COPY, small, 7, NULL, 0, NULL) == -1, "produce on a client");
        CHECK(rd_kafka_queue_poll((rd_kafka_queue_t *)rk, 0) == NULL, "queue_poll on a client");
        CHECK(rd_kafka_queue_length((rd_kafka_queue_t *)rkt) == 0, "queue_length on a topic");
        rd_kafka_queue_destroy((rd_kafka_queue_t *)rkt); /* wrong type: ignored */
        rd_kafka_topic_destroy((rd_kafka_topic_t *)q);   /* wrong type: ignored */
        rd_kafka_destroy((rd_kafka_t *)rkt);              /* wrong type: ignored */
        CHECK(rd_kafka_topic_name(rkt) && !strcmp(rd_kafka_topic_name(rkt), "abuse"), "the topic survived the wrong-type destroys");

        SECTION("zero and absurd lengths");
        CHECK(rd_kafka_produce(rkt, 0, RD_KAFKA_MSG_F_COPY, NULL, 0, NULL, 0, NULL) == 0, "NULL payload, zero length: a tombstone is fine");
        CHECK(rd_kafka_produce(rkt, 0, RD_KAFKA_MSG_F_COPY, small, 0, small, 0, NULL) == 0, "zero-length payload and key");
        CHECK(rd_kafka_produce(rkt, 0, RD_KAFKA_MSG_F_COPY, small, SIZE_MAX, NULL, 0, NULL) == -1 && rd_kafka_last_error() == RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE,
              "SIZE_MAX payload: MSG_SIZE_TOO_LARGE before reading (%s)", rd_kafka_err2name(rd_kafka_last_error()));
        CHECK(rd_kafka_produce(rkt, 0, RD_KAFKA_MSG_F_COPY, small, 7, small, (size_t)1 << 40, NULL) == -1 && rd_kafka_last_error() == RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE,
              "absurd key length: MSG_SIZE_TOO_LARGE (%s)", rd_kafka_err2name(rd_kafka_last_error()));
        CHECK(rd_kafka_produce(rkt, -5, RD_KAFKA_MSG_F_COPY, small, 7, NULL, 0, NULL) == -1, "partition -5 refused");
        {
                rd_kafka_resp_err_t e = rd_kafka_producev(rk, RD_KAFKA_V_TOPIC("abuse"), RD_KAFKA_V_VALUE(small, SIZE_MAX / 2), RD_KAFKA_V_END);
                CHECK(e == RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE, "producev with an absurd length: %s", rd_kafka_err2name(e));
        }
        {
                rd_kafka_headers_t *h = rd_kafka_headers_new(1);
                CHECK(rd_kafka_header_add(h, "n", -1, small, (ssize_t)1 << 40) != RD_KAFKA_RESP_ERR_NO_ERROR, "header with an absurd size refused");
                CHECK(rd_kafka_header_add(h, "n", -7, small, 1) != RD_KAFKA_RESP_ERR_NO_ERROR, "negative name size refused");
                CHECK(rd_kafka_header_add(h, "n", -1, NULL, 0) == RD_KAFKA_RESP_ERR_NO_ERROR, "NULL value is a null header");
                CHECK(rd_kafka_header_cnt(h) == 1, "one header kept");
                rd_kafka_headers_destroy(h);
        }
        {
                rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(-5);
                CHECK(l != NULL, "list_new(-5) gives an empty list");
                CHECK(rd_kafka_topic_partition_list_del_by_idx(l, 99) == 0, "del_by_idx out of range");
                rd_kafka_topic_partition_list_destroy(l);
        }

        SECTION("destroy with messages queued and in flight");
        for (i = 0; i < 20000; i++)
                rd_kafka_produce(rkt, RD_KAFKA_PARTITION_UA, RD_KAFKA_MSG_F_COPY, small, 7, NULL, 0, NULL);
        usleep(20 * 1000); /* some are in flight by now */
        CHECK(rd_kafka_outq_len(rk) > 0, "messages outstanding at destroy (%d)", rd_kafka_outq_len(rk));
        rd_kafka_queue_destroy(q);
        rd_kafka_topic_destroy(rkt);
        rd_kafka_destroy(rk);
        CHECK(1, "destroyed with messages outstanding");

        TEST_DONE();
}
