import Core
import FeatureEngineering
import Foundation
import Learning

/// Everything the candidates read, for train and test rows.
///
/// Dense columns carry a ``FeatureFamily`` each, so a dense candidate picks its columns by family.
/// More columns are added as a ``DenseBlock`` (``appending(_:)``: e.g. latent tastes), more sparse
/// matrices as a ``SparseBlock`` (``adding(_:)``); the blocks added here are saved by the models step
/// and reloaded by the later steps.
public struct ModelInputs: Sendable {
    /// Train labels (0/1, `pos` = 1).
    public var labels: [UInt8]
    /// Dense features of the features step (profile families + cluster family) with the blocks
    /// appended here (the out-of-fold title statistics, family `titleTarget`, and any other).
    public private(set) var denseTrain: FeatureSet
    public private(set) var denseTest: FeatureSet
    /// All-tokens TF-IDF.
    public var tokensTrain: SparseMatrix
    public var tokensTest: SparseMatrix
    /// Bag-of-titles TF-IDF.
    public var titlesTrain: SparseMatrix
    public var titlesTest: SparseMatrix
    /// The dense blocks appended after the features step's columns, in order.
    public private(set) var denseBlocks: [DenseBlock] = []
    /// Further sparse matrices, by name.
    public private(set) var sparseBlocks: [String: SparseBlock] = [:]
    /// The models step's outer fold of each train row (empty when not known); candidates that nest
    /// an inner cross-validation reuse it as their inner split.
    public var foldOf: [Int] = []
    /// Text-model fits shared by the folds of one run's cross-validation (nested candidates fit each
    /// left-out fold set once); one per inputs value, so separate runs never share fits.
    public let nestedFitCache = NestedFitCache()
    /// The dense columns of every train and test row binned once (a mapper fitted on the train rows),
    /// read by every boosting fold of the run; a copy with other columns gets its own.
    public private(set) var denseBins = DenseBinsCache()

    public init(labels: [UInt8], denseTrain: FeatureSet, denseTest: FeatureSet, tokensTrain: SparseMatrix,
                tokensTest: SparseMatrix, titlesTrain: SparseMatrix, titlesTest: SparseMatrix) {
        self.labels = labels
        self.denseTrain = denseTrain
        self.denseTest = denseTest
        self.tokensTrain = tokensTrain
        self.tokensTest = tokensTest
        self.titlesTrain = titlesTrain
        self.titlesTest = titlesTest
    }

    /// The all-tokens TF-IDF as a block.
    public var tokens: SparseBlock { SparseBlock(uncheckedName: "tokens", train: tokensTrain, test: tokensTest) }
    /// The bag-of-titles TF-IDF as a block.
    public var titles: SparseBlock { SparseBlock(uncheckedName: "titles", train: titlesTrain, test: titlesTest) }

    /// These inputs with `block`'s columns appended to the dense train and test features.
    public func appending(_ block: DenseBlock) throws -> ModelInputs {
        guard block.train.matrix.rowCount == denseTrain.matrix.rowCount, block.test.matrix.rowCount == denseTest.matrix.rowCount else {
            throw ModelInputsError.rowMismatch(block: block.name, train: block.train.matrix.rowCount, test: block.test.matrix.rowCount,
                                               expectedTrain: denseTrain.matrix.rowCount, expectedTest: denseTest.matrix.rowCount)
        }
        let existing = Set(denseTrain.matrix.columnNames)
        if let clash = block.train.matrix.columnNames.first(where: existing.contains) {
            throw ModelInputsError.duplicateColumn(block: block.name, column: clash)
        }
        var copy = self
        copy.denseTrain = denseTrain.appending(block.train)
        copy.denseTest = denseTest.appending(block.test)
        copy.denseBlocks.append(block)
        copy.denseBins = DenseBinsCache()
        return copy
    }

    /// These inputs with one more sparse matrix, read back with ``sparseBlock(named:)``.
    public func adding(_ block: SparseBlock) throws -> ModelInputs {
        guard block.train.rowCount == labels.count, block.test.rowCount == denseTest.matrix.rowCount else {
            throw ModelInputsError.rowMismatch(block: block.name, train: block.train.rowCount, test: block.test.rowCount,
                                               expectedTrain: labels.count, expectedTest: denseTest.matrix.rowCount)
        }
        guard sparseBlocks[block.name] == nil, block.name != "tokens", block.name != "titles" else {
            throw ModelInputsError.duplicateBlock(block.name)
        }
        var copy = self
        copy.sparseBlocks[block.name] = block
        return copy
    }

