import Core
import Evaluation
import Foundation
import Testing
@testable import Learning

/// Log-loss-like derivatives: gradients in (−1, 1), hessians in (0, 0.25].
private func derivatives(rowCount: Int, seed: UInt64) -> (gradients: [Float], hessians: [Float]) {
    var random = SplitMix64(seed: seed)
    let gradients = (0 ..< rowCount).map { _ in Float(random.nextUnitDouble() * 2 - 1) }
    let hessians = (0 ..< rowCount).map { _ in Float(random.nextUnitDouble() * 0.25) + 1e-6 }
    return (gradients, hessians)
}

/// Draws one round's sample on copies of the derivatives; returns the sampler and the amplified copies.
private func sampleRound(_ sampling: GradientOneSideSampling, learningRate: Double = 0.1, round: Int,
                         gradients: [Float], hessians: [Float], seed: UInt64 = 3)
    -> (GradientOneSideSampler, [Float], [Float]) {
    var sampler = GradientOneSideSampler(sampling: sampling, learningRate: learningRate,
                                         rowCount: gradients.count, seed: seed)
    var g = gradients
    var h = hessians
    g.withUnsafeMutableBufferPointer { gp in
        h.withUnsafeMutableBufferPointer { hp in
            sampler.resample(round: round, gradients: gp.baseAddress!, hessians: hp.baseAddress!)
        }
    }
    return (sampler, g, h)
}

/// The reference ranking: every row by `|g·h|` descending, ties by row ascending (a full sort).
private func rowsByRank(gradients: [Float], hessians: [Float]) -> [Int] {
    let keys = zip(gradients, hessians).map { abs($0 * $1) }
    return keys.indices.sorted { keys[$0] != keys[$1] ? keys[$0] > keys[$1] : $0 < $1 }
}

@Test func radixSelectFindsTheThresholdOfTheSortedKeys() {
    var random = SplitMix64(seed: 11)
    // Few distinct values (many ties), values sharing high digits, and spread-out values.
    let cases: [[UInt32]] = [
        (0 ..< 500).map { _ in UInt32(random.next() % 7) },
        (0 ..< 500).map { _ in 0x3E80_0000 | UInt32(random.next() % 300) },
        (0 ..< 500).map { _ in UInt32(truncatingIfNeeded: random.next()) },
    ]
    for keys in cases {
        let sorted = keys.sorted(by: >)
        for topCount in [1, 2, 37, 250, 499, 500] {
            let found = keys.withUnsafeBufferPointer { GradientOneSideSampler.topThreshold(keys: $0, topCount: topCount) }
            #expect(found.key == sorted[topCount - 1])
            let largerCount = keys.filter { $0 > found.key }.count
            #expect(found.tieCount == topCount - largerCount)
            #expect(found.tieCount >= 1 && found.tieCount <= keys.filter { $0 == found.key }.count)
        }
    }
}

@Test func gossTakesTheLargestGradientsAndAmplifiesAnExactRandomShareOfTheRest() throws {
    let (gradients, hessians) = derivatives(rowCount: 1000, seed: 21)
    let (sampler, g, h) = sampleRound(try GradientOneSideSampling(topRate: 0.2, otherRate: 0.1), round: 10,
                                      gradients: gradients, hessians: hessians)
    #expect(sampler.topCount == 200 && sampler.otherCount == 100)
    #expect(sampler.amplification == 8)   // (1 − 0.2) / 0.1
    let sampled = try #require(sampler.sampledRows)
    #expect(sampled.count == 300)
    #expect(zip(sampled, sampled.dropFirst()).allSatisfy { $0 < $1 })
    #expect(Set(sampled + sampler.unsampledRows) == Set((0 ..< 1000).map { Int32($0) }))
    #expect(sampler.unsampledRows.count == 700)
    let top = Set(rowsByRank(gradients: gradients, hessians: hessians).prefix(200).map { Int32($0) })
    #expect(top.isSubset(of: Set(sampled)))
    for row in 0 ..< 1000 {
        let drawn = Set(sampled).contains(Int32(row)) && !top.contains(Int32(row))
        let factor: Float = drawn ? 8 : 1
        #expect(g[row] == gradients[row] * factor && h[row] == hessians[row] * factor, "row \(row)")
    }
    // The drawn rows spread over the rest: each half of the rows gets some of them.
    let drawnRows = sampled.filter { !top.contains($0) }
    #expect(drawnRows.count == 100)
    #expect((25 ... 75).contains(drawnRows.filter { $0 < 500 }.count))
}

