import Core
import Evaluation

/// The importance of one column: how much held-out ROC AUC drops when the column is shuffled.
public struct PermutationImportance: Sendable, Equatable {
    public var column: Int
    public var name: String
    /// Mean AUC drop over all repeats (and folds): baseline AUC − AUC with the column permuted.
    public var meanDrop: Double
    /// Standard deviation of the drops.
    public var standardDeviation: Double
    /// Every individual drop.
    public var drops: [Double]

    public init(column: Int, name: String, drops: [Double]) {
        self.column = column
        self.name = name
        self.drops = drops
        let mean = drops.isEmpty ? .nan : drops.reduce(0, +) / Double(drops.count)
        meanDrop = mean
        standardDeviation = drops.count > 1
            ? (drops.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(drops.count - 1)).squareRoot() : 0
    }
}

/// Permutation importance (Breiman 2001; scikit-learn's `permutation_importance` with
/// `scoring="roc_auc"`) of a fitted model on held-out rows: each column in turn is shuffled
/// `repeatCount` times (seeded), and the drop in AUC is recorded. Results are in column order;
/// sort by `meanDrop` for a ranking.
public func permutationImportance(
    model: any BinaryClassifier, features: DenseMatrix, labels: [UInt8],
    repeatCount: Int = 5, seed: UInt64 = 0, columns: [Int]? = nil
) throws(CrossValidationError) -> (baselineAUC: Double, importances: [PermutationImportance]) {
    guard repeatCount >= 1 else { throw .invalidRepeatCount(repeatCount) }
    guard features.rowCount == labels.count else {
        throw .labelCountMismatch(rowCount: features.rowCount, labelCount: labels.count)
    }
    let baseline = rocAUC(scores: model.predictProbability(features), labels: labels)
    let drops = permutedAUCDrops(model: model, features: features, labels: labels, baseline: baseline,
                                 repeatCount: repeatCount, seed: seed, columns: columns ?? Array(0 ..< features.columnCount))
    let importances = drops.map { PermutationImportance(column: $0.column, name: features.columnNames[$0.column], drops: $0.drops) }
    return (baseline, importances)
}

/// Permutation importance on the held-out fold of each split: the model is fitted on each fold's
/// training rows and its validation rows are permuted; drops are pooled over folds and repeats.
public func crossValidatedPermutationImportance(
    features: DenseMatrix, labels: [UInt8], folds: [Fold], repeatCount: Int = 3, seed: UInt64 = 0,
    columns: [Int]? = nil, fit: (DenseMatrix, [UInt8]) throws -> any BinaryClassifier
) throws -> (meanBaselineAUC: Double, importances: [PermutationImportance]) {
    guard repeatCount >= 1 else { throw CrossValidationError.invalidRepeatCount(repeatCount) }
    guard features.rowCount == labels.count else {
        throw CrossValidationError.labelCountMismatch(rowCount: features.rowCount, labelCount: labels.count)
    }
    let selected = columns ?? Array(0 ..< features.columnCount)
    var pooled = [[Double]](repeating: [], count: selected.count)
    var baselineTotal = 0.0
    for fold in folds {
        let model = try fit(features.rows(fold.trainIndices), fold.trainIndices.map { labels[$0] })
        let heldOut = features.rows(fold.validationIndices)
        let heldOutLabels = fold.validationIndices.map { labels[$0] }
        let baseline = rocAUC(scores: model.predictProbability(heldOut), labels: heldOutLabels)
        baselineTotal += baseline
        let drops = permutedAUCDrops(model: model, features: heldOut, labels: heldOutLabels, baseline: baseline,
                                     repeatCount: repeatCount, seed: seed &+ UInt64(fold.index) &* 1_000_003,
                                     columns: selected)
        for (k, entry) in drops.enumerated() { pooled[k].append(contentsOf: entry.drops) }
    }
    let importances = selected.indices.map {
        PermutationImportance(column: selected[$0], name: features.columnNames[selected[$0]], drops: pooled[$0])
    }
    return (baselineTotal / Double(max(folds.count, 1)), importances)
}

/// Shuffles each column of one working copy in place, scores, and restores it.
private func permutedAUCDrops(model: any BinaryClassifier, features: DenseMatrix, labels: [UInt8], baseline: Double,
                              repeatCount: Int, seed: UInt64, columns: [Int]) -> [(column: Int, drops: [Double])] {
    var working = features
    let n = features.rowCount, d = features.columnCount
    return columns.map { column in
        precondition(column >= 0 && column < d, "permutationImportance: column \(column) of \(d)")
        // One stream per column: results do not depend on which other columns are evaluated.
        var generator = SeededGenerator(seed: seed, stream: UInt64(column))
        let original = (0 ..< n).map { features.values[$0 * d + column] }
        var drops = [Double]()
        for _ in 0 ..< repeatCount {
            var shuffled = original
            generator.shuffle(&shuffled)
            for r in 0 ..< n { working.values[r * d + column] = shuffled[r] }
            drops.append(baseline - rocAUC(scores: model.predictProbability(working), labels: labels))
        }
        for r in 0 ..< n { working.values[r * d + column] = original[r] }
        return (column, drops)
    }
}
