import Core
import Foundation
import Synchronization
import Testing

/// Per-task run counters that tasks on any thread may bump.
private final class TaskCounters: Sendable {
    let counts: Mutex<[Int]>
    init(_ count: Int) { counts = Mutex([Int](repeating: 0, count: count)) }
    func bump(_ i: Int) { counts.withLock { $0[i] += 1 } }
    var values: [Int] { counts.withLock { $0 } }
}

@Test(arguments: [1, 2, 3, 4])
func workerPoolRunsEveryTaskOncePerJob(threads: Int) {
    let pool = WorkerPool(threadCount: threads)
    defer { pool.shutdown() }
    #expect(pool.threadCount == threads)
    let counters = TaskCounters(97)
    var expected = [Int](repeating: 0, count: 97)
    // Many back-to-back jobs of changing size: a worker that ran late into the next job would show up
    // as a task run twice or not at all.
    for job in 0 ..< 2000 {
        let taskCount = job % 97 + 1
        pool.run(taskCount: taskCount) { counters.bump($0) }
        for i in 0 ..< taskCount { expected[i] += 1 }
    }
    #expect(counters.values == expected)
}

@Test func workerPoolWakesParkedWorkersAndRunsInlineAfterShutdown() throws {
    let pool = WorkerPool(threadCount: 2)
    var sums = [Int](repeating: 0, count: 3)
    for round in 0 ..< 3 {
        // Long enough idle for the worker to park (idleSpinLimit yields).
        if round > 0 { Thread.sleep(forTimeInterval: 0.05) }
        var partial = [Int](repeating: 0, count: 8)
        partial.withUnsafeMutableBufferPointer { out in
            let base = out.baseAddress!
            pool.forEachChunk(count: 1000, chunkCount: 8) { chunk, range in base[chunk] = range.reduce(0, +) }
        }
        sums[round] = partial.reduce(0, +)
    }
    #expect(sums == [499_500, 499_500, 499_500])
    pool.shutdown()
    let counters = TaskCounters(5)
    pool.run(taskCount: 5) { counters.bump($0) }
    #expect(counters.values == [1, 1, 1, 1, 1])
}

@Test func workerPoolChunksTileTheRangeInOrder() {
    let pool = WorkerPool(threadCount: 2)
    defer { pool.shutdown() }
    var ranges = [Range<Int>](repeating: 0 ..< 0, count: 7)
    ranges.withUnsafeMutableBufferPointer { out in
        let base = out.baseAddress!
        pool.forEachChunk(count: 100, chunkCount: 7) { chunk, range in base[chunk] = range }
    }
    #expect(ranges.first?.lowerBound == 0)
    #expect(ranges.last?.upperBound == 100)
    #expect(zip(ranges, ranges.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
    #expect(ranges.allSatisfy { $0.count == 14 || $0.count == 15 })
}
