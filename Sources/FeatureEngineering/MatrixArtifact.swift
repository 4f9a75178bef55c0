import Core
import Foundation

#if _endian(big)
#error("MatrixArtifact copies payloads as raw memory and assumes a little-endian host")
#endif

/// Binary files for feature matrices, written by the `features` and `clustering` steps and read
/// by the models step.
///
/// Layout (all integers and floats little-endian):
///
/// | bytes | content |
/// | --- | --- |
/// | 8 | magic `PTSMATRX` |
/// | 4 | format version (`UInt32`, currently 1) |
/// | 4 | kind (`UInt32`: 1 dense, 2 sparse CSR) |
/// | 8 | row count (`UInt64`) |
/// | 8 | column count (`UInt64`) |
/// | 8 | stored value count (`UInt64`: rows × columns for dense, non-zeros for sparse) |
/// | 8 | header JSON length `h` in bytes (`UInt64`) |
/// | h | header JSON (UTF-8): ``MatrixArtifact/Header`` — column names, optional column families, optional row ids, metadata |
/// | pad | zero bytes up to a multiple of 8 |
/// | dense: 4 × rows × columns | `Float32` values, row-major |
/// | sparse: 8 × (rows + 1) | row offsets (`Int64`), then 4 × nnz column indices (`Int32`), then 4 × nnz values (`Float32`) |
///
/// 300,000 × 150 floats (180 MB) write and read in well under a second: the payload is
/// copied as raw memory on little-endian machines.
public enum MatrixArtifact {
    /// What the header JSON holds.
    public struct Header: Codable, Sendable, Equatable {
        public var columnNames: [String]
        /// ``FeatureFamily`` raw values, one per column, when known.
        public var columnFamilies: [String]?
        /// Record ids of the rows, when stored (lets readers check the row order).
        public var rowIDs: [String]?
        /// Free-form facts (`"idf_fit": "trainAndTest"`).
        public var metadata: [String: String]

        public init(columnNames: [String], columnFamilies: [String]? = nil, rowIDs: [String]? = nil,
                    metadata: [String: String] = [:]) {
            self.columnNames = columnNames
            self.columnFamilies = columnFamilies
            self.rowIDs = rowIDs
            self.metadata = metadata
        }
    }

    /// A problem reading an artifact, naming the file and what is wrong.
    public struct ReadError: Error, CustomStringConvertible, Equatable {
        public var path: String
        public var reason: String
        public var description: String { "\(path): \(reason)" }
    }

    static let magic = Array("PTSMATRX".utf8)
    static let formatVersion: UInt32 = 1
    static let denseKind: UInt32 = 1
    static let sparseKind: UInt32 = 2

    // MARK: Writing

    /// Writes a dense matrix (column names come from the matrix; families and row ids optional).
    public static func write(_ matrix: DenseMatrix, families: [FeatureFamily]? = nil, rowIDs: [String]? = nil,
                             metadata: [String: String] = [:], to url: URL) throws {
        let header = Header(columnNames: matrix.columnNames, columnFamilies: families?.map(\.rawValue),
                            rowIDs: rowIDs, metadata: metadata)
        let head = try preamble(kind: denseKind, rows: matrix.rowCount, columns: matrix.columnCount,
                                stored: matrix.values.count, header: header)
        try writeFile(url, head) { handle in try writeRaw(matrix.values, to: handle) }
    }

    /// Writes a feature set (its families go in the header).
    public static func write(_ features: FeatureSet, rowIDs: [String]? = nil, metadata: [String: String] = [:],
                             to url: URL) throws {
        try write(features.matrix, families: features.families, rowIDs: rowIDs, metadata: metadata, to: url)
    }

    /// Writes a sparse CSR matrix.
    public static func write(_ matrix: SparseMatrix, rowIDs: [String]? = nil, metadata: [String: String] = [:],
                             to url: URL) throws {
        let header = Header(columnNames: matrix.columnNames, rowIDs: rowIDs, metadata: metadata)
        let head = try preamble(kind: sparseKind, rows: matrix.rowCount, columns: matrix.columnCount,
                                stored: matrix.values.count, header: header)
        try writeFile(url, head) { handle in
            try writeRaw(matrix.rowOffsets.map { Int64($0) }, to: handle)
            try writeRaw(matrix.columnIndices, to: handle)
            try writeRaw(matrix.values, to: handle)
        }
    }