    /// The sparse block named `name` (`tokens`, `titles` or one added with ``adding(_:)``).
    public func sparseBlock(named name: String) throws -> SparseBlock {
        switch name {
        case "tokens": return tokens
        case "titles": return titles
        default:
            guard let block = sparseBlocks[name] else { throw ModelInputsError.unknownBlock(name) }
            return block
        }
    }
}

/// A block of dense columns for every train and test row, appended to ``ModelInputs``.
public struct DenseBlock: Sendable {
    /// Short name, also the artifact file stem (`<name>-train.bin`, `<name>-test.bin`).
    public var name: String
    public var train: FeatureSet
    public var test: FeatureSet

    /// Throws when train and test do not have the same columns.
    public init(name: String, train: FeatureSet, test: FeatureSet) throws {
        guard !name.isEmpty, !name.contains("/") else { throw ModelInputsError.badName(name) }
        guard train.matrix.columnNames == test.matrix.columnNames, train.families == test.families else {
            throw ModelInputsError.columnMismatch(block: name, train: train.matrix.columnCount, test: test.matrix.columnCount)
        }
        self.name = name
        self.train = train
        self.test = test
    }
}

/// A sparse matrix for every train and test row (same columns), read by sparse candidates.
public struct SparseBlock: Sendable {
    public var name: String
    public var train: SparseMatrix
    public var test: SparseMatrix

    /// Throws when train and test do not have the same number of columns.
    public init(name: String, train: SparseMatrix, test: SparseMatrix) throws {
        guard !name.isEmpty else { throw ModelInputsError.badName(name) }
        guard train.columnCount == test.columnCount else {
            throw ModelInputsError.columnMismatch(block: name, train: train.columnCount, test: test.columnCount)
        }
        self.init(uncheckedName: name, train: train, test: test)
    }

    init(uncheckedName name: String, train: SparseMatrix, test: SparseMatrix) {
        self.name = name
        self.train = train
        self.test = test
    }
}

/// Errors of assembling ``ModelInputs``.
public enum ModelInputsError: Error, CustomStringConvertible {
    case rowMismatch(block: String, train: Int, test: Int, expectedTrain: Int, expectedTest: Int)
    case columnMismatch(block: String, train: Int, test: Int)
    case duplicateColumn(block: String, column: String)
    case duplicateBlock(String)
    case unknownBlock(String)
    case badName(String)

    public var description: String {
        switch self {
        case let .rowMismatch(block, train, test, expectedTrain, expectedTest):
            "model inputs: block '\(block)' has \(train) train / \(test) test rows, the features \(expectedTrain) / \(expectedTest)"
        case let .columnMismatch(block, train, test):
            "model inputs: block '\(block)' has \(train) train columns but \(test) test columns (or other names)"
        case let .duplicateColumn(block, column):
            "model inputs: block '\(block)' adds column '\(column)', which the inputs already have"
        case .duplicateBlock(let name): "model inputs: a sparse block named '\(name)' is already there"
        case .unknownBlock(let name): "model inputs: no sparse block named '\(name)'"
        case .badName(let name): "model inputs: '\(name)' is not a usable block name (empty or with '/')"
        }
    }
}

/// The matrices of one dense fit: the training rows, the scored rows and (when asked) every test row.
public struct DenseDesign: Sendable {
    public var train: DenseMatrix
    public var scored: DenseMatrix
    public var test: DenseMatrix?
    public var columnNames: [String]
}

/// Every dense column of the train and test rows as bins of one mapper, fitted on the train rows only
/// (feature values, never labels), as LightGBM's `lgb.cv` bins its Dataset once for all folds.
public struct DenseBins: Sendable {
    public var train: BinnedDataset
    public var test: BinnedDataset

    /// The bins of `columns` for the rows `scoring` names.
    public func rows(_ scoring: ScoredRows, columns: [Int]) throws -> BinnedDataset {
        switch scoring {
        case .train(let rows): try train.selecting(rows: rows, columns: columns)
        case .test: try test.selecting(columns: columns)
        }
    }
}

