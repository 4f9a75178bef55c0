import Core
import Foundation
import Testing
@testable import Learning

private struct SklearnFixture: Decodable {
    struct Case: Decodable {
        var C: Double
        var standardize: Bool
        var coefficients: [Double]
        var intercept: Double
    }
    var features: [[Double]]
    var labels: [UInt8]
    var cases: [Case]

    static func load() throws -> SklearnFixture {
        let url = try #require(Bundle.module.url(forResource: "logistic_regression_sklearn", withExtension: "json",
                                                 subdirectory: "Fixtures"))
        return try JSONDecoder().decode(SklearnFixture.self, from: Data(contentsOf: url))
    }

    var matrix: DenseMatrix {
        DenseMatrix(rowCount: features.count, columnCount: features[0].count,
                    values: features.flatMap { $0.map(Float.init) })
    }
}

/// A random dense problem with a known linear signal.
private func randomProblem(rowCount: Int, columnCount: Int, seed: UInt64) -> (DenseMatrix, [UInt8]) {
    var generator = SeededGenerator(seed: seed)
    var values = [Float]()
    var labels = [UInt8]()
    for _ in 0 ..< rowCount {
        var z = -0.3
        for c in 0 ..< columnCount {
            let x = generator.nextGaussian()
            values.append(Float(x))
            z += x * Double(c % 3 == 0 ? 1 : -0.5)
        }
        labels.append(generator.nextUnitDouble() < 1 / (1 + exp(-z)) ? 1 : 0)
    }
    return (DenseMatrix(rowCount: rowCount, columnCount: columnCount, values: values), labels)
}

@Suite struct LogisticRegressionTests {
    @Test func matchesStoredScikitLearnCoefficients() throws {
        let fixture = try SklearnFixture.load()
        for sklearn in fixture.cases {
            let learner = try LogisticRegression(inverseRegularization: sklearn.C, standardize: sklearn.standardize,
                                                 maxIterationCount: 1000, gradientTolerance: 1e-9)
            let model = try learner.fit(features: fixture.matrix, labels: fixture.labels)
            #expect(model.converged)
            for (ours, theirs) in zip(model.coefficients, sklearn.coefficients) {
                #expect(abs(ours - theirs) < 1e-4 * max(1, abs(theirs)), "C = \(sklearn.C)")
            }
            #expect(abs(model.intercept - sklearn.intercept) < 1e-4 * max(1, abs(sklearn.intercept)))
        }
    }

    @Test func longerLBFGSMemoryReachesTheSameScikitLearnOptimum() throws {
        let fixture = try SklearnFixture.load()
        for sklearn in fixture.cases {
            let model = try LogisticRegression(inverseRegularization: sklearn.C, standardize: sklearn.standardize,
                                               maxIterationCount: 1000, gradientTolerance: 1e-9, memoryCount: 60)
                .fit(features: fixture.matrix, labels: fixture.labels)
            #expect(model.converged)
            for (ours, theirs) in zip(model.coefficients + [model.intercept], sklearn.coefficients + [sklearn.intercept]) {
                #expect(abs(ours - theirs) < 1e-4 * max(1, abs(theirs)), "C = \(sklearn.C)")
            }
        }
        #expect(throws: LogisticRegressionError.invalidMemoryCount(0)) { try LogisticRegression(memoryCount: 0) }
    }

    @Test func interceptOnlyProblemGivesLogOdds() throws {
        // All features zero: the penalty keeps w = 0 and the intercept is logit(positive rate).
        let features = DenseMatrix(rowCount: 10, columnCount: 2)
        let labels: [UInt8] = [1, 1, 1, 0, 0, 0, 0, 0, 0, 0]
        let model = try LogisticRegression(standardize: false, gradientTolerance: 1e-10)
            .fit(features: features, labels: labels)
        #expect(abs(model.intercept - log(0.3 / 0.7)) < 1e-7)
        #expect(model.coefficients.allSatisfy { abs($0) < 1e-12 })
    }

    @Test func symmetricProblemSolvesStationarityEquation() throws {
        // x = +1: 3 positives, 1 negative; x = −1: 1 positive, 3 negatives. By symmetry b = 0 and
        // w solves w + 2C(4σ(w) − 3) = 0.
        let xs: [Float] = [1, 1, 1, 1, -1, -1, -1, -1]
        let labels: [UInt8] = [1, 1, 1, 0, 1, 0, 0, 0]
        let c = 0.7
        let model = try LogisticRegression(inverseRegularization: c, standardize: false, gradientTolerance: 1e-12)
            .fit(features: DenseMatrix(rowCount: 8, columnCount: 1, values: xs), labels: labels)
        let w = model.coefficients[0]
        #expect(abs(w + 2 * c * (4 / (1 + exp(-w)) - 3)) < 1e-8)
        #expect(abs(model.intercept) < 1e-8)
        #expect(w > 0)
    }

