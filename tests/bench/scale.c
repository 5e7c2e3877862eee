/* Scale benchmark, written only against librdkafka's rdkafka.h: the same binary runs
 * on genuine librdkafka and on libkafkars (build/compat/librdkafka.so.1), only
 * LD_LIBRARY_PATH changes. Driven by tests/bench/scale.sh.
 *
 *   scale produce <bootstrap> <topic-prefix> <ntopics> <partitions> <count> <size> [key=value...]
 *   scale consume <bootstrap> <topic> <members> <count> <group.id> [key=value...]
 *
 * produce: one producer handle writes <count> messages of <size> bytes to the topics
 *   <topic-prefix>-0 .. <topic-prefix>-(ntopics-1), each of <partitions> partitions
 *   (the topics must exist). Message i goes to topic i % ntopics, partition
 *   (i / ntopics) % partitions (explicit, deterministic: every partition of every
 *   topic gets count / (ntopics * partitions) messages, whatever the partitioner).
 *   Metadata for every topic is fetched before the timed span; the span runs from
 *   the first produce call to the end of the flush.
 *
 * consume: <members> high-level consumers (one rd_kafka_t and one thread each, in
 *   this process) join group <group.id>, subscribe to <topic> and poll until
 *   <count> distinct messages (partition, offset) were read between them. The topic
 *   must already hold at least <count> messages (checked with the watermarks).
 *   Each member's final assignment, the rebalances it saw, its message count and
 *   the duplicates (a (partition, offset) read twice, e.g. after a rebalance) are
 *   reported. The throughput span runs from the first message read to the count-th
 *   distinct one; joining is timed separately.
 *
 * key=value pairs are librdkafka configuration properties, except:
 *   scale.flush.ms=N     produce: flush timeout (default 120000)
 *   scale.timeout.ms=N   consume: give up after N ms (default 120000)
 *
 * Memory: rss_base_kb is the process's resident set before any rd_kafka_new (the
 * binary and libc and the loaded library), rss_idle_kb after the handles were
 * created and (produce) the metadata of every topic was fetched, before any message;
 * rss_peak_kb is ru_maxrss (the whole life of the process). CPU is getrusage
 * RUSAGE_SELF, user + sys, all threads (the library's too).
 *
 * Prints one JSON line on stdout; exits 0 only if every message was delivered
 * (produce) or read (consume), 1 on failure, 2 on bad usage or a topic too small.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include <librdkafka/rdkafka.h>
#include "bench.h"

static int threads_now(void) {
        int n = 0;
        char line[256];
        FILE *f = fopen("/proc/self/status", "r");
        if (!f)
                return 0;
        while (fgets(line, sizeof(line), f))
                if (!strncmp(line, "Threads:", 8))
                        n = atoi(line + 8);
        fclose(f);
        return n;
}

/* Applies key=value args to conf; scale.* options go to *opt_ms (if the name matches). */
static int apply_conf(rd_kafka_conf_t *conf, int argc, char **argv, int from, const char *opt, long *opt_ms) {
        char errstr[512];
        for (int i = from; i < argc; i++) {
                char *kv = strdup(argv[i]);
                char *eq = kv ? strchr(kv, '=') : NULL;
                if (!eq) {
                        fprintf(stderr, "scale: expected key=value, got %s\n", argv[i]);
                        return -1;
                }
                *eq = '\0';
                const char *v = eq + 1;
                if (!strncmp(kv, "scale.", 6)) {
                        if (opt && !strcmp(kv, opt))
                                *opt_ms = parse_long(v, opt);
                        else {
                                fprintf(stderr, "scale: unknown option %s\n", kv);
                                return -1;
                        }
                } else if (rd_kafka_conf_set(conf, kv, v, errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK) {
                        fprintf(stderr, "scale: %s\n", errstr);
                        return -1;
                }
                free(kv);
        }
        return 0;
}

/* ------------------------------------------------------------------ produce -- */

static long delivered, failed;
static rd_kafka_resp_err_t first_err;
static unsigned char *pair_used; /* [topic * partitions + partition] got a message */
static long pairs_hit;
static int n_partitions;

static void dr_msg_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) {
        (void)rk;
        (void)opaque;
        if (m->err) {
                if (!failed)
                        first_err = m->err;
                failed++;
                return;
        }
        delivered++;
        long t = (long)(intptr_t)rd_kafka_topic_opaque(m->rkt);
        if (m->partition >= 0 && m->partition < n_partitions) {
                long idx = t * n_partitions + m->partition;
                if (!pair_used[idx]) {
                        pair_used[idx] = 1;
                        pairs_hit++;
                }
        }
}

