import Core
import Foundation

/// Binary log-loss on raw scores (log-odds), LightGBM's `BinaryLogloss` objective: the one place that
/// defines the probability, the derivatives boosting fits, the initial score and the loss early
/// stopping watches.
///
/// For label `y ∈ {0, 1}` and score `s`, `p = σ(s)`, the loss is `−y log p − (1 − y) log(1 − p)`, its
/// gradient `p − y` and its hessian `p(1 − p)`.
enum BinaryLogLoss {
    /// `σ(s) = 1 / (1 + e^(−s))`.
    @inline(__always)
    static func probability(score: Double) -> Double { 1 / (1 + exp(-score)) }

    /// Gradient and hessian of the loss with respect to the raw score.
    @inline(__always)
    static func derivatives(score: Double, label: UInt8) -> (gradient: Double, hessian: Double) {
        let p = probability(score: score)
        return (p - Double(label), p * (1 - p))
    }

    /// The constant score that minimises the loss: the log-odds of the positive share.
    static func initialScore(positiveCount: Int, rowCount: Int) -> Double {
        let prior = Double(positiveCount) / Double(rowCount)
        return log(prior / (1 - prior))
    }

    /// Mean loss of raw scores, computed stably from the scores: `−log σ(s) = softplus(−s)`,
    /// `−log(1 − σ(s)) = softplus(s)`.
    static func meanLoss(scores: [Double], labels: [UInt8]) -> Double {
        var total = 0.0
        for (s, y) in zip(scores, labels) {
            let z = y == 1 ? -s : s
            total += z > 0 ? z + log1p(exp(-z)) : log1p(exp(z))
        }
        return total / Double(max(1, scores.count))
    }

    /// Rows from which the derivatives are computed in parallel chunks.
    static let parallelRowThreshold = 50_000

    /// Writes every row's gradient and hessian (as floats, LightGBM's `score_t`) at its score.
    static func computeDerivatives(scores: [Double], labels: [UInt8], gradients: inout [Float],
                                   hessians: inout [Float], pool: WorkerPool) {
        let n = scores.count
        gradients.withUnsafeMutableBufferPointer { gBuffer in
            hessians.withUnsafeMutableBufferPointer { hBuffer in
                let g = BoostingSharedPointer(gBuffer.baseAddress!)
                let h = BoostingSharedPointer(hBuffer.baseAddress!)
                scores.withUnsafeBufferPointer { s in
                    labels.withUnsafeBufferPointer { y in
                        let sp = BoostingSharedPointer(UnsafeMutablePointer(mutating: s.baseAddress!))
                        let yp = BoostingSharedPointer(UnsafeMutablePointer(mutating: y.baseAddress!))
                        let chunks = n >= parallelRowThreshold ? pool.threadCount : 1
                        pool.forEachChunk(count: n, chunkCount: chunks) { _, range in
                            for i in range {
                                let (gradient, hessian) = derivatives(score: sp.base[i], label: yp.base[i])
                                g.base[i] = Float(gradient)
                                h.base[i] = Float(hessian)
                            }
                        }
                    }
                }
            }
        }
    }
}
