import Dispatch
import Foundation

/// Splits `0 ..< count` into contiguous chunks, runs `body` on each chunk concurrently and
/// returns the per-chunk results in chunk order (each chunk owns its accumulator; merge once).
func parallelChunks<T: Sendable>(count: Int, minimumChunk: Int = 4096,
                                 _ body: @Sendable (Range<Int>) -> T) -> [T] {
    let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
    let chunkCount = max(1, min(cores * 4, (count + minimumChunk - 1) / max(1, minimumChunk)))
    if chunkCount == 1 { return [body(0 ..< count)] }
    let box = ResultBox<T>(count: chunkCount)
    DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
        let lower = count * chunk / chunkCount
        let upper = count * (chunk + 1) / chunkCount
        box.set(chunk, body(lower ..< upper))
    }
    return box.values()
}

/// Row-major `rowCount × width` floats filled chunk by chunk in parallel.
func parallelRows(rowCount: Int, width: Int,
                  _ fill: @Sendable (Range<Int>, inout [Float]) -> Void) -> [Float] {
    let parts = parallelChunks(count: rowCount) { rows -> [Float] in
        var block = [Float](repeating: 0, count: rows.count * width)
        fill(rows, &block)
        return block
    }
    if parts.count == 1 { return parts[0] }
    var out = [Float]()
    out.reserveCapacity(rowCount * width)
    for part in parts { out.append(contentsOf: part) }
    return out
}

/// Lock-protected slots for per-chunk results.
private final class ResultBox<T>: @unchecked Sendable {
    private var slots: [T?]
    private let lock = NSLock()
    init(count: Int) { slots = [T?](repeating: nil, count: count) }
    func set(_ index: Int, _ value: T) { lock.lock(); slots[index] = value; lock.unlock() }
    func values() -> [T] { lock.lock(); defer { lock.unlock() }; return slots.compactMap { $0 } }
}
