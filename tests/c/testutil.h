/* Tiny assertion helpers shared by the C tests.
 *   CHECK(cond, fmt, ...)  counts a pass, or prints the failure with file:line
 *   SKIP(fmt, ...)         prints why a check does not apply here
 *   TEST_DONE()            prints "N passed, M failed" and returns non-zero on failure
 * Tests get the bootstrap servers as argv[1]; run.sh starts the cluster. */
#ifndef KAFKARS_TESTUTIL_H
#define KAFKARS_TESTUTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <time.h>

static int tu_passed, tu_failed;

#define CHECK(cond, ...)                                                       \
        do {                                                                   \
                if (cond) {                                                    \
                        tu_passed++;                                           \
                } else {                                                       \
                        tu_failed++;                                           \
                        fprintf(stdout, "FAIL %s:%d: %s: ", __FILE__,          \
                                __LINE__, #cond);                              \
                        fprintf(stdout, __VA_ARGS__);                          \
                        fputc('\n', stdout);                                   \
                        fflush(stdout);                                        \
                }                                                              \
        } while (0)

#define SKIP(...)                                                              \
        do {                                                                   \
                fprintf(stdout, "SKIP %s:%d: ", __FILE__, __LINE__);           \
                fprintf(stdout, __VA_ARGS__);                                  \
                fputc('\n', stdout);                                           \
        } while (0)

/* Section banner, so a failure can be placed in the output. */
#define SECTION(name)                                                          \
        do {                                                                   \
                fprintf(stdout, "== %s\n", name);                              \
                fflush(stdout);                                                \
        } while (0)

#define TEST_DONE()                                                            \
        do {                                                                   \
                fprintf(stdout, "%d passed, %d failed\n", tu_passed,           \
                        tu_failed);                                            \
                fflush(stdout);                                                \
                return tu_failed ? 1 : 0;                                      \
        } while (0)

static inline int64_t tu_now_ms(void) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

#endif
