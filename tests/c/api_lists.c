/*
 * C API test: topic partition lists, message headers, error codes and error objects.
 *
 * Builds against Debian's <librdkafka/rdkafka.h> (2.0.2) and runs against any
 * librdkafka.so.1: genuine librdkafka (the oracle) or kafkars (through a
 * librdkafka.so.1 -> libkafkars.so symlink on LD_LIBRARY_PATH).
 *   cc -Wall -o api_lists api_lists.c -lrdkafka
 * Functions newer than 2.0.2 are looked up with dlsym and skipped when absent.
 * NULL-argument robustness is only checked on kafkars (librdkafka crashes there).
 * Exit status 1 on any failure; prints "N passed, M failed".
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* errno2err/errno are deprecated but still part of the API under test. */
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#include <librdkafka/rdkafka.h>

static int passed, failed;

#define CHECK(cond)                                                            \
        do {                                                                   \
                if (cond)                                                      \
                        passed++;                                              \
                else {                                                         \
                        failed++;                                              \
                        fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__,          \
                                __LINE__, #cond);                              \
                }                                                              \
        } while (0)

#define CHECK_STR(a, b)                                                        \
        do {                                                                   \
                const char *_a = (a), *_b = (b);                               \
                if (_a && _b && !strcmp(_a, _b))                               \
                        passed++;                                              \
                else {                                                         \
                        failed++;                                              \
                        fprintf(stderr, "FAIL %s:%d: %s == \"%s\", got \"%s\"\n", \
                                __FILE__, __LINE__, #a, _b ? _b : "(null)",    \
                                _a ? _a : "(null)");                           \
                }                                                              \
        } while (0)

/* Added after 2.0.2: resolved at run time. */
typedef int32_t (*get_epoch_fn)(const rd_kafka_topic_partition_t *);
typedef void (*set_epoch_fn)(rd_kafka_topic_partition_t *, int32_t);
static get_epoch_fn get_epoch;
static set_epoch_fn set_epoch;
static int is_kafkars;

/* ---------------------------------------------------------------- errors */

static void *last_error_thread(void *arg) {
        (void)arg;
        return (void *)(intptr_t)rd_kafka_last_error();
}

static void test_err_strings(void) {
        CHECK_STR(rd_kafka_err2str(RD_KAFKA_RESP_ERR_NO_ERROR), "Success");
        CHECK_STR(rd_kafka_err2name(RD_KAFKA_RESP_ERR_NO_ERROR), "NO_ERROR");
        CHECK_STR(rd_kafka_err2str(RD_KAFKA_RESP_ERR__TIMED_OUT),
                  "Local: Timed out");
        CHECK_STR(rd_kafka_err2name(RD_KAFKA_RESP_ERR__TIMED_OUT), "_TIMED_OUT");
        CHECK_STR(rd_kafka_err2str(RD_KAFKA_RESP_ERR__PARTITION_EOF),
                  "Broker: No more messages");
        CHECK_STR(rd_kafka_err2str(RD_KAFKA_RESP_ERR_UNKNOWN),
                  "Unknown broker error");
        CHECK_STR(rd_kafka_err2name(RD_KAFKA_RESP_ERR_UNKNOWN), "UNKNOWN");
        CHECK_STR(rd_kafka_err2name(RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION),
                  "NOT_LEADER_FOR_PARTITION");
        CHECK_STR(rd_kafka_err2str(RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE),
                  "Broker: Message size too large");
        CHECK_STR(rd_kafka_err2str(RD_KAFKA_RESP_ERR__NOENT),
                  "Local: No such entry");
        CHECK_STR(rd_kafka_err2name(RD_KAFKA_RESP_ERR__READ_ONLY), "_READ_ONLY");
        CHECK_STR(rd_kafka_err2name(RD_KAFKA_RESP_ERR_PRINCIPAL_DESERIALIZATION_FAILURE),
                  "PRINCIPAL_DESERIALIZATION_FAILURE");

        /* Range delimiters, holes and out-of-range codes are "unknown". */
        CHECK_STR(rd_kafka_err2str(RD_KAFKA_RESP_ERR__BEGIN), "Err--200?");
        CHECK_STR(rd_kafka_err2name(RD_KAFKA_RESP_ERR__BEGIN), "ERR_-200?");
        CHECK_STR(rd_kafka_err2str(RD_KAFKA_RESP_ERR__END), "Err--100?");
        CHECK_STR(rd_kafka_err2name(RD_KAFKA_RESP_ERR__END), "ERR_-100?");
        CHECK_STR(rd_kafka_err2str(-101), "Err--101?");
        CHECK_STR(rd_kafka_err2str(98), "Err-98?");
        CHECK_STR(rd_kafka_err2name(99), "ERR_99?");
        CHECK_STR(rd_kafka_err2str(-201), "Err--201?");
        CHECK_STR(rd_kafka_err2str(100000), "Err-100000?");
        CHECK_STR(rd_kafka_err2name(-2147483647 - 1), "ERR_-2147483648?");
        /* err2name and err2str of unknown codes use separate buffers. */
        {
                const char *n = rd_kafka_err2name(5000);
                const char *s = rd_kafka_err2str(5001);
                CHECK_STR(n, "ERR_5000?");
                CHECK_STR(s, "Err-5001?");
        }
}

