import Core
import Evaluation
import Foundation
import Testing
@testable import Learning

/// Data whose only "signal" is a token unique to each row (so a fit that saw a row knows its label)
/// plus a few shared noise tokens; labels are random (no real signal).
private struct LeakProbe {
    static let rowCount = 2000
    static let testCount = 300
    static let noiseTokenCount = 20

    var labels: [UInt8]
    var train: SparseMatrix
    var test: SparseMatrix
    var groupOf: [Int]

    init(seed: UInt64 = 5) throws {
        var generator = SeededGenerator(seed: seed)
        labels = (0 ..< Self.rowCount).map { _ in generator.nextUnitDouble() < 0.3 ? 1 : 0 }
        let columnCount = Self.rowCount + Self.noiseTokenCount
        func rows(_ count: Int, uniqueBase: Int?) -> SparseMatrix {
            var offsets = [0], indices: [Int32] = [], values: [Float] = []
            for r in 0 ..< count {
                if let uniqueBase { indices.append(Int32(uniqueBase + r)); values.append(1) }
                let noise = Set((0 ..< 3).map { _ in generator.nextIndex(below: Self.noiseTokenCount) }).sorted()
                for t in noise { indices.append(Int32(Self.rowCount + t)); values.append(0.5) }
                offsets.append(indices.count)
            }
            return SparseMatrix(rowCount: count, columnCount: columnCount, rowOffsets: offsets, columnIndices: indices, values: values)
        }
        train = rows(Self.rowCount, uniqueBase: 0)
        test = rows(Self.testCount, uniqueBase: nil)
        groupOf = try StratifiedKFold(foldCount: 5, seed: 9).foldAssignments(labels: labels)
    }

    func models() throws -> [NestedTextModel] {
        [try NestedTextModel(name: "logistic", learner: .logistic(inverseRegularization: 10), train: train, test: test),
         try NestedTextModel(name: "nb", learner: .naiveBayes(kind: .complement, smoothing: 0.5), train: train, test: test)]
    }

    func fold(_ k: Int) -> (train: [Int], validation: [Int]) {
        (groupOf.indices.filter { groupOf[$0] != k }, groupOf.indices.filter { groupOf[$0] == k })
    }
}

@Suite struct NestedOutOfFoldTests {
    @Test func validationColumnsCarryNoLabelThatALeakyFitWouldReveal() throws {
        let probe = try LeakProbe()
        let nested = try NestedOutOfFold(groupOf: probe.groupOf)
        let (trainRows, validationRows) = probe.fold(0)
        let validationLabels = validationRows.map { probe.labels[$0] }
        let columns = try nested.columns(models: probe.models(), labels: probe.labels, trainRows: trainRows,
                                         scoredRows: validationRows, scoreTest: true)
        for column in columns {
            #expect(abs(rocAUC(scores: column.scored, labels: validationLabels) - 0.5) < 0.1)
            #expect(abs(rocAUC(scores: column.train, labels: trainRows.map { probe.labels[$0] }) - 0.5) < 0.1)
            #expect(column.test?.count == LeakProbe.testCount)
        }
        // The control: a model fitted with the validation rows reads their labels off the unique tokens.
        let leaky = try SparseTextLearner.logistic(inverseRegularization: 10).fit(features: probe.train, labels: probe.labels)
        #expect(rocAUC(scores: leaky.logOdds(probe.train.rows(validationRows)), labels: validationLabels) > 0.95)
    }

    @Test(arguments: NestedOutOfFold.ScoredRowsModel.allCases)
    func columnsDoNotChangeWhenTheRowsTheyScoreChangeLabels(scoredBy: NestedOutOfFold.ScoredRowsModel) throws {
        let probe = try LeakProbe()
        let nested = try NestedOutOfFold(groupOf: probe.groupOf)
        let (trainRows, validationRows) = probe.fold(2)
        func columns(flipping groups: Set<Int>) throws -> [NestedOutOfFold.Columns] {
            var labels = probe.labels
            for row in labels.indices where groups.contains(probe.groupOf[row]) { labels[row] = 1 - labels[row] }
            return try nested.columns(models: probe.models(), labels: labels, trainRows: trainRows, scoredRows: validationRows,
                                      scoreTest: true, scoredBy: scoredBy)
        }
        let original = try columns(flipping: [])
        // The validation fold's labels (2) reach none of the columns of this outer fit.
        #expect(try columns(flipping: [2]) == original)
        // Inner group 4's labels do not reach group 4's training rows; group 1's rows are scored by a fit
        // that includes group 4, so their columns do move.
        let groupFour = trainRows.indices.filter { probe.groupOf[trainRows[$0]] == 4 }
        let groupOne = trainRows.indices.filter { probe.groupOf[trainRows[$0]] == 1 }
        for (a, b) in zip(original, try columns(flipping: [4])) {
            #expect(groupFour.map { a.train[$0] } == groupFour.map { b.train[$0] })
            #expect(groupOne.map { a.train[$0] } != groupOne.map { b.train[$0] })
        }
    }

