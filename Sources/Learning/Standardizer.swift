import Core

/// Column-wise standardisation z = (x − mean) / sd, fitted on training rows
/// (scikit-learn's `StandardScaler`: population standard deviation, constant columns scaled by 1).
///
/// Missing values (NaN) are ignored when fitting and become 0 — the training mean — when
/// transforming, i.e. mean imputation.
public struct Standardizer: Sendable, Codable, Equatable {
    public var means: [Double]
    public var scales: [Double]

    public init(means: [Double], scales: [Double]) {
        precondition(means.count == scales.count, "Standardizer: \(means.count) means but \(scales.count) scales")
        self.means = means
        self.scales = scales
    }

    /// Fits means and standard deviations of every column of `features` (two passes, parallel over rows).
    public init(fitting features: DenseMatrix) {
        let width = features.columnCount
        let rowCount = features.rowCount
        let values = features.values
        // Pass 1: sums and counts of present values.
        let partials = parallelChunks(count: rowCount) { rows -> ([Double], [Int]) in
            var sums = [Double](repeating: 0, count: width)
            var counts = [Int](repeating: 0, count: width)
            values.withUnsafeBufferPointer { v in
                for r in rows {
                    let base = r * width
                    for c in 0 ..< width {
                        let x = v[base + c]
                        if !x.isNaN { sums[c] += Double(x); counts[c] += 1 }
                    }
                }
            }
            return (sums, counts)
        }
        var means = [Double](repeating: 0, count: width)
        var counts = [Int](repeating: 0, count: width)
        for (sums, chunkCounts) in partials {
            for c in 0 ..< width { means[c] += sums[c]; counts[c] += chunkCounts[c] }
        }
        for c in 0 ..< width { means[c] = counts[c] > 0 ? means[c] / Double(counts[c]) : 0 }
        // Pass 2: centred sums of squares (stable).
        let squareSums = parallelChunks(count: rowCount) { rows -> [Double] in
            var squares = [Double](repeating: 0, count: width)
            values.withUnsafeBufferPointer { v in
                for r in rows {
                    let base = r * width
                    for c in 0 ..< width {
                        let x = v[base + c]
                        if !x.isNaN { let d = Double(x) - means[c]; squares[c] += d * d }
                    }
                }
            }
            return squares
        }
        var scales = [Double](repeating: 0, count: width)
        for squares in squareSums { for c in 0 ..< width { scales[c] += squares[c] } }
        for c in 0 ..< width {
            let sd = counts[c] > 0 ? (scales[c] / Double(counts[c])).squareRoot() : 0
            // Constant (or nearly constant) columns keep scale 1, as in scikit-learn.
            scales[c] = sd > 10 * Double.ulpOfOne * max(abs(means[c]), 1) ? sd : 1
        }
        self.init(means: means, scales: scales)
    }

    /// `features` standardised with the fitted means and scales; NaN becomes 0.
    public func transform(_ features: DenseMatrix) -> DenseMatrix {
        precondition(features.columnCount == means.count,
                     "Standardizer: fitted on \(means.count) columns, given \(features.columnCount)")
        let width = features.columnCount
        let inverseScales = scales.map { 1 / $0 }
        var out = features
        let means = means
        out.values.withUnsafeMutableBufferPointer { v in
            // Chunks write disjoint row ranges of the one output buffer.
            _ = parallelChunks(count: features.rowCount) { rows in
                for r in rows {
                    let base = r * width
                    for c in 0 ..< width {
                        let x = v[base + c]
                        v[base + c] = x.isNaN ? 0 : Float((Double(x) - means[c]) * inverseScales[c])
                    }
                }
            }
        }
        return out
    }
}