static void test_err_descs(void) {
        const struct rd_kafka_err_desc *d = NULL;
        size_t cnt = 0, i, named = 0;
        int ok_idx = 1, ok_str = 1;

        rd_kafka_get_err_descs(&d, &cnt);
        CHECK(d != NULL);
        /* At least every code 2.0.2's header knows. */
        CHECK(cnt >= (size_t)(RD_KAFKA_RESP_ERR_END_ALL - RD_KAFKA_RESP_ERR__BEGIN));
        CHECK(d[0].code == RD_KAFKA_RESP_ERR__BEGIN);
        CHECK_STR(d[0].name, "_BEGIN");
        CHECK(d[0].desc == NULL);
        i = RD_KAFKA_RESP_ERR__END - RD_KAFKA_RESP_ERR__BEGIN;
        CHECK(d[i].code == RD_KAFKA_RESP_ERR__END);
        CHECK_STR(d[i].name, "_END");
        CHECK(d[i].desc == NULL);
        CHECK(d[i + 1].name == NULL); /* -99: a hole */
        i = RD_KAFKA_RESP_ERR_NO_ERROR - RD_KAFKA_RESP_ERR__BEGIN;
        CHECK(d[i].code == 0);
        CHECK_STR(d[i].name, "NO_ERROR");
        CHECK_STR(d[i].desc, "Success");
        i = RD_KAFKA_RESP_ERR__BAD_MSG - RD_KAFKA_RESP_ERR__BEGIN;
        CHECK_STR(d[i].desc, "Local: Bad message format");

        /* The layout bindings rely on: slot = code - _BEGIN, holes have NULL
         * names, and named slots agree with err2name/err2str. */
        for (i = 0; i < cnt; i++) {
                if (!d[i].name)
                        continue;
                named++;
                if (d[i].code != (int)i + RD_KAFKA_RESP_ERR__BEGIN)
                        ok_idx = 0;
                if (d[i].desc &&
                    (strcmp(rd_kafka_err2name(d[i].code), d[i].name) ||
                     strcmp(rd_kafka_err2str(d[i].code), d[i].desc)))
                        ok_str = 0;
        }
        CHECK(ok_idx);
        CHECK(ok_str);
        CHECK(named >= 150);
        /* The last slot is the highest known code. */
        CHECK(d[cnt - 1].name != NULL);
}

static void test_errno(void) {
        pthread_t t;
        void *ret;

        CHECK(rd_kafka_errno2err(EINVAL) == RD_KAFKA_RESP_ERR__INVALID_ARG);
        CHECK(rd_kafka_errno2err(EBUSY) == RD_KAFKA_RESP_ERR__CONFLICT);
        CHECK(rd_kafka_errno2err(ENOENT) == RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC);
        CHECK(rd_kafka_errno2err(ESRCH) ==
              RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION);
        CHECK(rd_kafka_errno2err(ETIMEDOUT) == RD_KAFKA_RESP_ERR__TIMED_OUT);
        CHECK(rd_kafka_errno2err(EMSGSIZE) ==
              RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE);
        CHECK(rd_kafka_errno2err(ENOBUFS) == RD_KAFKA_RESP_ERR__QUEUE_FULL);
        CHECK(rd_kafka_errno2err(ECANCELED) == RD_KAFKA_RESP_ERR__FATAL);
        CHECK(rd_kafka_errno2err(0) == RD_KAFKA_RESP_ERR__FAIL);
        CHECK(rd_kafka_errno2err(EPERM) == RD_KAFKA_RESP_ERR__FAIL);

        errno = EMSGSIZE;
        CHECK(rd_kafka_errno() == EMSGSIZE);
        errno = 0;
        CHECK(rd_kafka_errno() == 0);

        /* Nothing failed on a fresh thread. */
        pthread_create(&t, NULL, last_error_thread, NULL);
        pthread_join(t, &ret);
        CHECK((intptr_t)ret == RD_KAFKA_RESP_ERR_NO_ERROR);
}

