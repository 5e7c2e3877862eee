/* A minimal Kafka "sink broker" for the produce benchmark: it answers the protocol a
 * producer speaks, correctly, but does almost no work per request (records are not
 * decoded, checked or stored; only the record batch headers are read to count the
 * records), so a produce run measures the client, not the broker. With --source-size
 * it is also a "source broker" for the consume benchmark (see source mode below).
 *
 *   gcc -O2 -Wall -pthread -o build/bench/sink tests/bench/sink.c
 *   sink [--partitions N] [--error CODE] [--port P] [--source-size S]
 *
 * Listens on 127.0.0.1:P (P = 0, the default: a free port), prints
 * `BOOTSTRAP 127.0.0.1:<port>` on stdout, then serves until stdin reaches EOF (keep
 * it open, e.g. run it as a coprocess) or SIGTERM/SIGINT; at exit prints on stderr
 * the requests served per API, the records and bytes received.
 *
 * One broker, node id 0, advertised at its own address. Every topic named in a
 * Metadata request exists, with N partitions (default 6) all led by node 0; a
 * Metadata request for all topics (null or empty list) gets no topics.
 * APIs (ApiVersions advertises only non-flexible versions, except ApiVersions v3):
 *   Produce 0..7       per partition: error 0 (or --error CODE), base_offset a running
 *                      offset per topic-partition advanced by the record count;
 *                      acks=0: no response
 *   Fetch 0..11        advertised only, not served without --source-size: librdkafka
 *                      enables its MsgVer2 (record batches, Produce v3+) and ZSTD
 *                      features only when the broker lists Fetch v4 / v10 (a Fetch
 *                      request closes the connection, as any other API)
 *   Metadata 0..8, FindCoordinator 0..2 (also librdkafka's LZ4 feature test),
 *   ApiVersions 0..3 (a higher version: UNSUPPORTED_VERSION in v0 format),
 *   InitProducerId 0..1 (producer id 1000, 1001, ..., epoch 0).
 * Anything else (or a version above the advertised one) closes the connection and
 * is logged on stderr. Thread per connection, blocking I/O, buffers reused. Produce
 * requests are read field by field from the socket: the record bytes are discarded in
 * the kernel (recv MSG_TRUNC), only each batch's 61-byte header reaches user space.
 *
 * Source mode (--source-size S, the record value size): every partition of every
 * topic holds offsets 0 .. 2^40-1 of identical records (8-byte key, S-byte value), so
 * a consume run measures the client, not the broker. Also served there:
 *   Fetch 4..11        (v0..3 close) per partition: as many whole copies of ONE record
 *                      batch built at start (magic 2, uncompressed, R = max(1, 65536 /
 *                      (S + 20)) records, CRC-32C computed once) as fit in the
 *                      partition's and the request's max bytes, at least one for the
 *                      first partition; each copy gets only its baseOffset patched
 *                      (not covered by the CRC) to fetch_offset + k*R. Sent with
 *                      writev straight from the template: no per-byte work.
 *                      high watermark = last stable offset = 2^40, log start 0 (a
 *                      consumer less than R records before the end gets nothing: a
 *                      Fetch that has no batch to send waits its max_wait_ms).
 *   ListOffsets 1..5   earliest (-2) and any timestamp: 0; latest (-1): 2^40.
 * No group APIs beyond FindCoordinator: consumers must run with enable.auto.commit=
 * false. SINK_CORRUPT=1 in the environment damages one value byte of the template
 * after its CRC is computed: a debug switch to check that a client verifies CRCs.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <unistd.h>

#define MAX_REQUEST (256 * 1024 * 1024)

enum {
        API_PRODUCE = 0,
        API_FETCH = 1,
        API_LIST_OFFSETS = 2,
        API_METADATA = 3,
        API_FIND_COORDINATOR = 10,
        API_API_VERSIONS = 18,
        API_INIT_PRODUCER_ID = 22,
        API_MAX = 128
};

static const struct {
        int16_t key, min, max;
} apis[] = {
    {API_PRODUCE, 0, 7},           {API_FETCH, 0, 11},        {API_METADATA, 0, 8},
    {API_FIND_COORDINATOR, 0, 2},  {API_API_VERSIONS, 0, 3},  {API_INIT_PRODUCER_ID, 0, 1},
    {API_LIST_OFFSETS, 1, 5},
};
#define NAPIS (sizeof(apis) / sizeof(apis[0]))
static long source_size = -1; /* --source-size; -1: sink only */
/* ListOffsets only in source mode: the sink advertises exactly what it always did. */
static int api_on(size_t i) { return source_size >= 0 || apis[i].key != API_LIST_OFFSETS; }
static int napis_on(void) {
        int n = 0;
        for (size_t i = 0; i < NAPIS; i++)
                n += api_on(i);
        return n;
}

