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
/// | `dense-blocks.json`, `<block>-{train,test}.bin` | the dense blocks added to the features (title statistics first) |
/// | `oof-predictions.bin` | out-of-fold P(pos) of every candidate (one column per model) |
/// | `test-scores.bin` | every candidate's fold-averaged test scores (``TestScoresFile``) |
/// | `boosting-fold-<k>.json` | the best boosting candidate's model fitted without fold `k` |
public enum ModelArtifacts {
    public static let choiceFile = "choice.json"
    public static let foldsFile = "folds.json"
    public static let titleTargetTrainFile = "title-target-train.bin"
    public static let titleTargetTestFile = "title-target-test.bin"
    public static let outOfFoldFile = "oof-predictions.bin"
    /// Each test user's score averaged over each candidate's fold models (``TestScoresFile`` format).
    public static let testScoresFile = "test-scores.bin"
    public static func boostingFoldFile(_ fold: Int) -> String { "boosting-fold-\(fold).json" }

    /// The dense blocks the models step adds to the features step's columns, in order; each is
    /// saved as `<name>-train.bin` / `<name>-test.bin` and listed in `dense-blocks.json`.
    public static let denseBlocksFile = "dense-blocks.json"
    /// The out-of-fold title statistics' block name (files `title-target-train.bin`, `title-target-test.bin`).
    public static let titleTargetBlock = "title-target"

    /// Loads the features step's matrices and appends the blocks the models step computes for `foldOf`
    /// (out-of-fold title statistics).
    static func loadInputs(featuresDirectory: URL, data: WatchData, labels: [UInt8], foldOf: [Int],
                           smoothing: Double) throws -> ModelInputs {
        let base = try loadBaseInputs(featuresDirectory: featuresDirectory, labels: labels)
        try checkRows(base.denseTrain.matrix.rowCount, base.denseTest.matrix.rowCount, data: data, what: "dense features")
        try checkRows(base.tokensTrain.rowCount, base.tokensTest.rowCount, data: data, what: "token TF-IDF")
        let encoded = try TitleTargetEncoder.outOfFold(data: data, foldOf: foldOf, settings: .init(smoothing: smoothing))
        var inputs = try base.appending(DenseBlock(name: titleTargetBlock, train: encoded.train, test: encoded.test))
        inputs.foldOf = foldOf
        return inputs
    }

    /// Loads the inputs again from the features and models artifacts (the saved blocks, nothing refitted).
    /// Without `includeSparse` the TF-IDF matrices are left empty (no columns), for steps that read only dense columns.
    public static func loadInputs(featuresDirectory: URL, modelsDirectory: URL, labels: [UInt8],
                                  includeSparse: Bool = true) throws -> ModelInputs {
        var inputs = try loadBaseInputs(featuresDirectory: featuresDirectory, labels: labels, includeSparse: includeSparse)
        for name in try readDenseBlockNames(from: modelsDirectory) {
            let train = try MatrixArtifact.readFeatureSet(from: modelsDirectory.appendingPathComponent("\(name)-train.bin")).features
            let test = try MatrixArtifact.readFeatureSet(from: modelsDirectory.appendingPathComponent("\(name)-test.bin")).features
            inputs = try inputs.appending(DenseBlock(name: name, train: train, test: test))
        }
        return inputs
    }

    /// The features step's dense and sparse matrices, without the models step's blocks.
    static func loadBaseInputs(featuresDirectory: URL, labels: [UInt8], includeSparse: Bool = true) throws -> ModelInputs {
        let dense = try loadDense(featuresDirectory)
        guard dense.train.matrix.rowCount == labels.count else {
            throw ModelsStepError.rowMismatch("the saved features have \(dense.train.matrix.rowCount) train rows, the data \(labels.count)")
        }
        func sparse(_ kind: FeatureArtifacts.SparseKind) throws -> (train: SparseMatrix, test: SparseMatrix) {
            guard includeSparse else { return (.empty(rowCount: labels.count), .empty(rowCount: dense.test.matrix.rowCount)) }
            return try FeatureArtifacts.loadSparse(kind, from: featuresDirectory)
        }
        let tokens = try sparse(.tokens), titles = try sparse(.titles)
        return ModelInputs(labels: labels, denseTrain: dense.train, denseTest: dense.test, tokensTrain: tokens.train,
                           tokensTest: tokens.test, titlesTrain: titles.train, titlesTest: titles.test)
    }

