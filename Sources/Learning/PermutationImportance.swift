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
/// For a gradient-boosting model it keeps the leaf each untouched row reaches in each tree, and
/// the columns split on along the path to each leaf. After a shuffle only the rows whose path
/// splits on a changed column are sent down that tree again; every other row keeps its leaf. The
/// per-row sum runs over the trees in the model's order from the initial score, as
/// `predictRawScores` does, so every probability (and hence every AUC) is bit-identical to
/// predicting the whole matrix again. Any other model is asked to predict the whole matrix.
struct PermutationScorer: Sendable {
    let model: any BinaryClassifier
    let rowCount: Int
    private let boosting: GradientBoostingModel?
    /// `leaves[t * rowCount + r]`: the leaf untouched row `r` reaches in tree `t` (boosting only).
    private let leaves: [Int32]
    /// `pathColumns[t][leaf]`: the columns split on along the path from tree `t`'s root to `leaf`.
    private let pathColumns: [[[Int]]]
    /// The scorer's rows column by column (`columnMajor[c * rowCount + r]`, boosting only): rows sent down
    /// a tree again read each split's column in row order instead of striding over whole rows.
    private let columnMajor: [Float]

    init(model: any BinaryClassifier, features: DenseMatrix) {
        self.model = model
        rowCount = features.rowCount
        guard let boosting = model as? GradientBoostingModel, boosting.featureCount == features.columnCount else {
            (self.boosting, leaves, pathColumns, columnMajor) = (nil, [], [], [])
            return
        }
        self.boosting = boosting
        let trees = boosting.trees, width = features.columnCount, rowCount = rowCount
        pathColumns = trees.map(Self.pathColumns)
        var columnMajor = [Float](repeating: 0, count: features.values.count)
        for r in 0 ..< rowCount { for c in 0 ..< width { columnMajor[c * rowCount + r] = features.values[r * width + c] } }
        self.columnMajor = columnMajor
        leaves = rowCount == 0 || width == 0 ? [] : Self.withColumns(columnMajor, rowCount: rowCount, width: width, replacing: [], by: []) { columns in
            let columns = UncheckedSendableBox(columns)
            return parallelMap(count: trees.count) { t in
                (0 ..< rowCount).map { r in Self.leaf(of: trees[t], row: r, columns: columns.value) }
            }.flatMap { $0 }
        }
    }

    /// The leaf row `row` reaches when column `c` is read from `columns[c]` (one pointer per column, each
    /// to `rowCount` values): the decisions of ``RegressionTree``'s `value(row:)`.
    @inline(__always)
    static func leaf(of tree: RegressionTree, row: Int, columns: UnsafePointer<UnsafePointer<Float>>) -> Int32 {
        if tree.splitFeatures.isEmpty { return 0 }
        var node = 0
        while node >= 0 {
            let v = columns[tree.splitFeatures[node]][row]
            let goLeft = v.isNaN ? tree.missingGoesLeft[node] : Double(v) <= tree.thresholds[node]
            node = goLeft ? tree.leftChildren[node] : tree.rightChildren[node]
        }
        return Int32(~node)
    }

    /// Calls `body` with one pointer per column: into the column-major `original`, except column
    /// `replaced[k]`, which is read from `replacements[k * rowCount ..< (k + 1) * rowCount]`.
    static func withColumns<Result>(_ original: [Float], rowCount: Int, width: Int, replacing replaced: [Int], by replacements: [Float],
                                    _ body: (UnsafePointer<UnsafePointer<Float>>) -> Result) -> Result {
        original.withUnsafeBufferPointer { original in
            replacements.withUnsafeBufferPointer { replacements in
                var columns = (0 ..< width).map { original.baseAddress! + $0 * rowCount }
                for (k, c) in replaced.enumerated() { columns[c] = replacements.baseAddress! + k * rowCount }
                return columns.withUnsafeBufferPointer { body($0.baseAddress!) }
            }
        }
    }

    /// For each leaf of `tree`, the columns split on along its path from the root.
    static func pathColumns(_ tree: RegressionTree) -> [[Int]] {
        var result = [[Int]](repeating: [], count: tree.leafCount)
        guard !tree.splitFeatures.isEmpty else { return result }
        var stack: [(node: Int, path: [Int])] = [(0, [])]
        while let (node, path) = stack.popLast() {
            let below = path + [tree.splitFeatures[node]]
            for child in [tree.leftChildren[node], tree.rightChildren[node]] {
                if child < 0 { result[~child] = below } else { stack.append((child, below)) }
            }
        }
        return result
    }

    /// P(pos) of every row of `working`, which differs from the scorer's rows only in `changedColumns`.
    /// Runs on the calling thread (callers parallelise over columns).
    func probabilities(_ working: DenseMatrix, changedColumns: [Int]) -> [Double] {
        guard let boosting else { return model.predictProbability(working) }
        guard rowCount > 0, working.columnCount > 0 else { return model.predictProbability(working) }
        let changed = Set(changedColumns), width = working.columnCount, rowCount = rowCount
        var scores = [Double](repeating: boosting.initialScore, count: rowCount)
        // The changed columns of `working`, column by column; every other column is the scorer's own.
        let changedList = Array(changed).sorted()
        var changedValues = [Float](repeating: 0, count: changedList.count * rowCount)
        for (k, c) in changedList.enumerated() {
            for r in 0 ..< rowCount { changedValues[k * rowCount + r] = working.values[r * width + c] }
        }
        Self.withColumns(columnMajor, rowCount: rowCount, width: width, replacing: changedList, by: changedValues) { columns in
            for (t, tree) in boosting.trees.enumerated() {
                let base = t * rowCount, values = tree.leafValues
                let touched = pathColumns[t].map { $0.contains(where: changed.contains) }
                for r in 0 ..< rowCount {
                    var leaf = leaves[base + r]
                    if touched[Int(leaf)] { leaf = Self.leaf(of: tree, row: r, columns: columns) }
                    scores[r] += values[Int(leaf)]
                }
            }
        }
        return scores.map { BinaryLogLoss.probability(score: $0) }
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
