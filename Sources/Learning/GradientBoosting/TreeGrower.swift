import Core
import Foundation

/// What the grower knows about one leaf of the tree being grown: one value per leaf instead of
/// parallel per-leaf arrays (LightGBM keeps the same in `best_split_per_leaf_`, its histogram pool's
/// leaf-to-slot map and its data partition).
struct LeafState {
    /// Gradient and hessian sums and the true row count of the leaf's rows.
    var sums: NodeSums
    /// Depth of the leaf (the root has depth 0).
    var depth: Int
    /// The internal node that points at the leaf (-1 for the root), and on which side.
    var parentNode: Int
    var isLeftChild: Bool
    /// The best split found for the leaf; nil when it was not searched or nothing qualified.
    var bestSplit: SplitCandidate?
    /// The leaf's histogram in the pool, while it holds one.
    var histogramSlot: Int?
    /// Per feature of the tree, whether it may still split this leaf (LightGBM's `is_splittable`).
    var splittable: [Bool]
}

/// Grows one regression tree leaf-wise (best-first), as LightGBM's `SerialTreeLearner`.
///
/// The leaf with the largest split gain is split next, until `leafCount` leaves, `maxDepth`, or no
/// split with positive gain remains. The rows live in a ``DataPartition``, the leaves' histograms in
/// a ``HistogramPool``; for each split only the smaller child's histogram is built, the larger
/// child's is the parent's minus the smaller's. Buffers are allocated once per fit and reused by
/// every tree.
final class TreeGrower {
    /// A grown tree and, per leaf, its segment of the partition's row indices.
    struct GrownTree {
        var tree: RegressionTree
        var leafBegins: [Int]
        var leafRowCounts: [Int]
    }

    /// What one tree is grown from: the sampled features (ascending) and every row's derivatives.
    struct TreeInputs {
        let features: [Int]
        let gradients: UnsafePointer<Float>
        let hessians: UnsafePointer<Float>
    }

    let rowCount: Int
    let layout: HistogramLayout
    let missingBins: [UInt8]
    let featureInfo: [FeatureSplitInfo]
    let binMapper: BinMapper
    let parameters: GradientBoostingParameters
    let finder: SplitFinder
    /// The fit's threads; every parallel loop of the grower runs on it.
    let pool: WorkerPool
    /// The rows of the current tree, grouped by leaf.
    let partition: DataPartition
    let histograms: HistogramPool

    /// The grower's own copy of the bins (column-major); `CompactSampleGrower` refills a compact copy.
    let bins: UnsafeMutablePointer<UInt8>
    private let orderedGradients: UnsafeMutablePointer<Float>
    private let orderedHessians: UnsafeMutablePointer<Float>
    /// Row-chunk histograms of a large leaf (see ``LeafHistogramBuild``).
    private let histogramScratch: UnsafeMutablePointer<HistogramBin>
    /// Per searched leaf (two at most) and per searched feature: its best split and whether it had a
    /// valid threshold, written by the feature's task and merged in feature order.
    private let featureCandidates: UnsafeMutablePointer<SplitCandidate?>
    private let featureFound: UnsafeMutablePointer<Bool>
    private let searchSlotCount: Int