static int npartitions = 6;
static int produce_error = 0;
static char host[] = "127.0.0.1";
static int port;

static atomic_long served[API_MAX];
static atomic_long records_total, record_bytes_total, request_bytes_total, connections;
static atomic_long produce_errors_sent, unsupported_closes;
static atomic_long next_producer_id = 1000;
static atomic_long records_sent, record_bytes_sent;

static void logf_(const char *fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        fprintf(stderr, "sink: ");
        vfprintf(stderr, fmt, ap);
        fputc('\n', stderr);
        va_end(ap);
}

/* ---- topics: name -> running offset per partition ---- */

struct topic {
        struct topic *next;
        size_t len;
        atomic_llong *offsets; /* npartitions */
        char name[];
};
#define TOPIC_BUCKETS 1024
static struct topic *topics[TOPIC_BUCKETS];
static pthread_mutex_t topics_lock = PTHREAD_MUTEX_INITIALIZER;

static struct topic *topic_get(const char *name, size_t len) {
        uint32_t h = 2166136261u;
        for (size_t i = 0; i < len; i++)
                h = (h ^ (unsigned char)name[i]) * 16777619u;
        h %= TOPIC_BUCKETS;
        pthread_mutex_lock(&topics_lock);
        struct topic *t;
        for (t = topics[h]; t; t = t->next)
                if (t->len == len && !memcmp(t->name, name, len))
                        break;
        if (!t) {
                t = calloc(1, sizeof(*t) + len + 1);
                if (t)
                        t->offsets = calloc(npartitions, sizeof(*t->offsets));
                if (!t || !t->offsets) {
                        logf_("out of memory");
                        _exit(3);
                }
                memcpy(t->name, name, len);
                t->len = len;
                t->next = topics[h];
                topics[h] = t;
        }
        pthread_mutex_unlock(&topics_lock);
        return t;
}

#include "sink_wire.h"


/* ---- APIs ---- */

static void api_versions(struct wr *w, int16_t ver) {
        if (ver > 3) {
                /* What brokers do: UNSUPPORTED_VERSION in the v0 format (with the API
                 * list), the client retries with a version it finds there. */
                ver = 0;
                w16(w, 35);
        } else {
                w16(w, 0);
        }
        if (ver >= 3) {
                wuvarint(w, (uint64_t)napis_on() + 1);
                for (size_t i = 0; i < NAPIS; i++) {
                        if (!api_on(i))
                                continue;
                        w16(w, apis[i].key);
                        w16(w, apis[i].min);
                        w16(w, apis[i].max);
                        wuvarint(w, 0); /* tagged fields */
                }
                w32(w, 0);      /* throttle_time_ms */
                wuvarint(w, 0); /* tagged fields */
                return;
        }
        w32(w, napis_on());
        for (size_t i = 0; i < NAPIS; i++) {
                if (!api_on(i))
                        continue;
                w16(w, apis[i].key);
                w16(w, apis[i].min);
                w16(w, apis[i].max);
        }
        if (ver >= 1)
                w32(w, 0); /* throttle_time_ms */
}

static void write_broker(struct wr *w, int16_t ver) {
        w32(w, 1);
        w32(w, 0); /* node_id */
        wstr(w, host, (int)strlen(host));
        w32(w, port);
        if (ver >= 1)
                wstr(w, NULL, -1); /* rack */
}

static int metadata(struct rd *r, struct wr *w, int16_t ver) {
        if (ver >= 3)
                w32(w, 0); /* throttle_time_ms */
        write_broker(w, ver);
        if (ver >= 2)
                wstr(w, "kafkars-sink", 12); /* cluster_id */
        if (ver >= 1)
                w32(w, 0); /* controller_id */
        int32_t n = r32(r);
        if (r->bad)
                return -1;
        w32(w, n < 0 ? 0 : n);
        for (int32_t i = 0; i < n; i++) {
                int len;
                const char *name = rstr(r, &len);
                if (r->bad || len < 0)
                        return -1;
                w16(w, 0); /* error_code */
                wstr(w, name, len);
                if (ver >= 1)
                        w8(w, 0); /* is_internal */
                w32(w, npartitions);
                for (int p = 0; p < npartitions; p++) {
                        w16(w, 0); /* error_code */
                        w32(w, p); /* partition_index */
                        w32(w, 0); /* leader_id */
                        if (ver >= 7)
                                w32(w, 0); /* leader_epoch */
                        w32(w, 1);         /* replica_nodes */
                        w32(w, 0);
                        w32(w, 1); /* isr_nodes */
                        w32(w, 0);
                        if (ver >= 5)
                                w32(w, 0); /* offline_replicas: [] */
                }
                if (ver >= 8)
                        w32(w, INT32_MIN); /* topic_authorized_operations */
        }
        if (ver >= 8)
                w32(w, INT32_MIN); /* cluster_authorized_operations */
        return 0;
}

