import Foundation

// Exact path-dependent TreeSHAP, computed leaf by leaf (the formulation of GPUTreeShap and Fast
// TreeSHAP v2). A leaf with value v whose root path tests the distinct features P (|P| = d), with
// zero fractions z_j (the product of the cover ratios along the path's nodes on j) and, for a row,
// one fractions o_j ∈ {0, 1} (whether the row follows every one of those nodes), adds to feature i
//     φ_i += v (o_i − z_i) Σ_{S ⊆ P∖{i}, o_S = 1} |S|! (d − 1 − |S|)! / d! · Π_{j ∈ P∖{i}∖S} z_j.
// With A the row's "hot" features (o = 1) and C the cold ones, that is −v Z_C G(A) for every cold i
// and v (1 − z_i) Z_C G(A∖{i}) for a hot i, where Z_C = Π_{j∈C} z_j and G(B) = Σ_k w_d(k) e_{|B|−k}(z_B)
// (elementary symmetric polynomials, the coefficients of Π_{j∈B} (t + z_j)). The contributions depend
// on the row only through its hot set, so for many rows each leaf's 2^d possible sets are tabulated
// once. Same values as the recursive ``GradientBoostingModel/shapValues(_:)`` (the slow reference).

extension GradientBoostingModel {
    /// SHAP contributions (log-odds), as ``shapValues(_:)``, computed leaf by leaf with tables of the
    /// contributions per set of followed features: much faster for many rows. Falls back to the
    /// recursive algorithm for a tree with more than 64 splits.
    public func shapValuesByLeafPaths(_ features: DenseMatrix) throws -> TreeSHAPExplanation {
        guard features.columnCount == featureCount else {
            throw TreeSHAPError.columnCountMismatch(expected: featureCount, got: features.columnCount)
        }
        guard trees.allSatisfy({ $0.splitCount <= 64 }) else { return try shapValues(features) }
        let rows = features.rowCount, columns = featureCount, width = featureCount + 1
        let paths = trees.map { LeafPathTree($0, tabulateUpTo: rows) }
        var out = [Double](repeating: 0, count: rows * width)
        let expected = initialScore + paths.reduce(0) { $0 + $1.expectedValue }
        out.withUnsafeMutableBufferPointer { outBuffer in
            let outBase = UncheckedSendableBox(outBuffer.baseAddress!)
            features.values.withUnsafeBufferPointer { valueBuffer in
                let chunkCount = rows < 64 ? 1 : min(rows / 32, 4 * ProcessInfoCores.activeCount)
                parallelForEachChunk(count: rows, chunkCount: chunkCount) { _, range in
                    var scratch = LeafPathScratch()
                    // Blocks of rows with the trees in the outer loop, so a tree's tables stay in cache.
                    var blockStart = range.lowerBound
                    while blockStart < range.upperBound {
                        let block = blockStart ..< min(blockStart + 128, range.upperBound)
                        for tree in paths {
                            for row in block {
                                tree.accumulate(row: valueBuffer.baseAddress! + row * columns, into: outBase.value + row * width,
                                                scratch: &scratch)
                            }
                        }
                        blockStart = block.upperBound
                    }
                    for row in range { outBase.value[row * width + columns] = expected }
                }
            }
        }
        return TreeSHAPExplanation(rowCount: rows, columnCount: columns, values: out)
    }
}

/// Reusable buffers for one thread.
struct LeafPathScratch {
    var contributions: [Double] = []
    var polynomial: [Double] = []
    var quotient: [Double] = []
}

/// One leaf's root path reduced to its distinct features.
struct LeafPath: Sendable {
    var value: Double
    /// Distinct features tested on the path, in order of first test.
    var features: [Int]
    var zeroFractions: [Double]
    /// Per distinct feature: the bits of its path nodes where the path goes left, and where it goes right.
    var leftMasks: [UInt64]
    var rightMasks: [UInt64]
    /// Shapley weights w_d(k) = k! (d − 1 − k)! / d!, k = 0 ..< d.
    var weights: [Double]

