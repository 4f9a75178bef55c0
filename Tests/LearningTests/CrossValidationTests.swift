import Testing
@testable import Learning

@Suite struct CrossValidationTests {
    /// 1,000 rows, 7.6 % positive, scattered.
    private func labels() -> [UInt8] {
        var generator = SeededGenerator(seed: 11)
        var labels = [UInt8](repeating: 0, count: 1000)
        var positions = Array(0 ..< 1000)
        generator.shuffle(&positions)
        for row in positions.prefix(76) { labels[row] = 1 }
        return labels
    }

    @Test func foldsPartitionTheRows() throws {
        let labels = labels()
        let folds = try StratifiedKFold(foldCount: 5, seed: 3).folds(labels: labels)
        #expect(folds.count == 5)
        let validationRows = folds.flatMap(\.validationIndices).sorted()
        #expect(validationRows == Array(0 ..< 1000))
        for fold in folds {
            #expect(Set(fold.trainIndices).isDisjoint(with: fold.validationIndices))
            #expect(fold.trainIndices.count + fold.validationIndices.count == 1000)
            #expect(fold.validationIndices.count == 200)
        }
    }

    @Test func foldsPreserveClassRatio() throws {
        let labels = labels()
        let folds = try StratifiedKFold(foldCount: 5, seed: 3).folds(labels: labels)
        for fold in folds {
            let positives = fold.validationIndices.filter { labels[$0] == 1 }.count
            // 76 positives over 5 folds: 15 or 16 in each.
            #expect(positives == 15 || positives == 16)
        }
    }

    @Test func foldsAreDeterministicBySeed() throws {
        let labels = labels()
        let a = try StratifiedKFold(foldCount: 4, seed: 9).foldAssignments(labels: labels)
        let b = try StratifiedKFold(foldCount: 4, seed: 9).foldAssignments(labels: labels)
        let c = try StratifiedKFold(foldCount: 4, seed: 10).foldAssignments(labels: labels)
        #expect(a == b)
        #expect(a != c)
    }

    @Test func invalidSettingsAreRejected() {
        #expect(throws: CrossValidationError.invalidFoldCount(1)) { try StratifiedKFold(foldCount: 1, seed: 0) }
        #expect(throws: CrossValidationError.tooFewRows(rowCount: 2, foldCount: 3)) {
            try StratifiedKFold(foldCount: 3, seed: 0).folds(labels: [0, 1])
        }
    }

    @Test func outOfFoldPredictionsFillEveryRow() throws {
        let labels = labels()
        let folds = try StratifiedKFold(foldCount: 3, seed: 1).folds(labels: labels)
        let predictions = outOfFoldPredictions(rowCount: labels.count, folds: folds) { fold in
            fold.validationIndices.map { Double($0) + Double(fold.index) / 10 }
        }
        #expect(!predictions.contains { $0.isNaN })
        #expect(predictions.enumerated().allSatisfy { Int($0.element) == $0.offset })
    }

    @Test func generatorIsDeterministicAndUniform() {
        var a = SeededGenerator(seed: 42), b = SeededGenerator(seed: 42)
        #expect((0 ..< 10).map { _ in a.next() } == (0 ..< 10).map { _ in b.next() })
        var g = SeededGenerator(seed: 1)
        var counts = [Int](repeating: 0, count: 10)
        for _ in 0 ..< 100_000 { counts[g.nextIndex(below: 10)] += 1 }
        #expect(counts.allSatisfy { abs($0 - 10_000) < 500 })
        let mean = (0 ..< 100_000).reduce(0.0) { acc, _ in acc + g.nextGaussian() } / 100_000
        #expect(abs(mean) < 0.02)
    }
}
