#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

/// What kind of scale an axis uses.
public enum ScaleType: Sendable, Hashable {
    /// Linear for numbers, band for categories (chosen from the marks).
    case automatic
    case linear
    /// Base-10 logarithmic (values ≤ 0 are dropped from the domain and clamped when drawn).
    case log
    /// Categories in equal bands.
    case band
}

/// A scale resolved against the data and a pixel range: maps data values to logical pixels.
public struct ResolvedScale: Sendable, Hashable {
    /// The mapping: linear, base-10 logarithmic, or equal bands for categories.
    public enum Kind: Sendable, Hashable { case linear, log, band }
    public var kind: Kind
    /// Data domain (for band scales: 0…categoryCount).
    public var lower: Double
    public var upper: Double
    /// Pixel positions of `lower` and `upper` (may be decreasing, as for a y axis).
    public var rangeStart: Double
    public var rangeEnd: Double
    public var categories: [String]
    /// Fraction of each band left empty between bars (band scales only).
    public var padding: Double

    private var categoryIndex: [String: Int]

    public init(kind: Kind, lower: Double, upper: Double, rangeStart: Double, rangeEnd: Double, categories: [String] = [], padding: Double = 0.2) {
        self.kind = kind
        self.lower = lower; self.upper = upper
        self.rangeStart = rangeStart; self.rangeEnd = rangeEnd
        self.categories = categories
        self.padding = padding
        var index: [String: Int] = [:]
        for (i, c) in categories.enumerated() where index[c] == nil { index[c] = i }
        self.categoryIndex = index
        if kind == .band { self.lower = 0; self.upper = Double(max(1, categories.count)) }
    }

    /// Pixel position of a number (for band scales, a fractional band index: 0.5 is the first band's centre).
    public func position(_ value: Double) -> Double {
        var t: Double
        switch kind {
        case .linear, .band:
            t = upper > lower ? (value - lower) / (upper - lower) : 0.5
        case .log:
            let lo = log10(lower), hi = log10(upper)
            let v = value > 0 ? log10(value) : lo - 10 * max(1, hi - lo)
            t = hi > lo ? (v - lo) / (hi - lo) : 0.5
        }
        if !t.isFinite { t = 0 }
        t = min(50, max(-50, t))   // keep wild values drawable (clipping hides them)
        return rangeStart + t * (rangeEnd - rangeStart)
    }

    /// The band index of a category, if known.
    public func index(of category: String) -> Int? { categoryIndex[category] }

    /// Width (absolute, in pixels) of one band.
    public var bandStep: Double { abs(rangeEnd - rangeStart) / Double(max(1, categories.count)) }
    /// Width of the drawn bar inside a band (the step less the padding).
    public var bandwidth: Double { bandStep * (1 - padding) }

    /// Pixel centre of a category's band (nil for unknown categories).
    public func center(of category: String) -> Double? {
        guard let i = categoryIndex[category] else { return nil }
        return position(Double(i) + 0.5)
    }

    /// Pixel interval of a category's bar area (inside the padding), ordered low → high.
    public func band(of category: String) -> (Double, Double)? {
        guard let c = center(of: category) else { return nil }
        return (c - bandwidth / 2, c + bandwidth / 2)
    }

    /// Pixel interval of a whole band (no padding).
    public func fullBand(of category: String) -> (Double, Double)? {
        guard let c = center(of: category) else { return nil }
        return (c - bandStep / 2, c + bandStep / 2)
    }
}
