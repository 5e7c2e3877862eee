/* Compatibility header: code written for librdkafka includes <librdkafka/rdkafka_mock.h>
 * for the mock cluster API, which kafkars declares in kafkars.h. */
#include "../kafkars.h"
