import Foundation

/// One histogram bin: the sums of gradients and hessians of the rows in the bin. As in LightGBM there
/// is no row count: split finding estimates counts from hessians (see `SplitFinder`).
public struct HistogramBin: Sendable, Equatable {
    public var sumGradients: Double = 0
    public var sumHessians: Double = 0

    public init(sumGradients: Double = 0, sumHessians: Double = 0) {
        self.sumGradients = sumGradients
        self.sumHessians = sumHessians
    }
}

/// Where each feature's bins sit in a flat histogram: feature `f` owns `offsets[f] ..< offsets[f + 1]`.
public struct HistogramLayout: Sendable, Equatable {
    public let offsets: [Int]
    public var totalBinCount: Int { offsets[offsets.count - 1] }

    public init(binMapper: BinMapper) {
        var offsets = [0]
        for f in 0 ..< binMapper.featureCount { offsets.append(offsets[f] + binMapper.binCount(f)) }
        self.offsets = offsets
    }
}

/// Builds gradient/hessian/count histograms of a leaf's rows (LightGBM's column-wise histograms).
///
/// The rows' gradients are first gathered into contiguous "ordered" buffers, then each feature's
/// bins are read in row order; large leaves are split into row chunks with their own histograms,
/// summed at the end. The larger child of a split is never built: it is `parent − smaller`.
///
/// The chunks depend only on the leaf's size, never on the thread count, so the sums — and the
/// whole fitted model — are the same on one thread or many.
enum HistogramBuilder {
    /// Rows × features below which a histogram is built in one chunk.
    static let parallelWorkThreshold = 60_000
    /// At most this many row chunks, each of at least `minimumChunkRowCount` rows.
    static let maxChunkCount = 4
    static let minimumChunkRowCount = 2048

    /// Row chunks for a leaf of `rowCount` rows and `featureCount` features (thread-independent).
    static func chunkCount(rowCount: Int, featureCount: Int) -> Int {
        guard rowCount * featureCount >= parallelWorkThreshold else { return 1 }
        return max(1, min(maxChunkCount, rowCount / minimumChunkRowCount))
    }