@Test func gossBreaksTiesAtTheThresholdByRowAndKeepsExactCounts() throws {
    // Four distinct |g·h| values over 400 rows: the top 20 % must cut through a block of equal keys.
    let levels: [Float] = [0.1, 0.2, 0.3, 0.4]
    let gradients: [Float] = (0 ..< 400).map { (row: Int) -> Float in levels[row % 4] * (row % 3 == 0 ? -1 : 1) }
    let hessians = [Float](repeating: 0.25, count: 400)
    let (sampler, g, _) = sampleRound(try GradientOneSideSampling(topRate: 0.2, otherRate: 0.3), round: 10,
                                      gradients: gradients, hessians: hessians)
    let sampled = try #require(sampler.sampledRows)
    #expect(sampled.count == 80 + 120)
    // 100 rows share the largest key; the top 80 of them are the lowest-numbered.
    let expectedTop = rowsByRank(gradients: gradients, hessians: hessians).prefix(80).map { Int32($0) }
    let lowestRowsOfLargestKey: [Int32] = (0 ..< 80).map { (k: Int) -> Int32 in Int32(4 * k + 3) }
    #expect(expectedTop == lowestRowsOfLargestKey)
    #expect(Set(expectedTop).isSubset(of: Set(sampled)))
    for row in expectedTop { #expect(g[Int(row)] == gradients[Int(row)]) }
    #expect(sampler.amplification == Float(320) / Float(120))
}

@Test func gossUsesEveryRowInTheFirstRoundsOfOneOverLearningRate() throws {
    let (gradients, hessians) = derivatives(rowCount: 500, seed: 5)
    let sampling = try GradientOneSideSampling(topRate: 0.2, otherRate: 0.1)
    for (learningRate, warmUp) in [(0.1, 10), (0.3, 3), (0.05, 20), (1.0, 1)] {
        for round in [0, warmUp - 1] where round >= 0 && round < warmUp {
            let (sampler, g, h) = sampleRound(sampling, learningRate: learningRate, round: round,
                                              gradients: gradients, hessians: hessians)
            #expect(sampler.warmUpRoundCount == warmUp)
            #expect(sampler.sampledRows == nil && sampler.unsampledRows.isEmpty)
            #expect(g == gradients && h == hessians)
        }
        let (sampler, _, _) = sampleRound(sampling, learningRate: learningRate, round: warmUp,
                                          gradients: gradients, hessians: hessians)
        #expect(sampler.sampledRows?.count == 150, "learning rate \(learningRate)")
    }
}

@Test func gossSampleDependsOnSeedAndRoundOnly() throws {
    let (gradients, hessians) = derivatives(rowCount: 2000, seed: 8)
    let sampling = try GradientOneSideSampling(topRate: 0.1, otherRate: 0.2)
    let first = sampleRound(sampling, round: 12, gradients: gradients, hessians: hessians, seed: 4)
    let again = sampleRound(sampling, round: 12, gradients: gradients, hessians: hessians, seed: 4)
    let otherRound = sampleRound(sampling, round: 13, gradients: gradients, hessians: hessians, seed: 4)
    let otherSeed = sampleRound(sampling, round: 12, gradients: gradients, hessians: hessians, seed: 5)
    #expect(first.0.sampledRows == again.0.sampledRows && first.1 == again.1)
    #expect(first.0.sampledRows != otherRound.0.sampledRows)
    #expect(first.0.sampledRows != otherSeed.0.sampledRows)
}

@Test func gossParametersAreValidatedNamingTheBadValue() throws {
    func message(_ body: () throws -> Void) -> String {
        do { try body() } catch { return "\(error)" }
        return ""
    }
    #expect(message { _ = try GradientOneSideSampling(topRate: 0, otherRate: 0.1) }.contains("topRate must be in (0, 1], got 0.0"))
    #expect(message { _ = try GradientOneSideSampling(topRate: 0.2, otherRate: -0.5) }.contains("otherRate must be in (0, 1], got -0.5"))
    #expect(message { _ = try GradientOneSideSampling(topRate: .nan, otherRate: 0.1) }.contains("topRate must be in (0, 1], got nan"))
    #expect(message { _ = try GradientOneSideSampling(topRate: 0.7, otherRate: 0.4) }.contains("0.7 + 0.4"))
    #expect(message { _ = try GradientOneSideSampling(topRate: 0.5, otherRate: 0.5) }.isEmpty)
    let goss = try GradientOneSideSampling(topRate: 0.2, otherRate: 0.1)
    let withBagging = GradientBoostingParameters(baggingFraction: 0.7, baggingFrequency: 1, gradientOneSideSampling: goss)
    let bagged = message { _ = try GradientBoostingClassifier(parameters: withBagging) }
    #expect(bagged.contains("cannot be combined with bagging") && bagged.contains("baggingFraction 0.7"))
    // A decoded (unchecked) sampling is checked again with the parameters.
    var decoded = GradientBoostingParameters(gradientOneSideSampling: goss)
    decoded.gradientOneSideSampling?.otherRate = 0.9
    #expect(message { _ = try GradientBoostingClassifier(parameters: decoded) }.contains("0.2 + 0.9"))
    // Bagging fraction 1 (no bag) may be set with GOSS, as LightGBM allows.
    #expect(message { _ = try GradientBoostingClassifier(parameters: GradientBoostingParameters(
        baggingFrequency: 1, gradientOneSideSampling: goss)) }.isEmpty)
}

