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
    let d = features.columnCount
    if let bad = groups.joined().first(where: { !(0 ..< d).contains($0) }) { throw .columnOutOfRange(column: bad, columnCount: d) }
    let baseline = rocAUC(scores: model.predictProbability(features), labels: labels)
    let drops = permutedGroupDrops(scorer: PermutationScorer(model: model, features: features), features: features, labels: labels,
                                   baseline: baseline, groups: groups, streams: groups.indices.map(UInt64.init),
                                   repeatCount: repeatCount, seed: seed)
    return (baseline, drops)
}
