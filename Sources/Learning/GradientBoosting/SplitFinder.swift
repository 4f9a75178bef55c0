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

/// Finds the best split of a leaf from its histogram (LightGBM `FeatureHistogram::FindBestThreshold`).
///
/// With `T(G) = sign(G)·max(|G| − λ₁, 0)` a node scores `T(G)² / (H + λ₂)` and its value is
/// `−T(G) / (H + λ₂)`; a split's gain is `score(L) + score(R) − score(parent)`. Candidates need
/// `minDataInLeaf` rows and `minSumHessianInLeaf` hessian on each side and gain above
/// `minGainToSplit`. When the leaf has missing values both directions for them are tried and the
/// better one is learned; otherwise missing values follow the larger child at prediction time.
struct SplitFinder: Sendable {
    let minDataInLeaf: Int
    let minSumHessianInLeaf: Double
    let lambdaL1: Double
    let lambdaL2: Double
    let minGainToSplit: Double

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

    @inline(__always)
    private func allowed(_ l: NodeSums, _ r: NodeSums) -> Bool {
        l.count >= minDataInLeaf && r.count >= minDataInLeaf
            && l.sumHessians >= minSumHessianInLeaf && r.sumHessians >= minSumHessianInLeaf
    }

    /// The best split over `features` (ties go to the lower feature index), or nil if none qualifies.
    func bestSplit(histogram: UnsafePointer<HistogramBin>, layout: HistogramLayout, missingBins: [UInt8],
                   features: [Int], parent: NodeSums) -> SplitCandidate? {
        if parent.count < 2 * minDataInLeaf || parent.sumHessians < 2 * minSumHessianInLeaf { return nil }
        let parentScore = score(parent.sumGradients, parent.sumHessians)
        var best: SplitCandidate? = nil
        for f in features {
            if let candidate = bestSplit(feature: f, histogram: histogram + layout.offsets[f],
                                         missingBin: Int(missingBins[f]), parent: parent, parentScore: parentScore),
               candidate.gain > (best?.gain ?? -.infinity) {
                best = candidate
            }
        }
        return best
    }

    /// The best split on one feature; `bins` points at the feature's first bin.
    func bestSplit(feature: Int, histogram bins: UnsafePointer<HistogramBin>, missingBin: Int,
                   parent: NodeSums, parentScore: Double) -> SplitCandidate? {
        let missing = bins[missingBin]
        // As in LightGBM, any gain above `minGainToSplit` qualifies, even rounding noise on a pure leaf.
        let threshold = parentScore + minGainToSplit
        var bestGain = -Double.infinity
        var bestBin = -1
        var bestMissingLeft = false
        var bestLeft = NodeSums(sumGradients: 0, sumHessians: 0, count: 0)
        // Pass 1: missing values (if any) go right; thresholds 0 ..< missingBin (the last one
        // separates non-missing from missing and exists only when there are missing values).
        let lastThreshold = missing.count > 0 ? missingBin - 1 : missingBin - 2
        if lastThreshold >= 0 {
            var left = NodeSums(sumGradients: 0, sumHessians: 0, count: 0)
            for t in 0 ... lastThreshold {
                left.sumGradients += bins[t].sumGradients
                left.sumHessians += bins[t].sumHessians
                left.count += bins[t].count
                let right = NodeSums(sumGradients: parent.sumGradients - left.sumGradients,
                                     sumHessians: parent.sumHessians - left.sumHessians,
                                     count: parent.count - left.count)
                guard allowed(left, right) else { continue }
                let gain = score(left.sumGradients, left.sumHessians) + score(right.sumGradients, right.sumHessians)
                // `>=`: among exact ties keep the highest threshold, as LightGBM's reverse scan does.
                if gain > threshold && gain >= bestGain {
                    bestGain = gain; bestBin = t; bestMissingLeft = false; bestLeft = left
                }
            }
        }
        // Pass 2: missing values go left; thresholds 0 ... missingBin − 2.
        if missing.count > 0 && missingBin >= 2 {
            var left = NodeSums(sumGradients: missing.sumGradients, sumHessians: missing.sumHessians, count: missing.count)
            for t in 0 ... missingBin - 2 {
                left.sumGradients += bins[t].sumGradients
                left.sumHessians += bins[t].sumHessians
                left.count += bins[t].count
                let right = NodeSums(sumGradients: parent.sumGradients - left.sumGradients,
                                     sumHessians: parent.sumHessians - left.sumHessians,
                                     count: parent.count - left.count)
                guard allowed(left, right) else { continue }
                let gain = score(left.sumGradients, left.sumHessians) + score(right.sumGradients, right.sumHessians)
                if gain > threshold && gain > bestGain {
                    bestGain = gain; bestBin = t; bestMissingLeft = true; bestLeft = left
                }
            }
        }
        guard bestBin >= 0 else { return nil }
        let right = NodeSums(sumGradients: parent.sumGradients - bestLeft.sumGradients,
                             sumHessians: parent.sumHessians - bestLeft.sumHessians,
                             count: parent.count - bestLeft.count)
        var missingGoesLeft = bestMissingLeft
        if missing.count == 0 { missingGoesLeft = bestLeft.count >= right.count }
        return SplitCandidate(feature: feature, binThreshold: bestBin, missingGoesLeft: missingGoesLeft,
                              gain: bestGain - parentScore, left: bestLeft, right: right)
    }
}
