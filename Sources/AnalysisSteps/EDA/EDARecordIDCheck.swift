import Evaluation

/// The record-id leak check: how well the number in the record id (`train-16028` → 16028) alone ranks the segment.
///
/// An id that predicts the segment says how the export was ordered or sampled; it is a leak to
/// report, never a signal for a model (the test ids come from another numbering).
public struct RecordIDCheck: Sendable, Equatable {
    /// Single-column ROC AUC of the id number against the segment (pos = 1).
    public var auc: Double
    /// The AUC's 95 % confidence interval (DeLong standard error, normal approximation).
    public var interval: RateInterval
    /// Labelled users whose id has a number.
    public var userCount: Int

    /// Checks `idNumbers` against `labels` (1 = pos); `nil` when the counts differ or a class is missing.
    public init?(idNumbers: [Double], labels: [UInt8], confidence: Double = 0.95) {
        guard idNumbers.count == labels.count, labels.contains(0), labels.contains(1) else { return nil }
        auc = rocAUC(scores: idNumbers, labels: labels)
        interval = rocAUCConfidenceInterval(scores: idNumbers, labels: labels, confidence: confidence).interval
        userCount = labels.count
    }

    /// Whether 0.5 (no information) lies outside the interval: the id order tells the classes apart.
    public var isLeak: Bool { interval.lower > 0.5 || interval.upper < 0.5 }

    /// The sentence for the data-quality section, with the warning when ``isLeak``.
    public var sentence: String {
        let figures = "ROC AUC \(EDAFormat.decimal(auc, digits: 3)) (95 % CI "
            + "\(EDAFormat.decimal(interval.lower, digits: 3))–\(EDAFormat.decimal(interval.upper, digits: 3)), "
            + "\(EDAFormat.count(userCount)) labelled users)"
        if isLeak {
            return "Warning — record-id leak: the number in the record id alone ranks the segment with \(figures); "
                + "0.5 lies outside the interval, so the order of the export depends on the segment. "
                + "An id that predicts the segment is a leak to report, not a signal to use: "
                + "keep it out of every model."
        }
        return "Record-id leak check: the number in the record id ranks the segment with \(figures); "
            + "the interval holds 0.5, so the ids carry no sign of the segment."
    }
}
