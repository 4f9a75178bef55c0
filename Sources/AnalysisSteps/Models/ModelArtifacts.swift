import Core
import FeatureEngineering
import Foundation
import Learning
import SegmentData

/// The files the `models` step writes into `reports/.artifacts/models/`, and their readers.
///
/// | file | content |
/// | --- | --- |
/// | `choice.json` | ``ModelChoice``: best model, settings, fitted stack, per-model CV summary |
/// | `folds.json` | the fold of each train row (0-based, file order) |
/// | `title-target-train.bin`, `title-target-test.bin` | out-of-fold title statistics (``FeatureSet``, family `titleTarget`) |
/// | `oof-predictions.bin` | out-of-fold P(pos) of every candidate (one column per model) |
/// | `boosting-fold-<k>.json` | the best boosting candidate's model fitted without fold `k` |
public enum ModelArtifacts {
    public static let choiceFile = "choice.json"
    public static let foldsFile = "folds.json"
    public static let titleTargetTrainFile = "title-target-train.bin"
    public static let titleTargetTestFile = "title-target-test.bin"
    public static let outOfFoldFile = "oof-predictions.bin"
    /// Candidate id → each test user's score averaged over the candidate's fold models.
    public static let testScoresFile = "test-scores.json"
    public static func boostingFoldFile(_ fold: Int) -> String { "boosting-fold-\(fold).json" }

    /// Loads the features step's matrices and appends out-of-fold title statistics for `foldOf`.
    static func loadInputs(featuresDirectory: URL, data: WatchData, labels: [UInt8], foldOf: [Int],
                           smoothing: Double) throws -> ModelInputs {
        let dense = try loadDense(featuresDirectory)
        try checkRows(dense.train.matrix.rowCount, dense.test.matrix.rowCount, data: data, what: "dense features")
        let tokens = try FeatureArtifacts.loadSparse(.tokens, from: featuresDirectory)
        let titles = try FeatureArtifacts.loadSparse(.titles, from: featuresDirectory)
        try checkRows(tokens.train.rowCount, tokens.test.rowCount, data: data, what: "token TF-IDF")
        let encoded = try TitleTargetEncoder.outOfFold(data: data, foldOf: foldOf, settings: .init(smoothing: smoothing))
        return ModelInputs(labels: labels, denseTrain: dense.train.appending(encoded.train),
                           denseTest: dense.test.appending(encoded.test), tokensTrain: tokens.train,
                           tokensTest: tokens.test, titlesTrain: titles.train, titlesTest: titles.test)
    }

    /// Loads the inputs again from the features and models artifacts (no refitting of the title statistics).
    public static func loadInputs(featuresDirectory: URL, modelsDirectory: URL, labels: [UInt8]) throws -> ModelInputs {
        let dense = try loadDense(featuresDirectory)
        let tokens = try FeatureArtifacts.loadSparse(.tokens, from: featuresDirectory)
        let titles = try FeatureArtifacts.loadSparse(.titles, from: featuresDirectory)
        let targetTrain = try MatrixArtifact.readFeatureSet(from: modelsDirectory.appendingPathComponent(titleTargetTrainFile)).features
        let targetTest = try MatrixArtifact.readFeatureSet(from: modelsDirectory.appendingPathComponent(titleTargetTestFile)).features
        guard dense.train.matrix.rowCount == labels.count, targetTrain.matrix.rowCount == labels.count else {
            throw ModelsStepError.rowMismatch("the saved features have \(dense.train.matrix.rowCount) train rows, the data \(labels.count)")
        }
        return ModelInputs(labels: labels, denseTrain: dense.train.appending(targetTrain),
                           denseTest: dense.test.appending(targetTest), tokensTrain: tokens.train,
                           tokensTest: tokens.test, titlesTrain: titles.train, titlesTest: titles.test)
    }

