import Core
import Foundation

/// Row bagging (LightGBM's `bagging_fraction` / `bagging_freq`): every `frequency` rounds a new bag
/// of `⌊fraction × rows⌋` rows, drawn in one ascending pass; the rows outside it are kept too, since
/// their scores are updated by traversal.
struct RowBagging {
    let isActive: Bool
    let frequency: Int
    let bagSize: Int
    let rowCount: Int
    /// The current bag (ascending), nil while every row is used.
    private(set) var bagRows: [Int32]?
    private(set) var outOfBagRows: [Int32] = []

    init(parameters: GradientBoostingParameters, rowCount: Int) {
        isActive = parameters.baggingFrequency > 0 && parameters.baggingFraction < 1
        frequency = parameters.baggingFrequency
        bagSize = max(1, Int(Double(rowCount) * parameters.baggingFraction))
        self.rowCount = rowCount
    }

    /// Draws a new bag when `round` is a bagging round.
    mutating func resample(round: Int, generator: inout SplitMix64) {
        guard isActive && round % frequency == 0 else { return }
        let bag = generator.sampleSequentially(bagSize, from: rowCount)
        bagRows = bag
        outOfBagRows = Self.complement(of: bag, rowCount: rowCount)
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
}

/// Feature sampling per tree (LightGBM's `feature_fraction`): `round(fraction × usable)` of the usable
/// features, at least two, drawn for every tree.
struct FeatureSampling {
    let usableFeatures: [Int]
    let sampledCount: Int

    init(usableFeatures: [Int], fraction: Double) {
        self.usableFeatures = usableFeatures
        sampledCount = max(Int(Double(usableFeatures.count) * fraction + 0.5), min(2, usableFeatures.count))
    }

    /// Whether trees see fewer than every usable feature.
    var isActive: Bool { sampledCount < usableFeatures.count }

    /// The features of the next tree, ascending.
    func features(generator: inout SplitMix64) -> [Int] {
        guard isActive else { return usableFeatures }
        return generator.sample(sampledCount, from: usableFeatures.count).map { usableFeatures[$0] }
    }
}

/// The validation set's scores after each tree, its log-loss per round and early stopping.
struct ValidationWatcher {
    let binned: BinnedMatrix
    let labels: [UInt8]
    /// Stop after this many rounds without improvement; nil never stops.
    let patience: Int?
    private(set) var scores: [Double]
    private(set) var lossHistory: [Double] = []
    private var bestLoss = Double.infinity
    /// Trees in the ensemble at the lowest loss so far.
    private(set) var bestTreeCount = 0

    init(binned: BinnedMatrix, labels: [UInt8], initialScore: Double, patience: Int?) {
        self.binned = binned
        self.labels = labels
        self.patience = patience
        scores = [Double](repeating: initialScore, count: binned.rowCount)
    }

    /// Adds the ensemble's newest tree (it holds `treeCount` trees now); returns whether to stop.
    mutating func add(_ tree: RegressionTree, treeCount: Int, pool: WorkerPool) -> Bool {
        let binned = binned
        binned.bins.withUnsafeBufferPointer { bins in
            ScoreUpdate.addTreeScores(tree, bins: bins.baseAddress!, rowCount: binned.rowCount, rows: nil,
                                      missingBins: binned.missingBins, pool: pool, to: &scores)
        }
        let loss = BinaryLogLoss.meanLoss(scores: scores, labels: labels)
        lossHistory.append(loss)
        if loss < bestLoss { bestLoss = loss; bestTreeCount = treeCount }
        if let patience, treeCount - bestTreeCount >= patience { return true }
        return false
    }
}

/// The boosting rounds of one fit: each round computes the log-loss derivatives at the current
/// scores, draws the bag (or the gradient-based sample) and the features, grows a tree and adds it to
/// the training (and validation) scores. The generator draws the bag before the features, as LightGBM
/// does; the gradient-based sample has its own per-round generator.
struct BoostingRounds {
    let parameters: GradientBoostingParameters
    let grower: TreeGrower
    let labels: [UInt8]
    private(set) var trees: [RegressionTree] = []
    private(set) var validation: ValidationWatcher?
    private var bagging: RowBagging
    private var gradientSampler: GradientOneSideSampler?
    /// The grower over a compact copy of each gradient-based sample, when the sample is at most half the rows.
    private let compactSample: CompactSampleGrower?
    private let featureSampling: FeatureSampling
    private var generator: SplitMix64
    /// Every training row's raw score after the trees so far (in-sample rows from their leaves, the
    /// others by traversal).
    private(set) var scores: [Double]
    private var gradients: [Float]
    private var hessians: [Float]

