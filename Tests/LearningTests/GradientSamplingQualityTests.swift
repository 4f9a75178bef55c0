import Core
import Evaluation
import Foundation
import Testing
@testable import Learning

/// LightGBM 4.7's GOSS fits on the shared benchmark files (`Fixtures/gbm-lightgbm-goss.py`).
private struct LightGBMGossFixture: Decodable {
    struct DataSet: Decodable {
        let seeds: [UInt64]
        let testAUCs: [Double]
        let trainLogLosses: [Double]
        let meanTestAUC: Double
        let meanTrainLogLoss: Double
    }
    let topRate: Double
    let otherRate: Double
    let leafCount: Int
    let learningRate: Double
    let roundCount: Int
    let higgs: DataSet
    let fertility: DataSet
}

private let benchmarkFolder = "/work/shared/benchmarks"

/// A benchmark CSV (label first, then numeric features, no header) as features and labels.
private func loadBenchmark(_ name: String) throws -> (features: DenseMatrix, labels: [UInt8]) {
    let text = try String(contentsOfFile: "\(benchmarkFolder)/\(name).csv", encoding: .utf8)
    var values = [Float]()
    var labels = [UInt8]()
    var columnCount = 0
    for line in text.split(separator: "\n") where !line.isEmpty {
        let fields = line.split(separator: ",")
        guard let label = UInt8(fields[0]) ?? Double(fields[0]).map({ UInt8($0) }) else {
            throw GradientBoostingError.invalidInput("\(name): bad label '\(fields[0])'")
        }
        labels.append(label)
        columnCount = fields.count - 1
        for field in fields.dropFirst() { values.append(Float(field) ?? .nan) }
    }
    return (DenseMatrix(rowCount: labels.count, columnCount: columnCount, values: values), labels)
}

private func loadFixture() throws -> LightGBMGossFixture {
    let url = try #require(Bundle.module.url(forResource: "gbm-lightgbm-goss", withExtension: "json",
                                             subdirectory: "Fixtures"))
    return try JSONDecoder().decode(LightGBMGossFixture.self, from: Data(contentsOf: url))
}

/// Our GOSS fit with the fixture's settings: (test AUC, training log-loss).
private func gossFit(_ fixture: LightGBMGossFixture, train: (features: DenseMatrix, labels: [UInt8]),
                     test: (features: DenseMatrix, labels: [UInt8]), seed: UInt64) throws -> (Double, Double) {
    let parameters = GradientBoostingParameters(
        leafCount: fixture.leafCount, learningRate: fixture.learningRate, roundCount: fixture.roundCount,
        gradientOneSideSampling: try GradientOneSideSampling(topRate: fixture.topRate, otherRate: fixture.otherRate),
        seed: seed)
    let model = try GradientBoostingClassifier(parameters: parameters).fit(features: train.features, labels: train.labels)
    return (rocAUC(scores: model.predictProbability(test.features), labels: test.labels),
            logLoss(probabilities: model.predictProbability(train.features), labels: train.labels))
}

private let benchmarksPresent = FileManager.default.fileExists(atPath: "\(benchmarkFolder)/higgs.train.csv")

/// The higgs test set has 500 rows, so one fit's AUC moves by about 0.01 with the seed (LightGBM's too):
/// means over seeds are compared, and the training log-loss (seed spread about 0.002) is the tight check.
@Test(.enabled(if: benchmarksPresent, "needs \(benchmarkFolder)"))
func gossMatchesLightGBMOnHiggs() throws {
    let fixture = try loadFixture()
    let train = try loadBenchmark("higgs.train")
    let test = try loadBenchmark("higgs.test")
    let fits = try (UInt64(0) ..< 5).map { try gossFit(fixture, train: train, test: test, seed: $0) }
    let meanAUC = fits.map(\.0).reduce(0, +) / Double(fits.count)
    let meanLoss = fits.map(\.1).reduce(0, +) / Double(fits.count)
    #expect(abs(meanAUC - fixture.higgs.meanTestAUC) < 0.005, "ours \(meanAUC), LightGBM \(fixture.higgs.meanTestAUC)")
    #expect(abs(meanLoss - fixture.higgs.meanTrainLogLoss) < 0.003,
            "ours \(meanLoss), LightGBM \(fixture.higgs.meanTrainLogLoss)")
}

@Test(.enabled(if: benchmarksPresent, "needs \(benchmarkFolder)"))
func gossMatchesLightGBMOnFertility() throws {
    let fixture = try loadFixture()
    let train = try loadBenchmark("fertility.train")
    let test = try loadBenchmark("fertility.test")
    let (auc, _) = try gossFit(fixture, train: train, test: test, seed: 0)
    #expect(abs(auc - fixture.fertility.meanTestAUC) < 0.005, "ours \(auc), LightGBM \(fixture.fertility.meanTestAUC)")
    // LightGBM's seeds agree closely on this 64k-row test set; ours lies within their spread widened by 0.002.
    let low = try #require(fixture.fertility.testAUCs.min()), high = try #require(fixture.fertility.testAUCs.max())
    #expect(auc > low - 0.002 && auc < high + 0.002, "ours \(auc), LightGBM \(low) ... \(high)")
}
