/* Variadic entry points of the librdkafka API. Stable Rust cannot define C variadic
 * functions, so these collect their arguments and call the Rust implementations. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>

/* Minimal mirrors of the public types (kept in sync with src/capi/types.rs). */
typedef struct rd_kafka_s rd_kafka_t;
typedef struct rd_kafka_topic_s rd_kafka_topic_t;
typedef struct rd_kafka_headers_s rd_kafka_headers_t;
typedef struct rd_kafka_error_s rd_kafka_error_t;
typedef int rd_kafka_resp_err_t;

enum { VT_END, VT_TOPIC, VT_RKT, VT_PARTITION, VT_VALUE, VT_KEY, VT_OPAQUE, VT_MSGFLAGS, VT_TIMESTAMP, VT_HEADER, VT_HEADERS };

typedef struct {
        int vtype;
        union {
                const char *cstr;
                rd_kafka_topic_t *rkt;
                int i;
                int32_t i32;
                int64_t i64;
                struct { void *ptr; size_t size; } mem;
                struct { const char *name; const void *val; ssize_t size; } header;
                rd_kafka_headers_t *headers;
                void *ptr;
                char _pad[64];
        } u;
} vu_t;

extern rd_kafka_error_t *rd_kafka_produceva(rd_kafka_t *rk, const vu_t *vus, size_t cnt);
extern rd_kafka_resp_err_t rd_kafka_error_code(const rd_kafka_error_t *error);
extern void rd_kafka_error_destroy(rd_kafka_error_t *error);
extern rd_kafka_error_t *kafkars_error_new_str(rd_kafka_resp_err_t code, const char *msg);

#define ERR_INVALID_ARG (-186)

rd_kafka_resp_err_t rd_kafka_producev(rd_kafka_t *rk, ...) {
        va_list ap;
        vu_t stackv[32];
        vu_t *vus = stackv;
        size_t cnt = 0, cap = 32;
        rd_kafka_resp_err_t err = 0;
        int vtype;

        va_start(ap, rk);
        while ((vtype = va_arg(ap, int)) != VT_END) {
                if (cnt == cap) {
                        vu_t *n = malloc(sizeof(*n) * cap * 2);
                        if (!n) { err = ERR_INVALID_ARG; break; }
                        for (size_t i = 0; i < cnt; i++) n[i] = vus[i];
                        if (vus != stackv) free(vus);
                        vus = n;
                        cap *= 2;
                }
                vu_t *vu = &vus[cnt++];
                vu->vtype = vtype;
                switch (vtype) {
                case VT_TOPIC: vu->u.cstr = va_arg(ap, const char *); break;
                case VT_RKT: vu->u.rkt = va_arg(ap, rd_kafka_topic_t *); break;
                case VT_PARTITION: vu->u.i32 = va_arg(ap, int32_t); break;
                case VT_VALUE:
                case VT_KEY:
                        vu->u.mem.ptr = va_arg(ap, void *);
                        vu->u.mem.size = va_arg(ap, size_t);
                        break;
                case VT_OPAQUE: vu->u.ptr = va_arg(ap, void *); break;
                case VT_MSGFLAGS: vu->u.i = va_arg(ap, int); break;
                case VT_TIMESTAMP: vu->u.i64 = va_arg(ap, int64_t); break;
                case VT_HEADER:
                        vu->u.header.name = va_arg(ap, const char *);
                        vu->u.header.val = va_arg(ap, const void *);
                        vu->u.header.size = va_arg(ap, ssize_t);
                        break;
                case VT_HEADERS: vu->u.headers = va_arg(ap, rd_kafka_headers_t *); break;
                default:
                        /* Unknown tag: its argument size is unknown, stop here. */
                        err = ERR_INVALID_ARG;
                        break;
                }
                if (err) break;
        }
        va_end(ap);

        if (!err) {
                rd_kafka_error_t *error = rd_kafka_produceva(rk, vus, cnt);
                if (error) {
                        err = rd_kafka_error_code(error);
                        rd_kafka_error_destroy(error);
                }
        }
        if (vus != stackv) free(vus);
        return err;
}

