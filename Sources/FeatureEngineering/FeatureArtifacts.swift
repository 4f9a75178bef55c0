import Core
import Foundation

/// The files the `features` step writes into `reports/.artifacts/features/`, and readers for them.
///
/// | file | content |
/// | --- | --- |
/// | `dense-train.bin`, `dense-test.bin` | dense ``FeatureSet`` (profile families, plus the `cluster` family when the clustering step ran), row ids in the header |
/// | `titles-tfidf-train.bin`, `titles-tfidf-test.bin` | bag-of-titles TF-IDF, CSR |
/// | `tokens-tfidf-train.bin`, `tokens-tfidf-test.bin` | all-tokens TF-IDF (titles, genres, cities, hours, days), CSR |
///
/// Every file is a ``MatrixArtifact``. Out-of-fold title target statistics are **not** stored:
/// they depend on the cross-validation folds, so the models step computes them with
/// ``TitleTargetEncoder/outOfFold(data:foldOf:settings:)`` and its own folds.
public enum FeatureArtifacts {
    public static let denseTrainFile = "dense-train.bin"
    public static let denseTestFile = "dense-test.bin"

    /// A sparse TF-IDF matrix kind.
    public enum SparseKind: String, Sendable, CaseIterable {
        /// Bag of titles.
        case titles
        /// Titles, genres, cities, hours and days.
        case tokens

        public var trainFile: String { "\(rawValue)-tfidf-train.bin" }
        public var testFile: String { "\(rawValue)-tfidf-test.bin" }
    }

    /// Dense train and test features from a features artifact folder.
    public static func loadDense(from directory: URL) throws -> (train: FeatureSet, test: FeatureSet) {
        let train = try MatrixArtifact.readFeatureSet(from: directory.appendingPathComponent(denseTrainFile)).features
        let test = try MatrixArtifact.readFeatureSet(from: directory.appendingPathComponent(denseTestFile)).features
        guard train.matrix.columnNames == test.matrix.columnNames else {
            throw MatrixArtifact.ReadError(path: directory.appendingPathComponent(denseTestFile).path,
                                           reason: "test columns differ from the train columns")
        }
        return (train, test)
    }

    /// Sparse TF-IDF train and test matrices from a features artifact folder.
    public static func loadSparse(_ kind: SparseKind, from directory: URL) throws -> (train: SparseMatrix, test: SparseMatrix) {
        let train = try MatrixArtifact.readSparse(from: directory.appendingPathComponent(kind.trainFile)).matrix
        let test = try MatrixArtifact.readSparse(from: directory.appendingPathComponent(kind.testFile)).matrix
        guard train.columnNames == test.columnNames else {
            throw MatrixArtifact.ReadError(path: directory.appendingPathComponent(kind.testFile).path,
                                           reason: "test columns differ from the train columns")
        }
        return (train, test)
    }
}

/// The files the `clustering` step writes into `reports/.artifacts/clustering/`.
///
/// | file | content |
/// | --- | --- |
/// | `clusters-train.bin`, `clusters-test.bin` | dense ``FeatureSet`` of family `cluster`: `cluster_member:<c>` one-hot columns then `cluster_distance:<c>` (Euclidean distance to centre `c` in the standardised profile space), row ids in the header |
/// | `clusters.json` | the chosen k, centres, profile columns and their standardisation, descriptions |
public enum ClusterArtifacts {
    public static let trainFile = "clusters-train.bin"
    public static let testFile = "clusters-test.bin"
    public static let summaryFile = "clusters.json"

    /// Cluster membership and distance features of train and test. With `trainIDs` / `testIDs`,
    /// the stored row ids must match them row for row (the error names the first row that differs).
    public static func load(from directory: URL, trainIDs: [String]? = nil, testIDs: [String]? = nil) throws
        -> (train: FeatureSet, test: FeatureSet) {
        func read(_ file: String, expected: [String]?) throws -> FeatureSet {
            let url = directory.appendingPathComponent(file)
            let (features, header) = try MatrixArtifact.readFeatureSet(from: url)
            if let expected {
                guard let stored = header.rowIDs else {
                    throw MatrixArtifact.ReadError(path: url.path, reason: "stores no row ids to check against the data")
                }
                guard stored.count == expected.count else {
                    throw MatrixArtifact.ReadError(path: url.path, reason: "has \(stored.count) rows, the data has \(expected.count); rerun the clustering step")
                }
                if let row = stored.indices.first(where: { stored[$0] != expected[$0] }) {
                    throw MatrixArtifact.ReadError(path: url.path,
                                                   reason: "row \(row) is \(stored[row]) but the data has \(expected[row]); rerun the clustering step")
                }
            }
            return features
        }
        return (try read(trainFile, expected: trainIDs), try read(testFile, expected: testIDs))
    }

    /// Membership one-hot and distance columns for assignments `cluster[row]` and the distance
    /// of every row to every centre (`distances[row * k + c]`).
    public static func features(assignments: [Int], distances: [Float], clusterCount k: Int) -> FeatureSet {
        let n = assignments.count
        precondition(distances.count == n * k, "ClusterArtifacts: \(distances.count) distances for \(n) rows × \(k)")
        let width = 2 * k
        var values = [Float](repeating: 0, count: n * width)
        for r in 0 ..< n {
            let c = assignments[r]
            if c >= 0 && c < k { values[r * width + c] = 1 }
            for j in 0 ..< k { values[r * width + k + j] = distances[r * k + j] }
        }
        let names = (1 ... max(1, k)).prefix(k).map { "cluster_member:\($0)" } + (1 ... max(1, k)).prefix(k).map { "cluster_distance:\($0)" }
        return FeatureSet(matrix: DenseMatrix(rowCount: n, columnCount: width, values: values, columnNames: names),
                          families: [FeatureFamily](repeating: .cluster, count: width))
    }
}
