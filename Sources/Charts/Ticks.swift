#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

/// "Nice" tick values (Heckbert 1990, "Nice numbers for graph labels"): steps of 1, 2, 2.5 or 5 × 10ᵏ.
public enum Ticks {
    /// The nice step nearest above `rawStep`.
    public static func niceStep(_ rawStep: Double) -> Double {
        guard rawStep > 0, rawStep.isFinite else { return 1 }
        let exponent = (log10(rawStep)).rounded(.down)
        let unit = pow(10, exponent)
        let fraction = rawStep / unit
        let nice: Double
        if fraction <= 1.000001 { nice = 1 } else if fraction <= 2.000001 { nice = 2 } else if fraction <= 2.500001 { nice = 2.5 } else if fraction <= 5.000001 { nice = 5 } else { nice = 10 }
        return nice * unit
    }

    /// About `targetCount` nice ticks covering `lower…upper`. With `extend`, the first and last tick
    /// enclose the range (the axis is widened to them); otherwise only ticks inside are returned.
    public static func linear(_ lower: Double, _ upper: Double, targetCount: Int, extend: Bool = true, integerOnly: Bool = false) -> (ticks: [Double], step: Double, lower: Double, upper: Double) {
        var lo = min(lower, upper), hi = max(lower, upper)
        if !(lo.isFinite && hi.isFinite) { lo = 0; hi = 1 }
        if hi - lo < 1e-12 * max(1, abs(hi)) {
            let pad = lo == 0 ? 1 : abs(lo) * 0.1
            lo -= pad; hi += pad
        }
        var step = niceStep((hi - lo) / Double(max(1, targetCount)))
        if integerOnly { step = max(1, step.rounded(.up)); if step == 3 || step == 4 { step = step == 3 ? 3 : 5 } }
        let first = extend ? (lo / step + 1e-9).rounded(.down) * step : (lo / step - 1e-9).rounded(.up) * step
        let last = extend ? (hi / step - 1e-9).rounded(.up) * step : (hi / step + 1e-9).rounded(.down) * step
        var ticks: [Double] = []
        var k = 0
        while true {
            let t = first + Double(k) * step
            if t > last + step * 1e-6 || k > 1000 { break }
            ticks.append(abs(t) < step * 1e-9 ? 0 : t)
            k += 1
        }
        return (ticks, step, extend ? min(first, lo) : lo, extend ? max(last, hi) : hi)
    }

    /// Ticks for a base-10 log axis over `lower…upper` (both > 0): every power of ten, thinned to at most
    /// `maxCount`; when the range spans less than about two decades, 2× and 5× multiples are added.
    public static func logarithmic(_ lower: Double, _ upper: Double, maxCount: Int = 10) -> [Double] {
        let lo = max(min(lower, upper), .leastNormalMagnitude), hi = max(lower, upper, lo)
        let e0 = Int((log10(lo) - 1e-9).rounded(.down)), e1 = Int((log10(hi) + 1e-9).rounded(.up))
        var ticks: [Double] = []
        let decades = e1 - e0
        if decades <= 2 {
            for e in e0...e1 {
                for m in [1.0, 2, 5] {
                    let v = m * pow(10, Double(e))
                    if v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9) { ticks.append(v) }
                }
            }
            if ticks.count >= 2 { return ticks }
            ticks = []
        }
        let stride = max(1, Int((Double(decades + 1) / Double(max(1, maxCount))).rounded(.up)))
        var e = e0
        while e <= e1 {
            let v = pow(10, Double(e))
            if v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9) { ticks.append(v) }
            e += stride
        }
        if ticks.isEmpty { ticks = [lo, hi] }
        return ticks
    }

    /// The largest of 1, 2 or 5 × 10ᵏ at or below `v` (> 0).
    public static func logNiceFloor(_ v: Double) -> Double {
        guard v > 0, v.isFinite else { return 1 }
        let unit = pow(10, (log10(v) + 1e-9).rounded(.down))
        for m in [5.0, 2, 1] where m * unit <= v * (1 + 1e-9) { return m * unit }
        return unit
    }

    /// The smallest of 1, 2 or 5 × 10ᵏ at or above `v` (> 0).
    public static func logNiceCeiling(_ v: Double) -> Double {
        guard v > 0, v.isFinite else { return 10 }
        let unit = pow(10, (log10(v) - 1e-9).rounded(.down))
        for m in [1.0, 2, 5, 10] where m * unit >= v * (1 - 1e-9) { return m * unit }
        return 10 * unit
    }
}
