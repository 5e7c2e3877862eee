/* High-level (group) consumer: subscribes to topics, handles rebalances for both the
 * EAGER (range, roundrobin) and COOPERATIVE (cooperative-sticky) protocols, commits
 * offsets asynchronously every N messages and synchronously at the end.
 * Written against librdkafka's rdkafka.h: builds and runs unchanged on librdkafka
 * and on kafkars (link -lkafkars, or run through the librdkafka.so.1 compat link).
 *
 *   group_consumer [options] <bootstrap> <group> <topic>... [-- key=value config...]
 *     --count N         stop after N messages (default: no limit)
 *     --timeout S       stop after S seconds (default: no limit)
 *     --idle S          stop after S seconds without a message once something was assigned
 *     --commit-every N  commit asynchronously every N messages (default 1000; 0: never)
 *     --quiet           do not print each message
 *
 * Stops on SIGINT/SIGTERM too; always ends with rd_kafka_consumer_close and prints
 * "consumed N messages". Exit 0 unless a fatal error, a failed final commit or a failed
 * close happened.
 */
#include <ctype.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <librdkafka/rdkafka.h>

static volatile sig_atomic_t run = 1;
static int assigned_cnt; /* partitions currently assigned */

static void stop(int sig) {
        (void)sig;
        run = 0;
}

