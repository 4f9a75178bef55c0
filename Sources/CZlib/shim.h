#ifndef PREDICT_THE_SEGMENT_CZLIB_SHIM_H
#define PREDICT_THE_SEGMENT_CZLIB_SHIM_H
#include <zlib.h>
/* inflateInit2 is a macro; expose it as a function. */
static inline int shim_inflateInit2(z_streamp strm, int windowBits) { return inflateInit2(strm, windowBits); }
static inline int shim_deflateInit2(z_streamp strm, int level, int method, int windowBits, int memLevel, int strategy) {
    return deflateInit2(strm, level, method, windowBits, memLevel, strategy);
}
#endif
