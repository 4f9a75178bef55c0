import Core
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
    /// Generalised KL divergence of the last fit at iterations 0, 10, 20, … and the last one (each
    /// measured after that iteration's `W` update, before its `H` update).
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
            let checkpoint = iteration % 10 == 0 || iteration == iterationCount - 1
            let divergence = state.iterate(withDivergence: checkpoint)
            guard checkpoint else { continue }
            divergenceHistory.append(divergence)
            if tolerance > 0, divergenceHistory.count >= 2, iteration % 10 == 0 {
                let earlier = divergenceHistory[divergenceHistory.count - 2]
                if earlier - divergence < tolerance * max(earlier, .leastNormalMagnitude) { break }
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

/// The factors during a fit: `W` row-major (`rows × k`) and `H` stored transposed (`columns × k`), each row
/// padded with zeros to whole `SIMD4<Double>` lanes (padding stays zero under multiplicative updates), so
/// that both products over a stored entry read a few contiguous vectors.
struct NMFState {
    typealias Lane = SIMD4<Double>
    let matrix: SparseMatrix
    let k: Int
    let laneCount: Int
    let chunkCount: Int
    var weightLanes: [Lane]
    var topicLanes: [Lane]

    init(matrix: SparseMatrix, topicCount: Int, seed: UInt64) {
        self.matrix = matrix
        k = topicCount
        let lanes = (topicCount + 3) / 4
        laneCount = lanes
        chunkCount = coreIndependentChunkCount(rows: matrix.rowCount)
        var total = 0.0
        for v in matrix.values { total += Double(v) }
        // scikit-learn's random init scale: sqrt(mean / k), here times a uniform in [0.5, 1.5).
        let scale = (total / (Double(matrix.rowCount) * Double(matrix.columnCount)) / Double(topicCount)).squareRoot()
        var generator = SeededGenerator(seed: seed, stream: 0x4E4D46)
        func randomLanes(_ count: Int) -> [Lane] {
            var out = [Lane](repeating: .zero, count: count * lanes)
            for row in 0 ..< count { for t in 0 ..< topicCount {
                out[row * lanes + t / 4][t % 4] = scale * (0.5 + generator.nextUnitDouble())
            } }
            return out
        }
        weightLanes = randomLanes(matrix.rowCount)
        topicLanes = randomLanes(matrix.columnCount)
    }

    /// `W` without padding, `rows × k` row-major.
    var weights: [Double] { Self.unpadded(weightLanes, k: k, laneCount: laneCount) }
    /// `H` transposed without padding (`h[j * k + t]`).
    var topicsTransposed: [Double] { Self.unpadded(topicLanes, k: k, laneCount: laneCount) }

    static func unpadded(_ lanes: [Lane], k: Int, laneCount: Int) -> [Double] {
        let rows = lanes.count / max(1, laneCount)
        var out = [Double](repeating: 0, count: rows * k)
        for row in 0 ..< rows { for t in 0 ..< k { out[row * k + t] = lanes[row * laneCount + t / 4][t % 4] } }
        return out
    }

    /// `Σ_j H[t,j]` per topic as lanes (padding lanes 1, so that padded weights stay 0 without dividing by 0).
    static func laneTotals(_ lanes: [Lane], laneCount: Int, k: Int) -> [Lane] {
        var totals = [Lane](repeating: .zero, count: laneCount)
        for row in 0 ..< lanes.count / max(1, laneCount) { for l in 0 ..< laneCount { totals[l] += lanes[row * laneCount + l] } }
        for t in k ..< laneCount * 4 { totals[t / 4][t % 4] = 1 }
        return totals.map { Lane(repeating: 1e-12).replacing(with: $0, where: $0 .> 1e-12) }
    }

    /// One multiplicative-update iteration in a single parallel sweep over the rows. For each row `i`:
    /// `W[i,t] *= Σ_j H[t,j]·V[i,j]/(WH)[i,j] / Σ_j H[t,j]`, then, with the new `W[i,·]` and the old `H`,
    /// the row's terms of `Σ_i W[i,t]·V[i,j]/(WH)[i,j]` (one accumulator per row chunk, merged in chunk
    /// order) while its `H[·,j]` are still in cache; finally `H[t,j] *= that / Σ_i W[i,t]`. Returns the
    /// generalised KL divergence of the new `W` and old `H` (NaN unless `withDivergence`: its logarithms
    /// cost about a third of an iteration).
    mutating func iterate(withDivergence: Bool = true) -> Double {
        let lanes = laneCount, matrix = matrix, hCount = topicLanes.count, chunkCount = chunkCount
        let totals = Self.laneTotals(topicLanes, laneCount: lanes, k: k)
        struct Part { var numerators: [Lane]; var logTerms: Double }
        let parts = topicLanes.withUnsafeBufferPointer { h in
            weightLanes.withUnsafeMutableBufferPointer { buffer in
                let w = UncheckedSendableBox(buffer)
                return parallelChunks(count: matrix.rowCount, chunkCount: chunkCount) { rows -> Part in
                    var numerators = [Lane](repeating: .zero, count: hCount)
                    let logTerms = numerators.withUnsafeMutableBufferPointer { accumulator in
                        Self.sweep(rows: rows, matrix: matrix, w: w.value.baseAddress!, h: h.baseAddress!, lanes: lanes,
                                   totals: totals, accumulator: accumulator.baseAddress!, withDivergence: withDivergence)
                    }
                    return Part(numerators: numerators, logTerms: logTerms)
                }
            }
        }
        var numerators = parts[0].numerators, logTerms = parts[0].logTerms
        for part in parts.dropFirst() {
            for index in numerators.indices { numerators[index] += part.numerators[index] }
            logTerms += part.logTerms
        }
        let weightTotals = Self.laneTotals(weightLanes, laneCount: lanes, k: k)
        // Σ_ij (WH)_ij = Σ_t (Σ_i W_it)(Σ_j H_tj): the model's total mass, computed before H changes.
        var mass = 0.0
        for t in 0 ..< k { mass += weightTotals[t / 4][t % 4] * totals[t / 4][t % 4] }
        for j in 0 ..< matrix.columnCount {
            for l in 0 ..< lanes { topicLanes[j * lanes + l] *= numerators[j * lanes + l] / weightTotals[l] }
        }
        return withDivergence ? logTerms + mass : .nan
    }

    /// The rows of one chunk: updates their weights in place and adds their `H` numerators to
    /// `accumulator`; returns their `Σ v·ln(v/m) − v` (0 unless `withDivergence`).
    private static func sweep(rows: Range<Int>, matrix: SparseMatrix, w: UnsafeMutablePointer<Lane>, h: UnsafePointer<Lane>,
                              lanes: Int, totals: [Lane], accumulator: UnsafeMutablePointer<Lane>, withDivergence: Bool) -> Double {
        let sums = UnsafeMutablePointer<Lane>.allocate(capacity: lanes)
        defer { sums.deallocate() }
        var logTerms = 0.0
        matrix.rowOffsets.withUnsafeBufferPointer { offsets in
        matrix.columnIndices.withUnsafeBufferPointer { columns in
        matrix.values.withUnsafeBufferPointer { values in
            for i in rows {
                let wi = w + i * lanes, entries = offsets[i] ..< offsets[i + 1]
                for l in 0 ..< lanes { sums[l] = .zero }
                for p in entries {
                    let hj = h + Int(columns[p]) * lanes
                    var model = Lane.zero
                    for l in 0 ..< lanes { model += wi[l] * hj[l] }
                    let ratio = Double(values[p]) / max(model.sum(), 1e-12)
                    for l in 0 ..< lanes { sums[l] += ratio * hj[l] }
                }
                for l in 0 ..< lanes { wi[l] *= sums[l] / totals[l] }
                for p in entries {
                    let j = Int(columns[p]) * lanes, v = Double(values[p])
                    let hj = h + j, target = accumulator + j
                    var lanesModel = Lane.zero
                    for l in 0 ..< lanes { lanesModel += wi[l] * hj[l] }
                    let model = max(lanesModel.sum(), 1e-12)
                    if withDivergence, v > 0 { logTerms += v * log(v / model) - v }
                    let ratio = v / model
                    for l in 0 ..< lanes { target[l] += ratio * wi[l] }
                }
            }
        } } }
        return logTerms
    }

    /// `(W, H)` with each topic's row of `H` scaled to sum 1 (its mass moved into `W`), topics ordered
    /// by total weight, heaviest first (ties by index); `H` returned `k × columns` row-major.
    func normalizedAndOrdered() -> (weights: [Double], topics: [Double]) {
        let n = matrix.columnCount, rows = matrix.rowCount
        let weights = weights, topicsTransposed = topicsTransposed
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
