import Core
import Foundation

/// Histogram gradient boosting for binary classification (LightGBM's algorithm: binned features,
/// leaf-wise trees, histogram subtraction), minimising log-loss.
///
/// Round `m` fits a tree to the gradient `g = p − y` and hessian `h = p(1 − p)` of the log-loss at
/// the current scores (Newton step per leaf: `−G / (H + λ₂)`, shrunk by the learning rate); the
/// scores start at the log-odds of the training prior. Friedman (2001); Ke et al., LightGBM (NIPS 2017).
public struct GradientBoostingClassifier: Sendable {
    public let parameters: GradientBoostingParameters

    /// Validates `parameters` (throws `GradientBoostingError.invalidParameter` naming the bad value).
    public init(parameters: GradientBoostingParameters = GradientBoostingParameters()) throws {
        try parameters.validate()
        self.parameters = parameters
    }

    static func checkLabels(_ labels: [UInt8], rowCount: Int, name: String) throws {
        guard labels.count == rowCount else {
            throw GradientBoostingError.invalidInput("\(name): \(labels.count) labels for \(rowCount) rows")
        }
        if let bad = labels.firstIndex(where: { $0 > 1 }) {
            throw GradientBoostingError.invalidInput("\(name): label at row \(bad) is \(labels[bad]); labels must be 0 or 1")
        }
    }

    /// Fits the ensemble: bins `features` (a mapper fitted on them) and fits on the bins. With
    /// `validation`, records the validation log-loss per round and, if `earlyStoppingRounds` is set,
    /// stops when it has not improved for that many rounds and keeps the trees up to the best round.
    public func fit(features: DenseMatrix, labels: [UInt8],
                    validation: (features: DenseMatrix, labels: [UInt8])? = nil) throws -> GradientBoostingModel {
        try checkInputs(features: features, labels: labels, validation: validation)
        let threads = parameters.resolvedThreadCount
        let binned = try BinnedDataset(fitting: features, maxBinCount: parameters.maxBinCount, seed: parameters.seed,
                                       threadCount: threads)
        let binnedValidation = try validation.map { validation in
            (binned: try BinnedDataset(binning: validation.features, with: binned.binMapper, threadCount: threads),
             labels: validation.labels)
        }
        return try fit(binned: binned, labels: labels, validation: binnedValidation)
    }

    /// Fits the ensemble on rows already binned (e.g. a fold's rows selected from bins fitted once on
    /// every training row). The model keeps `binned.binMapper`; its raw thresholds are that mapper's
    /// bounds, so it predicts the same from raw values as from bins made by the same mapper. The
    /// validation rows must be binned by the same mapper. The grower keeps its own copy of the bins, so
    /// a dataset handed over (a temporary, e.g. a fold's selection) is released before the rounds run.
    public func fit(binned: consuming BinnedDataset, labels: [UInt8],
                    validation: (binned: BinnedDataset, labels: [UInt8])? = nil) throws -> GradientBoostingModel {
        let positiveCount = try checkInputs(binned: binned, labels: labels, validation: validation)
        let threads = parameters.resolvedThreadCount
        let binMapper = binned.binMapper
        let (info, usableFeatures) = Self.featureSplitInfo(binned.matrix, binMapper: binMapper,
                                                           minDataInLeaf: parameters.minDataInLeaf)
        let pool = WorkerPool(threadCount: TreeGrower.usefulThreadCount(threads, rowCount: binned.rowCount,
                                                                        featureCount: usableFeatures.count))
        let grower = TreeGrower(binned: binned.matrix, binMapper: binMapper, featureInfo: info, parameters: parameters, pool: pool)
        defer { grower.pool.shutdown() }
        let initialScore = BinaryLogLoss.initialScore(positiveCount: positiveCount, rowCount: binned.rowCount)
        let columnNames = binned.columnNames
        _ = consume binned
        let watcher = validation.map { validation in
            ValidationWatcher(binned: validation.binned.matrix, labels: validation.labels, initialScore: initialScore,
                              patience: parameters.earlyStoppingRounds)
        }
        var rounds = BoostingRounds(parameters: parameters, grower: grower, usableFeatures: usableFeatures,
                                    labels: labels, initialScore: initialScore, validation: watcher)
        rounds.run()
        return GradientBoostingModel(
            parameters: parameters, featureNames: columnNames, initialScore: initialScore,
            trees: Array(rounds.trees.prefix(rounds.keptTreeCount)), trainedRoundCount: rounds.trees.count,
            bestIteration: rounds.keptTreeCount, validationLossHistory: rounds.validation?.lossHistory ?? [],
            binMapper: binMapper)
    }

