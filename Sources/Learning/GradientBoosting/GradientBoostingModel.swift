import Core
import Foundation

/// Which per-feature total `GradientBoostingModel.featureImportance` reports (LightGBM `importance_type`).
public enum TreeImportanceKind: String, Sendable, Codable, CaseIterable {
    /// Number of splits on the feature.
    case split
    /// Total gain of the splits on the feature.
    case gain
}

/// A fitted gradient-boosted tree ensemble for binary log-loss: `P(y = 1) = σ(initialScore + Σ trees)`.
public struct GradientBoostingModel: BinaryClassifier, Codable, Equatable {
    /// Bumped when the JSON layout changes.
    public static let currentFormatVersion = 1

    public let formatVersion: Int
    public let parameters: GradientBoostingParameters
    public let featureNames: [String]
    /// Log-odds of the training prior.
    public let initialScore: Double
    /// The trees kept (up to the best iteration when early stopping was used).
    public let trees: [RegressionTree]
    /// Rounds actually trained (may exceed `trees.count` with early stopping).
    public let trainedRoundCount: Int
    /// Number of trees kept: the round with the lowest validation log-loss, or every round without validation.
    public let bestIteration: Int
    /// Validation log-loss after each trained round (empty without a validation set).
    public let validationLossHistory: [Double]
    /// The bins of the training data (raw prediction uses thresholds; binned prediction needs rows binned by this mapper).
    public let binMapper: BinMapper

    public var featureCount: Int { featureNames.count }

    init(parameters: GradientBoostingParameters, featureNames: [String], initialScore: Double, trees: [RegressionTree],
         trainedRoundCount: Int, bestIteration: Int, validationLossHistory: [Double], binMapper: BinMapper) {
        formatVersion = Self.currentFormatVersion
        self.parameters = parameters
        self.featureNames = featureNames
        self.initialScore = initialScore
        self.trees = trees
        self.trainedRoundCount = trainedRoundCount
        self.bestIteration = bestIteration
        self.validationLossHistory = validationLossHistory
        self.binMapper = binMapper
    }

    /// Raw scores (log-odds) for each row; `treeCount` limits the trees used (default all).
    public func predictRawScores(_ features: DenseMatrix, treeCount: Int? = nil) -> [Double] {
        precondition(features.columnCount == featureCount,
                     "GradientBoostingModel: matrix has \(features.columnCount) columns, model expects \(featureCount)")
        let columnCount = features.columnCount
        guard !features.values.isEmpty else { return [Double](repeating: initialScore, count: features.rowCount) }
        return features.values.withUnsafeBufferPointer { values in
            let base = BoostingSharedPointer(UnsafeMutablePointer(mutating: values.baseAddress!))
            let usedTrees = Array(trees.prefix(treeCount ?? trees.count))
            return scores(rowCount: features.rowCount, treeCount: usedTrees.count) { t, block, out in
                let tree = usedTrees[t]
                for r in block { out[r] += tree.value(row: base.base + r * columnCount) }
            }
        }
    }

    /// Raw scores (log-odds) of rows binned by this model's own mapper (``binMapper``), e.g. rows
    /// selected from the dataset it was fitted on: the same numbers, bit for bit, as
    /// ``predictRawScores(_:treeCount:)`` on the raw values (a split `bin <= b` is the raw rule
    /// `value <= upperBounds[b]`, and each row adds the trees in the same order).
    public func predictRawScores(binned: BinnedDataset, treeCount: Int? = nil) throws -> [Double] {
        guard binned.binMapper == binMapper else {
            throw GradientBoostingError.invalidInput(
                "the rows were binned by another mapper than the model's (\(binned.columnCount) columns, model expects \(featureCount))")
        }
        let matrix = binned.matrix
        let rowCount = matrix.rowCount
        guard !matrix.bins.isEmpty else { return [Double](repeating: initialScore, count: rowCount) }
        let walkers = matrix.missingBins.withUnsafeBufferPointer { missing in
            trees.prefix(treeCount ?? trees.count).map { BinnedTreeWalker($0, missingBins: missing.baseAddress!) }
        }
        return matrix.bins.withUnsafeBufferPointer { bins in
            let binsBase = BoostingSharedPointer(UnsafeMutablePointer(mutating: bins.baseAddress!))
            return scores(rowCount: rowCount, treeCount: walkers.count) { t, block, out in
                walkers[t].addValues(count: block.count, rowAt: { block.lowerBound + $0 }, bins: binsBase.base,
                                     columnLength: rowCount, scores: out)
            }
        }
    }

