import Core
import Foundation
import Testing

@Test func coreCountIsPositiveAndMatchesProcessInfo() {
    #expect(ProcessInfoCores.activeCount > 0)
    #expect(ProcessInfoCores.activeCount == max(1, ProcessInfo.processInfo.activeProcessorCount))
}

@Test func chunkRangesTileTheRangeInOrder() {
    for (count, chunkCount) in [(0, 1), (1, 1), (10, 3), (100, 7), (4097, 16)] {
        let ranges = (0 ..< chunkCount).map { chunkRange($0, of: chunkCount, in: count) }
        #expect(ranges.first?.lowerBound == 0)
        #expect(ranges.last?.upperBound == count)
        #expect(zip(ranges, ranges.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
        #expect(ranges.allSatisfy { $0.count == count / chunkCount || $0.count == count / chunkCount + 1 })
    }
}

/// A floating-point sum whose value depends on how the terms are grouped: the parallel helpers must
/// group them by chunk, never by thread.
private func chunkedSum(_ values: [Double], chunkCount: Int, threadCount: Int?) -> Double {
    parallelChunks(count: values.count, chunkCount: chunkCount, threadCount: threadCount) { range in
        values[range].reduce(0, +)
    }.reduce(0, +)
}

@Test func parallelChunksResultsDoNotDependOnTheThreadCount() {
    var generator = SeededGenerator(seed: 11)
    let values = (0 ..< 100_003).map { _ in generator.nextGaussian() * 1e6 }
    for chunkCount in [1, 2, 7, 64] {
        let serial = chunkedSum(values, chunkCount: chunkCount, threadCount: 1)
        for _ in 0 ..< 5 {
            #expect(chunkedSum(values, chunkCount: chunkCount, threadCount: nil) == serial)
        }
    }
    // The slow reference: the same chunks summed one after the other by hand.
    let manual = (0 ..< 7).map { values[chunkRange($0, of: 7, in: values.count)].reduce(0, +) }.reduce(0, +)
    #expect(chunkedSum(values, chunkCount: 7, threadCount: nil) == manual)
}

@Test func parallelMapKeepsIndexOrder() {
    #expect(parallelMap(count: 0) { $0 }.isEmpty)
    let squares = parallelMap(count: 1000) { $0 * $0 }
    #expect(squares == (0 ..< 1000).map { $0 * $0 })
    #expect(parallelMap(count: 1000, threadCount: 1) { $0 * $0 } == squares)
    let strings = parallelMap(count: 33) { String($0) }
    #expect(strings == (0 ..< 33).map { String($0) })
}

@Test func parallelForEachChunkVisitsEveryIndexOnce() {
    for threadCount in [1, 2, nil] as [Int?] {
        var hits = [Int](repeating: 0, count: 5000)
        hits.withUnsafeMutableBufferPointer { buffer in
            let base = UncheckedSendableBox(buffer.baseAddress!)
            parallelForEachChunk(count: 5000, chunkCount: 9, threadCount: threadCount) { _, range in
                for i in range { base.value[i] += 1 }
            }
        }
        #expect(hits.allSatisfy { $0 == 1 })
    }
}

@Test func resultSlotsReturnEveryStoredValueInSlotOrder() {
    let slots = ParallelResultSlots<[Int]>(count: 50)
    DispatchQueue.concurrentPerform(iterations: 50) { index in
        slots.store(Array(repeating: index, count: index % 4), at: 49 - index)
    }
    let results = slots.results()
    #expect(results.count == 50)
    #expect(results == (0 ..< 50).map { Array(repeating: 49 - $0, count: (49 - $0) % 4) })
    #expect(ParallelResultSlots<Int>(count: 0).results().isEmpty)
}

@Test func defaultChunkCountKeepsTinyLoopsSerial() {
    #expect(defaultChunkCount(for: 10) == 1)
    #expect(defaultChunkCount(for: 4095) == 1)
    #expect(defaultChunkCount(for: 1 << 20) == min(4 * ProcessInfoCores.activeCount, (1 << 20) / 2048))
}