static void test_error_objects(void) {
        rd_kafka_error_t *e;
        const char *volatile empty_fmt = ""; /* not a literal: no -Wformat noise */

        e = rd_kafka_error_new(RD_KAFKA_RESP_ERR__STATE, "bad %s #%d", "state",
                               7);
        CHECK(e != NULL);
        CHECK(rd_kafka_error_code(e) == RD_KAFKA_RESP_ERR__STATE);
        CHECK_STR(rd_kafka_error_name(e), "_STATE");
        CHECK_STR(rd_kafka_error_string(e), "bad state #7");
        CHECK(rd_kafka_error_is_fatal(e) == 0);
        CHECK(rd_kafka_error_is_retriable(e) == 0);
        CHECK(rd_kafka_error_txn_requires_abort(e) == 0);
        rd_kafka_error_destroy(e);

        /* No message: the code's description. */
        e = rd_kafka_error_new(RD_KAFKA_RESP_ERR__TIMED_OUT, NULL);
        CHECK_STR(rd_kafka_error_string(e), "Local: Timed out");
        CHECK_STR(rd_kafka_error_name(e), "_TIMED_OUT");
        rd_kafka_error_destroy(e);
        e = rd_kafka_error_new(RD_KAFKA_RESP_ERR_INVALID_CONFIG, "%s", "");
        CHECK(rd_kafka_error_code(e) == RD_KAFKA_RESP_ERR_INVALID_CONFIG);
        rd_kafka_error_destroy(e);
        e = rd_kafka_error_new(RD_KAFKA_RESP_ERR_INVALID_CONFIG, empty_fmt);
        CHECK_STR(rd_kafka_error_string(e), "Broker: Configuration is invalid");
        rd_kafka_error_destroy(e);

        /* A long formatted message is kept whole. */
        {
                char big[2000];
                memset(big, 'x', sizeof(big) - 1);
                big[sizeof(big) - 1] = '\0';
                e = rd_kafka_error_new(RD_KAFKA_RESP_ERR_NO_ERROR, "<%s>", big);
                CHECK(strlen(rd_kafka_error_string(e)) == sizeof(big) + 1);
                CHECK(rd_kafka_error_code(e) == 0);
                rd_kafka_error_destroy(e);
        }

        e = rd_kafka_error_new(12345, "custom");
        CHECK_STR(rd_kafka_error_name(e), "ERR_12345?");
        CHECK_STR(rd_kafka_error_string(e), "custom");
        rd_kafka_error_destroy(e);

        /* NULL is documented as allowed for all accessors and destroy. */
        CHECK(rd_kafka_error_code(NULL) == RD_KAFKA_RESP_ERR_NO_ERROR);
        CHECK_STR(rd_kafka_error_name(NULL), "");
        CHECK_STR(rd_kafka_error_string(NULL), "");
        CHECK(rd_kafka_error_is_fatal(NULL) == 0);
        CHECK(rd_kafka_error_is_retriable(NULL) == 0);
        CHECK(rd_kafka_error_txn_requires_abort(NULL) == 0);
        rd_kafka_error_destroy(NULL);
}

/* ------------------------------------------------------ partition lists */

static int cmp_desc_partition(const void *a, const void *b, void *opaque) {
        const rd_kafka_topic_partition_t *x = a, *y = b;
        (*(int *)opaque)++;
        return y->partition - x->partition;
}

static char *dup_meta(const char *s) {
        char *m = malloc(strlen(s));
        memcpy(m, s, strlen(s));
        return m;
}

