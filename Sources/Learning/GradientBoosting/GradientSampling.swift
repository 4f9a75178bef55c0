import Core
import Foundation

/// Gradient-based one-side sampling of one fit's rows, round by round (see `GradientOneSideSampling`
/// for the maths; LightGBM's `GOSSStrategy` in `src/boosting/goss.hpp`).
///
/// Each sampling round keeps the `topCount` rows with the largest `|g·h|` (ties at the threshold go to
/// the lower row numbers), then draws exactly `otherCount` of the remaining rows in one ascending pass
/// (selection sampling, as bagging) and multiplies their gradient and hessian by `amplification` in
/// place. The caller recomputes every gradient and hessian at the start of the next round, so the
/// amplification lasts for one tree only; the rows outside the sample keep their derivatives and get
/// their score update by traversal, as out-of-bag rows do.
///
/// Unlike LightGBM, which ranks and draws within each thread's block of rows (so its sample depends on
/// the thread count), the ranking is global and the draws come from one generator seeded by the fit's
/// seed and the round: the sample is the same at any thread count.
struct GradientOneSideSampler {
    let rowCount: Int
    /// Rows kept for their large `|g·h|`: `max(1, ⌊topRate·N⌋)`, as LightGBM.
    let topCount: Int
    /// Rows drawn at random from the rest: `⌊otherRate·N⌋` (at most the rest).
    let otherCount: Int
    /// Factor on the drawn rows' gradients and hessians: `(N − topCount) / otherCount`, in `Float` as
    /// LightGBM's `score_t`; equal to `(1 − a) / b` when the counts are exact.
    let amplification: Float
    /// Rounds before the first sample (`⌊1 / learningRate⌋`), which use every row.
    let warmUpRoundCount: Int
    let seed: UInt64
    /// The current sample (ascending), nil while every row is used.
    private(set) var sampledRows: [Int32]?
    /// The rows outside the current sample (ascending).
    private(set) var unsampledRows: [Int32] = []
    /// Scratch: each row's ranking key.
    private var keys: [UInt32]

    init(sampling: GradientOneSideSampling, learningRate: Double, rowCount: Int, seed: UInt64) {
        self.rowCount = rowCount
        topCount = min(rowCount, max(1, Int(Double(rowCount) * sampling.topRate)))
        otherCount = min(rowCount - topCount, Int(Double(rowCount) * sampling.otherRate))
        amplification = otherCount > 0 ? Float(rowCount - topCount) / Float(otherCount) : 1
        warmUpRoundCount = Int(1.0 / learningRate)
        self.seed = seed
        keys = [UInt32](repeating: 0, count: rowCount)
    }

    /// Whether `round` grows its tree on a sample.
    func samples(round: Int) -> Bool { round >= warmUpRoundCount && topCount + otherCount < rowCount }

    /// The ranking key of a row: the bit pattern of `|g·h|` (LightGBM's ranking, computed in `Float`
    /// as LightGBM does). For non-negative floats the bit patterns order as the values.
    @inline(__always)
    static func rankKey(gradient: Float, hessian: Float) -> UInt32 { abs(gradient * hessian).bitPattern }

    /// Draws the sample of `round` and amplifies the drawn small-gradient rows' derivatives in place;
    /// clears the sample in the warm-up rounds.
    mutating func resample(round: Int, gradients: UnsafeMutablePointer<Float>, hessians: UnsafeMutablePointer<Float>) {
        guard samples(round: round) else {
            sampledRows = nil
            unsampledRows = []
            return
        }
        let threshold = keys.withUnsafeMutableBufferPointer { keys in
            for i in 0 ..< rowCount { keys[i] = Self.rankKey(gradient: gradients[i], hessian: hessians[i]) }
            return Self.topThreshold(keys: UnsafeBufferPointer(keys), topCount: topCount)
        }
        var generator = SplitMix64(seed: Self.roundSeed(seed: seed, round: round))
        var sampled = [Int32]()
        sampled.reserveCapacity(topCount + otherCount)
        var rest = [Int32]()
        rest.reserveCapacity(rowCount - topCount - otherCount)
        var tiesLeft = threshold.tieCount
        var topTaken = 0
        var otherTaken = 0
        for i in 0 ..< rowCount {
            let key = keys[i]
            if key > threshold.key || (key == threshold.key && tiesLeft > 0) {
                if key == threshold.key { tiesLeft -= 1 }
                topTaken += 1
                sampled.append(Int32(i))
                continue
            }
            // Selection sampling over the rows not in the top: exactly `otherCount` are drawn.
            let needed = otherCount - otherTaken
            let left = (rowCount - i) - (topCount - topTaken)
            if needed > 0 && generator.nextUnitDouble() * Double(left) < Double(needed) {
                otherTaken += 1
                sampled.append(Int32(i))
                gradients[i] *= amplification
                hessians[i] *= amplification
            } else {
                rest.append(Int32(i))
            }
        }
        sampledRows = sampled
        unsampledRows = rest
    }

    /// The seed of one round's draws: the fit's seed and the round, mixed, so that the feature
    /// sampling's generator is untouched and rounds are independent.
    static func roundSeed(seed: UInt64, round: Int) -> UInt64 {
        splitMix64(splitMix64(seed ^ 0x474F_5353) &+ UInt64(round))
    }

