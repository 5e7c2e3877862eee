/* What the security suites' C programs (client.c, tls_api.c) share: a monotonic clock
 * for bounded waits and the delivery-report tally (delivered, failed, distinct
 * failure codes). Included once per program: the definitions are static. */
#ifndef KAFKARS_SECURITY_COMMON_H
#define KAFKARS_SECURITY_COMMON_H

#include <stdint.h>
#include <time.h>

#include <librdkafka/rdkafka.h>

#ifndef MAX_CODES
#define MAX_CODES 32
#endif

static int64_t now_ms(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int remaining_ms(int64_t deadline) {
        int64_t left = deadline - now_ms();
        return left < 0 ? 0 : (int)left;
}

static int dr_delivered, dr_failed, dr_codes[MAX_CODES], dr_code_cnt;

static void dr_msg_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) {
        int i;
        (void)rk;
        (void)opaque;
        if (!m->err) {
                dr_delivered++;
                return;
        }
        dr_failed++;
        for (i = 0; i < dr_code_cnt; i++)
                if (dr_codes[i] == m->err)
                        return;
        if (dr_code_cnt < MAX_CODES)
                dr_codes[dr_code_cnt++] = m->err;
}

#endif
