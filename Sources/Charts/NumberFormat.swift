#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

/// How numbers are written on axes, colour bars and value labels.
public enum NumberFormat: Sendable, Hashable {
    /// Plain numbers with as many decimals as the tick step needs; thousands and up as `1.2k`, `3.5M`, `2G`.
    case automatic
    /// A fraction written as a percentage with a space: 0.35 → `35 %` (decimals from the step or fixed).
    case percent(decimals: Int? = nil)
    /// A fixed number of decimals.
    case fixed(Int)
    /// Whole numbers with thin-space thousands grouping (`12 345`).
    case integer
    /// Powers of ten as `10⁴` (exact powers); other values fall back to `automatic`.
    case powerOfTen
    /// Hours of the day, `0`…`23` (values outside are wrapped).
    case hour

    /// Labels for a set of ticks spaced `step` apart, with consistent decimals.
    public func labels(for values: [Double], step: Double? = nil) -> [String] {
        let step = step ?? NumberFormat.smallestGap(values)
        return values.map { label($0, step: step, magnitude: values.map { abs($0) }.max() ?? abs($0)) }
    }

    /// One value on its own (value labels, legend text): about three significant digits.
    public func string(_ value: Double) -> String {
        switch self {
        case .automatic, .powerOfTen:
            let m = abs(value)
            if m == 0 || !m.isFinite { return label(value, step: 1, magnitude: m) }
            let step = pow(10, (log10(m)).rounded(.down) - 2)
            return label(value, step: step, magnitude: m)
        case .percent(let d):
            if let d { return label(value, step: pow(10, -Double(d) - 2), magnitude: abs(value)) }
            let m = abs(value) * 100
            let decimals = m == 0 ? 0 : (m >= 10 ? 0 : (m >= 1 ? 1 : 2))
            return NumberFormat.percent(decimals: decimals).string(value)
        default:
            return label(value, step: 1, magnitude: abs(value))
        }
    }

    func label(_ value: Double, step: Double, magnitude: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "–" : (value > 0 ? "∞" : "−∞") }
        switch self {
        case .automatic:
            return NumberFormat.automaticLabel(value, step: step, magnitude: magnitude)
        case .percent(let fixed):
            let decimals = fixed ?? NumberFormat.decimals(forStep: abs(step) * 100)
            return NumberFormat.fixedString(value * 100, decimals: decimals) + " %"
        case .fixed(let d):
            return NumberFormat.fixedString(value, decimals: max(0, d))
        case .integer:
            return NumberFormat.grouped(value.rounded())
        case .powerOfTen:
            if value > 0 {
                let e = log10(value)
                if abs(e - e.rounded()) < 1e-9 {
                    let k = Int(e.rounded())
                    if k == 0 { return "1" }
                    if k == 1 { return "10" }
                    return "10" + NumberFormat.superscript(k)
                }
            }
            return NumberFormat.automaticLabel(value, step: step, magnitude: magnitude)
        case .hour:
            let h = Int(value.rounded())
            return String(((h % 24) + 24) % 24)
        }
    }

    /// Decimals needed to tell apart values `step` apart.
    static func decimals(forStep step: Double) -> Int {
        guard step > 0, step.isFinite else { return 0 }
        let d = -Int((log10(step) + 1e-9).rounded(.down))
        // A step like 2.5 needs one more decimal than its power of ten suggests.
        var decimals = max(0, d)
        let scaled = step * pow(10, Double(decimals))
        if abs(scaled - scaled.rounded()) > 1e-6 { decimals += 1 }
        return min(decimals, 10)
    }

    static func smallestGap(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        var gap = Double.infinity
        for i in 1..<max(1, sorted.count) where sorted[i] - sorted[i - 1] > 0 { gap = min(gap, sorted[i] - sorted[i - 1]) }
        if gap.isFinite { return gap }
        let m = abs(sorted.first ?? 1)
        return m > 0 ? pow(10, (log10(m)).rounded(.down)) : 1
    }

    static func automaticLabel(_ value: Double, step: Double, magnitude: Double) -> String {
        if value == 0 { return "0" }
        let suffixes: [(Double, String)] = [(1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")]
        for (unit, suffix) in suffixes where magnitude >= unit {
            return fixedString(value / unit, decimals: decimals(forStep: abs(step) / unit)) + suffix
        }
        if magnitude < 1e-4 {
            // Very small numbers: scientific with a superscript exponent.
            let e = Int((log10(abs(value))).rounded(.down))
            let mantissa = value / pow(10, Double(e))
            return fixedString(mantissa, decimals: 1) + "×10" + superscript(e)
        }
        return fixedString(value, decimals: decimals(forStep: abs(step)))
    }

    /// `value` with `decimals` decimals and a proper minus sign; `-0` becomes `0`.
    static func fixedString(_ value: Double, decimals: Int) -> String {
        let scale = pow(10, Double(decimals))
        var rounded = (abs(value) * scale).rounded() / scale
        if rounded == 0 { return decimals == 0 ? "0" : "0." + String(repeating: "0", count: decimals) }
        let negative = value < 0
        var text = ""
        let whole = rounded.rounded(.down)
        rounded -= whole
        text = wholeString(whole)
        if decimals > 0 {
            var fraction = Int((rounded * scale).rounded())
            var digits = [Character](repeating: "0", count: decimals)
            var i = decimals - 1
            while i >= 0 { digits[i] = Character(String(fraction % 10)); fraction /= 10; i -= 1 }
            text += "." + String(digits)
        }
        return (negative ? "−" : "") + text
    }

    static func wholeString(_ whole: Double) -> String {
        if whole < 9e15 { return String(Int64(whole)) }
        return String(format: whole)
    }

    static func grouped(_ value: Double) -> String {
        let digits = wholeString(abs(value))
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append("\u{2009}") }
            out.append(ch)
        }
        return (value < 0 ? "−" : "") + out
    }

    /// An integer written with Unicode superscript digits (`-3` → `⁻³`).
    public static func superscript(_ n: Int) -> String {
        let map: [Character: Character] = ["0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹", "-": "⁻"]
        return String(String(n).map { map[$0] ?? $0 })
    }
}

private extension String {
    init(format value: Double) { self = "\(value)" }
}
