/// A receiver operating characteristic curve: false- and true-positive rates as the threshold falls.
///
/// Point `i` classifies as positive every row with `score >= thresholds[i]`. The first point is
/// `(0, 0)` with threshold `+infinity`, the last `(1, 1)`, as in scikit-learn's `roc_curve`.
public struct ROCCurve: Sendable, Equatable {
    public var falsePositiveRates: [Double]
    public var truePositiveRates: [Double]
    public var thresholds: [Double]

    public init(falsePositiveRates: [Double], truePositiveRates: [Double], thresholds: [Double]) {
        self.falsePositiveRates = falsePositiveRates
        self.truePositiveRates = truePositiveRates
        self.thresholds = thresholds
    }

    /// Area under the curve by the trapezoidal rule (equals `rocAUC` of the same data).
    public var area: Double {
        guard falsePositiveRates.count > 1 else { return .nan }
        var total = 0.0
        for i in 1 ..< falsePositiveRates.count {
            total += (falsePositiveRates[i] - falsePositiveRates[i - 1])
                * (truePositiveRates[i] + truePositiveRates[i - 1]) / 2
        }
        return total
    }
}

/// The ROC curve of `scores` against 0/1 `labels` (1 = positive).
///
/// One point per distinct score. With `dropIntermediate`, points lying on a straight segment
/// between their neighbours are removed (scikit-learn's `drop_intermediate=True`), which leaves
/// the area unchanged. Rates are NaN when a class is absent.
public func rocCurve(scores: [Double], labels: [UInt8], dropIntermediate: Bool = true) -> ROCCurve {
    let groups = TiedScoreGroups(scores: scores, labels: labels)
    var falsePositives = [0], truePositives = [0]
    var thresholds = [Double.infinity]
    var fp = 0, tp = 0
    for g in 0 ..< groups.scores.count {
        fp += groups.negativeCounts[g]
        tp += groups.positiveCounts[g]
        falsePositives.append(fp)
        truePositives.append(tp)
        thresholds.append(groups.scores[g])
    }
    var keep = Array(0 ..< thresholds.count)
    if dropIntermediate, thresholds.count > 2 {
        keep = [0]
        for i in 1 ..< thresholds.count - 1 {
            // Keep the point unless it is collinear with both neighbours (second difference zero).
            let fpBend = falsePositives[i + 1] - 2 * falsePositives[i] + falsePositives[i - 1]
            let tpBend = truePositives[i + 1] - 2 * truePositives[i] + truePositives[i - 1]
            if fpBend != 0 || tpBend != 0 { keep.append(i) }
        }
        keep.append(thresholds.count - 1)
    }
    let negativeTotal = Double(groups.totalNegativeCount)
    let positiveTotal = Double(groups.totalPositiveCount)
    return ROCCurve(
        falsePositiveRates: keep.map { negativeTotal > 0 ? Double(falsePositives[$0]) / negativeTotal : .nan },
        truePositiveRates: keep.map { positiveTotal > 0 ? Double(truePositives[$0]) / positiveTotal : .nan },
        thresholds: keep.map { thresholds[$0] }
    )
}

/// Exact area under the ROC curve, ties counted as half (Mann–Whitney U with average ranks).
///
/// AUC = P(score of a random positive > score of a random negative) + ½ P(equal).
/// Computed in `O(n log n)`: for each group of tied scores, its positives beat every negative
/// ranked below and tie with the group's own negatives. Returns NaN when a class is absent.
public func rocAUC(scores: [Double], labels: [UInt8]) -> Double {
    let groups = TiedScoreGroups(scores: scores, labels: labels)
    guard groups.totalPositiveCount > 0, groups.totalNegativeCount > 0 else { return .nan }
    var negativesBelow = groups.totalNegativeCount
    var wins = 0.0  // pairs (positive, negative) with the positive scored higher, ties counted ½
    for g in 0 ..< groups.scores.count {
        negativesBelow -= groups.negativeCounts[g]
        let positives = Double(groups.positiveCounts[g])
        wins += positives * (Double(negativesBelow) + 0.5 * Double(groups.negativeCounts[g]))
    }
    return wins / (Double(groups.totalPositiveCount) * Double(groups.totalNegativeCount))
}

/// `rocAUC` for single-precision scores.
public func rocAUC(scores: [Float], labels: [UInt8]) -> Double {
    rocAUC(scores: scores.map(Double.init), labels: labels)
}
