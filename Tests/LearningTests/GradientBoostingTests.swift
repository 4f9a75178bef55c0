import Core
import Foundation
import Testing
@testable import Learning

/// Rows with a noisy logistic signal on the first three columns and optional NaNs.
private func syntheticData(rowCount: Int, columnCount: Int = 6, seed: UInt64, missingRate: Double = 0)
    -> (DenseMatrix, [UInt8]) {
    var random = SplitMix64(seed: seed)
    var values = [Float]()
    var labels = [UInt8]()
    for _ in 0 ..< rowCount {
        var row = (0 ..< columnCount).map { _ in Float(random.nextGaussian()) }
        let score = 1.5 * Double(row[0]) - Double(row[1]) + (row[2] > 0.5 ? 1 : -0.5)
        labels.append(random.nextUnitDouble() < 1 / (1 + exp(-score)) ? 1 : 0)
        for c in 0 ..< columnCount where random.nextUnitDouble() < missingRate { row[c] = .nan }
        values.append(contentsOf: row)
    }
    return (DenseMatrix(rowCount: rowCount, columnCount: columnCount, values: values), labels)
}

/// Exact ROC AUC with ties (Mann–Whitney), for the tests only.
private func rocAUC(_ scores: [Double], _ labels: [UInt8]) -> Double {
    let order = scores.indices.sorted { scores[$0] < scores[$1] }
    var rankSum = 0.0, positives = 0.0, i = 0
    while i < order.count {
        var j = i
        while j + 1 < order.count && scores[order[j + 1]] == scores[order[i]] { j += 1 }
        let rank = Double(i + j) / 2 + 1
        for k in i ... j where labels[order[k]] == 1 { rankSum += rank; positives += 1 }
        i = j + 1
    }
    let negatives = Double(scores.count) - positives
    return (rankSum - positives * (positives + 1) / 2) / (positives * negatives)
}

// MARK: - Trees

