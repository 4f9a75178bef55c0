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

    /// The best split over `features` (ties go to the lower feature index), or nil if none qualifies.
    /// With `threadCount > 1` and enough bins to scan, features are split into per-thread chunks;
    /// the chunks' winners are merged in feature order, so the result does not depend on the threads.
    func bestSplit(histogram: UnsafePointer<HistogramBin>, layout: HistogramLayout, missingBins: [UInt8],
                   features: [Int], parent: NodeSums, threadCount: Int = 1,
                   parallelBinThreshold: Int = SplitFinder.parallelBinThreshold) -> SplitCandidate? {
        if parent.count < 2 * minDataInLeaf || parent.sumHessians < 2 * minSumHessianInLeaf { return nil }
        let parentScore = score(parent.sumGradients, parent.sumHessians)
        let binTotal = layout.totalBinCount * features.count / max(1, missingBins.count)
        let chunkCount = threadCount > 1 && binTotal >= parallelBinThreshold && features.count >= 2
            ? min(threadCount, features.count) : 1
        if chunkCount == 1 {
            return bestSplit(histogram: histogram, layout: layout, missingBins: missingBins, features: features[...],
                             parent: parent, parentScore: parentScore)
        }
        var winners = [SplitCandidate?](repeating: nil, count: chunkCount)
        winners.withUnsafeMutableBufferPointer { buffer in
            let out = BoostingSharedPointer(buffer.baseAddress!)
            let source = BoostingSharedPointer(UnsafeMutablePointer(mutating: histogram))
            gradientBoostingParallelChunks(total: features.count, chunkCount: chunkCount) { chunk, range in
                out.base[chunk] = bestSplit(histogram: source.base, layout: layout, missingBins: missingBins,
                                            features: features[range], parent: parent, parentScore: parentScore)
            }
        }
        var best: SplitCandidate? = nil
        for case let candidate? in winners where candidate.gain > (best?.gain ?? -.infinity) { best = candidate }
        return best
    }

    /// Histogram bins (over the features searched) above which split finding runs on several threads:
    /// scanning a bin costs a few nanoseconds and waking the workers some ten microseconds.
    static let parallelBinThreshold = 16_384

    private func bestSplit(histogram: UnsafePointer<HistogramBin>, layout: HistogramLayout, missingBins: [UInt8],
                           features: ArraySlice<Int>, parent: NodeSums, parentScore: Double) -> SplitCandidate? {
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
        var best = ScanBest(gain: -.infinity, bin: -1, missingGoesLeft: false,
                            left: NodeSums(sumGradients: 0, sumHessians: 0, count: 0))
        let threshold = parentScore + minGainToSplit
        // Pass 1: missing values (if any) go right; thresholds 0 ..< missingBin (the last one
        // separates non-missing from missing and exists only when there are missing values).
        // Among exact ties the highest threshold wins, as in LightGBM's reverse scan.
        let lastThreshold = missing.count > 0 ? missingBin - 1 : missingBin - 2
        if lastThreshold >= 0 {
            scan(bins, last: lastThreshold, start: NodeSums(sumGradients: 0, sumHessians: 0, count: 0), parent: parent,
                 threshold: threshold, missingGoesLeft: false, tiesMoveUp: true, best: &best)
        }
        // Pass 2: missing values go left; thresholds 0 ... missingBin − 2.
        if missing.count > 0 && missingBin >= 2 {
            scan(bins, last: missingBin - 2,
                 start: NodeSums(sumGradients: missing.sumGradients, sumHessians: missing.sumHessians, count: missing.count),
                 parent: parent, threshold: threshold, missingGoesLeft: true, tiesMoveUp: false, best: &best)
        }
        guard best.bin >= 0 else { return nil }
        let right = NodeSums(sumGradients: parent.sumGradients - best.left.sumGradients,
                             sumHessians: parent.sumHessians - best.left.sumHessians,
                             count: parent.count - best.left.count)
        var missingGoesLeft = best.missingGoesLeft
        if missing.count == 0 { missingGoesLeft = best.left.count >= right.count }
        return SplitCandidate(feature: feature, binThreshold: best.bin, missingGoesLeft: missingGoesLeft,
                              gain: best.gain - parentScore, left: best.left, right: right)
    }

    struct ScanBest {
        var gain: Double
        var bin: Int
        var missingGoesLeft: Bool
        var left: NodeSums
    }

    /// Scans thresholds `0 ... last`, the left side starting from `start`. Empty bins are skipped (they
    /// repeat the previous partition); the scan stops once the right side is too small, since it only shrinks.
    @inline(__always)
    private func scan(_ bins: UnsafePointer<HistogramBin>, last: Int, start: NodeSums, parent: NodeSums,
                      threshold: Double, missingGoesLeft: Bool, tiesMoveUp: Bool, best: inout ScanBest) {
        var leftG = start.sumGradients, leftH = start.sumHessians, leftCount = start.count
        var previousWasBest = false
        for t in 0 ... last {
            let bin = bins[t]
            if bin.count == 0 {
                // Same partition as threshold t − 1: a tie, which moves the best up when ties do.
                if previousWasBest && tiesMoveUp { best.bin = t }
                continue
            }
            leftG += bin.sumGradients; leftH += bin.sumHessians; leftCount += bin.count
            previousWasBest = false
            if leftCount < minDataInLeaf || leftH < minSumHessianInLeaf { continue }
            let rightG = parent.sumGradients - leftG, rightH = parent.sumHessians - leftH
            if parent.count - leftCount < minDataInLeaf || rightH < minSumHessianInLeaf { break }
            let gain = score(leftG, leftH) + score(rightG, rightH)
            if gain > threshold && (gain > best.gain || (tiesMoveUp && gain == best.gain)) {
                best = ScanBest(gain: gain, bin: t, missingGoesLeft: missingGoesLeft,
                                left: NodeSums(sumGradients: leftG, sumHessians: leftH, count: leftCount))
                previousWasBest = true
            }
        }
    }
}
