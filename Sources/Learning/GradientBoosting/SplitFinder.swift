import Foundation

/// Sums of gradients, hessians and rows of a node.
public struct NodeSums: Sendable, Equatable {
    public var sumGradients: Double
    public var sumHessians: Double
    public var count: Int
}

/// The best split of one leaf: rows with `bin <= binThreshold` go left, the missing bin goes
/// left iff `missingGoesLeft`.
public struct SplitCandidate: Sendable, Equatable {
    public var feature: Int
    public var binThreshold: Int
    public var missingGoesLeft: Bool
    public var gain: Double
    public var left: NodeSums
    public var right: NodeSums
}

/// What split finding needs to know about one feature beyond its histogram (LightGBM's `FeatureMetainfo`).
struct FeatureSplitInfo: Sendable, Equatable {
    /// Index of the missing-value bin (= number of value bins).
    var missingBin: Int
    /// The training sample had missing values (LightGBM's `MissingType::NaN`): both directions are tried.
    var hasMissing: Bool
    /// The most frequent bin is bin 0 (LightGBM's histogram `offset` 1), which changes how the
    /// missing-right scan starts its estimated count.
    var mostFrequentBinIsZero: Bool
}

/// Finds the best split of a leaf from its histogram (LightGBM `FeatureHistogram::FindBestThresholdSequentially`).
///
/// With `T(G) = sign(G)·max(|G| − λ₁, 0)` a node scores `T(G)² / (H + λ₂)` and its value is
/// `−T(G) / (H + λ₂)`; a split's gain is `score(L) + score(R) − score(parent)`. As in LightGBM,
/// `minDataInLeaf` is checked against row counts *estimated from hessians*: a bin holding hessian `h`
/// counts `round(h · n / H)` rows, `n` and `H` being the leaf's rows and hessian sum; each side also
/// needs `minSumHessianInLeaf` hessian, and the gain must exceed `minGainToSplit`. Thresholds are
/// scanned from the top bin down with missing values on the left (ties keep the highest threshold);
/// for features that had missing values in training a second scan sends them right and wins only
/// when strictly better. Features without missing values in training send them to the larger child.
struct SplitFinder: Sendable {
    let minDataInLeaf: Int
    let minSumHessianInLeaf: Double
    let lambdaL1: Double
    let lambdaL2: Double
    let minGainToSplit: Double

    /// LightGBM's `kEpsilon` (the float 1e-15), added to hessian sums so they are never zero.
    static let epsilon = Double(Float(1e-15))

    init(parameters: GradientBoostingParameters) {
        minDataInLeaf = parameters.minDataInLeaf
        minSumHessianInLeaf = parameters.minSumHessianInLeaf
        lambdaL1 = parameters.lambdaL1
        lambdaL2 = parameters.lambdaL2
        minGainToSplit = parameters.minGainToSplit
    }

    @inline(__always)
    func thresholdL1(_ g: Double) -> Double {
        if lambdaL1 == 0 { return g }
        let reduced = max(abs(g) - lambdaL1, 0)
        return g < 0 ? -reduced : reduced
    }

    @inline(__always)
    func score(_ g: Double, _ h: Double) -> Double {
        let t = thresholdL1(g)
        return t * t / (h + lambdaL2)
    }

    /// The raw (unshrunk) optimal value of a leaf.
    @inline(__always)
    func leafValue(_ sums: NodeSums) -> Double {
        let denominator = sums.sumHessians + lambdaL2
        return denominator > 0 ? -thresholdL1(sums.sumGradients) / denominator : 0
    }

    /// LightGBM's `RoundInt`: `Int(x + 0.5)`.
    @inline(__always)
    static func estimatedCount(_ hessian: Double, _ factor: Double) -> Int { Int(hessian * factor + 0.5) }

