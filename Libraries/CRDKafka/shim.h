#ifndef ASYSTA_CRDKAFKA_SHIM_H
#define ASYSTA_CRDKAFKA_SHIM_H
#include <librdkafka/rdkafka.h>
#endif
