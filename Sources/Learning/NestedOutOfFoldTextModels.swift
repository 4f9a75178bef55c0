import Core
import Foundation

/// A learner on sparse rows whose fitted form is linear in the row (logistic regression, naive Bayes),
/// used for nested out-of-fold text-model scores.
public enum SparseTextLearner: Sendable, Codable, Equatable, Hashable, CustomStringConvertible {
    /// L2 logistic regression with inverse regularisation `C` (rows used as given, not standardised).
    case logistic(inverseRegularization: Double)
    /// Naive Bayes of `kind` with additive smoothing α.
    case naiveBayes(kind: NaiveBayesKind, smoothing: Double)

    public var description: String {
        switch self {
        case .logistic(let c): "logistic(C=\(c))"
        case .naiveBayes(let kind, let alpha): "naiveBayes(\(kind.rawValue), α=\(alpha))"
        }
    }

    /// L-BFGS tolerance of the nested logistic fits: scikit-learn's default `tol`. Their scores only feed
    /// boosting's splits, and a tighter 1e-6 took twice the iterations for the same AUC.
    public static let logisticGradientTolerance = 1e-4
    /// Correction pairs of the nested logistic fits (as ``ModelSettings``' 60: fewer iterations on TF-IDF rows).
    public static let logisticMemoryCount = 60

    /// Fits on `features` / `labels` and returns the fitted log-odds scorer.
    public func fit(features: SparseMatrix, labels: [UInt8]) throws -> SparseLinearScorer {
        switch self {
        case .logistic(let c):
            let model = try LogisticRegression(inverseRegularization: c, standardize: false,
                                               gradientTolerance: Self.logisticGradientTolerance, memoryCount: Self.logisticMemoryCount)
                .fit(features: features, labels: labels)
            return SparseLinearScorer(weights: model.coefficients, bias: model.intercept)
        case .naiveBayes(let kind, let alpha):
            let model = try NaiveBayes(kind: kind, smoothing: alpha).fit(features: features, labels: labels)
            let weights = zip(model.featureLogWeights[1], model.featureLogWeights[0]).map { $0 - $1 }
            return SparseLinearScorer(weights: weights, bias: model.classLogPriors[1] - model.classLogPriors[0])
        }
    }
}

/// A fitted linear scorer on sparse rows: `bias + Σ weights[column] · value` (the log-odds of the
/// positive class for logistic regression and two-class naive Bayes).
public struct SparseLinearScorer: Sendable, Equatable {
    public var weights: [Double]
    public var bias: Double

    public init(weights: [Double], bias: Double) {
        self.weights = weights
        self.bias = bias
    }

    /// The scorer whose score is the mean of `scorers`' scores (linear, so the mean of the weights).
    public static func mean(of scorers: [SparseLinearScorer]) -> SparseLinearScorer {
        guard scorers.count > 1 else { return scorers[0] }
        var weights = [Double](repeating: 0, count: scorers[0].weights.count)
        for scorer in scorers { for j in weights.indices { weights[j] += scorer.weights[j] } }
        let n = Double(scorers.count)
        return SparseLinearScorer(weights: weights.map { $0 / n }, bias: scorers.reduce(0) { $0 + $1.bias } / n)
    }

    /// The score of each row of `features` (which must have `weights.count` columns).
    public func logOdds(_ features: SparseMatrix) -> [Double] {
        precondition(features.columnCount == weights.count,
                     "SparseLinearScorer: fitted on \(weights.count) columns, given \(features.columnCount)")
        return features.linearScores(weights: weights, bias: bias)
    }
}

/// One text model whose nested out-of-fold scores become a column: a learner on a sparse matrix
/// given for every train row and every test row (same columns).
public struct NestedTextModel: Sendable {
    /// Column name of its scores (`text_nb_titles`); also part of the fit cache's key.
    public var name: String
    public var learner: SparseTextLearner
    public var train: SparseMatrix
    public var test: SparseMatrix

    /// Throws when the name is empty or train and test differ in columns.
    public init(name: String, learner: SparseTextLearner, train: SparseMatrix, test: SparseMatrix) throws(NestedOutOfFoldError) {
        guard !name.isEmpty else { throw .badModel(name: name, reason: "the name is empty") }
        guard train.columnCount == test.columnCount else {
            throw .badModel(name: name, reason: "train has \(train.columnCount) columns, test \(test.columnCount)")
        }
        self.name = name
        self.learner = learner
        self.train = train
        self.test = test
    }
}

extension SparseMatrix {
    /// The columns whose name satisfies `keep`, in their order (renumbered), rows unchanged.
    public func keepingColumns(where keep: (String) -> Bool) -> SparseMatrix {
        var newIndex = [Int32](repeating: -1, count: columnCount)
        var names: [String] = []
        for (c, name) in columnNames.enumerated() where keep(name) {
            newIndex[c] = Int32(names.count)
            names.append(name)
        }
        var offsets = [0]
        offsets.reserveCapacity(rowCount + 1)
        var indices: [Int32] = []
        var kept: [Float] = []
        for r in 0 ..< rowCount {
            for k in rowOffsets[r] ..< rowOffsets[r + 1] {
                let target = newIndex[Int(columnIndices[k])]
                if target >= 0 { indices.append(target); kept.append(values[k]) }
            }
            offsets.append(indices.count)
        }
        return SparseMatrix(rowCount: rowCount, columnCount: names.count, rowOffsets: offsets, columnIndices: indices,
                            values: kept, columnNames: names)
    }
}

/// Fitted text models kept between calls, so a fit on the same rows (the same left-out groups) is
/// made once: with the outer folds as the inner split, the fit without folds {j, k} serves outer
/// folds j and k, and the fit without fold k serves outer fold k and the inner split of a fit on all rows.
///
/// Entries belong to one *scope* (a hash of the labels, the groups and the text models' data); a
/// different scope empties the cache, so stale fits are never reused. Thread-safe.
public final class NestedFitCache: @unchecked Sendable {
    private let lock = NSLock()
    private var scope: UInt64?
    private var fits: [String: SparseLinearScorer] = [:]

    public init() {}

    /// Number of fits held.
    public var count: Int { lock.withLock { fits.count } }

    /// Empties the cache unless it already holds fits of `scope`.
    func enter(scope newScope: UInt64) {
        lock.withLock {
            if scope != newScope { fits = [:]; scope = newScope }
        }
    }

    func fit(_ key: String) -> SparseLinearScorer? { lock.withLock { fits[key] } }
    func store(_ fit: SparseLinearScorer, key: String) { lock.withLock { fits[key] = fit } }
}

/// A 64-bit hash of data (FNV-1a over 64-bit words), for cache scopes.
struct ScopeHasher {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func combine(_ word: UInt64) {
        value = (value ^ word) &* 0x0000_0100_0000_01b3
        value ^= value >> 29
    }

    mutating func combine<T: FixedWidthInteger>(_ values: [T]) {
        combine(UInt64(values.count))
        for v in values { combine(UInt64(truncatingIfNeeded: v)) }
    }

    mutating func combine(_ values: [Float]) {
        combine(UInt64(values.count))
        for v in values { combine(UInt64(v.bitPattern)) }
    }

    mutating func combine(_ text: String) {
        combine(Array(text.utf8))
    }

    mutating func combine(_ matrix: SparseMatrix) {
        combine(UInt64(matrix.rowCount))
        combine(UInt64(matrix.columnCount))
        combine(matrix.rowOffsets)
        combine(matrix.columnIndices)
        combine(matrix.values)
    }
}
