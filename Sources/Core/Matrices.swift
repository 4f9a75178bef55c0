/// A dense, row-major matrix of `Float` features (`rowCount × columnCount`), NaN for missing.
public struct DenseMatrix: Sendable, Equatable {
    public var rowCount: Int
    public var columnCount: Int
    /// Row-major values: `values[row * columnCount + column]`.
    public var values: [Float]
    /// Column names, one per column (`genre_share:Cricket`).
    public var columnNames: [String]

    public init(rowCount: Int, columnCount: Int, values: [Float], columnNames: [String]? = nil) {
        precondition(values.count == rowCount * columnCount,
                     "DenseMatrix: \(values.count) values for \(rowCount) × \(columnCount)")
        self.rowCount = rowCount
        self.columnCount = columnCount
        self.values = values
        self.columnNames = columnNames ?? (0 ..< columnCount).map { "f\($0)" }
        precondition(self.columnNames.count == columnCount,
                     "DenseMatrix: \(self.columnNames.count) column names for \(columnCount) columns")
    }

    /// A zero matrix.
    public init(rowCount: Int, columnCount: Int, columnNames: [String]? = nil) {
        self.init(rowCount: rowCount, columnCount: columnCount,
                  values: [Float](repeating: 0, count: rowCount * columnCount), columnNames: columnNames)
    }

    @inlinable
    public subscript(row: Int, column: Int) -> Float {
        get { values[row * columnCount + column] }
        set { values[row * columnCount + column] = newValue }
    }

    /// The rows at `indices`, in that order.
    public func rows(_ indices: [Int]) -> DenseMatrix {
        var out = [Float]()
        out.reserveCapacity(indices.count * columnCount)
        for r in indices { out.append(contentsOf: values[r * columnCount ..< (r + 1) * columnCount]) }
        return DenseMatrix(rowCount: indices.count, columnCount: columnCount, values: out, columnNames: columnNames)
    }

    /// The columns of `self` followed by those of `other` (same row count).
    public func appendingColumns(_ other: DenseMatrix) -> DenseMatrix {
        precondition(rowCount == other.rowCount, "appendingColumns: \(rowCount) rows vs \(other.rowCount)")
        let width = columnCount + other.columnCount
        var out = [Float](repeating: 0, count: rowCount * width)
        for r in 0 ..< rowCount {
            for c in 0 ..< columnCount { out[r * width + c] = values[r * columnCount + c] }
            for c in 0 ..< other.columnCount { out[r * width + columnCount + c] = other.values[r * other.columnCount + c] }
        }
        return DenseMatrix(rowCount: rowCount, columnCount: width, values: out, columnNames: columnNames + other.columnNames)
    }
}

/// A sparse matrix in compressed-row (CSR) form, e.g. a bag of titles (users × titles).
///
/// Row `r` holds `columnIndices[rowOffsets[r] ..< rowOffsets[r + 1]]` with the matching `values`;
/// column indices within a row are strictly increasing.
public struct SparseMatrix: Sendable, Equatable {
    public var rowCount: Int
    public var columnCount: Int
    /// `rowCount + 1` row starts.
    public var rowOffsets: [Int]
    public var columnIndices: [Int32]
    public var values: [Float]
    /// Column names, one per column (`title:Naamkarann`).
    public var columnNames: [String]

    public init(rowCount: Int, columnCount: Int, rowOffsets: [Int], columnIndices: [Int32], values: [Float],
                columnNames: [String]? = nil) {
        precondition(rowOffsets.count == rowCount + 1, "SparseMatrix: \(rowOffsets.count) offsets for \(rowCount) rows")
        precondition(columnIndices.count == values.count, "SparseMatrix: indices and values differ in length")
        self.rowCount = rowCount
        self.columnCount = columnCount
        self.rowOffsets = rowOffsets
        self.columnIndices = columnIndices
        self.values = values
        self.columnNames = columnNames ?? (0 ..< columnCount).map { "f\($0)" }
    }

    /// Number of stored (non-zero) entries.
    public var nonZeroCount: Int { values.count }

    /// The rows at `indices`, in that order.
    public func rows(_ indices: [Int]) -> SparseMatrix {
        var offsets = [0]
        offsets.reserveCapacity(indices.count + 1)
        var cols = [Int32]()
        var vals = [Float]()
        for r in indices {
            let range = rowOffsets[r] ..< rowOffsets[r + 1]
            cols.append(contentsOf: columnIndices[range])
            vals.append(contentsOf: values[range])
            offsets.append(cols.count)
        }
        return SparseMatrix(rowCount: indices.count, columnCount: columnCount, rowOffsets: offsets,
                            columnIndices: cols, values: vals, columnNames: columnNames)
    }
}

extension SparseMatrix {
    /// `bias + Σ weights[column] · value` over each row's stored entries (the linear score of logistic
    /// regression and multinomial naive Bayes on sparse rows), rows in parallel chunks.
    public func linearScores(weights: [Double], bias: Double) -> [Double] {
        parallelChunks(count: rowCount) { rows -> [Double] in
            rows.map { r in
                var z = bias
                for k in rowOffsets[r] ..< rowOffsets[r + 1] { z += weights[Int(columnIndices[k])] * Double(values[k]) }
                return z
            }
        }.flatMap { $0 }
    }
}
