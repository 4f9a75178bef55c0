#ifndef PREDICT_THE_SEGMENT_CGD_SHIM_H
#define PREDICT_THE_SEGMENT_CGD_SHIM_H
#include <gd.h>
#include <gdfontl.h>
#include <gdfonts.h>

/* libgd's function-like macros do not reach Swift; re-export them as inline functions. */
static inline int shim_gdTrueColorAlpha(int r, int g, int b, int a) { return gdTrueColorAlpha(r, g, b, a); }
static inline int shim_gdTrueColor(int r, int g, int b) { return gdTrueColor(r, g, b); }
static inline int shim_gdImageSX(gdImagePtr im) { return gdImageSX(im); }
static inline int shim_gdImageSY(gdImagePtr im) { return gdImageSY(im); }
static inline int shim_gdTrueColorGetRed(int c) { return gdTrueColorGetRed(c); }
static inline int shim_gdTrueColorGetGreen(int c) { return gdTrueColorGetGreen(c); }
static inline int shim_gdTrueColorGetBlue(int c) { return gdTrueColorGetBlue(c); }
static inline int shim_gdTrueColorGetAlpha(int c) { return gdTrueColorGetAlpha(c); }
#endif