    init(parameters: GradientBoostingParameters, grower: TreeGrower, usableFeatures: [Int], labels: [UInt8],
         initialScore: Double, validation: ValidationWatcher?, compactSampleAllowed: Bool = true) {
        self.parameters = parameters
        self.grower = grower
        self.labels = labels
        self.validation = validation
        let rowCount = grower.rowCount
        bagging = RowBagging(parameters: parameters, rowCount: rowCount)
        gradientSampler = parameters.gradientOneSideSampling.map {
            GradientOneSideSampler(sampling: $0, learningRate: parameters.learningRate, rowCount: rowCount,
                                   seed: parameters.seed)
        }
        compactSample = gradientSampler.flatMap { sampler in
            let sampleCount = sampler.topCount + sampler.otherCount
            guard compactSampleAllowed,
                  CompactSampleGrower.isWorthwhile(sampleCount: sampleCount, rowCount: rowCount) else { return nil }
            return CompactSampleGrower(full: grower, sampleCount: sampleCount, parameters: parameters)
        }
        featureSampling = FeatureSampling(usableFeatures: usableFeatures, fraction: parameters.featureFraction)
        generator = SplitMix64(seed: parameters.seed)
        scores = [Double](repeating: initialScore, count: rowCount)
        gradients = [Float](repeating: 0, count: rowCount)
        hessians = [Float](repeating: 0, count: rowCount)
    }

    /// Trees the model keeps: up to the best validation round with early stopping, else all.
    var keptTreeCount: Int {
        guard let validation, validation.patience != nil else { return trees.count }
        return validation.bestTreeCount
    }

    /// Runs the rounds until `roundCount`, early stopping, or a tree that cannot split although
    /// nothing is sampled (then no later round could differ, so it stops, as LightGBM does).
    mutating func run() {
        let pool = grower.pool
        for round in 0 ..< parameters.roundCount {
            BinaryLogLoss.computeDerivatives(scores: scores, labels: labels, gradients: &gradients,
                                             hessians: &hessians, pool: pool)
            bagging.resample(round: round, generator: &generator)
            resampleByGradient(round: round)
            let treeFeatures = featureSampling.features(generator: &generator)
            let rows = treeRows
            let (grown, compactRowIndices) = growTree(rows: rows, features: treeFeatures)
            if grown.tree.splitCount == 0 {
                if !featureSampling.isActive && rows == nil { break }
                continue
            }
            trees.append(grown.tree)
            addToTrainingScores(grown, compactRowIndices: compactRowIndices)
            if validation?.add(grown.tree, treeCount: trees.count, pool: pool) == true { break }
        }
    }

    /// The rows the next tree grows on (ascending): the gradient-based sample or the bag; nil for all.
    private var treeRows: [Int32]? { gradientSampler?.sampledRows ?? bagging.bagRows }

    /// The rows outside `treeRows` (empty when it is nil).
    private var otherRows: [Int32] {
        if let gradientSampler, gradientSampler.sampledRows != nil { return gradientSampler.unsampledRows }
        return bagging.bagRows == nil ? [] : bagging.outOfBagRows
    }

    /// Draws this round's gradient-based sample (when configured), amplifying the drawn rows'
    /// derivatives for this tree; the next round recomputes every derivative from the scores.
    private mutating func resampleByGradient(round: Int) {
        guard gradientSampler != nil else { return }
        gradients.withUnsafeMutableBufferPointer { g in
            hessians.withUnsafeMutableBufferPointer { h in
                gradientSampler!.resample(round: round, gradients: g.baseAddress!, hessians: h.baseAddress!)
            }
        }
    }

