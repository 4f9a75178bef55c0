import Core

/// A problem with cross-validation settings or data, naming the bad value.
public enum CrossValidationError: Error, Equatable, CustomStringConvertible {
    case invalidFoldCount(Int)
    case tooFewRows(rowCount: Int, foldCount: Int)
    case labelCountMismatch(rowCount: Int, labelCount: Int)
    case invalidRepeatCount(Int)
    case scoreCountMismatch(fold: Int, scoreCount: Int, rowCount: Int)
    case rowOutOfRange(row: Int, rowCount: Int)
    case columnOutOfRange(column: Int, columnCount: Int)
    case invalidConcurrency(Int)

    public var description: String {
        switch self {
        case .invalidFoldCount(let count):
            return "cross-validation: foldCount must be at least 2, got \(count)"
        case .tooFewRows(let rows, let folds):
            return "cross-validation: \(rows) rows cannot be split into \(folds) folds"
        case .labelCountMismatch(let rows, let labels):
            return "cross-validation: \(rows) feature rows but \(labels) labels"
        case .invalidRepeatCount(let count):
            return "permutation importance: repeatCount must be at least 1, got \(count)"
        case .scoreCountMismatch(let fold, let scores, let rows):
            return "cross-validation: fold \(fold) returned \(scores) scores for \(rows) validation rows"
        case .rowOutOfRange(let row, let rows):
            return "cross-validation: fold row \(row) is outside 0..<\(rows)"
        case .invalidConcurrency(let count):
            return "cross-validation: concurrentFoldCount must be at least 1, got \(count)"
        case .columnOutOfRange(let column, let columns):
            return "permutation importance: column \(column) is outside 0..<\(columns)"
        }
    }
}

/// One train/validation split of the rows (indices ascending in each part).
public struct Fold: Sendable, Equatable {
    public var index: Int
    public var trainIndices: [Int]
    public var validationIndices: [Int]

    public init(index: Int, trainIndices: [Int], validationIndices: [Int]) {
        self.index = index
        self.trainIndices = trainIndices
        self.validationIndices = validationIndices
    }
}

/// Stratified k-fold: every fold's validation part keeps the class ratio of the whole
/// (scikit-learn's `StratifiedKFold(shuffle=True)`).
///
/// Each class's rows are shuffled with the seed and dealt to the folds in turn, the dealing
/// continuing across classes, so fold sizes differ by at most one and each fold holds
/// ⌊n_c / k⌋ or ⌈n_c / k⌉ rows of class c. The validation parts partition the rows.
public struct StratifiedKFold: Sendable, Equatable {
    public let foldCount: Int
    public let seed: UInt64

    public init(foldCount: Int, seed: UInt64) throws(CrossValidationError) {
        guard foldCount >= 2 else { throw .invalidFoldCount(foldCount) }
        self.foldCount = foldCount
        self.seed = seed
    }

    /// The fold (0 ..< foldCount) whose validation part holds each row.
    public func foldAssignments(labels: [UInt8]) throws(CrossValidationError) -> [Int] {
        guard labels.count >= foldCount else { throw .tooFewRows(rowCount: labels.count, foldCount: foldCount) }
        var generator = SeededGenerator(seed: seed)
        var negatives = [Int](), positives = [Int]()
        for (row, label) in labels.enumerated() {
            if label != 0 { positives.append(row) } else { negatives.append(row) }
        }
        generator.shuffle(&negatives)
        generator.shuffle(&positives)
        var assignment = [Int](repeating: 0, count: labels.count)
        var next = 0
        for row in positives + negatives {
            assignment[row] = next
            next = (next + 1) % foldCount
        }
        return assignment
    }

    /// The `foldCount` train/validation splits.
    public func folds(labels: [UInt8]) throws(CrossValidationError) -> [Fold] {
        let assignment = try foldAssignments(labels: labels)
        var validation = [[Int]](repeating: [], count: foldCount)
        for (row, fold) in assignment.enumerated() { validation[fold].append(row) }
        return (0 ..< foldCount).map { fold in
            var train = [Int]()
            train.reserveCapacity(labels.count - validation[fold].count)
            for (row, f) in assignment.enumerated() where f != fold { train.append(row) }
            return Fold(index: fold, trainIndices: train, validationIndices: validation[fold])
        }
    }
}

/// Out-of-fold predictions for a dense learner through ``crossValidate(labels:folds:fit:)``:
/// `fit(trainFeatures, trainLabels)` returns a fitted `BinaryClassifier`, which then scores the validation rows.
public func outOfFoldPredictions(
    features: DenseMatrix, labels: [UInt8], folds: [Fold],
    fit: (DenseMatrix, [UInt8]) throws -> any BinaryClassifier
) throws -> [Double] {
    guard features.rowCount == labels.count else {
        throw CrossValidationError.labelCountMismatch(rowCount: features.rowCount, labelCount: labels.count)
    }
    return try crossValidate(labels: labels, folds: folds) { fold in
        let model = try fit(features.rows(fold.trainIndices), fold.trainIndices.map { labels[$0] })
        return FoldOutput(validationScores: model.predictProbability(features.rows(fold.validationIndices)), kept: ())
    }.outOfFold
}