@Test func treeRecoversThreeLeafRule() throws {
    // y = 1 exactly when x0 >= 0.6 and x1 >= 0.4 on a 10 × 10 grid (repeated), plus a noise column.
    var values = [Float]()
    var labels = [UInt8]()
    var random = SplitMix64(seed: 7)
    for i in 0 ..< 1000 {
        let x0 = Float(i % 10) / 10, x1 = Float((i / 10) % 10) / 10
        values += [x0, x1, Float(random.nextUnitDouble())]
        labels.append(x0 >= 0.6 && x1 >= 0.4 ? 1 : 0)
    }
    let features = DenseMatrix(rowCount: 1000, columnCount: 3, values: values)
    let parameters = GradientBoostingParameters(leafCount: 3, learningRate: 1, roundCount: 1, threadCount: 1)
    let model = try GradientBoostingClassifier(parameters: parameters).fit(features: features, labels: labels)
    let tree = try #require(model.trees.first)
    #expect(tree.leafCount == 3)
    #expect(tree.splitFeatures == [0, 1])
    #expect(abs(tree.thresholds[0] - 0.55) < 1e-6)   // midpoint of 0.5 and 0.6
    #expect(abs(tree.thresholds[1] - 0.35) < 1e-6)
    #expect(tree.leafCounts.sorted() == [160, 240, 600])
    // The pure-positive leaf scores above both negative leaves; every row is classified right.
    let probabilities = model.predictProbability(features)
    for (p, y) in zip(probabilities, labels) { #expect((p > 0.5) == (y == 1)) }
}

@Test func maxDepthAndLeafCountAreRespected() throws {
    let (features, labels) = syntheticData(rowCount: 2000, seed: 3)
    for (leaves, depth) in [(31, 2), (8, nil as Int?), (5, 3)] {
        let parameters = GradientBoostingParameters(leafCount: leaves, maxDepth: depth, roundCount: 5, threadCount: 2)
        let model = try GradientBoostingClassifier(parameters: parameters).fit(features: features, labels: labels)
        for tree in model.trees {
            #expect(tree.leafCount <= leaves)
            if let depth { #expect(treeDepth(tree, node: 0) <= depth) }
            // LightGBM's min_data_in_leaf applies to hessian-estimated counts, so true counts may fall a little short.
            #expect(tree.leafCounts.allSatisfy { $0 >= parameters.minDataInLeaf / 2 })
            #expect(tree.leafCounts.reduce(0, +) == 2000)
        }
    }
}

private func treeDepth(_ tree: RegressionTree, node: Int) -> Int {
    if node < 0 || tree.splitCount == 0 { return 0 }
    return 1 + max(treeDepth(tree, node: tree.leftChildren[node]), treeDepth(tree, node: tree.rightChildren[node]))
}

@Test func missingValuesFollowTheLearnedDirection() throws {
    // Missing x0 means positive: the split must send NaN to the positive side.
    var values = [Float]()
    var labels = [UInt8]()
    for i in 0 ..< 600 {
        let missing = i % 3 == 0
        values.append(missing ? .nan : Float(i % 50))
        labels.append(missing ? 1 : (i % 50 < 10 ? 1 : 0))
    }
    let features = DenseMatrix(rowCount: 600, columnCount: 1, values: values)
    let model = try GradientBoostingClassifier(parameters: GradientBoostingParameters(roundCount: 20, threadCount: 1))
        .fit(features: features, labels: labels)
    let probe = DenseMatrix(rowCount: 3, columnCount: 1, values: [.nan, 5, 40])
    let p = model.predictProbability(probe)
    #expect(p[0] > 0.9)
    #expect(p[1] > 0.9)
    #expect(p[2] < 0.1)
}

// MARK: - Histograms

private func randomBinnedData(rowCount: Int, seed: UInt64) throws -> (BinnedMatrix, BinMapper, [Float], [Float]) {
    let (features, _) = syntheticData(rowCount: rowCount, columnCount: 5, seed: seed, missingRate: 0.1)
    let mapper = try BinMapper(fitting: features, maxBinCount: 31)
    let binned = try mapper.transform(features)
    var random = SplitMix64(seed: seed ^ 99)
    // Dyadic gradients (multiples of 1/64): every summation order gives the same exact sums.
    let gradients = (0 ..< rowCount).map { _ in Float(Int(random.next() % 129) - 64) / 64 }
    let hessians = (0 ..< rowCount).map { _ in Float(random.next() % 64 + 1) / 64 }
    return (binned, mapper, gradients, hessians)
}

private func fastHistogram(_ binned: BinnedMatrix, _ layout: HistogramLayout, features: [Int], rows: [Int32]?,
                           _ gradients: [Float], _ hessians: [Float], threads: Int) -> [HistogramBin] {
    var histogram = [HistogramBin](repeating: HistogramBin(), count: layout.totalBinCount)
    var scratch = [HistogramBin](repeating: HistogramBin(), count: HistogramBuilder.maxChunkCount * layout.totalBinCount)
    var ordered = [Float](repeating: 0, count: binned.rowCount * 2)
    let rowStorage = rows ?? []
    let pool = WorkerPool(threadCount: threads)
    defer { pool.shutdown() }
    binned.bins.withUnsafeBufferPointer { bins in
        gradients.withUnsafeBufferPointer { g in
            hessians.withUnsafeBufferPointer { h in
                ordered.withUnsafeMutableBufferPointer { o in
                    scratch.withUnsafeMutableBufferPointer { s in
                        histogram.withUnsafeMutableBufferPointer { out in
                            rowStorage.withUnsafeBufferPointer { rowBuffer in
                                HistogramBuilder.build(
                                    binned: bins.baseAddress!, rowCount: binned.rowCount, layout: layout, features: features,
                                    rows: rows == nil ? nil : rowBuffer, gradients: g.baseAddress!, hessians: h.baseAddress!,
                                    orderedGradients: o.baseAddress!, orderedHessians: o.baseAddress! + binned.rowCount,
                                    scratch: s.baseAddress!, pool: pool, into: out.baseAddress!)
                            }
                        }
                    }
                }
            }
        }
    }
    return histogram
}

@Test(arguments: [1, 2, 3])
func fastHistogramEqualsNaive(threads: Int) throws {
    let rowCount = 40_000   // above the parallel threshold
    let (binned, mapper, gradients, hessians) = try randomBinnedData(rowCount: rowCount, seed: 11)
    let layout = HistogramLayout(binMapper: mapper)
    let features = Array(0 ..< 5)
    let all = Array(0 ..< rowCount)
    let naiveAll = HistogramBuilder.buildNaive(binned: binned, layout: layout, features: features, rows: all,
                                               gradients: gradients, hessians: hessians)
    #expect(fastHistogram(binned, layout, features: features, rows: nil, gradients, hessians, threads: threads) == naiveAll)
    let subset = all.filter { $0 % 3 != 1 }
    let naiveSubset = HistogramBuilder.buildNaive(binned: binned, layout: layout, features: features, rows: subset,
                                                  gradients: gradients, hessians: hessians)
    let fastSubset = fastHistogram(binned, layout, features: features, rows: subset.map { Int32($0) },
                                   gradients, hessians, threads: threads)
    #expect(fastSubset == naiveSubset)
    // A leaf too small for row chunks, built feature by feature on the pool: 3,000 rows × 40 features.
    let (wide, _) = syntheticData(rowCount: 8000, columnCount: 40, seed: 14, missingRate: 0.05)
    let wideMapper = try BinMapper(fitting: wide, maxBinCount: 63)
    let wideBinned = try wideMapper.transform(wide)
    let wideLayout = HistogramLayout(binMapper: wideMapper)
    let wideFeatures = Array(0 ..< 40)
    let wideG = (0 ..< 8000).map { Float(($0 * 37) % 129 - 64) / 64 }
    let wideH = (0 ..< 8000).map { Float(($0 * 11) % 64 + 1) / 64 }
    let small = Array((0 ..< 8000).filter { $0 % 8 != 3 }.prefix(3000))
    #expect(HistogramBuilder.chunkCount(rowCount: small.count, featureCount: 40) == 1)
    let naiveSmall = HistogramBuilder.buildNaive(binned: wideBinned, layout: wideLayout, features: wideFeatures, rows: small,
                                                 gradients: wideG, hessians: wideH)
    #expect(fastHistogram(wideBinned, wideLayout, features: wideFeatures, rows: small.map { Int32($0) }, wideG, wideH,
                          threads: threads) == naiveSmall)
    let hessianTotal = subset.reduce(0.0) { $0 + Double(hessians[$1]) }
    #expect(naiveSubset.reduce(0.0) { $0 + $1.sumHessians } == hessianTotal * Double(features.count))
}

