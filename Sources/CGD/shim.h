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
#include <math.h>

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

/* Fills [x0, x1] × [y0, y1] (inclusive) inside the clip rectangle, blending like libgd when alpha
   blending is on, but without a function call per pixel for opaque colours. */
static inline void shim_fillRect(gdImagePtr im, int x0, int y0, int x1, int y1, int color) {
    if (!im->trueColor) { gdImageFilledRectangle(im, x0, y0, x1, y1, color); return; }
    if (x0 > x1) { int t = x0; x0 = x1; x1 = t; }
    if (y0 > y1) { int t = y0; y0 = y1; y1 = t; }
    if (x0 < im->cx1) x0 = im->cx1;
    if (y0 < im->cy1) y0 = im->cy1;
    if (x1 > im->cx2) x1 = im->cx2;
    if (y1 > im->cy2) y1 = im->cy2;
    if (x0 > x1 || y0 > y1) return;
    int alpha = (color >> 24) & 0x7F;
    if (alpha == gdAlphaTransparent && im->alphaBlendingFlag) return;
    for (int y = y0; y <= y1; y++) {
        int *row = im->tpixels[y];
        if (alpha == gdAlphaOpaque || !im->alphaBlendingFlag) {
            for (int x = x0; x <= x1; x++) row[x] = color;
        } else {
            for (int x = x0; x <= x1; x++) row[x] = gdAlphaBlend(row[x], color);
        }
    }
}


/* Blends `color` (libgd truecolor with alpha) over pixel (x, y) with extra coverage 0…1; assumes an opaque canvas. */
static inline void shim_blendPixel(gdImagePtr im, int x, int y, int color, double coverage) {
    if (x < im->cx1 || x > im->cx2 || y < im->cy1 || y > im->cy2 || coverage <= 0) return;
    double opacity = (double)(gdAlphaTransparent - ((color >> 24) & 0x7F)) / gdAlphaTransparent * (coverage > 1 ? 1 : coverage);
    if (opacity <= 0.002) return;
    int dst = im->tpixels[y][x];
    int dr = (dst >> 16) & 0xFF, dg = (dst >> 8) & 0xFF, db = dst & 0xFF;
    int sr = (color >> 16) & 0xFF, sg = (color >> 8) & 0xFF, sb = color & 0xFF;
    int r = (int)(dr + (sr - dr) * opacity + 0.5), g = (int)(dg + (sg - dg) * opacity + 0.5), b = (int)(db + (sb - db) * opacity + 0.5);
    im->tpixels[y][x] = (r << 16) | (g << 8) | b;
}

/* An anti-aliased thick segment with round ends (a capsule of half width `halfWidth`), by exact
   pixel-centre distance; rows are scanned only over the capsule's extent. */
static inline void shim_aaSegment(gdImagePtr im, double ax, double ay, double bx, double by, double halfWidth, int color) {
    if (!im->trueColor) return;
    double dx = bx - ax, dy = by - ay, lengthSquared = dx * dx + dy * dy;
    double reach = halfWidth + 1.0;
    int y0 = (int)floor(fmin(ay, by) - reach), y1 = (int)ceil(fmax(ay, by) + reach);
    if (y0 < im->cy1) y0 = im->cy1;
    if (y1 > im->cy2) y1 = im->cy2;
    for (int y = y0; y <= y1; y++) {
        double xmin = 1e18, xmax = -1e18;
        double ey = y - ay;
        if (fabs(dy) < 1e-9) {
            if (fabs(ey) <= reach) {
                double h = sqrt(reach * reach - ey * ey);
                xmin = fmin(ax, bx) - h; xmax = fmax(ax, bx) + h;
            }
        } else {
            /* Points of the segment whose disc of radius `reach` touches row y. */
            double t0 = (ey - reach) / dy, t1 = (ey + reach) / dy;
            if (t0 > t1) { double t = t0; t0 = t1; t1 = t; }
            if (t0 < 0) t0 = 0;
            if (t1 > 1) t1 = 1;
            if (t0 <= t1) {
                double xa = ax + dx * t0, xb = ax + dx * t1;
                xmin = fmin(xa, xb) - reach; xmax = fmax(xa, xb) + reach;
            }
        }
        if (xmin > xmax) continue;
        int x0 = (int)floor(xmin), x1 = (int)ceil(xmax);
        if (x0 < im->cx1) x0 = im->cx1;
        if (x1 > im->cx2) x1 = im->cx2;
        for (int x = x0; x <= x1; x++) {
            double px = x - ax, py = y - ay;
            double t = lengthSquared > 0 ? (px * dx + py * dy) / lengthSquared : 0;
            if (t < 0) t = 0; else if (t > 1) t = 1;
            double qx = px - t * dx, qy = py - t * dy;
            double coverage = halfWidth + 0.5 - sqrt(qx * qx + qy * qy);
            if (coverage > 0) shim_blendPixel(im, x, y, color, coverage);
        }
    }
}

/* An anti-aliased filled disc. */
static inline void shim_aaDisc(gdImagePtr im, double cx, double cy, double radius, int color) {
    if (!im->trueColor) return;
    int y0 = (int)floor(cy - radius - 1), y1 = (int)ceil(cy + radius + 1);
    int x0 = (int)floor(cx - radius - 1), x1 = (int)ceil(cx + radius + 1);
    if (y0 < im->cy1) y0 = im->cy1;
    if (y1 > im->cy2) y1 = im->cy2;
    if (x0 < im->cx1) x0 = im->cx1;
    if (x1 > im->cx2) x1 = im->cx2;
    for (int y = y0; y <= y1; y++) {
        for (int x = x0; x <= x1; x++) {
            double ddx = x - cx, ddy = y - cy;
            double coverage = radius + 0.5 - sqrt(ddx * ddx + ddy * ddy);
            if (coverage > 0) shim_blendPixel(im, x, y, color, coverage);
        }
    }
}