    /// Checks the raw training and validation input.
    private func checkInputs(features: DenseMatrix, labels: [UInt8],
                             validation: (features: DenseMatrix, labels: [UInt8])?) throws {
        try checkTrainingShape(rowCount: features.rowCount, featureCount: features.columnCount, labels: labels)
        if let validation {
            guard validation.features.columnCount == features.columnCount else {
                throw GradientBoostingError.invalidInput(
                    "validation matrix has \(validation.features.columnCount) columns, training has \(features.columnCount)")
            }
            try Self.checkLabels(validation.labels, rowCount: validation.features.rowCount, name: "validation set")
            if let (row, column) = BinMapper.firstInfiniteValue(validation.features) {
                throw GradientBoostingError.invalidInput(
                    "validation feature '\(validation.features.columnNames[column])' (column \(column)) is infinite at row \(row)")
            }
        }
        try checkEarlyStopping(hasValidation: validation != nil)
    }

    /// Checks the binned training and validation input; returns the number of positive training labels.
    private func checkInputs(binned: BinnedDataset, labels: [UInt8],
                             validation: (binned: BinnedDataset, labels: [UInt8])?) throws -> Int {
        let positiveCount = try checkTrainingShape(rowCount: binned.rowCount, featureCount: binned.columnCount, labels: labels)
        guard binned.binMapper.maxBinCount == parameters.maxBinCount else {
            throw GradientBoostingError.invalidInput(
                "the dataset was binned with at most \(binned.binMapper.maxBinCount) bins, maxBinCount is \(parameters.maxBinCount)")
        }
        if let validation {
            guard validation.binned.binMapper == binned.binMapper else {
                throw GradientBoostingError.invalidInput("the validation rows were binned by another mapper than the training rows")
            }
            try Self.checkLabels(validation.labels, rowCount: validation.binned.rowCount, name: "validation set")
        }
        try checkEarlyStopping(hasValidation: validation != nil)
        return positiveCount
    }

    /// Checks the training matrix's size and labels; returns the number of positive labels.
    @discardableResult
    private func checkTrainingShape(rowCount: Int, featureCount: Int, labels: [UInt8]) throws -> Int {
        guard rowCount > 0 else { throw GradientBoostingError.invalidInput("training matrix has no rows") }
        guard featureCount > 0 else { throw GradientBoostingError.invalidInput("training matrix has no columns") }
        guard rowCount < Int(Int32.max) else {
            throw GradientBoostingError.invalidInput("training matrix has \(rowCount) rows; at most \(Int32.max - 1) are supported")
        }
        try Self.checkLabels(labels, rowCount: rowCount, name: "training set")
        let positiveCount = labels.reduce(0) { $0 + Int($1) }
        guard positiveCount > 0 && positiveCount < rowCount else {
            throw GradientBoostingError.invalidInput(
                "training labels contain only one class (\(positiveCount) positive of \(rowCount))")
        }
        return positiveCount
    }

    private func checkEarlyStopping(hasValidation: Bool) throws {
        if parameters.earlyStoppingRounds != nil && !hasValidation {
            throw GradientBoostingError.invalidParameter("earlyStoppingRounds is set but no validation set was given")
        }
    }

    /// Per feature: its missing bin, whether training had missing values, whether bin 0 is the most
    /// frequent (LightGBM's rule: the most frequent bin, or the bin of zero unless that one holds under
    /// 70 % of the rows (`kSparseThreshold`)); and the features kept by LightGBM's `feature_pre_filter` — those with a
    /// threshold leaving `minDataInLeaf` rows on each side.
    static func featureSplitInfo(_ binned: BinnedMatrix, binMapper: BinMapper,
                                 minDataInLeaf: Int) -> ([FeatureSplitInfo], [Int]) {
        var info = [FeatureSplitInfo]()
        var usable = [Int]()
        let rowCount = binned.rowCount
        binned.bins.withUnsafeBufferPointer { bins in
            for f in 0 ..< binned.featureCount {
                let missingBin = Int(binned.missingBins[f])
                var counts = [Int](repeating: 0, count: missingBin + 1)
                let column = bins.baseAddress! + f * rowCount
                for r in 0 ..< rowCount { counts[Int(column[r])] += 1 }
                let hasMissing = counts[missingBin] > 0
                let binCount = missingBin + (hasMissing ? 1 : 0)
                var mostFrequent = 0
                for b in 0 ..< binCount where counts[b] > counts[mostFrequent] { mostFrequent = b }
                let zeroBin = binMapper.bin(of: 0, feature: f)
                if mostFrequent != zeroBin && Double(counts[mostFrequent]) / Double(max(1, rowCount)) < 0.7 {
                    mostFrequent = zeroBin
                }
                info.append(FeatureSplitInfo(missingBin: missingBin, hasMissing: hasMissing,
                                             mostFrequentBinIsZero: mostFrequent == 0))
                var left = 0
                var splittable = false
                for b in 0 ..< max(0, binCount - 1) {
                    left += counts[b]
                    if left >= minDataInLeaf && rowCount - left >= minDataInLeaf { splittable = true; break }
                }
                if binCount > 1 && splittable { usable.append(f) }
            }
        }
        return (info, usable)
    }
}
