/* Kafka wire reading and writing for the sink/source broker (tests/bench/sink.c):
 * bounds-checked big-endian readers over a request, a growable response writer.
 * Header-only (static functions): sink.c is built as one translation unit. */
#pragma once
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void logf_(const char *fmt, ...);

/* ---- reading ---- */

struct rd {
        const unsigned char *p, *end;
        int bad;
};

static int need(struct rd *r, size_t n) {
        if (r->bad || (size_t)(r->end - r->p) < n) {
                r->bad = 1;
                return 0;
        }
        return 1;
}
static int8_t r8(struct rd *r) {
        if (!need(r, 1))
                return 0;
        return (int8_t)*r->p++;
}
static int16_t r16(struct rd *r) {
        if (!need(r, 2))
                return 0;
        int16_t v = (int16_t)((r->p[0] << 8) | r->p[1]);
        r->p += 2;
        return v;
}
static uint32_t be32(const unsigned char *p) {
        return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}
static int32_t r32(struct rd *r) {
        if (!need(r, 4))
                return 0;
        int32_t v = (int32_t)be32(r->p);
        r->p += 4;
        return v;
}
static uint64_t ruvarint(struct rd *r) {
        uint64_t v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
                if (!need(r, 1))
                        return 0;
                unsigned char b = *r->p++;
                v |= (uint64_t)(b & 0x7f) << shift;
                if (!(b & 0x80))
                        return v;
        }
        r->bad = 1;
        return 0;
}
/* STRING / NULLABLE_STRING (int16 length); *len = -1 for null. */
static const char *rstr(struct rd *r, int *len) {
        int16_t n = r16(r);
        *len = n;
        if (n < 0)
                return NULL;
        if (!need(r, (size_t)n))
                return NULL;
        const char *s = (const char *)r->p;
        r->p += n;
        return s;
}
static int64_t r64(struct rd *r) {
        uint64_t hi = (uint32_t)r32(r);
        return (int64_t)((hi << 32) | (uint32_t)r32(r));
}
static void rskip(struct rd *r, size_t n) {
        if (need(r, n))
                r->p += n;
}
static void rskip_tags(struct rd *r) {
        uint64_t n = ruvarint(r);
        for (uint64_t i = 0; i < n && !r->bad; i++) {
                ruvarint(r);
                rskip(r, ruvarint(r));
        }
}

/* ---- writing ---- */

struct wr {
        unsigned char *b;
        size_t len, cap;
};

static void wgrow(struct wr *w, size_t n) {
        if (w->len + n <= w->cap)
                return;
        size_t cap = w->cap ? w->cap : 4096;
        while (cap < w->len + n)
                cap *= 2;
        w->b = realloc(w->b, cap);
        if (!w->b) {
                logf_("out of memory");
                _exit(3);
        }
        w->cap = cap;
}
static void w8(struct wr *w, int8_t v) {
        wgrow(w, 1);
        w->b[w->len++] = (unsigned char)v;
}
static void w16(struct wr *w, int16_t v) {
        wgrow(w, 2);
        w->b[w->len++] = (unsigned char)((uint16_t)v >> 8);
        w->b[w->len++] = (unsigned char)v;
}
static void w32(struct wr *w, int32_t v) {
        wgrow(w, 4);
        uint32_t u = (uint32_t)v;
        w->b[w->len++] = (unsigned char)(u >> 24);
        w->b[w->len++] = (unsigned char)(u >> 16);
        w->b[w->len++] = (unsigned char)(u >> 8);
        w->b[w->len++] = (unsigned char)u;
}
static void w64(struct wr *w, int64_t v) {
        w32(w, (int32_t)((uint64_t)v >> 32));
        w32(w, (int32_t)(uint32_t)v);
}
static void wuvarint(struct wr *w, uint64_t v) {
        while (v >= 0x80) {
                w8(w, (int8_t)((v & 0x7f) | 0x80));
                v >>= 7;
        }
        w8(w, (int8_t)v);
}
static void wstr(struct wr *w, const char *s, int len) { /* len -1: null */
        w16(w, (int16_t)len);
        if (len > 0) {
                wgrow(w, (size_t)len);
                memcpy(w->b + w->len, s, (size_t)len);
                w->len += (size_t)len;
        }
}
static void wput32(struct wr *w, size_t at, int32_t v) {
        uint32_t u = (uint32_t)v;
        w->b[at] = (unsigned char)(u >> 24);
        w->b[at + 1] = (unsigned char)(u >> 16);
        w->b[at + 2] = (unsigned char)(u >> 8);
        w->b[at + 3] = (unsigned char)u;
}
