import Core
import Foundation
import Testing
@testable import Learning

@Suite struct TopicNMFTests {
    /// 3 planted topics on disjoint blocks of 8 columns each (uneven word weights inside a block);
    /// 240 rows, each a seeded mixture with a dominant topic or a pure topic: `V = W_true · H_true` exactly.
    static func planted() -> (matrix: SparseMatrix, shares: [[Double]], block: (Int) -> Int) {
        let topicCount = 3, blockWidth = 8, rows = 240
        var generator = SeededGenerator(seed: 11)
        var dense: [[Float]] = [], shares: [[Double]] = []
        for row in 0 ..< rows {
            var share = (0 ..< topicCount).map { _ in 0.05 + 0.2 * generator.nextUnitDouble() }
            share[row % topicCount] += 1.5
            // Every other triple of rows is pure (one topic only): with pure rows and pure words the
            // factorisation is unique up to order and scale, so the planted one is the known answer.
            if (row / topicCount) % 2 == 1 { share = (0 ..< topicCount).map { $0 == row % topicCount ? 1 : 0 } }
            let total = share.reduce(0, +)
            share = share.map { $0 / total }
            let length = 20 + 30 * generator.nextUnitDouble()
            var line = [Float](repeating: 0, count: topicCount * blockWidth)
            for t in 0 ..< topicCount {
                for w in 0 ..< blockWidth { line[t * blockWidth + w] = Float(length * share[t] * Double(w + 1) / 36) }
            }
            dense.append(line)
            shares.append(share)
        }
        return (sparse(dense), shares, { $0 / blockWidth })
    }

    @Test func recoversPlantedTopicsAndShares() throws {
        let (matrix, planted, block) = Self.planted()
        var nmf = try TopicNMF(topicCount: 3, iterationCount: 3000, tolerance: 0, seed: 3)
        let shares = TopicNMF.rowShares(try nmf.fitTransform(matrix))
        #expect(nmf.divergenceHistory.last! < 1e-6)
        // Each topic puts ≥ 98 % of its mass on one planted block, and the three blocks differ.
        var blockOfTopic: [Int] = []
        for t in 0 ..< 3 {
            var mass = [Double](repeating: 0, count: 3)
            for j in 0 ..< matrix.columnCount { mass[block(j)] += nmf.components[t * matrix.columnCount + j] }
            let best = mass.indices.max { mass[$0] < mass[$1] }!
            #expect(mass[best] > 0.98, "topic \(t) mass by block \(mass)")
            blockOfTopic.append(best)
        }
        #expect(Set(blockOfTopic).count == 3)
        // Inside a block the word weights follow the planted 1 : 2 : … : 8.
        let firstTopicBlock = blockOfTopic[0]
        let ratio = nmf.components[8 * firstTopicBlock + 7] / nmf.components[8 * firstTopicBlock]
        #expect(abs(ratio - 8) < 0.1, "last/first word weight \(ratio)")
        // Row shares match the planted ones.
        var worst = 0.0
        for row in 0 ..< matrix.rowCount {
            for t in 0 ..< 3 { worst = max(worst, abs(Double(shares[row, t]) - planted[row][blockOfTopic[t]])) }
        }
        #expect(worst < 0.02, "largest share error \(worst)")
    }

    @Test func divergenceNeverIncreasesAndSameSeedSameResult() throws {
        let (matrix, _, _) = Self.planted()
        var first = try TopicNMF(topicCount: 4, iterationCount: 60, tolerance: 0, seed: 9)
        var second = try TopicNMF(topicCount: 4, iterationCount: 60, tolerance: 0, seed: 9)
        let a = try first.fitTransform(matrix), b = try second.fitTransform(matrix)
        #expect(a == b)
        #expect(first.components == second.components)
        #expect(first.divergenceHistory.count == 7)  // iterations 0, 10, …, 50 and 59
        for (earlier, later) in zip(first.divergenceHistory, first.divergenceHistory.dropFirst()) {
            #expect(later <= earlier * (1 + 1e-12))
        }
        #expect(first.divergenceHistory.last! < first.divergenceHistory.first! * 0.5)
        for t in 0 ..< 4 {
            let total = first.components[t * matrix.columnCount ..< (t + 1) * matrix.columnCount].reduce(0, +)
            #expect(abs(total - 1) < 1e-9)
        }
    }

