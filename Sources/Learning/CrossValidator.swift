import Core
import Evaluation
import Foundation

/// One fold's held-out metrics.
public struct FoldMetrics: Codable, Sendable, Equatable {
    public var fold: Int
    public var auc: Double
    public var logLoss: Double
    public var fitSeconds: Double
}

/// What a learner returns for one fold: a score per validation row and anything it keeps (fold model, test scores).
public struct FoldOutput<Kept: Sendable>: Sendable {
    public var validationScores: [Double]
    public var kept: Kept

    public init(validationScores: [Double], kept: Kept) {
        self.validationScores = validationScores
        self.kept = kept
    }
}

/// The result of ``crossValidate(labels:folds:fit:)``: out-of-fold scores, per-fold metrics and what each fold kept.
public struct CrossValidationResult<Kept: Sendable>: Sendable {
    /// Each row scored by the fold model that did not train on it.
    public var outOfFold: [Double]
    public var folds: [FoldMetrics]
    /// What each fold's learner kept, in fold order.
    public var kept: [Kept]

    public var meanAUC: Double { folds.isEmpty ? .nan : folds.map(\.auc).reduce(0, +) / Double(folds.count) }
}

/// The one cross-validation engine: fits on each fold's train rows, scores its validation rows,
/// and measures AUC, log-loss and fit seconds per fold.
///
/// With `concurrentFoldCount` > 1 that many folds are fitted at the same time (each fold's `fit` should
/// then use `1 / concurrentFoldCount` of the cores). Results are gathered by fold index, so a
/// deterministic `fit` gives the same result whatever the concurrency; fit seconds are then wall-clock
/// seconds of folds that shared the machine.
///
/// Throws ``CrossValidationError/scoreCountMismatch`` when a fold returns the wrong number of scores,
/// ``CrossValidationError/invalidConcurrency`` when `concurrentFoldCount` < 1, and the first (in fold
/// order) error a fold's `fit` throws.
public func crossValidate<Kept: Sendable>(
    labels: [UInt8], folds: [Fold], concurrentFoldCount: Int = 1, fit: (Fold) throws -> FoldOutput<Kept>
) throws -> CrossValidationResult<Kept> {
    try crossValidate(learnerCount: 1, labels: labels, folds: folds, concurrentJobCount: concurrentFoldCount) { _, fold in
        try fit(fold)
    }[0]
}

/// ``crossValidate(labels:folds:concurrentFoldCount:fit:)`` for `learnerCount` learners on the same folds at
/// once: every (learner, fold) pair is one job, and `concurrentJobCount` jobs run at a time, taken in
/// learner-then-fold order as workers free up. Pooling the learners keeps every core busy to the end
/// (5 folds on 2 lanes leave one core idle for the last fold of each learner). Results, one per
/// learner in learner order, are gathered by index and so do not depend on the concurrency; errors are
/// reported for the first failing job in learner-then-fold order.
public func crossValidate<Kept: Sendable>(
    learnerCount: Int, labels: [UInt8], folds: [Fold], concurrentJobCount: Int = 1,
    fit: (_ learner: Int, _ fold: Fold) throws -> FoldOutput<Kept>
) throws -> [CrossValidationResult<Kept>] {
    guard concurrentJobCount >= 1 else { throw CrossValidationError.invalidConcurrency(concurrentJobCount) }
    for fold in folds {
        if let bad = fold.validationIndices.first(where: { $0 < 0 || $0 >= labels.count }) {
            throw CrossValidationError.rowOutOfRange(row: bad, rowCount: labels.count)
        }
    }
    func timed(_ job: Int) -> Result<(output: FoldOutput<Kept>, seconds: Double), any Error> {
        let start = DispatchTime.now().uptimeNanoseconds
        return Result { try fit(job / folds.count, folds[job % folds.count]) }
            .map { ($0, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9) }
    }
    let jobCount = learnerCount * folds.count
    // Exactly `concurrentJobCount` lanes (parallelMap would use every core), each claiming the next job.
    let lanes = WorkerPool(threadCount: min(concurrentJobCount, max(1, jobCount)))
    defer { lanes.shutdown() }
    let slots = ParallelResultSlots<Result<(output: FoldOutput<Kept>, seconds: Double), any Error>>(count: jobCount)
    lanes.run(taskCount: jobCount) { slots.store(timed($0), at: $0) }
    let outcomes = slots.results()
    return try (0 ..< learnerCount).map { learner in
        try gatherFolds(labels: labels, folds: folds,
                        outcomes: outcomes[learner * folds.count ..< (learner + 1) * folds.count].map { try $0.get() })
    }
}

/// One learner's cross-validation result from its folds' outputs (in fold order).
private func gatherFolds<Kept: Sendable>(
    labels: [UInt8], folds: [Fold], outcomes: [(output: FoldOutput<Kept>, seconds: Double)]
) throws -> CrossValidationResult<Kept> {
    var outOfFold = [Double](repeating: .nan, count: labels.count)
    var metrics: [FoldMetrics] = []
    var kept: [Kept] = []
    for (fold, (output, seconds)) in zip(folds, outcomes) {
        guard output.validationScores.count == fold.validationIndices.count else {
            throw CrossValidationError.scoreCountMismatch(fold: fold.index, scoreCount: output.validationScores.count,
                                                          rowCount: fold.validationIndices.count)
        }
        for (k, row) in fold.validationIndices.enumerated() { outOfFold[row] = output.validationScores[k] }
        let foldLabels = fold.validationIndices.map { labels[$0] }
        metrics.append(FoldMetrics(fold: fold.index, auc: rocAUC(scores: output.validationScores, labels: foldLabels),
                                   logLoss: logLoss(probabilities: output.validationScores, labels: foldLabels),
                                   fitSeconds: seconds))
        kept.append(output.kept)
    }
    return CrossValidationResult(outOfFold: outOfFold, folds: metrics, kept: kept)
}