static void test_tplist_basics(void) {
        rd_kafka_topic_partition_list_t *l;
        rd_kafka_topic_partition_t *e;
        char topic[] = "mytopic";
        int i, sizes[40];

        l = rd_kafka_topic_partition_list_new(0);
        CHECK(l != NULL && l->cnt == 0 && l->size == 0);
        for (i = 0; i < 40; i++) {
                rd_kafka_topic_partition_list_add(l, "t", i);
                sizes[i] = l->size;
        }
        /* librdkafka's growth: +1, +1, then by max(size, 32). */
        CHECK(sizes[0] == 1 && sizes[1] == 2 && sizes[2] == 34 &&
              sizes[33] == 34 && sizes[34] == 68 && sizes[39] == 68);
        CHECK(l->cnt == 40);
        for (i = 0; i < 40; i++)
                if (l->elems[i].partition != i || strcmp(l->elems[i].topic, "t"))
                        break;
        CHECK(i == 40);
        rd_kafka_topic_partition_list_destroy(l);

        l = rd_kafka_topic_partition_list_new(-3);
        CHECK(l != NULL && l->cnt == 0 && l->size == 0);
        rd_kafka_topic_partition_list_destroy(l);

        l = rd_kafka_topic_partition_list_new(5);
        CHECK(l->cnt == 0 && l->size == 5 && l->elems != NULL);
        e = rd_kafka_topic_partition_list_add(l, topic, 3);
        CHECK(e == &l->elems[0]);
        CHECK(e->topic != topic); /* copied */
        topic[0] = 'X';
        CHECK_STR(e->topic, "mytopic");
        CHECK(e->partition == 3);
        CHECK(e->offset == RD_KAFKA_OFFSET_INVALID);
        CHECK(e->metadata == NULL && e->metadata_size == 0);
        CHECK(e->opaque == NULL && e->err == 0 && e->_private == NULL);

        rd_kafka_topic_partition_list_add_range(l, "r", 0, 4);
        CHECK(l->cnt == 6 && l->size == 37);
        rd_kafka_topic_partition_list_add_range(l, "r", 3, 2); /* empty */
        CHECK(l->cnt == 6);
        CHECK(l->elems[5].partition == 4 && !strcmp(l->elems[5].topic, "r"));

        /* find / set_offset */
        e = rd_kafka_topic_partition_list_find(l, "r", 2);
        CHECK(e == &l->elems[3]);
        CHECK(rd_kafka_topic_partition_list_find(l, "r", 5) == NULL);
        CHECK(rd_kafka_topic_partition_list_find(l, "nope", 0) == NULL);
        CHECK(rd_kafka_topic_partition_list_set_offset(l, "r", 2, 1234) ==
              RD_KAFKA_RESP_ERR_NO_ERROR);
        CHECK(e->offset == 1234);
        CHECK(rd_kafka_topic_partition_list_set_offset(l, "r", 9, 1) ==
              RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION);

        /* Duplicates are allowed; find returns the first. */
        e = rd_kafka_topic_partition_list_add(l, "r", 2);
        CHECK(l->cnt == 7);
        CHECK(rd_kafka_topic_partition_list_find(l, "r", 2) == &l->elems[3]);

        /* del: first match only; elements shift down. */
        CHECK(rd_kafka_topic_partition_list_del(l, "r", 2) == 1);
        CHECK(l->cnt == 6);
        CHECK(l->elems[3].partition == 3);
        e = rd_kafka_topic_partition_list_find(l, "r", 2);
        CHECK(e == &l->elems[5] && e->offset == RD_KAFKA_OFFSET_INVALID);
        CHECK(rd_kafka_topic_partition_list_del(l, "r", 2) == 1);
        CHECK(rd_kafka_topic_partition_list_del(l, "r", 2) == 0);
        CHECK(rd_kafka_topic_partition_list_del_by_idx(l, 5) == 0);
        CHECK(rd_kafka_topic_partition_list_del_by_idx(l, -1) == 0);
        CHECK(rd_kafka_topic_partition_list_del_by_idx(l, 0) == 1);
        CHECK(l->cnt == 4 && !strcmp(l->elems[0].topic, "r") &&
              l->elems[0].partition == 0);
        CHECK(l->size == 37); /* never shrinks */
        rd_kafka_topic_partition_list_destroy(l);
}

