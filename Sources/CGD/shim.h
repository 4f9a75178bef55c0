#ifndef PREDICT_THE_SEGMENT_CGD_SHIM_H
#define PREDICT_THE_SEGMENT_CGD_SHIM_H
#include <gd.h>
#include <gdfontl.h>
#include <gdfonts.h>
#include <gdfontmb.h>
#include <gdfontg.h>

/* libgd's function-like macros do not reach Swift; re-export them as inline functions. */
static inline int shim_gdTrueColorAlpha(int r, int g, int b, int a) { return gdTrueColorAlpha(r, g, b, a); }
static inline int shim_gdTrueColor(int r, int g, int b) { return gdTrueColor(r, g, b); }
static inline int shim_gdImageSX(gdImagePtr im) { return gdImageSX(im); }
static inline int shim_gdImageSY(gdImagePtr im) { return gdImageSY(im); }
static inline int shim_gdTrueColorGetRed(int c) { return gdTrueColorGetRed(c); }
static inline int shim_gdTrueColorGetGreen(int c) { return gdTrueColorGetGreen(c); }
static inline int shim_gdTrueColorGetBlue(int c) { return gdTrueColorGetBlue(c); }
static inline int shim_gdTrueColorGetAlpha(int c) { return gdTrueColorGetAlpha(c); }

/* gdImageStringFT takes non-const strings; this wrapper takes const ones (it does not modify them).
   Returns NULL on success or libgd's static error message. With im == NULL it only measures. */
static inline const char *shim_gdImageStringFT(gdImagePtr im, int *brect, int fg, const char *fontPath,
                                               double points, double angle, int x, int y, const char *text) {
    return gdImageStringFT(im, brect, fg, (char *)fontPath, points, angle, x, y, (char *)text);
}

/* Built-in bitmap fonts (fallback when no TrueType font is found). */
static inline int shim_gdFontWidth(gdFontPtr f) { return f->w; }
static inline int shim_gdFontHeight(gdFontPtr f) { return f->h; }
static inline void shim_gdImageString(gdImagePtr im, gdFontPtr f, int x, int y, const char *s, int color) {
    gdImageString(im, f, x, y, (unsigned char *)s, color);
}
static inline void shim_gdImageStringUp(gdImagePtr im, gdFontPtr f, int x, int y, const char *s, int color) {
    gdImageStringUp(im, f, x, y, (unsigned char *)s, color);
}
#endif
