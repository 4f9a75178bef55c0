import Core
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
        // Trees are prepared (paths and tables) in parallel; each slot is written by one task.
        let paths = parallelMap(count: trees.count) { LeafPathTree(trees[$0], tabulateUpTo: rows) }
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

/// A reusable output buffer for one thread.
struct LeafPathScratch {
    var contributions: [Double] = []
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
        withUnsafeTemporaryAllocation(of: Double.self, capacity: d + 1) { polynomial in
            // Coefficient k of Π_{hot j} (t + z_j) is e_{a−k} of the hot zero fractions.
            var coldProduct = 1.0, hotCount = 0
            polynomial[0] = 1
            for j in 0 ..< d {
                let z = zeroFractions[j]
                if hot & (1 << j) == 0 { coldProduct *= z; continue }
                hotCount += 1
                polynomial[hotCount] = polynomial[hotCount - 1]
                for k in stride(from: hotCount - 1, through: 1, by: -1) { polynomial[k] = z * polynomial[k] + polynomial[k - 1] }
                polynomial[0] *= z
            }
            var coldValue = 0.0
            if hotCount < d {
                var g = 0.0
                for k in 0 ... hotCount { g += weights[k] * polynomial[k] }
                coldValue = -value * coldProduct * g
            }
            for j in 0 ..< d {
                guard hot & (1 << j) != 0 else { scratch.contributions[j] = coldValue; continue }
                // Divide by (t + z_j), from the top (stable for 0 ≤ z ≤ 1), and weigh the quotient.
                let z = zeroFractions[j]
                var q = polynomial[hotCount], g = weights[hotCount - 1] * q
                for k in stride(from: hotCount - 1, through: 1, by: -1) {
                    q = polynomial[k] - z * q
                    g += weights[k - 1] * q
                }
                scratch.contributions[j] = value * (1 - z) * coldProduct * g
            }
        }
    }
}

/// A tree as its leaf paths, with the node tests needed to find each row's hot sets. The per-row
/// loop reads raw memory (no per-leaf structs), so it does no reference counting or bounds checks.
struct LeafPathTree: Sendable {
    let tree: RegressionTree
    let paths: [LeafPath]
    let expectedValue: Double
    /// The node tests and the flattened paths and tables as raw memory for the per-row loop.
    let storage: LeafPathStorage
    /// Leaves with at most this many distinct features are tabulated.
    static let tableLimit = 12

    /// `rowCount`: rows to explain; a leaf is tabulated only when its 2^d sets are at most half the rows.
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
            // A table costs about as much as computing 2^d rows directly: worth it for at least twice as many rows.
            guard d <= Self.tableLimit, 2 << d <= rowCount else { tableStarts.append(-1); continue }
            tableStarts.append(tables.count)
            for hot in 0 ..< (1 << d) {
                path.contributions(hot: hot, scratch: &scratch)
                tables.append(contentsOf: scratch.contributions.prefix(d))
            }
        }
        self.paths = paths
        // Leaf p's distinct features are features[pathStarts[p] ..< pathStarts[p + 1]] (the masks likewise).
        storage = LeafPathStorage(tree: tree, pathStarts: paths.reduce(into: [0]) { $0.append($0[$0.count - 1] + $1.distinctCount) },
                                  features: paths.flatMap(\.features), leftMasks: paths.flatMap(\.leftMasks),
                                  rightMasks: paths.flatMap(\.rightMasks), tableStarts: tableStarts, tables: tables)
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
        let memory = storage
        guard memory.nodeCount > 0 else { return }
        var goesLeft: UInt64 = 0
        for node in 0 ..< memory.nodeCount {
            let v = row[memory.splitFeatures[node]]
            if v.isNaN ? memory.missingGoesLeft[node] : Double(v) <= memory.thresholds[node] { goesLeft |= 1 << UInt64(node) }
        }
        for p in 0 ..< memory.pathCount {
            let start = memory.pathStarts[p], d = memory.pathStarts[p + 1] - start
            var hot = 0
            for j in 0 ..< d {
                let left = memory.leftMasks[start + j], right = memory.rightMasks[start + j]
                if goesLeft & left == left && goesLeft & right == 0 { hot |= 1 << j }
            }
            let tableStart = memory.tableStarts[p]
            if tableStart >= 0 {
                let table = memory.tables + tableStart + hot * d
                for j in 0 ..< d { phi[memory.features[start + j]] += table[j] }
            } else {
                paths[p].contributions(hot: hot, scratch: &scratch)
                for j in 0 ..< d { phi[memory.features[start + j]] += scratch.contributions[j] }
            }
        }
    }
}

/// One tree's node tests and flattened leaf paths in raw memory (no bounds checks or reference
/// counting in the per-row loop). Immutable after `init`, so sharing it between threads is safe.
final class LeafPathStorage: @unchecked Sendable {
    let nodeCount: Int
    let pathCount: Int
    let splitFeatures: UnsafeMutablePointer<Int>
    let thresholds: UnsafeMutablePointer<Double>
    let missingGoesLeft: UnsafeMutablePointer<Bool>
    let pathStarts: UnsafeMutablePointer<Int>
    let features: UnsafeMutablePointer<Int>
    let leftMasks: UnsafeMutablePointer<UInt64>
    let rightMasks: UnsafeMutablePointer<UInt64>
    let tableStarts: UnsafeMutablePointer<Int>
    let tables: UnsafeMutablePointer<Double>

    init(tree: RegressionTree, pathStarts: [Int], features: [Int], leftMasks: [UInt64], rightMasks: [UInt64],
         tableStarts: [Int], tables: [Double]) {
        nodeCount = tree.splitCount
        pathCount = tableStarts.count
        splitFeatures = Self.copy(tree.splitFeatures)
        thresholds = Self.copy(tree.thresholds)
        missingGoesLeft = Self.copy(tree.missingGoesLeft)
        self.pathStarts = Self.copy(pathStarts)
        self.features = Self.copy(features)
        self.leftMasks = Self.copy(leftMasks)
        self.rightMasks = Self.copy(rightMasks)
        self.tableStarts = Self.copy(tableStarts)
        self.tables = Self.copy(tables)
    }

    private static func copy<T>(_ values: [T]) -> UnsafeMutablePointer<T> {
        let memory = UnsafeMutablePointer<T>.allocate(capacity: max(1, values.count))
        _ = UnsafeMutableBufferPointer(start: memory, count: values.count).initialize(from: values)
        return memory
    }

    deinit {
        splitFeatures.deallocate(); thresholds.deallocate(); missingGoesLeft.deallocate(); pathStarts.deallocate()
        features.deallocate(); leftMasks.deallocate(); rightMasks.deallocate(); tableStarts.deallocate(); tables.deallocate()
    }
}
