import Core
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

/// Builds gradient/hessian histograms of a leaf's rows (LightGBM's column-wise histograms).
///
/// The rows' gradients are first gathered into contiguous "ordered" buffers; then each feature's bins
/// are filled in a pass over the rows. A small leaf is built feature by feature, and the tree grower
/// runs the features in parallel (fused with subtraction and split search). A large leaf is cut into
/// row chunks that each fill their own histogram of every feature while their gradients are in
/// cache, summed per feature afterwards. The chunks depend only on the leaf's size, never on the
/// thread count, so the sums — and the whole fitted model — are the same on one thread or many.
/// The larger child of a split is never built: it is `parent − smaller`.
enum HistogramBuilder {
    /// Rows × features from which a leaf is built in row chunks.
    static let rowChunkWorkThreshold = 60_000
    /// At most this many row chunks, each of at least `minimumChunkRowCount` rows.
    static let maxChunkCount = 4
    static let minimumChunkRowCount = 2048

    /// Row chunks for a leaf of `rowCount` rows and `featureCount` features (thread-independent).
    static func chunkCount(rowCount: Int, featureCount: Int) -> Int {
        guard rowCount * featureCount >= rowChunkWorkThreshold else { return 1 }
        return max(1, min(maxChunkCount, rowCount / minimumChunkRowCount))
    }

    /// Rows above which gathering a leaf's gradients is split across the pool.
    static let parallelGatherThreshold = 32_768

    /// Copies the gradients and hessians of `rows[range]` into `orderedGradients/Hessians[range]`.
    @inline(__always)
    static func gather(rows: UnsafePointer<Int32>, range: Range<Int>, gradients: UnsafePointer<Float>,
                       hessians: UnsafePointer<Float>, orderedGradients: UnsafeMutablePointer<Float>,
                       orderedHessians: UnsafeMutablePointer<Float>) {
        for i in range {
            let r = Int(rows[i])
            orderedGradients[i] = gradients[r]
            orderedHessians[i] = hessians[r]
        }
    }

    /// Zeroes feature `column`'s `binCount` bins at `h` and adds positions `range` of the leaf: rows
    /// `rows[i]` (or the rows `i` themselves when nil), whose gradients and hessians are indexed by position.
    @inline(__always)
    static func buildFeature(column: UnsafePointer<UInt8>, rows: UnsafePointer<Int32>?, range: Range<Int>,
                             gradients: UnsafePointer<Float>, hessians: UnsafePointer<Float>, binCount: Int,
                             into h: UnsafeMutablePointer<HistogramBin>) {
        if range.count >= 8 * binCount && range.count >= 64 {
            accumulateSmallFeature(column: column, rows: rows, range: range, gradients: gradients,
                                   hessians: hessians, binCount: binCount, into: h)
            return
        }
        h.update(repeating: HistogramBin(), count: binCount)
        accumulate(column: column, rows: rows, range: range, gradients: gradients, hessians: hessians, into: h)
    }

    /// Adds row chunks `1 ..< chunkCount` (see ``LeafHistogramBuild``) into chunk 0 for the bins
    /// `offset ..< offset + binCount`.
    @inline(__always)
    static func mergeChunks(offset: Int, binCount: Int, chunkCount: Int, scratch: UnsafePointer<HistogramBin>,
                            totalBinCount: Int, into histogram: UnsafeMutablePointer<HistogramBin>) {
        for chunk in 1 ..< max(1, chunkCount) {
            let source = scratch + (chunk - 1) * totalBinCount
            for b in offset ..< offset + binCount {
                histogram[b].sumGradients += source[b].sumGradients
                histogram[b].sumHessians += source[b].sumHessians
            }
        }
    }

    /// Whole histogram of `features` for `rows` (nil: every row `0 ..< rowCount` in order), on `pool`
    /// (``LeafHistogramBuild`` with nothing else per feature). `orderedGradients/Hessians` must hold
    /// `rows.count` values and `scratch` `(maxChunkCount − 1) × layout.totalBinCount` bins.
    static func build(
        binned: UnsafePointer<UInt8>, rowCount: Int, layout: HistogramLayout, features: [Int],
        rows: UnsafeBufferPointer<Int32>?, gradients: UnsafePointer<Float>, hessians: UnsafePointer<Float>,
        orderedGradients: UnsafeMutablePointer<Float>, orderedHessians: UnsafeMutablePointer<Float>,
        scratch: UnsafeMutablePointer<HistogramBin>, pool: WorkerPool, into histogram: UnsafeMutablePointer<HistogramBin>
    ) {
        let leaf = LeafHistogramBuild(
            binned: binned, rowCount: rowCount, layout: layout, features: features, rows: rows?.baseAddress,
            count: rows?.count ?? rowCount, gradients: gradients, hessians: hessians, orderedGradients: orderedGradients,
            orderedHessians: orderedHessians, scratch: scratch, pool: pool, into: histogram)
        pool.run(taskCount: features.count) { leaf.finish(feature: features[$0]) }
    }