static int run_produce(int argc, char **argv) {
        char errstr[512];
        if (argc < 8) {
                fprintf(stderr,
                        "usage: %s produce <bootstrap> <topic-prefix> <ntopics> <partitions> <count> <size> "
                        "[key=value...]\n",
                        argv[0]);
                return 2;
        }
        const char *bootstrap = argv[2];
        const char *prefix = argv[3];
        long ntopics = parse_long(argv[4], "ntopics");
        long parts = parse_long(argv[5], "partitions");
        long count = parse_long(argv[6], "count");
        long size = parse_long(argv[7], "size");
        long flush_ms = 120000;
        if (ntopics < 1 || parts < 1 || count < 1) {
                fprintf(stderr, "scale: ntopics, partitions and count must be >= 1\n");
                return 2;
        }
        n_partitions = (int)parts;
        pair_used = calloc((size_t)(ntopics * parts), 1);
        char *payload = malloc((size_t)size + 1);
        rd_kafka_topic_t **rkts = calloc((size_t)ntopics, sizeof(*rkts));
        if (!pair_used || !payload || !rkts)
                return 1;
        for (long i = 0; i < size; i++)
                payload[i] = (char)('a' + i % 26);

        long rss_base = cur_rss_kb();
        double cpu_start = cpu_s(), t_start = now_s();

        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        if (rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap, errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK) {
                fprintf(stderr, "scale: %s\n", errstr);
                return 2;
        }
        if (apply_conf(conf, argc, argv, 8, "scale.flush.ms", &flush_ms))
                return 2;
        rd_kafka_conf_set_dr_msg_cb(conf, dr_msg_cb);
        rd_kafka_conf_set_error_cb(conf, error_cb);
        rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        if (!rk) {
                fprintf(stderr, "scale: rd_kafka_new: %s\n", errstr);
                return 1;
        }
        for (long t = 0; t < ntopics; t++) {
                char name[512];
                snprintf(name, sizeof(name), "%s-%ld", prefix, t);
                rd_kafka_topic_conf_t *tconf = rd_kafka_topic_conf_new();
                rd_kafka_topic_conf_set_opaque(tconf, (void *)(intptr_t)t);
                rkts[t] = rd_kafka_topic_new(rk, name, tconf);
                if (!rkts[t]) {
                        fprintf(stderr, "scale: rd_kafka_topic_new %s: %s\n", name,
                                rd_kafka_err2str(rd_kafka_last_error()));
                        return 1;
                }
        }
        /* Metadata of every topic, outside the timed span: the client knows all the
         * partitions (and their leaders) before the first message. */
        for (long t = 0; t < ntopics; t++) {
                int cnt = -1;
                for (int attempt = 0; attempt < 50 && cnt != parts; attempt++) {
                        const struct rd_kafka_metadata *md = NULL;
                        if (rd_kafka_metadata(rk, 0, rkts[t], &md, 5000) == RD_KAFKA_RESP_ERR_NO_ERROR && md) {
                                if (md->topic_cnt == 1 && !md->topics[0].err)
                                        cnt = md->topics[0].partition_cnt;
                                rd_kafka_metadata_destroy(md);
                        }
                        if (cnt != parts)
                                usleep(100000);
                }
                if (cnt != parts) {
                        fprintf(stderr, "scale: topic %s: metadata shows %d partitions, expected %ld\n",
                                rd_kafka_topic_name(rkts[t]), cnt, parts);
                        return 2;
                }
        }
        rd_kafka_poll(rk, 0);
        double setup_s = now_s() - t_start;
        long rss_idle = cur_rss_kb();
        int threads_idle = threads_now();

        double cpu0 = cpu_s(), t0 = now_s();
        long queue_full = 0;
        for (long i = 0; i < count; i++) {
                long t = i % ntopics;
                int32_t p = (int32_t)((i / ntopics) % parts);
                while (rd_kafka_produce(rkts[t], p, RD_KAFKA_MSG_F_COPY, payload, (size_t)size, NULL, 0, NULL) ==
                       -1) {
                        rd_kafka_resp_err_t err = rd_kafka_last_error();
                        if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
                                fprintf(stderr, "scale: produce: %s\n", rd_kafka_err2str(err));
                                return 1;
                        }
                        queue_full++;
                        rd_kafka_poll(rk, 1);
                }
                if ((i & 1023) == 0)
                        rd_kafka_poll(rk, 0);
        }
        rd_kafka_resp_err_t ferr = rd_kafka_flush(rk, (int)flush_ms);
        double t1 = now_s(), cpu1 = cpu_s();
        long rss_end = cur_rss_kb();
        int threads_end = threads_now();
        if (ferr)
                fprintf(stderr, "scale: flush: %s (%d still queued)\n", rd_kafka_err2str(ferr), rd_kafka_outq_len(rk));
        for (long t = 0; t < ntopics; t++)
                rd_kafka_topic_destroy(rkts[t]);
        double td0 = now_s();
        rd_kafka_destroy(rk);
        double destroy_s = now_s() - td0;
        double cpu_total = cpu_s() - cpu_start;
        long peak = max_rss_kb();

        double secs = t1 - t0, cpu = cpu1 - cpu0;
        long expect_pairs = count < ntopics * parts ? count : ntopics * parts;
        printf("{\"mode\":\"produce\",\"lib\":");
        json_str(lib_path());
        printf(",\"version\":");
        json_str(rd_kafka_version_str());
        printf(",\"topics\":%ld,\"partitions\":%ld,\"count\":%ld,\"size\":%ld,\"delivered\":%ld,\"failed\":%ld,"
               "\"first_err\":",
               ntopics, parts, count, size, delivered, failed);
        json_str(failed ? rd_kafka_err2name(first_err) : "");
        printf(",\"pairs_hit\":%ld,\"pairs_expected\":%ld,\"queue_full\":%ld,\"seconds\":%.6f,\"msgs_per_s\":%.1f,"
               "\"cpu_s\":%.6f,\"cpu_s_per_M\":%.4f,\"cpu_total_s\":%.6f,\"setup_s\":%.6f,\"destroy_s\":%.6f,"
               "\"rss_base_kb\":%ld,\"rss_idle_kb\":%ld,\"rss_end_kb\":%ld,\"rss_peak_kb\":%ld,"
               "\"threads_idle\":%d,\"threads_end\":%d}\n",
               pairs_hit, expect_pairs, queue_full, secs, secs > 0 ? count / secs : 0.0, cpu,
               cpu * 1e6 / (double)count, cpu_total, setup_s, destroy_s, rss_base, rss_idle, rss_end, peak,
               threads_idle, threads_end);
        fflush(stdout);
        if (ferr || delivered != count || failed || pairs_hit != expect_pairs) {
                if (pairs_hit != expect_pairs)
                        fprintf(stderr, "scale: %ld of %ld (topic, partition) pairs got messages\n", pairs_hit,
                                expect_pairs);
                return 1;
        }
        return 0;
}