static int init_producer_id(struct rd *r, struct wr *w) {
        int len;
        rstr(r, &len); /* transactional_id */
        r32(r);        /* transaction_timeout_ms */
        if (r->bad)
                return -1;
        w32(w, 0); /* throttle_time_ms */
        w16(w, 0);
        w64(w, atomic_fetch_add(&next_producer_id, 1));
        w16(w, 0); /* producer_epoch */
        return 0;
}

static int find_coordinator(struct rd *r, struct wr *w, int16_t ver) {
        int len;
        rstr(r, &len); /* key */
        if (ver >= 1)
                r8(r); /* key_type */
        if (r->bad)
                return -1;
        if (ver >= 1)
                w32(w, 0); /* throttle_time_ms */
        w16(w, 0);
        if (ver >= 1)
                wstr(w, NULL, -1); /* error_message */
        w32(w, 0);                 /* node_id */
        wstr(w, host, (int)strlen(host));
        w32(w, port);
        return 0;
}

#include "sink_source.h"


/* ---- connections ---- */

static int read_full(int fd, void *buf, size_t n) {
        unsigned char *p = buf;
        while (n) {
                ssize_t r = recv(fd, p, n, MSG_WAITALL);
                if (r <= 0) {
                        if (r < 0 && errno == EINTR)
                                continue;
                        return -1;
                }
                p += r;
                n -= (size_t)r;
        }
        return 0;
}

static int write_full(int fd, const void *buf, size_t n) {
        const unsigned char *p = buf;
        while (n) {
                ssize_t r = send(fd, p, n, MSG_NOSIGNAL);
                if (r < 0) {
                        if (errno == EINTR)
                                continue;
                        return -1;
                }
                p += r;
                n -= (size_t)r;
        }
        return 0;
}

/* Produce is read straight from the socket, field by field: the record bytes are
 * never copied to user space (recv with MSG_TRUNC discards them in the kernel), only
 * each batch's header is read, to count the records. */
struct sr {
        int fd;
        long left; /* bytes of the request not read yet */
        int bad;
};

static void sr_read(struct sr *s, void *p, size_t n) {
        if (s->bad || s->left < (long)n || read_full(s->fd, p, n)) {
                s->bad = 1;
                return;
        }
        s->left -= (long)n;
}
static void sr_skip(struct sr *s, size_t n) {
        static unsigned char dummy[1]; /* MSG_TRUNC on TCP: nothing is written */
        if (s->bad || s->left < (long)n) {
                s->bad = 1;
                return;
        }
        s->left -= (long)n;
        while (n) {
                ssize_t r = recv(s->fd, dummy, n, MSG_TRUNC | MSG_WAITALL);
                if (r <= 0) {
                        if (r < 0 && errno == EINTR)
                                continue;
                        s->bad = 1;
                        return;
                }
                n -= (size_t)r;
        }
}
static int16_t sr16(struct sr *s) {
        unsigned char b[2] = {0, 0};
        sr_read(s, b, 2);
        return (int16_t)((b[0] << 8) | b[1]);
}
static int32_t sr32(struct sr *s) {
        unsigned char b[4] = {0, 0, 0, 0};
        sr_read(s, b, 4);
        return (int32_t)be32(b);
}

/* Records in a partition's `len` record bytes: v2 record batches (record count at
 * offset 57) or, for old message sets, one per message; both have the length of what
 * follows at offset 8 and the magic byte at offset 16. */
static long sr_count_records(struct sr *s, long len) {
        long cnt = 0;
        unsigned char h[61];
        while (len >= 17 && !s->bad) {
                sr_read(s, h, 17);
                long size = 12 + (long)be32(h + 8), done = 17;
                if (h[16] >= 2 && len >= 61) {
                        sr_read(s, h + 17, 44);
                        done = 61;
                        cnt += (int32_t)be32(h + 57);
                } else {
                        cnt++;
                }
                if (size < done || size > len)
                        size = len; /* malformed or partial: skip the rest */
                sr_skip(s, (size_t)(size - done));
                len -= size;
        }
        if (len > 0)
                sr_skip(s, (size_t)len);
        return cnt;
}

