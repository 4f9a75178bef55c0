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

    @inline(__always)
    static func sigmoid(_ score: Double) -> Double { 1 / (1 + exp(-score)) }

    /// Log-loss gradient and hessian with respect to the raw score, for label `y ∈ {0, 1}`.
    @inline(__always)
    static func logLossDerivatives(score: Double, label: Double) -> (gradient: Double, hessian: Double) {
        let p = sigmoid(score)
        return (p - label, p * (1 - p))
    }

    /// Mean log-loss of raw scores (computed stably from the scores).
    static func meanLogLoss(scores: [Double], labels: [UInt8]) -> Double {
        var total = 0.0
        for (s, y) in zip(scores, labels) {
            // −log σ(s) = softplus(−s); −log(1 − σ(s)) = softplus(s).
            let z = y == 1 ? -s : s
            total += z > 0 ? z + log1p(exp(-z)) : log1p(exp(z))
        }
        return total / Double(max(1, scores.count))
    }

    static func checkLabels(_ labels: [UInt8], rowCount: Int, name: String) throws {
        guard labels.count == rowCount else {
            throw GradientBoostingError.invalidInput("\(name): \(labels.count) labels for \(rowCount) rows")
        }
        if let bad = labels.firstIndex(where: { $0 > 1 }) {
            throw GradientBoostingError.invalidInput("\(name): label at row \(bad) is \(labels[bad]); labels must be 0 or 1")
        }
    }

    /// Fits the ensemble. With `validation`, records the validation log-loss per round and, if
    /// `earlyStoppingRounds` is set, stops when it has not improved for that many rounds and keeps
    /// the trees up to the best round.
    public func fit(features: DenseMatrix, labels: [UInt8],
                    validation: (features: DenseMatrix, labels: [UInt8])? = nil) throws -> GradientBoostingModel {
        let rowCount = features.rowCount
        let featureCount = features.columnCount
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
        if let validation {
            guard validation.features.columnCount == featureCount else {
                throw GradientBoostingError.invalidInput(
                    "validation matrix has \(validation.features.columnCount) columns, training has \(featureCount)")
            }
            try Self.checkLabels(validation.labels, rowCount: validation.features.rowCount, name: "validation set")
            if let (row, column) = BinMapper.firstInfiniteValue(validation.features) {
                throw GradientBoostingError.invalidInput(
                    "validation feature '\(validation.features.columnNames[column])' (column \(column)) is infinite at row \(row)")
            }
        }
        if parameters.earlyStoppingRounds != nil && validation == nil {
            throw GradientBoostingError.invalidParameter("earlyStoppingRounds is set but no validation set was given")
        }

        let threads = parameters.resolvedThreadCount
        let binMapper = try BinMapper(fitting: features, maxBinCount: parameters.maxBinCount,
                                      seed: parameters.seed, threadCount: threads)
        // The grower keeps its own copy of the bins; the temporary matrix is released right away.
        let pool = WorkerPool(threadCount: threads)
        defer { pool.shutdown() }
        let (grower, usableFeatures) = try {
            let binned = try binMapper.transform(features, threadCount: threads)
            let (info, usable) = Self.featureSplitInfo(binned, binMapper: binMapper, minDataInLeaf: parameters.minDataInLeaf)
            return (TreeGrower(binned: binned, binMapper: binMapper, featureInfo: info, parameters: parameters, pool: pool),
                    usable)
        }()
        var generator = SplitMix64(seed: parameters.seed)

        let prior = Double(positiveCount) / Double(rowCount)
        let initialScore = log(prior / (1 - prior))
        var scores = [Double](repeating: initialScore, count: rowCount)
        var gradients = [Float](repeating: 0, count: rowCount)
        var hessians = [Float](repeating: 0, count: rowCount)

        let validationBinned = try validation.map { try binMapper.transform($0.features, threadCount: threads) }
        var validationScores = [Double](repeating: initialScore, count: validation?.features.rowCount ?? 0)
        var validationLossHistory: [Double] = []
        var bestLoss = Double.infinity
        var bestIteration = 0

        var trees: [RegressionTree] = []
        var bagRows: [Int32]? = nil
        var outOfBagRows: [Int32] = []
        let useBagging = parameters.baggingFrequency > 0 && parameters.baggingFraction < 1
        // LightGBM's counts: the bag is `⌊fraction × rows⌋`; a tree samples `round(fraction × usable)`
        // (at least two) of the usable features.
        let bagSize = max(1, Int(Double(rowCount) * parameters.baggingFraction))
        let sampledFeatureCount = max(Int(Double(usableFeatures.count) * parameters.featureFraction + 0.5),
                                      min(2, usableFeatures.count))

        for round in 0 ..< parameters.roundCount {
            Self.computeDerivatives(scores: scores, labels: labels, gradients: &gradients, hessians: &hessians,
                                    pool: pool)
            if useBagging && round % parameters.baggingFrequency == 0 {
                let bag = generator.sampleSequentially(bagSize, from: rowCount)
                bagRows = bag
                outOfBagRows = Self.complement(of: bag, rowCount: rowCount)
            }
            let treeFeatures = sampledFeatureCount < usableFeatures.count
                ? generator.sample(sampledFeatureCount, from: usableFeatures.count).map { usableFeatures[$0] }
                : usableFeatures
            let grown = gradients.withUnsafeBufferPointer { g in
                hessians.withUnsafeBufferPointer { h in
                    grower.grow(bagRows: bagRows, features: treeFeatures, gradients: g.baseAddress!, hessians: h.baseAddress!)
                }
            }
            if grown.tree.splitCount == 0 {
                // No split qualifies. Without sampling nothing will change, so stop (as LightGBM does);
                // with feature or row sampling another round may draw a splittable sample.
                if treeFeatures.count == usableFeatures.count && bagRows == nil { break }
                continue
            }
            trees.append(grown.tree)

            // Training scores: in-bag rows from the leaf segments, out-of-bag rows by traversal.
            Self.addLeafValues(grown, rowIndices: grower.rowIndices, pool: pool, to: &scores)
            if bagRows != nil && !outOfBagRows.isEmpty {
                Self.addTreeScores(grown.tree, bins: grower.binsPointer, rowCount: rowCount, rows: outOfBagRows,
                                   missingBins: grower.missingBins, pool: pool, to: &scores)
            }
            if let validation, let validationBinned {
                validationBinned.bins.withUnsafeBufferPointer { vb in
                    Self.addTreeScores(grown.tree, bins: vb.baseAddress!, rowCount: validationBinned.rowCount,
                                       missingBins: validationBinned.missingBins, pool: pool,
                                       to: &validationScores)
                }
                let loss = Self.meanLogLoss(scores: validationScores, labels: validation.labels)
                validationLossHistory.append(loss)
                if loss < bestLoss { bestLoss = loss; bestIteration = trees.count }
                if let patience = parameters.earlyStoppingRounds, trees.count - bestIteration >= patience { break }
            }
        }
        let trainedRoundCount = trees.count
        if validation == nil || parameters.earlyStoppingRounds == nil { bestIteration = trees.count }
        return GradientBoostingModel(
            parameters: parameters, featureNames: features.columnNames, initialScore: initialScore,
            trees: Array(trees.prefix(bestIteration)), trainedRoundCount: trainedRoundCount,
            bestIteration: bestIteration, validationLossHistory: validationLossHistory, binMapper: binMapper)
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

    static func computeDerivatives(scores: [Double], labels: [UInt8], gradients: inout [Float], hessians: inout [Float],
                                   pool: WorkerPool) {
        let n = scores.count
        gradients.withUnsafeMutableBufferPointer { gBuffer in
            hessians.withUnsafeMutableBufferPointer { hBuffer in
                let g = BoostingSharedPointer(gBuffer.baseAddress!)
                let h = BoostingSharedPointer(hBuffer.baseAddress!)
                scores.withUnsafeBufferPointer { s in
                    labels.withUnsafeBufferPointer { y in
                        let sp = BoostingSharedPointer(UnsafeMutablePointer(mutating: s.baseAddress!))
                        let yp = BoostingSharedPointer(UnsafeMutablePointer(mutating: y.baseAddress!))
                        pool.forEachChunk(count: n, chunkCount: n >= 50_000 ? pool.threadCount : 1) { _, range in
                            for i in range {
                                let p = 1 / (1 + exp(-sp.base[i]))
                                g.base[i] = Float(p - Double(yp.base[i]))
                                h.base[i] = Float(p * (1 - p))
                            }
                        }
                    }
                }
            }
        }
    }

    /// The rows of `0 ..< rowCount` not in the ascending list `rows`.
    static func complement(of rows: [Int32], rowCount: Int) -> [Int32] {
        var result = [Int32]()
        result.reserveCapacity(rowCount - rows.count)
        var next = 0
        for r in rows {
            while next < Int(r) { result.append(Int32(next)); next += 1 }
            next = Int(r) + 1
        }
        while next < rowCount { result.append(Int32(next)); next += 1 }
        return result
    }

    /// Adds each leaf's value to the scores of its rows. The leaves' segments tile `rowIndices`, which
    /// is cut into equal position ranges (balanced whatever the leaf sizes); rows are disjoint.
    static func addLeafValues(_ grown: TreeGrower.GrownTree, rowIndices: UnsafeMutablePointer<Int32>, pool: WorkerPool,
                              to scores: inout [Double]) {
        let rowCount = grown.leafRowCounts.reduce(0, +)
        let indices = BoostingSharedPointer(rowIndices)
        // Leaf of each segment, ordered by position.
        let order = (0 ..< grown.tree.leafCount).sorted { grown.leafBegins[$0] < grown.leafBegins[$1] }
        let begins = order.map { grown.leafBegins[$0] }
        let values = order.map { grown.tree.leafValues[$0] }
        scores.withUnsafeMutableBufferPointer { s in
            let out = BoostingSharedPointer(s.baseAddress!)
            pool.forEachChunk(count: rowCount, chunkCount: rowCount >= 50_000 ? pool.threadCount : 1) { _, range in
                // First segment containing range.lowerBound.
                var k = 0
                while k + 1 < begins.count && begins[k + 1] <= range.lowerBound { k += 1 }
                var i = range.lowerBound
                while i < range.upperBound {
                    let end = min(range.upperBound, k + 1 < begins.count ? begins[k + 1] : rowCount)
                    let value = values[k]
                    while i < end { out.base[Int(indices.base[i])] += value; i += 1 }
                    k += 1
                }
            }
        }
    }

    /// Adds the tree's value to the scores of `rows` (ascending), by traversal of the binned rows.
    static func addTreeScores(_ tree: RegressionTree, bins: UnsafePointer<UInt8>, rowCount: Int, rows: [Int32],
                              missingBins: [UInt8], pool: WorkerPool, to scores: inout [Double]) {
        scores.withUnsafeMutableBufferPointer { s in
            let out = BoostingSharedPointer(s.baseAddress!)
            missingBins.withUnsafeBufferPointer { m in
                rows.withUnsafeBufferPointer { rowBuffer in
                    let missing = BoostingSharedPointer(UnsafeMutablePointer(mutating: m.baseAddress!))
                    let list = BoostingSharedPointer(UnsafeMutablePointer(mutating: rowBuffer.baseAddress!))
                    let binsPointer = BoostingSharedPointer(UnsafeMutablePointer(mutating: bins))
                    pool.forEachChunk(count: rows.count, chunkCount: rows.count >= 20_000 ? pool.threadCount : 1) { _, range in
                        for i in range {
                            let r = Int(list.base[i])
                            let leaf = tree.leaf(binnedRow: r, bins: binsPointer.base, rowCount: rowCount, missingBins: missing.base)
                            out.base[r] += tree.leafValues[leaf]
                        }
                    }
                }
            }
        }
    }

    static func addTreeScores(_ tree: RegressionTree, bins: UnsafePointer<UInt8>, rowCount: Int, missingBins: [UInt8],
                              pool: WorkerPool, to scores: inout [Double]) {
        scores.withUnsafeMutableBufferPointer { s in
            let out = BoostingSharedPointer(s.baseAddress!)
            missingBins.withUnsafeBufferPointer { m in
                let missing = BoostingSharedPointer(UnsafeMutablePointer(mutating: m.baseAddress!))
                let binsPointer = BoostingSharedPointer(UnsafeMutablePointer(mutating: bins))
                pool.forEachChunk(count: rowCount, chunkCount: rowCount >= 20_000 ? pool.threadCount : 1) { _, range in
                    for r in range {
                        let leaf = tree.leaf(binnedRow: r, bins: binsPointer.base, rowCount: rowCount, missingBins: missing.base)
                        out.base[r] += tree.leafValues[leaf]
                    }
                }
            }
        }
    }
}
