import Foundation

/// One boosted regression tree in LightGBM's array layout.
///
/// Internal node `i` sends a row left when `value <= thresholds[i]` (raw feature value) — or, for a
/// missing value, when `missingGoesLeft[i]`. Child indices `>= 0` are internal nodes; a negative
/// child `c` is leaf `~c` (so `-1` is leaf 0). A tree with no split is a single leaf.
public struct RegressionTree: Sendable, Codable, Equatable {
    public var splitFeatures: [Int]
    public var thresholds: [Double]
    /// The same rule on binned data: `bin <= binThresholds[i]` goes left (training only).
    public var binThresholds: [Int]
    public var missingGoesLeft: [Bool]
    public var leftChildren: [Int]
    public var rightChildren: [Int]
    /// Gain of each split (for importance).
    public var splitGains: [Double]
    /// Leaf outputs, already multiplied by the learning rate.
    public var leafValues: [Double]
    /// Training rows in each leaf.
    public var leafCounts: [Int]

    public var splitCount: Int { splitFeatures.count }
    public var leafCount: Int { leafValues.count }

    /// The leaf value for one row of raw features (`row` points at its first column).
    @inline(__always)
    func value(row: UnsafePointer<Float>) -> Double {
        if splitFeatures.isEmpty { return leafValues[0] }
        var node = 0
        while node >= 0 {
            let v = row[splitFeatures[node]]
            let goLeft = v.isNaN ? missingGoesLeft[node] : Double(v) <= thresholds[node]
            node = goLeft ? leftChildren[node] : rightChildren[node]
        }
        return leafValues[~node]
    }

    /// The leaf index for one row of binned features.
    @inline(__always)
    func leaf(binnedRow row: Int, bins: UnsafePointer<UInt8>, rowCount: Int, missingBins: UnsafePointer<UInt8>) -> Int {
        if splitFeatures.isEmpty { return 0 }
        var node = 0
        while node >= 0 {
            let f = splitFeatures[node]
            let b = bins[f * rowCount + row]
            let goLeft = b == missingBins[f] ? missingGoesLeft[node] : Int(b) <= binThresholds[node]
            node = goLeft ? leftChildren[node] : rightChildren[node]
        }
        return ~node
    }

    /// Checks indices so a corrupted saved model fails with a message instead of trapping.
    func validate(featureCount: Int, index: Int) throws {
        let n = splitFeatures.count
        func fail(_ message: String) throws -> Never {
            throw GradientBoostingError.invalidModel("tree \(index): \(message)")
        }
        guard thresholds.count == n, binThresholds.count == n, missingGoesLeft.count == n, leftChildren.count == n,
              rightChildren.count == n, splitGains.count == n else { try fail("split arrays differ in length") }
        guard leafValues.count == n + 1, leafCounts.count == n + 1 else {
            try fail("\(leafValues.count) leaf values for \(n) splits (expected \(n + 1))")
        }
        for i in 0 ..< n {
            guard (0 ..< featureCount).contains(splitFeatures[i]) else {
                try fail("split \(i) uses feature \(splitFeatures[i]) of \(featureCount)")
            }
            for child in [leftChildren[i], rightChildren[i]] {
                // Children of node i are always created after it, which also rules out cycles.
                let ok = child >= 0 ? (child > i && child < n) : (~child < n + 1)
                guard ok else { try fail("split \(i) has invalid child \(child)") }
            }
        }
        guard leafValues.allSatisfy(\.isFinite), thresholds.allSatisfy({ !$0.isNaN }) else {
            try fail("non-finite leaf value or NaN threshold")
        }
    }
}