@Test func histogramSubtractionEqualsDirectBuild() throws {
    let rowCount = 5000
    let (binned, mapper, gradients, hessians) = try randomBinnedData(rowCount: rowCount, seed: 12)
    let layout = HistogramLayout(binMapper: mapper)
    let features = [0, 2, 4]
    let parentRows = (0 ..< rowCount).filter { $0 % 5 != 0 }
    let smallRows = parentRows.filter { binned[$0, 1] < 8 }
    let largeRows = parentRows.filter { binned[$0, 1] >= 8 }
    var parent = fastHistogram(binned, layout, features: features, rows: parentRows.map { Int32($0) }, gradients, hessians, threads: 2)
    let small = fastHistogram(binned, layout, features: features, rows: smallRows.map { Int32($0) }, gradients, hessians, threads: 1)
    let large = HistogramBuilder.buildNaive(binned: binned, layout: layout, features: features, rows: largeRows,
                                            gradients: gradients, hessians: hessians)
    parent.withUnsafeMutableBufferPointer { p in
        small.withUnsafeBufferPointer { s in
            HistogramBuilder.subtract(s.baseAddress!, from: p.baseAddress!, layout: layout, features: features)
        }
    }
    for f in features {
        let bins = layout.offsets[f] ..< layout.offsets[f + 1]
        #expect(Array(parent[bins]) == Array(large[bins]))
    }
}

// MARK: - Loss, split finding

@Test func logLossDerivativesMatchFiniteDifferences() {
    func loss(_ s: Double, _ y: Double) -> Double {
        let p = 1 / (1 + exp(-s))
        return -(y * log(p) + (1 - y) * log(1 - p))
    }
    // The derivatives production fits (``BinaryLogLoss/derivatives``, called by `computeDerivatives`).
    let step = 1e-5
    for label: UInt8 in [0, 1] {
        let y = Double(label)
        for s in [-4.0, -1.3, 0, 0.7, 3.2] {
            let (g, h) = BinaryLogLoss.derivatives(score: s, label: label)
            let numericGradient = (loss(s + step, y) - loss(s - step, y)) / (2 * step)
            let numericHessian = (loss(s + step, y) - 2 * loss(s, y) + loss(s - step, y)) / (step * step)
            #expect(abs(g - numericGradient) < 1e-7)
            #expect(abs(h - numericHessian) < 1e-4)
        }
    }
    // The boosting rounds' kernel writes exactly these derivatives, as floats, for every row.
    let rowScores = [-4.0, -1.3, 0, 0.7, 3.2, 12, -30]
    let rowLabels: [UInt8] = [0, 1, 1, 0, 1, 0, 1]
    var gradients = [Float](repeating: .nan, count: 7), hessians = [Float](repeating: .nan, count: 7)
    let pool = WorkerPool(threadCount: 2)
    BinaryLogLoss.computeDerivatives(scores: rowScores, labels: rowLabels, gradients: &gradients, hessians: &hessians,
                                     pool: pool)
    pool.shutdown()
    for i in 0 ..< 7 {
        let (g, h) = BinaryLogLoss.derivatives(score: rowScores[i], label: rowLabels[i])
        #expect(gradients[i] == Float(g) && hessians[i] == Float(h))
    }
    // The initial score is the loss minimum over constants: the gradients sum to zero there.
    let prior: [UInt8] = [1, 0, 0, 1, 0, 0, 0, 0]
    let start = BinaryLogLoss.initialScore(positiveCount: 2, rowCount: 8)
    #expect(abs(prior.map { BinaryLogLoss.derivatives(score: start, label: $0).gradient }.reduce(0, +)) < 1e-12)
    #expect(abs(BinaryLogLoss.probability(score: start) - 0.25) < 1e-15)
    // The stable mean log-loss agrees with the direct formula.
    let scores = [-2.0, 0.5, 3.0], labels: [UInt8] = [0, 1, 0]
    let direct = zip(scores, labels).map { loss($0, Double($1)) }.reduce(0, +) / 3
    #expect(abs(BinaryLogLoss.meanLoss(scores: scores, labels: labels) - direct) < 1e-12)
}