static void test_tplist_copy_sort(void) {
        rd_kafka_topic_partition_list_t *l, *c;
        rd_kafka_topic_partition_t *e, *ce;
        int calls = 0, i, ok;
        static const char *exp_topics[]   = {"a", "a", "b", "b", "c"};
        static const int exp_partitions[] = {0, 7, 1, 2, 5};

        l = rd_kafka_topic_partition_list_new(3);
        rd_kafka_topic_partition_list_add(l, "b", 2);
        e = rd_kafka_topic_partition_list_add(l, "c", 5);
        e->offset        = 99;
        e->metadata      = dup_meta("meta!");
        e->metadata_size = 5;
        e->opaque        = (void *)0x1234;
        e->err           = RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE;
        if (set_epoch)
                set_epoch(e, 17);
        rd_kafka_topic_partition_list_add(l, "a", 7);
        rd_kafka_topic_partition_list_add(l, "b", 1);
        e = rd_kafka_topic_partition_list_add(l, "a", 0);
        /* metadata_size 0: not copied */
        e->metadata = dup_meta("zzz");
        e->metadata_size = 0;

        c = rd_kafka_topic_partition_list_copy(l);
        CHECK(c != l && c->cnt == 5 && c->size == l->size);
        CHECK(c->elems != l->elems);
        ce = rd_kafka_topic_partition_list_find(c, "c", 5);
        CHECK(ce != NULL);
        if (ce) {
                CHECK(ce->topic != l->elems[1].topic);
                CHECK(ce->offset == 99);
                CHECK(ce->metadata != NULL && ce->metadata != l->elems[1].metadata);
                CHECK(ce->metadata_size == 5 && !memcmp(ce->metadata, "meta!", 5));
                CHECK(ce->opaque == (void *)0x1234);
                CHECK(ce->err == RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE);
                if (get_epoch)
                        CHECK(get_epoch(ce) == 17);
        }
        ce = rd_kafka_topic_partition_list_find(c, "a", 0);
        CHECK(ce && ce->metadata == NULL && ce->metadata_size == 0);
        ce = rd_kafka_topic_partition_list_find(c, "b", 2);
        CHECK(ce && ce->offset == RD_KAFKA_OFFSET_INVALID && ce->err == 0);
        if (get_epoch && ce)
                CHECK(get_epoch(ce) == -1);

        /* Default sort: topic, then partition. */
        rd_kafka_topic_partition_list_sort(l, NULL, NULL);
        ok = 1;
        for (i = 0; i < 5; i++)
                if (strcmp(l->elems[i].topic, exp_topics[i]) ||
                    l->elems[i].partition != exp_partitions[i])
                        ok = 0;
        CHECK(ok);
        /* Data moves with the element. */
        CHECK(l->elems[4].offset == 99 && l->elems[4].metadata_size == 5);
        if (get_epoch)
                CHECK(get_epoch(&l->elems[4]) == 17);

        /* Custom comparator with opaque. */
        rd_kafka_topic_partition_list_sort(c, cmp_desc_partition, &calls);
        CHECK(calls > 0);
        ok = 1;
        for (i = 1; i < c->cnt; i++)
                if (c->elems[i - 1].partition < c->elems[i].partition)
                        ok = 0;
        CHECK(ok && c->elems[0].partition == 7);

        /* Empty list copies and sorts fine. */
        {
                rd_kafka_topic_partition_list_t *z =
                    rd_kafka_topic_partition_list_new(0);
                rd_kafka_topic_partition_list_t *zc =
                    rd_kafka_topic_partition_list_copy(z);
                CHECK(zc && zc->cnt == 0);
                rd_kafka_topic_partition_list_sort(zc, NULL, NULL);
                rd_kafka_topic_partition_list_destroy(z);
                rd_kafka_topic_partition_list_destroy(zc);
        }

        rd_kafka_topic_partition_list_destroy(l);
        rd_kafka_topic_partition_list_destroy(c);
}

static void test_leader_epoch(void) {
        rd_kafka_topic_partition_list_t *l;
        rd_kafka_topic_partition_t *e, *single;

        if (!get_epoch || !set_epoch) {
                printf("leader epoch API absent: skipped\n");
                return;
        }
        l = rd_kafka_topic_partition_list_new(1);
        e = rd_kafka_topic_partition_list_add(l, "t", 0);
        CHECK(get_epoch(e) == -1);
        set_epoch(e, -1); /* clearing allocates nothing */
        CHECK(e->_private == NULL);
        set_epoch(e, 5);
        CHECK(get_epoch(e) == 5);
        CHECK(e->_private != NULL);
        set_epoch(e, -1);
        CHECK(get_epoch(e) == -1);
        set_epoch(e, 6);
        /* Survives a grow (realloc of elems). */
        rd_kafka_topic_partition_list_add_range(l, "t", 1, 50);
        CHECK(get_epoch(&l->elems[0]) == 6);
        CHECK(get_epoch(&l->elems[1]) == -1);
        /* Deleting an element with private data frees it (valgrind). */
        CHECK(rd_kafka_topic_partition_list_del(l, "t", 0) == 1);
        set_epoch(&l->elems[0], 3);
        rd_kafka_topic_partition_list_destroy(l);

        /* A standalone (malloc'd) partition. */
        single            = calloc(1, sizeof(*single));
        single->topic     = strdup("solo");
        single->metadata  = dup_meta("m");
        single->metadata_size = 1;
        set_epoch(single, 8);
        CHECK(get_epoch(single) == 8);
        rd_kafka_topic_partition_destroy(single);
}

