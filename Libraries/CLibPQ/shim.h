#ifndef ASYSTA_CLIBPQ_SHIM_H
#define ASYSTA_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