@Test func splitFinderHonoursRegularisationAndLimits() {
    // Two value bins: left G = -10, H = 5; right G = 6, H = 4; 55 rows, no missing values. Counts are
    // estimated from hessians as in LightGBM: round(5 · 55 / 9) = 31 left, 55 − round(4 · 55 / 9) = 31.
    let histogram = [HistogramBin(sumGradients: -10, sumHessians: 5),
                     HistogramBin(sumGradients: 6, sumHessians: 4),
                     HistogramBin()]
    let parent = NodeSums(sumGradients: -4, sumHessians: 9, count: 55)
    let info = FeatureSplitInfo(missingBin: 2, hasMissing: false, mostFrequentBinIsZero: true)
    func best(_ parameters: GradientBoostingParameters) -> SplitCandidate? {
        histogram.withUnsafeBufferPointer { h in
            SplitFinder(parameters: parameters).bestSplit(feature: 0, histogram: h.baseAddress!, info: info, parent: parent).0
        }
    }
    let plain = best(GradientBoostingParameters())
    #expect(plain?.binThreshold == 0)
    #expect(abs((plain?.gain ?? 0) - (100.0 / 5 + 36.0 / 4 - 16.0 / 9)) < 1e-12)
    #expect(plain?.left.count == 31)
    #expect(plain?.missingGoesLeft == true)   // no missing values: they follow the larger child
    let l1l2 = best(GradientBoostingParameters(lambdaL2: 1, lambdaL1: 2))
    #expect(abs((l1l2?.gain ?? 0) - (64.0 / 6 + 16.0 / 5 - 4.0 / 10)) < 1e-12)
    // The right side's estimated count is 24 (true count unknown to the histogram).
    #expect(best(GradientBoostingParameters(minDataInLeaf: 24)) != nil)
    #expect(best(GradientBoostingParameters(minDataInLeaf: 25)) == nil)
    #expect(best(GradientBoostingParameters(minSumHessianInLeaf: 4.5)) == nil)
    #expect(best(GradientBoostingParameters(minGainToSplit: 28)) == nil)
    #expect(best(GradientBoostingParameters(minGainToSplit: 27)) != nil)
    let finder = SplitFinder(parameters: GradientBoostingParameters(lambdaL2: 1, lambdaL1: 2))
    #expect(abs(finder.leafValue(NodeSums(sumGradients: -10, sumHessians: 5, count: 30)) - 8.0 / 6) < 1e-12)
}

@Test func splitFinderNeedsTwiceMinDataInLeafRows() {
    // Two bins of equal hessian: a 40-row leaf splits 20 / 20 with minDataInLeaf 20; a 39-row leaf has
    // no valid threshold (one side would hold 19), and reports the feature as not splittable.
    let histogram = [HistogramBin(sumGradients: -3, sumHessians: 5), HistogramBin(sumGradients: 4, sumHessians: 5),
                     HistogramBin()]
    let info = FeatureSplitInfo(missingBin: 2, hasMissing: false, mostFrequentBinIsZero: true)
    let finder = SplitFinder(parameters: GradientBoostingParameters(minDataInLeaf: 20))
    func search(rows: Int) -> (SplitCandidate?, Bool) {
        histogram.withUnsafeBufferPointer { h in
            finder.bestSplit(feature: 0, histogram: h.baseAddress!, info: info,
                             parent: NodeSums(sumGradients: 1, sumHessians: 10, count: rows))
        }
    }
    let (split, found) = search(rows: 40)
    #expect(found)
    #expect(split?.left.count == 20 && split?.right.count == 20)
    let (none, notFound) = search(rows: 39)
    #expect(none == nil)
    #expect(!notFound)
}