    /// `initialScore` plus every used tree's values for every row, where `addTree(t, block, scores)` adds
    /// tree `t`'s value to `scores[r]` for each row `r` of `block`: rows in parallel chunks, within a chunk
    /// blocks of 256 rows with the trees in the outer loop (the tree stays in cache); each row adds the
    /// trees in order, so the chunking never changes a score.
    @inline(__always)
    private func scores(rowCount: Int, treeCount: Int,
                        addTree: (_ tree: Int, _ block: Range<Int>, _ scores: UnsafeMutablePointer<Double>) -> Void) -> [Double] {
        var scores = [Double](repeating: initialScore, count: rowCount)
        guard rowCount > 0 else { return scores }
        let threads = rowCount * max(1, treeCount) >= 20_000 ? parameters.resolvedThreadCount : 1
        scores.withUnsafeMutableBufferPointer { output in
            let out = BoostingSharedPointer(output.baseAddress!)
            parallelForEachChunk(count: rowCount, chunkCount: threads * 4) { _, rows in
                var blockStart = rows.lowerBound
                while blockStart < rows.upperBound {
                    let blockEnd = min(blockStart + 256, rows.upperBound)
                    for t in 0 ..< treeCount { addTree(t, blockStart ..< blockEnd, out.base) }
                    blockStart = blockEnd
                }
            }
        }
        return scores
    }

    /// P(y = 1) for each row binned by this model's mapper (see ``predictRawScores(binned:treeCount:)``).
    public func predictProbability(binned: BinnedDataset) throws -> [Double] {
        try predictRawScores(binned: binned).map(BinaryLogLoss.probability(score:))
    }

    /// P(y = 1) for each row.
    public func predictProbability(_ features: DenseMatrix) -> [Double] {
        predictRawScores(features).map(BinaryLogLoss.probability(score:))
    }

    /// Like `predictProbability`, but throws instead of trapping when the column count is wrong.
    public func validatedProbabilities(_ features: DenseMatrix) throws -> [Double] {
        guard features.columnCount == featureCount else {
            throw GradientBoostingError.invalidInput(
                "matrix has \(features.columnCount) columns, model expects \(featureCount) (\(featureNames.prefix(3).joined(separator: ", "))…)")
        }
        return predictProbability(features)
    }

    /// Per-feature split counts or total split gains over the kept trees.
    public func featureImportance(_ kind: TreeImportanceKind) -> [Double] {
        var importance = [Double](repeating: 0, count: featureCount)
        for tree in trees {
            for (i, f) in tree.splitFeatures.enumerated() {
                importance[f] += kind == .split ? 1 : tree.splitGains[i]
            }
        }
        return importance
    }

    /// The model as JSON.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(self)
    }

    /// Loads a model saved by `jsonData()`, checking its structure.
    public init(jsonData: Data) throws {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let model: GradientBoostingModel
        do {
            model = try decoder.decode(GradientBoostingModel.self, from: jsonData)
        } catch {
            throw GradientBoostingError.invalidModel("cannot decode JSON: \(error)")
        }
        guard model.formatVersion == Self.currentFormatVersion else {
            throw GradientBoostingError.invalidModel(
                "format version \(model.formatVersion), this build reads \(Self.currentFormatVersion)")
        }
        guard model.initialScore.isFinite else { throw GradientBoostingError.invalidModel("initial score is not finite") }
        guard model.binMapper.featureCount == model.featureCount else {
            throw GradientBoostingError.invalidModel(
                "\(model.binMapper.featureCount) binned features for \(model.featureCount) feature names")
        }
        for (i, tree) in model.trees.enumerated() { try tree.validate(featureCount: model.featureCount, index: i) }
        self = model
    }
}
