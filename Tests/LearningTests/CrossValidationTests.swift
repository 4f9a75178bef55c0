import Core
import Foundation
import Testing
@testable import Learning

@Suite struct CrossValidationTests {
    /// 1,000 rows, 7.6 % positive, scattered.
    private func labels() -> [UInt8] {
        var generator = SeededGenerator(seed: 11)
        var labels = [UInt8](repeating: 0, count: 1000)
        var positions = Array(0 ..< 1000)
        generator.shuffle(&positions)
        for row in positions.prefix(76) { labels[row] = 1 }
        return labels
    }

    @Test func foldsPartitionTheRows() throws {
        let labels = labels()
        let folds = try StratifiedKFold(foldCount: 5, seed: 3).folds(labels: labels)
        #expect(folds.count == 5)
        let validationRows = folds.flatMap(\.validationIndices).sorted()
        #expect(validationRows == Array(0 ..< 1000))
        for fold in folds {
            #expect(Set(fold.trainIndices).isDisjoint(with: fold.validationIndices))
            #expect(fold.trainIndices.count + fold.validationIndices.count == 1000)
            #expect(fold.validationIndices.count == 200)
        }
    }

    @Test func foldsPreserveClassRatio() throws {
        let labels = labels()
        let folds = try StratifiedKFold(foldCount: 5, seed: 3).folds(labels: labels)
        for fold in folds {
            let positives = fold.validationIndices.filter { labels[$0] == 1 }.count
            // 76 positives over 5 folds: 15 or 16 in each.
            #expect(positives == 15 || positives == 16)
        }
    }

    @Test func foldsAreDeterministicBySeed() throws {
        let labels = labels()
        let a = try StratifiedKFold(foldCount: 4, seed: 9).foldAssignments(labels: labels)
        let b = try StratifiedKFold(foldCount: 4, seed: 9).foldAssignments(labels: labels)
        let c = try StratifiedKFold(foldCount: 4, seed: 10).foldAssignments(labels: labels)
        #expect(a == b)
        #expect(a != c)
    }

