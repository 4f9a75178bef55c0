import Core
import Foundation
import Testing
@testable import Learning

/// Rows with a logistic signal on the first columns: Gaussian columns, a column that is mostly zero,
/// a negative one, and NaNs at `missingRate`; `scale` stretches every value (rows outside the bins' range).
private func mixedData(rowCount: Int, seed: UInt64, missingRate: Double, scale: Float = 1) -> (DenseMatrix, [UInt8]) {
    var random = SplitMix64(seed: seed)
    var values = [Float](), labels = [UInt8]()
    for _ in 0 ..< rowCount {
        var row = (0 ..< 5).map { _ in Float(random.nextGaussian()) * scale }
        row.append(random.nextUnitDouble() < 0.8 ? 0 : Float(random.nextUnitDouble() * 10) * scale)
        row.append(-abs(Float(random.nextGaussian())) * scale)
        let score = 1.2 * Double(row[0]) - Double(row[1]) + (row[5] > 5 ? 1 : -0.3) + 0.5 * Double(row[6])
        labels.append(random.nextUnitDouble() < 1 / (1 + exp(-score)) ? 1 : 0)
        for c in row.indices where random.nextUnitDouble() < missingRate { row[c] = .nan }
        values += row
    }
    return (DenseMatrix(rowCount: rowCount, columnCount: 7, values: values), labels)
}

private let smallBoosting = GradientBoostingParameters(leafCount: 15, minDataInLeaf: 10, learningRate: 0.1, roundCount: 25,
                                                       featureFraction: 0.8, baggingFraction: 0.8, baggingFrequency: 1,
                                                       seed: 3, threadCount: 2)