    private static func preamble(kind: UInt32, rows: Int, columns: Int, stored: Int, header: Header) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]  // same matrix, same bytes
        let json = try encoder.encode(header)
        var data = Data()
        data.reserveCapacity(48 + json.count + 8)
        data.append(contentsOf: magic)
        appendInteger(formatVersion, to: &data)
        appendInteger(kind, to: &data)
        appendInteger(UInt64(rows), to: &data)
        appendInteger(UInt64(columns), to: &data)
        appendInteger(UInt64(stored), to: &data)
        appendInteger(UInt64(json.count), to: &data)
        data.append(json)
        while data.count % 8 != 0 { data.append(0) }
        return data
    }

    private static func appendInteger<T: FixedWidthInteger>(_ value: T, to data: inout Data) {
        withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
    }

    /// Writes `head` then the payload to `url` atomically (Core's `AtomicFile`: temporary file, then rename).
    private static func writeFile(_ url: URL, _ head: Data, payload: (FileHandle) throws -> Void) throws {
        try AtomicFile.write(to: url, streaming: { handle in
            try handle.write(contentsOf: head)
            try payload(handle)
        })
    }

    /// Writes the raw (little-endian) bytes of `values` in 64 MB pieces without copying them.
    private static func writeRaw<T: BitwiseCopyable>(_ values: [T], to handle: FileHandle) throws {
        try values.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            let piece = 64 << 20
            var offset = 0
            while offset < raw.count {
                let length = min(piece, raw.count - offset)
                try handle.write(contentsOf: Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: base + offset), count: length,
                                                  deallocator: .none))
                offset += length
            }
        }
    }

    // MARK: Reading

    /// Reads only the header (column names, families, row ids) and the sizes.
    public static func readHeader(from url: URL) throws -> (header: Header, rowCount: Int, columnCount: Int, isSparse: Bool) {
        let data = try load(url)
        var reader = Reader(data: data, path: url.path)
        let p = try reader.preamble()
        return (p.header, p.rows, p.columns, p.kind == sparseKind)
    }

    /// Reads a dense matrix and its header.
    public static func readDense(from url: URL) throws -> (matrix: DenseMatrix, header: Header) {
        let data = try load(url)
        var reader = Reader(data: data, path: url.path)
        let p = try reader.preamble()
        guard p.kind == denseKind else { throw ReadError(path: url.path, reason: "holds a sparse matrix, expected dense") }
        let (product, overflow) = p.rows.multipliedReportingOverflow(by: p.columns)
        guard !overflow, product == p.stored else {
            throw ReadError(path: url.path, reason: "\(p.stored) values for \(p.rows) × \(p.columns)")
        }
        let values: [Float] = try reader.array(count: p.stored, what: "values")
        return (DenseMatrix(rowCount: p.rows, columnCount: p.columns, values: values, columnNames: p.header.columnNames),
                p.header)
    }

    /// Reads a dense feature set (families from the header; a column without a known family is an error).
    public static func readFeatureSet(from url: URL) throws -> (features: FeatureSet, header: Header) {
        let (matrix, header) = try readDense(from: url)
        guard let raw = header.columnFamilies else {
            throw ReadError(path: url.path, reason: "header has no column families")
        }
        var families: [FeatureFamily] = []
        for (i, name) in raw.enumerated() {
            guard let family = FeatureFamily(rawValue: name) else {
                throw ReadError(path: url.path, reason: "column \(i) has unknown family \"\(name)\"")
            }
            families.append(family)
        }
        return (FeatureSet(matrix: matrix, families: families), header)
    }

    /// Reads a sparse CSR matrix and its header (offsets and indices are validated).
    public static func readSparse(from url: URL) throws -> (matrix: SparseMatrix, header: Header) {
        let data = try load(url)
        var reader = Reader(data: data, path: url.path)
        let p = try reader.preamble()
        guard p.kind == sparseKind else { throw ReadError(path: url.path, reason: "holds a dense matrix, expected sparse") }
        let offsets64: [Int64] = try reader.array(count: p.rows + 1, what: "row offsets")
        let indices: [Int32] = try reader.array(count: p.stored, what: "column indices")
        let values: [Float] = try reader.array(count: p.stored, what: "values")
        guard offsets64.first == 0, offsets64.last == Int64(p.stored) else {
            throw ReadError(path: url.path, reason: "row offsets do not run from 0 to \(p.stored)")
        }
        for r in 0 ..< p.rows where offsets64[r] > offsets64[r + 1] {
            throw ReadError(path: url.path, reason: "row offsets decrease at row \(r)")
        }
        if let bad = indices.firstIndex(where: { $0 < 0 || Int($0) >= p.columns }) {
            throw ReadError(path: url.path, reason: "column index \(indices[bad]) at entry \(bad) is outside 0..<\(p.columns)")
        }
        let matrix = SparseMatrix(rowCount: p.rows, columnCount: p.columns, rowOffsets: offsets64.map { Int($0) },
                                  columnIndices: indices, values: values, columnNames: p.header.columnNames)
        return (matrix, p.header)
    }

    private static func load(_ url: URL) throws -> Data {
        do { return try Data(contentsOf: url, options: .mappedIfSafe) }
        catch { throw ReadError(path: url.path, reason: "cannot be read (\(error.localizedDescription))") }
    }

    /// A bounds-checked cursor over the file's bytes.
    struct Reader {
        let data: Data
        let path: String
        var position = 0

        struct Preamble { var kind: UInt32; var rows: Int; var columns: Int; var stored: Int; var header: Header }

        mutating func preamble() throws -> Preamble {
            let head: [UInt8] = try array(count: 8, what: "magic")
            guard head == MatrixArtifact.magic else { throw ReadError(path: path, reason: "is not a matrix artifact (bad magic)") }
            let version: UInt32 = try integer("format version")
            guard version == MatrixArtifact.formatVersion else {
                throw ReadError(path: path, reason: "has format version \(version), this reader knows \(MatrixArtifact.formatVersion)")
            }
            let kind: UInt32 = try integer("kind")
            guard kind == MatrixArtifact.denseKind || kind == MatrixArtifact.sparseKind else {
                throw ReadError(path: path, reason: "has unknown matrix kind \(kind)")
            }
            let rows = try size("row count")
            let columns = try size("column count")
            let stored = try size("stored value count")
            let headerLength = try size("header length")
            let json: [UInt8] = try array(count: headerLength, what: "header JSON")
            let header: Header
            do { header = try JSONDecoder().decode(Header.self, from: Data(json)) }
            catch { throw ReadError(path: path, reason: "header JSON is invalid (\(error))") }
            guard header.columnNames.count == columns else {
                throw ReadError(path: path, reason: "header names \(header.columnNames.count) columns, the matrix has \(columns)")
            }
            if let f = header.columnFamilies, f.count != columns {
                throw ReadError(path: path, reason: "header has \(f.count) column families for \(columns) columns")
            }
            if let ids = header.rowIDs, ids.count != rows {
                throw ReadError(path: path, reason: "header has \(ids.count) row ids for \(rows) rows")
            }
            position = (position + 7) / 8 * 8
            return Preamble(kind: kind, rows: rows, columns: columns, stored: stored, header: header)
        }

        mutating func integer<T: FixedWidthInteger>(_ what: String) throws -> T {
            let size = MemoryLayout<T>.size
            guard position + size <= data.count else { throw ReadError(path: path, reason: "ends inside the \(what)") }
            var value = T.zero
            withUnsafeMutableBytes(of: &value) { target in
                data.withUnsafeBytes { source in
                    target.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[position ..< position + size]))
                }
            }
            position += size
            return T(littleEndian: value)
        }

        mutating func size(_ what: String) throws -> Int {
            let value: UInt64 = try integer(what)
            guard value <= UInt64(Int32.max) * 64 else { throw ReadError(path: path, reason: "\(what) \(value) is implausibly large") }
            return Int(value)
        }

        mutating func array<T: BitwiseCopyable>(count: Int, what: String) throws -> [T] {
            let stride = MemoryLayout<T>.stride
            let (bytes, overflow) = count.multipliedReportingOverflow(by: stride)
            guard !overflow, count >= 0, position + bytes <= data.count else {
                throw ReadError(path: path, reason: "ends inside the \(what) (needs \(count) × \(stride) bytes at offset \(position), file has \(data.count))")
            }
            let start = position
            let out = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
                data.withUnsafeBytes { source in
                    UnsafeMutableRawBufferPointer(buffer).copyMemory(
                        from: UnsafeRawBufferPointer(rebasing: source[start ..< start + bytes]))
                }
                initialized = count
            }
            position += bytes
            return out
        }
    }
}
