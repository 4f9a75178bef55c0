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
    let drops = try permutedAUCDrops(model: model, features: features, labels: labels, baseline: baseline,
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
        let drops = try permutedAUCDrops(model: model, features: heldOut, labels: heldOutLabels, baseline: baseline,
                                     repeatCount: repeatCount, seed: seed &+ UInt64(fold.index) &* 1_000_003,
                                     columns: selected)
        for (k, entry) in drops.enumerated() { pooled[k].append(contentsOf: entry.drops) }
    }
    let importances = selected.indices.map {
        PermutationImportance(column: selected[$0], name: features.columnNames[selected[$0]], drops: pooled[$0])
    }
    return (baselineTotal / Double(max(folds.count, 1)), importances)
}

/// Each column shuffled on its own (a group of one, on the seeded stream named by the column, so a
/// column's drops do not depend on which other columns are evaluated).
private func permutedAUCDrops(model: any BinaryClassifier, features: DenseMatrix, labels: [UInt8], baseline: Double,
                              repeatCount: Int, seed: UInt64, columns: [Int]) throws(CrossValidationError) -> [(column: Int, drops: [Double])] {
    let d = features.columnCount
    if let bad = columns.first(where: { !(0 ..< d).contains($0) }) { throw .columnOutOfRange(column: bad, columnCount: d) }
    let drops = permutedGroupDrops(scorer: PermutationScorer(model: model, features: features), features: features, labels: labels,
                                   baseline: baseline, groups: columns.map { [$0] }, streams: columns.map(UInt64.init),
                                   repeatCount: repeatCount, seed: seed)
    return Array(zip(columns, drops))
}
/// Scores held-out rows again after some of their columns were shuffled (permutation importance).
///
/// For a gradient-boosting model it keeps each tree's value on the untouched rows and evaluates
/// again only the trees that split on a changed column; the per-row sum runs over the trees in
/// the model's order from the initial score, as `predictRawScores` does, so every probability (and
/// hence every AUC) is bit-identical to predicting the whole matrix again. Any other model is
/// simply asked to predict the whole matrix.
struct PermutationScorer: Sendable {
    let model: any BinaryClassifier
    let rowCount: Int
    private let boosting: GradientBoostingModel?
    /// `treeValues[t * rowCount + r]`: tree `t`'s value on untouched row `r` (boosting only).
    private let treeValues: [Double]
    /// For each column, the trees that split on it (boosting only).
    private let treesByColumn: [[Int]]

    init(model: any BinaryClassifier, features: DenseMatrix) {
        self.model = model
        rowCount = features.rowCount
        guard let boosting = model as? GradientBoostingModel, boosting.featureCount == features.columnCount else {
            (self.boosting, treeValues, treesByColumn) = (nil, [], [])
            return
        }
        self.boosting = boosting
        var byColumn = [[Int]](repeating: [], count: features.columnCount)
        for (t, tree) in boosting.trees.enumerated() {
            for column in Set(tree.splitFeatures) { byColumn[column].append(t) }
        }
        treesByColumn = byColumn
        let trees = boosting.trees
        treeValues = parallelMap(count: trees.count) { t in Self.values(of: trees[t], on: features) }.flatMap { $0 }
    }

    /// One tree's value on every row of `features`.
    private static func values(of tree: RegressionTree, on features: DenseMatrix) -> [Double] {
        let width = features.columnCount
        return features.values.withUnsafeBufferPointer { v in
            (0 ..< features.rowCount).map { r in tree.value(row: v.baseAddress! + r * width) }
        }
    }

    /// P(pos) of every row of `working`, which differs from the scorer's rows only in `changedColumns`.
    /// Runs on the calling thread (callers parallelise over columns).
    func probabilities(_ working: DenseMatrix, changedColumns: [Int]) -> [Double] {
        guard let boosting else { return model.predictProbability(working) }
        var changed = [Bool](repeating: false, count: boosting.trees.count)
        for column in changedColumns { for t in treesByColumn[column] { changed[t] = true } }
        var scores = [Double](repeating: boosting.initialScore, count: rowCount)
        treeValues.withUnsafeBufferPointer { cached in
            for (t, tree) in boosting.trees.enumerated() {
                if changed[t] {
                    let fresh = Self.values(of: tree, on: working)
                    for r in 0 ..< rowCount { scores[r] += fresh[r] }
                } else {
                    let base = t * rowCount
                    for r in 0 ..< rowCount { scores[r] += cached[base + r] }
                }
            }
        }
        return scores.map(GradientBoostingClassifier.sigmoid)
    }
}

/// The AUC drops of shuffling each group of columns together (one row permutation per repeat,
/// drawn from the seeded stream `streams[g]`), `repeatCount` times per group.
///
/// Groups run concurrently, each on its own copy of the rows; every group's drops depend only on
/// its own stream, so the result does not depend on the thread count or on the other groups.
func permutedGroupDrops(scorer: PermutationScorer, features: DenseMatrix, labels: [UInt8], baseline: Double,
                        groups: [[Int]], streams: [UInt64], repeatCount: Int, seed: UInt64) -> [[Double]] {
    let n = features.rowCount, d = features.columnCount
    let chunkCount = min(groups.count, 2 * ProcessInfoCores.activeCount)
    return parallelChunks(count: groups.count, chunkCount: max(1, chunkCount)) { range -> [[Double]] in
        var working = features
        return range.map { g in
            var generator = SeededGenerator(seed: seed, stream: streams[g])
            var drops: [Double] = []
            for _ in 0 ..< repeatCount {
                var order = Array(0 ..< n)
                generator.shuffle(&order)
                for c in groups[g] {
                    for r in 0 ..< n { working.values[r * d + c] = features.values[order[r] * d + c] }
                }
                drops.append(baseline - rocAUC(scores: scorer.probabilities(working, changedColumns: groups[g]), labels: labels))
            }
            for c in groups[g] {
                for r in 0 ..< n { working.values[r * d + c] = features.values[r * d + c] }
            }
            return drops
        }
    }.flatMap { $0 }
}