/* Returns 1 to send the response, 0 for none (acks=0), -1 on a malformed request;
 * name is a buffer of at least 32768 bytes. */
static int produce(struct sr *s, struct wr *w, int16_t ver, struct topic **cache, char *name) {
        if (ver >= 3) {
                int16_t tl = sr16(s); /* transactional_id */
                if (tl > 0)
                        sr_skip(s, (size_t)tl);
        }
        int16_t acks = sr16(s);
        sr32(s); /* timeout_ms */
        int32_t nt = sr32(s);
        if (s->bad || nt < 0)
                return -1;
        w32(w, nt);
        for (int32_t i = 0; i < nt; i++) {
                int16_t len = sr16(s);
                if (s->bad || len < 0)
                        return -1;
                sr_read(s, name, (size_t)len);
                int32_t np = sr32(s);
                if (s->bad || np < 0)
                        return -1;
                struct topic *t = *cache;
                if (!t || t->len != (size_t)len || memcmp(t->name, name, (size_t)len))
                        *cache = t = topic_get(name, (size_t)len);
                wstr(w, name, len);
                w32(w, np);
                for (int32_t j = 0; j < np; j++) {
                        int32_t part = sr32(s);
                        int32_t rlen = sr32(s);
                        long cnt = rlen > 0 ? sr_count_records(s, rlen) : 0;
                        if (s->bad)
                                return -1;
                        atomic_fetch_add_explicit(&records_total, cnt, memory_order_relaxed);
                        atomic_fetch_add_explicit(&record_bytes_total, rlen > 0 ? rlen : 0,
                                                  memory_order_relaxed);
                        int16_t err = (int16_t)produce_error;
                        int64_t base = -1;
                        if (part < 0 || part >= npartitions)
                                err = 3; /* UNKNOWN_TOPIC_OR_PARTITION */
                        if (!err)
                                base = atomic_fetch_add_explicit(&t->offsets[part], cnt,
                                                                 memory_order_relaxed);
                        else
                                atomic_fetch_add_explicit(&produce_errors_sent, 1,
                                                          memory_order_relaxed);
                        w32(w, part);
                        w16(w, err);
                        w64(w, base);
                        if (ver >= 2)
                                w64(w, -1); /* log_append_time_ms */
                        if (ver >= 5)
                                w64(w, 0); /* log_start_offset */
                }
        }
        if (s->left) /* trailing bytes: drop them */
                sr_skip(s, (size_t)s->left);
        if (s->bad)
                return -1;
        if (ver >= 1)
                w32(w, 0); /* throttle_time_ms */
        return acks != 0;
}

static const char *api_name(int k) {
        switch (k) {
        case API_PRODUCE: return "Produce";
        case API_FETCH: return "Fetch";
        case API_LIST_OFFSETS: return "ListOffsets";
        case API_METADATA: return "Metadata";
        case API_FIND_COORDINATOR: return "FindCoordinator";
        case API_API_VERSIONS: return "ApiVersions";
        case API_INIT_PRODUCER_ID: return "InitProducerId";
        default: return "?";
        }
}