    static func loadDense(_ directory: URL) throws -> (train: FeatureSet, test: FeatureSet) {
        let path = directory.appendingPathComponent(FeatureArtifacts.denseTrainFile).path
        guard FileManager.default.fileExists(atPath: path) else { throw ModelsStepError.missingArtifact(path) }
        return try FeatureArtifacts.loadDense(from: directory)
    }

    static func checkRows(_ train: Int, _ test: Int, data: WatchData, what: String) throws {
        guard train == data.train.userCount, test == data.test.userCount else {
            throw ModelsStepError.rowMismatch(
                "the saved \(what) have \(train) train / \(test) test rows but the data has \(data.train.userCount) / \(data.test.userCount)")
        }
    }

    static func write(choice: ModelChoice, foldOf: [Int], inputs: ModelInputs, results: [CandidateResult],
                      boostingFoldModels: [GradientBoostingModel], testScores: [String: [Double]],
                      trainIDs: [String], to directory: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        // No timings in the artifact: downstream fingerprints hash it, so identical results must give identical bytes.
        var timeless = choice
        for index in timeless.results.indices {
            timeless.results[index].meanFitSeconds = 0
            for fold in timeless.results[index].folds.indices { timeless.results[index].folds[fold].fitSeconds = 0 }
        }
        try encoder.encode(timeless).write(to: directory.appendingPathComponent(choiceFile))
        try JSONEncoder().encode(foldOf).write(to: directory.appendingPathComponent(foldsFile))
        try JSONEncoder.sortedKeys.encode(testScores).write(to: directory.appendingPathComponent(testScoresFile))
        let targetColumns = inputs.denseTrain.columns(of: [.titleTarget])
        try MatrixArtifact.write(inputs.denseTrain.selectingColumns(targetColumns), rowIDs: trainIDs,
                                 to: directory.appendingPathComponent(titleTargetTrainFile))
        try MatrixArtifact.write(inputs.denseTest.selectingColumns(targetColumns),
                                 to: directory.appendingPathComponent(titleTargetTestFile))
        let rowCount = inputs.labels.count
        var values = [Float](repeating: 0, count: rowCount * results.count)
        for (m, result) in results.enumerated() {
            for r in 0 ..< rowCount { values[r * results.count + m] = Float(result.outOfFold[r]) }
        }
        try MatrixArtifact.write(DenseMatrix(rowCount: rowCount, columnCount: results.count, values: values,
                                             columnNames: results.map(\.model.rawValue)),
                                 rowIDs: trainIDs, to: directory.appendingPathComponent(outOfFoldFile))
        for (k, model) in boostingFoldModels.enumerated() {
            try model.jsonData().write(to: directory.appendingPathComponent(boostingFoldFile(k)))
        }
    }

    /// Reads `choice.json`.
    public static func readChoice(from directory: URL) throws -> ModelChoice {
        let url = directory.appendingPathComponent(choiceFile)
        guard FileManager.default.fileExists(atPath: url.path) else { throw ModelsStepError.missingArtifact(url.path) }
        return try JSONDecoder().decode(ModelChoice.self, from: Data(contentsOf: url))
    }

    /// Reads `test-scores.json`: the fold-averaged test scores of `candidates`, in that order.
    public static func readTestScores(from directory: URL, candidates: [CandidateModel]) throws -> [[Double]] {
        let url = directory.appendingPathComponent(testScoresFile)
        guard FileManager.default.fileExists(atPath: url.path) else { throw ModelsStepError.missingArtifact(url.path) }
        let all = try JSONDecoder().decode([String: [Double]].self, from: Data(contentsOf: url))
        return try candidates.map { candidate in
            guard let scores = all[candidate.rawValue] else { throw ModelsStepError.missingArtifact("\(url.path) [\(candidate.rawValue)]") }
            return scores
        }
    }

    /// Reads `folds.json`.
    public static func readFolds(from directory: URL) throws -> [Int] {
        try JSONDecoder().decode([Int].self, from: Data(contentsOf: directory.appendingPathComponent(foldsFile)))
    }
}