    /// The optimised updates (CSR, transposed H, row chunks) against the textbook dense formulas.
    @Test func oneIterationMatchesDenseReference() throws {
        let (matrix, _, _) = Self.planted()
        var state = NMFState(matrix: matrix, topicCount: 3, seed: 5)
        let (rows, columns, k) = (matrix.rowCount, matrix.columnCount, 3)
        var w = state.weights, h = state.topicsTransposed   // h[j * k + t]
        let v = denseValues(matrix)
        func model(_ i: Int, _ j: Int) -> Double { (0 ..< k).reduce(0.0) { $0 + w[i * k + $1] * h[j * k + $1] } }
        var newW = w
        for i in 0 ..< rows { for t in 0 ..< k {
            var numerator = 0.0, denominator = 0.0
            for j in 0 ..< columns { numerator += h[j * k + t] * v[i][j] / model(i, j); denominator += h[j * k + t] }
            newW[i * k + t] = w[i * k + t] * numerator / denominator
        } }
        w = newW
        var divergence = 0.0
        for i in 0 ..< rows { for j in 0 ..< columns {
            let m = model(i, j)
            divergence += (v[i][j] > 0 ? v[i][j] * log(v[i][j] / m) : 0) - v[i][j] + m
        } }
        var newH = h
        for j in 0 ..< columns { for t in 0 ..< k {
            var numerator = 0.0, denominator = 0.0
            for i in 0 ..< rows { numerator += w[i * k + t] * v[i][j] / model(i, j); denominator += w[i * k + t] }
            newH[j * k + t] = h[j * k + t] * numerator / denominator
        } }
        h = newH
        let fastDivergence = state.iterate()
        #expect(abs(fastDivergence - divergence) <= 1e-9 * abs(divergence))
        for (fast, slow) in zip(state.weights, w) { #expect(abs(fast - slow) <= 1e-10 * max(1, abs(slow))) }
        for (fast, slow) in zip(state.topicsTransposed, h) { #expect(abs(fast - slow) <= 1e-10 * max(1, abs(slow))) }
    }

    @Test func rejectsBadParametersAndInput() throws {
        #expect(throws: TopicNMFError.invalid("topicCount 0 must be > 0")) { try TopicNMF(topicCount: 0) }
        #expect(throws: TopicNMFError.self) { try TopicNMF(topicCount: 2, iterationCount: 0) }
        #expect(throws: TopicNMFError.self) { try TopicNMF(topicCount: 2, tolerance: -1) }
        var nmf = try TopicNMF(topicCount: 2)
        #expect(throws: TopicNMFError.self) { _ = try nmf.fitTransform(sparse([[1, -1], [0, 2]])) }
        #expect(throws: TopicNMFError.self) { _ = try nmf.fitTransform(sparse([[0, 0], [0, 0]])) }
        var tooMany = try TopicNMF(topicCount: 3)
        #expect(throws: TopicNMFError.self) { _ = try tooMany.fitTransform(sparse([[1, 2], [3, 4]])) }
    }

    @Test func rowSharesSumToOneAndKeepEmptyRows() {
        let weights = DenseMatrix(rowCount: 2, columnCount: 2, values: [1, 3, 0, 0])
        let shares = TopicNMF.rowShares(weights)
        #expect(shares.values == [0.25, 0.75, 0, 0])
    }
}

private func denseValues(_ matrix: SparseMatrix) -> [[Double]] {
    var out = [[Double]](repeating: [Double](repeating: 0, count: matrix.columnCount), count: matrix.rowCount)
    for r in 0 ..< matrix.rowCount {
        for p in matrix.rowOffsets[r] ..< matrix.rowOffsets[r + 1] { out[r][Int(matrix.columnIndices[p])] = Double(matrix.values[p]) }
    }
    return out
}
