import Core
import Foundation

/// The rows of the tree being grown, grouped by leaf (LightGBM's `DataPartition`): one index array in
/// which every leaf owns a contiguous range, and a split divides its leaf's range in place, stably,
/// into the left rows (which keep the leaf's number) followed by the right rows (the new leaf).
/// Allocated once per fit and reused by every tree.
final class DataPartition {
    /// Rows the index array can hold (the training rows).
    let rowCapacity: Int
    /// Rows from which a split's partition is spread over the pool's threads.
    static let parallelRowThreshold = 40_000

    private let indices: UnsafeMutablePointer<Int32>
    private let scratch: UnsafeMutablePointer<Int32>
    /// Per leaf, the start of its range and its row count.
    private(set) var leafBegins: [Int] = []
    private(set) var leafRowCounts: [Int] = []

    init(rowCapacity: Int, leafCapacity: Int) {
        self.rowCapacity = rowCapacity
        indices = .allocate(capacity: max(1, rowCapacity))
        scratch = .allocate(capacity: max(1, rowCapacity))
        leafBegins.reserveCapacity(leafCapacity)
        leafRowCounts.reserveCapacity(leafCapacity)
    }

    deinit {
        indices.deallocate()
        scratch.deallocate()
    }

    /// Starts a tree with one leaf holding `bagRows` (ascending), or every row in order when nil.
    func reset(bagRows: [Int32]?) {
        leafBegins.removeAll(keepingCapacity: true)
        leafRowCounts.removeAll(keepingCapacity: true)
        if let bagRows {
            bagRows.withUnsafeBufferPointer { indices.update(from: $0.baseAddress!, count: bagRows.count) }
        } else {
            for i in 0 ..< rowCapacity { indices[i] = Int32(i) }
        }
        leafBegins.append(0)
        leafRowCounts.append(bagRows?.count ?? rowCapacity)
    }

    var leafCount: Int { leafBegins.count }

    /// The whole index array: every leaf's rows, in leaf ranges.
    var allIndices: UnsafePointer<Int32> { UnsafePointer(indices) }

    /// The rows of `leaf`, `leafRowCounts[leaf]` of them.
    func rows(of leaf: Int) -> UnsafePointer<Int32> { UnsafePointer(indices + leafBegins[leaf]) }

    /// Splits `leaf`'s rows by the binned `column`: bins `<= threshold` (and the `missingBin` when
    /// `missingGoesLeft`) stay in `leaf`, the others become a new leaf (the next number). Returns the
    /// left row count.
    func split(leaf: Int, column: UnsafePointer<UInt8>, threshold: UInt8, missingBin: UInt8, missingGoesLeft: Bool,
               pool: WorkerPool) -> Int {
        let begin = leafBegins[leaf]
        let count = leafRowCounts[leaf]
        let rule = SplitRule(column: column, threshold: threshold, missingBin: missingBin, missingGoesLeft: missingGoesLeft)
        let leftCount = count >= Self.parallelRowThreshold && pool.threadCount > 1
            ? partitionInChunks(begin: begin, count: count, rule: rule, pool: pool)
            : partitionSerially(begin: begin, count: count, rule: rule)
        leafRowCounts[leaf] = leftCount
        leafBegins.append(begin + leftCount)
        leafRowCounts.append(count - leftCount)
        return leftCount
    }

    /// Where a binned row goes.
    private struct SplitRule: @unchecked Sendable {
        let column: UnsafePointer<UInt8>
        let threshold: UInt8
        let missingBin: UInt8
        let missingGoesLeft: Bool

        @inline(__always)
        func goesLeft(_ row: Int32) -> Bool {
            let b = column[Int(row)]
            return b == missingBin ? missingGoesLeft : b <= threshold
        }
    }

    /// Writes `source[range]`'s left rows forward from `range.lowerBound` and its right rows backward
    /// from `range.upperBound` into `target`; returns the left count. Branch-free: each row is written
    /// to both ends and only its side advances (the two writes coincide on the last row).
    @inline(__always)
    private static func scatter(_ source: UnsafePointer<Int32>, range: Range<Int>, into target: UnsafeMutablePointer<Int32>,
                                rule: SplitRule) -> Int {
        var left = range.lowerBound
        var right = range.upperBound
        for i in range {
            let row = source[i]
            let step = rule.goesLeft(row) ? 1 : 0
            target[left] = row
            target[right - 1] = row
            left += step
            right -= 1 - step
        }
        return left - range.lowerBound
    }

    /// Copies `scratch[range]` back to `indices` at `leftStart` (left rows) and `rightStart` (right
    /// rows, reversed back into order).
    @inline(__always)
    private func copyBack(range: Range<Int>, leftCount: Int, leftStart: Int, rightStart: Int) {
        (indices + leftStart).update(from: scratch + range.lowerBound, count: leftCount)
        var destination = rightStart
        var source = range.upperBound - 1
        while source >= range.lowerBound + leftCount { indices[destination] = scratch[source]; destination += 1; source -= 1 }
    }

    private func partitionSerially(begin: Int, count: Int, rule: SplitRule) -> Int {
        let range = begin ..< begin + count
        let leftCount = Self.scatter(indices, range: range, into: scratch, rule: rule)
        copyBack(range: range, leftCount: leftCount, leftStart: begin, rightStart: begin + leftCount)
        return leftCount
    }

    /// The same partition in one chunk per thread: each chunk scatters its rows, then the chunks' left
    /// rows are copied back in chunk order, followed by their right rows.
    private func partitionInChunks(begin: Int, count: Int, rule: SplitRule, pool: WorkerPool) -> Int {
        let chunks = pool.threadCount
        let leftCounts = UnsafeMutableBufferPointer<Int>.allocate(capacity: chunks)
        defer { leftCounts.deallocate() }
        let counts = BoostingSharedPointer(leftCounts.baseAddress!)
        let source = BoostingSharedPointer(indices), target = BoostingSharedPointer(scratch)
        pool.forEachChunk(count: count, chunkCount: chunks) { chunk, range in
            let shifted = begin + range.lowerBound ..< begin + range.upperBound
            counts.base[chunk] = Self.scatter(source.base, range: shifted, into: target.base, rule: rule)
        }
        let totalLeft = leftCounts.reduce(0, +)
        var leftStarts = [Int](), rightStarts = [Int]()
        var left = begin, right = begin + totalLeft
        for chunk in 0 ..< chunks {
            leftStarts.append(left); rightStarts.append(right)
            left += leftCounts[chunk]
            right += chunkRange(chunk, of: chunks, in: count).count - leftCounts[chunk]
        }
        pool.run(taskCount: chunks) { chunk in
            let range = chunkRange(chunk, of: chunks, in: count)
            self.copyBack(range: begin + range.lowerBound ..< begin + range.upperBound, leftCount: counts.base[chunk],
                          leftStart: leftStarts[chunk], rightStart: rightStarts[chunk])
        }
        return totalLeft
    }
}
