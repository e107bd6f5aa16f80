#ifndef ASYSTA_CZLIB_SHIM_H
#define ASYSTA_CZLIB_SHIM_H
#include <zlib.h>
#endif
