import CGD
import Charts
import Core
import Foundation

/// An error while rendering or writing a chart, naming the file.
public struct ChartRenderError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// How PNG bytes are produced from the drawn image.
public enum PNGEncoder: Sendable, Hashable {
    /// libgd's `gdImagePngPtrEx` (libpng with adaptive filters), freed with `gdFree`.
    case libgd
    /// A direct encoder (RGB, "Up" row filter, zlib): several times faster on large flat charts.
    case direct
}

/// A chart and where to write it, for `ChartRenderer.writeAll`.
public struct ChartJob: Sendable {
    public var figure: any ChartFigure
    public var url: URL
    public init(_ figure: any ChartFigure, to url: URL) { self.figure = figure; self.url = url }
}

/// Draws charts through libgd and writes PNG files.
///
/// ```swift
/// try ChartRenderer.write(Chart.rocCurves(curves), to: dir.appendingPathComponent("roc.png"))
/// try ChartRenderer.writeAll([ChartJob(a, to: u1), ChartJob(b, to: u2)])   // both cores
/// ```
public enum ChartRenderer {
    /// Device pixels per logical pixel: 2 gives a 1920 × 1080 PNG for a 960 × 540 chart (sharp on high-density screens).
    public static let defaultScale = 2.0
    /// zlib level for PNG (1 fast … 9 small). 1 costs a third less CPU than 6 for PNGs about 30 % larger.
    public static let defaultCompression: Int32 = 1
    /// The default PNG encoder. Kept over libgd's (issue 12): `chart-gallery --benchmark 50 --encoder libgd|direct`
    /// measured 47.2 vs 19.4 ms per chart serially (+1.4 s CPU for a 50-chart run), same decoded pixels.
    public static let defaultEncoder = PNGEncoder.direct

    /// Lays a figure out with FreeType text measurement (what will be drawn, as commands).
    public static func scene(_ figure: any ChartFigure, scale: Double = defaultScale) -> Scene {
        figure.scene(measurer: FreeTypeTextMeasurer(scale: scale))
    }

    /// Renders a figure to PNG bytes.
    public static func pngData(_ figure: any ChartFigure, scale: Double = defaultScale, compression: Int32 = defaultCompression,
                               encoder: PNGEncoder = defaultEncoder) throws -> [UInt8] {
        guard scale > 0, scale <= 8, scale.isFinite else { throw ChartRenderError("chart scale must be in 0…8, got \(scale)") }
        guard figure.size.width >= 10, figure.size.height >= 10, figure.size.width * scale <= 20000, figure.size.height * scale <= 20000 else {
            throw ChartRenderError("chart size \(figure.size.width)×\(figure.size.height) at scale \(scale) is out of range")
        }
        let fonts = ChartFonts.shared
        let scene = figure.scene(measurer: FreeTypeTextMeasurer(scale: scale))
        guard let canvas = GDCanvas(size: scene.size, scale: scale, background: scene.background, fonts: fonts) else {
            throw ChartRenderError("libgd could not create a \(scene.size.width * scale)×\(scene.size.height * scale) image")
        }
        canvas.draw(scene)
        var size: Int32 = 0
        switch encoder {
        case .libgd:
            guard let pointer = gdImagePngPtrEx(canvas.image, &size, compression), size > 0 else {
                throw ChartRenderError("libgd could not encode the chart as PNG")
            }
            defer { gdFree(pointer) }
            return Array(UnsafeRawBufferPointer(start: pointer, count: Int(size)))
        case .direct:
            guard let pointer = shim_encodePNG(canvas.image, compression, 0, &size), size > 0 else {
                throw ChartRenderError("could not encode the chart as PNG (out of memory?)")
            }
            defer { free(pointer) }
            return Array(UnsafeRawBufferPointer(start: pointer, count: Int(size)))
        }
    }

    /// Renders a figure and writes it as PNG to `url` atomically (a temporary file in the same folder, then rename).
    /// Creates the folder if needed.
    public static func write(_ figure: any ChartFigure, to url: URL, scale: Double = defaultScale) throws {
        let bytes = try pngData(figure, scale: scale)
        try writeAtomically(bytes, to: url)
    }

    /// Renders and writes many figures concurrently on all cores. Every job is attempted; the first
    /// error (in job order) is thrown afterwards.
    public static func writeAll(_ jobs: [ChartJob], scale: Double = defaultScale) throws {
        _ = ChartFonts.shared   // gdFontCacheSetup() before any thread draws text
        let errors = parallelMap(count: jobs.count) { i -> (any Error)? in
            do { try write(jobs[i].figure, to: jobs[i].url, scale: scale); return nil } catch { return error }
        }
        if let first = errors.lazy.compactMap({ $0 }).first { throw first }
    }

    /// Whether text is drawn with a TrueType font (false: libgd's built-in bitmap font).
    public static var usesTrueTypeFont: Bool { ChartFonts.shared.hasTrueType }

    /// Writes PNG bytes through Core's `AtomicFile` (temporary file in the same folder, then rename).
    static func writeAtomically(_ bytes: [UInt8], to url: URL) throws {
        do {
            try AtomicFile.write(Data(bytes), to: url)
        } catch {
            throw ChartRenderError("cannot write chart \(url.path): \(error.localizedDescription)")
        }
    }
}
