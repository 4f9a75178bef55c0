import Dispatch

/// Runs `body` over `chunkCount` contiguous chunks of `0 ..< count` on all cores and returns
/// the chunks' results in chunk order. Each chunk owns its own accumulator (merge afterwards),
/// which on our 2-core machines beats writing into one shared buffer.
func parallelChunks<Result>(count: Int, chunkCount requested: Int? = nil,
                            _ body: (Range<Int>) -> Result) -> [Result] {
    let chunkCount = max(1, min(requested ?? defaultChunkCount(for: count), count))
    if chunkCount == 1 { return [body(0 ..< count)] }
    let slots = ChunkResultSlots<Result>(count: chunkCount)
    // `body` is not `@Sendable`; it only reads shared inputs and writes its own slot.
    withoutActuallyEscaping(body) { body in
        let box = UncheckedSendableBox(body)
        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
            let start = chunk * count / chunkCount, end = (chunk + 1) * count / chunkCount
            slots.store(box.value(start ..< end), at: chunk)
        }
    }
    return slots.results()
}

/// Chunks for a loop of `count` cheap iterations: a few per core, none for tiny loops.
func defaultChunkCount(for count: Int) -> Int {
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

private struct UncheckedSendableBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

#if canImport(Glibc)
import Glibc
#endif
