import Core
import Foundation

/// What an advertiser gets for one budget: the top `fraction` of test users by final score.
public struct TargetingBudget: Sendable, Equatable, Codable {
    /// Share of test users targeted (0.1 = the top 10 %).
    public var fraction: Double
    /// Test users in the budget.
    public var targetedUserCount: Int
    /// Mean calibrated P(pos) of the targeted test users, with its 95 % bootstrap interval.
    public var expectedPositiveRate: Double
    public var expectedPositiveRateLow: Double
    public var expectedPositiveRateHigh: Double
    /// Share of all pos users in the top `fraction` of the training users by out-of-fold score, with its interval.
    public var reachedShare: Double
    public var reachedShareLow: Double
    public var reachedShareHigh: Double

    /// Times better than targeting at random: reached share ÷ fraction.
    public var lift: Double { reachedShare / fraction }
}

/// Errors of the targeting computation, each naming the bad value.
public enum TargetingError: Error, CustomStringConvertible, Equatable {
    case badSetting(String)
    case badInput(String)

    public var description: String {
        switch self {
        case .badSetting(let text), .badInput(let text): "targeting table: \(text)"
        }
    }
}

/// The targeting table: for each budget, the expected pos rate of the targeted test users (their final
/// scores calibrated isotonically on the out-of-fold scores) and the share of all pos users a budget
/// of that size reaches (from the out-of-fold scores), with 95 % percentile intervals from a bootstrap
/// over users (train and test users resampled with replacement, the calibration refitted each time).
public struct TargetingAnalysis: Sendable {
    public let fractions: [Double]
    public let bootstrapCount: Int
    public let seed: UInt64

    public init(fractions: [Double] = [0.01, 0.05, 0.1, 0.2, 0.3], bootstrapCount: Int = 200, seed: UInt64) throws {
        if let bad = fractions.first(where: { !($0 > 0 && $0 <= 1) }) {
            throw TargetingError.badSetting("every budget fraction must be in (0, 1], got \(bad)")
        }
        guard !fractions.isEmpty else { throw TargetingError.badSetting("no budget fractions given") }
        guard bootstrapCount >= 2 else { throw TargetingError.badSetting("bootstrapCount must be ≥ 2, got \(bootstrapCount)") }
        self.fractions = fractions
        self.bootstrapCount = bootstrapCount
        self.seed = seed
    }

    /// One row per budget fraction. `outOfFoldScores[i]` and `labels[i]` belong to training user `i`.
    public func table(testScores: [Double], outOfFoldScores: [Double], labels: [UInt8]) throws -> [TargetingBudget] {
        try validate(testScores: testScores, outOfFoldScores: outOfFoldScores, labels: labels)
        let test = RankedScoreGroups(scores: testScores)
        let train = RankedScoreGroups(scores: outOfFoldScores)
        let labelValue = { (row: Int) in Double(labels[row]) }
        let trainScoresIncreasing = Array(train.groupScores.reversed())
        let point = estimate(test: test, train: train, trainScoresIncreasing: trainScoresIncreasing, testWeights: test.groupSums { _ in 1 },
                             trainWeights: train.groupSums { _ in 1 }, trainPositives: train.groupSums(labelValue))
        // Each replicate draws its own stream, so the result does not depend on the thread count.
        let replicates = parallelMap(count: bootstrapCount) { b -> [(rate: Double, reach: Double)] in
            var generator = SeededGenerator(seed: seed, stream: UInt64(b))
            let testCounts = Self.resampleCounts(testScores.count, &generator)
            let trainCounts = Self.resampleCounts(outOfFoldScores.count, &generator)
            return estimate(test: test, train: train, trainScoresIncreasing: trainScoresIncreasing, testWeights: test.groupSums { testCounts[$0] },
                            trainWeights: train.groupSums { trainCounts[$0] },
                            trainPositives: train.groupSums { trainCounts[$0] * labelValue($0) })
        }
        return fractions.indices.map { f in
            let rates = replicates.map { $0[f].rate }, reaches = replicates.map { $0[f].reach }
            return TargetingBudget(
                fraction: fractions[f], targetedUserCount: Int((fractions[f] * Double(testScores.count)).rounded()),
                expectedPositiveRate: point[f].rate, expectedPositiveRateLow: Self.percentile(rates, 0.025),
                expectedPositiveRateHigh: Self.percentile(rates, 0.975), reachedShare: point[f].reach,
                reachedShareLow: Self.percentile(reaches, 0.025), reachedShareHigh: Self.percentile(reaches, 0.975))
        }
    }