@Test func splitFinderTriesBothMissingDirections() {
    // Bins 0, 1, 2 hold values, bin 3 the missing ones. Missing rows look like bin 0, so the best rule
    // puts bins 0 and missing together: threshold 0 with missing left, found by the reverse scan.
    let histogram = [HistogramBin(sumGradients: -8, sumHessians: 4), HistogramBin(sumGradients: 3, sumHessians: 4),
                     HistogramBin(sumGradients: 4, sumHessians: 4), HistogramBin(sumGradients: -6, sumHessians: 3)]
    let parent = NodeSums(sumGradients: -7, sumHessians: 15, count: 60)
    let finder = SplitFinder(parameters: GradientBoostingParameters(minDataInLeaf: 1))
    let withMissing = FeatureSplitInfo(missingBin: 3, hasMissing: true, mostFrequentBinIsZero: false)
    let split = histogram.withUnsafeBufferPointer {
        finder.bestSplit(feature: 0, histogram: $0.baseAddress!, info: withMissing, parent: parent).0
    }
    #expect(split?.binThreshold == 0)
    #expect(split?.missingGoesLeft == true)
    #expect(abs((split?.left.sumGradients ?? 0) - -14) < 1e-9)
    // Missing rows like the top bins: they go right (second, forward scan).
    var flipped = histogram
    flipped[3] = HistogramBin(sumGradients: 6, sumHessians: 3)
    let parentFlipped = NodeSums(sumGradients: 5, sumHessians: 15, count: 60)
    let other = flipped.withUnsafeBufferPointer {
        finder.bestSplit(feature: 0, histogram: $0.baseAddress!, info: withMissing, parent: parentFlipped).0
    }
    #expect(other?.binThreshold == 0)
    #expect(other?.missingGoesLeft == false)
    #expect(abs((other?.left.sumGradients ?? 0) - -8) < 1e-9)
}

// MARK: - Binning

@Test func binningEdgeCases() throws {
    // Columns: constant; with NaN; three distinct values; 1000 distinct values.
    var values = [Float]()
    for i in 0 ..< 1000 {
        values += [4, i % 4 == 0 ? .nan : Float(i % 7), Float([1, 2, 5][i % 3]), Float(i + 1) * 0.5]
    }
    let features = DenseMatrix(rowCount: 1000, columnCount: 4, values: values)
    let mapper = try BinMapper(fitting: features, maxBinCount: 16)
    let binned = try mapper.transform(features)
    // The fast (branch-free) transform agrees with the reference binary search everywhere.
    for r in 0 ..< 1000 {
        for c in 0 ..< 4 where Int(binned[r, c]) != mapper.bin(of: features[r, c], feature: c) {
            Issue.record("row \(r) column \(c): transform \(binned[r, c]) vs bin(of:) \(mapper.bin(of: features[r, c], feature: c))")
        }
    }
    // As in LightGBM, bin 0 is always the zero bin (|v| ≤ 1e-35), here empty: a constant positive
    // feature has the zero bin, its own bin, and the (empty) missing bin.
    #expect(mapper.upperBounds[0] == [1e-35, .infinity])
    #expect((0 ..< 1000).allSatisfy { binned[$0, 0] == 1 })
    // NaN goes to the missing bin, after the 7 value bins.
    #expect(mapper.missingBin(1) == 7)
    #expect((0 ..< 1000).allSatisfy { (binned[$0, 1] == 7) == ($0 % 4 == 0) })
    #expect(mapper.bin(of: .nan, feature: 1) == 7)
    // Fewer distinct values than bins: one bin each, bounds just above the midpoints (LightGBM's
    // `GetDoubleUpperBound`).
    #expect(mapper.upperBounds[2] == [1e-35, 1.5.nextUp, 3.5.nextUp, .infinity])
    let smallBins = [Float(1), 2, 9].map { mapper.bin(of: $0, feature: 2) }
    #expect(smallBins == [1, 2, 3])
    // Many distinct values: the zero bin plus 15 bins of 66 or 67 values.
    #expect(mapper.upperBounds[3].count == 16)
    var counts = [Int](repeating: 0, count: 17)
    for r in 0 ..< 1000 { counts[Int(binned[r, 3])] += 1 }
    #expect(counts[0] == 0)
    #expect(counts[1 ..< 16].allSatisfy { (66 ... 67).contains($0) })
    // Raw rule and bin rule agree at every bound: the largest float at or below it stays, the next goes up.
    for (b, bound) in mapper.upperBounds[3].dropLast().enumerated() {
        var below = Float(bound)
        if Double(below) > bound { below = below.nextDown }
        #expect(mapper.bin(of: below, feature: 3) <= b)
        #expect(mapper.bin(of: below.nextUp, feature: 3) > b)
    }
    // With few values per distinct value, bounds wait for `minDataInBin` (3) values.
    var sparse = [1.0, 2, 3, 3, 4, 5, 6, 6, 6, 7]
    #expect(BinMapper.upperBounds(ofValues: &sparse, maxBinCount: 255) == [1e-35, 3.5.nextUp, 6.5.nextUp, .infinity])
    // Values one ulp apart are one distinct value.
    var close = [1.0, 1.0.nextUp, 1.0.nextUp, 2, 2, 2, 3, 3, 3]
    #expect(BinMapper.upperBounds(ofValues: &close, maxBinCount: 255) == [1e-35, 1.5.nextUp, 2.5.nextUp, .infinity])
    // With missing values one bin is kept for them.
    var many = (1 ... 100).map(Double.init)
    #expect(BinMapper.upperBounds(ofValues: &many, missingCount: 5, maxBinCount: 10).count == 9)
    // A heavy value gets a bin of its own.
    let heavy = try BinMapper(fitting: DenseMatrix(rowCount: 1000, columnCount: 1,
                                                   values: (0 ..< 1000).map { $0 < 600 ? 0 : Float($0) }), maxBinCount: 10)
    let firstBound = heavy.upperBounds[0][0]
    #expect(firstBound > 0 && firstBound < 600)
    #expect(heavy.upperBounds[0].count == 10)
    // Zero gets a bin of its own between the negative and positive bins (as in LightGBM).
    let signed = try BinMapper(fitting: DenseMatrix(rowCount: 1001, columnCount: 1,
                                                    values: (0 ... 1000).map { Float($0 - 500) / 7 }), maxBinCount: 20)
    let signedBounds = signed.upperBounds[0]
    #expect(signedBounds.count <= 20)
    let zeroBin = signed.bin(of: 0, feature: 0)
    #expect(signed.bin(of: -1 / 7, feature: 0) == zeroBin - 1)
    #expect(signed.bin(of: 1 / 7, feature: 0) == zeroBin + 1)
    // Infinite values are rejected with the column and row.
    let infinite = DenseMatrix(rowCount: 2, columnCount: 2, values: [1, 2, 3, .infinity], columnNames: ["a", "b"])
    #expect(throws: GradientBoostingError.invalidInput(
        "feature 'b' (column 1) is infinite at row 1; use NaN for missing values")) {
        try BinMapper(fitting: infinite)
    }
}

