/// A precision–recall curve, recall decreasing, ending at `(recall 0, precision 1)` as in
/// scikit-learn's `precision_recall_curve`.
///
/// Point `i` (except the last) classifies as positive every row with `score >= thresholds[i]`;
/// `thresholds` has one element fewer than `precisions` and `recalls`.
public struct PrecisionRecallCurve: Sendable, Equatable {
    public var precisions: [Double]
    public var recalls: [Double]
    public var thresholds: [Double]

    public init(precisions: [Double], recalls: [Double], thresholds: [Double]) {
        self.precisions = precisions
        self.recalls = recalls
        self.thresholds = thresholds
    }
}

/// The precision–recall curve of `scores` against 0/1 `labels`, one point per distinct score.
///
/// Like scikit-learn (1.1 and later) every threshold is kept, also those after full recall is
/// reached. Recall is NaN when there are no positives.
public func precisionRecallCurve(scores: [Double], labels: [UInt8]) -> PrecisionRecallCurve {
    let groups = TiedScoreGroups(scores: scores, labels: labels)
    var precisions = [Double](), recalls = [Double](), thresholds = [Double]()
    var tp = 0, fp = 0
    let positiveTotal = Double(groups.totalPositiveCount)
    for g in 0 ..< groups.scores.count {
        tp += groups.positiveCounts[g]
        fp += groups.negativeCounts[g]
        precisions.append(Double(tp) / Double(tp + fp))
        recalls.append(positiveTotal > 0 ? Double(tp) / positiveTotal : .nan)
        thresholds.append(groups.scores[g])
    }
    // Decreasing recall, then the conventional end point.
    precisions.reverse(); recalls.reverse(); thresholds.reverse()
    precisions.append(1)
    recalls.append(0)
    return PrecisionRecallCurve(precisions: precisions, recalls: recalls, thresholds: thresholds)
}

/// Average precision, scikit-learn's definition: AP = Σₙ (Rₙ − Rₙ₋₁) Pₙ over the distinct
/// thresholds, highest first (a step function, no interpolation). NaN without positives.
public func averagePrecision(scores: [Double], labels: [UInt8]) -> Double {
    let groups = TiedScoreGroups(scores: scores, labels: labels)
    guard groups.totalPositiveCount > 0 else { return .nan }
    let positiveTotal = Double(groups.totalPositiveCount)
    var tp = 0, fp = 0
    var previousRecall = 0.0
    var total = 0.0
    for g in 0 ..< groups.scores.count {
        tp += groups.positiveCounts[g]
        fp += groups.negativeCounts[g]
        let recall = Double(tp) / positiveTotal
        let precision = Double(tp) / Double(tp + fp)
        total += (recall - previousRecall) * precision
        previousRecall = recall
    }
    return total
}