static void *conn_main(void *arg) {
        int fd = (int)(intptr_t)arg;
        unsigned char *buf = NULL;
        size_t cap = 0;
        struct wr w = {0};
        struct topic *cache = NULL;
        struct marks marks = {0};
        struct iovec *iov = NULL;
        size_t iov_cap = 0;
        atomic_fetch_add(&connections, 1);
        for (;;) {
                unsigned char hdr[4];
                if (read_full(fd, hdr, 4))
                        break;
                uint32_t size = be32(hdr);
                if (size < 10 || size > MAX_REQUEST) {
                        logf_("closing connection: request size %u", size);
                        break;
                }
                if (!buf) { /* client_id and a topic name fit, always */
                        cap = 65536 + 32768;
                        buf = malloc(cap);
                        if (!buf) {
                                logf_("out of memory");
                                _exit(3);
                        }
                }
                /* The header first: api_key, api_version, correlation_id, client_id. */
                if (read_full(fd, buf, 10))
                        break;
                int16_t key = (int16_t)((buf[0] << 8) | buf[1]);
                int16_t ver = (int16_t)((buf[2] << 8) | buf[3]);
                int32_t corr = (int32_t)be32(buf + 4);
                int16_t clen = (int16_t)((buf[8] << 8) | buf[9]);
                size_t hlen = 10 + (clen > 0 ? (size_t)clen : 0);
                if (hlen > size) {
                        logf_("closing connection: bad request header");
                        break;
                }
                if (clen > 0 && read_full(fd, buf + 10, (size_t)clen))
                        break;
                atomic_fetch_add_explicit(&request_bytes_total, (long)size + 4,
                                          memory_order_relaxed);
                int max = -1;
                for (size_t i = 0; i < NAPIS; i++)
                        if (apis[i].key == key && api_on(i))
                                max = apis[i].max;
                if (key != API_API_VERSIONS &&
                    (max < 0 || ver < 0 || ver > max ||
                     (key == API_FETCH && (source_size < 0 || ver < 4)))) {
                        logf_("closing connection: unsupported request %s (api_key %d) v%d",
                              api_name(key), key, ver);
                        atomic_fetch_add(&unsupported_closes, 1);
                        break;
                }
                struct rd r = {buf + hlen, buf + size, 0};
                if (key != API_PRODUCE) { /* small: the rest of the request in buf */
                        if (size > cap) {
                                cap = size;
                                buf = realloc(buf, cap);
                                if (!buf) {
                                        logf_("out of memory");
                                        _exit(3);
                                }
                        }
                        r.p = buf + hlen;
                        r.end = buf + size;
                        if (read_full(fd, buf + hlen, size - hlen))
                                break;
                        /* Request header v2 (tagged fields) for the flexible versions:
                         * only ApiVersions v3+ here. */
                        if (key == API_API_VERSIONS && ver >= 3)
                                rskip_tags(&r);
                        if (r.bad) {
                                logf_("closing connection: bad request header");
                                break;
                        }
                }
                /* Response header v0 (correlation id only): every response here,
                 * ApiVersions' included. */
                w.len = 0;
                marks.n = 0;
                w32(&w, 0);
                w32(&w, corr);
                int rc = 0;
                switch (key) {
                case API_API_VERSIONS: api_versions(&w, ver); break;
                case API_METADATA: rc = metadata(&r, &w, ver); break;
                case API_PRODUCE: {
                        struct sr sr = {fd, (long)(size - hlen), 0};
                        rc = produce(&sr, &w, ver, &cache, (char *)buf + hlen);
                        break;
                }
                case API_INIT_PRODUCER_ID: rc = init_producer_id(&r, &w); break;
                case API_FIND_COORDINATOR: rc = find_coordinator(&r, &w, ver); break;
                case API_FETCH: rc = fetch(&r, &w, ver, &marks); break;
                case API_LIST_OFFSETS: rc = list_offsets(&r, &w, ver); break;
                }
                if (rc < 0) {
                        logf_("closing connection: malformed %s v%d request", api_name(key), ver);
                        break;
                }
                atomic_fetch_add_explicit(&served[key], 1, memory_order_relaxed);
                if (key == API_PRODUCE && rc == 0)
                        continue; /* acks=0 */
                if (!marks.n) {
                        wput32(&w, 0, (int32_t)(w.len - 4));
                        if (write_full(fd, w.b, w.len))
                                break;
                        continue;
                }
                size_t tail = tmpl_len - 8; /* a batch copy without its baseOffset */
                wput32(&w, 0, (int32_t)(w.len - 4 + marks.n * tail));
                if (2 * marks.n + 1 > iov_cap) {
                        iov_cap = (2 * marks.n + 1) * 2;
                        iov = realloc(iov, iov_cap * sizeof(*iov));
                        if (!iov) {
                                logf_("out of memory");
                                _exit(3);
                        }
                }
                size_t niov = 0, prev = 0;
                for (size_t i = 0; i < marks.n; prev = marks.at[i++]) {
                        iov[niov++] = (struct iovec){w.b + prev, marks.at[i] - prev};
                        iov[niov++] = (struct iovec){tmpl + 8, tail};
                }
                iov[niov++] = (struct iovec){w.b + prev, w.len - prev};
                if (writev_full(fd, iov, niov))
                        break;
        }
        close(fd);
        free(buf);
        free(w.b);
        free(marks.at);
        free(iov);
        return NULL;
}