@Test func parametersWithoutGossEncodeAsBefore() throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    let plain = String(decoding: try encoder.encode(GradientBoostingParameters(seed: 3)), as: UTF8.self)
    #expect(!plain.contains("gradientOneSideSampling"))
    let goss = GradientBoostingParameters(gradientOneSideSampling: try GradientOneSideSampling(topRate: 0.25, otherRate: 0.125))
    let decoded = try JSONDecoder().decode(GradientBoostingParameters.self, from: encoder.encode(goss))
    #expect(decoded == goss)
}

/// The rounds of one fit built as `GradientBoostingClassifier.fit` builds them, with the training set
/// also watched as the validation set (whose scores are every row's traversal).
private func runRounds(_ parameters: GradientBoostingParameters, features: DenseMatrix,
                       labels: [UInt8], compactSampleAllowed: Bool = true) throws -> BoostingRounds {
    let mapper = try BinMapper(fitting: features, maxBinCount: parameters.maxBinCount, seed: parameters.seed, threadCount: 2)
    let binned = try mapper.transform(features, threadCount: 2)
    let (info, usable) = GradientBoostingClassifier.featureSplitInfo(binned, binMapper: mapper,
                                                                     minDataInLeaf: parameters.minDataInLeaf)
    let grower = TreeGrower(binned: binned, binMapper: mapper, featureInfo: info, parameters: parameters,
                            pool: WorkerPool(threadCount: 2))
    defer { grower.pool.shutdown() }
    let initial = BinaryLogLoss.initialScore(positiveCount: labels.reduce(0) { $0 + Int($1) }, rowCount: labels.count)
    let watcher = ValidationWatcher(binned: binned, labels: labels, initialScore: initial, patience: nil)
    var rounds = BoostingRounds(parameters: parameters, grower: grower, usableFeatures: usable, labels: labels,
                                initialScore: initial, validation: watcher, compactSampleAllowed: compactSampleAllowed)
    rounds.run()
    return rounds
}