    init(binned: BinnedMatrix, binMapper: BinMapper, featureInfo: [FeatureSplitInfo], parameters: GradientBoostingParameters,
         pool: WorkerPool) {
        rowCount = binned.rowCount
        layout = HistogramLayout(binMapper: binMapper)
        missingBins = binned.missingBins
        self.featureInfo = featureInfo
        self.binMapper = binMapper
        self.parameters = parameters
        finder = SplitFinder(parameters: parameters)
        self.pool = pool
        partition = DataPartition(rowCapacity: rowCount, leafCapacity: parameters.leafCount)
        histograms = HistogramPool(slotCount: parameters.leafCount, binCount: layout.totalBinCount)
        let binsCopy = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, binned.bins.count))
        binned.bins.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { binsCopy.initialize(from: base, count: source.count) }
        }
        bins = binsCopy
        orderedGradients = .allocate(capacity: max(1, rowCount))
        orderedHessians = .allocate(capacity: max(1, rowCount))
        let scratchCount = (HistogramBuilder.maxChunkCount - 1) * max(1, layout.totalBinCount)
        histogramScratch = .allocate(capacity: scratchCount)
        histogramScratch.initialize(repeating: HistogramBin(), count: scratchCount)
        searchSlotCount = 2 * max(1, binMapper.featureCount)
        featureCandidates = .allocate(capacity: searchSlotCount)
        featureCandidates.initialize(repeating: nil, count: searchSlotCount)
        featureFound = .allocate(capacity: searchSlotCount)
        featureFound.initialize(repeating: false, count: searchSlotCount)
    }

    deinit {
        bins.deallocate()
        orderedGradients.deallocate()
        orderedHessians.deallocate()
        histogramScratch.deallocate()
        featureCandidates.deinitialize(count: searchSlotCount)
        featureCandidates.deallocate()
        featureFound.deallocate()
    }

    var binsPointer: UnsafePointer<UInt8> { UnsafePointer(bins) }

    /// Grows a tree on rows `bagRows` (nil = every row) using only `features` (ascending).
    ///
    /// As LightGBM's `SerialTreeLearner`: after a split both children are searched unless both hold
    /// fewer than `2 × minDataInLeaf` rows (split finding itself uses hessian-estimated counts), and a
    /// feature with no valid threshold in a leaf is not searched again in that leaf's descendants.
    func grow(bagRows: [Int32]?, features: [Int], gradients: UnsafePointer<Float>, hessians: UnsafePointer<Float>) -> GrownTree {
        let inputs = TreeInputs(features: features, gradients: gradients, hessians: hessians)
        partition.reset(bagRows: bagRows)
        histograms.reset()
        var leaves = [searchedRoot(allRowsInOrder: bagRows == nil, inputs: inputs)]
        var tree = RegressionTree(splitFeatures: [], thresholds: [], binThresholds: [], missingGoesLeft: [],
                                  leftChildren: [], rightChildren: [], splitGains: [], leafValues: [], leafCounts: [])
        while leaves.count < parameters.leafCount, let chosen = Self.leafToSplit(leaves) {
            let newLeaf = split(leaf: chosen, leaves: &leaves, tree: &tree)
            if leaves.count >= parameters.leafCount { break }
            searchChildren(of: chosen, newLeaf, leaves: &leaves, inputs: inputs)
        }
        tree.leafValues = leaves.map { finder.leafValue($0.sums) * parameters.learningRate }
        tree.leafCounts = partition.leafRowCounts
        return GrownTree(tree: tree, leafBegins: partition.leafBegins, leafRowCounts: partition.leafRowCounts)
    }

    /// The root, its histogram built and searched when it may split.
    private func searchedRoot(allRowsInOrder: Bool, inputs: TreeInputs) -> LeafState {
        let rootCount = partition.leafRowCounts[0]
        // Root sums over the rows, in row order.
        var sums = NodeSums(sumGradients: 0, sumHessians: 0, count: rootCount)
        let rows = partition.rows(of: 0)
        for i in 0 ..< rootCount {
            let r = Int(rows[i])
            sums.sumGradients += Double(inputs.gradients[r])
            sums.sumHessians += Double(inputs.hessians[r])
        }
        var root = LeafState(sums: sums, depth: 0, parentNode: -1, isLeftChild: false, bestSplit: nil,
                             histogramSlot: histograms.acquire(),
                             splittable: [Bool](repeating: true, count: inputs.features.count))
        if depthAllows(0) && rootCount >= 2 * parameters.minDataInLeaf {
            let histogram = histograms.histogram(root.histogramSlot!)
            buildAndSearch(built: (rows: allRowsInOrder ? nil : rows, count: rootCount, histogram: histogram),
                           derived: nil, searched: [(histogram, sums)], inputs: inputs)
            root.bestSplit = bestCandidate(searchedLeaf: 0, featureCount: inputs.features.count)
            root.splittable = Array(UnsafeBufferPointer(start: featureFound, count: inputs.features.count))
        }
        return root
    }

    /// The leaf to split next: the largest gain; ties go to the lower feature, then the first leaf
    /// (LightGBM's `ArgMax`). Nil when no leaf has a split of positive gain.
    private static func leafToSplit(_ leaves: [LeafState]) -> Int? {
        var chosen: Int?
        var chosenGain = -Double.infinity
        var chosenFeature = Int.max
        for (leaf, state) in leaves.enumerated() {
            guard let split = state.bestSplit else { continue }
            if split.gain > chosenGain || (split.gain == chosenGain && split.feature < chosenFeature) {
                chosen = leaf; chosenGain = split.gain; chosenFeature = split.feature
            }
        }
        guard let chosen, chosenGain > 0 else { return nil }
        return chosen
    }

    /// Splits `leaf` by its best split: a new internal node replaces it in the tree, its rows are
    /// partitioned, it becomes the left child and a new leaf (returned) the right one.
    private func split(leaf chosen: Int, leaves: inout [LeafState], tree: inout RegressionTree) -> Int {
        let split = leaves[chosen].bestSplit!
        let node = tree.splitFeatures.count
        let newLeaf = leaves.count
        tree.splitFeatures.append(split.feature)
        tree.binThresholds.append(split.binThreshold)
        let bound = binMapper.upperBounds[split.feature][split.binThreshold]
        tree.thresholds.append(bound.isFinite ? bound : Double.greatestFiniteMagnitude)
        tree.missingGoesLeft.append(split.missingGoesLeft)
        tree.leftChildren.append(~chosen)
        tree.rightChildren.append(~newLeaf)
        tree.splitGains.append(split.gain)
        let parent = leaves[chosen]
        if parent.parentNode >= 0 {
            if parent.isLeftChild { tree.leftChildren[parent.parentNode] = node } else { tree.rightChildren[parent.parentNode] = node }
        }
        // The children's counts are the true ones from the partition.
        let leftCount = partition.split(leaf: chosen, column: bins + split.feature * rowCount,
                                        threshold: UInt8(split.binThreshold), missingBin: missingBins[split.feature],
                                        missingGoesLeft: split.missingGoesLeft, pool: pool)
        var left = parent, right = parent
        left.sums = split.left; left.sums.count = leftCount
        right.sums = split.right; right.sums.count = parent.sums.count - leftCount
        left.isLeftChild = true
        right.isLeftChild = false
        right.histogramSlot = nil
        left.depth += 1; right.depth += 1
        left.parentNode = node; right.parentNode = node
        left.bestSplit = nil; right.bestSplit = nil
        leaves[chosen] = left
        leaves.append(right)
        return newLeaf
    }

    /// Builds the smaller child's histogram, derives the larger's from the parent's (whose slot it
    /// takes), and searches both; or, when neither child may split, frees the parent's histogram.
    private func searchChildren(of chosen: Int, _ newLeaf: Int, leaves: inout [LeafState], inputs: TreeInputs) {
        let minRows = 2 * parameters.minDataInLeaf
        let leftCount = leaves[chosen].sums.count, rightCount = leaves[newLeaf].sums.count
        let parentSlot = leaves[chosen].histogramSlot!
        if !depthAllows(leaves[chosen].depth) || (leftCount < minRows && rightCount < minRows) {
            histograms.release(parentSlot)
            leaves[chosen].histogramSlot = nil
            return
        }
        // Features still splittable in the parent; the others stay unsplittable in both children.
        let parentFlags = leaves[chosen].splittable
        var childFeatures = [Int]()
        childFeatures.reserveCapacity(inputs.features.count)
        for (i, f) in inputs.features.enumerated() where parentFlags[i] { childFeatures.append(f) }
        // Smaller child built directly (the right one on ties), larger by subtraction from the parent.
        let smaller = leftCount < rightCount ? chosen : newLeaf
        let larger = smaller == chosen ? newLeaf : chosen
        leaves[smaller].histogramSlot = histograms.acquire()
        leaves[larger].histogramSlot = parentSlot
        let searched = [chosen, newLeaf]
        buildAndSearch(
            built: (rows: partition.rows(of: smaller), count: leaves[smaller].sums.count,
                    histogram: histograms.histogram(leaves[smaller].histogramSlot!)),
            derived: histograms.histogram(parentSlot),
            searched: searched.map { (histograms.histogram(leaves[$0].histogramSlot!), leaves[$0].sums) },
            inputs: TreeInputs(features: childFeatures, gradients: inputs.gradients, hessians: inputs.hessians))
        for (k, leaf) in searched.enumerated() {
            leaves[leaf].bestSplit = bestCandidate(searchedLeaf: k, featureCount: childFeatures.count)
            setSplittable(&leaves[leaf].splittable, searched: childFeatures, searchedLeaf: k, allFeatures: inputs.features)
        }
    }

    /// The best split of searched leaf `k` of the last search: the first feature in search order wins
    /// ties, as in LightGBM.
    private func bestCandidate(searchedLeaf k: Int, featureCount: Int) -> SplitCandidate? {
        var best: SplitCandidate?
        for i in 0 ..< featureCount {
            if let candidate = featureCandidates[k * featureCount + i], candidate.gain > (best?.gain ?? -.infinity) {
                best = candidate
            }
        }
        return best
    }

    /// Records which of the tree's features (`allFeatures`) still split a leaf: the searched ones that
    /// found a threshold in search `k`; the others no longer.
    private func setSplittable(_ splittable: inout [Bool], searched: [Int], searchedLeaf k: Int, allFeatures: [Int]) {
        let found = featureFound + k * searched.count
        var j = 0
        for (i, f) in allFeatures.enumerated() {
            if j < searched.count && searched[j] == f { splittable[i] = found[j]; j += 1 } else { splittable[i] = false }
        }
    }

    private func depthAllows(_ depth: Int) -> Bool {
        if let maxDepth = parameters.maxDepth, depth >= maxDepth { return false }
        return true
    }

    /// Work units (rows × features to accumulate plus bins to scan) below which a split's histogram and
    /// search run on the caller's thread. A job on the pool costs about a thousand units when the
    /// workers are spinning, but it waits for every worker to acknowledge it, and on a machine busy with
    /// other work a descheduled worker makes that a whole time slice: measured alternately at 2 threads
    /// under load, 4,096 made breast_cancer 2.1× and higgs 1.6× slower than serial, 65,536 only 1.1×.
    static let parallelWorkThreshold = 65_536

    /// Threads worth starting for a fit: none besides the caller's when even the root's histogram
    /// (every row × every usable feature) is below ``parallelWorkThreshold``, since no job would use them.
    static func usefulThreadCount(_ threadCount: Int, rowCount: Int, featureCount: Int) -> Int {
        rowCount * featureCount >= parallelWorkThreshold ? threadCount : 1
    }

    /// Builds the histogram of the `built` leaf's rows over the inputs' features; when `derived` (the
    /// parent's histogram) is given, turns it into the sibling's by subtraction; then searches each
    /// `searched` leaf (histogram and sums). Per feature all of this is one task, so the features run
    /// in parallel and each is touched once while in cache. Leaves each searched leaf's per-feature
    /// candidates and valid-threshold flags in `featureCandidates` / `featureFound`.
    private func buildAndSearch(
        built: (rows: UnsafePointer<Int32>?, count: Int, histogram: UnsafeMutablePointer<HistogramBin>),
        derived: UnsafeMutablePointer<HistogramBin>?, searched: [(UnsafeMutablePointer<HistogramBin>, NodeSums)],
        inputs: TreeInputs
    ) {
        let features = inputs.features
        let featureCount = features.count
        let binsToScan = layout.totalBinCount * featureCount / max(1, featureInfo.count)
        let chunkCount = HistogramBuilder.chunkCount(rowCount: built.count, featureCount: featureCount)
        let work = (chunkCount > 1 ? binsToScan * chunkCount : built.count * featureCount) + searched.count * binsToScan
        let parallel = pool.workerCount > 0 && work >= Self.parallelWorkThreshold
        let rowsInParallel = pool.workerCount > 0 && built.count * featureCount >= Self.parallelWorkThreshold
        let leafHistogram = LeafHistogramBuild(
            binned: bins, rowCount: rowCount, layout: layout, features: features, rows: built.rows, count: built.count,
            gradients: inputs.gradients, hessians: inputs.hessians, orderedGradients: orderedGradients,
            orderedHessians: orderedHessians, scratch: histogramScratch, pool: rowsInParallel ? pool : nil,
            into: built.histogram)
        let taskCount = parallel ? min(featureCount, 4 * pool.threadCount) : 1
        let offsets = layout.offsets
        let candidates = featureCandidates, flags = featureFound
        let finder = finder, featureInfo = featureInfo
        let searchFeatures = { (task: Int) in
            for i in chunkRange(task, of: taskCount, in: featureCount) {
                let f = features[i]
                let offset = offsets[f]
                leafHistogram.finish(feature: f)
                if let derived {
                    HistogramBuilder.subtract(built.histogram + offset, from: derived + offset, binCount: offsets[f + 1] - offset)
                }
                for (k, leaf) in searched.enumerated() {
                    let (candidate, found) = finder.bestSplit(feature: f, histogram: leaf.0 + offset, info: featureInfo[f],
                                                              parent: leaf.1)
                    candidates[k * featureCount + i] = candidate
                    flags[k * featureCount + i] = found
                }
            }
        }
        if taskCount > 1 { pool.run(taskCount: taskCount, searchFeatures) } else { searchFeatures(0) }
    }
}