static inline int shim_growPNG(unsigned char **png, size_t *capacity, z_stream *zs) {
    size_t used = (size_t)(zs->next_out - *png);
    size_t newCapacity = *capacity * 2;
    unsigned char *bigger = (unsigned char *)realloc(*png, newCapacity);
    if (!bigger) return 0;
    *png = bigger;
    *capacity = newCapacity;
    zs->next_out = bigger + used;
    zs->avail_out = (uInt)(newCapacity - used - 12 /* room for the IDAT CRC and IEND */);
    return 1;
}

/* Encodes a truecolor image as an 8-bit RGB PNG (alpha dropped): "Up" row filter, rows streamed into
   zlib at `level` (Z_RLE strategy when runLengthOnly), rows equal to the previous one skip the
   conversion. Much faster than gdImagePngPtr for large, mostly flat charts. Returns a malloc'd buffer
   (release with free) and its size, or NULL when memory or zlib fails. */
static inline unsigned char *shim_encodePNG(gdImagePtr im, int level, int runLengthOnly, int *outSize) {
    if (!im || !im->trueColor || im->sx <= 0 || im->sy <= 0) return NULL;
    const size_t w = (size_t)im->sx, h = (size_t)im->sy, rowBytes = 3 * w;
    unsigned char *line = (unsigned char *)malloc(1 + rowBytes);
    unsigned char *previous = (unsigned char *)calloc(rowBytes, 1);
    unsigned char *current = (unsigned char *)malloc(rowBytes);
    size_t capacity = 65536 + rowBytes;
    unsigned char *png = (unsigned char *)malloc(capacity);
    if (!line || !previous || !current || !png) { free(line); free(previous); free(current); free(png); return NULL; }
    static const unsigned char signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    memcpy(png, signature, 8);
    unsigned char *ihdr = png + 8;
    shim_put32(ihdr, 13); memcpy(ihdr + 4, "IHDR", 4);
    shim_put32(ihdr + 8, (unsigned long)w); shim_put32(ihdr + 12, (unsigned long)h);
    ihdr[16] = 8; ihdr[17] = 2; ihdr[18] = 0; ihdr[19] = 0; ihdr[20] = 0;
    shim_put32(ihdr + 21, crc32(crc32(0L, Z_NULL, 0), ihdr + 4, 17));
    const size_t idatOffset = 8 + 25;
    z_stream zs; memset(&zs, 0, sizeof zs);
    if (deflateInit2(&zs, level, Z_DEFLATED, 15, 8, runLengthOnly ? Z_RLE : Z_DEFAULT_STRATEGY) != Z_OK) {
        free(line); free(previous); free(current); free(png); return NULL;
    }
    zs.next_out = png + idatOffset + 8;
    zs.avail_out = (uInt)(capacity - idatOffset - 8 - 12);
    int ok = 1;
    for (size_t y = 0; y < h && ok; y++) {
        line[0] = 2; /* Up */
        if (y > 0 && memcmp(im->tpixels[y], im->tpixels[y - 1], sizeof(int) * w) == 0) {
            memset(line + 1, 0, rowBytes);
        } else {
            const int *row = im->tpixels[y];
            for (size_t x = 0; x < w; x++) {
                int c = row[x];
                current[3 * x] = (unsigned char)((c >> 16) & 0xFF);
                current[3 * x + 1] = (unsigned char)((c >> 8) & 0xFF);
                current[3 * x + 2] = (unsigned char)(c & 0xFF);
            }
            for (size_t i = 0; i < rowBytes; i++) line[1 + i] = (unsigned char)(current[i] - previous[i]);
            unsigned char *t = previous; previous = current; current = t;
        }
        zs.next_in = line; zs.avail_in = (uInt)(1 + rowBytes);
        while (zs.avail_in > 0 && ok) {
            if (zs.avail_out == 0 && !shim_growPNG(&png, &capacity, &zs)) { ok = 0; break; }
            if (deflate(&zs, Z_NO_FLUSH) == Z_STREAM_ERROR) ok = 0;
        }
    }
    int status = Z_OK;
    while (ok && status != Z_STREAM_END) {
        if (zs.avail_out == 0 && !shim_growPNG(&png, &capacity, &zs)) { ok = 0; break; }
        status = deflate(&zs, Z_FINISH);
        if (status == Z_STREAM_ERROR) ok = 0;
    }
    uLong compressed = zs.total_out;
    deflateEnd(&zs);
    free(line); free(previous); free(current);
    if (!ok) { free(png); return NULL; }
    unsigned char *idat = png + idatOffset;
    shim_put32(idat, compressed); memcpy(idat + 4, "IDAT", 4);
    shim_put32(idat + 8 + compressed, crc32(crc32(0L, Z_NULL, 0), idat + 4, (uInt)(compressed + 4)));
    unsigned char *iend = idat + 12 + compressed;
    shim_put32(iend, 0); memcpy(iend + 4, "IEND", 4);
    shim_put32(iend + 8, crc32(crc32(0L, Z_NULL, 0), iend + 4, 4));
    *outSize = (int)(iend + 12 - png);
    return png;
}
#endif
