/* Source mode of the sink broker (tests/bench/sink.c, --source-size): one record
 * batch built at start, Fetch and ListOffsets answered from it (see sink.c's header).
 * Header-only: sink.c includes it after its globals and sink_wire.h. */
#pragma once
#include <sys/uio.h>

#define SOURCE_END ((int64_t)1 << 40) /* high watermark of every partition */
static unsigned char *tmpl;           /* the record batch every Fetch sends copies of */
static size_t tmpl_len;
static int32_t tmpl_records;

static uint32_t crc32c(const unsigned char *p, size_t n) {
        static uint32_t t[256];
        if (!t[1])
                for (uint32_t i = 0; i < 256; i++) {
                        uint32_t c = i;
                        for (int k = 0; k < 8; k++)
                                c = c & 1 ? (c >> 1) ^ 0x82F63B78u : c >> 1;
                        t[i] = c;
                }
        uint32_t c = 0xFFFFFFFFu;
        while (n--)
                c = t[(c ^ *p++) & 0xff] ^ (c >> 8);
        return c ^ 0xFFFFFFFFu;
}

static void wvarint(struct wr *w, int64_t v) { /* zigzag */
        wuvarint(w, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63));
}

/* Magic-2 record batch, base offset 0 (patched per copy), uncompressed, no producer
 * id; records: offsetDelta i, timestampDelta 0, key "k%07d", value S pattern bytes. */
