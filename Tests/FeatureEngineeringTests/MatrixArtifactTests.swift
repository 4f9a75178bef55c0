import Core
import Foundation
import Learning
import Testing
@testable import FeatureEngineering

@Suite struct MatrixArtifactTests {
    func temporaryURL(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("fe-test-\(UUID().uuidString)-\(name)")
    }

    @Test func denseRoundTrip() throws {
        let matrix = DenseMatrix(rowCount: 3, columnCount: 2, values: [1, -2.5, .nan, 4, .infinity, 0],
                                 columnNames: ["genre_share:Table Tennis", "id_number"])
        let features = FeatureSet(matrix: matrix, families: [.genreShares, .identity])
        let url = temporaryURL("dense.bin")
        defer { try? FileManager.default.removeItem(at: url) }
        try MatrixArtifact.write(features, rowIDs: ["train-1", "train-2", "train-3"], metadata: ["seed": "7"], to: url)
        let (back, header) = try MatrixArtifact.readFeatureSet(from: url)
        #expect(back.families == features.families)
        #expect(back.matrix.columnNames == matrix.columnNames)
        #expect(back.matrix.values.map(\.bitPattern) == matrix.values.map(\.bitPattern))
        #expect(header.rowIDs == ["train-1", "train-2", "train-3"])
        #expect(header.metadata == ["seed": "7"])
        let peek = try MatrixArtifact.readHeader(from: url)
        #expect(peek.rowCount == 3 && peek.columnCount == 2 && !peek.isSparse)
    }

    @Test func sparseRoundTrip() throws {
        let matrix = SparseMatrix(rowCount: 3, columnCount: 4, rowOffsets: [0, 2, 2, 3], columnIndices: [0, 3, 1],
                                  values: [0.6, 0.8, 1], columnNames: ["title:A", "title:B", "city:x", "hour:07"])
        let url = temporaryURL("sparse.bin")
        defer { try? FileManager.default.removeItem(at: url) }
        try MatrixArtifact.write(matrix, to: url)
        let (back, _) = try MatrixArtifact.readSparse(from: url)
        #expect(back == matrix)
        #expect(throws: MatrixArtifact.ReadError.self) { try MatrixArtifact.readDense(from: url) }
    }

    @Test func truncatedAndForeignFilesGiveClearErrors() throws {
        let matrix = DenseMatrix(rowCount: 100, columnCount: 3, values: (0 ..< 300).map(Float.init))
        let url = temporaryURL("cut.bin")
        defer { try? FileManager.default.removeItem(at: url) }
        try MatrixArtifact.write(matrix, to: url)
        let bytes = try Data(contentsOf: url)
        try bytes.prefix(bytes.count - 5).write(to: url)
        do {
            _ = try MatrixArtifact.readDense(from: url)
            Issue.record("a truncated file was read")
        } catch let error as MatrixArtifact.ReadError {
            #expect(error.path == url.path)
            #expect(error.reason.contains("ends inside the values"))
        }
        try Data("not a matrix at all, just text".utf8).write(to: url)
        #expect(throws: MatrixArtifact.ReadError(path: url.path, reason: "is not a matrix artifact (bad magic)")) {
            try MatrixArtifact.readDense(from: url)
        }
        #expect(throws: MatrixArtifact.ReadError.self) {
            try MatrixArtifact.readDense(from: url.appendingPathExtension("missing"))
        }
    }

    @Test func sameMatrixSameBytes() throws {
        let matrix = DenseMatrix(rowCount: 2, columnCount: 2, values: [1, 2, 3, 4], columnNames: ["a", "b"])
        let metadata = (0 ..< 20).reduce(into: [String: String]()) { $0["key\($1)"] = "value\($1)" }
        // The same pairs in a dictionary of another capacity and insertion order (another iteration order).
        var shuffled = [String: String](minimumCapacity: 1000)
        for i in (0 ..< 20).reversed() { shuffled["key\(i)"] = "value\(i)" }
        let first = temporaryURL("a.bin"), second = temporaryURL("b.bin")
        defer { try? FileManager.default.removeItem(at: first); try? FileManager.default.removeItem(at: second) }
        try MatrixArtifact.write(matrix, metadata: metadata, to: first)
        try MatrixArtifact.write(matrix, metadata: shuffled, to: second)
        #expect(try Data(contentsOf: first) == Data(contentsOf: second))
    }
}
