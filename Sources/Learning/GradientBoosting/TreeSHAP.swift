import Core
import Foundation

/// Exact path-dependent TreeSHAP (Lundberg et al. 2020, Algorithm 2), as LightGBM's `pred_contrib`.
///
/// Node covers are training rows: a leaf's `leafCounts`, an internal node's the sum of its children.
public struct TreeSHAPExplanation: Sendable, Equatable {
    /// Rows explained.
    public var rowCount: Int
    /// Feature columns; each row has `columnCount + 1` values, the last being the expected value.
    public var columnCount: Int
    /// Row-major contributions: `rowCount × (columnCount + 1)`, each row summing to its raw score.
    public var values: [Double]

    /// Contribution of `column` to `row` (column == `columnCount` gives the expected value).
    public subscript(row: Int, column: Int) -> Double { values[row * (columnCount + 1) + column] }
}

/// Errors explaining a model.
public enum TreeSHAPError: Error, CustomStringConvertible, Equatable {
    case columnCountMismatch(expected: Int, got: Int)

    public var description: String {
        switch self {
        case let .columnCountMismatch(expected, got):
            return "TreeSHAP: the matrix has \(got) columns but the model expects \(expected)"
        }
    }
}

extension GradientBoostingModel {
    /// SHAP contributions (log-odds) of every column for every row plus the expected value, in parallel over rows.
    public func shapValues(_ features: DenseMatrix) throws -> TreeSHAPExplanation {
        guard features.columnCount == featureCount else {
            throw TreeSHAPError.columnCountMismatch(expected: featureCount, got: features.columnCount)
        }
        let width = featureCount + 1
        let covers = trees.map(TreeSHAPTree.init)
        var out = [Double](repeating: 0, count: features.rowCount * width)
        let rows = features.rowCount, columns = featureCount, initial = initialScore
        out.withUnsafeMutableBufferPointer { outBuffer in
            let outBase = UncheckedSendableBox(outBuffer.baseAddress!)
            features.values.withUnsafeBufferPointer { valueBuffer in
                let chunkCount = rows < 64 ? 1 : min(rows / 32, 4 * ProcessInfoCores.activeCount)
                parallelForEachChunk(count: rows, chunkCount: chunkCount) { _, range in
                    var scratch = TreeSHAPScratch()
                    for row in range {
                        let x = valueBuffer.baseAddress! + row * columns
                        let phi = outBase.value + row * width
                        phi[columns] += initial
                        for tree in covers { tree.accumulate(row: x, into: phi, columnCount: columns, scratch: &scratch) }
                    }
                }
            }
        }
        return TreeSHAPExplanation(rowCount: rows, columnCount: columns, values: out)
    }
}

/// One path element of Algorithm 2: feature, fraction of zero and one paths, and path weight.
struct TreeSHAPPathElement {
    var feature: Int
    var zeroFraction: Double
    var oneFraction: Double
    var weight: Double
}

/// Reusable path storage for one thread.
struct TreeSHAPScratch {
    var path: [TreeSHAPPathElement] = []
}

/// A tree with node covers (rows) and a uniform node numbering: internal nodes `0 ..< n`, leaf `l` at `n + l`.
struct TreeSHAPTree: Sendable {
    let tree: RegressionTree
    let covers: [Double]

    init(_ tree: RegressionTree) {
        self.tree = tree
        let n = tree.splitCount
        var covers = [Double](repeating: 0, count: n + tree.leafCount)
        for leaf in 0 ..< tree.leafCount { covers[n + leaf] = Double(tree.leafCounts[leaf]) }
        // Children are created after their parent, so a reverse sweep sees children first.
        for node in stride(from: n - 1, through: 0, by: -1) {
            covers[node] = covers[Self.index(tree.leftChildren[node], n)] + covers[Self.index(tree.rightChildren[node], n)]
        }
        self.covers = covers
    }

    static func index(_ child: Int, _ splitCount: Int) -> Int { child >= 0 ? child : splitCount + ~child }

    /// Adds this tree's contributions for one row to `phi` (expected value into `phi[columnCount]`).
    func accumulate(row: UnsafePointer<Float>, into phi: UnsafeMutablePointer<Double>, columnCount: Int,
                    scratch: inout TreeSHAPScratch) {
        let n = tree.splitCount
        if n == 0 { phi[columnCount] += tree.leafValues[0]; return }
        phi[columnCount] += expectedValue()
        scratch.path.removeAll(keepingCapacity: true)
        recurse(node: 0, row: row, phi: phi, parentBase: 0, depth: 0, zeroFraction: 1, oneFraction: 1, feature: -1, path: &scratch.path)
    }

    func expectedValue() -> Double {
        let n = tree.splitCount
        var total = 0.0
        for leaf in 0 ..< tree.leafCount { total += covers[n + leaf] * tree.leafValues[leaf] }
        return covers[0] > 0 ? total / covers[0] : 0
    }

