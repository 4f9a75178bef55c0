import Core
import FeatureEngineering
import Foundation
import Learning
import Testing
@testable import AnalysisSteps

/// Inputs with four dense columns (two families, NaNs in one) whose first column carries the label,
/// and empty sparse blocks.
private func binnedInputs(rowCount: Int = 900, testCount: Int = 60) throws -> ModelInputs {
    var generator = SeededGenerator(seed: 9)
    let labels: [UInt8] = (0 ..< rowCount).map { _ in generator.nextUnitDouble() < 0.3 ? 1 : 0 }
    func dense(_ rows: Int, label: (Int) -> Double) -> FeatureSet {
        var values = [Float]()
        for r in 0 ..< rows {
            values += [Float(label(r) + generator.nextUnitDouble()), Float(generator.nextUnitDouble() * 3),
                       generator.nextUnitDouble() < 0.1 ? .nan : Float(generator.nextUnitDouble()), Float(r % 4)]
        }
        return FeatureSet(matrix: DenseMatrix(rowCount: rows, columnCount: 4, values: values,
                                              columnNames: ["signal", "noise", "gappy", "cycle"]),
                          families: [.totals, .totals, .diversity, .cluster])
    }
    let empty = { (rows: Int) in SparseMatrix(rowCount: rows, columnCount: 1, rowOffsets: [Int](repeating: 0, count: rows + 1),
                                              columnIndices: [], values: []) }
    var inputs = ModelInputs(labels: labels, denseTrain: dense(rowCount) { Double(labels[$0]) * 0.8 },
                             denseTest: dense(testCount) { Double($0 % 2) }, tokensTrain: empty(rowCount), tokensTest: empty(testCount),
                             titlesTrain: empty(rowCount), titlesTest: empty(testCount))
    inputs.foldOf = try StratifiedKFold(foldCount: 3, seed: 2).foldAssignments(labels: labels)
    return inputs
}

@Suite struct SharedBinsTests {
    let settings: ModelSettings = {
        var settings = ModelSettings.standard(seed: 6)
        settings.boosting.roundCount = 20
        settings.boosting.minDataInLeaf = 20
        return settings
    }()
    let candidate = BoostingCandidate(id: "boosting-test", displayName: "Boosting", inputDescription: "test columns",
                                      families: [.totals, .diversity], readsRecordID: false)

    @Test func everyFoldFitReadsTheBinsFittedOnceOnTheTrainRows() throws {
        let inputs = try binnedInputs()
        #expect(inputs.denseBins.fitCount == 0)
        let columns = inputs.denseTrain.columns(of: [.totals, .diversity])
        let trainMapper = try BinMapper(fitting: inputs.denseTrain.matrix, seed: settings.boosting.seed)
        for k in 0 ..< 3 {
            let train = inputs.foldOf.indices.filter { inputs.foldOf[$0] != k }
            let validation = inputs.foldOf.indices.filter { inputs.foldOf[$0] == k }
            let fit = try candidate.fit(inputs: inputs, settings: settings, trainRows: train, scoring: .train(validation), scoreTest: true)
            let model = try #require(fit.boostingModel)
            // The fold model's bins are the shared ones (fitted on every train row), not refitted on the fold.
            #expect(model.binMapper == (try trainMapper.selecting(features: columns)))
            // The saved fold model scores raw columns exactly as the fold scored its bins.
            let design = inputs.denseDesign(families: [.totals, .diversity], trainRows: train, scoring: .train(validation), scoreTest: true)
            #expect(fit.featureNames == design.columnNames)
            #expect(model.predictProbability(design.scored) == fit.scores)
            #expect(model.predictProbability(design.test!) == fit.testScores)
        }
        let testOnly = try candidate.fit(inputs: inputs, settings: settings, trainRows: Array(0 ..< 500), scoring: .test, scoreTest: false)
        #expect(testOnly.scores.count == 60 && testOnly.testScores == nil)
        #expect(inputs.denseBins.fitCount == 1)
        // Inputs with another block bin again (their columns differ); the original keeps its bins.
        let block = try DenseBlock(name: "extra", train: inputs.denseTrain.selectingColumns([1]).renamed("extra"),
                                   test: inputs.denseTest.selectingColumns([1]).renamed("extra"))
        let wider = try inputs.appending(block)
        _ = try candidate.fit(inputs: wider, settings: settings, trainRows: Array(0 ..< 500), scoring: .test, scoreTest: false)
        #expect(wider.denseBins.fitCount == 1 && inputs.denseBins.fitCount == 1)
    }

    @Test func stackedTextFoldsShareTheDenseBinsAndBinTheirTextColumns() throws {
        let inputs = try binnedInputs()
        let stacked = StackedTextCandidate(families: [.totals, .diversity],
                                           sources: [StackedTextSource(name: "text_nb_all", block: "tokens", learner: .complementNaiveBayes)],
                                           boosting: StackedTextBoosting(roundCount: 15))
        let train = inputs.foldOf.indices.filter { inputs.foldOf[$0] != 0 }
        let validation = inputs.foldOf.indices.filter { inputs.foldOf[$0] == 0 }
        let fit = try stacked.fit(inputs: inputs, settings: settings, trainRows: train, scoring: .train(validation), scoreTest: true)
        _ = try candidate.fit(inputs: inputs, settings: settings, trainRows: train, scoring: .train(validation), scoreTest: false)
        #expect(inputs.denseBins.fitCount == 1)
        let model = try #require(fit.boostingModel)
        #expect(model.featureNames == ["signal", "noise", "gappy", "text_nb_all"])
        let shared = try BinMapper(fitting: inputs.denseTrain.matrix, seed: settings.boosting.seed).selecting(features: [0, 1, 2])
        #expect(model.binMapper.upperBounds.prefix(3) == shared.upperBounds[...])
        #expect(fit.scores.count == validation.count && fit.testScores?.count == 60)
    }
}

private extension FeatureSet {
    /// The set with its one column renamed.
    func renamed(_ name: String) -> FeatureSet {
        FeatureSet(matrix: DenseMatrix(rowCount: matrix.rowCount, columnCount: 1, values: matrix.values, columnNames: [name]),
                   families: families)
    }
}