// MARK: - Parameters and input

@Test func parameterValidationNamesTheBadValue() {
    func message(_ parameters: GradientBoostingParameters) -> String? {
        do { _ = try GradientBoostingClassifier(parameters: parameters); return nil } catch {
            return (error as? GradientBoostingError).map {
                if case .invalidParameter(let text) = $0 { return text } else { return "wrong case" }
            }
        }
    }
    #expect(message(GradientBoostingParameters()) == nil)
    #expect(message(GradientBoostingParameters(learningRate: -0.1)) == "learningRate must be in (0, 1], got -0.1")
    #expect(message(GradientBoostingParameters(leafCount: 1)) == "leafCount must be in [2, 131072], got 1")
    #expect(message(GradientBoostingParameters(maxDepth: 0)) == "maxDepth must be at least 1 (or nil for unlimited), got 0")
    #expect(message(GradientBoostingParameters(minDataInLeaf: 0)) == "minDataInLeaf must be at least 1, got 0")
    #expect(message(GradientBoostingParameters(lambdaL2: -1)) == "lambdaL2 must be finite and >= 0, got -1.0")
    #expect(message(GradientBoostingParameters(lambdaL1: .nan)) == "lambdaL1 must be finite and >= 0, got nan")
    #expect(message(GradientBoostingParameters(featureFraction: 0)) == "featureFraction must be in (0, 1], got 0.0")
    #expect(message(GradientBoostingParameters(baggingFraction: 1.5)) == "baggingFraction must be in (0, 1], got 1.5")
    #expect(message(GradientBoostingParameters(baggingFrequency: -2)) == "baggingFrequency must be >= 0, got -2")
    #expect(message(GradientBoostingParameters(earlyStoppingRounds: 0))
        == "earlyStoppingRounds must be at least 1 (or nil to disable), got 0")
    #expect(message(GradientBoostingParameters(maxBinCount: 300)) == "maxBinCount must be in [2, 255], got 300")
    #expect(message(GradientBoostingParameters(roundCount: 0)) == "roundCount must be at least 1, got 0")
    #expect(message(GradientBoostingParameters(threadCount: 0))
        == "threadCount must be at least 1 (or nil for all cores), got 0")
}

@Test func badTrainingInputIsReported() throws {
    let gbm = try GradientBoostingClassifier()
    let features = DenseMatrix(rowCount: 3, columnCount: 1, values: [1, 2, 3])
    #expect(throws: GradientBoostingError.invalidInput("training set: label at row 1 is 2; labels must be 0 or 1")) {
        try gbm.fit(features: features, labels: [0, 2, 1])
    }
    #expect(throws: GradientBoostingError.invalidInput("training set: 2 labels for 3 rows")) {
        try gbm.fit(features: features, labels: [0, 1])
    }
    #expect(throws: GradientBoostingError.invalidInput("training labels contain only one class (0 positive of 3)")) {
        try gbm.fit(features: features, labels: [0, 0, 0])
    }
    let wide = DenseMatrix(rowCount: 1, columnCount: 2, values: [1, 2])
    #expect(throws: GradientBoostingError.invalidInput("validation matrix has 2 columns, training has 1")) {
        try gbm.fit(features: features, labels: [0, 1, 1], validation: (wide, [1]))
    }
    let early = try GradientBoostingClassifier(parameters: GradientBoostingParameters(earlyStoppingRounds: 5))
    #expect(throws: GradientBoostingError.invalidParameter("earlyStoppingRounds is set but no validation set was given")) {
        try early.fit(features: features, labels: [0, 1, 1])
    }
}

