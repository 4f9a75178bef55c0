import Core
import Foundation
import Testing
@testable import Learning

/// Brute-force Shapley values for one tree: every subset S of the features, v(S) the path-dependent
/// conditional expectation (follow the row on features in S, cover-weighted average of both children otherwise).
private func bruteForceShapley(tree: TreeSHAPTree, row: [Float], columnCount: Int) -> [Double] {
    let n = tree.tree.splitCount
    func expectation(_ node: Int, _ inSet: (Int) -> Bool) -> Double {
        if node >= n { return tree.tree.leafValues[node - n] }
        let left = TreeSHAPTree.index(tree.tree.leftChildren[node], n)
        let right = TreeSHAPTree.index(tree.tree.rightChildren[node], n)
        let f = tree.tree.splitFeatures[node]
        if inSet(f) {
            let v = row[f]
            let goLeft = v.isNaN ? tree.tree.missingGoesLeft[node] : Double(v) <= tree.tree.thresholds[node]
            return expectation(goLeft ? left : right, inSet)
        }
        return (tree.covers[left] * expectation(left, inSet) + tree.covers[right] * expectation(right, inSet))
            / tree.covers[node]
    }
    func factorial(_ k: Int) -> Double { k <= 1 ? 1 : Double(k) * factorial(k - 1) }
    var phi = [Double](repeating: 0, count: columnCount)
    for mask in 0 ..< (1 << columnCount) {
        let size = mask.nonzeroBitCount
        let base = expectation(0) { mask & (1 << $0) != 0 }
        for i in 0 ..< columnCount where mask & (1 << i) == 0 {
            let weight = factorial(size) * factorial(columnCount - size - 1) / factorial(columnCount)
            phi[i] += weight * (expectation(0) { (mask | (1 << i)) & (1 << $0) != 0 } - base)
        }
    }
    return phi
}

private func randomData(rowCount: Int, columnCount: Int, seed: UInt64) -> (DenseMatrix, [UInt8]) {
    var random = SplitMix64(seed: seed)
    var values = [Float](), labels = [UInt8]()
    for _ in 0 ..< rowCount {
        var row = (0 ..< columnCount).map { _ in Float(random.nextGaussian()) }
        let score = Double(row[0]) * Double(row[1]) + (row[2] > 0 ? 1 : -1) - 0.5 * Double(row[3])
        labels.append(random.nextUnitDouble() < 1 / (1 + exp(-score)) ? 1 : 0)
        if random.nextUnitDouble() < 0.05 { row[1] = .nan }
        values.append(contentsOf: row)
    }
    return (DenseMatrix(rowCount: rowCount, columnCount: columnCount, values: values), labels)
}

@Test func treeSHAPMatchesBruteForceShapleyOnSmallTrees() throws {
    let (features, labels) = randomData(rowCount: 400, columnCount: 5, seed: 3)
    let model = try GradientBoostingClassifier(parameters: GradientBoostingParameters(leafCount: 8, minDataInLeaf: 10,
                                                                                      roundCount: 3, threadCount: 1))
        .fit(features: features, labels: labels)
    #expect(model.trees.allSatisfy { $0.splitCount >= 3 })
    let probe = features.rows(Array(0 ..< 25))
    let explanation = try model.shapValues(probe)
    var largest = 0.0
    for row in 0 ..< probe.rowCount {
        let x = (0 ..< 5).map { probe[row, $0] }
        var expected = [Double](repeating: 0, count: 5)
        for tree in model.trees {
            let phi = bruteForceShapley(tree: TreeSHAPTree(tree), row: x, columnCount: 5)
            for c in 0 ..< 5 { expected[c] += phi[c] }
        }
        for c in 0 ..< 5 { largest = max(largest, abs(explanation[row, c] - expected[c])) }
    }
    #expect(largest < 1e-12, "largest difference \(largest)")
}

@Test func treeSHAPContributionsSumToTheRawScore() throws {
    let (features, labels) = randomData(rowCount: 3000, columnCount: 8, seed: 11)
    let model = try GradientBoostingClassifier(parameters: GradientBoostingParameters(roundCount: 40, threadCount: 1))
        .fit(features: features, labels: labels)
    let explanation = try model.shapValues(features)
    let raw = model.predictRawScores(features)
    var largest = 0.0
    for row in 0 ..< features.rowCount {
        let total = (0 ... 8).reduce(0.0) { $0 + explanation[row, $1] }
        largest = max(largest, abs(total - raw[row]))
    }
    #expect(largest < 1e-9, "largest difference \(largest)")
    // The expected value is the same for every row.
    #expect(abs(explanation[0, 8] - explanation[2999, 8]) < 1e-12)
    #expect(throws: TreeSHAPError.self) { try model.shapValues(DenseMatrix(rowCount: 1, columnCount: 3)) }
}

private struct LightGBMSHAPFixture: Decodable {
    let lightgbmContributions: [[Double]]
    let lightgbmRawScores: [Double]
}

private struct BreastCancerFixture: Decodable {
    let roundCount: Int, leafCount: Int, learningRate: Double, minDataInLeaf: Int, lambdaL2: Double
    let trainFeatures: [[Double]], trainLabels: [UInt8], testFeatures: [[Double]]
}

/// LightGBM's `pred_contrib` on the breast-cancer model (`Fixtures/gbm-lightgbm-breast-cancer-shap.py`).
@Test func treeSHAPMatchesLightGBMPredContrib() throws {
    func load<T: Decodable>(_ name: String, as type: T.Type) throws -> T {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures"))
        return try JSONDecoder().decode(T.self, from: Data(contentsOf: url))
    }
    let data = try load("gbm-lightgbm-breast-cancer", as: BreastCancerFixture.self)
    let reference = try load("gbm-lightgbm-breast-cancer-shap", as: LightGBMSHAPFixture.self)
    func matrix(_ rows: [[Double]]) -> DenseMatrix {
        DenseMatrix(rowCount: rows.count, columnCount: rows[0].count, values: rows.flatMap { $0.map(Float.init) })
    }
    let parameters = GradientBoostingParameters(leafCount: data.leafCount, minDataInLeaf: data.minDataInLeaf,
                                                lambdaL2: data.lambdaL2, learningRate: data.learningRate,
                                                roundCount: data.roundCount, threadCount: 1)
    let model = try GradientBoostingClassifier(parameters: parameters)
        .fit(features: matrix(data.trainFeatures), labels: data.trainLabels)
    let explanation = try model.shapValues(matrix(data.testFeatures))
    #expect(explanation.rowCount == reference.lightgbmContributions.count)
    var largest = 0.0
    for (row, theirs) in reference.lightgbmContributions.enumerated() {
        #expect(theirs.count == 31)
        for c in 0 ..< theirs.count { largest = max(largest, abs(explanation[row, c] - theirs[c])) }
    }
    #expect(largest < 1e-6, "largest difference \(largest)")
}