/* ------------------------------------------------------------------ consume -- */

#define MAX_MEMBERS 64

struct member {
        int idx;
        rd_kafka_t *rk;
        pthread_t thr;
        long msgs, dups, errors;
        int rebalances;   /* assign callbacks */
        int assigned_cnt; /* current assignment size */
        double assigned_at;
        double first_assign_at; /* first non-empty assignment */
        int first_assign_cnt;
        int final_cnt;
        int32_t final_parts[1024];
        int thread_rc;
};

static struct member members[MAX_MEMBERS];
static int n_members;
static const char *c_topic;
static int c_parts;
static int64_t *c_lo, *c_hi;
static unsigned char **c_seen; /* per partition, a bit per offset - lo */
static long c_count;
static long c_unique, c_total; /* atomics */
static volatile int c_stop;
static double c_t_first, c_t_end, c_cpu_first, c_cpu_end;
static pthread_mutex_t c_lock = PTHREAD_MUTEX_INITIALIZER;
static long c_timeout_ms = 120000;
static double c_t_subscribe;

typedef const char *(rebalance_protocol_fn)(rd_kafka_t *);

static void rebalance_cb(rd_kafka_t *rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t *parts,
                         void *opaque) {
        struct member *m = opaque;
        /* rd_kafka_rebalance_protocol only if the library has it (lazy: looked up). */
        static rebalance_protocol_fn *proto_fn;
        static int looked;
        if (!looked) {
                proto_fn = (rebalance_protocol_fn *)dlsym(RTLD_DEFAULT, "rd_kafka_rebalance_protocol");
                looked = 1;
        }
        const char *proto = proto_fn ? proto_fn(rk) : NULL;
        int coop = proto && !strcmp(proto, "COOPERATIVE");
        if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
                if (coop) {
                        rd_kafka_error_t *e = rd_kafka_incremental_assign(rk, parts);
                        if (e)
                                rd_kafka_error_destroy(e);
                        m->assigned_cnt += parts->cnt;
                } else {
                        rd_kafka_assign(rk, parts);
                        m->assigned_cnt = parts->cnt;
                }
                m->rebalances++;
                m->assigned_at = now_s();
                if (!m->first_assign_at && m->assigned_cnt > 0) {
                        m->first_assign_at = m->assigned_at;
                        m->first_assign_cnt = m->assigned_cnt;
                }
        } else if (err == RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS) {
                if (coop) {
                        rd_kafka_error_t *e = rd_kafka_incremental_unassign(rk, parts);
                        if (e)
                                rd_kafka_error_destroy(e);
                        m->assigned_cnt -= parts->cnt;
                } else {
                        rd_kafka_assign(rk, NULL);
                        m->assigned_cnt = 0;
                }
        } else {
                fprintf(stderr, "scale: member %d: rebalance error %s\n", m->idx, rd_kafka_err2name(err));
                rd_kafka_assign(rk, NULL);
                m->assigned_cnt = 0;
        }
}

