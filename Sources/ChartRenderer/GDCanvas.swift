import CGD
import Charts
import Foundation

/// Replays a `Scene` onto a libgd truecolor image at `scale` device pixels per logical pixel.
/// The image is owned by the canvas and destroyed with it; a canvas must stay on one thread.
final class GDCanvas {
    let image: gdImagePtr
    let scale: Double
    let fonts: ChartFonts
    let pixelWidth: Int32
    let pixelHeight: Int32

    init?(size: Size, scale: Double, background: Color, fonts: ChartFonts) {
        let w = Int32(max(1, (size.width * scale).rounded())), h = Int32(max(1, (size.height * scale).rounded()))
        guard let im = gdImageCreateTrueColor(w, h) else { return nil }
        image = im
        self.scale = scale
        self.fonts = fonts
        pixelWidth = w; pixelHeight = h
        gdImageAlphaBlending(im, 1)
        gdImageSaveAlpha(im, 0)
        shim_fillTrueColor(im, GDCanvas.gdColor(background.withOpacity(1)))
    }

    deinit { gdImageDestroy(image) }

    static func gdColor(_ c: Color) -> Int32 {
        let alpha = Int32((127 - c.opacity * 127).rounded())
        return shim_gdTrueColorAlpha(Int32(c.red), Int32(c.green), Int32(c.blue), min(127, max(0, alpha)))
    }

    @inline(__always) private func px(_ v: Double) -> Int32 {
        let s = (v * scale).rounded()
        return Int32(max(-1_000_000, min(1_000_000, s.isFinite ? s : 0)))
    }

    func draw(_ scene: Scene) {
        for item in scene.items { draw(item.command) }
        gdImageSetClip(image, 0, 0, pixelWidth - 1, pixelHeight - 1)
    }

    func draw(_ command: DrawCommand) {
        switch command {
        case .rect(let r, let fill, let stroke, let lineWidth):
            fillRect(r, fill: fill, stroke: stroke, lineWidth: lineWidth)
        case .polyline(let points, let color, let width, let dash):
            polyline(points, color: color, width: width, dash: dash)
        case .polygon(let points, let fill):
            guard points.count >= 3 else { return }
            gdImageSetThickness(image, 1)   // thick outlines would blend translucent fills twice
            var pts = points.map { gdPoint(x: px($0.x), y: px($0.y)) }
            gdImageFilledPolygon(image, &pts, Int32(pts.count), GDCanvas.gdColor(fill))
        case .circles(let centres, let radius, let fill, let stroke, let lineWidth):
            circles(centres, radius: radius, fill: fill, stroke: stroke, lineWidth: lineWidth)
        case .text(let t):
            drawText(t)
        case .clip(let r):
            if let r {
                gdImageSetClip(image, max(0, px(r.minX)), max(0, px(r.minY)), min(pixelWidth - 1, px(r.maxX)), min(pixelHeight - 1, px(r.maxY)))
            } else {
                gdImageSetClip(image, 0, 0, pixelWidth - 1, pixelHeight - 1)
            }
        }
    }

    private func fillRect(_ r: Rect, fill: Color?, stroke: Color?, lineWidth: Double) {
        let x0 = px(r.minX), y0 = px(r.minY)
        let x1 = max(x0, px(r.maxX) - 1), y1 = max(y0, px(r.maxY) - 1)
        gdImageSetThickness(image, 1)
        if let fill, r.width * scale >= 0.5, r.height * scale >= 0.5, fill.opacity > 0 {
            shim_fillRect(image, x0, y0, x1, y1, GDCanvas.gdColor(fill))
        }
        if let stroke, lineWidth > 0 {
            gdImageSetThickness(image, Int32(max(1, (lineWidth * scale).rounded())))
            gdImageRectangle(image, x0, y0, x1, y1, GDCanvas.gdColor(stroke))
            gdImageSetThickness(image, 1)
        }
    }

