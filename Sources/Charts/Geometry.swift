// Charts: declarative marks, scales, axes and layout. Pure Swift; nothing here touches libgd.

/// A point in logical pixels (or in data space, for mark positions); y grows downwards on screen.
public struct Point: Sendable, Hashable {
    public var x: Double
    public var y: Double
    public init(_ x: Double, _ y: Double) { self.x = x; self.y = y }
    public init(x: Double, y: Double) { self.x = x; self.y = y }
}

/// A width and height in logical pixels.
public struct Size: Sendable, Hashable {
    public var width: Double
    public var height: Double
    public init(width: Double, height: Double) { self.width = width; self.height = height }
    /// The default chart size: 960 × 540 logical pixels (drawn at 2× by default).
    public static let standard = Size(width: 960, height: 540)
}

/// An axis-aligned rectangle in logical pixels (origin at the top left).
public struct Rect: Sendable, Hashable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double
    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x; self.y = y; self.width = width; self.height = height
    }
    /// The rectangle spanning two corners in any order.
    public init(corner a: Point, _ b: Point) {
        x = min(a.x, b.x); y = min(a.y, b.y)
        width = abs(a.x - b.x); height = abs(a.y - b.y)
    }
    public var minX: Double { x }
    public var maxX: Double { x + width }
    public var minY: Double { y }
    public var maxY: Double { y + height }
    public var midX: Double { x + width / 2 }
    public var midY: Double { y + height / 2 }
    public func contains(_ p: Point) -> Bool { p.x >= minX && p.x <= maxX && p.y >= minY && p.y <= maxY }
    /// True when `other` lies entirely inside (with a tolerance of `slack` pixels).
    public func contains(_ other: Rect, slack: Double = 0.5) -> Bool {
        other.minX >= minX - slack && other.maxX <= maxX + slack && other.minY >= minY - slack && other.maxY <= maxY + slack
    }
    public func intersects(_ other: Rect) -> Bool {
        minX < other.maxX && other.minX < maxX && minY < other.maxY && other.minY < maxY
    }
    public func insetBy(_ dx: Double, _ dy: Double) -> Rect {
        Rect(x: x + dx, y: y + dy, width: max(0, width - 2 * dx), height: max(0, height - 2 * dy))
    }
    /// The smallest rectangle holding both.
    public func union(_ other: Rect) -> Rect {
        let x0 = min(minX, other.minX), y0 = min(minY, other.minY)
        return Rect(x: x0, y: y0, width: max(maxX, other.maxX) - x0, height: max(maxY, other.maxY) - y0)
    }
}

/// An sRGB colour with an opacity from 0 (transparent) to 1 (opaque).
public struct Color: Sendable, Hashable {
    public var red: UInt8
    public var green: UInt8
    public var blue: UInt8
    public var opacity: Double

    public init(red: UInt8, green: UInt8, blue: UInt8, opacity: Double = 1) {
        self.red = red; self.green = green; self.blue = blue
        self.opacity = min(1, max(0, opacity))
    }
    /// A colour from `0xRRGGBB`.
    public init(hex: UInt32, opacity: Double = 1) {
        self.init(red: UInt8((hex >> 16) & 0xFF), green: UInt8((hex >> 8) & 0xFF), blue: UInt8(hex & 0xFF), opacity: opacity)
    }
    public func withOpacity(_ opacity: Double) -> Color {
        Color(red: red, green: green, blue: blue, opacity: opacity)
    }
    /// Linear interpolation in sRGB (`t` = 0 gives `self`, 1 gives `other`).
    public func mixed(with other: Color, _ t: Double) -> Color {
        let t = min(1, max(0, t))
        func mix(_ a: UInt8, _ b: UInt8) -> UInt8 { UInt8((Double(a) + (Double(b) - Double(a)) * t).rounded()) }
        return Color(red: mix(red, other.red), green: mix(green, other.green), blue: mix(blue, other.blue),
                     opacity: opacity + (other.opacity - opacity) * t)
    }
    /// Relative luminance (WCAG), used to pick black or white text on a filled cell.
    public var luminance: Double {
        func channel(_ c: UInt8) -> Double {
            let v = Double(c) / 255
            return v <= 0.03928 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)
    }
    /// Black or white, whichever reads better on this colour.
    public var contrastingText: Color { luminance > 0.33 ? Color(hex: 0x1A1A1A) : .white }

    public static let white = Color(hex: 0xFFFFFF)
    public static let black = Color(hex: 0x000000)
    /// Dark grey for text and axis lines.
    public static let ink = Color(hex: 0x222222)
    /// Mid grey for secondary text.
    public static let secondaryInk = Color(hex: 0x555555)
    /// Light grey for grid lines.
    public static let grid = Color(hex: 0xE3E3E3)
    /// Grey for reference lines (ROC diagonal, baselines).
    public static let reference = Color(hex: 0x888888)
}

/// Colour-blind-safe palettes.
public enum Palette {
    /// Okabe & Ito (2008), "Color Universal Design", reordered so the first colours have the most
    /// contrast on white: blue, orange, bluish green, vermillion, sky blue, reddish purple, yellow, grey.
    public static let okabeIto: [Color] = [
        Color(hex: 0x0072B2), Color(hex: 0xE69F00), Color(hex: 0x009E73), Color(hex: 0xD55E00),
        Color(hex: 0x56B4E9), Color(hex: 0xCC79A7), Color(hex: 0xF0E442), Color(hex: 0x999999),
    ]
    /// Tableau 10 "colour blind" palette, for charts needing more than eight series.
    public static let tableauColorBlind: [Color] = [
        Color(hex: 0x1170AA), Color(hex: 0xFC7D0B), Color(hex: 0xA3ACB9), Color(hex: 0x57606C), Color(hex: 0x5FA2CE),
        Color(hex: 0xC85200), Color(hex: 0x7B848F), Color(hex: 0xA3CCE9), Color(hex: 0xFFBC79), Color(hex: 0xC8D0D9),
    ]
    /// Colours after the first eight, chosen to differ in lightness from the Okabe–Ito ones
    /// (no palette stays colour-blind safe beyond about eight series).
    public static let extended: [Color] = [
        Color(hex: 0x222222), Color(hex: 0x8C6D31), Color(hex: 0x7FBFBF), Color(hex: 0x6A3D9A),
        Color(hex: 0xB8860B), Color(hex: 0x1B7837), Color(hex: 0xF4A6C6), Color(hex: 0x5E5E5E),
    ]
    /// The default categorical palette: Okabe–Ito, then `extended` for series 9 and up.
    public static let categorical: [Color] = okabeIto + extended

    /// The `index`-th categorical colour (cycling).
    public static func color(_ index: Int) -> Color { categorical[((index % categorical.count) + categorical.count) % categorical.count] }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif
