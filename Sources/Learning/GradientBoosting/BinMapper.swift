import Foundation

/// Maps raw feature values to small integer bins (LightGBM / scikit-learn `_BinMapper`).
///
/// Each feature gets up to `maxBinCount` bins for non-missing values, cut at quantiles of its
/// distinct values (a greedy equal-frequency pass over distinct values, so a heavy value gets a bin
/// of its own); NaN always maps to the feature's extra *missing bin*, `missingBin(feature)`.
/// Bin `b` holds values `v` with `upperBounds[b-1] < v <= upperBounds[b]`; the bounds are midpoints
/// between neighbouring distinct training values, so a split "bin <= b" is the raw rule
/// "value <= upperBounds[b]" and prediction works on raw values.
public struct BinMapper: Sendable, Codable, Equatable {
    /// Per feature, the upper bounds of the non-missing bins; the last one is `+infinity`.
    public private(set) var upperBounds: [[Double]]
    /// The largest allowed number of non-missing bins.
    public let maxBinCount: Int

    /// Rows used to find the bins when the training set is larger (LightGBM's `bin_construct_sample_cnt`).
    public static let binningSampleCount = 200_000

    public var featureCount: Int { upperBounds.count }

    /// Number of non-missing bins of `feature`; the missing bin has this index.
    @inline(__always)
    public func missingBin(_ feature: Int) -> Int { upperBounds[feature].count }

    /// Bins per feature including the missing bin.
    public func binCount(_ feature: Int) -> Int { upperBounds[feature].count + 1 }

    /// Learns bins from the columns of `features` (NaN = missing); rejects infinite values.
    public init(fitting features: DenseMatrix, maxBinCount: Int = 255, seed: UInt64 = 0, threadCount: Int = 1) throws {
        guard (2 ... 255).contains(maxBinCount) else {
            throw GradientBoostingError.invalidParameter("maxBinCount must be in [2, 255], got \(maxBinCount)")
        }
        self.maxBinCount = maxBinCount
        let rowCount = features.rowCount
        let columnCount = features.columnCount
        var sampleRows: [Int]? = nil
        if rowCount > Self.binningSampleCount {
            var generator = GradientBoostingRandomGenerator(seed: seed ^ 0xB1B1_B1B1)
            sampleRows = generator.sample(Self.binningSampleCount, from: rowCount)
        }
        if let (row, column) = Self.firstInfiniteValue(features) {
            throw GradientBoostingError.invalidInput(
                "feature '\(features.columnNames[column])' (column \(column)) is infinite at row \(row); use NaN for missing values")
        }
        var bounds = [[Double]](repeating: [], count: columnCount)
        bounds.withUnsafeMutableBufferPointer { output in
            let out = BoostingSharedPointer(output.baseAddress!)
            features.values.withUnsafeBufferPointer { values in
                gradientBoostingParallelChunks(total: columnCount, chunkCount: threadCount) { _, columns in
                    var column = [Double]()
                    for c in columns {
                        column.removeAll(keepingCapacity: true)
                        if let sampleRows {
                            for r in sampleRows {
                                let v = values[r * columnCount + c]
                                if !v.isNaN { column.append(Double(v)) }
                            }
                        } else {
                            for r in 0 ..< rowCount {
                                let v = values[r * columnCount + c]
                                if !v.isNaN { column.append(Double(v)) }
                            }
                        }
                        (out.base + c).pointee = Self.upperBounds(ofValues: &column, maxBinCount: maxBinCount)
                    }
                }
            }
        }
        self.upperBounds = bounds
    }

    /// A mapper with given bounds (tests, loading).
    init(upperBounds: [[Double]], maxBinCount: Int) {
        self.upperBounds = upperBounds
        self.maxBinCount = maxBinCount
    }

    static func firstInfiniteValue(_ features: DenseMatrix) -> (row: Int, column: Int)? {
        for (i, v) in features.values.enumerated() where v.isInfinite {
            return (i / features.columnCount, i % features.columnCount)
        }
        return nil
    }

    /// Upper bounds of at most `maxBinCount` bins of the non-missing `values` (sorted in place).
    static func upperBounds(ofValues values: inout [Double], maxBinCount: Int) -> [Double] {
        if values.isEmpty { return [.infinity] }
        values.sort()
        // Distinct values and their counts.
        var distinct = [Double]()
        var counts = [Int]()
        for v in values {
            if let last = distinct.last, last == v { counts[counts.count - 1] += 1 } else { distinct.append(v); counts.append(1) }
        }
        if distinct.count <= maxBinCount {
            return greedyCuts(distinct[...], counts[...], maxBinCount: maxBinCount) + [.infinity]
        }
        // As LightGBM: zero (|v| <= 1e-35) gets a bin of its own and the negative and positive values
        // share the other bins in proportion to their counts, so "v <= 0" is always a candidate split.
        let firstNonNegative = distinct.firstIndex { $0 > -zeroThreshold } ?? distinct.count
        let firstPositive = distinct.firstIndex { $0 > zeroThreshold } ?? distinct.count
        let negativeCount = counts[..<firstNonNegative].reduce(0, +)
        let zeroCount = counts[firstNonNegative ..< firstPositive].reduce(0, +)
        var bounds = [Double]()
        if firstNonNegative > 0 {
            let share = Double(negativeCount) / Double(values.count - zeroCount) * Double(maxBinCount - 1)
            bounds = greedyCuts(distinct[..<firstNonNegative], counts[..<firstNonNegative],
                                maxBinCount: max(1, Int(share)))
            bounds.append(-zeroThreshold)
        }
        if firstPositive < distinct.count {
            if zeroCount > 0 || firstNonNegative > 0 { bounds.append(zeroThreshold) }
            let binsLeft = maxBinCount - bounds.count
            bounds += greedyCuts(distinct[firstPositive...], counts[firstPositive...], maxBinCount: max(1, binsLeft))
        }
        if bounds.last == -zeroThreshold && zeroCount == 0 { bounds.removeLast() }
        bounds.append(.infinity)
        return bounds
    }

    /// |v| at most this is "zero" for binning (LightGBM's `kZeroThreshold`).
    static let zeroThreshold = 1e-35

    /// Cut points (upper bounds of every bin but the last) for at most `maxBinCount` bins of the sorted
    /// `distinct` values with `counts`: midpoints between neighbours when they fit, otherwise a greedy
    /// equal-frequency pass that closes a bin once it holds the mean of what remains per remaining
    /// bin, so heavy values get a bin of their own and the rest re-balance.
    static func greedyCuts(_ distinct: ArraySlice<Double>, _ counts: ArraySlice<Int>, maxBinCount: Int) -> [Double] {
        let d = Array(distinct), c = Array(counts)
        var cuts = [Double]()
        if d.count <= 1 || maxBinCount <= 1 { return cuts }
        if d.count <= maxBinCount {
            for i in 0 ..< d.count - 1 { cuts.append(midpoint(d[i], d[i + 1])) }
            return cuts
        }
        var remainingCount = c.reduce(0, +)
        var binsLeft = maxBinCount
        var inBin = 0
        for i in 0 ..< d.count - 1 {
            inBin += c[i]
            let target = Double(remainingCount) / Double(binsLeft)
            // Close here if full, or if the next value alone would overfill it by more than this under-fills it.
            let nextOverflows = Double(inBin + c[i + 1]) - target > target - Double(inBin)
            if Double(inBin) >= target || (nextOverflows && inBin > 0) {
                cuts.append(midpoint(d[i], d[i + 1]))
                remainingCount -= inBin
                inBin = 0
                binsLeft -= 1
                if binsLeft == 1 { break }
            }
        }
        return cuts
    }

    @inline(__always)
    static func midpoint(_ a: Double, _ b: Double) -> Double {
        let m = a + (b - a) / 2
        // Keep `a <= m < b` even when a and b are neighbouring doubles.
        return m < b ? m : a
    }

    /// The bin of `value` for `feature`: NaN gives the missing bin.
    @inline(__always)
    public func bin(of value: Float, feature: Int) -> Int {
        if value.isNaN { return upperBounds[feature].count }
        return Self.bin(of: Double(value), upperBounds: upperBounds[feature])
    }

    /// First `b` with `value <= bounds[b]` (binary search; the last bound is +infinity).
    @inline(__always)
    static func bin(of value: Double, upperBounds bounds: [Double]) -> Int {
        var low = 0
        var high = bounds.count - 1
        while low < high {
            let mid = (low + high) >> 1
            if value <= bounds[mid] { high = mid } else { low = mid + 1 }
        }
        return low
    }

    /// The binned matrix of `features`, column-major (`bins[feature * rowCount + row]`).
    public func transform(_ features: DenseMatrix, threadCount: Int = 1) throws -> BinnedMatrix {
        guard features.columnCount == featureCount else {
            throw GradientBoostingError.invalidInput(
                "matrix has \(features.columnCount) columns but the bins were learned on \(featureCount)")
        }
        let rowCount = features.rowCount
        let columnCount = features.columnCount
        var bins = [UInt8](repeating: 0, count: rowCount * columnCount)
        bins.withUnsafeMutableBufferPointer { output in
            let out = BoostingSharedPointer(output.baseAddress!)
            features.values.withUnsafeBufferPointer { values in
                gradientBoostingParallelChunks(total: columnCount, chunkCount: threadCount) { _, columns in
                    for c in columns {
                        let bounds = upperBounds[c]
                        let missing = UInt8(bounds.count)
                        let column = out.base + c * rowCount
                        bounds.withUnsafeBufferPointer { b in
                            let last = b.count - 1
                            for r in 0 ..< rowCount {
                                let v = values[r * columnCount + c]
                                if v.isNaN { column[r] = missing; continue }
                                // Branch-free lower bound: first b with x <= bounds[b] (the last bound is +inf).
                                let x = Double(v)
                                var base = 0
                                var size = last + 1
                                while size > 1 {
                                    let half = size >> 1
                                    base = b[base + half - 1] < x ? base + half : base
                                    size -= half
                                }
                                column[r] = UInt8(base)
                            }
                        }
                    }
                }
            }
        }
        return BinnedMatrix(rowCount: rowCount, featureCount: columnCount, bins: bins,
                            missingBins: (0 ..< columnCount).map { UInt8(missingBin($0)) })
    }
}

/// Features as bins, column-major: `bins[feature * rowCount + row]`.
public struct BinnedMatrix: Sendable, Equatable {
    public let rowCount: Int
    public let featureCount: Int
    public let bins: [UInt8]
    /// Per feature, the index of the missing-value bin (= its number of non-missing bins).
    public let missingBins: [UInt8]

    @inline(__always)
    public subscript(row: Int, feature: Int) -> UInt8 { bins[feature * rowCount + row] }
}