    /// Fast builder. `rows == nil` means every row `0 ..< rowCount` in order. `scratch` must hold
    /// `(maxChunkCount − 1) × layout.totalBinCount` bins and `orderedGradients/Hessians` at least
    /// `rows.count` values. `threadCount == 1` runs the chunks one after the other.
    static func build(
        binned: UnsafePointer<UInt8>, rowCount: Int, layout: HistogramLayout, features: [Int],
        rows: UnsafeBufferPointer<Int32>?, gradients: UnsafePointer<Float>, hessians: UnsafePointer<Float>,
        orderedGradients: UnsafeMutablePointer<Float>, orderedHessians: UnsafeMutablePointer<Float>,
        scratch: UnsafeMutablePointer<HistogramBin>, threadCount: Int,
        into histogram: UnsafeMutablePointer<HistogramBin>
    ) {
        let total = layout.totalBinCount
        let n = rows?.count ?? rowCount
        let chunkCount = Self.chunkCount(rowCount: n, featureCount: features.count)
        let offsets = layout.offsets
        let scratchPointer = BoostingSharedPointer(scratch)
        let histogramPointer = BoostingSharedPointer(histogram)
        let orderedG = BoostingSharedPointer(orderedGradients)
        let orderedH = BoostingSharedPointer(orderedHessians)
        let binsPointer = BoostingSharedPointer(UnsafeMutablePointer(mutating: binned))
        let gradientPointer = BoostingSharedPointer(UnsafeMutablePointer(mutating: gradients))
        let hessianPointer = BoostingSharedPointer(UnsafeMutablePointer(mutating: hessians))
        let rowBase = rows.map { BoostingSharedPointer(UnsafeMutablePointer(mutating: $0.baseAddress!)) }
        let actualChunks = max(1, min(chunkCount, n))
        if actualChunks == 1 && threadCount > 1 && features.count >= 2 && n * features.count >= featureParallelThreshold {
            // Too few rows for row chunks but enough work: gather once, then split the features
            // between the threads. Each feature's sums keep the same row order, so nothing changes.
            let g: UnsafeMutablePointer<Float>
            let hs: UnsafeMutablePointer<Float>
            if let rowBase {
                for i in 0 ..< n {
                    let r = Int(rowBase.base[i])
                    orderedG.base[i] = gradientPointer.base[r]
                    orderedH.base[i] = hessianPointer.base[r]
                }
                g = orderedG.base; hs = orderedH.base
            } else {
                g = gradientPointer.base; hs = hessianPointer.base
            }
            let gp = BoostingSharedPointer(g), hp = BoostingSharedPointer(hs)
            let groups = min(features.count, 4 * threadCount)
            parallelForEachChunk(count: features.count, chunkCount: groups) { _, featureRange in
                for f in features[featureRange] {
                    let h = histogramPointer.base + offsets[f]
                    let binCount = offsets[f + 1] - offsets[f]
                    for b in 0 ..< binCount { h[b] = HistogramBin() }
                    accumulate(column: binsPointer.base + f * rowCount, rows: rowBase?.base, range: 0 ..< n,
                               gradients: gp.base, hessians: hp.base, binCount: binCount, into: h)
                }
            }
            return
        }
        parallelForEachChunk(count: n, chunkCount: actualChunks, threadCount: threadCount) { chunk, range in
            // Chunk 0 writes straight into the output; the others into their scratch slot.
            let target = chunk == 0 ? histogramPointer.base : scratchPointer.base + (chunk - 1) * total
            for f in features {
                let h = target + offsets[f]
                for b in 0 ..< offsets[f + 1] - offsets[f] { h[b] = HistogramBin() }
            }
            if range.isEmpty { return }
            let g: UnsafeMutablePointer<Float>
            let hs: UnsafeMutablePointer<Float>
            if let rowBase {
                let idx = rowBase.base
                for i in range {
                    let r = Int(idx[i])
                    orderedG.base[i] = gradientPointer.base[r]
                    orderedH.base[i] = hessianPointer.base[r]
                }
                g = orderedG.base
                hs = orderedH.base
            } else {
                g = gradientPointer.base
                hs = hessianPointer.base
            }
            for f in features {
                accumulate(column: binsPointer.base + f * rowCount, rows: rowBase?.base, range: range, gradients: g,
                           hessians: hs, binCount: offsets[f + 1] - offsets[f], into: target + offsets[f])
            }
        }
        if actualChunks > 1 {
            for chunk in 1 ..< actualChunks {
                let source = scratch + (chunk - 1) * total
                for f in features {
                    for b in offsets[f] ..< offsets[f + 1] {
                        histogram[b].sumGradients += source[b].sumGradients
                        histogram[b].sumHessians += source[b].sumHessians
                    }
                }
            }
        }
    }

    /// Rows × features above which a leaf too small for row chunks is built feature-parallel.
    static let featureParallelThreshold = 98_304

    /// Adds rows `range` (positions in `rows`, or rows themselves when nil) of one feature's `column`
    /// to its zeroed histogram `h`; gradients and hessians are indexed by position.
    @inline(__always)
    static func accumulate(column: UnsafeMutablePointer<UInt8>, rows: UnsafeMutablePointer<Int32>?, range: Range<Int>,
                           gradients g: UnsafeMutablePointer<Float>, hessians hs: UnsafeMutablePointer<Float>,
                           binCount: Int, into h: UnsafeMutablePointer<HistogramBin>) {
        if range.count >= 8 * binCount && range.count >= 64 {
            accumulateSmallFeature(column: column, rows: rows, range: range, gradients: g, hessians: hs,
                                   binCount: binCount, into: h)
            return
        }
        if let rows {
            for i in range {
                let b = Int(column[Int(rows[i])])
                h[b].sumGradients += Double(g[i])
                h[b].sumHessians += Double(hs[i])
            }
        } else {
            for i in range {
                let b = Int(column[i])
                h[b].sumGradients += Double(g[i])
                h[b].sumHessians += Double(hs[i])
            }
        }
    }

    /// Largest bin count of a feature (255 value bins + the missing bin).
    static let maxFeatureBinCount = 256

