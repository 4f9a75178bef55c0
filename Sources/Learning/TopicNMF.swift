import Foundation

/// Non-negative matrix factorisation `V ≈ W·H` minimising the generalised Kullback–Leibler
/// divergence with Lee & Seung's multiplicative updates (scikit-learn's `NMF(beta_loss="kullback-leibler",
/// solver="mu")`). KL-NMF is the maximum-likelihood fit of a Poisson model of the counts, equivalent to
/// probabilistic latent semantic analysis: after `fitTransform` each row of ``components`` is a topic's
/// distribution over the columns (summing to 1) and row `i` of the returned weights holds the expected
/// count of row `i` drawn from each topic. Deterministic by seed: the row chunks are fixed by the row
/// count (never the core count) and merged in chunk order.
public struct TopicNMF: Sendable {
    public let topicCount: Int
    public let iterationCount: Int
    /// Stop early when the relative drop of the divergence over 10 iterations falls below this (0: never).
    public let tolerance: Double
    public let seed: UInt64

    /// Topic distributions over the columns, `topicCount × columnCount` row-major, heaviest topic first.
    public private(set) var components: [Double] = []
    public private(set) var columnCount = 0
    /// Generalised KL divergence after each iteration of the last fit.
    public private(set) var divergenceHistory: [Double] = []

    public init(topicCount: Int, iterationCount: Int = 100, tolerance: Double = 1e-4, seed: UInt64 = 0) throws {
        guard topicCount > 0 else { throw TopicNMFError.invalid("topicCount \(topicCount) must be > 0") }
        guard iterationCount > 0 else { throw TopicNMFError.invalid("iterationCount \(iterationCount) must be > 0") }
        guard tolerance >= 0, tolerance.isFinite else { throw TopicNMFError.invalid("tolerance \(tolerance) must be ≥ 0 and finite") }
        self.topicCount = topicCount
        self.iterationCount = iterationCount
        self.tolerance = tolerance
        self.seed = seed
    }

    /// Fits on the non-negative `matrix` and returns the row weights `W` (`rowCount × topicCount`,
    /// columns `topic0…`), scaled so that each topic's column distribution sums to 1.
    public mutating func fitTransform(_ matrix: SparseMatrix) throws -> DenseMatrix {
        try Self.validate(matrix, topicCount: topicCount)
        var state = NMFState(matrix: matrix, topicCount: topicCount, seed: seed)
        divergenceHistory = []
        for iteration in 0 ..< iterationCount {
            state.updateRowWeights()
            divergenceHistory.append(state.updateTopicsReturningDivergence())
            if tolerance > 0, iteration >= 10, iteration % 10 == 0 {
                let earlier = divergenceHistory[iteration - 10], now = divergenceHistory[iteration]
                if earlier - now < tolerance * max(earlier, .leastNormalMagnitude) { break }
            }
        }
        let (weights, topics) = state.normalizedAndOrdered()
        components = topics
        columnCount = matrix.columnCount
        return DenseMatrix(rowCount: matrix.rowCount, columnCount: topicCount, values: weights.map { Float($0) },
                           columnNames: (0 ..< topicCount).map { "topic\($0)" })
    }

    /// Each row of `weights` divided by its sum (a row of zeros stays zero): the rows' topic shares.
    public static func rowShares(_ weights: DenseMatrix) -> DenseMatrix {
        var out = weights
        let width = weights.columnCount
        for row in 0 ..< weights.rowCount {
            var total: Float = 0
            for c in 0 ..< width { total += weights.values[row * width + c] }
            guard total > 0 else { continue }
            for c in 0 ..< width { out.values[row * width + c] /= total }
        }
        return out
    }

    static func validate(_ matrix: SparseMatrix, topicCount: Int) throws {
        guard topicCount <= min(matrix.rowCount, matrix.columnCount) else {
            throw TopicNMFError.invalid("topicCount \(topicCount) exceeds min(rows \(matrix.rowCount), columns \(matrix.columnCount))")
        }
        if let bad = matrix.values.firstIndex(where: { !($0 >= 0) || !$0.isFinite }) {
            throw TopicNMFError.invalid("entry \(bad) is \(matrix.values[bad]); the matrix must be non-negative and finite")
        }
        guard matrix.values.contains(where: { $0 > 0 }) else { throw TopicNMFError.invalid("the matrix has no positive entry") }
    }
}

/// Bad parameters or input given to ``TopicNMF``.
public enum TopicNMFError: Error, Equatable { case invalid(String) }

/// The factors during a fit: `W` row-major (`rows × k`) and `H` stored transposed (`columns × k`),
/// so that both products over a stored entry read `k` contiguous values.
struct NMFState {
    let matrix: SparseMatrix
    let k: Int
    let chunkCount: Int
    var weights: [Double]
    var topicsTransposed: [Double]

    init(matrix: SparseMatrix, topicCount: Int, seed: UInt64) {
        self.matrix = matrix
        k = topicCount
        chunkCount = coreIndependentChunkCount(rows: matrix.rowCount)
        var total = 0.0
        for v in matrix.values { total += Double(v) }
        // scikit-learn's random init scale: sqrt(mean / k), here times a uniform in [0.5, 1.5).
        let scale = (total / (Double(matrix.rowCount) * Double(matrix.columnCount)) / Double(topicCount)).squareRoot()
        var generator = SeededGenerator(seed: seed, stream: 0x4E4D46)
        weights = (0 ..< matrix.rowCount * topicCount).map { _ in scale * (0.5 + generator.nextUnitDouble()) }
        topicsTransposed = (0 ..< matrix.columnCount * topicCount).map { _ in scale * (0.5 + generator.nextUnitDouble()) }
    }

