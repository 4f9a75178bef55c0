#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Mean binary cross-entropy −[y log p + (1 − y) log(1 − p)], with `p` clipped to
/// `[epsilon, 1 − epsilon]` so that a confident mistake costs a large but finite amount.
public func logLoss(probabilities: [Double], labels: [UInt8], epsilon: Double = 1e-15) -> Double {
    precondition(probabilities.count == labels.count,
                 "logLoss: \(probabilities.count) probabilities but \(labels.count) labels")
    guard !probabilities.isEmpty else { return .nan }
    var total = 0.0
    for i in 0 ..< probabilities.count {
        let p = min(max(probabilities[i], epsilon), 1 - epsilon)
        total -= labels[i] != 0 ? log(p) : log(1 - p)
    }
    return total / Double(probabilities.count)
}

/// Brier score: mean squared difference between the predicted probability and the 0/1 outcome.
public func brierScore(probabilities: [Double], labels: [UInt8]) -> Double {
    precondition(probabilities.count == labels.count,
                 "brierScore: \(probabilities.count) probabilities but \(labels.count) labels")
    guard !probabilities.isEmpty else { return .nan }
    var total = 0.0
    for i in 0 ..< probabilities.count {
        let d = probabilities[i] - (labels[i] != 0 ? 1 : 0)
        total += d * d
    }
    return total / Double(probabilities.count)
}
