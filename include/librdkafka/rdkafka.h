/* Compatibility header: code written for librdkafka includes <librdkafka/rdkafka.h>. */
#include "../kafkars.h"
