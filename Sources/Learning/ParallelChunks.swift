import Dispatch

// The one set of parallel-loop helpers for Learning and the modules above it (FeatureEngineering,
// AnalysisSteps): contiguous chunks on `DispatchQueue.concurrentPerform`, each chunk owning its own
// accumulator or output region, merged by the caller in chunk order (so results never depend on timing).

/// Chunk `chunk` of `chunkCount` near-equal contiguous chunks of `0 ..< count`.
@inline(__always)
func chunkRange(_ chunk: Int, of chunkCount: Int, in count: Int) -> Range<Int> {
    count * chunk / chunkCount ..< count * (chunk + 1) / chunkCount
}

/// Runs `body(chunk, range)` over `chunkCount` contiguous chunks of `0 ..< count`: in parallel when there is
/// more than one chunk, unless `threadCount == 1`, which runs the same chunks one after the other.
/// `body` must write only to its own chunk's region; it need not be `@Sendable` because
/// `concurrentPerform` returns only when every chunk is done.
public func parallelForEachChunk(count: Int, chunkCount: Int, threadCount: Int? = nil,
                                 _ body: (_ chunk: Int, _ range: Range<Int>) -> Void) {
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
public func parallelChunks<Result>(count: Int, chunkCount requested: Int? = nil,
                                   _ body: (Range<Int>) -> Result) -> [Result] {
    let chunkCount = max(1, min(requested ?? defaultChunkCount(for: count), count))
    if chunkCount == 1 { return [body(0 ..< count)] }
    let slots = ChunkResultSlots<Result>(count: chunkCount)
    parallelForEachChunk(count: count, chunkCount: chunkCount) { chunk, range in
        slots.store(body(range), at: chunk)
    }
    return slots.results()
}

/// `body(index)` for every index of `0 ..< count`, evaluated concurrently, results in index order
/// (for a few expensive, independent items, such as one per feature or per figure).
public func parallelMap<Result>(count: Int, _ body: (Int) -> Result) -> [Result] {
    guard count > 0 else { return [] }
    return parallelChunks(count: count, chunkCount: count) { range in body(range.lowerBound) }
}

/// Chunks for a loop of `count` cheap iterations: a few per core, none for tiny loops.
public func defaultChunkCount(for count: Int) -> Int {
    if count < 4096 { return 1 }
    return min(4 * ProcessInfoCores.activeCount, count / 2048)
}

enum ProcessInfoCores {
    static let activeCount: Int = {
        #if canImport(Glibc)
        let n = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        return max(1, n)
        #else
        return 2
        #endif
    }()
}

/// One write-once slot per chunk; each concurrent iteration writes only its own slot.
private final class ChunkResultSlots<Result>: @unchecked Sendable {
    private let slots: UnsafeMutablePointer<Result?>
    private let count: Int
    init(count: Int) {
        self.count = count
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil, count: count)
    }
    deinit {
        slots.deinitialize(count: count)
        slots.deallocate()
    }
    func store(_ value: Result, at index: Int) { slots[index] = value }
    func results() -> [Result] { (0 ..< count).map { slots[$0]! } }
}

/// Wraps a value used only inside a synchronous parallel loop whose iterations write disjoint regions.
struct UncheckedSendableBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

#if canImport(Glibc)
import Glibc
#endif