    private func polyline(_ points: [Point], color: Color, width: Double, dash: Dash) {
        guard points.count >= 2, points.allSatisfy({ $0.x.isFinite && $0.y.isFinite }), width.isFinite else { return }
        let thickness = Int32(max(1, (width * scale).rounded()))
        gdImageSetThickness(image, thickness)
        // Round-ended segments overlap at the joins, so a translucent multi-segment line would show
        // darker beads there: draw it opaque in the colour it has over the white background instead.
        let flattened = color.opacity < 1 && points.count > 2 ? Color.white.mixed(with: color.withOpacity(1), color.opacity) : color
        let c = GDCanvas.gdColor(flattened)
        halfWidth = max(0.5, width * scale / 2)
        let pattern = dash.pattern.map { $0 * scale }
        let device = points.map { Point($0.x * scale, $0.y * scale) }
        if pattern.isEmpty {
            for i in 1..<device.count { segment(device[i - 1], device[i], colour: c) }
        } else {
            // Walk the polyline, switching the pen on and off along the dash pattern.
            var patternIndex = 0
            var remaining = pattern[0]
            var on = true
            for i in 1..<device.count {
                var a = device[i - 1]
                let b = device[i]
                var length = hypot(b.x - a.x, b.y - a.y)
                guard length > 0 else { continue }
                let ux = (b.x - a.x) / length, uy = (b.y - a.y) / length
                while length > 0 {
                    let stepLength = min(remaining, length)
                    let next = Point(a.x + ux * stepLength, a.y + uy * stepLength)
                    if on { segment(a, next, colour: c) }
                    a = next
                    length -= stepLength
                    remaining -= stepLength
                    if remaining <= 1e-9 {
                        patternIndex = (patternIndex + 1) % pattern.count
                        remaining = pattern[patternIndex]
                        on.toggle()
                    }
                }
            }
        }
        gdImageSetThickness(image, 1)
    }

    private var halfWidth = 1.0

    /// One segment in device pixels: axis-aligned ones crisp (grid lines, axes), others as
    /// anti-aliased capsules (round ends, so polyline joins are smooth).
    private func segment(_ a: Point, _ b: Point, colour: Int32) {
        let x0 = Int32(a.x.rounded()), y0 = Int32(a.y.rounded()), x1 = Int32(b.x.rounded()), y1 = Int32(b.y.rounded())
        if (x0 == x1 || y0 == y1) && abs(a.x - b.x) + abs(a.y - b.y) > 2 * halfWidth {
            gdImageLine(image, x0, y0, x1, y1, colour)
        } else {
            shim_aaSegment(image, a.x, a.y, b.x, b.y, halfWidth, colour)
        }
    }

    private func circles(_ centres: [Point], radius: Double, fill: Color?, stroke: Color?, lineWidth: Double) {
        gdImageSetThickness(image, 1)
        let r = radius.isFinite ? min(1000, max(0.5, radius * scale)) : 0.5
        if let stroke, lineWidth > 0 {
            // A ring: the stroke colour as a larger disc, then the fill on top.
            let sc = GDCanvas.gdColor(stroke)
            for p in centres where p.x.isFinite && p.y.isFinite { shim_aaDisc(image, p.x * scale, p.y * scale, r + lineWidth * scale, sc) }
        }
        if let fill, fill.opacity > 0 {
            let fc = GDCanvas.gdColor(fill)
            for p in centres where p.x.isFinite && p.y.isFinite { shim_aaDisc(image, p.x * scale, p.y * scale, r, fc) }
        }
    }

    private func drawText(_ t: TextCommand) {
        guard !t.text.isEmpty, t.origin.x.isFinite, t.origin.y.isFinite, t.angle.isFinite else { return }
        let colour = GDCanvas.gdColor(t.color)
        if let path = fonts.path(for: t.font.weight) {
            var brect = [Int32](repeating: 0, count: 8)
            _ = shim_gdImageStringFT(image, &brect, colour, path, ChartFonts.points(t.font, scale: scale), t.angle,
                                     px(t.origin.x), px(t.origin.y), t.text)
        } else {
            let f = BuiltInFont.pick(t.font, scale: scale)
            let h = Double(shim_gdFontHeight(f))
            // Bitmap fonts draw from their top-left corner; only horizontal and vertical text exist.
            if abs(t.angle) < 0.01 {
                shim_gdImageString(image, f, px(t.origin.x), Int32((t.origin.y * scale - h * 0.8).rounded()), latin1(t.text), colour)
            } else {
                shim_gdImageStringUp(image, f, Int32((t.bounds.minX * scale).rounded()), px(t.bounds.maxY), latin1(t.text), colour)
            }
        }
    }

    /// Built-in fonts only have Latin-1 glyphs.
    private func latin1(_ s: String) -> String {
        String(s.unicodeScalars.map { $0.value < 128 ? Character($0) : Character("?") })
    }
}