static void test_partition_destroy(void) {
        /* rd_kafka_topic_partition_destroy frees topic, metadata and the
         * struct with free(). */
        rd_kafka_topic_partition_t *p = calloc(1, sizeof(*p));
        p->topic                      = strdup("x");
        p->metadata                   = dup_meta("abc");
        p->metadata_size              = 3;
        rd_kafka_topic_partition_destroy(p);
        CHECK(1);
}

/* ---------------------------------------------------------------- headers */

static void test_headers(void) {
        rd_kafka_headers_t *h, *c;
        const void *val;
        const char *name;
        size_t sz;
        char n3[] = "key3";
        char buf[4] = {'v', 'a', 'l', 'X'};

        h = rd_kafka_headers_new(0);
        CHECK(h != NULL);
        CHECK(rd_kafka_header_cnt(h) == 0);
        val = (void *)1;
        CHECK(rd_kafka_header_get_last(h, "a", &val, &sz) ==
              RD_KAFKA_RESP_ERR__NOENT);
        CHECK(rd_kafka_header_get_all(h, 0, &name, &val, &sz) ==
              RD_KAFKA_RESP_ERR__NOENT);

        CHECK(rd_kafka_header_add(h, "a", -1, "one", -1) == 0);
        CHECK(rd_kafka_header_add(h, "bzz", 1, buf, 3) == 0);   /* "b"="val" */
        CHECK(rd_kafka_header_add(h, "a", 1, NULL, 0) == 0);    /* null value */
        CHECK(rd_kafka_header_add(h, "e", -1, "", 0) == 0);     /* empty value */
        CHECK(rd_kafka_header_add(h, n3, -1, "three", 3) == 0); /* "thr" */
        CHECK(rd_kafka_header_add(h, "a", -1, "last", -1) == 0);
        CHECK(rd_kafka_header_add(h, "n", -1, NULL, -1) == 0);
        CHECK(rd_kafka_header_add(h, "bin", -1, "x\0y", 3) == 0);
        n3[0] = 'Q'; /* name was copied */
        CHECK(rd_kafka_header_cnt(h) == 8);

        /* get_last */
        CHECK(rd_kafka_header_get_last(h, "a", &val, &sz) == 0);
        CHECK(sz == 4 && !strcmp(val, "last"));
        CHECK(rd_kafka_header_get_last(h, "b", &val, &sz) == 0);
        /* Values are NUL-terminated beyond size. */
        CHECK(sz == 3 && !memcmp(val, "val", 4));
        CHECK(rd_kafka_header_get_last(h, "key3", &val, &sz) == 0);
        CHECK(sz == 3 && !strcmp(val, "thr"));
        CHECK(rd_kafka_header_get_last(h, "Qey3", &val, &sz) ==
              RD_KAFKA_RESP_ERR__NOENT);
        CHECK(rd_kafka_header_get_last(h, "e", &val, &sz) == 0);
        CHECK(val != NULL && sz == 0 && ((const char *)val)[0] == '\0');
        sz = 99;
        CHECK(rd_kafka_header_get_last(h, "n", &val, &sz) == 0);
        CHECK(val == NULL && sz == 0);
        CHECK(rd_kafka_header_get_last(h, "bin", &val, &sz) == 0);
        CHECK(sz == 3 && !memcmp(val, "x\0y\0", 4));
        CHECK(rd_kafka_header_get_last(h, "bzz", &val, &sz) ==
              RD_KAFKA_RESP_ERR__NOENT);
        CHECK(rd_kafka_header_get_last(h, "", &val, &sz) ==
              RD_KAFKA_RESP_ERR__NOENT);

        /* get: the idx-th header with that name */
        CHECK(rd_kafka_header_get(h, 0, "a", &val, &sz) == 0);
        CHECK(sz == 3 && !strcmp(val, "one"));
        sz = 99;
        CHECK(rd_kafka_header_get(h, 1, "a", &val, &sz) == 0);
        CHECK(val == NULL && sz == 0);
        CHECK(rd_kafka_header_get(h, 2, "a", &val, &sz) == 0);
        CHECK(sz == 4 && !strcmp(val, "last"));
        CHECK(rd_kafka_header_get(h, 3, "a", &val, &sz) ==
              RD_KAFKA_RESP_ERR__NOENT);
        CHECK(rd_kafka_header_get(h, 0, "zz", &val, &sz) ==
              RD_KAFKA_RESP_ERR__NOENT);

        /* get_all: in insertion order */
        CHECK(rd_kafka_header_get_all(h, 0, &name, &val, &sz) == 0);
        CHECK(!strcmp(name, "a") && sz == 3 && !strcmp(val, "one"));
        CHECK(rd_kafka_header_get_all(h, 1, &name, &val, &sz) == 0);
        CHECK(!strcmp(name, "b") && sz == 3);
        CHECK(rd_kafka_header_get_all(h, 2, &name, &val, &sz) == 0);
        CHECK(!strcmp(name, "a") && val == NULL && sz == 0);
        CHECK(rd_kafka_header_get_all(h, 4, &name, &val, &sz) == 0);
        CHECK_STR(name, "key3");
        CHECK(rd_kafka_header_get_all(h, 7, &name, &val, &sz) == 0);
        CHECK_STR(name, "bin");
        CHECK(rd_kafka_header_get_all(h, 8, &name, &val, &sz) ==
              RD_KAFKA_RESP_ERR__NOENT);
        {
                /* Returned pointers stay valid across reads. */
                const char *n0, *n1;
                const void *v0;
                rd_kafka_header_get_all(h, 0, &n0, &v0, &sz);
                rd_kafka_header_get_all(h, 1, &n1, &val, &sz);
                rd_kafka_header_get_last(h, "e", &val, &sz);
                CHECK(!strcmp(n0, "a") && !strcmp(n1, "b") &&
                      !strcmp(v0, "one"));
        }

        /* copy is deep and independent */
        c = rd_kafka_headers_copy(h);
        CHECK(c != NULL && c != h);
        CHECK(rd_kafka_header_cnt(c) == 8);

        /* remove: all with that name */
        CHECK(rd_kafka_header_remove(h, "a") == 0);
        CHECK(rd_kafka_header_cnt(h) == 5);
        CHECK(rd_kafka_header_remove(h, "a") == RD_KAFKA_RESP_ERR__NOENT);
        CHECK(rd_kafka_header_remove(h, "nothere") == RD_KAFKA_RESP_ERR__NOENT);
        CHECK(rd_kafka_header_get_last(h, "a", &val, &sz) ==
              RD_KAFKA_RESP_ERR__NOENT);
        CHECK(rd_kafka_header_get_all(h, 0, &name, &val, &sz) == 0);
        CHECK_STR(name, "b");
        CHECK(rd_kafka_header_remove(h, "n") == 0); /* null-valued */
        CHECK(rd_kafka_header_cnt(h) == 4);

        CHECK(rd_kafka_header_cnt(c) == 8);
        CHECK(rd_kafka_header_get(c, 2, "a", &val, &sz) == 0);
        CHECK(sz == 4 && !strcmp(val, "last"));
        CHECK(rd_kafka_header_get_last(c, "n", &val, &sz) == 0 && val == NULL);
        rd_kafka_headers_destroy(c);

        /* Still usable after its copy is gone; add after remove works. */
        CHECK(rd_kafka_header_add(h, "a", -1, "again", -1) == 0);
        CHECK(rd_kafka_header_get_last(h, "a", &val, &sz) == 0);
        CHECK(sz == 5 && !strcmp(val, "again"));
        CHECK(rd_kafka_header_cnt(h) == 5);
        rd_kafka_headers_destroy(h);

        /* Many headers, preallocation hint. */
        h = rd_kafka_headers_new(2);
        {
                int i;
                char k[16];
                for (i = 0; i < 100; i++) {
                        snprintf(k, sizeof(k), "k%d", i % 10);
                        rd_kafka_header_add(h, k, -1, &i, sizeof(i));
                }
                CHECK(rd_kafka_header_cnt(h) == 100);
                CHECK(rd_kafka_header_get(h, 9, "k3", &val, &sz) == 0);
                CHECK(sz == sizeof(int) && *(const int *)val == 93);
                c = rd_kafka_headers_copy(h);
                rd_kafka_headers_destroy(h);
                CHECK(rd_kafka_header_get_last(c, "k9", &val, &sz) == 0);
                CHECK(*(const int *)val == 99);
                rd_kafka_headers_destroy(c);
        }
}

