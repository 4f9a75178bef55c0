#ifndef PREDICT_THE_SEGMENT_CGD_SHIM_H
#define PREDICT_THE_SEGMENT_CGD_SHIM_H
#include <gd.h>
#include <gdfontl.h>
#include <gdfonts.h>
#include <gdfontmb.h>
#include <gdfontg.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

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
/* Fills a truecolor image with one colour quickly (first row, then row copies); ignores clipping and blending. */
static inline void shim_fillTrueColor(gdImagePtr im, int color) {
    if (!im->trueColor || im->sy <= 0 || im->sx <= 0) return;
    int *first = im->tpixels[0];
    for (int x = 0; x < im->sx; x++) first[x] = color;
    for (int y = 1; y < im->sy; y++) memcpy(im->tpixels[y], first, sizeof(int) * (size_t)im->sx);
}

static inline void shim_put32(unsigned char *p, unsigned long v) {
    p[0] = (unsigned char)(v >> 24); p[1] = (unsigned char)(v >> 16); p[2] = (unsigned char)(v >> 8); p[3] = (unsigned char)v;
}

/* Encodes a truecolor image as an 8-bit RGB PNG (alpha dropped) with the "Up" row filter and zlib at
   `level`. Much faster than gdImagePngPtr for large, mostly flat charts. Returns a malloc'd buffer
   (release with free) and its size, or NULL when memory or zlib fails. */
static inline unsigned char *shim_encodePNG(gdImagePtr im, int level, int runLengthOnly, int *outSize) {
    if (!im || !im->trueColor || im->sx <= 0 || im->sy <= 0) return NULL;
    const size_t w = (size_t)im->sx, h = (size_t)im->sy, stride = 1 + 3 * w;
    unsigned char *raw = (unsigned char *)malloc(stride * h);
    unsigned char *previous = (unsigned char *)calloc(3 * w, 1);
    unsigned char *current = (unsigned char *)malloc(3 * w);
    if (!raw || !previous || !current) { free(raw); free(previous); free(current); return NULL; }
    for (size_t y = 0; y < h; y++) {
        const int *row = im->tpixels[y];
        for (size_t x = 0; x < w; x++) {
            int c = row[x];
            current[3 * x] = (unsigned char)((c >> 16) & 0xFF);
            current[3 * x + 1] = (unsigned char)((c >> 8) & 0xFF);
            current[3 * x + 2] = (unsigned char)(c & 0xFF);
        }
        unsigned char *out = raw + y * stride;
        out[0] = 2; /* Up */
        for (size_t i = 0; i < 3 * w; i++) out[1 + i] = (unsigned char)(current[i] - previous[i]);
        unsigned char *t = previous; previous = current; current = t;
    }
    free(previous); free(current);
    uLong bound = compressBound((uLong)(stride * h));
    size_t headerSize = 8 + 25, total = headerSize + 12 + bound + 12;
    unsigned char *png = (unsigned char *)malloc(total);
    if (!png) { free(raw); return NULL; }
    static const unsigned char signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    memcpy(png, signature, 8);
    unsigned char *ihdr = png + 8;
    shim_put32(ihdr, 13); memcpy(ihdr + 4, "IHDR", 4);
    shim_put32(ihdr + 8, (unsigned long)w); shim_put32(ihdr + 12, (unsigned long)h);
    ihdr[16] = 8; ihdr[17] = 2; ihdr[18] = 0; ihdr[19] = 0; ihdr[20] = 0;
    shim_put32(ihdr + 21, crc32(crc32(0L, Z_NULL, 0), ihdr + 4, 17));
    unsigned char *idat = png + headerSize;
    z_stream zs; memset(&zs, 0, sizeof zs);
    if (deflateInit2(&zs, level, Z_DEFLATED, 15, 8, runLengthOnly ? Z_RLE : Z_DEFAULT_STRATEGY) != Z_OK) { free(raw); free(png); return NULL; }
    zs.next_in = raw; zs.avail_in = (uInt)(stride * h);
    zs.next_out = idat + 8; zs.avail_out = (uInt)bound;
    int status = deflate(&zs, Z_FINISH);
    uLong compressed = zs.total_out;
    deflateEnd(&zs);
    free(raw);
    if (status != Z_STREAM_END) { free(png); return NULL; }
    shim_put32(idat, compressed); memcpy(idat + 4, "IDAT", 4);
    shim_put32(idat + 8 + compressed, crc32(crc32(0L, Z_NULL, 0), idat + 4, (uInt)(compressed + 4)));
    unsigned char *iend = idat + 12 + compressed;
    shim_put32(iend, 0); memcpy(iend + 4, "IEND", 4);
    shim_put32(iend + 8, crc32(crc32(0L, Z_NULL, 0), iend + 4, 4));
    *outSize = (int)(iend + 12 - png);
    return png;
}
#endif
