import Core
import Evaluation
import Testing
@testable import Learning

func sparse(_ rows: [[Float]]) -> SparseMatrix {
    var offsets = [0], columns = [Int32](), values = [Float]()
    for row in rows {
        for (c, v) in row.enumerated() where v != 0 { columns.append(Int32(c)); values.append(v) }
        offsets.append(columns.count)
    }
    return SparseMatrix(rowCount: rows.count, columnCount: rows[0].count, rowOffsets: offsets,
                        columnIndices: columns, values: values)
}

@Suite struct NaiveBayesTests {
    let training: [[Float]] = [[2, 1, 0], [1, 0, 0], [0, 1, 3], [0, 2, 1], [1, 1, 1]]
    let labels: [UInt8] = [0, 0, 1, 1, 1]
    let queries: [[Float]] = [[1, 0, 1], [0, 3, 0]]

    @Test func multinomialMatchesScikitLearn() throws {
        let model = try NaiveBayes(kind: .multinomial, smoothing: 1).fit(features: sparse(training), labels: labels)
        let p = model.predictProbability(sparse(queries))
        #expect(abs(p[0] - 0.5661103979460848) < 1e-12)
        #expect(abs(p[1] - 0.7853666876301312) < 1e-12)
    }

    @Test func complementMatchesScikitLearn() throws {
        let model = try NaiveBayes(kind: .complement, smoothing: 0.5).fit(features: sparse(training), labels: labels)
        let p = model.predictProbability(sparse(queries))
        #expect(abs(p[0] - 0.5188409563409563) < 1e-12)
        #expect(abs(p[1] - 0.7470688508232167) < 1e-12)
    }

    @Test func denseAndSparseAgree() throws {
        let dense = DenseMatrix(rowCount: 5, columnCount: 3, values: training.flatMap { $0 })
        let a = try NaiveBayes().fit(features: dense, labels: labels)
        let b = try NaiveBayes().fit(features: sparse(training), labels: labels)
        #expect(a == b)
        let q = DenseMatrix(rowCount: 2, columnCount: 3, values: queries.flatMap { $0 })
        #expect(zip(a.predictProbability(q), b.predictProbability(sparse(queries))).allSatisfy { abs($0 - $1) < 1e-12 })
    }

    @Test func rejectsNegativeCounts() {
        #expect(throws: NaiveBayesError.invalidCount(row: 1, column: 2, value: -1)) {
            try NaiveBayes().fit(features: sparse([[1, 0, 0], [0, 1, -1]]), labels: [0, 1])
        }
        #expect(throws: NaiveBayesError.invalidSmoothing(0)) { try NaiveBayes(smoothing: 0) }
    }
}

@Suite struct PermutationImportanceTests {
    /// Column 0 carries the signal, column 1 is noise.
    private func problem() -> (DenseMatrix, [UInt8]) {
        var generator = SeededGenerator(seed: 21)
        var values = [Float](), labels = [UInt8]()
        for _ in 0 ..< 1200 {
            let signal = generator.nextGaussian(), noise = generator.nextGaussian()
            values.append(Float(signal)); values.append(Float(noise))
            labels.append(generator.nextUnitDouble() < 1 / (1 + exp(-2 * signal)) ? 1 : 0)
        }
        return (DenseMatrix(rowCount: 1200, columnCount: 2, values: values, columnNames: ["signal", "noise"]), labels)
    }

    @Test func informativeFeatureRanksAboveNoise() throws {
        let (features, labels) = problem()
        let folds = try StratifiedKFold(foldCount: 3, seed: 2).folds(labels: labels)
        let result = try crossValidatedPermutationImportance(features: features, labels: labels, folds: folds,
                                                             repeatCount: 3, seed: 4) { x, y in
            try LogisticRegression().fit(features: x, labels: y)
        }
        #expect(result.importances.count == 2)
        let signal = result.importances[0], noise = result.importances[1]
        #expect(signal.name == "signal")
        #expect(signal.meanDrop > 0.2)
        #expect(abs(noise.meanDrop) < 0.02)
        #expect(signal.drops.count == 9)
        #expect(result.meanBaselineAUC > 0.8)
    }

    @Test func importanceIsSeeded() throws {
        let (features, labels) = problem()
        let model = try LogisticRegression().fit(features: features, labels: labels)
        let a = try permutationImportance(model: model, features: features, labels: labels, repeatCount: 2, seed: 8)
        let b = try permutationImportance(model: model, features: features, labels: labels, repeatCount: 2, seed: 8)
        #expect(a.importances == b.importances)
        #expect(abs(a.baselineAUC - rocAUC(scores: model.predictProbability(features), labels: labels)) < 1e-15)
    }

    @Test func outOfFoldPredictionsFromDenseLearner() throws {
        let (features, labels) = problem()
        let folds = try StratifiedKFold(foldCount: 4, seed: 1).folds(labels: labels)
        let predictions = try outOfFoldPredictions(features: features, labels: labels, folds: folds) { x, y in
            try LogisticRegression().fit(features: x, labels: y)
        }
        #expect(predictions.allSatisfy { $0 > 0 && $0 < 1 })
        #expect(rocAUC(scores: predictions, labels: labels) > 0.8)
    }
}

#if canImport(Glibc)
import Glibc
#endif