// MARK: - Model behaviour

@Test func modelLearnsAndReportsImportance() throws {
    let (train, trainLabels) = syntheticData(rowCount: 4000, seed: 21, missingRate: 0.05)
    let (test, testLabels) = syntheticData(rowCount: 2000, seed: 22, missingRate: 0.05)
    let model = try GradientBoostingClassifier(parameters: GradientBoostingParameters(roundCount: 50))
        .fit(features: train, labels: trainLabels)
    let auc = rocAUC(model.predictProbability(test), testLabels)
    #expect(auc > 0.75)
    let gain = model.featureImportance(.gain)
    let splits = model.featureImportance(.split)
    let splitTotal: Int = model.trees.map(\.splitCount).reduce(0, +)
    #expect(splits.reduce(0, +) == Double(splitTotal))
    // The three signal columns carry most of the gain.
    let signalGain: Double = gain[0 ..< 3].reduce(0, +)
    let noiseGain: Double = gain[3 ..< 6].reduce(0, +)
    #expect(signalGain > 3 * noiseGain)
    #expect(gain[0] == gain.max())
}

@Test func earlyStoppingKeepsTheBestRound() throws {
    let (train, trainLabels) = syntheticData(rowCount: 1500, seed: 31)
    let (valid, validLabels) = syntheticData(rowCount: 1500, seed: 32)
    let parameters = GradientBoostingParameters(leafCount: 63, minDataInLeaf: 2, learningRate: 0.5, roundCount: 200,
                                                earlyStoppingRounds: 10)
    let model = try GradientBoostingClassifier(parameters: parameters)
        .fit(features: train, labels: trainLabels, validation: (valid, validLabels))
    #expect(model.trainedRoundCount < 200)
    #expect(model.validationLossHistory.count == model.trainedRoundCount)
    #expect(model.trainedRoundCount - model.bestIteration == 10)
    #expect(model.trees.count == model.bestIteration)
    let best = try #require(model.validationLossHistory.min())
    #expect(model.validationLossHistory[model.bestIteration - 1] == best)
    // The kept model's validation loss is that best loss.
    let scores = model.predictRawScores(valid)
    #expect(abs(BinaryLogLoss.meanLoss(scores: scores, labels: validLabels) - best) < 1e-9)
}

@Test func jsonRoundTripGivesIdenticalPredictions() throws {
    let (train, labels) = syntheticData(rowCount: 1500, seed: 41, missingRate: 0.1)
    let model = try GradientBoostingClassifier(parameters: GradientBoostingParameters(roundCount: 15, featureFraction: 0.8))
        .fit(features: train, labels: labels)
    let data = try model.jsonData()
    let loaded = try GradientBoostingModel(jsonData: data)
    #expect(loaded == model)
    #expect(loaded.predictProbability(train) == model.predictProbability(train))
    // A damaged file is reported, not trusted.
    var broken = try #require(String(data: data, encoding: .utf8))
    broken = broken.replacingOccurrences(of: "\"formatVersion\":1", with: "\"formatVersion\":99")
    #expect(throws: GradientBoostingError.invalidModel("format version 99, this build reads 1")) {
        try GradientBoostingModel(jsonData: Data(broken.utf8))
    }
    #expect(throws: (any Error).self) { try GradientBoostingModel(jsonData: Data("{}".utf8)) }
}

@Test func sameSeedSameModelAcrossRuns() throws {
    let (train, labels) = syntheticData(rowCount: 3000, seed: 51)
    let parameters = GradientBoostingParameters(roundCount: 10, featureFraction: 0.5, baggingFraction: 0.7,
                                                baggingFrequency: 1, seed: 9)
    let first = try GradientBoostingClassifier(parameters: parameters).fit(features: train, labels: labels)
    let second = try GradientBoostingClassifier(parameters: parameters).fit(features: train, labels: labels)
    #expect(first == second)
    var other = parameters
    other.seed = 10
    let third = try GradientBoostingClassifier(parameters: other).fit(features: train, labels: labels)
    #expect(third.trees != first.trees)
    // Bagging: each tree sees 70 % of the rows.
    #expect(first.trees.allSatisfy { $0.leafCounts.reduce(0, +) == 2100 })
}

// MARK: - Against LightGBM

private struct LightGBMFixture: Decodable {
    let roundCount: Int
    let leafCount: Int
    let learningRate: Double
    let minDataInLeaf: Int
    let lambdaL2: Double
    let trainFeatures: [[Double]]
    let trainLabels: [UInt8]
    let testFeatures: [[Double]]
    let lightgbmProbabilities: [Double]
    let lightgbmTreeLeafCounts: [Int]
}

