/// Scores grouped by equal value, highest first: the ranking that a budget ("the top 10 %") cuts.
public struct RankedScoreGroups: Sendable {
    /// Row indices sorted by score, highest first (ties by row index).
    public let order: [Int]
    /// Group `g` is `order[groupStarts[g] ..< groupStarts[g + 1]]`; it has one score.
    public let groupStarts: [Int]
    /// Each group's score, decreasing.
    public let groupScores: [Double]

    public init(scores: [Double]) {
        let order = scores.indices.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
        var starts: [Int] = [], groupScores: [Double] = []
        for (position, row) in order.enumerated() where position == 0 || scores[row] != groupScores[groupScores.count - 1] {
            starts.append(position)
            groupScores.append(scores[row])
        }
        starts.append(order.count)
        self.order = order
        self.groupStarts = starts
        self.groupScores = groupScores
    }

    public var groupCount: Int { groupScores.count }

    /// Per group, the sum of `rowValue(row)` over its rows.
    public func groupSums(_ rowValue: (Int) -> Double) -> [Double] {
        (0 ..< groupCount).map { g in
            var total = 0.0
            for position in groupStarts[g] ..< groupStarts[g + 1] { total += rowValue(order[position]) }
            return total
        }
    }

    /// The top `fraction` of the total weight, highest scores first: the weight taken and the sum of
    /// `values` over it. A group of tied scores straddling the cut contributes in proportion (the
    /// expectation over a random order of the ties, as ``cumulativeGain`` counts it).
    public static func topFraction(_ fraction: Double, weights: [Double], values: [Double],
                                   totalWeight: Double? = nil) -> (weight: Double, value: Double) {
        let target = fraction * (totalWeight ?? weights.reduce(0, +))
        var taken = 0.0, value = 0.0
        for g in weights.indices where taken < target && weights[g] > 0 {
            let share = min(weights[g], target - taken) / weights[g]
            taken += share * weights[g]
            value += share * values[g]
        }
        return (taken, value)
    }
}

/// Isotonic (monotone non-decreasing) calibration of scores into probabilities, fitted by
/// pool-adjacent-violators on weighted rows; between the fitted blocks it interpolates linearly and
/// beyond the lowest and highest fitted scores it is constant (scikit-learn's `IsotonicRegression`
/// with `out_of_bounds="clip"`).
public struct IsotonicCalibrator: Sendable, Equatable {
    /// Interpolation knots, scores increasing (a block spanning several scores gives two knots).
    public let knotScores: [Double]
    public let knotProbabilities: [Double]

    /// Fits on groups of equal scores in increasing order: each group's score, total weight and
    /// weighted positive count (groups with zero weight are skipped).
    public init(increasingScores scores: [Double], weights: [Double], positives: [Double]) {
        // Pool adjacent violators: a stack of blocks (first score, last score, weight, positives) in parallel arrays.
        var lows: [Double] = [], highs: [Double] = [], blockWeights: [Double] = [], blockPositives: [Double] = []
        lows.reserveCapacity(scores.count); highs.reserveCapacity(scores.count)
        blockWeights.reserveCapacity(scores.count); blockPositives.reserveCapacity(scores.count)
        for i in scores.indices where weights[i] > 0 {
            var low = scores[i], weight = weights[i], positive = positives[i]
            // Merge with the blocks before while their rate is not below the new block's.
            while let last = blockWeights.indices.last, blockPositives[last] * weight >= positive * blockWeights[last] {
                low = lows[last]; weight += blockWeights[last]; positive += blockPositives[last]
                lows.removeLast(); highs.removeLast(); blockWeights.removeLast(); blockPositives.removeLast()
            }
            lows.append(low); highs.append(scores[i]); blockWeights.append(weight); blockPositives.append(positive)
        }
        var knotScores: [Double] = [], knotProbabilities: [Double] = []
        knotScores.reserveCapacity(2 * lows.count); knotProbabilities.reserveCapacity(2 * lows.count)
        for b in lows.indices {
            let rate = blockPositives[b] / blockWeights[b]
            knotScores.append(lows[b]); knotProbabilities.append(rate)
            if highs[b] > lows[b] { knotScores.append(highs[b]); knotProbabilities.append(rate) }
        }
        self.knotScores = knotScores
        self.knotProbabilities = knotProbabilities
    }

    /// Fits on one row per score with unit weight (`labels` 0/1).
    public init(scores: [Double], labels: [UInt8]) {
        let ranked = RankedScoreGroups(scores: scores)
        let weights = ranked.groupSums { _ in 1 }
        let positives = ranked.groupSums { Double(labels[$0]) }
        self.init(increasingScores: ranked.groupScores.reversed(), weights: weights.reversed(), positives: positives.reversed())
    }

    /// The calibrated probability of `score`.
    public func probability(_ score: Double) -> Double {
        guard let first = knotScores.first, let last = knotScores.last else { return .nan }
        if score <= first { return knotProbabilities[0] }
        if score >= last { return knotProbabilities[knotProbabilities.count - 1] }
        // The first knot above `score` (binary search).
        var low = 0, high = knotScores.count - 1
        while high - low > 1 {
            let middle = (low + high) / 2
            if knotScores[middle] <= score { low = middle } else { high = middle }
        }
        let t = (score - knotScores[low]) / (knotScores[high] - knotScores[low])
        return knotProbabilities[low] + t * (knotProbabilities[high] - knotProbabilities[low])
    }
}