    /// The `topCount`-th largest key and how many rows holding exactly that key belong to the top (every
    /// larger key does), by a two-pass radix select on 16-bit digits: O(N), no sort.
    static func topThreshold(keys: UnsafeBufferPointer<UInt32>, topCount: Int) -> (key: UInt32, tieCount: Int) {
        precondition(topCount >= 1 && topCount <= keys.count, "topCount \(topCount) outside 1 ... \(keys.count)")
        var counts = [Int](repeating: 0, count: 1 << 16)
        for key in keys { counts[Int(key >> 16)] += 1 }
        let high = Self.digitHolding(rank: topCount, counts: counts, largerCount: 0)
        for d in counts.indices { counts[d] = 0 }
        for key in keys where key >> 16 == UInt32(high.digit) { counts[Int(key & 0xFFFF)] += 1 }
        let low = Self.digitHolding(rank: topCount, counts: counts, largerCount: high.largerCount)
        return (UInt32(high.digit) << 16 | UInt32(low.digit), topCount - low.largerCount)
    }

    /// Walking the digit counts from the largest digit down (after `largerCount` keys already above
    /// them): the digit at which the `rank`-th largest key falls, and how many keys lie above that digit.
    private static func digitHolding(rank: Int, counts: [Int], largerCount: Int) -> (digit: Int, largerCount: Int) {
        var above = largerCount
        for digit in stride(from: counts.count - 1, through: 0, by: -1) {
            if above + counts[digit] >= rank { return (digit, above) }
            above += counts[digit]
        }
        preconditionFailure("rank \(rank) exceeds the \(above) keys counted")
    }
}

/// A second tree grower over a compact copy of the sampled rows' bins, as LightGBM's GOSS copies a
/// subset data set when `top_rate + other_rate ≤ 0.5`. A sample of 30 % of the rows still touches
/// nearly every cache line of every column when its histograms gather from the full matrix; the copy
/// (one gather per round) makes every histogram of the tree read contiguous bins.
///
/// The sample has the same size every sampling round (exact counts), so the grower and the compact
/// derivative arrays are allocated once. Row `i` of the copy is the `i`-th sampled row (ascending), so
/// the rows meet the histograms in the same order as when gathered from the full matrix.
final class CompactSampleGrower {
    let grower: TreeGrower
    let sampleCount: Int
    private var gradients: [Float]
    private var hessians: [Float]

    /// Whether a sample of `sampleCount` of `rowCount` rows is worth copying (LightGBM's rule: at most half).
    static func isWorthwhile(sampleCount: Int, rowCount: Int) -> Bool { 2 * sampleCount <= rowCount && sampleCount > 0 }

    init(full: TreeGrower, sampleCount: Int, parameters: GradientBoostingParameters) {
        self.sampleCount = sampleCount
        let featureCount = full.missingBins.count
        let empty = BinnedMatrix(rowCount: sampleCount, featureCount: featureCount,
                                 bins: [UInt8](repeating: 0, count: sampleCount * featureCount),
                                 missingBins: full.missingBins)
        grower = TreeGrower(binned: empty, binMapper: full.binMapper, featureInfo: full.featureInfo,
                            parameters: parameters, pool: full.pool)
        gradients = [Float](repeating: 0, count: sampleCount)
        hessians = [Float](repeating: 0, count: sampleCount)
    }

    /// Grows the tree of `rows` (ascending, `sampleCount` of them): copies their bins and derivatives,
    /// grows on the copy, and maps the partition's row indices back to the full rows.
    func grow(rows: [Int32], from full: TreeGrower, features: [Int], gradients fullGradients: [Float],
              hessians fullHessians: [Float]) -> (grown: TreeGrower.GrownTree, rowIndices: [Int32]) {
        precondition(rows.count == sampleCount, "sample of \(rows.count) rows, compact grower holds \(sampleCount)")
        copyBins(rows: rows, from: full, features: features)
        // One exclusive access per array for the whole gather (not one per row of this class's properties).
        gradients.withUnsafeMutableBufferPointer { g in
            hessians.withUnsafeMutableBufferPointer { h in
                for (i, row) in rows.enumerated() {
                    g[i] = fullGradients[Int(row)]
                    h[i] = fullHessians[Int(row)]
                }
            }
        }
        let grown = gradients.withUnsafeBufferPointer { g in
            hessians.withUnsafeBufferPointer { h in
                grower.grow(bagRows: nil, features: features, gradients: g.baseAddress!, hessians: h.baseAddress!)
            }
        }
        let local = grower.partition.allIndices
        let rowIndices = (0 ..< sampleCount).map { rows[Int(local[$0])] }
        return (grown, rowIndices)
    }

    /// Gathers the sampled rows of the tree's feature columns into the compact grower's bins, a feature
    /// per task. The grower reads no other column (its histograms and splits use the tree's features only),
    /// so with a feature fraction the other columns keep an older sample's bins and are not copied.
    private func copyBins(rows: [Int32], from full: TreeGrower, features featureList: [Int]) {
        let featureCount = featureList.count
        let source = BoostingSharedPointer(full.bins)
        let target = BoostingSharedPointer(grower.bins)
        let fullRowCount = full.rowCount
        let count = sampleCount
        rows.withUnsafeBufferPointer { rowBuffer in
            let list = BoostingSharedPointer(UnsafeMutablePointer(mutating: rowBuffer.baseAddress!))
            full.pool.forEachChunk(count: featureCount, chunkCount: min(featureCount, full.pool.threadCount)) { _, positions in
                for position in positions {
                    let f = featureList[position]
                    let from = source.base + f * fullRowCount
                    let to = target.base + f * count
                    for i in 0 ..< count { to[i] = from[Int(list.base[i])] }
                }
            }
        }
    }
}
