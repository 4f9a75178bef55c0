import Core
import Foundation

/// Grows one regression tree leaf-wise (best-first), as LightGBM's `SerialTreeLearner`.
///
/// The rows of each leaf are a contiguous segment of one index array, split in place (stable)
/// when the leaf splits. The leaf with the largest split gain is split next, until `leafCount`
/// leaves, `maxDepth`, or no split with positive gain remains. For each split only the smaller
/// child's histogram is built; the larger child's is the parent's minus the smaller's.
/// Buffers are allocated once per fit and reused by every tree.
final class TreeGrower {
    struct GrownTree {
        var tree: RegressionTree
        /// Per leaf, its segment of `rowIndices`.
        var leafBegins: [Int]
        var leafRowCounts: [Int]
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

    private let bins: UnsafeMutablePointer<UInt8>
    /// Rows of the current tree, grouped by leaf.
    let rowIndices: UnsafeMutablePointer<Int32>
    private let partitionScratch: UnsafeMutablePointer<Int32>
    private let orderedGradients: UnsafeMutablePointer<Float>
    private let orderedHessians: UnsafeMutablePointer<Float>
    private let histogramPool: UnsafeMutablePointer<HistogramBin>
    /// Row-chunk histograms of a large leaf (see ``HistogramBuilder/buildRowChunks``).
    private let histogramScratch: UnsafeMutablePointer<HistogramBin>
    /// Per searched leaf (two at most) and per searched feature: its best split and whether it had a
    /// valid threshold, written by the feature's task and merged in feature order.
    private let featureCandidates: UnsafeMutablePointer<SplitCandidate?>
    private let featureFound: UnsafeMutablePointer<Bool>

