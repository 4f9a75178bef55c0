#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

/// A continuous colour scale: maps a number in `domain` to a colour by interpolating `stops`
/// (evenly spaced), on a linear or logarithmic axis. Used for heat maps and their colour bars.
public struct ColorScale: Sendable, Hashable {
    /// How values map to the 0…1 position along the stops.
    public enum Transform: Sendable, Hashable { case linear, log }
    public var stops: [Color]
    public var domain: ClosedRange<Double>
    public var transform: Transform
    /// How colour-bar tick labels are written.
    public var format: NumberFormat

    public init(stops: [Color], domain: ClosedRange<Double>, transform: Transform = .linear, format: NumberFormat = .automatic) {
        self.stops = stops.isEmpty ? [Color.white, Color.black] : stops
        self.domain = domain
        self.transform = transform
        self.format = format
    }

    /// The position of `value` along the scale, 0…1 (clamped).
    public func fraction(_ value: Double) -> Double {
        var lo = domain.lowerBound, hi = domain.upperBound, v = value
        if transform == .log {
            lo = log10(max(lo, .leastNormalMagnitude)); hi = log10(max(hi, .leastNormalMagnitude)); v = log10(max(v, .leastNormalMagnitude))
        }
        guard hi > lo, v.isFinite else { return v.isNaN ? 0 : (v > lo ? 1 : 0) }
        return min(1, max(0, (v - lo) / (hi - lo)))
    }

    /// The colour for `value`.
    public func color(for value: Double) -> Color {
        if stops.isEmpty { return .black }
        let t = fraction(value) * Double(stops.count - 1)
        let i = min(stops.count - 2, max(0, Int(t.rounded(.down))))
        if stops.count == 1 { return stops[0] }
        return stops[i].mixed(with: stops[i + 1], t - Double(i))
    }

    /// Viridis (perceptually uniform, colour-blind safe; van der Walt & Smith, matplotlib).
    public static let viridisStops: [Color] = [0x440154, 0x482878, 0x3E4989, 0x31688E, 0x26828E, 0x1F9E89, 0x35B779, 0x6ECE58, 0xFDE725].map { Color(hex: $0) }
    /// ColorBrewer "Blues" (white to dark blue), a light-to-dark sequential scale.
    public static let bluesStops: [Color] = [0xF7FBFF, 0xDEEBF7, 0xC6DBEF, 0x9ECAE1, 0x6BAED6, 0x4292C6, 0x2171B5, 0x08519C, 0x08306B].map { Color(hex: $0) }
    /// ColorBrewer "RdBu" reversed (blue for low, white in the middle, red for high).
    public static let divergingStops: [Color] = [0x2166AC, 0x67A9CF, 0xD1E5F0, 0xF7F7F7, 0xFDDBC7, 0xEF8A62, 0xB2182B].map { Color(hex: $0) }

    /// A sequential light-to-dark blue scale over `domain`.
    public static func sequential(_ domain: ClosedRange<Double>, format: NumberFormat = .automatic) -> ColorScale {
        ColorScale(stops: bluesStops, domain: domain, format: format)
    }
    /// Viridis over `domain`.
    public static func viridis(_ domain: ClosedRange<Double>, format: NumberFormat = .automatic) -> ColorScale {
        ColorScale(stops: viridisStops, domain: domain, format: format)
    }
    /// A diverging scale centred on `center` (symmetric around it).
    public static func diverging(_ domain: ClosedRange<Double>, center: Double = 0, format: NumberFormat = .automatic) -> ColorScale {
        let half = max(abs(domain.lowerBound - center), abs(domain.upperBound - center), .leastNormalMagnitude)
        return ColorScale(stops: divergingStops, domain: (center - half)...(center + half), format: format)
    }
}
