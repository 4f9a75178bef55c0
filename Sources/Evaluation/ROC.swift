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

/// ROC AUC with its DeLong standard error (DeLong, DeLong & Clarke-Pearson 1988) and a normal
/// confidence interval clipped to [0, 1].
///
/// With V₁₀(i) = P(negative scored below positive i) (+ ½ ties) and V₀₁(j) = P(positive scored
/// above negative j) (+ ½ ties), Var(AUC) = s²(V₁₀)/m + s²(V₀₁)/n for m positives and n negatives
/// (sample variances). Rows sharing a score share their V, so it is `O(n log n)`.
public func rocAUCConfidenceInterval(scores: [Double], labels: [UInt8],
                                     confidence: Double = 0.95) -> (interval: RateInterval, standardError: Double) {
    precondition(confidence > 0 && confidence < 1, "rocAUCConfidenceInterval: confidence \(confidence) is not in (0, 1)")
    let groups = TiedScoreGroups(scores: scores, labels: labels)
    let m = groups.totalPositiveCount, n = groups.totalNegativeCount
    guard m > 0, n > 0 else { return (RateInterval(rate: .nan, lower: .nan, upper: .nan), .nan) }
    // Per group: V10 of its positives and V01 of its negatives.
    var negativesBelow = n, positivesAbove = 0
    var sum10 = 0.0, squares10 = 0.0, sum01 = 0.0, squares01 = 0.0
    for g in 0 ..< groups.scores.count {
        negativesBelow -= groups.negativeCounts[g]
        let v10 = (Double(negativesBelow) + 0.5 * Double(groups.negativeCounts[g])) / Double(n)
        let v01 = (Double(positivesAbove) + 0.5 * Double(groups.positiveCounts[g])) / Double(m)
        sum10 += Double(groups.positiveCounts[g]) * v10
        squares10 += Double(groups.positiveCounts[g]) * v10 * v10
        sum01 += Double(groups.negativeCounts[g]) * v01
        squares01 += Double(groups.negativeCounts[g]) * v01 * v01
        positivesAbove += groups.positiveCounts[g]
    }
    let auc = sum10 / Double(m)
    let variance10 = m > 1 ? max(0, (squares10 - Double(m) * auc * auc) / Double(m - 1)) : 0
    let variance01 = n > 1 ? max(0, (squares01 - Double(n) * auc * auc) / Double(n - 1)) : 0
    let standardError = (variance10 / Double(m) + variance01 / Double(n)).squareRoot()
    let z = standardNormalQuantile(0.5 + confidence / 2)
    return (RateInterval(rate: auc, lower: max(0, auc - z * standardError), upper: min(1, auc + z * standardError)),
            standardError)
}
