import Dispatch
import Foundation

// The one set of parallel-loop helpers for the package: contiguous chunks on
// `DispatchQueue.concurrentPerform`, each chunk owning its own accumulator or output region, merged
// by the caller in chunk order (so results never depend on timing or on the thread count).

/// Chunk `chunk` of `chunkCount` near-equal contiguous chunks of `0 ..< count`.
@inlinable @inline(__always)
public func chunkRange(_ chunk: Int, of chunkCount: Int, in count: Int) -> Range<Int> {
    count * chunk / chunkCount ..< count * (chunk + 1) / chunkCount
}

/// Runs `body(chunk, range)` over `chunkCount` contiguous chunks of `0 ..< count`: in parallel when there is
/// more than one chunk, unless `threadCount == 1`, which runs the same chunks one after the other.
/// `body` must write only to its own chunk's region; it need not be `@Sendable` because
/// `concurrentPerform` returns only when every chunk is done.
public func parallelForEachChunk(count: Int, chunkCount: Int, threadCount: Int? = nil,
                                 _ body: (_ chunk: Int, _ range: Range<Int>) -> Void) {
    precondition(count >= 0, "parallelForEachChunk: count must not be negative, got \(count)")
    let chunks = max(1, min(chunkCount, count))
    if chunks == 1 { body(0, 0 ..< count); return }
    if threadCount == 1 {
        for chunk in 0 ..< chunks { body(chunk, chunkRange(chunk, of: chunks, in: count)) }
        return
    }
    withoutActuallyEscaping(body) { escapable in
        let work = UncheckedSendableBox(escapable)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            work.value(chunk, chunkRange(chunk, of: chunks, in: count))
        }
    }
}

/// Runs `body` over contiguous chunks of `0 ..< count` on all cores and returns the chunks' results in
/// chunk order (`chunkCount` nil: ``defaultChunkCount(for:)``). Each chunk owns its own accumulator
/// (merge afterwards), which on our 2-core machines beats writing into one shared buffer.
/// `threadCount == 1` runs the same chunks one after the other (same results).
public func parallelChunks<Result>(count: Int, chunkCount requested: Int? = nil, threadCount: Int? = nil,
                                   _ body: (Range<Int>) -> Result) -> [Result] {
    precondition(count >= 0, "parallelChunks: count must not be negative, got \(count)")
    let chunkCount = max(1, min(requested ?? defaultChunkCount(for: count), count))
    if chunkCount == 1 { return [body(0 ..< count)] }
    let slots = ParallelResultSlots<Result>(count: chunkCount)
    parallelForEachChunk(count: count, chunkCount: chunkCount, threadCount: threadCount) { chunk, range in
        slots.store(body(range), at: chunk)
    }
    return slots.results()
}

/// `body(index)` for every index of `0 ..< count`, evaluated concurrently, results in index order
/// (for a few expensive, independent items, such as one per feature, per figure or per file).
public func parallelMap<Result>(count: Int, threadCount: Int? = nil, _ body: (Int) -> Result) -> [Result] {
    guard count > 0 else { return [] }
    return parallelChunks(count: count, chunkCount: count, threadCount: threadCount) { range in
        body(range.lowerBound)
    }
}

/// Chunks for a loop of `count` cheap iterations: a few per core, none for tiny loops.
public func defaultChunkCount(for count: Int) -> Int {
    if count < 4096 { return 1 }
    return min(4 * ProcessInfoCores.activeCount, count / 2048)
}

/// The number of cores this process may use, read once.
public enum ProcessInfoCores {
    /// `ProcessInfo.activeProcessorCount` (honours CPU affinity and cgroup limits on Linux), at least 1.
    public static let activeCount: Int = max(1, ProcessInfo.processInfo.activeProcessorCount)
}

/// Wraps a value used only inside a synchronous parallel loop whose iterations write disjoint regions.
public struct UncheckedSendableBox<Value>: @unchecked Sendable {
    public let value: Value
    @inlinable
    public init(_ value: Value) { self.value = value }
}
