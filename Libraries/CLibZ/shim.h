#ifndef ASYSTA_CLIBZ_SHIM_H
#define ASYSTA_CLIBZ_SHIM_H
#include <zlib.h>
#endif