static void record_final_assignment(struct member *m) {
        rd_kafka_topic_partition_list_t *a = NULL;
        if (rd_kafka_assignment(m->rk, &a) == RD_KAFKA_RESP_ERR_NO_ERROR && a) {
                m->final_cnt = 0;
                for (int i = 0; i < a->cnt && m->final_cnt < 1024; i++)
                        m->final_parts[m->final_cnt++] = a->elems[i].partition;
                rd_kafka_topic_partition_list_destroy(a);
        } else
                m->final_cnt = -1;
}

static void *member_main(void *arg) {
        struct member *m = arg;
        rd_kafka_topic_partition_list_t *sub = rd_kafka_topic_partition_list_new(1);
        rd_kafka_topic_partition_list_add(sub, c_topic, RD_KAFKA_PARTITION_UA);
        rd_kafka_resp_err_t err = rd_kafka_subscribe(m->rk, sub);
        rd_kafka_topic_partition_list_destroy(sub);
        if (err) {
                fprintf(stderr, "scale: member %d: subscribe: %s\n", m->idx, rd_kafka_err2str(err));
                m->thread_rc = 1;
                c_stop = 1;
                return NULL;
        }
        double deadline = c_t_subscribe + (double)c_timeout_ms / 1000.0;
        while (!c_stop) {
                rd_kafka_message_t *msg = rd_kafka_consumer_poll(m->rk, 100);
                if (!msg) {
                        if (now_s() > deadline) {
                                fprintf(stderr, "scale: member %d: timeout (%ld ms)\n", m->idx, c_timeout_ms);
                                c_stop = 1;
                        }
                        continue;
                }
                if (msg->err) {
                        if (msg->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
                                if (m->errors++ < 5)
                                        fprintf(stderr, "scale: member %d: %s\n", m->idx,
                                                rd_kafka_message_errstr(msg));
                        }
                        rd_kafka_message_destroy(msg);
                        continue;
                }
                int32_t p = msg->partition;
                int64_t off = msg->offset;
                rd_kafka_message_destroy(msg);
                m->msgs++;
                long tot = __atomic_add_fetch(&c_total, 1, __ATOMIC_RELAXED);
                if (tot == 1) {
                        pthread_mutex_lock(&c_lock);
                        c_t_first = now_s();
                        c_cpu_first = cpu_s();
                        pthread_mutex_unlock(&c_lock);
                }
                if (p < 0 || p >= c_parts || off < c_lo[p] || off >= c_hi[p]) {
                        if (m->errors++ < 5)
                                fprintf(stderr, "scale: member %d: unexpected message %d@%lld\n", m->idx, p,
                                        (long long)off);
                        continue;
                }
                int64_t b = off - c_lo[p];
                unsigned char bit = (unsigned char)(1u << (b & 7));
                unsigned char old = __atomic_fetch_or(&c_seen[p][b >> 3], bit, __ATOMIC_RELAXED);
                if (old & bit) {
                        m->dups++;
                        continue;
                }
                long u = __atomic_add_fetch(&c_unique, 1, __ATOMIC_RELAXED);
                if (u == c_count) {
                        c_t_end = now_s();
                        c_cpu_end = cpu_s();
                        c_stop = 1;
                }
        }
        record_final_assignment(m);
        return NULL;
}

