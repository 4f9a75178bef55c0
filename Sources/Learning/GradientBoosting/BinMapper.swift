import Core
import Foundation

/// Maps raw feature values to small integer bins exactly as LightGBM's `BinMapper::FindBin` does.
///
/// On up to `binningSampleCount` rows: values within one ulp are merged, zero (|v| ≤ 1e-35) gets bin
/// of its own between the negative and positive bins, each side is cut by LightGBM's `GreedyFindBin`
/// (a boundary only after `minDataInBin` values; frequent values get bins of their own), and a feature
/// with missing values keeps one of the `maxBinCount` bins for them. NaN always maps to the feature's
/// *missing bin*, `missingBin(feature)`, after the value bins. Bin `b` holds values `v` with
/// `upperBounds[b-1] < v <= upperBounds[b]`; a bound is the double just above the midpoint between
/// neighbouring values, so a split "bin <= b" is the raw rule "value <= upperBounds[b]".
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
            var generator = SplitMix64(seed: seed ^ 0xB1B1_B1B1)
            sampleRows = generator.sample(Self.binningSampleCount, from: rowCount)
        }
        if let (row, column) = Self.firstInfiniteValue(features) {
            throw GradientBoostingError.invalidInput(
                "feature '\(features.columnNames[column])' (column \(column)) is infinite at row \(row); use NaN for missing values")
        }
        // Columns in groups of 16 (one cache line of floats per row): one pass over the rows per group
        // gathers its columns, instead of one strided pass per column.
        let groupWidth = 16
        let groupCount = (columnCount + groupWidth - 1) / groupWidth
        var bounds = [[Double]](repeating: [], count: columnCount)
        bounds.withUnsafeMutableBufferPointer { output in
            let out = BoostingSharedPointer(output.baseAddress!)
            features.values.withUnsafeBufferPointer { values in
                let source = BoostingSharedPointer(UnsafeMutablePointer(mutating: values.baseAddress!))
                parallelForEachChunk(count: groupCount, chunkCount: threadCount > 1 ? groupCount : 1) { _, groups in
                    for group in groups {
                        let first = group * groupWidth
                        let width = min(groupWidth, columnCount - first)
                        let sampleCount = sampleRows?.count ?? rowCount
                        var columns = [[Float]](repeating: [], count: width)
                        for j in 0 ..< width { columns[j].reserveCapacity(sampleCount) }
                        var missingCounts = [Int](repeating: 0, count: width)
                        func gather(_ r: Int) {
                            let row = source.base + r * columnCount + first
                            for j in 0 ..< width {
                                let v = row[j]
                                if v.isNaN { missingCounts[j] += 1 } else { columns[j].append(v) }
                            }
                        }
                        if let sampleRows { for r in sampleRows { gather(r) } } else { for r in 0 ..< rowCount { gather(r) } }
                        for j in 0 ..< width {
                            Self.radixSort(&columns[j])
                            var sorted = columns[j].map(Double.init)
                            columns[j] = []
                            (out.base + first + j).pointee = Self.upperBounds(ofValues: &sorted, missingCount: missingCounts[j],
                                                                               maxBinCount: maxBinCount)
                        }
                    }
                }
            }
        }
        self.upperBounds = bounds
    }

    /// Sorts finite (non-NaN) floats ascending: LSD radix sort on order-preserving keys of their bits
    /// (11, 11 and 10 bits), several times faster than a comparison sort on large columns.
    static func radixSort(_ values: inout [Float]) {
        let n = values.count
        if n < 256 { values.sort(); return }
        var keys = values.map { v -> UInt32 in
            let bits = v.bitPattern
            return bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
        }
        var buffer = [UInt32](repeating: 0, count: n)
        var counts = [Int](repeating: 0, count: 2049)
        for (shift, digitBits) in [(0, 11), (11, 11), (22, 10)] as [(UInt32, UInt32)] {
            let mask = (UInt32(1) << digitBits) - 1
            for i in counts.indices { counts[i] = 0 }
            for k in keys { counts[Int((k >> shift) & mask) + 1] += 1 }
            if counts[1 ... Int(mask) + 1].contains(n) { continue }   // one digit value: already in order
            for d in 1 ... Int(mask) + 1 { counts[d] += counts[d - 1] }
            for k in keys {
                let d = Int((k >> shift) & mask)
                buffer[counts[d]] = k
                counts[d] += 1
            }
            swap(&keys, &buffer)
        }
        for i in 0 ..< n {
            let k = keys[i]
            values[i] = Float(bitPattern: k & 0x8000_0000 != 0 ? k & 0x7FFF_FFFF : ~k)
        }
    }

    /// A mapper with given bounds (tests, loading).
    init(upperBounds: [[Double]], maxBinCount: Int) {
        self.upperBounds = upperBounds
        self.maxBinCount = maxBinCount
    }

    /// The mapper of the given features, in that order (their bounds unchanged).
    public func selecting(features: [Int]) throws -> BinMapper {
        if let bad = features.first(where: { !(0 ..< featureCount).contains($0) }) {
            throw GradientBoostingError.invalidInput("feature \(bad) selected from a mapper of \(featureCount) features")
        }
        return BinMapper(upperBounds: features.map { upperBounds[$0] }, maxBinCount: maxBinCount)
    }

    /// This mapper's features followed by `other`'s (both must allow the same number of bins).
    public func appending(_ other: BinMapper) throws -> BinMapper {
        guard other.maxBinCount == maxBinCount else {
            throw GradientBoostingError.invalidInput(
                "cannot join mappers of at most \(maxBinCount) and \(other.maxBinCount) bins")
        }
        return BinMapper(upperBounds: upperBounds + other.upperBounds, maxBinCount: maxBinCount)
    }

    static func firstInfiniteValue(_ features: DenseMatrix) -> (row: Int, column: Int)? {
        for (i, v) in features.values.enumerated() where v.isInfinite {
            return (i / features.columnCount, i % features.columnCount)
        }
        return nil
    }

    /// LightGBM's `min_data_in_bin`: a bin boundary is only placed after at least this many sample values.
    static let minDataInBin = 3

    /// |v| at most this is "zero" for binning (LightGBM's `kZeroThreshold`).
    static let zeroThreshold = 1e-35

    /// Upper bounds of the value bins of one feature from its non-missing sample `values` (sorted in
    /// place), as LightGBM's `BinMapper::FindBin`: values within one ulp are merged, zero (|v| ≤ 1e-35)
    /// gets a bin of its own, the negative and positive values share the other bins in proportion to
    /// their counts (`GreedyFindBin` on each side), and with missing values one bin is left for them,
    /// so value bins + missing bin ≤ `maxBinCount` whenever the feature has missing values.
    static func upperBounds(ofValues values: inout [Double], missingCount: Int = 0, maxBinCount: Int) -> [Double] {
        values.sort()
        let totalCount = values.count
        let valueBinLimit = missingCount > 0 ? max(1, maxBinCount - 1) : maxBinCount
        // Distinct values and counts; zeros are counted apart and inserted between the signs.
        var zeroCount = 0
        var nonZero = [Double]()
        nonZero.reserveCapacity(values.count)
        for v in values { if abs(v) <= zeroThreshold { zeroCount += 1 } else { nonZero.append(v) } }
        var distinct = [Double]()
        var counts = [Int]()
        if nonZero.isEmpty || (nonZero[0] > 0 && zeroCount > 0) { distinct.append(0); counts.append(zeroCount) }
        if let first = nonZero.first { distinct.append(first); counts.append(1) }
        if nonZero.count > 1 {
            for i in 1 ..< nonZero.count {
                let previous = nonZero[i - 1], current = nonZero[i]
                if current <= previous.nextUp {
                    // Equal up to one ulp: one distinct value, the larger one.
                    distinct[distinct.count - 1] = current
                    counts[counts.count - 1] += 1
                } else {
                    if previous < 0 && current > 0 { distinct.append(0); counts.append(zeroCount) }
                    distinct.append(current)
                    counts.append(1)
                }
            }
        }
        if let last = nonZero.last, last < 0, zeroCount > 0 { distinct.append(0); counts.append(zeroCount) }
        return zeroAsOneBin(distinct, counts, maxBinCount: valueBinLimit, totalCount: totalCount)
    }

    /// LightGBM's `FindBinWithZeroAsOneBin`: bins of the negative values (their last bound moved to
    /// −1e-35), the zero bin, then bins of the positive values; the last bound is +infinity.
    static func zeroAsOneBin(_ distinct: [Double], _ counts: [Int], maxBinCount: Int, totalCount: Int) -> [Double] {
        var negativeCount = 0, zeroCount = 0, positiveCount = 0
        for (v, n) in zip(distinct, counts) {
            if v <= -zeroThreshold { negativeCount += n } else if v > zeroThreshold { positiveCount += n } else { zeroCount += n }
        }
        let firstNonNegative = distinct.firstIndex { $0 > -zeroThreshold } ?? distinct.count
        var bounds = [Double]()
        if firstNonNegative > 0 && maxBinCount > 1 {
            let negativeBins = max(1, Int(Double(negativeCount) / Double(totalCount - zeroCount) * Double(maxBinCount - 1)))
            bounds = greedyBounds(distinct[..<firstNonNegative], counts[..<firstNonNegative], maxBinCount: negativeBins,
                                  totalCount: negativeCount)
            if !bounds.isEmpty { bounds[bounds.count - 1] = -zeroThreshold }
        }
        let firstPositive = distinct[firstNonNegative...].firstIndex { $0 > zeroThreshold }
        let positiveBins = maxBinCount - 1 - bounds.count
        if let firstPositive, positiveBins > 0 {
            bounds.append(zeroThreshold)
            bounds += greedyBounds(distinct[firstPositive...], counts[firstPositive...], maxBinCount: positiveBins,
                                   totalCount: positiveCount)
        } else {
            bounds.append(.infinity)
        }
        return bounds
    }

    /// LightGBM's `GreedyFindBin`: upper bounds (the last +infinity) of at most `maxBinCount` bins of
    /// sorted distinct values with counts. With few distinct values each gets a bin once the bin holds
    /// `minDataInBin` values; otherwise values holding a mean bin's worth get bins of their own and the
    /// rest are cut greedily at the running mean size. Bounds are just above the midpoints.
    static func greedyBounds(_ distinctSlice: ArraySlice<Double>, _ countSlice: ArraySlice<Int>, maxBinCount: Int,
                             totalCount: Int) -> [Double] {
        let distinct = Array(distinctSlice), counts = Array(countSlice)
        let n = distinct.count
        var bounds = [Double]()
        func appendBound(_ v: Double) {
            if let last = bounds.last, v <= last.nextUp { return }
            bounds.append(v)
        }
        if n == 0 { return [.infinity] }
        if n <= maxBinCount {
            var inBin = 0
            for i in 0 ..< n - 1 {
                inBin += counts[i]
                if inBin >= minDataInBin {
                    let before = bounds.count
                    appendBound(((distinct[i] + distinct[i + 1]) / 2).nextUp)
                    if bounds.count > before { inBin = 0 }
                }
            }
            bounds.append(.infinity)
            return bounds
        }
        var binLimit = max(1, min(maxBinCount, totalCount / minDataInBin))
        if minDataInBin <= 0 { binLimit = maxBinCount }
        var meanBinSize = Double(totalCount) / Double(binLimit)
        var restBinCount = binLimit
        var restSampleCount = totalCount
        var isBig = [Bool](repeating: false, count: n)
        for i in 0 ..< n where Double(counts[i]) >= meanBinSize {
            isBig[i] = true
            restBinCount -= 1
            restSampleCount -= counts[i]
        }
        meanBinSize = Double(restSampleCount) / Double(restBinCount)
        var upper = [Double](repeating: .infinity, count: binLimit)
        var lower = [Double](repeating: .infinity, count: binLimit)
        var binCount = 0
        lower[0] = distinct[0]
        var inBin = 0
        for i in 0 ..< n - 1 {
            if !isBig[i] { restSampleCount -= counts[i] }
            inBin += counts[i]
            if isBig[i] || Double(inBin) >= meanBinSize || (isBig[i + 1] && Double(inBin) >= max(1.0, meanBinSize * 0.5)) {
                upper[binCount] = distinct[i]
                binCount += 1
                lower[binCount] = distinct[i + 1]
                if binCount >= binLimit - 1 { break }
                inBin = 0
                if !isBig[i] {
                    restBinCount -= 1
                    meanBinSize = Double(restSampleCount) / Double(restBinCount)
                }
            }
        }
        binCount += 1
        for i in 0 ..< binCount - 1 { appendBound(((upper[i] + lower[i + 1]) / 2).nextUp) }
        bounds.append(.infinity)
        return bounds
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
        // Blocks of rows (their values stay in cache) in parallel; within a block, column by column.
        let blockRows = 512
        let blockCount = (rowCount + blockRows - 1) / blockRows
        bins.withUnsafeMutableBufferPointer { output in
            let out = BoostingSharedPointer(output.baseAddress!)
            features.values.withUnsafeBufferPointer { values in
                let source = BoostingSharedPointer(UnsafeMutablePointer(mutating: values.baseAddress!))
                parallelForEachChunk(count: blockCount, chunkCount: threadCount > 1 ? min(blockCount, 8 * threadCount) : 1) { _, blocks in
                    for block in blocks {
                    for c in 0 ..< columnCount {
                        let bounds = upperBounds[c]
                        let missing = UInt8(bounds.count)
                        let column = out.base + c * rowCount
                        bounds.withUnsafeBufferPointer { b in
                            let last = b.count - 1
                            for r in block * blockRows ..< min(rowCount, (block + 1) * blockRows) {
                                let v = source.base[r * columnCount + c]
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
