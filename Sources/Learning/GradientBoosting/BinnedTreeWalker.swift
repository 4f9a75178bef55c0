/// One tree compiled for walking many binned rows at once: the hot traversals of boosting (adding a
/// new tree to the rows outside a gradient-based sample, scoring validation and test rows).
///
/// Walking one row is a chain of dependent loads with a data-dependent exit, so the processor waits on
/// every level and mispredicts where a row stops. Here leaves are nodes that point to themselves, and
/// ``laneCount`` rows step together for exactly ``depth`` levels, so their chains overlap and no branch
/// depends on the data. Each row reaches the same leaf as
/// ``RegressionTree/leaf(binnedRow:bins:rowCount:missingBins:)`` (tested), so scores are bit for bit the same.
struct BinnedTreeWalker: Sendable {
    /// An internal node, or a leaf whose children are itself.
    struct Node: Sendable {
        var feature: Int32
        var left: Int32
        var right: Int32
        /// `bin <= threshold` goes left. Bins are `0 ... 255`: larger thresholds are stored as 255 (always
        /// left), negative ones as -1 (never left).
        var threshold: Int16
        var missingBin: UInt8
        var missingGoesLeft: Bool
    }

    /// Rows walked together.
    static let laneCount = 8

    /// Internal nodes `0 ..< splitCount` in the tree's order, then one node per leaf.
    let nodes: [Node]
    /// The leaf values, by leaf index.
    let leafValues: [Double]
    /// Node index of leaf 0 (= the tree's split count).
    let firstLeaf: Int32
    /// The longest root-to-leaf path, in splits.
    let depth: Int

    /// `missingBins[f]`: the bin holding feature `f`'s missing values.
    init(_ tree: RegressionTree, missingBins: UnsafePointer<UInt8>) {
        let splitCount = tree.splitCount
        func node(_ child: Int) -> Int32 { child >= 0 ? Int32(child) : Int32(splitCount + ~child) }
        var nodes = tree.splitFeatures.indices.map { i in
            let feature = tree.splitFeatures[i]
            return Node(feature: Int32(feature), left: node(tree.leftChildren[i]), right: node(tree.rightChildren[i]),
                        threshold: Int16(min(max(tree.binThresholds[i], -1), 255)), missingBin: missingBins[feature],
                        missingGoesLeft: tree.missingGoesLeft[i])
        }
        for leaf in 0 ..< tree.leafCount {
            let own = Int32(splitCount + leaf)
            nodes.append(Node(feature: 0, left: own, right: own, threshold: 255, missingBin: 0, missingGoesLeft: true))
        }
        self.nodes = nodes
        leafValues = tree.leafValues
        firstLeaf = Int32(splitCount)
        // Children always come after their parent, so one forward pass finds every node's depth.
        var nodeDepth = [Int](repeating: 0, count: splitCount)
        var deepest = 0
        for i in 0 ..< splitCount {
            for child in [tree.leftChildren[i], tree.rightChildren[i]] {
                if child >= 0 { nodeDepth[child] = nodeDepth[i] + 1 } else { deepest = max(deepest, nodeDepth[i] + 1) }
            }
        }
        depth = deepest
    }

    /// Adds the tree's value to `scores[row]` for each of `count` rows, where `rowAt(i)` is the `i`-th
    /// row; `bins` is column-major with `columnLength` rows per column.
    @inline(__always)
    func addValues(count: Int, rowAt: (Int) -> Int, bins: UnsafePointer<UInt8>, columnLength: Int,
                   scores: UnsafeMutablePointer<Double>) {
        nodes.withUnsafeBufferPointer { nodeBuffer in
            leafValues.withUnsafeBufferPointer { values in
                let nodes = nodeBuffer.baseAddress!, depth = depth, firstLeaf = firstLeaf
                var i = 0
                while i + Self.laneCount <= count {
                    var rows = SIMD8<Int>()
                    for k in 0 ..< Self.laneCount { rows[k] = rowAt(i + k) }
                    var at = SIMD8<Int32>(repeating: 0)
                    for _ in 0 ..< depth {
                        for k in 0 ..< Self.laneCount {
                            let n = nodes[Int(at[k])]
                            let b = bins[Int(n.feature) &* columnLength &+ rows[k]]
                            let goLeft = b == n.missingBin ? n.missingGoesLeft : Int16(b) <= n.threshold
                            at[k] = goLeft ? n.left : n.right
                        }
                    }
                    for k in 0 ..< Self.laneCount { scores[rows[k]] += values[Int(at[k] &- firstLeaf)] }
                    i += Self.laneCount
                }
                while i < count {
                    let row = rowAt(i)
                    var at: Int32 = 0
                    for _ in 0 ..< depth {
                        let n = nodes[Int(at)]
                        let b = bins[Int(n.feature) &* columnLength &+ row]
                        at = (b == n.missingBin ? n.missingGoesLeft : Int16(b) <= n.threshold) ? n.left : n.right
                    }
                    scores[row] += values[Int(at &- firstLeaf)]
                    i += 1
                }
            }
        }
    }
}
