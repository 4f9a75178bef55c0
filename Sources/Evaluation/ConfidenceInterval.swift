#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A two-sided confidence interval for a proportion.
public struct RateInterval: Sendable, Equatable {
    public var rate: Double
    public var lower: Double
    public var upper: Double

    public init(rate: Double, lower: Double, upper: Double) {
        self.rate = rate
        self.lower = lower
        self.upper = upper
    }
}

/// Wilson score interval for `successCount` successes in `trialCount` trials (Wilson 1927):
/// centre (p̂ + z²/2n) / (1 + z²/n), half-width z √(p̂(1 − p̂)/n + z²/4n²) / (1 + z²/n).
/// Unlike the normal (Wald) interval it stays inside [0, 1] and behaves near 0 and 1.
public func wilsonInterval(successCount: Int, trialCount: Int, confidence: Double = 0.95) -> RateInterval {
    precondition(trialCount >= 0 && successCount >= 0 && successCount <= trialCount,
                 "wilsonInterval: \(successCount) successes in \(trialCount) trials")
    precondition(confidence > 0 && confidence < 1, "wilsonInterval: confidence \(confidence) is not in (0, 1)")
    guard trialCount > 0 else { return RateInterval(rate: .nan, lower: 0, upper: 1) }
    let n = Double(trialCount)
    let p = Double(successCount) / n
    let z = standardNormalQuantile(0.5 + confidence / 2)
    let z2 = z * z
    let denominator = 1 + z2 / n
    let centre = (p + z2 / (2 * n)) / denominator
    let halfWidth = z * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot() / denominator
    return RateInterval(rate: p, lower: max(0, centre - halfWidth), upper: min(1, centre + halfWidth))
}

/// The standard normal quantile Φ⁻¹(p), by Acklam's rational approximation refined with one
/// Halley step on `erfc` (relative error below 1e-15 in double precision).
public func standardNormalQuantile(_ p: Double) -> Double {
    precondition(p > 0 && p < 1, "standardNormalQuantile: p = \(p) is not in (0, 1)")
    let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
             1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
    let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
             6.680131188771972e+01, -1.328068155288572e+01]
    let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
             -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
    let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
    let low = 0.02425
    var x: Double
    if p < low {
        let q = (-2 * log(p)).squareRoot()
        x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
            / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    } else if p <= 1 - low {
        let q = p - 0.5, r = q * q
        x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
            / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    } else {
        let q = (-2 * log(1 - p)).squareRoot()
        x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
            / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    }
    // One Halley refinement step.
    let e = 0.5 * erfc(-x / 2.0.squareRoot()) - p
    let u = e * (2 * Double.pi).squareRoot() * exp(x * x / 2)
    x -= u / (1 + x * u / 2)
    return x
}