    /// The names in `dense-blocks.json` (the title statistics alone when the file predates it).
    static func readDenseBlockNames(from directory: URL) throws -> [String] {
        let url = directory.appendingPathComponent(denseBlocksFile)
        guard FileManager.default.fileExists(atPath: url.path) else { return [titleTargetBlock] }
        return try JSONDecoder().decode([String].self, from: Data(contentsOf: url))
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
        try TestScoresFile.encode(testScores).write(to: directory.appendingPathComponent(testScoresFile))
        try writeDenseBlocks(inputs.denseBlocks, trainIDs: trainIDs, to: directory)
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

    /// Writes each block as `<name>-train.bin` / `<name>-test.bin` and their names as `dense-blocks.json`.
    static func writeDenseBlocks(_ blocks: [DenseBlock], trainIDs: [String], to directory: URL) throws {
        for block in blocks {
            try MatrixArtifact.write(block.train, rowIDs: trainIDs, to: directory.appendingPathComponent("\(block.name)-train.bin"))
            try MatrixArtifact.write(block.test, to: directory.appendingPathComponent("\(block.name)-test.bin"))
        }
        try JSONEncoder().encode(blocks.map(\.name)).write(to: directory.appendingPathComponent(denseBlocksFile))
    }

    /// Reads `choice.json`.
    public static func readChoice(from directory: URL) throws -> ModelChoice {
        let url = directory.appendingPathComponent(choiceFile)
        guard FileManager.default.fileExists(atPath: url.path) else { throw ModelsStepError.missingArtifact(url.path) }
        return try JSONDecoder().decode(ModelChoice.self, from: Data(contentsOf: url))
    }

    /// Reads `test-scores.bin`: the fold-averaged test scores of `candidates`, in that order.
    public static func readTestScores(from directory: URL, candidates: [CandidateID]) throws -> [[Double]] {
        let url = directory.appendingPathComponent(testScoresFile)
        guard FileManager.default.fileExists(atPath: url.path) else { throw ModelsStepError.missingArtifact(url.path) }
        let all = try TestScoresFile.decode(Data(contentsOf: url), path: url.path)
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

extension SparseMatrix {
    /// `rowCount` rows and no columns.
    static func empty(rowCount: Int) -> SparseMatrix {
        SparseMatrix(rowCount: rowCount, columnCount: 0, rowOffsets: [Int](repeating: 0, count: rowCount + 1), columnIndices: [], values: [])
    }
}

/// The format of `test-scores.bin`: columns of doubles named by candidate id, stored exactly
/// (a JSON file of 13 MB took about 0.4 s to write and 0.3 s to read at full size; this takes milliseconds).
///
/// Layout: the 8 bytes `PTSSCORE`, a little-endian `UInt32` header length, a JSON header
/// `{"names": [...], "rowCount": n}` (names sorted), then each column's `n` little-endian `Float64` values.
enum TestScoresFile {
    static let magic = Array("PTSSCORE".utf8)

    struct Header: Codable {
        var names: [String]
        var rowCount: Int
    }

    /// The file's bytes for `columns` (all of the same length).
    static func encode(_ columns: [String: [Double]]) throws -> Data {
        let names = columns.keys.sorted()
        let rowCount = columns[names.first ?? ""]?.count ?? 0
        guard names.allSatisfy({ columns[$0]!.count == rowCount }) else {
            throw ModelsStepError.rowMismatch("the candidates' test scores differ in length")
        }
        let header = try JSONEncoder.sortedKeys.encode(Header(names: names, rowCount: rowCount))
        var data = Data(magic)
        withUnsafeBytes(of: UInt32(header.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(header)
        for name in names {
            columns[name]!.map { $0.bitPattern.littleEndian }.withUnsafeBytes { data.append(contentsOf: $0) }
        }
        return data
    }

    /// The columns stored in `data`; errors name `path` and what is wrong.
    static func decode(_ data: Data, path: String) throws -> [String: [Double]] {
        let bytes = [UInt8](data)
        func fail(_ reason: String) -> Error { ModelsStepError.badArtifact(path, reason) }
        guard bytes.count >= 12, Array(bytes[0 ..< 8]) == magic else { throw fail("not a test-scores file (bad magic)") }
        let headerLength = Int(bytes[8 ..< 12].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
        guard 12 + headerLength <= bytes.count,
              let header = try? JSONDecoder().decode(Header.self, from: Data(bytes[12 ..< 12 + headerLength])) else {
            throw fail("unreadable header")
        }
        let start = 12 + headerLength
        guard header.rowCount >= 0, bytes.count == start + header.names.count * header.rowCount * 8 else {
            throw fail("\(bytes.count) bytes do not hold \(header.names.count) columns of \(header.rowCount) doubles")
        }
        var columns: [String: [Double]] = [:]
        bytes.withUnsafeBytes { raw in
            for (k, name) in header.names.enumerated() {
                let base = start + k * header.rowCount * 8
                columns[name] = (0 ..< header.rowCount).map { r in
                    Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: base + r * 8, as: UInt64.self)))
                }
            }
        }
        return columns
    }
}
