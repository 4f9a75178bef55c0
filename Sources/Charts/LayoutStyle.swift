#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

/// Font sizes and spacing used by the layout (logical pixels).
struct LayoutStyle: Sendable {
    var padding: Double
    var titleFont: FontSpec
    var subtitleFont: FontSpec
    var axisTitleFont: FontSpec
    var tickFont: FontSpec
    var legendFont: FontSpec
    var valueFont: FontSpec
    var annotationFont: FontSpec
    var tickLength: Double = 4
    var labelGap: Double = 4

    static let standard = LayoutStyle(
        padding: 14, titleFont: FontSpec(size: 18, weight: .bold), subtitleFont: FontSpec(size: 13.5),
        axisTitleFont: FontSpec(size: 13), tickFont: FontSpec(size: 12), legendFont: FontSpec(size: 12.5),
        valueFont: FontSpec(size: 11.5), annotationFont: FontSpec(size: 12.5, weight: .bold))

    static let panel = LayoutStyle(
        padding: 8, titleFont: FontSpec(size: 14, weight: .bold), subtitleFont: FontSpec(size: 12),
        axisTitleFont: FontSpec(size: 12), tickFont: FontSpec(size: 11), legendFont: FontSpec(size: 11.5),
        valueFont: FontSpec(size: 10.5), annotationFont: FontSpec(size: 11.5, weight: .bold))
}

/// Text placement helpers shared by the chart and grid layouts.
final class TextKit: @unchecked Sendable {
    let measurer: any TextMeasurer
    private var cache: [String: TextExtent] = [:]
    init(measurer: any TextMeasurer) { self.measurer = measurer }

    func measure(_ text: String, _ font: FontSpec) -> TextExtent {
        let key = "\(font.size)|\(font.weight == .bold ? 1 : 0)|\(text)"
        if let e = cache[key] { return e }
        let e = measurer.measure(text, font: font)
        cache[key] = e
        return e
    }

    /// A text command whose anchor point (`horizontal` 0 left … 1 right, `vertical`) sits at `anchor`,
    /// rotated counter-clockwise by `angle` about that anchor.
    func place(_ text: String, font: FontSpec, color: Color, at anchor: Point, horizontal: Double,
               vertical: VerticalAlignment, angle: Double = 0) -> TextCommand {
        let e = measure(text, font)
        let localX = horizontal * e.width
        let localY: Double
        switch vertical {
        case .top: localY = -e.ascent
        case .middle: localY = -(e.ascent - e.descent) / 2
        case .baseline: localY = 0
        case .bottom: localY = e.descent
        }
        let c = cos(angle), s = sin(angle)
        func rotate(_ u: Double, _ v: Double) -> Point { Point(u * c + v * s, -u * s + v * c) }
        let shift = rotate(localX, localY)
        let origin = Point(anchor.x - shift.x, anchor.y - shift.y)
        let corners = [rotate(0, -e.ascent), rotate(e.width, -e.ascent), rotate(e.width, e.descent), rotate(0, e.descent)]
        let xs = corners.map { $0.x + origin.x }, ys = corners.map { $0.y + origin.y }
        let bounds = Rect(x: xs.min() ?? 0, y: ys.min() ?? 0, width: (xs.max() ?? 0) - (xs.min() ?? 0), height: (ys.max() ?? 0) - (ys.min() ?? 0))
        return TextCommand(text: text, origin: origin, angle: angle, font: font, color: color, bounds: bounds)
    }

    /// `text` shortened with "…" to fit `maxWidth`.
    func truncate(_ text: String, font: FontSpec, maxWidth: Double) -> String {
        if measure(text, font).width <= maxWidth { return text }
        let chars = Array(text)
        var lo = 0, hi = chars.count
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            let candidate = String(chars[0..<mid]).trimmingTrailingSpaces + "…"
            if measure(candidate, font).width <= maxWidth { lo = mid } else { hi = mid - 1 }
        }
        return lo == 0 ? "…" : String(chars[0..<lo]).trimmingTrailingSpaces + "…"
    }

    /// `text` broken into at most `maxLines` lines no wider than `maxWidth` (the last one truncated).
    func wrap(_ text: String, font: FontSpec, maxWidth: Double, maxLines: Int) -> [String] {
        if measure(text, font).width <= maxWidth || maxLines <= 1 { return [truncate(text, font: font, maxWidth: maxWidth)] }
        let words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        if maxLines == 2 && words.count > 1 {
            // Balanced: the break that makes the wider of the two lines narrowest.
            var best: (Double, [String])?
            for k in 1..<words.count {
                let first = words[0..<k].joined(separator: " "), second = words[k...].joined(separator: " ")
                let widest = max(measure(first, font).width, measure(second, font).width)
                if best == nil || widest < best!.0 { best = (widest, [first, second]) }
            }
            if let best { return best.1.map { truncate($0, font: font, maxWidth: maxWidth) } }
        }
        var lines: [String] = []
        var current = ""
        var index = 0
        while index < words.count {
            let candidate = current.isEmpty ? words[index] : current + " " + words[index]
            if measure(candidate, font).width <= maxWidth || current.isEmpty {
                current = candidate
                index += 1
            } else {
                lines.append(current)
                current = ""
                if lines.count == maxLines - 1 {
                    current = words[index...].joined(separator: " ")
                    index = words.count
                }
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines.map { truncate($0, font: font, maxWidth: maxWidth) }
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