    @Test func invalidSettingsAreRejected() {
        #expect(throws: CrossValidationError.invalidFoldCount(1)) { try StratifiedKFold(foldCount: 1, seed: 0) }
        #expect(throws: CrossValidationError.tooFewRows(rowCount: 2, foldCount: 3)) {
            try StratifiedKFold(foldCount: 3, seed: 0).folds(labels: [0, 1])
        }
    }

    @Test func outOfFoldPredictionsFillEveryRow() throws {
        let labels = labels()
        let folds = try StratifiedKFold(foldCount: 3, seed: 1).folds(labels: labels)
        let predictions = try crossValidate(labels: labels, folds: folds) { fold in
            FoldOutput(validationScores: fold.validationIndices.map { Double($0) + Double(fold.index) / 10 }, kept: fold.index)
        }.outOfFold
        #expect(!predictions.contains { $0.isNaN })
        #expect(predictions.enumerated().allSatisfy { Int($0.element) == $0.offset })
    }

    @Test func generatorsMatchPublishedSequences() {
        // SplitMix64 from seed 0 (Vigna's reference splitmix64.c), and xoshiro256** seeded by it.
        var mix = SplitMix64(seed: 0)
        #expect((0 ..< 3).map { _ in mix.next() } == [0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F])
        var xoshiro = SeededGenerator(seed: 42)
        #expect((0 ..< 3).map { _ in xoshiro.next() } == [0x1578_0B2E_0C2E_C716, 0x6104_D986_6D11_3A7E, 0xAE17_5332_39E4_99A1])
        var unit = SplitMix64(seed: 3)
        #expect((0 ..< 1000).allSatisfy { _ in (0 ..< 1).contains(unit.nextUnitDouble()) })
    }

    @Test func generatorIsDeterministicAndUniform() {
        var a = SeededGenerator(seed: 42), b = SeededGenerator(seed: 42)
        #expect((0 ..< 10).map { _ in a.next() } == (0 ..< 10).map { _ in b.next() })
        var g = SeededGenerator(seed: 1)
        var counts = [Int](repeating: 0, count: 10)
        for _ in 0 ..< 100_000 { counts[g.nextIndex(below: 10)] += 1 }
        #expect(counts.allSatisfy { abs($0 - 10_000) < 500 })
        let mean = (0 ..< 100_000).reduce(0.0) { acc, _ in acc + g.nextGaussian() } / 100_000
        #expect(abs(mean) < 0.02)
    }

    @Test func crossValidateNeverScoresARowWithAModelThatTrainedOnIt() throws {
        let labels = labels()
        let folds = try StratifiedKFold(foldCount: 5, seed: 3).folds(labels: labels)
        // The "model" scores a row 1 when it was among its training rows, else 0: every OOF score must be 0.
        let result = try crossValidate(labels: labels, folds: folds) { fold in
            let trained = Set(fold.trainIndices)
            return FoldOutput(validationScores: fold.validationIndices.map { trained.contains($0) ? 1.0 : 0.0 },
                              kept: fold.index)
        }
        #expect(result.outOfFold.count == labels.count)
        #expect(result.outOfFold.allSatisfy { $0 == 0 })
        #expect(result.kept == [0, 1, 2, 3, 4])
        #expect(result.folds.map(\.fold) == [0, 1, 2, 3, 4])
    }

    @Test func crossValidateMeasuresKnownAUCAndLogLoss() throws {
        let labels = labels()
        let folds = try StratifiedKFold(foldCount: 4, seed: 5).folds(labels: labels)
        // An oracle scoring 0.9 for positives and 0.1 for negatives: AUC 1, log-loss −ln 0.9 in every fold.
        let result = try crossValidate(labels: labels, folds: folds) { fold in
            FoldOutput(validationScores: fold.validationIndices.map { labels[$0] == 1 ? 0.9 : 0.1 }, kept: ())
        }
        #expect(result.folds.allSatisfy { $0.auc == 1 })
        #expect(result.folds.allSatisfy { abs($0.logLoss + log(0.9)) < 1e-12 })
        #expect(result.meanAUC == 1)
    }

    @Test func crossValidateRejectsAWrongScoreCount() throws {
        let labels = labels()
        let folds = try StratifiedKFold(foldCount: 5, seed: 3).folds(labels: labels)
        #expect(throws: CrossValidationError.scoreCountMismatch(fold: 0, scoreCount: 1, rowCount: folds[0].validationIndices.count)) {
            _ = try crossValidate(labels: labels, folds: folds) { _ in FoldOutput(validationScores: [0.5], kept: ()) }
        }
    }

    @Test func concurrentFoldsGiveTheSameResultAsFoldsInOrder() throws {
        let labels = labels()
        let folds = try StratifiedKFold(foldCount: 5, seed: 9).folds(labels: labels)
        // A deterministic learner fitted on the fold's train rows: boosting, which is thread-count independent.
        let row = { (r: Int) -> [Float] in [Float(labels[r]) + Float(r % 7) / 3, Float(r % 11)] }
        let features = { (rows: [Int]) in DenseMatrix(rowCount: rows.count, columnCount: 2, values: rows.flatMap(row)) }
        let parameters = GradientBoostingParameters(leafCount: 4, minDataInLeaf: 5, learningRate: 0.3, roundCount: 5, threadCount: 1)
        let fit = { (fold: Fold) throws -> FoldOutput<Int> in
            let model = try GradientBoostingClassifier(parameters: parameters)
                .fit(features: features(fold.trainIndices), labels: fold.trainIndices.map { labels[$0] })
            return FoldOutput(validationScores: model.predictProbability(features(fold.validationIndices)), kept: fold.index)
        }
        let inOrder = try crossValidate(labels: labels, folds: folds, fit: fit)
        let twoAtOnce = try crossValidate(labels: labels, folds: folds, concurrentFoldCount: 2, fit: fit)
        #expect(twoAtOnce.outOfFold == inOrder.outOfFold)
        #expect(twoAtOnce.folds.map(\.auc) == inOrder.folds.map(\.auc))
        #expect(twoAtOnce.kept == [0, 1, 2, 3, 4])
        #expect(throws: CrossValidationError.invalidConcurrency(0)) {
            _ = try crossValidate(labels: labels, folds: folds, concurrentFoldCount: 0, fit: fit)
        }
    }

    @Test func concurrentFoldsReportTheFirstFailingFoldInFoldOrder() throws {
        let labels = labels()
        let folds = try StratifiedKFold(foldCount: 5, seed: 3).folds(labels: labels)
        // Folds 1 and 3 fail; whichever finishes first, the error is fold 1's.
        #expect(throws: CrossValidationError.scoreCountMismatch(fold: 1, scoreCount: 1, rowCount: folds[1].validationIndices.count)) {
            _ = try crossValidate(labels: labels, folds: folds, concurrentFoldCount: 2) { fold in
                FoldOutput(validationScores: fold.index % 2 == 1 ? [0.5] : fold.validationIndices.map { _ in 0.5 }, kept: ())
            }
        }
    }
}