/* ----------------------------------------- NULL robustness (kafkars only) */

static void test_null_args(void) {
        const struct rd_kafka_err_desc *d;
        size_t sz;
        const void *val;
        const char *name;
        rd_kafka_headers_t *h;
        rd_kafka_topic_partition_list_t *l;

        rd_kafka_get_err_descs(NULL, &sz);
        rd_kafka_get_err_descs(&d, NULL);

        rd_kafka_topic_partition_list_destroy(NULL);
        CHECK(rd_kafka_topic_partition_list_add(NULL, "t", 0) == NULL);
        rd_kafka_topic_partition_list_add_range(NULL, "t", 0, 3);
        CHECK(rd_kafka_topic_partition_list_del(NULL, "t", 0) == 0);
        CHECK(rd_kafka_topic_partition_list_del_by_idx(NULL, 0) == 0);
        CHECK(rd_kafka_topic_partition_list_copy(NULL) == NULL);
        CHECK(rd_kafka_topic_partition_list_find(NULL, "t", 0) == NULL);
        CHECK(rd_kafka_topic_partition_list_set_offset(NULL, "t", 0, 1) ==
              RD_KAFKA_RESP_ERR__INVALID_ARG);
        rd_kafka_topic_partition_list_sort(NULL, NULL, NULL);
        rd_kafka_topic_partition_destroy(NULL);
        CHECK(get_epoch(NULL) == -1);
        set_epoch(NULL, 3);

        l = rd_kafka_topic_partition_list_new(0);
        CHECK(rd_kafka_topic_partition_list_add(l, NULL, 1) != NULL);
        CHECK(l->elems[0].topic == NULL);
        rd_kafka_topic_partition_list_add(l, "t", 0);
        CHECK(rd_kafka_topic_partition_list_find(l, NULL, 1) == NULL);
        CHECK(rd_kafka_topic_partition_list_del(l, NULL, 1) == 0);
        CHECK(rd_kafka_topic_partition_list_find(l, "t", 0) == &l->elems[1]);
        rd_kafka_topic_partition_list_sort(l, NULL, NULL); /* NULL topic first */
        CHECK(l->elems[0].topic == NULL);
        rd_kafka_topic_partition_list_destroy(rd_kafka_topic_partition_list_copy(l));
        rd_kafka_topic_partition_list_destroy(l);

        rd_kafka_headers_destroy(NULL);
        CHECK(rd_kafka_headers_copy(NULL) == NULL);
        CHECK(rd_kafka_header_cnt(NULL) == 0);
        CHECK(rd_kafka_header_add(NULL, "a", -1, "b", -1) ==
              RD_KAFKA_RESP_ERR__INVALID_ARG);
        CHECK(rd_kafka_header_remove(NULL, "a") == RD_KAFKA_RESP_ERR__INVALID_ARG);
        CHECK(rd_kafka_header_get_last(NULL, "a", &val, &sz) ==
              RD_KAFKA_RESP_ERR__INVALID_ARG);
        CHECK(rd_kafka_header_get(NULL, 0, "a", &val, &sz) ==
              RD_KAFKA_RESP_ERR__INVALID_ARG);
        CHECK(rd_kafka_header_get_all(NULL, 0, &name, &val, &sz) ==
              RD_KAFKA_RESP_ERR__INVALID_ARG);
        h = rd_kafka_headers_new((size_t)-1); /* absurd hint */
        CHECK(h != NULL);
        CHECK(rd_kafka_header_add(h, NULL, -1, "b", -1) ==
              RD_KAFKA_RESP_ERR__INVALID_ARG);
        CHECK(rd_kafka_header_remove(h, NULL) == RD_KAFKA_RESP_ERR__INVALID_ARG);
        CHECK(rd_kafka_header_get_last(h, NULL, &val, &sz) ==
              RD_KAFKA_RESP_ERR__INVALID_ARG);
        CHECK(rd_kafka_header_get_all(h, 0, NULL, &val, &sz) ==
              RD_KAFKA_RESP_ERR__INVALID_ARG);
        CHECK(rd_kafka_header_cnt(h) == 0);
        rd_kafka_headers_destroy(h);
}

int main(void) {
        get_epoch = (get_epoch_fn)dlsym(
            RTLD_DEFAULT, "rd_kafka_topic_partition_get_leader_epoch");
        set_epoch = (set_epoch_fn)dlsym(
            RTLD_DEFAULT, "rd_kafka_topic_partition_set_leader_epoch");
        is_kafkars = dlsym(RTLD_DEFAULT, "kafkars_error_new_str") != NULL;
        {
                /* Optional, so the test links against a partial library. */
                const char *(*ver)(void) =
                    (const char *(*)(void))dlsym(RTLD_DEFAULT, "rd_kafka_version_str");
                printf("library: %s (%s)\n", ver ? ver() : "?",
                       is_kafkars ? "kafkars" : "librdkafka");
        }

        test_err_strings();
        test_err_descs();
        test_errno();
        test_error_objects();
        test_tplist_basics();
        test_tplist_copy_sort();
        test_leader_epoch();
        test_partition_destroy();
        test_headers();
        if (is_kafkars)
                test_null_args();

        printf("%d passed, %d failed\n", passed, failed);
        return failed ? 1 : 0;
}