    /// The best split on one feature (`bins` points at the feature's first bin), and whether any
    /// threshold was valid.
    ///
    /// Kept whole (over 80 lines) on purpose: its two scans mirror LightGBM's
    /// `FindBestThresholdSequentially` statement for statement (the order of the checks, the
    /// `continue`s and `break`s, the estimated counts), which is what makes our trees LightGBM's;
    /// split into pieces they could no longer be read side by side with it.
    func bestSplit(feature: Int, histogram bins: UnsafePointer<HistogramBin>, info: FeatureSplitInfo,
                   parent: NodeSums) -> (SplitCandidate?, Bool) {
        // Each side needs `minDataInLeaf` rows, one side by estimate and the other as the rest of the
        // leaf's true count, so a leaf of fewer than twice that has no valid threshold: the scans
        // below would find none, so skip them.
        if parent.count < 2 * minDataInLeaf { return (nil, false) }
        let eps = Self.epsilon
        let sumG = parent.sumGradients
        let sumH = parent.sumHessians + 2 * eps
        let n = parent.count
        let factor = Double(n) / sumH
        let minGainShift = score(sumG, sumH) + minGainToSplit
        let binCount = info.missingBin + (info.hasMissing ? 1 : 0)   // LightGBM's num_bin
        var found = false
        var bestGain = -Double.infinity
        var bestThreshold = -1
        var bestLeftG = 0.0, bestLeftH = 0.0, bestLeftCount = 0
        var missingGoesLeft = true

        // Reverse scan: the right side gathers bins from the top; missing values (the last bin) stay
        // left when the feature has them and more than two bins.
        let skipMissing = info.hasMissing && binCount > 2
        do {
            var rightG = 0.0, rightH = eps, rightCount = 0
            var t = binCount - 1 - (skipMissing ? 1 : 0)
            while t >= 1 {
                let bin = bins[t]
                rightG += bin.sumGradients
                rightH += bin.sumHessians
                rightCount += Self.estimatedCount(bin.sumHessians, factor)
                t -= 1
                if rightCount < minDataInLeaf || rightH < minSumHessianInLeaf { continue }
                let leftCount = n - rightCount
                if leftCount < minDataInLeaf { break }
                let leftH = sumH - rightH
                if leftH < minSumHessianInLeaf { break }
                let leftG = sumG - rightG
                let gain = score(leftG, leftH) + score(rightG, rightH)
                if gain <= minGainShift { continue }
                found = true
                if gain > bestGain {
                    bestGain = gain; bestThreshold = t   // threshold = (added bin) − 1
                    bestLeftG = leftG; bestLeftH = leftH; bestLeftCount = leftCount
                }
            }
        }
        if skipMissing {
            // Forward scan with missing values on the right; replaces the first only when strictly better.
            var leftG = 0.0, leftH = eps, leftCount = 0
            var t = 0
            if info.mostFrequentBinIsZero {
                // LightGBM leaves bin 0 out of the histogram and starts from the leaf total minus the rest.
                leftG = sumG; leftH = sumH - eps; leftCount = n
                for b in 1 ..< binCount {
                    leftG -= bins[b].sumGradients
                    leftH -= bins[b].sumHessians
                    leftCount -= Self.estimatedCount(bins[b].sumHessians, factor)
                }
                t = -1
            }
            var scanBest = -Double.infinity
            var scanThreshold = -1
            var scanLeftG = 0.0, scanLeftH = 0.0, scanLeftCount = 0
            let last = binCount - 2   // the last value bin
            while t <= last {
                let threshold = info.mostFrequentBinIsZero ? t + 1 : t
                if t >= 0 {
                    let bin = bins[threshold]
                    if bin.sumHessians.bitPattern | bin.sumGradients.bitPattern == 0 && threshold <= last {
                        t += 1   // empty: the same partition as the previous threshold
                        continue
                    }
                    leftG += bin.sumGradients
                    leftH += bin.sumHessians
                    leftCount += Self.estimatedCount(bin.sumHessians, factor)
                }
                t += 1
                if threshold > last { break }
                if leftCount < minDataInLeaf || leftH < minSumHessianInLeaf { continue }
                let rightCount = n - leftCount
                if rightCount < minDataInLeaf { break }
                let rightH = sumH - leftH
                if rightH < minSumHessianInLeaf { break }
                let rightG = sumG - leftG
                let gain = score(leftG, leftH) + score(rightG, rightH)
                if gain <= minGainShift { continue }
                found = true
                if gain > scanBest {
                    scanBest = gain; scanThreshold = threshold
                    scanLeftG = leftG; scanLeftH = leftH; scanLeftCount = leftCount
                }
            }
            if scanThreshold >= 0 && scanBest > bestGain {
                bestGain = scanBest; bestThreshold = scanThreshold
                bestLeftG = scanLeftG; bestLeftH = scanLeftH; bestLeftCount = scanLeftCount
                missingGoesLeft = false
            }
        } else if info.hasMissing {
            missingGoesLeft = false   // two bins: the value bin left, the missing bin right
        }
        guard bestThreshold >= 0 else { return (nil, found) }
        let left = NodeSums(sumGradients: bestLeftG, sumHessians: bestLeftH - eps, count: bestLeftCount)
        let right = NodeSums(sumGradients: sumG - bestLeftG, sumHessians: sumH - bestLeftH - eps, count: n - bestLeftCount)
        if !info.hasMissing {
            // No missing values in training: at prediction they follow the larger child.
            missingGoesLeft = left.count >= right.count
        }
        return (SplitCandidate(feature: feature, binThreshold: bestThreshold, missingGoesLeft: missingGoesLeft,
                               gain: bestGain - minGainShift, left: left, right: right), found)
    }
}