static void *accept_main(void *arg) {
        int lfd = (int)(intptr_t)arg;
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        pthread_attr_setstacksize(&attr, 256 * 1024);
        for (;;) {
                int fd = accept(lfd, NULL, NULL);
                if (fd < 0) {
                        if (errno == EINTR || errno == ECONNABORTED)
                                continue;
                        logf_("accept: %s", strerror(errno));
                        sleep(1);
                        continue;
                }
                int one = 1;
                setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
                pthread_t th;
                if (pthread_create(&th, &attr, conn_main, (void *)(intptr_t)fd)) {
                        logf_("pthread_create failed");
                        close(fd);
                }
        }
        return NULL;
}

static pthread_mutex_t exit_lock = PTHREAD_MUTEX_INITIALIZER;

static void finish(const char *why) {
        pthread_mutex_lock(&exit_lock); /* never unlocked: exit once */
        fprintf(stderr, "sink: exit (%s): connections %ld", why, atomic_load(&connections));
        for (int k = 0; k < API_MAX; k++)
                if (atomic_load(&served[k]))
                        fprintf(stderr, ", %s %ld", api_name(k), atomic_load(&served[k]));
        fprintf(stderr,
                "; records %ld, record bytes %ld, request bytes %ld, produce partition errors "
                "sent %ld, closed for unsupported requests %ld",
                atomic_load(&records_total), atomic_load(&record_bytes_total),
                atomic_load(&request_bytes_total), atomic_load(&produce_errors_sent),
                atomic_load(&unsupported_closes));
        if (source_size >= 0)
                fprintf(stderr, "; fetch requests %ld, records sent %ld, record bytes sent %ld",
                        atomic_load(&served[API_FETCH]), atomic_load(&records_sent),
                        atomic_load(&record_bytes_sent));
        fputc('\n', stderr);
        fflush(stderr);
        _exit(0);
}

static void *signal_main(void *arg) {
        sigset_t *set = arg;
        int sig = 0;
        sigwait(set, &sig);
        finish(sig == SIGTERM ? "SIGTERM" : "SIGINT");
        return NULL;
}

static void usage(void) {
        fprintf(stderr, "usage: sink [--partitions N] [--error CODE] [--port P] [--source-size S]\n");
        exit(2);
}

int main(int argc, char **argv) {
        int want_port = 0;
        for (int i = 1; i < argc; i++) {
                if (i + 1 >= argc)
                        usage();
                char *end;
                long v = strtol(argv[i + 1], &end, 0);
                if (*end || end == argv[i + 1])
                        usage();
                if (!strcmp(argv[i], "--partitions") && v >= 1 && v <= 100000)
                        npartitions = (int)v;
                else if (!strcmp(argv[i], "--error") && v >= -32768 && v <= 32767)
                        produce_error = (int)v;
                else if (!strcmp(argv[i], "--port") && v >= 0 && v <= 65535)
                        want_port = (int)v;
                else if (!strcmp(argv[i], "--source-size") && v >= 0 && v <= 16 * 1024 * 1024)
                        source_size = v;
                else
                        usage();
                i++;
        }

        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGTERM);
        sigaddset(&set, SIGINT);
        pthread_sigmask(SIG_BLOCK, &set, NULL); /* inherited by every thread */
        signal(SIGPIPE, SIG_IGN);

        int lfd = socket(AF_INET, SOCK_STREAM, 0);
        int one = 1;
        setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        struct sockaddr_in sa = {0};
        sa.sin_family = AF_INET;
        sa.sin_port = htons((uint16_t)want_port);
        sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t sl = sizeof(sa);
        if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) || listen(lfd, 128) ||
            getsockname(lfd, (struct sockaddr *)&sa, &sl)) {
                logf_("listen on 127.0.0.1:%d: %s", want_port, strerror(errno));
                return 1;
        }
        port = ntohs(sa.sin_port);
        if (source_size >= 0)
                build_template();

        pthread_t th;
        pthread_create(&th, NULL, signal_main, &set);
        pthread_create(&th, NULL, accept_main, (void *)(intptr_t)lfd);

        printf("BOOTSTRAP %s:%d\n", host, port);
        fflush(stdout);
        logf_("listening on %s:%d, %d partitions per topic, produce error %d", host, port,
              npartitions, produce_error);
        if (source_size >= 0)
                logf_("source mode: %ld-byte values, %d records (%zu bytes) per batch", source_size,
                      (int)tmpl_records, tmpl_len);

        char b[256];
        for (;;) {
                ssize_t n = read(0, b, sizeof(b));
                if (n == 0 || (n < 0 && errno != EINTR))
                        break;
        }
        finish("stdin closed");
        return 0;
}
