import Core
import Evaluation
import Foundation
import Learning
import Testing
@testable import AnalysisSteps

/// The explanation step's computations on constructed data with known answers.
@Suite struct ExplainComputationTests {
    /// Gaussian columns with interactions and missing values, so trees are deep and reuse features.
    private func randomData(rowCount: Int, columnCount: Int, seed: UInt64) -> (DenseMatrix, [UInt8]) {
        var random = SeededGenerator(seed: seed)
        var values = (0 ..< rowCount * columnCount).map { _ in Float(random.nextGaussian()) }
        let labels = (0 ..< rowCount).map { r -> UInt8 in
            let x = { (c: Int) in Double(values[r * columnCount + c]) }
            let score = x(0) * x(1) + (x(2) > 0 ? 1 : -1) - 0.5 * x(3) + x(4) * x(4)
            return random.nextUnitDouble() < 1 / (1 + exp(-score)) ? 1 : 0
        }
        for r in 0 ..< rowCount where random.nextUnitDouble() < 0.05 { values[r * columnCount + 1] = .nan }
        return (DenseMatrix(rowCount: rowCount, columnCount: columnCount, values: values), labels)
    }

    @Test func leafPathTreeSHAPMatchesTheRecursiveReference() throws {
        let (features, labels) = randomData(rowCount: 4000, columnCount: 8, seed: 21)
        let model = try GradientBoostingClassifier(parameters: GradientBoostingParameters(leafCount: 31, minDataInLeaf: 20, roundCount: 30,
                                                                                          threadCount: 1))
            .fit(features: features, labels: labels)
        // Many rows: leaves are tabulated; three rows: computed directly per row.
        for rowCount in [1500, 3] {
            let probe = features.rows(Array(0 ..< rowCount))
            let reference = try model.shapValues(probe)
            let fast = try model.shapValuesByLeafPaths(probe)
            #expect(fast.rowCount == rowCount && fast.columnCount == 8)
            let largest = zip(reference.values, fast.values).map { abs($0 - $1) }.max() ?? .nan
            #expect(largest < 1e-10, "\(rowCount) rows: largest difference \(largest)")
        }
        #expect(throws: TreeSHAPError.self) { try model.shapValuesByLeafPaths(DenseMatrix(rowCount: 1, columnCount: 3)) }
    }

    @Test func isotonicCalibrationPoolsViolatorsAndInterpolates() {
        let calibrator = IsotonicCalibrator(scores: [0.4, 0.1, 0.3, 0.2], labels: [1, 0, 0, 1])
        // Rates by score: 0, 1, 0, 1 → pooled into 0 | 0.5 (0.2 and 0.3) | 1.
        #expect(calibrator.knotScores == [0.1, 0.2, 0.3, 0.4])
        #expect(calibrator.knotProbabilities == [0, 0.5, 0.5, 1])
        #expect(calibrator.probability(0.05) == 0)
        #expect(abs(calibrator.probability(0.15) - 0.25) < 1e-12)
        #expect(calibrator.probability(0.25) == 0.5)
        #expect(abs(calibrator.probability(0.35) - 0.75) < 1e-12)
        #expect(calibrator.probability(0.9) == 1)
    }

    @Test func targetingTableOnConstructedScores() throws {
        // 100 training users scored i/100; the ten highest are the pos users. Calibrated: 0 below 0.89, 1 from 0.90.
        let outOfFold = (0 ..< 100).map { Double($0) / 100 }
        let labels = (0 ..< 100).map { UInt8($0 >= 90 ? 1 : 0) }
        // 20 test users: ten at 0.95 (calibrated 1), ten at 0.5 (calibrated 0).
        let test = [Double](repeating: 0.95, count: 10) + [Double](repeating: 0.5, count: 10)
        let analysis = try TargetingAnalysis(fractions: [0.05, 0.1, 0.5, 0.75], bootstrapCount: 50, seed: 9)
        let rows = try analysis.table(testScores: test, outOfFoldScores: outOfFold, labels: labels)
        #expect(rows.map(\.targetedUserCount) == [1, 2, 10, 15])
        let expectedRates = [1, 1, 1, 10.0 / 15]
        let expectedReach = [0.5, 1, 1, 1]
        for (row, (rate, reach)) in zip(rows, zip(expectedRates, expectedReach)) {
            #expect(abs(row.expectedPositiveRate - rate) < 1e-12, "budget \(row.fraction): rate \(row.expectedPositiveRate)")
            #expect(abs(row.reachedShare - reach) < 1e-12, "budget \(row.fraction): reach \(row.reachedShare)")
            #expect(row.expectedPositiveRateLow <= row.expectedPositiveRateHigh && row.reachedShareLow <= row.reachedShareHigh)
            #expect(row.reachedShareLow >= 0 && row.reachedShareHigh <= 1)
        }
        #expect(abs(rows[1].lift - 10) < 1e-9)
        // Same seed, same intervals.
        #expect(try analysis.table(testScores: test, outOfFoldScores: outOfFold, labels: labels) == rows)
    }

