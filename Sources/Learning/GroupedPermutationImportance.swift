import Core
import Evaluation

/// Grouped permutation importance: the held-out AUC drop when all columns of a group (a feature
/// family) are shuffled together with one shared row permutation, which keeps the group's
/// internal structure and measures what the group adds beyond the other groups.
///
/// Returns the baseline AUC and, per group, `repeatCount` drops (baseline − permuted AUC).
public func groupedPermutationImportance(
    model: any BinaryClassifier, features: DenseMatrix, labels: [UInt8],
    groups: [[Int]], repeatCount: Int = 3, seed: UInt64 = 0
) throws(CrossValidationError) -> (baselineAUC: Double, drops: [[Double]]) {
    guard repeatCount >= 1 else { throw .invalidRepeatCount(repeatCount) }
    guard features.rowCount == labels.count else {
        throw .labelCountMismatch(rowCount: features.rowCount, labelCount: labels.count)
    }
    let n = features.rowCount, d = features.columnCount
    let baseline = rocAUC(scores: model.predictProbability(features), labels: labels)
    var working = features
    var result: [[Double]] = []
    for (g, columns) in groups.enumerated() {
        precondition(columns.allSatisfy { $0 >= 0 && $0 < d }, "groupedPermutationImportance: group \(g) names a column outside 0..<\(d)")
        var generator = SeededGenerator(seed: seed, stream: UInt64(g))
        var drops: [Double] = []
        for _ in 0 ..< repeatCount {
            var order = Array(0 ..< n)
            generator.shuffle(&order)
            for c in columns {
                for r in 0 ..< n { working.values[r * d + c] = features.values[order[r] * d + c] }
            }
            drops.append(baseline - rocAUC(scores: model.predictProbability(working), labels: labels))
        }
        for c in columns {
            for r in 0 ..< n { working.values[r * d + c] = features.values[r * d + c] }
        }
        result.append(drops)
    }
    return (baseline, result)
}