    /// The slow reference: every column fitted directly on the rows the definition names.
    private func reference(_ model: NestedTextModel, labels: [UInt8], groupOf: [Int], trainRows: [Int],
                           scoredRows: [Int], scoredBy: NestedOutOfFold.ScoredRowsModel) throws -> NestedOutOfFold.Columns {
        func fit(_ rows: [Int]) throws -> SparseLinearScorer {
            try model.learner.fit(features: model.train.rows(rows), labels: rows.map { labels[$0] })
        }
        var train = [Double]()
        for row in trainRows {
            train.append(try fit(trainRows.filter { groupOf[$0] != groupOf[row] }).logOdds(model.train.rows([row]))[0])
        }
        let scorers = scoredBy == .fitOnAllTrainingRows ? [try fit(trainRows)]
            : try Set(trainRows.map { groupOf[$0] }).sorted().map { g in try fit(trainRows.filter { groupOf[$0] != g }) }
        func meanScore(_ matrix: SparseMatrix) -> [Double] {
            let all = scorers.map { $0.logOdds(matrix) }
            return matrix.rowCount == 0 ? [] : (0 ..< matrix.rowCount).map { r in all.reduce(0) { $0 + $1[r] } / Double(all.count) }
        }
        return .init(train: train, scored: meanScore(model.train.rows(scoredRows)), test: meanScore(model.test))
    }

    private func close(_ a: [Double]?, _ b: [Double]?) -> Bool {
        guard let a, let b, a.count == b.count else { return a == nil && b == nil }
        return zip(a, b).allSatisfy { abs($0 - $1) <= 1e-9 * max(1, abs($1)) }
    }

    /// (scoring, fits cached per text model after five outer folds, after a further fit on every row)
    @Test(arguments: [(NestedOutOfFold.ScoredRowsModel.fitOnAllTrainingRows, 15, 16), (.averageOfInnerFits, 10, 15)])
    func cachedPairFitsMatchTheDirectDefinitionForEveryOuterFold(scoredBy: NestedOutOfFold.ScoredRowsModel,
                                                                 cachedAfterFolds: Int, cachedAfterAllRows: Int) throws {
        var probe = try LeakProbe()
        // Smaller, so the reference (one fit per row) stays quick.
        let keep = Array(0 ..< 150)
        probe.labels = keep.map { probe.labels[$0] }
        probe.train = probe.train.rows(keep)
        probe.groupOf = try StratifiedKFold(foldCount: 5, seed: 9).foldAssignments(labels: probe.labels)
        let models = try probe.models()
        let nested = try NestedOutOfFold(groupOf: probe.groupOf)
        let cache = NestedFitCache()
        for k in 0 ..< 5 {
            let (trainRows, validationRows) = probe.fold(k)
            let cached = try nested.columns(models: models, labels: probe.labels, trainRows: trainRows,
                                            scoredRows: validationRows, scoreTest: true, scoredBy: scoredBy, cache: cache)
            for (model, columns) in zip(models, cached) {
                let expected = try reference(model, labels: probe.labels, groupOf: probe.groupOf, trainRows: trainRows,
                                             scoredRows: validationRows, scoredBy: scoredBy)
                #expect(columns.train == expected.train)
                #expect(close(columns.scored, expected.scored))
                #expect(close(columns.test, expected.test))
            }
        }
        // With the full fits: 10 pair fits + 5 single fits per text model cover the five outer folds (pairs alone without).
        #expect(cache.count == 2 * cachedAfterFolds)
        // A fit on every row reuses the five single fits (when made) for its inner split.
        _ = try nested.columns(models: models, labels: probe.labels, trainRows: Array(0 ..< 150), scoredRows: [],
                               scoreTest: true, scoredBy: scoredBy, cache: cache)
        #expect(cache.count == 2 * cachedAfterAllRows)
    }

    /// Two runs sharing one cache at the same time (the test suite runs pipelines in parallel): a fit
    /// stored by the other run, under the same model name and left-out folds, is never read.
    @Test func fitsOfAnotherScopeAreNeverRead() throws {
        let probe = try LeakProbe()
        let nested = try NestedOutOfFold(groupOf: probe.groupOf)
        let model = try probe.models()[0]
        let plan = try #require(try nested.plans(trainRows: probe.fold(1).train, fullFit: true).first { $0.leftOutGroups != nil })
        let cache = NestedFitCache()
        let otherLabels = probe.labels.map { 1 - $0 }
        let other = try NestedOutOfFold.fit(model, plan: plan, labels: otherLabels, cache: cache, scope: 1)
        let mine = try NestedOutOfFold.fit(model, plan: plan, labels: probe.labels, cache: cache, scope: 2)
        let fresh = try NestedOutOfFold.fit(model, plan: plan, labels: probe.labels, cache: nil)
        #expect(mine == fresh)
        #expect(mine != other)
        #expect(cache.count == 2)
    }