@Test func gossScoreUpdatesCoverEveryRow() throws {
    let (features, labels) = gossData(rowCount: 6000, seed: 31)
    let parameters = GradientBoostingParameters(learningRate: 0.25, roundCount: 12,
                                                gradientOneSideSampling: try GradientOneSideSampling(topRate: 0.2, otherRate: 0.1))
    let rounds = try runRounds(parameters, features: features, labels: labels)
    #expect(rounds.trees.count == 12)
    // In-sample rows got their leaf's value, the others a traversal: the same as traversing every row.
    let traversed = try #require(rounds.validation?.scores)
    var largest = 0.0
    for (a, b) in zip(rounds.scores, traversed) { largest = max(largest, abs(a - b)) }
    #expect(largest < 1e-12, "largest difference \(largest)")
    // Sampling happened: the later trees' leaf counts sum to 30 % of the rows.
    #expect(rounds.trees.prefix(4).allSatisfy { $0.leafCounts.reduce(0, +) == 6000 })
    #expect(rounds.trees.suffix(8).allSatisfy { $0.leafCounts.reduce(0, +) == 1800 })
}

@Test func gossOnTheCompactCopyGrowsTheSameTrees() throws {
    // The sample (30 % of the rows) is grown on a compact copy of its bins; without the copy the same
    // rows are gathered from the full matrix in the same order.
    let (features, labels) = gossData(rowCount: 30_000, columnCount: 12, seed: 51)
    let parameters = GradientBoostingParameters(learningRate: 0.25, roundCount: 14, featureFraction: 0.75,
                                                gradientOneSideSampling: try GradientOneSideSampling(topRate: 0.2, otherRate: 0.1))
    let compact = try runRounds(parameters, features: features, labels: labels)
    let gathered = try runRounds(parameters, features: features, labels: labels, compactSampleAllowed: false)
    #expect(compact.trees.count == 14)
    #expect(compact.trees == gathered.trees)
    #expect(compact.scores == gathered.scores)
}

/// Rows whose label depends on a few of `columnCount` Gaussian columns.
private func gossData(rowCount: Int, columnCount: Int = 8, seed: UInt64) -> (DenseMatrix, [UInt8]) {
    var random = SplitMix64(seed: seed)
    var values = [Float]()
    var labels = [UInt8]()
    for _ in 0 ..< rowCount {
        let row = (0 ..< columnCount).map { _ in Float(random.nextGaussian()) }
        let score = 1.2 * Double(row[0]) - Double(row[1] * row[2]) + (row[3] > 0.3 ? 0.8 : -0.4)
        labels.append(random.nextUnitDouble() < 1 / (1 + exp(-score)) ? 1 : 0)
        values.append(contentsOf: row)
    }
    return (DenseMatrix(rowCount: rowCount, columnCount: columnCount, values: values), labels)
}

@Test func gossFitDoesNotDependOnTheThreadCount() throws {
    let (features, labels) = gossData(rowCount: 30_000, columnCount: 20, seed: 41)
    let goss = try GradientOneSideSampling(topRate: 0.2, otherRate: 0.1)
    let models = try [1, 2].map { threads in
        try GradientBoostingClassifier(parameters: GradientBoostingParameters(
            learningRate: 0.5, roundCount: 8, featureFraction: 0.8, gradientOneSideSampling: goss, threadCount: threads))
            .fit(features: features, labels: labels)
    }
    #expect(models[0].trees == models[1].trees)
    #expect(models[0].trees.suffix(6).allSatisfy { $0.leafCounts.reduce(0, +) == 9000 })
}
