import CGD
import Charts
import Foundation

/// The TrueType fonts used for chart text (DejaVu Sans), found once per process; nil paths mean
/// libgd's built-in bitmap font is used instead (a warning is printed once on stderr).
public struct ChartFonts: Sendable {
    public let regularPath: String?
    public let boldPath: String?
    /// Em height ÷ font size and depth ÷ font size of the regular font's line (for consistent text boxes).
    let ascentRatio: Double
    let descentRatio: Double

    /// The process-wide fonts. Resolving them also calls `gdFontCacheSetup()` once, which libgd needs
    /// before text is drawn from several threads.
    public static let shared: ChartFonts = ChartFonts.locate()

    /// Folders searched for `DejaVuSans.ttf` before asking fontconfig.
    static let searchFolders = [
        "/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/TTF", "/usr/share/fonts/dejavu",
        "/usr/share/fonts/truetype", "/usr/local/share/fonts", "/usr/share/fonts/dejavu-sans-fonts",
        "/Library/Fonts", "/opt/homebrew/share/fonts",
    ]

    static func locate() -> ChartFonts {
        _ = gdFontCacheSetup()
        let fm = FileManager.default
        var regular: String?, bold: String?
        for folder in searchFolders {
            let r = folder + "/DejaVuSans.ttf", b = folder + "/DejaVuSans-Bold.ttf"
            if fm.isReadableFile(atPath: r) { regular = r; bold = fm.isReadableFile(atPath: b) ? b : r; break }
        }
        if regular == nil {
            regular = fontconfigMatch("DejaVu Sans")
            bold = fontconfigMatch("DejaVu Sans:bold") ?? regular
        }
        if let path = regular {
            var brect = [Int32](repeating: 0, count: 8)
            let error = shim_gdImageStringFT(nil, &brect, 0, path, 75, 0, 0, 0, "ÅÉgjpqy|")
            if error == nil {
                return ChartFonts(regularPath: path, boldPath: bold, ascentRatio: Double(-brect[5]) / 100, descentRatio: Double(brect[1]) / 100)
            }
            FileHandle.standardError.write(Data("charts: cannot use font \(path) (\(String(cString: error!))); falling back to libgd's built-in font\n".utf8))
        } else {
            FileHandle.standardError.write(Data("charts: no TrueType font found (looked for DejaVuSans.ttf); falling back to libgd's built-in font\n".utf8))
        }
        return ChartFonts(regularPath: nil, boldPath: nil, ascentRatio: 0.8, descentRatio: 0.2)
    }

    /// Asks fontconfig's `fc-match` for a font file; nil when fontconfig is absent.
    static func fontconfigMatch(_ pattern: String) -> String? {
        for tool in ["/usr/bin/fc-match", "/usr/local/bin/fc-match", "/opt/homebrew/bin/fc-match"] where FileManager.default.isExecutableFile(atPath: tool) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: tool)
            process.arguments = ["-f", "%{file}", pattern]
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = FileHandle.nullDevice
            do { try process.run() } catch { return nil }
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0, let path = String(data: data, encoding: .utf8), path.hasSuffix(".ttf") || path.hasSuffix(".otf"),
                  FileManager.default.isReadableFile(atPath: path) else { return nil }
            return path
        }
        return nil
    }

    var hasTrueType: Bool { regularPath != nil }

    func path(for weight: FontWeight) -> String? { weight == .bold ? boldPath : regularPath }

    /// libgd point size for a font size in logical pixels at `scale` (libgd renders at 96 dpi).
    static func points(_ font: FontSpec, scale: Double) -> Double { font.size * scale * 0.75 }
}

/// Measures text with FreeType through libgd (`gdImageStringFT` with no image), at the drawing scale
/// so hinting matches what is drawn; results are in logical pixels.
public struct FreeTypeTextMeasurer: TextMeasurer {
    public let scale: Double
    let fonts: ChartFonts

    public init(scale: Double = ChartRenderer.defaultScale) {
        self.scale = scale
        self.fonts = ChartFonts.shared
    }

    public func measure(_ text: String, font: FontSpec) -> TextExtent {
        guard let path = fonts.path(for: font.weight) else {
            // Built-in font: fixed advance per character.
            let f = BuiltInFont.pick(font, scale: scale)
            return TextExtent(width: Double(text.unicodeScalars.count * Int(shim_gdFontWidth(f))) / scale,
                              ascent: Double(shim_gdFontHeight(f)) * 0.8 / scale, descent: Double(shim_gdFontHeight(f)) * 0.2 / scale)
        }
        let size = font.size
        let ascent = fonts.ascentRatio * size, descent = fonts.descentRatio * size
        if text.isEmpty { return TextExtent(width: 0, ascent: ascent, descent: descent) }
        let key = WidthCache.Key(text: text, size: size, bold: font.weight == .bold, scale: scale)
        if let width = WidthCache.shared.width(key) { return TextExtent(width: width, ascent: ascent, descent: descent) }
        var brect = [Int32](repeating: 0, count: 8)
        let error = shim_gdImageStringFT(nil, &brect, 0, path, ChartFonts.points(font, scale: scale), 0, 0, 0, text)
        let width = error == nil ? Double(brect[2] - brect[0]) / scale : Double(text.count) * size * 0.6
        WidthCache.shared.store(key, width)
        return TextExtent(width: width, ascent: ascent, descent: descent)
    }
}

/// libgd's built-in bitmap fonts, for when no TrueType font exists.
enum BuiltInFont {
    static func pick(_ font: FontSpec, scale: Double) -> gdFontPtr {
        let px = font.size * scale
        if px >= 26 { return gdFontGetGiant() }
        if px >= 20 { return gdFontGetLarge() }
        if font.weight == .bold { return gdFontGetMediumBold() }
        return px >= 14 ? gdFontGetMediumBold() : gdFontGetSmall()
    }
}

/// Process-wide cache of measured text widths (tick labels repeat across charts), safe across threads.
final class WidthCache: @unchecked Sendable {
    struct Key: Hashable {
        var text: String
        var size: Double
        var bold: Bool
        var scale: Double
    }
    static let shared = WidthCache()
    private var widths: [Key: Double] = [:]
    private let lock = NSLock()
    private let capacity = 50_000

    func width(_ key: Key) -> Double? {
        lock.lock(); defer { lock.unlock() }
        return widths[key]
    }

    func store(_ key: Key, _ width: Double) {
        lock.lock(); defer { lock.unlock() }
        if widths.count >= capacity { widths.removeAll(keepingCapacity: true) }
        widths[key] = width
    }
}