    /// Rows × 1 below which a leaf is partitioned on one thread.
    static let parallelPartitionThreshold = 40_000

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
        let n = max(1, rowCount)
        let binsCopy = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, binned.bins.count))
        binned.bins.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { binsCopy.initialize(from: base, count: source.count) }
        }
        bins = binsCopy
        rowIndices = .allocate(capacity: n)
        partitionScratch = .allocate(capacity: n)
        orderedGradients = .allocate(capacity: n)
        orderedHessians = .allocate(capacity: n)
        let total = max(1, layout.totalBinCount)
        histogramPool = .allocate(capacity: parameters.leafCount * total)
        histogramPool.initialize(repeating: HistogramBin(), count: parameters.leafCount * total)
        let scratchCount = (HistogramBuilder.maxChunkCount - 1) * total
        histogramScratch = .allocate(capacity: scratchCount)
        histogramScratch.initialize(repeating: HistogramBin(), count: scratchCount)
        let searchSlots = 2 * max(1, binMapper.featureCount)
        featureCandidates = .allocate(capacity: searchSlots)
        featureCandidates.initialize(repeating: nil, count: searchSlots)
        featureFound = .allocate(capacity: searchSlots)
        featureFound.initialize(repeating: false, count: searchSlots)
    }

    deinit {
        bins.deallocate()
        rowIndices.deallocate()
        partitionScratch.deallocate()
        orderedGradients.deallocate()
        orderedHessians.deallocate()
        histogramPool.deallocate()
        histogramScratch.deallocate()
        featureCandidates.deinitialize(count: 2 * max(1, binMapper.featureCount))
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
        let maxLeaves = parameters.leafCount
        let total = layout.totalBinCount
        let featureCount = features.count
        let rootCount: Int
        if let bagRows {
            rootCount = bagRows.count
            bagRows.withUnsafeBufferPointer { rowIndices.update(from: $0.baseAddress!, count: bagRows.count) }
        } else {
            rootCount = rowCount
            for i in 0 ..< rowCount { rowIndices[i] = Int32(i) }
        }

        var leafBegins = [0]
        var leafRowCounts = [rootCount]
        var leafSums: [NodeSums] = []
        var leafDepths = [0]
        var leafSlots = [0]
        var bestSplits: [SplitCandidate?] = [nil]
        var leafParents = [-1]           // internal node that points at the leaf, -1 for the root
        var leafIsLeftChild = [false]
        var freeSlots = Array((1 ..< maxLeaves).reversed())
        // Per leaf, whether each of `features` may still split it (LightGBM's `is_splittable`).
        var splittable = [[Bool]](repeating: [], count: 1)
        splittable[0] = [Bool](repeating: true, count: featureCount)

        var tree = RegressionTree(splitFeatures: [], thresholds: [], binThresholds: [], missingGoesLeft: [],
                                  leftChildren: [], rightChildren: [], splitGains: [], leafValues: [], leafCounts: [])

        // Root sums over the rows, in row order.
        var rootSums = NodeSums(sumGradients: 0, sumHessians: 0, count: rootCount)
        if let bagRows {
            for r in bagRows { rootSums.sumGradients += Double(gradients[Int(r)]); rootSums.sumHessians += Double(hessians[Int(r)]) }
        } else {
            for r in 0 ..< rowCount { rootSums.sumGradients += Double(gradients[r]); rootSums.sumHessians += Double(hessians[r]) }
        }
        leafSums.append(rootSums)
        if depthAllows(0) && rootCount >= 2 * parameters.minDataInLeaf {
            let (best, found) = buildAndSearch(
                built: (begin: 0, count: rootCount, histogram: histogramPool), allRowsInOrder: bagRows == nil,
                derived: nil, searched: [(histogramPool, rootSums)], features: features,
                gradients: gradients, hessians: hessians)
            bestSplits[0] = best[0]
            splittable[0] = found[0]
        }

        while leafSums.count < maxLeaves {
            // Best-first: the largest gain; ties go to the lower feature, then the first leaf (LightGBM's ArgMax).
            var chosen = -1
            var chosenGain = -Double.infinity
            var chosenFeature = Int.max
            for (leaf, split) in bestSplits.enumerated() {
                guard let split else { continue }
                if split.gain > chosenGain || (split.gain == chosenGain && split.feature < chosenFeature) {
                    chosen = leaf; chosenGain = split.gain; chosenFeature = split.feature
                }
            }
            guard chosen >= 0, let split = bestSplits[chosen], split.gain > 0 else { break }

            // New internal node replaces the leaf in its parent.
            let node = tree.splitFeatures.count
            let newLeaf = leafSums.count
            tree.splitFeatures.append(split.feature)
            tree.binThresholds.append(split.binThreshold)
            let bound = binMapper.upperBounds[split.feature][split.binThreshold]
            tree.thresholds.append(bound.isFinite ? bound : Double.greatestFiniteMagnitude)
            tree.missingGoesLeft.append(split.missingGoesLeft)
            tree.leftChildren.append(~chosen)
            tree.rightChildren.append(~newLeaf)
            tree.splitGains.append(split.gain)
            let parentNode = leafParents[chosen]
            if parentNode >= 0 {
                if leafIsLeftChild[chosen] { tree.leftChildren[parentNode] = node } else { tree.rightChildren[parentNode] = node }
            }

            // Partition the leaf's rows; the children's counts are the true ones.
            let begin = leafBegins[chosen]
            let count = leafRowCounts[chosen]
            let leftCount = partition(begin: begin, count: count, split: split)
            let rightCount = count - leftCount
            let depth = leafDepths[chosen] + 1
            var leftSums = split.left, rightSums = split.right
            leftSums.count = leftCount; rightSums.count = rightCount
            leafBegins[chosen] = begin; leafRowCounts[chosen] = leftCount
            leafBegins.append(begin + leftCount); leafRowCounts.append(rightCount)
            leafSums[chosen] = leftSums; leafSums.append(rightSums)
            leafDepths[chosen] = depth; leafDepths.append(depth)
            leafParents[chosen] = node; leafParents.append(node)
            leafIsLeftChild[chosen] = true; leafIsLeftChild.append(false)
            bestSplits[chosen] = nil; bestSplits.append(nil)
            leafSlots.append(-1)
            splittable.append(splittable[chosen])
            if leafSums.count >= maxLeaves { break }

            let minRows = 2 * parameters.minDataInLeaf
            if !depthAllows(depth) || (leftCount < minRows && rightCount < minRows) {
                freeSlots.append(leafSlots[chosen]); leafSlots[chosen] = -1
                continue
            }
            // Features still splittable in the parent; the others stay unsplittable in both children.
            let parentFlags = splittable[chosen]
            var childFeatures = [Int]()
            childFeatures.reserveCapacity(featureCount)
            for (i, f) in features.enumerated() where parentFlags[i] { childFeatures.append(f) }
            // Smaller child built directly (the right one on ties), larger by subtraction from the parent,
            // and both searched, in one parallel pass over the features.
            let smaller = leftCount < rightCount ? chosen : newLeaf
            let larger = smaller == chosen ? newLeaf : chosen
            let parentSlot = leafSlots[chosen]
            let freeSlot = freeSlots.removeLast()
            leafSlots[smaller] = freeSlot
            leafSlots[larger] = parentSlot
            let leaves = [chosen, newLeaf]
            let (best, found) = buildAndSearch(
                built: (begin: leafBegins[smaller], count: leafRowCounts[smaller], histogram: histogramPool + freeSlot * total),
                allRowsInOrder: false, derived: histogramPool + parentSlot * total,
                searched: leaves.map { (histogramPool + leafSlots[$0] * total, leafSums[$0]) },
                features: childFeatures, gradients: gradients, hessians: hessians)
            for (k, leaf) in leaves.enumerated() {
                bestSplits[leaf] = best[k]
                setSplittable(leaf: leaf, searched: childFeatures, found: found[k], allFeatures: features,
                              splittable: &splittable)
            }
        }

        tree.leafValues = leafSums.map { finder.leafValue($0) * parameters.learningRate }
        tree.leafCounts = leafRowCounts
        return GrownTree(tree: tree, leafBegins: leafBegins, leafRowCounts: leafRowCounts)
    }

    /// Records which of the tree's features (`allFeatures`) still split `leaf`: the searched ones that
    /// found a threshold; the others no longer.
    private func setSplittable(leaf: Int, searched: [Int], found: [Bool], allFeatures: [Int], splittable: inout [[Bool]]) {
        var j = 0
        for (i, f) in allFeatures.enumerated() {
            if j < searched.count && searched[j] == f { splittable[leaf][i] = found[j]; j += 1 } else { splittable[leaf][i] = false }
        }
    }

    private func depthAllows(_ depth: Int) -> Bool {
        if let maxDepth = parameters.maxDepth, depth >= maxDepth { return false }
        return true
    }

    /// Work units (rows × features to accumulate plus bins to scan) below which a split's histogram and
    /// search run on the caller's thread: starting a job on the pool costs about a thousand units.
    static let parallelWorkThreshold = 4096

    /// Builds the histogram of the `built` leaf's rows over `features`; when `derived` (the parent's
    /// histogram) is given, turns it into the sibling's by subtraction; then searches each `searched`
    /// leaf (histogram and sums). Per feature all of this is one task, so the features run in parallel
    /// and each is touched once while in cache. Returns, per searched leaf, its best split (the first
    /// feature in `features` order wins ties, as in LightGBM) and which `features` had a valid threshold.
    private func buildAndSearch(
        built: (begin: Int, count: Int, histogram: UnsafeMutablePointer<HistogramBin>), allRowsInOrder: Bool,
        derived: UnsafeMutablePointer<HistogramBin>?, searched: [(UnsafeMutablePointer<HistogramBin>, NodeSums)],
        features: [Int], gradients: UnsafePointer<Float>, hessians: UnsafePointer<Float>
    ) -> ([SplitCandidate?], [[Bool]]) {
        let featureCount = features.count
        let n = built.count
        let rows: UnsafePointer<Int32>? = allRowsInOrder ? nil : UnsafePointer(rowIndices + built.begin)
        let offsets = layout.offsets
        let leafHistogram = LeafHistogramBuild(
            binned: bins, rowCount: rowCount, layout: layout, features: features, rows: rows, count: n,
            gradients: gradients, hessians: hessians, orderedGradients: orderedGradients,
            orderedHessians: orderedHessians, scratch: histogramScratch, pool: pool, into: built.histogram)
        let binsToScan = layout.totalBinCount * featureCount / max(1, featureInfo.count)
        let chunkCount = leafHistogram.chunkCount
        let work = (chunkCount > 1 ? binsToScan * chunkCount : n * featureCount) + searched.count * binsToScan
        let taskCount = pool.workerCount > 0 && work >= Self.parallelWorkThreshold ? min(featureCount, 4 * pool.threadCount) : 1
        let candidates = featureCandidates, flags = featureFound
        pool.run(taskCount: taskCount) { task in
            for i in chunkRange(task, of: taskCount, in: featureCount) {
                let f = features[i]
                let offset = offsets[f]
                let binCount = offsets[f + 1] - offset
                leafHistogram.finish(feature: f)
                if let derived {
                    HistogramBuilder.subtract(built.histogram + offset, from: derived + offset, binCount: binCount)
                }
                for (k, leaf) in searched.enumerated() {
                    let (candidate, found) = finder.bestSplit(feature: f, histogram: leaf.0 + offset, info: featureInfo[f],
                                                              parent: leaf.1)
                    candidates[k * featureCount + i] = candidate
                    flags[k * featureCount + i] = found
                }
            }
        }
        var best = [SplitCandidate?](repeating: nil, count: searched.count)
        var found = [[Bool]](repeating: [], count: searched.count)
        for k in 0 ..< searched.count {
            found[k] = Array(UnsafeBufferPointer(start: flags + k * featureCount, count: featureCount))
            for i in 0 ..< featureCount {
                if let candidate = candidates[k * featureCount + i], candidate.gain > (best[k]?.gain ?? -.infinity) {
                    best[k] = candidate
                }
            }
        }
        return (best, found)
    }

    /// Stable in-place partition of `rowIndices[begin ..< begin + count]`; returns the left count.
    private func partition(begin: Int, count: Int, split: SplitCandidate) -> Int {
        let column = BoostingSharedPointer(bins + split.feature * rowCount)
        let threshold = UInt8(split.binThreshold)
        let missing = missingBins[split.feature]
        let missingLeft = split.missingGoesLeft
        let indices = BoostingSharedPointer(rowIndices + begin)
        let scratch = BoostingSharedPointer(partitionScratch + begin)
        let chunks = count >= Self.parallelPartitionThreshold ? pool.threadCount : 1
        var leftCounts = [Int](repeating: 0, count: chunks)
        var ranges = [Range<Int>](repeating: 0 ..< 0, count: chunks)
        leftCounts.withUnsafeMutableBufferPointer { countsBuffer in
            ranges.withUnsafeMutableBufferPointer { rangesBuffer in
                let counts = BoostingSharedPointer(countsBuffer.baseAddress!)
                let rangesOut = BoostingSharedPointer(rangesBuffer.baseAddress!)
                // Phase 1: each chunk writes its left rows forward and its right rows backward into scratch.
                pool.forEachChunk(count: count, chunkCount: chunks) { chunk, range in
                    var left = range.lowerBound
                    var right = range.upperBound
                    let col = column.base
                    // Branch-free: write the row to both ends, advance only the side it belongs to
                    // (the two writes coincide on the last row, so nothing is overwritten wrongly).
                    let out = scratch.base
                    for i in range {
                        let row = indices.base[i]
                        let b = col[Int(row)]
                        let goLeft = b == missing ? missingLeft : b <= threshold
                        let step = goLeft ? 1 : 0
                        out[left] = row
                        out[right - 1] = row
                        left += step
                        right -= 1 - step
                    }
                    counts.base[chunk] = left - range.lowerBound
                    rangesOut.base[chunk] = range
                }
            }
        }
        let totalLeft = leftCounts.reduce(0, +)
        // Phase 2: copy back, lefts in order, rights reversed back into order.
        var leftStarts = [Int](repeating: 0, count: chunks)
        var rightStarts = [Int](repeating: 0, count: chunks)
        var l = 0, r = totalLeft
        for c in 0 ..< chunks {
            leftStarts[c] = l; rightStarts[c] = r
            l += leftCounts[c]; r += ranges[c].count - leftCounts[c]
        }
        let copyBack = { (c: Int) in
            let range = ranges[c]
            let lc = leftCounts[c]
            (indices.base + leftStarts[c]).update(from: scratch.base + range.lowerBound, count: lc)
            var dst = rightStarts[c]
            var src = range.upperBound - 1
            while src >= range.lowerBound + lc { indices.base[dst] = scratch.base[src]; dst += 1; src -= 1 }
        }
        pool.run(taskCount: chunks, copyBack)
        return totalLeft
    }
}