static int run_consume(int argc, char **argv) {
        char errstr[512];
        if (argc < 7) {
                fprintf(stderr, "usage: %s consume <bootstrap> <topic> <members> <count> <group.id> [key=value...]\n",
                        argv[0]);
                return 2;
        }
        const char *bootstrap = argv[2];
        c_topic = argv[3];
        n_members = (int)parse_long(argv[4], "members");
        c_count = parse_long(argv[5], "count");
        const char *group = argv[6];
        if (n_members < 1 || n_members > MAX_MEMBERS || c_count < 1) {
                fprintf(stderr, "scale: members must be 1..%d, count >= 1\n", MAX_MEMBERS);
                return 2;
        }

        long rss_base = cur_rss_kb();
        double cpu_start = cpu_s(), t_start = now_s();
        for (int i = 0; i < n_members; i++) {
                struct member *m = &members[i];
                m->idx = i;
                rd_kafka_conf_t *conf = rd_kafka_conf_new();
                char cid[64];
                snprintf(cid, sizeof(cid), "scale-member-%d", i);
                if (rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap, errstr, sizeof(errstr)) ||
                    rd_kafka_conf_set(conf, "group.id", group, errstr, sizeof(errstr)) ||
                    rd_kafka_conf_set(conf, "client.id", cid, errstr, sizeof(errstr)) ||
                    rd_kafka_conf_set(conf, "auto.offset.reset", "earliest", errstr, sizeof(errstr))) {
                        fprintf(stderr, "scale: %s\n", errstr);
                        return 2;
                }
                if (apply_conf(conf, argc, argv, 7, "scale.timeout.ms", &c_timeout_ms))
                        return 2;
                rd_kafka_conf_set_error_cb(conf, error_cb);
                rd_kafka_conf_set_rebalance_cb(conf, rebalance_cb);
                rd_kafka_conf_set_opaque(conf, m);
                m->rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof(errstr));
                if (!m->rk) {
                        fprintf(stderr, "scale: rd_kafka_new (member %d): %s\n", i, errstr);
                        return 2;
                }
                rd_kafka_poll_set_consumer(m->rk);
        }

        /* The topic's partitions and watermarks (member 0's handle, before subscribing). */
        rd_kafka_topic_t *rkt = rd_kafka_topic_new(members[0].rk, c_topic, NULL);
        const struct rd_kafka_metadata *md = NULL;
        c_parts = -1;
        if (rkt && rd_kafka_metadata(members[0].rk, 0, rkt, &md, 10000) == RD_KAFKA_RESP_ERR_NO_ERROR && md) {
                if (md->topic_cnt == 1 && !md->topics[0].err)
                        c_parts = md->topics[0].partition_cnt;
                rd_kafka_metadata_destroy(md);
        }
        if (rkt)
                rd_kafka_topic_destroy(rkt);
        if (c_parts <= 0 || c_parts > 1024) {
                fprintf(stderr, "scale: topic %s: no usable metadata (%d partitions)\n", c_topic, c_parts);
                return 2;
        }
        c_lo = calloc((size_t)c_parts, sizeof(*c_lo));
        c_hi = calloc((size_t)c_parts, sizeof(*c_hi));
        c_seen = calloc((size_t)c_parts, sizeof(*c_seen));
        long avail = 0;
        for (int p = 0; p < c_parts; p++) {
                rd_kafka_resp_err_t err =
                    rd_kafka_query_watermark_offsets(members[0].rk, c_topic, p, &c_lo[p], &c_hi[p], 10000);
                if (err) {
                        fprintf(stderr, "scale: watermarks %s [%d]: %s\n", c_topic, p, rd_kafka_err2str(err));
                        return 2;
                }
                c_seen[p] = calloc((size_t)((c_hi[p] - c_lo[p]) / 8 + 1), 1);
                avail += (long)(c_hi[p] - c_lo[p]);
        }
        if (avail < c_count) {
                fprintf(stderr, "scale: topic %s holds %ld messages, fewer than %ld\n", c_topic, avail, c_count);
                return 2;
        }
        long rss_idle = cur_rss_kb();
        int threads_idle = threads_now();
        double setup_s = now_s() - t_start;

        c_t_subscribe = now_s();
        double cpu_sub = cpu_s();
        for (int i = 0; i < n_members; i++)
                if (pthread_create(&members[i].thr, NULL, member_main, &members[i])) {
                        fprintf(stderr, "scale: pthread_create failed\n");
                        return 1;
                }
        /* Watch for the time every member first holds a non-empty assignment. */
        double all_assigned_at = 0;
        while (!c_stop) {
                int ok = 1;
                for (int i = 0; i < n_members; i++)
                        if (members[i].assigned_cnt <= 0)
                                ok = 0;
                if (ok && !all_assigned_at)
                        all_assigned_at = now_s();
                usleep(10000);
        }
        long rss_end = cur_rss_kb();
        int threads_end = threads_now();
        for (int i = 0; i < n_members; i++)
                pthread_join(members[i].thr, NULL);
        double tc0 = now_s();
        for (int i = 0; i < n_members; i++)
                rd_kafka_consumer_close(members[i].rk);
        for (int i = 0; i < n_members; i++)
                rd_kafka_destroy(members[i].rk);
        double close_s = now_s() - tc0;
        double cpu_total = cpu_s() - cpu_start;
        long peak = max_rss_kb();

        int ok = c_unique >= c_count;
        long sum_msgs = 0, sum_dups = 0, sum_errors = 0;
        int members_with_parts = 0, assigned_total = 0;
        unsigned char owner_cnt[1024] = {0};
        for (int i = 0; i < n_members; i++) {
                struct member *m = &members[i];
                sum_msgs += m->msgs;
                sum_dups += m->dups;
                sum_errors += m->errors;
                if (m->thread_rc)
                        ok = 0;
                if (m->final_cnt > 0) {
                        members_with_parts++;
                        assigned_total += m->final_cnt;
                        for (int j = 0; j < m->final_cnt; j++)
                                if (m->final_parts[j] >= 0 && m->final_parts[j] < 1024)
                                        owner_cnt[m->final_parts[j]]++;
                }
        }
        int parts_owned_once = 0;
        for (int p = 0; p < c_parts; p++)
                parts_owned_once += owner_cnt[p] == 1;
        double secs = ok ? c_t_end - c_t_first : 0, cpu = ok ? c_cpu_end - c_cpu_first : 0;
        printf("{\"mode\":\"consume\",\"lib\":");
        json_str(lib_path());
        printf(",\"version\":");
        json_str(rd_kafka_version_str());
        printf(",\"topic\":");
        json_str(c_topic);
        printf(",\"partitions\":%d,\"members\":%d,\"count\":%ld,\"unique\":%ld,\"received\":%ld,\"dups\":%ld,"
               "\"errors\":%ld,\"members_with_partitions\":%d,\"assigned_total\":%d,\"partitions_owned_once\":%d,"
               "\"seconds\":%.6f,\"msgs_per_s\":%.1f,\"cpu_s\":%.6f,\"cpu_s_per_M\":%.4f,\"cpu_total_s\":%.6f,"
               "\"cpu_join_s\":%.6f,\"join_s\":%.6f,\"first_msg_s\":%.6f,\"setup_s\":%.6f,\"close_s\":%.6f,"
               "\"rss_base_kb\":%ld,\"rss_idle_kb\":%ld,\"rss_end_kb\":%ld,\"rss_peak_kb\":%ld,"
               "\"threads_idle\":%d,\"threads_end\":%d,\"per_member\":[",
               c_parts, n_members, c_count, c_unique, c_total, sum_dups, sum_errors, members_with_parts,
               assigned_total, parts_owned_once, secs, secs > 0 ? c_count / secs : 0.0, cpu,
               ok ? cpu * 1e6 / (double)c_count : 0.0, cpu_total, ok ? c_cpu_first - cpu_sub : 0.0,
               all_assigned_at ? all_assigned_at - c_t_subscribe : -1.0, ok ? c_t_first - c_t_subscribe : -1.0,
               setup_s, close_s, rss_base, rss_idle, rss_end, peak, threads_idle, threads_end);
        for (int i = 0; i < n_members; i++) {
                struct member *m = &members[i];
                printf("%s{\"msgs\":%ld,\"dups\":%ld,\"partitions\":%d,\"assigns\":%d,\"first_assign_s\":%.3f,"
                       "\"first_assign_partitions\":%d}",
                       i ? "," : "", m->msgs, m->dups, m->final_cnt, m->rebalances,
                       m->first_assign_at ? m->first_assign_at - c_t_subscribe : -1.0, m->first_assign_cnt);
        }
        printf("]}\n");
        fflush(stdout);
        if (!ok)
                fprintf(stderr, "scale: read %ld distinct of %ld messages\n", c_unique, c_count);
        (void)sum_msgs;
        return ok ? 0 : 1;
}

int main(int argc, char **argv) {
        setvbuf(stderr, NULL, _IOLBF, 0);
        if (argc >= 2 && !strcmp(argv[1], "produce"))
                return run_produce(argc, argv);
        if (argc >= 2 && !strcmp(argv[1], "consume"))
                return run_consume(argc, argv);
        fprintf(stderr,
                "usage: %s produce <bootstrap> <topic-prefix> <ntopics> <partitions> <count> <size> [k=v...]\n"
                "       %s consume <bootstrap> <topic> <members> <count> <group.id> [k=v...]\n",
                argv[0], argv[0]);
        return 2;
}