/// Holds one run's ``DenseBins`` per bin limit and sampling seed, fitted on first use; thread-safe
/// (a second caller waits for the first fit instead of repeating it).
public final class DenseBinsCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: DenseBins] = [:]
    private var fits = 0

    public init() {}

    /// Bin mappers fitted so far (one per run with the standard settings).
    public var fitCount: Int { lock.withLock { fits } }

    /// The bins for `maxBinCount` and `seed` (the binning sample's seed when there are more train rows than
    /// ``BinMapper/binningSampleCount``), fitting them on the first call.
    func bins(train: DenseMatrix, test: DenseMatrix, maxBinCount: Int, seed: UInt64, threadCount: Int) throws -> DenseBins {
        try lock.withLock {
            let key = "\(maxBinCount)/\(seed)"
            if let found = entries[key] { return found }
            let binnedTrain = try BinnedDataset(fitting: train, maxBinCount: maxBinCount, seed: seed, threadCount: threadCount)
            let binnedTest = try BinnedDataset(binning: test, with: binnedTrain.binMapper, threadCount: threadCount)
            let bins = DenseBins(train: binnedTrain, test: binnedTest)
            entries[key] = bins
            fits += 1
            return bins
        }
    }
}

extension ModelInputs {
    /// Every dense column binned once per run for boosting with `parameters` (see ``denseBins``).
    public func denseBins(for parameters: GradientBoostingParameters) throws -> DenseBins {
        try denseBins.bins(train: denseTrain.matrix, test: denseTest.matrix, maxBinCount: parameters.maxBinCount,
                           seed: parameters.seed, threadCount: parameters.binningThreadCount)
    }
}

extension GradientBoostingParameters {
    /// The threads that fit and apply bins: `threadCount`, or every active core when unset.
    var binningThreadCount: Int { max(1, threadCount ?? ProcessInfoCores.activeCount) }
}

/// The matrices of one sparse fit.
public struct SparseDesign: Sendable {
    public var train: SparseMatrix
    public var scored: SparseMatrix
    public var test: SparseMatrix?
}

extension ModelInputs {
    /// The dense columns of `families` for a fit on `trainRows` that scores `scoring` (and the test rows when `scoreTest`).
    public func denseDesign(families: Set<FeatureFamily>, trainRows: [Int], scoring: ScoredRows, scoreTest: Bool) -> DenseDesign {
        let columns = denseTrain.columns(of: families)
        let scored: DenseMatrix = switch scoring {
        case .train(let rows): denseTrain.matrix.selecting(rows: rows, columns: columns)
        case .test: denseTest.matrix.selecting(rows: nil, columns: columns)
        }
        return DenseDesign(train: denseTrain.matrix.selecting(rows: trainRows, columns: columns), scored: scored,
                           test: scoreTest ? denseTest.matrix.selecting(rows: nil, columns: columns) : nil,
                           columnNames: columns.map { denseTrain.matrix.columnNames[$0] })
    }

    /// The rows of `block` for a fit on `trainRows` that scores `scoring` (and the test rows when `scoreTest`).
    public func sparseDesign(_ block: SparseBlock, trainRows: [Int], scoring: ScoredRows, scoreTest: Bool) -> SparseDesign {
        let scored: SparseMatrix = switch scoring {
        case .train(let rows): block.train.rows(rows)
        case .test: block.test
        }
        return SparseDesign(train: block.train.rows(trainRows), scored: scored, test: scoreTest ? block.test : nil)
    }

    /// The number of rows `scoring` names.
    public func rowCount(of scoring: ScoredRows) -> Int {
        switch scoring {
        case .train(let rows): rows.count
        case .test: denseTest.matrix.rowCount
        }
    }
}

extension DenseMatrix {
    /// The given rows (all when `nil`) restricted to the given columns, in that order (copied in parallel row chunks).
    func selecting(rows: [Int]?, columns: [Int]) -> DenseMatrix {
        let rowList = rows ?? Array(0 ..< rowCount)
        let width = columns.count, sourceWidth = columnCount
        var out = [Float](repeating: 0, count: rowList.count * width)
        values.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
                parallelForEachChunk(count: rowList.count, chunkCount: defaultChunkCount(for: rowList.count * width / 64)) { _, chunk in
                    for i in chunk {
                        let from = rowList[i] * sourceWidth, to = i * width
                        for (j, c) in columns.enumerated() { target[to + j] = source[from + c] }
                    }
                }
            }
        }
        return DenseMatrix(rowCount: rowList.count, columnCount: width, values: out,
                           columnNames: columns.map { columnNames[$0] })
    }
}