    /// When one bin is frequent (few bins, or a mostly-zero feature), consecutive rows hit the same
    /// bin and each add waits for the previous one. Four sub-histograms (row `i` goes to copy
    /// `i mod 4`) keep four independent chains in flight; they are summed at the end, so this is
    /// used only when the rows outnumber the bins several times over.
    @inline(__always)
    static func accumulateSmallFeature(column: UnsafeMutablePointer<UInt8>, rows: UnsafeMutablePointer<Int32>?,
                                       range: Range<Int>, gradients g: UnsafeMutablePointer<Float>,
                                       hessians hs: UnsafeMutablePointer<Float>, binCount: Int,
                                       into h: UnsafeMutablePointer<HistogramBin>) {
        withUnsafeTemporaryAllocation(of: HistogramBin.self, capacity: 4 * maxFeatureBinCount) { buffer in
            let copies = buffer.baseAddress!
            copies.initialize(repeating: HistogramBin(), count: 4 * binCount)
            let c0 = copies, c1 = copies + binCount, c2 = copies + 2 * binCount, c3 = copies + 3 * binCount
            var i = range.lowerBound
            let end = range.upperBound
            if let rows {
                while i + 4 <= end {
                    let b0 = Int(column[Int(rows[i])]), b1 = Int(column[Int(rows[i + 1])])
                    let b2 = Int(column[Int(rows[i + 2])]), b3 = Int(column[Int(rows[i + 3])])
                    c0[b0].sumGradients += Double(g[i]); c0[b0].sumHessians += Double(hs[i])
                    c1[b1].sumGradients += Double(g[i + 1]); c1[b1].sumHessians += Double(hs[i + 1])
                    c2[b2].sumGradients += Double(g[i + 2]); c2[b2].sumHessians += Double(hs[i + 2])
                    c3[b3].sumGradients += Double(g[i + 3]); c3[b3].sumHessians += Double(hs[i + 3])
                    i += 4
                }
                while i < end {
                    let b = Int(column[Int(rows[i])])
                    c0[b].sumGradients += Double(g[i]); c0[b].sumHessians += Double(hs[i])
                    i += 1
                }
            } else {
                while i + 4 <= end {
                    let b0 = Int(column[i]), b1 = Int(column[i + 1]), b2 = Int(column[i + 2]), b3 = Int(column[i + 3])
                    c0[b0].sumGradients += Double(g[i]); c0[b0].sumHessians += Double(hs[i])
                    c1[b1].sumGradients += Double(g[i + 1]); c1[b1].sumHessians += Double(hs[i + 1])
                    c2[b2].sumGradients += Double(g[i + 2]); c2[b2].sumHessians += Double(hs[i + 2])
                    c3[b3].sumGradients += Double(g[i + 3]); c3[b3].sumHessians += Double(hs[i + 3])
                    i += 4
                }
                while i < end {
                    let b = Int(column[i])
                    c0[b].sumGradients += Double(g[i]); c0[b].sumHessians += Double(hs[i])
                    i += 1
                }
            }
            for b in 0 ..< binCount {
                h[b].sumGradients = (c0[b].sumGradients + c1[b].sumGradients) + (c2[b].sumGradients + c3[b].sumGradients)
                h[b].sumHessians = (c0[b].sumHessians + c1[b].sumHessians) + (c2[b].sumHessians + c3[b].sumHessians)
            }
        }
    }

    /// `larger = parent − smaller`, in place over `parent`, for the given features.
    static func subtract(_ smaller: UnsafePointer<HistogramBin>, from parent: UnsafeMutablePointer<HistogramBin>,
                         layout: HistogramLayout, features: [Int]) {
        for f in features {
            for b in layout.offsets[f] ..< layout.offsets[f + 1] {
                parent[b].sumGradients -= smaller[b].sumGradients
                parent[b].sumHessians -= smaller[b].sumHessians
            }
        }
    }

    /// Slow reference: one pass per feature over the listed rows with plain array indexing.
    static func buildNaive(binned: BinnedMatrix, layout: HistogramLayout, features: [Int], rows: [Int],
                           gradients: [Float], hessians: [Float]) -> [HistogramBin] {
        var histogram = [HistogramBin](repeating: HistogramBin(), count: layout.totalBinCount)
        for f in features {
            for r in rows {
                let b = layout.offsets[f] + Int(binned[r, f])
                histogram[b].sumGradients += Double(gradients[r])
                histogram[b].sumHessians += Double(hessians[r])
            }
        }
        return histogram
    }
}