/// LightGBM 4.7 with its default settings (min_data_in_leaf 20, 255 bins, min_data_in_bin 3) on the raw
/// breast-cancer data, 100 rounds (see `Fixtures/gbm-lightgbm-breast-cancer.py`). Our bins are LightGBM's
/// (`GreedyFindBin`, zero as its own bin) and our split search uses its hessian-estimated counts, so
/// every tree has the same shape and the probabilities agree to float rounding (LightGBM sums float
/// gradients in another order).
@Test func matchesLightGBMOnBreastCancer() throws {
    let url = try #require(Bundle.module.url(forResource: "gbm-lightgbm-breast-cancer", withExtension: "json",
                                             subdirectory: "Fixtures"))
    let fixture = try JSONDecoder().decode(LightGBMFixture.self, from: Data(contentsOf: url))
    func matrix(_ rows: [[Double]]) -> DenseMatrix {
        DenseMatrix(rowCount: rows.count, columnCount: rows[0].count, values: rows.flatMap { $0.map(Float.init) })
    }
    let parameters = GradientBoostingParameters(leafCount: fixture.leafCount, minDataInLeaf: fixture.minDataInLeaf,
                                                lambdaL2: fixture.lambdaL2, learningRate: fixture.learningRate, roundCount: fixture.roundCount,
                                                threadCount: 1)
    let model = try GradientBoostingClassifier(parameters: parameters)
        .fit(features: matrix(fixture.trainFeatures), labels: fixture.trainLabels)
    #expect(model.trees.map(\.leafCount) == fixture.lightgbmTreeLeafCounts)
    let probabilities = model.predictProbability(matrix(fixture.testFeatures))
    #expect(probabilities.count == fixture.lightgbmProbabilities.count)
    var largest = 0.0
    for (ours, theirs) in zip(probabilities, fixture.lightgbmProbabilities) { largest = max(largest, abs(ours - theirs)) }
    #expect(largest < 1e-9, "largest difference \(largest)")
}

@Test func fittedModelDoesNotDependOnTheThreadCount() throws {
    // 20,000 rows: the root and large leaves are built in several row chunks; smaller leaves feature by
    // feature, fused with subtraction and search, on the pool's threads in whatever order they claim them.
    let (train, labels) = syntheticData(rowCount: 20_000, columnCount: 40, seed: 61, missingRate: 0.02)
    #expect(HistogramBuilder.chunkCount(rowCount: 20_000, featureCount: 40) > 1)
    #expect(HistogramBuilder.chunkCount(rowCount: 1000, featureCount: 40) == 1)
    // Leaves of 2,000 rows run on the pool, leaves of 500 on the caller's thread.
    #expect(2000 * 40 >= TreeGrower.parallelWorkThreshold)
    #expect(500 * 40 + 2 * 40 * 256 < TreeGrower.parallelWorkThreshold)
    let models = try [1, 2, 3].map { threads in
        try GradientBoostingClassifier(parameters: GradientBoostingParameters(roundCount: 8, threadCount: threads))
            .fit(features: train, labels: labels)
    }
    #expect(models[0].trees == models[1].trees)
    #expect(models[0].trees == models[2].trees)
}

@Test func baggingSampleIsExactAndComplementCoversTheRest() {
    var generator = SplitMix64(seed: 5)
    let bag = generator.sampleSequentially(700, from: 1000)
    #expect(bag.count == 700)
    #expect(zip(bag, bag.dropFirst()).allSatisfy { $0 < $1 })   // ascending, distinct
    let rest = RowBagging.complement(of: bag, rowCount: 1000)
    #expect(rest.count == 300)
    #expect(Set(bag + rest) == Set((0 ..< 1000).map { Int32($0) }))
    // Roughly uniform: each half of the rows gets about half of the bag.
    let firstHalf = bag.filter { $0 < 500 }.count
    #expect((310 ... 390).contains(firstHalf))
    #expect(generator.sampleSequentially(5, from: 5) == [0, 1, 2, 3, 4])
}

@Test func radixSortEqualsStandardSort() {
    var random = SplitMix64(seed: 77)
    var values = (0 ..< 5000).map { i -> Float in
        switch i % 5 {
        case 0: return 0
        case 1: return -0.0
        case 2: return Float(random.nextGaussian()) * 1e-30
        default: return Float(random.nextGaussian() * 1000)
        }
    }
    values += [.greatestFiniteMagnitude, -.greatestFiniteMagnitude, .leastNonzeroMagnitude, -.leastNonzeroMagnitude]
    var radix = values
    BinMapper.radixSort(&radix)
    #expect(radix == values.sorted())
    #expect(zip(radix, radix.dropFirst()).allSatisfy { $0 <= $1 })
}