@Suite struct BinnedDatasetTests {
    @Test func binnedPredictionEqualsRawPredictionBitForBit() throws {
        let (train, labels) = mixedData(rowCount: 3000, seed: 11, missingRate: 0.05)
        let model = try GradientBoostingClassifier(parameters: smallBoosting).fit(features: train, labels: labels)
        #expect(model.trees.count == 25)
        // Fresh rows, some far outside the training range, with missing values.
        for (seed, scale) in [(12, Float(1)), (13, Float(40))] as [(UInt64, Float)] {
            let (rows, _) = mixedData(rowCount: 25_000, seed: seed, missingRate: 0.1, scale: scale)
            let binned = try BinnedDataset(binning: rows, with: model.binMapper, threadCount: 2)
            let raw = model.predictRawScores(rows)
            let fromBins = try model.predictRawScores(binned: binned)
            #expect(raw.map(\.bitPattern) == fromBins.map(\.bitPattern))
            #expect(model.predictRawScores(rows, treeCount: 7).map(\.bitPattern)
                == (try model.predictRawScores(binned: binned, treeCount: 7)).map(\.bitPattern))
            #expect(try model.predictProbability(binned: binned) == model.predictProbability(rows))
        }
        // The training rows' bins, selected back from a dataset fitted on them, score the same too.
        let all = try BinnedDataset(fitting: train, maxBinCount: 255, seed: smallBoosting.seed)
        #expect(all.binMapper == model.binMapper)
        #expect(try model.predictRawScores(binned: all.selecting(rows: [5, 0, 2999, 17])).map(\.bitPattern)
            == model.predictRawScores(train.rows([5, 0, 2999, 17])).map(\.bitPattern))
    }

    @Test func treeWalkerFindsEveryRowsLeafLikeTheOneRowTraversal() throws {
        let (train, labels) = mixedData(rowCount: 3000, seed: 41, missingRate: 0.08)
        let model = try GradientBoostingClassifier(parameters: smallBoosting).fit(features: train, labels: labels)
        let (rows, _) = mixedData(rowCount: 1003, seed: 42, missingRate: 0.1, scale: 3)
        let matrix = try BinnedDataset(binning: rows, with: model.binMapper).matrix
        // A single-leaf tree walks to its leaf in zero steps.
        let stump = RegressionTree(splitFeatures: [], thresholds: [], binThresholds: [], missingGoesLeft: [], leftChildren: [],
                                   rightChildren: [], splitGains: [], leafValues: [0.25], leafCounts: [3000])
        // Every 7th row, backwards (as the rows outside a sample are listed), so lanes hold scattered rows.
        let listed = Array(stride(from: 1002, through: 0, by: -7))
        try matrix.bins.withUnsafeBufferPointer { bins in
            try matrix.missingBins.withUnsafeBufferPointer { missing in
                for tree in model.trees + [stump] {
                    let walker = BinnedTreeWalker(tree, missingBins: missing.baseAddress!)
                    let values = (0 ..< rows.rowCount).map { r in
                        tree.leafValues[tree.leaf(binnedRow: r, bins: bins.baseAddress!, rowCount: rows.rowCount, missingBins: missing.baseAddress!)]
                    }
                    let expected = values.map { 1 + $0 }
                    var walked = [Double](repeating: 1, count: rows.rowCount)
                    walked.withUnsafeMutableBufferPointer { out in
                        walker.addValues(count: rows.rowCount, rowAt: { $0 }, bins: bins.baseAddress!, columnLength: rows.rowCount,
                                         scores: out.baseAddress!)
                    }
                    #expect(walked.map(\.bitPattern) == expected.map(\.bitPattern))
                    var sparse = [Double](repeating: 0, count: rows.rowCount)
                    sparse.withUnsafeMutableBufferPointer { out in
                        walker.addValues(count: listed.count, rowAt: { listed[$0] }, bins: bins.baseAddress!, columnLength: rows.rowCount,
                                         scores: out.baseAddress!)
                    }
                    for r in 0 ..< rows.rowCount {
                        try #require(sparse[r] == (listed.contains(r) ? values[r] : 0), "row \(r)")
                    }
                }
                #expect(model.trees.contains { BinnedTreeWalker($0, missingBins: missing.baseAddress!).depth >= 4 })
            }
        }
    }

    @Test func binnedPredictionEqualsRawPredictionOnBreastCancer() throws {
        let url = try #require(Bundle.module.url(forResource: "gbm-lightgbm-breast-cancer", withExtension: "json",
                                                 subdirectory: "Fixtures"))
        struct Rows: Decodable { let trainFeatures: [[Double]], trainLabels: [UInt8], testFeatures: [[Double]] }
        let fixture = try JSONDecoder().decode(Rows.self, from: Data(contentsOf: url))
        func matrix(_ rows: [[Double]]) -> DenseMatrix {
            DenseMatrix(rowCount: rows.count, columnCount: rows[0].count, values: rows.flatMap { $0.map(Float.init) })
        }
        let model = try GradientBoostingClassifier(parameters: GradientBoostingParameters(minDataInLeaf: 20, roundCount: 100, threadCount: 1))
            .fit(features: matrix(fixture.trainFeatures), labels: fixture.trainLabels)
        for rows in [matrix(fixture.testFeatures), matrix(fixture.trainFeatures)] {
            let binned = try BinnedDataset(binning: rows, with: model.binMapper)
            #expect(try model.predictRawScores(binned: binned).map(\.bitPattern) == model.predictRawScores(rows).map(\.bitPattern))
        }
    }

    @Test func fitOnSelectedBinsEqualsFitOnRawRowsBinnedByTheSameMapper() throws {
        let (features, labels) = mixedData(rowCount: 4000, seed: 21, missingRate: 0.03)
        let all = try BinnedDataset(fitting: features, maxBinCount: 255, seed: 3, threadCount: 2)
        let rows = (0 ..< 4000).filter { $0 % 5 != 2 }
        let columns = [6, 0, 1, 5, 3]
        let rowLabels = rows.map { labels[$0] }
        let classifier = try GradientBoostingClassifier(parameters: smallBoosting)
        let selected = try all.selecting(rows: rows, columns: columns)
        let fromSelection = try classifier.fit(binned: selected, labels: rowLabels)
        let raw = features.rows(rows)
        let rawColumns = DenseMatrix(rowCount: rows.count, columnCount: columns.count,
                                     values: (0 ..< rows.count).flatMap { r in columns.map { raw[r, $0] } },
                                     columnNames: columns.map { features.columnNames[$0] })
        let sameMapper = try BinnedDataset(binning: rawColumns, with: all.binMapper.selecting(features: columns))
        #expect(sameMapper.matrix == selected.matrix)
        let fromRaw = try classifier.fit(binned: sameMapper, labels: rowLabels)
        #expect(fromSelection == fromRaw)
        #expect(fromSelection.featureNames == ["f6", "f0", "f1", "f5", "f3"])
        // A mapper fitted on the rows themselves: fit(features:) is "bin, then fit(binned:)".
        let own = try classifier.fit(features: rawColumns, labels: rowLabels)
        #expect(own == (try classifier.fit(binned: BinnedDataset(fitting: rawColumns, seed: smallBoosting.seed, threadCount: 2),
                                           labels: rowLabels)))
        // The held-out rows scored from the shared bins, as the models step does.
        let heldOut = (0 ..< 4000).filter { $0 % 5 == 2 }
        let heldOutRaw = features.rows(heldOut)
        let heldOutColumns = DenseMatrix(rowCount: heldOut.count, columnCount: columns.count,
                                         values: (0 ..< heldOut.count).flatMap { r in columns.map { heldOutRaw[r, $0] } },
                                         columnNames: rawColumns.columnNames)
        #expect(try fromSelection.predictRawScores(binned: all.selecting(rows: heldOut, columns: columns))
            == fromSelection.predictRawScores(heldOutColumns))
    }

    @Test func appendedColumnsAreTheJointColumns() throws {
        let (features, _) = mixedData(rowCount: 500, seed: 31, missingRate: 0.1)
        let all = try BinnedDataset(fitting: features, maxBinCount: 63)
        let left = try all.selecting(columns: [0, 1, 2]), right = try all.selecting(columns: [3, 4, 5, 6])
        let joined = try left.appendingColumns(right)
        #expect(joined.matrix == all.matrix && joined.binMapper == all.binMapper && joined.columnNames == all.columnNames)
        #expect(try all.selecting(rows: [4, 4, 1]).matrix[1, 2] == all.matrix[4, 2])
        #expect(try all.selecting(rows: []).rowCount == 0)
    }

    @Test func badBinnedInputIsRefusedWithAMessage() throws {
        let (features, labels) = mixedData(rowCount: 600, seed: 41, missingRate: 0.05)
        let all = try BinnedDataset(fitting: features, maxBinCount: 255)
        let other = try BinnedDataset(fitting: features.rows(Array(0 ..< 300)), maxBinCount: 255)
        let classifier = try GradientBoostingClassifier(parameters: smallBoosting)
        let model = try classifier.fit(binned: all, labels: labels)
        func message(_ body: () throws -> Void) -> String {
            do { try body(); return "" } catch { return "\(error)" }
        }
        #expect(message { _ = try model.predictRawScores(binned: other) }.contains("another mapper"))
        #expect(message { _ = try all.selecting(rows: [0, 600]) }.contains("row 600"))
        #expect(message { _ = try all.selecting(columns: [7]) }.contains("feature 7"))
        #expect(message { _ = try all.appendingColumns(other) }.contains("300 binned rows"))
        #expect(message { _ = try all.appendingColumns(BinnedDataset(fitting: features, maxBinCount: 15)) }.contains("15 bins"))
        #expect(message { _ = try classifier.fit(binned: BinnedDataset(fitting: features, maxBinCount: 31), labels: labels) }
            .contains("maxBinCount is 255"))
        #expect(message { _ = try classifier.fit(binned: all, labels: labels, validation: (other, Array(labels.prefix(300)))) }
            .contains("another mapper"))
        var infinite = features
        infinite.values[7 * 9 + 2] = .infinity
        #expect(message { _ = try BinnedDataset(binning: infinite, with: all.binMapper) }.contains("infinite at row 9"))
    }
}