    var distinctCount: Int { features.count }

    /// Each distinct feature's contribution for hot set `hot`, into `scratch.contributions[0 ..< d]`.
    func contributions(hot: Int, scratch: inout LeafPathScratch) {
        let d = features.count
        if scratch.contributions.count < d { scratch.contributions = [Double](repeating: 0, count: d) }
        var coldProduct = 1.0
        scratch.polynomial.removeAll(keepingCapacity: true)
        scratch.polynomial.append(1)
        for j in 0 ..< d {
            if hot & (1 << j) == 0 { coldProduct *= zeroFractions[j]; continue }
            // Multiply by (t + z_j): coefficient k is e_{a−k} of the hot zero fractions so far.
            scratch.polynomial.append(0)
            for k in stride(from: scratch.polynomial.count - 1, through: 0, by: -1) {
                scratch.polynomial[k] = zeroFractions[j] * scratch.polynomial[k] + (k > 0 ? scratch.polynomial[k - 1] : 0)
            }
        }
        let hotCount = scratch.polynomial.count - 1
        var coldValue = 0.0
        if hotCount < d {
            var g = 0.0
            for k in 0 ... hotCount { g += weights[k] * scratch.polynomial[k] }
            coldValue = -value * coldProduct * g
        }
        for j in 0 ..< d {
            guard hot & (1 << j) != 0 else { scratch.contributions[j] = coldValue; continue }
            // Divide by (t + z_j), from the top (stable for 0 ≤ z ≤ 1), and weigh the quotient.
            let z = zeroFractions[j]
            var q = scratch.polynomial[hotCount], g = weights[hotCount - 1] * q
            for k in stride(from: hotCount - 1, through: 1, by: -1) {
                q = scratch.polynomial[k] - z * q
                g += weights[k - 1] * q
            }
            scratch.contributions[j] = value * (1 - z) * coldProduct * g
        }
    }
}

/// A tree as its leaf paths, with the node tests needed to find each row's hot sets. The per-row
/// loop reads flat arrays (no per-leaf structs), so it does no reference counting.
struct LeafPathTree: Sendable {
    let tree: RegressionTree
    let paths: [LeafPath]
    let expectedValue: Double
    /// Leaf `p`'s distinct features are `flatFeatures[pathStarts[p] ..< pathStarts[p + 1]]` (same for the masks).
    let pathStarts: [Int]
    let flatFeatures: [Int]
    let flatLeftMasks: [UInt64]
    let flatRightMasks: [UInt64]
    /// Leaf `p`'s table starts at `tableStarts[p]` in `tables` (−1: not tabulated).
    let tableStarts: [Int]
    let tables: [Double]
    /// Leaves with at most this many distinct features are tabulated.
    static let tableLimit = 12

    /// `rowCount`: rows to explain; a leaf is tabulated only when its 2^d sets are fewer than the rows.
    init(_ tree: RegressionTree, tabulateUpTo rowCount: Int) {
        self.tree = tree
        let shapTree = TreeSHAPTree(tree)
        expectedValue = tree.splitCount == 0 ? tree.leafValues[0] : shapTree.expectedValue()
        var paths: [LeafPath] = []
        if tree.splitCount > 0 { Self.collect(node: 0, tree: shapTree, steps: [], into: &paths) }
        var scratch = LeafPathScratch()
        var tableStarts: [Int] = [], tables: [Double] = []
        for path in paths {
            let d = path.distinctCount
            guard d <= Self.tableLimit, (1 << d) <= rowCount else { tableStarts.append(-1); continue }
            tableStarts.append(tables.count)
            for hot in 0 ..< (1 << d) {
                path.contributions(hot: hot, scratch: &scratch)
                tables.append(contentsOf: scratch.contributions.prefix(d))
            }
        }
        self.paths = paths
        self.tableStarts = tableStarts
        self.tables = tables
        pathStarts = paths.reduce(into: [0]) { $0.append($0[$0.count - 1] + $1.distinctCount) }
        flatFeatures = paths.flatMap(\.features)
        flatLeftMasks = paths.flatMap(\.leftMasks)
        flatRightMasks = paths.flatMap(\.rightMasks)
    }