    /// Grows the round's tree on `rows` (nil: every row): on the compact copy of a gradient-based
    /// sample when there is one (then also returns the full rows in the compact partition's order).
    private func growTree(rows: [Int32]?, features: [Int]) -> (TreeGrower.GrownTree, [Int32]?) {
        if let compactSample, let rows, gradientSampler?.sampledRows != nil {
            let result = compactSample.grow(rows: rows, from: grower, features: features, gradients: gradients,
                                            hessians: hessians)
            return (result.grown, result.rowIndices)
        }
        let grown = gradients.withUnsafeBufferPointer { g in
            hessians.withUnsafeBufferPointer { h in
                grower.grow(bagRows: rows, features: features, gradients: g.baseAddress!, hessians: h.baseAddress!)
            }
        }
        return (grown, nil)
    }

    /// In-sample rows from the leaf segments, the other rows by traversal.
    private mutating func addToTrainingScores(_ grown: TreeGrower.GrownTree, compactRowIndices: [Int32]?) {
        if let compactRowIndices {
            compactRowIndices.withUnsafeBufferPointer { indices in
                ScoreUpdate.addLeafValues(grown, rowIndices: indices.baseAddress!, pool: grower.pool, to: &scores)
            }
        } else {
            ScoreUpdate.addLeafValues(grown, rowIndices: grower.partition.allIndices, pool: grower.pool, to: &scores)
        }
        let otherRows = otherRows
        if !otherRows.isEmpty {
            otherRows.withUnsafeBufferPointer { rows in
                ScoreUpdate.addTreeScores(grown.tree, bins: grower.binsPointer, rowCount: grower.rowCount, rows: rows,
                                          missingBins: grower.missingBins, pool: grower.pool, to: &scores)
            }
        }
    }
}

/// Adding a new tree's values to running scores.
enum ScoreUpdate {
    /// Rows from which a score update is spread over the pool's threads.
    static let parallelRowThreshold = 20_000

    /// Adds each leaf's value to the scores of its rows. The leaves' segments tile `rowIndices`, which
    /// is cut into equal position ranges (balanced whatever the leaf sizes); rows are disjoint.
    static func addLeafValues(_ grown: TreeGrower.GrownTree, rowIndices: UnsafePointer<Int32>, pool: WorkerPool,
                              to scores: inout [Double]) {
        let rowCount = grown.leafRowCounts.reduce(0, +)
        let indices = BoostingSharedPointer(UnsafeMutablePointer(mutating: rowIndices))
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

    /// Adds the tree's value to the scores of `rows` (every row `0 ..< rowCount` when nil), by
    /// traversal of the binned rows.
    static func addTreeScores(_ tree: RegressionTree, bins: UnsafePointer<UInt8>, rowCount: Int,
                              rows: UnsafeBufferPointer<Int32>?, missingBins: [UInt8], pool: WorkerPool,
                              to scores: inout [Double]) {
        let count = rows?.count ?? rowCount
        let list = rows.map { BoostingSharedPointer(UnsafeMutablePointer(mutating: $0.baseAddress!)) }
        scores.withUnsafeMutableBufferPointer { s in
            let out = BoostingSharedPointer(s.baseAddress!)
            let walker = missingBins.withUnsafeBufferPointer { BinnedTreeWalker(tree, missingBins: $0.baseAddress!) }
            let binsPointer = BoostingSharedPointer(UnsafeMutablePointer(mutating: bins))
            let chunks = count >= parallelRowThreshold ? pool.threadCount : 1
            pool.forEachChunk(count: count, chunkCount: chunks) { _, range in
                if let list {
                    walker.addValues(count: range.count, rowAt: { Int(list.base[range.lowerBound + $0]) }, bins: binsPointer.base,
                                     columnLength: rowCount, scores: out.base)
                } else {
                    walker.addValues(count: range.count, rowAt: { range.lowerBound + $0 }, bins: binsPointer.base,
                                     columnLength: rowCount, scores: out.base)
                }
            }
        }
    }
}