static double now_s(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void print_partitions(const char *what, const rd_kafka_topic_partition_list_t *parts) {
        printf("%s (%d):", what, parts ? parts->cnt : 0);
        for (int i = 0; parts && i < parts->cnt; i++)
                printf(" %s[%" PRId32 "]", parts->elems[i].topic, parts->elems[i].partition);
        printf("\n");
        fflush(stdout);
}

static void rebalance_cb(rd_kafka_t *rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t *parts,
                         void *opaque) {
        (void)opaque;
        const char *proto = rd_kafka_rebalance_protocol(rk);
        int cooperative = proto && !strcmp(proto, "COOPERATIVE");
        rd_kafka_error_t *error = NULL;
        rd_kafka_resp_err_t ret = RD_KAFKA_RESP_ERR_NO_ERROR;

        switch (err) {
        case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
                printf("rebalance (%s): ", proto ? proto : "?");
                print_partitions("assigned", parts);
                if (cooperative)
                        error = rd_kafka_incremental_assign(rk, parts);
                else
                        ret = rd_kafka_assign(rk, parts);
                if (!error && !ret)
                        assigned_cnt = cooperative ? assigned_cnt + parts->cnt : parts->cnt;
                break;
        case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
                printf("rebalance (%s)%s: ", proto ? proto : "?", rd_kafka_assignment_lost(rk) ? " lost" : "");
                print_partitions("revoked", parts);
                if (cooperative)
                        error = rd_kafka_incremental_unassign(rk, parts);
                else
                        ret = rd_kafka_assign(rk, NULL);
                if (!error && !ret)
                        assigned_cnt = cooperative ? assigned_cnt - parts->cnt : 0;
                break;
        default:
                fprintf(stderr, "rebalance failed: %s\n", rd_kafka_err2str(err));
                rd_kafka_assign(rk, NULL);
                assigned_cnt = 0;
                break;
        }
        if (error) {
                fprintf(stderr, "incremental (un)assign failed: %s\n", rd_kafka_error_string(error));
                rd_kafka_error_destroy(error);
        } else if (ret) {
                fprintf(stderr, "assign failed: %s\n", rd_kafka_err2str(ret));
        }
}

static void offset_commit_cb(rd_kafka_t *rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t *offsets,
                             void *opaque) {
        (void)rk; (void)opaque;
        /* _NO_OFFSET: nothing new to commit, not a failure. */
        if (err && err != RD_KAFKA_RESP_ERR__NO_OFFSET)
                fprintf(stderr, "commit failed: %s\n", rd_kafka_err2str(err));
        for (int i = 0; offsets && i < offsets->cnt; i++)
                if (offsets->elems[i].err)
                        fprintf(stderr, "commit of %s[%" PRId32 "] failed: %s\n", offsets->elems[i].topic,
                                offsets->elems[i].partition, rd_kafka_err2str(offsets->elems[i].err));
}

static void error_cb(rd_kafka_t *rk, int err, const char *reason, void *opaque) {
        (void)rk; (void)opaque;
        fprintf(stderr, "error_cb: %s: %s\n", rd_kafka_err2name(err), reason);
}

static void print_message(const rd_kafka_message_t *m) {
        rd_kafka_timestamp_type_t tstype;
        int64_t ts = rd_kafka_message_timestamp(m, &tstype);
        rd_kafka_headers_t *hdrs = NULL;
        size_t hdr_cnt = 0;
        if (rd_kafka_message_headers(m, &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR && hdrs)
                hdr_cnt = rd_kafka_header_cnt(hdrs);
        printf("%s [%" PRId32 "] offset %" PRId64 ": key %.*s value ", rd_kafka_topic_name(m->rkt), m->partition,
               m->offset, m->key ? (int)(m->key_len < 32 ? m->key_len : 32) : 6,
               m->key ? (const char *)m->key : "(null)");
        const unsigned char *p = m->payload;
        for (size_t i = 0; p && i < m->len && i < 40; i++)
                putchar(isprint(p[i]) ? p[i] : '.');
        printf("%s (%zu bytes) headers %zu timestamp %" PRId64 "\n", m->len > 40 ? "..." : "", m->len, hdr_cnt, ts);
}

static void usage(const char *me) {
        fprintf(stderr,
                "usage: %s [--count N] [--timeout S] [--idle S] [--commit-every N] [--quiet]\n"
                "          <bootstrap> <group> <topic>... [-- key=value...]\n",
                me);
}

int main(int argc, char **argv) {
        char errstr[512];
        long count = 0, commit_every = 1000;
        double timeout = 0, idle = 0;
        int quiet = 0, a = 1;

        /* Line-buffered: a program reading our output through a pipe sees each
         * message as it is consumed. */
        setvbuf(stdout, NULL, _IOLBF, 0);

        for (; a < argc && !strncmp(argv[a], "--", 2) && argv[a][2]; a++) {
                if (a + 1 < argc && !strcmp(argv[a], "--count"))
                        count = atol(argv[++a]);
                else if (a + 1 < argc && !strcmp(argv[a], "--timeout"))
                        timeout = atof(argv[++a]);
                else if (a + 1 < argc && !strcmp(argv[a], "--idle"))
                        idle = atof(argv[++a]);
                else if (a + 1 < argc && !strcmp(argv[a], "--commit-every"))
                        commit_every = atol(argv[++a]);
                else if (!strcmp(argv[a], "--quiet"))
                        quiet = 1;
                else {
                        usage(argv[0]);
                        return 2;
                }
        }
        if (argc - a < 3) {
                usage(argv[0]);
                return 2;
        }
        const char *bootstrap = argv[a], *group = argv[a + 1];
        int topics_from = a + 2, topics_to = topics_from;
        while (topics_to < argc && strcmp(argv[topics_to], "--"))
                topics_to++;

        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        if (rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap, errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK ||
            rd_kafka_conf_set(conf, "group.id", group, errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK ||
            rd_kafka_conf_set(conf, "auto.offset.reset", "earliest", errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK ||
            /* We commit ourselves: async every N messages, sync at the end. */
            rd_kafka_conf_set(conf, "enable.auto.commit", "false", errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK) {
                fprintf(stderr, "%s\n", errstr);
                rd_kafka_conf_destroy(conf);
                return 1;
        }
        for (int i = topics_to + 1; i < argc; i++) {
                char *kv = strdup(argv[i]);
                char *eq = kv ? strchr(kv, '=') : NULL;
                if (!eq) {
                        fprintf(stderr, "bad config %s\n", argv[i]);
                        free(kv);
                        rd_kafka_conf_destroy(conf);
                        return 2;
                }
                *eq = '\0';
                if (rd_kafka_conf_set(conf, kv, eq + 1, errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK) {
                        fprintf(stderr, "%s\n", errstr);
                        free(kv);
                        rd_kafka_conf_destroy(conf);
                        return 1;
                }
                free(kv);
        }
        rd_kafka_conf_set_rebalance_cb(conf, rebalance_cb);
        rd_kafka_conf_set_offset_commit_cb(conf, offset_commit_cb);
        rd_kafka_conf_set_error_cb(conf, error_cb);

        rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof(errstr));
        if (!rk) {
                fprintf(stderr, "rd_kafka_new failed: %s\n", errstr);
                rd_kafka_conf_destroy(conf);
                return 1;
        }
        /* Everything (rebalances, commits, errors) arrives through consumer_poll. */
        rd_kafka_poll_set_consumer(rk);

        rd_kafka_topic_partition_list_t *topics = rd_kafka_topic_partition_list_new(topics_to - topics_from);
        for (int i = topics_from; i < topics_to; i++)
                rd_kafka_topic_partition_list_add(topics, argv[i], RD_KAFKA_PARTITION_UA);
        rd_kafka_resp_err_t err = rd_kafka_subscribe(rk, topics);
        rd_kafka_topic_partition_list_destroy(topics);
        if (err) {
                fprintf(stderr, "subscribe failed: %s\n", rd_kafka_err2str(err));
                rd_kafka_destroy(rk);
                return 1;
        }
        printf("library: %s; subscribed to %d topic(s) as group %s\n", rd_kafka_version_str(), topics_to - topics_from,
               group);
        fflush(stdout);

        signal(SIGINT, stop);
        signal(SIGTERM, stop);

        long consumed = 0, since_commit = 0, errors = 0;
        int fatal = 0;
        size_t bytes = 0;
        double t0 = now_s(), last_msg = t0;
        while (run && (count <= 0 || consumed < count)) {
                double t = now_s();
                if (timeout > 0 && t - t0 >= timeout) {
                        printf("timeout after %.1f s\n", t - t0);
                        break;
                }
                if (idle > 0 && assigned_cnt > 0 && t - last_msg >= idle) {
                        printf("idle for %.1f s\n", t - last_msg);
                        break;
                }
                rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 100);
                if (!m)
                        continue;
                if (m->err) {
                        if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
                                printf("end of %s [%" PRId32 "] at offset %" PRId64 "\n",
                                       m->rkt ? rd_kafka_topic_name(m->rkt) : "?", m->partition, m->offset);
                        } else {
                                char fstr[256];
                                fprintf(stderr, "consumer error: %s: %s\n", rd_kafka_err2name(m->err),
                                        rd_kafka_message_errstr(m));
                                errors++;
                                if (m->err == RD_KAFKA_RESP_ERR__FATAL &&
                                    rd_kafka_fatal_error(rk, fstr, sizeof(fstr))) {
                                        fprintf(stderr, "fatal: %s\n", fstr);
                                        fatal = 1;
                                        run = 0;
                                }
                        }
                        rd_kafka_message_destroy(m);
                        continue;
                }
                if (!quiet)
                        print_message(m);
                consumed++;
                bytes += m->len;
                last_msg = now_s();
                rd_kafka_message_destroy(m);
                if (commit_every > 0 && ++since_commit >= commit_every) {
                        err = rd_kafka_commit(rk, NULL, 1 /* async */);
                        if (err && err != RD_KAFKA_RESP_ERR__NO_OFFSET)
                                fprintf(stderr, "async commit: %s\n", rd_kafka_err2str(err));
                        since_commit = 0;
                }
        }

        int rc = fatal;
        err = rd_kafka_commit(rk, NULL, 0 /* sync */);
        if (err == RD_KAFKA_RESP_ERR__NO_OFFSET) {
                printf("final commit: nothing to commit\n");
        } else if (err) {
                fprintf(stderr, "final commit failed: %s\n", rd_kafka_err2str(err));
                rc = 1;
        } else {
                rd_kafka_topic_partition_list_t *asg = NULL;
                if (!rd_kafka_assignment(rk, &asg) && asg) {
                        if (!rd_kafka_committed(rk, asg, 5000)) {
                                printf("committed:");
                                for (int i = 0; i < asg->cnt; i++)
                                        printf(" %s[%" PRId32 "]@%" PRId64, asg->elems[i].topic,
                                               asg->elems[i].partition, asg->elems[i].offset);
                                printf("\n");
                        }
                        rd_kafka_topic_partition_list_destroy(asg);
                }
        }
        err = rd_kafka_consumer_close(rk);
        if (err) {
                fprintf(stderr, "consumer_close: %s\n", rd_kafka_err2str(err));
                rc = 1;
        }
        rd_kafka_destroy(rk);
        printf("consumed %ld messages (%zu value bytes, %ld errors) in %.2f s\n", consumed, bytes, errors,
               now_s() - t0);
        return rc;
}