static void build_template(void) {
        int32_t n = (int32_t)(65536 / (source_size + 20));
        tmpl_records = n < 1 ? 1 : n;
        struct timeval tv;
        gettimeofday(&tv, NULL);
        int64_t ts = (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
        struct wr w = {0}, rec = {0};
        w64(&w, 0);  /* baseOffset */
        w32(&w, 0);  /* batchLength, below */
        w32(&w, 0);  /* partitionLeaderEpoch */
        w8(&w, 2);   /* magic */
        w32(&w, 0);  /* crc, below */
        w16(&w, 0);  /* attributes */
        w32(&w, tmpl_records - 1);
        w64(&w, ts); /* baseTimestamp */
        w64(&w, ts); /* maxTimestamp */
        w64(&w, -1); /* producerId */
        w16(&w, -1); /* producerEpoch */
        w32(&w, -1); /* baseSequence */
        w32(&w, tmpl_records);
        for (int32_t i = 0; i < tmpl_records; i++) {
                char key[9];
                snprintf(key, sizeof(key), "k%07d", (int)(i % 10000000));
                rec.len = 0;
                w8(&rec, 0);     /* attributes */
                wvarint(&rec, 0); /* timestampDelta */
                wvarint(&rec, i); /* offsetDelta */
                wvarint(&rec, 8);
                wgrow(&rec, 8 + (size_t)source_size);
                memcpy(rec.b + rec.len, key, 8);
                rec.len += 8;
                wvarint(&rec, source_size);
                for (long j = 0; j < source_size; j++)
                        rec.b[rec.len++] = (unsigned char)('a' + (i + j) % 26);
                wuvarint(&rec, 0); /* headers */
                wvarint(&w, (int64_t)rec.len);
                wgrow(&w, rec.len);
                memcpy(w.b + w.len, rec.b, rec.len);
                w.len += rec.len;
        }
        wput32(&w, 8, (int32_t)(w.len - 12));
        wput32(&w, 17, (int32_t)crc32c(w.b + 21, w.len - 21));
        const char *c = getenv("SINK_CORRUPT");
        if (c && *c && strcmp(c, "0")) {
                w.b[w.len - 2]++; /* the last record's last value byte */
                logf_("SINK_CORRUPT: the record batch CRC is wrong");
        }
        free(rec.b);
        tmpl = w.b;
        tmpl_len = w.len;
}

/* Batch copies go out by writev: the response is w, with the template minus its first
 * 8 bytes (the patched baseOffset, written in w) inserted at each of `marks`. */
struct marks {
        size_t *at, n, cap;
};

/* Reads a topic's name and partition count and writes them back: the answers list the
 * topics and partitions as asked. Returns the count, -1 on bad input. */
static int32_t echo_topic(struct rd *r, struct wr *w) {
        int len;
        const char *name = rstr(r, &len);
        int32_t np = r32(r);
        if (r->bad || len < 0 || np < 0)
                return -1;
        wstr(w, name, len);
        w32(w, np);
        return np;
}

static int fetch(struct rd *r, struct wr *w, int16_t ver, struct marks *m) {
        r32(r); /* replica_id */
        int32_t max_wait = r32(r);
        r32(r); /* min_bytes */
        int64_t left = r32(r); /* max_bytes */
        r8(r);                 /* isolation_level */
        if (ver >= 7) {
                r32(r); /* session_id */
                r32(r); /* session_epoch */
        }
        int32_t nt = r32(r);
        if (r->bad || nt < 0)
                return -1;
        w32(w, 0); /* throttle_time_ms */
        if (ver >= 7) {
                w16(w, 0); /* error_code */
                w32(w, 0); /* session_id: no session */
        }
        w32(w, nt);
        int first = 1;
        for (int32_t i = 0; i < nt; i++) {
                int32_t np = echo_topic(r, w);
                if (np < 0)
                        return -1;
                for (int32_t j = 0; j < np; j++) {
                        int32_t part = r32(r);
                        if (ver >= 9)
                                r32(r); /* current_leader_epoch */
                        int64_t off = r64(r);
                        if (ver >= 5)
                                r64(r); /* log_start_offset */
                        int64_t pmax = r32(r);
                        if (r->bad)
                                return -1;
                        int16_t err = part < 0 || part >= npartitions ? 3 /* UNKNOWN_TOPIC_OR_PART */
                                      : off < 0 || off > SOURCE_END ? 1 /* OFFSET_OUT_OF_RANGE */
                                                                     : 0;
                        int64_t nb = 0;
                        if (!err) {
                                int64_t budget = pmax < left ? pmax : left;
                                nb = budget > 0 ? budget / (int64_t)tmpl_len : 0;
                                if (first && !nb)
                                        nb = 1;
                                if (nb > (SOURCE_END - off) / tmpl_records) /* no offset >= end */
                                        nb = (SOURCE_END - off) / tmpl_records;
                                first = 0;
                                left -= nb * (int64_t)tmpl_len;
                        }
                        w32(w, part);
                        w16(w, err);
                        w64(w, err == 3 ? -1 : SOURCE_END); /* high_watermark */
                        w64(w, err == 3 ? -1 : SOURCE_END); /* last_stable_offset */
                        if (ver >= 5)
                                w64(w, 0); /* log_start_offset */
                        w32(w, 0);         /* aborted_transactions: [] */
                        if (ver >= 11)
                                w32(w, -1); /* preferred_read_replica */
                        w32(w, (int32_t)(nb * (int64_t)tmpl_len));
                        if (m->n + (size_t)nb > m->cap) {
                                m->cap = (m->n + (size_t)nb) * 2;
                                m->at = realloc(m->at, m->cap * sizeof(*m->at));
                                if (!m->at) {
                                        logf_("out of memory");
                                        _exit(3);
                                }
                        }
                        for (int64_t k = 0; k < nb; k++) {
                                w64(w, off + k * tmpl_records); /* baseOffset */
                                m->at[m->n++] = w->len;
                        }
                        atomic_fetch_add_explicit(&records_sent, nb * tmpl_records, memory_order_relaxed);
                        atomic_fetch_add_explicit(&record_bytes_sent, nb * (int64_t)tmpl_len,
                                                  memory_order_relaxed);
                }
        }
        /* Nothing to send (all at the end): wait as a broker would, not a busy loop. */
        if (!m->n && max_wait > 0)
                usleep((useconds_t)(max_wait < 10000 ? max_wait : 10000) * 1000);
        return 0; /* forgotten_topics_data, rack_id: ignored */
}

static int list_offsets(struct rd *r, struct wr *w, int16_t ver) {
        r32(r); /* replica_id */
        if (ver >= 2) {
                r8(r);     /* isolation_level */
                w32(w, 0); /* throttle_time_ms */
        }
        int32_t nt = r32(r);
        if (r->bad || nt < 0)
                return -1;
        w32(w, nt);
        for (int32_t i = 0; i < nt; i++) {
                int32_t np = echo_topic(r, w);
                if (np < 0)
                        return -1;
                for (int32_t j = 0; j < np; j++) {
                        int32_t part = r32(r);
                        if (ver >= 4)
                                r32(r); /* current_leader_epoch */
                        int64_t ts = r64(r);
                        if (r->bad)
                                return -1;
                        int bad = part < 0 || part >= npartitions;
                        w32(w, part);
                        w16(w, bad ? 3 : 0);
                        w64(w, -1); /* timestamp */
                        w64(w, bad ? -1 : ts == -1 ? SOURCE_END : 0);
                        if (ver >= 4)
                                w32(w, -1); /* leader_epoch */
                }
        }
        return 0;
}

static int writev_full(int fd, struct iovec *iov, size_t n) {
        while (n) {
                ssize_t r = writev(fd, iov, n > IOV_MAX ? IOV_MAX : (int)n);
                if (r < 0) {
                        if (errno == EINTR)
                                continue;
                        return -1;
                }
                for (; n && (size_t)r >= iov->iov_len; iov++, n--)
                        r -= (ssize_t)iov->iov_len;
                if (n) {
                        iov->iov_base = (char *)iov->iov_base + r;
                        iov->iov_len -= (size_t)r;
                }
        }
        return 0;
}