    @Test func aChangedScopeEmptiesTheCache() throws {
        let probe = try LeakProbe()
        let nested = try NestedOutOfFold(groupOf: probe.groupOf)
        let cache = NestedFitCache()
        let (trainRows, validationRows) = probe.fold(1)
        _ = try nested.columns(models: probe.models(), labels: probe.labels, trainRows: trainRows, scoredRows: validationRows,
                               scoreTest: false, cache: cache)
        var flipped = probe.labels
        flipped[0] = 1 - flipped[0]
        let fresh = try nested.columns(models: probe.models(), labels: flipped, trainRows: trainRows, scoredRows: validationRows,
                                       scoreTest: false)
        let viaCache = try nested.columns(models: probe.models(), labels: flipped, trainRows: trainRows,
                                          scoredRows: validationRows, scoreTest: false, cache: cache)
        #expect(fresh == viaCache)
        #expect(cache.count == 2 * 5)  // 4 pair fits and the full fit per text model, for the new labels only
    }

    @Test func learnersScoreAsTheStandAloneModels() throws {
        let probe = try LeakProbe()
        let nb = try NaiveBayes(kind: .complement, smoothing: 0.5).fit(features: probe.train, labels: probe.labels)
        let scorer = try SparseTextLearner.naiveBayes(kind: .complement, smoothing: 0.5).fit(features: probe.train, labels: probe.labels)
        let expected = nb.logOdds(probe.test)
        for (a, b) in zip(scorer.logOdds(probe.test), expected) { #expect(abs(a - b) < 1e-12) }
        let lr = try LogisticRegression(inverseRegularization: 2, standardize: false,
                                        gradientTolerance: SparseTextLearner.logisticGradientTolerance,
                                        memoryCount: SparseTextLearner.logisticMemoryCount)
            .fit(features: probe.train, labels: probe.labels)
        let lrScorer = try SparseTextLearner.logistic(inverseRegularization: 2).fit(features: probe.train, labels: probe.labels)
        #expect(lrScorer.logOdds(probe.test) == lr.decisionFunction(probe.test))
    }

    @Test func keepingColumnsSelectsByNameAndRenumbers() {
        let matrix = SparseMatrix(rowCount: 2, columnCount: 4, rowOffsets: [0, 3, 4], columnIndices: [0, 1, 3, 2],
                                  values: [1, 2, 3, 4], columnNames: ["title:a", "city:x", "title:b", "city:y"])
        let cities = matrix.keepingColumns { $0.hasPrefix("city:") }
        #expect(cities.columnNames == ["city:x", "city:y"])
        #expect(cities.rowOffsets == [0, 2, 2])
        #expect(cities.columnIndices == [0, 1])
        #expect(cities.values == [2, 3])
    }

    @Test func badInputsGiveNamedErrors() throws {
        #expect(throws: NestedOutOfFoldError.negativeGroup(row: 1, group: -2)) { try NestedOutOfFold(groupOf: [0, -2]) }
        let nested = try NestedOutOfFold(groupOf: [0, 0, 1, 1])
        let matrix = SparseMatrix(rowCount: 4, columnCount: 1, rowOffsets: [0, 1, 2, 3, 4], columnIndices: [0, 0, 0, 0], values: [1, 1, 1, 1])
        let model = try NestedTextModel(name: "m", learner: .naiveBayes(kind: .multinomial, smoothing: 1), train: matrix, test: matrix)
        #expect(throws: NestedOutOfFoldError.oneInnerGroup(group: 0)) {
            try nested.columns(models: [model], labels: [0, 1, 0, 1], trainRows: [0, 1], scoredRows: [2], scoreTest: false)
        }
        #expect(throws: NestedOutOfFoldError.labelCountMismatch(labelCount: 3, rowCount: 4)) {
            try nested.columns(models: [model], labels: [0, 1, 0], trainRows: [0, 2], scoredRows: [1], scoreTest: false)
        }
        #expect(throws: NestedOutOfFoldError.repeatedModelName("m")) {
            try nested.columns(models: [model, model], labels: [0, 1, 0, 1], trainRows: [0, 1, 2, 3], scoredRows: [], scoreTest: false)
        }
        #expect(NestedOutOfFoldError.oneInnerGroup(group: 0).description.contains("only group 0"))
    }
}