    /// Adds rows `range` (positions in `rows`, or rows themselves when nil) of one feature's `column`
    /// to its histogram `h`; gradients and hessians are indexed by position.
    @inline(__always)
    static func accumulate(column: UnsafePointer<UInt8>, rows: UnsafePointer<Int32>?, range: Range<Int>,
                           gradients g: UnsafePointer<Float>, hessians hs: UnsafePointer<Float>,
                           into h: UnsafeMutablePointer<HistogramBin>) {
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
    static func accumulateSmallFeature(column: UnsafePointer<UInt8>, rows: UnsafePointer<Int32>?,
                                       range: Range<Int>, gradients g: UnsafePointer<Float>,
                                       hessians hs: UnsafePointer<Float>, binCount: Int,
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
            subtract(smaller + layout.offsets[f], from: parent + layout.offsets[f], binCount: layout.offsets[f + 1] - layout.offsets[f])
        }
    }

    /// `larger = parent − smaller` over one feature's `binCount` bins.
    @inline(__always)
    static func subtract(_ smaller: UnsafePointer<HistogramBin>, from parent: UnsafeMutablePointer<HistogramBin>,
                         binCount: Int) {
        for b in 0 ..< binCount {
            parent[b].sumGradients -= smaller[b].sumGradients
            parent[b].sumHessians -= smaller[b].sumHessians
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

/// One leaf's histogram in the making, in two phases. Creating it does the work across rows: for a
/// large leaf (``HistogramBuilder/chunkCount(rowCount:featureCount:)`` > 1) each row chunk gathers its
/// gradients and fills its own histogram of every feature (chunk 0 the output, the others `scratch`);
/// otherwise the leaf's gradients are gathered once. ``finish(feature:)`` then completes one feature
/// (sums the chunks, or fills it from the gathered gradients). Features are independent, so callers
/// run them as parallel tasks, and may fold more per-feature work into the same task (the tree grower
/// subtracts and searches there).
struct LeafHistogramBuild {
    let binned: UnsafePointer<UInt8>
    let rowCount: Int
    let offsets: [Int]
    let totalBinCount: Int
    /// The leaf's rows (nil: every row in order) and how many.
    let rows: UnsafePointer<Int32>?
    let count: Int
    let chunkCount: Int
    /// Gradients and hessians by position in the leaf.
    let gradients: UnsafePointer<Float>
    let hessians: UnsafePointer<Float>
    let scratch: UnsafePointer<HistogramBin>
    let histogram: UnsafeMutablePointer<HistogramBin>

    init(binned: UnsafePointer<UInt8>, rowCount: Int, layout: HistogramLayout, features: [Int],
         rows: UnsafePointer<Int32>?, count: Int, gradients: UnsafePointer<Float>, hessians: UnsafePointer<Float>,
         orderedGradients: UnsafeMutablePointer<Float>, orderedHessians: UnsafeMutablePointer<Float>,
         scratch: UnsafeMutablePointer<HistogramBin>, pool: WorkerPool?, into histogram: UnsafeMutablePointer<HistogramBin>) {
        self.binned = binned
        self.rowCount = rowCount
        offsets = layout.offsets
        totalBinCount = layout.totalBinCount
        self.rows = rows
        self.count = count
        chunkCount = HistogramBuilder.chunkCount(rowCount: count, featureCount: features.count)
        self.scratch = UnsafePointer(scratch)
        self.histogram = histogram
        let ordered = rows == nil ? (gradients, hessians) : (UnsafePointer(orderedGradients), UnsafePointer(orderedHessians))
        (self.gradients, self.hessians) = ordered
        let offsets = offsets, total = totalBinCount
        // Serially (no pool) the same chunks run one after the other: the sums do not change.
        let forEachChunk = { (chunks: Int, body: (Int, Range<Int>) -> Void) in
            if let pool { pool.forEachChunk(count: count, chunkCount: chunks, body) } else {
                for chunk in 0 ..< chunks { body(chunk, chunkRange(chunk, of: chunks, in: count)) }
            }
        }
        if chunkCount > 1 {
            forEachChunk(chunkCount) { chunk, range in
                let target = chunk == 0 ? histogram : scratch + (chunk - 1) * total
                if let rows {
                    HistogramBuilder.gather(rows: rows, range: range, gradients: gradients, hessians: hessians,
                                            orderedGradients: orderedGradients, orderedHessians: orderedHessians)
                }
                for f in features {
                    HistogramBuilder.buildFeature(column: binned + f * rowCount, rows: rows, range: range,
                                                  gradients: ordered.0, hessians: ordered.1,
                                                  binCount: offsets[f + 1] - offsets[f], into: target + offsets[f])
                }
            }
        } else if let rows {
            let gatherChunks = count >= HistogramBuilder.parallelGatherThreshold ? pool?.threadCount ?? 1 : 1
            forEachChunk(gatherChunks) { _, range in
                HistogramBuilder.gather(rows: rows, range: range, gradients: gradients, hessians: hessians,
                                        orderedGradients: orderedGradients, orderedHessians: orderedHessians)
            }
        }
    }

    /// Completes feature `f`'s bins of the histogram.
    @inline(__always)
    func finish(feature f: Int) {
        let offset = offsets[f]
        let binCount = offsets[f + 1] - offset
        if chunkCount > 1 {
            HistogramBuilder.mergeChunks(offset: offset, binCount: binCount, chunkCount: chunkCount, scratch: scratch,
                                         totalBinCount: totalBinCount, into: histogram)
        } else {
            HistogramBuilder.buildFeature(column: binned + f * rowCount, rows: rows, range: 0 ..< count,
                                          gradients: gradients, hessians: hessians, binCount: binCount,
                                          into: histogram + offset)
        }
    }
}