rd_kafka_error_t *rd_kafka_error_new(rd_kafka_resp_err_t code, const char *fmt, ...) {
        if (!fmt) return kafkars_error_new_str(code, NULL);
        va_list ap, ap2;
        va_start(ap, fmt);
        va_copy(ap2, ap);
        int n = vsnprintf(NULL, 0, fmt, ap);
        va_end(ap);
        char *buf = n >= 0 ? malloc((size_t)n + 1) : NULL;
        if (buf) vsnprintf(buf, (size_t)n + 1, fmt, ap2);
        va_end(ap2);
        rd_kafka_error_t *e = kafkars_error_new_str(code, buf ? buf : "");
        free(buf);
        return e;
}

/* Mock cluster fault injection (rdkafka_mock.h). */
typedef struct rd_kafka_mock_cluster_s rd_kafka_mock_cluster_t;
extern void rd_kafka_mock_push_request_errors_array(rd_kafka_mock_cluster_t *mcluster, int16_t ApiKey,
                                                    size_t cnt, const rd_kafka_resp_err_t *errors);
extern rd_kafka_resp_err_t kafkars_mock_broker_push_request_error_rtts_array(
    rd_kafka_mock_cluster_t *mcluster, int32_t broker_id, int16_t ApiKey, size_t cnt,
    const rd_kafka_resp_err_t *errors, const int *rtts);

void rd_kafka_mock_push_request_errors(rd_kafka_mock_cluster_t *mcluster, int16_t ApiKey, size_t cnt, ...) {
        rd_kafka_resp_err_t *errors = calloc(cnt ? cnt : 1, sizeof(*errors));
        va_list ap;
        size_t i;
        if (!errors)
                return;
        va_start(ap, cnt);
        for (i = 0; i < cnt; i++)
                errors[i] = va_arg(ap, rd_kafka_resp_err_t);
        va_end(ap);
        rd_kafka_mock_push_request_errors_array(mcluster, ApiKey, cnt, errors);
        free(errors);
}

rd_kafka_resp_err_t rd_kafka_mock_broker_push_request_error_rtts(rd_kafka_mock_cluster_t *mcluster,
                                                                 int32_t broker_id, int16_t ApiKey,
                                                                 size_t cnt, ...) {
        rd_kafka_resp_err_t *errors = calloc(cnt ? cnt : 1, sizeof(*errors));
        int *rtts = calloc(cnt ? cnt : 1, sizeof(*rtts));
        rd_kafka_resp_err_t err = ERR_INVALID_ARG;
        va_list ap;
        size_t i;
        if (errors && rtts) {
                va_start(ap, cnt);
                for (i = 0; i < cnt; i++) {
                        errors[i] = va_arg(ap, rd_kafka_resp_err_t);
                        rtts[i]   = va_arg(ap, int);
                }
                va_end(ap);
                err = kafkars_mock_broker_push_request_error_rtts_array(mcluster, broker_id, ApiKey, cnt,
                                                                        errors, rtts);
        }
        free(errors);
        free(rtts);
        return err;
}

extern rd_kafka_resp_err_t kafkars_mock_partition_push_request_errors_array(
    rd_kafka_mock_cluster_t *mcluster, const char *topic, int32_t partition, int16_t ApiKey, size_t cnt,
    const rd_kafka_resp_err_t *errors);

rd_kafka_resp_err_t rd_kafka_mock_partition_push_request_errors(rd_kafka_mock_cluster_t *mcluster,
                                                                const char *topic, int32_t partition,
                                                                int16_t ApiKey, size_t cnt, ...) {
        rd_kafka_resp_err_t *errors = calloc(cnt ? cnt : 1, sizeof(*errors));
        rd_kafka_resp_err_t err;
        va_list ap;
        size_t i;
        if (!errors)
                return ERR_INVALID_ARG;
        va_start(ap, cnt);
        for (i = 0; i < cnt; i++)
                errors[i] = va_arg(ap, rd_kafka_resp_err_t);
        va_end(ap);
        err = kafkars_mock_partition_push_request_errors_array(mcluster, topic, partition, ApiKey, cnt, errors);
        free(errors);
        return err;
}
