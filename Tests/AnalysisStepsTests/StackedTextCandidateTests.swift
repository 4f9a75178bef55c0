import Core
import Evaluation
import FeatureEngineering
import Foundation
import Learning
import Testing
@testable import AnalysisSteps

/// Model inputs whose tokens hold one title unique to each train user (a fit that saw the user
/// knows its label) and shared city and genre tokens; with `signal`, the genre token `genre:hot`
/// is held by most positive and few negative users.
private func stackedTextInputs(signal: Bool, trainCount: Int = 1500, testCount: Int = 200) throws -> ModelInputs {
    var generator = SeededGenerator(seed: 21)
    let labels: [UInt8] = (0 ..< trainCount).map { _ in generator.nextUnitDouble() < 0.3 ? 1 : 0 }
    let names = (0 ..< trainCount).map { "title:u\($0)" } + ["city:a", "city:b", "city:c", "genre:hot", "genre:cold"]
    func tokens(_ rowCount: Int, labels: [UInt8]?) -> SparseMatrix {
        var offsets = [0], indices: [Int32] = [], values: [Float] = []
        for r in 0 ..< rowCount {
            if labels != nil { indices.append(Int32(r)); values.append(0.7) }
            indices.append(Int32(trainCount + generator.nextIndex(below: 3))); values.append(0.5)
            let positive = labels.map { $0[r] == 1 } ?? (generator.nextUnitDouble() < 0.3)
            let hot = signal ? generator.nextUnitDouble() < (positive ? 0.8 : 0.1) : generator.nextUnitDouble() < 0.4
            indices.append(Int32(trainCount + (hot ? 3 : 4))); values.append(0.5)
            offsets.append(indices.count)
        }
        return SparseMatrix(rowCount: rowCount, columnCount: names.count, rowOffsets: offsets, columnIndices: indices,
                            values: values, columnNames: names)
    }
    let train = tokens(trainCount, labels: labels), test = tokens(testCount, labels: nil)
    func dense(_ rowCount: Int) -> FeatureSet {
        FeatureSet(matrix: DenseMatrix(rowCount: rowCount, columnCount: 1, values: (0 ..< rowCount).map { _ in Float(generator.nextUnitDouble()) },
                                       columnNames: ["total_seconds"]), families: [.totals])
    }
    let titles = train.keepingColumns { $0.hasPrefix("title:") }, testTitles = test.keepingColumns { $0.hasPrefix("title:") }
    var inputs = ModelInputs(labels: labels, denseTrain: dense(trainCount), denseTest: dense(testCount), tokensTrain: train,
                             tokensTest: test, titlesTrain: titles, titlesTest: testTitles)
    inputs.foldOf = try StratifiedKFold(foldCount: 5, seed: 3).foldAssignments(labels: labels)
    return inputs
}

@Suite struct StackedTextCandidateTests {
    let candidate = StackedTextCandidate(boosting: StackedTextBoosting(roundCount: 30, minDataInLeaf: 20))
    let settings = ModelSettings.standard(seed: 4)

    func fold(_ k: Int, _ inputs: ModelInputs) -> (train: [Int], validation: [Int]) {
        (inputs.foldOf.indices.filter { inputs.foldOf[$0] != k }, inputs.foldOf.indices.filter { inputs.foldOf[$0] == k })
    }

    @Test func aLabelInAUniqueTokenDoesNotReachTheValidationScores() throws {
        let inputs = try stackedTextInputs(signal: false)
        let (train, validation) = fold(1, inputs)
        let fit = try candidate.fit(inputs: inputs, settings: settings, trainRows: train, scoring: .train(validation), scoreTest: true)
        let auc = rocAUC(scores: fit.scores, labels: validation.map { inputs.labels[$0] })
        #expect(abs(auc - 0.5) < 0.1, "validation AUC \(auc) on labels only a leak could know")
        #expect(fit.testScores?.count == 200)
        #expect(fit.featureNames.suffix(StackedTextSource.standard.count) == StackedTextSource.standard.map(\.name)[...])
    }

    @Test func validationAndTestScoresIgnoreTheValidationLabels() throws {
        var inputs = try stackedTextInputs(signal: true)
        let (train, validation) = fold(3, inputs)
        let original = try candidate.fit(inputs: inputs, settings: settings, trainRows: train, scoring: .train(validation), scoreTest: true)
        for row in validation { inputs.labels[row] = 1 - inputs.labels[row] }
        let flipped = try candidate.fit(inputs: inputs, settings: settings, trainRows: train, scoring: .train(validation), scoreTest: true)
        #expect(original.scores == flipped.scores)
        #expect(original.testScores == flipped.testScores)
    }

    @Test func learnsFromTheTextScoresAndScoresTestRowsTheSameWay() throws {
        let inputs = try stackedTextInputs(signal: true)
        let (train, validation) = fold(0, inputs)
        let fit = try candidate.fit(inputs: inputs, settings: settings, trainRows: train, scoring: .train(validation), scoreTest: true)
        #expect(rocAUC(scores: fit.scores, labels: validation.map { inputs.labels[$0] }) > 0.8)
        let testOnly = try candidate.fit(inputs: inputs, settings: settings, trainRows: train, scoring: .test, scoreTest: false)
        #expect(testOnly.scores == fit.testScores)
    }

    @Test func withoutKnownFoldsTheInnerSplitIsASeededStratifiedSplit() throws {
        var inputs = try stackedTextInputs(signal: true)
        inputs.foldOf = []
        let groups = try StackedTextCandidate.innerGroups(inputs: inputs, settings: settings)
        #expect(groups == (try StratifiedKFold(foldCount: 5, seed: 4).foldAssignments(labels: inputs.labels)))
        let fit = try candidate.fit(inputs: inputs, settings: settings, trainRows: Array(0 ..< 1200),
                                    scoring: .train(Array(1200 ..< 1500)), scoreTest: false)
        #expect(fit.scores.count == 300)
    }
}