    @Test func reachedShareAgreesWithCumulativeGainIncludingTies() throws {
        var random = SeededGenerator(seed: 4)
        // Scores rounded to two decimals, so groups of ties straddle the budget cuts.
        let scores = (0 ..< 3000).map { _ in (random.nextUnitDouble() * 100).rounded() / 100 }
        let labels = scores.map { random.nextUnitDouble() < $0 * 0.5 ? UInt8(1) : 0 }
        let fractions = [0.01, 0.05, 0.1, 0.2, 0.3]
        let rows = try TargetingAnalysis(fractions: fractions, bootstrapCount: 20, seed: 1)
            .table(testScores: scores, outOfFoldScores: scores, labels: labels)
        let gains = cumulativeGain(scores: scores, labels: labels, fractions: fractions)
        for (row, gain) in zip(rows, gains) {
            #expect(abs(row.reachedShare - gain.gain) < 1e-12, "budget \(row.fraction): \(row.reachedShare) vs \(gain.gain)")
            #expect(row.reachedShareLow <= row.reachedShare && row.reachedShare <= row.reachedShareHigh)
        }
    }

    @Test func targetingRejectsBadSettingsAndInputs() throws {
        #expect(throws: TargetingError.badSetting("every budget fraction must be in (0, 1], got 0.0")) {
            try TargetingAnalysis(fractions: [0.1, 0], seed: 1)
        }
        #expect(throws: TargetingError.badSetting("bootstrapCount must be ≥ 2, got 1")) {
            try TargetingAnalysis(bootstrapCount: 1, seed: 1)
        }
        let analysis = try TargetingAnalysis(bootstrapCount: 2, seed: 1)
        #expect(throws: TargetingError.badInput("3 out-of-fold scores for 2 labels")) {
            try analysis.table(testScores: [0.5], outOfFoldScores: [0.1, 0.2, 0.3], labels: [0, 1])
        }
        #expect(throws: TargetingError.badInput("the labels need both segments, got 0 pos of 2")) {
            try analysis.table(testScores: [0.5], outOfFoldScores: [0.1, 0.2], labels: [0, 0])
        }
        #expect(throws: TargetingError.badInput("a score is not a finite number (nan)")) {
            try analysis.table(testScores: [.nan], outOfFoldScores: [0.1, 0.2], labels: [0, 1])
        }
    }

    @Test func readableNamesForEveryKindOfColumn() {
        #expect(readableFeatureName("genre_share:Cricket") == "share of watch time: Cricket")
        #expect(readableFeatureName("genre_log_seconds:Drama") == "watch time (log seconds): Drama")
        #expect(readableFeatureName("hour_share:07") == "share of watch time: 7–8 h")
        #expect(readableFeatureName("hour_share:23") == "share of watch time: 23–24 h")
        #expect(readableFeatureName("day_share:6") == "share of watch time: day 6 of the week")
        #expect(readableFeatureName("cluster_member:3") == "in viewer cluster 3")
        #expect(readableFeatureName("title_target_weighted_mean") == "pos rate of the titles watched (time-weighted)")
        #expect(readableFeatureName("night_share") == "share of watch time at night (0–6 h)")
        #expect(readableFeatureName("latent_topic:4") == "share of viewing topic 4")
        // Unknown names fall back to their words.
        #expect(readableFeatureName("some_new_column") == "some new column")
        #expect(readableFeatureName("new_family:x") == "new family: x")
    }

    @Test func reasonsPickTheLargestRaisingColumns() {
        #expect(ViewerReasons.largestPositive(count: 3, of: [0.1, -2, 0.5, 0.3, 0.5, 0][...]) == [2, 4, 3])
        #expect(ViewerReasons.largestPositive(count: 3, of: [-1, 0.2, 0][...]) == [1])
        #expect(ViewerReasons.topRows(scores: [0.2, 0.9, 0.5, 0.9, 0.1, 0.3, 0.4, 0.6, 0.7, 0.8], fraction: 0.2) == [1, 3])
        #expect(ViewerReasons.topRows(scores: [0.2, 0.1], fraction: 0.1) == [0])
    }
}