    private func validate(testScores: [Double], outOfFoldScores: [Double], labels: [UInt8]) throws {
        guard !testScores.isEmpty else { throw TargetingError.badInput("there are no test scores") }
        guard outOfFoldScores.count == labels.count else {
            throw TargetingError.badInput("\(outOfFoldScores.count) out-of-fold scores for \(labels.count) labels")
        }
        if let bad = (testScores + outOfFoldScores).first(where: { !$0.isFinite }) {
            throw TargetingError.badInput("a score is not a finite number (\(bad))")
        }
        let positiveCount = labels.reduce(0) { $0 + ($1 == 1 ? 1 : 0) }
        guard positiveCount > 0, positiveCount < labels.count else {
            throw TargetingError.badInput("the labels need both segments, got \(positiveCount) pos of \(labels.count)")
        }
    }

    /// Per fraction: mean calibrated probability of the top test users and share of positives in the
    /// top training users, for one set of user weights (all 1, or bootstrap counts).
    private func estimate(test: RankedScoreGroups, train: RankedScoreGroups, trainScoresIncreasing: [Double], testWeights: [Double],
                          trainWeights: [Double], trainPositives: [Double]) -> [(rate: Double, reach: Double)] {
        let calibrator = IsotonicCalibrator(increasingScores: trainScoresIncreasing, weights: Array(trainWeights.reversed()),
                                            positives: Array(trainPositives.reversed()))
        // Only the groups inside the largest budget need a calibrated value.
        let largest = fractions.max() ?? 1
        let testTotal = testWeights.reduce(0, +)
        var calibrated = [Double](repeating: 0, count: test.groupCount)
        var covered = 0.0
        for g in 0 ..< test.groupCount where covered < largest * testTotal {
            calibrated[g] = testWeights[g] * calibrator.probability(test.groupScores[g])
            covered += testWeights[g]
        }
        let positiveTotal = trainPositives.reduce(0, +), trainTotal = trainWeights.reduce(0, +)
        return fractions.map { fraction in
            let top = RankedScoreGroups.topFraction(fraction, weights: testWeights, values: calibrated, totalWeight: testTotal)
            let reached = RankedScoreGroups.topFraction(fraction, weights: trainWeights, values: trainPositives, totalWeight: trainTotal)
            return (top.weight > 0 ? top.value / top.weight : .nan, positiveTotal > 0 ? reached.value / positiveTotal : .nan)
        }
    }

    /// How often each of `count` users is drawn in a resample of `count` users with replacement.
    static func resampleCounts(_ count: Int, _ generator: inout SeededGenerator) -> [Double] {
        var counts = [Double](repeating: 0, count: count)
        for _ in 0 ..< count { counts[generator.nextIndex(below: count)] += 1 }
        return counts
    }

    /// The `q` quantile of `values` (linear interpolation between order statistics; NaN values dropped).
    static func percentile(_ values: [Double], _ q: Double) -> Double {
        let sorted = values.filter { !$0.isNaN }.sorted()
        guard !sorted.isEmpty else { return .nan }
        let position = q * Double(sorted.count - 1)
        let low = Int(position.rounded(.down)), high = min(sorted.count - 1, low + 1)
        return sorted[low] + (position - Double(low)) * (sorted[high] - sorted[low])
    }
}
