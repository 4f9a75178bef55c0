/// Font weight of chart text.
public enum FontWeight: Sendable, Hashable { case regular, bold }

/// A font request: size in logical pixels (the em height) and weight.
public struct FontSpec: Sendable, Hashable {
    public var size: Double
    public var weight: FontWeight
    public init(size: Double, weight: FontWeight = .regular) { self.size = size; self.weight = weight }
}

/// The measured extent of one line of text, in logical pixels.
public struct TextExtent: Sendable, Hashable {
    public var width: Double
    /// Height above the baseline.
    public var ascent: Double
    /// Depth below the baseline.
    public var descent: Double
    public init(width: Double, ascent: Double, descent: Double) { self.width = width; self.ascent = ascent; self.descent = descent }
    public var height: Double { ascent + descent }
}

/// Measures text so the layout can size margins; FreeType in `ChartRenderer`, an approximation for tests.
public protocol TextMeasurer: Sendable {
    func measure(_ text: String, font: FontSpec) -> TextExtent
}

/// Approximate metrics of DejaVu Sans (advance widths per character class), for tests and for laying
/// out without a font. Ascent and descent are the font's line metrics, so every string is equally tall.
public struct ApproximateTextMeasurer: TextMeasurer {
    public init() {}
    public func measure(_ text: String, font: FontSpec) -> TextExtent {
        var em = 0.0
        for ch in text {
            switch ch {
            case "i", "l", "j", "'", "|", "!", ".", ",", ":", ";", "\u{2009}": em += 0.30
            case " ", "f", "t", "r", "(", ")", "[", "]", "I": em += 0.38
            case "m", "w", "M", "W", "%", "…": em += 0.92
            case "0"..."9", "−", "+", "=", "<", ">", "#", "$": em += 0.64
            case "⁰"..."⁹", "¹", "²", "³", "⁻": em += 0.40
            case "A"..."Z": em += 0.70
            default: em += 0.60
            }
        }
        let boldFactor = font.weight == .bold ? 1.1 : 1
        return TextExtent(width: em * font.size * boldFactor, ascent: 0.93 * font.size, descent: 0.24 * font.size)
    }
}

/// Vertical placement of text relative to its anchor.
public enum VerticalAlignment: Sendable, Hashable { case top, middle, baseline, bottom }

/// One line of text to draw: baseline start `origin`, rotation counter-clockwise in radians, and the
/// axis-aligned `bounds` it covers (used to test for clipping and overlaps).
public struct TextCommand: Sendable, Hashable {
    public var text: String
    public var origin: Point
    public var angle: Double
    public var font: FontSpec
    public var color: Color
    public var bounds: Rect
}

/// A drawing primitive in logical pixels.
public enum DrawCommand: Sendable, Hashable {
    case rect(Rect, fill: Color?, stroke: Color?, lineWidth: Double)
    case polyline([Point], color: Color, width: Double, dash: Dash)
    case polygon([Point], fill: Color)
    case circles([Point], radius: Double, fill: Color?, stroke: Color?, lineWidth: Double)
    case text(TextCommand)
    /// Restrict the following commands to a rectangle (nil: the whole image).
    case clip(Rect?)
}

/// What a drawing command is for; lets tests find "the x tick labels" or "the bars" in a scene.
public enum SceneRole: Sendable, Hashable {
    case background, grid, axisLine, tick, xTickLabel, yTickLabel, xAxisTitle, yAxisTitle, title, subtitle
    case mark, errorBar, valueLabel, rule, ruleLabel, legend, legendLabel, colorBar, colorBarLabel, annotation, annotationLabel, panelTitle, clip
}

/// A drawing command with its role.
public struct SceneItem: Sendable, Hashable {
    public var command: DrawCommand
    public var role: SceneRole
}

/// A laid-out figure: the ordered drawing commands a renderer replays. It doubles as the recording
/// renderer for tests: everything the layout would draw is here, with its role.
public struct Scene: Sendable {
    public var size: Size
    public var background: Color
    public var items: [SceneItem]
    /// The plot areas of the chart panels, in logical pixels.
    public var plotAreas: [Rect]

    public init(size: Size, background: Color = .white) {
        self.size = size; self.background = background; self.items = []; self.plotAreas = []
    }

    public mutating func add(_ command: DrawCommand, _ role: SceneRole) { items.append(SceneItem(command: command, role: role)) }

    /// All text commands with a given role.
    public func texts(_ role: SceneRole) -> [TextCommand] {
        items.compactMap { item in
            if item.role == role, case .text(let t) = item.command { return t }
            return nil
        }
    }
    /// All text commands.
    public var allTexts: [TextCommand] {
        items.compactMap { if case .text(let t) = $0.command { return t } else { return nil } }
    }
    /// All rectangles with a given role.
    public func rects(_ role: SceneRole) -> [Rect] {
        items.compactMap { item in
            if item.role == role, case .rect(let r, _, _, _) = item.command { return r }
            return nil
        }
    }
}
