/// A 2 × 2 confusion table at one threshold (`score >= threshold` predicts positive).
public struct ConfusionCounts: Sendable, Equatable {
    public var truePositiveCount: Int
    public var falsePositiveCount: Int
    public var trueNegativeCount: Int
    public var falseNegativeCount: Int

    public init(truePositiveCount: Int, falsePositiveCount: Int, trueNegativeCount: Int, falseNegativeCount: Int) {
        self.truePositiveCount = truePositiveCount
        self.falsePositiveCount = falsePositiveCount
        self.trueNegativeCount = trueNegativeCount
        self.falseNegativeCount = falseNegativeCount
    }

    /// TP / (TP + FP); NaN when nothing is predicted positive.
    public var precision: Double { ratio(truePositiveCount, truePositiveCount + falsePositiveCount) }
    /// TP / (TP + FN), the true-positive rate; NaN without positives.
    public var recall: Double { ratio(truePositiveCount, truePositiveCount + falseNegativeCount) }
    /// 2PR / (P + R) = 2TP / (2TP + FP + FN).
    public var f1: Double { ratio(2 * truePositiveCount, 2 * truePositiveCount + falsePositiveCount + falseNegativeCount) }
    public var accuracy: Double {
        ratio(truePositiveCount + trueNegativeCount,
              truePositiveCount + trueNegativeCount + falsePositiveCount + falseNegativeCount)
    }

    private func ratio(_ a: Int, _ b: Int) -> Double { b > 0 ? Double(a) / Double(b) : .nan }
}

/// The confusion table of `scores` against 0/1 `labels` at `threshold`.
public func confusionCounts(scores: [Double], labels: [UInt8], threshold: Double) -> ConfusionCounts {
    precondition(scores.count == labels.count, "confusionCounts: \(scores.count) scores but \(labels.count) labels")
    var counts = ConfusionCounts(truePositiveCount: 0, falsePositiveCount: 0, trueNegativeCount: 0, falseNegativeCount: 0)
    for i in 0 ..< scores.count {
        let predicted = scores[i] >= threshold, actual = labels[i] != 0
        switch (predicted, actual) {
        case (true, true): counts.truePositiveCount += 1
        case (true, false): counts.falsePositiveCount += 1
        case (false, false): counts.trueNegativeCount += 1
        case (false, true): counts.falseNegativeCount += 1
        }
    }
    return counts
}

/// The threshold (one of the distinct scores) with the highest F1, and that F1; `nil` without positives.
public func bestF1Threshold(scores: [Double], labels: [UInt8]) -> (threshold: Double, f1: Double)? {
    let groups = TiedScoreGroups(scores: scores, labels: labels)
    guard groups.totalPositiveCount > 0 else { return nil }
    var tp = 0, fp = 0
    var best: (threshold: Double, f1: Double)?
    for g in 0 ..< groups.scores.count {
        tp += groups.positiveCounts[g]
        fp += groups.negativeCounts[g]
        let fn = groups.totalPositiveCount - tp
        let f1 = Double(2 * tp) / Double(2 * tp + fp + fn)
        if best == nil || f1 > best!.f1 { best = (groups.scores[g], f1) }
    }
    return best
}