    /// Algorithm 2's RECURSE; `path[parentBase ..< parentBase + depth]` is the parent's path (one shared stack).
    func recurse(node: Int, row: UnsafePointer<Float>, phi: UnsafeMutablePointer<Double>, parentBase: Int, depth: Int,
                 zeroFraction: Double, oneFraction: Double, feature: Int, path: inout [TreeSHAPPathElement]) {
        let base = path.count
        // Copy the parent's path so siblings see it unchanged.
        for i in 0 ..< depth { path.append(path[parentBase + i]) }
        extend(&path, base: base, depth: depth, zeroFraction: zeroFraction, oneFraction: oneFraction, feature: feature)
        let length = depth + 1
        let n = tree.splitCount
        if node >= n {
            let value = tree.leafValues[node - n]
            for i in 1 ..< length {
                let w = unwoundSum(path, base: base, length: length, index: i)
                let element = path[base + i]
                phi[element.feature] += w * (element.oneFraction - element.zeroFraction) * value
            }
        } else {
            let f = tree.splitFeatures[node]
            let v = row[f]
            let goLeft = v.isNaN ? tree.missingGoesLeft[node] : Double(v) <= tree.thresholds[node]
            let left = Self.index(tree.leftChildren[node], n), right = Self.index(tree.rightChildren[node], n)
            let (hot, cold) = goLeft ? (left, right) : (right, left)
            var incomingZero = 1.0, incomingOne = 1.0, pathLength = length
            if let k = (1 ..< length).first(where: { path[base + $0].feature == f }) {
                incomingZero = path[base + k].zeroFraction
                incomingOne = path[base + k].oneFraction
                unwind(&path, base: base, length: length, index: k)
                pathLength -= 1
            }
            let cover = covers[node]
            recurse(node: hot, row: row, phi: phi, parentBase: base, depth: pathLength, zeroFraction: incomingZero * covers[hot] / cover,
                    oneFraction: incomingOne, feature: f, path: &path)
            recurse(node: cold, row: row, phi: phi, parentBase: base, depth: pathLength, zeroFraction: incomingZero * covers[cold] / cover,
                    oneFraction: 0, feature: f, path: &path)
        }
        path.removeLast(path.count - base)
    }

    /// EXTEND: appends one element to the path `path[base ..< base + depth]` and updates the weights.
    func extend(_ path: inout [TreeSHAPPathElement], base: Int, depth: Int, zeroFraction: Double, oneFraction: Double,
                feature: Int) {
        path.append(TreeSHAPPathElement(feature: feature, zeroFraction: zeroFraction, oneFraction: oneFraction,
                                        weight: depth == 0 ? 1 : 0))
        let l = Double(depth)
        for i in stride(from: depth - 1, through: 0, by: -1) {
            path[base + i + 1].weight += oneFraction * path[base + i].weight * Double(i + 1) / (l + 1)
            path[base + i].weight = zeroFraction * path[base + i].weight * (l - Double(i)) / (l + 1)
        }
    }

    /// UNWIND: removes element `index` from the path of `length` elements (the array keeps its size; the
    /// caller's later appends overwrite nothing because children copy only the first `length - 1`).
    func unwind(_ path: inout [TreeSHAPPathElement], base: Int, length: Int, index: Int) {
        let l = length - 1
        let one = path[base + index].oneFraction, zero = path[base + index].zeroFraction
        var next = path[base + l].weight
        for j in stride(from: l - 1, through: 0, by: -1) {
            if one != 0 {
                let t = path[base + j].weight
                path[base + j].weight = next * Double(l + 1) / (Double(j + 1) * one)
                next = t - path[base + j].weight * zero * Double(l - j) / Double(l + 1)
            } else {
                path[base + j].weight = path[base + j].weight * Double(l + 1) / (zero * Double(l - j))
            }
        }
        for j in index ..< l {
            path[base + j].feature = path[base + j + 1].feature
            path[base + j].zeroFraction = path[base + j + 1].zeroFraction
            path[base + j].oneFraction = path[base + j + 1].oneFraction
        }
    }

    /// UNWOUND-SUM: total weight of the path with element `index` removed, without changing it.
    func unwoundSum(_ path: [TreeSHAPPathElement], base: Int, length: Int, index: Int) -> Double {
        let l = length - 1
        let one = path[base + index].oneFraction, zero = path[base + index].zeroFraction
        var next = path[base + l].weight, total = 0.0
        for j in stride(from: l - 1, through: 0, by: -1) {
            if one != 0 {
                let t = next * Double(l + 1) / (Double(j + 1) * one)
                total += t
                next = path[base + j].weight - t * zero * Double(l - j) / Double(l + 1)
            } else {
                total += path[base + j].weight / zero * Double(l + 1) / Double(l - j)
            }
        }
        return total
    }
}