    /// Depth-first walk collecting each leaf's path: (node, went left, cover ratio) steps.
    private static func collect(node: Int, tree: TreeSHAPTree, steps: [(node: Int, left: Bool, ratio: Double)],
                                into paths: inout [LeafPath]) {
        let n = tree.tree.splitCount
        if node >= n {
            paths.append(makePath(value: tree.tree.leafValues[node - n], steps: steps, tree: tree.tree))
            return
        }
        let left = TreeSHAPTree.index(tree.tree.leftChildren[node], n), right = TreeSHAPTree.index(tree.tree.rightChildren[node], n)
        let cover = tree.covers[node]
        collect(node: left, tree: tree, steps: steps + [(node, true, cover > 0 ? tree.covers[left] / cover : 0)], into: &paths)
        collect(node: right, tree: tree, steps: steps + [(node, false, cover > 0 ? tree.covers[right] / cover : 0)], into: &paths)
    }

    private static func makePath(value: Double, steps: [(node: Int, left: Bool, ratio: Double)], tree: RegressionTree) -> LeafPath {
        var features: [Int] = [], zero: [Double] = [], leftMasks: [UInt64] = [], rightMasks: [UInt64] = []
        for step in steps {
            let f = tree.splitFeatures[step.node]
            var j = features.firstIndex(of: f) ?? -1
            if j < 0 { features.append(f); zero.append(1); leftMasks.append(0); rightMasks.append(0); j = features.count - 1 }
            zero[j] *= step.ratio
            if step.left { leftMasks[j] |= 1 << UInt64(step.node) } else { rightMasks[j] |= 1 << UInt64(step.node) }
        }
        let d = features.count
        // w_d(k) = k! (d − 1 − k)! / d!, by the recurrence w(k + 1) = w(k) (k + 1) / (d − 1 − k).
        var weights = [Double](repeating: 0, count: d)
        if d > 0 {
            weights[0] = 1 / Double(d)
            for k in 0 ..< d - 1 { weights[k + 1] = weights[k] * Double(k + 1) / Double(d - 1 - k) }
        }
        return LeafPath(value: value, features: features, zeroFractions: zero, leftMasks: leftMasks, rightMasks: rightMasks,
                        weights: weights)
    }

    /// Adds this tree's contributions for one row to `phi` (not the expected value).
    @inline(__always)
    func accumulate(row: UnsafePointer<Float>, into phi: UnsafeMutablePointer<Double>, scratch: inout LeafPathScratch) {
        let n = tree.splitCount
        guard n > 0 else { return }
        var goesLeft: UInt64 = 0
        for node in 0 ..< n {
            let v = row[tree.splitFeatures[node]]
            if v.isNaN ? tree.missingGoesLeft[node] : Double(v) <= tree.thresholds[node] { goesLeft |= 1 << UInt64(node) }
        }
        for p in 0 ..< paths.count {
            let start = pathStarts[p], d = pathStarts[p + 1] - start
            var hot = 0
            for j in 0 ..< d {
                let left = flatLeftMasks[start + j], right = flatRightMasks[start + j]
                if goesLeft & left == left && goesLeft & right == 0 { hot |= 1 << j }
            }
            let tableStart = tableStarts[p]
            if tableStart >= 0 {
                let base = tableStart + hot * d
                for j in 0 ..< d { phi[flatFeatures[start + j]] += tables[base + j] }
            } else {
                paths[p].contributions(hot: hot, scratch: &scratch)
                for j in 0 ..< d { phi[flatFeatures[start + j]] += scratch.contributions[j] }
            }
        }
    }
}
