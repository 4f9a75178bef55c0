import Core
import Foundation
import Testing
@testable import Learning

/// The pieces the tree grower is made of, each against a slow reference.
@Suite struct BoostingPartsTests {
    /// A stable filter: the left rows in order, then the right rows in order.
    private func referencePartition(_ rows: [Int32], column: [UInt8], threshold: UInt8, missingBin: UInt8,
                                    missingGoesLeft: Bool) -> (left: [Int32], right: [Int32]) {
        func goesLeft(_ row: Int32) -> Bool {
            let b = column[Int(row)]
            return b == missingBin ? missingGoesLeft : b <= threshold
        }
        return (rows.filter(goesLeft), rows.filter { !goesLeft($0) })
    }

    @Test(arguments: [1, 2, 3])
    func dataPartitionSplitsLikeAStableFilter(threads: Int) {
        // 100,000 rows: the root split runs in chunks across the pool, the later ones serially.
        let rowCount = 100_000
        var random = SplitMix64(seed: 3)
        let column = (0 ..< rowCount).map { _ in UInt8(random.next() % 33) }   // bin 32 = missing
        let other = (0 ..< rowCount).map { _ in UInt8(random.next() % 9) }
        let pool = WorkerPool(threadCount: threads)
        defer { pool.shutdown() }
        let partition = DataPartition(rowCapacity: rowCount, leafCapacity: 4)
        let bag = random.sampleSequentially(90_000, from: rowCount)
        partition.reset(bagRows: bag)
        #expect(90_000 >= DataPartition.parallelRowThreshold)
        let leftCount = column.withUnsafeBufferPointer { c in
            partition.split(leaf: 0, column: c.baseAddress!, threshold: 11, missingBin: 32, missingGoesLeft: true, pool: pool)
        }
        let expected = referencePartition(bag, column: column, threshold: 11, missingBin: 32, missingGoesLeft: true)
        #expect(leftCount == expected.left.count)
        #expect(partition.leafBegins == [0, expected.left.count])
        #expect(Array(UnsafeBufferPointer(start: partition.rows(of: 0), count: leftCount)) == expected.left)
        #expect(Array(UnsafeBufferPointer(start: partition.rows(of: 1), count: partition.leafRowCounts[1])) == expected.right)
        // Split the right leaf again (serially: fewer rows than the threshold), missing values right.
        let smaller = other.withUnsafeBufferPointer { c in
            partition.split(leaf: 1, column: c.baseAddress!, threshold: 2, missingBin: 8, missingGoesLeft: false, pool: pool)
        }
        let second = referencePartition(expected.right, column: other, threshold: 2, missingBin: 8, missingGoesLeft: false)
        #expect(smaller == second.left.count)
        #expect(partition.leafRowCounts == [expected.left.count, second.left.count, second.right.count])
        #expect(Array(UnsafeBufferPointer(start: partition.rows(of: 2), count: second.right.count)) == second.right)
        // A new tree starts from every row in order.
        partition.reset(bagRows: nil)
        #expect(partition.leafRowCounts == [rowCount])
        #expect(partition.rows(of: 0)[rowCount - 1] == Int32(rowCount - 1))
    }

    @Test func histogramPoolHandsOutDistinctSlotsAndTakesThemBack() {
        let pool = HistogramPool(slotCount: 3, binCount: 10)
        let first = pool.acquire(), second = pool.acquire(), third = pool.acquire()
        #expect(first == 0)
        #expect(Set([first, second, third]) == [0, 1, 2])
        #expect(pool.histogram(second) - pool.histogram(first) == 10)
        pool.release(second)
        #expect(pool.acquire() == second)   // the slot released last is handed out next
        pool.reset()
        #expect(pool.acquire() == 0)
    }

    @Test func samplersDrawFromTheGeneratorsUnitDoubles() {
        // Selection sampling keeps row i when a unit double × rows left is below the rows still needed.
        var generator = SplitMix64(seed: 17)
        var mirror = SplitMix64(seed: 17)
        let bag = generator.sampleSequentially(4, from: 10)
        var expected = [Int32](), needed = 4
        for i in 0 ..< 10 where needed > 0 {
            if mirror.nextUnitDouble() * Double(10 - i) < Double(needed) { expected.append(Int32(i)); needed -= 1 }
        }
        #expect(bag == expected)
        #expect(generator.state == mirror.state)
        // Bagging redraws only on its rounds; its complement holds the other rows.
        var bagging = RowBagging(parameters: GradientBoostingParameters(baggingFraction: 0.5, baggingFrequency: 2),
                                 rowCount: 20)
        bagging.resample(round: 0, generator: &generator)
        let firstBag = bagging.bagRows
        #expect(firstBag?.count == 10)
        bagging.resample(round: 1, generator: &generator)
        #expect(bagging.bagRows == firstBag)
        #expect(Set((firstBag ?? []) + bagging.outOfBagRows).count == 20)
        // Feature sampling: round(0.5 × 5) = 3 features (LightGBM rounds half up), ascending, from the usable ones.
        let sampling = FeatureSampling(usableFeatures: [1, 4, 6, 7, 9], fraction: 0.5)
        #expect(sampling.sampledCount == 3)
        let drawn = sampling.features(generator: &generator)
        #expect(drawn.count == 3 && drawn == drawn.sorted() && Set(drawn).isSubset(of: [1, 4, 6, 7, 9]))
        #expect(FeatureSampling(usableFeatures: [2, 3], fraction: 0.1).isActive == false)   // at least two
    }

    @Test func validationWatcherStopsAfterThePatience() throws {
        // One binned row; trees that move its score up, down, then away: the loss is lowest after tree 2.
        let features = DenseMatrix(rowCount: 1, columnCount: 1, values: [1])
        let mapper = try BinMapper(fitting: DenseMatrix(rowCount: 2, columnCount: 1, values: [0, 1]))
        let binned = try mapper.transform(features)
        func stump(_ value: Double) -> RegressionTree {
            RegressionTree(splitFeatures: [], thresholds: [], binThresholds: [], missingGoesLeft: [], leftChildren: [],
                           rightChildren: [], splitGains: [], leafValues: [value], leafCounts: [1])
        }
        var watcher = ValidationWatcher(binned: binned, labels: [1], initialScore: 0, patience: 2)
        let pool = WorkerPool(threadCount: 1)
        #expect(watcher.add(stump(1), treeCount: 1, pool: pool) == false)
        #expect(watcher.add(stump(1), treeCount: 2, pool: pool) == false)
        #expect(watcher.add(stump(-3), treeCount: 3, pool: pool) == false)
        #expect(watcher.add(stump(0.5), treeCount: 4, pool: pool) == true)
        #expect(watcher.bestTreeCount == 2)
        #expect(watcher.scores == [-0.5])
        #expect(abs(watcher.lossHistory[1] - log1p(exp(-2))) < 1e-15)
    }
}