    /// `W[i,t] *= Σ_j H[t,j]·V[i,j]/(WH)[i,j] / Σ_j H[t,j]`, rows in parallel (each writes its own rows).
    mutating func updateRowWeights() {
        let k = k, matrix = matrix, h = topicsTransposed
        var topicTotals = [Double](repeating: 0, count: k)
        for j in 0 ..< matrix.columnCount { for t in 0 ..< k { topicTotals[t] += h[j * k + t] } }
        weights.withUnsafeMutableBufferPointer { buffer in
            let w = UncheckedSendableBox(buffer)
            parallelForEachChunk(count: matrix.rowCount, chunkCount: chunkCount) { _, rows in
                var ratioSums = [Double](repeating: 0, count: k)
                for i in rows {
                    for t in 0 ..< k { ratioSums[t] = 0 }
                    for p in matrix.rowOffsets[i] ..< matrix.rowOffsets[i + 1] {
                        let j = Int(matrix.columnIndices[p])
                        var model = 0.0
                        for t in 0 ..< k { model += w.value[i * k + t] * h[j * k + t] }
                        let ratio = Double(matrix.values[p]) / max(model, 1e-12)
                        for t in 0 ..< k { ratioSums[t] += ratio * h[j * k + t] }
                    }
                    for t in 0 ..< k { w.value[i * k + t] *= ratioSums[t] / max(topicTotals[t], 1e-12) }
                }
            }
        }
    }

    /// `H[t,j] *= Σ_i W[i,t]·V[i,j]/(WH)[i,j] / Σ_i W[i,t]` (one accumulator per row chunk, merged in
    /// chunk order); returns the generalised KL divergence of the `W` and `H` it started from.
    mutating func updateTopicsReturningDivergence() -> Double {
        let k = k, matrix = matrix, w = weights, h = topicsTransposed
        struct Part { var numerators: [Double]; var weightTotals: [Double]; var logTerms: Double }
        let parts = parallelChunks(count: matrix.rowCount, chunkCount: chunkCount) { rows -> Part in
            var part = Part(numerators: [Double](repeating: 0, count: h.count),
                            weightTotals: [Double](repeating: 0, count: k), logTerms: 0)
            for i in rows {
                for t in 0 ..< k { part.weightTotals[t] += w[i * k + t] }
                for p in matrix.rowOffsets[i] ..< matrix.rowOffsets[i + 1] {
                    let j = Int(matrix.columnIndices[p]), v = Double(matrix.values[p])
                    var model = 0.0
                    for t in 0 ..< k { model += w[i * k + t] * h[j * k + t] }
                    model = max(model, 1e-12)
                    if v > 0 { part.logTerms += v * log(v / model) - v }
                    let ratio = v / model
                    for t in 0 ..< k { part.numerators[j * k + t] += ratio * w[i * k + t] }
                }
            }
            return part
        }
        var numerators = parts[0].numerators, weightTotals = parts[0].weightTotals, logTerms = parts[0].logTerms
        for part in parts.dropFirst() {
            for index in numerators.indices { numerators[index] += part.numerators[index] }
            for t in 0 ..< k { weightTotals[t] += part.weightTotals[t] }
            logTerms += part.logTerms
        }
        // Σ_ij (WH)_ij = Σ_t (Σ_i W_it)(Σ_j H_tj): the model's total mass, computed before H changes.
        var mass = 0.0
        for t in 0 ..< k {
            var topicTotal = 0.0
            for j in 0 ..< matrix.columnCount { topicTotal += h[j * k + t] }
            mass += weightTotals[t] * topicTotal
        }
        for j in 0 ..< matrix.columnCount {
            for t in 0 ..< k { topicsTransposed[j * k + t] *= numerators[j * k + t] / max(weightTotals[t], 1e-12) }
        }
        return logTerms + mass
    }

    /// `(W, H)` with each topic's row of `H` scaled to sum 1 (its mass moved into `W`), topics ordered
    /// by total weight, heaviest first (ties by index); `H` returned `k × columns` row-major.
    func normalizedAndOrdered() -> (weights: [Double], topics: [Double]) {
        let n = matrix.columnCount, rows = matrix.rowCount
        var sums = [Double](repeating: 0, count: k), mass = [Double](repeating: 0, count: k)
        for j in 0 ..< n { for t in 0 ..< k { sums[t] += topicsTransposed[j * k + t] } }
        for i in 0 ..< rows { for t in 0 ..< k { mass[t] += weights[i * k + t] * sums[t] } }
        let order = (0 ..< k).sorted { mass[$0] != mass[$1] ? mass[$0] > mass[$1] : $0 < $1 }
        var outWeights = [Double](repeating: 0, count: rows * k), outTopics = [Double](repeating: 0, count: k * n)
        for (slot, t) in order.enumerated() {
            let s = sums[t]
            for i in 0 ..< rows { outWeights[i * k + slot] = weights[i * k + t] * s }
            if s > 0 { for j in 0 ..< n { outTopics[slot * n + j] = topicsTransposed[j * k + t] / s } }
        }
        return (outWeights, outTopics)
    }
}
