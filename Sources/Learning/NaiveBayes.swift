import Core

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A problem with naive Bayes settings or data, naming the bad value.
public enum NaiveBayesError: Error, Equatable, CustomStringConvertible {
    case invalidSmoothing(Double)
    case noRows
    case labelCountMismatch(rowCount: Int, labelCount: Int)
    case invalidLabel(row: Int, value: UInt8)
    case singleClass(label: UInt8)
    case invalidCount(row: Int, column: Int, value: Float)
    case columnIndexOutOfRange(row: Int, column: Int, columnCount: Int)

    public var description: String {
        switch self {
        case .invalidSmoothing(let alpha): return "naive Bayes: smoothing α must be positive and finite, got \(alpha)"
        case .noRows: return "naive Bayes: no training rows"
        case .labelCountMismatch(let rows, let labels): return "naive Bayes: \(rows) rows but \(labels) labels"
        case .invalidLabel(let row, let value): return "naive Bayes: label at row \(row) is \(value), expected 0 or 1"
        case .singleClass(let label): return "naive Bayes: every training label is \(label); both classes are needed"
        case .invalidCount(let row, let column, let value):
            return "naive Bayes: value at row \(row), column \(column) is \(value); counts must be finite and non-negative"
        case .columnIndexOutOfRange(let row, let column, let count):
            return "naive Bayes: sparse row \(row) refers to column \(column) of \(count)"
        }
    }
}

/// Which naive Bayes event model to fit.
public enum NaiveBayesKind: String, Sendable, Codable, CaseIterable {
    /// Multinomial NB (McCallum & Nigam 1998): log θ_cj = log((N_cj + α) / (N_c + α·d)).
    case multinomial
    /// Complement NB (Rennie, Shih, Teevan & Karger 2003): weights from the *other* class's
    /// counts, w_cj = −log((N_¬c,j + α) / (N_¬c + α·d)); better with unbalanced classes.
    case complement
}

/// Naive Bayes for two classes on non-negative counts or TF-IDF weights (sparse or dense),
/// with Laplace/Lidstone smoothing α (scikit-learn's `MultinomialNB` / `ComplementNB`).
public struct NaiveBayes: Sendable {
    public let kind: NaiveBayesKind
    public let smoothing: Double

    public init(kind: NaiveBayesKind = .multinomial, smoothing: Double = 1) throws(NaiveBayesError) {
        guard smoothing > 0, smoothing.isFinite else { throw .invalidSmoothing(smoothing) }
        self.kind = kind
        self.smoothing = smoothing
    }

    public func fit(features: SparseMatrix, labels: [UInt8]) throws(NaiveBayesError) -> NaiveBayesModel {
        guard features.rowCount > 0 else { throw .noRows }
        guard labels.count == features.rowCount else {
            throw .labelCountMismatch(rowCount: features.rowCount, labelCount: labels.count)
        }
        var counts = [[Double]](repeating: [Double](repeating: 0, count: features.columnCount), count: 2)
        for row in 0 ..< features.rowCount {
            let label = labels[row]
            guard label <= 1 else { throw .invalidLabel(row: row, value: label) }
            for k in features.rowOffsets[row] ..< features.rowOffsets[row + 1] {
                let column = Int(features.columnIndices[k])
                guard column >= 0, column < features.columnCount else {
                    throw .columnIndexOutOfRange(row: row, column: column, columnCount: features.columnCount)
                }
                let value = features.values[k]
                guard value >= 0, value.isFinite else { throw .invalidCount(row: row, column: column, value: value) }
                counts[Int(label)][column] += Double(value)
            }
        }
        return try model(featureCounts: counts, labels: labels)
    }

    public func fit(features: DenseMatrix, labels: [UInt8]) throws(NaiveBayesError) -> NaiveBayesModel {
        guard features.rowCount > 0 else { throw .noRows }
        guard labels.count == features.rowCount else {
            throw .labelCountMismatch(rowCount: features.rowCount, labelCount: labels.count)
        }
        let d = features.columnCount
        var counts = [[Double]](repeating: [Double](repeating: 0, count: d), count: 2)
        for row in 0 ..< features.rowCount {
            let label = labels[row]
            guard label <= 1 else { throw .invalidLabel(row: row, value: label) }
            for column in 0 ..< d {
                let value = features.values[row * d + column]
                guard value >= 0, value.isFinite else { throw .invalidCount(row: row, column: column, value: value) }
                counts[Int(label)][column] += Double(value)
            }
        }
        return try model(featureCounts: counts, labels: labels)
    }

    private func model(featureCounts counts: [[Double]], labels: [UInt8]) throws(NaiveBayesError) -> NaiveBayesModel {
        let positives = labels.reduce(0) { $0 + Int($1) }
        guard positives > 0, positives < labels.count else { throw .singleClass(label: labels[0]) }
        let d = counts[0].count
        let classLogPriors = [log(Double(labels.count - positives) / Double(labels.count)),
                              log(Double(positives) / Double(labels.count))]
        var weights = [[Double]]()
        for c in 0 ..< 2 {
            let source = kind == .multinomial ? counts[c] : counts[1 - c]
            let total = source.reduce(0, +) + smoothing * Double(d)
            let logTheta = source.map { log(($0 + smoothing) / total) }
            weights.append(kind == .multinomial ? logTheta : logTheta.map { -$0 })
        }
        return NaiveBayesModel(kind: kind, featureLogWeights: weights,
                               classLogPriors: kind == .multinomial ? classLogPriors : [0, 0])
    }
}

/// A fitted two-class naive Bayes model. The joint log-likelihood of class c is
/// prior_c + Σⱼ xⱼ·weight_cj; P(positive) is its softmax over the two classes.
public struct NaiveBayesModel: BinaryClassifier, Codable, Equatable {
    public var kind: NaiveBayesKind
    /// `[negative, positive]` per-feature log weights.
    public var featureLogWeights: [[Double]]
    /// `[negative, positive]` log priors (zero for complement NB, as scikit-learn).
    public var classLogPriors: [Double]

    /// Log-odds of the positive class, log P(pos | x) − log P(neg | x), per sparse row.
    public func logOdds(_ features: SparseMatrix) -> [Double] {
        precondition(features.columnCount == featureLogWeights[0].count,
                     "NaiveBayesModel: fitted on \(featureLogWeights[0].count) columns, given \(features.columnCount)")
        let difference = zip(featureLogWeights[1], featureLogWeights[0]).map { $0 - $1 }
        let bias = classLogPriors[1] - classLogPriors[0]
        return features.linearScores(weights: difference, bias: bias)
    }

    /// Log-odds of the positive class per dense row (values read as counts; NaN counts as 0).
    public func logOdds(_ features: DenseMatrix) -> [Double] {
        let d = features.columnCount
        precondition(d == featureLogWeights[0].count,
                     "NaiveBayesModel: fitted on \(featureLogWeights[0].count) columns, given \(d)")
        let difference = zip(featureLogWeights[1], featureLogWeights[0]).map { $0 - $1 }
        let bias = classLogPriors[1] - classLogPriors[0]
        let values = features.values
        return parallelChunks(count: features.rowCount) { rows in
            rows.map { r in
                var z = bias
                for j in 0 ..< d where !values[r * d + j].isNaN { z += difference[j] * Double(values[r * d + j]) }
                return z
            }
        }.flatMap { $0 }
    }

    public func predictProbability(_ features: SparseMatrix) -> [Double] { logOdds(features).map(logisticSigmoid) }
    public func predictProbability(_ features: DenseMatrix) -> [Double] { logOdds(features).map(logisticSigmoid) }
}