    @Test func gradientMatchesFiniteDifferences() {
        let (features, labels) = randomProblem(rowCount: 200, columnCount: 5, seed: 3)
        var generator = SeededGenerator(seed: 5)
        let weights = (0 ..< 200).map { _ in 0.5 + generator.nextUnitDouble() }
        let objective = LogisticObjective(design: .dense(features), labels: labels, sampleWeights: weights,
                                          inverseRegularization: 0.3, fitIntercept: true)
        let point = (0 ..< 6).map { _ in generator.nextGaussian() }
        let (_, gradient) = objective.evaluate(point)
        let h = 1e-6
        for j in 0 ..< 6 {
            var plus = point, minus = point
            plus[j] += h; minus[j] -= h
            let numeric = (objective.evaluate(plus).value - objective.evaluate(minus).value) / (2 * h)
            #expect(abs(numeric - gradient[j]) < 1e-6, "component \(j)")
        }
    }

    @Test func sparseFitEqualsDenseFit() throws {
        var (dense, labels) = randomProblem(rowCount: 300, columnCount: 8, seed: 8)
        // Zero out most entries so the sparse form is really sparse.
        var generator = SeededGenerator(seed: 9)
        for i in dense.values.indices where generator.nextUnitDouble() < 0.7 { dense.values[i] = 0 }
        var offsets = [0], columns = [Int32](), values = [Float]()
        for r in 0 ..< dense.rowCount {
            for c in 0 ..< dense.columnCount where dense[r, c] != 0 {
                columns.append(Int32(c)); values.append(dense[r, c])
            }
            offsets.append(columns.count)
        }
        let sparse = SparseMatrix(rowCount: dense.rowCount, columnCount: dense.columnCount, rowOffsets: offsets,
                                  columnIndices: columns, values: values)
        let learner = try LogisticRegression(inverseRegularization: 0.5, standardize: false, gradientTolerance: 1e-10)
        let a = try learner.fit(features: dense, labels: labels)
        let b = try learner.fit(features: sparse, labels: labels)
        for (x, y) in zip(a.coefficients, b.coefficients) { #expect(abs(x - y) < 1e-7) }
        #expect(abs(a.intercept - b.intercept) < 1e-7)
        let pa = a.predictProbability(dense), pb = b.predictProbability(sparse)
        #expect(zip(pa, pb).allSatisfy { abs($0 - $1) < 1e-9 })
    }

    @Test func standardizedModelPredictsOnRawRows() throws {
        let (features, labels) = randomProblem(rowCount: 400, columnCount: 3, seed: 12)
        var scaled = features
        for i in scaled.values.indices { scaled.values[i] = scaled.values[i] * 100 + 7 }
        let model = try LogisticRegression().fit(features: scaled, labels: labels)
        let probabilities = model.predictProbability(scaled)
        let original = model.originalScaleCoefficients
        for r in 0 ..< 5 {
            var z = original.intercept
            for c in 0 ..< 3 { z += original.coefficients[c] * Double(scaled[r, c]) }
            #expect(abs(1 / (1 + exp(-z)) - probabilities[r]) < 1e-5)
        }
    }

    @Test func badInputIsRejectedWithNamedValues() throws {
        #expect(throws: LogisticRegressionError.invalidInverseRegularization(0)) {
            try LogisticRegression(inverseRegularization: 0)
        }
        let features = DenseMatrix(rowCount: 3, columnCount: 1, values: [1, .infinity, 2])
        #expect(throws: LogisticRegressionError.nonFiniteFeature(row: 1, column: 0, value: .infinity)) {
            try LogisticRegression(standardize: false).fit(features: features, labels: [0, 1, 0])
        }
        #expect(throws: LogisticRegressionError.nonFiniteFeature(row: 1, column: 0, value: .infinity)) {
            try LogisticRegression(standardize: true).fit(features: features, labels: [0, 1, 0])
        }
        // With standardisation a missing value is imputed (mean) instead.
        let missing = DenseMatrix(rowCount: 4, columnCount: 1, values: [1, .nan, 2, 3])
        let imputed = try LogisticRegression().fit(features: missing, labels: [0, 1, 0, 1])
        #expect(imputed.predictProbability(missing).allSatisfy { $0.isFinite })
        #expect(throws: LogisticRegressionError.singleClass(label: 1)) {
            try LogisticRegression().fit(features: features, labels: [1, 1, 1])
        }
        #expect(throws: LogisticRegressionError.invalidLabel(row: 2, value: 2)) {
            try LogisticRegression().fit(features: features, labels: [1, 0, 2])
        }
        #expect(throws: LogisticRegressionError.labelCountMismatch(rowCount: 3, labelCount: 2)) {
            try LogisticRegression().fit(features: features, labels: [1, 0])
        }
    }
}
