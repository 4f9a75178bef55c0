import Core
import Foundation

/// Feature columns binned by one ``BinMapper``, so boosting fits read them without refitting the bins.
///
/// LightGBM's `lgb.cv` builds its Dataset (the bins) once from every training row and subsets it per
/// fold; ``selecting(rows:columns:)`` does the same here by gathering bytes. Bin boundaries depend on
/// feature values only, never on labels. A model fitted on such a dataset predicts the same from bins
/// (``GradientBoostingModel/predictRawScores(binned:treeCount:)``) as from the raw values.
public struct BinnedDataset: Sendable {
    /// The bins of every column (feature `f` of the mapper is column `f`).
    public let binMapper: BinMapper
    /// The rows' bins, column-major.
    public let matrix: BinnedMatrix
    public let columnNames: [String]

    public var rowCount: Int { matrix.rowCount }
    public var columnCount: Int { matrix.featureCount }

    /// Fits the bins on the columns of `features` (NaN = missing) and bins them.
    public init(fitting features: DenseMatrix, maxBinCount: Int = 255, seed: UInt64 = 0, threadCount: Int = 1) throws {
        let mapper = try BinMapper(fitting: features, maxBinCount: maxBinCount, seed: seed, threadCount: threadCount)
        try self.init(binning: features, with: mapper, threadCount: threadCount)
    }

    /// Bins `features` with a mapper fitted elsewhere (e.g. on the train rows only); rejects infinite values.
    public init(binning features: DenseMatrix, with binMapper: BinMapper, threadCount: Int = 1) throws {
        if let (row, column) = BinMapper.firstInfiniteValue(features) {
            throw GradientBoostingError.invalidInput(
                "feature '\(features.columnNames[column])' (column \(column)) is infinite at row \(row); use NaN for missing values")
        }
        self.binMapper = binMapper
        matrix = try binMapper.transform(features, threadCount: threadCount)
        columnNames = features.columnNames
    }

    /// A dataset from parts; the matrix must have the mapper's features and one name per column.
    public init(binMapper: BinMapper, matrix: BinnedMatrix, columnNames: [String]) throws {
        guard matrix.featureCount == binMapper.featureCount, columnNames.count == matrix.featureCount,
              matrix.bins.count == matrix.rowCount * matrix.featureCount else {
            throw GradientBoostingError.invalidInput(
                "binned matrix of \(matrix.featureCount) columns (\(matrix.bins.count) bins for \(matrix.rowCount) rows), "
                    + "mapper of \(binMapper.featureCount) features, \(columnNames.count) column names")
        }
        guard (0 ..< matrix.featureCount).allSatisfy({ Int(matrix.missingBins[$0]) == binMapper.missingBin($0) }) else {
            throw GradientBoostingError.invalidInput("the binned matrix's missing bins are not the mapper's")
        }
        self.binMapper = binMapper
        self.matrix = matrix
        self.columnNames = columnNames
    }

    /// The given rows (all when nil, in order) of the given columns (all when nil, in that order): the
    /// bytes are gathered, the bins are not refitted.
    public func selecting(rows: [Int]? = nil, columns: [Int]? = nil) throws -> BinnedDataset {
        let sourceRowCount = rowCount
        if let rows, let bad = rows.first(where: { !(0 ..< sourceRowCount).contains($0) }) {
            throw GradientBoostingError.invalidInput("row \(bad) selected from a binned dataset of \(sourceRowCount) rows")
        }
        let columnList = columns ?? Array(0 ..< columnCount)
        let mapper = try binMapper.selecting(features: columnList)
        let outRowCount = rows?.count ?? sourceRowCount
        var bins = [UInt8](repeating: 0, count: outRowCount * columnList.count)
        if !bins.isEmpty { bins.withUnsafeMutableBufferPointer { output in
            let out = BoostingSharedPointer(output.baseAddress!)
            matrix.bins.withUnsafeBufferPointer { source in
                let from = BoostingSharedPointer(UnsafeMutablePointer(mutating: source.baseAddress!))
                parallelForEachChunk(count: columnList.count,
                                     chunkCount: defaultChunkCount(for: outRowCount * columnList.count / 64)) { _, chunk in
                    for j in chunk {
                        let column = from.base + columnList[j] * sourceRowCount
                        let target = out.base + j * outRowCount
                        if let rows {
                            for (i, r) in rows.enumerated() { target[i] = column[r] }
                        } else {
                            target.update(from: column, count: sourceRowCount)
                        }
                    }
                }
            }
        } }
        let selected = BinnedMatrix(rowCount: outRowCount, featureCount: columnList.count, bins: bins,
                                    missingBins: columnList.map { matrix.missingBins[$0] })
        return BinnedDataset(unchecked: mapper, selected, columnList.map { columnNames[$0] })
    }

    /// This dataset's columns followed by `other`'s, row by row (same row count, same bin limit).
    public func appendingColumns(_ other: BinnedDataset) throws -> BinnedDataset {
        guard other.rowCount == rowCount else {
            throw GradientBoostingError.invalidInput(
                "cannot append \(other.rowCount) binned rows to \(rowCount) rows")
        }
        let mapper = try binMapper.appending(other.binMapper)
        let joined = BinnedMatrix(rowCount: rowCount, featureCount: columnCount + other.columnCount,
                                  bins: matrix.bins + other.matrix.bins, missingBins: matrix.missingBins + other.matrix.missingBins)
        return BinnedDataset(unchecked: mapper, joined, columnNames + other.columnNames)
    }

    private init(unchecked binMapper: BinMapper, _ matrix: BinnedMatrix, _ columnNames: [String]) {
        self.binMapper = binMapper
        self.matrix = matrix
        self.columnNames = columnNames
    }
}
